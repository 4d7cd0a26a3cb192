// The compiled form of a botocore service model: shapes, operations and the
// service metadata that the codecs and the validator read.
//
// The six models gee emulates (kms, glue, iam, sts, s3, logs) are embedded in
// the binary (emulator/protocol/models/*.json, trimmed by
// tools/trim_models.py). `ServiceModel::Get("kms")` parses one of them the
// first time it is asked for and keeps it for the life of the process;
// `ServiceModel::Parse` builds a model from any botocore JSON text (tests).
//
// The shape graph mirrors botocore's: a `Shape` has a type and, depending on
// the type, structure members (in model order — the order AWS serialises
// them), a list element, a map key and value, and constraints (required set,
// enum, min/max, pattern). References to other shapes are raw pointers into
// the owning ServiceModel, which never moves or frees a shape while it lives.
//
// Thread-safety: a ServiceModel is immutable after construction (the only
// lazily built part, a shape's compiled pattern, is built under
// std::call_once), so it may be read from any number of threads.
// `ServiceModel::Get` is thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace gee::protocol {

class JavaPattern;

enum class ShapeType {
  kStructure,
  kList,
  kMap,
  kString,
  kInteger,
  kLong,
  kFloat,
  kDouble,
  kBoolean,
  kBlob,
  kTimestamp,
};

// botocore `timestampFormat`; kUnspecified means the protocol default
// (epoch seconds for JSON, ISO-8601 for Query and XML bodies, RFC 822 for
// REST headers).
enum class TimestampFormat { kUnspecified, kIso8601, kUnixTimestamp, kRfc822 };

struct Shape;

// A reference to a target shape from a structure member, a list element, a
// map key or value, or an operation's input/output, with the wire traits that
// botocore attaches to the reference rather than to the target.
struct MemberRef {
  // Member name in the model ("KeyId"); "member", "key" or "value" for a
  // container reference; the shape name for an operation input/output.
  std::string name;
  const Shape* shape = nullptr;
  // REST binding: "" (body), "header", "headers", "uri", "querystring",
  // "statusCode".
  std::string location;
  // Wire name override (query key, XML element, header name); empty = name.
  std::string location_name;
  // XML namespace declared on the element (`xmlNamespace.uri` / `.prefix`).
  std::string xml_namespace;
  std::string xml_namespace_prefix;
  bool flattened = false;
  bool xml_attribute = false;
  bool streaming = false;
  bool idempotency_token = false;
  bool host_label = false;
  bool event_payload = false;
  bool deprecated = false;
  // botocore `resultWrapper` (Query outputs only): the `<OpResult>` element.
  std::string result_wrapper;

  std::string_view WireName() const {
    return location_name.empty() ? std::string_view(name) : std::string_view(location_name);
  }
};

struct Shape {
  std::string name;
  ShapeType type = ShapeType::kString;

  // kStructure: members in model order, and the names of the required ones
  // (in the model's `required` order).
  std::vector<MemberRef> members;
  std::vector<std::string> required;
  // kList: the element; kMap: key and value.
  MemberRef member;
  MemberRef key;
  MemberRef value;

  // Constraints. For strings `min`/`max` bound the length in Unicode code
  // points, for blobs in bytes, for lists/maps in entries; for numbers they
  // bound the value. `min_text`/`max_text` keep the bound as the model wrote
  // it ("1", "0.0") for error messages.
  std::optional<double> min;
  std::optional<double> max;
  std::string min_text;
  std::string max_text;
  std::vector<std::string> enum_values;
  // The Java regular expression of the model (full-match semantics).
  std::string pattern;

  TimestampFormat timestamp_format = TimestampFormat::kUnspecified;
  // Shape-level XML traits (S3).
  std::string location_name;
  std::string xml_namespace;
  std::string xml_namespace_prefix;
  bool flattened = false;

  bool sensitive = false;
  bool streaming = false;
  bool requires_length = false;
  bool document = false;  // free-form JSON document (Glue `Record`)
  bool is_union = false;
  bool event_stream = false;
  bool deprecated = false;
  // kStructure: the member bound to the HTTP body (REST), empty if none.
  std::string payload;

