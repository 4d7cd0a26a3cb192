#include "crypto/encoding.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <type_traits>

namespace gee::crypto {
namespace {

// Largest chunk handed to OpenSSL at once: a multiple of 3 (encode) and of 4
// (decode) that fits EVP's int lengths.
constexpr size_t kEncodeChunk = 3 * (size_t{1} << 26);
constexpr size_t kDecodeChunk = 4 * (size_t{1} << 26);

AwsError InvalidBase64(std::string_view why) {
  return AwsError("ValidationException",
                  "Invalid base64 encoding: " + std::string(why), 400);
}

// Value of a standard-alphabet character, or -1.
int StandardValue(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

size_t DecodedSize(std::string_view text, size_t padding) {
  return text.size() / 4 * 3 - padding;
}

// Validates `text` strictly and returns the number of '=' (0..2).
Result<size_t> Validate(std::string_view text) {
  if (text.size() % 4 != 0) return InvalidBase64("length is not a multiple of 4");
  size_t padding = 0;
  if (!text.empty() && text.back() == '=') {
    ++padding;
    if (text[text.size() - 2] == '=') ++padding;
  }
  const size_t data_chars = text.size() - padding;
  for (size_t i = 0; i < data_chars; ++i) {
    if (StandardValue(text[i]) < 0) {
      return InvalidBase64("character outside the alphabet at offset " +
                           std::to_string(i));
    }
  }
  if (padding > 0) {
    // The bits after the last whole byte must be zero.
    const int last = StandardValue(text[data_chars - 1]);
    const int unused_mask = padding == 2 ? 0x0f : 0x03;
    if ((last & unused_mask) != 0) return InvalidBase64("non-canonical padding bits");
  }
  return padding;
}

// Decodes validated text into `out`, which has room for text.size() / 4 * 3
// bytes: EVP_DecodeBlock also writes the zero bytes that padding stands for.
Status DecodeInto(std::string_view text, uint8_t* out) {
  std::string_view rest = text;
  uint8_t* dst = out;
  while (!rest.empty()) {
    const size_t chunk = std::min(rest.size(), kDecodeChunk);
    const int n = EVP_DecodeBlock(dst, reinterpret_cast<const uint8_t*>(rest.data()),
                                  static_cast<int>(chunk));
    if (n < 0 || static_cast<size_t>(n) != chunk / 4 * 3) {
      return InvalidBase64("rejected by decoder");
    }
    dst += n;
    rest.remove_prefix(chunk);
  }
  return OkStatus();
}

template <typename Out>
Result<Out> DecodeAs(std::string_view text) {
  GEE_ASSIGN_OR_RETURN(size_t padding, Validate(text));
  // Decode whole quanta into scratch, then copy out the real bytes.
  SecretBytes scratch(text.size() / 4 * 3);
  GEE_RETURN_IF_ERROR(DecodeInto(text, scratch.data()));
  const size_t size = DecodedSize(text, padding);
  if constexpr (std::is_same_v<Out, SecretBytes>) {
    return SecretBytes::CopyOf(scratch.span().first(size));
  } else {
    return std::string(scratch.AsStringView().substr(0, size));
  }
}

std::string ToUrlAlphabet(std::string s) {
  for (char& c : s) {
    if (c == '+') c = '-';
    else if (c == '/') c = '_';
  }
  while (!s.empty() && s.back() == '=') s.pop_back();
  return s;
}

}  // namespace

std::string Base64Encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4 + 1);
  while (!bytes.empty()) {
    const size_t chunk = std::min(bytes.size(), kEncodeChunk);
    const size_t start = out.size();
    out.resize(start + (chunk + 2) / 3 * 4 + 1);  // +1: EVP writes a NUL
    const int n = EVP_EncodeBlock(reinterpret_cast<uint8_t*>(out.data() + start),
                                  reinterpret_cast<const uint8_t*>(bytes.data()),
                                  static_cast<int>(chunk));
    out.resize(start + static_cast<size_t>(n));
    bytes.remove_prefix(chunk);
  }
  return out;
}

Result<std::string> Base64Decode(std::string_view text) {
  return DecodeAs<std::string>(text);
}

Result<SecretBytes> Base64DecodeSecret(std::string_view text) {
  return DecodeAs<SecretBytes>(text);
}

std::string Base64UrlEncode(std::string_view bytes) {
  return ToUrlAlphabet(Base64Encode(bytes));
}

Result<std::string> Base64UrlDecode(std::string_view text) {
  std::string standard(text);
  for (char& c : standard) {
    if (c == '+' || c == '/') return InvalidBase64("character outside the alphabet");
    if (c == '-') c = '+';
    else if (c == '_') c = '/';
  }
  if (standard.find('=') == std::string::npos) {
    if (standard.size() % 4 == 1) return InvalidBase64("impossible length");
    standard.append((4 - standard.size() % 4) % 4, '=');
  }
  return Base64Decode(standard);
}

}  // namespace gee::crypto
