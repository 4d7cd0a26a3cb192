#include "protocol/base64.h"

#include <array>
#include <cstdint>

namespace gee::protocol {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<int8_t, 256> MakeReverse() {
  std::array<int8_t, 256> table{};
  for (auto& v : table) v = -1;
  for (int i = 0; i < 64; ++i) table[static_cast<uint8_t>(kAlphabet[i])] = static_cast<int8_t>(i);
  return table;
}
constexpr std::array<int8_t, 256> kReverse = MakeReverse();

AwsError Bad(std::string reason) { return AwsError("SerializationException", std::move(reason), 400); }

}  // namespace

std::string Base64Encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t n = (static_cast<uint8_t>(bytes[i]) << 16) | (static_cast<uint8_t>(bytes[i + 1]) << 8) |
                 static_cast<uint8_t>(bytes[i + 2]);
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out.push_back(kAlphabet[(n >> 6) & 63]);
    out.push_back(kAlphabet[n & 63]);
  }
  const size_t rest = bytes.size() - i;
  if (rest == 1) {
    uint32_t n = static_cast<uint8_t>(bytes[i]) << 16;
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out += "==";
  } else if (rest == 2) {
    uint32_t n = (static_cast<uint8_t>(bytes[i]) << 16) | (static_cast<uint8_t>(bytes[i + 1]) << 8);
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out.push_back(kAlphabet[(n >> 6) & 63]);
    out.push_back('=');
  }
  return out;
}

namespace {

// Checks `text` by the rules in the header; on success sets the number of
// data characters (text without padding).
Status CheckBase64(std::string_view text, size_t& data_chars) {
  if (text.size() % 4 != 0) {
    return Bad("Base64 encoded length is expected a multiple of 4 bytes but found: " +
               std::to_string(text.size()));
  }
  size_t padding = 0;
  if (!text.empty() && text.back() == '=') ++padding;
  if (text.size() >= 2 && text[text.size() - 2] == '=') ++padding;
  data_chars = text.size() - padding;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (i < data_chars ? kReverse[static_cast<uint8_t>(c)] < 0 : c != '=') {
      return Bad(std::string("Invalid Base64 character: '") + c + "'");
    }
  }
  // The bits of the last data character that no output byte uses must be 0.
  const size_t rest = data_chars % 4;
  if (rest != 0) {
    const uint32_t last = static_cast<uint32_t>(kReverse[static_cast<uint8_t>(text[data_chars - 1])]);
    const uint32_t unused_mask = rest == 2 ? 0x0F : 0x03;  // 2 chars: 4 bits unused; 3 chars: 2
    if (rest == 1 || (last & unused_mask) != 0) {
      return Bad("Invalid last non-pad Base64 character dectected");
    }
  }
  return OkStatus();
}

uint32_t Sextet(char c) { return static_cast<uint32_t>(kReverse[static_cast<uint8_t>(c)]); }

}  // namespace

Result<std::string> Base64Decode(std::string_view text) {
  size_t data_chars = 0;
  GEE_RETURN_IF_ERROR(CheckBase64(text, data_chars));
  std::string out(data_chars * 3 / 4, '\0');
  char* dst = out.data();
  size_t i = 0;
  for (; i + 4 <= data_chars; i += 4) {
    const uint32_t n = (Sextet(text[i]) << 18) | (Sextet(text[i + 1]) << 12) |
                       (Sextet(text[i + 2]) << 6) | Sextet(text[i + 3]);
    *dst++ = static_cast<char>(n >> 16);
    *dst++ = static_cast<char>(n >> 8);
    *dst++ = static_cast<char>(n);
  }
  const size_t rest = data_chars - i;
  if (rest >= 2) {
    const uint32_t n = (Sextet(text[i]) << 18) | (Sextet(text[i + 1]) << 12) |
                       (rest == 3 ? Sextet(text[i + 2]) << 6 : 0);
    *dst++ = static_cast<char>(n >> 16);
    if (rest == 3) *dst++ = static_cast<char>(n >> 8);
  }
  return out;
}

Result<size_t> Base64DecodedSize(std::string_view text) {
  size_t data_chars = 0;
  GEE_RETURN_IF_ERROR(CheckBase64(text, data_chars));
  return data_chars * 3 / 4;
}

}  // namespace gee::protocol
