#include "crypto/encoding.h"

#include <gtest/gtest.h>

#include <string>

namespace gee::crypto {
namespace {

// RFC 4648 section 10 test vectors.
struct Rfc4648Case {
  const char* bytes;
  const char* base64;
};
const Rfc4648Case kRfcCases[] = {
    {"", ""},         {"f", "Zg=="},        {"fo", "Zm8="},
    {"foo", "Zm9v"},  {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="},
    {"foobar", "Zm9vYmFy"},
};

TEST(Base64Test, EncodeMatchesRfc4648Vectors) {
  for (const auto& c : kRfcCases) EXPECT_EQ(Base64Encode(c.bytes), c.base64);
}

TEST(Base64Test, DecodeMatchesRfc4648Vectors) {
  for (const auto& c : kRfcCases) {
    SCOPED_TRACE(c.base64);
    Result<std::string> decoded = Base64Decode(c.base64);
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ(*decoded, c.bytes);
  }
}

TEST(Base64Test, RoundTripsEveryByteValue) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  for (size_t n = 0; n <= all.size(); n += 37) {
    Result<std::string> back = Base64Decode(Base64Encode(all.substr(0, n)));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, all.substr(0, n));
  }
}

TEST(Base64Test, DecodeRejectsMalformedInput) {
  for (const char* bad : {"Zg", "Zg=", "Zm9", "Z===", "=Zm9", "Zm=v", "Zm9v\n",
                          " Zm9v", "Zm9v YmFy", "Zm9-", "Zm9_", "Zm\x80v"}) {
    SCOPED_TRACE(bad);
    Result<std::string> decoded = Base64Decode(bad);
    ASSERT_FALSE(decoded.ok());
    EXPECT_EQ(decoded.error().code, "ValidationException");
  }
}

TEST(Base64Test, DecodeRejectsNonCanonicalPaddingBits) {
  // "Zh==" and "Zm9=" carry non-zero bits after the last whole byte.
  EXPECT_FALSE(Base64Decode("Zh==").ok());
  EXPECT_FALSE(Base64Decode("Zm9=").ok());
}

TEST(Base64Test, DecodeErrorDoesNotEchoTheInput) {
  Result<std::string> decoded = Base64Decode("c2VjcmV0!!!");
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().message.find("c2VjcmV0"), std::string::npos);
}

TEST(Base64Test, DecodeSecretYieldsSecretBytes) {
  Result<SecretBytes> decoded = Base64DecodeSecret("Zm9vYmE=");
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->AsStringView(), "fooba");
}

TEST(Base64UrlTest, EncodeUsesUrlAlphabetWithoutPadding) {
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
  EXPECT_EQ(Base64Encode("\xfb\xff"), "+/8=");
}

TEST(Base64UrlTest, DecodeAcceptsPaddedAndUnpaddedInput) {
  Result<std::string> unpadded = Base64UrlDecode("-_8");
  Result<std::string> padded = Base64UrlDecode("-_8=");
  ASSERT_TRUE(unpadded.ok());
  ASSERT_TRUE(padded.ok());
  EXPECT_EQ(*unpadded, "\xfb\xff");
  EXPECT_EQ(*padded, "\xfb\xff");
}

TEST(Base64UrlTest, DecodeRejectsStandardAlphabetCharacters) {
  EXPECT_FALSE(Base64UrlDecode("+/8").ok());
  EXPECT_FALSE(Base64UrlDecode("Z").ok());
}

}  // namespace
}  // namespace gee::crypto
