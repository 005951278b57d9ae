#include "core/validation.h"

#include <cmath>

#include <fmt/format.h>

#include "core/declaration_json.h"
#include "core/identifiers.h"
#include "core/time.h"

namespace cordon {
namespace {

constexpr std::size_t kMaxReferenceLength = 35;  // ENS LRN / UCC data element 12 09 000 000
constexpr std::size_t kMaxNameLength = 256;
constexpr std::size_t kMaxDescriptionLength = 512;
constexpr std::size_t kMaxGoodsItems = 999;  // the ENS limit on goods items per declaration
constexpr std::size_t kMaxIdentifierLength = 35;

// Collects errors under a path prefix. Validation keeps going after a failure so that a sender
// sees every broken rule in one answer.
// A field's path as a prefix and a name ("parties[2]" and ".eori"), joined into one string only
// when an error names it: every field of every declaration is checked, and nearly all pass.
struct FieldPath {
  FieldPath(const char* path) : base(path) {}  // NOLINT: implicit, so a literal is a path
  FieldPath(const std::string& path) : base(path) {}  // NOLINT
  FieldPath(std::string_view prefix, std::string_view name) : base(prefix), field(name) {}
  std::string text() const {
    std::string out(base);
    out += field;
    return out;
  }
  std::string_view base, field;
};

class Checker {
 public:
  explicit Checker(FieldErrors& errors) : errors_(errors) {}

  void fail(const FieldPath& path, std::string rule, std::string message) {
    errors_.push_back(FieldError{path.text(), std::move(rule), std::move(message)});
  }

  // Runs an identifier check when the value is present.
  void check(const FieldPath& path, const std::string& value, ids::Check (*validator)(std::string_view)) {
    if (value.empty()) return;
    if (auto result = validator(value); !result) fail(path, result.error().rule, result.error().message);
  }

  void require(const FieldPath& path, const std::string& value, std::string_view what) {
    if (value.empty()) fail(path, "required", fmt::format("{} is required", what));
  }

  void max_length(const FieldPath& path, const std::string& value, std::size_t limit) {
    if (value.size() > limit) {
      fail(path, "max_length", fmt::format("is {} bytes long; the limit is {}", value.size(), limit));
    }
  }

  void date(const FieldPath& path, const std::string& value) {
    if (!value.empty() && !parse_date(value)) {
      fail(path, "iso8601_date", fmt::format("{} is not a calendar date in the form YYYY-MM-DD", quote_value(value)));
    }
  }

  void timestamp(const FieldPath& path, const std::string& value) {
    if (!value.empty() && !parse_timestamp(value)) {
      fail(path, "iso8601_timestamp",
           fmt::format("{} is not an ISO 8601 timestamp with a zone, e.g. 2026-03-01T10:15:00Z", quote_value(value)));
    }
  }

