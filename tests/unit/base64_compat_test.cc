// gee's one base64 codec (crypto/encoding.h) replaced two: OpenSSL's
// EVP_EncodeBlock behind a strict validator, and protocol/base64's own. These
// tests hold it to both, kept here as the reference: the same text for every
// byte string, the same bytes, verdict and error wording for every text.
#include <openssl/evp.h>

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "crypto/encoding.h"
#include "protocol/base64.h"

namespace gee {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int Sextet(char c) {
  const char* at = std::char_traits<char>::find(kAlphabet, 64, c);
  return at == nullptr ? -1 : static_cast<int>(at - kAlphabet);
}

std::string OpenSslEncode(const std::string& bytes) {
  std::string out((bytes.size() + 2) / 3 * 4 + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<uint8_t*>(out.data()),
                                reinterpret_cast<const uint8_t*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

// The earlier protocol/base64.cc decoder: its verdict and AWS wording.
Result<std::string> ReferenceProtocolDecode(std::string_view text) {
  const auto bad = [](std::string reason) { return AwsError("SerializationException", std::move(reason), 400); };
  if (text.size() % 4 != 0) {
    return bad("Base64 encoded length is expected a multiple of 4 bytes but found: " + std::to_string(text.size()));
  }
  size_t padding = 0;
  if (!text.empty() && text.back() == '=') ++padding;
  if (text.size() >= 2 && text[text.size() - 2] == '=') ++padding;
  const size_t data_chars = text.size() - padding;
  for (size_t i = 0; i < text.size(); ++i) {
    if (i < data_chars ? Sextet(text[i]) < 0 : text[i] != '=') {
      return bad(std::string("Invalid Base64 character: '") + text[i] + "'");
    }
  }
  const size_t rest = data_chars % 4;
  if (rest != 0) {
    const int last = Sextet(text[data_chars - 1]);
    if (rest == 1 || (last & (rest == 2 ? 0x0F : 0x03)) != 0) {
      return bad("Invalid last non-pad Base64 character dectected");
    }
  }
  std::string out;
  uint32_t bits = 0;
  int count = 0;
  for (size_t i = 0; i < data_chars; ++i) {
    bits = (bits << 6) | static_cast<uint32_t>(Sextet(text[i]));
    count += 6;
    if (count >= 8) {
      count -= 8;
      out.push_back(static_cast<char>(bits >> count));
    }
  }
  return out;
}

// The earlier crypto/encoding.cc validator's wording.
std::string ReferenceCryptoError(std::string_view text) {
  if (text.size() % 4 != 0) return "Invalid base64 encoding: length is not a multiple of 4";
  size_t padding = 0;
  if (!text.empty() && text.back() == '=') {
    ++padding;
    if (text[text.size() - 2] == '=') ++padding;
  }
  const size_t data_chars = text.size() - padding;
  for (size_t i = 0; i < data_chars; ++i) {
    if (Sextet(text[i]) < 0) return "Invalid base64 encoding: character outside the alphabet at offset " + std::to_string(i);
  }
  if (padding > 0 && (Sextet(text[data_chars - 1]) & (padding == 2 ? 0x0f : 0x03)) != 0) {
    return "Invalid base64 encoding: non-canonical padding bits";
  }
  return "";
}

TEST(Base64CompatTest, EncodeMatchesOpenSslForEveryLength) {
  std::mt19937_64 rng(5);
  for (size_t n = 0; n < 300; ++n) {
    std::string bytes(n, '\0');
    for (char& c : bytes) c = static_cast<char>(rng());
    ASSERT_EQ(crypto::Base64Encode(bytes), OpenSslEncode(bytes)) << n;
    std::string appended = "prefix";
    crypto::AppendBase64(bytes, appended);
    ASSERT_EQ(appended, "prefix" + OpenSslEncode(bytes)) << n;
  }
}

TEST(Base64CompatTest, DecodeMatchesTheEarlierDecodersOnGeneratedText) {
  std::mt19937_64 rng(6);
  const std::string noise = std::string("=====!-_ \n.\x80\xFF", 13) + std::string(1, '\0');
  for (int round = 0; round < 100000; ++round) {
    std::string text;
    if (round % 2 == 0) {
      std::string bytes(rng() % 40, '\0');
      for (char& c : bytes) c = static_cast<char>(rng());
      text = crypto::Base64Encode(bytes);
    } else {
      for (size_t n = rng() % 40; n > 0; --n) text += kAlphabet[rng() % 64];
    }
    // A few changes, often near the end where the padding rules bite.
    for (size_t edits = rng() % 3; edits > 0 && !text.empty(); --edits) {
      const size_t at = rng() % 2 == 0 ? text.size() - 1 - rng() % std::min<size_t>(text.size(), 4) : rng() % text.size();
      const char c = rng() % 2 == 0 ? noise[rng() % noise.size()] : kAlphabet[rng() % 64];
      if (rng() % 4 == 0) text.insert(at, 1, c); else text[at] = c;
    }
    SCOPED_TRACE(text);
    const Result<std::string> expected = ReferenceProtocolDecode(text);
    const Result<std::string> actual = protocol::Base64Decode(text);
    ASSERT_EQ(actual.ok(), expected.ok());
    const Result<size_t> size = protocol::Base64DecodedSize(text);
    ASSERT_EQ(size.ok(), expected.ok());
    const Result<std::string> crypto_bytes = crypto::Base64Decode(text);
    const Result<crypto::SecretBytes> secret = crypto::Base64DecodeSecret(text);
    ASSERT_EQ(crypto_bytes.ok(), expected.ok());
    ASSERT_EQ(secret.ok(), expected.ok());
    ASSERT_EQ(crypto::FindBase64Flaw(text).has_value(), !expected.ok());
    if (expected.ok()) {
      EXPECT_EQ(*actual, *expected);
      EXPECT_EQ(*size, expected->size());
      EXPECT_EQ(*crypto_bytes, *expected);
      EXPECT_EQ(secret->AsStringView(), *expected);
      EXPECT_EQ(crypto::Base64Encode(*expected), text);
    } else {
      EXPECT_EQ(actual.error().message, expected.error().message);
      EXPECT_EQ(actual.error().code, "SerializationException");
      EXPECT_EQ(size.error().message, expected.error().message);
      EXPECT_EQ(crypto_bytes.error().message, ReferenceCryptoError(text));
      EXPECT_EQ(crypto_bytes.error().code, "ValidationException");
      EXPECT_EQ(secret.error().message, ReferenceCryptoError(text));
    }
    if (HasFailure()) return;
  }
}

}  // namespace
}  // namespace gee
