// The gateway over real HTTP: routing, SigV4 authentication errors per
// protocol, request ids, operational endpoints and server limits.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "tests/testing/emulator_fixture.h"

namespace gee {
namespace {

using ::testing::HasSubstr;
using testing::EmulatorTest;
using testing::HasAwsError;
using testing::HasAwsErrorMessage;
using testing::IsOk;

class GatewayTest : public EmulatorTest {};

TEST_F(GatewayTest, GetCallerIdentityReturnsTheRootOfTheAccount) {
  auto r = Root().Query("sts", "GetCallerIdentity", {});
  ASSERT_THAT(r, IsOk());
  EXPECT_THAT(r->http.body, HasSubstr("<Account>000000000000</Account>"));
  EXPECT_THAT(r->http.body, HasSubstr("<Arn>arn:aws:iam::000000000000:root</Arn>"));
  EXPECT_THAT(r->http.body, HasSubstr("<UserId>000000000000</UserId>"));
  EXPECT_EQ(r->http.Header("Content-Type"), "text/xml");
}

TEST_F(GatewayTest, QueryRequestWithUnknownAccessKeyFailsWithInvalidClientTokenId) {
  auto client = ClientFor({"AKIAUNKNOWNKEY000000", "secret", ""});
  auto r = client->Query("sts", "GetCallerIdentity", {});
  EXPECT_THAT(r, HasAwsErrorMessage("InvalidClientTokenId",
                                    "The security token included in the request is invalid"));
  EXPECT_EQ(r->http.status, 403);
}

TEST_F(GatewayTest, QueryRequestWithWrongSecretFailsWithSignatureDoesNotMatch) {
  auto client = ClientFor({"test", "not-the-secret", ""});
  auto r = client->Query("sts", "GetCallerIdentity", {});
  EXPECT_THAT(r, HasAwsError("SignatureDoesNotMatch"));
  EXPECT_EQ(r->http.status, 403);
}

TEST_F(GatewayTest, JsonRequestWithUnknownAccessKeyFailsWithUnrecognizedClientException) {
  auto client = ClientFor({"AKIAUNKNOWNKEY000000", "secret", ""});
  auto r = client->Json("kms", "ListKeys", nlohmann::json::object());
  EXPECT_THAT(r, HasAwsErrorMessage("UnrecognizedClientException",
                                    "The security token included in the request is invalid."));
  EXPECT_EQ(r->http.status, 400);
  EXPECT_TRUE(r->json.contains("__type"));
}

TEST_F(GatewayTest, JsonRequestWithWrongSecretFailsWithInvalidSignatureException) {
  auto client = ClientFor({"test", "not-the-secret", ""});
  auto r = client->Json("kms", "ListKeys", nlohmann::json::object());
  EXPECT_THAT(r, HasAwsError("InvalidSignatureException"));
  EXPECT_EQ(r->http.status, 400);
}

TEST_F(GatewayTest, JsonRequestWithUnknownTargetFailsWithUnknownOperationException) {
  auto r = Root().Json("kms", "NoSuchOperation", nlohmann::json::object());
  EXPECT_THAT(r, HasAwsError("UnknownOperationException"));
  EXPECT_EQ(r->http.status, 400);
  EXPECT_FALSE(r->json.contains("message"));
}

TEST_F(GatewayTest, JsonRequestSignedTwentyMinutesAgoFailsAsExpired) {
  ManualClock past(clock().NowMicros() - 20 * 60 * 1000000LL);
  auto client = ClientFor({"test", "test", ""}, "us-east-1", &past);
  auto r = client->Json("kms", "ListKeys", nlohmann::json::object());
  EXPECT_THAT(r, HasAwsError("InvalidSignatureException"));
  EXPECT_THAT(r->error_message, HasSubstr("Signature expired"));
}

TEST_F(GatewayTest, QueryRequestSignedInTheFutureFailsAsNotYetCurrent) {
  ManualClock future(clock().NowMicros() + 20 * 60 * 1000000LL);
  auto client = ClientFor({"test", "test", ""}, "us-east-1", &future);
  auto r = client->Query("sts", "GetCallerIdentity", {});
  EXPECT_THAT(r, HasAwsError("SignatureDoesNotMatch"));
  EXPECT_THAT(r->error_message, HasSubstr("Signature not yet current"));
}

TEST_F(GatewayTest, QueryRequestWithinFifteenMinutesSkewSucceeds) {
  ManualClock near(clock().NowMicros() - 14 * 60 * 1000000LL);
  auto client = ClientFor({"test", "test", ""}, "us-east-1", &near);
  EXPECT_THAT(client->Query("sts", "GetCallerIdentity", {}), IsOk());
}

TEST_F(GatewayTest, UnsignedQueryRequestFailsWithMissingAuthenticationToken) {
  auto r = Root().Raw("POST", "/",
                      {{"Content-Type", "application/x-www-form-urlencoded"}},
                      "Action=GetCallerIdentity&Version=2011-06-15");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 403);
  std::string code, message;
  harness::ParseXmlError(r->body, &code, &message);
  EXPECT_EQ(code, "MissingAuthenticationToken");
}

TEST_F(GatewayTest, UnsignedJsonRequestFailsWithMissingAuthenticationTokenException) {
  auto r = Root().Raw("POST", "/",
                      {{"Content-Type", "application/x-amz-json-1.1"},
                       {"X-Amz-Target", "TrentService.ListKeys"}},
                      "{}");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 400);
  auto body = nlohmann::json::parse(r->body);
  EXPECT_EQ(body["__type"], "MissingAuthenticationTokenException");
}

