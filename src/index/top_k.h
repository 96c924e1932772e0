// The top-k of one search (private to index/): a bounded heap in result order (score
// descending, then seq descending) that admits only hits strictly after the cursor, and the two
// loops that feed it from a segment: block-max WAND over the scored terms' postings (Ding &
// Suel 2011), or exhaustive scoring when the matching set is small, and newest-first for
// queries without text. Every admitted document is a member of the matching set and gets its
// exact score; pruning only skips documents that provably cannot enter the heap.
#pragma once

#include <roaring/roaring.hh>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <unordered_set>
#include <vector>

#include "index/match_set.h"
#include "index/searcher.h"
#include "index/segment.h"

namespace markaz::index::internal {

struct Candidate {
  double score = 0;
  std::int64_t seq = 0;
  std::uint32_t segment = 0;  // index into the search's segments
  std::uint32_t doc = 0;
};

class TopK {
 public:
  TopK(std::size_t k, std::optional<Cursor> after) : k_(k), after_(after) {}

  // Whether (score, seq) comes strictly after the cursor in result order.
  bool After(double score, std::int64_t seq) const;
  // Whether a document scoring at most `bound` could still enter. Errs on the side of yes by
  // a relative 1e-9 so that rounding in a sum of bounds never prunes an exact tie.
  bool MayEnter(double bound) const;
  bool Full() const { return heap_.size() >= k_; }
  // Whether a document with exactly this score could enter (ties enter by seq).
  bool Admits(double score) const;
  // Keeps c when it is among the best k so far; false when it was rejected.
  bool Offer(const Candidate& c);
  const std::optional<Cursor>& after() const { return after_; }
  // The kept candidates, best first.
  std::vector<Candidate> Take() &&;

 private:
  std::size_t k_;
  std::optional<Cursor> after_;
  std::vector<Candidate> heap_;  // worst on top
  std::unordered_set<std::uint64_t> members_;  // (segment << 32 | doc) of heap_
};

// One scored term: its stem and its idf over what the reader may see.
struct QueryTerm {
  const std::string* term = nullptr;
  double idf = 0;
};

struct TopKOptions {
  // Score every member of a matching set this small instead of running WAND.
  std::size_t exhaustive_max = 4096;
};

// One segment of a scored search: its matching set and term doc sets.
struct ScoredSegment {
  const Segment* segment = nullptr;
  std::uint32_t index = 0;  // into the search's segments (Candidate::segment)
  TermDocs* terms = nullptr;
  const Roaring* match = nullptr;
};

// Offers the best members of each segment's matching set for the scored terms (in
// ScoredTerms order): exhaustively where the set is small, else by block-max WAND after a
// warm start on the highest-bound blocks. Bounds are the impacts' (segment.h). With one scored
// term the warm start alone is exact: it takes blocks in descending bound order until none can
// enter, and the walk is skipped.
void CollectScored(std::span<const ScoredSegment> segments,
                   std::span<const QueryTerm> query_terms, double avglen,
                   const TopKOptions& options, TopK& top);

// Offers the segment's newest members of `match`, score 0 (a query without text).
void CollectNewest(const Segment& segment, std::uint32_t segment_index, const Roaring& match,
                   TopK& top);

}  // namespace markaz::index::internal
