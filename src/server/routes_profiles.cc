// Risk profiles: drafts, versions, four-eyes approval, deactivation, backtests, performance.
#include <charconv>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "assessment/pipeline.h"
#include "assessment/profiles.h"
#include "server/api_json.h"
#include "server/app.h"

namespace cordon::server {
namespace {

using nlohmann::json;
using assessment::ProfileError;

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

HttpResponse unavailable() {
  return HttpResponse::error(503, "unavailable", "the risk pipeline is not running in this server");
}

// Diagnostics as field errors: a source problem's path is "source:LINE:COL", so an editor can
// put the caret there; a metadata problem's is "metadata.<field>".
FieldErrors diagnostics_to_errors(const rules::Diagnostics& diagnostics) {
  FieldErrors errors;
  for (const auto& d : diagnostics) {
    std::string path = d.line > 0 ? fmt::format("source:{}:{}", d.line, d.column) : d.field;
    // The compiler's message already names the close names ("... (did you mean g.hs?)").
    errors.push_back({path, "profile", d.message});
  }
  return errors;
}

HttpResponse profile_failure(const ProfileError& e) {
  switch (e.kind) {
    case ProfileError::Kind::kInvalid: return validation_failed(diagnostics_to_errors(e.diagnostics));
    case ProfileError::Kind::kForbidden: return HttpResponse::error(403, "forbidden", e.message);
    case ProfileError::Kind::kConflict: return HttpResponse::error(409, "conflict", e.message);
    case ProfileError::Kind::kNotFound: return HttpResponse::error(404, "not_found", e.message);
    case ProfileError::Kind::kStore: return store_failure(e.store_error);
  }
  return HttpResponse::error(500, "internal", e.message);
}

json profile_json(const store::StoredProfile& p) {
  return {{"id", p.id},
          {"version", p.version},
          {"status", p.status},
          {"source", p.source},
          {"metadata", json::parse(p.metadata_json, nullptr, false)},
          {"author", p.author},
          {"proposed_by", p.proposed_by},
          {"approved_by", p.approved_by},
          {"created_at", p.created_at},
          {"changed_at", p.changed_at}};
}

std::optional<int> parse_version(const std::string& text) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

class ProfileRoutes {
 public:
  explicit ProfileRoutes(const AppContext& context)
      : risk_(context.risk_store), profiles_(context.profiles), pipeline_(context.pipeline) {}

  HttpResponse list(const HttpRequest&, const Principal&) {
    if (risk_ == nullptr) return unavailable();
    auto all = risk_->list_profiles();
    if (!all) return store_failure(all.error());
    json items = json::array();
    for (const auto& p : *all) items.push_back(profile_json(p));
    return HttpResponse::json(200, dump({{"items", items}}));
  }

  HttpResponse get(const HttpRequest& request, const Principal&) {
    if (risk_ == nullptr) return unavailable();
    auto versions = risk_->list_profile_versions(request.path_params.at("id"));
    if (!versions) return store_failure(versions.error());
    if (versions->empty()) {
      return HttpResponse::error(404, "not_found", fmt::format("no profile {}", quote_value(request.path_params.at("id"))));
    }
    json items = json::array();
    for (const auto& p : *versions) items.push_back(profile_json(p));
    return HttpResponse::json(200, dump({{"id", versions->front().id}, {"versions", items}}));
  }

  HttpResponse create(const HttpRequest& request, const Principal& principal) {
    json body = json::parse(request.body, nullptr, false);
    if (!body.is_object()) return validation_failed({{"", "json_syntax", "the body must be a JSON object"}});
    std::string id = body.contains("id") && body["id"].is_string() ? body["id"].get<std::string>() : "";
    if (id.empty()) return validation_failed({{"id", "required", "a profile needs an id, e.g. \"DRG-0042\""}});
    return save(id, body, principal, 201);
  }

  HttpResponse update(const HttpRequest& request, const Principal& principal) {
    json body = json::parse(request.body, nullptr, false);
    if (!body.is_object()) return validation_failed({{"", "json_syntax", "the body must be a JSON object"}});
    if (risk_ == nullptr) return unavailable();
    auto existing = risk_->get_profile(request.path_params.at("id"), 0);
    if (!existing) return store_failure(existing.error());
    return save(existing->id, body, principal, 200);
  }

  HttpResponse propose(const HttpRequest& request, const Principal& principal) {
    return step(request, principal, &assessment::ProfileService::propose);
  }
  HttpResponse approve(const HttpRequest& request, const Principal& principal) {
    return step(request, principal, &assessment::ProfileService::approve);
  }

  HttpResponse deactivate(const HttpRequest& request, const Principal& principal) {
    if (profiles_ == nullptr) return unavailable();
    auto p = profiles_->deactivate(request.path_params.at("id"), principal.actor());
    if (!p) return profile_failure(p.error());
    return HttpResponse::json(200, dump(profile_json(*p)));
  }

