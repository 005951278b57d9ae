// `cordon simulate`: write a simulated world (declarations, watch list, ground truth) to a folder.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "simulation/controls.h"
#include "simulation/simulation.h"

namespace cordon::cli {

void register_simulate(CLI::App& app, CommandRegistry& registry) {
  struct Options {
    simulation::SimulationOptions sim;
    std::string out = "var/world";
  };
  auto options = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "simulate",
      "Generate a realistic, seeded customs world with planted irregularities and their ground truth: "
      "declarations.ndjson, ground_truth.ndjson, watchlist.ndjson, traders.ndjson, controls.ndjson, the supervised "
      "journeys (devices.ndjson, routes.ndjson, journeys.ndjson, journey_incidents.ndjson) and world.json in --out. "
      "`cordon simulate replay` sends the journeys to a running Cordon over the devices' protocols.");
  cmd->add_option("--out", options->out, "Folder to write the world to (created if missing)")->capture_default_str();
  cmd->add_option("--seed", options->sim.seed, "Random seed; the same seed gives the same world")->capture_default_str();
  cmd->add_option("--scale", options->sim.scale, "Size: 1.0 is about 10,000 declarations and 800 traders per 30 days")
      ->capture_default_str();
  cmd->add_option("--start", options->sim.start_date, "First day of declarations, YYYY-MM-DD")->capture_default_str();
  cmd->add_option("--days", options->sim.days, "Number of simulated days")->capture_default_str();
  cmd->add_option("--journeys", options->sim.journeys,
                  "Supervised journeys under e-seals (devices, routes, planted incidents); -1: 40 per unit of scale")
      ->capture_default_str();
  register_simulate_replay(*cmd, registry);
  cmd->callback([options, cmd, &registry] {
    if (cmd->got_subcommand("replay")) return;  // `cordon simulate replay` writes no world
    if (auto ok = simulation::check_options(options->sim); !ok) {
      spdlog::error("{}", ok.error());
      registry.set_exit_code(kExitUsage);
      return;
    }
    Progress progress("simulating", 1000);
    auto summary = simulation::simulate_world(options->sim, options->out, [&](double fraction) {
      progress.update(static_cast<std::size_t>(fraction * 1000));
    });
    progress.finish();
    if (!summary) {
      spdlog::error("{}", summary.error());
      registry.set_exit_code(kExitFailure);
      return;
    }
    fmt::print("world written to {} (seed {}, scale {}, {} days from {})\n", options->out, summary->seed,
               summary->scale, summary->days, summary->start_date);
    for (const auto& [file, lines] : summary->file_counts) fmt::print("  {:<26} {:>9} lines\n", file, lines);
    fmt::print("  planted facts:");
    for (const auto& [kind, n] : summary->fact_counts) fmt::print(" {} {},", kind, n);
    fmt::print(" in {} irregular declarations\n", summary->irregular_declarations);
    // What inspections would find, from the ground truth: the control results officers record.
    auto controls = simulation::write_controls(options->out, {.share = 0.10, .miss_rate = 0.05, .seed = summary->seed});
    if (!controls) {
      spdlog::error("{}", controls.error());
      registry.set_exit_code(kExitFailure);
      return;
    }
    fmt::print("  {:<26} {:>9} lines (10% of declarations inspected, 5% of irregularities missed)\n", "controls.ndjson",
               *controls);
  });
}

}  // namespace cordon::cli
