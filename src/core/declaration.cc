#include "core/declaration.h"

#include <array>
#include <utility>

namespace cordon {
namespace {

// One table per enum keeps the wire names in a single place; the order follows the enum.
constexpr std::array<std::pair<DeclarationKind, std::string_view>, 3> kKindNames{{
    {DeclarationKind::kEntrySummary, "entry_summary"},
    {DeclarationKind::kTransit, "transit"},
    {DeclarationKind::kImport, "import"},
}};
constexpr std::array<std::pair<TransportMode, std::string_view>, 7> kModeNames{{
    {TransportMode::kSea, "sea"},
    {TransportMode::kAir, "air"},
    {TransportMode::kRoad, "road"},
    {TransportMode::kRail, "rail"},
    {TransportMode::kPostal, "postal"},
    {TransportMode::kInlandWaterway, "inland_waterway"},
    {TransportMode::kFixedInstallation, "fixed_installation"},
}};
constexpr std::array<std::pair<PartyRole, std::string_view>, 7> kRoleNames{{
    {PartyRole::kConsignor, "consignor"},
    {PartyRole::kConsignee, "consignee"},
    {PartyRole::kNotifyParty, "notify_party"},
    {PartyRole::kCarrier, "carrier"},
    {PartyRole::kBuyer, "buyer"},
    {PartyRole::kSeller, "seller"},
    {PartyRole::kDeclarant, "declarant"},
}};

template <typename Table, typename Enum>
std::string_view name_of(const Table& table, Enum value) {
  for (const auto& [v, name] : table) {
    if (v == value) return name;
  }
  return "unknown";
}

template <typename Enum, typename Table>
std::optional<Enum> value_of(const Table& table, std::string_view name) {
  for (const auto& [v, n] : table) {
    if (n == name) return v;
  }
  return std::nullopt;
}

template <typename Table>
std::vector<std::string_view> names_of(const Table& table) {
  std::vector<std::string_view> names;
  for (const auto& entry : table) names.push_back(entry.second);
  return names;
}

}  // namespace

std::string_view to_string(DeclarationKind kind) { return name_of(kKindNames, kind); }
std::string_view to_string(TransportMode mode) { return name_of(kModeNames, mode); }
std::string_view to_string(PartyRole role) { return name_of(kRoleNames, role); }

std::optional<DeclarationKind> parse_declaration_kind(std::string_view name) {
  return value_of<DeclarationKind>(kKindNames, name);
}
std::optional<TransportMode> parse_transport_mode(std::string_view name) {
  return value_of<TransportMode>(kModeNames, name);
}
std::optional<PartyRole> parse_party_role(std::string_view name) { return value_of<PartyRole>(kRoleNames, name); }

std::vector<std::string_view> declaration_kind_names() { return names_of(kKindNames); }
std::vector<std::string_view> transport_mode_names() { return names_of(kModeNames); }
std::vector<std::string_view> party_role_names() { return names_of(kRoleNames); }

const Party* Declaration::find_party(PartyRole role) const {
  for (const auto& party : parties) {
    if (party.role == role) return &party;
  }
  return nullptr;
}

}  // namespace cordon
