// The S3 service over real HTTP: buckets, objects, listings, multipart
// uploads, copies, default encryption, bucket policies, request-body
// integrity (Content-MD5, checksums, x-amz-content-sha256, aws-chunked) and
// virtual-host addressing. SSE-KMS is covered in s3_kms_test.cc.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "auth/aws_chunked.h"
#include "auth/sigv4.h"
#include "auth/sigv4_signer.h"
#include "crypto/encoding.h"
#include "core/environment.h"
#include "crypto/hash.h"
#include "services/s3/checksums.h"
#include "services/service.h"
#include "tests/testing/emulator_fixture.h"

namespace gee {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::EmulatorTest;
using testing::HasAwsError;
using testing::HasAwsErrorMessage;
using testing::IsOk;
using harness::Header;

std::string ContentMd5(std::string_view body) {
  auto md5 = s3::Md5Of(body);
  return crypto::Base64Encode(s3::Md5Bytes(*md5));
}

std::string Pattern(size_t n, char seed = 'a') {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>(seed + (i * 31 + i / 7) % 23);
  return s;
}

// The text of the first <name> element of an XML body.
std::string XmlValue(const std::string& xml, const std::string& name) {
  std::string open = "<" + name + ">";
  size_t a = xml.find(open);
  if (a == std::string::npos) return "";
  a += open.size();
  size_t b = xml.find("</" + name + ">", a);
  return b == std::string::npos ? "" : xml.substr(a, b - a);
}

int CountOf(const std::string& text, const std::string& needle) {
  int n = 0;
  for (size_t p = text.find(needle); p != std::string::npos; p = text.find(needle, p + 1)) ++n;
  return n;
}

class S3Test : public EmulatorTest {
 protected:
  Result<harness::ApiResponse> S3(std::string_view method, std::string_view target,
                                  std::vector<Header> headers = {}, std::string_view body = "") {
    return Root().Rest("s3", method, target, std::move(headers), body);
  }

  void CreateBucket(const std::string& name) {
    ASSERT_THAT(S3("PUT", "/" + name), IsOk());
  }

  void Put(const std::string& bucket, const std::string& key, std::string_view body,
           std::vector<Header> headers = {}) {
    ASSERT_THAT(S3("PUT", "/" + bucket + "/" + sigv4::UriEncode(key, true), std::move(headers), body),
                IsOk());
  }

  std::string Get(const std::string& bucket, const std::string& key) {
    auto r = S3("GET", "/" + bucket + "/" + sigv4::UriEncode(key, true));
    EXPECT_THAT(r, IsOk());
    return r.ok() ? r->http.body : "";
  }

  Result<harness::ApiResponse> PutPolicy(const std::string& bucket, const std::string& policy) {
    return S3("PUT", "/" + bucket + "?policy", {{"Content-MD5", ContentMd5(policy)}}, policy);
  }

  Result<harness::ApiResponse> PutEncryption(const std::string& bucket, const std::string& xml) {
    return S3("PUT", "/" + bucket + "?encryption", {{"Content-MD5", ContentMd5(xml)}}, xml);
  }

  // Starts an upload and returns its id.
  std::string StartUpload(const std::string& bucket, const std::string& key) {
    auto r = S3("POST", "/" + bucket + "/" + key + "?uploads");
    EXPECT_THAT(r, IsOk());
    return r.ok() ? XmlValue(r->http.body, "UploadId") : "";
  }

  std::string UploadPart(const std::string& bucket, const std::string& key,
                         const std::string& upload_id, int number, std::string_view body) {
    auto r = S3("PUT", "/" + bucket + "/" + key + "?partNumber=" + std::to_string(number) +
                           "&uploadId=" + upload_id,
                {}, body);
    EXPECT_THAT(r, IsOk());
    return r.ok() ? std::string(r->http.Header("ETag")) : "";
  }

  // Signs with `payload_hash` as the x-amz-content-sha256 value (whatever
  // the body) and sends the request as is.
  Result<harness::HttpResult> SendSigned(std::string_view method, std::string_view target,
                                         std::vector<Header> headers, std::string_view payload_hash,
                                         std::string_view body) {
    sigv4::SignableRequest req;
    req.method = std::string(method);
    req.target = std::string(target);
    req.headers = {{"Host", "127.0.0.1:" + std::to_string(emulator().port())}};
    for (auto& h : headers) req.headers.push_back(std::move(h));
    sigv4::SigningParams params;
    params.region = "us-east-1";
    params.service = "s3";
    params.time = clock().NowSeconds();
    params.payload_hash = payload_hash;
    GEE_RETURN_IF_ERROR(sigv4::SignRequest(req, {"test", "test", ""}, params));
    return Root().Raw(req.method, req.target, req.headers, body);
  }

