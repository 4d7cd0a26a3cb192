#include "protocol/s3_xml.h"

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <pugixml.hpp>

#include "protocol/timestamp.h"
#include "protocol/utf8.h"
#include "protocol/validation.h"
#include "protocol/xml_writer.h"

namespace gee::protocol {
namespace {

using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

constexpr int kMaxDepth = 64;
const XmlWriteOptions kOneLine{/*indent=*/false, /*declaration=*/true};

// XML names: keep what pugixml would write verbatim only if it is a plausible
// name; anything else is replaced so the output stays well-formed.
std::string XmlName(std::string_view name) {
  std::string out;
  for (char c : name) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
                    c == '-' || c == '.' || c == ':';
    out.push_back(ok ? c : '_');
  }
  if (out.empty() || (out[0] >= '0' && out[0] <= '9') || out[0] == '-' || out[0] == '.') out = "_" + out;
  return out;
}

void SetText(pugi::xml_node element, std::string_view text) {
  element.append_child(pugi::node_pcdata).set_value(XmlSafe(text).c_str());
}

std::string GenericScalar(const OrderedJson& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  return v.dump(-1, ' ', false, OrderedJson::error_handler_t::replace);
}

void GenericWrite(pugi::xml_node parent, const std::string& name, const OrderedJson& v, int depth) {
  if (depth > kMaxDepth || v.is_null()) return;
  if (v.is_array()) {
    for (const OrderedJson& item : v) {
      if (!item.is_array()) GenericWrite(parent, name, item, depth + 1);
    }
    return;
  }
  pugi::xml_node element = parent.append_child(XmlName(name).c_str());
  if (!v.is_object()) {
    SetText(element, GenericScalar(v));
    return;
  }
  for (auto it = v.begin(); it != v.end(); ++it) {
    if (!it.key().empty() && it.key()[0] == '@') {
      if (!it.value().is_null() && !it.value().is_structured()) {
        element.append_attribute(XmlName(it.key().substr(1)).c_str())
            .set_value(XmlSafe(GenericScalar(it.value())).c_str());
      }
      continue;
    }
    GenericWrite(element, it.key(), it.value(), depth + 1);
  }
}

std::string ShapeScalar(const Shape& shape, const Json& v) {
  switch (shape.type) {
    case ShapeType::kBoolean:
      if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
      break;
    case ShapeType::kInteger:
    case ShapeType::kLong:
      if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
      if (v.is_number_unsigned()) return std::to_string(v.get<uint64_t>());
      if (v.is_number()) return std::to_string(static_cast<int64_t>(std::floor(v.get<double>())));
      break;
    case ShapeType::kFloat:
    case ShapeType::kDouble:
      if (v.is_number()) return JavaDoubleString(v.get<double>());
      break;
    case ShapeType::kTimestamp:
      if (v.is_number()) {
        const double t = v.get<double>();
        if (shape.timestamp_format == TimestampFormat::kRfc822) return FormatRfc822(t);
        if (shape.timestamp_format == TimestampFormat::kUnixTimestamp) return JavaDoubleString(t);
        return FormatIso8601(t, /*always_millis=*/true);
      }
      break;
    default:
      break;
  }
  if (v.is_string()) return v.get<std::string>();
  return v.dump(-1, ' ', false, Json::error_handler_t::replace);
}

void ShapeWrite(pugi::xml_node parent, const std::string& name, const MemberRef& ref, const Json& v, int depth);

void ShapeWriteMembers(pugi::xml_node element, const Shape& shape, const Json& v, int depth) {
  if (!v.is_object()) return;
  for (const MemberRef& m : shape.members) {
    if (!m.location.empty()) continue;
    auto it = v.find(m.name);
    if (it == v.end() || it->is_null()) continue;
    if (m.xml_attribute) {
      if (!m.xml_namespace_prefix.empty() && !m.xml_namespace.empty()) {
        const std::string decl = "xmlns:" + m.xml_namespace_prefix;
        if (!element.attribute(decl.c_str())) element.append_attribute(decl.c_str()).set_value(m.xml_namespace.c_str());
      }
      element.append_attribute(XmlName(m.WireName()).c_str()).set_value(XmlSafe(ShapeScalar(*m.shape, *it)).c_str());
      continue;
    }
    ShapeWrite(element, std::string(m.WireName()), m, *it, depth + 1);
  }
}

void ShapeWrite(pugi::xml_node parent, const std::string& name, const MemberRef& ref, const Json& v, int depth) {
  if (depth > kMaxDepth || v.is_null()) return;
  const Shape& shape = *ref.shape;
  switch (shape.type) {
    case ShapeType::kStructure: {
      pugi::xml_node element = parent.append_child(XmlName(name).c_str());
      // A namespace on the reference or on the shape (S3 Grantee declares
      // xmlns:xsi for its xsi:type attribute).
      for (const auto& [uri, prefix] : {std::pair(ref.xml_namespace, ref.xml_namespace_prefix),
                                        std::pair(shape.xml_namespace, shape.xml_namespace_prefix)}) {
        if (uri.empty()) continue;
        const std::string attr = prefix.empty() ? "xmlns" : "xmlns:" + prefix;
        if (!element.attribute(attr.c_str())) element.append_attribute(attr.c_str()).set_value(uri.c_str());
      }
      ShapeWriteMembers(element, shape, v, depth);
      return;
    }
    case ShapeType::kList: {
      if (!v.is_array()) return;
      if (ref.flattened || shape.flattened) {
        const std::string item = shape.member.location_name.empty() ? name : shape.member.location_name;
        for (const Json& e : v) ShapeWrite(parent, item, shape.member, e, depth + 1);
        return;
      }
      pugi::xml_node element = parent.append_child(XmlName(name).c_str());
      const std::string item = shape.member.location_name.empty() ? "member" : shape.member.location_name;
      for (const Json& e : v) ShapeWrite(element, item, shape.member, e, depth + 1);
      return;
    }
    case ShapeType::kMap: {
      if (!v.is_object()) return;
      const std::string key_name = shape.key.location_name.empty() ? "key" : shape.key.location_name;
      const std::string value_name = shape.value.location_name.empty() ? "value" : shape.value.location_name;
      const bool flattened = ref.flattened || shape.flattened;
      pugi::xml_node container = flattened ? parent : parent.append_child(XmlName(name).c_str());
      for (auto it = v.begin(); it != v.end(); ++it) {
        pugi::xml_node entry = container.append_child(flattened ? XmlName(name).c_str() : "entry");
        SetText(entry.append_child(XmlName(key_name).c_str()), it.key());
        ShapeWrite(entry, value_name, shape.value, it.value(), depth + 1);
      }
      return;
    }
    default:
      SetText(parent.append_child(XmlName(name).c_str()), ShapeScalar(shape, v));
      return;
  }
}

// ---- parsing ----

Result<pugi::xml_document*> Load(std::string_view body, pugi::xml_document& doc) {
  if (body.empty()) return MalformedXml();
  pugi::xml_parse_result result =
      doc.load_buffer(body.data(), body.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!result || !doc.document_element()) return MalformedXml();
  return &doc;
}

bool HasElementChildren(const pugi::xml_node& n) {
  for (const pugi::xml_node& c : n.children()) {
    if (c.type() == pugi::node_element) return true;
  }
  return false;
}

std::string TextOf(const pugi::xml_node& n) {
  std::string text;
  for (const pugi::xml_node& c : n.children()) {
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) text += c.value();
  }
  return text;
}

