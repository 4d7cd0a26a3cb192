#include "harness/client/rest_serializer.h"

#include <openssl/evp.h>
#include <strings.h>

#include "auth/sigv4.h"
#include "crypto/encoding.h"
#include "harness/client/shape_values.h"
#include "protocol/s3_xml.h"
#include "protocol/utf8.h"

namespace gee::harness {
namespace {

using nlohmann::json;
using protocol::MemberRef;
using protocol::Shape;
using protocol::ShapeType;
using protocol::TimestampFormat;

Result<std::string> Md5Base64(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &size, EVP_md5(), nullptr) != 1) {
    return AwsError("InternalFailure", "MD5 failed", 0);
  }
  return crypto::Base64Encode(std::string_view(reinterpret_cast<const char*>(digest), size));
}

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

bool IStartsWith(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && IEquals(text.substr(0, prefix.size()), prefix);
}

// A blob payload given as text, or as {"base64": "..."}.
Result<std::string> BlobPayload(const json& value, const std::string& path) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_object() && value.size() == 1 && value.contains("base64") && value["base64"].is_string()) {
    auto decoded = crypto::Base64Decode(value["base64"].get<std::string>());
    if (!decoded.ok()) return HarnessInputError("member " + path + ".base64 is not base64");
    return std::move(decoded).value();
  }
  return HarnessInputError("member " + path + " must be text or {\"base64\": \"...\"}");
}

// Header text of a scalar or list value.
Result<std::string> HeaderText(const Shape& shape, const json& value, const std::string& path) {
  if (shape.type == ShapeType::kList) {
    if (!value.is_array()) return HarnessInputError("member " + path + " must be an array");
    std::string joined;
    for (size_t i = 0; i < value.size(); ++i) {
      GEE_ASSIGN_OR_RETURN(std::string item, ScalarText(*shape.member.shape, value[i],
                                                        TimestampFormat::kRfc822, path));
      if (i > 0) joined += ",";
      joined += item;
    }
    return joined;
  }
  return ScalarText(shape, value, TimestampFormat::kRfc822, path);
}

}  // namespace

Result<RestRequest> EncodeRestInput(const protocol::Operation& operation, const json& input) {
  RestRequest out;
  out.method = operation.http_method;
  const Shape* shape = operation.input.shape;
  json in = input.is_null() ? json::object() : input;
  if (!in.is_object()) return HarnessInputError("the input must be an object");
  if (shape == nullptr) {
    if (!in.empty()) return HarnessInputError("this operation takes no input");
  } else {
    for (const auto& [name, value] : in.items()) {
      if (shape->FindMember(name) == nullptr) {
        return HarnessInputError("member " + name + " is not in shape " + shape->name);
      }
    }
  }

  std::string uri = operation.request_uri;
  std::string path = uri.substr(0, uri.find('?'));
  std::string query = uri.find('?') == std::string::npos ? "" : uri.substr(uri.find('?') + 1);
  std::vector<std::string> query_parts;
  if (!query.empty()) query_parts.push_back(query);
  bool has_md5 = false;

  if (shape != nullptr) {
    for (const MemberRef& m : shape->members) {
      auto it = in.find(m.name);
      if (it == in.end() || it->is_null()) continue;
      const Shape& ms = *m.shape;
      const std::string wire(m.WireName());
      if (m.location == "uri") {
        GEE_ASSIGN_OR_RETURN(std::string text, ScalarText(ms, *it, TimestampFormat::kIso8601, m.name));
        std::string greedy = "{" + wire + "+}";
        std::string plain = "{" + wire + "}";
        if (auto pos = path.find(greedy); pos != std::string::npos) {
          path.replace(pos, greedy.size(), sigv4::UriEncode(text, /*keep_slash=*/true));
        } else if (auto pos2 = path.find(plain); pos2 != std::string::npos) {
          path.replace(pos2, plain.size(), sigv4::UriEncode(text, /*keep_slash=*/false));
        }
      } else if (m.location == "querystring") {
        if (ms.type == ShapeType::kMap) {
          if (!it->is_object()) return HarnessInputError("member " + m.name + " must be an object");
          for (const auto& [k, v] : it->items()) {
            GEE_ASSIGN_OR_RETURN(std::string text, ScalarText(*ms.value.shape, v,
                                                              TimestampFormat::kIso8601, m.name));
            query_parts.push_back(sigv4::UriEncode(k, false) + "=" + sigv4::UriEncode(text, false));
          }
        } else if (ms.type == ShapeType::kList) {
          if (!it->is_array()) return HarnessInputError("member " + m.name + " must be an array");
          for (const auto& v : *it) {
            GEE_ASSIGN_OR_RETURN(std::string text, ScalarText(*ms.member.shape, v,
                                                              TimestampFormat::kIso8601, m.name));
            query_parts.push_back(sigv4::UriEncode(wire, false) + "=" + sigv4::UriEncode(text, false));
          }
        } else {
          GEE_ASSIGN_OR_RETURN(std::string text, ScalarText(ms, *it, TimestampFormat::kIso8601, m.name));
          query_parts.push_back(sigv4::UriEncode(wire, false) + "=" + sigv4::UriEncode(text, false));
        }
      } else if (m.location == "header") {
        GEE_ASSIGN_OR_RETURN(std::string text, HeaderText(ms, *it, m.name));
        if (IEquals(wire, "Content-MD5")) has_md5 = true;
        out.headers.emplace_back(wire, std::move(text));
      } else if (m.location == "headers") {
        if (!it->is_object()) return HarnessInputError("member " + m.name + " must be an object");
        for (const auto& [k, v] : it->items()) {
          GEE_ASSIGN_OR_RETURN(std::string text, ScalarText(*ms.value.shape, v,
                                                            TimestampFormat::kRfc822, m.name));
          out.headers.emplace_back(wire + k, std::move(text));
        }
      } else if (m.name == shape->payload) {
        if (ms.type == ShapeType::kStructure) {
          std::string root = m.location_name.empty() ? (ms.location_name.empty() ? m.name : ms.location_name)
                                                     : m.location_name;
          std::string ns = !m.xml_namespace.empty() ? m.xml_namespace : ms.xml_namespace;
          if (!it->is_object()) return HarnessInputError("member " + m.name + " must be an object");
          out.body = protocol::ShapeToXml(ms, *it, root, ns);
          out.headers.emplace_back("Content-Type", "application/xml");
        } else if (ms.type == ShapeType::kBlob) {
          GEE_ASSIGN_OR_RETURN(out.body, BlobPayload(*it, m.name));
        } else {
          GEE_ASSIGN_OR_RETURN(out.body, ScalarText(ms, *it, TimestampFormat::kIso8601, m.name));
        }
      } else {
        return HarnessInputError("member " + m.name + " has no REST binding gee's harness supports");
      }
    }
  }
  if (path.find('{') != std::string::npos) {
    auto open = path.find('{');
    auto close = path.find('}', open);
    return HarnessInputError("the input lacks the URI member " + path.substr(open + 1, close - open - 1));
  }
  if (operation.http_checksum_required && !has_md5) {
    GEE_ASSIGN_OR_RETURN(std::string md5, Md5Base64(out.body));
    out.headers.emplace_back("Content-MD5", std::move(md5));
  }
  out.target = path;
  for (size_t i = 0; i < query_parts.size(); ++i) {
    out.target += (i == 0 ? "?" : "&") + query_parts[i];
  }
  return out;
}

