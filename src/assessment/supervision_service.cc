#include "assessment/supervision_service.h"

#include <sodium.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <ctime>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "supervision/protocols/message_json.h"

namespace cordon::assessment {
namespace {

using nlohmann::json;
namespace sup = cordon::supervision;
namespace proto = cordon::supervision::protocols;

std::int64_t now_s() { return static_cast<std::int64_t>(std::time(nullptr)); }

ServiceError bad(std::string message) { return {422, "validation_failed", std::move(message)}; }
ServiceError not_found(std::string message) { return {404, "not_found", std::move(message)}; }
ServiceError conflict(std::string message) { return {409, "conflict", std::move(message)}; }
ServiceError unavailable(std::string message) { return {503, "unavailable", std::move(message)}; }

// Inverse of an enum's name function, by trying every value below `count`.
template <typename E, typename NameFn>
std::optional<E> parse_enum(std::string_view name, int count, NameFn fn) {
  for (int i = 0; i < count; ++i) {
    if (fn(static_cast<E>(i)) == name) return static_cast<E>(i);
  }
  return std::nullopt;
}

std::string to_hex(const unsigned char* p, std::size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), p, n);
  out.pop_back();
  return out;
}

std::optional<std::vector<unsigned char>> from_hex(const std::string& hex) {
  std::vector<unsigned char> out(hex.size() / 2);
  std::size_t len = 0;
  if (sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), nullptr, &len, nullptr) != 0 || len != out.size()) {
    return std::nullopt;
  }
  return out;
}

json latlon_json(sup::LatLon p) { return json::array({p.lat, p.lon}); }

json device_json(const sup::Device& d) {
  json caps = json::array();
  for (int bit = 0; bit < 9; ++bit) {
    auto c = static_cast<sup::Capability>(1 << bit);
    if (d.capabilities & c) caps.push_back(std::string(sup::capability_name(c)));
  }
  json j = {{"id", d.id},
            {"type", std::string(sup::device_type_name(d.type))},
            {"capabilities", caps},
            {"model", d.model},
            {"firmware", d.firmware},
            {"home_station", d.home_station},
            {"station", d.station},
            {"status", std::string(sup::device_status_name(d.status))}};
  if (d.battery_percent) j["battery_percent"] = *d.battery_percent;
  if (d.battery_voltage) j["battery_voltage"] = *d.battery_voltage;
  if (d.last_contact) j["last_contact"] = *d.last_contact;
  if (d.status_since) j["status_since"] = *d.status_since;
  return j;
}

// The planned road, its corridor and its zones, for the console's map.
json route_json(const sup::Route& route) {
  json points = json::array();
  for (const auto& p : route.line().points()) points.push_back(latlon_json(p));
  json zones = json::array();
  for (const auto& z : route.zones()) {
    json polygon = json::array();
    for (const auto& p : z.area.vertices()) polygon.push_back(latlon_json(p));
    zones.push_back({{"id", z.id},
                     {"kind", std::string(sup::zone_kind_name(z.kind))},
                     {"max_stay_s", z.max_stay_s},
                     {"polygon", std::move(polygon)}});
  }
  return {{"id", route.id()},
          {"points", std::move(points)},
          {"corridor_half_width_m", route.corridor_half_width_m()},
          {"zones", std::move(zones)}};
}

json alarm_json(const sup::Alarm& a) {
  json evidence = json::array();
  for (const auto& e : a.evidence) {
    json p = {{"time", e.time}, {"value", e.value}, {"note", e.note}};
    if (e.position) p["position"] = latlon_json(*e.position);
    evidence.push_back(std::move(p));
  }
  json history = json::array();
  for (const auto& h : a.history) {
    json s = {{"time", h.time}, {"actor", h.actor}, {"to", std::string(sup::alarm_state_name(h.to))}};
    if (!h.comment.empty()) s["comment"] = h.comment;
    if (!h.patrol.empty()) s["patrol"] = h.patrol;
    if (h.outcome) s["outcome"] = std::string(sup::outcome_name(*h.outcome));
    if (!h.photo.empty()) s["photo"] = h.photo;
    history.push_back(std::move(s));
  }
  json j = {{"id", a.id},
            {"journey", a.journey},
            {"device_id", a.device_id},
            {"type", std::string(sup::alarm_type_name(a.type))},
            {"grade", std::string(sup::alarm_grade_name(a.grade))},
            {"started_at", a.started_at},
            {"raised_at", a.raised_at},
            {"detail", a.detail},
            {"state", std::string(sup::alarm_state_name(a.state))},
            {"evidence", evidence},
            {"history", history}};
  if (a.cleared_at) j["cleared_at"] = *a.cleared_at;
  if (a.outcome) j["outcome"] = std::string(sup::outcome_name(*a.outcome));
  return j;
}

std::string dispatched_patrol(const sup::Alarm& a) {
  std::string patrol;
  for (const auto& h : a.history) {
    if (h.to == sup::AlarmState::kDispatched && !h.patrol.empty()) patrol = h.patrol;
  }
  return patrol;
}

json command_json(const sup::DeviceCommand& c) {
  static constexpr const char* kTypes[] = {"seal", "unseal", "reporting_interval"};
  json j = {{"id", c.id},
            {"device_id", c.device_id},
            {"type", kTypes[static_cast<int>(c.command.type)]},
            {"actor", c.actor},
            {"queued_at", c.queued_at},
            {"state", std::string(sup::command_state_name(c.state))},
            {"response", c.response}};
  if (c.command.type == proto::CommandType::kReportingInterval) j["interval_s"] = c.command.interval_s;
  if (c.sent_at) j["sent_at"] = *c.sent_at;
  if (c.confirmed_at) j["confirmed_at"] = *c.confirmed_at;
  return j;
}

json transfer_json(const sup::DeviceTransfer& t) {
  json j = {{"id", t.id},
            {"from", t.from},
            {"to", t.to},
            {"device_ids", t.device_ids},
            {"shipped_by", t.shipped_by},
            {"shipped_at", t.shipped_at},
            {"state", t.received_at ? "received" : "shipped"}};
  if (t.received_at) {
    j["received_at"] = *t.received_at;
    j["received_by"] = t.received_by;
  }
  if (!t.lost.empty()) j["lost"] = t.lost;
  return j;
}

// Reads the fields of a JSON body, collecting the first error with its path.
struct Reader {
  explicit Reader(const json& object) : j(object) {}
  const json& j;
  std::string error;
  std::string text(const char* key, bool required = false) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
      if (required && error.empty()) error = fmt::format("{}: required", key);
      return {};
    }
    if (!it->is_string()) {
      if (error.empty()) error = fmt::format("{}: expected a string", key);
      return {};
    }
    return it->get<std::string>();
  }
  double number(const char* key, double fallback) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return fallback;
    if (!it->is_number()) {
      if (error.empty()) error = fmt::format("{}: expected a number", key);
      return fallback;
    }
    return it->get<double>();
  }
  std::vector<std::string> texts(const char* key) {
    std::vector<std::string> out;
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return out;
    if (!it->is_array()) {
      if (error.empty()) error = fmt::format("{}: expected an array of strings", key);
      return out;
    }
    for (std::size_t i = 0; i < it->size(); ++i) {
      if (!(*it)[i].is_string()) {
        if (error.empty()) error = fmt::format("{}[{}]: expected a string", key, i);
        return out;
      }
      out.push_back((*it)[i].get<std::string>());
    }
    return out;
  }
};

