// bench_selection: a simulated world through the whole pipeline (validate → store → screen →
// rules → select → decision log) via Intake on a real SQLite file, then selection quality at a
// red capacity of 5 % of declarations: analyst profiles alone beside random selection.
//
//   bench_selection [--scale 1.0] [--fillers 994] [--work /tmp/cordon-selection-bench] [--sync full|normal]
//
// Fillers are generated profiles (weight 0, minimum channel green) that bring the active rule
// set to 1,000 profiles for the throughput figure without changing any selection.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <unordered_map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "assessment/intake.h"
#include "assessment/pipeline.h"
#include "assessment/profiles.h"
#include "assessment/screening_service.h"
#include "selection/selection.h"
#include "simulation/simulation.h"
#include "store/sqlite/sqlite_risk_store.h"
#include "store/sqlite/sqlite_store.h"

namespace fs = std::filesystem;
using namespace cordon;
using nlohmann::json;

namespace {

struct Args {
  double scale = 1.0;
  int fillers = 994;
  fs::path work = "/tmp/cordon-selection-bench";
  std::string sync = "full";
  double capacity_share = 0.05;
};

[[noreturn]] void die(const std::string& message) {
  std::fprintf(stderr, "bench_selection: %s\n", message.c_str());
  std::exit(1);
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// "# key: value" header lines of a .profile file.
std::map<std::string, std::string> header(const std::string& source) {
  std::map<std::string, std::string> h;
  std::istringstream in(source);
  std::string line;
  while (std::getline(in, line) && line.rfind("# ", 0) == 0) {
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    h[line.substr(2, colon - 2)] = value;
  }
  return h;
}

void activate(store::RiskStore& risk, const std::string& id, const std::string& source, const json& metadata) {
  store::StoredProfile p{id, 0, source, metadata.dump(), "active", "bench", "bench", "bench-approver", {}, {}};
  if (auto c = assessment::compile_stored_profile(p); !c) die(id + ": " + rules::to_string(c.error()));
  if (auto v = risk.add_profile_version(p); !v) die(v.error().message);
}

struct Tally {
  int64_t red = 0, red_irregular = 0;
  std::map<std::string, int64_t> caught_by_kind;
  void add(bool irregular) {
    ++red;
    red_irregular += irregular ? 1 : 0;
  }
};

void print_tally(const char* name, const Tally& t, int64_t irregular_total) {
  fmt::print("  {:<44} red {:>6}  irregular {:>5}  hit rate {:>6.1f} %  caught {:>5.1f} % of {} irregular\n", name,
             t.red, t.red_irregular, t.red ? 100.0 * t.red_irregular / t.red : 0.0,
             irregular_total ? 100.0 * t.red_irregular / irregular_total : 0.0, irregular_total);
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--scale") args.scale = std::stod(v);
    else if (k == "--fillers") args.fillers = std::stoi(v);
    else if (k == "--work") args.work = v;
    else if (k == "--sync") args.sync = v;
    else die("unknown option " + k);
  }
  fs::remove_all(args.work);
  fs::create_directories(args.work);

  // 1. The world.
  simulation::SimulationOptions sim;
  sim.scale = args.scale;
  auto summary = simulation::simulate_world(sim, args.work / "world");
  if (!summary) die(summary.error());
  std::unordered_map<std::string, std::vector<std::string>> facts;  // reference → irregular kinds
  {
    std::ifstream in(args.work / "world" / "ground_truth.ndjson");
    std::string line;
    while (std::getline(in, line)) {
      json f = json::parse(line);
      if (f["kind"] != "lookalike_innocent") facts[f["reference"].get<std::string>()].push_back(f["kind"]);
    }
  }

  // 2. Store, watch list, profiles.
  store::SqliteOptions store_options;
  store_options.sync = args.sync == "normal" ? store::SqliteOptions::Sync::kNormal : store::SqliteOptions::Sync::kFull;
  auto store = store::open_sqlite_store(args.work / "cordon.db", store_options);
  if (!store) die(store.error().message);
  auto risk = store::open_sqlite_risk_store(args.work / "cordon.db");
  if (!risk) die(risk.error().message);
  assessment::ScreeningService screening(**store, {});
  if (!screening.load()) die("screening load");
  auto entities = screening::read_list(args.work / "world" / "watchlist.ndjson", screening::ListFormat::kCordonNdjson,
                                       "SIM-NATIONAL");
  if (!entities) die("watch list: " + entities.error().to_string());
  if (auto r = screening.import_list("SIM-NATIONAL", std::move(*entities), "bench", "watchlist.ndjson"); !r) {
    die(r.error().message);
  }
  int analyst_profiles = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(CORDON_SOURCE_DIR) / "bench/selection/profiles")) {
    if (entry.path().extension() != ".profile") continue;
    std::string source = read_file(entry.path());
    auto h = header(source);
    json metadata = {{"title", h["title"]},
                     {"risk_area", h["risk_area"]},
                     {"weight", std::stod(h["weight"])},
                     {"minimum_channel", h["channel"]}};
    activate(**risk, h["id"], source, metadata);
    ++analyst_profiles;
  }
  std::mt19937_64 rng(7);
  const char* chapters[] = {"01", "03", "08", "15", "22", "27", "30", "39", "40", "44", "48", "61", "62", "64",
                            "69", "72", "73", "76", "84", "85", "87", "90", "94", "95"};
  for (int i = 0; i < args.fillers; ++i) {
    std::string hs = std::string(chapters[rng() % std::size(chapters)]) + fmt::format("{:02}", rng() % 100);
    std::string source = fmt::format("goods.exists(g, g.hs.startsWith(\"{}\") && g.gross_mass > {}) && total_value > {}",
                                     hs, 100 + rng() % 20000, 1000 + rng() % 500000);
    activate(**risk, fmt::format("FILL-{:04}", i), source,
             {{"title", "filler"}, {"weight", 0}, {"minimum_channel", "green"}});
  }

  // 3. Capacity: 5 % of each office's average daily volume.
  std::vector<std::string> lines;
  std::map<std::string, int64_t> office_volume;
  std::set<std::string> days;
  {
    std::ifstream in(args.work / "world" / "declarations.ndjson");
    std::string line;
    while (std::getline(in, line)) {
      json d = json::parse(line);
      office_volume[d.value("office_of_first_entry", "")]++;
      days.insert(d.value("lodged_at", "").substr(0, 10));
      lines.push_back(std::move(line));
    }
  }
  assessment::PipelineSettings settings;
  settings.capacity.random_share = 0;  // profiles only; random selection is computed beside it
  for (const auto& [office, n] : office_volume) {
    settings.capacity.red_per_day_by_office[office] = std::max<int64_t>(
        1, std::llround(args.capacity_share * static_cast<double>(n) / static_cast<double>(days.size())));
  }
  assessment::Pipeline pipeline(**store, **risk, settings);
  if (auto ok = pipeline.load(); !ok) die(ok.error().message);
  assessment::Intake intake(**store, &screening, &pipeline);

  // 4. The whole pipeline, timed: batches of 500 lines, as `cordon import` does.
  auto start = std::chrono::steady_clock::now();
  std::clock_t cpu_start = std::clock();
  int64_t stored = 0;
  for (size_t i = 0; i < lines.size(); i += 500) {
    std::string chunk;
    for (size_t k = i; k < std::min(lines.size(), i + 500); ++k) chunk += lines[k] + "\n";
    auto outcomes = intake.submit_ndjson(chunk, "bench");
    if (!outcomes) die(outcomes.error().message);
    for (const auto& o : *outcomes) stored += o.status == assessment::IntakeStatus::kStored ? 1 : 0;
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  double cpu = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  fmt::print("world: scale {}, {} declarations over {} days, {} offices, {} irregular (ground truth)\n", args.scale,
             lines.size(), days.size(), office_volume.size(), facts.size());
  fmt::print("profiles active: {} analyst + {} fillers = {}\n", analyst_profiles, args.fillers,
             pipeline.rule_set()->size());
  fmt::print("pipeline (validate, store, screen, rules, select, log; sync {}): {} stored in {:.2f} s wall, {:.2f} s CPU "
             "= {:.0f} declarations/s\n",
             args.sync, stored, seconds, cpu, static_cast<double>(stored) / seconds);
  if (auto v = (*risk)->verify_decision_log(); !v || !v->ok) die("decision log does not verify");

  // 5. Selection quality at 5 % capacity.
  struct Row {
    int64_t id;
    std::string reference, office, day, channel, requested;
    double score;
  };
  std::vector<Row> rows;
  for (int64_t after = 0;;) {
    auto page = (*risk)->list_decisions(after, 10000);
    if (!page) die(page.error().message);
    if (page->empty()) break;
    for (const auto& e : *page) {
      after = e.seq;
      json b = json::parse(e.body_json);
      rows.push_back({e.declaration_id, b["reference"], b["office"], b["capacity"]["day"], b["channel"],
                      b["requested_channel"], b["score"]});
    }
  }
  int64_t irregular_total = static_cast<int64_t>(facts.size());
  auto irregular = [&](const std::string& ref) { return facts.contains(ref); };

  Tally streaming, batch, random, requested;
  std::map<std::pair<std::string, std::string>, std::vector<const Row*>> by_office_day;
  for (const auto& r : rows) {
    by_office_day[{r.office, r.day}].push_back(&r);
    if (r.channel == "red") streaming.add(irregular(r.reference));
    if (r.requested == "red") requested.add(irregular(r.reference));
  }
  selection::CapacityPolicy exact = settings.capacity;
  int64_t capacity_total = 0;
  for (const auto& [key, group] : by_office_day) {
    // Exact: 5 % of this office-day's declarations, highest scores first.
    int64_t capacity = std::max<int64_t>(1, std::llround(args.capacity_share * static_cast<double>(group.size())));
    capacity_total += capacity;
    exact.red_per_day_by_office[key.first] = capacity;
    std::vector<selection::Candidate> candidates;
    for (const Row* r : group) {
      candidates.push_back({r->id, r->office, 0, r->score,
                            r->requested == "red" ? selection::Channel::kRed : selection::Channel::kGreen});
    }
    auto assigned = selection::select_batch(candidates, exact, static_cast<int64_t>(group.size()));
    for (size_t i = 0; i < group.size(); ++i) {
      if (assigned[i].channel == selection::Channel::kRed) {
        batch.add(irregular(group[i]->reference));
        for (const auto& kind : facts[group[i]->reference]) batch.caught_by_kind[kind]++;
      }
    }
    // Random: the same number drawn uniformly from the office-day.
    std::vector<const Row*> shuffled = group;
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    for (int64_t i = 0; i < capacity && i < static_cast<int64_t>(shuffled.size()); ++i) {
      random.add(irregular(shuffled[i]->reference));
    }
  }
  fmt::print("selection at {:.0f} % capacity ({} red slots over {} office-days):\n", 100 * args.capacity_share,
             capacity_total, by_office_day.size());
  print_tally("profiles, exact (day's highest scores first)", batch, irregular_total);
  print_tally("profiles, streaming (threshold + daily quota)", streaming, irregular_total);
  print_tally("random selection, same capacity", random, irregular_total);
  print_tally("(profiles asking red, no capacity limit)", requested, irregular_total);
  std::map<std::string, int64_t> planted_by_kind;
  for (const auto& [ref, kinds] : facts) {
    for (const auto& k : kinds) planted_by_kind[k]++;
  }
  fmt::print("  caught by kind (profiles, exact):");
  for (const auto& [kind, n] : planted_by_kind) fmt::print(" {} {}/{},", kind, batch.caught_by_kind[kind], n);
  fmt::print("\n");
  return 0;
}
