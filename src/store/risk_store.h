// Storage for risk work: risk profiles and their versions, the decision log (append-only,
// hash-chained), and control results. A component beside Store (store.h) in the same database,
// with its own tables and migrations (table risk_schema_migrations).
//
// Thread-safety: every method may be called from any thread concurrently.
// Durability: when append_decisions() returns success the entries are committed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/store.h"

namespace cordon::store {

// One version of a risk profile. Status moves draft → proposed → active → inactive; a new
// version starts as a draft and leaves earlier versions as they are.
struct StoredProfile {
  std::string id;
  int version = 0;            // assigned by the store: 1 + the highest so far
  std::string source;         // the profile language text
  std::string metadata_json;  // title, risk_area, owner, validity, weight, minimum channel, rationale
  std::string status;         // "draft", "proposed", "active", "inactive"
  std::string author;
  std::string proposed_by;
  std::string approved_by;
  std::string created_at;     // filled by the store when empty
  std::string changed_at;
};

// One entry of the decision log. seq, prev_hash and hash are the store's.
struct DecisionEntry {
  int64_t seq = 0;
  int64_t declaration_id = 0;
  std::string kind;       // "assessment", "override", "control_result"
  std::string at;         // ISO 8601 UTC; filled by the store when empty
  std::string body_json;  // what was decided and with what (profiles, versions, scores, ...)
  std::string prev_hash;  // hex SHA-256 of the previous entry ("" for the first)
  std::string hash;       // hex SHA-256 over prev_hash and this entry's fields
};

struct LogVerification {
  bool ok = true;
  int64_t entries = 0;
  // The first problem found: the entry's seq and what is wrong with it.
  std::optional<int64_t> bad_seq;
  std::string problem;
};

struct ControlResult {
  int64_t id = 0;
  int64_t declaration_id = 0;
  bool irregularity = false;
  std::string category;           // with an irregularity: "undervaluation", "drugs", ...
  std::string seizure_reference;  // optional
  std::string note;
  std::string recorded_by;
  std::string recorded_at;        // filled by the store when empty
  // The declaration was controlled because the random draw chose it (or came from a uniform
  // sample): the unbiased sample that training and its metrics rely on (docs/scoring.md).
  bool random = false;
};

// One version of a learned scoring model in the registry. Status moves candidate → active →
// retired; one version at most is active.
struct StoredModel {
  int64_t version = 0;          // assigned by the store, from 1
  std::string status;           // "candidate", "active", "retired"
  std::string feature_schema;   // the feature set it was trained on ("cordon-features-1")
  std::string params_json;      // training settings
  std::string metrics_json;     // measured on the held-out, later part of the period
  std::string model_json;       // the XGBoost model; list_models() leaves it empty
  std::string trained_from, trained_to;  // the period's lodged_at bounds
  std::string created_by, created_at;    // created_at filled by the store when empty
  std::string activated_by, activated_at;
};

// An activation or a rollback, in order.
struct ModelEvent {
  int64_t seq = 0;
  int64_t version = 0;  // the version made active
  int64_t previous = 0; // the version active before (0: none)
  std::string action;   // "activate", "rollback"
  std::string actor;
  std::string at;
};

class RiskStore {
 public:
  virtual ~RiskStore() = default;

  // Stores a new version (its version number is returned); kInvalidArgument for an empty id.
  virtual Result<int> add_profile_version(const StoredProfile& profile) = 0;
  // The given version, or the latest when version is 0. kNotFound when absent.
  virtual Result<StoredProfile> get_profile(const std::string& id, int version) = 0;
  virtual Result<std::vector<StoredProfile>> list_profile_versions(const std::string& id) = 0;
  // The latest version of every profile, by id.
  virtual Result<std::vector<StoredProfile>> list_profiles() = 0;
  virtual Result<std::vector<StoredProfile>> active_profiles() = 0;
  // Sets the status (and the proposer or approver when not empty). Activating a version makes
  // every other active version of the same id inactive, in one transaction.
  virtual Result<void> set_profile_status(const std::string& id, int version, const std::string& status,
                                          const std::string& proposed_by, const std::string& approved_by) = 0;

  // Appends entries in order in one transaction, chaining their hashes; sets seq, at and hashes.
  virtual Result<void> append_decisions(std::vector<DecisionEntry>& entries) = 0;
  // The entries and the assessments they decided, in one transaction: an acknowledged
  // declaration never has an assessment without its log entry or the reverse. The assessments
  // go to the core store's `assessments` table (same file) — Store has no batch put_assessment,
  // and one commit per declaration would cap intake at the disk's commit rate.
  // kDeferred as for Store::insert_declarations: committed but flushed to disk only by the
  // caller's Store::sync() (same file), which then runs outside the write lock.
  virtual Result<void> record_assessments(std::vector<DecisionEntry>& entries, const std::vector<Assessment>& assessments,
                                          Store::Durability durability = Store::Durability::kSynced) = 0;
  // The entries of a declaration, oldest first.
  virtual Result<std::vector<DecisionEntry>> decisions_for(int64_t declaration_id) = 0;
  // Entries after seq `after_seq`, oldest first, at most `limit` (1..100000).
  virtual Result<std::vector<DecisionEntry>> list_decisions(int64_t after_seq, int limit) = 0;
  // Recomputes the chain from the first entry; an altered, inserted or deleted entry fails it.
  virtual Result<LogVerification> verify_decision_log() = 0;

  virtual Result<int64_t> add_control_result(const ControlResult& result) = 0;
  // Many in one transaction (imports); sets each result's id.
  virtual Result<void> add_control_results(std::vector<ControlResult>& results) = 0;
  // The latest result per declaration.
  virtual Result<std::vector<ControlResult>> list_control_results() = 0;
  virtual Result<std::optional<ControlResult>> control_result_for(int64_t declaration_id) = 0;

  // The scoring-model registry.
  virtual Result<int64_t> add_model(const StoredModel& model) = 0;  // as a candidate; returns the version
  virtual Result<std::vector<StoredModel>> list_models() = 0;       // newest first, without model_json
  virtual Result<StoredModel> get_model(int64_t version) = 0;       // kNotFound when absent
  virtual Result<std::optional<StoredModel>> active_model() = 0;
  // Makes the version active and the active one retired, and records the event, in one
  // transaction. kNotFound when absent; kConflict when it is already active.
  virtual Result<ModelEvent> activate_model(int64_t version, const std::string& actor, const std::string& action) = 0;
  virtual Result<std::vector<ModelEvent>> model_events() = 0;  // oldest first
};

}  // namespace cordon::store
