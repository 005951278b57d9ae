// Stream framing: split and merged chunks, garbage, bad checksums, unknown types, commands.
#include <gtest/gtest.h>

#include "supervision/protocols/commands.h"
#include "supervision/protocols/message_json.h"
#include "supervision/protocols/protocols.h"
#include "supervision/protocols/wire.h"

namespace cordon::supervision::protocols {
namespace {

const char* kGt06Login = "78780D01086471700328358100093F040D0A";
const char* kGt06Gps = "78781f120f0a140e150bc505e51e780293a9e800540000f601006e0055da00035f240d0a";
const char* kTeltonikaLogin = "000F313233343536373839303132333435";
const char* kTeltonikaAvl =
    "000000000000003508010000014f8e016420002141bbaf0f4e96a7fffa0000120000000602010047030242669c92000002c70000000091000000"
    "00000100002df3";
const char* kJt808 =
    "7e0200004d794308010679013800000000022c004e01819568036ef38c005c00120000251118112611d40164d50201a230011d31010cf40104f90"
    "20007fe0400000090fd0a02e8000400044a150fe6ef014a0b062200623a4965977e";
const char* kJt701 =
    "2480413009781914003406102107544354193631006213423b00000000006c070000000020e064f91ea0671d00020f0f0f0f0f0f0f0f0f0f07f1"
    "00ea0f6e";

Bytes hex(const char* h) { return *parse_hex(h); }
Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// Feeding the bytes in chunks of every size gives the same frames as feeding them at once.
void expect_chunking_invariant(Protocol protocol, const Bytes& stream, std::size_t frames) {
  for (std::size_t chunk = 1; chunk <= stream.size(); chunk = chunk < 8 ? chunk + 1 : chunk * 2) {
    auto decoder = make_stream_decoder(protocol);
    std::vector<FrameResult> all;
    for (std::size_t i = 0; i < stream.size(); i += chunk) {
      auto part = ByteView(stream).subspan(i, std::min(chunk, stream.size() - i));
      for (auto& r : decoder->feed(part)) all.push_back(std::move(r));
    }
    ASSERT_EQ(all.size(), frames) << "chunk " << chunk;
    for (const auto& r : all) EXPECT_TRUE(r) << "chunk " << chunk << ": " << r.error().message;
    EXPECT_EQ(decoder->buffered(), 0u);
  }
}

TEST(ProtocolsStream, Gt06SplitAndMergedChunks) {
  expect_chunking_invariant(Protocol::kGt06, cat({hex(kGt06Login), hex(kGt06Gps), hex(kGt06Login)}), 3);
}

TEST(ProtocolsStream, TeltonikaSplitAndMergedChunksKeepTheLoginImei) {
  Bytes stream = cat({hex(kTeltonikaLogin), hex(kTeltonikaAvl), hex(kTeltonikaAvl)});
  expect_chunking_invariant(Protocol::kTeltonika, stream, 3);
  auto decoder = make_stream_decoder(Protocol::kTeltonika);
  auto results = decoder->feed(stream);
  EXPECT_EQ(decoder->device_id(), "123456789012345");
  EXPECT_EQ(results.at(2)->message.device_id, "123456789012345");
}

TEST(ProtocolsStream, Jt808AndJt600SplitAndMerged) {
  expect_chunking_invariant(Protocol::kJt808, cat({hex(kJt808), hex(kJt808)}), 2);
  Bytes text = {'(', '1', ',', 'S', '0', '7', ',', '1', ')', '\r', '\n'};
  expect_chunking_invariant(Protocol::kJt600, cat({hex(kJt701), text, hex(kJt701)}), 3);
}

TEST(ProtocolsStream, EsealSplitAndMerged) {
  std::string m =
      "##S,eSeal,1000821,256,3.0.6,Normal,34,2017-08-31,08:14:40,15,A,25.708828N 100.372870W,10,0,Close,0.71,0:0:3:0,3.8,"
      "-73,E##\r\n";
  std::string two = m + m;
  expect_chunking_invariant(Protocol::kEseal, Bytes(two.begin(), two.end()), 2);
}

TEST(ProtocolsStream, Gt06ResynchronisesAfterGarbageAndBadCrc) {
  Bytes bad_crc = hex("78781F120B081D112E10CC027AC7EB0C46584900148F01CC00287D001FB8000380810D0A");
  Bytes stream = cat({Bytes{0x01, 0x02, 0x03}, hex(kGt06Login), bad_crc, hex(kGt06Gps)});
  auto results = decode_stream(Protocol::kGt06, stream);
  ASSERT_EQ(results.size(), 4u);
  EXPECT_EQ(results[0].error().rule, "bad_frame_start");
  EXPECT_TRUE(results[1]);
  EXPECT_EQ(results[2].error().rule, "crc_mismatch");
  EXPECT_TRUE(results[2].error().frame == bad_crc);
  ASSERT_TRUE(results[3]);
  EXPECT_EQ(results[3]->message.device_id, "864717003283581");
}

TEST(ProtocolsStream, TeltonikaCrcErrorIsRejectedWithTheReason) {
  Bytes avl = hex(kTeltonikaAvl);
  avl[20] ^= 0x01;
  auto results = decode_stream(Protocol::kTeltonika, avl);
  ASSERT_EQ(results.size(), 1u);
  ASSERT_FALSE(results[0]);
  EXPECT_EQ(results[0].error().rule, "crc_mismatch");
}

TEST(ProtocolsStream, Jt808ChecksumAndEscapeErrors) {
  Bytes frame = hex(kJt808);
  frame[frame.size() - 2] ^= 0xff;
  EXPECT_EQ(decode_stream(Protocol::kJt808, frame).at(0).error().rule, "checksum_mismatch");
  EXPECT_EQ(decode_stream(Protocol::kJt808, hex("7e02007d03007e")).at(0).error().rule, "bad_escape");
}

TEST(ProtocolsStream, UnknownMessageTypesAreReportedNotCrashed) {
  // GT06 protocol 0x55, correctly framed and checksummed.
  Bytes body = {0x05, 0x55, 0x00, 0x01};
  std::uint16_t crc = crc16_itu(body);
  Bytes gt06 = cat({Bytes{0x78, 0x78}, body, Bytes{static_cast<std::uint8_t>(crc >> 8), static_cast<std::uint8_t>(crc), 0x0d, 0x0a}});
  EXPECT_EQ(decode_stream(Protocol::kGt06, gt06).at(0).error().rule, "unknown_message_type");
  // JT/T 808 message 0x0f0f with an empty body.
  Bytes raw = hex("0f0f0000794308010679000a");
  raw.push_back(xor_checksum(raw));
  Bytes jt = cat({Bytes{0x7e}, jt808_escape(raw), Bytes{0x7e}});
  EXPECT_EQ(decode_stream(Protocol::kJt808, jt).at(0).error().rule, "unknown_message_type");
  // Teltonika codec 0x10 is not supported.
  Bytes data = {0x10, 0x00, 0x00};
  std::uint16_t tcrc = crc16_ibm(data);
  Bytes tel = cat({Bytes{0, 0, 0, 0, 0, 0, 0, 3}, data, Bytes{0, 0, static_cast<std::uint8_t>(tcrc >> 8), static_cast<std::uint8_t>(tcrc)}});
  EXPECT_EQ(decode_stream(Protocol::kTeltonika, tel).at(0).error().rule, "unknown_codec");
  EXPECT_EQ(decode_input(Protocol::kJt600, "(1,Z99,1)").at(0).error().rule, "unknown_message_type");
}

TEST(ProtocolsStream, OverlongLengthDoesNotStallTheConnection) {
  auto decoder = make_stream_decoder(Protocol::kTeltonika);
  // A data length of 0x7fffffff would make a naive decoder wait forever.
  auto results = decoder->feed(hex("000000007fffffff08"));
  ASSERT_FALSE(results.empty());
  EXPECT_EQ(results[0].error().rule, "frame_too_long");
  auto after = decoder->feed(hex(kTeltonikaLogin));
  ASSERT_FALSE(after.empty());
  EXPECT_TRUE(after.back());
}

TEST(ProtocolsStream, TruncatedInputIsReported) {
  std::string login = kGt06Login;
  auto results = decode_input(Protocol::kGt06, login.substr(0, 20));
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].error().rule, "truncated_frame");
  EXPECT_EQ(decode_input(Protocol::kGt06, "not hex").at(0).error().rule, "not_hex");
}

