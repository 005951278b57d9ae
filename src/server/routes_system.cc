// Operational routes: health, metrics, the API description, and a landing page.
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

  router.add("GET", "/metrics", "system.metrics", [metrics](const HttpRequest&) {
    return HttpResponse::text(200, metrics->render(), "text/plain; version=0.0.4; charset=utf-8");
  });

  router.add("GET", "/api/v1/openapi.yaml", "system.openapi", [](const HttpRequest&) {
    return HttpResponse::text(200, std::string(embedded::kOpenApiYaml), "application/yaml");
  });

  router.add("GET", "/", "system.index", [store, version](const HttpRequest&) {
    auto count = store->count_declarations();
    std::string html = fmt::format(
        R"(<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Cordon</title>
<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:3rem auto;padding:0 1rem}}code{{background:#eee;padding:0 .2em}}</style>
</head><body><h1>Cordon {}</h1>
<p>Customs risk management and cargo supervision. {} declarations stored.</p>
<ul>
<li><a href="/api/v1/declarations?limit=20">/api/v1/declarations</a> — the latest declarations (JSON)</li>
<li><a href="/api/v1/openapi.yaml">/api/v1/openapi.yaml</a> — the API description (OpenAPI 3)</li>
<li><a href="/healthz">/healthz</a> and <a href="/metrics">/metrics</a> — health and Prometheus metrics</li>
</ul>
<p>Submit a declaration: <code>curl -X POST -H 'Content-Type: application/json' --data @declaration.json http://HOST/api/v1/declarations</code></p>
</body></html>)",
        version, count ? std::to_string(*count) : std::string("an unknown number of"));
    return HttpResponse::text(200, std::move(html), "text/html; charset=utf-8");
  });
}

}  // namespace cordon::server
