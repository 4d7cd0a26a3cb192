// STS over HTTP and in-process: AssumeRole (trust policies, durations,
// chaining, session policies and tags, ExternalId), GetSessionToken,
// session expiry by the injected clock, and the service-principal API the
// Glue runtime uses.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/environment.h"
#include "services/sts/sts_client.h"
#include "tests/integration/iam_fixture.h"

namespace gee::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

class StsAssumeRoleTest : public IamTest {
 protected:
  // alice with sts:AssumeRole on every role; role "r" trusting alice directly
  // and allowed iam:GetRole and iam:ListRoles.
  void SetUpAliceAndRole() {
    alice_ = UserClient("alice", {Allow("sts:AssumeRole")});
    CreateRole("r", Trust(R"({"AWS":")" + UserArnOf("alice") + R"("})"));
    PutRolePolicy("r", "read", Policy("Allow", R"("Action":["iam:GetRole","iam:ListRoles"])", Resource("*")));
  }
  std::unique_ptr<harness::AwsClient> alice_;
};

TEST_F(StsAssumeRoleTest, AssumeRoleReturnsSessionCredentialsForTheRole) {
  SetUpAliceAndRole();
  auto r = AssumeRole(*alice_, RoleArnOf("r"), "s1");
  ASSERT_THAT(r, IsOk());
  EXPECT_THAT(XmlText(*r, "//Credentials/AccessKeyId"), StartsWith("ASIA"));
  EXPECT_EQ(XmlText(*r, "//Credentials/Expiration"), "2026-01-01T01:00:00Z");
  EXPECT_EQ(XmlText(*r, "//AssumedRoleUser/Arn"), "arn:aws:sts::000000000000:assumed-role/r/s1");
  EXPECT_THAT(XmlText(*r, "//AssumedRoleUser/AssumedRoleId"), StartsWith("AROA"));
  EXPECT_THAT(XmlText(*r, "//AssumedRoleUser/AssumedRoleId"), HasSubstr(":s1"));
  auto session = ClientFor(SessionCredentials(*r));
  auto who = Sts(*session, "GetCallerIdentity", {});
  ASSERT_THAT(who, IsOk());
  EXPECT_EQ(XmlText(*who, "//Arn"), "arn:aws:sts::000000000000:assumed-role/r/s1");
  EXPECT_EQ(XmlText(*who, "//UserId"), XmlText(*r, "//AssumedRoleUser/AssumedRoleId"));
  EXPECT_THAT(Iam(*session, "ListRoles", {}), IsOk());
  EXPECT_THAT(Iam(*session, "ListUsers", {}),
              HasAwsErrorMessage("AccessDenied",
                                 "User: arn:aws:sts::000000000000:assumed-role/r/s1 is not authorized "
                                 "to perform: iam:ListUsers on resource: "
                                 "arn:aws:iam::000000000000:user/ because no identity-based policy "
                                 "allows the iam:ListUsers action"));
}

TEST_F(StsAssumeRoleTest, GetCallerIdentityDescribesAnIamUser) {
  auto alice = UserClient("alice");
  auto who = Sts(*alice, "GetCallerIdentity", {});
  ASSERT_THAT(who, IsOk());
  EXPECT_EQ(XmlText(*who, "//Arn"), UserArnOf("alice"));
  EXPECT_THAT(XmlText(*who, "//UserId"), StartsWith("AIDA"));
  EXPECT_EQ(XmlText(*who, "//Account"), "000000000000");
}

TEST_F(StsAssumeRoleTest, AssumeRoleIsDeniedWhenTheTrustPolicyDoesNotNameTheCaller) {
  auto bob = UserClient("bob", {Allow("sts:AssumeRole")});
  CreateRole("r", Trust(R"({"AWS":")" + UserArnOf("alice") + R"("})"));
  auto r = AssumeRole(*bob, RoleArnOf("r"), "s1");
  EXPECT_THAT(r, HasAwsErrorMessage("AccessDenied",
                                    "User: arn:aws:iam::000000000000:user/bob is not authorized to "
                                    "perform: sts:AssumeRole on resource: "
                                    "arn:aws:iam::000000000000:role/r"));
  EXPECT_EQ(r->http.status, 403);
}

