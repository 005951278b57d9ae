// Decisions: a declaration's decision-log entries, control results, officers' overrides.
#include <charconv>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "assessment/pipeline.h"
#include "server/api_json.h"
#include "server/app.h"

namespace cordon::server {
namespace {

using nlohmann::json;

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

std::optional<int64_t> declaration_id(const HttpRequest& request) {
  const std::string& text = request.path_params.at("id");
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

HttpResponse bad_id(const HttpRequest& request) {
  return bad_query({{"id", "declaration_id", fmt::format("{} is not a declaration id", quote_value(request.path_params.at("id")))}});
}

HttpResponse unavailable() {
  return HttpResponse::error(503, "unavailable", "the risk pipeline is not running in this server");
}

json entry_json(const store::DecisionEntry& e) {
  return {{"seq", e.seq},
          {"kind", e.kind},
          {"at", e.at},
          {"hash", e.hash},
          {"prev_hash", e.prev_hash},
          {"body", json::parse(e.body_json, nullptr, false)}};
}

class DecisionRoutes {
 public:
  explicit DecisionRoutes(const AppContext& context)
      : store_(*context.store), risk_(context.risk_store), pipeline_(context.pipeline) {}

  // Also checks the principal's office scope, as GET /declarations/{id} does.
  std::optional<HttpResponse> check_visible(int64_t id, const Principal& principal) {
    auto stored = store_.get_declaration(id);
    if (!stored) return store_failure(stored.error());
    if (auto scope = principal.office_scope();
        scope && std::find(scope->begin(), scope->end(), stored->declaration.office_of_first_entry) == scope->end()) {
      return HttpResponse::error(404, "not_found", fmt::format("no declaration {}", id));
    }
    return std::nullopt;
  }

  HttpResponse decision(const HttpRequest& request, const Principal& principal) {
    auto id = declaration_id(request);
    if (!id) return bad_id(request);
    if (risk_ == nullptr) return unavailable();
    if (auto refused = check_visible(*id, principal)) return *refused;
    auto entries = risk_->decisions_for(*id);
    if (!entries) return store_failure(entries.error());
    json history = json::array();
    json latest = nullptr;
    for (const auto& e : *entries) {
      history.push_back(entry_json(e));
      if (e.kind == "assessment") latest = json::parse(e.body_json, nullptr, false);
    }
    if (latest.is_null()) return HttpResponse::error(404, "not_found", fmt::format("declaration {} has no decision", *id));
    json body = {{"declaration_id", *id}, {"decision", latest}, {"log", history}};
    auto assessment = store_.get_assessment(*id);
    if (assessment && *assessment) body["channel"] = (*assessment)->channel;  // after any override
    auto control = risk_->control_result_for(*id);
    if (control && *control) {
      const auto& c = **control;
      body["control_result"] = {{"outcome", c.irregularity ? "irregularity" : "no_irregularity"},
                                {"category", c.category},
                                {"seizure_reference", c.seizure_reference},
                                {"recorded_by", c.recorded_by},
                                {"recorded_at", c.recorded_at}};
    }
    return HttpResponse::json(200, dump(body));
  }

  HttpResponse control_result(const HttpRequest& request, const Principal& principal) {
    auto id = declaration_id(request);
    if (!id) return bad_id(request);
    json body = json::parse(request.body, nullptr, false);
    if (!body.is_object()) return validation_failed({{"", "json_syntax", "the body must be a JSON object"}});
    FieldErrors errors;
    store::ControlResult result;
    result.declaration_id = *id;
    result.recorded_by = principal.actor();
    std::string outcome = body.value("outcome", "");
    if (outcome == "irregularity") {
      result.irregularity = true;
    } else if (outcome != "no_irregularity") {
      errors.push_back({"outcome", "enum", "expected \"no_irregularity\" or \"irregularity\""});
    }
    auto text = [&](const char* key, std::string& out) {
      if (!body.contains(key) || body[key].is_null()) return;
      if (body[key].is_string()) {
        out = body[key].get<std::string>();
      } else {
        errors.push_back({key, "type", "expected a string"});
      }
    };
    text("category", result.category);
    text("seizure_reference", result.seizure_reference);
    text("note", result.note);
    if (result.irregularity && result.category.empty()) {
      errors.push_back({"category", "required", "an irregularity needs a category (\"undervaluation\", \"drugs\", ...)"});
    }
    if (!result.irregularity && !result.seizure_reference.empty()) {
      errors.push_back({"seizure_reference", "consistency", "a seizure reference needs outcome \"irregularity\""});
    }
    if (!errors.empty()) return validation_failed(errors);
    if (pipeline_ == nullptr) return unavailable();
    if (auto refused = check_visible(*id, principal)) return *refused;
    auto stored = pipeline_->record_control(result);
    if (!stored) return store_failure(stored.error());
    return HttpResponse::json(201, dump({{"id", *stored}, {"declaration_id", *id}, {"outcome", outcome}}));
  }

  HttpResponse override_channel(const HttpRequest& request, const Principal& principal) {
    auto id = declaration_id(request);
    if (!id) return bad_id(request);
    json body = json::parse(request.body, nullptr, false);
    if (!body.is_object()) return validation_failed({{"", "json_syntax", "the body must be a JSON object"}});
    FieldErrors errors;
    auto channel = body.contains("channel") && body["channel"].is_string()
                       ? selection::parse_channel(body["channel"].get<std::string>())
                       : std::nullopt;
    if (!channel) errors.push_back({"channel", "enum", "expected \"green\", \"yellow\" or \"red\""});
    std::string reason = body.contains("reason") && body["reason"].is_string() ? body["reason"].get<std::string>() : "";
    if (reason.find_first_not_of(" \t\r\n") == std::string::npos) {
      errors.push_back({"reason", "required", "an override needs a reason"});
    }
    if (!errors.empty()) return validation_failed(errors);
    if (pipeline_ == nullptr) return unavailable();
    if (auto refused = check_visible(*id, principal)) return *refused;
    auto entry = pipeline_->record_override(*id, {*channel, reason, principal.actor()});
    if (!entry) return store_failure(entry.error());
    return HttpResponse::json(201, dump(entry_json(*entry)));
  }

 private:
  store::Store& store_;
  store::RiskStore* risk_;
  assessment::Pipeline* pipeline_;
};

}  // namespace

void add_decision_routes(Router& router, const AppContext& context) {
  auto routes = std::make_shared<DecisionRoutes>(context);
  Auth& auth = *context.auth;
  store::Store& store = *context.store;
  const Roles readers{Role::kRiskAnalyst, Role::kTargetingOfficer, Role::kNationalContactPoint};
  const Roles controllers{Role::kTargetingOfficer, Role::kRiskAnalyst};
  auto bind = [routes](HttpResponse (DecisionRoutes::*method)(const HttpRequest&, const Principal&)) {
    return [routes, method](const HttpRequest& r, const Principal& p) { return ((*routes).*method)(r, p); };
  };
  add_secured(router, auth, store, "GET", "/api/v1/declarations/{id}/decision", "declarations.decision", readers,
              bind(&DecisionRoutes::decision));
  add_secured(router, auth, store, "POST", "/api/v1/declarations/{id}/control-result", "declarations.control_result",
              controllers, bind(&DecisionRoutes::control_result));
  add_secured(router, auth, store, "POST", "/api/v1/declarations/{id}/override", "declarations.override", controllers,
              bind(&DecisionRoutes::override_channel));
}

}  // namespace cordon::server
