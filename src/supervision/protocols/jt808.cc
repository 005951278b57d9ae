// JT/T 808 (2011, 2013 and 2019 headers) over TCP, with the Jointech e-lock additional items.
// Frame: 0x7E, escaped(header, body, XOR check code), 0x7E.
// Header: u16 message id, u16 properties (bits 0-9 body length, 13 split packet, 14 the 2019
// layout), BCD terminal phone (6 bytes; 10 in 2019, after a protocol-version byte), u16 serial,
// and for split packets u16 total + u16 index.
#include <fmt/format.h>

#include "supervision/protocols/frames.h"
#include "supervision/protocols/framing.h"
#include "supervision/protocols/wire.h"

namespace cordon::supervision::protocols::detail {
namespace {

constexpr std::size_t kMaxFrame = 4096;  // 1023 body bytes, header, all escaped twice over
constexpr std::string_view kStart = "~";  // 0x7E

enum : std::uint16_t {
  kTerminalResponse = 0x0001,
  kHeartbeat = 0x0002,
  kLogout = 0x0003,
  kRegister = 0x0100,
  kAuthenticate = 0x0102,
  kParametersResponse = 0x0104,
  kLocation = 0x0200,
  kLocationQueryResponse = 0x0201,
  kVehicleControlResponse = 0x0500,
  kLocationBatch = 0x0704,
  kTransparent = 0x0900,
  kPlatformResponse = 0x8001,
  kRegisterResponse = 0x8100,
};

std::string printable_or_hex(ByteView bytes) {
  std::string text;
  for (std::uint8_t c : bytes) {
    if (c == 0) break;
    if (c < 0x20 || c > 0x7e) return "hex:" + to_hex(bytes);
    text.push_back(static_cast<char>(c));
  }
  return text;
}

// JT/T 808-2013 table 24 (alarm flag), normalised where Cordon has a meaning for the bit.
void apply_alarm_bits(Record& rec, std::uint32_t alarm) {
  struct Bit {
    int bit;
    Event event;
  };
  static constexpr Bit kBits[] = {
      {0, Event::kSos},          {1, Event::kOverspeed},         {4, Event::kDeviceFault},
      {5, Event::kGnssAntennaFault}, {6, Event::kGnssAntennaFault}, {7, Event::kLowBattery},
      {8, Event::kPowerCut},     {19, Event::kOvertimeParking},  {23, Event::kRouteDeviation},
      {25, Event::kFuelAbnormal}, {26, Event::kVehicleStolen},   {28, Event::kIllegalDisplacement},
      {29, Event::kCrash},       {31, Event::kDoorOpened},
  };
  for (const auto& b : kBits) {
    if (alarm & (std::uint32_t{1} << b.bit)) add_event(rec, b.event);
  }
  // Bits 20 (area), 21 (route) and 22 (road-segment time) say something happened, not what;
  // the direction comes in additional item 0x12 (handled below). They stay in io "alarm".
}

void decode_additional(Record& rec, std::uint8_t id, ByteView value, std::vector<std::string>& warnings) {
  ByteReader r(value);
  auto& s = rec.sensors;
  switch (id) {
    case 0x01: s.odometer_m = r.u32() * 100.0; break;  // 1/10 km
    case 0x02: s.fuel_level = r.u16() / 10.0; break;   // 1/10 L
    case 0x03: rec.io["tachograph_speed_kmh"] = r.u16() / 10.0; break;
    case 0x12: {
      // In/out of area or route: u8 position type (1 circle, 2 rectangle, 3 polygon, 4 route),
      // u32 area id, u8 direction (0 in, 1 out).
      int type = r.u8();
      std::int64_t area = r.u32();
      int direction = r.u8();
      rec.io["area_type"] = static_cast<std::int64_t>(type);
      rec.io["area_id"] = area;
      if (r.ok()) add_event(rec, direction == 0 ? Event::kGeofenceEnter : Event::kGeofenceExit);
      break;
    }
    case 0x25: rec.io["signal_status"] = static_cast<std::int64_t>(r.u32()); break;
    case 0x2A: rec.io["io_status"] = static_cast<std::int64_t>(r.u16()); break;
    case 0x30: s.gsm_signal = r.u8(); break;
    case 0x31:
      if (rec.position) rec.position->satellites = r.u8();
      break;
    // Jointech extensions (JT709A and other e-locks).
    case 0xD4: s.battery_percent = r.u8(); break;
    case 0xD5:
      if (value.size() == 2) s.battery_voltage = r.u16() / 100.0;
      else rec.io["xd5"] = to_hex(value);
      break;
    case 0xFE:
      // Older firmware sends the battery level in one byte; the JT709A sends the odometer.
      if (value.size() == 1) s.battery_percent = r.u8();
      else if (value.size() == 4) s.odometer_m = r.u32();
      else rec.io["xfe"] = to_hex(value);
      break;
    case 0x0B:
      // Lock event: u8 lock command, u32 lock (RFID) card number, u8 unlock result.
      if (value.size() == 6) {
        rec.io["lock_command"] = static_cast<std::int64_t>(r.u8());
        rec.io["lock_card"] = static_cast<std::int64_t>(r.u32());
        rec.io["unlock_result"] = static_cast<std::int64_t>(r.u8());
      } else {
        rec.io["x0b"] = to_hex(value);
      }
      break;
    case 0xFD:
      // Serving cell as the JT709A sends it: u16 MCC, u16 MNC, u32 cell id, u16 LAC. The layout
      // is inferred from captures (the MCC matches the position's country); the raw bytes are
      // kept too.
      rec.io["xfd"] = to_hex(value);
      if (value.size() == 10) {
        CellTower cell;
        cell.mcc = r.u16();
        cell.mnc = r.u16();
        cell.cell_id = r.u32();
        cell.lac = r.u16();
        rec.cell = cell;
      }
      break;
    default: rec.io[fmt::format("x{:02x}", id)] = to_hex(value); break;
  }
  if (!r.ok()) warnings.push_back(fmt::format("additional item 0x{:02x} shorter than its type", id));
}

std::optional<Record> decode_location(ByteReader& r, std::vector<std::string>& warnings) {
  Record rec;
  std::uint32_t alarm = r.u32();
  std::uint32_t status = r.u32();
  double lat = r.u32() / 1e6;
  double lon = r.u32() / 1e6;
  Position p;
  p.altitude_m = r.u16();
  p.speed_kmh = r.u16() / 10.0;
  p.course_deg = r.u16();
  auto time = bcd_digits(r.take(6));
  if (!r.ok()) return std::nullopt;
  p.valid = (status & 0x02) != 0;
  p.latitude = (status & 0x04) ? -lat : lat;
  p.longitude = (status & 0x08) ? -lon : lon;
  rec.position = p;
  rec.io["alarm"] = static_cast<std::int64_t>(alarm);
  rec.io["status"] = static_cast<std::int64_t>(status);
  rec.sensors.ignition = (status & 0x01) != 0;
  rec.io["door_locked"] = (status & (1u << 12)) != 0;  // vehicle doors, not the e-lock
  if (time) {
    const std::string& t = *time;
    auto num = [&](int i) { return (t[i] - '0') * 10 + (t[i + 1] - '0'); };
    // The standard's time is Beijing time (GMT+8).
    auto local = utc_seconds(2000 + num(0), num(2), num(4), num(6), num(8), num(10));
    if (local) rec.time = *local - 8 * 3600;
  }
  if (!rec.time) warnings.push_back("the location time is not a valid BCD date");
  apply_alarm_bits(rec, alarm);
  while (r.remaining() >= 2) {
    std::uint8_t id = r.u8();
    std::uint8_t length = r.u8();
    if (length > r.remaining()) {
      warnings.push_back(fmt::format("additional item 0x{:02x} claims {} bytes, {} remain", id, length, r.remaining()));
      break;
    }
    decode_additional(rec, id, r.take(length), warnings);
  }
  return rec;
}

class Jt808Session final : public ProtocolSession {
 public:
  Protocol protocol() const override { return Protocol::kJt808; }
  std::size_t max_frame() const override { return kMaxFrame; }

