// The S3 tables and encrypted body streams: blob life cycle, object
// replacement, listings, recovery, and BlobWriter/ObjectReader round trips.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <mutex>

#include "core/random.h"
#include "crypto/secret_bytes.h"
#include "services/s3/body_io.h"
#include "services/s3/object_store.h"
#include "store/database.h"
#include "store/migrations.h"
#include "tests/testing/matchers.h"

namespace gee::s3 {
namespace {

using testing::HasAwsError;
using testing::IsOk;

class S3StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = store::Database::OpenInMemory();
    ASSERT_TRUE(db.ok());
    db_ = std::move(db).value();
    ASSERT_TRUE(store::Migrate(*db_, ObjectStore::Migrations()).ok());
    store_ = std::make_unique<ObjectStore>(*db_);
    key_ = crypto::SecretBytes::FromRandom(32, random_);
  }

  Storage storage() { return Storage{mutex_, *store_, pins_}; }

  // Writes `data` as a blob in `chunk`-byte writes; returns its info.
  BlobInfo WriteBlob(std::string_view data, const std::string& aad, size_t chunk = 7000) {
    auto writer = BlobWriter::Create(storage(), key_, aad, random_, 1);
    EXPECT_TRUE(writer.ok());
    for (size_t pos = 0; pos < data.size(); pos += chunk) {
      EXPECT_TRUE((*writer)->Write(data.substr(pos, chunk)).ok());
    }
    auto info = (*writer)->Finish();
    EXPECT_TRUE(info.ok());
    (*writer)->Release();
    return info.ok() ? *info : BlobInfo{};
  }

  std::string ReadAll(std::vector<ReadPiece> pieces, uint64_t offset, uint64_t length) {
    auto reader = ObjectReader::Create(storage(), key_.Clone(), std::move(pieces), offset, length);
    EXPECT_TRUE(reader.ok());
    std::string out;
    while (true) {
      auto chunk = (*reader)->Next();
      EXPECT_TRUE(chunk.ok()) << (chunk.ok() ? "" : chunk.error().message);
      if (!chunk.ok() || chunk->empty()) break;
      out.append(*chunk);
    }
    return out;
  }

  ObjectRecord Object(std::string key, const BlobInfo& blob) {
    ObjectRecord o;
    o.bucket = "bkt";
    o.key = std::move(key);
    o.size = blob.plaintext_size;
    o.etag = "e";
    o.owner = "000000000000";
    o.metadata = "{}";
    o.sse.algorithm = "AES256";
    o.pieces.push_back(Piece{blob.id, 0, blob.plaintext_size});
    return o;
  }

  int64_t CountRows(const std::string& table) {
    auto st = db_->Prepare("SELECT COUNT(*) FROM " + table);
    EXPECT_TRUE(st.ok());
    EXPECT_TRUE(*st->Step());
    return st->ColumnInt64(0);
  }

  DeterministicRandom random_{7};
  std::recursive_mutex mutex_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<ObjectStore> store_;
  BlobPins pins_;
  crypto::SecretBytes key_;
};

std::string Pattern(size_t n) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + (i * 7 + i / 13) % 26);
  return s;
}

TEST_F(S3StoreTest, BlobRoundTripsAcrossSegments) {
  std::string data = Pattern(kObjectSegmentSize * 2 + 12345);
  BlobInfo blob = WriteBlob(data, "aad");
  EXPECT_EQ(blob.plaintext_size, data.size());
  EXPECT_EQ(ReadAll({ReadPiece{blob, "aad"}}, 0, data.size()), data);
  EXPECT_EQ(CountRows("s3_segments"), 3);
}

TEST_F(S3StoreTest, EmptyBlobRoundTrips) {
  BlobInfo blob = WriteBlob("", "aad");
  EXPECT_EQ(blob.plaintext_size, 0u);
  EXPECT_EQ(CountRows("s3_segments"), 1);
}

