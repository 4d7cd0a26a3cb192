// The Beast HTTP server with a small Application: keep-alive, limits,
// Expect: 100-continue, chunked bodies, streamed bodies in both directions,
// malformed requests and graceful shutdown. Real sockets, no AWS.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "harness/client/http_client.h"
#include "server/http_server.h"

namespace gee::server {
namespace {

using ::testing::HasSubstr;

// Streams `size` bytes of 'x' as a response body, `chunk` at a time.
class RepeatSource final : public BodySource {
 public:
  explicit RepeatSource(size_t size) : left_(size) {}
  Result<size_t> Read(char* out, size_t capacity) override {
    size_t n = std::min(left_, capacity);
    std::fill(out, out + n, 'x');
    left_ -= n;
    return n;
  }

 private:
  size_t left_;
};

// Echo application: buffered requests answer "<method> <target> <body size>";
// POST /stream is received in streaming mode and answers its byte count;
// GET /big streams a 1 MiB body; GET /slow waits until the test releases it.
class EchoApp final : public Application {
 public:
  class Echo final : public Exchange {
   public:
    Echo(EchoApp* app, bool stream) : app_(app), stream_(stream) {}
    bool StreamBody() const override { return stream_; }
    Status OnBodyData(std::string_view data) override {
      streamed_ += data.size();
      return OkStatus();
    }
    HttpResponse Complete(HttpRequest& request, const AwsError* body_error) override {
      HttpResponse r;
      if (body_error != nullptr) {
        r.status = 400;
        r.body = body_error->code;
        return r;
      }
      if (request.target == "/slow") app_->WaitForRelease();
      if (request.target == "/nocontent") {
        r.status = 204;
        return r;
      }
      if (request.target == "/wrong-length") {
        r.headers.push_back({"Content-Length", "999"});
        r.headers.push_back({"X-Custom", "kept"});
        r.body = "four";
        return r;
      }
      if (request.target == "/big") {
        r.stream = std::make_unique<RepeatSource>(1 << 20);
        r.content_length = 1 << 20;
        return r;
      }
      size_t size = stream_ ? streamed_ : request.body.size();
      r.body = request.method + " " + request.target + " " + std::to_string(size);
      return r;
    }

   private:
    EchoApp* app_;
    bool stream_;
    size_t streamed_ = 0;
  };

  std::unique_ptr<Exchange> Begin(HttpRequest& head) override {
    if (head.target == "/slow") {
      std::lock_guard<std::mutex> lock(mu_);
      slow_started_ = true;
      cv_.notify_all();
    }
    return std::make_unique<Echo>(this, head.target == "/stream");
  }
  HttpResponse Malformed(int status, std::string_view reason) override {
    HttpResponse r;
    r.status = status;
    r.body = std::string(reason);
    return r;
  }

  void WaitForSlowStart() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return slow_started_; });
  }
  void Release() {
    std::lock_guard<std::mutex> lock(mu_);
    released_ = true;
    cv_.notify_all();
  }
  void WaitForRelease() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return released_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool slow_started_ = false;
  bool released_ = false;
};

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override { Start(ServerOptions{}); }

  // Replaces the running server with one configured by `options`.
  void Restart(ServerOptions options) {
    server_->Stop();
    server_.reset();
    Start(std::move(options));
  }

  void Start(ServerOptions options) {
    options.port = 0;
    options.max_body_bytes = 64 * 1024;
    options.max_header_bytes = 8 * 1024;
    auto server = HttpServer::Create(options, &app_);
    ASSERT_TRUE(server.ok()) << server.error().message;
    server_ = std::move(server).value();
    server_->Start();
    endpoint_ = "http://127.0.0.1:" + std::to_string(server_->port());
  }

  std::unique_ptr<harness::HttpClient> Client() {
    return std::move(harness::HttpClient::Create(endpoint_)).value();
  }

  // Sends raw bytes on a new connection and returns everything read until the
  // server closes the connection.
  std::string RawExchange(const std::string& bytes, bool half_close = true) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(server_->port());
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(::send(fd, bytes.data(), bytes.size(), 0), static_cast<ssize_t>(bytes.size()));
    if (half_close) ::shutdown(fd, SHUT_WR);
    std::string out;
    char buf[4096];
    ssize_t n;
    while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) out.append(buf, n);
    ::close(fd);
    return out;
  }

  EchoApp app_;
  std::unique_ptr<HttpServer> server_;
  std::string endpoint_;
};

TEST_F(HttpServerTest, BufferedBodyIsDeliveredWhole) {
  auto r = Client()->Send("POST", "/x", {}, std::string(1000, 'a'));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "POST /x 1000");
}

TEST_F(HttpServerTest, KeepAliveServesSequentialRequestsOnOneConnection) {
  auto client = Client();
  for (int i = 0; i < 50; ++i) {
    auto r = client->Send("GET", "/n" + std::to_string(i), {}, "");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->body, "GET /n" + std::to_string(i) + " 0");
  }
}

TEST_F(HttpServerTest, BodyOverTheLimitIsRefusedAndTheConnectionClosed) {
  auto r = Client()->Send("POST", "/x", {}, std::string(65 * 1024, 'a'));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(r->body, "EntityTooLarge");
  EXPECT_EQ(r->Header("Connection"), "close");
}

