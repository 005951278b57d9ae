// Operational routes: health, metrics, the API description.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "assessment/supervision_service.h"
#include "server/app.h"

namespace cordon::embedded {
extern const std::string_view kOpenApiYaml;
}

namespace cordon::server {
namespace {

// The telemetry pipeline's counters (assessment::IngestStats), read when scraped.
std::string supervision_metrics(const assessment::IngestStats& s) {
  std::string out;
  auto counter = [&](const char* name, const char* help, std::uint64_t v) {
    out += fmt::format("# HELP {0} {1}\n# TYPE {0} counter\n{0} {2}\n", name, help, v);
  };
  counter("cordon_telemetry_received_total", "Decoded telemetry messages queued for the supervision engine.", s.received);
  counter("cordon_telemetry_refused_total", "Telemetry messages refused because the ingest queue was full.", s.refused);
  counter("cordon_telemetry_applied_total", "Telemetry messages ingested by the supervision engine and logged.", s.applied);
  counter("cordon_telemetry_unknown_device_total", "Telemetry messages from unregistered devices.", s.unknown_device);
  counter("cordon_telemetry_batches_total", "Ingest transactions committed (one per batch of messages).", s.batches);
  counter("cordon_alarm_changes_pushed_total", "Alarm changes stored and pushed to listeners.", s.alarms_pushed);
  out += fmt::format("# HELP cordon_telemetry_queue_depth Messages waiting for the ingest thread.\n"
                     "# TYPE cordon_telemetry_queue_depth gauge\ncordon_telemetry_queue_depth {}\n",
                     s.queued);
  return out;
}

}  // namespace

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
              [metrics, supervision = context.supervision](const HttpRequest&, const Principal&) {
                std::string text = metrics->render();
                if (supervision) text += supervision_metrics(supervision->stats());
                return HttpResponse::text(200, std::move(text), "text/plain; version=0.0.4; charset=utf-8");
              },
              AuditMode::kByHandler);  // scrapes every few seconds: auditing them would drown the log

  router.add("GET", "/api/v1/openapi.yaml", "system.openapi", [](const HttpRequest&) {
    return HttpResponse::text(200, std::string(embedded::kOpenApiYaml), "application/yaml");
  });

}

}  // namespace cordon::server
