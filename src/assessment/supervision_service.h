// Supervision as a running service: owns the supervision engine, feeds it telemetry from every
// listener through one ingest queue and one thread, persists each step, and pushes alarm changes
// to listeners (the alarm WebSocket, tests, the bench).
//
// Persistence (store/supervision_store.h): every step that changes the engine is appended to an
// op log in the same transaction as the alarms it changed; at start, load() replays the log, so
// a restarted server has the same devices, journeys, events, alarm ids and handling history.
// The replay is linear in the history; snapshots are future work (see docs/supervision.md).
//
// Requests and replies are JSON (the shapes of docs/api/openapi.yaml), so the HTTP routes stay
// thin: parse path and body, call one method, render. Errors carry the HTTP status to answer.
//
// Thread-safety: every public method is safe from any thread. The engine is guarded by one mutex;
// telemetry is applied in batches by the ingest thread; submit() never blocks (it refuses when
// the queue is full, so a flood cannot exhaust memory).
#pragma once

#include <chrono>
#include <cstdint>
#include <expected>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/supervision_store.h"
#include "supervision/engine.h"
#include "supervision/protocols/protocols.h"

namespace cordon::assessment {

struct SupervisionServiceOptions {
  supervision::EngineOptions engine;
  std::size_t queue_capacity = 1 << 20;        // messages waiting for the ingest thread
  std::chrono::milliseconds tick_interval{5000};  // loss of communication, timeouts
  std::size_t max_batch = 4096;                // messages applied per transaction
};

struct ServiceError {
  int status = 400;        // HTTP status: 400, 404, 409, 422, 503
  std::string code;        // "not_found", "conflict", "validation_failed", "unavailable", ...
  std::string message;     // names the field and the rule
};

template <typename T>
using ServiceResult = std::expected<T, ServiceError>;

// A command ready for a device's connection, already encoded for its protocol by the caller.
// Returns false when the connection cannot take it (closed); the command is then marked failed.
using CommandSink = std::function<bool(const supervision::DeviceCommand&)>;

// Receives the JSON of an alarm that was raised, cleared or handled, after it was stored.
using AlarmListener = std::function<void(const nlohmann::json& alarm)>;

struct IngestStats {
  std::uint64_t received = 0;      // submitted and queued
  std::uint64_t refused = 0;       // queue full
  std::uint64_t applied = 0;       // ingested by the engine
  std::uint64_t unknown_device = 0;
  std::uint64_t alarms_pushed = 0;
  std::uint64_t queued = 0;        // waiting for the ingest thread now
  std::uint64_t batches = 0;       // transactions the ingest thread committed
};

class SupervisionService {
 public:
  SupervisionService(store::SupervisionStore& store, SupervisionServiceOptions options = {});
  // Stops the threads (what is queued is applied first).
  ~SupervisionService();
  SupervisionService(const SupervisionService&) = delete;
  SupervisionService& operator=(const SupervisionService&) = delete;

  // Replays the op log, then starts the ingest and tick threads. REQUIRES: called once.
  ServiceResult<std::size_t> load();
  void stop();

  // --- telemetry (any listener)
  // Queues a decoded message stamped with the receive time; false when the queue is full.
  bool submit(supervision::protocols::DeviceMessage message);
  IngestStats stats() const;

  // Steps that change devices or journeys take an optional "at" in their body: when the step
  // happened, if it is reported late (a reader that sealed offline and synchronised later, a
  // replayed world). UTC seconds, at most EngineOptions::max_clock_ahead_s ahead of the server's
  // clock and max_backlog_s behind it, like a device's clock; without it, the server's clock.

  // --- devices
  ServiceResult<nlohmann::json> register_device(const nlohmann::json& body, const std::string& actor);
  ServiceResult<nlohmann::json> device(const std::string& id) const;
  ServiceResult<nlohmann::json> devices() const;
  // {"status": "charging"|"in_stock"|"lost"|"faulty"|"recovered", "station"?}
  ServiceResult<nlohmann::json> set_device_status(const std::string& id, const nlohmann::json& body,
                                                  const std::string& actor);
  // Where a device's TCP connection takes commands; replaced by a newer connection.
  void attach_device(const std::string& device_id, std::uint64_t connection, CommandSink sink);
  void detach_device(const std::string& device_id, std::uint64_t connection);

