#include "store/database.h"

#include <sqlite3.h>

#include <utility>

namespace gee::store {
namespace {

AwsError StorageError(std::string_view operation, std::string_view detail) {
  std::string message = "Storage failure: ";
  message.append(operation);
  if (!detail.empty()) {
    message.append(": ");
    message.append(detail);
  }
  return AwsError("InternalFailure", std::move(message), 500);
}

}  // namespace

// ---- Database ----

Database::Database(sqlite3* db) : db_(db) {}

Database::~Database() {
  for (auto& [sql, entry] : cache_) sqlite3_finalize(entry.stmt);
  cache_.clear();
  // Every statement is finalized, so close cannot report SQLITE_BUSY.
  sqlite3_close(db_);
}

AwsError Database::Error(std::string_view operation, int rc) const {
  std::string detail = sqlite3_errstr(rc);
  // Add the connection's message when it describes this failure.
  if (db_ != nullptr && (sqlite3_extended_errcode(db_) & 0xff) == (rc & 0xff)) {
    const char* text = sqlite3_errmsg(db_);
    if (text != nullptr && detail != text) {
      detail.append(" (");
      detail.append(text);
      detail.append(")");
    }
  }
  return StorageError(operation, detail);
}

Result<std::unique_ptr<Database>> Database::OpenWith(const std::string& name,
                                                     bool in_memory,
                                                     const DatabaseOptions& options) {
  sqlite3* raw = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(name.c_str(), &raw, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string detail = sqlite3_errstr(rc);
    sqlite3_close(raw);  // a handle is returned even on failure
    return StorageError("opening the database", detail);
  }
  std::unique_ptr<Database> db(new Database(raw));
  if (sqlite3_extended_result_codes(raw, 1) != SQLITE_OK) {
    return StorageError("enabling extended result codes", "");
  }
  if (int r = sqlite3_busy_timeout(raw, options.busy_timeout_ms); r != SQLITE_OK) {
    return db->Error("setting the busy timeout", r);
  }
  if (!in_memory) {
    // journal_mode returns the mode actually in force; insist on WAL.
    GEE_ASSIGN_OR_RETURN(Statement wal, db->Prepare("PRAGMA journal_mode=WAL"));
    GEE_ASSIGN_OR_RETURN(bool has_row, wal.Step());
    if (!has_row || wal.ColumnText(0) != "wal") {
      return StorageError("enabling WAL journal mode", "SQLite refused WAL");
    }
  }
  GEE_RETURN_IF_ERROR(db->Execute("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"));
  GEE_ASSIGN_OR_RETURN(Statement fk, db->Prepare("PRAGMA foreign_keys"));
  GEE_ASSIGN_OR_RETURN(bool fk_row, fk.Step());
  if (!fk_row || fk.ColumnInt64(0) != 1) {
    return StorageError("enabling foreign keys", "SQLite refused foreign_keys=ON");
  }
  return db;
}

Result<std::unique_ptr<Database>> Database::Open(const std::filesystem::path& path,
                                                 const DatabaseOptions& options) {
  return OpenWith(path.string(), false, options);
}

Result<std::unique_ptr<Database>> Database::OpenInMemory(
    const DatabaseOptions& options) {
  return OpenWith(":memory:", true, options);
}

Status Database::Execute(std::string_view sql) {
  ++cache_epoch_;
  return ExecuteControl(sql);
}

Status Database::ExecuteControl(std::string_view sql) {
  const std::string text(sql);
  char* error = nullptr;
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    std::string detail = sqlite3_errstr(rc);
    if (error != nullptr) {
      detail.append(" (");
      detail.append(error);
      detail.append(")");
    }
    sqlite3_free(error);
    return StorageError("executing SQL", detail);
  }
  return OkStatus();
}

Result<Statement> Database::Prepare(std::string_view sql) {
  auto it = cache_.find(std::string(sql));
  if (it != cache_.end() && !it->second.in_use) {
    it->second.in_use = true;
    return Statement(this, it->second.stmt, &it->second);
  }
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return Error("preparing a statement", rc);
  }
  if (stmt == nullptr) return StorageError("preparing a statement", "empty SQL");
  if (tail != nullptr && std::string_view(tail).find_first_not_of(" \t\r\n;") !=
                             std::string_view::npos) {
    sqlite3_finalize(stmt);
    return StorageError("preparing a statement", "more than one statement");
  }
  if (it == cache_.end()) {
    auto [slot, inserted] = cache_.emplace(std::string(sql), CachedStatement{stmt, true});
    return Statement(this, stmt, &slot->second);
  }
  // The cached copy is busy (a statement used re-entrantly): use a private one.
  return Statement(this, stmt, nullptr);
}

int64_t Database::LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }

int64_t Database::Changes() const { return sqlite3_changes64(db_); }

// ---- Statement ----

Statement::Statement(Database* db, sqlite3_stmt* stmt,
                     Database::CachedStatement* entry)
    : db_(db), stmt_(stmt), entry_(entry) {}

