// The data behind Analytics: a few columns per report, indexed by a dense ordinal in Add
// order, plus the bitmaps that queries intersect (docs/analytics.md, "Data model").
//
//   per report   time (ms), lang, originator, story, entities (CSR), id (StringTable);
//                next report of the same story (the story's members as a linked list)
//   per org      readers: Roaring of the ordinals it may read (audience ∪ widenings)
//   per entity   postings: Roaring of the ordinals naming it
//   per story    first and last member
//
// Reports are added in ascending store seq, so a higher ordinal is a higher seq: ordinals
// break the ties of a story's report list, and no seq column is kept.
//   per hour     by_hour: Roaring of the ordinals whose time falls in that UTC hour (trends)
//
// Thread-safety: none; Analytics applies under an exclusive lock and queries under a shared one.
#pragma once

#include <roaring/roaring.hh>

#include <cstddef>
#include <cstdint>
#include <map>
#include <vector>

#include "analytics/analytics.h"
#include "analytics/chunked_vector.h"
#include "analytics/string_table.h"

namespace markaz::analytics {

inline constexpr std::uint32_t kNoStory = UINT32_MAX;
inline constexpr std::uint32_t kNoReport = UINT32_MAX;
inline constexpr std::int64_t kHourMs = 3'600'000;

// Floor division (event times may precede 1970).
inline std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

// Calls f(ordinal) for each member of `bitmap`, in ascending order.
template <typename F>
void ForEach(const Roaring& bitmap, F&& f) {
  using Fn = std::remove_reference_t<F>;
  bitmap.iterate(
      [](std::uint32_t value, void* param) {
        (*static_cast<Fn*>(param))(value);
        return true;
      },
      &f);
}

struct Columns {
  // A second Add of a report id already held is ignored (the first wins, as in the store).
  void Add(const ReportFacts& facts);
  // Unknown report ids are ignored.
  void Widen(std::string_view report_id, const core::Audience& added);

  // The reports `org` may read; nullptr when it may read none (an org never named).
  const Roaring* Readers(std::string_view org) const;
  std::size_t size() const { return time.size(); }
  std::size_t story_count() const { return story_first.size(); }
  // Calls f(ordinal) for each member of story `s`, in Add order.
  template <typename F>
  void ForEachMember(std::uint32_t s, F&& f) const {
    for (std::uint32_t d = story_first[s]; d != kNoReport; d = next_in_story[d]) f(d);
  }
  std::size_t memory_bytes() const;

  // Per report (ordinal).
  StringTable report_ids;  // ordinal i ↔ report id
  ChunkedVector<std::int64_t> time;
  ChunkedVector<std::uint32_t> lang;        // into langs
  ChunkedVector<std::uint32_t> originator;  // into orgs
  ChunkedVector<std::uint32_t> story;       // into stories, or kNoStory
  ChunkedVector<std::uint32_t> next_in_story;  // the story's next member, or kNoReport
  ChunkedVector<std::uint64_t> entity_begin;   // entities of i: entity_values[begin[i], begin[i+1])
  ChunkedVector<std::uint32_t> entity_values;  // into entities, ascending per report

  StringTable langs;
  StringTable orgs;
  StringTable stories;
  StringTable entities;

  std::vector<Roaring> readers;                             // by org
  std::vector<Roaring> postings;                            // by entity
  std::vector<std::uint32_t> story_first;                   // by story: first member
  std::vector<std::uint32_t> story_last;                    // by story: last member
  std::map<std::int64_t, Roaring> by_hour;                  // FloorDiv(time, kHourMs) → ordinals
};

}  // namespace markaz::analytics
