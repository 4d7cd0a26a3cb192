// IAM entity operations over HTTP: users, groups, roles, managed and inline
// policies, attachments, tags, access keys, with AWS's error codes and texts.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/environment.h"
#include "store/database.h"
#include "tests/integration/iam_fixture.h"

namespace gee::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

class IamEntitiesTest : public IamTest {};

// ---- users ----

TEST_F(IamEntitiesTest, CreateUserReturnsTheUserWithAnAidaId) {
  auto r = Iam("CreateUser", {{"UserName", "alice"}, {"Path", "/eng/"}});
  ASSERT_THAT(r, IsOk());
  EXPECT_THAT(XmlText(*r, "//User/UserId"), StartsWith("AIDA"));
  EXPECT_EQ(XmlText(*r, "//User/UserId").size(), 21u);
  EXPECT_EQ(XmlText(*r, "//User/Arn"), "arn:aws:iam::000000000000:user/eng/alice");
  EXPECT_EQ(XmlText(*r, "//User/Path"), "/eng/");
  EXPECT_EQ(XmlText(*r, "//User/CreateDate"), "2026-01-01T00:00:00Z");
}

TEST_F(IamEntitiesTest, CreateUserFailsWhenTheNameExistsInAnotherCase) {
  CreateUser("alice");
  EXPECT_THAT(Iam("CreateUser", {{"UserName", "ALICE"}}),
              HasAwsErrorMessage("EntityAlreadyExists", "User with name ALICE already exists."));
}

TEST_F(IamEntitiesTest, GetUserFailsWithNoSuchEntityWhenMissing) {
  auto r = Iam("GetUser", {{"UserName", "ghost"}});
  EXPECT_THAT(r, HasAwsErrorMessage("NoSuchEntity", "The user with name ghost cannot be found."));
  EXPECT_EQ(r->http.status, 404);
}

TEST_F(IamEntitiesTest, GetUserWithoutNameDescribesTheCallingUser) {
  auto alice = UserClient("alice", {Allow("iam:GetUser")});
  auto r = Iam(*alice, "GetUser", {});
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(XmlText(*r, "//User/UserName"), "alice");
}

TEST_F(IamEntitiesTest, GetUserWithoutNameFailsForARoleSession) {
  auto alice = UserClient("alice");
  CreateRole("r", Trust(R"({"AWS":")" + UserArnOf("alice") + R"("})"));
  PutRolePolicy("r", "all", Allow("iam:*"));
  auto session = SessionClient(*alice, RoleArnOf("r"), "s1");
  ASSERT_NE(session, nullptr);
  EXPECT_THAT(Iam(*session, "GetUser", {}),
              HasAwsErrorMessage("ValidationError",
                                 "Must specify userName when calling with non-User credentials"));
}

TEST_F(IamEntitiesTest, ListUsersFiltersByPathPrefixAndPaginates) {
  MustSucceed(Iam("CreateUser", {{"UserName", "b"}, {"Path", "/eng/"}}));
  MustSucceed(Iam("CreateUser", {{"UserName", "a"}, {"Path", "/eng/"}}));
  MustSucceed(Iam("CreateUser", {{"UserName", "c"}, {"Path", "/ops/"}}));
  auto first = Iam("ListUsers", {{"PathPrefix", "/eng/"}, {"MaxItems", "1"}});
  ASSERT_THAT(first, IsOk());
  EXPECT_THAT(XmlTexts(*first, "//Users/member/UserName"), ElementsAre("a"));
  EXPECT_EQ(XmlText(*first, "//IsTruncated"), "true");
  auto second = Iam("ListUsers", {{"PathPrefix", "/eng/"}, {"Marker", XmlText(*first, "//Marker")}});
  ASSERT_THAT(second, IsOk());
  EXPECT_THAT(XmlTexts(*second, "//Users/member/UserName"), ElementsAre("b"));
  EXPECT_EQ(XmlText(*second, "//IsTruncated"), "false");
}

