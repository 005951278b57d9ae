// HttpServer end to end on loopback: a real server on port 0 in a background thread, a synchronous
// Beast client. Every test stops its server and joins the thread.
#include "server/http_server.h"

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <csignal>
#include <future>
#include <nlohmann/json.hpp>
#include <thread>

namespace cordon::server {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;

using Response = http::response<http::string_body>;

// A running server; the destructor stops it and waits for run() to return.
class RunningServer {
 public:
  explicit RunningServer(std::shared_ptr<Router> router, HttpServerOptions options = {})
      : metrics_(std::make_shared<Metrics>()) {
    options.address = "127.0.0.1";
    options.port = 0;
    server_ = std::make_unique<HttpServer>(options, std::move(router), metrics_);
    thread_ = std::thread([this] {
      server_->run();
      returned_ = true;
    });
  }
  ~RunningServer() {
    server_->stop();
    if (thread_.joinable()) thread_.join();
  }
  HttpServer& server() { return *server_; }
  Metrics& metrics() { return *metrics_; }
  uint16_t port() const { return server_->port(); }
  std::thread& thread() { return thread_; }
  bool returned() const { return returned_; }

 private:
  std::shared_ptr<Metrics> metrics_;
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
  std::atomic<bool> returned_{false};
};

class Client {
 public:
  explicit Client(uint16_t port) : stream_(ioc_) {
    stream_.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    stream_.expires_after(5s);
  }

  Response request(http::verb method, std::string target, std::string body = {}, bool keep_alive = true) {
    http::request<http::string_body> req{method, target, 11};
    req.set(http::field::host, "localhost");
    req.keep_alive(keep_alive);
    if (!body.empty() || method == http::verb::post) {
      req.body() = std::move(body);
      req.prepare_payload();
    }
    http::write(stream_, req);
    return read();
  }

  Response read() {
    Response res;
    http::read(stream_, buffer_, res);
    return res;
  }

  void write_raw(std::string_view bytes) { net::write(stream_, net::buffer(bytes.data(), bytes.size())); }

  // True when the server has closed the connection (EOF on the next read).
  bool closed_by_server() {
    beast::error_code ec;
    char byte;
    stream_.socket().read_some(net::buffer(&byte, 1), ec);
    return ec == net::error::eof || ec == net::error::connection_reset;
  }