TEST_F(StsAssumeRoleTest, AMissingRoleGivesTheSameAccessDenied) {
  auto bob = UserClient("bob", {Allow("sts:AssumeRole")});
  EXPECT_THAT(AssumeRole(*bob, RoleArnOf("ghost"), "s1"),
              HasAwsErrorMessage("AccessDenied",
                                 "User: arn:aws:iam::000000000000:user/bob is not authorized to "
                                 "perform: sts:AssumeRole on resource: "
                                 "arn:aws:iam::000000000000:role/ghost"));
}

TEST_F(StsAssumeRoleTest, TrustingTheAccountAlsoNeedsAnIdentityPolicy) {
  auto bob = UserClient("bob");
  CreateRole("r", Trust(R"({"AWS":"arn:aws:iam::000000000000:root"})"));
  EXPECT_THAT(AssumeRole(*bob, RoleArnOf("r"), "s1"), HasAwsError("AccessDenied"));
  PutUserPolicy("bob", "assume", Allow("sts:AssumeRole", RoleArnOf("r")));
  EXPECT_THAT(AssumeRole(*bob, RoleArnOf("r"), "s1"), IsOk());
}

TEST_F(StsAssumeRoleTest, TrustNamingTheUserNeedsNoIdentityPolicy) {
  auto carol = UserClient("carol");
  CreateRole("r", Trust(R"({"AWS":")" + UserArnOf("carol") + R"("})"));
  EXPECT_THAT(AssumeRole(*carol, RoleArnOf("r"), "s1"), IsOk());
}

TEST_F(StsAssumeRoleTest, AnExplicitDenyInTheIdentityPolicyStopsAssumeRole) {
  auto carol = UserClient("carol", {Deny("sts:AssumeRole")});
  CreateRole("r", Trust(R"({"AWS":")" + UserArnOf("carol") + R"("})"));
  EXPECT_THAT(AssumeRole(*carol, RoleArnOf("r"), "s1"), HasAwsError("AccessDenied"));
}

TEST_F(StsAssumeRoleTest, DurationAboveTheRoleMaximumIsRejected) {
  SetUpAliceAndRole();
  EXPECT_THAT(AssumeRole(*alice_, RoleArnOf("r"), "s1", {{"DurationSeconds", "7200"}}),
              HasAwsErrorMessage("ValidationError",
                                 "The requested DurationSeconds exceeds the MaxSessionDuration set "
                                 "for this role."));
  MustSucceed(Iam("UpdateRole", {{"RoleName", "r"}, {"MaxSessionDuration", "7200"}}));
  auto r = AssumeRole(*alice_, RoleArnOf("r"), "s1", {{"DurationSeconds", "7200"}});
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(XmlText(*r, "//Credentials/Expiration"), "2026-01-01T02:00:00Z");
}

TEST_F(StsAssumeRoleTest, DurationBelowFifteenMinutesIsRejected) {
  SetUpAliceAndRole();
  EXPECT_THAT(AssumeRole(*alice_, RoleArnOf("r"), "s1", {{"DurationSeconds", "899"}}),
              HasAwsError("ValidationError"));
}

TEST_F(StsAssumeRoleTest, RoleChainingIsCappedAtOneHour) {
  SetUpAliceAndRole();
  CreateRole("second", Trust(R"({"AWS":")" + RoleArnOf("r") + R"("})"));
  MustSucceed(Iam("UpdateRole", {{"RoleName", "second"}, {"MaxSessionDuration", "43200"}}));
  PutRolePolicy("r", "assume", Allow("sts:AssumeRole"));
  auto first = SessionClient(*alice_, RoleArnOf("r"), "s1");
  ASSERT_NE(first, nullptr);
  EXPECT_THAT(AssumeRole(*first, RoleArnOf("second"), "s2", {{"DurationSeconds", "7200"}}),
              HasAwsErrorMessage("ValidationError",
                                 "The requested DurationSeconds exceeds the 1 hour session limit "
                                 "for roles assumed by role chaining."));
  auto chained = AssumeRole(*first, RoleArnOf("second"), "s2");
  ASSERT_THAT(chained, IsOk());
  EXPECT_EQ(XmlText(*chained, "//AssumedRoleUser/Arn"),
            "arn:aws:sts::000000000000:assumed-role/second/s2");
}

