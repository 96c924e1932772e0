#include "index/merge_policy.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace markaz::index {
namespace {

std::vector<std::uint64_t> Repeat(std::uint64_t docs, std::size_t n) {
  return std::vector<std::uint64_t>(n, docs);
}

std::vector<std::uint64_t> Concat(std::initializer_list<std::vector<std::uint64_t>> parts) {
  std::vector<std::uint64_t> out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

TEST(MergePolicy, Table) {
  struct Case {
    const char* name;
    std::vector<std::uint64_t> docs;  // oldest first
    MergePolicy policy;
    std::vector<MergeRun> want;
  };
  const MergePolicy eight{8, 5'000'000};
  const MergePolicy two{2, 5'000'000};
  const Case cases[] = {
      {"no segments", {}, eight, {}},
      {"one segment", {100}, eight, {}},
      {"a tier one short", Repeat(100, 7), eight, {}},
      {"a full tier of small flushes", Repeat(100, 8), eight, {{0, 8}}},
      {"two full tiers and a rest", Repeat(100, 17), eight, {{0, 8}, {8, 8}}},
      // Below kMinMergeDocs every size is one level: 1 and 999 merge together.
      {"sizes under the floor are one tier", {1, 999, 5, 700, 3, 1, 1, 1}, eight, {{0, 8}}},
      // A big old segment is its own tier; the small ones after it merge among themselves.
      {"big segment then small ones", Concat({{8000}, Repeat(100, 8)}), eight, {{1, 8}}},
      // Adjacency: small segments before a big one never merge with those after it.
      {"small ones on both sides of a big one",
       Concat({Repeat(100, 3), {8000}, Repeat(100, 8)}),
       eight,
       {{4, 8}}},
      {"too few on both sides of a big one",
       Concat({Repeat(100, 4), {8000}, Repeat(100, 4)}),
       eight,
       {}},
      // Sizes straddling a power of 8 (4096) still count as one tier (the 0.75-level band).
      {"straddling a tier boundary", Concat({{5000}, Repeat(3000, 7)}), eight, {{0, 8}}},
      {"the next tier up", Concat({Repeat(8000, 8), Repeat(100, 3)}), eight, {{0, 8}}},
      {"factor two", {1000, 1000, 1000}, two, {{0, 2}}},
      {"factor two, a larger one first", {2000, 1000, 1000}, two, {{1, 2}}},
      {"factor below two is two", {10, 10}, MergePolicy{1, 5'000'000}, {{0, 2}}},
      // Segments above max_merged_docs are left alone; the run restarts after them.
      {"over the size limit", Repeat(100, 8), MergePolicy{8, 50}, {}},
      {"an oversized segment inside a run", {100, 6'000'000, 100, 100}, two, {{2, 2}}},
      {"oversized first, its tier skipped", Concat({{10'000'000}, Repeat(100, 3)}), two, {{1, 2}}},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(PickMerges(c.docs, c.policy), c.want) << c.name;
  }
}

// Merging what the policy picks, over and over, keeps the number of segments logarithmic in
// the number of flushes (the point of tiering) and only ever merges adjacent segments.
TEST(MergePolicy, RepeatedFlushesStayLogarithmic) {
  const MergePolicy policy{4, 5'000'000};
  std::vector<std::uint64_t> docs;
  std::size_t max_segments = 0;
  for (int flush = 0; flush < 2000; ++flush) {
    docs.push_back(500);
    for (;;) {
      const std::vector<MergeRun> runs = PickMerges(docs, policy);
      if (runs.empty()) break;
      const MergeRun r = runs.front();
      ASSERT_LE(r.begin + r.count, docs.size());
      std::uint64_t sum = 0;
      for (std::size_t i = r.begin; i < r.begin + r.count; ++i) sum += docs[i];
      docs.erase(docs.begin() + static_cast<std::ptrdiff_t>(r.begin),
                 docs.begin() + static_cast<std::ptrdiff_t>(r.begin + r.count));
      docs.insert(docs.begin() + static_cast<std::ptrdiff_t>(r.begin), sum);
    }
    max_segments = std::max(max_segments, docs.size());
  }
  std::uint64_t total = 0;
  for (std::uint64_t d : docs) total += d;
  EXPECT_EQ(total, 2000u * 500u);
  // log4(2000) ≈ 5.5 tiers of at most 3 waiting segments each.
  EXPECT_LE(max_segments, 24u);
}

}  // namespace
}  // namespace markaz::index
