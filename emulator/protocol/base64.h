// Base64 (RFC 4648 standard alphabet, padded) as AWS uses it for blob
// members in JSON and Query bodies: crypto/encoding.h's strict codec with
// errors worded the way AWS's JSON front end words them (see json_codec.h).
//
// Decoding is strict: the length must be a multiple of 4, padding only at
// the end, no whitespace, and the unused bits of the last character must be
// zero (so one text decodes from exactly one byte string).
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "crypto/encoding.h"

namespace gee::protocol {

using crypto::Base64Encode;

// Decodes `text`. The error (code "SerializationException") carries the
// reason as AWS words it for a JSON blob member:
//   "Base64 encoded length is expected a multiple of 4 bytes but found: 5"
//   "Invalid Base64 character: '!'"
//   "Invalid last non-pad Base64 character dectected"   (sic)
Result<std::string> Base64Decode(std::string_view text);

// The size Base64Decode(text) would return, without decoding; the same errors.
Result<size_t> Base64DecodedSize(std::string_view text);

}  // namespace gee::protocol
