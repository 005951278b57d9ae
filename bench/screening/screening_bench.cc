// screening_bench accuracy [scale] [seed]   precision/recall per variant on the simulated world
// screening_bench scale [entities]          1M-entity list: build time, RSS, p99 per declaration,
//                                           index recall against a brute-force scan
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <string>

#include "screening/screening.h"
#include "simulation/simulation.h"
#include "synthetic_list.h"

namespace {

using namespace cordon;
using namespace cordon::screening;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

long rss_kib() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("VmRSS:")) return std::stol(line.substr(6));
  }
  return 0;
}

WatchlistEntity convert(const simulation::WatchlistEntry& s) {
  WatchlistEntity e;
  e.id = s.id;
  e.list = s.list;
  e.type = *parse_entity_type(simulation::to_string(s.type));
  for (const auto& n : s.names) e.names.push_back({n.name, n.script, n.kind == "primary", n.kind});
  if (!s.dob.empty()) e.dates_of_birth.push_back(s.dob);
  if (!s.nationality.empty()) e.nationalities.push_back(s.nationality);
  if (!s.country.empty() && e.type != EntityType::kPerson) e.addresses.push_back({"", s.country});
  for (const auto& i : s.identifiers) {
    e.identifiers.push_back({parse_identifier_type(i.type).value_or(IdentifierType::kOther), i.value, i.country, {}});
  }
  e.listed_on = s.listed_on;
  e.remarks = s.reason;
  e.instruction = s.instruction;
  return e;
}

int accuracy(double scale, uint64_t seed) {
  simulation::SimulationOptions options;
  options.scale = scale;
  options.seed = seed;
  const auto t0 = Clock::now();
  const auto world = simulation::generate_world(options);
  std::printf("world: %zu declarations, %zu watch-list entries (%.1f s)\n", world.declarations.size(),
              world.watchlist.size(), seconds_since(t0));
  ScreenerOptions low;
  low.threshold = 0.5;  // keep everything, sweep thresholds below
  Screener screener(low);
  std::vector<WatchlistEntity> entities;
  for (const auto& w : world.watchlist) entities.push_back(convert(w));
  screener.import_list("SIM-NATIONAL", std::move(entities));

  // Truth: (reference, entity) -> variant, for the facts a screener must raise.
  std::map<std::pair<std::string, std::string>, std::string> truth;
  std::map<std::pair<std::string, std::string>, std::string> lookalike;
  for (const auto& f : world.ground_truth) {
    const auto kind = simulation::to_string(f.kind);
    if (kind == "watchlist_party" || kind == "stolen_vehicle" || kind == "stolen_container") {
      truth[{f.reference, f.watchlist_entry}] = std::string(kind) + "/" + f.variant;
    } else if (kind == "lookalike_innocent") {
      lookalike[{f.reference, f.watchlist_entry}] = "lookalike/" + f.variant;
    }
  }
  // Best score per (reference, entity).
  std::map<std::pair<std::string, std::string>, double> best;
  std::map<std::pair<std::string, std::string>, std::string> best_explanation;
  const auto t1 = Clock::now();
  for (const auto& d : world.declarations) {
    for (const auto& h : screener.screen_declaration(d)) {
      auto key = std::make_pair(d.reference, h.hit.entity->id);
      if (h.hit.score > best[key]) {
        best[key] = h.hit.score;
        best_explanation[key] = h.path + ": " + h.hit.explanation;
      }
    }
  }
  std::printf("screened in %.2f s (%.0f us per declaration)\n", seconds_since(t1),
              1e6 * seconds_since(t1) / static_cast<double>(world.declarations.size()));

  std::printf("\n%-10s %-10s %-10s %-8s %-8s %-8s\n", "threshold", "precision", "recall", "TP", "FP", "FN");
  for (double th = 0.60; th <= 0.981; th += 0.02) {
    int tp = 0, fp = 0;
    for (const auto& [key, score] : best) {
      if (score < th) continue;
      if (truth.contains(key)) ++tp;
      else ++fp;
    }
    const int fn = static_cast<int>(truth.size()) - tp;
    std::printf("%-10.2f %-10.4f %-10.4f %-8d %-8d %-8d\n", th, tp + fp ? static_cast<double>(tp) / (tp + fp) : 1.0,
                static_cast<double>(tp) / static_cast<double>(truth.size()), tp, fp, fn);
  }
  const double th = ScreenerOptions{}.threshold;
  std::printf("\nper variant at the default threshold %.2f:\n%-44s %-7s %-7s %-7s\n", th, "variant", "facts",
              "found", "recall");
  std::map<std::string, std::pair<int, int>> per_variant;
  for (const auto& [key, variant] : truth) {
    auto& [n, found] = per_variant[variant];
    ++n;
    auto it = best.find(key);
    if (it != best.end() && it->second >= th) ++found;
  }
  for (const auto& [variant, nf] : per_variant) {
    std::printf("%-44s %-7d %-7d %-7.4f\n", variant.c_str(), nf.first, nf.second,
                static_cast<double>(nf.second) / nf.first);
  }
  std::map<std::string, std::pair<int, int>> per_lookalike;
  for (const auto& [key, variant] : lookalike) {
    auto& [n, raised] = per_lookalike[variant];
    ++n;
    auto it = best.find(key);
    if (it != best.end() && it->second >= th) ++raised;
  }
  std::printf("\nlook-alike innocents raised (false positives) at %.2f:\n", th);
  for (const auto& [variant, nr] : per_lookalike) {
    std::printf("%-44s %-7d %-7d\n", variant.c_str(), nr.first, nr.second);
  }
  int shown = 0;
  std::printf("\nsome misses:\n");
  for (const auto& [key, variant] : truth) {
    auto it = best.find(key);
    if (it != best.end() && it->second >= th) continue;
    if (++shown > 12) break;
    std::printf("  %s %s %s best=%.3f %s\n", key.first.c_str(), key.second.c_str(), variant.c_str(),
                it == best.end() ? 0.0 : it->second, it == best.end() ? "" : best_explanation[key].c_str());
  }
  shown = 0;
  std::printf("\nsome false positives:\n");
  for (const auto& [key, score] : best) {
    if (score < th || truth.contains(key)) continue;
    if (++shown > 12) break;
    std::printf("  %s %s %.3f %s\n", key.first.c_str(), key.second.c_str(), score, best_explanation[key].c_str());
  }
  return 0;
}

