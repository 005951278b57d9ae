// Internal: the token-aligned name scorer shared by the Screener and match_names.
#pragma once

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
double score_names_bound(int covered, int normal, double other_weight, double other_unmatched, int listed_normal,
                         int listed_absorbed);

double score_names(std::span<const Token* const> a, std::span<const Token* const> b, std::string* explanation);

}  // namespace cordon::screening::detail
