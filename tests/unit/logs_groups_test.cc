// CloudWatch Logs log groups: create/delete/describe, retention, tags, names
// and the IAM resources the group operations are authorized on.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/unit/logs_test_fixture.h"

namespace gee::logs::testing {
namespace {

using ::gee::testing::HasAwsError;
using ::gee::testing::HasAwsErrorMessage;
using ::gee::testing::IsOk;
using ::testing::ElementsAre;

constexpr char kGroupArn[] = "arn:aws:logs:us-east-1:000000000000:log-group:app";

class LogsGroupsTest : public LogsServiceTest {};

TEST_F(LogsGroupsTest, CreateLogGroupThenDescribeShowsTheRecordedFields) {
  CreateGroup("app");
  auto r = Call("DescribeLogGroups", Json::object());
  ASSERT_THAT(r, IsOk());
  ASSERT_EQ(r->at("logGroups").size(), 1u);
  Json expected = {{"logGroupName", "app"},
                   {"creationTime", kStartMs},
                   {"metricFilterCount", 0},
                   {"arn", std::string(kGroupArn) + ":*"},
                   {"logGroupClass", "STANDARD"},
                   {"logGroupArn", kGroupArn},
                   {"storedBytes", 0},
                   {"deletionProtectionEnabled", false}};
  EXPECT_EQ(r->at("logGroups")[0], expected);
  EXPECT_FALSE(r->contains("nextToken"));
}

TEST_F(LogsGroupsTest, CreateLogGroupFailsWhenItAlreadyExists) {
  CreateGroup("app");
  EXPECT_THAT(Call("CreateLogGroup", {{"logGroupName", "app"}}),
              HasAwsErrorMessage("ResourceAlreadyExistsException",
                                 "The specified log group already exists"));
}

TEST_F(LogsGroupsTest, CreateLogGroupFailsWithLogsTextWhenNameIsLongerThan512) {
  EXPECT_THAT(Call("CreateLogGroup", {{"logGroupName", std::string(513, 'a')}}),
              HasAwsErrorMessage("InvalidParameterException",
                                 "Invalid LogGroup or LogStream, both must have length less "
                                 "than or equal to 512."));
}

TEST_F(LogsGroupsTest, CreateLogGroupFailsWhenNameBreaksThePattern) {
  EXPECT_THAT(Call("CreateLogGroup", {{"logGroupName", "bad name"}}),
              HasAwsError("InvalidParameterException"));
}

TEST_F(LogsGroupsTest, CreateLogGroupFailsForNamesReservedForAws) {
  EXPECT_THAT(Call("CreateLogGroup", {{"logGroupName", "aws/lambda/f"}}),
              HasAwsErrorMessage("InvalidParameterException",
                                 "Log groups starting with AWS/ are reserved for AWS."));
  CreateGroup("/aws/lambda/f");
}

TEST_F(LogsGroupsTest, CreateLogGroupStoresTagsAndClass) {
  ASSERT_THAT(Call("CreateLogGroup", {{"logGroupName", "app"},
                                      {"tags", {{"env", "test"}}},
                                      {"logGroupClass", "INFREQUENT_ACCESS"}}),
              IsOk());
  auto tags = Call("ListTagsLogGroup", {{"logGroupName", "app"}});
  ASSERT_THAT(tags, IsOk());
  EXPECT_EQ(tags->at("tags"), (Json{{"env", "test"}}));
  auto d = Call("DescribeLogGroups", Json::object());
  EXPECT_EQ(d->at("logGroups")[0].at("logGroupClass"), "INFREQUENT_ACCESS");
}

TEST_F(LogsGroupsTest, DeleteLogGroupFailsWhenMissing) {
  EXPECT_THAT(Call("DeleteLogGroup", {{"logGroupName", "nope"}}),
              HasAwsErrorMessage("ResourceNotFoundException",
                                 "The specified log group does not exist."));
}

TEST_F(LogsGroupsTest, DeleteLogGroupRemovesItsStreamsAndEvents) {
  CreateGroup("app");
  CreateStream("app", "s");
  ASSERT_THAT(Put("app", "s", {{NowMs(), "old life"}}), IsOk());
  ASSERT_THAT(Call("DeleteLogGroup", {{"logGroupName", "app"}}), IsOk());
  CreateGroup("app");
  EXPECT_THAT(Call("GetLogEvents", {{"logGroupName", "app"}, {"logStreamName", "s"}}),
              HasAwsErrorMessage("ResourceNotFoundException",
                                 "The specified log stream does not exist."));
  CreateStream("app", "s");
  auto r = Call("GetLogEvents", {{"logGroupName", "app"}, {"logStreamName", "s"}});
  ASSERT_THAT(r, IsOk());
  EXPECT_TRUE(r->at("events").empty());
}

TEST_F(LogsGroupsTest, DeleteLogGroupFailsWhenDeletionProtectionIsEnabled) {
  ASSERT_THAT(Call("CreateLogGroup", {{"logGroupName", "app"}, {"deletionProtectionEnabled", true}}),
              IsOk());
  EXPECT_THAT(Call("DeleteLogGroup", {{"logGroupName", "app"}}),
              HasAwsError("ValidationException"));
}

TEST_F(LogsGroupsTest, DescribeLogGroupsFiltersByPrefix) {
  for (const char* name : {"/a/1", "/a/2", "/b/1"}) CreateGroup(name);
  auto r = Call("DescribeLogGroups", {{"logGroupNamePrefix", "/a/"}});
  ASSERT_THAT(r, IsOk());
  ASSERT_EQ(r->at("logGroups").size(), 2u);
  EXPECT_EQ(r->at("logGroups")[0].at("logGroupName"), "/a/1");
  EXPECT_EQ(r->at("logGroups")[1].at("logGroupName"), "/a/2");
}

TEST_F(LogsGroupsTest, DescribeLogGroupsPatternIsACaseSensitiveSubstringWithoutStoredBytes) {
  for (const char* name : {"FooBar", "aws-Foo", "foo"}) CreateGroup(name);
  auto r = Call("DescribeLogGroups", {{"logGroupNamePattern", "Foo"}});
  ASSERT_THAT(r, IsOk());
  ASSERT_EQ(r->at("logGroups").size(), 2u);
  EXPECT_EQ(r->at("logGroups")[0].at("logGroupName"), "FooBar");
  EXPECT_EQ(r->at("logGroups")[1].at("logGroupName"), "aws-Foo");
  EXPECT_FALSE(r->at("logGroups")[0].contains("storedBytes"));
  EXPECT_FALSE(r->at("logGroups")[0].contains("deletionProtectionEnabled"));
}

TEST_F(LogsGroupsTest, DescribeLogGroupsFailsWithPrefixAndPattern) {
  EXPECT_THAT(Call("DescribeLogGroups", {{"logGroupNamePrefix", "a"}, {"logGroupNamePattern", "a"}}),
              HasAwsErrorMessage("InvalidParameterException",
                                 "LogGroup name prefix and LogGroup name pattern are mutually "
                                 "exclusive parameters."));
}

TEST_F(LogsGroupsTest, DescribeLogGroupsPaginatesWithNextToken) {
  for (int i = 0; i < 5; ++i) CreateGroup("g" + std::to_string(i));
  std::vector<std::string> seen;
  Json input = {{"limit", 2}};
  int pages = 0;
  while (true) {
    auto r = Call("DescribeLogGroups", input);
    ASSERT_THAT(r, IsOk());
    ++pages;
    for (const Json& g : r->at("logGroups")) seen.push_back(g.at("logGroupName"));
    if (!r->contains("nextToken")) break;
    input["nextToken"] = r->at("nextToken");
  }
  EXPECT_EQ(pages, 3);
  EXPECT_THAT(seen, ElementsAre("g0", "g1", "g2", "g3", "g4"));
}

TEST_F(LogsGroupsTest, DescribeLogGroupsFailsWithAForeignNextToken) {
  EXPECT_THAT(Call("DescribeLogGroups", {{"nextToken", "!!not-a-token"}}),
              HasAwsErrorMessage("InvalidParameterException", "The specified nextToken is invalid."));
}

TEST_F(LogsGroupsTest, DescribeLogGroupsIsPerRegion) {
  CreateGroup("app");
  auto r = CallAs(RootPrincipal(kAccount), "DescribeLogGroups", Json::object(), "eu-west-1");
  ASSERT_THAT(r, IsOk());
  EXPECT_TRUE(r->at("logGroups").empty());
}

TEST_F(LogsGroupsTest, PutRetentionPolicyShowsInDescribeAndDeleteRemovesIt) {
  CreateGroup("app");
  ASSERT_THAT(Call("PutRetentionPolicy", {{"logGroupName", "app"}, {"retentionInDays", 7}}),
              IsOk());
  auto r = Call("DescribeLogGroups", Json::object());
  EXPECT_EQ(r->at("logGroups")[0].at("retentionInDays"), 7);
  ASSERT_THAT(Call("DeleteRetentionPolicy", {{"logGroupName", "app"}}), IsOk());
  r = Call("DescribeLogGroups", Json::object());
  EXPECT_FALSE(r->at("logGroups")[0].contains("retentionInDays"));
}

TEST_F(LogsGroupsTest, PutRetentionPolicyFailsForAPeriodAwsDoesNotOffer) {
  CreateGroup("app");
  EXPECT_THAT(Call("PutRetentionPolicy", {{"logGroupName", "app"}, {"retentionInDays", 2}}),
              HasAwsError("InvalidParameterException"));
}

TEST_F(LogsGroupsTest, PutRetentionPolicyFailsWhenGroupIsMissing) {
  EXPECT_THAT(Call("PutRetentionPolicy", {{"logGroupName", "nope"}, {"retentionInDays", 7}}),
              HasAwsError("ResourceNotFoundException"));
}

TEST_F(LogsGroupsTest, TagLogGroupAndUntagLogGroupUpdateTheTags) {
  CreateGroup("app");
  ASSERT_THAT(Call("TagLogGroup", {{"logGroupName", "app"}, {"tags", {{"a", "1"}, {"b", "2"}}}}),
              IsOk());
  ASSERT_THAT(Call("TagLogGroup", {{"logGroupName", "app"}, {"tags", {{"a", "3"}}}}), IsOk());
  ASSERT_THAT(Call("UntagLogGroup", {{"logGroupName", "app"}, {"tags", {"b"}}}), IsOk());
  auto r = Call("ListTagsLogGroup", {{"logGroupName", "app"}});
  EXPECT_EQ(r->at("tags"), (Json{{"a", "3"}}));
}

TEST_F(LogsGroupsTest, TagResourceApisShareTagsWithTheLogGroupApis) {
  ASSERT_THAT(Call("CreateLogGroup", {{"logGroupName", "app"}, {"tags", {{"env", "t1"}}}}), IsOk());
  ASSERT_THAT(Call("TagResource", {{"resourceArn", kGroupArn}, {"tags", {{"x", "1"}}}}), IsOk());
  ASSERT_THAT(Call("TagLogGroup", {{"logGroupName", "app"}, {"tags", {{"y", "2"}}}}), IsOk());
  ASSERT_THAT(Call("UntagResource", {{"resourceArn", kGroupArn}, {"tagKeys", {"env"}}}), IsOk());
  auto by_arn = Call("ListTagsForResource", {{"resourceArn", kGroupArn}});
  auto by_name = Call("ListTagsLogGroup", {{"logGroupName", "app"}});
  ASSERT_THAT(by_arn, IsOk());
  EXPECT_EQ(by_arn->at("tags"), (Json{{"x", "1"}, {"y", "2"}}));
  EXPECT_EQ(by_name->at("tags"), by_arn->at("tags"));
}

TEST_F(LogsGroupsTest, ListTagsForResourceRefusesTheArnWithWildcardSuffix) {
  // The model's resourceArn pattern [\w+=/:,.@-]* has no '*'.
  CreateGroup("app");
  EXPECT_THAT(Call("ListTagsForResource", {{"resourceArn", std::string(kGroupArn) + ":*"}}),
              HasAwsError("InvalidParameterException"));
}

TEST_F(LogsGroupsTest, TagResourceFailsForAMissingGroup) {
  EXPECT_THAT(Call("TagResource", {{"resourceArn", kGroupArn}, {"tags", {{"x", "1"}}}}),
              HasAwsError("ResourceNotFoundException"));
  EXPECT_THAT(Call("ListTagsForResource",
                   {{"resourceArn", "arn:aws:logs:us-east-1:000000000000:destination:d"}}),
              HasAwsError("ResourceNotFoundException"));
}

TEST_F(LogsGroupsTest, TagResourceFailsBeyondFiftyTags) {
  CreateGroup("app");
  Json tags = Json::object();
  for (int i = 0; i < 50; ++i) tags["k" + std::to_string(i)] = "v";
  ASSERT_THAT(Call("TagResource", {{"resourceArn", kGroupArn}, {"tags", tags}}), IsOk());
  EXPECT_THAT(Call("TagResource", {{"resourceArn", kGroupArn}, {"tags", {{"one", "more"}}}}),
              HasAwsError("TooManyTagsException"));
}

// ---- authorization ----

TEST_F(LogsGroupsTest, CreateLogGroupDeniedNamesTheGroupWithAnEmptyStream) {
  Principal alice = User("alice");
  EXPECT_THAT(CallAs(alice, "CreateLogGroup", {{"logGroupName", "app"}}),
              HasAwsErrorMessage(
                  "AccessDeniedException",
                  "User: arn:aws:iam::000000000000:user/alice is not authorized to perform: "
                  "logs:CreateLogGroup on resource: arn:aws:logs:us-east-1:000000000000:"
                  "log-group:app:log-stream: because no identity-based policy allows the "
                  "logs:CreateLogGroup action"));
}

TEST_F(LogsGroupsTest, CreateLogGroupDeniedWhenPolicyNamesTheGroupArnWithoutWildcard) {
  Principal alice = User("alice");
  Allow(alice, R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",
      "Action":"logs:CreateLogGroup",
      "Resource":"arn:aws:logs:us-east-1:000000000000:log-group:app"}]})");
  EXPECT_THAT(CallAs(alice, "CreateLogGroup", {{"logGroupName", "app"}}),
              HasAwsError("AccessDeniedException"));
}

