// The in-process KMS API other services use (S3 SSE-KMS, CloudWatch Logs,
// the Glue catalog, connection passwords and job bookmarks).
//
// Every call runs the real KMS operation through Service::Invoke — model
// validation, the key's state gate, authorization by the key policy, IAM
// policies and grants — as `ctx.principal`, with `ctx.via_service`
// (kms:ViaService), `ctx.source_arn` and the encryption context exactly as the
// calling service passes them. Build `ctx` with ViaService(...) (a service
// acting with the caller's identity) or AsServicePrincipal(...) (a service
// acting as itself, e.g. logs.REGION.amazonaws.com); see core/request_context.h.
//
// Errors are KMS's own AwsErrors (AccessDeniedException, DisabledException,
// KMSInvalidStateException, NotFoundException, InvalidKeyUsageException,
// InvalidCiphertextException, ...); the caller maps them to its protocol
// (S3: `KMS.<code>` or 403 AccessDenied; Glue: GlueEncryptionException).
//
// Thread-safety: safe from any thread (Invoke serialises on the store lock).
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include "core/request_context.h"
#include "core/result.h"
#include "crypto/secret_bytes.h"

namespace gee {
class Environment;
}

namespace gee::kms {

using EncryptionContextMap = std::map<std::string, std::string>;

struct GeneratedDataKey {
  // ARN of the key that encrypted the data key.
  std::string key_arn;
  crypto::SecretBytes plaintext;
  // The KMS ciphertext blob (raw bytes, not base64) of the data key.
  std::string ciphertext_blob;
};

struct DecryptedData {
  std::string key_arn;
  crypto::SecretBytes plaintext;
};

struct KeyDescription {
  std::string key_id;
  std::string arn;
  std::string key_spec;   // "SYMMETRIC_DEFAULT", ...
  std::string key_usage;  // "ENCRYPT_DECRYPT", ...
  std::string key_state;  // "Enabled", "Disabled", "PendingDeletion", ...
  std::string key_manager;  // "CUSTOMER" or "AWS"
};

class KmsClient {
 public:
  explicit KmsClient(Environment& env) : env_(env) {}

  // GenerateDataKey with NumberOfBytes = `bytes` (32 for AES-256).
  // `key_id` may be a key id, key ARN, alias name or alias ARN
  // ("alias/aws/s3" creates the AWS managed key on first use).
  Result<GeneratedDataKey> GenerateDataKey(RequestContext& ctx, std::string_view key_id,
                                           const EncryptionContextMap& context,
                                           size_t bytes = 32);
  // Decrypt of a symmetric ciphertext blob (raw bytes); `key_id` optional.
  Result<DecryptedData> Decrypt(RequestContext& ctx, std::string_view ciphertext_blob,
                                const EncryptionContextMap& context,
                                std::string_view key_id = {});
  // Encrypt; returns the raw ciphertext blob and the key ARN.
  Result<std::pair<std::string, std::string>> Encrypt(RequestContext& ctx,
                                                      std::string_view key_id,
                                                      std::string_view plaintext,
                                                      const EncryptionContextMap& context);
  // DescribeKey (needs kms:DescribeKey for the caller).
  Result<KeyDescription> DescribeKey(RequestContext& ctx, std::string_view key_id);

 private:
  Environment& env_;
};

}  // namespace gee::kms
