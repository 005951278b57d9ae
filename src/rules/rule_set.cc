// RuleSet: many profiles evaluated together, with an index that skips the profiles that
// cannot fire.
//
// Each profile is filed under the most selective "required condition" found in its top-level
// conjunction: a condition that is true of every declaration the profile fires on, and cheap
// to test from the declaration alone (an HS prefix of some goods item, an origin, the office,
// a party's country, a routing country, "has screening hits", the mode). Evaluation collects
// the profiles filed under the keys the declaration has, adds the unindexed ones, and runs
// only those. Soundness matters more than reach: a condition is used only where a firing
// profile must meet it (inside && and exists, never under !, all, count or a lone ||).
#include <algorithm>
#include <bit>
#include <unordered_map>

#include "core/time.h"
#include "rules/internal.h"

namespace cordon::rules {

namespace {

using internal::Field;
using internal::Node;
using internal::Op;
using internal::Program;

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using KeyMap = std::unordered_map<std::string, std::vector<uint32_t>, StringHash, std::equal_to<>>;

enum class Family {
  kHsOrigin,
  kHs,
  kOffice,
  kPartyCountry,
  kRouteCountry,
  kOrigin,
  kHits,
  kMode,
  kNone
};

struct Keys {
  Family family = Family::kNone;
  // kPartyCountry: role digit + country ("1IR"); kHsOrigin: prefix + '|' + origin.
  std::vector<std::string> values;
  size_t shortest = 0;  // kHs, kHsOrigin: the shortest prefix, to prefer precise ones
  int slot = -1;        // kHs, kOrigin: the goods macro variable the condition is about
};

// Lower is better: usually the more selective. An HS chapter alone (2 digits) is weaker than
// an office or a party's country.
int rank(const Keys& k) {
  switch (k.family) {
    case Family::kHsOrigin: return 0;
    case Family::kHs: return k.shortest >= 4 ? 1 : 4;
    case Family::kOffice: return 2;
    case Family::kPartyCountry: return 3;
    case Family::kRouteCountry: return 5;
    case Family::kOrigin: return 6;
    case Family::kHits: return 7;
    case Family::kMode: return 8;
    case Family::kNone: return 9;
  }
  return 9;
}

bool better(const Keys& a, const Keys& b) {
  if (rank(a) != rank(b)) return rank(a) < rank(b);
  if (a.family == Family::kHs || a.family == Family::kHsOrigin) {
    if (a.shortest != b.shortest) return a.shortest > b.shortest;
  }
  return a.values.size() < b.values.size();
}

constexpr size_t kMaxHsOriginKeys = 64;

class KeyFinder {
 public:
  explicit KeyFinder(const Program& p) : p_(p) {}

  Keys find(uint32_t i, int goods_slot, int element_slot) {
    const Node& n = p_.nodes[i];
    switch (n.op) {
      case Op::kAnd: {
        Keys best, hs, origin;
        for (uint32_t k = 0; k < n.b; ++k) {
          Keys keys = find(p_.args[n.a + k], goods_slot, element_slot);
          // An HS prefix and an origin required of the same goods item make one, sharper key.
          if (goods_slot >= 0 && keys.slot == goods_slot) {
            if (keys.family == Family::kHs && (hs.family == Family::kNone || better(keys, hs)))
              hs = keys;
            if (keys.family == Family::kOrigin &&
                (origin.family == Family::kNone || better(keys, origin)))
              origin = keys;
          }
          if (keys.family != Family::kNone && (best.family == Family::kNone || better(keys, best)))
            best = std::move(keys);
        }
        if (hs.family == Family::kHs && origin.family == Family::kOrigin &&
            hs.values.size() * origin.values.size() <= kMaxHsOriginKeys) {
          Keys both{Family::kHsOrigin, {}, hs.shortest, -1};
          for (const std::string& prefix : hs.values) {
            for (const std::string& country : origin.values)
              both.values.push_back(prefix + "|" + country);
          }
          return both;
        }
        return best;
      }
      case Op::kOr: {
        Keys all;
        for (uint32_t k = 0; k < n.b; ++k) {
          Keys keys = find(p_.args[n.a + k], goods_slot, element_slot);
          if (keys.family == Family::kNone ||
              (k > 0 && (keys.family != all.family || keys.slot != all.slot)))
            return {};
          if (k == 0) {
            all = std::move(keys);
          } else {
            all.values.insert(all.values.end(), keys.values.begin(), keys.values.end());
            all.shortest = std::min(all.shortest, keys.shortest);
          }
        }
        return all;
      }
      case Op::kExists:
      case Op::kExistsOne: {
        const Node& list = p_.nodes[n.a];
        if (list.base != internal::Base::kRoot) return {};
        if (list.field == Field::kHits) return {Family::kHits, {}, 0};
        if (list.field == Field::kGoods) {
          Keys keys = find(n.b, n.slot, element_slot);
          keys.slot = -1;  // outside the macro, the item is no longer "the same item"
          return keys;
        }
        if (list.field == Field::kRoutingCountries) return find(n.b, goods_slot, n.slot);
        return {};
      }
      case Op::kInStrField: {
        const Node& value = p_.nodes[n.a];
        const Node& list = p_.nodes[n.b];
        if (!n.negate && value.op == Op::kStrConst && list.base == internal::Base::kRoot &&
            list.field == Field::kRoutingCountries) {
          return {Family::kRouteCountry, {p_.strings[value.a]}, 0};
        }
        return {};
      }
      case Op::kCmpStr:
      case Op::kInStrConst:
      case Op::kStartsWith:
      case Op::kMatches: return from_condition(n, goods_slot, element_slot);
      default: return {};
    }
  }

