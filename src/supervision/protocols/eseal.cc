// eSeal text protocol over TCP:
//   ##S,<device type>,<id>,<customer>,<firmware>,<type>,<index>,<yyyy-mm-dd>,<hh:mm:ss>,<interval>,
//   <A|V>,<lat><N|S> <lon><E|W>,<course>,<speed km/h>,<Open|Close>,<acceleration>,<nfc>,
//   <battery V>,<rssi>,E##
// The server acknowledges every report with "<first five fields>,<type> ACK,<index>,E##\r\n".
#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "supervision/protocols/framing.h"
#include "supervision/protocols/wire.h"

namespace cordon::supervision::protocols::detail {
namespace {

constexpr std::size_t kMaxFrame = 1024;
constexpr std::string_view kEnd = "E##";

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

std::optional<int> to_int(std::string_view s) {
  int v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

// "25.708828N" → 25.708828
std::optional<double> coordinate(std::string_view s, char positive, char negative) {
  if (s.empty()) return std::nullopt;
  char h = s.back();
  if (h != positive && h != negative) return std::nullopt;
  auto v = to_double(s.substr(0, s.size() - 1));
  if (!v) return std::nullopt;
  return h == negative ? -*v : *v;
}

bool is_known_type(std::string_view type) {
  for (std::string_view t : {"Startup", "Normal", "Button-Normal", "Termination", "Event-Door", "Event-Shock",
                             "Event-Drop", "Event-Lock", "Event-RC-Unlock"}) {
    if (t == type) return true;
  }
  return false;
}

class EsealSession final : public ProtocolSession {
 public:
  Protocol protocol() const override { return Protocol::kEseal; }
  std::size_t max_frame() const override { return kMaxFrame; }

  Scan scan(ByteView b) override {
    if (b.empty()) return {};
    if (b[0] == '\r' || b[0] == '\n') {
      std::size_t n = 0;
      while (n < b.size() && (b[n] == '\r' || b[n] == '\n')) ++n;
      return {Scan::Status::kIgnore, n, {}, {}};
    }
    if (b[0] != '#') return skip_to_next(b, "#", "bad_frame_start", "a frame starts with \"##S,\"");
    if (b.size() >= 2 && b[1] != '#') return skip_to_next(b, "#", "bad_frame_start", "a frame starts with \"##S,\"");
    std::string_view text(reinterpret_cast<const char*>(b.data()), b.size());
    std::size_t end = text.find(kEnd, 2);
    std::size_t next = text.find("##S", 2);
    if (end == std::string_view::npos) {
      if (next != std::string_view::npos) return {Scan::Status::kSkip, next, "unterminated_frame", "a frame without \"E##\""};
      return {};
    }
    if (next != std::string_view::npos && next < end) {
      return {Scan::Status::kSkip, next, "unterminated_frame", "a frame without \"E##\""};
    }
    return {Scan::Status::kFrame, end + kEnd.size(), {}, {}};
  }

  FrameResult decode(ByteView frame) override {
    std::string_view text(reinterpret_cast<const char*>(frame.data()), frame.size());
    auto f = split(text, ',');
    auto bad = [&](std::string rule, std::string what) {
      return std::unexpected(frame_error(std::move(rule), std::move(what), frame));
    };
    if (f.size() != 20 || f[0] != "##S" || f[19] != "E##") {
      return bad("bad_field_count", fmt::format("an eSeal report has 20 comma-separated fields, this has {}", f.size()));
    }
    std::string_view type = f[5];
    if (!is_known_type(type)) {
      return bad("unknown_message_type", fmt::format("eSeal message type of {} characters is not known", type.size()));
    }
    auto index = to_int(f[6]);
    if (!index) return bad("bad_field", "index is not a number");
    for (char c : f[2]) {
      if (c < '0' || c > '9') return bad("bad_field", "device id is not decimal");
    }
    device_id = std::string(f[2]);

    Decoded d;
    d.message.protocol = Protocol::kEseal;
    d.message.device_id = device_id;
    d.message.type = std::string(type);
    d.message.sequence = *index;
    Record rec;
    if (f[7].size() == 10 && f[8].size() == 8) {
      auto y = to_int(f[7].substr(0, 4)), mo = to_int(f[7].substr(5, 2)), dd = to_int(f[7].substr(8, 2));
      auto h = to_int(f[8].substr(0, 2)), mi = to_int(f[8].substr(3, 2)), s = to_int(f[8].substr(6, 2));
      if (y && mo && dd && h && mi && s) rec.time = utc_seconds(*y, *mo, *dd, *h, *mi, *s);
    }
    if (!rec.time) d.message.warnings.push_back("the date and time are not valid");
    if (auto v = to_int(f[9])) rec.io["interval"] = static_cast<std::int64_t>(*v);
    auto coords = split(f[11], ' ');
    if (coords.size() == 2) {
      auto lat = coordinate(coords[0], 'N', 'S'), lon = coordinate(coords[1], 'E', 'W');
      if (lat && lon) {
        Position p;
        p.latitude = *lat;
        p.longitude = *lon;
        p.valid = f[10] == "A";
        if (auto v = to_double(f[12])) p.course_deg = *v;
        if (auto v = to_double(f[13])) p.speed_kmh = *v;
        rec.position = p;
      }
    }
    if (!rec.position) d.message.warnings.push_back("the coordinates are not valid");
    if (f[14] == "Open") rec.seal.door_open = true;
    if (f[14] == "Close") rec.seal.door_open = false;
    if (auto v = to_double(f[15])) rec.io["acceleration"] = *v;
    rec.io["nfc"] = std::string(f[16]);
    if (auto v = to_double(f[17])) rec.sensors.battery_voltage = *v;
    if (auto v = to_int(f[18])) rec.sensors.gsm_signal = *v;

    d.message.kind = MessageKind::kPosition;
    if (type == "Startup") d.message.kind = MessageKind::kLogin;
    if (type == "Termination") d.message.kind = MessageKind::kOther;
    if (type.starts_with("Event-")) d.message.kind = MessageKind::kAlarm;
    if (type == "Event-Door") add_event(rec, rec.seal.door_open.value_or(true) ? Event::kDoorOpened : Event::kDoorClosed);
    if (type == "Event-Shock") add_event(rec, Event::kVibration);
    if (type == "Event-Drop") add_event(rec, Event::kDrop);
    if (type == "Event-Lock") {
      rec.seal.locked = true;
      add_event(rec, Event::kLockClosed);
    }
    if (type == "Event-RC-Unlock") {
      rec.seal.locked = false;
      add_event(rec, Event::kRemoteUnlock);
      add_event(rec, Event::kLockOpened);
    }
    d.message.records.push_back(std::move(rec));

    // The prefix is echoed exactly as the device sent it (device type, id, customer, firmware).
    std::string prefix(text.substr(0, static_cast<std::size_t>(f[5].data() - text.data())));
    std::string reply = fmt::format("{}{} ACK,{},E##\r\n", prefix, type, *index);
    if (type == "Startup") {
      d.message.warnings.push_back("Startup ACK may carry configuration; Cordon sends none (the device keeps its own)");
    }
    d.reply = Bytes(reply.begin(), reply.end());
    return d;
  }
};

}  // namespace

std::unique_ptr<ProtocolSession> make_eseal_session() { return std::make_unique<EsealSession>(); }

}  // namespace cordon::supervision::protocols::detail