TEST_F(IamEntitiesTest, ListUsersFailsOnAForeignMarker) {
  EXPECT_THAT(Iam("ListUsers", {{"Marker", "bm9wZQ"}}), HasAwsError("ValidationError"));
}

TEST_F(IamEntitiesTest, DeleteUserFailsWhileItHasAccessKeys) {
  CreateUser("alice");
  AccessKeyFor("alice");
  EXPECT_THAT(Iam("DeleteUser", {{"UserName", "alice"}}),
              HasAwsErrorMessage("DeleteConflict",
                                 "Cannot delete entity, must delete access keys first."));
}

TEST_F(IamEntitiesTest, DeleteUserFailsWhileItHasInlinePolicies) {
  CreateUser("alice");
  PutUserPolicy("alice", "p", Allow("s3:GetObject"));
  auto r = Iam("DeleteUser", {{"UserName", "alice"}});
  EXPECT_THAT(r, HasAwsErrorMessage("DeleteConflict", "Cannot delete entity, must delete policies first."));
  EXPECT_EQ(r->http.status, 409);
}

TEST_F(IamEntitiesTest, DeleteUserFailsWhileItHasAttachedPolicies) {
  CreateUser("alice");
  std::string arn = CreatePolicy("p", Allow("s3:GetObject"));
  MustSucceed(Iam("AttachUserPolicy", {{"UserName", "alice"}, {"PolicyArn", arn}}));
  EXPECT_THAT(Iam("DeleteUser", {{"UserName", "alice"}}),
              HasAwsErrorMessage("DeleteConflict", "Cannot delete entity, must detach all policies first."));
}

TEST_F(IamEntitiesTest, DeleteUserSucceedsOnceItIsBare) {
  CreateUser("alice");
  MustSucceed(Iam("DeleteUser", {{"UserName", "alice"}}));
  EXPECT_THAT(Iam("GetUser", {{"UserName", "alice"}}), HasAwsError("NoSuchEntity"));
}

TEST_F(IamEntitiesTest, TagUserAddsAndReplacesTagsAndUntagRemovesThem) {
  MustSucceed(Iam("CreateUser", {{"UserName", "alice"},
                                 {"Tags.member.1.Key", "team"},
                                 {"Tags.member.1.Value", "blue"}}));
  MustSucceed(Iam("TagUser", {{"UserName", "alice"},
                              {"Tags.member.1.Key", "TEAM"},
                              {"Tags.member.1.Value", "red"},
                              {"Tags.member.2.Key", "cost"},
                              {"Tags.member.2.Value", "1"}}));
  auto r = Iam("ListUserTags", {{"UserName", "alice"}});
  ASSERT_THAT(r, IsOk());
  EXPECT_THAT(XmlTexts(*r, "//Tags/member/Value"), ElementsAre("red", "1"));
  MustSucceed(Iam("UntagUser", {{"UserName", "alice"}, {"TagKeys.member.1", "team"}}));
  r = Iam("ListUserTags", {{"UserName", "alice"}});
  EXPECT_THAT(XmlTexts(*r, "//Tags/member/Key"), ElementsAre("cost"));
}

TEST_F(IamEntitiesTest, CreateUserRejectsDuplicateTagKeys) {
  EXPECT_THAT(Iam("CreateUser", {{"UserName", "alice"},
                                 {"Tags.member.1.Key", "a"},
                                 {"Tags.member.1.Value", "1"},
                                 {"Tags.member.2.Key", "A"},
                                 {"Tags.member.2.Value", "2"}}),
              HasAwsError("InvalidInput"));
}

// ---- groups ----

