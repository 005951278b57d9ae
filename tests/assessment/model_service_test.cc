// The learned score's life cycle on a real SQLite store: training from stored declarations and
// control results (deterministic, time-ordered, metrics on random controls), the registry's
// activation and rollback reloading the pipeline, and the weekly drift report.
#include <filesystem>
#include <random>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "assessment/model_service.h"
#include "assessment/pipeline.h"
#include "store/sqlite/sqlite_risk_store.h"
#include "store/sqlite/sqlite_store.h"

namespace cordon::assessment {
namespace {

using nlohmann::json;

class ModelServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("cordon-model-test-" + std::to_string(::getpid()) + "-" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    store_ = std::move(*store::open_sqlite_store(dir_ / "cordon.db"));
    risk_ = std::move(*store::open_sqlite_risk_store(dir_ / "cordon.db"));
    PipelineSettings settings;
    settings.capacity.red_per_day = 5;
    settings.capacity.random_share = 0.2;
    pipeline_ = std::make_unique<Pipeline>(*store_, *risk_, settings);
    ASSERT_TRUE(pipeline_->load());
    models_ = std::make_unique<ModelService>(*store_, *risk_, pipeline_.get());
  }
  void TearDown() override {
    models_.reset();
    pipeline_.reset();
    risk_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // `n` declarations over 28 days through the pipeline; "Shady" consignees and cheap goods are
  // irregular; every third one is controlled, at random.
  void populate(int n) {
    std::mt19937 rng(5);
    const char* consignees[] = {"Acme", "Borg", "Shady", "Delta", "Echo", "Fox"};
    std::vector<store::NewDeclaration> batch;
    std::vector<bool> irregular;
    for (int i = 0; i < n; ++i) {
      Declaration d;
      d.reference = fmt::format("M{}", i);
      d.kind = DeclarationKind::kImport;
      d.declarant.name = "Broker";
      d.declarant.eori = "NL123456789";
      d.office_of_first_entry = "NL000396";
      d.lodged_at = fmt::format("2026-02-{:02}T{:02}:00:00Z", 1 + i * 28 / n, 8 + i % 10);
      std::string c = consignees[rng() % 6];
      Party consignee{PartyRole::kConsignee, c, {}, {{}, {}, {}, "NL"}, {}, {}};
      d.parties.push_back(consignee);
      double mass = 100 + rng() % 500;
      bool cheap = rng() % 6 == 0;
      GoodsItem g;
      g.hs_code = rng() % 2 ? "850440" : "610910";
      g.origin_country = "CN";
      g.gross_mass_kg = mass;
      g.value = {(cheap ? 1.0 : 30.0) * mass, "EUR"};
      d.goods.push_back(g);
      batch.push_back({d, static_cast<uint64_t>(i + 1), {}});
      irregular.push_back(c == "Shady" || cheap);
    }
    auto inserted = store_->insert_declarations(batch);
    ASSERT_TRUE(inserted);
    std::vector<Declaration> stored;
    for (size_t i = 0; i < batch.size(); ++i) {
      batch[i].declaration.id = (*inserted)[i].id;
      stored.push_back(batch[i].declaration);
    }
    ASSERT_TRUE(pipeline_->assess(stored));
    std::vector<store::ControlResult> controls;
    for (size_t i = 0; i < stored.size(); i += 3) {
      store::ControlResult r;
      r.declaration_id = stored[i].id;
      r.irregularity = irregular[i];
      r.recorded_by = "test";
      r.random = true;
      controls.push_back(r);
    }
    ASSERT_TRUE(pipeline_->record_controls(controls));
  }

  TrainOptions options() {
    TrainOptions o;
    o.actor = "ann";
    o.params.rounds = 30;
    o.params.max_depth = 3;
    o.params.threads = 1;
    return o;
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<store::RiskStore> risk_;
  std::unique_ptr<Pipeline> pipeline_;
  std::unique_ptr<ModelService> models_;
};

TEST_F(ModelServiceTest, TrainsDeterministicallyWithHeldOutMetricsOnRandomControls) {
  populate(600);
  auto a = models_->train(options());
  ASSERT_TRUE(a) << a.error().message;
  auto b = models_->train(options());
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_EQ(a->version, 1);
  EXPECT_EQ(b->version, 2);
  EXPECT_EQ(a->controlled, 200);
  EXPECT_EQ(a->test_rows, 40);
  EXPECT_EQ(a->test_random.rows, 40);  // every control was random
  EXPECT_GT(a->test.auc, 0.7);
  EXPECT_EQ(risk_->get_model(1)->model_json, risk_->get_model(2)->model_json);
  json metrics = json::parse(risk_->get_model(1)->metrics_json);
  EXPECT_EQ(metrics["selection_bias"], "inverse_propensity_weights");
  EXPECT_EQ(metrics["test"]["at"].size(), 4u);
  EXPECT_EQ(risk_->get_model(1)->status, "candidate");
  // A period without controls cannot train.
  TrainOptions none = options();
  none.from = "2027-01-01";
  auto refused = models_->train(none);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, ModelErrorKind::kInvalid);
}

TEST_F(ModelServiceTest, ActivationAndRollbackSwapThePipelinesModel) {
  populate(300);
  ASSERT_TRUE(models_->train(options()));
  ASSERT_TRUE(models_->train(options()));
  EXPECT_EQ(pipeline_->model().model, nullptr);
  EXPECT_EQ(models_->rollback("bob").error().kind, ModelErrorKind::kConflict);  // nothing to roll back to

  auto first = models_->activate(1, "bob");
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->previous, 0);
  EXPECT_EQ(pipeline_->model().version, 1);
  EXPECT_EQ(models_->activate(1, "bob").error().kind, ModelErrorKind::kConflict);  // already active
  EXPECT_EQ(models_->activate(9, "bob").error().kind, ModelErrorKind::kNotFound);

