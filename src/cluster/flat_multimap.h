// A compact multimap from 32-bit keys (hashes) to 32-bit doc numbers, the in-memory form of the
// LSH band tables and the containment samples (docs/stories.md, "Memory").
//
// 8 bytes per entry plus ~1 byte of directory. Entries live in two sorted runs of
// (key << 32 | doc), each with a directory on the key's top bits (a lookup is a cache miss or
// two, not a binary search over millions), and a small chained-hash tail that takes new
// entries: the tail (kTailMax entries, a few hundred KB, stays in cache) is merged into the
// small run, and the small run into the large one once it holds a quarter as many entries
// (or kSmallMin): each entry is copied O(log) times, never once per insert.
// Docs are appended in ascending order; EraseFrom() drops every entry of the docs from a
// number on (a discarded batch).
//
// Not thread-safe; const methods may run concurrently with each other.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace markaz::cluster {

class FlatMultiMap {
 public:
  FlatMultiMap();

  void Insert(std::uint32_t key, std::uint32_t doc);

  // Calls visit(doc) for every entry of `key`, in no set order; returns how many there were.
  template <typename Visit>
  std::size_t ForEach(std::uint32_t key, Visit&& visit) const {
    std::size_t n = large_.ForEach(key, visit) + small_.ForEach(key, visit);
    for (std::uint32_t i = heads_[Slot(key)]; i != kNone; i = next_[i]) {
      const std::uint64_t e = tail_[i];
      if ((e >> 32) == key) {
        visit(static_cast<std::uint32_t>(e));
        ++n;
      }
    }
    return n;
  }

  // Lookups of many keys overlap their cache misses when each key is passed to PrefetchSlots,
  // then PrefetchEntries, then ForEach, each stage over all keys before the next.
  void PrefetchSlots(std::uint32_t key) const {
    large_.PrefetchSlot(key);
    small_.PrefetchSlot(key);
    __builtin_prefetch(&heads_[Slot(key)]);
  }
  void PrefetchEntries(std::uint32_t key) const {
    large_.PrefetchEntries(key);
    small_.PrefetchEntries(key);
  }

  std::size_t Count(std::uint32_t key) const {
    return ForEach(key, [](std::uint32_t) {});
  }

  // Removes every entry whose doc is ≥ `doc`.
  void EraseFrom(std::uint32_t doc);

  std::size_t size() const { return large_.entries.size() + small_.entries.size() + tail_.size(); }
  std::size_t bytes() const;

 private:
  // A sorted run with its directory.
  struct Run {
    std::vector<std::uint64_t> entries;  // sorted
    std::vector<std::uint32_t> dir;      // 2^bits + 1 offsets into entries
    int bits = 1;

    template <typename Visit>
    std::size_t ForEach(std::uint32_t key, Visit& visit) const {
      if (entries.empty()) return 0;
      const std::size_t d = key >> (32 - bits);
      std::size_t i = dir[d];
      const std::size_t end = dir[d + 1];
      if (end - i > 16) {  // a crowded slot (keys are hashes: rare): binary search
        const std::uint64_t first = std::uint64_t{key} << 32;
        i = static_cast<std::size_t>(
            std::lower_bound(entries.begin() + static_cast<std::ptrdiff_t>(i),
                             entries.begin() + static_cast<std::ptrdiff_t>(end), first) -
            entries.begin());
      }
      std::size_t n = 0;
      for (; i < end; ++i) {
        const std::uint64_t e = entries[i];
        if ((e >> 32) > key) break;
        if ((e >> 32) == key) {
          visit(static_cast<std::uint32_t>(e));
          ++n;
        }
      }
      return n;
    }
    void PrefetchSlot(std::uint32_t key) const {
      if (!entries.empty()) __builtin_prefetch(&dir[key >> (32 - bits)]);
    }
    void PrefetchEntries(std::uint32_t key) const {
      if (!entries.empty()) __builtin_prefetch(&entries[dir[key >> (32 - bits)]]);
    }
    void MergeFrom(std::vector<std::uint64_t>* sorted);  // empties *sorted
    void RebuildDirectory();
    std::size_t bytes() const;
  };

  static constexpr std::uint32_t kNone = ~std::uint32_t{0};
  static constexpr int kTailBits = 13;
  static constexpr std::size_t kTailMax = std::size_t{1} << kTailBits;
  static constexpr std::size_t kSmallMin = std::size_t{1} << 18;

  static std::size_t Slot(std::uint32_t key) {
    return static_cast<std::size_t>((std::uint64_t{key} * 0x9E3779B97F4A7C15ULL) >>
                                    (64 - kTailBits - 1));
  }
  void TailInsert(std::uint64_t entry);
  void ClearTail();
  void FlushTail();

  Run large_;
  Run small_;
  // The tail: entries in arrival order, chained by hash slot (2 × kTailMax slots), so a lookup
  // walks only the entries of its own slot.
  std::vector<std::uint64_t> tail_;
  std::vector<std::uint32_t> next_;   // per tail entry, kNone = end of chain
  std::vector<std::uint32_t> heads_;  // per slot, kNone = empty
};

}  // namespace markaz::cluster
