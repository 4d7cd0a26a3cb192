// Authorization of Glue operations for IAM users and role sessions, through
// the shared evaluator (Environment::Authorize) with identity policies held
// in an InMemoryIdentityPolicyProvider, so each case states its policies
// directly (tests/e2e/test_glue_catalog_iam.py does the same with IAM users): the catalog → database → table hierarchy, plural reads, deletes
// that need the children, the step-1 console policy of the encryption guide,
// the catalog resource policy and tag conditions.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/testing/glue_fixture.h"
#include "tests/testing/matchers.h"

namespace gee {
namespace {

using ::gee::testing::HasAwsError;
using ::gee::testing::HasAwsErrorMessage;
using ::gee::testing::IsOk;
using Json = nlohmann::json;

constexpr char kArnPrefix[] = "arn:aws:glue:us-east-1:000000000000:";

std::string Allow(const std::vector<std::string>& actions, const std::vector<std::string>& resources,
                  const std::string& effect = "Allow") {
  Json statement = {{"Effect", effect}, {"Action", actions}, {"Resource", resources}};
  return Json{{"Version", "2012-10-17"}, {"Statement", Json::array({statement})}}.dump();
}

std::string Arn(const std::string& rest) { return kArnPrefix + rest; }

class GlueAuthorizationTest : public testing::GlueFixture {
 protected:
  void SetUp() override {
    GlueFixture::SetUp();
    ASSERT_THAT(Glue("CreateDatabase", {{"DatabaseInput", {{"Name", "sales"}}}}), IsOk());
    ASSERT_THAT(Glue("CreateDatabase", {{"DatabaseInput", {{"Name", "hr"}}}}), IsOk());
    for (const char* t : {"orders", "refunds"}) {
      ASSERT_THAT(Glue("CreateTable", {{"DatabaseName", "sales"}, {"TableInput", {{"Name", t}}}}),
                  IsOk());
    }
    ASSERT_THAT(Glue("CreateTable", {{"DatabaseName", "hr"}, {"TableInput", {{"Name", "salaries"}}}}),
                IsOk());
  }

  std::string Denial(const Principal& p, const std::string& action, const std::string& resource) {
    return "User: " + p.arn + " is not authorized to perform: " + action + " on resource: " +
           resource + " because no identity-based policy allows the " + action + " action";
  }

