// KMS cryptographic handlers: Encrypt, Decrypt, ReEncrypt, GenerateDataKey*,
// GenerateDataKeyPair*, GenerateRandom, Sign, Verify, GetPublicKey,
// GenerateMac, VerifyMac, DeriveSharedSecret (spec §4.8, §4.9).
//
// Each handler runs after the resolver found the key and the caller was
// authorized; it applies the key-state gate (GetUsableKey), decodes the
// request's enums, runs the envelope operation (envelope.h checks usage,
// algorithm and sizes in AWS's order) and, with DryRun, answers
// DryRunOperationException instead of the result (every check has run; the
// result is discarded).
#include "core/environment.h"
#include "services/kms/envelope.h"
#include "services/kms/errors.h"
#include "services/kms/handler_support.h"
#include "services/kms/kms_service.h"

namespace gee::kms {
namespace {

template <typename E>
Result<E> EnumMember(const Json& input, std::string_view member,
                     std::optional<E> (*parse)(std::string_view), std::optional<E> fallback) {
  const std::string* text = StringMember(input, member);
  if (text == nullptr) {
    if (fallback) return *fallback;
    return MemberNull(member);
  }
  std::optional<E> value = parse(*text);
  if (!value) return errors::Internal(std::string(member) + " outside the model's enum");
  return *value;
}

Result<EncryptionAlgorithm> AlgorithmMember(const Json& input, std::string_view member) {
  return EnumMember<EncryptionAlgorithm>(input, member, &ParseEncryptionAlgorithm,
                                         EncryptionAlgorithm::kSymmetricDefault);
}

Status RejectRecipient(const Json& input) {
  if (input.contains("Recipient")) return errors::NotEmulated("Recipient (Nitro Enclaves attestation)");
  return OkStatus();
}

}  // namespace

Result<Json> KmsService::Encrypt(Call& call) {
  GEE_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRecord> key, GetUsableKey(call));
  GEE_ASSIGN_OR_RETURN(KeyStore * store, Store());
  GEE_ASSIGN_OR_RETURN(EncryptionAlgorithm algorithm,
                       AlgorithmMember(call.input, "EncryptionAlgorithm"));
  GEE_ASSIGN_OR_RETURN(crypto::SecretBytes plaintext, SecretBlobMember(call.input, "Plaintext"));
  const EncryptionContext context = ContextFrom(call.input, "EncryptionContext");
  LoadedKey loaded = LoadedKey::FromStore(*store, key);
  GEE_ASSIGN_OR_RETURN(std::string blob,
                       kms::Encrypt(loaded, algorithm, plaintext.AsStringView(), context,
                                    env().random(), "Encrypt"));
  if (IsDryRun(call)) return errors::DryRun();
  return JsonObject("CiphertextBlob", Blob(blob), "KeyId", key->arn, "EncryptionAlgorithm",
                    Name(algorithm));
}

Result<Json> KmsService::Decrypt(Call& call) {
  GEE_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRecord> key, GetUsableKey(call));
  GEE_ASSIGN_OR_RETURN(KeyStore * store, Store());
  GEE_RETURN_IF_ERROR(RejectRecipient(call.input));
  GEE_ASSIGN_OR_RETURN(EncryptionAlgorithm algorithm,
                       AlgorithmMember(call.input, "EncryptionAlgorithm"));
  GEE_ASSIGN_OR_RETURN(std::string blob, TakeCiphertextBlob(call));
  const EncryptionContext context = ContextFrom(call.input, "EncryptionContext");
  if (IsDryRun(call)) {
    // DryRunModifiers [IGNORE_CIPHERTEXT]: check permissions and key only.
    if (auto m = call.input.find("DryRunModifiers"); m != call.input.end() && m->is_array()) {
      for (const Json& v : *m) {
        if (v == "IGNORE_CIPHERTEXT") return errors::DryRun();
      }
    }
  }
  LoadedKey loaded = LoadedKey::FromStore(*store, key);
  GEE_ASSIGN_OR_RETURN(crypto::SecretBytes plaintext,
                       kms::Decrypt(loaded, algorithm, blob, context, "Decrypt"));
  if (IsDryRun(call)) return errors::DryRun();
  Json out = JsonObject("KeyId", key->arn, "Plaintext", Blob(plaintext.AsStringView()),
                        "EncryptionAlgorithm", Name(algorithm));
  if (IsSymmetricEncryption(key->spec)) {
    GEE_ASSIGN_OR_RETURN(ParsedCiphertextBlob parsed, ParseCiphertextBlob(blob));
    GEE_ASSIGN_OR_RETURN(std::optional<std::string> id, loaded.MaterialId(parsed.key_version));
    if (id) out["KeyMaterialId"] = *id;
  }
  return out;
}

