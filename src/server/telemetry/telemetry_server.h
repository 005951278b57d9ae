// The network listeners that bring telemetry in over the devices' own protocols and hand every
// decoded message to the SupervisionService's ingest queue:
//   - one TCP port per binary/text protocol (Teltonika, GT06, JT/T 808, JT600, eSeal): each
//     connection gets its own StreamDecoder; replies are written back in frame order; a
//     connection silent for longer than the idle timeout is closed; once the device has named
//     itself, queued remote commands are encoded in its protocol and written on the connection;
//   - the OsmAnd HTTP protocol on its own port (GET or POST "/?id=...&lat=...&lon=..."). OsmAnd
//     apps cannot send a bearer token, so this port is unauthenticated: bind it to a private
//     network or a VPN that only the fleet reaches (docs/supervision.md);
//   - MQTT: a libmosquitto client subscribed to a broker topic, Cordon JSON payloads.
// The HTTP JSON endpoint (POST /api/v1/telemetry) is a route of the main API (bearer token).
//
// Thread-safety: configure with add_*() before start(); stop() from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <expected>
#include <memory>
#include <string>
#include <vector>

#include "assessment/supervision_service.h"
#include "supervision/protocols/protocols.h"

namespace cordon::server::telemetry {

struct TelemetryOptions {
  std::chrono::seconds idle_timeout{600};  // trackers send heartbeats every few minutes
  int io_threads = 2;
};

struct ListenerInfo {
  std::string name;   // "gt06", "osmand", "mqtt"
  std::string where;  // "127.0.0.1:5023", "mqtt://127.0.0.1:1883/cordon/telemetry/#"
  std::uint16_t port = 0;
};

class TelemetryServer {
 public:
  TelemetryServer(assessment::SupervisionService& service, TelemetryOptions options = {});
  ~TelemetryServer();
  TelemetryServer(const TelemetryServer&) = delete;
  TelemetryServer& operator=(const TelemetryServer&) = delete;

  // Binds now (port 0 picks a free one); the bound port is in the returned info.
  std::expected<ListenerInfo, std::string> add_tcp(supervision::protocols::Protocol protocol, const std::string& address,
                                                   std::uint16_t port);
  std::expected<ListenerInfo, std::string> add_osmand(const std::string& address, std::uint16_t port);
  // Connects to the broker and subscribes to `topic` (e.g. "cordon/telemetry/#").
  std::expected<ListenerInfo, std::string> add_mqtt(const std::string& host, std::uint16_t port, const std::string& topic);

  void start();
  void stop();
  const std::vector<ListenerInfo>& listeners() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cordon::server::telemetry
