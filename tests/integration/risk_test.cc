// The risk pipeline end to end on the real binary: `cordon import` assesses and logs, the API
// serves decisions, control results, profiles (with 422 positions and four-eyes) and
// performance, and `cordon audit verify` finds a row hand-edited with sqlite3.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../support/cordon_process.h"
#include "../support/http_client.h"
#include "../support/test_data.h"

namespace cordon::testing {
namespace {

using nlohmann::json;
namespace http = boost::beast::http;

struct CliRun {
  int exit_code = -1;
  std::string out;
};

CliRun run(const std::vector<std::string>& args) {
  std::vector<std::string> full{CORDON_BINARY};
  full.insert(full.end(), args.begin(), args.end());
  ChildProcess child(full);
  CliRun r;
  while (auto line = child.read_line(std::chrono::seconds(60))) r.out += *line + "\n";
  r.exit_code = child.wait(std::chrono::seconds(60)).value_or(-1);
  return r;
}

class RiskTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("cordon-risk-it-" + std::to_string(::getpid()) + "-" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = dir_ / "cordon.db";
    json sample = json::parse(read_test_file("declaration_sea.json"));
    std::ofstream out(dir_ / "declarations.ndjson");
    for (int i = 1; i <= 5; ++i) {
      sample["reference"] = "RISK-" + std::to_string(i);
      out << sample.dump() << "\n";
    }
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_, db_;
};

TEST_F(RiskTest, ImportLogsDecisionsAndVerifyFindsAHandEditedRow) {
  CliRun imported = run({"import", "declarations", (dir_ / "declarations.ndjson").string(), "--db", db_.string()});
  ASSERT_EQ(imported.exit_code, 0) << imported.out;
  CliRun intact = run({"audit", "verify", "--db", db_.string()});
  EXPECT_EQ(intact.exit_code, 0) << intact.out;
  EXPECT_NE(intact.out.find("intact: 5 entries"), std::string::npos) << intact.out;

  {
    ChildProcess edit({"/usr/bin/sqlite3", db_.string(),
                       "UPDATE decision_log SET body_json = replace(body_json, '\"green\"', '\"red\"') WHERE seq = 3"});
    ASSERT_EQ(edit.wait(std::chrono::seconds(30)), 0);
  }
  CliRun tampered = run({"audit", "verify", "--db", db_.string()});
  EXPECT_EQ(tampered.exit_code, 1) << tampered.out;
  EXPECT_NE(tampered.out.find("TAMPERED at entry 3"), std::string::npos) << tampered.out;
}

TEST_F(RiskTest, ApiServesDecisionsControlResultsAndProfiles) {
  ASSERT_EQ(run({"import", "declarations", (dir_ / "declarations.ndjson").string(), "--db", db_.string()}).exit_code, 0);
  std::string ann = create_user_with_token(db_, "ann", {"risk_analyst"});
  std::string bob = create_user_with_token(db_, "bob", {"risk_analyst"});
  std::string olga = create_user_with_token(db_, "olga", {"targeting_officer"});
  CordonServer server(db_);
  HttpClient client(server.port());

  client.set_bearer(olga);
  Reply decision = client.request(http::verb::get, "/api/v1/declarations/1/decision");
  ASSERT_EQ(decision.status, 200) << decision.body;
  json d = json::parse(decision.body);
  EXPECT_EQ(d["decision"]["channel"], "green");
  EXPECT_EQ(d["log"][0]["hash"].get<std::string>().size(), 64u);

  Reply bad = client.request(http::verb::post, "/api/v1/declarations/1/control-result", R"j({"outcome":"maybe"})j");
  EXPECT_EQ(bad.status, 422);
  Reply control = client.request(http::verb::post, "/api/v1/declarations/1/control-result",
                                 R"j({"outcome":"irregularity","category":"undervaluation","seizure_reference":"SZ-9"})j");
  EXPECT_EQ(control.status, 201) << control.body;
  Reply officer_profile = client.request(http::verb::post, "/api/v1/profiles", R"j({"id":"X","source":"mode == \"sea\""})j");
  EXPECT_EQ(officer_profile.status, 403);

  client.set_bearer(ann);
  Reply typo = client.request(http::verb::post, "/api/v1/profiles",
                              R"j({"id":"ELEC-1","source":"mode == \"sea\" &&\n  goods.exists(g, g.hss == \"8517\")"})j");
  ASSERT_EQ(typo.status, 422) << typo.body;
  EXPECT_TRUE(json::parse(typo.body)["errors"][0]["path"].get<std::string>().starts_with("source:2:")) << typo.body;
  EXPECT_EQ(json::parse(typo.body)["errors"][0]["message"], "unknown field g.hss (did you mean g.hs?)")
      << "the close names once, as the compiler wrote them";

  Reply created = client.request(http::verb::post, "/api/v1/profiles",
                                 R"j({"id":"ELEC-1","source":"goods.exists(g, g.hs.startsWith(\"8517\"))",
                                     "metadata":{"title":"Phones","minimum_channel":"red","weight":3}})j");
  ASSERT_EQ(created.status, 201) << created.body;
  Reply backtest = client.request(http::verb::post, "/api/v1/profiles/ELEC-1/backtest", R"j({"from":"2026-01-01"})j");
  ASSERT_EQ(backtest.status, 200) << backtest.body;
  json bt = json::parse(backtest.body);
  EXPECT_EQ(bt["selected"], 5);
  EXPECT_EQ(bt["controlled"], 1);
  EXPECT_EQ(bt["hit_rate"], 1.0);

  EXPECT_EQ(client.request(http::verb::post, "/api/v1/profiles/ELEC-1/versions/1/propose", "{}").status, 200);
  Reply self = client.request(http::verb::post, "/api/v1/profiles/ELEC-1/versions/1/approve", "{}");
  EXPECT_EQ(self.status, 403) << self.body;
  client.set_bearer(bob);
  Reply approved = client.request(http::verb::post, "/api/v1/profiles/ELEC-1/versions/1/approve", "{}");
  EXPECT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(json::parse(approved.body)["status"], "active");

  Reply perf = client.request(http::verb::get, "/api/v1/profiles/ELEC-1/performance");
  EXPECT_EQ(perf.status, 200) << perf.body;
}

}  // namespace
}  // namespace cordon::testing
