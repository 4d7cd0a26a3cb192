// Scalar values of botocore shapes as text on the wire, shared by the
// harness's Query and REST-XML serialisers: strings as they are, booleans
// "true"/"false", numbers in decimal, blobs as their base64 text, and
// timestamps in the requested format (from epoch seconds or from text that
// is already a timestamp). Scenario JSON may carry any scalar as a string
// (a substituted variable), which is accepted for every scalar shape.
//
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/result.h"
#include "protocol/model.h"

namespace gee::harness {

// The error of a harness-side input problem ("InvalidHarnessInput", status 0).
AwsError HarnessInputError(std::string message);

// `value` (a JSON scalar) as wire text for `shape`. `format` is used for
// timestamps whose shape does not name one. `path` names the member in errors.
Result<std::string> ScalarText(const protocol::Shape& shape, const nlohmann::json& value,
                               protocol::TimestampFormat format, std::string_view path);

// The wire text `text` of `shape` as JSON in gee's conventions (numbers,
// booleans, timestamps as epoch seconds; strings and blobs as text). Text
// that does not parse as the shape's type stays a string.
nlohmann::json ScalarFromText(const protocol::Shape& shape, std::string_view text);

}  // namespace gee::harness
