// A small HTTP/1.1 server on Boost.Beast: one acceptor, a few I/O threads, and a worker pool
// that runs the route handlers (which may block on storage). It knows nothing of Cordon's
// engines: routes are registered by the caller (server/app.h).
//
// Request flow (after OSRM's): parse → typed request → handler → HttpResponse → write.
// Shutdown: stop() (or SIGTERM/SIGINT when install_signal_handlers is set) stops accepting,
// lets requests already read finish and be answered, then closes idle connections and returns
// from run().
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cordon::server {

// A WebSocket the server accepted on a route (see HttpResponse::websocket). send() and close()
// are safe from any thread; messages are written in the order sent.
class WebSocketChannel {
 public:
  virtual ~WebSocketChannel() = default;
  virtual void send(std::string text) = 0;
  virtual void close() = 0;
};

// What a route does with an accepted WebSocket. Incoming messages are read and ignored (the
// server pushes); on_close runs once when the peer closes, the connection fails or the server
// stops.
struct WebSocketUpgrade {
  std::function<void(std::shared_ptr<WebSocketChannel>)> on_open;
  std::function<void()> on_close;
};

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // as received: "/api/v1/declarations?limit=10"
  std::string path;    // target without the query: "/api/v1/declarations"
  std::multimap<std::string, std::string> query;              // decoded query parameters
  std::vector<std::pair<std::string, std::string>> headers;   // names in lower case
  std::map<std::string, std::string> path_params;             // "{id}" in the route pattern
  std::string body;
  std::string remote_address;
  bool websocket_upgrade = false;  // a GET asking for "Upgrade: websocket"

  // The first header with that (lower-case) name, or nullopt.
  std::optional<std::string_view> header(std::string_view lower_case_name) const;
  // The first query parameter with that name, or nullopt.
  std::optional<std::string_view> query_param(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // Set, with status 101, to accept a websocket_upgrade request; ignored otherwise.
  std::shared_ptr<WebSocketUpgrade> websocket = nullptr;

  static HttpResponse json(int status, std::string body);
  static HttpResponse text(int status, std::string body, std::string content_type = "text/plain; charset=utf-8");
  // {"error": code, "message": message}
  static HttpResponse error(int status, std::string_view code, std::string_view message);
};

using Handler = std::function<HttpResponse(const HttpRequest&)>;

// Routes by method and path pattern; "{name}" matches one path segment and is passed in
// HttpRequest::path_params. A path that matches no pattern gets 404; a path that matches with
// another method gets 405 with an Allow header.
class Router {
 public:
  // `name` labels the route in metrics and access logs ("declarations.create").
  void add(std::string method, std::string pattern, std::string name, Handler handler);

  struct Match {
    const Handler* handler = nullptr;
    std::string name;
    std::map<std::string, std::string> params;
    std::vector<std::string> allowed_methods;  // when the path matched but the method did not
  };
  Match match(std::string_view method, std::string_view path) const;

  // Answers GET requests that match no route (a single-page console's own paths); such a
  // request then never gets 404 or 405 from the router.
  void set_get_fallback(std::string name, Handler handler);

  struct RouteInfo { std::string method, pattern, name; };
  std::vector<RouteInfo> routes() const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    std::string pattern, name;
    Handler handler;
  };
  std::vector<Route> routes_;
  std::string fallback_name_;
  Handler fallback_;
};

// Prometheus text exposition of the server's own counters and latency histograms, plus any
// gauges/counters the application registers. Thread-safe.
class Metrics {
 public:
  Metrics();
  ~Metrics();
  // Called by HttpServer once per answered request: feeds cordon_http_requests_total and
  // cordon_http_request_duration_seconds.
  void observe_request(std::string_view route, std::string_view method, int status, std::chrono::nanoseconds duration);
  // Moves the cordon_http_requests_in_flight gauge; HttpServer calls it with +1 when a request has
  // been read and -1 when its response is written (or the connection failed).
  void add_in_flight(int delta);
  // Adds `delta` to a counter "name{labels}"; labels already rendered ("kind=\"x\"") or empty.
  void add_counter(std::string_view name, std::string_view help, std::string_view labels, double delta);
  void set_gauge(std::string_view name, std::string_view help, double value);
  // Prometheus text format 0.0.4; serve it with content type "text/plain; version=0.0.4".
  std::string render() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

struct HttpServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 8080;        // 0 picks a free port; see HttpServer::port()
  int io_threads = 2;
  int worker_threads = 8;
  std::size_t body_limit_bytes = 64 * 1024 * 1024;  // larger bodies get 413
  std::chrono::seconds idle_timeout{60};
  bool install_signal_handlers = false;             // SIGTERM/SIGINT → graceful stop
  bool access_log = true;                            // one JSON line per request via spdlog
};

// Threading: `io_threads` threads run the accept loop and all socket I/O; each connection is
// served on its own strand. Route handlers run on a pool of `worker_threads` threads (so one that
// blocks on a database commit holds no I/O thread), and their response is written back on the
// connection's strand. 404/405/413/400 are answered on the I/O thread without a handler.
// The client's address is in HttpRequest::remote_address (the TCP peer; no X-Forwarded-For).
class HttpServer {
 public:
  // Binds immediately so that port() is known before run(); throws std::system_error when the
  // address cannot be bound.
  // A null `metrics` disables metrics. The router must not change once the server is built.
  HttpServer(HttpServerOptions options, std::shared_ptr<const Router> router, std::shared_ptr<Metrics> metrics);
  // REQUIRES: run() has returned or was never called.
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  uint16_t port() const;
  // Serves until stop() or a signal; returns after in-flight requests are answered. The calling
  // thread is one of the io_threads. REQUIRES: called at most once.
  void run();
  // Safe from any thread (including a handler) and through the installed signal handler; does not
  // wait. Connections waiting for a request are closed; requests already read are answered with
  // "Connection: close". Not async-signal-safe: call it from a signal_set, not a raw sigaction.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cordon::server
