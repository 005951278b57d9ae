#include "supervision/protocols/message_json.h"

#include <cmath>

#include <fmt/format.h>

#include "core/time.h"
#include "supervision/protocols/framing.h"
#include "supervision/protocols/wire.h"

namespace cordon::supervision::protocols {
namespace {

using nlohmann::json;

template <typename T>
void put(json& j, const char* key, const std::optional<T>& value) {
  if (value) j[key] = *value;
}

json io_json(const IoValue& value) {
  return std::visit([](const auto& v) { return json(v); }, value);
}

// Rounds away binary noise (25.680861499999998) without losing the devices' precision.
double tidy(double v) { return std::round(v * 1e7) / 1e7; }

}  // namespace

json to_json(const Record& r) {
  json j = json::object();
  if (r.time) j["time"] = cordon::format_timestamp(*r.time);
  if (r.position) {
    const Position& p = *r.position;
    json pj = {{"latitude", tidy(p.latitude)}, {"longitude", tidy(p.longitude)}, {"valid", p.valid}};
    put(pj, "altitude_m", p.altitude_m);
    if (p.speed_kmh) pj["speed_kmh"] = tidy(*p.speed_kmh);
    put(pj, "course_deg", p.course_deg);
    put(pj, "satellites", p.satellites);
    put(pj, "hdop", p.hdop);
    j["position"] = pj;
  }
  if (r.cell) {
    json c = {{"mcc", r.cell->mcc}, {"mnc", r.cell->mnc}, {"lac", r.cell->lac}, {"cell_id", r.cell->cell_id}};
    put(c, "signal", r.cell->signal);
    j["cell"] = c;
  }
  json s = json::object();
  const Sensors& se = r.sensors;
  put(s, "battery_voltage", se.battery_voltage);
  if (se.battery_percent) s["battery_percent"] = tidy(*se.battery_percent);
  put(s, "charging", se.charging);
  put(s, "external_voltage", se.external_voltage);
  put(s, "external_power", se.external_power);
  put(s, "temperature_c", se.temperature_c);
  put(s, "humidity_percent", se.humidity_percent);
  put(s, "fuel_level", se.fuel_level);
  put(s, "odometer_m", se.odometer_m);
  put(s, "gsm_signal", se.gsm_signal);
  put(s, "ignition", se.ignition);
  put(s, "moving", se.moving);
  if (!s.empty()) j["sensors"] = s;
  json seal = json::object();
  put(seal, "locked", r.seal.locked);
  put(seal, "cable_inserted", r.seal.cable_inserted);
  put(seal, "cable_cut", r.seal.cable_cut);
  put(seal, "back_cover_open", r.seal.back_cover_open);
  put(seal, "body_tampered", r.seal.body_tampered);
  put(seal, "door_open", r.seal.door_open);
  if (!seal.empty()) j["seal"] = seal;
  if (!r.events.empty()) {
    json events = json::array();
    for (Event e : r.events) events.push_back(std::string(event_name(e)));
    j["events"] = events;
  }
  if (!r.io.empty()) {
    json io = json::object();
    for (const auto& [key, value] : r.io) io[key] = io_json(value);
    j["io"] = io;
  }
  return j;
}

json to_json(const DeviceMessage& m) {
  json j = {{"protocol", std::string(protocol_name(m.protocol))},
            {"device_id", m.device_id},
            {"kind", std::string(message_kind_name(m.kind))},
            {"type", m.type}};
  put(j, "sequence", m.sequence);
  json records = json::array();
  for (const auto& r : m.records) records.push_back(to_json(r));
  j["records"] = records;
  put(j, "command_response", m.command_response);
  if (!m.warnings.empty()) j["warnings"] = m.warnings;
  return j;
}

json decode_report(Protocol protocol, std::string_view input) {
  json frames = json::array();
  for (const auto& result : decode_input(protocol, input)) {
    if (result) {
      json f = {{"message", to_json(result->message)}, {"reply_hex", to_hex(result->reply)}};
      bool printable = !result->reply.empty();
      for (std::uint8_t c : result->reply) {
        if ((c < 0x20 || c > 0x7e) && c != '\r' && c != '\n') printable = false;
      }
      if (printable) f["reply_text"] = std::string(result->reply.begin(), result->reply.end());
      frames.push_back(f);
    } else {
      frames.push_back({{"error",
                         {{"rule", result.error().rule},
                          {"message", result.error().message},
                          {"frame_hex", to_hex(result.error().frame)}}}});
    }
  }
  return {{"protocol", std::string(protocol_name(protocol))}, {"frames", frames}};
}

// ---- Cordon's own JSON protocol ----

namespace {

struct JsonReader {
  std::string error_path;
  std::string error_message;

