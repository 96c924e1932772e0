// An append-only array in fixed chunks of 2^16 elements: growing never copies what is there
// (no 2× peak while a 40 MB column reallocates) and wastes at most one chunk, where a
// std::vector may hold up to twice its size. Element access costs one shift, one mask and one
// more load than a vector's (the chunk table is small and stays in cache).
//
// Thread-safety: none; the owner locks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace markaz::analytics {

template <typename T>
class ChunkedVector {
 public:
  static constexpr std::size_t kShift = 16;
  static constexpr std::size_t kChunk = std::size_t{1} << kShift;

  void push_back(T value) {
    if (size_ == chunks_.size() * kChunk) {
      chunks_.push_back(std::make_unique_for_overwrite<T[]>(kChunk));
    }
    (*this)[size_++] = value;
  }
  T& operator[](std::size_t i) { return chunks_[i >> kShift][i & (kChunk - 1)]; }
  const T& operator[](std::size_t i) const { return chunks_[i >> kShift][i & (kChunk - 1)]; }
  // Drops the elements from `n` on (n ≤ size()); the chunks stay allocated.
  void truncate(std::size_t n) { size_ = n; }
  std::size_t size() const { return size_; }
  std::size_t memory_bytes() const {
    return chunks_.size() * kChunk * sizeof(T) +
           chunks_.capacity() * sizeof(std::unique_ptr<T[]>);
  }

 private:
  std::vector<std::unique_ptr<T[]>> chunks_;
  std::size_t size_ = 0;
};

}  // namespace markaz::analytics
