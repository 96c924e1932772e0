// Impacts (segment.h, docs/index-format.md "Impacts"): building the list of (freq, length)
// pairs that bounds a block or a whole postings list, and its byte form. Private to the
// segment writer (segment_builder.cc) and reader (postings_iterator.cc).
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "index/codec.h"
#include "index/segment.h"

namespace markaz::index::impacts {

// The Pareto front of `pairs` (reordered in place): the pairs no other pair dominates (freq ≥
// and length ≤, one of them strictly), one per (freq, length), ascending in freq and strictly
// ascending in length. Empty for no pairs.
std::vector<Impact> ParetoFront(std::span<Impact> pairs);

// Narrows a front to at most kMaxImpacts pairs by merging neighbours (f1, l1), (f2, l2) into
// (f2, l1), which dominates both, so the list still bounds what the front bounded and stays
// strictly ascending. Each step merges the neighbours whose merged pair scores least under
// BM25 at `reference_length` as avgdl (the segment's mean length): the bound grows least where
// searches will evaluate it. Deterministic, so a merge writes what WriteSegment writes.
void Narrow(std::vector<Impact>& front, double reference_length);

// Byte form: varint count, then per pair varint freq and varint length, the first as
// themselves, the others as the difference from the previous pair minus one (both strictly
// ascending).
void Encode(std::span<const Impact> list, std::string* out);

// Reads a list written by Encode at *p into out (room for kMaxImpacts) and moves *p past it;
// returns the count.
inline std::uint32_t Decode(const unsigned char** p, Impact* out) {
  const std::uint32_t count = codec::GetVarint32(p);
  std::uint32_t freq = 0;
  std::uint32_t length = 0;
  for (std::uint32_t i = 0; i < count; ++i) {
    const std::uint32_t df = codec::GetVarint32(p);
    const std::uint32_t dl = codec::GetVarint32(p);
    freq = i == 0 ? df : freq + df + 1;
    length = i == 0 ? dl : length + dl + 1;
    // The writer never stores more; the guard keeps a writer bug from overrunning `out`.
    if (i < kMaxImpacts) out[i] = {freq, length};
  }
  return count < kMaxImpacts ? count : kMaxImpacts;
}

}  // namespace markaz::index::impacts
