// The learned score's life cycle (docs/scoring.md): training from stored declarations and their
// control results, the model registry (versions with their metrics, activation by an analyst,
// rollback), and the weekly drift report of selection precision.
//
//   ModelService models(store, risk, &pipeline);
//   auto report = models.train({.from = "2026-01-01", .actor = "ann"});  // a candidate version
//   models.activate(report->version, "bob");                              // the pipeline uses it
//   models.rollback("bob");                                              // back to the one before
//
// Training replays the stored declarations in lodged order through assess_features() — the
// pipeline's own code path — so each row holds only what was known before its declaration.
// The rows are the declarations with a control result in the period; the latest `test_share`
// of them (by lodged time) are held out and measured, on all of them and on the random controls
// alone. Rows are weighted by inverse propensity of being controlled (selection::
// inverse_propensity_weights), so targeted controls do not teach the model only what the
// profiles already look for.
//
// Thread-safety: train() may run while the pipeline assesses (it reads the store and builds
// its own aggregates); activate() and rollback() reload the pipeline's model atomically.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "assessment/pipeline.h"
#include "selection/scoring.h"
#include "store/risk_store.h"
#include "store/store.h"

namespace cordon::assessment {

struct TrainOptions {
  std::string from, to;     // lodged_at bounds of the training period; empty: unbounded
  double test_share = 0.2;  // the latest controls held out for the metrics, 0..0.9
  bool correct_selection_bias = true;
  selection::TrainParams params;
  std::string actor;  // the analyst; recorded with the version
};

struct SplitMetrics {
  int64_t rows = 0, irregular = 0;
  double auc = 0.5;
  std::vector<selection::RankPoint> at;  // at 1, 2, 5, 10 % inspected
};

struct TrainReport {
  int64_t version = 0;       // the registry version (a candidate)
  int64_t declarations = 0;  // replayed
  int64_t controlled = 0;    // in the period
  int64_t train_rows = 0, test_rows = 0;
  std::string split_at;            // lodged_at of the first held-out row
  SplitMetrics test, test_random;  // held out: all controls, random controls only
  double seconds = 0;
  std::string metrics_json;  // as stored in the registry
};

// One declaration of a replay: its features as of its time and what the profiles said.
struct ReplayRow {
  const Declaration* declaration = nullptr;
  const selection::FeatureRow* row = nullptr;
  const rules::RuleSetResult* rules = nullptr;
  double profile_score = 0;                       // fired weights + hit scores, as the pipeline's
  const store::ControlResult* control = nullptr;  // its control result, if any
};

struct DriftWeek {
  std::string week;                                     // Monday of the ISO week, "2026-03-02"
  int64_t selected = 0, controlled = 0, irregular = 0;  // risk selections (red, not random or explored)
  double precision = 0;
  int64_t random_controlled = 0, random_irregular = 0;  // the unbiased base rate
  double random_rate = 0;
};

struct DriftReport {
  std::vector<DriftWeek> weeks;  // oldest first
  bool alert = false;
  std::string message;  // why (or why not) there is an alert
  double baseline = 0;  // mean precision of the weeks before the latest
};

struct DriftOptions {
  int weeks = 12;            // reported
  double alert_ratio = 0.8;  // alert when the latest week falls below this share of the baseline
  int baseline_weeks = 4;
  int64_t min_controls = 10;  // controlled selections a week needs to be judged
};

enum class ModelErrorKind { kInvalid, kNotFound, kConflict, kStore };
struct ModelError {
  ModelErrorKind kind = ModelErrorKind::kStore;
  std::string message;
};
template <typename T>
using ModelResult = std::expected<T, ModelError>;

class ModelService {
 public:
  // `pipeline` may be null (no live pipeline to reload).
  ModelService(store::Store& store, store::RiskStore& risk, Pipeline* pipeline);

  ModelResult<TrainReport> train(const TrainOptions& options);
  ModelResult<store::ModelEvent> activate(int64_t version, const std::string& actor);
  // Makes the version that was active before the current one active again.
  ModelResult<store::ModelEvent> rollback(const std::string& actor);
  ModelResult<DriftReport> drift(const DriftOptions& options);

  // Every stored declaration in lodged order (ties: id) through assess_features with fresh
  // aggregates and the active profiles, outcomes counted as the pipeline would. Stops when
  // visit returns false.
  ModelResult<int64_t> replay(const selection::HistoryOptions& history,
                              const std::function<bool(const ReplayRow&)>& visit);

 private:
  store::Store& store_;
  store::RiskStore& risk_;
  Pipeline* pipeline_;
};

// The metrics of a split: rows' probabilities against their labels.
SplitMetrics split_metrics(std::span<const float> probability, std::span<const float> label);

}  // namespace cordon::assessment
