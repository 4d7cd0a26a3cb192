#include "services/logs/event_batch.h"

#include "crypto/aead.h"

namespace gee::logs {

namespace {

constexpr std::string_view kAadPrefix = "gee-logs-batch-v1";

void AppendU32(std::string& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xFF));
}

void AppendU64(std::string& out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xFF));
}

uint64_t ReadBigEndian(std::string_view bytes) {
  uint64_t v = 0;
  for (unsigned char c : bytes) v = (v << 8) | c;
  return v;
}

void AppendField(std::string& out, std::string_view field) {
  AppendU32(out, static_cast<uint32_t>(field.size()));
  out.append(field);
}

AwsError Corrupt() {
  return AwsError("InternalFailure", "A stored log event batch is corrupt.", 500);
}

}  // namespace

std::string EncodeBatch(std::span<const LogEvent> events) {
  size_t size = 1 + 4;
  for (const LogEvent& e : events) size += 8 + 4 + e.message.size();
  std::string out;
  out.reserve(size);
  out.push_back(static_cast<char>(kBatchFormatVersion));
  AppendU32(out, static_cast<uint32_t>(events.size()));
  for (const LogEvent& e : events) {
    AppendU64(out, static_cast<uint64_t>(e.timestamp_ms));
    AppendU32(out, static_cast<uint32_t>(e.message.size()));
    out.append(e.message);
  }
  return out;
}

Result<std::vector<LogEvent>> DecodeBatch(std::string_view plaintext) {
  if (plaintext.size() < 5 || static_cast<uint8_t>(plaintext[0]) != kBatchFormatVersion) {
    return Corrupt();
  }
  uint64_t count = ReadBigEndian(plaintext.substr(1, 4));
  std::string_view rest = plaintext.substr(5);
  // Each record takes at least 12 bytes: bound the reservation by the input.
  if (count > rest.size() / 12) return Corrupt();
  std::vector<LogEvent> events;
  events.reserve(count);
  for (uint64_t i = 0; i < count; ++i) {
    if (rest.size() < 12) return Corrupt();
    LogEvent e;
    e.timestamp_ms = static_cast<int64_t>(ReadBigEndian(rest.substr(0, 8)));
    uint64_t length = ReadBigEndian(rest.substr(8, 4));
    rest = rest.substr(12);
    if (length > rest.size()) return Corrupt();
    e.message.assign(rest.substr(0, length));
    rest = rest.substr(length);
    events.push_back(std::move(e));
  }
  if (!rest.empty()) return Corrupt();
  return events;
}

std::string BatchAad(const BatchBinding& binding) {
  std::string aad(kAadPrefix);
  AppendField(aad, binding.log_group_arn);
  AppendField(aad, binding.log_stream_name);
  AppendField(aad, binding.data_key_ref);
  AppendField(aad, std::to_string(binding.ingestion_us));
  AppendField(aad, std::to_string(binding.event_count));
  return aad;
}

Result<std::string> SealBatch(const crypto::SecretBytes& data_key,
                              std::span<const LogEvent> events, const BatchBinding& binding,
                              Random& random) {
  if (static_cast<int64_t>(events.size()) != binding.event_count) {
    return AwsError("InternalFailure", "batch binding does not match its events", 500);
  }
  return crypto::Seal(data_key, EncodeBatch(events), BatchAad(binding), random);
}

Result<std::vector<LogEvent>> OpenBatch(const crypto::SecretBytes& data_key,
                                        std::string_view sealed, const BatchBinding& binding) {
  auto plaintext = crypto::Open(data_key, sealed, BatchAad(binding));
  if (!plaintext.ok()) {
    if (crypto::IsAuthenticationFailure(plaintext.error())) return Corrupt();
    return std::move(plaintext).error();
  }
  GEE_ASSIGN_OR_RETURN(std::vector<LogEvent> events, DecodeBatch(*plaintext));
  if (static_cast<int64_t>(events.size()) != binding.event_count) return Corrupt();
  return events;
}

}  // namespace gee::logs
