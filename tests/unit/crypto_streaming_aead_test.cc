#include "crypto/streaming_aead.h"

#include <gtest/gtest.h>

#include <string>

#include "core/random.h"
#include "crypto/aead.h"

namespace gee::crypto {
namespace {

constexpr uint32_t kSegment = 32;  // small segments keep boundary cases cheap
constexpr std::string_view kAad = "arn:aws:s3:::bucket/key";

class StreamingAeadTest : public ::testing::Test {
 protected:
  std::string Plaintext(size_t size) {
    std::string text(size, '\0');
    for (size_t i = 0; i < size; ++i) text[i] = static_cast<char>('a' + i % 26);
    return text;
  }
  std::string Encrypt(std::string_view plaintext, uint32_t segment = kSegment) {
    Result<std::string> stream =
        StreamingEncrypt(key_, plaintext, kAad, random_, segment);
    EXPECT_TRUE(stream.ok());
    return stream.ok() ? *stream : std::string();
  }
  Result<std::string> Decrypt(std::string_view stream,
                              std::string_view aad = kAad) {
    return StreamingDecrypt(key_, stream, aad);
  }
  std::unique_ptr<StreamingDecrypter> Decrypter(std::string_view stream) {
    Result<std::unique_ptr<StreamingDecrypter>> d =
        StreamingDecrypter::Create(key_, stream, kAad);
    EXPECT_TRUE(d.ok());
    return d.ok() ? std::move(*d) : nullptr;
  }
  static size_t SegmentOffset(uint64_t index) {
    return kStreamHeaderSize + index * (kSegment + kStreamSegmentOverhead);
  }
  static void ExpectAuthenticationFailure(const Result<std::string>& r) {
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(IsAuthenticationFailure(r.error())) << r.error().code;
  }

  DeterministicRandom random_{7};
  SecretBytes key_ = SecretBytes::FromRandom(kAes256KeySize, random_);
};

TEST_F(StreamingAeadTest, RoundTripsAcrossSegmentBoundaries) {
  for (size_t size : {1, 31, 33, 63, 65, 100, 1000}) {
    SCOPED_TRACE(size);
    std::string plaintext = Plaintext(size);
    Result<std::string> opened = Decrypt(Encrypt(plaintext));
    ASSERT_TRUE(opened.ok());
    EXPECT_EQ(*opened, plaintext);
  }
}

TEST_F(StreamingAeadTest, RoundTripsExactMultiplesOfTheSegmentSize) {
  for (size_t segments : {1, 2, 5}) {
    SCOPED_TRACE(segments);
    std::string plaintext = Plaintext(segments * kSegment);
    std::string stream = Encrypt(plaintext);
    // No empty trailing segment: the last full segment is the final one.
    EXPECT_EQ(stream.size(), kStreamHeaderSize +
                                 segments * (kSegment + kStreamSegmentOverhead));
    Result<std::string> opened = Decrypt(stream);
    ASSERT_TRUE(opened.ok());
    EXPECT_EQ(*opened, plaintext);
  }
}

TEST_F(StreamingAeadTest, EmptyStreamIsHeaderPlusOneAuthenticatedSegment) {
  std::string stream = Encrypt("");
  EXPECT_EQ(stream.size(), kStreamHeaderSize + kStreamSegmentOverhead);
  Result<std::string> opened = Decrypt(stream);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, "");
}

TEST_F(StreamingAeadTest, DefaultSegmentSizeRoundTripsAMultiSegmentObject) {
  std::string plaintext = Plaintext(3 * kDefaultSegmentSize + 5);
  Result<std::string> stream = StreamingEncrypt(key_, plaintext, kAad, random_);
  ASSERT_TRUE(stream.ok());
  EXPECT_EQ(stream->size(), StreamCiphertextSize(plaintext.size(), kDefaultSegmentSize));
  Result<std::string> opened = Decrypt(*stream);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, plaintext);
}

