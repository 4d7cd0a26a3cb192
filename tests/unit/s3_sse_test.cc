// S3 server-side-encryption request handling: header validation and the
// choice between request headers, the bucket rule and the SSE-S3 default.
#include "services/s3/sse.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "crypto/encoding.h"
#include "tests/testing/matchers.h"

namespace gee::s3 {
namespace {

using testing::HasAwsError;
using testing::HasAwsErrorMessage;
using testing::IsOk;

using Headers = std::vector<server::HttpHeader>;

TEST(S3SseHeadersTest, NoHeadersRequestNothing) {
  auto r = ParseSseHeaders({{"Content-Type", "text/plain"}});
  ASSERT_THAT(r, IsOk());
  EXPECT_FALSE(r->algorithm.has_value());
  EXPECT_FALSE(r->kms_key_id.has_value());
}

TEST(S3SseHeadersTest, UnknownAlgorithmFailsWithInvalidArgument) {
  EXPECT_THAT(ParseSseHeaders({{"x-amz-server-side-encryption", "AES512"}}),
              HasAwsErrorMessage("InvalidArgument", "The encryption method specified is not supported"));
  EXPECT_THAT(ParseSseHeaders({{"x-amz-server-side-encryption", ""}}), HasAwsError("InvalidArgument"));
}

TEST(S3SseHeadersTest, KeyIdWithoutAwsKmsFailsWithInvalidArgument) {
  const char* text =
      "Server Side Encryption with AWS KMS managed key requires HTTP header "
      "x-amz-server-side-encryption : aws:kms";
  EXPECT_THAT(ParseSseHeaders({{"x-amz-server-side-encryption-aws-kms-key-id", "k"}}),
              HasAwsErrorMessage("InvalidArgument", text));
  EXPECT_THAT(ParseSseHeaders({{"x-amz-server-side-encryption", "AES256"},
                               {"x-amz-server-side-encryption-aws-kms-key-id", "k"}}),
              HasAwsErrorMessage("InvalidArgument", text));
}

TEST(S3SseHeadersTest, ContextMustBeBase64JsonStringMap) {
  Headers ok = {{"x-amz-server-side-encryption", "aws:kms"},
                {"x-amz-server-side-encryption-context",
                 crypto::Base64Encode(R"({"project":"alpha"})")}};
  auto r = ParseSseHeaders(ok);
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->context_map.at("project"), "alpha");
  for (std::string bad : {std::string("not base64"), crypto::Base64Encode("[1,2]"),
                          crypto::Base64Encode(R"({"n":1})")}) {
    Headers h = {{"x-amz-server-side-encryption", "aws:kms"},
                 {"x-amz-server-side-encryption-context", bad}};
    EXPECT_THAT(ParseSseHeaders(h), HasAwsError("InvalidArgument")) << bad;
  }
}

TEST(S3SseHeadersTest, SseCAndDsseAreNotImplemented) {
  EXPECT_THAT(ParseSseHeaders({{"x-amz-server-side-encryption-customer-algorithm", "AES256"}}),
              HasAwsError("NotImplemented"));
  EXPECT_THAT(ParseSseHeaders({{"x-amz-server-side-encryption", "aws:kms:dsse"}}),
              HasAwsError("NotImplemented"));
}

TEST(S3SseHeadersTest, ReadOperationsRefuseSseHeaders) {
  EXPECT_THAT(RejectSseHeaders({{"x-amz-server-side-encryption", "aws:kms"}}),
              HasAwsErrorMessage("InvalidArgument",
                                 "x-amz-server-side-encryption header is not supported for this "
                                 "operation."));
  EXPECT_THAT(RejectSseHeaders({{"Range", "bytes=0-1"}}), IsOk());
}

TEST(S3SsePlanTest, NoHeaderAndNoRuleMeansSseS3) {
  SsePlan plan = PlanSse(SseRequest{}, std::nullopt);
  EXPECT_EQ(plan.algorithm, "AES256");
}

TEST(S3SsePlanTest, AwsKmsWithoutKeyUsesTheAwsManagedKey) {
  SseRequest r;
  r.algorithm = "aws:kms";
  SsePlan plan = PlanSse(r, std::nullopt);
  EXPECT_EQ(plan.algorithm, "aws:kms");
  EXPECT_EQ(plan.kms_key_id, "alias/aws/s3");
  EXPECT_FALSE(plan.bucket_key);
}

TEST(S3SsePlanTest, BucketRuleAppliesWhenTheRequestSaysNothing) {
  BucketEncryption rule;
  rule.algorithm = "aws:kms";
  rule.kms_master_key_id = "1234abcd-12ab-34cd-56ef-1234567890ab";
  rule.bucket_key_enabled = true;
  SsePlan plan = PlanSse(SseRequest{}, rule);
  EXPECT_EQ(plan.algorithm, "aws:kms");
  EXPECT_EQ(plan.kms_key_id, rule.kms_master_key_id);
  EXPECT_TRUE(plan.bucket_key);
}

TEST(S3SsePlanTest, RequestHeadersOverrideTheBucketRule) {
  BucketEncryption rule;
  rule.algorithm = "aws:kms";
  rule.kms_master_key_id = "rule-key";
  rule.bucket_key_enabled = true;
  SseRequest aes;
  aes.algorithm = "AES256";
  EXPECT_EQ(PlanSse(aes, rule).algorithm, "AES256");
  SseRequest kms;
  kms.algorithm = "aws:kms";
  kms.kms_key_id = "request-key";
  kms.bucket_key = false;
  SsePlan plan = PlanSse(kms, rule);
  EXPECT_EQ(plan.kms_key_id, "request-key");
  EXPECT_FALSE(plan.bucket_key);
  SseRequest inherit;
  inherit.algorithm = "aws:kms";
  EXPECT_TRUE(PlanSse(inherit, rule).bucket_key);  // inherits BucketKeyEnabled
  EXPECT_EQ(PlanSse(inherit, rule).kms_key_id, "alias/aws/s3");
}

TEST(S3BucketEncryptionTest, JsonRoundTrips) {
  BucketEncryption rule;
  rule.algorithm = "aws:kms";
  rule.kms_master_key_id = "alias/data";
  rule.bucket_key_enabled = true;
  auto back = ParseBucketEncryption(BucketEncryptionJson(rule));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->algorithm, "aws:kms");
  EXPECT_EQ(back->kms_master_key_id, "alias/data");
  EXPECT_TRUE(back->bucket_key_enabled);
  EXPECT_FALSE(ParseBucketEncryption(std::nullopt).has_value());
}

TEST(S3ArnTest, BucketAndObjectArns) {
  EXPECT_EQ(BucketArn("b"), "arn:aws:s3:::b");
  EXPECT_EQ(ObjectArn("b", "d/k"), "arn:aws:s3:::b/d/k");
}

}  // namespace
}  // namespace gee::s3