TEST_F(LogsGroupsTest, CreateLogGroupAllowedWhenPolicyNamesTheGroupArnWithWildcard) {
  Principal alice = User("alice");
  Allow(alice, R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",
      "Action":"logs:CreateLogGroup",
      "Resource":"arn:aws:logs:us-east-1:000000000000:log-group:app:*"}]})");
  EXPECT_THAT(CallAs(alice, "CreateLogGroup", {{"logGroupName", "app"}}), IsOk());
  EXPECT_THAT(CallAs(alice, "CreateLogGroup", {{"logGroupName", "other"}}),
              HasAwsError("AccessDeniedException"));
}

TEST_F(LogsGroupsTest, CreateLogGroupWithTagsNeedsTagResourceToo) {
  Principal alice = User("alice");
  Allow(alice, R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",
      "Action":"logs:CreateLogGroup","Resource":"*"}]})");
  EXPECT_THAT(CallAs(alice, "CreateLogGroup", {{"logGroupName", "app"}, {"tags", {{"a", "b"}}}}),
              HasAwsErrorMessage("AccessDeniedException",
                                 "User with accountId: 000000000000 is not authorized to perform "
                                 "CreateLogGroup with Tags. An additional permission "
                                 "\"logs:TagResource\" is required."));
  auto r = Call("DescribeLogGroups", Json::object());
  EXPECT_TRUE(r->at("logGroups").empty());
}