 private:
  FieldErrors& errors_;
};

bool is_printable_ascii(std::string_view text) {
  for (unsigned char c : text) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

void validate_plate(Checker& c, const FieldPath& path, const std::string& plate) {
  if (plate.empty()) return;
  std::string normal = ids::normalize_plate(plate);
  bool alnum = !normal.empty();
  for (char ch : normal) {
    if (!((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'))) alnum = false;
  }
  if (!alnum || normal.size() < 2 || normal.size() > 12) {
    c.fail(path, "plate_format",
           fmt::format("{} is not a registration plate: 2 to 12 Latin letters or digits, with optional spaces, "
                       "dashes or dots",
                       quote_value(plate)));
  }
}

bool is_upper(char ch) { return ch >= 'A' && ch <= 'Z'; }
bool is_digit(char ch) { return ch >= '0' && ch <= '9'; }

// The number after a carrier designator: 1 to 4 digits and an optional operational suffix letter.
bool is_flight_number_tail(std::string_view tail) {
  std::size_t digits = 0;
  while (digits < tail.size() && is_digit(tail[digits])) ++digits;
  if (digits < 1 || digits > 4) return false;
  return tail.size() == digits || (tail.size() == digits + 1 && is_upper(tail.back()));
}

void validate_flight(Checker& c, const FieldPath& path, const std::string& flight) {
  // IATA designator (two letters or digits, not both digits) or ICAO designator (three letters).
  std::string_view f = flight;
  bool iata = f.size() > 2 && (is_upper(f[0]) || is_digit(f[0])) && (is_upper(f[1]) || is_digit(f[1])) &&
              !(is_digit(f[0]) && is_digit(f[1])) && is_flight_number_tail(f.substr(2));
  bool icao = f.size() > 3 && is_upper(f[0]) && is_upper(f[1]) && is_upper(f[2]) && is_flight_number_tail(f.substr(3));
  if (!iata && !icao) {
    c.fail(path, "flight_number_format",
           fmt::format("{} is not a flight number: a carrier designator and 1 to 4 digits, e.g. LH8401",
                       quote_value(flight)));
  }
}

void validate_party(Checker& c, const std::string& path, const Party& p) {
  c.require(FieldPath(path, ".name"), p.name, "the party's name");
  c.max_length(FieldPath(path, ".name"), p.name, kMaxNameLength);
  c.max_length(FieldPath(path, ".name_original"), p.name_original, kMaxNameLength);
  c.check(FieldPath(path, ".address.country"), p.address.country, &ids::check_country);
  c.check(FieldPath(path, ".eori"), p.eori, &ids::check_eori);
  c.max_length(FieldPath(path, ".tin"), p.tin, kMaxIdentifierLength);
}

void validate_goods_item(Checker& c, const std::string& path, const GoodsItem& g) {
  c.require(FieldPath(path, ".description"), g.description, "a description of the goods");
  c.max_length(FieldPath(path, ".description"), g.description, kMaxDescriptionLength);
  c.check(FieldPath(path, ".hs_code"), g.hs_code, &ids::check_hs_code);
  if (!std::isfinite(g.gross_mass_kg) || g.gross_mass_kg <= 0) {
    c.fail(FieldPath(path, ".gross_mass_kg"), "positive", fmt::format("must be more than 0 kg, got {}", g.gross_mass_kg));
  }
  if (g.net_mass_kg) {
    double net = *g.net_mass_kg;
    if (!std::isfinite(net) || net <= 0) {
      c.fail(FieldPath(path, ".net_mass_kg"), "positive", fmt::format("must be more than 0 kg, got {}", net));
    } else if (std::isfinite(g.gross_mass_kg) && net > g.gross_mass_kg) {
      c.fail(FieldPath(path, ".net_mass_kg"), "net_not_above_gross",
             fmt::format("net mass {} kg exceeds the gross mass {} kg", net, g.gross_mass_kg));
    }
  }
  if (g.packages.count < 0) {
    c.fail(FieldPath(path, ".packages.count"), "non_negative", fmt::format("must not be negative, got {}", g.packages.count));
  }
  if (!std::isfinite(g.value.amount) || g.value.amount < 0) {
    c.fail(FieldPath(path, ".value.amount"), "non_negative", fmt::format("must be 0 or more, got {}", g.value.amount));
  }
  c.check(FieldPath(path, ".value.currency"), g.value.currency, &ids::check_currency);
  c.check(FieldPath(path, ".origin_country"), g.origin_country, &ids::check_country);
  for (std::size_t i = 0; i < g.containers.size(); ++i) {
    std::string container_path = fmt::format("{}.containers[{}]", path, i);
    c.require(container_path, g.containers[i], "a container number");
    c.check(container_path, g.containers[i], &ids::check_container_number);
  }
}

void validate_transport(Checker& c, const Declaration& d) {
  const Transport& t = d.transport;
  c.check("transport.vessel_imo", t.vessel_imo, &ids::check_imo_number);
  c.max_length("transport.vessel_name", t.vessel_name, kMaxNameLength);
  if (!t.flight_number.empty()) validate_flight(c, "transport.flight_number", t.flight_number);
  validate_plate(c, "transport.vehicle_plate", t.vehicle_plate);
  c.check("transport.vehicle_country", t.vehicle_country, &ids::check_country);
  c.check("transport.vehicle_vin", t.vehicle_vin, &ids::check_vin);
  validate_plate(c, "transport.trailer_plate", t.trailer_plate);
  c.check("transport.trailer_country", t.trailer_country, &ids::check_country);
  c.check("transport.trailer_vin", t.trailer_vin, &ids::check_vin);

  // The means of transport at the border must be identified (ENS data group "means of
  // transport"); which identifier depends on the mode.
  switch (d.mode) {
    case TransportMode::kSea:
      if (t.vessel_imo.empty()) {
        c.fail("transport.vessel_imo", "required_for_mode", "is required when the mode of transport is sea");
      }
      break;
    case TransportMode::kAir:
      if (t.flight_number.empty()) {
        c.fail("transport.flight_number", "required_for_mode", "is required when the mode of transport is air");
      }
      break;
    case TransportMode::kRoad:
      if (t.vehicle_plate.empty()) {
        c.fail("transport.vehicle_plate", "required_for_mode", "is required when the mode of transport is road");
      }
      break;
    default:
      break;
  }
}

void validate_transit(Checker& c, const Transit& t) {
  c.max_length("transit.mrn", t.mrn, 18);
  c.check("transit.office_of_departure", t.office_of_departure, &ids::check_customs_office);
  for (std::size_t i = 0; i < t.offices_of_transit.size(); ++i) {
    std::string path = fmt::format("transit.offices_of_transit[{}]", i);
    c.require(path, t.offices_of_transit[i], "a customs office reference number");
    c.check(path, t.offices_of_transit[i], &ids::check_customs_office);
  }
  c.check("transit.office_of_destination", t.office_of_destination, &ids::check_customs_office);
  for (std::size_t i = 0; i < t.seals.size(); ++i) {
    std::string path = fmt::format("transit.seals[{}]", i);
    c.require(path, t.seals[i], "a seal identifier");
    c.max_length(path, t.seals[i], kMaxIdentifierLength);
  }
  for (std::size_t i = 0; i < t.devices.size(); ++i) {
    std::string path = fmt::format("transit.devices[{}]", i);
    c.require(path, t.devices[i], "a device identifier");
    c.max_length(path, t.devices[i], kMaxIdentifierLength);
  }
  c.timestamp("transit.time_limit", t.time_limit);
}

}  // namespace

FieldErrors validate_declaration(const Declaration& d) {
  FieldErrors errors;
  Checker c(errors);

  c.require("reference", d.reference, "the declarant's reference");
  c.max_length("reference", d.reference, kMaxReferenceLength);
  if (!d.reference.empty() && !is_printable_ascii(d.reference)) {
    c.fail("reference", "printable_ascii", "must contain only printable ASCII characters");
  }

  validate_party(c, "declarant", d.declarant);
  if (d.declarant.eori.empty()) {
    c.fail("declarant.eori", "required", "the declarant's EORI number is required");
  }

  c.date("loading_date", d.loading_date);
  c.date("arrival_date", d.arrival_date);
  if (auto loading = parse_date(d.loading_date), arrival = parse_date(d.arrival_date);
      loading && arrival && *arrival < *loading) {
    c.fail("arrival_date", "date_order",
           fmt::format("arrival {} is before loading {}", d.arrival_date, d.loading_date));
  }
  c.check("office_of_first_entry", d.office_of_first_entry, &ids::check_customs_office);
  c.timestamp("lodged_at", d.lodged_at);

  for (std::size_t i = 0; i < d.parties.size(); ++i) {
    validate_party(c, fmt::format("parties[{}]", i), d.parties[i]);
  }
  if (d.kind != DeclarationKind::kTransit) {
    // ENS: the consignor and consignee identify who sends and who receives; without them no
    // party can be screened.
    for (PartyRole role : {PartyRole::kConsignor, PartyRole::kConsignee}) {
      if (d.find_party(role) == nullptr) {
        c.fail("parties", "required_party", fmt::format("a party with the role {} is required", to_string(role)));
      }
    }
  }

  if (d.goods.empty()) {
    c.fail("goods", "required", "at least one goods item is required");
  } else if (d.goods.size() > kMaxGoodsItems) {
    c.fail("goods", "max_items", fmt::format("has {} items; the limit is {}", d.goods.size(), kMaxGoodsItems));
  }
  for (std::size_t i = 0; i < d.goods.size() && i < kMaxGoodsItems; ++i) {
    validate_goods_item(c, fmt::format("goods[{}]", i), d.goods[i]);
  }

  validate_transport(c, d);

  for (std::size_t i = 0; i < d.routing.countries.size(); ++i) {
    c.check(fmt::format("routing.countries[{}]", i), d.routing.countries[i], &ids::check_country);
  }
  c.check("routing.place_of_loading", d.routing.place_of_loading, &ids::check_unlocode);
  c.check("routing.place_of_unloading", d.routing.place_of_unloading, &ids::check_unlocode);

  if (d.transit) {
    validate_transit(c, *d.transit);
  } else if (d.kind == DeclarationKind::kTransit) {
    c.fail("transit", "required", "transit data is required for a transit declaration");
  }
  return errors;
}

std::expected<Declaration, FieldErrors> parse_declaration(std::string_view json_text) {
  auto declaration = declaration_from_json_text(json_text);
  if (!declaration) return declaration;
  FieldErrors errors = validate_declaration(*declaration);
  if (!errors.empty()) return std::unexpected(std::move(errors));
  return declaration;
}

}  // namespace cordon
