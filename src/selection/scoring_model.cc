// ScoringModel: gradient-boosted trees through the XGBoost C API, and the ranking metrics.
#include <xgboost/c_api.h>

#include <algorithm>
#include <utility>
#include <cmath>
#include <numeric>

#include <fmt/format.h>

#include "selection/scoring.h"

namespace cordon::selection {
namespace {

constexpr float kMissing = std::numeric_limits<float>::quiet_NaN();

std::string last_error(std::string_view doing) { return fmt::format("{}: {}", doing, XGBGetLastError()); }

// XGBoost prints warnings to standard output; Cordon's output is its own.
void quiet_log(const char*) {}
void silence_once() {
  static const bool done = [] {
    XGBRegisterLogCallback(&quiet_log);
    return true;
  }();
  (void)done;
}

struct DMatrix {
  DMatrixHandle handle = nullptr;
  ~DMatrix() {
    if (handle != nullptr) XGDMatrixFree(handle);
  }
};

struct Booster {
  BoosterHandle handle = nullptr;
  ~Booster() {
    if (handle != nullptr) XGBoosterFree(handle);
  }
  BoosterHandle release() { return std::exchange(handle, nullptr); }
};

std::expected<void, std::string> set_param(BoosterHandle b, const char* name, const std::string& value) {
  if (XGBoosterSetParam(b, name, value.c_str()) != 0) return std::unexpected(last_error(fmt::format("parameter {}", name)));
  return {};
}

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

}  // namespace

void TrainingSet::add(const FeatureRow& row, bool irregular, float w) {
  x.insert(x.end(), row.begin(), row.end());
  label.push_back(irregular ? 1.0f : 0.0f);
  weight.push_back(w);
}

std::vector<Contribution> Scored::top(const FeatureRow& row, size_t n) const {
  std::vector<size_t> order(kFeatureCount);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return std::abs(contributions[a]) > std::abs(contributions[b]); });
  std::vector<Contribution> out;
  for (size_t i = 0; i < std::min(n, order.size()); ++i) {
    size_t k = order[i];
    if (contributions[k] == 0) break;
    out.push_back({feature_names()[k], row[k], contributions[k]});
  }
  return out;
}

ScoringModel::~ScoringModel() {
  if (booster_ != nullptr) XGBoosterFree(booster_);
}

std::expected<std::shared_ptr<const ScoringModel>, std::string> ScoringModel::train(const TrainingSet& set,
                                                                                    const TrainParams& p) {
  silence_once();
  const size_t n = set.rows();
  if (n == 0) return std::unexpected("no training rows: the period has no declarations with control results");
  if (set.x.size() != n * kFeatureCount) return std::unexpected("training rows and labels differ in number");
  DMatrix dtrain;
  if (XGDMatrixCreateFromMat(set.x.data(), n, kFeatureCount, kMissing, &dtrain.handle) != 0) {
    return std::unexpected(last_error("building the training matrix"));
  }
  if (XGDMatrixSetFloatInfo(dtrain.handle, "label", set.label.data(), n) != 0) return std::unexpected(last_error("labels"));
  if (!set.weight.empty()) {
    if (set.weight.size() != n) return std::unexpected("weights and labels differ in number");
    if (XGDMatrixSetFloatInfo(dtrain.handle, "weight", set.weight.data(), n) != 0) {
      return std::unexpected(last_error("weights"));
    }
  }
  Booster booster;
  if (XGBoosterCreate(&dtrain.handle, 1, &booster.handle) != 0) return std::unexpected(last_error("creating the booster"));
  const std::pair<const char*, std::string> params[] = {
      {"objective", "binary:logistic"},
      {"tree_method", "hist"},
      {"max_depth", std::to_string(p.max_depth)},
      {"eta", fmt::format("{}", p.eta)},
      {"subsample", fmt::format("{}", p.subsample)},
      {"colsample_bytree", fmt::format("{}", p.colsample)},
      {"min_child_weight", fmt::format("{}", p.min_child_weight)},
      {"lambda", fmt::format("{}", p.lambda)},
      {"nthread", std::to_string(std::max(1, p.threads))},
      {"seed", std::to_string(p.seed)},
      {"verbosity", "0"},
  };
  for (const auto& [name, value] : params) {
    if (auto ok = set_param(booster.handle, name, value); !ok) return std::unexpected(ok.error());
  }
  for (int i = 0; i < p.rounds; ++i) {
    if (XGBoosterUpdateOneIter(booster.handle, i, dtrain.handle) != 0) {
      return std::unexpected(last_error(fmt::format("boosting round {}", i)));
    }
  }
  // Serving scores one row at a time: one thread avoids waking a pool for microseconds of work.
  if (auto ok = set_param(booster.handle, "nthread", "1"); !ok) return std::unexpected(ok.error());
  auto model = std::shared_ptr<ScoringModel>(new ScoringModel());
  model->booster_ = booster.release();
  return model;
}

