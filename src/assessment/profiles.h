// Risk profiles as analysts manage them: saved as versioned drafts (each checked by the rules
// compiler first), proposed, approved by a second analyst (four-eyes: the approver is never the
// proposer), deactivated. Every change is appended to the store's audit log; an approval or a
// deactivation republishes the pipeline's active rule set.
//
// Thread-safety: as the stores it uses.
#pragma once

#include <expected>
#include <string>

#include <nlohmann/json.hpp>

#include "assessment/pipeline.h"
#include "rules/rules.h"
#include "store/risk_store.h"
#include "store/store.h"

namespace cordon::assessment {

struct ProfileError {
  enum class Kind {
    kInvalid,    // the source or metadata do not compile: `diagnostics`
    kForbidden,  // four-eyes or role: the actor may not do this
    kConflict,   // wrong status for the step ("only a proposed version can be approved")
    kNotFound,
    kStore,
  };
  Kind kind = Kind::kStore;
  std::string message;
  rules::Diagnostics diagnostics;
  store::StoreError store_error;
};

template <typename T>
using ProfileResult = std::expected<T, ProfileError>;

// Metadata from a JSON object: title, risk_area, owner, valid_from, valid_to, weight,
// minimum_channel, rationale (all optional). Problems become diagnostics "metadata.<field>".
std::expected<rules::ProfileMetadata, rules::Diagnostics> metadata_from_json(const nlohmann::json& j);
nlohmann::json metadata_to_json(const rules::ProfileMetadata& metadata);

class ProfileService {
 public:
  // `pipeline` may be null (a CLI that only edits profiles).
  ProfileService(store::Store& store, store::RiskStore& risk, Pipeline* pipeline)
      : store_(store), risk_(risk), pipeline_(pipeline) {}

  // A new draft version of the profile (version 1 creates it). The actor must be a risk analyst.
  ProfileResult<store::StoredProfile> save(const std::string& id, const std::string& source,
                                           const nlohmann::json& metadata, const std::string& actor);
  // draft → proposed, by a risk analyst.
  ProfileResult<store::StoredProfile> propose(const std::string& id, int version, const std::string& actor);
  // proposed → active, by a risk analyst other than the proposer; older active versions retire.
  ProfileResult<store::StoredProfile> approve(const std::string& id, int version, const std::string& actor);
  // The active version → inactive.
  ProfileResult<store::StoredProfile> deactivate(const std::string& id, const std::string& actor);

 private:
  ProfileResult<void> require_analyst(const std::string& actor);
  ProfileResult<void> audit(const std::string& actor, const std::string& action, const store::StoredProfile& p);
  ProfileResult<void> republish();

  store::Store& store_;
  store::RiskStore& risk_;
  Pipeline* pipeline_;
};

}  // namespace cordon::assessment