int scale(int64_t count) {
  bench::SyntheticGenerator gen(2026);
  std::vector<WatchlistEntity> entities;
  entities.reserve(static_cast<std::size_t>(count));
  for (int64_t i = 0; i < count; ++i) entities.push_back(gen.entity(i));
  const long rss_before = rss_kib();
  Screener screener;
  // Keep a copy of a sample to plant in declarations.
  std::vector<WatchlistEntity> sample;
  for (std::size_t i = 0; i < entities.size(); i += entities.size() / 2000) sample.push_back(entities[i]);
  const long rss_sample = rss_kib();
  const auto t0 = Clock::now();
  auto report = screener.import_list("SYNTHETIC", std::move(entities));
  const double build = seconds_since(t0);
  const long rss_after = rss_kib();
  const auto stats = screener.stats();
  std::printf("entities %lld, build %.1f s, RSS before %.0f MiB, after %.0f MiB (list + index %.0f MiB), "
              "distinct tokens %lld, identifier keys %lld\n",
              static_cast<long long>(report.entity_count), build, rss_before / 1024.0, rss_after / 1024.0,
              (rss_after - rss_sample) / 1024.0, static_cast<long long>(stats.distinct_tokens),
              static_cast<long long>(stats.identifier_keys));

  // Declarations: 6 parties (a third planted variants of listed names), 2 vehicles, 3 containers.
  auto& rng = gen.rng();
  auto pick = [&](EntityType t) -> const WatchlistEntity& {
    for (;;) {
      const auto& e = sample[rng() % sample.size()];
      if (e.type == t) return e;
    }
  };
  auto variant = [&](const std::string& name) {
    switch (rng() % 3) {
      case 0: return name;
      case 1: return gen.typo(name);
      default: {
        auto space = name.find(' ');
        return space == std::string::npos ? name : name.substr(space + 1) + " " + name.substr(0, space);
      }
    }
  };
  std::vector<Declaration> declarations;
  for (int i = 0; i < 1000; ++i) {
    Declaration d;
    for (int p = 0; p < 6; ++p) {
      Party party;
      party.role = p == 0 ? PartyRole::kConsignor : PartyRole::kConsignee;
      if (rng() % 3 == 0) {
        const auto& e = pick(rng() % 2 ? EntityType::kPerson : EntityType::kOrganisation);
        party.name = variant(e.names[0].name);
      } else {
        party.name = rng() % 2 ? gen.person_name() : gen.company_name();
      }
      party.address.country = "LT";
      d.parties.push_back(std::move(party));
    }
    d.transport.vehicle_plate = rng() % 4 == 0 ? pick(EntityType::kVehicle).identifiers[0].value : gen.plate();
    d.transport.vehicle_country = "DE";
    d.transport.vehicle_vin = gen.vin();
    d.transport.trailer_plate = gen.plate();
    d.transport.trailer_country = "PL";
    GoodsItem g;
    for (int c = 0; c < 3; ++c) {
      g.containers.push_back(rng() % 8 == 0 ? pick(EntityType::kContainer).identifiers[0].value : gen.container());
    }
    d.goods.push_back(std::move(g));
    declarations.push_back(std::move(d));
  }
  std::vector<double> times;
  std::size_t hits = 0;
  for (int round = 0; round < 2; ++round) {  // the first round warms the transliteration cache and pages
    times.clear();
    for (const auto& d : declarations) {
      const auto t = Clock::now();
      hits += screener.screen_declaration(d).size();
      times.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t).count());
    }
  }
  std::ranges::sort(times);
  auto pct = [&](double p) { return times[static_cast<std::size_t>(p * static_cast<double>(times.size() - 1))]; };
  std::printf("declaration screening (6 parties, 2 vehicles, 3 containers), %zu declarations, one thread: "
              "p50 %.0f us, p90 %.0f us, p99 %.0f us, max %.0f us; %zu hits\n",
              times.size(), pct(0.5), pct(0.9), pct(0.99), times.back(), hits / 2);

  // Index against brute force, on planted variants and on fresh names.
  int brute_hits = 0, lost = 0, queries = 0;
  const auto tb = Clock::now();
  for (int i = 0; i < 24; ++i) {
    ScreeningQuery q;
    if (i % 4 == 3) {
      q.name = gen.person_name();
    } else {
      const auto& e = pick(i % 2 ? EntityType::kPerson : EntityType::kOrganisation);
      q.name = variant(e.names[0].name);
    }
    ++queries;
    const auto fast = screener.screen(q);
    const auto slow = screener.screen_brute_force(q);
    for (const auto& s : slow) {
      ++brute_hits;
      if (std::ranges::none_of(fast, [&](const Hit& h) { return h.entity == s.entity; })) {
        ++lost;
        std::printf("  lost: '%s' -> '%s' %.3f\n", q.name.c_str(), s.matched_value.c_str(), s.score);
      }
    }
  }
  std::printf("index vs brute force: %d queries, %d brute-force hits, %d not found by the index (%.2f %%), "
              "brute force %.2f s per query\n",
              queries, brute_hits, lost, brute_hits ? 100.0 * lost / brute_hits : 0.0,
              seconds_since(tb) / queries);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "accuracy";
  if (mode == "accuracy") return accuracy(argc > 2 ? std::stod(argv[2]) : 1.0, argc > 3 ? std::stoull(argv[3]) : 42);
  if (mode == "scale") return scale(argc > 2 ? std::stoll(argv[2]) : 1000000);
  std::fprintf(stderr, "usage: screening_bench accuracy [scale] [seed] | scale [entities]\n");
  return 2;
}
