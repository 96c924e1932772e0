// FlatMultiMap against a std::multimap: through tail flushes, run merges and erasures.
#include "cluster/flat_multimap.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <vector>

namespace markaz::cluster {
namespace {

std::vector<std::uint32_t> Docs(const FlatMultiMap& m, std::uint32_t key) {
  std::vector<std::uint32_t> out;
  const std::size_t n = m.ForEach(key, [&](std::uint32_t d) { out.push_back(d); });
  EXPECT_EQ(n, out.size());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::uint32_t> Docs(const std::multimap<std::uint32_t, std::uint32_t>& m,
                                std::uint32_t key) {
  std::vector<std::uint32_t> out;
  auto [b, e] = m.equal_range(key);
  for (auto it = b; it != e; ++it) out.push_back(it->second);
  std::sort(out.begin(), out.end());
  return out;
}

TEST(FlatMultiMap, MatchesAMultimapThroughFlushesMergesAndErasures) {
  std::mt19937_64 rng(3);
  FlatMultiMap flat;
  std::multimap<std::uint32_t, std::uint32_t> reference;
  std::vector<std::uint32_t> keys;
  // 300k entries: the tail flushes ~36 times and the small run merges into the large one.
  // Keys: a few hot ones (long posting lists), many rare ones, and the extremes.
  std::uint32_t doc = 0;
  for (int i = 0; i < 300000; ++i) {
    if (i % 3 == 0) ++doc;
    std::uint32_t key;
    switch (rng() % 4) {
      case 0:
        key = static_cast<std::uint32_t>(rng() % 16);
        break;
      case 1:
        key = 0xFFFFFFF0u + static_cast<std::uint32_t>(rng() % 16);
        break;
      default:
        key = static_cast<std::uint32_t>(rng());
    }
    flat.Insert(key, doc);
    reference.emplace(key, doc);
    if (i % 997 == 0) keys.push_back(key);
  }
  ASSERT_EQ(flat.size(), reference.size());
  keys.push_back(12345);  // absent
  for (std::uint32_t k : {0u, 7u, 0xFFFFFFFFu, 0xFFFFFFF3u}) keys.push_back(k);
  for (std::uint32_t k : keys) ASSERT_EQ(Docs(flat, k), Docs(reference, k)) << k;
  EXPECT_EQ(flat.Count(5), reference.count(5));

  // Dropping the newest docs (a discarded batch) reaches entries in every level.
  const std::uint32_t from = doc - 5000;
  flat.EraseFrom(from);
  std::erase_if(reference, [from](const auto& kv) { return kv.second >= from; });
  ASSERT_EQ(flat.size(), reference.size());
  for (std::uint32_t k : keys) ASSERT_EQ(Docs(flat, k), Docs(reference, k)) << k;
  // And inserting goes on as before.
  flat.Insert(7, from);
  reference.emplace(7, from);
  EXPECT_EQ(Docs(flat, 7), Docs(reference, 7));
  EXPECT_GT(flat.bytes(), flat.size() * 8);
  EXPECT_LT(flat.bytes(), flat.size() * 12 + (1 << 20));
}

}  // namespace
}  // namespace markaz::cluster
