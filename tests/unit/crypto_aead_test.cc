#include "crypto/aead.h"

#include <gtest/gtest.h>

#include <string>

#include "core/random.h"
#include "tests/testing/test_bytes.h"

namespace gee::crypto {
namespace {

using ::gee::testing::Hex;
using ::gee::testing::ScriptedRandom;
using ::gee::testing::Unhex;

struct GcmVector {
  const char* name;
  const char* key;
  const char* nonce;
  const char* plaintext;
  const char* aad;
  const char* ciphertext;
  const char* tag;
};

// AES-256 cases from the GCM specification (McGrew & Viega, test cases 13,
// 14 and 16, as republished in NIST SP 800-38D test material) and one case
// from the NIST CAVP GCMVS AES-256 encrypt vectors.
const GcmVector kVectors[] = {
    {"GcmSpecCase13EmptyPlaintext",
     "0000000000000000000000000000000000000000000000000000000000000000",
     "000000000000000000000000", "", "", "",
     "530f8afbc74536b9a963b4f1c4cb738b"},
    {"GcmSpecCase14OneBlock",
     "0000000000000000000000000000000000000000000000000000000000000000",
     "000000000000000000000000", "00000000000000000000000000000000", "",
     "cea7403d4d606b6e074ec5d3baf39d18", "d0d1c8a799996bf0265b98b5d48ab919"},
    {"GcmSpecCase16WithAad",
     "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
     "cafebabefacedbaddecaf888",
     "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
     "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
     "feedfacedeadbeeffeedfacedeadbeefabaddad2",
     "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
     "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
     "76fc6ece0f4e1768cddf8853bb2d551b"},
    {"CavpGcmEncryptAes256",
     "83688deb4af8007f9b713b47cfa6c73e35ea7a3aa4ecdb414dded03bf7a0fd3a",
     "0b459724904e010a46901cf3", "33d893a2114ce06fc15d55e454cf90c3",
     "794a14ccd178c8ebfd1379dc704c5e208f9d8424",
     "cc66bee423e3fcd4c0865715e9586696", "0fb291bd3dba94a1dfd8b286cfb97ac5"},
};

class AeadKnownAnswerTest : public ::testing::TestWithParam<GcmVector> {};

TEST_P(AeadKnownAnswerTest, SealProducesTheVectorCiphertextAndTag) {
  const GcmVector& v = GetParam();
  SecretBytes key = SecretBytes::CopyOf(Unhex(v.key));
  ScriptedRandom random(Unhex(v.nonce));
  Result<std::string> sealed = Seal(key, Unhex(v.plaintext), Unhex(v.aad), random);
  ASSERT_TRUE(sealed.ok()) << sealed.error().message;
  EXPECT_EQ(Hex(*sealed), std::string(v.nonce) + v.ciphertext + v.tag);
}

TEST_P(AeadKnownAnswerTest, OpenRecoversTheVectorPlaintext) {
  const GcmVector& v = GetParam();
  SecretBytes key = SecretBytes::CopyOf(Unhex(v.key));
  std::string sealed = Unhex(std::string(v.nonce) + v.ciphertext + v.tag);
  Result<std::string> opened = Open(key, sealed, Unhex(v.aad));
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EXPECT_EQ(Hex(*opened), v.plaintext);
}

INSTANTIATE_TEST_SUITE_P(NistVectors, AeadKnownAnswerTest,
                         ::testing::ValuesIn(kVectors),
                         [](const auto& info) { return info.param.name; });

class AeadTest : public ::testing::Test {
 protected:
  std::string SealMessage() {
    Result<std::string> sealed = Seal(key_, kPlaintext, kAad, random_);
    EXPECT_TRUE(sealed.ok());
    return sealed.ok() ? *sealed : std::string();
  }
  static std::string Flip(std::string bytes, size_t index) {
    bytes[index] = static_cast<char>(bytes[index] ^ 0x01);
    return bytes;
  }
  void ExpectAuthenticationFailure(std::string_view sealed, std::string_view aad) {
    Result<std::string> opened = Open(key_, sealed, aad);
    ASSERT_FALSE(opened.ok());
    EXPECT_TRUE(IsAuthenticationFailure(opened.error()));
    EXPECT_EQ(opened.error().code, "InvalidCiphertextException");
  }

