// The declaration model: an advance cargo declaration after the data groups of the ICS2
// entry summary declaration (ENS) — header, parties, goods items, means of transport,
// routing — plus the transit data (offices, seals, devices) that opens a supervised journey.
//
// Plain value types: no behaviour beyond what keeps them consistent. Decoding from JSON and
// the validation rules live in declaration_json.h and validation.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cordon {

enum class DeclarationKind { kEntrySummary, kTransit, kImport };
enum class TransportMode { kSea, kAir, kRoad, kRail, kPostal, kInlandWaterway, kFixedInstallation };
enum class PartyRole { kConsignor, kConsignee, kNotifyParty, kCarrier, kBuyer, kSeller, kDeclarant };

// Wire names ("entry_summary", "road", "notify_party", ...). The parse functions return
// nullopt for a name that is not one of the wire names.
std::string_view to_string(DeclarationKind kind);
std::string_view to_string(TransportMode mode);
std::string_view to_string(PartyRole role);
std::optional<DeclarationKind> parse_declaration_kind(std::string_view name);
std::optional<TransportMode> parse_transport_mode(std::string_view name);
std::optional<PartyRole> parse_party_role(std::string_view name);
// All wire names, in declaration order, for error messages and documentation.
std::vector<std::string_view> declaration_kind_names();
std::vector<std::string_view> transport_mode_names();
std::vector<std::string_view> party_role_names();

struct Address {
  std::string street;
  std::string city;
  std::string postcode;
  std::string country;  // ISO 3166-1 alpha-2

  bool operator==(const Address&) const = default;
};

struct Party {
  PartyRole role = PartyRole::kConsignor;
  std::string name;
  // The name as written in its own script when that is not Latin ("ООО Балтийский Транзит").
  std::string name_original;
  Address address;
  std::string eori;  // optional; Economic Operators Registration and Identification number
  std::string tin;   // optional; national tax identification number

  bool operator==(const Party&) const = default;
};

struct Packages {
  int64_t count = 0;
  std::string kind;  // UN/ECE Rec. 21 package type code, e.g. "CT" (carton), "PK"

  bool operator==(const Packages&) const = default;
};

struct Money {
  double amount = 0;
  std::string currency;  // ISO 4217

  bool operator==(const Money&) const = default;
};

struct GoodsItem {
  std::string description;
  std::string hs_code;  // 6 to 10 digits; the first six are an HS 2022 subheading
  double gross_mass_kg = 0;
  std::optional<double> net_mass_kg;
  Packages packages;
  Money value;
  std::string origin_country;           // ISO 3166-1 alpha-2
  std::vector<std::string> containers;  // ISO 6346 container numbers

  bool operator==(const GoodsItem&) const = default;
};

// Means of transport at the border. Which fields apply depends on the mode of transport.
struct Transport {
  std::string vessel_imo;       // sea: IMO ship identification number, 7 digits
  std::string vessel_name;
  std::string flight_number;    // air: carrier designator and number, e.g. "LH8401"
  std::string vehicle_plate;    // road: as written on the plate
  std::string vehicle_country;  // road: ISO 3166-1 alpha-2 of the registration
  std::string vehicle_vin;      // road: ISO 3779 vehicle identification number
  std::string trailer_plate;
  std::string trailer_country;
  std::string trailer_vin;

  bool operator==(const Transport&) const = default;
};

struct Routing {
  std::vector<std::string> countries;  // ISO 3166-1 alpha-2, in order of passage
  std::string place_of_loading;        // UN/LOCODE, e.g. "CNSHA"
  std::string place_of_unloading;      // UN/LOCODE

  bool operator==(const Routing&) const = default;
};

// Transit data, for declarations that open a supervised journey.
struct Transit {
  std::string mrn;                               // movement reference number, when known
  std::string office_of_departure;               // customs office reference number, e.g. "LT000001"
  std::vector<std::string> offices_of_transit;
  std::string office_of_destination;
  std::vector<std::string> seals;                // seal identifiers
  std::vector<std::string> devices;              // smart security device identifiers
  std::string time_limit;                        // ISO 8601 timestamp by which it must arrive

  bool operator==(const Transit&) const = default;
};

struct Declaration {
  // Assigned by Cordon when stored; 0 until then.
  int64_t id = 0;
  // Header.
  std::string reference;  // the declarant's own reference (LRN), unique per declarant
  DeclarationKind kind = DeclarationKind::kEntrySummary;
  TransportMode mode = TransportMode::kSea;
  Party declarant;                 // role is always kDeclarant
  std::string loading_date;        // ISO 8601 date, YYYY-MM-DD
  std::string arrival_date;        // ISO 8601 date, YYYY-MM-DD
  std::string office_of_first_entry;
  // When the declaration was lodged (ISO 8601 UTC timestamp, "2026-03-01T10:15:00Z").
  // Set by Cordon at receipt when the sender leaves it out.
  std::string lodged_at;
  std::vector<Party> parties;
  std::vector<GoodsItem> goods;
  Transport transport;
  Routing routing;
  std::optional<Transit> transit;

  // The first party with the role, or nullptr.
  const Party* find_party(PartyRole role) const;
  bool operator==(const Declaration&) const = default;
};

}  // namespace cordon
