// Screening through the real server: lists imported by API, declarations screened on intake,
// re-screening when a list changes, ad-hoc queries, refusals, reviewed false positives.
#include <filesystem>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../support/cordon_process.h"
#include "../support/http_client.h"
#include "../support/test_data.h"

namespace cordon::testing {
namespace {

using nlohmann::json;
using boost::beast::http::verb;

class ScreeningTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cordon-screening-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    token_ = create_user_with_token(dir_ / "cordon.db", "analyst", {"risk_analyst", "submitter"});
    server_ = std::make_unique<CordonServer>(dir_ / "cordon.db");
    client_ = std::make_unique<HttpClient>(server_->port());
    client_->set_bearer(token_);
  }
  void TearDown() override {
    client_.reset();
    server_.reset();
    std::filesystem::remove_all(dir_);
  }

  // A declaration lodged now (inside the re-screening window) with the given consignee.
  std::string declaration(const std::string& reference, const std::string& consignee) {
    json doc = json::parse(read_test_file("declaration_sea.json"));
    doc["reference"] = reference;
    doc.erase("lodged_at");
    doc["parties"][1]["name"] = consignee;
    return doc.dump();
  }

  json put_list(const std::string& list, const std::string& ndjson, int expected_status = 200) {
    Reply r = client_->request(verb::put, "/api/v1/watchlists/" + list + "?format=cordon-ndjson", ndjson);
    EXPECT_EQ(r.status, expected_status) << r.body;
    return json::parse(r.body);
  }

  std::filesystem::path dir_;
  std::string token_;
  std::unique_ptr<CordonServer> server_;
  std::unique_ptr<HttpClient> client_;
};

const char* kPerson =
    R"({"id":"P-1","type":"person","name":"Ivan Petrovich Sidorov","aliases":["Иван Петрович Сидоров"],"nationalities":["RU"],"instruction":"Stop and inform the police","programme":"SIS art. 36"})";
const char* kContainer = R"({"id":"C-1","type":"container","identifiers":[{"type":"container","value":"CSQU3054383"}],"instruction":"Examine the container"})";

TEST_F(ScreeningTest, DeclarationsAreScreenedOnIntakeWithExplainedHits) {
  json report = put_list("LT-SIS", std::string(kPerson) + "\n");
  EXPECT_EQ(report["version"], 1);
  EXPECT_EQ(report["added"], 1);
  Reply created = client_->post("/api/v1/declarations", declaration("S-1", "SIDOROV Ivan"));
  ASSERT_EQ(created.status, 201) << created.body;
  int64_t id = json::parse(created.body)["id"];
  json hits = json::parse(client_->get("/api/v1/declarations/" + std::to_string(id) + "/hits").body)["items"];
  ASSERT_EQ(hits.size(), 1u) << hits.dump();
  EXPECT_EQ(hits[0]["path"], "parties[1].name");
  EXPECT_EQ(hits[0]["list"], "LT-SIS");
  EXPECT_EQ(hits[0]["entity_id"], "P-1");
  EXPECT_GE(hits[0]["score"].get<double>(), 0.84);
  EXPECT_FALSE(hits[0]["explanation"].get<std::string>().empty());
  EXPECT_EQ(hits[0]["entity"]["instruction"], "Stop and inform the police");

  Reply innocent = client_->post("/api/v1/declarations", declaration("S-2", "Van der Berg Handel B.V."));
  int64_t innocent_id = json::parse(innocent.body)["id"];
  EXPECT_EQ(json::parse(client_->get("/api/v1/declarations/" + std::to_string(innocent_id) + "/hits").body)["items"].size(), 0u);

  // The list shows how many hits each declaration has (the console's risk column).
  json listed = json::parse(client_->get("/api/v1/declarations?reference=S-1").body)["items"];
  ASSERT_EQ(listed.size(), 1u) << listed.dump();
  EXPECT_EQ(listed[0]["hit_count"], 1);
  EXPECT_TRUE(listed[0].contains("score"));
  EXPECT_EQ(json::parse(client_->get("/api/v1/declarations?reference=S-2").body)["items"][0]["hit_count"], 0);
}

TEST_F(ScreeningTest, ListChangeRescreensRecentDeclarationsAgainstChangedEntriesOnly) {
  put_list("LT-SIS", std::string(kPerson) + "\n");
  Reply created = client_->post("/api/v1/declarations", declaration("R-1", "Sidorov Ivan Petrovich"));
  int64_t id = json::parse(created.body)["id"];
  json report = put_list("LT-SIS", std::string(kPerson) + "\n" + kContainer + "\n");
  EXPECT_EQ(report["version"], 2);
  EXPECT_EQ(report["added"], 1);
  EXPECT_EQ(report["rescreened_declarations"], 1);
  EXPECT_EQ(report["new_hits"], 1) << "only the new container entry may raise a new hit";
  json hits = json::parse(client_->get("/api/v1/declarations/" + std::to_string(id) + "/hits").body)["items"];
  ASSERT_EQ(hits.size(), 2u);
  bool container_hit = false;
  for (const auto& h : hits) {
    if (h["entity_id"] == "C-1") {
      container_hit = true;
      EXPECT_EQ(h["raised_by"], "rescreen:LT-SIS@2");
    }
  }
  EXPECT_TRUE(container_hit);
}

TEST_F(ScreeningTest, MalformedListIsRefusedAndTheActiveListStays) {
  put_list("LT-SIS", std::string(kPerson) + "\n");
  json refused = put_list("LT-SIS", std::string(kPerson) + "\n{\"id\":\"X\",\"type\":\"spaceship\"}\n", 422);
  EXPECT_EQ(refused["errors"][0]["path"], "line 2");
  json lists = json::parse(client_->get("/api/v1/watchlists").body);
  ASSERT_EQ(lists["lists"].size(), 1u);
  EXPECT_EQ(lists["lists"][0]["version"], 1);
  EXPECT_EQ(lists["lists"][0]["entity_count"], 1);
}

TEST_F(ScreeningTest, AdHocQueriesAndReviewedFalsePositives) {
  put_list("LT-SIS", std::string(kPerson) + "\n");
  Reply screened = client_->post("/api/v1/screen", R"({"name":"Ivan Sidorov","type":"person","country":"RU"})");
  ASSERT_EQ(screened.status, 200) << screened.body;
  json hits = json::parse(screened.body)["hits"];
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0]["entity_id"], "P-1");
  EXPECT_EQ(client_->post("/api/v1/screen", R"({"country":"RU"})").status, 422);

  // The analyst reviews the hit as a false positive: the same pair is not raised again.
  Reply reviewed = client_->post("/api/v1/screening/reviewed-false-positives",
                                 json({{"list", "LT-SIS"}, {"entity_id", "P-1"}, {"query_value", hits[0]["query_value"]}}).dump());
  ASSERT_EQ(reviewed.status, 201) << reviewed.body;
  EXPECT_EQ(json::parse(client_->post("/api/v1/screen", R"({"name":"Ivan Sidorov","type":"person"})").body)["hits"].size(), 0u);

  // Exclusions: values too generic to match.
  ASSERT_EQ(client_->post("/api/v1/screening/exclusions", R"({"value":"Ivan Sidorov"})").status, 201);
  EXPECT_NE(client_->get("/api/v1/screening/exclusions").body.find("SIDOROV"), std::string::npos);
}

}  // namespace
}  // namespace cordon::testing
