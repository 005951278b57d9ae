// A synthetic watch list of realistic names from several naming cultures (built from
// syllables and name tables written here, not from the simulation's internals), for speed and
// memory measurements at a million entities.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "screening/screening.h"

namespace cordon::bench {

struct SyntheticName {
  std::string name;
  screening::EntityType type;
};

class SyntheticGenerator {
 public:
  explicit SyntheticGenerator(uint64_t seed) : rng_(seed) {}
  screening::WatchlistEntity entity(int64_t index);
  std::string person_name();
  std::string company_name();
  std::string plate();
  std::string vin();
  std::string container();
  // One typing error, as the simulation plants it.
  std::string typo(const std::string& name);
  std::mt19937_64& rng() { return rng_; }

 private:
  std::string surname(int culture);
  std::mt19937_64 rng_;
};

}  // namespace cordon::bench
