// KMS key material at rest: keys created through the API with a file-backed
// data directory; their raw material is exported in-process (the key
// store's own loader, the only way to see it) and every database file
// (gee.db, -wal, -shm) is scanned for it. A positive control proves the
// scan reads the bytes where the material rows live. The /_gee/inspect
// endpoint reports the same.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <cctype>
#include <iterator>
#include <mutex>

#include "core/environment.h"
#include "services/kms/key_store.h"
#include "store/database.h"
#include "tests/testing/kms_fixture.h"
#include "tests/testing/temp_dir.h"

namespace gee {
namespace {

using testing::IsOk;
using Json = nlohmann::json;

class KmsAtRestTest : public testing::KmsTest {
 protected:
  void Configure(Config& config) override {
    config.ephemeral = false;
    config.data_dir = (dir_.path() / "data").string();
  }

  // Every byte gee keeps on disk for its database.
  std::string DatabaseBytes() {
    std::string all;
    for (const char* name : {"gee.db", "gee.db-wal", "gee.db-shm"}) {
      std::ifstream in(dir_.path() / "data" / name, std::ios::binary);
      if (!in) continue;
      all.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    return all;
  }

  // The serialised material of every version of `key_id`, loaded in-process.
  std::vector<std::string> ExportMaterial(const std::string& key_id) {
    Environment& env = emulator().env();
    std::lock_guard<std::recursive_mutex> lock(env.store_mutex());
    auto store = kms::KeyStore::Create(env.db(), env.keyring(), env.random());
    EXPECT_TRUE(store.ok());
    std::vector<std::string> out;
    if (!store.ok()) return out;
    auto versions = (*store)->ListMaterialVersions(key_id);
    EXPECT_TRUE(versions.ok());
    for (const kms::MaterialVersion& v : *versions) {
      auto material = (*store)->LoadMaterial(key_id, v.version);
      EXPECT_TRUE(material.ok() && *material);
      if (material.ok() && *material) out.emplace_back((*material)->serialized().AsStringView());
    }
    return out;
  }

  // The sealed bytes of one material row, read straight from the table.
  std::string SealedRow(const std::string& key_id) {
    Environment& env = emulator().env();
    std::lock_guard<std::recursive_mutex> lock(env.store_mutex());
    auto select = env.db().Prepare("SELECT sealed FROM kms_key_materials WHERE key_id = ?1 AND version = 1");
    EXPECT_TRUE(select.ok());
    if (!select.ok()) return "";
    EXPECT_TRUE(select->BindText(1, key_id).ok());
    auto row = select->Step();
    EXPECT_TRUE(row.ok() && *row);
    return row.ok() && *row ? select->ColumnBlob(0) : "";
  }

  // Whether `haystack` holds `secret` or any 16-byte window of it.
  static bool Leaks(const std::string& haystack, const std::string& secret) {
    if (haystack.find(secret) != std::string::npos) return true;
    for (size_t i = 0; i + 16 <= secret.size(); i += 4) {
      if (haystack.find(secret.substr(i, 16)) != std::string::npos) return true;
    }
    return false;
  }

  static std::string PercentEncode(std::string_view text) {
    static const char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
      if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
        out.push_back(static_cast<char>(c));
      } else {
        out.push_back('%');
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 15]);
      }
    }
    return out;
  }

  testing::ScopedTempDir dir_;
};

