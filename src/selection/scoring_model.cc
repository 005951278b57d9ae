// ScoringModel: gradient-boosted trees through the XGBoost C API, and the ranking metrics.
#include <xgboost/c_api.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

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
  if (XGBoosterSetParam(b, name, value.c_str()) != 0)
    return std::unexpected(last_error(fmt::format("parameter {}", name)));
  return {};
}

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// --- exact SHAP values of a tree ensemble, path-dependent (Lundberg et al. 2018): the values
// XGBoost's prediction type 2 computes, by a formulation that is cheaper for shallow trees.
//
// For a leaf with value v whose path splits on the distinct features U (d of them), let z_i be
// the share of training cover that follows the path's branches on feature i (the product of the
// child/parent cover ratios over the splits on i) and o_i = 1 when the row follows all of them,
// else 0. The leaf adds to feature j in U
//     v (o_j - z_j) sum_{S in U\{j}} |S|! (d-|S|-1)! / d!  prod_{i in S} o_i  prod_{i in U\S\{j}} z_i,
// and the sum over S of a given size k is the coefficient of x^k in prod_{i != j} (o_i x + z_i).
// A leaf costs O(d^3) multiply-adds with no division, where TreeSHAP's recursion copies and
// rescales paths at every node. The expected value of each tree (its cover-weighted mean) goes
// to the bias.

struct Node {
  int left = -1, right = -1;  // -1: a leaf
  int feature = 0;
  float threshold = 0;  // split condition; the leaf value for a leaf
  bool default_left = false;
  float cover = 0;  // sum of hessians
};

struct Condition {  // a split on the path: the row must go the same way
  uint32_t node = 0;
  bool left = false;
};

struct PathFeature {
  int feature = 0;
  float zero_fraction = 1;
  uint32_t first = 0, count = 0;  // its conditions in Tree::conditions
};

struct Leaf {
  float value = 0;
  uint32_t first = 0, count = 0;  // its features in Tree::features
  int64_t table = -1;             // its contributions by pattern in Tree::table; -1: computed
};

bool goes_left(float v, float threshold, bool default_left) { return std::isnan(v) ? default_left : v < threshold; }

constexpr int kMaxPath = 32;
// Leaves over at most this many features get a table of their contributions for each of the
// 2^d patterns of o (d floats each): a row then costs d comparisons and d additions per leaf.
constexpr uint32_t kMaxTabulated = 5;

// w[d][k] = k! (d-k-1)! / d!
const std::array<std::array<float, kMaxPath + 1>, kMaxPath + 1>& shapley_weights() {
  static const auto table = [] {
    std::array<std::array<float, kMaxPath + 1>, kMaxPath + 1> w{};
    for (int d = 1; d <= kMaxPath; ++d) {
      for (int k = 0; k < d; ++k) {
        double v = 1.0 / d;  // k!(d-k-1)!/d! = 1 / (d * C(d-1, k))
        for (int i = 1; i <= k; ++i) v *= static_cast<double>(i) / static_cast<double>(d - 1 - k + i);
        w[static_cast<size_t>(d)][static_cast<size_t>(k)] = static_cast<float>(v);
      }
    }
    return w;
  }();
  return table;
}

// The leaf's contributions to its d path features (out[j]), given z and o.
void leaf_contributions(uint32_t d, const float* z, const float* o, float value, float* out) {
  const auto& w = shapley_weights()[d];
  std::array<float, kMaxPath + 1> p, q;
  // p = prod_i (o_i x + z_i); each j divides its own factor out again (or, when z_j = 0 and
  // o_j = 0, where the factor cannot be divided out, multiplies the others directly).
  p[0] = 1;
  for (uint32_t i = 0; i < d; ++i) {
    p[i + 1] = p[i] * o[i];
    for (uint32_t k = i; k > 0; --k) p[k] = p[k] * z[i] + p[k - 1] * o[i];
    p[0] *= z[i];
  }
  for (uint32_t j = 0; j < d; ++j) {
    if (o[j] != 0) {
      q[d - 1] = p[d];
      for (uint32_t k = d - 1; k > 0; --k) q[k - 1] = p[k] - z[j] * q[k];
    } else if (z[j] > 0) {
      const float inverse = 1.0f / z[j];
      for (uint32_t k = 0; k < d; ++k) q[k] = p[k] * inverse;
    } else {
      q[0] = 1;
      uint32_t degree = 0;
      for (uint32_t i = 0; i < d; ++i) {
        if (i == j) continue;
        q[degree + 1] = q[degree] * o[i];
        for (uint32_t k = degree; k > 0; --k) q[k] = q[k] * z[i] + q[k - 1] * o[i];
        q[0] *= z[i];
        ++degree;
      }
    }
    float sum = 0;
    for (uint32_t k = 0; k < d; ++k) sum += w[k] * q[k];
    out[j] = value * (o[j] - z[j]) * sum;
  }
}

