// Subcommand registration for the `cordon` program.
#pragma once

#include <CLI/CLI.hpp>

namespace cordon::cli {

// Carries the exit code out of CLI11 callbacks.
class CommandRegistry {
 public:
  void set_exit_code(int code) { exit_code_ = code; }
  int exit_code() const { return exit_code_; }

 private:
  int exit_code_ = 0;
};

// Exit codes shared by all subcommands.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;     // the command ran and found a problem (invalid input, ...)
inline constexpr int kExitUsage = 2;       // bad arguments, missing file
inline constexpr int kExitUnavailable = 3; // storage or network unavailable

void register_version(CLI::App& app, CommandRegistry& registry);
void register_validate(CLI::App& app, CommandRegistry& registry);
void register_import(CLI::App& app, CommandRegistry& registry);
void register_serve(CLI::App& app, CommandRegistry& registry);
void register_simulate(CLI::App& app, CommandRegistry& registry);
void register_simulate_replay(CLI::App& simulate, CommandRegistry& registry);  // under `simulate`
void register_decode(CLI::App& app, CommandRegistry& registry);
void register_admin(CLI::App& app, CommandRegistry& registry);
void register_screening(CLI::App& app, CommandRegistry& registry);
void register_audit(CLI::App& app, CommandRegistry& registry);
void register_profiles(CLI::App& app, CommandRegistry& registry);
void register_journey(CLI::App& app, CommandRegistry& registry);
void register_model(CLI::App& app, CommandRegistry& registry);  // also adds `import kcs|controls`

inline void register_all(CLI::App& app, CommandRegistry& registry) {
  register_serve(app, registry);
  register_simulate(app, registry);
  register_import(app, registry);
  register_validate(app, registry);
  register_decode(app, registry);
  register_admin(app, registry);
  register_screening(app, registry);
  register_audit(app, registry);
  register_profiles(app, registry);
  register_journey(app, registry);
  register_model(app, registry);
  register_version(app, registry);
}

}  // namespace cordon::cli
