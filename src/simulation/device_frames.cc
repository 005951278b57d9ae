#include "simulation/device_frames.h"

#include <algorithm>
#include <cmath>
#include <ctime>

#include <fmt/format.h>

namespace cordon::simulation {
namespace {

std::tm utc(std::int64_t t) {
  const std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  return tm;
}

constexpr double kKmhPerKnot = 1.852;

// Sensor channels a journey's device reports beyond position and battery.
bool has_cargo_sensors(const SimJourney& journey) {
  return journey.tank_truck || journey.temperature_range || journey.humidity_range;
}

}  // namespace

std::string eseal_frame(const EsealFrame& f) {
  const std::tm tm = utc(f.time);
  return fmt::format(
      "##S,eSeal,{},256,3.0.8,{},{},{:04d}-{:02d}-{:02d},{:02d}:{:02d}:{:02d},{},{},{:.6f}{} "
      "{:.6f}{},{:.0f},{:.0f},{},0.0,0,{:.2f},{},E##",
      f.device_id, f.type, f.index, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
      f.interval_s, f.valid ? "A" : "V", std::fabs(f.lat), f.lat < 0 ? 'S' : 'N', std::fabs(f.lon),
      f.lon < 0 ? 'W' : 'E', f.course_deg, f.speed_kmh, f.open ? "Open" : "Close", f.battery_volts, f.rssi);
}

double eseal_battery_volts(double percent) {
  const double p = std::clamp(percent, 0.0, 100.0);
  if (p <= 25) return 3.45 + (p - 15) * 0.015;  // 0 % -> 3.225 V, 15 % -> 3.45 V, 25 % -> 3.60 V
  return 3.60 + (p - 25) * (0.60 / 75);         // 100 % -> 4.20 V
}

std::string EsealEncoder::encode(const SimReport& r, std::int64_t device_time) {
  EsealFrame f;
  f.device_id = device_id_;
  f.index = r.sequence;
  f.time = device_time;
  f.interval_s = interval_s_;
  f.valid = r.valid;
  f.lat = r.lat;
  f.lon = r.lon;
  f.speed_kmh = r.speed_kmh;
  f.battery_volts = eseal_battery_volts(r.battery_percent);
  // The report's type names the event it is sent for; its state field says whether the lock is
  // open now, so it stays "Open" from an opening until the lock is closed again.
  if (r.events & SimReport::kRemoteUnlock) {
    f.type = "Event-RC-Unlock";
    open_ = true;
  } else if (r.events & SimReport::kLockOpened) {
    f.type = "Event-Door";
    open_ = true;
  } else if (r.events & SimReport::kLockClosed) {
    f.type = "Event-Lock";
    open_ = false;
  }
  f.open = open_;
  return eseal_frame(f);
}

std::string osmand_target(const SimReport& r, std::string_view device_id, std::int64_t device_time) {
  return fmt::format("/?id={}&timestamp={}&lat={:.6f}&lon={:.6f}&speed={:.1f}&valid={}&batt={:.0f}", device_id,
                     device_time, r.lat, r.lon, r.speed_kmh / kKmhPerKnot, r.valid ? "true" : "false",
                     r.battery_percent);
}

nlohmann::json cordon_json(const SimReport& r, std::string_view device_id, std::int64_t device_time) {
  nlohmann::json sensors = {{"battery_percent", r.battery_percent}};
  if (!std::isnan(r.fuel_level)) sensors["fuel_level"] = r.fuel_level;
  if (!std::isnan(r.temperature_c)) sensors["temperature_c"] = r.temperature_c;
  if (!std::isnan(r.humidity_percent)) sensors["humidity_percent"] = r.humidity_percent;
  nlohmann::json events = nlohmann::json::array();
  static constexpr std::pair<std::uint16_t, const char*> kEvents[] = {
      {SimReport::kLockOpened, "lock_opened"},     {SimReport::kLockClosed, "lock_closed"},
      {SimReport::kCableCut, "cable_cut"},         {SimReport::kBackCoverOpened, "back_cover_opened"},
      {SimReport::kBodyTampered, "body_tampered"}, {SimReport::kDeviceFault, "device_fault"},
      {SimReport::kRemoteUnlock, "remote_unlock"}};
  for (const auto& [flag, name] : kEvents) {
    if (r.events & flag) events.push_back(name);
  }
  nlohmann::json j = {
      {"device_id", device_id},
      {"sequence", r.sequence},
      {"time", device_time},
      {"position", {{"latitude", r.lat}, {"longitude", r.lon}, {"speed_kmh", r.speed_kmh}, {"valid", r.valid}}},
      {"sensors", std::move(sensors)}};
  if (!events.empty()) j["events"] = std::move(events);
  return j;
}

bool is_replay_protocol(std::string_view protocol) {
  return std::find(std::begin(kReplayProtocols), std::end(kReplayProtocols), protocol) != std::end(kReplayProtocols);
}

bool carries(std::string_view protocol, const SimJourney& journey) {
  if (protocol == "json") return true;
  if (has_cargo_sensors(journey)) return false;
  constexpr std::uint16_t kLockEvents = SimReport::kLockOpened | SimReport::kLockClosed | SimReport::kRemoteUnlock;
  if (protocol == "eseal") return (journey.incident_events & ~kLockEvents) == 0;
  if (protocol == "osmand") return journey.incident_events == 0;
  return false;
}

}  // namespace cordon::simulation