std::expected<std::vector<sup::LatLon>, std::string> points_of(const json& j, const std::string& path) {
  if (!j.is_array()) return std::unexpected(path + ": expected an array of [lat, lon]");
  std::vector<sup::LatLon> out;
  for (std::size_t i = 0; i < j.size(); ++i) {
    const json& p = j[i];
    if (!p.is_array() || p.size() != 2 || !p[0].is_number() || !p[1].is_number()) {
      return std::unexpected(fmt::format("{}[{}]: expected [lat, lon]", path, i));
    }
    out.push_back({p[0].get<double>(), p[1].get<double>()});
  }
  return out;
}

std::expected<sup::Zone, std::string> zone_of(const json& j, const std::string& path) {
  if (!j.is_object()) return std::unexpected(path + ": expected an object");
  sup::Zone z;
  Reader r{j};
  z.id = r.text("id", true);
  std::string kind = r.text("kind");
  z.max_stay_s = static_cast<std::int64_t>(r.number("max_stay_s", 0));
  if (!r.error.empty()) return std::unexpected(path + "." + r.error);
  if (!kind.empty()) {
    auto k = parse_enum<sup::ZoneKind>(kind, 5, sup::zone_kind_name);
    if (!k) return std::unexpected(path + ".kind: expected customs_office, rest_area, border_crossing, parking or unsealing");
    z.kind = *k;
  }
  auto pts = points_of(j.value("polygon", json()), path + ".polygon");
  if (!pts) return std::unexpected(pts.error());
  auto poly = sup::Polygon::make(std::move(*pts));
  if (!poly) return std::unexpected(path + ".polygon: " + poly.error());
  z.area = std::move(*poly);
  return z;
}

// POST /api/v1/journeys body → a plan. See docs/supervision.md for the shape.
std::expected<sup::JourneyPlan, std::string> plan_of(const json& body) {
  if (!body.is_object()) return std::unexpected(std::string("the body must be a JSON object"));
  sup::JourneyPlan plan;
  const json& d = body.value("declaration", json::object());
  if (!d.is_object()) return std::unexpected(std::string("declaration: expected an object"));
  Reader r{d};
  plan.declaration.mrn = r.text("mrn", true);
  plan.declaration.office_of_departure = r.text("office_of_departure");
  plan.declaration.offices_of_transit = r.texts("offices_of_transit");
  plan.declaration.office_of_destination = r.text("office_of_destination");
  plan.declaration.vehicle = r.text("vehicle");
  plan.declaration.container = r.text("container");
  plan.declaration.device_ids = r.texts("device_ids");
  plan.declaration.goods_summary = r.text("goods_summary");
  if (!r.error.empty()) return std::unexpected("declaration." + r.error);
  const json& route = body.value("route", json());
  if (!route.is_object()) return std::unexpected(std::string("route: required, an object"));
  sup::RouteSpec spec;
  Reader rr{route};
  spec.id = rr.text("id");
  spec.corridor_half_width_m = rr.number("corridor_half_width_m", 1000);
  if (!rr.error.empty()) return std::unexpected("route." + rr.error);
  if (spec.id.empty()) spec.id = plan.declaration.mrn;
  auto pts = points_of(route.value("points", json()), "route.points");
  if (!pts) return std::unexpected(pts.error());
  spec.points = std::move(*pts);
  if (auto zones = route.find("stop_zones"); zones != route.end()) {
    if (!zones->is_array()) return std::unexpected(std::string("route.stop_zones: expected an array"));
    for (std::size_t i = 0; i < zones->size(); ++i) {
      auto z = zone_of((*zones)[i], fmt::format("route.stop_zones[{}]", i));
      if (!z) return std::unexpected(z.error());
      spec.stop_zones.push_back(std::move(*z));
    }
  }
  auto unsealing = zone_of(route.value("unsealing_zone", json()), "route.unsealing_zone");
  if (!unsealing) return std::unexpected(unsealing.error());
  spec.unsealing_zone = std::move(*unsealing);
  spec.unsealing_zone.kind = sup::ZoneKind::kUnsealing;
  auto made = sup::Route::make(std::move(spec));
  if (!made) return std::unexpected("route." + made.error());
  plan.route = *made;
  Reader br{body};
  plan.time_limit_s = static_cast<std::int64_t>(br.number("time_limit_s", 0));
  if (!br.error.empty()) return std::unexpected(br.error);
  if (auto cargo = body.find("cargo"); cargo != body.end() && cargo->is_object()) {
    auto range = [&](const char* key) -> std::optional<sup::Range> {
      auto it = cargo->find(key);
      if (it == cargo->end() || !it->is_array() || it->size() != 2) return std::nullopt;
      return sup::Range{(*it)[0].get<double>(), (*it)[1].get<double>()};
    };
    plan.cargo.temperature_c = range("temperature_c");
    plan.cargo.humidity_percent = range("humidity_percent");
    plan.cargo.tank_truck = cargo->value("tank_truck", false);
    plan.cargo.fuel_drop_threshold = cargo->value("fuel_drop_threshold", 5.0);
  }
  return plan;
}

std::expected<sup::Device, std::string> device_of(const json& body) {
  if (!body.is_object()) return std::unexpected(std::string("the body must be a JSON object"));
  Reader r{body};
  sup::Device d;
  d.id = r.text("id", true);
  std::string type = r.text("type");
  d.model = r.text("model");
  d.firmware = r.text("firmware");
  d.home_station = r.text("home_station");
  d.station = r.text("station");
  auto caps = r.texts("capabilities");
  if (!r.error.empty()) return std::unexpected(r.error);
  if (!type.empty()) {
    auto t = sup::parse_device_type(type);
    if (!t) return std::unexpected(std::string("type: expected passive, semi_active, active or smart_container"));
    d.type = *t;
  }
  d.capabilities = sup::default_capabilities(d.type);
  if (body.contains("capabilities")) {
    d.capabilities = 0;
    for (std::size_t i = 0; i < caps.size(); ++i) {
      bool found = false;
      for (int bit = 0; bit < 9; ++bit) {
        auto c = static_cast<sup::Capability>(1 << bit);
        if (sup::capability_name(c) == caps[i]) {
          d.capabilities |= c;
          found = true;
        }
      }
      if (!found) return std::unexpected(fmt::format("capabilities[{}]: unknown capability \"{}\"", i, caps[i]));
    }
  }
  return d;
}

