// Streaming object bodies in and out of the S3 tables, encrypted.
//
// BlobWriter encrypts plaintext as it arrives (crypto/streaming_aead.h, one
// data key per object, the piece's identity as AAD) and writes the finished
// segments to a staging blob in short transactions, so an upload holds at
// most kFlushBytes of ciphertext and one segment of plaintext in memory,
// whatever the object size. The blob stays invisible (staging) until the
// caller publishes it in its own transaction (ObjectStore::ReplaceObject /
// PutPart); a writer destroyed before that deletes its rows.
//
// ObjectReader decrypts a plaintext range of an object made of one or more
// pieces (a single PUT: one; a multipart object: one per part), reading and
// opening only the segments the range touches, one at a time. It pins the
// blobs it reads so that an overwrite or delete that happens meanwhile
// leaves them in place until the reader is done (BlobPins); ObjectBodySource
// adapts it to the HTTP server's streamed response body.
//
// Segment size: kObjectSegmentSize (256 KiB) of plaintext per segment, 16
// bytes of tag each, plus a 28-byte stream header stored in the blob row.
//
// Thread-safety: a writer or reader is used by one thread at a time; each
// takes Storage::mutex around its database accesses. BlobPins is
// thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/random.h"
#include "core/result.h"
#include "crypto/secret_bytes.h"
#include "crypto/streaming_aead.h"
#include "server/http_types.h"
#include "services/s3/object_store.h"

namespace gee::s3 {

inline constexpr uint32_t kObjectSegmentSize = 256 * 1024;
// Ciphertext a writer accumulates before writing it out in one transaction.
inline constexpr size_t kFlushBytes = 1024 * 1024;

// Blobs held by readers, so garbage collection skips them.
class BlobPins {
 public:
  void Pin(int64_t blob_id);
  // Returns true when no reader holds the blob any more.
  bool Unpin(int64_t blob_id);
  bool IsPinned(int64_t blob_id) const;

 private:
  mutable std::mutex mu_;
  std::map<int64_t, int> counts_;
};

// What the body classes need: the store, the lock that guards it, the pins.
struct Storage {
  std::recursive_mutex& mutex;
  ObjectStore& store;
  BlobPins& pins;

  // Deletes those of `blobs` that are garbage and unpinned, in one
  // transaction. Failures are reported but leave nothing visible (the rows
  // stay garbage and are removed at the next start).
  Status Collect(const std::vector<int64_t>& blobs);
};

class BlobWriter {
 public:
  // Creates the staging blob. `key` is the object's data key (32 bytes).
  static Result<std::unique_ptr<BlobWriter>> Create(Storage storage, const crypto::SecretBytes& key,
                                                    std::string aad, Random& random,
                                                    int64_t now_micros);
  ~BlobWriter();
  BlobWriter(const BlobWriter&) = delete;
  BlobWriter& operator=(const BlobWriter&) = delete;

  Status Write(std::string_view plaintext);
  // Seals the last segment, writes what is pending and records the header
  // and size. The blob is still staging.
  Result<BlobInfo> Finish();
  // The caller published the blob: the destructor leaves it alone.
  void Release() { released_ = true; }

  int64_t blob_id() const { return blob_id_; }
  uint64_t plaintext_size() const { return plaintext_size_; }

 private:
  BlobWriter(Storage storage, std::unique_ptr<crypto::StreamingEncrypter> encrypter,
             int64_t blob_id)
      : storage_(storage), encrypter_(std::move(encrypter)), blob_id_(blob_id) {}
  // Writes every complete segment in `pending_` (all of it when `final`).
  Status Flush(bool final);

  Storage storage_;
  std::unique_ptr<crypto::StreamingEncrypter> encrypter_;
  int64_t blob_id_;
  std::string pending_;  // ciphertext not yet written: header first, then segments
  std::string header_;
  uint64_t next_segment_ = 0;
  uint64_t plaintext_size_ = 0;
  bool finished_ = false;
  bool released_ = false;
};

// One stored piece of an object, as a reader needs it.
struct ReadPiece {
  BlobInfo blob;
  std::string aad;
};

class ObjectReader {
 public:
  // Reads plaintext [offset, offset + length) of the concatenation of
  // `pieces` under `key`. Pins the pieces' blobs.
  static Result<std::unique_ptr<ObjectReader>> Create(Storage storage, crypto::SecretBytes key,
                                                      std::vector<ReadPiece> pieces,
                                                      uint64_t offset, uint64_t length);
  ~ObjectReader();
  ObjectReader(const ObjectReader&) = delete;
  ObjectReader& operator=(const ObjectReader&) = delete;

  // The next plaintext bytes of the range (at most one segment), or an empty
  // view at the end. Valid until the next call.
  Result<std::string_view> Next();
  uint64_t remaining() const { return remaining_; }

 private:
  ObjectReader(Storage storage, crypto::SecretBytes key, std::vector<ReadPiece> pieces,
               uint64_t offset, uint64_t length)
      : storage_(storage),
        key_(std::move(key)),
        pieces_(std::move(pieces)),
        position_(offset),
        remaining_(length) {}

  Storage storage_;
  crypto::SecretBytes key_;
  std::vector<ReadPiece> pieces_;
  uint64_t position_;   // absolute plaintext offset of the next byte
  uint64_t remaining_;  // bytes of the range still to return
  size_t piece_index_ = 0;
  uint64_t piece_start_ = 0;  // absolute offset of pieces_[piece_index_]
  std::unique_ptr<crypto::StreamingDecrypter> decrypter_;  // of pieces_[piece_index_]
  std::string segment_;  // last decrypted segment
};

// The HTTP response body of a GetObject.
class ObjectBodySource final : public server::BodySource {
 public:
  explicit ObjectBodySource(std::unique_ptr<ObjectReader> reader) : reader_(std::move(reader)) {}
  Result<size_t> Read(char* out, size_t capacity) override;

 private:
  std::unique_ptr<ObjectReader> reader_;
  std::string_view buffered_;
};

}  // namespace gee::s3