TEST_F(StreamingAeadTest, IncrementalUpdatesMatchTheSizeOfOneShotEncryption) {
  std::string plaintext = Plaintext(200);
  auto encrypter = StreamingEncrypter::Create(key_, kAad, random_, kSegment);
  ASSERT_TRUE(encrypter.ok());
  std::string stream;
  // Odd slice sizes, including empty ones, straddle every boundary.
  size_t pos = 0;
  for (size_t slice : {0, 1, 7, 24, 32, 0, 33, 64, 39}) {
    ASSERT_TRUE((*encrypter)->Update(std::string_view(plaintext).substr(pos, slice),
                                     &stream).ok());
    pos += slice;
  }
  ASSERT_EQ(pos, plaintext.size());
  ASSERT_TRUE((*encrypter)->Finish(&stream).ok());
  EXPECT_EQ(stream.size(), StreamCiphertextSize(plaintext.size(), kSegment));
  Result<std::string> opened = Decrypt(stream);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, plaintext);
}

TEST_F(StreamingAeadTest, UpdateEmitsOnlySegmentsKnownNotToBeFinal) {
  auto encrypter = StreamingEncrypter::Create(key_, kAad, random_, kSegment);
  ASSERT_TRUE(encrypter.ok());
  std::string out;
  ASSERT_TRUE((*encrypter)->Update(Plaintext(kSegment), &out).ok());
  EXPECT_EQ(out.size(), kStreamHeaderSize);  // the full segment is held back
  ASSERT_TRUE((*encrypter)->Update("x", &out).ok());
  EXPECT_EQ(out.size(), kStreamHeaderSize + kSegment + kStreamSegmentOverhead);
}

TEST_F(StreamingAeadTest, UpdateFailsAfterFinish) {
  auto encrypter = StreamingEncrypter::Create(key_, kAad, random_, kSegment);
  ASSERT_TRUE(encrypter.ok());
  std::string out;
  ASSERT_TRUE((*encrypter)->Finish(&out).ok());
  Status status = (*encrypter)->Update("more", &out);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, "InternalFailure");
}

TEST_F(StreamingAeadTest, CreateFailsWhenSegmentSizeIsZero) {
  auto encrypter = StreamingEncrypter::Create(key_, kAad, random_, 0);
  ASSERT_FALSE(encrypter.ok());
  EXPECT_EQ(encrypter.error().code, "InternalFailure");
}

TEST_F(StreamingAeadTest, EncryptionsOfTheSamePlaintextDiffer) {
  EXPECT_NE(Encrypt(Plaintext(50)), Encrypt(Plaintext(50)));
}

TEST_F(StreamingAeadTest, DecryptFailsWhenTruncatedAtASegmentBoundary) {
  std::string stream = Encrypt(Plaintext(3 * kSegment));
  ExpectAuthenticationFailure(Decrypt(stream.substr(0, SegmentOffset(2))));
  ExpectAuthenticationFailure(Decrypt(stream.substr(0, SegmentOffset(1))));
}

TEST_F(StreamingAeadTest, DecryptFailsWhenTruncatedToTheHeader) {
  std::string stream = Encrypt(Plaintext(10));
  ExpectAuthenticationFailure(Decrypt(stream.substr(0, kStreamHeaderSize)));
  ExpectAuthenticationFailure(Decrypt(stream.substr(0, kStreamHeaderSize - 1)));
}

TEST_F(StreamingAeadTest, DecryptFailsWhenTruncatedInsideASegment) {
  std::string stream = Encrypt(Plaintext(3 * kSegment));
  for (size_t cut : {size_t{1}, size_t{16}, size_t{17}}) {
    SCOPED_TRACE(cut);
    ExpectAuthenticationFailure(Decrypt(stream.substr(0, stream.size() - cut)));
  }
}

TEST_F(StreamingAeadTest, DecryptFailsWhenSegmentsAreReordered) {
  std::string stream = Encrypt(Plaintext(3 * kSegment + 5));
  const size_t full = kSegment + kStreamSegmentOverhead;
  std::string swapped = stream.substr(0, SegmentOffset(0)) +
                        stream.substr(SegmentOffset(1), full) +
                        stream.substr(SegmentOffset(0), full) +
                        stream.substr(SegmentOffset(2));
  ASSERT_EQ(swapped.size(), stream.size());
  ExpectAuthenticationFailure(Decrypt(swapped));
}

TEST_F(StreamingAeadTest, DecryptFailsWhenASegmentIsDropped) {
  std::string stream = Encrypt(Plaintext(3 * kSegment + 5));
  std::string dropped =
      stream.substr(0, SegmentOffset(1)) + stream.substr(SegmentOffset(2));
  ExpectAuthenticationFailure(Decrypt(dropped));
}

