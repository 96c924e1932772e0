#include "cluster/flat_multimap.h"

#include <algorithm>
#include <bit>
#include <iterator>

namespace markaz::cluster {

FlatMultiMap::FlatMultiMap() : heads_(2 * kTailMax, kNone) {
  tail_.reserve(kTailMax);
  next_.reserve(kTailMax);
}

void FlatMultiMap::Insert(std::uint32_t key, std::uint32_t doc) {
  TailInsert((std::uint64_t{key} << 32) | doc);
  if (tail_.size() >= kTailMax) FlushTail();
}

void FlatMultiMap::TailInsert(std::uint64_t entry) {
  std::uint32_t& head = heads_[Slot(static_cast<std::uint32_t>(entry >> 32))];
  next_.push_back(head);
  head = static_cast<std::uint32_t>(tail_.size());
  tail_.push_back(entry);
}

void FlatMultiMap::ClearTail() {
  tail_.clear();
  next_.clear();
  std::fill(heads_.begin(), heads_.end(), kNone);
}

void FlatMultiMap::FlushTail() {
  std::vector<std::uint64_t> fresh = tail_;
  std::sort(fresh.begin(), fresh.end());
  ClearTail();
  small_.MergeFrom(&fresh);
  if (small_.entries.size() >= std::max(kSmallMin, large_.entries.size() / 4)) {
    std::vector<std::uint64_t> moved;
    moved.swap(small_.entries);
    small_.RebuildDirectory();
    large_.MergeFrom(&moved);
  }
}

void FlatMultiMap::Run::MergeFrom(std::vector<std::uint64_t>* sorted) {
  std::vector<std::uint64_t> merged;
  merged.reserve(entries.size() + sorted->size());
  std::merge(entries.begin(), entries.end(), sorted->begin(), sorted->end(),
             std::back_inserter(merged));
  entries.swap(merged);
  std::vector<std::uint64_t>().swap(*sorted);
  RebuildDirectory();
}

void FlatMultiMap::Run::RebuildDirectory() {
  // About four entries per directory slot: ~1 byte per entry, one short scan per lookup.
  const std::size_t slots = std::max<std::size_t>(2, std::bit_ceil(entries.size() / 4 + 1));
  bits = std::min(24, std::countr_zero(slots));
  const std::size_t n = std::size_t{1} << bits;
  dir.assign(n + 1, 0);
  std::size_t i = 0;
  for (std::size_t d = 0; d < n; ++d) {
    dir[d] = static_cast<std::uint32_t>(i);
    while (i < entries.size() && ((entries[i] >> 32) >> (32 - bits)) == d) ++i;
  }
  dir[n] = static_cast<std::uint32_t>(entries.size());
}

std::size_t FlatMultiMap::Run::bytes() const {
  return entries.capacity() * sizeof(std::uint64_t) + dir.capacity() * sizeof(std::uint32_t);
}

void FlatMultiMap::EraseFrom(std::uint32_t doc) {
  auto gone = [doc](std::uint64_t e) { return static_cast<std::uint32_t>(e) >= doc; };
  std::vector<std::uint64_t> keep;
  for (std::uint64_t e : tail_) {
    if (!gone(e)) keep.push_back(e);
  }
  ClearTail();
  for (std::uint64_t e : keep) TailInsert(e);
  for (Run* run : {&small_, &large_}) {
    const std::size_t before = run->entries.size();
    run->entries.erase(std::remove_if(run->entries.begin(), run->entries.end(), gone),
                       run->entries.end());
    if (run->entries.size() != before) run->RebuildDirectory();
  }
}

std::size_t FlatMultiMap::bytes() const {
  return large_.bytes() + small_.bytes() + tail_.capacity() * sizeof(std::uint64_t) +
         next_.capacity() * sizeof(std::uint32_t) + heads_.capacity() * sizeof(std::uint32_t);
}

}  // namespace markaz::cluster
