// The supervision engine: devices, supervised journeys, alarm detectors, alarm handling,
// remote command queues and device stock per station, in memory, with no I/O and no clock.
//
// How an integrator drives it (the server owns sockets, storage and the wall clock):
//
//   SupervisionEngine engine;                         // EngineOptions for thresholds
//   engine.register_device(device, now);
//   auto route = Route::make(spec);                   // once per planned route, shared
//   auto journey = engine.open_journey(plan, actor, now);   // from a transit declaration
//   engine.seal(*journey, actor, now);                // supervision starts
//   ... for every decoded message:  engine.ingest(message, receive_time);
//   ... every few seconds:          engine.tick(now); // loss of communication, timeouts
//   for (AlarmId id : engine.take_alarm_changes()) store_and_push(*engine.alarm(id));
//   engine.handle_alarm(id, {AlarmAction::..., actor, time, ...});
//   engine.unseal(*journey, actor, now);              // supervision ends; journey_grade()
//
// Time: every time is UTC seconds since the epoch. A record's "effective time" is the device's
// time when it is plausible (not more than EngineOptions::max_clock_ahead_s after the receive
// time, not more than max_backlog_s before it). Device clocks can be unset (1980), off by a GPS
// week rollover, or in local time: then the device time plus the device's smallest observed
// (receive - device) offset, capped at the receive time, so that a stored backlog keeps its
// spacing; without any device time, the receive time.
//
// Ordering: detectors see each device's records in effective-time order. A record identical to
// one of the last 16 processed records of the device (same device time, sequence, position,
// sensors and events) is a duplicate and is dropped. A record older than the
// newest one already processed is "late": it is counted and kept as a journey event, and does
// not run the dwell-based state machines again (no second deviation for an old position); only
// its discrete events (a cut cable, a destroyed body) can raise an alarm, and only if no alarm
// of that type started within 10 minutes of it. There is no reorder buffer: a device that sends
// its backlog after a newer live record gets that backlog treated as late.
//
// Alarm times: started_at is when the condition began (first fix outside the corridor, the
// stop's start, zone entry for overtime, the deadline for a timeout, the last contact for a lost
// signal, the first low or out-of-range reading); raised_at is when the detector was sure (an
// effective record time, or tick's `now`). Graded critical: illegal opening, tampering, fuel
// drop, loss of communication (an emergency in the EAEU systems, seed 004 §13.5); the rest
// warning. A cut cable is an illegal opening (the cargo is open), not tampering.
//
// Noise: a fix is used only when the device says it is valid, the coordinates are plausible,
// HDOP and satellite count (when given) are acceptable, and reaching it from the last used fix
// needs no more than max_speed_kmh (a single wild fix is ignored; three consecutive fixes that
// agree with each other are believed, so a wrong first fix cannot stick). Route deviation,
// stays and sensor ranges need a dwell time before an alarm, and the condition must clear with
// hysteresis before the same alarm can be raised again.
//
// Performance: ingest() does no allocation unless it raises an alarm or records an event;
// per-journey state is a few hundred bytes plus the declaration and events (routes are shared).
//
// Thread-safety: none. Serialise calls (one ingest thread, or a mutex); the engine is fast
// enough for tens of thousands of messages per second on one core.
#pragma once

#include <cstdint>
#include <deque>
#include <expected>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "supervision/alarms.h"
#include "supervision/devices.h"
#include "supervision/geometry.h"
#include "supervision/logistics.h"
#include "supervision/protocols/commands.h"
#include "supervision/protocols/device_message.h"

namespace cordon::supervision {

// --- routes and zones ----------------------------------------------------------------------

enum class ZoneKind : std::uint8_t { kCustomsOffice, kRestArea, kBorderCrossing, kParking, kUnsealing };
std::string_view zone_kind_name(ZoneKind kind);

struct Zone {
  std::string id;          // "LTVI0100", "REST-A1-KM212"
  ZoneKind kind = ZoneKind::kRestArea;
  Polygon area;
  std::int64_t max_stay_s = 0;  // 0: no limit (e.g. the unsealing zone at destination)
};

struct RouteSpec {
  std::string id;
  std::vector<LatLon> points;              // the planned road, departure to destination
  double corridor_half_width_m = 1000;     // allowed distance from the planned road
  std::vector<Zone> stop_zones;            // where stopping is authorised
  Zone unsealing_zone;                     // where the seal may be opened (destination office)
};

// A validated planned route with its geometry prepared; shared by every journey on it.
class Route {
 public:
  // Refuses, naming the field: bad polyline, corridor not in (0, 100 km], zone ids empty or
  // repeated, negative max stays.
  static std::expected<std::shared_ptr<const Route>, std::string> make(RouteSpec spec);

