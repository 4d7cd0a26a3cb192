// S3Service::Invoke: the in-process form of every S3 operation, for other
// services (the emulated Glue job runtime reads scripts and writes output
// objects with it, as the job role session).
//
// Input and output are the botocore shapes as JSON, in the conventions of
// the other services (blobs as base64 strings, timestamps as epoch seconds):
//   Invoke(ctx, "PutObject", {"Bucket": "b", "Key": "k", "Body": "<base64>",
//                             "ServerSideEncryption": "aws:kms"})
//     → {"ETag": "\"...\"", "ServerSideEncryption": "aws:kms", "SSEKMSKeyId": "arn:..."}
//   Invoke(ctx, "GetObject", {"Bucket": "b", "Key": "k"}) → {"Body": "<base64>", ...}
// The request is rendered to REST-XML with the model (URI labels, headers,
// query string, payload; Content-MD5 where the model requires a checksum)
// and runs through S3Service::Call, i.e. the exact path of an HTTP request:
// the same validation, authorization, encryption and errors. Errors are the
// S3 AwsErrors (code, message, status).
#include <cmath>
#include <nlohmann/json.hpp>

#include "auth/sigv4.h"
#include "crypto/encoding.h"
#include "protocol/model.h"
#include "protocol/s3_xml.h"
#include "protocol/timestamp.h"
#include "protocol/validation.h"
#include "services/s3/errors.h"
#include "services/s3/s3_internal.h"
#include "services/s3/s3_service.h"