Result<Json> KmsService::ReEncrypt(Call& call) {
  GEE_ASSIGN_OR_RETURN(KeyStore * store, Store());
  GEE_ASSIGN_OR_RETURN(Resolved * resolved, TakeResolved(call));
  if (!resolved->second_key) return errors::Internal("ReEncrypt without its destination");
  // kms:ReEncryptTo on the destination key, with its own context.
  const EncryptionContext destination_context =
      ContextFrom(call.input, "DestinationEncryptionContext");
  {
    GEE_ASSIGN_OR_RETURN(AuthRequest to, KeyAuthRequest(call.ctx, *resolved->second_key,
                                                        "kms:ReEncryptTo", "ReEncryptTo",
                                                        &destination_context,
                                                        resolved->second_alias));
    const std::string* a = StringMember(call.input, "DestinationEncryptionAlgorithm");
    to.keys.Set("kms:EncryptionAlgorithm", a != nullptr ? *a : "SYMMETRIC_DEFAULT");
    GEE_RETURN_IF_ERROR(env().Authorize(call.ctx, to));
  }
  GEE_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRecord> source, GetUsableKey(call));
  const KeyRecord& destination = *resolved->second_key;
  GEE_RETURN_IF_ERROR(GateKeyState(destination, StateRule::kUsable));
  GEE_ASSIGN_OR_RETURN(EncryptionAlgorithm source_algorithm,
                       AlgorithmMember(call.input, "SourceEncryptionAlgorithm"));
  GEE_ASSIGN_OR_RETURN(EncryptionAlgorithm destination_algorithm,
                       AlgorithmMember(call.input, "DestinationEncryptionAlgorithm"));
  GEE_ASSIGN_OR_RETURN(std::string blob, TakeCiphertextBlob(call));
  const EncryptionContext source_context = ContextFrom(call.input, "SourceEncryptionContext");
  LoadedKey from = LoadedKey::FromStore(*store, source);
  LoadedKey to = LoadedKey::FromStore(*store, resolved->second_key);
  GEE_ASSIGN_OR_RETURN(crypto::SecretBytes plaintext,
                       kms::Decrypt(from, source_algorithm, blob, source_context, "ReEncrypt"));
  GEE_ASSIGN_OR_RETURN(std::string new_blob,
                       kms::Encrypt(to, destination_algorithm, plaintext.AsStringView(),
                                    destination_context, env().random(), "ReEncrypt"));
  if (IsDryRun(call)) return errors::DryRun();
  Json out = {{"CiphertextBlob", Blob(new_blob)},
              {"SourceKeyId", source->arn},
              {"KeyId", destination.arn},
              {"SourceEncryptionAlgorithm", std::string(Name(source_algorithm))},
              {"DestinationEncryptionAlgorithm", std::string(Name(destination_algorithm))}};
  if (IsSymmetricEncryption(source->spec)) {
    GEE_ASSIGN_OR_RETURN(ParsedCiphertextBlob parsed, ParseCiphertextBlob(blob));
    GEE_ASSIGN_OR_RETURN(std::optional<std::string> id, from.MaterialId(parsed.key_version));
    if (id) out["SourceKeyMaterialId"] = *id;
  }
  if (IsSymmetricEncryption(destination.spec)) {
    out["DestinationKeyMaterialId"] = destination.current_material_id;
  }
  return out;
}

namespace {

struct DataKeyRequest {
  size_t bytes = 0;
  EncryptionContext context;
};

Result<DataKeyRequest> ReadDataKeyRequest(const Json& input) {
  DataKeyRequest r;
  const std::string* spec = StringMember(input, "KeySpec");
  std::optional<std::string_view> spec_view;
  if (spec != nullptr) spec_view = *spec;
  GEE_ASSIGN_OR_RETURN(r.bytes, ResolveDataKeyLength(spec_view, IntMember(input, "NumberOfBytes")));
  r.context = ContextFrom(input, "EncryptionContext");
  return r;
}

}  // namespace

