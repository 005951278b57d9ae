// The evaluator: a switch over the compiled nodes, reading fields through pre-resolved
// accessors. It allocates nothing: strings are views into the declaration or the program, and
// lower()/upper() are a flag applied byte by byte while comparing rather than new strings.
#include <algorithm>
#include <charconv>
#include <cmath>

#include "core/identifiers.h"
#include "core/time.h"
#include "rules/internal.h"

namespace cordon::rules {

std::optional<double> value_per_kg(const GoodsItem& item) {
  const double mass = item.net_mass_kg.value_or(item.gross_mass_kg);
  if (!(mass > 0)) return std::nullopt;
  return item.value.amount / mass;
}

namespace internal {
namespace {

struct Num {
  double v = 0;
  bool ok = false;
};
struct Str {
  std::string_view s;
  uint8_t transform = 0;
  bool ok = false;
};

Str present(std::string_view s) {
  return {s, 0, !s.empty()};
}
Num present(std::optional<double> v) {
  return v ? Num{*v, true} : Num{};
}

struct Slot {
  const void* item = nullptr;
  uint32_t index = 0;
};

class Evaluator {
 public:
  Evaluator(const Program& p, const Facts& f) : p_(p), f_(f), d_(*f.declaration) {}

  bool boolean(uint32_t i) {
    const Node& n = p_.nodes[i];
    switch (n.op) {
      case Op::kBoolConst: return n.number != 0;
      case Op::kAnd:
        for (uint32_t k = 0; k < n.b; ++k) {
          if (!boolean(p_.args[n.a + k])) return false;
        }
        return true;
      case Op::kOr:
        for (uint32_t k = 0; k < n.b; ++k) {
          if (boolean(p_.args[n.a + k])) return true;
        }
        return false;
      case Op::kNot: return !boolean(n.a);
      case Op::kBoolField: {
        const std::optional<bool> v = bool_field(n);
        return v.value_or(false);
      }
      case Op::kCmpNum: {
        const Num a = number(n.a);
        if (!a.ok) return false;
        const Num b = number(n.b);
        if (!b.ok) return false;
        return compare(a.v, b.v, n.cmp);
      }
      case Op::kCmpStr: {
        const Str a = string(n.a);
        if (!a.ok) return false;
        const Str b = string(n.b);
        if (!b.ok) return false;
        return compare_result(compare_strings(a, b), n.cmp);
      }
      case Op::kCmpBool: {
        const std::optional<bool> a = optional_bool(n.a);
        const std::optional<bool> b = optional_bool(n.b);
        if (!a || !b) return false;
        return n.cmp == Cmp::kEq ? *a == *b : *a != *b;
      }
      case Op::kIsNull: return !is_present(n.a);
      case Op::kNotNull: return is_present(n.a);
      case Op::kInStrConst: {
        const Str a = string(n.a);
        if (!a.ok) return false;
        const auto& set = p_.string_sets[n.b];
        bool found;
        if (a.transform == 0) {
          found = set.size() <= 8 ? std::find(set.begin(), set.end(), a.s) != set.end()
                                  : std::binary_search(set.begin(), set.end(), a.s);
        } else {
          found = std::any_of(set.begin(), set.end(), [&](const std::string& s) {
            return compare_strings(a, Str{s, 0, true}) == 0;
          });
        }
        return found != n.negate;
      }
      case Op::kInNumConst: {
        const Num a = number(n.a);
        if (!a.ok) return false;
        const auto& set = p_.number_sets[n.b];
        return std::binary_search(set.begin(), set.end(), a.v) != n.negate;
      }
      case Op::kInStrField: {
        const Str a = string(n.a);
        if (!a.ok) return false;
        bool found = false;
        for_each_string(p_.nodes[n.b], [&](std::string_view s) {
          if (compare_strings(a, Str{s, 0, true}) == 0) found = true;
          return !found;
        });
        return found != n.negate;
      }
      case Op::kStartsWith:
      case Op::kEndsWith:
      case Op::kContains: {
        const Str a = string(n.a);
        if (!a.ok) return false;
        const Str b = string(n.b);
        if (!b.ok) return false;
        return string_test(n.op, a, b);
      }
      case Op::kMatches: {
        const Str a = string(n.a);
        if (!a.ok) return false;
        return glob_match(p_.strings[n.b], a.s, a.transform);
      }
      case Op::kExists: {
        bool any = false;
        iterate(n, [&] {
          any = boolean(n.b);
          return !any;
        });
        return any;
      }
      case Op::kAll: {
        bool all = true;
        iterate(n, [&] {
          all = boolean(n.b);
          return all;
        });
        return all;
      }
      case Op::kExistsOne: {
        int count = 0;
        iterate(n, [&] {
          count += boolean(n.b) ? 1 : 0;
          return count < 2;
        });
        return count == 1;
      }
      default: return false;
    }
  }

