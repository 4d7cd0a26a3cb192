// `application/x-www-form-urlencoded` bodies and URL query strings, as the
// Query protocol (IAM, STS) sends them: `Action=AssumeRole&Version=2011-06-15&RoleArn=...`.
//
// Parsing rules:
//   - pairs are separated by '&'; empty segments ("a=1&&b=2", a trailing '&')
//     are skipped;
//   - a segment without '=' is a name with an empty value;
//   - '+' decodes to a space, `%XX` (either hex case) to the byte 0xXX; the
//     decoded bytes are kept as they are (no UTF-8 check: values are validated
//     later against the model);
//   - a '%' not followed by two hex digits is an error: AWS's documented
//     common error `MalformedQueryString` "The query string contains a syntax
//     error." (HTTP 404, as the AWS Common Errors page lists it);
//   - duplicate names are all kept in arrival order; Query services use the
//     FIRST occurrence (recorded from STS: `Action=GetCallerIdentity&Action=X`
//     runs GetCallerIdentity).
//
// Thread-safety: a FormParams is a plain value.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace gee::protocol {

class FormParams {
 public:
  using Pair = std::pair<std::string, std::string>;

  FormParams() = default;
  explicit FormParams(std::vector<Pair> pairs) : pairs_(std::move(pairs)) {}

  // Parses a form body or a query string (without the leading '?').
  static Result<FormParams> Parse(std::string_view encoded);

  // The first value of `name`, or nullopt when absent.
  std::optional<std::string_view> First(std::string_view name) const;
  // Every value of `name`, in arrival order.
  std::vector<std::string_view> All(std::string_view name) const;
  bool Has(std::string_view name) const { return First(name).has_value(); }

  const std::vector<Pair>& pairs() const { return pairs_; }
  size_t size() const { return pairs_.size(); }

 private:
  std::vector<Pair> pairs_;
};

// Percent-decodes one component ('+' → space). Fails on a bad escape.
Result<std::string> FormDecodeComponent(std::string_view component);

// Encodes pairs as a form body: RFC 3986 unreserved characters
// (A-Z a-z 0-9 - . _ ~) stay, everything else is %XX (upper-case hex), the
// way the AWS SDKs encode Query requests.
std::string FormEncode(const std::vector<FormParams::Pair>& pairs);

}  // namespace gee::protocol
