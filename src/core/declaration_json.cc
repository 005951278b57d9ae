#include "core/declaration_json.h"
#include "core/json_writer.h"

#include <cmath>
#include <functional>
#include <iterator>
#include <algorithm>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <boost/container/small_vector.hpp>
#include <simdjson.h>

namespace cordon {
namespace {

using nlohmann::json;

// Where a value is in the document. It becomes text ("goods[3].containers[0]") only when an
// error names it: most documents have no error, and formatting the path of every nested object
// and array element was a tenth of decoding.
struct Path {
  const Path* parent = nullptr;  // null for the document itself
  std::string_view key;          // the field's name, unless an element
  std::size_t index = 0;         // the element's index
  bool element = false;

  Path child(std::string_view name) const { return Path{this, name, 0, false}; }
  Path at(std::size_t i) const { return Path{this, {}, i, true}; }
  std::string text() const {
    if (parent == nullptr) return {};
    std::string prefix = parent->text();
    if (element) return fmt::format("{}[{}]", prefix, index);
    return prefix.empty() ? std::string(key) : fmt::format("{}.{}", prefix, key);
  }
};

// The decoder reads through a small view of a parsed JSON value, so that the same strict
// reader runs over two parsers: simdjson on the intake's hot path (a declaration decodes
// several times faster than through nlohmann's DOM, which builds a std::map per object) and
// nlohmann for documents already parsed and for every input simdjson refuses — whose error
// message (byte offset) and number handling are then nlohmann's, exactly as before.
enum class Kind { kNull, kBoolean, kString, kArray, kObject, kInteger, kUnsigned, kFloat, kOther };

std::string_view type_phrase(Kind kind) {
  switch (kind) {
    case Kind::kNull: return "null";
    case Kind::kBoolean: return "a boolean";
    case Kind::kString: return "a string";
    case Kind::kArray: return "an array";
    case Kind::kObject: return "an object";
    case Kind::kInteger:
    case Kind::kUnsigned:
    case Kind::kFloat: return "a number";
    default: return "an unsupported value";
  }
}

class NlohmannView {
 public:
  explicit NlohmannView(const json& value) : value_(&value) {}
  Kind kind() const {
    switch (value_->type()) {
      case json::value_t::null: return Kind::kNull;
      case json::value_t::boolean: return Kind::kBoolean;
      case json::value_t::string: return Kind::kString;
      case json::value_t::array: return Kind::kArray;
      case json::value_t::object: return Kind::kObject;
      case json::value_t::number_integer: return Kind::kInteger;
      case json::value_t::number_unsigned: return Kind::kUnsigned;
      case json::value_t::number_float: return Kind::kFloat;
      default: return Kind::kOther;
    }
  }
  template <typename Fn>
  void for_each_field(Fn&& fn) const {
    for (auto it = value_->begin(); it != value_->end(); ++it) fn(std::string_view(it.key()), NlohmannView(*it));
  }
  template <typename Fn>
  void for_each_element(Fn&& fn) const {
    for (std::size_t i = 0; i < value_->size(); ++i) fn(i, NlohmannView((*value_)[i]));
  }
  std::size_t size() const { return value_->size(); }
  std::string_view string() const { return value_->get_ref<const json::string_t&>(); }
  double as_double() const { return value_->get<double>(); }
  int64_t as_int64() const { return value_->get<int64_t>(); }
  uint64_t as_uint64() const { return value_->get<uint64_t>(); }