  Num number(uint32_t i) {
    const Node& n = p_.nodes[i];
    switch (n.op) {
      case Op::kNumConst: return {n.number, true};
      case Op::kNumField: return number_field(n);
      case Op::kNeg: {
        Num a = number(n.a);
        a.v = -a.v;
        return a;
      }
      case Op::kAdd:
      case Op::kSub:
      case Op::kMul:
      case Op::kDiv: {
        const Num a = number(n.a);
        if (!a.ok) return {};
        const Num b = number(n.b);
        if (!b.ok) return {};
        switch (n.op) {
          case Op::kAdd: return {a.v + b.v, true};
          case Op::kSub: return {a.v - b.v, true};
          case Op::kMul: return {a.v * b.v, true};
          default: return b.v == 0 ? Num{} : Num{a.v / b.v, true};  // x / 0 is missing
        }
      }
      case Op::kAbs: {
        Num a = number(n.a);
        a.v = std::fabs(a.v);
        return a;
      }
      case Op::kMin:
      case Op::kMax: {
        Num best{};
        for (uint32_t k = 0; k < n.b; ++k) {
          const Num x = number(p_.args[n.a + k]);
          if (!x.ok) return {};  // min(x, missing) is missing, as arithmetic is
          if (!best.ok || (n.op == Op::kMin ? x.v < best.v : x.v > best.v)) best = x;
        }
        return best;
      }
      case Op::kCount: {
        double count = 0;
        iterate(n, [&] {
          count += boolean(n.b) ? 1 : 0;
          return true;
        });
        return {count, true};
      }
      case Op::kSize: {
        double count = 0;
        const Node& list = p_.nodes[n.a];
        if (list.type == Type::kStringList) {
          for_each_string(list, [&](std::string_view) {
            ++count;
            return true;
          });
        } else {
          count = static_cast<double>(collection_size(list));
        }
        return {count, true};
      }
      case Op::kStrLength: {
        const Str a = string(n.a);
        return {static_cast<double>(a.s.size()), a.ok};
      }
      default: return {};
    }
  }

  Str string(uint32_t i) {
    const Node& n = p_.nodes[i];
    switch (n.op) {
      case Op::kStrConst: return {p_.strings[n.a], 0, true};
      case Op::kStrField: return string_field(n);
      case Op::kLower: {
        Str a = string(n.a);
        a.transform = 1;
        return a;
      }
      case Op::kUpper: {
        Str a = string(n.a);
        a.transform = 2;
        return a;
      }
      default: return {};
    }
  }

  bool is_present(uint32_t i) {
    const Node& n = p_.nodes[i];
    switch (n.type) {
      case Type::kNumber: return number(i).ok;
      case Type::kString: return string(i).ok;
      case Type::kBool: return optional_bool(i).has_value();
      default: return true;
    }
  }

  std::optional<bool> optional_bool(uint32_t i) {
    const Node& n = p_.nodes[i];
    if (n.op == Op::kBoolField) return bool_field(n);
    return boolean(i);
  }

