// `cordon audit verify`: recomputes the decision log's hash chain and names the first entry
// that was altered, inserted or deleted.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "store/sqlite/sqlite_risk_store.h"

namespace cordon::cli {

void register_audit(CLI::App& app, CommandRegistry& registry) {
  CLI::App* audit = app.add_subcommand("audit", "The decision log");
  audit->require_subcommand(1);
  auto options = std::make_shared<StoreOptions>();
  CLI::App* verify = audit->add_subcommand("verify", "Check the decision log's hash chain; exit 1 when it was tampered with");
  add_store_options(*verify, *options);
  verify->callback([options, &registry] {
    auto risk = store::open_sqlite_risk_store(options->db);
    if (!risk) {
      spdlog::error("cannot open the risk store: {}", risk.error().message);
      registry.set_exit_code(kExitUnavailable);
      return;
    }
    auto result = (*risk)->verify_decision_log();
    if (!result) {
      spdlog::error("cannot read the decision log: {}", result.error().message);
      registry.set_exit_code(kExitUnavailable);
      return;
    }
    if (result->ok) {
      fmt::print("decision log intact: {} entries, chain verified\n", result->entries);
      registry.set_exit_code(kExitOk);
    } else {
      fmt::print("decision log TAMPERED at entry {}: {}\n", result->bad_seq.value_or(0), result->problem);
      registry.set_exit_code(kExitFailure);
    }
  });
}

}  // namespace cordon::cli