TEST_F(StsAssumeRoleTest, ABadSessionNameIsAValidationError) {
  SetUpAliceAndRole();
  EXPECT_THAT(AssumeRole(*alice_, RoleArnOf("r"), "Session1:2"),
              HasAwsErrorMessage("ValidationError",
                                 "1 validation error detected: Value 'Session1:2' at "
                                 "'roleSessionName' failed to satisfy constraint: Member must "
                                 "satisfy regular expression pattern: [\\w+=,.@-]*"));
}

TEST_F(StsAssumeRoleTest, AMalformedRoleArnIsAValidationError) {
  SetUpAliceAndRole();
  EXPECT_THAT(AssumeRole(*alice_, "not-an-arn-but-long-enough", "s1"),
              HasAwsErrorMessage("ValidationError", "not-an-arn-but-long-enough is invalid"));
}

TEST_F(StsAssumeRoleTest, AnInlineSessionPolicyNarrowsTheSession) {
  SetUpAliceAndRole();
  auto r = AssumeRole(*alice_, RoleArnOf("r"), "s1", {{"Policy", Allow("iam:GetRole")}});
  ASSERT_THAT(r, IsOk());
  EXPECT_FALSE(XmlText(*r, "//PackedPolicySize").empty());
  auto session = ClientFor(SessionCredentials(*r));
  EXPECT_THAT(Iam(*session, "GetRole", {{"RoleName", "r"}}), IsOk());
  EXPECT_THAT(Iam(*session, "ListRoles", {}),
              HasAwsErrorMessage("AccessDenied",
                                 "User: arn:aws:sts::000000000000:assumed-role/r/s1 is not authorized "
                                 "to perform: iam:ListRoles on resource: "
                                 "arn:aws:iam::000000000000:role/ because no session policy allows "
                                 "the iam:ListRoles action"));
}

TEST_F(StsAssumeRoleTest, ASessionPolicyCannotWidenTheRole) {
  SetUpAliceAndRole();
  auto session = SessionClient(*alice_, RoleArnOf("r"), "s1", {{"Policy", Allow("*")}});
  ASSERT_NE(session, nullptr);
  EXPECT_THAT(Iam(*session, "ListUsers", {}), HasAwsError("AccessDenied"));
}

TEST_F(StsAssumeRoleTest, AMalformedSessionPolicyIsRejected) {
  SetUpAliceAndRole();
  EXPECT_THAT(AssumeRole(*alice_, RoleArnOf("r"), "s1", {{"Policy", "{oops"}}),
              HasAwsErrorMessage("MalformedPolicyDocument", "This policy contains invalid Json"));
}

TEST_F(StsAssumeRoleTest, ManagedSessionPoliciesNarrowTheSession) {
  SetUpAliceAndRole();
  std::string arn = CreatePolicy("only-get", Allow("iam:GetRole"));
  auto session = SessionClient(*alice_, RoleArnOf("r"), "s1", {{"PolicyArns.member.1.arn", arn}});
  ASSERT_NE(session, nullptr);
  EXPECT_THAT(Iam(*session, "GetRole", {{"RoleName", "r"}}), IsOk());
  EXPECT_THAT(Iam(*session, "ListRoles", {}), HasAwsError("AccessDenied"));
}