TEST_F(IamEntitiesTest, GetGroupListsItsMembers) {
  CreateUser("alice");
  MustSucceed(Iam("CreateGroup", {{"GroupName", "devs"}}));
  MustSucceed(Iam("AddUserToGroup", {{"GroupName", "devs"}, {"UserName", "alice"}}));
  auto r = Iam("GetGroup", {{"GroupName", "devs"}});
  ASSERT_THAT(r, IsOk());
  EXPECT_THAT(XmlText(*r, "//Group/GroupId"), StartsWith("AGPA"));
  EXPECT_THAT(XmlTexts(*r, "//Users/member/UserName"), ElementsAre("alice"));
  auto groups = Iam("ListGroupsForUser", {{"UserName", "alice"}});
  EXPECT_THAT(XmlTexts(*groups, "//Groups/member/GroupName"), ElementsAre("devs"));
}

TEST_F(IamEntitiesTest, DeleteGroupFailsWhileItHasMembers) {
  CreateUser("alice");
  MustSucceed(Iam("CreateGroup", {{"GroupName", "devs"}}));
  MustSucceed(Iam("AddUserToGroup", {{"GroupName", "devs"}, {"UserName", "alice"}}));
  EXPECT_THAT(Iam("DeleteGroup", {{"GroupName", "devs"}}), HasAwsError("DeleteConflict"));
  EXPECT_THAT(Iam("DeleteUser", {{"UserName", "alice"}}), HasAwsError("DeleteConflict"));
}

TEST_F(IamEntitiesTest, AddUserToGroupFailsForAMissingGroup) {
  CreateUser("alice");
  EXPECT_THAT(Iam("AddUserToGroup", {{"GroupName", "nope"}, {"UserName", "alice"}}),
              HasAwsErrorMessage("NoSuchEntity", "The group with name nope cannot be found."));
}

// ---- roles ----

TEST_F(IamEntitiesTest, CreateRoleReturnsTheTrustPolicyUrlEncoded) {
  const std::string trust = Trust(R"({"Service":"glue.amazonaws.com"})");
  auto r = Iam("CreateRole", {{"RoleName", "GlueRole"}, {"AssumeRolePolicyDocument", trust}});
  ASSERT_THAT(r, IsOk());
  EXPECT_THAT(XmlText(*r, "//Role/RoleId"), StartsWith("AROA"));
  EXPECT_THAT(XmlText(*r, "//Role/AssumeRolePolicyDocument"),
              StartsWith("%7B%22Version%22%3A%222012-10-17%22"));
  auto get = Iam("GetRole", {{"RoleName", "GlueRole"}});
  EXPECT_EQ(XmlText(*get, "//Role/MaxSessionDuration"), "3600");
}

TEST_F(IamEntitiesTest, CreateRoleRejectsATrustPolicyWithAResource) {
  const std::string trust =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"glue.amazonaws.com"},"Action":"sts:AssumeRole","Resource":"*"}]})";
  EXPECT_THAT(Iam("CreateRole", {{"RoleName", "r"}, {"AssumeRolePolicyDocument", trust}}),
              HasAwsErrorMessage("MalformedPolicyDocument", "Has prohibited field Resource"));
}

TEST_F(IamEntitiesTest, CreateRoleRejectsInvalidJson) {
  EXPECT_THAT(Iam("CreateRole", {{"RoleName", "r"}, {"AssumeRolePolicyDocument", "{nope"}}),
              HasAwsErrorMessage("MalformedPolicyDocument", "This policy contains invalid Json"));
}

TEST_F(IamEntitiesTest, CreateRoleRejectsMaxSessionDurationOutOfRange) {
  EXPECT_THAT(Iam("CreateRole", {{"RoleName", "r"},
                                 {"AssumeRolePolicyDocument", Trust(R"({"AWS":"000000000000"})")},
                                 {"MaxSessionDuration", "43201"}}),
              HasAwsError("ValidationError"));
}

TEST_F(IamEntitiesTest, UpdateRoleChangesDescriptionAndMaxSessionDuration) {
  CreateRole("r", Trust(R"({"AWS":"000000000000"})"));
  MustSucceed(Iam("UpdateRole", {{"RoleName", "r"}, {"Description", "d"}, {"MaxSessionDuration", "7200"}}));
  auto r = Iam("GetRole", {{"RoleName", "r"}});
  EXPECT_EQ(XmlText(*r, "//Role/Description"), "d");
  EXPECT_EQ(XmlText(*r, "//Role/MaxSessionDuration"), "7200");
}