TEST_F(S3StoreTest, RangeReadReturnsOnlyTheRange) {
  std::string data = Pattern(kObjectSegmentSize * 3);
  BlobInfo blob = WriteBlob(data, "aad", kObjectSegmentSize);
  const uint64_t first = kObjectSegmentSize - 10;
  EXPECT_EQ(ReadAll({ReadPiece{blob, "aad"}}, first, 30), data.substr(first, 30));
  EXPECT_EQ(ReadAll({ReadPiece{blob, "aad"}}, data.size() - 1, 1), data.substr(data.size() - 1));
}

TEST_F(S3StoreTest, ReadSpansSeveralPieces) {
  std::string a = Pattern(kObjectSegmentSize + 5);
  std::string b = "second piece";
  BlobInfo blob_a = WriteBlob(a, "p1");
  BlobInfo blob_b = WriteBlob(b, "p2");
  std::vector<ReadPiece> pieces = {ReadPiece{blob_a, "p1"}, ReadPiece{blob_b, "p2"}};
  EXPECT_EQ(ReadAll(pieces, 0, a.size() + b.size()), a + b);
  EXPECT_EQ(ReadAll(pieces, a.size() - 3, 6), a.substr(a.size() - 3) + b.substr(0, 3));
}

TEST_F(S3StoreTest, ReadWithWrongAadFailsAsStoredDataCorruption) {
  BlobInfo blob = WriteBlob("secret", "right");
  auto reader = ObjectReader::Create(storage(), key_.Clone(), {ReadPiece{blob, "wrong"}}, 0, 6);
  ASSERT_THAT(reader, IsOk());
  auto chunk = (*reader)->Next();
  EXPECT_THAT(chunk, HasAwsError("InternalError"));
}

TEST_F(S3StoreTest, StoredSegmentsAreNotThePlaintext) {
  std::string data = "known plaintext that must never be stored as is";
  WriteBlob(data, "aad");
  auto st = db_->Prepare("SELECT data FROM s3_segments");
  ASSERT_THAT(st, IsOk());
  ASSERT_TRUE(*st->Step());
  EXPECT_EQ(st->ColumnBlob(0).find("known plaintext"), std::string::npos);
}

TEST_F(S3StoreTest, AbandonedWriterDeletesItsStagingBlob) {
  {
    auto writer = BlobWriter::Create(storage(), key_, "aad", random_, 1);
    ASSERT_THAT(writer, IsOk());
    ASSERT_TRUE((*writer)->Write(Pattern(kFlushBytes * 2)).ok());
  }
  EXPECT_EQ(CountRows("s3_blobs"), 0);
  EXPECT_EQ(CountRows("s3_segments"), 0);
}

TEST_F(S3StoreTest, ReplaceObjectReturnsTheOldBlobAsGarbage) {
  BlobInfo first = WriteBlob("one", "a");
  BlobInfo second = WriteBlob("two", "a");
  ASSERT_THAT(store_->ReplaceObject(Object("k", first)), IsOk());
  auto garbage = store_->ReplaceObject(Object("k", second));
  ASSERT_THAT(garbage, IsOk());
  ASSERT_EQ(garbage->size(), 1u);
  EXPECT_EQ((*garbage)[0], first.id);
  EXPECT_EQ((*store_->GetBlob(first.id))->state, BlobState::kGarbage);
  EXPECT_EQ((*store_->GetBlob(second.id))->state, BlobState::kLive);
  auto found = store_->FindObject("bkt", "k");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->pieces[0].blob_id, second.id);
}