TEST_F(StsAssumeRoleTest, AManagedSessionPolicyThatDoesNotExistAllowsNothing) {
  SetUpAliceAndRole();
  auto session = SessionClient(*alice_, RoleArnOf("r"), "s1",
                               {{"PolicyArns.member.1.arn", PolicyArnOf("ghost")}});
  ASSERT_NE(session, nullptr);
  EXPECT_THAT(Iam(*session, "GetRole", {{"RoleName", "r"}}), HasAwsError("AccessDenied"));
}

TEST_F(StsAssumeRoleTest, SessionPoliciesOverThePackedLimitAreRejected) {
  SetUpAliceAndRole();
  std::string actions;
  for (int i = 0; i < 120; ++i) actions += std::string(i ? "," : "") + "\"iam:GetRolePolicy" + std::to_string(i) + "\"";
  const std::string big = R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":[)" +
                          actions + R"(],"Resource":"*"}]})";
  auto r = AssumeRole(*alice_, RoleArnOf("r"), "s1", {{"Policy", big}});
  EXPECT_THAT(r, HasAwsError("PackedPolicyTooLarge"));
}

TEST_F(StsAssumeRoleTest, SessionTagsNeedTagSessionInTheTrustPolicy) {
  SetUpAliceAndRole();
  Params tags = {{"Tags.member.1.Key", "project"}, {"Tags.member.1.Value", "alpha"}};
  EXPECT_THAT(AssumeRole(*alice_, RoleArnOf("r"), "s1", tags),
              HasAwsErrorMessage("AccessDenied",
                                 "User: arn:aws:iam::000000000000:user/alice is not authorized to "
                                 "perform: sts:TagSession on resource: "
                                 "arn:aws:iam::000000000000:role/r because no resource-based policy "
                                 "allows the sts:TagSession action"));
  MustSucceed(Iam("UpdateAssumeRolePolicy",
                  {{"RoleName", "r"},
                   {"PolicyDocument",
                    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":")" +
                        UserArnOf("alice") + R"("},"Action":["sts:AssumeRole","sts:TagSession"]}]})"}}));
  PutRolePolicy("r", "tagged",
                Policy("Allow", Action("iam:ListUsers"), Resource("*"),
                       R"("Condition":{"StringEquals":{"aws:PrincipalTag/project":"alpha"}})"));
  auto session = SessionClient(*alice_, RoleArnOf("r"), "s1", tags);
  ASSERT_NE(session, nullptr);
  EXPECT_THAT(Iam(*session, "ListUsers", {}), IsOk());
}

TEST_F(StsAssumeRoleTest, TheExternalIdConditionIsEnforced) {
  auto alice = UserClient("alice", {Allow("sts:AssumeRole")});
  CreateRole("r", Trust(R"({"AWS":"000000000000"})",
                        R"("Condition":{"StringEquals":{"sts:ExternalId":"secret-42"}})"));
  EXPECT_THAT(AssumeRole(*alice, RoleArnOf("r"), "s1"), HasAwsError("AccessDenied"));
  EXPECT_THAT(AssumeRole(*alice, RoleArnOf("r"), "s1", {{"ExternalId", "wrong-id"}}),
              HasAwsError("AccessDenied"));
  EXPECT_THAT(AssumeRole(*alice, RoleArnOf("r"), "s1", {{"ExternalId", "secret-42"}}), IsOk());
}

TEST_F(StsAssumeRoleTest, ThePrincipalArnConditionSeesTheRoleOfASession) {
  SetUpAliceAndRole();
  PutRolePolicy("r", "self",
                Policy("Allow", Action("iam:ListUsers"), Resource("*"),
                       R"("Condition":{"ArnEquals":{"aws:PrincipalArn":")" + RoleArnOf("r") + R"("}})"));
  auto session = SessionClient(*alice_, RoleArnOf("r"), "s1");
  ASSERT_NE(session, nullptr);
  EXPECT_THAT(Iam(*session, "ListUsers", {}), IsOk());
}