  // Runs body for each element of the macro's collection with the macro's slot bound; body
  // returns false to stop.
  template <typename Body>
  void iterate(const Node& macro, Body&& body) {
    const Node& list = p_.nodes[macro.a];
    Slot& slot = slots_[macro.slot];
    const Slot saved = slot;
    switch (list.field) {
      case Field::kGoods:
        for (uint32_t k = 0; k < d_.goods.size(); ++k) {
          slot = {&d_.goods[k], k};
          if (!body()) break;
        }
        break;
      case Field::kParties:
        for (uint32_t k = 0; k < d_.parties.size(); ++k) {
          slot = {&d_.parties[k], k};
          if (!body()) break;
        }
        break;
      case Field::kHits:
        for (uint32_t k = 0; k < f_.hits.size(); ++k) {
          slot = {&f_.hits[k], k};
          if (!body()) break;
        }
        break;
      default: {
        uint32_t k = 0;
        const std::vector<std::string>* strings = string_list(list);
        if (strings) {
          for (const std::string& s : *strings) {
            slot = {&s, k++};
            if (!body()) break;
          }
        }
      }
    }
    slot = saved;
  }

  size_t collection_size(const Node& list) {
    switch (list.field) {
      case Field::kGoods: return d_.goods.size();
      case Field::kParties: return d_.parties.size();
      case Field::kHits: return f_.hits.size();
      default: return 0;
    }
  }

  const std::vector<std::string>* string_list(const Node& list) {
    switch (list.field) {
      case Field::kRoutingCountries: return &d_.routing.countries;
      case Field::kTransitSeals: return d_.transit ? &d_.transit->seals : nullptr;
      case Field::kTransitOffices: return d_.transit ? &d_.transit->offices_of_transit : nullptr;
      case Field::kGoodsContainers: return &goods(list).containers;
      default: return nullptr;
    }
  }

  template <typename Body>
  void for_each_string(const Node& list, Body&& body) {
    if (const auto* strings = string_list(list)) {
      for (const std::string& s : *strings) {
        if (!body(std::string_view(s))) return;
      }
    }
  }

  const GoodsItem& goods(const Node& n) {
    return *static_cast<const GoodsItem*>(slots_[n.slot].item);
  }

  const Party* party(const Node& n) {
    if (n.base == Base::kSlot) return static_cast<const Party*>(slots_[n.slot].item);
    const auto role = static_cast<PartyRole>(n.role);
    if (role == PartyRole::kDeclarant && !d_.declarant.name.empty()) return &d_.declarant;
    return d_.find_party(role);
  }
  const PartyFeatures* party_features(const Node& n) {
    const Party* p = party(n);
    if (!p) return nullptr;
    return &f_.parties[static_cast<size_t>(p->role)];
  }

  Num number_field(const Node& n) {
    switch (n.field) {
      case Field::kVoyageDays: {
        const auto loading = parse_date(d_.loading_date);
        const auto arrival = parse_date(d_.arrival_date);
        if (!loading || !arrival) return {};
        return {static_cast<double>(*arrival - *loading), true};
      }
      case Field::kTotalValue: {
        double sum = 0;
        for (const GoodsItem& g : d_.goods) sum += g.value.amount;
        return {sum, true};
      }
      case Field::kTotalGrossMass: {
        double sum = 0;
        for (const GoodsItem& g : d_.goods) sum += g.gross_mass_kg;
        return {sum, true};
      }
      case Field::kPairFirstSeenDays: return present(f_.pair.first_seen_days);
      case Field::kPairDeclarationsSeen: return present(f_.pair.declarations_seen);
      case Field::kPartyFirstSeenDays:
      case Field::kPartyDeclarationsSeen:
      case Field::kPartyControls:
      case Field::kPartyHitRate: {
        const PartyFeatures* pf = party_features(n);
        if (!pf) return {};
        switch (n.field) {
          case Field::kPartyFirstSeenDays: return present(pf->first_seen_days);
          case Field::kPartyDeclarationsSeen: return present(pf->declarations_seen);
          case Field::kPartyControls: return present(pf->controls);
          default: return present(pf->control_hit_rate);
        }
      }
      case Field::kGoodsGrossMass: return {goods(n).gross_mass_kg, true};
      case Field::kGoodsNetMass: return present(goods(n).net_mass_kg);
      case Field::kGoodsValue: return {goods(n).value.amount, true};
      case Field::kGoodsPackages: return {static_cast<double>(goods(n).packages.count), true};
      case Field::kGoodsValuePerKg: return present(value_per_kg(goods(n)));
      case Field::kGoodsValuePerKgRatio: {
        const uint32_t index = slots_[n.slot].index;
        if (index >= f_.goods.size()) return {};
        return present(f_.goods[index].value_per_kg_ratio);
      }
      case Field::kHitScore:
        return {static_cast<const ScreeningHit*>(slots_[n.slot].item)->score, true};
      default: return {};
    }
  }

