#include "services/logs/kms_access.h"

#include "core/environment.h"

namespace gee::logs {

namespace {

class KmsClientAccess final : public KmsAccess {
 public:
  explicit KmsClientAccess(Environment& env) : client_(env) {}

  Result<kms::GeneratedDataKey> GenerateDataKey(
      RequestContext& ctx, std::string_view key_id,
      const kms::EncryptionContextMap& context) override {
    return client_.GenerateDataKey(ctx, key_id, context, 32);
  }

  Result<kms::DecryptedData> Decrypt(RequestContext& ctx, std::string_view ciphertext_blob,
                                     const kms::EncryptionContextMap& context,
                                     std::string_view key_id) override {
    return client_.Decrypt(ctx, ciphertext_blob, context, key_id);
  }

 private:
  kms::KmsClient client_;
};

}  // namespace

std::unique_ptr<KmsAccess> NewKmsClientAccess(Environment& env) {
  return std::make_unique<KmsClientAccess>(env);
}

}  // namespace gee::logs
