// List importers. Each parses the whole input before returning anything: a malformed file is
// refused with its line or element path, and what was parsed of it is discarded.
#include <algorithm>
#include <charconv>
#include <fstream>
#include <map>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include "core/field_error.h"
#include "core/reference_data.h"
#include "screening/normalize.h"
#include "screening/screening.h"

namespace cordon::screening {
namespace {

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r' || s[b] == '\n')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r' || s[e - 1] == '\n')) --e;
  return std::string(s.substr(b, e - b));
}

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      std::string part = trim(s.substr(start, i - start));
      if (!part.empty()) out.push_back(std::move(part));
      start = i + 1;
    }
  }
  return out;
}

// --- CSV -----------------------------------------------------------------------------------

struct CsvRecord {
  int line = 0;  // where the record starts, 1-based
  std::vector<std::string> fields;
};

// RFC 4180 with tolerance for spaces around fields ("-0- ,"). Refuses an unterminated quote
// and text after a closing quote.
Imported<std::vector<CsvRecord>> parse_csv(std::string_view text, std::string_view file) {
  std::vector<CsvRecord> records;
  int line = 1;
  std::size_t i = 0;
  if (text.starts_with("\xEF\xBB\xBF")) i = 3;
  auto where = [&](int l) { return std::string(file) + ":" + std::to_string(l); };
  while (i < text.size()) {
    // OFAC files end with a DOS end-of-file byte.
    if (text[i] == '\x1A') {
      ++i;
      continue;
    }
    CsvRecord rec;
    rec.line = line;
    bool end_of_record = false;
    while (!end_of_record) {
      std::string field;
      while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
      if (i < text.size() && text[i] == '"') {
        const int start_line = line;
        ++i;
        bool closed = false;
        while (i < text.size()) {
          if (text[i] == '"') {
            if (i + 1 < text.size() && text[i + 1] == '"') {
              field.push_back('"');
              i += 2;
              continue;
            }
            ++i;
            closed = true;
            break;
          }
          if (text[i] == '\n') ++line;
          field.push_back(text[i++]);
        }
        if (!closed) return std::unexpected(ImportError{where(start_line), "unterminated quoted field"});
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r')) ++i;
        if (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\x1A') {
          return std::unexpected(ImportError{where(line), "text after a closing quote"});
        }
      } else {
        while (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\x1A') field.push_back(text[i++]);
        field = trim(field);
      }
      rec.fields.push_back(std::move(field));
      if (i < text.size() && text[i] == ',') {
        ++i;
      } else {
        if (i < text.size() && text[i] == '\n') {
          ++i;
          ++line;
        }
        end_of_record = true;
      }
    }
    const bool blank = rec.fields.size() == 1 && rec.fields[0].empty();
    if (!blank) records.push_back(std::move(rec));
  }
  return records;
}

// --- countries and dates -------------------------------------------------------------------

const std::unordered_map<std::string, std::string>& country_names() {
  static const std::unordered_map<std::string, std::string> map = [] {
    std::unordered_map<std::string, std::string> m;
    for (const auto& c : reference::countries()) {
      m.emplace(normalize_name(c.name), c.alpha2);
      m.emplace(c.alpha2, c.alpha2);
    }
    const std::pair<const char*, const char*> aliases[] = {
        {"RUSSIAN FEDERATION", "RU"}, {"RUSSIA", "RU"}, {"IRAN ISLAMIC REPUBLIC OF", "IR"}, {"IRAN", "IR"},
        {"DEMOCRATIC PEOPLES REPUBLIC OF KOREA", "KP"}, {"KOREA NORTH", "KP"}, {"NORTH KOREA", "KP"},
        {"REPUBLIC OF KOREA", "KR"}, {"KOREA SOUTH", "KR"}, {"SOUTH KOREA", "KR"}, {"SYRIAN ARAB REPUBLIC", "SY"},
        {"SYRIA", "SY"}, {"DEMOCRATIC REPUBLIC OF THE CONGO", "CD"}, {"CONGO DEMOCRATIC REPUBLIC OF THE", "CD"},
        {"CONGO", "CG"}, {"UNITED KINGDOM", "GB"}, {"UNITED KINGDOM OF GREAT BRITAIN AND NORTHERN IRELAND", "GB"},
        {"UNITED STATES", "US"}, {"UNITED STATES OF AMERICA", "US"}, {"VIET NAM", "VN"}, {"VIETNAM", "VN"},
        {"BOLIVIA", "BO"}, {"VENEZUELA", "VE"}, {"VENEZUELA BOLIVARIAN REPUBLIC OF", "VE"},
        {"LAO PEOPLES DEMOCRATIC REPUBLIC", "LA"}, {"LAOS", "LA"}, {"LIBYA", "LY"}, {"LIBYAN ARAB JAMAHIRIYA", "LY"},
        {"TANZANIA", "TZ"}, {"UNITED REPUBLIC OF TANZANIA", "TZ"}, {"MOLDOVA", "MD"}, {"REPUBLIC OF MOLDOVA", "MD"},
        {"BURMA", "MM"}, {"MYANMAR", "MM"}, {"COTE D IVOIRE", "CI"}, {"IVORY COAST", "CI"}, {"TURKEY", "TR"},
        {"TURKIYE", "TR"}, {"CZECH REPUBLIC", "CZ"}, {"MACEDONIA", "MK"}, {"NORTH MACEDONIA", "MK"},
        {"PALESTINIAN", "PS"}, {"WEST BANK", "PS"}, {"GAZA", "PS"}, {"KOSOVO", "XK"}, {"TAIWAN", "TW"},
        {"HONG KONG", "HK"}, {"MACAU", "MO"}, {"BRUNEI", "BN"}, {"CAPE VERDE", "CV"}, {"SWAZILAND", "SZ"},
        {"THE GAMBIA", "GM"}, {"GAMBIA", "GM"}, {"BAHAMAS THE", "BS"}, {"UAE", "AE"}, {"UNITED ARAB EMIRATES", "AE"},
        {"SUDAN", "SD"}, {"SOUTH SUDAN", "SS"}, {"NETHERLANDS", "NL"}, {"BOSNIA AND HERZEGOVINA", "BA"},
        {"SAINT KITTS AND NEVIS", "KN"}, {"ST KITTS AND NEVIS", "KN"}, {"KYRGYZSTAN", "KG"}, {"IRAQ", "IQ"},
    };
    for (const auto& [name, code] : aliases) m.insert_or_assign(name, code);
    return m;
  }();
  return map;
}

// ISO alpha-2 for a country name or code as lists write it; empty when not recognised.
std::string country_code(std::string_view name) {
  std::string n = normalize_name(name);
  if (n.empty()) return {};
  const auto& map = country_names();
  if (auto it = map.find(n); it != map.end()) return it->second;
  if (auto paren = n.find(" OF "); paren != std::string::npos) {
    if (auto it = map.find(n.substr(0, paren)); it != map.end()) return it->second;
  }
  return {};
}

bool valid_partial_date(std::string_view d) {
  auto digits = [](std::string_view s) { return std::ranges::all_of(s, [](char c) { return c >= '0' && c <= '9'; }); };
  if (d.size() == 4) return digits(d);
  if (d.size() == 7) return digits(d.substr(0, 4)) && d[4] == '-' && digits(d.substr(5, 2));
  if (d.size() == 10) return digits(d.substr(0, 4)) && d[4] == '-' && digits(d.substr(5, 2)) && d[7] == '-' && digits(d.substr(8, 2));
  return false;
}

int month_number(std::string_view m) {
  static constexpr std::string_view kMonths[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                 "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
  std::string up = detail::to_ascii_upper(m.substr(0, 3));
  for (int i = 0; i < 12; ++i) {
    if (up == kMonths[i]) return i + 1;
  }
  return 0;
}

// "12 Jan 1960", "Jan 1960", "1960", "circa 1960", "1960 to 1962" -> "1960-01-12", "1960-01", "1960".
std::string parse_loose_date(std::string_view text) {
  auto words = split(text, ' ');
  int day = 0, month = 0;
  for (const auto& w : words) {
    if (w.size() == 4 && std::ranges::all_of(w, [](char c) { return c >= '0' && c <= '9'; })) {
      char buf[32];  // room for any int the compiler cannot rule out (-Wformat-truncation)
      if (month > 0 && day > 0) std::snprintf(buf, sizeof buf, "%s-%02d-%02d", w.c_str(), month, day);
      else if (month > 0) std::snprintf(buf, sizeof buf, "%s-%02d", w.c_str(), month);
      else std::snprintf(buf, sizeof buf, "%s", w.c_str());
      return buf;
    }
    if (w.size() <= 2 && std::ranges::all_of(w, [](char c) { return c >= '0' && c <= '9'; })) {
      day = std::stoi(w);
    } else if (int m = month_number(w); m > 0) {
      month = m;
    }
  }
  return {};
}

std::string script_of(std::string_view name) {
  for (std::size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    if (c < 0x80) continue;
    if (c >= 0xD0 && c <= 0xD3) return "Cyrl";
    if (c >= 0xD8 && c <= 0xDB) return "Arab";
    if (c == 0xCE || c == 0xCF) return "Grek";
    if (c >= 0xE4 && c <= 0xE9) return "Hani";
    if (c == 0xEA || c == 0xEB || c == 0xEC || c == 0xED) return "Hang";
    return "Latn";
  }
  return "Latn";
}

void add_name(WatchlistEntity& e, std::string name, bool primary, std::string quality = {}) {
  name = trim(name);
  if (name.empty()) return;
  for (const auto& n : e.names) {
    if (n.name == name) return;
  }
  EntityName n;
  n.script = script_of(name);
  n.name = std::move(name);
  n.primary = primary;
  n.quality = std::move(quality);
  e.names.push_back(std::move(n));
}

// --- OFAC ----------------------------------------------------------------------------------

std::string ofac_field(const std::string& f) { return f == "-0-" ? std::string() : f; }

// Mines the free-text remarks of an SDN entry for the facts lists elsewhere carry in fields.
void mine_ofac_remarks(WatchlistEntity& e, std::string_view remarks) {
  for (std::string part : split(remarks, ';')) {
    if (part.ends_with('.')) part.pop_back();
    auto after = [&](std::string_view prefix) -> std::optional<std::string> {
      if (part.size() > prefix.size() && std::string_view(part).substr(0, prefix.size()) == prefix) {
        return trim(std::string_view(part).substr(prefix.size()));
      }
      return std::nullopt;
    };
    // "A1234567 (Iran) issued 2010" -> value, country.
    auto document = [&](IdentifierType type, const std::string& rest, std::string note) {
      std::string value = rest, country;
      if (auto open = rest.find('('); open != std::string::npos) {
        value = trim(rest.substr(0, open));
        if (auto close = rest.find(')', open); close != std::string::npos) {
          country = country_code(rest.substr(open + 1, close - open - 1));
        }
      }
      if (!value.empty()) e.identifiers.push_back({type, value, country, std::move(note)});
    };
    if (auto v = after("DOB ")) {
      if (auto d = parse_loose_date(*v); !d.empty()) e.dates_of_birth.push_back(d);
    } else if (auto v = after("alt. DOB ")) {
      if (auto d = parse_loose_date(*v); !d.empty()) e.dates_of_birth.push_back(d);
    } else if (auto v = after("nationality ")) {
      if (auto c = country_code(*v); !c.empty()) e.nationalities.push_back(c);
    } else if (auto v = after("citizen ")) {
      if (auto c = country_code(*v); !c.empty()) e.nationalities.push_back(c);
    } else if (auto v = after("Passport ")) {
      document(IdentifierType::kPassport, *v, "Passport");
    } else if (auto v = after("alt. Passport ")) {
      document(IdentifierType::kPassport, *v, "Passport");
    } else if (auto v = after("National ID No. ")) {
      document(IdentifierType::kNationalId, *v, "National ID No.");
    } else if (auto v = after("Cedula No. ")) {
      document(IdentifierType::kNationalId, *v, "Cedula No.");
    } else if (auto v = after("Tax ID No. ")) {
      document(IdentifierType::kTin, *v, "Tax ID No.");
    } else if (auto v = after("Vessel Registration Identification IMO ")) {
      e.identifiers.push_back({IdentifierType::kImo, split(*v, ' ').empty() ? *v : split(*v, ' ')[0], {}, "IMO"});
    } else if (auto v = after("Aircraft Manufacturer's Serial Number (MSN) ")) {
      e.identifiers.push_back({IdentifierType::kOther, *v, {}, "Aircraft MSN"});
    }
  }
}

}  // namespace

Imported<Entities> parse_ofac_sdn(std::string_view sdn_csv, std::string_view add_csv, std::string_view alt_csv,
                                  std::string_view comments_csv, std::string_view list) {
  auto sdn = parse_csv(sdn_csv, "sdn.csv");
  if (!sdn) return std::unexpected(sdn.error());
  auto add = parse_csv(add_csv, "add.csv");
  if (!add) return std::unexpected(add.error());
  auto alt = parse_csv(alt_csv, "alt.csv");
  if (!alt) return std::unexpected(alt.error());
  auto comments = parse_csv(comments_csv, "sdn_comments.csv");
  if (!comments) return std::unexpected(comments.error());

  Entities out;
  std::unordered_map<std::string, std::size_t> by_id;
  auto numeric = [](const std::string& s) {
    return !s.empty() && std::ranges::all_of(s, [](char c) { return c >= '0' && c <= '9'; });
  };
  auto bad = [](std::string_view file, int line, std::string message) {
    return std::unexpected(ImportError{std::string(file) + ":" + std::to_string(line), std::move(message)});
  };
  for (const auto& r : *sdn) {
    if (r.fields.size() != 12) {
      return bad("sdn.csv", r.line, "expected 12 fields, found " + std::to_string(r.fields.size()));
    }
    if (!numeric(r.fields[0])) return bad("sdn.csv", r.line, "ent_num " + quote_value(r.fields[0]) + " is not a number");
    if (ofac_field(r.fields[1]).empty()) return bad("sdn.csv", r.line, "name is empty");
    if (by_id.contains(r.fields[0])) return bad("sdn.csv", r.line, "ent_num " + r.fields[0] + " appears twice");
    WatchlistEntity e;
    e.id = r.fields[0];
    e.list = std::string(list);
    const std::string type = ofac_field(r.fields[2]);
    if (type == "individual") e.type = EntityType::kPerson;
    else if (type == "vessel") e.type = EntityType::kVessel;
    else if (type == "aircraft") e.type = EntityType::kAircraft;
    else if (type.empty()) e.type = EntityType::kOrganisation;
    else return bad("sdn.csv", r.line, "unknown SDN type " + quote_value(type));
    std::string name = r.fields[1];
    // "CRUZ, Juan M. de la": OFAC writes individuals surname first, with a comma.
    add_name(e, name, true);
    e.programme = ofac_field(r.fields[3]);
    if (e.type == EntityType::kVessel) {
      if (auto flag = country_code(ofac_field(r.fields[9])); !flag.empty()) e.addresses.push_back({"flag", flag});
    }
    if (e.type == EntityType::kAircraft) e.identifiers.push_back({IdentifierType::kAircraftTail, name, {}, "registration"});
    e.remarks = ofac_field(r.fields[11]);
    by_id.emplace(e.id, out.size());
    out.push_back(std::move(e));
  }
  for (const auto& r : *add) {
    if (r.fields.size() != 6) return bad("add.csv", r.line, "expected 6 fields, found " + std::to_string(r.fields.size()));
    auto it = by_id.find(r.fields[0]);
    if (it == by_id.end()) return bad("add.csv", r.line, "ent_num " + quote_value(r.fields[0]) + " is not in sdn.csv");
    std::string text;
    for (int f : {2, 3}) {
      const std::string v = ofac_field(r.fields[f]);
      if (v.empty()) continue;
      if (!text.empty()) text += ", ";
      text += v;
    }
    EntityAddress a{text, country_code(ofac_field(r.fields[4]))};
    if (a.text.empty() && a.country.empty()) continue;
    out[it->second].addresses.push_back(std::move(a));
  }
  for (const auto& r : *alt) {
    if (r.fields.size() != 5) return bad("alt.csv", r.line, "expected 5 fields, found " + std::to_string(r.fields.size()));
    auto it = by_id.find(r.fields[0]);
    if (it == by_id.end()) return bad("alt.csv", r.line, "ent_num " + quote_value(r.fields[0]) + " is not in sdn.csv");
    if (ofac_field(r.fields[3]).empty()) return bad("alt.csv", r.line, "alias name is empty");
    std::string quality = ofac_field(r.fields[4]);  // "strong"/"weak" in the remarks column
    add_name(out[it->second], r.fields[3], false, quality.empty() ? ofac_field(r.fields[2]) : quality);
  }
  for (const auto& r : *comments) {
    if (r.fields.size() != 2) {
      return bad("sdn_comments.csv", r.line, "expected 2 fields, found " + std::to_string(r.fields.size()));
    }
    auto it = by_id.find(r.fields[0]);
    if (it == by_id.end()) {
      return bad("sdn_comments.csv", r.line, "ent_num " + quote_value(r.fields[0]) + " is not in sdn.csv");
    }
    out[it->second].remarks += ofac_field(r.fields[1]);
  }
  for (auto& e : out) mine_ofac_remarks(e, e.remarks);
  return out;
}

// --- XML helpers ---------------------------------------------------------------------------

namespace {

std::string_view local_name(const pugi::xml_node& n) {
  std::string_view name = n.name();
  if (auto colon = name.find(':'); colon != std::string_view::npos) name.remove_prefix(colon + 1);
  return name;
}

// "/CONSOLIDATED_LIST/INDIVIDUALS/INDIVIDUAL[7]/DATAID" (1-based among same-named siblings).
std::string element_path(pugi::xml_node n) {
  std::vector<std::string> parts;
  for (; n && n.type() == pugi::node_element; n = n.parent()) {
    std::size_t index = 1, total = 0;
    for (auto s = n.parent().first_child(); s; s = s.next_sibling()) {
      if (std::string_view(s.name()) != n.name()) continue;
      ++total;
      if (s == n) index = total;
    }
    std::string part(n.name());
    if (total > 1) part += "[" + std::to_string(index) + "]";
    parts.push_back(std::move(part));
  }
  std::string out;
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) out += "/" + *it;
  return out;
}

Imported<pugi::xml_document*> load_xml(pugi::xml_document& doc, std::string_view xml) {
  const auto result = doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!result) {
    const auto offset = static_cast<std::size_t>(std::max<std::ptrdiff_t>(0, result.offset));
    const auto line = 1 + std::count(xml.begin(), xml.begin() + static_cast<std::ptrdiff_t>(std::min(offset, xml.size())), '\n');
    return std::unexpected(ImportError{"line " + std::to_string(line), std::string("XML: ") + result.description()});
  }
  return &doc;
}

