#include "simulation/objects.h"

#include <array>
#include <stdexcept>

#include "core/identifiers.h"
#include "simulation/names.h"

namespace cordon::simulation::detail {
namespace {

constexpr std::string_view kVinAlphabet = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789";
// Model-year codes for 2012..2026 (ISO 3779 position 10 skips I, O, Q, U, Z).
constexpr std::string_view kModelYears = "CDEFGHJKLMNPRST";

std::string digits(Rng& rng, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += static_cast<char>('0' + rng.between(0, 9));
  return out;
}

std::string letters(Rng& rng, int n, std::string_view alphabet = "ABCDEFGHJKLMNPRSTUVWXYZ") {
  std::string out;
  for (int i = 0; i < n; ++i) out += alphabet[rng.index(alphabet.size())];
  return out;
}

struct Wmi {
  std::string_view code;
  double weight;
};

// Manufacturers of heavy tractors and trailers on European roads, and a few North American
// ones (Freightliner, Kenworth, International) where the check digit is mandatory.
constexpr Wmi kTractorWmi[] = {
    {"WDB", 20}, {"YV2", 16}, {"XLR", 14}, {"WMA", 14}, {"YS2", 12}, {"VF6", 8}, {"ZCF", 6},
    {"XTC", 4},  {"Y3M", 3},  {"NM0", 3},  {"1FU", 1},  {"1XK", 1},  {"3HS", 1},
};
constexpr Wmi kTrailerWmi[] = {{"WSM", 40}, {"WKE", 30}, {"WK0", 15}, {"SUD", 10}, {"NLR", 5}};
constexpr Wmi kCarWmi[] = {
    {"WVW", 15}, {"WBA", 10}, {"WDD", 10}, {"VF1", 10}, {"YV1", 5}, {"XTA", 5}, {"TMB", 8},
    {"KMH", 8},  {"JTD", 6},  {"1FA", 3},  {"2T1", 2},  {"5YJ", 3}, {"LVS", 3},
};

template <std::size_t N>
std::string_view pick_wmi(const Wmi (&table)[N], Rng& rng) {
  std::array<double, N> weights{};
  for (std::size_t i = 0; i < N; ++i) weights[i] = table[i].weight;
  return table[rng.weighted(weights)].code;
}

}  // namespace

std::string container_with_serial(std::string_view owner, int serial) {
  std::string number(owner);
  number += 'U';
  std::string s = std::to_string(serial);
  number += std::string(6 - s.size(), '0') + s;
  const auto check = ids::iso6346_check_digit(number);
  if (!check) throw std::logic_error("bad container owner code " + std::string(owner));
  number += static_cast<char>('0' + (*check % 10));
  return number;
}

std::string make_container_number(std::string_view owner, Rng& rng) {
  return container_with_serial(owner, static_cast<int>(rng.between(0, 999999)));
}

std::string make_vin_with_wmi(std::string_view wmi, Rng& rng) {
  std::string vin(wmi);
  vin += letters(rng, 5, kVinAlphabet);
  vin += '0';  // check digit, filled in below
  vin += kModelYears[rng.index(kModelYears.size())];
  vin += letters(rng, 1, kVinAlphabet);
  vin += digits(rng, 6);
  const auto check = ids::vin_check_digit(vin);
  if (!check) throw std::logic_error("vin_check_digit refused " + vin);
  vin[8] = *check;
  return vin;
}

std::string make_vin(VehicleKind kind, std::string_view registration_country, Rng& rng) {
  switch (kind) {
    case VehicleKind::kTractor:
      // Belarusian fleets run MAZ, Ukrainian and Belarusian some KAMAZ; Turkish Ford Trucks.
      if (registration_country == "BY" && rng.chance(0.3)) return make_vin_with_wmi("Y3M", rng);
      if (registration_country == "TR" && rng.chance(0.2)) return make_vin_with_wmi("NM0", rng);
      return make_vin_with_wmi(pick_wmi(kTractorWmi, rng), rng);
    case VehicleKind::kTrailer:
      return make_vin_with_wmi(pick_wmi(kTrailerWmi, rng), rng);
    case VehicleKind::kCar:
      return make_vin_with_wmi(pick_wmi(kCarWmi, rng), rng);
  }
  return {};
}

int imo_check_digit(std::string_view first_six) {
  int sum = 0;
  for (int i = 0; i < 6; ++i) sum += (first_six[static_cast<std::size_t>(i)] - '0') * (7 - i);
  return sum % 10;
}

std::string make_imo(Rng& rng) {
  // Ships built since the 1990s carry numbers from 9000000 up.
  std::string first = std::to_string(rng.between(900000, 989999));
  return first + static_cast<char>('0' + imo_check_digit(first));
}

std::string make_plate(std::string_view country, VehicleKind kind, Rng& rng) {
  // Letters that exist in both Cyrillic and Latin, as on Belarusian, Ukrainian and Russian plates.
  constexpr std::string_view kCyrLatin = "ABEIKMHOPCTX";
  const bool trailer = kind == VehicleKind::kTrailer;
  if (country == "TR") {
    constexpr std::array<std::string_view, 8> provinces = {"34", "35", "16", "06", "27", "33", "41", "20"};
    const auto province = provinces[rng.index(provinces.size())];
    return std::string(province) + " " + letters(rng, trailer ? 2 : static_cast<int>(rng.between(1, 3))) + " " +
           digits(rng, trailer ? 4 : static_cast<int>(rng.between(2, 4)));
  }
  if (country == "BY") {
    if (trailer) return letters(rng, 1, kCyrLatin) + digits(rng, 4) + letters(rng, 1, kCyrLatin) + "-" + digits(rng, 1);
    return digits(rng, 4) + " " + letters(rng, 2, kCyrLatin) + "-" + std::to_string(rng.between(1, 7));
  }
  if (country == "UA" || country == "RU") {
    constexpr std::array<std::string_view, 6> regions = {"AA", "BC", "BH", "AX", "AO", "KA"};
    return std::string(regions[rng.index(regions.size())]) + digits(rng, 4) + letters(rng, 2, kCyrLatin);
  }
  if (country == "RS") {
    constexpr std::array<std::string_view, 4> regions = {"BG", "NS", "NI", "SU"};
    return std::string(regions[rng.index(regions.size())]) + " " + digits(rng, 3) + "-" + letters(rng, 2);
  }
  if (country == "GB") return letters(rng, 2) + digits(rng, 2) + " " + letters(rng, 3);
  if (country == "PL") {
    constexpr std::array<std::string_view, 5> districts = {"LBI", "WGM", "PO", "GD", "LU"};
    const auto d = districts[rng.index(districts.size())];
    return std::string(d) + " " + digits(rng, d.size() == 2 ? 5 : 4) + letters(rng, 1);
  }
  if (country == "LT") return trailer ? letters(rng, 2) + " " + digits(rng, 3) : letters(rng, 3) + " " + digits(rng, 3);
  if (country == "BG") {
    constexpr std::array<std::string_view, 4> regions = {"CA", "PB", "B", "X"};
    return std::string(regions[rng.index(regions.size())]) + " " + digits(rng, 4) + " " + letters(rng, 2, kCyrLatin);
  }
  if (country == "DE") {
    constexpr std::array<std::string_view, 5> districts = {"HH", "B", "M", "DU", "HB"};
    return std::string(districts[rng.index(districts.size())]) + " " + letters(rng, 2) + " " +
           std::to_string(rng.between(1, 9999));
  }
  if (country == "NL") return letters(rng, 2) + "-" + digits(rng, 3) + "-" + letters(rng, 1);
  if (country == "HU") return letters(rng, 3) + "-" + digits(rng, 3);
  return letters(rng, 2) + " " + digits(rng, 4);
}

std::string plate_one_char_error(std::string_view plate, Rng& rng) {
  // Misreadings an officer or a camera makes: O/0, I/1, B/8, S/5, Z/2, and neighbouring digits.
  static constexpr std::array<std::pair<char, char>, 12> kConfusions = {{
      {'0', '8'}, {'1', '7'}, {'B', '8'}, {'8', 'B'}, {'5', 'S'}, {'S', '5'},
      {'2', 'Z'}, {'Z', '2'}, {'6', 'G'}, {'E', 'F'}, {'M', 'N'}, {'H', 'M'},
  }};
  std::string out(plate);
  std::vector<std::size_t> positions;
  for (std::size_t i = 0; i < out.size(); ++i) {
    const char c = out[i];
    if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) positions.push_back(i);
  }
  if (positions.empty()) return out;
  const std::size_t at = positions[rng.index(positions.size())];
  const char c = out[at];
  for (const auto& [from, to] : kConfusions) {
    if (from == c && rng.chance(0.7)) {
      out[at] = to;
      return out;
    }
  }
  if (c >= '0' && c <= '9') {
    out[at] = static_cast<char>('0' + (c - '0' + 1 + rng.between(0, 7)) % 10);
  } else {
    out[at] = static_cast<char>('A' + (c - 'A' + 1 + rng.between(0, 23)) % 26);
  }
  return out;
}

