// Client side of the REST-XML protocol (S3), driven by the botocore s3
// model: operation input as JSON → an HTTP request, and the HTTP response →
// output JSON. Any S3 operation of the model can be called this way
// (CreateBucket, PutObject, GetObject, HeadObject, ListObjectsV2,
// PutBucketEncryption, GetBucketEncryption, PutBucketPolicy, DeleteObject...).
//
// Request, from the input shape's members:
//   location "uri"          substituted into the requestUri template, path-style
//                           ("/{Bucket}/{Key+}"): `{Name+}` keeps '/', other
//                           labels are fully percent-encoded
//   location "querystring"  appended to the query (after the template's own
//                           "?encryption" / "?list-type=2" part)
//   location "header"       the header named by locationName (timestamps RFC 822,
//                           lists comma-joined); "headers" maps add prefix+key
//   payload member          the body: a structure is written as XML
//                           (protocol::ShapeToXml, root = the member's
//                           locationName, with its namespace); a string is sent
//                           as is; a blob (PutObject Body) is given as TEXT, or as
//                           {"base64": "..."} for binary bytes
// Operations whose model requires a checksum (PutBucketEncryption,
// PutBucketPolicy, ...) get a Content-MD5 header unless the input has one.
//
// Response:
//   headers → members with location "header" / "headers", statusCode member
//   payload member: structure ← XML body, string ← the body, blob ← the body
//   as text when it is valid UTF-8, else {"base64": "..."}
//   no payload: the XML body is read against the output shape.
// Timestamps become epoch seconds, numbers and booleans typed.
// Error responses are parsed elsewhere (ParseXmlError); a body-less error
// (HEAD) is reported by the caller as botocore does: code = the status number.
//
// Thread-safety: pure functions over immutable models.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/result.h"
#include "harness/client/http_client.h"
#include "protocol/model.h"

namespace gee::harness {

struct RestRequest {
  std::string method;
  // Path-style request target: "/bucket/key?query", percent-encoded.
  std::string target;
  std::vector<Header> headers;
  std::string body;
};

// Builds the request of `operation` for `input`. Fails with
// "InvalidHarnessInput" for a member the input shape lacks, a missing URI
// label, or a value of the wrong type.
Result<RestRequest> EncodeRestInput(const protocol::Operation& operation, const nlohmann::json& input);

// The output JSON of a successful response to `operation`.
Result<nlohmann::json> DecodeRestOutput(const protocol::Operation& operation, const HttpResult& response);

}  // namespace gee::harness
