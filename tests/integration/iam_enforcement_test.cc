// Authorization of real requests by IAM users and role sessions, decided by
// the IAM-backed identity policies: least privilege, explicit deny,
// NotAction/NotResource, groups, managed policies and their versions,
// permissions boundaries, tag conditions, and --auth soft.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "auth/authorizer.h"
#include "core/environment.h"
#include "services/iam/iam_api.h"
#include "services/iam/iam_service.h"
#include "services/iam/identity_policies.h"
#include "tests/integration/iam_fixture.h"

namespace gee::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class IamEnforcementTest : public IamTest {};

TEST_F(IamEnforcementTest, AUserWithoutPoliciesIsDeniedWithAwsSentence) {
  auto alice = UserClient("alice");
  auto r = Iam(*alice, "ListRoles", {});
  EXPECT_THAT(r, HasAwsErrorMessage(
                     "AccessDenied",
                     "User: arn:aws:iam::000000000000:user/alice is not authorized to perform: "
                     "iam:ListRoles on resource: arn:aws:iam::000000000000:role/ because no "
                     "identity-based policy allows the iam:ListRoles action"));
  EXPECT_EQ(r->http.status, 403);
}

TEST_F(IamEnforcementTest, AnInlinePolicyAllowsExactlyWhatItNames) {
  auto alice = UserClient("alice", {Allow("iam:GetRole", RoleArnOf("visible"))});
  CreateRole("visible", Trust(R"({"AWS":"000000000000"})"));
  CreateRole("hidden", Trust(R"({"AWS":"000000000000"})"));
  EXPECT_THAT(Iam(*alice, "GetRole", {{"RoleName", "visible"}}), IsOk());
  EXPECT_THAT(Iam(*alice, "GetRole", {{"RoleName", "hidden"}}), HasAwsError("AccessDenied"));
  EXPECT_THAT(Iam(*alice, "DeleteRole", {{"RoleName", "visible"}}), HasAwsError("AccessDenied"));
}

TEST_F(IamEnforcementTest, AMissingEntityIsAuthorizedBeforeItIsReportedMissing) {
  auto alice = UserClient("alice", {Allow("iam:GetRole", RoleArnOf("allowed*"))});
  EXPECT_THAT(Iam(*alice, "GetRole", {{"RoleName", "ghost"}}), HasAwsError("AccessDenied"));
  EXPECT_THAT(Iam(*alice, "GetRole", {{"RoleName", "allowed-ghost"}}), HasAwsError("NoSuchEntity"));
}

TEST_F(IamEnforcementTest, ExplicitDenyBeatsAllow) {
  auto alice = UserClient("alice", {Allow("iam:*"), Deny("iam:DeleteRole")});
  CreateRole("r", Trust(R"({"AWS":"000000000000"})"));
  EXPECT_THAT(Iam(*alice, "GetRole", {{"RoleName", "r"}}), IsOk());
  EXPECT_THAT(Iam(*alice, "DeleteRole", {{"RoleName", "r"}}),
              HasAwsErrorMessage("AccessDenied",
                                 "User: arn:aws:iam::000000000000:user/alice is not authorized to "
                                 "perform: iam:DeleteRole on resource: "
                                 "arn:aws:iam::000000000000:role/r with an explicit deny in an "
                                 "identity-based policy"));
}

TEST_F(IamEnforcementTest, NotActionAllowsEverythingElse) {
  auto alice = UserClient("alice", {Policy("Allow", NotAction("iam:Delete*"), Resource("*"))});
  CreateRole("r", Trust(R"({"AWS":"000000000000"})"));
  EXPECT_THAT(Iam(*alice, "GetRole", {{"RoleName", "r"}}), IsOk());
  EXPECT_THAT(Iam(*alice, "DeleteRole", {{"RoleName", "r"}}), HasAwsError("AccessDenied"));
}

TEST_F(IamEnforcementTest, NotResourceExcludesTheListedResources) {
  auto alice = UserClient("alice", {Policy("Allow", Action("iam:GetRole"), NotResource(RoleArnOf("admin")))});
  CreateRole("admin", Trust(R"({"AWS":"000000000000"})"));
  CreateRole("dev", Trust(R"({"AWS":"000000000000"})"));
  EXPECT_THAT(Iam(*alice, "GetRole", {{"RoleName", "dev"}}), IsOk());
  EXPECT_THAT(Iam(*alice, "GetRole", {{"RoleName", "admin"}}), HasAwsError("AccessDenied"));
}

