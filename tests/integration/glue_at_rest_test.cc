// What the Glue Data Catalog leaves on disk: with a file-backed data
// directory, after catalog writes with catalog encryption (customer key) and
// connection-password encryption on, the raw database files (gee.db and its
// WAL) contain no column name, table parameter, partition value or connection
// password in plaintext; nor do they with encryption off (glue-default).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "tests/testing/emulator_fixture.h"
#include "tests/testing/temp_dir.h"

namespace gee {
namespace {

using ::gee::testing::IsOk;
using Json = nlohmann::json;

const char* const kProbes[] = {"customer_ssn_column", "tbl-param-secret-9313", "partval-20991231",
                               "Pa55w0rd-at-rest", "db-param-secret-5521", "udf.secret.ClassName"};

class GlueAtRestTest : public testing::EmulatorTest {
 protected:
  void Configure(Config& config) override {
    config.ephemeral = false;
    config.data_dir = (dir_.path() / "data").string();
  }

  Json Ok(const std::string& service, const std::string& op, const Json& input) {
    auto r = Root().Json(service, op, input);
    EXPECT_THAT(r, IsOk()) << op << " " << (r.ok() ? r->json.dump() : r.error().message);
    return r.ok() ? r->json : Json();
  }

  // Every byte of every file in the data directory.
  std::string RawFiles() {
    std::string all;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_.path())) {
      if (!entry.is_regular_file()) continue;
      std::ifstream in(entry.path(), std::ios::binary);
      all.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    return all;
  }

  void WriteCatalog(const std::string& db) {
    Ok("glue", "CreateDatabase",
       {{"DatabaseInput", {{"Name", db}, {"Parameters", {{"p", "db-param-secret-5521"}}}}}});
    Ok("glue", "CreateTable",
       {{"DatabaseName", db},
        {"TableInput",
         {{"Name", "t"},
          {"StorageDescriptor", {{"Columns", Json::array({{{"Name", "customer_ssn_column"}, {"Type", "string"}}})}}},
          {"PartitionKeys", Json::array({{{"Name", "day"}, {"Type", "string"}}})},
          {"Parameters", {{"secret", "tbl-param-secret-9313"}}}}}});
    Ok("glue", "UpdateTable",
       {{"DatabaseName", db},
        {"TableInput",
         {{"Name", "t"},
          {"StorageDescriptor", {{"Columns", Json::array({{{"Name", "customer_ssn_column"}, {"Type", "string"}}})}}},
          {"PartitionKeys", Json::array({{{"Name", "day"}, {"Type", "string"}}})},
          {"Parameters", {{"secret", "tbl-param-secret-9313"}, {"v", "2"}}}}}});
    Ok("glue", "CreatePartition",
       {{"DatabaseName", db}, {"TableName", "t"}, {"PartitionInput", {{"Values", {"partval-20991231"}}}}});
    Ok("glue", "CreateUserDefinedFunction",
       {{"DatabaseName", db},
        {"FunctionInput", {{"FunctionName", "f"}, {"ClassName", "udf.secret.ClassName"}}}});
    Ok("glue", "CreateConnection",
       {{"ConnectionInput",
         {{"Name", "conn-" + db},
          {"ConnectionType", "JDBC"},
          {"ConnectionProperties",
           {{"JDBC_CONNECTION_URL", "jdbc:mysql://h:3306/d"},
            {"USERNAME", "u"},
            {"PASSWORD", "Pa55w0rd-at-rest"},
            {"JDBC_ENFORCE_SSL", "true"}}}}}});
  }

  void ExpectNoProbeOnDisk() {
    emulator().Stop();  // nothing in flight; the WAL stays as written
    const std::string raw = RawFiles();
    ASSERT_GT(raw.size(), 0u);
    for (const char* probe : kProbes) {
      EXPECT_EQ(raw.find(probe), std::string::npos) << probe << " found in plaintext on disk";
    }
  }

  testing::ScopedTempDir dir_;
};

TEST_F(GlueAtRestTest, EncryptedCatalogLeavesNoPlaintextOnDisk) {
  const std::string key = Ok("kms", "CreateKey", Json::object())["KeyMetadata"]["Arn"];
  Ok("glue", "PutDataCatalogEncryptionSettings",
     {{"DataCatalogEncryptionSettings",
       {{"EncryptionAtRest", {{"CatalogEncryptionMode", "SSE-KMS"}, {"SseAwsKmsKeyId", key}}},
        {"ConnectionPasswordEncryption", {{"ReturnConnectionPasswordEncrypted", true}, {"AwsKmsKeyId", key}}}}}});
  WriteCatalog("enc");
  // The data is really there (reads decrypt it).
  Json table = Ok("glue", "GetTable", {{"DatabaseName", "enc"}, {"Name", "t"}});
  EXPECT_EQ(table["Table"]["StorageDescriptor"]["Columns"][0]["Name"], "customer_ssn_column");
  ExpectNoProbeOnDisk();
}

TEST_F(GlueAtRestTest, UnencryptedCatalogIsStillNotPlaintextOnDisk) {
  WriteCatalog("plain");
  Json conn = Ok("glue", "GetConnection", {{"Name", "conn-plain"}});
  EXPECT_EQ(conn["Connection"]["ConnectionProperties"]["PASSWORD"], "Pa55w0rd-at-rest");
  ExpectNoProbeOnDisk();
}

}  // namespace
}  // namespace gee
