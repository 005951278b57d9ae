// libFuzzer target for one identifier validator, chosen at compile time by a CORDON_FUZZ_*
// definition (see fuzz/CMakeLists.txt). One executable per validator keeps each corpus
// focused on one format, so coverage of its check-digit paths grows quickly.
//
// Beyond "no crash, no sanitizer report", each target checks the contract that callers rely on:
// a failure names a rule and carries a one-line, valid UTF-8 message; a success satisfies the
// format the header promises.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/field_error.h"
#include "core/identifiers.h"

namespace {

using cordon::ids::Check;

void require(bool condition) {
  if (!condition) std::abort();
}

bool is_valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto lead = static_cast<unsigned char>(s[i]);
    std::size_t length = lead < 0x80           ? 1
                         : (lead >> 5) == 0x6  ? 2
                         : (lead >> 4) == 0xE  ? 3
                         : (lead >> 3) == 0x1E ? 4
                                               : 0;
    if (length == 0 || i + length > s.size()) return false;
    for (std::size_t k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += length;
  }
  return true;
}

[[maybe_unused]] void require_well_formed(const Check& check) {
  if (check) return;
  const cordon::RuleViolation& violation = check.error();
  require(!violation.rule.empty());
  require(violation.message.starts_with('"'));  // the message names the value first
  require(violation.message.find_first_of(std::string_view("\n\r\0", 3)) == std::string::npos);
  require(is_valid_utf8(violation.message));
  // Quoting caps the echoed value at 64 characters, so messages stay short whatever the input.
  require(violation.message.size() < 512);
}

[[maybe_unused]] bool all_digits(std::string_view s) {
  for (const char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  using namespace cordon::ids;

#if defined(CORDON_FUZZ_CONTAINER_NUMBER)
  const Check check = check_container_number(input);
  require_well_formed(check);
  if (check) require(iso6346_check_digit(input.substr(0, 10)) == input[10] - '0');
  (void)iso6346_check_digit(input);
#elif defined(CORDON_FUZZ_VIN)
  const Check check = check_vin(input);
  require_well_formed(check);
  if (check) require(input.size() == 17 && vin_check_digit(input).has_value());
  (void)vin_check_digit(input);
#elif defined(CORDON_FUZZ_IMO)
  const Check check = check_imo_number(input);
  require_well_formed(check);
  if (check) require(all_digits(input.substr(input.size() - 7)));
#elif defined(CORDON_FUZZ_EORI)
  const Check check = check_eori(input);
  require_well_formed(check);
  if (check) require(input.size() >= 3 && input.size() <= 17);
#elif defined(CORDON_FUZZ_HS_CODE)
  const Check check = check_hs_code(input);
  require_well_formed(check);
  if (check) require(input.size() >= 6 && input.size() <= 10 && all_digits(input));
#elif defined(CORDON_FUZZ_COUNTRY)
  const Check check = check_country(input);
  require_well_formed(check);
  if (check) require(input.size() == 2);
#elif defined(CORDON_FUZZ_CURRENCY)
  const Check check = check_currency(input);
  require_well_formed(check);
  if (check) require(input.size() == 3);
#elif defined(CORDON_FUZZ_UNLOCODE)
  const Check check = check_unlocode(input);
  require_well_formed(check);
  if (check) require(input.size() == 5 || input.size() == 6);
#elif defined(CORDON_FUZZ_CUSTOMS_OFFICE)
  const Check check = check_customs_office(input);
  require_well_formed(check);
  if (check) require(input.size() == 8);
#elif defined(CORDON_FUZZ_PLATE)
  const std::string plate = normalize_plate(input);
  require(plate.size() <= input.size());
  require(normalize_plate(plate) == plate);  // idempotent: matching compares normalised forms
  require(plate.find_first_of(" -.\tabcdefghijklmnopqrstuvwxyz") == std::string::npos);
  // quote_value is what every message uses; the plate target exercises it on raw bytes too.
  const std::string quoted = cordon::quote_value(input);
  require(is_valid_utf8(quoted) && quoted.size() >= 2);
#else
#error "Define one CORDON_FUZZ_<VALIDATOR>; see fuzz/CMakeLists.txt"
#endif
  return 0;
}
