// Builders shared by the supervision engine tests: a straight test route and device messages.
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include "supervision/engine.h"

namespace cordon::supervision::testing {

inline constexpr double kLat = 54.0;
inline constexpr double kLon0 = 25.0;
inline constexpr std::int64_t kT0 = 1767600000;  // 2026-01-05T08:00:00Z

// A point `km` east of the route start and `north_m` north of the route line.
inline LatLon at_km(double km, double north_m = 0) {
  const double m_per_deg_lon = kEarthRadiusM * 3.14159265358979323846 / 180 * std::cos(kLat * 3.14159265358979323846 / 180);
  const double m_per_deg_lat = kEarthRadiusM * 3.14159265358979323846 / 180;
  return {kLat + north_m / m_per_deg_lat, kLon0 + km * 1000 / m_per_deg_lon};
}

// 130 km due east; departure office at km 0 (3 h), rest area at km 50 (2 h), unsealing zone at km 130.
inline std::shared_ptr<const Route> test_route() {
  RouteSpec spec;
  spec.id = "TEST-ROUTE";
  spec.points = {at_km(0), at_km(65), at_km(130)};
  spec.corridor_half_width_m = 1000;
  spec.stop_zones.push_back({"DEP-OFFICE", ZoneKind::kCustomsOffice, Polygon::square(at_km(0), 300), 3 * 3600});
  spec.stop_zones.push_back({"REST-50", ZoneKind::kRestArea, Polygon::square(at_km(50), 300), 2 * 3600});
  spec.unsealing_zone = {"DEST-OFFICE", ZoneKind::kUnsealing, Polygon::square(at_km(130), 500), 0};
  return *Route::make(std::move(spec));
}

inline protocols::DeviceMessage message(const std::string& device, std::int64_t t, LatLon p, bool valid = true) {
  protocols::DeviceMessage m;
  m.device_id = device;
  m.kind = protocols::MessageKind::kPosition;
  protocols::Record r;
  r.time = t;
  protocols::Position pos;
  pos.latitude = p.lat;
  pos.longitude = p.lon;
  pos.valid = valid;
  r.position = pos;
  m.records.push_back(std::move(r));
  return m;
}

// An engine with one registered active device "D1" at station "VILNIUS" on an open journey.
struct Fixture {
  SupervisionEngine engine;
  JourneyId journey = 0;

  explicit Fixture(CargoConditions cargo = {}, std::int64_t time_limit_s = 24 * 3600, EngineOptions options = {})
      : engine(options) {
    Device d;
    d.id = "D1";
    d.home_station = "VILNIUS";
    (void)engine.register_device(d, kT0 - 3600);
    JourneyPlan plan;
    plan.declaration.mrn = "26LT000000000001A1";
    plan.declaration.office_of_departure = "LTVI0100";
    plan.declaration.office_of_destination = "BY000001";
    plan.declaration.vehicle = "ABC123";
    plan.declaration.device_ids = {"D1"};
    plan.route = test_route();
    plan.time_limit_s = time_limit_s;
    plan.cargo = cargo;
    journey = *engine.open_journey(std::move(plan), "officer", kT0 - 600);
    (void)engine.seal(journey, "officer", kT0);
  }

  IngestResult send(std::int64_t t, LatLon p) { return engine.ingest(message("D1", t, p), t + 1); }
  IngestResult send(const protocols::DeviceMessage& m, std::int64_t receive) { return engine.ingest(m, receive); }

  // Drive from km a to km b at speed_kmh, one report every `every` seconds, starting at t; returns the end time.
  std::int64_t drive(std::int64_t t, double a, double b, double speed_kmh = 80, int every = 30, double north_m = 0) {
    const double km_per_s = speed_kmh / 3600;
    const double dir = b >= a ? 1 : -1;
    for (double km = a;; km += dir * km_per_s * every) {
      if ((dir > 0 && km > b) || (dir < 0 && km < b)) km = b;
      send(t, at_km(km, north_m));
      if (km == b) break;
      t += every;
    }
    return t;
  }
  std::int64_t stay(std::int64_t t, LatLon p, std::int64_t seconds, int every = 30) {
    for (std::int64_t s = 0; s <= seconds; s += every) send(t + s, p);
    return t + seconds;
  }

  std::vector<const Alarm*> alarms(std::optional<AlarmType> type = std::nullopt) const {
    std::vector<const Alarm*> out;
    for (AlarmId id : engine.journey(journey)->alarms) {
      const Alarm* a = engine.alarm(id);
      if (!type || a->type == *type) out.push_back(a);
    }
    return out;
  }
};

}  // namespace cordon::supervision::testing