  static constexpr std::string_view kPlaintext = "glue job bookmark state";
  static constexpr std::string_view kAad = "kms-key-material:1234:1";
  DeterministicRandom random_{42};
  SecretBytes key_ = SecretBytes::FromRandom(kAes256KeySize, random_);
};

TEST_F(AeadTest, SealOutputIsPlaintextPlusOverhead) {
  EXPECT_EQ(SealMessage().size(), kPlaintext.size() + kAeadOverhead);
}

TEST_F(AeadTest, OpenRoundTripsWhatSealProduced) {
  Result<std::string> opened = Open(key_, SealMessage(), kAad);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, kPlaintext);
}

TEST_F(AeadTest, SealUsesAFreshNonceEachCall) {
  std::string a = SealMessage();
  std::string b = SealMessage();
  EXPECT_NE(a.substr(0, kGcmNonceSize), b.substr(0, kGcmNonceSize));
  EXPECT_NE(a, b);
}

TEST_F(AeadTest, OpenFailsWhenAnyNonceByteIsFlipped) {
  std::string sealed = SealMessage();
  for (size_t i = 0; i < kGcmNonceSize; ++i) {
    SCOPED_TRACE(i);
    ExpectAuthenticationFailure(Flip(sealed, i), kAad);
  }
}

TEST_F(AeadTest, OpenFailsWhenAnyCiphertextByteIsFlipped) {
  std::string sealed = SealMessage();
  for (size_t i = kGcmNonceSize; i < sealed.size() - kGcmTagSize; ++i) {
    SCOPED_TRACE(i);
    ExpectAuthenticationFailure(Flip(sealed, i), kAad);
  }
}

TEST_F(AeadTest, OpenFailsWhenAnyTagByteIsFlipped) {
  std::string sealed = SealMessage();
  for (size_t i = sealed.size() - kGcmTagSize; i < sealed.size(); ++i) {
    SCOPED_TRACE(i);
    ExpectAuthenticationFailure(Flip(sealed, i), kAad);
  }
}

TEST_F(AeadTest, OpenFailsWhenAadDiffers) {
  std::string sealed = SealMessage();
  ExpectAuthenticationFailure(sealed, "kms-key-material:1234:2");
  ExpectAuthenticationFailure(sealed, "");
}

TEST_F(AeadTest, OpenFailsWhenCiphertextIsTruncated) {
  std::string sealed = SealMessage();
  ExpectAuthenticationFailure(sealed.substr(0, sealed.size() - 1), kAad);
  ExpectAuthenticationFailure(sealed.substr(0, kAeadOverhead - 1), kAad);
  ExpectAuthenticationFailure("", kAad);
}

TEST_F(AeadTest, OpenFailsWhenKeyDiffers) {
  std::string sealed = SealMessage();
  SecretBytes other = SecretBytes::FromRandom(kAes256KeySize, random_);
  Result<std::string> opened = Open(other, sealed, kAad);
  ASSERT_FALSE(opened.ok());
  EXPECT_TRUE(IsAuthenticationFailure(opened.error()));
}

TEST_F(AeadTest, SealFailsWithInternalFailureWhenKeyIsNot32Bytes) {
  SecretBytes short_key(16);
  Result<std::string> sealed = Seal(short_key, kPlaintext, kAad, random_);
  ASSERT_FALSE(sealed.ok());
  EXPECT_EQ(sealed.error().code, "InternalFailure");
  EXPECT_EQ(sealed.error().http_status, 500);
  EXPECT_FALSE(IsAuthenticationFailure(sealed.error()));
}

TEST_F(AeadTest, OpenSecretRoundTripsKeyMaterial) {
  SecretBytes material = SecretBytes::FromRandom(32, random_);
  Result<std::string> sealed = Seal(key_, material.AsStringView(), kAad, random_);
  ASSERT_TRUE(sealed.ok());
  Result<SecretBytes> opened = OpenSecret(key_, *sealed, kAad);
  ASSERT_TRUE(opened.ok());
  EXPECT_TRUE(*opened == material);
}

TEST_F(AeadTest, OpenSecretFailsWhenTagIsFlipped) {
  std::string sealed = Flip(SealMessage(), kPlaintext.size() + kGcmNonceSize);
  Result<SecretBytes> opened = OpenSecret(key_, sealed, kAad);
  ASSERT_FALSE(opened.ok());
  EXPECT_TRUE(IsAuthenticationFailure(opened.error()));
}

TEST_F(AeadTest, SealRoundTripsAnEmptyPlaintextWithEmptyAad) {
  Result<std::string> sealed = Seal(key_, "", "", random_);
  ASSERT_TRUE(sealed.ok());
  Result<std::string> opened = Open(key_, *sealed, "");
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, "");
}

}  // namespace
}  // namespace gee::crypto
