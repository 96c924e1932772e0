// Tests for index/segment.h and visibility.h: a segment written from a seeded random corpus
// must answer every question (postings, block maxima and impacts, doc sets, term order,
// columns, readers) exactly as a naive inverted index of the same documents does, and refuse
// damaged files. Speed is measured in bench/index/index_bench.cc.
#include "index/segment.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "index/bm25.h"
#include "index/segment_test_corpus.h"
#include "index/visibility.h"
#include "testutil/temp_dir.h"

namespace markaz::index {
namespace {

using test_corpus::BuildNaive;
using test_corpus::CorpusOptions;
using test_corpus::DocsOf;
using test_corpus::MakeCorpus;
using test_corpus::NaiveIndex;
using test_corpus::NaivePosting;
using test_corpus::ToVector;

std::shared_ptr<const Segment> WriteAndOpen(const std::string& file,
                                            const std::vector<Document>& docs) {
  core::Status s = WriteSegment(file, docs);
  EXPECT_TRUE(s.ok()) << s.ToString();
  auto segment = Segment::Open(file);
  EXPECT_TRUE(segment.ok()) << segment.status().ToString();
  return segment.ok() ? *segment : nullptr;
}

// The corpus of most tests: large enough that the commonest terms pass the 4096 bitmap
// threshold and span many blocks.
struct Fixture {
  Fixture() {
    CorpusOptions o;
    o.seed = 42;
    o.docs = 5000;
    docs = MakeCorpus(o);
    naive = BuildNaive(docs);
    segment = WriteAndOpen(dir.Sub("seg"), docs);
  }
  testutil::TempDir dir;
  std::vector<Document> docs;
  NaiveIndex naive;
  std::shared_ptr<const Segment> segment;
};

const Fixture& Shared() {
  static const Fixture* fixture = new Fixture();
  return *fixture;
}

TEST(SegmentTest, DocumentSectionsRoundTrip) {
  const Fixture& f = Shared();
  const Segment& s = *f.segment;
  ASSERT_EQ(s.doc_count(), f.docs.size());
  EXPECT_EQ(s.min_seq(), f.docs.front().seq);
  EXPECT_EQ(s.max_seq(), f.docs.back().seq);
  EXPECT_EQ(s.file_bytes(), std::filesystem::file_size(f.dir.Sub("seg")));
  EXPECT_EQ(s.path(), f.dir.Sub("seg"));
  for (std::uint32_t d = 0; d < s.doc_count(); ++d) {
    ASSERT_EQ(s.key(d), f.docs[d].key);
    ASSERT_EQ(s.seq(d), f.docs[d].seq);
    ASSERT_EQ(s.length(d), f.naive.lengths[d]);
    ASSERT_EQ(s.FindSeq(f.docs[d].seq), d);
  }
  EXPECT_FALSE(s.FindSeq(f.docs.front().seq - 1).has_value());
  EXPECT_FALSE(s.FindSeq(f.docs.back().seq + 1).has_value());
  for (std::uint32_t d = 1; d < s.doc_count(); ++d) {
    if (f.docs[d].seq > f.docs[d - 1].seq + 1) {
      EXPECT_FALSE(s.FindSeq(f.docs[d].seq - 1).has_value());
    }
  }
}

void ExpectPostingsEqual(const Segment& s, const TermInfo& info,
                         const std::vector<NaivePosting>& expected, const std::string& term) {
  PostingsIterator it = s.Postings(info, /*with_positions=*/true);
  for (const NaivePosting& p : expected) {
    ASSERT_EQ(it.doc(), p.doc) << term;
    ASSERT_EQ(it.freq(), p.freq) << term;
    const std::span<const std::uint32_t> positions = it.Positions();
    ASSERT_EQ(std::vector<std::uint32_t>(positions.begin(), positions.end()), p.positions) << term;
    it.Next();
  }
  EXPECT_EQ(it.doc(), kNoMoreDocs) << term;
  EXPECT_EQ(it.Next(), kNoMoreDocs) << term;
}

TEST(SegmentTest, EveryTermsPostingsMatchTheNaiveIndex) {
  const Fixture& f = Shared();
  const Segment& s = *f.segment;
  for (const auto& [term, postings] : f.naive.terms) {
    const std::optional<TermInfo> info = s.Lookup(term);
    ASSERT_TRUE(info.has_value()) << term;
    ASSERT_EQ(info->doc_freq, postings.size()) << term;
    std::uint32_t max_freq = 0;
    std::uint32_t min_length = ~0u;
    for (const NaivePosting& p : postings) {
      max_freq = std::max(max_freq, p.freq);
      min_length = std::min(min_length, f.naive.lengths[p.doc]);
    }
    EXPECT_EQ(info->max_freq, max_freq) << term;
    EXPECT_EQ(info->min_length, min_length) << term;
    ExpectPostingsEqual(s, *info, postings, term);
  }
}

TEST(SegmentTest, PositionsCanBeSkippedAndReadLater) {
  // Positions() for every third doc only: the iterator must skip the others' positions.
  const Fixture& f = Shared();
  const auto& [term, postings] = *f.naive.terms.begin();
  std::vector<std::pair<std::string, const std::vector<NaivePosting>*>> picks;
  for (const auto& [t, p] : f.naive.terms) {
    if (p.size() > 300) picks.emplace_back(t, &p);
  }
  ASSERT_FALSE(picks.empty());
  for (const auto& [t, p] : picks) {
    PostingsIterator it = f.segment->Postings(*f.segment->Lookup(t), true);
    for (std::size_t i = 0; i < p->size(); ++i, it.Next()) {
      ASSERT_EQ(it.doc(), (*p)[i].doc);
      if (i % 3 != 2) continue;
      const auto positions = it.Positions();
      ASSERT_EQ(std::vector<std::uint32_t>(positions.begin(), positions.end()), (*p)[i].positions);
      const auto again = it.Positions();  // a second call gives the same
      ASSERT_EQ(again.size(), positions.size());
    }
  }
  // Iterators opened without positions give none.
  PostingsIterator plain = f.segment->Postings(*f.segment->Lookup(term), false);
  EXPECT_TRUE(plain.Positions().empty());
}

TEST(SegmentTest, AbsentTermsAreNotFound) {
  const Segment& s = *Shared().segment;
  EXPECT_FALSE(s.Lookup("").has_value());
  EXPECT_FALSE(s.Lookup("0000").has_value());           // before every term
  EXPECT_FALSE(s.Lookup("\xF4\x8F\xBF\xBF").has_value());  // after every term
  for (const auto& [term, postings] : Shared().naive.terms) {
    if (!Shared().naive.terms.contains(term + "0")) {
      EXPECT_FALSE(s.Lookup(term + "0").has_value()) << term;
    }
  }
  PostingsIterator empty = s.Postings(TermInfo{});
  EXPECT_EQ(empty.doc(), kNoMoreDocs);
  EXPECT_EQ(empty.Advance(3), kNoMoreDocs);
  EXPECT_EQ(empty.ShallowAdvance(0), kNoMoreDocs);
}

// Checks the block cursor against the naive list at ascending targets, with Advance between.
void CheckBlocksAndAdvance(const Fixture& f, const std::string& term, std::mt19937& rng) {
  const std::vector<NaivePosting>& postings = f.naive.terms.at(term);
  const std::vector<std::uint32_t> docs = DocsOf(postings);
  const std::size_t n = docs.size();
  PostingsIterator it = f.segment->Postings(*f.segment->Lookup(term), true);
  const std::uint32_t span = f.segment->doc_count() + 10;
  std::uint32_t target = 0;
  while (true) {
    const std::uint32_t step = rng() % 4 == 0 ? rng() % (span / 8 + 1) : rng() % 300;
    target += step;
    const std::size_t idx =
        static_cast<std::size_t>(std::lower_bound(docs.begin(), docs.end(), target) - docs.begin());
    const std::uint32_t last = it.ShallowAdvance(target);
    if (idx == n) {
      EXPECT_EQ(last, kNoMoreDocs) << term << " target " << target;
      EXPECT_EQ(it.BlockLastDoc(), kNoMoreDocs);
    } else {
      const std::size_t block = idx / kBlockSize;
      const std::size_t end = std::min(n, (block + 1) * kBlockSize);
      std::uint32_t max_freq = 0;
      std::uint32_t min_length = ~0u;
      for (std::size_t i = block * kBlockSize; i < end; ++i) {
        max_freq = std::max(max_freq, postings[i].freq);
        min_length = std::min(min_length, f.naive.lengths[docs[i]]);
      }
      ASSERT_EQ(last, docs[end - 1]) << term << " target " << target;
      ASSERT_EQ(it.BlockLastDoc(), docs[end - 1]);
      ASSERT_EQ(it.BlockMaxFreq(), max_freq) << term;
      ASSERT_EQ(it.BlockMinLength(), min_length) << term;
    }
    if (rng() % 2 == 0) {
      const std::uint32_t got = it.Advance(target);
      if (idx == n) {
        ASSERT_EQ(got, kNoMoreDocs) << term << " target " << target;
        return;
      }
      ASSERT_EQ(got, docs[idx]) << term << " target " << target;
      ASSERT_EQ(it.freq(), postings[idx].freq);
      const auto positions = it.Positions();
      ASSERT_EQ(std::vector<std::uint32_t>(positions.begin(), positions.end()),
                postings[idx].positions);
      ASSERT_EQ(it.Advance(target), docs[idx]) << "Advance to a passed target is a no-op";
    }
    if (idx == n) return;
  }
}

TEST(SegmentTest, AdvanceAndBlockMaximaAgreeWithTheNaiveLists) {
  const Fixture& f = Shared();
  std::mt19937 rng(3);
  std::vector<std::string> terms;
  for (const auto& [term, postings] : f.naive.terms) {
    if (postings.size() > 1000 || rng() % 40 == 0) terms.push_back(term);
  }
  ASSERT_GT(terms.size(), 20u);
  for (const std::string& term : terms) {
    for (int round = 0; round < 5; ++round) CheckBlocksAndAdvance(f, term, rng);
  }
}

TEST(SegmentTest, DocSetEqualsThePostingsOnBothSidesOfTheBitmapThreshold) {
  const Fixture& f = Shared();
  int stored = 0;
  int decoded = 0;
  for (const auto& [term, postings] : f.naive.terms) {
    const TermInfo info = *f.segment->Lookup(term);
    if (postings.size() >= 4096) {
      EXPECT_GT(info.bitmap_bytes, 0u) << term;
      ++stored;
    } else {
      EXPECT_EQ(info.bitmap_bytes, 0u) << term;
      if (postings.size() < 50 && decoded > 200) continue;  // enough of the rare ones
      ++decoded;
    }
    ASSERT_EQ(ToVector(f.segment->DocSet(info)), DocsOf(postings)) << term;
  }
  EXPECT_GT(stored, 0);
  EXPECT_GT(decoded, 0);
}

TEST(SegmentTest, TermEnumVisitsTermsInOrderWithTheirInfo) {
  const Fixture& f = Shared();
  TermEnum e = f.segment->Terms();
  auto expected = f.naive.terms.begin();
  while (e.Next()) {
    ASSERT_NE(expected, f.naive.terms.end());
    ASSERT_EQ(e.term(), expected->first);
    const TermInfo looked_up = *f.segment->Lookup(expected->first);
    EXPECT_EQ(e.info().doc_freq, looked_up.doc_freq);
    EXPECT_EQ(e.info().postings_offset, looked_up.postings_offset);
    EXPECT_EQ(e.info().positions_offset, looked_up.positions_offset);
    EXPECT_EQ(e.info().bitmap_offset, looked_up.bitmap_offset);
    ++expected;
  }
  EXPECT_EQ(expected, f.naive.terms.end());
  EXPECT_FALSE(e.Next());
}

TEST(SegmentTest, SeekCeilFindsTheFirstTermNotBelowTheTarget) {
  const Fixture& f = Shared();
  std::vector<std::string> sorted;
  for (const auto& [term, postings] : f.naive.terms) sorted.push_back(term);
  std::mt19937 rng(5);
  std::vector<std::string> targets = {"", "a", "zzzzzzzzz", "\xD8", "\xD9\x8A\xD9\x8A\xD9\x8A",
                                      sorted.front(), sorted.back(), sorted.back() + "a"};
  for (int i = 0; i < 500; ++i) {
    const std::string& t = sorted[rng() % sorted.size()];
    targets.push_back(t);
    targets.push_back(t.substr(0, t.size() / 2));  // a prefix: the prefix-search use
    targets.push_back(t + "\x01");
  }
  for (const std::string& target : targets) {
    TermEnum e = f.segment->Terms();
    auto want = std::lower_bound(sorted.begin(), sorted.end(), target);
    const bool found = e.SeekCeil(target);
    ASSERT_EQ(found, want != sorted.end()) << target;
    for (int step = 0; step < 40 && want != sorted.end(); ++step, ++want) {
      ASSERT_EQ(e.term(), *want) << "after SeekCeil(" << target << ") step " << step;
      EXPECT_EQ(e.Next(), want + 1 != sorted.end());
    }
  }
}

TEST(SegmentTest, KeywordColumnsMatchTheNaiveTables) {
  const Fixture& f = Shared();
  const Segment& s = *f.segment;
  std::vector<std::string> names;
  for (const auto& [name, values] : f.naive.keywords) names.push_back(name);
  EXPECT_EQ(s.keyword_column_names(), names);
  EXPECT_EQ(s.keyword_column("nope"), nullptr);
  for (const auto& [name, values] : f.naive.keywords) {
    const KeywordColumn* column = s.keyword_column(name);
    ASSERT_NE(column, nullptr) << name;
    ASSERT_EQ(column->value_count(), values.size());
    std::vector<std::vector<std::uint32_t>> ordinals(s.doc_count());
    std::uint32_t ordinal = 0;
    for (const auto& [value, docs] : values) {
      EXPECT_EQ(column->value(ordinal), value);
      EXPECT_EQ(column->Find(value), ordinal);
      EXPECT_EQ(ToVector(column->Docs(ordinal)), docs) << name << "=" << value;
      EXPECT_EQ(&column->Docs(ordinal), &column->Docs(ordinal)) << "loaded once";
      for (std::uint32_t d : docs) ordinals[d].push_back(ordinal);
      ++ordinal;
    }
    EXPECT_FALSE(column->Find("absent value").has_value());
    EXPECT_FALSE(column->Find("").has_value());
    for (std::uint32_t d = 0; d < s.doc_count(); ++d) {
      const auto got = column->Ordinals(d);
      ASSERT_EQ(std::vector<std::uint32_t>(got.begin(), got.end()), ordinals[d]) << d;
    }
  }
}

TEST(SegmentTest, NumberColumnsMatchTheNaiveTables) {
  const Fixture& f = Shared();
  const Segment& s = *f.segment;
  EXPECT_EQ(s.number_column_names(), (std::vector<std::string>{"score", "time"}));
  EXPECT_EQ(s.number_column("nope"), nullptr);
  for (const auto& [name, values] : f.naive.numbers) {
    const NumberColumn* column = s.number_column(name);
    ASSERT_NE(column, nullptr);
    int missing = 0;
    for (std::uint32_t d = 0; d < s.doc_count(); ++d) {
      auto it = values.find(d);
      if (it == values.end()) {
        EXPECT_FALSE(column->Get(d).has_value()) << name << " " << d;
        ++missing;
      } else {
        EXPECT_EQ(column->Get(d), it->second) << name << " " << d;
      }
    }
    EXPECT_GT(missing, 0) << name;
    EXPECT_FALSE(column->Get(s.doc_count()).has_value());
  }
}

TEST(SegmentTest, ReadersMatchTheDocuments) {
  const Fixture& f = Shared();
  const auto& readers = f.segment->readers();
  ASSERT_EQ(readers.size(), f.naive.readers.size());
  for (const auto& [reader, docs] : f.naive.readers) {
    auto it = readers.find(reader);
    ASSERT_NE(it, readers.end()) << reader;
    EXPECT_EQ(ToVector(it->second), docs) << reader;
  }
}

TEST(VisibilityTest, OverlayWidensAndLengthsAreSummed) {
  const Fixture& f = Shared();
  const Segment& s = *f.segment;
  VisibilityOverlay overlay;
  overlay["org_a"].addMany(3, std::vector<std::uint32_t>{0, 1, 2}.data());
  overlay["org_new"].add(7);
  overlay["org_empty"];  // an empty overlay entry grants nothing
  auto visibility = BuildVisibility(s, overlay);
  const ReaderDocs* a = visibility->Find("org_a");
  ASSERT_NE(a, nullptr);
  Roaring expected_a = s.readers().at("org_a") | overlay["org_a"];
  EXPECT_EQ(a->docs, expected_a);
  std::uint64_t total = 0;
  for (std::uint32_t d : expected_a) total += s.length(d);
  EXPECT_EQ(a->total_length, total);
  const ReaderDocs* fresh = visibility->Find("org_new");
  ASSERT_NE(fresh, nullptr);
  EXPECT_EQ(ToVector(fresh->docs), std::vector<std::uint32_t>{7});
  EXPECT_EQ(fresh->total_length, s.length(7));
  EXPECT_EQ(visibility->Find("org_empty"), nullptr);
  EXPECT_EQ(visibility->Find("nobody"), nullptr);
  const ReaderDocs* b = visibility->Find("org_b");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->docs, s.readers().at("org_b"));

