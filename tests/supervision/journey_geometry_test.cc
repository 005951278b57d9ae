#include <gtest/gtest.h>

#include <random>

#include "engine_test_util.h"
#include "supervision/geometry.h"

namespace cordon::supervision {
namespace {

using testing::at_km;

TEST(JourneyGeometry, HaversineKnownDistances) {
  // London - Paris on the mean sphere: 343.6 km (the WGS 84 geodesic is 343.9 km).
  EXPECT_NEAR(haversine_m({51.5074, -0.1278}, {48.8566, 2.3522}), 343.6e3, 1e3);
  // One degree of latitude is ~111.2 km on the sphere.
  EXPECT_NEAR(haversine_m({54, 25}, {55, 25}), 111.195e3, 10);
  EXPECT_DOUBLE_EQ(haversine_m({54, 25}, {54, 25}), 0);
}

TEST(JourneyGeometry, Plausibility) {
  EXPECT_TRUE(plausible({54.6, 25.3}));
  EXPECT_FALSE(plausible({0, 0}));
  EXPECT_FALSE(plausible({91, 0}));
  EXPECT_FALSE(plausible({10, 181}));
  EXPECT_FALSE(plausible({std::nan(""), 1}));
}

TEST(JourneyGeometry, PolygonContains) {
  const Polygon square = Polygon::square({54.0, 25.0}, 300);
  EXPECT_TRUE(square.contains({54.0, 25.0}));
  EXPECT_TRUE(square.contains(at_km(0.25, 250)));
  EXPECT_FALSE(square.contains(at_km(0.35, 0)));
  EXPECT_FALSE(square.contains(at_km(0, -350)));
  // A concave L-shape: the notch is outside.
  auto l = Polygon::make({{54.0, 25.0}, {54.0, 25.02}, {54.01, 25.02}, {54.01, 25.01}, {54.02, 25.01}, {54.02, 25.0}});
  ASSERT_TRUE(l);
  EXPECT_TRUE(l->contains({54.005, 25.015}));
  EXPECT_TRUE(l->contains({54.015, 25.005}));
  EXPECT_FALSE(l->contains({54.015, 25.015}));
  EXPECT_FALSE(Polygon::make({{54, 25}, {54, 26}}));
  auto bad = Polygon::make({{54, 25}, {54, 26}, {0, 0}});
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().find("polygon[2]"), std::string::npos);
}

TEST(JourneyGeometry, DistanceToPolylineMatchesHaversineToFoot) {
  auto line = Polyline::make({at_km(0), at_km(130)});
  ASSERT_TRUE(line);
  EXPECT_GE(line->segment_count(), 26u);  // cut into <= 5 km pieces
  EXPECT_NEAR(line->length_m(), 130e3, 130);
  for (double north : {0.0, 100.0, 1000.0, -2500.0, 20000.0}) {
    const RouteFix f = line->locate(at_km(40, north));
    EXPECT_NEAR(f.distance_m, std::fabs(north), std::max(1.0, std::fabs(north) * 0.005)) << north;
    EXPECT_NEAR(f.along_m, 40e3, 60);
  }
  // Beyond the end: the distance to the end point.
  const RouteFix end = line->locate(at_km(135));
  EXPECT_NEAR(end.distance_m, 5000, 10);
  EXPECT_NEAR(line->point_at(65e3).lon, at_km(65).lon, 1e-6);
}

TEST(JourneyGeometry, LocateNearAgreesWithFullSearch) {
  // A zig-zag route across Lithuania and Belarus.
  std::vector<LatLon> points;
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> jitter(-0.05, 0.05);
  for (int i = 0; i <= 60; ++i) points.push_back({54.0 + jitter(rng) + (i % 2) * 0.08, 24.0 + i * 0.06});
  auto line = Polyline::make(points);
  ASSERT_TRUE(line);
  std::uniform_real_distribution<double> lat(53.8, 54.3), lon(23.9, 27.7);
  std::uint32_t hint = 0;
  for (int i = 0; i < 2000; ++i) {
    const LatLon p{lat(rng), lon(rng)};
    const RouteFix full = line->locate(p);
    // Brute force over segments with dense sampling is too slow; compare against the vertices
    // as an upper bound and against locate_near's promise instead.
    double vertex_min = 1e18;
    for (const LatLon& v : line->points()) vertex_min = std::min(vertex_min, haversine_m(p, v));
    // The projection is exact to ~0.1% of the distance (see geometry.h).
    EXPECT_LE(full.distance_m, vertex_min * 1.001 + 1);
    const RouteFix near = line->locate_near(p, hint, 1000);
    if (near.distance_m > 1000) EXPECT_NEAR(near.distance_m, full.distance_m, 1e-6);
    EXPECT_GE(near.distance_m, full.distance_m - 1e-6);
    hint = near.segment;
  }
}

TEST(JourneyGeometry, RouteValidation) {
  RouteSpec spec;
  spec.points = {at_km(0)};
  auto r = Route::make(spec);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("points"), std::string::npos);
  spec.points = {at_km(0), at_km(10)};
  spec.corridor_half_width_m = -5;
  EXPECT_FALSE(Route::make(spec));
  spec.corridor_half_width_m = 500;
  spec.unsealing_zone = {"U", ZoneKind::kUnsealing, Polygon::square(at_km(10), 200), 0};
  spec.stop_zones = {{"A", ZoneKind::kRestArea, Polygon::square(at_km(5), 200), 600},
                     {"A", ZoneKind::kRestArea, Polygon::square(at_km(6), 200), 600}};
  r = Route::make(spec);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("stop_zones[1].id"), std::string::npos);
  spec.stop_zones.pop_back();
  r = Route::make(spec);
  ASSERT_TRUE(r);
  EXPECT_EQ((*r)->zone_at(at_km(5)), 0);
  EXPECT_EQ((*r)->zone_at(at_km(10)), (*r)->unsealing_zone());
  EXPECT_EQ((*r)->zone_at(at_km(7)), -1);
}

}  // namespace
}  // namespace cordon::supervision
