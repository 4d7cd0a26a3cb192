#include "services/glue/glue_runtime.h"

#include <cstdlib>

#include "core/environment.h"
#include "store/database.h"
#include "store/root_key.h"

namespace gee::glue {

const char kJobsSchema[] =
    "CREATE TABLE glue_jobs("
    "  account TEXT NOT NULL,"
    "  region TEXT NOT NULL,"
    "  name TEXT NOT NULL,"
    "  created_micros INTEGER NOT NULL,"
    "  job TEXT NOT NULL,"
    "  PRIMARY KEY(account, region, name));"
    "CREATE TABLE glue_job_runs("
    "  account TEXT NOT NULL,"
    "  region TEXT NOT NULL,"
    "  job_name TEXT NOT NULL,"
    "  run_id TEXT NOT NULL,"
    "  seq INTEGER NOT NULL,"
    "  state TEXT NOT NULL,"
    "  run TEXT NOT NULL,"
    "  PRIMARY KEY(account, region, job_name, run_id));"
    "CREATE TABLE glue_job_bookmarks("
    "  account TEXT NOT NULL,"
    "  region TEXT NOT NULL,"
    "  job_name TEXT NOT NULL,"
    "  version INTEGER NOT NULL,"
    "  run INTEGER NOT NULL,"
    "  attempt INTEGER NOT NULL,"
    "  run_id TEXT NOT NULL,"
    "  previous_run_id TEXT NOT NULL,"
    "  scheme TEXT NOT NULL,"
    "  key_arn TEXT NOT NULL,"
    "  state BLOB NOT NULL,"
    "  PRIMARY KEY(account, region, job_name));"
    "CREATE TABLE glue_crawlers("
    "  account TEXT NOT NULL,"
    "  region TEXT NOT NULL,"
    "  name TEXT NOT NULL,"
    "  crawler TEXT NOT NULL,"
    "  PRIMARY KEY(account, region, name));";

// ---------------------------------------------------------------------------
// RunQueue

RunQueue::~RunQueue() { Stop(); }

void RunQueue::Submit(Task task) {
  std::lock_guard<std::mutex> lock(mutex_);
  tasks_.push_back(std::move(task));
  if (!worker_.joinable()) {
    stopping_ = false;
    worker_ = std::thread([this] { Loop(); });
  }
  wake_.notify_all();
}

void RunQueue::Loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return stopping_ || (!held_ && !tasks_.empty()); });
    if (tasks_.empty() || held_) {
      if (stopping_) return;
      continue;
    }
    Task task = std::move(tasks_.front());
    tasks_.pop_front();
    running_task_ = true;
    lock.unlock();
    task();
    lock.lock();
    running_task_ = false;
    if (tasks_.empty()) idle_.notify_all();
  }
}

void RunQueue::WaitIdle() {
  std::unique_lock<std::mutex> lock(mutex_);
  idle_.wait(lock, [this] { return (tasks_.empty() || held_) && !running_task_; });
}

void RunQueue::Stop() {
  std::thread worker;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    held_ = false;
    stopping_ = true;
    wake_.notify_all();
    worker = std::move(worker_);
  }
  if (worker.joinable()) worker.join();
  std::lock_guard<std::mutex> lock(mutex_);
  tasks_.clear();
  idle_.notify_all();
}

void RunQueue::Discard() {
  std::unique_lock<std::mutex> lock(mutex_);
  tasks_.clear();
  idle_.wait(lock, [this] { return !running_task_; });
}

void RunQueue::Hold(bool hold) {
  std::lock_guard<std::mutex> lock(mutex_);
  held_ = hold;
  wake_.notify_all();
  idle_.notify_all();
}

// ---------------------------------------------------------------------------
// JobBookmarkInspector

