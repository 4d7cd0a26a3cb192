// Boost.Beast lives in this translation unit only (build time on 2 cores).
#include "server/http_server.h"

#include <atomic>
#include <limits>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

namespace gee::server {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

constexpr size_t kBodyChunk = 64 * 1024;

class Session;

// Shared state of the server that sessions need.
struct ServerState {
  ServerOptions options;
  Application* app = nullptr;
  std::atomic<bool> stopping{false};
  std::mutex mu;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, ServerState* state)
      : stream_(std::move(socket)), state_(state) {
    body_buf_.resize(kBodyChunk);
  }
  ~Session() {
    std::lock_guard<std::mutex> lock(state_->mu);
    state_->sessions.erase(this);
  }

  void Run() {
    {
      std::lock_guard<std::mutex> lock(state_->mu);
      state_->sessions.emplace(this, weak_from_this());
    }
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&Session::ReadHead, shared_from_this()));
  }

  // Called (on this session's strand) when the server stops.
  void Shutdown() {
    if (idle_) Close();
  }

  net::any_io_executor executor() { return stream_.get_executor(); }

 private:
  void ReadHead() {
    if (state_->stopping) return Close();
    idle_ = true;
    head_parser_.emplace();
    head_parser_->header_limit(state_->options.max_header_bytes);
    head_parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    stream_.expires_after(state_->options.idle_timeout);
    http::async_read_header(stream_, buffer_, *head_parser_,
                            beast::bind_front_handler(&Session::OnHead, shared_from_this()));
  }

  void OnHead(beast::error_code ec, size_t) {
    idle_ = false;
    if (ec == http::error::header_limit) {
      return WriteMalformed(431, "Request header fields too large");
    }
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == net::error::operation_aborted || ec == net::error::connection_reset ||
        ec == net::error::eof) {
      return Close();
    }
    if (ec) {
      if (buffer_.size() == 0 && !head_parser_->got_some()) return Close();
      return WriteMalformed(400, "Malformed HTTP request: " + ec.message());
    }

    const auto& msg = head_parser_->get();
    request_ = HttpRequest{};
    request_.method = std::string(msg.method_string());
    request_.target = std::string(msg.target());
    request_.headers.reserve(16);
    for (const auto& f : msg) {
      request_.headers.push_back({std::string(f.name_string()), std::string(f.value())});
    }
    if (auto len = head_parser_->content_length()) request_.content_length = *len;
    request_.chunked = head_parser_->chunked();
    keep_alive_ = msg.keep_alive();
    beast::error_code ep_ec;
    auto ep = stream_.socket().remote_endpoint(ep_ec);
    if (!ep_ec) request_.remote_ip = ep.address().to_string();

    body_error_.reset();
    exchange_ = state_->app->Begin(request_);
    bool has_body = request_.chunked || request_.content_length > 0;
    if (auto early = exchange_->EarlyResponse()) {
      if (has_body) early->close = true;
      return Write(std::move(*early));
    }
    streaming_ = exchange_->StreamBody();
    uint64_t limit = streaming_ ? state_->options.max_stream_body_bytes
                                : state_->options.max_body_bytes;
    if (request_.content_length > limit) {
      body_error_ = TooLarge(limit);
      close_after_ = true;
      return Finish();
    }
    if (!has_body) return Finish();

    body_parser_.emplace(std::move(*head_parser_));
    head_parser_.reset();
    body_parser_->body_limit(limit);
    if (!streaming_ && request_.content_length > 0) request_.body.reserve(request_.content_length);

    if (msg_expects_continue()) {
      auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
      stream_.expires_after(state_->options.io_timeout);
      http::async_write(stream_, *cont,
                        [self = shared_from_this(), cont](beast::error_code wec, size_t) {
                          if (wec) return self->Close();
                          self->ReadBody();
                        });
      return;
    }
    ReadBody();
  }

  bool msg_expects_continue() const {
    for (const auto& h : request_.headers) {
      if (beast::iequals(h.name, "expect") && beast::iequals(h.value, "100-continue")) return true;
    }
    return false;
  }

  static AwsError TooLarge(uint64_t limit) {
    AwsError e("EntityTooLarge",
               "Your proposed upload exceeds the maximum allowed size", 400);
    e.With("MaxSizeAllowed", std::to_string(limit));
    return e;
  }

  void ReadBody() {
    if (body_parser_->is_done()) return Finish();
    auto& body = body_parser_->get().body();
    body.data = body_buf_.data();
    body.size = body_buf_.size();
    body.more = true;
    stream_.expires_after(state_->options.io_timeout);
    http::async_read(stream_, buffer_, *body_parser_,
                     beast::bind_front_handler(&Session::OnBody, shared_from_this()));
  }

  void OnBody(beast::error_code ec, size_t) {
    if (ec == http::error::need_buffer) ec = {};
    size_t got = body_buf_.size() - body_parser_->get().body().size;
    if (got > 0 && !body_error_) {
      std::string_view chunk(body_buf_.data(), got);
      if (streaming_) {
        Status st = exchange_->OnBodyData(chunk);
        if (!st.ok()) body_error_ = st.error();
      } else {
        request_.body.append(chunk);
      }
    }
    if (ec == http::error::body_limit) {
      body_error_ = TooLarge(streaming_ ? state_->options.max_stream_body_bytes
                                        : state_->options.max_body_bytes);
      close_after_ = true;
      return Finish();
    }
    if (ec == beast::error::timeout) {
      body_error_ = AwsError("RequestTimeout",
                             "Your socket connection to the server was not read from or written "
                             "to within the timeout period. Idle connections will be closed.",
                             400);
      close_after_ = true;
      return Finish();
    }
    if (ec == http::error::end_of_stream || ec == net::error::eof ||
        ec == net::error::connection_reset || ec == net::error::operation_aborted) {
      return Close();
    }
    if (ec) {
      body_error_ = AwsError("IncompleteBody",
                             "You did not provide the number of bytes specified by the "
                             "Content-Length HTTP header",
                             400);
      close_after_ = true;
      return Finish();
    }
    if (body_parser_->is_done()) return Finish();
    ReadBody();
  }

  void Finish() {
    HttpResponse response =
        exchange_->Complete(request_, body_error_ ? &*body_error_ : nullptr);
    exchange_.reset();
    body_parser_.reset();
    request_.body.clear();
    request_.body.shrink_to_fit();
    Write(std::move(response));
  }

  void WriteMalformed(int status, const std::string& reason) {
    HttpResponse r = state_->app->Malformed(status, reason);
    r.close = true;
    Write(std::move(r));
  }

  bool KeepAlive(const HttpResponse& r) const {
    return keep_alive_ && !r.close && !close_after_ && !state_->stopping;
  }

  template <class Message>
  void FillHead(Message& msg, const HttpResponse& r) {
    msg.result(static_cast<http::status>(r.status));
    for (const auto& h : r.headers) msg.set(h.name, h.value);
    msg.keep_alive(KeepAlive(r));
  }

  void Write(HttpResponse response) {
    stream_.expires_after(state_->options.io_timeout);
    bool keep = KeepAlive(response);
    if (response.stream) return WriteStreamed(std::move(response));
    if (response.head_request) {
      auto msg = std::make_shared<http::response<http::empty_body>>();
      FillHead(*msg, response);
      msg->content_length(response.content_length.value_or(response.body.size()));
      auto sr = std::make_shared<http::response_serializer<http::empty_body>>(*msg);
      sr->split(true);
      http::async_write_header(
          stream_, *sr, [self = shared_from_this(), msg, sr, keep](beast::error_code ec, size_t) {
            self->OnWritten(ec, keep);
          });
      return;
    }
    auto msg = std::make_shared<http::response<http::string_body>>();
    FillHead(*msg, response);
    msg->body() = std::move(response.body);
    msg->prepare_payload();
    http::async_write(stream_, *msg,
                      [self = shared_from_this(), msg, keep](beast::error_code ec, size_t) {
                        self->OnWritten(ec, keep);
                      });
  }

  struct StreamState {
    http::response<http::buffer_body> msg;
    std::optional<http::response_serializer<http::buffer_body>> sr;
    std::unique_ptr<BodySource> source;
    std::vector<char> buf;
    bool keep = false;
  };

  void WriteStreamed(HttpResponse response) {
    auto st = std::make_shared<StreamState>();
    FillHead(st->msg, response);
    st->msg.content_length(response.content_length.value_or(0));
    st->source = std::move(response.stream);
    st->buf.resize(kBodyChunk);
    st->keep = KeepAlive(response);
    st->msg.body().data = nullptr;
    st->msg.body().more = true;
    st->sr.emplace(st->msg);
    http::async_write_header(stream_, *st->sr,
                             [self = shared_from_this(), st](beast::error_code ec, size_t) {
                               if (ec) return self->Close();
                               self->PumpStream(st);
                             });
  }

  void PumpStream(const std::shared_ptr<StreamState>& st) {
    auto n = st->source->Read(st->buf.data(), st->buf.size());
    if (!n.ok()) return Close();  // abort mid-body: the client sees a short read
    auto& body = st->msg.body();
    if (*n == 0) {
      body.data = nullptr;
      body.size = 0;
      body.more = false;
    } else {
      body.data = st->buf.data();
      body.size = *n;
      body.more = true;
    }
    stream_.expires_after(state_->options.io_timeout);
    http::async_write(stream_, *st->sr,
                      [self = shared_from_this(), st](beast::error_code ec, size_t) {
                        if (ec == http::error::need_buffer) ec = {};
                        if (ec) return self->Close();
                        if (st->sr->is_done()) return self->OnWritten(ec, st->keep);
                        self->PumpStream(st);
                      });
  }

  void OnWritten(beast::error_code ec, bool keep) {
    if (ec || !keep) return Close();
    close_after_ = false;
    ReadHead();
  }

  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.socket().close(ignored);
  }

  beast::tcp_stream stream_;
  ServerState* state_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::empty_body>> head_parser_;
  std::optional<http::request_parser<http::buffer_body>> body_parser_;
  std::vector<char> body_buf_;
  std::unique_ptr<Exchange> exchange_;
  HttpRequest request_;
  std::optional<AwsError> body_error_;
  bool streaming_ = false;
  bool keep_alive_ = true;
  bool close_after_ = false;
  bool idle_ = false;
};

}  // namespace

