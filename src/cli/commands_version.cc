// `cordon version`.
#include <sqlite3.h>

#include <fmt/format.h>

#include "cli/commands.h"
#include "store/sqlite/sqlite_store.h"

namespace cordon::cli {

void register_version(CLI::App& app, CommandRegistry& registry) {
  CLI::App* cmd = app.add_subcommand("version", "Print the version of cordon and of what it is built with");
  cmd->callback([] {
    fmt::print("cordon {}\n", CORDON_VERSION);
    fmt::print("store schema {} (SQLite {})\n", store::sqlite_schema_version(), sqlite3_libversion());
#ifdef NDEBUG
    fmt::print("build release\n");
#else
    fmt::print("build debug\n");
#endif
  });
  (void)registry;
}

}  // namespace cordon::cli
