#include "assessment/features.h"

#include <algorithm>
#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace cordon::assessment {
namespace {

// The running median must give exactly what the middle of the sorted values gives (the value
// per kg feature compares against it), with repeated values and in any order of arrival.
TEST(RunningMedian, EqualsTheMiddleOfTheSortedValuesAfterEveryAdd) {
  std::mt19937_64 random(7);
  std::uniform_int_distribution<int> small(0, 20);  // many repeats
  std::lognormal_distribution<double> prices(2.0, 1.5);
  for (int round = 0; round < 2; ++round) {
    RunningMedian running;
    std::vector<double> sorted;
    for (int i = 0; i < 2000; ++i) {
      double value = round == 0 ? static_cast<double>(small(random)) / 4 : prices(random);
      running.add(value);
      sorted.insert(std::upper_bound(sorted.begin(), sorted.end(), value), value);
      const std::size_t n = sorted.size();
      const double expected = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
      ASSERT_EQ(running.size(), n);
      ASSERT_EQ(running.median(), expected) << "after " << n << " values, round " << round;
    }
  }
}

TEST(RunningMedian, AscendingAndDescendingArrivals) {
  RunningMedian up, down;
  for (int i = 1; i <= 101; ++i) {
    up.add(i);
    down.add(102 - i);
  }
  EXPECT_EQ(up.median(), 51);
  EXPECT_EQ(down.median(), 51);
  up.add(1000);
  EXPECT_EQ(up.median(), 51.5);
}

}  // namespace
}  // namespace cordon::assessment
