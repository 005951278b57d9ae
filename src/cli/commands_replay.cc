// `cordon simulate replay`: plays a simulated world's supervised journeys to a running Cordon as
// the devices and officers would — devices registered and journeys opened, sealed, authorised,
// unsealed and recovered through the HTTP API, telemetry over the devices' own protocols (eSeal
// over TCP, OsmAnd over HTTP, Cordon JSON over HTTP) — so the console shows the journeys move
// and the planted incidents come in as alarms.
//
// Time. A report made at simulated time t is sent at wall time W0 + (t - T0) / speed (speed 0:
// as fast as the server acknowledges). Each journey's clock is shifted so that it ends when its
// replay ends: its device times and the "at" of its officers' steps are t + shift_j with
// shift_j = wall(end_j) - end_j. At speed 1 every journey shares the shift (a live replay); faster,
// a journey's reports carry times a little in the past, as a device sending its stored track
// does, which keeps every dwell the engine measures (deviation, stops, sensors) at its simulated
// length and never puts a device clock ahead of the server's. What only the server's own clock
// decides — loss of communication, raised after 4 h of wall-clock silence — is seen only at
// speed 1; the summary says so.
//
// Ordering. The server applies telemetry asynchronously (acknowledged when queued); before
// unsealing a journey the replay waits until the server has applied everything it sent
// (GET /metrics, role monitoring), or the last reports would arrive after supervision ended.
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "core/time.h"
#include "simulation/device_frames.h"
#include "simulation/simulation.h"

namespace cordon::cli {
namespace {

using nlohmann::json;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using Clock = std::chrono::steady_clock;

struct HostPort {
  std::string host;
  std::string port;
};

std::optional<HostPort> parse_host_port(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) return std::nullopt;
  const std::string port = text.substr(colon + 1);
  if (port.find_first_not_of("0123456789") != std::string::npos || port.size() > 5 || std::stoi(port) > 65535)
    return std::nullopt;
  return HostPort{text.substr(0, colon), port};
}

struct HttpReply {
  int status = 0;
  std::string body;
};

// One keep-alive HTTP/1.1 connection, reopened when the server closes it.
class HttpConnection {
 public:
  explicit HttpConnection(HostPort where) : where_(std::move(where)) {}

  HttpReply request(http::verb verb, const std::string& target, const std::string& body, const std::string& token) {
    for (int attempt = 0;; ++attempt) {
      try {
        if (!stream_) connect();
        http::request<http::string_body> req{verb, target, 11};
        req.set(http::field::host, where_.host);
        req.keep_alive(true);
        if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
        if (verb == http::verb::post) {
          req.set(http::field::content_type, "application/json");
          req.body() = body;
          req.prepare_payload();
        }
        stream_->expires_after(std::chrono::seconds(30));
        http::write(*stream_, req);
        beast::flat_buffer buffer;
        http::response_parser<http::string_body> parser;
        parser.body_limit(256ull << 20);
        http::read(*stream_, buffer, parser);
        auto res = parser.release();
        if (!res.keep_alive()) stream_.reset();
        return {static_cast<int>(res.result_int()), std::move(res.body())};
      } catch (const std::exception& e) {
        stream_.reset();
        // A keep-alive connection the server closed while idle: open a new one, once.
        if (attempt >= 1) throw std::runtime_error(fmt::format("{}:{}: {}", where_.host, where_.port, e.what()));
      }
    }
  }

 private:
  void connect() {
    stream_ = std::make_unique<beast::tcp_stream>(io_);
    asio::ip::tcp::resolver resolver(io_);
    stream_->expires_after(std::chrono::seconds(10));
    stream_->connect(resolver.resolve(where_.host, where_.port));
    stream_->socket().set_option(asio::ip::tcp::no_delay(true));
  }