TEST_F(IamEntitiesTest, DeleteRoleFailsWhileItHasPolicies) {
  CreateRole("r", Trust(R"({"AWS":"000000000000"})"));
  PutRolePolicy("r", "p", Allow("s3:*"));
  EXPECT_THAT(Iam("DeleteRole", {{"RoleName", "r"}}),
              HasAwsErrorMessage("DeleteConflict", "Cannot delete entity, must delete policies first."));
  MustSucceed(Iam("DeleteRolePolicy", {{"RoleName", "r"}, {"PolicyName", "p"}}));
  MustSucceed(Iam("DeleteRole", {{"RoleName", "r"}}));
  EXPECT_THAT(Iam("GetRole", {{"RoleName", "r"}}),
              HasAwsErrorMessage("NoSuchEntity", "The role with name r cannot be found."));
}

TEST_F(IamEntitiesTest, GetRolePolicyFailsWhenMissing) {
  CreateRole("r", Trust(R"({"AWS":"000000000000"})"));
  EXPECT_THAT(Iam("GetRolePolicy", {{"RoleName", "r"}, {"PolicyName", "p"}}),
              HasAwsErrorMessage("NoSuchEntity", "The role policy with name p cannot be found."));
}

// ---- managed policies ----

TEST_F(IamEntitiesTest, CreatePolicyReturnsAnAnpaIdAndVersionOne) {
  auto r = Iam("CreatePolicy", {{"PolicyName", "p"}, {"Path", "/team/"}, {"PolicyDocument", Allow("s3:*")}});
  ASSERT_THAT(r, IsOk());
  EXPECT_THAT(XmlText(*r, "//Policy/PolicyId"), StartsWith("ANPA"));
  EXPECT_EQ(XmlText(*r, "//Policy/Arn"), "arn:aws:iam::000000000000:policy/team/p");
  EXPECT_EQ(XmlText(*r, "//Policy/DefaultVersionId"), "v1");
  EXPECT_EQ(XmlText(*r, "//Policy/AttachmentCount"), "0");
}

TEST_F(IamEntitiesTest, CreatePolicyFailsForADuplicateName) {
  CreatePolicy("p", Allow("s3:*"));
  EXPECT_THAT(Iam("CreatePolicy", {{"PolicyName", "p"}, {"PolicyDocument", Allow("s3:*")}}),
              HasAwsErrorMessage("EntityAlreadyExists",
                                 "A policy called p already exists. Duplicate names are not allowed."));
}

TEST_F(IamEntitiesTest, CreatePolicyRejectsAnOldPolicyLanguageVersion) {
  EXPECT_THAT(Iam("CreatePolicy", {{"PolicyName", "p"},
                                   {"PolicyDocument",
                                    R"({"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]})"}}),
              HasAwsErrorMessage("MalformedPolicyDocument",
                                 "Policy document must be version 2012-10-17 or greater."));
}

TEST_F(IamEntitiesTest, CreatePolicyRejectsADocumentOverTheSizeQuota) {
  std::string actions;
  for (int i = 0; i < 400; ++i) actions += std::string(i ? "," : "") + "\"s3:GetObjectVersion" + std::to_string(i) + "\"";
  const std::string doc = R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":[)" +
                          actions + R"(],"Resource":"*"}]})";
  EXPECT_THAT(Iam("CreatePolicy", {{"PolicyName", "p"}, {"PolicyDocument", doc}}),
              HasAwsErrorMessage("LimitExceeded", "Cannot exceed quota for PolicySize: 6144"));
}