pugi::xml_node child(const pugi::xml_node& n, std::string_view name) {
  for (auto c = n.first_child(); c; c = c.next_sibling()) {
    if (local_name(c) == name) return c;
  }
  return {};
}

std::string text_of(const pugi::xml_node& n, std::string_view name) { return trim(child(n, name).child_value()); }

}  // namespace

// --- UN ------------------------------------------------------------------------------------

Imported<Entities> parse_un_xml(std::string_view xml, std::string_view list) {
  pugi::xml_document doc;
  if (auto loaded = load_xml(doc, xml); !loaded) return std::unexpected(loaded.error());
  const auto root = doc.document_element();
  if (local_name(root) != "CONSOLIDATED_LIST") {
    return std::unexpected(ImportError{element_path(root), "the root element is not CONSOLIDATED_LIST"});
  }
  Entities out;
  std::unordered_set<std::string> ids;
  for (auto [group, item, type] : {std::tuple{"INDIVIDUALS", "INDIVIDUAL", EntityType::kPerson},
                                   std::tuple{"ENTITIES", "ENTITY", EntityType::kOrganisation}}) {
    const auto g = child(root, group);
    for (auto n = g.first_child(); n; n = n.next_sibling()) {
      if (n.type() != pugi::node_element) continue;
      if (local_name(n) != item) {
        return std::unexpected(ImportError{element_path(n), std::string("expected ") + item});
      }
      WatchlistEntity e;
      e.list = std::string(list);
      e.type = type;
      e.id = text_of(n, "REFERENCE_NUMBER");
      if (e.id.empty()) e.id = text_of(n, "DATAID");
      if (e.id.empty()) {
        return std::unexpected(ImportError{element_path(n), "neither REFERENCE_NUMBER nor DATAID is given"});
      }
      if (!ids.insert(e.id).second) {
        return std::unexpected(ImportError{element_path(child(n, "REFERENCE_NUMBER")), "id " + e.id + " appears twice"});
      }
      std::string name;
      for (auto part : {"FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"}) {
        std::string p = text_of(n, part);
        if (p.empty()) continue;
        if (!name.empty()) name += ' ';
        name += p;
      }
      if (name.empty()) return std::unexpected(ImportError{element_path(n) + "/FIRST_NAME", "the name is empty"});
      add_name(e, name, true);
      if (auto original = text_of(n, "NAME_ORIGINAL_SCRIPT"); !original.empty()) add_name(e, original, false, "original script");
      e.programme = text_of(n, "UN_LIST_TYPE");
      e.listed_on = text_of(n, "LISTED_ON");
      e.remarks = text_of(n, "COMMENTS1");
      const std::string alias_tag = type == EntityType::kPerson ? "INDIVIDUAL_ALIAS" : "ENTITY_ALIAS";
      const std::string address_tag = type == EntityType::kPerson ? "INDIVIDUAL_ADDRESS" : "ENTITY_ADDRESS";
      for (auto c = n.first_child(); c; c = c.next_sibling()) {
        const auto tag = local_name(c);
        if (tag == alias_tag) {
          add_name(e, text_of(c, "ALIAS_NAME"), false, text_of(c, "QUALITY"));
        } else if (tag == "NATIONALITY") {
          for (auto v = c.first_child(); v; v = v.next_sibling()) {
            if (auto code = country_code(trim(v.child_value())); !code.empty()) e.nationalities.push_back(code);
          }
        } else if (tag == address_tag) {
          std::string text;
          for (auto part : {"STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE"}) {
            std::string p = text_of(c, part);
            if (p.empty()) continue;
            if (!text.empty()) text += ", ";
            text += p;
          }
          EntityAddress a{text, country_code(text_of(c, "COUNTRY"))};
          if (!a.text.empty() || !a.country.empty()) e.addresses.push_back(std::move(a));
        } else if (tag == "INDIVIDUAL_DATE_OF_BIRTH") {
          if (auto d = text_of(c, "DATE"); !d.empty()) {
            if (d.size() > 10) d.resize(10);
            if (!valid_partial_date(d)) {
              return std::unexpected(ImportError{element_path(child(c, "DATE")), "not a date: " + quote_value(d)});
            }
            e.dates_of_birth.push_back(d);
          } else if (auto y = text_of(c, "YEAR"); !y.empty()) {
            e.dates_of_birth.push_back(y);
          } else if (auto from = text_of(c, "FROM_YEAR"); !from.empty()) {
            e.dates_of_birth.push_back(from);
            if (auto to = text_of(c, "TO_YEAR"); !to.empty() && to != from) e.dates_of_birth.push_back(to);
          }
        } else if (tag == "INDIVIDUAL_DOCUMENT") {
          const std::string number = text_of(c, "NUMBER");
          if (number.empty()) continue;
          const std::string kind = text_of(c, "TYPE_OF_DOCUMENT");
          const std::string lower = detail::to_ascii_upper(kind);
          IdentifierType t = IdentifierType::kDocument;
          if (lower.find("PASSPORT") != std::string::npos) t = IdentifierType::kPassport;
          else if (lower.find("NATIONAL") != std::string::npos || lower.find("IDENTIFICATION") != std::string::npos) t = IdentifierType::kNationalId;
          std::string country = text_of(c, "ISSUING_COUNTRY");
          if (country.empty()) country = text_of(c, "COUNTRY_OF_ISSUE");
          e.identifiers.push_back({t, number, country_code(country), kind});
        }
      }
      out.push_back(std::move(e));
    }
  }
  return out;
}