  // --- journeys
  ServiceResult<nlohmann::json> open_journey(const nlohmann::json& body, const std::string& actor);
  ServiceResult<nlohmann::json> journey(std::uint64_t id) const;
  ServiceResult<nlohmann::json> journeys() const;
  // `body` may carry "at" (see below); other fields are ignored.
  ServiceResult<nlohmann::json> seal(std::uint64_t id, const std::string& actor,
                                     const nlohmann::json& body = nlohmann::json::object());
  ServiceResult<nlohmann::json> unseal(std::uint64_t id, const std::string& actor,
                                       const nlohmann::json& body = nlohmann::json::object());
  ServiceResult<nlohmann::json> authorise_unseal(std::uint64_t id, const nlohmann::json& body, const std::string& actor);
  // The journey's record (declaration, events, alarms, grade) signed with the administration's
  // Ed25519 key (generated into the store on first use): {"record", "signature", "public_key",
  // "algorithm": "ed25519"}.
  ServiceResult<nlohmann::json> export_journey(std::uint64_t id) const;

  // --- alarms
  ServiceResult<nlohmann::json> alarms(std::optional<std::string> state, std::optional<std::string> patrol,
                                       int limit) const;
  ServiceResult<nlohmann::json> alarm(std::uint64_t id) const;
  // {"action": "acknowledge"|"dispatch"|"resolve"|"false_alarm"|"comment"|"photo", "comment"?,
  //  "patrol"?, "outcome"?, "photo"?}. `only_patrol` set: refused unless dispatched to it.
  ServiceResult<nlohmann::json> handle_alarm(std::uint64_t id, const nlohmann::json& body, const std::string& actor,
                                             std::optional<std::string> only_patrol);
  std::uint64_t subscribe(AlarmListener listener);
  void unsubscribe(std::uint64_t id);

  // --- commands
  // {"type": "seal"|"unseal"|"reporting_interval", "interval_s"?}
  ServiceResult<nlohmann::json> queue_command(const std::string& device_id, const nlohmann::json& body,
                                              const std::string& actor);
  ServiceResult<nlohmann::json> command(std::uint64_t id) const;
  // The device answered (or the write failed) on its connection.
  void command_written(std::uint64_t id, bool ok, const std::string& reason);

  // --- return logistics (seed 004 §7.2 D). The ledger behind these is the engine's: every
  // registration at a station, sealing out of it, recovery into it, loss and transfer between
  // stations moves it, and since those steps are in the op log it is the same after a restart.
  ServiceResult<nlohmann::json> stock() const;
  // {from, to, stations: [{station, inflow, outflow, net, stock_at_start, stock_at_end}]} for
  // [from, to). REQUIRES from < to (else 422).
  ServiceResult<nlohmann::json> station_flows(std::int64_t from, std::int64_t to) const;
  // {station, from, to, stock_at_start, points: [{time, stock}]}: the stock after each movement
  // in [from, to), for a chart. 404 for a station that never held a device.
  ServiceResult<nlohmann::json> station_series(const std::string& station, std::int64_t from, std::int64_t to) const;
  // A rebalancing plan at least transport cost (docs/supervision.md, "Return logistics"):
  // {"lanes": [{from, to, cost_per_device, capacity?}], "targets"?: {STATION: n},
  //  "derive"?: {history_days, cover_days, safety}}. Targets not given are derived from each
  // station's departures (devices sealed out of it) over the last history_days. Read-only.
  ServiceResult<nlohmann::json> dispatch_plan(const nlohmann::json& body) const;
  // {"device_ids": [...], "to": STATION, "at"?}: the devices leave their station.
  ServiceResult<nlohmann::json> ship_devices(const nlohmann::json& body, const std::string& actor);
  // {"at"?}: the devices still on the transfer enter its destination's stock.
  ServiceResult<nlohmann::json> receive_transfer(std::uint64_t id, const nlohmann::json& body,
                                                 const std::string& actor);
  ServiceResult<nlohmann::json> transfer(std::uint64_t id) const;
  ServiceResult<nlohmann::json> transfers() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Verifies a signed journey record (export_journey's form). `trusted_public_key_hex` empty: the
// embedded key is used (proves integrity, not origin). An error names what failed.
std::expected<nlohmann::json, std::string> verify_journey_record(const nlohmann::json& signed_record,
                                                                 const std::string& trusted_public_key_hex = {});

}  // namespace cordon::assessment
