// The JSON `cordon decode` prints, for one vector of each protocol.
#include <gtest/gtest.h>

#include "supervision/protocols/message_json.h"

namespace cordon::supervision::protocols {
namespace {

using nlohmann::json;

json first_frame(Protocol protocol, std::string_view input) {
  json report = decode_report(protocol, input);
  EXPECT_EQ(report["protocol"], std::string(protocol_name(protocol)));
  EXPECT_EQ(report["frames"].size(), 1u);
  return report["frames"][0];
}

TEST(ProtocolsReport, TeltonikaVector1) {
  json f = first_frame(Protocol::kTeltonika, "000F 3132 3334 3536 3738 3930 3132 3334 35");
  EXPECT_EQ(f["message"]["device_id"], "123456789012345");
  EXPECT_EQ(f["message"]["kind"], "login");
  EXPECT_EQ(f["reply_hex"], "01");
}

TEST(ProtocolsReport, Gt06Vector2) {
  json f = first_frame(Protocol::kGt06, "78781f120f0a140e150bc505e51e780293a9e800540000f601006e0055da00035f240d0a");
  json r = f["message"]["records"][0];
  EXPECT_EQ(r["time"], "2015-10-20T14:21:11Z");
  EXPECT_EQ(r["position"]["latitude"], 54.9453467);
  EXPECT_EQ(r["position"]["satellites"], 5);
  EXPECT_EQ(r["cell"], (json{{"mcc", 246}, {"mnc", 1}, {"lac", 110}, {"cell_id", 21978}}));
  EXPECT_EQ(f["reply_hex"], "");
  EXPECT_FALSE(f.contains("reply_text"));
}

TEST(ProtocolsReport, Gt06Vector3Error) {
  json f = first_frame(Protocol::kGt06, "78781F120B081D112E10CC027AC7EB0C46584900148F01CC00287D001FB8000380810D0A");
  EXPECT_EQ(f["error"]["rule"], "crc_mismatch");
  EXPECT_EQ(f["error"]["frame_hex"], "78781f120b081d112e10cc027ac7eb0c46584900148f01cc00287d001fb8000380810d0a");
}

TEST(ProtocolsReport, Jt808Vector1) {
  json f = first_frame(Protocol::kJt808,
                       "7e0200004d794308010679013800000000022c004e01819568036ef38c005c00120000251118112611d40164d50201a2300"
                       "11d31010cf40104f9020007fe0400000090fd0a02e8000400044a150fe6ef014a0b062200623a4965977e");
  EXPECT_EQ(f["message"]["device_id"], "794308010679");
  EXPECT_EQ(f["message"]["records"][0]["sensors"]["battery_percent"], 100);
  EXPECT_EQ(f["message"]["records"][0]["io"]["lock_card"], 6437449);
  EXPECT_EQ(f["reply_hex"].get<std::string>().substr(0, 6), "7e8001");
}

TEST(ProtocolsReport, Jt701Vector2) {
  json f = first_frame(Protocol::kJt600,
                       "2480413009781914003406102107544354193631006213423b00000000006c070000000020e064f91ea0671d00020f0f0f"
                       "0f0f0f0f0f0f0f07f100ea0f6e");
  EXPECT_EQ(f["message"]["records"][0]["seal"],
            (json{{"locked", true}, {"cable_inserted", true}, {"cable_cut", false}, {"back_cover_open", false},
                  {"body_tampered", false}}));
  EXPECT_EQ(f["reply_text"], "(P69,0,110)");
  EXPECT_EQ(f["reply_hex"], "285036392c302c31313029");
}

TEST(ProtocolsReport, EsealVector1) {
  json f = first_frame(Protocol::kEseal,
                       "##S,eSeal,1000821,256,3.0.6,Normal,34,2017-08-31,08:14:40,15,A,25.708828N 100.372870W,10,0,Close,"
                       "0.71,0:0:3:0,3.8,-73,E##");
  EXPECT_EQ(f["message"]["sequence"], 34);
  EXPECT_EQ(f["reply_text"], "##S,eSeal,1000821,256,3.0.6,Normal ACK,34,E##\r\n");
}

TEST(ProtocolsReport, OsmandVector1) {
  json f = first_frame(Protocol::kOsmand,
                       "GET /?id=123456&timestamp=1377177267&lat=60.0&lon=30.0&speed=0.0&bearing=0.0&altitude=0&hdop=0.0");
  EXPECT_EQ(f["message"]["records"][0]["time"], "2013-08-22T13:14:27Z");
  EXPECT_EQ(f["message"]["records"][0]["position"]["hdop"], 0.0);
}

TEST(ProtocolsReport, CordonJson) {
  json f = first_frame(Protocol::kCordonJson,
                       R"({"device_id":"SEAL-1","position":{"latitude":50.1,"longitude":4.2},"events":["cable_cut"]})");
  EXPECT_EQ(f["message"]["kind"], "alarm");
  EXPECT_EQ(f["message"]["records"][0]["events"], json::array({"cable_cut"}));
  // What to_json prints, decode_cordon_json reads back.
  auto again = decode_cordon_json(f["message"].dump());
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(to_json(again->message)["records"], f["message"]["records"]);
}

TEST(ProtocolsReport, ProtocolNames) {
  for (Protocol p : all_protocols()) EXPECT_EQ(parse_protocol(protocol_name(p)), p);
  EXPECT_EQ(parse_protocol("JT701"), Protocol::kJt600);
  EXPECT_FALSE(parse_protocol("nmea"));
}

}  // namespace
}  // namespace cordon::supervision::protocols
