// Selection with a learned score: red by expected yield, profile hits predicted below the
// threshold released as likely false positives, and the exploration share.
#include <gtest/gtest.h>

#include "selection/selection.h"

namespace cordon::selection {
namespace {

Candidate scored(int64_t key, double probability, Channel requested = Channel::kGreen, bool explore = false,
                 int64_t day = 100) {
  Candidate c{key, "NL000396", day, probability * 10, requested};
  c.scored = true;
  c.probability = probability;
  c.explore = explore;
  return c;
}

CapacityPolicy policy(int64_t red, double explore_share, double random_share = 0) {
  CapacityPolicy p;
  p.red_per_day = red;
  p.explore_share = explore_share;
  p.random_share = random_share;
  p.release_below = 0.05;
  return p;
}

TEST(ScoredSelection, ProfileHitsPredictedBelowTheThresholdAreReleasedWithTheReason) {
  ChannelSelector selector(policy(10, 0));
  Assignment released = selector.assign(scored(1, 0.01, Channel::kRed));
  EXPECT_EQ(released.channel, Channel::kGreen);
  EXPECT_TRUE(released.released);
  EXPECT_NE(released.reason.find("likely false positive"), std::string::npos) << released.reason;
  EXPECT_NE(released.reason.find("0.010"), std::string::npos) << released.reason;
  // Above the threshold the hit stands; without a hit nothing is "released".
  Assignment kept = selector.assign(scored(2, 0.2, Channel::kYellow));
  EXPECT_EQ(kept.channel, Channel::kYellow);
  EXPECT_FALSE(kept.released);
  EXPECT_FALSE(selector.assign(scored(3, 0.01)).released);
  // A watch-list hit is an officer's to clear, whatever the model predicts.
  Candidate listed = scored(4, 0.01, Channel::kRed);
  listed.screening_hit = true;
  Assignment kept_hit = selector.assign(listed);
  EXPECT_FALSE(kept_hit.released);
  EXPECT_NE(kept_hit.channel, Channel::kGreen);
  // The same in a whole day at once.
  auto batch = select_batch({scored(1, 0.01, Channel::kRed), scored(2, 0.9, Channel::kRed)}, policy(10, 0), 2);
  EXPECT_TRUE(batch[0].released);
  EXPECT_EQ(batch[0].channel, Channel::kGreen);
  EXPECT_EQ(batch[1].channel, Channel::kRed);
}

TEST(ScoredSelection, RedGoesToTheHighestExpectedYieldsWithinCapacity) {
  std::vector<Candidate> day;
  for (int i = 0; i < 100; ++i) day.push_back(scored(i, i / 100.0));
  auto out = select_batch(day, policy(10, 0), 100);
  int red = 0;
  for (int i = 0; i < 100; ++i) {
    if (out[static_cast<size_t>(i)].channel == Channel::kRed) {
      ++red;
      EXPECT_GE(i, 90) << "only the ten highest yields";
    }
  }
  EXPECT_EQ(red, 10);
}

TEST(ScoredSelection, ExplorationTakesItsShareOfCapacityFromEligibleTradersOnly) {
  // 20 red slots a day, 10 % for exploration = 2; 1,000 declarations a day, half of them from
  // traders never controlled.
  CapacityPolicy p = policy(20, 0.1);
  EXPECT_EQ(p.explore_slots("NL000396"), 2);
  ChannelSelector selector(p);
  int64_t explored = 0, explored_ineligible = 0, risk = 0;
  for (int day = 100; day < 130; ++day) {
    for (int i = 0; i < 1000; ++i) {
      bool eligible = i % 2 == 0;
      Assignment a = selector.assign(scored(day * 1000 + i, 0.02 + (i % 97) / 1000.0, Channel::kGreen, eligible, day));
      if (a.explored) {
        ++explored;
        explored_ineligible += eligible ? 0 : 1;
        EXPECT_EQ(a.channel, Channel::kRed);
      } else if (a.channel == Channel::kRed) {
        ++risk;
      }
      EXPECT_LE(a.capacity.used_explore, 2);
      EXPECT_LE(a.capacity.used_risk, 18);
    }
  }
  EXPECT_EQ(explored_ineligible, 0);
  // About two a day over 30 days (a draw, so not exactly), never more than the share.
  EXPECT_GE(explored, 35);
  EXPECT_LE(explored, 60);
  EXPECT_GT(risk, 0);

  // A day at once: exactly the share when enough traders are eligible.
  std::vector<Candidate> day;
  for (int i = 0; i < 1000; ++i) day.push_back(scored(i, 0.3, Channel::kGreen, i % 2 == 0));
  auto out = select_batch(day, p, 1000);
  int64_t batch_explored = 0;
  for (const auto& a : out) batch_explored += a.explored ? 1 : 0;
  EXPECT_LE(batch_explored, 2);
  EXPECT_GE(batch_explored, 1);
}

TEST(ScoredSelection, WithoutAModelNothingIsExploredOrReleased) {
  CapacityPolicy p = policy(10, 0.5);
  ChannelSelector selector(p);
  Candidate c{1, "NL000396", 100, 0.1, Channel::kRed};
  c.explore = true;  // ignored: not scored
  Assignment a = selector.assign(c);
  EXPECT_EQ(a.channel, Channel::kRed);
  EXPECT_FALSE(a.released);
  EXPECT_FALSE(a.explored);
  EXPECT_EQ(a.capacity.used_risk, 1);
}

}  // namespace
}  // namespace cordon::selection
