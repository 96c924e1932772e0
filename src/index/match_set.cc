// Matching sets: bitmap algebra first (cheap, exact), then the checks that need per-document
// data (phrase positions, number ranges) over the few candidates left, so that they scan as
// little as possible.
#include "index/match_set.h"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace markaz::index::internal {
namespace {

// Whether positions p, p+1, … of the iterators' terms occur for some p.
bool AdjacentIn(std::vector<PostingsIterator>& its) {
  const std::span<const std::uint32_t> first = its[0].Positions();
  std::vector<std::span<const std::uint32_t>> rest;
  rest.reserve(its.size() - 1);
  for (std::size_t i = 1; i < its.size(); ++i) rest.push_back(its[i].Positions());
  for (std::uint32_t p : first) {
    bool all = true;
    for (std::size_t i = 0; i < rest.size() && all; ++i) {
      all = std::binary_search(rest[i].begin(), rest[i].end(),
                               p + static_cast<std::uint32_t>(i + 1));
    }
    if (all) return true;
  }
  return false;
}

bool HasPhrase(const Query& q) {
  for (const Group& g : q.must) {
    for (const Phrase& p : g.any) {
      if (p.terms.size() > 1) return true;
    }
  }
  return false;
}

Roaring GroupDocs(const Segment& segment, TermDocs& terms, const Group& group,
                  const Roaring& candidates) {
  Roaring out;
  for (const Phrase& p : group.any) out |= PhraseDocs(segment, terms, p, candidates);
  return out;
}

}  // namespace

TermDocs::Entry& TermDocs::Find(std::string_view term) {
  auto it = entries_.find(term);
  if (it == entries_.end()) {
    it = entries_.emplace(std::string(term), Entry{}).first;
    it->second.info = segment_.Lookup(term);
  }
  return it->second;
}

const std::optional<TermInfo>& TermDocs::Info(std::string_view term) { return Find(term).info; }

const Roaring& TermDocs::Docs(std::string_view term) {
  Entry& e = Find(term);
  if (!e.docs) e.docs = e.info ? segment_.DocSet(*e.info) : Roaring();
  return *e.docs;
}

Roaring PhraseDocs(const Segment& segment, TermDocs& terms, const Phrase& phrase,
                   const Roaring& candidates) {
  Roaring docs = candidates;
  for (const std::string& t : phrase.terms) {
    docs &= terms.Docs(t);
    if (docs.isEmpty()) return docs;
  }
  if (phrase.terms.size() == 1) return docs;

  std::vector<PostingsIterator> its;
  its.reserve(phrase.terms.size());
  for (const std::string& t : phrase.terms) {
    its.push_back(segment.Postings(*terms.Info(t), /*with_positions=*/true));
  }
  Roaring out;
  for (std::uint32_t doc : docs) {
    for (PostingsIterator& it : its) it.Advance(doc);  // every term is in doc: it is in docs
    if (AdjacentIn(its)) out.add(doc);
  }
  return out;
}

std::uint32_t DocsBefore(const Segment& segment, std::int64_t seq) {
  std::uint32_t lo = 0;
  std::uint32_t hi = segment.doc_count();
  if (hi == 0 || segment.max_seq() < seq) return hi;
  if (segment.min_seq() >= seq) return 0;
  while (lo < hi) {
    const std::uint32_t mid = lo + (hi - lo) / 2;
    if (segment.seq(mid) < seq) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

Roaring MatchSet(const Segment& segment, TermDocs& terms, const Query& query,
                 const Roaring& visible) {
  Roaring match = visible;
  // Groups of single terms first: pure bitmap algebra that shrinks the candidates the
  // phrase groups then check positions for.
  const bool phrases = HasPhrase(query);
  for (int pass = 0; pass < (phrases ? 2 : 1); ++pass) {
    for (const Group& g : query.must) {
      const bool has_phrase = std::any_of(g.any.begin(), g.any.end(),
                                          [](const Phrase& p) { return p.terms.size() > 1; });
      if (has_phrase != (pass == 1)) continue;
      match = GroupDocs(segment, terms, g, match);
      if (match.isEmpty()) return match;
    }
  }
  for (const Phrase& p : query.must_not) {
    match -= PhraseDocs(segment, terms, p, match);
    if (match.isEmpty()) return match;
  }
  for (const KeywordFilter& k : query.keywords) {
    Roaring with;
    if (const KeywordColumn* column = segment.keyword_column(k.column)) {
      for (const std::string& v : k.values) {
        if (std::optional<std::uint32_t> ord = column->Find(v)) with |= column->Docs(*ord);
      }
    }
    if (k.negated) {
      match -= with;
    } else {
      match &= with;
    }
    if (match.isEmpty()) return match;
  }
  for (const RangeFilter& r : query.ranges) {
    const NumberColumn* column = segment.number_column(r.column);
    Roaring in_range;
    if (column != nullptr) {
      for (std::uint32_t doc : match) {
        const std::optional<std::int64_t> v = column->Get(doc);
        if (v && (!r.min || *v >= *r.min) && (!r.max || *v < *r.max)) in_range.add(doc);
      }
    }
    match = std::move(in_range);
    if (match.isEmpty()) return match;
  }
  return match;
}

}  // namespace markaz::index::internal