  Scan scan(ByteView b) override {
    if (b.empty()) return {};
    if (b[0] != 0x7e) return skip_to_next(b, kStart, "bad_frame_start", "a frame starts with 0x7E");
    if (b.size() >= 2 && b[1] == 0x7e) {
      // Two flags in a row: the first closes a frame we never saw the start of.
      return {Scan::Status::kSkip, 1, "empty_frame", "0x7E 0x7E: an empty frame"};
    }
    for (std::size_t i = 1; i < b.size(); ++i) {
      if (b[i] == 0x7e) return {Scan::Status::kFrame, i + 1, {}, {}};
    }
    return {};
  }

  FrameResult decode(ByteView frame) override {
    auto unescaped = jt808_unescape(frame.subspan(1, frame.size() - 2));
    if (!unescaped) {
      return std::unexpected(frame_error("bad_escape", "0x7D must be followed by 0x01 or 0x02", frame));
    }
    ByteView data(*unescaped);
    if (data.size() < 13) {
      return std::unexpected(frame_error("too_short", fmt::format("{} bytes cannot hold a header and check code", data.size()), frame));
    }
    std::uint8_t check = xor_checksum(data.first(data.size() - 1));
    if (check != data.back()) {
      return std::unexpected(frame_error(
          "checksum_mismatch", fmt::format("check code 0x{:02x} in the frame, 0x{:02x} computed", data.back(), check), frame));
    }
    ByteReader r(data.first(data.size() - 1));
    std::uint16_t id = r.u16();
    std::uint16_t props = r.u16();
    std::size_t body_length = props & 0x03ff;
    bool split = (props & 0x2000) != 0;
    bool v2019 = (props & 0x4000) != 0;
    if (v2019) r.u8();  // protocol version
    ByteView phone_bcd = r.take(v2019 ? 10 : 6);
    std::uint16_t serial = r.u16();
    if (split) r.skip(4);
    auto phone = bcd_digits(phone_bcd);
    if (!r.ok() || !phone) return std::unexpected(frame_error("bad_header", "the header is short or the phone is not BCD", frame));
    if (r.remaining() != body_length) {
      return std::unexpected(frame_error(
          "length_mismatch", fmt::format("the header announces a {}-byte body, the frame holds {}", body_length, r.remaining()),
          frame));
    }
    phone_ = Bytes(phone_bcd.begin(), phone_bcd.end());
    v2019_ = v2019;
    device_id = *phone;

    Decoded d;
    d.message.protocol = Protocol::kJt808;
    d.message.device_id = device_id;
    d.message.type = fmt::format("0x{:04x}", id);
    d.message.sequence = serial;
    auto& warnings = d.message.warnings;
    bool general_reply = true;
    if (split) warnings.push_back("split packet: only this part is decoded");

    switch (id) {
      case kTerminalResponse: {
        std::uint16_t answered_serial = r.u16();
        std::uint16_t answered_id = r.u16();
        std::uint8_t result = r.u8();
        d.message.kind = MessageKind::kCommandAck;
        d.message.command_response =
            fmt::format("0x{:04x} serial {} result {} ({})", answered_id, answered_serial, result,
                        result == 0 ? "success" : result == 1 ? "failure" : result == 2 ? "message error" : "not supported");
        general_reply = false;
        break;
      }
      case kHeartbeat: d.message.kind = MessageKind::kHeartbeat; break;
      case kLogout: d.message.kind = MessageKind::kOther; break;
      case kRegister: {
        d.message.kind = MessageKind::kRegistration;
        Record rec;
        rec.io["province"] = static_cast<std::int64_t>(r.u16());
        rec.io["city"] = static_cast<std::int64_t>(r.u16());
        rec.io["manufacturer"] = printable_or_hex(r.take(5));
        // 2013 and later: 20-byte model; 2011: 8 bytes. The body length tells them apart.
        bool long_model = r.remaining() >= 20 + 7 + 1;
        rec.io["model"] = printable_or_hex(r.take(long_model ? 20 : 8));
        rec.io["terminal_id"] = printable_or_hex(r.take(7));
        rec.io["plate_colour"] = static_cast<std::int64_t>(r.u8());
        rec.io["plate"] = printable_or_hex(r.take(r.remaining()));
        d.message.records.push_back(std::move(rec));
        general_reply = false;
        // The authentication code the device must present in 0x0102. Cordon issues the
        // terminal number itself: authentication is by TLS/APN and device registry, not by this.
        Bytes body = {static_cast<std::uint8_t>(serial >> 8), static_cast<std::uint8_t>(serial), 0x00};
        body.insert(body.end(), device_id.begin(), device_id.end());
        d.reply = reply(kRegisterResponse, body);
        break;
      }
      case kAuthenticate: {
        d.message.kind = MessageKind::kLogin;
        Record rec;
        rec.io["auth_code"] = printable_or_hex(r.take(r.remaining()));
        d.message.records.push_back(std::move(rec));
        break;
      }
      case kLocation: case kLocationQueryResponse: case kVehicleControlResponse: {
        if (id != kLocation) r.u16();  // the serial of the platform's query or command
        auto rec = decode_location(r, warnings);
        if (!rec) return std::unexpected(frame_error("truncated_location", "the location body is shorter than 28 bytes", frame));
        d.message.kind = id == kVehicleControlResponse ? MessageKind::kCommandAck
                         : rec->events.empty()         ? MessageKind::kPosition
                                                       : MessageKind::kAlarm;
        d.message.records.push_back(std::move(*rec));
        break;
      }
      case kLocationBatch: {
        int count = r.u16();
        int type = r.u8();  // 0 normal, 1 blind-area (stored while offline)
        d.message.kind = MessageKind::kPosition;
        for (int i = 0; i < count && r.ok(); ++i) {
          ByteReader item(r.take(r.u16()));
          auto rec = decode_location(item, warnings);
          if (!rec) {
            warnings.push_back(fmt::format("batch item {} truncated", i));
            continue;
          }
          rec->io["stored"] = type == 1;
          d.message.records.push_back(std::move(*rec));
        }
        break;
      }
      case kParametersResponse: case kTransparent:
        d.message.kind = id == kParametersResponse ? MessageKind::kCommandAck : MessageKind::kOther;
        break;
      default:
        return std::unexpected(frame_error("unknown_message_type",
                                           fmt::format("JT/T 808 message 0x{:04x} is not supported", id), frame));
    }
    if (!r.ok()) return std::unexpected(frame_error("truncated_body", fmt::format("message 0x{:04x} body ends early", id), frame));
    if (general_reply) {
      Bytes body = {static_cast<std::uint8_t>(serial >> 8), static_cast<std::uint8_t>(serial),
                    static_cast<std::uint8_t>(id >> 8), static_cast<std::uint8_t>(id), 0x00};
      d.reply = reply(kPlatformResponse, body);
    }
    return d;
  }

