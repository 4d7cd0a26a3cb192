#include "store/database.h"

#include <gtest/gtest.h>

#include <string>

namespace gee::store {
namespace {

class DatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = Database::OpenInMemory();
    ASSERT_TRUE(db.ok()) << db.error().message;
    db_ = std::move(*db);
    ASSERT_TRUE(db_->Execute("CREATE TABLE items(id INTEGER PRIMARY KEY, "
                             "name TEXT, body BLOB, size INTEGER)")
                    .ok());
  }

  void Insert(int64_t id, std::string_view name) {
    auto insert = db_->Prepare("INSERT INTO items(id, name) VALUES (?1, ?2)");
    ASSERT_TRUE(insert.ok());
    ASSERT_TRUE(insert->BindInt64(1, id).ok());
    ASSERT_TRUE(insert->BindText(2, name).ok());
    ASSERT_TRUE(insert->Run().ok());
  }

  int64_t CountItems() {
    auto count = db_->Prepare("SELECT COUNT(*) FROM items");
    EXPECT_TRUE(count.ok());
    if (!count.ok()) return -1;
    auto row = count->Step();
    EXPECT_TRUE(row.ok() && *row);
    return count->ColumnInt64(0);
  }

  std::unique_ptr<Database> db_;
};

TEST_F(DatabaseTest, BindAndColumnRoundTripEveryType) {
  const std::string blob("\x00\x01\xff binary\x00", 11);
  auto insert = db_->Prepare("INSERT INTO items(id, name, body, size) "
                             "VALUES (?1, ?2, ?3, ?4)");
  ASSERT_TRUE(insert.ok());
  ASSERT_TRUE(insert->BindInt64(1, 7).ok());
  ASSERT_TRUE(insert->BindText(2, "caf\xc3\xa9").ok());
  ASSERT_TRUE(insert->BindBlob(3, blob).ok());
  ASSERT_TRUE(insert->BindNull(4).ok());
  ASSERT_TRUE(insert->Run().ok());

  auto select = db_->Prepare("SELECT id, name, body, size FROM items");
  ASSERT_TRUE(select.ok());
  auto row = select->Step();
  ASSERT_TRUE(row.ok() && *row);
  EXPECT_EQ(select->ColumnCount(), 4);
  EXPECT_EQ(select->ColumnInt64(0), 7);
  EXPECT_EQ(select->ColumnText(1), "caf\xc3\xa9");
  EXPECT_EQ(select->ColumnBlob(2), blob);
  EXPECT_TRUE(select->ColumnIsNull(3));
  EXPECT_FALSE(select->ColumnIsNull(2));
  auto done = select->Step();
  ASSERT_TRUE(done.ok());
  EXPECT_FALSE(*done);
}

TEST_F(DatabaseTest, BindByNameMatchesNamedParameters) {
  auto insert = db_->Prepare("INSERT INTO items(id, name, size) "
                             "VALUES (:id, :name, :size)");
  ASSERT_TRUE(insert.ok());
  ASSERT_TRUE(insert->BindInt64(":id", 3).ok());
  ASSERT_TRUE(insert->BindText(":name", "three").ok());
  ASSERT_TRUE(insert->BindInt64(":size", int64_t{1} << 40).ok());
  ASSERT_TRUE(insert->Run().ok());
  auto select = db_->Prepare("SELECT name, size FROM items WHERE id = :id");
  ASSERT_TRUE(select.ok());
  ASSERT_TRUE(select->BindInt64(":id", 3).ok());
  auto row = select->Step();
  ASSERT_TRUE(row.ok() && *row);
  EXPECT_EQ(select->ColumnText(0), "three");
  EXPECT_EQ(select->ColumnInt64(1), int64_t{1} << 40);
}

TEST_F(DatabaseTest, BindByUnknownNameFails) {
  auto select = db_->Prepare("SELECT name FROM items WHERE id = :id");
  ASSERT_TRUE(select.ok());
  Status status = select->BindInt64(":missing", 1);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, "InternalFailure");
  EXPECT_EQ(status.error().http_status, 500);
}

TEST_F(DatabaseTest, EmptyBlobIsNotNull) {
  auto insert = db_->Prepare("INSERT INTO items(id, body) VALUES (1, ?1)");
  ASSERT_TRUE(insert.ok());
  ASSERT_TRUE(insert->BindBlob(1, "").ok());
  ASSERT_TRUE(insert->Run().ok());
  auto select = db_->Prepare("SELECT body IS NULL, length(body) FROM items");
  ASSERT_TRUE(select.ok());
  ASSERT_TRUE(select->Step().ok());
  EXPECT_EQ(select->ColumnInt64(0), 0);
  EXPECT_EQ(select->ColumnInt64(1), 0);
}