TEST_F(KmsAtRestTest, DatabaseFilesHoldNoKeyMaterialInPlaintext) {
  std::vector<std::string> key_ids;
  for (const Json& input : {Json::object(),
                            Json{{"KeySpec", "HMAC_256"}, {"KeyUsage", "GENERATE_VERIFY_MAC"}},
                            Json{{"KeySpec", "RSA_2048"}, {"KeyUsage", "SIGN_VERIFY"}},
                            Json{{"KeySpec", "ECC_NIST_P256"}, {"KeyUsage", "KEY_AGREEMENT"}}}) {
    const std::string arn = CreateKey(input);
    ASSERT_FALSE(arn.empty());
    key_ids.push_back(KeyIdOf(arn));
  }
  ASSERT_THAT(Kms("RotateKeyOnDemand", {{"KeyId", key_ids[0]}}), IsOk());
  auto managed = Kms("DescribeKey", {{"KeyId", "alias/aws/s3"}});
  ASSERT_THAT(managed, IsOk());
  key_ids.push_back(managed->json["KeyMetadata"]["KeyId"]);

  // Secrets that passed through KMS: every material version, plus data keys
  // and a data key pair's private half handed to the caller.
  std::vector<std::string> secrets;
  for (const std::string& id : key_ids) {
    for (std::string& m : ExportMaterial(id)) secrets.push_back(std::move(m));
  }
  ASSERT_EQ(secrets.size(), key_ids.size() + 1);  // the rotated key has two versions
  auto data_key = Kms("GenerateDataKey", {{"KeyId", key_ids[0]}, {"NumberOfBytes", 32}});
  ASSERT_THAT(data_key, IsOk());
  secrets.push_back(Unb64(data_key->json["Plaintext"]));
  auto pair = Kms("GenerateDataKeyPair", {{"KeyId", key_ids[0]}, {"KeyPairSpec", "RSA_2048"}});
  ASSERT_THAT(pair, IsOk());
  secrets.push_back(Unb64(pair->json["PrivateKeyPlaintext"]));

  const std::string disk = DatabaseBytes();
  ASSERT_GT(disk.size(), 4096u);
  // Positive control: the sealed form of the first key's material is there.
  const std::string sealed = SealedRow(key_ids[0]);
  ASSERT_GT(sealed.size(), 32u);
  EXPECT_TRUE(Leaks(disk, sealed)) << "the scan does not see the material rows";
  for (size_t i = 0; i < secrets.size(); ++i) {
    ASSERT_GE(secrets[i].size(), 16u) << "secret " << i;
    EXPECT_FALSE(Leaks(disk, secrets[i])) << "secret " << i << " is stored in plaintext";
  }
}

TEST_F(KmsAtRestTest, InspectReportsRootKeySealingAndNoPlaintextMaterial) {
  const std::string arn = CreateKey();
  const std::string key_id = KeyIdOf(arn);
  const std::vector<std::string> material = ExportMaterial(key_id);
  ASSERT_EQ(material.size(), 1u);
  auto inspect = [&](const std::string& probe) {
    return Root().Signed("kms", "GET",
                         "/_gee/inspect?kind=kms-key&id=" + key_id + "&probe=" + PercentEncode(B64(probe)), {}, "");
  };
  auto plain = inspect(material[0]);
  ASSERT_TRUE(plain.ok());
  ASSERT_EQ(plain->status, 200) << plain->body;
  const Json report = Json::parse(plain->body);
  ASSERT_EQ(report["records"].size(), 1u);
  EXPECT_EQ(report["records"][0]["scheme"], "root-key");
  EXPECT_EQ(report["records"][0]["part"], "key material version 1");
  EXPECT_EQ(report["records"][0]["probe_found"], false);
  // The probe check works: a piece of the sealed row is found.
  const std::string sealed = SealedRow(key_id);
  auto control = inspect(sealed.substr(13, 16));
  ASSERT_TRUE(control.ok());
  EXPECT_EQ(Json::parse(control->body)["records"][0]["probe_found"], true);
}

TEST_F(KmsAtRestTest, KeysSurviveARestartOfTheEmulator) {
  const std::string arn = CreateKey();
  const std::string blob = Encrypt(arn, "durable");
  ASSERT_FALSE(blob.empty());
  emulator().Stop();
  Config config;
  Configure(config);
  config.server.port = 0;
  config.access_log = false;
  EmulatorOptions options;
  options.config = config;
  options.clock = &clock();
  auto second = Emulator::Create(std::move(options));
  ASSERT_TRUE(second.ok()) << second.error().message;
  ASSERT_TRUE((*second)->Start().ok());
  auto client = std::make_unique<harness::AwsClient>((*second)->endpoint(), harness::Credentials{"test", "test", ""},
                                                     "us-east-1", &clock());
  auto decrypted = client->Json("kms", "Decrypt", {{"CiphertextBlob", blob}});
  ASSERT_THAT(decrypted, IsOk());
  EXPECT_EQ(Unb64(decrypted->json["Plaintext"]), "durable");
  (*second)->Stop();
}

}  // namespace
}  // namespace gee