TEST_F(S3StoreTest, CollectSkipsPinnedBlobsUntilTheReaderFinishes) {
  BlobInfo blob = WriteBlob("data", "a");
  ASSERT_THAT(store_->ReplaceObject(Object("k", blob)), IsOk());
  {
    auto reader = ObjectReader::Create(storage(), key_.Clone(), {ReadPiece{blob, "a"}}, 0, 4);
    ASSERT_THAT(reader, IsOk());
    auto garbage = store_->DeleteObject("bkt", "k");
    ASSERT_THAT(garbage, IsOk());
    ASSERT_THAT(storage().Collect(*garbage), IsOk());
    EXPECT_TRUE((*store_->GetBlob(blob.id)).has_value());  // still readable
    auto chunk = (*reader)->Next();
    ASSERT_THAT(chunk, IsOk());
    EXPECT_EQ(*chunk, "data");
  }
  EXPECT_FALSE((*store_->GetBlob(blob.id)).has_value());  // deleted with the reader
}

TEST_F(S3StoreTest, RemoveUnreferencedBlobsKeepsOnlyLiveOnes) {
  BlobInfo live = WriteBlob("live", "a");
  ASSERT_THAT(store_->ReplaceObject(Object("k", live)), IsOk());
  WriteBlob("staging", "a");  // never published
  auto removed = store_->RemoveUnreferencedBlobs();
  ASSERT_THAT(removed, IsOk());
  EXPECT_EQ(*removed, 1);
  EXPECT_EQ(CountRows("s3_blobs"), 1);
  EXPECT_EQ(CountRows("s3_segments"), 1);
}

TEST_F(S3StoreTest, ScanObjectsHonoursPrefixAndBound) {
  for (const char* k : {"a/1", "a/2", "a/3", "b/1", "ab"}) {
    ASSERT_THAT(store_->ReplaceObject(Object(k, WriteBlob(k, "x"))), IsOk());
  }
  auto all_a = store_->ScanObjects("bkt", "a/", "", false, 100);
  ASSERT_THAT(all_a, IsOk());
  ASSERT_EQ(all_a->size(), 3u);
  EXPECT_EQ((*all_a)[0].key, "a/1");
  auto after = store_->ScanObjects("bkt", "a/", "a/1", false, 100);
  ASSERT_EQ(after->size(), 2u);
  EXPECT_EQ((*after)[0].key, "a/2");
  auto limited = store_->ScanObjects("bkt", "", "", false, 2);
  ASSERT_EQ(limited->size(), 2u);
  auto inclusive = store_->ScanObjects("bkt", "", "b/1", true, 10);
  ASSERT_EQ(inclusive->size(), 1u);
  EXPECT_EQ((*inclusive)[0].key, "b/1");
}

TEST_F(S3StoreTest, PutPartReplacesAnEarlierPartOfTheSameNumber) {
  UploadRecord u;
  u.upload_id = "up";
  u.bucket = "bkt";
  u.key = "k";
  u.sse.algorithm = "AES256";
  ASSERT_THAT(store_->InsertUpload(u), IsOk());
  BlobInfo b1 = WriteBlob("one", "x");
  BlobInfo b2 = WriteBlob("two", "x");
  PartRecord p;
  p.part_number = 1;
  p.blob_id = b1.id;
  p.etag = "e1";
  ASSERT_THAT(store_->PutPart("up", p), IsOk());
  p.blob_id = b2.id;
  p.etag = "e2";
  auto replaced = store_->PutPart("up", p);
  ASSERT_THAT(replaced, IsOk());
  EXPECT_EQ(*replaced, b1.id);
  auto parts = store_->ListParts("up", 0, 10);
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].etag, "e2");
  auto garbage = store_->DeleteUpload("up");
  ASSERT_THAT(garbage, IsOk());
  EXPECT_EQ(garbage->size(), 1u);
  EXPECT_FALSE((*store_->FindUpload("up")).has_value());
}

TEST(S3PieceAadTest, DistinguishesEveryPart) {
  EXPECT_NE(PieceAad("b", "k", "", 0), PieceAad("b", "k", "u", 0));
  EXPECT_NE(PieceAad("b", "k", "u", 1), PieceAad("b", "k", "u", 2));
  EXPECT_NE(PieceAad("ab", "c", "", 0), PieceAad("a", "bc", "", 0));
}

}  // namespace
}  // namespace gee::s3
