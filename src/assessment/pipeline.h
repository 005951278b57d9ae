// The risk part of the assessment pipeline: derived features → rules → selection → decision log,
// run by Intake on every stored declaration after screening, so that single requests, NDJSON
// batches and `cordon import` are assessed the same way. Also the feedback side: control
// results, overrides, backtests and per-profile performance.
//
// Durability: assess() returns only after the assessments and decision-log entries are
// committed (and flushed to disk, unless the caller defers the flush to its Store::sync());
// Intake acknowledges a declaration only then.
//
// Thread-safety: every method may be called from any thread. The active rule set is an
// immutable snapshot swapped on reload; the feature aggregates and the selector lock inside.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "assessment/features.h"
#include "rules/rules.h"
#include "selection/selection.h"
#include "store/risk_store.h"
#include "store/store.h"

namespace cordon::assessment {

struct PipelineSettings {
  selection::CapacityPolicy capacity;
  selection::HistoryOptions history;  // the learned score's feature aggregates
};

// What one assessment decided, as Intake reports it.
struct DecisionSummary {
  int64_t declaration_id = 0;
  std::string channel;
  double score = 0;
  bool random = false;
  std::vector<std::string> profiles;  // "ID@VERSION" of the profiles that fired
  std::optional<double> probability;   // of an irregularity, when a scoring model is active
};

struct BacktestReport {
  std::string from, to;  // the period, lodged_at bounds (inclusive from, exclusive to)
  int64_t declarations = 0;     // in the period
  int64_t selected = 0;         // the profile fired
  int64_t controlled = 0;       // of those, with a recorded control result
  int64_t irregular = 0;        // of those, with an irregularity found
  double hit_rate = 0;          // irregular / controlled, 0 when none controlled
  std::vector<int64_t> sample;  // up to 20 selected declaration ids
};

struct ProfilePerformance {
  std::string profile_id;
  int64_t selections = 0;   // declarations on which the profile fired
  int64_t red = 0;          // of those, sent to the red channel
  int64_t controlled = 0;   // with a recorded control result
  int64_t irregular = 0;    // control found an irregularity
  int64_t seizures = 0;     // with a seizure reference
  double hit_rate = 0;      // irregular / controlled
  double yield = 0;         // irregular / selections: what the profile found per declaration it flagged
};

class Pipeline {
 public:
  Pipeline(store::Store& store, store::RiskStore& risk, PipelineSettings settings);

  // Compiles the active profiles and rebuilds the feature aggregates from the stored
  // declarations and control results.
  store::Result<void> load();
  // Recompiles the active profiles (after an activation or a deactivation).
  store::Result<void> reload_profiles();

  // REQUIRES: the declarations are stored (ids set) and screened (hits stored).
  // `known_hits`, when not empty, has one entry per declaration: its stored hits as list_hits
  // gives them (Intake passes what screening just stored), or nullopt to read them from the store.
  // `durability` kDeferred: the caller calls Store::sync() before it acknowledges anything.
  store::Result<std::vector<DecisionSummary>> assess(
      std::span<const Declaration> declarations,
      std::span<const std::optional<std::vector<store::StoredHit>>> known_hits = {},
      store::Store::Durability durability = store::Store::Durability::kSynced);

  // A control result; `random` is taken from the declaration's assessment when not set.
  store::Result<int64_t> record_control(const store::ControlResult& result);
  // Many at once (imports): one transaction for the results, one for their log entries.
  store::Result<void> record_controls(std::vector<store::ControlResult>& results);
  store::Result<store::DecisionEntry> record_override(int64_t declaration_id, const selection::Override& request);

  store::Result<BacktestReport> backtest(const rules::CompiledProfile& profile, const std::string& from,
                                         const std::string& to);
  store::Result<ProfilePerformance> performance(const std::string& profile_id);

  std::shared_ptr<const rules::RuleSet> rule_set() const;
  const FeatureIndex& features() const { return features_; }

  // The learned score (docs/scoring.md): the registry's active model, or none (profiles alone).
  store::Result<void> reload_model();
  struct ActiveModel {
    std::shared_ptr<const selection::ScoringModel> model;  // null: none active
    int64_t version = 0;
  };
  ActiveModel model() const;
  const selection::ScoringHistory& scoring_history() const { return history_; }
  const PipelineSettings& settings() const { return settings_; }

 private:
  store::Result<std::vector<rules::ScreeningHit>> hits_of(int64_t declaration_id);
  static std::vector<rules::ScreeningHit> to_rule_hits(const std::vector<store::StoredHit>& stored);

  store::Store& store_;
  store::RiskStore& risk_;
  PipelineSettings settings_;
  selection::ChannelSelector selector_;
  FeatureIndex features_;
  selection::ScoringHistory history_;
  mutable std::mutex model_mutex_;
  ActiveModel model_;
  mutable std::mutex rules_mutex_;
  std::shared_ptr<const rules::RuleSet> rules_;
  std::string rules_version_;  // "ID@V,ID@V,..." digest of what is active
};

// Turns a stored profile into a compiled one (metadata from its JSON), or the diagnostics.
std::expected<rules::CompiledProfile, rules::Diagnostics> compile_stored_profile(const store::StoredProfile& profile);

}  // namespace cordon::assessment
