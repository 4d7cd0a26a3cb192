// A minimal synchronous HTTP/1.1 client (Boost.Beast) with one keep-alive
// connection, used by the integration tests, the scenario runner and the
// benchmarks to talk real HTTP to an endpoint.
//
// Thread-safety: one HttpClient per thread.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace gee::harness {

using Header = std::pair<std::string, std::string>;

struct HttpResult {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // First header named `name` (case-insensitive), or "".
  std::string_view Header(std::string_view name) const;
};

class HttpClient {
 public:
  // `endpoint` is "http://host:port" (https is not supported: gee serves HTTP).
  static Result<std::unique_ptr<HttpClient>> Create(std::string_view endpoint,
                                                   std::chrono::milliseconds timeout =
                                                       std::chrono::milliseconds(30000));
  ~HttpClient();

  // Sends one request; reconnects once if the kept-alive connection was closed.
  // `head` sends a HEAD request whose response has no body.
  Result<HttpResult> Send(std::string_view method, std::string_view target,
                          const std::vector<Header>& headers, std::string_view body);

  const std::string& host() const { return host_; }
  const std::string& port() const { return port_; }
  // "host:port" as sent in the Host header.
  std::string host_header() const { return host_ + ":" + port_; }

 private:
  struct Impl;
  HttpClient(std::string host, std::string port, std::chrono::milliseconds timeout);
  std::unique_ptr<Impl> impl_;
  std::string host_;
  std::string port_;
};

}  // namespace gee::harness
