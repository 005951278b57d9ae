// The declaration schema as the language sees it, the type checker, and the compiler from the
// syntax tree to the flat node program the evaluator runs. All names are resolved here so that
// evaluation never looks anything up by name.
#include <algorithm>
#include <set>
#include <span>

#include "core/identifiers.h"
#include "rules/internal.h"

namespace cordon::rules {
namespace internal {
namespace {

struct FieldSpec {
  std::string_view name;
  Field field;
  Type type;
};

constexpr FieldSpec kRootFields[] = {
    {"reference", Field::kReference, Type::kString},
    {"kind", Field::kKind, Type::kString},
    {"mode", Field::kMode, Type::kString},
    {"office", Field::kOffice, Type::kString},
    {"lodged_at", Field::kLodgedAt, Type::kString},
    {"loading_date", Field::kLoadingDate, Type::kString},
    {"arrival_date", Field::kArrivalDate, Type::kString},
    {"voyage_days", Field::kVoyageDays, Type::kNumber},
    {"total_value", Field::kTotalValue, Type::kNumber},
    {"total_gross_mass", Field::kTotalGrossMass, Type::kNumber},
    {"goods", Field::kGoods, Type::kGoodsList},
    {"parties", Field::kParties, Type::kPartyList},
    {"hits", Field::kHits, Type::kHitList},
    {"routing.countries", Field::kRoutingCountries, Type::kStringList},
    {"routing.loading", Field::kRoutingLoading, Type::kString},
    {"routing.unloading", Field::kRoutingUnloading, Type::kString},
    {"routing.loading_country", Field::kRoutingLoadingCountry, Type::kString},
    {"routing.unloading_country", Field::kRoutingUnloadingCountry, Type::kString},
    {"transport.vessel_imo", Field::kVesselImo, Type::kString},
    {"transport.vessel_name", Field::kVesselName, Type::kString},
    {"transport.flight", Field::kFlight, Type::kString},
    {"transport.plate", Field::kPlate, Type::kString},
    {"transport.plate_country", Field::kPlateCountry, Type::kString},
    {"transport.vin", Field::kVin, Type::kString},
    {"transport.vin_valid", Field::kVinValid, Type::kBool},
    {"transport.trailer_plate", Field::kTrailerPlate, Type::kString},
    {"transport.trailer_country", Field::kTrailerCountry, Type::kString},
    {"transport.trailer_vin", Field::kTrailerVin, Type::kString},
    {"pair.novel", Field::kPairNovel, Type::kBool},
    {"pair.first_seen_days", Field::kPairFirstSeenDays, Type::kNumber},
    {"pair.declarations_seen", Field::kPairDeclarationsSeen, Type::kNumber},
    {"transit.office_of_departure", Field::kTransitDeparture, Type::kString},
    {"transit.office_of_destination", Field::kTransitDestination, Type::kString},
    {"transit.offices_of_transit", Field::kTransitOffices, Type::kStringList},
    {"transit.seals", Field::kTransitSeals, Type::kStringList},
};

constexpr FieldSpec kPartyFields[] = {
    {"name", Field::kPartyName, Type::kString},
    {"name_original", Field::kPartyNameOriginal, Type::kString},
    {"country", Field::kPartyCountry, Type::kString},
    {"city", Field::kPartyCity, Type::kString},
    {"eori", Field::kPartyEori, Type::kString},
    {"tin", Field::kPartyTin, Type::kString},
    {"role", Field::kPartyRole, Type::kString},
    {"first_seen_days", Field::kPartyFirstSeenDays, Type::kNumber},
    {"declarations_seen", Field::kPartyDeclarationsSeen, Type::kNumber},
    {"controls", Field::kPartyControls, Type::kNumber},
    {"control_hit_rate", Field::kPartyHitRate, Type::kNumber},
};

constexpr FieldSpec kGoodsFields[] = {
    {"hs", Field::kGoodsHs, Type::kString},
    {"description", Field::kGoodsDescription, Type::kString},
    {"origin", Field::kGoodsOrigin, Type::kString},
    {"gross_mass", Field::kGoodsGrossMass, Type::kNumber},
    {"net_mass", Field::kGoodsNetMass, Type::kNumber},
    {"value", Field::kGoodsValue, Type::kNumber},
    {"currency", Field::kGoodsCurrency, Type::kString},
    {"packages", Field::kGoodsPackages, Type::kNumber},
    {"package_kind", Field::kGoodsPackageKind, Type::kString},
    {"containers", Field::kGoodsContainers, Type::kStringList},
    {"value_per_kg", Field::kGoodsValuePerKg, Type::kNumber},
    {"value_per_kg_ratio", Field::kGoodsValuePerKgRatio, Type::kNumber},
};

constexpr FieldSpec kHitFields[] = {
    {"list", Field::kHitList, Type::kString},   {"entry", Field::kHitEntry, Type::kString},
    {"type", Field::kHitType, Type::kString},   {"score", Field::kHitScore, Type::kNumber},
    {"field", Field::kHitField, Type::kString}, {"role", Field::kHitRole, Type::kString},
};

struct RoleName {
  std::string_view name;
  PartyRole role;
};
constexpr RoleName kRoles[] = {
    {"consignor", PartyRole::kConsignor}, {"consignee", PartyRole::kConsignee},
    {"declarant", PartyRole::kDeclarant}, {"carrier", PartyRole::kCarrier},
    {"notify", PartyRole::kNotifyParty},  {"buyer", PartyRole::kBuyer},
    {"seller", PartyRole::kSeller},
};

constexpr std::string_view kMacros[] = {"exists", "all", "exists_one", "count"};
constexpr std::string_view kFunctions[] = {"size", "abs", "min", "max"};

std::span<const FieldSpec> element_fields(Type element) {
  switch (element) {
    case Type::kGoods: return kGoodsFields;
    case Type::kParty: return kPartyFields;
    case Type::kHit: return kHitFields;
    default: return {};
  }
}

Type element_type(Type collection) {
  switch (collection) {
    case Type::kGoodsList: return Type::kGoods;
    case Type::kPartyList: return Type::kParty;
    case Type::kHitList: return Type::kHit;
    case Type::kStringList: return Type::kString;
    default: return Type::kError;
  }
}

bool is_scalar(Type t) {
  return t == Type::kBool || t == Type::kNumber || t == Type::kString;
}
bool is_collection(Type t) {
  return t == Type::kGoodsList || t == Type::kPartyList || t == Type::kHitList ||
         t == Type::kStringList;
}

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

// Names within a small edit distance, closest first; when none is close, names that share the
// last segment ("hs" for "goods.hs").
std::vector<std::string> close_names(std::string_view wanted,
                                     const std::vector<std::string>& names) {
  std::vector<std::pair<size_t, std::string>> scored;
  const size_t limit = std::max<size_t>(2, wanted.size() / 3);
  for (const std::string& n : names) {
    const size_t d = edit_distance(wanted, n);
    if (d <= limit) scored.emplace_back(d, n);
  }
  if (scored.empty()) {
    const size_t dot = wanted.rfind('.');
    const std::string_view last = dot == std::string_view::npos ? wanted : wanted.substr(dot + 1);
    for (const std::string& n : names) {
      const size_t ndot = n.rfind('.');
      const std::string_view nlast =
          ndot == std::string::npos ? std::string_view(n) : std::string_view(n).substr(ndot + 1);
      const size_t d = edit_distance(last, nlast);
      if (d <= std::max<size_t>(1, last.size() / 4)) scored.emplace_back(d + 10, n);
    }
  }
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> out;
  for (auto& [d, n] : scored) {
    if (out.size() == 4) break;
    out.push_back(std::move(n));
  }
  return out;
}

// The constants an enumerated or coded field can take, checked at compile time so that a
// misspelt constant ("ship") is an error instead of a profile that never fires.
std::optional<std::string> check_constant(Field field, std::string_view value) {
  auto one_of = [&](const std::vector<std::string_view>& names,
                    std::string_view what) -> std::optional<std::string> {
    if (std::find(names.begin(), names.end(), value) != names.end()) return std::nullopt;
    std::string message =
        "\"" + std::string(value) + "\" is not a " + std::string(what) + "; one of:";
    for (size_t i = 0; i < names.size(); ++i) message += (i ? ", " : " ") + std::string(names[i]);
    return message;
  };
  switch (field) {
    case Field::kMode: return one_of(transport_mode_names(), "transport mode");
    case Field::kKind: return one_of(declaration_kind_names(), "declaration kind");
    case Field::kPartyRole:
    case Field::kHitRole: return one_of(party_role_names(), "party role");
    case Field::kPartyCountry:
    case Field::kGoodsOrigin:
    case Field::kPlateCountry:
    case Field::kTrailerCountry:
    case Field::kRoutingLoadingCountry:
    case Field::kRoutingUnloadingCountry:
      if (auto check = ids::check_country(value); !check) {
        return "\"" + std::string(value) + "\" is not an ISO 3166 alpha-2 country code";
      }
      return std::nullopt;
    case Field::kGoodsCurrency:
      if (auto check = ids::check_currency(value); !check) {
        return "\"" + std::string(value) + "\" is not an ISO 4217 currency code";
      }
      return std::nullopt;
    case Field::kGoodsHs:
      if (value.empty() ||
          !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return "\"" + std::string(value) + "\" is not an HS code (digits only)";
      }
      return std::nullopt;
    default: return std::nullopt;
  }
}

// Source text with comments removed and whitespace collapsed, for messages and explanations.
std::string collapse(std::string_view text) {
  std::string out;
  char quote = 0;
  bool space = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quote) {
      out += c;
      if (c == '\\' && i + 1 < text.size())
        out += text[++i];
      else if (c == quote)
        quote = 0;
      continue;
    }
    if (c == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
      space = true;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    if (c == '"' || c == '\'') quote = c;
    out += c;
  }
  return out;
}

class Compiler {
 public:
  Compiler(std::string_view source, Program& program) : source_(source), p_(program) {}

