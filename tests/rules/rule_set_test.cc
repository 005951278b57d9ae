// Rule sets: firing, validity periods, ordering, and the index agreeing with evaluating
// every profile (a property test over random profiles and random declarations).
#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <thread>

#include "rules/rules.h"
#include "support.h"

namespace cordon::rules {
namespace {

using testing::cigarettes;
using testing::compile_ok;
using testing::meta;

std::vector<std::string> fired_ids(const RuleSetResult& result) {
  std::vector<std::string> ids;
  for (const Firing& f : result.fired) ids.emplace_back(f.id);
  return ids;
}

TEST(RuleSet, FiresMatchingProfilesInOrderWithMetadata) {
  ProfileMetadata tobacco = meta("FIS-TOBACCO");
  tobacco.weight = 40;
  tobacco.minimum_channel = Channel::kRed;
  tobacco.risk_area = RiskArea::kFiscal;
  tobacco.version = 3;
  std::vector<CompiledProfile> profiles = {
      compile_ok(R"(goods.exists(g, g.hs.startsWith("2402") && g.origin in ["VN", "AE"]))",
                 tobacco),
      compile_ok(R"(mode == "air")", meta("AIR")),
      compile_ok(R"("AE" in routing.countries)", meta("ROUTE-AE")),
      compile_ok(R"(office == "BE101000")", meta("OFFICE-BE")),
      compile_ok(R"(consignor.country == "VN")", meta("CONSIGNOR-VN")),
      compile_ok(R"(hits.exists(h, h.score > 0.8))", meta("HITS")),
      compile_ok(R"(total_value > 1000)", meta("VALUE")),
  };
  auto set = RuleSet::build(std::move(profiles));
  ASSERT_TRUE(set) << set.error();
  const IndexStats stats = set->index_stats();
  EXPECT_EQ(stats.by_hs_prefix_and_origin, 1u);
  EXPECT_EQ(stats.by_mode, 1u);
  EXPECT_EQ(stats.by_route_country, 1u);
  EXPECT_EQ(stats.by_office, 1u);
  EXPECT_EQ(stats.by_party_country, 1u);
  EXPECT_EQ(stats.by_hits, 1u);
  EXPECT_EQ(stats.unindexed, 1u);

  const Declaration d = cigarettes();
  Facts facts(d);
  RuleSetResult result = set->evaluate(facts);
  EXPECT_EQ(fired_ids(result),
            (std::vector<std::string>{"FIS-TOBACCO", "ROUTE-AE", "CONSIGNOR-VN", "VALUE"}));
  EXPECT_EQ(result.candidates, 4u);  // AIR, OFFICE-BE and HITS were skipped by the index
  EXPECT_EQ(result.fired[0].weight, 40);
  EXPECT_EQ(result.fired[0].channel, Channel::kRed);
  EXPECT_EQ(result.fired[0].version, 3);
  EXPECT_EQ(result.fired[0].explanation.at(0).detail, "goods[1]");
  EXPECT_EQ(result.total_weight, 43);  // 40 + three profiles of weight 1
  EXPECT_EQ(result.channel, Channel::kRed);

  facts.hits.push_back({.list = "SIM-NATIONAL", .score = 0.9});
  set->evaluate(facts, result, {.explain = false});
  EXPECT_EQ(fired_ids(result),
            (std::vector<std::string>{"FIS-TOBACCO", "ROUTE-AE", "CONSIGNOR-VN", "HITS", "VALUE"}));
  EXPECT_TRUE(result.fired[0].explanation.empty());
}

TEST(RuleSet, RefusesDuplicateIds) {
  std::vector<CompiledProfile> profiles = {compile_ok("true", meta("A")),
                                           compile_ok("false", meta("A"))};
  auto set = RuleSet::build(std::move(profiles));
  ASSERT_FALSE(set);
  EXPECT_EQ(set.error(), "duplicate profile id \"A\"");
}

TEST(RuleSet, ValidityPeriod) {
  ProfileMetadata m = meta("MARCH");
  m.valid_from = "2026-03-01";
  m.valid_to = "2026-03-31";
  std::vector<CompiledProfile> profiles = {compile_ok("true", m),
                                           compile_ok("true", meta("ALWAYS"))};
  auto set = RuleSet::build(std::move(profiles));
  ASSERT_TRUE(set);
  Declaration d = cigarettes();  // lodged 2026-03-01
  Facts facts(d);
  EXPECT_EQ(fired_ids(set->evaluate(facts)), (std::vector<std::string>{"MARCH", "ALWAYS"}));
  d.lodged_at = "2026-04-01T00:00:00Z";
  EXPECT_EQ(fired_ids(set->evaluate(facts)), (std::vector<std::string>{"ALWAYS"}));
  facts.as_of_day = 20514;  // 2026-03-02 overrides lodged_at
  EXPECT_EQ(fired_ids(set->evaluate(facts)), (std::vector<std::string>{"MARCH", "ALWAYS"}));
  facts.as_of_day.reset();
  d.lodged_at.clear();  // unknown day: a profile with a period does not fire
  EXPECT_EQ(fired_ids(set->evaluate(facts)), (std::vector<std::string>{"ALWAYS"}));
}

TEST(RuleSet, IndexIsSoundForDisjunctionsAndNegations) {
  std::vector<CompiledProfile> profiles = {
      compile_ok(R"(goods.exists(g, g.hs.startsWith("2402") || g.hs.startsWith("9403")))",
                 meta("A")),
      compile_ok(R"(!goods.exists(g, g.hs.startsWith("8703")))", meta("B")),
      compile_ok(R"(goods.all(g, g.origin == "VN"))", meta("C")),
      compile_ok(R"(mode == "air" || office == "LT000001")", meta("D")),
      compile_ok(R"(goods.exists(g, g.hs.lower().startsWith("2402")))", meta("E")),
      compile_ok(R"(goods.exists(g, g.hs.matches("94*") && g.origin == "CN"))", meta("F")),
      compile_ok(R"(mode in ["road", "sea"] && goods.count(g, g.origin == "VN") == 1)", meta("G")),
  };
  auto set = RuleSet::build(std::move(profiles));
  ASSERT_TRUE(set);
  const Declaration d = cigarettes();
  Facts facts(d);
  EXPECT_EQ(fired_ids(set->evaluate(facts)),
            (std::vector<std::string>{"A", "B", "D", "E", "F", "G"}));
  EXPECT_EQ(fired_ids(set->evaluate(facts, {.use_index = false})),
            (std::vector<std::string>{"A", "B", "D", "E", "F", "G"}));
}

// --- property test --------------------------------------------------------------------------

const std::vector<std::string> kHs = {"24022090", "2402",   "940360", "9403",   "870323",
                                      "8703",     "030617", "8517",   "851712", "3004",
                                      "300490",   "61",     "6109",   "610910"};
const std::vector<std::string> kCountries = {"VN", "AE", "CN", "TR", "IR",
                                             "LT", "DE", "NL", "RU", "BY"};
const std::vector<std::string> kModes = {"sea", "air", "road", "rail"};
const std::vector<std::string> kOffices = {"LT000001", "LT000002", "BE101000", "NL000396"};

class RandomProfiles {
 public:
  explicit RandomProfiles(uint32_t seed) : rng_(seed) {}