Result<json> DecodeRestOutput(const protocol::Operation& operation, const HttpResult& response) {
  json out = json::object();
  const Shape* shape = operation.output.shape;
  if (shape == nullptr) return out;
  const MemberRef* payload = shape->payload.empty() ? nullptr : shape->FindMember(shape->payload);
  for (const MemberRef& m : shape->members) {
    const Shape& ms = *m.shape;
    const std::string wire(m.WireName());
    if (m.location == "header") {
      const std::string* found = nullptr;
      for (const auto& [n, v] : response.headers) {
        if (IEquals(n, wire)) {
          found = &v;
          break;
        }
      }
      if (found == nullptr) continue;
      std::string_view value = *found;
      if (ms.type == ShapeType::kList) {
        json list = json::array();
        size_t start = 0;
        while (start <= value.size()) {
          size_t comma = value.find(',', start);
          std::string_view item = value.substr(start, comma == std::string_view::npos ? value.npos : comma - start);
          while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
          list.push_back(ScalarFromText(*ms.member.shape, item));
          if (comma == std::string_view::npos) break;
          start = comma + 1;
        }
        out[m.name] = std::move(list);
      } else {
        out[m.name] = ScalarFromText(ms, value);
      }
    } else if (m.location == "headers") {
      json map = json::object();
      for (const auto& [n, v] : response.headers) {
        if (IStartsWith(n, wire)) map[n.substr(wire.size())] = v;
      }
      if (!map.empty()) out[m.name] = std::move(map);
    } else if (m.location == "statusCode") {
      out[m.name] = response.status;
    }
  }
  if (payload != nullptr) {
    const Shape& ps = *payload->shape;
    if (ps.type == ShapeType::kStructure) {
      if (!response.body.empty()) {
        auto parsed = protocol::ParseXmlToShape(response.body, ps);
        if (!parsed.ok()) {
          return AwsError("InvalidHarnessResponse", "the response body is not the expected XML", 0);
        }
        out[payload->name] = std::move(parsed).value();
      }
    } else if (ps.type == ShapeType::kBlob) {
      if (protocol::IsValidUtf8(response.body)) {
        out[payload->name] = response.body;
      } else {
        out[payload->name] = json{{"base64", crypto::Base64Encode(response.body)}};
      }
    } else {
      out[payload->name] = response.body;
    }
  } else if (!response.body.empty()) {
    auto parsed = protocol::ParseXmlToShape(response.body, *shape);
    if (!parsed.ok()) {
      return AwsError("InvalidHarnessResponse", "the response body is not the expected XML", 0);
    }
    for (auto& [k, v] : parsed->items()) out[k] = v;
  }
  return out;
}

}  // namespace gee::harness
