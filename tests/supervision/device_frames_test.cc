// The simulated devices' wire encodings (simulation/device_frames.h) decode, with Cordon's own
// decoders, to what the simulated report said: what the replay and the network bench send is
// what the engine gets.
#include "simulation/device_frames.h"

#include <algorithm>
#include <cmath>

#include <gtest/gtest.h>

#include "supervision/protocols/protocols.h"

namespace cordon::simulation {
namespace {

namespace proto = supervision::protocols;

SimReport report(std::uint16_t events = 0) {
  SimReport r;
  r.device_time = 1767600000;
  r.sequence = 17;
  r.lat = 54.687157;
  r.lon = -25.279652;  // west, to check the hemisphere letters
  r.speed_kmh = 72;
  r.battery_percent = 50;
  r.fuel_level = std::nanf("");
  r.temperature_c = std::nanf("");
  r.humidity_percent = std::nanf("");
  r.events = events;
  return r;
}

bool has(const proto::Record& r, proto::Event e) {
  return std::find(r.events.begin(), r.events.end(), e) != r.events.end();
}

std::vector<proto::FrameResult> feed(proto::StreamDecoder& decoder, const std::string& text) {
  return decoder.feed(proto::ByteView(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

TEST(DeviceFrames, EsealReportsDecodeAndCarryTheLockState) {
  EsealEncoder encoder("861234567890123", 30);
  auto decoder = proto::make_stream_decoder(proto::Protocol::kEseal);
  const std::int64_t t = 1796000000;
  auto frames = feed(*decoder, encoder.encode(report(), t) + "\r\n");
  ASSERT_EQ(frames.size(), 1u);
  ASSERT_TRUE(frames[0]) << frames[0].error().message;
  const auto& m = frames[0]->message;
  EXPECT_EQ(m.device_id, "861234567890123");
  EXPECT_EQ(m.sequence, 17);
  ASSERT_EQ(m.records.size(), 1u);
  const auto& rec = m.records[0];
  EXPECT_EQ(rec.time, t);  // the replay's clock, not the report's
  ASSERT_TRUE(rec.position);
  EXPECT_NEAR(rec.position->latitude, 54.687157, 1e-6);
  EXPECT_NEAR(rec.position->longitude, -25.279652, 1e-6);
  EXPECT_NEAR(*rec.position->speed_kmh, 72, 0.5);
  EXPECT_NEAR(*rec.sensors.battery_voltage, eseal_battery_volts(50), 0.005);
  EXPECT_EQ(rec.seal.door_open, false);
  const std::string reply(frames[0]->reply.begin(), frames[0]->reply.end());
  EXPECT_NE(reply.find("Normal ACK,17,E##"), std::string::npos) << reply;

  // Opened: an Event-Door report, then plain reports stay "Open" until Event-Lock closes it.
  // (One after another: the encoder keeps state, and the operands of + have no order.)
  std::string stream = encoder.encode(report(SimReport::kLockOpened), t + 30);
  stream += encoder.encode(report(), t + 60);
  stream += encoder.encode(report(SimReport::kLockClosed), t + 90);
  stream += encoder.encode(report(), t + 120);
  stream += encoder.encode(report(SimReport::kRemoteUnlock | SimReport::kLockOpened), t + 150);
  frames = feed(*decoder, stream);
  ASSERT_EQ(frames.size(), 5u);
  for (const auto& f : frames) ASSERT_TRUE(f);
  EXPECT_TRUE(has(frames[0]->message.records[0], proto::Event::kDoorOpened));
  EXPECT_EQ(frames[1]->message.records[0].seal.door_open, true);
  EXPECT_TRUE(has(frames[2]->message.records[0], proto::Event::kLockClosed));
  EXPECT_EQ(frames[3]->message.records[0].seal.door_open, false);
  EXPECT_TRUE(has(frames[4]->message.records[0], proto::Event::kRemoteUnlock));
}

TEST(DeviceFrames, EsealBatteryVoltageMeetsTheEnginesThresholdsWherePercentDoes) {
  EXPECT_NEAR(eseal_battery_volts(15), 3.45, 1e-9);  // low_battery_percent <-> low_battery_voltage
  EXPECT_NEAR(eseal_battery_volts(25), 3.60, 1e-9);  // cleared at 25 % <-> 3.45 + 0.15 V
  EXPECT_NEAR(eseal_battery_volts(100), 4.20, 1e-9);
  EXPECT_LT(eseal_battery_volts(14.9), 3.45);
  for (double p = 0; p < 100; p += 0.5) EXPECT_LT(eseal_battery_volts(p), eseal_battery_volts(p + 0.5));
}

TEST(DeviceFrames, OsmandAndJsonDecodeToTheReport) {
  auto osmand = proto::decode_osmand(osmand_target(report(), "863958425386422", 1796000000));
  ASSERT_TRUE(osmand) << osmand.error().message;
  const auto& o = osmand->message.records.at(0);
  EXPECT_EQ(osmand->message.device_id, "863958425386422");
  EXPECT_EQ(o.time, 1796000000);
  EXPECT_NEAR(*o.position->speed_kmh, 72, 0.2);  // sent in knots
  EXPECT_EQ(o.sensors.battery_percent, 50);

  SimReport r = report(SimReport::kCableCut | SimReport::kDeviceFault);
  r.temperature_c = 9.5F;
  r.fuel_level = 61.25F;
  auto decoded = proto::decode_cordon_json(cordon_json(r, "861698568975361", 1796000000).dump());
  ASSERT_TRUE(decoded) << decoded.error().message;
  const auto& j = decoded->message.records.at(0);
  EXPECT_EQ(decoded->message.sequence, 17);
  EXPECT_EQ(j.time, 1796000000);
  EXPECT_TRUE(has(j, proto::Event::kCableCut));
  EXPECT_TRUE(has(j, proto::Event::kDeviceFault));
  EXPECT_FALSE(has(j, proto::Event::kLockOpened));
  EXPECT_NEAR(*j.sensors.temperature_c, 9.5, 1e-6);
  EXPECT_NEAR(*j.sensors.fuel_level, 61.25, 1e-6);
  EXPECT_FALSE(j.sensors.humidity_percent);
}

TEST(DeviceFrames, CarriesOnlyWhatTheProtocolCanSay) {
  SimJourney plain;
  EXPECT_TRUE(carries("eseal", plain));
  EXPECT_TRUE(carries("osmand", plain));
  SimJourney opened;
  opened.incident_events = SimReport::kLockOpened | SimReport::kLockClosed;
  EXPECT_TRUE(carries("eseal", opened));
  EXPECT_FALSE(carries("osmand", opened));
  SimJourney cut;
  cut.incident_events = SimReport::kCableCut;
  EXPECT_FALSE(carries("eseal", cut));
  EXPECT_TRUE(carries("json", cut));
  SimJourney reefer;
  reefer.temperature_range = std::pair{2.0, 8.0};
  EXPECT_FALSE(carries("eseal", reefer));
  EXPECT_FALSE(carries("osmand", reefer));
  EXPECT_FALSE(carries("teltonika", plain));
}

}  // namespace
}  // namespace cordon::simulation
