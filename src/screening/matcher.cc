#include "screening/matcher.h"

#include <algorithm>
#include <array>
#include <cstdio>
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
  // The typing-error rule below is cheaper than Jaro–Winkler and rejects most pairs first.
  const bool typing_error = comparable_lengths && within_typing_errors(a.text, b.text);
  if (!same_phonetic && !typing_error) return 0.0;
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
  if (jw >= kMinJaroWinkler && typing_error) {
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
                         int listed_absorbed) {
  // Mirrors score_names: a matched pair adds at most 1 (query tokens of lower weight at most
  // (w + 1) / 2 each, in other_weight); an unmatched query token of full weight costs 1; a
  // listed full-weight token costs 1 unless aligned.
  if (covered <= 0) return 0.5;  // no two full-weight words agree: capped at 0.5
  const double matched = covered + other_weight;
  const double unmatched_query = normal - covered + other_unmatched;
  const double unmatched_listed = std::max(0, listed_normal - listed_absorbed);
  double bound;
  if (unmatched_query > 0 && unmatched_listed > 0) {
    bound = matched / (matched + unmatched_query + unmatched_listed);
  } else {
    const double factor = covered >= 2 ? 0.25 : 0.6;
    bound = matched / (matched + factor * (unmatched_query + unmatched_listed));
  }
  return std::min(bound, 1.0);
}

double score_names(std::span<const Token* const> a_in, std::span<const Token* const> b_in, std::string* explanation) {
  TokenList a, b;
  for (const Token* t : a_in.first(std::min(a_in.size(), kMaxTokens))) {
    if (t->kind != TokenKind::kLegalForm) a.push_back(t);
  }
  for (const Token* t : b_in.first(std::min(b_in.size(), kMaxTokens))) {
    if (t->kind != TokenKind::kLegalForm) b.push_back(t);
  }
  if (a.empty() || b.empty()) return 0.0;
  std::vector<Token> storage;  // reserved on first merge; see merge_split_tokens
  if (a.size() != b.size() || a.size() > 1) {
    merge_split_tokens(storage, a, b);
    merge_split_tokens(storage, b, a);
  }
  std::array<Pair, kMaxTokens * kMaxTokens> pairs_buf;
  std::size_t pair_count = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    for (std::size_t j = 0; j < b.size(); ++j) {
      How how = How::kEqual;
      const double s = token_similarity(*a[i], *b[j], &how);
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
  std::vector<Pair> chosen;
  for (std::size_t p = 0; p < pair_count; ++p) {
    const Pair& pair = pairs_buf[p];
    if (used_a[pair.a] || used_b[pair.b]) continue;
    used_a[pair.a] = used_b[pair.b] = true;
    const double pair_weight = (a[pair.a]->weight + b[pair.b]->weight) / 2.0;
    matched += pair.sim * pair_weight;
    aligned += pair_weight;
    if (a[pair.a]->kind == TokenKind::kNormal && b[pair.b]->kind == TokenKind::kNormal) ++matched_normal;
    if (explanation) chosen.push_back(pair);
  }
  double unmatched_a = 0, unmatched_b = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!used_a[i]) unmatched_a += a[i]->weight;
  }
  for (std::size_t j = 0; j < b.size(); ++j) {
    if (!used_b[j]) unmatched_b += b[j]->weight;
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
  score = std::clamp(score, 0.0, 1.0);
  if (explanation) {
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
  }
  return score;
}

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
