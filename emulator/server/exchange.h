// The application side of one HTTP exchange.
//
// The server calls `Application::Begin` as soon as a request head has been
// read. The returned Exchange decides how the body is received:
//   - `EarlyResponse()` set: answer now without reading the body (e.g. an
//     authentication failure); the server closes the connection afterwards
//     when a body was announced, as AWS does.
//   - `StreamBody()` true: body bytes are handed to `OnBodyData` as they
//     arrive (S3 uploads), bounded by the streaming limit of the config;
//   - otherwise the body is buffered into `HttpRequest::body`, bounded by the
//     buffered-body limit.
// Then `Complete` produces the response. An Exchange is used by one thread.
#pragma once

#include <memory>
#include <optional>

#include "core/result.h"
#include "server/http_types.h"

namespace gee::server {

class Exchange {
 public:
  virtual ~Exchange() = default;
  virtual std::optional<HttpResponse> EarlyResponse() { return std::nullopt; }
  virtual bool StreamBody() const { return false; }
  // Streaming mode only. Returning an error stops delivering data; the body is
  // still drained (or the connection closed) and `Complete` is called with
  // `body_error` set to that error.
  virtual Status OnBodyData(std::string_view data) { return OkStatus(); }
  // The request, with `body` filled in buffered mode. `body_error` is set when
  // the body could not be received (too large, timed out, stream error).
  virtual HttpResponse Complete(HttpRequest& request, const AwsError* body_error) = 0;
};

class Application {
 public:
  virtual ~Application() = default;
  virtual std::unique_ptr<Exchange> Begin(HttpRequest& head) = 0;
  // A response for a request the server could not parse (bad HTTP, header too
  // large). `status` is 400 or 431.
  virtual HttpResponse Malformed(int status, std::string_view reason) = 0;
};

}  // namespace gee::server
