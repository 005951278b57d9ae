// Simulated supervised journeys: e-sealed trucks on real road corridors (Baltic, EAEU,
// Turkey-EU, Central Asia), the telemetry their devices send, the officers' actions, and the
// ground truth of every planted incident, so that the supervision engine's alarm accuracy and
// throughput can be measured rather than guessed.
//
// Described with plain structs: cordon_simulation does not depend on the supervision engine
// (tests and benches convert). Alarm types are named as the engine names them
// ("route_deviation", "illegal_stay", "overtime_stay", "illegal_opening", "journey_timeout",
// "loss_of_communication", "low_battery", "device_fault", "tampering", "fuel_drop",
// "temperature", "humidity").
//
// What a journey does: sealed at the office of departure, waits there, drives the planned
// route at a truck's speed with the road's small departures from the planned line, takes
// breaks at rest areas (every ~4 h of driving), an overnight rest at a secure parking on long
// routes, queues at border crossings, and at destination waits in the unsealing zone until an
// officer unseals it remotely. At most one incident is planted per journey; innocuous noise is
// planted everywhere: single wild GPS fixes, invalid fixes, 1-2 min drift of 1-2 km, short
// stops on the road, short signal gaps (the device sends its backlog afterwards), sensor
// spikes, duplicated and late deliveries, and devices whose clock is unset.
//
// Deterministic: the same options give the same world and the same telemetry, whatever window
// sizes the stream is read with. Every random draw of a report is a hash of (seed, journey,
// report number, purpose), so a stream needs a few dozen bytes per journey, not a generator.
//
// Thread-safety: generate_journey_world is pure; a TelemetryStream is not thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <queue>
#include <string>
#include <utility>
#include <vector>

namespace cordon::simulation {

struct GeoPoint {
  double lat = 0;
  double lon = 0;
};

struct SimZone {
  std::string id;
  std::string kind;               // "customs_office", "rest_area", "parking", "border_crossing", "unsealing"
  std::vector<GeoPoint> polygon;  // a square around the road
  double along_m = 0;             // where it lies along the route
  double half_side_m = 0;
  std::int64_t max_stay_s = 0;    // 0: no limit
};

struct SimRoute {
  std::string id;                 // "LT-BY-1"
  std::string name;               // "Klaipeda - Vilnius - Minsk"
  std::string departure_office;   // station where devices are issued
  std::string destination_office; // station where they are recovered
  std::vector<GeoPoint> points;   // the planned road
  std::vector<double> cumulative_m;
  double corridor_half_width_m = 1000;
  std::vector<SimZone> stop_zones;  // sorted by along_m; the departure office first
  SimZone unsealing_zone;
};

struct SimJourney {
  std::string mrn;
  std::uint32_t route = 0;
  std::string device_id;
  std::string vehicle;
  std::string container;
  std::string goods;
  bool tank_truck = false;
  std::optional<std::pair<double, double>> temperature_range;  // declared, °C
  std::optional<std::pair<double, double>> humidity_range;     // declared, %
  std::int64_t sealed_at = 0;
  std::int64_t authorise_unseal_at = 0;  // the officer sends the remote unseal
  std::int64_t unseal_at = 0;            // supervision ends
  std::int64_t time_limit_s = 0;
  int report_interval_s = 30;
  bool clock_unset = false;              // the device reports 1980-01-06 as its time
  std::uint16_t incident_events = 0;     // SimReport::Flag bits its device reports, besides the
                                         // final authorised remote unlock at destination
};

// A planted incident: the engine should raise `type` on `journey` with a start near `start`.
struct SimIncident {
  std::uint32_t journey = 0;
  std::string type;
  std::int64_t start = 0;
  std::string note;
};

// One message from a device. NaN for a sensor the device does not report.
struct SimReport {
  enum Flag : std::uint16_t {
    kLockOpened = 1 << 0,
    kLockClosed = 1 << 1,
    kCableCut = 1 << 2,
    kBackCoverOpened = 1 << 3,
    kBodyTampered = 1 << 4,
    kDeviceFault = 1 << 5,
    kRemoteUnlock = 1 << 6,
  };
  std::int64_t receive_time = 0;
  std::int64_t device_time = 0;
  std::uint32_t journey = 0;
  std::uint32_t sequence = 0;   // the device's message counter
  double lat = 0;
  double lon = 0;
  float speed_kmh = 0;
  bool valid = true;
  float battery_percent = 0;
  float fuel_level = 0;
  float temperature_c = 0;
  float humidity_percent = 0;
  std::uint16_t events = 0;
};

struct JourneyWorldOptions {
  std::uint64_t seed = 42;
  int journeys = 2000;
  int report_interval_s = 30;
  std::int64_t start_time = 1767600000;       // 2026-01-05T08:00:00Z
  std::int64_t departure_window_s = 86400;    // journeys are sealed uniformly in this window
  double incident_share = 0.6;                // journeys carrying one planted incident
  bool noise = true;                          // innocuous noise (see above)
};

struct JourneyWorld {
  JourneyWorldOptions options;
  std::vector<SimRoute> routes;
  std::vector<SimJourney> journeys;
  std::vector<SimIncident> incidents;  // sorted by (journey, start)

  // The time after which no journey sends anything.
  std::int64_t end_time() const;

  // Internal: the scripted movement and sensor plan of each journey (journeys.cc).
  struct Script;
  std::vector<Script> scripts;
  JourneyWorld();
  ~JourneyWorld();
  JourneyWorld(JourneyWorld&&) noexcept;
  JourneyWorld& operator=(JourneyWorld&&) noexcept;
};

JourneyWorld generate_journey_world(const JourneyWorldOptions& options);

// Reports in receive-time order (ties by journey, then sequence).
class TelemetryStream {
 public:
  // REQUIRES: world outlives the stream.
  explicit TelemetryStream(const JourneyWorld& world);
  // Appends every report received in [now, until) to `out`, in order; `now` is where the
  // previous call stopped. Returns false once nothing is left to send.
  bool next(std::int64_t until, std::vector<SimReport>& out);
  std::int64_t now() const { return now_; }

 private:
  struct Cursor {
    std::uint32_t next_report = 0;  // report number within the journey
  };
  struct Later {
    std::int64_t receive_time;
    std::uint32_t journey;
    std::uint32_t sequence;
    std::size_t slot;
    bool operator>(const Later& o) const {
      if (receive_time != o.receive_time) return receive_time > o.receive_time;
      if (journey != o.journey) return journey > o.journey;
      return sequence > o.sequence;
    }
  };
  const JourneyWorld& world_;
  std::int64_t now_ = 0;
  std::vector<Cursor> cursors_;
  std::vector<std::uint32_t> order_;  // journeys by sealing time
  std::size_t started_ = 0;           // journeys in order_ whose first report time has come
  std::vector<std::uint32_t> active_;
  std::vector<SimReport> held_;       // reports received after the window they were made in
  std::vector<std::size_t> free_slots_;
  std::priority_queue<Later, std::vector<Later>, std::greater<Later>> pending_;
};

}  // namespace cordon::simulation