  static std::string CompleteXml(const std::vector<std::pair<int, std::string>>& parts) {
    std::string xml = "<CompleteMultipartUpload>";
    for (const auto& [n, etag] : parts) {
      xml += "<Part><PartNumber>" + std::to_string(n) + "</PartNumber><ETag>" + etag +
             "</ETag></Part>";
    }
    return xml + "</CompleteMultipartUpload>";
  }
};

// ---------------------------------------------------------------------------
// Buckets
// ---------------------------------------------------------------------------

TEST_F(S3Test, CreateBucketThenListBucketsShowsIt) {
  auto created = S3("PUT", "/data-bucket");
  ASSERT_THAT(created, IsOk());
  EXPECT_EQ(created->http.Header("Location"), "/data-bucket");
  auto listed = S3("GET", "/");
  ASSERT_THAT(listed, IsOk());
  EXPECT_THAT(listed->http.body, HasSubstr("<Name>data-bucket</Name>"));
  EXPECT_THAT(listed->http.body, HasSubstr("<CreationDate>2026-01-01T00:00:00.000Z</CreationDate>"));
}

TEST_F(S3Test, CreateBucketWithInvalidNameFailsWithInvalidBucketName) {
  EXPECT_THAT(S3("PUT", "/Bad_Name"), HasAwsError("InvalidBucketName"));
  EXPECT_THAT(S3("PUT", "/ab"), HasAwsError("InvalidBucketName"));
}

TEST_F(S3Test, CreateBucketNamingUsEast1FailsWithInvalidLocationConstraint) {
  std::string body =
      "<CreateBucketConfiguration><LocationConstraint>us-east-1</LocationConstraint>"
      "</CreateBucketConfiguration>";
  EXPECT_THAT(S3("PUT", "/east-bucket", {}, body),
              HasAwsErrorMessage("InvalidLocationConstraint",
                                 "The specified location-constraint is not valid"));
}

TEST_F(S3Test, CreateBucketOutsideUsEast1WithoutConstraintFailsWithIllegalLocationConstraint) {
  auto eu = ClientFor({"test", "test", ""}, "eu-west-1");
  auto r = eu->Rest("s3", "PUT", "/eu-bucket", {}, "");
  EXPECT_THAT(r, HasAwsErrorMessage("IllegalLocationConstraintException",
                                    "The unspecified location constraint is incompatible for the "
                                    "region specific endpoint this request was sent to."));
}

TEST_F(S3Test, CreateBucketOutsideUsEast1WithMatchingConstraintSetsItsLocation) {
  auto eu = ClientFor({"test", "test", ""}, "eu-west-1");
  std::string body =
      "<CreateBucketConfiguration><LocationConstraint>eu-west-1</LocationConstraint>"
      "</CreateBucketConfiguration>";
  ASSERT_THAT(eu->Rest("s3", "PUT", "/eu-bucket", {}, body), IsOk());
  auto location = S3("GET", "/eu-bucket?location");
  ASSERT_THAT(location, IsOk());
  EXPECT_THAT(location->http.body, HasSubstr(">eu-west-1</LocationConstraint>"));
  auto head = eu->Rest("s3", "HEAD", "/eu-bucket", {}, "");
  ASSERT_THAT(head, IsOk());
  EXPECT_EQ(head->http.Header("x-amz-bucket-region"), "eu-west-1");
}

TEST_F(S3Test, RequestSignedForAnotherRegionFailsWithAuthorizationHeaderMalformed) {
  auto eu = ClientFor({"test", "test", ""}, "eu-west-1");
  std::string body =
      "<CreateBucketConfiguration><LocationConstraint>eu-west-1</LocationConstraint>"
      "</CreateBucketConfiguration>";
  ASSERT_THAT(eu->Rest("s3", "PUT", "/eu-bucket", {}, body), IsOk());
  auto r = S3("PUT", "/eu-bucket/k", {}, "x");
  EXPECT_THAT(r, HasAwsErrorMessage("AuthorizationHeaderMalformed",
                                    "The authorization header is malformed; the region "
                                    "'us-east-1' is wrong; expecting 'eu-west-1'"));
  EXPECT_THAT(r->http.body, HasSubstr("<Region>eu-west-1</Region>"));
}

TEST_F(S3Test, CreateBucketTwiceInUsEast1Succeeds) {
  CreateBucket("twice-bucket");
  EXPECT_THAT(S3("PUT", "/twice-bucket"), IsOk());
}

TEST_F(S3Test, CreateBucketTwiceElsewhereFailsWithBucketAlreadyOwnedByYou) {
  auto eu = ClientFor({"test", "test", ""}, "eu-west-1");
  std::string body =
      "<CreateBucketConfiguration><LocationConstraint>eu-west-1</LocationConstraint>"
      "</CreateBucketConfiguration>";
  ASSERT_THAT(eu->Rest("s3", "PUT", "/eu-bucket", {}, body), IsOk());
  auto again = eu->Rest("s3", "PUT", "/eu-bucket", {}, body);
  EXPECT_THAT(again, HasAwsError("BucketAlreadyOwnedByYou"));
  EXPECT_EQ(again->http.status, 409);
}

TEST_F(S3Test, DeleteBucketWithAnObjectFailsWithBucketNotEmpty) {
  CreateBucket("full-bucket");
  Put("full-bucket", "k", "x");
  auto r = S3("DELETE", "/full-bucket");
  EXPECT_THAT(r, HasAwsErrorMessage("BucketNotEmpty", "The bucket you tried to delete is not empty"));
  EXPECT_EQ(r->http.status, 409);
  ASSERT_THAT(S3("DELETE", "/full-bucket/k"), IsOk());
  auto deleted = S3("DELETE", "/full-bucket");
  ASSERT_THAT(deleted, IsOk());
  EXPECT_EQ(deleted->http.status, 204);
  EXPECT_THAT(S3("GET", "/full-bucket?list-type=2"), HasAwsError("NoSuchBucket"));
}

TEST_F(S3Test, HeadOfMissingBucketIs404WithoutBody) {
  auto r = S3("HEAD", "/missing-bucket");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->http.status, 404);
  EXPECT_TRUE(r->http.body.empty());
}

TEST_F(S3Test, GetBucketVersioningOfNewBucketIsEmpty) {
  CreateBucket("ver-bucket");
  auto r = S3("GET", "/ver-bucket?versioning");
  ASSERT_THAT(r, IsOk());
  EXPECT_THAT(r->http.body, HasSubstr("VersioningConfiguration"));
  EXPECT_THAT(r->http.body, Not(HasSubstr("<Status>")));
}

TEST_F(S3Test, UnemulatedSubresourceFailsWithNotImplemented) {
  CreateBucket("acl-bucket");
  auto r = S3("GET", "/acl-bucket?acl");
  EXPECT_THAT(r, HasAwsError("NotImplemented"));
  EXPECT_EQ(r->http.status, 501);
}

// ---------------------------------------------------------------------------
// Objects
// ---------------------------------------------------------------------------

TEST_F(S3Test, PutObjectThenGetObjectReturnsBodyEtagAndSseS3) {
  CreateBucket("obj-bucket");
  auto put = S3("PUT", "/obj-bucket/dir/hello.txt", {{"Content-Type", "text/plain"}}, "hello\n");
  ASSERT_THAT(put, IsOk());
  EXPECT_EQ(put->http.Header("ETag"), "\"b1946ac92492d2347c6235b4d2611184\"");
  EXPECT_EQ(put->http.Header("x-amz-server-side-encryption"), "AES256");
  EXPECT_EQ(put->http.Header("x-amz-server-side-encryption-bucket-key-enabled"), "");

  auto get = S3("GET", "/obj-bucket/dir/hello.txt");
  ASSERT_THAT(get, IsOk());
  EXPECT_EQ(get->http.body, "hello\n");
  EXPECT_EQ(get->http.Header("ETag"), "\"b1946ac92492d2347c6235b4d2611184\"");
  EXPECT_EQ(get->http.Header("Content-Type"), "text/plain");
  EXPECT_EQ(get->http.Header("Content-Length"), "6");
  EXPECT_EQ(get->http.Header("Last-Modified"), "Thu, 01 Jan 2026 00:00:00 GMT");
  EXPECT_EQ(get->http.Header("x-amz-server-side-encryption"), "AES256");
  EXPECT_EQ(get->http.Header("Accept-Ranges"), "bytes");
}

TEST_F(S3Test, LargeObjectRoundTripsAcrossManySegments) {
  CreateBucket("big-bucket");
  std::string body = Pattern(3 * 1024 * 1024 + 17);
  Put("big-bucket", "big", body);
  EXPECT_EQ(Get("big-bucket", "big"), body);
}

TEST_F(S3Test, PutObjectKeepsUserMetadataAndDefaultContentType) {
  CreateBucket("meta-bucket");
  Put("meta-bucket", "k", "x", {{"x-amz-meta-Owner", "alice"}, {"Cache-Control", "no-cache"}});
  auto head = S3("HEAD", "/meta-bucket/k");
  ASSERT_THAT(head, IsOk());
  EXPECT_EQ(head->http.Header("x-amz-meta-owner"), "alice");
  EXPECT_EQ(head->http.Header("Cache-Control"), "no-cache");
  EXPECT_EQ(head->http.Header("Content-Type"), "binary/octet-stream");
  EXPECT_EQ(head->http.Header("Content-Length"), "1");
  EXPECT_TRUE(head->http.body.empty());
}

