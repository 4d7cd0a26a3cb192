#include "services/s3/object_store.h"

#include <algorithm>

namespace gee::s3 {
namespace {

constexpr char kSchemaV1[] = R"sql(
CREATE TABLE s3_buckets(
  name TEXT PRIMARY KEY,
  account TEXT NOT NULL,
  region TEXT NOT NULL,
  created_micros INTEGER NOT NULL,
  policy TEXT,
  encryption TEXT
);
CREATE TABLE s3_sse_keys(
  id TEXT PRIMARY KEY,
  sealed BLOB NOT NULL,
  created_micros INTEGER NOT NULL
);
CREATE TABLE s3_blobs(
  id INTEGER PRIMARY KEY,
  state INTEGER NOT NULL,
  segment_size INTEGER NOT NULL,
  plaintext_size INTEGER NOT NULL DEFAULT 0,
  header BLOB,
  created_micros INTEGER NOT NULL
);
CREATE INDEX s3_blobs_state ON s3_blobs(state);
CREATE TABLE s3_segments(
  blob_id INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY(blob_id, idx)
);
CREATE TABLE s3_objects(
  id INTEGER PRIMARY KEY,
  bucket TEXT NOT NULL,
  key TEXT NOT NULL,
  size INTEGER NOT NULL,
  etag TEXT NOT NULL,
  last_modified_micros INTEGER NOT NULL,
  owner TEXT NOT NULL,
  metadata TEXT NOT NULL,
  sse_algorithm TEXT NOT NULL,
  kms_key_arn TEXT NOT NULL,
  bucket_key INTEGER NOT NULL,
  sse_context_header TEXT NOT NULL,
  kms_context TEXT NOT NULL,
  wrapped_key BLOB NOT NULL,
  sse_s3_key_id TEXT NOT NULL,
  checksum_algorithm TEXT NOT NULL,
  checksum_value TEXT NOT NULL,
  parts_count INTEGER NOT NULL,
  upload_id TEXT NOT NULL,
  UNIQUE(bucket, key)
);
CREATE TABLE s3_object_pieces(
  object_id INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  blob_id INTEGER NOT NULL,
  part_number INTEGER NOT NULL,
  size INTEGER NOT NULL,
  PRIMARY KEY(object_id, seq)
);
CREATE TABLE s3_uploads(
  upload_id TEXT PRIMARY KEY,
  bucket TEXT NOT NULL,
  key TEXT NOT NULL,
  initiated_micros INTEGER NOT NULL,
  initiator_arn TEXT NOT NULL,
  initiator_id TEXT NOT NULL,
  owner TEXT NOT NULL,
  metadata TEXT NOT NULL,
  sse_algorithm TEXT NOT NULL,
  kms_key_arn TEXT NOT NULL,
  bucket_key INTEGER NOT NULL,
  sse_context_header TEXT NOT NULL,
  kms_context TEXT NOT NULL,
  wrapped_key BLOB NOT NULL,
  sse_s3_key_id TEXT NOT NULL,
  sse_header TEXT,
  sse_key_header TEXT,
  checksum_algorithm TEXT NOT NULL
);
CREATE INDEX s3_uploads_bucket ON s3_uploads(bucket, key, upload_id);
CREATE TABLE s3_parts(
  upload_id TEXT NOT NULL,
  part_number INTEGER NOT NULL,
  blob_id INTEGER NOT NULL,
  size INTEGER NOT NULL,
  etag TEXT NOT NULL,
  last_modified_micros INTEGER NOT NULL,
  checksum_value TEXT NOT NULL,
  PRIMARY KEY(upload_id, part_number)
);
)sql";

constexpr char kObjectColumns[] =
    "id, bucket, key, size, etag, last_modified_micros, owner, metadata, sse_algorithm, "
    "kms_key_arn, bucket_key, sse_context_header, kms_context, wrapped_key, sse_s3_key_id, "
    "checksum_algorithm, checksum_value, parts_count, upload_id";

constexpr char kUploadColumns[] =
    "upload_id, bucket, key, initiated_micros, initiator_arn, initiator_id, owner, metadata, "
    "sse_algorithm, kms_key_arn, bucket_key, sse_context_header, kms_context, wrapped_key, "
    "sse_s3_key_id, sse_header, sse_key_header, checksum_algorithm";

// The smallest string greater than every string starting with `prefix`, or
// nullopt when none exists (empty prefix, or all 0xFF bytes).
std::optional<std::string> PrefixSuccessor(std::string_view prefix) {
  std::string s(prefix);
  while (!s.empty() && static_cast<unsigned char>(s.back()) == 0xFF) s.pop_back();
  if (s.empty()) return std::nullopt;
  s.back() = static_cast<char>(static_cast<unsigned char>(s.back()) + 1);
  return s;
}

BucketRecord ReadBucket(store::Statement& st) {
  BucketRecord b;
  b.name = st.ColumnText(0);
  b.account = st.ColumnText(1);
  b.region = st.ColumnText(2);
  b.created_micros = st.ColumnInt64(3);
  if (!st.ColumnIsNull(4)) b.policy = st.ColumnText(4);
  if (!st.ColumnIsNull(5)) b.encryption = st.ColumnText(5);
  return b;
}

// Reads the SSE columns starting at `first` (algorithm, key arn, bucket key,
// context header, kms context, wrapped key, sse-s3 key id).
StoredSse ReadSse(store::Statement& st, int first) {
  StoredSse s;
  s.algorithm = st.ColumnText(first);
  s.kms_key_arn = st.ColumnText(first + 1);
  s.bucket_key = st.ColumnInt64(first + 2) != 0;
  s.context_header = st.ColumnText(first + 3);
  s.kms_context = st.ColumnText(first + 4);
  s.wrapped_key = st.ColumnBlob(first + 5);
  s.sse_s3_key_id = st.ColumnText(first + 6);
  return s;
}

Status BindSse(store::Statement& st, int first, const StoredSse& s) {
  GEE_RETURN_IF_ERROR(st.BindText(first, s.algorithm));
  GEE_RETURN_IF_ERROR(st.BindText(first + 1, s.kms_key_arn));
  GEE_RETURN_IF_ERROR(st.BindInt64(first + 2, s.bucket_key ? 1 : 0));
  GEE_RETURN_IF_ERROR(st.BindText(first + 3, s.context_header));
  GEE_RETURN_IF_ERROR(st.BindText(first + 4, s.kms_context));
  GEE_RETURN_IF_ERROR(st.BindBlob(first + 5, s.wrapped_key));
  return st.BindText(first + 6, s.sse_s3_key_id);
}

ObjectRecord ReadObject(store::Statement& st) {
  ObjectRecord o;
  o.id = st.ColumnInt64(0);
  o.bucket = st.ColumnText(1);
  o.key = st.ColumnText(2);
  o.size = static_cast<uint64_t>(st.ColumnInt64(3));
  o.etag = st.ColumnText(4);
  o.last_modified_micros = st.ColumnInt64(5);
  o.owner = st.ColumnText(6);
  o.metadata = st.ColumnText(7);
  o.sse = ReadSse(st, 8);
  o.checksum_algorithm = st.ColumnText(15);
  o.checksum_value = st.ColumnText(16);
  o.parts_count = static_cast<int>(st.ColumnInt64(17));
  o.upload_id = st.ColumnText(18);
  return o;
}

UploadRecord ReadUpload(store::Statement& st) {
  UploadRecord u;
  u.upload_id = st.ColumnText(0);
  u.bucket = st.ColumnText(1);
  u.key = st.ColumnText(2);
  u.initiated_micros = st.ColumnInt64(3);
  u.initiator_arn = st.ColumnText(4);
  u.initiator_id = st.ColumnText(5);
  u.owner = st.ColumnText(6);
  u.metadata = st.ColumnText(7);
  u.sse = ReadSse(st, 8);
  u.sse_header_present = !st.ColumnIsNull(15);
  u.sse_header = u.sse_header_present ? st.ColumnText(15) : "";
  u.sse_key_header_present = !st.ColumnIsNull(16);
  u.sse_key_header = u.sse_key_header_present ? st.ColumnText(16) : "";
  u.checksum_algorithm = st.ColumnText(17);
  return u;
}

void AppendLengthPrefixed(std::string& out, std::string_view part) {
  uint32_t n = static_cast<uint32_t>(part.size());
  for (int i = 3; i >= 0; --i) out.push_back(static_cast<char>((n >> (8 * i)) & 0xFF));
  out.append(part);
}

}  // namespace