  const std::string& id() const { return id_; }
  const Polyline& line() const { return line_; }
  double corridor_half_width_m() const { return corridor_half_width_m_; }
  // Stop zones then, last, the unsealing zone.
  const std::vector<Zone>& zones() const { return zones_; }
  int unsealing_zone() const { return static_cast<int>(zones_.size()) - 1; }
  // Index into zones() of a zone containing p (the hint first), or -1.
  int zone_at(LatLon p, int hint = -1) const;

 private:
  std::string id_;
  Polyline line_;
  double corridor_half_width_m_ = 0;
  std::vector<Zone> zones_;
};

// --- journeys ------------------------------------------------------------------------------

struct TransitDeclaration {
  std::string mrn;                          // movement reference number
  std::string office_of_departure;          // customs office codes
  std::vector<std::string> offices_of_transit;
  std::string office_of_destination;
  std::string vehicle;                      // registration plate
  std::string container;                    // ISO 6346 number, empty for a trailer
  std::vector<std::string> device_ids;      // the seals/locks fitted
  std::string goods_summary;
};

struct Range {
  double min = 0;
  double max = 0;
};

struct CargoConditions {
  std::optional<Range> temperature_c;       // declared range for reefers
  std::optional<Range> humidity_percent;
  bool tank_truck = false;                  // check the fuel/cargo level while stationary
  double fuel_drop_threshold = 5;           // in the unit the sensor reports (litres or %)
};

struct JourneyPlan {
  TransitDeclaration declaration;
  std::shared_ptr<const Route> route;
  std::int64_t time_limit_s = 0;            // from sealing to unsealing
  CargoConditions cargo;
};

enum class JourneyStatus : std::uint8_t { kOpen, kSupervised, kEnded };
std::string_view journey_status_name(JourneyStatus status);

enum class JourneyEventKind : std::uint8_t {
  kOpened, kSealed, kDeparted, kZoneEntered, kZoneLeft, kAlarmRaised, kAlarmCleared, kUnsealAuthorised,
  kCommandQueued, kCommandSent, kCommandConfirmed, kCommandFailed, kSealOpened, kLateRecord, kUnsealed,
};
std::string_view journey_event_name(JourneyEventKind kind);

struct JourneyEvent {
  std::int64_t time = 0;
  JourneyEventKind kind = JourneyEventKind::kOpened;
  std::string actor;    // officer for manual steps, device id for device-driven ones
  std::string detail;   // zone id, alarm type, command, ...
  AlarmId alarm = 0;
};

struct Journey {
  JourneyId id = 0;
  JourneyPlan plan;
  JourneyStatus status = JourneyStatus::kOpen;
  std::int64_t opened_at = 0;
  std::optional<std::int64_t> sealed_at;
  std::optional<std::int64_t> unsealed_at;
  std::vector<JourneyEvent> events;
  std::vector<AlarmId> alarms;
  std::optional<LatLon> last_position;
  std::optional<std::int64_t> last_position_time;
};

// --- commands ------------------------------------------------------------------------------

using CommandId = std::uint64_t;
enum class CommandState : std::uint8_t { kQueued, kSent, kConfirmed, kFailed };
std::string_view command_state_name(CommandState state);

struct DeviceCommand {
  CommandId id = 0;
  std::string device_id;
  protocols::Command command;
  std::string actor;
  std::int64_t queued_at = 0;
  std::optional<std::int64_t> sent_at;
  std::optional<std::int64_t> confirmed_at;
  CommandState state = CommandState::kQueued;
  std::string response;   // the device's answer or the failure reason
};

// --- return logistics ----------------------------------------------------------------------

// Devices sent from one station to another (seed 004 §7.2 D: "transferred among different
// stations"). They leave `from`'s stock when shipped and enter `to`'s when received; on the way
// they are in no station's stock, so the ledger shows the dip at one and the rise at the other.
using TransferId = std::uint64_t;
struct DeviceTransfer {
  TransferId id = 0;
  std::string from;
  std::string to;
  std::vector<std::string> device_ids;
  std::string shipped_by;
  std::int64_t shipped_at = 0;
  std::string received_by;
  std::optional<std::int64_t> received_at;
  std::vector<std::string> lost;  // declared lost on the way: never entered `to`
};

// --- the engine ----------------------------------------------------------------------------

struct EngineOptions {
  std::int64_t deviation_dwell_s = 300;        // outside the corridor this long before an alarm
  double deviation_reenter_fraction = 0.8;     // back inside when nearer than this × half-width
  std::int64_t illegal_stay_s = 1200;          // stopped outside authorised zones
  double stop_radius_m = 150;                  // a stop: staying within this of where it began
  std::int64_t stop_confirm_s = 120;           // ... for at least this long
  std::int64_t stop_exit_s = 120;              // away from the stop this long ends it (drift)
  std::int64_t zone_exit_s = 120;              // outside a zone this long means it was left
  std::int64_t loss_of_communication_s = 4 * 3600;
  double low_battery_percent = 15;
  double low_battery_clear_percent = 25;
  double low_battery_voltage = 3.45;           // used when the device gives no percentage
  double max_speed_kmh = 200;                  // faster than this between fixes: a bad fix
  double max_hdop = 10;
  int min_satellites = 3;
  std::int64_t sensor_dwell_s = 600;           // temperature / humidity out of range this long
  double temperature_hysteresis_c = 0.5;
  double humidity_hysteresis_percent = 2;
  double fuel_noise = 1.5;                     // readings within this of the reference are noise
  std::int64_t remote_unseal_validity_s = 2 * 3600;
  std::int64_t event_cooldown_s = 1800;        // one tampering/fault alarm per device per this
  std::int64_t max_clock_ahead_s = 900;
  std::int64_t max_backlog_s = 7 * 86400;
};

struct IngestResult {
  enum class Status : std::uint8_t {
    kAccepted,       // at least considered by a journey's detectors (see counts)
    kUnknownDevice,  // not registered: the caller decides (log, register, refuse)
    kNotSupervised,  // registered, but on no sealed journey: contact and battery kept only
  };
  Status status = Status::kAccepted;
  JourneyId journey = 0;
  std::uint16_t processed = 0;
  std::uint16_t duplicates = 0;
  std::uint16_t late = 0;
  std::uint16_t clock_replaced = 0;   // records whose device time was absurd
  std::uint16_t alarms_raised = 0;
  bool commands_waiting = false;       // call take_commands_to_send() for this device
};

// One handling step for handle_alarm().
struct AlarmHandling {
  enum class Kind : std::uint8_t { kAcknowledge, kDispatch, kResolve, kFalseAlarm, kComment, kPhoto };
  Kind kind = Kind::kAcknowledge;
  std::string actor;
  std::int64_t time = 0;
  std::string comment;
  std::string patrol;                 // kDispatch
  Outcome outcome = Outcome::kNoIrregularity;  // kResolve
  std::string photo;                  // kPhoto
};

class SupervisionEngine {
 public:
  explicit SupervisionEngine(EngineOptions options = {});
  ~SupervisionEngine();
  SupervisionEngine(const SupervisionEngine&) = delete;
  SupervisionEngine& operator=(const SupervisionEngine&) = delete;

