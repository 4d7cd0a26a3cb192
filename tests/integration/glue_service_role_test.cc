// SSE-KMS-WITH-SERVICE-ROLE over HTTP with real IAM users and roles: Glue
// assumes CatalogEncryptionServiceRole (trusted by glue.amazonaws.com) and
// makes the catalog KMS calls as that role's session, so callers need only
// Glue permissions; setting the role needs iam:PassRole.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/integration/iam_fixture.h"

namespace gee::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using Json = nlohmann::json;

class GlueServiceRoleTest : public IamTest {
 protected:
  void SetUp() override {
    IamTest::SetUp();
    auto key = Root().Json("kms", "CreateKey", Json::object());
    ASSERT_THAT(key, IsOk());
    key_ = key->json["KeyMetadata"]["Arn"];
    ASSERT_THAT(Glue(Root(), "CreateDatabase", {{"DatabaseInput", {{"Name", "db"}}}}), IsOk());
  }

  Result<harness::ApiResponse> Glue(harness::AwsClient& client, const std::string& op, const Json& input) {
    return client.Json("glue", op, input);
  }

  // A role Glue may assume, allowed the catalog KMS actions on the key when `with_kms`.
  void CreateCatalogRole(const std::string& name, bool with_kms,
                         const std::string& trusted = R"({"Service":"glue.amazonaws.com"})") {
    CreateRole(name, Trust(trusted));
    if (with_kms) {
      PutRolePolicy(name, "kms",
                    Policy("Allow", R"("Action":["kms:GenerateDataKey","kms:Decrypt","kms:Encrypt"])",
                           Resource(key_)));
    }
  }

  Result<harness::ApiResponse> UseRole(harness::AwsClient& client, const std::string& role) {
    return Glue(client, "PutDataCatalogEncryptionSettings",
                {{"DataCatalogEncryptionSettings",
                  {{"EncryptionAtRest", {{"CatalogEncryptionMode", "SSE-KMS-WITH-SERVICE-ROLE"},
                                         {"SseAwsKmsKeyId", key_},
                                         {"CatalogEncryptionServiceRole", RoleArnOf(role)}}}}}});
  }

  Result<harness::ApiResponse> CreateTable(harness::AwsClient& client, const std::string& name) {
    return Glue(client, "CreateTable", {{"DatabaseName", "db"}, {"TableInput", {{"Name", name}}}});
  }

  std::string key_;
};

TEST_F(GlueServiceRoleTest, PutNeedsPassRoleOnTheServiceRole) {
  CreateCatalogRole("CatalogRole", true);
  auto admin = UserClient("admin", {Allow("glue:PutDataCatalogEncryptionSettings")});
  EXPECT_THAT(UseRole(*admin, "CatalogRole"),
              HasAwsErrorMessage("AccessDeniedException",
                                 "User: " + UserArnOf("admin") +
                                     " is not authorized to perform: iam:PassRole on resource: " +
                                     RoleArnOf("CatalogRole") +
                                     " because no identity-based policy allows the iam:PassRole action"));
  PutUserPolicy("admin", "pass", Allow("iam:PassRole", RoleArnOf("CatalogRole")));
  EXPECT_THAT(UseRole(*admin, "CatalogRole"), IsOk());
}

TEST_F(GlueServiceRoleTest, CallersNeedNoKmsPermissionWhenTheRoleHasIt) {
  CreateCatalogRole("CatalogRole", true);
  ASSERT_THAT(UseRole(Root(), "CatalogRole"), IsOk());
  auto analyst = UserClient("analyst", {Allow("glue:*")});
  ASSERT_THAT(CreateTable(*analyst, "t"), IsOk());
  auto got = Glue(*analyst, "GetTable", {{"DatabaseName", "db"}, {"Name", "t"}});
  ASSERT_THAT(got, IsOk());
  EXPECT_EQ(got->json["Table"]["Name"], "t");
}

TEST_F(GlueServiceRoleTest, RoleWithoutKmsPermissionFailsAsTheRoleSession) {
  CreateCatalogRole("CatalogRole", false);
  ASSERT_THAT(UseRole(Root(), "CatalogRole"), IsOk());
  auto created = CreateTable(Root(), "t");
  ASSERT_THAT(created, HasAwsError("GlueEncryptionException"));
  EXPECT_THAT(created->error_message,
              StartsWith("User: arn:aws:sts::000000000000:assumed-role/CatalogRole/"
                         "GlueDataCatalogEncryption is not authorized to perform: kms:GenerateDataKey "
                         "on resource: " + key_));
}

TEST_F(GlueServiceRoleTest, RoleNotTrustingGlueFailsWithStsAccessDenied) {
  CreateCatalogRole("NotForGlue", true, R"({"Service":"lambda.amazonaws.com"})");
  ASSERT_THAT(UseRole(Root(), "NotForGlue"), IsOk());
  auto created = CreateTable(Root(), "t");
  ASSERT_THAT(created, HasAwsError("GlueEncryptionException"));
  EXPECT_THAT(created->error_message,
              StartsWith("User: glue.amazonaws.com is not authorized to perform: sts:AssumeRole on "
                         "resource: " + RoleArnOf("NotForGlue")));
  EXPECT_THAT(created->error_message,
              HasSubstr("(Service: AWSSecurityTokenService; Status Code: 403; Error Code: AccessDenied;"));
}

TEST_F(GlueServiceRoleTest, ObjectsWrittenWithTheRoleAreReadWithTheRole) {
  CreateCatalogRole("CatalogRole", true);
  ASSERT_THAT(UseRole(Root(), "CatalogRole"), IsOk());
  ASSERT_THAT(CreateTable(Root(), "t"), IsOk());
  // Back to plain SSE-KMS: the caller now needs the key itself.
  ASSERT_THAT(Glue(Root(), "PutDataCatalogEncryptionSettings",
                   {{"DataCatalogEncryptionSettings",
                     {{"EncryptionAtRest", {{"CatalogEncryptionMode", "SSE-KMS"}, {"SseAwsKmsKeyId", key_}}}}}}),
              IsOk());
  auto analyst = UserClient("analyst", {Allow("glue:*")});
  EXPECT_THAT(Glue(*analyst, "GetTable", {{"DatabaseName", "db"}, {"Name", "t"}}),
              HasAwsError("GlueEncryptionException"));
  EXPECT_THAT(Glue(Root(), "GetTable", {{"DatabaseName", "db"}, {"Name", "t"}}), IsOk());
}

}  // namespace
}  // namespace gee::testing
