#include "screening/matcher.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdio>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "screening/screening.h"

namespace cordon::screening {
namespace detail {
namespace {

enum class How : uint8_t { kEqual, kJaroWinkler, kPhonetic, kInitial, kJoined };

struct Pair {
  std::size_t a, b;
  double sim;
  How how;
};

constexpr double kMinJaroWinkler = 0.82;
constexpr std::size_t kMaxTokens = 24;  // longer names are cut: hostile input, not names

bool within_typing_errors(std::string_view a, std::string_view b) {
  const int limit = std::min(a.size(), b.size()) >= 7 && a.substr(0, 3) == b.substr(0, 3) ? 2 : 1;
  return edit_distance(a, b, limit) <= limit;
}

double token_similarity(const Token& a, const Token& b, How* how) {
  if (a.text == b.text) {
    *how = How::kEqual;
    return 1.0;
  }
  if (a.kind == TokenKind::kInitial || b.kind == TokenKind::kInitial) {
    if (a.kind == TokenKind::kInitial && b.kind == TokenKind::kInitial) return 0.0;
    if (!a.text.empty() && !b.text.empty() && a.text[0] == b.text[0]) {
      *how = How::kInitial;
      return 0.8;
    }
    return 0.0;
  }
  const bool same_phonetic = a.phonetic == b.phonetic && !a.phonetic.empty();
  // Jaro–Winkler rewards a shared prefix: "ZHANG" is not "ZHANGWEIMIN".
  const std::size_t shorter = std::min(a.text.size(), b.text.size());
  const std::size_t longer = std::max(a.text.size(), b.text.size());
  const bool comparable_lengths = shorter >= 3 && shorter * 4 >= longer * 3;
  if (!same_phonetic && !comparable_lengths) return 0.0;  // the common case: no Jaro–Winkler at all
  // The typing-error rule below is cheaper than Jaro–Winkler and rejects most pairs first; a
  // pair of the same phonetic key mostly does not need it (asked only if the key does not
  // settle it).
  if (!same_phonetic && !within_typing_errors(a.text, b.text)) return 0.0;
  const double jw = jaro_winkler(a.text, b.text);
  if (same_phonetic) {
    // Short skeletons ("R" for "YURI") collide between unrelated names: ask for some spelling
    // similarity as well.
    if (a.phonetic.size() >= 3 || (a.phonetic.size() == 2 && jw >= 0.6) || jw >= 0.75) {
      *how = jw >= 0.9 ? How::kJaroWinkler : How::kPhonetic;
      return std::max(jw, 0.9);
    }
  }
  // Jaro–Winkler alone aligns words that merely share letters and a prefix ("FANGNA",
  // "FANGYAN"; "QUPRA", "QUZAR"; "CINARSOY", "TUNARSOY"); a spelling difference must also look
  // like a typing error: one edit, or two in words of seven letters or more that agree on their
  // first three (SIDOROV / SIDOROFF). The candidate index reaches exactly these (one-deletion
  // neighbourhoods, and three-letter prefix buckets by length).
  if (jw >= kMinJaroWinkler && comparable_lengths && (!same_phonetic || within_typing_errors(a.text, b.text))) {
    *how = How::kJaroWinkler;
    return jw;
  }
  return 0.0;
}

// A name's tokens as the scorer aligns them: fixed capacity, so scoring allocates nothing
// unless two tokens have to be joined.
struct TokenList {
  std::array<const Token*, kMaxTokens> items{};
  std::size_t count = 0;
  std::size_t size() const { return count; }
  bool empty() const { return count == 0; }
  void push_back(const Token* t) { items[count++] = t; }
  const Token* operator[](std::size_t i) const { return items[i]; }
  const Token*& operator[](std::size_t i) { return items[i]; }
  void erase_at(std::size_t i) {
    for (std::size_t k = i; k + 1 < count; ++k) items[k] = items[k + 1];
    --count;
  }
  const Token* const* begin() const { return items.data(); }
  const Token* const* end() const { return items.data() + count; }
};

// "XI JIN PING" against "XI JINPING", "ALFA LOGISTIK" against "ALFALOGISTIK": two adjacent
// tokens of one side that together spell a token of the other are aligned as one.
// REQUIRES: storage is reserved before the first merge (done here), so that pointers
// into it stay valid.
void merge_split_tokens(std::vector<Token>& storage, TokenList& side, const TokenList& other) {
  for (std::size_t i = 0; i + 1 < side.size(); ++i) {
    const Token& x = *side[i];
    const Token& y = *side[i + 1];
    if (x.kind == TokenKind::kInitial || y.kind == TokenKind::kInitial) continue;
    const std::size_t joined_size = x.text.size() + y.text.size();
    bool candidate = false;
    for (const Token* o : other) {
      if (o->text.size() + 1 >= joined_size && o->text.size() <= joined_size + 1 && o->text.size() > x.text.size() &&
          o->text.size() > y.text.size()) {
        candidate = true;
      }
    }
    if (!candidate) continue;  // the common case: no allocation
    const std::string joined = x.text + y.text;
    if (storage.capacity() == 0) storage.reserve(2 * kMaxTokens);
    for (const Token* o : other) {
      if (o->text.size() + 1 < joined.size() || o->text.size() > joined.size() + 1) continue;
      if (o->text == x.text || o->text == y.text) continue;
      if (o->text == joined || jaro_winkler(o->text, joined) >= 0.93) {
        Token merged;
        merged.text = joined;
        merged.phonetic = phonetic_key(joined);
        merged.kind = TokenKind::kNormal;
        merged.weight = std::max(x.weight, y.weight);
        storage.push_back(std::move(merged));
        side[i] = &storage.back();
        side.erase_at(i + 1);
        break;
      }
    }
  }
}

std::string format_pair(const Token& a, const Token& b, How how, double sim) {
  char buf[32];
  switch (how) {
    case How::kEqual: return "'" + a.text + "'='" + b.text + "'";
    case How::kInitial: return "'" + a.text + "' initial of '" + b.text + "'";
    case How::kPhonetic:
      std::snprintf(buf, sizeof buf, "%.2f", jaro_winkler(a.text, b.text));
      return "'" + a.text + "'~'" + b.text + "' (sounds alike; jaro-winkler " + buf + ")";
    case How::kJaroWinkler:
    case How::kJoined:
      std::snprintf(buf, sizeof buf, "%.2f", sim);
      return "'" + a.text + "'\u2248'" + b.text + "' (jaro-winkler " + buf + ")";
  }
  return {};
}

}  // namespace

double token_similarity(const Token& a, const Token& b) {
  How how = How::kEqual;
  return token_similarity(a, b, &how);
}

double score_names_bound(int covered, int normal, double other_weight, double other_unmatched, int listed_normal,
                         int listed_absorbed, double deficit) {
  // Mirrors score_names: a matched pair adds at most 1 (query tokens of lower weight at most
  // (w + 1) / 2 each, in other_weight); an unmatched query token of full weight costs 1; a
  // listed full-weight token costs 1 unless aligned. The score is (A - D) / (A + U) for the
  // aligned weight A, the deficit D (what similarities below 1 take off) and the unmatched
  // weight U (scaled in the second case): it grows with A and falls with D and U, so A at its
  // most, D and U at their least bound it. Aligning fewer words than `covered` scores lower
  // still: a pair adds at least 0.8 of its weight above and at most its weight below.
  if (covered <= 0) return 0.5;  // no two full-weight words agree: capped at 0.5
  const double matched = covered + other_weight;
  const double unmatched_query = normal - covered + other_unmatched;
  const double unmatched_listed = std::max(0, listed_normal - listed_absorbed);
  double bound;
  if (unmatched_query > 0 && unmatched_listed > 0) {
    bound = (matched - deficit) / (matched + unmatched_query + unmatched_listed);
  } else {
    const double factor = covered >= 2 ? 0.25 : 0.6;
    bound = (matched - deficit) / (matched + factor * (unmatched_query + unmatched_listed));
  }
  return std::min(bound, 1.0);
}

namespace {

// The alignment and the score of two token lists (legal forms removed, split tokens merged),
// given each token's weight and whether it is of full weight (kNormal), and the similarity of
// each pair: sim(i, j, &how). Shared by score_names and NameScorer so that both compute the
// same numbers in the same order. chosen/used_a/used_b receive the alignment when not null.
template <typename Similarity>
double align_core(std::size_t na, std::size_t nb, const float* weight_a, const bool* normal_a, const float* weight_b,
                  const bool* normal_b, Similarity&& sim, std::vector<Pair>* chosen, bool* used_a_out,
                  bool* used_b_out) {
  std::array<Pair, kMaxTokens * kMaxTokens> pairs_buf;
  std::size_t pair_count = 0;
  for (std::size_t i = 0; i < na; ++i) {
    for (std::size_t j = 0; j < nb; ++j) {
      How how = How::kEqual;
      const double s = sim(i, j, &how);
      if (s > 0) pairs_buf[pair_count++] = {i, j, s, how};
    }
  }
  std::sort(pairs_buf.begin(), pairs_buf.begin() + static_cast<std::ptrdiff_t>(pair_count),
            [](const Pair& x, const Pair& y) { return x.sim > y.sim; });
  std::array<bool, kMaxTokens * 2> used_a{}, used_b{};
  // matched: the aligned pairs weighed by their similarity; aligned: the same at similarity 1,
  // so that two names whose every word is only alike do not score as equal.
  double matched = 0, aligned = 0;
  int matched_normal = 0;
  for (std::size_t p = 0; p < pair_count; ++p) {
    const Pair& pair = pairs_buf[p];
    if (used_a[pair.a] || used_b[pair.b]) continue;
    used_a[pair.a] = used_b[pair.b] = true;
    const double pair_weight = (weight_a[pair.a] + weight_b[pair.b]) / 2.0;
    matched += pair.sim * pair_weight;
    aligned += pair_weight;
    if (normal_a[pair.a] && normal_b[pair.b]) ++matched_normal;
    if (chosen) chosen->push_back(pair);
  }
  double unmatched_a = 0, unmatched_b = 0;
  for (std::size_t i = 0; i < na; ++i) {
    if (!used_a[i]) unmatched_a += weight_a[i];
  }
  for (std::size_t j = 0; j < nb; ++j) {
    if (!used_b[j]) unmatched_b += weight_b[j];
  }
  double score = 0;
  if (matched > 0) {
    if (unmatched_a > 0 && unmatched_b > 0) {
      // Both sides have a word the other lacks: another given name, another trade, another city.
      score = matched / (aligned + unmatched_a + unmatched_b);
    } else {
      // One side only has more: a dropped middle name, a city left out. Cheap once two
      // distinctive words agree, not when one word carries the whole match.
      const double factor = matched_normal >= 2 ? 0.25 : 0.6;
      score = matched / (aligned + factor * (unmatched_a + unmatched_b));
    }
    if (matched_normal == 0) score = std::min(score, 0.5);  // generic words and initials alone
  }
  if (used_a_out) std::copy(used_a.begin(), used_a.begin() + static_cast<std::ptrdiff_t>(na), used_a_out);
  if (used_b_out) std::copy(used_b.begin(), used_b.begin() + static_cast<std::ptrdiff_t>(nb), used_b_out);
  return std::clamp(score, 0.0, 1.0);
}

template <typename Similarity>
double align_and_score(const TokenList& a, const TokenList& b, Similarity&& sim, std::string* explanation) {
  std::array<float, kMaxTokens> weight_a{}, weight_b{};
  std::array<bool, kMaxTokens> normal_a{}, normal_b{};
  for (std::size_t i = 0; i < a.size(); ++i) {
    weight_a[i] = a[i]->weight;
    normal_a[i] = a[i]->kind == TokenKind::kNormal;
  }
  for (std::size_t j = 0; j < b.size(); ++j) {
    weight_b[j] = b[j]->weight;
    normal_b[j] = b[j]->kind == TokenKind::kNormal;
  }
  if (!explanation) {
    return align_core(a.size(), b.size(), weight_a.data(), normal_a.data(), weight_b.data(), normal_b.data(), sim,
                      nullptr, nullptr, nullptr);
  }
  std::vector<Pair> chosen;
  std::array<bool, kMaxTokens> used_a{}, used_b{};
  const double score = align_core(a.size(), b.size(), weight_a.data(), normal_a.data(), weight_b.data(),
                                  normal_b.data(), sim, &chosen, used_a.data(), used_b.data());
  std::string out;
  for (const Pair& p : chosen) {
    if (!out.empty()) out += ", ";
    out += format_pair(*a[p.a], *b[p.b], p.how, p.sim);
  }
  std::string extra_a, extra_b;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!used_a[i]) extra_a += (extra_a.empty() ? "'" : " '") + a[i]->text + "'";
  }
  for (std::size_t j = 0; j < b.size(); ++j) {
    if (!used_b[j]) extra_b += (extra_b.empty() ? "'" : " '") + b[j]->text + "'";
  }
  if (!extra_a.empty()) out += "; unmatched in first: " + extra_a;
  if (!extra_b.empty()) out += "; unmatched in second: " + extra_b;
  *explanation = out;
  return score;
}

TokenList without_legal_forms(std::span<const Token* const> in) {
  TokenList out;
  for (const Token* t : in.first(std::min(in.size(), kMaxTokens))) {
    if (t->kind != TokenKind::kLegalForm) out.push_back(t);
  }
  return out;
}

// The two tests merge_split_tokens makes for the adjacent pair (x, y) of one side against a
// token o of the other: `pre`, o's length makes the pair worth joining (longer than each
// half, within one of the joined length); `joins`, o spells the pair joined (equal, or
// Jaro–Winkler >= 0.93) and is neither half. The pair is merged when some o passes `pre`
// and some o passes `joins`.
bool length_fits(std::size_t o, std::size_t joined) { return o + 1 >= joined && o <= joined + 1; }
bool pre_merge(std::size_t x, std::size_t y, std::size_t o) { return length_fits(o, x + y) && o > x && o > y; }
bool joins(std::string_view x, std::string_view y, std::string_view joined, std::string_view o) {
  if (!length_fits(o.size(), joined.size())) return false;
  if (o == x || o == y) return false;
  return o == joined || jaro_winkler(o, joined) >= 0.93;
}

bool mergeable(const Token& t) { return t.kind != TokenKind::kInitial; }

}  // namespace

