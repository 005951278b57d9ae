#include "selection/selection.h"

#include <gtest/gtest.h>

namespace cordon::selection {
namespace {

Candidate red(int64_t key, double score, int64_t day = 100) { return {key, "NL000396", day, score, Channel::kRed}; }

TEST(ChannelSelector, AdmitsRedUpToTheRiskCapacityThenDowngradesToYellow) {
  CapacityPolicy policy;
  policy.red_per_day = 3;
  policy.random_share = 0;
  ChannelSelector selector(policy);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(selector.assign(red(i, 1)).channel, Channel::kRed);
  Assignment over = selector.assign(red(9, 5));
  EXPECT_EQ(over.channel, Channel::kYellow);
  EXPECT_TRUE(over.capacity_limited);
  EXPECT_EQ(over.capacity.used_risk, 3);
  // A new day brings new capacity.
  EXPECT_EQ(selector.assign(red(10, 1, 101)).channel, Channel::kRed);
}

TEST(ChannelSelector, YesterdaysRedRequestsSetTodaysThreshold) {
  CapacityPolicy policy;
  policy.red_per_day = 2;
  policy.random_share = 0;
  ChannelSelector selector(policy);
  for (int i = 0; i < 10; ++i) selector.assign(red(i, i));  // scores 0..9: the top 2 are 9 and 8
  Assignment low = selector.assign(red(20, 5, 101));
  EXPECT_EQ(low.channel, Channel::kYellow);
  EXPECT_DOUBLE_EQ(low.capacity.threshold, 8);
  EXPECT_EQ(selector.assign(red(21, 8.5, 101)).channel, Channel::kRed);
}

TEST(ChannelSelector, RandomControlsAreMarkedAndBoundedByTheirShare) {
  CapacityPolicy policy;
  policy.red_per_day = 10;
  policy.random_share = 0.5;  // 5 random slots
  policy.expected_daily_volume = 100;
  policy.max_random_rate = 1;
  ChannelSelector selector(policy);
  int random = 0;
  for (int i = 0; i < 1000; ++i) {
    Assignment a = selector.assign({i, "X", 1, 0, Channel::kGreen});
    if (a.channel == Channel::kRed) {
      EXPECT_TRUE(a.random);
      EXPECT_EQ(a.reason, "drawn for a random control");
      ++random;
    }
  }
  EXPECT_GT(random, 0);
  EXPECT_LE(random, 5);
}

TEST(ChannelSelector, AQuietOfficeDrawsAtMostTheMaximumRandomRate) {
  // 5 random slots a day but only 3 declarations a day: the slots alone would draw every one.
  CapacityPolicy policy;
  policy.red_per_day = 50;
  policy.random_share = 0.1;
  policy.expected_daily_volume = 3;
  policy.max_random_rate = 0.02;
  ChannelSelector selector(policy);
  int random = 0, total = 0;
  for (int day = 1; day <= 2000; ++day) {
    for (int k = 0; k < 3; ++k, ++total) random += selector.assign({total, "X", day, 0, Channel::kGreen}).random ? 1 : 0;
  }
  double rate = static_cast<double>(random) / total;
  EXPECT_GT(rate, 0.01);
  EXPECT_LT(rate, 0.03);
}

TEST(ChannelSelector, GreenWithoutRandomShareStaysGreenAndYellowStaysYellow) {
  CapacityPolicy policy;
  policy.random_share = 0;
  ChannelSelector selector(policy);
  EXPECT_EQ(selector.assign({1, "X", 1, 0, Channel::kGreen}).channel, Channel::kGreen);
  EXPECT_EQ(selector.assign({2, "X", 1, 1, Channel::kYellow}).channel, Channel::kYellow);
}

TEST(SelectBatch, HighestScoresFirstWithinCapacity) {
  CapacityPolicy policy;
  policy.red_per_day = 2;
  policy.random_share = 0;
  std::vector<Candidate> c = {red(1, 1), red(2, 7), red(3, 3), red(4, 9), {5, "NL000396", 100, 0, Channel::kGreen}};
  auto out = select_batch(c, policy, 5);
  EXPECT_EQ(out[0].channel, Channel::kYellow);
  EXPECT_EQ(out[1].channel, Channel::kRed);
  EXPECT_EQ(out[2].channel, Channel::kYellow);
  EXPECT_EQ(out[3].channel, Channel::kRed);
  EXPECT_EQ(out[4].channel, Channel::kGreen);
  EXPECT_TRUE(out[0].capacity_limited);
}

TEST(RandomDraw, IsReproducibleAndUniformEnough) {
  EXPECT_EQ(random_draw(7, 42), random_draw(7, 42));
  EXPECT_NE(random_draw(7, 42), random_draw(8, 42));
  int below = 0;
  for (int i = 0; i < 10000; ++i) below += random_draw(1, i) < 0.1 ? 1 : 0;
  EXPECT_NEAR(below, 1000, 150);
}

TEST(Override, NeedsAReasonAndAnOfficer) {
  EXPECT_FALSE(check_override({Channel::kRed, "", "anna"}).empty());
  EXPECT_FALSE(check_override({Channel::kRed, "tip-off", ""}).empty());
  EXPECT_TRUE(check_override({Channel::kRed, "tip-off from the port authority", "anna"}).empty());
}

}  // namespace
}  // namespace cordon::selection
