#include "core/time.h"

#include <cstdio>

namespace markaz::core {
namespace {

using std::chrono::days;
using std::chrono::milliseconds;
using std::chrono::sys_days;
using std::chrono::year_month_day;

Status BadTime(std::string_view text, std::string_view why) {
  return Status::InvalidArgument(
      "invalid_time", "\"" + std::string(text) + "\" is not an RFC 3339 time (" + std::string(why) +
                          "); expected e.g. 2015-10-11T10:00:00Z");
}

// Reads exactly `n` ASCII digits at `pos`; false if any is not a digit.
bool Digits(std::string_view s, std::size_t pos, std::size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

}  // namespace

std::string FormatRfc3339(Time t) {
  auto day = std::chrono::floor<days>(t);
  year_month_day ymd(day);
  auto tod = t - day;
  long long ms = tod.count();
  int h = static_cast<int>(ms / 3'600'000);
  int m = static_cast<int>(ms / 60'000 % 60);
  int s = static_cast<int>(ms / 1000 % 60);
  int frac = static_cast<int>(ms % 1000);
  char buf[40];
  if (frac == 0) {
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), h, m, s);
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ",
                  static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()), h, m, s, frac);
  }
  return buf;
}

Result<Time> ParseRfc3339(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS
  int y, mo, d, h, mi, s;
  if (!Digits(text, 0, 4, &y) || text.size() < 19 || text[4] != '-' || !Digits(text, 5, 2, &mo) ||
      text[7] != '-' || !Digits(text, 8, 2, &d)) {
    return BadTime(text, "bad date");
  }
  char sep = text[10];
  if (sep != 'T' && sep != 't' && sep != ' ') return BadTime(text, "missing 'T'");
  if (!Digits(text, 11, 2, &h) || text[13] != ':' || !Digits(text, 14, 2, &mi) ||
      text[16] != ':' || !Digits(text, 17, 2, &s)) {
    return BadTime(text, "bad time of day");
  }
  // RFC 3339 allows second 60 (leap second); we fold it into :59.999 rather than refuse.
  if (h > 23 || mi > 59 || s > 60) return BadTime(text, "time of day out of range");
  year_month_day ymd{std::chrono::year(y), std::chrono::month(static_cast<unsigned>(mo)),
                     std::chrono::day(static_cast<unsigned>(d))};
  if (!ymd.ok()) return BadTime(text, "no such date");

  std::size_t pos = 19;
  long long frac_ms = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    std::size_t start = pos;
    int scale = 100;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      frac_ms += (text[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) return BadTime(text, "empty fraction");
  }
  if (pos >= text.size()) return BadTime(text, "missing time zone");
  long long offset_min = 0;
  char z = text[pos];
  if (z == 'Z' || z == 'z') {
    ++pos;
  } else if (z == '+' || z == '-') {
    int oh, om;
    if (!Digits(text, pos + 1, 2, &oh) || pos + 3 >= text.size() || text[pos + 3] != ':' ||
        !Digits(text, pos + 4, 2, &om) || oh > 23 || om > 59) {
      return BadTime(text, "bad offset");
    }
    offset_min = (oh * 60 + om) * (z == '+' ? 1 : -1);
    pos += 6;
  } else {
    return BadTime(text, "bad time zone");
  }
  if (pos != text.size()) return BadTime(text, "trailing characters");

  long long secs = s == 60 ? 59 : s;
  if (s == 60) frac_ms = 999;
  Time t = Time(sys_days(ymd)) + std::chrono::hours(h) + std::chrono::minutes(mi) +
           std::chrono::seconds(secs) + milliseconds(frac_ms) - std::chrono::minutes(offset_min);
  return t;
}

Time AddMonths(Time t, int months) {
  auto day = std::chrono::floor<days>(t);
  auto tod = t - day;
  year_month_day ymd(day);
  auto ym = std::chrono::year_month(ymd.year(), ymd.month()) + std::chrono::months(months);
  auto last = std::chrono::year_month_day_last(ym.year(), std::chrono::month_day_last(ym.month()));
  auto target_day = ymd.day() > last.day() ? last.day() : ymd.day();
  year_month_day out{ym.year(), ym.month(), target_day};
  return Time(sys_days(out)) + tod;
}

Time AddDays(Time t, int n) { return t + days(n); }

}  // namespace markaz::core