 private:
  // Replies echo the terminal's phone bytes exactly as sent (including the 2019 layout).
  Bytes reply(std::uint16_t id, ByteView body) {
    std::uint16_t serial = next_serial_++;
    Bytes raw = {static_cast<std::uint8_t>(id >> 8), static_cast<std::uint8_t>(id)};
    std::uint16_t props = static_cast<std::uint16_t>((body.size() & 0x03ff) | (v2019_ ? 0x4000 : 0));
    raw.push_back(static_cast<std::uint8_t>(props >> 8));
    raw.push_back(static_cast<std::uint8_t>(props));
    if (v2019_) raw.push_back(0x01);
    raw.insert(raw.end(), phone_.begin(), phone_.end());
    raw.push_back(static_cast<std::uint8_t>(serial >> 8));
    raw.push_back(static_cast<std::uint8_t>(serial));
    raw.insert(raw.end(), body.begin(), body.end());
    raw.push_back(xor_checksum(raw));
    Bytes out = {0x7e};
    auto escaped = jt808_escape(raw);
    out.insert(out.end(), escaped.begin(), escaped.end());
    out.push_back(0x7e);
    return out;
  }

  Bytes phone_;
  bool v2019_ = false;
  std::uint16_t next_serial_ = 0;
};

}  // namespace

Bytes jt808_frame(std::uint16_t message_id, std::string_view phone, std::uint16_t serial, ByteView body) {
  Bytes raw = {static_cast<std::uint8_t>(message_id >> 8), static_cast<std::uint8_t>(message_id)};
  std::uint16_t props = static_cast<std::uint16_t>(body.size() & 0x03ff);
  raw.push_back(static_cast<std::uint8_t>(props >> 8));
  raw.push_back(static_cast<std::uint8_t>(props));
  auto bcd = digits_to_bcd(phone, 6).value_or(Bytes(6, 0));
  raw.insert(raw.end(), bcd.begin(), bcd.end());
  raw.push_back(static_cast<std::uint8_t>(serial >> 8));
  raw.push_back(static_cast<std::uint8_t>(serial));
  raw.insert(raw.end(), body.begin(), body.end());
  raw.push_back(xor_checksum(raw));
  Bytes out = {0x7e};
  auto escaped = jt808_escape(raw);
  out.insert(out.end(), escaped.begin(), escaped.end());
  out.push_back(0x7e);
  return out;
}

std::unique_ptr<ProtocolSession> make_jt808_session() { return std::make_unique<Jt808Session>(); }

}  // namespace cordon::supervision::protocols::detail
