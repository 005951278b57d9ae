#include "core/declaration_json.h"

#include <algorithm>

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

// declaration_from_json_text decodes through simdjson and falls back to nlohmann for what
// simdjson refuses; it must decide exactly as declaration_from_json over nlohmann's tree.
TEST(DeclarationJson, TextAndTreeDecodersAgree) {
  const std::string base = testing::read_test_file("declaration_sea.json");
  std::vector<std::string> texts{base};
  auto mutated = [&](auto&& change) {
    json doc = json::parse(base);
    change(doc);
    texts.push_back(doc.dump());
  };
  mutated([](json& d) { d["goods"][1]["value"]["currency"] = 978; });
  mutated([](json& d) { d["goods"][0]["gross_mass_kg"] = "heavy"; });
  mutated([](json& d) { d["goods"][0]["gross_mass_kg"] = 12; });  // an integer where a number is asked
  mutated([](json& d) { d["goods"][0]["gross_mass_kg"] = -3; });
  mutated([](json& d) { d["goods"][0]["packages"]["count"] = 2.5; });
  mutated([](json& d) { d["goods"][0]["packages"]["count"] = 3.0; });
  mutated([](json& d) { d["goods"][0]["packages"]["count"] = -4; });
  mutated([](json& d) { d["goods"][0]["packages"]["count"] = 18446744073709551615ULL; });  // > INT64_MAX
  mutated([](json& d) { d["goods"][0]["packages"]["count"] = 1e17; });
  mutated([](json& d) { d["goods"][0]["net_mass_kg"] = nullptr; });
  mutated([](json& d) { d["goods"][0]["containers"][0] = nullptr; });
  mutated([](json& d) { d["goods"][0]["containers"] = "MSKU1234565"; });
  mutated([](json& d) { d["goods"] = json::object(); });
  mutated([](json& d) { d["goods"][1] = 7; });
  mutated([](json& d) { d["parties"][2]["role"] = "shipper"; });
  mutated([](json& d) { d["parties"][0]["nmae"] = "typo"; d["parties"][0]["adress"] = {}; });
  mutated([](json& d) { d["declarant"] = nullptr; });
  mutated([](json& d) { d["transport"] = true; });
  mutated([](json& d) { d["id"] = 99; });
  mutated([](json& d) { d["reference"] = "Ünïcødé 参考"; });
  mutated([](json& d) { d.erase("reference"); d.erase("mode"); });
  // Texts nlohmann's dump cannot produce: a repeated key (the last one counts), a repeated
  // unknown key, an integer beyond 64 bits, an escaped NUL, malformed and truncated text.
  std::string head = base.substr(0, base.find('{') + 1);
  std::string tail = base.substr(base.find('{') + 1);
  texts.push_back(head + R"("reference":"FIRST",)" + tail);
  texts.push_back(head + R"("zz":1,"zz":2,)" + tail);
  texts.push_back(head + R"("id":123456789012345678901234567890,)" + tail);
  texts.push_back(head + R"("office_of_first_entry":"A\u0000B",)" + tail);
  texts.push_back(base.substr(0, base.size() / 2));
  texts.push_back(head + "\xff" + tail);
  texts.push_back("{\"reference\": \"\xc3\x28\"}");
  auto sorted = [](FieldErrors errors) {
    std::vector<std::string> out;
    for (const auto& e : errors) out.push_back(e.to_string() + " [" + e.rule + "]");
    std::sort(out.begin(), out.end());
    return out;
  };
  for (const std::string& text : texts) {
    auto from_text = declaration_from_json_text(text);
    std::expected<Declaration, FieldErrors> from_tree;
    try {
      from_tree = declaration_from_json(json::parse(text));
    } catch (const json::exception&) {
      ASSERT_FALSE(from_text) << text;  // malformed: the text decoder refuses it too
      EXPECT_EQ(from_text.error()[0].rule, "json_syntax") << text;
      continue;
    }
    ASSERT_EQ(from_text.has_value(), from_tree.has_value()) << text;
    if (from_tree) {
      EXPECT_EQ(*from_text, *from_tree) << text;
    } else {
      EXPECT_EQ(sorted(from_text.error()), sorted(from_tree.error())) << text;
    }
  }
}

}  // namespace
}  // namespace cordon
