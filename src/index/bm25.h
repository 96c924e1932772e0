// The BM25 expression of searcher.h, written once for the searcher's scores and its upper
// bounds (private to index/). The operations and their order are the header's, so that a
// brute-force scorer writing the same expression gets the same bits.
#pragma once

#include <cmath>
#include <cstdint>

#include "index/searcher.h"

namespace markaz::index::internal {

// idf(t) = ln(1 + (N − df + 0.5) / (df + 0.5)); positive for every df ≤ N.
inline double Bm25Idf(std::uint64_t doc_count, std::uint64_t doc_freq) {
  const double n = static_cast<double>(doc_count);
  const double df = static_cast<double>(doc_freq);
  return std::log(1.0 + (n - df + 0.5) / (df + 0.5));
}

// k1 · (1 − b + b · len / avglen): the per-document part of the denominator.
inline double Bm25Norm(std::uint32_t length, double avglen) {
  return kBm25K1 * (1 - kBm25B + kBm25B * static_cast<double>(length) / avglen);
}

// idf · tf · (k1 + 1) / (tf + norm). Non-decreasing in tf and in idf, non-increasing in norm
// (so in length): a posting dominated by an impact (freq ≥ tf, length ≤ its length, segment.h)
// scores at most the impact's score.
inline double Bm25Term(double idf, std::uint32_t freq, double norm) {
  const double tf = static_cast<double>(freq);
  return idf * tf * (kBm25K1 + 1) / (tf + norm);
}

}  // namespace markaz::index::internal