Result<Json> GenericRead(const pugi::xml_node& element, int depth) {
  if (depth > kMaxDepth) return MalformedXml();
  if (!HasElementChildren(element)) return Json(TextOf(element));
  Json object = Json::object();
  for (const pugi::xml_node& c : element.children()) {
    if (c.type() != pugi::node_element) continue;
    GEE_ASSIGN_OR_RETURN(Json value, GenericRead(c, depth + 1));
    auto it = object.find(c.name());
    if (it == object.end()) {
      object[c.name()] = std::move(value);
    } else {
      if (!it->is_array()) {
        // Element values are never arrays, so an array here is the list built
        // on an earlier repeat; otherwise convert on this second occurrence.
        Json first = std::move(*it);
        *it = Json::array({std::move(first)});
      }
      it->push_back(std::move(value));
    }
  }
  return object;
}

Result<Json> ReadScalar(const Shape& shape, const std::string& text) {
  switch (shape.type) {
    case ShapeType::kInteger:
    case ShapeType::kLong: {
      char* end = nullptr;
      errno = 0;
      const long long v = std::strtoll(text.c_str(), &end, 10);
      if (text.empty() || end != text.c_str() + text.size() || errno != 0) return MalformedXml();
      if (shape.type == ShapeType::kInteger && (v < INT32_MIN || v > INT32_MAX)) return MalformedXml();
      return Json(static_cast<int64_t>(v));
    }
    case ShapeType::kFloat:
    case ShapeType::kDouble: {
      char* end = nullptr;
      const double d = std::strtod(text.c_str(), &end);
      if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(d)) return MalformedXml();
      return Json(d);
    }
    case ShapeType::kBoolean:
      if (text == "true") return Json(true);
      if (text == "false") return Json(false);
      return MalformedXml();
    case ShapeType::kTimestamp: {
      auto t = shape.timestamp_format == TimestampFormat::kRfc822 ? ParseRfc822(text) : ParseIso8601(text);
      if (!t) return MalformedXml();
      return Json(*t);
    }
    default:
      return Json(text);
  }
}