TEST_F(DatabaseTest, ResetAllowsRerunningWithNewBindings) {
  auto insert = db_->Prepare("INSERT INTO items(id, name) VALUES (?1, ?2)");
  ASSERT_TRUE(insert.ok());
  for (int64_t id : {1, 2, 3}) {
    ASSERT_TRUE(insert->BindInt64(1, id).ok());
    ASSERT_TRUE(insert->BindText(2, "n").ok());
    ASSERT_TRUE(insert->Run().ok());
    ASSERT_TRUE(insert->Reset().ok());
  }
  EXPECT_EQ(CountItems(), 3);
}

TEST_F(DatabaseTest, PrepareReusesCachedStatementForTheSameSql) {
  Insert(1, "a");
  const size_t cached = db_->CachedStatementCount();
  Insert(2, "b");
  EXPECT_EQ(db_->CachedStatementCount(), cached);
}

TEST_F(DatabaseTest, PrepareReturnsAResetStatementFromTheCache) {
  Insert(1, "a");
  Insert(2, "b");
  {
    auto select = db_->Prepare("SELECT id FROM items ORDER BY id");
    ASSERT_TRUE(select.ok());
    ASSERT_TRUE(select->Step().ok());  // leave it mid-iteration
  }
  auto again = db_->Prepare("SELECT id FROM items ORDER BY id");
  ASSERT_TRUE(again.ok());
  auto row = again->Step();
  ASSERT_TRUE(row.ok() && *row);
  EXPECT_EQ(again->ColumnInt64(0), 1);
}

TEST_F(DatabaseTest, PrepareGivesAPrivateStatementWhenTheCachedOneIsInUse) {
  Insert(1, "a");
  Insert(2, "b");
  const std::string sql = "SELECT id FROM items ORDER BY id";
  auto outer = db_->Prepare(sql);
  ASSERT_TRUE(outer.ok());
  ASSERT_TRUE(outer->Step().ok());
  auto inner = db_->Prepare(sql);
  ASSERT_TRUE(inner.ok());
  ASSERT_TRUE(inner->Step().ok());
  ASSERT_TRUE(inner->Step().ok());
  EXPECT_EQ(inner->ColumnInt64(0), 2);
  EXPECT_EQ(outer->ColumnInt64(0), 1);  // the outer iteration is undisturbed
}

TEST_F(DatabaseTest, PrepareFailsOnInvalidSql) {
  auto bad = db_->Prepare("SELEKT 1");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "InternalFailure");
}

TEST_F(DatabaseTest, PrepareRejectsMoreThanOneStatement) {
  EXPECT_FALSE(db_->Prepare("SELECT 1; SELECT 2").ok());
}

TEST_F(DatabaseTest, StepFailsOnConstraintViolation) {
  Insert(1, "a");
  auto insert = db_->Prepare("INSERT INTO items(id, name) VALUES (1, 'dup')");
  ASSERT_TRUE(insert.ok());
  Status status = insert->Run();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, "InternalFailure");
  EXPECT_NE(status.error().message.find("constraint"), std::string::npos)
      << status.error().message;
}

TEST_F(DatabaseTest, ForeignKeysAreEnforced) {
  ASSERT_TRUE(db_->Execute("CREATE TABLE parts(item INTEGER NOT NULL "
                           "REFERENCES items(id))")
                  .ok());
  EXPECT_FALSE(db_->Execute("INSERT INTO parts(item) VALUES (99)").ok());
}

TEST_F(DatabaseTest, TransactionCommitKeepsChanges) {
  auto transaction = Transaction::Begin(*db_);
  ASSERT_TRUE(transaction.ok());
  EXPECT_TRUE(db_->InTransaction());
  Insert(1, "a");
  ASSERT_TRUE(transaction->Commit().ok());
  EXPECT_FALSE(db_->InTransaction());
  EXPECT_EQ(CountItems(), 1);
}

TEST_F(DatabaseTest, TransactionRollsBackWhenDestroyedUncommitted) {
  {
    auto transaction = Transaction::Begin(*db_);
    ASSERT_TRUE(transaction.ok());
    Insert(1, "a");
  }
  EXPECT_FALSE(db_->InTransaction());
  EXPECT_EQ(CountItems(), 0);
}