  auto second = models_->activate(2, "carol");
  ASSERT_TRUE(second);
  EXPECT_EQ(second->previous, 1);
  EXPECT_EQ(pipeline_->model().version, 2);
  EXPECT_EQ(risk_->get_model(1)->status, "retired");

  auto back = models_->rollback("dave");
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->version, 1);
  EXPECT_EQ(back->previous, 2);
  EXPECT_EQ(back->action, "rollback");
  EXPECT_EQ(pipeline_->model().version, 1);
  EXPECT_EQ(risk_->active_model()->value().version, 1);
  auto events = risk_->model_events();
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 3u);
  EXPECT_EQ((*events)[2].actor, "dave");

  // A fresh pipeline (a restart) loads the active version from the registry.
  Pipeline restarted(*store_, *risk_, {});
  ASSERT_TRUE(restarted.load());
  EXPECT_EQ(restarted.model().version, 1);
}

TEST_F(ModelServiceTest, DecisionsCarryTheModelAndDriftIsReportedWeekly) {
  populate(600);
  ASSERT_TRUE(models_->train(options()));
  ASSERT_TRUE(models_->activate(1, "bob"));
  Declaration d;
  d.reference = "LATE-1";
  d.declarant.eori = "NL123456789";
  d.office_of_first_entry = "NL000396";
  d.lodged_at = "2026-03-02T10:00:00Z";
  d.parties.push_back({PartyRole::kConsignee, "Shady", {}, {{}, {}, {}, "NL"}, {}, {}});
  GoodsItem g;
  g.hs_code = "850440";
  g.origin_country = "CN";
  g.gross_mass_kg = 100;
  g.value = {100, "EUR"};
  d.goods.push_back(g);
  std::vector<store::NewDeclaration> batch{{d, 99999, {}}};
  auto inserted = store_->insert_declarations(batch);
  ASSERT_TRUE(inserted);
  d.id = (*inserted)[0].id;
  auto decided = pipeline_->assess(std::vector<Declaration>{d});
  ASSERT_TRUE(decided);
  ASSERT_TRUE((*decided)[0].probability);
  auto entries = risk_->decisions_for(d.id);
  ASSERT_TRUE(entries);
  json body = json::parse(entries->back().body_json);
  EXPECT_EQ(body["model"]["version"], 1);
  EXPECT_FALSE(body["model"]["explanation"].empty());
  EXPECT_TRUE(body.contains("explored"));
  EXPECT_TRUE(body.contains("released"));

  auto drift = models_->drift({});
  ASSERT_TRUE(drift) << drift.error().message;
  ASSERT_FALSE(drift->weeks.empty());
  int64_t random_controls = 0;
  for (const auto& w : drift->weeks) random_controls += w.random_controlled;
  EXPECT_EQ(random_controls, 200);
  EXPECT_FALSE(drift->message.empty());
}

TEST_F(ModelServiceTest, DriftAlertsWhenTheLatestWeeksPrecisionFalls) {
  // Five weeks of 20 risk selections each, all controlled: 15 irregular a week, then 5 in the
  // last week; plus random and explored controls, which are not judged as selections.
  std::vector<store::DecisionEntry> entries;
  std::vector<store::ControlResult> controls;
  int64_t id = 1000;
  for (int week = 0; week < 5; ++week) {
    std::string day = fmt::format("2026-03-{:02}", 2 + 7 * week);  // Mondays
    for (int i = 0; i < 22; ++i, ++id) {
      bool random = i == 20, explored = i == 21;
      json body = {{"channel", "red"}, {"random", random}, {"explored", explored}, {"capacity", {{"day", day}}}};
      entries.push_back({0, id, "assessment", {}, body.dump(), {}, {}});
      store::ControlResult c;
      c.declaration_id = id;
      c.irregularity = random || explored ? false : i < (week < 4 ? 15 : 5);
      c.recorded_by = "test";
      controls.push_back(c);
    }
  }
  ASSERT_TRUE(risk_->append_decisions(entries));
  ASSERT_TRUE(risk_->add_control_results(controls));
  auto report = models_->drift({});
  ASSERT_TRUE(report) << report.error().message;
  ASSERT_EQ(report->weeks.size(), 5u);
  EXPECT_EQ(report->weeks[0].week, "2026-03-02");
  EXPECT_EQ(report->weeks[0].selected, 20);
  EXPECT_EQ(report->weeks[0].controlled, 20);
  EXPECT_DOUBLE_EQ(report->weeks[0].precision, 0.75);
  EXPECT_EQ(report->weeks[0].random_controlled, 1);
  EXPECT_DOUBLE_EQ(report->weeks[4].precision, 0.25);
  EXPECT_DOUBLE_EQ(report->baseline, 0.75);
  EXPECT_TRUE(report->alert) << report->message;

  // Fewer weeks shown: still judged on the latest one. A lower alert ratio tolerates the fall.
  DriftOptions four;
  four.weeks = 4;
  auto shorter = models_->drift(four);
  ASSERT_TRUE(shorter);
  EXPECT_EQ(shorter->weeks.size(), 4u);
  EXPECT_TRUE(shorter->alert);
  DriftOptions lenient;
  lenient.alert_ratio = 0.3;
  EXPECT_FALSE(models_->drift(lenient)->alert);
}

}  // namespace
}  // namespace cordon::assessment
