#include "auth/policy/policy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <span>
#include <string>
#include <utility>
#include <vector>

namespace gee::policy {
namespace {

// A parse failure with `code` and exactly `message`.
MATCHER_P2(FailsWith, code, message, "") {
  if (arg.ok()) {
    *result_listener << "parsed successfully";
    return false;
  }
  *result_listener << "error " << arg.error().code << ": " << arg.error().message;
  return arg.error().code == std::string(code) && arg.error().message == std::string(message);
}

constexpr char kMalformed[] = "MalformedPolicyDocument";

struct ParserErrorCase {
  const char* name;
  PolicyKind kind;
  const char* document;
  const char* message;
};

const ParserErrorCase kErrorCases[] = {
    {"InvalidJson", PolicyKind::kIdentity, R"({"Version":"2012-10-17",)",
     "This policy contains invalid Json"},
    {"EmptyText", PolicyKind::kIdentity, "", "This policy contains invalid Json"},
    {"TopLevelArray", PolicyKind::kIdentity, "[]", "Syntax errors in policy."},
    {"UnknownTopLevelElement", PolicyKind::kIdentity,
     R"({"Version":"2012-10-17","Statement":[],"Foo":1})", "Syntax errors in policy."},
    {"MissingStatement", PolicyKind::kIdentity, R"({"Version":"2012-10-17"})",
     "Syntax errors in policy."},
    {"UnknownStatementElement", PolicyKind::kIdentity,
     R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Bogus":1}})",
     "Syntax errors in policy."},
    {"LowercaseEffect", PolicyKind::kIdentity,
     R"({"Version":"2012-10-17","Statement":{"Effect":"allow","Action":"s3:*","Resource":"*"}})",
     "Syntax errors in policy."},
    {"MissingEffect", PolicyKind::kIdentity,
     R"({"Version":"2012-10-17","Statement":{"Action":"s3:*","Resource":"*"}})",
     "Syntax errors in policy."},
    {"ActionAndNotAction", PolicyKind::kIdentity,
     R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","NotAction":"iam:*","Resource":"*"}})",
     "Syntax errors in policy."},
    {"UnknownVersion", PolicyKind::kIdentity,
     R"({"Version":"2019-08-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}})",
     "Syntax errors in policy."},
    {"MissingAction", PolicyKind::kIdentity,
     R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Resource":"*"}})",
     "Policy statement must contain actions."},
    {"EmptyActionList", PolicyKind::kIdentity,
     R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":[],"Resource":"*"}})",
     "Policy statement must contain actions."},
    {"MissingResource", PolicyKind::kIdentity,
     R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*"}})",
     "Policy statement must contain resources."},
    {"ManagedPolicyWithoutVersion", PolicyKind::kManagedIdentity,
     R"({"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}})",
     "Policy document must be version 2012-10-17 or greater."},
    {"ManagedPolicyWithOldVersion", PolicyKind::kManagedIdentity,
     R"({"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}})",
     "Policy document must be version 2012-10-17 or greater."},
    {"ResourceNotArn", PolicyKind::kIdentity,
     R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"my-bucket"}})",
     "Resource my-bucket must be in ARN format or \"*\"."},
    {"ResourceTruncatedArn", PolicyKind::kIdentity,
     R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3"}})",
     "Resource arn:aws:s3 must be in ARN format or \"*\"."},
    {"ActionWithoutVendor", PolicyKind::kIdentity,
     R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"GetObject","Resource":"*"}})",
     "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."},
    {"ConditionKeyWithoutVendor", PolicyKind::kIdentity,
     R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"username":"a"}}}})",
     "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."},
    {"UnknownConditionOperator", PolicyKind::kIdentity,
     R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEqualz":{"aws:username":"a"}}}})",
     "Syntax errors in policy."},
    {"ConditionValueObject", PolicyKind::kIdentity,
     R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:username":{"a":1}}}}})",
     "Syntax errors in policy."},
    {"NullWithNonBooleanValue", PolicyKind::kIdentity,
     R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"Null":{"aws:username":"maybe"}}}})",
     "Syntax errors in policy."},
    {"IdentityPolicyWithPrincipal", PolicyKind::kIdentity,
     R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}})",
     "Policy document should not specify a principal."},
    {"IdentityPolicyWithNotPrincipal", PolicyKind::kManagedIdentity,
     R"({"Version":"2012-10-17","Statement":{"Effect":"Deny","NotPrincipal":{"AWS":"111122223333"},"Action":"s3:*","Resource":"*"}})",
     "Policy document should not specify a principal."},
    {"SidWithSpaces", PolicyKind::kIdentity,
     R"({"Version":"2012-10-17","Statement":{"Sid":"Allow all","Effect":"Allow","Action":"s3:*","Resource":"*"}})",
     "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*"},
    {"DuplicateSids", PolicyKind::kIdentity,
     R"({"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":"s3:*","Resource":"*"},{"Sid":"A","Effect":"Deny","Action":"s3:*","Resource":"*"}]})",
     "Statement IDs (SID) in a single policy must be unique."},
    {"TrustPolicyWithResource", PolicyKind::kTrust,
     R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"glue.amazonaws.com"},"Action":"sts:AssumeRole","Resource":"*"}})",
     "Has prohibited field Resource"},
    {"TrustPolicyWithNonStsAction", PolicyKind::kTrust,
     R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"glue.amazonaws.com"},"Action":"s3:GetObject"}})",
     "AssumeRole policy may only specify STS AssumeRole actions."},
    {"TrustPolicyWithStsWildcard", PolicyKind::kTrust,
     R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"glue.amazonaws.com"},"Action":"sts:*"}})",
     "AssumeRole policy may only specify STS AssumeRole actions."},
    {"TrustPolicyWithoutPrincipal", PolicyKind::kTrust,
     R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sts:AssumeRole"}})",
     "Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement with no principals!"},
    {"TrustPolicyWithMalformedPrincipalArn", PolicyKind::kTrust,
     R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::1234:role/x"},"Action":"sts:AssumeRole"}})",
     "Invalid principal in policy: \"AWS\":\"arn:aws:iam::1234:role/x\""},
    {"TrustPolicyWithWildcardRoleArn", PolicyKind::kTrust,
     R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/*"},"Action":"sts:AssumeRole"}})",
     "Invalid principal in policy: \"AWS\":\"arn:aws:iam::111122223333:role/*\""},
    {"KeyPolicyWithoutPrincipal", PolicyKind::kKeyPolicy,
     R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"}]})",
     "Policy contains a statement with one or more invalid principals."},
    {"KeyPolicyWithInvalidPrincipal", PolicyKind::kKeyPolicy,
     R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"alice"},"Action":"kms:*","Resource":"*"}]})",
     "Policy contains a statement with one or more invalid principals."},
    {"BucketPolicyWithoutPrincipal", PolicyKind::kResource,
     R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/*"}]})",
     "Missing required field Principal"},
    {"BucketPolicyWithBadResource", PolicyKind::kResource,
     R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"b/*"}]})",
     "Policy has invalid resource"},
    {"DuplicateEffectMember", PolicyKind::kIdentity,
     R"({"Version":"2012-10-17","Statement":{"Effect":"Deny","Effect":"Allow","Action":"s3:*","Resource":"*"}})",
     "Syntax errors in policy."},
    {"DuplicateConditionKey", PolicyKind::kKeyPolicy,
     R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*","Condition":{"StringEquals":{"kms:ViaService":"a","kms:ViaService":"b"}}}]})",
     "Syntax errors in policy."},
    {"BucketPolicyAllowWithNotPrincipal", PolicyKind::kResource,
     R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]})",
     "Syntax errors in policy."},
};

class PolicyParserErrorTest : public ::testing::TestWithParam<ParserErrorCase> {};

TEST_P(PolicyParserErrorTest, RejectsWithAwsText) {
  const ParserErrorCase& c = GetParam();
  EXPECT_THAT(Policy::Parse(c.document, c.kind), FailsWith(kMalformed, c.message));
}

INSTANTIATE_TEST_SUITE_P(Validation, PolicyParserErrorTest, ::testing::ValuesIn(kErrorCases),
                         [](const ::testing::TestParamInfo<ParserErrorCase>& info) {
                           return std::string(info.param.name);
                         });

TEST(PolicyParserTest, KeyPolicyOverSizeLimitIsLimitExceeded) {
  std::string doc = R"({"Version":"2012-10-17","Id":")" + std::string(kMaxKeyPolicyBytes, 'x') +
                    R"(","Statement":[]})";
  auto r = ParseKeyPolicy(doc);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, kPolicyTooLargeCode);
}

TEST(PolicyParserTest, KeyPolicyStatementWithoutActionOrResourceIsInert) {
  auto r = ParseKeyPolicy(
      R"({"Version":"2012-10-17","Statement":[{"Sid":"NoAction","Effect":"Allow","Principal":"*","Resource":"*"},
                                               {"Sid":"NoResource","Effect":"Allow","Principal":"*","Action":"kms:*"}]})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ((*r)->statements().size(), 2u);
  EXPECT_EQ((*r)->statements()[0].action_mode, ElementMode::kInert);
  EXPECT_EQ((*r)->statements()[1].resource_mode, ElementMode::kInert);
}

TEST(PolicyParserTest, KeyPolicyAcceptsSidWithSpaces) {
  auto r = ParseKeyPolicy(
      R"({"Version":"2012-10-17","Id":"key-default-1","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ((*r)->id(), "key-default-1");
  EXPECT_EQ((*r)->statements()[0].sid, "Enable IAM User Permissions");
}

TEST(PolicyParserTest, AccountIdPrincipalIsNormalisedToRootArn) {
  auto r = ParseTrustPolicy(
      R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":["111122223333"]},"Action":"sts:AssumeRole"}})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_THAT((*r)->statements()[0].principals.aws,
              ::testing::ElementsAre("arn:aws:iam::111122223333:root"));
  EXPECT_EQ((*r)->statements()[0].resource_mode, ElementMode::kImplicitAll);
}

TEST(PolicyParserTest, ServicePrincipalsAreLowerCased) {
  auto r = ParseKeyPolicy(
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":["Logs.us-east-1.amazonaws.com"]},"Action":"kms:*","Resource":"*"}]})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_THAT((*r)->statements()[0].principals.services,
              ::testing::ElementsAre("logs.us-east-1.amazonaws.com"));
}

TEST(PolicyParserTest, AwsStarPrincipalMeansEveryone) {
  auto r = ParseResourcePolicy(
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE((*r)->statements()[0].principals.any);
}

TEST(PolicyParserTest, ActionsAreLowerCasedOnce) {
  auto r = ParseIdentityPolicy(
      R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"KMS:GenerateDataKey*","Resource":"*"}})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)->statements()[0].actions[0].ToString(), "kms:generatedatakey*");
}

TEST(PolicyParserTest, StatementObjectAndOldVersionAreAcceptedForInlinePolicies) {
  auto r = ParseIdentityPolicy(
      R"({"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::${aws:username}"}})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_FALSE((*r)->variables_enabled());
  EXPECT_FALSE((*r)->statements()[0].resources[0].has_variables());
}

TEST(PolicyParserTest, ConditionScalarsOfEveryJsonTypeBecomeText) {
  auto r = ParseIdentityPolicy(
      R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*",
          "Condition":{"Bool":{"aws:SecureTransport":true},"NumericLessThan":{"s3:max-keys":[10, 2.5]}}}})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& conds = (*r)->statements()[0].conditions;
  ASSERT_EQ(conds.size(), 2u);
  EXPECT_EQ(conds[0].values[0].text(), "true");
  EXPECT_EQ(conds[1].values[0].text(), "10");
  EXPECT_EQ(conds[1].values[1].text(), "2.5");
}

TEST(PolicyParserTest, TrustPolicyAcceptsAssumeRoleFamily) {
  auto r = ParseTrustPolicy(
      R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},
          "Action":["sts:AssumeRole","sts:TagSession","sts:AssumeRole*"]}})");
  EXPECT_TRUE(r.ok()) << r.error().message;
}

TEST(PolicyParserTest, KindNamesAreStable) {
  EXPECT_EQ(PolicyKindName(PolicyKind::kKeyPolicy), "key");
  EXPECT_EQ(PolicyKindName(PolicyKind::kTrust), "trust");
}

// Positions of the statements of `policy` that match `action_lower`: by the
// candidate index, and by trying every statement.
std::pair<std::vector<uint32_t>, std::vector<uint32_t>> MatchingStatements(
    const Policy& policy, std::string_view action_lower) {
  std::vector<uint32_t> indexed;
  for (uint32_t i : policy.CandidateStatements(action_lower)) {
    if (policy.statements()[i].MatchesAction(action_lower)) indexed.push_back(i);
  }
  std::vector<uint32_t> all;
  for (uint32_t i = 0; i < policy.statements().size(); ++i) {
    if (policy.statements()[i].MatchesAction(action_lower)) all.push_back(i);
  }
  return {indexed, all};
}

TEST(PolicyCandidateStatementsTest, CandidatesFindEveryMatchingStatementInOrder) {
  auto r = ParseIdentityPolicy(R"({"Version":"2012-10-17","Statement":[
      {"Effect":"Allow","Action":"s3:Get*","Resource":"*"},
      {"Effect":"Allow","NotAction":"s3:*","Resource":"*"},
      {"Effect":"Deny","Action":["kms:Encrypt","s3:GetObject"],"Resource":"*"},
      {"Effect":"Allow","Action":"*","Resource":"*"},
      {"Effect":"Allow","Action":"kms:?ecrypt","Resource":"*"},
      {"Effect":"Allow","Action":["glue:GetTable","GLUE:*"],"Resource":"*"}]})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  for (const char* action : {"s3:getobject", "s3:putobject", "kms:encrypt", "kms:decrypt",
                             "glue:gettable", "iam:listroles", "nocolon", ":", ""}) {
    auto [indexed, all] = MatchingStatements(**r, action);
    EXPECT_EQ(indexed, all) << action;
  }
  EXPECT_THAT(MatchingStatements(**r, "s3:getobject").first, ::testing::ElementsAre(0u, 2u, 3u));
  EXPECT_THAT(MatchingStatements(**r, "kms:decrypt").first, ::testing::ElementsAre(1u, 3u, 4u));
}

TEST(PolicyCandidateStatementsTest, StatementsOfOtherServicesAreNotCandidates) {
  auto r = ParseIdentityPolicy(R"({"Version":"2012-10-17","Statement":[
      {"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"*"},
      {"Effect":"Allow","Action":"dynamodb:Query","Resource":"*"},
      {"Effect":"Allow","Action":["iam:ListRoles","kms:Encrypt"],"Resource":"*"}]})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  std::span<const uint32_t> kms = (*r)->CandidateStatements("kms:encrypt");
  EXPECT_THAT(std::vector<uint32_t>(kms.begin(), kms.end()), ::testing::ElementsAre(2u));
  EXPECT_TRUE((*r)->CandidateStatements("glue:gettable").empty());
}

}  // namespace
}  // namespace gee::policy
