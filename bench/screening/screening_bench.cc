// screening_bench accuracy [scale] [seed]   precision/recall per variant on the simulated world
// screening_bench scale [entities] [queries] 1M-entity list: build time, RSS, p99 per declaration,
//                                           index against a brute-force scan of the same scorer
#include <algorithm>
#include <array>
#include <atomic>
#include <thread>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <string>

#include <time.h>

#include "screening/screening.h"
#include "simulation/simulation.h"
#include "synthetic_list.h"

namespace {

using namespace cordon;
using namespace cordon::screening;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// CPU time of this thread in microseconds: on a shared machine, wall time includes the time
// the thread waited for a core; this does not.
double thread_cpu_us() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

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

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen;
}

// Planted variants of listed names, as declarations and ad-hoc queries carry them.
enum class Variant { kExact, kTypo, kTransliteration, kSwapped, kDroppedMiddle, kLegalForm };
constexpr const char* kVariantNames[] = {"exact", "typo", "transliteration", "swapped_order", "dropped_middle",
                                         "legal_form_changed"};

std::string apply(bench::SyntheticGenerator& gen, Variant v, const WatchlistEntity& e) {
  const std::string& name = e.names[0].name;
  switch (v) {
    case Variant::kExact: return name;
    case Variant::kTypo: return gen.typo(name);
    case Variant::kTransliteration: return gen.transliterate(name);
    case Variant::kSwapped: return bench::SyntheticGenerator::swap_order(name);
    case Variant::kDroppedMiddle: return bench::SyntheticGenerator::drop_middle(name);
    case Variant::kLegalForm: return gen.change_legal_form(name);
  }
  return name;
}

