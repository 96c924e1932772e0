// Per-viewer search over a snapshot of segments (issue 5, docs/search.md): exact top-k by
// block-max WAND under `match AND visible(reader) AND filters`, totals and facets counted over
// visible documents only, stable cursors.
//
// Scoring: BM25 (k1 = 1.2, b = 0.75) with the statistics of what the reader may see among
// documents with seq ≤ as_of (N, df, average length): a document the reader cannot see
// changes nothing in its answers: hits, scores, totals, facets or cursors (DESIGN.md §2
// rule 5). Frequencies and lengths are weighted (document.h: title occurrences count
// kTitleWeight). For each scored term t (Query::ScoredTerms(), in that order) present in d:
//   idf(t)   = ln(1 + (N − df + 0.5) / (df + 0.5))
//   score   += idf(t) · tf · (k1 + 1) / (tf + k1 · (1 − b + b · len(d) / avglen))
// summed in double, in term order, so that a brute-force scorer gets the same bits.
// Order: score descending, then seq descending (newest first). A query without text scores 0
// for every document: newest first.
//
// Thread-safety: Search() is a pure function of its arguments.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "index/query.h"
#include "index/segment.h"
#include "index/visibility.h"

namespace markaz::index {

inline constexpr double kBm25K1 = 1.2;
inline constexpr double kBm25B = 0.75;

// One segment as a search sees it. Snapshots list segments in ascending seq order.
struct SegmentView {
  std::shared_ptr<const Segment> segment;
  std::shared_ptr<const Visibility> visibility;
};

// Where a page ended: the next page holds the hits strictly after (score, seq) in result
// order, among documents with seq ≤ as_of_seq, scored with the same statistics.
struct Cursor {
  std::int64_t as_of_seq = 0;
  double score = 0;
  std::int64_t seq = 0;
  bool operator==(const Cursor&) const = default;
};

struct SearchRequest {
  Query query;
  std::string reader;   // the principal whose visibility applies (an org id)
  std::size_t limit = 20;                 // 1..1000
  std::optional<Cursor> after;            // a page after this one
  std::vector<std::string> facets;        // keyword columns to count
  std::size_t facet_limit = 10;           // top values per facet
};

struct Hit {
  std::string key;
  std::int64_t seq = 0;
  double score = 0;
};

struct FacetValue {
  std::string value;
  std::uint64_t count = 0;
  bool operator==(const FacetValue&) const = default;
};

struct SearchResult {
  std::uint64_t total = 0;  // visible matching documents (≤ as_of)
  std::vector<Hit> hits;
  // column → values by count descending, then value ascending; at most facet_limit.
  std::map<std::string, std::vector<FacetValue>> facets;
  std::optional<Cursor> next;  // set when more hits follow this page
  // The request's cursor's as_of_seq, else the highest seq the reader can see (never a global
  // maximum: that would move whenever someone else's report arrives, an oracle). `next`
  // carries it.
  std::int64_t as_of_seq = 0;
};

// The statistics a reader's scores use (exposed for the brute-force reference in tests).
struct ReaderStats {
  std::uint64_t doc_count = 0;
  std::uint64_t total_length = 0;
};

SearchResult Search(std::span<const SegmentView> segments, const SearchRequest& request);

}  // namespace markaz::index