  // Exception shapes: `exception` is true; `error_code` is the code when it
  // differs from the shape name (Query services: "NoSuchEntity");
  // `error_http_status` 0 means "not given in the model".
  bool exception = false;
  bool fault = false;
  std::string error_code;
  int error_http_status = 0;
  bool error_sender_fault = true;

  // Structure helpers.
  const MemberRef* FindMember(std::string_view member_name) const;
  bool IsRequired(std::string_view member_name) const;

  // The compiled `pattern`, built on first use. nullptr when the shape has no
  // pattern or when the pattern uses Java syntax ECMAScript cannot express
  // (see pattern.h); such patterns are not enforced.
  const JavaPattern* CompiledPattern() const;

  Shape();
  ~Shape();
  Shape(const Shape&) = delete;
  Shape& operator=(const Shape&) = delete;

 private:
  mutable std::once_flag pattern_once_;
  mutable std::unique_ptr<JavaPattern> compiled_pattern_;
};

struct Operation {
  std::string name;
  std::string http_method;   // "POST"
  std::string request_uri;   // "/" or "/{Bucket}/{Key+}?uploads"
  int response_code = 200;   // http.responseCode (S3 uses 204/206 for some)
  // The input/output references; `.shape` is nullptr for operations without
  // input or output. `output.result_wrapper` is the Query `<OpResult>` name.
  MemberRef input;
  MemberRef output;
  std::vector<const Shape*> errors;
  bool idempotent = false;
  bool deprecated = false;
  std::string auth_type;     // "", "none", "v4-unsigned-body"
  bool unsigned_payload = false;
  bool http_checksum_required = false;
  std::string host_prefix;   // endpoint.hostPrefix
};

class ServiceModel {
 public:
  // The embedded model of `service` ("kms", "glue", "iam", "sts", "s3",
  // "logs"), parsed on first use. Fails with InternalFailure (500) for an
  // unknown service or a model that does not parse.
  static Result<const ServiceModel*> Get(std::string_view service);

  // Builds a model from botocore JSON text. `service` names it (for Get and
  // error messages). Fails with InternalFailure when the text is not a
  // botocore model or references a shape it does not define.
  static Result<std::unique_ptr<ServiceModel>> Parse(std::string_view service,
                                                     std::string_view json_text);

  const std::string& service() const { return service_; }
  // metadata
  const std::string& api_version() const { return api_version_; }
  const std::string& protocol() const { return protocol_; }          // "json", "query", "rest-xml"
  const std::string& json_version() const { return json_version_; }  // "1.1"
  const std::string& target_prefix() const { return target_prefix_; }  // "TrentService"
  const std::string& xml_namespace() const { return xml_namespace_; }
  const std::string& endpoint_prefix() const { return endpoint_prefix_; }
  const std::string& service_id() const { return service_id_; }
  const std::string& signing_name() const { return signing_name_; }

  const Operation* FindOperation(std::string_view name) const;
  const Shape* FindShape(std::string_view name) const;
  // The exception shape whose error code (or name) is `code`, or nullptr.
  const Shape* FindErrorShape(std::string_view code) const;
  // All operations in model order.
  const std::vector<const Operation*>& operations() const { return operation_order_; }
  size_t shape_count() const { return shapes_.size(); }

  ServiceModel(const ServiceModel&) = delete;
  ServiceModel& operator=(const ServiceModel&) = delete;

 private:
  ServiceModel() = default;

  std::string service_;
  std::string api_version_;
  std::string protocol_;
  std::string json_version_;
  std::string target_prefix_;
  std::string xml_namespace_;
  std::string endpoint_prefix_;
  std::string service_id_;
  std::string signing_name_;
  std::map<std::string, std::unique_ptr<Shape>, std::less<>> shapes_;
  std::map<std::string, std::unique_ptr<Operation>, std::less<>> operations_;
  std::map<std::string, const Shape*, std::less<>> error_shapes_;
  std::vector<const Operation*> operation_order_;
};

// Lower-cases the first character of a member name the way AWS prints member
// paths in validation messages ("KeyId" → "keyId", "KMSKeyArn" → "kMSKeyArn").
std::string LowerFirst(std::string_view name);

}  // namespace gee::protocol
