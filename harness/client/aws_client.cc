#include "harness/client/aws_client.h"

#include <functional>
#include <pugixml.hpp>

#include "auth/explain.h"
#include "auth/sigv4.h"
#include "auth/sigv4_signer.h"
#include "crypto/hash.h"

namespace gee::harness {

AwsClient::AwsClient(std::string endpoint, Credentials credentials, std::string region,
                     const Clock* clock)
    : endpoint_(std::move(endpoint)),
      credentials_(std::move(credentials)),
      region_(std::move(region)),
      clock_(clock != nullptr ? clock : &system_clock_) {}

AwsClient::~AwsClient() = default;

std::string_view AwsClient::JsonTargetPrefix(std::string_view service) {
  if (service == "kms") return "TrentService";
  if (service == "glue") return "AWSGlue";
  if (service == "logs") return "Logs_20140328";
  return "";
}

std::string_view AwsClient::QueryVersion(std::string_view service) {
  if (service == "iam") return "2010-05-08";
  if (service == "sts") return "2011-06-15";
  return "";
}

Result<HttpClient*> AwsClient::Http() {
  if (!http_) {
    GEE_ASSIGN_OR_RETURN(http_, HttpClient::Create(endpoint_));
  }
  return http_.get();
}

Result<HttpResult> AwsClient::Raw(std::string_view method, std::string_view target,
                                  const std::vector<Header>& headers, std::string_view body) {
  GEE_ASSIGN_OR_RETURN(HttpClient * http, Http());
  return http->Send(method, target, headers, body);
}

Result<HttpResult> AwsClient::Signed(std::string_view service, std::string_view method,
                                     std::string_view target, std::vector<Header> headers,
                                     std::string_view body,
                                     const std::function<void(std::vector<Header>&)>& mutate) {
  GEE_ASSIGN_OR_RETURN(HttpClient * http, Http());
  sigv4::SignableRequest req;
  req.method = std::string(method);
  req.target = std::string(target);
  bool has_host = false;
  for (const auto& [n, v] : headers) {
    if (n == "Host" || n == "host") has_host = true;
  }
  if (!has_host) headers.insert(headers.begin(), {"Host", http->host_header()});
  req.headers = std::move(headers);
  sigv4::CredentialsView creds{credentials_.access_key_id, credentials_.secret_access_key,
                               credentials_.session_token};
  sigv4::SigningParams params;
  params.region = region_;
  params.service = service;
  params.time = clock_->NowSeconds();
  std::string payload_hash;
  if (service == "s3") {
    bool unsigned_payload = false;
    for (const auto& [n, v] : req.headers) {
      if ((n == "x-amz-content-sha256" || n == "X-Amz-Content-Sha256") && v == sigv4::kUnsignedPayload) {
        unsigned_payload = true;
      }
    }
    if (unsigned_payload) payload_hash = std::string(sigv4::kUnsignedPayload);
  }
  if (!payload_hash.empty()) params.payload_hash = payload_hash;
  GEE_ASSIGN_OR_RETURN(sigv4::SigningResult signed_request,
                       sigv4::SignRequest(req, creds, params, body));
  if (!explain_secret_.empty()) {
    req.headers.emplace_back(std::string(auth::kExplainRequestHeader),
                             auth::ExplainToken(explain_secret_, signed_request.signature));
  }
  if (mutate) mutate(req.headers);
  return http->Send(req.method, req.target, req.headers, body);
}

Result<ApiResponse> AwsClient::Json(std::string_view service, std::string_view operation,
                                    const nlohmann::json& input) {
  std::string target = std::string(JsonTargetPrefix(service)) + "." + std::string(operation);
  std::vector<Header> headers = {{"Content-Type", "application/x-amz-json-1.1"},
                                 {"X-Amz-Target", target}};
  std::string body = input.is_null() ? "{}" : input.dump();
  GEE_ASSIGN_OR_RETURN(HttpResult http, Signed(service, "POST", "/", headers, body));
  ApiResponse out;
  out.http = std::move(http);
  if (!out.http.body.empty()) {
    out.json = nlohmann::json::parse(out.http.body, nullptr, false);
    if (out.json.is_discarded()) out.json = nullptr;
  }
  if (!out.ok()) {
    if (out.json.is_object()) {
      std::string type = out.json.value("__type", "");
      auto hash = type.rfind('#');
      out.error_code = hash == std::string::npos ? type : type.substr(hash + 1);
      if (out.json.contains("message") && out.json["message"].is_string()) {
        out.error_message = out.json["message"];
      } else if (out.json.contains("Message") && out.json["Message"].is_string()) {
        out.error_message = out.json["Message"];
      }
    }
    if (out.error_code.empty()) out.error_code = std::string(out.http.Header("x-amzn-ErrorType"));
  }
  return out;
}

Result<ApiResponse> AwsClient::Query(std::string_view service, std::string_view action,
                                     const std::vector<std::pair<std::string, std::string>>& params) {
  std::string body = "Action=" + sigv4::UriEncode(action, false) +
                     "&Version=" + std::string(QueryVersion(service));
  for (const auto& [k, v] : params) {
    body += "&" + sigv4::UriEncode(k, false) + "=" + sigv4::UriEncode(v, false);
  }
  std::vector<Header> headers = {
      {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
  GEE_ASSIGN_OR_RETURN(HttpResult http, Signed(service, "POST", "/", headers, body));
  ApiResponse out;
  out.http = std::move(http);
  if (!out.ok()) ParseXmlError(out.http.body, &out.error_code, &out.error_message);
  return out;
}

Result<ApiResponse> AwsClient::Rest(std::string_view service, std::string_view method,
                                    std::string_view target, std::vector<Header> headers,
                                    std::string_view body, bool unsigned_payload) {
  std::string hash;
  if (unsigned_payload) {
    hash = std::string(sigv4::kUnsignedPayload);
  } else {
    GEE_ASSIGN_OR_RETURN(hash, crypto::Sha256Hex(body));
  }
  headers.emplace_back("x-amz-content-sha256", hash);
  GEE_ASSIGN_OR_RETURN(HttpResult http, Signed(service, method, target, std::move(headers), body));
  ApiResponse out;
  out.http = std::move(http);
  if (!out.ok()) ParseXmlError(out.http.body, &out.error_code, &out.error_message);
  return out;
}

std::vector<std::string> ApiResponse::Decisions() const {
  std::string_view header = http.Header(auth::kExplainResponseHeader);
  if (header.empty()) return {};
  return auth::DecodeDecisions(header);
}

void ParseXmlError(std::string_view body, std::string* code, std::string* message) {
  pugi::xml_document doc;
  if (!doc.load_buffer(body.data(), body.size())) return;
  pugi::xml_node error = doc.child("ErrorResponse").child("Error");
  if (!error) error = doc.child("Error");
  if (!error) return;
  *code = error.child_value("Code");
  *message = error.child_value("Message");
}

}  // namespace gee::harness
