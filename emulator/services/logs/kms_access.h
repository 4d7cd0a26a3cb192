// How CloudWatch Logs reaches KMS: the two calls it makes, as an interface so
// unit tests can observe them (principal, encryption context, call count).
//
// Logs calls KMS as its service principal logs.REGION.amazonaws.com (the
// caller builds the context with AsServicePrincipal, core/request_context.h),
// so the key policy alone decides (spec §6.2). Errors are KMS's own
// AwsErrors; Logs maps every one of them to its AccessDeniedException
// (errors::KmsKeyNotUsable).
//
// Thread-safety: implementations are called under the store lock.
#pragma once

#include <memory>
#include <string_view>

#include "core/request_context.h"
#include "core/result.h"
#include "services/kms/kms_client.h"

namespace gee {
class Environment;
}

namespace gee::logs {

class KmsAccess {
 public:
  virtual ~KmsAccess() = default;
  // GenerateDataKey for a 32-byte AES-256 data key under `key_id`.
  virtual Result<kms::GeneratedDataKey> GenerateDataKey(
      RequestContext& ctx, std::string_view key_id, const kms::EncryptionContextMap& context) = 0;
  // Decrypt of a ciphertext blob made by GenerateDataKey under `key_id`.
  virtual Result<kms::DecryptedData> Decrypt(RequestContext& ctx,
                                             std::string_view ciphertext_blob,
                                             const kms::EncryptionContextMap& context,
                                             std::string_view key_id) = 0;
};

// The production KmsAccess: the in-process KMS API (kms::KmsClient), i.e. the
// real KMS operations through Service::Invoke with the key policy, grants and
// key state checks.
std::unique_ptr<KmsAccess> NewKmsClientAccess(Environment& env);

}  // namespace gee::logs