TEST(ProtocolsStream, Jt808RegistrationGetsAnAuthenticationCode) {
  Bytes body = hex("002c012c3730303030424a2d4131000000000000000000000000000000303030303030310141424331323334");
  Bytes raw = hex("0100002c794308010679000b");
  raw.insert(raw.end(), body.begin(), body.end());
  raw.push_back(xor_checksum(raw));
  Bytes frame = cat({Bytes{0x7e}, jt808_escape(raw), Bytes{0x7e}});
  auto results = decode_stream(Protocol::kJt808, frame);
  ASSERT_TRUE(results.at(0)) << results.at(0).error().message;
  EXPECT_EQ(results[0]->message.kind, MessageKind::kRegistration);
  EXPECT_EQ(std::get<std::string>(results[0]->message.records.at(0).io.at("manufacturer")), "70000");
  EXPECT_EQ(std::get<std::string>(results[0]->message.records.at(0).io.at("plate")), "ABC1234");
  auto expected = jt808_registration_response("794308010679", 0, 0x000b, 0, "794308010679");
  EXPECT_EQ(results[0]->reply, *expected);
}

TEST(ProtocolsCommands, Encoders) {
  // Codec 12 "getinfo" as in Teltonika's documentation.
  EXPECT_EQ(to_hex(teltonika_codec12_command("getinfo")), "000000000000000f0c010500000007676574696e666f0100004312");
  Bytes gt06 = gt06_command("TIMER,60#", 1, 1);
  EXPECT_EQ(gt06[3], 0x80);
  EXPECT_EQ(gt06[4], 4 + 9);
  auto lock = encode_command(Protocol::kJt808, "794308010679", {CommandType::kSeal, 0}, 7);
  ASSERT_TRUE(lock);
  auto unescaped = jt808_unescape(ByteView(*lock).subspan(1, lock->size() - 2));
  ASSERT_TRUE(unescaped);
  // 0x8500, 1-byte body, terminal 794308010679, serial 7, control flag 1 (lock).
  EXPECT_EQ(to_hex(*unescaped).substr(0, 26), "85000001794308010679000701");
  auto interval = encode_command(Protocol::kJt808, "794308010679", {CommandType::kReportingInterval, 30}, 8);
  ASSERT_TRUE(interval);
  EXPECT_NE(to_hex(*interval).find("0100000029040000001e"), std::string::npos);
  auto unlock = encode_command(Protocol::kEseal, "1000821", {CommandType::kUnseal, 0}, 0);
  ASSERT_TRUE(unlock);
  EXPECT_EQ(std::string(unlock->begin(), unlock->end()), "##S,eSeal,1000821,256,3.0.8,RC-Unlock,E##");
  EXPECT_EQ(encode_command(Protocol::kTeltonika, "1", {CommandType::kSeal, 0}, 0).error().rule, "unsupported");
  EXPECT_EQ(encode_command(Protocol::kJt808, "12ab", {CommandType::kSeal, 0}, 0).error().rule, "bad_device_id");
  // A command the device answers comes back as a command acknowledgement.
  Bytes answer = hex("00000000000000150c010600000009736574646967206f6b01");
  answer = hex("0000000000000011" "0c0106" "00000009" "4f4b2073657420312e" "01");
  auto crc = crc16_ibm(ByteView(answer).subspan(8));
  answer.insert(answer.end(), {0, 0, static_cast<std::uint8_t>(crc >> 8), static_cast<std::uint8_t>(crc)});
  auto results = decode_stream(Protocol::kTeltonika, answer);
  ASSERT_TRUE(results.at(0)) << results.at(0).error().message;
  EXPECT_EQ(results[0]->message.kind, MessageKind::kCommandAck);
  EXPECT_EQ(results[0]->message.command_response, "OK set 1.");
}

TEST(ProtocolsCordonJson, DecodesAndNamesTheBadField) {
  auto d = decode_cordon_json(R"({"device_id":"SEAL-1","time":"2026-03-01T10:15:00Z",
      "position":{"latitude":50.1,"longitude":4.2,"speed_kmh":50},"seal":{"locked":false},
      "sensors":{"temperature_c":4.5},"events":["lock_opened"],"io":{"door":"rear"}})");
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->message.kind, MessageKind::kAlarm);
  EXPECT_EQ(d->message.records.at(0).seal.locked, false);
  EXPECT_EQ(to_json(d->message)["records"][0]["time"], "2026-03-01T10:15:00Z");
  auto bad = decode_cordon_json(R"({"device_id":"SEAL-1","records":[{"position":{"latitude":95,"longitude":1}}]})");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message.substr(0, 29), "records[0].position.latitude:");
  EXPECT_EQ(decode_cordon_json(R"({"device_id":"x","events":["teleported"]})").error().message.substr(0, 10), "events[0]:");
  EXPECT_EQ(decode_cordon_json("[1]").error().rule, "bad_json");
  EXPECT_EQ(decode_cordon_json("{").error().rule, "bad_json");
}

}  // namespace
}  // namespace cordon::supervision::protocols
