// Log group / stream ARNs and the IAM resource forms of Logs actions.
#include "services/logs/arns.h"

#include <gtest/gtest.h>

namespace gee::logs {
namespace {

TEST(LogsArnsTest, BuildsGroupAndStreamArns) {
  EXPECT_EQ(LogGroupArn("us-east-1", "000000000000", "/aws-glue/jobs/output"),
            "arn:aws:logs:us-east-1:000000000000:log-group:/aws-glue/jobs/output");
  EXPECT_EQ(LogStreamArn("us-east-1", "000000000000", "g", "s/1"),
            "arn:aws:logs:us-east-1:000000000000:log-group:g:log-stream:s/1");
}

TEST(LogsArnsTest, GroupActionsUseTheStreamFormWithAnEmptyStream) {
  EXPECT_EQ(GroupActionResource("eu-west-1", "111122223333", "g"),
            "arn:aws:logs:eu-west-1:111122223333:log-group:g:log-stream:");
  EXPECT_EQ(AccountActionResource("eu-west-1", "111122223333"),
            "arn:aws:logs:eu-west-1:111122223333:log-group::log-stream:");
}

TEST(LogsArnsTest, ParseLogGroupArnAcceptsBothForms) {
  auto plain = ParseLogGroupArn("arn:aws:logs:us-east-1:000000000000:log-group:a/b");
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(plain->region, "us-east-1");
  EXPECT_EQ(plain->account, "000000000000");
  EXPECT_EQ(plain->name, "a/b");
  auto star = ParseLogGroupArn("arn:aws:logs:us-east-1:000000000000:log-group:a/b:*");
  ASSERT_TRUE(star.has_value());
  EXPECT_EQ(star->name, "a/b");
}

TEST(LogsArnsTest, ParseLogGroupArnRejectsOtherResources) {
  EXPECT_FALSE(ParseLogGroupArn("arn:aws:logs:us-east-1:000000000000:log-group:g:log-stream:s"));
  EXPECT_FALSE(ParseLogGroupArn("arn:aws:logs:us-east-1:000000000000:destination:d"));
  EXPECT_FALSE(ParseLogGroupArn("arn:aws:kms:us-east-1:000000000000:key/k"));
  EXPECT_FALSE(ParseLogGroupArn("arn:aws:logs:us-east-1:0000:log-group:g"));
  EXPECT_FALSE(ParseLogGroupArn("log-group-name"));
  EXPECT_FALSE(ParseLogGroupArn("arn:aws:logs:us-east-1:000000000000:log-group:"));
}

TEST(LogsArnsTest, ResolveLogGroupIdentifierTakesNamesAndArns) {
  LogGroupRef by_name = ResolveLogGroupIdentifier("g", "us-east-1", "000000000000");
  EXPECT_EQ(by_name.name, "g");
  EXPECT_EQ(by_name.region, "us-east-1");
  LogGroupRef by_arn = ResolveLogGroupIdentifier(
      "arn:aws:logs:eu-west-1:111122223333:log-group:h", "us-east-1", "000000000000");
  EXPECT_EQ(by_arn.name, "h");
  EXPECT_EQ(by_arn.region, "eu-west-1");
  EXPECT_EQ(by_arn.account, "111122223333");
}

TEST(LogsArnsTest, IsKmsKeyArnAcceptsOnlyKeyArns) {
  EXPECT_TRUE(IsKmsKeyArn(
      "arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab"));
  EXPECT_FALSE(IsKmsKeyArn("1234abcd-12ab-34cd-56ef-1234567890ab"));
  EXPECT_FALSE(IsKmsKeyArn("alias/logs"));
  EXPECT_FALSE(IsKmsKeyArn("arn:aws:kms:us-east-1:000000000000:alias/logs"));
  EXPECT_FALSE(IsKmsKeyArn("arn:aws:kms:us-east-1:000000000000:key/"));
  EXPECT_FALSE(IsKmsKeyArn("arn:aws:s3:us-east-1:000000000000:key/x"));
  EXPECT_FALSE(IsKmsKeyArn(""));
}

TEST(LogsArnsTest, ReservedNamesStartWithAwsSlashInAnyCase) {
  EXPECT_TRUE(IsReservedLogGroupName("aws/lambda/f"));
  EXPECT_TRUE(IsReservedLogGroupName("AWS/x"));
  EXPECT_FALSE(IsReservedLogGroupName("/aws/lambda/f"));
  EXPECT_FALSE(IsReservedLogGroupName("/aws-glue/jobs/output"));
  EXPECT_FALSE(IsReservedLogGroupName("awsx/y"));
}

TEST(LogsArnsTest, LogsServicePrincipalNamesTheRegion) {
  EXPECT_EQ(LogsServicePrincipal("eu-central-1"), "logs.eu-central-1.amazonaws.com");
}

TEST(LogsArnsTest, CodePointLengthCountsCharactersNotBytes) {
  EXPECT_EQ(CodePointLength("abc"), 3u);
  EXPECT_EQ(CodePointLength("\xc3\xa9t\xc3\xa9"), 3u);
}

}  // namespace
}  // namespace gee::logs
