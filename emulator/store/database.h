// SQLite access for every service: `Database` (one connection), `Statement`
// (a prepared statement borrowed from the connection's cache) and
// `Transaction` (BEGIN IMMEDIATE ... COMMIT, nested as SAVEPOINTs).
//
// Connection settings (applied by Open, see DatabaseOptions):
//   journal_mode=WAL       readers never block the writer; file databases only
//   synchronous=NORMAL     a committed transaction survives the process being
//                          killed (the WAL is written before COMMIT returns);
//                          it may be lost on power failure or an OS crash,
//                          which gee does not promise to survive
//   foreign_keys=ON
//   busy timeout           DatabaseOptions::busy_timeout_ms
//
// Errors: every SQLite failure becomes AwsError "InternalFailure" / 500 whose
// message names the operation and SQLite's error text (schema names at most,
// never bound values).
//
// Thread-safety: a Database, its Statements and Transactions are used by one
// thread at a time. The server holds mutex() for the whole of a request (so a
// request's transaction cannot interleave with another's); a Statement or
// Transaction must not outlive its Database.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace gee::store {

struct DatabaseOptions {
  // How long a statement waits for another connection's lock before failing
  // with SQLITE_BUSY. Default: 5000 ms.
  int busy_timeout_ms = 5000;
};

class Statement;
class Transaction;

class Database {
 public:
  // Opens (creating if missing) the database file at `path`. The caller sets
  // the file's permissions before calling (see store/data_dir.h).
  static Result<std::unique_ptr<Database>> Open(const std::filesystem::path& path,
                                                const DatabaseOptions& options = {});
  // A private in-memory database (ephemeral mode and unit tests).
  static Result<std::unique_ptr<Database>> OpenInMemory(
      const DatabaseOptions& options = {});

  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs one or more `;`-separated statements that return no rows needed by
  // the caller (DDL, PRAGMA, migration scripts). Do not put BEGIN/COMMIT in
  // `sql`: use Transaction.
  Status Execute(std::string_view sql);

  // Prepares `sql` (one statement), reusing a cached prepared statement for
  // the same text when it is not already in use. The returned Statement is
  // reset and unbound.
  Result<Statement> Prepare(std::string_view sql);

  // Rowid of the last successful INSERT on this connection.
  int64_t LastInsertRowId() const;
  // Rows changed by the last INSERT/UPDATE/DELETE.
  int64_t Changes() const;
  // True while a Transaction is open.
  bool InTransaction() const { return transaction_depth_ > 0; }
  // A counter that moves whenever rows may have changed other than through
  // the prepared statements of the code that owns them: every Execute (DDL,
  // migrations, the reset that drops every table) and every rollback of a
  // Transaction or savepoint (which undoes writes a cache may have seen).
  // A cache of table contents kept in memory is stale once it moves.
  uint64_t cache_epoch() const { return cache_epoch_; }
  // Number of cached prepared statements (for tests).
  size_t CachedStatementCount() const { return cache_.size(); }

  // The lock a caller holds while using this Database.
  std::mutex& mutex() { return mutex_; }

 private:
  friend class Statement;
  friend class Transaction;

  struct CachedStatement {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
  };

  explicit Database(sqlite3* db);
  static Result<std::unique_ptr<Database>> OpenWith(const std::string& uri,
                                                    bool in_memory,
                                                    const DatabaseOptions& options);
  // InternalFailure for the connection's last error.
  AwsError Error(std::string_view operation, int rc) const;
  // Execute without moving cache_epoch (transaction control).
  Status ExecuteControl(std::string_view sql);

  sqlite3* db_;
  std::unordered_map<std::string, CachedStatement> cache_;
  int transaction_depth_ = 0;
  uint64_t cache_epoch_ = 0;
  std::mutex mutex_;
};

// A prepared statement. Bind parameters (indexes are 1-based; names include
// their prefix, e.g. ":key_id"), Step through rows, read columns of the
// current row (indexes are 0-based). Destroying a Statement resets it and
// returns it to the cache. Move-only.
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  Status BindText(int index, std::string_view value);
  Status BindBlob(int index, std::string_view bytes);
  Status BindInt64(int index, int64_t value);
  Status BindNull(int index);
  Status BindText(std::string_view name, std::string_view value);
  Status BindBlob(std::string_view name, std::string_view bytes);
  Status BindInt64(std::string_view name, int64_t value);
  Status BindNull(std::string_view name);

  // Advances: true when a row is available, false when done.
  Result<bool> Step();
  // Steps to completion, discarding rows (INSERT/UPDATE/DELETE).
  Status Run();
  // Rewinds for another execution and clears the bindings.
  Status Reset();

  int ColumnCount() const;
  bool ColumnIsNull(int column) const;
  int64_t ColumnInt64(int column) const;
  std::string ColumnText(int column) const;
  std::string ColumnBlob(int column) const;
  // A view valid until the next Step, Reset or destruction.
  std::string_view ColumnBlobView(int column) const;

 private:
  friend class Database;
  // `entry` is the cache slot the statement is borrowed from, or null for a
  // private statement that is finalized on release.
  Statement(Database* db, sqlite3_stmt* stmt, Database::CachedStatement* entry);
  Result<int> ParameterIndex(std::string_view name) const;
  Status Check(int rc, std::string_view operation) const;
  void Release();

  Database* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  Database::CachedStatement* entry_ = nullptr;  // stable: unordered_map nodes
};

// A transaction on a Database. The outermost one runs BEGIN IMMEDIATE (the
// write lock is taken up front, so it cannot fail half-way with SQLITE_BUSY
// on upgrade); one begun while another is open is a SAVEPOINT, so a nested
// operation (an in-process KMS call inside an S3 request) is atomic on its
// own and can roll back without undoing its caller. Transactions must end in
// reverse order of beginning. A Transaction that is not committed rolls back
// when destroyed. Move-only.
class Transaction {
 public:
  static Result<Transaction> Begin(Database& db);

  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  // Makes the changes durable (outermost) or folds them into the enclosing
  // transaction (nested). On failure the transaction is still open and rolls
  // back on destruction.
  Status Commit();
  // Undoes the changes now.
  Status Rollback();

  bool nested() const { return depth_ > 1; }

 private:
  Transaction(Database* db, int depth) : db_(db), depth_(depth) {}
  Status End(bool commit);

  Database* db_;
  int depth_;  // 1 = outermost
  bool open_ = true;
};

}  // namespace gee::store