  bool fail(const std::string& path, std::string message) {
    if (error_path.empty() && error_message.empty()) {
      error_path = path;
      error_message = std::move(message);
    }
    return false;
  }

  bool number(const json& obj, const char* key, const std::string& path, std::optional<double>& out,
              double min = -1e300, double max = 1e300) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return true;
    if (!it->is_number()) return fail(path + "." + key, "must be a number");
    double v = it->get<double>();
    if (!std::isfinite(v) || v < min || v > max) return fail(path + "." + key, fmt::format("must be between {} and {}", min, max));
    out = v;
    return true;
  }

  bool boolean(const json& obj, const char* key, const std::string& path, std::optional<bool>& out) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return true;
    if (!it->is_boolean()) return fail(path + "." + key, "must be true or false");
    out = it->get<bool>();
    return true;
  }

  bool record(const json& j, const std::string& path, Record& rec) {
    if (auto it = j.find("time"); it != j.end() && !it->is_null()) {
      if (it->is_number_integer()) {
        rec.time = it->get<std::int64_t>();
      } else if (it->is_string()) {
        rec.time = cordon::parse_timestamp(it->get<std::string>());
        if (!rec.time) return fail(path + ".time", "must be ISO 8601 with a zone, e.g. 2026-03-01T10:15:00Z");
      } else {
        return fail(path + ".time", "must be an ISO 8601 string or epoch seconds");
      }
    }
    if (auto it = j.find("position"); it != j.end() && !it->is_null()) {
      if (!it->is_object()) return fail(path + ".position", "must be an object");
      std::string pp = path + ".position";
      std::optional<double> lat, lon, sats;
      Position p;
      p.valid = true;
      std::optional<bool> valid;
      if (!number(*it, "latitude", pp, lat, -90, 90) || !number(*it, "longitude", pp, lon, -180, 180) ||
          !number(*it, "altitude_m", pp, p.altitude_m) || !number(*it, "speed_kmh", pp, p.speed_kmh, 0, 2000) ||
          !number(*it, "course_deg", pp, p.course_deg, 0, 360) || !number(*it, "satellites", pp, sats, 0, 255) ||
          !number(*it, "hdop", pp, p.hdop, 0, 1000) || !boolean(*it, "valid", pp, valid)) {
        return false;
      }
      if (!lat || !lon) return fail(pp, "latitude and longitude are required");
      p.latitude = *lat;
      p.longitude = *lon;
      if (valid) p.valid = *valid;
      if (sats) p.satellites = static_cast<int>(*sats);
      rec.position = p;
    }
    if (auto it = j.find("sensors"); it != j.end() && !it->is_null()) {
      if (!it->is_object()) return fail(path + ".sensors", "must be an object");
      std::string sp = path + ".sensors";
      Sensors& s = rec.sensors;
      std::optional<double> gsm;
      if (!number(*it, "battery_voltage", sp, s.battery_voltage, 0, 1000) ||
          !number(*it, "battery_percent", sp, s.battery_percent, 0, 100) || !boolean(*it, "charging", sp, s.charging) ||
          !number(*it, "external_voltage", sp, s.external_voltage, 0, 1000) ||
          !boolean(*it, "external_power", sp, s.external_power) ||
          !number(*it, "temperature_c", sp, s.temperature_c, -273.15, 1000) ||
          !number(*it, "humidity_percent", sp, s.humidity_percent, 0, 100) ||
          !number(*it, "fuel_level", sp, s.fuel_level) || !number(*it, "odometer_m", sp, s.odometer_m, 0) ||
          !number(*it, "gsm_signal", sp, gsm, -200, 200) || !boolean(*it, "ignition", sp, s.ignition) ||
          !boolean(*it, "moving", sp, s.moving)) {
        return false;
      }
      if (gsm) s.gsm_signal = static_cast<int>(*gsm);
    }
    if (auto it = j.find("seal"); it != j.end() && !it->is_null()) {
      if (!it->is_object()) return fail(path + ".seal", "must be an object");
      std::string sp = path + ".seal";
      SealState& s = rec.seal;
      if (!boolean(*it, "locked", sp, s.locked) || !boolean(*it, "cable_inserted", sp, s.cable_inserted) ||
          !boolean(*it, "cable_cut", sp, s.cable_cut) || !boolean(*it, "back_cover_open", sp, s.back_cover_open) ||
          !boolean(*it, "body_tampered", sp, s.body_tampered) || !boolean(*it, "door_open", sp, s.door_open)) {
        return false;
      }
    }
    if (auto it = j.find("events"); it != j.end() && !it->is_null()) {
      if (!it->is_array()) return fail(path + ".events", "must be an array of event names");
      for (std::size_t i = 0; i < it->size(); ++i) {
        const json& e = (*it)[i];
        std::optional<Event> event = e.is_string() ? parse_event(e.get<std::string>()) : std::nullopt;
        if (!event) return fail(fmt::format("{}.events[{}]", path, i), "is not a known event name (see docs/protocols.md)");
        detail::add_event(rec, *event);
      }
    }
    if (auto it = j.find("io"); it != j.end() && !it->is_null()) {
      if (!it->is_object()) return fail(path + ".io", "must be an object of scalars");
      for (const auto& [key, value] : it->items()) {
        if (value.is_boolean()) rec.io[key] = value.get<bool>();
        else if (value.is_number_integer()) rec.io[key] = value.get<std::int64_t>();
        else if (value.is_number()) rec.io[key] = value.get<double>();
        else if (value.is_string()) rec.io[key] = value.get<std::string>();
        else return fail(path + ".io." + key, "must be a string, number or boolean");
      }
    }
    return true;
  }
};