Result<std::vector<AtRestRecord>> JobBookmarkInspector::Inspect(std::string_view kind,
                                                                std::string_view id,
                                                                std::string_view probe) {
  GEE_ASSIGN_OR_RETURN(auto st, env_.db().Prepare(
      "SELECT scheme, key_arn, state, account, region FROM glue_job_bookmarks WHERE job_name = ?1"
      " ORDER BY account, region"));
  GEE_RETURN_IF_ERROR(st.BindText(1, id));
  std::vector<AtRestRecord> records;
  while (true) {
    GEE_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    AtRestRecord record;
    record.kind = std::string(kind);
    record.id = std::string(id);
    record.part = "bookmark " + st.ColumnText(3) + "/" + st.ColumnText(4);
    record.scheme = st.ColumnText(0);
    record.protected_by =
        record.scheme == "CSE-KMS" ? st.ColumnText(1) : std::string("gee root key");
    std::string_view stored = st.ColumnBlobView(2);
    record.stored_bytes = stored.size();
    record.probe_found = !probe.empty() && stored.find(probe) != std::string_view::npos;
    records.push_back(std::move(record));
  }
  if (records.empty()) {
    return AwsError("EntityNotFoundException",
                    "No job bookmark stored for job " + std::string(id), 400);
  }
  return records;
}


// ---------------------------------------------------------------------------
// Rows

namespace {

Result<nlohmann::json> ParseStored(const std::string& text, std::string_view what) {
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return AwsError("InternalFailure", "stored Glue " + std::string(what) + " is unreadable", 500);
  }
  return doc;
}

// Binds ?1 ?2 ?3 to the primary key of a row (account, region, name).
Status BindRow(store::Statement& st, const std::string& account, const std::string& region,
               const std::string& name) {
  GEE_RETURN_IF_ERROR(st.BindText(1, account));
  GEE_RETURN_IF_ERROR(st.BindText(2, region));
  return st.BindText(3, name);
}

// Only the fixed table names of this file are ever interpolated.
std::string DocColumn(std::string_view table) {
  if (table == "glue_jobs") return "job";
  return "crawler";
}

}  // namespace

Result<std::optional<nlohmann::json>> LoadDocument(Environment& env, std::string_view table,
                                                   const std::string& account,
                                                   const std::string& region,
                                                   const std::string& name) {
  GEE_ASSIGN_OR_RETURN(auto st, env.db().Prepare(
      "SELECT " + DocColumn(table) + " FROM " + std::string(table) +
      " WHERE account = ?1 AND region = ?2 AND name = ?3"));
  GEE_RETURN_IF_ERROR(BindRow(st, account, region, name));
  GEE_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<nlohmann::json>();
  GEE_ASSIGN_OR_RETURN(nlohmann::json doc, ParseStored(st.ColumnText(0), table));
  return std::optional<nlohmann::json>(std::move(doc));
}

Status StoreDocument(Environment& env, std::string_view table, const std::string& account,
                     const std::string& region, const std::string& name,
                     const nlohmann::json& document, int64_t created_micros) {
  std::string sql = table == "glue_jobs"
      ? "INSERT INTO glue_jobs(account, region, name, created_micros, job) VALUES(?1, ?2, ?3, ?5, ?4)"
        " ON CONFLICT(account, region, name) DO UPDATE SET job = excluded.job"
      : "INSERT INTO glue_crawlers(account, region, name, crawler) VALUES(?1, ?2, ?3, ?4)"
        " ON CONFLICT(account, region, name) DO UPDATE SET crawler = excluded.crawler";
  GEE_ASSIGN_OR_RETURN(auto st, env.db().Prepare(sql));
  GEE_RETURN_IF_ERROR(BindRow(st, account, region, name));
  GEE_RETURN_IF_ERROR(st.BindText(4, document.dump()));
  if (table == "glue_jobs") GEE_RETURN_IF_ERROR(st.BindInt64(5, created_micros));
  return st.Run();
}

Status DeleteDocument(Environment& env, std::string_view table, const std::string& account,
                      const std::string& region, const std::string& name) {
  GEE_ASSIGN_OR_RETURN(auto st, env.db().Prepare(
      "DELETE FROM " + std::string(table) + " WHERE account = ?1 AND region = ?2 AND name = ?3"));
  GEE_RETURN_IF_ERROR(BindRow(st, account, region, name));
  return st.Run();
}

