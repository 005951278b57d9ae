// Evaluation semantics: missing values, strings, macros, functions, explanations.
#include <gtest/gtest.h>

#include "rules/rules.h"
#include "support.h"

namespace cordon::rules {
namespace {

using testing::cigarettes;
using testing::compile_ok;

class Evaluation : public ::testing::Test {
 protected:
  Declaration d = cigarettes();
  Facts facts{d};
  bool eval(const std::string& source) { return compile_ok(source).matches(facts); }
};

TEST_F(Evaluation, HeaderFields) {
  EXPECT_TRUE(eval(R"(mode == "sea" && kind == "entry_summary" && office == "LT000001")"));
  EXPECT_TRUE(eval(R"(reference.startsWith("LRN-") && lodged_at >= "2026-03-01")"));
  EXPECT_TRUE(eval("voyage_days == 32"));
  EXPECT_TRUE(eval("total_value == 6200 && total_gross_mass == 3200"));
  EXPECT_TRUE(eval(R"(declarant.eori == "LT123456" && declarant.country == "LT")"));
  EXPECT_TRUE(eval(
      R"(routing.loading == "VNSGN" && routing.loading_country == "VN" && routing.unloading_country == "LT")"));
  EXPECT_TRUE(
      eval(R"(transport.vessel_imo == "9074729" && transport.vessel_name.contains("ORIENT"))"));
}

TEST_F(Evaluation, MissingValuesMakeComparisonsFalse) {
  // notify party absent, consignor has no EORI, features unknown.
  EXPECT_FALSE(eval(R"(notify.name == "x")"));
  EXPECT_FALSE(eval(R"(notify.name != "x")"));
  EXPECT_FALSE(eval(R"(consignor.eori != "LT1")"));
  EXPECT_FALSE(eval(R"(consignor.eori in ["LT1"])"));
  EXPECT_FALSE(eval(R"(consignor.eori not in ["LT1"])"));
  EXPECT_FALSE(eval("consignee.first_seen_days < 30"));
  EXPECT_FALSE(eval("consignee.first_seen_days >= 30"));
  EXPECT_TRUE(eval("!(consignee.first_seen_days < 30)"));   // documented: ! of a false comparison
  EXPECT_FALSE(eval("consignee.first_seen_days + 1 > 0"));  // arithmetic propagates missing
  EXPECT_FALSE(eval("min(consignee.first_seen_days, 3) < 10"));
  EXPECT_FALSE(eval("pair.novel"));
  EXPECT_FALSE(eval("pair.novel == false"));
  EXPECT_TRUE(eval("pair.novel == null"));
  EXPECT_TRUE(eval("consignor.eori == null && consignee.eori != null"));
  EXPECT_TRUE(eval("null == notify.country"));
  EXPECT_FALSE(eval(R"(transport.plate.startsWith("A"))"));
  EXPECT_FALSE(eval("transport.vin_valid"));
  EXPECT_TRUE(eval("transport.vin_valid == null"));
  EXPECT_FALSE(eval("10 / 0 == 10 / 0"));            // division by zero is missing
  EXPECT_FALSE(eval("consignor.eori.size() == 0"));  // the length of a missing text is missing
  EXPECT_FALSE(eval("consignor.eori.lower().startsWith(\"\")"));
  EXPECT_FALSE(eval("goods.exists(g, g.net_mass > 0)"));
  EXPECT_FALSE(eval("goods.exists(g, g.value_per_kg_ratio < 0.5)"));  // not filled
  facts.goods = {{}, {.value_per_kg_ratio = 0.2}};
  EXPECT_TRUE(eval("goods.exists(g, g.value_per_kg_ratio < 0.5 && g.hs.startsWith(\"2402\"))"));
  facts.party(PartyRole::kConsignee).first_seen_days = 3;
  EXPECT_TRUE(eval("consignee.first_seen_days < 30"));
  facts.pair.novel = true;
  EXPECT_TRUE(eval("pair.novel && pair.novel == true"));
}

TEST_F(Evaluation, Strings) {
  EXPECT_TRUE(eval(R"(consignor.name.startsWith("Saigon") && consignor.name.endsWith("Ltd."))"));
  EXPECT_TRUE(eval(R"(consignor.name.lower().contains("trading co"))"));
  EXPECT_FALSE(eval(R"(consignor.name.contains("trading co"))"));
  EXPECT_TRUE(eval(R"(consignor.name.upper() == "SAIGON TRADING CO., LTD.")"));
  EXPECT_FALSE(eval(R"(consignor.name.lower() == "SAIGON TRADING CO., LTD.")"));
  EXPECT_TRUE(eval(R"(consignor.name.lower() in ["saigon trading co., ltd.", "x"])"));
  EXPECT_TRUE(eval(R"(consignor.name.size() == 24 && size(consignor.name) == 24)"));
  EXPECT_TRUE(eval(R"(consignee.name.matches("*Import*"))"));
  EXPECT_TRUE(eval(R"(consignee.name.matches("Nemunas ?mport UAB"))"));
  EXPECT_TRUE(eval(R"(consignee.eori.matches("LT[0-9][0-9]*"))"));
  EXPECT_FALSE(eval(R"(consignee.eori.matches("LT[!0-9]*"))"));
  EXPECT_FALSE(eval(R"(consignee.name.matches("Import*"))"));  // anchored at both ends
  EXPECT_TRUE(eval(R"(consignee.name.lower().matches("*import*"))"));
  EXPECT_TRUE(eval(R"(goods.exists(g, g.description.matches("cig*")))"));
  EXPECT_TRUE(eval(R"("a*b".matches("a\\*b") && !"axb".matches("a\\*b"))"));
  EXPECT_TRUE(eval(R"("abc" < "abd" && "b" > "abc")"));
}

TEST_F(Evaluation, ListsAndMacros) {
  EXPECT_TRUE(eval(R"("AE" in routing.countries && "IR" not in routing.countries)"));
  EXPECT_TRUE(eval(R"(routing.countries.contains("SG"))"));
  EXPECT_TRUE(eval(R"(routing.countries.exists(c, c in ["AE", "IR"]))"));
  EXPECT_TRUE(eval(R"(routing.countries.size() == 4 && size(routing.countries) == 4)"));
  EXPECT_TRUE(eval(R"(goods.size() == 2 && goods.count(g, g.value > 1000) == 2)"));
  EXPECT_TRUE(eval(R"(goods.all(g, g.gross_mass > 100))"));
  EXPECT_FALSE(eval(R"(goods.all(g, g.origin == "VN"))"));
  EXPECT_TRUE(eval(R"(goods.exists_one(g, g.origin == "VN"))"));
  EXPECT_FALSE(eval(R"(goods.exists_one(g, g.value > 0))"));
  EXPECT_TRUE(eval(R"(goods.exists(g, g.containers.exists(c, c.startsWith("MSKU"))))"));
  EXPECT_TRUE(eval(R"(goods.exists(g, g.containers.size() == 0))"));
  EXPECT_TRUE(eval(R"(parties.exists(p, p.role == "consignor" && p.country == "VN"))"));
  EXPECT_TRUE(eval(R"(parties.count(p, p.country == "LT") == 1)"));
  EXPECT_TRUE(eval(R"(goods.exists(g, g.value_per_kg == 0.5))"));
  EXPECT_TRUE(eval(R"(goods.exists(g, g.origin == consignor.country))"));
  // Nested macros see the outer variable.
  EXPECT_TRUE(eval(R"(goods.exists(g, routing.countries.exists(c, c == g.origin)))"));
  EXPECT_TRUE(eval(R"(transit.seals.size() == 0 && transit.office_of_departure == null)"));
  EXPECT_TRUE(eval("hits.size() == 0 && !hits.exists(h, true) && hits.all(h, false)"));
  EXPECT_TRUE(eval("3 in [1, 2, 3] && 4 not in [1, 2, 3]"));
}

TEST_F(Evaluation, ScreeningHits) {
  const std::string source =
      R"(hits.exists(h, h.list == "SIM-NATIONAL" && h.score > 0.9 && h.type == "vehicle"))";
  EXPECT_FALSE(eval(source));
  facts.hits.push_back({.list = "SIM-NATIONAL",
                        .entry = "SIM-V-1",
                        .type = "vehicle",
                        .score = 0.95,
                        .field = "transport.vehicle_plate"});
  EXPECT_TRUE(eval(source));
  facts.hits[0].score = 0.5;
  EXPECT_FALSE(eval(source));
  EXPECT_TRUE(eval(R"(hits.exists(h, h.entry == "SIM-V-1" && h.field.startsWith("transport")))"));
}

TEST_F(Evaluation, NumericFunctions) {
  EXPECT_TRUE(eval("abs(-3) == 3 && min(4, 2, 8) == 2 && max(4, 2, 8) == 8"));
  EXPECT_TRUE(eval("abs(voyage_days - 40) <= 8"));
  EXPECT_TRUE(eval("goods.exists(g, g.value / g.gross_mass < 1)"));
}

TEST_F(Evaluation, RoadTransportAndVin) {
  d.mode = TransportMode::kRoad;
  d.transport = {};
  d.transport.vehicle_plate = "34 ABC 123";
  d.transport.vehicle_country = "TR";
  d.transport.vehicle_vin = "1M8GDM9AXKP042788";  // valid North American check digit
  EXPECT_TRUE(eval(R"(mode == "road" && transport.plate_country == "TR" && transport.vin_valid)"));
  d.transport.vehicle_vin = "1M8GDM9A1KP042788";
  EXPECT_TRUE(eval("transport.vin_valid == false"));
}

TEST_F(Evaluation, ExplanationListsConjunctsWithWhatTheySaw) {
  const CompiledProfile profile = compile_ok(
      "goods.exists(g, g.hs.startsWith(\"2402\") && g.origin in [\"VN\", \"AE\"])\n"
      "  && consignee.first_seen_days < 30   # new consignee\n"
      "  && mode == \"sea\"");
  facts.party(PartyRole::kConsignee).first_seen_days = 12;
  const Explanation explanation = profile.explain(facts);
  ASSERT_EQ(explanation.size(), 3u);
  EXPECT_EQ(explanation[0].text,
            R"(goods.exists(g, g.hs.startsWith("2402") && g.origin in ["VN", "AE"]))");
  EXPECT_TRUE(explanation[0].value);
  EXPECT_EQ(explanation[0].detail, "goods[1]");
  EXPECT_EQ(explanation[1].text, "consignee.first_seen_days < 30");
  EXPECT_EQ(explanation[1].detail, "consignee.first_seen_days = 12");
  EXPECT_EQ(explanation[2].detail, "mode = \"sea\"");
  // Deterministic: the same facts give the same explanation.
  const Explanation again = profile.explain(facts);
  for (size_t i = 0; i < explanation.size(); ++i) {
    EXPECT_EQ(explanation[i].text, again[i].text);
    EXPECT_EQ(explanation[i].detail, again[i].detail);
  }
  facts.party(PartyRole::kConsignee).first_seen_days.reset();
  const Explanation missing = profile.explain(facts);
  EXPECT_FALSE(missing[1].value);
  EXPECT_EQ(missing[1].detail, "consignee.first_seen_days = missing");
}

TEST_F(Evaluation, ExplanationOfADisjunction) {
  const CompiledProfile profile =
      compile_ok(R"("IR" in routing.countries || (office == "LT000001"))");
  const Explanation explanation = profile.explain(facts);
  ASSERT_EQ(explanation.size(), 2u);
  EXPECT_FALSE(explanation[0].value);
  EXPECT_TRUE(explanation[1].value);
  EXPECT_EQ(explanation[1].text, R"((office == "LT000001"))");
}

TEST(ValuePerKg, UsesNetMassWhenPresent) {
  GoodsItem g = testing::item("24022090", "VN", 1000, 500);
  EXPECT_EQ(value_per_kg(g), 2.0);
  g.net_mass_kg = 400;
  EXPECT_EQ(value_per_kg(g), 2.5);
  g.net_mass_kg = 0;
  EXPECT_EQ(value_per_kg(g), std::nullopt);
}

}  // namespace
}  // namespace cordon::rules
