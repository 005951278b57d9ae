// Identifiers of the objects in the world, each valid under its standard: ISO 6346 container
// numbers, ISO 3779 VINs, IMO numbers, registration plates in each country's layout, EORI and
// national tax numbers.
#pragma once

#include <string>
#include <string_view>

#include "simulation/random.h"

namespace cordon::simulation::detail {

// owner: three letters; the category letter U is added.
std::string make_container_number(std::string_view owner, Rng& rng);
std::string container_with_serial(std::string_view owner, int serial);  // serial 0..999999

enum class VehicleKind { kTractor, kTrailer, kCar };
std::string make_vin(VehicleKind kind, std::string_view registration_country, Rng& rng);
std::string make_vin_with_wmi(std::string_view wmi, Rng& rng);

std::string make_imo(Rng& rng);
int imo_check_digit(std::string_view first_six);

std::string make_plate(std::string_view country, VehicleKind kind, Rng& rng);
// The same plate with one character replaced by a look-alike or a neighbour on the keyboard,
// as a typing or reading error would leave it. Keeps the plate's layout valid.
std::string plate_one_char_error(std::string_view plate, Rng& rng);

std::string make_eori(std::string_view country, Rng& rng);
std::string make_tin(std::string_view country, Rng& rng);

}  // namespace cordon::simulation::detail
