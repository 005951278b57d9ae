// Operational routes: health, metrics, the API description.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "server/app.h"

namespace cordon::embedded {
extern const std::string_view kOpenApiYaml;
}

namespace cordon::server {

void add_system_routes(Router& router, const AppContext& context) {
  store::Store* store = context.store;
  std::string version = context.version;
  std::shared_ptr<Metrics> metrics = context.metrics;

  router.add("GET", "/healthz", "system.health", [store, version](const HttpRequest&) {
    // Healthy means the store answers a query, not merely that the process is up.
    auto count = store->count_declarations();
    nlohmann::json body = {{"status", count ? "ok" : "degraded"},
                           {"version", version},
                           {"store", count ? "ok" : count.error().message}};
    return HttpResponse::json(count ? 200 : 503, body.dump());
  });

  add_secured(router, *context.auth, *store, "GET", "/metrics", "system.metrics",
              Roles{Role::kMonitoring, Role::kAdministrator},
              [metrics](const HttpRequest&, const Principal&) {
                return HttpResponse::text(200, metrics->render(), "text/plain; version=0.0.4; charset=utf-8");
              },
              AuditMode::kByHandler);  // scrapes every few seconds: auditing them would drown the log

  router.add("GET", "/api/v1/openapi.yaml", "system.openapi", [](const HttpRequest&) {
    return HttpResponse::text(200, std::string(embedded::kOpenApiYaml), "application/yaml");
  });

}

}  // namespace cordon::server
