// Return logistics through the supervision service: the ledger is fed by the devices' lifecycle
// steps (registration, sealing, recovery, transfers between stations), reported with "at" when
// late, survives a restart through the op log, and the dispatch plan derives targets from the
// departures it records and refuses bad input naming the field.
#include <unistd.h>
#include <filesystem>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "assessment/supervision_service.h"
#include "core/time.h"
#include "store/sqlite/sqlite_supervision_store.h"

namespace cordon::assessment {
namespace {

using nlohmann::json;

json journey_body(const std::string& mrn, const std::string& device, std::int64_t at) {
  json points = json::array();
  for (int i = 0; i <= 4; ++i) points.push_back({54.6, 25.0 + 0.05 * i});
  json square = json::array({json::array({54.59, 25.19}), json::array({54.59, 25.21}), json::array({54.61, 25.21}),
                             json::array({54.61, 25.19})});
  return {
      {"declaration", {{"mrn", mrn}, {"office_of_departure", "VILNIUS"}, {"device_ids", json::array({device})}}},
      {"route",
       {{"points", points}, {"unsealing_zone", {{"id", "MINSK"}, {"kind", "customs_office"}, {"polygon", square}}}}},
      {"time_limit_s", 86400},
      {"at", at}};
}

class SupervisionLogisticsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("cordon-logistics-test-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    open();
  }
  void TearDown() override {
    service_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  void open() {
    service_.reset();
    store_.reset();
    store_ = std::move(*store::sqlite::open_supervision_store(dir_ / "cordon.db"));
    service_ = std::make_unique<SupervisionService>(*store_);
    ASSERT_TRUE(service_->load());
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::SupervisionStore> store_;
  std::unique_ptr<SupervisionService> service_;
};

TEST_F(SupervisionLogisticsTest, LifecycleFeedsFlowsSeriesAndPlanAndSurvivesARestart) {
  const std::int64_t t0 = now_seconds() - 3 * 86400;  // three days ago, reported late with "at"
  for (int i = 1; i <= 6; ++i) {
    auto r =
        service_->register_device({{"id", "D" + std::to_string(i)}, {"home_station", "VILNIUS"}, {"at", t0}}, "admin");
    ASSERT_TRUE(r) << r.error().message;
  }
  ASSERT_TRUE(service_->register_device({{"id", "M1"}, {"home_station", "MINSK"}, {"at", t0}}, "admin"));
  // Four devices leave Vilnius on journeys over two days and are recovered in Minsk.
  for (int i = 1; i <= 4; ++i) {
    const std::int64_t t = t0 + 3600 * 10 * i;
    auto j = service_->open_journey(journey_body("MRN" + std::to_string(i), "D" + std::to_string(i), t), "officer");
    ASSERT_TRUE(j) << j.error().message;
    const auto id = (*j)["id"].get<std::uint64_t>();
    ASSERT_TRUE(service_->seal(id, "officer", {{"at", t + 60}}));
    ASSERT_TRUE(service_->unseal(id, "officer", {{"at", t + 7200}}));
    auto rec = service_->set_device_status(
        "D" + std::to_string(i), {{"status", "recovered"}, {"station", "MINSK"}, {"at", t + 9000}}, "officer");
    ASSERT_TRUE(rec) << rec.error().message;
  }
  // Two come back to Vilnius by van.
  auto shipped =
      service_->ship_devices({{"device_ids", {"D1", "D2"}}, {"to", "VILNIUS"}, {"at", t0 + 2 * 86400}}, "officer");
  ASSERT_TRUE(shipped) << shipped.error().message;
  EXPECT_EQ((*shipped)["from"], "MINSK");
  EXPECT_EQ((*shipped)["state"], "shipped");
  auto received =
      service_->receive_transfer((*shipped)["id"].get<std::uint64_t>(), {{"at", t0 + 2 * 86400 + 5 * 3600}}, "officer");
  ASSERT_TRUE(received) << received.error().message;
  EXPECT_EQ((*received)["state"], "received");

  auto check = [&] {
    auto flows = service_->station_flows(t0 + 1, now_seconds() + 1);
    ASSERT_TRUE(flows);
    ASSERT_EQ((*flows)["stations"].size(), 2u);
    const json& minsk = (*flows)["stations"][0];
    EXPECT_EQ(minsk["station"], "MINSK");
    EXPECT_EQ(minsk["stock_at_start"], 1);
    EXPECT_EQ(minsk["inflow"], 4);
    EXPECT_EQ(minsk["outflow"], 2);
    EXPECT_EQ(minsk["net"], 2);  // net inflow: devices pile up at the destination
    EXPECT_EQ(minsk["stock_at_end"], 3);
    const json& vilnius = (*flows)["stations"][1];
    EXPECT_EQ(vilnius["stock_at_start"], 6);
    EXPECT_EQ(vilnius["outflow"], 4);
    EXPECT_EQ(vilnius["inflow"], 2);
    EXPECT_EQ(vilnius["net"], -2);
    EXPECT_EQ(vilnius["stock_at_end"], 4);

    auto series = service_->station_series("VILNIUS", t0 - 10, now_seconds() + 1);
    ASSERT_TRUE(series);
    EXPECT_EQ((*series)["stock_at_start"], 0);
    const json& points = (*series)["points"];
    ASSERT_EQ(points.size(), 6u);  // registered (one time), four sealings, one delivery
    EXPECT_EQ(points[0]["stock"], 6);
    EXPECT_EQ(points[4]["stock"], 2);
    EXPECT_EQ(points[5]["stock"], 4);
    EXPECT_EQ(points[5]["time"], t0 + 2 * 86400 + 5 * 3600);
  };
  check();
  // The op log carries every step with its time: a restarted service has the same history.
  open();
  check();

  // Vilnius issued 4 devices in the last 7 days: 4/7 a day, 2 days' cover, 20 % margin -> 2.
  // It holds 4 (surplus 2); Minsk holds 2 available (D3, D4 recovered) + M1 = 3, target 0.
  // Riga (named in targets) wants 3: from Minsk at 5 each beats Vilnius at 9.
  json request = {{"targets", {{"RIGA", 3}}},
                  {"lanes",
                   {{{"from", "MINSK"}, {"to", "RIGA"}, {"cost_per_device", 5}, {"capacity", 2}},
                    {{"from", "VILNIUS"}, {"to", "RIGA"}, {"cost_per_device", 9}}}}};
  auto plan = service_->dispatch_plan(request);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_EQ((*plan)["devices_moved"], 3);
  EXPECT_EQ((*plan)["shortage_left"], 0);
  EXPECT_DOUBLE_EQ((*plan)["total_cost"].get<double>(), 2 * 5 + 9);
  ASSERT_EQ((*plan)["shipments"].size(), 2u);
  EXPECT_EQ((*plan)["shipments"][0]["from"], "MINSK");
  EXPECT_EQ((*plan)["shipments"][0]["devices"], 2);
  for (const json& s : (*plan)["stations"]) {
    if (s["station"] == "VILNIUS") {
      EXPECT_EQ(s["target"], 2);
      EXPECT_EQ(s["target_from"], "departures");
    }
  }

  // Bad input: 422 naming the field and the rule.
  auto refused = [&](json body, const std::string& expected) {
    auto r = service_->dispatch_plan(body);
    ASSERT_FALSE(r) << body.dump();
    EXPECT_EQ(r.error().status, 422);
    EXPECT_NE(r.error().message.find(expected), std::string::npos) << r.error().message;
  };
  refused(json::object(), "lanes: required");
  refused({{"lanes", {{{"from", "MINSK"}, {"to", "RIGA"}}}}},
          "lanes[0].cost_per_device: required, a finite number >= 0");
  refused({{"lanes", {{{"from", "MINSK"}, {"to", "RIGA"}, {"cost_per_device", -1}}}}}, "lanes[0].cost_per_device");
  refused({{"lanes", {{{"from", "MINSK"}, {"to", "TALLINN"}, {"cost_per_device", 1}}}}},
          "lanes[0].to: station \"TALLINN\" has never held a device");
  refused({{"lanes", json::array()}, {"targets", {{"RIGA", -2}}}}, "targets.RIGA: expected a whole number");
  refused({{"lanes", json::array()}, {"derive", {{"history_days", 0}}}},
          "derive.history_days: expected a number from 1 to 365");
  refused({{"lanes", {{{"from", "MINSK"}, {"to", "MINSK"}, {"cost_per_device", 1}}}}}, "lanes[0].to");
  refused({{"lanes", {{{"from", "MINSK"}, {"to", "VILNIUS"}, {"cost_per_device", 1}, {"capacity", 1.5}}}}},
          "lanes[0].capacity");

  EXPECT_EQ(service_->station_flows(100, 100).error().status, 422);
  EXPECT_EQ(service_->station_series("TALLINN", 0, 100).error().status, 404);
  // A step's time is bounded like a device clock's.
  auto late = service_->register_device({{"id", "X1"}, {"at", now_seconds() - 30 * 86400}}, "admin");
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().status, 422);
  EXPECT_TRUE(late.error().message.starts_with("at: ")) << late.error().message;
  auto ahead = service_->seal(1, "officer", {{"at", now_seconds() + 86400}});
  ASSERT_FALSE(ahead);
  EXPECT_TRUE(ahead.error().message.starts_with("at: ")) << ahead.error().message;
  auto wrong = service_->ship_devices({{"device_ids", {"D5", "D9"}}, {"to", "RIGA"}}, "officer");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().status, 422);
  EXPECT_EQ(wrong.error().message, "device_ids[1]: device \"D9\" is not registered");
  auto busy = service_->ship_devices({{"device_ids", {"D1"}}, {"to", "RIGA"}}, "officer");
  ASSERT_TRUE(busy) << busy.error().message;
  auto again = service_->ship_devices({{"device_ids", {"D1"}}, {"to", "MINSK"}}, "officer");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().status, 409);
}

}  // namespace
}  // namespace cordon::assessment