  std::optional<bool> bool_field(const Node& n) {
    switch (n.field) {
      case Field::kPairNovel: return f_.pair.novel;
      case Field::kVinValid:
        if (d_.transport.vehicle_vin.empty()) return std::nullopt;
        return ids::check_vin(d_.transport.vehicle_vin).has_value();
      default: return std::nullopt;
    }
  }

  Str string_field(const Node& n) {
    switch (n.field) {
      case Field::kReference: return present(d_.reference);
      case Field::kKind: return present(to_string(d_.kind));
      case Field::kMode: return present(to_string(d_.mode));
      case Field::kOffice: return present(d_.office_of_first_entry);
      case Field::kLodgedAt: return present(d_.lodged_at);
      case Field::kLoadingDate: return present(d_.loading_date);
      case Field::kArrivalDate: return present(d_.arrival_date);
      case Field::kRoutingLoading: return present(d_.routing.place_of_loading);
      case Field::kRoutingUnloading: return present(d_.routing.place_of_unloading);
      case Field::kRoutingLoadingCountry:
        return present(std::string_view(d_.routing.place_of_loading).substr(0, 2));
      case Field::kRoutingUnloadingCountry:
        return present(std::string_view(d_.routing.place_of_unloading).substr(0, 2));
      case Field::kVesselImo: return present(d_.transport.vessel_imo);
      case Field::kVesselName: return present(d_.transport.vessel_name);
      case Field::kFlight: return present(d_.transport.flight_number);
      case Field::kPlate: return present(d_.transport.vehicle_plate);
      case Field::kPlateCountry: return present(d_.transport.vehicle_country);
      case Field::kVin: return present(d_.transport.vehicle_vin);
      case Field::kTrailerPlate: return present(d_.transport.trailer_plate);
      case Field::kTrailerCountry: return present(d_.transport.trailer_country);
      case Field::kTrailerVin: return present(d_.transport.trailer_vin);
      case Field::kTransitDeparture:
        return d_.transit ? present(d_.transit->office_of_departure) : Str{};
      case Field::kTransitDestination:
        return d_.transit ? present(d_.transit->office_of_destination) : Str{};
      case Field::kPartyName:
      case Field::kPartyNameOriginal:
      case Field::kPartyCountry:
      case Field::kPartyCity:
      case Field::kPartyEori:
      case Field::kPartyTin:
      case Field::kPartyRole: {
        const Party* p = party(n);
        if (!p) return {};
        switch (n.field) {
          case Field::kPartyName: return present(p->name);
          case Field::kPartyNameOriginal: return present(p->name_original);
          case Field::kPartyCountry: return present(p->address.country);
          case Field::kPartyCity: return present(p->address.city);
          case Field::kPartyEori: return present(p->eori);
          case Field::kPartyTin: return present(p->tin);
          default: return present(to_string(p->role));
        }
      }
      case Field::kGoodsHs: return present(goods(n).hs_code);
      case Field::kGoodsDescription: return present(goods(n).description);
      case Field::kGoodsOrigin: return present(goods(n).origin_country);
      case Field::kGoodsCurrency: return present(goods(n).value.currency);
      case Field::kGoodsPackageKind: return present(goods(n).packages.kind);
      case Field::kHitList:
      case Field::kHitEntry:
      case Field::kHitType:
      case Field::kHitField:
      case Field::kHitRole: {
        const auto& h = *static_cast<const ScreeningHit*>(slots_[n.slot].item);
        switch (n.field) {
          case Field::kHitList: return present(h.list);
          case Field::kHitEntry: return present(h.entry);
          case Field::kHitType: return present(h.type);
          case Field::kHitField: return present(h.field);
          default: return present(h.role);
        }
      }
      case Field::kElement: return present(*static_cast<const std::string*>(slots_[n.slot].item));
      default: return {};
    }
  }