TEST_F(S3Test, GetMissingKeyFailsWithNoSuchKey) {
  CreateBucket("empty-bucket");
  auto r = S3("GET", "/empty-bucket/nothing");
  EXPECT_THAT(r, HasAwsErrorMessage("NoSuchKey", "The specified key does not exist."));
  EXPECT_EQ(r->http.status, 404);
  EXPECT_THAT(r->http.body, HasSubstr("<Key>nothing</Key>"));
}

TEST_F(S3Test, ObjectInMissingBucketFailsWithNoSuchBucket) {
  EXPECT_THAT(S3("PUT", "/no-such-bucket/k", {}, "x"),
              HasAwsErrorMessage("NoSuchBucket", "The specified bucket does not exist"));
}

TEST_F(S3Test, RangeGetReturnsPartialContent) {
  CreateBucket("range-bucket");
  std::string body = Pattern(1000);
  Put("range-bucket", "k", body);
  auto r = S3("GET", "/range-bucket/k", {{"Range", "bytes=100-199"}});
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->http.status, 206);
  EXPECT_EQ(r->http.body, body.substr(100, 100));
  EXPECT_EQ(r->http.Header("Content-Range"), "bytes 100-199/1000");
  auto suffix = S3("GET", "/range-bucket/k", {{"Range", "bytes=-10"}});
  EXPECT_EQ(suffix->http.body, body.substr(990));
}

TEST_F(S3Test, RangeGetPastTheEndFailsWithInvalidRange) {
  CreateBucket("range-bucket");
  Put("range-bucket", "k", "0123456789");
  auto r = S3("GET", "/range-bucket/k", {{"Range", "bytes=10-20"}});
  EXPECT_THAT(r, HasAwsErrorMessage("InvalidRange", "The requested range is not satisfiable"));
  EXPECT_EQ(r->http.status, 416);
  EXPECT_THAT(r->http.body, HasSubstr("<ActualObjectSize>10</ActualObjectSize>"));
}

TEST_F(S3Test, ConditionalGetAnswers304And412) {
  CreateBucket("cond-bucket");
  auto put = S3("PUT", "/cond-bucket/k", {}, "x");
  std::string etag(put->http.Header("ETag"));
  auto not_modified = S3("GET", "/cond-bucket/k", {{"If-None-Match", etag}});
  ASSERT_TRUE(not_modified.ok());
  EXPECT_EQ(not_modified->http.status, 304);
  auto failed = S3("GET", "/cond-bucket/k", {{"If-Match", "\"other\""}});
  EXPECT_THAT(failed, HasAwsError("PreconditionFailed"));
  EXPECT_EQ(failed->http.status, 412);
  EXPECT_THAT(S3("GET", "/cond-bucket/k", {{"If-Match", etag}}), IsOk());
}

TEST_F(S3Test, SseHeaderOnGetFailsWithInvalidArgument) {
  CreateBucket("sse-get-bucket");
  Put("sse-get-bucket", "k", "x");
  EXPECT_THAT(S3("GET", "/sse-get-bucket/k", {{"x-amz-server-side-encryption", "AES256"}}),
              HasAwsErrorMessage("InvalidArgument",
                                 "x-amz-server-side-encryption header is not supported for this "
                                 "operation."));
}

TEST_F(S3Test, PutObjectWithWrongContentMd5FailsWithBadDigest) {
  CreateBucket("md5-bucket");
  auto r = S3("PUT", "/md5-bucket/k", {{"Content-MD5", ContentMd5("other")}}, "body");
  EXPECT_THAT(r, HasAwsErrorMessage("BadDigest",
                                    "The Content-MD5 you specified did not match what we received."));
  EXPECT_THAT(S3("GET", "/md5-bucket/k"), HasAwsError("NoSuchKey"));  // nothing stored
  EXPECT_THAT(S3("PUT", "/md5-bucket/k", {{"Content-MD5", ContentMd5("body")}}, "body"), IsOk());
}

TEST_F(S3Test, PutObjectWithMalformedContentMd5FailsWithInvalidDigest) {
  CreateBucket("md5-bucket");
  EXPECT_THAT(S3("PUT", "/md5-bucket/k", {{"Content-MD5", "nope"}}, "body"),
              HasAwsErrorMessage("InvalidDigest", "The Content-MD5 you specified was invalid."));
}

TEST_F(S3Test, PutObjectWithWrongChecksumFailsWithBadDigest) {
  CreateBucket("sum-bucket");
  EXPECT_THAT(S3("PUT", "/sum-bucket/k", {{"x-amz-checksum-crc32", "AAAAAA=="}}, "123456789"),
              HasAwsErrorMessage("BadDigest",
                                 "The CRC32 you specified did not match the calculated checksum."));
  EXPECT_THAT(S3("PUT", "/sum-bucket/k", {{"x-amz-checksum-crc32", "short"}}, "x"),
              HasAwsError("InvalidRequest"));
}

TEST_F(S3Test, ChecksumIsStoredAndReturnedInChecksumMode) {
  CreateBucket("sum-bucket");
  auto put = S3("PUT", "/sum-bucket/k", {{"x-amz-checksum-crc32", "y/Q5Jg=="}}, "123456789");
  ASSERT_THAT(put, IsOk());
  EXPECT_EQ(put->http.Header("x-amz-checksum-crc32"), "y/Q5Jg==");
  auto plain = S3("HEAD", "/sum-bucket/k");
  EXPECT_EQ(plain->http.Header("x-amz-checksum-crc32"), "");
  auto with_mode = S3("HEAD", "/sum-bucket/k", {{"x-amz-checksum-mode", "ENABLED"}});
  EXPECT_EQ(with_mode->http.Header("x-amz-checksum-crc32"), "y/Q5Jg==");
}

TEST_F(S3Test, BodyNotMatchingSignedContentSha256FailsWithXAmzContentSHA256Mismatch) {
  CreateBucket("sha-bucket");
  auto other = crypto::Sha256Hex("a different body");
  auto r = SendSigned("PUT", "/sha-bucket/k", {}, *other, "the body actually sent");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 400);
  EXPECT_THAT(r->body, HasSubstr("<Code>XAmzContentSHA256Mismatch</Code>"));
  EXPECT_THAT(r->body, HasSubstr("<ClientComputedContentSHA256>" + *other));
  EXPECT_THAT(S3("GET", "/sha-bucket/k"), HasAwsError("NoSuchKey"));
}

TEST_F(S3Test, UnsignedPayloadIsAccepted) {
  CreateBucket("unsigned-bucket");
  ASSERT_THAT(Root().Rest("s3", "PUT", "/unsigned-bucket/k", {}, "payload", true), IsOk());
  EXPECT_EQ(Get("unsigned-bucket", "k"), "payload");
}

