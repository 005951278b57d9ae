// The Screener: lists, candidate index, exclusions and the scoring of candidates.
//
// Index layout (all under one shared_mutex: readers share it, a writer takes it alone and
// updates only what an import changed):
//   token dictionary   every distinct normalised name token, with its posting list (packed
//                      slot + shortest-name length, ascending)
//   phonetic map       phonetic key -> dictionary tokens
//   deletion map       every one-character deletion of a dictionary token -> tokens, so that a
//                      query token with one typo still finds the listed token (symmetric
//                      deletion: substitutions and transpositions give a common deletion)
//   prefix buckets     (first three letters, length) -> tokens of 7+ letters, for two typos
//   identifier maps    exact normalised identifier -> slots; deletions of plates, VINs,
//                      containers and IMO numbers -> slots, for one-character near misses
//   pair lists         for two common tokens (kPairedPostings postings or more), the slots
//                      with a name posting both, with that name's length
//   posted arena       per slot, the tokens it posts, all together and per name
// A query name selects the postings of its rarest words, or the pair lists of its common ones,
// counts per candidate how many query words reach it, and scores only the candidates whose
// score bound can reach the threshold (name_candidates explains why nothing that brute force
// would find is lost).
#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstdio>
#include <deque>
#include <map>
#include <mutex>
#include <numeric>
#include <optional>
#include <set>
#include <shared_mutex>
#include <stdexcept>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "core/identifiers.h"
#include "screening/hash_multimap.h"
#include "screening/matcher.h"
#include "screening/normalize.h"
#include "screening/screening.h"
#include "screening/sort_packed.h"

