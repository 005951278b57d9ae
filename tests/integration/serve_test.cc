// End-to-end tests of `cordon serve`: the real binary on loopback, a real SQLite file.
#include <atomic>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../support/test_data.h"
#include "../support/cordon_process.h"
#include "../support/http_client.h"

namespace cordon::testing {
namespace {

using nlohmann::json;

class ServeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cordon-serve-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    sample_ = json::parse(read_test_file("declaration_sea.json"));
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path db() const { return dir_ / "cordon.db"; }

  // A bearer token with every role these tests need, created before the server starts.
  const std::string& token() {
    if (token_.empty()) {
      token_ = create_user_with_token(db(), "tester", {"submitter", "risk_analyst", "monitoring"});
    }
    return token_;
  }

  HttpClient client_for(const CordonServer& server) {
    HttpClient client(server.port());
    client.set_bearer(token());
    return client;
  }

  std::string declaration(const std::string& reference) const {
    json doc = sample_;
    doc["reference"] = reference;
    return doc.dump();
  }

  std::filesystem::path dir_;
  json sample_;
  std::string token_;
};

std::set<std::string> error_paths(const json& body) {
  std::set<std::string> paths;
  for (const auto& e : body.at("errors")) paths.insert(e.at("path").get<std::string>());
  return paths;
}

TEST_F(ServeTest, StoresAndReadsBackADeclaration) {
  token();
  CordonServer server(db());
  HttpClient client = client_for(server);
  Reply created = client.post("/api/v1/declarations", declaration("E2E-1"));
  ASSERT_EQ(created.status, 201) << created.body;
  json body = json::parse(created.body);
  int64_t id = body.at("id");
  EXPECT_EQ(created.header("Location"), "/api/v1/declarations/" + std::to_string(id));

  Reply read = client.get("/api/v1/declarations/" + std::to_string(id));
  ASSERT_EQ(read.status, 200) << read.body;
  json stored = json::parse(read.body);
  EXPECT_EQ(stored["declaration"]["reference"], "E2E-1");
  EXPECT_EQ(stored["declaration"]["goods"][0]["containers"][0], "CSQU3054383");
  EXPECT_EQ(stored["declaration"]["parties"][0]["name_original"], "宁波海天电子有限公司");

  Reply again = client.post("/api/v1/declarations", declaration("E2E-1"));
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(json::parse(again.body)["status"], "duplicate");

  EXPECT_EQ(client.get("/api/v1/declarations/999999").status, 404);
  EXPECT_EQ(client.get("/api/v1/declarations/abc").status, 400);
}

TEST_F(ServeTest, RefusesBadIdentifiersWith422NamingEachField) {
  token();
  CordonServer server(db());
  HttpClient client = client_for(server);
  json doc = sample_;
  doc["mode"] = "road";
  doc["transport"] = {{"vehicle_plate", "LT ABC 123"}, {"vehicle_vin", "1M8GDM9AXKP04278"}};  // 16 characters
  doc["goods"][0]["containers"] = {"MSKU1234566"};
  doc["goods"][1]["origin_country"] = "XX";
  Reply reply = client.post("/api/v1/declarations", doc.dump());
  ASSERT_EQ(reply.status, 422) << reply.body;
  json body = json::parse(reply.body);
  EXPECT_EQ(body["error"], "validation_failed");
  EXPECT_EQ(error_paths(body),
            (std::set<std::string>{"goods[0].containers[0]", "transport.vehicle_vin", "goods[1].origin_country"}));
  for (const auto& e : body["errors"]) {
    if (e["path"] == "goods[0].containers[0]") {
      EXPECT_EQ(e["message"], "\"MSKU1234566\" fails the ISO 6346 check digit (expected 5)");
    }
  }
  EXPECT_EQ(json::parse(client.get("/api/v1/declarations").body)["items"].size(), 0u) << "nothing may be stored";

  Reply malformed = client.post("/api/v1/declarations", "{\"reference\": ");
  ASSERT_EQ(malformed.status, 422);
  EXPECT_EQ(json::parse(malformed.body)["errors"][0]["rule"], "json_syntax");
}

TEST_F(ServeTest, NdjsonBatchStoresGoodLinesAndReportsBadOnesByLine) {
  token();
  CordonServer server(db());
  HttpClient client = client_for(server);
  json bad = sample_;
  bad["reference"] = "B-2";
  bad["transport"]["vessel_imo"] = "9074728";
  std::string body = declaration("B-1") + "\n" + bad.dump() + "\n" + declaration("B-3") + "\n";
  Reply reply = client.post("/api/v1/declarations", body, "application/x-ndjson");
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.header("X-Cordon-Stored"), "2");
  EXPECT_EQ(reply.header("X-Cordon-Rejected"), "1");
  std::vector<json> lines;
  std::istringstream in(reply.body);
  for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0]["status"], "stored");
  EXPECT_EQ(lines[1]["status"], "rejected");
  EXPECT_EQ(lines[1]["line"], 2);
  EXPECT_EQ(lines[1]["errors"][0]["path"], "transport.vessel_imo");
  EXPECT_EQ(lines[2]["status"], "stored");
  json list = json::parse(client.get("/api/v1/declarations?reference=B-3").body);
  ASSERT_EQ(list["items"].size(), 1u);
  EXPECT_EQ(list["items"][0]["id"], lines[2]["id"]);
}

