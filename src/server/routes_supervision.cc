// Supervision: telemetry over HTTP JSON, the device registry, journeys, alarms and their
// handling, remote commands, signed journey records. Each handler parses the path and body, calls
// the SupervisionService (assessment/supervision_service.h) and renders its answer.
#include <charconv>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/time.h"

#include "assessment/supervision_service.h"
#include "server/app.h"
#include "supervision/protocols/protocols.h"

namespace cordon::server {
namespace {

using nlohmann::json;
using assessment::ServiceResult;

HttpResponse render(const ServiceResult<json>& r, int ok_status = 200) {
  if (!r) return HttpResponse::error(r.error().status, r.error().code, r.error().message);
  return HttpResponse::json(ok_status, r->dump(-1, ' ', false, json::error_handler_t::replace));
}

std::optional<std::uint64_t> id_param(const HttpRequest& request, const char* name = "id") {
  auto it = request.path_params.find(name);
  if (it == request.path_params.end()) return std::nullopt;
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), v);
  if (ec != std::errc() || p != it->second.data() + it->second.size()) return std::nullopt;
  return v;
}

HttpResponse bad_id() { return HttpResponse::error(404, "not_found", "no such id"); }

json body_of(const HttpRequest& request) {
  if (request.body.empty()) return json::object();
  return json::parse(request.body, nullptr, false);
}

// A time in a query: UTC seconds, an ISO 8601 timestamp with its zone, or a date (its midnight
// UTC). Absent: `fallback`.
std::expected<std::int64_t, std::string> time_param(const HttpRequest& request, const char* name,
                                                    std::int64_t fallback) {
  auto v = request.query_param(name);
  if (!v) return fallback;
  std::int64_t seconds = 0;
  if (auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), seconds);
      ec == std::errc() && p == v->data() + v->size()) {
    return seconds;
  }
  if (auto t = parse_timestamp(*v)) return *t;
  if (auto d = parse_date(*v)) return *d * 86400;
  return std::unexpected(
      fmt::format("{}: \"{}\" is not UTC seconds, an ISO 8601 timestamp with a zone, or a date", name, *v));
}

// [from, to) of a logistics query; by default the last 30 days.
std::expected<std::pair<std::int64_t, std::int64_t>, std::string> period(const HttpRequest& request) {
  const std::int64_t now = now_seconds();
  auto to = time_param(request, "to", now + 1);
  if (!to) return std::unexpected(to.error());
  auto from = time_param(request, "from", *to - 30 * 86400);
  if (!from) return std::unexpected(from.error());
  if (*from >= *to) return std::unexpected(fmt::format("from: {} must be before to ({})", *from, *to));
  return std::pair{*from, *to};
}

// A context built without supervision (tests of other engines) still lists these routes; they
// answer 503 after authorisation.
HttpResponse no_service() { return HttpResponse::error(503, "unavailable", "supervision is not running on this server"); }

}  // namespace