  static bool compare(double a, double b, Cmp cmp) {
    switch (cmp) {
      case Cmp::kEq: return a == b;
      case Cmp::kNe: return a != b;
      case Cmp::kLt: return a < b;
      case Cmp::kLe: return a <= b;
      case Cmp::kGt: return a > b;
      case Cmp::kGe: return a >= b;
    }
    return false;
  }
  static bool compare_result(int c, Cmp cmp) {
    switch (cmp) {
      case Cmp::kEq: return c == 0;
      case Cmp::kNe: return c != 0;
      case Cmp::kLt: return c < 0;
      case Cmp::kLe: return c <= 0;
      case Cmp::kGt: return c > 0;
      case Cmp::kGe: return c >= 0;
    }
    return false;
  }

  static int compare_strings(const Str& a, const Str& b) {
    if (a.transform == 0 && b.transform == 0) {
      const int c = a.s.compare(b.s);
      return c < 0 ? -1 : c > 0 ? 1 : 0;
    }
    const size_t n = std::min(a.s.size(), b.s.size());
    for (size_t i = 0; i < n; ++i) {
      const auto x = static_cast<unsigned char>(transform_char(a.s[i], a.transform));
      const auto y = static_cast<unsigned char>(transform_char(b.s[i], b.transform));
      if (x != y) return x < y ? -1 : 1;
    }
    return a.s.size() < b.s.size() ? -1 : a.s.size() > b.s.size() ? 1 : 0;
  }

  static bool equal_at(const Str& a, size_t offset, const Str& b) {
    for (size_t i = 0; i < b.s.size(); ++i) {
      if (transform_char(a.s[offset + i], a.transform) != transform_char(b.s[i], b.transform))
        return false;
    }
    return true;
  }

  static bool string_test(Op op, const Str& a, const Str& b) {
    if (b.s.size() > a.s.size()) return false;
    switch (op) {
      case Op::kStartsWith: return equal_at(a, 0, b);
      case Op::kEndsWith: return equal_at(a, a.s.size() - b.s.size(), b);
      default:
        if (a.transform == 0 && b.transform == 0) return a.s.find(b.s) != std::string_view::npos;
        for (size_t i = 0; i + b.s.size() <= a.s.size(); ++i) {
          if (equal_at(a, i, b)) return true;
        }
        return false;
    }
  }

  // --- explanations -----------------------------------------------------------------------------

  std::string detail(uint32_t i) {
    const Node& n = p_.nodes[i];
    switch (n.op) {
      case Op::kExists:
      case Op::kExistsOne:
      case Op::kAll:
      case Op::kCount: {
        const Node& list = p_.nodes[n.a];
        std::string out;
        int shown = 0, matched = 0;
        uint32_t index = 0;
        iterate(n, [&] {
          if (boolean(n.b)) {
            if (shown < 5) {
              out += (shown ? ", " : "") + p_.paths[list.path] + "[" + std::to_string(index) + "]";
              ++shown;
            }
            ++matched;
          }
          ++index;
          return true;
        });
        if (matched > shown) out += ", ... (" + std::to_string(matched) + " in all)";
        if (matched == 0) out = "no " + p_.paths[list.path] + " item matches";
        return out;
      }
      case Op::kNot: return detail(n.a);
      default: break;
    }
    // The first field read by the conjunct, with its value.
    if (const Node* field = first_field(i)) {
      return p_.paths[field->path] + " = " + value_text(*field);
    }
    return {};
  }

  const Node* first_field(uint32_t i) {
    const Node& n = p_.nodes[i];
    switch (n.op) {
      case Op::kNumField:
      case Op::kStrField:
      case Op::kBoolField: return n.base == Base::kSlot ? nullptr : &n;
      case Op::kExists:
      case Op::kAll:
      case Op::kExistsOne:
      case Op::kCount:
      case Op::kBoolConst:
      case Op::kNumConst:
      case Op::kStrConst:
      case Op::kListField:
      case Op::kMatches:
        if (n.op == Op::kMatches) return first_field(n.a);
        return nullptr;
      case Op::kAnd:
      case Op::kOr:
      case Op::kMin:
      case Op::kMax:
        for (uint32_t k = 0; k < n.b; ++k) {
          if (const Node* f = first_field(p_.args[n.a + k])) return f;
        }
        return nullptr;
      case Op::kInStrConst:
      case Op::kInNumConst:
      case Op::kNot:
      case Op::kNeg:
      case Op::kAbs:
      case Op::kLower:
      case Op::kUpper:
      case Op::kIsNull:
      case Op::kNotNull:
      case Op::kStrLength:
      case Op::kSize: return first_field(n.a);
      default:
        if (const Node* f = first_field(n.a)) return f;
        return first_field(n.b);
    }
  }

