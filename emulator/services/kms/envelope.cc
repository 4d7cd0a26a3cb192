#include "services/kms/envelope.h"

#include <utility>

#include "services/kms/errors.h"

namespace gee::kms {
namespace {

// The model's length constraint on a blob member (1..max bytes).
Status CheckLength(std::string_view member, std::string_view value, size_t max) {
  if (value.empty()) return errors::MemberTooShort(member, 1);
  if (value.size() > max) return errors::MemberTooLong(member, max);
  return OkStatus();
}

Status CheckUsage(const KeyRecord& record, KeyUsage required, std::string_view operation) {
  if (record.usage == required) return OkStatus();
  return errors::InvalidKeyUsage(record.arn, Name(record.usage), operation);
}

// Symmetric ENCRYPT_DECRYPT keys only (GenerateDataKey and friends).
Status CheckSymmetricEncryptionKey(const KeyRecord& record, std::string_view operation) {
  GEE_RETURN_IF_ERROR(CheckUsage(record, KeyUsage::kEncryptDecrypt, operation));
  if (!IsSymmetricEncryption(record.spec)) {
    return errors::InvalidKeySpecForOperation(record.arn, Name(record.spec), operation);
  }
  return OkStatus();
}

// DataKeyPairSpec in the model's order.
constexpr std::string_view kDataKeyPairSpecs =
    "[RSA_2048, RSA_3072, RSA_4096, ECC_NIST_P256, ECC_NIST_P384, ECC_NIST_P521, "
    "ECC_SECG_P256K1, SM2, ECC_NIST_EDWARDS25519]";

AwsError EnumValueError(std::string_view member, std::string_view value,
                        std::string_view allowed) {
  return AwsError("ValidationException",
                  "1 validation error detected: Value '" + std::string(value) + "' at '" +
                      std::string(member) +
                      "' failed to satisfy constraint: Member must satisfy enum value "
                      "set: " +
                      std::string(allowed),
                  400);
}

}  // namespace

LoadedKey LoadedKey::FromStore(KeyStore& store, KeyRecord record) {
  return LoadedKey(store, std::make_shared<const KeyRecord>(std::move(record)));
}

LoadedKey LoadedKey::FromStore(KeyStore& store, std::shared_ptr<const KeyRecord> record) {
  return LoadedKey(store, std::move(record));
}

Result<const MaterialEntry*> LoadedKey::Entry(uint32_t version) const {
  for (const auto& [v, entry] : used_) {
    if (v == version) return entry.get();
  }
  std::shared_ptr<const MaterialEntry> entry;
  if (store_ != nullptr) {
    GEE_ASSIGN_OR_RETURN(entry, store_->FindMaterial(record_->key_id, version));
  } else if (loader_) {
    GEE_ASSIGN_OR_RETURN(std::unique_ptr<KeyMaterial> material, loader_(version));
    if (material != nullptr) {
      entry = std::make_shared<const MaterialEntry>(MaterialEntry{std::move(material), ""});
    }
  } else {
    return errors::Internal("LoadedKey without a material loader");
  }
  if (entry == nullptr) return static_cast<const MaterialEntry*>(nullptr);
  if (entry->material->spec() != record_->spec) {
    return errors::Internal("key material spec differs from the key's");
  }
  used_.emplace_back(version, entry);
  return entry.get();
}

Result<const KeyMaterial*> LoadedKey::Material(uint32_t version) const {
  GEE_ASSIGN_OR_RETURN(const MaterialEntry* entry, Entry(version));
  if (entry == nullptr) return static_cast<const KeyMaterial*>(nullptr);
  return entry->material.get();
}

Result<const KeyMaterial*> LoadedKey::CurrentMaterial() const {
  GEE_ASSIGN_OR_RETURN(const KeyMaterial* material, Material(record_->current_version));
  if (material == nullptr) return errors::Internal("key has no current material");
  return material;
}

Result<std::optional<std::string>> LoadedKey::MaterialId(uint32_t version) const {
  GEE_ASSIGN_OR_RETURN(const MaterialEntry* entry, Entry(version));
  if (entry == nullptr) return std::optional<std::string>();
  return std::optional<std::string>(entry->material_id);
}

Result<std::string> EncryptSymmetric(const LoadedKey& key, std::string_view plaintext,
                                     const EncryptionContext& context, Random& random) {
  const KeyRecord& record = key.record();
  if (!IsSymmetricEncryption(record.spec)) {
    return errors::Internal("EncryptSymmetric with a non-symmetric key");
  }
  GEE_ASSIGN_OR_RETURN(const KeyMaterial* material, key.CurrentMaterial());
  return SealCiphertextBlob(material->serialized(), record.key_id, record.current_version,
                            plaintext, context, random);
}

Result<crypto::SecretBytes> DecryptSymmetric(const LoadedKey& key, std::string_view blob,
                                             const EncryptionContext& context) {
  GEE_ASSIGN_OR_RETURN(ParsedCiphertextBlob parsed, ParseCiphertextBlob(blob));
  const KeyRecord& record = key.record();
  if (parsed.key_id != record.key_id) return errors::IncorrectKey();
  if (!IsSymmetricEncryption(record.spec)) return errors::IncorrectKey();
  GEE_ASSIGN_OR_RETURN(const KeyMaterial* material, key.Material(parsed.key_version));
  if (material == nullptr) return errors::InvalidCiphertext();
  return OpenCiphertextBlob(material->serialized(), parsed, context);
}

Result<std::string> Encrypt(const LoadedKey& key, EncryptionAlgorithm algorithm,
                            std::string_view plaintext, const EncryptionContext& context,
                            Random& random, std::string_view operation) {
  const KeyRecord& record = key.record();
  GEE_RETURN_IF_ERROR(CheckLength("plaintext", plaintext, kMaxPlaintextSize));
  GEE_RETURN_IF_ERROR(CheckUsage(record, KeyUsage::kEncryptDecrypt, operation));
  GEE_RETURN_IF_ERROR(CheckEncryptionAlgorithm(record.spec, algorithm));
  if (IsSymmetricEncryption(record.spec)) {
    return EncryptSymmetric(key, plaintext, context, random);
  }
  if (!context.empty()) return errors::EncryptionContextNotSupported(Name(record.spec));
  GEE_RETURN_IF_ERROR(CheckRsaOaepPlaintextSize(record.spec, algorithm, plaintext.size()));
  GEE_ASSIGN_OR_RETURN(const KeyMaterial* material, key.CurrentMaterial());
  return material->RsaEncrypt(algorithm, plaintext);
}

Result<crypto::SecretBytes> Decrypt(const LoadedKey& key, EncryptionAlgorithm algorithm,
                                    std::string_view ciphertext,
                                    const EncryptionContext& context,
                                    std::string_view operation) {
  const KeyRecord& record = key.record();
  GEE_RETURN_IF_ERROR(CheckLength("ciphertextBlob", ciphertext, kMaxCiphertextBlobSize));
  GEE_RETURN_IF_ERROR(CheckUsage(record, KeyUsage::kEncryptDecrypt, operation));
  GEE_RETURN_IF_ERROR(CheckEncryptionAlgorithm(record.spec, algorithm));
  if (IsSymmetricEncryption(record.spec)) return DecryptSymmetric(key, ciphertext, context);
  if (!context.empty()) return errors::EncryptionContextNotSupported(Name(record.spec));
  GEE_ASSIGN_OR_RETURN(const KeyMaterial* material, key.CurrentMaterial());
  return material->RsaDecrypt(algorithm, ciphertext);
}

Result<size_t> ResolveDataKeyLength(std::optional<std::string_view> key_spec,
                                    std::optional<int64_t> number_of_bytes) {
  if (key_spec.has_value() == number_of_bytes.has_value()) {
    return errors::DataKeyLengthAmbiguous();
  }
  if (key_spec) {
    if (*key_spec == "AES_256") return size_t{32};
    if (*key_spec == "AES_128") return size_t{16};
    return EnumValueError("keySpec", *key_spec, "[AES_256, AES_128]");
  }
  if (*number_of_bytes < 1) return errors::ValueTooSmall("numberOfBytes", *number_of_bytes, 1);
  if (*number_of_bytes > static_cast<int64_t>(kMaxDataKeyBytes)) {
    return errors::ValueTooLarge("numberOfBytes", *number_of_bytes, kMaxDataKeyBytes);
  }
  return static_cast<size_t>(*number_of_bytes);
}

Result<DataKey> GenerateDataKey(const LoadedKey& key, size_t number_of_bytes,
                                const EncryptionContext& context, Random& random,
                                std::string_view operation) {
  GEE_RETURN_IF_ERROR(CheckSymmetricEncryptionKey(key.record(), operation));
  if (number_of_bytes < 1) {
    return errors::ValueTooSmall("numberOfBytes", static_cast<long long>(number_of_bytes), 1);
  }
  if (number_of_bytes > kMaxDataKeyBytes) {
    return errors::ValueTooLarge("numberOfBytes", static_cast<long long>(number_of_bytes),
                                 kMaxDataKeyBytes);
  }
  DataKey data_key;
  data_key.plaintext = crypto::SecretBytes::FromRandom(number_of_bytes, random);
  GEE_ASSIGN_OR_RETURN(data_key.ciphertext_blob,
                       EncryptSymmetric(key, data_key.plaintext.AsStringView(), context,
                                        random));
  return data_key;
}

Result<DataKeyPairResult> GenerateDataKeyPair(const LoadedKey& key, KeySpec pair_spec,
                                              const EncryptionContext& context,
                                              Random& random, std::string_view operation) {
  if (!IsAsymmetric(pair_spec) || pair_spec == KeySpec::kMlDsa44 ||
      pair_spec == KeySpec::kMlDsa65 || pair_spec == KeySpec::kMlDsa87) {
    return EnumValueError("keyPairSpec", Name(pair_spec), kDataKeyPairSpecs);
  }
  GEE_RETURN_IF_ERROR(CheckSymmetricEncryptionKey(key.record(), operation));
  GEE_ASSIGN_OR_RETURN(DataKeyPair pair, GenerateDataKeyPairMaterial(pair_spec));
  DataKeyPairResult result;
  GEE_ASSIGN_OR_RETURN(result.private_key_ciphertext_blob,
                       EncryptSymmetric(key, pair.private_key_der.AsStringView(), context,
                                        random));
  result.private_key_plaintext = std::move(pair.private_key_der);
  result.public_key = std::move(pair.public_key_der);
  return result;
}

Result<std::string> GetPublicKey(const LoadedKey& key) {
  const KeyRecord& record = key.record();
  if (!IsAsymmetric(record.spec)) return errors::NoPublicKey(record.arn, Name(record.spec));
  GEE_ASSIGN_OR_RETURN(const KeyMaterial* material, key.CurrentMaterial());
  return material->PublicKeyDer();
}

Result<std::string> Sign(const LoadedKey& key, SigningAlgorithm algorithm, MessageType type,
                         std::string_view message) {
  const KeyRecord& record = key.record();
  GEE_RETURN_IF_ERROR(CheckLength("message", message, kMaxMessageSize));
  GEE_RETURN_IF_ERROR(CheckUsage(record, KeyUsage::kSignVerify, "Sign"));
  GEE_RETURN_IF_ERROR(CheckSigningAlgorithm(record.spec, algorithm));
  GEE_ASSIGN_OR_RETURN(const KeyMaterial* material, key.CurrentMaterial());
  return material->Sign(algorithm, type, message);
}

Status Verify(const LoadedKey& key, SigningAlgorithm algorithm, MessageType type,
              std::string_view message, std::string_view signature) {
  const KeyRecord& record = key.record();
  GEE_RETURN_IF_ERROR(CheckLength("message", message, kMaxMessageSize));
  GEE_RETURN_IF_ERROR(CheckLength("signature", signature, kMaxCiphertextBlobSize));
  GEE_RETURN_IF_ERROR(CheckUsage(record, KeyUsage::kSignVerify, "Verify"));
  GEE_RETURN_IF_ERROR(CheckSigningAlgorithm(record.spec, algorithm));
  GEE_ASSIGN_OR_RETURN(const KeyMaterial* material, key.CurrentMaterial());
  GEE_ASSIGN_OR_RETURN(bool valid, material->Verify(algorithm, type, message, signature));
  if (!valid) return errors::InvalidSignature();
  return OkStatus();
}

Result<std::string> GenerateMac(const LoadedKey& key, MacAlgorithm algorithm,
                                std::string_view message) {
  const KeyRecord& record = key.record();
  GEE_RETURN_IF_ERROR(CheckLength("message", message, kMaxMessageSize));
  GEE_RETURN_IF_ERROR(CheckUsage(record, KeyUsage::kGenerateVerifyMac, "GenerateMac"));
  GEE_RETURN_IF_ERROR(CheckMacAlgorithm(record.spec, algorithm));
  GEE_ASSIGN_OR_RETURN(const KeyMaterial* material, key.CurrentMaterial());
  return material->ComputeMac(algorithm, message);
}

Status VerifyMac(const LoadedKey& key, MacAlgorithm algorithm, std::string_view message,
                 std::string_view mac) {
  const KeyRecord& record = key.record();
  GEE_RETURN_IF_ERROR(CheckLength("message", message, kMaxMessageSize));
  GEE_RETURN_IF_ERROR(CheckLength("mac", mac, 64));
  GEE_RETURN_IF_ERROR(CheckUsage(record, KeyUsage::kGenerateVerifyMac, "VerifyMac"));
  GEE_RETURN_IF_ERROR(CheckMacAlgorithm(record.spec, algorithm));
  GEE_ASSIGN_OR_RETURN(const KeyMaterial* material, key.CurrentMaterial());
  GEE_ASSIGN_OR_RETURN(bool valid, material->VerifyMac(algorithm, message, mac));
  if (!valid) return errors::InvalidMac();
  return OkStatus();
}

Result<crypto::SecretBytes> DeriveSharedSecret(const LoadedKey& key,
                                               KeyAgreementAlgorithm algorithm,
                                               std::string_view peer_public_key_der) {
  const KeyRecord& record = key.record();
  GEE_RETURN_IF_ERROR(CheckLength("publicKey", peer_public_key_der, 8192));
  GEE_RETURN_IF_ERROR(CheckUsage(record, KeyUsage::kKeyAgreement, "DeriveSharedSecret"));
  if (algorithm != KeyAgreementAlgorithm::kEcdh || !IsNistEcc(record.spec)) {
    return errors::IncompatibleAlgorithm(Name(algorithm), Name(record.spec));
  }
  GEE_ASSIGN_OR_RETURN(const KeyMaterial* material, key.CurrentMaterial());
  return material->DeriveSharedSecret(peer_public_key_der);
}

}  // namespace gee::kms
