// HttpServer on Boost.Beast. See http_server.h for the threading model; the notes here explain the
// choices a reader might otherwise "simplify" away.
//
// Lifetime of a connection (all on the connection's strand except the handler):
//   read_next → async_read_header → [100 Continue] → async_read (body) → route
//     → no route: answer 404/405 here           → route: post handler to the worker pool
//     → worker: run handler, post response back to the strand
//   → async_write → metrics + access log → read_next (keep-alive) or close.
//
// Graceful stop: `stopping` is set first, then the acceptor is closed and every registered
// session is told (on its strand) to close if it is waiting for a request. A session that is
// handling or writing sees `stopping` when its write completes and closes instead of reading on.
// Each handler posted to the pool holds a work guard on the io_context, so io_context::run()
// returns exactly when the last response has been written and the last socket closed.
#include <spdlog/spdlog.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <deque>
#include <csignal>
#include <mutex>
#include <nlohmann/json.hpp>
#include <system_error>
#include <thread>
#include <unordered_map>

#include "server/http_server.h"

namespace cordon::server {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

// ---------------------------------------------------------------------------------------------
// Request and response helpers

std::optional<std::string_view> HttpRequest::header(std::string_view lower_case_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_case_name) return std::string_view(value);
  }
  return std::nullopt;
}

std::optional<std::string_view> HttpRequest::query_param(std::string_view name) const {
  auto it = query.find(std::string(name));
  if (it == query.end()) return std::nullopt;
  return std::string_view(it->second);
}

