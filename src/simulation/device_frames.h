// What simulated devices put on the wire: a SimReport (journeys.h) encoded in the protocols that
// deployed e-seals and trackers speak, as Cordon's decoders (supervision/protocols) expect them.
// Used by `cordon simulate replay` and by bench/supervision_network; pure text, no sockets.
//
// What each protocol can say (SimReport fields and event flags; the rest is lost on the wire):
//   eseal   position, validity, speed, battery (as a voltage, see eseal_battery_volts), the lock
//           opened (Event-Door, Open), closed (Event-Lock) or remotely unlocked (Event-RC-Unlock);
//           every report carries the lock state, so an encoder is stateful per device.
//   osmand  position, validity, speed (sent in knots), battery percent; no lock events.
//   json    Cordon's JSON: everything, including the cut cable, tampering, faults, fuel,
//           temperature and humidity.
// carries() tells whether a protocol can carry a simulated journey without losing anything the
// alarm detectors need; the final, authorised remote unlock at destination is not needed (its
// loss changes no alarm), so a tracker speaking OsmAnd can carry a plain journey.
//
// Thread-safety: free functions are pure; an EsealEncoder belongs to one device.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "simulation/journeys.h"

namespace cordon::simulation {

// One eSeal report, field by field ("##S,eSeal,<id>,256,3.0.8,<type>,<index>,<date>,<time>,
// <interval>,<A|V>,<lat>N <lon>E,<course>,<speed>,<Open|Close>,0.0,0,<battery V>,<rssi>,E##").
struct EsealFrame {
  std::string device_id;        // decimal digits
  std::string type = "Normal";  // Normal, Event-Door, Event-Lock, Event-RC-Unlock, ...
  std::uint32_t index = 0;
  std::int64_t time = 0;  // UTC seconds
  int interval_s = 30;
  bool valid = true;
  double lat = 0;
  double lon = 0;
  double course_deg = 0;
  double speed_kmh = 0;
  bool open = false;
  double battery_volts = 3.9;
  int rssi = 25;
};
std::string eseal_frame(const EsealFrame& frame);

// The eSeal reports a voltage; the engine judges a voltage against low_battery_voltage (3.45 V,
// cleared at 3.60 V) as it judges a percentage against 15 % (cleared at 25 %). The simulated
// battery percentage is mapped so that both thresholds fall at the same charge: 15 % -> 3.45 V,
// 25 % -> 3.60 V, linear below, flattening to 4.20 V at 100 % as a Li-ion cell does.
double eseal_battery_volts(double percent);

// Encodes reports of one device, keeping the lock state its reports carry.
class EsealEncoder {
 public:
  explicit EsealEncoder(std::string device_id, int interval_s)
      : device_id_(std::move(device_id)), interval_s_(interval_s) {}
  // `device_time` replaces report.device_time (a replay shifts the world's clock).
  std::string encode(const SimReport& report, std::int64_t device_time);

 private:
  std::string device_id_;
  int interval_s_;
  bool open_ = false;
};

// OsmAnd request target: "/?id=...&timestamp=...&lat=...&lon=...&speed=<knots>&valid=...&batt=...".
std::string osmand_target(const SimReport& report, std::string_view device_id, std::int64_t device_time);

// Cordon's JSON telemetry message (docs/protocols.md), with every sensor and event.
nlohmann::json cordon_json(const SimReport& report, std::string_view device_id, std::int64_t device_time);

// "eseal", "osmand", "json".
inline constexpr std::string_view kReplayProtocols[] = {"eseal", "osmand", "json"};
bool is_replay_protocol(std::string_view protocol);
// Whether `protocol` carries everything the journey's alarm detectors need (see above).
bool carries(std::string_view protocol, const SimJourney& journey);

}  // namespace cordon::simulation
