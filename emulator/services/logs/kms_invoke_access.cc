// TEMPORARY (until the in-process KMS API, kms::KmsClient, lands on main):
// a KmsAccess that invokes the KMS operations directly through
// Service::Invoke — the same single request path KmsClient uses. Removed in
// favour of NewKmsClientAccess when the KMS API is merged.
#include "core/environment.h"
#include "crypto/encoding.h"
#include "services/logs/kms_access.h"
#include "services/service.h"

namespace gee::logs {

namespace {

class InvokeKmsAccess final : public KmsAccess {
 public:
  explicit InvokeKmsAccess(Environment& env) : env_(env) {}

  Result<kms::GeneratedDataKey> GenerateDataKey(
      RequestContext& ctx, std::string_view key_id,
      const kms::EncryptionContextMap& context) override {
    GEE_ASSIGN_OR_RETURN(Service * kms, Kms());
    Json input = {{"KeyId", key_id}, {"NumberOfBytes", 32}};
    if (!context.empty()) input["EncryptionContext"] = context;
    GEE_ASSIGN_OR_RETURN(Json out, kms->Invoke(ctx, "GenerateDataKey", input));
    kms::GeneratedDataKey key;
    key.key_arn = out.value("KeyId", "");
    GEE_ASSIGN_OR_RETURN(key.plaintext, crypto::Base64DecodeSecret(out.value("Plaintext", "")));
    GEE_ASSIGN_OR_RETURN(key.ciphertext_blob,
                         crypto::Base64Decode(out.value("CiphertextBlob", "")));
    return key;
  }

  Result<kms::DecryptedData> Decrypt(RequestContext& ctx, std::string_view ciphertext_blob,
                                     const kms::EncryptionContextMap& context,
                                     std::string_view key_id) override {
    GEE_ASSIGN_OR_RETURN(Service * kms, Kms());
    Json input = {{"CiphertextBlob", crypto::Base64Encode(ciphertext_blob)}};
    if (!key_id.empty()) input["KeyId"] = key_id;
    if (!context.empty()) input["EncryptionContext"] = context;
    GEE_ASSIGN_OR_RETURN(Json out, kms->Invoke(ctx, "Decrypt", input));
    kms::DecryptedData data;
    data.key_arn = out.value("KeyId", "");
    GEE_ASSIGN_OR_RETURN(data.plaintext, crypto::Base64DecodeSecret(out.value("Plaintext", "")));
    return data;
  }

 private:
  Result<Service*> Kms() {
    Service* kms = env_.FindService("kms");
    if (kms == nullptr) {
      return AwsError("KMSInternalException", "the KMS service is not running", 500);
    }
    return kms;
  }

  Environment& env_;
};

}  // namespace

std::unique_ptr<KmsAccess> NewInvokeKmsAccess(Environment& env) {
  return std::make_unique<InvokeKmsAccess>(env);
}

}  // namespace gee::logs