  Diagnostics run(const Ast& ast) {
    collect_macro_variables(ast);
    const Result root = compile(ast);
    if (root.type != Type::kError && root.type != Type::kBool) {
      error(ast, "a profile is a condition (true or false), but this is " + describe(root.type) +
                     "; compare it with something");
    }
    if (diags_.empty()) {
      p_.root = root.node;
      const Node& r = p_.nodes[root.node];
      if ((r.op == Op::kAnd || r.op == Op::kOr) && ast.kind != AstKind::kBinary) {
        for (uint32_t i = 0; i < r.b; ++i) {
          p_.parts.push_back(p_.args[r.a + i]);
          const Ast& child = ast.children[i];
          p_.part_texts.push_back(collapse(source_.substr(child.begin, child.end - child.begin)));
        }
      } else {
        p_.parts.push_back(root.node);
        p_.part_texts.push_back(collapse(source_.substr(ast.begin, ast.end - ast.begin)));
      }
      p_.fields_used.assign(used_.begin(), used_.end());
      order_by_cost();
    }
    std::stable_sort(diags_.begin(), diags_.end(), [](const Diagnostic& a, const Diagnostic& b) {
      return std::tie(a.line, a.column) < std::tie(b.line, b.column);
    });
    if (truncated_) {
      Diagnostic more;
      more.field = "profile";
      more.message =
          "too many errors; only the first " + std::to_string(kMaxDiagnostics) + " are shown";
      diags_.push_back(std::move(more));
    }
    return std::move(diags_);
  }