std::expected<proto::Command, std::string> command_of(const json& body) {
  if (!body.is_object()) return std::unexpected(std::string("the body must be a JSON object"));
  proto::Command c;
  std::string type = body.value("type", std::string());
  if (type == "seal") {
    c.type = proto::CommandType::kSeal;
  } else if (type == "unseal") {
    c.type = proto::CommandType::kUnseal;
  } else if (type == "reporting_interval") {
    c.type = proto::CommandType::kReportingInterval;
    auto it = body.find("interval_s");
    if (it == body.end() || !it->is_number_unsigned() || it->get<std::uint64_t>() == 0 ||
        it->get<std::uint64_t>() > 86400) {
      return std::unexpected(std::string("interval_s: required, 1 to 86400 seconds"));
    }
    c.interval_s = it->get<std::uint32_t>();
  } else {
    return std::unexpected(std::string("type: expected seal, unseal or reporting_interval"));
  }
  return c;
}

json command_body(const proto::Command& c) {
  static constexpr const char* kTypes[] = {"seal", "unseal", "reporting_interval"};
  json j = {{"type", kTypes[static_cast<int>(c.type)]}};
  if (c.type == proto::CommandType::kReportingInterval) j["interval_s"] = c.interval_s;
  return j;
}

}  // namespace

struct SupervisionService::Impl {
  store::SupervisionStore& store;
  SupervisionServiceOptions options;
  mutable std::mutex engine_mutex;
  sup::SupervisionEngine engine;
  bool replaying = false;

  // Ingest queue.
  std::mutex queue_mutex;
  std::condition_variable queue_cv;
  std::deque<std::pair<proto::DeviceMessage, std::int64_t>> queue;
  bool stopping = false;
  std::thread ingest_thread;
  std::thread tick_thread;
  std::mutex tick_mutex;
  std::condition_variable tick_cv;

  std::atomic<std::uint64_t> received{0}, refused{0}, applied{0}, unknown_device{0}, pushed{0}, batches{0};

  std::mutex listeners_mutex;
  std::map<std::uint64_t, AlarmListener> listeners;
  std::uint64_t next_listener = 1;

  struct Sink {
    std::uint64_t connection;
    CommandSink sink;
  };
  std::mutex sinks_mutex;
  std::map<std::string, Sink, std::less<>> sinks;

  Impl(store::SupervisionStore& s, SupervisionServiceOptions o) : store(s), options(o), engine(o.engine) {}

  // Applies one op to the engine. REQUIRES engine_mutex held.
  ServiceResult<json> apply(const store::SupervisionOp& op, const json& b) {
    const std::int64_t t = op.time;
    if (op.kind == "ingest") {
      auto decoded = proto::decode_cordon_json(b["m"].dump());
      if (!decoded) return std::unexpected(bad(decoded.error().message));
      auto r = engine.ingest(decoded->message, b.value("r", t));
      if (r.status == sup::IngestResult::Status::kUnknownDevice) ++unknown_device;
      return json{{"commands_waiting", r.commands_waiting}};
    }
    if (op.kind == "tick") {
      engine.tick(t);
      return json::object();
    }
    if (op.kind == "device.register") {
      auto d = device_of(b);
      if (!d) return std::unexpected(bad(d.error()));
      if (engine.device(d->id)) return std::unexpected(conflict(fmt::format("id: device \"{}\" is already registered", d->id)));
      if (auto r = engine.register_device(*d, t); !r) return std::unexpected(bad(r.error()));
      return device_json(*engine.device(d->id));
    }
    if (op.kind == "device.status") {
      std::string id = b.value("id", "");
      if (!engine.device(id)) return std::unexpected(not_found(fmt::format("device \"{}\" is not registered", id)));
      std::string status = b.value("status", "");
      std::string station = b.value("station", "");
      if (status == "recovered") {
        if (auto r = engine.recover_device(id, station, t); !r) return std::unexpected(conflict(r.error()));
      } else {
        auto s = parse_enum<sup::DeviceStatus>(status, 9, sup::device_status_name);
        if (!s) return std::unexpected(bad("status: expected in_stock, charging, lost, faulty or recovered"));
        if (auto r = engine.set_device_status(id, *s, t, station); !r) return std::unexpected(conflict(r.error()));
      }
      return device_json(*engine.device(id));
    }
    if (op.kind == "journey.open") {
      auto plan = plan_of(b["body"]);
      if (!plan) return std::unexpected(bad(plan.error()));
      auto id = engine.open_journey(std::move(*plan), b.value("actor", ""), t);
      if (!id) return std::unexpected(conflict(id.error()));
      return journey_json(*engine.journey(*id));
    }
    if (op.kind == "journey.seal" || op.kind == "journey.unseal" || op.kind == "journey.authorise_unseal") {
      auto id = b.value("id", std::uint64_t{0});
      if (!engine.journey(id)) return std::unexpected(not_found(fmt::format("journey {} does not exist", id)));
      std::expected<void, std::string> r;
      if (op.kind == "journey.seal") {
        // "r": when the server heard of a sealing reported late ("at"); silence counts from then.
        r = engine.seal(id, b.value("actor", ""), t,
                        b.contains("r") ? std::optional(b["r"].get<std::int64_t>()) : std::nullopt);
      } else if (op.kind == "journey.unseal") {
        r = engine.unseal(id, b.value("actor", ""), t);
      } else {
        r = engine.authorise_unseal(id, b.value("actor", ""), t, b.value("validity_s", std::int64_t{7200}));
      }
      if (!r) return std::unexpected(conflict(r.error()));
      return journey_json(*engine.journey(id));
    }
    if (op.kind == "alarm.handle") {
      auto id = b.value("id", std::uint64_t{0});
      if (!engine.alarm(id)) return std::unexpected(not_found(fmt::format("alarm {} does not exist", id)));
      sup::AlarmHandling step;
      std::string action = b.value("action", "");
      static const std::map<std::string, sup::AlarmHandling::Kind> kActions = {
          {"acknowledge", sup::AlarmHandling::Kind::kAcknowledge}, {"dispatch", sup::AlarmHandling::Kind::kDispatch},
          {"resolve", sup::AlarmHandling::Kind::kResolve},         {"false_alarm", sup::AlarmHandling::Kind::kFalseAlarm},
          {"comment", sup::AlarmHandling::Kind::kComment},         {"photo", sup::AlarmHandling::Kind::kPhoto}};
      auto k = kActions.find(action);
      if (k == kActions.end()) {
        return std::unexpected(bad("action: expected acknowledge, dispatch, resolve, false_alarm, comment or photo"));
      }
      step.kind = k->second;
      step.actor = b.value("actor", "");
      step.time = t;
      step.comment = b.value("comment", "");
      step.patrol = b.value("patrol", "");
      step.photo = b.value("photo", "");
      if (step.kind == sup::AlarmHandling::Kind::kDispatch && step.patrol.empty()) {
        return std::unexpected(bad("patrol: required to dispatch"));
      }
      if (step.kind == sup::AlarmHandling::Kind::kPhoto && step.photo.empty()) {
        return std::unexpected(bad("photo: required (a reference to the stored picture)"));
      }
      if (step.kind == sup::AlarmHandling::Kind::kResolve) {
        auto o = parse_enum<sup::Outcome>(b.value("outcome", ""), 4, sup::outcome_name);
        if (!o) {
          return std::unexpected(bad("outcome: expected irregularity_confirmed, no_irregularity, justified or technical_fault"));
        }
        step.outcome = *o;
      }
      if (auto r = engine.handle_alarm(id, step); !r) return std::unexpected(conflict(r.error()));
      return alarm_json(*engine.alarm(id));
    }
    if (op.kind == "command.queue") {
      auto c = command_of(b["command"]);
      if (!c) return std::unexpected(bad(c.error()));
      std::string device = b.value("device", "");
      if (!engine.device(device)) return std::unexpected(not_found(fmt::format("device \"{}\" is not registered", device)));
      auto id = engine.queue_command(device, *c, b.value("actor", ""), t);
      if (!id) return std::unexpected(conflict(id.error()));
      return command_json(*engine.command(*id));
    }
    if (op.kind == "command.take") {
      json out = json::array();
      for (const auto& c : engine.take_commands_to_send(b.value("device", ""), t)) out.push_back(command_json(c));
      return out;
    }
    if (op.kind == "command.confirm" || op.kind == "command.fail") {
      auto id = b.value("id", std::uint64_t{0});
      auto r = op.kind == "command.confirm" ? engine.confirm_command(id, t, b.value("response", ""))
                                            : engine.fail_command(id, t, b.value("response", ""));
      if (!r) return std::unexpected(conflict(r.error()));
      return json::object();
    }
    if (op.kind == "transfer.ship") {
      Reader r{b};
      auto devices = r.texts("device_ids");
      std::string to = r.text("to", true);
      if (!r.error.empty()) return std::unexpected(bad(r.error));
      auto id = engine.ship_devices(devices, to, b.value("actor", ""), t);
      if (!id) {
        // Input that can never succeed is invalid; a device in the wrong state is a conflict.
        if (id.error().find("is not registered") != std::string::npos || id.error().starts_with("to: empty") ||
            id.error().starts_with("device_ids: at least") || id.error().find("listed twice") != std::string::npos) {
          return std::unexpected(bad(id.error()));
        }
        return std::unexpected(conflict(id.error()));
      }
      return transfer_json(*engine.transfer(*id));
    }
    if (op.kind == "transfer.receive") {
      auto id = b.value("id", std::uint64_t{0});
      if (!engine.transfer(id)) return std::unexpected(not_found(fmt::format("transfer {} does not exist", id)));
      if (auto r = engine.receive_transfer(id, b.value("actor", ""), t); !r)
        return std::unexpected(conflict(r.error()));
      return transfer_json(*engine.transfer(id));
    }
    return std::unexpected(bad("unknown op " + op.kind));
  }

