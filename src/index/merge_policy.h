// Which segments to merge (index.h MergePolicy): a pure function from the live segments'
// sizes, oldest first, to runs of adjacent segments. Only adjacent segments merge, so a merged
// segment still holds one contiguous seq range and the snapshot stays in seq order.
//
// The rule is Lucene's LogMergePolicy (the adjacent-only one), counted in documents:
//   level(s) = log(max(docs(s), kMinMergeDocs)) / log(segments_per_tier)
// From the oldest segment on: take the highest level L among the remaining segments; the
// segments down to the last one whose level is ≥ L − 0.75 form this tier (all segments below
// the floor level are one tier); within the tier, each run of segments_per_tier adjacent
// segments none of which holds more than max_merged_docs is merged; the next tier starts
// after the last segment of this one.
//
// Thread-safety: pure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "index/index.h"

namespace markaz::index {

// Segments smaller than this count as this size (Lucene's default floor): tiny flushes all
// sit on one level and merge together instead of each forming its own tier.
inline constexpr std::uint64_t kMinMergeDocs = 1000;

// A run of adjacent segments [begin, begin + count).
struct MergeRun {
  std::size_t begin = 0;
  std::size_t count = 0;
  bool operator==(const MergeRun&) const = default;
};

// The runs to merge now, ascending and disjoint; empty when nothing is due. A
// segments_per_tier below 2 is taken as 2.
std::vector<MergeRun> PickMerges(std::span<const std::uint64_t> segment_docs,
                                 const MergePolicy& policy);

}  // namespace markaz::index
