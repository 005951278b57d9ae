#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <set>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../support/test_data.h"
#include "assessment/intake.h"
#include "assessment/pipeline.h"
#include "assessment/profiles.h"
#include "store/sqlite/sqlite_risk_store.h"
#include "store/sqlite/sqlite_store.h"

namespace cordon::assessment {
namespace {

using nlohmann::json;

class RiskPipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cordon-risk-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    store_ = std::move(*store::open_sqlite_store(dir_ / "cordon.db"));
    risk_ = std::move(*store::open_sqlite_risk_store(dir_ / "cordon.db"));
    sample_ = json::parse(testing::read_test_file("declaration_sea.json"));
    for (const char* name : {"ann", "bob"}) {
      store::User u;
      u.username = name;
      u.password_hash = "x";
      u.roles = {"risk_analyst"};
      ASSERT_TRUE(store_->create_user(u));
    }
    store::User officer;
    officer.username = "olga";
    officer.password_hash = "x";
    officer.roles = {"targeting_officer"};
    ASSERT_TRUE(store_->create_user(officer));
    PipelineSettings settings;
    settings.capacity.red_per_day = 100;
    settings.capacity.random_share = 0;
    pipeline_ = std::make_unique<Pipeline>(*store_, *risk_, settings);
    ASSERT_TRUE(pipeline_->load());
  }
  void TearDown() override {
    pipeline_.reset();
    risk_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::string with_reference(const std::string& reference) {
    json doc = sample_;
    doc["reference"] = reference;
    return doc.dump();
  }

  void activate(ProfileService& profiles, const std::string& id, const std::string& source,
                const std::string& channel = "red") {
    auto saved = profiles.save(id, source, {{"title", id}, {"minimum_channel", channel}, {"weight", 2}}, "ann");
    ASSERT_TRUE(saved) << saved.error().message << rules::to_string(saved.error().diagnostics);
    ASSERT_TRUE(profiles.propose(id, saved->version, "ann"));
    ASSERT_TRUE(profiles.approve(id, saved->version, "bob"));
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<store::RiskStore> risk_;
  std::unique_ptr<Pipeline> pipeline_;
  json sample_;
};

TEST_F(RiskPipelineTest, ProfilesNeedTwoAnalystsAndCompileBeforeTheyAreStored) {
  ProfileService profiles(*store_, *risk_, pipeline_.get());
  auto bad = profiles.save("P-1", "goods.exists(g, g.hss == \"85\")", json::object(), "ann");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind, ProfileError::Kind::kInvalid);
  ASSERT_FALSE(bad.error().diagnostics.empty());
  EXPECT_EQ(bad.error().diagnostics[0].line, 1);
  EXPECT_GT(bad.error().diagnostics[0].column, 1);

  auto officer = profiles.save("P-1", "mode == \"sea\"", json::object(), "olga");
  ASSERT_FALSE(officer);
  EXPECT_EQ(officer.error().kind, ProfileError::Kind::kForbidden);

  auto saved = profiles.save("P-1", "mode == \"sea\"", json::object(), "ann");
  ASSERT_TRUE(saved);
  EXPECT_EQ(saved->version, 1);
  ASSERT_TRUE(profiles.propose("P-1", 1, "ann"));
  auto self = profiles.approve("P-1", 1, "ann");
  ASSERT_FALSE(self);
  EXPECT_EQ(self.error().kind, ProfileError::Kind::kForbidden);
  ASSERT_TRUE(profiles.approve("P-1", 1, "bob"));
  EXPECT_EQ(pipeline_->rule_set()->size(), 1u);

  auto v2 = profiles.save("P-1", "mode == \"air\"", json::object(), "bob");
  ASSERT_TRUE(v2);
  EXPECT_EQ(v2->version, 2);
  EXPECT_EQ(risk_->get_profile("P-1", 1)->status, "active");  // until v2 is approved
  ASSERT_TRUE(profiles.deactivate("P-1", "bob"));
  EXPECT_EQ(pipeline_->rule_set()->size(), 0u);

  auto audit = store_->list_audit(0, 100);
  int profile_changes = 0;
  for (const auto& e : *audit) profile_changes += e.action.rfind("profiles.", 0) == 0 ? 1 : 0;
  EXPECT_EQ(profile_changes, 5);  // save, propose, approve, save, deactivate
}

TEST_F(RiskPipelineTest, IntakeAssessesLogsAndAcknowledgesWithTheChannel) {
  ProfileService profiles(*store_, *risk_, pipeline_.get());
  activate(profiles, "ELEC-1", "goods.exists(g, g.hs.startsWith(\"8517\")) && pair.novel");
  Intake intake(*store_, nullptr, pipeline_.get());
  auto first = intake.submit(with_reference("R-1"), "t");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->channel, "red");  // a pair never seen before
  auto second = intake.submit(with_reference("R-2"), "t");
  EXPECT_EQ(second->channel, "green");  // the pair is known now

