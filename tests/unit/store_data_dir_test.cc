#include "store/data_dir.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <iterator>
#include <string>

#include "core/random.h"
#include "crypto/secret_bytes.h"
#include "tests/testing/temp_dir.h"

namespace gee::store {
namespace {

using crypto::SecretBytes;

class DataDirTest : public ::testing::Test {
 protected:
  std::filesystem::path Dir() const { return temp_.path() / "state"; }
  std::filesystem::path KeyPath() const { return Dir() / kRootKeyFileName; }
  std::filesystem::path DbPath() const { return Dir() / kDatabaseFileName; }

  Result<std::unique_ptr<DataDir>> TryOpen() { return DataDir::Open(Dir(), random_); }
  void Open() {
    auto dir = TryOpen();
    ASSERT_TRUE(dir.ok()) << dir.error().message;
    data_dir_ = std::move(*dir);
  }
  void Close() { data_dir_.reset(); }
  void Reopen() {
    Close();
    Open();
  }
  void CreateSecretsTable() {
    ASSERT_TRUE(data_dir_->database()
                    .Execute("CREATE TABLE secrets(label TEXT PRIMARY KEY, "
                             "sealed BLOB NOT NULL, note TEXT)")
                    .ok());
  }
  void StoreSecret(const std::string& label, const SecretBytes& secret,
                   std::string_view note) {
    auto sealed = data_dir_->keyring().Seal(label, secret);
    ASSERT_TRUE(sealed.ok());
    auto insert = data_dir_->database().Prepare(
        "INSERT INTO secrets(label, sealed, note) VALUES (?1, ?2, ?3)");
    ASSERT_TRUE(insert.ok());
    ASSERT_TRUE(insert->BindText(1, label).ok());
    ASSERT_TRUE(insert->BindBlob(2, *sealed).ok());
    ASSERT_TRUE(insert->BindText(3, note).ok());
    ASSERT_TRUE(insert->Run().ok());
  }
  Result<SecretBytes> LoadSecret(const std::string& label) {
    auto select = data_dir_->database().Prepare("SELECT sealed FROM secrets WHERE label = ?1");
    if (!select.ok()) return select.error();
    GEE_RETURN_IF_ERROR(select->BindText(1, label));
    GEE_ASSIGN_OR_RETURN(bool row, select->Step());
    if (!row) return AwsError("NotFound", "no row");
    return data_dir_->keyring().Open(label, select->ColumnBlobView(0));
  }
  static mode_t Mode(const std::filesystem::path& path) {
    struct stat st {};
    EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
    return st.st_mode & 07777;
  }
  static std::string ReadFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
  }
  static void WriteFile(const std::filesystem::path& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  }

