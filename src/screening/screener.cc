// The Screener: lists, candidate index, exclusions and the scoring of candidates.
//
// Index layout (all under one shared_mutex: readers share it, a writer takes it alone and
// updates only what an import changed):
//   token dictionary   every distinct normalised name token, with its posting list (slots)
//   phonetic map       phonetic key -> dictionary tokens
//   deletion map       every one-character deletion of a dictionary token -> tokens, so that a
//                      query token with one typo still finds the listed token (symmetric
//                      deletion: substitutions and transpositions give a common deletion)
//   identifier maps    exact normalised identifier -> slots; deletions of plates, VINs,
//                      containers and IMO numbers -> slots, for one-character near misses
// A query name collects the postings of every dictionary token its tokens reach, counts per
// slot how many query tokens reached it, and scores only the slots reached often enough.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <unordered_map>
#include <unordered_set>

#include "core/identifiers.h"
#include "screening/matcher.h"
#include "screening/normalize.h"
#include "screening/screening.h"

namespace cordon::screening {

using detail::Token;
using detail::TokenKind;

namespace {

constexpr std::size_t kMaxPostingsPerGroup = 4000;  // a token this common does not select
constexpr std::size_t kMaxScoredPerName = 400;     // best-covered candidates scored per query name
constexpr std::size_t kMinNearMissLength = 5;

struct DictToken {
  Token token;
  std::vector<uint32_t> postings;  // slots, ascending not guaranteed
};

struct Slot {
  std::shared_ptr<const WatchlistEntity> entity;
  std::vector<std::vector<uint32_t>> names;  // dictionary token ids per name, for scoring
  std::vector<uint32_t> posted;              // distinct dictionary ids posted for this slot
  std::vector<uint64_t> exact_keys;
  std::vector<uint64_t> near_keys;
  bool live = false;
};

struct ListInfo {
  int64_t version = 0;
  std::unordered_map<std::string, uint32_t> ids;  // entity id -> slot
};

char identifier_class(IdentifierType type) {
  switch (type) {
    case IdentifierType::kPlate: return 'P';
    case IdentifierType::kVin: return 'V';
    case IdentifierType::kContainer: return 'C';
    case IdentifierType::kImo: return 'I';
    case IdentifierType::kPassport:
    case IdentifierType::kNationalId:
    case IdentifierType::kDocument: return 'D';
    case IdentifierType::kEori: return 'E';
    case IdentifierType::kTin: return 'T';
    case IdentifierType::kAircraftTail: return 'A';
    case IdentifierType::kOther: return 'O';
  }
  return 'O';
}

bool near_miss_class(char c) { return c == 'P' || c == 'V' || c == 'C' || c == 'I'; }

uint64_t identifier_key(char cls, std::string_view value, uint64_t seed) {
  std::string k;
  k.reserve(value.size() + 1);
  k.push_back(cls);
  k.append(value);
  return detail::hash_bytes(k, seed);
}

constexpr uint64_t kExactSeed = 1, kNearSeed = 2, kTokenDeletionSeed = 3;

std::vector<std::string> deletions(std::string_view s) {
  std::vector<std::string> out;
  out.reserve(s.size() + 1);
  out.emplace_back(s);
  for (std::size_t i = 0; i < s.size(); ++i) {
    std::string d(s);
    d.erase(i, 1);
    if (std::ranges::find(out, d) == out.end()) out.push_back(std::move(d));
  }
  return out;
}

std::string format_score(double v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

std::string reviewed_key(std::string_view list, std::string_view id, std::string_view value) {
  std::string k(list);
  k += '\x1f';
  k += id;
  k += '\x1f';
  k += value;
  return k;
}

const std::vector<std::string_view>& default_exclusions() {
  static const std::vector<std::string_view> values = {
      "UNKNOWN", "N A",     "NA",     "NONE",    "NIL",   "TO ORDER", "TO THE ORDER", "ORDER",  "TO ORDER OF",
      "BEARER",  "TBA",     "TBC",    "XXX",     "SAME AS CONSIGNEE", "MERCEDES", "MERCEDES BENZ", "DAF", "VOLVO",
      "SCANIA",  "MAN",     "IVECO",  "RENAULT", "KRONE", "SCHMITZ", "SCHMITZ CARGOBULL", "KOEGEL", "TRAILER",
      "TRUCK",   "PRIVATE", "PRIVATE PERSON",   "CONSIGNEE", "SHIPPER", "CARRIER", "0",
  };
  return values;
}

// Persons keep words that look like legal forms ("AS" is a name too); organisations lose them.
void adapt_tokens_to_type(std::vector<Token>& tokens, std::optional<EntityType> type) {
  if (type != EntityType::kPerson) return;
  for (auto& t : tokens) {
    if (t.kind == TokenKind::kLegalForm && t.text != "IP") {
      t.kind = t.text.size() == 1 ? TokenKind::kInitial : TokenKind::kNormal;
      t.weight = detail::weight_of(t.kind);
    }
  }
}

bool name_type(EntityType t) { return t == EntityType::kPerson || t == EntityType::kOrganisation; }

bool type_compatible(std::optional<EntityType> query, EntityType entity) {
  if (!query) return name_type(entity);
  if (name_type(*query)) return name_type(entity);  // sole proprietors are listed as persons
  return *query == entity;
}

struct QueryName {
  std::string normalised;
  std::vector<Token> tokens;
  std::vector<const Token*> pointers;
};

struct Candidate {
  double name_score = 0;
  int query_name = -1;
  int entity_name = -1;
  double id_score = 0;
  std::string id_field;      // "vin", "plate", ...
  std::string id_listed;     // listed value
  std::string id_query;      // normalised query value
  std::string id_note;       // "equal", "one-character substitution"
};

}  // namespace

struct Screener::State {
  mutable std::shared_mutex mutex;
  std::vector<Slot> slots;
  std::vector<uint32_t> free_slots;
  int64_t live_count = 0;
  std::deque<DictToken> tokens;
  std::unordered_map<std::string, uint32_t> token_ids;
  std::unordered_map<std::string, std::vector<uint32_t>> phonetic;
  std::unordered_map<uint64_t, std::vector<uint32_t>> token_deletions;
  std::unordered_multimap<uint64_t, uint32_t> exact_ids;
  std::unordered_multimap<uint64_t, uint32_t> near_ids;
  std::map<std::string, ListInfo, std::less<>> lists;
  std::set<std::string, std::less<>> exclusions;
  std::set<std::string, std::less<>> reviewed;
  std::vector<ReviewedFalsePositive> reviewed_list;

