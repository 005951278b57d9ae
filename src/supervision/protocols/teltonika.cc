// Teltonika Codec 8 / 8E over TCP, and Codec 12 command responses.
// Frames: login = u16 length + IMEI (ASCII digits); data = 4 zero bytes, u32 data length,
// data (codec id, N1, N1 records, N2), u32 CRC-16/IBM of the data.
#include <fmt/format.h>

#include "supervision/protocols/framing.h"
#include "supervision/protocols/wire.h"

namespace cordon::supervision::protocols::detail {
namespace {

constexpr std::uint8_t kCodec8 = 0x08;
constexpr std::uint8_t kCodec8E = 0x8E;
constexpr std::uint8_t kCodec12 = 0x0C;
// FMB devices send at most 1280 data bytes; newer ones more with Codec 8E. 64 KiB leaves room
// without letting a bogus length hold the connection's memory.
constexpr std::size_t kMaxFrame = 65536;

// The IO elements Cordon normalises; everything is also kept raw as "io<id>".
void apply_io(Record& record, int id, std::uint64_t value) {
  auto& s = record.sensors;
  switch (id) {
    case 16: s.odometer_m = static_cast<double>(value); break;
    case 21: s.gsm_signal = static_cast<int>(value); break;
    case 66: s.external_voltage = static_cast<double>(value) / 1000.0; break;
    case 67: s.battery_voltage = static_cast<double>(value) / 1000.0; break;
    case 113: s.battery_percent = static_cast<double>(value); break;
    case 239: s.ignition = value != 0; break;
    case 240: s.moving = value != 0; break;
    case 72:
      // Dallas temperature 1 in 0.1 °C, signed; 3000 and above are the vendor's error codes.
      if (static_cast<std::int32_t>(value) < 3000) s.temperature_c = static_cast<std::int32_t>(value) / 10.0;
      break;
    case 252:
      // "Unplug": the device runs on its internal battery because external power is gone.
      s.external_power = value == 0;
      if (value != 0) add_event(record, Event::kPowerCut);
      break;
    case 246: if (value != 0) add_event(record, Event::kTowing); break;
    case 247: if (value != 0) add_event(record, Event::kCrash); break;
    case 249: if (value != 0) add_event(record, Event::kJamming); break;
    default: break;
  }
}

std::int64_t sign_extend(std::uint64_t value, int bytes) {
  if (bytes >= 8) return static_cast<std::int64_t>(value);
  std::uint64_t sign = std::uint64_t{1} << (bytes * 8 - 1);
  return static_cast<std::int64_t>((value ^ sign) - sign);
}

std::uint64_t read_width(ByteReader& r, int width) {
  switch (width) {
    case 1: return r.u8();
    case 2: return r.u16();
    case 4: return r.u32();
    default: return r.u64();
  }
}

void read_io(ByteReader& r, Record& record, bool extended) {
  auto count = [&] { return extended ? r.u16() : r.u8(); };
  auto io_id = [&] { return extended ? static_cast<int>(r.u16()) : static_cast<int>(r.u8()); };
  record.io["event_io"] = static_cast<std::int64_t>(io_id());
  count();  // total element count, redundant with the per-width counts
  for (int width : {1, 2, 4, 8}) {
    int n = count();
    for (int i = 0; i < n && r.ok(); ++i) {
      int id = io_id();
      std::uint64_t value = read_width(r, width);
      // Values are kept signed as the vendor's table defines most of them (temperatures).
      record.io[fmt::format("io{}", id)] = width == 8 ? static_cast<std::int64_t>(value) : sign_extend(value, width);
      apply_io(record, id, value);
    }
  }
  if (extended) {
    int n = r.u16();
    for (int i = 0; i < n && r.ok(); ++i) {
      int id = r.u16();
      auto bytes = r.take(r.u16());
      record.io[fmt::format("io{}", id)] = to_hex(bytes);
    }
  }
}

class TeltonikaSession final : public ProtocolSession {
 public:
  Protocol protocol() const override { return Protocol::kTeltonika; }
  std::size_t max_frame() const override { return kMaxFrame; }

  Scan scan(ByteView b) override {
    if (b.size() < 2) return {};
    if (b[0] != 0) return skip_to_next(b, std::string_view("\0", 1), "bad_frame_start", "a frame starts with 0x00");
    if (b[1] != 0) {
      // Login: u16 length then the IMEI. IMEIs are 15 digits; allow some slack for clones.
      std::size_t length = b[1];
      if (length > 64) return skip_to_next(b, std::string_view("\0", 1), "bad_login_length", "IMEI longer than 64 bytes");
      if (b.size() < 2 + length) return {};
      return {Scan::Status::kFrame, 2 + length, {}, {}};
    }
    if (b.size() < 8) return {};
    if (b[2] != 0 || b[3] != 0) {
      return skip_to_next(b, std::string_view("\0", 1), "bad_preamble", "the AVL preamble is four zero bytes");
    }
    ByteReader r(b.subspan(4, 4));
    std::size_t length = r.u32();
    if (length > kMaxFrame) {
      return skip_to_next(b, std::string_view("\0", 1), "frame_too_long",
                          fmt::format("data length {} exceeds {}", length, kMaxFrame));
    }
    if (b.size() < 8 + length + 4) return {};
    return {Scan::Status::kFrame, 8 + length + 4, {}, {}};
  }