  std::string value_text(const Node& field) {
    switch (field.type) {
      case Type::kNumber: {
        const Num v = number_field(field);
        if (!v.ok) return "missing";
        char buffer[32];
        const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v.v);
        return std::string(buffer, end);
      }
      case Type::kString: {
        const Str v = string_field(field);
        if (!v.ok) return "missing";
        // Built by append: GCC 12 warns (-Wrestrict, a false positive) on "\"" + string.
        std::string quoted;
        quoted.reserve(v.s.size() + 2);
        quoted.append(1, '"').append(v.s).append(1, '"');
        return quoted;
      }
      case Type::kBool: {
        const auto v = bool_field(field);
        return v ? (*v ? "true" : "false") : "missing";
      }
      default: return {};
    }
  }

 private:
  const Program& p_;
  const Facts& f_;
  const Declaration& d_;
  Slot slots_[kMaxSlots];
};

}  // namespace

bool eval_program(const Program& program, const Facts& facts) {
  Evaluator evaluator(program, facts);
  return evaluator.boolean(program.root);
}

Explanation explain_program(const Program& program, const Facts& facts) {
  Evaluator evaluator(program, facts);
  Explanation out;
  out.reserve(program.parts.size());
  for (size_t k = 0; k < program.parts.size(); ++k) {
    ExplanationPart part;
    part.text = program.part_texts[k];
    part.value = evaluator.boolean(program.parts[k]);
    part.detail = evaluator.detail(program.parts[k]);
    out.push_back(std::move(part));
  }
  return out;
}

// Iterative glob with single-star backtracking: O(pattern × text) at worst, no recursion, so a
// hostile pattern cannot stall evaluation the way a backtracking regex can.
bool glob_match(std::string_view pattern, std::string_view text, uint8_t transform) {
  size_t p = 0, t = 0;
  size_t star_p = std::string_view::npos, star_t = 0;
  auto class_match = [&](size_t& pi, char c) -> std::optional<bool> {
    // pattern[pi] == '['; advances pi past ']'
    size_t i = pi + 1;
    bool negate = false;
    if (i < pattern.size() && (pattern[i] == '!' || pattern[i] == '^')) {
      negate = true;
      ++i;
    }
    bool matched = false;
    bool first = true;
    while (i < pattern.size() && (first || pattern[i] != ']')) {
      first = false;
      char lo = pattern[i];
      char hi = lo;
      if (i + 2 < pattern.size() && pattern[i + 1] == '-' && pattern[i + 2] != ']') {
        hi = pattern[i + 2];
        i += 2;
      }
      if (c >= lo && c <= hi) matched = true;
      ++i;
    }
    if (i >= pattern.size()) return std::nullopt;
    pi = i + 1;
    return matched != negate;
  };
  while (t < text.size()) {
    const char c = transform_char(text[t], transform);
    if (p < pattern.size()) {
      const char pc = pattern[p];
      if (pc == '*') {
        star_p = p++;
        star_t = t;
        continue;
      }
      if (pc == '?') {
        ++p;
        ++t;
        continue;
      }
      if (pc == '[') {
        size_t next = p;
        if (auto m = class_match(next, c); m && *m) {
          p = next;
          ++t;
          continue;
        }
      } else if (pc == '\\' && p + 1 < pattern.size()) {
        if (pattern[p + 1] == c) {
          p += 2;
          ++t;
          continue;
        }
      } else if (pc == c) {
        ++p;
        ++t;
        continue;
      }
    }
    if (star_p == std::string_view::npos) return false;
    p = star_p + 1;
    t = ++star_t;
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace internal
}  // namespace cordon::rules