  json journey_json(const sup::Journey& j) const {
    json events = json::array();
    for (const auto& e : j.events) {
      json ev = {{"time", e.time}, {"kind", std::string(sup::journey_event_name(e.kind))}, {"actor", e.actor},
                 {"detail", e.detail}};
      if (e.alarm) ev["alarm"] = e.alarm;
      events.push_back(std::move(ev));
    }
    const auto& d = j.plan.declaration;
    json out = {{"id", j.id},
                {"mrn", d.mrn},
                {"declaration",
                 {{"mrn", d.mrn},
                  {"office_of_departure", d.office_of_departure},
                  {"offices_of_transit", d.offices_of_transit},
                  {"office_of_destination", d.office_of_destination},
                  {"vehicle", d.vehicle},
                  {"container", d.container},
                  {"device_ids", d.device_ids},
                  {"goods_summary", d.goods_summary}}},
                {"route_id", j.plan.route ? j.plan.route->id() : ""},
                {"time_limit_s", j.plan.time_limit_s},
                {"status", std::string(sup::journey_status_name(j.status))},
                {"opened_at", j.opened_at},
                {"alarms", j.alarms},
                {"events", events},
                {"grade", std::string(sup::journey_grade_name(engine.journey_grade(j.id)))},
                {"requires_red_channel", engine.requires_red_channel(j.id)}};
    if (j.plan.route) out["route"] = route_json(*j.plan.route);
    if (j.sealed_at) out["sealed_at"] = *j.sealed_at;
    if (j.unsealed_at) out["unsealed_at"] = *j.unsealed_at;
    if (j.last_position) out["last_position"] = latlon_json(*j.last_position);
    if (j.last_position_time) out["last_position_time"] = *j.last_position_time;
    return out;
  }

  // Alarm changes since the last call, as stored rows and JSON to push. REQUIRES engine_mutex.
  void collect_alarms(std::vector<store::StoredAlarm>& rows, std::vector<json>& push) {
    for (sup::AlarmId id : engine.take_alarm_changes()) {
      const sup::Alarm* a = engine.alarm(id);
      if (!a) continue;
      json j = alarm_json(*a);
      rows.push_back({a->id, a->journey, std::string(sup::alarm_state_name(a->state)), dispatched_patrol(*a), j.dump()});
      push.push_back(std::move(j));
    }
  }

  void push(const std::vector<json>& alarms) {
    if (alarms.empty()) return;
    std::lock_guard lock(listeners_mutex);
    for (const auto& a : alarms) {
      for (auto& [id, l] : listeners) l(a);
      ++pushed;
    }
  }

  // Runs one step live: apply, then persist the op with the alarms it changed, then push.
  // `at`: when the step happened, if not now (step_time). The op is logged with that time, so a
  // replay applies it at the same time.
  ServiceResult<json> run(std::string kind, json body, std::optional<std::int64_t> at = std::nullopt) {
    std::vector<store::StoredAlarm> rows;
    std::vector<json> pushes;
    ServiceResult<json> result;
    {
      std::lock_guard lock(engine_mutex);
      store::SupervisionOp op{0, at.value_or(now_s()), std::move(kind), body.dump()};
      result = apply(op, body);
      if (!result) return result;
      collect_alarms(rows, pushes);
      if (auto r = store.commit(std::span(&op, 1), rows); !r) {
        // The engine already changed: a restart would lose this step. Say so rather than hide it.
        return std::unexpected(unavailable("the step was applied but could not be stored: " + r.error().message));
      }
    }
    push(pushes);
    return result;
  }

