// Concox GT06 family over TCP.
// Frame: 0x7878, u8 length, protocol number, content, u16 serial, u16 CRC-ITU, 0x0D0A; or
// 0x7979 with a u16 length. The length counts protocol number .. CRC; the CRC covers
// length .. serial.
#include <fmt/format.h>

#include "supervision/protocols/framing.h"
#include "supervision/protocols/frames.h"
#include "supervision/protocols/wire.h"

namespace cordon::supervision::protocols::detail {
namespace {

constexpr std::size_t kMaxFrame = 2048;
constexpr std::string_view kStarts = "xy";  // 0x78, 0x79

enum : std::uint8_t {
  kLogin = 0x01,
  kGps = 0x10,
  kLbs = 0x11,
  kGpsLbs = 0x12,
  kStatus = 0x13,
  kStringInfo = 0x15,
  kGpsLbsStatus = 0x16,
  kGpsLbsPhone = 0x1A,
  kCommandResponse = 0x21,
  kGps2 = 0x22,
  kHeartbeat = 0x23,
  kAlarm = 0x26,
  kAlarm2 = 0x27,
  kTimeRequest = 0x8A,
  kInfoTransfer = 0x94,
};

bool needs_reply(std::uint8_t type) {
  switch (type) {
    case kLogin: case kStatus: case kGpsLbsStatus: case kHeartbeat: case kAlarm: case kAlarm2: return true;
    default: return false;
  }
}

// date (6) + GPS block (1 + 4 + 4 + 1 + 2)
void read_gps(ByteReader& r, Record& rec) {
  int yy = r.u8(), mo = r.u8(), dd = r.u8(), hh = r.u8(), mi = r.u8(), ss = r.u8();
  rec.time = utc_seconds(2000 + yy, mo, dd, hh, mi, ss);
  std::uint8_t info = r.u8();
  Position p;
  p.satellites = info & 0x0f;
  double lat = r.u32() / 1800000.0;
  double lon = r.u32() / 1800000.0;
  p.speed_kmh = r.u8();
  std::uint16_t flags = r.u16();
  p.course_deg = flags & 0x03ff;
  p.valid = (flags & 0x1000) != 0;
  p.latitude = (flags & 0x0400) ? lat : -lat;
  p.longitude = (flags & 0x0800) ? -lon : lon;
  rec.position = p;
}

void read_lbs(ByteReader& r, Record& rec, bool with_length) {
  if (with_length && r.u8() == 0) return;
  CellTower cell;
  int mcc = r.u16();
  // Newer firmware sets the MCC's top bit to announce a two-byte MNC.
  if (mcc & 0x8000) {
    cell.mcc = mcc & 0x7fff;
    cell.mnc = r.u16();
  } else {
    cell.mcc = mcc;
    cell.mnc = r.u8();
  }
  cell.lac = r.u16();
  cell.cell_id = r.u24();
  rec.cell = cell;
}

void apply_terminal_info(Record& rec, std::uint8_t info) {
  rec.io["terminal_info"] = static_cast<std::int64_t>(info);
  rec.io["armed"] = (info & 0x01) != 0;
  rec.sensors.ignition = (info & 0x02) != 0;
  rec.sensors.external_power = (info & 0x04) != 0;
  switch ((info >> 3) & 0x07) {
    case 1: add_event(rec, Event::kVibration); break;
    case 2: add_event(rec, Event::kPowerCut); break;
    case 3: add_event(rec, Event::kLowBattery); break;
    case 4: add_event(rec, Event::kSos); break;
    default: break;
  }
  rec.io["relay_cut"] = (info & 0x80) != 0;
}

void apply_voltage_and_signal(Record& rec, std::uint8_t voltage_level, std::uint8_t gsm) {
  // Voltage is a 0..6 scale (0 = no power, 2 = low-battery alarm threshold, 6 = full).
  rec.io["voltage_level"] = static_cast<std::int64_t>(voltage_level);
  if (voltage_level <= 6) rec.sensors.battery_percent = voltage_level * 100.0 / 6.0;
  rec.sensors.gsm_signal = gsm;  // 0..4 bars
}

void apply_alarm_code(Record& rec, std::uint8_t code) {
  if (code == 0) return;
  rec.io["alarm_code"] = static_cast<std::int64_t>(code);
  switch (code) {
    case 0x01: add_event(rec, Event::kSos); break;
    case 0x02: add_event(rec, Event::kPowerCut); break;
    case 0x03: add_event(rec, Event::kVibration); break;
    case 0x04: add_event(rec, Event::kGeofenceEnter); break;
    case 0x05: add_event(rec, Event::kGeofenceExit); break;
    case 0x06: add_event(rec, Event::kOverspeed); break;
    case 0x09: add_event(rec, Event::kIllegalDisplacement); break;
    case 0x0E: case 0x0F: case 0x19: add_event(rec, Event::kLowBattery); break;
    case 0x13: add_event(rec, Event::kBodyTampered); break;  // "dismantle": the unit was removed
    default: break;
  }
}

class Gt06Session final : public ProtocolSession {
 public:
  Protocol protocol() const override { return Protocol::kGt06; }
  std::size_t max_frame() const override { return kMaxFrame; }

