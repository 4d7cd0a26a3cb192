#include "services/logs/log_store.h"

#include "services/logs/arns.h"

namespace gee::logs {

namespace {

constexpr char kSchemaV1[] = R"sql(
CREATE TABLE logs_groups(
  group_id            INTEGER PRIMARY KEY,
  account             TEXT NOT NULL,
  region              TEXT NOT NULL,
  name                TEXT NOT NULL,
  creation_us         INTEGER NOT NULL,
  kms_key_arn         TEXT,
  retention_days      INTEGER,
  log_group_class     TEXT NOT NULL,
  deletion_protection INTEGER NOT NULL DEFAULT 0,
  stored_bytes        INTEGER NOT NULL DEFAULT 0,
  UNIQUE(account, region, name));
CREATE TABLE logs_group_tags(
  group_id  INTEGER NOT NULL REFERENCES logs_groups(group_id) ON DELETE CASCADE,
  tag_key   TEXT NOT NULL,
  tag_value TEXT NOT NULL,
  PRIMARY KEY(group_id, tag_key));
CREATE TABLE logs_streams(
  stream_id         INTEGER PRIMARY KEY,
  group_id          INTEGER NOT NULL REFERENCES logs_groups(group_id) ON DELETE CASCADE,
  name              TEXT NOT NULL,
  creation_us       INTEGER NOT NULL,
  first_event_ms    INTEGER,
  last_event_ms     INTEGER,
  last_ingestion_us INTEGER,
  upload_sequence   INTEGER NOT NULL DEFAULT 0,
  UNIQUE(group_id, name));
CREATE TABLE logs_data_keys(
  data_key_id INTEGER PRIMARY KEY,
  group_id    INTEGER NOT NULL REFERENCES logs_groups(group_id) ON DELETE CASCADE,
  kms_key_arn TEXT,
  key_ref     TEXT NOT NULL UNIQUE,
  wrapped     BLOB NOT NULL,
  created_us  INTEGER NOT NULL);
CREATE TABLE logs_batches(
  batch_id       INTEGER PRIMARY KEY,
  stream_id      INTEGER NOT NULL REFERENCES logs_streams(stream_id) ON DELETE CASCADE,
  data_key_id    INTEGER NOT NULL REFERENCES logs_data_keys(data_key_id),
  first_event_ms INTEGER NOT NULL,
  last_event_ms  INTEGER NOT NULL,
  ingestion_us   INTEGER NOT NULL,
  event_count    INTEGER NOT NULL,
  sealed         BLOB NOT NULL);
CREATE INDEX logs_batches_by_stream ON logs_batches(stream_id, first_event_ms);
)sql";

constexpr char kGroupColumns[] =
    "SELECT group_id, account, region, name, creation_us, kms_key_arn, retention_days, "
    "log_group_class, deletion_protection, stored_bytes FROM logs_groups ";

constexpr char kStreamColumns[] =
    "SELECT stream_id, group_id, name, creation_us, first_event_ms, last_event_ms, "
    "last_ingestion_us, upload_sequence FROM logs_streams ";

// Column 7 is the sealed blob, or an empty blob for metadata-only listings.
std::string BatchColumns(bool with_sealed) {
  return std::string(
             "SELECT b.batch_id, b.stream_id, b.data_key_id, b.first_event_ms, b.last_event_ms, "
             "b.ingestion_us, b.event_count, ") +
         (with_sealed ? "b.sealed" : "x''") +
         ", s.name FROM logs_batches b JOIN logs_streams s ON s.stream_id = b.stream_id ";
}

std::optional<int64_t> OptionalInt(const store::Statement& st, int column) {
  if (st.ColumnIsNull(column)) return std::nullopt;
  return st.ColumnInt64(column);
}

std::optional<std::string> OptionalText(const store::Statement& st, int column) {
  if (st.ColumnIsNull(column)) return std::nullopt;
  return st.ColumnText(column);
}

Status BindOptional(store::Statement& st, int index, const std::optional<int64_t>& v) {
  return v ? st.BindInt64(index, *v) : st.BindNull(index);
}

Status BindOptional(store::Statement& st, int index, const std::optional<std::string>& v) {
  return v ? st.BindText(index, *v) : st.BindNull(index);
}

GroupRow ReadGroup(const store::Statement& st) {
  GroupRow g;
  g.group_id = st.ColumnInt64(0);
  g.account = st.ColumnText(1);
  g.region = st.ColumnText(2);
  g.name = st.ColumnText(3);
  g.creation_us = st.ColumnInt64(4);
  g.kms_key_arn = OptionalText(st, 5);
  g.retention_days = OptionalInt(st, 6);
  g.log_group_class = st.ColumnText(7);
  g.deletion_protection = st.ColumnInt64(8) != 0;
  g.stored_bytes = st.ColumnInt64(9);
  return g;
}

StreamRow ReadStream(const store::Statement& st) {
  StreamRow s;
  s.stream_id = st.ColumnInt64(0);
  s.group_id = st.ColumnInt64(1);
  s.name = st.ColumnText(2);
  s.creation_us = st.ColumnInt64(3);
  s.first_event_ms = OptionalInt(st, 4);
  s.last_event_ms = OptionalInt(st, 5);
  s.last_ingestion_us = OptionalInt(st, 6);
  s.upload_sequence = st.ColumnInt64(7);
  return s;
}

BatchRow ReadBatch(const store::Statement& st) {
  BatchRow b;
  b.batch_id = st.ColumnInt64(0);
  b.stream_id = st.ColumnInt64(1);
  b.data_key_id = st.ColumnInt64(2);
  b.first_event_ms = st.ColumnInt64(3);
  b.last_event_ms = st.ColumnInt64(4);
  b.ingestion_us = st.ColumnInt64(5);
  b.event_count = st.ColumnInt64(6);
  b.sealed = st.ColumnBlob(7);
  b.stream_name = st.ColumnText(8);
  return b;
}

template <typename Row, typename Reader>
Result<std::vector<Row>> ReadAll(store::Statement& st, Reader read) {
  std::vector<Row> rows;
  while (true) {
    GEE_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    rows.push_back(read(st));
  }
  return rows;
}

}  // namespace