 private:
  struct Result {
    Type type = Type::kError;
    uint32_t node = 0;
    int32_t const_set = -1;  // list literals
    bool constant = false;   // a literal (after folding a unary minus)
  };
  struct Variable {
    std::string name;
    Type type;  // element type
    uint8_t slot;
    std::string collection;  // display name of the collection ("goods")
  };

  std::string_view source_;
  Program& p_;
  Diagnostics diags_;
  std::vector<Variable> vars_;
  std::set<std::string> macro_variable_names_;
  std::set<std::string> used_;
  bool truncated_ = false;

  // && and || stop at the first deciding operand, and operands have no side effects and
  // cannot fail, so evaluating cheap ones first (a field comparison before a loop over goods)
  // changes nothing but speed. Explanations keep the source order (Program::parts).
  void order_by_cost() {
    std::vector<uint32_t> cost(p_.nodes.size());
    for (size_t i = 0; i < p_.nodes.size(); ++i) {  // children precede parents
      const Node& n = p_.nodes[i];
      uint32_t c = 1;
      switch (n.op) {
        case Op::kBoolConst:
        case Op::kNumConst:
        case Op::kStrConst: c = 0; break;
        case Op::kAnd:
        case Op::kOr:
        case Op::kMin:
        case Op::kMax:
          c = 0;
          for (uint32_t k = 0; k < n.b; ++k) c += cost[p_.args[n.a + k]];
          break;
        case Op::kExists:
        case Op::kAll:
        case Op::kExistsOne:
        case Op::kCount: c = 8 + 4 * cost[n.b]; break;
        case Op::kNumField:
        case Op::kStrField:
        case Op::kBoolField:
        case Op::kListField:
          c = (n.field == Field::kVoyageDays || n.field == Field::kTotalValue ||
               n.field == Field::kTotalGrossMass || n.field == Field::kVinValid)
                  ? 4
                  : 1;
          break;
        case Op::kMatches:
        case Op::kInStrConst:
        case Op::kInNumConst: c = 3 + cost[n.a]; break;
        case Op::kNot:
        case Op::kNeg:
        case Op::kAbs:
        case Op::kLower:
        case Op::kUpper:
        case Op::kIsNull:
        case Op::kNotNull:
        case Op::kStrLength:
        case Op::kSize: c = 1 + cost[n.a]; break;
        default:  // binary operators over two child nodes
          c = 1 + cost[n.a] + cost[n.b] +
              (n.op == Op::kContains || n.op == Op::kInStrField ? 2 : 0);
      }
      cost[i] = c;
    }
    for (const Node& n : p_.nodes) {
      if (n.op != Op::kAnd && n.op != Op::kOr) continue;
      auto begin = p_.args.begin() + n.a;
      std::stable_sort(begin, begin + n.b,
                       [&](uint32_t x, uint32_t y) { return cost[x] < cost[y]; });
    }
  }

  std::string text_of(const Ast& a) const {
    std::string t = collapse(source_.substr(a.begin, a.end - a.begin));
    if (t.size() > 60) t = t.substr(0, 57) + "...";
    return t;
  }

  static std::string describe(Type t) {
    switch (t) {
      case Type::kBool: return "a boolean";
      case Type::kNumber: return "a number";
      case Type::kString: return "a string";
      case Type::kNull: return "null";
      case Type::kStringList: return "a list of strings";
      case Type::kNumberList: return "a list of numbers";
      case Type::kGoodsList: return "a list of goods items";
      case Type::kPartyList: return "a list of parties";
      case Type::kHitList: return "a list of screening hits";
      case Type::kGoods: return "a goods item";
      case Type::kParty: return "a party";
      case Type::kHit: return "a screening hit";
      case Type::kError: return "invalid";
    }
    return "?";
  }

  // Beyond this many, more diagnostics help nobody and cost quadratic time (fuzzing found it).
  static constexpr size_t kMaxDiagnostics = 50;
  bool full() const { return diags_.size() >= kMaxDiagnostics; }

  void error(const Ast& at, std::string message, std::vector<std::string> suggestions = {}) {
    if (full()) {
      truncated_ = true;
      return;
    }
    // One diagnostic per position: later ones at the same place are consequences.
    for (const Diagnostic& d : diags_) {
      if (d.line == at.line && d.column == at.column) return;
    }
    diags_.push_back(
        make_diagnostic(source_, at.line, at.column, std::move(message), std::move(suggestions)));
  }

  uint32_t emit(const Node& node) {
    if (p_.nodes.size() >= kMaxNodes) {
      throw std::length_error("profile compiles to more than " + std::to_string(kMaxNodes) +
                              " nodes");
    }
    p_.nodes.push_back(node);
    return static_cast<uint32_t>(p_.nodes.size() - 1);
  }

  uint32_t intern_path(std::string path) {
    p_.paths.push_back(std::move(path));
    return static_cast<uint32_t>(p_.paths.size() - 1);
  }

  void collect_macro_variables(const Ast& a) {
    if (a.kind == AstKind::kMethod && a.children.size() >= 2 &&
        a.children[1].kind == AstKind::kIdent &&
        std::find(std::begin(kMacros), std::end(kMacros), a.text) != std::end(kMacros)) {
      macro_variable_names_.insert(a.children[1].text);
    }
    for (const Ast& c : a.children) collect_macro_variables(c);
  }

