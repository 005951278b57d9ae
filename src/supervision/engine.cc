#include "supervision/engine.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <fmt/format.h>
#include <limits>
#include <unordered_set>

namespace cordon::supervision {

namespace protocols_ns = protocols;
using protocols::Event;

std::string_view zone_kind_name(ZoneKind kind) {
  switch (kind) {
    case ZoneKind::kCustomsOffice: return "customs_office";
    case ZoneKind::kRestArea: return "rest_area";
    case ZoneKind::kBorderCrossing: return "border_crossing";
    case ZoneKind::kParking: return "parking";
    case ZoneKind::kUnsealing: return "unsealing";
  }
  return "?";
}

std::string_view journey_status_name(JourneyStatus status) {
  switch (status) {
    case JourneyStatus::kOpen: return "open";
    case JourneyStatus::kSupervised: return "supervised";
    case JourneyStatus::kEnded: return "ended";
  }
  return "?";
}

std::string_view journey_event_name(JourneyEventKind kind) {
  switch (kind) {
    case JourneyEventKind::kOpened: return "opened";
    case JourneyEventKind::kSealed: return "sealed";
    case JourneyEventKind::kDeparted: return "departed";
    case JourneyEventKind::kZoneEntered: return "zone_entered";
    case JourneyEventKind::kZoneLeft: return "zone_left";
    case JourneyEventKind::kAlarmRaised: return "alarm_raised";
    case JourneyEventKind::kAlarmCleared: return "alarm_cleared";
    case JourneyEventKind::kUnsealAuthorised: return "unseal_authorised";
    case JourneyEventKind::kCommandQueued: return "command_queued";
    case JourneyEventKind::kCommandSent: return "command_sent";
    case JourneyEventKind::kCommandConfirmed: return "command_confirmed";
    case JourneyEventKind::kCommandFailed: return "command_failed";
    case JourneyEventKind::kSealOpened: return "seal_opened";
    case JourneyEventKind::kLateRecord: return "late_record";
    case JourneyEventKind::kUnsealed: return "unsealed";
  }
  return "?";
}

std::string_view command_state_name(CommandState state) {
  switch (state) {
    case CommandState::kQueued: return "queued";
    case CommandState::kSent: return "sent";
    case CommandState::kConfirmed: return "confirmed";
    case CommandState::kFailed: return "failed";
  }
  return "?";
}

// --- Route -----------------------------------------------------------------------------------

std::expected<std::shared_ptr<const Route>, std::string> Route::make(RouteSpec spec) {
  auto line = Polyline::make(spec.points);
  if (!line) return std::unexpected("points: " + line.error());
  if (!(spec.corridor_half_width_m > 0 && spec.corridor_half_width_m <= 100000)) {
    return std::unexpected(fmt::format("corridor_half_width_m: {} is not in (0, 100000]", spec.corridor_half_width_m));
  }
  auto route = std::make_shared<Route>();
  route->id_ = std::move(spec.id);
  route->line_ = std::move(*line);
  route->corridor_half_width_m_ = spec.corridor_half_width_m;
  std::unordered_set<std::string> ids;
  for (std::size_t i = 0; i < spec.stop_zones.size(); ++i) {
    const Zone& z = spec.stop_zones[i];
    if (z.id.empty()) return std::unexpected(fmt::format("stop_zones[{}].id: empty", i));
    if (!ids.insert(z.id).second) return std::unexpected(fmt::format("stop_zones[{}].id: \"{}\" appears twice", i, z.id));
    if (z.max_stay_s < 0) return std::unexpected(fmt::format("stop_zones[{}].max_stay_s: {} is negative", i, z.max_stay_s));
    if (z.area.vertices().size() < 3) return std::unexpected(fmt::format("stop_zones[{}].area: no polygon", i));
  }
  if (spec.unsealing_zone.area.vertices().size() < 3) return std::unexpected(std::string("unsealing_zone.area: no polygon"));
  if (spec.unsealing_zone.max_stay_s < 0) return std::unexpected(std::string("unsealing_zone.max_stay_s: negative"));
  route->zones_ = std::move(spec.stop_zones);
  spec.unsealing_zone.kind = ZoneKind::kUnsealing;
  if (spec.unsealing_zone.id.empty()) spec.unsealing_zone.id = "unsealing";
  route->zones_.push_back(std::move(spec.unsealing_zone));
  return route;
}

int Route::zone_at(LatLon p, int hint) const {
  if (hint >= 0 && hint < static_cast<int>(zones_.size()) && zones_[static_cast<std::size_t>(hint)].area.contains(p)) return hint;
  for (std::size_t i = 0; i < zones_.size(); ++i) {
    if (zones_[i].area.contains(p)) return static_cast<int>(i);
  }
  return -1;
}

// --- engine state ----------------------------------------------------------------------------

namespace {

constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kLateEventWindowS = 600;
constexpr std::uint32_t kMaxLateEvents = 100;

// A dwell-then-alarm state for a reading that must stay in a declared range.
struct RangeState {
  std::int64_t out_since = 0;
  float first_value = 0;
  std::uint16_t out_count = 0;
  AlarmId alarm = 0;
};

}  // namespace

struct SupervisionEngine::Track {
  std::uint32_t device = 0;
  std::array<std::uint64_t, 16> recent{};  // content hashes of the last records, for duplicates
  std::uint8_t recent_next = 0;
  bool has_fix = false;
  bool departed = false;
  bool outside = false;
  bool stopped = false;
  bool has_anchor = false;
  bool open = false;
  bool tamper_active = false;
  std::uint8_t rejected_run = 0;
  std::uint8_t low_run = 0;
  std::uint8_t fuel_count = 0;
  std::int16_t zone = -1;
  std::int16_t stop_zone = -1;
  std::uint32_t route_hint = 0;
  std::int64_t last_time = kNever;   // effective time of the newest processed record
  std::int64_t last_receive = 0;
  std::int64_t clock_offset = kNever;  // receive - device time, learned from absurd device times
  std::uint8_t away_count = 0;        // fixes away from the stop anchor in a row
  LatLon fix;
  std::int64_t fix_time = 0;
  LatLon rejected;
  std::int64_t rejected_time = 0;
  // route deviation
  std::int64_t outside_since = 0;
  LatLon outside_first;
  float max_off = 0;
  AlarmId deviation = 0;
  // stops
  LatLon anchor;
  std::int64_t anchor_time = 0;
  std::int64_t away_since = 0;
  AlarmId stay = 0;
  // zone presence
  std::int64_t zone_enter = 0;
  std::int64_t zone_out_since = 0;
  AlarmId overtime = 0;
  // battery
  std::int64_t low_since = 0;
  float low_first = 0;
  AlarmId battery = 0;
  RangeState temperature, humidity;
  // fuel
  std::array<float, 5> fuel{};
  std::uint8_t fuel_over = 0;  // consecutive evaluations over the threshold
  float fuel_ref = std::numeric_limits<float>::quiet_NaN();
  std::int64_t fuel_normal_time = 0;
  AlarmId fuel_alarm = 0;
  AlarmId comm = 0;
  // discrete events: start of the last alarm of each kind, for cooldowns and late records
  std::int64_t last_opening = kNever, last_tamper = kNever, last_fault = kNever;
  std::uint32_t records = 0, late = 0, duplicates = 0;