std::string PieceAad(std::string_view bucket, std::string_view key, std::string_view upload_id,
                     int part_number) {
  std::string aad = "gee-s3-piece-v1";
  AppendLengthPrefixed(aad, bucket);
  AppendLengthPrefixed(aad, key);
  AppendLengthPrefixed(aad, upload_id);
  AppendLengthPrefixed(aad, std::to_string(part_number));
  return aad;
}

std::vector<store::MigrationStep> ObjectStore::Migrations() {
  return {store::MigrationStep{"s3", 1, kSchemaV1}};
}

// ---- buckets ----

Result<std::optional<BucketRecord>> ObjectStore::FindBucket(std::string_view name) {
  GEE_ASSIGN_OR_RETURN(auto st, db_.Prepare("SELECT name, account, region, created_micros, policy, "
                                            "encryption FROM s3_buckets WHERE name = ?1"));
  GEE_RETURN_IF_ERROR(st.BindText(1, name));
  GEE_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<BucketRecord>();
  return std::optional<BucketRecord>(ReadBucket(st));
}

Status ObjectStore::InsertBucket(const BucketRecord& b) {
  GEE_ASSIGN_OR_RETURN(auto st, db_.Prepare("INSERT INTO s3_buckets(name, account, region, "
                                            "created_micros, policy, encryption) "
                                            "VALUES(?1, ?2, ?3, ?4, NULL, NULL)"));
  GEE_RETURN_IF_ERROR(st.BindText(1, b.name));
  GEE_RETURN_IF_ERROR(st.BindText(2, b.account));
  GEE_RETURN_IF_ERROR(st.BindText(3, b.region));
  GEE_RETURN_IF_ERROR(st.BindInt64(4, b.created_micros));
  return st.Run();
}