TEST_F(S3Test, SignedAwsChunkedBodyIsDecodedAndStored) {
  CreateBucket("chunk-bucket");
  std::string payload = Pattern(200000);
  sigv4::SignableRequest req;
  req.method = "PUT";
  req.target = "/chunk-bucket/k";
  req.headers = {{"Host", "127.0.0.1:" + std::to_string(emulator().port())},
                 {"Content-Encoding", "aws-chunked"},
                 {"x-amz-decoded-content-length", std::to_string(payload.size())}};
  sigv4::SigningParams params;
  params.region = "us-east-1";
  params.service = "s3";
  params.time = clock().NowSeconds();
  params.payload_hash = sigv4::kStreamingSignedPayload;
  auto signed_req = sigv4::SignRequest(req, {"test", "test", ""}, params);
  ASSERT_THAT(signed_req, IsOk());
  auto key = sigv4::SigningKey::Derive("test", signed_req->amz_date.substr(0, 8), "us-east-1", "s3");
  ASSERT_THAT(key, IsOk());
  auto body = sigv4::EncodeSignedChunks(*key, signed_req->amz_date, signed_req->scope,
                                        signed_req->signature, payload, 65536);
  ASSERT_THAT(body, IsOk());
  auto r = Root().Raw("PUT", req.target, req.headers, *body);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(Get("chunk-bucket", "k"), payload);

  // A tampered chunk fails its signature and stores nothing.
  std::string tampered = *body;
  tampered[tampered.size() / 2] ^= 1;
  auto bad = Root().Raw("PUT", "/chunk-bucket/k2", req.headers, tampered);
  ASSERT_TRUE(bad.ok());
  EXPECT_EQ(bad->status, 403);
  EXPECT_THAT(S3("GET", "/chunk-bucket/k2"), HasAwsError("NoSuchKey"));
}

TEST_F(S3Test, UnsignedChunkedBodyWithChecksumTrailerIsVerified) {
  CreateBucket("trailer-bucket");
  std::string payload = Pattern(100000);
  auto body =
      sigv4::EncodeUnsignedChunksWithTrailer(payload, 8192, sigv4::ChecksumAlgorithm::kCrc32);
  ASSERT_THAT(body, IsOk());
  std::vector<Header> headers = {{"Content-Encoding", "aws-chunked"},
                                 {"x-amz-decoded-content-length", std::to_string(payload.size())},
                                 {"x-amz-trailer", "x-amz-checksum-crc32"},
                                 {"x-amz-sdk-checksum-algorithm", "CRC32"}};
  auto r = SendSigned("PUT", "/trailer-bucket/k", headers, "STREAMING-UNSIGNED-PAYLOAD-TRAILER", *body);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(Get("trailer-bucket", "k"), payload);
  auto head = S3("HEAD", "/trailer-bucket/k", {{"x-amz-checksum-mode", "ENABLED"}});
  EXPECT_FALSE(head->http.Header("x-amz-checksum-crc32").empty());
}

TEST_F(S3Test, KeyLongerThan1024BytesFailsWithKeyTooLongError) {
  CreateBucket("long-bucket");
  EXPECT_THAT(S3("PUT", "/long-bucket/" + std::string(1025, 'k'), {}, "x"),
              HasAwsError("KeyTooLongError"));
}

TEST_F(S3Test, DeleteObjectIsIdempotent) {
  CreateBucket("del-bucket");
  Put("del-bucket", "k", "x");
  auto first = S3("DELETE", "/del-bucket/k");
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(first->http.status, 204);
  EXPECT_THAT(S3("DELETE", "/del-bucket/k"), IsOk());
  EXPECT_THAT(S3("GET", "/del-bucket/k"), HasAwsError("NoSuchKey"));
}

TEST_F(S3Test, DeleteObjectsDeletesEveryListedKey) {
  CreateBucket("multi-bucket");
  for (const char* k : {"a", "b", "c"}) Put("multi-bucket", k, k);
  std::string xml =
      "<Delete><Object><Key>a</Key></Object><Object><Key>b</Key></Object>"
      "<Object><Key>missing</Key></Object></Delete>";
  auto r = S3("POST", "/multi-bucket?delete", {{"Content-MD5", ContentMd5(xml)}}, xml);
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(CountOf(r->http.body, "<Deleted>"), 3);
  EXPECT_THAT(S3("GET", "/multi-bucket/a"), HasAwsError("NoSuchKey"));
  EXPECT_EQ(Get("multi-bucket", "c"), "c");
}

TEST_F(S3Test, DeleteObjectsWithoutContentMd5FailsWithInvalidRequest) {
  CreateBucket("multi-bucket");
  std::string xml = "<Delete><Object><Key>a</Key></Object></Delete>";
  EXPECT_THAT(S3("POST", "/multi-bucket?delete", {}, xml), HasAwsError("InvalidRequest"));
}

TEST_F(S3Test, PublicReadAclFailsWithAccessControlListNotSupported) {
  CreateBucket("acl-bucket");
  EXPECT_THAT(S3("PUT", "/acl-bucket/k", {{"x-amz-acl", "public-read"}}, "x"),
              HasAwsErrorMessage("AccessControlListNotSupported", "The bucket does not allow ACLs"));
  EXPECT_THAT(S3("PUT", "/acl-bucket/k", {{"x-amz-acl", "bucket-owner-full-control"}}, "x"), IsOk());
  EXPECT_THAT(S3("PUT", "/acl-bucket2", {{"x-amz-acl", "public-read"}}),
              HasAwsError("InvalidBucketAclWithObjectOwnership"));
}

TEST_F(S3Test, ExpectedBucketOwnerMismatchIsAccessDenied) {
  CreateBucket("owner-bucket");
  EXPECT_THAT(S3("PUT", "/owner-bucket/k", {{"x-amz-expected-bucket-owner", "111111111111"}}, "x"),
              HasAwsErrorMessage("AccessDenied", "Access Denied"));
  EXPECT_THAT(S3("PUT", "/owner-bucket/k", {{"x-amz-expected-bucket-owner", "000000000000"}}, "x"),
              IsOk());
}

// ---------------------------------------------------------------------------
// Copies
// ---------------------------------------------------------------------------

TEST_F(S3Test, CopyObjectCopiesBodyAndMetadata) {
  CreateBucket("src-bucket");
  CreateBucket("dst-bucket");
  Put("src-bucket", "from", "copy me", {{"x-amz-meta-color", "blue"}, {"Content-Type", "text/x"}});
  auto r = S3("PUT", "/dst-bucket/to", {{"x-amz-copy-source", "/src-bucket/from"}});
  ASSERT_THAT(r, IsOk());
  EXPECT_THAT(r->http.body, HasSubstr("<CopyObjectResult"));
  EXPECT_EQ(XmlValue(r->http.body, "ETag"), "\"" + s3::Md5Hex(*s3::Md5Of("copy me")) + "\"");
  auto get = S3("GET", "/dst-bucket/to");
  ASSERT_THAT(get, IsOk());
  EXPECT_EQ(get->http.body, "copy me");
  EXPECT_EQ(get->http.Header("x-amz-meta-color"), "blue");
  EXPECT_EQ(get->http.Header("Content-Type"), "text/x");
}