  // --- writers (REQUIRES: exclusive lock) ---

  // Joined pairs ("JINPING") are reached exactly only: their typos are the parts' typos.
  uint32_t intern(Token token, bool joined = false) {
    auto it = token_ids.find(token.text);
    if (it != token_ids.end()) return it->second;
    const auto id = static_cast<uint32_t>(tokens.size());
    token_ids.emplace(token.text, id);
    if (!token.phonetic.empty() && !joined) phonetic[token.phonetic].push_back(id);
    if (token.text.size() >= 4 && !joined) {
      for (const auto& d : deletions(token.text)) token_deletions[detail::hash_bytes(d, kTokenDeletionSeed)].push_back(id);
    }
    tokens.push_back({std::move(token), {}});
    return id;
  }

  uint32_t add_entity(std::shared_ptr<const WatchlistEntity> entity) {
    uint32_t slot_id;
    if (!free_slots.empty()) {
      slot_id = free_slots.back();
      free_slots.pop_back();
    } else {
      slot_id = static_cast<uint32_t>(slots.size());
      slots.emplace_back();
    }
    Slot& slot = slots[slot_id];
    slot = Slot{};
    slot.entity = std::move(entity);
    slot.live = true;
    ++live_count;
    const WatchlistEntity& e = *slot.entity;
    std::vector<uint32_t> posted;
    for (const auto& n : e.names) {
      auto toks = detail::tokenize_name(normalize_name(n.name));
      adapt_tokens_to_type(toks, e.type);
      if (toks.size() > 24) toks.resize(24);
      std::vector<uint32_t> ids;
      for (std::size_t i = 0; i < toks.size(); ++i) {
        const bool postable = toks[i].kind != TokenKind::kLegalForm;
        // Adjacent pairs are posted joined too, so "XI JINPING" reaches "XI JIN PING".
        if (postable && i + 1 < toks.size() && toks[i + 1].kind != TokenKind::kLegalForm &&
            toks[i].kind != TokenKind::kInitial && toks[i + 1].kind != TokenKind::kInitial) {
          Token joined;
          joined.text = toks[i].text + toks[i + 1].text;
          joined.phonetic = detail::phonetic_key(joined.text);
          joined.kind = TokenKind::kNormal;
          joined.weight = 1;
          posted.push_back(intern(std::move(joined), true));
        }
        const uint32_t id = intern(toks[i]);
        ids.push_back(id);
        if (postable) posted.push_back(id);
      }
      slot.names.push_back(std::move(ids));
    }
    std::ranges::sort(posted);
    posted.erase(std::unique(posted.begin(), posted.end()), posted.end());
    for (uint32_t t : posted) tokens[t].postings.push_back(slot_id);
    slot.posted = std::move(posted);
    for (const auto& ident : e.identifiers) {
      const char cls = identifier_class(ident.type);
      const std::string v = normalize_identifier(ident.type, ident.value);
      if (v.empty()) continue;
      const uint64_t k = identifier_key(cls, v, kExactSeed);
      exact_ids.emplace(k, slot_id);
      slot.exact_keys.push_back(k);
      if (near_miss_class(cls) && v.size() >= kMinNearMissLength) {
        for (const auto& d : deletions(v)) {
          const uint64_t nk = identifier_key(cls, d, kNearSeed);
          near_ids.emplace(nk, slot_id);
          slot.near_keys.push_back(nk);
        }
      }
    }
    return slot_id;
  }

