// Top-k collection. Block-max WAND keeps the scored terms' iterators sorted by current doc,
// finds the pivot (the first doc whose list upper bounds can reach the heap's threshold),
// then checks the tighter per-block bounds before decoding anything: a block range that cannot
// reach the threshold is skipped whole. Both bounds come from impacts (segment.h): the largest
// BM25 term score over a list's (freq, length) pairs, exact for the query's avgdl, where a
// (largest freq, shortest doc) pair would combine two different documents and bound little.
#include "index/top_k.h"

#include <algorithm>
#include <limits>
#include <span>

#include "index/bm25.h"

namespace markaz::index::internal {
namespace {

// Result order: a before b.
bool Better(const Candidate& a, const Candidate& b) {
  if (a.score != b.score) return a.score > b.score;
  return a.seq > b.seq;
}

// The largest term score any posting the impacts bound can have: BM25 grows with freq and
// falls with length, so a posting dominated by a pair scores at most the pair's score.
double ImpactBound(double idf, std::span<const Impact> impacts, double avglen) {
  double bound = 0;
  for (const Impact& i : impacts) {
    bound = std::max(bound, Bm25Term(idf, i.freq, Bm25Norm(i.length, avglen)));
  }
  return bound;
}

struct TermCursor {
  PostingsIterator it;
  double idf = 0;
  double list_bound = 0;
  // The block the block cursor is on and its bound, cached: pivots only move forward, so the
  // block stays right until a pivot passes its last doc.
  bool block_known = false;
  std::uint32_t block_last = 0;
  double block_bound = 0;
};

// The bound of the block holding the first doc ≥ target.
double BlockBound(TermCursor& c, std::uint32_t target, double avglen) {
  if (!c.block_known || target > c.block_last) {
    c.block_last = c.it.ShallowAdvance(target);
    c.block_bound = ImpactBound(c.idf, c.it.BlockImpacts(), avglen);
    c.block_known = true;
  }
  return c.block_bound;
}

// Insertion sort by current doc: the order changes little between steps.
void SortByDoc(std::vector<TermCursor*>& order) {
  for (std::size_t i = 1; i < order.size(); ++i) {
    TermCursor* c = order[i];
    std::size_t j = i;
    for (; j > 0 && order[j - 1]->it.doc() > c->it.doc(); --j) order[j] = order[j - 1];
    order[j] = c;
  }
}

// The exact score of doc: the terms present, summed in ScoredTerms order.
void Evaluate(const Segment& segment, std::uint32_t segment_index, std::uint32_t doc,
              std::span<TermCursor> cursors, const Roaring& match, double avglen, TopK& top) {
  const double norm = Bm25Norm(segment.length(doc), avglen);
  double score = 0;
  for (TermCursor& c : cursors) {
    if (c.it.doc() == doc) score += Bm25Term(c.idf, c.it.freq(), norm);
  }
  if (!top.Admits(score) || !match.contains(doc)) return;
  const std::int64_t seq = segment.seq(doc);
  if (top.After(score, seq)) top.Offer({score, seq, segment_index, doc});
}

void Exhaustive(const Segment& segment, std::uint32_t segment_index,
                std::span<TermCursor> cursors, const Roaring& match, double avglen, TopK& top) {
  for (std::uint32_t doc : match) {
    for (TermCursor& c : cursors) c.it.Advance(doc);
    Evaluate(segment, segment_index, doc, cursors, match, avglen, top);
  }
}

void BlockMaxWand(const Segment& segment, std::uint32_t segment_index,
                  std::span<TermCursor> cursors, const Roaring& match, double avglen, TopK& top) {
  std::vector<TermCursor*> order;
  for (TermCursor& c : cursors) order.push_back(&c);
  const std::size_t n = order.size();
  for (;;) {
    SortByDoc(order);
    // The pivot: the first list at which the bounds so far could reach the threshold.
    double bound = 0;
    std::size_t pivot = n;
    for (std::size_t i = 0; i < n && order[i]->it.doc() != kNoMoreDocs; ++i) {
      bound += order[i]->list_bound;
      if (top.MayEnter(bound)) {
        pivot = i;
        break;
      }
    }
    if (pivot == n) return;
    const std::uint32_t doc = order[pivot]->it.doc();
    while (pivot + 1 < n && order[pivot + 1]->it.doc() == doc) ++pivot;

    double block_bound = 0;
    for (std::size_t i = 0; i <= pivot; ++i) block_bound += BlockBound(*order[i], doc, avglen);
    if (top.MayEnter(block_bound)) {
      if (order[0]->it.doc() == doc) {
        Evaluate(segment, segment_index, doc, cursors, match, avglen, top);
        for (std::size_t i = 0; i <= pivot; ++i) order[i]->it.Next();
      } else {
        // Documents before the pivot cannot reach the threshold: move those lists up to it.
        for (std::size_t i = 0; i < pivot && order[i]->it.doc() < doc; ++i) {
          order[i]->it.Advance(doc);
        }
      }
      continue;
    }
    // No document up to the end of the shortest current block (nor before the next list's
    // doc) can reach the threshold: skip past it.
    std::uint64_t next = std::numeric_limits<std::uint64_t>::max();
    for (std::size_t i = 0; i <= pivot; ++i) {
      next = std::min<std::uint64_t>(next, std::uint64_t{order[i]->block_last} + 1);
    }
    if (pivot + 1 < n) next = std::min<std::uint64_t>(next, order[pivot + 1]->it.doc());
    const std::uint32_t target =
        next >= kNoMoreDocs ? kNoMoreDocs : static_cast<std::uint32_t>(next);
    for (std::size_t i = 0; i <= pivot; ++i) {
      if (order[i]->it.doc() < target) order[i]->it.Advance(target);
    }
  }
}

std::vector<TermCursor> MakeCursors(const ScoredSegment& s, std::span<const QueryTerm> query_terms,
                                    double avglen) {
  std::vector<TermCursor> cursors;
  for (const QueryTerm& q : query_terms) {
    const std::optional<TermInfo>& info = s.terms->Info(*q.term);
    if (!info) continue;
    TermCursor c;
    c.it = s.segment->Postings(*info);
    c.idf = q.idf;
    c.list_bound = ImpactBound(q.idf, c.it.TermImpacts(), avglen);
    cursors.push_back(std::move(c));
  }
  return cursors;
}

// Warm start: WAND prunes against the heap's threshold, which starts at nothing and rises
// only as good documents are found in doc order. Scoring first the documents of the blocks
// with the highest bounds (over all segments and terms) raises it at once; the walk in doc
// order then skips most blocks. Documents scored here and met again are not kept twice (TopK
// ignores a document it holds).
//
// With one scored term a block's bound is the bound of each of its documents' whole score,
// so taking blocks in descending bound order until the next one cannot enter the heap scores
// every document that could: the top-k is then exact and the walk is not needed (returns
// true). Impacts make this cheap: a block's bound is the score of its best posting, so the
// blocks that pass are few more than the k best documents'.
bool WarmStart(std::span<const ScoredSegment* const> segments,
               std::span<const QueryTerm> query_terms, double avglen, TopK& top) {
  // With several terms a block's bound covers one term only: a few blocks set a threshold.
  constexpr std::size_t kMaxBlocksSeveralTerms = 8;
  struct BlockRef {
    double bound = 0;
    std::size_t segment = 0;
    std::size_t term = 0;  // index into the segment's cursors
    std::uint32_t first = 0;
    std::uint32_t last = 0;
  };
  std::vector<BlockRef> blocks;
  std::vector<std::vector<TermCursor>> cursors;
  for (std::size_t s = 0; s < segments.size(); ++s) {
    cursors.push_back(MakeCursors(*segments[s], query_terms, avglen));
    for (std::size_t t = 0; t < cursors[s].size(); ++t) {
      PostingsIterator it = cursors[s][t].it;  // a copy: only its block cursor moves
      for (std::uint32_t first = 0;;) {
        const std::uint32_t last = it.ShallowAdvance(first);
        if (last == kNoMoreDocs) break;
        const double bound = ImpactBound(cursors[s][t].idf, it.BlockImpacts(), avglen);
        blocks.push_back({bound, s, t, first, last});
        first = last + 1;
      }
    }
  }
  const bool one_term = query_terms.size() == 1;
  const auto lower = [](const BlockRef& a, const BlockRef& b) { return a.bound < b.bound; };
  std::make_heap(blocks.begin(), blocks.end(), lower);
  for (std::size_t taken = 0; !blocks.empty(); ++taken) {
    const BlockRef b = blocks.front();
    if (!top.MayEnter(b.bound)) return one_term;
    if (!one_term && (taken >= kMaxBlocksSeveralTerms || (taken >= 2 && top.Full()))) {
      return false;
    }
    std::pop_heap(blocks.begin(), blocks.end(), lower);
    blocks.pop_back();
    const ScoredSegment& seg = *segments[b.segment];
    // Fresh iterators: blocks come in bound order, not doc order.
    std::vector<TermCursor> fresh = MakeCursors(seg, query_terms, avglen);
    PostingsIterator& lead = fresh[b.term].it;
    for (lead.Advance(b.first); lead.doc() <= b.last; lead.Next()) {
      const std::uint32_t doc = lead.doc();
      for (TermCursor& c : fresh) c.it.Advance(doc);
      Evaluate(*seg.segment, seg.index, doc, fresh, *seg.match, avglen, top);
    }
  }
  return one_term;
}

}  // namespace

bool TopK::After(double score, std::int64_t seq) const {
  if (!after_) return true;
  if (score != after_->score) return score < after_->score;
  return seq < after_->seq;
}

bool TopK::MayEnter(double bound) const {
  if (heap_.size() < k_) return true;
  return bound * (1 + 1e-9) >= heap_.front().score;
}

bool TopK::Admits(double score) const {
  return heap_.size() < k_ || score >= heap_.front().score;
}

bool TopK::Offer(const Candidate& c) {
  if (k_ == 0) return false;
  if (heap_.size() == k_ && !Better(c, heap_.front())) return false;
  const std::uint64_t id = (std::uint64_t{c.segment} << 32) | c.doc;
  if (!members_.insert(id).second) return false;  // already held (met in the warm start)
  if (heap_.size() == k_) {
    std::pop_heap(heap_.begin(), heap_.end(), Better);
    const Candidate& out = heap_.back();
    members_.erase((std::uint64_t{out.segment} << 32) | out.doc);
    heap_.pop_back();
  }
  heap_.push_back(c);
  std::push_heap(heap_.begin(), heap_.end(), Better);
  return true;
}

std::vector<Candidate> TopK::Take() && {
  std::sort(heap_.begin(), heap_.end(), Better);
  return std::move(heap_);
}

void CollectScored(std::span<const ScoredSegment> segments,
                   std::span<const QueryTerm> query_terms, double avglen,
                   const TopKOptions& options, TopK& top) {
  std::vector<const ScoredSegment*> wand;
  for (const ScoredSegment& s : segments) {
    if (s.match->isEmpty()) continue;
    if (s.match->cardinality() <= options.exhaustive_max) {
      std::vector<TermCursor> cursors = MakeCursors(s, query_terms, avglen);
      Exhaustive(*s.segment, s.index, cursors, *s.match, avglen, top);
    } else {
      wand.push_back(&s);
    }
  }
  if (wand.empty()) return;
  if (WarmStart(wand, query_terms, avglen, top)) return;
  for (const ScoredSegment* s : wand) {
    std::vector<TermCursor> cursors = MakeCursors(*s, query_terms, avglen);
    BlockMaxWand(*s->segment, s->index, cursors, *s->match, avglen, top);
  }
}

void CollectNewest(const Segment& segment, std::uint32_t segment_index, const Roaring& match,
                   TopK& top) {
  // Members in descending doc (= seq) order; the first one the heap rejects ends the segment,
  // since every later one is older. A cursor (score 0 here) starts below its seq.
  std::uint64_t start = match.cardinality();
  if (const std::optional<Cursor>& after = top.after()) {
    if (after->score < 0) return;
    if (after->score == 0) {
      const std::uint32_t below = DocsBefore(segment, after->seq);
      start = below == 0 ? 0 : match.rank(below - 1);
    }
  }
  for (std::uint64_t i = start; i-- > 0;) {
    std::uint32_t doc = 0;
    if (!match.select(static_cast<std::uint32_t>(i), &doc)) break;
    const std::int64_t seq = segment.seq(doc);
    if (!top.After(0, seq)) continue;
    if (!top.Offer({0, seq, segment_index, doc})) break;
  }
}

}  // namespace markaz::index::internal