TEST_F(S3Test, CopyObjectWithReplaceDirectiveTakesTheRequestMetadata) {
  CreateBucket("src-bucket");
  Put("src-bucket", "from", "x", {{"x-amz-meta-color", "blue"}});
  ASSERT_THAT(S3("PUT", "/src-bucket/to",
                 {{"x-amz-copy-source", "src-bucket/from"},
                  {"x-amz-metadata-directive", "REPLACE"},
                  {"x-amz-meta-color", "red"}}),
              IsOk());
  EXPECT_EQ(S3("HEAD", "/src-bucket/to")->http.Header("x-amz-meta-color"), "red");
}

TEST_F(S3Test, CopyObjectOntoItselfWithoutChangesFailsWithInvalidRequest) {
  CreateBucket("self-bucket");
  Put("self-bucket", "k", "x");
  EXPECT_THAT(S3("PUT", "/self-bucket/k", {{"x-amz-copy-source", "/self-bucket/k"}}),
              HasAwsError("InvalidRequest"));
  EXPECT_THAT(S3("PUT", "/self-bucket/k",
                 {{"x-amz-copy-source", "/self-bucket/k"},
                  {"x-amz-metadata-directive", "REPLACE"}}),
              IsOk());
}

TEST_F(S3Test, CopyOfMissingSourceFailsWithNoSuchKey) {
  CreateBucket("src-bucket");
  EXPECT_THAT(S3("PUT", "/src-bucket/to", {{"x-amz-copy-source", "/src-bucket/none"}}),
              HasAwsError("NoSuchKey"));
}

// ---------------------------------------------------------------------------
// Listings
// ---------------------------------------------------------------------------

class S3ListTest : public S3Test {
 protected:
  void SetUp() override {
    S3Test::SetUp();
    CreateBucket("list-bucket");
    for (const char* k : {"a/1.txt", "a/2.txt", "a/b/3.txt", "c.txt", "d/4.txt", "e f.txt"}) {
      Put("list-bucket", k, k);
    }
  }
};

TEST_F(S3ListTest, ListObjectsV2ListsEveryKeyInOrder) {
  auto r = S3("GET", "/list-bucket?list-type=2");
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(XmlValue(r->http.body, "KeyCount"), "6");
  EXPECT_EQ(XmlValue(r->http.body, "IsTruncated"), "false");
  EXPECT_EQ(XmlValue(r->http.body, "Key"), "a/1.txt");
  EXPECT_THAT(r->http.body, HasSubstr("<StorageClass>STANDARD</StorageClass>"));
}

TEST_F(S3ListTest, DelimiterGroupsCommonPrefixes) {
  auto r = S3("GET", "/list-bucket?list-type=2&delimiter=%2F");
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(CountOf(r->http.body, "<CommonPrefixes>"), 2);
  EXPECT_THAT(r->http.body, HasSubstr("<Prefix>a/</Prefix>"));
  EXPECT_THAT(r->http.body, HasSubstr("<Prefix>d/</Prefix>"));
  EXPECT_EQ(CountOf(r->http.body, "<Contents>"), 2);
  auto nested = S3("GET", "/list-bucket?list-type=2&delimiter=%2F&prefix=a%2F");
  EXPECT_EQ(CountOf(nested->http.body, "<Contents>"), 2);
  EXPECT_THAT(nested->http.body, HasSubstr("<Prefix>a/b/</Prefix>"));
}

TEST_F(S3ListTest, ContinuationTokensPageThroughTheListing) {
  std::vector<std::string> seen;
  std::string token;
  for (int page = 0; page < 10; ++page) {
    std::string target = "/list-bucket?list-type=2&max-keys=2&delimiter=%2F";
    if (!token.empty()) target += "&continuation-token=" + sigv4::UriEncode(token, false);
    auto r = S3("GET", target);
    ASSERT_THAT(r, IsOk());
    const std::string& body = r->http.body;
    for (size_t p = body.find("<Key>"); p != std::string::npos; p = body.find("<Key>", p + 1)) {
      seen.push_back(body.substr(p + 5, body.find("</Key>", p) - p - 5));
    }
    for (size_t p = body.find("<CommonPrefixes><Prefix>"); p != std::string::npos;
         p = body.find("<CommonPrefixes><Prefix>", p + 1)) {
      seen.push_back(body.substr(p + 24, body.find("</Prefix>", p + 24) - p - 24));
    }
    if (XmlValue(body, "IsTruncated") != "true") break;
    token = XmlValue(body, "NextContinuationToken");
    ASSERT_FALSE(token.empty());
  }
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, (std::vector<std::string>{"a/", "c.txt", "d/", "e f.txt"}));
}

TEST_F(S3ListTest, StartAfterSkipsEarlierKeys) {
  auto r = S3("GET", "/list-bucket?list-type=2&start-after=c.txt");
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(XmlValue(r->http.body, "KeyCount"), "2");
  EXPECT_EQ(XmlValue(r->http.body, "Key"), "d/4.txt");
}

TEST_F(S3ListTest, EncodingTypeUrlEncodesKeys) {
  auto r = S3("GET", "/list-bucket?list-type=2&encoding-type=url&prefix=e");
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(XmlValue(r->http.body, "Key"), "e%20f.txt");
  EXPECT_EQ(XmlValue(r->http.body, "EncodingType"), "url");
}

TEST_F(S3ListTest, InvalidContinuationTokenFailsWithInvalidArgument) {
  EXPECT_THAT(S3("GET", "/list-bucket?list-type=2&continuation-token=bogus"),
              HasAwsErrorMessage("InvalidArgument", "The continuation token provided is incorrect"));
}

TEST_F(S3ListTest, NegativeMaxKeysFailsWithInvalidArgument) {
  EXPECT_THAT(S3("GET", "/list-bucket?list-type=2&max-keys=-1"), HasAwsError("InvalidArgument"));
}

TEST_F(S3ListTest, ListObjectsV1PagesWithNextMarker) {
  auto first = S3("GET", "/list-bucket?delimiter=%2F&max-keys=1");
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(XmlValue(first->http.body, "IsTruncated"), "true");
  EXPECT_EQ(XmlValue(first->http.body, "NextMarker"), "a/");
  auto second = S3("GET", "/list-bucket?delimiter=%2F&max-keys=1&marker=a%2F");
  ASSERT_THAT(second, IsOk());
  EXPECT_EQ(XmlValue(second->http.body, "Key"), "c.txt");
}

// ---------------------------------------------------------------------------
// Multipart uploads
// ---------------------------------------------------------------------------

