#include "protocol/model.h"

#include <array>
#include <cmath>
#include <nlohmann/json.hpp>

#include "protocol/pattern.h"

namespace gee::embedded {
extern const std::string_view kEmbeddedModel_kms;
extern const std::string_view kEmbeddedModel_glue;
extern const std::string_view kEmbeddedModel_iam;
extern const std::string_view kEmbeddedModel_sts;
extern const std::string_view kEmbeddedModel_s3;
extern const std::string_view kEmbeddedModel_logs;
}  // namespace gee::embedded

namespace gee::protocol {
namespace {

// ordered_json: member order is significant (AWS serialises in model order).
using Json = nlohmann::ordered_json;

AwsError ModelError(std::string_view service, std::string what) {
  return AwsError("InternalFailure",
                  "service model '" + std::string(service) + "': " + std::move(what), 500);
}

std::string StringOr(const Json& object, const char* key, std::string fallback = "") {
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return fallback;
  return it->get<std::string>();
}

bool BoolOr(const Json& object, const char* key, bool fallback = false) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_boolean()) return fallback;
  return it->get<bool>();
}

// Renders a numeric bound as the model wrote it: integers without a
// fraction ("1024"), floating values the way Java prints a double ("0.0").
std::string BoundText(const Json& value) {
  if (value.is_number_integer() || value.is_number_unsigned()) return value.dump();
  double d = value.get<double>();
  std::string text = value.dump();
  if (std::floor(d) == d && text.find_first_of(".eE") == std::string::npos) text += ".0";
  return text;
}

std::optional<ShapeType> ParseType(const std::string& type) {
  static const std::array<std::pair<const char*, ShapeType>, 11> kTypes = {{
      {"structure", ShapeType::kStructure},
      {"list", ShapeType::kList},
      {"map", ShapeType::kMap},
      {"string", ShapeType::kString},
      {"integer", ShapeType::kInteger},
      {"long", ShapeType::kLong},
      {"float", ShapeType::kFloat},
      {"double", ShapeType::kDouble},
      {"boolean", ShapeType::kBoolean},
      {"blob", ShapeType::kBlob},
      {"timestamp", ShapeType::kTimestamp},
  }};
  for (const auto& [name, t] : kTypes) {
    if (type == name) return t;
  }
  return std::nullopt;
}

TimestampFormat ParseTimestampFormat(const std::string& text) {
  if (text == "iso8601") return TimestampFormat::kIso8601;
  if (text == "unixTimestamp") return TimestampFormat::kUnixTimestamp;
  if (text == "rfc822") return TimestampFormat::kRfc822;
  return TimestampFormat::kUnspecified;
}

}  // namespace

Shape::Shape() = default;
Shape::~Shape() = default;

const MemberRef* Shape::FindMember(std::string_view member_name) const {
  for (const MemberRef& m : members) {
    if (m.name == member_name) return &m;
  }
  return nullptr;
}

bool Shape::IsRequired(std::string_view member_name) const {
  for (const std::string& r : required) {
    if (r == member_name) return true;
  }
  return false;
}

const JavaPattern* Shape::CompiledPattern() const {
  if (pattern.empty()) return nullptr;
  std::call_once(pattern_once_, [this] { compiled_pattern_ = JavaPattern::Compile(pattern); });
  return compiled_pattern_.get();
}

std::string LowerFirst(std::string_view name) {
  std::string out(name);
  if (!out.empty() && out[0] >= 'A' && out[0] <= 'Z') out[0] = static_cast<char>(out[0] - 'A' + 'a');
  return out;
}