TEST_F(IamEnforcementTest, GroupPoliciesApplyToMembersOnly) {
  auto alice = UserClient("alice");
  MustSucceed(Iam("CreateGroup", {{"GroupName", "readers"}}));
  MustSucceed(Iam("PutGroupPolicy", {{"GroupName", "readers"}, {"PolicyName", "read"}, {"PolicyDocument", Allow("iam:List*")}}));
  EXPECT_THAT(Iam(*alice, "ListRoles", {}), HasAwsError("AccessDenied"));
  MustSucceed(Iam("AddUserToGroup", {{"GroupName", "readers"}, {"UserName", "alice"}}));
  EXPECT_THAT(Iam(*alice, "ListRoles", {}), IsOk());
  MustSucceed(Iam("RemoveUserFromGroup", {{"GroupName", "readers"}, {"UserName", "alice"}}));
  EXPECT_THAT(Iam(*alice, "ListRoles", {}), HasAwsError("AccessDenied"));
}

TEST_F(IamEnforcementTest, SetDefaultPolicyVersionChangesWhatIsAllowedAtOnce) {
  auto alice = UserClient("alice");
  std::string arn = CreatePolicy("p", Allow("iam:ListRoles"));
  MustSucceed(Iam("AttachUserPolicy", {{"UserName", "alice"}, {"PolicyArn", arn}}));
  MustSucceed(Iam("CreatePolicyVersion", {{"PolicyArn", arn}, {"PolicyDocument", Allow("iam:ListUsers")}}));
  EXPECT_THAT(Iam(*alice, "ListRoles", {}), IsOk());
  EXPECT_THAT(Iam(*alice, "ListUsers", {}), HasAwsError("AccessDenied"));
  MustSucceed(Iam("SetDefaultPolicyVersion", {{"PolicyArn", arn}, {"VersionId", "v2"}}));
  EXPECT_THAT(Iam(*alice, "ListRoles", {}), HasAwsError("AccessDenied"));
  EXPECT_THAT(Iam(*alice, "ListUsers", {}), IsOk());
}

TEST_F(IamEnforcementTest, AwsManagedAdministratorAccessAllowsEverything) {
  auto alice = UserClient("alice");
  MustSucceed(Iam("AttachUserPolicy", {{"UserName", "alice"},
                                       {"PolicyArn", "arn:aws:iam::aws:policy/AdministratorAccess"}}));
  EXPECT_THAT(Iam(*alice, "CreateRole", {{"RoleName", "r"},
                                         {"AssumeRolePolicyDocument", Trust(R"({"AWS":"000000000000"})")}}),
              IsOk());
}

TEST_F(IamEnforcementTest, APermissionsBoundaryCapsAnAdministrator) {
  auto alice = UserClient("alice", {Allow("*")});
  std::string boundary = CreatePolicy("boundary", Allow("iam:Get*"));
  MustSucceed(Iam("PutUserPermissionsBoundary", {{"UserName", "alice"}, {"PermissionsBoundary", boundary}}));
  CreateRole("r", Trust(R"({"AWS":"000000000000"})"));
  EXPECT_THAT(Iam(*alice, "GetRole", {{"RoleName", "r"}}), IsOk());
  EXPECT_THAT(Iam(*alice, "ListRoles", {}),
              HasAwsErrorMessage("AccessDenied",
                                 "User: arn:aws:iam::000000000000:user/alice is not authorized to "
                                 "perform: iam:ListRoles on resource: "
                                 "arn:aws:iam::000000000000:role/ because no permissions boundary "
                                 "allows the iam:ListRoles action"));
  MustSucceed(Iam("DeleteUserPermissionsBoundary", {{"UserName", "alice"}}));
  EXPECT_THAT(Iam(*alice, "ListRoles", {}), IsOk());
}

