// The simulated national watch list, and the names under which listed parties (and innocent
// look-alikes) turn up in declarations.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "simulation/names.h"
#include "simulation/simulation.h"

namespace cordon::simulation::detail {

// The structure behind one entry, kept so that variants can be rendered from its parts.
struct WatchSubject {
  WatchEntityType type = WatchEntityType::kPerson;
  std::string country;  // nationality or registration
  PersonParts person;
  CompanyParts company;
  bool sole_proprietor = false;  // listed under a sole proprietorship name
  Address address;               // organisations: registered address
  std::string tin;
  std::string eori;
  Vehicle vehicle;
  bool trailer = false;  // vehicles: the listed unit is a trailer
  std::string container;
  bool active = false;  // reappears in declarations
};

struct Watchlist {
  std::vector<WatchlistEntry> entries;
  std::vector<WatchSubject> subjects;  // parallel to entries
};

Watchlist build_watchlist(double scale, int64_t start_day, Rng& rng);

struct NameVariant {
  RenderedName name;
  std::string variant;  // "exact", "transliteration", "swapped_order", ...
};

// A listed person or organisation as a declarant would write it, disguised or not.
NameVariant listed_party_name(const WatchSubject& subject, const WatchlistEntry& entry, Rng& rng);
// A different person or company whose name resembles the listed one; never equal to a listed name.
NameVariant lookalike_name(const WatchSubject& subject, const WatchlistEntry& entry, Rng& rng,
                           CompanyParts* company_out, PersonParts* person_out);

// One typing error in a Latin name: substitution, deletion, doubling or transposition.
std::string typo(std::string_view name, Rng& rng);

}  // namespace cordon::simulation::detail