TEST_F(StreamingAeadTest, DecryptFailsWhenAnyByteIsFlipped) {
  std::string stream = Encrypt(Plaintext(2 * kSegment + 3));
  for (size_t i = 0; i < stream.size(); ++i) {
    SCOPED_TRACE(i);
    std::string tampered = stream;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
    ExpectAuthenticationFailure(Decrypt(tampered));
  }
}

TEST_F(StreamingAeadTest, DecryptFailsWhenAadDiffers) {
  ExpectAuthenticationFailure(Decrypt(Encrypt(Plaintext(40)), "arn:aws:s3:::bucket/other"));
}

TEST_F(StreamingAeadTest, DecryptFailsWhenASegmentComesFromAnotherStream) {
  std::string a = Encrypt(Plaintext(2 * kSegment + 1));
  std::string b = Encrypt(Plaintext(2 * kSegment + 1));
  const size_t full = kSegment + kStreamSegmentOverhead;
  std::string spliced = a.substr(0, SegmentOffset(1)) +
                        b.substr(SegmentOffset(1), full) + a.substr(SegmentOffset(2));
  ExpectAuthenticationFailure(Decrypt(spliced));
}

TEST_F(StreamingAeadTest, DecryptSegmentOpensAnyMiddleSegmentAlone) {
  std::string plaintext = Plaintext(4 * kSegment + 9);
  std::string stream = Encrypt(plaintext);
  auto decrypter = Decrypter(stream);
  ASSERT_NE(decrypter, nullptr);
  Result<std::string> segment = decrypter->DecryptSegment(
      2, false, std::string_view(stream).substr(SegmentOffset(2), kSegment + 16));
  ASSERT_TRUE(segment.ok());
  EXPECT_EQ(*segment, plaintext.substr(2 * kSegment, kSegment));
}

TEST_F(StreamingAeadTest, DecryptSegmentFailsWhenFinalFlagIsWrong) {
  std::string stream = Encrypt(Plaintext(2 * kSegment));
  auto decrypter = Decrypter(stream);
  ASSERT_NE(decrypter, nullptr);
  std::string_view first = std::string_view(stream).substr(SegmentOffset(0), kSegment + 16);
  std::string_view last = std::string_view(stream).substr(SegmentOffset(1));
  ExpectAuthenticationFailure(decrypter->DecryptSegment(0, true, first));
  ExpectAuthenticationFailure(decrypter->DecryptSegment(1, false, last));
  EXPECT_TRUE(decrypter->DecryptSegment(1, true, last).ok());
}

TEST_F(StreamingAeadTest, DecryptRangeReturnsTheRequestedBytes) {
  std::string plaintext = Plaintext(5 * kSegment + 7);
  std::string stream = Encrypt(plaintext);
  auto decrypter = Decrypter(stream);
  ASSERT_NE(decrypter, nullptr);
  struct Case { uint64_t offset, length; };
  for (Case c : {Case{0, 1}, Case{31, 2}, Case{32, 32}, Case{40, 100},
                 Case{5 * kSegment, 7}, Case{5 * kSegment + 6, 50}, Case{0, 1000}}) {
    SCOPED_TRACE(::testing::Message() << c.offset << "+" << c.length);
    Result<std::string> range = decrypter->DecryptRange(stream, c.offset, c.length);
    ASSERT_TRUE(range.ok());
    EXPECT_EQ(*range, plaintext.substr(c.offset, c.length));
  }
}

TEST_F(StreamingAeadTest, DecryptRangeReturnsEmptyPastTheEnd) {
  std::string stream = Encrypt(Plaintext(40));
  auto decrypter = Decrypter(stream);
  ASSERT_NE(decrypter, nullptr);
  Result<std::string> range = decrypter->DecryptRange(stream, 40, 10);
  ASSERT_TRUE(range.ok());
  EXPECT_EQ(*range, "");
}