// --- EU ------------------------------------------------------------------------------------

Imported<Entities> parse_eu_xml(std::string_view xml, std::string_view list) {
  pugi::xml_document doc;
  if (auto loaded = load_xml(doc, xml); !loaded) return std::unexpected(loaded.error());
  const auto root = doc.document_element();
  if (local_name(root) != "export") return std::unexpected(ImportError{element_path(root), "the root element is not export"});
  Entities out;
  std::unordered_set<std::string> ids;
  for (auto n = root.first_child(); n; n = n.next_sibling()) {
    if (n.type() != pugi::node_element || local_name(n) != "sanctionEntity") continue;
    WatchlistEntity e;
    e.list = std::string(list);
    e.id = trim(n.attribute("logicalId").value());
    if (e.id.empty()) return std::unexpected(ImportError{element_path(n) + "/@logicalId", "logicalId is missing"});
    if (!ids.insert(e.id).second) {
      return std::unexpected(ImportError{element_path(n) + "/@logicalId", "logicalId " + e.id + " appears twice"});
    }
    const std::string subject = child(n, "subjectType").attribute("code").value();
    if (subject == "person") e.type = EntityType::kPerson;
    else if (subject == "enterprise" || subject.empty()) e.type = EntityType::kOrganisation;
    else return std::unexpected(ImportError{element_path(child(n, "subjectType")) + "/@code",
                                            "unknown subject type " + quote_value(subject)});
    const std::string reference = n.attribute("euReferenceNumber").value();
    for (auto c = n.first_child(); c; c = c.next_sibling()) {
      const auto tag = local_name(c);
      if (tag == "nameAlias") {
        std::string whole = trim(c.attribute("wholeName").value());
        if (whole.empty()) {
          for (auto part : {"firstName", "middleName", "lastName"}) {
            std::string p = trim(c.attribute(part).value());
            if (p.empty()) continue;
            if (!whole.empty()) whole += ' ';
            whole += p;
          }
        }
        if (whole.empty()) return std::unexpected(ImportError{element_path(c), "nameAlias without a name"});
        const bool strong = std::string_view(c.attribute("strong").value()) != "false";
        add_name(e, whole, e.names.empty(), strong ? "strong" : "weak");
      } else if (tag == "birthdate") {
        std::string d = trim(c.attribute("birthdate").value());
        if (d.empty()) d = trim(c.attribute("year").value());
        if (d.empty()) continue;
        if (!valid_partial_date(d)) {
          return std::unexpected(ImportError{element_path(c) + "/@birthdate", "not a date: " + quote_value(d)});
        }
        e.dates_of_birth.push_back(d);
      } else if (tag == "citizenship") {
        std::string code = trim(c.attribute("countryIso2Code").value());
        if (code == "00") code.clear();
        if (!code.empty()) e.nationalities.push_back(detail::to_ascii_upper(code));
      } else if (tag == "identification") {
        const std::string number = trim(c.attribute("number").value());
        if (number.empty()) continue;
        const std::string kind = c.attribute("identificationTypeCode").value();
        IdentifierType t = IdentifierType::kDocument;
        if (kind == "passport") t = IdentifierType::kPassport;
        else if (kind == "id") t = IdentifierType::kNationalId;
        else if (kind == "tin" || kind == "fiscalcode") t = IdentifierType::kTin;
        else if (kind == "imo") t = IdentifierType::kImo;
        std::string code = trim(c.attribute("countryIso2Code").value());
        if (code == "00") code.clear();
        e.identifiers.push_back({t, number, code, c.attribute("identificationTypeDescription").value()});
      } else if (tag == "address") {
        std::string text;
        for (auto part : {"street", "poBox", "zipCode", "city", "region", "place"}) {
          std::string p = trim(c.attribute(part).value());
          if (p.empty()) continue;
          if (!text.empty()) text += ", ";
          text += p;
        }
        std::string code = trim(c.attribute("countryIso2Code").value());
        if (code == "00") code.clear();
        if (!text.empty() || !code.empty()) e.addresses.push_back({text, code});
      } else if (tag == "regulation") {
        if (e.programme.empty()) e.programme = c.attribute("programme").value();
        if (e.listed_on.empty()) e.listed_on = c.attribute("publicationDate").value();
      } else if (tag == "remark") {
        if (!e.remarks.empty()) e.remarks += ' ';
        e.remarks += trim(c.child_value());
      }
    }
    if (e.names.empty()) return std::unexpected(ImportError{element_path(n), "sanctionEntity without a nameAlias"});
    if (!reference.empty()) e.remarks = "EU reference " + reference + (e.remarks.empty() ? "" : ". " + e.remarks);
    out.push_back(std::move(e));
  }
  return out;
}