  // Median of the last five readings: fuel sensors glitch, sometimes twice in a row.
  float fuel_median() const {
    if (fuel_count == 0) return std::numeric_limits<float>::quiet_NaN();
    std::array<float, 5> sorted = fuel;
    for (std::size_t i = 1; i < fuel_count; ++i) {  // insertion sort of at most five
      for (std::size_t k = i; k > 0 && sorted[k - 1] > sorted[k]; --k) std::swap(sorted[k - 1], sorted[k]);
    }
    return fuel_count % 2 ? sorted[fuel_count / 2] : (sorted[fuel_count / 2 - 1] + sorted[fuel_count / 2]) / 2;
  }
  void push_fuel(float v) {
    if (fuel_count < fuel.size()) {
      fuel[fuel_count++] = v;
    } else {
      std::move(fuel.begin() + 1, fuel.end(), fuel.begin());
      fuel.back() = v;
    }
  }
};

struct SupervisionEngine::DeviceSlot {
  Device device;
  JourneyId journey = 0;
  std::uint16_t track = 0;
  std::vector<CommandId> pending;  // queued or sent, not yet confirmed or failed
};

struct SupervisionEngine::JourneySlot {
  Journey journey;
  std::vector<Track> tracks;
  std::int64_t unseal_from = 0;
  std::int64_t unseal_until = kNever;
  bool timeout_raised = false;
  std::uint32_t supervised_pos = 0;
};

SupervisionEngine::SupervisionEngine(EngineOptions options) : options_(options) {}
SupervisionEngine::~SupervisionEngine() = default;
std::size_t SupervisionEngine::device_count() const { return devices_.size(); }
std::size_t SupervisionEngine::alarm_count() const { return alarms_.size(); }

// --- devices ---------------------------------------------------------------------------------

std::expected<void, std::string> SupervisionEngine::register_device(Device device, std::int64_t time) {
  if (device.id.empty()) return std::unexpected(std::string("id: empty"));
  if (device_index_.contains(device.id)) return std::unexpected(fmt::format("id: device \"{}\" is already registered", device.id));
  if (device.station.empty() && device.status == DeviceStatus::kInStock) device.station = device.home_station;
  device.status_since = time;
  if (!device.station.empty() && device.status != DeviceStatus::kLost) {
    ledger_.record({time, device.station, +1, device.id, "registered"});
  }
  device_index_.emplace(device.id, static_cast<std::uint32_t>(devices_.size()));
  devices_.push_back(DeviceSlot{std::move(device), 0, 0, {}});
  return {};
}

const Device* SupervisionEngine::device(std::string_view id) const {
  const auto it = device_index_.find(std::string(id));
  return it == device_index_.end() ? nullptr : &devices_[it->second].device;
}

std::expected<void, std::string> SupervisionEngine::set_device_status(std::string_view id, DeviceStatus to,
                                                                      std::int64_t time, std::string_view station) {
  const auto it = device_index_.find(std::string(id));
  if (it == device_index_.end()) return std::unexpected(fmt::format("device \"{}\": not registered", id));
  Device& d = devices_[it->second].device;
  if (to == DeviceStatus::kAssigned || to == DeviceStatus::kSealed || to == DeviceStatus::kInTransit ||
      to == DeviceStatus::kUnsealed || to == DeviceStatus::kRecovered) {
    return std::unexpected(fmt::format("device \"{}\": status {} is set by open_journey, seal, unseal or recover_device", id,
                                       device_status_name(to)));
  }
  if (auto ok = check_transition(d.status, to); !ok) return std::unexpected(fmt::format("device \"{}\": {}", id, ok.error()));
  if (d.transfer != 0 && to != DeviceStatus::kLost && !station.empty()) {
    // Where it is comes from receiving the transfer; a station set by hand would count it twice.
    return std::unexpected(
        fmt::format("device \"{}\": on transfer {}; receive the transfer to place it", id, d.transfer));
  }
  if (to == DeviceStatus::kLost && d.transfer != 0) {
    transfers_[d.transfer - 1].lost.push_back(d.id);
    d.transfer = 0;
  }
  if (to == DeviceStatus::kLost && !d.station.empty()) {
    ledger_.record({time, d.station, -1, d.id, "lost"});
    d.station.clear();
  }
  if (!station.empty() && station != d.station && to != DeviceStatus::kLost) {
    if (!d.station.empty()) ledger_.record({time, d.station, -1, d.id, "moved"});
    d.station = std::string(station);
    ledger_.record({time, d.station, +1, d.id, "moved"});
  }
  d.status = to;
  d.status_since = time;
  return {};
}

std::expected<void, std::string> SupervisionEngine::recover_device(std::string_view id, std::string_view station,
                                                                   std::int64_t time) {
  const auto it = device_index_.find(std::string(id));
  if (it == device_index_.end()) return std::unexpected(fmt::format("device \"{}\": not registered", id));
  if (station.empty()) return std::unexpected(fmt::format("device \"{}\": station is required to recover it", id));
  Device& d = devices_[it->second].device;
  if (auto ok = check_transition(d.status, DeviceStatus::kRecovered); !ok) {
    return std::unexpected(fmt::format("device \"{}\": {}", id, ok.error()));
  }
  d.status = DeviceStatus::kRecovered;
  d.status_since = time;
  d.station = std::string(station);
  ledger_.record({time, d.station, +1, d.id, "recovered"});
  return {};
}

std::vector<StationNeed> SupervisionEngine::stock_by_station() const {
  std::map<std::string, int> counts;
  for (const DeviceSlot& slot : devices_) {
    const Device& d = slot.device;
    if (d.station.empty()) continue;
    int& c = counts[d.station];
    if (d.status == DeviceStatus::kInStock || d.status == DeviceStatus::kCharging || d.status == DeviceStatus::kRecovered) ++c;
  }
  std::vector<StationNeed> out;
  for (auto& [station, count] : counts) out.push_back({station, count, 0});
  return out;
}

std::expected<TransferId, std::string> SupervisionEngine::ship_devices(std::span<const std::string> device_ids,
                                                                       std::string_view to, std::string actor,
                                                                       std::int64_t time) {
  if (to.empty()) return std::unexpected(std::string("to: empty"));
  if (device_ids.empty()) return std::unexpected(std::string("device_ids: at least one device is needed"));
  std::vector<std::uint32_t> slots;
  std::string from;
  for (std::size_t i = 0; i < device_ids.size(); ++i) {
    const auto it = device_index_.find(device_ids[i]);
    if (it == device_index_.end()) {
      return std::unexpected(fmt::format("device_ids[{}]: device \"{}\" is not registered", i, device_ids[i]));
    }
    const DeviceSlot& slot = devices_[it->second];
    const Device& d = slot.device;
    if (slot.journey != 0)
      return std::unexpected(fmt::format("device_ids[{}]: device \"{}\" is on journey {}", i, d.id, slot.journey));
    if (d.transfer != 0)
      return std::unexpected(fmt::format("device_ids[{}]: device \"{}\" is on transfer {}", i, d.id, d.transfer));
    if (d.status != DeviceStatus::kInStock && d.status != DeviceStatus::kCharging &&
        d.status != DeviceStatus::kRecovered) {
      return std::unexpected(
          fmt::format("device_ids[{}]: device \"{}\" is {}; only devices in stock, charging or recovered are shipped",
                      i, d.id, device_status_name(d.status)));
    }
    if (d.station.empty())
      return std::unexpected(fmt::format("device_ids[{}]: device \"{}\" is at no station", i, d.id));
    if (from.empty()) from = d.station;
    if (d.station != from) {
      return std::unexpected(
          fmt::format("device_ids[{}]: device \"{}\" is at {}, the others at {}; one transfer leaves one station", i,
                      d.id, d.station, from));
    }
    if (std::find(slots.begin(), slots.end(), it->second) != slots.end()) {
      return std::unexpected(fmt::format("device_ids[{}]: device \"{}\" is listed twice", i, d.id));
    }
    slots.push_back(it->second);
  }
  if (from == to) return std::unexpected(fmt::format("to: the devices are already at {}", from));
  const TransferId id = transfers_.size() + 1;
  DeviceTransfer& t = transfers_.emplace_back();
  t.id = id;
  t.from = from;
  t.to = std::string(to);
  t.shipped_by = std::move(actor);
  t.shipped_at = time;
  for (std::uint32_t s : slots) {
    Device& d = devices_[s].device;
    ledger_.record({time, d.station, -1, d.id, "transfer_out"});
    d.station.clear();
    d.transfer = id;
    t.device_ids.push_back(d.id);
  }
  return id;
}

std::expected<void, std::string> SupervisionEngine::receive_transfer(TransferId id, std::string actor,
                                                                     std::int64_t time) {
  if (id == 0 || id > transfers_.size()) return std::unexpected(fmt::format("transfer {}: not found", id));
  DeviceTransfer& t = transfers_[id - 1];
  if (t.received_at) return std::unexpected(fmt::format("transfer {}: already received", id));
  if (time < t.shipped_at) {
    return std::unexpected(
        fmt::format("transfer {}: received at {}, before it was shipped at {}", id, time, t.shipped_at));
  }
  for (const std::string& device_id : t.device_ids) {
    Device& d = devices_[device_index_.at(device_id)].device;
    if (d.transfer != id) continue;  // declared lost on the way
    d.transfer = 0;
    d.station = t.to;
    ledger_.record({time, d.station, +1, d.id, "transfer_in"});
  }
  t.received_by = std::move(actor);
  t.received_at = time;
  return {};
}

const DeviceTransfer* SupervisionEngine::transfer(TransferId id) const {
  return id == 0 || id > transfers_.size() ? nullptr : &transfers_[id - 1];
}

// --- journeys --------------------------------------------------------------------------------

std::expected<JourneyId, std::string> SupervisionEngine::open_journey(JourneyPlan plan, std::string actor,
                                                                      std::int64_t time) {
  const TransitDeclaration& decl = plan.declaration;
  if (decl.mrn.empty()) return std::unexpected(std::string("declaration.mrn: empty"));
  if (const auto it = journey_by_mrn_.find(decl.mrn);
      it != journey_by_mrn_.end() && journeys_[it->second - 1].journey.status != JourneyStatus::kEnded) {
    return std::unexpected(fmt::format("declaration.mrn: a journey for \"{}\" is already open", decl.mrn));
  }
  if (!plan.route) return std::unexpected(std::string("route: missing"));
  if (plan.time_limit_s <= 0) return std::unexpected(fmt::format("time_limit_s: {} must be positive", plan.time_limit_s));
  if (decl.device_ids.empty()) return std::unexpected(std::string("declaration.device_ids: at least one device is needed"));
  if (decl.device_ids.size() > 64) return std::unexpected(std::string("declaration.device_ids: more than 64 devices"));
  for (const auto& r : {plan.cargo.temperature_c, plan.cargo.humidity_percent}) {
    if (r && !(r->min < r->max)) return std::unexpected(fmt::format("cargo: range [{}, {}] is empty", r->min, r->max));
  }
  std::vector<std::uint32_t> slots;
  for (std::size_t i = 0; i < decl.device_ids.size(); ++i) {
    const auto it = device_index_.find(decl.device_ids[i]);
    if (it == device_index_.end()) {
      return std::unexpected(fmt::format("declaration.device_ids[{}]: device \"{}\" is not registered", i, decl.device_ids[i]));
    }
    const DeviceSlot& slot = devices_[it->second];
    if (slot.journey != 0) {
      return std::unexpected(fmt::format("declaration.device_ids[{}]: device \"{}\" is on journey {}", i, decl.device_ids[i], slot.journey));
    }
    if (slot.device.transfer != 0) {
      return std::unexpected(
          fmt::format("declaration.device_ids[{}]: device \"{}\" is on transfer {} to another station", i,
                      decl.device_ids[i], slot.device.transfer));
    }
    if (auto ok = check_transition(slot.device.status, DeviceStatus::kAssigned); !ok) {
      return std::unexpected(fmt::format("declaration.device_ids[{}]: device \"{}\": {}", i, decl.device_ids[i], ok.error()));
    }
    if (std::find(slots.begin(), slots.end(), it->second) != slots.end()) {
      return std::unexpected(fmt::format("declaration.device_ids[{}]: device \"{}\" is listed twice", i, decl.device_ids[i]));
    }
    slots.push_back(it->second);
  }
  const JourneyId id = journeys_.size() + 1;
  journeys_.emplace_back();
  JourneySlot& js = journeys_.back();
  js.journey.id = id;
  js.journey.plan = std::move(plan);
  js.journey.opened_at = time;
  js.tracks.resize(slots.size());
  for (std::size_t i = 0; i < slots.size(); ++i) {
    DeviceSlot& slot = devices_[slots[i]];
    slot.journey = id;
    slot.track = static_cast<std::uint16_t>(i);
    slot.device.status = DeviceStatus::kAssigned;
    slot.device.status_since = time;
    js.tracks[i].device = slots[i];
  }
  journey_by_mrn_[js.journey.plan.declaration.mrn] = id;
  add_event(js, time, JourneyEventKind::kOpened, std::move(actor), js.journey.plan.declaration.mrn);
  return id;
}

std::expected<void, std::string> SupervisionEngine::seal(JourneyId id, std::string actor, std::int64_t time,
                                                         std::optional<std::int64_t> received_at) {
  if (id == 0 || id > journeys_.size()) return std::unexpected(fmt::format("journey {}: not found", id));
  JourneySlot& js = journeys_[id - 1];
  if (js.journey.status != JourneyStatus::kOpen) {
    return std::unexpected(fmt::format("journey {}: cannot seal a journey that is {}", id, journey_status_name(js.journey.status)));
  }
  js.journey.status = JourneyStatus::kSupervised;
  js.journey.sealed_at = time;
  for (Track& tr : js.tracks) {
    Device& d = devices_[tr.device].device;
    d.status = DeviceStatus::kSealed;
    d.status_since = time;
    if (!d.station.empty()) {
      ledger_.record({time, d.station, -1, d.id, "sealed"});
      d.station.clear();
    }
    tr.last_receive = std::max(time, received_at.value_or(time));
  }
  js.supervised_pos = static_cast<std::uint32_t>(supervised_.size());
  supervised_.push_back(static_cast<std::uint32_t>(id - 1));
  add_event(js, time, JourneyEventKind::kSealed, std::move(actor), {});
  return {};
}

std::expected<void, std::string> SupervisionEngine::unseal(JourneyId id, std::string actor, std::int64_t time) {
  if (id == 0 || id > journeys_.size()) return std::unexpected(fmt::format("journey {}: not found", id));
  JourneySlot& js = journeys_[id - 1];
  if (js.journey.status != JourneyStatus::kSupervised) {
    return std::unexpected(fmt::format("journey {}: cannot unseal a journey that is {}", id, journey_status_name(js.journey.status)));
  }
  js.journey.status = JourneyStatus::kEnded;
  js.journey.unsealed_at = time;
  for (Track& tr : js.tracks) {
    DeviceSlot& slot = devices_[tr.device];
    slot.device.status = DeviceStatus::kUnsealed;
    slot.device.status_since = time;
    slot.journey = 0;
  }
  // Swap-remove from the supervised list.
  const std::uint32_t pos = js.supervised_pos;
  const std::uint32_t moved = supervised_.back();
  supervised_[pos] = moved;
  journeys_[moved].supervised_pos = pos;
  supervised_.pop_back();
  add_event(js, time, JourneyEventKind::kUnsealed, std::move(actor),
            fmt::format("grade {}", journey_grade_name(journey_grade(id))));
  // Detector state is not needed once supervision has ended.
  js.tracks.clear();
  js.tracks.shrink_to_fit();
  return {};
}

std::expected<void, std::string> SupervisionEngine::authorise_unseal(JourneyId id, std::string actor, std::int64_t time,
                                                                     std::int64_t validity_s) {
  if (id == 0 || id > journeys_.size()) return std::unexpected(fmt::format("journey {}: not found", id));
  if (validity_s <= 0) return std::unexpected(fmt::format("validity_s: {} must be positive", validity_s));
  JourneySlot& js = journeys_[id - 1];
  if (js.journey.status == JourneyStatus::kEnded) return std::unexpected(fmt::format("journey {}: already ended", id));
  js.unseal_from = time;
  js.unseal_until = time + validity_s;
  add_event(js, time, JourneyEventKind::kUnsealAuthorised, std::move(actor), fmt::format("for {} s", validity_s));
  return {};
}

const Journey* SupervisionEngine::journey(JourneyId id) const {
  if (id == 0 || id > journeys_.size()) return nullptr;
  return &journeys_[id - 1].journey;
}

const Journey* SupervisionEngine::journey_by_mrn(std::string_view mrn) const {
  const auto it = journey_by_mrn_.find(std::string(mrn));
  return it == journey_by_mrn_.end() ? nullptr : journey(it->second);
}

JourneyGrade SupervisionEngine::journey_grade(JourneyId id) const {
  const Journey* j = journey(id);
  if (!j) return JourneyGrade::kNone;
  std::vector<Alarm> copies;
  copies.reserve(j->alarms.size());
  for (AlarmId a : j->alarms) {
    const Alarm& alarm = alarms_[a - 1];
    Alarm slim;  // grade_journey reads grade, state and outcome only
    slim.grade = alarm.grade;
    slim.state = alarm.state;
    slim.outcome = alarm.outcome;
    copies.push_back(std::move(slim));
  }
  return grade_journey(copies);
}

void SupervisionEngine::add_event(JourneySlot& js, std::int64_t time, JourneyEventKind kind, std::string actor,
                                  std::string detail, AlarmId alarm) {
  js.journey.events.push_back({time, kind, std::move(actor), std::move(detail), alarm});
}

// --- alarms ----------------------------------------------------------------------------------

AlarmId SupervisionEngine::raise(JourneySlot& js, Track& track, AlarmType type, AlarmGrade grade,
                                 std::int64_t started_at, std::int64_t raised_at, std::string detail,
                                 std::vector<EvidencePoint> evidence) {
  const AlarmId id = alarms_.size() + 1;
  Alarm& a = alarms_.emplace_back();
  a.id = id;
  a.journey = js.journey.id;
  a.device_id = devices_[track.device].device.id;
  a.type = type;
  a.grade = grade;
  a.started_at = started_at;
  a.raised_at = raised_at;
  a.detail = std::move(detail);
  a.evidence = std::move(evidence);
  js.journey.alarms.push_back(id);
  add_event(js, raised_at, JourneyEventKind::kAlarmRaised, a.device_id, std::string(alarm_type_name(type)), id);
  alarm_changes_.push_back(id);
  return id;
}

void SupervisionEngine::clear(JourneySlot& js, AlarmId& id, std::int64_t time) {
  if (id == 0) return;
  Alarm& a = alarms_[id - 1];
  a.cleared_at = std::max(time, a.raised_at);
  add_event(js, *a.cleared_at, JourneyEventKind::kAlarmCleared, a.device_id, std::string(alarm_type_name(a.type)), id);
  alarm_changes_.push_back(id);
  id = 0;
}

const Alarm* SupervisionEngine::alarm(AlarmId id) const {
  if (id == 0 || id > alarms_.size()) return nullptr;
  return &alarms_[id - 1];
}

std::vector<AlarmId> SupervisionEngine::take_alarm_changes() {
  std::vector<AlarmId> out;
  out.swap(alarm_changes_);
  // Each once, in the order of first change.
  std::unordered_set<AlarmId> seen;
  std::erase_if(out, [&](AlarmId id) { return !seen.insert(id).second; });
  return out;
}

std::expected<void, std::string> SupervisionEngine::handle_alarm(AlarmId id, AlarmHandling step) {
  if (id == 0 || id > alarms_.size()) return std::unexpected(fmt::format("alarm {}: not found", id));
  Alarm& a = alarms_[id - 1];
  std::expected<void, std::string> ok;
  switch (step.kind) {
    case AlarmHandling::Kind::kAcknowledge: ok = acknowledge(a, std::move(step.actor), step.time, std::move(step.comment)); break;
    case AlarmHandling::Kind::kDispatch:
      ok = dispatch(a, std::move(step.actor), step.time, std::move(step.patrol), std::move(step.comment));
      break;
    case AlarmHandling::Kind::kResolve:
      ok = resolve(a, std::move(step.actor), step.time, step.outcome, std::move(step.comment));
      break;
    case AlarmHandling::Kind::kFalseAlarm: ok = mark_false_alarm(a, std::move(step.actor), step.time, std::move(step.comment)); break;
    case AlarmHandling::Kind::kComment: ok = add_comment(a, std::move(step.actor), step.time, std::move(step.comment)); break;
    case AlarmHandling::Kind::kPhoto:
      ok = add_photo(a, std::move(step.actor), step.time, std::move(step.photo), std::move(step.comment));
      break;
  }
  if (ok) alarm_changes_.push_back(id);
  return ok;
}

// --- telemetry -------------------------------------------------------------------------------

namespace {

std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  return h * 0xff51afd7ed558ccdULL;
}
std::uint64_t bits(double d) { return std::bit_cast<std::uint64_t>(d); }
std::uint64_t opt_bits(const std::optional<double>& d) { return d ? bits(*d) : 0x7ff8dead; }

// What identifies a record's content, for duplicates: the same report sent twice hashes the same.
std::uint64_t record_hash(const protocols::Record& r, std::optional<std::int64_t> sequence, std::int64_t receive_time) {
  std::uint64_t h = 0x51ed2701;
  if (r.time) h = mix(h, static_cast<std::uint64_t>(*r.time));  // even a wrong clock ticks
  if (sequence) h = mix(h, static_cast<std::uint64_t>(*sequence) ^ 0xabcdULL);
  if (!r.time && !sequence) {
    h = mix(h, static_cast<std::uint64_t>(receive_time) ^ 0x1234ULL);  // cannot tell duplicates apart
  }
  if (r.position) {
    h = mix(h, bits(r.position->latitude));
    h = mix(h, bits(r.position->longitude));
    h = mix(h, r.position->valid);
  }
  h = mix(h, opt_bits(r.sensors.battery_percent));
  h = mix(h, opt_bits(r.sensors.fuel_level));
  h = mix(h, opt_bits(r.sensors.temperature_c));
  h = mix(h, opt_bits(r.sensors.humidity_percent));
  for (Event e : r.events) h = mix(h, static_cast<std::uint64_t>(e) + 1000);
  return h == 0 ? 1 : h;
}

EvidencePoint evidence(std::int64_t t, std::optional<LatLon> p, double value, std::string note) {
  return EvidencePoint{t, p, value, std::move(note)};
}

std::optional<LatLon> record_position(const protocols::Record& r) {
  if (!r.position || !r.position->valid) return std::nullopt;
  const LatLon p{r.position->latitude, r.position->longitude};
  if (!plausible(p)) return std::nullopt;
  return p;
}

}  // namespace

