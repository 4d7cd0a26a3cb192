// A signing AWS client for the three wire protocols gee speaks, over
// HttpClient. It shares the emulator's SigV4 code (auth/sigv4_signer.h).
// Used by integration tests, benchmarks and the scenario runner; it can
// target any AWS-compatible endpoint.
//
//   AwsClient client(endpoint, {"test", "test"}, "us-east-1");
//   auto r = client.Json("kms", "CreateKey", {{"Description", "x"}});
//   if (r->ok()) ... r->json["KeyMetadata"]["Arn"] ...
//   else ... r->error_code ...
//
// Thread-safety: one AwsClient per thread.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "harness/client/http_client.h"

namespace gee::harness {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty for long-term keys
};

// The outcome of one API call, protocol-independent.
struct ApiResponse {
  HttpResult http;
  // JSON services: the parsed body (success or error). Others: null.
  nlohmann::json json;
  // Error code and message when the call failed (any protocol), else empty.
  std::string error_code;
  std::string error_message;

  bool ok() const { return http.status >= 200 && http.status < 300; }
  // The authorization decisions gee explained for this request
  // (x-gee-authorization, auth/explain.h); empty when none were returned.
  std::vector<std::string> Decisions() const;
};

class AwsClient {
 public:
  // `clock` signs requests (null: system clock).
  AwsClient(std::string endpoint, Credentials credentials, std::string region,
            const Clock* clock = nullptr);
  ~AwsClient();

  void set_credentials(Credentials credentials) { credentials_ = std::move(credentials); }
  const Credentials& credentials() const { return credentials_; }
  void set_region(std::string region) { region_ = std::move(region); }
  // When not empty, every signed request asks gee to explain its
  // authorization (x-gee-explain, auth/explain.h), proving knowledge of this
  // root secret access key. Only for gee endpoints.
  void set_explain_secret(std::string root_secret) { explain_secret_ = std::move(root_secret); }
  const std::string& region() const { return region_; }
  const std::string& endpoint() const { return endpoint_; }

  // JSON 1.1 call (kms, glue, logs): POST / with X-Amz-Target.
  Result<ApiResponse> Json(std::string_view service, std::string_view operation,
                           const nlohmann::json& input);
  // Query call (iam, sts): POST / with a form body built from `params`
  // (Action and Version are added).
  Result<ApiResponse> Query(std::string_view service, std::string_view action,
                            const std::vector<std::pair<std::string, std::string>>& params);
  // REST call (s3): path-style `target` ("/bucket/key?x=y", already
  // percent-encoded), extra headers, body signed with its SHA-256 unless
  // `unsigned_payload`.
  Result<ApiResponse> Rest(std::string_view service, std::string_view method,
                           std::string_view target, std::vector<Header> headers,
                           std::string_view body, bool unsigned_payload = false);
  // Sends a request exactly as given, unsigned (for malformed-input tests).
  Result<HttpResult> Raw(std::string_view method, std::string_view target,
                         const std::vector<Header>& headers, std::string_view body);
  // Signs and sends an arbitrary request (headers may be tampered by `mutate`
  // after signing, for negative tests).
  Result<HttpResult> Signed(std::string_view service, std::string_view method,
                            std::string_view target, std::vector<Header> headers,
                            std::string_view body,
                            const std::function<void(std::vector<Header>&)>& mutate = {});

  // The target prefix of a JSON service ("TrentService" for kms).
  static std::string_view JsonTargetPrefix(std::string_view service);
  // The Query API version of a service ("2010-05-08" for iam).
  static std::string_view QueryVersion(std::string_view service);

 private:
  Result<HttpClient*> Http();
  std::string endpoint_;
  Credentials credentials_;
  std::string region_;
  std::string explain_secret_;
  const Clock* clock_;
  SystemClock system_clock_;
  std::unique_ptr<HttpClient> http_;
};

// Extracts <Code> and <Message> from a Query or S3 XML error body.
void ParseXmlError(std::string_view body, std::string* code, std::string* message);

}  // namespace gee::harness