// --- Cordon CSV ----------------------------------------------------------------------------

namespace {

// Checks shared by the Cordon formats; `where` prefixes the message.
std::optional<std::string> check_entity(const WatchlistEntity& e) {
  if (e.id.empty()) return "id: is empty";
  bool has_name = !e.names.empty();
  auto has_id = [&](IdentifierType t) {
    return std::ranges::any_of(e.identifiers, [&](const Identifier& i) { return i.type == t; });
  };
  switch (e.type) {
    case EntityType::kPerson:
    case EntityType::kOrganisation:
      if (!has_name) return "name: a person or organisation needs a name";
      break;
    case EntityType::kVehicle:
      if (!has_id(IdentifierType::kPlate) && !has_id(IdentifierType::kVin)) return "plate: a vehicle needs a plate or a VIN";
      break;
    case EntityType::kContainer:
      if (!has_id(IdentifierType::kContainer)) return "container: a container entry needs its number";
      break;
    case EntityType::kVessel:
      if (!has_id(IdentifierType::kImo) && !has_name) return "imo: a vessel needs an IMO number or a name";
      break;
    default:
      if (!has_name && e.identifiers.empty()) return "name: needs a name or an identifier";
  }
  for (const auto& d : e.dates_of_birth) {
    if (!valid_partial_date(d)) return "date_of_birth: " + quote_value(d) + " is not YYYY, YYYY-MM or YYYY-MM-DD";
  }
  auto country_ok = [](const std::string& c) {
    return c.empty() || (c.size() == 2 && std::ranges::all_of(c, [](char x) { return x >= 'A' && x <= 'Z'; }));
  };
  for (const auto& c : e.nationalities) {
    if (!country_ok(c)) return "nationality: " + quote_value(c) + " is not an ISO 3166 alpha-2 code";
  }
  for (const auto& a : e.addresses) {
    if (!country_ok(a.country)) return "country: " + quote_value(a.country) + " is not an ISO 3166 alpha-2 code";
  }
  for (const auto& i : e.identifiers) {
    if (!country_ok(i.country)) return "identifiers: country " + quote_value(i.country) + " is not an ISO 3166 alpha-2 code";
    if (normalize_identifier(i.type, i.value).empty()) return std::string(to_string(i.type)) + ": " + quote_value(i.value) + " has no letters or digits";
  }
  if (!e.listed_on.empty() && (e.listed_on.size() != 10 || !valid_partial_date(e.listed_on))) {
    return "listed_on: " + quote_value(e.listed_on) + " is not YYYY-MM-DD";
  }
  return std::nullopt;
}

constexpr std::string_view kCsvColumns[] = {
    "id",       "type", "name",      "aliases", "date_of_birth", "nationality", "country",   "address",   "plate",
    "plate_country", "vin", "container", "imo", "passport", "national_id", "document", "eori", "tin",
    "programme", "listed_on", "instruction", "remarks",
};

}  // namespace

