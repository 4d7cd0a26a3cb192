// SSE-KMS through S3 over real HTTP (spec §7): data keys made by KMS as the
// requester through S3 (kms:ViaService), key ARNs in the response headers,
// the aws/s3 managed key, bucket default encryption and bucket keys, the
// S3 answers to KMS failures (disabled, pending deletion, unknown keys,
// missing kms:GenerateDataKey / kms:Decrypt), multipart SSE-KMS needing
// kms:Decrypt, copies re-encrypted for their destination, and inspection.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "auth/sigv4.h"
#include "crypto/encoding.h"
#include "services/s3/checksums.h"
#include "tests/testing/emulator_fixture.h"

namespace gee {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using testing::EmulatorTest;
using testing::HasAwsError;
using testing::HasAwsErrorMessage;
using testing::IsOk;
using harness::Header;
using Json = nlohmann::json;

constexpr char kAccount[] = "000000000000";
constexpr char kRoot[] = "arn:aws:iam::000000000000:root";

std::string XmlValue(const std::string& xml, const std::string& name) {
  std::string open = "<" + name + ">";
  size_t a = xml.find(open);
  if (a == std::string::npos) return "";
  a += open.size();
  size_t b = xml.find("</" + name + ">", a);
  return b == std::string::npos ? "" : xml.substr(a, b - a);
}

std::string ContentMd5(std::string_view body) {
  return crypto::Base64Encode(s3::Md5Bytes(*s3::Md5Of(body)));
}

// A key policy statement for the account root.
Json RootStatement(const std::string& sid, const Json& actions, const Json& condition = nullptr) {
  Json s = {{"Sid", sid}, {"Effect", "Allow"}, {"Principal", {{"AWS", kRoot}}},
            {"Action", actions}, {"Resource", "*"}};
  if (!condition.is_null()) s["Condition"] = condition;
  return s;
}

class S3KmsTest : public EmulatorTest {
 protected:
  void SetUp() override {
    EmulatorTest::SetUp();
    ASSERT_THAT(S3("PUT", "/kms-bucket"), IsOk());
  }

  Result<harness::ApiResponse> S3(std::string_view method, std::string_view target,
                                  std::vector<Header> headers = {}, std::string_view body = "") {
    return Root().Rest("s3", method, target, std::move(headers), body);
  }

  // A symmetric key with the default policy (the account root may use it);
  // returns its metadata.
  Json CreateKey(const Json& policy = nullptr) {
    Json input = {{"Description", "s3 test key"}};
    if (!policy.is_null()) {
      input["Policy"] = policy.dump();
      input["BypassPolicyLockoutSafetyCheck"] = true;
    }
    auto r = Root().Json("kms", "CreateKey", input);
    EXPECT_THAT(r, IsOk());
    return r.ok() ? r->json["KeyMetadata"] : Json();
  }

  // A key whose policy lets the root administer it and do `usage` actions.
  Json KeyAllowing(const Json& usage, const Json& condition = nullptr) {
    Json policy = {{"Version", "2012-10-17"},
                   {"Statement",
                    {RootStatement("Admin", {"kms:Describe*", "kms:Put*", "kms:Get*",
                                             "kms:Enable*", "kms:Disable*", "kms:Schedule*",
                                             "kms:Cancel*", "kms:List*"}),
                     RootStatement("Use", usage, condition)}}};
    return CreateKey(policy);
  }

  Result<harness::ApiResponse> PutKms(const std::string& key, std::string_view body,
                                      const std::string& key_id = "") {
    std::vector<Header> h = {{"x-amz-server-side-encryption", "aws:kms"}};
    if (!key_id.empty()) h.push_back({"x-amz-server-side-encryption-aws-kms-key-id", key_id});
    return S3("PUT", "/kms-bucket/" + key, h, body);
  }

  Result<harness::ApiResponse> PutEncryption(const std::string& xml) {
    return S3("PUT", "/kms-bucket?encryption", {{"Content-MD5", ContentMd5(xml)}}, xml);
  }