Result<Json> ShapeRead(const Shape& shape, const pugi::xml_node& element, int depth);

// Elements of `parent` named `name`.
std::vector<pugi::xml_node> Named(const pugi::xml_node& parent, std::string_view name) {
  std::vector<pugi::xml_node> out;
  for (const pugi::xml_node& c : parent.children()) {
    if (c.type() == pugi::node_element && name == c.name()) out.push_back(c);
  }
  return out;
}

Result<Json> ReadList(const Shape& shape, const std::vector<pugi::xml_node>& items, int depth) {
  Json list = Json::array();
  for (const pugi::xml_node& item : items) {
    GEE_ASSIGN_OR_RETURN(Json value, ShapeRead(*shape.member.shape, item, depth + 1));
    list.push_back(std::move(value));
  }
  return list;
}

Result<Json> ReadMap(const Shape& shape, const std::vector<pugi::xml_node>& entries, int depth) {
  const std::string key_name = shape.key.location_name.empty() ? "key" : shape.key.location_name;
  const std::string value_name = shape.value.location_name.empty() ? "value" : shape.value.location_name;
  Json map = Json::object();
  for (const pugi::xml_node& entry : entries) {
    pugi::xml_node key = entry.child(key_name.c_str());
    pugi::xml_node value = entry.child(value_name.c_str());
    if (!key || !value) return MalformedXml();
    GEE_ASSIGN_OR_RETURN(Json v, ShapeRead(*shape.value.shape, value, depth + 1));
    map[TextOf(key)] = std::move(v);
  }
  return map;
}

Result<Json> ShapeRead(const Shape& shape, const pugi::xml_node& element, int depth) {
  if (depth > kMaxDepth) return MalformedXml();
  switch (shape.type) {
    case ShapeType::kStructure: {
      Json object = Json::object();
      for (const MemberRef& m : shape.members) {
        if (!m.location.empty()) continue;
        const Shape& ms = *m.shape;
        if (m.xml_attribute) {
          if (pugi::xml_attribute a = element.attribute(std::string(m.WireName()).c_str())) {
            GEE_ASSIGN_OR_RETURN(object[m.name], ReadScalar(ms, a.value()));
          }
          continue;
        }
        const bool flattened = m.flattened || ms.flattened;
        if (ms.type == ShapeType::kList && flattened) {
          const std::string item_name =
              ms.member.location_name.empty() ? std::string(m.WireName()) : ms.member.location_name;
          std::vector<pugi::xml_node> items = Named(element, item_name);
          if (!items.empty()) {
            GEE_ASSIGN_OR_RETURN(object[m.name], ReadList(ms, items, depth));
          }
          continue;
        }
        if (ms.type == ShapeType::kMap && flattened) {
          std::vector<pugi::xml_node> entries = Named(element, m.WireName());
          if (!entries.empty()) {
            GEE_ASSIGN_OR_RETURN(object[m.name], ReadMap(ms, entries, depth));
          }
          continue;
        }
        pugi::xml_node child = element.child(std::string(m.WireName()).c_str());
        if (!child) continue;
        GEE_ASSIGN_OR_RETURN(object[m.name], ShapeRead(ms, child, depth + 1));
      }
      return object;
    }
    case ShapeType::kList: {
      const std::string item = shape.member.location_name.empty() ? "member" : shape.member.location_name;
      return ReadList(shape, Named(element, item), depth);
    }
    case ShapeType::kMap:
      return ReadMap(shape, Named(element, "entry"), depth);
    default:
      if (HasElementChildren(element)) return MalformedXml();
      return ReadScalar(shape, TextOf(element));
  }
}

}  // namespace

