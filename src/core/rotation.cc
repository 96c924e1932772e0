#include "core/rotation.h"

#include <algorithm>
#include <utility>

namespace markaz::core {
namespace {

// RFC 3339 has four-digit years; beyond this the calendar types (and FormatRfc3339) have no
// meaning, and stopping here bounds every walk.
constexpr Time kEndOfCalendar = Time(std::chrono::sys_days(std::chrono::year(10000) / 1 / 1));

}  // namespace

Rotation::Rotation(const Charter& charter, std::vector<Handover> handovers,
                   std::vector<Suspension> suspensions)
    : order_(charter.rotation_order),
      first_(charter.first_chair_index < charter.rotation_order.size()
                 ? charter.first_chair_index
                 : 0),
      term_(charter.term),
      start_(charter.start),
      handovers_(std::move(handovers)) {
  std::stable_sort(handovers_.begin(), handovers_.end(),
                   [](const Handover& a, const Handover& b) { return a.at < b.at; });
  for (const Suspension& s : suspensions) {
    auto it = std::find(order_.begin(), order_.end(), s.member);
    // A suspension of a non-member (a partner, or a stale id) cannot affect who chairs.
    if (it == order_.end()) continue;
    Time to = s.to.value_or(Time::max());
    if (to <= s.from) continue;  // an empty interval suspends nobody
    suspensions_.push_back(Span{static_cast<std::size_t>(it - order_.begin()), s.from, to});
  }
  std::stable_sort(suspensions_.begin(), suspensions_.end(),
                   [](const Span& a, const Span& b) { return a.from < b.from; });
  for (const Handover& h : handovers_) events_.push_back(h.at);
  for (const Span& s : suspensions_) {
    events_.push_back(s.from);
    if (s.to != Time::max()) events_.push_back(s.to);
  }
  std::sort(events_.begin(), events_.end());
}

bool Rotation::SuspendedAt(std::size_t member, Time t) const {
  for (const Span& s : suspensions_) {
    if (s.from > t) break;  // sorted by from: no later span can hold t
    if (s.member == member && t < s.to) return true;
  }
  return false;
}

std::optional<Time> Rotation::SuspendedDuring(std::size_t member, Time from, Time to) const {
  for (const Span& s : suspensions_) {
    if (s.from >= to) break;
    if (s.member == member && s.from > from) return s.from;
  }
  return std::nullopt;
}

std::optional<std::size_t> Rotation::NextEligible(std::size_t after, Time t) const {
  const std::size_t n = order_.size();
  for (std::size_t step = 1; step <= n; ++step) {
    std::size_t p = (after + step) % n;
    if (!SuspendedAt(p, t)) return p;
  }
  return std::nullopt;
}

std::optional<Time> Rotation::NextResume(Time t) const {
  // Someone becomes eligible only when a suspension ends, so the candidates are the ends.
  std::vector<Time> ends;
  for (const Span& s : suspensions_) {
    if (s.to > t && s.to != Time::max()) ends.push_back(s.to);
  }
  std::sort(ends.begin(), ends.end());
  for (Time c : ends) {
    for (std::size_t p = 0; p < order_.size(); ++p) {
      if (!SuspendedAt(p, c)) return c;
    }
  }
  return std::nullopt;
}

long long Rotation::TermsEndingBy(Time anchor, Time limit) const {
  if (term_.unit() == TermLength::Unit::kDays) {
    const auto length = std::chrono::milliseconds(std::chrono::days(term_.count()));
    return (limit - anchor) / length;
  }
  // Months have no fixed length: estimate from the calendar months between the two, then
  // correct by the day of month (the estimate is off by at most one term).
  using std::chrono::year_month_day;
  const year_month_day a(std::chrono::floor<std::chrono::days>(anchor));
  const year_month_day b(std::chrono::floor<std::chrono::days>(limit));
  const long long months = (static_cast<int>(b.year()) - static_cast<int>(a.year())) * 12LL +
                           (static_cast<long long>(static_cast<unsigned>(b.month())) -
                            static_cast<long long>(static_cast<unsigned>(a.month())));
  long long n = std::max(0LL, months / term_.count());
  while (n > 0 && term_.EndOfTerm(anchor, static_cast<int>(n - 1)) > limit) --n;
  while (term_.EndOfTerm(anchor, static_cast<int>(n)) <= limit) ++n;
  return n;
}

template <typename Visit>
void Rotation::Walk(Time skip_until, Visit&& visit) const {
  const std::size_t n = order_.size();
  if (n == 0) {  // not a validated charter; nobody can chair
    visit(Term{std::string(), start_, Time::max()});
    return;
  }
  // `last` is the position the order continues from: before the first term, the one just
  // before the first chair.
  std::size_t last = (first_ + n - 1) % n;
  std::optional<std::size_t> pos = NextEligible(last, start_);
  Time anchor = start_;
  Time from = start_;
  int k = 0;  // index of the current term in the run from `anchor`
  std::size_t next_handover = 0;

  while (from < kEndOfCalendar) {
    if (!pos) {
      // Nobody is eligible: the chair stays empty until a suspension ends, and then the next
      // member in order starts a full term at once (a new anchor).
      std::optional<Time> resume = NextResume(from);
      if (!visit(Term{std::string(), from, resume.value_or(Time::max())}) || !resume) return;
      anchor = from = *resume;
      k = 0;
      pos = NextEligible(last, from);
      continue;
    }

    // Fast-forward. Before the next event (a handover or a suspension boundary) nothing
    // changes who is eligible, so the chairs of the coming terms just cycle through the
    // members eligible now. Jump over all but the last whole term that ends by the target,
    // and let the ordinary step below handle that one, because the boundary at its end may
    // coincide with the event.
    if (skip_until > from) {
      auto ev = std::lower_bound(events_.begin(), events_.end(), from);
      Time limit = std::min(skip_until, kEndOfCalendar);
      if (ev != events_.end()) limit = std::min(limit, *ev);
      const long long fit = limit > from ? TermsEndingBy(anchor, limit) - k : 0;
      if (fit >= 2) {
        const long long skip = fit - 1;
        std::vector<std::size_t> eligible;
        for (std::size_t p = 0; p < n; ++p) {
          if (!SuspendedAt(p, from)) eligible.push_back(p);
        }
        const auto idx = static_cast<long long>(
            std::find(eligible.begin(), eligible.end(), *pos) - eligible.begin());
        const auto m = static_cast<long long>(eligible.size());
        pos = eligible[static_cast<std::size_t>((idx + skip) % m)];
        last = eligible[static_cast<std::size_t>((idx + skip - 1) % m)];
        k += static_cast<int>(skip);
        from = term_.EndOfTerm(anchor, k - 1);
      }
    }

    Time end = term_.EndOfTerm(anchor, k);
    bool natural = true;
    // Handovers before this term fell before the start or while nobody chaired: no effect.
    while (next_handover < handovers_.size() && handovers_[next_handover].at < from) {
      ++next_handover;
    }
    if (next_handover < handovers_.size() && handovers_[next_handover].at < end) {
      end = handovers_[next_handover].at;
      natural = false;
    }
    if (std::optional<Time> s = SuspendedDuring(*pos, from, end)) {
      end = *s;
      natural = false;
    }
    // A term cut short consumes a handover at its end: either the handover cut it, or the
    // chair was suspended at that same instant, which is one event, not two.
    if (!natural && next_handover < handovers_.size() && handovers_[next_handover].at == end) {
      ++next_handover;
    }

    // A handover at the very start of a term leaves it empty; it is never reported.
    if (end > from && !visit(Term{order_[*pos], from, end})) return;
    last = *pos;
    if (natural) {
      ++k;
    } else {
      anchor = end;
      k = 0;
    }
    from = end;
    pos = NextEligible(last, from);
  }
}

Result<Term> Rotation::TermAt(Time t) const {
  if (t < start_) {
    return Status::NotFound("before_start", "the first term begins at " + FormatRfc3339(start_));
  }
  if (t >= kEndOfCalendar) {
    return Status::InvalidArgument("time_out_of_range", "times after year 9999 have no term");
  }
  std::optional<Term> found;
  Walk(t, [&found, t](const Term& term) {
    if (term.to <= t) return true;
    found = term;
    return false;
  });
  // The walk covers every instant from the start to the end of the calendar without gaps.
  if (!found) return Status::Internal("rotation: no term holds " + FormatRfc3339(t));
  if (found->chair.empty()) {
    return Status::Unavailable("no_eligible_chair",
                               "every member is suspended at " + FormatRfc3339(t));
  }
  return *std::move(found);
}

std::vector<Term> Rotation::Upcoming(Time t, int count) const {
  std::vector<Term> out;
  if (count <= 0 || t >= kEndOfCalendar) return out;
  const auto wanted = static_cast<std::size_t>(count);
  Walk(t, [&out, t, wanted, this](const Term& term) {
    if (term.chair.empty()) return term.to != Time::max();  // go on only if someone returns
    const bool follows = t < start_ ? term.from >= t : term.from > t;
    if (follows) out.push_back(term);
    return out.size() < wanted;
  });
  return out;
}

}  // namespace markaz::core