  auto decisions = risk_->decisions_for(first->id);
  ASSERT_EQ(decisions->size(), 1u);
  json body = json::parse((*decisions)[0].body_json);
  EXPECT_EQ(body["channel"], "red");
  EXPECT_EQ(body["profiles"][0]["id"], "ELEC-1");
  EXPECT_EQ(body["profiles"][0]["version"], 1);
  EXPECT_TRUE(body["versions"].contains("rule_set"));
  EXPECT_EQ((*store_->get_assessment(first->id))->channel, "red");
  // The assessment's reasons are the decision entry's body, stored once: the assessments row
  // points at the entry.
  EXPECT_EQ((*store_->get_assessment(first->id))->reasons_json, (*decisions)[0].body_json);
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir_ / "cordon.db").c_str(), &db), SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT length(reasons), decision_seq FROM assessments WHERE declaration_id = ?1",
                                 -1, &s, nullptr),
              SQLITE_OK);
    sqlite3_bind_int64(s, 1, first->id);
    ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
    EXPECT_EQ(sqlite3_column_int(s, 0), 0);
    EXPECT_EQ(sqlite3_column_int64(s, 1), (*decisions)[0].seq);
    sqlite3_finalize(s);
    sqlite3_close(db);
  }

  // A resent duplicate keeps its decision and adds no entry.
  auto again = intake.submit(with_reference("R-1"), "t");
  EXPECT_EQ(again->channel, "red");
  EXPECT_EQ(risk_->decisions_for(first->id)->size(), 1u);

  // Control result and performance.
  store::ControlResult control;
  control.declaration_id = first->id;
  control.irregularity = true;
  control.category = "undervaluation";
  control.seizure_reference = "SZ-1";
  control.recorded_by = "olga";
  ASSERT_TRUE(pipeline_->record_control(control));
  auto perf = pipeline_->performance("ELEC-1");
  ASSERT_TRUE(perf);
  EXPECT_EQ(perf->selections, 1);
  EXPECT_EQ(perf->red, 1);
  EXPECT_EQ(perf->controlled, 1);
  EXPECT_EQ(perf->irregular, 1);
  EXPECT_EQ(perf->seizures, 1);
  EXPECT_DOUBLE_EQ(perf->hit_rate, 1.0);

  // Override with a reason.
  EXPECT_FALSE(pipeline_->record_override(second->id, {selection::Channel::kRed, "", "olga"}));
  ASSERT_TRUE(pipeline_->record_override(second->id, {selection::Channel::kRed, "tip-off", "olga"}));
  EXPECT_EQ((*store_->get_assessment(second->id))->channel, "red");
  // An overridden assessment keeps its own reasons, with the override in them.
  EXPECT_EQ(json::parse((*store_->get_assessment(second->id))->reasons_json)["override"]["reason"], "tip-off");

  auto verified = risk_->verify_decision_log();
  ASSERT_TRUE(verified);
  EXPECT_TRUE(verified->ok) << verified->problem;
  EXPECT_EQ(verified->entries, 4);
}

TEST_F(RiskPipelineTest, FeaturesComeOnlyFromEarlierDeclarations) {
  Intake intake(*store_, nullptr, pipeline_.get());
  ASSERT_TRUE(intake.submit(with_reference("F-1"), "t"));
  auto stored = store_->get_declaration(1);
  ASSERT_TRUE(stored);
  const Declaration& d = stored->declaration;
  rules::Facts facts(d);
  pipeline_->features().fill(d, facts);
  // The index has seen F-1 once now: its consignee has one declaration before any next one.
  EXPECT_EQ(facts.party(PartyRole::kConsignee).declarations_seen, 1.0);
  EXPECT_EQ(facts.pair.novel, false);

  // The decision of F-1 itself was taken with nothing seen before it.
  json body = json::parse((*risk_->decisions_for(1))[0].body_json);
  EXPECT_EQ(body["features"]["consignee.declarations_seen"], 0.0);
  EXPECT_EQ(body["features"]["pair.novel"], true);
}

