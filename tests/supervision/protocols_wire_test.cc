#include "supervision/protocols/wire.h"

#include <gtest/gtest.h>

namespace cordon::supervision::protocols {
namespace {

TEST(ProtocolsWire, ParsesHexWithAndWithoutSpaces) {
  EXPECT_EQ(parse_hex("78 78 0d"), (std::vector<std::uint8_t>{0x78, 0x78, 0x0d}));
  EXPECT_EQ(parse_hex("0x7878"), (std::vector<std::uint8_t>{0x78, 0x78}));
  EXPECT_FALSE(parse_hex("787"));
  EXPECT_FALSE(parse_hex("7 8"));
  EXPECT_FALSE(parse_hex("zz"));
  EXPECT_EQ(to_hex(*parse_hex("DEADbeef")), "deadbeef");
}

TEST(ProtocolsWire, Checksums) {
  auto login = *parse_hex("0D01086471700328358100093F04");
  EXPECT_EQ(crc16_itu(std::span(login).first(login.size() - 2)), 0x3f04);
  auto ascii = std::vector<std::uint8_t>{'1', '2', '3', '4', '5', '6', '7', '8', '9'};
  EXPECT_EQ(crc16_ibm(ascii), 0xBB3D);  // CRC-16/ARC check value
  EXPECT_EQ(crc16_itu(ascii), 0x906E);  // CRC-16/X-25 check value
}

TEST(ProtocolsWire, Jt808EscapingRoundTrips) {
  std::vector<std::uint8_t> raw = {0x30, 0x7e, 0x08, 0x7d, 0x55, 0x7e, 0x7d};
  auto escaped = jt808_escape(raw);
  EXPECT_EQ(escaped, (std::vector<std::uint8_t>{0x30, 0x7d, 0x02, 0x08, 0x7d, 0x01, 0x55, 0x7d, 0x02, 0x7d, 0x01}));
  EXPECT_EQ(jt808_unescape(escaped), raw);
  EXPECT_FALSE(jt808_unescape(std::vector<std::uint8_t>{0x7d, 0x03}));
  EXPECT_FALSE(jt808_unescape(std::vector<std::uint8_t>{0x01, 0x7d}));
  for (int b = 0; b < 256; ++b) {
    std::vector<std::uint8_t> one = {static_cast<std::uint8_t>(b), 0x7e, static_cast<std::uint8_t>(b)};
    auto e = jt808_escape(one);
    EXPECT_EQ(std::count(e.begin(), e.end(), 0x7e), 0);
    EXPECT_EQ(jt808_unescape(e), one);
  }
}

TEST(ProtocolsWire, BcdAndTime) {
  EXPECT_EQ(bcd_digits(std::vector<std::uint8_t>{0x79, 0x43, 0x08}), "794308");
  EXPECT_FALSE(bcd_digits(std::vector<std::uint8_t>{0x7a}));
  EXPECT_EQ(digits_to_bcd("794308010679", 6), parse_hex("794308010679"));
  EXPECT_EQ(digits_to_bcd("1234", 3), parse_hex("001234"));
  EXPECT_FALSE(digits_to_bcd("1234567", 3));
  EXPECT_EQ(utc_seconds(1970, 1, 1, 0, 0, 0), 0);
  EXPECT_EQ(utc_seconds(2015, 9, 2, 12, 21, 40), 1441196500);
  EXPECT_FALSE(utc_seconds(2015, 2, 29, 0, 0, 0));
  EXPECT_FALSE(utc_seconds(2015, 13, 1, 0, 0, 0));
}

TEST(ProtocolsWire, ReaderNeverLeavesTheBuffer) {
  std::vector<std::uint8_t> b = {1, 2, 3};
  ByteReader r(b);
  EXPECT_EQ(r.u16(), 0x0102);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.u32(), 0u);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.u8(), 0);
  EXPECT_TRUE(r.take(1).empty());
  EXPECT_EQ(r.remaining(), 0u);
}

}  // namespace
}  // namespace cordon::supervision::protocols