TEST_F(IamEnforcementTest, ABoundaryPolicyInUseCannotBeDeleted) {
  CreateUser("alice");
  std::string boundary = CreatePolicy("boundary", Allow("iam:Get*"));
  MustSucceed(Iam("PutUserPermissionsBoundary", {{"UserName", "alice"}, {"PermissionsBoundary", boundary}}));
  EXPECT_THAT(Iam("DeletePolicy", {{"PolicyArn", boundary}}), HasAwsError("DeleteConflict"));
  EXPECT_THAT(Iam("PutUserPermissionsBoundary", {{"UserName", "alice"}, {"PermissionsBoundary", PolicyArnOf("ghost")}}),
              HasAwsError("NoSuchEntity"));
}

TEST_F(IamEnforcementTest, TheBoundaryConditionKeyDelegatesUserCreationSafely) {
  std::string boundary = CreatePolicy("boundary", Allow("s3:*"));
  auto admin = UserClient(
      "delegate",
      {Policy("Allow", Action("iam:CreateUser"), Resource("*"),
              R"("Condition":{"StringEquals":{"iam:PermissionsBoundary":")" + boundary + R"("}})")});
  EXPECT_THAT(Iam(*admin, "CreateUser", {{"UserName", "nobound"}}), HasAwsError("AccessDenied"));
  EXPECT_THAT(Iam(*admin, "CreateUser", {{"UserName", "bound"}, {"PermissionsBoundary", boundary}}),
              IsOk());
}

TEST_F(IamEnforcementTest, PrincipalTagConditionsReadTheUsersTags) {
  MustSucceed(Iam("CreateUser", {{"UserName", "alice"}, {"Tags.member.1.Key", "team"}, {"Tags.member.1.Value", "blue"}}));
  PutUserPolicy("alice", "p",
                Policy("Allow", Action("iam:ListRoles"), Resource("*"),
                       R"("Condition":{"StringEquals":{"aws:PrincipalTag/team":"red"}})"));
  auto alice = ClientFor(AccessKeyFor("alice"));
  EXPECT_THAT(Iam(*alice, "ListRoles", {}), HasAwsError("AccessDenied"));
  MustSucceed(Iam("TagUser", {{"UserName", "alice"}, {"Tags.member.1.Key", "team"}, {"Tags.member.1.Value", "red"}}));
  EXPECT_THAT(Iam(*alice, "ListRoles", {}), IsOk());
}

TEST_F(IamEnforcementTest, ResourceTagConditionsReadTheRolesTags) {
  auto alice = UserClient("alice", {Policy("Allow", Action("iam:GetRole"), Resource("*"),
                                           R"("Condition":{"StringEquals":{"aws:ResourceTag/env":"dev"}})")});
  MustSucceed(Iam("CreateRole", {{"RoleName", "dev"},
                                 {"AssumeRolePolicyDocument", Trust(R"({"AWS":"000000000000"})")},
                                 {"Tags.member.1.Key", "env"},
                                 {"Tags.member.1.Value", "dev"}}));
  CreateRole("prod", Trust(R"({"AWS":"000000000000"})"));
  EXPECT_THAT(Iam(*alice, "GetRole", {{"RoleName", "dev"}}), IsOk());
  EXPECT_THAT(Iam(*alice, "GetRole", {{"RoleName", "prod"}}), HasAwsError("AccessDenied"));
}

TEST_F(IamEnforcementTest, DeletingAPolicyTakesEffectOnTheNextRequest) {
  auto alice = UserClient("alice", {Allow("iam:ListRoles")});
  EXPECT_THAT(Iam(*alice, "ListRoles", {}), IsOk());
  MustSucceed(Iam("DeleteUserPolicy", {{"UserName", "alice"}, {"PolicyName", "p0"}}));
  EXPECT_THAT(Iam(*alice, "ListRoles", {}), HasAwsError("AccessDenied"));
}

TEST_F(IamEnforcementTest, TheProviderCachesPolicySetsUntilTheNextIamWrite) {
  auto alice = UserClient("alice", {Allow("iam:ListRoles")});
  auto* service = static_cast<iam::IamService*>(emulator().env().FindService("iam"));
  auto& provider = static_cast<iam::IamIdentityPolicyProvider&>(service->identity_policies());
  ASSERT_THAT(Iam(*alice, "ListRoles", {}), IsOk());
  const uint64_t loads = provider.loads();
  ASSERT_THAT(Iam(*alice, "ListRoles", {}), IsOk());
  ASSERT_THAT(Iam(*alice, "ListRoles", {}), IsOk());
  EXPECT_EQ(provider.loads(), loads);
  PutUserPolicy("alice", "p1", Allow("iam:ListUsers"));
  ASSERT_THAT(Iam(*alice, "ListUsers", {}), IsOk());
  EXPECT_EQ(provider.loads(), loads + 1);
}