Imported<Entities> parse_cordon_csv(std::string_view csv, std::string_view list) {
  auto records = parse_csv(csv, "line");
  if (!records) {
    auto e = records.error();
    return std::unexpected(e);
  }
  if (records->empty()) return Entities{};
  const auto& header = records->front().fields;
  std::vector<int> column_of(std::size(kCsvColumns), -1);
  for (std::size_t i = 0; i < header.size(); ++i) {
    const auto it = std::ranges::find(kCsvColumns, std::string_view(header[i]));
    if (it == std::end(kCsvColumns)) {
      return std::unexpected(ImportError{"line 1", "unknown column " + quote_value(header[i])});
    }
    const auto index = static_cast<std::size_t>(it - std::begin(kCsvColumns));
    if (column_of[index] >= 0) return std::unexpected(ImportError{"line 1", "column " + header[i] + " appears twice"});
    column_of[index] = static_cast<int>(i);
  }
  if (column_of[0] < 0 || column_of[1] < 0) return std::unexpected(ImportError{"line 1", "the columns id and type are required"});
  Entities out;
  std::unordered_set<std::string> ids;
  for (std::size_t r = 1; r < records->size(); ++r) {
    const auto& rec = (*records)[r];
    const std::string where = "line " + std::to_string(rec.line);
    if (rec.fields.size() != header.size()) {
      return std::unexpected(ImportError{where, "expected " + std::to_string(header.size()) + " fields, found " +
                                                    std::to_string(rec.fields.size())});
    }
    auto get = [&](std::string_view column) -> std::string {
      const auto index = static_cast<std::size_t>(std::ranges::find(kCsvColumns, column) - std::begin(kCsvColumns));
      return column_of[index] < 0 ? std::string() : trim(rec.fields[static_cast<std::size_t>(column_of[index])]);
    };
    WatchlistEntity e;
    e.list = std::string(list);
    e.id = get("id");
    const auto type = parse_entity_type(get("type"));
    if (!type) return std::unexpected(ImportError{where, "type: " + quote_value(get("type")) + " is not an entity type"});
    e.type = *type;
    add_name(e, get("name"), true);
    for (auto& a : split(get("aliases"), '|')) add_name(e, a, false);
    e.dates_of_birth = split(get("date_of_birth"), '|');
    e.nationalities = split(get("nationality"), '|');
    const std::string country = get("country");
    const std::string address = get("address");
    if (!address.empty() || !country.empty()) e.addresses.push_back({address, country});
    const std::string plate_country = get("plate_country").empty() ? country : get("plate_country");
    for (auto& v : split(get("plate"), '|')) e.identifiers.push_back({IdentifierType::kPlate, v, plate_country, {}});
    const std::pair<const char*, IdentifierType> simple[] = {
        {"vin", IdentifierType::kVin},           {"container", IdentifierType::kContainer},
        {"imo", IdentifierType::kImo},           {"passport", IdentifierType::kPassport},
        {"national_id", IdentifierType::kNationalId}, {"document", IdentifierType::kDocument},
        {"eori", IdentifierType::kEori},         {"tin", IdentifierType::kTin},
    };
    for (const auto& [column, t] : simple) {
      for (auto& v : split(get(column), '|')) e.identifiers.push_back({t, v, {}, {}});
    }
    e.programme = get("programme");
    e.listed_on = get("listed_on");
    e.instruction = get("instruction");
    e.remarks = get("remarks");
    if (auto problem = check_entity(e)) return std::unexpected(ImportError{where, *problem});
    if (!ids.insert(e.id).second) return std::unexpected(ImportError{where, "id: " + quote_value(e.id) + " appears twice"});
    out.push_back(std::move(e));
  }
  return out;
}