TEST_F(StsAssumeRoleTest, ExpiredSessionCredentialsAreRejected) {
  SetUpAliceAndRole();
  auto r = AssumeRole(*alice_, RoleArnOf("r"), "s1", {{"DurationSeconds", "900"}});
  ASSERT_THAT(r, IsOk());
  auto session = ClientFor(SessionCredentials(*r));
  EXPECT_THAT(Iam(*session, "ListRoles", {}), IsOk());
  clock().AdvanceSeconds(899);
  EXPECT_THAT(Iam(*session, "ListRoles", {}), IsOk());
  clock().AdvanceSeconds(1);
  auto expired = Iam(*session, "ListRoles", {});
  EXPECT_THAT(expired, HasAwsErrorMessage("ExpiredToken",
                                          "The security token included in the request is expired"));
  EXPECT_EQ(expired->http.status, 403);
}

TEST_F(StsAssumeRoleTest, AWrongSessionTokenIsRejected) {
  SetUpAliceAndRole();
  auto r = AssumeRole(*alice_, RoleArnOf("r"), "s1");
  ASSERT_THAT(r, IsOk());
  harness::Credentials creds = SessionCredentials(*r);
  creds.session_token = "IQoJb3JpZ2luX2VjEnotthetoken";
  EXPECT_THAT(Iam(*ClientFor(creds), "ListRoles", {}), HasAwsError("InvalidClientTokenId"));
  creds.session_token.clear();
  EXPECT_THAT(Iam(*ClientFor(creds), "ListRoles", {}), HasAwsError("InvalidClientTokenId"));
}

TEST_F(StsAssumeRoleTest, SessionsOfADeletedRoleLoseEveryPermission) {
  SetUpAliceAndRole();
  auto session = SessionClient(*alice_, RoleArnOf("r"), "s1");
  ASSERT_NE(session, nullptr);
  MustSucceed(Iam("DeleteRolePolicy", {{"RoleName", "r"}, {"PolicyName", "read"}}));
  MustSucceed(Iam("DeleteRole", {{"RoleName", "r"}}));
  CreateRole("r", Trust(R"({"AWS":")" + UserArnOf("alice") + R"("})"));
  PutRolePolicy("r", "all", Allow("iam:*"));
  EXPECT_THAT(Iam(*session, "ListRoles", {}), HasAwsError("AccessDenied"));
}

TEST_F(StsAssumeRoleTest, GetRoleReportsWhenTheRoleWasLastAssumed) {
  SetUpAliceAndRole();
  clock().AdvanceSeconds(60);
  MustSucceed(AssumeRole(*alice_, RoleArnOf("r"), "s1"));
  auto r = Iam("GetRole", {{"RoleName", "r"}});
  EXPECT_EQ(XmlText(*r, "//RoleLastUsed/LastUsedDate"), "2026-01-01T00:01:00Z");
  EXPECT_EQ(XmlText(*r, "//RoleLastUsed/Region"), "us-east-1");
}

// ---- GetSessionToken ----

TEST_F(StsAssumeRoleTest, GetSessionTokenCredentialsActAsTheUser) {
  auto alice = UserClient("alice", {Allow("iam:ListRoles")});
  auto r = Sts(*alice, "GetSessionToken", {{"DurationSeconds", "900"}});
  ASSERT_THAT(r, IsOk());
  auto session = ClientFor(SessionCredentials(*r));
  auto who = Sts(*session, "GetCallerIdentity", {});
  EXPECT_EQ(XmlText(*who, "//Arn"), UserArnOf("alice"));
  EXPECT_THAT(Iam(*session, "ListRoles", {}), IsOk());
  EXPECT_THAT(Iam(*session, "ListUsers", {}), HasAwsError("AccessDenied"));
  clock().AdvanceSeconds(900);
  EXPECT_THAT(Iam(*session, "ListRoles", {}), HasAwsError("ExpiredToken"));
}