TEST_F(IamEntitiesTest, PolicyVersionsAreLimitedToFive) {
  std::string arn = CreatePolicy("p", Allow("s3:GetObject"));
  for (int i = 2; i <= 5; ++i) {
    auto r = Iam("CreatePolicyVersion", {{"PolicyArn", arn}, {"PolicyDocument", Allow("s3:PutObject")}});
    ASSERT_THAT(r, IsOk());
    EXPECT_EQ(XmlText(*r, "//PolicyVersion/VersionId"), "v" + std::to_string(i));
  }
  auto r = Iam("CreatePolicyVersion", {{"PolicyArn", arn}, {"PolicyDocument", Allow("s3:PutObject")}});
  EXPECT_THAT(r, HasAwsError("LimitExceeded"));
  EXPECT_EQ(r->http.status, 409);
  MustSucceed(Iam("DeletePolicyVersion", {{"PolicyArn", arn}, {"VersionId", "v2"}}));
  r = Iam("CreatePolicyVersion", {{"PolicyArn", arn}, {"PolicyDocument", Allow("s3:PutObject")}});
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(XmlText(*r, "//PolicyVersion/VersionId"), "v6");  // ids are never reused
}

TEST_F(IamEntitiesTest, DeletePolicyVersionRefusesTheDefaultVersion) {
  std::string arn = CreatePolicy("p", Allow("s3:GetObject"));
  EXPECT_THAT(Iam("DeletePolicyVersion", {{"PolicyArn", arn}, {"VersionId", "v1"}}),
              HasAwsError("DeleteConflict"));
  EXPECT_THAT(Iam("GetPolicyVersion", {{"PolicyArn", arn}, {"VersionId", "v7"}}),
              HasAwsError("NoSuchEntity"));
}

TEST_F(IamEntitiesTest, GetPolicyVersionReturnsTheDocumentUrlEncoded) {
  std::string arn = CreatePolicy("p", Allow("s3:GetObject"));
  auto r = Iam("GetPolicyVersion", {{"PolicyArn", arn}, {"VersionId", "v1"}});
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(XmlText(*r, "//PolicyVersion/IsDefaultVersion"), "true");
  EXPECT_THAT(XmlText(*r, "//PolicyVersion/Document"), HasSubstr("s3%3AGetObject"));
}

TEST_F(IamEntitiesTest, DeletePolicyFailsWhileAttachedOrVersioned) {
  CreateUser("alice");
  std::string arn = CreatePolicy("p", Allow("s3:GetObject"));
  MustSucceed(Iam("AttachUserPolicy", {{"UserName", "alice"}, {"PolicyArn", arn}}));
  EXPECT_THAT(Iam("DeletePolicy", {{"PolicyArn", arn}}), HasAwsError("DeleteConflict"));
  MustSucceed(Iam("DetachUserPolicy", {{"UserName", "alice"}, {"PolicyArn", arn}}));
  MustSucceed(Iam("CreatePolicyVersion", {{"PolicyArn", arn}, {"PolicyDocument", Allow("s3:*")}}));
  EXPECT_THAT(Iam("DeletePolicy", {{"PolicyArn", arn}}), HasAwsError("DeleteConflict"));
  MustSucceed(Iam("DeletePolicyVersion", {{"PolicyArn", arn}, {"VersionId", "v2"}}));
  MustSucceed(Iam("DeletePolicy", {{"PolicyArn", arn}}));
  EXPECT_THAT(Iam("GetPolicy", {{"PolicyArn", arn}}),
              HasAwsErrorMessage("NoSuchEntity", "Policy " + arn + " was not found."));
}

TEST_F(IamEntitiesTest, AttachUserPolicyFailsForAMissingPolicy) {
  CreateUser("alice");
  const std::string arn = PolicyArnOf("ghost");
  EXPECT_THAT(Iam("AttachUserPolicy", {{"UserName", "alice"}, {"PolicyArn", arn}}),
              HasAwsErrorMessage("NoSuchEntity",
                                 "Policy " + arn + " does not exist or is not attachable."));
}

