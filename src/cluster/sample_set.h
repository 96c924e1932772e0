// The set of stop samples of story assignment (story_assigner.cc): 32-bit shingle hashes that
// are all even (samples are ≡ 0 mod an even modulus), so `hash | 1` is never 0 and 0 marks a
// free slot. Open addressing, linear probing, load ≤ 1/2: it is looked up for every sample of
// every report, one probe into a flat array rather than a node-based set.
//
// Not thread-safe; const methods may run concurrently with each other.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace markaz::cluster {

class SampleSet {
 public:
  SampleSet() : slots_(1024, 0) {}
  void Prefetch(std::uint32_t key) const { __builtin_prefetch(&slots_[Slot(key | 1)]); }
  bool contains(std::uint32_t key) const {
    const std::uint32_t v = key | 1;
    for (std::size_t i = Slot(v);; i = (i + 1) & (slots_.size() - 1)) {
      if (slots_[i] == v) return true;
      if (slots_[i] == 0) return false;
    }
  }
  void insert(std::uint32_t key) {
    if (2 * (size_ + 1) > slots_.size()) Rebuild(slots_.size() * 2, {});
    Put(key | 1);
  }
  // Removes `keys` (a discarded batch's): rebuilt without them.
  void erase(const std::vector<std::uint32_t>& keys) {
    if (!keys.empty()) Rebuild(slots_.size(), keys);
  }
  std::size_t size() const { return size_; }
  std::size_t bytes() const { return slots_.capacity() * sizeof(std::uint32_t); }

 private:
  std::size_t Slot(std::uint32_t v) const {
    return static_cast<std::size_t>((std::uint64_t{v} * 0x9E3779B97F4A7C15ULL) >> 40) &
           (slots_.size() - 1);
  }
  void Put(std::uint32_t v) {
    std::size_t i = Slot(v);
    while (slots_[i] != 0 && slots_[i] != v) i = (i + 1) & (slots_.size() - 1);
    if (slots_[i] == 0) ++size_;
    slots_[i] = v;
  }
  void Rebuild(std::size_t capacity, const std::vector<std::uint32_t>& without) {
    std::vector<std::uint32_t> old(capacity, 0);
    old.swap(slots_);
    size_ = 0;
    for (std::uint32_t v : old) {
      if (v != 0 && std::find(without.begin(), without.end(), v & ~1u) == without.end()) Put(v);
    }
  }

  std::vector<std::uint32_t> slots_;
  std::size_t size_ = 0;
};

}  // namespace markaz::cluster
