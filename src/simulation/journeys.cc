#include "simulation/journeys.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <limits>

#include "simulation/random.h"

namespace cordon::simulation {

namespace {

using detail::Rng;
using detail::mix64;

constexpr double kPi = 3.14159265358979323846;
constexpr double kEarthRadiusM = 6371008.8;
constexpr double kMetresPerDegree = kEarthRadiusM * kPi / 180;
constexpr std::int64_t kGpsEpoch = 315964800;  // 1980-01-06: what an unset device clock says
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

double distance_m(GeoPoint a, GeoPoint b) {
  const double la1 = a.lat * kPi / 180, la2 = b.lat * kPi / 180;
  const double s = std::sin((la2 - la1) / 2), t = std::sin((b.lon - a.lon) * kPi / 360);
  return 2 * kEarthRadiusM * std::asin(std::min(1.0, std::sqrt(s * s + std::cos(la1) * std::cos(la2) * t * t)));
}

// Moves p by (east_m, north_m) on a local flat map.
GeoPoint offset(GeoPoint p, double east_m, double north_m) {
  return {p.lat + north_m / kMetresPerDegree, p.lon + east_m / (kMetresPerDegree * std::cos(p.lat * kPi / 180))};
}

std::vector<GeoPoint> square(GeoPoint c, double half) {
  const double dlat = half / kMetresPerDegree;
  const double dlon = half / (kMetresPerDegree * std::cos(c.lat * kPi / 180));
  return {{c.lat - dlat, c.lon - dlon}, {c.lat - dlat, c.lon + dlon}, {c.lat + dlat, c.lon + dlon}, {c.lat + dlat, c.lon - dlon}};
}

GeoPoint point_at(const SimRoute& r, double along) {
  if (along <= 0) return r.points.front();
  if (along >= r.cumulative_m.back()) return r.points.back();
  const auto it = std::upper_bound(r.cumulative_m.begin(), r.cumulative_m.end(), along);
  const std::size_t i = static_cast<std::size_t>(it - r.cumulative_m.begin()) - 1;
  const double span = r.cumulative_m[i + 1] - r.cumulative_m[i];
  const double f = span > 0 ? (along - r.cumulative_m[i]) / span : 0;
  return {r.points[i].lat + (r.points[i + 1].lat - r.points[i].lat) * f,
          r.points[i].lon + (r.points[i + 1].lon - r.points[i].lon) * f};
}

// The point `lateral_m` to the left of the route at `along` (negative: to the right).
GeoPoint beside(const SimRoute& r, double along, double lateral_m) {
  const GeoPoint p = point_at(r, along);
  if (lateral_m == 0) return p;
  const GeoPoint a = point_at(r, along - 50), b = point_at(r, along + 50);
  const double east = (b.lon - a.lon) * kMetresPerDegree * std::cos(p.lat * kPi / 180);
  const double north = (b.lat - a.lat) * kMetresPerDegree;
  const double len = std::hypot(east, north);
  if (len <= 0) return p;
  return offset(p, -north / len * lateral_m, east / len * lateral_m);
}

// --- corridors -------------------------------------------------------------------------------

struct Waypoint {
  const char* name;
  double lat, lon;
  bool border_crossing;
};
struct Corridor {
  const char* id;
  const char* departure;
  const char* destination;
  std::vector<Waypoint> waypoints;
};

const std::vector<Corridor>& corridors() {
  static const std::vector<Corridor> list = {
      {"LT-BY-1", "LTKL3000", "BY06000", {{"Klaipeda", 55.7033, 21.1443, false}, {"Kaunas", 54.8985, 23.9036, false},
        {"Vilnius", 54.6872, 25.2797, false}, {"Medininkai", 54.5390, 25.6500, true}, {"Minsk", 53.9006, 27.5590, false}}},
      {"LV-RU-1", "LVRIX000", "RU10216", {{"Riga", 56.9496, 24.1052, false}, {"Rezekne", 56.5099, 27.3313, false},
        {"Terehova", 56.2436, 28.1322, true}, {"Velikiye Luki", 56.3403, 30.5453, false}, {"Rzhev", 56.2624, 34.3289, false},
        {"Moscow", 55.7558, 37.6173, false}}},
      {"EE-LT-1", "EETLL000", "LTKA0100", {{"Tallinn", 59.4370, 24.7536, false}, {"Parnu", 58.3859, 24.4971, false},
        {"Ikla", 57.8760, 24.3830, true}, {"Riga", 56.9496, 24.1052, false}, {"Siauliai", 55.9349, 23.3137, false},
        {"Kaunas", 54.8985, 23.9036, false}}},
      {"PL-BY-1", "PL141010", "BY06000", {{"Warsaw", 52.2297, 21.0122, false}, {"Siedlce", 52.1676, 22.2902, false},
        {"Terespol", 52.0760, 23.6610, true}, {"Brest", 52.0976, 23.7341, false}, {"Baranovichi", 53.1327, 26.0139, false},
        {"Minsk", 53.9006, 27.5590, false}}},
      {"TR-BG-1", "TR340100", "BG005800", {{"Istanbul", 41.0082, 28.9784, false}, {"Corlu", 41.1592, 27.8000, false},
        {"Edirne", 41.6771, 26.5557, false}, {"Kapikule", 41.7196, 26.3569, true}, {"Plovdiv", 42.1354, 24.7453, false},
        {"Sofia", 42.6977, 23.3219, false}}},
      {"BG-RS-1", "BG005800", "RS011000", {{"Sofia", 42.6977, 23.3219, false}, {"Kalotina", 42.9890, 22.8570, true},
        {"Nis", 43.3209, 21.8958, false}, {"Jagodina", 43.9771, 21.2612, false}, {"Belgrade", 44.7866, 20.4489, false}}},
      {"KZ-KG-1", "KZ551000", "KG417000", {{"Almaty", 43.2220, 76.8512, false}, {"Kaskelen", 43.2000, 76.6200, false},
        {"Korday", 43.0400, 74.7100, true}, {"Bishkek", 42.8746, 74.5698, false}}},
      {"BY-RU-1", "BY06000", "RU10216", {{"Minsk", 53.9006, 27.5590, false}, {"Borisov", 54.2279, 28.5050, false},
        {"Orsha", 54.5153, 30.4053, false}, {"Smolensk", 54.7826, 32.0453, false}, {"Vyazma", 55.2104, 34.2950, false},
        {"Moscow", 55.7558, 37.6173, false}}},
      {"LT-PL-1", "LTKA0100", "PL141010", {{"Kaunas", 54.8985, 23.9036, false}, {"Marijampole", 54.5598, 23.3541, false},
        {"Budzisko", 54.2320, 23.1360, true}, {"Suwalki", 54.1118, 22.9309, false}, {"Bialystok", 53.1325, 23.1688, false},
        {"Warsaw", 52.2297, 21.0122, false}}},
      {"KZ-KZ-1", "KZ510000", "KZ551000", {{"Astana", 51.1694, 71.4491, false}, {"Karaganda", 49.8047, 73.1094, false},
        {"Balkhash", 46.8481, 74.9950, false}, {"Almaty", 43.2220, 76.8512, false}}},
  };
  return list;
}

SimRoute build_route(const Corridor& c, Rng& rng) {
  SimRoute r;
  r.id = c.id;
  for (const Waypoint& w : c.waypoints) r.name += (r.name.empty() ? "" : " - ") + std::string(w.name);
  r.departure_office = c.departure;
  r.destination_office = c.destination;
  // Roads bend: each leg between towns gets intermediate points pushed sideways by a few
  // percent of the leg, twice over.
  std::vector<double> waypoint_along;
  r.points.push_back({c.waypoints[0].lat, c.waypoints[0].lon});
  for (std::size_t i = 1; i < c.waypoints.size(); ++i) {
    const GeoPoint a{c.waypoints[i - 1].lat, c.waypoints[i - 1].lon}, b{c.waypoints[i].lat, c.waypoints[i].lon};
    const int pieces = 8;
    for (int k = 1; k <= pieces; ++k) {
      const double f = static_cast<double>(k) / pieces;
      GeoPoint p{a.lat + (b.lat - a.lat) * f, a.lon + (b.lon - a.lon) * f};
      if (k < pieces) {
        const double leg = distance_m(a, b);
        p = offset(p, rng.normal(0, leg * 0.012), rng.normal(0, leg * 0.012));
      }
      r.points.push_back(p);
    }
  }
  r.cumulative_m.push_back(0);
  for (std::size_t i = 1; i < r.points.size(); ++i) r.cumulative_m.push_back(r.cumulative_m.back() + distance_m(r.points[i - 1], r.points[i]));
  const double length = r.cumulative_m.back();
  r.corridor_half_width_m = 1000;
  // Along-positions of the border crossings: the route point nearest each.
  auto along_of = [&](GeoPoint w) {
    double best = 1e18, along = 0;
    for (std::size_t i = 0; i < r.points.size(); ++i) {
      const double d = distance_m(r.points[i], w);
      if (d < best) {
        best = d;
        along = r.cumulative_m[i];
      }
    }
    return along;
  };
  auto add_zone = [&](std::string id, std::string kind, double along, double half, std::int64_t max_stay) {
    SimZone z;
    z.id = std::move(id);
    z.kind = std::move(kind);
    z.along_m = along;
    z.half_side_m = half;
    z.max_stay_s = max_stay;
    z.polygon = square(point_at(r, along), half);
    r.stop_zones.push_back(std::move(z));
  };
  add_zone(c.departure, "customs_office", 0, 400, 4 * 3600);
  for (const Waypoint& w : c.waypoints) {
    if (w.border_crossing) add_zone(fmt::format("BCP-{}", w.name), "border_crossing", along_of({w.lat, w.lon}), 1500, 8 * 3600);
  }
  double since_parking = 0;
  for (double along = rng.uniform(50e3, 90e3); along < length - 40e3; along += rng.uniform(100e3, 150e3)) {
    bool clear = true;
    for (const SimZone& z : r.stop_zones) clear = clear && std::fabs(z.along_m - along) > 25e3;
    if (!clear) continue;
    const bool parking = along - since_parking > 380e3;
    if (parking) since_parking = along;
    add_zone(fmt::format("{}-{}-KM{}", parking ? "PARK" : "REST", c.id, static_cast<int>(along / 1000)),
             parking ? "parking" : "rest_area", along, parking ? 300 : 250, parking ? 12 * 3600 : 2 * 3600);
  }
  std::sort(r.stop_zones.begin(), r.stop_zones.end(), [](const SimZone& a, const SimZone& b) { return a.along_m < b.along_m; });
  r.unsealing_zone.id = c.destination;
  r.unsealing_zone.kind = "unsealing";
  r.unsealing_zone.along_m = length;
  r.unsealing_zone.half_side_m = 500;
  r.unsealing_zone.polygon = square(r.points.back(), 500);
  return r;
}

// Stateless draws for telemetry: a hash of (seed, journey, report, purpose).
struct Draw {
  std::uint64_t seed;
  std::uint32_t journey;
  std::uint32_t report;
  std::uint64_t bits(std::uint32_t purpose) const {
    return mix64(seed ^ mix64((static_cast<std::uint64_t>(journey) << 32 | report) ^ (static_cast<std::uint64_t>(purpose) << 56)));
  }
  double uniform(std::uint32_t purpose) const { return static_cast<double>(bits(purpose) >> 11) * 0x1.0p-53; }
  double uniform(std::uint32_t purpose, double lo, double hi) const { return lo + (hi - lo) * uniform(purpose); }
  // Irwin-Hall: close enough to a normal for sensor noise, and cheap.
  double normal(std::uint32_t purpose, double sd) const {
    return (uniform(purpose) + uniform(purpose + 100) + uniform(purpose + 200) + uniform(purpose + 300) - 2.0) * 1.7320508 * sd;
  }
};

}  // namespace

struct JourneyWorld::Script {
  enum LegKind : std::uint8_t { kDrive, kStay, kDetour };
  struct Leg {
    std::int64_t t0, t1;
    double a, b;        // along-route metres at t0 and t1
    float lateral;      // stays: metres beside the road; detours: the farthest excursion
    float speed_kmh;
    LegKind kind;
  };
  struct Gap {
    std::int64_t t0, t1;
    bool flush;
  };
  struct Drift {
    std::int64_t t0, t1;
    float north_m;
  };
  struct Event {
    std::int64_t t;
    std::uint16_t flags;
  };
  std::vector<Leg> legs;
  std::vector<Gap> gaps;
  std::vector<Drift> drifts;
  std::vector<Event> events;
  std::int64_t first_report = 0;
  std::uint32_t report_count = 0;
  float battery0 = 90, battery_rate = 0.5;  // %/h
  bool has_fuel = false, has_temperature = false, has_humidity = false;
  float fuel0 = 0, theft_amount = 0;
  std::int64_t theft_t0 = 0, theft_t1 = 0;
  float temperature_base = 0, temperature_value = 0;
  std::int64_t temperature_t0 = 0, temperature_t1 = 0;
  float humidity_base = 0, humidity_value = 0;
  std::int64_t humidity_t0 = 0, humidity_t1 = 0;
};

JourneyWorld::JourneyWorld() = default;
JourneyWorld::~JourneyWorld() = default;
JourneyWorld::JourneyWorld(JourneyWorld&&) noexcept = default;
JourneyWorld& JourneyWorld::operator=(JourneyWorld&&) noexcept = default;

std::int64_t JourneyWorld::end_time() const {
  std::int64_t end = options.start_time;
  for (const SimJourney& j : journeys) end = std::max(end, j.unseal_at);
  return end + 3600;  // late deliveries and flushed backlogs
}

namespace {

const char* const kIncidentTypes[] = {"route_deviation", "illegal_stay", "overtime_stay", "illegal_opening",
                                      "journey_timeout", "loss_of_communication", "low_battery", "device_fault",
                                      "tampering", "fuel_drop", "temperature", "humidity"};

// A planned stop or detour at a point of the route, before the legs are timed.
struct Stop {
  double along;
  std::int64_t duration;
  float lateral;
  int zone;            // index into stop_zones, or -1
  double detour_end;   // > along for a detour
  float detour_offset;
  int tag;             // 0 plain; 1 opening; 2 fuel theft; 3 illegal stay; 4 overtime; 5 deviation
};

}  // namespace

JourneyWorld generate_journey_world(const JourneyWorldOptions& options) {
  JourneyWorld world;
  world.options = options;
  Rng route_rng = Rng::stream(options.seed, "journeys/routes");
  for (const Corridor& c : corridors()) world.routes.push_back(build_route(c, route_rng));
  Rng rng = Rng::stream(options.seed, "journeys/journeys");
  const int interval = std::max(1, options.report_interval_s);
  static const char* const kGoods[] = {"machinery parts, HS 8483", "tyres, HS 4011", "furniture, HS 9403",
                                       "electronics, HS 8471", "textiles, HS 6204", "cigarettes, HS 2402",
                                       "spirits, HS 2208", "auto parts, HS 8708"};
  for (int ji = 0; ji < options.journeys; ++ji) {
    const auto j = static_cast<std::uint32_t>(ji);
    SimJourney journey;
    JourneyWorld::Script script;
    journey.route = static_cast<std::uint32_t>(rng.index(world.routes.size()));
    const SimRoute& route = world.routes[journey.route];
    const double length = route.cumulative_m.back();
    journey.mrn = fmt::format("26{}{:012d}A{}", route.departure_office.substr(0, 2), ji + 1, ji % 10);
    journey.device_id = fmt::format("86{:013d}", static_cast<long long>(mix64(options.seed ^ j) % 10000000000000ULL));
    journey.vehicle = fmt::format("{}{:03d}{}", static_cast<char>('A' + ji % 26), ji % 1000, static_cast<char>('K' + ji % 13));
    journey.report_interval_s = interval;
    journey.sealed_at = options.start_time + static_cast<std::int64_t>(rng.uniform() * static_cast<double>(options.departure_window_s));

    std::string incident;
    if (rng.chance(options.incident_share)) incident = kIncidentTypes[rng.index(12)];
    const double cargo = rng.uniform();
    if (incident == "temperature" || (incident.empty() && cargo < 0.15)) {
      journey.temperature_range = rng.chance(0.5) ? std::pair{2.0, 8.0} : std::pair{-22.0, -16.0};
      journey.goods = "chilled or frozen food, HS 0202";
    } else if (incident == "fuel_drop" || (incident.empty() && cargo < 0.25)) {
      journey.tank_truck = true;
      journey.goods = "diesel fuel, HS 2710";
    } else if (incident == "humidity" || (incident.empty() && cargo < 0.32)) {
      journey.humidity_range = std::pair{30.0, 70.0};
      journey.goods = "pharmaceuticals, HS 3004";
    } else {
      journey.goods = kGoods[rng.index(std::size(kGoods))];
    }
    journey.container = ji % 3 == 0 ? "" : fmt::format("MSKU{:07d}", ji);
    const double speed = rng.uniform(68, 82);  // km/h average while driving

    // Where on the road is a free spot, far from zones and other stops?
    std::vector<Stop> stops;
    auto free_along = [&](double margin) -> double {
      for (int attempt = 0; attempt < 200; ++attempt) {
        const double along = rng.uniform(30e3, length - 40e3);
        bool ok = true;
        for (const SimZone& z : route.stop_zones) ok = ok && std::fabs(z.along_m - along) > margin;
        for (const Stop& s : stops) ok = ok && std::fabs(s.along - along) > margin && std::fabs(s.detour_end - along) > margin;
        if (ok) return along;
      }
      return -1;
    };

    // Stops in authorised zones: every border crossing, a break after ~3.5 h of driving at
    // the next rest area, and on long routes an overnight rest at secure parking.
    double last_break = 0, last_night = 0;
    for (std::size_t zi = 0; zi < route.stop_zones.size(); ++zi) {
      const SimZone& z = route.stop_zones[zi];
      if (z.along_m <= 0) continue;
      const float lateral = static_cast<float>(rng.uniform(-0.3, 0.3) * z.half_side_m);
      if (z.kind == "border_crossing") {
        stops.push_back({z.along_m, static_cast<std::int64_t>(rng.uniform(1800, 4 * 3600)), lateral, static_cast<int>(zi), 0, 0, 0});
        last_break = z.along_m;
      } else if (z.kind == "parking" && (z.along_m - last_night) / 1000 / speed > 7 && length - z.along_m > 150e3) {
        stops.push_back({z.along_m, static_cast<std::int64_t>(rng.uniform(9 * 3600, 11 * 3600)), lateral, static_cast<int>(zi), 0, 0, 0});
        last_break = last_night = z.along_m;
      } else if ((z.along_m - last_break) / 1000 / speed > 3.3) {
        stops.push_back({z.along_m, static_cast<std::int64_t>(rng.uniform(1800, 3600)), lateral, static_cast<int>(zi), 0, 0, 0});
        last_break = z.along_m;
      }
    }
    // A stop at a rest area for incidents that happen there; made if none was planned.
    auto rest_stop = [&]() -> Stop* {
      std::vector<std::size_t> candidates;
      for (std::size_t i = 0; i < stops.size(); ++i) {
        if (stops[i].zone >= 0 && route.stop_zones[static_cast<std::size_t>(stops[i].zone)].kind == "rest_area") candidates.push_back(i);
      }
      if (candidates.empty()) {
        for (std::size_t zi = 0; zi < route.stop_zones.size(); ++zi) {
          if (route.stop_zones[zi].kind == "rest_area") {
            stops.push_back({route.stop_zones[zi].along_m, 2400, 0, static_cast<int>(zi), 0, 0, 0});
            return &stops.back();
          }
        }
        return nullptr;
      }
      return &stops[candidates[rng.index(candidates.size())]];
    };
    if (incident == "illegal_stay") {
      const double along = free_along(10e3);
      if (along > 0) stops.push_back({along, static_cast<std::int64_t>(rng.uniform(30 * 60, 120 * 60)), 15, -1, 0, 0, 3});
      else incident.clear();
    } else if (incident == "route_deviation") {
      const double along = free_along(15e3);
      if (along > 0) {
        stops.push_back({along, 0, 0, -1, along + rng.uniform(8e3, 15e3), static_cast<float>(rng.uniform(3000, 8000)), 5});
      } else {
        incident.clear();
      }
    } else if (incident == "overtime_stay") {
      if (Stop* s = rest_stop()) {
        s->duration = route.stop_zones[static_cast<std::size_t>(s->zone)].max_stay_s + static_cast<std::int64_t>(rng.uniform(1800, 5400));
        s->tag = 4;
      } else {
        incident.clear();
      }
    } else if (incident == "illegal_opening") {
      if (Stop* s = rest_stop()) s->tag = 1; else incident.clear();
    } else if (incident == "fuel_drop") {
      if (Stop* s = rest_stop()) {
        s->duration = std::max<std::int64_t>(s->duration, 3600);
        s->tag = 2;
      } else {
        incident.clear();
      }
    }
    if (options.noise) {
      const int short_stops = rng.chance(0.5) ? 1 + static_cast<int>(rng.index(2)) : 0;
      for (int k = 0; k < short_stops; ++k) {
        const double along = free_along(5e3);
        if (along > 0) stops.push_back({along, static_cast<std::int64_t>(rng.uniform(180, 720)), 10, -1, 0, 0, 0});
      }
    }
    std::sort(stops.begin(), stops.end(), [](const Stop& a, const Stop& b) { return a.along < b.along; });

    // Time the legs.
    auto add_incident = [&](const std::string& type, std::int64_t start, std::string note) {
      world.incidents.push_back({j, type, start, std::move(note)});
    };
    std::int64_t t = journey.sealed_at;
    const std::int64_t wait_departure = static_cast<std::int64_t>(rng.uniform(600, 2400));
    script.legs.push_back({t, t + wait_departure, 0, 0, static_cast<float>(rng.uniform(-100, 100)), 0, JourneyWorld::Script::kStay});
    t += wait_departure;
    double along = 0;
    auto drive_to = [&](double to, double kmh) {
      if (to <= along) return;
      const auto dt = static_cast<std::int64_t>((to - along) / (kmh / 3.6));
      script.legs.push_back({t, t + dt, along, to, 0, static_cast<float>(kmh), JourneyWorld::Script::kDrive});
      t += dt;
      along = to;
    };
    for (const Stop& s : stops) {
      drive_to(s.along, speed);
      if (s.detour_end > s.along) {
        const double kmh = 50;
        const auto dt = static_cast<std::int64_t>((s.detour_end - s.along) / (kmh / 3.6) * 1.3);
        script.legs.push_back({t, t + dt, s.along, s.detour_end, s.detour_offset, static_cast<float>(kmh), JourneyWorld::Script::kDetour});
        // Outside the corridor once the excursion passes its half-width (the ramp is 20% of the leg).
        const double frac = 0.2 * route.corridor_half_width_m / s.detour_offset;
        add_incident("route_deviation", t + static_cast<std::int64_t>(frac * static_cast<double>(dt)),
                     fmt::format("{:.1f} km detour at km {:.0f}", s.detour_offset / 1000, s.along / 1000));
        t += dt;
        along = s.detour_end;
        continue;
      }
      script.legs.push_back({t, t + s.duration, s.along, s.along, s.lateral, 0, JourneyWorld::Script::kStay});
      if (s.tag == 3) add_incident("illegal_stay", t, fmt::format("{} min on the road at km {:.0f}", s.duration / 60, s.along / 1000));
      if (s.tag == 4) {
        const SimZone& z = route.stop_zones[static_cast<std::size_t>(s.zone)];
        add_incident("overtime_stay", t, fmt::format("{} min in {} (allowed {})", s.duration / 60, z.id, z.max_stay_s / 60));
      }
      if (s.tag == 1) {
        const std::int64_t at = t + static_cast<std::int64_t>(rng.uniform(300, 900));
        const bool cut = rng.chance(0.4);
        script.events.push_back({at, static_cast<std::uint16_t>(cut ? SimReport::kCableCut : SimReport::kLockOpened)});
        if (!cut) script.events.push_back({at + static_cast<std::int64_t>(rng.uniform(600, 1200)), SimReport::kLockClosed});
        add_incident("illegal_opening", at, cut ? "cable cut at a rest area" : "lock opened at a rest area");
      }
      if (s.tag == 2) {
        script.theft_t0 = t + static_cast<std::int64_t>(rng.uniform(600, 1200));
        script.theft_t1 = script.theft_t0 + static_cast<std::int64_t>(rng.uniform(600, 1200));
        script.theft_amount = static_cast<float>(rng.uniform(10, 30));
        add_incident("fuel_drop", script.theft_t0, fmt::format("{:.0f} drained at a rest area", script.theft_amount));
      }
      t += s.duration;
    }
    drive_to(length, speed);
    const std::int64_t arrival = t;
    const std::int64_t wait = static_cast<std::int64_t>(rng.uniform(1200, 5400));
    journey.authorise_unseal_at = arrival + wait;
    const std::int64_t unlock = journey.authorise_unseal_at + static_cast<std::int64_t>(rng.uniform(60, 180));
    journey.unseal_at = unlock + static_cast<std::int64_t>(rng.uniform(120, 600));
    script.legs.push_back({arrival, journey.unseal_at + 3600, length, length, static_cast<float>(rng.uniform(-200, 200)), 0,
                           JourneyWorld::Script::kStay});
    script.events.push_back({unlock, static_cast<std::uint16_t>(SimReport::kRemoteUnlock | SimReport::kLockOpened)});
    const std::int64_t duration = journey.unseal_at - journey.sealed_at;
    journey.time_limit_s = (duration * 3 / 2 / 3600 + 6) * 3600;

    // Incidents in time rather than place.
    auto moment = [&](double lo, double hi) { return journey.sealed_at + static_cast<std::int64_t>(rng.uniform(lo, hi) * static_cast<double>(duration)); };
    if (incident == "journey_timeout") {
      journey.time_limit_s = std::max<std::int64_t>(3600, duration * 4 / 5 / 60 * 60);
      add_incident("journey_timeout", journey.sealed_at + journey.time_limit_s, "late at destination");
    } else if (incident == "loss_of_communication") {
      const std::int64_t length_s = static_cast<std::int64_t>(rng.uniform(4.5 * 3600, 8 * 3600));
      if (duration > length_s + 3 * 3600) {
        const std::int64_t start = journey.sealed_at + 3600 +
                                   static_cast<std::int64_t>(rng.uniform() * static_cast<double>(duration - length_s - 2 * 3600));
        script.gaps.push_back({start, start + length_s, rng.chance(0.5)});
        add_incident("loss_of_communication", start, fmt::format("silent for {:.1f} h", static_cast<double>(length_s) / 3600));
      } else {
        incident.clear();
      }
    } else if (incident == "low_battery") {
      const std::int64_t crossing = moment(0.3, 0.7);
      script.battery_rate = static_cast<float>(rng.uniform(2, 4));
      script.battery0 = static_cast<float>(15 + script.battery_rate * static_cast<double>(crossing - journey.sealed_at) / 3600);
      if (script.battery0 > 100) {
        script.battery0 = 100;
        script.battery_rate = static_cast<float>(85.0 / (static_cast<double>(crossing - journey.sealed_at) / 3600));
      }
      add_incident("low_battery", crossing, "battery drained");
    } else if (incident == "device_fault" || incident == "tampering") {
      const std::int64_t at = moment(0.2, 0.8);
      const bool body = rng.chance(0.5);
      const std::uint16_t flag = incident == "device_fault" ? SimReport::kDeviceFault
                                 : body ? SimReport::kBodyTampered : SimReport::kBackCoverOpened;
      script.events.push_back({at, flag});
      add_incident(incident, at, incident == "device_fault" ? "lock motor fault" : body ? "body destroyed" : "back cover opened");
    } else if (incident == "temperature") {
      script.temperature_t0 = moment(0.2, 0.8);
      script.temperature_t1 = script.temperature_t0 + static_cast<std::int64_t>(rng.uniform(1800, 5400));
      script.temperature_value = static_cast<float>(journey.temperature_range->second + rng.uniform(3, 6));
      add_incident("temperature", script.temperature_t0, "reefer unit failure");
    } else if (incident == "humidity") {
      script.humidity_t0 = moment(0.2, 0.8);
      script.humidity_t1 = script.humidity_t0 + static_cast<std::int64_t>(rng.uniform(1800, 3600));
      script.humidity_value = static_cast<float>(rng.uniform(78, 90));
      add_incident("humidity", script.humidity_t0, "water ingress");
    }
    if (incident.empty() || incident != "low_battery") {
      script.battery0 = static_cast<float>(rng.uniform(70, 100));
      script.battery_rate = static_cast<float>(rng.uniform(0.3, 1.0));
    }
    script.has_fuel = journey.tank_truck;
    script.fuel0 = static_cast<float>(rng.uniform(60, 95));
    script.has_temperature = journey.temperature_range.has_value();
    if (script.has_temperature) script.temperature_base = static_cast<float>((journey.temperature_range->first + journey.temperature_range->second) / 2);
    script.has_humidity = journey.humidity_range.has_value();
    script.humidity_base = static_cast<float>(rng.uniform(45, 55));

    if (options.noise) {
      if (rng.chance(0.3)) {  // a coverage gap; the device sends its backlog afterwards
        const std::int64_t start = moment(0.1, 0.9);
        const auto len = static_cast<std::int64_t>(rng.uniform(600, 5400));
        bool overlaps = false;
        for (const auto& g : script.gaps) overlaps = overlaps || (start < g.t1 + 3600 && start + len + 3600 > g.t0);
        if (!overlaps && start + len < journey.unseal_at - 600) script.gaps.push_back({start, start + len, true});
      }
      if (rng.chance(0.4)) {
        const int drifts = 1 + static_cast<int>(rng.index(2));
        for (int k = 0; k < drifts; ++k) {
          const std::int64_t start = moment(0.05, 0.95);
          bool near = false;  // drift episodes are brief and rare: never back to back
          for (const auto& d : script.drifts) near = near || std::llabs(d.t0 - start) < 3600;
          if (near) continue;
          script.drifts.push_back({start, start + static_cast<std::int64_t>(rng.uniform(40, 100)),
                                   static_cast<float>((rng.chance(0.5) ? 1 : -1) * rng.uniform(1200, 2000))});
        }
      }
      journey.clock_unset = incident != "loss_of_communication" && rng.chance(0.02);
    }
    std::sort(script.gaps.begin(), script.gaps.end(), [](const auto& a, const auto& b) { return a.t0 < b.t0; });
    std::sort(script.events.begin(), script.events.end(), [](const auto& a, const auto& b) { return a.t < b.t; });
    script.first_report = journey.sealed_at + 1 + static_cast<std::int64_t>(rng.index(static_cast<std::size_t>(interval)));
    script.report_count = static_cast<std::uint32_t>((journey.unseal_at - script.first_report) / interval + 1);
    for (const auto& e : script.events) {
      if (e.t == unlock && e.flags == (SimReport::kRemoteUnlock | SimReport::kLockOpened)) continue;
      journey.incident_events |= e.flags;
    }
    world.journeys.push_back(std::move(journey));
    world.scripts.push_back(std::move(script));
  }
  std::stable_sort(world.incidents.begin(), world.incidents.end(),
                   [](const SimIncident& a, const SimIncident& b) { return a.journey != b.journey ? a.journey < b.journey : a.start < b.start; });
  return world;
}

// --- telemetry -------------------------------------------------------------------------------

namespace {

enum Purpose : std::uint32_t {
  kDelay = 1, kGpsNorth, kGpsEast, kBadFix, kBadFixNorth, kBadFixEast, kInvalid, kDuplicate, kDuplicateDelay,
  kLate, kLateDelay, kBattery, kFuel, kFuelSpike, kTemperature, kTemperatureSpike, kHumidity, kHumiditySpike, kSpeed,
};

// The report a journey's device makes at report number k, and whether it goes out at all.
bool make_report(const JourneyWorld& world, std::uint32_t j, std::uint32_t k, SimReport& out, bool& duplicate) {
  const SimJourney& journey = world.journeys[j];
  const JourneyWorld::Script& s = world.scripts[j];
  const SimRoute& route = world.routes[journey.route];
  const bool noise = world.options.noise;
  const Draw draw{world.options.seed, j, k};
  const std::int64_t t = s.first_report + static_cast<std::int64_t>(k) * journey.report_interval_s;
  out = SimReport{};
  out.journey = j;
  out.sequence = k;
  out.device_time = journey.clock_unset ? kGpsEpoch + (t - journey.sealed_at) : t;
  out.receive_time = t + static_cast<std::int64_t>(draw.uniform(kDelay) * 3);
  for (const auto& g : s.gaps) {
    if (t >= g.t0 && t < g.t1) {
      if (!g.flush) return false;
      out.receive_time = g.t1;  // the backlog goes out first on reconnection
    }
  }
  // Where the truck is.
  const auto leg = std::upper_bound(s.legs.begin(), s.legs.end(), t, [](std::int64_t v, const auto& l) { return v < l.t0; });
  const auto& l = *(leg == s.legs.begin() ? leg : leg - 1);
  GeoPoint p;
  if (l.kind == JourneyWorld::Script::kStay) {
    p = beside(route, l.a, l.lateral);
    out.speed_kmh = 0;
  } else {
    const double f = l.t1 > l.t0 ? std::clamp(static_cast<double>(t - l.t0) / static_cast<double>(l.t1 - l.t0), 0.0, 1.0) : 1;
    const double along = l.a + (l.b - l.a) * f;
    double lateral = 60 * std::sin(along / 3000 * 2 * kPi);  // the road wanders around the planned line
    if (l.kind == JourneyWorld::Script::kDetour) {
      const double ramp = f < 0.2 ? f / 0.2 : f > 0.8 ? (1 - f) / 0.2 : 1;
      lateral += l.lateral * ramp;
    }
    p = beside(route, along, lateral);
    out.speed_kmh = static_cast<float>(std::max(0.0, l.speed_kmh + draw.normal(kSpeed, 6)));
  }
  p = offset(p, draw.normal(kGpsEast, 4), draw.normal(kGpsNorth, 4));
  if (noise) {
    for (const auto& d : s.drifts) {
      if (t >= d.t0 && t < d.t1) p = offset(p, 0, d.north_m);
    }
    if (draw.uniform(kBadFix) < 0.002) {
      p = offset(p, draw.uniform(kBadFixEast, -50e3, 50e3), draw.uniform(kBadFixNorth, -50e3, 50e3));
    }
  }
  out.lat = p.lat;
  out.lon = p.lon;
  if (noise && draw.uniform(kInvalid) < 0.003) {
    out.valid = false;
    out.lat = out.lon = 0;
  }
  // Sensors.
  const double hours = static_cast<double>(t - journey.sealed_at) / 3600;
  out.battery_percent = static_cast<float>(std::clamp(s.battery0 - s.battery_rate * hours + draw.normal(kBattery, 0.3), 1.0, 100.0));
  const bool moving = l.kind != JourneyWorld::Script::kStay;
  if (s.has_fuel) {
    double level = s.fuel0;
    if (s.theft_t1 > s.theft_t0 && t > s.theft_t0) {
      level -= s.theft_amount * std::min(1.0, static_cast<double>(t - s.theft_t0) / static_cast<double>(s.theft_t1 - s.theft_t0));
    }
    level += moving ? draw.uniform(kFuel, -2.5, 2.5) : draw.uniform(kFuel, -0.6, 0.6);
    if (noise && draw.uniform(kFuelSpike) < 0.003) level -= 20;
    out.fuel_level = static_cast<float>(level);
  } else {
    out.fuel_level = kNaN;
  }
  if (s.has_temperature) {
    double v = (t >= s.temperature_t0 && t < s.temperature_t1) ? s.temperature_value : s.temperature_base;
    v += draw.normal(kTemperature, 0.25);
    if (noise && draw.uniform(kTemperatureSpike) < 0.002) v += 7;
    out.temperature_c = static_cast<float>(v);
  } else {
    out.temperature_c = kNaN;
  }
  if (s.has_humidity) {
    double v = (t >= s.humidity_t0 && t < s.humidity_t1) ? s.humidity_value : s.humidity_base;
    v += draw.normal(kHumidity, 1.5);
    if (noise && draw.uniform(kHumiditySpike) < 0.002) v += 30;
    out.humidity_percent = static_cast<float>(v);
  } else {
    out.humidity_percent = kNaN;
  }
  // Events since the previous report.
  const std::int64_t previous = t - journey.report_interval_s;
  for (const auto& e : s.events) {
    if (e.t > previous && e.t <= t) out.events |= e.flags;
  }
  if (noise && draw.uniform(kLate) < 0.003) out.receive_time += static_cast<std::int64_t>(draw.uniform(kLateDelay, 60, 600));
  duplicate = noise && draw.uniform(kDuplicate) < 0.005;
  return true;
}

}  // namespace

TelemetryStream::TelemetryStream(const JourneyWorld& world) : world_(world), cursors_(world.journeys.size()) {
  now_ = world.options.start_time;
  order_.resize(world.journeys.size());
  for (std::uint32_t j = 0; j < order_.size(); ++j) order_[j] = j;
  std::stable_sort(order_.begin(), order_.end(), [&](std::uint32_t a, std::uint32_t b) {
    return world.scripts[a].first_report < world.scripts[b].first_report;
  });
}

bool TelemetryStream::next(std::int64_t until, std::vector<SimReport>& out) {
  while (started_ < order_.size() && world_.scripts[order_[started_]].first_report < until) active_.push_back(order_[started_++]);
  const std::size_t first = out.size();
  auto hold = [&](const SimReport& r) {
    std::size_t slot;
    if (free_slots_.empty()) {
      slot = held_.size();
      held_.push_back(r);
    } else {
      slot = free_slots_.back();
      free_slots_.pop_back();
      held_[slot] = r;
    }
    pending_.push({r.receive_time, r.journey, r.sequence, slot});
  };
  std::size_t kept = 0;
  for (std::size_t i = 0; i < active_.size(); ++i) {
    const std::uint32_t j = active_[i];
    const JourneyWorld::Script& s = world_.scripts[j];
    Cursor& c = cursors_[j];
    const int interval = world_.journeys[j].report_interval_s;
    while (c.next_report < s.report_count && s.first_report + static_cast<std::int64_t>(c.next_report) * interval < until) {
      SimReport r;
      bool duplicate = false;
      if (make_report(world_, j, c.next_report, r, duplicate)) {
        if (r.receive_time < until) out.push_back(r); else hold(r);
        if (duplicate) {
          SimReport copy = r;
          copy.receive_time += static_cast<std::int64_t>(Draw{world_.options.seed, j, c.next_report}.uniform(kDuplicateDelay, 2, 30));
          if (copy.receive_time < until) out.push_back(copy); else hold(copy);
        }
      }
      ++c.next_report;
    }
    if (c.next_report < s.report_count) active_[kept++] = j;
  }
  active_.resize(kept);
  while (!pending_.empty() && pending_.top().receive_time < until) {
    const Later later = pending_.top();
    pending_.pop();
    out.push_back(held_[later.slot]);
    free_slots_.push_back(later.slot);
  }
  std::sort(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(), [](const SimReport& a, const SimReport& b) {
    if (a.receive_time != b.receive_time) return a.receive_time < b.receive_time;
    if (a.journey != b.journey) return a.journey < b.journey;
    return a.sequence < b.sequence;
  });
  now_ = until;
  return started_ < order_.size() || !active_.empty() || !pending_.empty();
}

}  // namespace cordon::simulation