  Result compile(const Ast& a) {
    switch (a.kind) {
      case AstKind::kNumber: {
        Node n{.op = Op::kNumConst, .type = Type::kNumber};
        n.number = a.number;
        return {Type::kNumber, emit(n), -1, true};
      }
      case AstKind::kString: {
        p_.strings.push_back(a.text);
        Node n{.op = Op::kStrConst, .type = Type::kString};
        n.a = static_cast<uint32_t>(p_.strings.size() - 1);
        return {Type::kString, emit(n), -1, true};
      }
      case AstKind::kBool: {
        Node n{.op = Op::kBoolConst, .type = Type::kBool};
        n.number = a.boolean ? 1 : 0;
        return {Type::kBool, emit(n), -1, true};
      }
      case AstKind::kNull: return {Type::kNull, 0, -1, true};
      case AstKind::kList: return compile_list(a);
      case AstKind::kIdent:
      case AstKind::kMember: return compile_path(a);
      case AstKind::kCall: return compile_call(a);
      case AstKind::kMethod: return compile_method(a);
      case AstKind::kUnary: return compile_unary(a);
      case AstKind::kBinary: return compile_binary(a);
      case AstKind::kAnd:
      case AstKind::kOr: {
        std::vector<uint32_t> children;
        bool ok = true;
        for (const Ast& c : a.children) {
          const Result r = compile(c);
          if (r.type == Type::kError) {
            ok = false;
            continue;
          }
          if (r.type != Type::kBool) {
            error(c, std::string(a.kind == AstKind::kAnd ? "&&" : "||") +
                         " needs conditions on both sides, but " + text_of(c) + " is " +
                         describe(r.type));
            ok = false;
            continue;
          }
          children.push_back(r.node);
        }
        if (!ok) return {};
        Node n{.op = a.kind == AstKind::kAnd ? Op::kAnd : Op::kOr, .type = Type::kBool};
        n.a = static_cast<uint32_t>(p_.args.size());
        n.b = static_cast<uint32_t>(children.size());
        p_.args.insert(p_.args.end(), children.begin(), children.end());
        return {Type::kBool, emit(n)};
      }
    }
    return {};
  }

  Result compile_list(const Ast& a) {
    if (a.children.empty()) {
      error(a, "an empty list never matches; list at least one value");
      return {};
    }
    std::vector<std::string> strings;
    std::vector<double> numbers;
    for (const Ast& c : a.children) {
      const Ast* item = &c;
      double sign = 1;
      if (c.kind == AstKind::kUnary && c.text == "-" && c.children[0].kind == AstKind::kNumber) {
        item = &c.children[0];
        sign = -1;
      }
      if (item->kind == AstKind::kString) {
        strings.push_back(item->text);
      } else if (item->kind == AstKind::kNumber) {
        numbers.push_back(sign * item->number);
      } else {
        error(c, "list items must be literal strings or numbers, not " + text_of(c));
        return {};
      }
    }
    if (!strings.empty() && !numbers.empty()) {
      error(a, "a list holds either strings or numbers, not both");
      return {};
    }
    Result r;
    if (!strings.empty()) {
      std::sort(strings.begin(), strings.end());
      strings.erase(std::unique(strings.begin(), strings.end()), strings.end());
      p_.string_sets.push_back(std::move(strings));
      r.type = Type::kStringList;
      r.const_set = static_cast<int32_t>(p_.string_sets.size() - 1);
    } else {
      std::sort(numbers.begin(), numbers.end());
      p_.number_sets.push_back(std::move(numbers));
      r.type = Type::kNumberList;
      r.const_set = static_cast<int32_t>(p_.number_sets.size() - 1);
    }
    r.constant = true;
    return r;
  }

  std::vector<std::string> known_paths() const {
    std::vector<std::string> names;
    for (const FieldSpec& f : kRootFields) names.emplace_back(f.name);
    for (const RoleName& r : kRoles) {
      for (const FieldSpec& f : kPartyFields) {
        if (f.field != Field::kPartyRole)
          names.push_back(std::string(r.name) + "." + std::string(f.name));
      }
    }
    for (const Variable& v : vars_) {
      names.push_back(v.name);
      for (const FieldSpec& f : element_fields(v.type))
        names.push_back(v.name + "." + std::string(f.name));
    }
    return names;
  }

  Node field_node(const FieldSpec& spec, Base base, uint8_t slot_or_role, std::string path) {
    Node n;
    n.type = spec.type;
    n.field = spec.field;
    n.base = base;
    if (base == Base::kSlot) n.slot = slot_or_role;
    if (base == Base::kRole) n.role = slot_or_role;
    switch (spec.type) {
      case Type::kBool: n.op = Op::kBoolField; break;
      case Type::kNumber: n.op = Op::kNumField; break;
      case Type::kString: n.op = Op::kStrField; break;
      default: n.op = Op::kListField; break;
    }
    n.path = intern_path(std::move(path));
    return n;
  }

  Result compile_path(const Ast& a) {
    std::vector<const Ast*> chain;
    const Ast* cur = &a;
    while (cur->kind == AstKind::kMember) {
      chain.push_back(cur);
      cur = &cur->children[0];
    }
    if (cur->kind != AstKind::kIdent) {
      // (expr).field or x.lower().field: fields belong to names, not to computed values.
      const Result inner = compile(*cur);
      if (inner.type == Type::kError) return {};
      error(*chain.back(),
            "'" + chain.back()->text + "' is not a field of " + describe(inner.type));
      return {};
    }
    std::string path = cur->text;
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) path += "." + (*it)->text;
    const Ast& report = chain.empty() ? *cur : *chain.front();