namespace cordon::screening {

using detail::Token;
using detail::TokenKind;

namespace {

// Past this many candidates for one query name (a name made only of the most common words of
// a list of millions), the best covered ones by rarity are scored and the cut is counted
// (Stats::capped_queries): a bound on the worst case, not a routine path.
constexpr std::size_t kMaxScoredPerName = 20000;
constexpr std::size_t kMinNearMissLength = 5;
// A posting is (slot << kShapeBits) | the fewest full-weight tokens of any of the slot's names
// (capped), so that an entity whose names are all much longer than the query is skipped
// without touching it. Ascending order of postings is ascending order of slots.
// The flag bit marks a slot with a name holding the same token twice ("MOHAMMED MOHAMMED ..."):
// one posting then stands for two tokens.
constexpr uint32_t kShapeBits = 5;
constexpr uint32_t kRepeatFlag = 1U << 4;
constexpr uint32_t kShapeMask = kRepeatFlag - 1;
constexpr uint32_t kMaxSlots = 1U << (32 - kShapeBits);
// Re-screening against at most this many changed entities scores them directly.
constexpr std::size_t kDirectRescreenLimit = 4096;

struct DictToken {
  Token token;
  std::vector<uint32_t> postings;          // packed, ascending (after State::flush)
  std::vector<uint32_t> initial_postings;  // the same, for slots with a name holding an initial
  bool dirty = false;                      // appended out of order since the last flush
  bool joined_only = true;                 // only seen as two words joined: no neighbours yet
  bool ever_joined = false;                // posted as two words joined for some entity
  // Common enough (kPairedPostings) to have pair lists: State::pairs holds, for every other
  // paired token, the slots with a name posting both. Never reset once set.
  bool paired = false;
};

// A token with this many postings gets pair lists (DictToken::paired): a query made of common
// words then selects its candidates from the lists of two of its words together instead of
// the long lists of each ("ALI" and "HASSAN" together are a few hundred names, each alone tens
// of thousands). Lower costs memory (pair postings per name grow with its common words); higher
// leaves more single lists to read.
constexpr std::size_t kPairedPostings = 384;
constexpr std::size_t kPairedFingerprints = 8;
constexpr uint16_t kManyPaired = 1;  // a fingerprint every query accepts
uint16_t paired_fingerprint(uint32_t token) {
  const auto f = static_cast<uint16_t>((token * 0x9E3779B1U) >> 16);
  return f < 2 ? static_cast<uint16_t>(f + 2) : f;  // 0 (none) and kManyPaired are reserved
}

uint64_t pair_key(uint32_t a, uint32_t b) {
  return a < b ? (uint64_t{a} << 32) | b : (uint64_t{b} << 32) | a;
}

struct PairList {
  std::vector<uint32_t> postings;  // packed as DictToken::postings, but the shape is this name's own
  bool dirty = false;
};

struct Slot {
  // What the query path reads of every candidate first, on one cache line.
  bool live = false;
  EntityType type = EntityType::kPerson;
  uint32_t names_at = 0;                     // in State::name_arena (arena_words_at)
  std::shared_ptr<const WatchlistEntity> entity;
  // Per name, its dictionary tokens as the scorer takes them (deque elements do not move).
  std::vector<std::vector<const Token*>> names;
  std::vector<uint64_t> exact_keys;
  std::vector<uint64_t> near_keys;
  uint32_t shape = 0;                        // fewest full-weight tokens in a name (capped)
  bool has_initials = false;
  bool has_repeats = false;                  // a name holds the same token twice
  // Per address of the entity, its words as weigh_evidence compares them (normalised once here:
  // a query with a street address weighs every candidate that has addresses); null without
  // addresses (most listed entities), so that it costs a pointer per slot.
  std::unique_ptr<const std::vector<std::vector<std::string>>> address_words;
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

constexpr uint64_t kExactSeed = 1, kNearSeed = 2, kTokenDeletionSeed = 3, kPrefixSeed = 4, kTokenIdSeed = 5,
                   kPhoneticSeed = 6;

uint64_t prefix_key(std::string_view token, std::size_t length) {
  return detail::hash_bytes(token.substr(0, 3), kPrefixSeed) ^ (length * 0x9E3779B97F4A7C15ULL);
}

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
  // The final score (evidence weighed) once the top-k pass has computed it, so that the final
  // ranking does not weigh it again; < 0 when not computed or made stale by a later change.
  double final_score = -1;
};

// The most weigh_evidence can add for an entity, from a word kept per slot, so that the top-k
// cut can use each candidate's own best case instead of the query's (a name query with a
// country meets mostly entities of other countries, whose evidence can only take 0.03 off).
// The word: up to four country codes (nationalities and address countries, two letters each,
// 10 bits), a flag for more or for codes of another form (then any country may be equal), and
// whether the entity has dates of birth and addresses.
constexpr uint64_t kEvidenceMoreCountries = 1ULL << 40;
constexpr uint64_t kEvidenceDates = 1ULL << 41;
constexpr uint64_t kEvidenceAddresses = 1ULL << 42;

// 1..676 for two capital letters, 0 otherwise.
uint32_t country_code(std::string_view c) {
  if (c.size() != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z') return 0;
  return static_cast<uint32_t>((c[0] - 'A') * 26 + (c[1] - 'A') + 1);
}

uint64_t evidence_key(const WatchlistEntity& e) {
  uint64_t key = 0;
  int count = 0;
  auto add = [&](const std::string& c) {
    if (c.empty()) return;  // weigh_evidence skips these too
    const uint32_t code = country_code(c);
    if (code == 0) {
      key |= kEvidenceMoreCountries;
      return;
    }
    for (int k = 0; k < count; ++k) {
      if (((key >> (10 * k)) & 0x3FFU) == code) return;
    }
    if (count == 4) {
      key |= kEvidenceMoreCountries;
      return;
    }
    key |= static_cast<uint64_t>(code) << (10 * count++);
  };
  for (const auto& c : e.nationalities) add(c);
  for (const auto& a : e.addresses) add(a.country);
  if (!e.dates_of_birth.empty()) key |= kEvidenceDates;
  if (!e.addresses.empty()) key |= kEvidenceAddresses;
  return key;
}

// An address's words as weigh_evidence compares them.
std::vector<std::string> address_words_of(std::string_view address) {
  std::vector<std::string> words;
  for (auto& t : detail::tokenize_name(normalize_name(address))) words.push_back(std::move(t.text));
  return words;
}

// The order in which an import adds its entities, as positions in `entities`. Slots are
// numbered in the order entities are added, and the query path reads its candidates in slot
// order from arrays indexed by slot (posted records, names, evidence words, signatures of their
// tokens): a common name's thousands of candidates share its common words, and when the
// entities sharing them hold nearby slots, those reads fall on fewer cache lines and pages.
// So entities are ordered by their full-weight name words, most common word first (then the
// next most common, ...), which groups the entities of ALI, then of ALI and MOHAMMED, and so
// on; entities without a name word (vehicles, containers) come last. A rare word's few
// entities are found through its short posting list, wherever they are. On the 1M-entity
// bench this cut the p99 of declaration screening by 12-29 % in paired runs
// (bench/screening/RESULTS.md). Only the slots differ: hits are ordered by score, list and
// id, never by slot.
std::vector<std::size_t> slot_locality_order(std::span<const WatchlistEntity* const> entities) {
  std::unordered_map<std::string, uint32_t> word_ids;
  std::vector<const std::string*> text_of;
  std::vector<uint32_t> frequency;  // entities naming each word
  std::vector<uint32_t> words;      // per entity, its distinct words, at offsets[i]..offsets[i + 1]
  std::vector<std::size_t> offsets{0};
  offsets.reserve(entities.size() + 1);
  for (const WatchlistEntity* e : entities) {
    const std::size_t start = words.size();
    for (const auto& n : e->names) {
      auto tokens = detail::tokenize_name(normalize_name(n.name));
      adapt_tokens_to_type(tokens, e->type);
      for (auto& t : tokens) {
        if (t.kind != TokenKind::kNormal) continue;
        auto [it, fresh] = word_ids.try_emplace(std::move(t.text), static_cast<uint32_t>(frequency.size()));
        if (fresh) {
          frequency.push_back(0);
          text_of.push_back(&it->first);
        }
        words.push_back(it->second);
      }
    }
    const auto first = words.begin() + static_cast<std::ptrdiff_t>(start);
    std::sort(first, words.end());
    words.erase(std::unique(first, words.end()), words.end());
    for (std::size_t k = start; k < words.size(); ++k) ++frequency[words[k]];
    offsets.push_back(words.size());
  }
  // Rank 0 for the most common word; equal counts by text, so that the order is reproducible.
  std::vector<uint32_t> by_rank(frequency.size());
  std::iota(by_rank.begin(), by_rank.end(), 0U);
  std::ranges::sort(by_rank, [&](uint32_t a, uint32_t b) {
    return frequency[a] != frequency[b] ? frequency[a] > frequency[b] : *text_of[a] < *text_of[b];
  });
  std::vector<uint32_t> rank(frequency.size());
  for (std::size_t r = 0; r < by_rank.size(); ++r) rank[by_rank[r]] = static_cast<uint32_t>(r);
  for (std::size_t i = 0; i < entities.size(); ++i) {
    const auto first = words.begin() + static_cast<std::ptrdiff_t>(offsets[i]);
    const auto last = words.begin() + static_cast<std::ptrdiff_t>(offsets[i + 1]);
    for (auto it = first; it != last; ++it) *it = rank[*it];
    std::sort(first, last);
  }
  std::vector<std::size_t> order(entities.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::ranges::stable_sort(order, [&](std::size_t a, std::size_t b) {
    const std::span<const uint32_t> wa(words.data() + offsets[a], offsets[a + 1] - offsets[a]);
    const std::span<const uint32_t> wb(words.data() + offsets[b], offsets[b + 1] - offsets[b]);
    if (wa.empty() != wb.empty()) return wb.empty();
    return std::ranges::lexicographical_compare(wa, wb);
  });
  return order;
}

}  // namespace

struct Screener::State {
  mutable std::shared_mutex mutex;
  std::vector<Slot> slots;
  std::vector<uint32_t> free_slots;
  std::vector<uint32_t> doomed;  // removed since the last flush: postings still to erase
  std::vector<uint32_t> dirty_tokens;
  int64_t live_count = 0;
  std::deque<DictToken> tokens;
  // The same by id, for readers: deque indexing is a division and a second load per access,
  // and the query path reads hundreds of dictionary tokens (deque elements do not move).
  std::vector<DictToken*> token_at;
  const DictToken& token(uint32_t id) const { return *token_at[id]; }
  std::vector<detail::TokenSignature> signatures;  // by dictionary id (NameScorer)
  // Every live slot's names as dictionary ids, packed (Slot::names_at): scoring a candidate
  // reads one short run of numbers instead of chasing a pointer per token.
  std::vector<uint32_t> name_arena;
  std::size_t arena_garbage = 0;  // words of removed slots, reclaimed at flush()
  // Per slot, what the query path reads of every candidate, in arrays small enough to stay in
  // cache (the slots themselves are 128 bytes each): 0 when not live, else 1 + the entity type;
  // and Slot::names_at.
  std::vector<uint8_t> slot_live_type;
  // Per slot, what weigh_evidence needs to know of the entity to bound what it can add
  // (evidence_key): read by the top-k cut instead of the entity itself.
  std::vector<uint64_t> slot_evidence;
  std::vector<uint32_t> slot_names_at;
  // Every slot's posted dictionary ids, packed at slot_posted_at[slot]: the count u, the u
  // distinct ids ascending (what its postings are), the name count, then per name its length,
  // its full-weight token count and the ids posted for it in name order, joined pairs included
  // and repeats kept. The query path reads a candidate's reached tokens here instead of merging
  // long posting lists; pair lists are built from the per-name part.
  std::vector<uint32_t> posted_arena;
  std::vector<uint32_t> slot_posted_at;
  // Per slot, a 16-bit fingerprint of each paired token it posts (paired_fingerprint; 0: none,
  // kManyPaired first when it posts more than fit): whether a candidate met in the postings of
  // one rare word also posts a common token another query word reaches, without reading its
  // posted record (name_candidates). Kept whenever a token becomes paired.
  std::vector<std::array<uint16_t, kPairedFingerprints>> slot_paired;
  std::size_t posted_garbage = 0;
  // Pair lists: pair_key(a, b) of two paired tokens (a == b for a name holding a twice) ->
  // the slots with a name posting both, ascending. Slots with initials have none (their
  // postings are initial_postings, candidates whenever reached).
  std::unordered_map<uint64_t, PairList> pairs;
  std::vector<uint64_t> dirty_pairs;
  std::vector<uint32_t> grown_tokens;  // reached kPairedPostings since the last flush
  // The dictionary's lookups, flat tables of hashes (detail::HashMultimap): reach() makes
  // some 30 of them per query word, asked for together. A lookup may also find another key's
  // values; reach() keeps a token only if token_similarity aligns it, and find_token()
  // compares the text.
  // Token ids by hash_bytes(key, kTokenIdSeed), the key being the text (a legal form's
  // behind '\x01': intern).
  detail::HashMultimap token_ids;
  // Token ids by hash_bytes of their phonetic key (kPhoneticSeed).
  detail::HashMultimap phonetic;
  // Token ids by hash_bytes of each of their one-deletions and themselves (kTokenDeletionSeed).
  detail::HashMultimap token_deletions;
  // (first three letters, length) -> tokens: Jaro–Winkler rewards a shared prefix, and pairs it
  // aligns with a common prefix are often more than two edits apart ("FANGNA", "FANGYAN").
  // Each entry carries what surely_apart reads of its token: a long query word scans ~470 of
  // them (measured on the 1M list) and keeps ~20, and reading each one's signature from
  // `signatures` cost a cache miss per token. It also carries the token's text when it fits
  // (up to kPrefixText letters), so that the scorer's two-edit rule is checked here: on
  // syllable-built words (KARKARRA, LININORI) a bucket holds ~1,500 tokens of similar letters,
  // and checking each through the dictionary cost ~1 ms per query word, two cache misses each.
  static constexpr std::size_t kPrefixText = 16;
  struct PrefixEntry {
    uint32_t id, letters, phonetic, length;
    std::array<char, kPrefixText> text;  // the token when length <= kPrefixText
  };
  // prefix_key -> its bucket in prefix_buckets (prefix_bucket_keys: each bucket's key).
  detail::HashMultimap token_prefixes;
  std::vector<std::vector<PrefixEntry>> prefix_buckets;
  std::vector<uint64_t> prefix_bucket_keys;
  // Slots by identifier_key of each identifier (kExactSeed), and of each of its deletions
  // (kNearSeed) for near misses: run_screen checks each slot found against the query.
  detail::HashMultimap exact_ids;
  detail::HashMultimap near_ids;
  std::map<std::string, ListInfo, std::less<>> lists;
  std::set<std::string, std::less<>> exclusions;
  std::set<std::string, std::less<>> reviewed;
  std::vector<ReviewedFalsePositive> reviewed_list;
  mutable std::atomic<int64_t> capped_queries = 0;
  mutable std::atomic<int64_t> names_scored = 0;  // Stats::names_scored
  // Unique across Screeners and changed by every write: readers' per-thread caches key on it.
  uint64_t generation = next_generation();

  static uint64_t next_generation() {
    static std::atomic<uint64_t> counter = 0;
    return ++counter;
  }

  // The id of the token spelled `text`, of a legal form or not (two tokens: intern).
  std::optional<uint32_t> find_token(std::string_view text, bool legal_form) const {
    std::optional<uint32_t> found;
    token_ids.find(token_key_hash(text, legal_form), [&](uint32_t id) {
      const Token& t = token(id).token;
      if (t.text == text && (t.kind == TokenKind::kLegalForm) == legal_form) found = id;
    });
    return found;
  }
  static uint64_t token_key_hash(std::string_view text, bool legal_form) {
    if (!legal_form) return detail::hash_bytes(text, kTokenIdSeed);
    std::string key(1, '\x01');
    key += text;
    return detail::hash_bytes(key, kTokenIdSeed);
  }

  // --- writers (REQUIRES: exclusive lock; every writer ends with flush()) ---

  // Joined pairs ("JINPING") are reached exactly only: their typos are the parts' typos.
  // A company's legal form is a word of its own in a person's name (AS, AB, SA:
  // adapt_tokens_to_type): the two are different dictionary tokens, keyed apart, so that each
  // keeps its kind whichever entity came first (legal forms are never posted nor probed).
  uint32_t intern(Token token, bool joined = false) {
    const bool legal_form = token.kind == TokenKind::kLegalForm;
    if (const auto found = find_token(token.text, legal_form)) {
      const uint32_t existing = *found;
      if (joined) tokens[existing].ever_joined = true;
      // First seen as a joined pair ("FANG YAN"), now as a word of its own ("FANGYAN"): it
      // gets its neighbours now, and the word's kind and weight (a pair joined is always a
      // full-weight word; "HA JI" joined is HAJI, which as a word is a generic one), so that
      // a listed name scores the same whichever entity the import added first.
      if (!joined && tokens[existing].joined_only) {
        Token& word = tokens[existing].token;
        word.kind = token.kind;
        word.weight = token.weight;
        signatures[existing] = detail::signature_of(word);
        add_neighbours(existing);
      }
      return existing;
    }
    const auto id = static_cast<uint32_t>(tokens.size());
    token_ids.insert(token_key_hash(token.text, legal_form), id);
    token.dict_id = id;
    signatures.push_back(detail::signature_of(token));
    tokens.push_back({std::move(token), {}, {}, false, true, joined});
    token_at.push_back(&tokens.back());
    if (!joined) add_neighbours(id);
    return id;
  }

  void add_neighbours(uint32_t id) {
    DictToken& t = tokens[id];
    t.joined_only = false;
    const std::string& text = t.token.text;
    if (!t.token.phonetic.empty()) phonetic.insert(detail::hash_bytes(t.token.phonetic, kPhoneticSeed), id);
    if (text.size() >= 3) {
      for (const auto& d : deletions(text)) token_deletions.insert(detail::hash_bytes(d, kTokenDeletionSeed), id);
    }
    if (text.size() >= 7) {
      const detail::TokenSignature& sig = signatures[id];
      PrefixEntry entry{id, sig.letters, sig.phonetic, sig.length, {}};
      if (text.size() <= kPrefixText) std::copy(text.begin(), text.end(), entry.text.begin());
      const uint64_t key = prefix_key(text, text.size());
      std::optional<uint32_t> bucket;
      token_prefixes.find(key, [&](uint32_t b) {
        if (prefix_bucket_keys[b] == key) bucket = b;
      });
      if (!bucket) {
        bucket = static_cast<uint32_t>(prefix_buckets.size());
        prefix_buckets.emplace_back();
        prefix_bucket_keys.push_back(key);
        token_prefixes.insert(key, *bucket);
      }
      prefix_buckets[*bucket].push_back(entry);
    }
  }

  void post(uint32_t token, uint32_t packed, bool initials) {
    DictToken& t = tokens[token];
    auto& list = initials ? t.initial_postings : t.postings;
    if (!list.empty() && list.back() > packed && !t.dirty) {
      t.dirty = true;
      dirty_tokens.push_back(token);
    }
    list.push_back(packed);
    if (!initials && !t.paired && t.postings.size() == kPairedPostings) grown_tokens.push_back(token);
  }

  void post_pair(uint64_t key, uint32_t packed) {
    auto [it, fresh] = pairs.try_emplace(key);
    PairList& list = it->second;
    if (!list.postings.empty() && list.postings.back() >= packed && !list.dirty) {
      list.dirty = true;
      dirty_pairs.push_back(key);
    }
    list.postings.push_back(packed);
  }

  // The pair keys of one slot's names (sorted, unique, each with the least full-weight count of
  // the names holding the pair), from the per-name part of its posted record: the pairs of
  // paired tokens only, and a token with itself when a name posts it twice.
  void pairs_of_slot(uint32_t slot_id, std::vector<std::pair<uint64_t, uint32_t>>& out) const {
    out.clear();
    const uint32_t* p = posted_arena.data() + slot_posted_at[slot_id];
    p += 1 + *p;  // the distinct ids
    for (uint32_t names = *p++; names > 0; --names) {
      const uint32_t length = *p++;
      const uint32_t normal = std::min(*p++, kShapeMask);
      for (uint32_t i = 0; i < length; ++i) {
        if (!tokens[p[i]].paired) continue;
        for (uint32_t j = i + 1; j < length; ++j) {
          if (tokens[p[j]].paired) out.emplace_back(pair_key(p[i], p[j]), normal);
        }
      }
      p += length;
    }
    std::ranges::sort(out);  // per key, the least count first
    out.erase(std::unique(out.begin(), out.end(), [](const auto& l, const auto& r) { return l.first == r.first; }),
              out.end());
  }

  void fingerprint_paired(uint32_t slot_id) {
    auto& fp = slot_paired[slot_id];
    fp.fill(0);
    const uint32_t* p = posted_arena.data() + slot_posted_at[slot_id];
    std::size_t n = 0;
    for (uint32_t k = 1; k <= *p; ++k) {
      if (!tokens[p[k]].paired) continue;
      if (n == fp.size()) {
        fp.fill(0);
        fp[0] = kManyPaired;
        return;
      }
      fp[n++] = paired_fingerprint(p[k]);
    }
  }

  uint32_t add_entity(std::shared_ptr<const WatchlistEntity> entity) {
    uint32_t slot_id;
    if (!free_slots.empty()) {
      slot_id = free_slots.back();
      free_slots.pop_back();
    } else {
      if (slots.size() >= kMaxSlots) throw std::length_error("screening: more than 2^27 listed entities");
      slot_id = static_cast<uint32_t>(slots.size());
      slots.emplace_back();
      slot_live_type.push_back(0);
      slot_evidence.push_back(0);
      slot_names_at.push_back(0);
      slot_posted_at.push_back(0);
      slot_paired.emplace_back();
    }
    Slot& slot = slots[slot_id];
    slot = Slot{};
    slot.entity = std::move(entity);
    slot.live = true;
    ++live_count;
    const WatchlistEntity& e = *slot.entity;
    std::vector<uint32_t> posted;
    std::vector<uint32_t> per_name;  // the per-name part of the posted record
    uint32_t shape = kShapeMask;
    for (const auto& n : e.names) {
      const std::size_t name_at = per_name.size();
      per_name.push_back(0);
      per_name.push_back(0);
      auto toks = detail::tokenize_name(normalize_name(n.name));
      adapt_tokens_to_type(toks, e.type);
      if (toks.size() > 24) toks.resize(24);
      std::vector<uint32_t> ids;
      uint32_t normal = 0;
      for (std::size_t i = 0; i < toks.size(); ++i) {
        if (toks[i].kind == TokenKind::kNormal) ++normal;
        if (toks[i].kind == TokenKind::kInitial) slot.has_initials = true;
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
          per_name.push_back(posted.back());
        }
        const uint32_t id = intern(toks[i]);
        ids.push_back(id);
        if (postable) {
          posted.push_back(id);
          per_name.push_back(id);
        }
      }
      per_name[name_at] = static_cast<uint32_t>(per_name.size() - name_at - 2);
      per_name[name_at + 1] = normal;
      shape = std::min(shape, normal);
      {
        std::vector<uint32_t> sorted = ids;
        std::ranges::sort(sorted);
        if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) slot.has_repeats = true;
      }
      std::vector<const Token*> view;
      view.reserve(ids.size());
      for (uint32_t t : ids) view.push_back(&tokens[t].token);
      slot.names.push_back(std::move(view));
    }
    if (!e.addresses.empty()) {
      auto words = std::make_unique<std::vector<std::vector<std::string>>>();
      for (const auto& a : e.addresses) words->push_back(address_words_of(a.text));
      slot.address_words = std::move(words);
    }
    slot.shape = e.names.empty() ? 0 : shape;
    slot.type = e.type;
    slot.names_at = static_cast<uint32_t>(name_arena.size());
    slot_names_at[slot_id] = slot.names_at;
    slot_live_type[slot_id] = static_cast<uint8_t>(1 + static_cast<int>(e.type));
    slot_evidence[slot_id] = evidence_key(e);
    name_arena.push_back(static_cast<uint32_t>(slot.names.size()));
    for (const auto& view : slot.names) {
      name_arena.push_back(static_cast<uint32_t>(view.size()));
      for (const Token* t : view) name_arena.push_back(t->dict_id);
    }
    append_listed_pairs(slot.names);
    std::ranges::sort(posted);
    posted.erase(std::unique(posted.begin(), posted.end()), posted.end());
    const uint32_t flag = slot.has_repeats ? kRepeatFlag : 0;
    const uint32_t packed = (slot_id << kShapeBits) | slot.shape | flag;
    for (uint32_t t : posted) post(t, packed, slot.has_initials);
    slot_posted_at[slot_id] = static_cast<uint32_t>(posted_arena.size());
    posted_arena.push_back(static_cast<uint32_t>(posted.size()));
    posted_arena.insert(posted_arena.end(), posted.begin(), posted.end());
    posted_arena.push_back(static_cast<uint32_t>(e.names.size()));
    posted_arena.insert(posted_arena.end(), per_name.begin(), per_name.end());
    fingerprint_paired(slot_id);
    if (!slot.has_initials) {
      thread_local std::vector<std::pair<uint64_t, uint32_t>> keys;
      pairs_of_slot(slot_id, keys);
      for (const auto& [key, normal] : keys) post_pair(key, (slot_id << kShapeBits) | normal | flag);
    }
    for (const auto& ident : e.identifiers) {
      const char cls = identifier_class(ident.type);
      const std::string v = normalize_identifier(ident.type, ident.value);
      if (v.empty()) continue;
      const uint64_t k = identifier_key(cls, v, kExactSeed);
      exact_ids.insert(k, slot_id);
      slot.exact_keys.push_back(k);
      if (near_miss_class(cls) && v.size() >= kMinNearMissLength) {
        for (const auto& d : deletions(v)) {
          const uint64_t nk = identifier_key(cls, d, kNearSeed);
          near_ids.insert(nk, slot_id);
          slot.near_keys.push_back(nk);
        }
      }
    }
    return slot_id;
  }