IngestResult SupervisionEngine::ingest(const protocols::DeviceMessage& message, std::int64_t receive_time) {
  IngestResult result;
  const auto it = device_index_.find(message.device_id);
  if (it == device_index_.end()) {
    result.status = IngestResult::Status::kUnknownDevice;
    return result;
  }
  DeviceSlot& slot = devices_[it->second];
  Device& device = slot.device;
  device.last_contact = std::max(device.last_contact.value_or(receive_time), receive_time);
  for (auto r = message.records.rbegin(); r != message.records.rend(); ++r) {
    if (r->sensors.battery_percent || r->sensors.battery_voltage) {
      if (r->sensors.battery_percent) device.battery_percent = r->sensors.battery_percent;
      if (r->sensors.battery_voltage) device.battery_voltage = r->sensors.battery_voltage;
      break;
    }
  }
  if (message.kind == protocols::MessageKind::kCommandAck) {
    for (CommandId c : slot.pending) {
      if (commands_[c - 1].state == CommandState::kSent) {
        (void)confirm_command(c, receive_time, message.command_response.value_or(""));
        break;
      }
    }
  }
  for (CommandId c : slot.pending) {
    if (commands_[c - 1].state == CommandState::kQueued) result.commands_waiting = true;
  }
  if (slot.journey == 0) {
    result.status = IngestResult::Status::kNotSupervised;
    return result;
  }
  JourneySlot& js = journeys_[slot.journey - 1];
  result.journey = js.journey.id;
  if (js.journey.status != JourneyStatus::kSupervised) {
    result.status = IngestResult::Status::kNotSupervised;
    return result;
  }
  Track& track = js.tracks[slot.track];
  track.last_receive = std::max(track.last_receive, receive_time);
  if (track.comm) clear(js, track.comm, receive_time);
  const std::size_t alarms_before = alarms_.size();
  const std::int64_t sealed_at = *js.journey.sealed_at;
  for (const protocols::Record& record : message.records) {
    const bool time_usable = record.time && *record.time <= receive_time + options_.max_clock_ahead_s &&
                             *record.time >= receive_time - options_.max_backlog_s;
    std::int64_t t = time_usable ? *record.time : receive_time;
    if (!time_usable) {
      ++result.clock_replaced;
      if (record.time) {
        // A wrong clock usually still ticks (unset at 1980, a GPS week rollover): its offset from
        // the receive time, at its smallest, is the clock error plus the network delay. With it a
        // device's stored backlog keeps its own timing instead of all arriving "now".
        const std::int64_t offset = receive_time - *record.time;
        if (track.clock_offset == kNever || offset < track.clock_offset ||
            *record.time + track.clock_offset < track.last_time - 86400) {
          track.clock_offset = offset;
        }
        t = std::min(receive_time, *record.time + track.clock_offset);
      }
    }
    if (t < sealed_at) continue;  // reported before supervision began (a device's stored backlog)
    const std::uint64_t h = record_hash(record, message.sequence, receive_time);
    if (std::find(track.recent.begin(), track.recent.end(), h) != track.recent.end()) {
      ++result.duplicates;
      ++track.duplicates;
      continue;
    }
    if (t < track.last_time) {
      // Not remembered among the recent hashes: a replayed backlog would push out the records
      // whose duplicates matter (the ones that drove the detectors).
      ++result.late;
      ++track.late;
      process_late_record(js, track, record, t, result);
      continue;
    }
    track.recent[track.recent_next] = h;
    track.recent_next = static_cast<std::uint8_t>((track.recent_next + 1) % track.recent.size());
    track.last_time = t;
    ++track.records;
    ++result.processed;
    process_record(js, track, record, t, receive_time, result);
    if (js.journey.status != JourneyStatus::kSupervised) break;
  }
  result.alarms_raised = static_cast<std::uint16_t>(alarms_.size() - alarms_before);
  return result;
}

