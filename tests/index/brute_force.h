// The reference scorer for the search tests: every visible document scored naively from the
// Documents themselves (no segments, no postings, no bitmaps, no pruning), with the BM25
// expression of searcher.h written out again here. Search() must agree with it exactly: hits,
// scores (to the bit), totals, facets and cursors.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "index/document.h"
#include "index/searcher.h"

namespace markaz::index::testing {

// `docs` in ascending seq order; each document's `readers` are its effective readers (as
// written plus any widening).
inline SearchResult BruteForceSearch(std::span<const Document> docs,
                                     const SearchRequest& request) {
  const auto visible = [&](const Document& d) {
    return std::find(d.readers.begin(), d.readers.end(), request.reader) != d.readers.end();
  };
  SearchResult result;
  std::int64_t as_of = 0;
  if (request.after) {
    as_of = request.after->as_of_seq;
  } else {
    for (const Document& d : docs) {
      if (visible(d)) as_of = std::max(as_of, d.seq);
    }
  }
  result.as_of_seq = as_of;

  std::vector<const Document*> seen;  // visible, seq ≤ as_of
  for (const Document& d : docs) {
    if (visible(d) && d.seq <= as_of) seen.push_back(&d);
  }

  const auto length = [](const Document& d) {
    std::uint64_t len = 0;
    for (const DocumentTerm& t : d.terms) len += t.weight;
    return len;
  };
  const auto freq = [](const Document& d, const std::string& term) {
    std::uint64_t f = 0;
    for (const DocumentTerm& t : d.terms) {
      if (t.term == term) f += t.weight;
    }
    return f;
  };
  const auto has_phrase = [](const Document& d, const Phrase& p) {
    for (const DocumentTerm& first : d.terms) {
      if (first.term != p.terms[0]) continue;
      bool all = true;
      for (std::size_t i = 1; i < p.terms.size() && all; ++i) {
        all = std::any_of(d.terms.begin(), d.terms.end(), [&](const DocumentTerm& t) {
          return t.term == p.terms[i] && t.position == first.position + i;
        });
      }
      if (all) return true;
    }
    return false;
  };
  const auto keyword = [](const Document& d, const KeywordFilter& k) {
    for (const KeywordValue& v : d.keywords) {
      if (v.column == k.column &&
          std::find(k.values.begin(), k.values.end(), v.value) != k.values.end()) {
        return true;
      }
    }
    return false;
  };
  const auto in_range = [](const Document& d, const RangeFilter& r) {
    for (const NumberValue& v : d.numbers) {
      if (v.column == r.column) {
        return (!r.min || v.value >= *r.min) && (!r.max || v.value < *r.max);
      }
    }
    return false;
  };
  const auto matches = [&](const Document& d) {
    for (const Group& g : request.query.must) {
      if (std::none_of(g.any.begin(), g.any.end(),
                       [&](const Phrase& p) { return has_phrase(d, p); })) {
        return false;
      }
    }
    for (const Phrase& p : request.query.must_not) {
      if (has_phrase(d, p)) return false;
    }
    for (const KeywordFilter& k : request.query.keywords) {
      if (keyword(d, k) == k.negated) return false;
    }
    for (const RangeFilter& r : request.query.ranges) {
      if (!in_range(d, r)) return false;
    }
    return true;
  };

  const std::uint64_t n = seen.size();
  std::uint64_t total_length = 0;
  for (const Document* d : seen) total_length += length(*d);
  const std::vector<std::string> terms = request.query.ScoredTerms();
  std::vector<double> idf;
  for (const std::string& t : terms) {
    std::uint64_t df = 0;
    for (const Document* d : seen) df += freq(*d, t) > 0 ? 1 : 0;
    idf.push_back(std::log(1.0 + (static_cast<double>(n) - static_cast<double>(df) + 0.5) /
                                     (static_cast<double>(df) + 0.5)));
  }
  const double avglen = n == 0 ? 0 : static_cast<double>(total_length) / static_cast<double>(n);

  std::vector<Hit> hits;
  std::vector<std::map<std::string, std::uint64_t>> counts(request.facets.size());
  for (const Document* d : seen) {
    if (!matches(*d)) continue;
    ++result.total;
    for (std::size_t f = 0; f < request.facets.size(); ++f) {
      std::set<std::string> values;
      for (const KeywordValue& v : d->keywords) {
        if (v.column == request.facets[f]) values.insert(v.value);
      }
      for (const std::string& v : values) ++counts[f][v];
    }
    double score = 0;
    const double len = static_cast<double>(length(*d));
    for (std::size_t i = 0; i < terms.size(); ++i) {
      const std::uint64_t f = freq(*d, terms[i]);
      if (f == 0) continue;
      const double tf = static_cast<double>(f);
      score += idf[i] * tf * (kBm25K1 + 1) / (tf + kBm25K1 * (1 - kBm25B + kBm25B * len / avglen));
    }
    if (request.after) {
      const Cursor& c = *request.after;
      if (score > c.score || (score == c.score && d->seq >= c.seq)) continue;
    }
    hits.push_back({d->key, d->seq, score});
  }
  for (std::size_t f = 0; f < request.facets.size(); ++f) {
    std::vector<FacetValue>& out = result.facets[request.facets[f]];
    for (const auto& [value, count] : counts[f]) out.push_back({value, count});
    std::sort(out.begin(), out.end(), [](const FacetValue& a, const FacetValue& b) {
      return a.count != b.count ? a.count > b.count : a.value < b.value;
    });
    if (out.size() > request.facet_limit) out.resize(request.facet_limit);
  }

  std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
    return a.score != b.score ? a.score > b.score : a.seq > b.seq;
  });
  const std::size_t limit = std::clamp<std::size_t>(request.limit, 1, 1000);
  if (hits.size() > limit) {
    hits.resize(limit);
    result.next = Cursor{as_of, hits.back().score, hits.back().seq};
  }
  result.hits = std::move(hits);
  return result;
}

}  // namespace markaz::index::testing
