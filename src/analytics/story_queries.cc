// Stories per viewer. Each call derives every story's visible last_seen from one pass over the
// viewer's readers (O(visible reports), ~ms at 1M), then keeps the page after the cursor by a
// partial sort; a story's summary reads only its own members.
#include "analytics/story_queries.h"

#include <algorithm>
#include <climits>

#include "analytics/story_cursor.h"

namespace markaz::analytics {
namespace {

core::Time ToTime(std::int64_t ms) { return core::Time(std::chrono::milliseconds(ms)); }

std::vector<std::string> SortedNames(const StringTable& table, std::vector<std::uint32_t> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::vector<std::string> names;
  names.reserve(ids.size());
  for (std::uint32_t id : ids) names.emplace_back(table.Get(id));
  std::sort(names.begin(), names.end());
  return names;
}

// The summary over the visible members of story `s`; size 0 when none is visible.
StorySummary Summarize(const Columns& c, const Roaring& visible, std::uint32_t s,
                       std::size_t reports_cap) {
  StorySummary summary;
  summary.id = std::string(c.stories.Get(s));
  std::vector<std::uint32_t> members;
  c.ForEachMember(s, [&](std::uint32_t d) {
    if (visible.contains(d)) members.push_back(d);
  });
  summary.size = members.size();
  if (members.empty()) return summary;
  std::vector<std::uint32_t> langs;
  std::vector<std::uint32_t> originators;
  std::int64_t first = LLONG_MAX;
  std::int64_t last = LLONG_MIN;
  for (std::uint32_t d : members) {
    langs.push_back(c.lang[d]);
    originators.push_back(c.originator[d]);
    first = std::min(first, c.time[d]);
    last = std::max(last, c.time[d]);
  }
  summary.langs = SortedNames(c.langs, std::move(langs));
  summary.originators = SortedNames(c.orgs, std::move(originators));
  summary.first_seen = ToTime(first);
  summary.last_seen = ToTime(last);
  // Newest first; ties by higher seq, which is the higher ordinal (Add follows seq).
  auto newer = [&](std::uint32_t a, std::uint32_t b) {
    return c.time[a] != c.time[b] ? c.time[a] > c.time[b] : a > b;
  };
  const std::size_t n = std::min(reports_cap, members.size());
  std::partial_sort(members.begin(), members.begin() + static_cast<std::ptrdiff_t>(n),
                    members.end(), newer);
  for (std::size_t i = 0; i < n; ++i) summary.reports.emplace_back(c.report_ids.Get(members[i]));
  return summary;
}

}  // namespace

core::Result<StoryPage> QueryStories(const Columns& c, const Roaring* visible,
                                     const StoryQuery& query) {
  std::optional<StoryCursor> after;
  if (!query.cursor.empty()) {
    after = DecodeStoryCursor(query.cursor);
    if (!after) return core::Status::InvalidArgument("bad_cursor", "cursor is not one we made");
  }
  StoryPage page;
  if (visible == nullptr || query.limit == 0) return page;

  // LLONG_MIN marks "no visible member"; no event time is that far in the past.
  std::vector<std::int64_t> last(c.story_count(), LLONG_MIN);
  ForEach(*visible, [&](std::uint32_t d) {
    const std::uint32_t s = c.story[d];
    if (s != kNoStory && c.time[d] > last[s]) last[s] = c.time[d];
  });

  const std::int64_t from = query.from ? query.from->time_since_epoch().count() : LLONG_MIN;
  const std::int64_t to = query.to ? query.to->time_since_epoch().count() : LLONG_MAX;
  struct Key {
    std::int64_t last;
    std::uint32_t story;
  };
  // Order of the list: last_seen descending, then story id ascending.
  auto before = [&](const Key& a, const Key& b) {
    return a.last != b.last ? a.last > b.last : c.stories.Get(a.story) < c.stories.Get(b.story);
  };
  std::vector<Key> keys;
  for (std::uint32_t s = 0; s < last.size(); ++s) {
    const std::int64_t t = last[s];
    if (t == LLONG_MIN || t < from || (query.to && t >= to)) continue;
    if (after && (t > after->last_seen_ms ||
                  (t == after->last_seen_ms && c.stories.Get(s) <= after->story_id))) {
      continue;
    }
    keys.push_back({t, s});
  }
  const std::size_t n = std::min(query.limit, keys.size());
  std::partial_sort(keys.begin(), keys.begin() + static_cast<std::ptrdiff_t>(n), keys.end(),
                    before);
  for (std::size_t i = 0; i < n; ++i) {
    page.stories.push_back(Summarize(c, *visible, keys[i].story, query.reports_per_story));
  }
  if (keys.size() > n) {
    page.next_cursor =
        EncodeStoryCursor({keys[n - 1].last, std::string(c.stories.Get(keys[n - 1].story))});
  }
  return page;
}

std::optional<StorySummary> QueryStory(const Columns& c, const Roaring* visible,
                                       std::string_view story_id, std::size_t reports_cap) {
  const std::optional<std::uint32_t> s = c.stories.Find(story_id);
  if (!s || visible == nullptr) return std::nullopt;
  StorySummary summary = Summarize(c, *visible, *s, reports_cap);
  if (summary.size == 0) return std::nullopt;
  return summary;
}

}  // namespace markaz::analytics