std::string GroupRow::Arn() const { return LogGroupArn(region, account, name); }

std::vector<store::MigrationStep> LogStore::Migrations() { return {{"logs", 1, kSchemaV1}}; }

// ---- groups ----

Result<std::optional<GroupRow>> LogStore::FindGroup(std::string_view account,
                                                    std::string_view region,
                                                    std::string_view name) {
  GEE_ASSIGN_OR_RETURN(store::Statement st,
                       db_.Prepare(std::string(kGroupColumns) +
                                   "WHERE account = ?1 AND region = ?2 AND name = ?3"));
  GEE_RETURN_IF_ERROR(st.BindText(1, account));
  GEE_RETURN_IF_ERROR(st.BindText(2, region));
  GEE_RETURN_IF_ERROR(st.BindText(3, name));
  GEE_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<GroupRow>();
  return std::optional<GroupRow>(ReadGroup(st));
}

Result<std::vector<GroupRow>> LogStore::FindGroupsNamed(std::string_view name) {
  GEE_ASSIGN_OR_RETURN(store::Statement st,
                       db_.Prepare(std::string(kGroupColumns) +
                                   "WHERE name = ?1 ORDER BY account, region"));
  GEE_RETURN_IF_ERROR(st.BindText(1, name));
  return ReadAll<GroupRow>(st, ReadGroup);
}

Result<GroupRow> LogStore::InsertGroup(GroupRow group) {
  GEE_ASSIGN_OR_RETURN(
      store::Statement st,
      db_.Prepare("INSERT INTO logs_groups(account, region, name, creation_us, kms_key_arn, "
                  "retention_days, log_group_class, deletion_protection, stored_bytes) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"));
  GEE_RETURN_IF_ERROR(st.BindText(1, group.account));
  GEE_RETURN_IF_ERROR(st.BindText(2, group.region));
  GEE_RETURN_IF_ERROR(st.BindText(3, group.name));
  GEE_RETURN_IF_ERROR(st.BindInt64(4, group.creation_us));
  GEE_RETURN_IF_ERROR(BindOptional(st, 5, group.kms_key_arn));
  GEE_RETURN_IF_ERROR(BindOptional(st, 6, group.retention_days));
  GEE_RETURN_IF_ERROR(st.BindText(7, group.log_group_class));
  GEE_RETURN_IF_ERROR(st.BindInt64(8, group.deletion_protection ? 1 : 0));
  GEE_RETURN_IF_ERROR(st.BindInt64(9, group.stored_bytes));
  GEE_RETURN_IF_ERROR(st.Run());
  group.group_id = db_.LastInsertRowId();
  return group;
}