Statement::Statement(Statement&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      stmt_(std::exchange(other.stmt_, nullptr)),
      entry_(std::exchange(other.entry_, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    Release();
    db_ = std::exchange(other.db_, nullptr);
    stmt_ = std::exchange(other.stmt_, nullptr);
    entry_ = std::exchange(other.entry_, nullptr);
  }
  return *this;
}

Statement::~Statement() { Release(); }

void Statement::Release() {
  if (stmt_ == nullptr) return;
  if (entry_ != nullptr) {
    // Errors from reset repeat the last step's error, already reported.
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    entry_->in_use = false;
    entry_ = nullptr;
  } else {
    sqlite3_finalize(stmt_);
  }
  stmt_ = nullptr;
  db_ = nullptr;
}

Status Statement::Check(int rc, std::string_view operation) const {
  if (rc == SQLITE_OK) return OkStatus();
  return db_->Error(operation, rc);
}

Result<int> Statement::ParameterIndex(std::string_view name) const {
  const int index = sqlite3_bind_parameter_index(stmt_, std::string(name).c_str());
  if (index == 0) {
    return StorageError("binding a parameter",
                        "no parameter named " + std::string(name));
  }
  return index;
}

Status Statement::BindText(int index, std::string_view value) {
  return Check(sqlite3_bind_text64(stmt_, index, value.data(), value.size(),
                                   SQLITE_TRANSIENT, SQLITE_UTF8),
               "binding text");
}

Status Statement::BindBlob(int index, std::string_view bytes) {
  // A zero-length blob is bound as an empty blob, not NULL.
  static const char kEmpty = 0;
  return Check(sqlite3_bind_blob64(stmt_, index,
                                   bytes.empty() ? &kEmpty : bytes.data(),
                                   bytes.size(), SQLITE_TRANSIENT),
               "binding a blob");
}

Status Statement::BindInt64(int index, int64_t value) {
  return Check(sqlite3_bind_int64(stmt_, index, value), "binding an integer");
}

Status Statement::BindNull(int index) {
  return Check(sqlite3_bind_null(stmt_, index), "binding null");
}

Status Statement::BindText(std::string_view name, std::string_view value) {
  GEE_ASSIGN_OR_RETURN(int index, ParameterIndex(name));
  return BindText(index, value);
}

Status Statement::BindBlob(std::string_view name, std::string_view bytes) {
  GEE_ASSIGN_OR_RETURN(int index, ParameterIndex(name));
  return BindBlob(index, bytes);
}

Status Statement::BindInt64(std::string_view name, int64_t value) {
  GEE_ASSIGN_OR_RETURN(int index, ParameterIndex(name));
  return BindInt64(index, value);
}

Status Statement::BindNull(std::string_view name) {
  GEE_ASSIGN_OR_RETURN(int index, ParameterIndex(name));
  return BindNull(index);
}

Result<bool> Statement::Step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return db_->Error("executing a statement", rc);
}

Status Statement::Run() {
  while (true) {
    GEE_ASSIGN_OR_RETURN(bool row, Step());
    if (!row) return OkStatus();
  }
}

Status Statement::Reset() {
  const int rc = sqlite3_reset(stmt_);
  if (sqlite3_clear_bindings(stmt_) != SQLITE_OK) {
    return StorageError("clearing bindings", "");
  }
  return Check(rc, "resetting a statement");
}

int Statement::ColumnCount() const { return sqlite3_column_count(stmt_); }

bool Statement::ColumnIsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

int64_t Statement::ColumnInt64(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::string Statement::ColumnText(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::string Statement::ColumnBlob(int column) const {
  return std::string(ColumnBlobView(column));
}

std::string_view Statement::ColumnBlobView(int column) const {
  const void* blob = sqlite3_column_blob(stmt_, column);
  if (blob == nullptr) return {};
  return {static_cast<const char*>(blob),
          static_cast<size_t>(sqlite3_column_bytes(stmt_, column))};
}

// ---- Transaction ----

Result<Transaction> Transaction::Begin(Database& db) {
  const int depth = db.transaction_depth_ + 1;
  if (depth == 1) {
    GEE_RETURN_IF_ERROR(db.ExecuteControl("BEGIN IMMEDIATE"));
  } else {
    GEE_RETURN_IF_ERROR(db.ExecuteControl("SAVEPOINT gee_sp_" + std::to_string(depth)));
  }
  db.transaction_depth_ = depth;
  return Transaction(&db, depth);
}

Transaction::Transaction(Transaction&& other) noexcept
    : db_(other.db_), depth_(other.depth_), open_(std::exchange(other.open_, false)) {}

Transaction::~Transaction() {
  if (!open_) return;
  // Nothing to report to: if the rollback fails, still close our level so the
  // Database does not believe a transaction is open forever.
  if (!End(false).ok() && db_->transaction_depth_ == depth_) {
    db_->transaction_depth_ = depth_ - 1;
  }
}

Status Transaction::Commit() { return End(true); }

Status Transaction::Rollback() { return End(false); }

Status Transaction::End(bool commit) {
  if (!open_) return StorageError("ending a transaction", "already ended");
  if (db_->transaction_depth_ != depth_) {
    return StorageError("ending a transaction", "inner transaction still open");
  }
  const std::string savepoint = "gee_sp_" + std::to_string(depth_);
  // Whatever happens below, rows a cache read inside this transaction may be
  // undone (even a failed ROLLBACK may have undone some).
  if (!commit) ++db_->cache_epoch_;
  if (depth_ == 1) {
    if (commit) {
      // A failed COMMIT (e.g. SQLITE_BUSY) leaves the transaction open.
      GEE_RETURN_IF_ERROR(db_->ExecuteControl("COMMIT"));
    } else if (sqlite3_get_autocommit(db_->db_) == 0) {
      // SQLite may already have rolled back on its own (I/O error, full disk).
      GEE_RETURN_IF_ERROR(db_->ExecuteControl("ROLLBACK"));
    }
  } else if (commit) {
    GEE_RETURN_IF_ERROR(db_->ExecuteControl("RELEASE SAVEPOINT " + savepoint));
  } else {
    GEE_RETURN_IF_ERROR(db_->ExecuteControl("ROLLBACK TO SAVEPOINT " + savepoint +
                                            "; RELEASE SAVEPOINT " + savepoint));
  }
  open_ = false;
  db_->transaction_depth_ = depth_ - 1;
  return OkStatus();
}

}  // namespace gee::store