  const Principal bob_ = User("bob");
};

TEST_F(GlueAuthorizationTest, GetTableWithoutCatalogPermissionNamesTheCatalog) {
  SetPolicies(bob_, {Allow({"glue:GetTable"}, {Arn("database/sales"), Arn("table/sales/orders")})});
  EXPECT_THAT(GlueAs(bob_, "GetTable", {{"DatabaseName", "sales"}, {"Name", "orders"}}),
              HasAwsErrorMessage("AccessDeniedException", Denial(bob_, "glue:GetTable", Arn("catalog"))));
}

TEST_F(GlueAuthorizationTest, GetTableWithoutDatabasePermissionNamesTheDatabase) {
  SetPolicies(bob_, {Allow({"glue:GetTable"}, {Arn("catalog"), Arn("table/sales/orders")})});
  EXPECT_THAT(GlueAs(bob_, "GetTable", {{"DatabaseName", "sales"}, {"Name", "orders"}}),
              HasAwsErrorMessage("AccessDeniedException",
                                 Denial(bob_, "glue:GetTable", Arn("database/sales"))));
}

TEST_F(GlueAuthorizationTest, GetTableWithoutTablePermissionNamesTheTable) {
  SetPolicies(bob_, {Allow({"glue:GetTable"}, {Arn("catalog"), Arn("database/sales"), Arn("table/sales/orders")})});
  EXPECT_THAT(GlueAs(bob_, "GetTable", {{"DatabaseName", "sales"}, {"Name", "refunds"}}),
              HasAwsErrorMessage("AccessDeniedException",
                                 Denial(bob_, "glue:GetTable", Arn("table/sales/refunds"))));
  EXPECT_THAT(GlueAs(bob_, "GetTable", {{"DatabaseName", "sales"}, {"Name", "orders"}}), IsOk());
}

TEST_F(GlueAuthorizationTest, DeniedCallerCannotLearnWhetherATableExists) {
  SetPolicies(bob_, {Allow({"glue:GetTable"}, {Arn("catalog"), Arn("database/sales"), Arn("table/sales/orders")})});
  EXPECT_THAT(GlueAs(bob_, "GetTable", {{"DatabaseName", "sales"}, {"Name", "missing"}}),
              HasAwsError("AccessDeniedException"));
  SetPolicies(bob_, {Allow({"glue:GetTable"}, {Arn("catalog"), Arn("database/sales"), Arn("table/sales/*")})});
  EXPECT_THAT(GlueAs(bob_, "GetTable", {{"DatabaseName", "sales"}, {"Name", "missing"}}),
              HasAwsError("EntityNotFoundException"));
}

TEST_F(GlueAuthorizationTest, ExplicitDenyOnTableWins) {
  SetPolicies(bob_, {Allow({"glue:*"}, {"*"}),
                     Allow({"glue:GetTable"}, {Arn("table/hr/*")}, "Deny")});
  EXPECT_THAT(GlueAs(bob_, "GetTable", {{"DatabaseName", "sales"}, {"Name", "orders"}}), IsOk());
  auto denied = GlueAs(bob_, "GetTable", {{"DatabaseName", "hr"}, {"Name", "salaries"}});
  EXPECT_THAT(denied, HasAwsErrorMessage("AccessDeniedException",
                                         "User: " + bob_.arn +
                                             " is not authorized to perform: glue:GetTable on resource: " +
                                             Arn("table/hr/salaries") +
                                             " with an explicit deny in an identity-based policy"));
}

TEST_F(GlueAuthorizationTest, GetDatabasesReturnsOnlyPermittedDatabases) {
  SetPolicies(bob_, {Allow({"glue:GetDatabases"}, {Arn("catalog"), Arn("database/sales")})});
  auto out = GlueAs(bob_, "GetDatabases", Json::object());
  ASSERT_THAT(out, IsOk());
  ASSERT_EQ((*out)["DatabaseList"].size(), 1u);
  EXPECT_EQ((*out)["DatabaseList"][0]["Name"], "sales");
}

TEST_F(GlueAuthorizationTest, GetTablesReturnsOnlyPermittedTables) {
  SetPolicies(bob_, {Allow({"glue:GetTables"}, {Arn("catalog"), Arn("database/sales"), Arn("table/sales/ord*")})});
  auto out = GlueAs(bob_, "GetTables", {{"DatabaseName", "sales"}});
  ASSERT_THAT(out, IsOk());
  ASSERT_EQ((*out)["TableList"].size(), 1u);
  EXPECT_EQ((*out)["TableList"][0]["Name"], "orders");
  EXPECT_THAT(GlueAs(bob_, "GetTables", {{"DatabaseName", "hr"}}), HasAwsError("AccessDeniedException"));
}

TEST_F(GlueAuthorizationTest, DeleteDatabaseNeedsPermissionOnEveryTable) {
  SetPolicies(bob_, {Allow({"glue:DeleteDatabase"}, {Arn("catalog"), Arn("database/sales"), Arn("table/sales/orders")})});
  EXPECT_THAT(GlueAs(bob_, "DeleteDatabase", {{"Name", "sales"}}),
              HasAwsErrorMessage("AccessDeniedException",
                                 Denial(bob_, "glue:DeleteDatabase", Arn("table/sales/refunds"))));
  EXPECT_THAT(Glue("GetTable", {{"DatabaseName", "sales"}, {"Name", "orders"}}), IsOk());
  SetPolicies(bob_, {Allow({"glue:DeleteDatabase"}, {Arn("catalog"), Arn("database/sales"), Arn("table/sales/*"),
                                                     Arn("userDefinedFunction/sales/*")})});
  EXPECT_THAT(GlueAs(bob_, "DeleteDatabase", {{"Name", "sales"}}), IsOk());
}

TEST_F(GlueAuthorizationTest, BatchDeleteTableDeletesNothingWhenOneTableIsDenied) {
  SetPolicies(bob_, {Allow({"glue:BatchDeleteTable"}, {Arn("catalog"), Arn("database/sales"), Arn("table/sales/orders")})});
  EXPECT_THAT(GlueAs(bob_, "BatchDeleteTable", {{"DatabaseName", "sales"}, {"TablesToDelete", {"orders", "refunds"}}}),
              HasAwsError("AccessDeniedException"));
  EXPECT_THAT(Glue("GetTable", {{"DatabaseName", "sales"}, {"Name", "orders"}}), IsOk());
}

TEST_F(GlueAuthorizationTest, ConnectionActionsNeedConnectionAndCatalog) {
  Json input = {{"Name", "pg"}, {"ConnectionType", "JDBC"},
                {"ConnectionProperties", {{"JDBC_CONNECTION_URL", "jdbc:postgresql://h:5432/d"},
                                          {"USERNAME", "u"}, {"PASSWORD", "p"}}}};
  SetPolicies(bob_, {Allow({"glue:CreateConnection"}, {Arn("catalog"), Arn("connection/other")})});
  EXPECT_THAT(GlueAs(bob_, "CreateConnection", {{"ConnectionInput", input}}),
              HasAwsErrorMessage("AccessDeniedException",
                                 Denial(bob_, "glue:CreateConnection", Arn("connection/pg"))));
  SetPolicies(bob_, {Allow({"glue:CreateConnection"}, {Arn("catalog"), Arn("connection/pg")})});
  EXPECT_THAT(GlueAs(bob_, "CreateConnection", {{"ConnectionInput", input}}), IsOk());
}

// Step 1 of "Setting up encryption in AWS Glue": a console user allowed exactly
// these six actions can manage the settings and security configurations and
// nothing else.
TEST_F(GlueAuthorizationTest, StepOneConsoleUserCanManageEncryptionSettingsOnly) {
  SetPolicies(bob_, {Allow({"glue:GetDataCatalogEncryptionSettings", "glue:PutDataCatalogEncryptionSettings",
                            "glue:CreateSecurityConfiguration", "glue:GetSecurityConfiguration",
                            "glue:GetSecurityConfigurations", "glue:DeleteSecurityConfiguration"},
                           {"*"})});
  EXPECT_THAT(GlueAs(bob_, "GetDataCatalogEncryptionSettings", Json::object()), IsOk());
  EXPECT_THAT(GlueAs(bob_, "PutDataCatalogEncryptionSettings",
                     {{"DataCatalogEncryptionSettings",
                       {{"ConnectionPasswordEncryption", {{"ReturnConnectionPasswordEncrypted", true}}}}}}),
              IsOk());
  Json config = {{"Name", "sc"}, {"EncryptionConfiguration", Json::object()}};
  EXPECT_THAT(GlueAs(bob_, "CreateSecurityConfiguration", config), IsOk());
  EXPECT_THAT(GlueAs(bob_, "GetSecurityConfiguration", {{"Name", "sc"}}), IsOk());
  EXPECT_THAT(GlueAs(bob_, "GetSecurityConfigurations", Json::object()), IsOk());
  EXPECT_THAT(GlueAs(bob_, "DeleteSecurityConfiguration", {{"Name", "sc"}}), IsOk());
  EXPECT_THAT(GlueAs(bob_, "GetDatabases", Json::object()),
              HasAwsErrorMessage("AccessDeniedException", Denial(bob_, "glue:GetDatabases", Arn("catalog"))));
  EXPECT_THAT(GlueAs(bob_, "CreateDatabase", {{"DatabaseInput", {{"Name", "x"}}}}), HasAwsError("AccessDeniedException"));
  EXPECT_THAT(GlueAs(bob_, "PutResourcePolicy", {{"PolicyInJson", "{}"}}), HasAwsError("AccessDeniedException"));
}

TEST_F(GlueAuthorizationTest, EncryptionSettingsActionsAreScopedToStar) {
  SetPolicies(bob_, {Allow({"glue:GetDataCatalogEncryptionSettings"}, {Arn("*")})});
  EXPECT_THAT(GlueAs(bob_, "GetDataCatalogEncryptionSettings", Json::object()),
              HasAwsErrorMessage("AccessDeniedException",
                                 Denial(bob_, "glue:GetDataCatalogEncryptionSettings", "*")));
}

TEST_F(GlueAuthorizationTest, UserWithoutAnyPolicyIsDenied) {
  EXPECT_THAT(GlueAs(bob_, "GetDataCatalogEncryptionSettings", Json::object()), HasAwsError("AccessDeniedException"));
  EXPECT_THAT(GlueAs(bob_, "GetSecurityConfigurations", Json::object()), HasAwsError("AccessDeniedException"));
}

TEST_F(GlueAuthorizationTest, CatalogResourcePolicyAllowsAnotherAccount) {
  Principal outsider = User("eve");
  outsider.account = "111122223333";
  outsider.arn = "arn:aws:iam::111122223333:user/eve";
  SetPolicies(outsider, {Allow({"glue:GetDatabase"}, {"*"})});
  Json get = {{"CatalogId", "000000000000"}, {"Name", "sales"}};
  EXPECT_THAT(GlueAs(outsider, "GetDatabase", get), HasAwsError("AccessDeniedException"));
  const std::string policy = Json{{"Version", "2012-10-17"},
                                  {"Statement", Json::array({{{"Effect", "Allow"},
                                                              {"Principal", {{"AWS", "arn:aws:iam::111122223333:root"}}},
                                                              {"Action", "glue:GetDatabase"},
                                                              {"Resource", {Arn("catalog"), Arn("database/sales")}}}})}}
                                 .dump();
  ASSERT_THAT(Glue("PutResourcePolicy", {{"PolicyInJson", policy}}), IsOk());
  auto out = GlueAs(outsider, "GetDatabase", get);
  ASSERT_THAT(out, IsOk());
  EXPECT_EQ((*out)["Database"]["Name"], "sales");
  EXPECT_THAT(GlueAs(outsider, "GetDatabase", {{"CatalogId", "000000000000"}, {"Name", "hr"}}),
              HasAwsError("AccessDeniedException"));
}

TEST_F(GlueAuthorizationTest, CatalogResourcePolicyDenyBindsSameAccountUsers) {
  SetPolicies(bob_, {Allow({"glue:*"}, {"*"})});
  const std::string policy = Json{{"Version", "2012-10-17"},
                                  {"Statement", Json::array({{{"Effect", "Deny"},
                                                              {"Principal", {{"AWS", bob_.arn}}},
                                                              {"Action", "glue:GetTable"},
                                                              {"Resource", Arn("table/hr/*")}}})}}
                                 .dump();
  ASSERT_THAT(Glue("PutResourcePolicy", {{"PolicyInJson", policy}}), IsOk());
  EXPECT_THAT(GlueAs(bob_, "GetTable", {{"DatabaseName", "hr"}, {"Name", "salaries"}}),
              HasAwsError("AccessDeniedException"));
  EXPECT_THAT(GlueAs(bob_, "GetTable", {{"DatabaseName", "sales"}, {"Name", "orders"}}), IsOk());
}

TEST_F(GlueAuthorizationTest, TagResourceHonoursRequestTagConditions) {
  Json policy = {{"Version", "2012-10-17"},
                 {"Statement", Json::array({{{"Effect", "Allow"},
                                             {"Action", "glue:TagResource"},
                                             {"Resource", Arn("database/*")},
                                             {"Condition", {{"StringEquals", {{"aws:RequestTag/env", "dev"}}}}}}})}};
  SetPolicies(bob_, {policy.dump()});
  EXPECT_THAT(GlueAs(bob_, "TagResource", {{"ResourceArn", Arn("database/sales")}, {"TagsToAdd", {{"env", "dev"}}}}),
              IsOk());
  EXPECT_THAT(GlueAs(bob_, "TagResource", {{"ResourceArn", Arn("database/sales")}, {"TagsToAdd", {{"env", "prod"}}}}),
              HasAwsError("AccessDeniedException"));
}

TEST_F(GlueAuthorizationTest, RoleSessionPoliciesComeFromTheRole) {
  Principal session = Session("crawler", "run-1");
  SetPolicies(session, {Allow({"glue:GetTable"}, {Arn("catalog"), Arn("database/sales"), Arn("table/sales/*")})});
  EXPECT_THAT(GlueAs(session, "GetTable", {{"DatabaseName", "sales"}, {"Name", "orders"}}), IsOk());
  EXPECT_THAT(GlueAs(session, "GetTable", {{"DatabaseName", "hr"}, {"Name", "salaries"}}),
              HasAwsErrorMessage("AccessDeniedException",
                                 "User: " + session.arn + " is not authorized to perform: glue:GetTable on resource: " +
                                     Arn("database/hr") + " because no identity-based policy allows the glue:GetTable action"));
}

}  // namespace
}  // namespace gee
