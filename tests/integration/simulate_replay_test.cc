// `cordon simulate` writes a world with supervised journeys; `cordon simulate replay` plays it to
// a real `cordon serve` on loopback over eSeal TCP, OsmAnd HTTP and Cordon JSON; the alarms the
// server raised are compared with the planted ground truth (journey_incidents.ndjson): every
// planted incident the replay can show arrives as an alarm of its type near its start, and no
// alarm arrives that nothing was planted for. The same lifecycle feeds the stations' flows.
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../support/cordon_process.h"
#include "../support/http_client.h"

namespace cordon::testing {
namespace {

using nlohmann::json;

std::vector<json> read_ndjson(const std::filesystem::path& path) {
  std::vector<json> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) out.push_back(json::parse(line));
  return out;
}

// How far an alarm's start may be from the planted start (the bench's tolerances): a dwell
// detector starts the alarm at the first fix of the condition, which the noise can move.
std::int64_t tolerance_s(const std::string& type) {
  if (type == "journey_timeout") return 120;
  return 1200;
}

TEST(SimulateReplay, PlantedIncidentsArriveAsAlarmsOverTheDevicesProtocols) {
  const auto dir = std::filesystem::temp_directory_path() / ("cordon-replay-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const auto db = dir / "cordon.db";
  const auto world = dir / "world";
  const std::string token = create_user_with_token(db, "replayer", {"supervision_officer", "submitter", "monitoring"});

  // A small world: few declarations, 16 journeys; seed 11 plants incidents on devices of every
  // protocol (route deviation and illegal stay over OsmAnd, openings and a timeout over eSeal).
  const std::string simulated = run_cordon(
      {"simulate", "--out", world.string(), "--seed", "11", "--scale", "0.02", "--days", "1", "--journeys", "16"});
  ASSERT_NE(simulated.find("journey_incidents.ndjson"), std::string::npos) << simulated;
  const auto devices = read_ndjson(world / "devices.ndjson");
  const auto journeys = read_ndjson(world / "journeys.ndjson");
  const auto incidents = read_ndjson(world / "journey_incidents.ndjson");
  ASSERT_EQ(devices.size(), 16u);
  ASSERT_EQ(journeys.size(), 16u);
  std::map<std::string, std::string> protocol_of;  // mrn -> protocol
  std::set<std::string> protocols;
  for (const auto& d : devices) {
    protocol_of[d["journey"]] = d["protocol"];
    protocols.insert(d["protocol"].get<std::string>());
  }
  ASSERT_EQ(protocols, (std::set<std::string>{"eseal", "osmand", "json"}));

  CordonServer server(db, {"--telemetry-tcp", "eseal=0", "--osmand-port", "0", "--quiet"}, dir / "server.log");
  std::map<std::string, uint16_t> ports;
  while (auto line = server.process().read_line(std::chrono::seconds(10))) {
    if (line->starts_with("telemetry listeners:")) break;
    auto at = line->rfind(" port ");
    if (line->starts_with("telemetry ") && at != std::string::npos) {
      ports[line->substr(10, line->find(' ', 10) - 10)] = static_cast<uint16_t>(std::stoi(line->substr(at + 6)));
    }
  }
  ASSERT_TRUE(ports.contains("eseal") && ports.contains("osmand"));

  ChildProcess replay({CORDON_BINARY, "simulate", "replay", "--world", world.string(), "--to",
                       "127.0.0.1:" + std::to_string(server.port()), "--token", token, "--eseal",
                       "127.0.0.1:" + std::to_string(ports["eseal"]), "--osmand",
                       "127.0.0.1:" + std::to_string(ports["osmand"]), "--speed", "0"},
                      dir / "replay.err");
  std::string output;
  while (auto line = replay.read_line(std::chrono::seconds(300))) output += *line + "\n";
  const auto exit_code = replay.wait(std::chrono::seconds(30));
  ASSERT_EQ(exit_code, 0) << output;
  EXPECT_NE(output.find("replaying 16 journeys"), std::string::npos) << output;

  HttpClient client(server.port());
  client.set_bearer(token);
  const json listed = json::parse(client.get("/api/v1/journeys").body);
  std::map<std::uint64_t, std::string> mrn_of;
  std::map<std::string, std::int64_t> shift_of;  // mrn -> the replay's clock shift, from sealed_at
  std::map<std::string, std::int64_t> sim_sealed;
  for (const auto& j : journeys) sim_sealed[j["mrn"]] = j["sealed_at"];
  for (const auto& j : listed["journeys"]) {
    mrn_of[j["id"]] = j["mrn"];
    ASSERT_EQ(j["status"], "ended") << j.dump();
    shift_of[j["mrn"]] = j["sealed_at"].get<std::int64_t>() - sim_sealed.at(j["mrn"]);
  }
  ASSERT_EQ(mrn_of.size(), 16u);
  const json alarms = json::parse(client.get("/api/v1/alarms?limit=10000").body)["alarms"];

  // Loss of communication is raised on the server's clock after 4 h of silence, which a replay
  // faster than real time cannot show (see docs/simulation.md); every other type must arrive.
  std::map<std::string, int> matched_by_protocol;
  std::set<std::uint64_t> used;
  int observable = 0;
  for (const auto& inc : incidents) {
    const std::string type = inc["type"], mrn = inc["mrn"];
    if (type == "loss_of_communication") continue;
    ++observable;
    const std::int64_t start = inc["start"].get<std::int64_t>() + shift_of.at(mrn);
    bool found = false;
    for (const auto& a : alarms) {
      if (used.contains(a["id"]) || mrn_of.at(a["journey"]) != mrn || a["type"] != type) continue;
      if (std::llabs(a["started_at"].get<std::int64_t>() - start) > tolerance_s(type)) continue;
      used.insert(a["id"].get<std::uint64_t>());
      found = true;
      ++matched_by_protocol[protocol_of.at(mrn)];
      break;
    }
    EXPECT_TRUE(found) << "planted " << type << " on " << mrn << " (" << protocol_of.at(mrn) << ") at " << start
                       << " did not arrive; alarms: " << alarms.dump();
  }
  ASSERT_GE(observable, 8) << "the world plants too little to test";
  for (const auto& a : alarms) {
    EXPECT_TRUE(used.contains(a["id"])) << "alarm without a planted incident: " << a.dump();
  }
  // The device protocols themselves carried planted incidents, not only Cordon JSON.
  EXPECT_GT(matched_by_protocol["eseal"], 0) << output;
  EXPECT_GT(matched_by_protocol["osmand"], 0) << output;
  EXPECT_GT(matched_by_protocol["json"], 0) << output;

  // Return logistics over HTTP, from the same lifecycle: each device was registered at its
  // route's office of departure, sealed out of it and recovered at the office of destination.
  std::map<std::string, json> routes;
  for (const auto& r : read_ndjson(world / "routes.ndjson")) routes[r["id"]] = r;
  std::map<std::string, std::pair<int, int>> expected;  // station -> (inflow, outflow)
  for (const auto& j : journeys) {
    const json& route = routes.at(j["route"]);
    expected[route["departure_office"]].first += 1;
    expected[route["departure_office"]].second += 1;
    expected[route["destination_office"]].first += 1;
  }
  const auto flows = client.get("/api/v1/stations/flows?from=0");
  ASSERT_EQ(flows.status, 200) << flows.body;
  std::map<std::string, std::pair<int, int>> got;
  const json flow_rows = json::parse(flows.body)["stations"];
  for (const auto& f : flow_rows) {
    got[f["station"]] = {f["inflow"].get<int>(), f["outflow"].get<int>()};
    EXPECT_EQ(f["stock_at_end"], f["inflow"].get<int>() - f["outflow"].get<int>()) << f.dump();
  }
  EXPECT_EQ(got, expected);
  const std::string station = expected.begin()->first;
  const auto series = client.get("/api/v1/stations/" + station + "/series?from=2020-01-01");
  ASSERT_EQ(series.status, 200) << series.body;
  EXPECT_FALSE(json::parse(series.body)["points"].empty());
  // Devices piled up at destinations; the offices of departure, which issued them, are short.
  // (Only routes journeys took: a lane naming a station that never held a device is refused.)
  json lanes = json::array();
  std::set<std::string> used_routes;
  for (const auto& j : journeys) used_routes.insert(j["route"].get<std::string>());
  for (const auto& id : used_routes) {
    const json& route = routes.at(id);
    lanes.push_back(
        {{"from", route["destination_office"]}, {"to", route["departure_office"]}, {"cost_per_device", 2.5}});
  }
  const auto plan = client.post("/api/v1/stations/dispatch-plan", json{{"lanes", lanes}}.dump());
  ASSERT_EQ(plan.status, 200) << plan.body;
  const json p = json::parse(plan.body);
  EXPECT_GT(p["devices_moved"].get<int>(), 0) << p.dump();
  EXPECT_GE(p["total_cost"].get<double>(), 2.5 * p["devices_moved"].get<int>()) << p.dump();
  const auto refused = client.post("/api/v1/stations/dispatch-plan", R"({"lanes":[{"from":"X","to":"Y"}]})");
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(refused.body.find("lanes[0].cost_per_device"), std::string::npos) << refused.body;

  // The server removes its WAL files as it stops: let it finish before removing the folder.
  server.process().signal(SIGTERM);
  server.process().wait(std::chrono::seconds(20));
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
}

}  // namespace
}  // namespace cordon::testing
