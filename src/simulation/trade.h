// The trade the world is made of: products (HS 2022 subheadings with their value and mass
// ranges), trade lanes (origin, mode, places, entry offices, transit times), currencies.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/declaration.h"

namespace cordon::simulation::detail {

struct Product {
  std::string_view hs;           // an HS 2022 subheading, 6 digits
  std::string_view descriptions;  // '|'-separated ways shippers describe it
  double eur_per_kg_min, eur_per_kg_max;  // customs value per kg net
  double item_kg_min, item_kg_max;         // gross mass of one goods item, by sea or road
  std::string_view package;                // UN/ECE Rec. 21 code
  double kg_per_package;
  std::string_view origins;  // countries that export it, space-separated
};

std::span<const Product> products();
const Product* find_product(std::string_view hs);
std::vector<std::string_view> split(std::string_view text, char separator);

// A place where goods enter the EU: a port, airport or border crossing with its office.
struct EntryPoint {
  std::string_view locode;  // place of unloading
  std::string_view office;  // customs office of first entry
  std::string_view country;
};

struct Lane {
  std::string_view id;  // "far-east-sea"
  TransportMode mode;
  std::string_view origins;  // space-separated countries of the consignors
  std::string_view loading;  // space-separated UN/LOCODEs, each starting with its country
  std::span<const EntryPoint> entries;
  int transit_days_min, transit_days_max;  // loading to arrival
  std::string_view via;       // space-separated usual transit countries (one may be added)
  std::string_view via_fixed;  // always passed, in order (the land bridge of the China rail)
};

std::span<const Lane> lanes();
// Lanes serving a consignor country, with their share of that country's declarations.
struct LaneShare {
  const Lane* lane;
  double weight;
};
std::vector<LaneShare> lanes_from(std::string_view country);
// Loading places of a lane in one origin country.
std::vector<std::string_view> loading_places(const Lane& lane, std::string_view country);

// Countries a routing through which should surprise an analyst on any of these lanes.
std::span<const std::string_view> risk_transit_countries();

// Euros per unit of a currency (fixed, indicative rates for the simulated period).
double eur_rate(std::string_view currency);
// The invoice currencies a consignor country uses, with weights.
struct CurrencyShare {
  std::string_view currency;
  double weight;
};
std::vector<CurrencyShare> invoice_currencies(std::string_view country);

bool is_eu(std::string_view country);

}  // namespace cordon::simulation::detail