void add_supervision_routes(Router& router, const AppContext& context) {
  Auth& auth = *context.auth;
  store::Store& store = *context.store;
  assessment::SupervisionService* const service = context.supervision;
  const Roles officers{Role::kSupervisionOfficer};
  const Roles registry{Role::kSupervisionOfficer, Role::kAdministrator};
  const Roles alarm_readers{Role::kSupervisionOfficer, Role::kPatrolOfficer};

  // Devices that cannot hold a session post with the bearer token of a submitter account.
  add_secured(router, auth, store, "POST", "/api/v1/telemetry", "telemetry.post", Roles{Role::kSubmitter},
              [service](const HttpRequest& request, const Principal&) {
                if (!service) return no_service();
                auto decoded = supervision::protocols::decode_cordon_json(request.body);
                if (!decoded) {
                  return HttpResponse::error(422, decoded.error().rule, decoded.error().message);
                }
                if (!service->submit(std::move(decoded->message))) {
                  return HttpResponse::error(503, "busy", "the ingest queue is full; send again later");
                }
                return HttpResponse::json(202, R"({"accepted":true})");
              });

  add_secured(router, auth, store, "GET", "/api/v1/devices", "devices.list", registry,
              [service](const HttpRequest&, const Principal&) { return service ? render(service->devices()) : no_service(); });
  add_secured(router, auth, store, "POST", "/api/v1/devices", "devices.register", registry,
              [service](const HttpRequest& request, const Principal& who) {
                return service ? render(service->register_device(body_of(request), who.actor()), 201) : no_service();
              });
  add_secured(router, auth, store, "GET", "/api/v1/devices/{id}", "devices.get", registry,
              [service](const HttpRequest& request, const Principal&) {
                return service ? render(service->device(request.path_params.at("id"))) : no_service();
              });
  add_secured(router, auth, store, "POST", "/api/v1/devices/{id}/status", "devices.status", registry,
              [service](const HttpRequest& request, const Principal& who) {
                return service ? render(service->set_device_status(request.path_params.at("id"), body_of(request), who.actor()))
                               : no_service();
              });
  add_secured(router, auth, store, "POST", "/api/v1/devices/{id}/commands", "devices.commands.queue", officers,
              [service](const HttpRequest& request, const Principal& who) {
                return service ? render(service->queue_command(request.path_params.at("id"), body_of(request), who.actor()), 201)
                               : no_service();
              });
  add_secured(router, auth, store, "GET", "/api/v1/commands/{id}", "commands.get", officers,
              [service](const HttpRequest& request, const Principal&) {
                auto id = id_param(request);
                if (!service) return no_service();
                return id ? render(service->command(*id)) : bad_id();
              });
  add_secured(router, auth, store, "GET", "/api/v1/stations/stock", "stations.stock", registry,
              [service](const HttpRequest&, const Principal&) { return service ? render(service->stock()) : no_service(); });
  add_secured(router, auth, store, "GET", "/api/v1/stations/flows", "stations.flows", registry,
              [service](const HttpRequest& request, const Principal&) {
                if (!service) return no_service();
                auto p = period(request);
                if (!p) return HttpResponse::error(422, "validation_failed", p.error());
                return render(service->station_flows(p->first, p->second));
              });
  add_secured(router, auth, store, "GET", "/api/v1/stations/{station}/series", "stations.series", registry,
              [service](const HttpRequest& request, const Principal&) {
                if (!service) return no_service();
                auto p = period(request);
                if (!p) return HttpResponse::error(422, "validation_failed", p.error());
                return render(service->station_series(request.path_params.at("station"), p->first, p->second));
              });
  add_secured(router, auth, store, "POST", "/api/v1/stations/dispatch-plan", "stations.dispatch_plan", registry,
              [service](const HttpRequest& request, const Principal&) {
                if (!service) return no_service();
                return render(service->dispatch_plan(body_of(request)));
              });
  add_secured(router, auth, store, "GET", "/api/v1/transfers", "transfers.list", registry,
              [service](const HttpRequest&, const Principal&) {
                return service ? render(service->transfers()) : no_service();
              });
  add_secured(router, auth, store, "POST", "/api/v1/transfers", "transfers.ship", registry,
              [service](const HttpRequest& request, const Principal& who) {
                return service ? render(service->ship_devices(body_of(request), who.actor()), 201) : no_service();
              });
  add_secured(router, auth, store, "GET", "/api/v1/transfers/{id}", "transfers.get", registry,
              [service](const HttpRequest& request, const Principal&) {
                auto id = id_param(request);
                if (!service) return no_service();
                return id ? render(service->transfer(*id)) : bad_id();
              });
  add_secured(router, auth, store, "POST", "/api/v1/transfers/{id}/receive", "transfers.receive", registry,
              [service](const HttpRequest& request, const Principal& who) {
                auto id = id_param(request);
                if (!service) return no_service();
                return id ? render(service->receive_transfer(*id, body_of(request), who.actor())) : bad_id();
              });

  add_secured(router, auth, store, "POST", "/api/v1/journeys", "journeys.open", officers,
              [service](const HttpRequest& request, const Principal& who) {
                return service ? render(service->open_journey(body_of(request), who.actor()), 201) : no_service();
              });
  add_secured(router, auth, store, "GET", "/api/v1/journeys", "journeys.list", officers,
              [service](const HttpRequest&, const Principal&) { return service ? render(service->journeys()) : no_service(); });
  add_secured(router, auth, store, "GET", "/api/v1/journeys/{id}", "journeys.get", officers,
              [service](const HttpRequest& request, const Principal&) {
                auto id = id_param(request);
                if (!service) return no_service();
                return id ? render(service->journey(*id)) : bad_id();
              });
  add_secured(router, auth, store, "GET", "/api/v1/journeys/{id}/events", "journeys.events", officers,
              [service](const HttpRequest& request, const Principal&) {
                auto id = id_param(request);
                if (!service) return no_service();
                if (!id) return bad_id();
                auto j = service->journey(*id);
                if (!j) return render(j);
                return render(json{{"events", (*j)["events"]}});
              });
  auto step = [&](const char* path, const char* name, auto call) {
    add_secured(router, auth, store, "POST", path, name, officers,
                [service, call](const HttpRequest& request, const Principal& who) {
                  auto id = id_param(request);
                  if (!service) return no_service();
                  return id ? render(call(*service, *id, body_of(request), who.actor())) : bad_id();
                });
  };
  step("/api/v1/journeys/{id}/seal", "journeys.seal",
       [](assessment::SupervisionService& s, std::uint64_t id, const json& b, const std::string& actor) {
         return s.seal(id, actor, b);
       });
  step("/api/v1/journeys/{id}/unseal", "journeys.unseal",
       [](assessment::SupervisionService& s, std::uint64_t id, const json& b, const std::string& actor) {
         return s.unseal(id, actor, b);
       });
  step("/api/v1/journeys/{id}/authorise-unseal", "journeys.authorise_unseal",
       [](assessment::SupervisionService& s, std::uint64_t id, const json& b, const std::string& actor) {
         return s.authorise_unseal(id, b, actor);
       });
  add_secured(router, auth, store, "GET", "/api/v1/journeys/{id}/record", "journeys.record", officers,
              [service](const HttpRequest& request, const Principal&) {
                auto id = id_param(request);
                if (!service) return no_service();
                return id ? render(service->export_journey(*id)) : bad_id();
              });

  add_secured(router, auth, store, "GET", "/api/v1/alarms", "alarms.list", alarm_readers,
              [service](const HttpRequest& request, const Principal& who) {
                if (!service) return no_service();
                std::optional<std::string> state, patrol;
                if (auto s = request.query_param("state")) state = std::string(*s);
                // A patrol sees the alarms dispatched to it, whatever it asks for.
                if (!who.roles.contains(Role::kSupervisionOfficer)) patrol = who.username;
                int limit = 200;
                if (auto l = request.query_param("limit")) {
                  auto [p, ec] = std::from_chars(l->data(), l->data() + l->size(), limit);
                  if (ec != std::errc() || limit < 1 || limit > 10000) {
                    return HttpResponse::error(400, "bad_query", "limit: an integer from 1 to 10000");
                  }
                }
                return render(service->alarms(state, patrol, limit));
              });
  // Alarm changes pushed as they are stored: {"type":"alarm","alarm":{...}}. Authenticated like
  // any request (session cookie or bearer token) before the upgrade is accepted.
  add_secured(router, auth, store, "GET", "/api/v1/alarms/live", "alarms.live", alarm_readers,
              [service](const HttpRequest& request, const Principal& who) {
                if (!service) return no_service();
                if (!request.websocket_upgrade) {
                  return HttpResponse::error(426, "upgrade_required", "connect with a WebSocket to receive alarm changes");
                }
                struct Live {
                  std::uint64_t subscription = 0;
                };
                auto live = std::make_shared<Live>();
                std::optional<std::string> patrol;
                if (!who.roles.contains(Role::kSupervisionOfficer)) patrol = who.username;
                auto upgrade = std::make_shared<WebSocketUpgrade>();
                upgrade->on_open = [service, live, patrol](std::shared_ptr<WebSocketChannel> channel) {
                  channel->send(R"({"type":"hello"})");
                  std::weak_ptr<WebSocketChannel> weak = channel;
                  live->subscription = service->subscribe([weak, patrol](const json& alarm) {
                    if (patrol) {
                      bool mine = false;
                      for (const auto& h : alarm["history"]) mine = mine || h.value("patrol", "") == *patrol;
                      if (!mine) return;
                    }
                    if (auto c = weak.lock()) {
                      c->send(json{{"type", "alarm"}, {"alarm", alarm}}.dump(-1, ' ', false, json::error_handler_t::replace));
                    }
                  });
                };
                upgrade->on_close = [service, live] {
                  if (live->subscription) service->unsubscribe(live->subscription);
                };
                HttpResponse response;
                response.status = 101;
                response.websocket = std::move(upgrade);
                return response;
              });
  add_secured(router, auth, store, "GET", "/api/v1/alarms/{id}", "alarms.get", alarm_readers,
              [service](const HttpRequest& request, const Principal& who) {
                auto id = id_param(request);
                if (!service) return no_service();
                if (!id) return bad_id();
                auto a = service->alarm(*id);
                if (a && !who.roles.contains(Role::kSupervisionOfficer)) {
                  bool mine = false;
                  for (const auto& h : (*a)["history"]) mine = mine || h.value("patrol", "") == who.username;
                  if (!mine) return HttpResponse::error(403, "forbidden", "the alarm is not dispatched to you");
                }
                return render(a);
              });
  add_secured(router, auth, store, "POST", "/api/v1/alarms/{id}/actions", "alarms.handle", alarm_readers,
              [service](const HttpRequest& request, const Principal& who) {
                auto id = id_param(request);
                if (!service) return no_service();
                if (!id) return bad_id();
                std::optional<std::string> only_patrol;
                json body = body_of(request);
                if (!who.roles.contains(Role::kSupervisionOfficer)) {
                  only_patrol = who.username;
                  std::string action = body.is_object() ? body.value("action", "") : "";
                  if (action == "dispatch" || action == "false_alarm") {
                    return HttpResponse::error(403, "forbidden", "a patrol acknowledges, comments, adds photos and resolves");
                  }
                }
                return render(service->handle_alarm(*id, body, who.actor(), only_patrol));
              });
}

}  // namespace cordon::server
