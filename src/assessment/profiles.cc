#include "assessment/profiles.h"

#include <algorithm>

#include <fmt/format.h>

namespace cordon::assessment {
namespace {

using nlohmann::json;

ProfileError from_store(const store::StoreError& e) {
  ProfileError error;
  error.kind = e.code == store::StoreError::Code::kNotFound ? ProfileError::Kind::kNotFound : ProfileError::Kind::kStore;
  error.message = e.message;
  error.store_error = e;
  return error;
}

ProfileError make_error(ProfileError::Kind kind, std::string message) {
  ProfileError e;
  e.kind = kind;
  e.message = std::move(message);
  return e;
}

rules::Diagnostic metadata_problem(std::string field, std::string message) {
  rules::Diagnostic d;
  d.field = "metadata." + field;
  d.message = std::move(message);
  return d;
}

}  // namespace

std::expected<rules::ProfileMetadata, rules::Diagnostics> metadata_from_json(const json& j) {
  rules::ProfileMetadata m;
  rules::Diagnostics problems;
  if (!j.is_object()) {
    problems.push_back(metadata_problem("", "metadata must be a JSON object"));
    return std::unexpected(problems);
  }
  auto text = [&](const char* name, std::string& out) {
    if (!j.contains(name)) return;
    if (j[name].is_string()) {
      out = j[name].get<std::string>();
    } else {
      problems.push_back(metadata_problem(name, "must be a text"));
    }
  };
  text("title", m.title);
  text("owner", m.owner);
  text("valid_from", m.valid_from);
  text("valid_to", m.valid_to);
  text("rationale", m.rationale);
  if (j.contains("weight")) {
    if (j["weight"].is_number()) {
      m.weight = j["weight"].get<double>();
    } else {
      problems.push_back(metadata_problem("weight", "must be a number"));
    }
  }
  if (j.contains("risk_area")) {
    auto area = j["risk_area"].is_string() ? rules::parse_risk_area(j["risk_area"].get<std::string>()) : std::nullopt;
    if (area) {
      m.risk_area = *area;
    } else {
      std::string names;
      for (auto n : rules::risk_area_names()) names += fmt::format("{}{}", names.empty() ? "" : ", ", n);
      problems.push_back(metadata_problem("risk_area", "must be one of " + names));
    }
  }
  if (j.contains("minimum_channel")) {
    auto channel =
        j["minimum_channel"].is_string() ? rules::parse_channel(j["minimum_channel"].get<std::string>()) : std::nullopt;
    if (channel) {
      m.minimum_channel = *channel;
    } else {
      problems.push_back(metadata_problem("minimum_channel", "must be \"green\", \"yellow\" or \"red\""));
    }
  }
  if (!problems.empty()) return std::unexpected(problems);
  return m;
}

json metadata_to_json(const rules::ProfileMetadata& m) {
  return {{"title", m.title},
          {"risk_area", rules::to_string(m.risk_area)},
          {"owner", m.owner},
          {"valid_from", m.valid_from},
          {"valid_to", m.valid_to},
          {"weight", m.weight},
          {"minimum_channel", rules::to_string(m.minimum_channel)},
          {"rationale", m.rationale}};
}

std::expected<rules::CompiledProfile, rules::Diagnostics> compile_stored_profile(const store::StoredProfile& p) {
  auto metadata = metadata_from_json(json::parse(p.metadata_json, nullptr, false));
  if (!metadata) return std::unexpected(metadata.error());
  metadata->id = p.id;
  metadata->version = std::max(p.version, 1);
  return rules::compile_profile(p.source, std::move(*metadata));
}

ProfileResult<void> ProfileService::require_analyst(const std::string& actor) {
  auto user = store_.get_user(actor);
  if (!user) {
    if (user.error().code == store::StoreError::Code::kNotFound) {
      return std::unexpected(make_error(ProfileError::Kind::kForbidden, fmt::format("{} is not a user", actor)));
    }
    return std::unexpected(from_store(user.error()));
  }
  if (user->disabled || std::find(user->roles.begin(), user->roles.end(), "risk_analyst") == user->roles.end()) {
    return std::unexpected(
        make_error(ProfileError::Kind::kForbidden, fmt::format("{} does not have the role risk_analyst", actor)));
  }
  return {};
}

ProfileResult<void> ProfileService::audit(const std::string& actor, const std::string& action,
                                          const store::StoredProfile& p) {
  json detail = {{"id", p.id}, {"version", p.version}, {"status", p.status}};
  store::AuditEntry entry{0, {}, actor, action, fmt::format("profile:{}@{}", p.id, p.version), detail.dump()};
  if (auto ok = store_.append_audit(entry); !ok) return std::unexpected(from_store(ok.error()));
  return {};
}

ProfileResult<void> ProfileService::republish() {
  if (pipeline_ == nullptr) return {};
  if (auto ok = pipeline_->reload_profiles(); !ok) return std::unexpected(from_store(ok.error()));
  return {};
}

ProfileResult<store::StoredProfile> ProfileService::save(const std::string& id, const std::string& source,
                                                         const json& metadata, const std::string& actor) {
  if (auto ok = require_analyst(actor); !ok) return std::unexpected(ok.error());
  auto parsed = metadata_from_json(metadata);
  if (!parsed) {
    ProfileError e = make_error(ProfileError::Kind::kInvalid, "the profile's metadata is invalid");
    e.diagnostics = std::move(parsed.error());
    return std::unexpected(std::move(e));
  }
  parsed->id = id;
  if (parsed->owner.empty()) parsed->owner = actor;
  // Type-checked before anything is stored: a draft that cannot compile is never kept.
  auto compiled = rules::compile_profile(source, *parsed);
  if (!compiled) {
    ProfileError e = make_error(ProfileError::Kind::kInvalid, "the profile does not compile");
    e.diagnostics = std::move(compiled.error());
    return std::unexpected(std::move(e));
  }
  store::StoredProfile p;
  p.id = id;
  p.source = source;
  p.metadata_json = metadata_to_json(*parsed).dump();
  p.status = "draft";
  p.author = actor;
  auto version = risk_.add_profile_version(p);
  if (!version) return std::unexpected(from_store(version.error()));
  auto stored = risk_.get_profile(id, *version);
  if (!stored) return std::unexpected(from_store(stored.error()));
  if (auto ok = audit(actor, "profiles.save", *stored); !ok) return std::unexpected(ok.error());
  return *stored;
}

ProfileResult<store::StoredProfile> ProfileService::propose(const std::string& id, int version,
                                                            const std::string& actor) {
  if (auto ok = require_analyst(actor); !ok) return std::unexpected(ok.error());
  auto p = risk_.get_profile(id, version);
  if (!p) return std::unexpected(from_store(p.error()));
  if (p->status != "draft") {
    return std::unexpected(make_error(ProfileError::Kind::kConflict,
                                      fmt::format("{} version {} is {}, only a draft can be proposed", id, p->version,
                                                  p->status)));
  }
  if (auto ok = risk_.set_profile_status(id, p->version, "proposed", actor, ""); !ok) {
    return std::unexpected(from_store(ok.error()));
  }
  p->status = "proposed";
  p->proposed_by = actor;
  if (auto ok = audit(actor, "profiles.propose", *p); !ok) return std::unexpected(ok.error());
  return *p;
}

ProfileResult<store::StoredProfile> ProfileService::approve(const std::string& id, int version,
                                                            const std::string& actor) {
  if (auto ok = require_analyst(actor); !ok) return std::unexpected(ok.error());
  auto p = risk_.get_profile(id, version);
  if (!p) return std::unexpected(from_store(p.error()));
  if (p->status != "proposed") {
    return std::unexpected(make_error(ProfileError::Kind::kConflict,
                                      fmt::format("{} version {} is {}, only a proposed version can be approved", id,
                                                  p->version, p->status)));
  }
  if (p->proposed_by == actor || p->author == actor) {
    return std::unexpected(make_error(
        ProfileError::Kind::kForbidden,
        fmt::format("four-eyes: {} wrote or proposed {} version {}; another risk analyst must approve it", actor, id,
                    p->version)));
  }
  if (auto ok = risk_.set_profile_status(id, p->version, "active", "", actor); !ok) {
    return std::unexpected(from_store(ok.error()));
  }
  p->status = "active";
  p->approved_by = actor;
  if (auto ok = audit(actor, "profiles.approve", *p); !ok) return std::unexpected(ok.error());
  if (auto ok = republish(); !ok) return std::unexpected(ok.error());
  return *p;
}

ProfileResult<store::StoredProfile> ProfileService::deactivate(const std::string& id, const std::string& actor) {
  if (auto ok = require_analyst(actor); !ok) return std::unexpected(ok.error());
  auto versions = risk_.list_profile_versions(id);
  if (!versions) return std::unexpected(from_store(versions.error()));
  auto active = std::find_if(versions->begin(), versions->end(), [](const auto& v) { return v.status == "active"; });
  if (active == versions->end()) {
    return std::unexpected(make_error(versions->empty() ? ProfileError::Kind::kNotFound : ProfileError::Kind::kConflict,
                                      fmt::format("{} has no active version", id)));
  }
  if (auto ok = risk_.set_profile_status(id, active->version, "inactive", "", ""); !ok) {
    return std::unexpected(from_store(ok.error()));
  }
  active->status = "inactive";
  if (auto ok = audit(actor, "profiles.deactivate", *active); !ok) return std::unexpected(ok.error());
  if (auto ok = republish(); !ok) return std::unexpected(ok.error());
  return *active;
}

}  // namespace cordon::assessment
