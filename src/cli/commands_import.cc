// `cordon import declarations FILE`: the same intake as the API, from a file.
#include <fstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "assessment/intake.h"
#include "assessment/risk_components.h"
#include "cli/commands.h"
#include "cli/options.h"

namespace cordon::cli {
namespace {

struct ImportOptions {
  std::string file;
  StoreOptions store;
  CapacityOptions capacity;
  std::size_t batch = 2000;
  int max_errors_shown = 20;
};

void print_rejections(const std::vector<assessment::IntakeOutcome>& outcomes, std::size_t line_offset, int& shown,
                      int max_shown) {
  for (const auto& o : outcomes) {
    if (o.status != assessment::IntakeStatus::kRejected && o.status != assessment::IntakeStatus::kConflict) continue;
    if (shown++ >= max_shown) continue;
    for (const auto& e : o.errors) fmt::print(stderr, "line {}: {}\n", o.line + line_offset, e.to_string());
  }
}

int run_import(const ImportOptions& options) {
  std::ifstream in(options.file, std::ios::binary);
  if (!in) {
    spdlog::error("cannot open {}: {}", options.file, std::strerror(errno));
    return kExitUsage;
  }
  in.seekg(0, std::ios::end);
  auto size = static_cast<std::size_t>(in.tellg());
  in.seekg(0);
  auto capacity = capacity_policy(options.capacity);
  if (!capacity) {
    spdlog::error("{}", capacity.error());
    return kExitUsage;
  }
  auto store = open_store(options.store);
  if (!store) {
    spdlog::error("cannot open the store: {}", store.error().message);
    return kExitUnavailable;
  }
  // Imported declarations are screened against the stored watch lists, as the API does.
  assessment::ScreeningService screening(**store, {});
  if (auto loaded = screening.load(); !loaded) {
    spdlog::error("cannot load the watch lists: {}", loaded.error().message);
    return kExitUnavailable;
  }
  // And assessed (rules, selection, decision log), as the API does.
  auto risk = assessment::open_risk_components(**store, options.store.db, {.capacity = *capacity});
  if (!risk) {
    spdlog::error("cannot open the risk store: {}", risk.error().message);
    return kExitUnavailable;
  }
  assessment::Intake intake(**store, &screening, (*risk)->pipeline.get());
  assessment::BatchSummary summary;
  Progress progress("importing", size);
  int shown = 0;
  std::size_t lines_read = 0, bytes_read = 0;
  std::string chunk, line;
  std::size_t chunk_lines = 0, chunk_first_line = 0;

  // Batches of lines go through the intake together: one transaction per batch keeps the import
  // fast, and line numbers stay those of the file.
  auto flush = [&]() -> bool {
    if (chunk_lines == 0) return true;
    auto outcomes = intake.submit_ndjson(chunk, "cli:import");
    if (!outcomes) {
      progress.finish();
      spdlog::error("storing lines {}-{} failed, nothing of them was stored: {}", chunk_first_line + 1,
                    chunk_first_line + chunk_lines, outcomes.error().message);
      return false;
    }
    for (const auto& o : *outcomes) summary.count(o);
    print_rejections(*outcomes, chunk_first_line, shown, options.max_errors_shown);
    chunk.clear();
    chunk_lines = 0;
    progress.update(bytes_read);
    return true;
  };

  while (std::getline(in, line)) {
    if (chunk_lines == 0) chunk_first_line = lines_read;
    ++lines_read;
    bytes_read += line.size() + 1;
    chunk += line;
    chunk += '\n';
    if (++chunk_lines >= options.batch && !flush()) return kExitUnavailable;
  }
  if (!flush()) return kExitUnavailable;
  progress.finish();
  if (shown > options.max_errors_shown) {
    fmt::print(stderr, "... and {} more rejected lines\n", shown - options.max_errors_shown);
  }
  fmt::print("{}: {} stored, {} already stored, {} conflicting, {} rejected\n", options.file, summary.stored,
             summary.duplicates, summary.conflicts, summary.rejected);
  return summary.rejected + summary.conflicts == 0 ? kExitOk : kExitFailure;
}

}  // namespace

void register_import(CLI::App& app, CommandRegistry& registry) {
  CLI::App* import = app.add_subcommand("import", "Import data from files into the store");
  import->require_subcommand(1);

  auto options = std::make_shared<ImportOptions>();
  CLI::App* declarations = import->add_subcommand(
      "declarations",
      "Validate and store declarations from an NDJSON file (one JSON declaration per line). Valid lines are "
      "stored; invalid ones are reported by line number. Exit status 1 when any line was refused.");
  declarations->add_option("FILE", options->file, "NDJSON file")->required()->check(CLI::ExistingFile);
  add_store_options(*declarations, options->store);
  add_capacity_options(*declarations, options->capacity);
  declarations->add_option("--batch", options->batch, "Lines stored per transaction")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  declarations->add_option("--max-errors", options->max_errors_shown, "Rejected lines to print")->capture_default_str();
  declarations->callback([options, &registry] { registry.set_exit_code(run_import(*options)); });
}

}  // namespace cordon::cli
