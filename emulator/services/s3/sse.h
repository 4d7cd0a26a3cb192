// Server-side encryption of S3 objects (spec §7): which encryption a write
// gets (request headers, else the bucket's default rule, else SSE-S3), and
// the data key that encrypts each object body.
//
// SSE-KMS: the data key comes from KMS GenerateDataKey made AS THE REQUESTER
// through S3 (kms:ViaService = s3.<bucket region>.amazonaws.com, aws:CalledVia
// s3.amazonaws.com) with the encryption context
//   {"aws:s3:arn": "arn:aws:s3:::BUCKET/KEY"}  (with a bucket key: the bucket ARN)
// merged with the caller's x-amz-server-side-encryption-context; the
// CiphertextBlob is stored beside the object and a read unwraps it with KMS
// Decrypt as the reader, with the same context. Every read and write calls
// KMS (no data-key caching, also with bucket keys), so a key policy change,
// a disabled key or a missing grant takes effect on the next request.
//
// SSE-S3: the data key is 32 random bytes sealed (crypto/aead.h) under an
// emulator-owned master key with AAD
//   "gee-s3-sse-s3-v1" || len32(bucket) bucket || len32(key) key || len32(upload id) upload id
// The master key (s3_sse_keys) is itself sealed under the root key; it is
// created on first use. No KMS call and no KMS permission is involved.
//
// Bucket default rule, stored as JSON in s3_buckets.encryption:
//   {"SSEAlgorithm": "AES256"|"aws:kms", "KMSMasterKeyID": "..." (optional),
//    "BucketKeyEnabled": true|false}
//
// Thread-safety: KeyManager may be used from any thread; it takes the store
// lock itself around its database accesses (and KMS calls take it too).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/request_context.h"
#include "core/result.h"
#include "crypto/secret_bytes.h"
#include "server/http_types.h"
#include "services/s3/object_store.h"

namespace gee {
class Environment;
}

namespace gee::s3 {

inline constexpr char kAes256[] = "AES256";
inline constexpr char kAwsKms[] = "aws:kms";
inline constexpr char kAwsManagedS3Key[] = "alias/aws/s3";

// The SSE headers of a write request, validated.
struct SseRequest {
  std::optional<std::string> algorithm;    // x-amz-server-side-encryption
  std::optional<std::string> kms_key_id;   // ...-aws-kms-key-id
  std::optional<std::string> context;      // ...-context (base64 JSON, as sent)
  std::map<std::string, std::string> context_map;
  std::optional<bool> bucket_key;          // ...-bucket-key-enabled
};

// Validates the SSE headers of PutObject, CopyObject and
// CreateMultipartUpload: the algorithm (AES256 | aws:kms; aws:kms:dsse and
// SSE-C answer 501), a key id or context only with aws:kms, the context a
// base64 JSON string map, the bucket-key flag true/false.
Result<SseRequest> ParseSseHeaders(const std::vector<server::HttpHeader>& headers);

// For operations that take no SSE headers (GetObject, HeadObject,
// UploadPart, ...): 400 InvalidArgument if one is present.
Status RejectSseHeaders(const std::vector<server::HttpHeader>& headers);

// A bucket's default-encryption rule.
struct BucketEncryption {
  std::string algorithm = kAes256;
  std::string kms_master_key_id;  // may be empty (aws:kms → aws/s3)
  bool bucket_key_enabled = false;
};
std::optional<BucketEncryption> ParseBucketEncryption(const std::optional<std::string>& stored);
std::string BucketEncryptionJson(const BucketEncryption& rule);

// The encryption an object will get.
struct SsePlan {
  std::string algorithm = kAes256;
  std::string kms_key_id;  // aws:kms: as named by the request or rule, or alias/aws/s3
  bool bucket_key = false;
  std::string context_header;
  std::map<std::string, std::string> user_context;
};
// Request headers win over the bucket rule; a request-level aws:kms without a
// key uses aws/s3 and inherits the rule's BucketKeyEnabled.
SsePlan PlanSse(const SseRequest& request, const std::optional<BucketEncryption>& rule);

// A fresh data key and how it is stored.
struct DataKey {
  crypto::SecretBytes key;
  StoredSse stored;
};

// "arn:aws:s3:::BUCKET" and "arn:aws:s3:::BUCKET/KEY".
std::string BucketArn(std::string_view bucket);
std::string ObjectArn(std::string_view bucket, std::string_view key);

class KeyManager {
 public:
  KeyManager(Environment& env, ObjectStore& store) : env_(env), store_(store) {}

  // A data key for object `key` of `bucket` (and `upload_id` for a multipart
  // upload) as `plan` says. SSE-KMS errors are S3's (errors::FromKms).
  Result<DataKey> NewDataKey(RequestContext& ctx, const SsePlan& plan, const BucketRecord& bucket,
                             std::string_view key, std::string_view upload_id);
  // The plaintext data key of a stored object or upload (KMS Decrypt as the
  // requester for SSE-KMS).
  Result<crypto::SecretBytes> OpenDataKey(RequestContext& ctx, const StoredSse& sse,
                                          const BucketRecord& bucket, std::string_view key,
                                          std::string_view upload_id);
  // What protects `sse`'s data key, for inspection: the KMS key ARN, or the
  // SSE-S3 master key's description.
  static std::string ProtectedBy(const StoredSse& sse);
  static std::string SchemeName(const StoredSse& sse);

 private:
  Result<std::pair<std::string, crypto::SecretBytes>> CurrentMasterKey();
  Result<crypto::SecretBytes> MasterKey(std::string_view id);

  Environment& env_;
  ObjectStore& store_;
};

}  // namespace gee::s3
