// The rotation of the chair (DESIGN.md §4): who chairs at time t, and the terms to come.
//
// Rules:
//   - Terms follow each other without gaps from charter.start, in rotation order, starting
//     with the first chair.
//   - A term lasts charter.term, computed from the last anchor (the start or the latest
//     handover) so that month ends do not drift: with 1-month terms from Jan 31, terms end on
//     Feb 28 (29), Mar 31, Apr 30, …; the time of day is kept.
//   - Handover: the chair may end its term early at time h. The term holding h ends at h and
//     the next eligible member starts a full term at h (h becomes the new anchor). A handover
//     at the very start of a term makes that term empty; empty terms are never reported.
//   - Suspension: a member suspended at a term boundary is skipped. A chair suspended during
//     its term loses the chair at the moment of suspension, exactly as if it had handed over.
//   - When every member is suspended, nobody chairs: TermAt() returns Unavailable
//     "no_eligible_chair". When one member is left, it chairs term after term, each term
//     still at most charter.term long. When a suspension is lifted while nobody chairs, the
//     next member in order (after the last chair) starts a full term at that moment (a new
//     anchor), rather than waiting for a boundary of the old term grid.
//   - A handover at the instant the chair is suspended is the same event, not a second one.
//     Handovers before the start or while nobody chairs have no effect; suspensions of ids that
//     are not members and suspensions with to <= from are ignored.
// No input can make a term longer than TermLength allows (at most three months).
//
// Cost: TermAt() walks the terms from the start, but jumps in one step over runs of terms
// that no handover or suspension touches, so it stays fast for any date (microseconds for a
// century of 1-day terms). The calendar ends at 10000-01-01T00:00:00Z, the first instant that
// RFC 3339 cannot write; no term starts at or after it.
//
// Thread-safety: immutable after construction; safe to share.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/charter.h"
#include "core/status.h"
#include "core/time.h"

namespace markaz::core {

struct Term {
  std::string chair;  // member id
  Time from;          // inclusive
  Time to;            // exclusive
  bool operator==(const Term&) const = default;
};

struct Handover {
  Time at;
};

// A member is suspended during [from, to); to = nullopt while the suspension lasts.
struct Suspension {
  std::string member;
  Time from;
  std::optional<Time> to;
};

class Rotation {
 public:
  // `charter` must have passed ValidateCharter(). Handovers and suspensions may be given in
  // any order.
  Rotation(const Charter& charter, std::vector<Handover> handovers = {},
           std::vector<Suspension> suspensions = {});

  // The term that holds `t`. NotFound "before_start" when t < charter.start; Unavailable
  // "no_eligible_chair" when every member is suspended at t; InvalidArgument
  // "time_out_of_range" when t is at or after the end of the calendar (year 10000).
  Result<Term> TermAt(Time t) const;

  // The `count` terms that follow the one holding `t` (or that start at/after `t` when t is
  // before the start), as planned now (later handovers and suspensions may change them).
  // A stretch when nobody chairs is passed over when a suspension is planned to end; the list
  // stops early when nobody will ever be eligible again, and at the end of the calendar.
  std::vector<Term> Upcoming(Time t, int count) const;

 private:
  // A suspension of order_[member] during [from, to); to is Time::max() while it lasts.
  struct Span {
    std::size_t member;
    Time from;
    Time to;
  };

  bool SuspendedAt(std::size_t member, Time t) const;
  // Earliest suspension of `member` that begins inside (from, to), if any.
  std::optional<Time> SuspendedDuring(std::size_t member, Time from, Time to) const;
  // The first member in order after position `after` (wrapping round, `after` itself last)
  // that is not suspended at `t`.
  std::optional<std::size_t> NextEligible(std::size_t after, Time t) const;
  // The earliest time after `t` at which some member is not suspended, if any.
  std::optional<Time> NextResume(Time t) const;
  // How many terms of the run anchored at `anchor` end at or before `limit` (limit ≥ anchor).
  long long TermsEndingBy(Time anchor, Time limit) const;
  // Walks the terms from the start in order, calling `visit(term)` until it returns false or
  // the calendar ends. A stretch when nobody chairs is visited as a Term with an empty chair
  // (to = Time::max() when it never ends). Terms that end at or before `skip_until` may be
  // skipped without a visit.
  template <typename Visit>
  void Walk(Time skip_until, Visit&& visit) const;

  std::vector<std::string> order_;
  std::size_t first_;
  TermLength term_;
  Time start_;
  std::vector<Handover> handovers_;  // sorted by time
  std::vector<Span> suspensions_;    // sorted by from
  std::vector<Time> events_;         // every handover and suspension boundary, sorted
};

}  // namespace markaz::core