  static void erase_one(std::unordered_multimap<uint64_t, uint32_t>& map, uint64_t key, uint32_t slot) {
    auto [lo, hi] = map.equal_range(key);
    for (auto it = lo; it != hi; ++it) {
      if (it->second == slot) {
        map.erase(it);
        return;
      }
    }
  }

  void remove_slot(uint32_t slot_id) {
    Slot& slot = slots[slot_id];
    if (!slot.live) return;
    for (uint32_t t : slot.posted) {
      auto& p = tokens[t].postings;
      if (auto it = std::ranges::find(p, slot_id); it != p.end()) {
        *it = p.back();
        p.pop_back();
      }
    }
    for (uint64_t k : slot.exact_keys) erase_one(exact_ids, k, slot_id);
    for (uint64_t k : slot.near_keys) erase_one(near_ids, k, slot_id);
    slot = Slot{};
    free_slots.push_back(slot_id);
    --live_count;
  }

  // --- readers (REQUIRES: shared lock) ---

  void token_view(uint32_t slot_id, std::size_t name, std::vector<const Token*>& out) const {
    out.clear();
    for (uint32_t t : slots[slot_id].names[name]) out.push_back(&tokens[t].token);
  }

  // Dictionary tokens a query token reaches: itself, same phonetic key, one edit away.
  void reach(const Token& q, bool exact_only, std::vector<uint32_t>& out) const {
    out.clear();
    if (auto it = token_ids.find(q.text); it != token_ids.end()) out.push_back(it->second);
    if (q.kind == TokenKind::kInitial || exact_only) return;
    if (q.phonetic.size() >= 3) {
      if (auto it = phonetic.find(q.phonetic); it != phonetic.end()) {
        for (uint32_t t : it->second) {
          if (detail::jaro_winkler(tokens[t].token.text, q.text) >= 0.6) out.push_back(t);
        }
      }
    }
    if (q.text.size() >= 4) {
      // One deletion on each side finds substitutions, transpositions and single insertions;
      // two on the query side find a listed token with two letters fewer.
      auto probe = [&](const std::string& d) {
        auto it = token_deletions.find(detail::hash_bytes(d, kTokenDeletionSeed));
        if (it == token_deletions.end()) return;
        for (uint32_t t : it->second) {
          if (detail::edit_distance(tokens[t].token.text, q.text, 2) <= 2) out.push_back(t);
        }
      };
      for (const auto& d : deletions(q.text)) {
        probe(d);
        if (auto it = token_ids.find(d); it != token_ids.end()) out.push_back(it->second);
        if (q.text.size() >= 7 && d.size() < q.text.size()) {
          for (std::size_t i = 0; i < d.size(); ++i) {
            std::string dd = d;
            dd.erase(i, 1);
            probe(dd);
          }
        }
      }
    }
    std::ranges::sort(out);
    out.erase(std::unique(out.begin(), out.end()), out.end());
  }
};

Screener::Screener(ScreenerOptions options) : options_(options), state_(std::make_unique<State>()) {
  for (auto v : default_exclusions()) state_->exclusions.insert(std::string(v));
}
Screener::~Screener() = default;

// --- writers -------------------------------------------------------------------------------

ImportReport Screener::import_list(std::string_view list, std::vector<WatchlistEntity> entities) {
  ImportReport report;
  report.list = std::string(list);
  std::unordered_map<std::string, WatchlistEntity> incoming;
  for (auto& e : entities) {
    if (e.list.empty()) e.list = std::string(list);
    if (e.list != list) e.list = std::string(list);
    std::string id = e.id;
    incoming.insert_or_assign(std::move(id), std::move(e));
  }
  std::unique_lock lock(state_->mutex);
  ListInfo& info = state_->lists[std::string(list)];
  // Removed.
  std::vector<std::string> gone;
  for (const auto& [id, slot] : info.ids) {
    if (!incoming.contains(id)) gone.push_back(id);
  }
  std::ranges::sort(gone);
  for (const auto& id : gone) {
    state_->remove_slot(info.ids[id]);
    info.ids.erase(id);
    report.removed_ids.push_back(id);
  }
  std::vector<std::string> order;
  order.reserve(incoming.size());
  for (const auto& [id, e] : incoming) order.push_back(id);
  std::ranges::sort(order);
  for (const auto& id : order) {
    auto& e = incoming[id];
    auto it = info.ids.find(id);
    if (it != info.ids.end()) {
      if (*state_->slots[it->second].entity == e) continue;
      state_->remove_slot(it->second);
      it->second = state_->add_entity(std::make_shared<const WatchlistEntity>(std::move(e)));
      ++report.changed;
    } else {
      info.ids.emplace(id, state_->add_entity(std::make_shared<const WatchlistEntity>(std::move(e))));
      ++report.added;
    }
    report.changed_ids.push_back(id);
  }
  report.removed = static_cast<int64_t>(report.removed_ids.size());
  if (report.added + report.changed + report.removed > 0 || info.version == 0) ++info.version;
  report.version = info.version;
  report.entity_count = static_cast<int64_t>(info.ids.size());
  return report;
}

ImportReport Screener::upsert(std::vector<WatchlistEntity> entities) {
  ImportReport report;
  std::unique_lock lock(state_->mutex);
  std::set<std::string> touched;
  for (auto& e : entities) {
    ListInfo& info = state_->lists[e.list];
    touched.insert(e.list);
    report.list = e.list;
    auto it = info.ids.find(e.id);
    std::string id = e.id;
    if (it != info.ids.end()) {
      if (*state_->slots[it->second].entity == e) continue;
      state_->remove_slot(it->second);
      it->second = state_->add_entity(std::make_shared<const WatchlistEntity>(std::move(e)));
      ++report.changed;
    } else {
      info.ids.emplace(id, state_->add_entity(std::make_shared<const WatchlistEntity>(std::move(e))));
      ++report.added;
    }
    report.changed_ids.push_back(std::move(id));
  }
  for (const auto& l : touched) {
    auto& info = state_->lists[l];
    if (report.added + report.changed > 0) ++info.version;
    report.version = info.version;
    report.entity_count = static_cast<int64_t>(info.ids.size());
  }
  return report;
}

ImportReport Screener::remove(std::string_view list, std::span<const std::string> ids) {
  ImportReport report;
  report.list = std::string(list);
  std::unique_lock lock(state_->mutex);
  auto lit = state_->lists.find(list);
  if (lit == state_->lists.end()) return report;
  for (const auto& id : ids) {
    auto it = lit->second.ids.find(id);
    if (it == lit->second.ids.end()) continue;
    state_->remove_slot(it->second);
    lit->second.ids.erase(it);
    report.removed_ids.push_back(id);
  }
  report.removed = static_cast<int64_t>(report.removed_ids.size());
  if (report.removed > 0) ++lit->second.version;
  report.version = lit->second.version;
  report.entity_count = static_cast<int64_t>(lit->second.ids.size());
  return report;
}

void Screener::drop_list(std::string_view list) {
  std::unique_lock lock(state_->mutex);
  auto lit = state_->lists.find(list);
  if (lit == state_->lists.end()) return;
  for (const auto& [id, slot] : lit->second.ids) state_->remove_slot(slot);
  state_->lists.erase(lit);
}

void Screener::add_exclusion(std::string_view value) {
  std::string v = normalize_name(value);
  if (v.empty()) return;
  std::unique_lock lock(state_->mutex);
  state_->exclusions.insert(std::move(v));
}

void Screener::remove_exclusion(std::string_view value) {
  std::unique_lock lock(state_->mutex);
  state_->exclusions.erase(normalize_name(value));
}

std::vector<std::string> Screener::exclusions() const {
  std::shared_lock lock(state_->mutex);
  return {state_->exclusions.begin(), state_->exclusions.end()};
}

void Screener::add_reviewed_false_positive(ReviewedFalsePositive reviewed) {
  std::unique_lock lock(state_->mutex);
  auto key = reviewed_key(reviewed.list, reviewed.entity_id, reviewed.query_value);
  if (state_->reviewed.insert(key).second) state_->reviewed_list.push_back(std::move(reviewed));
}

void Screener::remove_reviewed_false_positive(const ReviewedFalsePositive& reviewed) {
  std::unique_lock lock(state_->mutex);
  state_->reviewed.erase(reviewed_key(reviewed.list, reviewed.entity_id, reviewed.query_value));
  std::erase(state_->reviewed_list, reviewed);
}

std::vector<ReviewedFalsePositive> Screener::reviewed_false_positives() const {
  std::shared_lock lock(state_->mutex);
  return state_->reviewed_list;
}

// --- readers -------------------------------------------------------------------------------

std::vector<ListStatus> Screener::lists() const {
  std::shared_lock lock(state_->mutex);
  std::vector<ListStatus> out;
  for (const auto& [name, info] : state_->lists) {
    out.push_back({name, info.version, static_cast<int64_t>(info.ids.size())});
  }
  return out;
}

std::shared_ptr<const WatchlistEntity> Screener::find_entity(std::string_view list, std::string_view id) const {
  std::shared_lock lock(state_->mutex);
  auto lit = state_->lists.find(list);
  if (lit == state_->lists.end()) return nullptr;
  auto it = lit->second.ids.find(std::string(id));
  if (it == lit->second.ids.end()) return nullptr;
  return state_->slots[it->second].entity;
}

Screener::Stats Screener::stats() const {
  std::shared_lock lock(state_->mutex);
  return {state_->live_count, static_cast<int64_t>(state_->tokens.size()),
          static_cast<int64_t>(state_->exact_ids.size() + state_->near_ids.size())};
}

namespace {

// Supporting evidence: returns the change to a name score and appends its reasons.
double weigh_evidence(const ScreeningQuery& q, const WatchlistEntity& e, std::string& notes,
                      bool* strong_identifier) {
  double delta = 0;
  auto note = [&notes](std::string_view s) {
    if (!notes.empty()) notes += "; ";
    notes += s;
  };
  // Date of birth.
  if (!q.date_of_birth.empty() && !e.dates_of_birth.empty()) {
    bool exact = false, year = false;
    for (const auto& d : e.dates_of_birth) {
      if (d == q.date_of_birth) exact = true;
      else if (d.size() >= 4 && q.date_of_birth.size() >= 4 && d.substr(0, 4) == q.date_of_birth.substr(0, 4)) year = true;
    }
    if (exact) { delta += 0.06; note("date of birth equal"); }
    else if (year) { delta += 0.02; note("year of birth equal"); }
    else { delta -= 0.15; note("date of birth differs"); }
  }
  // Country.
  if (!q.country.empty()) {
    bool known = false, equal = false;
    auto see = [&](const std::string& c) {
      if (c.empty()) return;
      known = true;
      if (c == q.country) equal = true;
    };
    for (const auto& c : e.nationalities) see(c);
    for (const auto& a : e.addresses) see(a.country);
    if (equal) { delta += 0.03; note("country equal"); }
    else if (known) { delta -= 0.03; note("country differs"); }
  }
  // Address.
  if (!q.address.empty() && !e.addresses.empty()) {
    const auto qa = detail::tokenize_name(normalize_name(q.address));
    double best = 0;
    for (const auto& a : e.addresses) {
      const auto ea = detail::tokenize_name(normalize_name(a.text));
      if (ea.empty() || qa.empty()) continue;
      std::size_t common = 0;
      for (const auto& t : qa) {
        if (std::ranges::any_of(ea, [&](const Token& u) { return u.text == t.text; })) ++common;
      }
      best = std::max(best, static_cast<double>(common) / static_cast<double>(std::max(qa.size(), ea.size())));
    }
    if (best >= 0.6) { delta += 0.06; note("address similar"); }
    else if (best < 0.2) { delta -= 0.02; note("address differs"); }
  }
  // Identifiers that belong to persons and companies.
  for (const auto& qi : q.identifiers) {
    const char cls = identifier_class(qi.type);
    if (cls != 'E' && cls != 'T' && cls != 'D') continue;
    const std::string qv = normalize_identifier(qi.type, qi.value);
    if (qv.empty()) continue;
    bool same_type = false, equal = false;
    for (const auto& ei : e.identifiers) {
      if (identifier_class(ei.type) != cls) continue;
      same_type = true;
      if (normalize_identifier(ei.type, ei.value) == qv) equal = true;
    }
    if (equal) {
      *strong_identifier = true;
      note(std::string(to_string(qi.type)) + " equal");
    } else if (same_type) {
      // Companies with the same name in one country are common; a different registration
      // number says it is another one.
      delta -= 0.25;
      note(std::string(to_string(qi.type)) + " differs");
    }
  }
  return delta;
}

}  // namespace

namespace {

std::vector<Hit> run_screen(const Screener::State& s, const ScreenerOptions& options, const ScreeningQuery& q,
                            const std::unordered_set<uint32_t>* filter, bool brute) {
  std::unordered_map<uint32_t, Candidate> candidates;
  auto allowed = [&](uint32_t slot) {
    return s.slots[slot].live && (filter == nullptr || filter->contains(slot));
  };

  // Names.
  std::vector<QueryName> names;
  const bool wants_names = !q.type || name_type(*q.type) || *q.type == EntityType::kVessel ||
                           *q.type == EntityType::kAircraft;
  if (wants_names) {
    auto add_name = [&](const std::string& raw) {
      if (raw.empty()) return;
      QueryName qn;
      qn.normalised = normalize_name(raw);
      if (qn.normalised.empty() || s.exclusions.contains(qn.normalised)) return;
      for (const auto& other : names) {
        if (other.normalised == qn.normalised) return;
      }
      qn.tokens = detail::tokenize_name(qn.normalised);
      adapt_tokens_to_type(qn.tokens, q.type);
      if (qn.tokens.size() > 24) qn.tokens.resize(24);
      for (const auto& t : qn.tokens) qn.pointers.push_back(&t);
      names.push_back(std::move(qn));
    };
    add_name(q.name);
    for (const auto& n : q.other_names) add_name(n);
  }

  std::vector<const Token*> view;
  auto score_slot_names = [&](uint32_t slot_id) {
    const Slot& slot = s.slots[slot_id];
    if (!type_compatible(q.type, slot.entity->type)) return;
    Candidate& c = candidates[slot_id];
    for (std::size_t qi = 0; qi < names.size(); ++qi) {
      for (std::size_t ni = 0; ni < slot.names.size(); ++ni) {
        s.token_view(slot_id, ni, view);
        const double sc = detail::score_names(names[qi].pointers, view, nullptr);
        if (sc > c.name_score) {
          c.name_score = sc;
          c.query_name = static_cast<int>(qi);
          c.entity_name = static_cast<int>(ni);
        }
      }
    }
  };

  if (!names.empty()) {
    if (brute) {
      for (uint32_t slot = 0; slot < s.slots.size(); ++slot) {
        if (allowed(slot)) score_slot_names(slot);
      }
    } else {
      std::vector<uint32_t> reached, group, all;
      std::unordered_set<uint32_t> to_score;
      for (const auto& qn : names) {
        // One group per distinctive query token (and per adjacent pair, joined).
        std::vector<Token> probes;
        std::vector<bool> joined_probe;
        int distinctive = 0;
        for (std::size_t i = 0; i < qn.tokens.size(); ++i) {
          const Token& t = qn.tokens[i];
          if (t.kind == TokenKind::kLegalForm || t.kind == TokenKind::kInitial) continue;
          probes.push_back(t);
          joined_probe.push_back(false);
          if (t.kind == TokenKind::kNormal) ++distinctive;
          if (i + 1 < qn.tokens.size() && qn.tokens[i + 1].kind != TokenKind::kLegalForm &&
              qn.tokens[i + 1].kind != TokenKind::kInitial) {
            Token joined;
            joined.text = t.text + qn.tokens[i + 1].text;
            joined.kind = TokenKind::kNormal;
            joined.phonetic = detail::phonetic_key(joined.text);
            probes.push_back(std::move(joined));
            joined_probe.push_back(true);
          }
        }
        all.clear();
        std::vector<std::vector<uint32_t>> groups;
        std::size_t smallest = SIZE_MAX, smallest_at = 0;
        for (std::size_t pi = 0; pi < probes.size(); ++pi) {
          s.reach(probes[pi], joined_probe[pi], reached);
          group.clear();
          std::size_t total = 0;
          for (uint32_t t : reached) total += s.tokens[t].postings.size();
          if (total == 0) continue;
          for (uint32_t t : reached) group.insert(group.end(), s.tokens[t].postings.begin(), s.tokens[t].postings.end());
          std::ranges::sort(group);
          group.erase(std::unique(group.begin(), group.end()), group.end());
          if (group.size() < smallest) {
            smallest = group.size();
            smallest_at = groups.size();
          }
          groups.push_back(group);
        }
        // A match must share two distinctive words with a name of two or more; a common word
        // alone (MOHAMMED, TRADING) does not select candidates unless nothing rarer exists.
        const int need = distinctive >= 2 ? 2 : 1;
        for (std::size_t g = 0; g < groups.size(); ++g) {
          if (groups[g].size() > kMaxPostingsPerGroup && g != smallest_at) continue;
          all.insert(all.end(), groups[g].begin(), groups[g].end());
        }
        std::ranges::sort(all);
        std::vector<std::pair<int, uint32_t>> covered;  // (query tokens reached, slot)
        for (std::size_t i = 0; i < all.size();) {
          std::size_t j = i;
          while (j < all.size() && all[j] == all[i]) ++j;
          if (static_cast<int>(j - i) >= need || groups.size() == 1) covered.emplace_back(static_cast<int>(j - i), all[i]);
          i = j;
        }
        // Names made of common words reach thousands of entities; the ones sharing the most
        // query tokens are scored (the bench measures what this loses against a full scan).
        if (covered.size() > kMaxScoredPerName) {
          std::ranges::nth_element(covered, covered.begin() + kMaxScoredPerName,
                                   [](const auto& x, const auto& y) { return x.first > y.first; });
          covered.resize(kMaxScoredPerName);
        }
        for (const auto& [count, slot] : covered) to_score.insert(slot);
      }
      for (uint32_t slot : to_score) {
        if (allowed(slot)) score_slot_names(slot);
      }
    }
  }

  // Identifiers.
  for (const auto& qi : q.identifiers) {
    const char cls = identifier_class(qi.type);
    const std::string qv = normalize_identifier(qi.type, qi.value);
    if (qv.empty() || s.exclusions.contains(qv)) continue;
    auto consider = [&](uint32_t slot_id) {
      if (!allowed(slot_id)) return;
      const WatchlistEntity& e = *s.slots[slot_id].entity;
      for (const auto& ei : e.identifiers) {
        if (identifier_class(ei.type) != cls) continue;
        const std::string ev = normalize_identifier(ei.type, ei.value);
        double score = 0;
        std::string how;
        if (ev == qv) {
          score = 1.0;
          how = "equal";
          if (cls == 'P' && !qi.country.empty() && !ei.country.empty() && qi.country != ei.country) {
            score = 0.7;
            how = "equal but registered in " + ei.country + ", declared " + qi.country;
          }
        } else if (near_miss_class(cls)) {
          const std::string diff = detail::one_char_difference(qv, ev);
          if (diff.empty()) continue;
          // A container or IMO number with a valid check digit that differs from the listed
          // one is another container or ship; only an invalid one is a likely typing error.
          if (cls == 'C' && ids::check_container_number(qv)) continue;
          if (cls == 'I' && ids::check_imo_number(qv)) continue;
          score = 0.86;
          how = "one-character " + diff;
          if (cls == 'P' && !qi.country.empty() && !ei.country.empty()) {
            if (qi.country == ei.country) {
              score += 0.04;
              how += ", same country";
            } else {
              score -= 0.2;
              how += ", other country";
            }
          }
        } else {
          continue;
        }
        Candidate& c = candidates[slot_id];
        if (score > c.id_score) {
          c.id_score = score;
          c.id_field = std::string(to_string(qi.type));
          c.id_listed = ei.value;
          c.id_query = qv;
          c.id_note = how;
        }
      }
    };
    if (brute) {
      for (uint32_t slot = 0; slot < s.slots.size(); ++slot) consider(slot);
      continue;
    }
    std::unordered_set<uint32_t> seen;
    auto [lo, hi] = s.exact_ids.equal_range(identifier_key(cls, qv, kExactSeed));
    for (auto it = lo; it != hi; ++it) {
      if (seen.insert(it->second).second) consider(it->second);
    }
    if (near_miss_class(cls) && qv.size() + 1 >= kMinNearMissLength) {
      for (const auto& d : deletions(qv)) {
        auto [nlo, nhi] = s.near_ids.equal_range(identifier_key(cls, d, kNearSeed));
        for (auto it = nlo; it != nhi; ++it) {
          if (seen.insert(it->second).second) consider(it->second);
        }
      }
    }
  }

  // Final scores.
  std::vector<Hit> hits;
  for (auto& [slot_id, c] : candidates) {
    const WatchlistEntity& e = *s.slots[slot_id].entity;
    std::string notes;
    bool strong = false;
    double name_score = 0;
    if (c.query_name >= 0 && c.name_score >= options.threshold - 0.2) {
      name_score = std::clamp(c.name_score + weigh_evidence(q, e, notes, &strong), 0.0, 1.0);
    } else if (c.query_name >= 0 || c.id_score == 0) {
      weigh_evidence(q, e, notes, &strong);
      name_score = c.name_score;
    }
    double score = std::max(name_score, c.id_score);
    if (strong) score = std::max(score, 0.97);
    if (score < options.threshold) continue;
    Hit hit;
    hit.entity = s.slots[slot_id].entity;
    hit.score = score;
    std::string explanation;
    const bool by_name = c.query_name >= 0 && name_score >= c.id_score && !(strong && c.name_score < 0.5);
    if (by_name) {
      const auto& qn = names[static_cast<std::size_t>(c.query_name)];
      std::vector<const Token*> ev;
      s.token_view(slot_id, static_cast<std::size_t>(c.entity_name), ev);
      std::string pairs;
      detail::score_names(qn.pointers, ev, &pairs);
      hit.matched_field = "name";
      hit.matched_value = e.names[static_cast<std::size_t>(c.entity_name)].name;
      hit.query_value = qn.normalised;
      explanation = "name tokens " + pairs + " (name score " + format_score(c.name_score) + ")";
    } else if (c.id_score > 0) {
      hit.matched_field = c.id_field;
      hit.matched_value = c.id_listed;
      hit.query_value = c.id_query;
      explanation = c.id_field + " '" + c.id_query + "' " + c.id_note + " to listed '" + c.id_listed + "'";
    } else {
      // Only a person's or company's identifier matched (EORI, TIN, passport).
      for (const auto& qi : q.identifiers) {
        const std::string qv = normalize_identifier(qi.type, qi.value);
        for (const auto& ei : e.identifiers) {
          if (identifier_class(ei.type) == identifier_class(qi.type) && normalize_identifier(ei.type, ei.value) == qv) {
            hit.matched_field = std::string(to_string(qi.type));
            hit.matched_value = ei.value;
            hit.query_value = qv;
          }
        }
      }
      if (c.query_name >= 0) {
        explanation = "name score " + format_score(c.name_score);
      }
    }
    if (!notes.empty()) explanation += (explanation.empty() ? "" : "; ") + notes;
    hit.explanation = std::move(explanation);
    if (s.exclusions.contains(normalize_name(hit.matched_value))) continue;
    if (s.reviewed.contains(reviewed_key(e.list, e.id, hit.query_value))) continue;
    hits.push_back(std::move(hit));
  }
  std::ranges::sort(hits, [](const Hit& a, const Hit& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.entity->list != b.entity->list) return a.entity->list < b.entity->list;
    return a.entity->id < b.entity->id;
  });
  if (hits.size() > options.max_hits_per_query) hits.resize(options.max_hits_per_query);
  return hits;
}

}  // namespace

std::vector<Hit> Screener::screen(const ScreeningQuery& query) const {
  std::shared_lock lock(state_->mutex);
  return run_screen(*state_, options_, query, nullptr, false);
}

std::vector<Hit> Screener::screen_brute_force(const ScreeningQuery& query) const {
  std::shared_lock lock(state_->mutex);
  return run_screen(*state_, options_, query, nullptr, true);
}

namespace {

struct Item {
  std::string prefix;  // "parties[0]", "transport", "goods[0].containers[1]"
  ScreeningQuery query;
  std::string value;
};

std::string join_address(const Address& a) {
  std::string out = a.street;
  for (const auto* part : {&a.postcode, &a.city}) {
    if (part->empty()) continue;
    if (!out.empty()) out += ' ';
    out += *part;
  }
  return out;
}

Item party_item(const Party& p, std::string prefix) {
  Item item;
  item.prefix = std::move(prefix);
  item.value = p.name;
  item.query.name = p.name;
  if (!p.name_original.empty()) item.query.other_names.push_back(p.name_original);
  item.query.country = p.address.country;
  item.query.address = join_address(p.address);
  if (!p.eori.empty()) item.query.identifiers.push_back({IdentifierType::kEori, p.eori, p.address.country, {}});
  if (!p.tin.empty()) item.query.identifiers.push_back({IdentifierType::kTin, p.tin, p.address.country, {}});
  return item;
}

std::vector<Item> declaration_items(const Declaration& d) {
  std::vector<Item> items;
  for (std::size_t i = 0; i < d.parties.size(); ++i) {
    items.push_back(party_item(d.parties[i], "parties[" + std::to_string(i) + "]"));
  }
  if (!d.declarant.name.empty() || !d.declarant.eori.empty()) items.push_back(party_item(d.declarant, "declarant"));
  const Transport& t = d.transport;
  auto vehicle = [&](const std::string& plate, const std::string& country, const std::string& vin, std::string_view which) {
    if (plate.empty() && vin.empty()) return;
    Item item;
    item.prefix = std::string("transport.") + std::string(which);
    item.value = plate.empty() ? vin : plate;
    item.query.type = EntityType::kVehicle;
    item.query.country = country;
    if (!plate.empty()) item.query.identifiers.push_back({IdentifierType::kPlate, plate, country, {}});
    if (!vin.empty()) item.query.identifiers.push_back({IdentifierType::kVin, vin, {}, {}});
    items.push_back(std::move(item));
  };
  vehicle(t.vehicle_plate, t.vehicle_country, t.vehicle_vin, "vehicle");
  vehicle(t.trailer_plate, t.trailer_country, t.trailer_vin, "trailer");
  if (!t.vessel_imo.empty() || !t.vessel_name.empty()) {
    Item item;
    item.prefix = "transport.vessel";
    item.value = t.vessel_imo.empty() ? t.vessel_name : t.vessel_imo;
    item.query.type = EntityType::kVessel;
    item.query.name = t.vessel_name;
    if (!t.vessel_imo.empty()) item.query.identifiers.push_back({IdentifierType::kImo, t.vessel_imo, {}, {}});
    items.push_back(std::move(item));
  }
  std::set<std::string> seen;
  for (std::size_t g = 0; g < d.goods.size(); ++g) {
    for (std::size_t c = 0; c < d.goods[g].containers.size(); ++c) {
      const std::string& number = d.goods[g].containers[c];
      if (number.empty() || !seen.insert(number).second) continue;
      Item item;
      item.prefix = "goods[" + std::to_string(g) + "].containers[" + std::to_string(c) + "]";
      item.value = number;
      item.query.type = EntityType::kContainer;
      item.query.identifiers.push_back({IdentifierType::kContainer, number, {}, {}});
      items.push_back(std::move(item));
    }
  }
  return items;
}

std::string field_path(const Item& item, const Hit& hit) {
  const std::string& f = hit.matched_field;
  if (item.prefix.starts_with("goods[")) return item.prefix;
  if (item.prefix == "transport.vehicle" || item.prefix == "transport.trailer") {
    return item.prefix + (f == "vin" ? "_vin" : "_plate");
  }
  if (item.prefix == "transport.vessel") return item.prefix + (f == "imo" ? "_imo" : "_name");
  if (f == "eori" || f == "tin") return item.prefix + "." + f;
  return item.prefix + ".name";
}

std::vector<DeclarationHit> screen_items(const Screener::State& s, const ScreenerOptions& options, const Declaration& d,
                                         const std::unordered_set<uint32_t>* filter) {
  std::vector<DeclarationHit> out;
  for (const auto& item : declaration_items(d)) {
    for (auto& hit : run_screen(s, options, item.query, filter, false)) {
      DeclarationHit dh;
      dh.path = field_path(item, hit);
      dh.value = item.value;
      for (const auto& qi : item.query.identifiers) {
        if (to_string(qi.type) == hit.matched_field && !item.prefix.starts_with("goods[")) dh.value = qi.value;
      }
      dh.hit = std::move(hit);
      out.push_back(std::move(dh));
    }
  }
  std::ranges::stable_sort(out, [](const DeclarationHit& a, const DeclarationHit& b) { return a.hit.score > b.hit.score; });
  return out;
}

}  // namespace

std::vector<DeclarationHit> Screener::screen_declaration(const Declaration& declaration) const {
  std::shared_lock lock(state_->mutex);
  return screen_items(*state_, options_, declaration, nullptr);
}

std::vector<DeclarationHit> Screener::rescreen_declaration(const Declaration& declaration,
                                                           std::span<const EntityKey> entities) const {
  std::shared_lock lock(state_->mutex);
  std::unordered_set<uint32_t> filter;
  for (const auto& k : entities) {
    auto lit = state_->lists.find(k.list);
    if (lit == state_->lists.end()) continue;
    if (auto it = lit->second.ids.find(k.id); it != lit->second.ids.end()) filter.insert(it->second);
  }
  if (filter.empty()) return {};
  return screen_items(*state_, options_, declaration, &filter);
}

}  // namespace cordon::screening
