// `cordon serve`: the HTTP API on one address, over one store.
#include <csignal>

#include <spdlog/spdlog.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "server/app.h"
#include "store/sqlite/sqlite_store.h"

namespace cordon::cli {

void register_serve(CLI::App& app, CommandRegistry& registry) {
  struct Options {
    std::string listen = "127.0.0.1:8080";
    StoreOptions store;
    int io_threads = 2;
    int workers = 8;
    std::size_t body_limit_mib = 64;
    bool quiet = false;
    std::string web_root = "web/dist";
    bool secure_cookie = false;
  };
  auto options = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("serve", "Serve the HTTP API (and later the console) until SIGTERM or Ctrl-C");
  cmd->add_option("--listen", options->listen, "Address and port to listen on (port 0 picks a free one)")
      ->capture_default_str();
  add_store_options(*cmd, options->store);
  cmd->add_option("--io-threads", options->io_threads, "Threads for network I/O")->capture_default_str()->check(CLI::Range(1, 64));
  cmd->add_option("--workers", options->workers, "Threads that run request handlers")->capture_default_str()->check(CLI::Range(1, 256));
  cmd->add_option("--body-limit-mib", options->body_limit_mib, "Largest accepted request body, in MiB")
      ->capture_default_str()
      ->check(CLI::Range(1, 4096));
  cmd->add_flag("--quiet", options->quiet, "No access log lines");
  cmd->add_option("--web-root", options->web_root, "The built officer console (web/dist); without it / shows a plain page")
      ->capture_default_str();
  cmd->add_flag("--secure-cookie", options->secure_cookie, "Mark the session cookie Secure (when served behind TLS)");
  cmd->callback([options, &registry] {
    auto endpoint = parse_listen(options->listen);
    if (!endpoint) {
      spdlog::error("--listen: {}", endpoint.error());
      registry.set_exit_code(kExitUsage);
      return;
    }
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
      std::fflush(stdout);
      server.run();
      spdlog::info("stopped");
    } catch (const std::system_error& e) {
      spdlog::error("cannot listen on {}: {}", options->listen, e.what());
      registry.set_exit_code(kExitUnavailable);
    }
  });
}

}  // namespace cordon::cli
