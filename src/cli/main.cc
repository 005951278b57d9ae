// The `cordon` program: one binary, one subcommand per task. Each subcommand lives in its own
// file (commands_*.cc) and registers itself here.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"Cordon — customs risk management and cargo supervision"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("cordon ") + CORDON_VERSION);
  cordon::cli::CommandRegistry registry;
  cordon::cli::register_all(app, registry);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return registry.exit_code();
}