TEST_F(ServeTest, ListsWithFiltersPagingAndQueryErrors) {
  token();
  CordonServer server(db());
  HttpClient client = client_for(server);
  std::string batch;
  for (int i = 0; i < 7; ++i) batch += declaration("L-" + std::to_string(i)) + "\n";
  ASSERT_EQ(client.post("/api/v1/declarations", batch, "application/x-ndjson").status, 200);

  json page1 = json::parse(client.get("/api/v1/declarations?limit=5&hs=8517&origin=CN").body);
  ASSERT_EQ(page1["items"].size(), 5u);
  ASSERT_TRUE(page1["next_cursor"].is_string());
  json page2 = json::parse(
      client.get("/api/v1/declarations?limit=5&hs=8517&origin=CN&cursor=" + page1["next_cursor"].get<std::string>()).body);
  EXPECT_EQ(page2["items"].size(), 2u);
  EXPECT_TRUE(page2["next_cursor"].is_null());
  EXPECT_EQ(json::parse(client.get("/api/v1/declarations?container=CSQU3054383").body)["items"].size(), 7u);
  EXPECT_EQ(json::parse(client.get("/api/v1/declarations?mode=air").body)["items"].size(), 0u);

  Reply bad = client.get("/api/v1/declarations?limit=0&mode=boat&lodged_from=yesterday");
  ASSERT_EQ(bad.status, 400);
  EXPECT_EQ(error_paths(json::parse(bad.body)),
            (std::set<std::string>{"query.limit", "query.mode", "query.lodged_from"}));
}

TEST_F(ServeTest, ServesHealthMetricsAndOpenApi) {
  token();
  CordonServer server(db());
  HttpClient client = client_for(server);
  Reply health = client.get("/healthz");
  ASSERT_EQ(health.status, 200);
  EXPECT_EQ(json::parse(health.body)["status"], "ok");
  client.post("/api/v1/declarations", declaration("M-1"));
  Reply metrics = client.get("/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("cordon_declarations_received_total{outcome=\"stored\"} 1"), std::string::npos)
      << metrics.body;
  Reply openapi = client.get("/api/v1/openapi.yaml");
  ASSERT_EQ(openapi.status, 200);
  EXPECT_TRUE(openapi.body.starts_with("openapi: 3"));
  EXPECT_EQ(client.get("/").status, 200);
  EXPECT_EQ(client.get("/declarations/12").status, 200) << "the console's own paths get its index page";
  EXPECT_EQ(client.get("/api/v1/nope").status, 404);

  HttpClient anonymous(server.port());
  EXPECT_EQ(anonymous.get("/healthz").status, 200);
  EXPECT_EQ(anonymous.get("/api/v1/openapi.yaml").status, 200);
  EXPECT_EQ(anonymous.get("/metrics").status, 401);
  EXPECT_EQ(anonymous.get("/api/v1/declarations").status, 401);
  EXPECT_EQ(anonymous.post("/api/v1/declarations", declaration("ANON")).status, 401);
}