Result<Json> KmsService::GenerateDataKey(Call& call) {
  GEE_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRecord> key, GetUsableKey(call));
  GEE_ASSIGN_OR_RETURN(KeyStore * store, Store());
  GEE_RETURN_IF_ERROR(RejectRecipient(call.input));
  GEE_ASSIGN_OR_RETURN(DataKeyRequest request, ReadDataKeyRequest(call.input));
  LoadedKey loaded = LoadedKey::FromStore(*store, key);
  GEE_ASSIGN_OR_RETURN(DataKey data_key,
                       kms::GenerateDataKey(loaded, request.bytes, request.context,
                                            env().random(), "GenerateDataKey"));
  if (IsDryRun(call)) return errors::DryRun();
  return JsonObject("CiphertextBlob", Blob(data_key.ciphertext_blob), "Plaintext",
                    Blob(data_key.plaintext.AsStringView()), "KeyId", key->arn, "KeyMaterialId",
                    key->current_material_id);
}

Result<Json> KmsService::GenerateDataKeyWithoutPlaintext(Call& call) {
  GEE_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRecord> key, GetUsableKey(call));
  GEE_ASSIGN_OR_RETURN(KeyStore * store, Store());
  GEE_ASSIGN_OR_RETURN(DataKeyRequest request, ReadDataKeyRequest(call.input));
  LoadedKey loaded = LoadedKey::FromStore(*store, key);
  GEE_ASSIGN_OR_RETURN(DataKey data_key,
                       kms::GenerateDataKey(loaded, request.bytes, request.context,
                                            env().random(), "GenerateDataKeyWithoutPlaintext"));
  if (IsDryRun(call)) return errors::DryRun();
  return JsonObject("CiphertextBlob", Blob(data_key.ciphertext_blob), "KeyId", key->arn,
                    "KeyMaterialId", key->current_material_id);
}

Result<Json> KmsService::GenerateDataKeyPair(Call& call) {
  GEE_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRecord> key, GetUsableKey(call));
  GEE_ASSIGN_OR_RETURN(KeyStore * store, Store());
  GEE_RETURN_IF_ERROR(RejectRecipient(call.input));
  GEE_ASSIGN_OR_RETURN(KeySpec pair_spec,
                       EnumMember<KeySpec>(call.input, "KeyPairSpec", &ParseKeySpec, std::nullopt));
  const EncryptionContext context = ContextFrom(call.input, "EncryptionContext");
  LoadedKey loaded = LoadedKey::FromStore(*store, key);
  GEE_ASSIGN_OR_RETURN(DataKeyPairResult pair,
                       kms::GenerateDataKeyPair(loaded, pair_spec, context, env().random(),
                                                "GenerateDataKeyPair"));
  if (IsDryRun(call)) return errors::DryRun();
  return Json{{"PrivateKeyCiphertextBlob", Blob(pair.private_key_ciphertext_blob)},
              {"PrivateKeyPlaintext", Blob(pair.private_key_plaintext.AsStringView())},
              {"PublicKey", Blob(pair.public_key)},
              {"KeyId", key->arn},
              {"KeyPairSpec", std::string(Name(pair_spec))},
              {"KeyMaterialId", key->current_material_id}};
}

Result<Json> KmsService::GenerateDataKeyPairWithoutPlaintext(Call& call) {
  GEE_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRecord> key, GetUsableKey(call));
  GEE_ASSIGN_OR_RETURN(KeyStore * store, Store());
  GEE_ASSIGN_OR_RETURN(KeySpec pair_spec,
                       EnumMember<KeySpec>(call.input, "KeyPairSpec", &ParseKeySpec, std::nullopt));
  const EncryptionContext context = ContextFrom(call.input, "EncryptionContext");
  LoadedKey loaded = LoadedKey::FromStore(*store, key);
  GEE_ASSIGN_OR_RETURN(DataKeyPairResult pair,
                       kms::GenerateDataKeyPair(loaded, pair_spec, context, env().random(),
                                                "GenerateDataKeyPairWithoutPlaintext"));
  if (IsDryRun(call)) return errors::DryRun();
  return Json{{"PrivateKeyCiphertextBlob", Blob(pair.private_key_ciphertext_blob)},
              {"PublicKey", Blob(pair.public_key)},
              {"KeyId", key->arn},
              {"KeyPairSpec", std::string(Name(pair_spec))},
              {"KeyMaterialId", key->current_material_id}};
}

