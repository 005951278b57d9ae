// The learned score: the model registry (versions and their metrics, activation, rollback) and
// the weekly drift report of selection precision. Risk analysts only.
#include <charconv>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "assessment/model_service.h"
#include "server/api_json.h"
#include "server/app.h"

namespace cordon::server {
namespace {

using assessment::ModelError;
using assessment::ModelErrorKind;
using nlohmann::json;

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

HttpResponse unavailable() {
  return HttpResponse::error(503, "unavailable", "the risk pipeline is not running in this server");
}

HttpResponse model_failure(const ModelError& e) {
  switch (e.kind) {
    case ModelErrorKind::kInvalid:
      return HttpResponse::error(422, "validation_failed", e.message);
    case ModelErrorKind::kNotFound:
      return HttpResponse::error(404, "not_found", e.message);
    case ModelErrorKind::kConflict:
      return HttpResponse::error(409, "conflict", e.message);
    case ModelErrorKind::kStore:
      break;
  }
  return HttpResponse::error(503, "unavailable", e.message);
}

json parsed(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  return j.is_discarded() ? json(nullptr) : j;
}

json model_json(const store::StoredModel& m) {
  return {{"version", m.version},
          {"status", m.status},
          {"feature_schema", m.feature_schema},
          {"params", parsed(m.params_json)},
          {"metrics", parsed(m.metrics_json)},
          {"trained_from", m.trained_from},
          {"trained_to", m.trained_to},
          {"created_by", m.created_by},
          {"created_at", m.created_at},
          {"activated_by", m.activated_by},
          {"activated_at", m.activated_at}};
}

json event_json(const store::ModelEvent& e) {
  return {{"seq", e.seq},       {"version", e.version}, {"previous", e.previous},
          {"action", e.action}, {"actor", e.actor},     {"at", e.at}};
}

std::optional<int64_t> parse_version(const std::string& text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

class ModelRoutes {
 public:
  explicit ModelRoutes(const AppContext& context)
      : risk_(context.risk_store), models_(context.models), metrics_(context.metrics) {}

  HttpResponse list(const HttpRequest&, const Principal&) {
    if (risk_ == nullptr) return unavailable();
    auto all = risk_->list_models();
    if (!all) return store_failure(all.error());
    auto events = risk_->model_events();
    if (!events) return store_failure(events.error());
    json items = json::array(), history = json::array();
    for (const auto& m : *all) items.push_back(model_json(m));
    for (const auto& e : *events) history.push_back(event_json(e));
    return HttpResponse::json(200, dump({{"items", items}, {"events", history}}));
  }

  HttpResponse get(const HttpRequest& request, const Principal&) {
    auto version = parse_version(request.path_params.at("version"));
    if (!version) return bad_query({{"version", "version", "expected a model version from 1"}});
    if (risk_ == nullptr) return unavailable();
    auto m = risk_->get_model(*version);
    if (!m) return store_failure(m.error());
    return HttpResponse::json(200, dump(model_json(*m)));
  }

  HttpResponse activate(const HttpRequest& request, const Principal& principal) {
    auto version = parse_version(request.path_params.at("version"));
    if (!version) return bad_query({{"version", "version", "expected a model version from 1"}});
    if (models_ == nullptr) return unavailable();
    auto e = models_->activate(*version, principal.actor());
    if (!e) return model_failure(e.error());
    if (metrics_) metrics_->set_gauge("cordon_model_active_version", "The active scoring model's version", e->version);
    return HttpResponse::json(200, dump(event_json(*e)));
  }

  HttpResponse rollback(const HttpRequest&, const Principal& principal) {
    if (models_ == nullptr) return unavailable();
    auto e = models_->rollback(principal.actor());
    if (!e) return model_failure(e.error());
    if (metrics_) metrics_->set_gauge("cordon_model_active_version", "The active scoring model's version", e->version);
    return HttpResponse::json(200, dump(event_json(*e)));
  }

  // ?weeks=N (1..104)
  HttpResponse drift(const HttpRequest& request, const Principal&) {
    assessment::DriftOptions options;
    if (auto weeks = request.query_param("weeks")) {
      int value = 0;
      auto [end, ec] = std::from_chars(weeks->data(), weeks->data() + weeks->size(), value);
      if (ec != std::errc() || end != weeks->data() + weeks->size() || value < 1 || value > 104) {
        return bad_query({{"weeks", "range", "expected a number of weeks from 1 to 104"}});
      }
      options.weeks = value;
    }
    if (models_ == nullptr) return unavailable();
    auto r = models_->drift(options);
    if (!r) return model_failure(r.error());
    publish_drift(*r, metrics_.get());
    json weeks = json::array();
    for (const auto& w : r->weeks) {
      weeks.push_back({{"week", w.week},
                       {"selected", w.selected},
                       {"controlled", w.controlled},
                       {"irregular", w.irregular},
                       {"precision", w.precision},
                       {"random_controlled", w.random_controlled},
                       {"random_irregular", w.random_irregular},
                       {"random_rate", w.random_rate}});
    }
    return HttpResponse::json(
        200, dump({{"weeks", weeks}, {"alert", r->alert}, {"baseline", r->baseline}, {"message", r->message}}));
  }

 private:
  store::RiskStore* risk_;
  assessment::ModelService* models_;
  std::shared_ptr<Metrics> metrics_;
};

}  // namespace

void publish_drift(const assessment::DriftReport& report, Metrics* metrics) {
  if (metrics == nullptr) return;
  metrics->set_gauge("cordon_selection_drift_alert", "1 when the latest week's selection precision has fallen",
                     report.alert ? 1 : 0);
  for (auto it = report.weeks.rbegin(); it != report.weeks.rend(); ++it) {
    if (it->controlled == 0) continue;
    metrics->set_gauge("cordon_selection_precision_weekly",
                       "Precision of the latest week's risk selections on their control results", it->precision);
    break;
  }
}

void add_model_routes(Router& router, const AppContext& context) {
  auto routes = std::make_shared<ModelRoutes>(context);
  Auth& auth = *context.auth;
  store::Store& store = *context.store;
  const Roles analysts{Role::kRiskAnalyst};
  auto bind = [routes](HttpResponse (ModelRoutes::*method)(const HttpRequest&, const Principal&)) {
    return [routes, method](const HttpRequest& r, const Principal& p) { return ((*routes).*method)(r, p); };
  };
  add_secured(router, auth, store, "GET", "/api/v1/models", "models.list", analysts, bind(&ModelRoutes::list));
  add_secured(router, auth, store, "GET", "/api/v1/models/drift", "models.drift", analysts, bind(&ModelRoutes::drift));
  add_secured(router, auth, store, "GET", "/api/v1/models/{version}", "models.get", analysts, bind(&ModelRoutes::get));
  add_secured(router, auth, store, "POST", "/api/v1/models/{version}/activate", "models.activate", analysts,
              bind(&ModelRoutes::activate), AuditMode::kByHandler);
  add_secured(router, auth, store, "POST", "/api/v1/models/rollback", "models.rollback", analysts,
              bind(&ModelRoutes::rollback), AuditMode::kByHandler);
}

}  // namespace cordon::server
