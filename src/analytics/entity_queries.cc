// Entity answers: each starts from the entity's postings AND the viewer's readers (Roaring), so
// its cost follows the visible mentions, not the whole collection. Trends start from the hour
// buckets that overlap the baseline and the window instead.
#include "analytics/entity_queries.h"

#include <algorithm>
#include <climits>
#include <cmath>

namespace markaz::analytics {
namespace {

constexpr std::int64_t kDayMs = 24 * kHourMs;
constexpr std::int64_t kWeekMs = 7 * kDayMs;
// 1970-01-01 was a Thursday: the first Monday 00:00 UTC is 4 days later.
constexpr std::int64_t kFirstMondayMs = 4 * kDayMs;

struct BucketRule {
  std::int64_t origin;
  std::int64_t width;
};

BucketRule RuleOf(Bucket bucket) {
  switch (bucket) {
    case Bucket::kHour:
      return {0, kHourMs};
    case Bucket::kDay:
      return {0, kDayMs};
    case Bucket::kWeek:
      return {kFirstMondayMs, kWeekMs};
  }
  return {0, kDayMs};  // unreachable: the switch covers the enum
}

std::int64_t Ms(core::Time t) { return t.time_since_epoch().count(); }

// The viewer's mentions of `entity`; empty for an unknown entity or a viewer who sees nothing.
Roaring VisibleMentions(const Columns& c, const Roaring* visible, std::string_view entity) {
  const std::optional<std::uint32_t> e = c.entities.Find(entity);
  if (!e || visible == nullptr) return Roaring();
  return c.postings[*e] & *visible;
}

// The members of `bitmap` as an array, for loops that prefetch ahead.
std::vector<std::uint32_t> ToArray(const Roaring& bitmap) {
  std::vector<std::uint32_t> out(bitmap.cardinality());
  bitmap.toUint32Array(out.data());
  return out;
}

// Visible mentions are scattered over the columns, so each one is a cache miss or two; asking
// for the data a few mentions ahead overlaps those misses (2–3× on the 1M-report bench).
constexpr std::size_t kPrefetchAhead = 16;

}  // namespace

std::int64_t BucketStart(std::int64_t ms, Bucket bucket) {
  const BucketRule rule = RuleOf(bucket);
  return rule.origin + FloorDiv(ms - rule.origin, rule.width) * rule.width;
}

std::size_t CountMentions(const Columns& c, const Roaring* visible, std::string_view entity) {
  const std::optional<std::uint32_t> e = c.entities.Find(entity);
  if (!e || visible == nullptr) return 0;
  return c.postings[*e].and_cardinality(*visible);
}

core::Result<std::vector<TimelinePoint>> QueryTimeline(const Columns& c, const Roaring* visible,
                                                       std::string_view entity, Bucket bucket,
                                                       std::optional<core::Time> from,
                                                       std::optional<core::Time> to) {
  const BucketRule rule = RuleOf(bucket);
  const std::int64_t lo = from ? Ms(*from) : LLONG_MIN;
  const std::int64_t hi = to ? Ms(*to) : LLONG_MAX;
  auto inside = [&](std::int64_t t) { return t >= lo && (!to || t < hi); };
  auto index = [&](std::int64_t t) { return FloorDiv(t - rule.origin, rule.width); };
  const std::vector<std::uint32_t> docs = ToArray(VisibleMentions(c, visible, entity));
  // The times first (with the bucket range), so that the counts are one array.
  std::vector<std::int64_t> times;
  times.reserve(docs.size());
  std::int64_t first = LLONG_MAX;
  std::int64_t last = LLONG_MIN;
  for (std::size_t i = 0; i < docs.size(); ++i) {
    if (i + kPrefetchAhead < docs.size()) __builtin_prefetch(&c.time[docs[i + kPrefetchAhead]]);
    const std::int64_t t = c.time[docs[i]];
    if (!inside(t)) continue;
    times.push_back(t);
    first = std::min(first, index(t));
    last = std::max(last, index(t));
  }
  std::vector<TimelinePoint> points;
  if (first > last) return points;
  // Unsigned difference: the span of two far-apart int64 indexes does not overflow.
  const std::uint64_t span = static_cast<std::uint64_t>(last) - static_cast<std::uint64_t>(first);
  if (span >= kMaxTimelineBuckets) {
    return core::Status::InvalidArgument(
        "too_many_buckets", "the timeline would have more than " +
                                std::to_string(kMaxTimelineBuckets) +
                                " buckets: narrow from/to or use a wider bucket");
  }
  std::vector<std::size_t> counts(span + 1, 0);
  for (std::int64_t t : times) ++counts[static_cast<std::size_t>(index(t) - first)];
  points.reserve(counts.size());
  for (std::size_t i = 0; i < counts.size(); ++i) {
    const std::int64_t start = rule.origin + (first + static_cast<std::int64_t>(i)) * rule.width;
    points.push_back({core::Time(std::chrono::milliseconds(start)), counts[i]});
  }
  return points;
}

std::vector<GraphEdge> QueryGraph(const Columns& c, const Roaring* visible,
                                  std::string_view entity, std::size_t limit) {
  const std::optional<std::uint32_t> self = c.entities.Find(entity);
  if (!self) return {};
  const std::vector<std::uint32_t> docs = ToArray(VisibleMentions(c, visible, entity));
  std::vector<std::uint32_t> weight(c.entities.size(), 0);
  std::vector<std::uint32_t> touched;
  const std::size_t n_values = c.entity_values.size();
  for (std::size_t k = 0; k < docs.size(); ++k) {
    // Two levels ahead: the offsets of a later mention, then the values of a nearer one
    // (whose offsets were asked for earlier).
    if (k + kPrefetchAhead < docs.size()) {
      __builtin_prefetch(&c.entity_begin[docs[k + kPrefetchAhead]]);
    }
    if (k + kPrefetchAhead / 2 < docs.size()) {
      const std::uint64_t begin = c.entity_begin[docs[k + kPrefetchAhead / 2]];
      if (begin < n_values) __builtin_prefetch(&c.entity_values[begin]);
    }
    const std::uint32_t d = docs[k];
    for (std::uint64_t i = c.entity_begin[d]; i < c.entity_begin[d + 1]; ++i) {
      const std::uint32_t other = c.entity_values[i];
      if (other != *self && weight[other]++ == 0) touched.push_back(other);
    }
  }
  auto heavier = [&](std::uint32_t a, std::uint32_t b) {
    return weight[a] != weight[b] ? weight[a] > weight[b]
                                  : c.entities.Get(a) < c.entities.Get(b);
  };
  const std::size_t n = std::min(limit, touched.size());
  std::partial_sort(touched.begin(), touched.begin() + static_cast<std::ptrdiff_t>(n),
                    touched.end(), heavier);
  std::vector<GraphEdge> edges;
  edges.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    edges.push_back({std::string(c.entities.Get(touched[i])), weight[touched[i]]});
  }
  return edges;
}