TEST_F(StsAssumeRoleTest, GetSessionTokenRefusesSessionCredentials) {
  SetUpAliceAndRole();
  auto session = SessionClient(*alice_, RoleArnOf("r"), "s1");
  ASSERT_NE(session, nullptr);
  EXPECT_THAT(Sts(*session, "GetSessionToken", {}),
              HasAwsErrorMessage("AccessDenied", "Cannot call GetSessionToken with session credentials"));
}

// ---- in-process: a service principal assumes a role ----

TEST_F(StsAssumeRoleTest, AServicePrincipalAssumesARoleThatTrustsIt) {
  CreateRole("GlueJobRole", Trust(R"({"Service":"glue.amazonaws.com"})"));
  PutRolePolicy("GlueJobRole", "p", Allow("iam:ListRoles"));
  Environment& env = emulator().env();
  RequestContext ctx = env.NewContext(RootPrincipal("000000000000"), "us-east-1");
  sts::ServiceAssumeRole request;
  request.service_principal = "glue.amazonaws.com";
  request.role = "GlueJobRole";
  request.session_name = "GlueJobRunnerSession";
  auto principal = sts::AssumeRoleAsService(env, ctx, request);
  ASSERT_THAT(principal, IsOk());
  EXPECT_EQ(principal->arn, "arn:aws:sts::000000000000:assumed-role/GlueJobRole/GlueJobRunnerSession");
  EXPECT_EQ(principal->role_arn, RoleArnOf("GlueJobRole"));
  EXPECT_EQ(principal->expiration, principal->token_issue_time + 3600);
  // The session is authorized by the role's policies like any other.
  RequestContext job = env.NewContext(*principal, "us-east-1");
  job.service = "iam";
  AuthRequest list;
  list.action = "iam:ListRoles";
  list.resource = "arn:aws:iam::000000000000:role/";
  EXPECT_THAT(env.Authorize(job, list), IsOk());
  list.action = "iam:ListUsers";
  EXPECT_THAT(env.Authorize(job, list), HasAwsError("AccessDenied"));
}

TEST_F(StsAssumeRoleTest, AServicePrincipalIsRefusedByARoleThatDoesNotTrustIt) {
  CreateRole("EcsRole", Trust(R"({"Service":"ecs-tasks.amazonaws.com"})"));
  Environment& env = emulator().env();
  RequestContext ctx = env.NewContext(RootPrincipal("000000000000"), "us-east-1");
  sts::ServiceAssumeRole request;
  request.service_principal = "glue.amazonaws.com";
  request.role = RoleArnOf("EcsRole");
  request.session_name = "GlueJobRunnerSession";
  EXPECT_THAT(sts::AssumeRoleAsService(env, ctx, request),
              HasAwsErrorMessage("AccessDenied",
                                 "User: glue.amazonaws.com is not authorized to perform: "
                                 "sts:AssumeRole on resource: arn:aws:iam::000000000000:role/EcsRole"));
  request.role = "NoSuchRole";
  EXPECT_THAT(sts::AssumeRoleAsService(env, ctx, request), HasAwsError("AccessDenied"));
}

TEST_F(StsAssumeRoleTest, TheServiceTrustCanRequireTheSourceAccount) {
  CreateRole("GlueRole", Trust(R"({"Service":"glue.amazonaws.com"})",
                               R"("Condition":{"StringEquals":{"aws:SourceAccount":"000000000000"}})"));
  Environment& env = emulator().env();
  RequestContext ctx = env.NewContext(RootPrincipal("000000000000"), "us-east-1");
  sts::ServiceAssumeRole request;
  request.service_principal = "glue.amazonaws.com";
  request.role = "GlueRole";
  request.session_name = "GlueJobRunnerSession";
  EXPECT_THAT(sts::AssumeRoleAsService(env, ctx, request), HasAwsError("AccessDenied"));
  request.source_account = "000000000000";
  request.source_arn = "arn:aws:glue:us-east-1:000000000000:job/j";
  EXPECT_THAT(sts::AssumeRoleAsService(env, ctx, request), IsOk());
}

}  // namespace
}  // namespace gee::testing