bool pair_pre_merges(std::size_t x, std::size_t y, std::size_t o) { return pre_merge(x, y, o); }

bool pair_joins(std::string_view x, std::string_view y, std::string_view o) {
  if (!length_fits(o.size(), x.size() + y.size())) return false;  // the common case
  thread_local std::string joined;
  joined.assign(x).append(y);
  return joins(x, y, joined, o);
}

double score_names(std::span<const Token* const> a_in, std::span<const Token* const> b_in, std::string* explanation) {
  TokenList a = without_legal_forms(a_in);
  TokenList b = without_legal_forms(b_in);
  if (a.empty() || b.empty()) return 0.0;
  std::vector<Token> storage;  // reserved on first merge; see merge_split_tokens
  if (a.size() != b.size() || a.size() > 1) {
    merge_split_tokens(storage, a, b);
    merge_split_tokens(storage, b, a);
  }
  return align_and_score(
      a, b, [&](std::size_t i, std::size_t j, How* how) { return token_similarity(*a[i], *b[j], how); }, explanation);
}

// --- NameScorer ------------------------------------------------------------------------------

TokenSignature signature_of(const Token& token) {
  TokenSignature sig;
  for (char c : token.text) {
    if (c >= 'A' && c <= 'Z') sig.letters |= 1U << (c - 'A');
    else sig.letters |= 1U << 26;
  }
  sig.phonetic = token.phonetic.empty() ? 0 : static_cast<uint32_t>(hash_bytes(token.phonetic)) | 1U;
  sig.weight = token.weight;
  sig.length = static_cast<uint16_t>(std::min<std::size_t>(token.text.size(), UINT16_MAX));
  sig.kind = token.kind;
  sig.first = token.text.empty() ? 0 : token.text[0];
  return sig;
}

