#include "services/s3/body_io.h"

#include <algorithm>
#include <cstring>

#include "services/s3/errors.h"
#include "store/database.h"

namespace gee::s3 {

// ---- BlobPins ----

void BlobPins::Pin(int64_t blob_id) {
  std::lock_guard<std::mutex> lock(mu_);
  ++counts_[blob_id];
}

bool BlobPins::Unpin(int64_t blob_id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = counts_.find(blob_id);
  if (it == counts_.end()) return true;
  if (--it->second > 0) return false;
  counts_.erase(it);
  return true;
}

bool BlobPins::IsPinned(int64_t blob_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  return counts_.count(blob_id) > 0;
}

// ---- Storage ----

Status Storage::Collect(const std::vector<int64_t>& blobs) {
  if (blobs.empty()) return OkStatus();
  std::lock_guard<std::recursive_mutex> lock(mutex);
  GEE_ASSIGN_OR_RETURN(auto tx, store::Transaction::Begin(store.db()));
  for (int64_t id : blobs) {
    if (pins.IsPinned(id)) continue;
    GEE_ASSIGN_OR_RETURN(std::optional<BlobInfo> blob, store.GetBlob(id));
    if (!blob || blob->state != BlobState::kGarbage) continue;
    GEE_RETURN_IF_ERROR(store.DeleteBlob(id));
  }
  return tx.Commit();
}

// ---- BlobWriter ----

Result<std::unique_ptr<BlobWriter>> BlobWriter::Create(Storage storage,
                                                       const crypto::SecretBytes& key,
                                                       std::string aad, Random& random,
                                                       int64_t now_micros) {
  GEE_ASSIGN_OR_RETURN(auto encrypter,
                       crypto::StreamingEncrypter::Create(key, aad, random, kObjectSegmentSize));
  int64_t blob_id = 0;
  {
    std::lock_guard<std::recursive_mutex> lock(storage.mutex);
    GEE_ASSIGN_OR_RETURN(blob_id, storage.store.CreateBlob(kObjectSegmentSize, now_micros));
  }
  return std::unique_ptr<BlobWriter>(new BlobWriter(storage, std::move(encrypter), blob_id));
}

BlobWriter::~BlobWriter() {
  if (released_) return;
  std::lock_guard<std::recursive_mutex> lock(storage_.mutex);
  auto tx = store::Transaction::Begin(storage_.store.db());
  if (!tx.ok()) return;  // left as staging: removed at the next start
  if (!storage_.store.DeleteBlob(blob_id_).ok()) return;
  (void)tx->Commit();
}

Status BlobWriter::Write(std::string_view plaintext) {
  if (finished_) return errors::Internal();
  GEE_RETURN_IF_ERROR(encrypter_->Update(plaintext, &pending_));
  plaintext_size_ += plaintext.size();
  if (pending_.size() >= kFlushBytes) GEE_RETURN_IF_ERROR(Flush(false));
  return OkStatus();
}

Result<BlobInfo> BlobWriter::Finish() {
  if (finished_) return errors::Internal();
  finished_ = true;
  GEE_RETURN_IF_ERROR(encrypter_->Finish(&pending_));
  GEE_RETURN_IF_ERROR(Flush(true));
  {
    std::lock_guard<std::recursive_mutex> lock(storage_.mutex);
    GEE_RETURN_IF_ERROR(storage_.store.FinishBlob(blob_id_, header_, plaintext_size_));
  }
  BlobInfo info;
  info.id = blob_id_;
  info.state = BlobState::kStaging;
  info.segment_size = kObjectSegmentSize;
  info.plaintext_size = plaintext_size_;
  info.header = header_;
  return info;
}

Status BlobWriter::Flush(bool final) {
  size_t pos = 0;
  if (header_.empty()) {
    if (pending_.size() < crypto::kStreamHeaderSize) return OkStatus();
    header_ = pending_.substr(0, crypto::kStreamHeaderSize);
    pos = crypto::kStreamHeaderSize;
  }
  const size_t sealed_segment = kObjectSegmentSize + crypto::kStreamSegmentOverhead;
  std::vector<std::string_view> segments;
  while (pending_.size() - pos >= sealed_segment) {
    segments.emplace_back(pending_.data() + pos, sealed_segment);
    pos += sealed_segment;
  }
  if (final && pos < pending_.size()) {
    segments.emplace_back(pending_.data() + pos, pending_.size() - pos);
    pos = pending_.size();
  }
  if (!segments.empty()) {
    std::lock_guard<std::recursive_mutex> lock(storage_.mutex);
    GEE_ASSIGN_OR_RETURN(auto tx, store::Transaction::Begin(storage_.store.db()));
    for (std::string_view segment : segments) {
      GEE_RETURN_IF_ERROR(storage_.store.WriteSegment(blob_id_, next_segment_++, segment));
    }
    GEE_RETURN_IF_ERROR(tx.Commit());
  }
  pending_.erase(0, pos);
  return OkStatus();
}

// ---- ObjectReader ----

Result<std::unique_ptr<ObjectReader>> ObjectReader::Create(Storage storage, crypto::SecretBytes key,
                                                           std::vector<ReadPiece> pieces,
                                                           uint64_t offset, uint64_t length) {
  for (const ReadPiece& p : pieces) storage.pins.Pin(p.blob.id);
  auto reader = std::unique_ptr<ObjectReader>(
      new ObjectReader(storage, std::move(key), std::move(pieces), offset, length));
  return reader;
}

ObjectReader::~ObjectReader() {
  std::vector<int64_t> released;
  for (const ReadPiece& p : pieces_) {
    if (storage_.pins.Unpin(p.blob.id)) released.push_back(p.blob.id);
  }
  (void)storage_.Collect(released);  // deleted now if the object went away meanwhile
}

Result<std::string_view> ObjectReader::Next() {
  if (remaining_ == 0) return std::string_view();
  // Find the piece holding position_.
  while (piece_index_ < pieces_.size() &&
         position_ >= piece_start_ + pieces_[piece_index_].blob.plaintext_size) {
    piece_start_ += pieces_[piece_index_].blob.plaintext_size;
    ++piece_index_;
    decrypter_.reset();
  }
  if (piece_index_ >= pieces_.size()) return errors::Internal();
  const ReadPiece& piece = pieces_[piece_index_];
  if (!decrypter_) {
    GEE_ASSIGN_OR_RETURN(decrypter_,
                         crypto::StreamingDecrypter::Create(key_, piece.blob.header, piece.aad));
  }
  const uint32_t segment_size = piece.blob.segment_size;
  const uint64_t local = position_ - piece_start_;
  const uint64_t index = local / segment_size;
  const uint64_t count = crypto::StreamSegmentCount(piece.blob.plaintext_size, segment_size);
  std::string sealed;
  {
    std::lock_guard<std::recursive_mutex> lock(storage_.mutex);
    GEE_ASSIGN_OR_RETURN(sealed, storage_.store.ReadSegment(piece.blob.id, index));
  }
  auto opened = decrypter_->DecryptSegment(index, index + 1 == count, sealed);
  if (!opened.ok()) {
    // Stored bytes that do not authenticate: corruption, never a client error.
    return AwsError("InternalError", "stored object data failed authentication", 500);
  }
  segment_ = std::move(opened).value();
  const uint64_t skip = local - index * segment_size;
  if (skip >= segment_.size()) return errors::Internal();
  const uint64_t take = std::min<uint64_t>(segment_.size() - skip, remaining_);
  position_ += take;
  remaining_ -= take;
  return std::string_view(segment_).substr(skip, take);
}

// ---- ObjectBodySource ----

Result<size_t> ObjectBodySource::Read(char* out, size_t capacity) {
  if (buffered_.empty()) {
    GEE_ASSIGN_OR_RETURN(buffered_, reader_->Next());
    if (buffered_.empty()) return size_t{0};
  }
  size_t n = std::min(capacity, buffered_.size());
  std::memcpy(out, buffered_.data(), n);
  buffered_.remove_prefix(n);
  return n;
}

}  // namespace gee::s3
