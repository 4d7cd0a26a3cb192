// S3 request interpretation: addressing, operation selection, bucket names,
// ranges, copy sources and stored metadata.
#include "services/s3/s3_request.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/testing/matchers.h"

namespace gee::s3 {
namespace {

using testing::HasAwsError;
using testing::IsOk;

Result<S3Op> Resolve(std::string_view method, std::string_view target, bool copy = false) {
  std::string_view path = target.substr(0, target.find('?'));
  std::string_view query =
      target.find('?') == std::string_view::npos ? "" : target.substr(target.find('?') + 1);
  Address a = ResolveAddress("127.0.0.1:4566", path);
  return ResolveOperation(method, a, S3Query::Parse(query), copy);
}

TEST(S3AddressTest, PathStyleSplitsBucketAndKey) {
  Address a = ResolveAddress("127.0.0.1:4566", "/my-bucket/dir/file.txt");
  EXPECT_EQ(a.bucket, "my-bucket");
  EXPECT_EQ(a.key, "dir/file.txt");
  EXPECT_FALSE(a.virtual_host);
}

TEST(S3AddressTest, PathStyleDecodesAndKeepsSlashesOfTheKey) {
  Address a = ResolveAddress("localhost:4566", "/my-bucket//a%20b/c%2Bd/");
  EXPECT_EQ(a.bucket, "my-bucket");
  EXPECT_EQ(a.key, "/a b/c+d/");
}

TEST(S3AddressTest, RootPathIsServiceLevel) {
  Address a = ResolveAddress("127.0.0.1:4566", "/");
  EXPECT_TRUE(a.bucket.empty());
  EXPECT_TRUE(a.key.empty());
}

TEST(S3AddressTest, BucketLevelPathHasNoKey) {
  EXPECT_EQ(ResolveAddress("127.0.0.1", "/b-1/").key, "");
  EXPECT_EQ(ResolveAddress("127.0.0.1", "/b-1").bucket, "b-1");
}

TEST(S3AddressTest, VirtualHostUnderLocalhostNamesTheBucket) {
  Address a = ResolveAddress("mybucket.localhost:4566", "/key/x");
  EXPECT_TRUE(a.virtual_host);
  EXPECT_EQ(a.bucket, "mybucket");
  EXPECT_EQ(a.key, "key/x");
}

TEST(S3AddressTest, VirtualHostWithS3LabelNamesTheBucket) {
  EXPECT_EQ(ResolveAddress("my.dotted.bucket.s3.us-east-1.amazonaws.com", "/k").bucket,
            "my.dotted.bucket");
  EXPECT_EQ(ResolveAddress("mybucket.s3.localhost.localstack.cloud:4566", "/k").bucket, "mybucket");
  EXPECT_EQ(ResolveAddress("mybucket.localhost.localstack.cloud:4566", "/k").bucket, "mybucket");
}

TEST(S3AddressTest, S3EndpointHostIsPathStyle) {
  Address a = ResolveAddress("s3.us-east-1.amazonaws.com", "/bkt/k");
  EXPECT_FALSE(a.virtual_host);
  EXPECT_EQ(a.bucket, "bkt");
}

TEST(S3AddressTest, ExtraBaseHostEnablesVirtualHosts) {
  std::vector<std::string> bases = {"gee.internal"};
  Address a = ResolveAddress("data.gee.internal:4566", "/obj", bases);
  EXPECT_EQ(a.bucket, "data");
  EXPECT_EQ(a.key, "obj");
  EXPECT_FALSE(ResolveAddress("gee.internal:4566", "/data/obj", bases).virtual_host);
}

TEST(S3OperationTest, MethodsAndSubresourcesSelectOperations) {
  EXPECT_EQ(*Resolve("GET", "/"), S3Op::kListBuckets);
  EXPECT_EQ(*Resolve("PUT", "/bkt"), S3Op::kCreateBucket);
  EXPECT_EQ(*Resolve("DELETE", "/bkt"), S3Op::kDeleteBucket);
  EXPECT_EQ(*Resolve("HEAD", "/bkt"), S3Op::kHeadBucket);
  EXPECT_EQ(*Resolve("GET", "/bkt?location"), S3Op::kGetBucketLocation);
  EXPECT_EQ(*Resolve("PUT", "/bkt?encryption"), S3Op::kPutBucketEncryption);
  EXPECT_EQ(*Resolve("GET", "/bkt?encryption="), S3Op::kGetBucketEncryption);
  EXPECT_EQ(*Resolve("DELETE", "/bkt?encryption"), S3Op::kDeleteBucketEncryption);
  EXPECT_EQ(*Resolve("PUT", "/bkt?policy"), S3Op::kPutBucketPolicy);
  EXPECT_EQ(*Resolve("GET", "/bkt?list-type=2&prefix=a"), S3Op::kListObjectsV2);
  EXPECT_EQ(*Resolve("GET", "/bkt?prefix=a"), S3Op::kListObjects);
  EXPECT_EQ(*Resolve("GET", "/bkt?uploads"), S3Op::kListMultipartUploads);
  EXPECT_EQ(*Resolve("POST", "/bkt?delete"), S3Op::kDeleteObjects);
  EXPECT_EQ(*Resolve("PUT", "/bkt/k"), S3Op::kPutObject);
  EXPECT_EQ(*Resolve("PUT", "/bkt/k?x-id=PutObject"), S3Op::kPutObject);
  EXPECT_EQ(*Resolve("PUT", "/bkt/k", true), S3Op::kCopyObject);
  EXPECT_EQ(*Resolve("GET", "/bkt/k"), S3Op::kGetObject);
  EXPECT_EQ(*Resolve("HEAD", "/bkt/k"), S3Op::kHeadObject);
  EXPECT_EQ(*Resolve("DELETE", "/bkt/k"), S3Op::kDeleteObject);
  EXPECT_EQ(*Resolve("POST", "/bkt/k?uploads"), S3Op::kCreateMultipartUpload);
  EXPECT_EQ(*Resolve("PUT", "/bkt/k?partNumber=1&uploadId=u"), S3Op::kUploadPart);
  EXPECT_EQ(*Resolve("PUT", "/bkt/k?partNumber=1&uploadId=u", true), S3Op::kUploadPartCopy);
  EXPECT_EQ(*Resolve("POST", "/bkt/k?uploadId=u"), S3Op::kCompleteMultipartUpload);
  EXPECT_EQ(*Resolve("DELETE", "/bkt/k?uploadId=u"), S3Op::kAbortMultipartUpload);
  EXPECT_EQ(*Resolve("GET", "/bkt/k?uploadId=u"), S3Op::kListParts);
}

TEST(S3OperationTest, UnemulatedSubresourceFailsWithNotImplemented) {
  EXPECT_THAT(Resolve("GET", "/bkt?acl"), HasAwsError("NotImplemented"));
  EXPECT_THAT(Resolve("PUT", "/bkt/k?tagging"), HasAwsError("NotImplemented"));
  EXPECT_THAT(Resolve("GET", "/bkt?versions"), HasAwsError("NotImplemented"));
}

TEST(S3OperationTest, UnsupportedMethodFailsWithMethodNotAllowed) {
  auto r = Resolve("PATCH", "/bkt/k");
  ASSERT_THAT(r, HasAwsError("MethodNotAllowed"));
  EXPECT_EQ(r.error().http_status, 405);
  EXPECT_THAT(Resolve("DELETE", "/"), HasAwsError("MethodNotAllowed"));
}

TEST(S3BucketNameTest, AcceptsNamesS3Allows) {
  for (const std::string& n :
       {std::string("abc"), std::string("my-bucket"), std::string("my.bucket.name"),
        std::string("a1b2c3"), std::string(63, 'a')}) {
    EXPECT_TRUE(IsValidBucketName(n)) << n;
  }
}

TEST(S3BucketNameTest, RejectsNamesS3Refuses) {
  for (const char* n : {"ab", "Upper", "under_score", "-start", "end-", "two..dots", "192.168.1.1",
                        "xn--punycode", "bucket-s3alias", "dot.-dash", "has space"}) {
    EXPECT_FALSE(IsValidBucketName(n)) << n;
  }
  EXPECT_FALSE(IsValidBucketName(std::string(64, 'a')));
}

TEST(S3RangeTest, AbsentOrMalformedRangeMeansWholeObject) {
  EXPECT_FALSE(ParseRange("", 10)->has_value());
  EXPECT_FALSE(ParseRange("items=0-1", 10)->has_value());
  EXPECT_FALSE(ParseRange("bytes=5-2", 10)->has_value());
  EXPECT_FALSE(ParseRange("bytes=0-1,3-4", 10)->has_value());
  EXPECT_FALSE(ParseRange("bytes=a-", 10)->has_value());
}

TEST(S3RangeTest, ParsesClosedOpenAndSuffixRanges) {
  auto r = ParseRange("bytes=2-5", 10);
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ((*r)->first, 2u);
  EXPECT_EQ((*r)->last, 5u);
  EXPECT_EQ((*ParseRange("bytes=7-", 10))->length(), 3u);
  EXPECT_EQ((*ParseRange("bytes=3-100", 10))->last, 9u);
  auto suffix = ParseRange("bytes=-4", 10);
  EXPECT_EQ((*suffix)->first, 6u);
  EXPECT_EQ((*suffix)->last, 9u);
  EXPECT_EQ((*ParseRange("bytes=-40", 10))->first, 0u);
}

TEST(S3RangeTest, RangePastTheEndFailsWithInvalidRange) {
  auto r = ParseRange("bytes=10-20", 10);
  ASSERT_THAT(r, HasAwsError("InvalidRange"));
  EXPECT_EQ(r.error().http_status, 416);
  EXPECT_THAT(ParseRange("bytes=0-", 0), HasAwsError("InvalidRange"));
  EXPECT_THAT(ParseRange("bytes=-0", 10), HasAwsError("InvalidRange"));
}

TEST(S3CopySourceTest, ParsesBucketAndEncodedKey) {
  auto cs = ParseCopySource("/src-bucket/dir/a%20b.txt");
  ASSERT_THAT(cs, IsOk());
  EXPECT_EQ(cs->bucket, "src-bucket");
  EXPECT_EQ(cs->key, "dir/a b.txt");
  EXPECT_EQ(ParseCopySource("src-bucket/k?versionId=null")->key, "k");
}

TEST(S3CopySourceTest, MalformedCopySourceFailsWithInvalidArgument) {
  EXPECT_THAT(ParseCopySource("no-key"), HasAwsError("InvalidArgument"));
  EXPECT_THAT(ParseCopySource("/b/k?versionId=3"), HasAwsError("InvalidArgument"));
}

TEST(S3MetadataTest, KeepsSystemHeadersAndUserMetadataWithoutAwsChunked) {
  std::vector<server::HttpHeader> headers = {
      {"Content-Type", "text/plain"},      {"X-Amz-Meta-Owner", "alice"},
      {"Content-Encoding", "aws-chunked"}, {"Authorization", "secret"},
      {"Cache-Control", "no-cache"}};
  auto meta = StoredMetadata(headers);
  ASSERT_THAT(meta, IsOk());
  auto j = nlohmann::json::parse(*meta);
  EXPECT_EQ(j["content-type"], "text/plain");
  EXPECT_EQ(j["x-amz-meta-owner"], "alice");
  EXPECT_EQ(j["cache-control"], "no-cache");
  EXPECT_FALSE(j.contains("content-encoding"));
  EXPECT_FALSE(j.contains("authorization"));
}

TEST(S3MetadataTest, OversizedUserMetadataFailsWithMetadataTooLarge) {
  std::vector<server::HttpHeader> headers = {{"x-amz-meta-big", std::string(3000, 'x')}};
  EXPECT_THAT(StoredMetadata(headers), HasAwsError("MetadataTooLarge"));
}

}  // namespace
}  // namespace gee::s3
