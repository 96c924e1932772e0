// Tests for index/searcher.h. The reference property test is the proof that pruning is
// exact: for many seeded corpora (Zipf vocabulary, titles weighted, several segments, readers
// with random visibility and widening overlays) and random queries, readers, limits and
// cursors, Search() equals the brute-force scorer of brute_force.h in every hit, score (to the
// bit), total, facet and page of a cursor walk, on both the block-max WAND path and the
// exhaustive path. Then: no oracle (documents only A sees change nothing for B), newest first
// without text, as_of isolation of later pages, title weighting.
#include "index/searcher.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "index/brute_force.h"
#include "index/searcher_internal.h"
#include "index/segment.h"
#include "index/segment_test_corpus.h"
#include "index/visibility.h"
#include "testutil/temp_dir.h"

namespace markaz::index {
namespace {

using test_corpus::MakeDoc;

using testing::BruteForceSearch;

// A corpus as the tests see it: the documents with their effective readers (for the brute
// force) and the segments built from them (for Search()).
struct Corpus {
  std::vector<Document> docs;         // effective readers (written ∪ widened)
  std::vector<SegmentView> segments;  // ascending seq
  std::vector<std::string> readers;
};

class CorpusBuilder {
 public:
  explicit CorpusBuilder(const testutil::TempDir& dir) : dir_(dir) {}

  // Writes `docs` as segments cut at `cuts` (doc indexes where a new segment begins) and
  // widens each segment with `overlays[s]` (segment-local doc ids).
  Corpus Build(std::vector<Document> docs, const std::vector<std::size_t>& cuts,
               const std::vector<VisibilityOverlay>& overlays) {
    Corpus c;
    std::vector<std::size_t> bounds = cuts;
    bounds.insert(bounds.begin(), 0);
    bounds.push_back(docs.size());
    for (std::size_t s = 0; s + 1 < bounds.size(); ++s) {
      if (bounds[s] == bounds[s + 1]) continue;
      const std::span<const Document> part(docs.data() + bounds[s], bounds[s + 1] - bounds[s]);
      const std::string file = dir_.Sub("seg" + std::to_string(counter_++));
      const core::Status written = WriteSegment(file, part);
      EXPECT_TRUE(written.ok()) << written.ToString();
      core::Result<std::shared_ptr<const Segment>> opened = Segment::Open(file);
      EXPECT_TRUE(opened.ok()) << opened.status().ToString();
      if (!opened.ok()) return c;
      const VisibilityOverlay overlay = s < overlays.size() ? overlays[s] : VisibilityOverlay{};
      for (const auto& [reader, added] : overlay) {
        for (std::uint32_t local : added) {
          std::vector<std::string>& r = docs[bounds[s] + local].readers;
          if (std::find(r.begin(), r.end(), reader) == r.end()) {
            r.push_back(reader);
            std::sort(r.begin(), r.end());
          }
        }
      }
      c.segments.push_back({*opened, BuildVisibility(**opened, overlay)});
    }
    c.docs = std::move(docs);
    return c;
  }

 private:
  const testutil::TempDir& dir_;
  int counter_ = 0;
};

// ---- the random corpora and queries -----------------------------------------------------

class RandomCorpus {
 public:
  explicit RandomCorpus(std::uint64_t seed) : rng_(seed) {
    vocabulary_ = Uniform(30, 1500);
    const double s = 0.9 + Real() * 0.4;
    std::vector<double> w(vocabulary_);
    for (std::size_t i = 0; i < vocabulary_; ++i) w[i] = 1.0 / std::pow(static_cast<double>(i + 1), s);
    zipf_ = std::discrete_distribution<std::size_t>(w.begin(), w.end());
    const std::size_t n_readers = Uniform(2, 5);
    for (std::size_t i = 0; i < n_readers; ++i) readers_.push_back("org-" + std::string(1, static_cast<char>('a' + i)));
  }

  std::mt19937_64& rng() { return rng_; }
  std::size_t Uniform(std::size_t lo, std::size_t hi) {
    return std::uniform_int_distribution<std::size_t>(lo, hi)(rng_);
  }
  double Real() { return std::uniform_real_distribution<double>(0, 1)(rng_); }
  bool Chance(double p) { return Real() < p; }
  std::string Word() { return "w" + std::to_string(zipf_(rng_)); }
  const std::vector<std::string>& readers() const { return readers_; }

