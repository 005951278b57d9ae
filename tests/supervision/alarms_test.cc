#include "supervision/alarms.h"

#include <gtest/gtest.h>

namespace cordon::supervision {
namespace {

Alarm make(AlarmGrade grade, AlarmId id = 1) {
  Alarm a;
  a.id = id;
  a.grade = grade;
  return a;
}

TEST(AlarmsStateMachine, HappyPathKeepsEveryStep) {
  Alarm a = make(AlarmGrade::kCritical, 17);
  ASSERT_TRUE(acknowledge(a, "officer.k", 100, "looking"));
  ASSERT_TRUE(add_comment(a, "officer.k", 110, "driver not answering"));
  ASSERT_TRUE(dispatch(a, "officer.k", 120, "PATROL-7"));
  ASSERT_TRUE(add_photo(a, "patrol.7", 200, "store://photos/17-1.jpg", "seal intact"));
  ASSERT_TRUE(resolve(a, "patrol.7", 300, Outcome::kNoIrregularity, "seal intact, cargo checked"));
  EXPECT_EQ(a.state, AlarmState::kResolved);
  EXPECT_EQ(a.outcome, Outcome::kNoIrregularity);
  ASSERT_EQ(a.history.size(), 5u);
  EXPECT_EQ(a.history[1].to, AlarmState::kAcknowledged);  // a comment keeps the state
  EXPECT_EQ(a.history[2].patrol, "PATROL-7");
  EXPECT_EQ(a.history[3].photo, "store://photos/17-1.jpg");
  EXPECT_EQ(a.history[4].actor, "patrol.7");
  EXPECT_EQ(a.history[4].time, 300);
}

TEST(AlarmsStateMachine, RefusesSkippedAndFinalTransitions) {
  Alarm a = make(AlarmGrade::kWarning, 17);
  auto r = resolve(a, "o", 1, Outcome::kJustified);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), "alarm 17: cannot go from new to resolved (allowed: acknowledged, false_alarm)");
  EXPECT_FALSE(dispatch(a, "o", 1, "P1"));
  EXPECT_FALSE(acknowledge(a, "", 1));
  ASSERT_TRUE(mark_false_alarm(a, "o", 2, "GPS multipath in the port"));
  r = acknowledge(a, "o", 3);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("false_alarm to acknowledged"), std::string::npos);
  EXPECT_TRUE(add_comment(a, "o", 4, "noted"));
  Alarm b = make(AlarmGrade::kWarning, 2);
  ASSERT_TRUE(acknowledge(b, "o", 1));
  EXPECT_FALSE(dispatch(b, "o", 2, ""));  // a patrol must be named
}

TEST(AlarmsGrade, FromAlarmsToRedChannel) {
  EXPECT_EQ(grade_journey({}), JourneyGrade::kNone);
  std::vector<Alarm> alarms{make(AlarmGrade::kInfo)};
  EXPECT_EQ(grade_journey(alarms), JourneyGrade::kLow);
  alarms.push_back(make(AlarmGrade::kWarning));
  EXPECT_EQ(grade_journey(alarms), JourneyGrade::kMedium);
  alarms.push_back(make(AlarmGrade::kWarning));
  alarms.push_back(make(AlarmGrade::kWarning));
  EXPECT_EQ(grade_journey(alarms), JourneyGrade::kHigh);
  EXPECT_FALSE(requires_red_channel(grade_journey(alarms)));
  alarms.push_back(make(AlarmGrade::kCritical));
  EXPECT_EQ(grade_journey(alarms), JourneyGrade::kCritical);
  EXPECT_TRUE(requires_red_channel(grade_journey(alarms)));
  // The critical alarm turns out false: it no longer counts.
  ASSERT_TRUE(mark_false_alarm(alarms.back(), "o", 1));
  EXPECT_EQ(grade_journey(alarms), JourneyGrade::kHigh);
  // A warning confirmed as an irregularity is high on its own.
  std::vector<Alarm> one{make(AlarmGrade::kWarning)};
  ASSERT_TRUE(acknowledge(one[0], "o", 1));
  ASSERT_TRUE(resolve(one[0], "o", 2, Outcome::kIrregularityConfirmed));
  EXPECT_EQ(grade_journey(one), JourneyGrade::kHigh);
  // Resolved as justified: does not count.
  std::vector<Alarm> justified{make(AlarmGrade::kCritical)};
  ASSERT_TRUE(acknowledge(justified[0], "o", 1));
  ASSERT_TRUE(resolve(justified[0], "o", 2, Outcome::kTechnicalFault));
  EXPECT_EQ(grade_journey(justified), JourneyGrade::kNone);
}

TEST(AlarmsNames, RoundTrip) {
  for (int i = 0; i < kAlarmTypeCount; ++i) {
    const auto t = static_cast<AlarmType>(i);
    EXPECT_EQ(parse_alarm_type(alarm_type_name(t)), t);
  }
  EXPECT_FALSE(parse_alarm_type("nope"));
}

}  // namespace
}  // namespace cordon::supervision
