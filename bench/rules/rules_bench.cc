// bench_rules: 1,000 profiles generated from templates (varied risk areas, HS prefixes, origins,
// routes, offices, thresholds) drawn from what the simulated world actually trades, evaluated
// over every simulated declaration on one thread.
//
// Derived features are computed here the way the pipeline will: party and pair history from
// the declarations lodged before, value-per-kg medians per HS subheading and origin. Screening
// hits are planted on 3 % of declarations (the screening engine is not linked).
//
//   build/h-rules-bench/bench/rules/bench_rules [--benchmark_min_time=2s]
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <random>
#include <unordered_map>

#include "rules/rules.h"
#include "simulation/simulation.h"

namespace {

using namespace cordon;
using namespace cordon::rules;

struct Bench {
  simulation::World world;
  std::vector<std::vector<ScreeningHit>> hits;
  std::vector<Facts> facts;
  std::vector<std::string> sources;
  std::vector<ProfileMetadata> metadata;
  RuleSet set;
};

std::string q(std::string_view s) {
  return "\"" + std::string(s) + "\"";
}

// Derived features from history up to each declaration (declarations are in lodged_at order).
void derive_features(Bench& b) {
  struct History {
    int64_t first_day = 0;
    double seen = 0;
  };
  std::unordered_map<std::string, History> parties, pairs;
  std::map<std::pair<std::string, std::string>, std::vector<double>> per_kg;
  for (const Declaration& d : b.world.declarations) {
    for (const GoodsItem& g : d.goods) {
      if (auto v = value_per_kg(g))
        per_kg[{g.hs_code.substr(0, 6), g.origin_country}].push_back(*v);
    }
  }
  std::map<std::pair<std::string, std::string>, double> medians;
  for (auto& [key, values] : per_kg) {
    std::nth_element(values.begin(), values.begin() + static_cast<ptrdiff_t>(values.size() / 2),
                     values.end());
    medians[key] = values[values.size() / 2];
  }
  std::mt19937 rng(7);
  b.facts.reserve(b.world.declarations.size());
  b.hits.resize(b.world.declarations.size());
  for (size_t i = 0; i < b.world.declarations.size(); ++i) {
    const Declaration& d = b.world.declarations[i];
    Facts f;
    f.declaration = &d;
    const int64_t day = static_cast<int64_t>(i / 330);  // about 330 declarations a day
    auto party_key = [](const Party& p) { return p.eori.empty() ? p.name : p.eori; };
    for (const Party& p : d.parties) {
      History& h = parties[party_key(p)];
      PartyFeatures& pf = f.party(p.role);
      if (h.seen > 0)
        pf.first_seen_days = static_cast<double>(day - h.first_day);
      else
        h.first_day = day;
      pf.declarations_seen = h.seen;
      pf.controls = std::floor(h.seen * 0.05);
      pf.control_hit_rate = pf.controls > 0 ? 0.1 : 0.0;
      h.seen += 1;
    }
    const Party* consignor = d.find_party(PartyRole::kConsignor);
    const Party* consignee = d.find_party(PartyRole::kConsignee);
    if (consignor && consignee) {
      History& h = pairs[party_key(*consignor) + "|" + party_key(*consignee)];
      f.pair.novel = h.seen == 0;
      f.pair.declarations_seen = h.seen;
      if (h.seen > 0)
        f.pair.first_seen_days = static_cast<double>(day - h.first_day);
      else
        h.first_day = day;
      h.seen += 1;
    }
    for (const GoodsItem& g : d.goods) {
      GoodsFeatures gf;
      auto it = medians.find({g.hs_code.substr(0, 6), g.origin_country});
      if (auto v = value_per_kg(g); v && it != medians.end() && it->second > 0)
        gf.value_per_kg_ratio = *v / it->second;
      f.goods.push_back(gf);
    }
    if (rng() % 100 < 3) {
      b.hits[i].push_back({.list = "SIM-NATIONAL",
                           .entry = "SIM-P-0001",
                           .type = rng() % 2 ? "person" : "vehicle",
                           .score = 0.7 + (rng() % 30) / 100.0,
                           .field = "parties[0].name",
                           .role = "consignor"});
    }
    b.facts.push_back(std::move(f));
  }
  for (size_t i = 0; i < b.facts.size(); ++i) b.facts[i].hits = b.hits[i];
}

// Profiles from templates, with constants drawn from the traffic (weighted by frequency, as
// analysts target what is actually imported).
void generate_profiles(Bench& b, int count) {
  std::vector<std::string> hs4, hs6, origins, offices, route, descriptions;
  for (const Declaration& d : b.world.declarations) {
    offices.push_back(d.office_of_first_entry);
    for (const std::string& c : d.routing.countries) route.push_back(c);
    for (const GoodsItem& g : d.goods) {
      hs4.push_back(g.hs_code.substr(0, 4));
      hs6.push_back(g.hs_code.substr(0, 6));
      origins.push_back(g.origin_country);
      const size_t space = g.description.find(' ');
      descriptions.push_back(g.description.substr(0, space));
    }
  }
  std::mt19937 rng(2026);
  auto one = [&](const std::vector<std::string>& v) { return v[rng() % v.size()]; };
  auto num = [&](int lo, int hi) {
    return std::to_string(lo + static_cast<int>(rng() % static_cast<uint32_t>(hi - lo + 1)));
  };
  auto lower = [](std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  const std::string modes[] = {"sea", "air", "road", "rail"};
  for (int i = 0; i < count; ++i) {
    ProfileMetadata m;
    std::string s;
    switch (i % 12) {
      case 0:  // fiscal: undervaluation of one subheading from one origin
        m.risk_area = RiskArea::kFiscal;
        s = "goods.exists(g, g.hs.startsWith(" + q(one(hs6)) +
            ") && g.origin == " + q(one(origins)) + " && g.value_per_kg_ratio < 0." + num(2, 5) +
            ")";
        break;
      case 1:  // fiscal: tobacco-like, new consignee
        m.risk_area = RiskArea::kFiscal;
        s = "goods.exists(g, g.hs.startsWith(" + q(one(hs4)) + ") && g.origin in [" +
            q(one(origins)) + ", " + q(one(origins)) + "]) && consignee.first_seen_days < " +
            num(7, 60);
        break;
      case 2:  // drugs: route through a country, chosen goods
        m.risk_area = RiskArea::kDrugs;
        s = "goods.exists(g, g.hs.startsWith(" + q(one(hs4)) +
            ")) && routing.countries.exists(c, c in [" + q(one(route)) + ", " + q(one(route)) +
            "]) && pair.novel";
        break;
      case 3:  // security: mode, routing, new trader
        m.risk_area = RiskArea::kSecuritySafety;
        s = "mode == " + q(modes[rng() % 4]) + " && " + q(one(route)) +
            " in routing.countries && consignor.declarations_seen < " + num(1, 5);
        break;
      case 4:  // office-specific heavy goods
        m.risk_area = RiskArea::kSecuritySafety;
        s = "office == " + q(one(offices)) + " && goods.exists(g, g.hs.startsWith(" +
            q(one(hs4).substr(0, 2)) + ") && g.gross_mass > " + num(1000, 20000) + ")";
        break;
      case 5:  // IPR: description words on a chapter
        m.risk_area = RiskArea::kIpr;
        s = "goods.exists(g, g.hs.startsWith(" + q(one(hs4)) +
            ") && g.description.lower().contains(" + q(lower(one(descriptions))) +
            ") && g.value < " + num(500, 20000) + ")";
        break;
      case 6:  // sanctions / watch lists
        m.risk_area = RiskArea::kSanctions;
        s = "hits.exists(h, h.score > 0." + num(80, 95) +
            " && h.type == " + q(rng() % 2 ? "person" : "vehicle") + ")";
        break;
      case 7:  // consignor country and novel pair
        m.risk_area = RiskArea::kFiscal;
        s = "consignor.country == " + q(one(origins)) + " && pair.novel && total_value > " +
            num(10000, 200000);
        break;
      case 8:  // weapons: chapter 93 style exact subheadings, or a listed origin
        m.risk_area = RiskArea::kWeapons;
        s = "goods.exists(g, g.hs in [" + q(one(hs6)) + ", " + q(one(hs6)) + ", " + q(one(hs6)) +
            "] && g.packages > " + num(1, 50) + ")";
        break;
      case 9:  // CITES: origin and description pattern
        m.risk_area = RiskArea::kCites;
        s = "goods.exists(g, g.origin == " + q(one(origins)) + " && g.hs.matches(" +
            q(one(hs4).substr(0, 2) + "*") + ") && g.value_per_kg > " + num(50, 500) + ")";
        break;
      case 10:  // drugs: several prefixes
        m.risk_area = RiskArea::kDrugs;
        s = "goods.exists(g, (g.hs.startsWith(" + q(one(hs4)) + ") || g.hs.startsWith(" +
            q(one(hs4)) + ")) && g.origin in [" + q(one(origins)) + ", " + q(one(origins)) + ", " +
            q(one(origins)) + "])" + " && consignee.control_hit_rate > 0." + num(0, 3);
        break;
      default:  // unindexed: trader behaviour only (1 in 12 profiles)
        m.risk_area = RiskArea::kOther;
        s = "consignee.declarations_seen < " + num(1, 3) + " && total_value > " +
            num(50000, 500000) + " && goods.size() >= " + num(2, 6);
        break;
    }
    m.id = "GEN-" + std::to_string(i);
    m.title = "generated " + std::string(to_string(m.risk_area));
    m.owner = "bench";
    m.weight = 1 + static_cast<double>(rng() % 50);
    m.minimum_channel = rng() % 3 == 0 ? Channel::kRed : Channel::kYellow;
    b.sources.push_back(std::move(s));
    b.metadata.push_back(std::move(m));
  }
}

Bench& bench() {
  static Bench* instance = [] {
    auto* b = new Bench;  // NOLINT: lives for the process
    simulation::SimulationOptions options;
    options.scale = 1.2;
    b->world = simulation::generate_world(options);
    derive_features(*b);
    generate_profiles(*b, 1000);
    std::vector<CompiledProfile> compiled;
    for (size_t i = 0; i < b->sources.size(); ++i) {
      auto p = compile_profile(b->sources[i], b->metadata[i]);
      if (!p) {
        std::fprintf(stderr, "%s\n%s\n", b->sources[i].c_str(), to_string(p.error()).c_str());
        std::abort();
      }
      compiled.push_back(std::move(*p));
    }
    b->set = std::move(*RuleSet::build(std::move(compiled)));
    // Sanity: the index changes nothing but speed.
    RuleSetResult indexed, all;
    size_t fired = 0, candidates = 0, firing_declarations = 0;
    for (const Facts& f : b->facts) {
      b->set.evaluate(f, indexed, {.explain = false});
      b->set.evaluate(f, all, {.explain = false, .use_index = false});
      if (indexed.fired.size() != all.fired.size()) {
        std::fprintf(stderr, "index mismatch on %s\n", f.declaration->reference.c_str());
        std::abort();
      }
      fired += indexed.fired.size();
      firing_declarations += indexed.fired.empty() ? 0 : 1;
      candidates += indexed.candidates;
    }
    const IndexStats s = b->set.index_stats();
    std::fprintf(
        stderr,
        "declarations %zu, profiles %zu (hs+origin %zu, hs %zu, origin %zu, office %zu, mode %zu, "
        "route %zu, "
        "party country %zu, hits %zu, unindexed %zu)\n"
        "candidates per declaration %.1f, firings per declaration %.2f, declarations with a firing "
        "%.1f%%\n",
        b->facts.size(), s.profiles, s.by_hs_prefix_and_origin, s.by_hs_prefix, s.by_origin,
        s.by_office, s.by_mode, s.by_route_country, s.by_party_country, s.by_hits, s.unindexed,
        static_cast<double>(candidates) / static_cast<double>(b->facts.size()),
        static_cast<double>(fired) / static_cast<double>(b->facts.size()),
        100.0 * static_cast<double>(firing_declarations) / static_cast<double>(b->facts.size()));
    return b;
  }();
  return *instance;
}

void BM_CompileProfiles(benchmark::State& state) {
  Bench& b = bench();
  for (auto _ : state) {
    for (size_t i = 0; i < b.sources.size(); ++i) {
      auto p = compile_profile(b.sources[i], b.metadata[i]);
      benchmark::DoNotOptimize(p);
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * b.sources.size()));
  state.counters["profiles/s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * b.sources.size()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_CompileProfiles)->Unit(benchmark::kMillisecond);

void BM_BuildRuleSet(benchmark::State& state) {
  Bench& b = bench();
  std::vector<CompiledProfile> compiled;
  for (size_t i = 0; i < b.set.size(); ++i) compiled.push_back(b.set.profile(i));
  for (auto _ : state) {
    auto set = RuleSet::build(compiled);
    benchmark::DoNotOptimize(set);
  }
}
BENCHMARK(BM_BuildRuleSet)->Unit(benchmark::kMillisecond);

// One pass over every declaration per iteration; items are declarations.
void evaluate_all(benchmark::State& state, EvaluateOptions options) {
  Bench& b = bench();
  RuleSetResult result;
  size_t fired = 0;
  for (auto _ : state) {
    for (const Facts& f : b.facts) {
      b.set.evaluate(f, result, options);
      fired += result.fired.size();
    }
  }
  benchmark::DoNotOptimize(fired);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * b.facts.size()));
  state.counters["declarations/s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * b.facts.size()), benchmark::Counter::kIsRate);
}
void BM_Evaluate_Indexed(benchmark::State& state) {
  evaluate_all(state, {.explain = false});
}
void BM_Evaluate_IndexedWithExplanations(benchmark::State& state) {
  evaluate_all(state, {.explain = true});
}
void BM_Evaluate_EveryProfile(benchmark::State& state) {
  evaluate_all(state, {.explain = false, .use_index = false});
}
BENCHMARK(BM_Evaluate_Indexed)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Evaluate_IndexedWithExplanations)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Evaluate_EveryProfile)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
