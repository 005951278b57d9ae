// Reference data compiled into the binary: the HS 2022 nomenclature, ISO 3166-1 countries
// and ISO 4217 currencies (data/reference/, with their sources and licences).
//
// Thread-safety: the tables are built once, on first use, and are read-only afterwards.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace cordon::reference {

struct HsEntry {
  std::string code;         // 2, 4 or 6 digits
  std::string description;  // "Horses; live, pure-bred breeding animals"
  std::string section;      // Roman numeral, "I" .. "XXI"
};

struct Country {
  std::string alpha2;    // "LT"
  std::string name;      // "Lithuania"
  std::string currency;  // ISO 4217 code of its main currency, may be empty
  std::string region;    // M49 region name, "Europe"
};

// nullptr when the code is not in the nomenclature (2, 4 or 6 digits).
const HsEntry* find_hs(std::string_view code);
// All 6-digit subheadings, in code order.
std::span<const HsEntry> hs_subheadings();

const Country* find_country(std::string_view alpha2);
std::span<const Country> countries();

bool is_currency(std::string_view code);

}  // namespace cordon::reference
