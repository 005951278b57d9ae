// The normalised form of what a tracker or e-lock reports, whatever protocol it speaks.
//
// Every decoder in protocols.h produces a DeviceMessage: who sent it, what kind of message it
// is, and one Record per report it carries (Teltonika and JT/T 808 batch several; most send
// one). Vendor meanings are mapped onto Cordon's own vocabulary (SealState, Event), so that the
// journey and alarm engines never need to know that a JT701 "status bit 3" is a cut steel cable
// while the same bit on a Jointech JT600 vehicle tracker is a power cut. Whatever is not
// normalised is kept, under the vendor's own key, in Record::io.
//
// Times are what the device claims, converted to UTC seconds since the epoch. Device clocks
// can be wrong, unset (GPS not yet fixed) or in local time; the receiving server stamps its own
// arrival time and decides which to trust. A missing time is std::nullopt, never 0.
//
// Thread-safety: plain values; no shared state.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace cordon::supervision::protocols {

enum class Protocol {
  kTeltonika,   // Codec 8 / 8E over TCP, IMEI login, Codec 12 commands
  kGt06,        // Concox GT06 family over TCP (0x7878 / 0x7979 frames)
  kJt808,       // JT/T 808 over TCP (0x7E frames), with the Jointech e-lock extensions
  kJt600,       // Jointech JT600 / JT701 e-lock over TCP ('$' binary and '(' text frames)
  kEseal,       // eSeal text over TCP ("##S,eSeal,...,E##")
  kOsmand,      // OsmAnd over HTTP (query string or form body)
  kCordonJson,  // Cordon's own JSON, over HTTP or MQTT
};

// "teltonika", "gt06", "jt808", "jt600", "eseal", "osmand", "cordon-json".
std::string_view protocol_name(Protocol protocol);
// The inverse of protocol_name; also accepts "jt701" (an alias of jt600), "concox", "json".
std::optional<Protocol> parse_protocol(std::string_view name);
// Every protocol, in the order above.
const std::vector<Protocol>& all_protocols();

enum class MessageKind {
  kLogin,         // identifies the connection (Teltonika IMEI, GT06 0x01, JT808 0x0102)
  kRegistration,  // JT808 0x0100: asks the platform for an authentication code
  kPosition,      // one or more position/state reports
  kHeartbeat,     // keeps the connection alive; may carry state but no position
  kAlarm,         // a report sent because of an event (the events are in the records)
  kCommandAck,    // the device's answer to a command from the platform
  kOther,         // understood and acknowledged, but of no use to supervision
};
std::string_view message_kind_name(MessageKind kind);

// Events in Cordon's vocabulary. The mapping from each vendor's bits is in docs/protocols.md.
enum class Event {
  kLockOpened,         // the lock (motor, shackle or door) reports itself open/unlocked
  kLockClosed,         // ... closed/locked
  kCableCut,           // the steel cable/rope of a seal was cut
  kBackCoverOpened,    // the device's housing/back cover was opened
  kBodyTampered,       // the seal body tampered with or destroyed (JT701 bit 4, GT06 dismantle)
  kVibration,          // shock or vibration reported by a vehicle tracker
  kUnlockAlarm,        // the device reports an unlocking it considers unauthorised
  kWrongPassword,      // repeated wrong unlock passwords
  kIllegalCard,        // an unauthorised RFID card was presented
  kLowBattery,
  kPowerCut,           // external (vehicle) power removed
  kSos,
  kGeofenceEnter,
  kGeofenceExit,
  kRouteDeviation,     // the device's own route check (JT808 bit 23)
  kOvertimeParking,    // the device's own stop timer (JT808 bit 19)
  kOverspeed,
  kFuelAbnormal,
  kVehicleStolen,
  kIllegalDisplacement,
  kDeviceFault,        // motor fault, lock stuck, GNSS module fault
  kGnssAntennaFault,
  kDoorOpened,
  kDoorClosed,
  kDrop,               // the device was dropped
  kRemoteUnlock,       // unlocked by a remote command (eSeal Event-RC-Unlock)
  kJamming,
  kTowing,
  kCrash,
};
std::string_view event_name(Event event);
// The inverse of event_name.
std::optional<Event> parse_event(std::string_view name);

// A scalar kept as the vendor sent it, for fields Cordon does not normalise.
using IoValue = std::variant<std::int64_t, double, bool, std::string>;

struct Position {
  double latitude = 0;   // WGS 84 degrees, south negative
  double longitude = 0;  // WGS 84 degrees, west negative
  bool valid = false;    // the device's own fix flag; an invalid fix repeats an old position
  std::optional<double> altitude_m;
  std::optional<double> speed_kmh;
  std::optional<double> course_deg;  // 0 = north, clockwise
  std::optional<int> satellites;
  std::optional<double> hdop;
};

struct CellTower {
  int mcc = 0;
  int mnc = 0;
  std::int64_t lac = 0;
  std::int64_t cell_id = 0;
  std::optional<int> signal;  // as the vendor reports it (dBm, 0-31 CSQ, or 0-4 bars)
};

struct Sensors {
  std::optional<double> battery_voltage;   // V, the device's own battery
  std::optional<double> battery_percent;   // 0-100
  std::optional<bool> charging;
  std::optional<double> external_voltage;  // V, vehicle power
  std::optional<bool> external_power;      // external power connected
  std::optional<double> temperature_c;
  std::optional<double> humidity_percent;
  std::optional<double> fuel_level;        // as reported (litres or percent; see io)
  std::optional<double> odometer_m;
  std::optional<int> gsm_signal;           // as the vendor reports it
  std::optional<bool> ignition;
  std::optional<bool> moving;
};

// The seal or lock as the device sees itself. std::nullopt: the device did not say.
struct SealState {
  std::optional<bool> locked;           // motor/shackle locked
  std::optional<bool> cable_inserted;   // steel cable/rope present in the lock
  std::optional<bool> cable_cut;
  std::optional<bool> back_cover_open;
  std::optional<bool> body_tampered;
  std::optional<bool> door_open;
};

// One report: where, when, what the sensors read, and what happened.
struct Record {
  std::optional<std::int64_t> time;   // device time, UTC seconds since the epoch
  std::optional<Position> position;   // absent for reports without a location (heartbeats)
  std::optional<CellTower> cell;
  Sensors sensors;
  SealState seal;
  std::vector<Event> events;          // each at most once, in the order found
  std::map<std::string, IoValue> io;  // vendor fields kept as sent ("io66", "status", ...)
};

struct DeviceMessage {
  Protocol protocol = Protocol::kCordonJson;
  std::string device_id;               // IMEI, JT808 terminal phone number, or serial
  MessageKind kind = MessageKind::kOther;
  std::string type;                    // the vendor's message type: "0x0200", "P45", "Normal"
  std::optional<std::int64_t> sequence;  // the device's serial/index, for de-duplication
  std::vector<Record> records;
  std::optional<std::string> command_response;  // text answer to a platform command
  std::vector<std::string> warnings;   // things accepted but worth telling an integrator
};

}  // namespace cordon::supervision::protocols