TEST_F(S3Test, MultipartUploadAssemblesThePartsWithAMultipartEtag) {
  CreateBucket("mpu-bucket");
  std::string upload = StartUpload("mpu-bucket", "obj");
  ASSERT_FALSE(upload.empty());
  std::string part1 = Pattern(5 * 1024 * 1024, 'a');
  std::string part2 = Pattern(1234, 'b');
  std::string e1 = UploadPart("mpu-bucket", "obj", upload, 1, part1);
  std::string e2 = UploadPart("mpu-bucket", "obj", upload, 2, part2);

  auto uploads = S3("GET", "/mpu-bucket?uploads");
  ASSERT_THAT(uploads, IsOk());
  EXPECT_EQ(XmlValue(uploads->http.body, "UploadId"), upload);
  auto parts = S3("GET", "/mpu-bucket/obj?uploadId=" + upload);
  ASSERT_THAT(parts, IsOk());
  EXPECT_EQ(CountOf(parts->http.body, "<Part>"), 2);

  std::string xml = CompleteXml({{1, e1}, {2, e2}});
  auto done = S3("POST", "/mpu-bucket/obj?uploadId=" + upload, {}, xml);
  ASSERT_THAT(done, IsOk());
  std::string md5s = s3::Md5Bytes(*s3::Md5Of(part1)) + s3::Md5Bytes(*s3::Md5Of(part2));
  std::string expected = s3::Md5Hex(*s3::Md5Of(md5s)) + "-2";
  EXPECT_EQ(XmlValue(done->http.body, "ETag"), "\"" + expected + "\"");
  EXPECT_EQ(done->http.Header("x-amz-server-side-encryption"), "AES256");

  auto get = S3("GET", "/mpu-bucket/obj");
  ASSERT_THAT(get, IsOk());
  EXPECT_EQ(get->http.body, part1 + part2);
  EXPECT_EQ(get->http.Header("ETag"), "\"" + expected + "\"");
  auto range = S3("GET", "/mpu-bucket/obj", {{"Range", "bytes=5242870-5242889"}});
  EXPECT_EQ(range->http.body, (part1 + part2).substr(5242870, 20));
  auto second_part = S3("GET", "/mpu-bucket/obj?partNumber=2");
  EXPECT_EQ(second_part->http.body, part2);
  EXPECT_EQ(second_part->http.Header("x-amz-mp-parts-count"), "2");
  EXPECT_THAT(S3("GET", "/mpu-bucket?uploads")->http.body, Not(HasSubstr("<UploadId>")));
}

TEST_F(S3Test, CompleteWithSmallNonLastPartFailsWithEntityTooSmall) {
  CreateBucket("mpu-bucket");
  std::string upload = StartUpload("mpu-bucket", "obj");
  std::string e1 = UploadPart("mpu-bucket", "obj", upload, 1, "small");
  std::string e2 = UploadPart("mpu-bucket", "obj", upload, 2, "last");
  auto r = S3("POST", "/mpu-bucket/obj?uploadId=" + upload, {}, CompleteXml({{1, e1}, {2, e2}}));
  EXPECT_THAT(r, HasAwsErrorMessage("EntityTooSmall",
                                    "Your proposed upload is smaller than the minimum allowed size"));
  EXPECT_THAT(r->http.body, HasSubstr("<MinSizeAllowed>5242880</MinSizeAllowed>"));
}

TEST_F(S3Test, CompleteWithWrongEtagFailsWithInvalidPart) {
  CreateBucket("mpu-bucket");
  std::string upload = StartUpload("mpu-bucket", "obj");
  UploadPart("mpu-bucket", "obj", upload, 1, "data");
  EXPECT_THAT(S3("POST", "/mpu-bucket/obj?uploadId=" + upload, {},
                 CompleteXml({{1, "\"00000000000000000000000000000000\""}})),
              HasAwsError("InvalidPart"));
  EXPECT_THAT(S3("POST", "/mpu-bucket/obj?uploadId=" + upload, {}, CompleteXml({{3, "\"x\""}})),
              HasAwsError("InvalidPart"));
}

TEST_F(S3Test, CompleteWithDescendingPartsFailsWithInvalidPartOrder) {
  CreateBucket("mpu-bucket");
  std::string upload = StartUpload("mpu-bucket", "obj");
  std::string e1 = UploadPart("mpu-bucket", "obj", upload, 1, Pattern(5 * 1024 * 1024));
  std::string e2 = UploadPart("mpu-bucket", "obj", upload, 2, "x");
  EXPECT_THAT(S3("POST", "/mpu-bucket/obj?uploadId=" + upload, {}, CompleteXml({{2, e2}, {1, e1}})),
              HasAwsError("InvalidPartOrder"));
}

TEST_F(S3Test, CompleteWithoutPartsFailsWithMalformedXml) {
  CreateBucket("mpu-bucket");
  std::string upload = StartUpload("mpu-bucket", "obj");
  EXPECT_THAT(S3("POST", "/mpu-bucket/obj?uploadId=" + upload, {}, "<CompleteMultipartUpload/>"),
              HasAwsError("MalformedXML"));
}

TEST_F(S3Test, PartAfterAbortFailsWithNoSuchUpload) {
  CreateBucket("mpu-bucket");
  std::string upload = StartUpload("mpu-bucket", "obj");
  UploadPart("mpu-bucket", "obj", upload, 1, "data");
  auto aborted = S3("DELETE", "/mpu-bucket/obj?uploadId=" + upload);
  ASSERT_THAT(aborted, IsOk());
  EXPECT_EQ(aborted->http.status, 204);
  EXPECT_THAT(S3("PUT", "/mpu-bucket/obj?partNumber=2&uploadId=" + upload, {}, "more"),
              HasAwsError("NoSuchUpload"));
  EXPECT_THAT(S3("DELETE", "/mpu-bucket/obj?uploadId=" + upload), HasAwsError("NoSuchUpload"));
}

TEST_F(S3Test, PartNumberOutOfRangeFailsWithInvalidArgument) {
  CreateBucket("mpu-bucket");
  std::string upload = StartUpload("mpu-bucket", "obj");
  EXPECT_THAT(S3("PUT", "/mpu-bucket/obj?partNumber=10001&uploadId=" + upload, {}, "x"),
              HasAwsErrorMessage("InvalidArgument",
                                 "Part number must be an integer between 1 and 10000, inclusive"));
}

TEST_F(S3Test, UploadPartCopyCopiesARangeIntoAPart) {
  CreateBucket("mpu-bucket");
  std::string source = Pattern(6 * 1024 * 1024, 'c');
  Put("mpu-bucket", "source", source);
  std::string upload = StartUpload("mpu-bucket", "obj");
  auto copied = S3("PUT", "/mpu-bucket/obj?partNumber=1&uploadId=" + upload,
                   {{"x-amz-copy-source", "/mpu-bucket/source"},
                    {"x-amz-copy-source-range", "bytes=0-5242879"}});
  ASSERT_THAT(copied, IsOk());
  std::string e1 = XmlValue(copied->http.body, "ETag");
  std::string e2 = UploadPart("mpu-bucket", "obj", upload, 2, "tail");
  ASSERT_THAT(S3("POST", "/mpu-bucket/obj?uploadId=" + upload, {}, CompleteXml({{1, e1}, {2, e2}})),
              IsOk());
  EXPECT_EQ(Get("mpu-bucket", "obj"), source.substr(0, 5242880) + "tail");
}

// ---------------------------------------------------------------------------
// Default encryption (spec §7.2)
// ---------------------------------------------------------------------------

TEST_F(S3Test, GetBucketEncryptionOfNewBucketIsSseS3WithoutBucketKey) {
  CreateBucket("enc-bucket");
  auto r = S3("GET", "/enc-bucket?encryption");
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(XmlValue(r->http.body, "SSEAlgorithm"), "AES256");
  EXPECT_EQ(XmlValue(r->http.body, "BucketKeyEnabled"), "false");
  EXPECT_THAT(r->http.body, Not(HasSubstr("KMSMasterKeyID")));
}

