// LogStore: SQLite persistence of CloudWatch Logs log groups, their tags,
// log streams, the data keys that protect stored events, and the sealed
// event batches (component "logs", store/migrations.h).
//
// Schema, version 1 (LogStore::Migrations()). Times Logs receives from
// clients (event timestamps) are INTEGER milliseconds (columns ending in
// _ms); times gee stamps (creation, ingestion) are INTEGER microseconds
// (columns ending in _us).
//
//   logs_groups      group_id INTEGER PK, account, region, name,
//                    UNIQUE(account, region, name), creation_us,
//                    kms_key_arn NULL (NULL: Logs default encryption),
//                    retention_days NULL (NULL: never expire),
//                    log_group_class ("STANDARD" | "INFREQUENT_ACCESS" | "DELIVERY"),
//                    deletion_protection 0/1, stored_bytes (sum of stored
//                    message bytes)
//   logs_group_tags  group_id FK, tag_key, tag_value; PK (group_id, tag_key)
//   logs_streams     stream_id INTEGER PK, group_id FK, name, UNIQUE(group_id, name),
//                    creation_us, first_event_ms NULL, last_event_ms NULL,
//                    last_ingestion_us NULL, upload_sequence (PutLogEvents count)
//   logs_data_keys   data_key_id INTEGER PK, group_id FK, kms_key_arn NULL
//                    (NULL: default scheme), key_ref (32 random hex digits,
//                    unique), wrapped BLOB (KMS ciphertext blob, or the data
//                    key sealed under the root key: services/logs/data_keys.h),
//                    created_us
//   logs_batches     batch_id INTEGER PK (increases with ingestion), stream_id FK,
//                    data_key_id FK, first_event_ms, last_event_ms, ingestion_us,
//                    event_count, sealed BLOB (services/logs/event_batch.h);
//                    INDEX (stream_id, first_event_ms)
//
// Deleting a group deletes its tags, streams, batches and data keys;
// deleting a stream deletes its batches. No column holds event text or key
// material in clear.
//
// "Not found" is not an error here: Find* return nullopt and the service
// answers AWS's own texts. SQLite failures are InternalFailure
// (store/database.h).
//
// Thread-safety: as store::Database: one thread at a time, under the store
// lock. Multi-statement writes run in a (nested) Transaction.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/database.h"
#include "store/migrations.h"

namespace gee::logs {

struct GroupRow {
  int64_t group_id = 0;
  std::string account;
  std::string region;
  std::string name;
  int64_t creation_us = 0;
  std::optional<std::string> kms_key_arn;
  std::optional<int64_t> retention_days;
  std::string log_group_class = "STANDARD";
  bool deletion_protection = false;
  int64_t stored_bytes = 0;

  // arn:aws:logs:REGION:ACCT:log-group:NAME
  std::string Arn() const;
};

struct StreamRow {
  int64_t stream_id = 0;
  int64_t group_id = 0;
  std::string name;
  int64_t creation_us = 0;
  std::optional<int64_t> first_event_ms;
  std::optional<int64_t> last_event_ms;
  std::optional<int64_t> last_ingestion_us;
  int64_t upload_sequence = 0;
};

struct DataKeyRow {
  int64_t data_key_id = 0;
  int64_t group_id = 0;
  std::optional<std::string> kms_key_arn;
  std::string key_ref;
  std::string wrapped;
  int64_t created_us = 0;
};

struct BatchRow {
  int64_t batch_id = 0;
  int64_t stream_id = 0;
  int64_t data_key_id = 0;
  int64_t first_event_ms = 0;
  int64_t last_event_ms = 0;
  int64_t ingestion_us = 0;
  int64_t event_count = 0;
  std::string sealed;
  // Filled by the listing functions: the stream's name.
  std::string stream_name;
};

// A time window over event timestamps, both ends inclusive.
struct TimeWindow {
  int64_t from_ms = INT64_MIN;
  int64_t to_ms = INT64_MAX;
};

class LogStore {
 public:
  explicit LogStore(store::Database& db) : db_(db) {}

  static std::vector<store::MigrationStep> Migrations();

  // ---- groups ----
  Result<std::optional<GroupRow>> FindGroup(std::string_view account, std::string_view region,
                                            std::string_view name);
  // Groups named `name` in any account and region (at-rest inspection).
  Result<std::vector<GroupRow>> FindGroupsNamed(std::string_view name);
  // Inserts `group` (group_id ignored); returns it with its id.
  Result<GroupRow> InsertGroup(GroupRow group);
  Status DeleteGroup(int64_t group_id);
  // Groups of account/region with name > `after` (all when empty), by name.
  Result<std::vector<GroupRow>> ListGroups(std::string_view account, std::string_view region,
                                           std::string_view after);
  Status SetKmsKey(int64_t group_id, const std::optional<std::string>& kms_key_arn);
  Status SetRetention(int64_t group_id, const std::optional<int64_t>& days);
  Status AddStoredBytes(int64_t group_id, int64_t bytes);

  // ---- tags ----
  Result<std::map<std::string, std::string>> Tags(int64_t group_id);
  Status PutTags(int64_t group_id, const std::map<std::string, std::string>& tags);
  Status RemoveTags(int64_t group_id, const std::vector<std::string>& keys);

  // ---- streams ----
  Result<std::optional<StreamRow>> FindStream(int64_t group_id, std::string_view name);
  Result<StreamRow> InsertStream(StreamRow stream);
  Status DeleteStream(int64_t stream_id);
  // Every stream of the group, by name.
  Result<std::vector<StreamRow>> ListStreams(int64_t group_id);
  // Records an accepted PutLogEvents: widens the event range, sets the last
  // ingestion time and counts the upload.
  Status RecordUpload(int64_t stream_id, int64_t first_event_ms, int64_t last_event_ms,
                      int64_t ingestion_us);

  // ---- data keys ----
  Result<DataKeyRow> InsertDataKey(DataKeyRow row);
  Result<std::optional<DataKeyRow>> FindDataKey(int64_t data_key_id);

  // ---- batches ----
  Result<BatchRow> InsertBatch(BatchRow row);
  // Batches of one stream whose event range meets `window`, by batch id.
  // Without `with_sealed` the rows leave `sealed` empty (metadata only).
  Result<std::vector<BatchRow>> StreamBatches(int64_t stream_id, const TimeWindow& window,
                                              bool with_sealed = true);
  // Batches of a whole group whose event range meets `window`, by batch id.
  Result<std::vector<BatchRow>> GroupBatches(int64_t group_id, const TimeWindow& window,
                                             bool with_sealed = true);
  // The sealed bytes of one batch (empty when it does not exist).
  Result<std::string> BatchSealed(int64_t batch_id);

 private:
  store::Database& db_;
};

}  // namespace gee::logs
