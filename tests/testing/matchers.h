// GoogleTest matchers on AWS outcomes, usable on a Result<T>/Status (unit
// tests) and on an harness::ApiResponse or Result<ApiResponse> (integration
// tests against the real server):
//   EXPECT_THAT(r, IsOk());
//   EXPECT_THAT(r, HasAwsError("NotFoundException"));
//   EXPECT_THAT(r, HasAwsErrorMessage("DisabledException", arn + " is disabled."));
//
// Thread-safety: stateless matchers.
#pragma once

#include <gmock/gmock.h>

#include <string>

#include "core/result.h"
#include "harness/client/aws_client.h"

namespace gee::testing {

// What the matchers need from an outcome: did it succeed, and the AWS error.
struct Outcome {
  bool transport_ok = true;
  bool ok = false;
  std::string code;
  std::string message;
  std::string detail;  // printed on mismatch
};

inline Outcome Inspect(const harness::ApiResponse& r) {
  Outcome o;
  o.ok = r.ok();
  o.code = r.error_code;
  o.message = r.error_message;
  o.detail = "HTTP " + std::to_string(r.http.status);
  return o;
}

inline Outcome Inspect(const Result<harness::ApiResponse>& r) {
  if (!r.ok()) {
    Outcome o;
    o.transport_ok = false;
    o.detail = "transport error: " + r.error().message;
    return o;
  }
  return Inspect(r.value());
}

template <typename T>
Outcome Inspect(const Result<T>& r) {
  Outcome o;
  o.ok = r.ok();
  if (!r.ok()) {
    o.code = r.error().code;
    o.message = r.error().message;
    o.detail = "HTTP status " + std::to_string(r.error().http_status);
  }
  return o;
}

MATCHER(IsOk, "succeeds") {
  Outcome o = Inspect(arg);
  if (!o.ok) *result_listener << o.detail << " " << o.code << ": \"" << o.message << "\"";
  return o.transport_ok && o.ok;
}

MATCHER_P(HasAwsError, code, "fails with AWS error " + std::string(code)) {
  Outcome o = Inspect(arg);
  if (o.ok) {
    *result_listener << "succeeded";
    return false;
  }
  *result_listener << o.detail << " " << o.code << ": \"" << o.message << "\"";
  return o.transport_ok && o.code == code;
}

MATCHER_P2(HasAwsErrorMessage, code, message,
           "fails with AWS error " + std::string(code) + " \"" + std::string(message) + "\"") {
  Outcome o = Inspect(arg);
  if (o.ok) {
    *result_listener << "succeeded";
    return false;
  }
  *result_listener << o.detail << " " << o.code << ": \"" << o.message << "\"";
  return o.transport_ok && o.code == code && o.message == message;
}

}  // namespace gee::testing
