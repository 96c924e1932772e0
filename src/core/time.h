// Time values and RFC 3339 text, plus the calendar arithmetic that terms need.
//
// markaz keeps every instant as core::Time: milliseconds since the Unix epoch, UTC.
// On the wire every time is RFC 3339 UTC with a trailing "Z" (DESIGN.md §9).
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/status.h"

namespace markaz::core {

using Time = std::chrono::sys_time<std::chrono::milliseconds>;

// "2015-10-11T10:00:00Z"; milliseconds are written only when non-zero ("…:00.250Z").
std::string FormatRfc3339(Time t);

// Accepts RFC 3339 date-times: "YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)" ('t'/'z'/' ' tolerated
// as RFC 3339 allows). Fractions beyond milliseconds are truncated. Returns InvalidArgument with
// reason "invalid_time" on anything else (including out-of-range fields such as Feb 30).
Result<Time> ParseRfc3339(std::string_view text);

// Adds calendar months, month-end safe: the day of month is clamped to the last day of the
// target month (Jan 31 + 1 month = Feb 28, or Feb 29 in a leap year); the time of day is kept.
// `months` may be negative.
Time AddMonths(Time t, int months);

// Adds whole days (24 h; UTC has no DST).
Time AddDays(Time t, int days);

}  // namespace markaz::core
