// Internals shared by the S3 service's translation units: the per-request
// state (S3Call), the request-body pipeline (BodyReceiver, BodyChecks) and
// response helpers. Not used outside emulator/services/s3/.
//
// Thread-safety: one S3Call and its pipeline belong to one exchange, used by
// one thread at a time.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/aws_chunked.h"
#include "core/environment.h"
#include "core/request_context.h"
#include "crypto/hash.h"
#include "server/http_types.h"
#include "services/s3/body_io.h"
#include "services/s3/checksums.h"
#include "services/s3/object_store.h"
#include "services/s3/s3_request.h"
#include "services/s3/sse.h"

namespace gee::s3 {

inline constexpr uint64_t kMinPartSize = 5ull * 1024 * 1024;
inline constexpr int kMaxPartNumber = 10000;
inline constexpr size_t kMaxKeyLength = 1024;

// Digests of a request body and what the request said they must be:
// Content-MD5, one x-amz-checksum-* value (header or aws-chunked trailer).
class BodyChecks {
 public:
  // Validates the formats up front (InvalidDigest, InvalidRequest).
  static Result<BodyChecks> FromHeaders(const server::HttpRequest& head);
  BodyChecks(BodyChecks&&) noexcept = default;
  BodyChecks& operator=(BodyChecks&&) noexcept = default;

  Status Update(std::string_view data);
  // Compares what was received with what was announced. `trailers` are the
  // aws-chunked trailers (may be null).
  Status Finish(const std::vector<sigv4::HeaderField>* trailers);

  const Md5Digest& md5() const { return md5_digest_; }
  uint64_t bytes() const { return bytes_; }
  // Set when the request named a checksum algorithm; the computed value
  // after Finish.
  std::optional<ChecksumKind> checksum_kind() const { return kind_; }
  const std::string& checksum_value() const { return checksum_value_; }
  bool has_content_md5() const { return content_md5_.has_value(); }
  bool has_checksum_value() const { return expected_.has_value() || from_trailer_; }

 private:
  BodyChecks(Md5 md5) : md5_(std::move(md5)) {}
  Md5 md5_;
  Md5Digest md5_digest_{};
  std::optional<std::string> content_md5_;  // base64 as sent
  std::optional<ChecksumKind> kind_;
  std::optional<Checksum> checksum_;
  std::optional<std::string> expected_;  // header value
  bool from_trailer_ = false;
  std::string checksum_value_;
  uint64_t bytes_ = 0;
};

struct S3Call;

// Raw request bytes → (SHA-256 check) → (aws-chunked decoding) → BodyChecks →
// the consumer. Holds at most one chunk line of state.
class BodyReceiver {
 public:
  using Sink = std::function<Status(std::string_view)>;
  static Result<std::unique_ptr<BodyReceiver>> Create(const S3Call& call, Environment& env,
                                                      Sink sink);
  Status Feed(std::string_view raw);
  Status Finish();
  BodyChecks& checks() { return checks_; }

 private:
  BodyReceiver(BodyChecks checks, Sink sink) : checks_(std::move(checks)), sink_(std::move(sink)) {}
  Status Deliver(std::string_view decoded);

  BodyChecks checks_;
  Sink sink_;
  std::optional<crypto::Hasher> sha256_;
  std::string expected_sha256_;
  std::optional<sigv4::ParsedAuth> auth_;  // for ContentSha256Mismatch
  std::unique_ptr<sigv4::AwsChunkedDecoder> chunked_;
  std::string scratch_;
};

// The upload body of PutObject / UploadPart.
struct UploadState {
  StoredSse sse;
  std::unique_ptr<BlobWriter> writer;
  std::string metadata;                // PutObject
  std::optional<UploadRecord> upload;  // UploadPart
  int part_number = 0;
};

struct S3Call {
  RequestContext ctx;
  std::vector<std::string> decisions;
  server::HttpRequest head;  // method, target, headers; body empty
  std::string payload_hash;
  Address address;
  S3Query query;
  S3Op op = S3Op::kListBuckets;
  std::optional<BucketRecord> bucket;
  std::string body;  // buffered operations: the decoded body
  std::unique_ptr<BodyReceiver> receiver;
  std::unique_ptr<UploadState> upload;
  int64_t start_micros = 0;

  std::string_view Header(std::string_view name) const { return head.Header(name); }
  bool Has(std::string_view name) const { return head.Has(name); }
  bool is_anonymous() const { return ctx.principal.type == PrincipalType::kAnonymous; }
};

// ACL headers on object writes: only "private" and
// "bucket-owner-full-control" are accepted (buckets enforce bucket-owner
// ownership); anything else is AccessControlListNotSupported.
Status CheckObjectAcl(const S3Call& call);

// ---- responses ----
server::HttpResponse XmlResponse(int status, std::string xml);
server::HttpResponse EmptyResponse(int status);
// x-amz-server-side-encryption, -aws-kms-key-id, -bucket-key-enabled (only
// when true) and, when `with_context`, -context.
void AddSseHeaders(server::HttpResponse& response, const StoredSse& sse, bool with_context);
std::string Quote(std::string_view etag);
// Strips surrounding quotes (ETags in request bodies and headers).
std::string Unquote(std::string_view etag);
std::string HttpDate(int64_t micros);
std::string IsoTime(int64_t micros);
// The 64-hex-digit canonical user id S3 shows as Owner/ID for `account`.
std::string CanonicalUserId(std::string_view account);
// URL-encodes `s` for encoding-type=url listings ('/' kept).
std::string UrlEncodeKey(std::string_view s);

}  // namespace gee::s3