Result<std::vector<std::pair<std::string, nlohmann::json>>> ListDocuments(
    Environment& env, std::string_view table, const std::string& account,
    const std::string& region, const std::string& after, size_t limit) {
  GEE_ASSIGN_OR_RETURN(auto st, env.db().Prepare(
      "SELECT name, " + DocColumn(table) + " FROM " + std::string(table) +
      " WHERE account = ?1 AND region = ?2 AND name > ?3 ORDER BY name LIMIT ?4"));
  GEE_RETURN_IF_ERROR(BindRow(st, account, region, after));
  GEE_RETURN_IF_ERROR(st.BindInt64(4, static_cast<int64_t>(limit)));
  std::vector<std::pair<std::string, nlohmann::json>> out;
  while (true) {
    GEE_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    GEE_ASSIGN_OR_RETURN(nlohmann::json doc, ParseStored(st.ColumnText(1), table));
    out.emplace_back(st.ColumnText(0), std::move(doc));
  }
  return out;
}

Result<std::optional<nlohmann::json>> LoadRun(Environment& env, const std::string& account,
                                              const std::string& region,
                                              const std::string& job_name,
                                              const std::string& run_id) {
  GEE_ASSIGN_OR_RETURN(auto st, env.db().Prepare(
      "SELECT run FROM glue_job_runs WHERE account = ?1 AND region = ?2 AND job_name = ?3"
      " AND run_id = ?4"));
  GEE_RETURN_IF_ERROR(BindRow(st, account, region, job_name));
  GEE_RETURN_IF_ERROR(st.BindText(4, run_id));
  GEE_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<nlohmann::json>();
  GEE_ASSIGN_OR_RETURN(nlohmann::json doc, ParseStored(st.ColumnText(0), "job run"));
  return std::optional<nlohmann::json>(std::move(doc));
}

Status StoreRun(Environment& env, const std::string& account, const std::string& region,
                const std::string& job_name, const nlohmann::json& run) {
  GEE_ASSIGN_OR_RETURN(auto st, env.db().Prepare(
      "INSERT INTO glue_job_runs(account, region, job_name, run_id, seq, state, run)"
      " VALUES(?1, ?2, ?3, ?4, (SELECT IFNULL(MAX(seq), 0) + 1 FROM glue_job_runs), ?5, ?6)"
      " ON CONFLICT(account, region, job_name, run_id) DO UPDATE SET state = excluded.state,"
      " run = excluded.run"));
  GEE_RETURN_IF_ERROR(BindRow(st, account, region, job_name));
  GEE_RETURN_IF_ERROR(st.BindText(4, run.value("Id", "")));
  GEE_RETURN_IF_ERROR(st.BindText(5, run.value("JobRunState", "")));
  GEE_RETURN_IF_ERROR(st.BindText(6, run.dump()));
  return st.Run();
}

Result<std::vector<nlohmann::json>> ListRuns(Environment& env, const std::string& account,
                                             const std::string& region,
                                             const std::string& job_name) {
  GEE_ASSIGN_OR_RETURN(auto st, env.db().Prepare(
      "SELECT run FROM glue_job_runs WHERE account = ?1 AND region = ?2 AND job_name = ?3"
      " ORDER BY seq DESC"));
  GEE_RETURN_IF_ERROR(BindRow(st, account, region, job_name));
  std::vector<nlohmann::json> out;
  while (true) {
    GEE_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    GEE_ASSIGN_OR_RETURN(nlohmann::json doc, ParseStored(st.ColumnText(0), "job run"));
    out.push_back(std::move(doc));
  }
  return out;
}