    // A macro variable, innermost first.
    for (auto v = vars_.rbegin(); v != vars_.rend(); ++v) {
      if (v->name != cur->text) continue;
      if (chain.empty()) {
        if (v->type == Type::kString) {
          Node n{.op = Op::kStrField, .type = Type::kString};
          n.field = Field::kElement;
          n.base = Base::kSlot;
          n.slot = v->slot;
          n.path = intern_path(v->name);
          return {Type::kString, emit(n)};
        }
        return {v->type, 0};  // usable only as the subject of a field access
      }
      if (chain.size() == 1) {
        for (const FieldSpec& f : element_fields(v->type)) {
          if (f.name == chain[0]->text) {
            used_.insert(v->collection + "." + std::string(f.name));
            return {f.type, emit(field_node(f, Base::kSlot, v->slot, path))};
          }
        }
      }
      unknown_field(report, path);
      return {};
    }

    for (const RoleName& r : kRoles) {
      if (r.name != cur->text || chain.size() != 1) continue;
      for (const FieldSpec& f : kPartyFields) {
        if (f.name == chain[0]->text) {
          used_.insert(path);
          return {f.type, emit(field_node(f, Base::kRole, static_cast<uint8_t>(r.role), path))};
        }
      }
    }
    for (const FieldSpec& f : kRootFields) {
      if (f.name == path) {
        used_.insert(path);
        return {f.type, emit(field_node(f, Base::kRoot, 0, path))};
      }
    }
    unknown_field(report, path);
    return {};
  }

  void unknown_field(const Ast& at, const std::string& path) {
    if (full()) {
      truncated_ = true;
      return;
    }
    const size_t dot = path.find('.');
    const std::string head = path.substr(0, dot);
    for (const FieldSpec& f : kRootFields) {
      if (f.name == head && element_type(f.type) != Type::kError && dot != std::string::npos) {
        const std::string var = head == "goods"     ? "g"
                                : head == "hits"    ? "h"
                                : head == "parties" ? "p"
                                                    : "x";
        error(at, head + " is " + describe(f.type) + "; read its items inside a macro, e.g. " +
                      head + ".exists(" + var + ", " + var + path.substr(dot) + " ...)");
        return;
      }
    }
    const bool bound =
        std::any_of(vars_.begin(), vars_.end(), [&](const Variable& v) { return v.name == head; });
    if (!bound && macro_variable_names_.count(head)) {
      error(at, "'" + head +
                    "' is a macro variable and exists only inside its macro, e.g. goods.exists(" +
                    head + ", ...)");
      return;
    }
    std::vector<std::string> suggestions = close_names(path, known_paths());
    std::string message = "unknown field " + path;
    if (!suggestions.empty()) {
      message += " (did you mean ";
      for (size_t i = 0; i < suggestions.size(); ++i) message += (i ? ", " : "") + suggestions[i];
      message += "?)";
    }
    error(at, std::move(message), std::move(suggestions));
  }

  Result compile_call(const Ast& a) {
    const std::string& name = a.text;
    const size_t argc = a.children.size();
    if (std::find(std::begin(kMacros), std::end(kMacros), name) != std::end(kMacros)) {
      error(a, name + " is a method of a list: write goods." + name + "(g, ...)");
      return {};
    }
    if (name == "size") {
      if (argc != 1) {
        error(a, "size takes 1 argument, got " + std::to_string(argc));
        return {};
      }
      return compile_size(a, a.children[0]);
    }
    if (name == "abs") {
      if (argc != 1) {
        error(a, "abs takes 1 argument, got " + std::to_string(argc));
        return {};
      }
      const Result x = compile(a.children[0]);
      if (x.type == Type::kError) return {};
      if (x.type != Type::kNumber) {
        error(a.children[0],
              "abs needs a number, but " + text_of(a.children[0]) + " is " + describe(x.type));
        return {};
      }
      Node n{.op = Op::kAbs, .type = Type::kNumber};
      n.a = x.node;
      return {Type::kNumber, emit(n)};
    }
    if (name == "min" || name == "max") {
      if (argc < 2) {
        error(a, name + " takes 2 or more arguments, got " + std::to_string(argc));
        return {};
      }
      std::vector<uint32_t> children;
      bool ok = true;
      for (const Ast& c : a.children) {
        const Result x = compile(c);
        if (x.type == Type::kError) {
          ok = false;
          continue;
        }
        if (x.type != Type::kNumber) {
          error(c, name + " needs numbers, but " + text_of(c) + " is " + describe(x.type));
          ok = false;
          continue;
        }
        children.push_back(x.node);
      }
      if (!ok) return {};
      Node n{.op = name == "min" ? Op::kMin : Op::kMax, .type = Type::kNumber};
      n.a = static_cast<uint32_t>(p_.args.size());
      n.b = static_cast<uint32_t>(children.size());
      p_.args.insert(p_.args.end(), children.begin(), children.end());
      return {Type::kNumber, emit(n)};
    }
    std::vector<std::string> names(std::begin(kFunctions), std::end(kFunctions));
    std::vector<std::string> suggestions = close_names(name, names);
    error(a,
          "unknown function " + name + "; functions are size, abs, min, max" +
              (suggestions.empty() ? "" : " (did you mean " + suggestions[0] + "?)"),
          suggestions);
    return {};
  }

