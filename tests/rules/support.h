// Helpers for the rules engine tests: hand-built declarations and one-line compilation.
#pragma once

// Designated initializers that leave members at their defaults are the point in tests.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#include <gtest/gtest.h>

#include <string>

#include "rules/rules.h"

namespace cordon::rules::testing {

inline Party party(PartyRole role, std::string name, std::string country, std::string eori = "") {
  Party p;
  p.role = role;
  p.name = std::move(name);
  p.address.country = std::move(country);
  p.eori = std::move(eori);
  return p;
}

inline GoodsItem item(std::string hs, std::string origin, double value, double gross_mass,
                      std::string description = "goods") {
  GoodsItem g;
  g.hs_code = std::move(hs);
  g.origin_country = std::move(origin);
  g.value = {value, "EUR"};
  g.gross_mass_kg = gross_mass;
  g.description = std::move(description);
  g.packages = {10, "CT"};
  return g;
}

// A sea declaration of cigarettes from Viet Nam to a Lithuanian consignee.
inline Declaration cigarettes() {
  Declaration d;
  d.reference = "LRN-0001";
  d.kind = DeclarationKind::kEntrySummary;
  d.mode = TransportMode::kSea;
  d.office_of_first_entry = "LT000001";
  d.lodged_at = "2026-03-01T10:15:00Z";
  d.loading_date = "2026-02-01";
  d.arrival_date = "2026-03-05";
  d.declarant = party(PartyRole::kDeclarant, "Baltic Brokers UAB", "LT", "LT123456");
  d.parties = {party(PartyRole::kConsignor, "Saigon Trading Co., Ltd.", "VN"),
               party(PartyRole::kConsignee, "Nemunas Import UAB", "LT", "LT999999")};
  d.goods = {item("940360", "CN", 5000, 800, "wooden furniture"),
             item("24022090", "VN", 1200, 2400, "cigarettes")};
  d.goods[0].containers = {"MSKU1234565"};
  d.transport.vessel_imo = "9074729";
  d.transport.vessel_name = "ORIENT HARMONY";
  d.routing.countries = {"VN", "SG", "AE", "LT"};
  d.routing.place_of_loading = "VNSGN";
  d.routing.place_of_unloading = "LTKLJ";
  return d;
}

inline ProfileMetadata meta(std::string id = "P-1") {
  ProfileMetadata m;
  m.id = std::move(id);
  m.title = "test";
  m.risk_area = RiskArea::kFiscal;
  m.owner = "analyst";
  return m;
}

inline CompiledProfile compile_ok(const std::string& source, ProfileMetadata metadata = meta()) {
  auto compiled = compile_profile(source, std::move(metadata));
  if (!compiled) {
    ADD_FAILURE() << source << "\n" << to_string(compiled.error());
    throw std::runtime_error("profile did not compile");
  }
  return *compiled;
}

inline Diagnostics compile_errors(const std::string& source) {
  auto compiled = compile_profile(source, meta());
  if (compiled) {
    ADD_FAILURE() << "compiled but should not: " << source;
    return {};
  }
  return compiled.error();
}

}  // namespace cordon::rules::testing