  Scan scan(ByteView b) override {
    if (b.size() < 2) return b.empty() || b[0] == 0x78 || b[0] == 0x79 ? Scan{} : skip_to_next(b, kStarts, "bad_frame_start", "a frame starts with 0x7878 or 0x7979");
    bool extended = b[0] == 0x79 && b[1] == 0x79;
    if (!extended && !(b[0] == 0x78 && b[1] == 0x78)) {
      return skip_to_next(b, kStarts, "bad_frame_start", "a frame starts with 0x7878 or 0x7979");
    }
    std::size_t header = extended ? 4 : 3;
    if (b.size() < header) return {};
    std::size_t length = extended ? (std::size_t{b[2]} << 8 | b[3]) : b[2];
    if (length < 5) return skip_to_next(b, kStarts, "bad_length", fmt::format("length {} is below the minimum 5", length));
    std::size_t total = header + length + 2;
    if (total > kMaxFrame) return skip_to_next(b, kStarts, "frame_too_long", fmt::format("length {} exceeds the maximum", length));
    if (b.size() < total) return {};
    if (b[total - 2] != 0x0d || b[total - 1] != 0x0a) {
      return skip_to_next(b, kStarts, "bad_stop_bits", "the frame does not end with 0x0D0A at its stated length");
    }
    return {Scan::Status::kFrame, total, {}, {}};
  }