TEST_F(GatewayTest, EveryResponseCarriesARequestId) {
  auto ok = Root().Query("sts", "GetCallerIdentity", {});
  ASSERT_THAT(ok, IsOk());
  EXPECT_FALSE(ok->http.Header("x-amzn-RequestId").empty());
  EXPECT_THAT(ok->http.body, HasSubstr("<RequestId>" + std::string(ok->http.Header("x-amzn-RequestId"))));
  auto err = Root().Json("kms", "NoSuchOperation", nlohmann::json::object());
  EXPECT_FALSE(err->http.Header("x-amzn-RequestId").empty());
  EXPECT_NE(ok->http.Header("x-amzn-RequestId"), err->http.Header("x-amzn-RequestId"));
}

TEST_F(GatewayTest, UnknownQueryActionFailsWithInvalidAction) {
  auto r = Root().Query("sts", "NoSuchAction", {});
  EXPECT_THAT(r, HasAwsError("InvalidAction"));
  EXPECT_EQ(r->http.status, 400);
}

TEST_F(GatewayTest, MalformedFormBodyFailsWithAQueryError) {
  auto r = Root().Signed("sts", "POST", "/",
                         {{"Content-Type", "application/x-www-form-urlencoded"}},
                         "Action=GetCallerIdentity&Version=2011-06-15&Bad=%zz");
  ASSERT_TRUE(r.ok());
  EXPECT_GE(r->status, 400);
  EXPECT_LT(r->status, 500);
  std::string code, message;
  harness::ParseXmlError(r->body, &code, &message);
  EXPECT_FALSE(code.empty());
}

TEST_F(GatewayTest, HealthReportsVersionServicesAndUptime) {
  auto r = Root().Raw("GET", "/_gee/health", {}, "");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
  auto body = nlohmann::json::parse(r->body);
  EXPECT_EQ(body["version"], GEE_VERSION);
  EXPECT_THAT(body["services"].get<std::vector<std::string>>(), ::testing::Contains("sts"));
  EXPECT_TRUE(body["uptime_seconds"].is_number());
}

TEST_F(GatewayTest, ResetRequiresRootCredentials) {
  auto unsigned_reset = Root().Raw("POST", "/_gee/reset", {}, "");
  ASSERT_TRUE(unsigned_reset.ok());
  EXPECT_NE(unsigned_reset->status, 200);
  auto reset = Root().Signed("gee", "POST", "/_gee/reset", {}, "");
  ASSERT_TRUE(reset.ok());
  EXPECT_EQ(reset->status, 200) << reset->body;
}

TEST_F(GatewayTest, OversizedHeaderIsRejectedWith431) {
  auto r = Root().Raw("GET", "/_gee/health", {{"X-Padding", std::string(20 * 1024, 'a')}}, "");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 431);
}

TEST_F(GatewayTest, KeepAliveConnectionServesManyRequests) {
  for (int i = 0; i < 20; ++i) {
    ASSERT_THAT(Root().Query("sts", "GetCallerIdentity", {}), IsOk()) << "request " << i;
  }
}

class SmallBodyGatewayTest : public EmulatorTest {
  void Configure(Config& config) override { config.server.max_body_bytes = 1024; }
};

TEST_F(SmallBodyGatewayTest, BodyOverTheConfiguredLimitIsRejectedWithoutA500) {
  std::string body = "Action=GetCallerIdentity&Version=2011-06-15&Pad=" + std::string(4096, 'x');
  auto r = Root().Signed("sts", "POST", "/",
                         {{"Content-Type", "application/x-www-form-urlencoded"}}, body);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 400);
}

}  // namespace
}  // namespace gee
