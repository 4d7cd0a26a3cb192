#include "services/kms/ciphertext_blob.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "core/random.h"
#include "crypto/secret_bytes.h"
#include "services/kms/key_spec.h"
#include "tests/testing/matchers.h"
#include "tests/testing/test_bytes.h"

namespace gee::kms {
namespace {

using crypto::SecretBytes;
using ::gee::testing::HasAwsErrorMessage;
using ::gee::testing::Hex;
using ::gee::testing::ScriptedRandom;
using ::gee::testing::Unhex;

constexpr char kKeyId[] = "1234abcd-12ab-34cd-56ef-1234567890ab";

SecretBytes FixedKey() {
  return SecretBytes::CopyOf(
      Unhex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"));
}

class CiphertextBlobTest : public ::testing::Test {
 protected:
  std::string Seal(std::string_view plaintext, const EncryptionContext& context,
                   uint32_t version = 1) {
    auto blob = SealCiphertextBlob(key_, kKeyId, version, plaintext, context, random_);
    EXPECT_TRUE(blob.ok()) << blob.error().message;
    return blob.ok() ? *blob : std::string();
  }
  Result<SecretBytes> Open(std::string_view blob, const EncryptionContext& context) {
    GEE_ASSIGN_OR_RETURN(ParsedCiphertextBlob parsed, ParseCiphertextBlob(blob));
    return OpenCiphertextBlob(key_, parsed, context);
  }

  SecretBytes key_ = FixedKey();
  DeterministicRandom random_{42};
  const EncryptionContext context_ = {{"purpose", "test"},
                                      {"aws:s3:arn", "arn:aws:s3:::bucket"}};
};

// Expected bytes computed independently (Python `cryptography` AESGCM over the
// layout and AAD documented in ciphertext_blob.h), so any change of the
// layout, the AAD or the canonical context fails here.
TEST_F(CiphertextBlobTest, SealProducesTheDocumentedLayoutByteForByte) {
  ScriptedRandom nonce(Unhex("cafebabefacedbaddecaf888"));
  auto blob = SealCiphertextBlob(key_, kKeyId, 1, "Hello, KMS", context_, nonce);
  ASSERT_TRUE(blob.ok()) << blob.error().message;
  EXPECT_EQ(Hex(*blob),
            "01"                                                                // version
            "24"                                                                // L = 36
            "31323334616263642d313261622d333463642d353665662d313233343536373839"
            "30616200000001"                                                    // id, V = 1
            "cafebabefacedbaddecaf888"                                          // nonce
            "c2c6cc4ac5566f500b58"                                              // ciphertext
            "84eeb07f4ef6b26938b9ff189c7524e0");                                // tag
}

TEST_F(CiphertextBlobTest, CanonicalContextLengthPrefixesEveryKeyAndValue) {
  EXPECT_EQ(Hex(CanonicalEncryptionContext({{"a", "bc"}})), "000000010000000161000000026263");
  EXPECT_EQ(Hex(CanonicalEncryptionContext({{"ab", "c"}})), "000000010000000261620000000163");
  EXPECT_EQ(Hex(CanonicalEncryptionContext({})), "00000000");
}

TEST_F(CiphertextBlobTest, CanonicalContextSortsByKeyBytes) {
  EncryptionContext forward;
  forward.emplace("b", "2");
  forward.emplace("a", "1");
  forward.emplace("B", "3");  // 'B' (0x42) sorts before 'a' (0x61)
  EXPECT_EQ(Hex(CanonicalEncryptionContext(forward)),
            "00000003"
            "00000001" "42" "00000001" "33"
            "00000001" "61" "00000001" "31"
            "00000001" "62" "00000001" "32");
}

TEST_F(CiphertextBlobTest, OpenRoundTripsWithTheSameContext) {
  const std::string blob = Seal("attack at dawn", context_);
  auto plaintext = Open(blob, context_);
  ASSERT_TRUE(plaintext.ok()) << plaintext.error().message;
  EXPECT_EQ(plaintext->AsStringView(), "attack at dawn");
}

TEST_F(CiphertextBlobTest, OpenSucceedsWhenContextPairsArriveInAnotherOrder) {
  const std::string blob = Seal("x", context_);
  EncryptionContext reordered;
  reordered.emplace("purpose", "test");  // inserted first this time
  reordered.emplace("aws:s3:arn", "arn:aws:s3:::bucket");
  EXPECT_TRUE(Open(blob, reordered).ok());
}

TEST_F(CiphertextBlobTest, OpenFailsWithoutMessageWhenContextDiffers) {
  const std::string blob = Seal("x", context_);
  const EncryptionContext variants[] = {
      {},
      {{"purpose", "test"}},
      {{"purpose", "test"}, {"aws:s3:arn", "arn:aws:s3:::bucket"}, {"extra", ""}},
      {{"purpose", "Test"}, {"aws:s3:arn", "arn:aws:s3:::bucket"}},
      {{"Purpose", "test"}, {"aws:s3:arn", "arn:aws:s3:::bucket"}},
  };
  for (const EncryptionContext& context : variants) {
    EXPECT_THAT(Open(blob, context), HasAwsErrorMessage("InvalidCiphertextException", ""))
        << Hex(CanonicalEncryptionContext(context));
  }
}

TEST_F(CiphertextBlobTest, ContextBoundariesMatterAbBcIsNotAbC) {
  const std::string blob = Seal("x", {{"a", "bc"}});
  EXPECT_TRUE(Open(blob, {{"a", "bc"}}).ok());
  EXPECT_THAT(Open(blob, {{"ab", "c"}}), HasAwsErrorMessage("InvalidCiphertextException", ""));
}

TEST_F(CiphertextBlobTest, OpenFailsWithoutMessageForEveryFlippedByte) {
  const std::string blob = Seal("sixteen byte msg", context_);
  for (size_t i = 0; i < blob.size(); ++i) {
    for (uint8_t mask : {0x01, 0x80, 0xff}) {
      std::string tampered = blob;
      tampered[i] = static_cast<char>(tampered[i] ^ mask);
      EXPECT_THAT(Open(tampered, context_),
                  HasAwsErrorMessage("InvalidCiphertextException", ""))
          << "byte " << i << " mask " << int{mask};
    }
  }
}

TEST_F(CiphertextBlobTest, ParseAndOpenFailWithoutMessageForEveryTruncation) {
  const std::string blob = Seal("truncate me", context_);
  for (size_t length = 0; length < blob.size(); ++length) {
    EXPECT_THAT(Open(blob.substr(0, length), context_),
                HasAwsErrorMessage("InvalidCiphertextException", ""))
        << "length " << length;
  }
  EXPECT_THAT(Open(blob + '\0', context_), HasAwsErrorMessage("InvalidCiphertextException", ""));
}

TEST_F(CiphertextBlobTest, OpenFailsUnderAnotherKey) {
  const std::string blob = Seal("x", context_);
  auto parsed = ParseCiphertextBlob(blob);
  ASSERT_TRUE(parsed.ok());
  SecretBytes other = key_.Clone();
  other.data()[0] ^= 1;
  EXPECT_THAT(OpenCiphertextBlob(other, *parsed, context_),
              HasAwsErrorMessage("InvalidCiphertextException", ""));
}

TEST_F(CiphertextBlobTest, ParseExposesKeyIdVersionAndSplit) {
  const std::string blob = Seal("0123456789", context_, 7);
  auto parsed = ParseCiphertextBlob(blob);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->key_id, kKeyId);
  EXPECT_EQ(parsed->key_version, 7u);
  EXPECT_EQ(parsed->header.size(), 6u + 36u);
  EXPECT_EQ(parsed->sealed.size(), 12u + 10u + 16u);
  EXPECT_EQ(blob.size(), kBlobFixedOverhead + 36 + 10);
}

TEST_F(CiphertextBlobTest, PeekKeyIdReturnsTheEmbeddedKeyId) {
  auto key_id = PeekKeyId(Seal("x", {}));
  ASSERT_TRUE(key_id.ok());
  EXPECT_EQ(*key_id, kKeyId);
  EXPECT_THAT(PeekKeyId("not a blob"), HasAwsErrorMessage("InvalidCiphertextException", ""));
}

TEST_F(CiphertextBlobTest, LargestPlaintextFitsInTheKmsBlobLimit) {
  const std::string blob = Seal(std::string(kMaxPlaintextSize, 'p'), context_);
  EXPECT_EQ(blob.size(), 4096u + 70u);
  EXPECT_LE(blob.size(), kMaxCiphertextBlobSize);
  EXPECT_TRUE(Open(blob, context_).ok());
}

TEST_F(CiphertextBlobTest, SealRefusesEmptyAndOversizedPlaintexts) {
  EXPECT_FALSE(SealCiphertextBlob(key_, kKeyId, 1, "", {}, random_).ok());
  EXPECT_FALSE(
      SealCiphertextBlob(key_, kKeyId, 1, std::string(4097, 'p'), {}, random_).ok());
  EXPECT_FALSE(SealCiphertextBlob(key_, kKeyId, 0, "x", {}, random_).ok());
  EXPECT_FALSE(SealCiphertextBlob(key_, "bad/id", 1, "x", {}, random_).ok());
}

// Hand-built headers around a valid sealed tail, one rule broken each time.
TEST_F(CiphertextBlobTest, ParseRejectsHeadersThatBreakALayoutRule) {
  const std::string tail(12 + 5 + 16, 'z');
  auto header = [](uint8_t version, std::string id, uint32_t key_version) {
    std::string h;
    h.push_back(static_cast<char>(version));
    h.push_back(static_cast<char>(id.size()));
    h += id;
    for (int shift : {24, 16, 8, 0}) h.push_back(static_cast<char>(key_version >> shift));
    return h;
  };
  EXPECT_TRUE(ParseCiphertextBlob(header(1, "abc-123", 1) + tail).ok());
  const std::string rejected[] = {
      header(2, "abc-123", 1) + tail,                      // unknown format version
      header(0, "abc-123", 1) + tail,                      // unknown format version
      header(1, "", 1) + tail,                             // empty key id
      header(1, std::string(65, 'a'), 1) + tail,           // key id too long
      header(1, "abc/123", 1) + tail,                      // key id character
      header(1, std::string("ab\0c", 4), 1) + tail,        // NUL in key id
      header(1, "abc-123", 0) + tail,                      // version 0
      header(1, "abc-123", 1) + std::string(12 + 16, 'z'),  // empty ciphertext
      header(1, "abc-123", 1) + std::string(12 + 4097 + 16, 'z'),  // > 4096 ciphertext
  };
  for (const std::string& blob : rejected) {
    EXPECT_THAT(ParseCiphertextBlob(blob), HasAwsErrorMessage("InvalidCiphertextException", ""))
        << Hex(blob.substr(0, 16));
  }
  EXPECT_THAT(ParseCiphertextBlob(std::string(6145, '\x01')),
              HasAwsErrorMessage("InvalidCiphertextException", ""));
}

TEST_F(CiphertextBlobTest, ParseNeverCrashesOnArbitraryBytes) {
  DeterministicRandom fuzz(2024);
  const std::string valid = Seal("fuzz", context_);
  for (int i = 0; i < 20000; ++i) {
    const size_t length = fuzz.U64() % 200;
    std::string bytes = fuzz.Bytes(length);
    if (i % 2 == 0 && length > 0) {
      // Half the inputs keep a plausible prefix so parsing goes deeper.
      bytes.replace(0, std::min(length, valid.size() / 2), valid.substr(0, length));
    }
    auto parsed = ParseCiphertextBlob(bytes);
    if (parsed.ok()) {
      EXPECT_THAT(OpenCiphertextBlob(key_, *parsed, context_),
                  HasAwsErrorMessage("InvalidCiphertextException", ""));
    } else {
      EXPECT_EQ(parsed.error().code, "InvalidCiphertextException");
      EXPECT_EQ(parsed.error().message, "");
    }
  }
}

}  // namespace
}  // namespace gee::kms
