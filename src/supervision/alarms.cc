#include "supervision/alarms.h"

#include <array>
#include <fmt/format.h>

namespace cordon::supervision {

std::string_view alarm_type_name(AlarmType type) {
  switch (type) {
    case AlarmType::kRouteDeviation: return "route_deviation";
    case AlarmType::kIllegalStay: return "illegal_stay";
    case AlarmType::kOvertimeStay: return "overtime_stay";
    case AlarmType::kIllegalOpening: return "illegal_opening";
    case AlarmType::kJourneyTimeout: return "journey_timeout";
    case AlarmType::kLossOfCommunication: return "loss_of_communication";
    case AlarmType::kLowBattery: return "low_battery";
    case AlarmType::kDeviceFault: return "device_fault";
    case AlarmType::kTampering: return "tampering";
    case AlarmType::kFuelDrop: return "fuel_drop";
    case AlarmType::kTemperature: return "temperature";
    case AlarmType::kHumidity: return "humidity";
  }
  return "?";
}

std::optional<AlarmType> parse_alarm_type(std::string_view name) {
  for (int i = 0; i < kAlarmTypeCount; ++i) {
    if (alarm_type_name(static_cast<AlarmType>(i)) == name) return static_cast<AlarmType>(i);
  }
  return std::nullopt;
}

std::string_view alarm_grade_name(AlarmGrade grade) {
  switch (grade) {
    case AlarmGrade::kInfo: return "info";
    case AlarmGrade::kWarning: return "warning";
    case AlarmGrade::kCritical: return "critical";
  }
  return "?";
}

std::string_view alarm_state_name(AlarmState state) {
  switch (state) {
    case AlarmState::kNew: return "new";
    case AlarmState::kAcknowledged: return "acknowledged";
    case AlarmState::kDispatched: return "dispatched";
    case AlarmState::kResolved: return "resolved";
    case AlarmState::kFalseAlarm: return "false_alarm";
  }
  return "?";
}

std::string_view outcome_name(Outcome outcome) {
  switch (outcome) {
    case Outcome::kIrregularityConfirmed: return "irregularity_confirmed";
    case Outcome::kNoIrregularity: return "no_irregularity";
    case Outcome::kJustified: return "justified";
    case Outcome::kTechnicalFault: return "technical_fault";
  }
  return "?";
}

std::string_view journey_grade_name(JourneyGrade grade) {
  switch (grade) {
    case JourneyGrade::kNone: return "none";
    case JourneyGrade::kLow: return "low";
    case JourneyGrade::kMedium: return "medium";
    case JourneyGrade::kHigh: return "high";
    case JourneyGrade::kCritical: return "critical";
  }
  return "?";
}

namespace {

bool allowed(AlarmState from, AlarmState to) {
  switch (from) {
    case AlarmState::kNew: return to == AlarmState::kAcknowledged || to == AlarmState::kFalseAlarm;
    case AlarmState::kAcknowledged:
      return to == AlarmState::kDispatched || to == AlarmState::kResolved || to == AlarmState::kFalseAlarm;
    case AlarmState::kDispatched: return to == AlarmState::kResolved || to == AlarmState::kFalseAlarm;
    case AlarmState::kResolved:
    case AlarmState::kFalseAlarm: return false;
  }
  return false;
}

std::expected<void, std::string> transition(Alarm& alarm, AlarmAction action) {
  if (action.actor.empty()) return std::unexpected(fmt::format("alarm {}: actor is required", alarm.id));
  if (!allowed(alarm.state, action.to)) {
    std::string list;
    for (AlarmState s : {AlarmState::kAcknowledged, AlarmState::kDispatched, AlarmState::kResolved, AlarmState::kFalseAlarm}) {
      if (allowed(alarm.state, s)) list += (list.empty() ? "" : ", ") + std::string(alarm_state_name(s));
    }
    return std::unexpected(fmt::format("alarm {}: cannot go from {} to {} (allowed: {})", alarm.id,
                                       alarm_state_name(alarm.state), alarm_state_name(action.to),
                                       list.empty() ? "none, the alarm is closed" : list));
  }
  alarm.state = action.to;
  if (action.outcome) alarm.outcome = action.outcome;
  alarm.history.push_back(std::move(action));
  return {};
}

}  // namespace

std::expected<void, std::string> acknowledge(Alarm& alarm, std::string actor, std::int64_t time, std::string comment) {
  return transition(alarm, {time, std::move(actor), AlarmState::kAcknowledged, std::move(comment), {}, {}, {}});
}

std::expected<void, std::string> dispatch(Alarm& alarm, std::string actor, std::int64_t time, std::string patrol,
                                          std::string comment) {
  if (patrol.empty()) return std::unexpected(fmt::format("alarm {}: patrol is required to dispatch", alarm.id));
  return transition(alarm, {time, std::move(actor), AlarmState::kDispatched, std::move(comment), std::move(patrol), {}, {}});
}

std::expected<void, std::string> resolve(Alarm& alarm, std::string actor, std::int64_t time, Outcome outcome,
                                         std::string comment) {
  return transition(alarm, {time, std::move(actor), AlarmState::kResolved, std::move(comment), {}, outcome, {}});
}

std::expected<void, std::string> mark_false_alarm(Alarm& alarm, std::string actor, std::int64_t time, std::string comment) {
  return transition(alarm, {time, std::move(actor), AlarmState::kFalseAlarm, std::move(comment), {}, {}, {}});
}

std::expected<void, std::string> add_comment(Alarm& alarm, std::string actor, std::int64_t time, std::string comment) {
  if (actor.empty()) return std::unexpected(fmt::format("alarm {}: actor is required", alarm.id));
  if (comment.empty()) return std::unexpected(fmt::format("alarm {}: comment is empty", alarm.id));
  alarm.history.push_back({time, std::move(actor), alarm.state, std::move(comment), {}, {}, {}});
  return {};
}

std::expected<void, std::string> add_photo(Alarm& alarm, std::string actor, std::int64_t time, std::string photo_ref,
                                           std::string comment) {
  if (actor.empty()) return std::unexpected(fmt::format("alarm {}: actor is required", alarm.id));
  if (photo_ref.empty()) return std::unexpected(fmt::format("alarm {}: photo reference is empty", alarm.id));
  alarm.history.push_back({time, std::move(actor), alarm.state, std::move(comment), {}, {}, std::move(photo_ref)});
  return {};
}

JourneyGrade grade_journey(std::span<const Alarm> alarms) {
  int info = 0, warnings = 0, critical = 0;
  bool confirmed_warning = false;
  for (const Alarm& a : alarms) {
    if (a.state == AlarmState::kFalseAlarm) continue;
    if (a.state == AlarmState::kResolved && a.outcome && *a.outcome != Outcome::kIrregularityConfirmed) continue;
    const bool confirmed = a.outcome == Outcome::kIrregularityConfirmed;
    switch (a.grade) {
      case AlarmGrade::kInfo: ++info; break;
      case AlarmGrade::kWarning:
        ++warnings;
        confirmed_warning = confirmed_warning || confirmed;
        break;
      case AlarmGrade::kCritical: ++critical; break;
    }
  }
  if (critical > 0) return JourneyGrade::kCritical;
  if (warnings >= 3 || confirmed_warning) return JourneyGrade::kHigh;
  if (warnings > 0) return JourneyGrade::kMedium;
  if (info > 0) return JourneyGrade::kLow;
  return JourneyGrade::kNone;
}

}  // namespace cordon::supervision
