#include "store/migrations.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "store/database.h"

namespace gee::store {
namespace {

class MigrationsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = Database::OpenInMemory();
    ASSERT_TRUE(db.ok());
    db_ = std::move(*db);
  }
  static std::vector<MigrationStep> KmsSteps(int count) {
    std::vector<MigrationStep> steps = {
        {"kms", 1, "CREATE TABLE kms_keys(id TEXT PRIMARY KEY)"},
        {"kms", 2, "ALTER TABLE kms_keys ADD COLUMN state TEXT"},
        {"kms", 3, "CREATE INDEX kms_keys_state ON kms_keys(state)"},
    };
    steps.resize(count);
    return steps;
  }
  int Version(const std::string& component) {
    auto version = SchemaVersion(*db_, component);
    EXPECT_TRUE(version.ok());
    return version.ok() ? *version : -1;
  }
  std::unique_ptr<Database> db_;
};

TEST_F(MigrationsTest, SchemaVersionIsZeroForAFreshDatabase) {
  EXPECT_EQ(Version("kms"), 0);
}

TEST_F(MigrationsTest, MigrateAppliesEveryStepAndRecordsTheVersion) {
  ASSERT_TRUE(Migrate(*db_, KmsSteps(3)).ok());
  EXPECT_EQ(Version("kms"), 3);
  EXPECT_TRUE(db_->Execute("INSERT INTO kms_keys(id, state) VALUES ('k', 'Enabled')").ok());
}

TEST_F(MigrationsTest, MigrateAppliesEachStepOnlyOnce) {
  ASSERT_TRUE(Migrate(*db_, KmsSteps(2)).ok());
  // Step 2 (ALTER TABLE ADD COLUMN) would fail if it ran a second time.
  ASSERT_TRUE(Migrate(*db_, KmsSteps(2)).ok());
  EXPECT_EQ(Version("kms"), 2);
}

TEST_F(MigrationsTest, MigrateAppliesOnlyTheMissingSteps) {
  ASSERT_TRUE(Migrate(*db_, KmsSteps(1)).ok());
  ASSERT_TRUE(Migrate(*db_, KmsSteps(3)).ok());
  EXPECT_EQ(Version("kms"), 3);
}

TEST_F(MigrationsTest, MigrateTracksComponentsIndependently) {
  std::vector<MigrationStep> steps = KmsSteps(2);
  steps.push_back({"iam", 1, "CREATE TABLE iam_users(name TEXT PRIMARY KEY)"});
  ASSERT_TRUE(Migrate(*db_, steps).ok());
  EXPECT_EQ(Version("kms"), 2);
  EXPECT_EQ(Version("iam"), 1);
}

TEST_F(MigrationsTest, MigrateRefusesADatabaseNewerThanTheCode) {
  ASSERT_TRUE(Migrate(*db_, KmsSteps(3)).ok());
  Status status = Migrate(*db_, KmsSteps(2));
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, "InternalFailure");
  EXPECT_NE(status.error().message.find("'kms' is version 3"), std::string::npos)
      << status.error().message;
  EXPECT_NE(status.error().message.find("up to 2"), std::string::npos);
  EXPECT_EQ(Version("kms"), 3);
}

TEST_F(MigrationsTest, RefusedMigrationChangesNothingForOtherComponents) {
  ASSERT_TRUE(Migrate(*db_, KmsSteps(3)).ok());
  std::vector<MigrationStep> steps = KmsSteps(2);
  steps.push_back({"iam", 1, "CREATE TABLE iam_users(name TEXT PRIMARY KEY)"});
  ASSERT_FALSE(Migrate(*db_, steps).ok());
  EXPECT_EQ(Version("iam"), 0);
  EXPECT_FALSE(db_->Execute("SELECT * FROM iam_users").ok());
}

TEST_F(MigrationsTest, FailingStepRollsBackEveryStepOfTheRun) {
  std::vector<MigrationStep> steps = KmsSteps(1);
  steps.push_back({"kms", 2, "ALTER TABLE no_such_table ADD COLUMN x"});
  Status status = Migrate(*db_, steps);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(Version("kms"), 0);
  EXPECT_FALSE(db_->Execute("SELECT * FROM kms_keys").ok());
}

TEST_F(MigrationsTest, MigrateRejectsAGapInVersions) {
  std::vector<MigrationStep> steps = {{"kms", 1, "SELECT 1"}, {"kms", 3, "SELECT 1"}};
  Status status = Migrate(*db_, steps);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, "InternalFailure");
}

TEST_F(MigrationsTest, MigrateRejectsDuplicateVersions) {
  std::vector<MigrationStep> steps = {{"kms", 1, "SELECT 1"}, {"kms", 1, "SELECT 2"}};
  EXPECT_FALSE(Migrate(*db_, steps).ok());
}

TEST_F(MigrationsTest, MigrateInsideARequestTransactionIsASavepoint) {
  auto outer = Transaction::Begin(*db_);
  ASSERT_TRUE(outer.ok());
  ASSERT_TRUE(Migrate(*db_, KmsSteps(1)).ok());
  ASSERT_TRUE(outer->Rollback().ok());
  EXPECT_EQ(Version("kms"), 0);
}

}  // namespace
}  // namespace gee::store
