#include "core/declaration_json.h"

#include <cmath>
#include <functional>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace cordon {
namespace {

using nlohmann::json;

std::string child_path(const std::string& parent, std::string_view key) {
  return parent.empty() ? std::string(key) : fmt::format("{}.{}", parent, key);
}

std::string index_path(const std::string& parent, std::size_t index) { return fmt::format("{}[{}]", parent, index); }

std::string_view type_phrase(const json& value) {
  switch (value.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::string: return "a string";
    case json::value_t::array: return "an array";
    case json::value_t::object: return "an object";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float: return "a number";
    default: return "an unsupported value";
  }
}

// Reads one JSON object into a struct, collecting an error for every missing, mistyped or
// unknown field instead of stopping at the first: a sender fixing a rejected declaration
// should see everything that is wrong with it at once.
class ObjectReader {
 public:
  ObjectReader(const json& value, std::string path, FieldErrors& errors)
      : value_(value), path_(std::move(path)), errors_(errors) {
    if (!value_.is_object()) {
      fail(path_, "type", fmt::format("expected an object, got {}", type_phrase(value_)));
      ok_ = false;
    }
  }

  ObjectReader(const ObjectReader&) = delete;
  ObjectReader& operator=(const ObjectReader&) = delete;

  // Flags the fields nobody asked for: misspelt field names are a common mistake.
  ~ObjectReader() {
    if (!ok_) return;
    for (const auto& [key, unused] : value_.items()) {
      if (!known_.contains(key)) fail(child_path(path_, key), "unknown_field", "is not a field of this object");
    }
  }

  bool ok() const { return ok_; }

  void string(std::string_view key, std::string& out, bool required = false) {
    const json* field = find(key, required);
    if (field == nullptr) return;
    if (!field->is_string()) {
      wrong_type(key, "a string", *field);
      return;
    }
    out = field->get_ref<const json::string_t&>();
  }

  void number(std::string_view key, double& out, bool required = false) {
    const json* field = find(key, required);
    if (field == nullptr) return;
    if (!field->is_number()) {
      wrong_type(key, "a number", *field);
      return;
    }
    out = field->get<double>();
  }

  void optional_number(std::string_view key, std::optional<double>& out) {
    const json* field = find(key, false);
    if (field == nullptr) return;
    if (!field->is_number()) {
      wrong_type(key, "a number", *field);
      return;
    }
    out = field->get<double>();
  }

  void integer(std::string_view key, int64_t& out, bool required = false) {
    const json* field = find(key, required);
    if (field == nullptr) return;
    if (field->is_number_integer() || field->is_number_unsigned()) {
      if (field->is_number_unsigned() && field->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
        fail(child_path(path_, key), "range", "is too large");
        return;
      }
      out = field->get<int64_t>();
      return;
    }
    if (field->is_number_float()) {
      double v = field->get<double>();
      if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 9.0e15) {
        out = static_cast<int64_t>(v);
        return;
      }
    }
    wrong_type(key, "an integer", *field);
  }

  void string_list(std::string_view key, std::vector<std::string>& out) {
    const json* field = find(key, false);
    if (field == nullptr) return;
    if (!field->is_array()) {
      wrong_type(key, "an array of strings", *field);
      return;
    }
    std::string base = child_path(path_, key);
    out.reserve(field->size());
    for (std::size_t i = 0; i < field->size(); ++i) {
      const json& item = (*field)[i];
      if (!item.is_string()) {
        fail(index_path(base, i), "type", fmt::format("expected a string, got {}", type_phrase(item)));
        continue;
      }
      out.push_back(item.get<std::string>());
    }
  }

  // Calls read(reader) for a nested object.
  template <typename Read>
  bool object(std::string_view key, Read&& read, bool required = false) {
    const json* field = find(key, required);
    if (field == nullptr) return false;
    ObjectReader nested(*field, child_path(path_, key), errors_);
    if (!nested.ok()) return false;
    read(nested);
    return true;
  }

  // Calls read(reader) for each object of an array of objects.
  template <typename Read>
  void object_array(std::string_view key, Read&& read, bool required = false) {
    const json* field = find(key, required);
    if (field == nullptr) return;
    if (!field->is_array()) {
      wrong_type(key, "an array", *field);
      return;
    }
    std::string base = child_path(path_, key);
    for (std::size_t i = 0; i < field->size(); ++i) {
      ObjectReader nested((*field)[i], index_path(base, i), errors_);
      if (nested.ok()) read(nested);
    }
  }

  // A string that must be one of `names`; parse maps it to the enum.
  template <typename Enum>
  void enumeration(std::string_view key, Enum& out, std::optional<Enum> (*parse)(std::string_view),
                   const std::vector<std::string_view>& names, bool required) {
    std::string text;
    const json* field = find(key, required);
    if (field == nullptr) return;
    if (!field->is_string()) {
      wrong_type(key, "a string", *field);
      return;
    }
    text = field->get<std::string>();
    if (auto value = parse(text)) {
      out = *value;
      return;
    }
    fail(child_path(path_, key), "enum",
         fmt::format("{} is not one of {}", quote_value(text), fmt::join(names, ", ")));
  }