TEST_F(IamEnforcementTest, PassRoleRequestIsDecidedByIdentityPolicies) {
  CreateUser("alice");
  PutUserPolicy("alice", "pass",
                Policy("Allow", Action("iam:PassRole"), Resource(RoleArnOf("GlueRole")),
                       R"("Condition":{"StringEquals":{"iam:PassedToService":"glue.amazonaws.com"}})"));
  auto key = AccessKeyFor("alice");
  auto record = emulator().env().credentials().Lookup(key.access_key_id);
  ASSERT_TRUE(record.ok() && record->has_value());
  RequestContext ctx = emulator().env().NewContext((*record)->principal, "us-east-1");
  ctx.service = "glue";
  AuthRequest ok = iam::PassRoleRequest(RoleArnOf("GlueRole"), "glue.amazonaws.com");
  EXPECT_THAT(emulator().env().Authorize(ctx, ok), IsOk());
  AuthRequest wrong_service = iam::PassRoleRequest(RoleArnOf("GlueRole"), "ec2.amazonaws.com");
  EXPECT_THAT(emulator().env().Authorize(ctx, wrong_service),
              HasAwsErrorMessage("AccessDeniedException",
                                 "User: arn:aws:iam::000000000000:user/alice is not authorized to "
                                 "perform: iam:PassRole on resource: "
                                 "arn:aws:iam::000000000000:role/GlueRole because no "
                                 "identity-based policy allows the iam:PassRole action"));
}

TEST_F(IamEnforcementTest, FindRoleAcceptsANameOrAnArn) {
  MustSucceed(Iam("CreateRole", {{"RoleName", "GlueRole"}, {"Path", "/service/"},
                                 {"AssumeRolePolicyDocument", Trust(R"({"Service":"glue.amazonaws.com"})")}}));
  auto by_name = iam::FindRole(emulator().env(), "GlueRole");
  ASSERT_TRUE(by_name.ok() && by_name->has_value());
  EXPECT_EQ((*by_name)->arn, "arn:aws:iam::000000000000:role/service/GlueRole");
  auto by_arn = iam::FindRole(emulator().env(), "arn:aws:iam::000000000000:role/service/GlueRole");
  ASSERT_TRUE(by_arn.ok() && by_arn->has_value());
  EXPECT_EQ((*by_arn)->record.id, (*by_name)->record.id);
  auto wrong_path = iam::FindRole(emulator().env(), "arn:aws:iam::000000000000:role/GlueRole");
  EXPECT_TRUE(wrong_path.ok() && !wrong_path->has_value());
  auto other_account = iam::FindRole(emulator().env(), "arn:aws:iam::111122223333:role/service/GlueRole");
  EXPECT_TRUE(other_account.ok() && !other_account->has_value());
}

class IamSoftModeTest : public IamTest {
 protected:
  void Configure(Config& config) override { config.auth_mode = AuthMode::kSoft; }
};

TEST_F(IamSoftModeTest, SoftModeAllowsButRecordsTheWouldBeDenial) {
  auto alice = UserClient("alice");
  EXPECT_THAT(Iam(*alice, "ListRoles", {}), IsOk());
  auto key = alice->credentials();
  auto record = emulator().env().credentials().Lookup(key.access_key_id);
  ASSERT_TRUE(record.ok() && record->has_value());
  std::vector<std::string> decisions;
  RequestContext ctx = emulator().env().NewContext((*record)->principal, "us-east-1");
  ctx.service = "iam";
  ctx.decisions = &decisions;
  AuthRequest request;
  request.action = "iam:ListRoles";
  request.resource = "arn:aws:iam::000000000000:role/";
  EXPECT_THAT(emulator().env().Authorize(ctx, request), IsOk());
  ASSERT_EQ(decisions.size(), 1u);
  EXPECT_THAT(decisions[0], HasSubstr("soft-implicit-deny iam:ListRoles"));
  EXPECT_THAT(decisions[0], HasSubstr("no identity-based policy allows"));
}

}  // namespace
}  // namespace gee::testing
