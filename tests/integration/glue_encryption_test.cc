// Data Catalog encryption and connection-password encryption against the
// emulator's real KMS (key policies, IAM policies, kms:ViaService), in
// process, with IAM users whose identity policies come from an
// InMemoryIdentityPolicyProvider: seed steps 2, 3, 7 and 8 of "Setting up
// encryption in AWS Glue".
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/inspection.h"
#include "crypto/encoding.h"
#include "tests/testing/glue_fixture.h"
#include "tests/testing/matchers.h"

namespace gee {
namespace {

using ::gee::testing::HasAwsError;
using ::gee::testing::IsOk;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::StartsWith;
using Json = nlohmann::json;

std::string Policy(const std::vector<Json>& statements) {
  return Json{{"Version", "2012-10-17"}, {"Statement", statements}}.dump();
}

Json Statement(const std::string& effect, const std::vector<std::string>& actions,
               const std::vector<std::string>& resources) {
  return {{"Effect", effect}, {"Action", actions}, {"Resource", resources}};
}

const std::vector<std::string> kCatalogKmsActions = {"kms:GenerateDataKey", "kms:Decrypt",
                                                     "kms:Encrypt"};

class GlueEncryptionTest : public testing::GlueFixture {
 protected:
  GlueEncryptionTest() { real_kms_ = true; }

  Principal Root() { return RootPrincipal(testing::kGlueTestAccount); }

  std::string CreateKey(const Json& extra = Json::object()) {
    Json input = extra;
    auto out = Call(Root(), "kms", "CreateKey", input);
    EXPECT_THAT(out, IsOk());
    return out.ok() ? (*out)["KeyMetadata"]["Arn"].get<std::string>() : "";
  }

  void EnableCatalogEncryption(const std::string& key = "") {
    Json at_rest = {{"CatalogEncryptionMode", "SSE-KMS"}};
    if (!key.empty()) at_rest["SseAwsKmsKeyId"] = key;
    ASSERT_THAT(Glue("PutDataCatalogEncryptionSettings",
                     {{"DataCatalogEncryptionSettings", {{"EncryptionAtRest", at_rest}}}}),
                IsOk());
  }

  void SetSettings(const Json& settings) {
    ASSERT_THAT(Glue("PutDataCatalogEncryptionSettings", {{"DataCatalogEncryptionSettings", settings}}),
                IsOk());
  }

  // A user allowed glue:* plus `kms` statements.
  Principal CatalogUser(const std::string& name, const std::vector<Json>& kms = {}) {
    Principal p = User(name);
    std::vector<Json> statements = {Statement("Allow", {"glue:*"}, {"*"})};
    statements.insert(statements.end(), kms.begin(), kms.end());
    SetPolicies(p, {Policy(statements)});
    return p;
  }

  Result<Json> CreateTable(const Principal& p, const std::string& name) {
    return GlueAs(p, "CreateTable",
                  {{"DatabaseName", "db"},
                   {"TableInput",
                    {{"Name", name},
                     {"StorageDescriptor",
                      {{"Columns", Json::array({{{"Name", "customer_ssn"}, {"Type", "string"}}})}}},
                     {"Parameters", {{"secret_param", "tp-4711"}}}}}});
  }

  Result<Json> GetTable(const Principal& p, const std::string& name) {
    return GlueAs(p, "GetTable", {{"DatabaseName", "db"}, {"Name", name}});
  }

  static Json Jdbc(const std::string& name) {
    return {{"Name", name},
            {"ConnectionType", "JDBC"},
            {"ConnectionProperties",
             {{"JDBC_CONNECTION_URL", "jdbc:mysql://db.example.com:3306/app"},
              {"USERNAME", "admin"},
              {"PASSWORD", "pa55-w0rd!"},
              {"JDBC_ENFORCE_SSL", "true"}}}};
  }

  Result<std::vector<AtRestRecord>> Inspect(const std::string& kind, const std::string& id,
                                            const std::string& probe) {
    for (AtRestInspector* i : env().inspectors()) {
      auto kinds = i->Kinds();
      if (std::find(kinds.begin(), kinds.end(), kind) != kinds.end()) {
        return i->Inspect(kind, id, probe);
      }
    }
    return AwsError("NotFound", "no inspector", 404);
  }

