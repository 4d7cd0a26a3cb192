// REST-XML helpers for the S3 service: the S3 error document, XML bodies
// from JSON (generic, or driven by a model shape) and XML request bodies to
// JSON.
//
// Error document (HTTP status from the error; HEAD responses carry no body):
//   <?xml version="1.0" encoding="UTF-8"?>
//   <Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>a.txt</Key><RequestId>4442587FB7D0A2F9</RequestId><HostId>…</HostId></Error>
// i.e. the declaration, a newline, then the document on one line: Code,
// Message (omitted when empty), the AwsError's `extra` elements in order,
// RequestId, HostId. Headers: Content-Type application/xml,
// x-amz-request-id, x-amz-id-2.
//
// Success bodies are written the same way: declaration, newline, one-line
// document whose root carries xmlns="http://s3.amazonaws.com/doc/2006-03-01/".
// Timestamps in S3 bodies always have milliseconds ("2024-01-01T00:00:00.000Z").
//
// Request bodies: anything pugixml cannot parse, an empty body, a document
// nested deeper than 64 levels or (model-driven) a wrong root element or a
// value that does not fit its shape → HTTP 400 `MalformedXML` "The XML you
// provided was not well-formed or did not validate against our published
// schema". Entities other than the five predefined ones are not expanded
// (pugixml does not read DTDs), so external-entity attacks do nothing.
//
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/result.h"
#include "protocol/model.h"
#include "protocol/wire_reply.h"

namespace gee::protocol {

inline constexpr char kS3Namespace[] = "http://s3.amazonaws.com/doc/2006-03-01/";
inline constexpr char kXmlDeclaration[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

// The MalformedXML error (400).
AwsError MalformedXml();

// The S3 `<Error>` document for `error`.
std::string RenderS3ErrorBody(const AwsError& error, std::string_view request_id, std::string_view host_id);

// The full error reply; `head_request` drops the body (S3 sends none for HEAD).
WireReply RenderS3Error(const AwsError& error, std::string_view request_id, std::string_view host_id,
                        bool head_request = false);

// Generic JSON → XML. Object members become child elements in the object's
// order (use ordered_json to control it), arrays repeat the element named by
// their key, strings/numbers/booleans become text (true/false), nulls are
// skipped; a key starting with '@' becomes an attribute of its element.
// `xml_namespace` (may be empty) is declared on the root. With the
// declaration, on one line, as S3 writes.
std::string JsonToXml(const nlohmann::ordered_json& value, std::string_view root_name,
                      std::string_view xml_namespace = kS3Namespace);

// Model-driven JSON → XML for an S3 output (or any REST-XML structure):
// members in model order under their `locationName`, lists wrapped or
// flattened as the model says, `xmlAttribute` members as attributes (with
// their namespace prefix declared), timestamps per the shape's format.
// Members bound to headers, the status code or the URI are skipped.
std::string ShapeToXml(const Shape& shape, const nlohmann::json& value, std::string_view root_name,
                       std::string_view xml_namespace = kS3Namespace);

// Generic XML → JSON: {"<Root>": <content>}, where an element with child
// elements is an object (a repeated child name becomes an array), an element
// with only text is its text, attributes are ignored.
Result<nlohmann::json> ParseXmlDocument(std::string_view body);

// Model-driven XML → JSON for a REST-XML request body (the operation's
// payload member). `expected_root`, when not empty, must be the root element
// name. Values are converted by shape type (integers, booleans, ISO-8601
// timestamps → epoch seconds); lists are arrays even with one element;
// unknown elements are ignored.
Result<nlohmann::json> ParseXmlToShape(std::string_view body, const Shape& shape,
                                       std::string_view expected_root = "");

}  // namespace gee::protocol
