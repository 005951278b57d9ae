// Cordon's HTTP API: wires the engines to a store and registers their routes. Each engine's
// routes live in their own file (routes_*.cc); a handler parses the request into typed
// parameters, calls the engine, and renders the result — nothing else.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "assessment/model_service.h"
#include "assessment/screening_service.h"
#include "assessment/pipeline.h"
#include "assessment/profiles.h"
#include "store/risk_store.h"
#include "assessment/supervision_service.h"
#include "server/auth.h"
#include "server/http_server.h"
#include "store/store.h"

namespace cordon::server {

struct AppContext {
  store::Store* store = nullptr;        // outlives the server
  Auth* auth = nullptr;                 // outlives the server
  assessment::ScreeningService* screening = nullptr;  // outlives the server
  std::shared_ptr<Metrics> metrics;
  std::string version;                  // reported by /healthz
  std::filesystem::path web_root;       // the built console (web/dist); empty or missing: a plain index page
  // Risk (issue 4); null: the risk routes answer 503. All outlive the server.
  store::RiskStore* risk_store = nullptr;
  assessment::Pipeline* pipeline = nullptr;
  assessment::ProfileService* profiles = nullptr;
  assessment::SupervisionService* supervision = nullptr;  // outlives the server; null: its routes answer 503
  assessment::ModelService* models = nullptr;  // the learned score (issue 7); null: its routes answer 503
};

// All of Cordon's routes.
std::shared_ptr<Router> build_router(const AppContext& context);

// Registration, one function per routes file.
void add_system_routes(Router& router, const AppContext& context);
void add_auth_routes(Router& router, const AppContext& context);
void add_declaration_routes(Router& router, const AppContext& context);
void add_screening_routes(Router& router, const AppContext& context);
void add_console_routes(Router& router, const AppContext& context);
void add_profile_routes(Router& router, const AppContext& context);
void add_decision_routes(Router& router, const AppContext& context);
void add_supervision_routes(Router& router, const AppContext& context);
void add_model_routes(Router& router, const AppContext& context);
// Sets the drift gauges (cordon_selection_precision_weekly, cordon_selection_drift_alert).
void publish_drift(const assessment::DriftReport& report, Metrics* metrics);

}  // namespace cordon::server