  // The optional "at" of a step's body, bounded as a device clock is (EngineOptions): a step
  // reported late may be days old, not weeks, and never in the future beyond clock skew.
  ServiceResult<std::optional<std::int64_t>> step_time(const json& body) const {
    if (!body.is_object()) return std::optional<std::int64_t>();
    auto it = body.find("at");
    if (it == body.end() || it->is_null()) return std::optional<std::int64_t>();
    if (!it->is_number_integer()) return std::unexpected(bad("at: expected UTC seconds since the epoch (an integer)"));
    const std::int64_t at = it->get<std::int64_t>();
    const std::int64_t now = now_s();
    if (at > now + options.engine.max_clock_ahead_s) {
      return std::unexpected(bad(fmt::format("at: {} is {} s after the server's clock; at most {} s ahead is accepted",
                                             at, at - now, options.engine.max_clock_ahead_s)));
    }
    if (at < now - options.engine.max_backlog_s) {
      return std::unexpected(bad(fmt::format("at: {} is {} s before the server's clock; at most {} s back is accepted",
                                             at, now - at, options.engine.max_backlog_s)));
    }
    return std::optional<std::int64_t>(at);
  }

  void deliver_commands(const std::string& device) {
    CommandSink sink;
    {
      std::lock_guard lock(sinks_mutex);
      auto it = sinks.find(device);
      if (it == sinks.end()) return;
      sink = it->second.sink;
    }
    // Nothing queued: taking would change nothing, so log nothing (a device attaching or calling
    // in must not cost a store transaction).
    {
      std::lock_guard lock(engine_mutex);
      if (!engine.has_commands_to_send(device)) return;
    }
    auto taken = run("command.take", json{{"device", device}});
    if (!taken) return;
    for (const auto& c : *taken) {
      const sup::DeviceCommand* cmd = nullptr;
      {
        std::lock_guard lock(engine_mutex);
        cmd = engine.command(c["id"].get<std::uint64_t>());
      }
      if (cmd && !sink(*cmd)) {
        (void)run("command.fail", json{{"id", cmd->id}, {"response", "the connection is closed"}});
      }
    }
  }

  void ingest_loop() {
    std::vector<std::pair<proto::DeviceMessage, std::int64_t>> batch;
    while (true) {
      {
        std::unique_lock lock(queue_mutex);
        queue_cv.wait(lock, [&] { return stopping || !queue.empty(); });
        if (queue.empty() && stopping) return;
        while (!queue.empty() && batch.size() < options.max_batch) {
          batch.push_back(std::move(queue.front()));
          queue.pop_front();
        }
      }
      std::vector<store::SupervisionOp> ops;
      ops.reserve(batch.size());
      std::vector<store::StoredAlarm> rows;
      std::vector<json> pushes;
      std::vector<std::string> waiting;
      {
        std::lock_guard lock(engine_mutex);
        for (auto& [message, received_at] : batch) {
          json body = {{"m", proto::to_json(message)}, {"r", received_at}};
          auto r = engine.ingest(message, received_at);
          if (r.status == sup::IngestResult::Status::kUnknownDevice) {
            ++unknown_device;
            continue;  // nothing changed in the engine: nothing to log
          }
          ++applied;
          if (r.commands_waiting) waiting.push_back(message.device_id);
          ops.push_back({0, received_at, "ingest", body.dump()});
        }
        collect_alarms(rows, pushes);
        if (!ops.empty() || !rows.empty()) {
          if (auto r = store.commit(ops, rows); !r) {
            spdlog_error(r.error().message);
          }
          ++batches;
        }
      }
      batch.clear();
      push(pushes);
      for (const auto& d : waiting) deliver_commands(d);
    }
  }

  static void spdlog_error(const std::string& message) {
    std::fprintf(stderr, "supervision: cannot store telemetry: %s\n", message.c_str());
  }

  void tick_loop() {
    std::unique_lock lock(tick_mutex);
    while (!tick_cv.wait_for(lock, options.tick_interval, [&] { return stopping_flag.load(); })) {
      std::vector<store::StoredAlarm> rows;
      std::vector<json> pushes;
      {
        std::lock_guard engine_lock(engine_mutex);
        std::int64_t t = now_s();
        engine.tick(t);
        collect_alarms(rows, pushes);
        // Only ticks that changed something are logged: a tick that raises nothing changes nothing.
        if (!rows.empty()) {
          store::SupervisionOp op{0, t, "tick", "{}"};
          if (auto r = store.commit(std::span(&op, 1), rows); !r) spdlog_error(r.error().message);
        }
      }
      push(pushes);
    }
  }
  std::atomic<bool> stopping_flag{false};
};

SupervisionService::SupervisionService(store::SupervisionStore& store, SupervisionServiceOptions options)
    : impl_(std::make_unique<Impl>(store, options)) {}

SupervisionService::~SupervisionService() { stop(); }

ServiceResult<std::size_t> SupervisionService::load() {
  std::size_t count = 0;
  std::vector<store::StoredAlarm> rows;
  std::vector<json> ignored;
  {
    std::lock_guard lock(impl_->engine_mutex);
    auto r = impl_->store.replay([&](const store::SupervisionOp& op) {
      json body = json::parse(op.body, nullptr, false);
      (void)impl_->apply(op, body);
      ++count;
    });
    if (!r) return std::unexpected(unavailable(r.error().message));
    impl_->collect_alarms(rows, ignored);  // already stored; the change list starts empty
  }
  impl_->ingest_thread = std::thread([this] { impl_->ingest_loop(); });
  impl_->tick_thread = std::thread([this] { impl_->tick_loop(); });
  return count;
}

void SupervisionService::stop() {
  {
    std::lock_guard lock(impl_->queue_mutex);
    impl_->stopping = true;
  }
  impl_->queue_cv.notify_all();
  {
    std::lock_guard lock(impl_->tick_mutex);
    impl_->stopping_flag = true;
  }
  impl_->tick_cv.notify_all();
  if (impl_->ingest_thread.joinable()) impl_->ingest_thread.join();
  if (impl_->tick_thread.joinable()) impl_->tick_thread.join();
}

bool SupervisionService::submit(proto::DeviceMessage message) {
  {
    std::lock_guard lock(impl_->queue_mutex);
    if (impl_->stopping || impl_->queue.size() >= impl_->options.queue_capacity) {
      ++impl_->refused;
      return false;
    }
    impl_->queue.emplace_back(std::move(message), now_s());
  }
  ++impl_->received;
  impl_->queue_cv.notify_one();
  return true;
}

IngestStats SupervisionService::stats() const {
  std::uint64_t queued = 0;
  {
    std::lock_guard lock(impl_->queue_mutex);
    queued = impl_->queue.size();
  }
  return {impl_->received.load(), impl_->refused.load(),  impl_->applied.load(), impl_->unknown_device.load(),
          impl_->pushed.load(),   queued,                 impl_->batches.load()};
}

ServiceResult<json> SupervisionService::register_device(const json& body, const std::string& actor) {
  json b = body;
  if (!b.is_object()) return std::unexpected(bad("the body must be a JSON object"));
  auto at = impl_->step_time(b);
  if (!at) return std::unexpected(at.error());
  b["registered_by"] = actor;
  return impl_->run("device.register", std::move(b), *at);
}

ServiceResult<json> SupervisionService::device(const std::string& id) const {
  std::lock_guard lock(impl_->engine_mutex);
  const sup::Device* d = impl_->engine.device(id);
  if (!d) return std::unexpected(not_found(fmt::format("device \"{}\" is not registered", id)));
  return device_json(*d);
}

