// Glue Data Catalog over HTTP as the account root: databases, tables and
// versions, partitions, functions, connections, security configurations,
// encryption settings, resource policy, tags, pagination and AWS errors.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/testing/emulator_fixture.h"

namespace gee {
namespace {

using ::gee::testing::HasAwsError;
using ::gee::testing::HasAwsErrorMessage;
using ::gee::testing::IsOk;
using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;
using Json = nlohmann::json;

class GlueCatalogTest : public testing::EmulatorTest {
 protected:
  Result<harness::ApiResponse> Glue(const std::string& op, const Json& input) {
    return Root().Json("glue", op, input);
  }
  Json Ok(const std::string& op, const Json& input) {
    auto r = Glue(op, input);
    EXPECT_THAT(r, IsOk()) << op;
    return r.ok() ? r->json : Json();
  }
  void CreateDatabase(const std::string& name) {
    Ok("CreateDatabase", {{"DatabaseInput", {{"Name", name}}}});
  }
  void CreateTable(const std::string& db, const std::string& name, Json partition_keys = Json::array()) {
    Ok("CreateTable",
       {{"DatabaseName", db},
        {"TableInput",
         {{"Name", name},
          {"StorageDescriptor",
           {{"Columns", Json::array({{{"Name", "email"}, {"Type", "string"}}})},
            {"Location", "s3://bucket/" + name}}},
          {"PartitionKeys", partition_keys},
          {"Parameters", {{"classification", "csv"}}}}}});
  }
  static Json JdbcInput(const std::string& name, const std::string& password = "s3cr3t") {
    return {{"Name", name},
            {"ConnectionType", "JDBC"},
            {"ConnectionProperties",
             {{"JDBC_CONNECTION_URL", "jdbc:postgresql://db.example.com:5432/app"},
              {"USERNAME", "app"},
              {"PASSWORD", password},
              {"JDBC_ENFORCE_SSL", "true"}}}};
  }
};

// ---- Encryption settings ----

TEST_F(GlueCatalogTest, GetDataCatalogEncryptionSettingsReturnsDefaultsWhenNeverSet) {
  Json out = Ok("GetDataCatalogEncryptionSettings", Json::object());
  EXPECT_EQ(out["DataCatalogEncryptionSettings"],
            Json::parse(R"({"EncryptionAtRest":{"CatalogEncryptionMode":"DISABLED"},
                            "ConnectionPasswordEncryption":{"ReturnConnectionPasswordEncrypted":false}})"));
}

TEST_F(GlueCatalogTest, PutDataCatalogEncryptionSettingsReplacesTheWholeObject) {
  Ok("PutDataCatalogEncryptionSettings",
     {{"DataCatalogEncryptionSettings",
       {{"EncryptionAtRest", {{"CatalogEncryptionMode", "SSE-KMS"}, {"SseAwsKmsKeyId", "alias/k"}}},
        {"ConnectionPasswordEncryption",
         {{"ReturnConnectionPasswordEncrypted", true}, {"AwsKmsKeyId", "alias/p"}}}}}});
  Ok("PutDataCatalogEncryptionSettings",
     {{"DataCatalogEncryptionSettings",
       {{"ConnectionPasswordEncryption", {{"ReturnConnectionPasswordEncrypted", true}}}}}});
  Json out = Ok("GetDataCatalogEncryptionSettings", Json::object());
  EXPECT_EQ(out["DataCatalogEncryptionSettings"]["EncryptionAtRest"],
            Json::parse(R"({"CatalogEncryptionMode":"DISABLED"})"));
  EXPECT_EQ(out["DataCatalogEncryptionSettings"]["ConnectionPasswordEncryption"],
            Json::parse(R"({"ReturnConnectionPasswordEncrypted":true,"AwsKmsKeyId":"alias/aws/glue"})"));
}

TEST_F(GlueCatalogTest, PutDataCatalogEncryptionSettingsEchoesGivenKeyIds) {
  Ok("PutDataCatalogEncryptionSettings",
     {{"DataCatalogEncryptionSettings",
       {{"EncryptionAtRest",
         {{"CatalogEncryptionMode", "SSE-KMS"},
          {"SseAwsKmsKeyId", "arn:aws:kms:us-east-1:000000000000:key/abc"}}}}}});
  Json out = Ok("GetDataCatalogEncryptionSettings", Json::object());
  EXPECT_EQ(out["DataCatalogEncryptionSettings"]["EncryptionAtRest"]["SseAwsKmsKeyId"],
            "arn:aws:kms:us-east-1:000000000000:key/abc");
}

TEST_F(GlueCatalogTest, PutDataCatalogEncryptionSettingsFailsForUnknownMode) {
  EXPECT_THAT(Glue("PutDataCatalogEncryptionSettings",
                   {{"DataCatalogEncryptionSettings",
                     {{"EncryptionAtRest", {{"CatalogEncryptionMode", "SSE-S3"}}}}}}),
              HasAwsError("ValidationException"));
}

TEST_F(GlueCatalogTest, PutDataCatalogEncryptionSettingsFailsForServiceRoleModeWithoutRole) {
  EXPECT_THAT(Glue("PutDataCatalogEncryptionSettings",
                   {{"DataCatalogEncryptionSettings",
                     {{"EncryptionAtRest", {{"CatalogEncryptionMode", "SSE-KMS-WITH-SERVICE-ROLE"}}}}}}),
              HasAwsError("InvalidInputException"));
}

// ---- Security configurations ----

TEST_F(GlueCatalogTest, CreateSecurityConfigurationRoundTripsWithBothTimestampSpellings) {
  const std::string key = "arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  auto created = Glue("CreateSecurityConfiguration",
                      {{"Name", "sc1"},
                       {"EncryptionConfiguration",
                        {{"S3Encryption", Json::array({{{"S3EncryptionMode", "SSE-KMS"}, {"KmsKeyArn", key}}})},
                         {"CloudWatchEncryption", {{"CloudWatchEncryptionMode", "SSE-KMS"}, {"KmsKeyArn", key}}},
                         {"JobBookmarksEncryption", {{"JobBookmarksEncryptionMode", "CSE-KMS"}, {"KmsKeyArn", key}}}}}});
  ASSERT_THAT(created, IsOk());
  EXPECT_EQ(created->json["Name"], "sc1");
  EXPECT_EQ(created->json["CreatedTimestamp"], testing::kTestEpochSeconds);
  Json got = Ok("GetSecurityConfiguration", {{"Name", "sc1"}})["SecurityConfiguration"];
  EXPECT_EQ(got["CreatedTimeStamp"], testing::kTestEpochSeconds);
  EXPECT_EQ(got["EncryptionConfiguration"]["JobBookmarksEncryption"]["JobBookmarksEncryptionMode"],
            "CSE-KMS");
  EXPECT_EQ(got["EncryptionConfiguration"]["S3Encryption"][0]["KmsKeyArn"], key);
}

TEST_F(GlueCatalogTest, CreateSecurityConfigurationFailsWhenNameExists) {
  Json input = {{"Name", "sc"}, {"EncryptionConfiguration", Json::object()}};
  Ok("CreateSecurityConfiguration", input);
  EXPECT_THAT(Glue("CreateSecurityConfiguration", input), HasAwsError("AlreadyExistsException"));
}

TEST_F(GlueCatalogTest, CreateSecurityConfigurationFailsWhenKmsModeHasNoKey) {
  for (const Json& config :
       {Json::parse(R"({"S3Encryption":[{"S3EncryptionMode":"SSE-KMS"}]})"),
        Json::parse(R"({"CloudWatchEncryption":{"CloudWatchEncryptionMode":"SSE-KMS"}})"),
        Json::parse(R"({"JobBookmarksEncryption":{"JobBookmarksEncryptionMode":"CSE-KMS","KmsKeyArn":""}})"),
        Json::parse(R"({"DataQualityEncryption":{"DataQualityEncryptionMode":"SSE-KMS"}})")}) {
    EXPECT_THAT(Glue("CreateSecurityConfiguration", {{"Name", "sc"}, {"EncryptionConfiguration", config}}),
                HasAwsError("InvalidInputException"))
        << config.dump();
  }
  EXPECT_THAT(Glue("GetSecurityConfiguration", {{"Name", "sc"}}), HasAwsError("EntityNotFoundException"));
}

TEST_F(GlueCatalogTest, CreateSecurityConfigurationFailsForMalformedKeyArn) {
  EXPECT_THAT(Glue("CreateSecurityConfiguration",
                   {{"Name", "sc"},
                    {"EncryptionConfiguration",
                     {{"S3Encryption", Json::array({{{"S3EncryptionMode", "SSE-KMS"}, {"KmsKeyArn", "alias/k"}}})}}}}),
              HasAwsError("ValidationException"));
  EXPECT_THAT(Glue("CreateSecurityConfiguration",
                   {{"Name", "sc"},
                    {"EncryptionConfiguration",
                     {{"S3Encryption",
                       Json::array({{{"S3EncryptionMode", "SSE-KMS"}, {"KmsKeyArn", "arn:aws:kms:us-east-1:1:oops"}}})}}}}),
              HasAwsError("InvalidInputException"));
}

TEST_F(GlueCatalogTest, CreateSecurityConfigurationAcceptsAliasArn) {
  EXPECT_THAT(Glue("CreateSecurityConfiguration",
                   {{"Name", "sc"},
                    {"EncryptionConfiguration",
                     {{"S3Encryption",
                       Json::array({{{"S3EncryptionMode", "SSE-KMS"},
                                     {"KmsKeyArn", "arn:aws:kms:us-east-1:000000000000:alias/aws/s3"}}})}}}}),
              IsOk());
}

TEST_F(GlueCatalogTest, GetSecurityConfigurationsPaginates) {
  for (const char* name : {"c", "a", "b"}) {
    Ok("CreateSecurityConfiguration", {{"Name", name}, {"EncryptionConfiguration", Json::object()}});
  }
  Json first = Ok("GetSecurityConfigurations", {{"MaxResults", 2}});
  ASSERT_EQ(first["SecurityConfigurations"].size(), 2u);
  EXPECT_EQ(first["SecurityConfigurations"][0]["Name"], "a");
  ASSERT_TRUE(first.contains("NextToken"));
  Json second = Ok("GetSecurityConfigurations", {{"MaxResults", 2}, {"NextToken", first["NextToken"]}});
  ASSERT_EQ(second["SecurityConfigurations"].size(), 1u);
  EXPECT_EQ(second["SecurityConfigurations"][0]["Name"], "c");
  EXPECT_FALSE(second.contains("NextToken"));
}

TEST_F(GlueCatalogTest, DeleteSecurityConfigurationFailsWhenMissing) {
  EXPECT_THAT(Glue("DeleteSecurityConfiguration", {{"Name", "none"}}),
              HasAwsError("EntityNotFoundException"));
}

// ---- Databases ----

TEST_F(GlueCatalogTest, CreateDatabaseFoldsNameToLowerCase) {
  CreateDatabase("Sales_DB");
  Json db = Ok("GetDatabase", {{"Name", "SALES_db"}})["Database"];
  EXPECT_EQ(db["Name"], "sales_db");
  EXPECT_EQ(db["CatalogId"], "000000000000");
  EXPECT_EQ(db["CreateTime"], testing::kTestEpochSeconds);
}

TEST_F(GlueCatalogTest, CreateDatabaseFailsWhenItExists) {
  CreateDatabase("db");
  EXPECT_THAT(Glue("CreateDatabase", {{"DatabaseInput", {{"Name", "DB"}}}}),
              HasAwsErrorMessage("AlreadyExistsException", "Database already exists."));
}

TEST_F(GlueCatalogTest, GetDatabaseFailsWithAwsTextWhenMissing) {
  EXPECT_THAT(Glue("GetDatabase", {{"Name", "nope"}}),
              HasAwsErrorMessage("EntityNotFoundException", "Database nope not found."));
}

TEST_F(GlueCatalogTest, GetDatabasesPaginatesInNameOrder) {
  for (const char* name : {"d3", "d1", "d2"}) CreateDatabase(name);
  Json first = Ok("GetDatabases", {{"MaxResults", 2}});
  ASSERT_EQ(first["DatabaseList"].size(), 2u);
  EXPECT_EQ(first["DatabaseList"][0]["Name"], "d1");
  EXPECT_EQ(first["DatabaseList"][1]["Name"], "d2");
  Json second = Ok("GetDatabases", {{"NextToken", first["NextToken"]}});
  ASSERT_EQ(second["DatabaseList"].size(), 1u);
  EXPECT_EQ(second["DatabaseList"][0]["Name"], "d3");
  EXPECT_FALSE(second.contains("NextToken"));
}

TEST_F(GlueCatalogTest, GetDatabasesFailsForForgedNextToken) {
  EXPECT_THAT(Glue("GetDatabases", {{"NextToken", "forged"}}), HasAwsError("InvalidInputException"));
}

TEST_F(GlueCatalogTest, UpdateDatabaseReplacesDefinitionAndKeepsCreateTime) {
  CreateDatabase("db");
  clock().AdvanceMicros(5'000'000);
  Ok("UpdateDatabase", {{"Name", "db"}, {"DatabaseInput", {{"Name", "db"}, {"Description", "new"}}}});
  Json db = Ok("GetDatabase", {{"Name", "db"}})["Database"];
  EXPECT_EQ(db["Description"], "new");
  EXPECT_EQ(db["CreateTime"], testing::kTestEpochSeconds);
}

TEST_F(GlueCatalogTest, DeleteDatabaseRemovesItsTables) {
  CreateDatabase("db");
  CreateTable("db", "t");
  Ok("DeleteDatabase", {{"Name", "db"}});
  EXPECT_THAT(Glue("GetDatabase", {{"Name", "db"}}), HasAwsError("EntityNotFoundException"));
  CreateDatabase("db");
  EXPECT_THAT(Glue("GetTable", {{"DatabaseName", "db"}, {"Name", "t"}}),
              HasAwsErrorMessage("EntityNotFoundException", "Table t not found."));
}

TEST_F(GlueCatalogTest, CatalogIdOfAnotherAccountIsDenied) {
  EXPECT_THAT(Glue("GetDatabases", {{"CatalogId", "111122223333"}}),
              HasAwsError("AccessDeniedException"));
}

// ---- Tables and versions ----

TEST_F(GlueCatalogTest, CreateTableFailsWhenDatabaseIsMissing) {
  EXPECT_THAT(Glue("CreateTable", {{"DatabaseName", "nope"}, {"TableInput", {{"Name", "t"}}}}),
              HasAwsErrorMessage("EntityNotFoundException", "Database nope not found."));
}

TEST_F(GlueCatalogTest, GetTableReturnsDefinitionWithGlueFields) {
  CreateDatabase("db");
  CreateTable("db", "Orders");
  Json t = Ok("GetTable", {{"DatabaseName", "db"}, {"Name", "orders"}})["Table"];
  EXPECT_EQ(t["Name"], "orders");
  EXPECT_EQ(t["DatabaseName"], "db");
  EXPECT_EQ(t["VersionId"], "0");
  EXPECT_EQ(t["CreatedBy"], "arn:aws:iam::000000000000:root");
  EXPECT_EQ(t["StorageDescriptor"]["Columns"][0]["Name"], "email");
  EXPECT_EQ(t["Parameters"]["classification"], "csv");
  EXPECT_EQ(t["IsRegisteredWithLakeFormation"], false);
}

TEST_F(GlueCatalogTest, CreateTableFailsWhenItExists) {
  CreateDatabase("db");
  CreateTable("db", "t");
  EXPECT_THAT(Glue("CreateTable", {{"DatabaseName", "db"}, {"TableInput", {{"Name", "T"}}}}),
              HasAwsErrorMessage("AlreadyExistsException", "Table already exists."));
}

TEST_F(GlueCatalogTest, GetTablesFiltersByRegularExpression) {
  CreateDatabase("db");
  for (const char* name : {"sales_2024", "sales_2025", "users"}) CreateTable("db", name);
  Json out = Ok("GetTables", {{"DatabaseName", "db"}, {"Expression", "sales.*"}});
  ASSERT_EQ(out["TableList"].size(), 2u);
  EXPECT_EQ(out["TableList"][0]["Name"], "sales_2024");
  EXPECT_EQ(out["TableList"][1]["Name"], "sales_2025");
}

TEST_F(GlueCatalogTest, GetTablesPaginates) {
  CreateDatabase("db");
  for (const char* name : {"a", "b", "c"}) CreateTable("db", name);
  Json first = Ok("GetTables", {{"DatabaseName", "db"}, {"MaxResults", 1}});
  ASSERT_EQ(first["TableList"].size(), 1u);
  Json second = Ok("GetTables", {{"DatabaseName", "db"}, {"MaxResults", 5}, {"NextToken", first["NextToken"]}});
  ASSERT_EQ(second["TableList"].size(), 2u);
  EXPECT_EQ(second["TableList"][0]["Name"], "b");
}

TEST_F(GlueCatalogTest, GetTablesFailsForInvalidExpression) {
  CreateDatabase("db");
  EXPECT_THAT(Glue("GetTables", {{"DatabaseName", "db"}, {"Expression", "(unclosed"}}),
              HasAwsError("InvalidInputException"));
}

TEST_F(GlueCatalogTest, UpdateTableArchivesPreviousVersion) {
  CreateDatabase("db");
  CreateTable("db", "t");
  Ok("UpdateTable", {{"DatabaseName", "db"}, {"TableInput", {{"Name", "t"}, {"Description", "v1"}}}});
  Json t = Ok("GetTable", {{"DatabaseName", "db"}, {"Name", "t"}})["Table"];
  EXPECT_EQ(t["VersionId"], "1");
  EXPECT_EQ(t["Description"], "v1");
  Json versions = Ok("GetTableVersions", {{"DatabaseName", "db"}, {"TableName", "t"}})["TableVersions"];
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(versions[0]["VersionId"], "1");
  EXPECT_EQ(versions[1]["VersionId"], "0");
  EXPECT_FALSE(versions[1]["Table"].contains("Description"));
  Json v0 = Ok("GetTableVersion", {{"DatabaseName", "db"}, {"TableName", "t"}, {"VersionId", "0"}});
  EXPECT_EQ(v0["TableVersion"]["Table"]["StorageDescriptor"]["Columns"][0]["Name"], "email");
}

TEST_F(GlueCatalogTest, UpdateTableWithSkipArchiveKeepsNoOldVersion) {
  CreateDatabase("db");
  CreateTable("db", "t");
  Ok("UpdateTable", {{"DatabaseName", "db"}, {"SkipArchive", true}, {"TableInput", {{"Name", "t"}}}});
  Json versions = Ok("GetTableVersions", {{"DatabaseName", "db"}, {"TableName", "t"}})["TableVersions"];
  ASSERT_EQ(versions.size(), 1u);
  EXPECT_EQ(versions[0]["VersionId"], "1");
}

TEST_F(GlueCatalogTest, UpdateTableFailsForStaleVersionId) {
  CreateDatabase("db");
  CreateTable("db", "t");
  Ok("UpdateTable", {{"DatabaseName", "db"}, {"TableInput", {{"Name", "t"}}}});
  EXPECT_THAT(Glue("UpdateTable", {{"DatabaseName", "db"}, {"VersionId", "0"}, {"TableInput", {{"Name", "t"}}}}),
              HasAwsError("ConcurrentModificationException"));
}

TEST_F(GlueCatalogTest, DeleteTableVersionRemovesArchivedVersionOnly) {
  CreateDatabase("db");
  CreateTable("db", "t");
  Ok("UpdateTable", {{"DatabaseName", "db"}, {"TableInput", {{"Name", "t"}}}});
  EXPECT_THAT(Glue("DeleteTableVersion", {{"DatabaseName", "db"}, {"TableName", "t"}, {"VersionId", "1"}}),
              HasAwsError("InvalidInputException"));
  Ok("DeleteTableVersion", {{"DatabaseName", "db"}, {"TableName", "t"}, {"VersionId", "0"}});
  EXPECT_THAT(Glue("GetTableVersion", {{"DatabaseName", "db"}, {"TableName", "t"}, {"VersionId", "0"}}),
              HasAwsError("EntityNotFoundException"));
  Json out = Ok("BatchDeleteTableVersion", {{"DatabaseName", "db"}, {"TableName", "t"}, {"VersionIds", {"0", "x"}}});
  ASSERT_EQ(out["Errors"].size(), 2u);
  EXPECT_EQ(out["Errors"][0]["ErrorDetail"]["ErrorCode"], "EntityNotFoundException");
}

TEST_F(GlueCatalogTest, BatchDeleteTableReportsMissingTables) {
  CreateDatabase("db");
  CreateTable("db", "t1");
  Json out = Ok("BatchDeleteTable", {{"DatabaseName", "db"}, {"TablesToDelete", {"t1", "t2"}}});
  ASSERT_EQ(out["Errors"].size(), 1u);
  EXPECT_EQ(out["Errors"][0]["TableName"], "t2");
  EXPECT_EQ(out["Errors"][0]["ErrorDetail"]["ErrorCode"], "EntityNotFoundException");
  EXPECT_THAT(Glue("GetTable", {{"DatabaseName", "db"}, {"Name", "t1"}}), HasAwsError("EntityNotFoundException"));
}

// ---- Partitions ----

TEST_F(GlueCatalogTest, PartitionsRoundTripAndFilterByExpression) {
  CreateDatabase("db");
  CreateTable("db", "t", Json::array({{{"Name", "year"}, {"Type", "int"}}, {{"Name", "month"}, {"Type", "string"}}}));
  for (const char* y : {"2023", "2024", "2025"}) {
    Ok("CreatePartition", {{"DatabaseName", "db"}, {"TableName", "t"},
                           {"PartitionInput", {{"Values", {y, "01"}}, {"Parameters", {{"k", "v"}}}}}});
  }
  Json p = Ok("GetPartition", {{"DatabaseName", "db"}, {"TableName", "t"}, {"PartitionValues", {"2024", "01"}}});
  EXPECT_EQ(p["Partition"]["Values"], Json({"2024", "01"}));
  EXPECT_EQ(p["Partition"]["TableName"], "t");
  Json filtered = Ok("GetPartitions", {{"DatabaseName", "db"}, {"TableName", "t"}, {"Expression", "year >= 2024 AND month = '01'"}});
  ASSERT_EQ(filtered["Partitions"].size(), 2u);
  EXPECT_EQ(filtered["Partitions"][0]["Values"][0], "2024");
  Json page = Ok("GetPartitions", {{"DatabaseName", "db"}, {"TableName", "t"}, {"MaxResults", 2}});
  ASSERT_EQ(page["Partitions"].size(), 2u);
  Json rest = Ok("GetPartitions", {{"DatabaseName", "db"}, {"TableName", "t"}, {"NextToken", page["NextToken"]}});
  ASSERT_EQ(rest["Partitions"].size(), 1u);
  EXPECT_EQ(rest["Partitions"][0]["Values"][0], "2025");
}

TEST_F(GlueCatalogTest, CreatePartitionFailsWhenValueCountDiffersFromKeys) {
  CreateDatabase("db");
  CreateTable("db", "t", Json::array({{{"Name", "year"}, {"Type", "int"}}}));
  EXPECT_THAT(Glue("CreatePartition", {{"DatabaseName", "db"}, {"TableName", "t"}, {"PartitionInput", {{"Values", {"1", "2"}}}}}),
              HasAwsErrorMessage("InvalidInputException",
                                 "The number of partition keys do not match the number of partition values"));
}

TEST_F(GlueCatalogTest, BatchCreatePartitionReportsDuplicates) {
  CreateDatabase("db");
  CreateTable("db", "t", Json::array({{{"Name", "year"}, {"Type", "int"}}}));
  Json out = Ok("BatchCreatePartition", {{"DatabaseName", "db"}, {"TableName", "t"},
                                         {"PartitionInputList", {{{"Values", {"1"}}}, {{"Values", {"1"}}}, {{"Values", {"2"}}}}}});
  ASSERT_EQ(out["Errors"].size(), 1u);
  EXPECT_EQ(out["Errors"][0]["ErrorDetail"]["ErrorCode"], "AlreadyExistsException");
  Json got = Ok("BatchGetPartition", {{"DatabaseName", "db"}, {"TableName", "t"},
                                      {"PartitionsToGet", {{{"Values", {"1"}}}, {{"Values", {"2"}}}, {{"Values", {"3"}}}}}});
  EXPECT_EQ(got["Partitions"].size(), 2u);
}

TEST_F(GlueCatalogTest, UpdateAndDeletePartition) {
  CreateDatabase("db");
  CreateTable("db", "t", Json::array({{{"Name", "year"}, {"Type", "int"}}}));
  Ok("CreatePartition", {{"DatabaseName", "db"}, {"TableName", "t"}, {"PartitionInput", {{"Values", {"1"}}}}});
  Ok("UpdatePartition", {{"DatabaseName", "db"}, {"TableName", "t"}, {"PartitionValueList", {"1"}},
                         {"PartitionInput", {{"Values", {"1"}}, {"Parameters", {{"a", "b"}}}}}});
  Json p = Ok("GetPartition", {{"DatabaseName", "db"}, {"TableName", "t"}, {"PartitionValues", {"1"}}});
  EXPECT_EQ(p["Partition"]["Parameters"]["a"], "b");
  EXPECT_THAT(Glue("UpdatePartition", {{"DatabaseName", "db"}, {"TableName", "t"}, {"PartitionValueList", {"1"}},
                                       {"PartitionInput", {{"Values", {"9"}}}}}),
              HasAwsError("InvalidInputException"));
  Ok("DeletePartition", {{"DatabaseName", "db"}, {"TableName", "t"}, {"PartitionValues", {"1"}}});
  EXPECT_THAT(Glue("GetPartition", {{"DatabaseName", "db"}, {"TableName", "t"}, {"PartitionValues", {"1"}}}),
              HasAwsErrorMessage("EntityNotFoundException", "Cannot find partition."));
  Json out = Ok("BatchDeletePartition", {{"DatabaseName", "db"}, {"TableName", "t"}, {"PartitionsToDelete", {{{"Values", {"1"}}}}}});
  EXPECT_EQ(out["Errors"].size(), 1u);
}

// ---- User-defined functions ----

TEST_F(GlueCatalogTest, UserDefinedFunctionsRoundTrip) {
  CreateDatabase("db");
  Json fn = {{"FunctionName", "mask"}, {"ClassName", "com.example.Mask"}, {"OwnerName", "owner"}, {"OwnerType", "USER"}};
  Ok("CreateUserDefinedFunction", {{"DatabaseName", "db"}, {"FunctionInput", fn}});
  EXPECT_THAT(Glue("CreateUserDefinedFunction", {{"DatabaseName", "db"}, {"FunctionInput", fn}}),
              HasAwsError("AlreadyExistsException"));
  Json got = Ok("GetUserDefinedFunction", {{"DatabaseName", "db"}, {"FunctionName", "mask"}});
  EXPECT_EQ(got["UserDefinedFunction"]["ClassName"], "com.example.Mask");
  fn["ClassName"] = "com.example.Mask2";
  Ok("UpdateUserDefinedFunction", {{"DatabaseName", "db"}, {"FunctionName", "mask"}, {"FunctionInput", fn}});
  Json list = Ok("GetUserDefinedFunctions", {{"Pattern", "ma.*"}});
  ASSERT_EQ(list["UserDefinedFunctions"].size(), 1u);
  EXPECT_EQ(list["UserDefinedFunctions"][0]["ClassName"], "com.example.Mask2");
  Ok("DeleteUserDefinedFunction", {{"DatabaseName", "db"}, {"FunctionName", "mask"}});
  EXPECT_THAT(Glue("GetUserDefinedFunction", {{"DatabaseName", "db"}, {"FunctionName", "mask"}}),
              HasAwsError("EntityNotFoundException"));
}

// ---- Connections (password encryption off) ----

TEST_F(GlueCatalogTest, CreateConnectionRoundTripsJdbcProperties) {
  auto created = Glue("CreateConnection", {{"ConnectionInput", JdbcInput("pg")}});
  ASSERT_THAT(created, IsOk());
  EXPECT_EQ(created->json["CreateConnectionStatus"], "READY");
  Json c = Ok("GetConnection", {{"Name", "pg"}})["Connection"];
  EXPECT_EQ(c["ConnectionProperties"]["JDBC_ENFORCE_SSL"], "true");
  EXPECT_EQ(c["ConnectionProperties"]["PASSWORD"], "s3cr3t");
  EXPECT_FALSE(c["ConnectionProperties"].contains("ENCRYPTED_PASSWORD"));
}

TEST_F(GlueCatalogTest, UpdateConnectionChangesEnforceSsl) {
  Ok("CreateConnection", {{"ConnectionInput", JdbcInput("pg")}});
  Json input = JdbcInput("pg");
  input["ConnectionProperties"]["JDBC_ENFORCE_SSL"] = "false";
  Ok("UpdateConnection", {{"Name", "pg"}, {"ConnectionInput", input}});
  Json c = Ok("GetConnection", {{"Name", "pg"}})["Connection"];
  EXPECT_EQ(c["ConnectionProperties"]["JDBC_ENFORCE_SSL"], "false");
}

TEST_F(GlueCatalogTest, GetConnectionHidePasswordOmitsPassword) {
  Ok("CreateConnection", {{"ConnectionInput", JdbcInput("pg")}});
  Json c = Ok("GetConnection", {{"Name", "pg"}, {"HidePassword", true}})["Connection"];
  EXPECT_FALSE(c["ConnectionProperties"].contains("PASSWORD"));
  EXPECT_EQ(c["ConnectionProperties"]["USERNAME"], "app");
}

TEST_F(GlueCatalogTest, CreateConnectionValidatesJdbcProperties) {
  Json no_url = JdbcInput("a");
  no_url["ConnectionProperties"].erase("JDBC_CONNECTION_URL");
  Json no_password = JdbcInput("b");
  no_password["ConnectionProperties"].erase("PASSWORD");
  Json bad_ssl = JdbcInput("c");
  bad_ssl["ConnectionProperties"]["JDBC_ENFORCE_SSL"] = "yes";
  Json encrypted = JdbcInput("d");
  encrypted["ConnectionProperties"]["ENCRYPTED_PASSWORD"] = "AQID";
  Json bad_cert = JdbcInput("e");
  bad_cert["ConnectionProperties"]["CUSTOM_JDBC_CERT"] = "/tmp/cert.pem";
  for (const Json& input : {no_url, no_password, bad_ssl, encrypted, bad_cert}) {
    EXPECT_THAT(Glue("CreateConnection", {{"ConnectionInput", input}}), HasAwsError("InvalidInputException"))
        << input.dump();
  }
  Json unknown_key = JdbcInput("f");
  unknown_key["ConnectionProperties"]["NOT_A_KEY"] = "x";
  EXPECT_THAT(Glue("CreateConnection", {{"ConnectionInput", unknown_key}}), HasAwsError("ValidationException"));
}

TEST_F(GlueCatalogTest, CreateConnectionAcceptsSecretIdAndCustomCertificate) {
  Json input = JdbcInput("s");
  input["ConnectionProperties"].erase("PASSWORD");
  input["ConnectionProperties"].erase("USERNAME");
  input["ConnectionProperties"]["SECRET_ID"] = "my-secret";
  input["ConnectionProperties"]["CUSTOM_JDBC_CERT"] = "s3://certs/ca.pem";
  input["ConnectionProperties"]["SKIP_CUSTOM_JDBC_CERT_VALIDATION"] = "false";
  EXPECT_THAT(Glue("CreateConnection", {{"ConnectionInput", input}}), IsOk());
}

TEST_F(GlueCatalogTest, GetConnectionsFiltersByTypeAndMatchCriteria) {
  Json a = JdbcInput("a");
  a["MatchCriteria"] = {"prod", "pg"};
  Ok("CreateConnection", {{"ConnectionInput", a}});
  Ok("CreateConnection", {{"ConnectionInput", JdbcInput("b")}});
  Ok("CreateConnection", {{"ConnectionInput", {{"Name", "k"}, {"ConnectionType", "KAFKA"},
                                               {"ConnectionProperties", {{"KAFKA_BOOTSTRAP_SERVERS", "b:9092"}}}}}});
  EXPECT_EQ(Ok("GetConnections", Json::object())["ConnectionList"].size(), 3u);
  Json jdbc = Ok("GetConnections", {{"Filter", {{"ConnectionType", "JDBC"}}}});
  EXPECT_EQ(jdbc["ConnectionList"].size(), 2u);
  Json prod = Ok("GetConnections", {{"Filter", {{"MatchCriteria", {"prod"}}}}, {"HidePassword", true}});
  ASSERT_EQ(prod["ConnectionList"].size(), 1u);
  EXPECT_EQ(prod["ConnectionList"][0]["Name"], "a");
  EXPECT_FALSE(prod["ConnectionList"][0]["ConnectionProperties"].contains("PASSWORD"));
}

TEST_F(GlueCatalogTest, DeleteAndBatchDeleteConnections) {
  Ok("CreateConnection", {{"ConnectionInput", JdbcInput("a")}});
  Ok("CreateConnection", {{"ConnectionInput", JdbcInput("b")}});
  Ok("DeleteConnection", {{"ConnectionName", "a"}});
  EXPECT_THAT(Glue("DeleteConnection", {{"ConnectionName", "a"}}), HasAwsError("EntityNotFoundException"));
  Json out = Ok("BatchDeleteConnection", {{"ConnectionNameList", {"b", "zz"}}});
  EXPECT_EQ(out["Succeeded"], Json({"b"}));
  EXPECT_EQ(out["Errors"]["zz"]["ErrorCode"], "EntityNotFoundException");
}

// ---- Resource policy and tags ----

TEST_F(GlueCatalogTest, ResourcePolicyHonoursHashAndExistenceConditions) {
  const std::string policy =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"glue:GetDatabase","Resource":"arn:aws:glue:us-east-1:000000000000:*"}]})";
  EXPECT_THAT(Glue("GetResourcePolicy", Json::object()), HasAwsError("EntityNotFoundException"));
  EXPECT_THAT(Glue("PutResourcePolicy", {{"PolicyInJson", policy}, {"PolicyExistsCondition", "MUST_EXIST"}}),
              HasAwsError("ConditionCheckFailureException"));
  Json put = Ok("PutResourcePolicy", {{"PolicyInJson", policy}, {"PolicyExistsCondition", "NOT_EXIST"}});
  const std::string hash = put["PolicyHash"];
  EXPECT_THAT(Glue("PutResourcePolicy", {{"PolicyInJson", policy}, {"PolicyExistsCondition", "NOT_EXIST"}}),
              HasAwsError("ConditionCheckFailureException"));
  EXPECT_THAT(Glue("PutResourcePolicy", {{"PolicyInJson", policy}, {"PolicyHashCondition", "wrong"}}),
              HasAwsError("ConditionCheckFailureException"));
  Json got = Ok("GetResourcePolicy", Json::object());
  EXPECT_EQ(got["PolicyInJson"], policy);
  EXPECT_EQ(got["PolicyHash"], hash);
  EXPECT_EQ(Ok("GetResourcePolicies", Json::object())["GetResourcePoliciesResponseList"].size(), 1u);
  EXPECT_THAT(Glue("DeleteResourcePolicy", {{"PolicyHashCondition", "wrong"}}),
              HasAwsError("ConditionCheckFailureException"));
  Ok("DeleteResourcePolicy", {{"PolicyHashCondition", hash}});
  EXPECT_THAT(Glue("GetResourcePolicy", Json::object()), HasAwsError("EntityNotFoundException"));
}