  FrameResult decode(ByteView frame) override {
    bool extended = frame[0] == 0x79;
    std::size_t header = extended ? 4 : 3;
    auto covered = frame.subspan(2, frame.size() - 6);
    std::uint16_t crc_sent = static_cast<std::uint16_t>(frame[frame.size() - 4] << 8 | frame[frame.size() - 3]);
    std::uint16_t crc = crc16_itu(covered);
    // Cordon refuses a frame whose CRC does not verify: it sends no reply, so the device sends
    // the frame again, and a corrupted position never reaches the alarm detectors.
    if (crc != crc_sent) {
      return std::unexpected(frame_error(
          "crc_mismatch", fmt::format("CRC 0x{:04x} in the frame, 0x{:04x} computed (CRC-ITU)", crc_sent, crc), frame));
    }
    std::uint8_t type = frame[header];
    auto content = frame.subspan(header + 1, frame.size() - header - 1 - 6);
    std::uint16_t serial = static_cast<std::uint16_t>(frame[frame.size() - 6] << 8 | frame[frame.size() - 5]);

    Decoded d;
    d.message.protocol = Protocol::kGt06;
    d.message.type = fmt::format("0x{:02x}", type);
    d.message.sequence = serial;
    ByteReader r(content);
    Record rec;
    switch (type) {
      case kLogin: {
        auto digits = bcd_digits(r.take(8));
        if (!digits) return std::unexpected(frame_error("bad_imei", "the login IMEI is not BCD", frame));
        std::string id = *digits;
        while (id.size() > 15 && id.front() == '0') id.erase(id.begin());
        device_id = id;
        d.message.kind = MessageKind::kLogin;
        break;
      }
      case kGps: case kGpsLbs: case kGps2: case kGpsLbsPhone:
        read_gps(r, rec);
        if (type != kGps) read_lbs(r, rec, false);
        if (type == kGps2 && r.remaining() >= 3) {
          rec.sensors.ignition = r.u8() != 0;
          rec.io["upload_mode"] = static_cast<std::int64_t>(r.u8());
          rec.io["reupload"] = r.u8() != 0;
          if (r.remaining() >= 4) rec.sensors.odometer_m = r.u32();
        }
        d.message.kind = MessageKind::kPosition;
        break;
      case kLbs:
        rec.time = std::nullopt;
        r.skip(6);  // date
        read_lbs(r, rec, false);
        d.message.kind = MessageKind::kPosition;
        break;
      case kStatus: case kHeartbeat: {
        apply_terminal_info(rec, r.u8());
        std::uint8_t voltage = r.u8();
        apply_voltage_and_signal(rec, voltage, r.u8());
        d.message.kind = rec.events.empty() ? MessageKind::kHeartbeat : MessageKind::kAlarm;
        break;
      }
      case kGpsLbsStatus: case kAlarm: case kAlarm2: {
        read_gps(r, rec);
        read_lbs(r, rec, true);
        apply_terminal_info(rec, r.u8());
        std::uint8_t voltage = r.u8();
        apply_voltage_and_signal(rec, voltage, r.u8());
        apply_alarm_code(rec, r.u8());
        d.message.kind = rec.events.empty() ? MessageKind::kPosition : MessageKind::kAlarm;
        break;
      }
      case kStringInfo: {
        std::size_t length = r.u8();
        r.u32();  // server flag, echoed from the command
        auto text = r.take(length >= 4 ? length - 4 : 0);
        d.message.kind = MessageKind::kCommandAck;
        d.message.command_response = std::string(text.begin(), text.end());
        break;
      }
      case kCommandResponse: {
        r.u32();  // server flag
        r.u8();   // encoding: 1 ASCII, 2 UTF-16
        auto text = r.take(r.remaining());
        d.message.kind = MessageKind::kCommandAck;
        d.message.command_response = std::string(text.begin(), text.end());
        break;
      }
      case kTimeRequest: case kInfoTransfer:
        d.message.kind = MessageKind::kOther;
        if (type == kTimeRequest) {
          d.message.warnings.push_back("time request (0x8a): the server answers with its clock; this decoder has none");
        }
        break;
      default:
        return std::unexpected(frame_error("unknown_message_type",
                                           fmt::format("GT06 protocol number 0x{:02x} is not supported", type), frame));
    }
    if (!r.ok()) {
      return std::unexpected(frame_error("truncated_content",
                                         fmt::format("protocol 0x{:02x} content ends before its last field", type), frame));
    }
    d.message.device_id = device_id;
    if (device_id.empty()) d.message.warnings.push_back("data before the login: the device is not identified");
    if (d.message.kind != MessageKind::kLogin && d.message.kind != MessageKind::kCommandAck &&
        d.message.kind != MessageKind::kOther) {
      d.message.records.push_back(std::move(rec));
    }
    if (needs_reply(type)) d.reply = gt06_frame(type, {}, serial);
    return d;
  }
};

}  // namespace

Bytes gt06_frame(std::uint8_t type, ByteView content, std::uint16_t serial) {
  Bytes body;
  bool extended = content.size() + 5 > 0xff;
  std::size_t length = content.size() + 5;
  if (extended) {
    body = {0x79, 0x79, static_cast<std::uint8_t>(length >> 8), static_cast<std::uint8_t>(length)};
  } else {
    body = {0x78, 0x78, static_cast<std::uint8_t>(length)};
  }
  body.push_back(type);
  body.insert(body.end(), content.begin(), content.end());
  body.push_back(static_cast<std::uint8_t>(serial >> 8));
  body.push_back(static_cast<std::uint8_t>(serial));
  std::uint16_t crc = crc16_itu(ByteView(body).subspan(2));
  body.push_back(static_cast<std::uint8_t>(crc >> 8));
  body.push_back(static_cast<std::uint8_t>(crc));
  body.push_back(0x0d);
  body.push_back(0x0a);
  return body;
}

std::unique_ptr<ProtocolSession> make_gt06_session() { return std::make_unique<Gt06Session>(); }

}  // namespace cordon::supervision::protocols::detail
