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
//     still at most charter.term long.
// No input can make a term longer than TermLength allows (at most three months).
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
  // "no_eligible_chair" when every member is suspended at t.
  Result<Term> TermAt(Time t) const;

  // The `count` terms that follow the one holding `t` (or that start at/after `t` when t is
  // before the start), as planned now (later handovers and suspensions may change them).
  // Stops early when nobody is eligible.
  std::vector<Term> Upcoming(Time t, int count) const;

 private:
  bool SuspendedAt(const std::string& member, Time t) const;
  // Earliest suspension of `member` that begins inside (from, to), if any.
  std::optional<Time> SuspendedDuring(const std::string& member, Time from, Time to) const;
  // The next member in order after position `after` that is not suspended at `t`.
  std::optional<std::size_t> NextEligible(std::size_t after, Time t) const;
  // Walks the terms from the start, calling `visit(term)` until it returns false.
  template <typename Visit>
  void Walk(Visit&& visit) const;

  std::vector<std::string> order_;
  std::size_t first_;
  TermLength term_;
  Time start_;
  std::vector<Handover> handovers_;      // sorted by time
  std::vector<Suspension> suspensions_;
};

}  // namespace markaz::core
