// The order and identity of stored log events, and the pagination tokens
// built from them.
//
// Every stored event has an EventKey: its timestamp, then the id of the
// PutLogEvents batch that carried it (batch ids increase with ingestion, so
// this is AWS's documented tie-break "the timestamp when the event was
// ingested, and the ID of the PutLogEvents request"), then its index in that
// batch. Keys order the events of a stream (GetLogEvents) and of a whole log
// group (FilterLogEvents), and name one event (FilterLogEvents eventId).
//
// Text forms (all decimal digits, zero-padded, 56 digits like AWS's ids):
//   EventKey digits   20 digits timestamp (ms) | 20 digits batch id | 16 digits index
//   eventId           the key digits
//   GetLogEvents      "f/<digits>/s" (nextForwardToken: events after the key)
//                     "b/<digits>/s" (nextBackwardToken: events before the key)
//   FilterLogEvents   "e/<digits>"   (events after the key)
// Decoding accepts exactly these forms (the "/s" suffix of stream tokens is
// optional); anything else is an invalid token.
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gee::logs {

struct EventKey {
  int64_t timestamp_ms = 0;
  int64_t batch_id = 0;
  int64_t index = 0;

  auto operator<=>(const EventKey&) const = default;
};

// The 56-digit form. Negative fields are not representable (timestamps are
// >= 0 by the model; ids and indexes are never negative).
std::string EncodeEventKey(const EventKey& key);
std::optional<EventKey> DecodeEventKey(std::string_view digits);

enum class TokenDirection { kForward, kBackward };

struct StreamToken {
  TokenDirection direction = TokenDirection::kForward;
  EventKey key;
};

std::string EncodeStreamToken(TokenDirection direction, const EventKey& key);
std::optional<StreamToken> DecodeStreamToken(std::string_view token);

std::string EncodeFilterToken(const EventKey& key);
std::optional<EventKey> DecodeFilterToken(std::string_view token);

}  // namespace gee::logs
