#include "supervision/devices.h"

#include <array>
#include <fmt/format.h>
#include <span>

namespace cordon::supervision {

std::string_view device_type_name(DeviceType type) {
  switch (type) {
    case DeviceType::kPassive: return "passive";
    case DeviceType::kSemiActive: return "semi_active";
    case DeviceType::kActive: return "active";
    case DeviceType::kSmartContainer: return "smart_container";
  }
  return "?";
}

std::optional<DeviceType> parse_device_type(std::string_view name) {
  for (DeviceType t : {DeviceType::kPassive, DeviceType::kSemiActive, DeviceType::kActive, DeviceType::kSmartContainer}) {
    if (device_type_name(t) == name) return t;
  }
  return std::nullopt;
}

Capabilities default_capabilities(DeviceType type) {
  const Capabilities basic = kCapSealUnseal | kCapDataStorage;
  switch (type) {
    case DeviceType::kPassive:
    case DeviceType::kSemiActive: return basic;
    case DeviceType::kActive:
    case DeviceType::kSmartContainer:
      return basic | kCapSatellitePositioning | kCapCellular | kCapEncryption | kCapAlarmDetection |
             kCapRemoteControl | kCapWirelessUpgrade | kCapDataInterface;
  }
  return basic;
}

std::string_view capability_name(Capability capability) {
  switch (capability) {
    case kCapSealUnseal: return "seal_unseal";
    case kCapDataStorage: return "data_storage";
    case kCapSatellitePositioning: return "satellite_positioning";
    case kCapCellular: return "cellular";
    case kCapEncryption: return "encryption";
    case kCapAlarmDetection: return "alarm_detection";
    case kCapRemoteControl: return "remote_control";
    case kCapWirelessUpgrade: return "wireless_upgrade";
    case kCapDataInterface: return "data_interface";
  }
  return "?";
}

std::string_view device_status_name(DeviceStatus status) {
  switch (status) {
    case DeviceStatus::kInStock: return "in_stock";
    case DeviceStatus::kAssigned: return "assigned";
    case DeviceStatus::kSealed: return "sealed";
    case DeviceStatus::kInTransit: return "in_transit";
    case DeviceStatus::kUnsealed: return "unsealed";
    case DeviceStatus::kRecovered: return "recovered";
    case DeviceStatus::kCharging: return "charging";
    case DeviceStatus::kLost: return "lost";
    case DeviceStatus::kFaulty: return "faulty";
  }
  return "?";
}

namespace {

using S = DeviceStatus;

std::span<const S> allowed_from(S from) {
  static constexpr std::array<S, 4> in_stock{S::kAssigned, S::kCharging, S::kFaulty, S::kLost};
  static constexpr std::array<S, 3> assigned{S::kSealed, S::kInStock, S::kFaulty};
  static constexpr std::array<S, 4> sealed{S::kInTransit, S::kUnsealed, S::kFaulty, S::kLost};
  static constexpr std::array<S, 3> in_transit{S::kUnsealed, S::kLost, S::kFaulty};
  static constexpr std::array<S, 3> unsealed{S::kRecovered, S::kLost, S::kFaulty};
  static constexpr std::array<S, 3> recovered{S::kCharging, S::kInStock, S::kFaulty};
  static constexpr std::array<S, 2> charging{S::kInStock, S::kFaulty};
  static constexpr std::array<S, 2> lost{S::kRecovered, S::kFaulty};
  static constexpr std::array<S, 1> faulty{S::kInStock};
  switch (from) {
    case S::kInStock: return in_stock;
    case S::kAssigned: return assigned;
    case S::kSealed: return sealed;
    case S::kInTransit: return in_transit;
    case S::kUnsealed: return unsealed;
    case S::kRecovered: return recovered;
    case S::kCharging: return charging;
    case S::kLost: return lost;
    case S::kFaulty: return faulty;
  }
  return {};
}

}  // namespace

std::expected<void, std::string> check_transition(DeviceStatus from, DeviceStatus to) {
  const auto allowed = allowed_from(from);
  for (S s : allowed) {
    if (s == to) return {};
  }
  std::string list;
  for (S s : allowed) {
    if (!list.empty()) list += ", ";
    list += device_status_name(s);
  }
  return std::unexpected(fmt::format("device status cannot go from {} to {} (allowed: {})", device_status_name(from),
                                     device_status_name(to), list));
}

}  // namespace cordon::supervision