std::expected<std::shared_ptr<const ScoringModel>, std::string> ScoringModel::load(std::string_view model_json) {
  silence_once();
  Booster booster;
  if (XGBoosterCreate(nullptr, 0, &booster.handle) != 0) return std::unexpected(last_error("creating the booster"));
  if (XGBoosterLoadModelFromBuffer(booster.handle, model_json.data(), model_json.size()) != 0) {
    return std::unexpected(last_error("reading the model"));
  }
  bst_ulong features = 0;
  if (XGBoosterGetNumFeature(booster.handle, &features) != 0) return std::unexpected(last_error("reading the model"));
  if (features != kFeatureCount) {
    return std::unexpected(fmt::format("the model has {} features; this cordon computes {} ({})", features,
                                       kFeatureCount, kFeatureSchema));
  }
  if (auto ok = set_param(booster.handle, "nthread", "1"); !ok) return std::unexpected(ok.error());
  auto model = std::shared_ptr<ScoringModel>(new ScoringModel());
  model->booster_ = booster.release();
  return model;
}

std::expected<std::string, std::string> ScoringModel::save() const {
  std::lock_guard lock(mutex_);
  bst_ulong length = 0;
  const char* bytes = nullptr;
  if (XGBoosterSaveModelToBuffer(booster_, R"({"format": "json"})", &length, &bytes) != 0) {
    return std::unexpected(last_error("saving the model"));
  }
  return std::string(bytes, length);
}

std::expected<std::vector<float>, std::string> ScoringModel::predict(std::span<const float> rows) const {
  const size_t n = rows.size() / kFeatureCount;
  if (n == 0) return std::vector<float>{};
  DMatrix m;
  if (XGDMatrixCreateFromMat(rows.data(), n, kFeatureCount, kMissing, &m.handle) != 0) {
    return std::unexpected(last_error("building the matrix"));
  }
  std::lock_guard lock(mutex_);
  const bst_ulong* shape = nullptr;
  bst_ulong dims = 0;
  const float* out = nullptr;
  if (XGBoosterPredictFromDMatrix(booster_, m.handle, R"({"type": 0, "training": false, "iteration_begin": 0,
        "iteration_end": 0, "strict_shape": false})",
                                  &shape, &dims, &out) != 0) {
    return std::unexpected(last_error("predicting"));
  }
  return std::vector<float>(out, out + n);
}

std::expected<Scored, std::string> ScoringModel::score(const FeatureRow& row) const {
  DMatrix m;
  if (XGDMatrixCreateFromMat(row.data(), 1, kFeatureCount, kMissing, &m.handle) != 0) {
    return std::unexpected(last_error("building the matrix"));
  }
  std::lock_guard lock(mutex_);
  const bst_ulong* shape = nullptr;
  bst_ulong dims = 0;
  const float* out = nullptr;
  // Type 2: exact TreeSHAP contributions, one per feature plus the bias; they add up to the margin.
  if (XGBoosterPredictFromDMatrix(booster_, m.handle, R"({"type": 2, "training": false, "iteration_begin": 0,
        "iteration_end": 0, "strict_shape": false})",
                                  &shape, &dims, &out) != 0) {
    return std::unexpected(last_error("computing contributions"));
  }
  Scored s;
  double margin = 0;
  for (size_t i = 0; i < kFeatureCount; ++i) {
    s.contributions[i] = out[i];
    margin += out[i];
  }
  s.bias = out[kFeatureCount];
  margin += s.bias;
  s.margin = margin;
  s.probability = sigmoid(margin);
  return s;
}