  HostPort where_;
  asio::io_context io_;
  std::unique_ptr<beast::tcp_stream> stream_;
};

// One device's eSeal TCP connection: a frame out, its "... ACK,<index>,E##" back.
class EsealConnection {
 public:
  EsealConnection(const HostPort& where, std::string device_id) : device_id_(std::move(device_id)) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (getaddrinfo(where.host.c_str(), where.port.c_str(), &hints, &found) != 0 || found == nullptr) {
      throw std::runtime_error(fmt::format("--eseal: cannot resolve {}", where.host));
    }
    fd_ = ::socket(found->ai_family, SOCK_STREAM, 0);
    const int rc = fd_ < 0 ? -1 : ::connect(fd_, found->ai_addr, found->ai_addrlen);
    freeaddrinfo(found);
    if (rc != 0) throw std::runtime_error(fmt::format("--eseal: cannot connect to {}:{}", where.host, where.port));
    int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  ~EsealConnection() {
    if (fd_ >= 0) ::close(fd_);
  }
  EsealConnection(const EsealConnection&) = delete;
  EsealConnection& operator=(const EsealConnection&) = delete;

  // True once the server acknowledged the frame. A server whose queue is full sends no reply
  // (the device is to keep the record): the frame is sent again, up to three times.
  bool send(const std::string& frame) {
    for (int attempt = 0; attempt < 3; ++attempt) {
      std::size_t off = 0;
      while (off < frame.size()) {
        const ssize_t n = ::send(fd_, frame.data() + off, frame.size() - off, MSG_NOSIGNAL);
        if (n <= 0) throw std::runtime_error(fmt::format("eSeal device {}: the connection closed", device_id_));
        off += static_cast<std::size_t>(n);
      }
      const auto deadline = Clock::now() + std::chrono::seconds(5);
      while (Clock::now() < deadline) {
        if (auto end = pending_.find("E##\r\n"); end != std::string::npos) {
          const bool ack = pending_.find(" ACK,") < end;
          pending_.erase(0, end + 5);
          if (ack) return true;
          continue;
        }
        pollfd p{fd_, POLLIN, 0};
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (::poll(&p, 1, static_cast<int>(std::max<long long>(1, left))) <= 0) continue;
        char chunk[1024];
        const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
        if (n <= 0) throw std::runtime_error(fmt::format("eSeal device {}: the connection closed", device_id_));
        pending_.append(chunk, static_cast<std::size_t>(n));
      }
    }
    return false;
  }