TEST_F(IamEntitiesTest, AttachUserPolicyRejectsAMalformedArn) {
  CreateUser("alice");
  EXPECT_THAT(Iam("AttachUserPolicy", {{"UserName", "alice"}, {"PolicyArn", "not-an-arn-at-all-really"}}),
              HasAwsErrorMessage("ValidationError", "ARN not-an-arn-at-all-really is not valid."));
}

TEST_F(IamEntitiesTest, DetachUserPolicyFailsWhenNotAttached) {
  CreateUser("alice");
  std::string arn = CreatePolicy("p", Allow("s3:GetObject"));
  EXPECT_THAT(Iam("DetachUserPolicy", {{"UserName", "alice"}, {"PolicyArn", arn}}),
              HasAwsErrorMessage("NoSuchEntity", "Policy " + arn + " was not found."));
}

TEST_F(IamEntitiesTest, AttachedPoliciesPerRoleAreLimitedToTen) {
  CreateRole("r", Trust(R"({"AWS":"000000000000"})"));
  for (int i = 0; i < 10; ++i) {
    std::string arn = CreatePolicy("p" + std::to_string(i), Allow("s3:GetObject"));
    MustSucceed(Iam("AttachRolePolicy", {{"RoleName", "r"}, {"PolicyArn", arn}}));
  }
  std::string arn = CreatePolicy("p10", Allow("s3:GetObject"));
  EXPECT_THAT(Iam("AttachRolePolicy", {{"RoleName", "r"}, {"PolicyArn", arn}}),
              HasAwsErrorMessage("LimitExceeded", "Cannot exceed quota for PoliciesPerRole: 10"));
}

TEST_F(IamEntitiesTest, ListAttachedRolePoliciesIncludesAwsManagedPolicies) {
  CreateRole("GlueRole", Trust(R"({"Service":"glue.amazonaws.com"})"));
  const std::string glue = "arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole";
  MustSucceed(Iam("AttachRolePolicy", {{"RoleName", "GlueRole"}, {"PolicyArn", glue}}));
  auto r = Iam("ListAttachedRolePolicies", {{"RoleName", "GlueRole"}});
  ASSERT_THAT(r, IsOk());
  EXPECT_THAT(XmlTexts(*r, "//AttachedPolicies/member/PolicyName"), ElementsAre("AWSGlueServiceRole"));
  auto policy = Iam("GetPolicy", {{"PolicyArn", glue}});
  EXPECT_EQ(XmlText(*policy, "//Policy/AttachmentCount"), "1");
}

TEST_F(IamEntitiesTest, AwsManagedPoliciesCannotBeChanged) {
  EXPECT_THAT(Iam("CreatePolicyVersion", {{"PolicyArn", "arn:aws:iam::aws:policy/AdministratorAccess"},
                                          {"PolicyDocument", Allow("s3:*")}}),
              HasAwsError("AccessDenied"));
}

TEST_F(IamEntitiesTest, PutUserPolicyRejectsAnAggregateOverTwoKilobytes) {
  CreateUser("alice");
  std::string actions;
  for (int i = 0; i < 120; ++i) actions += std::string(i ? "," : "") + "\"s3:Get" + std::to_string(i) + "\"";
  const std::string doc = R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":[)" +
                          actions + R"(],"Resource":"*"}]})";
  PutUserPolicy("alice", "a", doc);
  EXPECT_THAT(Iam("PutUserPolicy", {{"UserName", "alice"}, {"PolicyName", "b"}, {"PolicyDocument", doc}}),
              HasAwsErrorMessage("LimitExceeded", "Maximum policy size of 2048 bytes exceeded for user alice"));
}

TEST_F(IamEntitiesTest, PutUserPolicyRejectsAPrincipalElement) {
  CreateUser("alice");
  EXPECT_THAT(Iam("PutUserPolicy", {{"UserName", "alice"},
                                    {"PolicyName", "p"},
                                    {"PolicyDocument", Policy("Allow", Action("s3:*"), Resource("*"), R"("Principal":"*")")}}),
              HasAwsError("MalformedPolicyDocument"));
}