// --- Cordon NDJSON -------------------------------------------------------------------------

namespace {

using nlohmann::json;

std::optional<std::string> string_field(const json& j, std::string_view key, std::string* out) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) return std::string(key) + ": must be a string";
  *out = trim(it->get<std::string>());
  return std::nullopt;
}

std::optional<std::string> strings_field(const json& j, std::string_view key, std::vector<std::string>* out) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  if (it->is_string()) {
    if (auto v = trim(it->get<std::string>()); !v.empty()) out->push_back(v);
    return std::nullopt;
  }
  if (!it->is_array()) return std::string(key) + ": must be a string or an array of strings";
  for (std::size_t i = 0; i < it->size(); ++i) {
    if (!(*it)[i].is_string()) return std::string(key) + "[" + std::to_string(i) + "]: must be a string";
    if (auto v = trim((*it)[i].get<std::string>()); !v.empty()) out->push_back(v);
  }
  return std::nullopt;
}

std::optional<std::string> entity_from_json(const json& j, WatchlistEntity& e) {
  if (!j.is_object()) return "the line is not a JSON object";
  std::string type;
  if (auto err = string_field(j, "id", &e.id)) return err;
  if (auto err = string_field(j, "type", &type)) return err;
  const auto t = parse_entity_type(type);
  if (!t) return "type: " + quote_value(type) + " is not an entity type";
  e.type = *t;
  std::string name;
  if (auto err = string_field(j, "name", &name)) return err;
  add_name(e, name, true);
  if (auto it = j.find("names"); it != j.end() && !it->is_null()) {
    if (!it->is_array()) return "names: must be an array";
    for (std::size_t i = 0; i < it->size(); ++i) {
      const json& n = (*it)[i];
      const std::string at = "names[" + std::to_string(i) + "]";
      if (n.is_string()) {
        add_name(e, n.get<std::string>(), e.names.empty());
        continue;
      }
      if (!n.is_object()) return at + ": must be a string or an object";
      std::string value, script, kind;
      if (auto err = string_field(n, "name", &value)) return at + "." + *err;
      if (auto err = string_field(n, "script", &script)) return at + "." + *err;
      if (auto err = string_field(n, "kind", &kind)) return at + "." + *err;
      if (value.empty()) return at + ".name: is empty";
      bool primary = e.names.empty();
      if (auto p = n.find("primary"); p != n.end() && p->is_boolean()) primary = p->get<bool>();
      if (!kind.empty()) primary = kind == "primary";
      add_name(e, value, primary, kind);
      if (!script.empty() && !e.names.empty() && e.names.back().name == value) e.names.back().script = script;
    }
  }
  std::vector<std::string> aliases;
  if (auto err = strings_field(j, "aliases", &aliases)) return err;
  for (auto& a : aliases) add_name(e, a, false);
  if (auto err = strings_field(j, "dates_of_birth", &e.dates_of_birth)) return err;
  if (auto err = strings_field(j, "dob", &e.dates_of_birth)) return err;
  if (auto err = strings_field(j, "nationalities", &e.nationalities)) return err;
  if (auto err = strings_field(j, "nationality", &e.nationalities)) return err;
  std::string country;
  if (auto err = string_field(j, "country", &country)) return err;
  if (auto it = j.find("addresses"); it != j.end() && !it->is_null()) {
    if (!it->is_array()) return "addresses: must be an array";
    for (std::size_t i = 0; i < it->size(); ++i) {
      const json& a = (*it)[i];
      const std::string at = "addresses[" + std::to_string(i) + "]";
      if (!a.is_object()) return at + ": must be an object";
      EntityAddress addr;
      if (auto err = string_field(a, "text", &addr.text)) return at + "." + *err;
      if (auto err = string_field(a, "country", &addr.country)) return at + "." + *err;
      e.addresses.push_back(std::move(addr));
    }
  }
  if (!country.empty()) {
    if (e.type == EntityType::kPerson) {
      if (std::ranges::find(e.nationalities, country) == e.nationalities.end()) e.nationalities.push_back(country);
    } else {
      e.addresses.push_back({"", country});
    }
  }
  if (auto it = j.find("identifiers"); it != j.end() && !it->is_null()) {
    if (!it->is_array()) return "identifiers: must be an array";
    for (std::size_t i = 0; i < it->size(); ++i) {
      const json& x = (*it)[i];
      const std::string at = "identifiers[" + std::to_string(i) + "]";
      if (!x.is_object()) return at + ": must be an object";
      std::string kind;
      Identifier id;
      if (auto err = string_field(x, "type", &kind)) return at + "." + *err;
      if (auto err = string_field(x, "value", &id.value)) return at + "." + *err;
      if (auto err = string_field(x, "country", &id.country)) return at + "." + *err;
      if (auto err = string_field(x, "note", &id.note)) return at + "." + *err;
      const auto parsed = parse_identifier_type(kind);
      if (!parsed) return at + ".type: " + quote_value(kind) + " is not an identifier type";
      id.type = *parsed;
      if (id.value.empty()) return at + ".value: is empty";
      if (id.type == IdentifierType::kPlate && id.country.empty()) id.country = country;
      e.identifiers.push_back(std::move(id));
    }
  }
  if (auto err = string_field(j, "programme", &e.programme)) return err;
  if (auto err = string_field(j, "listed_on", &e.listed_on)) return err;
  if (auto err = string_field(j, "instruction", &e.instruction)) return err;
  if (auto err = string_field(j, "remarks", &e.remarks)) return err;
  if (e.remarks.empty()) {
    if (auto err = string_field(j, "reason", &e.remarks)) return err;
  }
  return check_entity(e);
}

}  // namespace

