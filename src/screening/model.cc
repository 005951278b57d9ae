#include <array>
#include <utility>

#include "screening/screening.h"

namespace cordon::screening {
namespace {

constexpr std::array<std::pair<EntityType, std::string_view>, 7> kEntityTypes = {{
    {EntityType::kPerson, "person"},
    {EntityType::kOrganisation, "organisation"},
    {EntityType::kVehicle, "vehicle"},
    {EntityType::kContainer, "container"},
    {EntityType::kVessel, "vessel"},
    {EntityType::kAircraft, "aircraft"},
    {EntityType::kDocument, "document"},
}};

constexpr std::array<std::pair<IdentifierType, std::string_view>, 11> kIdentifierTypes = {{
    {IdentifierType::kVin, "vin"},
    {IdentifierType::kPlate, "plate"},
    {IdentifierType::kContainer, "container"},
    {IdentifierType::kImo, "imo"},
    {IdentifierType::kPassport, "passport"},
    {IdentifierType::kNationalId, "national_id"},
    {IdentifierType::kDocument, "document"},
    {IdentifierType::kEori, "eori"},
    {IdentifierType::kTin, "tin"},
    {IdentifierType::kAircraftTail, "aircraft_tail"},
    {IdentifierType::kOther, "other"},
}};

constexpr std::array<std::pair<ListFormat, std::string_view>, 5> kFormats = {{
    {ListFormat::kOfacSdn, "ofac-sdn"},
    {ListFormat::kUnXml, "un-xml"},
    {ListFormat::kEuXml, "eu-xml"},
    {ListFormat::kCordonCsv, "cordon-csv"},
    {ListFormat::kCordonNdjson, "cordon-ndjson"},
}};

template <typename E, std::size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [v, n] : table) {
    if (v == value) return n;
  }
  return "?";
}

template <typename E, std::size_t N>
std::optional<E> value_of(const std::array<std::pair<E, std::string_view>, N>& table, std::string_view name) {
  for (const auto& [v, n] : table) {
    if (n == name) return v;
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(EntityType type) { return name_of(kEntityTypes, type); }
std::optional<EntityType> parse_entity_type(std::string_view name) {
  if (name == "organization" || name == "entity" || name == "enterprise") return EntityType::kOrganisation;
  if (name == "individual") return EntityType::kPerson;
  return value_of(kEntityTypes, name);
}
std::string_view to_string(IdentifierType type) { return name_of(kIdentifierTypes, type); }
std::optional<IdentifierType> parse_identifier_type(std::string_view name) { return value_of(kIdentifierTypes, name); }
std::string_view to_string(ListFormat format) { return name_of(kFormats, format); }
std::optional<ListFormat> parse_list_format(std::string_view name) { return value_of(kFormats, name); }

std::string ImportError::to_string() const { return where.empty() ? message : where + ": " + message; }

}  // namespace cordon::screening
