// Error values for every layer of gee.
//
// An `AwsError` is the one error carrier: it holds the AWS error code (the
// `__type` of JSON protocols, the `<Code>` of Query and S3), the message, the
// HTTP status and, for S3, the extra elements of its `<Error>` document. A
// `Result<T>` holds either a value or an `AwsError`; `Status` is `Result<void>`.
// Nothing that can fail throws across a layer: it returns one of these.
//
// Thread-safety: plain values; safe to copy between threads.
#pragma once

#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace gee {

struct AwsError {
  // AWS error code, e.g. "NotFoundException", "NoSuchEntity", "NoSuchKey".
  std::string code;
  // Human text. Empty means "omit the message member" (some AWS errors have none).
  std::string message;
  // HTTP status of the response carrying this error.
  int http_status = 400;
  // Query protocol <Type>: true = Sender (client fault), false = Receiver.
  bool sender_fault = true;
  // S3 only: extra child elements of <Error> in order (e.g. BucketName, Key).
  std::vector<std::pair<std::string, std::string>> extra;

  AwsError() = default;
  AwsError(std::string c, std::string m, int status = 400)
      : code(std::move(c)), message(std::move(m)), http_status(status),
        sender_fault(status < 500) {}

  AwsError& With(std::string name, std::string value) {
    extra.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(AwsError error) : v_(std::move(error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  const T& value() const& { return std::get<0>(v_); }
  T& value() & { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &std::get<0>(v_); }
  T* operator->() { return &std::get<0>(v_); }

  const AwsError& error() const& { return std::get<1>(v_); }
  AwsError&& error() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, AwsError> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(AwsError error) : error_(std::move(error)), ok_(false) {}  // NOLINT

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const AwsError& error() const& { return error_; }
  AwsError&& error() && { return std::move(error_); }

 private:
  AwsError error_;
  bool ok_ = true;
};

using Status = Result<void>;

inline Status OkStatus() { return Status(); }

}  // namespace gee

// Early-return helpers (the only macros in the project): propagate an error
// from a Status/Result expression to the caller.
#define GEE_CONCAT_INNER_(a, b) a##b
#define GEE_CONCAT_(a, b) GEE_CONCAT_INNER_(a, b)

#define GEE_RETURN_IF_ERROR(expr)                         \
  do {                                                    \
    auto gee_status_ = (expr);                            \
    if (!gee_status_.ok()) return std::move(gee_status_).error(); \
  } while (false)

#define GEE_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                               \
  if (!tmp.ok()) return std::move(tmp).error();    \
  lhs = std::move(tmp).value()

#define GEE_ASSIGN_OR_RETURN(lhs, expr) \
  GEE_ASSIGN_OR_RETURN_IMPL_(GEE_CONCAT_(gee_result_, __LINE__), lhs, expr)