void SupervisionEngine::process_record(JourneySlot& js, Track& track, const protocols::Record& record, std::int64_t t,
                                       std::int64_t receive_time, IngestResult& result) {
  if (const auto p = record_position(record)) {
    const protocols::Position& pos = *record.position;
    const bool quality_ok = (!pos.hdop || *pos.hdop <= options_.max_hdop) &&
                            (!pos.satellites || *pos.satellites >= options_.min_satellites);
    if (quality_ok) process_fix(js, track, *p, t, record);
  }
  process_sensors(js, track, record, t);
  process_seal(js, track, record, t);
  check_timeout(js, t);
}

void SupervisionEngine::process_fix(JourneySlot& js, Track& track, LatLon p, std::int64_t t,
                                    const protocols::Record& record) {
  const double max_speed_mps = options_.max_speed_kmh / 3.6;
  constexpr double kSlackM = 500;  // GPS error on both fixes
  if (track.has_fix) {
    const double d = haversine_m(track.fix, p);
    const double dt = static_cast<double>(std::max<std::int64_t>(0, t - track.fix_time));
    if (d > kSlackM + max_speed_mps * dt) {
      // Either this fix is wild, or the one we hold was: believe three in a row that agree.
      const bool agrees = track.rejected_run > 0 &&
                          haversine_m(track.rejected, p) <=
                              kSlackM + max_speed_mps * static_cast<double>(std::max<std::int64_t>(0, t - track.rejected_time));
      track.rejected_run = agrees ? static_cast<std::uint8_t>(track.rejected_run + 1) : 1;
      track.rejected = p;
      track.rejected_time = t;
      if (track.rejected_run < 3) return;
    }
  }
  track.rejected_run = 0;
  track.has_fix = true;
  track.fix = p;
  track.fix_time = t;
  js.journey.last_position = p;
  js.journey.last_position_time = t;

  const Route& route = *js.journey.plan.route;
  const std::string& device_id = devices_[track.device].device.id;

  // Zone presence, with a dwell on leaving so that drift at the fence is not an exit.
  const int z = route.zone_at(p, track.zone);
  if (track.zone >= 0 && z != track.zone) {
    if (track.zone_out_since == 0) track.zone_out_since = t;
    if (z >= 0 || t - track.zone_out_since >= options_.zone_exit_s) {
      add_event(js, track.zone_out_since, JourneyEventKind::kZoneLeft, device_id,
                route.zones()[static_cast<std::size_t>(track.zone)].id);
      clear(js, track.overtime, track.zone_out_since);
      track.zone = -1;
      track.zone_out_since = 0;
    }
  } else if (track.zone >= 0) {
    track.zone_out_since = 0;
  }
  if (track.zone < 0 && z >= 0) {
    track.zone = static_cast<std::int16_t>(z);
    track.zone_enter = t;
    track.zone_out_since = 0;
    add_event(js, t, JourneyEventKind::kZoneEntered, device_id, route.zones()[static_cast<std::size_t>(z)].id);
  }
  // Only while the fix is inside: after a silent gap the first fix may be far away, and the
  // time of the gap is not known to have been spent in the zone.
  if (track.zone >= 0 && z == track.zone && track.overtime == 0) {
    const Zone& zone = route.zones()[static_cast<std::size_t>(track.zone)];
    if (zone.max_stay_s > 0 && t - track.zone_enter > zone.max_stay_s) {
      track.overtime = raise(js, track, AlarmType::kOvertimeStay, AlarmGrade::kWarning, track.zone_enter, t,
                             fmt::format("{} min in {} {} (allowed {} min)", (t - track.zone_enter) / 60,
                                         zone_kind_name(zone.kind), zone.id, zone.max_stay_s / 60),
                             {evidence(track.zone_enter, std::nullopt, 0, "entered " + zone.id),
                              evidence(t, p, static_cast<double>(t - track.zone_enter), "still inside")});
    }
  }

  // Route deviation. Authorised zones count as on the route (a rest area may lie off the road).
  const double half = route.corridor_half_width_m();
  const RouteFix f = route.line().locate_near(p, track.route_hint, half);
  track.route_hint = f.segment;
  const double off = track.zone >= 0 ? 0 : f.distance_m;
  if (off > half) {
    if (!track.outside) {
      track.outside = true;
      track.outside_since = t;
      track.outside_first = p;
      track.max_off = 0;
    }
    track.max_off = std::max(track.max_off, static_cast<float>(off));
    if (track.deviation == 0 && t - track.outside_since >= options_.deviation_dwell_s) {
      track.deviation = raise(js, track, AlarmType::kRouteDeviation, AlarmGrade::kWarning, track.outside_since, t,
                              fmt::format("{:.1f} km off route for {} min", track.max_off / 1000.0,
                                          (t - track.outside_since) / 60),
                              {evidence(track.outside_since, track.outside_first, 0, "left the corridor"),
                               evidence(t, p, off, "outside the corridor")});
    }
  } else if (off < half * options_.deviation_reenter_fraction && track.outside) {
    track.outside = false;
    clear(js, track.deviation, t);
  }

  // Stops.
  const float fuel_now = track.fuel_median();
  if (!track.has_anchor) {
    track.has_anchor = true;
    track.anchor = p;
    track.anchor_time = t;
  }
  const double from_anchor = haversine_m(track.anchor, p);
  if (track.stopped) {
    if (from_anchor > options_.stop_radius_m) {
      if (track.away_since == 0) {
        track.away_since = t;
        track.away_count = 0;
      }
      track.away_count = static_cast<std::uint8_t>(std::min(track.away_count + 1, 100));
      if (t - track.away_since >= options_.stop_exit_s && track.away_count >= 3) {
        track.stopped = false;
        clear(js, track.stay, track.away_since);
        clear(js, track.fuel_alarm, track.away_since);
        track.fuel_ref = std::numeric_limits<float>::quiet_NaN();
        track.anchor = p;
        track.anchor_time = t;
        track.away_since = 0;
      }
    } else {
      track.away_since = 0;
      // Follow the centre of the stationary fixes: the first fix of a stop is often taken
      // while still rolling in, near the edge of the radius.
      track.anchor.lat += (p.lat - track.anchor.lat) * 0.1;
      track.anchor.lon += (p.lon - track.anchor.lon) * 0.1;
    }
  } else if (from_anchor > options_.stop_radius_m) {
    track.anchor = p;
    track.anchor_time = t;
    if (!track.departed) {
      track.departed = true;
      Device& d = devices_[track.device].device;
      if (d.status == DeviceStatus::kSealed) {
        d.status = DeviceStatus::kInTransit;
        d.status_since = t;
      }
      add_event(js, t, JourneyEventKind::kDeparted, device_id, {});
    }
  } else if (t - track.anchor_time >= options_.stop_confirm_s) {
    track.stopped = true;
    track.away_since = 0;
    track.anchor = p;  // standing still by now; anchor_time keeps when the stop began
    const int anchor_zone = route.zone_at(track.anchor, track.zone);
    track.stop_zone = static_cast<std::int16_t>(anchor_zone >= 0 ? anchor_zone : track.zone);
    // The reference is taken from readings already stationary: readings taken while driving
    // carry sloshing of several units.
    track.fuel_ref = fuel_now;
    track.fuel_normal_time = track.anchor_time;
  }
  if (track.stopped && track.away_since == 0 && track.stop_zone < 0 && track.stay == 0 &&
      t - track.anchor_time >= options_.illegal_stay_s) {
    track.stay = raise(js, track, AlarmType::kIllegalStay, AlarmGrade::kWarning, track.anchor_time, t,
                       fmt::format("stopped {} min outside authorised zones", (t - track.anchor_time) / 60),
                       {evidence(track.anchor_time, track.anchor, 0, "stopped"),
                        evidence(t, p, static_cast<double>(t - track.anchor_time), "still stopped")});
  }
  (void)record;
}

