#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/declaration_json.h"
#include "core/identifiers.h"
#include "core/reference_data.h"
#include "core/validation.h"
#include "simulation/controls.h"
#include "simulation/device_frames.h"
#include "simulation/simulation.h"
#include "simulation/watchlist.h"

namespace cordon::simulation {
namespace {

SimulationOptions small(uint64_t seed = 42, double scale = 0.1) {
  SimulationOptions o;
  o.seed = seed;
  o.scale = scale;
  return o;
}

// One world shared by the tests that only read it.
const World& shared_world() {
  static const World world = generate_world(small(7, 0.2));
  return world;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::filesystem::path temp_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("cordon-sim-test-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  return dir;
}

TEST(SimulationOptions, RefusesWhatCannotMakeAWorld) {
  SimulationOptions o;
  EXPECT_TRUE(check_options(o).has_value());
  o.scale = 0;
  EXPECT_FALSE(check_options(o).has_value());
  o = {};
  o.days = 0;
  EXPECT_FALSE(check_options(o).has_value());
  o = {};
  o.start_date = "2026-02-30";
  EXPECT_FALSE(check_options(o).has_value());
  EXPECT_THROW(generate_world(o), std::invalid_argument);
  auto result = simulate_world(o, temp_dir("bad"));
  ASSERT_FALSE(result.has_value());
  EXPECT_NE(result.error().find("2026-02-30"), std::string::npos);
}

TEST(Simulation, SameSeedGivesIdenticalFiles) {
  const auto a = temp_dir("a"), b = temp_dir("b");
  ASSERT_TRUE(simulate_world(small(11, 0.05), a).has_value());
  ASSERT_TRUE(simulate_world(small(11, 0.05), b).has_value());
  for (const char* name :
       {"world.json", "declarations.ndjson", "ground_truth.ndjson", "traders.ndjson", "watchlist.ndjson",
        "devices.ndjson", "routes.ndjson", "journeys.ndjson", "journey_incidents.ndjson"}) {
    const auto text = read_file(a / name);
    EXPECT_FALSE(text.empty()) << name;
    EXPECT_EQ(text, read_file(b / name)) << name;
    EXPECT_FALSE(std::filesystem::exists(a / (std::string(name) + ".tmp"))) << name;
  }
  std::filesystem::remove_all(a);
  std::filesystem::remove_all(b);
}

TEST(Simulation, DifferentSeedsGiveDifferentWorlds) {
  const World a = generate_world(small(1, 0.05));
  const World b = generate_world(small(2, 0.05));
  ASSERT_FALSE(a.declarations.empty());
  EXPECT_NE(declaration_to_json_text(a.declarations.front()), declaration_to_json_text(b.declarations.front()));
  EXPECT_NE(a.traders.front().name + a.traders[1].name, b.traders.front().name + b.traders[1].name);
}

TEST(Simulation, CountsScaleLinearly) {
  const World a = generate_world(small(3, 0.05));
  const World b = generate_world(small(3, 0.2));
  EXPECT_NEAR(static_cast<double>(a.declarations.size()), 500, 5);
  EXPECT_NEAR(static_cast<double>(b.declarations.size()), 2000, 5);
  const double ratio = static_cast<double>(b.traders.size()) / static_cast<double>(a.traders.size());
  EXPECT_GT(ratio, 3.0);
  EXPECT_LT(ratio, 5.0);
}

TEST(Simulation, ScaleOneHasTheAdvertisedShape) {
  SimulationOptions o;
  o.days = 3;  // the population does not depend on days; keep the test fast
  const World w = generate_world(o);
  EXPECT_NEAR(static_cast<double>(w.declarations.size()), 1000, 2);
  EXPECT_GT(w.traders.size(), 750u);
  EXPECT_LT(w.traders.size(), 900u);
  std::set<std::string> countries;
  for (const auto& t : w.traders) countries.insert(t.address.country);
  EXPECT_GE(countries.size(), 28u);
  std::size_t vessels = 0;
  for (const auto& c : w.carriers) vessels += c.vessels.size();
  EXPECT_GT(w.carriers.size() + vessels, 50u);
  EXPECT_LT(w.carriers.size() + vessels, 110u);
}

TEST(Simulation, EveryDeclarationValidates) {
  const World& w = shared_world();
  std::size_t invalid = 0;
  for (const auto& d : w.declarations) {
    const auto errors = validate_declaration(d);
    if (!errors.empty() && invalid++ < 5) {
      ADD_FAILURE() << d.reference << ": " << errors.front().to_string();
    }
  }
  EXPECT_EQ(invalid, 0u);
}

TEST(Simulation, DeclarationsRoundTripThroughTheWireFormat) {
  const World& w = shared_world();
  for (std::size_t i = 0; i < w.declarations.size(); i += 97) {
    auto decoded = parse_declaration(declaration_to_json_text(w.declarations[i]));
    ASSERT_TRUE(decoded.has_value()) << decoded.error().front().to_string();
    EXPECT_EQ(decoded->reference, w.declarations[i].reference);
  }
}

TEST(Simulation, DeclarationsAreChronologicalWithUniqueReferences) {
  const World& w = shared_world();
  std::set<std::string> references;
  for (std::size_t i = 0; i < w.declarations.size(); ++i) {
    const auto& d = w.declarations[i];
    EXPECT_TRUE(references.insert(d.reference).second) << d.reference;
    if (i > 0) EXPECT_LE(w.declarations[i - 1].lodged_at, d.lodged_at);
    EXPECT_LE(d.loading_date, d.arrival_date);
    const int hour = std::stoi(d.lodged_at.substr(11, 2));
    EXPECT_GE(hour, 6);
    EXPECT_LT(hour, 20);
    EXPECT_GE(d.lodged_at.substr(0, 10), "2026-01-05");
    EXPECT_LT(d.lodged_at.substr(0, 10), "2026-02-04");
  }
}

TEST(Simulation, IdentifiersCarryValidCheckDigits) {
  const World& w = shared_world();
  std::size_t containers = 0, vins = 0, imos = 0;
  for (const auto& d : w.declarations) {
    for (const auto& g : d.goods) {
      EXPECT_NE(reference::find_hs(g.hs_code.substr(0, 6)), nullptr) << g.hs_code;
      for (const auto& c : g.containers) {
        EXPECT_TRUE(ids::check_container_number(c).has_value()) << c;
        ++containers;
      }
    }
    if (!d.transport.vehicle_vin.empty()) {
      EXPECT_EQ(ids::vin_check_digit(d.transport.vehicle_vin), d.transport.vehicle_vin[8]) << d.transport.vehicle_vin;
      ++vins;
    }
    if (!d.transport.vessel_imo.empty()) {
      EXPECT_TRUE(ids::check_imo_number(d.transport.vessel_imo).has_value()) << d.transport.vessel_imo;
      ++imos;
    }
  }
  EXPECT_GT(containers, 100u);
  EXPECT_GT(vins, 50u);
  EXPECT_GT(imos, 100u);
}

TEST(Simulation, GroundTruthPointsAtRealDeclarationsAndEntries) {
  const World& w = shared_world();
  std::set<std::string> references, entries;
  for (const auto& d : w.declarations) references.insert(d.reference);
  for (const auto& e : w.watchlist) entries.insert(e.id);
  ASSERT_FALSE(w.ground_truth.empty());
  for (const auto& f : w.ground_truth) {
    EXPECT_TRUE(references.contains(f.reference)) << f.reference;
    EXPECT_FALSE(f.path.empty());
    const bool needs_entry = f.kind == FactKind::kWatchlistParty || f.kind == FactKind::kStolenVehicle ||
                             f.kind == FactKind::kStolenContainer || f.kind == FactKind::kLookalikeInnocent;
    if (needs_entry) EXPECT_TRUE(entries.contains(f.watchlist_entry)) << f.watchlist_entry;
  }
}

TEST(Simulation, PlantedRatesAreInSensibleRanges) {
  SimulationOptions o = small(5, 0.3);
  const World w = generate_world(o);
  std::map<FactKind, double> count;
  for (const auto& f : w.ground_truth) count[f.kind] += 1;
  double road = 0, boxed = 0;
  for (const auto& d : w.declarations) {
    road += d.mode == TransportMode::kRoad;
    boxed += d.mode == TransportMode::kSea || d.mode == TransportMode::kRail;
  }
  const double n = static_cast<double>(w.declarations.size());
  auto rate = [&](FactKind k, double base) { return count[k] / base; };
  EXPECT_GT(rate(FactKind::kUndervaluation, n), 0.01);
  EXPECT_LT(rate(FactKind::kUndervaluation, n), 0.04);
  EXPECT_GT(rate(FactKind::kHsDescriptionMismatch, n), 0.005);
  EXPECT_LT(rate(FactKind::kHsDescriptionMismatch, n), 0.03);
  EXPECT_GT(rate(FactKind::kWatchlistParty, n), 0.005);
  EXPECT_LT(rate(FactKind::kWatchlistParty, n), 0.03);
  EXPECT_GT(rate(FactKind::kUnusualRoute, n), 0.003);
  EXPECT_LT(rate(FactKind::kUnusualRoute, n), 0.02);
  EXPECT_GT(rate(FactKind::kNewTraderPair, n), 0.001);
  EXPECT_LT(rate(FactKind::kNewTraderPair, n), 0.015);
  EXPECT_GT(rate(FactKind::kStolenVehicle, road), 0.01);
  EXPECT_LT(rate(FactKind::kStolenVehicle, road), 0.06);
  EXPECT_GT(rate(FactKind::kStolenContainer, boxed), 0.005);
  EXPECT_LT(rate(FactKind::kStolenContainer, boxed), 0.03);
  EXPECT_GT(count[FactKind::kLookalikeInnocent], 0);
  EXPECT_LT(rate(FactKind::kLookalikeInnocent, n), 0.08);
  // Every record encodes: the JSON writer refuses broken UTF-8 (a typo inside a multibyte letter).
  for (const auto& d : w.declarations) EXPECT_NO_THROW(declaration_to_json_text(d));
  for (const auto& t : w.traders) EXPECT_NO_THROW(trader_to_json_text(t));
  for (const auto& e : w.watchlist) EXPECT_NO_THROW(watchlist_entry_to_json_text(e));
}

TEST(SimulationNames, TyposKeepUtf8Intact) {
  detail::Rng rng(1);
  for (int i = 0; i < 500; ++i) {
    const std::string name = detail::typo("Becker & Söhne Yılmaz Gıda Łódź", rng);
    EXPECT_NO_THROW(nlohmann::json(name).dump()) << name;
    EXPECT_NE(name, "Becker & Söhne Yılmaz Gıda Łódź");
  }
}

TEST(Simulation, PlantedFactsAreVisibleInTheDeclarations) {
  const World& w = shared_world();
  std::map<std::string, const Declaration*> by_reference;
  for (const auto& d : w.declarations) by_reference[d.reference] = &d;
  std::map<std::string, const WatchlistEntry*> entries;
  for (const auto& e : w.watchlist) entries[e.id] = &e;
  for (const auto& f : w.ground_truth) {
    const Declaration& d = *by_reference.at(f.reference);
    if (f.kind == FactKind::kStolenContainer) {
      EXPECT_EQ(d.goods[0].containers[0], entries.at(f.watchlist_entry)->identifiers[0].value);
    }
    if (f.kind == FactKind::kStolenVehicle) {
      const auto& vin = entries.at(f.watchlist_entry)->identifiers[1].value;
      const auto& plate = entries.at(f.watchlist_entry)->identifiers[0].value;
      if (f.variant == "vin_only" || f.variant == "exact_plate") EXPECT_EQ(d.transport.vehicle_vin, vin);
      if (f.variant == "exact_plate") EXPECT_EQ(d.transport.vehicle_plate, plate);
      if (f.variant == "plate_one_char") {
        EXPECT_NE(d.transport.vehicle_plate, plate);
        EXPECT_EQ(d.transport.vehicle_plate.size(), plate.size());
      }
      if (f.variant.starts_with("trailer")) EXPECT_EQ(d.transport.trailer_vin, vin);
    }
    if (f.kind == FactKind::kWatchlistParty) {
      const std::size_t i = f.path == "parties[0].name" ? 0 : 1;
      const auto& listed = entries.at(f.watchlist_entry)->names.front().name;
      if (f.variant == "exact") {
        EXPECT_EQ(d.parties[i].name, listed);
      } else {
        EXPECT_NE(d.parties[i].name, listed) << f.variant;
      }
    }
    if (f.kind == FactKind::kUndervaluation) {
      EXPECT_TRUE(f.path.starts_with("goods["));
    }
  }
}

TEST(Simulation, NamesInTheirOwnScriptsWithTransliterations) {
  const World& w = shared_world();
  std::map<std::string, int> scripts;
  for (const auto& t : w.traders) {
    if (t.name_original.empty()) continue;
    ++scripts[t.script];
    EXPECT_NE(t.name, t.name_original);
    if (t.script != "Latn") {
      // The Latin form is plain ASCII.
      EXPECT_TRUE(std::ranges::all_of(t.name, [](unsigned char c) { return c < 0x80; })) << t.name;
    }
  }
  EXPECT_GT(scripts["Cyrl"], 0);
  EXPECT_GT(scripts["Hans"], 0);
  EXPECT_GT(scripts["Latn"], 0);  // Turkish and Vietnamese with diacritics
  std::map<std::string, int> list_scripts;
  for (const auto& e : w.watchlist) {
    for (const auto& n : e.names) ++list_scripts[n.script];
  }
  EXPECT_GT(list_scripts["Cyrl"], 0);
  EXPECT_GT(list_scripts["Arab"] + list_scripts["Hans"] + list_scripts["Grek"], 0);
}

TEST(Simulation, ConsigneesBuyMostlyFromRegularPartners) {
  const World& w = shared_world();
  std::map<std::string, std::set<std::string>> partners;
  std::map<std::string, std::string> id_by_name;
  for (const auto& t : w.traders) {
    id_by_name[t.name] = t.id;
    if (t.role == TraderRole::kConsignee) partners[t.id] = {t.partners.begin(), t.partners.end()};
  }
  std::size_t regular = 0, total = 0;
  for (const auto& d : w.declarations) {
    const auto* consignor = d.find_party(PartyRole::kConsignor);
    const auto* consignee = d.find_party(PartyRole::kConsignee);
    if (!id_by_name.contains(consignee->name) || !id_by_name.contains(consignor->name)) continue;
    ++total;
    regular += partners[id_by_name[consignee->name]].contains(id_by_name[consignor->name]);
  }
  EXPECT_GT(static_cast<double>(regular) / static_cast<double>(total), 0.85);
}

TEST(Simulation, FilesHaveOneRecordPerLineAndAManifest) {
  const auto dir = temp_dir("files");
  auto summary = simulate_world(small(9, 0.05), dir);
  ASSERT_TRUE(summary.has_value()) << summary.error();
  const auto manifest = nlohmann::json::parse(read_file(dir / "world.json"));
  EXPECT_EQ(manifest["seed"], 9);
  EXPECT_EQ(manifest["generator_version"], std::string(kGeneratorVersion));
  EXPECT_EQ(manifest["counts"]["declarations"], summary->file_counts["declarations.ndjson"]);
  std::ifstream facts(dir / "ground_truth.ndjson");
  std::string line;
  int64_t lines = 0;
  while (std::getline(facts, line)) {
    const auto j = nlohmann::json::parse(line);
    EXPECT_TRUE(j.contains("reference"));
    EXPECT_TRUE(j.contains("kind"));
    ++lines;
  }
  EXPECT_EQ(lines, summary->file_counts["ground_truth.ndjson"]);
  std::ifstream decls(dir / "declarations.ndjson");
  std::getline(decls, line);
  EXPECT_TRUE(declaration_from_json_text(line).has_value());
  std::filesystem::remove_all(dir);
}

TEST(Simulation, ProgressRisesToOne) {
  std::vector<double> seen;
  const auto dir = temp_dir("progress");
  ASSERT_TRUE(simulate_world(small(4, 0.05), dir, [&](double f) { seen.push_back(f); }).has_value());
  ASSERT_FALSE(seen.empty());
  EXPECT_TRUE(std::ranges::is_sorted(seen));
  EXPECT_DOUBLE_EQ(seen.back(), 1.0);
  std::filesystem::remove_all(dir);
}

TEST(Controls, ShareIsDrawnAndFindingsFollowTheGroundTruthExceptMisses) {
  const World& world = shared_world();
  std::map<std::string, std::vector<const GroundTruthFact*>> facts;
  for (const auto& f : world.ground_truth) facts[f.reference].push_back(&f);
  ControlOptions options;
  options.share = 0.5;
  options.miss_rate = 0.1;
  options.seed = 3;
  auto controls = draw_controls(world, options);
  double share = static_cast<double>(controls.size()) / static_cast<double>(world.declarations.size());
  EXPECT_NEAR(share, 0.5, 0.05);
  int irregular_truth = 0, found = 0, false_findings = 0;
  for (const auto& c : controls) {
    bool truth = std::ranges::any_of(facts[c.reference], [](const GroundTruthFact* f) { return is_irregular(f->kind); });
    irregular_truth += truth ? 1 : 0;
    found += truth && c.irregularity ? 1 : 0;
    false_findings += !truth && c.irregularity ? 1 : 0;
    if (c.irregularity) EXPECT_FALSE(c.category.empty()) << c.reference;
  }
  ASSERT_GT(irregular_truth, 20);
  EXPECT_EQ(false_findings, 0);  // an inspection never invents an irregularity (look-alikes are innocent)
  double found_share = static_cast<double>(found) / irregular_truth;
  EXPECT_LT(found_share, 1.0);   // inspectors miss some
  EXPECT_GT(found_share, 0.75);  // about 1 - miss_rate
  // Deterministic in the seed; a different seed draws differently.
  auto again = draw_controls(world, options);
  ASSERT_EQ(again.size(), controls.size());
  for (size_t i = 0; i < controls.size(); ++i) EXPECT_EQ(again[i].reference, controls[i].reference);
  options.seed = 4;
  auto other = draw_controls(world, options);
  bool differs = other.size() != controls.size();
  for (size_t i = 0; !differs && i < controls.size(); ++i) differs = other[i].reference != controls[i].reference;
  EXPECT_TRUE(differs);
}

TEST(Controls, LookalikeInnocentsAreNotIrregular) {
  EXPECT_FALSE(is_irregular(FactKind::kLookalikeInnocent));
  for (FactKind kind : all_fact_kinds()) {
    if (kind != FactKind::kLookalikeInnocent) EXPECT_TRUE(is_irregular(kind)) << to_string(kind);
  }
}

// The supervised journeys: the files describe the regenerated world, devices speak a protocol
// that carries their journey, and a replay refuses files another generator wrote.
TEST(Simulation, JourneyFilesReloadForAReplay) {
  const auto dir = temp_dir("journeys");
  SimulationOptions o = small(5, 0.05);
  o.journeys = 30;
  auto summary = simulate_world(o, dir);
  ASSERT_TRUE(summary.has_value()) << summary.error();
  EXPECT_EQ(summary->file_counts["journeys.ndjson"], 30);
  EXPECT_EQ(summary->file_counts["devices.ndjson"], 30);
  EXPECT_EQ(summary->file_counts["routes.ndjson"], 10);
  auto loaded = load_replay_world(dir);
  ASSERT_TRUE(loaded.has_value()) << loaded.error();
  ASSERT_EQ(loaded->world.journeys.size(), 30u);
  EXPECT_EQ(static_cast<int64_t>(loaded->world.incidents.size()), summary->file_counts["journey_incidents.ndjson"]);
  std::set<std::string> protocols;
  for (std::size_t j = 0; j < 30; ++j) {
    EXPECT_TRUE(carries(loaded->protocols[j], loaded->world.journeys[j])) << j;
    protocols.insert(loaded->protocols[j]);
  }
  EXPECT_EQ(protocols, (std::set<std::string>{"eseal", "osmand", "json"}));
  // Sensors and tampering need Cordon JSON; a lock opening needs eSeal or JSON.
  for (const auto& sj : loaded->world.journeys) {
    if (sj.temperature_range || sj.tank_truck) {
      EXPECT_FALSE(carries("eseal", sj));
    }
    if (sj.incident_events & SimReport::kCableCut) {
      EXPECT_FALSE(carries("eseal", sj));
    }
    if (sj.incident_events != 0) {
      EXPECT_FALSE(carries("osmand", sj));
    }
  }

  // Another generator (here: a different seed in the manifest) is refused, naming the file.
  auto manifest = nlohmann::json::parse(read_file(dir / "world.json"));
  manifest["seed"] = 6;
  std::ofstream(dir / "world.json") << manifest.dump();
  auto refused = load_replay_world(dir);
  ASSERT_FALSE(refused.has_value());
  EXPECT_NE(refused.error().find("journeys.ndjson:1: does not match"), std::string::npos) << refused.error();
  EXPECT_FALSE(load_replay_world(temp_dir("nothing-here")).has_value());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace cordon::simulation