 private:
  const json* find(std::string_view key, bool required) {
    known_.emplace(key);
    if (!ok_) return nullptr;
    auto it = value_.find(key);
    if (it == value_.end() || it->is_null()) {
      if (required) fail(child_path(path_, key), "required", "is required");
      return nullptr;
    }
    return &*it;
  }

  void wrong_type(std::string_view key, std::string_view expected, const json& got) {
    fail(child_path(path_, key), "type", fmt::format("expected {}, got {}", expected, type_phrase(got)));
  }

  void fail(std::string path, std::string rule, std::string message) {
    errors_.push_back(FieldError{std::move(path), std::move(rule), std::move(message)});
  }

  const json& value_;
  std::string path_;
  FieldErrors& errors_;
  std::set<std::string, std::less<>> known_;
  bool ok_ = true;
};

void read_address(ObjectReader& r, Address& a) {
  r.string("street", a.street);
  r.string("city", a.city);
  r.string("postcode", a.postcode);
  r.string("country", a.country);
}

// The party fields shared by the declarant and the parties list.
void read_party_fields(ObjectReader& r, Party& p) {
  r.string("name", p.name, true);
  r.string("name_original", p.name_original);
  r.object("address", [&](ObjectReader& ar) { read_address(ar, p.address); });
  r.string("eori", p.eori);
  r.string("tin", p.tin);
}

void read_goods_item(ObjectReader& r, GoodsItem& g) {
  r.string("description", g.description, true);
  r.string("hs_code", g.hs_code, true);
  r.number("gross_mass_kg", g.gross_mass_kg, true);
  r.optional_number("net_mass_kg", g.net_mass_kg);
  r.object("packages", [&](ObjectReader& pr) {
    pr.integer("count", g.packages.count, true);
    pr.string("kind", g.packages.kind);
  });
  r.object(
      "value",
      [&](ObjectReader& vr) {
        vr.number("amount", g.value.amount, true);
        vr.string("currency", g.value.currency, true);
      },
      true);
  r.string("origin_country", g.origin_country, true);
  r.string_list("containers", g.containers);
}

void read_transport(ObjectReader& r, Transport& t) {
  r.string("vessel_imo", t.vessel_imo);
  r.string("vessel_name", t.vessel_name);
  r.string("flight_number", t.flight_number);
  r.string("vehicle_plate", t.vehicle_plate);
  r.string("vehicle_country", t.vehicle_country);
  r.string("vehicle_vin", t.vehicle_vin);
  r.string("trailer_plate", t.trailer_plate);
  r.string("trailer_country", t.trailer_country);
  r.string("trailer_vin", t.trailer_vin);
}

void read_transit(ObjectReader& r, Transit& t) {
  r.string("mrn", t.mrn);
  r.string("office_of_departure", t.office_of_departure, true);
  r.string_list("offices_of_transit", t.offices_of_transit);
  r.string("office_of_destination", t.office_of_destination, true);
  r.string_list("seals", t.seals);
  r.string_list("devices", t.devices);
  r.string("time_limit", t.time_limit);
}

void read_declaration(ObjectReader& r, Declaration& d) {
  r.integer("id", d.id);
  r.string("reference", d.reference, true);
  r.enumeration("kind", d.kind, &parse_declaration_kind, declaration_kind_names(), false);
  r.enumeration("mode", d.mode, &parse_transport_mode, transport_mode_names(), true);
  r.object(
      "declarant",
      [&](ObjectReader& pr) {
        read_party_fields(pr, d.declarant);
        d.declarant.role = PartyRole::kDeclarant;
      },
      true);
  r.string("loading_date", d.loading_date);
  r.string("arrival_date", d.arrival_date);
  r.string("office_of_first_entry", d.office_of_first_entry);
  r.string("lodged_at", d.lodged_at);
  r.object_array("parties", [&](ObjectReader& pr) {
    Party& party = d.parties.emplace_back();
    pr.enumeration("role", party.role, &parse_party_role, party_role_names(), true);
    read_party_fields(pr, party);
  });
  r.object_array("goods", [&](ObjectReader& gr) { read_goods_item(gr, d.goods.emplace_back()); }, true);
  r.object("transport", [&](ObjectReader& tr) { read_transport(tr, d.transport); });
  r.object("routing", [&](ObjectReader& rr) {
    rr.string_list("countries", d.routing.countries);
    rr.string("place_of_loading", d.routing.place_of_loading);
    rr.string("place_of_unloading", d.routing.place_of_unloading);
  });
  r.object("transit", [&](ObjectReader& tr) { read_transit(tr, d.transit.emplace()); });
}

// --- encoding -------------------------------------------------------------------------------

void put(json& j, const char* key, const std::string& value) {
  if (!value.empty()) j[key] = value;
}

void put(json& j, const char* key, const std::vector<std::string>& values) {
  if (!values.empty()) j[key] = values;
}

json address_to_json(const Address& a) {
  json j = json::object();
  put(j, "street", a.street);
  put(j, "city", a.city);
  put(j, "postcode", a.postcode);
  put(j, "country", a.country);
  return j;
}

