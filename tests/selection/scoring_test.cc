// The learned score: features without leakage, deterministic training, exact SHAP contributions
// (the serving path against XGBoost's own type-2 prediction), metrics and bias weights.
#include "selection/scoring.h"

#include <cmath>
#include <random>

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace cordon::selection {
namespace {

Declaration make(int i, int day, const std::string& consignee, const std::string& hs, double value, double mass,
                 const std::string& origin = "CN") {
  Declaration d;
  d.id = i;
  d.reference = fmt::format("R{}", i);
  d.declarant.name = "Declarant " + std::to_string(i % 3);
  d.declarant.eori = fmt::format("NL{:09}", i % 3);
  d.office_of_first_entry = i % 2 ? "NL000396" : "BE000100";
  d.lodged_at = fmt::format("2026-03-{:02}T10:00:00Z", day);
  Party c;
  c.role = PartyRole::kConsignee;
  c.name = consignee;
  c.address.country = "NL";
  Party s;
  s.role = PartyRole::kConsignor;
  s.name = "Seller " + consignee.substr(0, 1);
  s.address.country = origin;
  d.parties = {c, s};
  GoodsItem g;
  g.hs_code = hs;
  g.origin_country = origin;
  g.gross_mass_kg = mass;
  g.value = {value, "EUR"};
  d.goods = {g};
  d.routing.countries = {origin, "NL"};
  return d;
}

bool same(const FeatureRow& a, const FeatureRow& b) {
  for (size_t i = 0; i < kFeatureCount; ++i) {
    if (std::isnan(a[i]) != std::isnan(b[i])) return false;
    if (!std::isnan(a[i]) && a[i] != b[i]) return false;
  }
  return true;
}

// A small world: 600 declarations over 20 days; irregular when the consignee is "Shady" or the
// value per kg is low.
struct World {
  std::vector<Declaration> declarations;
  std::vector<bool> irregular;
};
World world(int n = 600) {
  World w;
  std::mt19937 rng(3);
  const char* consignees[] = {"Acme", "Borg", "Shady", "Delta", "Echo", "Fox", "Gulf", "Hotel"};
  const char* hs[] = {"850440", "610910", "240220", "870323"};
  for (int i = 0; i < n; ++i) {
    std::string c = consignees[rng() % 8];
    double mass = 100 + rng() % 900;
    double vpk = (rng() % 5 == 0) ? 1 : 20 + rng() % 20;
    w.declarations.push_back(make(i + 1, 1 + i * 20 / n, c, hs[rng() % 4], vpk * mass, mass));
    w.irregular.push_back(c == "Shady" || vpk < 5);
  }
  return w;
}

TEST(ScoringHistory, FeaturesNeverIncludeTheDeclarationItselfOrLaterData) {
  World w = world();
  // Replay the whole world, keeping each declaration's features as computed before it is observed.
  ScoringHistory full;
  std::vector<FeatureRow> replayed;
  for (size_t i = 0; i < w.declarations.size(); ++i) {
    replayed.push_back(full.features(w.declarations[i], {}));
    full.observe(w.declarations[i]);
    full.observe_outcome(w.declarations[i], w.irregular[i]);
  }
  // A history that only ever saw the declarations before k gives the same features for k: nothing
  // later (declarations or outcomes) reached them.
  for (size_t k : {0ul, 1ul, 57ul, 300ul, 599ul}) {
    ScoringHistory prefix;
    for (size_t i = 0; i < k; ++i) {
      prefix.observe(w.declarations[i]);
      prefix.observe_outcome(w.declarations[i], w.irregular[i]);
    }
    EXPECT_TRUE(same(prefix.features(w.declarations[k], {}), replayed[k])) << "declaration " << k;
  }
  // The declaration itself is not in its own features: a first declaration of a trader sees it as
  // never seen, and once observed it counts.
  Declaration fresh = make(9999, 25, "Newcomer", "850440", 1000, 10);
  const size_t declarations = 11;  // consignee.declarations
  ASSERT_EQ(feature_names()[declarations], "consignee.declarations");
  EXPECT_EQ(full.features(fresh, {})[declarations], 0.0f);
  full.observe(fresh);
  EXPECT_GT(full.features(fresh, {})[declarations], 0.0f);
}

TEST(ScoringHistory, OutcomesCountOnlyFromTheDayAfterTheDeclaration) {
  const size_t target = 28;  // consignee.target_rate
  ASSERT_EQ(feature_names()[target], "consignee.target_rate");
  ScoringHistory history;
  Declaration first = make(1, 5, "Shady", "850440", 100, 10);
  history.observe(first);
  float before = history.features(first, {})[target];
  history.observe_outcome(first, true);
  // Same day: the outcome is not known yet to anything lodged that day.
  Declaration same_day = make(2, 5, "Shady", "850440", 100, 10);
  EXPECT_EQ(history.features(same_day, {})[target], before);
  // The next day it is.
  Declaration next_day = make(3, 6, "Shady", "850440", 100, 10);
  EXPECT_GT(history.features(next_day, {})[target], before);
  EXPECT_EQ(history.outcomes_counted(), 1);
  EXPECT_EQ(history.trader_controls(next_day), 1);
}

TrainingSet training_set(const World& w, ScoringHistory& history) {
  TrainingSet set;
  for (size_t i = 0; i < w.declarations.size(); ++i) {
    set.add(history.features(w.declarations[i], {}), w.irregular[i]);
    history.observe(w.declarations[i]);
    history.observe_outcome(w.declarations[i], w.irregular[i]);
  }
  return set;
}

TrainParams small() {
  TrainParams p;
  p.max_depth = 3;
  p.rounds = 40;
  p.eta = 0.2;
  p.threads = 1;  // no OpenMP pool to spin on a loaded test machine
  return p;
}

TEST(ScoringModel, TrainingIsDeterministic) {
  World w = world();
  ScoringHistory h1, h2;
  TrainingSet s1 = training_set(w, h1), s2 = training_set(w, h2);
  auto a = ScoringModel::train(s1, small());
  auto b = ScoringModel::train(s2, small());
  ASSERT_TRUE(a) << a.error();
  ASSERT_TRUE(b) << b.error();
  EXPECT_EQ(*(*a)->save(), *(*b)->save());
}

TEST(ScoringModel, ContributionsEqualXgboostsAndAddUpToTheScore) {
  World w = world();
  ScoringHistory history;
  TrainingSet set = training_set(w, history);
  auto model = ScoringModel::train(set, small());
  ASSERT_TRUE(model) << model.error();
  auto probabilities = (*model)->predict(set.x);
  ASSERT_TRUE(probabilities);
  for (size_t r = 0; r < set.rows(); r += 37) {
    FeatureRow row;
    std::copy_n(set.x.begin() + static_cast<std::ptrdiff_t>(r * kFeatureCount), kFeatureCount, row.begin());
    Scored fast = (*model)->score(row);
    auto reference = (*model)->score_reference(row);
    ASSERT_TRUE(reference) << reference.error();
    for (size_t i = 0; i < kFeatureCount; ++i) {
      EXPECT_NEAR(fast.contributions[i], reference->contributions[i], 1e-4) << feature_names()[i] << " row " << r;
    }
    EXPECT_NEAR(fast.bias, reference->bias, 1e-4);
    EXPECT_NEAR(fast.probability, (*probabilities)[r], 1e-5);
    double sum = fast.bias;
    for (float c : fast.contributions) sum += c;
    EXPECT_NEAR(sum, fast.margin, 1e-6);
    auto top = fast.top(row, 3);
    ASSERT_FALSE(top.empty());
    for (size_t i = 1; i < top.size(); ++i) EXPECT_GE(std::abs(top[i - 1].contribution), std::abs(top[i].contribution));
  }
}

TEST(ScoringModel, SavedModelLoadsAndScoresTheSame) {
  World w = world();
  ScoringHistory history;
  TrainingSet set = training_set(w, history);
  auto model = ScoringModel::train(set, small());
  ASSERT_TRUE(model);
  auto text = (*model)->save();
  ASSERT_TRUE(text);
  auto loaded = ScoringModel::load(*text);
  ASSERT_TRUE(loaded) << loaded.error();
  FeatureRow row;
  std::copy_n(set.x.begin(), kFeatureCount, row.begin());
  EXPECT_FLOAT_EQ((*loaded)->score(row).probability, (*model)->score(row).probability);
  EXPECT_FALSE(ScoringModel::load("{\"not\": \"a model\"}"));
  EXPECT_FALSE(ScoringModel::load("garbage"));
}

TEST(ScoringModel, LearnsTheWorldsIrregularities) {
  World w = world(1500);
  ScoringHistory history;
  TrainingSet set = training_set(w, history);
  auto model = ScoringModel::train(set, small());
  ASSERT_TRUE(model);
  auto p = (*model)->predict(set.x);
  ASSERT_TRUE(p);
  EXPECT_GT(roc_auc(*p, set.label), 0.85);
}

TEST(Metrics, PrecisionAndRecallAtShares) {
  std::vector<float> score{0.9f, 0.8f, 0.7f, 0.6f, 0.5f, 0.4f, 0.3f, 0.2f, 0.1f, 0.0f};
  std::vector<float> label{1, 0, 1, 0, 0, 0, 0, 1, 0, 0};
  double shares[] = {0.1, 0.3, 1.0};
  auto m = rank_metrics(score, label, shares);
  EXPECT_EQ(m[0].inspected, 1);
  EXPECT_DOUBLE_EQ(m[0].precision, 1.0);
  EXPECT_NEAR(m[1].precision, 2.0 / 3, 1e-12);
  EXPECT_NEAR(m[1].recall, 2.0 / 3, 1e-12);
  EXPECT_DOUBLE_EQ(m[2].recall, 1.0);
  EXPECT_DOUBLE_EQ(roc_auc(score, std::vector<float>(10, 1)), 0.5);
  std::vector<float> perfect{1, 1, 0, 0};
  std::vector<float> ranked{0.9f, 0.8f, 0.2f, 0.1f};
  EXPECT_DOUBLE_EQ(roc_auc(ranked, perfect), 1.0);
}

TEST(InversePropensityWeights, RandomControlsWeighMoreThanTargetedOnes) {
  // Stratum 1 (profiles asked red): 10 declarations, 8 controlled by risk. Stratum 0: 90
  // declarations, 2 controlled at random (a 2 % random rate over all 100).
  std::vector<SelectionRecord> records;
  for (int i = 0; i < 10; ++i) records.push_back({1, i < 8, false});
  for (int i = 0; i < 90; ++i) records.push_back({0, i < 2, i < 2});
  auto w = inverse_propensity_weights(records);
  ASSERT_EQ(w.size(), records.size());
  EXPECT_EQ(w[9], 0.0f);  // not controlled
  EXPECT_EQ(w[50], 0.0f);
  EXPECT_GT(w[10], w[0]);  // a random control stands for many more declarations
  double sum = 0;
  for (float x : w) sum += x;
  EXPECT_NEAR(sum / 10.0, 1.0, 1e-5);  // controlled rows average 1
  // 1/(0.02 + 0.8) and 1/0.02 before scaling, the latter clipped at 50.
  EXPECT_NEAR(w[10] / w[0], 50.0 * (0.02 + 0.8), 1e-3);
}

}  // namespace
}  // namespace cordon::selection