HttpResponse HttpResponse::json(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

HttpResponse HttpResponse::text(int status, std::string body, std::string content_type) {
  HttpResponse r;
  r.status = status;
  r.content_type = std::move(content_type);
  r.body = std::move(body);
  return r;
}

HttpResponse HttpResponse::error(int status, std::string_view code, std::string_view message) {
  // dump() with the replace handler: a message quoting invalid UTF-8 from the client must still
  // yield a response, not an exception.
  nlohmann::json j = {{"error", code}, {"message", message}};
  return json(status, j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// application/x-www-form-urlencoded decoding: '+' is a space, %XX a byte. A malformed escape is
// kept literally so the handler can quote it back in its error message.
std::string decode_query_component(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%' && i + 2 < in.size() && hex_value(in[i + 1]) >= 0 && hex_value(in[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(in[i + 1]) * 16 + hex_value(in[i + 2])));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

void parse_query(std::string_view query, std::multimap<std::string, std::string>& out) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos) {
      out.emplace(decode_query_component(pair), std::string());
    } else {
      out.emplace(decode_query_component(pair.substr(0, eq)), decode_query_component(pair.substr(eq + 1)));
    }
  }
}

// Boost 1.74's beast::string_view is boost::string_view, not std::string_view.
std::string_view to_std(beast::string_view s) { return {s.data(), s.size()}; }

std::string to_lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool is_http_parse_error(const beast::error_code& ec) {
  return ec.category() == http::make_error_code(http::error::bad_target).category();
}

// Route label for requests that never reached a handler (404, 405, 400, 413, 431). One label
// keeps the metric's cardinality bounded whatever paths scanners throw at the server.
constexpr std::string_view kNoRoute = "none";

// Bounds how long a connection is drained after an error response, see Session::linger_then_close.
constexpr auto kLingerTime = std::chrono::seconds(1);

// Beast's default is 8 KiB; bearer tokens and cookies from a browser console can exceed that.
constexpr std::uint32_t kHeaderLimitBytes = 32 * 1024;
constexpr std::size_t kReadChunkBytes = 64 * 1024;  // see Session::read_body

class Session;

// What sessions share with the server. Member order matters for destruction: sessions may be
// destroyed while the io_context is destroyed, and they unregister themselves and touch metrics,
// so those outlive `ioc`; everything bound to `ioc` is declared after it.
struct ServerState {
  ServerState(HttpServerOptions opts, std::shared_ptr<const Router> r, std::shared_ptr<Metrics> m)
      : options(std::move(opts)),
        router(std::move(r)),
        metrics(std::move(m)),
        ioc(std::max(1, options.io_threads)),
        control(net::make_strand(ioc)),
        acceptor(control),
        accept_retry(control),
        workers(static_cast<std::size_t>(std::max(1, options.worker_threads))) {}

  void start_accepting();
  void do_accept();
  void on_accept(beast::error_code ec, tcp::socket socket);
  void stop();
  void unregister(Session* session) {
    std::lock_guard lock(sessions_mutex);
    sessions.erase(session);
  }

  const HttpServerOptions options;
  const std::shared_ptr<const Router> router;
  const std::shared_ptr<Metrics> metrics;  // may be null: no metrics
  std::atomic<bool> stopping{false};
  std::atomic<bool> ran{false};
  uint16_t bound_port = 0;

  std::mutex sessions_mutex;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;
  // Accepted WebSockets, closed by stop(): their pending reads would keep run() from returning.
  std::unordered_map<const void*, std::function<void()>> websocket_closers;

  net::io_context ioc;
  // Acceptor, retry timer and signal set are not thread-safe; they live on this strand.
  net::strand<net::io_context::executor_type> control;
  tcp::acceptor acceptor;
  net::steady_timer accept_retry;
  std::optional<net::signal_set> signals;
  // Declared last so it is joined first: queued handlers hold sessions and work on `ioc`.
  net::thread_pool workers;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(ServerState& server, tcp::socket&& socket) : server_(server), stream_(std::move(socket)) {
    beast::error_code ec;
    const auto endpoint = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = endpoint.address().to_string();
    // Responses are written in one gather-write; Nagle would only delay the next one on a
    // keep-alive connection by up to the peer's delayed-ACK time.
    stream_.socket().set_option(tcp::no_delay(true), ec);
    executor_ = stream_.get_executor();
  }

  ~Session() {
    if (counted_in_flight_ && server_.metrics) server_.metrics->add_in_flight(-1);
    server_.unregister(this);
  }

  void start() { net::dispatch(stream_.get_executor(), beast::bind_front_handler(&Session::read_next, shared_from_this())); }

  // Called on the strand by ServerState::stop(): a connection idle between requests (or still
  // receiving one) is closed; one whose request is being handled or answered is left alone.
  void close_if_reading() {
    if (state_ == State::reading) close_now();
  }

  // Cached: after a WebSocket upgrade the stream has moved out, and stop() may still post here.
  net::any_io_executor executor() { return executor_; }

 private:
  enum class State { reading, handling, writing, closing };
  std::unique_ptr<http::request<http::string_body>> upgrade_request_;  // set for a WebSocket upgrade
  net::any_io_executor executor_;

  struct Exchange {
    std::string method, target, route;
    std::size_t bytes_in = 0;
    Clock::time_point start;
    unsigned version = 11;
  };

  void read_next() {
    if (server_.stopping.load()) {
      close_gracefully();
      return;
    }
    state_ = State::reading;
    exchange_ = Exchange{};
    parser_.emplace();
    parser_->body_limit(server_.options.body_limit_bytes);
    parser_->header_limit(kHeaderLimitBytes);
    stream_.expires_after(server_.options.idle_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::on_header, shared_from_this()));
  }

  void on_header(beast::error_code ec, std::size_t bytes) {
    if (ec) return on_read_error(ec);
    exchange_.start = Clock::now();
    exchange_.bytes_in = bytes;
    if (parser_->is_done()) return on_request_read();
    // curl and other clients wait (curl: one second) for "100 Continue" before sending a large
    // body; answering it keeps NDJSON batch uploads from stalling. An oversized Content-Length
    // has already failed the header read with body_limit, so 413 goes out instead.
    const auto expect = parser_->get()[http::field::expect];
    if (beast::iequals(expect, "100-continue")) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                       [self = shared_from_this()](beast::error_code ec, std::size_t) {
                         if (ec) return self->close_now();
                         self->read_body();
                       });
      return;
    }
    read_body();
  }

  void read_body() {
    // A batch body is megabytes. Beast reads as much as the buffer has room for (512 bytes at
    // least), so a buffer left at its first small size read a 1.3 MB batch in ~1,000
    // recvmsg calls, each re-arming the idle timer (~6 % of the server's time under batch
    // intake); with 64 KiB of room it takes ~20. The body string is sized once from
    // Content-Length (already checked against the body limit) instead of doubling as it fills
    // — up to 16 MiB, so that a client announcing a big body and sending little cannot make
    // each of its connections hold the whole limit.
    buffer_.reserve(kReadChunkBytes);
    if (auto length = parser_->content_length()) {
      parser_->get().body().reserve(static_cast<std::size_t>(std::min<std::uint64_t>(*length, 16u << 20)));
    }
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::on_body, shared_from_this()));
  }

  void on_body(beast::error_code ec, std::size_t bytes) {
    if (ec) return on_read_error(ec);
    exchange_.bytes_in += bytes;
    on_request_read();
  }

  void on_read_error(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == http::error::partial_message || ec == beast::error::timeout ||
        ec == net::error::operation_aborted || !is_http_parse_error(ec)) {
      // Client went away, idle timeout, stop(), or a socket error: nobody to answer.
      close_now();
      return;
    }
    exchange_.start = exchange_.start == Clock::time_point{} ? Clock::now() : exchange_.start;
    if (parser_->is_header_done()) {
      // Header parsed (body_limit is raised from the header's Content-Length, or mid-body when
      // chunked): the request line is known and worth logging.
      const auto& msg = parser_->get();
      exchange_.method = std::string(msg.method_string());
      exchange_.target = std::string(msg.target());
      exchange_.version = msg.version();
    }
    exchange_.route = std::string(kNoRoute);
    begin_in_flight();
    // The rest of the request is unread and the stream cannot be resynchronised: close after.
    if (ec == http::error::body_limit) {
      send(HttpResponse::error(413, "payload_too_large",
                               fmt::format("request body exceeds {} bytes", server_.options.body_limit_bytes)),
           false, true);
    } else if (ec == http::error::header_limit) {
      send(HttpResponse::error(431, "request_header_fields_too_large",
                               fmt::format("request header exceeds {} bytes", kHeaderLimitBytes)),
           false, true);
    } else {
      send(HttpResponse::error(400, "bad_request", fmt::format("malformed HTTP request: {}", ec.message())), false,
           true);
    }
  }

  void on_request_read() {
    state_ = State::handling;
    begin_in_flight();
    auto message = parser_->release();
    parser_.reset();
    const bool keep_alive = message.keep_alive();
    exchange_.version = message.version();

    HttpRequest request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    const auto question = request.target.find('?');
    request.path = request.target.substr(0, question);
    if (question != std::string::npos) parse_query(std::string_view(request.target).substr(question + 1), request.query);
    request.headers.reserve(16);
    for (const auto& field : message) {
      request.headers.emplace_back(to_lower_ascii(to_std(field.name_string())), std::string(to_std(field.value())));
    }
    if (beast::websocket::is_upgrade(message)) {
      request.websocket_upgrade = true;
      upgrade_request_ = std::make_unique<http::request<http::string_body>>(message);
    }
    request.body = std::move(message.body());
    request.remote_address = remote_;
    exchange_.method = request.method;
    exchange_.target = request.target;

    Router::Match match = server_.router->match(request.method, request.path);
    if (match.handler == nullptr) {
      exchange_.route = std::string(kNoRoute);
      if (!match.allowed_methods.empty()) {
        std::string allow;
        for (const auto& m : match.allowed_methods) {
          if (!allow.empty()) allow += ", ";
          allow += m;
        }
        auto response = HttpResponse::error(
            405, "method_not_allowed", fmt::format("{} is not allowed on {}; allowed: {}", request.method, request.path, allow));
        response.headers.emplace_back("Allow", std::move(allow));
        send(std::move(response), keep_alive, false);
      } else {
        send(HttpResponse::error(404, "not_found", fmt::format("no route for {} {}", request.method, request.path)),
             keep_alive, false);
      }
      return;
    }

    exchange_.route = match.name;
    request.path_params = std::move(match.params);
    // The work guard keeps io_context::run() from returning (on stop) while this handler runs
    // in the pool with no I/O pending on its connection.
    net::post(server_.workers, [self = shared_from_this(), handler = match.handler, request = std::move(request),
                                keep_alive, work = net::make_work_guard(server_.ioc)]() mutable {
      HttpResponse response = self->invoke(*handler, request);
      net::post(self->stream_.get_executor(), [self, response = std::move(response), keep_alive]() mutable {
        if (response.status == 101 && response.websocket && self->upgrade_request_) {
          return self->upgrade(std::move(response.websocket));
        }
        self->send(std::move(response), keep_alive, false);
      });
    });
  }

  // Runs on a worker thread; touches only immutable session data.
  HttpResponse invoke(const Handler& handler, const HttpRequest& request) const {
    try {
      return handler(request);
    } catch (const std::exception& e) {
      spdlog::error("handler for route {} ({} {}) threw: {}", exchange_.route, request.method, request.target,
                    e.what());
    } catch (...) {
      spdlog::error("handler for route {} ({} {}) threw a non-standard exception", exchange_.route,
                    request.method, request.target);
    }
    return HttpResponse::error(500, "internal", "internal server error; the incident has been logged");
  }

  void send(HttpResponse response, bool keep_alive, bool linger) {
    state_ = State::writing;
    linger_ = linger;
    if (response.status < 200 || response.status > 599) {
      // Beast throws on codes it cannot serialise; a handler bug must not wedge the connection.
      spdlog::error("route {} returned invalid HTTP status {}", exchange_.route, response.status);
      response = HttpResponse::error(500, "internal", "internal server error; the incident has been logged");
    }
    if (response.status == 204 || response.status == 304) {
      // These carry no body by definition (and Beast's prepare_payload throws if they do).
      response.body.clear();
    }
    response_ = {};
    response_.result(static_cast<unsigned>(response.status));
    response_.version(exchange_.version == 10 ? 10 : 11);
    response_.set(http::field::server, "cordon");
    response_.set(http::field::content_type, std::move(response.content_type));
    for (auto& [name, value] : response.headers) response_.insert(name, value);
    response_.body() = std::move(response.body);
    response_.keep_alive(keep_alive && !server_.stopping.load());
    response_.prepare_payload();
    stream_.expires_after(server_.options.idle_timeout);
    http::async_write(stream_, response_, beast::bind_front_handler(&Session::on_write, shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t bytes_out) {
    finish_exchange(bytes_out);
    if (ec) return close_now();
    if (!response_.keep_alive()) return linger_ ? linger_then_close() : close_gracefully();
    read_next();
  }

  // Hands the connection to a WebSocket session; this Session ends with this call.
  void upgrade(std::shared_ptr<WebSocketUpgrade> upgrade);

  void begin_in_flight() {
    if (server_.metrics && !counted_in_flight_) server_.metrics->add_in_flight(1);
    counted_in_flight_ = true;
  }

  void finish_exchange(std::size_t bytes_out) {
    const auto duration = Clock::now() - exchange_.start;
    const int status = static_cast<int>(response_.result_int());
    if (server_.metrics) {
      if (counted_in_flight_) server_.metrics->add_in_flight(-1);
      server_.metrics->observe_request(exchange_.route, exchange_.method, status, duration);
    }
    counted_in_flight_ = false;
    if (server_.options.access_log) {
      const nlohmann::json line = {
          {"type", "access"},
          {"remote", remote_},
          {"method", exchange_.method},
          {"target", exchange_.target},
          {"route", exchange_.route},
          {"status", status},
          {"bytes_in", exchange_.bytes_in},
          {"bytes_out", bytes_out},
          {"duration_ms", std::chrono::duration<double, std::milli>(duration).count()},
      };
      // replace: a target with invalid UTF-8 is the client's doing and must not throw here.
      spdlog::info("{}", line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    }
  }

  void close_gracefully() {
    state_ = State::closing;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.socket().close(ec);
  }

  void close_now() {
    state_ = State::closing;
    beast::error_code ec;
    stream_.socket().close(ec);
  }

  // After an error response the client may still be sending the body we refused. Closing a
  // socket with unread data makes the kernel send RST, which can destroy our response in the
  // client's receive queue before it reads it. So: half-close, discard what arrives for a short
  // while, then close.
  void linger_then_close() {
    state_ = State::closing;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return close_now();
    drain_ = std::make_unique<std::array<char, 16 * 1024>>();
    stream_.expires_after(kLingerTime);
    drain();
  }

  void drain() {
    stream_.async_read_some(net::buffer(*drain_), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->close_now();
      self->drain();
    });
  }

  ServerState& server_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> response_;
  std::unique_ptr<std::array<char, 16 * 1024>> drain_;
  std::string remote_;
  Exchange exchange_;
  State state_ = State::reading;
  bool linger_ = false;
  bool counted_in_flight_ = false;
};

void ServerState::start_accepting() {
  if (options.install_signal_handlers) {
    signals.emplace(control, SIGINT, SIGTERM);
    signals->async_wait([this](beast::error_code ec, int signal_number) {
      if (ec) return;
      spdlog::info("received signal {}; stopping after in-flight requests", signal_number);
      stop();
    });
  }
  net::dispatch(control, [this] { do_accept(); });
}

void ServerState::do_accept() {
  acceptor.async_accept(net::make_strand(ioc), beast::bind_front_handler(&ServerState::on_accept, this));
}

void ServerState::on_accept(beast::error_code ec, tcp::socket socket) {
  if (stopping.load() || !acceptor.is_open()) return;
  if (ec) {
    // EMFILE and friends: retrying at once would spin; back off briefly and keep serving the
    // connections already open.
    spdlog::warn("accept failed: {}", ec.message());
    accept_retry.expires_after(std::chrono::milliseconds(50));
    accept_retry.async_wait([this](beast::error_code wait_ec) {
      if (!wait_ec && !stopping.load()) do_accept();
    });
    return;
  }
  auto session = std::make_shared<Session>(*this, std::move(socket));
  {
    std::lock_guard lock(sessions_mutex);
    sessions.emplace(session.get(), session);
  }
  session->start();
  do_accept();
}

void ServerState::stop() {
  if (stopping.exchange(true)) return;
  net::post(control, [this] {
    beast::error_code ec;
    acceptor.close(ec);
    accept_retry.cancel();
    if (signals) {
      signals->cancel(ec);
      signals->clear(ec);
    }
  });
  // A session registered after this snapshot saw `stopping` already when it starts reading, so
  // none is missed. weak_ptr: a session may be finishing on another thread right now.
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard lock(sessions_mutex);
    live.reserve(sessions.size());
    for (auto& [ptr, weak] : sessions) {
      if (auto s = weak.lock()) live.push_back(std::move(s));
    }
  }
  for (auto& s : live) {
    auto executor = s->executor();
    net::post(executor, [s = std::move(s)] { s->close_if_reading(); });
  }
  std::vector<std::function<void()>> closers;
  {
    std::lock_guard lock(sessions_mutex);
    for (auto& [ptr, closer] : websocket_closers) closers.push_back(closer);
  }
  for (auto& c : closers) c();
}