struct Tree {
  std::vector<Node> nodes;
  std::vector<Leaf> leaves;
  std::vector<PathFeature> features;
  std::vector<Condition> conditions;
  std::vector<float> table;
  float mean = 0;  // expected value of the tree's output (cover-weighted)
  int depth = 0;

  void shap(const float* x, float* phi) const {
    // Which way the row goes at every split, once.
    std::array<uint8_t, 256> small;
    std::vector<uint8_t> large;
    uint8_t* left = small.data();
    if (nodes.size() > small.size()) {
      large.resize(nodes.size());
      left = large.data();
    }
    for (size_t i = 0; i < nodes.size(); ++i) {
      const Node& n = nodes[i];
      if (n.left >= 0) left[i] = goes_left(x[n.feature], n.threshold, n.default_left) ? 1 : 0;
    }
    std::array<float, kMaxPath> z, o, out;
    for (const Leaf& leaf : leaves) {
      const uint32_t d = leaf.count;
      uint32_t pattern = 0;
      for (uint32_t i = 0; i < d; ++i) {
        const PathFeature& f = features[leaf.first + i];
        bool follows = true;
        for (uint32_t c = 0; c < f.count; ++c) {
          const Condition& cond = conditions[f.first + c];
          follows &= (left[cond.node] != 0) == cond.left;
        }
        pattern |= static_cast<uint32_t>(follows) << i;
        o[i] = follows ? 1.0f : 0.0f;
        z[i] = f.zero_fraction;
      }
      if (leaf.table >= 0) {
        const float* t = table.data() + leaf.table + pattern * d;
        for (uint32_t j = 0; j < d; ++j) phi[features[leaf.first + j].feature] += t[j];
      } else {
        leaf_contributions(d, z.data(), o.data(), leaf.value, out.data());
        for (uint32_t j = 0; j < d; ++j) phi[features[leaf.first + j].feature] += out[j];
      }
    }
  }

  // The leaves' paths, from the nodes, and the contribution tables of the short ones.
  void build_paths() {
    struct Step {
      int feature;
      float ratio;
      Condition condition;
    };
    std::vector<Step> path;
    auto visit = [&](auto&& self, int index) -> void {
      const Node& n = nodes[static_cast<size_t>(index)];
      if (n.left < 0) {
        Leaf leaf{n.threshold, static_cast<uint32_t>(features.size()), 0, -1};
        std::vector<int> seen;
        for (const Step& s : path) {
          if (std::find(seen.begin(), seen.end(), s.feature) != seen.end()) continue;
          seen.push_back(s.feature);
          PathFeature f{s.feature, 1, static_cast<uint32_t>(conditions.size()), 0};
          for (const Step& t : path) {
            if (t.feature != s.feature) continue;
            f.zero_fraction *= t.ratio;
            conditions.push_back(t.condition);
            ++f.count;
          }
          features.push_back(f);
          ++leaf.count;
        }
        const uint32_t d = leaf.count;
        if (d > 0 && d <= kMaxTabulated) {
          leaf.table = static_cast<int64_t>(table.size());
          std::array<float, kMaxPath> z, o;
          for (uint32_t i = 0; i < d; ++i) z[i] = features[leaf.first + i].zero_fraction;
          for (uint32_t pattern = 0; pattern < (1u << d); ++pattern) {
            for (uint32_t i = 0; i < d; ++i) o[i] = (pattern >> i) & 1u ? 1.0f : 0.0f;
            table.resize(table.size() + d);
            leaf_contributions(d, z.data(), o.data(), leaf.value, table.data() + table.size() - d);
          }
        }
        leaves.push_back(leaf);
        return;
      }
      for (bool go_left : {true, false}) {
        int child = go_left ? n.left : n.right;
        float ratio = n.cover > 0 ? nodes[static_cast<size_t>(child)].cover / n.cover : 0;
        path.push_back({n.feature, ratio, {static_cast<uint32_t>(index), go_left}});
        self(self, child);
        path.pop_back();
      }
    };
    visit(visit, 0);
  }
};

float fill_means(std::vector<Node>& nodes, std::vector<float>& means, int i, int level, int& depth) {
  depth = std::max(depth, level);
  const Node& n = nodes[static_cast<size_t>(i)];
  float result;
  if (n.left < 0) {
    result = n.threshold;
  } else {
    result = fill_means(nodes, means, n.left, level + 1, depth) * nodes[static_cast<size_t>(n.left)].cover;
    result += fill_means(nodes, means, n.right, level + 1, depth) * nodes[static_cast<size_t>(n.right)].cover;
    result /= n.cover;
  }
  means[static_cast<size_t>(i)] = result;
  return result;
}

}  // namespace

struct ScoringModel::Compiled {
  std::vector<Tree> trees;
  float base_margin = 0;
};