Result<std::unique_ptr<ServiceModel>> ServiceModel::Parse(std::string_view service,
                                                          std::string_view json_text) {
  Json doc = Json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return ModelError(service, "not a JSON object");
  auto metadata = doc.find("metadata");
  auto shapes = doc.find("shapes");
  auto operations = doc.find("operations");
  if (metadata == doc.end() || !metadata->is_object() || shapes == doc.end() ||
      !shapes->is_object() || operations == doc.end() || !operations->is_object()) {
    return ModelError(service, "missing metadata, shapes or operations");
  }

  std::unique_ptr<ServiceModel> model(new ServiceModel());
  model->service_ = std::string(service);
  model->api_version_ = StringOr(*metadata, "apiVersion");
  model->protocol_ = StringOr(*metadata, "protocol");
  model->json_version_ = StringOr(*metadata, "jsonVersion");
  model->target_prefix_ = StringOr(*metadata, "targetPrefix");
  model->xml_namespace_ = StringOr(*metadata, "xmlNamespace");
  model->endpoint_prefix_ = StringOr(*metadata, "endpointPrefix");
  model->service_id_ = StringOr(*metadata, "serviceId");
  model->signing_name_ = StringOr(*metadata, "signingName", model->endpoint_prefix_);

  // Pass 1: create every shape so references can be resolved in pass 2.
  for (auto it = shapes->begin(); it != shapes->end(); ++it) {
    if (!it.value().is_object()) return ModelError(service, "shape " + it.key() + " is not an object");
    auto shape = std::make_unique<Shape>();
    shape->name = it.key();
    model->shapes_.emplace(it.key(), std::move(shape));
  }

  std::string error;
  const auto resolve = [&](const Json& ref, std::string name, MemberRef* out) -> bool {
    if (!ref.is_object()) {
      error = "reference " + name + " is not an object";
      return false;
    }
    const std::string target = StringOr(ref, "shape");
    const Shape* shape = model->FindShape(target);
    if (shape == nullptr) {
      error = "reference " + name + " names unknown shape '" + target + "'";
      return false;
    }
    out->name = std::move(name);
    out->shape = shape;
    out->location = StringOr(ref, "location");
    out->location_name = StringOr(ref, "locationName");
    out->flattened = BoolOr(ref, "flattened");
    out->xml_attribute = BoolOr(ref, "xmlAttribute");
    out->streaming = BoolOr(ref, "streaming");
    out->idempotency_token = BoolOr(ref, "idempotencyToken");
    out->host_label = BoolOr(ref, "hostLabel");
    out->event_payload = BoolOr(ref, "eventpayload");
    out->deprecated = BoolOr(ref, "deprecated");
    out->result_wrapper = StringOr(ref, "resultWrapper");
    if (auto ns = ref.find("xmlNamespace"); ns != ref.end() && ns->is_object()) {
      out->xml_namespace = StringOr(*ns, "uri");
      out->xml_namespace_prefix = StringOr(*ns, "prefix");
    }
    return true;
  };

  // Pass 2: fill every shape.
  for (auto it = shapes->begin(); it != shapes->end(); ++it) {
    const Json& def = it.value();
    Shape& shape = *model->shapes_.find(it.key())->second;
    auto type = ParseType(StringOr(def, "type"));
    if (!type) return ModelError(service, "shape " + shape.name + " has an unknown type");
    shape.type = *type;
    if (auto members = def.find("members"); members != def.end() && members->is_object()) {
      for (auto m = members->begin(); m != members->end(); ++m) {
        MemberRef ref;
        if (!resolve(m.value(), m.key(), &ref)) return ModelError(service, error);
        shape.members.push_back(std::move(ref));
      }
    }
    if (auto required = def.find("required"); required != def.end() && required->is_array()) {
      for (const Json& r : *required) {
        if (r.is_string()) shape.required.push_back(r.get<std::string>());
      }
    }
    if (auto m = def.find("member"); m != def.end()) {
      if (!resolve(*m, "member", &shape.member)) return ModelError(service, error);
    }
    if (auto k = def.find("key"); k != def.end()) {
      if (!resolve(*k, "key", &shape.key)) return ModelError(service, error);
    }
    if (auto v = def.find("value"); v != def.end()) {
      if (!resolve(*v, "value", &shape.value)) return ModelError(service, error);
    }
    if (shape.type == ShapeType::kList && shape.member.shape == nullptr) {
      return ModelError(service, "list " + shape.name + " has no member");
    }
    if (shape.type == ShapeType::kMap && (shape.key.shape == nullptr || shape.value.shape == nullptr)) {
      return ModelError(service, "map " + shape.name + " lacks a key or value");
    }
    if (auto min = def.find("min"); min != def.end() && min->is_number()) {
      shape.min = min->get<double>();
      shape.min_text = BoundText(*min);
    }
    if (auto max = def.find("max"); max != def.end() && max->is_number()) {
      shape.max = max->get<double>();
      shape.max_text = BoundText(*max);
    }
    if (auto values = def.find("enum"); values != def.end() && values->is_array()) {
      for (const Json& v : *values) {
        if (v.is_string()) shape.enum_values.push_back(v.get<std::string>());
      }
    }
    shape.pattern = StringOr(def, "pattern");
    shape.timestamp_format = ParseTimestampFormat(StringOr(def, "timestampFormat"));
    shape.location_name = StringOr(def, "locationName");
    if (auto ns = def.find("xmlNamespace"); ns != def.end() && ns->is_object()) {
      shape.xml_namespace = StringOr(*ns, "uri");
      shape.xml_namespace_prefix = StringOr(*ns, "prefix");
    }
    shape.flattened = BoolOr(def, "flattened");
    shape.sensitive = BoolOr(def, "sensitive");
    shape.streaming = BoolOr(def, "streaming");
    shape.requires_length = BoolOr(def, "requiresLength");
    shape.document = BoolOr(def, "document");
    shape.is_union = BoolOr(def, "union");
    shape.event_stream = BoolOr(def, "eventstream");
    shape.deprecated = BoolOr(def, "deprecated");
    shape.payload = StringOr(def, "payload");
    shape.exception = BoolOr(def, "exception");
    shape.fault = BoolOr(def, "fault");
    if (auto err = def.find("error"); err != def.end() && err->is_object()) {
      shape.error_code = StringOr(*err, "code");
      if (auto status = err->find("httpStatusCode"); status != err->end() && status->is_number_integer()) {
        shape.error_http_status = status->get<int>();
      }
      shape.error_sender_fault = BoolOr(*err, "senderFault", !shape.fault);
    } else {
      shape.error_sender_fault = !shape.fault;
    }
    if (shape.exception) {
      model->error_shapes_.emplace(shape.error_code.empty() ? shape.name : shape.error_code, &shape);
    }
  }

  for (auto it = operations->begin(); it != operations->end(); ++it) {
    const Json& def = it.value();
    if (!def.is_object()) return ModelError(service, "operation " + it.key() + " is not an object");
    auto op = std::make_unique<Operation>();
    op->name = it.key();
    if (auto http = def.find("http"); http != def.end() && http->is_object()) {
      op->http_method = StringOr(*http, "method", "POST");
      op->request_uri = StringOr(*http, "requestUri", "/");
      if (auto code = http->find("responseCode"); code != http->end() && code->is_number_integer()) {
        op->response_code = code->get<int>();
      }
    }
    if (auto input = def.find("input"); input != def.end()) {
      if (!resolve(*input, StringOr(*input, "shape"), &op->input)) return ModelError(service, error);
    }
    if (auto output = def.find("output"); output != def.end()) {
      if (!resolve(*output, StringOr(*output, "shape"), &op->output)) return ModelError(service, error);
    }
    if (auto errors = def.find("errors"); errors != def.end() && errors->is_array()) {
      for (const Json& e : *errors) {
        const Shape* shape = e.is_object() ? model->FindShape(StringOr(e, "shape")) : nullptr;
        if (shape == nullptr) return ModelError(service, "operation " + op->name + " names an unknown error");
        op->errors.push_back(shape);
      }
    }
    op->idempotent = BoolOr(def, "idempotent");
    op->deprecated = BoolOr(def, "deprecated");
    op->auth_type = StringOr(def, "authtype");
    op->unsigned_payload = BoolOr(def, "unsignedPayload");
    op->http_checksum_required = BoolOr(def, "httpChecksumRequired");
    if (auto checksum = def.find("httpChecksum"); checksum != def.end() && checksum->is_object()) {
      op->http_checksum_required = op->http_checksum_required || BoolOr(*checksum, "requestChecksumRequired");
    }
    if (auto endpoint = def.find("endpoint"); endpoint != def.end() && endpoint->is_object()) {
      op->host_prefix = StringOr(*endpoint, "hostPrefix");
    }
    const Operation* raw = op.get();
    model->operations_.emplace(it.key(), std::move(op));
    model->operation_order_.push_back(raw);
  }
  return model;
}

