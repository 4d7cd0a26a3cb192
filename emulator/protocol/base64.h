// Base64 (RFC 4648 standard alphabet, padded) as AWS uses it for blob
// members in JSON and Query bodies.
//
// `Base64Decode` is strict: the length must be a multiple of 4, padding only
// at the end, no whitespace, and the unused bits of the last character must
// be zero (so one text decodes from exactly one byte string). On failure it
// says why in the words AWS's JSON front end uses (see json_codec.h).
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace gee::protocol {

std::string Base64Encode(std::string_view bytes);

// Decodes `text`. The error (code "SerializationException") carries the
// reason as AWS words it for a JSON blob member:
//   "Base64 encoded length is expected a multiple of 4 bytes but found: 5"
//   "Invalid Base64 character: '!'"
//   "Invalid last non-pad Base64 character dectected"   (sic)
Result<std::string> Base64Decode(std::string_view text);

// The size Base64Decode(text) would return, without decoding; the same errors.
Result<size_t> Base64DecodedSize(std::string_view text);

}  // namespace gee::protocol