AwsError MalformedXml() {
  return AwsError("MalformedXML",
                  "The XML you provided was not well-formed or did not validate against our published schema",
                  400);
}

std::string RenderS3ErrorBody(const AwsError& error, std::string_view request_id, std::string_view host_id) {
  pugi::xml_document doc;
  pugi::xml_node root = doc.append_child("Error");
  SetText(root.append_child("Code"), error.code);
  if (!error.message.empty()) SetText(root.append_child("Message"), error.message);
  for (const auto& [name, value] : error.extra) SetText(root.append_child(XmlName(name).c_str()), value);
  SetText(root.append_child("RequestId"), request_id);
  SetText(root.append_child("HostId"), host_id);
  return WriteXml(doc, kOneLine);
}

WireReply RenderS3Error(const AwsError& error, std::string_view request_id, std::string_view host_id,
                        bool head_request) {
  WireReply reply;
  reply.status = error.http_status;
  reply.headers = {{"Content-Type", "application/xml"},
                   {"x-amz-request-id", std::string(request_id)},
                   {"x-amz-id-2", std::string(host_id)}};
  if (!head_request) reply.body = RenderS3ErrorBody(error, request_id, host_id);
  return reply;
}

std::string JsonToXml(const OrderedJson& value, std::string_view root_name, std::string_view xml_namespace) {
  pugi::xml_document doc;
  GenericWrite(doc, std::string(root_name), value.is_array() ? OrderedJson::object() : value, 0);
  pugi::xml_node root = doc.document_element();
  if (root && !xml_namespace.empty()) {
    root.prepend_attribute("xmlns").set_value(std::string(xml_namespace).c_str());
  }
  return WriteXml(doc, kOneLine);
}

std::string ShapeToXml(const Shape& shape, const Json& value, std::string_view root_name,
                       std::string_view xml_namespace) {
  pugi::xml_document doc;
  pugi::xml_node root = doc.append_child(XmlName(root_name).c_str());
  if (!xml_namespace.empty()) root.append_attribute("xmlns").set_value(std::string(xml_namespace).c_str());
  if (shape.type == ShapeType::kStructure) ShapeWriteMembers(root, shape, value, 0);
  return WriteXml(doc, kOneLine);
}

Result<Json> ParseXmlDocument(std::string_view body) try {
  pugi::xml_document doc;
  GEE_RETURN_IF_ERROR(Load(body, doc));
  pugi::xml_node root = doc.document_element();
  GEE_ASSIGN_OR_RETURN(Json content, GenericRead(root, 0));
  Json out = Json::object();
  out[root.name()] = std::move(content);
  return out;
} catch (const std::exception&) {
  return MalformedXml();  // defensive: pugixml reports errors, nlohmann is used type-safely
}

Result<Json> ParseXmlToShape(std::string_view body, const Shape& shape, std::string_view expected_root) try {
  pugi::xml_document doc;
  GEE_RETURN_IF_ERROR(Load(body, doc));
  pugi::xml_node root = doc.document_element();
  if (!expected_root.empty() && expected_root != root.name()) return MalformedXml();
  return ShapeRead(shape, root, 0);
} catch (const std::exception&) {
  return MalformedXml();
}

}  // namespace gee::protocol