TEST_F(S3Test, PutBucketEncryptionIsEchoedAndDeleteRestoresTheDefault) {
  CreateBucket("enc-bucket");
  std::string xml =
      "<ServerSideEncryptionConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Rule>"
      "<ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm>"
      "<KMSMasterKeyID>1234abcd-12ab-34cd-56ef-1234567890ab</KMSMasterKeyID>"
      "</ApplyServerSideEncryptionByDefault><BucketKeyEnabled>true</BucketKeyEnabled></Rule>"
      "</ServerSideEncryptionConfiguration>";
  ASSERT_THAT(PutEncryption("enc-bucket", xml), IsOk());
  auto r = S3("GET", "/enc-bucket?encryption");
  EXPECT_EQ(XmlValue(r->http.body, "SSEAlgorithm"), "aws:kms");
  EXPECT_EQ(XmlValue(r->http.body, "KMSMasterKeyID"), "1234abcd-12ab-34cd-56ef-1234567890ab");
  EXPECT_EQ(XmlValue(r->http.body, "BucketKeyEnabled"), "true");
  auto deleted = S3("DELETE", "/enc-bucket?encryption");
  ASSERT_THAT(deleted, IsOk());
  EXPECT_EQ(deleted->http.status, 204);
  EXPECT_THAT(S3("DELETE", "/enc-bucket?encryption"), IsOk());
  EXPECT_EQ(XmlValue(S3("GET", "/enc-bucket?encryption")->http.body, "SSEAlgorithm"), "AES256");
}

TEST_F(S3Test, KmsMasterKeyWithAes256FailsWithInvalidArgument) {
  CreateBucket("enc-bucket");
  std::string xml =
      "<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault>"
      "<SSEAlgorithm>AES256</SSEAlgorithm><KMSMasterKeyID>k</KMSMasterKeyID>"
      "</ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>";
  auto r = PutEncryption("enc-bucket", xml);
  EXPECT_THAT(r, HasAwsErrorMessage("InvalidArgument",
                                    "a KMSMasterKeyID is not applicable if the default sse "
                                    "algorithm is not aws:kms or aws:kms:dsse"));
  EXPECT_THAT(r->http.body, HasSubstr("<ArgumentName>ApplyServerSideEncryptionByDefault</ArgumentName>"));
}

TEST_F(S3Test, EncryptionConfigurationWithTwoRulesFailsWithMalformedXml) {
  CreateBucket("enc-bucket");
  std::string rule =
      "<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm>"
      "</ApplyServerSideEncryptionByDefault></Rule>";
  EXPECT_THAT(PutEncryption("enc-bucket", "<ServerSideEncryptionConfiguration>" + rule + rule +
                                              "</ServerSideEncryptionConfiguration>"),
              HasAwsError("MalformedXML"));
  EXPECT_THAT(PutEncryption("enc-bucket",
                            "<ServerSideEncryptionConfiguration></ServerSideEncryptionConfiguration>"),
              HasAwsError("MalformedXML"));
}

TEST_F(S3Test, EncryptionConfigurationOfMissingBucketFailsWithNoSuchBucket) {
  EXPECT_THAT(S3("GET", "/no-bucket?encryption"), HasAwsError("NoSuchBucket"));
  EXPECT_THAT(PutEncryption("no-bucket", "<ServerSideEncryptionConfiguration/>"),
              HasAwsError("NoSuchBucket"));
  EXPECT_THAT(S3("DELETE", "/no-bucket?encryption"), HasAwsError("NoSuchBucket"));
}

// ---------------------------------------------------------------------------
// Bucket policies and authorization
// ---------------------------------------------------------------------------

constexpr char kDenyUnencryptedNull[] = R"({
  "Version": "2012-10-17",
  "Statement": [{
    "Sid": "DenyUnencrypted", "Effect": "Deny", "Principal": "*", "Action": "s3:PutObject",
    "Resource": "arn:aws:s3:::secure-bucket/*",
    "Condition": {"Null": {"s3:x-amz-server-side-encryption": "true"}}
  }]
})";

constexpr char kDenyNotKms[] = R"({
  "Version": "2012-10-17",
  "Statement": [{
    "Sid": "DenyNotKms", "Effect": "Deny", "Principal": "*", "Action": "s3:PutObject",
    "Resource": "arn:aws:s3:::secure-bucket/*",
    "Condition": {"StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}}
  }]
})";

TEST_F(S3Test, BucketPolicyRoundTrips) {
  CreateBucket("secure-bucket");
  EXPECT_THAT(S3("GET", "/secure-bucket?policy"),
              HasAwsErrorMessage("NoSuchBucketPolicy", "The bucket policy does not exist"));
  auto put = PutPolicy("secure-bucket", kDenyUnencryptedNull);
  ASSERT_THAT(put, IsOk());
  EXPECT_EQ(put->http.status, 204);
  auto get = S3("GET", "/secure-bucket?policy");
  ASSERT_THAT(get, IsOk());
  EXPECT_EQ(get->http.body, kDenyUnencryptedNull);
  ASSERT_THAT(S3("DELETE", "/secure-bucket?policy"), IsOk());
  EXPECT_THAT(S3("GET", "/secure-bucket?policy"), HasAwsError("NoSuchBucketPolicy"));
}

