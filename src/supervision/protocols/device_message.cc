#include "supervision/protocols/device_message.h"

#include <array>
#include <utility>

namespace cordon::supervision::protocols {

namespace {

constexpr std::array<std::pair<Protocol, std::string_view>, 7> kProtocolNames{{
    {Protocol::kTeltonika, "teltonika"},
    {Protocol::kGt06, "gt06"},
    {Protocol::kJt808, "jt808"},
    {Protocol::kJt600, "jt600"},
    {Protocol::kEseal, "eseal"},
    {Protocol::kOsmand, "osmand"},
    {Protocol::kCordonJson, "cordon-json"},
}};

}  // namespace

std::string_view protocol_name(Protocol protocol) {
  for (const auto& [p, name] : kProtocolNames) {
    if (p == protocol) return name;
  }
  return "unknown";
}

std::optional<Protocol> parse_protocol(std::string_view name) {
  std::string lower;
  for (char c : name) lower.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  for (const auto& [p, n] : kProtocolNames) {
    if (n == lower) return p;
  }
  if (lower == "jt701" || lower == "jointech") return Protocol::kJt600;
  if (lower == "concox") return Protocol::kGt06;
  if (lower == "jt/t808" || lower == "huabao") return Protocol::kJt808;
  if (lower == "json" || lower == "cordon") return Protocol::kCordonJson;
  if (lower == "codec8" || lower == "codec8e") return Protocol::kTeltonika;
  return std::nullopt;
}

const std::vector<Protocol>& all_protocols() {
  static const std::vector<Protocol> all = [] {
    std::vector<Protocol> v;
    for (const auto& [p, name] : kProtocolNames) v.push_back(p);
    return v;
  }();
  return all;
}

std::string_view message_kind_name(MessageKind kind) {
  switch (kind) {
    case MessageKind::kLogin: return "login";
    case MessageKind::kRegistration: return "registration";
    case MessageKind::kPosition: return "position";
    case MessageKind::kHeartbeat: return "heartbeat";
    case MessageKind::kAlarm: return "alarm";
    case MessageKind::kCommandAck: return "command_ack";
    case MessageKind::kOther: return "other";
  }
  return "other";
}

std::string_view event_name(Event event) {
  switch (event) {
    case Event::kLockOpened: return "lock_opened";
    case Event::kLockClosed: return "lock_closed";
    case Event::kCableCut: return "cable_cut";
    case Event::kBackCoverOpened: return "back_cover_opened";
    case Event::kBodyTampered: return "body_tampered";
    case Event::kVibration: return "vibration";
    case Event::kUnlockAlarm: return "unlock_alarm";
    case Event::kWrongPassword: return "wrong_password";
    case Event::kIllegalCard: return "illegal_card";
    case Event::kLowBattery: return "low_battery";
    case Event::kPowerCut: return "power_cut";
    case Event::kSos: return "sos";
    case Event::kGeofenceEnter: return "geofence_enter";
    case Event::kGeofenceExit: return "geofence_exit";
    case Event::kRouteDeviation: return "route_deviation";
    case Event::kOvertimeParking: return "overtime_parking";
    case Event::kOverspeed: return "overspeed";
    case Event::kFuelAbnormal: return "fuel_abnormal";
    case Event::kVehicleStolen: return "vehicle_stolen";
    case Event::kIllegalDisplacement: return "illegal_displacement";
    case Event::kDeviceFault: return "device_fault";
    case Event::kGnssAntennaFault: return "gnss_antenna_fault";
    case Event::kDoorOpened: return "door_opened";
    case Event::kDoorClosed: return "door_closed";
    case Event::kDrop: return "drop";
    case Event::kRemoteUnlock: return "remote_unlock";
    case Event::kJamming: return "jamming";
    case Event::kTowing: return "towing";
    case Event::kCrash: return "crash";
  }
  return "unknown";
}

std::optional<Event> parse_event(std::string_view name) {
  for (int i = 0; i <= static_cast<int>(Event::kCrash); ++i) {
    auto event = static_cast<Event>(i);
    if (event_name(event) == name) return event;
  }
  return std::nullopt;
}

}  // namespace cordon::supervision::protocols