 private:
  const json* value_;
};

class SimdView {
 public:
  explicit SimdView(simdjson::dom::element value) : value_(value) {}
  Kind kind() const {
    switch (value_.type()) {
      case simdjson::dom::element_type::NULL_VALUE: return Kind::kNull;
      case simdjson::dom::element_type::BOOL: return Kind::kBoolean;
      case simdjson::dom::element_type::STRING: return Kind::kString;
      case simdjson::dom::element_type::ARRAY: return Kind::kArray;
      case simdjson::dom::element_type::OBJECT: return Kind::kObject;
      // simdjson types a non-negative integer as INT64 where nlohmann says unsigned: the
      // reader treats both alike.
      case simdjson::dom::element_type::INT64: return Kind::kInteger;
      case simdjson::dom::element_type::UINT64: return Kind::kUnsigned;
      case simdjson::dom::element_type::DOUBLE: return Kind::kFloat;
    }
    return Kind::kOther;
  }
  // The last field of that name, as nlohmann keeps it when a key is repeated.
  template <typename Fn>
  void for_each_field(Fn&& fn) const {
    for (auto field : simdjson::dom::object(value_)) fn(field.key, SimdView(field.value));
  }
  template <typename Fn>
  void for_each_element(Fn&& fn) const {
    std::size_t i = 0;
    for (auto element : simdjson::dom::array(value_)) fn(i++, SimdView(element));
  }
  std::size_t size() const { return simdjson::dom::array(value_).size(); }
  std::string_view string() const { return std::string_view(value_); }
  double as_double() const {
    switch (value_.type()) {
      case simdjson::dom::element_type::INT64: return static_cast<double>(int64_t(value_));
      case simdjson::dom::element_type::UINT64: return static_cast<double>(uint64_t(value_));
      default: return double(value_);
    }
  }
  int64_t as_int64() const { return int64_t(value_); }
  uint64_t as_uint64() const { return uint64_t(value_); }

 private:
  simdjson::dom::element value_;
};

// Reads one JSON object into a struct, collecting an error for every missing, mistyped or
// unknown field instead of stopping at the first: a sender fixing a rejected declaration
// should see everything that is wrong with it at once.
template <typename View>
class ObjectReader {
 public:
  // `path` and its parents must outlive the reader (they are the enclosing readers' paths).
  ObjectReader(View value, Path path, FieldErrors& errors) : value_(value), path_(path), errors_(errors) {
    if (value_.kind() != Kind::kObject) {
      fail(path_.text(), "type", fmt::format("expected an object, got {}", type_phrase(value_.kind())));
      ok_ = false;
      return;
    }
    // One pass over the object; each look-up then scans this short list instead of walking
    // the parser's object again (about ten look-ups per object).
    value_.for_each_field([&](std::string_view key, View field) { fields_.emplace_back(key, field); });
  }

  ObjectReader(const ObjectReader&) = delete;
  ObjectReader& operator=(const ObjectReader&) = delete;

  // Flags the fields nobody asked for: misspelt field names are a common mistake.
  ~ObjectReader() {
    if (!ok_) return;
    std::vector<std::string_view> reported;  // a repeated unknown key is one error
    for (const auto& [key, unused] : fields_) {
      if (std::find(known_.begin(), known_.end(), key) == known_.end() &&
          std::find(reported.begin(), reported.end(), key) == reported.end()) {
        reported.push_back(key);
        fail(path_.child(key).text(), "unknown_field", "is not a field of this object");
      }
    }
  }

  bool ok() const { return ok_; }

  void string(std::string_view key, std::string& out, bool required = false) {
    auto field = find(key, required);
    if (!field) return;
    if (field->kind() != Kind::kString) {
      wrong_type(key, "a string", *field);
      return;
    }
    out = field->string();
  }

  void number(std::string_view key, double& out, bool required = false) {
    auto field = find(key, required);
    if (!field) return;
    if (!is_number(field->kind())) {
      wrong_type(key, "a number", *field);
      return;
    }
    out = field->as_double();
  }

  void optional_number(std::string_view key, std::optional<double>& out) {
    auto field = find(key, false);
    if (!field) return;
    if (!is_number(field->kind())) {
      wrong_type(key, "a number", *field);
      return;
    }
    out = field->as_double();
  }

  void integer(std::string_view key, int64_t& out, bool required = false) {
    auto field = find(key, required);
    if (!field) return;
    Kind kind = field->kind();
    if (kind == Kind::kInteger) {
      out = field->as_int64();
      return;
    }
    if (kind == Kind::kUnsigned) {
      if (field->as_uint64() > static_cast<uint64_t>(INT64_MAX)) {
        fail(path_.child(key).text(), "range", "is too large");
        return;
      }
      out = static_cast<int64_t>(field->as_uint64());
      return;
    }
    if (kind == Kind::kFloat) {
      double v = field->as_double();
      if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 9.0e15) {
        out = static_cast<int64_t>(v);
        return;
      }
    }
    wrong_type(key, "an integer", *field);
  }