  std::vector<Document> Documents(std::size_t n) {
    std::vector<Document> docs;
    std::int64_t seq = static_cast<std::int64_t>(Uniform(1, 100));
    const std::size_t body_max = Uniform(5, 80);
    for (std::size_t i = 0; i < n; ++i) {
      seq += static_cast<std::int64_t>(Uniform(1, 3));
      std::vector<std::string> title(Uniform(0, 6)), body(Uniform(1, body_max));
      for (std::string& w : title) w = Word();
      for (std::string& w : body) w = Word();
      std::vector<std::string> readers;
      for (const std::string& r : readers_) {
        if (Chance(0.55)) readers.push_back(r);
      }
      Document d = MakeDoc("rep_" + std::to_string(seq), seq, title, body, readers);
      d.keywords.push_back({"lang", kLangs[Uniform(0, 2)]});
      for (std::size_t e = Uniform(0, 3); e > 0; --e) {
        d.keywords.push_back({"entity", "country:" + std::to_string(Uniform(0, 12))});
      }
      if (Chance(0.9)) {
        d.keywords.push_back({"originator", readers_[Uniform(0, readers_.size() - 1)]});
      }
      if (Chance(0.9)) {
        d.numbers.push_back({"time", static_cast<std::int64_t>(Uniform(0, 1000))});
      }
      docs.push_back(std::move(d));
    }
    return docs;
  }

  Phrase RandomPhrase(const std::vector<Document>& docs) {
    if (Chance(0.75)) return Phrase{{Word()}};
    // Usually a pair that occurs somewhere (so phrases match), sometimes a random pair.
    if (Chance(0.8)) {
      const Document& d = docs[Uniform(0, docs.size() - 1)];
      if (d.terms.size() >= 2) {
        const std::size_t at = Uniform(0, d.terms.size() - 2);
        Phrase p{{d.terms[at].term, d.terms[at + 1].term}};
        if (Chance(0.3) && at + 2 < d.terms.size()) p.terms.push_back(d.terms[at + 2].term);
        return p;
      }
    }
    return Phrase{{Word(), Word()}};
  }

  Query RandomQuery(const std::vector<Document>& docs) {
    Query q;
    const bool text = Chance(0.88);
    if (text) {
      for (std::size_t g = Uniform(1, 4); g > 0; --g) {
        Group group;
        for (std::size_t a = Chance(0.3) ? Uniform(2, 3) : 1; a > 0; --a) {
          group.any.push_back(RandomPhrase(docs));
        }
        q.must.push_back(std::move(group));
      }
    }
    if (Chance(0.2)) q.must_not.push_back(RandomPhrase(docs));
    if (Chance(0.2)) q.keywords.push_back({"lang", {kLangs[Uniform(0, 2)]}, Chance(0.4)});
    if (Chance(0.15)) {
      KeywordFilter k{"entity", {}, Chance(0.3)};
      for (std::size_t v = Uniform(1, 2); v > 0; --v) {
        k.values.push_back("country:" + std::to_string(Uniform(0, 14)));
      }
      q.keywords.push_back(std::move(k));
    }
    if (Chance(0.15)) {
      RangeFilter r{"time", {}, {}};
      if (Chance(0.7)) r.min = static_cast<std::int64_t>(Uniform(0, 600));
      if (Chance(0.7)) r.max = static_cast<std::int64_t>(Uniform(400, 1100));
      q.ranges.push_back(r);
    }
    return q;
  }

  SearchRequest RandomRequest(const std::vector<Document>& docs) {
    SearchRequest r;
    r.query = RandomQuery(docs);
    r.reader = Chance(0.05) ? "org-nobody" : readers_[Uniform(0, readers_.size() - 1)];
    r.limit = Chance(0.5) ? Uniform(1, 5) : Uniform(6, 30);
    if (Chance(0.3)) {
      r.facets = {"lang", "entity", "originator", "missing"};
      r.facet_limit = Uniform(1, 6);
    }
    return r;
  }

