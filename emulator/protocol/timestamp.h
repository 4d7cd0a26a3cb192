// Timestamp text formats of the AWS protocols. Handlers and the codecs carry
// timestamps as epoch seconds (a JSON number, fractional allowed); these
// functions convert at the wire:
//   ISO-8601  "2024-01-01T00:00:00Z" (Query and XML bodies; with ".123" when
//             the value has milliseconds)
//   RFC 822   "Mon, 01 Jan 2024 00:00:00 GMT" (HTTP headers, S3)
// Parsing accepts what AWS clients send: ISO-8601 date-times with 'T' or 't',
// optional fraction, and 'Z' or a ±HH:MM / ±HHMM offset; RFC 822/1123 dates
// with "GMT"/"UTC"/"Z"/"+0000". Years 0001-9999 only.
//
// Thread-safety: pure functions (no locale, no TZ environment).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gee::protocol {

// `always_millis` writes ".000" too (S3 bodies always carry milliseconds).
std::string FormatIso8601(double epoch_seconds, bool always_millis = false);
std::optional<double> ParseIso8601(std::string_view text);

std::string FormatRfc822(double epoch_seconds);
std::optional<double> ParseRfc822(std::string_view text);

}  // namespace gee::protocol