json party_to_json(const Party& p, bool with_role) {
  json j = json::object();
  if (with_role) j["role"] = to_string(p.role);
  j["name"] = p.name;
  put(j, "name_original", p.name_original);
  json address = address_to_json(p.address);
  if (!address.empty()) j["address"] = std::move(address);
  put(j, "eori", p.eori);
  put(j, "tin", p.tin);
  return j;
}

json goods_to_json(const GoodsItem& g) {
  json j = json::object();
  j["description"] = g.description;
  j["hs_code"] = g.hs_code;
  j["gross_mass_kg"] = g.gross_mass_kg;
  if (g.net_mass_kg) j["net_mass_kg"] = *g.net_mass_kg;
  if (g.packages.count != 0 || !g.packages.kind.empty()) {
    json packages = {{"count", g.packages.count}};
    put(packages, "kind", g.packages.kind);
    j["packages"] = std::move(packages);
  }
  j["value"] = {{"amount", g.value.amount}, {"currency", g.value.currency}};
  j["origin_country"] = g.origin_country;
  put(j, "containers", g.containers);
  return j;
}

std::string strip_tag(std::string what) {
  if (auto pos = what.find("] "); pos != std::string::npos) what = what.substr(pos + 2);
  return what;
}

}  // namespace

std::expected<Declaration, FieldErrors> declaration_from_json(const json& document) {
  FieldErrors errors;
  Declaration declaration;
  {
    ObjectReader reader(document, "", errors);
    if (reader.ok()) read_declaration(reader, declaration);
  }  // the reader reports unknown fields when it goes out of scope
  if (!errors.empty()) return std::unexpected(std::move(errors));
  return declaration;
}

std::expected<Declaration, FieldErrors> declaration_from_json_text(std::string_view text) {
  json document;
  try {
    document = json::parse(text);
  } catch (const json::parse_error& e) {
    // nlohmann's message starts with its own "[json.exception.parse_error.101] " tag; the byte
    // offset is what a sender needs.
    return std::unexpected(
        FieldErrors{{"", "json_syntax", fmt::format("malformed JSON at byte {}: {}", e.byte, strip_tag(e.what()))}});
  } catch (const json::exception& e) {
    // Out-of-range numbers (1e400) and the like: bad input, not a bug.
    return std::unexpected(FieldErrors{{"", "json_syntax", fmt::format("unusable JSON: {}", strip_tag(e.what()))}});
  }
  return declaration_from_json(document);
}

json declaration_to_json(const Declaration& d) {
  json j = json::object();
  if (d.id != 0) j["id"] = d.id;
  j["reference"] = d.reference;
  j["kind"] = to_string(d.kind);
  j["mode"] = to_string(d.mode);
  j["declarant"] = party_to_json(d.declarant, false);
  put(j, "loading_date", d.loading_date);
  put(j, "arrival_date", d.arrival_date);
  put(j, "office_of_first_entry", d.office_of_first_entry);
  put(j, "lodged_at", d.lodged_at);
  if (!d.parties.empty()) {
    json parties = json::array();
    for (const auto& p : d.parties) parties.push_back(party_to_json(p, true));
    j["parties"] = std::move(parties);
  }
  json goods = json::array();
  for (const auto& g : d.goods) goods.push_back(goods_to_json(g));
  j["goods"] = std::move(goods);

  json transport = json::object();
  put(transport, "vessel_imo", d.transport.vessel_imo);
  put(transport, "vessel_name", d.transport.vessel_name);
  put(transport, "flight_number", d.transport.flight_number);
  put(transport, "vehicle_plate", d.transport.vehicle_plate);
  put(transport, "vehicle_country", d.transport.vehicle_country);
  put(transport, "vehicle_vin", d.transport.vehicle_vin);
  put(transport, "trailer_plate", d.transport.trailer_plate);
  put(transport, "trailer_country", d.transport.trailer_country);
  put(transport, "trailer_vin", d.transport.trailer_vin);
  if (!transport.empty()) j["transport"] = std::move(transport);

  json routing = json::object();
  put(routing, "countries", d.routing.countries);
  put(routing, "place_of_loading", d.routing.place_of_loading);
  put(routing, "place_of_unloading", d.routing.place_of_unloading);
  if (!routing.empty()) j["routing"] = std::move(routing);

  if (d.transit) {
    const Transit& t = *d.transit;
    json transit = json::object();
    put(transit, "mrn", t.mrn);
    put(transit, "office_of_departure", t.office_of_departure);
    put(transit, "offices_of_transit", t.offices_of_transit);
    put(transit, "office_of_destination", t.office_of_destination);
    put(transit, "seals", t.seals);
    put(transit, "devices", t.devices);
    put(transit, "time_limit", t.time_limit);
    j["transit"] = std::move(transit);
  }
  return j;
}

std::string declaration_to_json_text(const Declaration& declaration) {
  // Replace invalid UTF-8 rather than throw: text that reached the model came through our
  // own decoder, but a bug elsewhere must not take the server down while encoding.
  return declaration_to_json(declaration).dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace cordon
