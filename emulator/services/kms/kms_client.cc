#include "services/kms/kms_client.h"

#include <nlohmann/json.hpp>

#include "core/environment.h"
#include "crypto/encoding.h"
#include "services/kms/errors.h"
#include "services/service.h"

namespace gee::kms {
namespace {

// Runs `operation` on the registered KMS service with a copy of the
// caller's context (Invoke records the service and operation in it).
Result<Json> InvokeKms(Environment& env, const RequestContext& ctx, std::string_view operation,
                       const Json& input) {
  Service* kms = env.FindService("kms");
  if (kms == nullptr) return errors::Internal("in-process KMS call without a KMS service");
  RequestContext call = ctx;
  return kms->Invoke(call, operation, input);
}

Json WithContext(Json input, const EncryptionContextMap& context) {
  if (!context.empty()) input["EncryptionContext"] = context;
  return input;
}

Result<std::string> DecodeBlob(const Json& out, const char* member) {
  auto it = out.find(member);
  if (it == out.end() || !it->is_string()) {
    return errors::Internal(std::string("KMS answer without ") + member);
  }
  return crypto::Base64Decode(it->get<std::string>());
}

Result<crypto::SecretBytes> DecodeSecret(const Json& out, const char* member) {
  auto it = out.find(member);
  if (it == out.end() || !it->is_string()) {
    return errors::Internal(std::string("KMS answer without ") + member);
  }
  return crypto::Base64DecodeSecret(it->get<std::string>());
}

}  // namespace

Result<GeneratedDataKey> KmsClient::GenerateDataKey(RequestContext& ctx, std::string_view key_id,
                                                    const EncryptionContextMap& context,
                                                    size_t bytes) {
  Json input = WithContext(Json{{"KeyId", std::string(key_id)},
                                {"NumberOfBytes", static_cast<int64_t>(bytes)}},
                           context);
  GEE_ASSIGN_OR_RETURN(Json out, InvokeKms(env_, ctx, "GenerateDataKey", input));
  GeneratedDataKey key;
  key.key_arn = out.value("KeyId", "");
  GEE_ASSIGN_OR_RETURN(key.plaintext, DecodeSecret(out, "Plaintext"));
  GEE_ASSIGN_OR_RETURN(key.ciphertext_blob, DecodeBlob(out, "CiphertextBlob"));
  return key;
}

Result<DecryptedData> KmsClient::Decrypt(RequestContext& ctx, std::string_view ciphertext_blob,
                                         const EncryptionContextMap& context,
                                         std::string_view key_id) {
  Json input = WithContext(Json{{"CiphertextBlob", crypto::Base64Encode(ciphertext_blob)}}, context);
  if (!key_id.empty()) input["KeyId"] = std::string(key_id);
  GEE_ASSIGN_OR_RETURN(Json out, InvokeKms(env_, ctx, "Decrypt", input));
  DecryptedData data;
  data.key_arn = out.value("KeyId", "");
  GEE_ASSIGN_OR_RETURN(data.plaintext, DecodeSecret(out, "Plaintext"));
  return data;
}

Result<std::pair<std::string, std::string>> KmsClient::Encrypt(RequestContext& ctx,
                                                               std::string_view key_id,
                                                               std::string_view plaintext,
                                                               const EncryptionContextMap& context) {
  Json input = WithContext(Json{{"KeyId", std::string(key_id)},
                                {"Plaintext", crypto::Base64Encode(plaintext)}},
                           context);
  GEE_ASSIGN_OR_RETURN(Json out, InvokeKms(env_, ctx, "Encrypt", input));
  GEE_ASSIGN_OR_RETURN(std::string blob, DecodeBlob(out, "CiphertextBlob"));
  return std::make_pair(std::move(blob), out.value("KeyId", ""));
}

Result<KeyDescription> KmsClient::DescribeKey(RequestContext& ctx, std::string_view key_id) {
  GEE_ASSIGN_OR_RETURN(Json out, InvokeKms(env_, ctx, "DescribeKey",
                                           Json{{"KeyId", std::string(key_id)}}));
  const Json& m = out.contains("KeyMetadata") ? out["KeyMetadata"] : out;
  KeyDescription d;
  d.key_id = m.value("KeyId", "");
  d.arn = m.value("Arn", "");
  d.key_spec = m.value("KeySpec", "");
  d.key_usage = m.value("KeyUsage", "");
  d.key_state = m.value("KeyState", "");
  d.key_manager = m.value("KeyManager", "");
  return d;
}

}  // namespace gee::kms
