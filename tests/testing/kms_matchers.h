// AwsError matchers for the KMS unit tests: HasAwsError(code) and
// HasAwsErrorMessage(code, message) on any Result<T> or Status.
//
// Thread-safety: stateless matchers.
#pragma once

#include <gmock/gmock.h>

#include <string>

namespace gee::testing {

// Matches a failed Result/Status whose AwsError has code `code`.
MATCHER_P(HasAwsError, code, "fails with AWS error " + std::string(code)) {
  if (arg.ok()) {
    *result_listener << "succeeded";
    return false;
  }
  *result_listener << "failed with " << arg.error().code << ": \"" << arg.error().message
                   << "\"";
  return arg.error().code == code;
}

// Matches a failed Result/Status with exactly this code and message.
MATCHER_P2(HasAwsErrorMessage, code, message,
           "fails with AWS error " + std::string(code) + " \"" + std::string(message) + "\"") {
  if (arg.ok()) {
    *result_listener << "succeeded";
    return false;
  }
  *result_listener << "failed with " << arg.error().code << ": \"" << arg.error().message
                   << "\"";
  return arg.error().code == code && arg.error().message == message;
}

}  // namespace gee::testing
