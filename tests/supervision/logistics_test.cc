#include "supervision/logistics.h"

#include "engine_test_util.h"

#include <gtest/gtest.h>

#include <functional>
#include <random>

namespace cordon::supervision {
namespace {

TEST(LogisticsLedger, StockAndFlowsOverTime) {
  InventoryLedger ledger;
  ledger.record({0, "VILNIUS", +10, "", "opening_stock"});
  ledger.record({0, "MINSK", +2, "", "opening_stock"});
  ledger.record({100, "VILNIUS", -1, "D1", "sealed"});
  ledger.record({50, "VILNIUS", -1, "D2", "sealed"});  // out of order on purpose
  ledger.record({200, "MINSK", +1, "D1", "recovered"});
  ledger.record({300, "MINSK", +1, "D2", "recovered"});
  EXPECT_EQ(ledger.stock_at("VILNIUS", 0), 10);
  EXPECT_EQ(ledger.stock_at("VILNIUS", 60), 9);
  EXPECT_EQ(ledger.stock_at("VILNIUS", 1000), 8);
  EXPECT_EQ(ledger.stock_at("MINSK", 250), 3);
  EXPECT_EQ(ledger.stock_at("RIGA", 250), 0);
  const auto flows = ledger.flows(10, 1000);
  ASSERT_EQ(flows.size(), 2u);
  EXPECT_EQ(flows[0].station, "MINSK");
  EXPECT_EQ(flows[0].inflow, 2);
  EXPECT_EQ(flows[0].net(), 2);  // net inflow: accumulating
  EXPECT_EQ(flows[0].stock_at_end, 4);
  EXPECT_EQ(flows[1].station, "VILNIUS");
  EXPECT_EQ(flows[1].outflow, 2);
  EXPECT_EQ(flows[1].net(), -2);  // net outflow
  EXPECT_EQ(flows[1].stock_at_start, 10);
  const auto series = ledger.series("VILNIUS", 0, 1000);
  ASSERT_EQ(series.size(), 3u);
  EXPECT_EQ(series[1], (std::pair<std::int64_t, int>{50, 9}));
}

TEST(LogisticsDispatch, SimplePlanAndValidation) {
  std::vector<StationNeed> stations{{"MINSK", 30, 10}, {"VILNIUS", 2, 12}, {"RIGA", 5, 10}};
  std::vector<Lane> lanes{{"MINSK", "VILNIUS", 3, {}}, {"MINSK", "RIGA", 8, {}}, {"VILNIUS", "RIGA", 4, {}}};
  auto plan = plan_dispatch(stations, lanes);
  ASSERT_TRUE(plan) << plan.error();
  EXPECT_EQ(plan->devices_moved, 15);
  EXPECT_EQ(plan->shortage_left, 0);
  // Through Vilnius to Riga costs 3 + 4 = 7 < 8: devices pass through the hub.
  EXPECT_DOUBLE_EQ(plan->total_cost, 10 * 3 + 5 * 7);
  ASSERT_EQ(plan->shipments.size(), 2u);
  EXPECT_EQ(plan->shipments[0].to, "VILNIUS");
  EXPECT_EQ(plan->shipments[0].devices, 15);

  lanes[0].capacity = 4;  // a van of four
  plan = plan_dispatch(stations, lanes);
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->devices_moved, 9);   // Vilnius gets 4; Riga 5 direct; Vilnius still short
  EXPECT_EQ(plan->shortage_left, 6);

