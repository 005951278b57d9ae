#include "core/time.h"

#include <gtest/gtest.h>

namespace cordon {
namespace {

TEST(Time, ParsesCalendarDates) {
  EXPECT_EQ(parse_date("1970-01-01"), 0);
  EXPECT_EQ(parse_date("2026-03-01"), 20513);
  EXPECT_TRUE(parse_date("2024-02-29"));
  EXPECT_FALSE(parse_date("2026-02-29"));
  EXPECT_FALSE(parse_date("2026-13-01"));
  EXPECT_FALSE(parse_date("2026-1-01"));
  EXPECT_FALSE(parse_date("2026-01-01T00:00:00Z"));
  EXPECT_FALSE(parse_date(""));
}

TEST(Time, ParsesTimestampsWithZones) {
  EXPECT_EQ(parse_timestamp("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parse_timestamp("1970-01-01T02:00:00+02:00"), 0);
  EXPECT_EQ(parse_timestamp("1970-01-01T00:00:00.123456Z"), 0);
  EXPECT_EQ(parse_timestamp("1969-12-31T23:00:00-01:00"), 0);
  EXPECT_FALSE(parse_timestamp("1970-01-01T00:00:00"));  // no zone
  EXPECT_FALSE(parse_timestamp("1970-01-01 00:00:00Z"));
  EXPECT_FALSE(parse_timestamp("1970-01-01T24:00:00Z"));
  EXPECT_FALSE(parse_timestamp("1970-01-01T00:00:00Zjunk"));
  EXPECT_FALSE(parse_timestamp("1970-01-01T00:00:00+0200"));
}

TEST(Time, FormatsRoundTrip) {
  EXPECT_EQ(format_timestamp(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_timestamp(-1), "1969-12-31T23:59:59Z");
  int64_t t = *parse_timestamp("2026-11-23T08:15:42Z");
  EXPECT_EQ(format_timestamp(t), "2026-11-23T08:15:42Z");
  EXPECT_EQ(format_date(20513), "2026-03-01");
}

}  // namespace
}  // namespace cordon