double expected_yield(double probability, const Declaration& d) {
  double value = 0;
  for (const auto& g : d.goods) value += std::max(0.0, g.value.amount);
  return probability * std::log1p(value);
}

std::vector<RankPoint> rank_metrics(std::span<const float> score, std::span<const float> label,
                                    std::span<const double> shares) {
  std::vector<size_t> order(score.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return score[a] > score[b]; });
  double positives = 0;
  for (float l : label) positives += l > 0.5f ? 1 : 0;
  std::vector<RankPoint> out;
  for (double share : shares) {
    RankPoint p;
    p.share = share;
    p.inspected = std::max<int64_t>(1, std::llround(share * static_cast<double>(score.size())));
    p.inspected = std::min<int64_t>(p.inspected, static_cast<int64_t>(score.size()));
    for (int64_t i = 0; i < p.inspected; ++i) p.found += label[order[static_cast<size_t>(i)]] > 0.5f ? 1 : 0;
    p.precision = p.inspected > 0 ? static_cast<double>(p.found) / static_cast<double>(p.inspected) : 0;
    p.recall = positives > 0 ? static_cast<double>(p.found) / positives : 0;
    out.push_back(p);
  }
  return out;
}

double roc_auc(std::span<const float> score, std::span<const float> label) {
  std::vector<size_t> order(score.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return score[a] < score[b]; });
  // Mann–Whitney U with average ranks for ties.
  double positives = 0, negatives = 0, rank_sum = 0;
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j < order.size() && score[order[j]] == score[order[i]]) ++j;
    double rank = (static_cast<double>(i) + static_cast<double>(j - 1)) / 2.0 + 1.0;
    for (size_t k = i; k < j; ++k) {
      if (label[order[k]] > 0.5f) {
        positives += 1;
        rank_sum += rank;
      } else {
        negatives += 1;
      }
    }
    i = j;
  }
  if (positives == 0 || negatives == 0) return 0.5;
  return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives);
}

std::vector<float> inverse_propensity_weights(std::span<const SelectionRecord> records, double max_weight) {
  std::unordered_map<int, std::pair<int64_t, int64_t>> strata;  // stratum → (declarations, risk controls)
  int64_t random_controls = 0;
  for (const auto& r : records) {
    auto& s = strata[r.stratum];
    ++s.first;
    if (r.controlled && !r.random) ++s.second;
    if (r.controlled && r.random) ++random_controls;
  }
  const double n = static_cast<double>(std::max<size_t>(records.size(), 1));
  const double random_rate = static_cast<double>(random_controls) / n;
  std::vector<float> weights(records.size(), 0.0f);
  double sum = 0;
  int64_t controlled = 0;
  for (size_t i = 0; i < records.size(); ++i) {
    if (!records[i].controlled) continue;
    const auto& s = strata[records[i].stratum];
    double propensity = random_rate + static_cast<double>(s.second) / static_cast<double>(std::max<int64_t>(s.first, 1));
    double w = propensity > 0 ? std::min(max_weight, 1.0 / propensity) : max_weight;
    weights[i] = static_cast<float>(w);
    sum += w;
    ++controlled;
  }
  if (controlled > 0 && sum > 0) {
    double scale = static_cast<double>(controlled) / sum;
    for (size_t i = 0; i < records.size(); ++i) {
      if (records[i].controlled) weights[i] = static_cast<float>(weights[i] * scale);
    }
  }
  return weights;
}

}  // namespace cordon::selection
