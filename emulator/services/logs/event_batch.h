// How the events of one PutLogEvents request are stored: one sealed batch.
//
// A batch is the accepted events of one PutLogEvents call, serialised, then
// sealed with AES-256-GCM (crypto/aead.h) under a data key of the log group
// (services/logs/data_keys.h). Only the sealed bytes reach the database; the
// batch's row keeps its time range, event count and ingestion time in clear
// (Logs metadata, not customer data) and they are authenticated as AAD.
//
// Plaintext layout (integers big-endian):
//
//   offset  size  field
//   0       1     format version, 0x01
//   1       4     event count n (1..10000)
//   then n records:
//           8     timestamp, milliseconds since the epoch (two's complement)
//           4     message length m in bytes
//           m     message, UTF-8 as received
//
// Sealed batch (the logs_batches.sealed column) = crypto::Seal(data key,
// plaintext, aad): 12-byte nonce || ciphertext || 16-byte tag.
//
// AAD = "gee-logs-batch-v1" followed by five length-prefixed fields (4-byte
// big-endian length, then the bytes): the log group ARN, the log stream name,
// the data key reference (logs_data_keys.key_ref), the ingestion time in
// microseconds and the event count, both as decimal text. So a sealed batch
// moved to another group or stream, re-labelled with another data key, count
// or ingestion time, or altered in any bit, fails to open.
//
// Errors: DecodeBatch of bytes that are not this layout and OpenBatch of
// anything that does not authenticate are "InternalFailure" / 500 (stored
// data was modified); messages never contain event text.
//
// Thread-safety: pure functions; Random must be thread-safe (every gee::Random is).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/random.h"
#include "core/result.h"
#include "crypto/secret_bytes.h"

namespace gee::logs {

struct LogEvent {
  int64_t timestamp_ms = 0;
  std::string message;
};

inline constexpr uint8_t kBatchFormatVersion = 0x01;

// Where a batch belongs; every field is bound into the AAD.
struct BatchBinding {
  std::string_view log_group_arn;
  std::string_view log_stream_name;
  std::string_view data_key_ref;
  int64_t ingestion_us = 0;
  int64_t event_count = 0;
};

std::string EncodeBatch(std::span<const LogEvent> events);
Result<std::vector<LogEvent>> DecodeBatch(std::string_view plaintext);
std::string BatchAad(const BatchBinding& binding);

// EncodeBatch then Seal under `data_key` with BatchAad(binding).
// binding.event_count must equal events.size().
Result<std::string> SealBatch(const crypto::SecretBytes& data_key,
                              std::span<const LogEvent> events, const BatchBinding& binding,
                              Random& random);
// Open then DecodeBatch; also checks the decoded count against the binding.
Result<std::vector<LogEvent>> OpenBatch(const crypto::SecretBytes& data_key,
                                        std::string_view sealed, const BatchBinding& binding);

}  // namespace gee::logs
