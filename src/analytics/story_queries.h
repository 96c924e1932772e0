// Stories() and Story() over the columns, counting only the reports in `visible` (the viewer's
// readers; nullptr = none).
#pragma once

#include <optional>
#include <string_view>

#include "analytics/analytics.h"
#include "analytics/columns.h"

namespace markaz::analytics {

core::Result<StoryPage> QueryStories(const Columns& columns, const Roaring* visible,
                                     const StoryQuery& query);
std::optional<StorySummary> QueryStory(const Columns& columns, const Roaring* visible,
                                       std::string_view story_id, std::size_t reports_cap);

}  // namespace markaz::analytics