  auto effective = EffectiveReaders(s, overlay);
  EXPECT_EQ(effective.at("org_a"), expected_a);
  EXPECT_EQ(effective.at("org_b"), s.readers().at("org_b"));
  EXPECT_FALSE(effective.contains("org_empty"));
  VisibilityOverlay beyond;
  beyond["org_b"].add(s.doc_count() + 5);  // past the end: clipped
  EXPECT_EQ(EffectiveReaders(s, beyond).at("org_b"), s.readers().at("org_b"));
  EXPECT_EQ(BuildVisibility(s, beyond)->Find("org_b")->docs, s.readers().at("org_b"));
  EXPECT_EQ(BuildVisibility(s)->readers.size(), s.readers().size());
}

// --- small and extreme segments ----------------------------------------------------------

Document Doc(std::int64_t seq, std::vector<DocumentTerm> terms) {
  Document d;
  d.seq = seq;
  d.key = "k" + std::to_string(seq);
  d.terms = std::move(terms);
  return d;
}

TEST(SegmentEdgeTest, OneDocumentSegment) {
  testutil::TempDir dir;
  std::vector<Document> docs = {Doc(9, {{"solo", 4, 1}, {"solo", 9, 3}, {"other", 5, 1}})};
  auto s = WriteAndOpen(dir.Sub("one"), docs);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->doc_count(), 1u);
  EXPECT_EQ(s->min_seq(), 9);
  EXPECT_EQ(s->max_seq(), 9);
  EXPECT_EQ(s->length(0), 5u);
  EXPECT_TRUE(s->readers().empty());
  EXPECT_TRUE(s->keyword_column_names().empty());
  const auto info = s->Lookup("solo");
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->doc_freq, 1u);
  EXPECT_EQ(info->max_freq, 4u);
  PostingsIterator it = s->Postings(*info, true);
  EXPECT_EQ(it.doc(), 0u);
  EXPECT_EQ(it.freq(), 4u);
  EXPECT_EQ(std::vector<std::uint32_t>(it.Positions().begin(), it.Positions().end()),
            (std::vector<std::uint32_t>{4, 9}));
  EXPECT_EQ(it.ShallowAdvance(0), 0u);
  EXPECT_EQ(it.BlockMaxFreq(), 4u);
  EXPECT_EQ(it.BlockMinLength(), 5u);
  EXPECT_EQ(it.ShallowAdvance(1), kNoMoreDocs);
  EXPECT_EQ(it.Advance(1), kNoMoreDocs);
}

