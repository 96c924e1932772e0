// Tests for core/rotation.h: who chairs when, under handovers and suspensions.
#include "core/rotation.h"

#include <algorithm>
#include <chrono>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace markaz::core {

// Lets gtest print terms in failure messages.
void PrintTo(const Term& t, std::ostream* os) {
  *os << "{" << t.chair << " " << FormatRfc3339(t.from) << " .. " << FormatRfc3339(t.to) << "}";
}

namespace {

using std::chrono::milliseconds;

// "2016-01-01" is shorthand for midnight UTC; anything longer is full RFC 3339.
Time T(std::string_view text) {
  std::string s(text);
  if (s.size() == 10) s += "T00:00:00Z";
  Result<Time> t = ParseRfc3339(s);
  EXPECT_TRUE(t.ok()) << s;
  return t.ok() ? *t : Time();
}

struct TermRow {
  std::string chair;
  std::string from;
  std::string to;
};

std::vector<Term> Terms(const std::vector<TermRow>& rows) {
  std::vector<Term> out;
  for (const auto& r : rows) out.push_back(Term{r.chair, T(r.from), T(r.to)});
  return out;
}

struct SuspensionRow {
  std::string member;
  std::string from;
  std::string to;  // empty: still suspended
};

struct Scenario {
  std::vector<std::string> order = {"host", "m2", "m3", "m4"};
  std::size_t first = 0;
  std::string term = "3 months";
  std::string start = "2015-10-01";
  std::vector<std::string> handovers = {};
  std::vector<SuspensionRow> suspensions = {};
};

Charter MakeCharter(const Scenario& s) {
  Charter c;
  c.name = "Test Centre";
  c.start = T(s.start);
  c.rotation_order = s.order;
  c.first_chair_index = s.first;
  c.term = TermLength::Parse(s.term).value();
  for (const auto& id : s.order) c.members.push_back(OrgEntry{id, OrgKind::kMember, {}, true});
  c.partners.push_back(OrgEntry{"partner", OrgKind::kPartner, {}, false});
  EXPECT_TRUE(ValidateCharter(c).ok()) << ValidateCharter(c).ToString();
  return c;
}

Rotation MakeRotation(const Scenario& s) {
  std::vector<Handover> handovers;
  for (const auto& h : s.handovers) handovers.push_back(Handover{T(h)});
  std::vector<Suspension> suspensions;
  for (const auto& r : s.suspensions) {
    suspensions.push_back(Suspension{
        r.member, T(r.from), r.to.empty() ? std::nullopt : std::optional<Time>(T(r.to))});
  }
  return Rotation(MakeCharter(s), std::move(handovers), std::move(suspensions));
}

// The first terms of a rotation, in order, as Upcoming() lists them from before the start.
std::vector<Term> FirstTerms(const Rotation& r, const Scenario& s, int count) {
  return r.Upcoming(T(s.start) - milliseconds(1), count);
}

struct ScheduleCase {
  std::string name;
  Scenario setup;
  std::vector<TermRow> terms;  // the first terms, exactly
};

TEST(Rotation, Schedules) {
  const ScheduleCase cases[] = {
      // --- Plain rotation, month ends and leap years.
      {"four members, 3-month terms, host first", {},
       {{"host", "2015-10-01", "2016-01-01"},
        {"m2", "2016-01-01", "2016-04-01"},
        {"m3", "2016-04-01", "2016-07-01"},
        {"m4", "2016-07-01", "2016-10-01"},
        {"host", "2016-10-01", "2017-01-01"}}},
      {"1-month terms from Jan 31 clamp without drifting",
       {.order = {"a1", "b2", "c3"}, .term = "1 month", .start = "2015-01-31"},
       {{"a1", "2015-01-31", "2015-02-28"},
        {"b2", "2015-02-28", "2015-03-31"},
        {"c3", "2015-03-31", "2015-04-30"},
        {"a1", "2015-04-30", "2015-05-31"},
        {"b2", "2015-05-31", "2015-06-30"}}},
      {"1-month terms in a leap year",
       {.order = {"a1", "b2"}, .term = "1 month", .start = "2016-01-31T08:30:00Z"},
       {{"a1", "2016-01-31T08:30:00Z", "2016-02-29T08:30:00Z"},
        {"b2", "2016-02-29T08:30:00Z", "2016-03-31T08:30:00Z"},
        {"a1", "2016-03-31T08:30:00Z", "2016-04-30T08:30:00Z"}}},
      {"3-month terms from Nov 30 pass Feb 29",
       {.order = {"a1", "b2"}, .start = "2015-11-30"},
       {{"a1", "2015-11-30", "2016-02-29"},
        {"b2", "2016-02-29", "2016-05-30"},
        {"a1", "2016-05-30", "2016-08-30"},
        {"b2", "2016-08-30", "2016-11-30"}}},
      {"2-month terms from Dec 31, noon",
       {.order = {"a1", "b2", "c3"}, .term = "2 months", .start = "2015-12-31T12:00:00Z"},
       {{"a1", "2015-12-31T12:00:00Z", "2016-02-29T12:00:00Z"},
        {"b2", "2016-02-29T12:00:00Z", "2016-04-30T12:00:00Z"},
        {"c3", "2016-04-30T12:00:00Z", "2016-06-30T12:00:00Z"},
        {"a1", "2016-06-30T12:00:00Z", "2016-08-31T12:00:00Z"}}},
      {"10-day terms keep the time of day",
       {.order = {"a1", "b2"}, .term = "10 days", .start = "2016-02-20T08:00:00Z"},
       {{"a1", "2016-02-20T08:00:00Z", "2016-03-01T08:00:00Z"},
        {"b2", "2016-03-01T08:00:00Z", "2016-03-11T08:00:00Z"},
        {"a1", "2016-03-11T08:00:00Z", "2016-03-21T08:00:00Z"}}},
      {"92-day terms",
       {.order = {"a1", "b2"}, .term = "92 days"},
       {{"a1", "2015-10-01", "2016-01-01"},
        {"b2", "2016-01-01", "2016-04-02"},
        {"a1", "2016-04-02", "2016-07-03"}}},
      {"1-day terms", {.order = {"a1", "b2", "c3"}, .term = "1 day", .start = "2016-02-28"},
       {{"a1", "2016-02-28", "2016-02-29"},
        {"b2", "2016-02-29", "2016-03-01"},
        {"c3", "2016-03-01", "2016-03-02"},
        {"a1", "2016-03-02", "2016-03-03"}}},
      {"first chair other than order[0]", {.first = 2},
       {{"m3", "2015-10-01", "2016-01-01"},
        {"m4", "2016-01-01", "2016-04-01"},
        {"host", "2016-04-01", "2016-07-01"},
        {"m2", "2016-07-01", "2016-10-01"}}},
      {"a single member chairs every term", {.order = {"solo"}, .term = "1 month"},
       {{"solo", "2015-10-01", "2015-11-01"},
        {"solo", "2015-11-01", "2015-12-01"},
        {"solo", "2015-12-01", "2016-01-01"}}},

      // --- Handovers.
      {"handover mid-term: the next member gets a full term from the handover",
       {.handovers = {"2015-11-15T09:00:00Z"}},
       {{"host", "2015-10-01", "2015-11-15T09:00:00Z"},
        {"m2", "2015-11-15T09:00:00Z", "2016-02-15T09:00:00Z"},
        {"m3", "2016-02-15T09:00:00Z", "2016-05-15T09:00:00Z"},
        {"m4", "2016-05-15T09:00:00Z", "2016-08-15T09:00:00Z"}}},
      {"handover at the exact boundary empties the term that starts there",
       {.handovers = {"2016-01-01"}},
       {{"host", "2015-10-01", "2016-01-01"},
        {"m3", "2016-01-01", "2016-04-01"},
        {"m4", "2016-04-01", "2016-07-01"},
        {"host", "2016-07-01", "2016-10-01"}}},
      {"handover at the start skips the first chair",
       {.handovers = {"2015-10-01"}},
       {{"m2", "2015-10-01", "2016-01-01"}, {"m3", "2016-01-01", "2016-04-01"}}},
      {"handover one millisecond into the term",
       {.handovers = {"2015-10-01T00:00:00.001Z"}},
       {{"host", "2015-10-01", "2015-10-01T00:00:00.001Z"},
        {"m2", "2015-10-01T00:00:00.001Z", "2016-01-01T00:00:00.001Z"}}},
      {"two handovers, given out of order",
       {.handovers = {"2015-12-01", "2015-11-15"}},
       {{"host", "2015-10-01", "2015-11-15"},
        {"m2", "2015-11-15", "2015-12-01"},
        {"m3", "2015-12-01", "2016-03-01"},
        {"m4", "2016-03-01", "2016-06-01"}}},
      {"handover on the 31st re-anchors month ends",
       {.order = {"a1", "b2"}, .term = "1 month", .handovers = {"2016-01-31"}},
       {{"a1", "2015-10-01", "2015-11-01"},
        {"b2", "2015-11-01", "2015-12-01"},
        {"a1", "2015-12-01", "2016-01-01"},
        {"b2", "2016-01-01", "2016-01-31"},
        {"a1", "2016-01-31", "2016-02-29"},
        {"b2", "2016-02-29", "2016-03-31"},
        {"a1", "2016-03-31", "2016-04-30"}}},
      {"handover before the start has no effect", {.handovers = {"2015-09-01"}},
       {{"host", "2015-10-01", "2016-01-01"}, {"m2", "2016-01-01", "2016-04-01"}}},

      // --- Suspensions.
      {"all but one suspended: the remaining member chairs consecutive full terms",
       {.suspensions = {{"m2", "2015-01-01", ""}, {"m3", "2015-01-01", ""},
                        {"m4", "2015-01-01", ""}}},
       {{"host", "2015-10-01", "2016-01-01"},
        {"host", "2016-01-01", "2016-04-01"},
        {"host", "2016-04-01", "2016-07-01"}}},
      {"chair suspended mid-term loses the chair at that moment",
       {.suspensions = {{"host", "2015-11-15T09:00:00Z", ""}}},
       {{"host", "2015-10-01", "2015-11-15T09:00:00Z"},
        {"m2", "2015-11-15T09:00:00Z", "2016-02-15T09:00:00Z"},
        {"m3", "2016-02-15T09:00:00Z", "2016-05-15T09:00:00Z"},
        {"m4", "2016-05-15T09:00:00Z", "2016-08-15T09:00:00Z"},
        {"m2", "2016-08-15T09:00:00Z", "2016-11-15T09:00:00Z"}}},
      {"member suspended at its boundary is skipped until the suspension ends",
       {.suspensions = {{"m2", "2015-12-01", "2016-05-01"}}},
       {{"host", "2015-10-01", "2016-01-01"},
        {"m3", "2016-01-01", "2016-04-01"},
        {"m4", "2016-04-01", "2016-07-01"},
        {"host", "2016-07-01", "2016-10-01"},
        {"m2", "2016-10-01", "2017-01-01"}}},
      {"suspension beginning exactly at the boundary skips the member",
       {.suspensions = {{"m2", "2016-01-01", "2016-01-02"}}},
       {{"host", "2015-10-01", "2016-01-01"}, {"m3", "2016-01-01", "2016-04-01"}}},
      {"suspension ending exactly at the boundary does not skip",
       {.suspensions = {{"m2", "2015-11-01", "2016-01-01"}}},
       {{"host", "2015-10-01", "2016-01-01"}, {"m2", "2016-01-01", "2016-04-01"}}},
      {"suspension of a non-chair between boundaries changes nothing",
       {.suspensions = {{"m2", "2015-11-01", "2015-12-01"}}},
       {{"host", "2015-10-01", "2016-01-01"}, {"m2", "2016-01-01", "2016-04-01"}}},
      {"first chair suspended at the start",
       {.suspensions = {{"host", "2015-09-01", "2015-10-15"}}},
       {{"m2", "2015-10-01", "2016-01-01"},
        {"m3", "2016-01-01", "2016-04-01"},
        {"m4", "2016-04-01", "2016-07-01"},
        {"host", "2016-07-01", "2016-10-01"}}},
      {"everyone suspended for a while: the next member starts a full term on return",
       {.suspensions = {{"host", "2015-11-01", "2015-12-15"}, {"m2", "2015-11-01", "2015-12-15"},
                        {"m3", "2015-11-01", "2015-12-15"}, {"m4", "2015-11-01", "2015-12-15"}}},
       {{"host", "2015-10-01", "2015-11-01"},
        {"m2", "2015-12-15", "2016-03-15"},
        {"m3", "2016-03-15", "2016-06-15"}}},
      {"everyone suspended for good: no terms after the last",
       {.suspensions = {{"host", "2016-02-01", ""}, {"m2", "2016-02-01", ""},
                        {"m3", "2016-02-01", ""}, {"m4", "2016-02-01", ""}}},
       {{"host", "2015-10-01", "2016-01-01"}, {"m2", "2016-01-01", "2016-02-01"}}},
      {"handover at the instant the chair is suspended is one event",
       {.handovers = {"2015-11-15"}, .suspensions = {{"host", "2015-11-15", ""}}},
       {{"host", "2015-10-01", "2015-11-15"},
        {"m2", "2015-11-15", "2016-02-15"},
        {"m3", "2016-02-15", "2016-05-15"}}},
      {"handover while nobody chairs has no effect",
       {.order = {"a1", "b2"},
        .handovers = {"2015-11-20"},
        .suspensions = {{"a1", "2015-11-01", "2015-12-01"}, {"b2", "2015-11-01", "2015-12-01"}}},
       {{"a1", "2015-10-01", "2015-11-01"},
        {"b2", "2015-12-01", "2016-03-01"},
        {"a1", "2016-03-01", "2016-06-01"}}},
      {"suspensions of non-members and empty suspensions are ignored",
       {.suspensions = {{"partner", "2015-01-01", ""},
                        {"nobody", "2015-01-01", ""},
                        {"m2", "2015-12-01", "2015-11-01"}}},
       {{"host", "2015-10-01", "2016-01-01"}, {"m2", "2016-01-01", "2016-04-01"}}},
      {"a handover after a suspension re-anchors again",
       {.handovers = {"2016-01-10"}, .suspensions = {{"host", "2015-11-01", "2015-11-02"}}},
       {{"host", "2015-10-01", "2015-11-01"},
        {"m2", "2015-11-01", "2016-01-10"},
        {"m3", "2016-01-10", "2016-04-10"},
        {"m4", "2016-04-10", "2016-07-10"},
        {"host", "2016-07-10", "2016-10-10"}}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Rotation r = MakeRotation(c.setup);
    const std::vector<Term> want = Terms(c.terms);
    EXPECT_EQ(FirstTerms(r, c.setup, static_cast<int>(want.size())), want);
    // TermAt agrees at both ends of every term (it may take the fast path; Upcoming from
    // before the start walks every term).
    for (const Term& t : want) {
      Result<Term> at_from = r.TermAt(t.from);
      ASSERT_TRUE(at_from.ok()) << at_from.status().ToString();
      EXPECT_EQ(*at_from, t);
      Result<Term> at_end = r.TermAt(t.to - milliseconds(1));
      ASSERT_TRUE(at_end.ok()) << at_end.status().ToString();
      EXPECT_EQ(*at_end, t);
    }
  }
}

TEST(Rotation, TermAtErrors) {
  struct Case {
    std::string name;
    Scenario setup;
    std::string at;
    Code code;
    std::string reason;
  } cases[] = {
      {"before the start", {}, "2015-09-30T23:59:59.999Z", Code::kNotFound, "before_start"},
      {"long before the start", {}, "1970-01-01", Code::kNotFound, "before_start"},
      {"everyone suspended at t",
       {.suspensions = {{"host", "2015-11-01", "2015-12-15"}, {"m2", "2015-11-01", "2015-12-15"},
                        {"m3", "2015-11-01", "2015-12-15"}, {"m4", "2015-11-01", "2015-12-15"}}},
       "2015-11-20", Code::kUnavailable, "no_eligible_chair"},
      {"everyone suspended at t, to the very millisecond",
       {.suspensions = {{"host", "2015-11-01", "2015-12-15"}, {"m2", "2015-11-01", "2015-12-15"},
                        {"m3", "2015-11-01", "2015-12-15"}, {"m4", "2015-11-01", "2015-12-15"}}},
       "2015-12-14T23:59:59.999Z", Code::kUnavailable, "no_eligible_chair"},
      {"everyone suspended for good",
       {.order = {"a1", "b2"}, .suspensions = {{"a1", "2015-01-01", ""}, {"b2", "2016-01-01", ""}}},
       "2020-01-01", Code::kUnavailable, "no_eligible_chair"},
      {"the last millisecond of the calendar has a term", {}, "9999-12-31T23:59:59.999Z",
       Code::kOk, ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Rotation r = MakeRotation(c.setup);
    Result<Term> term = r.TermAt(T(c.at));
    EXPECT_EQ(term.status().code(), c.code);
    EXPECT_EQ(term.status().reason(), c.reason);
  }
  Rotation r = MakeRotation({});
  Result<Term> beyond = r.TermAt(T("9999-12-31T23:59:59.999Z") + milliseconds(1));
  EXPECT_EQ(beyond.status().reason(), "time_out_of_range");
  EXPECT_TRUE(r.Upcoming(T("9999-12-31T23:59:59.999Z") + milliseconds(1), 4).empty());
}

TEST(Rotation, UpcomingListsTheTermsThatFollow) {
  const Scenario everyone_leaves = {
      .suspensions = {{"host", "2016-03-01", ""}, {"m2", "2016-03-01", ""},
                      {"m3", "2016-03-01", ""}, {"m4", "2016-03-01", ""}}};
  struct Case {
    std::string name;
    Scenario setup;
    std::string at;
    int count;
    std::vector<TermRow> terms;
  } cases[] = {
      {"mid-term", {}, "2015-11-15", 4,
       {{"m2", "2016-01-01", "2016-04-01"},
        {"m3", "2016-04-01", "2016-07-01"},
        {"m4", "2016-07-01", "2016-10-01"},
        {"host", "2016-10-01", "2017-01-01"}}},
      {"at a boundary the term starting there is current", {}, "2016-01-01", 4,
       {{"m3", "2016-04-01", "2016-07-01"},
        {"m4", "2016-07-01", "2016-10-01"},
        {"host", "2016-10-01", "2017-01-01"},
        {"m2", "2017-01-01", "2017-04-01"}}},
      {"before the start lists from the first term", {}, "2015-09-01", 4,
       {{"host", "2015-10-01", "2016-01-01"},
        {"m2", "2016-01-01", "2016-04-01"},
        {"m3", "2016-04-01", "2016-07-01"},
        {"m4", "2016-07-01", "2016-10-01"}}},
      {"exactly at the start the first term is current", {}, "2015-10-01", 2,
       {{"m2", "2016-01-01", "2016-04-01"}, {"m3", "2016-04-01", "2016-07-01"}}},
      {"count zero", {}, "2015-11-15", 0, {}},
      {"count negative", {}, "2015-11-15", -3, {}},
      {"planned handover is included", {.handovers = {"2016-02-01"}}, "2015-11-15", 3,
       {{"m2", "2016-01-01", "2016-02-01"},
        {"m3", "2016-02-01", "2016-05-01"},
        {"m4", "2016-05-01", "2016-08-01"}}},
      {"stops early when nobody will be eligible", everyone_leaves, "2015-11-15", 4,
       {{"m2", "2016-01-01", "2016-03-01"}}},
      {"nothing follows once nobody is eligible", everyone_leaves, "2016-05-01", 4, {}},
      {"from before the start", everyone_leaves, "2015-01-01", 4,
       {{"host", "2015-10-01", "2016-01-01"}, {"m2", "2016-01-01", "2016-03-01"}}},
      {"nobody ever eligible",
       {.order = {"a1", "b2"}, .suspensions = {{"a1", "2015-01-01", ""}, {"b2", "2015-01-01", ""}}},
       "2015-01-01", 4, {}},
      {"from inside a temporary vacancy",
       {.order = {"a1", "b2"},
        .suspensions = {{"a1", "2015-11-01", "2015-12-01"}, {"b2", "2015-11-01", "2015-12-01"}}},
       "2015-11-10", 2,
       {{"b2", "2015-12-01", "2016-03-01"}, {"a1", "2016-03-01", "2016-06-01"}}},
      {"a temporary vacancy is passed over",
       {.order = {"a1", "b2"},
        .suspensions = {{"a1", "2015-11-01", "2015-12-01"}, {"b2", "2015-11-01", "2015-12-01"}}},
       "2015-10-10", 2,
       {{"b2", "2015-12-01", "2016-03-01"}, {"a1", "2016-03-01", "2016-06-01"}}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Rotation r = MakeRotation(c.setup);
    EXPECT_EQ(r.Upcoming(T(c.at), c.count), Terms(c.terms));
  }
}

TEST(Rotation, CenturyOfOneDayTermsIsFast) {
  struct Case {
    std::string term;
    int terms_later;  // how many whole terms after the start the query falls
  } cases[] = {
      {"1 day", 36525},   // a century
      {"1 day", 2900000}, // to year 9955
      {"3 months", 400},  // a century
      {"1 month", 95000}, // to year 9931
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.term + " x " + std::to_string(c.terms_later));
    Scenario s{.order = {"a1", "b2", "c3"}, .term = c.term, .start = "2016-01-31T06:00:00Z"};
    Rotation r = MakeRotation(s);
    TermLength term = TermLength::Parse(c.term).value();
    const Time anchor = T(s.start);
    const Time from = term.EndOfTerm(anchor, c.terms_later - 1);
    const Time to = term.EndOfTerm(anchor, c.terms_later);
    const Time at = from + (to - from) / 2;

    auto begin = std::chrono::steady_clock::now();
    Result<Term> got = r.TermAt(at);
    auto took = std::chrono::steady_clock::now() - begin;

    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(*got, (Term{s.order[static_cast<std::size_t>(c.terms_later) % 3], from, to}));
    // The fast path jumps over uneventful stretches: microseconds in practice. The bound is
    // loose so that a loaded machine or a sanitizer build does not make the test flaky.
    EXPECT_LT(took, std::chrono::milliseconds(20));
  }
}

TEST(Rotation, FastPathStopsAtEventsFarInTheFuture) {
  // 1-day terms with a handover and a suspension decades after the start: the jump must stop
  // at each event so the schedule after it is right.
  Scenario s{.order = {"a1", "b2", "c3"},
          .term = "1 day",
          .start = "2016-01-01",
          .handovers = {"2046-01-01T12:00:00Z"},
          .suspensions = {{"b2", "2056-01-01T12:00:00Z", ""}}};
  Rotation r = MakeRotation(s);
  // 2016-01-01 → 2046-01-01 is 10958 days; 10958 % 3 == 2, so c3 chairs that day.
  struct Case {
    std::string at;
    TermRow term;
  } cases[] = {
      {"2046-01-01T11:00:00Z", {"c3", "2046-01-01", "2046-01-01T12:00:00Z"}},
      {"2046-01-01T12:00:00Z", {"a1", "2046-01-01T12:00:00Z", "2046-01-02T12:00:00Z"}},
      {"2046-01-03T00:00:00Z", {"b2", "2046-01-02T12:00:00Z", "2046-01-03T12:00:00Z"}},
      // 2046-01-01T12 → 2056-01-01T12 is 3652 days: 3652 % 3 == 1, so b2 would chair from
      // there, but is suspended at that boundary and skipped from then on.
      {"2056-01-01T12:00:00Z", {"c3", "2056-01-01T12:00:00Z", "2056-01-02T12:00:00Z"}},
      {"2056-01-02T13:00:00Z", {"a1", "2056-01-02T12:00:00Z", "2056-01-03T12:00:00Z"}},
      {"2056-01-03T13:00:00Z", {"c3", "2056-01-03T12:00:00Z", "2056-01-04T12:00:00Z"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.at);
    Result<Term> got = r.TermAt(T(c.at));
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(*got, Terms({c.term})[0]);
  }
}

// The rules that must hold for every input: terms have positive length, never exceed three
// months (by calendar, or 92 days) nor the charter's term, follow each other with no gap
// except while nobody is eligible, and are chaired by a member not suspended when it began.
TEST(Rotation, PropertyNoGapsAndNeverLongerThanThreeMonths) {
  std::mt19937_64 rng(20151001);
  auto uniform = [&rng](long long lo, long long hi) {
    return std::uniform_int_distribution<long long>(lo, hi)(rng);
  };
  const Time base = T("2000-01-01");
  constexpr long long kDay = 86'400'000;
  const char* kIds[] = {"a1", "b2", "c3", "d4", "e5"};
  int checked_terms = 0;

  for (int iteration = 0; iteration < 200; ++iteration) {
    Scenario s;
    s.order.clear();
    const int n = static_cast<int>(uniform(1, 5));
    for (int i = 0; i < n; ++i) s.order.push_back(kIds[i]);
    s.first = static_cast<std::size_t>(uniform(0, n - 1));
    s.term = uniform(0, 1) == 0 ? std::to_string(uniform(1, 3)) + " months"
                                : std::to_string(uniform(1, 92)) + " days";
    const Time start = base + milliseconds(uniform(0, 30 * 365 * kDay));
    s.start = FormatRfc3339(start);
    auto some_time = [&] { return FormatRfc3339(start + milliseconds(uniform(-60, 3 * 365) * kDay +
                                                                      uniform(0, kDay - 1))); };
    for (int i = 0, h = static_cast<int>(uniform(0, 6)); i < h; ++i) {
      s.handovers.push_back(some_time());
    }
    for (int i = 0, k = static_cast<int>(uniform(0, 6)); i < k; ++i) {
      std::string member = uniform(0, 9) == 0 ? "partner" : kIds[uniform(0, n - 1)];
      std::string from = some_time();
      std::string to = uniform(0, 3) == 0 ? "" : some_time();  // may even precede `from`
      s.suspensions.push_back({member, from, to});
    }
    SCOPED_TRACE(::testing::Message() << "iteration " << iteration << ": " << n << " members, "
                                      << s.term << ", start " << s.start);

    Rotation r = MakeRotation(s);
    const TermLength term = TermLength::Parse(s.term).value();
    std::vector<Suspension> parsed;
    for (const auto& x : s.suspensions) {
      parsed.push_back({x.member, T(x.from), x.to.empty() ? std::nullopt : std::optional(T(x.to))});
    }
    auto suspended = [&parsed](const std::string& member, Time t) {
      for (const auto& x : parsed) {
        if (x.member == member && x.from <= t && (!x.to || t < *x.to)) return true;
      }
      return false;
    };
    auto vacant = [&r](Time t) {
      return r.TermAt(t).status().reason() == "no_eligible_chair";
    };

    const std::vector<Term> terms = r.Upcoming(start - milliseconds(1), 40);
    if (terms.empty()) {
      EXPECT_TRUE(vacant(start));
      continue;
    }
    EXPECT_TRUE(terms.front().from == start || vacant(start));
    for (std::size_t i = 0; i < terms.size(); ++i) {
      const Term& t = terms[i];
      // Described only when an expectation fails: a SCOPED_TRACE per term would dominate the
      // test's run time.
      auto where = [&t, i] {
        return "term " + std::to_string(i) + " " + ::testing::PrintToString(t);
      };
      ASSERT_LT(t.from, t.to) << where();
      EXPECT_LE(t.to, std::max(AddMonths(t.from, 3), AddDays(t.from, 92))) << where();
      EXPECT_LE(t.to - t.from, std::chrono::days(92)) << where();
      if (term.unit() == TermLength::Unit::kDays) {
        EXPECT_LE(t.to - t.from, std::chrono::days(term.count())) << where();
      } else {
        EXPECT_LE(t.to - t.from, std::chrono::days(31 * term.count())) << where();
      }
      EXPECT_NE(std::find(s.order.begin(), s.order.end(), t.chair), s.order.end()) << where();
      EXPECT_FALSE(suspended(t.chair, t.from)) << where();
      if (i > 0 && terms[i - 1].to != t.from) {
        // The only gap allowed is a stretch when every member is suspended.
        EXPECT_LT(terms[i - 1].to, t.from) << where();
        EXPECT_TRUE(vacant(terms[i - 1].to)) << where();
        EXPECT_TRUE(vacant(t.from - milliseconds(1))) << where();
      }
      // TermAt, which jumps over uneventful stretches, agrees with the full walk.
      for (Time at : {t.from, t.from + (t.to - t.from) / 2, t.to - milliseconds(1)}) {
        Result<Term> got = r.TermAt(at);
        ASSERT_TRUE(got.ok()) << got.status().ToString() << " " << where();
        EXPECT_EQ(*got, t) << where();
      }
      if (i + 3 < terms.size()) {
        EXPECT_EQ(r.Upcoming(t.from, 3),
                  (std::vector<Term>{terms[i + 1], terms[i + 2], terms[i + 3]}))
            << where();
      }
      ++checked_terms;
    }
  }
  EXPECT_GT(checked_terms, 4000);
}

}  // namespace
}  // namespace markaz::core
