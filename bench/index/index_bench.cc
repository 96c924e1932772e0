// Benchmarks for index/ internals (issue 5): a segment's write, Open and Next() speed and where
// its bytes go; Search() latency per query kind on 200k documents in 4 segments; the index
// manager's flush and merge throughput and write amplification. End-to-end search over HTTP,
// beside SQLite FTS5, is bench/search/search_bench.cc.
//
//   build/<dir>/bench/index_bench [--benchmark_filter=Segment|Search|Index]
//
// The corpora are generated exactly as the timing tests they replace generated theirs
// (segment_test.cc, searcher_test.cc, index_test.cc), so the figures compare with the old ones.
// Rates: single-threaded benchmarks divide by the benchmark thread's CPU time (the figure that
// does not depend on the machine's load); the index manager's, whose work runs on background
// threads, by wall time.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "index/document.h"
#include "index/index.h"
#include "index/searcher.h"
#include "index/segment.h"
#include "index/segment_test_corpus.h"
#include "index/visibility.h"
#include "testutil/temp_dir.h"

namespace markaz::index {
namespace {

using test_corpus::MakeDoc;

// ---- segments ----------------------------------------------------------------------------

// Report-sized documents: ~300 tokens, ~150 distinct, over a 50k-word Zipf vocabulary, written
// once as the segment the Open and Next() benchmarks read.
struct SegmentFixture {
  SegmentFixture() {
    test_corpus::CorpusOptions o;
    o.seed = 77;
    o.docs = 20000;
    o.vocabulary = 50000;
    o.min_tokens = 250;
    o.max_tokens = 350;
    docs = test_corpus::MakeCorpus(o);
    for (const Document& d : docs) {
      for (const DocumentTerm& t : d.terms) term_text_bytes += t.term.size() + 1;
    }
    path = dir.Sub("segment");
    ok = WriteSegment(path, docs).ok();
    core::Result<std::shared_ptr<const Segment>> opened = Segment::Open(path);
    ok = ok && opened.ok();
    if (!ok) return;
    segment = *opened;
    // Where the bytes go: per term, [doc blocks][positions][bitmap], laid end to end.
    TermEnum e = segment->Terms();
    TermInfo previous;
    bool first = true;
    while (e.Next()) {
      const TermInfo& info = e.info();
      if (!first) position_bytes += info.postings_offset - previous.positions_offset;
      first = false;
      doc_bytes += info.positions_offset - info.postings_offset;
      bitmap_bytes += info.bitmap_bytes;
      position_bytes -= info.bitmap_bytes;
      previous = info;
      if (info.doc_freq > 2000) long_lists.push_back(info);
    }
  }