  void string_list(std::string_view key, std::vector<std::string>& out) {
    auto field = find(key, false);
    if (!field) return;
    if (field->kind() != Kind::kArray) {
      wrong_type(key, "an array of strings", *field);
      return;
    }
    const Path base = path_.child(key);
    out.reserve(field->size());
    field->for_each_element([&](std::size_t i, View item) {
      if (item.kind() != Kind::kString) {
        fail(base.at(i).text(), "type", fmt::format("expected a string, got {}", type_phrase(item.kind())));
        return;
      }
      out.emplace_back(item.string());
    });
  }

  // Calls read(reader) for a nested object.
  template <typename Read>
  bool object(std::string_view key, Read&& read, bool required = false) {
    auto field = find(key, required);
    if (!field) return false;
    ObjectReader nested(*field, path_.child(key), errors_);
    if (!nested.ok()) return false;
    read(nested);
    return true;
  }

  // Calls read(reader) for each object of an array of objects.
  template <typename Read>
  void object_array(std::string_view key, Read&& read, bool required = false) {
    auto field = find(key, required);
    if (!field) return;
    if (field->kind() != Kind::kArray) {
      wrong_type(key, "an array", *field);
      return;
    }
    const Path base = path_.child(key);
    field->for_each_element([&](std::size_t i, View item) {
      ObjectReader nested(item, base.at(i), errors_);
      if (nested.ok()) read(nested);
    });
  }

  // A string that must be one of `names`; parse maps it to the enum.
  template <typename Enum>
  void enumeration(std::string_view key, Enum& out, std::optional<Enum> (*parse)(std::string_view),
                   const std::vector<std::string_view>& names, bool required) {
    auto field = find(key, required);
    if (!field) return;
    if (field->kind() != Kind::kString) {
      wrong_type(key, "a string", *field);
      return;
    }
    std::string_view text = field->string();
    if (auto value = parse(text)) {
      out = *value;
      return;
    }
    fail(path_.child(key).text(), "enum",
         fmt::format("{} is not one of {}", quote_value(text), fmt::join(names, ", ")));
  }

 private:
  static bool is_number(Kind kind) { return kind == Kind::kInteger || kind == Kind::kUnsigned || kind == Kind::kFloat; }

  std::optional<View> find(std::string_view key, bool required) {
    known_.push_back(key);
    if (!ok_) return std::nullopt;
    std::optional<View> field;
    // The last of repeated keys counts, as in nlohmann's object.
    for (auto it = fields_.rbegin(); it != fields_.rend(); ++it) {
      if (it->first == key) {
        field = it->second;
        break;
      }
    }
    if (!field || field->kind() == Kind::kNull) {
      if (required) fail(path_.child(key).text(), "required", "is required");
      return std::nullopt;
    }
    return field;
  }

  void wrong_type(std::string_view key, std::string_view expected, const View& got) {
    fail(path_.child(key).text(), "type", fmt::format("expected {}, got {}", expected, type_phrase(got.kind())));
  }

  void fail(std::string path, std::string rule, std::string message) {
    errors_.push_back(FieldError{std::move(path), std::move(rule), std::move(message)});
  }

