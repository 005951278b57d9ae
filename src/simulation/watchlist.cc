#include "simulation/watchlist.h"

#include <algorithm>
#include <array>
#include <cmath>

#include <fmt/format.h>

#include "core/time.h"
#include "simulation/objects.h"
#include "simulation/trade.h"

namespace cordon::simulation::detail {
namespace {

struct CountryWeight {
  std::string_view country;
  double weight;
};

constexpr CountryWeight kPersonNationality[] = {
    {"RU", 22}, {"BY", 14}, {"UA", 10}, {"CN", 12}, {"TR", 12}, {"AE", 10},
    {"RS", 6},  {"VN", 5},  {"GR", 3},  {"BG", 3},  {"IN", 3},
};
// Organisations from countries that ship on the lanes (they reappear as consignors) and EU
// shells that reappear as consignees.
constexpr CountryWeight kOrganisationCountry[] = {
    {"CN", 22}, {"TR", 16}, {"AE", 18}, {"BY", 14}, {"UA", 6}, {"VN", 5}, {"RS", 4},
    {"IN", 3},  {"BG", 4},  {"LT", 4},  {"PL", 4},
};
constexpr CountryWeight kStolenVehicleCountry[] = {
    {"DE", 25}, {"PL", 20}, {"NL", 12}, {"LT", 12}, {"BG", 8}, {"HU", 8}, {"TR", 8}, {"UA", 7},
};
constexpr std::string_view kLeasingOwners[] = {"TGH", "TCN", "SEG", "CAI", "FCI", "GES", "TRH", "BMO", "TCL"};
constexpr std::string_view kShadowTankers[] = {"OCEAN VOYAGER", "SEA BREEZE", "MAYA", "ARCTIC PEARL", "SIERRA",
                                               "CRYSTAL ROSE", "NOVA STAR", "GOLDEN SEA"};

constexpr std::string_view kPersonReasons[] = {
    "Suspected organiser of cigarette smuggling via road freight (case 2024/117)",
    "Sanctions evasion: procurement of dual-use goods for re-export to RU",
    "Repeated undervaluation of textiles; customs debt unpaid",
    "Counterfeit electronics trafficking, Europol analysis project",
    "Named in seizure of concealed narcotics in fruit consignment",
    "Front person for shell importers; VAT fraud (missing trader)",
};
constexpr std::string_view kOrganisationReasons[] = {
    "Designated entity: sanctions (EU restrictive measures)",
    "Shell company used for undervalued imports; VAT carousel",
    "Consignor in previous seizure of counterfeit goods",
    "Supplier of misdeclared e-cigarettes and vaping products",
    "Transshipment of goods of Russian origin through third countries",
    "Linked to cigarette smuggling network (OLAF case)",
};
constexpr std::string_view kPartyInstructions[] = {
    "Physical inspection of goods; inform the intelligence unit",
    "Documentary check; hold the goods pending enquiry",
    "Discreet surveillance: do not alert the parties; report to the requesting authority",
    "Refuse release until the sanctions unit confirms",
};

template <std::size_t N>
std::string_view pick_country(const CountryWeight (&table)[N], Rng& rng) {
  std::array<double, N> weights{};
  for (std::size_t i = 0; i < N; ++i) weights[i] = table[i].weight;
  return table[rng.weighted(weights)].country;
}

int64_t count_for(double base, double scale, int64_t minimum) {
  return std::max<int64_t>(minimum, std::llround(base * scale));
}

std::string script_of(const NameProfile& profile, const RenderedName& name) {
  return name.original.empty() ? "Latn" : std::string(profile.script);
}

void add_names(WatchlistEntry& entry, const NameProfile& profile, const RenderedName& primary) {
  entry.names.push_back({primary.latin, "Latn", "primary"});
  if (!primary.original.empty()) entry.names.push_back({primary.original, script_of(profile, primary), "original_script"});
}

bool has_alternative(const Word* word) { return word != nullptr && spelling_count(*word) > 1; }

}  // namespace

std::string typo(std::string_view name, Rng& rng) {
  std::string out(name);
  std::vector<std::size_t> letters;
  for (std::size_t i = 1; i + 1 < out.size(); ++i) {
    const char c = out[i];
    if (c >= 'a' && c <= 'z' && out[i - 1] != ' ') letters.push_back(i);
  }
  if (letters.empty()) return out + "s";
  const std::size_t at = letters[rng.index(letters.size())];
  switch (rng.between(0, 3)) {
    case 0: {  // a neighbouring vowel or consonant
      constexpr std::string_view vowels = "aeiou";
      const char c = out[at];
      if (vowels.find(c) != std::string_view::npos) {
        out[at] = vowels[(vowels.find(c) + 1 + rng.index(4)) % 5];
      } else {
        out[at] = c == 'z' ? 's' : static_cast<char>(c + 1);
      }
      break;
    }
    case 1:
      out.erase(at, 1);
      break;
    case 2:
      out.insert(at, 1, out[at]);
      break;
    default:
      // Transpose only with a plain letter: swapping a byte of a UTF-8 sequence would break it.
      if (at + 1 < out.size() && out[at + 1] >= 'a' && out[at + 1] <= 'z') std::swap(out[at], out[at + 1]);
      else out.erase(at, 1);
      break;
  }
  return out;
}

Watchlist build_watchlist(double scale, int64_t start_day, Rng& rng) {
  Watchlist list;
  auto listed_on = [&] { return format_date(start_day - rng.between(20, 3 * 365)); };
  auto dob = [&] { return format_date(parse_date("1955-01-01").value() + rng.between(0, 40 * 365)); };

  const int64_t persons = count_for(60, scale, 8);
  for (int64_t i = 0; i < persons; ++i) {
    WatchSubject subject;
    subject.type = WatchEntityType::kPerson;
    subject.country = std::string(pick_country(kPersonNationality, rng));
    const NameProfile& profile = profile_for(subject.country);
    subject.person = make_person(profile, rng);
    subject.sole_proprietor = !profile.sole_forms.empty() && rng.chance(0.3);
    subject.active = rng.chance(0.45);
    WatchlistEntry entry;
    entry.id = fmt::format("SIM-P-{:04}", i + 1);
    entry.type = WatchEntityType::kPerson;
    add_names(entry, profile, render_person(subject.person));
    // Lists carry the spellings already met in earlier cases.
    if (rng.chance(0.5)) {
      Spelling alias;
      alias.surname = has_alternative(subject.person.surname) ? 1 : 0;
      alias.given = has_alternative(subject.person.given) && alias.surname == 0 ? 1 : 0;
      alias.include_middle = rng.chance(0.5);
      auto name = render_person(subject.person, alias);
      if (name.latin != entry.names.front().name) entry.names.push_back({name.latin, "Latn", "alias"});
    }
    if (subject.sole_proprietor) {
      auto name = render_sole_proprietor(subject.person);
      entry.names.push_back({name.latin, "Latn", "alias"});
    }
    entry.dob = dob();
    entry.nationality = subject.country;
    entry.listed_on = listed_on();
    entry.reason = std::string(rng.pick(std::span<const std::string_view>(kPersonReasons)));
    entry.instruction = std::string(rng.pick(std::span<const std::string_view>(kPartyInstructions)));
    list.entries.push_back(std::move(entry));
    list.subjects.push_back(std::move(subject));
  }

  const int64_t organisations = count_for(40, scale, 6);
  for (int64_t i = 0; i < organisations; ++i) {
    WatchSubject subject;
    subject.type = WatchEntityType::kOrganisation;
    subject.country = std::string(pick_country(kOrganisationCountry, rng));
    const NameProfile& profile = profile_for(subject.country);
    subject.company = make_company(profile, rng);
    subject.address = make_address(profile, rng);
    subject.tin = make_tin(subject.country, rng);
    if (is_eu(subject.country)) subject.eori = make_eori(subject.country, rng);
    subject.active = rng.chance(0.5);
    WatchlistEntry entry;
    entry.id = fmt::format("SIM-O-{:04}", i + 1);
    entry.type = WatchEntityType::kOrganisation;
    const auto primary = render_company(subject.company);
    add_names(entry, profile, primary);
    if (rng.chance(0.4) && has_alternative(subject.company.stem)) {
      Spelling alias;
      alias.stem = spelling_count(*subject.company.stem) - 1;
      auto name = render_company(subject.company, alias);
      if (name.latin != primary.latin) entry.names.push_back({name.latin, "Latn", "alias"});
    }
    entry.country = subject.country;
    entry.identifiers.push_back({"tin", subject.tin, subject.country});
    if (!subject.eori.empty()) entry.identifiers.push_back({"eori", subject.eori, subject.country});
    entry.listed_on = listed_on();
    entry.reason = std::string(rng.pick(std::span<const std::string_view>(kOrganisationReasons)));
    entry.instruction = std::string(rng.pick(std::span<const std::string_view>(kPartyInstructions)));
    list.entries.push_back(std::move(entry));
    list.subjects.push_back(std::move(subject));
  }

  const int64_t vehicles = count_for(30, scale, 6);
  for (int64_t i = 0; i < vehicles; ++i) {
    WatchSubject subject;
    subject.type = WatchEntityType::kVehicle;
    subject.country = std::string(pick_country(kStolenVehicleCountry, rng));
    subject.trailer = rng.chance(0.3);
    const auto kind = subject.trailer ? VehicleKind::kTrailer : VehicleKind::kTractor;
    subject.vehicle.country = subject.country;
    subject.vehicle.plate = make_plate(subject.country, kind, rng);
    subject.vehicle.vin = make_vin(kind, subject.country, rng);
    subject.active = true;
    WatchlistEntry entry;
    entry.id = fmt::format("SIM-V-{:04}", i + 1);
    entry.type = WatchEntityType::kVehicle;
    entry.country = subject.country;
    entry.identifiers.push_back({"plate", subject.vehicle.plate, subject.country});
    entry.identifiers.push_back({"vin", subject.vehicle.vin, ""});
    entry.listed_on = listed_on();
    entry.reason = fmt::format("{} reported stolen in {} on {}", subject.trailer ? "Semi-trailer" : "Tractor unit",
                               subject.country, entry.listed_on);
    entry.instruction = "Stop the vehicle; seize it and inform the police (SIS article 38 hit)";
    list.entries.push_back(std::move(entry));
    list.subjects.push_back(std::move(subject));
  }

  const int64_t containers = count_for(25, scale, 5);
  for (int64_t i = 0; i < containers; ++i) {
    WatchSubject subject;
    subject.type = WatchEntityType::kContainer;
    subject.container = make_container_number(rng.pick(std::span<const std::string_view>(kLeasingOwners)), rng);
    subject.active = true;
    WatchlistEntry entry;
    entry.id = fmt::format("SIM-C-{:04}", i + 1);
    entry.type = WatchEntityType::kContainer;
    entry.identifiers.push_back({"container", subject.container, ""});
    entry.listed_on = listed_on();
    entry.reason = "Container reported stolen from a depot; may be used to move goods outside customs control";
    entry.instruction = "Examine the container and its seals; inform the owner and the police";
    list.entries.push_back(std::move(entry));
    list.subjects.push_back(std::move(subject));
  }

  const int64_t vessels = count_for(8, scale, 2);
  for (int64_t i = 0; i < vessels; ++i) {
    WatchSubject subject;
    subject.type = WatchEntityType::kVessel;
    WatchlistEntry entry;
    entry.id = fmt::format("SIM-S-{:04}", i + 1);
    entry.type = WatchEntityType::kVessel;
    entry.names.push_back({std::string(kShadowTankers[static_cast<std::size_t>(i) % std::size(kShadowTankers)]) +
                               (i >= static_cast<int64_t>(std::size(kShadowTankers)) ? fmt::format(" {}", i) : ""),
                           "Latn", "primary"});
    entry.identifiers.push_back({"imo", make_imo(rng), ""});
    entry.country = std::string(rng.pick(std::span<const std::string_view>(std::array<std::string_view, 4>{"PA", "CM", "GA", "KM"})));
    entry.listed_on = listed_on();
    entry.reason = "Tanker of the shadow fleet; EU port access ban";
    entry.instruction = "Refuse port access; inform the maritime authority";
    list.entries.push_back(std::move(entry));
    list.subjects.push_back(std::move(subject));
  }
  return list;
}

NameVariant listed_party_name(const WatchSubject& subject, const WatchlistEntry& entry, Rng& rng) {
  const std::string& primary = entry.names.front().name;
  auto is_listed = [&](const std::string& name) {
    return std::ranges::any_of(entry.names, [&](const WatchName& n) { return n.name == name; });
  };
  NameVariant out;
  const double roll = rng.uniform();
  Spelling s;
  if (subject.type == WatchEntityType::kPerson) {
    const PersonParts& p = subject.person;
    auto render = [&](const Spelling& sp) {
      return subject.sole_proprietor ? render_sole_proprietor(p, sp) : render_person(p, sp);
    };
    if (roll < 0.15) {
      out = {render(s), "exact"};
    } else if (roll < 0.40 && (has_alternative(p.given) || has_alternative(p.surname) || has_alternative(p.middle))) {
      // Another transliteration of one or more parts, not one the list already holds.
      for (int attempt = 0; attempt < 6; ++attempt) {
        s.given = has_alternative(p.given) ? rng.index(spelling_count(*p.given)) : 0;
        s.surname = has_alternative(p.surname) ? rng.index(spelling_count(*p.surname)) : 0;
        s.middle = has_alternative(p.middle) ? rng.index(spelling_count(*p.middle)) : 0;
        out = {render(s), "transliteration"};
        if (!is_listed(out.name.latin)) break;
      }
    } else if (roll < 0.58) {
      s.swap_order = true;
      out = {render(s), "swapped_order"};
    } else if (roll < 0.74 && p.middle != nullptr) {
      s.include_middle = false;
      out = {render(s), "dropped_middle_name"};
    } else {
      out = {render(s), "typo"};
    }
  } else {
    const CompanyParts& c = subject.company;
    if (roll < 0.15) {
      out = {render_company(c, s), "exact"};
    } else if (roll < 0.40 && (has_alternative(c.stem) || has_alternative(c.industry))) {
      for (int attempt = 0; attempt < 6; ++attempt) {
        s.stem = has_alternative(c.stem) ? rng.index(spelling_count(*c.stem)) : 0;
        s.industry = has_alternative(c.industry) ? rng.index(spelling_count(*c.industry)) : 0;
        out = {render_company(c, s), "transliteration"};
        if (!is_listed(out.name.latin)) break;
      }
    } else if (roll < 0.62) {
      if (spelling_count(c.form->form) > 1 && rng.chance(0.7)) {
        s.form = 1 + rng.index(spelling_count(c.form->form) - 1);
      } else {
        s.include_form = false;
      }
      out = {render_company(c, s), "legal_form_changed"};
    } else if (roll < 0.74) {
      s.swap_order = true;
      out = {render_company(c, s), "word_order"};
    } else {
      out = {render_company(c, s), "typo"};
    }
  }
  if (out.variant == "typo" || (out.variant != "exact" && out.name.latin == primary)) {
    out.name.latin = typo(out.name.latin, rng);
    out.variant = "typo";
  }
  return out;
}

NameVariant lookalike_name(const WatchSubject& subject, const WatchlistEntry& entry, Rng& rng,
                           CompanyParts* company_out, PersonParts* person_out) {
  auto is_listed = [&](const std::string& name) {
    return std::ranges::any_of(entry.names, [&](const WatchName& n) { return n.name == name; });
  };
  const NameProfile& profile = profile_for(subject.country);
  for (int attempt = 0; attempt < 20; ++attempt) {
    NameVariant out;
    if (subject.type == WatchEntityType::kPerson) {
      PersonParts other = subject.person;
      if (other.middle != nullptr && rng.chance(0.5)) {
        const auto middles = other.female ? profile.middle_female : profile.middle_male;
        other.middle = &rng.pick(middles);
        out.variant = "same_name_other_patronymic";
      } else {
        other.given = other.female ? &rng.pick(profile.female) : &rng.pick(profile.male);
        out.variant = "same_surname_other_person";
      }
      if (other.given == subject.person.given && other.middle == subject.person.middle) continue;
      out.name = subject.sole_proprietor ? render_sole_proprietor(other) : render_person(other);
      if (person_out) *person_out = other;
    } else {
      CompanyParts other = subject.company;
      if (other.city != nullptr && rng.chance(0.5)) {
        other.city = &rng.pick(profile.cities);
        out.variant = "same_stem_other_city";
        if (other.city == subject.company.city) continue;
      } else if (!profile.industries.empty() && rng.chance(0.6)) {
        other.industry = &rng.pick(profile.industries);
        out.variant = "same_stem_other_trade";
        if (other.industry == subject.company.industry) continue;
      } else {
        other.form = &rng.pick(profile.forms);
        out.variant = "same_stem_other_legal_form";
        if (other.form == subject.company.form) continue;
      }
      out.name = render_company(other, {});
      if (company_out) *company_out = other;
    }
    if (!is_listed(out.name.latin)) return out;
  }
  // A profile too small to vary: a typing-distance neighbour that is still another company.
  NameVariant out;
  out.name = subject.type == WatchEntityType::kPerson ? render_person(subject.person) : render_company(subject.company);
  out.name.latin += subject.type == WatchEntityType::kPerson ? " Jr" : " Group";
  out.variant = "extended_name";
  if (company_out) *company_out = subject.company;
  if (person_out) *person_out = subject.person;
  return out;
}

}  // namespace cordon::simulation::detail