TEST_F(IamEntitiesTest, ListEntitiesForPolicyNamesUsersRolesAndGroups) {
  CreateUser("alice");
  CreateRole("r", Trust(R"({"AWS":"000000000000"})"));
  MustSucceed(Iam("CreateGroup", {{"GroupName", "g"}}));
  std::string arn = CreatePolicy("p", Allow("s3:*"));
  MustSucceed(Iam("AttachUserPolicy", {{"UserName", "alice"}, {"PolicyArn", arn}}));
  MustSucceed(Iam("AttachRolePolicy", {{"RoleName", "r"}, {"PolicyArn", arn}}));
  MustSucceed(Iam("AttachGroupPolicy", {{"GroupName", "g"}, {"PolicyArn", arn}}));
  auto r = Iam("ListEntitiesForPolicy", {{"PolicyArn", arn}});
  ASSERT_THAT(r, IsOk());
  EXPECT_THAT(XmlTexts(*r, "//PolicyUsers/member/UserName"), ElementsAre("alice"));
  EXPECT_THAT(XmlTexts(*r, "//PolicyRoles/member/RoleName"), ElementsAre("r"));
  EXPECT_THAT(XmlTexts(*r, "//PolicyGroups/member/GroupName"), ElementsAre("g"));
}

TEST_F(IamEntitiesTest, GetAccountAuthorizationDetailsDescribesEveryEntity) {
  CreateUser("alice");
  PutUserPolicy("alice", "inline", Allow("s3:GetObject"));
  MustSucceed(Iam("CreateGroup", {{"GroupName", "g"}}));
  MustSucceed(Iam("AddUserToGroup", {{"GroupName", "g"}, {"UserName", "alice"}}));
  CreateRole("r", Trust(R"({"AWS":"000000000000"})"));
  std::string arn = CreatePolicy("p", Allow("s3:*"));
  MustSucceed(Iam("AttachRolePolicy", {{"RoleName", "r"}, {"PolicyArn", arn}}));
  auto r = Iam("GetAccountAuthorizationDetails", {});
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(XmlText(*r, "//UserDetailList/member/UserName"), "alice");
  EXPECT_EQ(XmlText(*r, "//UserDetailList/member/UserPolicyList/member/PolicyName"), "inline");
  EXPECT_EQ(XmlText(*r, "//UserDetailList/member/GroupList/member"), "g");
  EXPECT_EQ(XmlText(*r, "//RoleDetailList/member/AttachedManagedPolicies/member/PolicyArn"), arn);
  EXPECT_EQ(XmlText(*r, "//Policies/member/PolicyVersionList/member/VersionId"), "v1");
}

// ---- access keys ----

TEST_F(IamEntitiesTest, CreateAccessKeyReturnsTheSecretOnlyOnce) {
  CreateUser("alice");
  auto r = Iam("CreateAccessKey", {{"UserName", "alice"}});
  ASSERT_THAT(r, IsOk());
  const std::string id = XmlText(*r, "//AccessKey/AccessKeyId");
  EXPECT_THAT(id, StartsWith("AKIA"));
  EXPECT_EQ(id.size(), 20u);
  EXPECT_EQ(XmlText(*r, "//AccessKey/SecretAccessKey").size(), 40u);
  auto list = Iam("ListAccessKeys", {{"UserName", "alice"}});
  ASSERT_THAT(list, IsOk());
  EXPECT_THAT(XmlTexts(*list, "//AccessKeyMetadata/member/AccessKeyId"), ElementsAre(id));
  EXPECT_THAT(list->http.body, Not(HasSubstr("SecretAccessKey")));
}