TEST_F(LogsGroupsTest, CreateLogGroupWithTagsAllowedWithTagResource) {
  Principal alice = User("alice");
  Allow(alice, R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",
      "Action":["logs:CreateLogGroup","logs:TagResource"],"Resource":"*"}]})");
  EXPECT_THAT(CallAs(alice, "CreateLogGroup", {{"logGroupName", "app"}, {"tags", {{"a", "b"}}}}),
              IsOk());
}

TEST_F(LogsGroupsTest, DescribeLogGroupsIsAuthorizedOnTheAccountWideResource) {
  Principal alice = User("alice");
  EXPECT_THAT(CallAs(alice, "DescribeLogGroups", Json::object()),
              HasAwsErrorMessage(
                  "AccessDeniedException",
                  "User: arn:aws:iam::000000000000:user/alice is not authorized to perform: "
                  "logs:DescribeLogGroups on resource: arn:aws:logs:us-east-1:000000000000:"
                  "log-group::log-stream: because no identity-based policy allows the "
                  "logs:DescribeLogGroups action"));
}

TEST_F(LogsGroupsTest, ListTagsForResourceIsAuthorizedOnThePlainGroupArn) {
  CreateGroup("app");
  Principal alice = User("alice");
  EXPECT_THAT(CallAs(alice, "ListTagsForResource", {{"resourceArn", kGroupArn}}),
              HasAwsErrorMessage(
                  "AccessDeniedException",
                  "User: arn:aws:iam::000000000000:user/alice is not authorized to perform: "
                  "logs:ListTagsForResource on resource: arn:aws:logs:us-east-1:000000000000:"
                  "log-group:app because no identity-based policy allows the "
                  "logs:ListTagsForResource action"));
}