  Result compile_size(const Ast& at, const Ast& subject) {
    const Result x = compile(subject);
    if (x.type == Type::kError) return {};
    Node n{.type = Type::kNumber};
    n.a = x.node;
    if (x.type == Type::kString) {
      n.op = Op::kStrLength;
    } else if (is_collection(x.type)) {
      n.op = Op::kSize;
    } else {
      error(at, "size needs a string or a list field, but " + text_of(subject) + " is " +
                    describe(x.type));
      return {};
    }
    return {Type::kNumber, emit(n)};
  }

  Result compile_method(const Ast& a) {
    const std::string& name = a.text;
    const Ast& object = a.children[0];
    const size_t argc = a.children.size() - 1;
    if (std::find(std::begin(kMacros), std::end(kMacros), name) != std::end(kMacros)) {
      return compile_macro(a);
    }
    if (name == "size") {
      if (argc != 0) {
        error(a, "size() takes no arguments");
        return {};
      }
      return compile_size(a, object);
    }
    const Result x = compile(object);
    if (x.type == Type::kError) return {};
    if (x.type == Type::kString) {
      if (name == "lower" || name == "upper") {
        if (argc != 0) {
          error(a, name + "() takes no arguments");
          return {};
        }
        Node n{.op = name == "lower" ? Op::kLower : Op::kUpper, .type = Type::kString};
        n.a = x.node;
        return {Type::kString, emit(n)};
      }
      if (name == "startsWith" || name == "endsWith" || name == "contains" || name == "matches") {
        if (argc != 1) {
          error(a, name + " takes 1 argument, got " + std::to_string(argc));
          return {};
        }
        const Ast& arg_ast = a.children[1];
        const Result arg = compile(arg_ast);
        if (arg.type == Type::kError) return {};
        if (arg.type != Type::kString) {
          error(arg_ast, name + " needs a string argument, but " + text_of(arg_ast) + " is " +
                             describe(arg.type));
          return {};
        }
        Node n{.type = Type::kBool};
        n.a = x.node;
        n.b = arg.node;
        if (name == "matches") {
          if (p_.nodes[arg.node].op != Op::kStrConst) {
            error(arg_ast,
                  "matches needs a literal pattern (it is checked when the profile is compiled)");
            return {};
          }
          n.op = Op::kMatches;
          n.b = p_.nodes[arg.node].a;  // the pattern's string index
          if (auto problem = check_glob(p_.strings[n.b])) {
            error(arg_ast, *problem);
            return {};
          }
        } else {
          n.op = name == "startsWith" ? Op::kStartsWith
                 : name == "endsWith" ? Op::kEndsWith
                                      : Op::kContains;
        }
        return {Type::kBool, emit(n)};
      }
      method_error(a, x.type,
                   {"startsWith", "endsWith", "contains", "matches", "lower", "upper", "size"});
      return {};
    }
    if (x.type == Type::kStringList && name == "contains") {
      if (argc != 1) {
        error(a, "contains takes 1 argument, got " + std::to_string(argc));
        return {};
      }
      const Result arg = compile(a.children[1]);
      if (arg.type == Type::kError) return {};
      if (arg.type != Type::kString) {
        error(a.children[1], "contains on a list of strings needs a string");
        return {};
      }
      Node n{.op = Op::kInStrField, .type = Type::kBool};
      n.a = arg.node;
      n.b = x.node;
      return {Type::kBool, emit(n)};
    }
    if (is_collection(x.type)) {
      method_error(
          a, x.type,
          x.type == Type::kStringList
              ? std::vector<std::string>{"exists", "all", "exists_one", "count", "size", "contains"}
              : std::vector<std::string>{"exists", "all", "exists_one", "count", "size"});
      return {};
    }
    method_error(a, x.type, {});
    return {};
  }

  void method_error(const Ast& a, Type type, const std::vector<std::string>& methods) {
    std::string message = "no method " + a.text + " on " + describe(type);
    std::vector<std::string> suggestions = close_names(a.text, methods);
    if (!suggestions.empty()) message += " (did you mean " + suggestions[0] + "?)";
    if (!methods.empty()) {
      message += "; methods:";
      for (size_t i = 0; i < methods.size(); ++i) message += (i ? ", " : " ") + methods[i];
    }
    error(a, std::move(message), std::move(suggestions));
  }

  static std::optional<std::string> check_glob(std::string_view pattern) {
    // Matching costs up to pattern × text steps; customs patterns are short.
    if (pattern.size() > 256) return "pattern longer than 256 characters";
    for (size_t i = 0; i < pattern.size(); ++i) {
      if (pattern[i] == '\\') {
        if (++i == pattern.size()) return "pattern ends with a lone backslash";
      } else if (pattern[i] == '[') {
        const size_t close = pattern.find(']', i + 2);
        if (close == std::string_view::npos) return "'[' in pattern without a closing ']'";
        i = close;
      }
    }
    return std::nullopt;
  }

