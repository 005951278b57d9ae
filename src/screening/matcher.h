// Internal: the token-aligned name scorer shared by the Screener and match_names.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>

#include "screening/normalize.h"

namespace cordon::screening::detail {

// Scores two tokenised names in [0, 1]: tokens are aligned one to one, best pairs first
// (equal, Jaro–Winkler >= 0.82, same phonetic key, initial of), order does not matter, legal
// forms weigh nothing and generic words little. A token present on one side only (a dropped
// middle name) costs less than two tokens that disagree (another patronymic). When
// explanation is not null it receives the aligned pairs ("'IVANOV'≈'IVANOFF' (jaro-winkler 0.93)").
// The similarity score_names gives one pair of tokens (0 when it would not align them): the
// candidate index keeps only the dictionary tokens a query token can be aligned with.
double token_similarity(const Token& a, const Token& b);

// The highest score_names can give when `covered` of the `normal` full-weight tokens of the
// query find a partner, the other query tokens that may find one weigh `other_weight` in all,
// those known to find none weigh `other_unmatched`, and the listed name has at least
// `listed_normal` full-weight tokens of which at most `listed_absorbed` can be aligned (a query
// token aligns with one listed token, or with two written as one word). The index uses it to
// skip, without scoring, the entities that cannot reach the threshold.
// deficit: a lower bound on what the aligned pairs lose to being merely alike, the sum over
// aligned pairs of (1 - similarity) times the pair's weight (0 when unknown): the score is
// (aligned - deficit) / (aligned + unmatched), which the bound takes at its most.
double score_names_bound(int covered, int normal, double other_weight, double other_unmatched, int listed_normal,
                         int listed_absorbed, double deficit = 0);

// The two tests score_names makes before it joins the adjacent pair (x, y) of one side into
// one word against the other side (merge_split_tokens): the pair is joined when some token o
// of the other side passes pair_pre_merges (o is longer than each half and within one letter
// of the pair joined) and some passes pair_joins (o spells the pair joined, or is within
// Jaro–Winkler 0.93 of it, and is neither half).
bool pair_pre_merges(std::size_t x, std::size_t y, std::size_t o);
bool pair_joins(std::string_view x, std::string_view y, std::string_view o);

double score_names(std::span<const Token* const> a, std::span<const Token* const> b, std::string* explanation);

// What a dictionary token shows of itself without its text, so that most pairs of a query token
// and a listed token can be shown not to align (token_similarity 0) from a small array instead
// of the token itself: the length, the letters present, a hash of the phonetic key.
struct TokenSignature {
  uint32_t letters = 0;   // bit c - 'A' for each letter present, bits 26..: digits present (any)
  uint32_t phonetic = 0;  // hash of the phonetic key; 0 when the key is empty
  float weight = 1;
  uint16_t length = 0;
  TokenKind kind = TokenKind::kNormal;
  char first = 0;
};
TokenSignature signature_of(const Token& token);
// Whether token_similarity of the two tokens is surely 0, from their signatures alone (never
// true for a pair the scorer aligns).
bool surely_apart(const TokenSignature& a, const TokenSignature& b);

// score_names(query, listed, nullptr) for one query name against many listed names whose
// tokens come from the Screener's dictionary (Token::dict_id): the similarity of each distinct
// (query token, dictionary token) pair is computed once and remembered, so scoring a candidate
// is an alignment over known numbers. The result is the same number score_names gives (the
// same similarities, aligned by the same code); a listed name that score_names would join two
// words of (or of the query) is scored by score_names itself.
// Not thread-safe: one per query and thread. REQUIRES: the query tokens outlive the scorer.
class NameScorer {
 public:
  // dictionary(id): the dictionary token of that id, asked once per distinct id (score_ids).
  // signatures: by dictionary id, for the ids given to score_ids (may be empty: then the
  // dictionary is asked for every new id).
  explicit NameScorer(std::span<const Token* const> query, std::function<const Token&(uint32_t)> dictionary = {},
                      std::span<const TokenSignature> signatures = {});
  ~NameScorer();
  NameScorer(const NameScorer&) = delete;
  NameScorer& operator=(const NameScorer&) = delete;
  double score(std::span<const Token* const> listed);
  // The same for a listed name given as dictionary ids only: a name seen through ids touches
  // no token but the ones this scorer has not met yet. REQUIRES: a dictionary.
  double score_ids(std::span<const uint32_t> listed);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cordon::screening::detail
