#include "supervision/geometry.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <limits>

namespace cordon::supervision {
namespace {

constexpr double kDegToRad = 3.14159265358979323846 / 180.0;
constexpr double kMetresPerDegree = kEarthRadiusM * kDegToRad;

}  // namespace

double haversine_m(LatLon a, LatLon b) {
  const double lat1 = a.lat * kDegToRad, lat2 = b.lat * kDegToRad;
  const double dlat = lat2 - lat1, dlon = (b.lon - a.lon) * kDegToRad;
  const double s = std::sin(dlat / 2), t = std::sin(dlon / 2);
  const double h = s * s + std::cos(lat1) * std::cos(lat2) * t * t;
  return 2 * kEarthRadiusM * std::asin(std::min(1.0, std::sqrt(h)));
}

bool plausible(LatLon p) {
  if (!std::isfinite(p.lat) || !std::isfinite(p.lon)) return false;
  if (p.lat < -90 || p.lat > 90 || p.lon < -180 || p.lon > 180) return false;
  // Trackers without a fix report exactly (0, 0); nobody supervises cargo in the Gulf of Guinea
  // within a metre of that point.
  return !(std::fabs(p.lat) < 1e-5 && std::fabs(p.lon) < 1e-5);
}

// --- Polygon -------------------------------------------------------------------------------

std::expected<Polygon, std::string> Polygon::make(std::vector<LatLon> vertices) {
  if (vertices.size() < 3) return std::unexpected(fmt::format("polygon: {} vertices, at least 3 needed", vertices.size()));
  for (std::size_t i = 0; i < vertices.size(); ++i) {
    if (!plausible(vertices[i])) {
      return std::unexpected(fmt::format("polygon[{}]: ({}, {}) is not a plausible coordinate", i, vertices[i].lat, vertices[i].lon));
    }
  }
  Polygon poly;
  poly.vertices_ = std::move(vertices);
  poly.origin_lat_ = poly.vertices_[0].lat;
  poly.origin_lon_ = poly.vertices_[0].lon;
  poly.cos_lat_ = std::cos(poly.origin_lat_ * kDegToRad);
  poly.min_lat_ = poly.max_lat_ = poly.origin_lat_;
  poly.min_lon_ = poly.max_lon_ = poly.origin_lon_;
  for (const LatLon& v : poly.vertices_) {
    poly.x_.push_back((v.lon - poly.origin_lon_) * kMetresPerDegree * poly.cos_lat_);
    poly.y_.push_back((v.lat - poly.origin_lat_) * kMetresPerDegree);
    poly.min_lat_ = std::min(poly.min_lat_, v.lat);
    poly.max_lat_ = std::max(poly.max_lat_, v.lat);
    poly.min_lon_ = std::min(poly.min_lon_, v.lon);
    poly.max_lon_ = std::max(poly.max_lon_, v.lon);
  }
  return poly;
}

Polygon Polygon::square(LatLon centre, double half_side_m) {
  const double dlat = half_side_m / kMetresPerDegree;
  const double dlon = half_side_m / (kMetresPerDegree * std::cos(centre.lat * kDegToRad));
  return *make({{centre.lat - dlat, centre.lon - dlon},
                {centre.lat - dlat, centre.lon + dlon},
                {centre.lat + dlat, centre.lon + dlon},
                {centre.lat + dlat, centre.lon - dlon}});
}

bool Polygon::contains(LatLon p) const {
  if (p.lat < min_lat_ || p.lat > max_lat_ || p.lon < min_lon_ || p.lon > max_lon_) return false;
  const double x = (p.lon - origin_lon_) * kMetresPerDegree * cos_lat_;
  const double y = (p.lat - origin_lat_) * kMetresPerDegree;
  bool inside = false;
  const std::size_t n = x_.size();
  for (std::size_t i = 0, j = n - 1; i < n; j = i++) {
    if ((y_[i] > y) != (y_[j] > y)) {
      const double cross_x = x_[j] + (y - y_[j]) * (x_[i] - x_[j]) / (y_[i] - y_[j]);
      if (x < cross_x) inside = !inside;
    }
  }
  return inside;
}

LatLon Polygon::centroid() const {
  LatLon c;
  for (const LatLon& v : vertices_) {
    c.lat += v.lat;
    c.lon += v.lon;
  }
  c.lat /= static_cast<double>(vertices_.size());
  c.lon /= static_cast<double>(vertices_.size());
  return c;
}

// --- Polyline ------------------------------------------------------------------------------

std::expected<Polyline, std::string> Polyline::make(const std::vector<LatLon>& points) {
  if (points.size() < 2) return std::unexpected(fmt::format("route: {} points, at least 2 needed", points.size()));
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (!plausible(points[i])) {
      return std::unexpected(fmt::format("route[{}]: ({}, {}) is not a plausible coordinate", i, points[i].lat, points[i].lon));
    }
  }
  Polyline line;
  line.points_.push_back(points[0]);
  line.cumulative_.push_back(0);
  for (std::size_t i = 1; i < points.size(); ++i) {
    const LatLon a = points[i - 1], b = points[i];
    const double length = haversine_m(a, b);
    if (length < 0.01) continue;  // repeated vertex
    // Long segments are cut so the equirectangular projection around the tested point stays
    // accurate (see the header).
    const int pieces = std::max(1, static_cast<int>(std::ceil(length / kMaxSegmentM)));
    for (int k = 1; k <= pieces; ++k) {
      const double f = static_cast<double>(k) / pieces;
      const LatLon p{a.lat + (b.lat - a.lat) * f, a.lon + (b.lon - a.lon) * f};
      line.cumulative_.push_back(line.cumulative_.back() + haversine_m(line.points_.back(), p));
      line.points_.push_back(p);
    }
  }
  if (line.points_.size() < 2) return std::unexpected(std::string("route: all points are the same"));
  const std::size_t segments = line.points_.size() - 1;
  for (std::size_t first = 0; first < segments; first += kBlock) {
    Box box{90, -90, 180, -180};
    for (std::size_t i = first; i <= std::min(segments, first + kBlock); ++i) {
      box.min_lat = std::min(box.min_lat, line.points_[i].lat);
      box.max_lat = std::max(box.max_lat, line.points_[i].lat);
      box.min_lon = std::min(box.min_lon, line.points_[i].lon);
      box.max_lon = std::max(box.max_lon, line.points_[i].lon);
    }
    line.blocks_.push_back(box);
  }
  return line;
}