  Result compile_macro(const Ast& a) {
    const std::string& name = a.text;
    const size_t argc = a.children.size() - 1;
    if (argc != 2) {
      error(a, name + " takes 2 arguments, a variable name and a condition: " + name +
                   "(g, g.hs.startsWith(\"24\")); got " + std::to_string(argc));
      return {};
    }
    const Ast& var = a.children[1];
    if (var.kind != AstKind::kIdent) {
      error(var, "the first argument of " + name + " is a new variable name, e.g. g");
      return {};
    }
    const Result collection = compile(a.children[0]);
    if (collection.type == Type::kError) return {};
    if (!is_collection(collection.type)) {
      error(a, name + " needs a list field, but " + text_of(a.children[0]) + " is " +
                   describe(collection.type));
      return {};
    }
    for (const FieldSpec& f : kRootFields) {
      if (f.name == var.text) {
        error(var, "'" + var.text + "' is a field name; choose another variable name");
        return {};
      }
    }
    for (const RoleName& r : kRoles) {
      if (r.name == var.text) {
        error(var, "'" + var.text + "' is a party name; choose another variable name");
        return {};
      }
    }
    for (const Variable& v : vars_) {
      if (v.name == var.text) {
        error(var, "'" + var.text + "' is already the variable of an enclosing macro");
        return {};
      }
    }
    if (vars_.size() >= static_cast<size_t>(kMaxSlots)) {
      error(a, "macros nested deeper than " + std::to_string(kMaxSlots) +
                   " levels (each level multiplies the work by the length of its list)");
      return {};
    }
    const uint8_t slot = static_cast<uint8_t>(vars_.size());
    std::string collection_name = p_.paths[p_.nodes[collection.node].path];
    if (const size_t dot = collection_name.find('.'); dot != std::string::npos) {
      // g.containers inside goods.exists(g, ...) is "goods.containers" in fields_used.
      for (const Variable& v : vars_) {
        if (collection_name.compare(0, dot, v.name) == 0)
          collection_name = v.collection + collection_name.substr(dot);
      }
    }
    vars_.push_back({var.text, element_type(collection.type), slot, collection_name});
    const Result pred = compile(a.children[2]);
    vars_.pop_back();
    if (pred.type == Type::kError) return {};
    if (pred.type != Type::kBool) {
      error(a.children[2], "the condition of " + name + " must be true or false, but " +
                               text_of(a.children[2]) + " is " + describe(pred.type));
      return {};
    }
    Node n{.type = name == "count" ? Type::kNumber : Type::kBool};
    n.op = name == "exists"       ? Op::kExists
           : name == "all"        ? Op::kAll
           : name == "exists_one" ? Op::kExistsOne
                                  : Op::kCount;
    n.a = collection.node;
    n.b = pred.node;
    n.slot = slot;
    return {n.type, emit(n)};
  }

  Result compile_unary(const Ast& a) {
    const Result x = compile(a.children[0]);
    if (x.type == Type::kError) return {};
    if (a.text == "!") {
      if (x.type != Type::kBool) {
        error(a, "! needs a condition, but " + text_of(a.children[0]) + " is " + describe(x.type));
        return {};
      }
      Node n{.op = Op::kNot, .type = Type::kBool};
      n.a = x.node;
      return {Type::kBool, emit(n)};
    }
    if (x.type != Type::kNumber) {
      error(a, "- needs a number, but " + text_of(a.children[0]) + " is " + describe(x.type));
      return {};
    }
    if (x.constant) {
      p_.nodes[x.node].number = -p_.nodes[x.node].number;
      return x;
    }
    Node n{.op = Op::kNeg, .type = Type::kNumber};
    n.a = x.node;
    return {Type::kNumber, emit(n)};
  }

  static Cmp mirror(Cmp c) {
    switch (c) {
      case Cmp::kLt: return Cmp::kGt;
      case Cmp::kLe: return Cmp::kGe;
      case Cmp::kGt: return Cmp::kLt;
      case Cmp::kGe: return Cmp::kLe;
      default: return c;
    }
  }

  // Constants compared with enumerated or coded fields must be possible values.
  void check_constant_against(const Ast& at, uint32_t field_node, uint32_t const_node) {
    const Node& f = p_.nodes[field_node];
    const Node& c = p_.nodes[const_node];
    if (f.op != Op::kStrField || c.op != Op::kStrConst) return;
    if (auto problem = check_constant(f.field, p_.strings[c.a])) error(at, *problem);
  }

