// Client side of the AWS Query protocol (IAM, STS), driven by the botocore
// models (protocol/model.h): operation input as JSON → form parameters, and
// the XML of a successful response → JSON. The inverse of what the emulator's
// protocol/query_codec.h does, written the way botocore's query serializer
// and parser do it, so the harness can talk to any Query endpoint.
//
// Input JSON follows gee's conventions (the JSON a JSON-protocol client would
// send for the same shape): structures are objects keyed by member name,
// lists arrays, maps objects, blobs base64 text, timestamps either ISO-8601
// text or epoch seconds. Serialisation:
//   Name=value                      scalar (member `locationName` replaces Name)
//   A.B=value                       member B of structure member A
//   Name.member.N=value             list element N, 1-based (the list member's
//                                   locationName replaces "member"; a flattened
//                                   list is Name.N, or <member name>.N)
//   Name=                           an empty list
//   Name.entry.N.key / .value       map entry N (flattened: Name.N.key; key and
//                                   value locationNames apply)
// booleans "true"/"false", numbers in decimal, timestamps ISO-8601 (UTC, "Z").
// A JSON member the shape does not have is an error (a typo in a scenario).
//
// Output: the <OpResult> element (the operation's resultWrapper) is read
// against the output shape with protocol::ParseXmlToShape: timestamps become
// epoch seconds, lists arrays, blobs stay base64 text. Operations without an
// output shape yield {}.
//
// Thread-safety: pure functions over immutable models.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "protocol/model.h"

namespace gee::harness {

using FormPairs = std::vector<std::pair<std::string, std::string>>;

// The form parameters of `input` for an operation whose input shape is
// `input_shape` (may be null for operations without input: `input` must then
// be empty). Action and Version are not included. Fails with code
// "InvalidHarnessInput" naming the offending member path.
Result<FormPairs> EncodeQueryInput(const protocol::Shape* input_shape, const nlohmann::json& input);

// The output JSON of a successful Query response `body` to `operation`.
// Fails with "InvalidHarnessResponse" when the body is not the expected XML.
Result<nlohmann::json> DecodeQueryOutput(const protocol::Operation& operation, std::string_view body);

}  // namespace gee::harness
