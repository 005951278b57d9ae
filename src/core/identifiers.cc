#include "core/identifiers.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/reference_data.h"

namespace cordon::ids {
namespace {

// ASCII-only classification: <cctype> depends on the locale and is undefined for the negative
// chars that non-ASCII bytes become.
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_upper_or_digit(char c) { return is_upper(c) || is_digit(c); }
bool all_of(std::string_view s, bool (*predicate)(char)) {
  return std::ranges::all_of(s, predicate);
}
int digit_value(char c) { return c - '0'; }

std::unexpected<RuleViolation> violation(std::string rule, std::string message) {
  return std::unexpected(RuleViolation{std::move(rule), std::move(message)});
}

// Characters a person would count: UTF-8 continuation bytes are not counted.
std::size_t character_count(std::string_view s) {
  return static_cast<std::size_t>(std::ranges::count_if(
      s, [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string to_upper_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

bool is_country(std::string_view code) { return reference::find_country(code) != nullptr; }

// EORI numbers and customs offices of Northern Ireland carry XI, a code the EU and the UK
// use under the Windsor Framework but that ISO 3166 does not assign.
bool is_country_or_northern_ireland(std::string_view code) {
  return code == "XI" || is_country(code);
}

// ISO 6346 letter values: A = 10 upwards, skipping 11, 22 and 33 (multiples of 11 would
// make some substitutions invisible to a check modulo 11).
constexpr std::array<int, 26> kIso6346LetterValues = [] {
  std::array<int, 26> values{};
  int value = 10;
  for (int& v : values) {
    if (value % 11 == 0) ++value;
    v = value++;
  }
  return values;
}();

// ISO 3779 transliteration of VIN letters (I, O and Q never occur) and the position weights.
constexpr std::array<int, 26> kVinLetterValues = {1, 2, 3, 4, 5, 6, 7, 8, 0, 1, 2, 3, 4,
                                                  5, 0, 7, 0, 9, 2, 3, 4, 5, 6, 7, 8, 9};
constexpr std::array<int, 17> kVinWeights = {8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2};
constexpr std::size_t kVinLength = 17;
constexpr std::size_t kVinCheckDigitPosition = 8;  // zero-based; the ninth character

bool is_vin_character(char c) {
  return is_digit(c) || (is_upper(c) && c != 'I' && c != 'O' && c != 'Q');
}

// UN/LOCODE location codes use digits 2-9 only, so that 0 and 1 are never confused with O
// and I.
bool is_unlocode_location_character(char c) { return is_upper(c) || (c >= '2' && c <= '9'); }

}  // namespace

std::optional<int> iso6346_check_digit(std::string_view first_ten) {
  if (first_ten.size() != 10 || !all_of(first_ten.substr(0, 4), is_upper) ||
      !all_of(first_ten.substr(4), is_digit)) {
    return std::nullopt;
  }
  int sum = 0;
  for (std::size_t i = 0; i < first_ten.size(); ++i) {
    const char c = first_ten[i];
    const int value =
        is_upper(c) ? kIso6346LetterValues[static_cast<std::size_t>(c - 'A')] : digit_value(c);
    sum += value << i;  // weight 2^position
  }
  // A remainder of 10 gives check digit 0: the standard advises owners against such serials,
  // but they exist in the fleet and are valid.
  return sum % 11 % 10;
}

Check check_container_number(std::string_view value) {
  const bool layout_ok = value.size() == 11 && all_of(value.substr(0, 3), is_upper) &&
                         (value[3] == 'U' || value[3] == 'J' || value[3] == 'Z') &&
                         all_of(value.substr(4), is_digit);
  if (!layout_ok) {
    return violation("iso6346_format",
                     quote_value(value) +
                         " is not an ISO 6346 container number (3-letter owner code, category "
                         "U, J or Z, 6-digit serial number and check digit)");
  }
  const int expected = *iso6346_check_digit(value.substr(0, 10));
  if (digit_value(value[10]) != expected) {
    return violation("iso6346_check_digit", quote_value(value) +
                                                " fails the ISO 6346 check digit (expected " +
                                                std::to_string(expected) + ")");
  }
  return {};
}

std::optional<char> vin_check_digit(std::string_view vin) {
  if (vin.size() != kVinLength || !all_of(vin, is_vin_character)) return std::nullopt;
  int sum = 0;
  for (std::size_t i = 0; i < kVinLength; ++i) {
    const char c = vin[i];
    const int value =
        is_digit(c) ? digit_value(c) : kVinLetterValues[static_cast<std::size_t>(c - 'A')];
    sum += value * kVinWeights[i];
  }
  const int remainder = sum % 11;
  return remainder == 10 ? 'X' : static_cast<char>('0' + remainder);
}

Check check_vin(std::string_view value) {
  if (value.size() != kVinLength) {
    return violation("vin_length", quote_value(value) + " is not a VIN: it has " +
                                       std::to_string(character_count(value)) +
                                       " characters, a VIN has 17");
  }
  const auto bad = std::ranges::find_if_not(value, is_vin_character);
  if (bad != value.end()) {
    const std::string position = std::to_string(bad - value.begin() + 1);
    const char c = *bad;
    if (c == 'I' || c == 'O' || c == 'Q') {
      return violation("vin_characters", quote_value(value) + " is not a VIN: the letter " +
                                             std::string(1, c) + " at position " + position +
                                             " is not allowed (VINs never use I, O or Q)");
    }
    return violation("vin_characters", quote_value(value) +
                                           " is not a VIN: the character at position " + position +
                                           " is not allowed (only A-Z without I, O, Q and 0-9)");
  }
  // The check digit is mandatory in North America (WMI 1-5) and China (L); elsewhere position
  // 9 is free for the manufacturer, so testing it would reject genuine European VINs.
  const char region = value[0];
  const bool check_digit_mandatory = (region >= '1' && region <= '5') || region == 'L';
  if (check_digit_mandatory) {
    const char expected = *vin_check_digit(value);
    if (value[kVinCheckDigitPosition] != expected) {
      return violation("vin_check_digit", quote_value(value) +
                                              " fails the VIN check digit (expected " +
                                              std::string(1, expected) + ")");
    }
  }
  return {};
}

Check check_imo_number(std::string_view value) {
  std::string_view digits = value;
  if (digits.starts_with("IMO")) {
    digits.remove_prefix(3);
    if (digits.starts_with(' ')) digits.remove_prefix(1);
  }
  if (digits.size() != 7 || !all_of(digits, is_digit)) {
    return violation(
        "imo_format",
        quote_value(value) + " is not an IMO number (7 digits, optionally after \"IMO\")");
  }
  int sum = 0;
  for (std::size_t i = 0; i < 6; ++i) sum += digit_value(digits[i]) * static_cast<int>(7 - i);
  const int expected = sum % 10;
  if (digit_value(digits[6]) != expected) {
    return violation("imo_check_digit", quote_value(value) +
                                            " fails the IMO check digit (expected " +
                                            std::to_string(expected) + ")");
  }
  return {};
}

Check check_eori(std::string_view value) {
  if (value.size() < 3 || value.size() > 17 || !all_of(value.substr(0, 2), is_upper) ||
      !all_of(value.substr(2), is_upper_or_digit)) {
    return violation("eori_format",
                     quote_value(value) +
                         " is not an EORI number (country code followed by 1 to 15 upper-case "
                         "letters or digits)");
  }
  const std::string_view country = value.substr(0, 2);
  if (!is_country_or_northern_ireland(country)) {
    return violation("eori_country", quote_value(value) + " is not an EORI number: " +
                                         quote_value(country) + " is not an ISO 3166 code");
  }
  return {};
}

Check check_hs_code(std::string_view value) {
  if (!all_of(value, is_digit)) {
    return violation("hs_format",
                     quote_value(value) + " is not an HS code: only digits are allowed");
  }
  if (value.size() < 6 || value.size() > 10) {
    return violation("hs_format",
                     quote_value(value) + " is not an HS code: it needs 6 to 10 digits");
  }
  const std::string_view subheading = value.substr(0, 6);
  if (reference::find_hs(subheading) == nullptr) {
    std::string message = quote_value(value) + " is not in the HS 2022 nomenclature";
    if (value.size() > 6) message += ": subheading " + std::string(subheading) + " does not exist";
    return violation("hs_unknown", std::move(message));
  }
  return {};
}

Check check_country(std::string_view value) {
  if (is_country(value)) return {};
  std::string message = quote_value(value) + " is not an ISO 3166 code";
  if (value.size() == 2 && is_country(to_upper_ascii(value))) {
    message += " (country codes are upper case)";
  }
  return violation("iso3166", std::move(message));
}

Check check_currency(std::string_view value) {
  if (reference::is_currency(value)) return {};
  std::string message = quote_value(value) + " is not an ISO 4217 currency code";
  if (value.size() == 3 && reference::is_currency(to_upper_ascii(value))) {
    message += " (currency codes are upper case)";
  }
  return violation("iso4217", std::move(message));
}

Check check_unlocode(std::string_view value) {
  std::string_view country;
  std::string_view location;
  if (value.size() == 5) {
    country = value.substr(0, 2), location = value.substr(2);
  } else if (value.size() == 6 && value[2] == ' ') {
    country = value.substr(0, 2), location = value.substr(3);
  }
  if (country.empty() || !all_of(country, is_upper) ||
      !all_of(location, is_unlocode_location_character)) {
    return violation("unlocode_format",
                     quote_value(value) +
                         " is not a UN/LOCODE (2-letter country code and 3 characters from A-Z "
                         "and 2-9)");
  }
  if (!is_country(country)) {
    return violation("unlocode_country", quote_value(value) + " is not a UN/LOCODE: " +
                                             quote_value(country) + " is not an ISO 3166 code");
  }
  return {};
}

Check check_customs_office(std::string_view value) {
  if (value.size() != 8 || !all_of(value.substr(0, 2), is_upper) ||
      !all_of(value.substr(2), is_upper_or_digit)) {
    return violation("customs_office_format",
                     quote_value(value) +
                         " is not a customs office reference number (2-letter country code and "
                         "6 upper-case letters or digits)");
  }
  const std::string_view country = value.substr(0, 2);
  if (!is_country_or_northern_ireland(country)) {
    return violation("customs_office_country",
                     quote_value(value) + " is not a customs office reference number: " +
                         quote_value(country) + " is not an ISO 3166 code");
  }
  return {};
}

std::string normalize_plate(std::string_view plate) {
  std::string out;
  out.reserve(plate.size());
  for (const char c : plate) {
    if (c == ' ' || c == '-' || c == '.' || c == '\t') continue;
    out += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  return out;
}

}  // namespace cordon::ids