TEST_F(DatabaseTest, TransactionRollbackUndoesChanges) {
  auto transaction = Transaction::Begin(*db_);
  ASSERT_TRUE(transaction.ok());
  Insert(1, "a");
  ASSERT_TRUE(transaction->Rollback().ok());
  EXPECT_EQ(CountItems(), 0);
}

TEST_F(DatabaseTest, NestedTransactionIsASavepoint) {
  auto outer = Transaction::Begin(*db_);
  ASSERT_TRUE(outer.ok());
  EXPECT_FALSE(outer->nested());
  auto inner = Transaction::Begin(*db_);
  ASSERT_TRUE(inner.ok());
  EXPECT_TRUE(inner->nested());
}

TEST_F(DatabaseTest, NestedRollbackKeepsTheOuterTransactionsChanges) {
  auto outer = Transaction::Begin(*db_);
  ASSERT_TRUE(outer.ok());
  Insert(1, "outer");
  {
    auto inner = Transaction::Begin(*db_);
    ASSERT_TRUE(inner.ok());
    Insert(2, "inner");
  }  // inner rolls back
  ASSERT_TRUE(outer->Commit().ok());
  EXPECT_EQ(CountItems(), 1);
}

TEST_F(DatabaseTest, NestedCommitIsUndoneByOuterRollback) {
  {
    auto outer = Transaction::Begin(*db_);
    ASSERT_TRUE(outer.ok());
    auto inner = Transaction::Begin(*db_);
    ASSERT_TRUE(inner.ok());
    Insert(1, "inner");
    ASSERT_TRUE(inner->Commit().ok());
  }
  EXPECT_EQ(CountItems(), 0);
}

TEST_F(DatabaseTest, NestedCommitPersistsWithOuterCommit) {
  auto outer = Transaction::Begin(*db_);
  ASSERT_TRUE(outer.ok());
  {
    auto inner = Transaction::Begin(*db_);
    ASSERT_TRUE(inner.ok());
    Insert(1, "inner");
    ASSERT_TRUE(inner->Commit().ok());
  }
  ASSERT_TRUE(outer->Commit().ok());
  EXPECT_EQ(CountItems(), 1);
}

TEST_F(DatabaseTest, CommitFailsWhenAnInnerTransactionIsStillOpen) {
  auto outer = Transaction::Begin(*db_);
  ASSERT_TRUE(outer.ok());
  auto inner = Transaction::Begin(*db_);
  ASSERT_TRUE(inner.ok());
  Status status = outer->Commit();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, "InternalFailure");
}

TEST_F(DatabaseTest, CommitTwiceFails) {
  auto transaction = Transaction::Begin(*db_);
  ASSERT_TRUE(transaction.ok());
  ASSERT_TRUE(transaction->Commit().ok());
  EXPECT_FALSE(transaction->Commit().ok());
}

TEST_F(DatabaseTest, CacheEpochStaysOverStatementsAndCommits) {
  const uint64_t before = db_->cache_epoch();
  {
    auto tx = Transaction::Begin(*db_);
    ASSERT_TRUE(tx.ok());
    Insert(1, "a");
    auto nested = Transaction::Begin(*db_);
    ASSERT_TRUE(nested.ok());
    Insert(2, "b");
    ASSERT_TRUE(nested->Commit().ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  EXPECT_EQ(CountItems(), 2);
  EXPECT_EQ(db_->cache_epoch(), before);
}

TEST_F(DatabaseTest, CacheEpochMovesOnEveryRollback) {
  uint64_t before = db_->cache_epoch();
  {
    auto tx = Transaction::Begin(*db_);
    ASSERT_TRUE(tx.ok());
    Insert(1, "a");
    ASSERT_TRUE(tx->Rollback().ok());
  }
  EXPECT_NE(db_->cache_epoch(), before);

  before = db_->cache_epoch();
  {
    auto tx = Transaction::Begin(*db_);
    ASSERT_TRUE(tx.ok());
    {
      auto nested = Transaction::Begin(*db_);
      ASSERT_TRUE(nested.ok());
      Insert(2, "b");
    }  // destroyed uncommitted: the savepoint rolls back
    EXPECT_NE(db_->cache_epoch(), before);
    ASSERT_TRUE(tx->Commit().ok());
  }
}

TEST_F(DatabaseTest, CacheEpochMovesOnExecute) {
  const uint64_t before = db_->cache_epoch();
  ASSERT_TRUE(db_->Execute("DELETE FROM items").ok());
  EXPECT_NE(db_->cache_epoch(), before);
}

}  // namespace
}  // namespace gee::store