ServiceResult<json> SupervisionService::devices() const {
  // The engine has no device enumeration; the op log's registrations give the ids in order.
  std::vector<std::string> ids;
  auto r = impl_->store.replay([&](const store::SupervisionOp& op) {
    if (op.kind != "device.register") return;
    json b = json::parse(op.body, nullptr, false);
    if (b.is_object() && b.contains("id") && b["id"].is_string()) ids.push_back(b["id"].get<std::string>());
  });
  if (!r) return std::unexpected(unavailable(r.error().message));
  std::lock_guard lock(impl_->engine_mutex);
  json out = json::array();
  for (const auto& id : ids) {
    if (const sup::Device* d = impl_->engine.device(id)) out.push_back(device_json(*d));
  }
  return json{{"devices", out}};
}

ServiceResult<json> SupervisionService::set_device_status(const std::string& id, const json& body,
                                                          const std::string& actor) {
  if (!body.is_object() || !body.contains("status") || !body["status"].is_string()) {
    return std::unexpected(bad("status: required, a string"));
  }
  auto at = impl_->step_time(body);
  if (!at) return std::unexpected(at.error());
  return impl_->run(
      "device.status",
      json{{"id", id}, {"status", body["status"]}, {"station", body.value("station", "")}, {"actor", actor}}, *at);
}

void SupervisionService::attach_device(const std::string& device_id, std::uint64_t connection, CommandSink sink) {
  {
    std::lock_guard lock(impl_->sinks_mutex);
    impl_->sinks[device_id] = {connection, std::move(sink)};
  }
  bool waiting = false;
  {
    std::lock_guard lock(impl_->engine_mutex);
    waiting = impl_->engine.has_commands_to_send(device_id);
  }
  if (waiting) impl_->deliver_commands(device_id);
}

void SupervisionService::detach_device(const std::string& device_id, std::uint64_t connection) {
  std::lock_guard lock(impl_->sinks_mutex);
  auto it = impl_->sinks.find(device_id);
  if (it != impl_->sinks.end() && it->second.connection == connection) impl_->sinks.erase(it);
}

ServiceResult<json> SupervisionService::open_journey(const json& body, const std::string& actor) {
  if (!body.is_object()) return std::unexpected(bad("the body must be a JSON object"));
  auto at = impl_->step_time(body);
  if (!at) return std::unexpected(at.error());
  return impl_->run("journey.open", json{{"body", body}, {"actor", actor}}, *at);
}

ServiceResult<json> SupervisionService::journey(std::uint64_t id) const {
  std::lock_guard lock(impl_->engine_mutex);
  const sup::Journey* j = impl_->engine.journey(id);
  if (!j) return std::unexpected(not_found(fmt::format("journey {} does not exist", id)));
  return impl_->journey_json(*j);
}

ServiceResult<json> SupervisionService::journeys() const {
  std::lock_guard lock(impl_->engine_mutex);
  json out = json::array();
  // Journeys on the same planned route share it: each route is listed once, by id.
  json routes = json::array();
  std::set<std::string, std::less<>> listed;
  for (std::uint64_t id = 1;; ++id) {
    const sup::Journey* j = impl_->engine.journey(id);
    if (!j) break;
    json s = impl_->journey_json(*j);
    s.erase("events");
    if (auto route = s.find("route"); route != s.end()) {
      if (listed.insert(j->plan.route->id()).second) routes.push_back(std::move(*route));
      s.erase(route);
    }
    out.push_back(std::move(s));
  }
  return json{{"journeys", out}, {"routes", routes}};
}

ServiceResult<json> SupervisionService::seal(std::uint64_t id, const std::string& actor, const json& body) {
  auto at = impl_->step_time(body);
  if (!at) return std::unexpected(at.error());
  json step = {{"id", id}, {"actor", actor}};
  if (*at) step["r"] = now_s();
  return impl_->run("journey.seal", std::move(step), *at);
}

ServiceResult<json> SupervisionService::unseal(std::uint64_t id, const std::string& actor, const json& body) {
  auto at = impl_->step_time(body);
  if (!at) return std::unexpected(at.error());
  return impl_->run("journey.unseal", json{{"id", id}, {"actor", actor}}, *at);
}

ServiceResult<json> SupervisionService::authorise_unseal(std::uint64_t id, const json& body, const std::string& actor) {
  std::int64_t validity = 7200;
  if (body.is_object() && body.contains("validity_s")) {
    if (!body["validity_s"].is_number_integer() || body["validity_s"].get<std::int64_t>() <= 0) {
      return std::unexpected(bad("validity_s: a positive number of seconds"));
    }
    validity = body["validity_s"].get<std::int64_t>();
  }
  auto at = impl_->step_time(body);
  if (!at) return std::unexpected(at.error());
  return impl_->run("journey.authorise_unseal", json{{"id", id}, {"actor", actor}, {"validity_s", validity}}, *at);
}

ServiceResult<json> SupervisionService::export_journey(std::uint64_t id) const {
  json record;
  {
    std::lock_guard lock(impl_->engine_mutex);
    const sup::Journey* j = impl_->engine.journey(id);
    if (!j) return std::unexpected(not_found(fmt::format("journey {} does not exist", id)));
    record = impl_->journey_json(*j);
    json alarms = json::array();
    for (sup::AlarmId a : j->alarms) {
      if (const sup::Alarm* alarm = impl_->engine.alarm(a)) alarms.push_back(alarm_json(*alarm));
    }
    record["alarms"] = alarms;
  }
  record["exported_at"] = now_s();
  if (sodium_init() < 0) return std::unexpected(unavailable("libsodium cannot start"));
  auto stored = impl_->store.secret("ed25519_secret_key");
  if (!stored) return std::unexpected(unavailable(stored.error().message));
  std::string secret_hex;
  if (*stored) {
    secret_hex = **stored;
  } else {
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    unsigned char sk[crypto_sign_SECRETKEYBYTES];
    crypto_sign_keypair(pk, sk);
    auto put = impl_->store.put_secret_once("ed25519_secret_key", to_hex(sk, sizeof sk));
    sodium_memzero(sk, sizeof sk);
    if (!put) return std::unexpected(unavailable(put.error().message));
    secret_hex = *put;
  }
  auto sk = from_hex(secret_hex);
  if (!sk || sk->size() != crypto_sign_SECRETKEYBYTES) return std::unexpected(unavailable("the stored signing key is damaged"));
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  crypto_sign_ed25519_sk_to_pk(pk, sk->data());
  // The signature covers the record's canonical text: nlohmann's dump sorts object keys.
  std::string text = record.dump();
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(text.data()), text.size(), sk->data());
  sodium_memzero(sk->data(), sk->size());
  return json{{"algorithm", "ed25519"},
              {"public_key", to_hex(pk, sizeof pk)},
              {"signature", to_hex(sig, sizeof sig)},
              {"record", record}};
}