TEST_F(RiskPipelineTest, BacktestReportsSelectionsAndControlResults) {
  Intake intake(*store_, nullptr, pipeline_.get());
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(intake.submit(with_reference("B-" + std::to_string(i)), "t"));
  store::ControlResult control;
  control.declaration_id = 1;
  control.irregularity = true;
  control.recorded_by = "olga";
  ASSERT_TRUE(pipeline_->record_control(control));
  control.declaration_id = 2;
  control.irregularity = false;
  ASSERT_TRUE(pipeline_->record_control(control));
  auto profile = rules::compile_profile("mode == \"sea\"", {.id = "DRAFT"});
  ASSERT_TRUE(profile);
  auto report = pipeline_->backtest(*profile, "2026-01-01", "2026-12-31");
  ASSERT_TRUE(report);
  EXPECT_EQ(report->declarations, 4);
  EXPECT_EQ(report->selected, 4);
  EXPECT_EQ(report->controlled, 2);
  EXPECT_EQ(report->irregular, 1);
  EXPECT_DOUBLE_EQ(report->hit_rate, 0.5);
  auto none = pipeline_->backtest(*profile, "2027-01-01", "");
  EXPECT_EQ(none->declarations, 0);
}

TEST_F(RiskPipelineTest, VerifyFindsAHandEditedAndADeletedEntry) {
  std::vector<store::DecisionEntry> entries;
  for (int i = 1; i <= 5; ++i) entries.push_back({0, i, "assessment", {}, R"({"channel":"green"})", {}, {}});
  ASSERT_TRUE(risk_->append_decisions(entries));
  EXPECT_TRUE(risk_->verify_decision_log()->ok);

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "cordon.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, R"(UPDATE decision_log SET body_json = '{"channel":"red"}' WHERE seq = 3)", nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
  auto altered = risk_->verify_decision_log();
  EXPECT_FALSE(altered->ok);
  EXPECT_EQ(altered->bad_seq, 3);
  EXPECT_NE(altered->problem.find("entry 3"), std::string::npos);

  ASSERT_EQ(sqlite3_exec(db, R"(UPDATE decision_log SET body_json = '{"channel":"green"}' WHERE seq = 3)", nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
  EXPECT_TRUE(risk_->verify_decision_log()->ok);
  ASSERT_EQ(sqlite3_exec(db, "DELETE FROM decision_log WHERE seq = 5", nullptr, nullptr, nullptr), SQLITE_OK);
  auto deleted = risk_->verify_decision_log();
  EXPECT_FALSE(deleted->ok);
  ASSERT_EQ(sqlite3_exec(db, "DELETE FROM decision_log WHERE seq = 2", nullptr, nullptr, nullptr), SQLITE_OK);
  deleted = risk_->verify_decision_log();
  EXPECT_FALSE(deleted->ok);
  EXPECT_EQ(deleted->bad_seq, 2);
  sqlite3_close(db);
}

// Decision entries from many threads at once are group-committed: every caller's entries are
// written, each once, chained in one unbroken sequence.
TEST_F(RiskPipelineTest, ConcurrentDecisionsAreGroupCommittedIntoOneChain) {
  constexpr int kThreads = 8, kPerThread = 40;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        std::vector<store::DecisionEntry> entries{
            {0, int64_t{t} * 1000 + i, "assessment", {}, R"({"channel":"green"})", {}, {}}};
        if (!risk_->append_decisions(entries) || entries[0].seq <= 0 || entries[0].hash.empty()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  auto verified = risk_->verify_decision_log();
  ASSERT_TRUE(verified);
  EXPECT_TRUE(verified->ok) << verified->problem;
  EXPECT_EQ(verified->entries, kThreads * kPerThread);
  auto listed = risk_->list_decisions(0, kThreads * kPerThread + 10);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), static_cast<std::size_t>(kThreads * kPerThread));
  std::set<int64_t> declarations;
  for (std::size_t k = 0; k < listed->size(); ++k) {
    EXPECT_EQ((*listed)[k].seq, static_cast<int64_t>(k + 1));
    declarations.insert((*listed)[k].declaration_id);
  }
  EXPECT_EQ(declarations.size(), static_cast<std::size_t>(kThreads * kPerThread));  // each caller's entry, once
}

}  // namespace
}  // namespace cordon::assessment