int scale(int64_t count, int comparison_queries) {
  bench::SyntheticGenerator gen(2026);
  std::vector<WatchlistEntity> entities;
  entities.reserve(static_cast<std::size_t>(count));
  for (int64_t i = 0; i < count; ++i) entities.push_back(gen.entity(i));
  // SCR_ADDRESSES=1: two in five persons and companies get a street address, and every party
  // of the declarations one (a street and a city): the evidence step then compares addresses.
  // Off by default, so that the figures stay comparable with the earlier ones.
  const bool with_addresses = std::getenv("SCR_ADDRESSES") != nullptr;
  const char* streets[] = {"Lenina", "Gedimino", "Hauptstrasse", "Sheikh Zayed Road", "Nanjing Road", "Main Street", "Tverskaya"};
  const char* cities[] = {"Kaliningrad", "Vilnius", "Berlin", "Dubai", "Shanghai", "London", "Moscow", "Istanbul"};
  if (with_addresses) {
    for (auto& e : entities) {
      if ((e.type == EntityType::kPerson || e.type == EntityType::kOrganisation) && gen.rng()() % 5 < 2) {
        e.addresses.push_back({std::string(streets[gen.rng()() % 7]) + " " + std::to_string(gen.rng()() % 200) + ", " + cities[gen.rng()() % 8], "RU"});
      }
    }
  }
  // Keep a copy of a sample to plant in declarations and queries.
  std::vector<WatchlistEntity> sample;
  for (std::size_t i = 0; i < entities.size(); i += std::max<std::size_t>(1, entities.size() / 5000)) {
    sample.push_back(entities[i]);
  }
  const long rss_before = rss_kib();
  Screener screener;
  std::printf("load average before the build: %s\n", load_average().c_str());
  const auto t0 = Clock::now();
  auto report = screener.import_list("SYNTHETIC", std::move(entities));
  const double build = seconds_since(t0);
  const long rss_after = rss_kib();
  const auto stats = screener.stats();
  std::printf("entities %lld, build %.1f s, RSS before %.0f MiB, after %.0f MiB (list + index %.0f MiB), "
              "distinct tokens %lld, identifier keys %lld, pair lists %lld holding %lld entries\n",
              static_cast<long long>(report.entity_count), build, rss_before / 1024.0, rss_after / 1024.0,
              (rss_after - rss_before) / 1024.0, static_cast<long long>(stats.distinct_tokens),
              static_cast<long long>(stats.identifier_keys), static_cast<long long>(stats.pair_lists),
              static_cast<long long>(stats.pair_postings));

  // Declarations: 6 parties (a third planted variants of listed names), 2 vehicles, 3 containers.
  // Made by `g` (its random stream picks the planted entities too), so that a second set with
  // another generator leaves the first set and the comparison queries below as they were.
  auto make_declarations = [&](bench::SyntheticGenerator& g, int count) {
    auto& r = g.rng();
    auto pick_from = [&](EntityType t) -> const WatchlistEntity& {
      for (;;) {
        const auto& e = sample[r() % sample.size()];
        if (e.type == t) return e;
      }
    };
    auto planted_name = [&]() {
      const bool person = r() % 2 != 0;
      const auto& e = pick_from(person ? EntityType::kPerson : EntityType::kOrganisation);
      Variant v = static_cast<Variant>(r() % 6);
      if (v == Variant::kLegalForm && person) v = Variant::kTypo;
      return apply(g, v, e);
    };
    std::vector<Declaration> out;
    for (int i = 0; i < count; ++i) {
      Declaration d;
      for (int p = 0; p < 6; ++p) {
        Party party;
        party.role = p == 0 ? PartyRole::kConsignor : PartyRole::kConsignee;
        if (r() % 3 == 0) party.name = planted_name();
        else party.name = r() % 2 ? g.person_name() : g.company_name();
        party.address.country = "LT";
        if (with_addresses) {
          party.address.street = std::string(streets[r() % 7]) + " " + std::to_string(r() % 200);
          party.address.city = cities[r() % 8];
        }
        d.parties.push_back(std::move(party));
      }
      if (r() % 4 == 0) {
        const auto& v = pick_from(EntityType::kVehicle);
        d.transport.vehicle_plate = r() % 2 ? v.identifiers[0].value : g.plate_error(v.identifiers[0].value);
        d.transport.vehicle_country = v.identifiers[0].country;
      } else {
        d.transport.vehicle_plate = g.plate();
        d.transport.vehicle_country = "DE";
      }
      d.transport.vehicle_vin = g.vin();
      d.transport.trailer_plate = g.plate();
      d.transport.trailer_country = "PL";
      GoodsItem goods;
      for (int c = 0; c < 3; ++c) {
        goods.containers.push_back(r() % 8 == 0 ? pick_from(EntityType::kContainer).identifiers[0].value : g.container());
      }
      d.goods.push_back(std::move(goods));
      out.push_back(std::move(d));
    }
    return out;
  };
  auto& rng = gen.rng();
  auto pick = [&](EntityType t) -> const WatchlistEntity& {
    for (;;) {
      const auto& e = sample[rng() % sample.size()];
      if (e.type == t) return e;
    }
  };
  std::vector<Declaration> declarations = make_declarations(gen, 2000);
  std::vector<double> times, cpu_times;
  std::size_t hits = 0;
  std::string load_start, load_end;
  // SCR_PERF_CTL=FIFO: profile the screening only, not the build. With
  // `mkfifo /tmp/ctl && SCR_PERF_CTL=/tmp/ctl perf record -D -1 --control fifo:/tmp/ctl ...`,
  // perf starts disabled and is told to enable here and to disable after the unseen round.
  auto perf_control = [](const char* command) {
    if (const char* fifo = std::getenv("SCR_PERF_CTL")) {
      if (std::FILE* f = std::fopen(fifo, "w")) {
        std::fprintf(f, "%s\n", command);
        std::fclose(f);
      }
    }
  };
  // SCR_ONE="NAME": one query name screened 300 times (warm; top ten, as a declaration's party
  // asks), its CPU time per query, then exit: what a tail name costs, under perf with
  // SCR_PERF_CTL.
  if (const char* one = std::getenv("SCR_ONE")) {
    ScreeningQuery q;
    q.name = one;
    perf_control("enable");
    const double c = thread_cpu_us();
    for (int i = 0; i < 300; ++i) screener.screen(q);
    perf_control("disable");
    const int64_t scored = screener.stats().names_scored;
    std::printf("one query name, %s: %.0f us CPU per query, %.0f names scored\n", one, (thread_cpu_us() - c) / 300,
                static_cast<double>(scored) / 300);
    return 0;
  }
  perf_control("enable");
  // SCR_ROUNDS=1: no warm-up round (quicker, colder caches).
  const int rounds = std::getenv("SCR_ROUNDS") ? std::max(1, std::atoi(std::getenv("SCR_ROUNDS"))) : 2;
  for (int round = 0; round < rounds; ++round) {  // the first round warms caches and pages
    times.clear();
    cpu_times.clear();
    hits = 0;
    if (round == 1) load_start = load_average();
    for (const auto& d : declarations) {
      const auto t = Clock::now();
      const double c = thread_cpu_us();
      hits += screener.screen_declaration(d).size();
      cpu_times.push_back(thread_cpu_us() - c);
      times.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t).count());
    }
  }
  load_end = load_average();
  // The rounds above screen the same 2,000 declarations twice and time the second: the
  // per-thread cache of what each query word reaches in the dictionary has then seen every
  // word. A fresh set of 2,000 (another generator, the same recipe), screened once, shows the
  // figure on names the process has not screened before (common given names and trade words
  // recur, as they would in production).
  std::vector<double> unseen_cpu;
  std::size_t unseen_hits = 0;
  {
    bench::SyntheticGenerator fresh(2027);
    const auto unseen = make_declarations(fresh, 2000);
    for (const auto& d : unseen) {
      const double c = thread_cpu_us();
      unseen_hits += screener.screen_declaration(d).size();
      unseen_cpu.push_back(thread_cpu_us() - c);
    }
  }
  perf_control("disable");
  const std::string load_unseen = load_average();
  // SCR_PAIRED_ORDER=1: what grouping slots by name words gives (ScreenerOptions::
  // order_slots_by_name_words), measured in one process so that the machine's noise falls on
  // both alike: a second screener of the same list in id order, and 2,000 more fresh
  // declarations each screened by both, which one first alternating (a switch of screener
  // drops the per-thread cache of what query words reach, so both are timed on unseen words).
  if (std::getenv("SCR_PAIRED_ORDER")) {
    ScreenerOptions by_id;
    by_id.order_slots_by_name_words = false;
    Screener in_id_order(by_id);
    {
      bench::SyntheticGenerator again(2026);
      std::vector<WatchlistEntity> list;
      list.reserve(static_cast<std::size_t>(count));
      for (int64_t i = 0; i < count; ++i) list.push_back(again.entity(i));
      if (with_addresses) {  // the same addresses as the first list's (drawn from gen's stream)
        for (auto& e : list) {
          if (const auto listed = screener.find_entity("SYNTHETIC", e.id)) e.addresses = listed->addresses;
        }
      }
      const auto t1 = Clock::now();
      in_id_order.import_list("SYNTHETIC", std::move(list));
      std::printf("paired order: the same list in id order built in %.1f s\n", seconds_since(t1));
    }
    bench::SyntheticGenerator fresh(4049);
    const auto paired = make_declarations(fresh, 2000);
    std::vector<double> grouped_cpu, id_cpu;
    std::size_t grouped_hits = 0, id_hits = 0;
    for (std::size_t i = 0; i < paired.size(); ++i) {
      for (int k = 0; k < 2; ++k) {
        const bool grouped = (k == 0) == (i % 2 == 0);
        const double c = thread_cpu_us();
        const std::size_t n = (grouped ? screener : in_id_order).screen_declaration(paired[i]).size();
        (grouped ? grouped_cpu : id_cpu).push_back(thread_cpu_us() - c);
        (grouped ? grouped_hits : id_hits) += n;
      }
    }
    for (auto* v : {&grouped_cpu, &id_cpu}) {
      std::ranges::sort(*v);
      double sum = 0;
      for (double t : *v) sum += t;
      std::printf("paired order, slots %s: thread CPU per declaration mean %.0f us, p50 %.0f, p90 %.0f, p99 %.0f; %zu hits\n",
                  v == &grouped_cpu ? "grouped by name words" : "in id order", sum / static_cast<double>(v->size()),
                  (*v)[v->size() / 2], (*v)[v->size() * 9 / 10], (*v)[v->size() * 99 / 100],
                  v == &grouped_cpu ? grouped_hits : id_hits);
    }
  }
  if (std::getenv("SCR_SLOW")) {  // the slowest query names, to see what the tail is made of
    std::vector<std::pair<double, std::string>> slow;
    for (const auto& d : declarations) {
      for (const auto& p : d.parties) {
        ScreeningQuery q;
        q.name = p.name;
        q.country = p.address.country;
        // As screen_declaration asks (top ten), in thread CPU time.
        const int64_t scored_before = screener.stats().names_scored;
        const double c = thread_cpu_us();
        const auto top = screener.screen(q);
        const double us = thread_cpu_us() - c;
        char scores[96];
        std::snprintf(scores, sizeof scores, ", best %.3f, last %.3f, %lld names scored", top.empty() ? 0.0 : top.front().score,
                      top.empty() ? 0.0 : top.back().score,
                      static_cast<long long>(screener.stats().names_scored - scored_before));
        slow.emplace_back(us, p.name + " (" + std::to_string(top.size()) + " hits" + scores + ")");
      }
    }
    std::ranges::sort(slow, std::greater<>());
    if (!slow.empty()) {
      auto at = [&](double p) { return slow[static_cast<std::size_t>((1.0 - p) * static_cast<double>(slow.size() - 1))].first; };
      double total = 0;
      for (const auto& [us, name] : slow) total += us;
      std::printf("  per query name (%zu, as screen_declaration asks): mean %.0f us, p50 %.0f, p90 %.0f, p99 %.0f, max %.0f us\n",
                  slow.size(), total / static_cast<double>(slow.size()), at(0.5), at(0.9), at(0.99), slow.front().first);
    }
    for (std::size_t i = 0; i < 25 && i < slow.size(); ++i) std::printf("  slow: %.0f us CPU %s\n", slow[i].first, slow[i].second.c_str());
  }
  double sum = 0, cpu_sum = 0;
  for (double t : times) sum += t;
  for (double t : cpu_times) cpu_sum += t;
  std::ranges::sort(times);
  std::ranges::sort(cpu_times);
  std::ranges::sort(unseen_cpu);
  auto pct = [](const std::vector<double>& v, double p) {
    return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
  };
  std::printf("declaration screening (6 parties, 2 vehicles, 3 containers), %zu declarations, one thread: "
              "wall: mean %.0f us, p50 %.0f us, p90 %.0f us, p99 %.0f us, max %.0f us; "
              "thread CPU: mean %.0f us, p50 %.0f us, p90 %.0f us, p99 %.0f us, max %.0f us; %zu hits; "
              "load average %s at the start, %s at the end; capped query names so far %lld\n",
              times.size(), sum / static_cast<double>(times.size()), pct(times, 0.5), pct(times, 0.9),
              pct(times, 0.99), times.back(), cpu_sum / static_cast<double>(cpu_times.size()), pct(cpu_times, 0.5),
              pct(cpu_times, 0.9), pct(cpu_times, 0.99), cpu_times.back(), hits, load_start.c_str(), load_end.c_str(),
              static_cast<long long>(screener.stats().capped_queries));
  double unseen_sum = 0;
  for (double t : unseen_cpu) unseen_sum += t;
  std::printf("unseen declarations (2,000 fresh, screened once after the rounds above), one thread: thread CPU: "
              "mean %.0f us, p50 %.0f us, p90 %.0f us, p99 %.0f us, max %.0f us; %zu hits; load average %s at the end\n",
              unseen_sum / static_cast<double>(unseen_cpu.size()), pct(unseen_cpu, 0.5), pct(unseen_cpu, 0.9),
              pct(unseen_cpu, 0.99), unseen_cpu.back(), unseen_hits, load_unseen.c_str());

  // Index against brute force: the SETS of entities at or above the threshold, no top-k cut.
  struct Probe {
    std::string kind;
    ScreeningQuery query;
  };
  std::vector<Probe> probes;
  for (int i = 0; i < comparison_queries; ++i) {
    Probe p;
    const int r = i % 20;
    if (r < 12) {  // planted name variants, persons and companies
      const bool person = r % 2 == 0;
      const auto& e = pick(person ? EntityType::kPerson : EntityType::kOrganisation);
      Variant v = static_cast<Variant>((i / 20 + r / 2) % 6);
      if (v == Variant::kLegalForm && person) v = Variant::kTransliteration;
      p.kind = std::string(person ? "person/" : "organisation/") + kVariantNames[static_cast<int>(v)];
      p.query.name = apply(gen, v, e);
      if (person && i % 3 == 0) {
        p.query.date_of_birth = e.dates_of_birth[0];  // evidence lowers the name score needed
        p.query.country = "LT";
      }
    } else if (r < 17) {  // innocents: fresh names, which may still resemble listed ones
      const bool person = r % 2 == 0;
      p.kind = person ? "innocent/person" : "innocent/organisation";
      p.query.name = person ? gen.person_name() : gen.company_name();
      p.query.country = "LT";
    } else {  // plates: listed, one character off, and fresh
      p.query.type = EntityType::kVehicle;
      const auto& v = pick(EntityType::kVehicle);
      std::string plate = v.identifiers[0].value;
      if (r == 17) p.kind = "plate/exact";
      else if (r == 18) p.kind = "plate/one_char", plate = gen.plate_error(plate);
      else p.kind = "plate/fresh", plate = gen.plate();
      p.query.identifiers.push_back({IdentifierType::kPlate, plate, v.identifiers[0].country, {}});
    }
    probes.push_back(std::move(p));
  }
  struct Outcome {
    std::vector<Hit> fast, slow;
  };
  std::vector<Outcome> outcomes(probes.size());
  const auto tb = Clock::now();
  for (std::size_t i = 0; i < probes.size(); ++i) outcomes[i].fast = screener.screen(probes[i].query, SIZE_MAX);
  const double index_seconds = seconds_since(tb);
  const auto tf = Clock::now();
  {
    // The scan takes about a second per query; two threads halve the wall time (not timed).
    std::atomic<std::size_t> next = 0;
    auto work = [&] {
      for (std::size_t i; (i = next++) < probes.size();) outcomes[i].slow = screener.screen_brute_force(probes[i].query, SIZE_MAX);
    };
    std::thread other(work);
    work();
    other.join();
  }
  const double brute_seconds = seconds_since(tf);
  std::map<std::string, std::array<int, 4>> per_kind;  // queries, brute-force matches, found, lost
  int total_brute = 0, total_found = 0, top_brute = 0, top_lost = 0;
  const std::size_t top = ScreenerOptions{}.max_hits_per_query;
  for (std::size_t i = 0; i < probes.size(); ++i) {
    auto& k = per_kind[probes[i].kind];
    ++k[0];
    std::set<std::pair<std::string, std::string>> fast;
    for (const auto& h : outcomes[i].fast) fast.insert({h.entity->list, h.entity->id});
    int shown = 0;
    for (const auto& h : outcomes[i].slow) {
      ++k[1];
      ++total_brute;
      if (fast.contains({h.entity->list, h.entity->id})) {
        ++k[2];
        ++total_found;
      } else {
        ++k[3];
        if (++shown <= 3) {
          std::printf("  lost (%s): '%s' -> '%s' %.3f\n", probes[i].kind.c_str(), probes[i].query.name.c_str(),
                      h.matched_value.c_str(), h.score);
        }
      }
    }
    // The same cut on both sides, in the same total order (score, list, id).
    for (std::size_t j = 0; j < std::min(top, outcomes[i].slow.size()); ++j) {
      ++top_brute;
      if (j >= outcomes[i].fast.size() || outcomes[i].fast[j].entity != outcomes[i].slow[j].entity) ++top_lost;
    }
  }
  std::printf("\nindex vs brute force (same scorer, sets of entities >= %.2f, no cut): %zu queries, index %.2f ms "
              "per query, brute force %.2f s per query (2 threads)\n",
              ScreenerOptions{}.threshold, probes.size(), 1e3 * index_seconds / static_cast<double>(probes.size()),
              2 * brute_seconds / static_cast<double>(probes.size()));
  std::printf("%-34s %8s %12s %8s %6s %8s\n", "query kind", "queries", "brute-force", "found", "lost", "lost %");
  for (const auto& [kind, k] : per_kind) {
    std::printf("%-34s %8d %12d %8d %6d %7.2f%%\n", kind.c_str(), k[0], k[1], k[2], k[3],
                k[1] ? 100.0 * k[3] / k[1] : 0.0);
  }
  std::printf("%-34s %8zu %12d %8d %6d %7.2f%%\n", "all", probes.size(), total_brute, total_found,
              total_brute - total_found, total_brute ? 100.0 * (total_brute - total_found) / total_brute : 0.0);
  std::printf("top %zu in the total order (score, list, id): %d positions, %d differ\n", top, top_brute, top_lost);
  std::printf("capped query names (Stats::capped_queries): %lld\n",
              static_cast<long long>(screener.stats().capped_queries));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "accuracy";
  if (mode == "accuracy") return accuracy(argc > 2 ? std::stod(argv[2]) : 1.0, argc > 3 ? std::stoull(argv[3]) : 42);
  if (mode == "scale") return scale(argc > 2 ? std::stoll(argv[2]) : 1000000, argc > 3 ? std::stoi(argv[3]) : 400);
  std::fprintf(stderr, "usage: screening_bench accuracy [scale] [seed] | scale [entities] [comparison queries]\n");
  return 2;
}
