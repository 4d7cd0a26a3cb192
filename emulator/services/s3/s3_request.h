// How an S3 HTTP request names its target and operation (spec §1.4): the
// bucket and key (path-style or virtual-host addressing), the query
// parameters and sub-resources, the operation they select, Range headers,
// bucket-name rules and user metadata headers. Pure functions: no state, no
// I/O.
//
// Addressing:
//   path-style      http://HOST/BUCKET/KEY         (HOST an IP, "localhost",
//                                                   "s3.REGION.amazonaws.com", ...)
//   virtual-host    http://BUCKET.s3.REGION.amazonaws.com/KEY,
//                   http://BUCKET.s3.localhost.localstack.cloud:4566/KEY,
//                   http://BUCKET.localhost:4566/KEY, or BUCKET.<any base host
//                   the caller passes>
// The key is the percent-decoded remainder of the path after the bucket and
// one '/', kept byte for byte (slashes, dots and empty segments included).
//
// Thread-safety: pure functions and plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "server/http_types.h"

namespace gee::s3 {

// Decoded query parameters in arrival order.
class S3Query {
 public:
  struct Param {
    std::string name;
    std::string value;
  };
  static S3Query Parse(std::string_view raw_query);
  bool Has(std::string_view name) const;
  // First value of `name`, nullopt when absent.
  std::optional<std::string> Get(std::string_view name) const;
  const std::vector<Param>& params() const { return params_; }

 private:
  std::vector<Param> params_;
};

struct Address {
  std::string bucket;  // empty: service-level request (ListBuckets)
  std::string key;     // empty: bucket-level request
  bool virtual_host = false;
};

// Resolves the bucket and key of a request from its Host header (port
// allowed) and raw path. `base_hosts` are extra host names under which
// "BUCKET.<base>" means virtual-host addressing ("localhost" and
// "localhost.localstack.cloud" are always recognised).
Address ResolveAddress(std::string_view host, std::string_view raw_path,
                       std::span<const std::string> base_hosts = {});

// The operations gee's S3 answers.
enum class S3Op {
  kListBuckets,
  kCreateBucket,
  kDeleteBucket,
  kHeadBucket,
  kGetBucketLocation,
  kGetBucketVersioning,
  kPutBucketEncryption,
  kGetBucketEncryption,
  kDeleteBucketEncryption,
  kPutBucketPolicy,
  kGetBucketPolicy,
  kDeleteBucketPolicy,
  kListObjects,
  kListObjectsV2,
  kListMultipartUploads,
  kDeleteObjects,
  kPutObject,
  kCopyObject,
  kGetObject,
  kHeadObject,
  kDeleteObject,
  kCreateMultipartUpload,
  kUploadPart,
  kUploadPartCopy,
  kCompleteMultipartUpload,
  kAbortMultipartUpload,
  kListParts,
};

// The AWS operation name ("PutObject").
std::string_view OperationName(S3Op op);

// The operation a request selects by method, addressing, sub-resources and
// (for copies) the x-amz-copy-source header. Errors: 405 MethodNotAllowed
// for a method the resource does not take; 501 NotImplemented for an S3
// feature gee does not emulate (ACLs, tagging, lifecycle, versions, ...).
Result<S3Op> ResolveOperation(std::string_view method, const Address& address,
                              const S3Query& query, bool has_copy_source);

// True for names S3 accepts for new general purpose buckets: 3-63 chars of
// [a-z0-9.-], starting and ending with a letter or digit, no "..", not an
// IPv4 address, none of the reserved prefixes/suffixes.
bool IsValidBucketName(std::string_view name);

// An inclusive byte range of an object.
struct ByteRange {
  uint64_t first = 0;
  uint64_t last = 0;
  uint64_t length() const { return last - first + 1; }
};

// Parses a Range header against an object of `size` bytes. nullopt when the
// header is absent or not one well-formed "bytes=" range (S3 then serves the
// whole object); 416 InvalidRange when the range starts past the end (or the
// object is empty).
Result<std::optional<ByteRange>> ParseRange(std::string_view header, uint64_t size);

// "bytes=a-b" (x-amz-copy-source-range), which must lie within `size`.
Result<ByteRange> ParseCopySourceRange(std::string_view header, uint64_t size);

// The headers S3 stores with an object and returns on GET/HEAD: the
// system headers it keeps (Content-Type, Content-Encoding minus aws-chunked,
// Content-Disposition, Content-Language, Cache-Control, Expires,
// x-amz-website-redirect-location) and every x-amz-meta-* (names
// lower-cased), as a JSON object text. Fails with 400 MetadataTooLarge when
// the user metadata exceeds 2 KB.
Result<std::string> StoredMetadata(const std::vector<server::HttpHeader>& headers);

// "source-bucket/source-key" of x-amz-copy-source (URL-decoded, optional
// leading '/', "?versionId=" refused unless "null").
struct CopySource {
  std::string bucket;
  std::string key;
};
Result<CopySource> ParseCopySource(std::string_view header);

}  // namespace gee::s3
