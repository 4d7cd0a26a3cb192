#include "auth/policy/evaluator.h"

#include <gtest/gtest.h>

#include <string>

#include "auth/policy/policy.h"

namespace gee::policy {
namespace {

constexpr char kAccount[] = "111122223333";

Principal User() {
  Principal p;
  p.type = PrincipalType::kUser;
  p.account = kAccount;
  p.arn = "arn:aws:iam::111122223333:user/alice";
  p.user_id = "AIDAALICEEXAMPLE0001";
  return p;
}

Principal Session(const std::string& session = "s1") {
  Principal p;
  p.type = PrincipalType::kAssumedRole;
  p.account = kAccount;
  p.arn = "arn:aws:sts::111122223333:assumed-role/dev/" + session;
  p.role_arn = "arn:aws:iam::111122223333:role/dev";
  p.role_id = "AROADEVEXAMPLE000001";
  return p;
}

PrincipalSet Aws(std::initializer_list<const char*> arns) {
  PrincipalSet s;
  for (const char* a : arns) s.aws.emplace_back(a);
  return s;
}

TEST(MatchPrincipalSetTest, UserArnIsAnExactMatch) {
  EXPECT_EQ(MatchPrincipalSet(Aws({"arn:aws:iam::111122223333:user/alice"}), User()), PrincipalMatch::kExact);
}

TEST(MatchPrincipalSetTest, UserUniqueIdIsAnExactMatch) {
  EXPECT_EQ(MatchPrincipalSet(Aws({"AIDAALICEEXAMPLE0001"}), User()), PrincipalMatch::kExact);
}

TEST(MatchPrincipalSetTest, SessionArnIsAnExactMatch) {
  EXPECT_EQ(MatchPrincipalSet(Aws({"arn:aws:sts::111122223333:assumed-role/dev/s1"}), Session()),
            PrincipalMatch::kExact);
}

TEST(MatchPrincipalSetTest, RoleArnMatchesEverySessionOfTheRole) {
  PrincipalSet set = Aws({"arn:aws:iam::111122223333:role/dev"});
  EXPECT_EQ(MatchPrincipalSet(set, Session("s1")), PrincipalMatch::kRole);
  EXPECT_EQ(MatchPrincipalSet(set, Session("other")), PrincipalMatch::kRole);
}

TEST(MatchPrincipalSetTest, AccountRootMatchesEveryPrincipalOfTheAccount) {
  PrincipalSet set = Aws({"arn:aws:iam::111122223333:root"});
  EXPECT_EQ(MatchPrincipalSet(set, User()), PrincipalMatch::kAccount);
  EXPECT_EQ(MatchPrincipalSet(set, Session()), PrincipalMatch::kAccount);
  EXPECT_EQ(MatchPrincipalSet(set, RootPrincipal(kAccount)), PrincipalMatch::kAccount);
  EXPECT_EQ(MatchPrincipalSet(set, RootPrincipal("444455556666")), PrincipalMatch::kNone);
}

TEST(MatchPrincipalSetTest, StrongestMatchWins) {
  PrincipalSet set = Aws({"arn:aws:iam::111122223333:root", "arn:aws:iam::111122223333:role/dev"});
  EXPECT_EQ(MatchPrincipalSet(set, Session()), PrincipalMatch::kRole);
  set.any = true;
  EXPECT_EQ(MatchPrincipalSet(set, Session()), PrincipalMatch::kRole);
  set.aws.emplace_back("arn:aws:sts::111122223333:assumed-role/dev/s1");
  EXPECT_EQ(MatchPrincipalSet(set, Session()), PrincipalMatch::kExact);
}

TEST(MatchPrincipalSetTest, StarMatchesAnonymousAndServices) {
  PrincipalSet set;
  set.any = true;
  EXPECT_EQ(MatchPrincipalSet(set, Principal{}), PrincipalMatch::kWildcard);
  EXPECT_EQ(MatchPrincipalSet(set, ServicePrincipal("logs.us-east-1.amazonaws.com")), PrincipalMatch::kWildcard);
}

TEST(MatchPrincipalSetTest, ServicePrincipalMustMatchRegionExactly) {
  PrincipalSet set;
  set.services.emplace_back("logs.us-east-1.amazonaws.com");
  EXPECT_EQ(MatchPrincipalSet(set, ServicePrincipal("logs.us-east-1.amazonaws.com")), PrincipalMatch::kExact);
  EXPECT_EQ(MatchPrincipalSet(set, ServicePrincipal("logs.eu-west-1.amazonaws.com")), PrincipalMatch::kNone);
  EXPECT_EQ(MatchPrincipalSet(set, ServicePrincipal("Logs.US-East-1.amazonaws.com")), PrincipalMatch::kExact);
}

TEST(MatchPrincipalSetTest, AnonymousIsNotMatchedByAccount) {
  EXPECT_EQ(MatchPrincipalSet(Aws({"arn:aws:iam::111122223333:root"}), Principal{}), PrincipalMatch::kNone);
}

TEST(NotPrincipalTest, UserIsExcludedOnlyWithItsAccount) {
  EXPECT_TRUE(NotPrincipalApplies(Aws({"arn:aws:iam::111122223333:user/alice"}), User(), false));
  EXPECT_FALSE(NotPrincipalApplies(
      Aws({"arn:aws:iam::111122223333:root", "arn:aws:iam::111122223333:user/alice"}), User(), false));
}

TEST(NotPrincipalTest, SessionIsExcludedOnlyWithAccountRoleAndSession) {
  EXPECT_TRUE(NotPrincipalApplies(
      Aws({"arn:aws:iam::111122223333:root", "arn:aws:iam::111122223333:role/dev"}), Session(), false));
  EXPECT_FALSE(NotPrincipalApplies(Aws({"arn:aws:iam::111122223333:root", "arn:aws:iam::111122223333:role/dev",
                                        "arn:aws:sts::111122223333:assumed-role/dev/s1"}),
                                   Session(), false));
}

TEST(NotPrincipalTest, PrincipalWithBoundaryIsNeverExcluded) {
  EXPECT_TRUE(NotPrincipalApplies(
      Aws({"arn:aws:iam::111122223333:root", "arn:aws:iam::111122223333:user/alice"}), User(), true));
}

TEST(NotPrincipalTest, RootIsExcludedByItsAccount) {
  EXPECT_FALSE(NotPrincipalApplies(Aws({"arn:aws:iam::111122223333:root"}), RootPrincipal(kAccount), false));
}

TEST(NotPrincipalTest, AnonymousIsNeverExcludedByNamedPrincipals) {
  EXPECT_TRUE(NotPrincipalApplies(Aws({"arn:aws:iam::111122223333:root"}), Principal{}, false));
}

class EvaluateTest : public ::testing::Test {
 protected:
  EvaluationInput Input(const Principal& p) {
    EvaluationInput in;
    in.principal = &p;
    in.keys = &keys_;
    return in;
  }
  ConditionKeys keys_;
};

TEST_F(EvaluateTest, MissingPrincipalFailsClosed) {
  EvaluationInput in;
  in.keys = &keys_;
  in.action = "s3:GetObject";
  Decision d = Evaluate(in);
  EXPECT_EQ(d.outcome, DecisionOutcome::kImplicitDeny);
}

TEST_F(EvaluateTest, RootCrossAccountNeedsTheOptionToPassTheIdentitySide) {
  Principal root_b = RootPrincipal("444455556666");
  EvaluationInput in = Input(root_b);
  in.action = "s3:GetObject";
  in.resource = "arn:aws:s3:::b/k";
  in.resource_account = kAccount;
  in.resource_policy_kind = ResourcePolicyKind::kStandard;
  in.resource_policy = NamedPolicy{
      "bucket policy",
      *ParseResourcePolicy(R"({"Version":"2012-10-17","Statement":[{"Sid":"B","Effect":"Allow",
          "Principal":{"AWS":"444455556666"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]})")};
  EXPECT_EQ(Evaluate(in).outcome, DecisionOutcome::kImplicitDeny);
  EvaluatorOptions options;
  options.root_identity_allows_cross_account = true;
  Decision d = Evaluate(in, options);
  EXPECT_TRUE(d.allowed()) << d.explanation;
  ASSERT_TRUE(d.deciding);
  EXPECT_EQ(d.deciding->sid, "B");
}

TEST_F(EvaluateTest, ExplicitDenyNamesResourcePolicyBeforeIdentityPolicy) {
  Principal alice = User();
  EvaluationInput in = Input(alice);
  in.action = "s3:DeleteObject";
  in.resource = "arn:aws:s3:::b/k";
  in.identity_policies.push_back(
      {"identity deny", *ParseIdentityPolicy(R"({"Version":"2012-10-17","Statement":[{"Sid":"I","Effect":"Deny","Action":"s3:*","Resource":"*"}]})")});
  in.resource_policy_kind = ResourcePolicyKind::kStandard;
  in.resource_policy = NamedPolicy{
      "bucket policy", *ParseResourcePolicy(R"({"Version":"2012-10-17","Statement":[{"Sid":"R","Effect":"Deny",
          "Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*"}]})")};
  Decision d = Evaluate(in);
  EXPECT_EQ(d.outcome, DecisionOutcome::kExplicitDeny);
  EXPECT_EQ(d.denied_by, "resource-based");
  EXPECT_EQ(d.matched.size(), 2u);
}

TEST_F(EvaluateTest, ExplanationNamesTheDecidingStatement) {
  Principal alice = User();
  EvaluationInput in = Input(alice);
  in.action = "glue:GetTable";
  in.resource = "arn:aws:glue:us-east-1:111122223333:table/db/t";
  in.identity_policies.push_back(
      {"glue reader", *ParseIdentityPolicy(R"({"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Action":"glue:Get*","Resource":"*"}]})")});
  Decision d = Evaluate(in);
  ASSERT_TRUE(d.allowed());
  EXPECT_NE(d.explanation.find("glue reader"), std::string::npos) << d.explanation;
  EXPECT_NE(d.explanation.find("Read"), std::string::npos) << d.explanation;
}

}  // namespace
}  // namespace gee::policy