  const EngineOptions& options() const { return options_; }

  // --- devices
  // Refuses an empty or known id. A device registered in stock at a station counts in that
  // station's stock from `time`.
  std::expected<void, std::string> register_device(Device device, std::int64_t time);
  const Device* device(std::string_view id) const;
  std::size_t device_count() const;
  // Manual lifecycle steps (charging, in stock, lost, faulty, repaired); checks the transition.
  // Journey steps (assigned, sealed, in transit, unsealed) are made by the journey calls.
  std::expected<void, std::string> set_device_status(std::string_view id, DeviceStatus to, std::int64_t time,
                                                     std::string_view station = {});
  // unsealed/lost -> recovered at `station` (it enters that station's stock).
  std::expected<void, std::string> recover_device(std::string_view id, std::string_view station, std::int64_t time);

  // --- journeys
  // REQUIRES: plan.route set; every device registered, in stock, and on no other journey; at
  // least one device; MRN not empty and not already open. Devices become "assigned".
  std::expected<JourneyId, std::string> open_journey(JourneyPlan plan, std::string actor, std::int64_t time);
  // Supervision starts: devices sealed, detectors armed. REQUIRES status open. `received_at`:
  // when the server learned of it, if later than `time` (a sealing reported late); silence is
  // counted from then, on the receive clock loss of communication is judged on, not from a
  // moment the server could not have heard the device in.
  std::expected<void, std::string> seal(JourneyId id, std::string actor, std::int64_t time,
                                        std::optional<std::int64_t> received_at = std::nullopt);
  // Supervision ends: devices unsealed; the grade is journey_grade(id). REQUIRES supervised.
  std::expected<void, std::string> unseal(JourneyId id, std::string actor, std::int64_t time);
  // An officer allows the seal to be opened (an inspection on the way, a reader unseal) for
  // validity_s from `time`; openings in that window are not illegal. Queuing an unseal command
  // does this too.
  std::expected<void, std::string> authorise_unseal(JourneyId id, std::string actor, std::int64_t time,
                                                    std::int64_t validity_s);
  const Journey* journey(JourneyId id) const;
  const Journey* journey_by_mrn(std::string_view mrn) const;
  std::size_t supervised_count() const { return supervised_.size(); }
  JourneyGrade journey_grade(JourneyId id) const;
  bool requires_red_channel(JourneyId id) const { return supervision::requires_red_channel(journey_grade(id)); }