Result<int64_t> ActiveRuns(Environment& env, const std::string& account,
                           const std::string& region, const std::string& job_name) {
  GEE_ASSIGN_OR_RETURN(auto st, env.db().Prepare(
      "SELECT COUNT(*) FROM glue_job_runs WHERE account = ?1 AND region = ?2 AND job_name = ?3"
      " AND state IN ('STARTING', 'RUNNING', 'STOPPING', 'WAITING')"));
  GEE_RETURN_IF_ERROR(BindRow(st, account, region, job_name));
  GEE_ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.ColumnInt64(0) : 0;
}

Result<std::optional<StoredBookmark>> LoadBookmark(Environment& env, const std::string& account,
                                                   const std::string& region,
                                                   const std::string& job_name) {
  GEE_ASSIGN_OR_RETURN(auto st, env.db().Prepare(
      "SELECT version, run, attempt, run_id, previous_run_id, scheme, key_arn, state"
      " FROM glue_job_bookmarks WHERE account = ?1 AND region = ?2 AND job_name = ?3"));
  GEE_RETURN_IF_ERROR(BindRow(st, account, region, job_name));
  GEE_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<StoredBookmark>();
  StoredBookmark b;
  b.version = st.ColumnInt64(0);
  b.run = st.ColumnInt64(1);
  b.attempt = st.ColumnInt64(2);
  b.run_id = st.ColumnText(3);
  b.previous_run_id = st.ColumnText(4);
  b.scheme = st.ColumnText(5);
  b.key_arn = st.ColumnText(6);
  b.state = st.ColumnBlob(7);
  return std::optional<StoredBookmark>(std::move(b));
}

Status StoreBookmark(Environment& env, const std::string& account, const std::string& region,
                     const std::string& job_name, const StoredBookmark& b) {
  GEE_ASSIGN_OR_RETURN(auto st, env.db().Prepare(
      "INSERT OR REPLACE INTO glue_job_bookmarks(account, region, job_name, version, run, attempt,"
      " run_id, previous_run_id, scheme, key_arn, state)"
      " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"));
  GEE_RETURN_IF_ERROR(BindRow(st, account, region, job_name));
  GEE_RETURN_IF_ERROR(st.BindInt64(4, b.version));
  GEE_RETURN_IF_ERROR(st.BindInt64(5, b.run));
  GEE_RETURN_IF_ERROR(st.BindInt64(6, b.attempt));
  GEE_RETURN_IF_ERROR(st.BindText(7, b.run_id));
  GEE_RETURN_IF_ERROR(st.BindText(8, b.previous_run_id));
  GEE_RETURN_IF_ERROR(st.BindText(9, b.scheme));
  GEE_RETURN_IF_ERROR(st.BindText(10, b.key_arn));
  GEE_RETURN_IF_ERROR(st.BindBlob(11, b.state));
  return st.Run();
}

Status DeleteBookmark(Environment& env, const std::string& account, const std::string& region,
                      const std::string& job_name) {
  GEE_ASSIGN_OR_RETURN(auto st, env.db().Prepare(
      "DELETE FROM glue_job_bookmarks WHERE account = ?1 AND region = ?2 AND job_name = ?3"));
  GEE_RETURN_IF_ERROR(BindRow(st, account, region, job_name));
  return st.Run();
}

std::string BookmarkLabel(const std::string& account, const std::string& region,
                          const std::string& job_name) {
  return store::SecretLabel("glue-bookmark", {account, region, job_name});
}

// ---------------------------------------------------------------------------
// S3 URIs and schema inference

bool ParseS3Uri(std::string_view uri, std::string* bucket, std::string* key) {
  constexpr std::string_view kScheme = "s3://";
  if (uri.substr(0, kScheme.size()) != kScheme) return false;
  uri.remove_prefix(kScheme.size());
  size_t slash = uri.find('/');
  *bucket = std::string(uri.substr(0, slash));
  *key = slash == std::string_view::npos ? "" : std::string(uri.substr(slash + 1));
  return !bucket->empty();
}

std::string RoleNameOf(const std::string& role) {
  size_t slash = role.rfind('/');
  return slash == std::string::npos ? role : role.substr(slash + 1);
}

