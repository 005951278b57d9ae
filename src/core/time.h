// Dates and timestamps as they appear on the wire (ISO 8601), and the clock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cordon {

// Days since 1970-01-01 for "YYYY-MM-DD", or nullopt when it is not a calendar date.
std::optional<int64_t> parse_date(std::string_view text);
// Seconds since the epoch (UTC) for "YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)", or nullopt.
// A zone is required: a timestamp without one is ambiguous across customs offices.
std::optional<int64_t> parse_timestamp(std::string_view text);

std::string format_date(int64_t days_since_epoch);             // "2026-03-01"
std::string format_timestamp(int64_t seconds_since_epoch);     // "2026-03-01T10:15:00Z"
int64_t now_seconds();                                         // the system clock, UTC
std::string now_timestamp();                                   // format_timestamp(now_seconds())

}  // namespace cordon