  gee::testing::ScopedTempDir temp_;
  DeterministicRandom random_{17};
  std::unique_ptr<DataDir> data_dir_;
};

TEST_F(DataDirTest, OpenCreatesDirectoryWithMode0700) {
  Open();
  EXPECT_EQ(Mode(Dir()), 0700u);
  EXPECT_FALSE(data_dir_->ephemeral());
  EXPECT_EQ(data_dir_->path(), Dir());
}

TEST_F(DataDirTest, OpenCreatesDatabaseAndRootKeyWithMode0600) {
  Open();
  EXPECT_EQ(Mode(DbPath()), 0600u);
  EXPECT_EQ(Mode(KeyPath()), 0600u);
  EXPECT_EQ(ReadFile(KeyPath()).size(), kRootKeySize);
}

TEST_F(DataDirTest, WalFilesGetTheDatabaseMode) {
  Open();
  CreateSecretsTable();
  std::filesystem::path wal = DbPath();
  wal += "-wal";
  ASSERT_TRUE(std::filesystem::exists(wal));
  EXPECT_EQ(Mode(wal), 0600u);
}

TEST_F(DataDirTest, DatabaseUsesWalJournalMode) {
  Open();
  auto mode = data_dir_->database().Prepare("PRAGMA journal_mode");
  ASSERT_TRUE(mode.ok());
  ASSERT_TRUE(mode->Step().ok());
  EXPECT_EQ(mode->ColumnText(0), "wal");
}

TEST_F(DataDirTest, ReopenReusesTheRootKey) {
  Open();
  CreateSecretsTable();
  const SecretBytes secret = SecretBytes::CopyOf(std::string_view("kms key material 32 bytes long!!"));
  StoreSecret("kms-key-material:k1:1", secret, "");
  const std::string key_before = ReadFile(KeyPath());
  Reopen();
  EXPECT_EQ(ReadFile(KeyPath()), key_before);
  auto loaded = LoadSecret("kms-key-material:k1:1");
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_TRUE(*loaded == secret);
}

TEST_F(DataDirTest, OpenRefusesACorruptRootKey) {
  Open();
  Close();
  WriteFile(KeyPath(), std::string(40, 'x'));
  auto dir = TryOpen();
  ASSERT_FALSE(dir.ok());
  EXPECT_EQ(dir.error().code, "InternalFailure");
  EXPECT_NE(dir.error().message.find("root.key"), std::string::npos) << dir.error().message;
}

TEST_F(DataDirTest, OpenRefusesAGroupReadableRootKey) {
  Open();
  Close();
  ASSERT_EQ(::chmod(KeyPath().c_str(), 0640), 0);
  auto dir = TryOpen();
  ASSERT_FALSE(dir.ok());
  EXPECT_NE(dir.error().message.find("chmod 600"), std::string::npos) << dir.error().message;
}

TEST_F(DataDirTest, OpenRefusesAWorldReadableDatabase) {
  Open();
  Close();
  ASSERT_EQ(::chmod(DbPath().c_str(), 0644), 0);
  auto dir = TryOpen();
  ASSERT_FALSE(dir.ok());
  EXPECT_NE(dir.error().message.find("gee.db"), std::string::npos) << dir.error().message;
}

TEST_F(DataDirTest, OpenRefusesToReplaceAMissingRootKeyWhenDataExists) {
  Open();
  CreateSecretsTable();
  Close();
  ASSERT_TRUE(std::filesystem::remove(KeyPath()));
  auto dir = TryOpen();
  ASSERT_FALSE(dir.ok());
  EXPECT_NE(dir.error().message.find("missing"), std::string::npos) << dir.error().message;
  EXPECT_FALSE(std::filesystem::exists(KeyPath()));
}

TEST_F(DataDirTest, SealedSecretIsNotInTheRawDatabaseFiles) {
  Open();
  CreateSecretsTable();
  const std::string secret_text = "SECRET-KEY-MATERIAL-0123456789-ABCDEF";
  const std::string marker = "PLAINTEXT-MARKER-THAT-IS-NOT-SECRET";
  StoreSecret("iam-secret-access-key:AKIATEST", SecretBytes::CopyOf(secret_text), marker);
  const std::string root_key = ReadFile(KeyPath());
  Close();  // checkpoints the WAL into gee.db

  std::string everything;
  for (const auto& entry : std::filesystem::directory_iterator(Dir())) {
    if (entry.path() == KeyPath()) continue;
    everything += ReadFile(entry.path());
  }
  // Positive control: unsealed data is found, so the scan reads the rows.
  EXPECT_NE(everything.find(marker), std::string::npos);
  EXPECT_EQ(everything.find(secret_text), std::string::npos);
  EXPECT_EQ(everything.find(root_key), std::string::npos);
}

TEST_F(DataDirTest, EphemeralWritesNoFiles) {
  // Run from an empty working directory, where the default ./.gee would go.
  const std::filesystem::path previous = std::filesystem::current_path();
  std::filesystem::current_path(temp_.path());
  {
    auto dir = DataDir::OpenEphemeral(random_);
    ASSERT_TRUE(dir.ok());
    EXPECT_TRUE((*dir)->ephemeral());
    EXPECT_TRUE((*dir)->path().empty());
    Database& db = (*dir)->database();
    ASSERT_TRUE(db.Execute("CREATE TABLE t(x); INSERT INTO t VALUES (1)").ok());
    auto file = db.Prepare("PRAGMA database_list");
    ASSERT_TRUE(file.ok());
    ASSERT_TRUE(file->Step().ok());
    EXPECT_EQ(file->ColumnText(2), "");  // the main database has no file
  }
  std::filesystem::current_path(previous);
  EXPECT_TRUE(std::filesystem::is_empty(temp_.path()));
}

TEST_F(DataDirTest, EphemeralKeyringSealsAndOpens) {
  auto dir = DataDir::OpenEphemeral(random_);
  ASSERT_TRUE(dir.ok());
  const SecretBytes secret = SecretBytes::CopyOf(std::string_view("session secret"));
  auto sealed = (*dir)->keyring().Seal("sts-session:ASIA1", secret);
  ASSERT_TRUE(sealed.ok());
  auto opened = (*dir)->keyring().Open("sts-session:ASIA1", *sealed);
  ASSERT_TRUE(opened.ok());
  EXPECT_TRUE(*opened == secret);
}

}  // namespace
}  // namespace gee::store