// Whether token_similarity(a, b) is known to be 0 from the signatures alone. Mirrors
// token_similarity: equal texts have equal signatures; an initial aligns with a word of the
// same first letter only; otherwise a pair aligns only with the same phonetic key, or with
// comparable lengths and a typing error of at most two edits — and each edit changes the set
// of letters present by at most two.
bool surely_apart(const TokenSignature& a, const TokenSignature& b) {
  if (a.length == b.length && a.letters == b.letters && a.phonetic == b.phonetic) return false;  // maybe equal
  if (a.kind == TokenKind::kInitial || b.kind == TokenKind::kInitial) {
    if (a.kind == TokenKind::kInitial && b.kind == TokenKind::kInitial) return true;
    return a.length == 0 || b.length == 0 || a.first != b.first;
  }
  if (a.phonetic != 0 && a.phonetic == b.phonetic) return false;  // maybe the same phonetic key
  const std::size_t shorter = std::min(a.length, b.length), longer = std::max(a.length, b.length);
  const bool comparable_lengths = shorter >= 3 && shorter * 4 >= longer * 3;
  if (!comparable_lengths) return true;
  if (longer > 64) return false;  // edit_distance compares prefixes of hostile lengths
  const int max_edits = shorter >= 7 ? 2 : 1;
  return longer - shorter > static_cast<std::size_t>(max_edits) ||
         std::popcount(a.letters ^ b.letters) > 2 * max_edits;
}

