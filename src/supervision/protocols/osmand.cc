// OsmAnd HTTP protocol: every parameter in the query string (or a form body).
#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "core/time.h"
#include "supervision/protocols/framing.h"
#include "supervision/protocols/protocols.h"
#include "supervision/protocols/wire.h"

namespace cordon::supervision::protocols {
namespace {

constexpr double kKnot = 1.852;

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string url_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out.push_back(' ');
    } else if (s[i] == '%' && i + 2 < s.size() + 0 && hex_digit(s[i + 1]) >= 0 && hex_digit(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_digit(s[i + 1]) << 4 | hex_digit(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

void parse_params(std::string_view query, std::vector<std::pair<std::string, std::string>>& out) {
  std::size_t start = 0;
  while (start <= query.size()) {
    std::size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    std::string_view pair = query.substr(start, end - start);
    if (!pair.empty()) {
      std::size_t eq = pair.find('=');
      std::string key = url_decode(pair.substr(0, eq));
      std::string value = eq == std::string_view::npos ? std::string() : url_decode(pair.substr(eq + 1));
      out.emplace_back(std::move(key), std::move(value));
    }
    start = end + 1;
  }
}

// The query string of a request line, a target, or a bare query.
std::string_view query_of(std::string_view request) {
  if (request.starts_with("GET ") || request.starts_with("POST ")) {
    request.remove_prefix(request.find(' ') + 1);
    std::size_t space = request.find(' ');
    if (space != std::string_view::npos) request = request.substr(0, space);
  }
  std::size_t q = request.find('?');
  if (q != std::string_view::npos) return request.substr(q + 1);
  if (request.find('=') != std::string_view::npos) return request;
  return {};
}

std::optional<double> number(std::string_view s) {
  double v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<std::int64_t> integer(std::string_view s) {
  std::int64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<std::int64_t> parse_time(std::string_view s) {
  if (auto v = integer(s)) {
    // Seconds below 2^31, milliseconds above (the apps send both).
    return *v < (std::int64_t{1} << 31) ? *v : *v / 1000;
  }
  if (auto v = number(s)) return static_cast<std::int64_t>(*v < 2147483648.0 ? *v : *v / 1000);
  if (auto t = cordon::parse_timestamp(s)) return t;
  // "yyyy-MM-dd HH:mm:ss" (UTC), or ISO 8601 without a zone, which the apps mean as UTC.
  if (s.size() >= 19 && (s[10] == ' ' || s[10] == 'T')) {
    auto y = integer(s.substr(0, 4)), mo = integer(s.substr(5, 2)), d = integer(s.substr(8, 2));
    auto h = integer(s.substr(11, 2)), mi = integer(s.substr(14, 2)), sec = integer(s.substr(17, 2));
    if (y && mo && d && h && mi && sec && s[4] == '-' && s[7] == '-' && s[13] == ':' && s[16] == ':') {
      return utc_seconds(static_cast<int>(*y), static_cast<int>(*mo), static_cast<int>(*d), static_cast<int>(*h),
                         static_cast<int>(*mi), static_cast<int>(*sec));
    }
  }
  return std::nullopt;
}

IoValue typed(const std::string& value) {
  if (value == "true") return true;
  if (value == "false") return false;
  if (auto v = integer(value)) return *v;
  if (auto v = number(value)) return *v;
  return value;
}

FrameError error(std::string rule, std::string message, std::string_view request) {
  return detail::frame_error(std::move(rule), std::move(message),
                             ByteView(reinterpret_cast<const std::uint8_t*>(request.data()), request.size()));
}

}  // namespace

std::expected<Decoded, FrameError> decode_osmand(std::string_view request, std::string_view body) {
  std::vector<std::pair<std::string, std::string>> params;
  parse_params(query_of(request), params);
  parse_params(body, params);

  Decoded d;
  d.message.protocol = Protocol::kOsmand;
  d.message.kind = MessageKind::kPosition;
  d.message.type = "position";
  Record rec;
  Position p;
  p.valid = true;
  std::optional<double> lat, lon;
  auto bad = [&](const std::string& key, std::string_view rule) {
    return std::unexpected(error(std::string(rule), fmt::format("{}: the value is not valid", key), request));
  };
  for (const auto& [key, value] : params) {
    if (key == "id" || key == "deviceid") {
      d.message.device_id = value;
    } else if (key == "lat") {
      lat = number(value);
      if (!lat || std::fabs(*lat) > 90) return bad(key, "bad_latitude");
    } else if (key == "lon") {
      lon = number(value);
      if (!lon || std::fabs(*lon) > 180) return bad(key, "bad_longitude");
    } else if (key == "location") {
      std::size_t comma = value.find(',');
      if (comma == std::string::npos) return bad(key, "bad_location");
      lat = number(std::string_view(value).substr(0, comma));
      lon = number(std::string_view(value).substr(comma + 1));
      if (!lat || !lon || std::fabs(*lat) > 90 || std::fabs(*lon) > 180) return bad(key, "bad_location");
    } else if (key == "timestamp") {
      rec.time = parse_time(value);
      if (!rec.time) return bad(key, "bad_timestamp");
    } else if (key == "speed") {
      if (auto v = number(value)) p.speed_kmh = *v * kKnot; else return bad(key, "bad_number");
    } else if (key == "bearing" || key == "heading") {
      if (auto v = number(value)) p.course_deg = *v; else return bad(key, "bad_number");
    } else if (key == "altitude") {
      if (auto v = number(value)) p.altitude_m = *v; else return bad(key, "bad_number");
    } else if (key == "hdop") {
      if (auto v = number(value)) p.hdop = *v; else return bad(key, "bad_number");
    } else if (key == "sat" || key == "satellites") {
      if (auto v = integer(value)) p.satellites = static_cast<int>(*v); else return bad(key, "bad_number");
    } else if (key == "valid") {
      p.valid = value == "true" || value == "1";
    } else if (key == "batt" || key == "battery") {
      if (auto v = number(value)) rec.sensors.battery_percent = *v; else return bad(key, "bad_number");
    } else if (key == "charge") {
      rec.sensors.charging = value == "true" || value == "1";
    } else {
      // Unknown parameters are kept as attributes, typed where they look typed.
      if (key == "ignition") rec.sensors.ignition = value == "true" || value == "1";
      rec.io[key] = typed(value);
    }
  }
  if (d.message.device_id.empty()) return std::unexpected(error("missing_field", "id: the device id is required", request));
  if (!lat || !lon) return std::unexpected(error("missing_field", "lat, lon: a position is required", request));
  if (!rec.time) d.message.warnings.push_back("no timestamp: the server's arrival time applies");
  p.latitude = *lat;
  p.longitude = *lon;
  rec.position = p;
  d.message.records.push_back(std::move(rec));
  return d;
}

}  // namespace cordon::supervision::protocols
