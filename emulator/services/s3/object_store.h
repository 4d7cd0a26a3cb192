// The S3 service's tables: buckets, objects, multipart uploads and the
// encrypted body blobs they point to, on the shared SQLite database.
//
// Storage format (component "s3", migration 1). Times are epoch microseconds.
//
//   s3_buckets(name PK, account, region, created_micros,
//              policy TEXT NULL          bucket policy document as sent
//              encryption TEXT NULL)     default-encryption rule, JSON
//                                        {"SSEAlgorithm","KMSMasterKeyID"?,"BucketKeyEnabled"}
//                                        (NULL: never configured = SSE-S3)
//   s3_sse_keys(id TEXT PK, sealed BLOB, created_micros)
//                                        the emulator-owned SSE-S3 master keys
//                                        (id: 32 random hex digits), 32 bytes
//                                        sealed under the root key with label
//                                        SecretLabel("s3-sse-key", {id})
//   s3_blobs(id PK, state, segment_size, plaintext_size, header BLOB, created_micros)
//                                        one encrypted stream (crypto/streaming_aead.h);
//                                        header = the stream's first 28 bytes;
//                                        state 0 staging (being written, invisible),
//                                        1 live (referenced), 2 garbage (unreferenced,
//                                        deleted once no reader holds it)
//   s3_segments(blob_id, idx, data BLOB, PK(blob_id, idx))
//                                        segment idx of the stream: ciphertext || tag
//   s3_objects(id PK, bucket, key, size, etag, last_modified_micros, owner,
//              metadata TEXT             JSON: lower-case header → value for the stored
//                                        system headers and x-amz-meta-*
//              sse_algorithm, kms_key_arn, bucket_key, sse_context_header,
//              kms_context TEXT          canonical JSON of the KMS encryption context
//              wrapped_key BLOB          KMS CiphertextBlob, or the data key sealed
//                                        under s3_sse_keys.sse_s3_key_id (crypto/aead.h)
//              sse_s3_key_id, checksum_algorithm, checksum_value,
//              parts_count               0 for a single PUT, N for multipart
//              upload_id                 the upload whose pieces it adopted ('' if none)
//              UNIQUE(bucket, key))
//   s3_object_pieces(object_id, seq, blob_id, part_number, size, PK(object_id, seq))
//                                        the body = the pieces' plaintexts in seq order
//   s3_uploads(upload_id PK, bucket, key, initiated_micros, initiator_arn,
//              initiator_id, owner, metadata, sse columns as s3_objects,
//              sse_header, sse_key_header  the SSE headers as sent (for the
//                                        condition keys of UploadPart)
//              checksum_algorithm)
//   s3_parts(upload_id, part_number, blob_id, size, etag, last_modified_micros,
//            checksum_value, PK(upload_id, part_number))
//
// Every body byte stored is ciphertext: a blob is a streaming-AEAD stream
// under a per-object data key with the piece's identity as AAD (see
// PieceAad). An upload writes its blob as staging rows in short transactions
// and publishes it (state 1, object row) in one final transaction; a crash
// before that leaves only staging rows, which RemoveUnreferencedBlobs()
// deletes at start-up.
//
// Thread-safety: every method must be called with Environment::store_mutex
// held (the S3 service does this).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/database.h"
#include "store/migrations.h"

namespace gee::s3 {

enum class BlobState : int { kStaging = 0, kLive = 1, kGarbage = 2 };

struct BucketRecord {
  std::string name;
  std::string account;
  std::string region;
  int64_t created_micros = 0;
  std::optional<std::string> policy;
  std::optional<std::string> encryption;
};

// How an object's (or upload's) data key is protected.
struct StoredSse {
  std::string algorithm;        // "AES256" or "aws:kms"
  std::string kms_key_arn;      // aws:kms
  bool bucket_key = false;      // aws:kms with an S3 Bucket Key
  std::string context_header;   // x-amz-server-side-encryption-context as sent ("" if none)
  std::string kms_context;      // aws:kms: canonical JSON of the KMS encryption context
  std::string wrapped_key;      // KMS CiphertextBlob / SSE-S3 sealed data key
  std::string sse_s3_key_id;    // AES256: the master key row
};

struct BlobInfo {
  int64_t id = 0;
  BlobState state = BlobState::kStaging;
  uint32_t segment_size = 0;
  uint64_t plaintext_size = 0;
  std::string header;
};

struct Piece {
  int64_t blob_id = 0;
  int part_number = 0;  // 0 for a single PUT
  uint64_t size = 0;
};

struct ObjectRecord {
  int64_t id = 0;
  std::string bucket;
  std::string key;
  uint64_t size = 0;
  std::string etag;  // without quotes
  int64_t last_modified_micros = 0;
  std::string owner;
  std::string metadata;  // JSON object
  StoredSse sse;
  std::string checksum_algorithm;  // "CRC32", ... or ""
  std::string checksum_value;
  int parts_count = 0;
  std::string upload_id;
  std::vector<Piece> pieces;
};

// A row of a listing.
struct ObjectSummary {
  std::string key;
  uint64_t size = 0;
  std::string etag;
  int64_t last_modified_micros = 0;
  std::string owner;
  std::string checksum_algorithm;
};

struct UploadRecord {
  std::string upload_id;
  std::string bucket;
  std::string key;
  int64_t initiated_micros = 0;
  std::string initiator_arn;
  std::string initiator_id;
  std::string owner;
  std::string metadata;
  StoredSse sse;
  std::string sse_header;      // x-amz-server-side-encryption as sent ("" if absent)
  std::string sse_key_header;  // x-amz-server-side-encryption-aws-kms-key-id as sent
  bool sse_header_present = false;
  bool sse_key_header_present = false;
  std::string checksum_algorithm;
};

struct PartRecord {
  int part_number = 0;
  int64_t blob_id = 0;
  uint64_t size = 0;
  std::string etag;  // without quotes
  int64_t last_modified_micros = 0;
  std::string checksum_value;
};

// The AAD binding a stored stream to its place: object, upload, part.
std::string PieceAad(std::string_view bucket, std::string_view key, std::string_view upload_id,
                     int part_number);

class ObjectStore {
 public:
  explicit ObjectStore(store::Database& db) : db_(db) {}