void SupervisionEngine::process_sensors(JourneySlot& js, Track& track, const protocols::Record& record, std::int64_t t) {
  const protocols::Sensors& s = record.sensors;
  const std::optional<LatLon> here = track.has_fix ? std::optional<LatLon>(track.fix) : std::nullopt;

  // Battery: two low readings in a row (one can be a sag under load), cleared with hysteresis.
  bool low = false, recovered = false;
  double level = 0;
  if (s.battery_percent) {
    level = *s.battery_percent;
    low = level < options_.low_battery_percent;
    recovered = level >= options_.low_battery_clear_percent;
  } else if (s.battery_voltage) {
    level = *s.battery_voltage;
    low = level < options_.low_battery_voltage;
    recovered = level >= options_.low_battery_voltage + 0.15;
  }
  const bool device_says_low = std::find(record.events.begin(), record.events.end(), Event::kLowBattery) != record.events.end();
  if (low || device_says_low) {
    if (track.low_run == 0) {
      track.low_since = t;
      track.low_first = static_cast<float>(level);
    }
    track.low_run = static_cast<std::uint8_t>(std::min(track.low_run + (device_says_low ? 2 : 1), 200));
    if (track.battery == 0 && track.low_run >= 2) {
      track.battery = raise(js, track, AlarmType::kLowBattery, AlarmGrade::kWarning, track.low_since, t,
                            fmt::format("battery {:.0f}{}", level, s.battery_percent ? "%" : " V"),
                            {evidence(track.low_since, here, track.low_first, "first low reading"),
                             evidence(t, here, level, device_says_low ? "device low-battery event" : "low reading")});
    }
  } else if (s.battery_percent || s.battery_voltage) {
    track.low_run = 0;
    if (recovered) clear(js, track.battery, t);
  }

  // Temperature and humidity against the declared ranges: a dwell to raise, hysteresis to clear.
  const CargoConditions& cargo = js.journey.plan.cargo;
  auto check_range = [&](RangeState& st, const std::optional<Range>& range, const std::optional<double>& value,
                         double hysteresis, AlarmType type, const char* unit) {
    if (!range || !value) return;
    const double v = *value;
    const bool out = v < range->min || v > range->max;
    if (out) {
      if (st.out_count == 0) {
        st.out_since = t;
        st.first_value = static_cast<float>(v);
      }
      st.out_count = static_cast<std::uint16_t>(std::min(st.out_count + 1, 60000));
      if (st.alarm == 0 && st.out_count >= 2 && t - st.out_since >= options_.sensor_dwell_s) {
        st.alarm = raise(js, track, type, AlarmGrade::kWarning, st.out_since, t,
                         fmt::format("{:.1f}{} outside [{:.1f}, {:.1f}] for {} min", v, unit, range->min, range->max,
                                     (t - st.out_since) / 60),
                         {evidence(st.out_since, here, st.first_value, "first reading out of range"),
                          evidence(t, here, v, "still out of range")});
      }
    } else {
      st.out_count = 0;
      if (v >= range->min + hysteresis && v <= range->max - hysteresis) clear(js, st.alarm, t);
    }
  };
  check_range(track.temperature, cargo.temperature_c, s.temperature_c, options_.temperature_hysteresis_c,
              AlarmType::kTemperature, " °C");
  check_range(track.humidity, cargo.humidity_percent, s.humidity_percent, options_.humidity_hysteresis_percent,
              AlarmType::kHumidity, "%");

  // Fuel (cargo tank) level while stationary: a median of five readings against the level when
  // the vehicle stopped; moving vehicles slosh and are not checked.
  if (cargo.tank_truck && s.fuel_level) {
    track.push_fuel(static_cast<float>(*s.fuel_level));
    const float median = track.fuel_median();
    if (track.stopped && !std::isnan(track.fuel_ref)) {
      const double drop = track.fuel_ref - median;
      if (drop <= options_.fuel_noise) track.fuel_normal_time = t;
      track.fuel_over = drop > cargo.fuel_drop_threshold ? static_cast<std::uint8_t>(std::min(track.fuel_over + 1, 100)) : 0;
      if (track.fuel_alarm == 0 && track.fuel_over >= 2) {
        track.fuel_alarm = raise(js, track, AlarmType::kFuelDrop, AlarmGrade::kCritical, track.fuel_normal_time, t,
                                 fmt::format("level fell {:.1f} (from {:.1f} to {:.1f}) while stationary", drop,
                                             track.fuel_ref, median),
                                 {evidence(track.anchor_time, track.anchor, track.fuel_ref, "level when stopped"),
                                  evidence(t, here, median, "level now")});
      }
    }
  }
}

