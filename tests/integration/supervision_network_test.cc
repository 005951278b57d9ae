// Supervision through the real server and the devices' own transports: HTTP JSON with a
// submitter's token, GT06 over TCP (with the login reply), OsmAnd over HTTP, MQTT through a real
// Mosquitto broker on loopback; alarms raised, stored, queued and handled; a signed journey
// record verified and a tampered one refused; everything still there after a restart.
#include <filesystem>
#include <fstream>
#include <thread>
#include <utility>

#include <boost/asio.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../support/cordon_process.h"
#include "../support/http_client.h"

namespace cordon::testing {
namespace {

using nlohmann::json;
namespace asio = boost::asio;

uint16_t free_port() {
  asio::io_context io;
  asio::ip::tcp::acceptor a(io, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  return a.local_endpoint().port();
}

std::vector<std::uint8_t> from_hex(const std::string& hex) {
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(static_cast<std::uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

std::string to_hex(const std::uint8_t* p, std::size_t n) {
  static const char* d = "0123456789abcdef";
  std::string s;
  for (std::size_t i = 0; i < n; ++i) {
    s += d[p[i] >> 4];
    s += d[p[i] & 15];
  }
  return s;
}

// A straight road east along latitude 54.6, points every ~3 km, with an unsealing zone at the end.
json journey_body(const std::string& mrn, const std::vector<std::string>& devices) {
  json points = json::array();
  for (int i = 0; i <= 6; ++i) points.push_back({54.6, 25.0 + 0.05 * i});
  json square = json::array({json::array({54.59, 25.29}), json::array({54.59, 25.31}), json::array({54.61, 25.31}),
                             json::array({54.61, 25.29})});
  return {{"declaration",
           {{"mrn", mrn},
            {"office_of_departure", "LTVI0100"},
            {"office_of_destination", "LTVI0200"},
            {"vehicle", "ABC123"},
            {"device_ids", devices}}},
          {"route",
           {{"points", points},
            {"corridor_half_width_m", 1000},
            {"unsealing_zone", {{"id", "LTVI0200"}, {"kind", "customs_office"}, {"polygon", square}}}}},
          {"time_limit_s", 86400}};
}

json position(const std::string& device, std::int64_t t, double lon, bool opened = false) {
  json j = {{"device_id", device},
            {"time", t},
            {"position", {{"latitude", 54.6}, {"longitude", lon}, {"speed_kmh", 60}}},
            {"sensors", {{"battery_percent", 80}}}};
  if (opened) j["events"] = json::array({"lock_opened"});
  return j;
}

class SupervisionNetworkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("cordon-supervision-net-" + std::to_string(::getpid()) + "-" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = dir_ / "cordon.db";
    officer_ = create_user_with_token(db_, "officer", {"supervision_officer"});
    device_token_ = create_user_with_token(db_, "fleet", {"submitter"});
    patrol_ = create_user_with_token(db_, "patrol7", {"patrol_officer"});
    mqtt_port_ = free_port();
    std::ofstream(dir_ / "mosquitto.conf") << "listener " << mqtt_port_ << " 127.0.0.1\nallow_anonymous true\n";
    broker_ = std::make_unique<ChildProcess>(std::vector<std::string>{"/usr/sbin/mosquitto", "-c", (dir_ / "mosquitto.conf").string()},
                                             dir_ / "mosquitto.log");
    wait_for_port(mqtt_port_);
    start_server();
  }
  void TearDown() override {
    server_.reset();
    broker_.reset();
    std::filesystem::remove_all(dir_);
  }

  static void wait_for_port(uint16_t port) {
    for (int i = 0; i < 100; ++i) {
      asio::io_context io;
      asio::ip::tcp::socket s(io);
      boost::system::error_code ec;
      s.connect({asio::ip::make_address("127.0.0.1"), port}, ec);
      if (!ec) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL() << "nothing listens on " << port;
  }

  void start_server() {
    server_.reset();
    server_ = std::make_unique<CordonServer>(
        db_, std::vector<std::string>{"--telemetry-tcp", "gt06=0", "--osmand-port", "0", "--mqtt",
                                      "127.0.0.1:" + std::to_string(mqtt_port_), "--quiet"},
        dir_ / "server.log");
    while (auto line = server_->process().read_line(std::chrono::seconds(10))) {
      if (line->starts_with("telemetry listeners:")) break;
      // "telemetry gt06 on 127.0.0.1:PORT port PORT"
      auto at = line->rfind(" port ");
      if (line->starts_with("telemetry ") && at != std::string::npos) {
        std::string name = line->substr(10, line->find(' ', 10) - 10);
        ports_[name] = static_cast<uint16_t>(std::stoi(line->substr(at + 6)));
      }
    }
    officer_client_ = std::make_unique<HttpClient>(server_->port());
    officer_client_->set_bearer(officer_);
  }

  // Polls until `predicate` holds for GET target (the ingest queue is asynchronous).
  json wait_for(const std::string& target, const std::function<bool(const json&)>& predicate) {
    json last;
    for (int i = 0; i < 200; ++i) {
      auto r = officer_client_->get(target);
      if (r.status == 200) {
        last = json::parse(r.body);
        if (predicate(last)) return last;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "timed out waiting on " << target << ": " << last.dump();
    return last;
  }

  std::filesystem::path dir_, db_;
  std::string officer_, device_token_, patrol_;
  uint16_t mqtt_port_ = 0;
  std::map<std::string, uint16_t> ports_;
  std::unique_ptr<ChildProcess> broker_;
  std::unique_ptr<CordonServer> server_;
  std::unique_ptr<HttpClient> officer_client_;
};

TEST_F(SupervisionNetworkTest, TelemetryOverEveryTransportRaisesStoredHandledAndSignedAlarms) {
  ASSERT_TRUE(ports_.contains("gt06"));
  ASSERT_TRUE(ports_.contains("osmand"));
  auto& api = *officer_client_;
  for (const char* id : {"SEAL-HTTP", "864717003283581", "OSM-1", "SEAL-MQTT"}) {
    auto r = api.post("/api/v1/devices", json{{"id", id}, {"type", "active"}, {"home_station", "VILNIUS"}}.dump());
    ASSERT_EQ(r.status, 201) << r.body;
  }
  EXPECT_EQ(api.post("/api/v1/devices", json{{"id", "SEAL-HTTP"}}.dump()).status, 409);
  EXPECT_EQ(api.post("/api/v1/devices", json{{"id", 5}}.dump()).status, 422);

  auto opened = api.post("/api/v1/journeys", journey_body("24LT000000000001", {"SEAL-HTTP"}).dump());
  ASSERT_EQ(opened.status, 201) << opened.body;
  auto journey_id = json::parse(opened.body)["id"].get<std::uint64_t>();
  // The planned route travels with the journey (the console draws the corridor and the zones).
  json route = json::parse(opened.body)["route"];
  EXPECT_GE(route["points"].size(), 7u);
  EXPECT_EQ(route["corridor_half_width_m"], 1000);
  ASSERT_EQ(route["zones"].size(), 1u);
  EXPECT_EQ(route["zones"][0]["id"], "LTVI0200");
  EXPECT_EQ(route["zones"][0]["kind"], "unsealing");
  EXPECT_EQ(route["zones"][0]["polygon"].size(), 4u);
  auto bad_route = journey_body("24LT000000000002", {"SEAL-MQTT"});
  bad_route["route"]["points"] = json::array({json::array({54.6, 25.0})});
  EXPECT_EQ(api.post("/api/v1/journeys", bad_route.dump()).status, 422);
  ASSERT_EQ(api.post("/api/v1/journeys", journey_body("24LT000000000003", {"SEAL-MQTT"}).dump()).status, 201);
  auto sealed = api.post("/api/v1/journeys/" + std::to_string(journey_id) + "/seal", "{}");
  ASSERT_EQ(sealed.status, 200) << sealed.body;
  ASSERT_EQ(api.post("/api/v1/journeys/2/seal", "{}").status, 200);

  // HTTP JSON with the fleet's bearer token: driving, then the lock opens on the road.
  HttpClient fleet(server_->port());
  fleet.set_bearer(device_token_);
  // Records before the sealing are not supervised; device clocks a little ahead are believed.
  const std::int64_t now = std::time(nullptr) + 2;
  for (int i = 0; i < 4; ++i) {
    auto r = fleet.post("/api/v1/telemetry", position("SEAL-HTTP", now + 30 * i, 25.01 + 0.01 * i).dump());
    ASSERT_EQ(r.status, 202) << r.body;
  }
  ASSERT_EQ(fleet.post("/api/v1/telemetry", position("SEAL-HTTP", now + 150, 25.05, true).dump()).status, 202);
  EXPECT_EQ(fleet.post("/api/v1/telemetry", R"({"device_id":"SEAL-HTTP","position":{"latitude":95,"longitude":1}})").status, 422);
  HttpClient anonymous(server_->port());
  EXPECT_EQ(anonymous.post("/api/v1/telemetry", position("SEAL-HTTP", now, 25.06).dump()).status, 401);

  json queue = wait_for("/api/v1/alarms?state=new", [](const json& j) { return !j["alarms"].empty(); });
  ASSERT_FALSE(queue["alarms"].empty());
  json alarm = queue["alarms"][0];
  EXPECT_EQ(alarm["type"], "illegal_opening");
  EXPECT_EQ(alarm["grade"], "critical");
  EXPECT_EQ(alarm["device_id"], "SEAL-HTTP");
  const std::string alarm_path = "/api/v1/alarms/" + std::to_string(alarm["id"].get<std::uint64_t>());

  // GT06 over TCP: the login gets the documented reply; the device's contact is recorded.
  {
    asio::io_context io;
    asio::ip::tcp::socket s(io);
    s.connect({asio::ip::make_address("127.0.0.1"), ports_["gt06"]});
    auto login = from_hex("78780D01086471700328358100093F040D0A");
    asio::write(s, asio::buffer(login));
    std::array<std::uint8_t, 10> reply{};
    asio::read(s, asio::buffer(reply));
    EXPECT_EQ(to_hex(reply.data(), reply.size()), "78780501000955940d0a");
    auto gps = from_hex("78781f120f0a140e150bc505e51e780293a9e800540000f601006e0055da00035f240d0a");
    asio::write(s, asio::buffer(gps));
    wait_for("/api/v1/devices/864717003283581", [](const json& d) { return d.contains("last_contact"); });
  }
  // OsmAnd over its own port, no token.
  {
    HttpClient osmand(ports_["osmand"]);
    auto r = osmand.get("/?id=OSM-1&timestamp=" + std::to_string(now) + "&lat=54.6&lon=25.0&speed=0");
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(osmand.get("/?id=OSM-1&lat=99&lon=25").status, 400);
    wait_for("/api/v1/devices/OSM-1", [](const json& d) { return d.contains("last_contact"); });
  }
  // MQTT through the broker: the second journey's lock opens on the road.
  for (int i = 0; i < 5; ++i) {
    std::string payload = position("SEAL-MQTT", now + 30 * i, 25.01 + 0.01 * i, i == 4).dump();
    ChildProcess pub({"/usr/bin/mosquitto_pub", "-h", "127.0.0.1", "-p", std::to_string(mqtt_port_), "-q", "1", "-t",
                      "cordon/telemetry/SEAL-MQTT", "-m", payload});
    ASSERT_EQ(pub.wait(std::chrono::seconds(10)), 0);
  }
  wait_for("/api/v1/alarms?state=new", [](const json& j) {
    for (const auto& a : j["alarms"]) {
      if (a["device_id"] == "SEAL-MQTT") return true;
    }
    return false;
  });

  // Handling: dispatch to a patrol, who resolves it; the patrol sees only its own alarms.
  ASSERT_EQ(api.post(alarm_path + "/actions", R"({"action":"acknowledge","comment":"calling the driver"})").status, 200);
  ASSERT_EQ(api.post(alarm_path + "/actions", R"({"action":"dispatch","patrol":"patrol7"})").status, 200);
  EXPECT_EQ(api.post(alarm_path + "/actions", R"({"action":"resolve","outcome":"nonsense"})").status, 422);
  HttpClient patrol(server_->port());
  patrol.set_bearer(patrol_);
  auto mine = json::parse(patrol.get("/api/v1/alarms").body);
  ASSERT_EQ(mine["alarms"].size(), 1u);
  EXPECT_EQ(patrol.post("/api/v1/alarms/2/actions", R"({"action":"acknowledge"})").status, 403);
  EXPECT_EQ(patrol.post(alarm_path + "/actions", R"({"action":"photo","photo":"store://photos/1.jpg"})").status, 200);
  auto resolved = patrol.post(alarm_path + "/actions", R"({"action":"resolve","outcome":"irregularity_confirmed"})");
  ASSERT_EQ(resolved.status, 200) << resolved.body;
  EXPECT_EQ(json::parse(resolved.body)["state"], "resolved");
  EXPECT_EQ(patrol.get("/api/v1/journeys").status, 403);
  json listed = json::parse(api.get("/api/v1/journeys").body);
  EXPECT_FALSE(listed["journeys"][0].contains("route"));
  EXPECT_EQ(listed["routes"].size(), 2u) << "one route per id, journeys name theirs by route_id";

  // End of the journey: graded critical, red channel; the signed record verifies, a tampered one does not.
  auto journey = json::parse(api.get("/api/v1/journeys/" + std::to_string(journey_id)).body);
  EXPECT_EQ(journey["grade"], "critical");
  EXPECT_TRUE(journey["requires_red_channel"].get<bool>());
  auto record = api.get("/api/v1/journeys/" + std::to_string(journey_id) + "/record");
  ASSERT_EQ(record.status, 200) << record.body;
  std::ofstream(dir_ / "record.json") << record.body;
  std::string verified = run_cordon({"journey", "verify", (dir_ / "record.json").string()});
  EXPECT_TRUE(verified.starts_with("valid: journey")) << verified;
  json tampered = json::parse(record.body);
  tampered["record"]["alarms"][0]["state"] = "false_alarm";
  std::ofstream(dir_ / "tampered.json") << tampered.dump();
  std::string refused = run_cordon({"journey", "verify", (dir_ / "tampered.json").string()});
  EXPECT_TRUE(refused.starts_with("refused: signature")) << refused;

  // A restart replays the stored steps: same journey, events, alarm and its handling.
  auto before = json::parse(api.get("/api/v1/journeys/" + std::to_string(journey_id)).body);
  start_server();
  auto after = json::parse(officer_client_->get("/api/v1/journeys/" + std::to_string(journey_id)).body);
  EXPECT_EQ(after["events"], before["events"]);
  EXPECT_EQ(after["grade"], "critical");
  auto again = json::parse(officer_client_->get(alarm_path).body);
  EXPECT_EQ(again["state"], "resolved");
  EXPECT_EQ(again["history"].size(), 4u);
}

}  // namespace
}  // namespace cordon::testing
