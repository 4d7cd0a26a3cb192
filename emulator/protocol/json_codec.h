// The AWS JSON 1.1 protocol (KMS, Glue, CloudWatch Logs).
//
// Request: `POST /`, header `X-Amz-Target: <targetPrefix>.<Operation>`
// ("TrentService.Encrypt", "AWSGlue.CreateTable", "Logs_20140328.PutLogEvents"),
// body a JSON object (an empty body is read as `{}`). Blobs are base64
// strings, timestamps epoch-second numbers (Glue's `iso8601` timestamp shapes:
// ISO-8601 strings).
//
// Decoding checks every member's JSON type against the model before any
// constraint is validated, the way AWS's front end (Coral) deserialises, and
// normalises the input the handlers see: unknown members and nulls are
// dropped, integers given as fractions are truncated (floor) and clamped to
// the shape's range, ISO-8601 timestamps become epoch seconds. Failures are
// HTTP 400 `SerializationException` with the Coral wording (as recorded in
// DynamoDB-compatible emulators checked against AWS):
//   body not JSON                    (no message; text UNCONFIRMED)
//   body a JSON array                "Start of list found where not expected"
//   body another non-object          (no message)
//   string given a number            "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an String"
//   string given a boolean           "class java.lang.Boolean can not be converted to an String"
//   number given a string/boolean    "class java.lang.String can not be converted to an Integer" (Long, Float, Double)
//   boolean given a number           "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an Boolean"
//   boolean given another string     "'<VALUE IN UPPER CASE>' can not be converted to an Boolean"
//                                    ("true"/"false"/"yes"/"no"/"1"/"0" are accepted)
//   blob given a number/boolean      "class ... can not be converted to a Blob"
//   blob not base64                  "'<value>' can not be converted to a Blob: <reason>" (see base64.h)
//   timestamp given a string/boolean "class java.lang.String can not be converted to milliseconds since epoch"
//   scalar given an object / array   "Start of structure or map found where not expected." / "Start of list found where not expected"
//   list given a scalar              "Expected list or null"
//   map given a scalar               "Expected map or null"
//   structure given a scalar         "Expected null"
//   null inside a list               (no message; Smithy's malformed-request tests require 400)
//   nesting deeper than 64 levels    (no message; gee's own bound)
//
// Response: HTTP 200, `Content-Type: application/x-amz-json-1.1`,
// `x-amzn-RequestId`, the output members in model order with nulls and
// unknown members dropped (blobs stay base64 strings, timestamps epoch
// numbers; iso8601-format shapes get ISO-8601 strings).
//
// Errors: `{"__type":"<Code>","message":"<text>"}` (message omitted when
// empty; the key is spelled as the model's error shape spells it — KMS and
// Logs `message`, Glue `Message` — and `message` for codes the model does not
// list), headers `x-amzn-ErrorType: <Code>`, `x-amzn-RequestId`.
// An unknown or missing X-Amz-Target operation is
// `{"__type":"UnknownOperationException"}`, HTTP 400, no message (recorded
// from CloudWatch Logs and OpsWorks; spec §1.2).
//
// Thread-safety: pure functions over an immutable model.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/result.h"
#include "protocol/model.h"
#include "protocol/wire_reply.h"

namespace gee::protocol {

inline constexpr char kJsonContentType[] = "application/x-amz-json-1.1";

// The operation named by an `X-Amz-Target` header value.
Result<const Operation*> ResolveJsonOperation(const ServiceModel& model, std::string_view target);

// Parses and type-checks `body` for `operation`; the result is the
// normalised input (an object). Does not check model constraints.
Result<nlohmann::json> DecodeJsonInput(const Operation& operation, std::string_view body);

// Type-checks and normalises an already parsed value against `shape` (used by
// DecodeJsonInput and for in-process calls that build JSON directly).
Result<nlohmann::json> NormalizeJsonValue(const Shape& shape, const nlohmann::json& value);

// The response body for a handler's output JSON ("{}" for void operations).
std::string EncodeJsonOutput(const Operation& operation, const nlohmann::json& output);

WireReply RenderJsonResponse(const Operation& operation, const nlohmann::json& output,
                             std::string_view request_id);

// `model` may be null (no error shapes to consult for the message key).
WireReply RenderJsonError(const ServiceModel* model, const AwsError& error, std::string_view request_id);

}  // namespace gee::protocol
