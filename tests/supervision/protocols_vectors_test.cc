// Every vector of ../shared/datasets/protocols/vectors.md: the stated fields and the stated reply.
#include <gtest/gtest.h>

#include "core/time.h"
#include "supervision/protocols/protocols.h"
#include "supervision/protocols/wire.h"

namespace cordon::supervision::protocols {
namespace {

Decoded decode_one(Protocol protocol, std::string_view input) {
  auto results = decode_input(protocol, input);
  EXPECT_EQ(results.size(), 1u);
  if (results.empty()) return {};
  if (!results[0]) {
    ADD_FAILURE() << results[0].error().rule << ": " << results[0].error().message;
    return {};
  }
  return *results[0];
}

std::string time_of(const Record& r) { return r.time ? format_timestamp(*r.time) : "none"; }

bool has_event(const Record& r, Event e) { return std::find(r.events.begin(), r.events.end(), e) != r.events.end(); }

std::int64_t io_int(const Record& r, const std::string& key) {
  auto it = r.io.find(key);
  if (it == r.io.end() || !std::holds_alternative<std::int64_t>(it->second)) {
    ADD_FAILURE() << "io " << key << " missing";
    return -1;
  }
  return std::get<std::int64_t>(it->second);
}

std::string text(const Bytes& b) { return std::string(b.begin(), b.end()); }

// ---- Teltonika ----

TEST(ProtocolsVectors, Teltonika1Login) {
  auto d = decode_one(Protocol::kTeltonika, "000F313233343536373839303132333435");
  EXPECT_EQ(d.message.kind, MessageKind::kLogin);
  EXPECT_EQ(d.message.device_id, "123456789012345");
  EXPECT_EQ(to_hex(d.reply), "01");
}

TEST(ProtocolsVectors, Teltonika2Codec8) {
  auto d = decode_one(Protocol::kTeltonika,
                      "000000000000003508010000014f8e016420002141bbaf0f4e96a7fffa0000120000000602010047030242669c92000002c"
                      "7000000009100000000000100002df3");
  EXPECT_EQ(d.message.type, "codec8");
  ASSERT_EQ(d.message.records.size(), 1u);
  const Record& r = d.message.records[0];
  EXPECT_EQ(time_of(r), "2015-09-02T12:21:40Z");
  EXPECT_EQ(io_int(r, "priority"), 0);
  ASSERT_TRUE(r.position);
  EXPECT_NEAR(r.position->latitude, 25.6808615, 1e-9);
  EXPECT_NEAR(r.position->longitude, 55.7956015, 1e-9);
  EXPECT_EQ(r.position->altitude_m, -6);
  EXPECT_EQ(r.position->course_deg, 0);
  EXPECT_EQ(r.position->satellites, 18);
  EXPECT_EQ(r.position->speed_kmh, 0);
  EXPECT_EQ(io_int(r, "io1"), 0);
  EXPECT_EQ(io_int(r, "io71"), 3);
  EXPECT_EQ(io_int(r, "io66"), 26268);
  EXPECT_EQ(io_int(r, "io145"), 0);
  EXPECT_EQ(io_int(r, "io146"), 0);
  EXPECT_EQ(io_int(r, "io199"), 0);
  EXPECT_NEAR(*r.sensors.external_voltage, 26.268, 1e-9);
  EXPECT_EQ(to_hex(d.reply), "00000001");
}

TEST(ProtocolsVectors, Teltonika3Codec8AfterLogin) {
  auto d = decode_stream(Protocol::kTeltonika,
                         *parse_hex("000F313233343536373839303132333435"
                                    "000000000000004c08010000016818d500580009c28d9f1cb3757a00be00c60f0053000f06f001150"
                                    "3c80001011d00fc0007423799180053cdf80dce426f430f88190bb8560bb802f100005aa1100028"
                                    "87e000010000ee8d"));
  ASSERT_EQ(d.size(), 2u);
  ASSERT_TRUE(d[1]) << d[1].error().message;
  EXPECT_EQ(d[1]->message.device_id, "123456789012345");
  const Record& r = d[1]->message.records.at(0);
  EXPECT_EQ(time_of(r), "2019-01-04T12:27:19Z");
  EXPECT_NEAR(r.position->latitude, 48.1523066, 1e-9);
  EXPECT_NEAR(r.position->longitude, 16.3745183, 1e-9);
  EXPECT_EQ(r.position->altitude_m, 190);
  EXPECT_EQ(r.position->course_deg, 198);
  EXPECT_EQ(r.position->satellites, 15);
  EXPECT_EQ(r.position->speed_kmh, 83);
  EXPECT_EQ(io_int(r, "io240"), 1);
  EXPECT_EQ(r.sensors.moving, true);
  EXPECT_EQ(io_int(r, "io21"), 3);
  EXPECT_EQ(r.sensors.gsm_signal, 3);
  EXPECT_EQ(io_int(r, "io1"), 1);
  EXPECT_NEAR(*r.sensors.external_voltage, 14.233, 1e-9);
  EXPECT_NEAR(*r.sensors.battery_voltage, 3.976, 1e-9);
  EXPECT_EQ(io_int(r, "io24"), 83);
  EXPECT_EQ(io_int(r, "io241"), 23201);
  EXPECT_EQ(io_int(r, "io16"), 2656224);
  EXPECT_EQ(r.sensors.odometer_m, 2656224);
  EXPECT_EQ(to_hex(d[1]->reply), "00000001");
}

// ---- GT06 ----

TEST(ProtocolsVectors, Gt06Vector1Login) {
  auto d = decode_one(Protocol::kGt06, "78780D01086471700328358100093F040D0A");
  EXPECT_EQ(d.message.kind, MessageKind::kLogin);
  EXPECT_EQ(d.message.device_id, "864717003283581");
  EXPECT_EQ(d.message.sequence, 9);
  EXPECT_EQ(to_hex(d.reply), "78780501000955940d0a");
}

TEST(ProtocolsVectors, Gt06Vector2GpsLbs) {
  auto d = decode_one(Protocol::kGt06, "78781f120f0a140e150bc505e51e780293a9e800540000f601006e0055da00035f240d0a");
  EXPECT_EQ(d.message.kind, MessageKind::kPosition);
  const Record& r = d.message.records.at(0);
  EXPECT_EQ(time_of(r), "2015-10-20T14:21:11Z");
  EXPECT_EQ(r.position->satellites, 5);
  EXPECT_NEAR(r.position->latitude, 54.94535, 1e-5);
  EXPECT_NEAR(r.position->longitude, 24.01762, 1e-5);
  EXPECT_EQ(r.position->speed_kmh, 0);
  EXPECT_EQ(r.position->course_deg, 0);
  EXPECT_TRUE(r.position->valid);
  ASSERT_TRUE(r.cell);
  EXPECT_EQ(r.cell->mcc, 246);
  EXPECT_EQ(r.cell->mnc, 1);
  EXPECT_EQ(r.cell->lac, 110);
  EXPECT_EQ(r.cell->cell_id, 21978);
  EXPECT_TRUE(d.reply.empty());  // GT06 does not acknowledge position packets
}

TEST(ProtocolsVectors, Gt06Vector3BadCrcIsRejected) {
  auto results = decode_input(Protocol::kGt06, "78781F120B081D112E10CC027AC7EB0C46584900148F01CC00287D001FB8000380810D0A");
  ASSERT_EQ(results.size(), 1u);
  ASSERT_FALSE(results[0]);
  EXPECT_EQ(results[0].error().rule, "crc_mismatch");
  EXPECT_NE(results[0].error().message.find("0x8081"), std::string::npos);
  EXPECT_NE(results[0].error().message.find("0x7377"), std::string::npos);
}

// ---- OsmAnd ----

TEST(ProtocolsVectors, Osmand1) {
  auto d = decode_osmand("GET /?id=123456&timestamp=1377177267&lat=60.0&lon=30.0&speed=0.0&bearing=0.0&altitude=0&hdop=0.0");
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->message.device_id, "123456");
  const Record& r = d->message.records.at(0);
  EXPECT_EQ(time_of(r), "2013-08-22T13:14:27Z");
  EXPECT_EQ(r.position->latitude, 60.0);
  EXPECT_EQ(r.position->longitude, 30.0);
  EXPECT_TRUE(d->reply.empty());
}

TEST(ProtocolsVectors, Osmand2UnknownParametersBecomeAttributes) {
  auto d = decode_osmand(
      "GET /?id=123456789012345&timestamp=1504763810&lat=40.7232948571&lon=-74.0061408571&bearing=7.19889788244&speed=40"
      "&ignition=true&rpm=933&fuel=24");
  ASSERT_TRUE(d) << d.error().message;
  const Record& r = d->message.records.at(0);
  EXPECT_EQ(time_of(r), "2017-09-07T05:56:50Z");
  EXPECT_NEAR(*r.position->speed_kmh, 40 * 1.852, 1e-9);  // knots
  EXPECT_NEAR(r.position->longitude, -74.0061408571, 1e-12);
  EXPECT_EQ(std::get<bool>(r.io.at("ignition")), true);
  EXPECT_EQ(io_int(r, "rpm"), 933);
  EXPECT_EQ(io_int(r, "fuel"), 24);
}

TEST(ProtocolsVectors, OsmandTimestampForms) {
  auto at = [](std::string ts) {
    auto d = decode_osmand("id=1&lat=1&lon=2&timestamp=" + ts);
    return d ? time_of(d->message.records.at(0)) : "error";
  };
  EXPECT_EQ(at("1377177267000"), "2013-08-22T13:14:27Z");  // milliseconds
  EXPECT_EQ(at("2013-08-22T13:14:27Z"), "2013-08-22T13:14:27Z");
  EXPECT_EQ(at("2013-08-22%2013:14:27"), "2013-08-22T13:14:27Z");
  EXPECT_EQ(at("yesterday"), "error");
  EXPECT_FALSE(decode_osmand("id=1&lat=91&lon=2"));
  EXPECT_EQ(decode_osmand("lat=1&lon=2").error().rule, "missing_field");
}

// ---- Jointech JT600 / JT701 ----

TEST(ProtocolsVectors, Jt600Vector1ShortFormat) {
  auto d = decode_one(Protocol::kJt600, "24311021600111001B16021105591022329862114046227B0598095080012327951435161F");
  EXPECT_EQ(d.message.device_id, "3110216001");
  const Record& r = d.message.records.at(0);
  EXPECT_EQ(time_of(r), "2011-02-16T05:59:10Z");
  EXPECT_TRUE(r.position->valid);
  EXPECT_NEAR(r.position->latitude, 22.54977, 1e-5);
  EXPECT_NEAR(r.position->longitude, -114.07705, 1e-5);
  EXPECT_EQ(r.position->course_deg, 304);
  EXPECT_EQ(r.position->satellites, 9);
  EXPECT_TRUE(d.reply.empty());
}

TEST(ProtocolsVectors, Jt701Vector2LongFormatStatusAndReply) {
  auto d = decode_one(Protocol::kJt600,
                      "2480413009781914003406102107544354193631006213423b00000000006c070000000020e064f91ea0671d00020f0f0f0f0f"
                      "0f0f0f0f0f07f100ea0f6e");
  EXPECT_EQ(d.message.device_id, "8041300978");
  const Record& r = d.message.records.at(0);
  EXPECT_EQ(time_of(r), "2021-10-06T07:54:43Z");
  EXPECT_TRUE(r.position->valid);
  EXPECT_NEAR(r.position->latitude, 54.32272, 1e-5);
  EXPECT_NEAR(r.position->longitude, -6.35571, 1e-5);
  EXPECT_EQ(r.position->speed_kmh, 0);
  EXPECT_EQ(r.sensors.odometer_m, 108000);
  EXPECT_EQ(r.position->satellites, 7);
  EXPECT_EQ(io_int(r, "status"), 0x20E0);
  EXPECT_EQ(r.seal.cable_inserted, true);
  EXPECT_EQ(r.seal.locked, true);
  EXPECT_EQ(r.seal.back_cover_open, false);
  EXPECT_EQ(r.seal.cable_cut, false);
  EXPECT_TRUE(r.events.empty());
  EXPECT_EQ(r.sensors.battery_percent, 100);
  ASSERT_TRUE(r.cell);
  EXPECT_EQ(r.cell->mcc, 234);
  EXPECT_EQ(r.cell->mnc, 15);
  EXPECT_EQ(text(d.reply), "(P69,0,110)");
}

TEST(ProtocolsVectors, Jt701StatusBitsUseTheELockMeanings) {
  // Vector 2 with status 0x1F1E: bit 3 set must read as a cut steel cable, never a power cut.
  auto frame = *parse_hex(
      "2480413009781914003406102107544354193631006213423b00000000006c07000000001f1eff"
      "f91ea0671d00020f0f0f0f0f0f0f0f0f0f07f100ea0f6e");
  auto results = decode_stream(Protocol::kJt600, frame);
  ASSERT_EQ(results.size(), 1u);
  ASSERT_TRUE(results[0]) << results[0].error().message;
  const Record& r = results[0]->message.records.at(0);
  EXPECT_TRUE(has_event(r, Event::kCableCut));
  EXPECT_FALSE(has_event(r, Event::kPowerCut));
  EXPECT_TRUE(has_event(r, Event::kGeofenceEnter));
  EXPECT_TRUE(has_event(r, Event::kGeofenceExit));
  EXPECT_TRUE(has_event(r, Event::kBodyTampered));
  EXPECT_TRUE(has_event(r, Event::kUnlockAlarm));
  EXPECT_TRUE(has_event(r, Event::kWrongPassword));
  EXPECT_TRUE(has_event(r, Event::kIllegalCard));
  EXPECT_TRUE(has_event(r, Event::kLowBattery));
  EXPECT_TRUE(has_event(r, Event::kBackCoverOpened));
  EXPECT_EQ(r.seal.back_cover_open, true);
  EXPECT_EQ(r.seal.locked, false);
  EXPECT_EQ(r.sensors.charging, true);  // battery 0xFF
  EXPECT_EQ(results[0]->message.kind, MessageKind::kAlarm);
  EXPECT_TRUE(results[0]->reply.empty());  // bit 5 clear: no acknowledgement asked
}

TEST(ProtocolsVectors, Jt701TextUnlockReport) {
  auto d = decode_one(Protocol::kJt600,
                      "(3301210003,P45,060320,104911,22.549770,N,114.077050,E,A,0,0,1,0,0012345678,0,0,42)");
  EXPECT_EQ(d.message.device_id, "3301210003");
  const Record& r = d.message.records.at(0);
  EXPECT_TRUE(has_event(r, Event::kLockOpened));
  EXPECT_EQ(r.seal.locked, false);
  EXPECT_EQ(time_of(r), "2020-03-06T10:49:11Z");
  EXPECT_EQ(text(d.reply), "(P69,0,42)");
}

// ---- eSeal ----

TEST(ProtocolsVectors, Eseal1Normal) {
  auto d = decode_one(Protocol::kEseal,
                      "##S,eSeal,1000821,256,3.0.6,Normal,34,2017-08-31,08:14:40,15,A,25.708828N 100.372870W,10,0,Close,"
                      "0.71,0:0:3:0,3.8,-73,E##");
  EXPECT_EQ(d.message.device_id, "1000821");
  EXPECT_EQ(d.message.sequence, 34);
  const Record& r = d.message.records.at(0);
  EXPECT_EQ(time_of(r), "2017-08-31T08:14:40Z");
  EXPECT_TRUE(r.position->valid);
  EXPECT_NEAR(r.position->latitude, 25.708828, 1e-9);
  EXPECT_NEAR(r.position->longitude, -100.37287, 1e-9);
  EXPECT_EQ(r.position->course_deg, 10);
  EXPECT_EQ(r.position->speed_kmh, 0);
  EXPECT_EQ(r.seal.door_open, false);
  EXPECT_EQ(std::get<double>(r.io.at("acceleration")), 0.71);
  EXPECT_EQ(std::get<std::string>(r.io.at("nfc")), "0:0:3:0");
  EXPECT_EQ(r.sensors.battery_voltage, 3.8);
  EXPECT_EQ(r.sensors.gsm_signal, -73);
  EXPECT_EQ(text(d.reply), "##S,eSeal,1000821,256,3.0.6,Normal ACK,34,E##\r\n");
}

TEST(ProtocolsVectors, EsealEventTypes) {
  auto event = [](std::string type, std::string door) {
    auto d = decode_one(Protocol::kEseal, "##S,eSeal,1000821,256,3.0.6," + type +
                                              ",35,2017-08-31,08:14:40,15,A,25.708828N 100.372870W,10,0," + door +
                                              ",0.71,0:0:3:0,3.8,-73,E##");
    return d;
  };
  auto unlock = event("Event-RC-Unlock", "Open");
  EXPECT_TRUE(has_event(unlock.message.records.at(0), Event::kRemoteUnlock));
  EXPECT_EQ(text(unlock.reply), "##S,eSeal,1000821,256,3.0.6,Event-RC-Unlock ACK,35,E##\r\n");
  EXPECT_TRUE(has_event(event("Event-Door", "Open").message.records.at(0), Event::kDoorOpened));
  EXPECT_TRUE(has_event(event("Event-Lock", "Close").message.records.at(0), Event::kLockClosed));
  EXPECT_TRUE(has_event(event("Event-Drop", "Close").message.records.at(0), Event::kDrop));
  EXPECT_EQ(event("Startup", "Close").message.kind, MessageKind::kLogin);
  auto unknown = decode_input(Protocol::kEseal, "##S,eSeal,1000821,256,3.0.6,Bogus,35,2017-08-31,08:14:40,15,A,25.708828N "
                                                "100.372870W,10,0,Close,0.71,0:0:3:0,3.8,-73,E##");
  ASSERT_FALSE(unknown.at(0));
  EXPECT_EQ(unknown.at(0).error().rule, "unknown_message_type");
}

// ---- JT/T 808 ----

TEST(ProtocolsVectors, Jt808Vector1JointechJt709a) {
  auto d = decode_one(Protocol::kJt808,
                      "7e0200004d794308010679013800000000022c004e01819568036ef38c005c00120000251118112611d40164d50201a2300"
                      "11d31010cf40104f9020007fe0400000090fd0a02e8000400044a150fe6ef014a0b062200623a4965977e");
  EXPECT_EQ(d.message.device_id, "794308010679");
  EXPECT_EQ(d.message.type, "0x0200");
  EXPECT_EQ(d.message.sequence, 0x0138);
  const Record& r = d.message.records.at(0);
  EXPECT_EQ(time_of(r), "2025-11-18T03:26:11Z");  // 11:26:11 GMT+8
  EXPECT_NEAR(r.position->latitude, -25.269608, 1e-9);
  EXPECT_NEAR(r.position->longitude, -57.602956, 1e-9);
  EXPECT_NEAR(*r.position->speed_kmh, 1.8, 1e-9);
  EXPECT_EQ(r.sensors.battery_percent, 100);
  EXPECT_EQ(r.sensors.odometer_m, 144);
  EXPECT_EQ(io_int(r, "lock_command"), 0x22);
  EXPECT_EQ(io_int(r, "lock_card"), 6437449);
  EXPECT_EQ(io_int(r, "unlock_result"), 0x65);
  // Platform general response 0x8001: terminal serial 0x0138, message 0x0200, result 0.
  EXPECT_EQ(to_hex(d.reply), "7e8001000579430801067900000138020000" + to_hex(std::vector<std::uint8_t>{xor_checksum(
                                 *parse_hex("8001000579430801067900000138020000"))}) + "7e");
}

TEST(ProtocolsVectors, Jt808AlarmBitsOfInterest) {
  // The vector's frame with the alarm word set to bits 19, 20, 21, 22, 23, 25, 26 and 28.
  auto raw = *parse_hex(
      "0200004d794308010679013816f80000022c004e01819568036ef38c005c00120000251118112611d40164d50201a230011d31010cf40104f90"
      "20007fe0400000090fd0a02e8000400044a150fe6ef014a0b062200623a4965");
  raw.push_back(xor_checksum(raw));
  Bytes frame = {0x7e};
  auto escaped = jt808_escape(raw);
  frame.insert(frame.end(), escaped.begin(), escaped.end());
  frame.push_back(0x7e);
  auto results = decode_stream(Protocol::kJt808, frame);
  ASSERT_TRUE(results.at(0)) << results.at(0).error().message;
  const Record& r = results[0]->message.records.at(0);
  EXPECT_TRUE(has_event(r, Event::kOvertimeParking));
  EXPECT_TRUE(has_event(r, Event::kRouteDeviation));
  EXPECT_TRUE(has_event(r, Event::kFuelAbnormal));
  EXPECT_TRUE(has_event(r, Event::kVehicleStolen));
  EXPECT_TRUE(has_event(r, Event::kIllegalDisplacement));
  EXPECT_EQ(io_int(r, "alarm"), 0x16f80000);
  EXPECT_EQ(results[0]->message.kind, MessageKind::kAlarm);
}

}  // namespace
}  // namespace cordon::supervision::protocols
