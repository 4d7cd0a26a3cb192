// The authorization-explanation channel over HTTP: x-gee-explain with a token
// proving knowledge of the root secret gets x-gee-authorization; anything
// else gets the plain AWS response. Also /_gee/health?operations=1.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "auth/explain.h"
#include "tests/testing/emulator_fixture.h"

namespace gee {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::EmulatorTest;
using testing::IsOk;

class ExplainHeaderTest : public EmulatorTest {};

TEST_F(ExplainHeaderTest, ARequestWithTheRootTokenGetsItsDecisions) {
  auto client = ClientFor({"test", "test", ""});
  client->set_explain_secret("test");
  auto r = client->Json("kms", "CreateKey", nlohmann::json::object());
  ASSERT_THAT(r, IsOk());
  EXPECT_THAT(r->Decisions(), Contains(HasSubstr("allow kms:CreateKey")));
}

TEST_F(ExplainHeaderTest, AQueryRequestIsExplainedToo) {
  auto client = ClientFor({"test", "test", ""});
  client->set_explain_secret("test");
  auto r = client->Query("sts", "GetCallerIdentity", {});
  ASSERT_THAT(r, IsOk());
  EXPECT_FALSE(r->http.Header(auth::kExplainResponseHeader).empty());  // [] — GetCallerIdentity is never authorized
}

TEST_F(ExplainHeaderTest, AWrongTokenGetsNoExplanation) {
  auto client = ClientFor({"test", "test", ""});
  client->set_explain_secret("not-the-root-secret");
  auto r = client->Json("kms", "CreateKey", nlohmann::json::object());
  ASSERT_THAT(r, IsOk());
  EXPECT_TRUE(r->http.Header(auth::kExplainResponseHeader).empty());
}

TEST_F(ExplainHeaderTest, ATokenForAnotherRequestGetsNoExplanation) {
  auto client = ClientFor({"test", "test", ""});
  auto r = client->Signed("kms", "POST", "/",
                          {{"Content-Type", "application/x-amz-json-1.1"}, {"X-Amz-Target", "TrentService.ListKeys"}},
                          "{}", [](std::vector<harness::Header>& headers) {
                            headers.emplace_back(std::string(auth::kExplainRequestHeader),
                                                 auth::ExplainToken("test", "0123456789abcdef"));
                          });
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
  EXPECT_TRUE(r->Header(auth::kExplainResponseHeader).empty());
}

TEST_F(ExplainHeaderTest, WithoutTheHeaderNothingIsExplained) {
  auto r = Root().Json("kms", "CreateKey", nlohmann::json::object());
  ASSERT_THAT(r, IsOk());
  EXPECT_THAT(r->Decisions(), IsEmpty());
  EXPECT_TRUE(r->http.Header(auth::kExplainResponseHeader).empty());
}

TEST_F(ExplainHeaderTest, HealthListsImplementedOperationsAndInspectionKinds) {
  auto r = Root().Raw("GET", "/_gee/health?operations=1", {}, "");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->status, 200);
  auto body = nlohmann::json::parse(r->body);
  EXPECT_THAT(body["operations"]["sts"], Contains("GetCallerIdentity"));
  EXPECT_THAT(body["operations"]["kms"], Contains("Encrypt"));
  EXPECT_THAT(body["inspect_kinds"], Contains("kms-key"));
  auto plain = Root().Raw("GET", "/_gee/health", {}, "");
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE(nlohmann::json::parse(plain->body).contains("operations"));
}

}  // namespace
}  // namespace gee