  // The slot stops being live at once; its postings go at flush(), one pass per touched token,
  // so that replacing a large list does not erase from the same long posting list many times.
  void remove_slot(uint32_t slot_id) {
    Slot& slot = slots[slot_id];
    if (!slot.live) return;
    for (uint64_t k : slot.exact_keys) exact_ids.erase(k, slot_id);
    for (uint64_t k : slot.near_keys) near_ids.erase(k, slot_id);
    slot.live = false;
    slot_live_type[slot_id] = 0;
    doomed.push_back(slot_id);
    --live_count;
  }

  void flush() {
    generation = next_generation();
    if (!doomed.empty()) {
      std::vector<bool> gone(slots.size(), false);
      std::vector<uint32_t> touched;
      std::vector<uint64_t> touched_pairs;
      std::vector<std::pair<uint64_t, uint32_t>> keys;
      for (uint32_t slot_id : doomed) {
        gone[slot_id] = true;
        const uint32_t* p = posted_arena.data() + slot_posted_at[slot_id];
        touched.insert(touched.end(), p + 1, p + 1 + *p);
        if (!slots[slot_id].has_initials) {
          pairs_of_slot(slot_id, keys);
          for (const auto& k : keys) touched_pairs.push_back(k.first);
        }
      }
      std::ranges::sort(touched);
      touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
      auto is_gone = [&](uint32_t packed) { return gone[packed >> kShapeBits]; };
      for (uint32_t t : touched) {
        std::erase_if(tokens[t].postings, is_gone);
        std::erase_if(tokens[t].initial_postings, is_gone);
      }
      std::ranges::sort(touched_pairs);
      touched_pairs.erase(std::unique(touched_pairs.begin(), touched_pairs.end()), touched_pairs.end());
      for (uint64_t key : touched_pairs) {
        auto it = pairs.find(key);
        if (it == pairs.end()) continue;
        std::erase_if(it->second.postings, is_gone);
        if (it->second.postings.empty() && !it->second.dirty) pairs.erase(it);
      }
      for (uint32_t slot_id : doomed) {
        arena_garbage += arena_words(slot_id);
        posted_garbage += posted_words_at(slot_posted_at[slot_id]);
        slots[slot_id] = Slot{};
        free_slots.push_back(slot_id);
      }
      doomed.clear();
    }
    pair_new_common_tokens();
    if (arena_garbage > 4096 && arena_garbage * 2 > name_arena.size()) {
      std::vector<uint32_t> packed;
      packed.reserve(name_arena.size() - arena_garbage);
      for (std::size_t id = 0; id < slots.size(); ++id) {
        Slot& slot = slots[id];
        if (!slot.live) continue;
        const std::size_t at = slot.names_at;
        const auto words = static_cast<std::ptrdiff_t>(arena_words_at(at));
        slot.names_at = static_cast<uint32_t>(packed.size());
        slot_names_at[id] = slot.names_at;
        const auto from = name_arena.begin() + static_cast<std::ptrdiff_t>(at);
        packed.insert(packed.end(), from, from + words);
      }
      name_arena = std::move(packed);
      arena_garbage = 0;
    }
    if (posted_garbage > 4096 && posted_garbage * 2 > posted_arena.size()) {
      std::vector<uint32_t> packed;
      packed.reserve(posted_arena.size() - posted_garbage);
      for (std::size_t id = 0; id < slots.size(); ++id) {
        if (!slots[id].live) continue;
        const std::size_t at = slot_posted_at[id];
        const auto words = static_cast<std::ptrdiff_t>(posted_words_at(at));
        slot_posted_at[id] = static_cast<uint32_t>(packed.size());
        const auto from = posted_arena.begin() + static_cast<std::ptrdiff_t>(at);
        packed.insert(packed.end(), from, from + words);
      }
      posted_arena = std::move(packed);
      posted_garbage = 0;
    }
    for (uint64_t key : dirty_pairs) {
      auto it = pairs.find(key);
      if (it == pairs.end()) continue;
      std::ranges::sort(it->second.postings);
      it->second.dirty = false;
      if (it->second.postings.empty()) pairs.erase(it);
    }
    dirty_pairs.clear();
    for (uint32_t t : dirty_tokens) {
      std::ranges::sort(tokens[t].postings);
      std::ranges::sort(tokens[t].initial_postings);
      tokens[t].dirty = false;
    }
    dirty_tokens.clear();
  }

  // Tokens that reached kPairedPostings get their pair lists, built from the names of the
  // slots posting them (pairs of two tokens paired before are kept up to date by add_entity).
  void pair_new_common_tokens() {
    std::vector<uint32_t> fresh;
    for (uint32_t t : grown_tokens) {
      if (!tokens[t].paired && tokens[t].postings.size() >= kPairedPostings) fresh.push_back(t);
    }
    grown_tokens.clear();
    if (fresh.empty()) return;
    std::ranges::sort(fresh);
    fresh.erase(std::unique(fresh.begin(), fresh.end()), fresh.end());
    for (uint32_t t : fresh) tokens[t].paired = true;
    std::vector<bool> scan(slots.size(), false);
    for (uint32_t t : fresh) {
      for (uint32_t packed : tokens[t].postings) scan[packed >> kShapeBits] = true;
    }
    auto is_fresh = [&](uint32_t t) { return std::ranges::binary_search(fresh, t); };
    std::vector<std::pair<uint64_t, uint32_t>> keys;
    std::vector<std::pair<uint64_t, uint32_t>> added;  // (key, packed)
    for (uint32_t slot_id = 0; slot_id < slots.size(); ++slot_id) {
      if (!scan[slot_id] || !slots[slot_id].live) continue;
      fingerprint_paired(slot_id);
      if (slots[slot_id].has_initials) continue;
      pairs_of_slot(slot_id, keys);
      const uint32_t flag = slots[slot_id].has_repeats ? kRepeatFlag : 0;
      for (const auto& [key, normal] : keys) {
        if (!is_fresh(static_cast<uint32_t>(key >> 32)) && !is_fresh(static_cast<uint32_t>(key))) continue;
        added.emplace_back(key, (slot_id << kShapeBits) | normal | flag);
      }
    }
    std::ranges::sort(added);
    for (const auto& [key, packed] : added) post_pair(key, packed);
  }

  std::size_t posted_words_at(std::size_t at) const {
    std::size_t end = at + 1 + posted_arena[at];
    for (uint32_t n = posted_arena[end++]; n > 0; --n) end += 2 + posted_arena[end];
    return end - at;
  }

  std::size_t arena_words_at(std::size_t at) const {
    std::size_t end = at + 1;
    for (uint32_t n = name_arena[at]; n > 0; --n) end += 1 + name_arena[end];
    end += 1 + kListedPairWords * name_arena[end];  // the listed pairs (append_listed_pairs)
    return end - at;
  }

  // After a slot's names in the arena: its adjacent pairs the scorer could join (neither an
  // initial; legal forms left out, as the scorer leaves them out), each as four words: the
  // joined letters (TokenSignature::letters), the joined length | the longer half's length
  // << 8 (both capped at 255), and the two dictionary ids. name_candidates reads them to tell
  // whether any listed pair of the entity can be merged against the query
  // (listed_pair_may_merge), from the letters and lengths first and the tokens only then.
  static constexpr std::size_t kListedPairWords = 4;
  void append_listed_pairs(const std::vector<std::vector<const Token*>>& names) {
    const std::size_t count_at = name_arena.size();
    name_arena.push_back(0);
    uint32_t count = 0;
    for (const auto& view : names) {
      const Token* previous = nullptr;
      for (const Token* t : view) {
        if (t->kind == TokenKind::kLegalForm) continue;
        if (previous != nullptr && previous->kind != TokenKind::kInitial && t->kind != TokenKind::kInitial) {
          const std::size_t joined = previous->text.size() + t->text.size();
          const std::size_t half = std::max(previous->text.size(), t->text.size());
          name_arena.push_back(signatures[previous->dict_id].letters | signatures[t->dict_id].letters);
          name_arena.push_back(static_cast<uint32_t>(std::min<std::size_t>(joined, 255) | std::min<std::size_t>(half, 255) << 8));
          name_arena.push_back(previous->dict_id);
          name_arena.push_back(t->dict_id);
          ++count;
        }
        previous = t;
      }
    }
    name_arena[count_at] = count;
  }
  std::size_t arena_words(uint32_t slot_id) const { return arena_words_at(slots[slot_id].names_at); }

  // --- readers (REQUIRES: shared lock) ---

  void token_view(uint32_t slot_id, std::size_t name, std::vector<const Token*>& out) const {
    out = slots[slot_id].names[name];
  }

