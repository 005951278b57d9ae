#include "supervision/logistics.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <limits>
#include <unordered_map>

namespace cordon::supervision {

void InventoryLedger::record(StationMovement movement) {
  auto& list = by_station_[movement.station];
  const auto at = std::upper_bound(list.begin(), list.end(), movement.time,
                                   [](std::int64_t t, const StationMovement& m) { return t < m.time; });
  list.insert(at, std::move(movement));
}

int InventoryLedger::stock_at(const std::string& station, std::int64_t time) const {
  const auto it = by_station_.find(station);
  if (it == by_station_.end()) return 0;
  int stock = 0;
  for (const StationMovement& m : it->second) {
    if (m.time > time) break;
    stock += m.delta;
  }
  return stock;
}

std::vector<StationFlow> InventoryLedger::flows(std::int64_t from, std::int64_t to) const {
  std::vector<StationFlow> out;
  for (const auto& [station, list] : by_station_) {
    StationFlow flow;
    flow.station = station;
    for (const StationMovement& m : list) {
      if (m.time < from) {
        flow.stock_at_start += m.delta;
      } else if (m.time < to) {
        (m.delta > 0 ? flow.inflow : flow.outflow) += std::abs(m.delta);
      }
    }
    flow.stock_at_end = flow.stock_at_start + flow.inflow - flow.outflow;
    out.push_back(std::move(flow));
  }
  return out;
}

std::vector<std::pair<std::int64_t, int>> InventoryLedger::series(const std::string& station, std::int64_t from,
                                                                  std::int64_t to) const {
  std::vector<std::pair<std::int64_t, int>> out;
  const auto it = by_station_.find(station);
  if (it == by_station_.end()) return out;
  int stock = 0;
  for (const StationMovement& m : it->second) {
    stock += m.delta;
    if (m.time >= from && m.time < to) {
      if (!out.empty() && out.back().first == m.time) {
        out.back().second = stock;
      } else {
        out.emplace_back(m.time, stock);
      }
    }
  }
  return out;
}

std::vector<std::string> InventoryLedger::stations() const {
  std::vector<std::string> out;
  for (const auto& [station, list] : by_station_) out.push_back(station);
  return out;
}

std::map<std::string, int> InventoryLedger::count(std::string_view reason, std::int64_t from, std::int64_t to) const {
  std::map<std::string, int> out;
  for (const auto& [station, list] : by_station_) {
    for (const StationMovement& m : list) {
      if (m.time >= from && m.time < to && m.reason == reason) out[station] += std::abs(m.delta);
    }
  }
  return out;
}

int target_stock(double departures_per_day, double cover_days, double safety) {
  const double need = std::max(0.0, departures_per_day) * std::max(0.0, cover_days) * (1 + std::max(0.0, safety));
  return static_cast<int>(std::ceil(need - 1e-9));
}

namespace {

// Min-cost max-flow by successive shortest paths. Bellman-Ford (queue-based) copes with the
// negative reverse edges of the residual graph; the graphs here are small.
class MinCostFlow {
 public:
  explicit MinCostFlow(int nodes) : adjacency_(static_cast<std::size_t>(nodes)) {}

  int add_edge(int from, int to, long long capacity, double cost) {
    adjacency_[static_cast<std::size_t>(from)].push_back(static_cast<int>(edges_.size()));
    edges_.push_back({to, capacity, cost});
    adjacency_[static_cast<std::size_t>(to)].push_back(static_cast<int>(edges_.size()));
    edges_.push_back({from, 0, -cost});
    return static_cast<int>(edges_.size()) - 2;
  }

  std::pair<long long, double> run(int source, int sink) {
    long long flow = 0;
    double cost = 0;
    const std::size_t n = adjacency_.size();
    std::vector<double> dist(n);
    std::vector<int> via(n);
    std::vector<char> queued(n);
    for (;;) {
      std::fill(dist.begin(), dist.end(), std::numeric_limits<double>::infinity());
      std::fill(via.begin(), via.end(), -1);
      std::vector<int> queue{source};
      dist[static_cast<std::size_t>(source)] = 0;
      for (std::size_t head = 0; head < queue.size(); ++head) {
        const int u = queue[head];
        queued[static_cast<std::size_t>(u)] = 0;
        for (int e : adjacency_[static_cast<std::size_t>(u)]) {
          const Edge& edge = edges_[static_cast<std::size_t>(e)];
          if (edge.capacity <= 0) continue;
          const double d = dist[static_cast<std::size_t>(u)] + edge.cost;
          // The tolerance stops float noise from cycling around zero-cost loops.
          if (d < dist[static_cast<std::size_t>(edge.to)] - 1e-9) {
            dist[static_cast<std::size_t>(edge.to)] = d;
            via[static_cast<std::size_t>(edge.to)] = e;
            if (!queued[static_cast<std::size_t>(edge.to)]) {
              queued[static_cast<std::size_t>(edge.to)] = 1;
              queue.push_back(edge.to);
            }
          }
        }
      }
      if (via[static_cast<std::size_t>(sink)] < 0) break;
      long long push = std::numeric_limits<long long>::max();
      for (int v = sink; v != source;) {
        const int e = via[static_cast<std::size_t>(v)];
        push = std::min(push, edges_[static_cast<std::size_t>(e)].capacity);
        v = edges_[static_cast<std::size_t>(e ^ 1)].to;
      }
      for (int v = sink; v != source;) {
        const int e = via[static_cast<std::size_t>(v)];
        edges_[static_cast<std::size_t>(e)].capacity -= push;
        edges_[static_cast<std::size_t>(e ^ 1)].capacity += push;
        v = edges_[static_cast<std::size_t>(e ^ 1)].to;
      }
      flow += push;
      cost += static_cast<double>(push) * dist[static_cast<std::size_t>(sink)];
    }
    return {flow, cost};
  }

