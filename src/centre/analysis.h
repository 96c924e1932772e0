// What the centre's analysis use cases take and answer (GET /v1/stories, /v1/entities…,
// /v1/trends; DESIGN.md §9, docs/analytics.md): plain values for the adapters. Every count in
// them is over the caller's visible reports only (DESIGN.md §2 rule 5).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "analytics/analytics.h"
#include "core/report.h"

namespace markaz::centre {

inline constexpr std::size_t kDefaultStoryLimit = 20;
inline constexpr std::size_t kMaxStoryLimit = 100;
inline constexpr std::size_t kStoryReportsInList = 20;    // report ids per story in a list
inline constexpr std::size_t kStoryReportsInPage = 1000;  // report ids of GET /v1/stories/{id}
inline constexpr std::size_t kDefaultEntityLimit = 10;
inline constexpr std::size_t kMaxEntityLimit = 50;
inline constexpr std::size_t kDefaultGraphLimit = 25;
inline constexpr std::size_t kMaxGraphLimit = 200;
inline constexpr std::size_t kDefaultTrendLimit = 20;
inline constexpr std::size_t kMaxTrendLimit = 100;

struct StoryView {
  analytics::StorySummary summary;
  std::string headline;  // the title of its newest visible report
};

struct StoriesView {
  std::vector<StoryView> stories;
  std::optional<std::string> next_cursor;
};

struct EntityName {
  std::string lang;
  std::string text;
};

struct EntityView {
  std::string id;
  std::string kind;                 // "country", "city", …
  std::string name;                 // in the reader's language (English, else any)
  std::vector<EntityName> names;    // every display name, by language
  std::optional<core::GeoPoint> location;
  std::string country;              // ISO 3166 alpha-2, "" when none
  std::size_t mentions = 0;         // visible reports naming it
};

struct TrendView {
  analytics::Trend trend;
  std::string name;  // display name in the reader's language
};

}  // namespace markaz::centre