TEST_F(ServeTest, ConsoleSessionNeedsCsrfTokenForChanges) {
  token();
  run_cordon({"admin", "create", "--db", db().string(), "--username", "officer", "--password", "a-long-password",
              "--role", "targeting_officer"});
  CordonServer server(db());
  HttpClient client(server.port());
  Reply wrong = client.post("/api/v1/session", R"({"username":"officer","password":"nope"})");
  EXPECT_EQ(wrong.status, 401);
  Reply signed_in = client.post("/api/v1/session", R"({"username":"officer","password":"a-long-password"})");
  ASSERT_EQ(signed_in.status, 200) << signed_in.body;
  std::string cookie = signed_in.header("Set-Cookie");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  std::string csrf = json::parse(signed_in.body)["csrf_token"];
  client.set_header("Cookie", cookie.substr(0, cookie.find(';')));
  EXPECT_EQ(client.get("/api/v1/declarations").status, 200);
  EXPECT_EQ(client.post("/api/v1/declarations", declaration("S-1")).status, 403) << "no CSRF token";
  client.set_header("X-CSRF-Token", csrf);
  EXPECT_EQ(client.post("/api/v1/declarations", declaration("S-1")).status, 201);
  EXPECT_EQ(client.get("/api/v1/users").status, 403) << "a targeting officer is no administrator";
  EXPECT_EQ(client.request(boost::beast::http::verb::delete_, "/api/v1/session").status, 204);
  EXPECT_EQ(client.get("/api/v1/declarations").status, 401) << "the session ended";
}

TEST_F(ServeTest, RefusesBodiesOverTheLimitWith413) {
  token();
  CordonServer server(db(), {"--body-limit-mib", "1"});
  HttpClient client = client_for(server);
  std::string batch;
  while (batch.size() < 1200 * 1024) batch += declaration("BIG-" + std::to_string(batch.size())) + "\n";
  Reply reply = client.post("/api/v1/declarations", batch, "application/x-ndjson");
  EXPECT_EQ(reply.status, 413);
  HttpClient fresh = client_for(server);
  EXPECT_EQ(json::parse(fresh.get("/api/v1/declarations").body)["items"].size(), 0u);
}

// The durability promise: what was acknowledged is on disk, even if the process dies at once.
TEST_F(ServeTest, AcknowledgedDeclarationsSurviveSigkill) {
  std::set<int64_t> acknowledged;
  std::mutex mutex;
  token();
  {
    CordonServer server(db());
    std::atomic<bool> stop{false};
    std::vector<std::thread> writers;
    for (int w = 0; w < 4; ++w) {
      writers.emplace_back([&, w] {
        try {
          HttpClient client = client_for(server);
          for (int i = 0; !stop; ++i) {
            Reply r = client.post("/api/v1/declarations", declaration("K" + std::to_string(w) + "-" + std::to_string(i)));
            if (r.status != 201) break;
            std::lock_guard lock(mutex);
            acknowledged.insert(json::parse(r.body)["id"].get<int64_t>());
          }
        } catch (const std::exception&) {
          // The connection dies with the server: expected.
        }
      });
    }
    // Let writes flow, then kill the server in the middle of them.
    while (true) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      std::lock_guard lock(mutex);
      if (acknowledged.size() >= 200) break;
    }
    server.process().signal(SIGKILL);
    stop = true;
    for (auto& t : writers) t.join();
  }
  ASSERT_GE(acknowledged.size(), 200u);
  CordonServer restarted(db());
  HttpClient client = client_for(restarted);
  for (int64_t id : acknowledged) {
    ASSERT_EQ(client.get("/api/v1/declarations/" + std::to_string(id)).status, 200) << "lost declaration " << id;
  }
}

TEST_F(ServeTest, SigtermFinishesTheRequestInFlight) {
  token();
  CordonServer server(db());
  std::string batch;
  for (int i = 0; i < 3000; ++i) batch += declaration("T-" + std::to_string(i)) + "\n";
  Reply reply;
  HttpClient client = client_for(server);  // connected before the signal can close the listener
  std::thread sender([&] { reply = client.post("/api/v1/declarations", batch, "application/x-ndjson"); });
  // Wait until the batch is being handled: the metrics request counts itself, so at least two
  // in flight, seen twice in a row (the previous poll's own decrement may lag its reply).
  HttpClient observer = client_for(server);
  int seen = 0;
  for (int tries = 0; tries < 1000 && seen < 2; ++tries) {
    std::string metrics = observer.get("/metrics").body;
    auto at = metrics.find("\ncordon_http_requests_in_flight ");
    seen = at != std::string::npos && std::stod(metrics.substr(at + 32)) >= 2 ? seen + 1 : 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  server.process().signal(SIGTERM);
  sender.join();
  EXPECT_EQ(server.process().wait(std::chrono::seconds(30)), 0);
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(reply.header("X-Cordon-Stored"), "3000");
}

}  // namespace
}  // namespace cordon::testing