Result<Json> KmsService::GenerateRandom(Call& call) {
  if (StringMember(call.input, "CustomKeyStoreId") != nullptr) {
    return errors::NotEmulated("Custom key stores");
  }
  GEE_RETURN_IF_ERROR(RejectRecipient(call.input));
  std::optional<int64_t> n = IntMember(call.input, "NumberOfBytes");
  if (!n) return errors::NumberOfBytesRequired();
  if (*n < 1) return errors::ValueTooSmall("numberOfBytes", *n, 1);
  if (*n > static_cast<int64_t>(kMaxDataKeyBytes)) {
    return errors::ValueTooLarge("numberOfBytes", *n, kMaxDataKeyBytes);
  }
  crypto::SecretBytes bytes = crypto::SecretBytes::FromRandom(static_cast<size_t>(*n), env().random());
  return Json{{"Plaintext", Blob(bytes.AsStringView())}};
}

Result<Json> KmsService::Sign(Call& call) {
  GEE_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRecord> key, GetUsableKey(call));
  GEE_ASSIGN_OR_RETURN(KeyStore * store, Store());
  GEE_ASSIGN_OR_RETURN(SigningAlgorithm algorithm,
                       EnumMember<SigningAlgorithm>(call.input, "SigningAlgorithm",
                                                    &ParseSigningAlgorithm, std::nullopt));
  GEE_ASSIGN_OR_RETURN(MessageType type, EnumMember<MessageType>(call.input, "MessageType",
                                                                 &ParseMessageType,
                                                                 MessageType::kRaw));
  GEE_ASSIGN_OR_RETURN(crypto::SecretBytes message, SecretBlobMember(call.input, "Message"));
  LoadedKey loaded = LoadedKey::FromStore(*store, key);
  GEE_ASSIGN_OR_RETURN(std::string signature,
                       kms::Sign(loaded, algorithm, type, message.AsStringView()));
  if (IsDryRun(call)) return errors::DryRun();
  return Json{{"KeyId", key->arn},
              {"Signature", Blob(signature)},
              {"SigningAlgorithm", std::string(Name(algorithm))}};
}

Result<Json> KmsService::Verify(Call& call) {
  GEE_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRecord> key, GetUsableKey(call));
  GEE_ASSIGN_OR_RETURN(KeyStore * store, Store());
  GEE_ASSIGN_OR_RETURN(SigningAlgorithm algorithm,
                       EnumMember<SigningAlgorithm>(call.input, "SigningAlgorithm",
                                                    &ParseSigningAlgorithm, std::nullopt));
  GEE_ASSIGN_OR_RETURN(MessageType type, EnumMember<MessageType>(call.input, "MessageType",
                                                                 &ParseMessageType,
                                                                 MessageType::kRaw));
  GEE_ASSIGN_OR_RETURN(crypto::SecretBytes message, SecretBlobMember(call.input, "Message"));
  GEE_ASSIGN_OR_RETURN(std::string signature, BlobMember(call.input, "Signature"));
  LoadedKey loaded = LoadedKey::FromStore(*store, key);
  GEE_RETURN_IF_ERROR(kms::Verify(loaded, algorithm, type, message.AsStringView(), signature));
  if (IsDryRun(call)) return errors::DryRun();
  return Json{{"KeyId", key->arn},
              {"SignatureValid", true},
              {"SigningAlgorithm", std::string(Name(algorithm))}};
}