Status LogStore::DeleteGroup(int64_t group_id) {
  GEE_ASSIGN_OR_RETURN(store::Transaction tx, store::Transaction::Begin(db_));
  // Children first: batches reference data keys without a cascade.
  const char* statements[] = {
      "DELETE FROM logs_batches WHERE stream_id IN "
      "(SELECT stream_id FROM logs_streams WHERE group_id = ?1)",
      "DELETE FROM logs_streams WHERE group_id = ?1",
      "DELETE FROM logs_data_keys WHERE group_id = ?1",
      "DELETE FROM logs_group_tags WHERE group_id = ?1",
      "DELETE FROM logs_groups WHERE group_id = ?1",
  };
  for (const char* sql : statements) {
    GEE_ASSIGN_OR_RETURN(store::Statement st, db_.Prepare(sql));
    GEE_RETURN_IF_ERROR(st.BindInt64(1, group_id));
    GEE_RETURN_IF_ERROR(st.Run());
  }
  return tx.Commit();
}

Result<std::vector<GroupRow>> LogStore::ListGroups(std::string_view account,
                                                   std::string_view region,
                                                   std::string_view after) {
  GEE_ASSIGN_OR_RETURN(
      store::Statement st,
      db_.Prepare(std::string(kGroupColumns) +
                  "WHERE account = ?1 AND region = ?2 AND name > ?3 ORDER BY name"));
  GEE_RETURN_IF_ERROR(st.BindText(1, account));
  GEE_RETURN_IF_ERROR(st.BindText(2, region));
  GEE_RETURN_IF_ERROR(st.BindText(3, after));
  return ReadAll<GroupRow>(st, ReadGroup);
}

Status LogStore::SetKmsKey(int64_t group_id, const std::optional<std::string>& kms_key_arn) {
  GEE_ASSIGN_OR_RETURN(store::Statement st,
                       db_.Prepare("UPDATE logs_groups SET kms_key_arn = ?2 WHERE group_id = ?1"));
  GEE_RETURN_IF_ERROR(st.BindInt64(1, group_id));
  GEE_RETURN_IF_ERROR(BindOptional(st, 2, kms_key_arn));
  return st.Run();
}

Status LogStore::SetRetention(int64_t group_id, const std::optional<int64_t>& days) {
  GEE_ASSIGN_OR_RETURN(
      store::Statement st,
      db_.Prepare("UPDATE logs_groups SET retention_days = ?2 WHERE group_id = ?1"));
  GEE_RETURN_IF_ERROR(st.BindInt64(1, group_id));
  GEE_RETURN_IF_ERROR(BindOptional(st, 2, days));
  return st.Run();
}

Status LogStore::AddStoredBytes(int64_t group_id, int64_t bytes) {
  GEE_ASSIGN_OR_RETURN(
      store::Statement st,
      db_.Prepare("UPDATE logs_groups SET stored_bytes = stored_bytes + ?2 WHERE group_id = ?1"));
  GEE_RETURN_IF_ERROR(st.BindInt64(1, group_id));
  GEE_RETURN_IF_ERROR(st.BindInt64(2, bytes));
  return st.Run();
}

// ---- tags ----

Result<std::map<std::string, std::string>> LogStore::Tags(int64_t group_id) {
  GEE_ASSIGN_OR_RETURN(
      store::Statement st,
      db_.Prepare("SELECT tag_key, tag_value FROM logs_group_tags WHERE group_id = ?1"));
  GEE_RETURN_IF_ERROR(st.BindInt64(1, group_id));
  std::map<std::string, std::string> tags;
  while (true) {
    GEE_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    tags[st.ColumnText(0)] = st.ColumnText(1);
  }
  return tags;
}

Status LogStore::PutTags(int64_t group_id, const std::map<std::string, std::string>& tags) {
  GEE_ASSIGN_OR_RETURN(store::Transaction tx, store::Transaction::Begin(db_));
  for (const auto& [key, value] : tags) {
    GEE_ASSIGN_OR_RETURN(
        store::Statement st,
        db_.Prepare("INSERT INTO logs_group_tags(group_id, tag_key, tag_value) VALUES (?1, ?2, ?3) "
                    "ON CONFLICT(group_id, tag_key) DO UPDATE SET tag_value = excluded.tag_value"));
    GEE_RETURN_IF_ERROR(st.BindInt64(1, group_id));
    GEE_RETURN_IF_ERROR(st.BindText(2, key));
    GEE_RETURN_IF_ERROR(st.BindText(3, value));
    GEE_RETURN_IF_ERROR(st.Run());
  }
  return tx.Commit();
}