struct HttpServer::Impl {
  explicit Impl(int threads) : ioc(threads), acceptor(net::make_strand(ioc)) {}

  void Accept() {
    acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
      if (ec) {
        if (ec == net::error::operation_aborted || state.stopping) return;
      } else {
        beast::error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        std::make_shared<Session>(std::move(socket), &state)->Run();
      }
      if (!state.stopping) Accept();
    });
  }

  ServerState state;
  net::io_context ioc;
  tcp::acceptor acceptor;
  std::vector<std::thread> threads;
  uint16_t port = 0;
  bool started = false;
  bool stopped = false;
};

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() { Stop(); }

Result<std::unique_ptr<HttpServer>> HttpServer::Create(const ServerOptions& options,
                                                      Application* app) {
  auto impl = std::make_unique<Impl>(std::max(1, options.threads));
  impl->state.options = options;
  impl->state.app = app;
  beast::error_code ec;
  auto address = net::ip::make_address(options.host, ec);
  if (ec) {
    return AwsError("InvalidConfiguration", "invalid listen address '" + options.host + "'", 500);
  }
  tcp::endpoint endpoint(address, options.port);
  auto fail = [&](const char* what) {
    return AwsError("InvalidConfiguration",
                    std::string("cannot ") + what + " " + options.host + ":" +
                        std::to_string(options.port) + ": " + ec.message(),
                    500);
  };
  impl->acceptor.open(endpoint.protocol(), ec);
  if (ec) return fail("open");
  impl->acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (ec) return fail("configure");
  impl->acceptor.bind(endpoint, ec);
  if (ec) return fail("bind");
  impl->acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return fail("listen on");
  impl->port = impl->acceptor.local_endpoint().port();
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

uint16_t HttpServer::port() const { return impl_->port; }

void HttpServer::Start() {
  if (impl_->started) return;
  impl_->started = true;
  net::dispatch(impl_->acceptor.get_executor(), [impl = impl_.get()] { impl->Accept(); });
  int n = std::max(1, impl_->state.options.threads);
  for (int i = 0; i < n; ++i) {
    impl_->threads.emplace_back([impl = impl_.get()] { impl->ioc.run(); });
  }
}

void HttpServer::Stop() {
  if (!impl_ || impl_->stopped) return;
  impl_->stopped = true;
  impl_->state.stopping = true;
  net::post(impl_->acceptor.get_executor(), [impl = impl_.get()] {
    beast::error_code ignored;
    impl->acceptor.close(ignored);
  });
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard<std::mutex> lock(impl_->state.mu);
    for (auto& [raw, weak] : impl_->state.sessions) {
      if (auto s = weak.lock()) live.push_back(std::move(s));
    }
  }
  for (auto& s : live) {
    net::post(s->executor(), [s] { s->Shutdown(); });
  }
  live.clear();
  if (!impl_->started) {
    impl_->ioc.run();  // lets the posted closes run
  }
  for (auto& t : impl_->threads) t.join();
  impl_->threads.clear();
}

}  // namespace gee::server