struct NameScorer::Impl {
  TokenList query;
  std::array<float, kMaxTokens> query_weight{};
  std::array<bool, kMaxTokens> query_normal{};
  std::vector<std::string> query_joined;  // per adjacent query pair (both mergeable): the pair joined
  std::vector<std::size_t> pair_at;       // its position in `query`
  std::function<const Token&(uint32_t)> dictionary;
  std::span<const TokenSignature> signatures;
  std::array<TokenSignature, kMaxTokens> query_signature{};
  // Per dictionary token seen: what score_names reads of it, its similarity to each query
  // token (and how), and the query pairs it passes `pre` and `joins` for.
  struct Row {
    uint32_t id = 0;
    uint32_t pre = 0, joins = 0;
    float weight = 1;
    uint16_t length = 0;
    TokenKind kind = TokenKind::kNormal;
  };
  std::vector<double> sims;
  std::vector<How> hows;
  std::vector<Row> rows;
  // Open addressing: dictionary id + 1 -> row (0: empty).
  std::vector<std::pair<uint32_t, uint32_t>> table;
  std::size_t used = 0;
  // Adjacent listed pairs (dictionary ids) -> merged against the query or not.
  std::vector<std::pair<uint64_t, uint8_t>> pair_table;
  std::size_t pair_used = 0;