void SupervisionEngine::process_seal(JourneySlot& js, Track& track, const protocols::Record& record, std::int64_t t) {
  bool opened = false, closed = false, cable_cut = false, tamper = false, fault = false, remote_unlock = false;
  const char* tamper_what = "";
  const char* fault_what = "";
  for (Event e : record.events) {
    switch (e) {
      case Event::kLockOpened:
      case Event::kUnlockAlarm:
      case Event::kDoorOpened: opened = true; break;
      case Event::kRemoteUnlock: opened = remote_unlock = true; break;
      case Event::kCableCut: opened = cable_cut = true; break;
      case Event::kLockClosed:
      case Event::kDoorClosed: closed = true; break;
      case Event::kBodyTampered: tamper = true; tamper_what = "body_tampered"; break;
      case Event::kBackCoverOpened: tamper = true; tamper_what = "back_cover_opened"; break;
      case Event::kDeviceFault: fault = true; fault_what = "device_fault"; break;
      case Event::kGnssAntennaFault: fault = true; fault_what = "gnss_antenna_fault"; break;
      default: break;
    }
  }
  const protocols::SealState& seal = record.seal;
  if (seal.locked == false || seal.door_open == true) opened = true;
  if (seal.cable_cut == true) opened = cable_cut = true;
  if (seal.locked == true && seal.cable_cut != true && seal.door_open != true && !opened) closed = true;
  if (seal.body_tampered == true) { tamper = true; tamper_what = "body_tampered"; }
  if (seal.back_cover_open == true) { tamper = true; tamper_what = "back_cover_opened"; }
  const bool seal_all_clear = seal.body_tampered == false && seal.back_cover_open != true;

  DeviceSlot& slot = devices_[track.device];
  if (remote_unlock) confirm_pending(slot, protocols::CommandType::kUnseal, t, "remote unlock reported");
  if (closed) confirm_pending(slot, protocols::CommandType::kSeal, t, "lock closed reported");

  const std::optional<LatLon> at = record_position(record);
  const std::optional<LatLon> where = at ? at : (track.has_fix ? std::optional<LatLon>(track.fix) : std::nullopt);
  if (opened && !track.open) {
    track.open = true;
    const Route& route = *js.journey.plan.route;
    const bool in_unsealing_zone = where && route.zones().back().area.contains(*where);
    const bool authorised = t >= js.unseal_from - 60 && t <= js.unseal_until;
    const char* what = cable_cut ? "cable_cut" : "lock_opened";
    if (in_unsealing_zone || authorised) {
      add_event(js, t, JourneyEventKind::kSealOpened, slot.device.id,
                fmt::format("{} ({})", what, in_unsealing_zone ? "in the unsealing zone" : "authorised unseal"));
    } else {
      track.last_opening = t;
      raise(js, track, AlarmType::kIllegalOpening, AlarmGrade::kCritical, t, t,
            fmt::format("{} outside the unsealing zone without authorisation", what), {evidence(t, where, 0, what)});
    }
  } else if (closed && track.open) {
    track.open = false;
  }

  if (seal_all_clear) track.tamper_active = false;
  if (tamper && !track.tamper_active && (track.last_tamper == kNever || t - track.last_tamper >= options_.event_cooldown_s)) {
    track.tamper_active = true;
    track.last_tamper = t;
    raise(js, track, AlarmType::kTampering, AlarmGrade::kCritical, t, t, std::string(tamper_what),
          {evidence(t, where, 0, tamper_what)});
  }
  if (fault && (track.last_fault == kNever || t - track.last_fault >= options_.event_cooldown_s)) {
    track.last_fault = t;
    raise(js, track, AlarmType::kDeviceFault, AlarmGrade::kWarning, t, t, std::string(fault_what),
          {evidence(t, where, 0, fault_what)});
  }
}

