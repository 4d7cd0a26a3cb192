#include "crypto/hash.h"

#include <gtest/gtest.h>

#include <string>

namespace gee::crypto {
namespace {

// Known answers: FIPS 180-2 examples and RFC 4231 HMAC-SHA256 test cases.
constexpr char kSha256Abc[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
constexpr char kSha256Empty[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr char kSha256MillionA[] =
    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
constexpr char kSha1Abc[] = "a9993e364706816aba3e25717850c26c9cd0d89d";

TEST(HashTest, Sha256MatchesKnownAnswer) {
  auto hex = Sha256Hex("abc");
  ASSERT_TRUE(hex.ok());
  EXPECT_EQ(*hex, kSha256Abc);
}

TEST(HashTest, Sha256OfEmptyInputMatchesKnownAnswer) {
  auto hex = Sha256Hex("");
  ASSERT_TRUE(hex.ok());
  EXPECT_EQ(*hex, kSha256Empty);
}

TEST(HashTest, IncrementalSha256EqualsOneShotAcrossUnevenPieces) {
  auto hasher = Hasher::CreateSha256();
  ASSERT_TRUE(hasher.ok());
  std::string a(1000, 'a');
  // 1,000,000 'a' fed in pieces of 1000 and a few odd sizes.
  ASSERT_TRUE(hasher->Update(std::string(7, 'a')).ok());
  for (int i = 0; i < 999; ++i) ASSERT_TRUE(hasher->Update(a).ok());
  ASSERT_TRUE(hasher->Update(std::string(993, 'a')).ok());
  auto digest = hasher->Finish();
  ASSERT_TRUE(digest.ok());
  EXPECT_EQ(HexEncode(*digest), kSha256MillionA);
}

TEST(HashTest, HasherRefusesUpdateAfterFinishUntilReset) {
  auto hasher = Hasher::CreateSha256();
  ASSERT_TRUE(hasher.ok());
  ASSERT_TRUE(hasher->Update("ab").ok());
  ASSERT_TRUE(hasher->Finish().ok());
  EXPECT_FALSE(hasher->Update("c").ok());
  ASSERT_TRUE(hasher->Reset().ok());
  ASSERT_TRUE(hasher->Update("abc").ok());
  auto digest = hasher->Finish();
  ASSERT_TRUE(digest.ok());
  EXPECT_EQ(HexEncode(*digest), kSha256Abc);
}

TEST(HashTest, Sha1HasherMatchesKnownAnswer) {
  auto hasher = Hasher::Create(HashAlgorithm::kSha1);
  ASSERT_TRUE(hasher.ok());
  ASSERT_TRUE(hasher->Update("a").ok());
  ASSERT_TRUE(hasher->Update("bc").ok());
  auto digest = hasher->Finish();
  ASSERT_TRUE(digest.ok());
  EXPECT_EQ(digest->size(), kSha1Size);
  EXPECT_EQ(HexEncode(*digest), kSha1Abc);
}

TEST(HashTest, HmacSha256MatchesRfc4231Case1) {
  std::string key(20, '\x0b');
  auto mac = HmacSha256(AsBytes(key), "Hi There");
  ASSERT_TRUE(mac.ok());
  EXPECT_EQ(HexEncode(*mac), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

TEST(HashTest, HmacSha256MatchesRfc4231Case2) {
  auto mac = HmacSha256(AsBytes("Jefe"), "what do ya want for nothing?");
  ASSERT_TRUE(mac.ok());
  EXPECT_EQ(HexEncode(*mac), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(HashTest, HmacSha256AcceptsOutputAliasingTheKey) {
  Sha256Digest key{};
  key.fill(0x0b);
  auto expected = HmacSha256(key, "chain");
  ASSERT_TRUE(expected.ok());
  ASSERT_TRUE(HmacSha256(key, AsBytes("chain"), std::span<uint8_t, kSha256Size>(key)).ok());
  EXPECT_EQ(key, *expected);
}

TEST(HashTest, HmacSha256KeyMatchesRfc4231Case6WithAKeyLongerThanABlock) {
  auto key = HmacSha256Key::Create(AsBytes(std::string(131, '\xaa')));
  ASSERT_TRUE(key.ok());
  auto mac = key->Mac("Test Using Larger Than Block-Size Key - Hash Key First");
  ASSERT_TRUE(mac.ok());
  EXPECT_EQ(HexEncode(*mac), "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(HashTest, HmacSha256KeyAgreesWithHmacSha256ForEveryKeyLengthAndRepeatedUse) {
  for (size_t key_size : {0, 1, 20, 32, 63, 64, 65, 200}) {
    std::string key_bytes(key_size, '\0');
    for (size_t i = 0; i < key_size; ++i) key_bytes[i] = static_cast<char>(i * 7 + 1);
    auto key = HmacSha256Key::Create(AsBytes(key_bytes));
    ASSERT_TRUE(key.ok());
    for (const std::string& data : {std::string(), std::string("a"), std::string(64, 'x'),
                                   std::string(1000, 'y')}) {
      auto expected = HmacSha256(AsBytes(key_bytes), data);
      auto mac = key->Mac(data);
      ASSERT_TRUE(expected.ok() && mac.ok());
      EXPECT_EQ(HexEncode(*mac), HexEncode(*expected)) << key_size << " " << data.size();
    }
  }
}

TEST(HashTest, HexRoundTripsAndAcceptsUpperCase) {
  const std::string bytes("\x00\x01\x7f\x80\xff", 5);
  EXPECT_EQ(HexEncode(bytes), "00017f80ff");
  auto decoded = HexDecode("00017F80fF");
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(std::string(decoded->begin(), decoded->end()), bytes);
}

TEST(HashTest, HexDecodeRejectsOddLengthAndNonHex) {
  EXPECT_FALSE(HexDecode("abc").has_value());
  EXPECT_FALSE(HexDecode("zz").has_value());
}

TEST(HashTest, ConstantTimeEqualsComparesContentAndLength) {
  EXPECT_TRUE(ConstantTimeEquals("signature", "signature"));
  EXPECT_FALSE(ConstantTimeEquals("signature", "signaturf"));
  EXPECT_FALSE(ConstantTimeEquals("signature", "signatur"));
  EXPECT_TRUE(ConstantTimeEquals("", ""));
}

}  // namespace
}  // namespace gee::crypto
