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
double score_names(std::span<const Token* const> a, std::span<const Token* const> b, std::string* explanation);

}  // namespace cordon::screening::detail
