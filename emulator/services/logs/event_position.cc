#include "services/logs/event_position.h"

#include <cstdint>

namespace gee::logs {

namespace {

constexpr size_t kTimestampDigits = 20;
constexpr size_t kBatchDigits = 20;
constexpr size_t kIndexDigits = 16;
constexpr size_t kKeyDigits = kTimestampDigits + kBatchDigits + kIndexDigits;

void AppendPadded(std::string& out, int64_t value, size_t width) {
  std::string digits = std::to_string(value < 0 ? 0 : value);
  if (digits.size() < width) out.append(width - digits.size(), '0');
  out += digits;
}

std::optional<int64_t> ParseField(std::string_view digits) {
  // At most 19 significant digits fit an int64_t; leading zeros pad the rest.
  size_t first = digits.find_first_not_of('0');
  if (first == std::string_view::npos) return 0;
  std::string_view significant = digits.substr(first);
  if (significant.size() > 19) return std::nullopt;
  uint64_t value = 0;
  for (char c : significant) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  if (value > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
  return static_cast<int64_t>(value);
}

}  // namespace

std::string EncodeEventKey(const EventKey& key) {
  std::string out;
  out.reserve(kKeyDigits);
  AppendPadded(out, key.timestamp_ms, kTimestampDigits);
  AppendPadded(out, key.batch_id, kBatchDigits);
  AppendPadded(out, key.index, kIndexDigits);
  return out;
}

std::optional<EventKey> DecodeEventKey(std::string_view digits) {
  if (digits.size() != kKeyDigits) return std::nullopt;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  auto ts = ParseField(digits.substr(0, kTimestampDigits));
  auto batch = ParseField(digits.substr(kTimestampDigits, kBatchDigits));
  auto index = ParseField(digits.substr(kTimestampDigits + kBatchDigits, kIndexDigits));
  if (!ts || !batch || !index) return std::nullopt;
  return EventKey{*ts, *batch, *index};
}

std::string EncodeStreamToken(TokenDirection direction, const EventKey& key) {
  std::string token = direction == TokenDirection::kForward ? "f/" : "b/";
  token += EncodeEventKey(key);
  token += "/s";
  return token;
}

std::optional<StreamToken> DecodeStreamToken(std::string_view token) {
  if (token.size() < 2 || token[1] != '/') return std::nullopt;
  StreamToken result;
  if (token[0] == 'f') {
    result.direction = TokenDirection::kForward;
  } else if (token[0] == 'b') {
    result.direction = TokenDirection::kBackward;
  } else {
    return std::nullopt;
  }
  std::string_view digits = token.substr(2);
  if (digits.size() == kKeyDigits + 2 && digits.substr(kKeyDigits) == "/s") {
    digits = digits.substr(0, kKeyDigits);
  }
  auto key = DecodeEventKey(digits);
  if (!key) return std::nullopt;
  result.key = *key;
  return result;
}

std::string EncodeFilterToken(const EventKey& key) { return "e/" + EncodeEventKey(key); }

std::optional<EventKey> DecodeFilterToken(std::string_view token) {
  if (token.substr(0, 2) != "e/") return std::nullopt;
  return DecodeEventKey(token.substr(2));
}

}  // namespace gee::logs