  FrameResult decode(ByteView frame) override {
    if (frame.size() >= 2 && frame[1] != 0) return decode_login(frame);
    return decode_data(frame);
  }

 private:
  FrameResult decode_login(ByteView frame) {
    auto imei = frame.subspan(2);
    std::string id;
    for (std::uint8_t c : imei) {
      if (c < '0' || c > '9') {
        // No reply: the device retries the login and then reconnects.
        return std::unexpected(frame_error("bad_imei", "the login IMEI must be decimal digits", frame));
      }
      id.push_back(static_cast<char>(c));
    }
    device_id = id;
    Decoded d;
    d.message.protocol = Protocol::kTeltonika;
    d.message.device_id = id;
    d.message.kind = MessageKind::kLogin;
    d.message.type = "login";
    d.reply = {0x01};
    return d;
  }

  FrameResult decode_data(ByteView frame) {
    auto data = frame.subspan(8, frame.size() - 12);
    ByteReader crc_reader(frame.subspan(frame.size() - 4));
    std::uint32_t crc_sent = crc_reader.u32();
    std::uint16_t crc = crc16_ibm(data);
    if (crc_sent != crc) {
      return std::unexpected(frame_error(
          "crc_mismatch", fmt::format("CRC 0x{:04x} in the frame, 0x{:04x} computed over the AVL data", crc_sent, crc),
          frame));
    }
    ByteReader r(data);
    std::uint8_t codec = r.u8();
    Decoded d;
    d.message.protocol = Protocol::kTeltonika;
    d.message.device_id = device_id;
    if (device_id.empty()) d.message.warnings.push_back("data before the IMEI login: the device is not identified");
    if (codec == kCodec12) return decode_codec12(r, frame, std::move(d));
    if (codec != kCodec8 && codec != kCodec8E) {
      return std::unexpected(frame_error("unknown_codec", fmt::format("codec 0x{:02x} is not 0x08, 0x8e or 0x0c", codec),
                                         frame));
    }
    bool extended = codec == kCodec8E;
    d.message.type = extended ? "codec8e" : "codec8";
    d.message.kind = MessageKind::kPosition;
    int count = r.u8();
    for (int i = 0; i < count && r.ok(); ++i) {
      Record rec;
      std::uint64_t ms = r.u64();
      rec.time = static_cast<std::int64_t>(ms / 1000);
      int priority = r.u8();
      rec.io["priority"] = static_cast<std::int64_t>(priority);
      Position p;
      p.longitude = r.i32() / 1e7;
      p.latitude = r.i32() / 1e7;
      p.altitude_m = r.i16();
      p.course_deg = r.u16();
      p.satellites = r.u8();
      p.speed_kmh = r.u16();
      // Teltonika marks an invalid fix with zero satellites (and repeats the last position).
      p.valid = *p.satellites > 0;
      rec.position = p;
      read_io(r, rec, extended);
      if (priority == 2) d.message.kind = MessageKind::kAlarm;  // "panic" priority
      d.message.records.push_back(std::move(rec));
    }
    int count_after = r.u8();
    if (!r.ok()) {
      return std::unexpected(frame_error("truncated_avl", "the AVL data ends inside a record", frame));
    }
    if (count_after != count) {
      return std::unexpected(frame_error(
          "record_count_mismatch", fmt::format("{} records announced before the data, {} after", count, count_after),
          frame));
    }
    if (r.remaining() != 0) d.message.warnings.push_back(fmt::format("{} bytes after the records ignored", r.remaining()));
    // The device deletes the records it sent once the server acknowledges their count.
    d.reply = {0, 0, 0, static_cast<std::uint8_t>(count)};
    return d;
  }

  FrameResult decode_codec12(ByteReader& r, ByteView frame, Decoded d) {
    r.u8();  // quantity 1
    std::uint8_t type = r.u8();
    auto text = r.take(r.u32());
    if (!r.ok()) return std::unexpected(frame_error("truncated_codec12", "the Codec 12 response ends early", frame));
    d.message.type = "codec12";
    if (type != 0x06) {
      return std::unexpected(frame_error("unexpected_codec12_type",
                                         fmt::format("Codec 12 type 0x{:02x} from a device (responses are 0x06)", type), frame));
    }
    d.message.kind = MessageKind::kCommandAck;
    d.message.command_response = std::string(text.begin(), text.end());
    return d;
  }
};

}  // namespace

std::unique_ptr<ProtocolSession> make_teltonika_session() { return std::make_unique<TeltonikaSession>(); }

}  // namespace cordon::supervision::protocols::detail
