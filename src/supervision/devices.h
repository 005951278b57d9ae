// Smart security devices (seed 004, chapter 4): what a device is, what it can do, and the
// lifecycle a supervision centre tracks it through.
//
// The capability table of seed 004 §4.3: passive and semi-active devices seal/unseal and keep
// data; only active devices (and containers with embedded IoT) position themselves by
// satellite, talk over cellular networks, encrypt, detect alarms, obey remote commands, take
// wireless upgrades and offer a data interface. default_capabilities() returns that row; a
// registry may override it for a particular model.
//
// Lifecycle (allowed transitions, everything else is refused with an error naming it):
//   in_stock  -> assigned | charging | faulty | lost
//   assigned  -> sealed | in_stock | faulty
//   sealed    -> in_transit | unsealed | faulty | lost
//   in_transit-> unsealed | lost | faulty
//   unsealed  -> recovered | lost | faulty
//   recovered -> charging | in_stock | faulty
//   charging  -> in_stock | faulty
//   lost      -> recovered | faulty
//   faulty    -> in_stock   (repaired)
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

namespace cordon::supervision {

enum class DeviceType : std::uint8_t { kPassive, kSemiActive, kActive, kSmartContainer };
std::string_view device_type_name(DeviceType type);  // "passive", "semi_active", "active", "smart_container"
std::optional<DeviceType> parse_device_type(std::string_view name);

// Bit flags, one per row of the seed 004 §4.3 table.
enum Capability : std::uint16_t {
  kCapSealUnseal = 1 << 0,
  kCapDataStorage = 1 << 1,
  kCapSatellitePositioning = 1 << 2,
  kCapCellular = 1 << 3,
  kCapEncryption = 1 << 4,
  kCapAlarmDetection = 1 << 5,
  kCapRemoteControl = 1 << 6,
  kCapWirelessUpgrade = 1 << 7,
  kCapDataInterface = 1 << 8,
};
using Capabilities = std::uint16_t;
Capabilities default_capabilities(DeviceType type);
std::string_view capability_name(Capability capability);  // "seal_unseal", "satellite_positioning", ...

enum class DeviceStatus : std::uint8_t {
  kInStock, kAssigned, kSealed, kInTransit, kUnsealed, kRecovered, kCharging, kLost, kFaulty,
};
std::string_view device_status_name(DeviceStatus status);  // "in_stock", "in_transit", ...

// Empty when `from -> to` is allowed; otherwise the reason, e.g.
// "device status cannot go from in_stock to in_transit (allowed: assigned, charging, faulty, lost)".
std::expected<void, std::string> check_transition(DeviceStatus from, DeviceStatus to);

struct Device {
  std::string id;              // as the protocol reports it (IMEI, JT808 phone, eSeal serial)
  DeviceType type = DeviceType::kActive;
  Capabilities capabilities = default_capabilities(DeviceType::kActive);
  std::string model;
  std::string firmware;
  std::string home_station;    // where it returns to be charged and reissued
  std::string station;         // where it is now, while not on a journey (empty while travelling)
  std::uint64_t transfer = 0;  // the transfer carrying it between stations (engine.h), 0 when none
  DeviceStatus status = DeviceStatus::kInStock;
  std::optional<double> battery_percent;  // last reported
  std::optional<double> battery_voltage;
  std::optional<std::int64_t> last_contact;  // receive time of the last message, UTC seconds
  std::optional<std::int64_t> status_since;
};

}  // namespace cordon::supervision