Result<std::vector<BucketRecord>> ObjectStore::ListBuckets(std::string_view account) {
  GEE_ASSIGN_OR_RETURN(auto st, db_.Prepare("SELECT name, account, region, created_micros, policy, "
                                            "encryption FROM s3_buckets WHERE account = ?1 "
                                            "ORDER BY name"));
  GEE_RETURN_IF_ERROR(st.BindText(1, account));
  std::vector<BucketRecord> out;
  while (true) {
    GEE_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back(ReadBucket(st));
  }
  return out;
}

Result<bool> ObjectStore::BucketHasObjects(std::string_view name) {
  GEE_ASSIGN_OR_RETURN(auto st, db_.Prepare("SELECT 1 FROM s3_objects WHERE bucket = ?1 LIMIT 1"));
  GEE_RETURN_IF_ERROR(st.BindText(1, name));
  return st.Step();
}

Result<std::vector<int64_t>> ObjectStore::DeleteBucket(std::string_view name) {
  std::vector<int64_t> garbage;
  std::vector<std::string> uploads;
  {
    GEE_ASSIGN_OR_RETURN(auto st, db_.Prepare("SELECT upload_id FROM s3_uploads WHERE bucket = ?1"));
    GEE_RETURN_IF_ERROR(st.BindText(1, name));
    while (true) {
      GEE_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      uploads.push_back(st.ColumnText(0));
    }
  }
  for (const std::string& id : uploads) {
    GEE_ASSIGN_OR_RETURN(std::vector<int64_t> blobs, DeleteUpload(id));
    garbage.insert(garbage.end(), blobs.begin(), blobs.end());
  }
  GEE_ASSIGN_OR_RETURN(auto st, db_.Prepare("DELETE FROM s3_buckets WHERE name = ?1"));
  GEE_RETURN_IF_ERROR(st.BindText(1, name));
  GEE_RETURN_IF_ERROR(st.Run());
  return garbage;
}

Status ObjectStore::SetBucketPolicy(std::string_view name, const std::optional<std::string>& policy) {
  GEE_ASSIGN_OR_RETURN(auto st, db_.Prepare("UPDATE s3_buckets SET policy = ?2 WHERE name = ?1"));
  GEE_RETURN_IF_ERROR(st.BindText(1, name));
  GEE_RETURN_IF_ERROR(policy ? st.BindText(2, *policy) : st.BindNull(2));
  return st.Run();
}

Status ObjectStore::SetBucketEncryption(std::string_view name,
                                        const std::optional<std::string>& rule) {
  GEE_ASSIGN_OR_RETURN(auto st, db_.Prepare("UPDATE s3_buckets SET encryption = ?2 WHERE name = ?1"));
  GEE_RETURN_IF_ERROR(st.BindText(1, name));
  GEE_RETURN_IF_ERROR(rule ? st.BindText(2, *rule) : st.BindNull(2));
  return st.Run();
}

// ---- objects ----