FrameError json_error(std::string rule, std::string message, std::string_view body) {
  return detail::frame_error(std::move(rule), std::move(message),
                             ByteView(reinterpret_cast<const std::uint8_t*>(body.data()), body.size()));
}

}  // namespace

std::expected<Decoded, FrameError> decode_cordon_json(std::string_view body) {
  json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return std::unexpected(json_error("bad_json", "the body is not JSON", body));
  if (!j.is_object()) return std::unexpected(json_error("bad_json", "the body must be one JSON object", body));
  Decoded d;
  d.message.protocol = Protocol::kCordonJson;
  auto id = j.find("device_id");
  if (id == j.end() || !id->is_string() || id->get<std::string>().empty()) {
    return std::unexpected(json_error("missing_field", "device_id: a non-empty string is required", body));
  }
  d.message.device_id = id->get<std::string>();
  d.message.type = "json";
  if (auto seq = j.find("sequence"); seq != j.end() && !seq->is_null()) {
    if (!seq->is_number_integer()) return std::unexpected(json_error("bad_field", "sequence: must be an integer", body));
    d.message.sequence = seq->get<std::int64_t>();
  }
  JsonReader reader;
  if (auto records = j.find("records"); records != j.end()) {
    if (!records->is_array()) return std::unexpected(json_error("bad_field", "records: must be an array", body));
    for (std::size_t i = 0; i < records->size(); ++i) {
      Record rec;
      if (!(*records)[i].is_object()) return std::unexpected(json_error("bad_field", fmt::format("records[{}]: must be an object", i), body));
      if (!reader.record((*records)[i], fmt::format("records[{}]", i), rec)) break;
      d.message.records.push_back(std::move(rec));
    }
  } else {
    // A single report may put its fields at the top level.
    Record rec;
    if (reader.record(j, "", rec)) d.message.records.push_back(std::move(rec));
  }
  if (!reader.error_message.empty()) {
    std::string path = reader.error_path.starts_with(".") ? reader.error_path.substr(1) : reader.error_path;
    return std::unexpected(json_error("bad_field", fmt::format("{}: {}", path, reader.error_message), body));
  }
  d.message.kind = MessageKind::kPosition;
  if (auto kind = j.find("kind"); kind != j.end() && kind->is_string()) {
    for (MessageKind k : {MessageKind::kLogin, MessageKind::kPosition, MessageKind::kHeartbeat, MessageKind::kAlarm,
                          MessageKind::kCommandAck, MessageKind::kOther}) {
      if (message_kind_name(k) == kind->get<std::string>()) d.message.kind = k;
    }
  } else {
    for (const auto& r : d.message.records) {
      if (!r.events.empty()) d.message.kind = MessageKind::kAlarm;
    }
  }
  if (auto resp = j.find("command_response"); resp != j.end() && resp->is_string()) {
    d.message.command_response = resp->get<std::string>();
  }
  return d;
}

}  // namespace cordon::supervision::protocols