  View value_;
  Path path_;
  FieldErrors& errors_;
  // The field names asked for; they are string literals, and there are about ten per object,
  // so a list beats a set of allocated strings.
  // Both hold a dozen entries or fewer for any object of a declaration: kept inline, they cost
  // no allocation (growing two vectors was most of a reader's set-up).
  boost::container::small_vector<std::string_view, 16> known_;
  boost::container::small_vector<std::pair<std::string_view, View>, 16> fields_;  // in document order
  bool ok_ = true;
};

template <typename R>
void read_address(R& r, Address& a) {
  r.string("street", a.street);
  r.string("city", a.city);
  r.string("postcode", a.postcode);
  r.string("country", a.country);
}

// The party fields shared by the declarant and the parties list.
template <typename R>
void read_party_fields(R& r, Party& p) {
  r.string("name", p.name, true);
  r.string("name_original", p.name_original);
  r.object("address", [&](R& ar) { read_address(ar, p.address); });
  r.string("eori", p.eori);
  r.string("tin", p.tin);
}

template <typename R>
void read_goods_item(R& r, GoodsItem& g) {
  r.string("description", g.description, true);
  r.string("hs_code", g.hs_code, true);
  r.number("gross_mass_kg", g.gross_mass_kg, true);
  r.optional_number("net_mass_kg", g.net_mass_kg);
  r.object("packages", [&](R& pr) {
    pr.integer("count", g.packages.count, true);
    pr.string("kind", g.packages.kind);
  });
  r.object(
      "value",
      [&](R& vr) {
        vr.number("amount", g.value.amount, true);
        vr.string("currency", g.value.currency, true);
      },
      true);
  r.string("origin_country", g.origin_country, true);
  r.string_list("containers", g.containers);
}

template <typename R>
void read_transport(R& r, Transport& t) {
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

template <typename R>
void read_transit(R& r, Transit& t) {
  r.string("mrn", t.mrn);
  r.string("office_of_departure", t.office_of_departure, true);
  r.string_list("offices_of_transit", t.offices_of_transit);
  r.string("office_of_destination", t.office_of_destination, true);
  r.string_list("seals", t.seals);
  r.string_list("devices", t.devices);
  r.string("time_limit", t.time_limit);
}

template <typename R>
void read_declaration(R& r, Declaration& d) {
  r.integer("id", d.id);
  r.string("reference", d.reference, true);
  r.enumeration("kind", d.kind, &parse_declaration_kind, declaration_kind_names(), false);
  r.enumeration("mode", d.mode, &parse_transport_mode, transport_mode_names(), true);
  r.object(
      "declarant",
      [&](R& pr) {
        read_party_fields(pr, d.declarant);
        d.declarant.role = PartyRole::kDeclarant;
      },
      true);
  r.string("loading_date", d.loading_date);
  r.string("arrival_date", d.arrival_date);
  r.string("office_of_first_entry", d.office_of_first_entry);
  r.string("lodged_at", d.lodged_at);
  r.object_array("parties", [&](R& pr) {
    Party& party = d.parties.emplace_back();
    pr.enumeration("role", party.role, &parse_party_role, party_role_names(), true);
    read_party_fields(pr, party);
  });
  r.object_array("goods", [&](R& gr) { read_goods_item(gr, d.goods.emplace_back()); }, true);
  r.object("transport", [&](R& tr) { read_transport(tr, d.transport); });
  r.object("routing", [&](R& rr) {
    rr.string_list("countries", d.routing.countries);
    rr.string("place_of_loading", d.routing.place_of_loading);
    rr.string("place_of_unloading", d.routing.place_of_unloading);
  });
  r.object("transit", [&](R& tr) { read_transit(tr, d.transit.emplace()); });
}

template <typename View>
std::expected<Declaration, FieldErrors> decode(View document) {
  FieldErrors errors;
  Declaration declaration;
  {
    ObjectReader<View> reader(document, Path{}, errors);
    if (reader.ok()) read_declaration(reader, declaration);
  }  // the reader reports unknown fields when it goes out of scope
  if (!errors.empty()) return std::unexpected(std::move(errors));
  return declaration;
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


// --- direct text encoding ---------------------------------------------------------------------
//
// declaration_to_json_text() is on the ingestion hot path (every stored declaration is encoded
// once), so it writes text directly instead of building an nlohmann tree first: several times
// faster, and the tests check it parses to the same value as declaration_to_json().


void write_party(JsonWriter& w, const Party& p, bool with_role) {
  w.open_object();
  if (with_role) {
    w.key("role");
    w.string(to_string(p.role));
  }
  w.key("name");
  w.string(p.name);
  w.optional("name_original", p.name_original);
  const Address& a = p.address;
  if (!a.street.empty() || !a.city.empty() || !a.postcode.empty() || !a.country.empty()) {
    w.key("address");
    w.open_object();
    w.optional("street", a.street);
    w.optional("city", a.city);
    w.optional("postcode", a.postcode);
    w.optional("country", a.country);
    w.close_object();
  }
  w.optional("eori", p.eori);
  w.optional("tin", p.tin);
  w.close_object();
}

void write_goods(JsonWriter& w, const GoodsItem& g) {
  w.open_object();
  w.key("description");
  w.string(g.description);
  w.key("hs_code");
  w.string(g.hs_code);
  w.key("gross_mass_kg");
  w.number(g.gross_mass_kg);
  if (g.net_mass_kg) {
    w.key("net_mass_kg");
    w.number(*g.net_mass_kg);
  }
  if (g.packages.count != 0 || !g.packages.kind.empty()) {
    w.key("packages");
    w.open_object();
    w.key("count");
    w.integer(g.packages.count);
    w.optional("kind", g.packages.kind);
    w.close_object();
  }
  w.key("value");
  w.open_object();
  w.key("amount");
  w.number(g.value.amount);
  w.key("currency");
  w.string(g.value.currency);
  w.close_object();
  w.key("origin_country");
  w.string(g.origin_country);
  w.optional("containers", g.containers);
  w.close_object();
}

void write_declaration(JsonWriter& w, const Declaration& d) {
  w.open_object();
  if (d.id != 0) {
    w.key("id");
    w.integer(d.id);
  }
  w.key("reference");
  w.string(d.reference);
  w.key("kind");
  w.string(to_string(d.kind));
  w.key("mode");
  w.string(to_string(d.mode));
  w.key("declarant");
  write_party(w, d.declarant, false);
  w.optional("loading_date", d.loading_date);
  w.optional("arrival_date", d.arrival_date);
  w.optional("office_of_first_entry", d.office_of_first_entry);
  w.optional("lodged_at", d.lodged_at);
  if (!d.parties.empty()) {
    w.key("parties");
    w.open_array();
    for (const auto& p : d.parties) write_party(w, p, true);
    w.close_array();
  }
  w.key("goods");
  w.open_array();
  for (const auto& g : d.goods) write_goods(w, g);
  w.close_array();

  const Transport& t = d.transport;
  if (!(t == Transport{})) {
    w.key("transport");
    w.open_object();
    w.optional("vessel_imo", t.vessel_imo);
    w.optional("vessel_name", t.vessel_name);
    w.optional("flight_number", t.flight_number);
    w.optional("vehicle_plate", t.vehicle_plate);
    w.optional("vehicle_country", t.vehicle_country);
    w.optional("vehicle_vin", t.vehicle_vin);
    w.optional("trailer_plate", t.trailer_plate);
    w.optional("trailer_country", t.trailer_country);
    w.optional("trailer_vin", t.trailer_vin);
    w.close_object();
  }
  const Routing& r = d.routing;
  if (!(r == Routing{})) {
    w.key("routing");
    w.open_object();
    w.optional("countries", r.countries);
    w.optional("place_of_loading", r.place_of_loading);
    w.optional("place_of_unloading", r.place_of_unloading);
    w.close_object();
  }
  if (d.transit) {
    const Transit& tr = *d.transit;
    w.key("transit");
    w.open_object();
    w.optional("mrn", tr.mrn);
    w.optional("office_of_departure", tr.office_of_departure);
    w.optional("offices_of_transit", tr.offices_of_transit);
    w.optional("office_of_destination", tr.office_of_destination);
    w.optional("seals", tr.seals);
    w.optional("devices", tr.devices);
    w.optional("time_limit", tr.time_limit);
    w.close_object();
  }
  w.close_object();
}

std::string strip_tag(std::string what) {
  if (auto pos = what.find("] "); pos != std::string::npos) what = what.substr(pos + 2);
  return what;
}

}  // namespace

std::expected<Declaration, FieldErrors> declaration_from_json(const json& document) {
  return decode(NlohmannView(document));
}

std::expected<Declaration, FieldErrors> declaration_from_json_text(std::string_view text) {
  // One parser per thread, reused: it keeps its buffers across documents.
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(text.data(), text.size()).get(root) == simdjson::SUCCESS) return decode(SimdView(root));
  // simdjson refuses malformed text and a few unusual but valid documents (integers beyond
  // 64 bits, nesting past its depth limit): nlohmann decides, and names the byte.
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
  std::string out;
  out.reserve(2048);
  JsonWriter writer(out);
  write_declaration(writer, declaration);
  return out;
}

}  // namespace cordon