  // Body: {"from": "2026-03-01", "to": "2026-04-01", "version": 2}; version defaults to the latest.
  HttpResponse backtest(const HttpRequest& request, const Principal&) {
    json body = json::parse(request.body, nullptr, false);
    if (!body.is_object()) return validation_failed({{"", "json_syntax", "the body must be a JSON object"}});
    FieldErrors errors;
    std::string from = body.contains("from") && body["from"].is_string() ? body["from"].get<std::string>() : "";
    std::string to = body.contains("to") && body["to"].is_string() ? body["to"].get<std::string>() : "";
    int version = body.contains("version") && body["version"].is_number_integer() ? body["version"].get<int>() : 0;
    if (from.empty()) errors.push_back({"from", "required", "the period's start, e.g. \"2026-03-01\""});
    if (!errors.empty()) return validation_failed(errors);
    if (risk_ == nullptr || pipeline_ == nullptr) return unavailable();
    auto stored = risk_->get_profile(request.path_params.at("id"), version);
    if (!stored) return store_failure(stored.error());
    auto compiled = assessment::compile_stored_profile(*stored);
    if (!compiled) return validation_failed(diagnostics_to_errors(compiled.error()));
    auto report = pipeline_->backtest(*compiled, from, to);
    if (!report) return store_failure(report.error());
    return HttpResponse::json(200, dump({{"id", stored->id},
                                         {"version", stored->version},
                                         {"from", report->from},
                                         {"to", report->to},
                                         {"declarations", report->declarations},
                                         {"selected", report->selected},
                                         {"controlled", report->controlled},
                                         {"irregular", report->irregular},
                                         {"hit_rate", report->hit_rate},
                                         {"sample", report->sample}}));
  }

  HttpResponse performance(const HttpRequest& request, const Principal&) {
    if (pipeline_ == nullptr) return unavailable();
    auto p = pipeline_->performance(request.path_params.at("id"));
    if (!p) return store_failure(p.error());
    return HttpResponse::json(200, dump({{"id", p->profile_id},
                                         {"selections", p->selections},
                                         {"red", p->red},
                                         {"controlled", p->controlled},
                                         {"irregular", p->irregular},
                                         {"seizures", p->seizures},
                                         {"hit_rate", p->hit_rate},
                                         {"yield", p->yield}}));
  }

 private:
  HttpResponse save(const std::string& id, const json& body, const Principal& principal, int status) {
    if (profiles_ == nullptr) return unavailable();
    if (!body.contains("source") || !body["source"].is_string()) {
      return validation_failed({{"source", "required", "the profile's condition, in the profile language"}});
    }
    json metadata = body.contains("metadata") ? body["metadata"] : json::object();
    auto p = profiles_->save(id, body["source"].get<std::string>(), metadata, principal.actor());
    if (!p) return profile_failure(p.error());
    HttpResponse response = HttpResponse::json(status, dump(profile_json(*p)));
    response.headers.emplace_back("Location", fmt::format("/api/v1/profiles/{}", p->id));
    return response;
  }

  HttpResponse step(const HttpRequest& request, const Principal& principal,
                    assessment::ProfileResult<store::StoredProfile> (assessment::ProfileService::*method)(
                        const std::string&, int, const std::string&)) {
    auto version = parse_version(request.path_params.at("version"));
    if (!version) return bad_query({{"version", "version", "expected a version number from 1"}});
    if (profiles_ == nullptr) return unavailable();
    auto p = ((*profiles_).*method)(request.path_params.at("id"), *version, principal.actor());
    if (!p) return profile_failure(p.error());
    return HttpResponse::json(200, dump(profile_json(*p)));
  }

  store::RiskStore* risk_;
  assessment::ProfileService* profiles_;
  assessment::Pipeline* pipeline_;
};

}  // namespace

void add_profile_routes(Router& router, const AppContext& context) {
  auto routes = std::make_shared<ProfileRoutes>(context);
  Auth& auth = *context.auth;
  store::Store& store = *context.store;
  const Roles analysts{Role::kRiskAnalyst};
  auto bind = [routes](HttpResponse (ProfileRoutes::*method)(const HttpRequest&, const Principal&)) {
    return [routes, method](const HttpRequest& r, const Principal& p) { return ((*routes).*method)(r, p); };
  };
  add_secured(router, auth, store, "GET", "/api/v1/profiles", "profiles.list", analysts, bind(&ProfileRoutes::list));
  add_secured(router, auth, store, "POST", "/api/v1/profiles", "profiles.create", analysts, bind(&ProfileRoutes::create),
              AuditMode::kByHandler);
  add_secured(router, auth, store, "GET", "/api/v1/profiles/{id}", "profiles.get", analysts, bind(&ProfileRoutes::get));
  add_secured(router, auth, store, "PUT", "/api/v1/profiles/{id}", "profiles.update", analysts,
              bind(&ProfileRoutes::update), AuditMode::kByHandler);
  add_secured(router, auth, store, "POST", "/api/v1/profiles/{id}/versions/{version}/propose", "profiles.propose",
              analysts, bind(&ProfileRoutes::propose), AuditMode::kByHandler);
  add_secured(router, auth, store, "POST", "/api/v1/profiles/{id}/versions/{version}/approve", "profiles.approve",
              analysts, bind(&ProfileRoutes::approve), AuditMode::kByHandler);
  add_secured(router, auth, store, "POST", "/api/v1/profiles/{id}/deactivate", "profiles.deactivate", analysts,
              bind(&ProfileRoutes::deactivate), AuditMode::kByHandler);
  add_secured(router, auth, store, "POST", "/api/v1/profiles/{id}/backtest", "profiles.backtest", analysts,
              bind(&ProfileRoutes::backtest));
  add_secured(router, auth, store, "GET", "/api/v1/profiles/{id}/performance", "profiles.performance", analysts,
              bind(&ProfileRoutes::performance));
}

}  // namespace cordon::server