// A WebSocket taken over from a Session after its upgrade request was accepted by a route.
class WebSocketSession : public WebSocketChannel, public std::enable_shared_from_this<WebSocketSession> {
 public:
  WebSocketSession(ServerState& server, beast::tcp_stream stream, std::shared_ptr<WebSocketUpgrade> upgrade)
      : server_(server), ws_(std::move(stream)), upgrade_(std::move(upgrade)) {}
  ~WebSocketSession() override {
    std::lock_guard lock(server_.sessions_mutex);
    server_.websocket_closers.erase(this);
  }

  void start(std::unique_ptr<http::request<http::string_body>> request) {
    request_ = std::move(request);
    {
      std::lock_guard lock(server_.sessions_mutex);
      std::weak_ptr<WebSocketSession> weak = shared_from_this();
      server_.websocket_closers[this] = [weak] {
        if (auto self = weak.lock()) self->close();
      };
    }
    beast::get_lowest_layer(ws_).expires_never();
    ws_.set_option(beast::websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.async_accept(*request_, [self = shared_from_this()](beast::error_code ec) {
      if (ec) return self->finish();
      self->open_ = true;
      if (self->upgrade_->on_open) self->upgrade_->on_open(self);
      self->read();
    });
  }

  void send(std::string text) override {
    net::post(ws_.get_executor(), [self = shared_from_this(), text = std::move(text)]() mutable {
      if (!self->open_) return;
      self->outbox_.push_back(std::move(text));
      if (self->outbox_.size() == 1) self->write_next();
    });
  }

  void close() override {
    net::post(ws_.get_executor(), [self = shared_from_this()] {
      beast::error_code ec;
      beast::get_lowest_layer(self->ws_).socket().close(ec);
    });
  }

 private:
  void read() {
    ws_.async_read(inbox_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->finish();
      self->inbox_.consume(self->inbox_.size());
      self->read();
    });
  }

