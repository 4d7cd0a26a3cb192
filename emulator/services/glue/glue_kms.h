// The KMS operations Glue makes on a caller's behalf (catalog encryption,
// connection passwords), behind a narrow interface so GlueCrypto can be unit
// tested with a fake and the job/crawler runtime can reuse it.
//
// Every call is made with the context it is given: GlueCrypto passes the
// caller's context through ViaService(..., "glue.REGION.amazonaws.com",
// "glue.amazonaws.com"), so the KMS key policy sees the caller as principal
// and kms:ViaService = glue.REGION.amazonaws.com (what makes the aws/glue key
// policy work, spec §4.4). Errors are KMS's own AwsErrors, unchanged;
// GlueCrypto wraps them in GlueEncryptionException.
//
// Thread-safety: implementations are safe from any thread (the in-process KMS
// serialises on the store lock).
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "core/request_context.h"
#include "core/result.h"
#include "services/kms/kms_client.h"

namespace gee {
class Environment;
}

namespace gee::glue {

class GlueKms {
 public:
  virtual ~GlueKms() = default;
  // GenerateDataKey of 32 bytes under `key_id` with no encryption context.
  virtual Result<kms::GeneratedDataKey> GenerateDataKey(RequestContext& ctx,
                                                        std::string_view key_id) = 0;
  // Decrypt of a symmetric ciphertext blob (raw bytes) with no encryption context.
  virtual Result<kms::DecryptedData> Decrypt(RequestContext& ctx,
                                             std::string_view ciphertext_blob) = 0;
  // Encrypt with no encryption context; returns {raw ciphertext blob, key ARN}.
  virtual Result<std::pair<std::string, std::string>> Encrypt(RequestContext& ctx,
                                                              std::string_view key_id,
                                                              std::string_view plaintext) = 0;
};

// The real KMS of this emulator, called in process (kms/kms_client.h).
class InProcessGlueKms final : public GlueKms {
 public:
  explicit InProcessGlueKms(Environment& env) : client_(env) {}

  Result<kms::GeneratedDataKey> GenerateDataKey(RequestContext& ctx,
                                                std::string_view key_id) override;
  Result<kms::DecryptedData> Decrypt(RequestContext& ctx,
                                     std::string_view ciphertext_blob) override;
  Result<std::pair<std::string, std::string>> Encrypt(RequestContext& ctx,
                                                      std::string_view key_id,
                                                      std::string_view plaintext) override;

 private:
  kms::KmsClient client_;
};

}  // namespace gee::glue
