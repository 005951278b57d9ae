// Learned risk scoring (SEDA 2.0 style, docs/scoring.md): the features a model sees, computed by
// one code path for training and for serving, and a gradient-boosted tree model (XGBoost C API)
// that turns them into a probability of irregularity and per-feature SHAP contributions.
//
//   ScoringHistory history;                        // aggregates of what came before
//   FeatureRow row = history.features(declaration, signals);   // as of its own day
//   history.observe(declaration);                  // then it becomes history
//   history.observe_outcome(declaration, irregular);  // known from lodged day + label delay
//   auto model = ScoringModel::train(set, params); // or ScoringModel::load(json)
//   auto scored = model->score(row);               // probability + contributions
//
// No leakage: features() reads only declarations observed before the call and control outcomes
// whose availability day (the declaration's lodged day + label_delay_days) is on or before the
// scored declaration's day. Training replays stored declarations in lodged order through the
// same calls, so a row never includes its own outcome or anything later.
//
// Thread-safety: ScoringHistory is internally synchronised (features() may run concurrently;
// observe*() take a writer lock). ScoringModel is immutable once built; score() and predict()
// may be called from any thread (XGBoost calls are serialised inside).
#pragma once

#include <array>
#include <cstdint>
#include <expected>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/declaration.h"

namespace cordon::selection {

// What the other engines said about the declaration, passed in by the pipeline.
struct RiskSignals {
  double profile_weight = 0;  // sum of the fired profiles' weights
  int profiles_fired = 0;
  int requested_channel = 0;  // the profiles' channel: 0 green, 1 yellow, 2 red
  int screening_hits = 0;
  double max_hit_score = 0;  // 0..1
};

inline constexpr size_t kFeatureCount = 39;
using FeatureRow = std::array<float, kFeatureCount>;  // NaN: missing
// Stable names ("consignee.target_rate", ...), in row order; stored with every model.
const std::array<std::string_view, kFeatureCount>& feature_names();
// Bumped whenever a feature's meaning changes: a model trained on other features is refused.
inline constexpr std::string_view kFeatureSchema = "cordon-features-1";

struct HistoryOptions {
  double smoothing = 20;         // pseudo-controls at the prior rate in every target encoding
  int64_t label_delay_days = 1;  // an outcome is known from lodged day + this
};

class ScoringHistory {
 public:
  explicit ScoringHistory(HistoryOptions options = {});
  ~ScoringHistory();
  ScoringHistory(const ScoringHistory&) = delete;
  ScoringHistory& operator=(const ScoringHistory&) = delete;

  // The declaration's features as of its lodged day (see "No leakage" above).
  FeatureRow features(const Declaration& declaration, const RiskSignals& signals);
  void observe(const Declaration& declaration);
  // The control outcome of a declaration (observed or not); counts once available.
  void observe_outcome(const Declaration& declaration, bool irregular);

  int64_t declarations_observed() const;
  int64_t outcomes_counted() const;  // available ones
  // Controls the consignee (or, without one, the declarant) has had counted: 0 means the model
  // knows nothing of how its declarations turn out — an exploration candidate.
  int64_t trader_controls(const Declaration& declaration) const;