TEST_F(LogsGroupsTest, DeleteLogGroupOfAMissingGroupIsDeniedBeforeNotFound) {
  Principal alice = User("alice");
  EXPECT_THAT(CallAs(alice, "DeleteLogGroup", {{"logGroupName", "nope"}}),
              HasAwsError("AccessDeniedException"));
}

TEST_F(LogsGroupsTest, ResourceTagConditionsSeeTheGroupTags) {
  ASSERT_THAT(Call("CreateLogGroup", {{"logGroupName", "tagged"}, {"tags", {{"team", "red"}}}}),
              IsOk());
  CreateGroup("untagged");
  Principal alice = User("alice");
  Allow(alice, R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",
      "Action":"logs:PutRetentionPolicy","Resource":"*",
      "Condition":{"StringEquals":{"aws:ResourceTag/team":"red"}}}]})");
  EXPECT_THAT(CallAs(alice, "PutRetentionPolicy", {{"logGroupName", "tagged"}, {"retentionInDays", 7}}),
              IsOk());
  EXPECT_THAT(CallAs(alice, "PutRetentionPolicy", {{"logGroupName", "untagged"}, {"retentionInDays", 7}}),
              HasAwsError("AccessDeniedException"));
}

}  // namespace
}  // namespace gee::logs::testing