TEST(SegmentEdgeTest, BlockBoundariesDenseListsAndExtremeValues) {
  // Terms in exactly 127, 128, 129, 256 and 257 docs; a term in every doc (doc gaps of
  // width 0); a huge weight (frequency width 31); huge and repeated/unsorted positions.
  testutil::TempDir dir;
  std::vector<Document> docs;
  for (std::uint32_t d = 0; d < 700; ++d) {
    std::vector<DocumentTerm> terms = {{"every", 0, 1}};
    if (d < 127) terms.push_back({"n127", 1, 1});
    if (d < 128) terms.push_back({"n128", 2, 1});
    if (d < 129) terms.push_back({"n129", 3, 1});
    if (d % 2 == 0 && d < 512) terms.push_back({"n256", 4, 1});
    if (d % 2 == 1 && d < 514) terms.push_back({"n257", 5, 2});
    if (d == 3) terms.push_back({"heavy", 6, 1u << 30});
    if (d == 600) terms.push_back({"far", 4'000'000'000u, 1});
    // One outlier position makes its block's positions cheaper as varints; the next block,
    // without it, packs.
    if (d < 300) terms.push_back({"outlier", d == 100 ? 3'000'000'000u : 7 + d % 50, 1});
    if (d == 650) {
      terms.push_back({"shuffled", 30, 1});
      terms.push_back({"shuffled", 10, 1});
      terms.push_back({"shuffled", 30, 1});
      terms.push_back({"shuffled", 20, 1});
    }
    docs.push_back(Doc(d * 2 + 1, std::move(terms)));
  }
  auto s = WriteAndOpen(dir.Sub("edges"), docs);
  ASSERT_NE(s, nullptr);
  const NaiveIndex naive = BuildNaive(docs);
  for (const auto& [term, postings] : naive.terms) {
    const auto info = s->Lookup(term);
    ASSERT_TRUE(info.has_value()) << term;
    ExpectPostingsEqual(*s, *info, postings, term);
    ASSERT_EQ(ToVector(s->DocSet(*info)), DocsOf(postings));
  }
  EXPECT_EQ(naive.terms.at("n257").size(), 257u);
  EXPECT_EQ(s->Lookup("heavy")->max_freq, (1u << 30));
  PostingsIterator shuffled = s->Postings(*s->Lookup("shuffled"), true);
  EXPECT_EQ(shuffled.freq(), 4u) << "frequency counts every occurrence";
  EXPECT_EQ(std::vector<std::uint32_t>(shuffled.Positions().begin(), shuffled.Positions().end()),
            (std::vector<std::uint32_t>{10, 20, 30}));
  // Advance straight into the last full block and the tail.
  PostingsIterator every = s->Postings(*s->Lookup("every"));
  EXPECT_EQ(every.Advance(255), 255u);
  EXPECT_EQ(every.Advance(256), 256u);
  EXPECT_EQ(every.Advance(699), 699u);
  EXPECT_EQ(every.Next(), kNoMoreDocs);
}

// --- impacts ---------------------------------------------------------------------------------

// The Pareto front of a set of postings, by definition: the distinct (freq, length) pairs that
// no other pair dominates, ascending.
std::vector<Impact> NaiveFront(const std::vector<Impact>& postings) {
  std::vector<Impact> front;
  for (const Impact& p : postings) {
    bool dominated = false;
    for (const Impact& q : postings) {
      if (q.freq >= p.freq && q.length <= p.length && !(q == p)) dominated = true;
    }
    if (!dominated && std::find(front.begin(), front.end(), p) == front.end()) front.push_back(p);
  }
  std::sort(front.begin(), front.end(),
            [](const Impact& a, const Impact& b) { return a.freq < b.freq; });
  return front;
}

// Checks one stored impact list against the postings it must bound: the exact front when that
// fits, else a narrowed chain that still dominates every posting; and that the BM25 bound it
// gives is at least every posting's score (equal to the best when exact). Returns whether the
// list was narrowed.
bool CheckImpacts(std::span<const Impact> stored, const std::vector<Impact>& postings,
                  const std::string& what) {
  const std::vector<Impact> front = NaiveFront(postings);
  const std::vector<Impact> got(stored.begin(), stored.end());
  const bool narrowed = front.size() > kMaxImpacts;
  if (!narrowed) {
    EXPECT_EQ(got, front) << what;
  } else {
    EXPECT_EQ(got.size(), kMaxImpacts) << what;
    for (std::size_t i = 1; i < got.size(); ++i) {
      EXPECT_GT(got[i].freq, got[i - 1].freq) << what;
      EXPECT_GT(got[i].length, got[i - 1].length) << what;
    }
    for (const Impact& p : postings) {
      const bool covered = std::any_of(got.begin(), got.end(), [&](const Impact& q) {
        return q.freq >= p.freq && q.length <= p.length;
      });
      EXPECT_TRUE(covered) << what << ": (" << p.freq << ", " << p.length << ") not bounded";
    }
    // Merging keeps the extremes: the largest freq and the shortest length are still there.
    EXPECT_EQ(got.back().freq, front.back().freq) << what;
    EXPECT_EQ(got.front().length, front.front().length) << what;
  }
  for (const double avglen : {1.0, 37.5, 180.0, 2000.0}) {
    const double idf = 1.7;
    double bound = 0;
    for (const Impact& q : got) {
      bound = std::max(bound,
                       internal::Bm25Term(idf, q.freq, internal::Bm25Norm(q.length, avglen)));
    }
    double best = 0;
    for (const Impact& p : postings) {
      best = std::max(best,
                      internal::Bm25Term(idf, p.freq, internal::Bm25Norm(p.length, avglen)));
    }
    EXPECT_GE(bound, best) << what << " avglen " << avglen;
    if (!narrowed) {
      EXPECT_EQ(bound, best) << what << " avglen " << avglen << ": exact is tight";
    }
  }
  return narrowed;
}

TEST(SegmentImpactsTest, EveryBlockBoundsItsPostingsAndIsTheParetoFront) {
  // Frequencies and lengths set independently: each doc has a filler term that brings its
  // length to a drawn value. "rises" has freq growing with length (one front pair per distinct
  // freq: fronts far over the cap), "indep" draws both independently (short fronts), "spiky"
  // is mostly 1 with rare large values, "sparse" makes single-block and partial lists.
  for (const std::uint32_t seed : {1u, 2u, 3u}) {
    std::mt19937 rng(seed);
    testutil::TempDir dir;
    const std::uint32_t n = 1500 + rng() % 1500;
    std::vector<Document> docs;
    std::map<std::string, std::vector<std::pair<std::uint32_t, Impact>>> lists;  // doc, posting
    for (std::uint32_t d = 0; d < n; ++d) {
      const std::uint32_t length = 60 + rng() % 2000;
      std::vector<std::pair<std::string, std::uint32_t>> terms;
      if (rng() % 10 < 9) terms.emplace_back("rises", 1 + length / 12 + rng() % 3);
      if (rng() % 10 < 7) terms.emplace_back("indep", 1 + rng() % 50);
      terms.emplace_back("spiky", rng() % 50 == 0 ? 1 + rng() % 40 : 1);
      if (rng() % 40 == 0) terms.emplace_back("sparse", 1 + rng() % 5);
      std::vector<DocumentTerm> doc_terms;
      std::uint32_t used = 0;
      std::uint32_t position = 0;
      for (const auto& [term, freq] : terms) {
        doc_terms.push_back({term, position++, freq});  // one occurrence of weight freq
        used += freq;
      }
      ASSERT_LT(used, length);
      doc_terms.push_back({"zfill", position++, length - used});
      for (const auto& [term, freq] : terms) lists[term].push_back({d, Impact{freq, length}});
      docs.push_back(Doc(d + 1, std::move(doc_terms)));
    }
    auto s = WriteAndOpen(dir.Sub("impacts"), docs);
    ASSERT_NE(s, nullptr);
    int narrowed_blocks = 0;
    int exact_blocks = 0;
    for (const auto& [term, list] : lists) {
      const std::string what = "seed " + std::to_string(seed) + " " + term;
      PostingsIterator it = s->Postings(*s->Lookup(term));
      std::vector<Impact> all;
      for (const auto& [doc, posting] : list) all.push_back(posting);
      CheckImpacts(it.TermImpacts(), all, what + " (term)");
      for (std::size_t first = 0; first < list.size(); first += kBlockSize) {
        const std::size_t end = std::min(list.size(), first + kBlockSize);
        ASSERT_EQ(it.ShallowAdvance(list[first].first), list[end - 1].first) << what;
        std::vector<Impact> block;
        for (std::size_t i = first; i < end; ++i) block.push_back(list[i].second);
        const std::span<const Impact> stored = it.BlockImpacts();
        ASSERT_FALSE(stored.empty()) << what;
        EXPECT_EQ(it.BlockMaxFreq(), stored.back().freq) << what;
        EXPECT_EQ(it.BlockMinLength(), stored.front().length) << what;
        if (list.size() <= kBlockSize) {
          EXPECT_EQ(std::vector<Impact>(stored.begin(), stored.end()),
                    std::vector<Impact>(it.TermImpacts().begin(), it.TermImpacts().end()));
        }
        const bool narrowed =
            CheckImpacts(stored, block, what + " block " + std::to_string(first / kBlockSize));
        ++(narrowed ? narrowed_blocks : exact_blocks);
      }
      EXPECT_EQ(it.ShallowAdvance(list.back().first + 1), kNoMoreDocs);
      EXPECT_TRUE(it.BlockImpacts().empty());
    }
    EXPECT_GT(narrowed_blocks, 0) << "the cap was exercised";
    EXPECT_GT(exact_blocks, 0);
  }
}

TEST(SegmentEdgeTest, DocumentsWithoutTermsOrColumns) {
  testutil::TempDir dir;
  std::vector<Document> docs = {Doc(1, {}), Doc(2, {})};
  docs[1].readers = {"org_x"};
  auto s = WriteAndOpen(dir.Sub("bare"), docs);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->length(0), 0u);
  EXPECT_FALSE(s->Lookup("anything").has_value());
  TermEnum e = s->Terms();
  EXPECT_FALSE(e.Next());
  EXPECT_FALSE(s->Terms().SeekCeil(""));
  EXPECT_EQ(ToVector(s->readers().at("org_x")), std::vector<std::uint32_t>{1});
}

TEST(SegmentEdgeTest, RefusesEmptyAndUnorderedInput) {
  testutil::TempDir dir;
  EXPECT_EQ(WriteSegment(dir.Sub("x"), {}).code(), core::Code::kInvalidArgument);
  std::vector<Document> docs = {Doc(5, {{"a", 0, 1}}), Doc(5, {{"b", 0, 1}})};
  EXPECT_EQ(WriteSegment(dir.Sub("x"), docs).code(), core::Code::kInvalidArgument);
  docs[1].seq = 4;
  EXPECT_EQ(WriteSegment(dir.Sub("x"), docs).code(), core::Code::kInvalidArgument);
}

// --- damaged files -------------------------------------------------------------------------

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}
void WriteAll(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}
void ExpectCorrupt(const std::string& path, const std::string& what) {
  auto s = Segment::Open(path);
  ASSERT_FALSE(s.ok()) << what;
  EXPECT_EQ(s.status().reason(), "segment_corrupt") << what << ": " << s.status().ToString();
}

TEST(SegmentCorruptionTest, DamagedFilesAreRefused) {
  testutil::TempDir dir;
  CorpusOptions o;
  o.docs = 300;
  o.vocabulary = 500;
  const std::string good_path = dir.Sub("good");
  ASSERT_TRUE(WriteSegment(good_path, MakeCorpus(o)).ok());
  const std::string good = ReadAll(good_path);
  ASSERT_TRUE(Segment::Open(good_path).ok());
  const std::string bad = dir.Sub("bad");

  WriteAll(bad, "");
  ExpectCorrupt(bad, "empty");
  for (std::size_t keep : {std::size_t{10}, std::size_t{55}, good.size() / 2, good.size() - 1}) {
    WriteAll(bad, good.substr(0, keep));
    ExpectCorrupt(bad, "truncated to " + std::to_string(keep));
  }
  WriteAll(bad, good + std::string(8, '\0'));
  ExpectCorrupt(bad, "extended");
  std::mt19937 rng(9);
  std::vector<std::size_t> flips = {0, 8, 20, good.size() / 3, good.size() - 1, good.size() - 9,
                                    good.size() - 17, good.size() - 30};
  for (int i = 0; i < 40; ++i) flips.push_back(rng() % good.size());
  for (std::size_t at : flips) {
    std::string damaged = good;
    damaged[at] = static_cast<char>(damaged[at] ^ (1 << (rng() % 8)));
    WriteAll(bad, damaged);
    ExpectCorrupt(bad, "bit flipped at " + std::to_string(at));
  }
  auto missing = Segment::Open(dir.Sub("missing"));
  EXPECT_FALSE(missing.ok());
}

}  // namespace
}  // namespace markaz::index
