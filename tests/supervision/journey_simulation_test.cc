// The journey simulation (src/simulation/journeys.h): determinism and planted incidents.
#include "simulation/journeys.h"

#include <gtest/gtest.h>

#include <set>

#include "supervision/geometry.h"

namespace cordon::simulation {
namespace {

std::vector<SimReport> all_reports(const JourneyWorld& world, std::int64_t window) {
  TelemetryStream stream(world);
  std::vector<SimReport> out;
  for (std::int64_t now = world.options.start_time; stream.next(now + window, out); now += window) {
  }
  return out;
}

bool same(const SimReport& a, const SimReport& b) {
  return a.receive_time == b.receive_time && a.device_time == b.device_time && a.journey == b.journey &&
         a.sequence == b.sequence && a.lat == b.lat && a.lon == b.lon && a.events == b.events &&
         a.battery_percent == b.battery_percent;
}

TEST(JourneySimulation, DeterministicWhateverTheWindow) {
  JourneyWorldOptions options;
  options.journeys = 60;
  const auto a = generate_journey_world(options);
  const auto b = generate_journey_world(options);
  ASSERT_EQ(a.incidents.size(), b.incidents.size());
  for (std::size_t i = 0; i < a.incidents.size(); ++i) {
    EXPECT_EQ(a.incidents[i].type, b.incidents[i].type);
    EXPECT_EQ(a.incidents[i].start, b.incidents[i].start);
  }
  const auto ra = all_reports(a, 60), rb = all_reports(b, 7);
  ASSERT_EQ(ra.size(), rb.size());
  for (std::size_t i = 0; i < ra.size(); ++i) ASSERT_TRUE(same(ra[i], rb[i])) << i;
  // In receive-time order.
  for (std::size_t i = 1; i < ra.size(); ++i) ASSERT_LE(ra[i - 1].receive_time, ra[i].receive_time);
  options.seed = 43;
  const auto c = generate_journey_world(options);
  EXPECT_NE(c.journeys[0].sealed_at, a.journeys[0].sealed_at);
}

TEST(JourneySimulation, PlausibleJourneysAndGroundTruth) {
  JourneyWorldOptions options;
  options.journeys = 400;
  const auto world = generate_journey_world(options);
  std::set<std::string> types;
  for (const auto& inc : world.incidents) {
    types.insert(inc.type);
    const SimJourney& j = world.journeys[inc.journey];
    EXPECT_GE(inc.start, j.sealed_at);
    EXPECT_LE(inc.start, j.unseal_at);
  }
  EXPECT_EQ(types.size(), 12u);  // every alarm type is planted
  for (const SimRoute& r : world.routes) {
    EXPECT_GT(r.cumulative_m.back(), 150e3) << r.name;
    EXPECT_LT(r.cumulative_m.back(), 2500e3) << r.name;
    EXPECT_EQ(r.stop_zones.front().kind, "customs_office");
  }
  for (const SimJourney& j : world.journeys) {
    const double hours = static_cast<double>(j.unseal_at - j.sealed_at) / 3600;
    EXPECT_GT(hours, 2) << j.mrn;
    EXPECT_LT(hours, 80) << j.mrn;
  }
  // A report sits near its route (or is planted noise).
  const auto reports = all_reports(world, 600);
  std::size_t far = 0;
  for (const SimReport& r : reports) {
    if (!r.valid) continue;
    const SimRoute& route = world.routes[world.journeys[r.journey].route];
    double best = 1e18;
    for (std::size_t i = 0; i < route.points.size(); i += 1) {
      best = std::min(best, supervision::haversine_m({r.lat, r.lon}, {route.points[i].lat, route.points[i].lon}));
    }
    if (best > 30e3) ++far;
  }
  EXPECT_LT(static_cast<double>(far), 0.01 * static_cast<double>(reports.size()));
}

}  // namespace
}  // namespace cordon::simulation
