// `cordon profiles save|propose|approve|deactivate|list|backtest`: risk profiles from the command
// line, under the same rules as the API (compiled before stored, four-eyes approval, audited).
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "assessment/risk_components.h"
#include "cli/commands.h"
#include "cli/options.h"

namespace cordon::cli {
namespace {

using nlohmann::json;

struct ProfileOptions {
  StoreOptions store;
  std::string id, file, metadata = "{}", actor, from, to;
  int version = 0;
};

int with_components(const ProfileOptions& o, const std::function<int(assessment::RiskComponents&)>& f) {
  auto store = open_store(o.store);
  if (!store) {
    spdlog::error("cannot open the store: {}", store.error().message);
    return kExitUnavailable;
  }
  auto risk = assessment::open_risk_components(**store, o.store.db);
  if (!risk) {
    spdlog::error("cannot open the risk store: {}", risk.error().message);
    return kExitUnavailable;
  }
  return f(**risk);
}

int report(const assessment::ProfileResult<store::StoredProfile>& r) {
  if (!r) {
    fmt::print(stderr, "refused: {}\n", r.error().message);
    if (!r.error().diagnostics.empty()) fmt::print(stderr, "{}\n", rules::to_string(r.error().diagnostics));
    return r.error().kind == assessment::ProfileError::Kind::kStore ? kExitUnavailable : kExitFailure;
  }
  fmt::print("{} version {}: {}\n", r->id, r->version, r->status);
  return kExitOk;
}

}  // namespace

void register_profiles(CLI::App& app, CommandRegistry& registry) {
  CLI::App* profiles = app.add_subcommand("profiles", "Risk profiles: save, propose, approve, deactivate, list, backtest");
  profiles->require_subcommand(1);
  auto o = std::make_shared<ProfileOptions>();

  CLI::App* save = profiles->add_subcommand("save", "Save a new draft version of a profile (checked first)");
  save->add_option("--id", o->id, "The profile's id")->required();
  save->add_option("--file", o->file, "The profile's source")->required()->check(CLI::ExistingFile);
  save->add_option("--metadata", o->metadata, "Metadata as a JSON object")->capture_default_str();
  save->add_option("--as", o->actor, "The risk analyst saving it")->required();
  add_store_options(*save, o->store);
  save->callback([o, &registry] {
    std::ifstream in(o->file);
    std::stringstream source;
    source << in.rdbuf();
    json metadata = json::parse(o->metadata, nullptr, false);
    if (metadata.is_discarded()) {
      fmt::print(stderr, "--metadata: not JSON\n");
      registry.set_exit_code(kExitUsage);
      return;
    }
    registry.set_exit_code(with_components(*o, [&](assessment::RiskComponents& c) {
      return report(c.profiles->save(o->id, source.str(), metadata, o->actor));
    }));
  });

  for (const char* step : {"propose", "approve"}) {
    CLI::App* cmd = profiles->add_subcommand(step, std::string(step) + " a version (approval: by a second analyst)");
    cmd->add_option("--id", o->id, "The profile's id")->required();
    cmd->add_option("--version", o->version, "The version")->required();
    cmd->add_option("--as", o->actor, "The risk analyst")->required();
    add_store_options(*cmd, o->store);
    std::string which = step;
    cmd->callback([o, which, &registry] {
      registry.set_exit_code(with_components(*o, [&](assessment::RiskComponents& c) {
        return report(which == "propose" ? c.profiles->propose(o->id, o->version, o->actor)
                                         : c.profiles->approve(o->id, o->version, o->actor));
      }));
    });
  }

  CLI::App* off = profiles->add_subcommand("deactivate", "Deactivate a profile's active version");
  off->add_option("--id", o->id, "The profile's id")->required();
  off->add_option("--as", o->actor, "The risk analyst")->required();
  add_store_options(*off, o->store);
  off->callback([o, &registry] {
    registry.set_exit_code(with_components(
        *o, [&](assessment::RiskComponents& c) { return report(c.profiles->deactivate(o->id, o->actor)); }));
  });

  CLI::App* list = profiles->add_subcommand("list", "The latest version of every profile");
  add_store_options(*list, o->store);
  list->callback([o, &registry] {
    registry.set_exit_code(with_components(*o, [&](assessment::RiskComponents& c) {
      auto all = c.risk_store->list_profiles();
      if (!all) return kExitUnavailable;
      for (const auto& p : *all) fmt::print("{}\t{}\t{}\t{}\n", p.id, p.version, p.status, p.author);
      return kExitOk;
    }));
  });

  CLI::App* bt = profiles->add_subcommand("backtest", "Run a profile version over the stored declarations of a period");
  bt->add_option("--id", o->id, "The profile's id")->required();
  bt->add_option("--version", o->version, "The version (default: the latest)");
  bt->add_option("--from", o->from, "Start of the period (lodged_at, inclusive), e.g. 2026-03-01")->required();
  bt->add_option("--to", o->to, "End of the period (exclusive); default: no end");
  add_store_options(*bt, o->store);
  bt->callback([o, &registry] {
    registry.set_exit_code(with_components(*o, [&](assessment::RiskComponents& c) {
      auto stored = c.risk_store->get_profile(o->id, o->version);
      if (!stored) {
        fmt::print(stderr, "{}\n", stored.error().message);
        return kExitFailure;
      }
      auto compiled = assessment::compile_stored_profile(*stored);
      if (!compiled) {
        fmt::print(stderr, "{}\n", rules::to_string(compiled.error()));
        return kExitFailure;
      }
      auto r = c.pipeline->backtest(*compiled, o->from, o->to);
      if (!r) return kExitUnavailable;
      fmt::print("{} version {} over {} declarations: selects {}, controlled {}, irregular {}, hit rate {:.3f}\n",
                 stored->id, stored->version, r->declarations, r->selected, r->controlled, r->irregular, r->hit_rate);
      return kExitOk;
    }));
  });
}

}  // namespace cordon::cli
