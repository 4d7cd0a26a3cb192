// The HTTP/1.1 server (Boost.Beast): a Listener that accepts connections and
// a Session per connection that reads one request at a time, hands it to the
// Application (server/exchange.h) and writes the response. Keep-alive,
// `Expect: 100-continue`, chunked request bodies and streamed responses are
// handled here; nothing here knows about AWS.
//
// Limits come from ServerOptions and are applied where the stream is read.
// Stop() shuts down gracefully: the listener closes, idle keep-alive
// connections are closed, in-flight requests finish and get their response.
//
// Thread-safety: Start/Stop/Wait from one controlling thread; the sessions run
// on the server's own I/O threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "core/result.h"
#include "server/exchange.h"

namespace gee::server {

struct ServerOptions {
  // Address to bind. Loopback unless the operator asks otherwise.
  std::string host = "127.0.0.1";
  // TCP port; 0 picks an ephemeral port (see HttpServer::port()).
  uint16_t port = 4566;
  // Number of I/O threads handling requests.
  int threads = 2;
  // Largest request head (request line + headers) accepted; larger → 431.
  uint32_t max_header_bytes = 16 * 1024;
  // Largest buffered request body (JSON, Query and S3 configuration bodies).
  uint64_t max_body_bytes = 16ull * 1024 * 1024;
  // Largest streamed request body (S3 object uploads and parts).
  uint64_t max_stream_body_bytes = 5ull * 1024 * 1024 * 1024;
  // Time allowed to receive a request head once a connection is idle.
  std::chrono::milliseconds idle_timeout{60000};
  // Time allowed for each read of a request body and for each write.
  std::chrono::milliseconds io_timeout{30000};
};

class HttpServer {
 public:
  // Binds the listening socket; fails with a clear error when the address is
  // in use or invalid. `app` must outlive the server.
  static Result<std::unique_ptr<HttpServer>> Create(const ServerOptions& options,
                                                   Application* app);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // The bound port (useful when options.port was 0).
  uint16_t port() const;
  // Starts the I/O threads and begins accepting. Returns immediately.
  void Start();
  // Graceful shutdown; blocks until every I/O thread has finished.
  void Stop();

 private:
  struct Impl;
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace gee::server