TEST_F(GlueCatalogTest, PutResourcePolicyFailsForMalformedPolicy) {
  EXPECT_THAT(Glue("PutResourcePolicy", {{"PolicyInJson", "{\"Statement\": 5}"}}),
              HasAwsError("InvalidInputException"));
}

TEST_F(GlueCatalogTest, TagsOnDatabasesAndConnections) {
  Ok("CreateDatabase", {{"DatabaseInput", {{"Name", "db"}}}, {"Tags", {{"team", "data"}}}});
  const std::string arn = "arn:aws:glue:us-east-1:000000000000:database/db";
  Ok("TagResource", {{"ResourceArn", arn}, {"TagsToAdd", {{"env", "dev"}}}});
  EXPECT_EQ(Ok("GetTags", {{"ResourceArn", arn}})["Tags"], Json({{"env", "dev"}, {"team", "data"}}));
  Ok("UntagResource", {{"ResourceArn", arn}, {"TagsToRemove", {"team"}}});
  EXPECT_EQ(Ok("GetTags", {{"ResourceArn", arn}})["Tags"], Json({{"env", "dev"}}));
  EXPECT_THAT(Glue("GetTags", {{"ResourceArn", "arn:aws:glue:us-east-1:000000000000:connection/none"}}),
              HasAwsError("EntityNotFoundException"));
  EXPECT_THAT(Glue("TagResource", {{"ResourceArn", "arn:aws:glue:us-east-1:000000000000:table/db/t"},
                                   {"TagsToAdd", {{"a", "b"}}}}),
              HasAwsError("InvalidInputException"));
}

}  // namespace
}  // namespace gee