Result<std::optional<ObjectRecord>> ObjectStore::FindObject(std::string_view bucket,
                                                            std::string_view key) {
  ObjectRecord object;
  {
    GEE_ASSIGN_OR_RETURN(auto st, db_.Prepare(std::string("SELECT ") + kObjectColumns +
                                              " FROM s3_objects WHERE bucket = ?1 AND key = ?2"));
    GEE_RETURN_IF_ERROR(st.BindText(1, bucket));
    GEE_RETURN_IF_ERROR(st.BindText(2, key));
    GEE_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return std::optional<ObjectRecord>();
    object = ReadObject(st);
  }
  GEE_ASSIGN_OR_RETURN(auto st, db_.Prepare("SELECT blob_id, part_number, size FROM s3_object_pieces "
                                            "WHERE object_id = ?1 ORDER BY seq"));
  GEE_RETURN_IF_ERROR(st.BindInt64(1, object.id));
  while (true) {
    GEE_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    object.pieces.push_back(Piece{st.ColumnInt64(0), static_cast<int>(st.ColumnInt64(1)),
                                  static_cast<uint64_t>(st.ColumnInt64(2))});
  }
  return std::optional<ObjectRecord>(std::move(object));
}

Result<std::vector<int64_t>> ObjectStore::ReplaceObject(const ObjectRecord& o) {
  GEE_ASSIGN_OR_RETURN(std::vector<int64_t> garbage, DeleteObject(o.bucket, o.key));
  {
    GEE_ASSIGN_OR_RETURN(
        auto st,
        db_.Prepare(std::string("INSERT INTO s3_objects(") + kObjectColumns +
                    ") VALUES(NULL, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
                    "?15, ?16, ?17, ?18)"));
    GEE_RETURN_IF_ERROR(st.BindText(1, o.bucket));
    GEE_RETURN_IF_ERROR(st.BindText(2, o.key));
    GEE_RETURN_IF_ERROR(st.BindInt64(3, static_cast<int64_t>(o.size)));
    GEE_RETURN_IF_ERROR(st.BindText(4, o.etag));
    GEE_RETURN_IF_ERROR(st.BindInt64(5, o.last_modified_micros));
    GEE_RETURN_IF_ERROR(st.BindText(6, o.owner));
    GEE_RETURN_IF_ERROR(st.BindText(7, o.metadata));
    GEE_RETURN_IF_ERROR(BindSse(st, 8, o.sse));
    GEE_RETURN_IF_ERROR(st.BindText(15, o.checksum_algorithm));
    GEE_RETURN_IF_ERROR(st.BindText(16, o.checksum_value));
    GEE_RETURN_IF_ERROR(st.BindInt64(17, o.parts_count));
    GEE_RETURN_IF_ERROR(st.BindText(18, o.upload_id));
    GEE_RETURN_IF_ERROR(st.Run());
  }
  const int64_t object_id = db_.LastInsertRowId();
  int64_t seq = 0;
  for (const Piece& p : o.pieces) {
    GEE_ASSIGN_OR_RETURN(auto st, db_.Prepare("INSERT INTO s3_object_pieces(object_id, seq, blob_id, "
                                              "part_number, size) VALUES(?1, ?2, ?3, ?4, ?5)"));
    GEE_RETURN_IF_ERROR(st.BindInt64(1, object_id));
    GEE_RETURN_IF_ERROR(st.BindInt64(2, seq++));
    GEE_RETURN_IF_ERROR(st.BindInt64(3, p.blob_id));
    GEE_RETURN_IF_ERROR(st.BindInt64(4, p.part_number));
    GEE_RETURN_IF_ERROR(st.BindInt64(5, static_cast<int64_t>(p.size)));
    GEE_RETURN_IF_ERROR(st.Run());
    GEE_RETURN_IF_ERROR(SetBlobState(p.blob_id, BlobState::kLive));
  }
  return garbage;
}

Result<std::vector<int64_t>> ObjectStore::DeleteObject(std::string_view bucket, std::string_view key) {
  std::vector<int64_t> garbage;
  int64_t object_id = 0;
  {
    GEE_ASSIGN_OR_RETURN(auto st,
                         db_.Prepare("SELECT id FROM s3_objects WHERE bucket = ?1 AND key = ?2"));
    GEE_RETURN_IF_ERROR(st.BindText(1, bucket));
    GEE_RETURN_IF_ERROR(st.BindText(2, key));
    GEE_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return garbage;
    object_id = st.ColumnInt64(0);
  }
  {
    GEE_ASSIGN_OR_RETURN(auto st,
                         db_.Prepare("SELECT blob_id FROM s3_object_pieces WHERE object_id = ?1"));
    GEE_RETURN_IF_ERROR(st.BindInt64(1, object_id));
    while (true) {
      GEE_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      garbage.push_back(st.ColumnInt64(0));
    }
  }
  {
    GEE_ASSIGN_OR_RETURN(auto st, db_.Prepare("DELETE FROM s3_object_pieces WHERE object_id = ?1"));
    GEE_RETURN_IF_ERROR(st.BindInt64(1, object_id));
    GEE_RETURN_IF_ERROR(st.Run());
  }
  {
    GEE_ASSIGN_OR_RETURN(auto st, db_.Prepare("DELETE FROM s3_objects WHERE id = ?1"));
    GEE_RETURN_IF_ERROR(st.BindInt64(1, object_id));
    GEE_RETURN_IF_ERROR(st.Run());
  }
  GEE_RETURN_IF_ERROR(MarkGarbage(garbage));
  return garbage;
}

