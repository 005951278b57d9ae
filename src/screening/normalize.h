// Internal: name normalisation, token classes, phonetic keys and string similarity.
// Not part of the engine's interface (see screening.h).
//
// Thread-safety: all functions may be called concurrently; the transliteration cache is shared.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cordon::screening::detail {

// Upper-case ASCII Latin form of any text: NFKC, "Any-Latin; Latin-ASCII" through ICU for
// non-ASCII input (cached per distinct string, the ASCII hot path never reaches ICU).
std::string to_ascii_upper(std::string_view text);

enum class TokenKind : uint8_t { kNormal, kGeneric, kLegalForm, kInitial };

struct Token {
  static constexpr uint32_t kNoId = UINT32_MAX;
  std::string text;
  std::string phonetic;
  TokenKind kind = TokenKind::kNormal;
  float weight = 1;
  // The Screener's dictionary id of a listed token (kNoId elsewhere): tokens with equal ids are
  // equal, so a scorer may remember what it computed for one (NameScorer).
  uint32_t dict_id = kNoId;
};

// Splits a normalised name (normalize_name) into classified tokens. Legal forms are
// recognised as single words ("GMBH") and as sequences of letters ("SP Z O O", "S A").
std::vector<Token> tokenize_name(std::string_view normalised);

float weight_of(TokenKind kind);
TokenKind classify_word(std::string_view word);
// A consonant skeleton that survives transliteration differences: "YURIY", "IOURI" and "JURI"
// give the same key, so do "HUSSEIN" and "HSYN".
std::string phonetic_key(std::string_view word);

double jaro_winkler(std::string_view a, std::string_view b);
// Optimal string alignment distance capped at limit + 1.
int edit_distance(std::string_view a, std::string_view b, int limit);

// The same distance (uncapped) from one word to many: the word's letter positions are kept as
// bit masks, and each comparison is a handful of word operations per letter of the other
// (Hyyrö's bit-parallel form of Myers' algorithm, with transpositions), instead of a table.
// For words of up to 64 letters; distance() falls back to edit_distance beyond.
class EditDistanceFrom {
 public:
  explicit EditDistanceFrom(std::string_view word);
  int distance(std::string_view other) const;

 private:
  std::string_view word_;
  std::array<uint64_t, 256> positions_{};
};

// A one-character difference between identifiers: "substitution", "transposition",
// "insertion", "deletion", or empty when they differ by more (or are equal).
std::string one_char_difference(std::string_view query, std::string_view listed);

uint64_t hash_bytes(std::string_view bytes, uint64_t seed = 0);
// hash_bytes of bytes with the characters at skip1 and skip2 left out (npos: none), without
// building the shorter string: the query path probes every one- and two-deletion of a token.
uint64_t hash_without(std::string_view bytes, std::size_t skip1, std::size_t skip2, uint64_t seed = 0);

}  // namespace cordon::screening::detail