TEST_F(S3Test, MalformedBucketPoliciesFailWithMalformedPolicy) {
  CreateBucket("secure-bucket");
  EXPECT_THAT(PutPolicy("secure-bucket", "not json"),
              HasAwsErrorMessage("MalformedPolicy",
                                 "Policies must be valid JSON and the first byte must be '{'"));
  EXPECT_THAT(PutPolicy("secure-bucket",
                        R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::secure-bucket/*"}]})"),
              HasAwsErrorMessage("MalformedPolicy", "Missing required field Principal"));
  EXPECT_THAT(PutPolicy("secure-bucket",
                        R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::other-bucket/*"}]})"),
              HasAwsErrorMessage("MalformedPolicy", "Policy has invalid resource"));
  EXPECT_THAT(PutPolicy("secure-bucket",
                        R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"arn:aws:s3:::secure-bucket/*"}]})"),
              HasAwsErrorMessage("MalformedPolicy", "Policy has invalid action"));
}

TEST_F(S3Test, DenyUnencryptedNullPolicyRefusesUploadsWithoutTheHeader) {
  CreateBucket("secure-bucket");
  ASSERT_THAT(PutPolicy("secure-bucket", kDenyUnencryptedNull), IsOk());
  auto denied = S3("PUT", "/secure-bucket/k", {}, "x");
  EXPECT_THAT(denied, HasAwsErrorMessage(
                          "AccessDenied",
                          "User: arn:aws:iam::000000000000:root is not authorized to perform: "
                          "s3:PutObject on resource: \"arn:aws:s3:::secure-bucket/k\" with an "
                          "explicit deny in a resource-based policy"));
  EXPECT_EQ(denied->http.status, 403);
  EXPECT_THAT(S3("PUT", "/secure-bucket/k", {{"x-amz-server-side-encryption", "AES256"}}, "x"),
              IsOk());
}

TEST_F(S3Test, DenyNotKmsPolicyRefusesSseS3AndMissingHeaders) {
  CreateBucket("secure-bucket");
  ASSERT_THAT(PutPolicy("secure-bucket", kDenyNotKms), IsOk());
  EXPECT_THAT(S3("PUT", "/secure-bucket/k", {}, "x"), HasAwsError("AccessDenied"));
  EXPECT_THAT(S3("PUT", "/secure-bucket/k", {{"x-amz-server-side-encryption", "AES256"}}, "x"),
              HasAwsError("AccessDenied"));
  // The multipart path asks the same question at CreateMultipartUpload.
  EXPECT_THAT(S3("POST", "/secure-bucket/k?uploads"), HasAwsError("AccessDenied"));
}

TEST_F(S3Test, DeniedUploadWithExpectContinueIsRefusedBeforeTheBody) {
  CreateBucket("secure-bucket");
  ASSERT_THAT(PutPolicy("secure-bucket", kDenyUnencryptedNull), IsOk());
  auto r = S3("PUT", "/secure-bucket/k", {{"Expect", "100-continue"}}, "x");
  EXPECT_THAT(r, HasAwsError("AccessDenied"));
}

TEST_F(S3Test, AnonymousRequestsAreDeniedWithoutAPolicy) {
  CreateBucket("public-bucket");
  Put("public-bucket", "k", "x");
  auto r = Root().Raw("GET", "/public-bucket/k", {}, "");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 403);
  EXPECT_THAT(r->body, HasSubstr("<Message>Access Denied</Message>"));
}

TEST_F(S3Test, BucketPolicyAllowingEveryoneLetsAnonymousRead) {
  CreateBucket("public-bucket");
  Put("public-bucket", "k", "public data");
  ASSERT_THAT(PutPolicy("public-bucket", R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",
    "Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::public-bucket/*"}]})"),
              IsOk());
  auto r = Root().Raw("GET", "/public-bucket/k", {}, "");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "public data");
  auto write = Root().Raw("PUT", "/public-bucket/k", {}, "overwrite");
  EXPECT_EQ(write->status, 403);
}

TEST_F(S3Test, RootCanAlwaysRemoveAPolicyThatLocksEveryoneOut) {
  CreateBucket("locked-bucket");
  ASSERT_THAT(PutPolicy("locked-bucket", R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny",
    "Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::locked-bucket","arn:aws:s3:::locked-bucket/*"]}]})"),
              IsOk());
  EXPECT_THAT(S3("GET", "/locked-bucket?list-type=2"), HasAwsError("AccessDenied"));
  ASSERT_THAT(S3("DELETE", "/locked-bucket?policy"), IsOk());
  EXPECT_THAT(S3("GET", "/locked-bucket?list-type=2"), IsOk());
}

TEST_F(S3Test, MissingKeyWithoutListBucketPermissionIsAccessDenied) {
  CreateBucket("hidden-bucket");
  ASSERT_THAT(PutPolicy("hidden-bucket", R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny",
    "Principal":"*","Action":"s3:ListBucket","Resource":"arn:aws:s3:::hidden-bucket"}]})"),
              IsOk());
  auto r = S3("GET", "/hidden-bucket/missing");
  EXPECT_THAT(r, HasAwsError("AccessDenied"));
  EXPECT_THAT(r->error_message, HasSubstr("s3:ListBucket"));
}

TEST_F(S3Test, ListBucketConditionKeysAreEvaluated) {
  CreateBucket("prefix-bucket");
  ASSERT_THAT(PutPolicy("prefix-bucket", R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny",
    "Principal":"*","Action":"s3:ListBucket","Resource":"arn:aws:s3:::prefix-bucket",
    "Condition":{"StringNotLike":{"s3:prefix":"public/*"}}}]})"),
              IsOk());
  EXPECT_THAT(S3("GET", "/prefix-bucket?list-type=2&prefix=public%2Fa"), IsOk());
  EXPECT_THAT(S3("GET", "/prefix-bucket?list-type=2&prefix=private%2F"), HasAwsError("AccessDenied"));
  EXPECT_THAT(S3("GET", "/prefix-bucket?list-type=2"), HasAwsError("AccessDenied"));
}

// ---------------------------------------------------------------------------
// Addressing and in-process calls
// ---------------------------------------------------------------------------

TEST_F(S3Test, VirtualHostAddressingNamesTheBucketInTheHost) {
  CreateBucket("vhost-bucket");
  std::string host = "vhost-bucket.localhost:" + std::to_string(emulator().port());
  auto put = Root().Rest("s3", "PUT", "/key.txt", {{"Host", host}}, "virtual");
  ASSERT_THAT(put, IsOk());
  EXPECT_EQ(Get("vhost-bucket", "key.txt"), "virtual");
  auto list = Root().Rest("s3", "GET", "/?list-type=2", {{"Host", host}}, "");
  ASSERT_THAT(list, IsOk());
  EXPECT_EQ(XmlValue(list->http.body, "Key"), "key.txt");
}

TEST_F(S3Test, InProcessInvokeRunsTheSamePath) {
  CreateBucket("inproc-bucket");
  Service* s3 = emulator().env().FindService("s3");
  ASSERT_NE(s3, nullptr);
  RequestContext ctx = emulator().env().NewContext(RootPrincipal("000000000000"), "us-east-1");
  auto put = s3->Invoke(ctx, "PutObject",
                        {{"Bucket", "inproc-bucket"},
                         {"Key", "job/output.json"},
                         {"Body", crypto::Base64Encode("{\"rows\":1}")},
                         {"ContentType", "application/json"},
                         {"Metadata", {{"run", "jr_1"}}}});
  ASSERT_THAT(put, IsOk());
  EXPECT_EQ((*put)["ServerSideEncryption"], "AES256");
  auto get = s3->Invoke(ctx, "GetObject", {{"Bucket", "inproc-bucket"}, {"Key", "job/output.json"}});
  ASSERT_THAT(get, IsOk());
  EXPECT_EQ(*crypto::Base64Decode((*get)["Body"].get<std::string>()), "{\"rows\":1}");
  EXPECT_EQ((*get)["ContentType"], "application/json");
  EXPECT_EQ((*get)["Metadata"]["run"], "jr_1");
  auto list = s3->Invoke(ctx, "ListObjectsV2", {{"Bucket", "inproc-bucket"}, {"Prefix", "job/"}});
  ASSERT_THAT(list, IsOk());
  EXPECT_EQ((*list)["Contents"][0]["Key"], "job/output.json");
  EXPECT_THAT(s3->Invoke(ctx, "GetObject", {{"Bucket", "inproc-bucket"}, {"Key", "none"}}),
              HasAwsError("NoSuchKey"));
  RequestContext anonymous = emulator().env().NewContext(Principal{}, "us-east-1");
  EXPECT_THAT(s3->Invoke(anonymous, "GetObject",
                         {{"Bucket", "inproc-bucket"}, {"Key", "job/output.json"}}),
              HasAwsError("AccessDenied"));
}

}  // namespace
}  // namespace gee