  void write_next() {
    ws_.text(true);
    ws_.async_write(net::buffer(outbox_.front()), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->finish();
      self->outbox_.pop_front();
      if (!self->outbox_.empty()) self->write_next();
    });
  }

  void finish() {
    open_ = false;
    if (!closed_ && upgrade_->on_close) upgrade_->on_close();
    closed_ = true;
    beast::error_code ec;
    beast::get_lowest_layer(ws_).socket().close(ec);
  }

  ServerState& server_;
  beast::websocket::stream<beast::tcp_stream> ws_;
  std::shared_ptr<WebSocketUpgrade> upgrade_;
  std::unique_ptr<http::request<http::string_body>> request_;
  beast::flat_buffer inbox_;
  std::deque<std::string> outbox_;
  bool open_ = false;
  bool closed_ = false;
};

void Session::upgrade(std::shared_ptr<WebSocketUpgrade> upgrade) {
  response_ = {};
  response_.result(http::status::switching_protocols);
  finish_exchange(0);
  state_ = State::closing;
  auto ws = std::make_shared<WebSocketSession>(server_, std::move(stream_), std::move(upgrade));
  ws->start(std::move(upgrade_request_));
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// HttpServer

struct HttpServer::Impl : ServerState {
  using ServerState::ServerState;
};

HttpServer::HttpServer(HttpServerOptions options, std::shared_ptr<const Router> router, std::shared_ptr<Metrics> metrics)
    : impl_(std::make_unique<Impl>(std::move(options), router ? std::move(router) : std::make_shared<const Router>(),
                                   std::move(metrics))) {
  auto& s = *impl_;
  const std::string where = fmt::format("{}:{}", s.options.address, s.options.port);
  auto fail = [&](const beast::error_code& ec, const char* what) {
    throw std::system_error(ec.value(), std::generic_category(), fmt::format("{} {}: {}", what, where, ec.message()));
  };
  beast::error_code ec;
  const auto address = net::ip::make_address(s.options.address, ec);
  if (ec) fail(ec, "invalid listen address");
  const tcp::endpoint endpoint(address, s.options.port);
  s.acceptor.open(endpoint.protocol(), ec);
  if (ec) fail(ec, "cannot open socket for");
  s.acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (ec) fail(ec, "cannot set SO_REUSEADDR on");
  s.acceptor.bind(endpoint, ec);
  if (ec) fail(ec, "cannot bind");
  s.acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) fail(ec, "cannot listen on");
  s.bound_port = s.acceptor.local_endpoint().port();
  s.start_accepting();
}

