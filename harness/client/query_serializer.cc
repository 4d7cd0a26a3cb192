#include "harness/client/query_serializer.h"

#include <pugixml.hpp>
#include <sstream>

#include "harness/client/shape_values.h"
#include "protocol/s3_xml.h"

namespace gee::harness {
namespace {

using nlohmann::json;
using protocol::MemberRef;
using protocol::Shape;
using protocol::ShapeType;

constexpr int kMaxDepth = 32;

Status EncodeValue(const Shape& shape, const json& value, const std::string& prefix,
                   const std::string& path, int depth, FormPairs& out);

Status EncodeStructure(const Shape& shape, const json& value, const std::string& prefix,
                       const std::string& path, int depth, FormPairs& out) {
  if (!value.is_object()) {
    return HarnessInputError("member " + path + " must be an object, got " + value.dump());
  }
  for (const auto& [name, member_value] : value.items()) {
    if (shape.FindMember(name) == nullptr) {
      return HarnessInputError("member " + path + (path.empty() ? "" : ".") + name +
                               " is not in shape " + shape.name);
    }
  }
  // Model order, as botocore serialises.
  for (const MemberRef& m : shape.members) {
    auto it = value.find(m.name);
    if (it == value.end() || it->is_null()) continue;
    std::string key = prefix.empty() ? std::string(m.WireName())
                                     : prefix + "." + std::string(m.WireName());
    std::string member_path = path.empty() ? m.name : path + "." + m.name;
    const Shape& ms = *m.shape;
    if (ms.type == ShapeType::kList && (m.flattened || ms.flattened) && !ms.member.location_name.empty()) {
      // A flattened list whose member is renamed replaces the last name part.
      key = prefix.empty() ? ms.member.location_name : prefix + "." + ms.member.location_name;
    }
    GEE_RETURN_IF_ERROR(EncodeValue(ms, *it, key, member_path, depth + 1, out));
  }
  return OkStatus();
}

Status EncodeValue(const Shape& shape, const json& value, const std::string& prefix,
                   const std::string& path, int depth, FormPairs& out) {
  if (depth > kMaxDepth) return HarnessInputError("input nested too deeply at " + path);
  switch (shape.type) {
    case ShapeType::kStructure:
      return EncodeStructure(shape, value, prefix, path, depth, out);
    case ShapeType::kList: {
      if (!value.is_array()) {
        return HarnessInputError("member " + path + " must be an array, got " + value.dump());
      }
      if (value.empty()) {
        out.emplace_back(prefix, "");
        return OkStatus();
      }
      std::string list_prefix;
      if (shape.flattened) {
        list_prefix = prefix;
      } else {
        list_prefix = prefix + "." + (shape.member.location_name.empty() ? std::string("member")
                                                                         : shape.member.location_name);
      }
      for (size_t i = 0; i < value.size(); ++i) {
        GEE_RETURN_IF_ERROR(EncodeValue(*shape.member.shape, value[i],
                                        list_prefix + "." + std::to_string(i + 1),
                                        path + "[" + std::to_string(i) + "]", depth + 1, out));
      }
      return OkStatus();
    }
    case ShapeType::kMap: {
      if (!value.is_object()) {
        return HarnessInputError("member " + path + " must be an object (map), got " + value.dump());
      }
      std::string entry_prefix = shape.flattened ? prefix : prefix + ".entry";
      std::string key_name = shape.key.location_name.empty() ? "key" : shape.key.location_name;
      std::string value_name = shape.value.location_name.empty() ? "value" : shape.value.location_name;
      size_t i = 0;
      for (const auto& [k, v] : value.items()) {
        ++i;
        std::string base = entry_prefix + "." + std::to_string(i) + ".";
        out.emplace_back(base + key_name, k);
        GEE_RETURN_IF_ERROR(EncodeValue(*shape.value.shape, v, base + value_name,
                                        path + "." + k, depth + 1, out));
      }
      return OkStatus();
    }
    default: {
      GEE_ASSIGN_OR_RETURN(std::string text,
                           ScalarText(shape, value, protocol::TimestampFormat::kIso8601, path));
      out.emplace_back(prefix, std::move(text));
      return OkStatus();
    }
  }
}

AwsError ResponseError(std::string message) {
  return AwsError("InvalidHarnessResponse", std::move(message), 0);
}

}  // namespace

Result<FormPairs> EncodeQueryInput(const Shape* input_shape, const json& input) {
  FormPairs out;
  if (input_shape == nullptr) {
    if (!input.is_null() && !(input.is_object() && input.empty())) {
      return HarnessInputError("this operation takes no input");
    }
    return out;
  }
  if (input.is_null()) return out;
  GEE_RETURN_IF_ERROR(EncodeStructure(*input_shape, input, "", "", 0, out));
  return out;
}

Result<json> DecodeQueryOutput(const protocol::Operation& operation, std::string_view body) {
  if (operation.output.shape == nullptr) return json::object();
  pugi::xml_document doc;
  if (!doc.load_buffer(body.data(), body.size())) {
    return ResponseError("the response is not XML");
  }
  pugi::xml_node root = doc.document_element();
  std::string wrapper = operation.output.result_wrapper.empty()
                            ? operation.name + "Result"
                            : operation.output.result_wrapper;
  pugi::xml_node result = root.child(wrapper.c_str());
  if (!result) {
    // Some endpoints omit an empty result element.
    if (std::string_view(root.name()) == operation.name + "Response") return json::object();
    return ResponseError("no <" + wrapper + "> in the response");
  }
  std::ostringstream text;
  result.print(text, "", pugi::format_raw);
  auto parsed = protocol::ParseXmlToShape(text.str(), *operation.output.shape);
  if (!parsed.ok()) return ResponseError("the <" + wrapper + "> element does not match its shape");
  return std::move(parsed).value();
}

}  // namespace gee::harness
