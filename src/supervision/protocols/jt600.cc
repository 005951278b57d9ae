// Jointech JT600 trackers and JT701/JT709 container e-locks over TCP.
// Binary frames: '$', BCD device id (5), [protocol version (1), long format only], data type
// (high nibble), u16 length, records, u8 index; total = length + 10. The long format (device
// ids whose first digit is 7 or more) is the e-lock's, with the status word of the JT701.
// Text frames: "(id,TYPE,field,...)".
#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "supervision/protocols/framing.h"
#include "supervision/protocols/wire.h"

namespace cordon::supervision::protocols::detail {
namespace {

constexpr std::size_t kMaxFrame = 1024;
constexpr std::string_view kStarts = "$(";
constexpr double kKnot = 1.852;

int bcd_value(ByteView bytes, int digits) {
  int v = 0;
  for (int i = 0; i < digits; ++i) {
    std::uint8_t b = bytes[static_cast<std::size_t>(i / 2)];
    int nibble = (i % 2 == 0) ? b >> 4 : b & 0x0f;
    v = v * 10 + (nibble > 9 ? 9 : nibble);
  }
  return v;
}

// dddmm.mmmm packed as an integer of degrees*1e6 + minutes*1e4.
double degrees_minutes(int raw) { return raw / 1000000 + (raw % 1000000) / 10000.0 / 60.0; }

void read_location(ByteReader& r, Record& rec, std::vector<std::string>& warnings) {
  auto t = r.take(6);
  auto lat_bytes = r.take(4);
  auto lon_bytes = r.take(5);
  std::uint8_t speed = r.u8();
  std::uint8_t course = r.u8();
  if (!r.ok()) return;
  if (!bcd_digits(t) || !bcd_digits(lat_bytes)) warnings.push_back("non-BCD digits in time or latitude");
  rec.time = utc_seconds(2000 + bcd_value(t.subspan(2), 2), bcd_value(t.subspan(1), 2), bcd_value(t, 2),
                         bcd_value(t.subspan(3), 2), bcd_value(t.subspan(4), 2), bcd_value(t.subspan(5), 2));
  Position p;
  double lat = degrees_minutes(bcd_value(lat_bytes, 8));
  double lon = degrees_minutes(bcd_value(lon_bytes, 9));
  std::uint8_t flags = lon_bytes[4] & 0x0f;
  p.valid = (flags & 0x1) != 0;
  p.latitude = (flags & 0x2) ? lat : -lat;
  p.longitude = (flags & 0x4) ? lon : -lon;
  // Two BCD digits of knots, as Jointech's documents and Traccar read them.
  p.speed_kmh = bcd_value(ByteView(&speed, 1), 2) * kKnot;
  p.course_deg = course * 2.0;
  rec.position = p;
}

// The JT701 status word, with Jointech's meanings (vectors.md, JT600/JT701 §2).
bool apply_elock_status(Record& rec, std::uint16_t status) {
  auto bit = [&](int n) { return (status >> n) & 1; };
  rec.io["status"] = static_cast<std::int64_t>(status);
  rec.io["lbs_fix"] = bit(0) != 0;
  if (bit(1)) add_event(rec, Event::kGeofenceEnter);
  if (bit(2)) add_event(rec, Event::kGeofenceExit);
  // Bit 3 is the steel cable cut on an e-lock (the JT600 vehicle tracker uses it for power cut).
  rec.seal.cable_cut = bit(3) != 0;
  if (bit(3)) add_event(rec, Event::kCableCut);
  rec.seal.body_tampered = bit(4) != 0;
  if (bit(4)) add_event(rec, Event::kBodyTampered);
  rec.seal.cable_inserted = bit(6) != 0;
  rec.seal.locked = bit(7) != 0;
  if (bit(8)) add_event(rec, Event::kUnlockAlarm);
  if (bit(9)) add_event(rec, Event::kWrongPassword);
  if (bit(10)) add_event(rec, Event::kIllegalCard);
  if (bit(11)) add_event(rec, Event::kLowBattery);
  if (bit(12)) add_event(rec, Event::kBackCoverOpened);
  // Bit 13 is a state: 1 = back cover closed.
  rec.seal.back_cover_open = bit(13) == 0;
  if (bit(14)) add_event(rec, Event::kDeviceFault);
  return bit(5) != 0;  // the device wants an acknowledgement
}

std::string strip_zeros(std::string digits) {
  std::size_t first = digits.find_first_not_of('0');
  if (first == std::string::npos) return "0";
  return digits.substr(first);
}

std::vector<std::string_view> split(std::string_view text, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    std::size_t end = text.find(sep, start);
    out.push_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

std::optional<double> to_double(std::string_view s) {
  double v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<std::int64_t> to_int(std::string_view s) {
  std::int64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

// "ddmmyy" + "hhmmss"
std::optional<std::int64_t> text_time(std::string_view date, std::string_view time) {
  auto d = to_int(date), t = to_int(time);
  if (!d || !t || date.size() != 6 || time.size() != 6) return std::nullopt;
  return utc_seconds(2000 + static_cast<int>(*d % 100), static_cast<int>(*d / 100 % 100), static_cast<int>(*d / 10000),
                     static_cast<int>(*t / 10000), static_cast<int>(*t / 100 % 100), static_cast<int>(*t % 100));
}

// Decimal degrees with a hemisphere letter ("22.549770","N").
std::optional<double> hemisphere(std::string_view value, std::string_view letter) {
  auto v = to_double(value);
  if (!v) return std::nullopt;
  return (letter == "S" || letter == "W") ? -*v : *v;
}

// NMEA ddmm.mmmm / dddmm.mmmm with a hemisphere letter.
std::optional<double> nmea(std::string_view value, std::string_view letter) {
  auto v = to_double(value);
  if (!v) return std::nullopt;
  double degrees = std::floor(*v / 100);
  double result = degrees + (*v - degrees * 100) / 60;
  return (letter == "S" || letter == "W") ? -result : result;
}

Bytes text_bytes(std::string_view s) { return Bytes(s.begin(), s.end()); }

class Jt600Session final : public ProtocolSession {
 public:
  Protocol protocol() const override { return Protocol::kJt600; }
  std::size_t max_frame() const override { return kMaxFrame; }

  Scan scan(ByteView b) override {
    if (b.empty()) return {};
    if (b[0] == '$') {
      if (b.size() < 10) return {};
      bool long_format = (b[1] >> 4) >= 7;
      std::size_t at = long_format ? 8 : 7;
      std::size_t total = (std::size_t{b[at]} << 8 | b[at + 1]) + 10;
      if (total > kMaxFrame) return skip_to_next(b, kStarts, "frame_too_long", fmt::format("length {} exceeds the maximum", total));
      if (b.size() < total) return {};
      return {Scan::Status::kFrame, total, {}, {}};
    }
    if (b[0] == '(') {
      for (std::size_t i = 1; i < b.size(); ++i) {
        if (b[i] == ')') return {Scan::Status::kFrame, i + 1, {}, {}};
        if (b[i] == '(' || b[i] == '$') return {Scan::Status::kSkip, i, "unterminated_text", "a text frame without ')'"};
      }
      return {};
    }
    // Devices and operators' test tools end text frames with CR LF; that is not an error.
    if (b[0] == '\r' || b[0] == '\n') {
      std::size_t n = 0;
      while (n < b.size() && (b[n] == '\r' || b[n] == '\n')) ++n;
      return {Scan::Status::kIgnore, n, {}, {}};
    }
    return skip_to_next(b, kStarts, "bad_frame_start", "a frame starts with '$' or '('");
  }

  FrameResult decode(ByteView frame) override {
    if (frame[0] == '$') return decode_binary(frame);
    return decode_text(frame);
  }

 private:
  FrameResult decode_binary(ByteView frame) {
    ByteReader r(frame.subspan(1, frame.size() - 2));  // without '$' and the index byte
    std::uint8_t index = frame.back();
    bool long_format = (frame[1] >> 4) >= 7;
    auto id = bcd_digits(r.take(5));
    if (!id) return std::unexpected(frame_error("bad_device_id", "the device id is not BCD", frame));
    int protocol_version = long_format ? r.u8() : 0;
    int data_type = r.u8() >> 4;
    r.u16();  // length, already used by scan()
    device_id = strip_zeros(*id);

    Decoded d;
    d.message.protocol = Protocol::kJt600;
    d.message.device_id = device_id;
    d.message.type = long_format ? fmt::format("binary-0x{:02x}", protocol_version) : fmt::format("binary-v{}", data_type);
    d.message.sequence = index;
    d.message.kind = MessageKind::kPosition;
    bool ack = false;
    while (r.remaining() > 0) {
      Record rec;
      read_location(r, rec, d.message.warnings);
      if (long_format) {
        rec.sensors.odometer_m = r.u32() * 1000.0;
        if (rec.position) rec.position->satellites = r.u8(); else r.u8();
        rec.io["vehicle_id"] = static_cast<std::int64_t>(r.u32());
        std::uint16_t status = r.u16();
        ack = apply_elock_status(rec, status) || ack;
        std::uint8_t battery = r.u8();
        if (battery == 0xff) {
          rec.sensors.charging = true;
        } else {
          rec.sensors.battery_percent = battery;
          rec.sensors.charging = false;
        }
        CellTower cell;
        cell.cell_id = r.u16();
        cell.lac = r.u16();
        cell.signal = r.u8();
        rec.sensors.gsm_signal = cell.signal;
        if (protocol_version == 0x17 || protocol_version == 0x19) {
          rec.io["geofence_id"] = static_cast<std::int64_t>(r.u8());
          auto rest = r.take(r.remaining());
          // Protocol 0x19 ends the record with the serving network: u16 MCC, u8 MNC.
          if (protocol_version == 0x19 && rest.size() >= 3) {
            cell.mcc = rest[rest.size() - 3] << 8 | rest[rest.size() - 2];
            cell.mnc = rest[rest.size() - 1];
            rest = rest.first(rest.size() - 3);
          }
          if (!rest.empty()) rec.io["extension"] = to_hex(rest);
        }
        rec.cell = cell;
      } else if (data_type == 1) {
        if (rec.position) rec.position->satellites = r.u8(); else r.u8();
        rec.io["power"] = static_cast<std::int64_t>(r.u8());
        rec.io["flags"] = static_cast<std::int64_t>(r.u8());
        if (rec.position) rec.position->altitude_m = r.u16(); else r.u16();
        CellTower cell;
        cell.cell_id = r.u16();
        cell.lac = r.u16();
        cell.signal = r.u8();
        rec.sensors.gsm_signal = cell.signal;
        if (cell.cell_id != 0 && cell.lac != 0) rec.cell = cell;
      } else if (data_type == 2 || data_type == 3) {
        rec.io["sensor_data"] = to_hex(r.take(10));
      } else {
        return std::unexpected(frame_error("unknown_message_type",
                                           fmt::format("JT600 binary data type {} is not supported", data_type), frame));
      }
      if (!r.ok()) return std::unexpected(frame_error("truncated_record", "a record ends before its last field", frame));
      if (!rec.events.empty()) d.message.kind = MessageKind::kAlarm;
      d.message.records.push_back(std::move(rec));
    }
    if (ack) {
      d.reply = text_bytes(protocol_version < 0x19 ? std::string("(P35)") : fmt::format("(P69,0,{})", index));
    }
    return d;
  }

  FrameResult decode_text(ByteView frame) {
    std::string_view text(reinterpret_cast<const char*>(frame.data()) + 1, frame.size() - 2);
    auto f = split(text, ',');
    if (f.size() < 2) return std::unexpected(frame_error("bad_text_frame", "a text frame has at least an id and a type", frame));
    device_id = std::string(f[0]);
    Decoded d;
    d.message.protocol = Protocol::kJt600;
    d.message.device_id = device_id;
    std::string_view type = f[1];
    d.message.type = std::string(type);
    Record rec;
    auto bad = [&](std::string_view what) {
      return std::unexpected(frame_error("bad_field", fmt::format("{}: {} is not valid", type, what), frame));
    };
    if (type == "W01") {
      if (f.size() < 14) return bad("field count");
      Position p;
      auto lon = nmea(f[2], f[3]), lat = nmea(f[4], f[5]);
      if (!lat || !lon) return bad("coordinates");
      p.latitude = *lat;
      p.longitude = *lon;
      p.valid = f[6] == "A";
      rec.time = text_time(f[7], f[8]);
      p.speed_kmh = to_double(f[9]);
      p.course_deg = to_double(f[10]);
      rec.position = p;
      if (auto v = to_int(f[11])) rec.io["power"] = *v;
      if (auto v = to_int(f[12])) rec.io["gps_signal"] = *v;
      if (auto v = to_int(f[13])) rec.sensors.gsm_signal = static_cast<int>(*v);
      if (f.size() > 14) {
        if (auto v = to_int(f[14])) rec.io["alert_type"] = *v;
      }
      d.message.kind = MessageKind::kPosition;
    } else if (type.size() == 3 && type[0] == 'U') {
      // U01..U06: an optional alarm number precedes the date.
      std::size_t i = 2;
      if (f.size() > i && f[i].size() != 6) {
        if (auto v = to_int(f[i])) rec.io["alarm"] = *v;
        ++i;
      }
      if (f.size() < i + 17) return bad("field count");
      rec.time = text_time(f[i], f[i + 1]);
      Position p;
      p.valid = f[i + 2] == "T";
      auto lat = hemisphere(f[i + 3], f[i + 4]), lon = hemisphere(f[i + 5], f[i + 6]);
      if (!lat || !lon) return bad("coordinates");
      p.latitude = *lat;
      p.longitude = *lon;
      if (auto v = to_double(f[i + 7])) p.speed_kmh = *v * 1.609344;  // mph
      p.course_deg = to_double(f[i + 8]);
      if (auto v = to_int(f[i + 9])) p.satellites = static_cast<int>(*v);
      rec.position = p;
      std::string_view battery = f[i + 10];
      if (!battery.empty() && battery.back() == '%') battery.remove_suffix(1);
      if (auto v = to_double(battery)) rec.sensors.battery_percent = *v;
      rec.io["status_bits"] = std::string(f[i + 11]);
      CellTower cell;
      cell.cell_id = to_int(f[i + 12]).value_or(0);
      cell.lac = to_int(f[i + 13]).value_or(0);
      cell.signal = to_int(f[i + 14]).transform([](std::int64_t v) { return static_cast<int>(v); });
      rec.cell = cell;
      if (auto v = to_double(f[i + 15])) rec.sensors.odometer_m = *v * 1000;
      d.message.sequence = to_int(f[i + 16]);
      d.message.kind = MessageKind::kPosition;
      if (type == "U01" || type == "U02" || type == "U03") d.reply = text_bytes("(S39)");
      if (type == "U06") d.reply = text_bytes("(S20)");
    } else if (type == "P45") {
      // The e-lock's unlock report: who or what opened it, and whether it was allowed.
      if (f.size() < 17) return bad("field count");
      rec.time = text_time(f[2], f[3]);
      Position p;
      auto lat = hemisphere(f[4], f[5]), lon = hemisphere(f[6], f[7]);
      if (!lat || !lon) return bad("coordinates");
      p.latitude = *lat;
      p.longitude = *lon;
      p.valid = f[8] == "A";
      if (auto v = to_double(f[9])) p.speed_kmh = *v * 1.609344;
      p.course_deg = to_double(f[10]);
      rec.position = p;
      if (auto v = to_int(f[11])) rec.io["event_source"] = *v;
      if (auto v = to_int(f[12])) rec.io["unlock_verification"] = *v;
      if (f[13] != "0000000000") rec.io["rfid"] = std::string(f[13]);
      if (auto v = to_int(f[14])) rec.io["password_verification"] = *v;
      if (auto v = to_int(f[15])) rec.io["wrong_password_count"] = *v;
      auto index = to_int(f[16]);
      if (!index) return bad("index");
      d.message.sequence = index;
      rec.seal.locked = false;
      add_event(rec, Event::kLockOpened);
      d.message.kind = MessageKind::kAlarm;
      d.reply = text_bytes(fmt::format("(P69,0,{})", *index));
    } else if (!type.empty() && (type[0] == 'S' || type[0] == 'P')) {
      // The device's answer to a command the platform sent ("(id,S07,1)").
      d.message.kind = MessageKind::kCommandAck;
      d.message.command_response = std::string(text.substr(f[0].size() + 1));
      d.message.warnings.push_back("text frame treated as a command response");
    } else {
      return std::unexpected(frame_error("unknown_message_type",
                                         fmt::format("JT600 text type {} is not supported", quote(type)), frame));
    }
    if (rec.position || !rec.io.empty()) d.message.records.push_back(std::move(rec));
    return d;
  }

  static std::string quote(std::string_view s) {
    std::string out = "\"";
    for (char c : s.substr(0, 16)) out.push_back(c >= 0x20 && c < 0x7f ? c : '?');
    return out + "\"";
  }
};

}  // namespace

std::unique_ptr<ProtocolSession> make_jt600_session() { return std::make_unique<Jt600Session>(); }

}  // namespace cordon::supervision::protocols::detail
