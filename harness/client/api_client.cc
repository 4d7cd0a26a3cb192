#include "harness/client/api_client.h"

#include "harness/client/query_serializer.h"
#include "harness/client/rest_serializer.h"
#include "protocol/model.h"

namespace gee::harness {

using nlohmann::json;

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 411: return "Length Required";
    case 412: return "Precondition Failed";
    case 416: return "Requested Range Not Satisfiable";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    default: return "";
  }
}

ApiClient::ApiClient(std::string endpoint, std::string region, const Clock* clock)
    : client_(std::move(endpoint), Credentials{}, region, clock), region_(std::move(region)) {}

namespace {

std::string RequestIdOf(const HttpResult& http) {
  for (std::string_view name : {"x-amzn-RequestId", "x-amz-request-id", "x-amzn-requestid"}) {
    std::string_view v = http.Header(name);
    if (!v.empty()) return std::string(v);
  }
  return {};
}

}  // namespace

Result<CallResult> ApiClient::Call(const Credentials& credentials, std::string_view service,
                                   std::string_view operation, const json& input) {
  GEE_ASSIGN_OR_RETURN(const protocol::ServiceModel* model, protocol::ServiceModel::Get(service));
  const protocol::Operation* op = model->FindOperation(operation);
  if (op == nullptr) {
    return AwsError("InvalidHarnessInput",
                    "the " + std::string(service) + " model has no operation " + std::string(operation), 0);
  }
  client_.set_credentials(credentials);
  // IAM is global and signed for us-east-1.
  client_.set_region(service == "iam" ? "us-east-1" : region_);

  ApiResponse response;
  const std::string& protocol = model->protocol();
  if (protocol == "json") {
    GEE_ASSIGN_OR_RETURN(response, client_.Json(service, operation, input.is_null() ? json::object() : input));
  } else if (protocol == "query") {
    GEE_ASSIGN_OR_RETURN(FormPairs params, EncodeQueryInput(op->input.shape, input));
    GEE_ASSIGN_OR_RETURN(response, client_.Query(service, operation, params));
  } else if (protocol == "rest-xml") {
    GEE_ASSIGN_OR_RETURN(RestRequest request, EncodeRestInput(*op, input));
    GEE_ASSIGN_OR_RETURN(response, client_.Rest(service, request.method, request.target,
                                                std::move(request.headers), request.body));
  } else {
    return AwsError("InvalidHarnessInput", "unsupported protocol " + protocol, 0);
  }

  CallResult result;
  result.http_status = response.http.status;
  result.ok = response.ok();
  result.request_id = RequestIdOf(response.http);
  result.decisions = response.Decisions();
  if (!result.ok) {
    result.error_code = response.error_code;
    result.error_message = response.error_message;
    if (result.error_code.empty()) {
      // No error document (HEAD, or an endpoint answering without a body).
      result.error_code = std::to_string(response.http.status);
      result.error_message = std::string(ReasonPhrase(response.http.status));
    }
    return result;
  }
  if (protocol == "json") {
    // A void output may come as an empty body, {} or (some emulators) null.
    if (response.json.is_object()) {
      result.output = std::move(response.json);
    } else if (!response.http.body.empty() && response.http.body != "null") {
      return AwsError("InvalidHarnessResponse",
                      "the response body is not a JSON object: " + response.http.body.substr(0, 200), 0);
    }
  } else if (protocol == "query") {
    GEE_ASSIGN_OR_RETURN(result.output, DecodeQueryOutput(*op, response.http.body));
  } else {
    GEE_ASSIGN_OR_RETURN(result.output, DecodeRestOutput(*op, response.http));
  }
  return result;
}

Result<HttpResult> ApiClient::Operational(const Credentials& credentials, std::string_view method,
                                          std::string_view target) {
  client_.set_credentials(credentials);
  client_.set_region(region_);
  return client_.Signed("gee", method, target, {}, "");
}

}  // namespace gee::harness