  void SetUp() override {
    GlueFixture::SetUp();
    ASSERT_THAT(Glue("CreateDatabase", {{"DatabaseInput", {{"Name", "db"}}}}), IsOk());
  }
};

TEST_F(GlueEncryptionTest, CustomerKeyCatalogWorksForCallerWithTheThreeKmsActions) {
  const std::string key = CreateKey();
  EnableCatalogEncryption(key);
  Principal alice = CatalogUser("alice", {Statement("Allow", kCatalogKmsActions, {key})});
  ASSERT_THAT(CreateTable(alice, "t"), IsOk());
  auto got = GetTable(alice, "t");
  ASSERT_THAT(got, IsOk());
  EXPECT_EQ((*got)["Table"]["Parameters"]["secret_param"], "tp-4711");
}

TEST_F(GlueEncryptionTest, CallerWithoutKmsPermissionGetsGlueEncryptionExceptionWithKmsText) {
  const std::string key = CreateKey();
  EnableCatalogEncryption(key);
  Principal bob = CatalogUser("bob");
  auto created = CreateTable(bob, "t");
  ASSERT_THAT(created, HasAwsError("GlueEncryptionException"));
  EXPECT_THAT(created.error().message,
              MatchesRegex("User: arn:aws:iam::000000000000:user/bob is not authorized to perform: "
                           "kms:GenerateDataKey on resource: " + key +
                           " because no identity-based policy allows the kms:GenerateDataKey action "
                           "\\(Service: AWSKMS; Status Code: 400; Error Code: AccessDeniedException; "
                           "Request ID: [0-9a-f-]{36}; Proxy: null\\)"));
  EXPECT_THAT(GetTable(RootPrincipal(testing::kGlueTestAccount), "t"), HasAwsError("EntityNotFoundException"));
}

TEST_F(GlueEncryptionTest, CallerWithKmsOnAnotherKeyIsRefused) {
  const std::string key = CreateKey();
  const std::string other = CreateKey();
  EnableCatalogEncryption(key);
  Principal carol = CatalogUser("carol", {Statement("Allow", kCatalogKmsActions, {other})});
  EXPECT_THAT(CreateTable(carol, "t"), HasAwsError("GlueEncryptionException"));
}

TEST_F(GlueEncryptionTest, ExplicitDenyOfDecryptAllowsWritesButRefusesReads) {
  const std::string key = CreateKey();
  EnableCatalogEncryption(key);
  Principal dave = CatalogUser("dave", {Statement("Allow", kCatalogKmsActions, {key}),
                                        Statement("Deny", {"kms:Decrypt"}, {"*"})});
  ASSERT_THAT(CreateTable(dave, "t"), IsOk());
  auto got = GetTable(dave, "t");
  ASSERT_THAT(got, HasAwsError("GlueEncryptionException"));
  EXPECT_THAT(got.error().message,
              HasSubstr("kms:Decrypt on resource: " + key + " with an explicit deny"));
  EXPECT_THAT(got.error().message, HasSubstr("Error Code: AccessDeniedException"));
}

TEST_F(GlueEncryptionTest, AwsManagedGlueKeyWorksThroughGlueWithoutKmsPolicies) {
  EnableCatalogEncryption();  // no key: aws/glue
  Principal erin = CatalogUser("erin");
  ASSERT_THAT(CreateTable(erin, "t"), IsOk());
  ASSERT_THAT(GetTable(erin, "t"), IsOk());
  auto settings = Glue("GetDataCatalogEncryptionSettings", Json::object());
  ASSERT_THAT(settings, IsOk());
  EXPECT_EQ((*settings)["DataCatalogEncryptionSettings"]["EncryptionAtRest"]["SseAwsKmsKeyId"],
            "alias/aws/glue");
  // The same user cannot use aws/glue directly: the key policy allows it only via Glue.
  auto direct = Call(erin, "kms", "GenerateDataKey", {{"KeyId", "alias/aws/glue"}, {"NumberOfBytes", 32}});
  EXPECT_THAT(direct, HasAwsError("AccessDeniedException"));
  auto records = Inspect("catalog-table", "db/t", "customer_ssn");
  ASSERT_THAT(records, IsOk());
  EXPECT_EQ((*records)[0].scheme, "catalog SSE-KMS");
  EXPECT_THAT((*records)[0].protected_by, StartsWith("arn:aws:kms:us-east-1:000000000000:key/"));
  EXPECT_FALSE((*records)[0].probe_found);
}

TEST_F(GlueEncryptionTest, AsymmetricKeyCannotEncryptTheCatalog) {
  const std::string rsa = CreateKey({{"KeySpec", "RSA_2048"}, {"KeyUsage", "ENCRYPT_DECRYPT"}});
  EnableCatalogEncryption(rsa);
  auto created = CreateTable(RootPrincipal(testing::kGlueTestAccount), "t");
  ASSERT_THAT(created, HasAwsError("GlueEncryptionException"));
  EXPECT_THAT(created.error().message, HasSubstr("Error Code: InvalidKeyUsageException"));
}

TEST_F(GlueEncryptionTest, DisabledKeyFailsWritesAndReads) {
  const std::string key = CreateKey();
  EnableCatalogEncryption(key);
  Principal root = RootPrincipal(testing::kGlueTestAccount);
  ASSERT_THAT(CreateTable(root, "t"), IsOk());
  ASSERT_THAT(Call(root, "kms", "DisableKey", {{"KeyId", key}}), IsOk());
  auto created = CreateTable(root, "u");
  ASSERT_THAT(created, HasAwsError("GlueEncryptionException"));
  EXPECT_THAT(created.error().message, StartsWith(key + " is disabled. (Service: AWSKMS;"));
  auto got = GetTable(root, "t");
  ASSERT_THAT(got, HasAwsError("GlueEncryptionException"));
  EXPECT_THAT(got.error().message, HasSubstr("Error Code: DisabledException"));
}

TEST_F(GlueEncryptionTest, ObjectsKeepTheSchemeTheyWereWrittenWith) {
  const std::string key = CreateKey();
  Principal bob = CatalogUser("bob");  // no KMS permissions
  ASSERT_THAT(CreateTable(bob, "before"), IsOk());
  EnableCatalogEncryption(key);
  ASSERT_THAT(CreateTable(RootPrincipal(testing::kGlueTestAccount), "during"), IsOk());
  EXPECT_THAT(GetTable(bob, "before"), IsOk());
  EXPECT_THAT(GetTable(bob, "during"), HasAwsError("GlueEncryptionException"));
  SetSettings({{"EncryptionAtRest", {{"CatalogEncryptionMode", "DISABLED"}}}});
  ASSERT_THAT(CreateTable(bob, "after"), IsOk());
  EXPECT_THAT(GetTable(bob, "after"), IsOk());
  EXPECT_THAT(GetTable(bob, "during"), HasAwsError("GlueEncryptionException"));
  // GetTables fails as a whole when one table cannot be decrypted.
  EXPECT_THAT(GlueAs(bob, "GetTables", {{"DatabaseName", "db"}}), HasAwsError("GlueEncryptionException"));
  auto during = Inspect("catalog-table", "db/during", "customer_ssn");
  ASSERT_THAT(during, IsOk());
  EXPECT_EQ((*during)[0].scheme, "catalog SSE-KMS");
  EXPECT_EQ((*during)[0].protected_by, key);
  auto after = Inspect("catalog-table", "db/after", "customer_ssn");
  ASSERT_THAT(after, IsOk());
  EXPECT_EQ((*after)[0].scheme, "glue-default");
  EXPECT_FALSE((*after)[0].probe_found);
}

TEST_F(GlueEncryptionTest, EveryCatalogObjectKindIsEncryptedUnderTheCatalogKey) {
  const std::string key = CreateKey();
  EnableCatalogEncryption(key);
  Principal root = RootPrincipal(testing::kGlueTestAccount);
  ASSERT_THAT(Glue("CreateDatabase", {{"DatabaseInput", {{"Name", "enc"}, {"Parameters", {{"p", "dbsecret"}}}}}}), IsOk());
  Json partition_keys = Json::array({Json{{"Name", "year"}, {"Type", "int"}}});
  Json table_input = {{"Name", "t"}, {"PartitionKeys", partition_keys}};
  ASSERT_THAT(Glue("CreateTable", {{"DatabaseName", "enc"}, {"TableInput", table_input}}), IsOk());
  ASSERT_THAT(Glue("CreatePartition", {{"DatabaseName", "enc"}, {"TableName", "t"},
                                       {"PartitionInput", {{"Values", {"2031"}}}}}),
              IsOk());
  ASSERT_THAT(Glue("UpdateTable", {{"DatabaseName", "enc"}, {"TableInput", {{"Name", "t"}, {"Description", "v2"}}}}), IsOk());
  ASSERT_THAT(Glue("CreateConnection", {{"ConnectionInput", Jdbc("c")}}), IsOk());
  auto db = Inspect("catalog-database", "enc", "dbsecret");
  ASSERT_THAT(db, IsOk());
  EXPECT_EQ((*db)[0].scheme, "catalog SSE-KMS");
  EXPECT_FALSE((*db)[0].probe_found);
  auto table = Inspect("catalog-table", "enc/t", "2031");
  ASSERT_THAT(table, IsOk());
  ASSERT_EQ(table->size(), 3u);  // current version, archived version 0, one partition
  for (const AtRestRecord& r : *table) {
    EXPECT_EQ(r.scheme, "catalog SSE-KMS") << r.part;
    EXPECT_EQ(r.protected_by, key) << r.part;
    EXPECT_FALSE(r.probe_found) << r.part;
  }
  auto connection = Inspect("catalog-connection", "c", "pa55-w0rd!");
  ASSERT_THAT(connection, IsOk());
  EXPECT_EQ((*connection)[0].scheme, "catalog SSE-KMS");
  EXPECT_FALSE((*connection)[0].probe_found);
}

TEST_F(GlueEncryptionTest, KmsCallsCarryViaServiceAndCallerAccount) {
  // A key policy that lets a principal use the key only through Glue.
  const std::string policy = Json{{"Version", "2012-10-17"},
                                  {"Statement", Json::array({
                                      {{"Sid", "root"}, {"Effect", "Allow"}, {"Principal", {{"AWS", "arn:aws:iam::000000000000:root"}}},
                                       {"Action", "kms:*"}, {"Resource", "*"}},
                                      {{"Sid", "via-glue"}, {"Effect", "Allow"}, {"Principal", {{"AWS", "arn:aws:iam::000000000000:user/frank"}}},
                                       {"Action", kCatalogKmsActions}, {"Resource", "*"},
                                       {"Condition", {{"StringEquals", {{"kms:ViaService", "glue.us-east-1.amazonaws.com"}}}}}}})}}
                                 .dump();
  const std::string key = CreateKey({{"Policy", policy}});
  EnableCatalogEncryption(key);
  Principal frank = CatalogUser("frank");
  ASSERT_THAT(CreateTable(frank, "t"), IsOk());
  ASSERT_THAT(GetTable(frank, "t"), IsOk());
  EXPECT_THAT(Call(frank, "kms", "GenerateDataKey", {{"KeyId", key}, {"NumberOfBytes", 32}}),
              HasAwsError("AccessDeniedException"));
}

// ---- Connection passwords ----

TEST_F(GlueEncryptionTest, PasswordIsReturnedOnlyEncryptedAndDecryptsDirectlyWithKms) {
  const std::string key = CreateKey();
  SetSettings({{"ConnectionPasswordEncryption", {{"ReturnConnectionPasswordEncrypted", true}, {"AwsKmsKeyId", key}}}});
  Principal alice = CatalogUser("alice", {Statement("Allow", {"kms:Encrypt", "kms:Decrypt"}, {key})});
  ASSERT_THAT(GlueAs(alice, "CreateConnection", {{"ConnectionInput", Jdbc("pg")}}), IsOk());
  auto got = GlueAs(alice, "GetConnection", {{"Name", "pg"}});
  ASSERT_THAT(got, IsOk());
  const Json props = (*got)["Connection"]["ConnectionProperties"];
  EXPECT_FALSE(props.contains("PASSWORD"));
  ASSERT_TRUE(props.contains("ENCRYPTED_PASSWORD"));
  EXPECT_EQ(props["JDBC_ENFORCE_SSL"], "true");
  // AWS SDK for pandas: kms.decrypt(CiphertextBlob=b64decode(ENCRYPTED_PASSWORD)), no context.
  auto plain = Call(alice, "kms", "Decrypt", {{"CiphertextBlob", props["ENCRYPTED_PASSWORD"]}});
  ASSERT_THAT(plain, IsOk());
  EXPECT_EQ(crypto::Base64Decode((*plain)["Plaintext"].get<std::string>()).value(), "pa55-w0rd!");
  auto records = Inspect("connection-password", "pg", "pa55-w0rd!");
  ASSERT_THAT(records, IsOk());
  EXPECT_EQ((*records)[0].scheme, "password SSE-KMS");
  EXPECT_EQ((*records)[0].protected_by, key);
  EXPECT_FALSE((*records)[0].probe_found);
}

TEST_F(GlueEncryptionTest, CreateConnectionNeedsKmsEncryptOnThePasswordKey) {
  const std::string key = CreateKey();
  SetSettings({{"ConnectionPasswordEncryption", {{"ReturnConnectionPasswordEncrypted", true}, {"AwsKmsKeyId", key}}}});
  Principal bob = CatalogUser("bob", {Statement("Allow", {"kms:Decrypt"}, {key})});
  auto created = GlueAs(bob, "CreateConnection", {{"ConnectionInput", Jdbc("pg")}});
  ASSERT_THAT(created, HasAwsError("GlueEncryptionException"));
  EXPECT_THAT(created.error().message, HasSubstr("kms:Encrypt on resource: " + key));
}

TEST_F(GlueEncryptionTest, HidePasswordNeedsNoKmsAccess) {
  const std::string key = CreateKey();
  SetSettings({{"ConnectionPasswordEncryption", {{"ReturnConnectionPasswordEncrypted", true}, {"AwsKmsKeyId", key}}}});
  ASSERT_THAT(Glue("CreateConnection", {{"ConnectionInput", Jdbc("pg")}}), IsOk());
  Principal bob = CatalogUser("bob");
  auto got = GlueAs(bob, "GetConnection", {{"Name", "pg"}, {"HidePassword", true}});
  ASSERT_THAT(got, IsOk());
  const Json props = (*got)["Connection"]["ConnectionProperties"];
  EXPECT_FALSE(props.contains("PASSWORD"));
  EXPECT_FALSE(props.contains("ENCRYPTED_PASSWORD"));
  EXPECT_EQ(props["USERNAME"], "admin");
}

TEST_F(GlueEncryptionTest, TurningPasswordEncryptionOffReturnsPasswordOnlyToCallersWhoCanDecrypt) {
  const std::string key = CreateKey();
  SetSettings({{"ConnectionPasswordEncryption", {{"ReturnConnectionPasswordEncrypted", true}, {"AwsKmsKeyId", key}}}});
  ASSERT_THAT(Glue("CreateConnection", {{"ConnectionInput", Jdbc("pg")}}), IsOk());
  SetSettings({{"ConnectionPasswordEncryption", {{"ReturnConnectionPasswordEncrypted", false}}}});
  Principal bob = CatalogUser("bob");
  EXPECT_THAT(GlueAs(bob, "GetConnection", {{"Name", "pg"}}), HasAwsError("GlueEncryptionException"));
  Principal alice = CatalogUser("alice", {Statement("Allow", {"kms:Decrypt"}, {key})});
  auto got = GlueAs(alice, "GetConnection", {{"Name", "pg"}});
  ASSERT_THAT(got, IsOk());
  EXPECT_EQ((*got)["Connection"]["ConnectionProperties"]["PASSWORD"], "pa55-w0rd!");
  EXPECT_FALSE((*got)["Connection"]["ConnectionProperties"].contains("ENCRYPTED_PASSWORD"));
}

TEST_F(GlueEncryptionTest, PasswordEncryptionDefaultsToAwsGlueKey) {
  SetSettings({{"ConnectionPasswordEncryption", {{"ReturnConnectionPasswordEncrypted", true}}}});
  Principal erin = CatalogUser("erin");
  ASSERT_THAT(GlueAs(erin, "CreateConnection", {{"ConnectionInput", Jdbc("pg")}}), IsOk());
  auto records = Inspect("connection-password", "pg", "pa55-w0rd!");
  ASSERT_THAT(records, IsOk());
  EXPECT_EQ((*records)[0].scheme, "password SSE-KMS");
  EXPECT_THAT((*records)[0].protected_by, StartsWith("arn:aws:kms:us-east-1:000000000000:key/"));
}

TEST_F(GlueEncryptionTest, UpdateConnectionReencryptsPasswordAndKeepsEnforceSsl) {
  const std::string key = CreateKey();
  SetSettings({{"ConnectionPasswordEncryption", {{"ReturnConnectionPasswordEncrypted", true}, {"AwsKmsKeyId", key}}}});
  ASSERT_THAT(Glue("CreateConnection", {{"ConnectionInput", Jdbc("pg")}}), IsOk());
  Json input = Jdbc("pg");
  input["ConnectionProperties"]["PASSWORD"] = "n3w-pass";
  input["ConnectionProperties"]["JDBC_ENFORCE_SSL"] = "false";
  ASSERT_THAT(Glue("UpdateConnection", {{"Name", "pg"}, {"ConnectionInput", input}}), IsOk());
  auto got = Glue("GetConnection", {{"Name", "pg"}});
  ASSERT_THAT(got, IsOk());
  const Json props = (*got)["Connection"]["ConnectionProperties"];
  EXPECT_EQ(props["JDBC_ENFORCE_SSL"], "false");
  auto plain = Call(RootPrincipal(testing::kGlueTestAccount), "kms", "Decrypt",
                    {{"CiphertextBlob", props["ENCRYPTED_PASSWORD"]}});
  ASSERT_THAT(plain, IsOk());
  EXPECT_EQ(crypto::Base64Decode((*plain)["Plaintext"].get<std::string>()).value(), "n3w-pass");
}

}  // namespace
}  // namespace gee