namespace gee::s3 {
namespace {

using protocol::MemberRef;
using protocol::Shape;
using protocol::ShapeType;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// A scalar input value as it travels in a header or query string.
std::string ScalarText(const Shape& shape, const Json& v, bool header) {
  switch (shape.type) {
    case ShapeType::kBoolean:
      return v.is_boolean() && v.get<bool>() ? "true" : "false";
    case ShapeType::kInteger:
    case ShapeType::kLong:
      if (v.is_number()) return std::to_string(static_cast<int64_t>(v.get<double>()));
      break;
    case ShapeType::kTimestamp:
      if (v.is_number()) {
        return header ? protocol::FormatRfc822(v.get<double>())
                      : protocol::FormatIso8601(v.get<double>());
      }
      break;
    default:
      break;
  }
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

// A header value converted to the output member's JSON type.
Json HeaderValue(const Shape& shape, std::string_view text) {
  switch (shape.type) {
    case ShapeType::kBoolean:
      return Lower(text) == "true";
    case ShapeType::kInteger:
    case ShapeType::kLong: {
      int64_t n = 0;
      for (char c : text) {
        if (c < '0' || c > '9') return std::string(text);
        n = n * 10 + (c - '0');
      }
      return n;
    }
    case ShapeType::kTimestamp:
      if (auto t = protocol::ParseRfc822(text)) return *t;
      if (auto t = protocol::ParseIso8601(text)) return *t;
      return std::string(text);
    default:
      return std::string(text);
  }
}

Result<server::HttpRequest> BuildRequest(const protocol::Operation& op, const Json& input) {
  server::HttpRequest request;
  request.method = op.http_method;
  std::string uri = op.request_uri;
  std::string literal_query;
  if (size_t q = uri.find('?'); q != std::string::npos) {
    literal_query = uri.substr(q + 1);
    uri = uri.substr(0, q);
  }
  std::vector<std::string> query;
  if (!literal_query.empty()) query.push_back(literal_query);
  const Shape* shape = op.input.shape;
  if (shape != nullptr) {
    for (const MemberRef& m : shape->members) {
      auto it = input.find(m.name);
      if (it == input.end() || it->is_null()) continue;
      const std::string wire(m.WireName());
      if (m.location == "uri") {
        const std::string label = "{" + wire + "}";
        const std::string greedy = "{" + wire + "+}";
        std::string value = ScalarText(*m.shape, *it, false);
        if (size_t pos = uri.find(greedy); pos != std::string::npos) {
          uri.replace(pos, greedy.size(), sigv4::UriEncode(value, true));
        } else if (size_t p2 = uri.find(label); p2 != std::string::npos) {
          uri.replace(p2, label.size(), sigv4::UriEncode(value, false));
        }
      } else if (m.location == "header") {
        if (m.shape->type == ShapeType::kList && it->is_array()) {
          std::string joined;
          for (const Json& e : *it) {
            if (!joined.empty()) joined += ",";
            joined += ScalarText(*m.shape->member.shape, e, true);
          }
          request.headers.push_back({wire, joined});
        } else {
          request.headers.push_back({wire, ScalarText(*m.shape, *it, true)});
        }
      } else if (m.location == "headers") {
        if (!it->is_object()) continue;
        for (auto e = it->begin(); e != it->end(); ++e) {
          if (e->is_string()) request.headers.push_back({wire + e.key(), e->get<std::string>()});
        }
      } else if (m.location == "querystring") {
        query.push_back(sigv4::UriEncode(wire, false) + "=" +
                        sigv4::UriEncode(ScalarText(*m.shape, *it, false), false));
      } else if (m.location.empty() && m.name == shape->payload) {
        if (m.shape->type == ShapeType::kBlob) {
          if (!it->is_string()) return errors::InvalidArgument("Body must be base64", m.name, "");
          auto decoded = crypto::Base64Decode(it->get<std::string>());
          if (!decoded.ok()) return errors::InvalidArgument("Body must be base64", m.name, "");
          request.body = std::move(decoded).value();
        } else if (m.shape->type == ShapeType::kStructure) {
          request.body = protocol::ShapeToXml(*m.shape, *it, wire);
        } else if (it->is_string()) {
          request.body = it->get<std::string>();
        }
      }
    }
  }
  request.target = uri;
  for (size_t i = 0; i < query.size(); ++i) request.target += (i == 0 ? "?" : "&") + query[i];
  if (op.http_checksum_required && !request.Has("content-md5")) {
    GEE_ASSIGN_OR_RETURN(Md5Digest md5, Md5Of(request.body));
    request.headers.push_back({"Content-MD5", crypto::Base64Encode(Md5Bytes(md5))});
  }
  return request;
}

Result<Json> ReadResponse(const protocol::Operation& op, const server::HttpResponse& response) {
  Json out = Json::object();
  const Shape* shape = op.output.shape;
  if (shape == nullptr) return out;
  bool payload_done = false;
  if (shape->payload.empty() && !response.body.empty()) {
    GEE_ASSIGN_OR_RETURN(out, protocol::ParseXmlToShape(response.body, *shape));
    payload_done = true;
  }
  for (const MemberRef& m : shape->members) {
    const std::string wire(m.WireName());
    if (m.location == "header") {
      if (server::HasHeader(response.headers, wire)) {
        out[m.name] = HeaderValue(*m.shape, response.Header(wire));
      }
    } else if (m.location == "headers") {
      Json map = Json::object();
      const std::string prefix = Lower(wire);
      for (const auto& h : response.headers) {
        std::string name = Lower(h.name);
        if (name.rfind(prefix, 0) == 0) map[name.substr(prefix.size())] = h.value;
      }
      if (!map.empty()) out[m.name] = std::move(map);
    } else if (m.location == "statusCode") {
      out[m.name] = response.status;
    } else if (m.location.empty() && m.name == shape->payload && !payload_done) {
      if (m.shape->type == ShapeType::kBlob) {
        out[m.name] = crypto::Base64Encode(response.body);
      } else if (m.shape->type == ShapeType::kStructure) {
        if (!response.body.empty()) {
          GEE_ASSIGN_OR_RETURN(out[m.name], protocol::ParseXmlToShape(response.body, *m.shape));
        }
      } else {
        out[m.name] = response.body;
      }
    }
  }
  return out;
}

}  // namespace

Result<Json> S3Service::Invoke(RequestContext& ctx, std::string_view operation, const Json& input) {
  GEE_ASSIGN_OR_RETURN(const protocol::ServiceModel* model, protocol::ServiceModel::Get("s3"));
  const protocol::Operation* op = model->FindOperation(operation);
  if (op == nullptr || !HasOperation(operation)) {
    return errors::NotImplemented("operation " + std::string(operation));
  }
  GEE_RETURN_IF_ERROR(protocol::ValidateInput(*model, *op, input));
  GEE_ASSIGN_OR_RETURN(server::HttpRequest request, BuildRequest(*op, input));
  RequestContext call_ctx = ctx;
  call_ctx.depth = ctx.depth + 1;
  std::optional<AwsError> error;
  server::HttpResponse response = Call(std::move(call_ctx), std::move(request), &error);
  if (error) return *error;
  if (response.status >= 300) {
    return AwsError("InternalError", "S3 answered HTTP " + std::to_string(response.status), 500);
  }
  return ReadResponse(*op, response);
}

}  // namespace gee::s3