  std::vector<Lane> bad{{"MINSK", "TALLINN", 1, {}}};
  auto err = plan_dispatch(stations, bad);
  ASSERT_FALSE(err);
  EXPECT_EQ(err.error(), "lanes[0].to: unknown station \"TALLINN\"");
  std::vector<StationNeed> twice{{"A", 1, 0}, {"A", 0, 1}};
  EXPECT_FALSE(plan_dispatch(twice, {}));
  std::vector<Lane> negative{{"MINSK", "RIGA", -1, {}}};
  EXPECT_FALSE(plan_dispatch(stations, negative));
}

// Exhaustive search over every integer plan on a bipartite network: most devices moved, then
// least cost.
std::pair<int, double> brute_force(const std::vector<int>& supply, const std::vector<int>& demand,
                                   const std::vector<std::vector<double>>& cost, const std::vector<std::vector<int>>& cap) {
  const std::size_t s = supply.size(), d = demand.size();
  std::vector<int> x(s * d, 0);
  int best_flow = -1;
  double best_cost = 0;
  std::function<void(std::size_t)> go = [&](std::size_t k) {
    if (k == x.size()) {
      int flow = 0;
      double c = 0;
      for (std::size_t i = 0; i < s; ++i) {
        int row = 0;
        for (std::size_t j = 0; j < d; ++j) row += x[i * d + j];
        if (row > supply[i]) return;
      }
      for (std::size_t j = 0; j < d; ++j) {
        int col = 0;
        for (std::size_t i = 0; i < s; ++i) col += x[i * d + j];
        if (col > demand[j]) return;
        flow += col;
      }
      for (std::size_t i = 0; i < x.size(); ++i) c += x[i] * cost[i / d][i % d];
      if (flow > best_flow || (flow == best_flow && c < best_cost - 1e-9)) {
        best_flow = flow;
        best_cost = c;
      }
      return;
    }
    const std::size_t i = k / d, j = k % d;
    for (int v = 0; v <= std::min({supply[i], demand[j], cap[i][j]}); ++v) {
      x[k] = v;
      go(k + 1);
    }
    x[k] = 0;
  };
  go(0);
  return {best_flow, best_cost};
}

TEST(LogisticsDispatch, OptimalAgainstBruteForce) {
  std::mt19937_64 rng(2026);
  for (int round = 0; round < 300; ++round) {
    const int s = 1 + static_cast<int>(rng() % 3), d = 1 + static_cast<int>(rng() % 3);
    std::vector<StationNeed> stations;
    std::vector<int> supply, demand;
    for (int i = 0; i < s; ++i) {
      const int surplus = 1 + static_cast<int>(rng() % 3);
      const int target = static_cast<int>(rng() % 4);
      stations.push_back({"S" + std::to_string(i), target + surplus, target});
      supply.push_back(surplus);
    }
    for (int j = 0; j < d; ++j) {
      const int shortage = 1 + static_cast<int>(rng() % 3);
      const int available = static_cast<int>(rng() % 3);
      stations.push_back({"D" + std::to_string(j), available, available + shortage});
      demand.push_back(shortage);
    }
    std::vector<std::vector<double>> cost(static_cast<std::size_t>(s), std::vector<double>(static_cast<std::size_t>(d)));
    std::vector<std::vector<int>> cap(static_cast<std::size_t>(s), std::vector<int>(static_cast<std::size_t>(d)));
    std::vector<Lane> lanes;
    for (int i = 0; i < s; ++i) {
      for (int j = 0; j < d; ++j) {
        const bool present = rng() % 5 != 0;
        cost[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)] = static_cast<double>(1 + rng() % 20);
        const bool limited = rng() % 3 == 0;
        int c = present ? (limited ? static_cast<int>(rng() % 3) : 99) : 0;
        cap[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)] = c;
        if (present) {
          lanes.push_back({"S" + std::to_string(i), "D" + std::to_string(j), cost[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)],
                           limited ? std::optional<int>(c) : std::nullopt});
        }
      }
    }
    const auto [flow, best] = brute_force(supply, demand, cost, cap);
    auto plan = plan_dispatch(stations, lanes);
    ASSERT_TRUE(plan) << plan.error();
    EXPECT_EQ(plan->devices_moved, flow) << "round " << round;
    EXPECT_NEAR(plan->total_cost, best, 1e-9) << "round " << round;
    int total_demand = 0;
    for (int v : demand) total_demand += v;
    EXPECT_EQ(plan->shortage_left, total_demand - flow);
  }
}

