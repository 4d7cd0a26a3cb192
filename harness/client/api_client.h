// A protocol-independent AWS client for the scenario runner:
//
//   ApiClient api(endpoint, "us-east-1");
//   auto r = api.Call(credentials, "iam", "CreateUser", {{"UserName", "alice"}});
//   if (!r.ok()) ... transport or harness problem (no AWS answer) ...
//   else if (r->ok) ... r->output (JSON) ...
//   else ... r->error_code, r->error_message, r->http_status ...
//
// The operation input and output are JSON in gee's conventions whatever the
// wire protocol: JSON 1.1 (kms, glue, logs) is sent as is; Query (iam, sts)
// is serialised from and parsed into JSON by query_serializer.h; REST-XML
// (s3) by rest_serializer.h. The botocore models (protocol/model.h) say
// which protocol a service speaks and the shapes of every operation.
// IAM is signed for us-east-1 whatever the client's region, as AWS requires.
//
// With an explain secret (auth/explain.h) each response also carries gee's
// authorization decisions for the request.
//
// Thread-safety: one ApiClient per thread.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "harness/client/aws_client.h"

namespace gee::harness {

// The AWS answer to one call (success or an AWS error).
struct CallResult {
  // HTTP status of the response.
  int http_status = 0;
  // True for a 2xx answer.
  bool ok = false;
  // The output on success ({} for operations without output).
  nlohmann::json output = nlohmann::json::object();
  // The AWS error code and message on failure. For an error without a body
  // (S3 HEAD) the code is the status number and the message its reason
  // phrase ("404", "Not Found"), as botocore reports them.
  std::string error_code;
  std::string error_message;
  // The request id of the response (x-amzn-RequestId / x-amz-request-id).
  std::string request_id;
  // gee's authorization decisions for the request (empty unless explained).
  std::vector<std::string> decisions;
};

class ApiClient {
 public:
  // `clock` signs requests (null: the system clock).
  ApiClient(std::string endpoint, std::string region, const Clock* clock = nullptr);

  // Calls `service`:`operation` with `credentials`. Fails (no CallResult) when
  // the service or operation is not in the models, the input does not fit the
  // operation (InvalidHarnessInput), no HTTP answer came (ConnectionError), or
  // a success body could not be read (InvalidHarnessResponse).
  Result<CallResult> Call(const Credentials& credentials, std::string_view service,
                          std::string_view operation, const nlohmann::json& input);

  // Sends a request to a gee operational endpoint (/_gee/...) signed with
  // `credentials`; returns the HTTP result as is.
  Result<HttpResult> Operational(const Credentials& credentials, std::string_view method,
                                 std::string_view target);

  // See AwsClient::set_explain_secret.
  void set_explain_secret(std::string root_secret) { client_.set_explain_secret(std::move(root_secret)); }
  const std::string& region() const { return region_; }
  const std::string& endpoint() const { return client_.endpoint(); }

 private:
  AwsClient client_;
  std::string region_;
};

// The reason phrase of an HTTP status ("Not Found"), or "" when unknown.
std::string_view ReasonPhrase(int status);

}  // namespace gee::harness