  static std::size_t slot_of(uint64_t key, std::size_t mask) {
    return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ULL) >> 20) & mask;
  }

  template <typename Entry>
  static void grow(std::vector<Entry>& t) {
    std::vector<Entry> old(t.size() * 2);
    old.swap(t);
    const std::size_t mask = t.size() - 1;
    for (const auto& e : old) {
      if (e.first == 0) continue;
      std::size_t at = slot_of(e.first, mask);
      while (t[at].first != 0) at = (at + 1) & mask;
      t[at] = e;
    }
  }

  // The row of dictionary token `id`; `token` is that token, or null to ask the dictionary.
  uint32_t row_of(uint32_t id, const Token* token) {
    const uint32_t key = id + 1;
    const std::size_t mask = table.size() - 1;
    for (std::size_t at = slot_of(key, mask);; at = (at + 1) & mask) {
      if (table[at].first == key) return table[at].second;
      if (table[at].first == 0) break;
    }
    const auto row = static_cast<uint32_t>(rows.size());
    Row r;
    r.id = id;
    // Most listed tokens met are a candidate's other words, unlike every query word: their
    // signature shows it without reading the token (a cache miss per token on a large list).
    bool apart = token == nullptr && id < signatures.size();
    if (apart) {
      const TokenSignature& sig = signatures[id];
      for (std::size_t i = 0; apart && i < query.size(); ++i) apart = surely_apart(query_signature[i], sig);
      for (std::size_t p = 0; apart && p < pair_at.size(); ++p) {
        apart = !length_fits(sig.length, query_joined[p].size());  // else `joins` needs the text
      }
      if (apart) {
        r.weight = sig.weight;
        r.kind = sig.kind;
        r.length = sig.length;
        for (std::size_t p = 0; p < pair_at.size(); ++p) {
          if (pre_merge(query[pair_at[p]]->text.size(), query[pair_at[p] + 1]->text.size(), sig.length)) {
            r.pre |= 1U << p;
          }
        }
        sims.insert(sims.end(), query.size(), 0.0);
        hows.insert(hows.end(), query.size(), How::kEqual);
      }
    }
    if (!apart) {
      const Token& listed = token ? *token : dictionary(id);
      r.weight = listed.weight;
      r.kind = listed.kind;
      r.length = static_cast<uint16_t>(std::min<std::size_t>(listed.text.size(), UINT16_MAX));
      for (std::size_t i = 0; i < query.size(); ++i) {
        How how = How::kEqual;
        sims.push_back(token_similarity(*query[i], listed, &how));
        hows.push_back(how);
      }
      for (std::size_t p = 0; p < pair_at.size(); ++p) {
        const Token& x = *query[pair_at[p]];
        const Token& y = *query[pair_at[p] + 1];
        if (pre_merge(x.text.size(), y.text.size(), listed.text.size())) r.pre |= 1U << p;
        if (joins(x.text, y.text, query_joined[p], listed.text)) r.joins |= 1U << p;
      }
    }
    rows.push_back(r);
    if (2 * (used + 1) > table.size()) grow(table);
    const std::size_t new_mask = table.size() - 1;
    std::size_t at = slot_of(key, new_mask);
    while (table[at].first != 0) at = (at + 1) & new_mask;
    table[at] = {key, row};
    ++used;
    return row;
  }

  const Token& token_of(const Row& r, const Token* const* listed, std::size_t j) const {
    return listed ? *listed[j] : dictionary(r.id);
  }

  // Whether merge_split_tokens joins the adjacent listed pair (x, y) against the query.
  bool listed_pair_merges(const Row& x, const Row& y, const Token* x_token, const Token* y_token) {
    bool pre = false;
    for (const Token* o : query) pre = pre || pre_merge(x.length, y.length, o->text.size());
    if (!pre) return false;  // the common case
    const uint64_t key = (static_cast<uint64_t>(x.id) << 32 | y.id) + 1;
    const std::size_t mask = pair_table.size() - 1;
    for (std::size_t at = slot_of(key, mask);; at = (at + 1) & mask) {
      if (pair_table[at].first == key) return pair_table[at].second != 0;
      if (pair_table[at].first == 0) break;
    }
    const Token& xt = x_token ? *x_token : dictionary(x.id);
    const Token& yt = y_token ? *y_token : dictionary(y.id);
    const std::string joined = xt.text + yt.text;
    bool merges = false;
    for (const Token* o : query) merges = merges || joins(xt.text, yt.text, joined, o->text);
    if (2 * (pair_used + 1) > pair_table.size()) grow(pair_table);
    const std::size_t new_mask = pair_table.size() - 1;
    std::size_t at = slot_of(key, new_mask);
    while (pair_table[at].first != 0) at = (at + 1) & new_mask;
    pair_table[at] = {key, static_cast<uint8_t>(merges)};
    ++pair_used;
    return merges;
  }

  // listed: the tokens when the caller has them (else the dictionary is asked on a miss).
  double score(std::span<const uint32_t> ids, const Token* const* listed) {
    const TokenList& a = query;
    std::array<uint32_t, kMaxTokens> row{};
    std::array<std::size_t, kMaxTokens> position{};  // in ids / listed
    std::size_t nb = 0;
    const std::size_t n = std::min(ids.size(), kMaxTokens);
    for (std::size_t k = 0; k < n; ++k) {
      const uint32_t r = row_of(ids[k], listed ? listed[k] : nullptr);
      if (rows[r].kind == TokenKind::kLegalForm) continue;
      position[nb] = k;
      row[nb++] = r;
    }
    if (a.empty() || nb == 0) return 0.0;
    if (a.size() != nb || a.size() > 1) {
      // merge_split_tokens would join a pair on either side: score the slow way.
      uint32_t pre = 0, joined = 0;
      for (std::size_t j = 0; j < nb; ++j) {
        pre |= rows[row[j]].pre;
        joined |= rows[row[j]].joins;
      }
      bool merges = (pre & joined) != 0;
      for (std::size_t j = 0; !merges && j + 1 < nb; ++j) {
        const Row& x = rows[row[j]];
        const Row& y = rows[row[j + 1]];
        if (x.kind == TokenKind::kInitial || y.kind == TokenKind::kInitial) continue;
        merges = listed_pair_merges(x, y, listed ? listed[position[j]] : nullptr,
                                    listed ? listed[position[j + 1]] : nullptr);
      }
      if (merges) {
        std::vector<const Token*> tokens;
        for (std::size_t k = 0; k < ids.size(); ++k) tokens.push_back(listed ? listed[k] : &dictionary(ids[k]));
        return score_names(std::span(a.begin(), a.end()), tokens, nullptr);
      }
    }
    std::array<float, kMaxTokens> weight_b{};
    std::array<bool, kMaxTokens> normal_b{};
    for (std::size_t j = 0; j < nb; ++j) {
      weight_b[j] = rows[row[j]].weight;
      normal_b[j] = rows[row[j]].kind == TokenKind::kNormal;
    }
    const std::size_t na = a.size();
    return align_core(
        na, nb, query_weight.data(), query_normal.data(), weight_b.data(), normal_b.data(),
        [&](std::size_t i, std::size_t j, How* how) {
          const std::size_t at = static_cast<std::size_t>(row[j]) * na + i;
          *how = hows[at];
          return sims[at];
        },
        nullptr, nullptr, nullptr);
  }
};