 private:
  struct State;
  void release_until(int64_t day);
  HistoryOptions options_;
  mutable std::shared_mutex mutex_;
  std::unique_ptr<State> state_;
};

// --- the model ------------------------------------------------------------------------------------

// Defaults: a serving-sized model (bench/scoring/RESULTS.md: depth 3 and 200 trees score a
// declaration with its explanation in tens of microseconds; deeper models cost more per row).
struct TrainParams {
  int max_depth = 3;
  double eta = 0.1;
  int rounds = 200;
  double subsample = 0.8;
  double colsample = 0.8;
  double min_child_weight = 2;
  double lambda = 1;
  int threads = 2;  // fixed, so training is reproducible
  uint64_t seed = 7;
};

// Row-major, kFeatureCount floats per row.
struct TrainingSet {
  std::vector<float> x;
  std::vector<float> label;   // 1 irregular, 0 not
  std::vector<float> weight;  // empty: all 1
  size_t rows() const { return label.size(); }
  void add(const FeatureRow& row, bool irregular, float w = 1);
};

struct Contribution {
  std::string_view feature;
  float value = 0;         // the feature's value (NaN: missing)
  float contribution = 0;  // SHAP value, log-odds
};

struct Scored {
  double probability = 0;
  double margin = 0;  // log-odds: bias + the contributions
  float bias = 0;
  std::array<float, kFeatureCount> contributions{};
  // The `n` features with the largest |contribution|, largest first.
  std::vector<Contribution> top(const FeatureRow& row, size_t n) const;
};

class ScoringModel {
 public:
  // Deterministic for the same set, params and threads.
  static std::expected<std::shared_ptr<const ScoringModel>, std::string> train(const TrainingSet& set,
                                                                               const TrainParams& params);
  // From save(): XGBoost's JSON model. Refuses a model with another feature count.
  static std::expected<std::shared_ptr<const ScoringModel>, std::string> load(std::string_view model_json);
  ~ScoringModel();

  std::expected<std::string, std::string> save() const;
  // Probabilities for many rows (row-major, kFeatureCount per row).
  std::expected<std::vector<float>, std::string> predict(std::span<const float> rows) const;
  // One row: probability and exact SHAP contributions (path-dependent TreeSHAP, the values of
  // XGBoost's prediction type 2), the serving path. Thread-safe, no XGBoost call: the trees are
  // compiled from the model's JSON at load, with each leaf's contributions tabulated for every
  // pattern of splits the row may follow (leaves over up to 5 features; longer ones computed in
  // closed form). A depth-3 model of 150-200 trees costs ~15-25 us a row, where a one-row DMatrix
  // and XGBoosterPredictFromDMatrix cost ~100 us to 10 ms (bench/scoring/RESULTS.md). Equal to
  // score_reference() within float rounding (tests/selection/scoring_test.cc).
  Scored score(const FeatureRow& row) const;
  // The same through XGBoost itself: XGBoosterPredictFromDMatrix, type 2 (contributions).
  std::expected<Scored, std::string> score_reference(const FeatureRow& row) const;
  size_t trees() const;

  struct Compiled;  // the trees as score() walks them; internal

 private:
  ScoringModel();
  static std::expected<std::shared_ptr<const ScoringModel>, std::string> finish(void* booster);
  void* booster_ = nullptr;  // BoosterHandle
  std::unique_ptr<Compiled> compiled_;
  mutable std::mutex mutex_;
};

// Expected yield: the probability times the value at stake, ln(1 + customs value). Ranks red
// selections when a model is active (docs/scoring.md).
double expected_yield(double probability, const Declaration& declaration);

// --- measuring ------------------------------------------------------------------------------------

struct RankPoint {
  double share = 0;  // of the declarations, inspected from the top of the ranking
  int64_t inspected = 0;
  int64_t found = 0;     // irregular among them
  double precision = 0;  // found / inspected
  double recall = 0;     // found / all irregular
};
// Precision and recall when the top `share` of rows by score are inspected (ties: lower index
// first), for each share.
std::vector<RankPoint> rank_metrics(std::span<const float> score, std::span<const float> label,
                                    std::span<const double> shares);
// Area under the ROC curve; 0.5 when only one class is present.
double roc_auc(std::span<const float> score, std::span<const float> label);

// Selection-bias correction: every declaration of the training period with its stratum (what the
// selection saw: e.g. the channel the profiles asked for), whether it was controlled and whether
// by the random draw. The propensity of a controlled declaration is the random control rate
// plus its stratum's rate of risk-based controls; its weight is 1 / propensity, clipped to
// max_weight and scaled so the controlled rows' weights average 1. Uncontrolled rows get 0.
struct SelectionRecord {
  int stratum = 0;
  bool controlled = false;
  bool random = false;
};
std::vector<float> inverse_propensity_weights(std::span<const SelectionRecord> records, double max_weight = 50);

}  // namespace cordon::selection