Status LogStore::RemoveTags(int64_t group_id, const std::vector<std::string>& keys) {
  GEE_ASSIGN_OR_RETURN(store::Transaction tx, store::Transaction::Begin(db_));
  for (const std::string& key : keys) {
    GEE_ASSIGN_OR_RETURN(
        store::Statement st,
        db_.Prepare("DELETE FROM logs_group_tags WHERE group_id = ?1 AND tag_key = ?2"));
    GEE_RETURN_IF_ERROR(st.BindInt64(1, group_id));
    GEE_RETURN_IF_ERROR(st.BindText(2, key));
    GEE_RETURN_IF_ERROR(st.Run());
  }
  return tx.Commit();
}

// ---- streams ----

Result<std::optional<StreamRow>> LogStore::FindStream(int64_t group_id, std::string_view name) {
  GEE_ASSIGN_OR_RETURN(store::Statement st,
                       db_.Prepare(std::string(kStreamColumns) +
                                   "WHERE group_id = ?1 AND name = ?2"));
  GEE_RETURN_IF_ERROR(st.BindInt64(1, group_id));
  GEE_RETURN_IF_ERROR(st.BindText(2, name));
  GEE_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<StreamRow>();
  return std::optional<StreamRow>(ReadStream(st));
}

Result<StreamRow> LogStore::InsertStream(StreamRow stream) {
  GEE_ASSIGN_OR_RETURN(
      store::Statement st,
      db_.Prepare("INSERT INTO logs_streams(group_id, name, creation_us) VALUES (?1, ?2, ?3)"));
  GEE_RETURN_IF_ERROR(st.BindInt64(1, stream.group_id));
  GEE_RETURN_IF_ERROR(st.BindText(2, stream.name));
  GEE_RETURN_IF_ERROR(st.BindInt64(3, stream.creation_us));
  GEE_RETURN_IF_ERROR(st.Run());
  stream.stream_id = db_.LastInsertRowId();
  stream.first_event_ms.reset();
  stream.last_event_ms.reset();
  stream.last_ingestion_us.reset();
  stream.upload_sequence = 0;
  return stream;
}

Status LogStore::DeleteStream(int64_t stream_id) {
  GEE_ASSIGN_OR_RETURN(store::Transaction tx, store::Transaction::Begin(db_));
  const char* statements[] = {
      "DELETE FROM logs_batches WHERE stream_id = ?1",
      "DELETE FROM logs_streams WHERE stream_id = ?1",
  };
  for (const char* sql : statements) {
    GEE_ASSIGN_OR_RETURN(store::Statement st, db_.Prepare(sql));
    GEE_RETURN_IF_ERROR(st.BindInt64(1, stream_id));
    GEE_RETURN_IF_ERROR(st.Run());
  }
  return tx.Commit();
}

Result<std::vector<StreamRow>> LogStore::ListStreams(int64_t group_id) {
  GEE_ASSIGN_OR_RETURN(store::Statement st,
                       db_.Prepare(std::string(kStreamColumns) +
                                   "WHERE group_id = ?1 ORDER BY name"));
  GEE_RETURN_IF_ERROR(st.BindInt64(1, group_id));
  return ReadAll<StreamRow>(st, ReadStream);
}

Status LogStore::RecordUpload(int64_t stream_id, int64_t first_event_ms, int64_t last_event_ms,
                              int64_t ingestion_us) {
  GEE_ASSIGN_OR_RETURN(
      store::Statement st,
      db_.Prepare("UPDATE logs_streams SET "
                  "first_event_ms = CASE WHEN first_event_ms IS NULL OR first_event_ms > ?2 "
                  "THEN ?2 ELSE first_event_ms END, "
                  "last_event_ms = CASE WHEN last_event_ms IS NULL OR last_event_ms < ?3 "
                  "THEN ?3 ELSE last_event_ms END, "
                  "last_ingestion_us = ?4, upload_sequence = upload_sequence + 1 "
                  "WHERE stream_id = ?1"));
  GEE_RETURN_IF_ERROR(st.BindInt64(1, stream_id));
  GEE_RETURN_IF_ERROR(st.BindInt64(2, first_event_ms));
  GEE_RETURN_IF_ERROR(st.BindInt64(3, last_event_ms));
  GEE_RETURN_IF_ERROR(st.BindInt64(4, ingestion_us));
  return st.Run();
}

// ---- data keys ----