namespace {

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty()) lines.push_back(line);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return lines;
}

// One CSV line split on commas, honouring double quotes.
std::vector<std::string> SplitCsv(std::string_view line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back().push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back().push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else {
      fields.back().push_back(c);
    }
  }
  return fields;
}

bool IsJsonLines(const std::vector<std::string_view>& lines) {
  return !lines.empty() && lines.front().find_first_not_of(" \t") != std::string_view::npos &&
         lines.front()[lines.front().find_first_not_of(" \t")] == '{';
}

std::string TypeOfText(const std::string& v) {
  if (v.empty()) return "string";
  char* end = nullptr;
  std::strtoll(v.c_str(), &end, 10);
  if (*end == '\0') return "bigint";
  std::strtod(v.c_str(), &end);
  if (*end == '\0') return "double";
  if (v == "true" || v == "false") return "boolean";
  return "string";
}

std::string TypeOfJson(const nlohmann::json& v) {
  if (v.is_boolean()) return "boolean";
  if (v.is_number_integer()) return "bigint";
  if (v.is_number()) return "double";
  if (v.is_array()) return "array<string>";
  if (v.is_object()) return "struct<>";
  return "string";
}

// Widens `type` with an observed `seen` type (bigint < double < string).
std::string Widen(const std::string& type, const std::string& seen) {
  if (type.empty() || type == seen) return seen;
  if ((type == "bigint" && seen == "double") || (type == "double" && seen == "bigint")) {
    return "double";
  }
  return "string";
}

}  // namespace

std::vector<nlohmann::json> ReadRows(std::string_view text) {
  std::vector<nlohmann::json> rows;
  std::vector<std::string_view> lines = Lines(text);
  if (lines.empty()) return rows;
  if (IsJsonLines(lines)) {
    for (std::string_view line : lines) {
      nlohmann::json row = nlohmann::json::parse(line, nullptr, false);
      if (!row.is_discarded() && row.is_object()) rows.push_back(std::move(row));
    }
    return rows;
  }
  std::vector<std::string> header = SplitCsv(lines.front());
  for (size_t i = 1; i < lines.size(); ++i) {
    std::vector<std::string> fields = SplitCsv(lines[i]);
    nlohmann::json row = nlohmann::json::object();
    for (size_t c = 0; c < header.size(); ++c) {
      row[header[c]] = c < fields.size() ? fields[c] : "";
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

bool InferColumns(std::string_view text, std::vector<std::pair<std::string, std::string>>* columns,
                  std::string* classification) {
  std::vector<std::string_view> lines = Lines(text);
  if (lines.empty()) return false;
  auto add = [columns](const std::string& name, const std::string& type) {
    for (auto& [n, t] : *columns) {
      if (n == name) {
        t = Widen(t, type);
        return;
      }
    }
    columns->emplace_back(name, type);
  };
  if (IsJsonLines(lines)) {
    *classification = "json";
    for (std::string_view line : lines) {
      nlohmann::json row = nlohmann::json::parse(line, nullptr, false);
      if (row.is_discarded() || !row.is_object()) continue;
      for (auto it = row.begin(); it != row.end(); ++it) add(it.key(), TypeOfJson(it.value()));
    }
    return !columns->empty();
  }
  *classification = "csv";
  std::vector<std::string> header = SplitCsv(lines.front());
  std::vector<std::string> types(header.size());
  for (size_t i = 1; i < lines.size(); ++i) {
    std::vector<std::string> fields = SplitCsv(lines[i]);
    for (size_t c = 0; c < header.size() && c < fields.size(); ++c) {
      types[c] = Widen(types[c], TypeOfText(fields[c]));
    }
  }
  for (size_t c = 0; c < header.size(); ++c) {
    std::string name;
    for (char ch : header[c]) {
      name.push_back(ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch);
    }
    add(name, types[c].empty() ? "string" : types[c]);
  }
  return !columns->empty();
}

}  // namespace gee::glue
