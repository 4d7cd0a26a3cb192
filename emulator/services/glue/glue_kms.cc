#include "services/glue/glue_kms.h"

#include <nlohmann/json.hpp>

#include "core/environment.h"
#include "crypto/encoding.h"
#include "services/service.h"

namespace gee::glue {

namespace {

// The in-process KMS operation path (Service::Invoke: validation, key state,
// key policy + IAM + grants). Used until kms::KmsClient is available on this
// branch; the behaviour is the same (KmsClient is a typed wrapper of Invoke).
Result<Json> CallKms(Environment& env, RequestContext& ctx, std::string_view operation,
                     const Json& input) {
  Service* kms = env.FindService("kms");
  if (kms == nullptr) {
    return AwsError("InternalFailure", "the KMS service is not available in this emulator", 500);
  }
  return kms->Invoke(ctx, operation, input);
}

Result<std::string> DecodeMember(const Json& out, const char* member) {
  auto it = out.find(member);
  if (it == out.end() || !it->is_string()) {
    return AwsError("InternalFailure", std::string("KMS reply without ") + member, 500);
  }
  return crypto::Base64Decode(it->get<std::string>());
}

std::string KeyArnOf(const Json& out) {
  auto it = out.find("KeyId");
  return it != out.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

Result<kms::GeneratedDataKey> InProcessGlueKms::GenerateDataKey(RequestContext& ctx,
                                                                std::string_view key_id) {
  GEE_ASSIGN_OR_RETURN(Json out, CallKms(env_, ctx, "GenerateDataKey",
                                         Json{{"KeyId", key_id}, {"NumberOfBytes", 32}}));
  auto plaintext_it = out.find("Plaintext");
  if (plaintext_it == out.end() || !plaintext_it->is_string()) {
    return AwsError("InternalFailure", "KMS reply without Plaintext", 500);
  }
  kms::GeneratedDataKey key;
  GEE_ASSIGN_OR_RETURN(key.plaintext, crypto::Base64DecodeSecret(plaintext_it->get<std::string>()));
  GEE_ASSIGN_OR_RETURN(key.ciphertext_blob, DecodeMember(out, "CiphertextBlob"));
  key.key_arn = KeyArnOf(out);
  return key;
}

Result<kms::DecryptedData> InProcessGlueKms::Decrypt(RequestContext& ctx,
                                                     std::string_view ciphertext_blob) {
  GEE_ASSIGN_OR_RETURN(Json out,
                       CallKms(env_, ctx, "Decrypt",
                               Json{{"CiphertextBlob", crypto::Base64Encode(ciphertext_blob)}}));
  auto plaintext_it = out.find("Plaintext");
  if (plaintext_it == out.end() || !plaintext_it->is_string()) {
    return AwsError("InternalFailure", "KMS reply without Plaintext", 500);
  }
  kms::DecryptedData data;
  GEE_ASSIGN_OR_RETURN(data.plaintext,
                       crypto::Base64DecodeSecret(plaintext_it->get<std::string>()));
  data.key_arn = KeyArnOf(out);
  return data;
}

Result<std::pair<std::string, std::string>> InProcessGlueKms::Encrypt(RequestContext& ctx,
                                                                      std::string_view key_id,
                                                                      std::string_view plaintext) {
  GEE_ASSIGN_OR_RETURN(Json out, CallKms(env_, ctx, "Encrypt",
                                         Json{{"KeyId", key_id},
                                              {"Plaintext", crypto::Base64Encode(plaintext)}}));
  GEE_ASSIGN_OR_RETURN(std::string blob, DecodeMember(out, "CiphertextBlob"));
  return std::make_pair(std::move(blob), KeyArnOf(out));
}

}  // namespace gee::glue
