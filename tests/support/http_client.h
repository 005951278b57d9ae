// A minimal synchronous HTTP/1.1 client for integration tests (Boost.Beast), keep-alive.
#pragma once

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace cordon::testing {

struct Reply {
  int status = 0;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string header(const std::string& name) const {
    for (const auto& [k, v] : headers) {
      if (boost::beast::iequals(k, name)) return v;
    }
    return {};
  }
};

class HttpClient {
 public:
  explicit HttpClient(uint16_t port)
      : port_(port),
        io_(std::make_unique<boost::asio::io_context>()),
        stream_(std::make_unique<boost::beast::tcp_stream>(*io_)) {
    connect();
  }

  Reply request(boost::beast::http::verb verb, const std::string& target, const std::string& body = {},
                const std::string& content_type = "application/json") {
    namespace http = boost::beast::http;
    if (!connected_) connect();
    http::request<http::string_body> req{verb, target, 11};
    req.set(http::field::host, "127.0.0.1");
    if (!bearer_.empty()) req.set(http::field::authorization, "Bearer " + bearer_);
    for (const auto& [name, value] : extra_headers_) req.set(name, value);
    if (!body.empty() || verb == http::verb::post) {
      req.set(http::field::content_type, content_type);
      req.body() = body;
      req.prepare_payload();
    }
    http::write(*stream_, req);
    boost::beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(1ull << 30);
    http::read(*stream_, buffer, parser);
    auto res = parser.release();
    Reply reply{static_cast<int>(res.result_int()), std::move(res.body()), {}};
    for (const auto& field : res) reply.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    if (!res.keep_alive()) {
      // Reconnect lazily: the server may be shutting down, and this reply is still good.
      stream_->close();
      connected_ = false;
    }
    return reply;
  }
  void set_bearer(std::string token) { bearer_ = std::move(token); }
  // Sent with every request from now on (a cookie, a CSRF token).
  void set_header(std::string name, std::string value) { extra_headers_.emplace_back(std::move(name), std::move(value)); }

  Reply get(const std::string& target) { return request(boost::beast::http::verb::get, target); }
  Reply post(const std::string& target, const std::string& body, const std::string& type = "application/json") {
    return request(boost::beast::http::verb::post, target, body, type);
  }

 private:
  void connect() {
    if (!stream_->socket().is_open() && connected_) stream_ = std::make_unique<boost::beast::tcp_stream>(*io_);
    boost::asio::ip::tcp::resolver resolver(*io_);
    stream_->connect(resolver.resolve("127.0.0.1", std::to_string(port_)));
    connected_ = true;
  }
  bool connected_ = false;
  std::string bearer_;
  std::vector<std::pair<std::string, std::string>> extra_headers_;
  uint16_t port_;
  std::unique_ptr<boost::asio::io_context> io_;  // held by pointer so that a client can be moved
  std::unique_ptr<boost::beast::tcp_stream> stream_;
};

}  // namespace cordon::testing
