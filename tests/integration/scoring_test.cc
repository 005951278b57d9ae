// The learned score end to end on the real binary: a small simulated world is imported, its
// random controls recorded, a model trained and activated from the CLI; declarations imported
// afterwards carry the model's probability and SHAP explanation in their decisions, served by
// the API; the registry answers over HTTP; a malformed KCS line is refused with line and column.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../support/cordon_process.h"
#include "../support/http_client.h"

namespace cordon::testing {
namespace {

using nlohmann::json;
namespace http = boost::beast::http;

struct CliRun {
  int exit_code = -1;
  std::string out;
};

// Standard output and, after it, standard error.
CliRun run(const std::vector<std::string>& args) {
  std::vector<std::string> full{CORDON_BINARY};
  full.insert(full.end(), args.begin(), args.end());
  auto errors = std::filesystem::temp_directory_path() / ("cordon-scoring-it-stderr-" + std::to_string(::getpid()));
  CliRun r;
  {
    ChildProcess child(full, errors);
    while (auto line = child.read_line(std::chrono::seconds(120))) r.out += *line + "\n";
    r.exit_code = child.wait(std::chrono::seconds(120)).value_or(-1);
  }
  std::ifstream err(errors);
  for (std::string line; std::getline(err, line);) r.out += line + "\n";
  std::filesystem::remove(errors);
  return r;
}

class ScoringTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("cordon-scoring-it-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = (dir_ / "cordon.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
  std::string db_;
};

TEST_F(ScoringTest, TrainedModelExplainsEveryLaterDecision) {
  CliRun sim = run({"simulate", "--out", (dir_ / "world").string(), "--seed", "7", "--scale", "0.3"});
  ASSERT_EQ(sim.exit_code, 0) << sim.out;
  // The first 70 % of the month is history; the rest arrives after the model is active.
  std::ifstream in(dir_ / "world" / "declarations.ndjson");
  std::ofstream before(dir_ / "before.ndjson"), after(dir_ / "after.ndjson");
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  ASSERT_GT(lines.size(), 1000u);
  for (size_t i = 0; i < lines.size(); ++i) (i < lines.size() * 7 / 10 ? before : after) << lines[i] << "\n";
  before.close();
  after.close();

  ASSERT_EQ(
      run({"import", "declarations", (dir_ / "before.ndjson").string(), "--db", db_, "--sync", "normal"}).exit_code, 0);
  CliRun controls = run({"import", "controls", (dir_ / "world" / "controls.ndjson").string(), "--random", "--db", db_});
  ASSERT_EQ(controls.exit_code, 0) << controls.out;
  CliRun trained =
      run({"model", "train", "--as", "ann", "--rounds", "40", "--threads", "1", "--activate", "--db", db_});
  ASSERT_EQ(trained.exit_code, 0) << trained.out;
  EXPECT_NE(trained.out.find("model version 1 is active"), std::string::npos) << trained.out;
  EXPECT_NE(trained.out.find("held out, random only"), std::string::npos) << trained.out;
  ASSERT_EQ(
      run({"import", "declarations", (dir_ / "after.ndjson").string(), "--db", db_, "--sync", "normal"}).exit_code, 0);
  CliRun drift = run({"model", "drift", "--db", db_});
  EXPECT_NE(drift.out.find("week"), std::string::npos) << drift.out;

  std::string ann = create_user_with_token(db_, "ann", {"risk_analyst"});
  std::string olga = create_user_with_token(db_, "olga", {"targeting_officer"});
  CordonServer server(db_);
  HttpClient client(server.port());
  client.set_bearer(ann);
  // Every declaration imported after activation was scored and explained.
  int64_t first_after = static_cast<int64_t>(lines.size() * 7 / 10) + 1;
  for (int64_t id : {first_after, first_after + 17, static_cast<int64_t>(lines.size())}) {
    Reply decision = client.request(http::verb::get, "/api/v1/declarations/" + std::to_string(id) + "/decision");
    ASSERT_EQ(decision.status, 200) << decision.body;
    json model = json::parse(decision.body)["decision"]["model"];
    ASSERT_TRUE(model.is_object()) << decision.body;
    EXPECT_EQ(model["version"], 1);
    double p = model["probability"];
    EXPECT_GE(p, 0.0);
    EXPECT_LE(p, 1.0);
    ASSERT_TRUE(model["explanation"].is_array());
    ASSERT_FALSE(model["explanation"].empty()) << decision.body;
    EXPECT_TRUE(model["explanation"][0]["feature"].is_string());
    EXPECT_TRUE(model["explanation"][0]["contribution"].is_number());
  }
  // Declarations assessed before activation have none.
  Reply early = client.request(http::verb::get, "/api/v1/declarations/1/decision");
  ASSERT_EQ(early.status, 200);
  EXPECT_TRUE(json::parse(early.body)["decision"]["model"].is_null());

  Reply models = client.request(http::verb::get, "/api/v1/models");
  ASSERT_EQ(models.status, 200) << models.body;
  json m = json::parse(models.body);
  EXPECT_EQ(m["items"][0]["status"], "active");
  EXPECT_TRUE(m["items"][0]["metrics"]["test"].contains("auc"));
  Reply rollback = client.request(http::verb::post, "/api/v1/models/rollback", "{}");
  EXPECT_EQ(rollback.status, 409) << rollback.body;  // nothing was active before version 1
  Reply drift_api = client.request(http::verb::get, "/api/v1/models/drift?weeks=8");
  EXPECT_EQ(drift_api.status, 200) << drift_api.body;
  client.set_bearer(olga);
  EXPECT_EQ(client.request(http::verb::get, "/api/v1/models").status, 403);
}

TEST_F(ScoringTest, KcsImportRefusesAMalformedLineByLineAndColumn) {
  std::ofstream csv(dir_ / "kcs.csv");
  csv << "Declaration ID,Date,Office ID,Process Type,Import Type,Import Use,Payment Type,Mode of Transport,"
         "Declarant ID,Importer ID,Seller ID,Courier ID,HS6 Code,Country of Departure,Country of Origin,Tax Rate,"
         "Tax Type,Country of Origin Indicator,Net Mass,Item Price,Fraud,Critical Fraud\n"
      << "97061800,2020-01-01,30,B,11,21,11,10,ZZR1LT6,QLRUBN9,0VKY2BR,,440890,BE,BE,0.0,FEU1,G,108.0,372254.4,0,0\n"
      << "97061801,2020-01-02,30,B,11,21,11,10,ZZR1LT6,QLRUBN9,0VKY2BR,,44O890,BE,BE,0.0,FEU1,G,108.0,372254.4,1,1\n";
  csv.close();
  CliRun refused = run({"import", "kcs", (dir_ / "kcs.csv").string(), "--db", db_});
  EXPECT_EQ(refused.exit_code, 1) << refused.out;
  EXPECT_NE(refused.out.find("line 3, column 13 (HS6 Code)"), std::string::npos) << refused.out;
}

}  // namespace
}  // namespace cordon::testing