 private:
  net::io_context ioc_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
};

nlohmann::json body_json(const Response& res) { return nlohmann::json::parse(res.body()); }

std::shared_ptr<Router> demo_router() {
  auto router = std::make_shared<Router>();
  router->add("GET", "/api/v1/declarations/{id}", "declarations.get", [](const HttpRequest& req) {
    return HttpResponse::json(200, nlohmann::json{{"id", req.path_params.at("id")}}.dump());
  });
  router->add("GET", "/api/v1/declarations/search", "declarations.search", [](const HttpRequest& req) {
    nlohmann::json params = nlohmann::json::object();
    for (const auto& [k, v] : req.query) params[k] = v;
    return HttpResponse::json(200, nlohmann::json{{"route", "search"}, {"path", req.path}, {"query", params}}.dump());
  });
  router->add("POST", "/api/v1/declarations", "declarations.create", [](const HttpRequest& req) {
    return HttpResponse::json(201, nlohmann::json{{"received", req.body.size()},
                                                  {"content_type", req.header("content-type").value_or("")},
                                                  {"remote", req.remote_address}}
                                           .dump());
  });
  // A handler that (wrongly) puts a body on a 204: the server drops it rather than failing.
  router->add("DELETE", "/api/v1/declarations/{id}", "declarations.delete",
              [](const HttpRequest&) { return HttpResponse::json(204, "{}"); });
  router->add("GET", "/boom", "boom", [](const HttpRequest&) -> HttpResponse {
    throw std::runtime_error("handler failure for the test");
  });
  return router;
}

HttpServerOptions quiet_options() {
  HttpServerOptions options;
  options.access_log = false;
  options.io_threads = 2;
  options.worker_threads = 4;
  return options;
}

// ---------------------------------------------------------------------------------------------
// Router and Metrics on their own

TEST(Router, MatchesParamsAndPrefersLiteralSegments) {
  auto router = demo_router();
  auto m = router->match("GET", "/api/v1/declarations/ABC%2F1");
  ASSERT_NE(m.handler, nullptr);
  EXPECT_EQ(m.name, "declarations.get");
  EXPECT_EQ(m.params.at("id"), "ABC/1");

  m = router->match("GET", "/api/v1/declarations/search");
  EXPECT_EQ(m.name, "declarations.search");

  m = router->match("PUT", "/api/v1/declarations/7");
  EXPECT_EQ(m.handler, nullptr);
  EXPECT_EQ(m.allowed_methods, (std::vector<std::string>{"GET", "DELETE"}));

  m = router->match("GET", "/api/v1/declarations/7/");
  EXPECT_EQ(m.handler, nullptr);
  EXPECT_TRUE(m.allowed_methods.empty());
  EXPECT_EQ(router->match("GET", "*").handler, nullptr);
  EXPECT_EQ(router->routes().size(), 5u);
  EXPECT_THROW(router->add("GET", "no-slash", "x", [](const HttpRequest&) { return HttpResponse{}; }),
               std::invalid_argument);
}

TEST(Metrics, RendersPrometheusText) {
  Metrics metrics;
  metrics.observe_request("declarations.get", "GET", 200, 3ms);
  metrics.observe_request("declarations.get", "GET", 200, 20s);
  metrics.observe_request("declarations.get", "GET", 404, 100us);
  metrics.add_counter("cordon_screening_hits_total", "Watch-list hits.", "list=\"eu\"", 2);
  metrics.add_counter("cordon_screening_hits_total", "Watch-list hits.", "list=\"un\"", 1);
  metrics.add_counter("cordon_screening_hits_total", "Watch-list hits.", "list=\"eu\"", 1);
  metrics.set_gauge("cordon_open_alarms", "Alarms not yet handled.", 5);
  metrics.set_gauge("cordon_open_alarms", "Alarms not yet handled.", 4);
  metrics.add_in_flight(1);
  const std::string text = metrics.render();

  EXPECT_NE(text.find("cordon_http_requests_total{route=\"declarations.get\",method=\"GET\",status=\"200\"} 2\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("status=\"404\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("cordon_http_request_duration_seconds_bucket{route=\"declarations.get\",le=\"0.0005\"} 1\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("le=\"0.005\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("le=\"10\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("le=\"+Inf\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("cordon_http_request_duration_seconds_count{route=\"declarations.get\"} 3\n"),
            std::string::npos);
  EXPECT_NE(text.find("cordon_http_requests_in_flight 1\n"), std::string::npos);
  EXPECT_NE(text.find("cordon_screening_hits_total{list=\"eu\"} 3\n"), std::string::npos) << text;
  EXPECT_NE(text.find("cordon_screening_hits_total{list=\"un\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("cordon_open_alarms 4\n"), std::string::npos);
  // One HELP and one TYPE per metric name.
  auto count = [&](std::string_view needle) {
    std::size_t n = 0;
    for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count("# TYPE cordon_screening_hits_total counter\n"), 1u);
  EXPECT_EQ(count("# HELP cordon_screening_hits_total "), 1u);
  EXPECT_EQ(count("# TYPE cordon_open_alarms gauge\n"), 1u);
  EXPECT_EQ(count("# TYPE cordon_http_request_duration_seconds histogram\n"), 1u);
}

// ---------------------------------------------------------------------------------------------
// End to end

TEST(HttpServer, RoutesWithPathParams) {
  RunningServer s(demo_router(), quiet_options());
  Client client(s.port());
  auto res = client.request(http::verb::get, "/api/v1/declarations/DEC-42");
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(body_json(res)["id"], "DEC-42");
  EXPECT_EQ(res[http::field::server], "cordon");
  EXPECT_EQ(res[http::field::content_type], "application/json");
  EXPECT_EQ(res[http::field::content_length], std::to_string(res.body().size()));

  res = client.request(http::verb::post, "/api/v1/declarations", R"({"lrn":"X"})");
  EXPECT_EQ(res.result_int(), 201);
  EXPECT_EQ(body_json(res)["received"], 11);
  EXPECT_EQ(body_json(res)["remote"], "127.0.0.1");
}

TEST(HttpServer, NoContentHasNoBody) {
  RunningServer s(demo_router(), quiet_options());
  Client client(s.port());
  auto res = client.request(http::verb::delete_, "/api/v1/declarations/7");
  EXPECT_EQ(res.result_int(), 204);
  EXPECT_TRUE(res.body().empty());
  EXPECT_EQ(client.request(http::verb::get, "/api/v1/declarations/7").result_int(), 200);
}

TEST(HttpServer, UnknownPathIs404) {
  RunningServer s(demo_router(), quiet_options());
  Client client(s.port());
  auto res = client.request(http::verb::get, "/nowhere?x=1");
  EXPECT_EQ(res.result_int(), 404);
  EXPECT_EQ(body_json(res)["error"], "not_found");
  // The connection stays usable after a 404.
  EXPECT_EQ(client.request(http::verb::get, "/api/v1/declarations/1").result_int(), 200);
}

TEST(HttpServer, WrongMethodIs405WithAllow) {
  RunningServer s(demo_router(), quiet_options());
  Client client(s.port());
  auto res = client.request(http::verb::put, "/api/v1/declarations/7", "{}");
  EXPECT_EQ(res.result_int(), 405);
  EXPECT_EQ(res[http::field::allow], "GET, DELETE");
  EXPECT_EQ(body_json(res)["error"], "method_not_allowed");
}

TEST(HttpServer, DecodesQueryString) {
  RunningServer s(demo_router(), quiet_options());
  Client client(s.port());
  auto res = client.request(http::verb::get, "/api/v1/declarations/search?name=J%C3%BCrgen+M%C3%BCller&hs=0901%2B&flag&bad=%zz&&");
  ASSERT_EQ(res.result_int(), 200);
  const auto j = body_json(res);
  EXPECT_EQ(j["path"], "/api/v1/declarations/search");
  EXPECT_EQ(j["query"]["name"], "Jürgen Müller");
  EXPECT_EQ(j["query"]["hs"], "0901+");
  EXPECT_EQ(j["query"]["flag"], "");
  EXPECT_EQ(j["query"]["bad"], "%zz");
}

TEST(HttpServer, BodyOverLimitIs413) {
  auto options = quiet_options();
  options.body_limit_bytes = 1024;
  RunningServer s(demo_router(), options);
  {
    Client client(s.port());
    auto res = client.request(http::verb::post, "/api/v1/declarations", std::string(64 * 1024, 'x'));
    EXPECT_EQ(res.result_int(), 413);
    EXPECT_EQ(body_json(res)["error"], "payload_too_large");
    EXPECT_EQ(body_json(res)["message"], "request body exceeds 1024 bytes");
    EXPECT_FALSE(res.keep_alive());
  }
  {
    // Chunked: the limit is only discovered mid-body.
    Client client(s.port());
    client.write_raw("POST /api/v1/declarations HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
    const std::string chunk = std::string("800\r\n") + std::string(0x800, 'y') + "\r\n";
    client.write_raw(chunk);
    auto res = client.read();
    EXPECT_EQ(res.result_int(), 413);
  }
  {
    Client client(s.port());
    auto res = client.request(http::verb::post, "/api/v1/declarations", std::string(1024, 'x'));
    EXPECT_EQ(res.result_int(), 201);
  }
}

TEST(HttpServer, ExpectContinueGetsInterimResponse) {
  RunningServer s(demo_router(), quiet_options());
  Client client(s.port());
  client.write_raw("POST /api/v1/declarations HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
  auto interim = client.read();
  EXPECT_EQ(interim.result_int(), 100);
  client.write_raw("hello");
  auto res = client.read();
  EXPECT_EQ(res.result_int(), 201);
  EXPECT_EQ(body_json(res)["received"], 5);
}

TEST(HttpServer, MalformedRequestIs400AndCloses) {
  RunningServer s(demo_router(), quiet_options());
  Client client(s.port());
  client.write_raw("GET /x HTTP/1.1\r\nHost x-without-colon\r\n\r\n");
  auto res = client.read();
  EXPECT_EQ(res.result_int(), 400);
  EXPECT_EQ(body_json(res)["error"], "bad_request");
  EXPECT_TRUE(client.closed_by_server());
}

TEST(HttpServer, ThrowingHandlerIs500AndServerSurvives) {
  RunningServer s(demo_router(), quiet_options());
  Client client(s.port());
  auto res = client.request(http::verb::get, "/boom");
  EXPECT_EQ(res.result_int(), 500);
  EXPECT_EQ(body_json(res)["error"], "internal");
  EXPECT_EQ(client.request(http::verb::get, "/api/v1/declarations/1").result_int(), 200);
}

TEST(HttpServer, KeepAliveServesSeveralRequestsOnOneConnection) {
  RunningServer s(demo_router(), quiet_options());
  Client client(s.port());
  for (int i = 0; i < 3; ++i) {
    auto res = client.request(http::verb::get, "/api/v1/declarations/" + std::to_string(i));
    ASSERT_EQ(res.result_int(), 200);
    EXPECT_TRUE(res.keep_alive());
    EXPECT_EQ(body_json(res)["id"], std::to_string(i));
  }
  auto last = client.request(http::verb::get, "/api/v1/declarations/last", {}, /*keep_alive=*/false);
  EXPECT_EQ(last.result_int(), 200);
  EXPECT_FALSE(last.keep_alive());
  EXPECT_TRUE(client.closed_by_server());
}

TEST(HttpServer, IdleConnectionsTimeOut) {
  auto options = quiet_options();
  options.idle_timeout = 1s;
  RunningServer s(demo_router(), options);
  Client client(s.port());
  EXPECT_EQ(client.request(http::verb::get, "/api/v1/declarations/1").result_int(), 200);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(client.closed_by_server());
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
}

TEST(HttpServer, MetricsCountRequests) {
  auto options = quiet_options();
  options.access_log = true;  // exercised once here; goes to spdlog's default (stdout) logger
  RunningServer s(demo_router(), options);
  Client client(s.port());
  client.request(http::verb::get, "/api/v1/declarations/1");
  client.request(http::verb::get, "/api/v1/declarations/2");
  client.request(http::verb::get, "/missing");
  // Metrics are recorded when the server's write completes, which may be just after the client
  // has read the response.
  std::string text;
  for (int i = 0; i < 200; ++i) {
    text = s.metrics().render();
    if (text.find("status=\"404\"} 1") != std::string::npos && text.find("in_flight 0") != std::string::npos) break;
    std::this_thread::sleep_for(5ms);
  }
  EXPECT_NE(text.find("cordon_http_requests_total{route=\"declarations.get\",method=\"GET\",status=\"200\"} 2"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("cordon_http_requests_total{route=\"none\",method=\"GET\",status=\"404\"} 1"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("cordon_http_request_duration_seconds_count{route=\"declarations.get\"} 2"), std::string::npos);
  EXPECT_NE(text.find("cordon_http_requests_in_flight 0"), std::string::npos) << text;
}

TEST(HttpServer, StopLetsInFlightRequestFinish) {
  auto router = std::make_shared<Router>();
  std::promise<void> handler_started;
  router->add("GET", "/slow", "slow", [&](const HttpRequest&) {
    handler_started.set_value();
    std::this_thread::sleep_for(500ms);
    return HttpResponse::json(200, R"({"done":true})");
  });
  RunningServer s(router, quiet_options());

  // An idle keep-alive connection must not hold up the stop.
  Client idle(s.port());

  auto client_result = std::async(std::launch::async, [port = s.port()] {
    Client client(port);
    return client.request(http::verb::get, "/slow");
  });
  ASSERT_EQ(handler_started.get_future().wait_for(5s), std::future_status::ready);
  const auto stop_called = std::chrono::steady_clock::now();
  s.server().stop();

  const Response res = client_result.get();
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res.body(), R"({"done":true})");
  EXPECT_FALSE(res.keep_alive());  // told to go away, since the server is stopping

  s.thread().join();
  EXPECT_TRUE(s.returned());
  EXPECT_LT(std::chrono::steady_clock::now() - stop_called, 3s);
  EXPECT_TRUE(idle.closed_by_server());
  // The acceptor is closed.
  EXPECT_THROW(Client{s.port()}, boost::system::system_error);
}

TEST(HttpServer, SigtermStopsTheServer) {
  auto options = quiet_options();
  options.install_signal_handlers = true;
  RunningServer s(demo_router(), options);
  {
    Client client(s.port());
    EXPECT_EQ(client.request(http::verb::get, "/api/v1/declarations/1").result_int(), 200);
  }
  ASSERT_EQ(::raise(SIGTERM), 0);
  s.thread().join();
  EXPECT_TRUE(s.returned());
}

TEST(HttpServer, StopBeforeRunReturnsPromptly) {
  auto options = quiet_options();
  HttpServer server(options, demo_router(), std::make_shared<Metrics>());
  EXPECT_NE(server.port(), 0);
  server.stop();
  server.run();
}

TEST(HttpServer, BindFailureThrowsSystemError) {
  RunningServer s(demo_router(), quiet_options());
  auto options = quiet_options();
  options.port = s.port();
  // reuse_address does not allow two listeners on one port.
  EXPECT_THROW(HttpServer(options, demo_router(), nullptr), std::system_error);
}

}  // namespace
}  // namespace cordon::server
