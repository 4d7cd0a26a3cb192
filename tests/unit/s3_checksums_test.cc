// S3 digests: MD5 and the x-amz-checksum family, against published check values.
#include "services/s3/checksums.h"

#include <gtest/gtest.h>

#include "crypto/encoding.h"
#include "tests/testing/matchers.h"

namespace gee::s3 {
namespace {

std::string ChecksumOf(ChecksumKind kind, std::string_view data, size_t split = 0) {
  auto c = Checksum::Create(kind);
  EXPECT_TRUE(c.ok());
  if (split > 0 && split < data.size()) {
    EXPECT_TRUE(c->Update(data.substr(0, split)).ok());
    EXPECT_TRUE(c->Update(data.substr(split)).ok());
  } else {
    EXPECT_TRUE(c->Update(data).ok());
  }
  auto v = c->FinishBase64();
  EXPECT_TRUE(v.ok());
  return v.ok() ? *v : "";
}

std::string Hex(std::string_view base64) {
  auto raw = crypto::Base64Decode(base64);
  return raw.ok() ? crypto::HexEncode(*raw) : "";
}

TEST(S3Md5Test, MatchesKnownAnswers) {
  EXPECT_EQ(Md5Hex(*Md5Of("")), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(Md5Hex(*Md5Of("hello\n")), "b1946ac92492d2347c6235b4d2611184");
}

TEST(S3Md5Test, IncrementalEqualsOneShot) {
  auto md5 = Md5::Create();
  ASSERT_TRUE(md5.ok());
  ASSERT_TRUE(md5->Update("hel").ok());
  ASSERT_TRUE(md5->Update("lo\n").ok());
  EXPECT_EQ(Md5Hex(*md5->Finish()), "b1946ac92492d2347c6235b4d2611184");
}

TEST(S3ChecksumTest, CheckValuesOfEveryAlgorithm) {
  // The "123456789" check values of each CRC's catalogue entry.
  EXPECT_EQ(Hex(ChecksumOf(ChecksumKind::kCrc32, "123456789")), "cbf43926");
  EXPECT_EQ(Hex(ChecksumOf(ChecksumKind::kCrc32c, "123456789")), "e3069283");
  EXPECT_EQ(Hex(ChecksumOf(ChecksumKind::kCrc64Nvme, "123456789")), "ae8b14860a799888");
  EXPECT_EQ(Hex(ChecksumOf(ChecksumKind::kSha1, "abc")), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(Hex(ChecksumOf(ChecksumKind::kSha256, "abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(S3ChecksumTest, Crc64NvmeIsIncremental) {
  EXPECT_EQ(ChecksumOf(ChecksumKind::kCrc64Nvme, "123456789", 4),
            ChecksumOf(ChecksumKind::kCrc64Nvme, "123456789"));
}

TEST(S3ChecksumTest, HeaderAndAlgorithmNamesRoundTrip) {
  for (ChecksumKind k : {ChecksumKind::kCrc32, ChecksumKind::kCrc32c, ChecksumKind::kCrc64Nvme,
                         ChecksumKind::kSha1, ChecksumKind::kSha256}) {
    EXPECT_EQ(ChecksumKindForHeader(ChecksumHeader(k)), k);
    EXPECT_EQ(ChecksumKindForAlgorithm(ChecksumAlgorithm(k)), k);
  }
  EXPECT_EQ(ChecksumKindForHeader("X-Amz-Checksum-SHA256"), ChecksumKind::kSha256);
  EXPECT_FALSE(ChecksumKindForHeader("x-amz-checksum-mode").has_value());
  EXPECT_FALSE(ChecksumKindForAlgorithm("MD5").has_value());
}

TEST(S3ChecksumTest, ValueMustBeBase64OfTheDigestSize) {
  EXPECT_TRUE(IsValidChecksumValue(ChecksumKind::kCrc32, "y/Q5Jg=="));
  EXPECT_FALSE(IsValidChecksumValue(ChecksumKind::kCrc32, "y/Q5JgAA"));
  EXPECT_FALSE(IsValidChecksumValue(ChecksumKind::kSha256, "not base64!"));
}

}  // namespace
}  // namespace gee::s3
