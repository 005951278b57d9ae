// Validators for the identifiers that appear in declarations, with the standards' own
// check digits. Each returns nothing when the value is valid, or the rule it breaks with a
// message that quotes the value ("\"MSKU1234566\" fails the ISO 6346 check digit (expected 5)").
//
// Thread-safety: all functions are pure and safe to call concurrently.
#pragma once

#include <expected>
#include <optional>
#include <string>
#include <string_view>

#include "core/field_error.h"

namespace cordon::ids {

using Check = std::expected<void, RuleViolation>;

// ISO 6346 freight container number: owner code (3 letters), category (U, J or Z),
// serial (6 digits), check digit. Upper case, no spaces.
Check check_container_number(std::string_view value);
// The check digit for the first ten characters of a container number, or nullopt when
// they are not letters/digits in the ISO 6346 layout.
std::optional<int> iso6346_check_digit(std::string_view first_ten);

// ISO 3779 vehicle identification number: 17 characters from A-Z and 0-9 without I, O, Q.
// The check digit (position 9, ISO 3779 / 49 CFR 565) is verified where it is mandatory:
// North America (WMI starting 1–5) and China (L).
Check check_vin(std::string_view value);
// The check digit character ('0'..'9' or 'X') a 17-character VIN should carry.
std::optional<char> vin_check_digit(std::string_view vin);

// IMO ship identification number: 7 digits, the last a check digit (weights 7..2).
// Accepts an optional "IMO" prefix with or without a space.
Check check_imo_number(std::string_view value);

// EORI number: an ISO 3166-1 alpha-2 country code (or XI for Northern Ireland) followed by
// 1 to 15 upper-case letters or digits. The national part is not checked further: its layout
// differs per issuing country.
Check check_eori(std::string_view value);

// HS code: 6 to 10 digits whose first six are a subheading of the HS 2022 nomenclature
// (national extensions in the last digits are not checked). Chapter 99, which the upstream
// data lists for trade statistics, is not part of the nomenclature and is refused.
Check check_hs_code(std::string_view value);

// ISO 3166-1 alpha-2 country code, upper case, currently assigned.
Check check_country(std::string_view value);

// ISO 4217 currency code, upper case, currently in use.
Check check_currency(std::string_view value);

// UN/LOCODE: country (ISO 3166-1 alpha-2) and a 3-character location code of A-Z and 2-9.
// Accepts "CNSHA" and "CN SHA".
Check check_unlocode(std::string_view value);

// Customs office reference number: ISO 3166-1 alpha-2 country (or XI for Northern Ireland,
// as in the EU customs office list) and 6 upper-case letters or digits ("BE101000").
Check check_customs_office(std::string_view value);

// Vehicle registration plate for matching: ASCII letters upper-cased, spaces, tabs, dashes
// and dots removed; other bytes (Cyrillic, Greek plates) are kept as they are.
std::string normalize_plate(std::string_view plate);

}  // namespace cordon::ids