// The ledger follows the devices' lifecycle: registration at the home station, sealing out,
// recovery at the destination, a transfer back (out when shipped, in when received).
TEST(LogisticsEngine, LifecycleAndTransfersMoveTheLedger) {
  using testing::kT0;
  SupervisionEngine engine;
  for (const char* id : {"D1", "D2", "D3"}) {
    Device d;
    d.id = id;
    d.home_station = "VILNIUS";
    ASSERT_TRUE(engine.register_device(d, kT0));
  }
  JourneyPlan plan;
  plan.declaration.mrn = "26LT0000000000001";
  plan.declaration.device_ids = {"D1"};
  plan.route = testing::test_route();
  plan.time_limit_s = 86400;
  auto journey = engine.open_journey(plan, "officer", kT0 + 100);
  ASSERT_TRUE(journey);
  ASSERT_TRUE(engine.seal(*journey, "officer", kT0 + 200));
  ASSERT_TRUE(engine.unseal(*journey, "officer", kT0 + 5000));
  ASSERT_TRUE(engine.recover_device("D1", "MINSK", kT0 + 6000));

  const std::vector<std::string> back{"D1"};
  // Refused, naming the device or the field: a device at another station, unknown, twice, same station.
  const std::vector<std::string> mixed{"D2", "D1"};
  auto refused = engine.ship_devices(mixed, "RIGA", "officer", kT0 + 6500);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().find("device_ids[1]: device \"D1\" is at MINSK"), std::string::npos) << refused.error();
  const std::vector<std::string> unknown{"D9"};
  EXPECT_EQ(engine.ship_devices(unknown, "RIGA", "officer", kT0).error(),
            "device_ids[0]: device \"D9\" is not registered");
  EXPECT_EQ(engine.ship_devices(back, "MINSK", "officer", kT0 + 6500).error(), "to: the devices are already at MINSK");

  auto transfer = engine.ship_devices(back, "VILNIUS", "officer", kT0 + 7000);
  ASSERT_TRUE(transfer) << transfer.error();
  EXPECT_EQ(engine.device("D1")->station, "");
  EXPECT_EQ(engine.device("D1")->transfer, *transfer);
  // On the way it can be neither issued to a journey nor placed by hand.
  plan.declaration.mrn = "26LT0000000000002";
  EXPECT_FALSE(engine.open_journey(plan, "officer", kT0 + 7100));
  EXPECT_FALSE(engine.set_device_status("D1", DeviceStatus::kCharging, kT0 + 7100, "RIGA"));
  ASSERT_TRUE(engine.receive_transfer(*transfer, "officer", kT0 + 9000));
  EXPECT_FALSE(engine.receive_transfer(*transfer, "officer", kT0 + 9001));  // once
  EXPECT_EQ(engine.device("D1")->station, "VILNIUS");

  const InventoryLedger& ledger = engine.ledger();
  EXPECT_EQ(ledger.stock_at("VILNIUS", kT0), 3);
  EXPECT_EQ(ledger.stock_at("VILNIUS", kT0 + 200), 2);   // D1 sealed out
  EXPECT_EQ(ledger.stock_at("MINSK", kT0 + 6000), 1);    // recovered in
  EXPECT_EQ(ledger.stock_at("MINSK", kT0 + 7000), 0);    // shipped
  EXPECT_EQ(ledger.stock_at("VILNIUS", kT0 + 8000), 2);  // still on the road
  EXPECT_EQ(ledger.stock_at("VILNIUS", kT0 + 9000), 3);  // received
  const auto flows = ledger.flows(kT0 + 1, kT0 + 10000);
  ASSERT_EQ(flows.size(), 2u);
  EXPECT_EQ(flows[0].station, "MINSK");
  EXPECT_EQ(flows[0].inflow, 1);
  EXPECT_EQ(flows[0].outflow, 1);
  EXPECT_EQ(flows[1].station, "VILNIUS");
  EXPECT_EQ(flows[1].stock_at_start, 3);
  EXPECT_EQ(flows[1].outflow, 1);
  EXPECT_EQ(flows[1].inflow, 1);
  EXPECT_EQ(ledger.count("sealed", kT0, kT0 + 10000).at("VILNIUS"), 1);

  // A device lost on the way never arrives; the others do.
  const std::vector<std::string> two{"D2", "D3"};
  auto second = engine.ship_devices(two, "RIGA", "officer", kT0 + 10000);
  ASSERT_TRUE(second);
  ASSERT_TRUE(engine.set_device_status("D3", DeviceStatus::kLost, kT0 + 11000));
  ASSERT_TRUE(engine.receive_transfer(*second, "officer", kT0 + 12000));
  EXPECT_EQ(ledger.stock_at("RIGA", kT0 + 12000), 1);
  EXPECT_EQ(engine.transfer(*second)->lost, std::vector<std::string>{"D3"});
}

TEST(LogisticsDispatch, TargetStock) {
  EXPECT_EQ(target_stock(10, 2, 0.2), 24);
  EXPECT_EQ(target_stock(0, 5), 0);
  EXPECT_EQ(target_stock(3.3, 1, 0), 4);
}

}  // namespace
}  // namespace cordon::supervision