  testutil::TempDir dir;  // first: removed after the segment that maps a file in it
  std::vector<Document> docs;
  std::string path;
  bool ok = false;
  std::shared_ptr<const Segment> segment;
  std::vector<TermInfo> long_lists;  // doc_freq > 2000: what Next() is timed on
  std::uint64_t term_text_bytes = 0;
  std::uint64_t doc_bytes = 0;
  std::uint64_t position_bytes = 0;  // the last term's positions excluded
  std::uint64_t bitmap_bytes = 0;
};

const SegmentFixture& Segments() {
  static const SegmentFixture fixture;
  return fixture;
}

double PerDoc(std::uint64_t bytes, const SegmentFixture& f) {
  return static_cast<double>(bytes) / static_cast<double>(f.docs.size());
}

// WriteSegment of the 20k documents; the counters say where the file's bytes go.
void BM_SegmentWrite(benchmark::State& state) {
  const SegmentFixture& f = Segments();
  if (!f.ok) return state.SkipWithError("could not write the segment");
  const std::string path = f.dir.Sub("write");
  for (auto _ : state) {
    if (!WriteSegment(path, f.docs).ok()) return state.SkipWithError("WriteSegment failed");
  }
  const double docs = static_cast<double>(f.docs.size());
  state.counters["docs/s"] =
      benchmark::Counter(docs, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["file_B/doc"] = PerDoc(f.segment->file_bytes(), f);
  state.counters["ids+freqs_B/doc"] = PerDoc(f.doc_bytes, f);
  state.counters["positions_B/doc"] = PerDoc(f.position_bytes, f);
  state.counters["bitmaps_B/doc"] = PerDoc(f.bitmap_bytes, f);
  state.counters["x_term_text"] =
      static_cast<double>(f.segment->file_bytes()) / static_cast<double>(f.term_text_bytes);
}
BENCHMARK(BM_SegmentWrite)->Unit(benchmark::kMillisecond);

// Segment::Open of the same file, in the page cache (as after a flush or a merge).
void BM_SegmentOpen(benchmark::State& state) {
  const SegmentFixture& f = Segments();
  if (!f.ok) return state.SkipWithError("could not write the segment");
  for (auto _ : state) {
    core::Result<std::shared_ptr<const Segment>> opened = Segment::Open(f.path);
    if (!opened.ok()) return state.SkipWithError("Segment::Open failed");
    benchmark::DoNotOptimize(opened);
  }
}
BENCHMARK(BM_SegmentOpen)->Unit(benchmark::kMicrosecond);

// Next() through every list longer than 2000 documents; an iteration walks them all once.
void BM_SegmentPostingsNext(benchmark::State& state) {
  const SegmentFixture& f = Segments();
  if (!f.ok) return state.SkipWithError("could not write the segment");
  std::uint64_t per_pass = 0;
  for (const TermInfo& info : f.long_lists) per_pass += info.doc_freq;
  std::uint64_t checksum = 0;
  for (auto _ : state) {
    for (const TermInfo& info : f.long_lists) {
      PostingsIterator it = f.segment->Postings(info);
      for (std::uint32_t d = it.doc(); d != kNoMoreDocs; d = it.Next()) checksum += d;
    }
    benchmark::DoNotOptimize(checksum);
  }
  state.counters["docs/s"] = benchmark::Counter(static_cast<double>(per_pass),
                                                benchmark::Counter::kIsIterationInvariantRate);
  state.counters["lists"] = static_cast<double>(f.long_lists.size());
}
BENCHMARK(BM_SegmentPostingsNext)->Unit(benchmark::kMillisecond);

// ---- search ------------------------------------------------------------------------------

struct QueryKind {
  const char* name;
  std::size_t terms;
  std::size_t lo, hi;  // Zipf ranks of the query terms
};
constexpr QueryKind kKinds[] = {{"frequent_1_term", 1, 0, 10},
                                {"frequent_2_terms", 2, 0, 30},
                                {"mixed_2_terms", 2, 0, 2000},
                                {"rare_1_term", 1, 2000, 40000},
                                {"mixed_3_terms", 3, 0, 5000}};
constexpr std::size_t kKindCount = sizeof(kKinds) / sizeof(kKinds[0]);
constexpr int kQueriesPerKind = 300;

// 200k documents of ~1–3 KB (8 title terms, 100–400 body terms over a 50k-word Zipf
// vocabulary), readers org-a and (3 in 4) org-b, in 4 segments; and 300 queries per kind.
struct SearchFixture {
  SearchFixture() {
    constexpr std::size_t kDocs = 200'000;
    constexpr std::size_t kSegments = 4;
    std::mt19937_64 rng(7);
    std::vector<double> w(50'000);
    for (std::size_t i = 0; i < w.size(); ++i) w[i] = 1.0 / static_cast<double>(i + 1);
    std::discrete_distribution<std::size_t> zipf(w.begin(), w.end());
    const auto start = std::chrono::steady_clock::now();
    // Written a segment at a time: the documents of all four need not be in memory.
    for (std::size_t s = 0; s < kSegments; ++s) {
      std::vector<Document> docs;
      for (std::size_t i = s * kDocs / kSegments; i < (s + 1) * kDocs / kSegments; ++i) {
        std::vector<std::string> title(8), body(100 + rng() % 301);
        for (std::string& t : title) t = "w" + std::to_string(zipf(rng));
        for (std::string& t : body) t = "w" + std::to_string(zipf(rng));
        std::vector<std::string> readers = {"org-a"};
        if (rng() % 4 != 0) readers.push_back("org-b");
        docs.push_back(MakeDoc("rep_" + std::to_string(i), static_cast<std::int64_t>(i + 1), title,
                               body, readers));
        docs.back().keywords.push_back({"lang", (rng() % 2) ? "ar" : "en"});
      }
      const std::string file = dir.Sub("seg" + std::to_string(s));
      if (!WriteSegment(file, docs).ok()) return;
      core::Result<std::shared_ptr<const Segment>> opened = Segment::Open(file);
      if (!opened.ok()) return;
      segments.push_back({*opened, BuildVisibility(**opened)});
    }
    build_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ok = true;

    // The query terms the timing test drew: its RandomCorpus(42) took three numbers from this
    // generator in its constructor before the queries, kind after kind.
    std::mt19937_64 qrng(42);
    auto uniform = [&](std::size_t lo, std::size_t hi) {
      return std::uniform_int_distribution<std::size_t>(lo, hi)(qrng);
    };
    uniform(30, 1500);
    std::uniform_real_distribution<double>(0, 1)(qrng);
    uniform(2, 5);
    for (std::size_t k = 0; k < kKindCount; ++k) {
      for (int i = 0; i < kQueriesPerKind; ++i) {
        SearchRequest request;
        request.reader = "org-b";
        request.limit = 20;
        for (std::size_t t = 0; t < kKinds[k].terms; ++t) {
          const std::string term = "w" + std::to_string(uniform(kKinds[k].lo, kKinds[k].hi));
          request.query.must.push_back(Group{{Phrase{{term}}}});
        }
        queries[k].push_back(std::move(request));
      }
    }
  }

  testutil::TempDir dir;  // first: removed after the segments that map files in it
  std::vector<SegmentView> segments;
  std::vector<SearchRequest> queries[kKindCount];
  double build_s = 0;
  bool ok = false;
};

const SearchFixture& Searches() {
  static const SearchFixture fixture;
  return fixture;
}

// One query of the kind per iteration, in the fixed order; the mean is Google Benchmark's
// time, p50/p99 come from the per-iteration timings.
void BM_Search(benchmark::State& state) {
  const SearchFixture& f = Searches();
  if (!f.ok) return state.SkipWithError("could not build the 200k-document index");
  const std::vector<SearchRequest>& queries = f.queries[static_cast<std::size_t>(state.range(0))];
  state.SetLabel(kKinds[state.range(0)].name);
  std::vector<double> micros;
  micros.reserve(static_cast<std::size_t>(state.max_iterations));
  std::size_t next = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    SearchResult result = Search(f.segments, queries[next]);
    micros.push_back(
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
            .count());
    benchmark::DoNotOptimize(result);
    next = (next + 1) % queries.size();
  }
  std::sort(micros.begin(), micros.end());
  state.counters["p50_us"] = micros[micros.size() / 2];
  state.counters["p99_us"] = micros[micros.size() * 99 / 100];
  state.counters["build_s"] = f.build_s;
  state.SetItemsProcessed(state.iterations());
}
// Each query once, as the timing test ran them.
BENCHMARK(BM_Search)
    ->DenseRange(0, kKindCount - 1)
    ->Iterations(kQueriesPerKind)
    ->Unit(benchmark::kMicrosecond);

// ---- the index manager -------------------------------------------------------------------

// Documents of ~150 terms drawn from a Zipf vocabulary, columns and 1–3 readers of 10 orgs.
class DocMaker {
 public:
  DocMaker() : rng_(5), zipf_(Zipf()) {
    for (int i = 0; i < kVocabulary; ++i) words_.push_back("w" + std::to_string(i));
  }
  Document Make(std::int64_t seq) {
    Document d;
    d.key = "rep_" + std::to_string(seq);
    d.seq = seq;
    d.terms.reserve(kTerms);
    for (std::uint32_t p = 0; p < kTerms; ++p) {
      d.terms.push_back({words_[zipf_(rng_)], p, p < 10 ? kTitleWeight : 1});
    }
    d.keywords = {{"lang", seq % 3 == 0 ? "ar" : "en"},
                  {"originator", "org-" + std::to_string(seq % 10)}};
    d.numbers = {{"time", 1'400'000'000'000 + seq * 1000}};
    std::set<std::string> readers = {"org-" + std::to_string(seq % 10)};
    for (int i = 0; i < static_cast<int>(rng_() % 3); ++i)
      readers.insert("org-" + std::to_string(rng_() % 10));
    d.readers.assign(readers.begin(), readers.end());
    return d;
  }

 private:
  static constexpr int kVocabulary = 100'000;
  static constexpr std::uint32_t kTerms = 150;
  static std::discrete_distribution<int> Zipf() {
    std::vector<double> w(kVocabulary);
    for (int i = 0; i < kVocabulary; ++i) w[static_cast<std::size_t>(i)] = 1.0 / (i + 1);
    return std::discrete_distribution<int>(w.begin(), w.end());
  }
  std::mt19937_64 rng_;
  std::discrete_distribution<int> zipf_;
  std::vector<std::string> words_;
};

constexpr std::int64_t kIndexDocs = 200'000;
constexpr std::int64_t kFlushBatch = 10'000;

IndexOptions ManualOptions(const std::string& dir) {
  IndexOptions o;
  o.dir = dir;
  o.background = false;  // only Flush()/Merge() do the work, on this thread
  return o;
}

std::unique_ptr<Index> OpenIndex(const IndexOptions& o) {
  core::Result<std::unique_ptr<Index>> index = Index::Open(o);
  return index.ok() ? std::move(index).value() : nullptr;
}

// Adds documents first..first+kFlushBatch-1 from `maker`.
bool AddBatch(Index& index, DocMaker& maker, std::int64_t first) {
  for (std::int64_t s = first; s < first + kFlushBatch; ++s) {
    if (!index.Add(maker.Make(s))) return false;
  }
  return true;
}

// The 200k documents flushed in 10k-doc batches, untimed: the input of the merge benchmarks.
bool FlushAll(Index& index) {
  DocMaker maker;
  for (std::int64_t s = 1; s <= kIndexDocs; s += kFlushBatch) {
    if (!AddBatch(index, maker, s) || !index.Flush().ok()) return false;
  }
  return true;
}

void SetAmplification(benchmark::State& state, const IndexStats& st) {
  state.counters["write_amp"] =
      static_cast<double>(st.bytes_written) / static_cast<double>(st.bytes_flushed);
  state.counters["segments"] = static_cast<double>(st.segments);
  state.counters["MB_on_disk"] = static_cast<double>(st.bytes_on_disk) / 1e6;
}

// Flush() of 10k-document batches (generating and adding them untimed): 20 iterations, 200k
// documents.
void BM_IndexFlush(benchmark::State& state) {
  testutil::TempDir tmp;
  std::unique_ptr<Index> index = OpenIndex(ManualOptions(tmp.Sub("index")));
  if (index == nullptr) return state.SkipWithError("Index::Open failed");
  DocMaker maker;
  std::int64_t next = 1;
  for (auto _ : state) {
    state.PauseTiming();
    const bool added = AddBatch(*index, maker, next);
    next += kFlushBatch;
    state.ResumeTiming();
    if (!added || !index->Flush().ok()) return state.SkipWithError("Add or Flush failed");
  }
  state.counters["docs/s"] = benchmark::Counter(static_cast<double>(kFlushBatch),
                                                benchmark::Counter::kIsIterationInvariantRate);
  SetAmplification(state, index->stats());
}
BENCHMARK(BM_IndexFlush)
    ->Iterations(kIndexDocs / kFlushBatch)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// The default merge policy to its fixed point over the 20 flushed segments. docs/s is
// approximate: the documents merged are estimated from the bytes merges wrote.
void BM_IndexMerge(benchmark::State& state) {
  testutil::TempDir tmp;
  const IndexOptions o = ManualOptions(tmp.Sub("index"));
  std::unique_ptr<Index> index = OpenIndex(o);
  if (index == nullptr || !FlushAll(*index)) return state.SkipWithError("setup failed");
  for (auto _ : state) {
    if (!index->Merge().ok()) return state.SkipWithError("Merge failed");
  }
  const IndexStats st = index->stats();
  const double merged_docs = static_cast<double>(st.bytes_written - st.bytes_flushed) /
                             static_cast<double>(st.bytes_flushed) * kIndexDocs;
  state.counters["docs/s"] = benchmark::Counter(merged_docs, benchmark::Counter::kIsRate);
  state.counters["merges"] = static_cast<double>(st.merges);
  state.counters["segments_per_tier"] = static_cast<double>(o.merge.segments_per_tier);
  SetAmplification(state, st);
}
BENCHMARK(BM_IndexMerge)->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);

// ForceMerge() into one segment after the policy merges.
void BM_IndexForceMerge(benchmark::State& state) {
  testutil::TempDir tmp;
  std::unique_ptr<Index> index = OpenIndex(ManualOptions(tmp.Sub("index")));
  if (index == nullptr || !FlushAll(*index) || !index->Merge().ok()) {
    return state.SkipWithError("setup failed");
  }
  const std::uint64_t before = index->stats().bytes_written;
  for (auto _ : state) {
    if (!index->ForceMerge().ok()) return state.SkipWithError("ForceMerge failed");
  }
  const IndexStats st = index->stats();
  state.counters["docs/s"] =
      benchmark::Counter(static_cast<double>(kIndexDocs), benchmark::Counter::kIsRate);
  state.counters["bytes/s"] =
      benchmark::Counter(static_cast<double>(st.bytes_written - before),
                         benchmark::Counter::kIsRate, benchmark::Counter::kIs1000);
  SetAmplification(state, st);
}
BENCHMARK(BM_IndexForceMerge)->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);

// End to end with the background threads and the default policy: one producer adding as fast
// as it can generate (generation and back-pressure included), then a final Flush().
void BM_IndexBackgroundIngest(benchmark::State& state) {
  testutil::TempDir tmp;
  IndexOptions o;
  o.dir = tmp.Sub("index");
  o.background = true;
  o.flush_interval = std::chrono::milliseconds(250);
  o.max_buffered_docs = 10'000;
  std::unique_ptr<Index> index = OpenIndex(o);
  if (index == nullptr) return state.SkipWithError("Index::Open failed");
  DocMaker maker;
  for (auto _ : state) {
    for (std::int64_t s = 1; s <= kIndexDocs; ++s) {
      if (!index->Add(maker.Make(s))) return state.SkipWithError("Add refused a document");
    }
    if (!index->Flush().ok()) return state.SkipWithError("Flush failed");
  }
  const IndexStats st = index->stats();
  state.counters["docs/s"] =
      benchmark::Counter(static_cast<double>(kIndexDocs), benchmark::Counter::kIsRate);
  state.counters["flushes"] = static_cast<double>(st.flushes);
  state.counters["merges"] = static_cast<double>(st.merges);
  SetAmplification(state, st);
}
BENCHMARK(BM_IndexBackgroundIngest)->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace markaz::index
