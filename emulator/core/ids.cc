#include "core/ids.h"

#include <array>
#include <cstdint>

namespace gee {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";
constexpr char kBase32Alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr char kSecretAlphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void AppendHex(uint8_t b, std::string* out) {
  out->push_back(kHexDigits[b >> 4]);
  out->push_back(kHexDigits[b & 0x0f]);
}

bool IsHexDigit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

}  // namespace

std::string NewUuid(Random& random) {
  std::array<uint8_t, 16> b;
  random.Fill(b.data(), b.size());
  b[6] = static_cast<uint8_t>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<uint8_t>((b[8] & 0x3f) | 0x80);  // variant 10
  std::string out;
  out.reserve(kUuidLength);
  for (size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    AppendHex(b[i], &out);
  }
  return out;
}

bool IsUuid(std::string_view text) {
  if (text.size() != kUuidLength) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const bool dash_position = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash_position ? text[i] != '-' : !IsHexDigit(text[i])) return false;
  }
  return true;
}

std::string NewPrefixedId(std::string_view prefix, size_t length, Random& random) {
  std::string out(prefix);
  std::string bytes = random.Bytes(length);
  for (char c : bytes) out.push_back(kBase32Alphabet[static_cast<uint8_t>(c) & 31]);
  return out;
}

std::string NewAwsId(AwsIdKind kind, Random& random) {
  switch (kind) {
    case AwsIdKind::kUser:
      return NewPrefixedId("AIDA", 17, random);
    case AwsIdKind::kRole:
      return NewPrefixedId("AROA", 17, random);
    case AwsIdKind::kPolicy:
      return NewPrefixedId("ANPA", 17, random);
    case AwsIdKind::kAccessKey:
      return NewPrefixedId("AKIA", 16, random);
    case AwsIdKind::kTemporaryAccessKey:
      return NewPrefixedId("ASIA", 16, random);
  }
  return {};
}

crypto::SecretBytes NewSecretAccessKey(Random& random) {
  crypto::SecretBytes out =
      crypto::SecretBytes::FromRandom(kSecretAccessKeyLength, random);
  for (uint8_t& b : out.mutable_span()) {
    b = static_cast<uint8_t>(kSecretAlphabet[b & 63]);
  }
  return out;
}

std::string NewHexId(size_t random_bytes, Random& random) {
  std::string bytes = random.Bytes(random_bytes);
  std::string out;
  out.reserve(2 * random_bytes);
  for (char c : bytes) AppendHex(static_cast<uint8_t>(c), &out);
  return out;
}

}  // namespace gee
