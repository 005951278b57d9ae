// Geometry on the Earth's surface at the scale of a road journey: distance from a point to a
// planned route (a polyline), and whether a point lies in a zone (a polygon).
//
// Accuracy: distances between nearby points use the haversine formula on a sphere of radius
// 6,371,008.8 m (the mean Earth radius), which is within 0.5% of the WGS 84 ellipsoid
// everywhere. Distances to a segment use an equirectangular projection centred on the point
// being tested; segments are cut to at most kMaxSegmentM when a Route is built, so the extra
// error of the projection stays below 0.1% of the distance (a few metres for a 1 km corridor).
// Zone polygons are projected once around their first vertex; they are meant to be small
// (customs yards, rest areas, border crossings: under ~20 km across), where the projection is
// exact to well under a metre. None of this is meant for polar latitudes (|lat| > 80°) or for
// polygons crossing the antimeridian.
//
// Thread-safety: values; const methods may be called concurrently.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <vector>

namespace cordon::supervision {

inline constexpr double kEarthRadiusM = 6371008.8;

struct LatLon {
  double lat = 0;  // WGS 84 degrees
  double lon = 0;
  friend bool operator==(const LatLon&, const LatLon&) = default;
};

// Great-circle distance in metres.
double haversine_m(LatLon a, LatLon b);

// False for NaN, out-of-range coordinates and the (0, 0) that unfixed trackers send.
bool plausible(LatLon p);

// A closed polygon (the last vertex joins the first; do not repeat the first vertex).
class Polygon {
 public:
  // REQUIRES nothing: refuses fewer than 3 vertices or implausible coordinates, naming the vertex.
  static std::expected<Polygon, std::string> make(std::vector<LatLon> vertices);
  // A square of side 2*half_side_m centred on `centre`: handy for tests and simulations.
  static Polygon square(LatLon centre, double half_side_m);

  // Points on the boundary may count either way.
  bool contains(LatLon p) const;
  const std::vector<LatLon>& vertices() const { return vertices_; }
  LatLon centroid() const;

 private:
  std::vector<LatLon> vertices_;
  std::vector<double> x_, y_;  // metres, projected around vertices_[0]
  double origin_lat_ = 0, origin_lon_ = 0, cos_lat_ = 1;
  double min_lat_ = 0, max_lat_ = 0, min_lon_ = 0, max_lon_ = 0;  // bounding box for a quick no
};

// Where a point is relative to a polyline.
struct RouteFix {
  double distance_m = 0;   // shortest distance from the point to the polyline
  std::uint32_t segment = 0;  // the segment holding the nearest point
  double along_m = 0;      // distance along the polyline to the nearest point
};

// A planned route: a polyline cut into segments of at most kMaxSegmentM, with cumulative
// lengths and per-block bounding boxes so that a nearest-segment search is a short local walk
// in the usual case (the vehicle is near where it was) and a pruned scan otherwise.
class Polyline {
 public:
  static constexpr double kMaxSegmentM = 5000;

  // Refuses fewer than 2 points or implausible coordinates, naming the point.
  static std::expected<Polyline, std::string> make(const std::vector<LatLon>& points);

  // The nearest point of the whole polyline.
  RouteFix locate(LatLon p) const;
  // The same answer, faster when `hint` (a segment returned earlier) is near the answer:
  // looks at the segments around the hint first and falls back to a full pruned search only
  // when the local best is farther than `good_enough_m`.
  RouteFix locate_near(LatLon p, std::uint32_t hint, double good_enough_m) const;

  double length_m() const { return cumulative_.empty() ? 0 : cumulative_.back(); }
  const std::vector<LatLon>& points() const { return points_; }
  // The point `along_m` metres from the start (clamped to the ends).
  LatLon point_at(double along_m) const;
  std::size_t segment_count() const { return points_.size() - 1; }

 private:
  double segment_distance(std::uint32_t segment, double lat, double lon, double cos_lat, double* along) const;
  void scan_block(std::size_t block, double lat, double lon, double cos_lat, RouteFix& best) const;

  std::vector<LatLon> points_;
  std::vector<double> cumulative_;  // metres from the start to each point
  struct Box { double min_lat, max_lat, min_lon, max_lon; };
  std::vector<Box> blocks_;  // one per kBlock segments
  static constexpr std::size_t kBlock = 16;
};

}  // namespace cordon::supervision