const Operation* ServiceModel::FindOperation(std::string_view name) const {
  auto it = operations_.find(name);
  return it == operations_.end() ? nullptr : it->second.get();
}

const Shape* ServiceModel::FindShape(std::string_view name) const {
  auto it = shapes_.find(name);
  return it == shapes_.end() ? nullptr : it->second.get();
}

const Shape* ServiceModel::FindErrorShape(std::string_view code) const {
  auto it = error_shapes_.find(code);
  return it == error_shapes_.end() ? nullptr : it->second;
}

Result<const ServiceModel*> ServiceModel::Get(std::string_view service) {
  struct Slot {
    std::string_view name;
    const std::string_view* text;
    std::once_flag once;
    std::unique_ptr<ServiceModel> model;
    AwsError error;
  };
  static Slot slots[] = {
      {"kms", &embedded::kEmbeddedModel_kms, {}, nullptr, {}},
      {"glue", &embedded::kEmbeddedModel_glue, {}, nullptr, {}},
      {"iam", &embedded::kEmbeddedModel_iam, {}, nullptr, {}},
      {"sts", &embedded::kEmbeddedModel_sts, {}, nullptr, {}},
      {"s3", &embedded::kEmbeddedModel_s3, {}, nullptr, {}},
      {"logs", &embedded::kEmbeddedModel_logs, {}, nullptr, {}},
  };
  for (Slot& slot : slots) {
    if (slot.name != service) continue;
    std::call_once(slot.once, [&slot] {
      auto parsed = Parse(slot.name, *slot.text);
      if (parsed.ok()) {
        slot.model = std::move(parsed).value();
      } else {
        slot.error = std::move(parsed).error();
      }
    });
    if (slot.model == nullptr) return slot.error;
    return static_cast<const ServiceModel*>(slot.model.get());
  }
  return AwsError("InternalFailure", "no service model for '" + std::string(service) + "'", 500);
}

}  // namespace gee::protocol