namespace {

std::expected<std::unique_ptr<ScoringModel::Compiled>, std::string> compile_model(std::string_view text) {
  using nlohmann::json;
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) return std::unexpected("the model is not JSON");
  auto compiled = std::make_unique<ScoringModel::Compiled>();
  try {
    const json& learner = j.at("learner");
    if (learner.at("objective").at("name") != "binary:logistic") {
      return std::unexpected("the model's objective is not binary:logistic");
    }
    float base = std::stof(learner.at("learner_model_param").at("base_score").get<std::string>());
    compiled->base_margin = std::log(base / (1 - base));
    const json& model = learner.at("gradient_booster").at("model");
    int max_depth = 0;
    for (const json& t : model.at("trees")) {
      const auto& left = t.at("left_children");
      const auto& right = t.at("right_children");
      const auto& feature = t.at("split_indices");
      const auto& condition = t.at("split_conditions");
      const auto& default_left = t.at("default_left");
      const auto& hessian = t.at("sum_hessian");
      size_t n = left.size();
      if (right.size() != n || feature.size() != n || condition.size() != n || default_left.size() != n ||
          hessian.size() != n || n == 0) {
        return std::unexpected("a tree's arrays differ in length");
      }
      Tree tree;
      tree.nodes.resize(n);
      for (size_t i = 0; i < n; ++i) {
        Node& node = tree.nodes[i];
        node.left = left[i].get<int>();
        node.right = right[i].get<int>();
        node.feature = feature[i].get<int>();
        node.threshold = condition[i].get<float>();
        node.default_left =
            default_left[i].is_boolean() ? default_left[i].get<bool>() : default_left[i].get<int>() != 0;
        node.cover = hessian[i].get<float>();
        bool leaf = node.left < 0;
        if (!leaf && (node.left >= static_cast<int>(n) || node.right < 0 || node.right >= static_cast<int>(n) ||
                      node.left <= static_cast<int>(i) || node.right <= static_cast<int>(i) || node.feature < 0 ||
                      node.feature >= static_cast<int>(kFeatureCount))) {
          return std::unexpected("a tree node points outside its tree");
        }
      }
      std::vector<float> means(n);
      tree.mean = fill_means(tree.nodes, means, 0, 0, tree.depth);
      if (tree.depth > kMaxPath) return std::unexpected(fmt::format("a tree is deeper than {} levels", kMaxPath));
      tree.build_paths();
      max_depth = std::max(max_depth, tree.depth);
      compiled->trees.push_back(std::move(tree));
    }
  } catch (const std::exception& e) {
    return std::unexpected(fmt::format("the model's JSON is not an XGBoost 1.7 model: {}", e.what()));
  }
  return compiled;
}

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
  if (XGDMatrixSetFloatInfo(dtrain.handle, "label", set.label.data(), n) != 0)
    return std::unexpected(last_error("labels"));
  if (!set.weight.empty()) {
    if (set.weight.size() != n) return std::unexpected("weights and labels differ in number");
    if (XGDMatrixSetFloatInfo(dtrain.handle, "weight", set.weight.data(), n) != 0) {
      return std::unexpected(last_error("weights"));
    }
  }
  Booster booster;
  if (XGBoosterCreate(&dtrain.handle, 1, &booster.handle) != 0)
    return std::unexpected(last_error("creating the booster"));
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
  return finish(booster.release());
}

ScoringModel::ScoringModel() = default;

size_t ScoringModel::trees() const { return compiled_->trees.size(); }

std::expected<std::shared_ptr<const ScoringModel>, std::string> ScoringModel::finish(void* handle) {
  auto model = std::shared_ptr<ScoringModel>(new ScoringModel());
  model->booster_ = handle;
  // Batch prediction after training needs no pool: one thread avoids waking one for little work.
  if (auto ok = set_param(handle, "nthread", "1"); !ok) return std::unexpected(ok.error());
  auto text = model->save();
  if (!text) return std::unexpected(text.error());
  auto compiled = compile_model(*text);
  if (!compiled) return std::unexpected(compiled.error());
  model->compiled_ = std::move(*compiled);
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
  return finish(booster.release());
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

Scored ScoringModel::score(const FeatureRow& row) const {
  const Compiled& c = *compiled_;
  Scored s;
  float bias = c.base_margin;
  for (const Tree& tree : c.trees) {
    bias += tree.mean;
    tree.shap(row.data(), s.contributions.data());
  }
  double margin = bias;
  for (float v : s.contributions) margin += v;
  s.bias = bias;
  s.margin = margin;
  s.probability = sigmoid(margin);
  return s;
}

std::expected<Scored, std::string> ScoringModel::score_reference(const FeatureRow& row) const {
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
    double propensity =
        random_rate + static_cast<double>(s.second) / static_cast<double>(std::max<int64_t>(s.first, 1));
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