TEST_F(StreamingAeadTest, DecryptRangeFailsWhenStreamIsTruncatedAtABoundary) {
  std::string stream = Encrypt(Plaintext(4 * kSegment));
  auto decrypter = Decrypter(stream);
  ASSERT_NE(decrypter, nullptr);
  std::string truncated = stream.substr(0, SegmentOffset(3));
  // The range only touches segment 0, which is intact; the final-segment
  // check still catches the truncation.
  ExpectAuthenticationFailure(decrypter->DecryptRange(truncated, 0, 10));
}

TEST_F(StreamingAeadTest, CreateDecrypterFailsOnUnknownVersion) {
  std::string stream = Encrypt(Plaintext(10));
  stream[0] = 0x02;
  auto decrypter = StreamingDecrypter::Create(key_, stream, kAad);
  ASSERT_FALSE(decrypter.ok());
  EXPECT_TRUE(IsAuthenticationFailure(decrypter.error()));
}

TEST(StreamLayoutTest, CiphertextSizeCountsHeaderAndOneTagPerSegment) {
  EXPECT_EQ(StreamCiphertextSize(0, 32), 28u + 16u);
  EXPECT_EQ(StreamCiphertextSize(1, 32), 28u + 1u + 16u);
  EXPECT_EQ(StreamCiphertextSize(32, 32), 28u + 32u + 16u);
  EXPECT_EQ(StreamCiphertextSize(33, 32), 28u + 33u + 32u);
}

TEST(StreamLayoutTest, PlaintextSizeInvertsCiphertextSize) {
  for (uint64_t size : {0, 1, 31, 32, 33, 64, 65, 1000}) {
    SCOPED_TRACE(size);
    Result<uint64_t> back = StreamPlaintextSize(StreamCiphertextSize(size, 32), 32);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, size);
  }
}

TEST(StreamLayoutTest, PlaintextSizeRejectsImpossibleSizes) {
  // Shorter than header + tag.
  EXPECT_FALSE(StreamPlaintextSize(43, 32).ok());
  // A full segment followed by a final segment shorter than a tag.
  EXPECT_FALSE(StreamPlaintextSize(28 + 48 + 5, 32).ok());
  // A full segment followed by an empty final segment.
  EXPECT_FALSE(StreamPlaintextSize(28 + 48 + 16, 32).ok());
}

TEST(StreamLayoutTest, MapPlaintextRangeWithinOneSegment) {
  SegmentRange r = MapPlaintextRange(100, 32, 35, 10);
  EXPECT_EQ(r.first_segment, 1u);
  EXPECT_EQ(r.segment_count, 1u);
  EXPECT_EQ(r.skip, 3u);
  EXPECT_EQ(r.length, 10u);
  EXPECT_EQ(r.ciphertext_offset, 28u + 48u);
  EXPECT_EQ(r.ciphertext_length, 48u);
}

TEST(StreamLayoutTest, MapPlaintextRangeSpanningToTheShortFinalSegment) {
  // 100 bytes in 32-byte segments: 32, 32, 32, 4.
  SegmentRange r = MapPlaintextRange(100, 32, 31, 1000);
  EXPECT_EQ(r.first_segment, 0u);
  EXPECT_EQ(r.segment_count, 4u);
  EXPECT_EQ(r.skip, 31u);
  EXPECT_EQ(r.length, 69u);
  EXPECT_EQ(r.ciphertext_offset, 28u);
  EXPECT_EQ(r.ciphertext_length, 3u * 48u + 4u + 16u);
  EXPECT_EQ(r.ciphertext_offset + r.ciphertext_length, StreamCiphertextSize(100, 32));
}

TEST(StreamLayoutTest, MapPlaintextRangeEndingOnASegmentBoundary) {
  SegmentRange r = MapPlaintextRange(100, 32, 0, 64);
  EXPECT_EQ(r.first_segment, 0u);
  EXPECT_EQ(r.segment_count, 2u);
  EXPECT_EQ(r.ciphertext_length, 96u);
}

TEST(StreamLayoutTest, MapPlaintextRangeIsEmptyPastTheEndOrForZeroLength) {
  EXPECT_EQ(MapPlaintextRange(100, 32, 100, 5).segment_count, 0u);
  EXPECT_EQ(MapPlaintextRange(100, 32, 10, 0).segment_count, 0u);
  EXPECT_EQ(MapPlaintextRange(0, 32, 0, 5).segment_count, 0u);
}

}  // namespace
}  // namespace gee::crypto