TEST_F(HttpServerTest, StreamedBodyMayExceedTheBufferedLimit) {
  auto r = Client()->Send("POST", "/stream", {}, std::string(300 * 1024, 'a'));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->body, "POST /stream 307200");
}

TEST_F(HttpServerTest, ChunkedRequestBodyIsDecoded) {
  std::string out = RawExchange(
      "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
      "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
  EXPECT_THAT(out, HasSubstr("200 OK"));
  EXPECT_THAT(out, HasSubstr("POST /c 11"));
}

TEST_F(HttpServerTest, ExpectContinueGetsAnInterimResponseBeforeTheBody) {
  std::string out = RawExchange(
      "PUT /e HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n"
      "Connection: close\r\n\r\nabc");
  EXPECT_EQ(out.rfind("HTTP/1.1 100 Continue", 0), 0u) << out;
  EXPECT_THAT(out, HasSubstr("PUT /e 3"));
}

TEST_F(HttpServerTest, StreamedResponseArrivesWhole) {
  auto r = Client()->Send("GET", "/big", {}, "");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->body.size(), 1u << 20);
  EXPECT_EQ(r->body.find_first_not_of('x'), std::string::npos);
}

TEST_F(HttpServerTest, GarbageRequestGets400AndClose) {
  std::string out = RawExchange("THIS IS NOT HTTP\r\n\r\n");
  EXPECT_EQ(out.rfind("HTTP/1.1 400", 0), 0u) << out;
}

TEST_F(HttpServerTest, OversizedHeadGets431) {
  std::string out = RawExchange("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(9000, 'a') +
                                "\r\n\r\n");
  EXPECT_EQ(out.rfind("HTTP/1.1 431", 0), 0u) << out.substr(0, 80);
}

TEST_F(HttpServerTest, StopLetsAnInFlightRequestFinish) {
  std::string body;
  std::thread slow([&] {
    auto r = Client()->Send("GET", "/slow", {}, "");
    if (r.ok()) body = r->body;
  });
  app_.WaitForSlowStart();
  std::thread stopper([&] { server_->Stop(); });
  app_.Release();
  slow.join();
  stopper.join();
  EXPECT_EQ(body, "GET /slow 0");
}

TEST_F(HttpServerTest, StopClosesIdleKeepAliveConnections) {
  auto client = Client();
  ASSERT_TRUE(client->Send("GET", "/a", {}, "").ok());
  server_->Stop();  // returns only once every session has ended
  auto again = client->Send("GET", "/b", {}, "");
  EXPECT_FALSE(again.ok());
}

TEST_F(HttpServerTest, BufferedResponseHeadHasReasonHeadersAndLength) {
  std::string out = RawExchange("GET /wrong-length HTTP/1.1\r\nHost: x\r\n\r\n");
  // The application's own Content-Length is replaced by the body's length.
  EXPECT_EQ(out, "HTTP/1.1 200 OK\r\nX-Custom: kept\r\nContent-Length: 4\r\n\r\nfour");
}

TEST_F(HttpServerTest, ClosingResponseSaysConnectionClose) {
  std::string out = RawExchange("GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(out, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 8\r\n\r\nGET /a 0");
}

TEST_F(HttpServerTest, NoContentResponseHasNoContentLengthAndKeepsTheConnection) {
  auto client = Client();
  auto r = client->Send("GET", "/nocontent", {}, "");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 204);
  EXPECT_EQ(r->Header("Content-Length"), "");
  auto again = client->Send("GET", "/b", {}, "");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->body, "GET /b 0");
}

TEST_F(HttpServerTest, IdleKeepAliveConnectionIsClosedAfterTheIdleTimeout) {
  ServerOptions options;
  options.idle_timeout = std::chrono::milliseconds(40);
  Restart(options);
  // Nothing is sent: the server closes the connection once it has been idle
  // for the timeout, without a response.
  EXPECT_EQ(RawExchange("", /*half_close=*/false), "");
}

TEST_F(HttpServerTest, StalledBodyGetsRequestTimeoutAfterTheIoTimeout) {
  ServerOptions options;
  options.io_timeout = std::chrono::milliseconds(40);
  Restart(options);
  // Announces 10 bytes and sends 3: the body read times out.
  std::string out = RawExchange("PUT /t HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc",
                                /*half_close=*/false);
  EXPECT_EQ(out.rfind("HTTP/1.1 400", 0), 0u) << out;
  EXPECT_THAT(out, HasSubstr("RequestTimeout"));
  EXPECT_THAT(out, HasSubstr("Connection: close"));
}

TEST_F(HttpServerTest, ConnectionsSpreadOverWorkersAllKeepWorking) {
  ServerOptions options;
  options.threads = 3;
  Restart(options);
  std::vector<std::unique_ptr<harness::HttpClient>> clients;
  for (int i = 0; i < 6; ++i) clients.push_back(Client());
  for (int round = 0; round < 3; ++round) {
    for (size_t i = 0; i < clients.size(); ++i) {
      auto r = clients[i]->Send("GET", "/c" + std::to_string(i), {}, "");
      ASSERT_TRUE(r.ok());
      EXPECT_EQ(r->body, "GET /c" + std::to_string(i) + " 0");
    }
  }
}

}  // namespace
}  // namespace gee::server
