#include "core/validation.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../support/test_data.h"
#include "core/declaration_json.h"

namespace cordon {
namespace {

using nlohmann::json;

json sample() { return json::parse(testing::read_test_file("declaration_sea.json")); }

FieldErrors errors_for(const json& doc) {
  auto decoded = declaration_from_json(doc);
  if (!decoded) return decoded.error();
  return validate_declaration(*decoded);
}

std::string describe(const FieldErrors& errors) {
  std::string out;
  for (const auto& e : errors) out += e.to_string() + " [" + e.rule + "]\n";
  return out;
}

const FieldError* find(const FieldErrors& errors, std::string_view path) {
  for (const auto& e : errors) {
    if (e.path == path) return &e;
  }
  return nullptr;
}

TEST(Validation, SampleIsValid) {
  auto errors = errors_for(sample());
  EXPECT_TRUE(errors.empty()) << describe(errors);
}

TEST(Validation, ContainerCheckDigitNamesFieldAndExpectedDigit) {
  json doc = sample();
  doc["goods"][1]["containers"] = {"CSQU3054383", "MSKU1234566"};
  auto errors = errors_for(doc);
  ASSERT_EQ(errors.size(), 1u) << describe(errors);
  EXPECT_EQ(errors[0].to_string(), "goods[1].containers[1]: \"MSKU1234566\" fails the ISO 6346 check digit (expected 5)");
  EXPECT_EQ(errors[0].rule, "iso6346_check_digit");
}

TEST(Validation, EveryBrokenRuleIsReported) {
  json doc = sample();
  doc["parties"][0]["address"]["country"] = "XX";
  doc["goods"][0]["hs_code"] = "999999";
  doc["goods"][0]["value"]["currency"] = "XYZ";
  doc["goods"][0]["origin_country"] = "cn";
  doc["goods"][0]["net_mass_kg"] = 5000;
  doc["goods"][1]["gross_mass_kg"] = 0;
  doc["transport"]["vessel_imo"] = "9074728";
  doc["routing"]["place_of_loading"] = "CNSH1";
  doc["arrival_date"] = "2026-02-01";
  doc["lodged_at"] = "2026-02-11 09:30";
  auto errors = errors_for(doc);
  for (const char* path : {"parties[0].address.country", "goods[0].hs_code", "goods[0].value.currency",
                           "goods[0].origin_country", "goods[0].net_mass_kg", "goods[1].gross_mass_kg",
                           "transport.vessel_imo", "routing.place_of_loading", "arrival_date", "lodged_at"}) {
    EXPECT_NE(find(errors, path), nullptr) << path << "\n" << describe(errors);
  }
  EXPECT_EQ(errors.size(), 10u) << describe(errors);
  EXPECT_EQ(find(errors, "parties[0].address.country")->message, "\"XX\" is not an ISO 3166 code");
}

TEST(Validation, RoadNeedsAPlateAndChecksTheVin) {
  json doc = sample();
  doc["mode"] = "road";
  doc["transport"] = {{"vehicle_vin", "1M8GDM9AXKP042789"}};
  auto errors = errors_for(doc);
  ASSERT_NE(find(errors, "transport.vehicle_plate"), nullptr) << describe(errors);
  EXPECT_EQ(find(errors, "transport.vehicle_plate")->rule, "required_for_mode");
  ASSERT_NE(find(errors, "transport.vehicle_vin"), nullptr) << describe(errors);
  EXPECT_EQ(find(errors, "transport.vehicle_vin")->rule, "vin_check_digit");

  doc["transport"] = {{"vehicle_plate", "ABC 123"}, {"vehicle_country", "LT"}, {"vehicle_vin", "1M8GDM9AXKP042788"},
                      {"trailer_plate", "XY-99"}, {"trailer_country", "LT"}};
  errors = errors_for(doc);
  EXPECT_TRUE(errors.empty()) << describe(errors);

  doc["transport"]["vehicle_vin"] = "WVWZZZ1JZXW00000I";  // I is not allowed in a VIN
  errors = errors_for(doc);
  ASSERT_EQ(errors.size(), 1u) << describe(errors);
  EXPECT_EQ(errors[0].path, "transport.vehicle_vin");
}

TEST(Validation, AirNeedsAFlightNumber) {
  json doc = sample();
  doc["mode"] = "air";
  doc["transport"] = {{"flight_number", "LH8401"}};
  EXPECT_TRUE(errors_for(doc).empty()) << describe(errors_for(doc));
  for (const char* good : {"BA1", "U21234", "DLH400A", "5X12"}) {
    doc["transport"]["flight_number"] = good;
    EXPECT_TRUE(errors_for(doc).empty()) << good << describe(errors_for(doc));
  }
  for (const char* bad : {"L", "LH", "LH12345", "12345", "lh840", "LH 840", "LH84A0"}) {
    doc["transport"]["flight_number"] = bad;
    auto errors = errors_for(doc);
    ASSERT_EQ(errors.size(), 1u) << bad;
    EXPECT_EQ(errors[0].rule, "flight_number_format") << bad;
  }
}

TEST(Validation, RequiresConsignorConsigneeAndGoods) {
  json doc = sample();
  doc["parties"] = json::array();
  doc["goods"] = json::array();
  auto errors = errors_for(doc);
  int required_party = 0;
  for (const auto& e : errors) required_party += e.rule == "required_party";
  EXPECT_EQ(required_party, 2) << describe(errors);
  ASSERT_NE(find(errors, "goods"), nullptr);
  EXPECT_EQ(find(errors, "goods")->rule, "required");
}

TEST(Validation, TransitDeclarationNeedsTransitData) {
  json doc = sample();
  doc["kind"] = "transit";
  auto errors = errors_for(doc);
  ASSERT_NE(find(errors, "transit"), nullptr) << describe(errors);
  doc["transit"] = {{"office_of_departure", "LT000001"},
                    {"office_of_destination", "PL000002"},
                    {"offices_of_transit", {"LV00000X"}},
                    {"devices", {"ELOCK-1"}},
                    {"time_limit", "2026-03-01T12:00:00+02:00"}};
  errors = errors_for(doc);
  EXPECT_TRUE(errors.empty()) << describe(errors);
  doc["transit"]["offices_of_transit"] = {"ZZ000001"};
  errors = errors_for(doc);
  ASSERT_NE(find(errors, "transit.offices_of_transit[0]"), nullptr) << describe(errors);
}

TEST(Validation, ReferenceLimits) {
  json doc = sample();
  doc["reference"] = std::string(36, 'A');
  EXPECT_EQ(find(errors_for(doc), "reference")->rule, "max_length");
  doc["reference"] = "ENS\n1";
  EXPECT_EQ(find(errors_for(doc), "reference")->rule, "printable_ascii");
}

TEST(Validation, ParseDeclarationCombinesDecodeAndValidate) {
  std::string text = testing::read_test_file("declaration_sea.json");
  EXPECT_TRUE(parse_declaration(text));
  auto bad = parse_declaration(R"({"reference":"X","mode":"sea","declarant":{"name":"A","eori":"DE1"},"goods":[]})");
  ASSERT_FALSE(bad);
  EXPECT_FALSE(bad.error().empty());
}

}  // namespace
}  // namespace cordon