std::expected<json, std::string> verify_journey_record(const json& signed_record, const std::string& trusted_public_key_hex) {
  if (sodium_init() < 0) return std::unexpected(std::string("libsodium cannot start"));
  if (!signed_record.is_object() || signed_record.value("algorithm", "") != "ed25519") {
    return std::unexpected(std::string("algorithm: expected \"ed25519\""));
  }
  if (!signed_record.contains("record") || !signed_record["record"].is_object()) {
    return std::unexpected(std::string("record: missing"));
  }
  std::string key_hex = signed_record.value("public_key", "");
  if (!trusted_public_key_hex.empty() && trusted_public_key_hex != key_hex) {
    return std::unexpected(std::string("public_key: not the trusted key"));
  }
  auto pk = from_hex(key_hex);
  if (!pk || pk->size() != crypto_sign_PUBLICKEYBYTES) return std::unexpected(std::string("public_key: not 32 bytes of hex"));
  auto sig = from_hex(signed_record.value("signature", ""));
  if (!sig || sig->size() != crypto_sign_BYTES) return std::unexpected(std::string("signature: not 64 bytes of hex"));
  std::string text = signed_record["record"].dump();
  if (crypto_sign_verify_detached(sig->data(), reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                                  pk->data()) != 0) {
    return std::unexpected(std::string("signature: does not match the record (altered, or signed by another key)"));
  }
  return signed_record["record"];
}

ServiceResult<json> SupervisionService::alarms(std::optional<std::string> state, std::optional<std::string> patrol,
                                               int limit) const {
  auto rows = impl_->store.alarms(std::move(state), std::move(patrol), limit);
  if (!rows) return std::unexpected(unavailable(rows.error().message));
  json out = json::array();
  for (const auto& r : *rows) out.push_back(json::parse(r.json, nullptr, false));
  return json{{"alarms", out}};
}

ServiceResult<json> SupervisionService::alarm(std::uint64_t id) const {
  std::lock_guard lock(impl_->engine_mutex);
  const sup::Alarm* a = impl_->engine.alarm(id);
  if (!a) return std::unexpected(not_found(fmt::format("alarm {} does not exist", id)));
  return alarm_json(*a);
}

ServiceResult<json> SupervisionService::handle_alarm(std::uint64_t id, const json& body, const std::string& actor,
                                                     std::optional<std::string> only_patrol) {
  if (!body.is_object()) return std::unexpected(bad("the body must be a JSON object"));
  if (only_patrol) {
    std::lock_guard lock(impl_->engine_mutex);
    const sup::Alarm* a = impl_->engine.alarm(id);
    if (!a) return std::unexpected(not_found(fmt::format("alarm {} does not exist", id)));
    if (dispatched_patrol(*a) != *only_patrol) {
      return std::unexpected(ServiceError{403, "forbidden", "the alarm is not dispatched to you"});
    }
  }
  json b = body;
  b["id"] = id;
  b["actor"] = actor;
  return impl_->run("alarm.handle", std::move(b));
}

std::uint64_t SupervisionService::subscribe(AlarmListener listener) {
  std::lock_guard lock(impl_->listeners_mutex);
  std::uint64_t id = impl_->next_listener++;
  impl_->listeners.emplace(id, std::move(listener));
  return id;
}

void SupervisionService::unsubscribe(std::uint64_t id) {
  std::lock_guard lock(impl_->listeners_mutex);
  impl_->listeners.erase(id);
}

ServiceResult<json> SupervisionService::queue_command(const std::string& device_id, const json& body,
                                                      const std::string& actor) {
  auto c = command_of(body);
  if (!c) return std::unexpected(bad(c.error()));
  auto queued = impl_->run("command.queue", json{{"device", device_id}, {"command", command_body(*c)}, {"actor", actor}});
  if (queued) impl_->deliver_commands(device_id);
  if (!queued) return queued;
  return command((*queued)["id"].get<std::uint64_t>());
}

ServiceResult<json> SupervisionService::command(std::uint64_t id) const {
  std::lock_guard lock(impl_->engine_mutex);
  const sup::DeviceCommand* c = impl_->engine.command(id);
  if (!c) return std::unexpected(not_found(fmt::format("command {} does not exist", id)));
  return command_json(*c);
}

void SupervisionService::command_written(std::uint64_t id, bool ok, const std::string& reason) {
  if (!ok) (void)impl_->run("command.fail", json{{"id", id}, {"response", reason}});
}

ServiceResult<json> SupervisionService::stock() const {
  std::lock_guard lock(impl_->engine_mutex);
  json out = json::array();
  for (const auto& s : impl_->engine.stock_by_station()) out.push_back(json{{"station", s.station}, {"available", s.available}});
  return json{{"stations", out}};
}

ServiceResult<json> SupervisionService::station_flows(std::int64_t from, std::int64_t to) const {
  if (from >= to) return std::unexpected(bad(fmt::format("from: {} must be before to ({})", from, to)));
  std::lock_guard lock(impl_->engine_mutex);
  json out = json::array();
  for (const auto& f : impl_->engine.ledger().flows(from, to)) {
    out.push_back({{"station", f.station},
                   {"inflow", f.inflow},
                   {"outflow", f.outflow},
                   {"net", f.net()},
                   {"stock_at_start", f.stock_at_start},
                   {"stock_at_end", f.stock_at_end}});
  }
  return json{{"from", from}, {"to", to}, {"stations", out}};
}

ServiceResult<json> SupervisionService::station_series(const std::string& station, std::int64_t from,
                                                       std::int64_t to) const {
  if (from >= to) return std::unexpected(bad(fmt::format("from: {} must be before to ({})", from, to)));
  std::lock_guard lock(impl_->engine_mutex);
  const auto& ledger = impl_->engine.ledger();
  const auto stations = ledger.stations();
  if (std::find(stations.begin(), stations.end(), station) == stations.end()) {
    return std::unexpected(not_found(fmt::format("station \"{}\" has never held a device", station)));
  }
  json points = json::array();
  for (const auto& [time, stock] : ledger.series(station, from, to))
    points.push_back({{"time", time}, {"stock", stock}});
  // The movements strictly before `from` set the starting level (stock_at counts `time` itself).
  return json{{"station", station},
              {"from", from},
              {"to", to},
              {"stock_at_start", ledger.stock_at(station, from - 1)},
              {"points", points}};
}

namespace {

// A number field of the plan request within [lo, hi], or the error naming it.
std::expected<double, std::string> bounded(const json& object, const char* key, const std::string& path,
                                           double fallback, double lo, double hi) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return fallback;
  if (!it->is_number() || it->get<double>() < lo || it->get<double>() > hi) {
    return std::unexpected(fmt::format("{}.{}: expected a number from {} to {}", path, key, lo, hi));
  }
  return it->get<double>();
}

}  // namespace