double Polyline::segment_distance(std::uint32_t segment, double lat, double lon, double cos_lat, double* along) const {
  const LatLon a = points_[segment], b = points_[segment + 1];
  const double ax = (a.lon - lon) * cos_lat * kMetresPerDegree, ay = (a.lat - lat) * kMetresPerDegree;
  const double bx = (b.lon - lon) * cos_lat * kMetresPerDegree, by = (b.lat - lat) * kMetresPerDegree;
  const double dx = bx - ax, dy = by - ay;
  const double len2 = dx * dx + dy * dy;
  double t = len2 > 0 ? -(ax * dx + ay * dy) / len2 : 0;
  t = std::clamp(t, 0.0, 1.0);
  const double px = ax + t * dx, py = ay + t * dy;
  *along = cumulative_[segment] + t * (cumulative_[segment + 1] - cumulative_[segment]);
  return std::sqrt(px * px + py * py);
}

void Polyline::scan_block(std::size_t block, double lat, double lon, double cos_lat, RouteFix& best) const {
  const std::size_t first = block * kBlock;
  const std::size_t last = std::min(segment_count(), first + kBlock);
  for (std::size_t s = first; s < last; ++s) {
    double along;
    const double d = segment_distance(static_cast<std::uint32_t>(s), lat, lon, cos_lat, &along);
    if (d < best.distance_m) best = {d, static_cast<std::uint32_t>(s), along};
  }
}

RouteFix Polyline::locate(LatLon p) const {
  RouteFix best{std::numeric_limits<double>::infinity(), 0, 0};
  const double cos_lat = std::cos(p.lat * kDegToRad);
  for (std::size_t b = 0; b < blocks_.size(); ++b) {
    const Box& box = blocks_[b];
    // A lower bound of the distance to anything in the box; the smaller cosine of the box's
    // latitudes keeps it a lower bound in longitude.
    const double dlat = std::max({0.0, box.min_lat - p.lat, p.lat - box.max_lat}) * kMetresPerDegree;
    const double max_abs_lat = std::max({std::fabs(box.min_lat), std::fabs(box.max_lat), std::fabs(p.lat)});
    const double dlon = std::max({0.0, box.min_lon - p.lon, p.lon - box.max_lon}) * kMetresPerDegree *
                        std::cos(max_abs_lat * kDegToRad);
    if (std::max(dlat, dlon) * 0.995 > best.distance_m) continue;
    scan_block(b, p.lat, p.lon, cos_lat, best);
  }
  return best;
}

RouteFix Polyline::locate_near(LatLon p, std::uint32_t hint, double good_enough_m) const {
  const double cos_lat = std::cos(p.lat * kDegToRad);
  RouteFix best{std::numeric_limits<double>::infinity(), 0, 0};
  const std::size_t segments = segment_count();
  const std::size_t h = std::min<std::size_t>(hint, segments - 1);
  const std::size_t first = h >= 6 ? h - 6 : 0;
  const std::size_t last = std::min(segments, h + 10);  // vehicles mostly move forward
  for (std::size_t s = first; s < last; ++s) {
    double along;
    const double d = segment_distance(static_cast<std::uint32_t>(s), p.lat, p.lon, cos_lat, &along);
    if (d < best.distance_m) best = {d, static_cast<std::uint32_t>(s), along};
  }
  if (best.distance_m <= good_enough_m) return best;
  return locate(p);
}

LatLon Polyline::point_at(double along_m) const {
  if (along_m <= 0) return points_.front();
  if (along_m >= cumulative_.back()) return points_.back();
  const auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), along_m);
  const std::size_t i = static_cast<std::size_t>(it - cumulative_.begin()) - 1;
  const double span = cumulative_[i + 1] - cumulative_[i];
  const double f = span > 0 ? (along_m - cumulative_[i]) / span : 0;
  return {points_[i].lat + (points_[i + 1].lat - points_[i].lat) * f,
          points_[i].lon + (points_[i + 1].lon - points_[i].lon) * f};
}

}  // namespace cordon::supervision
