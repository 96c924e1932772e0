// Tests for core/time.h: RFC 3339 parsing and formatting, and calendar arithmetic.
#include "core/time.h"

#include <string>

#include <gtest/gtest.h>

namespace markaz::core {
namespace {

using std::chrono::milliseconds;

// Milliseconds since the epoch, checked by hand (date -u -d ... +%s).
Time Ms(long long ms) { return Time(milliseconds(ms)); }

Time T(std::string_view text) {
  Result<Time> t = ParseRfc3339(text);
  EXPECT_TRUE(t.ok()) << text << ": " << t.status().ToString();
  return t.ok() ? *t : Time();
}

TEST(ParseRfc3339, AcceptsValidTimes) {
  struct Case {
    std::string text;
    long long ms;
  } cases[] = {
      {"1970-01-01T00:00:00Z", 0},
      {"2015-10-01T00:00:00Z", 1443657600000},
      {"2015-10-11T10:00:00Z", 1444557600000},
      {"2015-10-11t10:00:00z", 1444557600000},   // lower-case separators
      {"2015-10-11 10:00:00Z", 1444557600000},   // space separator
      {"2015-10-11T13:00:00+03:00", 1444557600000},
      {"2015-10-11T05:30:00-04:30", 1444557600000},
      {"2015-10-11T10:00:00+00:00", 1444557600000},
      {"2015-10-11T10:00:00-00:00", 1444557600000},
      {"2015-10-11T10:00:00.250Z", 1444557600250},
      {"2015-10-11T10:00:00.5Z", 1444557600500},
      {"2015-10-11T10:00:00.123456789Z", 1444557600123},  // truncated to ms
      {"2016-02-29T00:00:00Z", 1456704000000},            // leap day
      {"2000-02-29T12:00:00Z", 951825600000},             // 2000 is a leap year
      {"2016-12-31T23:59:60Z", 1483228799999},            // leap second folds into :59.999
      {"1969-12-31T23:59:59Z", -1000},
      {"2016-01-01T01:00:00+01:00", 1451606400000},       // offset crosses the year
      {"9999-12-31T23:59:59Z", 253402300799000},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    Result<Time> t = ParseRfc3339(c.text);
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    EXPECT_EQ(t->time_since_epoch().count(), c.ms);
  }
}

TEST(ParseRfc3339, RefusesInvalidTimes) {
  const char* cases[] = {
      "",
      "2015-10-11",                  // date only
      "2015-10-11T10:00:00",         // no zone
      "2015-10-11T10:00Z",           // no seconds
      "2015-02-30T00:00:00Z",        // no Feb 30
      "2015-02-29T00:00:00Z",        // 2015 is not a leap year
      "1900-02-29T00:00:00Z",        // 1900 is not a leap year
      "2015-04-31T00:00:00Z",        // April has 30 days
      "2015-13-01T00:00:00Z",        // month 13
      "2015-00-10T00:00:00Z",        // month 0
      "2015-10-00T00:00:00Z",        // day 0
      "2015-10-11T24:00:00Z",        // hour 24
      "2015-10-11T10:60:00Z",        // minute 60
      "2015-10-11T10:00:61Z",        // second 61
      "2015-10-11X10:00:00Z",        // bad separator
      "2015/10/11T10:00:00Z",        // bad date separator
      "15-10-11T10:00:00Z",          // two-digit year
      "2015-10-11T10:00:00+0300",    // offset without colon
      "2015-10-11T10:00:00+03",      // short offset
      "2015-10-11T10:00:00+24:00",   // offset hour out of range
      "2015-10-11T10:00:00+03:60",   // offset minute out of range
      "2015-10-11T10:00:00.Z",       // empty fraction
      "2015-10-11T10:00:00ZZ",       // trailing characters
      "2015-10-11T10:00:00Z ",       // trailing space
      " 2015-10-11T10:00:00Z",       // leading space
      "2015-1a-11T10:00:00Z",        // non-digit
  };
  for (const char* text : cases) {
    SCOPED_TRACE(text);
    Result<Time> t = ParseRfc3339(text);
    ASSERT_FALSE(t.ok());
    EXPECT_EQ(t.status().code(), Code::kInvalidArgument);
    EXPECT_EQ(t.status().reason(), "invalid_time");
    EXPECT_NE(t.status().message().find(text), std::string::npos) << t.status().message();
  }
}

TEST(FormatRfc3339, WritesUtcWithMillisecondsOnlyWhenNonZero) {
  struct Case {
    long long ms;
    std::string text;
  } cases[] = {
      {0, "1970-01-01T00:00:00Z"},
      {1444557600000, "2015-10-11T10:00:00Z"},
      {1444557600250, "2015-10-11T10:00:00.250Z"},
      {1444557600001, "2015-10-11T10:00:00.001Z"},
      {1456704000000, "2016-02-29T00:00:00Z"},
      {-1000, "1969-12-31T23:59:59Z"},
      {-1, "1969-12-31T23:59:59.999Z"},
      {253402300799999, "9999-12-31T23:59:59.999Z"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(FormatRfc3339(Ms(c.ms)), c.text);
  }
}

TEST(Rfc3339, RoundTripsThroughUtc) {
  struct Case {
    std::string in;
    std::string out;  // the canonical UTC form
  } cases[] = {
      {"2015-10-11T10:00:00Z", "2015-10-11T10:00:00Z"},
      {"2015-10-11T13:00:00+03:00", "2015-10-11T10:00:00Z"},
      {"2015-10-11T00:30:00+01:00", "2015-10-10T23:30:00Z"},
      {"2015-12-31T22:00:00-03:00", "2016-01-01T01:00:00Z"},
      {"2016-02-28T23:00:00-01:00", "2016-02-29T00:00:00Z"},
      {"2015-10-11T10:00:00.999999Z", "2015-10-11T10:00:00.999Z"},
      {"2015-10-11T10:00:00.100Z", "2015-10-11T10:00:00.100Z"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.in);
    std::string out = FormatRfc3339(T(c.in));
    EXPECT_EQ(out, c.out);
    EXPECT_EQ(FormatRfc3339(T(out)), out);  // the canonical form is a fixed point
  }
}

TEST(Rfc3339, FormatThenParseIsIdentityOverManyInstants) {
  // Every 7919 minutes plus a varying millisecond, over about 30 years.
  for (long long i = 0; i < 2000; ++i) {
    Time t = Ms(1'000'000'000'000LL + i * 7919LL * 60'000LL + (i * 37) % 1000);
    Result<Time> back = ParseRfc3339(FormatRfc3339(t));
    ASSERT_TRUE(back.ok()) << FormatRfc3339(t);
    ASSERT_EQ(*back, t) << FormatRfc3339(t);
  }
}

TEST(AddMonths, ClampsToMonthEndAndKeepsTimeOfDay) {
  struct Case {
    std::string from;
    int months;
    std::string to;
  } cases[] = {
      {"2015-01-31T00:00:00Z", 1, "2015-02-28T00:00:00Z"},
      {"2016-01-31T00:00:00Z", 1, "2016-02-29T00:00:00Z"},   // leap year
      {"2000-01-31T00:00:00Z", 1, "2000-02-29T00:00:00Z"},   // divisible by 400
      {"2100-01-31T00:00:00Z", 1, "2100-02-28T00:00:00Z"},   // divisible by 100 only
      {"2015-01-31T10:30:15.500Z", 3, "2015-04-30T10:30:15.500Z"},
      {"2015-03-31T23:59:59Z", 1, "2015-04-30T23:59:59Z"},
      {"2015-10-01T00:00:00Z", 3, "2016-01-01T00:00:00Z"},   // crosses the year
      {"2015-11-30T00:00:00Z", 3, "2016-02-29T00:00:00Z"},
      {"2015-08-31T00:00:00Z", 6, "2016-02-29T00:00:00Z"},
      {"2015-10-11T10:00:00Z", 0, "2015-10-11T10:00:00Z"},
      {"2015-10-11T10:00:00Z", 12, "2016-10-11T10:00:00Z"},
      {"2016-02-29T00:00:00Z", 12, "2017-02-28T00:00:00Z"},
      {"2016-02-29T00:00:00Z", 48, "2020-02-29T00:00:00Z"},
      // Negative months.
      {"2015-03-31T00:00:00Z", -1, "2015-02-28T00:00:00Z"},
      {"2016-03-31T00:00:00Z", -1, "2016-02-29T00:00:00Z"},
      {"2016-01-15T08:00:00Z", -1, "2015-12-15T08:00:00Z"},
      {"2016-01-31T00:00:00Z", -2, "2015-11-30T00:00:00Z"},
      {"2016-05-31T00:00:00Z", -15, "2015-02-28T00:00:00Z"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.from + " + " + std::to_string(c.months));
    EXPECT_EQ(FormatRfc3339(AddMonths(T(c.from), c.months)), c.to);
  }
}

TEST(AddMonths, StepwiseDriftsWhereOneStepDoesNot) {
  // Why terms are computed from an anchor: Jan 31 + 1 + 1 loses the 31st, + 2 keeps it.
  Time jan31 = T("2015-01-31T00:00:00Z");
  EXPECT_EQ(FormatRfc3339(AddMonths(AddMonths(jan31, 1), 1)), "2015-03-28T00:00:00Z");
  EXPECT_EQ(FormatRfc3339(AddMonths(jan31, 2)), "2015-03-31T00:00:00Z");
}

TEST(AddDays, AddsWholeDays) {
  struct Case {
    std::string from;
    int days;
    std::string to;
  } cases[] = {
      {"2015-10-01T00:00:00Z", 92, "2016-01-01T00:00:00Z"},
      {"2016-02-28T12:00:00Z", 1, "2016-02-29T12:00:00Z"},
      {"2015-02-28T12:00:00Z", 1, "2015-03-01T12:00:00Z"},
      {"2015-10-01T00:00:00Z", -1, "2015-09-30T00:00:00Z"},
      {"2015-10-01T00:00:00Z", 0, "2015-10-01T00:00:00Z"},
      {"2016-01-01T00:00:00Z", 366, "2017-01-01T00:00:00Z"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.from + " + " + std::to_string(c.days));
    EXPECT_EQ(FormatRfc3339(AddDays(T(c.from), c.days)), c.to);
  }
}

}  // namespace
}  // namespace markaz::core