void SupervisionEngine::process_late_record(JourneySlot& js, Track& track, const protocols::Record& record,
                                            std::int64_t t, IngestResult& result) {
  const std::string& device_id = devices_[track.device].device.id;
  // Kept as events up to a bound: a device replaying its whole memory must not exhaust ours.
  if (track.late <= kMaxLateEvents) {
    add_event(js, t, JourneyEventKind::kLateRecord, device_id,
              track.late == kMaxLateEvents ? std::string("further late records are only counted")
                                           : fmt::format("{} s older than the newest record", track.last_time - t));
  }
  // Only discrete events can still matter, and only if nothing of the kind was raised near them.
  bool opened = false, tamper = false, fault = false;
  const char* what = "";
  for (Event e : record.events) {
    if (e == Event::kLockOpened || e == Event::kUnlockAlarm || e == Event::kCableCut) { opened = true; what = event_name(e).data(); }
    if (e == Event::kBodyTampered || e == Event::kBackCoverOpened) tamper = true;
    if (e == Event::kDeviceFault || e == Event::kGnssAntennaFault) fault = true;
  }
  if (record.seal.cable_cut == true) { opened = true; what = "cable_cut"; }
  if (record.seal.body_tampered == true || record.seal.back_cover_open == true) tamper = true;
  auto near = [&](std::int64_t last) { return last != kNever && std::llabs(t - last) <= kLateEventWindowS; };
  const std::optional<LatLon> at = record_position(record);
  if (opened && !near(track.last_opening)) {
    const Route& route = *js.journey.plan.route;
    const bool in_unsealing_zone = at && route.zones().back().area.contains(*at);
    const bool authorised = t >= js.unseal_from - 60 && t <= js.unseal_until;
    if (!in_unsealing_zone && !authorised) {
      track.last_opening = t;
      raise(js, track, AlarmType::kIllegalOpening, AlarmGrade::kCritical, t, track.last_time,
            fmt::format("{} (reported late) outside the unsealing zone without authorisation", what),
            {evidence(t, at, 0, what)});
    }
  }
  if (tamper && !near(track.last_tamper)) {
    track.last_tamper = t;
    raise(js, track, AlarmType::kTampering, AlarmGrade::kCritical, t, track.last_time, "tampering (reported late)",
          {evidence(t, at, 0, "tampering")});
  }
  if (fault && !near(track.last_fault)) {
    track.last_fault = t;
    raise(js, track, AlarmType::kDeviceFault, AlarmGrade::kWarning, t, track.last_time, "device fault (reported late)",
          {evidence(t, at, 0, "device fault")});
  }
  (void)result;
}

void SupervisionEngine::check_timeout(JourneySlot& js, std::int64_t now) {
  if (js.timeout_raised || js.journey.status != JourneyStatus::kSupervised || js.tracks.empty()) return;
  const std::int64_t deadline = *js.journey.sealed_at + js.journey.plan.time_limit_s;
  if (now < deadline) return;
  js.timeout_raised = true;
  raise(js, js.tracks.front(), AlarmType::kJourneyTimeout, AlarmGrade::kWarning, deadline, now,
        fmt::format("not unsealed within {} h", js.journey.plan.time_limit_s / 3600),
        {evidence(deadline, js.journey.last_position, static_cast<double>(now - deadline), "time limit passed")});
}

