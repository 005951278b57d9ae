// Fuzzes compile_profile with arbitrary sources: it must return a profile or diagnostics with
// positions inside the source, never crash or hang (nesting and size are bounded). Profiles
// that compile are also evaluated and explained against a fixed declaration, so the evaluator
// sees every construct the compiler accepts, and put in a RuleSet whose index must agree with
// the profile itself (the index may skip a profile only when it cannot fire).
//
//   build/h-rules-fuzz/fuzz/rules/fuzz_rules_profile fuzz/rules/corpus -max_total_time=60
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "rules/rules.h"

namespace {

cordon::Declaration make_declaration() {
  using namespace cordon;
  Declaration d;
  d.reference = "LRN-1";
  d.mode = TransportMode::kRoad;
  d.office_of_first_entry = "LT000001";
  d.lodged_at = "2026-03-01T10:00:00Z";
  d.loading_date = "2026-02-27";
  d.arrival_date = "2026-03-01";
  Party consignor;
  consignor.role = PartyRole::kConsignor;
  consignor.name = "Saigon Trading";
  consignor.address.country = "VN";
  d.parties.push_back(consignor);
  GoodsItem g;
  g.hs_code = "24022090";
  g.origin_country = "VN";
  g.description = "cigarettes";
  g.gross_mass_kg = 100;
  g.value = {1000, "EUR"};
  g.containers = {"MSKU1234565"};
  d.goods.push_back(g);
  d.transport.vehicle_plate = "34 ABC 123";
  d.transport.vehicle_vin = "1M8GDM9AXKP042788";
  d.routing.countries = {"VN", "TR", "LT"};
  return d;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const cordon::Declaration declaration = make_declaration();
  const std::string_view source(reinterpret_cast<const char*>(data), size);
  cordon::rules::ProfileMetadata metadata;
  metadata.id = "FUZZ";
  auto profile = cordon::rules::compile_profile(source, metadata);
  if (!profile) {
    for (const auto& d : profile.error()) {
      if (d.field == "source" && (d.line < 1 || d.column < 1)) std::abort();
      (void)d.to_string();
    }
    return 0;
  }
  cordon::rules::Facts facts(declaration);
  facts.party(cordon::PartyRole::kConsignor).first_seen_days = 3;
  facts.hits.push_back({"SIM-NATIONAL", "SIM-V-1", "vehicle", 0.95, "transport.vehicle_plate", ""});
  const bool fired = profile->matches(facts);
  const auto explanation = profile->explain(facts);
  if (explanation.empty()) std::abort();
  auto set = cordon::rules::RuleSet::build({*profile});
  if (!set) std::abort();
  const auto result = set->evaluate(facts, {.explain = false});
  if (result.fired.size() != (fired ? 1u : 0u)) std::abort();
  return 0;
}
