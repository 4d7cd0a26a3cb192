#include "services/glue/glue_kms.h"

namespace gee::glue {

Result<kms::GeneratedDataKey> InProcessGlueKms::GenerateDataKey(RequestContext& ctx,
                                                                std::string_view key_id) {
  return client_.GenerateDataKey(ctx, key_id, kms::EncryptionContextMap{}, 32);
}

Result<kms::DecryptedData> InProcessGlueKms::Decrypt(RequestContext& ctx,
                                                     std::string_view ciphertext_blob) {
  return client_.Decrypt(ctx, ciphertext_blob, kms::EncryptionContextMap{});
}

Result<std::pair<std::string, std::string>> InProcessGlueKms::Encrypt(RequestContext& ctx,
                                                                      std::string_view key_id,
                                                                      std::string_view plaintext) {
  return client_.Encrypt(ctx, key_id, plaintext, kms::EncryptionContextMap{});
}

}  // namespace gee::glue
