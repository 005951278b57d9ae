// `cordon serve`: the HTTP API on one address, over one store.
#include <malloc.h>

#include <csignal>

#include <spdlog/spdlog.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "assessment/risk_components.h"
#include "server/app.h"
#include "server/telemetry/telemetry_server.h"
#include "store/sqlite/sqlite_supervision_store.h"
#include "store/sqlite/sqlite_store.h"

namespace cordon::cli {

void register_serve(CLI::App& app, CommandRegistry& registry) {
  struct Options {
    std::string listen = "127.0.0.1:8080";
    StoreOptions store;
    CapacityOptions capacity;
    int io_threads = 2;
    int workers = 8;
    std::size_t body_limit_mib = 64;
    bool quiet = false;
    std::string web_root = "web/dist";
    bool secure_cookie = false;
    std::vector<std::string> telemetry_tcp;  // "gt06=5023"
    std::string telemetry_address = "127.0.0.1";
    int osmand_port = -1;
    std::string mqtt;                        // "127.0.0.1:1883"
    std::string mqtt_topic = "cordon/telemetry/#";
  };
  auto options = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("serve", "Serve the HTTP API (and later the console) until SIGTERM or Ctrl-C");
  cmd->add_option("--listen", options->listen, "Address and port to listen on (port 0 picks a free one)")
      ->capture_default_str();
  add_store_options(*cmd, options->store);
  add_capacity_options(*cmd, options->capacity);
  cmd->add_option("--io-threads", options->io_threads, "Threads for network I/O")->capture_default_str()->check(CLI::Range(1, 64));
  cmd->add_option("--workers", options->workers, "Threads that run request handlers")->capture_default_str()->check(CLI::Range(1, 256));
  cmd->add_option("--body-limit-mib", options->body_limit_mib, "Largest accepted request body, in MiB")
      ->capture_default_str()
      ->check(CLI::Range(1, 4096));
  cmd->add_flag("--quiet", options->quiet, "No access log lines");
  cmd->add_option("--web-root", options->web_root, "The built officer console (web/dist); without it / shows a plain page")
      ->capture_default_str();
  cmd->add_flag("--secure-cookie", options->secure_cookie, "Mark the session cookie Secure (when served behind TLS)");
  cmd->add_option("--telemetry-tcp", options->telemetry_tcp,
                  "A TCP listener for a device protocol, PROTOCOL=PORT (teltonika, gt06, jt808, jt600, eseal); repeatable");
  cmd->add_option("--telemetry-address", options->telemetry_address, "Address the telemetry listeners bind to")
      ->capture_default_str();
  cmd->add_option("--osmand-port", options->osmand_port, "Serve the OsmAnd HTTP protocol on this port (unauthenticated)");
  cmd->add_option("--mqtt", options->mqtt, "Subscribe to telemetry on this MQTT broker, HOST:PORT");
  cmd->add_option("--mqtt-topic", options->mqtt_topic, "The MQTT topic filter to subscribe to")->capture_default_str();
  cmd->callback([options, &registry] {
    auto endpoint = parse_listen(options->listen);
    if (!endpoint) {
      spdlog::error("--listen: {}", endpoint.error());
      registry.set_exit_code(kExitUsage);
      return;
    }
    auto capacity = capacity_policy(options->capacity);
    if (!capacity) {
      spdlog::error("{}", capacity.error());
      registry.set_exit_code(kExitUsage);
      return;
    }
    // Request bodies, NDJSON answers and a batch's declarations are buffers of megabytes, made
    // and freed per request. Above glibc's default threshold (128 KiB, rising only as such
    // buffers are freed) each one is a fresh mmap that the kernel zero-fills page by page
    // (2.4 % of the server's time under batch intake, measured); kept in the heap, the memory
    // is reused.
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    auto store = open_store(options->store);
    if (!store) {
      spdlog::error("cannot open the store: {}", store.error().message);
      registry.set_exit_code(kExitUnavailable);
      return;
    }
    auto metrics = std::make_shared<server::Metrics>();
    server::AuthOptions auth_options;
    auth_options.secure_cookie = options->secure_cookie;
    server::Auth auth(**store, auth_options);
    assessment::ScreeningService screening(**store, {});
    if (auto loaded = screening.load(); !loaded) {
      spdlog::error("cannot load the watch lists: {}", loaded.error().message);
      registry.set_exit_code(kExitUnavailable);
      return;
    }
    server::AppContext context{store->get(), &auth, &screening, metrics, CORDON_VERSION, options->web_root};
    // Risk: profiles, the assessment pipeline and the decision log (issue 4).
    auto risk = assessment::open_risk_components(**store, options->store.db, {.capacity = *capacity});
    if (!risk) {
      spdlog::error("cannot open the risk store: {}", risk.error().message);
      registry.set_exit_code(kExitUnavailable);
      return;
    }
    context.risk_store = (*risk)->risk_store.get();
    context.pipeline = (*risk)->pipeline.get();
    context.profiles = (*risk)->profiles.get();
    context.models = (*risk)->models.get();
    // The drift gauges start from the stored decisions; GET /api/v1/models/drift refreshes them.
    if (auto drift = context.models->drift({}); drift) server::publish_drift(*drift, metrics.get());
    metrics->set_gauge("cordon_model_active_version", "The active scoring model's version (0: none)",
                       static_cast<double>(context.pipeline->model().version));
    auto supervision_store = store::sqlite::open_supervision_store(options->store.db);
    if (!supervision_store) {
      spdlog::error("cannot open the supervision store: {}", supervision_store.error().message);
      registry.set_exit_code(kExitUnavailable);
      return;
    }
    assessment::SupervisionService supervision(**supervision_store);
    if (auto replayed = supervision.load(); !replayed) {
      spdlog::error("cannot reload supervision: {}", replayed.error().message);
      registry.set_exit_code(kExitUnavailable);
      return;
    }
    context.supervision = &supervision;
    server::telemetry::TelemetryServer telemetry(supervision);
    std::vector<std::string> telemetry_errors;
    for (const auto& spec : options->telemetry_tcp) {
      auto eq = spec.find('=');
      auto protocol = supervision::protocols::parse_protocol(spec.substr(0, eq));
      int port = eq == std::string::npos ? -1 : std::atoi(spec.c_str() + eq + 1);
      if (!protocol || port < 0 || port > 65535) {
        telemetry_errors.push_back("--telemetry-tcp " + spec + ": expected PROTOCOL=PORT");
        continue;
      }
      if (auto r = telemetry.add_tcp(*protocol, options->telemetry_address, static_cast<uint16_t>(port)); !r) {
        telemetry_errors.push_back(r.error());
      }
    }
    if (options->osmand_port >= 0) {
      auto r = telemetry.add_osmand(options->telemetry_address, static_cast<uint16_t>(options->osmand_port));
      if (!r) telemetry_errors.push_back(r.error());
    }
    if (!options->mqtt.empty()) {
      auto broker = parse_listen(options->mqtt);
      auto r = broker ? telemetry.add_mqtt(broker->first, broker->second, options->mqtt_topic)
                      : std::expected<server::telemetry::ListenerInfo, std::string>(std::unexpected("--mqtt: " + broker.error()));
      if (!r) telemetry_errors.push_back(r.error());
    }
    if (!telemetry_errors.empty()) {
      for (const auto& e : telemetry_errors) spdlog::error("telemetry: {}", e);
      registry.set_exit_code(kExitUnavailable);
      return;
    }
    server::HttpServerOptions http;
    http.address = endpoint->first;
    http.port = endpoint->second;
    http.io_threads = options->io_threads;
    http.worker_threads = options->workers;
    http.body_limit_bytes = options->body_limit_mib * 1024 * 1024;
    http.install_signal_handlers = true;
    http.access_log = !options->quiet;
    try {
      server::HttpServer server(http, server::build_router(context), metrics);
      // Scripts (make run, tests) read this line to learn the URL, so its form is stable.
      fmt::print("Cordon {} listening on http://{}:{}/ (store: {})\n", CORDON_VERSION, http.address, server.port(),
                 options->store.db.string());
      for (const auto& l : telemetry.listeners()) fmt::print("telemetry {} on {} port {}\n", l.name, l.where, l.port);
      fmt::print("telemetry listeners: {}\n", telemetry.listeners().size());
      std::fflush(stdout);
      telemetry.start();
      server.run();
      telemetry.stop();
      supervision.stop();
      spdlog::info("stopped");
    } catch (const std::system_error& e) {
      spdlog::error("cannot listen on {}: {}", options->listen, e.what());
      registry.set_exit_code(kExitUnavailable);
    }
  });
}

}  // namespace cordon::cli