HttpServer::~HttpServer() {
  // If run() was never called, or has returned, nothing is executing: stop() only queues work
  // that the io_context's destructor discards.
  if (impl_) impl_->stop();
}

uint16_t HttpServer::port() const { return impl_->bound_port; }

void HttpServer::run() {
  auto& s = *impl_;
  if (s.ran.exchange(true)) throw std::logic_error("HttpServer::run() called twice");
  auto run_io = [&s] {
    // A throwing completion handler is a bug, but it must not take the other connections down.
    for (;;) {
      try {
        s.ioc.run();
        return;
      } catch (const std::exception& e) {
        spdlog::error("uncaught exception on an I/O thread: {}", e.what());
      } catch (...) {
        spdlog::error("uncaught non-standard exception on an I/O thread");
      }
    }
  };
  std::vector<std::thread> threads;
  const int extra = std::max(1, s.options.io_threads) - 1;
  threads.reserve(static_cast<std::size_t>(extra));
  for (int i = 0; i < extra; ++i) threads.emplace_back(run_io);
  run_io();
  for (auto& t : threads) t.join();
  // Every handler held a work guard, so the pool is idle by now; join makes that explicit.
  s.workers.join();
}

void HttpServer::stop() { impl_->stop(); }

}  // namespace cordon::server
