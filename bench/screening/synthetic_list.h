// A synthetic watch list for speed and memory measurements at a million entities, with a name
// distribution shaped like real lists and real traffic (see RESULTS.md, "The synthetic list"):
// fifteen naming cultures, each with a table of real given names and of its most common
// surnames drawn with Zipf frequencies (so WANG WEI, NGUYEN, MOHAMMED and KIM repeat as they do
// in life), and a long tail of surnames built from per-culture syllables; companies from a wide
// stem space with shared descriptive words, trades and legal forms. Written here, not taken
// from the simulation's internals.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "screening/screening.h"

namespace cordon::bench {

class SyntheticGenerator {
 public:
  explicit SyntheticGenerator(uint64_t seed) : rng_(seed) {}
  screening::WatchlistEntity entity(int64_t index);
  std::string person_name();
  std::string company_name();
  std::string plate();
  std::string vin();
  std::string container();
  // One typing error (substitution, deletion, doubling, transposition) inside a word.
  std::string typo(const std::string& name);
  // Another common romanisation of the same name (KH/H, Y/I/J, OU/U, V/W, SH/SCH, -OV/-OFF,
  // ...), applied to one word; the name unchanged when no rule applies.
  std::string transliterate(const std::string& name);
  // The first word moved to the end ("IVAN PETROV" -> "PETROV IVAN").
  static std::string swap_order(const std::string& name);
  // A middle word dropped (names of three words or more); the name unchanged otherwise.
  static std::string drop_middle(const std::string& name);
  // The legal form replaced by another one.
  std::string change_legal_form(const std::string& name);
  // One character of a plate changed.
  std::string plate_error(const std::string& plate);
  std::mt19937_64& rng() { return rng_; }

 private:
  std::string surname(int culture);
  std::string given(int culture);
  std::mt19937_64 rng_;
};

}  // namespace cordon::bench