ServiceResult<json> SupervisionService::dispatch_plan(const json& body) const {
  if (!body.is_object()) return std::unexpected(bad("the body must be a JSON object"));
  // Parameters of the derived targets.
  const json derive = body.value("derive", json::object());
  if (!derive.is_object()) return std::unexpected(bad("derive: expected an object {history_days, cover_days, safety}"));
  auto history_days = bounded(derive, "history_days", "derive", 7, 1, 365);
  auto cover_days = bounded(derive, "cover_days", "derive", 2, 0, 90);
  auto safety = bounded(derive, "safety", "derive", 0.2, 0, 10);
  for (const auto* r : {&history_days, &cover_days, &safety}) {
    if (!*r) return std::unexpected(bad(r->error()));
  }
  std::map<std::string, int> targets;
  if (auto it = body.find("targets"); it != body.end() && !it->is_null()) {
    if (!it->is_object()) return std::unexpected(bad("targets: expected an object {STATION: devices}"));
    for (const auto& [station, n] : it->items()) {
      if (station.empty()) return std::unexpected(bad("targets: a station name is empty"));
      if (!n.is_number_integer() || n.get<std::int64_t>() < 0 || n.get<std::int64_t>() > 1000000) {
        return std::unexpected(
            bad(fmt::format("targets.{}: expected a whole number of devices from 0 to 1000000", station)));
      }
      targets[station] = n.get<int>();
    }
  }
  auto lanes_it = body.find("lanes");
  if (lanes_it == body.end() || !lanes_it->is_array()) {
    return std::unexpected(bad("lanes: required, an array of {from, to, cost_per_device, capacity?}"));
  }
  std::vector<sup::Lane> lanes;
  for (std::size_t i = 0; i < lanes_it->size(); ++i) {
    const json& l = (*lanes_it)[i];
    const std::string path = fmt::format("lanes[{}]", i);
    if (!l.is_object())
      return std::unexpected(bad(path + ": expected an object {from, to, cost_per_device, capacity?}"));
    Reader r{l};
    sup::Lane lane;
    lane.from = r.text("from", true);
    lane.to = r.text("to", true);
    if (!r.error.empty()) return std::unexpected(bad(path + "." + r.error));
    if (lane.from == lane.to)
      return std::unexpected(bad(fmt::format("{}.to: \"{}\" is the lane's own origin", path, lane.to)));
    auto cost = l.find("cost_per_device");
    if (cost == l.end() || !cost->is_number() || !(cost->get<double>() >= 0) || !std::isfinite(cost->get<double>())) {
      return std::unexpected(bad(path + ".cost_per_device: required, a finite number >= 0"));
    }
    lane.cost_per_device = cost->get<double>();
    if (auto cap = l.find("capacity"); cap != l.end() && !cap->is_null()) {
      if (!cap->is_number_integer() || cap->get<std::int64_t>() < 0 || cap->get<std::int64_t>() > 1000000) {
        return std::unexpected(
            bad(path + ".capacity: expected a whole number of devices from 0 to 1000000 (omit it for no limit)"));
      }
      lane.capacity = cap->get<int>();
    }
    lanes.push_back(std::move(lane));
  }

  const std::int64_t now = now_s();
  const std::int64_t history_from = now - static_cast<std::int64_t>(*history_days * 86400);
  std::map<std::string, int> available, departures;
  std::vector<std::string> known;
  {
    std::lock_guard lock(impl_->engine_mutex);
    for (const auto& s : impl_->engine.stock_by_station()) available[s.station] = s.available;
    departures = impl_->engine.ledger().count("sealed", history_from, now + 1);
    known = impl_->engine.ledger().stations();
  }
  std::set<std::string> stations(known.begin(), known.end());
  for (const auto& [station, n] : targets) stations.insert(station);
  for (std::size_t i = 0; i < lanes.size(); ++i) {
    for (const auto& [end, name] : {std::pair{"from", &lanes[i].from}, std::pair{"to", &lanes[i].to}}) {
      if (!stations.contains(*name)) {
        return std::unexpected(
            bad(fmt::format("lanes[{}].{}: station \"{}\" has never held a device; name it in targets "
                            "(e.g. 0) to route through it",
                            i, end, *name)));
      }
    }
  }
  std::vector<sup::StationNeed> needs;
  json station_rows = json::array();
  for (const auto& station : stations) {
    const double per_day = departures[station] / *history_days;
    const bool given = targets.contains(station);
    const int target = given ? targets[station] : sup::target_stock(per_day, *cover_days, *safety);
    needs.push_back({station, available[station], target});
    station_rows.push_back({{"station", station},
                            {"available", available[station]},
                            {"target", target},
                            {"target_from", given ? "request" : "departures"},
                            {"departures_per_day", per_day}});
  }
  auto plan = sup::plan_dispatch(needs, lanes);
  if (!plan) return std::unexpected(bad(plan.error()));
  json shipments = json::array();
  for (const auto& sh : plan->shipments) {
    shipments.push_back({{"from", sh.from}, {"to", sh.to}, {"devices", sh.devices}, {"cost", sh.cost}});
  }
  return json{{"stations", station_rows},
              {"shipments", shipments},
              {"total_cost", plan->total_cost},
              {"devices_moved", plan->devices_moved},
              {"shortage_left", plan->shortage_left},
              {"derive", {{"history_days", *history_days}, {"cover_days", *cover_days}, {"safety", *safety}}},
              {"history", {{"from", history_from}, {"to", now}}}};
}

ServiceResult<json> SupervisionService::ship_devices(const json& body, const std::string& actor) {
  if (!body.is_object()) return std::unexpected(bad("the body must be a JSON object"));
  if (!body.contains("device_ids") || !body["device_ids"].is_array()) {
    return std::unexpected(bad("device_ids: required, an array of device ids"));
  }
  auto at = impl_->step_time(body);
  if (!at) return std::unexpected(at.error());
  return impl_->run("transfer.ship",
                    json{{"device_ids", body["device_ids"]}, {"to", body.value("to", json())}, {"actor", actor}}, *at);
}

ServiceResult<json> SupervisionService::receive_transfer(std::uint64_t id, const json& body, const std::string& actor) {
  auto at = impl_->step_time(body);
  if (!at) return std::unexpected(at.error());
  return impl_->run("transfer.receive", json{{"id", id}, {"actor", actor}}, *at);
}

ServiceResult<json> SupervisionService::transfer(std::uint64_t id) const {
  std::lock_guard lock(impl_->engine_mutex);
  const sup::DeviceTransfer* t = impl_->engine.transfer(id);
  if (!t) return std::unexpected(not_found(fmt::format("transfer {} does not exist", id)));
  return transfer_json(*t);
}

ServiceResult<json> SupervisionService::transfers() const {
  std::lock_guard lock(impl_->engine_mutex);
  json out = json::array();
  for (std::uint64_t id = 1; id <= impl_->engine.transfer_count(); ++id)
    out.push_back(transfer_json(*impl_->engine.transfer(id)));
  return json{{"transfers", out}};
}

}  // namespace cordon::assessment