  static std::string KmsRule(const std::string& key_id, bool bucket_key) {
    std::string key = key_id.empty() ? "" : "<KMSMasterKeyID>" + key_id + "</KMSMasterKeyID>";
    return "<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault>"
           "<SSEAlgorithm>aws:kms</SSEAlgorithm>" + key +
           "</ApplyServerSideEncryptionByDefault><BucketKeyEnabled>" +
           (bucket_key ? "true" : "false") + "</BucketKeyEnabled></Rule>"
           "</ServerSideEncryptionConfiguration>";
  }
};

TEST_F(S3KmsTest, PutWithCustomerKeyIdReturnsTheKeyArnAndGetDecrypts) {
  Json key = CreateKey();
  auto put = PutKms("secret.txt", "kms protected", key["KeyId"]);
  ASSERT_THAT(put, IsOk());
  EXPECT_EQ(put->http.Header("x-amz-server-side-encryption"), "aws:kms");
  EXPECT_EQ(put->http.Header("x-amz-server-side-encryption-aws-kms-key-id"), key["Arn"]);
  EXPECT_EQ(put->http.Header("x-amz-server-side-encryption-bucket-key-enabled"), "");
  auto get = S3("GET", "/kms-bucket/secret.txt");
  ASSERT_THAT(get, IsOk());
  EXPECT_EQ(get->http.body, "kms protected");
  EXPECT_EQ(get->http.Header("x-amz-server-side-encryption"), "aws:kms");
  EXPECT_EQ(get->http.Header("x-amz-server-side-encryption-aws-kms-key-id"), key["Arn"]);
  EXPECT_EQ(get->http.Header("x-amz-server-side-encryption-context"), "");
}

TEST_F(S3KmsTest, AwsKmsWithoutKeyUsesTheAwsManagedS3Key) {
  auto put = PutKms("managed.txt", "x");
  ASSERT_THAT(put, IsOk());
  auto described = Root().Json("kms", "DescribeKey", {{"KeyId", "alias/aws/s3"}});
  ASSERT_THAT(described, IsOk());
  EXPECT_EQ(put->http.Header("x-amz-server-side-encryption-aws-kms-key-id"),
            described->json["KeyMetadata"]["Arn"]);
  EXPECT_EQ(described->json["KeyMetadata"]["KeyManager"], "AWS");
  EXPECT_EQ(S3("GET", "/kms-bucket/managed.txt")->http.body, "x");
}

TEST_F(S3KmsTest, TheAwsManagedKeyIsUsableOnlyThroughS3) {
  ASSERT_THAT(PutKms("managed.txt", "x"), IsOk());
  auto direct = Root().Json("kms", "GenerateDataKey",
                            {{"KeyId", "alias/aws/s3"}, {"NumberOfBytes", 32}});
  EXPECT_THAT(direct, HasAwsError("AccessDeniedException"));
}

TEST_F(S3KmsTest, BucketDefaultKmsRuleAppliesToPutsWithoutHeaders) {
  Json key = CreateKey();
  ASSERT_THAT(PutEncryption(KmsRule(key["KeyId"], false)), IsOk());
  auto put = S3("PUT", "/kms-bucket/default.txt", {}, "by default");
  ASSERT_THAT(put, IsOk());
  EXPECT_EQ(put->http.Header("x-amz-server-side-encryption"), "aws:kms");
  EXPECT_EQ(put->http.Header("x-amz-server-side-encryption-aws-kms-key-id"), key["Arn"]);
  // Explicit headers override the rule.
  auto aes = S3("PUT", "/kms-bucket/aes.txt", {{"x-amz-server-side-encryption", "AES256"}}, "x");
  EXPECT_EQ(aes->http.Header("x-amz-server-side-encryption"), "AES256");
  // An aws:kms rule without a key uses aws/s3.
  ASSERT_THAT(PutEncryption(KmsRule("", false)), IsOk());
  auto managed = S3("PUT", "/kms-bucket/managed.txt", {}, "x");
  auto described = Root().Json("kms", "DescribeKey", {{"KeyId", "alias/aws/s3"}});
  EXPECT_EQ(managed->http.Header("x-amz-server-side-encryption-aws-kms-key-id"),
            described->json["KeyMetadata"]["Arn"]);
}

TEST_F(S3KmsTest, BucketKeyUsesTheBucketArnAsEncryptionContext) {
  // The key may be used only with the bucket ARN as context.
  Json key = KeyAllowing({"kms:GenerateDataKey", "kms:Decrypt"},
                         {{"StringEquals", {{"kms:EncryptionContext:aws:s3:arn",
                                             "arn:aws:s3:::kms-bucket"}}}});
  ASSERT_THAT(PutEncryption(KmsRule(key["KeyId"], true)), IsOk());
  auto put = S3("PUT", "/kms-bucket/bk.txt", {}, "bucket key");
  ASSERT_THAT(put, IsOk());
  EXPECT_EQ(put->http.Header("x-amz-server-side-encryption-bucket-key-enabled"), "true");
  auto get = S3("GET", "/kms-bucket/bk.txt");
  ASSERT_THAT(get, IsOk());
  EXPECT_EQ(get->http.body, "bucket key");
  EXPECT_EQ(get->http.Header("x-amz-server-side-encryption-bucket-key-enabled"), "true");
  // Without a bucket key the context is the object ARN, which the policy refuses.
  auto no_bucket_key = S3("PUT", "/kms-bucket/nbk.txt",
                          {{"x-amz-server-side-encryption", "aws:kms"},
                           {"x-amz-server-side-encryption-aws-kms-key-id", key["KeyId"]},
                           {"x-amz-server-side-encryption-bucket-key-enabled", "false"}},
                          "x");
  EXPECT_THAT(no_bucket_key, HasAwsError("AccessDenied"));
}

TEST_F(S3KmsTest, ObjectArnIsTheEncryptionContextWithoutABucketKey) {
  Json key = KeyAllowing({"kms:GenerateDataKey", "kms:Decrypt"},
                         {{"StringLike", {{"kms:EncryptionContext:aws:s3:arn",
                                           "arn:aws:s3:::kms-bucket/allowed/*"}}}});
  EXPECT_THAT(PutKms("allowed/a.txt", "x", key["KeyId"]), IsOk());
  EXPECT_THAT(PutKms("other/a.txt", "x", key["KeyId"]), HasAwsError("AccessDenied"));
}

TEST_F(S3KmsTest, CallerEncryptionContextIsMergedAndEchoed) {
  Json key = KeyAllowing({"kms:GenerateDataKey", "kms:Decrypt"},
                         {{"StringEquals", {{"kms:EncryptionContext:project", "alpha"}}}});
  std::string context = crypto::Base64Encode(R"({"project":"alpha"})");
  auto put = S3("PUT", "/kms-bucket/ctx.txt",
                {{"x-amz-server-side-encryption", "aws:kms"},
                 {"x-amz-server-side-encryption-aws-kms-key-id", key["Arn"]},
                 {"x-amz-server-side-encryption-context", context}},
                "with context");
  ASSERT_THAT(put, IsOk());
  auto echoed = crypto::Base64Decode(put->http.Header("x-amz-server-side-encryption-context"));
  ASSERT_THAT(echoed, IsOk());
  Json merged = Json::parse(*echoed);
  EXPECT_EQ(merged["project"], "alpha");
  EXPECT_EQ(merged["aws:s3:arn"], "arn:aws:s3:::kms-bucket/ctx.txt");
  EXPECT_EQ(S3("GET", "/kms-bucket/ctx.txt")->http.body, "with context");
  EXPECT_THAT(PutKms("noctx.txt", "x", key["Arn"]), HasAwsError("AccessDenied"));
}

TEST_F(S3KmsTest, KmsDataKeysAreRequestedThroughS3WithViaService) {
  Json key = KeyAllowing({"kms:GenerateDataKey", "kms:Decrypt"},
                         {{"StringEquals", {{"kms:ViaService", "s3.us-east-1.amazonaws.com"}}}});
  ASSERT_THAT(PutKms("via.txt", "x", key["KeyId"]), IsOk());
  EXPECT_EQ(S3("GET", "/kms-bucket/via.txt")->http.body, "x");
  auto direct = Root().Json("kms", "GenerateDataKey", {{"KeyId", key["KeyId"]}, {"NumberOfBytes", 32}});
  EXPECT_THAT(direct, HasAwsError("AccessDeniedException"));
}

TEST_F(S3KmsTest, MissingGenerateDataKeyPermissionFailsPutWithAccessDenied) {
  Json key = KeyAllowing({"kms:Decrypt"});
  auto put = PutKms("denied.txt", "x", key["KeyId"]);
  ASSERT_THAT(put, HasAwsError("AccessDenied"));
  EXPECT_EQ(put->http.status, 403);
  EXPECT_EQ(put->error_message,
            "User: arn:aws:iam::000000000000:root is not authorized to perform: "
            "kms:GenerateDataKey on resource: " + key["Arn"].get<std::string>() +
                " because no resource-based policy allows the kms:GenerateDataKey action");
  EXPECT_THAT(S3("GET", "/kms-bucket/denied.txt"), HasAwsError("NoSuchKey"));
}

TEST_F(S3KmsTest, MissingDecryptPermissionFailsGetWithAccessDeniedButHeadWorks) {
  Json key = KeyAllowing({"kms:GenerateDataKey"});
  ASSERT_THAT(PutKms("nodecrypt.txt", "x", key["KeyId"]), IsOk());
  auto get = S3("GET", "/kms-bucket/nodecrypt.txt");
  ASSERT_THAT(get, HasAwsError("AccessDenied"));
  EXPECT_THAT(get->error_message, HasSubstr("kms:Decrypt on resource: " + key["Arn"].get<std::string>()));
  EXPECT_THAT(S3("HEAD", "/kms-bucket/nodecrypt.txt"), IsOk());
}

TEST_F(S3KmsTest, MultipartSseKmsNeedsDecryptForEachPart) {
  Json key = KeyAllowing({"kms:GenerateDataKey"});
  auto start = S3("POST", "/kms-bucket/mpu.bin?uploads",
                  {{"x-amz-server-side-encryption", "aws:kms"},
                   {"x-amz-server-side-encryption-aws-kms-key-id", key["KeyId"]}});
  ASSERT_THAT(start, IsOk());
  EXPECT_EQ(start->http.Header("x-amz-server-side-encryption-aws-kms-key-id"), key["Arn"]);
  std::string upload = XmlValue(start->http.body, "UploadId");
  auto part = S3("PUT", "/kms-bucket/mpu.bin?partNumber=1&uploadId=" + upload, {}, "part");
  ASSERT_THAT(part, HasAwsError("AccessDenied"));
  EXPECT_THAT(part->error_message, HasSubstr("kms:Decrypt"));
}

TEST_F(S3KmsTest, MultipartSseKmsRoundTrips) {
  Json key = CreateKey();
  auto start = S3("POST", "/kms-bucket/mpu.bin?uploads",
                  {{"x-amz-server-side-encryption", "aws:kms"},
                   {"x-amz-server-side-encryption-aws-kms-key-id", key["Arn"]}});
  std::string upload = XmlValue(start->http.body, "UploadId");
  std::string p1(5 * 1024 * 1024, 'p');
  auto r1 = S3("PUT", "/kms-bucket/mpu.bin?partNumber=1&uploadId=" + upload, {}, p1);
  auto r2 = S3("PUT", "/kms-bucket/mpu.bin?partNumber=2&uploadId=" + upload, {}, "tail");
  ASSERT_THAT(r1, IsOk());
  ASSERT_THAT(r2, IsOk());
  EXPECT_EQ(r1->http.Header("x-amz-server-side-encryption"), "aws:kms");
  std::string xml = "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>" +
                    std::string(r1->http.Header("ETag")) +
                    "</ETag></Part><Part><PartNumber>2</PartNumber><ETag>" +
                    std::string(r2->http.Header("ETag")) + "</ETag></Part></CompleteMultipartUpload>";
  auto done = S3("POST", "/kms-bucket/mpu.bin?uploadId=" + upload, {}, xml);
  ASSERT_THAT(done, IsOk());
  EXPECT_EQ(done->http.Header("x-amz-server-side-encryption-aws-kms-key-id"), key["Arn"]);
  auto get = S3("GET", "/kms-bucket/mpu.bin");
  ASSERT_THAT(get, IsOk());
  EXPECT_EQ(get->http.body, p1 + "tail");
}

TEST_F(S3KmsTest, DisabledKeyFailsPutAndGetWithKmsDisabledException) {
  Json key = CreateKey();
  ASSERT_THAT(PutKms("before.txt", "x", key["KeyId"]), IsOk());
  ASSERT_THAT(Root().Json("kms", "DisableKey", {{"KeyId", key["KeyId"]}}), IsOk());
  const std::string text = key["Arn"].get<std::string>() + " is disabled.";
  auto put = PutKms("after.txt", "x", key["KeyId"]);
  EXPECT_THAT(put, HasAwsErrorMessage("KMS.DisabledException", text));
  EXPECT_EQ(put->http.status, 400);
  EXPECT_THAT(S3("GET", "/kms-bucket/before.txt"), HasAwsErrorMessage("KMS.DisabledException", text));
  EXPECT_THAT(S3("HEAD", "/kms-bucket/before.txt"), IsOk());
  ASSERT_THAT(Root().Json("kms", "EnableKey", {{"KeyId", key["KeyId"]}}), IsOk());
  EXPECT_EQ(S3("GET", "/kms-bucket/before.txt")->http.body, "x");
}

TEST_F(S3KmsTest, KeyPendingDeletionFailsGetWithKmsInvalidState) {
  Json key = CreateKey();
  ASSERT_THAT(PutKms("doomed.txt", "x", key["KeyId"]), IsOk());
  ASSERT_THAT(Root().Json("kms", "ScheduleKeyDeletion",
                          {{"KeyId", key["KeyId"]}, {"PendingWindowInDays", 7}}),
              IsOk());
  EXPECT_THAT(S3("GET", "/kms-bucket/doomed.txt"),
              HasAwsErrorMessage("KMS.KMSInvalidStateException",
                                 key["Arn"].get<std::string>() + " is pending deletion."));
}

TEST_F(S3KmsTest, UnknownOrMalformedKeysFailWithKmsNotFound) {
  const std::string missing = "11111111-2222-3333-4444-555555555555";
  EXPECT_THAT(PutKms("a", "x", missing),
              HasAwsErrorMessage("KMS.NotFoundException",
                                 "Key 'arn:aws:kms:us-east-1:000000000000:key/" + missing +
                                     "' does not exist"));
  EXPECT_THAT(PutKms("a", "x", "fake-key-id"),
              HasAwsErrorMessage("KMS.NotFoundException", "Invalid keyId 'fake-key-id'"));
  Json key = CreateKey();
  std::string other_region = key["Arn"].get<std::string>();
  other_region.replace(other_region.find("us-east-1"), 9, "us-west-2");
  EXPECT_THAT(PutKms("a", "x", other_region),
              HasAwsErrorMessage("KMS.NotFoundException", "Invalid arn us-west-2"));
  EXPECT_THAT(S3("POST", "/kms-bucket/a?uploads",
                 {{"x-amz-server-side-encryption", "aws:kms"},
                  {"x-amz-server-side-encryption-aws-kms-key-id", "fake-key-id"}}),
              HasAwsError("KMS.NotFoundException"));
  EXPECT_THAT(S3("PUT", "/kms-bucket/a", {}, "x"), IsOk());
  EXPECT_THAT(S3("PUT", "/kms-bucket/b",
                 {{"x-amz-copy-source", "/kms-bucket/a"},
                  {"x-amz-server-side-encryption", "aws:kms"},
                  {"x-amz-server-side-encryption-aws-kms-key-id", "fake-key-id"}}),
              HasAwsError("KMS.NotFoundException"));
}

TEST_F(S3KmsTest, CopyReencryptsForTheDestination) {
  Json key = CreateKey();
  ASSERT_THAT(S3("PUT", "/kms-bucket/plain.txt", {}, "copy across"), IsOk());
  auto to_kms = S3("PUT", "/kms-bucket/kms.txt",
                   {{"x-amz-copy-source", "/kms-bucket/plain.txt"},
                    {"x-amz-server-side-encryption", "aws:kms"},
                    {"x-amz-server-side-encryption-aws-kms-key-id", key["KeyId"]}});
  ASSERT_THAT(to_kms, IsOk());
  EXPECT_EQ(to_kms->http.Header("x-amz-server-side-encryption"), "aws:kms");
  EXPECT_EQ(to_kms->http.Header("x-amz-server-side-encryption-aws-kms-key-id"), key["Arn"]);
  auto back = S3("PUT", "/kms-bucket/back.txt", {{"x-amz-copy-source", "/kms-bucket/kms.txt"}});
  ASSERT_THAT(back, IsOk());
  EXPECT_EQ(back->http.Header("x-amz-server-side-encryption"), "AES256");
  EXPECT_EQ(S3("GET", "/kms-bucket/back.txt")->http.body, "copy across");
}

TEST_F(S3KmsTest, CopyOfKmsObjectNeedsDecryptOnTheSourceKey) {
  Json key = KeyAllowing({"kms:GenerateDataKey"});
  ASSERT_THAT(PutKms("src.txt", "x", key["KeyId"]), IsOk());
  auto copy = S3("PUT", "/kms-bucket/dst.txt", {{"x-amz-copy-source", "/kms-bucket/src.txt"}});
  EXPECT_THAT(copy, HasAwsError("AccessDenied"));
  EXPECT_THAT(copy->error_message, HasSubstr("kms:Decrypt"));
}

TEST_F(S3KmsTest, DenyUnlessAwsKmsPolicyAllowsKmsUploads) {
  std::string policy = R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*",
    "Action":"s3:PutObject","Resource":"arn:aws:s3:::kms-bucket/*",
    "Condition":{"StringNotEquals":{"s3:x-amz-server-side-encryption":"aws:kms"}}}]})";
  ASSERT_THAT(S3("PUT", "/kms-bucket?policy", {{"Content-MD5", ContentMd5(policy)}}, policy), IsOk());
  EXPECT_THAT(S3("PUT", "/kms-bucket/plain", {}, "x"), HasAwsError("AccessDenied"));
  EXPECT_THAT(PutKms("kms", "x"), IsOk());
  // A multipart upload started with aws:kms may send its parts (the parts
  // are judged by the headers of CreateMultipartUpload).
  auto start = S3("POST", "/kms-bucket/mpu?uploads", {{"x-amz-server-side-encryption", "aws:kms"}});
  ASSERT_THAT(start, IsOk());
  std::string upload = XmlValue(start->http.body, "UploadId");
  EXPECT_THAT(S3("PUT", "/kms-bucket/mpu?partNumber=1&uploadId=" + upload, {}, "x"), IsOk());
}