  std::string profile() {
    std::string out = conjunct();
    const int n = pick(3);
    for (int i = 0; i < n; ++i) out += (pick(4) == 0 ? " || " : " && ") + conjunct();
    return out;
  }

  Declaration declaration() {
    Declaration d;
    d.mode = *parse_transport_mode(one(kModes));
    d.office_of_first_entry = one(kOffices);
    d.lodged_at = "2026-03-0" + std::to_string(1 + pick(9)) + "T10:00:00Z";
    d.parties.push_back(testing::party(PartyRole::kConsignor, "A", one(kCountries)));
    if (pick(4) != 0)
      d.parties.push_back(testing::party(PartyRole::kConsignee, "B", one(kCountries)));
    const int goods = 1 + pick(4);
    for (int i = 0; i < goods; ++i) {
      d.goods.push_back(testing::item(one(kHs) + (pick(2) ? "00" : ""), one(kCountries),
                                      100.0 * (1 + pick(100)), 10.0 * (1 + pick(100))));
    }
    const int route = pick(4);
    for (int i = 0; i < route; ++i) d.routing.countries.push_back(one(kCountries));
    return d;
  }

  Facts facts(const Declaration& d) {
    Facts f(d);
    if (pick(2)) f.party(PartyRole::kConsignee).first_seen_days = pick(400);
    if (pick(3) == 0)
      f.hits.push_back({.list = "SIM-NATIONAL", .type = "vehicle", .score = pick(100) / 100.0});
    return f;
  }