Result<std::vector<ObjectSummary>> ObjectStore::ScanObjects(std::string_view bucket,
                                                            std::string_view prefix,
                                                            std::string_view bound, bool inclusive,
                                                            size_t limit) {
  // Lower bound: the larger of the prefix (inclusive) and the caller's bound.
  std::string lower(prefix);
  bool lower_inclusive = true;
  if (bound > std::string_view(lower) || (bound == lower && !inclusive)) {
    lower = std::string(bound);
    lower_inclusive = inclusive;
  }
  std::optional<std::string> upper = PrefixSuccessor(prefix);
  std::string sql = "SELECT key, size, etag, last_modified_micros, owner, checksum_algorithm "
                    "FROM s3_objects WHERE bucket = ?1 AND key ";
  sql += lower_inclusive ? ">= ?2" : "> ?2";
  if (upper) sql += " AND key < ?3";
  sql += " ORDER BY key LIMIT ?4";
  GEE_ASSIGN_OR_RETURN(auto st, db_.Prepare(sql));
  GEE_RETURN_IF_ERROR(st.BindText(1, bucket));
  GEE_RETURN_IF_ERROR(st.BindText(2, lower));
  if (upper) GEE_RETURN_IF_ERROR(st.BindText(3, *upper));
  GEE_RETURN_IF_ERROR(st.BindInt64(4, static_cast<int64_t>(limit)));
  std::vector<ObjectSummary> out;
  while (true) {
    GEE_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    ObjectSummary s;
    s.key = st.ColumnText(0);
    s.size = static_cast<uint64_t>(st.ColumnInt64(1));
    s.etag = st.ColumnText(2);
    s.last_modified_micros = st.ColumnInt64(3);
    s.owner = st.ColumnText(4);
    s.checksum_algorithm = st.ColumnText(5);
    out.push_back(std::move(s));
  }
  return out;
}

// ---- blobs ----

Result<int64_t> ObjectStore::CreateBlob(uint32_t segment_size, int64_t now_micros) {
  GEE_ASSIGN_OR_RETURN(auto st, db_.Prepare("INSERT INTO s3_blobs(state, segment_size, plaintext_size, "
                                            "header, created_micros) VALUES(0, ?1, 0, NULL, ?2)"));
  GEE_RETURN_IF_ERROR(st.BindInt64(1, segment_size));
  GEE_RETURN_IF_ERROR(st.BindInt64(2, now_micros));
  GEE_RETURN_IF_ERROR(st.Run());
  return db_.LastInsertRowId();
}

Status ObjectStore::WriteSegment(int64_t blob_id, uint64_t index, std::string_view data) {
  GEE_ASSIGN_OR_RETURN(auto st, db_.Prepare("INSERT INTO s3_segments(blob_id, idx, data) "
                                            "VALUES(?1, ?2, ?3)"));
  GEE_RETURN_IF_ERROR(st.BindInt64(1, blob_id));
  GEE_RETURN_IF_ERROR(st.BindInt64(2, static_cast<int64_t>(index)));
  GEE_RETURN_IF_ERROR(st.BindBlob(3, data));
  return st.Run();
}

Status ObjectStore::FinishBlob(int64_t blob_id, std::string_view header, uint64_t plaintext_size) {
  GEE_ASSIGN_OR_RETURN(auto st, db_.Prepare("UPDATE s3_blobs SET header = ?2, plaintext_size = ?3 "
                                            "WHERE id = ?1"));
  GEE_RETURN_IF_ERROR(st.BindInt64(1, blob_id));
  GEE_RETURN_IF_ERROR(st.BindBlob(2, header));
  GEE_RETURN_IF_ERROR(st.BindInt64(3, static_cast<int64_t>(plaintext_size)));
  return st.Run();
}