TEST_F(IamEntitiesTest, SecretAccessKeysAreStoredOnlySealed) {
  CreateUser("alice");
  harness::Credentials key = AccessKeyFor("alice");
  store::Database& db = emulator().env().db();
  auto st = db.Prepare("SELECT sealed_secret FROM iam_access_keys WHERE access_key_id = ?");
  ASSERT_TRUE(st.ok());
  ASSERT_TRUE(st->BindText(1, key.access_key_id).ok());
  auto row = st->Step();
  ASSERT_TRUE(row.ok() && *row);
  const std::string sealed = st->ColumnBlob(0);
  EXPECT_EQ(sealed.find(key.secret_access_key), std::string::npos);
  EXPECT_EQ(sealed.size(), key.secret_access_key.size() + 29);  // version + nonce + tag
}

TEST_F(IamEntitiesTest, AccessKeysPerUserAreLimitedToTwo) {
  CreateUser("alice");
  AccessKeyFor("alice");
  AccessKeyFor("alice");
  EXPECT_THAT(Iam("CreateAccessKey", {{"UserName", "alice"}}),
              HasAwsErrorMessage("LimitExceeded", "Cannot exceed quota for AccessKeysPerUser: 2"));
}

TEST_F(IamEntitiesTest, AnInactiveAccessKeyIsRejectedAsUnknown) {
  auto alice = UserClient("alice", {Allow("iam:GetUser")});
  ASSERT_THAT(Iam(*alice, "GetUser", {}), IsOk());
  MustSucceed(Iam("UpdateAccessKey", {{"UserName", "alice"},
                                      {"AccessKeyId", alice->credentials().access_key_id},
                                      {"Status", "Inactive"}}));
  EXPECT_THAT(Iam(*alice, "GetUser", {}), HasAwsError("InvalidClientTokenId"));
  MustSucceed(Iam("UpdateAccessKey", {{"UserName", "alice"},
                                      {"AccessKeyId", alice->credentials().access_key_id},
                                      {"Status", "Active"}}));
  EXPECT_THAT(Iam(*alice, "GetUser", {}), IsOk());
}

TEST_F(IamEntitiesTest, ADeletedAccessKeyIsRejected) {
  auto alice = UserClient("alice", {Allow("iam:GetUser")});
  MustSucceed(Iam("DeleteAccessKey", {{"UserName", "alice"},
                                      {"AccessKeyId", alice->credentials().access_key_id}}));
  EXPECT_THAT(Iam(*alice, "GetUser", {}), HasAwsError("InvalidClientTokenId"));
}

TEST_F(IamEntitiesTest, UpdateAccessKeyFailsForAnotherUsersKey) {
  CreateUser("alice");
  CreateUser("bob");
  harness::Credentials key = AccessKeyFor("bob");
  EXPECT_THAT(Iam("UpdateAccessKey", {{"UserName", "alice"},
                                      {"AccessKeyId", key.access_key_id},
                                      {"Status", "Inactive"}}),
              HasAwsError("NoSuchEntity"));
}

TEST_F(IamEntitiesTest, GetAccessKeyLastUsedReportsTheServiceAndRegion) {
  auto alice = UserClient("alice", {Allow("iam:GetUser")});
  const std::string id = alice->credentials().access_key_id;
  auto before = Iam("GetAccessKeyLastUsed", {{"AccessKeyId", id}});
  ASSERT_THAT(before, IsOk());
  EXPECT_EQ(XmlText(*before, "//AccessKeyLastUsed/ServiceName"), "N/A");
  ASSERT_THAT(Iam(*alice, "GetUser", {}), IsOk());
  auto after = Iam("GetAccessKeyLastUsed", {{"AccessKeyId", id}});
  EXPECT_EQ(XmlText(*after, "//UserName"), "alice");
  EXPECT_EQ(XmlText(*after, "//AccessKeyLastUsed/ServiceName"), "iam");
  EXPECT_EQ(XmlText(*after, "//AccessKeyLastUsed/Region"), "us-east-1");
  EXPECT_EQ(XmlText(*after, "//AccessKeyLastUsed/LastUsedDate"), "2026-01-01T00:00:00Z");
}

}  // namespace
}  // namespace gee::testing