 private:
  std::mt19937 rng_;
  int pick(int n) { return static_cast<int>(rng_() % static_cast<uint32_t>(n)); }
  const std::string& one(const std::vector<std::string>& v) {
    return v[static_cast<size_t>(pick(static_cast<int>(v.size())))];
  }
  std::string quoted(const std::string& s) { return "\"" + s + "\""; }

  std::string goods_condition() {
    switch (pick(6)) {
      case 0: return "g.hs.startsWith(" + quoted(one(kHs)) + ")";
      case 1:
        return "g.origin in [" + quoted(one(kCountries)) + ", " + quoted(one(kCountries)) + "]";
      case 2: return "g.value > " + std::to_string(pick(10000));
      case 3:
        return "(g.hs.startsWith(" + quoted(one(kHs)) + ") || g.hs == " + quoted(one(kHs)) + ")";
      case 4: return "g.origin == " + quoted(one(kCountries));
      default: return "g.hs.matches(" + quoted(one(kHs) + "*") + ")";
    }
  }

  std::string conjunct() {
    switch (pick(12)) {
      case 0:
      case 1: return "goods.exists(g, " + goods_condition() + " && " + goods_condition() + ")";
      case 2: return "mode == " + quoted(one(kModes));
      case 3: return "mode in [" + quoted(one(kModes)) + ", " + quoted(one(kModes)) + "]";
      case 4: return "office == " + quoted(one(kOffices));
      case 5: return quoted(one(kCountries)) + " in routing.countries";
      case 6: return "routing.countries.exists(c, c in [" + quoted(one(kCountries)) + "])";
      case 7: return "consignee.country == " + quoted(one(kCountries));
      case 8: return "hits.exists(h, h.score > 0." + std::to_string(pick(10)) + ")";
      case 9: return "consignee.first_seen_days < " + std::to_string(pick(400));
      case 10: return "!(" + conjunct() + ")";
      default: return "goods.all(g, " + goods_condition() + ")";
    }
  }
};

TEST(RuleSet, IndexGivesTheSameResultsAsEvaluatingEveryProfile) {
  RandomProfiles random(7);
  std::vector<CompiledProfile> profiles;
  for (int i = 0; i < 400; ++i) {
    ProfileMetadata m = meta("R" + std::to_string(i));
    if (i % 10 == 0) {
      m.valid_from = "2026-03-03";
      m.valid_to = "2026-03-06";
    }
    profiles.push_back(compile_ok(random.profile(), m));
  }
  auto set = RuleSet::build(std::move(profiles));
  ASSERT_TRUE(set);
  const IndexStats stats = set->index_stats();
  EXPECT_GT(stats.profiles - stats.unindexed, 200u);  // most profiles are indexed

  size_t fired = 0, candidates = 0;
  RuleSetResult indexed, all;
  for (int i = 0; i < 2000; ++i) {
    const Declaration d = random.declaration();
    const Facts facts = random.facts(d);
    set->evaluate(facts, indexed, {.explain = false});
    set->evaluate(facts, all, {.explain = false, .use_index = false});
    ASSERT_EQ(fired_ids(indexed), fired_ids(all)) << "declaration " << i;
    fired += indexed.fired.size();
    candidates += indexed.candidates;
  }
  EXPECT_GT(fired, 1000u);                      // the test exercises firing, not just silence
  EXPECT_LT(candidates, 2000u * 400u * 3 / 4);  // and the index skips work
}

TEST(RuleSet, ConcurrentEvaluationIsSafe) {
  std::vector<CompiledProfile> profiles = {compile_ok(
      R"(goods.exists(g, g.hs.startsWith("2402")) && consignee.first_seen_days < 30)", meta("A"))};
  auto set = RuleSet::build(std::move(profiles));
  ASSERT_TRUE(set);
  std::vector<std::thread> threads;
  std::atomic<int> fired{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      const Declaration d = cigarettes();
      Facts facts(d);
      facts.party(PartyRole::kConsignee).first_seen_days = 1;
      RuleSetResult result;
      for (int i = 0; i < 500; ++i) {
        set->evaluate(facts, result);
        fired += static_cast<int>(result.fired.size());
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(fired.load(), 2000);
}

}  // namespace
}  // namespace cordon::rules
