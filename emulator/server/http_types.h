// Plain HTTP request/response values exchanged between the Beast server and
// the application (the AWS dispatcher). Nothing here knows about AWS.
//
// Bodies are either buffered (`HttpRequest::body`, `HttpResponse::body`) or
// streamed: an application that wants a large request body piece by piece
// says so in its Exchange (see server/exchange.h); a response with a
// `BodySource` is written chunk by chunk without holding it whole in memory.
//
// Thread-safety: plain values; one request is handled by one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace gee::server {

struct HttpHeader {
  std::string name;
  std::string value;
};

// Case-insensitive header lookup helpers shared by requests and responses.
std::string_view FindHeader(const std::vector<HttpHeader>& headers, std::string_view name);
bool HasHeader(const std::vector<HttpHeader>& headers, std::string_view name);

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // raw request-target: path plus optional "?query"
  std::vector<HttpHeader> headers;  // in arrival order, names as sent
  std::string body;                 // buffered body (empty when streamed)
  std::string remote_ip;
  uint64_t content_length = 0;  // declared length (0 when chunked/absent)
  bool chunked = false;         // Transfer-Encoding: chunked

  std::string_view Header(std::string_view name) const { return FindHeader(headers, name); }
  bool Has(std::string_view name) const { return HasHeader(headers, name); }
  // Path part of the target (before '?'), still percent-encoded.
  std::string_view Path() const;
  // Query part of the target (after '?'), still percent-encoded; empty if none.
  std::string_view Query() const;
};

// Produces a response body incrementally (S3 GetObject of a large object).
class BodySource {
 public:
  virtual ~BodySource() = default;
  // Copies up to `capacity` bytes into `out`; returns 0 at the end of the body.
  // An error aborts the response (the connection is closed mid-body, as AWS does).
  virtual Result<size_t> Read(char* out, size_t capacity) = 0;
};

struct HttpResponse {
  int status = 200;
  std::vector<HttpHeader> headers;
  std::string body;
  // When set, the body comes from here and `content_length` must be set.
  std::unique_ptr<BodySource> stream;
  std::optional<uint64_t> content_length;
  // HEAD responses keep Content-Length but send no body.
  bool head_request = false;
  // Close the connection after this response.
  bool close = false;

  void SetHeader(std::string name, std::string value);
  std::string_view Header(std::string_view name) const { return FindHeader(headers, name); }
};

}  // namespace gee::server
