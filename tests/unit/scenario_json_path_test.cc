// The JSON-path dialect of scenario assertions.
#include "harness/scenario/json_path.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace gee::scenario {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

const json kOutput = {
    {"Connection", {{"Name", "sales-db"}, {"ConnectionProperties", {{"JDBC_ENFORCE_SSL", "true"}}}}},
    {"logGroups", {{{"logGroupName", "/a"}, {"kmsKeyId", "k1"}}, {{"logGroupName", "/b"}}}},
    {"ctx", {{"aws:s3:arn", "arn:aws:s3:::b/k"}}},
};

std::vector<json> Values(const std::string& path) {
  auto p = JsonPath::Parse(path);
  EXPECT_TRUE(p.ok()) << p.error().message;
  std::vector<json> out;
  if (!p.ok()) return out;
  for (const json* v : p->Select(kOutput)) out.push_back(*v);
  return out;
}

TEST(JsonPathTest, SelectsTheRoot) { EXPECT_EQ(Values("$"), std::vector<json>{kOutput}); }

TEST(JsonPathTest, SelectsNestedMembers) {
  EXPECT_EQ(Values("$.Connection.ConnectionProperties.JDBC_ENFORCE_SSL"), std::vector<json>{"true"});
}

TEST(JsonPathTest, SelectsQuotedMembersWithAnyCharacters) {
  EXPECT_EQ(Values("$.ctx['aws:s3:arn']"), std::vector<json>{"arn:aws:s3:::b/k"});
  EXPECT_EQ(Values("$[\"ctx\"][\"aws:s3:arn\"]"), std::vector<json>{"arn:aws:s3:::b/k"});
}

TEST(JsonPathTest, SelectsArrayElementsFromEitherEnd) {
  EXPECT_EQ(Values("$.logGroups[0].logGroupName"), std::vector<json>{"/a"});
  EXPECT_EQ(Values("$.logGroups[-1].logGroupName"), std::vector<json>{"/b"});
  EXPECT_TRUE(Values("$.logGroups[2]").empty());
}

TEST(JsonPathTest, WildcardsSelectEveryElement) {
  auto p = JsonPath::Parse("$.logGroups[*].logGroupName");
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->has_wildcard());
  EXPECT_EQ(Values("$.logGroups[*].logGroupName"), (std::vector<json>{"/a", "/b"}));
  EXPECT_EQ(Values("$.logGroups[*].kmsKeyId"), std::vector<json>{"k1"});
  EXPECT_EQ(Values("$.ctx.*"), std::vector<json>{"arn:aws:s3:::b/k"});
}

TEST(JsonPathTest, MissingPathsSelectNothing) {
  EXPECT_TRUE(Values("$.Connection.Nope").empty());
  EXPECT_TRUE(Values("$.Connection.Name.deeper").empty());
  EXPECT_TRUE(Values("$.Connection[0]").empty());
}

TEST(JsonPathTest, ParseRejectsMalformedPaths) {
  for (const char* bad : {"", "Connection", "$.", "$..a", "$[", "$[abc]", "$['a'", "$[1", "$a", "$[*"}) {
    auto p = JsonPath::Parse(bad);
    EXPECT_FALSE(p.ok()) << bad;
    if (!p.ok()) {
      EXPECT_THAT(p.error().message, HasSubstr("bad JSON path")) << bad;
    }
  }
}

}  // namespace
}  // namespace gee::scenario