std::string make_eori(std::string_view country, Rng& rng) {
  const std::string c(country);
  if (country == "NL") return c + digits(rng, 9);
  if (country == "BE") return c + "0" + digits(rng, 9);
  if (country == "PL") return c + digits(rng, 10) + "00000";
  if (country == "FR") return c + digits(rng, 9) + "00012";
  if (country == "IT") return c + digits(rng, 11);
  if (country == "ES") return c + "B" + digits(rng, 8);
  if (country == "LT" || country == "LV" || country == "EE") return c + digits(rng, 9);
  return c + digits(rng, 12);
}

std::string make_tin(std::string_view country, Rng& rng) {
  if (country == "CN") return "91" + digits(rng, 6) + "MA" + letters(rng, 1) + digits(rng, 6) + letters(rng, 1, "0123456789ABCDEFGHJKLMNPQRTUWXY");
  if (country == "RU") return digits(rng, 10);
  if (country == "BY") return digits(rng, 9);
  if (country == "UA") return digits(rng, 8);
  if (country == "TR") return digits(rng, 10);
  if (country == "IN") return digits(rng, 2) + letters(rng, 5) + digits(rng, 4) + letters(rng, 1) + "1Z" + digits(rng, 1);
  if (country == "VN") return "0" + digits(rng, 9);
  if (country == "AE") return "100" + digits(rng, 12);
  if (country == "KR") return digits(rng, 3) + "-" + digits(rng, 2) + "-" + digits(rng, 5);
  if (country == "US") return digits(rng, 2) + "-" + digits(rng, 7);
  if (country == "BR") return digits(rng, 2) + "." + digits(rng, 3) + "." + digits(rng, 3) + "/0001-" + digits(rng, 2);
  if (country == "BD") return digits(rng, 13);
  if (country == "MY") return "C" + digits(rng, 10);
  if (country == "RS") return digits(rng, 9);
  if (country == "GB") return "GB" + digits(rng, 9);
  return std::string(country) + digits(rng, 9);
}

}  // namespace cordon::simulation::detail
