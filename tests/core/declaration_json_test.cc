#include "core/declaration_json.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../support/test_data.h"

namespace cordon {
namespace {

using nlohmann::json;

bool has_error(const FieldErrors& errors, std::string_view path, std::string_view rule) {
  for (const auto& e : errors) {
    if (e.path == path && e.rule == rule) return true;
  }
  return false;
}

std::string describe(const FieldErrors& errors) {
  std::string out;
  for (const auto& e : errors) out += e.to_string() + " [" + e.rule + "]\n";
  return out;
}

TEST(DeclarationJson, DecodesEveryDataGroup) {
  auto decoded = declaration_from_json_text(testing::read_test_file("declaration_sea.json"));
  ASSERT_TRUE(decoded) << describe(decoded.error());
  const Declaration& d = *decoded;
  EXPECT_EQ(d.reference, "ENS-2026-0001");
  EXPECT_EQ(d.kind, DeclarationKind::kEntrySummary);
  EXPECT_EQ(d.mode, TransportMode::kSea);
  EXPECT_EQ(d.declarant.eori, "DK53139655");
  EXPECT_EQ(d.declarant.role, PartyRole::kDeclarant);
  ASSERT_EQ(d.parties.size(), 3u);
  EXPECT_EQ(d.parties[0].name_original, "宁波海天电子有限公司");
  EXPECT_EQ(d.parties[1].role, PartyRole::kConsignee);
  ASSERT_EQ(d.goods.size(), 2u);
  EXPECT_EQ(d.goods[0].hs_code, "851713");
  EXPECT_DOUBLE_EQ(d.goods[0].gross_mass_kg, 1200.5);
  ASSERT_TRUE(d.goods[0].net_mass_kg.has_value());
  EXPECT_EQ(d.goods[0].packages.count, 240);
  EXPECT_EQ(d.goods[0].value.currency, "USD");
  EXPECT_FALSE(d.goods[1].net_mass_kg.has_value());
  EXPECT_EQ(d.goods[0].containers, std::vector<std::string>{"CSQU3054383"});
  EXPECT_EQ(d.transport.vessel_imo, "9074729");
  EXPECT_EQ(d.routing.countries, (std::vector<std::string>{"CN", "SG", "NL"}));
  EXPECT_FALSE(d.transit.has_value());
  ASSERT_NE(d.find_party(PartyRole::kConsignor), nullptr);
  EXPECT_EQ(d.find_party(PartyRole::kBuyer), nullptr);
}

TEST(DeclarationJson, RoundTrips) {
  auto decoded = declaration_from_json_text(testing::read_test_file("declaration_sea.json"));
  ASSERT_TRUE(decoded);
  Declaration d = *decoded;
  d.id = 42;
  d.transit = Transit{"26LT0000010000001", "LT000001", {"LV000002"}, "EE000003", {"S1"}, {"ELOCK-7"}, "2026-03-01T12:00:00Z"};
  auto again = declaration_from_json(declaration_to_json(d));
  ASSERT_TRUE(again) << describe(again.error());
  EXPECT_EQ(*again, d);
}

TEST(DeclarationJson, TextEncodingMatchesTheTreeEncoding) {
  auto decoded = declaration_from_json_text(testing::read_test_file("declaration_sea.json"));
  ASSERT_TRUE(decoded);
  Declaration d = *decoded;
  d.id = 7;
  d.parties[0].name = "Quote \" backslash \\ tab \t nul \x01 bad \xff end";
  d.goods[0].gross_mass_kg = 0.1 + 0.2;  // needs all 17 digits to round-trip
  d.goods[1].value.amount = 1e21;
  d.transit = Transit{"M", "LT000001", {}, "EE000003", {"S1", "S2"}, {}, ""};
  std::string text = declaration_to_json_text(d);
  // The tree holds the raw invalid bytes; its dump replaces them as the text encoder does.
  json tree = json::parse(declaration_to_json(d).dump(-1, ' ', false, json::error_handler_t::replace));
  EXPECT_EQ(json::parse(text), tree) << text;
  auto again = declaration_from_json_text(text);
  ASSERT_TRUE(again);
  EXPECT_DOUBLE_EQ(again->goods[0].gross_mass_kg, 0.1 + 0.2);
  EXPECT_EQ(again->parties[0].name, "Quote \" backslash \\ tab \t nul \x01 bad \xEF\xBF\xBD end");
}

TEST(DeclarationJson, ReportsEveryShapeErrorWithItsPath) {
  json doc = json::parse(testing::read_test_file("declaration_sea.json"));
  doc["goods"][1]["value"]["currency"] = 978;
  doc["goods"][0]["gross_mass_kg"] = "heavy";
  doc["parties"][2]["role"] = "shipper";
  doc["parties"][0]["nmae"] = "typo";
  doc["goods"][0]["containers"][0] = nullptr;
  doc.erase("reference");
  auto decoded = declaration_from_json(doc);
  ASSERT_FALSE(decoded);
  const auto& errors = decoded.error();
  EXPECT_TRUE(has_error(errors, "goods[1].value.currency", "type")) << describe(errors);
  EXPECT_TRUE(has_error(errors, "goods[0].gross_mass_kg", "type")) << describe(errors);
  EXPECT_TRUE(has_error(errors, "parties[2].role", "enum")) << describe(errors);
  EXPECT_TRUE(has_error(errors, "parties[0].nmae", "unknown_field")) << describe(errors);
  EXPECT_TRUE(has_error(errors, "goods[0].containers[0]", "type")) << describe(errors);
  EXPECT_TRUE(has_error(errors, "reference", "required")) << describe(errors);
  EXPECT_EQ(errors.size(), 6u) << describe(errors);
}

TEST(DeclarationJson, EnumErrorListsTheAllowedValues) {
  json doc = json::parse(testing::read_test_file("declaration_sea.json"));
  doc["mode"] = "boat";
  auto decoded = declaration_from_json(doc);
  ASSERT_FALSE(decoded);
  ASSERT_EQ(decoded.error().size(), 1u);
  EXPECT_EQ(decoded.error()[0].to_string(),
            "mode: \"boat\" is not one of sea, air, road, rail, postal, inland_waterway, fixed_installation");
}

TEST(DeclarationJson, MalformedJsonGivesTheByteOffset) {
  auto decoded = declaration_from_json_text(R"({"reference": "A", )");
  ASSERT_FALSE(decoded);
  ASSERT_EQ(decoded.error().size(), 1u);
  EXPECT_EQ(decoded.error()[0].rule, "json_syntax");
  EXPECT_NE(decoded.error()[0].message.find("at byte"), std::string::npos);
}

TEST(DeclarationJson, OverflowingNumbersAreBadInputNotACrash) {
  for (const char* text : {"1e999", R"({"goods":[{"gross_mass_kg":1e400}]})"}) {
    auto decoded = declaration_from_json_text(text);
    ASSERT_FALSE(decoded) << text;
    EXPECT_EQ(decoded.error()[0].rule, "json_syntax") << text;
  }
}

TEST(DeclarationJson, RejectsNonObjects) {
  for (const char* text : {"[]", "42", "\"x\"", "null"}) {
    auto decoded = declaration_from_json_text(text);
    ASSERT_FALSE(decoded) << text;
    EXPECT_EQ(decoded.error()[0].rule, "type") << text;
  }
}

TEST(DeclarationJson, IntegersMustBeWhole) {
  json doc = json::parse(testing::read_test_file("declaration_sea.json"));
  doc["goods"][0]["packages"]["count"] = 2.5;
  auto decoded = declaration_from_json(doc);
  ASSERT_FALSE(decoded);
  EXPECT_TRUE(has_error(decoded.error(), "goods[0].packages.count", "type"));
  doc["goods"][0]["packages"]["count"] = 3.0;
  EXPECT_TRUE(declaration_from_json(doc));
}

}  // namespace
}  // namespace cordon