  // --- telemetry
  // REQUIRES nothing of the message; never throws on content.
  IngestResult ingest(const protocols::DeviceMessage& message, std::int64_t receive_time);
  // Raises what time alone decides: loss of communication and journey timeout. Call at least
  // once a minute with the current time; `now` should not go backwards (if it does, nothing
  // is raised for the earlier time).
  void tick(std::int64_t now);

  // --- alarms
  const Alarm* alarm(AlarmId id) const;
  std::size_t alarm_count() const;
  // Ids of alarms raised, cleared or handled since the last call, in order, each once.
  std::vector<AlarmId> take_alarm_changes();
  std::expected<void, std::string> handle_alarm(AlarmId id, AlarmHandling step);

  // --- remote commands
  // Refuses a device without remote control. An unseal command authorises the opening (see
  // authorise_unseal) from `time`.
  std::expected<CommandId, std::string> queue_command(std::string_view device_id, protocols::Command command,
                                                      std::string actor, std::int64_t time);
  // Queued commands for the device, now marked sent; encode them with protocols::encode_command
  // and write them to the device's connection.
  std::vector<DeviceCommand> take_commands_to_send(std::string_view device_id, std::int64_t time);
  // Whether take_commands_to_send would return anything (a read-only look, no state change).
  bool has_commands_to_send(std::string_view device_id) const;
  // For protocols that answer through another path, or when the write failed.
  std::expected<void, std::string> confirm_command(CommandId id, std::int64_t time, std::string response = {});
  std::expected<void, std::string> fail_command(CommandId id, std::int64_t time, std::string reason);
  const DeviceCommand* command(CommandId id) const;

  // --- return logistics
  const InventoryLedger& ledger() const { return ledger_; }
  // Devices available (in stock, charging or recovered) per station now.
  std::vector<StationNeed> stock_by_station() const;
  // Ships devices from the station they are all at to `to`. REQUIRES each device registered,
  // available (in stock, charging or recovered) at the same station, on no journey and no other
  // transfer; `to` not empty and not that station. Errors name the device by its index.
  std::expected<TransferId, std::string> ship_devices(std::span<const std::string> device_ids, std::string_view to,
                                                      std::string actor, std::int64_t time);
  // The devices still on the transfer enter `to`'s stock. REQUIRES not yet received.
  std::expected<void, std::string> receive_transfer(TransferId id, std::string actor, std::int64_t time);
  const DeviceTransfer* transfer(TransferId id) const;
  std::size_t transfer_count() const { return transfers_.size(); }

  // Approximate heap bytes held for journeys, tracks, events and alarms (for the bench).
  std::size_t approximate_journey_bytes() const;

  struct Track;    // per device on a journey: detector state (engine.cc)
  struct DeviceSlot;

 private:
  struct JourneySlot;
  AlarmId raise(JourneySlot& js, Track& track, AlarmType type, AlarmGrade grade, std::int64_t started_at,
                std::int64_t raised_at, std::string detail, std::vector<EvidencePoint> evidence);
  void clear(JourneySlot& js, AlarmId& id, std::int64_t time);
  void process_record(JourneySlot& js, Track& track, const protocols::Record& record, std::int64_t time,
                      std::int64_t receive_time, IngestResult& result);
  void process_late_record(JourneySlot& js, Track& track, const protocols::Record& record, std::int64_t time,
                           IngestResult& result);
  void process_fix(JourneySlot& js, Track& track, LatLon p, std::int64_t t, const protocols::Record& record);
  void process_sensors(JourneySlot& js, Track& track, const protocols::Record& record, std::int64_t t);
  void process_seal(JourneySlot& js, Track& track, const protocols::Record& record, std::int64_t t);
  void check_timeout(JourneySlot& js, std::int64_t now);
  void add_event(JourneySlot& js, std::int64_t time, JourneyEventKind kind, std::string actor, std::string detail,
                 AlarmId alarm = 0);
  void confirm_pending(DeviceSlot& slot, protocols::CommandType type, std::int64_t time, std::string_view response);

  EngineOptions options_;
  std::deque<DeviceSlot> devices_;
  std::unordered_map<std::string, std::uint32_t> device_index_;
  std::deque<JourneySlot> journeys_;  // JourneyId = index + 1
  std::unordered_map<std::string, JourneyId> journey_by_mrn_;
  std::vector<std::uint32_t> supervised_;  // indices of journeys under supervision
  std::deque<Alarm> alarms_;               // AlarmId = index + 1
  std::vector<AlarmId> alarm_changes_;
  std::deque<DeviceCommand> commands_;     // CommandId = index + 1
  std::deque<DeviceTransfer> transfers_;   // TransferId = index + 1
  InventoryLedger ledger_;
};

}  // namespace cordon::supervision
