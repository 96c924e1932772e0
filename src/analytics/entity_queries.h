// Mentions, timelines, co-mention graphs and trends over the columns, counting only the
// reports in `visible` (the viewer's readers; nullptr = none).
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "analytics/analytics.h"
#include "analytics/columns.h"

namespace markaz::analytics {

inline constexpr std::size_t kMaxTimelineBuckets = 10'000;

// The start (ms) of the bucket holding `ms`: UTC hours, UTC days, weeks from Monday 00:00 UTC.
std::int64_t BucketStart(std::int64_t ms, Bucket bucket);

std::size_t CountMentions(const Columns& columns, const Roaring* visible,
                          std::string_view entity);
core::Result<std::vector<TimelinePoint>> QueryTimeline(const Columns& columns,
                                                       const Roaring* visible,
                                                       std::string_view entity, Bucket bucket,
                                                       std::optional<core::Time> from,
                                                       std::optional<core::Time> to);
std::vector<GraphEdge> QueryGraph(const Columns& columns, const Roaring* visible,
                                  std::string_view entity, std::size_t limit);
std::vector<Trend> QueryTrends(const Columns& columns, const Roaring* visible,
                               const TrendQuery& query);

}  // namespace markaz::analytics
