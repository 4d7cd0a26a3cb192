// Boost.Beast lives in this translation unit only (build time on 2 cores).
#include "server/http_server.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <limits>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
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
using Clock = std::chrono::steady_clock;
// A socket bound to one worker's io_context (no type-erased executor).
using Socket = net::basic_stream_socket<tcp, net::io_context::executor_type>;

constexpr size_t kBodyChunk = 64 * 1024;

class Session;

// One I/O thread and the io_context only it runs. A connection lives on one
// worker for its whole life, so its handlers never run concurrently and need
// no strand.
struct Worker {
  Worker() : ioc(1), watchdog(ioc) {}
  net::io_context ioc;
  // Fires every ServerState::tick and times out sessions past their deadline
  // (one timer per thread instead of arming a timer for every read and write).
  net::steady_timer watchdog;
};

// Shared state of the server that sessions need.
struct ServerState {
  ServerOptions options;
  Application* app = nullptr;
  std::atomic<bool> stopping{false};
  Clock::duration tick{};
  std::mutex mu;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Socket&& socket, ServerState* state, Worker* worker)
      : stream_(std::move(socket)), state_(state), worker_(worker) {
    body_buf_.resize(kBodyChunk);
    beast::error_code ep_ec;
    auto ep = stream_.remote_endpoint(ep_ec);
    if (!ep_ec) remote_ip_ = ep.address().to_string();
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

  // Called (on this session's worker) when the server stops.
  void Shutdown() {
    if (idle_) Close();
  }

  // Called on this session's worker by its watchdog: ends the pending read or
  // write when its deadline has passed; the handler then sees a timeout.
  void CheckDeadline(Clock::time_point now) {
    if (now < deadline_) return;
    deadline_ = Clock::time_point::max();
    timed_out_ = true;
    beast::error_code ignored;
    stream_.cancel(ignored);
  }

  net::io_context::executor_type executor() { return stream_.get_executor(); }
  Worker* worker() const { return worker_; }

 private:
  // The pending operation must finish within `timeout` (checked by the
  // worker's watchdog, so it may run up to one tick longer).
  void Arm(std::chrono::milliseconds timeout) {
    timed_out_ = false;
    deadline_ = Clock::now() + timeout;
  }
  // Called first by every completion handler: maps a cancellation made by
  // the watchdog to beast::error::timeout.
  void Disarm(beast::error_code& ec) {
    deadline_ = Clock::time_point::max();
    if (timed_out_ && ec == net::error::operation_aborted) ec = beast::error::timeout;
    timed_out_ = false;
  }

  void ReadHead() {
    if (state_->stopping) return Close();
    idle_ = true;
    head_parser_.emplace();
    head_parser_->header_limit(state_->options.max_header_bytes);
    head_parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    Arm(state_->options.idle_timeout);
    http::async_read_header(stream_, buffer_, *head_parser_,
                            beast::bind_front_handler(&Session::OnHead, shared_from_this()));
  }

  void OnHead(beast::error_code ec, size_t) {
    Disarm(ec);
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
    request_.remote_ip = remote_ip_;

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
      Arm(state_->options.io_timeout);
      http::async_write(stream_, *cont,
                        [self = shared_from_this(), cont](beast::error_code wec, size_t) {
                          self->Disarm(wec);
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
    Arm(state_->options.io_timeout);
    http::async_read(stream_, buffer_, *body_parser_,
                     beast::bind_front_handler(&Session::OnBody, shared_from_this()));
  }

  void OnBody(beast::error_code ec, size_t) {
    Disarm(ec);
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
    Arm(state_->options.io_timeout);
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
            self->Disarm(ec);
            self->OnWritten(ec, keep);
          });
      return;
    }
    WriteBuffered(std::move(response), keep);
  }

  // A buffered response: the head is formatted here and written with the
  // body in one gather write (no Beast message, fields or serializer). The
  // head matches what Beast would print for the same message: status line
  // with the standard reason, the application's headers, `Connection: close`
  // when the connection ends, and Content-Length except on 1xx/204/304.
  void WriteBuffered(HttpResponse response, bool keep) {
    auto out = std::make_shared<BufferedReply>();
    std::string& head = out->head;
    head.reserve(160);
    head += "HTTP/1.1 ";
    head += std::to_string(response.status);
    head.push_back(' ');
    head += http::obsolete_reason(static_cast<http::status>(response.status));
    head += "\r\n";
    for (const auto& h : response.headers) {
      if (beast::iequals(h.name, "content-length") || beast::iequals(h.name, "connection")) continue;
      head += h.name;
      head += ": ";
      head += h.value;
      head += "\r\n";
    }
    if (!keep) head += "Connection: close\r\n";
    const bool bodiless = response.status / 100 == 1 || response.status == 204 || response.status == 304;
    if (!bodiless) {
      head += "Content-Length: ";
      head += std::to_string(response.body.size());
      head += "\r\n";
    } else {
      response.body.clear();
    }
    head += "\r\n";
    out->body = std::move(response.body);
    const std::array<net::const_buffer, 2> buffers{net::buffer(out->head), net::buffer(out->body)};
    net::async_write(stream_, buffers,
                     [self = shared_from_this(), out, keep](beast::error_code ec, size_t) {
                       self->Disarm(ec);
                       self->OnWritten(ec, keep);
                     });
  }

  struct BufferedReply {
    std::string head;
    std::string body;
  };

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
                               self->Disarm(ec);
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
    Arm(state_->options.io_timeout);
    http::async_write(stream_, *st->sr,
                      [self = shared_from_this(), st](beast::error_code ec, size_t) {
                        self->Disarm(ec);
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
    stream_.shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close(ignored);
  }

  Socket stream_;
  ServerState* state_;
  Worker* worker_;
  std::string remote_ip_;
  Clock::time_point deadline_ = Clock::time_point::max();
  bool timed_out_ = false;
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
  explicit Impl(int threads) : workers(static_cast<size_t>(threads)), acceptor(workers[0].ioc) {}

  // Accepts on worker 0 and hands each connection to the next worker in turn.
  void Accept() {
    Worker& target = workers[next_worker++ % workers.size()];
    acceptor.async_accept(target.ioc, [this, &target](beast::error_code ec, Socket socket) {
      if (ec) {
        if (ec == net::error::operation_aborted || state.stopping) return;
      } else {
        beast::error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        std::make_shared<Session>(std::move(socket), &state, &target)->Run();
      }
      if (!state.stopping) Accept();
    });
  }

  // Runs on `worker`'s thread every tick until the server stops.
  void Watch(Worker& worker) {
    worker.watchdog.expires_after(state.tick);
    worker.watchdog.async_wait([this, &worker](beast::error_code ec) {
      if (ec || state.stopping) return;
      std::vector<std::shared_ptr<Session>> mine;
      {
        std::lock_guard<std::mutex> lock(state.mu);
        for (auto& [raw, weak] : state.sessions) {
          if (raw->worker() != &worker) continue;
          if (auto s = weak.lock()) mine.push_back(std::move(s));
        }
      }
      const auto now = Clock::now();
      for (auto& s : mine) s->CheckDeadline(now);
      mine.clear();  // outside the lock: a session's destructor takes it
      Watch(worker);
    });
  }

  ServerState state;
  std::vector<Worker> workers;
  net::basic_socket_acceptor<tcp, net::io_context::executor_type> acceptor;
  std::vector<std::thread> threads;
  size_t next_worker = 0;
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
  // Deadlines are checked a few times per shortest timeout, at most once a
  // second and at least every millisecond.
  impl->state.tick = std::clamp<Clock::duration>(
      std::min(options.idle_timeout, options.io_timeout) / 4, std::chrono::milliseconds(1),
      std::chrono::seconds(1));
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
  for (Worker& worker : impl_->workers) {
    net::dispatch(worker.ioc, [impl = impl_.get(), &worker] { impl->Watch(worker); });
    impl_->threads.emplace_back([&worker] { worker.ioc.run(); });
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
  for (Worker& worker : impl_->workers) {
    net::post(worker.ioc, [&worker] { worker.watchdog.cancel(); });
  }
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
    for (Worker& worker : impl_->workers) worker.ioc.run();  // lets the posted closes run
  }
  for (auto& t : impl_->threads) t.join();
  impl_->threads.clear();
}

}  // namespace gee::server