Status ObjectStore::SetBlobState(int64_t blob_id, BlobState state) {
  GEE_ASSIGN_OR_RETURN(auto st, db_.Prepare("UPDATE s3_blobs SET state = ?2 WHERE id = ?1"));
  GEE_RETURN_IF_ERROR(st.BindInt64(1, blob_id));
  GEE_RETURN_IF_ERROR(st.BindInt64(2, static_cast<int>(state)));
  return st.Run();
}

Result<std::optional<BlobInfo>> ObjectStore::GetBlob(int64_t blob_id) {
  GEE_ASSIGN_OR_RETURN(auto st, db_.Prepare("SELECT state, segment_size, plaintext_size, header "
                                            "FROM s3_blobs WHERE id = ?1"));
  GEE_RETURN_IF_ERROR(st.BindInt64(1, blob_id));
  GEE_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<BlobInfo>();
  BlobInfo b;
  b.id = blob_id;
  b.state = static_cast<BlobState>(st.ColumnInt64(0));
  b.segment_size = static_cast<uint32_t>(st.ColumnInt64(1));
  b.plaintext_size = static_cast<uint64_t>(st.ColumnInt64(2));
  b.header = st.ColumnIsNull(3) ? std::string() : st.ColumnBlob(3);
  return std::optional<BlobInfo>(std::move(b));
}

Result<std::string> ObjectStore::ReadSegment(int64_t blob_id, uint64_t index) {
  GEE_ASSIGN_OR_RETURN(auto st,
                       db_.Prepare("SELECT data FROM s3_segments WHERE blob_id = ?1 AND idx = ?2"));
  GEE_RETURN_IF_ERROR(st.BindInt64(1, blob_id));
  GEE_RETURN_IF_ERROR(st.BindInt64(2, static_cast<int64_t>(index)));
  GEE_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) {
    return AwsError("InternalError", "stored object data is missing (blob " +
                                         std::to_string(blob_id) + " segment " +
                                         std::to_string(index) + ")",
                    500);
  }
  return st.ColumnBlob(0);
}

Result<std::vector<std::string>> ObjectStore::ReadAllSegments(int64_t blob_id) {
  GEE_ASSIGN_OR_RETURN(auto st,
                       db_.Prepare("SELECT data FROM s3_segments WHERE blob_id = ?1 ORDER BY idx"));
  GEE_RETURN_IF_ERROR(st.BindInt64(1, blob_id));
  std::vector<std::string> out;
  while (true) {
    GEE_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back(st.ColumnBlob(0));
  }
  return out;
}

Status ObjectStore::DeleteBlob(int64_t blob_id) {
  {
    GEE_ASSIGN_OR_RETURN(auto st, db_.Prepare("DELETE FROM s3_segments WHERE blob_id = ?1"));
    GEE_RETURN_IF_ERROR(st.BindInt64(1, blob_id));
    GEE_RETURN_IF_ERROR(st.Run());
  }
  GEE_ASSIGN_OR_RETURN(auto st, db_.Prepare("DELETE FROM s3_blobs WHERE id = ?1"));
  GEE_RETURN_IF_ERROR(st.BindInt64(1, blob_id));
  return st.Run();
}

Result<int64_t> ObjectStore::RemoveUnreferencedBlobs() {
  std::vector<int64_t> ids;
  {
    GEE_ASSIGN_OR_RETURN(auto st, db_.Prepare("SELECT id FROM s3_blobs WHERE state != 1"));
    while (true) {
      GEE_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      ids.push_back(st.ColumnInt64(0));
    }
  }
  for (int64_t id : ids) GEE_RETURN_IF_ERROR(DeleteBlob(id));
  // Segments whose blob row never committed (a crash between the writes).
  GEE_RETURN_IF_ERROR(db_.Execute(
      "DELETE FROM s3_segments WHERE blob_id NOT IN (SELECT id FROM s3_blobs)"));
  return static_cast<int64_t>(ids.size());
}

Status ObjectStore::MarkGarbage(const std::vector<int64_t>& blobs) {
  for (int64_t id : blobs) GEE_RETURN_IF_ERROR(SetBlobState(id, BlobState::kGarbage));
  return OkStatus();
}

// ---- multipart uploads ----