void SupervisionEngine::tick(std::int64_t now) {
  for (std::uint32_t index : supervised_) {
    JourneySlot& js = journeys_[index];
    check_timeout(js, now);
    for (Track& track : js.tracks) {
      if (track.comm != 0 || now - track.last_receive < options_.loss_of_communication_s) continue;
      const Device& d = devices_[track.device].device;
      if (!(d.capabilities & kCapCellular)) continue;  // passive seals are read at stations, never heard from
      track.comm = raise(js, track, AlarmType::kLossOfCommunication, AlarmGrade::kCritical, track.last_receive, now,
                         fmt::format("no message for {} h {} min", (now - track.last_receive) / 3600,
                                     (now - track.last_receive) % 3600 / 60),
                         {evidence(track.last_receive, track.has_fix ? std::optional<LatLon>(track.fix) : std::nullopt,
                                   static_cast<double>(now - track.last_receive), "last contact")});
    }
  }
}

// --- commands --------------------------------------------------------------------------------

std::expected<CommandId, std::string> SupervisionEngine::queue_command(std::string_view device_id,
                                                                       protocols::Command command, std::string actor,
                                                                       std::int64_t time) {
  const auto it = device_index_.find(std::string(device_id));
  if (it == device_index_.end()) return std::unexpected(fmt::format("device \"{}\": not registered", device_id));
  if (actor.empty()) return std::unexpected(std::string("actor: empty"));
  DeviceSlot& slot = devices_[it->second];
  if (!(slot.device.capabilities & kCapRemoteControl)) {
    return std::unexpected(fmt::format("device \"{}\": a {} device has no remote control", device_id,
                                       device_type_name(slot.device.type)));
  }
  if (command.type == protocols::CommandType::kReportingInterval &&
      (command.interval_s < 5 || command.interval_s > 86400)) {
    return std::unexpected(fmt::format("interval_s: {} is not in [5, 86400]", command.interval_s));
  }
  const CommandId id = commands_.size() + 1;
  DeviceCommand& c = commands_.emplace_back();
  c.id = id;
  c.device_id = slot.device.id;
  c.command = command;
  c.actor = actor;
  c.queued_at = time;
  slot.pending.push_back(id);
  static constexpr std::string_view kNames[] = {"seal", "unseal", "reporting_interval"};
  const std::string_view name = kNames[static_cast<int>(command.type)];
  if (slot.journey != 0) {
    JourneySlot& js = journeys_[slot.journey - 1];
    add_event(js, time, JourneyEventKind::kCommandQueued, actor, fmt::format("{} #{}", name, id));
    if (command.type == protocols::CommandType::kUnseal) {
      (void)authorise_unseal(js.journey.id, actor, time, options_.remote_unseal_validity_s);
    }
  }
  return id;
}

std::vector<DeviceCommand> SupervisionEngine::take_commands_to_send(std::string_view device_id, std::int64_t time) {
  std::vector<DeviceCommand> out;
  const auto it = device_index_.find(std::string(device_id));
  if (it == device_index_.end()) return out;
  DeviceSlot& slot = devices_[it->second];
  for (CommandId id : slot.pending) {
    DeviceCommand& c = commands_[id - 1];
    if (c.state != CommandState::kQueued) continue;
    c.state = CommandState::kSent;
    c.sent_at = time;
    out.push_back(c);
    if (slot.journey != 0) add_event(journeys_[slot.journey - 1], time, JourneyEventKind::kCommandSent, c.device_id, fmt::format("#{}", id));
  }
  return out;
}

bool SupervisionEngine::has_commands_to_send(std::string_view device_id) const {
  const auto it = device_index_.find(std::string(device_id));
  if (it == device_index_.end()) return false;
  for (CommandId id : devices_[it->second].pending) {
    if (commands_[id - 1].state == CommandState::kQueued) return true;
  }
  return false;
}

void SupervisionEngine::confirm_pending(DeviceSlot& slot, protocols::CommandType type, std::int64_t time,
                                        std::string_view response) {
  for (CommandId id : slot.pending) {
    const DeviceCommand& c = commands_[id - 1];
    if (c.command.type == type && c.state != CommandState::kConfirmed) {
      (void)confirm_command(id, time, std::string(response));
      return;
    }
  }
}

std::expected<void, std::string> SupervisionEngine::confirm_command(CommandId id, std::int64_t time, std::string response) {
  if (id == 0 || id > commands_.size()) return std::unexpected(fmt::format("command {}: not found", id));
  DeviceCommand& c = commands_[id - 1];
  if (c.state == CommandState::kConfirmed || c.state == CommandState::kFailed) {
    return std::unexpected(fmt::format("command {}: already {}", id, command_state_name(c.state)));
  }
  c.state = CommandState::kConfirmed;
  c.confirmed_at = time;
  c.response = std::move(response);
  DeviceSlot& slot = devices_[device_index_.at(c.device_id)];
  std::erase(slot.pending, id);
  if (slot.journey != 0) add_event(journeys_[slot.journey - 1], time, JourneyEventKind::kCommandConfirmed, c.device_id, fmt::format("#{}", id));
  return {};
}

std::expected<void, std::string> SupervisionEngine::fail_command(CommandId id, std::int64_t time, std::string reason) {
  if (id == 0 || id > commands_.size()) return std::unexpected(fmt::format("command {}: not found", id));
  DeviceCommand& c = commands_[id - 1];
  if (c.state == CommandState::kConfirmed || c.state == CommandState::kFailed) {
    return std::unexpected(fmt::format("command {}: already {}", id, command_state_name(c.state)));
  }
  c.state = CommandState::kFailed;
  c.response = std::move(reason);
  DeviceSlot& slot = devices_[device_index_.at(c.device_id)];
  std::erase(slot.pending, id);
  if (slot.journey != 0) {
    add_event(journeys_[slot.journey - 1], time, JourneyEventKind::kCommandFailed, c.device_id, fmt::format("#{}: {}", id, c.response));
  }
  return {};
}

const DeviceCommand* SupervisionEngine::command(CommandId id) const {
  if (id == 0 || id > commands_.size()) return nullptr;
  return &commands_[id - 1];
}

// --- memory ----------------------------------------------------------------------------------

std::size_t SupervisionEngine::approximate_journey_bytes() const {
  auto str = [](const std::string& s) { return s.capacity() > 15 ? s.capacity() + 1 : 0; };
  std::size_t bytes = 0;
  for (const JourneySlot& js : journeys_) {
    bytes += sizeof(JourneySlot) + js.tracks.capacity() * sizeof(Track);
    const TransitDeclaration& d = js.journey.plan.declaration;
    bytes += str(d.mrn) + str(d.office_of_departure) + str(d.office_of_destination) + str(d.vehicle) + str(d.container) +
             str(d.goods_summary);
    bytes += d.device_ids.capacity() * sizeof(std::string) + d.offices_of_transit.capacity() * sizeof(std::string);
    bytes += js.journey.events.capacity() * sizeof(JourneyEvent) + js.journey.alarms.capacity() * sizeof(AlarmId);
    for (const JourneyEvent& e : js.journey.events) bytes += str(e.actor) + str(e.detail);
  }
  for (const Alarm& a : alarms_) bytes += sizeof(Alarm) + a.evidence.capacity() * sizeof(EvidencePoint) + a.detail.capacity();
  return bytes;
}

}  // namespace cordon::supervision