NameScorer::NameScorer(std::span<const Token* const> query, std::function<const Token&(uint32_t)> dictionary,
                       std::span<const TokenSignature> signatures)
    : impl_(std::make_unique<Impl>()) {
  impl_->dictionary = std::move(dictionary);
  impl_->signatures = signatures;
  impl_->query = without_legal_forms(query);
  const TokenList& q = impl_->query;
  for (std::size_t i = 0; i < q.size(); ++i) {
    impl_->query_signature[i] = signature_of(*q[i]);
    impl_->query_weight[i] = q[i]->weight;
    impl_->query_normal[i] = q[i]->kind == TokenKind::kNormal;
  }
  for (std::size_t i = 0; i + 1 < q.size() && impl_->pair_at.size() < 32; ++i) {
    if (!mergeable(*q[i]) || !mergeable(*q[i + 1])) continue;
    impl_->pair_at.push_back(i);
    impl_->query_joined.push_back(q[i]->text + q[i + 1]->text);
  }
  impl_->table.resize(256);
  impl_->pair_table.resize(64);
}

NameScorer::~NameScorer() = default;

double NameScorer::score(std::span<const Token* const> listed) {
  std::array<uint32_t, kMaxTokens> ids{};
  const std::size_t n = std::min(listed.size(), kMaxTokens);
  for (std::size_t k = 0; k < n; ++k) {
    if (listed[k]->dict_id == Token::kNoId) {
      return score_names(std::span(impl_->query.begin(), impl_->query.end()), listed, nullptr);
    }
    ids[k] = listed[k]->dict_id;
  }
  return impl_->score(std::span(ids.data(), n), listed.data());
}

double NameScorer::score_ids(std::span<const uint32_t> listed) { return impl_->score(listed, nullptr); }

}  // namespace detail

NameMatch match_names(std::string_view a, std::string_view b, std::optional<EntityType> type) {
  using namespace detail;
  auto prepare = [&](std::string_view s) {
    auto tokens = tokenize_name(normalize_name(s));
    if (type == EntityType::kPerson) {
      for (auto& t : tokens) {
        if (t.kind == TokenKind::kLegalForm && t.text != "IP") {
          t.kind = t.text.size() == 1 ? TokenKind::kInitial : TokenKind::kNormal;
          t.weight = weight_of(t.kind);
        }
      }
    }
    return tokens;
  };
  const auto ta = prepare(a), tb = prepare(b);
  std::vector<const Token*> pa, pb;
  for (const auto& t : ta) pa.push_back(&t);
  for (const auto& t : tb) pb.push_back(&t);
  NameMatch m;
  m.score = score_names(pa, pb, &m.explanation);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.3f", m.score);
  m.explanation = "name tokens " + m.explanation + " -> " + buf;
  return m;
}

}  // namespace cordon::screening