 private:
  const Program& p_;

  // Constants a plain string field must equal (or, for HS codes, start with).
  std::optional<std::vector<std::string>> constants(const Node& n) {
    if (n.op == Op::kCmpStr && n.cmp == internal::Cmp::kEq && p_.nodes[n.b].op == Op::kStrConst) {
      return std::vector<std::string>{p_.strings[p_.nodes[n.b].a]};
    }
    if (n.op == Op::kInStrConst && !n.negate) return p_.string_sets[n.b];
    return std::nullopt;
  }

  Keys from_condition(const Node& n, int goods_slot, int element_slot) {
    const Node& field = p_.nodes[n.a];
    if (field.op != Op::kStrField) return {};  // lower()/upper() or a constant: not indexable
    const bool in_goods = field.base == internal::Base::kSlot && field.slot == goods_slot;
    if (in_goods && field.field == Field::kGoodsHs) {
      std::vector<std::string> prefixes;
      if (n.op == Op::kStartsWith) {
        if (p_.nodes[n.b].op != Op::kStrConst) return {};
        prefixes.push_back(p_.strings[p_.nodes[n.b].a]);
      } else if (n.op == Op::kMatches) {
        const std::string& pattern = p_.strings[n.b];
        const size_t wild = pattern.find_first_of("*?[\\");
        prefixes.push_back(pattern.substr(0, wild));
      } else if (auto values = constants(n)) {
        prefixes = std::move(*values);
      }
      if (prefixes.empty()) return {};
      size_t shortest = SIZE_MAX;
      for (const std::string& s : prefixes) {
        if (s.empty() || s.size() > 63) return {};
        shortest = std::min(shortest, s.size());
      }
      return {Family::kHs, std::move(prefixes), shortest, goods_slot};
    }
    auto values = constants(n);
    if (!values) return {};
    if (in_goods && field.field == Field::kGoodsOrigin)
      return {Family::kOrigin, std::move(*values), 0, goods_slot};
    if (in_goods) return {};
    if (field.base == internal::Base::kSlot && field.slot == element_slot &&
        field.field == Field::kElement) {
      return {Family::kRouteCountry, std::move(*values), 0};
    }
    if (field.base == internal::Base::kRoot && field.field == Field::kMode)
      return {Family::kMode, std::move(*values), 0};
    if (field.base == internal::Base::kRoot && field.field == Field::kOffice)
      return {Family::kOffice, std::move(*values), 0};
    if (field.base == internal::Base::kRole && field.field == Field::kPartyCountry) {
      for (std::string& v : *values) v.insert(v.begin(), static_cast<char>('0' + field.role));
      return {Family::kPartyCountry, std::move(*values), 0};
    }
    return {};
  }
};

}  // namespace

struct RuleSet::Index {
  KeyMap hs, hs_origin;
  uint64_t hs_lengths = 0;  // bit n set: some prefix has n characters
  uint64_t hs_origin_lengths = 0;
  KeyMap origin, office, route;
  std::array<KeyMap, kPartyRoleCount> party_country;
  std::array<std::vector<uint32_t>, 7> mode;
  std::vector<uint32_t> hits, unindexed;
  IndexStats stats;
};

RuleSet::RuleSet() : index_(std::make_unique<Index>()) {}
RuleSet::~RuleSet() = default;
RuleSet::RuleSet(RuleSet&&) noexcept = default;
RuleSet& RuleSet::operator=(RuleSet&&) noexcept = default;

std::expected<RuleSet, std::string> RuleSet::build(std::vector<CompiledProfile> profiles) {
  RuleSet set;
  {
    std::vector<std::string_view> ids;
    for (const CompiledProfile& p : profiles) {
      if (!p.program_) return std::unexpected("a profile was not compiled (default-constructed)");
      ids.push_back(p.metadata().id);
    }
    std::sort(ids.begin(), ids.end());
    if (auto dup = std::adjacent_find(ids.begin(), ids.end()); dup != ids.end()) {
      return std::unexpected("duplicate profile id \"" + std::string(*dup) + "\"");
    }
  }
  set.profiles_ = std::move(profiles);
  Index& index = *set.index_;
  index.stats.profiles = set.profiles_.size();
  for (uint32_t i = 0; i < set.profiles_.size(); ++i) {
    const Program& program = *set.profiles_[i].program_;
    KeyFinder finder(program);
    Keys keys = finder.find(program.root, -1, -1);
    // Constants were checked by the compiler; a mode outside the enum can only come from a
    // disjunction the checker accepted, and costs nothing to leave unindexed.
    std::vector<size_t> modes;
    if (keys.family == Family::kMode) {
      for (const std::string& m : keys.values) {
        const auto mode = parse_transport_mode(m);
        if (!mode) {
          keys.family = Family::kNone;
          break;
        }
        modes.push_back(static_cast<size_t>(*mode));
      }
    }
    std::sort(keys.values.begin(), keys.values.end());
    keys.values.erase(std::unique(keys.values.begin(), keys.values.end()), keys.values.end());
    switch (keys.family) {
      case Family::kHsOrigin:
        for (const std::string& v : keys.values) {
          index.hs_origin[v].push_back(i);
          index.hs_origin_lengths |= uint64_t{1} << v.find('|');
        }
        ++index.stats.by_hs_prefix_and_origin;
        break;
      case Family::kHs:
        for (const std::string& v : keys.values) {
          index.hs[v].push_back(i);
          index.hs_lengths |= uint64_t{1} << v.size();
        }
        ++index.stats.by_hs_prefix;
        break;
      case Family::kOrigin:
        for (const std::string& v : keys.values) index.origin[v].push_back(i);
        ++index.stats.by_origin;
        break;
      case Family::kOffice:
        for (const std::string& v : keys.values) index.office[v].push_back(i);
        ++index.stats.by_office;
        break;
      case Family::kRouteCountry:
        for (const std::string& v : keys.values) index.route[v].push_back(i);
        ++index.stats.by_route_country;
        break;
      case Family::kPartyCountry:
        for (const std::string& v : keys.values) {
          index.party_country[static_cast<size_t>(v[0] - '0')][v.substr(1)].push_back(i);
        }
        ++index.stats.by_party_country;
        break;
      case Family::kMode:
        std::sort(modes.begin(), modes.end());
        modes.erase(std::unique(modes.begin(), modes.end()), modes.end());
        for (size_t m : modes) index.mode[m].push_back(i);
        ++index.stats.by_mode;
        break;
      case Family::kHits:
        index.hits.push_back(i);
        ++index.stats.by_hits;
        break;
      case Family::kNone:
        index.unindexed.push_back(i);
        ++index.stats.unindexed;
        break;
    }
  }
  return set;
}

size_t RuleSet::size() const {
  return profiles_.size();
}
const CompiledProfile& RuleSet::profile(size_t index) const {
  return profiles_.at(index);
}
IndexStats RuleSet::index_stats() const {
  return index_->stats;
}

namespace {

// Candidates are bits in a bitmap (one per profile): marking is O(1), duplicates vanish, and
// reading the words in order yields rule-set order without sorting.
void mark(std::vector<uint64_t>& bits, const std::vector<uint32_t>& profiles) {
  for (uint32_t i : profiles) bits[i >> 6] |= uint64_t{1} << (i & 63);
}

void mark(std::vector<uint64_t>& bits, const KeyMap& map, std::string_view key) {
  if (map.empty() || key.empty()) return;
  if (auto it = map.find(key); it != map.end()) mark(bits, it->second);
}

}  // namespace

void RuleSet::evaluate(const Facts& facts, RuleSetResult& out,
                       const EvaluateOptions& options) const {
  out.fired.clear();
  out.candidates = 0;
  out.total_weight = 0;
  out.channel = Channel::kGreen;
  std::vector<uint64_t>& bits = out.scratch;
  bits.assign((profiles_.size() + 63) / 64, 0);
  const Declaration& d = *facts.declaration;
  const Index& index = *index_;

  if (options.use_index) {
    mark(bits, index.unindexed);
    for (const GoodsItem& g : d.goods) {
      if (index.hs_lengths != 0) {
        const std::string_view hs = g.hs_code;
        for (size_t len = 1; len <= hs.size() && len < 64; ++len) {
          if (index.hs_lengths & (uint64_t{1} << len)) mark(bits, index.hs, hs.substr(0, len));
        }
      }
      mark(bits, index.origin, g.origin_country);
      if (index.hs_origin_lengths != 0 && g.origin_country.size() <= 8) {
        // prefix|origin in a stack buffer: no allocation per lookup.
        char key[64 + 1 + 8];
        const std::string_view hs = g.hs_code;
        for (size_t len = 1; len <= hs.size() && len < 64; ++len) {
          if (!(index.hs_origin_lengths & (uint64_t{1} << len))) continue;
          std::copy_n(hs.data(), len, key);
          key[len] = '|';
          std::copy_n(g.origin_country.data(), g.origin_country.size(), key + len + 1);
          mark(bits, index.hs_origin, std::string_view(key, len + 1 + g.origin_country.size()));
        }
      }
    }
    mark(bits, index.mode[static_cast<size_t>(d.mode)]);
    mark(bits, index.office, d.office_of_first_entry);
    for (const std::string& c : d.routing.countries) mark(bits, index.route, c);
    for (const Party& p : d.parties) {
      mark(bits, index.party_country[static_cast<size_t>(p.role)], p.address.country);
    }
    if (!d.declarant.name.empty()) {
      mark(bits, index.party_country[static_cast<size_t>(PartyRole::kDeclarant)],
           d.declarant.address.country);
    }
    if (!facts.hits.empty()) mark(bits, index.hits);
  } else {
    for (size_t i = 0; i < profiles_.size(); ++i) bits[i >> 6] |= uint64_t{1} << (i & 63);
  }

  std::optional<int64_t> day = facts.as_of_day;
  if (!day && d.lodged_at.size() >= 10)
    day = parse_date(std::string_view(d.lodged_at).substr(0, 10));

  for (size_t w = 0; w < bits.size(); ++w) {
    for (uint64_t word = bits[w]; word != 0; word &= word - 1) {
      const uint32_t i =
          static_cast<uint32_t>(w * 64 + static_cast<size_t>(std::countr_zero(word)));
      ++out.candidates;
      const CompiledProfile& profile = profiles_[i];
      const Program& program = *profile.program_;
      if (program.valid_from || program.valid_to) {
        if (!day || !profile.valid_on(*day)) continue;
      }
      if (!internal::eval_program(program, facts)) continue;
      Firing firing;
      firing.index = i;
      firing.id = program.metadata.id;
      firing.version = program.metadata.version;
      firing.weight = program.metadata.weight;
      firing.channel = program.metadata.minimum_channel;
      firing.risk_area = program.metadata.risk_area;
      if (options.explain) firing.explanation = internal::explain_program(program, facts);
      out.total_weight += firing.weight;
      out.channel = std::max(out.channel, firing.channel);
      out.fired.push_back(std::move(firing));
    }
  }
}

RuleSetResult RuleSet::evaluate(const Facts& facts, const EvaluateOptions& options) const {
  RuleSetResult result;
  evaluate(facts, result, options);
  return result;
}

}  // namespace cordon::rules