  // Dictionary tokens a query token can be aligned with by the scorer: found through the
  // token itself, its phonetic key, and its one- and two-deletion neighbourhood, and kept only
  // when detail::token_similarity says the scorer would align them.
  void reach(const Token& q, bool exact_only, std::vector<uint32_t>& out, std::vector<float>& sims) const {
    out.clear();
    sims.clear();
    const std::string_view text = q.text;
    if (q.kind == TokenKind::kInitial || exact_only) {
      if (const auto id = find_token(text, false)) out.push_back(*id);
      sims.assign(out.size(), 1.0F);  // the token itself
      return;
    }
    // Every lookup's hash first, and its table line asked for; then the lines are read, by
    // then mostly arrived: some 30 lookups of a 10-letter word cost a few cache misses' time
    // instead of one after another. What a lookup finds is only a candidate: a token is kept
    // below only if token_similarity aligns it with q.
    struct Lookups {
      std::vector<uint64_t> ids, deletions, prefixes;  // token_ids, token_deletions, token_prefixes
    };
    thread_local Lookups look;
    look.ids.clear();
    look.deletions.clear();
    look.prefixes.clear();
    const std::size_t n = text.size();
    look.ids.push_back(token_key_hash(text, false));  // the token itself
    uint64_t phonetic_hash = 0;
    if (!q.phonetic.empty()) {
      phonetic_hash = detail::hash_bytes(q.phonetic, kPhoneticSeed);
      phonetic.prefetch(phonetic_hash);
    }
    if (n >= 2) {
      // One deletion on each side finds every single substitution, transposition, insertion
      // and deletion (the scorer's one-edit rule).
      look.deletions.push_back(detail::hash_without(text, std::string::npos, std::string::npos, kTokenDeletionSeed));
      for (std::size_t i = 0; i < n; ++i) {
        if (i > 0 && text[i] == text[i - 1]) continue;  // the same deletion as at i - 1
        look.deletions.push_back(detail::hash_without(text, i, std::string::npos, kTokenDeletionSeed));
        // Joined pairs are not in the deletion map: "IVANXPETROV" reaches "IVANPETROV".
        look.ids.push_back(detail::hash_without(text, i, std::string::npos, kTokenIdSeed));
      }
    }
    const detail::TokenSignature q_signature = detail::signature_of(q);
    if (n >= 7) {
      // Two edits in a long word after the same first three letters (the scorer's two-edit
      // rule); lengths the scorer's length guard admits: shorter * 4 >= longer * 3.
      for (std::size_t len = std::max<std::size_t>(7, (3 * n + 3) / 4); len * 3 <= 4 * n; ++len) {
        look.prefixes.push_back(prefix_key(text, len));
      }
    }
    for (uint64_t h : look.ids) token_ids.prefetch(h);
    for (uint64_t h : look.deletions) token_deletions.prefetch(h);
    for (uint64_t h : look.prefixes) token_prefixes.prefetch(h);

    auto add = [&out](uint32_t t) { out.push_back(t); };
    for (uint64_t h : look.ids) token_ids.find(h, add);
    if (phonetic_hash != 0) phonetic.find(phonetic_hash, add);
    for (uint64_t h : look.deletions) token_deletions.find(h, add);
    if (!look.prefixes.empty()) {
      // Of a bucket, only what detail::surely_apart keeps for two words of 7+ letters: the
      // same phonetic key, lengths beyond 64, or lengths within two and letter sets within
      // four.
      thread_local std::vector<const std::vector<PrefixEntry>*> buckets;
      buckets.clear();
      for (uint64_t key : look.prefixes) {
        token_prefixes.find(key, [&](uint32_t b) {
          if (prefix_bucket_keys[b] != key) return;
          buckets.push_back(&prefix_buckets[b]);
          __builtin_prefetch(prefix_buckets[b].data());
        });
      }
      const detail::EditDistanceFrom from_query(q.text);
      for (const auto* bucket : buckets) {
        for (const PrefixEntry& e : *bucket) {
          const bool same_phonetic = q_signature.phonetic != 0 && e.phonetic == q_signature.phonetic;
          const bool hostile_length = n > 64 || e.length > 64;
          const bool near = e.length + 2 >= n && e.length <= n + 2 && std::popcount(e.letters ^ q_signature.letters) <= 4;
          if (!same_phonetic && !hostile_length && near && e.length <= kPrefixText) {
            // Not of the same phonetic key, so the scorer aligns it only within its typing-error
            // rule (detail::token_similarity): checked on the text carried here.
            const std::string_view listed(e.text.data(), e.length);
            const int limit = listed.substr(0, 3) == text.substr(0, 3) ? 2 : 1;
            if (from_query.distance(listed) > limit) continue;
          }
          if (same_phonetic || hostile_length || near) out.push_back(e.id);
        }
      }
    }
    std::ranges::sort(out);
    out.erase(std::unique(out.begin(), out.end()), out.end());
    // Most tokens met through the neighbourhoods are not aligned with q: their 16-byte
    // signature shows most of them apart without reading the token (a cache miss or two each).
    // The signatures are asked for together, then the tokens left.
    for (uint32_t t : out) __builtin_prefetch(&signatures[t]);
    std::size_t near = 0;
    for (uint32_t t : out) {
      if (detail::surely_apart(q_signature, signatures[t])) continue;
      out[near++] = t;
      __builtin_prefetch(&token_at[t]);
    }
    out.resize(near);
    for (uint32_t t : out) __builtin_prefetch(token_at[t]);
    std::size_t kept = 0;
    for (uint32_t t : out) {
      const Token& listed = token(t).token;
      const double sim = listed.text == q.text ? 1.0 : detail::token_similarity(q, listed);
      if (sim <= 0) continue;
      out[kept++] = t;
      sims.push_back(static_cast<float>(sim));
    }
    out.resize(kept);
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
  // In the order of their ids, or grouped by their name words (slot_locality_order), worked
  // out before the lock is taken.
  std::vector<std::string> order;
  order.reserve(incoming.size());
  for (const auto& [id, e] : incoming) order.push_back(id);
  std::ranges::sort(order);
  if (options_.order_slots_by_name_words) {
    std::vector<const WatchlistEntity*> in_order;
    in_order.reserve(order.size());
    for (const auto& id : order) in_order.push_back(&incoming.at(id));
    const auto permutation = slot_locality_order(in_order);
    std::vector<std::string> grouped;
    grouped.reserve(order.size());
    for (std::size_t i : permutation) grouped.push_back(std::move(order[i]));
    order = std::move(grouped);
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
  state_->flush();
  std::ranges::sort(report.changed_ids);
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
  state_->flush();
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
  state_->flush();
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
  state_->flush();
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
  Stats stats{state_->live_count, static_cast<int64_t>(state_->tokens.size()),
              static_cast<int64_t>(state_->exact_ids.size() + state_->near_ids.size()),
              state_->capped_queries.load(std::memory_order_relaxed)};
  stats.names_scored = state_->names_scored.load(std::memory_order_relaxed);
  stats.pair_lists = static_cast<int64_t>(state_->pairs.size());
  for (const auto& [key, list] : state_->pairs) stats.pair_postings += static_cast<int64_t>(list.postings.size());
  return stats;
}

namespace {

// Supporting evidence: returns the change to a name score and appends its reasons.
// query_address: address_words_of(q.address); entity_addresses: address_words_of each of e's
// addresses, in order (Slot::address_words; null only when e has none).
double weigh_evidence(const ScreeningQuery& q, const WatchlistEntity& e, std::string* notes, bool* strong_identifier,
                      const std::vector<std::string>& query_address,
                      const std::vector<std::vector<std::string>>* entity_addresses) {
  double delta = 0;
  auto note = [notes](std::string_view s) {
    if (notes == nullptr) return;
    if (!notes->empty()) *notes += "; ";
    *notes += s;
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
    const std::vector<std::string>& qa = query_address;
    double best = 0;
    for (const auto& ea : *entity_addresses) {
      if (ea.empty() || qa.empty()) continue;
      std::size_t common = 0;
      for (const auto& t : qa) {
        if (std::ranges::find(ea, t) != ea.end()) ++common;
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
      if (notes) note(std::string(to_string(qi.type)) + " equal");
    } else if (same_type) {
      // Companies with the same name in one country are common; a different registration
      // number says it is another one.
      delta -= 0.25;
      if (notes) note(std::string(to_string(qi.type)) + " differs");
    }
  }
  return delta;
}

// An upper bound of weigh_evidence(q, e) (its additive part) from evidence_key(e), term by
// term: a date of birth adds at most 0.06, a country 0.03 if one of the entity's may be equal
// and -0.03 if it has others only, an address at most 0.06; identifiers only take off (an equal
// one lifts the score to 0.97, which the identifier pass finds).
double evidence_bound(const ScreeningQuery& q, uint64_t key) {
  double bound = 0;
  if (!q.date_of_birth.empty() && (key & kEvidenceDates)) bound += 0.06;
  if (!q.country.empty()) {
    const uint32_t code = country_code(q.country);
    bool known = (key & kEvidenceMoreCountries) != 0, equal = known;
    for (int k = 0; k < 4; ++k) {
      const uint64_t c = (key >> (10 * k)) & 0x3FFU;
      if (c == 0) break;
      known = true;
      if (c == code) equal = true;
    }
    bound += equal ? 0.03 : known ? -0.03 : 0.0;
  }
  if (!q.address.empty() && (key & kEvidenceAddresses)) bound += 0.06;
  return bound;
}

}  // namespace

namespace {

// The smallest name score that can still become a hit once evidence is added: evidence adds
// at most +0.06 (date of birth), +0.03 (country) and +0.06 (address), and only to a name score
// of at least threshold - 0.2 (see the final scores in run_screen).
double name_score_floor(const ScreeningQuery& q, double threshold) {
  double evidence = 0;
  if (!q.date_of_birth.empty()) evidence += 0.06;
  if (!q.country.empty()) evidence += 0.03;
  if (!q.address.empty()) evidence += 0.06;
  return threshold - std::min(evidence, 0.2);
}

// For every element of `sorted` also in `postings` (both ascending), mark(its position in
// sorted). The cheaper of: looking each posting up, looking each element up, or one merge.
template <typename Mark>
void mark_common(std::span<const uint32_t> sorted, std::span<const uint32_t> postings, Mark&& mark) {
  if (sorted.empty() || postings.empty()) return;
  if (postings.size() * 16 < sorted.size()) {
    for (uint32_t p : postings) {
      auto it = std::lower_bound(sorted.begin(), sorted.end(), p);
      if (it != sorted.end() && *it == p) mark(static_cast<std::size_t>(it - sorted.begin()));
    }
  } else if (sorted.size() * 16 < postings.size()) {
    auto from = postings.begin();
    for (std::size_t i = 0; i < sorted.size(); ++i) {
      from = std::lower_bound(from, postings.end(), sorted[i]);
      if (from == postings.end()) return;
      if (*from == sorted[i]) mark(i);
    }
  } else {
    // Without branches on the order (they are unpredictable): the hot loop of a query made of
    // common words.
    std::size_t i = 0, j = 0;
    const std::size_t n = sorted.size(), m = postings.size();
    const uint32_t* a_data = sorted.data();
    const uint32_t* b_data = postings.data();
    while (i < n && j < m) {
      const uint32_t a = a_data[i], b = b_data[j];
      if (a == b) mark(i);
      i += a <= b ? 1 : 0;
      j += b <= a ? 1 : 0;
    }
  }
}

// What a similarity below 1 takes off an aligned pair, in steps rounded down so that a bound
// built from them stays a bound. At most 5 steps (0.0625): the scorer may align a query word
// with two listed words it joins ("IVAN" with "LI VAN") when Jaro–Winkler says >= 0.93, a pair
// the index does not reach as such, so no reached token may claim more than that pair loses.
constexpr double kDeficitStep = 0.0125;
constexpr uint32_t kMaxDeficitSteps = 5;
uint32_t deficit_step_of(double similarity) {
  const double steps = std::floor((1.0 - similarity) / kDeficitStep - 1e-6);
  return steps <= 0 ? 0U : static_cast<uint32_t>(std::min<double>(steps, kMaxDeficitSteps));
}

// Per-thread buffers of the query path, reused so that a query allocates little.
struct Scratch {
  std::vector<Token> probes;
  std::vector<uint32_t> probe_masks;
  std::vector<std::vector<uint32_t>> reached;
  std::vector<std::vector<float>> reached_sims;  // token_similarity of each reached token
  std::vector<uint32_t> candidates, initial_candidates, selecting_tokens;
  std::vector<uint32_t> sort_buffer;  // detail::sort_packed's second array
  std::vector<std::pair<double, uint32_t>> to_score;
  // Per candidate, what the postings of the query's words tell of it (name_candidates): the
  // query words it reaches (bits), how many query words and listed words those postings stand
  // for, and how alike the closest listed token reached is to each query word.
  struct Mark {
    uint32_t cover;
    uint32_t pairs;  // the joined query pairs reaching one of its tokens
    uint8_t listed_many, if_merged;  // sums of ReachedToken's
    uint8_t hits, listed;
    // Per full-weight query word 0..7, 4 bits: the least (1 - similarity) of the listed tokens
    // reached, in steps of kDeficitStep rounded down (15: none reached).
    uint32_t deficits;
  };
  std::vector<Mark> marks;  // by position in `candidates`
  struct Reached {
    uint32_t token, mask, step;  // step: deficit_step_of the probe's similarity to the token
    uint32_t pair;               // the probe's bit in probe_pair_bits
  };
  // Per probe: 0 for a query word, a bit of its own for a query pair joined.
  std::vector<uint32_t> probe_pair_bits;
  std::vector<Reached> dict_masks;
  // Per distinct dictionary token reached, what a candidate posting it gets (Mark), by token.
  struct ReachedToken {
    uint32_t token, mask, deficits;
    uint32_t pairs;  // the joined query pairs reaching it (probe_pair_bits)
    // Listed full-weight tokens it can stand for (see name_candidates); the same times the
    // query words reaching it, for entities that repeat a token; 1 for a listed generic word a
    // full-weight query word reaches, which stands for a full-weight word only if merged.
    uint8_t stands_for, listed, listed_many, if_merged;
  };
  std::vector<ReachedToken> reached_tokens;
  // reached_tokens by token id, open addressing (name_candidates): {token, its index}; token
  // kNoToken is an empty entry.
  std::vector<std::pair<uint32_t, uint32_t>> reached_index;
  // The pair plan of name_candidates: pair lists and single tokens to read, and per query word
  // the paired tokens it reaches.
  std::vector<std::pair<const std::vector<uint32_t>*, uint32_t>> pair_lists;  // with the shape limit
  std::vector<std::pair<const std::vector<uint32_t>*, uint32_t>> pair_singles;
  // Lists of rare tokens a single query word reaches, whose entries are kept only if another
  // query word may align too (name_candidates), and those entries.
  std::vector<std::pair<const std::vector<uint32_t>*, uint32_t>> rare_singles;
  std::vector<uint32_t> rare_entries;
  std::vector<uint64_t> paired_seen;  // bitmap by paired_fingerprint
  std::vector<std::vector<uint32_t>> paired_reach;
  std::vector<std::pair<double, uint32_t>> ranked;
  std::vector<uint32_t> ranked_at;  // each one's position in `candidates`
  struct QueryUnit {
    uint32_t length, letters, pair;
    std::string text;
  };
  std::vector<QueryUnit> units;  // name_candidates: query words and pairs a listed pair may merge against
  std::unordered_map<uint64_t, uint64_t> merge_cache;  // name_candidates
  std::vector<const Token*> view;
  std::vector<uint32_t> done;  // per slot: the epoch of the query that scored it
  uint32_t epoch = 0;
};

Scratch& scratch() {
  thread_local Scratch s;
  return s;
}

// Declarations repeat words (given names, trades, common surnames): the dictionary tokens a
// query word reaches are kept per thread until the index changes (State::generation).
void cached_reach(const Screener::State& s, const Token& q, bool exact_only, std::vector<uint32_t>& out,
                  std::vector<float>& sims) {
  struct Cache {
    uint64_t generation = 0;
    std::unordered_map<std::string, std::pair<std::vector<uint32_t>, std::vector<float>>> map;
    std::string key;
  };
  thread_local Cache cache;
  if (cache.generation != s.generation) {
    cache.map.clear();
    cache.generation = s.generation;
  }
  cache.key.assign(1, exact_only ? 'E' : (q.kind == TokenKind::kInitial ? 'I' : 'N'));
  cache.key += q.text;
  if (auto it = cache.map.find(cache.key); it != cache.map.end()) {
    out = it->second.first;
    sims = it->second.second;
    return;
  }
  s.reach(q, exact_only, out, sims);
  if (cache.map.size() >= 65536) cache.map.clear();  // bounded: hostile input cannot grow it
  cache.map.emplace(cache.key, std::make_pair(out, sims));
}

// How many of a query name's full-weight words a listed name must match to score `floor`
// (name_candidates' `need`; 0 for a name of no full-weight word).
int words_needed(const std::vector<Token>& toks, double floor) {
  int normal = 0, generic = 0, initials = 0;
  for (const auto& t : toks) {
    if (t.kind == TokenKind::kNormal) ++normal;
    else if (t.kind == TokenKind::kGeneric) ++generic;
    else if (t.kind == TokenKind::kInitial) ++initials;
  }
  if (normal == 0) return 0;
  const double other_weight = generic * (0.2 + 1.0) / 2.0 + initials * (0.5 + 1.0) / 2.0;
  int need = normal;
  while (need > 1 && detail::score_names_bound(need - 1, normal, other_weight, 0, 0,
                                               2 * (need - 1 + generic + initials)) >= floor) {
    --need;
  }
  return need;
}

// Candidates for one query name, appended to `out` as slot ids. Every entity whose name can
// score at least `floor` against this query name is among them (save the cap): the scorer
// aligns a query token only with a token it reaches (Screener::State::reach), so an entity
// must reach `need` of the n full-weight query tokens (score_names_bound); it is then in the
// postings of one of the n - need + 1 query tokens with the fewest postings. Those postings
// are the candidates; the postings of all the query's tokens, merged against them, tell how
// many tokens each one reaches, and only the ones that can make `floor` are scored.
void name_candidates(const Screener::State& s, const QueryName& qn, double floor,
                     std::vector<std::pair<double, uint32_t>>& out) {
  Scratch& x = scratch();
  const auto& toks = qn.tokens;
  // Query token positions of full weight -> bits.
  // Full-weight tokens get bits 0..normal-1, generic words the bits above: whether a listed
  // name has a partner for a generic word is known too (its absence costs the word's weight).
  std::array<int, 24> bit_of{};
  int normal = 0, generic = 0, initials = 0;
  for (std::size_t i = 0; i < toks.size(); ++i) {
    if (toks[i].kind == TokenKind::kNormal) ++normal;
  }
  bit_of.fill(-1);
  {
    int next_normal = 0, next_generic = normal;
    for (std::size_t i = 0; i < toks.size(); ++i) {
      if (toks[i].kind == TokenKind::kNormal) bit_of[i] = next_normal++;
      else if (toks[i].kind == TokenKind::kGeneric) bit_of[i] = next_generic++, ++generic;
      else if (toks[i].kind == TokenKind::kInitial) ++initials;
    }
  }
  if (normal == 0) return;  // only generic words and initials: capped at 0.5 by the scorer
  const uint32_t normal_mask = (1U << normal) - 1;
  const uint32_t generic_mask = ((1U << (normal + generic)) - 1) & ~normal_mask;
  constexpr double kGenericPair = (0.2 + 1.0) / 2.0, kInitialPair = (0.5 + 1.0) / 2.0;
  // Before coverage is known: every generic word and initial assumed aligned.
  // listed_absorbed < 0: not known yet, every query token may absorb two listed ones.
  auto bound = [&](int covered, uint32_t shape, int listed_absorbed = -1, int generic_covered = -1,
                   double deficit = 0) {
    if (generic_covered < 0) generic_covered = generic;
    if (listed_absorbed < 0) listed_absorbed = 2 * (covered + generic + initials);
    const double other_weight = generic_covered * kGenericPair + initials * kInitialPair;
    const double other_unmatched = (generic - generic_covered) * 0.2;
    return detail::score_names_bound(covered, normal, other_weight, other_unmatched, static_cast<int>(shape),
                                     listed_absorbed, deficit);
  };
  int need = normal;
  while (need > 1 && bound(need - 1, 0) >= floor) --need;
  // A threshold low enough for names agreeing on no full-weight word is not supported: such
  // matches are capped at 0.5 and would make every entity a candidate.

  // Probes: every full-weight token (its typos and spellings), and every adjacent pair joined
  // ("XI JIN PING" reaches "XI JINPING", and "LI FANG LI" reaches "LI FANGLIN": see below).
  x.probes.clear();
  x.probe_masks.clear();
  x.probe_pair_bits.clear();
  std::array<uint32_t, 24> pair_bit_at{};  // the probe bit of the pair (i, i + 1) joined; 0: none
  int joined_probes = 0;
  for (std::size_t i = 0; i < toks.size(); ++i) {
    const Token& t = toks[i];
    if (t.kind == TokenKind::kLegalForm || t.kind == TokenKind::kInitial) continue;
    if (bit_of[i] >= 0) {  // full-weight and generic words
      x.probes.push_back(t);
      x.probe_masks.push_back(1U << bit_of[i]);
      x.probe_pair_bits.push_back(0);
    }
    if (i + 1 < toks.size() && toks[i + 1].kind != TokenKind::kLegalForm && toks[i + 1].kind != TokenKind::kInitial) {
      uint32_t mask = 0;
      if (bit_of[i] >= 0) mask |= 1U << bit_of[i];
      if (bit_of[i + 1] >= 0) mask |= 1U << bit_of[i + 1];
      if (mask == 0) continue;
      Token joined;
      joined.text = t.text + toks[i + 1].text;
      // As the word of that spelling would have it: the per-thread reach cache keys on the
      // text, so a joined pair and a query word spelled alike share one entry.
      joined.phonetic = detail::phonetic_key(joined.text);
      joined.kind = TokenKind::kNormal;
      joined.weight = 1;
      x.probes.push_back(std::move(joined));
      x.probe_masks.push_back(mask | (1U << 31));  // high bit: a joined pair
      pair_bit_at[i] = 1U << joined_probes++;
      x.probe_pair_bits.push_back(pair_bit_at[i]);
    }
  }
  if (x.reached.size() < x.probes.size()) x.reached.resize(x.probes.size());
  if (x.reached_sims.size() < x.probes.size()) x.reached_sims.resize(x.probes.size());
  std::array<std::size_t, 24> cost{};
  for (std::size_t p = 0; p < x.probes.size(); ++p) {
    const bool joined = (x.probe_masks[p] >> 31) != 0;
    x.probe_masks[p] &= ~(1U << 31);
    cached_reach(s, x.probes[p], false, x.reached[p], x.reached_sims[p]);
    if (joined) {
      // A query pair joined ("JIN PING" -> JINPING) aligns as one word with a listed word
      // written so, or written nearly so: the scorer joins a pair for a listed word of about
      // its length (one letter more or less) at Jaro–Winkler >= 0.93 ("LI FANG LI" for
      // "LI FANGLIN", 0.986; found only when spelled exactly, such names were the most of what
      // the index lost on the 1M-entity bench with addresses). The reach is kept to those.
      // A listed pair posted joined and never seen as one word is the same two words on both
      // sides, which the halves' own probes reach; counted here too, the pair would stand for
      // two more query words and two more listed ones.
      std::size_t kept = 0;
      const std::size_t joined_length = x.probes[p].text.size();
      for (std::size_t k = 0; k < x.reached[p].size(); ++k) {
        if (s.token(x.reached[p][k]).joined_only) continue;
        if (x.reached_sims[p][k] < 1.0F) {
          const std::size_t listed_length = s.token(x.reached[p][k]).token.text.size();
          if (x.reached_sims[p][k] < 0.93F || listed_length + 1 < joined_length || listed_length > joined_length + 1) continue;
        }
        x.reached_sims[p][kept] = x.reached_sims[p][k];
        x.reached[p][kept++] = x.reached[p][k];
      }
      x.reached[p].resize(kept);
      x.reached_sims[p].resize(kept);
    }
    std::size_t total = 0;
    for (uint32_t t : x.reached[p]) total += s.token(t).postings.size();
    for (int b = 0; b < normal; ++b) {
      if (x.probe_masks[p] & (1U << b)) cost[static_cast<std::size_t>(b)] += total;
    }
  }
  // The n - need + 1 cheapest query tokens select (or, below, pairs of the n - need + 2
  // cheapest).
  std::array<int, 24> order{};
  for (int b = 0; b < normal; ++b) order[static_cast<std::size_t>(b)] = b;
  std::sort(order.begin(), order.begin() + normal, [&](int l, int r) { return cost[static_cast<std::size_t>(l)] < cost[static_cast<std::size_t>(r)]; });
  uint32_t selecting = 0;
  for (int k = 0; k < normal - need + 1; ++k) selecting |= 1U << order[static_cast<std::size_t>(k)];

  // An entity can be a hit only if its shortest name is short enough for this query.
  uint32_t max_shape = 0;
  while (max_shape < kShapeMask && bound(normal, max_shape + 1) >= floor) ++max_shape;
  x.candidates.clear();
  x.initial_candidates.clear();
  x.selecting_tokens.clear();
  std::size_t singles_cost = 0;
  for (std::size_t p = 0; p < x.probes.size(); ++p) {
    for (uint32_t t : x.reached[p]) {
      // Names with initials: a query word may align with an initial, which no probe reaches;
      // they are few, and scored whenever any query word reaches them.
      const auto& ip = s.token(t).initial_postings;
      x.initial_candidates.insert(x.initial_candidates.end(), ip.begin(), ip.end());
      if ((x.probe_masks[p] & selecting) != 0) {
        x.selecting_tokens.push_back(t);
        singles_cost += s.token(t).postings.size();
      }
    }
  }
  for (uint32_t packed : x.initial_candidates) out.emplace_back(1.0, packed >> kShapeBits);

  // Pairs. A name that can score `floor` aligns `need` full-weight query words, each with a
  // listed token of its own that the word reaches (the scorer aligns one to one), so of the
  // n - need + 2 cheapest words it aligns two: it is in the pair list of their two listed
  // tokens when both are paired, else in the postings of the one that is not. A query pair
  // aligned as one word ("JIN PING" with JINPING) is reached through its joined probe, whose
  // postings are read whole. This reads far less than the postings of n - need + 1 words when
  // those are common ("ALI", "HASSAN"): the pairs are few, and the single lists left are short.
  bool by_pairs = false;
  if (need >= 2) {
    // rank: a word's place by cost (0 the cheapest). A name aligning c words is in the lists
    // of two of the n - c + 2 cheapest, so a word of rank r serves the names aligning up to
    // n - r + 1 words, and a pair the names aligning up to n - (the higher rank) + 1; and a
    // name aligning at most c words can score `floor` only if it has at most
    // shape_limit(c) full-weight words. Each list is read with the limit of the most words
    // its names may align: "ALI HASSAN" alone can make 0.91 against "ALI HASSAN AL HAMAD", but
    // a name of four full-weight words must then align all three.
    std::array<int, 24> rank{};
    for (int k = 0; k < normal; ++k) rank[static_cast<std::size_t>(order[static_cast<std::size_t>(k)])] = k;
    // A query word aligns with one listed word, or with two the scorer joins ("JIN PING" for
    // JINPING), which are posted joined: only the entities posting a joined token the query
    // reaches may have a query word take two. Their postings are read whole below with the
    // limit of two listed words per query word; every other list with the limit of one.
    std::array<uint32_t, 25> shape_limit{};
    for (int c = need; c <= normal; ++c) {
      uint32_t m = 0;
      while (m < kShapeMask && bound(c, m + 1, c + generic + initials) >= floor) ++m;
      shape_limit[static_cast<std::size_t>(c)] = m;
    }
    uint32_t joining_limit = 0;
    while (joining_limit < kShapeMask && bound(normal, joining_limit + 1) >= floor) ++joining_limit;
    auto limit_for_rank = [&](int r) -> int {  // -1: no name that can score floor needs it
      const int c = std::min(normal, normal - r + 1);
      return c < need ? -1 : static_cast<int>(shape_limit[static_cast<std::size_t>(c)]);
    };
    x.pair_lists.clear();
    x.pair_singles.clear();
    x.rare_singles.clear();
    std::size_t pairs_cost = 0, lookups = 0;
    for (auto& v : x.paired_reach) v.clear();
    if (x.paired_reach.size() < 24) x.paired_reach.resize(24);
    for (std::size_t p = 0; p < x.probes.size() && pairs_cost < singles_cost; ++p) {
      const uint32_t mask = x.probe_masks[p] & normal_mask;
      if (mask == 0) continue;
      int r = normal;
      for (uint32_t bits = mask; bits != 0; bits &= bits - 1) r = std::min(r, rank[static_cast<std::size_t>(std::countr_zero(bits))]);
      const int limit = limit_for_rank(r);
      if (limit < 0) continue;
      const bool joined = std::popcount(x.probe_masks[p]) > 1;
      for (uint32_t t : x.reached[p]) {
        if (s.token(t).ever_joined) {
          x.pair_singles.emplace_back(&s.token(t).postings, std::max(joining_limit, static_cast<uint32_t>(limit)));
          pairs_cost += s.token(t).postings.size();
        } else if (joined) {
          x.pair_singles.emplace_back(&s.token(t).postings, static_cast<uint32_t>(limit));
          pairs_cost += s.token(t).postings.size();
        } else if (!s.token(t).paired) {
          x.rare_singles.emplace_back(&s.token(t).postings, static_cast<uint32_t>(limit));
          pairs_cost += s.token(t).postings.size();
        } else {
          x.paired_reach[static_cast<std::size_t>(std::countr_zero(mask))].push_back(t);
        }
      }
    }
    for (int i = 0; i < normal && pairs_cost < singles_cost; ++i) {
      for (int j = i + 1; j < normal && pairs_cost < singles_cost; ++j) {
        const int limit = limit_for_rank(std::max(rank[static_cast<std::size_t>(i)], rank[static_cast<std::size_t>(j)]));
        if (limit < 0) continue;
        for (uint32_t a : x.paired_reach[static_cast<std::size_t>(i)]) {
          for (uint32_t b : x.paired_reach[static_cast<std::size_t>(j)]) {
            ++lookups;
            auto it = s.pairs.find(pair_key(a, b));
            if (it == s.pairs.end()) continue;
            x.pair_lists.emplace_back(&it->second.postings, static_cast<uint32_t>(limit));
            pairs_cost += it->second.postings.size();
          }
        }
        pairs_cost += lookups / 4;  // a lookup costs about what reading a few postings does
        lookups = 0;
      }
    }
    if (pairs_cost < singles_cost) {
      by_pairs = true;
      auto take = [](const std::vector<uint32_t>& list, uint32_t limit, std::vector<uint32_t>& out) {
        for (uint32_t packed : list) {
          if ((packed & kShapeMask) <= limit) out.push_back(packed);
        }
      };
      for (const auto& [list, limit] : x.pair_singles) take(*list, limit, x.candidates);
      for (const auto& [list, limit] : x.pair_lists) take(*list, limit, x.candidates);
      // A rare token's entry can be a hit only if the entity aligns a second of these words
      // (two of the n - need + 2 cheapest, above): through another rare token (then it is in
      // that token's list too, an equal entry), a joined token or a pair list (then it is a
      // candidate already), or a common (paired) token those words reach, which its
      // fingerprints show. Entries met once and posting no such token cannot become hits and
      // are not marked: most entries of a common word's rare spellings (ALY, HAMID) name one
      // query word only. Fingerprints can only let too many through.
      if (!x.rare_singles.empty()) {
        x.rare_entries.clear();
        for (const auto& [list, limit] : x.rare_singles) take(*list, limit, x.rare_entries);
        detail::sort_packed(x.rare_entries, x.sort_buffer);
        x.paired_seen.assign(65536 / 64, 0);
        auto see = [&](uint16_t f) { x.paired_seen[f >> 6] |= uint64_t{1} << (f & 63); };
        see(kManyPaired);
        for (int b = 0; b < normal; ++b) {
          for (uint32_t t : x.paired_reach[static_cast<std::size_t>(b)]) see(paired_fingerprint(t));
        }
        const uint64_t* seen = x.paired_seen.data();
        const auto* fingerprints = s.slot_paired.data();
        const uint32_t* e = x.rare_entries.data();
        const std::size_t count = x.rare_entries.size();
        constexpr std::size_t kAhead = 16;
        for (std::size_t i = 0; i < count;) {
          std::size_t j = i + 1;
          while (j < count && e[j] == e[i]) ++j;
          if (j + kAhead < count) __builtin_prefetch(fingerprints + (e[j + kAhead] >> kShapeBits));
          bool keep = j - i >= 2;
          if (!keep) {
            for (uint16_t f : fingerprints[e[i] >> kShapeBits]) {
              if (f != 0 && ((seen[f >> 6] >> (f & 63)) & 1U) != 0) {
                keep = true;
                break;
              }
            }
          }
          if (keep) x.candidates.push_back(e[i]);
          i = j;
        }
      }
      // Ascending packed order puts a slot's least name length first: a name that can be a
      // hit is in a pair list with its own length (or in a single list with the entity's
      // least), so the least found is a bound for it.
      detail::sort_packed(x.candidates, x.sort_buffer);
      x.candidates.erase(std::unique(x.candidates.begin(), x.candidates.end(),
                                     [](uint32_t l, uint32_t r) { return (l >> kShapeBits) == (r >> kShapeBits); }),
                         x.candidates.end());
    }
  }
  if (!by_pairs) {
    // The union of the selecting tokens' posting lists: appended, then sorted once (merging
    // the lists one into the next moved the first ones as many times as there were lists).
    std::ranges::sort(x.selecting_tokens);
    x.selecting_tokens.erase(std::unique(x.selecting_tokens.begin(), x.selecting_tokens.end()), x.selecting_tokens.end());
    for (uint32_t t : x.selecting_tokens) {
      for (uint32_t packed : s.token(t).postings) {
        if ((packed & kShapeMask) <= max_shape) x.candidates.push_back(packed);
      }
    }
    if (x.selecting_tokens.size() > 1) detail::sort_packed(x.candidates, x.sort_buffer);
    x.candidates.erase(std::unique(x.candidates.begin(), x.candidates.end()), x.candidates.end());
  }
  if (x.candidates.empty()) return;
  // Each distinct dictionary token once, with the query tokens it stands for: an entity token
  // aligns with one query token only, so "MOHAMMED MOHAMMED X" does not cover both MOHAMMEDs of
  // the query with one MOHAMMED (save entities that repeat a token themselves).
  x.dict_masks.clear();
  for (std::size_t p = 0; p < x.probes.size(); ++p) {
    for (std::size_t k = 0; k < x.reached[p].size(); ++k) {
      x.dict_masks.push_back({x.reached[p][k], x.probe_masks[p], deficit_step_of(x.reached_sims[p][k]), x.probe_pair_bits[p]});
    }
  }
  std::sort(x.dict_masks.begin(), x.dict_masks.end(),
            [](const Scratch::Reached& l, const Scratch::Reached& r) { return l.token < r.token; });
  x.marks.assign(x.candidates.size(), Scratch::Mark{0, 0, 0, 0, 0, 0, ~0U});
  Scratch::Mark* marks = x.marks.data();
  x.reached_tokens.clear();
  std::size_t reached_postings = 0;
  for (std::size_t i = 0; i < x.dict_masks.size();) {
    const uint32_t t = x.dict_masks[i].token;
    uint32_t mask = 0;
    int stands_for = 1;  // a token reached by a joined pair of the query aligns with both halves
    uint32_t deficits = ~0U;  // per full-weight query word below bit 8, as in Mark::deficits
    uint32_t pairs = 0;
    for (; i < x.dict_masks.size() && x.dict_masks[i].token == t; ++i) {
      const uint32_t probe_mask = x.dict_masks[i].mask;
      mask |= probe_mask;
      pairs |= x.dict_masks[i].pair;
      stands_for = std::max(stands_for, std::popcount(probe_mask));
      for (uint32_t bits = probe_mask & normal_mask & 0xFFU; bits != 0; bits &= bits - 1) {
        const int b = std::countr_zero(bits);
        const uint32_t have = (deficits >> (4 * b)) & 0xFU;
        const uint32_t step = x.dict_masks[i].step;
        if (step < have) deficits = (deficits & ~(0xFU << (4 * b))) | (step << (4 * b));
      }
    }
    // Listed full-weight tokens this one can stand for: a listed pair posted joined ("JINPING"
    // of "JIN PING") is two when a full-weight query word reaches it; a listed word a generic
    // query word reaches ("ALI" from "AL") is one; a listed generic word is none. A listed
    // generic word a full-weight query word reaches still counts one: the scorer may join it
    // with its neighbour ("LI VAN" -> LIVAN for IVAN), which then stands for that neighbour.
    // Counted apart (if_merged): a listed generic word only stands for a full-weight one when
    // merged with it, which the ranking below rules out for most entities.
    // An entity repeating a token (MOHAMMED MOHAMMED) aligns as many of its copies as there
    // are query words reaching it, at most (listed_many).
    int listed = 0, if_merged = 0;
    const DictToken& reached = s.token(t);
    if (mask & normal_mask) {
      if (reached.token.kind == TokenKind::kGeneric && !reached.ever_joined) if_merged = 1;
      else listed = reached.ever_joined ? 2 : 1;
    } else if (reached.token.kind != TokenKind::kGeneric) {
      listed = 1;
    }
    const int many = listed * std::max(1, std::popcount(mask & (normal_mask | generic_mask)));
    x.reached_tokens.push_back({t, mask, deficits, pairs, static_cast<uint8_t>(stands_for), static_cast<uint8_t>(listed),
                                static_cast<uint8_t>(std::min(255, many)), static_cast<uint8_t>(if_merged)});
    reached_postings += s.token(t).postings.size();
  }
  auto mark = [&](Scratch::Mark& m, const Scratch::ReachedToken& r) {
    m.cover |= r.mask;
    m.pairs |= r.pairs;
    for (uint32_t bits = r.mask & normal_mask & 0xFFU; bits != 0; bits &= bits - 1) {
      const int b = std::countr_zero(bits);
      const uint32_t step = (r.deficits >> (4 * b)) & 0xFU;
      if (step < ((m.deficits >> (4 * b)) & 0xFU)) m.deficits = (m.deficits & ~(0xFU << (4 * b))) | (step << (4 * b));
    }
    m.hits = static_cast<uint8_t>(std::min(255, m.hits + r.stands_for));
    m.listed = static_cast<uint8_t>(std::min(255, m.listed + r.listed));
    m.listed_many = static_cast<uint8_t>(std::min(255, m.listed_many + r.listed_many));
    m.if_merged = static_cast<uint8_t>(std::min(255, m.if_merged + r.if_merged));
  };
  // The reached tokens by id (open addressing): each candidate's posted tokens are looked up in
  // it (below), and a repeating entity's names (repeat_absorbed).
  constexpr uint32_t kNoToken = UINT32_MAX;
  const std::size_t table_size = std::bit_ceil(std::max<std::size_t>(64, 4 * x.reached_tokens.size()));
  const int shift = 32 - std::countr_zero(table_size);
  const std::size_t table_mask = table_size - 1;
  x.reached_index.assign(table_size, {kNoToken, 0});
  const auto slot_of = [shift](uint32_t token) { return static_cast<std::size_t>((token * 0x9E3779B1U) >> shift); };
  for (std::size_t k = 0; k < x.reached_tokens.size(); ++k) {
    std::size_t h = slot_of(x.reached_tokens[k].token);
    while (x.reached_index[h].first != kNoToken) h = (h + 1) & table_mask;
    x.reached_index[h] = {x.reached_tokens[k].token, static_cast<uint32_t>(k)};
  }
  const std::pair<uint32_t, uint32_t>* table = x.reached_index.data();
  // The index in reached_tokens of a token, or kNoToken.
  auto reached_at = [&](uint32_t token) {
    for (std::size_t h = slot_of(token);; h = (h + 1) & table_mask) {
      if (table[h].first == token) return table[h].second;
      if (table[h].first == kNoToken) return kNoToken;
    }
  };
  // (By pairs, always: a candidate's packed value there holds one name's length, not the
  // entity's, and would not be found in the token postings by value.)
  if (by_pairs || x.candidates.size() * 16 < reached_postings) {
    // Few candidates: each one's own posted tokens (a short run in the posted arena) looked up
    // among the reached ones give the same marks as merging the reached tokens' posting lists
    // against the candidates, without reading those lists. A candidate posts 5-15 tokens and
    // the query reaches tens to hundreds: each posted token is looked up by its id in a table
    // at most a quarter full (one probe, mostly an empty entry); a merge with a binary search
    // per token not reached took a quarter of this function's time on the 1M bench list.
    // Each candidate's record is a cache miss or two: they are asked for ahead, so that the
    // misses overlap instead of following one another.
    constexpr std::size_t kAheadOffset = 16, kAheadRecord = 8;
    const std::size_t count = x.candidates.size();
    const uint32_t* at = s.slot_posted_at.data();
    for (std::size_t i = 0; i < std::min(count, kAheadOffset); ++i) __builtin_prefetch(at + (x.candidates[i] >> kShapeBits));
    for (std::size_t i = 0; i < std::min(count, kAheadRecord); ++i) __builtin_prefetch(s.posted_arena.data() + at[x.candidates[i] >> kShapeBits]);
    for (std::size_t i = 0; i < count; ++i) {
      if (i + kAheadOffset < count) __builtin_prefetch(at + (x.candidates[i + kAheadOffset] >> kShapeBits));
      if (i + kAheadRecord < count) __builtin_prefetch(s.posted_arena.data() + at[x.candidates[i + kAheadRecord] >> kShapeBits]);
      const uint32_t* p = s.posted_arena.data() + at[x.candidates[i] >> kShapeBits];
      const uint32_t* p_end = p + 1 + *p;
      ++p;
      for (; p != p_end; ++p) {
        if (const uint32_t k = reached_at(*p); k != kNoToken) mark(marks[i], x.reached_tokens[k]);
      }
    }
  } else {
    for (const auto& r : x.reached_tokens) {
      mark_common(x.candidates, s.token(r.token).postings, [&](std::size_t at) { mark(marks[at], r); });
    }
  }
  auto covered_of = [&](std::size_t i) {
    const Scratch::Mark& m = marks[i];
    const int bits = std::popcount(m.cover & normal_mask);
    return (x.candidates[i] & kRepeatFlag) ? bits : std::min<int>(bits, m.hits);
  };
  // A listed token aligns with one query word (two when it is a pair written as one word, which
  // `hits` counts twice): without a repeated listed token, no more query words align than the
  // postings met stand for, so full-weight words covered leave hits - covered for the generic
  // ones ("ALI" reached by both ALI and AL aligns with one of them).
  auto generic_of = [&](std::size_t i) {
    const Scratch::Mark& m = marks[i];
    const int bits = std::popcount(m.cover & generic_mask);
    if (x.candidates[i] & kRepeatFlag) return bits;
    const int covered = std::min<int>(std::popcount(m.cover & normal_mask), m.hits);
    return std::max(0, std::min(bits, static_cast<int>(m.hits) - covered));
  };
  // The least the `covered` full-weight words aligned can lose to being merely alike: the
  // smallest of their per-word deficits (words past the eighth count none), each pair weighing
  // at least (1 + 0.2) / 2 (a listed generic word).
  auto deficit_of = [&](std::size_t i, int covered) {
    const Scratch::Mark& m = marks[i];
    std::array<uint32_t, 24> steps{};
    int n = 0;
    for (uint32_t bits = m.cover & normal_mask; bits != 0; bits &= bits - 1) {
      const int b = std::countr_zero(bits);
      steps[static_cast<std::size_t>(n++)] = b < 8 ? (m.deficits >> (4 * b)) & 0xFU : 0U;
    }
    if (covered <= 0) return 0.0;
    std::sort(steps.begin(), steps.begin() + n);
    uint32_t sum = 0;
    for (int k = 0; k < std::min(covered, n); ++k) sum += steps[static_cast<std::size_t>(k)];
    return 0.6 * kDeficitStep * sum;
  };
  // Whether the scorer could merge any adjacent pair of the entity's names against this
  // query (merge_split_tokens; the pairs are in the name arena, append_listed_pairs): some
  // query word, or adjacent query pair joined as the scorer may join it, is of about the
  // pair's joined length and longer than either half, and some is of about its length and may
  // be within Jaro–Winkler 0.93 of it. That needs Jaro >= (0.93 - 0.4) / 0.6 (a prefix of at
  // most four), so at least 65 % of the joined pair's letters matched: at most 35 % of them
  // may be letters the query word lacks. "AL RASIDI" cannot merge against ALI, MOHAMMED,
  // DOSOUN: ALRASIDI has four letters MOHAMMED lacks, the only word of a length near it.
  // A query pair joined is such a word only for an entity the scorer joins it for (one of its
  // words is within Jaro–Winkler 0.93 of the pair joined): one its probe reached (Mark::pairs).
  // A pair the probes do not join (across a legal form) is always counted.
  auto& units = x.units;  // QueryUnit::pair: its probe bit, 0 for a word (or always counted)
  units.clear();
  {
    std::size_t previous = SIZE_MAX;
    for (std::size_t i = 0; i < toks.size(); ++i) {
      const Token& t = toks[i];
      if (t.kind == TokenKind::kLegalForm) continue;
      const uint32_t letters = detail::signature_of(t).letters;
      units.push_back({static_cast<uint32_t>(t.text.size()), letters, 0, t.text});
      if (previous != SIZE_MAX && toks[previous].kind != TokenKind::kInitial && t.kind != TokenKind::kInitial) {
        units.push_back({static_cast<uint32_t>(toks[previous].text.size() + t.text.size()),
                         letters | detail::signature_of(toks[previous]).letters,
                         previous + 1 == i ? pair_bit_at[previous] : 0U, toks[previous].text + t.text});
      }
      previous = i;
    }
  }
  // Per listed pair (two dictionary ids), the query units it joins against (bits by unit),
  // emptied per query name.
  auto& merge_cache = x.merge_cache;
  merge_cache.clear();
  auto merging_units = [&](uint32_t first_id, uint32_t second_id) {
    const auto [it, fresh] = merge_cache.try_emplace(static_cast<uint64_t>(first_id) << 32 | second_id, 0);
    if (fresh) {
      const std::string& first = s.token(first_id).token.text;
      const std::string& second = s.token(second_id).token.text;
      for (std::size_t u = 0; u < units.size(); ++u) {
        if (detail::pair_joins(first, second, units[u].text)) it->second |= uint64_t{1} << u;
      }
    }
    return it->second;
  };
  auto listed_pair_may_merge = [&](uint32_t slot, uint32_t pairs_reached) {
    uint64_t allowed = 0;  // the units that count for this entity (bits by unit)
    for (std::size_t u = 0; u < units.size(); ++u) {
      if (units[u].pair == 0 || (units[u].pair & pairs_reached) != 0) allowed |= uint64_t{1} << u;
    }
    const uint32_t* p = s.name_arena.data() + s.slot_names_at[slot];
    for (uint32_t n = *p++; n > 0; --n) {
      const uint32_t length = *p;
      p += 1 + length;
    }
    for (uint32_t k = *p++; k > 0; --k, p += Screener::State::kListedPairWords) {
      const uint32_t letters = p[0], joined = p[1] & 0xFFU, half = (p[1] >> 8) & 0xFFU;
      // Lengths of 255 stand for longer ones (hostile input): asked of the tokens.
      bool pre = joined == 255 || half == 255, join = pre;
      for (std::size_t u = 0; u < units.size(); ++u) {
        const auto& o = units[u];
        if ((allowed >> u & 1U) == 0 || o.length + 1 < joined || o.length > joined + 1) continue;
        if (o.length > half) pre = true;
        if (joined > 64 || o.length > 64 || 20 * std::popcount(letters & ~o.letters) <= 7 * static_cast<int>(joined)) {
          join = true;
        }
      }
      // Maybe: the scorer's own test, on the two tokens, once per distinct pair and query
      // (namesakes share their pairs).
      if (pre && join && (merging_units(p[2], p[3]) & allowed) != 0) return true;
    }
    return false;
  };
  // For an entity repeating a token (MOHAMMED MOHAMMED AL KHATIB): the listed words its names
  // can have aligned without merges, each reached token counting its copies in the name but no
  // more than the query words reaching it (Mark::listed_many counts one per query word). Read
  // from the per-name part of its posted record (name count, then per name its length,
  // full-weight count and ids), only for a candidate whose bound still passes without it.
  auto repeat_absorbed = [&](std::size_t i) {
    const uint32_t* p = s.posted_arena.data() + s.slot_posted_at[x.candidates[i] >> kShapeBits];
    p += 1 + *p;
    uint32_t most = 0;
    for (uint32_t n = *p++; n > 0; --n) {
      const uint32_t length = *p;
      const uint32_t* ids = p + 2;
      p += 2 + length;
      uint32_t absorbed = 0;
      for (uint32_t a = 0; a < length; ++a) {
        const uint32_t k = reached_at(ids[a]);
        if (k == kNoToken || std::find(ids, ids + a, ids[a]) != ids + a) continue;  // once per token
        const auto copies = static_cast<uint32_t>(std::count(ids + a, ids + length, ids[a]));
        const Scratch::ReachedToken& r = x.reached_tokens[k];
        const auto query_words = static_cast<uint32_t>(std::max(1, std::popcount(r.mask & (normal_mask | generic_mask))));
        absorbed += r.listed * std::min(copies, query_words);
      }
      most = std::max(most, absorbed);
    }
    return static_cast<int>(std::min<uint32_t>(most, marks[i].listed_many));
  };
  x.ranked.clear();
  x.ranked_at.clear();
  for (std::size_t i = 0; i < x.candidates.size(); ++i) {
    const int covered = covered_of(i);
    const uint32_t shape = x.candidates[i] & kShapeMask;
    const bool repeats = (x.candidates[i] & kRepeatFlag) != 0;
    const int generic_covered = generic_of(i);
    const double deficit = deficit_of(i, covered);
    const Scratch::Mark& m = marks[i];
    // First as if the entity had a listed pair the scorer merges: a listed generic word a
    // full-weight query word reaches then stands for a full-weight word (the scorer may join
    // it with its neighbour: "LI VAN" -> LIVAN for IVAN), and an entity repeating a token
    // may align two listed words per query word (-1).
    const int listed_if_merged = repeats ? -1 : m.listed + m.if_merged + initials;
    double b = bound(covered, shape, listed_if_merged, generic_covered, deficit);
    if (b < floor) continue;
    // Then, for an entity none of whose pairs can merge against the query (most: "AL" +
    // a surname), without those: a listed word stands for itself, and a repeated one for as
    // many copies as query words reach it.
    int listed = repeats ? std::min(m.listed_many + initials, 2 * (covered + generic + initials)) : m.listed + initials;
    if (listed_if_merged < 0 || listed < listed_if_merged) {
      double tighter = bound(covered, shape, listed, generic_covered, deficit);
      if (repeats && tighter >= floor) {  // the copies its names hold (a record read: only then)
        listed = std::min(listed, repeat_absorbed(i) + initials);
        tighter = bound(covered, shape, listed, generic_covered, deficit);
      }
      if (tighter < b && !listed_pair_may_merge(x.candidates[i] >> kShapeBits, m.pairs)) {
        b = tighter;
        if (b < floor) continue;
      }
    }
    x.ranked.emplace_back(b, x.candidates[i] >> kShapeBits);
    x.ranked_at.push_back(static_cast<uint32_t>(i));
  }
  if (x.ranked.size() > kMaxScoredPerName) {
    // Rank by the rarity of the query words each one reaches (IDF), best first.
    s.capped_queries.fetch_add(1, std::memory_order_relaxed);
    std::array<double, 24> idf{};
    const double n_live = static_cast<double>(std::max<int64_t>(s.live_count, 1));
    for (int b = 0; b < normal; ++b) {
      idf[static_cast<std::size_t>(b)] = std::log(n_live / (1.0 + static_cast<double>(cost[static_cast<std::size_t>(b)])));
    }
    for (std::size_t k = 0; k < x.ranked.size(); ++k) {
      double w = 0;
      for (int b = 0; b < normal; ++b) {
        if (marks[x.ranked_at[k]].cover & (1U << b)) w += idf[static_cast<std::size_t>(b)];
      }
      // Equal rarity (a one-word query: every candidate) goes by the bound, which x.ranked[k]
      // holds so far: by slot order it would be an arbitrary cut.
      x.ranked[k].first = w + 1e-4 * x.ranked[k].first;
    }
    std::ranges::nth_element(x.ranked, x.ranked.begin() + kMaxScoredPerName,
                             [](const auto& l, const auto& r) { return l.first > r.first; });
    x.ranked.resize(kMaxScoredPerName);
    for (auto& r : x.ranked) r.first = 1.0;  // the rarity weight is no score bound
  }
  out.insert(out.end(), x.ranked.begin(), x.ranked.end());
}

std::vector<Hit> run_screen(const Screener::State& s, const ScreenerOptions& options, const ScreeningQuery& q,
                            const std::unordered_set<uint32_t>* filter, bool brute, std::size_t max_hits) {
  std::unordered_map<uint32_t, Candidate> candidates;
  auto allowed = [&](uint32_t slot) {
    return s.slot_live_type[slot] != 0 && (filter == nullptr || filter->contains(slot));
  };
  // Against a handful of changed entities (a re-screen after an import), score them all.
  if (filter != nullptr && filter->size() <= kDirectRescreenLimit) brute = true;
  const double floor = name_score_floor(q, options.threshold);

  const std::vector<std::string> query_address = q.address.empty() ? std::vector<std::string>{} : address_words_of(q.address);
  // A candidate's final score from its name and identifier scores and weigh(strong), what the
  // evidence adds (weigh_evidence, or its shortcut below).
  auto combine = [&](const Candidate& c, auto&& weigh, bool* strong, double* name_score) {
    *strong = false;
    *name_score = 0;
    if (c.query_name >= 0 && c.name_score >= options.threshold - 0.2) {
      *name_score = std::clamp(c.name_score + weigh(strong), 0.0, 1.0);
    } else if (c.query_name >= 0 || c.id_score == 0) {
      weigh(strong);
      *name_score = c.name_score;
    }
    double score = std::max(*name_score, c.id_score);
    if (*strong) score = std::max(score, 0.97);
    return score;
  };
  auto final_score_of = [&](const Candidate& c, uint32_t slot, std::string* notes, bool* strong, double* name_score) {
    const Slot& listed = s.slots[slot];
    return combine(
        c,
        [&](bool* strong_identifier) {
          return weigh_evidence(q, *listed.entity, notes, strong_identifier, query_address, listed.address_words.get());
        },
        strong, name_score);
  };
  // The same score without reading the entity, for a query whose only evidence is a country
  // (a declaration's party without a street address, most ad-hoc queries), when the entity's
  // evidence word holds all of its countries: weigh_evidence then adds exactly evidence_bound
  // (and no identifier can lift the score). The top-k pass scores thousands of candidates for
  // a common name, and reading each entity cost several cache misses (its slot, the entity,
  // its nationalities and addresses).
  const bool evidence_by_key =
      q.date_of_birth.empty() && q.address.empty() && std::ranges::none_of(q.identifiers, [](const Identifier& i) {
        const char cls = identifier_class(i.type);
        return cls == 'E' || cls == 'T' || cls == 'D';
      });
  auto final_score_without_notes = [&](uint32_t slot, const Candidate& c) {
    const uint64_t key = s.slot_evidence[slot];
    bool strong = false;
    double name_score = 0;
    if (!evidence_by_key || (key & kEvidenceMoreCountries) != 0) return final_score_of(c, slot, nullptr, &strong, &name_score);
    return combine(c, [&](bool*) { return evidence_bound(q, key); }, &strong, &name_score);
  };
  // Hits of equal score are ranked by list, then id (the total order of the results).
  auto comes_before = [&](uint32_t slot_a, uint32_t slot_b) {
    const WatchlistEntity& a = *s.slots[slot_a].entity;
    const WatchlistEntity& b = *s.slots[slot_b].entity;
    return a.list != b.list ? a.list < b.list : a.id < b.id;
  };
  const double max_evidence = name_score_floor(q, 1.0) < 1.0 ? 1.0 - name_score_floor(q, 1.0) : 0.0;
  bool pruned = false;

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
      names.push_back(std::move(qn));
    };
    add_name(q.name);
    for (const auto& n : q.other_names) add_name(n);
    for (auto& qn : names) {
      for (const auto& t : qn.tokens) qn.pointers.push_back(&t);
    }
  }

  // The index path scores through NameScorer (each distinct pair of query and dictionary
  // token compared once per query); brute force calls score_names itself, so that the bench's
  // comparison of the two also checks that they agree.
  std::vector<std::unique_ptr<detail::NameScorer>> scorers;
  if (!brute) {
    auto dictionary = [&s](uint32_t id) -> const Token& { return s.token(id).token; };
    for (const auto& qn : names) {
      scorers.push_back(std::make_unique<detail::NameScorer>(qn.pointers, dictionary, s.signatures));
    }
  }
  // Entities whose names the index path scored, added to Stats::names_scored once per query.
  struct ScoredCount {
    std::atomic<int64_t>& total;
    int64_t count = 0;
    ~ScoredCount() { total.fetch_add(count, std::memory_order_relaxed); }
  } names_scored{s.names_scored};
  // Names that cannot become a hit are not kept: the same rule for the index and brute force.
  auto score_slot_names = [&](uint32_t slot_id) {
    if (!brute) ++names_scored.count;
    const auto type = static_cast<EntityType>(s.slot_live_type[slot_id] - 1);
    if (!type_compatible(q.type, type)) return;
    double best = 0;
    int best_query = -1, best_name = -1;
    for (std::size_t qi = 0; qi < names.size(); ++qi) {
      if (brute) {
        const Slot& slot = s.slots[slot_id];
        for (std::size_t ni = 0; ni < slot.names.size(); ++ni) {
          const double sc = detail::score_names(names[qi].pointers, slot.names[ni], nullptr);
          if (sc > best) {
            best = sc;
            best_query = static_cast<int>(qi);
            best_name = static_cast<int>(ni);
          }
        }
        continue;
      }
      const uint32_t* p = s.name_arena.data() + s.slot_names_at[slot_id];
      const uint32_t name_count = *p++;
      for (uint32_t ni = 0; ni < name_count; ++ni) {
        const uint32_t length = *p++;
        const double sc = scorers[qi]->score_ids(std::span(p, length));
        p += length;
        if (sc > best) {
          best = sc;
          best_query = static_cast<int>(qi);
          best_name = static_cast<int>(ni);
        }
      }
    }
    if (best < floor) return;
    Candidate& c = candidates[slot_id];
    c.name_score = best;
    c.query_name = best_query;
    c.entity_name = best_name;
    c.final_score = -1;
  };

  if (!names.empty()) {
    if (brute) {
      if (filter != nullptr) {
        for (uint32_t slot : *filter) {
          if (allowed(slot)) score_slot_names(slot);
        }
      } else {
        for (uint32_t slot = 0; slot < s.slots.size(); ++slot) {
          if (allowed(slot)) score_slot_names(slot);
        }
      }
    } else {
      const bool prune = max_hits < kDirectRescreenLimit && filter == nullptr && s.reviewed.empty();
      // Top-k by levels: a common name has thousands of listed namesakes near the threshold,
      // but its best max_hits usually score well above it. The candidates are first those whose
      // name can score at least a high level; if max_hits of them already score at least that
      // level plus the most evidence can add, no entity left out (name score below the level)
      // can enter, and the query is answered. Else the candidates down to the name score that
      // could still reach the tenth score (the floor when fewer than max_hits were found).
      // Within a level: once max_hits scores are known, a candidate whose bound (plus the most evidence
      // can add) is below the lowest of them cannot enter. A hit dropped later (an excluded
      // listed name) makes the query run again without this cut.
      // The max_hits best final scores so far in the total order (score, list, id), as a heap
      // whose front is the last of them.
      struct Best {
        double score;
        uint32_t slot;
      };
      auto better = [&](const Best& l, const Best& r) {
        return l.score != r.score ? l.score > r.score : comes_before(l.slot, r.slot);
      };
      std::vector<Best> best;
      // Slots scored at a higher level (per-thread marks, a new epoch per query).
      Scratch& x = scratch();
      if (x.done.size() < s.slots.size()) x.done.resize(s.slots.size(), 0);
      if (++x.epoch == 0) {
        std::ranges::fill(x.done, 0);
        x.epoch = 1;
      }
      const uint32_t epoch = x.epoch;
      auto& to_score = x.to_score;
      double level = floor;
      if (prune && 0.99 - max_evidence > floor + 0.01) level = 0.99 - max_evidence;
      // The high level is worth a pass of its own only if it selects fewer words' postings
      // than the floor: with the same words needed (names of one or two full-weight words),
      // its candidates are those of the floor over again.
      if (level > floor && std::ranges::all_of(names, [&](const QueryName& qn) {
            return words_needed(qn.tokens, level) == words_needed(qn.tokens, floor);
          })) {
        level = floor;
      }
      for (bool first = true;; first = false) {
        const bool last = level <= floor;
        to_score.clear();
        for (const auto& qn : names) name_candidates(s, qn, level, to_score);
        // Best bound first; one entry per slot (its highest bound).
        std::ranges::sort(to_score, [](const auto& l, const auto& r) {
          return l.second != r.second ? l.second < r.second : l.first > r.first;
        });
        to_score.erase(std::unique(to_score.begin(), to_score.end(),
                                   [](const auto& l, const auto& r) { return l.second == r.second; }),
                       to_score.end());
        if (prune) {
          // Each candidate's bound becomes the most its final score can be: its name bound plus
          // the most its own evidence can add (evidence_bound, never above max_evidence), best
          // first. The entities' evidence words are asked for ahead.
          constexpr std::size_t kAhead = 16;
          const uint64_t* evidence = s.slot_evidence.data();
          for (std::size_t i = 0; i < std::min(kAhead, to_score.size()); ++i) __builtin_prefetch(evidence + to_score[i].second);
          for (std::size_t i = 0; i < to_score.size(); ++i) {
            if (i + kAhead < to_score.size()) __builtin_prefetch(evidence + to_score[i + kAhead].second);
            auto& [b, slot] = to_score[i];
            b = std::min(1.0, b + std::min(max_evidence, evidence_bound(q, evidence[slot])));
          }
          std::ranges::sort(to_score, [](const auto& l, const auto& r) { return l.first > r.first; });
        }
        // As in name_candidates: the next candidates' names are asked for ahead, and once a
        // name has arrived, the signatures of its first tokens (the scorer reads the signature
        // of each token it has not met in this query, and most are new: a candidate's other
        // names).
        constexpr std::size_t kAheadOffset = 16, kAheadNames = 8, kAheadSignatures = 3, kSignaturesAsked = 24;
        const uint32_t* names_at = s.slot_names_at.data();
        const detail::TokenSignature* signatures = s.signatures.data();
        for (std::size_t i = 0; i < to_score.size(); ++i) {
          if (i + kAheadOffset < to_score.size()) __builtin_prefetch(names_at + to_score[i + kAheadOffset].second);
          if (i + kAheadNames < to_score.size()) __builtin_prefetch(s.name_arena.data() + names_at[to_score[i + kAheadNames].second]);
          if (const std::size_t at = i + kAheadSignatures < to_score.size() ? names_at[to_score[i + kAheadSignatures].second] : SIZE_MAX;
              at < s.name_arena.size()) {
            // The run: name count, then per name its length and ids (see Slot::names_at); a
            // prefetch of a wrong address is harmless, reading past the arena is not.
            const uint32_t* p = s.name_arena.data() + at;
            const uint32_t* const p_end = p + std::min(s.name_arena.size() - at, kSignaturesAsked);
            for (uint32_t n = *p++; n > 0 && p < p_end; --n) {
              for (uint32_t k = *p++; k > 0 && p < p_end; --k) __builtin_prefetch(signatures + *p++);
            }
          }
          const auto [reachable, slot] = to_score[i];  // with pruning, the final score's bound
          if (prune && best.size() >= max_hits) {
            if (best.front().score > reachable + 1e-9) {
              pruned = true;
              break;
            }
            // A candidate that can at most tie the last of the best (at 1.0, or at 0.97 for
            // exact namesakes of another country than the query's), where ties go by list and
            // id, cannot enter behind max_hits hits that come before it (a common name's exact
            // namesakes, hundreds of them), and is not scored.
            if (best.front().score >= reachable && !comes_before(slot, best.front().slot)) {
              pruned = true;
              continue;
            }
          }
          if (!allowed(slot)) continue;
          if (!first && x.done[slot] == epoch) continue;
          if (!last) x.done[slot] = epoch;
          score_slot_names(slot);
          if (!prune) continue;
          auto it = candidates.find(slot);
          if (it == candidates.end()) continue;
          const double f = final_score_without_notes(slot, it->second);
          it->second.final_score = f;
          if (f < options.threshold) continue;
          const Best scored{f, slot};
          if (best.size() < max_hits) {
            best.push_back(scored);
            std::ranges::push_heap(best, better);
          } else if (better(scored, best.front())) {
            std::ranges::pop_heap(best, better);
            best.back() = scored;
            std::ranges::push_heap(best, better);
          }
        }
        if (last) break;
        // Entities not yet seen score below `level` by name, so below level + max_evidence in
        // all: with max_hits scores at least that high, they cannot enter. Else go down to
        // where they could, and no lower.
        double next = floor;
        if (best.size() >= max_hits) {
          next = std::max(floor, best.front().score - max_evidence - 1e-6);
        }
        if (next >= level) {
          pruned = true;
          break;
        }
        level = next;
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
          c.final_score = -1;
          c.id_score = score;
          c.id_field = std::string(to_string(qi.type));
          c.id_listed = ei.value;
          c.id_query = qv;
          c.id_note = how;
        }
      }
    };
    if (brute) {
      if (filter != nullptr) {
        for (uint32_t slot : *filter) consider(slot);
      } else {
        for (uint32_t slot = 0; slot < s.slots.size(); ++slot) consider(slot);
      }
      continue;
    }
    // The lookups' table lines are asked for together (a VIN makes 19 lookups).
    const uint64_t exact_key = identifier_key(cls, qv, kExactSeed);
    s.exact_ids.prefetch(exact_key);
    std::vector<uint64_t> near_keys;
    if (near_miss_class(cls) && qv.size() + 1 >= kMinNearMissLength) {
      for (const auto& d : deletions(qv)) near_keys.push_back(identifier_key(cls, d, kNearSeed));
      for (uint64_t k : near_keys) s.near_ids.prefetch(k);
    }
    std::vector<uint32_t> found;
    auto add = [&found](uint32_t slot_id) { found.push_back(slot_id); };
    s.exact_ids.find(exact_key, add);
    for (uint64_t k : near_keys) s.near_ids.find(k, add);
    std::ranges::sort(found);
    found.erase(std::unique(found.begin(), found.end()), found.end());
    for (uint32_t slot_id : found) consider(slot_id);
  }

  // Entities found by an identifier only: their names are scored too, as a full scan would.
  if (!brute && !names.empty()) {
    std::vector<uint32_t> by_identifier;
    for (const auto& [slot_id, c] : candidates) {
      if (c.query_name < 0) by_identifier.push_back(slot_id);
    }
    for (uint32_t slot_id : by_identifier) score_slot_names(slot_id);
  }

  // Final scores: every candidate's score first (numbers only), then the explanation of the
  // best ones only, in the total order (score, list, id), so that a common name with hundreds
  // of listed namesakes does not build hundreds of explanations for ten hits.
  struct Scored {
    double score;
    uint32_t slot;
  };
  std::vector<Scored> scored;
  auto& final_score = final_score_of;
  for (const auto& [slot_id, c] : candidates) {
    bool strong = false;
    double name_score = 0;
    const double score =
        c.final_score >= 0 ? c.final_score : final_score(c, slot_id, nullptr, &strong, &name_score);
    if (score >= options.threshold) scored.push_back({score, slot_id});
  }
  auto before = [&](const Scored& a, const Scored& b) {
    return a.score != b.score ? a.score > b.score : comes_before(a.slot, b.slot);
  };
  // Only the first max_hits are usually read: a common name's hundreds of namesakes tied at
  // one score are ordered by list and id, two entities read per comparison. The rest is
  // sorted only if hits are dropped (an excluded name, a reviewed false positive).
  std::size_t sorted_upto = std::min(scored.size(), max_hits);
  std::ranges::partial_sort(scored, scored.begin() + static_cast<std::ptrdiff_t>(sorted_upto), before);
  std::vector<Hit> hits;
  for (std::size_t i = 0; i < scored.size(); ++i) {
    if (hits.size() >= max_hits) break;
    if (i == sorted_upto) {
      std::sort(scored.begin() + static_cast<std::ptrdiff_t>(i), scored.end(), before);
      sorted_upto = scored.size();
    }
    const uint32_t slot_id = scored[i].slot;
    const Candidate& c = candidates.at(slot_id);
    const WatchlistEntity& e = *s.slots[slot_id].entity;
    std::string notes;
    bool strong = false;
    double name_score = 0;
    const double score = final_score(c, slot_id, &notes, &strong, &name_score);
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
  if (pruned && hits.size() < max_hits) {
    auto all = run_screen(s, options, q, filter, brute, SIZE_MAX);
    if (all.size() > max_hits) all.resize(max_hits);
    return all;
  }
  return hits;
}

}  // namespace

std::vector<Hit> Screener::screen(const ScreeningQuery& query) const {
  return screen(query, options_.max_hits_per_query);
}

std::vector<Hit> Screener::screen(const ScreeningQuery& query, std::size_t max_hits) const {
  std::shared_lock lock(state_->mutex);
  return run_screen(*state_, options_, query, nullptr, false, max_hits);
}

std::vector<Hit> Screener::screen_brute_force(const ScreeningQuery& query) const {
  return screen_brute_force(query, options_.max_hits_per_query);
}

std::vector<Hit> Screener::screen_brute_force(const ScreeningQuery& query, std::size_t max_hits) const {
  std::shared_lock lock(state_->mutex);
  return run_screen(*state_, options_, query, nullptr, true, max_hits);
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
    for (auto& hit : run_screen(s, options, item.query, filter, false, options.max_hits_per_query)) {
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
  // Nothing listed, nothing to find: the names are not normalised (transliteration is most of
  // a declaration's screening cost) for a result known to be empty.
  if (state_->live_count == 0) return {};
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