 private:
  std::string device_id_;
  int fd_ = -1;
  std::string pending_;
};

struct Options {
  std::string world = "var/world";
  std::string to = "127.0.0.1:8080";
  std::string token;
  std::string telemetry_token;
  std::string eseal;
  std::string osmand;
  std::string protocol = "auto";
  double speed = 60;
  int journeys = -1;
  bool no_recover = false;
  int wait_s = 30;
};

// Waits until the API answers /healthz, so a replay started beside `cordon serve` (make run)
// does not fail while the server is still opening its store.
bool wait_for_server(const HostPort& api, int seconds) {
  const auto deadline = Clock::now() + std::chrono::seconds(seconds);
  for (;;) {
    try {
      HttpConnection probe(api);
      if (probe.request(http::verb::get, "/healthz", {}, {}).status == 200) return true;
    } catch (const std::exception&) {
      // not listening yet
    }
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
}

// An officer's step on a journey, at simulated time `time`.
struct Step {
  enum Kind { kRegister, kOpen, kSeal, kAuthorise, kUnseal, kRecover } kind;
  std::int64_t time;
  std::uint32_t journey;
};

class Replay {
 public:
  Replay(const Options& options, simulation::ReplayWorld world, const HostPort& api)
      : o_(options), w_(std::move(world)), api_(api), telemetry_api_(api) {}

  int run() {
    const auto& journeys = w_.world.journeys;
    const std::size_t count = o_.journeys >= 0
                                  ? std::min<std::size_t>(journeys.size(), static_cast<std::size_t>(o_.journeys))
                                  : journeys.size();
    if (count == 0) {
      spdlog::error("--world {}: no journeys to replay (cordon simulate --journeys N)", o_.world);
      return kExitUsage;
    }
    replayed_ = count;
    // Protocol per journey: devices.ndjson, or --protocol where it carries the journey.
    std::map<std::string, int> per_protocol;
    int kept = 0;
    for (std::uint32_t j = 0; j < count; ++j) {
      std::string p = w_.protocols[j];
      if (o_.protocol != "auto") {
        if (simulation::carries(o_.protocol, journeys[j])) {
          p = o_.protocol;
        } else {
          ++kept;
        }
      }
      protocol_.push_back(p);
      ++per_protocol[p];
    }
    if (per_protocol["eseal"] > 0 && !eseal_) {
      spdlog::error(
          "--eseal: required, {} devices speak eSeal (HOST:PORT of `cordon serve --telemetry-tcp eseal=PORT`)",
          per_protocol["eseal"]);
      return kExitUsage;
    }
    if (per_protocol["osmand"] > 0 && !osmand_) {
      spdlog::error("--osmand: required, {} devices speak OsmAnd (HOST:PORT of `cordon serve --osmand-port PORT`)",
                    per_protocol["osmand"]);
      return kExitUsage;
    }
    fmt::print(
        "replaying {} journeys of {} to {}: {} eSeal, {} OsmAnd, {} Cordon JSON{}; speed {}\n", count, o_.world, o_.to,
        per_protocol["eseal"], per_protocol["osmand"], per_protocol["json"],
        kept ? fmt::format(" ({} kept their own protocol: --protocol {} cannot carry them)", kept, o_.protocol) : "",
        o_.speed > 0 ? fmt::format("x{}", o_.speed) : std::string("as fast as acknowledged"));

    // The schedule: officers' steps and the stream of reports, merged in simulated time.
    std::vector<Step> steps;
    std::int64_t t0 = std::numeric_limits<std::int64_t>::max();
    for (std::uint32_t j = 0; j < count; ++j) {
      const auto& sj = journeys[j];
      steps.push_back({Step::kRegister, sj.sealed_at - 3600, j});
      steps.push_back({Step::kOpen, sj.sealed_at - 600, j});
      steps.push_back({Step::kSeal, sj.sealed_at, j});
      steps.push_back({Step::kAuthorise, sj.authorise_unseal_at, j});
      steps.push_back({Step::kUnseal, sj.unseal_at, j});
      if (!o_.no_recover) steps.push_back({Step::kRecover, sj.unseal_at + 1800, j});
      t0 = std::min(t0, sj.sealed_at - 3600);
    }
    std::stable_sort(steps.begin(), steps.end(), [](const Step& a, const Step& b) { return a.time < b.time; });
    t0_ = t0;
    wall0_ = now_seconds();
    steady0_ = Clock::now();
    for (std::uint32_t j = 0; j < count; ++j) {
      const std::int64_t end = o_.no_recover ? journeys[j].unseal_at : journeys[j].unseal_at + 1800;
      shift_.push_back(wall_at(end) - end);
    }
    baseline_ = applied();

    simulation::TelemetryStream stream(w_.world);
    std::vector<simulation::SimReport> reports;
    std::size_t next_step = 0;
    const std::int64_t end = std::max(steps.back().time, w_.world.end_time());
    for (std::int64_t now = t0; now <= end; now += 60) {
      reports.clear();
      stream.next(now + 60, reports);
      for (const auto& r : reports) {
        while (next_step < steps.size() && steps[next_step].time <= r.receive_time) {
          if (int rc = perform(steps[next_step++]); rc != kExitOk) return rc;
        }
        if (r.journey >= count || !open_[r.journey]) continue;  // not replayed, or refused
        pace(r.receive_time);
        send(r);
      }
      while (next_step < steps.size() && steps[next_step].time < now + 60) {
        if (int rc = perform(steps[next_step++]); rc != kExitOk) return rc;
      }
      progress(now + 60, end);
    }
    while (next_step < steps.size()) {
      if (int rc = perform(steps[next_step++]); rc != kExitOk) return rc;
    }
    if (!wait_applied()) return kExitUnavailable;
    summary();
    return kExitOk;
  }

  void set_eseal(HostPort where) { eseal_ = std::move(where); }
  void set_osmand(HostPort where) { osmand_.emplace(std::move(where)); }

 private:
  std::int64_t wall_at(std::int64_t t) const {
    return o_.speed > 0 ? wall0_ + static_cast<std::int64_t>(static_cast<double>(t - t0_) / o_.speed) : wall0_;
  }

  // Sleeps until simulated time t is due on the wall clock.
  void pace(std::int64_t t) {
    if (o_.speed <= 0) return;
    const auto due = steady0_ + std::chrono::duration_cast<Clock::duration>(
                                    std::chrono::duration<double>(static_cast<double>(t - t0_) / o_.speed));
    if (due > Clock::now()) std::this_thread::sleep_until(due);
  }

  json call(http::verb verb, const std::string& target, const json& body, int expected, const std::string& what) {
    auto reply = api_.request(verb, target, verb == http::verb::post ? body.dump() : std::string(), o_.token);
    if (reply.status == 401 || reply.status == 403) {
      throw std::runtime_error(fmt::format(
          "{}: HTTP {} — --token needs the roles supervision_officer, submitter and monitoring", what, reply.status));
    }
    if (reply.status != expected)
      throw std::runtime_error(fmt::format("{}: HTTP {} {}", what, reply.status, reply.body));
    return json::parse(reply.body, nullptr, false);
  }

  json route_body(const simulation::SimRoute& r) {
    auto zone = [](const simulation::SimZone& z) {
      json polygon = json::array();
      for (const auto& p : z.polygon) polygon.push_back({p.lat, p.lon});
      return json{{"id", z.id}, {"kind", z.kind}, {"max_stay_s", z.max_stay_s}, {"polygon", polygon}};
    };
    json points = json::array();
    for (const auto& p : r.points) points.push_back({p.lat, p.lon});
    json stops = json::array();
    for (const auto& z : r.stop_zones) stops.push_back(zone(z));
    return {{"id", r.id},
            {"points", points},
            {"corridor_half_width_m", r.corridor_half_width_m},
            {"stop_zones", stops},
            {"unsealing_zone", zone(r.unsealing_zone)}};
  }

  int perform(const Step& s) {
    const auto& sj = w_.world.journeys[s.journey];
    const auto& route = w_.world.routes[sj.route];
    const std::int64_t at = s.time + shift_[s.journey];
    pace(s.time);
    try {
      switch (s.kind) {
        case Step::kRegister: {
          json body = {{"id", sj.device_id},
                       {"type", "active"},
                       {"model", w_.models[s.journey]},
                       {"home_station", route.departure_office},
                       {"at", at}};
          auto reply = api_.request(http::verb::post, "/api/v1/devices", body.dump(), o_.token);
          if (reply.status == 409) {
            spdlog::warn("device {} is already registered; its journey {} is skipped (replay into a fresh database)",
                         sj.device_id, sj.mrn);
            skipped_.push_back(s.journey);
            return kExitOk;
          }
          if (reply.status == 401 || reply.status == 403) {
            throw std::runtime_error(
                fmt::format("POST /api/v1/devices: HTTP {} — --token needs the roles supervision_officer, "
                            "submitter and monitoring",
                            reply.status));
          }
          if (reply.status != 201)
            throw std::runtime_error(fmt::format("register {}: HTTP {} {}", sj.device_id, reply.status, reply.body));
          break;
        }
        case Step::kOpen: {
          if (std::find(skipped_.begin(), skipped_.end(), s.journey) != skipped_.end()) return kExitOk;
          json body = {{"declaration",
                        {{"mrn", sj.mrn},
                         {"office_of_departure", route.departure_office},
                         {"office_of_destination", route.destination_office},
                         {"vehicle", sj.vehicle},
                         {"container", sj.container},
                         {"device_ids", json::array({sj.device_id})},
                         {"goods_summary", sj.goods}}},
                       {"route", route_body(route)},
                       {"time_limit_s", sj.time_limit_s},
                       {"at", at}};
          json cargo = json::object();
          if (sj.temperature_range)
            cargo["temperature_c"] = {sj.temperature_range->first, sj.temperature_range->second};
          if (sj.humidity_range) cargo["humidity_percent"] = {sj.humidity_range->first, sj.humidity_range->second};
          if (sj.tank_truck) cargo["tank_truck"] = true;
          if (!cargo.empty()) body["cargo"] = cargo;
          json j = call(http::verb::post, "/api/v1/journeys", body, 201, "open journey " + sj.mrn);
          ids_[s.journey] = j["id"].get<std::uint64_t>();
          break;
        }
        case Step::kSeal:
        case Step::kAuthorise:
        case Step::kUnseal: {
          const auto it = ids_.find(s.journey);
          if (it == ids_.end()) return kExitOk;
          if (s.kind == Step::kUnseal && !wait_applied()) return kExitUnavailable;
          const char* path = s.kind == Step::kSeal        ? "seal"
                             : s.kind == Step::kAuthorise ? "authorise-unseal"
                                                          : "unseal";
          json body = {{"at", at}};
          if (s.kind == Step::kAuthorise) body["validity_s"] = 7200;
          call(http::verb::post, fmt::format("/api/v1/journeys/{}/{}", it->second, path), body, 200,
               fmt::format("{} {}", path, sj.mrn));
          if (s.kind == Step::kSeal) open_[s.journey] = true;
          if (s.kind == Step::kUnseal) {
            open_[s.journey] = false;
            ++ended_;
          }
          break;
        }
        case Step::kRecover: {
          if (!ids_.contains(s.journey)) return kExitOk;
          call(http::verb::post, fmt::format("/api/v1/devices/{}/status", sj.device_id),
               {{"status", "recovered"}, {"station", route.destination_office}, {"at", at}}, 200,
               "recover " + sj.device_id);
          break;
        }
      }
    } catch (const std::exception& e) {
      spdlog::error("{}", e.what());
      return kExitUnavailable;
    }
    return kExitOk;
  }

  void send(const simulation::SimReport& r) {
    const auto& sj = w_.world.journeys[r.journey];
    // An unset clock says 1980 whatever the shift: the engine must cope with it as it is.
    const std::int64_t device_time = sj.clock_unset ? r.device_time : r.device_time + shift_[r.journey];
    const std::string& protocol = protocol_[r.journey];
    bool ok = false;
    if (protocol == "eseal") {
      auto& c = eseal_connections_[r.journey];
      if (!c) {
        c = std::make_unique<EsealConnection>(*eseal_, sj.device_id);
        encoders_.emplace(r.journey, simulation::EsealEncoder(sj.device_id, sj.report_interval_s));
      }
      ok = c->send(encoders_.at(r.journey).encode(r, device_time) + "\r\n");
    } else if (protocol == "osmand") {
      ok = retry([&] {
        return osmand_->request(http::verb::get, simulation::osmand_target(r, sj.device_id, device_time), {}, {});
      });
    } else {
      const std::string body = simulation::cordon_json(r, sj.device_id, device_time).dump();
      const std::string& token = o_.telemetry_token.empty() ? o_.token : o_.telemetry_token;
      ok = retry([&] { return telemetry_api_.request(http::verb::post, "/api/v1/telemetry", body, token); });
    }
    if (ok) {
      ++sent_;
      ++sent_by_[protocol];
    } else {
      ++failed_;
    }
  }

  // HTTP telemetry: 503 is a full queue, so the message is sent again a little later.
  template <typename F>
  bool retry(F&& request) {
    for (int attempt = 0; attempt < 20; ++attempt) {
      const HttpReply reply = request();
      if (reply.status == 200 || reply.status == 202) return true;
      if (reply.status == 401 || reply.status == 403) {
        throw std::runtime_error(fmt::format(
            "telemetry refused: HTTP {} (the JSON telemetry token needs the submitter role)", reply.status));
      }
      if (reply.status != 503) {
        spdlog::warn("telemetry refused: HTTP {} {}", reply.status, reply.body);
        return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50 * (attempt + 1)));
    }
    return false;
  }

  // Telemetry messages the server has applied (or found from an unknown device), from /metrics.
  std::int64_t applied() {
    auto reply = api_.request(http::verb::get, "/metrics", {}, o_.token);
    if (reply.status != 200) {
      throw std::runtime_error(
          fmt::format("GET /metrics: HTTP {} — the replay waits for the server to apply telemetry before "
                      "each unsealing; --token needs the monitoring role",
                      reply.status));
    }
    std::int64_t total = 0;
    for (const char* name : {"cordon_telemetry_applied_total ", "cordon_telemetry_unknown_device_total "}) {
      const auto at = reply.body.find(std::string("\n") + name);
      if (at != std::string::npos) total += std::atoll(reply.body.c_str() + at + 1 + std::strlen(name));
    }
    return total;
  }

  bool wait_applied() {
    const auto deadline = Clock::now() + std::chrono::seconds(60);
    while (applied() - baseline_ < sent_) {
      if (Clock::now() > deadline) {
        spdlog::error("the server has not applied the telemetry sent ({} of {}) after 60 s", applied() - baseline_,
                      sent_);
        return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
  }

  void progress(std::int64_t sim_now, std::int64_t end) {
    const auto now = Clock::now();
    if (now - last_progress_ < std::chrono::seconds(2) && sim_now < end) return;
    last_progress_ = now;
    int open = 0;
    for (const auto& [j, o] : open_) open += o;
    const double done =
        std::min(1.0, static_cast<double>(sim_now - t0_) / static_cast<double>(std::max<std::int64_t>(1, end - t0_)));
    fmt::print("  {} {:5.1f}%  {} messages (eSeal {}, OsmAnd {}, JSON {}), {} journeys under seal, {} ended\n",
               format_timestamp(sim_now), done * 100, sent_, sent_by_["eseal"], sent_by_["osmand"], sent_by_["json"],
               open, ended_);
    std::fflush(stdout);
  }

  void summary() {
    std::map<std::string, int> planted, observable;
    for (const auto& inc : w_.world.incidents) {
      if (inc.journey < replayed_) ++planted[inc.type];
    }
    std::map<std::string, int> raised;
    std::map<std::uint64_t, bool> ours;
    for (const auto& [j, id] : ids_) ours[id] = true;
    const json alarms = call(http::verb::get, "/api/v1/alarms?limit=10000", {}, 200, "GET /api/v1/alarms");
    for (const auto& a : alarms.value("alarms", json::array())) {
      if (ours.contains(a.value("journey", std::uint64_t{0}))) ++raised[a.value("type", "")];
    }
    fmt::print("replayed {} messages ({} not acknowledged) for {} journeys in {:.1f} s\n", sent_, failed_, ids_.size(),
               std::chrono::duration<double>(Clock::now() - steady0_).count());
    fmt::print("  {:<24} {:>8} {:>8}\n", "alarm type", "planted", "raised");
    std::map<std::string, bool> types;
    for (const auto& [t, n] : planted) types[t] = true;
    for (const auto& [t, n] : raised) types[t] = true;
    for (const auto& [t, unused] : types) fmt::print("  {:<24} {:>8} {:>8}\n", t, planted[t], raised[t]);
    if (planted["loss_of_communication"] > 0 && o_.speed != 1) {
      fmt::print(
          "  loss_of_communication is raised on the server's clock after 4 h of silence: only a replay at --speed 1 "
          "shows it\n");
    }
    fmt::print("  ground truth: {}/journey_incidents.ndjson\n", o_.world);
  }

  const Options& o_;
  simulation::ReplayWorld w_;
  HttpConnection api_;
  HttpConnection telemetry_api_;
  std::optional<HostPort> eseal_;
  std::optional<HttpConnection> osmand_;
  std::size_t replayed_ = 0;
  std::vector<std::string> protocol_;
  std::vector<std::int64_t> shift_;
  std::int64_t t0_ = 0, wall0_ = 0;
  Clock::time_point steady0_, last_progress_;
  std::map<std::uint32_t, std::uint64_t> ids_;  // simulated journey -> Cordon journey id
  std::map<std::uint32_t, bool> open_;          // under seal now
  std::vector<std::uint32_t> skipped_;
  std::map<std::uint32_t, std::unique_ptr<EsealConnection>> eseal_connections_;
  std::map<std::uint32_t, simulation::EsealEncoder> encoders_;
  std::int64_t sent_ = 0, failed_ = 0, baseline_ = 0;
  int ended_ = 0;
  std::map<std::string, std::int64_t> sent_by_;
};

int run_replay(const Options& o) {
  auto api = parse_host_port(o.to);
  if (!api) {
    spdlog::error("--to: \"{}\" is not HOST:PORT", o.to);
    return kExitUsage;
  }
  if (o.token.empty()) {
    spdlog::error(
        "--token: required (or CORDON_TOKEN): a bearer token with the roles supervision_officer, submitter and "
        "monitoring");
    return kExitUsage;
  }
  if (!(o.speed >= 0) || o.speed > 1e6) {
    spdlog::error("--speed: {} is not a factor from 0 (as fast as possible) to 1000000", o.speed);
    return kExitUsage;
  }
  if (o.protocol != "auto" && !simulation::is_replay_protocol(o.protocol)) {
    spdlog::error("--protocol: \"{}\" is not auto, eseal, osmand or json", o.protocol);
    return kExitUsage;
  }
  std::optional<HostPort> eseal, osmand;
  if (!o.eseal.empty() && !(eseal = parse_host_port(o.eseal))) {
    spdlog::error("--eseal: \"{}\" is not HOST:PORT", o.eseal);
    return kExitUsage;
  }
  if (!o.osmand.empty() && !(osmand = parse_host_port(o.osmand))) {
    spdlog::error("--osmand: \"{}\" is not HOST:PORT", o.osmand);
    return kExitUsage;
  }
  auto world = simulation::load_replay_world(o.world);
  if (!world) {
    spdlog::error("--world: {}", world.error());
    return kExitUsage;
  }
  if (!wait_for_server(*api, o.wait_s)) {
    spdlog::error("--to: nothing answers GET /healthz on {} after {} s", o.to, o.wait_s);
    return kExitUnavailable;
  }
  try {
    Replay replay(o, std::move(*world), *api);
    if (eseal) replay.set_eseal(*eseal);
    if (osmand) replay.set_osmand(*osmand);
    return replay.run();
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return kExitUnavailable;
  }
}

}  // namespace

void register_simulate_replay(CLI::App& simulate, CommandRegistry& registry) {
  auto options = std::make_shared<Options>();
  if (const char* token = std::getenv("CORDON_TOKEN")) options->token = token;
  CLI::App* cmd = simulate.add_subcommand(
      "replay",
      "Replay a simulated world's supervised journeys to a running Cordon: devices registered and journeys opened, "
      "sealed, unsealed and recovered through the API, telemetry over eSeal TCP, OsmAnd HTTP or Cordon JSON as each "
      "device's protocol says (devices.ndjson). Planted incidents arrive as alarms; the ground truth is "
      "journey_incidents.ndjson.");
  cmd->add_option("--world", options->world, "Folder written by cordon simulate")->capture_default_str();
  cmd->add_option("--to", options->to, "The Cordon API, HOST:PORT")->capture_default_str();
  cmd->add_option("--token", options->token,
                  "Bearer token with the roles supervision_officer, submitter and monitoring (default: $CORDON_TOKEN)");
  cmd->add_option("--telemetry-token", options->telemetry_token,
                  "Bearer token for JSON telemetry (submitter); default --token");
  cmd->add_option("--eseal", options->eseal, "eSeal TCP listener, HOST:PORT (cordon serve --telemetry-tcp eseal=PORT)");
  cmd->add_option("--osmand", options->osmand, "OsmAnd HTTP listener, HOST:PORT (cordon serve --osmand-port PORT)");
  cmd->add_option(
         "--protocol", options->protocol,
         "auto: each device's protocol from devices.ndjson; eseal, osmand or json: that one for every device it can "
         "carry (the others keep theirs)")
      ->capture_default_str();
  cmd->add_option("--speed", options->speed,
                  "Simulated seconds per wall-clock second; 0: as fast as the server acknowledges")
      ->capture_default_str();
  cmd->add_option("--journeys", options->journeys, "Replay only the first N journeys (-1: all)")->capture_default_str();
  cmd->add_option("--wait", options->wait_s, "Seconds to wait for the server to answer before giving up")
      ->capture_default_str()
      ->check(CLI::Range(0, 3600));
  cmd->add_flag("--no-recover", options->no_recover,
                "Do not recover devices at the destination station after unsealing");
  cmd->callback([options, &registry] { registry.set_exit_code(run_replay(*options)); });
}

}  // namespace cordon::cli
