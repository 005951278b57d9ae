// Return logistics of reusable devices (seed 004 §7.2 D): how many devices each station holds
// over time, its net inflow or outflow, and a dispatch plan that moves devices from stations
// with too many to stations with too few at the least transport cost.
//
// The plan is a min-cost flow (successive shortest paths with Bellman-Ford on the residual
// graph): a source feeds each station's surplus, each station's shortage drains to a sink, and
// lanes between stations carry devices at a cost per device. It moves as many devices as the
// shortages need and the surpluses and lane capacities allow, and among plans moving that many
// it has the least total cost. Devices may pass through a third station when that is cheaper.
// Sizes: a national network (hundreds of stations, thousands of lanes) plans in milliseconds.
//
// Thread-safety: InventoryLedger is not thread-safe; plan_dispatch is a pure function.
#pragma once

#include <cstdint>
#include <expected>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cordon::supervision {

// A device entering (+1) or leaving (-1) a station's stock.
struct StationMovement {
  std::int64_t time = 0;
  std::string station;
  int delta = 0;
  std::string device_id;
  std::string reason;  // "opening_stock", "sealed", "recovered", "dispatch"...
};

struct StationFlow {
  std::string station;
  int inflow = 0;         // devices in during [from, to)
  int outflow = 0;        // devices out during [from, to)
  int net() const { return inflow - outflow; }  // > 0: net inflow (accumulating), < 0: net outflow
  int stock_at_start = 0;
  int stock_at_end = 0;
};

class InventoryLedger {
 public:
  // REQUIRES: station not empty, delta != 0. Movements may be recorded out of time order.
  void record(StationMovement movement);

  // Devices held at `station` just after every movement up to and including `time`.
  int stock_at(const std::string& station, std::int64_t time) const;
  // Per station with any movement, sorted by station: flows during [from, to).
  std::vector<StationFlow> flows(std::int64_t from, std::int64_t to) const;
  // (time, stock after) for each movement of `station` in [from, to), for a chart.
  std::vector<std::pair<std::int64_t, int>> series(const std::string& station, std::int64_t from, std::int64_t to) const;
  std::vector<std::string> stations() const;
  // Per station, the movements with `reason` during [from, to) (e.g. "sealed": devices issued to
  // journeys, the business volume that sets a station's target stock).
  std::map<std::string, int> count(std::string_view reason, std::int64_t from, std::int64_t to) const;

 private:
  // Per station, movements sorted by time (insertion keeps the order).
  std::map<std::string, std::vector<StationMovement>> by_station_;
};

// What a station holds now and what it should hold (its business volume: e.g. expected
// departures until the next dispatch, with a safety margin; see target_stock).
struct StationNeed {
  std::string station;
  int available = 0;
  int target = 0;
};

// A lane between two stations. capacity: at most that many devices on this lane (a van's load);
// none: unlimited.
struct Lane {
  std::string from;
  std::string to;
  double cost_per_device = 0;  // REQUIRES >= 0
  std::optional<int> capacity;
};

struct Shipment {
  std::string from;
  std::string to;
  int devices = 0;
  double cost = 0;
};

struct DispatchPlan {
  std::vector<Shipment> shipments;  // sorted by (from, to)
  double total_cost = 0;
  int devices_moved = 0;            // sum over shortages covered (a device through a hub counts once)
  int shortage_left = 0;            // devices still missing after the plan (not enough surplus or lanes)
};

// The devices a station should hold: expected departures per day times the days to cover until
// devices can be brought in, times (1 + safety), rounded up.
int target_stock(double departures_per_day, double cover_days, double safety = 0.2);

// Refuses, naming the entry: duplicate or empty stations, negative numbers, lanes naming unknown
// stations, negative costs.
std::expected<DispatchPlan, std::string> plan_dispatch(std::span<const StationNeed> stations,
                                                       std::span<const Lane> lanes);

}  // namespace cordon::supervision
