// Storage for supervision: an append-only log of every step that changed the supervision
// engine's state (devices registered, journeys opened and sealed, telemetry ingested, alarms
// handled, commands queued), and the current form of every alarm for queries.
//
// Why a log and not tables per entity: the engine has no clock and no I/O, so replaying the
// same steps in the same order rebuilds exactly the same state, alarm ids and journey events
// included. A restart replays the log (assessment/supervision_service.h); the alarm table is a
// materialised view for the alarm queue and for anything reading the database directly.
//
// Thread-safety: an implementation is safe to call from several threads (it serialises writes).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "store/store.h"

namespace cordon::store {

struct SupervisionOp {
  std::int64_t seq = 0;   // assigned by the store, increasing
  std::int64_t time = 0;  // UTC seconds when it was applied
  std::string kind;       // "device.register", "ingest", "tick", ...
  std::string body;       // JSON
};

struct StoredAlarm {
  std::uint64_t id = 0;
  std::uint64_t journey = 0;
  std::string state;      // "new", "acknowledged", ...
  std::string patrol;     // the patrol it was dispatched to, if any
  std::string json;       // the alarm as the API renders it
};

class SupervisionStore {
 public:
  virtual ~SupervisionStore() = default;
  // Appends ops (seq assigned in order) and upserts alarms, in one transaction.
  virtual Result<void> commit(std::span<const SupervisionOp> ops, std::span<const StoredAlarm> alarms) = 0;
  // Calls `visit` for every op in seq order.
  virtual Result<void> replay(const std::function<void(const SupervisionOp&)>& visit) = 0;
  // Alarms, newest first; state and patrol filter when set.
  virtual Result<std::vector<StoredAlarm>> alarms(std::optional<std::string> state, std::optional<std::string> patrol,
                                                  int limit) = 0;
  // A named secret (the administration's signing key), or nullopt.
  virtual Result<std::optional<std::string>> secret(const std::string& name) = 0;
  // Stores a secret unless one exists; returns the one stored.
  virtual Result<std::string> put_secret_once(const std::string& name, const std::string& value) = 0;
};

}  // namespace cordon::store
