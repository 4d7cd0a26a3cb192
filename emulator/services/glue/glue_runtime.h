// The emulated Glue runtime's plumbing (DESIGN.md "Emulated Glue runtime"):
//
//   RunQueue             one worker thread that executes job runs and crawls
//                        off the request path, in submission order. Each task
//                        takes the store lock per step (through the in-process
//                        service calls it makes), never for the whole run.
//   JobBookmarkInspector the at-rest inspection of job bookmarks
//                        (kind "job-bookmark", id "job-name").
//   Storage of jobs, job runs, bookmarks and crawlers (schema below).
//
// Storage (component "glue", migration 2):
//
//   CREATE TABLE glue_jobs(            -- one row per job
//     account, region, name TEXT, created_micros INTEGER,
//     job TEXT,                        -- the Job structure as GetJob returns it
//     PRIMARY KEY(account, region, name));
//   CREATE TABLE glue_job_runs(        -- one row per run
//     account, region, job_name, run_id TEXT, seq INTEGER (start order),
//     state TEXT,                      -- JobRunState, for concurrency checks
//     run TEXT,                        -- the JobRun structure as GetJobRun returns it
//     PRIMARY KEY(account, region, job_name, run_id));
//   CREATE TABLE glue_job_bookmarks(   -- one row per job with a bookmark
//     account, region, job_name TEXT, version, run, attempt INTEGER,
//     run_id, previous_run_id TEXT,
//     scheme TEXT,                     -- "CSE-KMS" or "root-key"
//     key_arn TEXT,                    -- CSE-KMS: the bookmark key ARN
//     state BLOB,                      -- CSE-KMS: KMS ciphertext blob of the
//                                      -- bookmark JSON; root-key: sealed by the
//                                      -- RootKeyring (label "glue-bookmark:ACCT:REGION:JOB")
//     PRIMARY KEY(account, region, job_name));
//   CREATE TABLE glue_crawlers(        -- one row per crawler
//     account, region, name TEXT,
//     crawler TEXT,                    -- the Crawler structure + "Metrics"
//     PRIMARY KEY(account, region, name));
//
// The bookmark JSON (before encryption) is
//   {"processed": ["s3://bucket/key", ...]}
// the object keys the job has consumed so far.
//
// Thread-safety: RunQueue is thread-safe. JobBookmarkInspector::Inspect is
// called with the store mutex held.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/inspection.h"
#include "core/result.h"

namespace gee {
class Environment;
}

namespace gee::glue {

class RunQueue {
 public:
  using Task = std::function<void()>;
  RunQueue() = default;
  ~RunQueue();
  RunQueue(const RunQueue&) = delete;
  RunQueue& operator=(const RunQueue&) = delete;

  // Queues `task`; starts the worker thread on first use (and after Stop).
  void Submit(Task task);
  // Blocks until no task is queued or running. Tests and the benchmark call
  // this instead of sleeping.
  void WaitIdle();
  // Finishes the queued tasks, then joins the worker (Emulator::Stop).
  void Stop();
  // Drops queued tasks and waits for the running one (Emulator::Reset, which
  // then wipes the state the dropped tasks would have touched).
  void Discard();
  // While held, the worker starts no new task (tests observe STARTING runs).
  void Hold(bool hold);

 private:
  void Loop();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  std::deque<Task> tasks_;
  bool running_task_ = false;
  bool stopping_ = false;
  bool held_ = false;
  std::thread worker_;
};

class JobBookmarkInspector final : public AtRestInspector {
 public:
  explicit JobBookmarkInspector(Environment& env) : env_(env) {}
  std::vector<std::string> Kinds() const override { return {"job-bookmark"}; }
  Result<std::vector<AtRestRecord>> Inspect(std::string_view kind, std::string_view id,
                                            std::string_view probe) override;

 private:
  Environment& env_;
};

// Rows of the tables above (account, region, name as the primary key).
// Documents are the JSON structures named in the schema.
Result<std::optional<nlohmann::json>> LoadDocument(Environment& env, std::string_view table,
                                                   const std::string& account,
                                                   const std::string& region,
                                                   const std::string& name);
// Inserts or replaces the row (glue_jobs: `created_micros` is kept on replace).
Status StoreDocument(Environment& env, std::string_view table, const std::string& account,
                     const std::string& region, const std::string& name,
                     const nlohmann::json& document, int64_t created_micros = 0);
Status DeleteDocument(Environment& env, std::string_view table, const std::string& account,
                      const std::string& region, const std::string& name);
// Documents of `table` in name order after `after` (at most `limit`), as (name, doc).
Result<std::vector<std::pair<std::string, nlohmann::json>>> ListDocuments(
    Environment& env, std::string_view table, const std::string& account,
    const std::string& region, const std::string& after, size_t limit);

struct StoredRun {
  nlohmann::json run;  // JobRun
  std::string state;
};
Result<std::optional<nlohmann::json>> LoadRun(Environment& env, const std::string& account,
                                              const std::string& region,
                                              const std::string& job_name,
                                              const std::string& run_id);
// Inserts (new run) or replaces the run; the state column follows run.JobRunState.
Status StoreRun(Environment& env, const std::string& account, const std::string& region,
                const std::string& job_name, const nlohmann::json& run);
// Runs of a job, newest first.
Result<std::vector<nlohmann::json>> ListRuns(Environment& env, const std::string& account,
                                             const std::string& region,
                                             const std::string& job_name);
// Number of runs of a job in STARTING, RUNNING, STOPPING or WAITING.
Result<int64_t> ActiveRuns(Environment& env, const std::string& account,
                           const std::string& region, const std::string& job_name);

struct StoredBookmark {
  int64_t version = 0;
  int64_t run = 0;
  int64_t attempt = 0;
  std::string run_id;
  std::string previous_run_id;
  std::string scheme;  // "CSE-KMS" or "root-key"
  std::string key_arn;
  std::string state;   // ciphertext / sealed bytes
};
Result<std::optional<StoredBookmark>> LoadBookmark(Environment& env, const std::string& account,
                                                   const std::string& region,
                                                   const std::string& job_name);
Status StoreBookmark(Environment& env, const std::string& account, const std::string& region,
                     const std::string& job_name, const StoredBookmark& bookmark);
Status DeleteBookmark(Environment& env, const std::string& account, const std::string& region,
                      const std::string& job_name);
// The RootKeyring label of a root-key sealed bookmark.
std::string BookmarkLabel(const std::string& account, const std::string& region,
                          const std::string& job_name);

// SQL of the glue migration step 2 (see above).
extern const char kJobsSchema[];

// "s3://bucket/key/part" → {"bucket", "key/part"}; false when not an s3 URI.
bool ParseS3Uri(std::string_view uri, std::string* bucket, std::string* key);

// The role name of a Role parameter (name or ARN: the part after the last '/').
std::string RoleNameOf(const std::string& role);

// Columns inferred from one object's text: CSV with a header line, or JSON
// lines (one object per line). Each column is {"Name", "Type"} with Hive
// types (bigint, double, boolean, string). `classification` is set to
// "csv" or "json"; false when nothing can be inferred.
bool InferColumns(std::string_view text, std::vector<std::pair<std::string, std::string>>* columns,
                  std::string* classification);

// Rows of a CSV (header line) or JSON-lines text, as JSON objects.
std::vector<nlohmann::json> ReadRows(std::string_view text);

}  // namespace gee::glue