  static std::vector<store::MigrationStep> Migrations();
  store::Database& db() { return db_; }

  // ---- buckets ----
  Result<std::optional<BucketRecord>> FindBucket(std::string_view name);
  Status InsertBucket(const BucketRecord& bucket);
  // Buckets of `account`, by name.
  Result<std::vector<BucketRecord>> ListBuckets(std::string_view account);
  Result<bool> BucketHasObjects(std::string_view name);
  // Deletes the bucket row and its multipart uploads; returns the blobs made garbage.
  Result<std::vector<int64_t>> DeleteBucket(std::string_view name);
  Status SetBucketPolicy(std::string_view name, const std::optional<std::string>& policy);
  Status SetBucketEncryption(std::string_view name, const std::optional<std::string>& rule);

  // ---- objects ----
  // The object with its pieces, nullopt when absent.
  Result<std::optional<ObjectRecord>> FindObject(std::string_view bucket, std::string_view key);
  // Inserts `object` (replacing any object of the same key), marks its pieces'
  // blobs live, and returns the blobs of the replaced object (now garbage).
  Result<std::vector<int64_t>> ReplaceObject(const ObjectRecord& object);
  // Removes the object; returns its blobs (now garbage). Absent: empty.
  Result<std::vector<int64_t>> DeleteObject(std::string_view bucket, std::string_view key);
  // Up to `limit` objects of `bucket` whose key starts with `prefix` and is
  // greater than `bound` (not less than it when `inclusive`), in key order
  // (UTF-8 byte order, as S3 lists).
  Result<std::vector<ObjectSummary>> ScanObjects(std::string_view bucket, std::string_view prefix,
                                                 std::string_view bound, bool inclusive,
                                                 size_t limit);

  // ---- blobs ----
  Result<int64_t> CreateBlob(uint32_t segment_size, int64_t now_micros);
  Status WriteSegment(int64_t blob_id, uint64_t index, std::string_view data);
  // Records the stream header and size once the last segment is written.
  Status FinishBlob(int64_t blob_id, std::string_view header, uint64_t plaintext_size);
  Status SetBlobState(int64_t blob_id, BlobState state);
  Result<std::optional<BlobInfo>> GetBlob(int64_t blob_id);
  Result<std::string> ReadSegment(int64_t blob_id, uint64_t index);
  // Segment sizes and bytes in order (inspection).
  Result<std::vector<std::string>> ReadAllSegments(int64_t blob_id);
  Status DeleteBlob(int64_t blob_id);
  // Deletes every blob that is not live (staging left by an interrupted
  // upload, garbage left by a crash). Call only when no upload is running.
  Result<int64_t> RemoveUnreferencedBlobs();

  // ---- multipart uploads ----
  Status InsertUpload(const UploadRecord& upload);
  Result<std::optional<UploadRecord>> FindUpload(std::string_view upload_id);
  // Removes the upload and its parts; returns the parts' blobs (now garbage).
  Result<std::vector<int64_t>> DeleteUpload(std::string_view upload_id);
  // Uploads of `bucket` ordered by (key, upload id), keys starting
  // with `prefix`, after (key_marker, upload_id_marker), at most `limit`.
  Result<std::vector<UploadRecord>> ListUploads(std::string_view bucket, std::string_view prefix,
                                                std::string_view key_marker,
                                                std::string_view upload_id_marker, size_t limit);
  // Stores a part (replacing one of the same number); marks its blob live and
  // returns the replaced part's blob (garbage) if any.
  Result<std::optional<int64_t>> PutPart(std::string_view upload_id, const PartRecord& part);
  // Parts with number > `after`, at most `limit`, ascending.
  Result<std::vector<PartRecord>> ListParts(std::string_view upload_id, int after, size_t limit);
  // Detaches the parts of an upload that Complete adopted (so deleting the
  // upload does not touch their blobs).
  Status ForgetParts(std::string_view upload_id);

  // ---- SSE-S3 master keys ----
  // Newest master key row (id, sealed), nullopt when none exists yet.
  Result<std::optional<std::pair<std::string, std::string>>> LatestSseKey();
  Result<std::optional<std::string>> SseKey(std::string_view id);
  Status InsertSseKey(std::string_view id, std::string_view sealed, int64_t now_micros);

 private:
  Status MarkGarbage(const std::vector<int64_t>& blobs);
  store::Database& db_;
};

}  // namespace gee::s3
