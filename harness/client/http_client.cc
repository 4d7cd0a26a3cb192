#include "harness/client/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <strings.h>

namespace gee::harness {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

std::string_view HttpResult::Header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (n.size() == name.size() && strncasecmp(n.data(), name.data(), n.size()) == 0) return v;
  }
  return {};
}

struct HttpClient::Impl {
  net::io_context ioc;
  std::unique_ptr<beast::tcp_stream> stream;
  beast::flat_buffer buffer;
  std::chrono::milliseconds timeout{30000};
};

HttpClient::HttpClient(std::string host, std::string port, std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>()), host_(std::move(host)), port_(std::move(port)) {
  impl_->timeout = timeout;
}

HttpClient::~HttpClient() {
  if (impl_ && impl_->stream) {
    beast::error_code ignored;
    impl_->stream->socket().shutdown(tcp::socket::shutdown_both, ignored);
  }
}

Result<std::unique_ptr<HttpClient>> HttpClient::Create(std::string_view endpoint,
                                                      std::chrono::milliseconds timeout) {
  std::string_view rest = endpoint;
  if (rest.substr(0, 7) == "http://") {
    rest.remove_prefix(7);
  } else if (rest.find("://") != std::string_view::npos) {
    return AwsError("InvalidEndpoint", "only http:// endpoints are supported: " +
                                           std::string(endpoint), 400);
  }
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  auto colon = rest.rfind(':');
  std::string host(colon == std::string_view::npos ? rest : rest.substr(0, colon));
  std::string port(colon == std::string_view::npos ? "80" : rest.substr(colon + 1));
  if (host.empty()) return AwsError("InvalidEndpoint", "no host in " + std::string(endpoint), 400);
  return std::unique_ptr<HttpClient>(new HttpClient(host, port, timeout));
}

Result<HttpResult> HttpClient::Send(std::string_view method, std::string_view target,
                                    const std::vector<harness::Header>& headers,
                                    std::string_view body) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    beast::error_code ec;
    if (!impl_->stream) {
      tcp::resolver resolver(impl_->ioc);
      auto results = resolver.resolve(host_, port_, ec);
      if (ec) return AwsError("ConnectionError", "cannot resolve " + host_ + ": " + ec.message(), 0);
      impl_->stream = std::make_unique<beast::tcp_stream>(impl_->ioc);
      impl_->stream->expires_after(impl_->timeout);
      impl_->stream->connect(results, ec);
      if (ec) {
        impl_->stream.reset();
        return AwsError("ConnectionError",
                        "cannot connect to " + host_ + ":" + port_ + ": " + ec.message(), 0);
      }
      impl_->buffer.clear();
    }
    http::request<http::string_body> req;
    req.method_string(method);
    req.target(target);
    req.version(11);
    bool has_host = false;
    for (const auto& [n, v] : headers) {
      if (strcasecmp(n.c_str(), "host") == 0) has_host = true;
      req.insert(n, v);
    }
    if (!has_host) req.set(http::field::host, host_header());
    req.body() = std::string(body);
    req.prepare_payload();
    if (body.empty() && method != "POST" && method != "PUT") req.content_length(boost::none);

    http::write(*impl_->stream, req, ec);
    if (ec) {
      impl_->stream.reset();
      if (attempt == 0) continue;
      return AwsError("ConnectionError", "write failed: " + ec.message(), 0);
    }
    http::response_parser<http::string_body> parser;
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    parser.skip(method == "HEAD");
    http::read(*impl_->stream, impl_->buffer, parser, ec);
    if (ec) {
      impl_->stream.reset();
      if (attempt == 0 && (ec == http::error::end_of_stream || ec == net::error::connection_reset)) {
        continue;
      }
      return AwsError("ConnectionError", "read failed: " + ec.message(), 0);
    }
    auto res = parser.release();
    HttpResult out;
    out.status = static_cast<int>(res.result_int());
    for (const auto& f : res) out.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    out.body = std::move(res.body());
    if (!res.keep_alive()) impl_->stream.reset();
    return out;
  }
  return AwsError("ConnectionError", "connection closed", 0);
}

}  // namespace gee::harness