Result<Json> KmsService::GetPublicKey(Call& call) {
  GEE_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRecord> key, GetUsableKey(call));
  GEE_ASSIGN_OR_RETURN(KeyStore * store, Store());
  LoadedKey loaded = LoadedKey::FromStore(*store, key);
  GEE_ASSIGN_OR_RETURN(std::string public_key, kms::GetPublicKey(loaded));
  Json out = {{"KeyId", key->arn},
              {"PublicKey", Blob(public_key)},
              {"CustomerMasterKeySpec", std::string(Name(key->spec))},
              {"KeySpec", std::string(Name(key->spec))},
              {"KeyUsage", std::string(Name(key->usage))}};
  auto names = [](const auto& list) {
    Json a = Json::array();
    for (auto v : list) a.push_back(std::string(Name(v)));
    return a;
  };
  if (auto l = EncryptionAlgorithms(key->spec, key->usage); !l.empty()) {
    out["EncryptionAlgorithms"] = names(l);
  }
  if (auto l = SigningAlgorithms(key->spec, key->usage); !l.empty()) {
    out["SigningAlgorithms"] = names(l);
  }
  if (auto l = KeyAgreementAlgorithms(key->spec, key->usage); !l.empty()) {
    out["KeyAgreementAlgorithms"] = names(l);
  }
  return out;
}

Result<Json> KmsService::GenerateMac(Call& call) {
  GEE_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRecord> key, GetUsableKey(call));
  GEE_ASSIGN_OR_RETURN(KeyStore * store, Store());
  GEE_ASSIGN_OR_RETURN(MacAlgorithm algorithm,
                       EnumMember<MacAlgorithm>(call.input, "MacAlgorithm", &ParseMacAlgorithm,
                                                std::nullopt));
  GEE_ASSIGN_OR_RETURN(crypto::SecretBytes message, SecretBlobMember(call.input, "Message"));
  LoadedKey loaded = LoadedKey::FromStore(*store, key);
  GEE_ASSIGN_OR_RETURN(std::string mac, kms::GenerateMac(loaded, algorithm, message.AsStringView()));
  if (IsDryRun(call)) return errors::DryRun();
  return Json{{"Mac", Blob(mac)},
              {"MacAlgorithm", std::string(Name(algorithm))},
              {"KeyId", key->arn}};
}

Result<Json> KmsService::VerifyMac(Call& call) {
  GEE_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRecord> key, GetUsableKey(call));
  GEE_ASSIGN_OR_RETURN(KeyStore * store, Store());
  GEE_ASSIGN_OR_RETURN(MacAlgorithm algorithm,
                       EnumMember<MacAlgorithm>(call.input, "MacAlgorithm", &ParseMacAlgorithm,
                                                std::nullopt));
  GEE_ASSIGN_OR_RETURN(crypto::SecretBytes message, SecretBlobMember(call.input, "Message"));
  GEE_ASSIGN_OR_RETURN(std::string mac, BlobMember(call.input, "Mac"));
  LoadedKey loaded = LoadedKey::FromStore(*store, key);
  GEE_RETURN_IF_ERROR(kms::VerifyMac(loaded, algorithm, message.AsStringView(), mac));
  if (IsDryRun(call)) return errors::DryRun();
  return Json{{"KeyId", key->arn},
              {"MacValid", true},
              {"MacAlgorithm", std::string(Name(algorithm))}};
}

Result<Json> KmsService::DeriveSharedSecret(Call& call) {
  GEE_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRecord> key, GetUsableKey(call));
  GEE_ASSIGN_OR_RETURN(KeyStore * store, Store());
  GEE_RETURN_IF_ERROR(RejectRecipient(call.input));
  GEE_ASSIGN_OR_RETURN(KeyAgreementAlgorithm algorithm,
                       EnumMember<KeyAgreementAlgorithm>(call.input, "KeyAgreementAlgorithm",
                                                         &ParseKeyAgreementAlgorithm,
                                                         std::nullopt));
  GEE_ASSIGN_OR_RETURN(std::string peer, BlobMember(call.input, "PublicKey"));
  LoadedKey loaded = LoadedKey::FromStore(*store, key);
  GEE_ASSIGN_OR_RETURN(crypto::SecretBytes secret, kms::DeriveSharedSecret(loaded, algorithm, peer));
  if (IsDryRun(call)) return errors::DryRun();
  return Json{{"KeyId", key->arn},
              {"SharedSecret", Blob(secret.AsStringView())},
              {"KeyAgreementAlgorithm", std::string(Name(algorithm))},
              {"KeyOrigin", std::string(Name(key->origin))}};
}

}  // namespace gee::kms