std::vector<Trend> QueryTrends(const Columns& c, const Roaring* visible, const TrendQuery& q) {
  const std::int64_t w = q.window.count();
  if (visible == nullptr || w <= 0 || q.limit == 0) return {};
  const std::int64_t end = Ms(q.end);
  // start = end − (B + 1)·w, clamped instead of overflowing for absurd windows.
  std::int64_t start = LLONG_MIN;
  std::int64_t span = 0;
  std::int64_t s = 0;
  if (q.baseline_windows < static_cast<std::size_t>(LLONG_MAX) &&
      !__builtin_mul_overflow(w, static_cast<std::int64_t>(q.baseline_windows) + 1, &span) &&
      !__builtin_sub_overflow(end, span, &s)) {
    start = s;
  }
  std::vector<std::uint32_t> now(c.entities.size(), 0);
  std::vector<std::uint32_t> before(c.entities.size(), 0);
  // The reports of the hours that overlap [start, end), visible ones only, visited in
  // ordinal order: the columns are then read nearly sequentially (one pass per hour bucket
  // read them scattered, since arrival order and event time differ by hours).
  std::vector<const Roaring*> hours;
  const auto last_hour = FloorDiv(end - 1, kHourMs);
  for (auto it = c.by_hour.lower_bound(FloorDiv(start, kHourMs));
       it != c.by_hour.end() && it->first <= last_hour; ++it) {
    hours.push_back(&it->second);
  }
  Roaring seen = Roaring::fastunion(hours.size(), hours.data());
  seen &= *visible;
  ForEach(seen, [&](std::uint32_t d) {
    const std::int64_t t = c.time[d];
    if (t < start || t >= end) return;
    // Window 0 is [end − w, end); window j is [end − (j+1)w, end − jw).
    std::vector<std::uint32_t>& counts = (end - 1 - t) / w == 0 ? now : before;
    for (std::uint64_t i = c.entity_begin[d]; i < c.entity_begin[d + 1]; ++i) {
      ++counts[c.entity_values[i]];
    }
  });
  std::vector<Trend> trends;
  for (std::uint32_t e = 0; e < now.size(); ++e) {
    const std::size_t count = now[e];
    if (count < q.min_count || count == 0) continue;
    const double mu = q.baseline_windows == 0 ? 0.0
                                               : static_cast<double>(before[e]) /
                                                     static_cast<double>(q.baseline_windows);
    if (static_cast<double>(count) <= mu) continue;
    const double z = (static_cast<double>(count) - mu) / std::sqrt(mu + 1.0);
    if (z < q.min_score) continue;
    trends.push_back({std::string(c.entities.Get(e)), count, mu, z});
  }
  auto stronger = [](const Trend& a, const Trend& b) {
    return a.score != b.score ? a.score > b.score : a.entity < b.entity;
  };
  const std::size_t n = std::min(q.limit, trends.size());
  std::partial_sort(trends.begin(), trends.begin() + static_cast<std::ptrdiff_t>(n), trends.end(),
                    stronger);
  trends.resize(n);
  return trends;
}

}  // namespace markaz::analytics