Result<DataKeyRow> LogStore::InsertDataKey(DataKeyRow row) {
  GEE_ASSIGN_OR_RETURN(
      store::Statement st,
      db_.Prepare("INSERT INTO logs_data_keys(group_id, kms_key_arn, key_ref, wrapped, "
                  "created_us) VALUES (?1, ?2, ?3, ?4, ?5)"));
  GEE_RETURN_IF_ERROR(st.BindInt64(1, row.group_id));
  GEE_RETURN_IF_ERROR(BindOptional(st, 2, row.kms_key_arn));
  GEE_RETURN_IF_ERROR(st.BindText(3, row.key_ref));
  GEE_RETURN_IF_ERROR(st.BindBlob(4, row.wrapped));
  GEE_RETURN_IF_ERROR(st.BindInt64(5, row.created_us));
  GEE_RETURN_IF_ERROR(st.Run());
  row.data_key_id = db_.LastInsertRowId();
  return row;
}

Result<std::optional<DataKeyRow>> LogStore::FindDataKey(int64_t data_key_id) {
  GEE_ASSIGN_OR_RETURN(
      store::Statement st,
      db_.Prepare("SELECT data_key_id, group_id, kms_key_arn, key_ref, wrapped, created_us "
                  "FROM logs_data_keys WHERE data_key_id = ?1"));
  GEE_RETURN_IF_ERROR(st.BindInt64(1, data_key_id));
  GEE_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<DataKeyRow>();
  DataKeyRow k;
  k.data_key_id = st.ColumnInt64(0);
  k.group_id = st.ColumnInt64(1);
  k.kms_key_arn = OptionalText(st, 2);
  k.key_ref = st.ColumnText(3);
  k.wrapped = st.ColumnBlob(4);
  k.created_us = st.ColumnInt64(5);
  return std::optional<DataKeyRow>(std::move(k));
}

// ---- batches ----

Result<BatchRow> LogStore::InsertBatch(BatchRow row) {
  GEE_ASSIGN_OR_RETURN(
      store::Statement st,
      db_.Prepare("INSERT INTO logs_batches(stream_id, data_key_id, first_event_ms, "
                  "last_event_ms, ingestion_us, event_count, sealed) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
  GEE_RETURN_IF_ERROR(st.BindInt64(1, row.stream_id));
  GEE_RETURN_IF_ERROR(st.BindInt64(2, row.data_key_id));
  GEE_RETURN_IF_ERROR(st.BindInt64(3, row.first_event_ms));
  GEE_RETURN_IF_ERROR(st.BindInt64(4, row.last_event_ms));
  GEE_RETURN_IF_ERROR(st.BindInt64(5, row.ingestion_us));
  GEE_RETURN_IF_ERROR(st.BindInt64(6, row.event_count));
  GEE_RETURN_IF_ERROR(st.BindBlob(7, row.sealed));
  GEE_RETURN_IF_ERROR(st.Run());
  row.batch_id = db_.LastInsertRowId();
  return row;
}

Result<std::vector<BatchRow>> LogStore::StreamBatches(int64_t stream_id,
                                                      const TimeWindow& window,
                                                      bool with_sealed) {
  GEE_ASSIGN_OR_RETURN(
      store::Statement st,
      db_.Prepare(BatchColumns(with_sealed) +
                  "WHERE b.stream_id = ?1 AND b.last_event_ms >= ?2 AND b.first_event_ms <= ?3 "
                  "ORDER BY b.batch_id"));
  GEE_RETURN_IF_ERROR(st.BindInt64(1, stream_id));
  GEE_RETURN_IF_ERROR(st.BindInt64(2, window.from_ms));
  GEE_RETURN_IF_ERROR(st.BindInt64(3, window.to_ms));
  return ReadAll<BatchRow>(st, ReadBatch);
}

Result<std::vector<BatchRow>> LogStore::GroupBatches(int64_t group_id, const TimeWindow& window,
                                                     bool with_sealed) {
  GEE_ASSIGN_OR_RETURN(
      store::Statement st,
      db_.Prepare(BatchColumns(with_sealed) +
                  "WHERE s.group_id = ?1 AND b.last_event_ms >= ?2 AND b.first_event_ms <= ?3 "
                  "ORDER BY b.batch_id"));
  GEE_RETURN_IF_ERROR(st.BindInt64(1, group_id));
  GEE_RETURN_IF_ERROR(st.BindInt64(2, window.from_ms));
  GEE_RETURN_IF_ERROR(st.BindInt64(3, window.to_ms));
  return ReadAll<BatchRow>(st, ReadBatch);
}

Result<std::string> LogStore::BatchSealed(int64_t batch_id) {
  GEE_ASSIGN_OR_RETURN(store::Statement st,
                       db_.Prepare("SELECT sealed FROM logs_batches WHERE batch_id = ?1"));
  GEE_RETURN_IF_ERROR(st.BindInt64(1, batch_id));
  GEE_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::string();
  return st.ColumnBlob(0);
}

}  // namespace gee::logs