Status ObjectStore::InsertUpload(const UploadRecord& u) {
  GEE_ASSIGN_OR_RETURN(auto st, db_.Prepare(std::string("INSERT INTO s3_uploads(") + kUploadColumns +
                                            ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
                                            "?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)"));
  GEE_RETURN_IF_ERROR(st.BindText(1, u.upload_id));
  GEE_RETURN_IF_ERROR(st.BindText(2, u.bucket));
  GEE_RETURN_IF_ERROR(st.BindText(3, u.key));
  GEE_RETURN_IF_ERROR(st.BindInt64(4, u.initiated_micros));
  GEE_RETURN_IF_ERROR(st.BindText(5, u.initiator_arn));
  GEE_RETURN_IF_ERROR(st.BindText(6, u.initiator_id));
  GEE_RETURN_IF_ERROR(st.BindText(7, u.owner));
  GEE_RETURN_IF_ERROR(st.BindText(8, u.metadata));
  GEE_RETURN_IF_ERROR(BindSse(st, 9, u.sse));
  GEE_RETURN_IF_ERROR(u.sse_header_present ? st.BindText(16, u.sse_header) : st.BindNull(16));
  GEE_RETURN_IF_ERROR(u.sse_key_header_present ? st.BindText(17, u.sse_key_header)
                                               : st.BindNull(17));
  GEE_RETURN_IF_ERROR(st.BindText(18, u.checksum_algorithm));
  return st.Run();
}

Result<std::optional<UploadRecord>> ObjectStore::FindUpload(std::string_view upload_id) {
  GEE_ASSIGN_OR_RETURN(auto st, db_.Prepare(std::string("SELECT ") + kUploadColumns +
                                            " FROM s3_uploads WHERE upload_id = ?1"));
  GEE_RETURN_IF_ERROR(st.BindText(1, upload_id));
  GEE_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<UploadRecord>();
  return std::optional<UploadRecord>(ReadUpload(st));
}

Result<std::vector<int64_t>> ObjectStore::DeleteUpload(std::string_view upload_id) {
  std::vector<int64_t> garbage;
  {
    GEE_ASSIGN_OR_RETURN(auto st, db_.Prepare("SELECT blob_id FROM s3_parts WHERE upload_id = ?1"));
    GEE_RETURN_IF_ERROR(st.BindText(1, upload_id));
    while (true) {
      GEE_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      garbage.push_back(st.ColumnInt64(0));
    }
  }
  GEE_RETURN_IF_ERROR(ForgetParts(upload_id));
  GEE_ASSIGN_OR_RETURN(auto st, db_.Prepare("DELETE FROM s3_uploads WHERE upload_id = ?1"));
  GEE_RETURN_IF_ERROR(st.BindText(1, upload_id));
  GEE_RETURN_IF_ERROR(st.Run());
  GEE_RETURN_IF_ERROR(MarkGarbage(garbage));
  return garbage;
}

Result<std::vector<UploadRecord>> ObjectStore::ListUploads(std::string_view bucket,
                                                           std::string_view prefix,
                                                           std::string_view key_marker,
                                                           std::string_view upload_id_marker,
                                                           size_t limit) {
  std::optional<std::string> upper = PrefixSuccessor(prefix);
  std::string sql = std::string("SELECT ") + kUploadColumns +
                    " FROM s3_uploads WHERE bucket = ?1 AND key >= ?2";
  if (upper) sql += " AND key < ?3";
  // After the markers: keys past key_marker, or (with an upload id marker)
  // the same key's later uploads.
  sql += " AND (key > ?4 OR (key = ?4 AND ?5 != '' AND upload_id > ?5))";
  sql += " ORDER BY key, upload_id LIMIT ?6";
  GEE_ASSIGN_OR_RETURN(auto st, db_.Prepare(sql));
  GEE_RETURN_IF_ERROR(st.BindText(1, bucket));
  GEE_RETURN_IF_ERROR(st.BindText(2, prefix));
  if (upper) GEE_RETURN_IF_ERROR(st.BindText(3, *upper));
  GEE_RETURN_IF_ERROR(st.BindText(4, key_marker));
  GEE_RETURN_IF_ERROR(st.BindText(5, upload_id_marker));
  GEE_RETURN_IF_ERROR(st.BindInt64(6, static_cast<int64_t>(limit)));
  std::vector<UploadRecord> out;
  while (true) {
    GEE_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back(ReadUpload(st));
  }
  return out;
}

