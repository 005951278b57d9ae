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
  virtual Result<void> record_assessments(std::vector<DecisionEntry>& entries, const std::vector<Assessment>& assessments) = 0;
  // The entries of a declaration, oldest first.
  virtual Result<std::vector<DecisionEntry>> decisions_for(int64_t declaration_id) = 0;
  // Entries after seq `after_seq`, oldest first, at most `limit` (1..100000).
  virtual Result<std::vector<DecisionEntry>> list_decisions(int64_t after_seq, int limit) = 0;
  // Recomputes the chain from the first entry; an altered, inserted or deleted entry fails it.
  virtual Result<LogVerification> verify_decision_log() = 0;

  virtual Result<int64_t> add_control_result(const ControlResult& result) = 0;
  // The latest result per declaration.
  virtual Result<std::vector<ControlResult>> list_control_results() = 0;
  virtual Result<std::optional<ControlResult>> control_result_for(int64_t declaration_id) = 0;
};

}  // namespace cordon::store