 private:
  static constexpr const char* kLangs[] = {"ar", "en", "fr"};
  std::mt19937_64 rng_;
  std::size_t vocabulary_ = 0;
  std::discrete_distribution<std::size_t> zipf_;
  std::vector<std::string> readers_;
};

std::string Describe(const SearchRequest& r) {
  std::string s = "reader=" + r.reader + " limit=" + std::to_string(r.limit) + " q=";
  for (const Group& g : r.query.must) {
    s += "(";
    for (const Phrase& p : g.any) {
      s += "\"";
      for (const std::string& t : p.terms) s += t + " ";
      s += "\" ";
    }
    s += ") ";
  }
  for (const Phrase& p : r.query.must_not) s += "-" + p.terms[0] + " ";
  for (const KeywordFilter& k : r.query.keywords) s += (k.negated ? "-" : "") + k.column + ": ";
  if (!r.query.ranges.empty()) s += "range ";
  if (r.after) s += "after=" + std::to_string(r.after->seq);
  return s;
}

// Compares one page in full: true when equal; otherwise records a failure naming the first
// difference.
bool SamePage(const SearchResult& got, const SearchResult& want, const std::string& what) {
  std::string diff;
  if (got.total != want.total) {
    diff = "total " + std::to_string(got.total) + " != " + std::to_string(want.total);
  } else if (got.as_of_seq != want.as_of_seq) {
    diff = "as_of_seq";
  } else if (got.facets != want.facets) {
    diff = "facets";
  } else if (got.hits.size() != want.hits.size()) {
    diff = "hit count " + std::to_string(got.hits.size()) + " != " + std::to_string(want.hits.size());
  } else if (got.next != want.next) {
    diff = "next cursor";
  }
  for (std::size_t i = 0; diff.empty() && i < got.hits.size(); ++i) {
    const Hit& g = got.hits[i];
    const Hit& w = want.hits[i];
    if (g.key != w.key || g.seq != w.seq || g.score != w.score) {  // scores: exact bits
      char buf[200];
      std::snprintf(buf, sizeof buf, "hit %zu: %s/%lld/%.17g != %s/%lld/%.17g", i, g.key.c_str(),
                    static_cast<long long>(g.seq), g.score, w.key.c_str(),
                    static_cast<long long>(w.seq), w.score);
      diff = buf;
    }
  }
  if (!diff.empty()) ADD_FAILURE() << what << ": " << diff;
  return diff.empty();
}

// Walks up to `pages` pages of `request` on both sides, comparing each.
bool SameWalk(const Corpus& c, SearchRequest request, const internal::TopKOptions& options,
              int pages, const std::string& what) {
  for (int page = 0; page < pages; ++page) {
    const SearchResult got = internal::Search(c.segments, request, options);
    const SearchResult want = BruteForceSearch(c.docs, request);
    if (!SamePage(got, want, what + " page " + std::to_string(page) + " " + Describe(request))) {
      return false;
    }
    if (!want.next) return true;
    request.after = want.next;
  }
  return true;
}

// Cuts `n` docs into 1..5 segments at random points.
std::vector<std::size_t> RandomCuts(RandomCorpus& r, std::size_t n) {
  std::set<std::size_t> cuts;
  for (std::size_t k = r.Uniform(0, 4); k > 0; --k) cuts.insert(r.Uniform(1, n - 1));
  return {cuts.begin(), cuts.end()};
}

std::vector<VisibilityOverlay> RandomOverlays(RandomCorpus& r, std::size_t n,
                                              const std::vector<std::size_t>& cuts) {
  std::vector<VisibilityOverlay> overlays;
  std::vector<std::size_t> bounds = cuts;
  bounds.insert(bounds.begin(), 0);
  bounds.push_back(n);
  for (std::size_t s = 0; s + 1 < bounds.size(); ++s) {
    VisibilityOverlay o;
    if (r.Chance(0.4)) {
      const std::size_t size = bounds[s + 1] - bounds[s];
      const std::string& reader = r.readers()[r.Uniform(0, r.readers().size() - 1)];
      for (std::size_t k = r.Uniform(1, std::max<std::size_t>(1, size / 4)); k > 0; --k) {
        o[reader].add(static_cast<std::uint32_t>(r.Uniform(0, size - 1)));
      }
    }
    overlays.push_back(std::move(o));
  }
  return overlays;
}

TEST(SearchReference, EqualsBruteForceOnRandomCorpora) {
  constexpr int kSeeds = 220;
  constexpr int kQueriesPerSeed = 12;
  const internal::TopKOptions wand{/*exhaustive_max=*/0};
  const internal::TopKOptions exhaustive{/*exhaustive_max=*/1u << 30};
  int walks = 0;
  int failed = 0;
  for (int seed = 1; seed <= kSeeds && failed < 3; ++seed) {
    testutil::TempDir dir;
    RandomCorpus r(static_cast<std::uint64_t>(seed));
    // Mostly small corpora, some up to 3,000 documents.
    const std::size_t n = r.Chance(0.2) ? r.Uniform(1000, 3000) : r.Uniform(50, 600);
    std::vector<Document> docs = r.Documents(n);
    const std::vector<std::size_t> cuts = RandomCuts(r, n);
    const std::vector<VisibilityOverlay> overlays = RandomOverlays(r, n, cuts);
    CorpusBuilder builder(dir);
    const Corpus c = builder.Build(std::move(docs), cuts, overlays);
    ASSERT_EQ(c.docs.size(), n);
    for (int i = 0; i < kQueriesPerSeed; ++i) {
      const SearchRequest request = r.RandomRequest(c.docs);
      const std::string what = "seed " + std::to_string(seed) + " query " + std::to_string(i);
      const int pages = r.Chance(0.3) ? 40 : 3;  // some long walks, often to the end
      bool ok = SameWalk(c, request, wand, pages, what + " [wand]");
      ok = ok && SameWalk(c, request, exhaustive, pages, what + " [exhaustive]");
      // The public entry point (default tuning) agrees too.
      ok = ok && SamePage(Search(c.segments, request), BruteForceSearch(c.docs, request),
                          what + " [default] " + Describe(request));
      ++walks;
      if (!ok) ++failed;
    }
  }
  EXPECT_EQ(failed, 0);
  EXPECT_GE(walks, kSeeds * kQueriesPerSeed);
}

// ---- no oracle ---------------------------------------------------------------------------

TEST(SearchNoOracle, DocumentsOnlyAnotherOrgSeesChangeNothing) {
  for (int seed = 1; seed <= 20; ++seed) {
    testutil::TempDir dir;
    RandomCorpus r(static_cast<std::uint64_t>(1000 + seed));
    const std::size_t n = r.Uniform(200, 1500);
    std::vector<Document> shared = r.Documents(n);
    for (Document& d : shared) {
      d.seq *= 10;  // room for A's documents in between
      d.readers = {"org-b"};
    }
    // The same corpus with documents only org-a may read between B's (and after the last):
    // they repeat the most frequent term and carry every facet value.
    std::vector<Document> with_a;
    for (std::size_t i = 0; i < shared.size(); ++i) {
      with_a.push_back(shared[i]);
      if (r.Chance(0.5)) {
        Document a = r.Documents(1)[0];
        a.key = "secret_" + std::to_string(i);
        a.seq = shared[i].seq + 1;
        a.readers = {"org-a"};
        for (std::uint32_t k = 0; k < 20; ++k) a.terms.push_back({"w0", 1000 + k, kTitleWeight});
        with_a.push_back(std::move(a));
      }
    }
    CorpusBuilder builder(dir);
    const Corpus without = builder.Build(shared, RandomCuts(r, shared.size()), {});
    const Corpus with = builder.Build(with_a, RandomCuts(r, with_a.size()), {});
    for (int i = 0; i < 15; ++i) {
      SearchRequest request = r.RandomRequest(shared);
      request.reader = "org-b";
      const std::string what = "seed " + std::to_string(seed) + " query " + std::to_string(i) +
                               " " + Describe(request);
      for (int page = 0; page < 50; ++page) {
        const SearchResult alone = Search(without.segments, request);
        const SearchResult beside = Search(with.segments, request);
        ASSERT_TRUE(SamePage(beside, alone, what + " page " + std::to_string(page)));
        if (!alone.next) break;
        request.after = alone.next;
      }
    }
  }
}

// ---- small fixed cases -------------------------------------------------------------------

TEST(Search, WithoutTextNewestFirstWithCursor) {
  testutil::TempDir dir;
  std::vector<Document> docs;
  for (int i = 1; i <= 25; ++i) {
    docs.push_back(MakeDoc("k" + std::to_string(i), i, {}, {"x"}, {i % 5 == 0 ? "a" : "b"}));
  }
  CorpusBuilder builder(dir);
  const Corpus c = builder.Build(docs, {7, 15}, {});
  SearchRequest request;
  request.reader = "b";
  request.limit = 8;
  std::vector<std::int64_t> seen;
  for (int page = 0; page < 10; ++page) {
    const SearchResult r = Search(c.segments, request);
    EXPECT_EQ(r.total, 20u);
    EXPECT_EQ(r.as_of_seq, 24);  // the newest doc b sees, not 25 which only a sees
    for (const Hit& h : r.hits) {
      EXPECT_EQ(h.score, 0);
      seen.push_back(h.seq);
    }
    if (!r.next) break;
    request.after = r.next;
  }
  std::vector<std::int64_t> want;
  for (int i = 24; i >= 1; --i) {
    if (i % 5 != 0) want.push_back(i);
  }
  EXPECT_EQ(seen, want);
}

TEST(Search, LaterDocumentsStayOutOfAnOlderWalk) {
  testutil::TempDir dir;
  std::vector<Document> docs;
  for (int i = 1; i <= 30; ++i) {
    docs.push_back(MakeDoc("k" + std::to_string(i), i, {}, {"iraq", i % 2 ? "oil" : "gas"}, {"b"}));
  }
  CorpusBuilder builder(dir);
  Corpus c = builder.Build(docs, {10, 20}, {});
  SearchRequest request;
  request.reader = "b";
  request.limit = 10;
  request.query.must = {Group{{Phrase{{"iraq"}}}}, Group{{Phrase{{"oil"}}}}};
  const SearchResult first = Search(c.segments, request);
  ASSERT_TRUE(first.next);
  EXPECT_EQ(first.as_of_seq, 30);
  // A new segment arrives: the walk goes on as of the first page.
  std::vector<Document> more;
  for (int i = 31; i <= 40; ++i) more.push_back(MakeDoc("k" + std::to_string(i), i, {"oil"}, {"iraq", "oil"}, {"b"}));
  Corpus c2 = builder.Build(more, {}, {});
  c.segments.push_back(c2.segments[0]);
  request.after = first.next;
  const SearchResult second = Search(c.segments, request);
  EXPECT_EQ(second.total, 15u);
  EXPECT_EQ(second.as_of_seq, 30);
  EXPECT_EQ(second.hits.size(), 5u);
  for (const Hit& h : second.hits) {
    EXPECT_LE(h.seq, 30);
    EXPECT_EQ(h.score, first.hits[0].score);  // same statistics: all equal documents score alike
  }
  EXPECT_FALSE(second.next);
}

TEST(Search, TiesGoToTheNewestOnEveryPath) {
  // Identical documents score alike: the threshold equals every bound, so a pruning that
  // dropped equal scores would keep the oldest instead of the newest.
  testutil::TempDir dir;
  std::vector<Document> docs;
  for (int i = 1; i <= 600; ++i) {
    docs.push_back(MakeDoc("k" + std::to_string(i), i, {}, {"iraq", "oil", "today"}, {"b"}));
  }
  CorpusBuilder builder(dir);
  const Corpus c = builder.Build(docs, {200, 450}, {});
  SearchRequest request;
  request.reader = "b";
  request.limit = 7;
  request.query.must = {Group{{Phrase{{"iraq"}}, Phrase{{"gas"}}}}, Group{{Phrase{{"oil"}}}}};
  for (const internal::TopKOptions options : {internal::TopKOptions{0}, internal::TopKOptions{}}) {
    const SearchResult first = internal::Search(c.segments, request, options);
    ASSERT_EQ(first.hits.size(), 7u);
    for (std::size_t i = 0; i < first.hits.size(); ++i) {
      EXPECT_EQ(first.hits[i].seq, 600 - static_cast<std::int64_t>(i));
    }
    EXPECT_TRUE(SameWalk(c, request, options, 100, "ties"));
  }
}

TEST(Search, TitleOccurrencesWeighMore) {
  testutil::TempDir dir;
  std::vector<Document> docs = {
      MakeDoc("body", 1, {"news"}, {"mosul", "report", "today"}, {"b"}),
      MakeDoc("title", 2, {"mosul"}, {"news", "report", "today"}, {"b"}),
      MakeDoc("none", 3, {"news"}, {"report", "today", "again"}, {"b"}),
  };
  CorpusBuilder builder(dir);
  const Corpus c = builder.Build(docs, {}, {});
  SearchRequest request;
  request.reader = "b";
  request.query.must = {Group{{Phrase{{"mosul"}}}}};
  const SearchResult r = Search(c.segments, request);
  ASSERT_EQ(r.hits.size(), 2u);
  EXPECT_EQ(r.hits[0].key, "title");
  EXPECT_EQ(r.hits[1].key, "body");
  EXPECT_GT(r.hits[0].score, r.hits[1].score);
  EXPECT_EQ(r.total, 2u);
  EXPECT_FALSE(r.next);
}

TEST(Search, ReaderWhoSeesNothingGetsNothing) {
  testutil::TempDir dir;
  CorpusBuilder builder(dir);
  const Corpus c = builder.Build({MakeDoc("k", 1, {}, {"x"}, {"a"})}, {}, {});
  SearchRequest request;
  request.reader = "b";
  request.facets = {"lang"};
  const SearchResult r = Search(c.segments, request);
  EXPECT_EQ(r.total, 0u);
  EXPECT_TRUE(r.hits.empty());
  EXPECT_EQ(r.as_of_seq, 0);
  EXPECT_EQ(r.facets.at("lang").size(), 0u);
}

}  // namespace
}  // namespace markaz::index
