#include "index/merge_policy.h"

#include <algorithm>
#include <cmath>

namespace markaz::index {

namespace {
// Lucene's LEVEL_LOG_SPAN: segments within 0.75 of a level of the largest count as its tier,
// so sizes that straddle a power of segments_per_tier still merge together.
constexpr double kLevelSpan = 0.75;
}  // namespace

std::vector<MergeRun> PickMerges(std::span<const std::uint64_t> segment_docs,
                                 const MergePolicy& policy) {
  const std::size_t factor = std::max<std::size_t>(2, policy.segments_per_tier);
  const double norm = std::log(static_cast<double>(factor));
  const double floor_level = std::log(static_cast<double>(kMinMergeDocs)) / norm;
  const std::size_t n = segment_docs.size();
  std::vector<double> level(n);
  for (std::size_t i = 0; i < n; ++i) {
    level[i] = std::log(static_cast<double>(std::max(segment_docs[i], kMinMergeDocs))) / norm;
  }

  std::vector<MergeRun> runs;
  std::size_t start = 0;
  while (start < n) {
    const double max_level =
        *std::max_element(level.begin() + static_cast<std::ptrdiff_t>(start), level.end());
    // Everything at the floor is one tier; above it, the band just under the largest level.
    double bottom = max_level <= floor_level ? -1.0 : max_level - kLevelSpan;
    if (max_level > floor_level && bottom < floor_level) bottom = floor_level;
    std::size_t upto = n - 1;  // the tier ends at the last segment at or above `bottom`
    while (upto > start && level[upto] < bottom) --upto;

    std::size_t begin = start;
    while (begin + factor <= upto + 1) {
      // A segment over the size limit is never rewritten: the run restarts after it.
      std::size_t too_large_at = n;
      for (std::size_t i = begin; i < begin + factor; ++i) {
        if (segment_docs[i] > policy.max_merged_docs) too_large_at = i;
      }
      if (too_large_at != n) {
        begin = too_large_at + 1;
        continue;
      }
      runs.push_back({begin, factor});
      begin += factor;
    }
    start = upto + 1;
  }
  return runs;
}

}  // namespace markaz::index