  long long flow_on(int edge) const { return edges_[static_cast<std::size_t>(edge ^ 1)].capacity; }

 private:
  struct Edge {
    int to;
    long long capacity;
    double cost;
  };
  std::vector<Edge> edges_;
  std::vector<std::vector<int>> adjacency_;
};

}  // namespace

std::expected<DispatchPlan, std::string> plan_dispatch(std::span<const StationNeed> stations,
                                                       std::span<const Lane> lanes) {
  std::unordered_map<std::string, int> index;
  for (std::size_t i = 0; i < stations.size(); ++i) {
    const StationNeed& s = stations[i];
    if (s.station.empty()) return std::unexpected(fmt::format("stations[{}].station: empty", i));
    if (s.available < 0) return std::unexpected(fmt::format("stations[{}].available: {} is negative", i, s.available));
    if (s.target < 0) return std::unexpected(fmt::format("stations[{}].target: {} is negative", i, s.target));
    if (!index.emplace(s.station, static_cast<int>(i)).second) {
      return std::unexpected(fmt::format("stations[{}].station: \"{}\" appears twice", i, s.station));
    }
  }
  const int n = static_cast<int>(stations.size());
  const int source = n, sink = n + 1;
  MinCostFlow graph(n + 2);
  constexpr long long kUnlimited = 1LL << 40;
  int shortage = 0;
  for (int i = 0; i < n; ++i) {
    const StationNeed& s = stations[static_cast<std::size_t>(i)];
    if (s.available > s.target) graph.add_edge(source, i, s.available - s.target, 0);
    if (s.available < s.target) {
      graph.add_edge(i, sink, s.target - s.available, 0);
      shortage += s.target - s.available;
    }
  }
  std::vector<int> lane_edges;
  for (std::size_t i = 0; i < lanes.size(); ++i) {
    const Lane& lane = lanes[i];
    const auto from = index.find(lane.from);
    const auto to = index.find(lane.to);
    if (from == index.end()) return std::unexpected(fmt::format("lanes[{}].from: unknown station \"{}\"", i, lane.from));
    if (to == index.end()) return std::unexpected(fmt::format("lanes[{}].to: unknown station \"{}\"", i, lane.to));
    if (!(lane.cost_per_device >= 0) || !std::isfinite(lane.cost_per_device)) {
      return std::unexpected(fmt::format("lanes[{}].cost_per_device: {} must be a finite number >= 0", i, lane.cost_per_device));
    }
    if (lane.capacity && *lane.capacity < 0) {
      return std::unexpected(fmt::format("lanes[{}].capacity: {} is negative", i, *lane.capacity));
    }
    lane_edges.push_back(from->second == to->second
                             ? -1
                             : graph.add_edge(from->second, to->second, lane.capacity ? static_cast<long long>(*lane.capacity) : kUnlimited, lane.cost_per_device));
  }
  const auto [flow, cost] = graph.run(source, sink);
  DispatchPlan plan;
  plan.devices_moved = static_cast<int>(flow);
  plan.shortage_left = shortage - static_cast<int>(flow);
  std::map<std::pair<std::string, std::string>, Shipment> merged;
  for (std::size_t i = 0; i < lanes.size(); ++i) {
    if (lane_edges[i] < 0) continue;
    const long long moved = graph.flow_on(lane_edges[i]);
    if (moved <= 0) continue;
    Shipment& s = merged[{lanes[i].from, lanes[i].to}];
    s.from = lanes[i].from;
    s.to = lanes[i].to;
    s.devices += static_cast<int>(moved);
    s.cost += static_cast<double>(moved) * lanes[i].cost_per_device;
  }
  for (auto& [key, shipment] : merged) {
    plan.total_cost += shipment.cost;
    plan.shipments.push_back(std::move(shipment));
  }
  (void)cost;
  return plan;
}

}  // namespace cordon::supervision
