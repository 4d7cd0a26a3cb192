// The AWS Query protocol (IAM 2010-05-08, STS 2011-06-15): form parameters
// in, XML out.
//
// Request (form body or GET query string, parsed by form.h):
//   Action=<Op>&Version=<api version>&<params>
// Parameters map onto the operation's input shape by name:
//   Name=value                  scalar member (structure members may carry a
//                               `locationName` that replaces the name)
//   A.B=value                   member B of structure member A
//   Name.member.N=value         list element N (1-based; a list member
//                               `locationName` replaces "member"; flattened
//                               lists drop it: Name.N)
//   Name=                       an empty list
//   Name.entry.N.key / .value   map entry N (flattened maps drop "entry";
//                               key/value `locationName`s apply). Neither IAM
//                               nor STS inputs contain maps today; supported
//                               for completeness.
// e.g. Tags.member.1.Key=k&Tags.member.1.Value=v, PolicyArns.member.1.arn=arn:...
// Scalars are converted by shape type: integer/long (optional sign, leading
// zeros allowed: "+900" and "0900" are 900), boolean ("true"/"false"),
// float/double, timestamp (ISO-8601 → epoch seconds number); blobs stay the
// base64 text. Unknown parameters are ignored, and when a name repeats the
// FIRST value wins (both recorded from STS). The decoded input is the JSON
// that handlers receive; model constraints are checked afterwards by
// validation.h (ValidationError).
//
// Request errors (HTTP 400, <Type>Sender</Type>), as recorded from real STS:
//   Version missing       InvalidAction  "Could not find operation <Op> for version NO_VERSION_SPECIFIED"
//   Version wrong/empty   InvalidAction  "Could not find operation <Op> for version <Version>"
//   Action unknown/empty  InvalidAction  "Could not find operation <Op> for version <Version>"
//   scalar not parseable  MalformedInput (no message); an empty integer gives
//                         "missing value for decimal type"; integers beyond
//                         the 32-bit (integer) / 64-bit (long) range too.
// InvalidAction (and MissingAction) documents use the AWSFault namespace
// `http://webservices.amazon.com/AWSFault/2005-15-09`, other errors the
// service namespace. A request with no Action at all is not an XML error on
// real STS: it answers `302 Found` with `Location: https://aws.amazon.com/iam`
// (for GET, the original query string is appended: `...iam?Version=...`).
// DecodeQueryRequest reports it as code "MissingAction", HTTP 302, with the
// location in `extra` ("Location"); RenderQueryError turns that into the
// redirect. (Observed for STS; IAM is assumed to behave the same.)
//
// Response:
//   <OpResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
//     <OpResult>…members…</OpResult>
//     <ResponseMetadata>
//       <RequestId>…</RequestId>
//     </ResponseMetadata>
//   </OpResponse>
// indented by two spaces, with a final newline, Content-Type text/xml (the
// layout recorded from STS). Members are written in model order except where
// AWS's documented order differs (STS GetCallerIdentity: Arn, UserId,
// Account; AssumeRole: SourceIdentity, AssumedRoleUser, Credentials,
// PackedPolicySize); lists as <Name><member>…</member></Name> (empty:
// <Name/>), maps as <entry><key/><value/></entry>, timestamps (epoch numbers
// in the handler's JSON) as ISO-8601 "2024-01-01T00:00:00Z", booleans as
// true/false. Operations without an output shape have no <OpResult>.
// Handlers return IAM policy documents already URL-encoded, as IAM does.
//
// Error:
//   <ErrorResponse xmlns="…">
//     <Error>
//       <Type>Sender</Type>          (Receiver for 5xx)
//       <Code>NoSuchEntity</Code>
//       <Message>…</Message>         (omitted when the message is empty)
//     </Error>
//     <RequestId>…</RequestId>
//   </ErrorResponse>
//
// Sources: the InvalidAction/MissingAction/MalformedInput behaviour, the
// duplicate-parameter rule and the exact success/error layouts come from a
// public probe suite run against real STS (Rust, `s3_tests` crate);
// "NO_VERSION_SPECIFIED" is also quoted in Envoy's AWS credential provider;
// "Could not find operation X for version 2010-05-08" for IAM in
// GH fog/fog-aws#368; the GetCallerIdentity layout matches the STS API
// reference sample.
//
// Thread-safety: pure functions over an immutable model.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/result.h"
#include "protocol/form.h"
#include "protocol/model.h"
#include "protocol/wire_reply.h"

namespace gee::protocol {

inline constexpr char kAwsFaultNamespace[] = "http://webservices.amazon.com/AWSFault/2005-15-09";
inline constexpr char kMissingActionLocation[] = "https://aws.amazon.com/iam";

struct QueryRequest {
  const Operation* operation = nullptr;
  // The operation input as handlers see it (empty object when it has none).
  nlohmann::json input = nlohmann::json::object();
};

// Resolves Action/Version against `model` and decodes the other parameters
// into the operation's input. Does not check model constraints.
Result<QueryRequest> DecodeQueryRequest(const ServiceModel& model, const FormParams& params);

// Decodes `params` into `shape` (a structure) without Action/Version handling.
Result<nlohmann::json> DecodeQueryInput(const Shape& shape, const FormParams& params);

// The XML body of a successful response to `operation` with the handler's
// output JSON.
std::string EncodeQueryResponse(const ServiceModel& model, const Operation& operation,
                                const nlohmann::json& output, std::string_view request_id);

// The complete success reply (200, text/xml, x-amzn-RequestId).
WireReply RenderQueryResponse(const ServiceModel& model, const Operation& operation,
                              const nlohmann::json& output, std::string_view request_id);

// The error reply: status from the error, ErrorResponse document, headers
// Content-Type text/xml and x-amzn-RequestId; a 3xx error with a "Location"
// extra becomes an empty-bodied redirect.
WireReply RenderQueryError(const ServiceModel& model, const AwsError& error,
                           std::string_view request_id);

}  // namespace gee::protocol
