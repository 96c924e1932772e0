// Search in four steps, each over what the reader may see among documents with seq ≤ as_of:
// (1) the visible docs per segment, (2) the BM25 statistics, (3) the matching set per segment,
// whose cardinalities are the total and over which facets are counted, (4) the top-k. Nothing
// outside the reader's visible set is ever counted, so a document the reader cannot see moves
// no number in the answer (DESIGN.md §2 rule 5).
#include "index/searcher.h"

#include <roaring/roaring.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "index/bm25.h"
#include "index/match_set.h"
#include "index/searcher_internal.h"
#include "index/top_k.h"

namespace markaz::index {
namespace internal {
namespace {

constexpr std::size_t kMaxLimit = 1000;
// Columns with at most this many values in a segment are counted by bitmap intersections;
// larger ones by walking the matching set's per-document ordinals.
constexpr std::uint32_t kFacetIntersectMax = 32;

struct SegmentState {
  const Segment* segment = nullptr;
  Roaring visible;  // the reader's docs with seq ≤ as_of
  Roaring match;
  std::unique_ptr<TermDocs> terms;
};

// The highest seq the reader sees in any segment: what a first page is as of. Never the
// snapshot's maximum, which would reveal that invisible documents exist.
std::int64_t HighestVisibleSeq(std::span<const SegmentView> segments, std::string_view reader) {
  std::int64_t highest = 0;
  for (const SegmentView& view : segments) {
    const ReaderDocs* docs = view.visibility ? view.visibility->Find(reader) : nullptr;
    if (docs == nullptr || docs->docs.isEmpty()) continue;
    highest = std::max(highest, view.segment->seq(docs->docs.maximum()));
  }
  return highest;
}

void CountFacet(const Segment& segment, const Roaring& match, std::string_view column_name,
                std::map<std::string, std::uint64_t, std::less<>>& counts) {
  const KeywordColumn* column = segment.keyword_column(column_name);
  if (column == nullptr || match.isEmpty()) return;
  const std::uint32_t values = column->value_count();
  std::vector<std::uint64_t> per_ordinal(values, 0);
  if (values <= kFacetIntersectMax) {
    for (std::uint32_t ord = 0; ord < values; ++ord) {
      per_ordinal[ord] = column->Docs(ord).and_cardinality(match);
    }
  } else {
    for (std::uint32_t doc : match) {
      for (std::uint32_t ord : column->Ordinals(doc)) ++per_ordinal[ord];
    }
  }
  for (std::uint32_t ord = 0; ord < values; ++ord) {
    if (per_ordinal[ord] == 0) continue;
    auto it = counts.find(column->value(ord));
    if (it == counts.end()) it = counts.emplace(std::string(column->value(ord)), 0).first;
    it->second += per_ordinal[ord];
  }
}

std::vector<FacetValue> TopFacetValues(const std::map<std::string, std::uint64_t, std::less<>>& counts,
                                       std::size_t limit) {
  std::vector<FacetValue> values;
  values.reserve(counts.size());
  for (const auto& [value, count] : counts) values.push_back({value, count});
  const auto order = [](const FacetValue& a, const FacetValue& b) {
    if (a.count != b.count) return a.count > b.count;
    return a.value < b.value;
  };
  const std::size_t keep = std::min(limit, values.size());
  std::partial_sort(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(keep),
                    values.end(), order);
  values.resize(keep);
  return values;
}

}  // namespace

SearchResult Search(std::span<const SegmentView> segments, const SearchRequest& request,
                    const TopKOptions& options) {
  SearchResult result;
  const std::size_t limit = std::clamp<std::size_t>(request.limit, 1, kMaxLimit);
  const std::int64_t as_of = request.after ? request.after->as_of_seq
                                           : HighestVisibleSeq(segments, request.reader);
  result.as_of_seq = as_of;

  // 1. Visible documents per segment, and N and the total length over them.
  std::vector<SegmentState> states(segments.size());
  std::uint64_t doc_count = 0;
  std::uint64_t total_length = 0;
  for (std::size_t s = 0; s < segments.size(); ++s) {
    const SegmentView& view = segments[s];
    const ReaderDocs* docs = view.visibility ? view.visibility->Find(request.reader) : nullptr;
    if (docs == nullptr || docs->docs.isEmpty()) continue;
    const Segment& segment = *view.segment;
    const std::uint32_t end = DocsBefore(segment, as_of == std::numeric_limits<std::int64_t>::max()
                                                      ? as_of
                                                      : as_of + 1);
    if (end == 0) continue;
    SegmentState& state = states[s];
    state.segment = &segment;
    state.visible = docs->docs;
    std::uint64_t length = docs->total_length;
    if (end < segment.doc_count() && docs->docs.maximum() >= end) {
      // Newer than as_of (a later page of an older search): out of this search altogether.
      roaring_uint32_iterator_t it;
      roaring_init_iterator(&docs->docs.roaring, &it);
      roaring_move_uint32_iterator_equalorlarger(&it, end);
      for (; it.has_value; roaring_advance_uint32_iterator(&it)) {
        length -= segment.length(it.current_value);
      }
      roaring_bitmap_remove_range(&state.visible.roaring, end, std::uint64_t{kNoMoreDocs} + 1);
    }
    doc_count += state.visible.cardinality();
    total_length += length;
    state.terms = std::make_unique<TermDocs>(segment);
  }
  if (doc_count == 0) {
    for (const std::string& f : request.facets) result.facets[f];
    return result;
  }

  // 2. Statistics of the scored terms over the visible documents.
  const std::vector<std::string> scored = request.query.ScoredTerms();
  const double avglen = static_cast<double>(total_length) / static_cast<double>(doc_count);
  std::vector<QueryTerm> query_terms;
  for (const std::string& term : scored) {
    std::uint64_t df = 0;
    for (SegmentState& state : states) {
      if (state.segment == nullptr || !state.terms->Info(term)) continue;
      df += state.terms->Docs(term).and_cardinality(state.visible);
    }
    query_terms.push_back({&term, Bm25Idf(doc_count, df)});
  }

  // 3. Matching sets, the total and the facets.
  std::vector<std::map<std::string, std::uint64_t, std::less<>>> facet_counts(
      request.facets.size());
  for (SegmentState& state : states) {
    if (state.segment == nullptr) continue;
    state.match = MatchSet(*state.segment, *state.terms, request.query, state.visible);
    result.total += state.match.cardinality();
    for (std::size_t f = 0; f < request.facets.size(); ++f) {
      CountFacet(*state.segment, state.match, request.facets[f], facet_counts[f]);
    }
  }
  for (std::size_t f = 0; f < request.facets.size(); ++f) {
    result.facets[request.facets[f]] = TopFacetValues(facet_counts[f], request.facet_limit);
  }

  // 4. The top limit + 1 (the extra one says whether a next page exists).
  TopK top(limit + 1, request.after);
  if (request.query.has_text()) {
    std::vector<ScoredSegment> scored_segments;
    for (std::size_t s = 0; s < states.size(); ++s) {
      SegmentState& state = states[s];
      if (state.segment == nullptr) continue;
      scored_segments.push_back(
          {state.segment, static_cast<std::uint32_t>(s), state.terms.get(), &state.match});
    }
    CollectScored(scored_segments, query_terms, avglen, options, top);
  } else {
    for (std::size_t s = states.size(); s-- > 0;) {
      const SegmentState& state = states[s];
      if (state.segment == nullptr) continue;
      CollectNewest(*state.segment, static_cast<std::uint32_t>(s), state.match, top);
    }
  }
  std::vector<Candidate> best = std::move(top).Take();
  const bool more = best.size() > limit;
  if (more) best.resize(limit);
  for (const Candidate& c : best) {
    result.hits.push_back({std::string(states[c.segment].segment->key(c.doc)), c.seq, c.score});
  }
  if (more) result.next = Cursor{as_of, best.back().score, best.back().seq};
  return result;
}

}  // namespace internal

SearchResult Search(std::span<const SegmentView> segments, const SearchRequest& request) {
  return internal::Search(segments, request, internal::TopKOptions{});
}

}  // namespace markaz::index
