// Per-viewer analysis over every report (DESIGN.md §2 rule 5, §9; issue 6; docs/analytics.md):
// stories, entity mention counts, timelines, co-mention graphs and trends, each computed over
// the reports the asking org may read — a report outside its audience changes nothing in any
// answer (no oracle).
//
// It holds, in memory, a few columns per report (event time, language, originator, story,
// entity ids, audience) and per-org reader sets; no text. Access is decided by the centre,
// which passes the viewer's org: this module only counts what that org's reader set allows.
//
// Times are event times: observed_at, else received_at (the search index's `time` column).
// Ranges are [from, to).
//
// Thread-safety: every method may be called concurrently. Add() and Widen() only queue (they
// never wait for a query, so ingest never waits for analysis); the queue is applied by a
// background thread in order, before the next query is answered or within kApplyInterval,
// whichever comes first. Flush() applies it now (tests, start-up).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/report.h"
#include "core/status.h"
#include "core/time.h"

namespace markaz::analytics {

struct ReportFacts {
  std::int64_t seq = 0;  // store seq; Add() in ascending seq order
  std::string id;        // "rep_…"
  core::Time time;       // event time
  std::string lang;
  std::string originator;
  std::string story;                  // "sto_…"; empty = none (a report processed without stories)
  std::vector<std::string> entities;  // ids, sorted, unique
  core::Audience audience;            // sorted org ids
};

struct StorySummary {
  std::string id;
  std::size_t size = 0;                  // visible reports
  std::vector<std::string> langs;        // of visible reports, sorted
  std::vector<std::string> originators;  // of visible reports, sorted
  core::Time first_seen;                 // earliest visible event time
  core::Time last_seen;                  // latest visible event time
  std::vector<std::string> reports;      // visible report ids, newest event time first (ties:
                                         // higher seq first), at most the `reports` cap asked
};

struct StoryPage {
  std::vector<StorySummary> stories;  // by last_seen descending, then id ascending
  std::optional<std::string> next_cursor;  // opaque; absent on the last page
};

struct StoryQuery {
  std::optional<core::Time> from;  // stories whose visible last_seen ≥ from
  std::optional<core::Time> to;    // … and whose visible last_seen < to
  std::size_t limit = 20;
  std::string cursor;              // from a previous page; empty for the first
  std::size_t reports_per_story = 20;
};

enum class Bucket { kHour, kDay, kWeek };  // weeks start on Monday 00:00 UTC

struct TimelinePoint {
  core::Time start;  // bucket start
  std::size_t count = 0;
};

struct GraphEdge {
  std::string entity;
  std::size_t weight = 0;  // visible reports mentioning both
};

struct Trend {
  std::string entity;
  std::size_t count = 0;    // visible mentions in the window
  double baseline = 0;      // mean visible mentions per window over the baseline windows
  double score = 0;         // the statistic of docs/analytics.md (higher = stronger spike)
};

// The statistic (docs/analytics.md, "Trends"): per entity, c = visible mentions in the window
// [end − w, end); μ = mean visible mentions per window over the `baseline_windows` windows
// before it, [end − (B+1)w, end − w); score z = (c − μ) / sqrt(μ + 1). An entity trends when
// c ≥ min_count, c > μ and z ≥ min_score. Sorted by score descending, then entity id.
struct TrendQuery {
  std::chrono::milliseconds window{24LL * 3600 * 1000};  // > 0, else no trends
  core::Time end;            // the window is [end - window, end)
  std::size_t limit = 20;
  std::size_t baseline_windows = 7;  // B; 0 = a baseline of 0
  std::size_t min_count = 5;
  double min_score = 3.0;
};

class Analytics {
 public:
  static constexpr std::chrono::milliseconds kApplyInterval{200};

  Analytics();
  ~Analytics();  // stops the background thread
  Analytics(const Analytics&) = delete;
  Analytics& operator=(const Analytics&) = delete;

  void Add(ReportFacts facts);
  // Adds orgs to a report's audience (release widening, issue 7). Unknown ids are ignored.
  void Widen(const std::string& report_id, const core::Audience& added);
  void Flush();

  // InvalidArgument "bad_cursor" for a cursor this did not make (docs/analytics.md, "Stories").
  // Pages are consistent: while nothing is added, concatenated pages list every matching story
  // once. A story whose visible last_seen moves between two calls may be seen twice or not at
  // all, as with any keyset cursor.
  core::Result<StoryPage> Stories(const std::string& viewer, const StoryQuery& query) const;
  // nullopt when the story is unknown or has no report `viewer` may read (it does not exist
  // for it).
  std::optional<StorySummary> Story(const std::string& viewer, const std::string& story_id,
                                    std::size_t reports_cap) const;

  // Visible reports naming `entity` (0 for an unknown entity).
  std::size_t Mentions(const std::string& viewer, const std::string& entity) const;
  // Buckets from the first to the last visible mention inside [from, to), empty buckets
  // included (at most 10,000 buckets: InvalidArgument "too_many_buckets" beyond).
  core::Result<std::vector<TimelinePoint>> Timeline(const std::string& viewer,
                                                    const std::string& entity, Bucket bucket,
                                                    std::optional<core::Time> from,
                                                    std::optional<core::Time> to) const;
  // Entities named in visible reports that also name `entity`, heaviest first (ties: id),
  // at most `limit`.
  std::vector<GraphEdge> Graph(const std::string& viewer, const std::string& entity,
                               std::size_t limit) const;
  std::vector<Trend> Trends(const std::string& viewer, const TrendQuery& query) const;

  std::size_t size() const;           // reports applied (pending ones are not counted)
  std::size_t memory_bytes() const;   // heap bytes of the columns (counted, not measured)

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace markaz::analytics