Imported<Entities> parse_cordon_ndjson(std::string_view ndjson, std::string_view list) {
  Entities out;
  std::unordered_set<std::string> ids;
  int line = 0;
  std::size_t start = 0;
  while (start < ndjson.size()) {
    std::size_t end = ndjson.find('\n', start);
    if (end == std::string_view::npos) end = ndjson.size();
    ++line;
    const std::string text = trim(ndjson.substr(start, end - start));
    start = end + 1;
    if (text.empty()) continue;
    const std::string where = "line " + std::to_string(line);
    json j = json::parse(text, nullptr, false);
    if (j.is_discarded()) return std::unexpected(ImportError{where, "not valid JSON"});
    WatchlistEntity e;
    e.list = std::string(list);
    if (auto problem = entity_from_json(j, e)) return std::unexpected(ImportError{where, *problem});
    if (!ids.insert(e.id).second) return std::unexpected(ImportError{where, "id: " + quote_value(e.id) + " appears twice"});
    out.push_back(std::move(e));
  }
  return out;
}

// --- files ---------------------------------------------------------------------------------

namespace {

std::expected<std::string, ImportError> read_file(const std::filesystem::path& path, bool required) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (!required && !std::filesystem::exists(path)) return std::string();
    return std::unexpected(ImportError{path.string(), "cannot be read"});
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

Imported<Entities> read_list(const std::filesystem::path& path, ListFormat format, std::string_view list) {
  switch (format) {
    case ListFormat::kOfacSdn: {
      const auto dir = std::filesystem::is_directory(path) ? path : path.parent_path();
      auto sdn = read_file(dir / "sdn.csv", true);
      if (!sdn) return std::unexpected(sdn.error());
      auto add = read_file(dir / "add.csv", false);
      if (!add) return std::unexpected(add.error());
      auto alt = read_file(dir / "alt.csv", false);
      if (!alt) return std::unexpected(alt.error());
      auto comments = read_file(dir / "sdn_comments.csv", false);
      if (!comments) return std::unexpected(comments.error());
      return parse_ofac_sdn(*sdn, *add, *alt, *comments, list.empty() ? "OFAC-SDN" : list);
    }
    case ListFormat::kUnXml:
    case ListFormat::kEuXml:
    case ListFormat::kCordonCsv:
    case ListFormat::kCordonNdjson: {
      auto text = read_file(path, true);
      if (!text) return std::unexpected(text.error());
      if (format == ListFormat::kUnXml) return parse_un_xml(*text, list.empty() ? "UN-SC" : list);
      if (format == ListFormat::kEuXml) return parse_eu_xml(*text, list.empty() ? "EU-FSF" : list);
      if (list.empty()) return std::unexpected(ImportError{path.string(), "a list name is required for Cordon formats"});
      if (format == ListFormat::kCordonCsv) return parse_cordon_csv(*text, list);
      return parse_cordon_ndjson(*text, list);
    }
  }
  return std::unexpected(ImportError{path.string(), "unknown format"});
}

}  // namespace cordon::screening