TEST_F(S3KmsTest, KeyIdConditionKeyIsTheHeaderAsSent) {
  Json key = CreateKey();
  std::string policy = R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*",
    "Action":"s3:PutObject","Resource":"arn:aws:s3:::kms-bucket/*",
    "Condition":{"StringNotEqualsIfExists":{"s3:x-amz-server-side-encryption-aws-kms-key-id":")" +
                       key["Arn"].get<std::string>() + R"("}}}]})";
  ASSERT_THAT(S3("PUT", "/kms-bucket?policy", {{"Content-MD5", ContentMd5(policy)}}, policy), IsOk());
  EXPECT_THAT(PutKms("by-arn", "x", key["Arn"]), IsOk());
  EXPECT_THAT(PutKms("by-id", "x", key["KeyId"]), HasAwsError("AccessDenied"));
}

TEST_F(S3KmsTest, InspectionNamesTheKmsKeyOfEveryPiece) {
  Json key = CreateKey();
  ASSERT_THAT(PutKms("inspect.txt", std::string(300 * 1024, 's'), key["KeyId"]), IsOk());
  std::string target = "/_gee/inspect?kind=s3-object&id=kms-bucket%2Finspect.txt&probe=" +
                       sigv4::UriEncode(crypto::Base64Encode(std::string(64, 's')), false);
  auto r = Root().Signed("s3", "GET", target, {}, "");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->status, 200) << r->body;
  Json out = Json::parse(r->body);
  ASSERT_EQ(out["records"].size(), 4u);  // data key, header, two segments
  for (const auto& rec : out["records"]) {
    EXPECT_EQ(rec["scheme"], "SSE-KMS");
    EXPECT_EQ(rec["protected_by"], key["Arn"]);
    EXPECT_FALSE(rec["probe_found"].get<bool>());
  }
}

TEST_F(S3KmsTest, SseKmsAccessDeniedIsLoggedAsAnS3Denial) {
  Json key = KeyAllowing({"kms:Decrypt"});
  auto put = PutKms("denied.txt", "x", key["KeyId"]);
  EXPECT_THAT(put->http.body, HasSubstr("<Code>AccessDenied</Code>"));
  EXPECT_FALSE(put->http.Header("x-amz-request-id").empty());
}

}  // namespace
}  // namespace gee