  Result compile_binary(const Ast& a) {
    const std::string& op = a.text;
    const Ast& lhs_ast = a.children[0];
    const Ast& rhs_ast = a.children[1];
    Result lhs = compile(lhs_ast);
    Result rhs = compile(rhs_ast);
    if (lhs.type == Type::kError || rhs.type == Type::kError) return {};

    if (op == "+" || op == "-" || op == "*" || op == "/") {
      for (const auto& [r, ast] : {std::pair{lhs, &lhs_ast}, std::pair{rhs, &rhs_ast}}) {
        if (r.type != Type::kNumber) {
          error(a, "'" + op + "' needs numbers, but " + text_of(*ast) + " is " + describe(r.type));
          return {};
        }
      }
      Node n{.type = Type::kNumber};
      n.op = op == "+" ? Op::kAdd : op == "-" ? Op::kSub : op == "*" ? Op::kMul : Op::kDiv;
      n.a = lhs.node;
      n.b = rhs.node;
      return {Type::kNumber, emit(n)};
    }

    if (op == "in" || op == "not in") {
      Node n{.type = Type::kBool};
      n.negate = op == "not in";
      n.a = lhs.node;
      if (lhs.type == Type::kString && rhs.type == Type::kStringList && rhs.const_set >= 0) {
        n.op = Op::kInStrConst;
        n.b = static_cast<uint32_t>(rhs.const_set);
        for (const std::string& s : p_.string_sets[n.b]) {
          const Node& f = p_.nodes[lhs.node];
          if (f.op == Op::kStrField) {
            if (auto problem = check_constant(f.field, s)) {
              error(a, *problem);
              return {};
            }
          }
        }
      } else if (lhs.type == Type::kNumber && rhs.type == Type::kNumberList) {
        n.op = Op::kInNumConst;
        n.b = static_cast<uint32_t>(rhs.const_set);
      } else if (lhs.type == Type::kString && rhs.type == Type::kStringList) {
        n.op = Op::kInStrField;
        n.b = rhs.node;
      } else {
        error(
            a,
            "'" + op +
                "' needs a string or number on the left and a list of the same on the right, but " +
                text_of(lhs_ast) + " is " + describe(lhs.type) + " and " + text_of(rhs_ast) +
                " is " + describe(rhs.type));
        return {};
      }
      return {Type::kBool, emit(n)};
    }
    if (lhs.const_set >= 0 || rhs.const_set >= 0) {
      error(a, "a list can only follow 'in' or 'not in'");
      return {};
    }

    static const std::pair<std::string_view, Cmp> kCmps[] = {{"==", Cmp::kEq}, {"!=", Cmp::kNe},
                                                             {"<", Cmp::kLt},  {"<=", Cmp::kLe},
                                                             {">", Cmp::kGt},  {">=", Cmp::kGe}};
    Cmp cmp = Cmp::kEq;
    for (const auto& [text, c] : kCmps) {
      if (text == op) cmp = c;
    }
    const bool equality = cmp == Cmp::kEq || cmp == Cmp::kNe;
    if (lhs.type == Type::kNull || rhs.type == Type::kNull) {
      const Result& other = lhs.type == Type::kNull ? rhs : lhs;
      if (!equality) {
        error(a, "null can only be compared with == or !=");
        return {};
      }
      if (other.type == Type::kNull) {
        error(a, "comparing null with null is always true; compare a field");
        return {};
      }
      if (!is_scalar(other.type)) {
        error(a, "only fields that hold a value can be null, but " +
                     text_of(lhs.type == Type::kNull ? rhs_ast : lhs_ast) + " is " +
                     describe(other.type) + (is_collection(other.type) ? "; use size() == 0" : ""));
        return {};
      }
      Node n{.op = cmp == Cmp::kEq ? Op::kIsNull : Op::kNotNull, .type = Type::kBool};
      n.a = other.node;
      return {Type::kBool, emit(n)};
    }
    if (lhs.type != rhs.type || !is_scalar(lhs.type)) {
      std::string message = "cannot compare " + describe(lhs.type) + " with " + describe(rhs.type) +
                            ": " + text_of(lhs_ast) + " is " + describe(lhs.type) + ", " +
                            text_of(rhs_ast) + " is " + describe(rhs.type);
      if (lhs.type == Type::kGoods || rhs.type == Type::kGoods || lhs.type == Type::kParty ||
          rhs.type == Type::kParty || lhs.type == Type::kHit || rhs.type == Type::kHit) {
        message += " (compare one of its fields)";
      } else if (lhs.type == Type::kString && rhs.type == Type::kNumber && rhs.constant) {
        message += " (quote the number: \"" + text_of(rhs_ast) + "\")";
      }
      error(a, std::move(message));
      return {};
    }
    if (lhs.type == Type::kBool && !equality) {
      error(a, "booleans can only be compared with == or !=");
      return {};
    }
    // Constants on the right: the index and the explanations look for "field op constant".
    if (lhs.constant && !rhs.constant) {
      std::swap(lhs, rhs);
      cmp = mirror(cmp);
    }
    if (lhs.type == Type::kString) check_constant_against(a, lhs.node, rhs.node);
    Node n{.type = Type::kBool};
    n.op = lhs.type == Type::kNumber   ? Op::kCmpNum
           : lhs.type == Type::kString ? Op::kCmpStr
                                       : Op::kCmpBool;
    n.cmp = cmp;
    n.a = lhs.node;
    n.b = rhs.node;
    return {Type::kBool, emit(n)};
  }
};

}  // namespace

std::string_view type_name(Type type) {
  switch (type) {
    case Type::kBool: return "bool";
    case Type::kNumber: return "number";
    case Type::kString: return "string";
    case Type::kNull: return "null";
    case Type::kStringList: return "list<string>";
    case Type::kNumberList: return "list<number>";
    case Type::kGoodsList: return "list<goods>";
    case Type::kPartyList: return "list<party>";
    case Type::kHitList: return "list<hit>";
    case Type::kGoods: return "goods";
    case Type::kParty: return "party";
    case Type::kHit: return "hit";
    case Type::kError: return "error";
  }
  return "?";
}

}  // namespace internal

std::vector<SchemaField> schema_fields() {
  using namespace internal;
  auto type_text = [](Type t) -> std::string {
    switch (t) {
      case Type::kBool: return "boolean";
      case Type::kNumber: return "number";
      case Type::kString: return "text";
      case Type::kStringList: return "list of texts";
      case Type::kGoodsList: return "list of goods items";
      case Type::kPartyList: return "list of parties";
      case Type::kHitList: return "list of screening hits";
      default: return std::string(type_name(t));
    }
  };
  std::vector<SchemaField> out;
  for (const FieldSpec& f : kRootFields) {
    out.push_back({std::string(f.name), type_text(f.type)});
    const std::span<const FieldSpec> items = element_fields(element_type(f.type));
    for (const FieldSpec& item : items) {
      out.push_back({std::string(f.name) + "[]." + std::string(item.name), type_text(item.type)});
    }
  }
  for (const RoleName& r : kRoles) {
    for (const FieldSpec& f : kPartyFields) {
      out.push_back({std::string(r.name) + "." + std::string(f.name), type_text(f.type)});
    }
  }
  return out;
}

namespace internal {

Diagnostics compile_ast(const Ast& ast, Program& program) {
  Compiler compiler(program.source, program);
  try {
    return compiler.run(ast);
  } catch (const std::length_error& e) {
    return {make_diagnostic(program.source, 1, 1, e.what())};
  }
}

}  // namespace internal
}  // namespace cordon::rules
