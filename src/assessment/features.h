// Derived features for the rules engine: what stored history says about a declaration's parties,
// its consignor–consignee pair and its goods' values, kept as in-memory aggregates keyed by
// trader, pair and HS subheading + origin.
//
// No leakage: fill() reads only what observe() and observe_control() were given before, and the
// pipeline fills a declaration's features before observing it. Declarations are observed in the
// order they are stored (the live path) or lodged (a backtest replay), so a declaration's
// features never include itself or anything that arrived after it.
//
// Thread-safety: fill() may run concurrently with itself; observe*() take a writer lock.
#pragma once

#include <cstdint>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/declaration.h"
#include "rules/rules.h"
#include "selection/scoring.h"

namespace cordon::assessment {

// Days since 1970-01-01 of the declaration's lodged_at; nullopt when it does not parse.
std::optional<int64_t> lodged_day(const Declaration& declaration);

// The median of a growing set of values, exact: the lower half in a max-heap, the upper half
// in a min-heap, so adding a value costs O(log n). (A sorted vector shifted ~n/2 values on
// every insert: its cost grew with the history, 80 KB moved per goods item for a key with
// 20,000 values, on every intake and at start-up, when the history is replayed.)
class RunningMedian {
 public:
  void add(double value);
  std::size_t size() const { return lower_.size() + upper_.size(); }
  double median() const;  // REQUIRES: size() > 0

 private:
  std::vector<double> lower_;  // max-heap; holds the extra value when the count is odd
  std::vector<double> upper_;  // min-heap
};

class FeatureIndex {
 public:
  // Party, pair and goods features as of the declaration's own day. Leaves facts.hits alone.
  void fill(const Declaration& declaration, rules::Facts& facts) const;
  // Adds the declaration to the aggregates.
  void observe(const Declaration& declaration);
  // A control result for a declaration already observed: counts for its parties' hit rates.
  void observe_control(const Declaration& declaration, bool irregularity);

  size_t party_count() const;
  size_t pair_count() const;

 private:
  struct PartyAggregate {
    int64_t first_day = 0;
    int64_t declarations = 0;
    int64_t controls = 0;
    int64_t irregular = 0;
  };
  struct PairAggregate {
    int64_t first_day = 0;
    int64_t declarations = 0;
  };
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, PartyAggregate> parties_;
  std::unordered_map<std::string, PairAggregate> pairs_;
  // Values per kg, per "HS6|origin".
  std::unordered_map<std::string, RunningMedian> values_;
};

// The key a party's history is kept under: its EORI, or its name and country when it has none.
std::string party_key(const Party& party);

// What the profiles and the screening hits say, as the learned score's input.
selection::RiskSignals risk_signals(const rules::RuleSetResult& result, const std::vector<rules::ScreeningHit>& hits);

// One declaration through the features the pipeline computes before selection, then into the
// history: derived features (facts) → rules (result) → the learned score's features (returned);
// then the declaration is observed by both aggregates. The live pipeline and the training replay
// both call this, so a model is trained on exactly what it is served.
// `score_features` false (no model to score with) skips computing the row (all NaN), not the
// observing.
// REQUIRES: facts.declaration == &declaration and facts.hits filled (roles set).
selection::FeatureRow assess_features(const Declaration& declaration, rules::Facts& facts, const rules::RuleSet& rules,
                                      FeatureIndex& index, selection::ScoringHistory& history,
                                      rules::RuleSetResult& result, bool explain, bool score_features = true);

}  // namespace cordon::assessment