Result<std::optional<int64_t>> ObjectStore::PutPart(std::string_view upload_id,
                                                    const PartRecord& part) {
  std::optional<int64_t> replaced;
  {
    GEE_ASSIGN_OR_RETURN(auto st, db_.Prepare("SELECT blob_id FROM s3_parts WHERE upload_id = ?1 "
                                              "AND part_number = ?2"));
    GEE_RETURN_IF_ERROR(st.BindText(1, upload_id));
    GEE_RETURN_IF_ERROR(st.BindInt64(2, part.part_number));
    GEE_ASSIGN_OR_RETURN(bool row, st.Step());
    if (row) replaced = st.ColumnInt64(0);
  }
  GEE_ASSIGN_OR_RETURN(auto st,
                       db_.Prepare("INSERT OR REPLACE INTO s3_parts(upload_id, part_number, blob_id, "
                                   "size, etag, last_modified_micros, checksum_value) "
                                   "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
  GEE_RETURN_IF_ERROR(st.BindText(1, upload_id));
  GEE_RETURN_IF_ERROR(st.BindInt64(2, part.part_number));
  GEE_RETURN_IF_ERROR(st.BindInt64(3, part.blob_id));
  GEE_RETURN_IF_ERROR(st.BindInt64(4, static_cast<int64_t>(part.size)));
  GEE_RETURN_IF_ERROR(st.BindText(5, part.etag));
  GEE_RETURN_IF_ERROR(st.BindInt64(6, part.last_modified_micros));
  GEE_RETURN_IF_ERROR(st.BindText(7, part.checksum_value));
  GEE_RETURN_IF_ERROR(st.Run());
  GEE_RETURN_IF_ERROR(SetBlobState(part.blob_id, BlobState::kLive));
  if (replaced) GEE_RETURN_IF_ERROR(SetBlobState(*replaced, BlobState::kGarbage));
  return replaced;
}

Result<std::vector<PartRecord>> ObjectStore::ListParts(std::string_view upload_id, int after,
                                                       size_t limit) {
  GEE_ASSIGN_OR_RETURN(auto st, db_.Prepare("SELECT part_number, blob_id, size, etag, "
                                            "last_modified_micros, checksum_value FROM s3_parts "
                                            "WHERE upload_id = ?1 AND part_number > ?2 "
                                            "ORDER BY part_number LIMIT ?3"));
  GEE_RETURN_IF_ERROR(st.BindText(1, upload_id));
  GEE_RETURN_IF_ERROR(st.BindInt64(2, after));
  GEE_RETURN_IF_ERROR(st.BindInt64(3, static_cast<int64_t>(limit)));
  std::vector<PartRecord> out;
  while (true) {
    GEE_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    PartRecord p;
    p.part_number = static_cast<int>(st.ColumnInt64(0));
    p.blob_id = st.ColumnInt64(1);
    p.size = static_cast<uint64_t>(st.ColumnInt64(2));
    p.etag = st.ColumnText(3);
    p.last_modified_micros = st.ColumnInt64(4);
    p.checksum_value = st.ColumnText(5);
    out.push_back(std::move(p));
  }
  return out;
}

Status ObjectStore::ForgetParts(std::string_view upload_id) {
  GEE_ASSIGN_OR_RETURN(auto st, db_.Prepare("DELETE FROM s3_parts WHERE upload_id = ?1"));
  GEE_RETURN_IF_ERROR(st.BindText(1, upload_id));
  return st.Run();
}

// ---- SSE-S3 master keys ----

Result<std::optional<std::pair<std::string, std::string>>> ObjectStore::LatestSseKey() {
  GEE_ASSIGN_OR_RETURN(auto st, db_.Prepare("SELECT id, sealed FROM s3_sse_keys "
                                            "ORDER BY created_micros DESC, id LIMIT 1"));
  GEE_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<std::pair<std::string, std::string>>();
  return std::optional<std::pair<std::string, std::string>>(
      std::pair(st.ColumnText(0), st.ColumnBlob(1)));
}

Result<std::optional<std::string>> ObjectStore::SseKey(std::string_view id) {
  GEE_ASSIGN_OR_RETURN(auto st, db_.Prepare("SELECT sealed FROM s3_sse_keys WHERE id = ?1"));
  GEE_RETURN_IF_ERROR(st.BindText(1, id));
  GEE_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(st.ColumnBlob(0));
}

Status ObjectStore::InsertSseKey(std::string_view id, std::string_view sealed, int64_t now_micros) {
  GEE_ASSIGN_OR_RETURN(auto st, db_.Prepare("INSERT INTO s3_sse_keys(id, sealed, created_micros) "
                                            "VALUES(?1, ?2, ?3)"));
  GEE_RETURN_IF_ERROR(st.BindText(1, id));
  GEE_RETURN_IF_ERROR(st.BindBlob(2, sealed));
  GEE_RETURN_IF_ERROR(st.BindInt64(3, now_micros));
  return st.Run();
}

}  // namespace gee::s3
