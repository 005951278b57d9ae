// Alarms raised on supervised journeys, and how officers handle them (seed 004 §7.2 B, and the
// EAEU case study in §13.5).
//
// Handling is a small state machine, each step recorded with who did it and when:
//   new -> acknowledged | false_alarm
//   acknowledged -> dispatched | resolved | false_alarm
//   dispatched -> resolved | false_alarm
//   resolved, false_alarm: final
// Comments and photo references may be added in any state (an officer's note after the fact
// is still evidence).
//
// At destination the journey's alarms give it a grade ("inspecting or releasing based on the
// alarm grade", seed 004 §8): false alarms and alarms resolved as not an irregularity do not
// count; any remaining critical alarm makes the grade critical, which sends the goods'
// declaration to the red channel.
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "supervision/geometry.h"

namespace cordon::supervision {

enum class AlarmType : std::uint8_t {
  kRouteDeviation,      // outside the corridor longer than the dwell
  kIllegalStay,         // stopped outside authorised zones longer than allowed
  kOvertimeStay,        // inside an authorised zone longer than its maximum stay
  kIllegalOpening,      // lock opened / cable cut outside the unsealing zone without authorisation
  kJourneyTimeout,      // not unsealed within the journey's time limit
  kLossOfCommunication, // no message for longer than the limit (4 h by default)
  kLowBattery,
  kDeviceFault,         // the device reports a fault of its own (motor, GNSS module...)
  kTampering,           // body destroyed or back cover opened
  kFuelDrop,            // tank trucks: level drop beyond noise while stationary
  kTemperature,         // outside the declared range longer than the dwell
  kHumidity,
};
inline constexpr int kAlarmTypeCount = 12;
std::string_view alarm_type_name(AlarmType type);  // "route_deviation", "illegal_stay", ...
std::optional<AlarmType> parse_alarm_type(std::string_view name);

enum class AlarmGrade : std::uint8_t { kInfo, kWarning, kCritical };
std::string_view alarm_grade_name(AlarmGrade grade);

// One observation that made the detector decide: where and what the device said.
struct EvidencePoint {
  std::int64_t time = 0;            // effective time of the record (see engine.h)
  std::optional<LatLon> position;
  double value = 0;                 // what was measured: metres off route, seconds stopped,
                                    // battery %, fuel level, °C, % humidity; 0 when not relevant
  std::string note;                 // "lock_opened", "outside corridor", ...
};

enum class AlarmState : std::uint8_t { kNew, kAcknowledged, kDispatched, kResolved, kFalseAlarm };
std::string_view alarm_state_name(AlarmState state);

enum class Outcome : std::uint8_t {
  kIrregularityConfirmed,  // smuggling, theft, unauthorised opening found
  kNoIrregularity,         // checked, nothing wrong with goods or seal
  kJustified,              // a known reason: road closure, police diversion, customs order
  kTechnicalFault,         // the device misbehaved; goods intact
};
std::string_view outcome_name(Outcome outcome);

struct AlarmAction {
  std::int64_t time = 0;
  std::string actor;
  AlarmState to = AlarmState::kNew;  // the state after this action
  std::string comment;
  std::string patrol;                // for dispatch
  std::optional<Outcome> outcome;    // for resolve
  std::string photo;                 // a reference (URI or store key) for an added photo
};

using AlarmId = std::uint64_t;  // 1, 2, ... in the order raised; 0 is never an alarm
using JourneyId = std::uint64_t;

struct Alarm {
  AlarmId id = 0;
  JourneyId journey = 0;
  std::string device_id;
  AlarmType type = AlarmType::kRouteDeviation;
  AlarmGrade grade = AlarmGrade::kWarning;
  std::int64_t started_at = 0;  // when the condition began (first fix outside, stop start...)
  std::int64_t raised_at = 0;   // when the detector was sure
  std::optional<std::int64_t> cleared_at;  // the condition ended (back in corridor, moving...)
  std::string detail;           // a line for the officer: "2.4 km off route for 11 min"
  std::vector<EvidencePoint> evidence;
  AlarmState state = AlarmState::kNew;
  std::optional<Outcome> outcome;
  std::vector<AlarmAction> history;  // every handling step, comment and photo, in order
};

// The handling steps. Each checks the transition and appends to alarm.history; the error names
// the alarm and the transition: "alarm 17: cannot go from new to resolved (allowed: ...)".
// REQUIRES: actor not empty (refused otherwise).
std::expected<void, std::string> acknowledge(Alarm& alarm, std::string actor, std::int64_t time, std::string comment = {});
std::expected<void, std::string> dispatch(Alarm& alarm, std::string actor, std::int64_t time, std::string patrol,
                                          std::string comment = {});
std::expected<void, std::string> resolve(Alarm& alarm, std::string actor, std::int64_t time, Outcome outcome,
                                         std::string comment = {});
std::expected<void, std::string> mark_false_alarm(Alarm& alarm, std::string actor, std::int64_t time,
                                                  std::string comment = {});
std::expected<void, std::string> add_comment(Alarm& alarm, std::string actor, std::int64_t time, std::string comment);
std::expected<void, std::string> add_photo(Alarm& alarm, std::string actor, std::int64_t time, std::string photo_ref,
                                           std::string comment = {});

enum class JourneyGrade : std::uint8_t { kNone, kLow, kMedium, kHigh, kCritical };
std::string_view journey_grade_name(JourneyGrade grade);

// none: no alarm counts; low: only info alarms; medium: warnings; high: three or more warnings,
// or a warning confirmed as an irregularity; critical: any critical alarm that counts.
// An alarm counts unless it is a false alarm or resolved as no irregularity, justified or a
// technical fault; unhandled alarms count (the officer at destination has not cleared them).
JourneyGrade grade_journey(std::span<const Alarm> alarms);
inline bool requires_red_channel(JourneyGrade grade) { return grade == JourneyGrade::kCritical; }

}  // namespace cordon::supervision
