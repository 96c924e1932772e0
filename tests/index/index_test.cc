#include "index/index.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "index/manifest.h"
#include "testutil/temp_dir.h"

namespace markaz::index {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// A small document: the term every document has, and one only it has.
Document Doc(std::int64_t seq, std::vector<std::string> readers = {"org-a"}) {
  Document d;
  d.key = "doc-" + std::to_string(seq);
  d.seq = seq;
  d.terms = {{"common", 0, 1}, {"u" + std::to_string(seq), 1, 1}};
  d.readers = std::move(readers);
  return d;
}

SearchRequest Request(const std::string& term, const std::string& reader = "org-a",
                      std::size_t limit = 10) {
  SearchRequest r;
  r.query.must.push_back(Group{{Phrase{{term}}}});
  r.reader = reader;
  r.limit = limit;
  return r;
}

std::uint64_t Count(const Index& index, const std::string& term,
                    const std::string& reader = "org-a") {
  return index.Search(Request(term, reader)).total;
}

// Whether seq's unique term finds exactly that one document.
bool FoundOnce(const Index& index, std::int64_t seq, const std::string& reader = "org-a") {
  const SearchResult r = index.Search(Request("u" + std::to_string(seq), reader));
  return r.total == 1 && r.hits.size() == 1 && r.hits[0].seq == seq &&
         r.hits[0].key == "doc-" + std::to_string(seq);
}

IndexOptions Options(const std::string& dir, bool background = false) {
  IndexOptions o;
  o.dir = dir;
  o.background = background;
  o.flush_interval = 50ms;
  o.max_buffered_docs = 1000;
  return o;
}

std::unique_ptr<Index> OpenOrDie(const IndexOptions& options) {
  core::Result<std::unique_ptr<Index>> index = Index::Open(options);
  EXPECT_TRUE(index.ok()) << index.status().ToString();
  return index.ok() ? std::move(index).value() : nullptr;
}

// The files in `dir` other than MANIFEST, and the files the manifest names.
std::set<std::string> FilesBesidesManifest(const fs::path& dir) {
  std::set<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().filename() != kManifestFile) out.insert(e.path().filename().string());
  }
  return out;
}
std::set<std::string> NamedFiles(const fs::path& dir) {
  std::set<std::string> out;
  core::Result<Manifest> m = ReadManifest(dir);
  if (!m.ok()) return out;
  for (const ManifestSegment& s : m->segments) {
    out.insert(s.file);
    if (!s.overlay_file.empty()) out.insert(s.overlay_file);
  }
  return out;
}

TEST(Index, OpenCreatesAnEmptyIndex) {
  testutil::TempDir tmp;
  auto index = OpenOrDie(Options(tmp.Sub("a/b/index")));
  ASSERT_NE(index, nullptr);
  EXPECT_TRUE(fs::is_directory(tmp.Sub("a/b/index")));
  EXPECT_EQ(index->durable_seq(), 0);
  EXPECT_EQ(Count(*index, "common"), 0u);
  EXPECT_EQ(index->stats().segments, 0u);
}

TEST(Index, FlushMakesEverythingSearchableAndDurable) {
  testutil::TempDir tmp;
  auto index = OpenOrDie(Options(tmp.Sub("index")));
  for (int s = 1; s <= 100; ++s) ASSERT_TRUE(index->Add(Doc(s)));
  IndexStats before = index->stats();
  EXPECT_EQ(before.added_seq, 100);
  EXPECT_EQ(before.queued_docs, 100u);
  EXPECT_EQ(Count(*index, "common"), 0u);  // queued, not yet in a segment
  ASSERT_TRUE(index->Flush().ok());
  EXPECT_EQ(Count(*index, "common"), 100u);
  for (int s = 1; s <= 100; ++s) EXPECT_TRUE(FoundOnce(*index, s)) << s;
  const IndexStats after = index->stats();
  EXPECT_EQ(after.durable_seq, 100);
  EXPECT_EQ(index->durable_seq(), 100);
  EXPECT_EQ(after.searchable_seq, 100);
  EXPECT_EQ(after.queued_docs, 0u);
  EXPECT_EQ(after.segments, 1u);
  EXPECT_EQ(after.docs, 100u);
  EXPECT_EQ(after.flushes, 1u);
  EXPECT_GT(after.bytes_on_disk, 0u);
  EXPECT_EQ(after.bytes_written, after.bytes_flushed);
  core::Result<Manifest> m = ReadManifest(tmp.Sub("index"));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->durable_seq, 100);
  EXPECT_EQ(m->segments.size(), 1u);
  ASSERT_TRUE(index->Flush().ok());  // nothing queued: no empty segment
  EXPECT_EQ(index->stats().segments, 1u);
}

TEST(Index, AddIsSearchableWithinTheFlushInterval) {
  testutil::TempDir tmp;
  IndexOptions o = Options(tmp.Sub("index"), /*background=*/true);
  o.flush_interval = 100ms;
  auto index = OpenOrDie(o);
  for (int round = 1; round <= 5; ++round) {
    const auto start = std::chrono::steady_clock::now();
    ASSERT_TRUE(index->Add(Doc(round)));
    while (!FoundOnce(*index, round) && std::chrono::steady_clock::now() - start < 5s) {
      std::this_thread::sleep_for(2ms);
    }
    const auto took = std::chrono::steady_clock::now() - start;
    EXPECT_TRUE(FoundOnce(*index, round));
    // The interval plus one flush; the budget is one second (DESIGN.md §7).
    EXPECT_LT(took, 1s) << std::chrono::duration_cast<std::chrono::milliseconds>(took).count();
  }
}

TEST(Index, FullBufferFlushesBeforeTheInterval) {
  testutil::TempDir tmp;
  IndexOptions o = Options(tmp.Sub("index"), /*background=*/true);
  o.flush_interval = 60s;
  o.max_buffered_docs = 10;
  auto index = OpenOrDie(o);
  for (int s = 1; s <= 10; ++s) ASSERT_TRUE(index->Add(Doc(s)));
  const auto start = std::chrono::steady_clock::now();
  while (Count(*index, "common") < 10 && std::chrono::steady_clock::now() - start < 10s) {
    std::this_thread::sleep_for(2ms);
  }
  EXPECT_EQ(Count(*index, "common"), 10u);
}

// Back-pressure: a producer faster than the flushes is held back, so what is queued or being
// flushed stays bounded (4 × max_buffered_docs queued, plus the batch in flight).
TEST(Index, AddBlocksInsteadOfQueueingWithoutBound) {
  testutil::TempDir tmp;
  IndexOptions o = Options(tmp.Sub("index"), /*background=*/true);
  o.max_buffered_docs = 16;
  auto index = OpenOrDie(o);
  std::size_t most_queued = 0;
  for (int s = 1; s <= 5000; ++s) {
    ASSERT_TRUE(index->Add(Doc(s)));
    most_queued = std::max(most_queued, index->stats().queued_docs);
  }
  EXPECT_LE(most_queued, 8u * 16u);
  EXPECT_GT(most_queued, 16u);  // the producer did outrun the flushes: the bound was tested
  ASSERT_TRUE(index->Flush().ok());
  EXPECT_EQ(Count(*index, "common"), 5000u);
}

TEST(Index, ReopenKeepsEverything) {
  testutil::TempDir tmp;
  {
    auto index = OpenOrDie(Options(tmp.Sub("index")));
    for (int batch = 0; batch < 3; ++batch) {
      for (int s = batch * 100 + 1; s <= batch * 100 + 100; ++s) ASSERT_TRUE(index->Add(Doc(s)));
      ASSERT_TRUE(index->Flush().ok());
    }
  }
  auto index = OpenOrDie(Options(tmp.Sub("index")));
  EXPECT_EQ(index->durable_seq(), 300);
  EXPECT_EQ(index->stats().added_seq, 300);
  EXPECT_EQ(index->stats().segments, 3u);
  EXPECT_EQ(Count(*index, "common"), 300u);
  for (int s = 1; s <= 300; ++s) EXPECT_TRUE(FoundOnce(*index, s)) << s;
}

TEST(Index, DestructorFlushesTheQueue) {
  testutil::TempDir tmp;
  {
    auto index = OpenOrDie(Options(tmp.Sub("index"), /*background=*/true));
    for (int s = 1; s <= 50; ++s) ASSERT_TRUE(index->Add(Doc(s)));
  }
  auto index = OpenOrDie(Options(tmp.Sub("index")));
  EXPECT_EQ(index->durable_seq(), 50);
  EXPECT_EQ(Count(*index, "common"), 50u);
}

TEST(Index, ReplaysAreIgnored) {
  testutil::TempDir tmp;
  {
    auto index = OpenOrDie(Options(tmp.Sub("index")));
    EXPECT_TRUE(index->Add(Doc(5)));
    EXPECT_FALSE(index->Add(Doc(5)));
    EXPECT_FALSE(index->Add(Doc(3)));
    EXPECT_TRUE(index->Add(Doc(9)));
    ASSERT_TRUE(index->Flush().ok());
    EXPECT_FALSE(index->Add(Doc(7)));
    EXPECT_EQ(Count(*index, "common"), 2u);
  }
  auto index = OpenOrDie(Options(tmp.Sub("index")));
  EXPECT_EQ(index->durable_seq(), 9);
  EXPECT_FALSE(index->Add(Doc(9)));  // the store's catch-up re-offers what is held
  EXPECT_FALSE(index->Add(Doc(4)));
  EXPECT_TRUE(index->Add(Doc(10)));
  ASSERT_TRUE(index->Flush().ok());
  EXPECT_EQ(Count(*index, "common"), 3u);
  EXPECT_TRUE(FoundOnce(*index, 5));
  EXPECT_TRUE(FoundOnce(*index, 9));
  EXPECT_TRUE(FoundOnce(*index, 10));
}

TEST(Index, OpenRemovesFilesTheManifestDoesNotName) {
  testutil::TempDir tmp;
  const std::string dir = tmp.Sub("index");
  {
    auto index = OpenOrDie(Options(dir));
    for (int s = 1; s <= 10; ++s) ASSERT_TRUE(index->Add(Doc(s)));
    ASSERT_TRUE(index->Flush().ok());
  }
  const std::set<std::string> named = NamedFiles(dir);
  ASSERT_EQ(named.size(), 1u);
  // What a crash leaves: a half-written flush, a merge output, an overlay, temporaries.
  for (const char* stray : {"seg_00000099.mkz", "seg_00000100.mkz", "ovl_00000101.mkv",
                            "MANIFEST.tmp", "ovl_00000102.mkv.tmp"}) {
    testutil::WriteFile(tmp.Sub("index/") + stray, "half-written");
  }
  testutil::WriteFile(tmp.Sub("index/README.txt"), "not ours: left alone");
  auto index = OpenOrDie(Options(dir));
  std::set<std::string> want = named;
  want.insert("README.txt");
  EXPECT_EQ(FilesBesidesManifest(dir), want);
  EXPECT_EQ(Count(*index, "common"), 10u);
  // New files do not collide with anything the crash left.
  ASSERT_TRUE(index->Add(Doc(11)));
  ASSERT_TRUE(index->Flush().ok());
  EXPECT_EQ(Count(*index, "common"), 11u);
}

TEST(Index, CorruptManifestIsRefused) {
  testutil::TempDir tmp;
  const std::string dir = tmp.Sub("index");
  {
    auto index = OpenOrDie(Options(dir));
    ASSERT_TRUE(index->Add(Doc(1)));
    ASSERT_TRUE(index->Flush().ok());
  }
  std::string bytes = testutil::ReadFile(tmp.Sub("index/MANIFEST"));
  bytes[bytes.size() / 2] ^= 0x04;
  testutil::WriteFile(tmp.Sub("index/MANIFEST"), bytes);
  const std::set<std::string> files = FilesBesidesManifest(dir);
  core::Result<std::unique_ptr<Index>> index = Index::Open(Options(dir));
  ASSERT_FALSE(index.ok());
  EXPECT_EQ(index.status().reason(), "index_manifest_corrupt");
  EXPECT_NE(index.status().message().find("delete it"), std::string::npos);
  EXPECT_EQ(FilesBesidesManifest(dir), files);  // nothing removed on a refused open
}

TEST(Index, MissingSegmentIsRefused) {
  testutil::TempDir tmp;
  const std::string dir = tmp.Sub("index");
  {
    auto index = OpenOrDie(Options(dir));
    ASSERT_TRUE(index->Add(Doc(1)));
    ASSERT_TRUE(index->Flush().ok());
  }
  for (const std::string& f : NamedFiles(dir)) fs::remove(tmp.Sub("index/") + f);
  EXPECT_FALSE(Index::Open(Options(dir)).ok());
}

TEST(Index, MergeKeepsEveryDocumentInSeqOrder) {
  testutil::TempDir tmp;
  const std::string dir = tmp.Sub("index");
  IndexOptions o = Options(dir);
  o.merge.segments_per_tier = 4;
  {
    auto index = OpenOrDie(o);
    for (int batch = 0; batch < 20; ++batch) {
      for (int s = batch * 10 + 1; s <= batch * 10 + 10; ++s) ASSERT_TRUE(index->Add(Doc(s)));
      ASSERT_TRUE(index->Flush().ok());
    }
    EXPECT_EQ(index->stats().segments, 20u);
    ASSERT_TRUE(index->Merge().ok());
    const IndexStats st = index->stats();
    EXPECT_LT(st.segments, 20u);
    EXPECT_GT(st.merges, 0u);
    EXPECT_GT(st.bytes_written, st.bytes_flushed);  // merges rewrite: amplification > 1
    EXPECT_EQ(st.docs, 200u);
    const SearchResult all = index->Search(Request("common", "org-a", 1000));
    ASSERT_EQ(all.total, 200u);
    ASSERT_EQ(all.hits.size(), 200u);
    for (int s = 1; s <= 200; ++s) EXPECT_TRUE(FoundOnce(*index, s)) << s;
    // Retired inputs are gone once no snapshot holds them; only named files remain.
    EXPECT_EQ(FilesBesidesManifest(dir), NamedFiles(dir));
    EXPECT_EQ(NamedFiles(dir).size(), st.segments);
  }
  auto index = OpenOrDie(o);
  EXPECT_EQ(Count(*index, "common"), 200u);
  ASSERT_TRUE(index->ForceMerge().ok());
  EXPECT_EQ(index->stats().segments, 1u);
  for (int s = 1; s <= 200; ++s) EXPECT_TRUE(FoundOnce(*index, s)) << s;
  EXPECT_EQ(FilesBesidesManifest(dir), NamedFiles(dir));
}

TEST(Index, RetiredSegmentOutlivesTheSnapshotThatUsesIt) {
  testutil::TempDir tmp;
  const std::string dir = tmp.Sub("index");
  auto index = OpenOrDie(Options(dir));
  for (int s = 1; s <= 4; ++s) {
    ASSERT_TRUE(index->Add(Doc(s)));
    ASSERT_TRUE(index->Flush().ok());
  }
  // Searches racing a ForceMerge keep finding every document: the old files stay readable
  // until the snapshots naming them are gone.
  std::atomic<bool> done{false};
  std::atomic<int> bad{0};
  std::thread searcher([&] {
    while (!done) {
      if (Count(*index, "common") != 4u) ++bad;
    }
  });
  ASSERT_TRUE(index->ForceMerge().ok());
  std::this_thread::sleep_for(20ms);
  done = true;
  searcher.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_EQ(index->stats().segments, 1u);
  EXPECT_EQ(FilesBesidesManifest(dir), NamedFiles(dir));
}

TEST(Index, WidenAfterFlushPersists) {
  testutil::TempDir tmp;
  const std::string dir = tmp.Sub("index");
  {
    auto index = OpenOrDie(Options(dir));
    for (int s = 1; s <= 20; ++s) ASSERT_TRUE(index->Add(Doc(s)));
    ASSERT_TRUE(index->Flush().ok());
    EXPECT_EQ(Count(*index, "common", "org-b"), 0u);
    const std::vector<std::string> readers = {"org-b", "org-c"};
    ASSERT_TRUE(index->Widen(7, readers).ok());
    EXPECT_TRUE(FoundOnce(*index, 7, "org-b"));
    EXPECT_TRUE(FoundOnce(*index, 7, "org-c"));
    EXPECT_EQ(Count(*index, "common", "org-b"), 1u);
    EXPECT_TRUE(FoundOnce(*index, 7, "org-a"));  // never narrowed
    ASSERT_TRUE(index->Widen(8, readers).ok());
    ASSERT_TRUE(index->Widen(8, readers).ok());  // again: no change
    EXPECT_EQ(Count(*index, "common", "org-b"), 2u);
    EXPECT_EQ(FilesBesidesManifest(dir), NamedFiles(dir));  // the old overlay file is gone
  }
  auto index = OpenOrDie(Options(dir));
  EXPECT_TRUE(FoundOnce(*index, 7, "org-b"));
  EXPECT_TRUE(FoundOnce(*index, 8, "org-c"));
  EXPECT_EQ(Count(*index, "common", "org-b"), 2u);
  EXPECT_EQ(Count(*index, "common", "org-a"), 20u);
}

TEST(Index, WidenBeforeFlushAppliesToTheQueuedDocument) {
  testutil::TempDir tmp;
  const std::string dir = tmp.Sub("index");
  {
    auto index = OpenOrDie(Options(dir));
    for (int s = 1; s <= 5; ++s) ASSERT_TRUE(index->Add(Doc(s)));
    const std::vector<std::string> readers = {"org-b"};
    ASSERT_TRUE(index->Widen(3, readers).ok());
    ASSERT_TRUE(index->Flush().ok());
    EXPECT_TRUE(FoundOnce(*index, 3, "org-b"));
    EXPECT_EQ(Count(*index, "common", "org-b"), 1u);
  }
  auto index = OpenOrDie(Options(dir));
  EXPECT_TRUE(FoundOnce(*index, 3, "org-b"));
  EXPECT_EQ(Count(*index, "common", "org-b"), 1u);
}

TEST(Index, WidenUnknownSeqIsNotIndexed) {
  testutil::TempDir tmp;
  auto index = OpenOrDie(Options(tmp.Sub("index")));
  ASSERT_TRUE(index->Add(Doc(2)));
  ASSERT_TRUE(index->Add(Doc(4)));
  ASSERT_TRUE(index->Flush().ok());
  ASSERT_TRUE(index->Add(Doc(6)));
  const std::vector<std::string> readers = {"org-b"};
  for (std::int64_t seq : {1, 3, 5, 7, 100}) {
    const core::Status s = index->Widen(seq, readers);
    EXPECT_EQ(s.code(), core::Code::kNotFound) << seq;
    EXPECT_EQ(s.reason(), "not_indexed") << seq;
  }
  EXPECT_EQ(Count(*index, "common", "org-b"), 0u);
}

TEST(Index, WidenSurvivesMerge) {
  testutil::TempDir tmp;
  const std::string dir = tmp.Sub("index");
  IndexOptions o = Options(dir);
  o.merge.segments_per_tier = 2;
  const std::vector<std::string> readers = {"org-b"};
  {
    auto index = OpenOrDie(o);
    for (int batch = 0; batch < 4; ++batch) {
      for (int s = batch * 10 + 1; s <= batch * 10 + 10; ++s) ASSERT_TRUE(index->Add(Doc(s)));
      ASSERT_TRUE(index->Flush().ok());
    }
    for (std::int64_t seq : {3, 15, 27, 40}) ASSERT_TRUE(index->Widen(seq, readers).ok());
    ASSERT_TRUE(index->ForceMerge().ok());
    EXPECT_EQ(index->stats().segments, 1u);
    EXPECT_EQ(Count(*index, "common", "org-b"), 4u);
    // Widening the merged segment goes to its own overlay.
    ASSERT_TRUE(index->Widen(33, readers).ok());
    EXPECT_EQ(Count(*index, "common", "org-b"), 5u);
    EXPECT_EQ(FilesBesidesManifest(dir), NamedFiles(dir));
  }
  auto index = OpenOrDie(o);
  EXPECT_EQ(Count(*index, "common", "org-b"), 5u);
  for (std::int64_t seq : {3, 15, 27, 33, 40}) EXPECT_TRUE(FoundOnce(*index, seq, "org-b"));
}

// Widening while background merges rewrite the segments: every widening is kept, whether
// it landed before a merge took its inputs, while it ran, or after.
TEST(Index, WidenDuringConcurrentMergesIsNotLost) {
  testutil::TempDir tmp;
  const std::string dir = tmp.Sub("index");
  IndexOptions o = Options(dir, /*background=*/true);
  o.flush_interval = 5ms;
  o.max_buffered_docs = 50;
  o.merge.segments_per_tier = 2;
  std::set<std::int64_t> widened;
  constexpr std::int64_t kDocs = 4000;
  {
    auto index = OpenOrDie(o);
    std::atomic<std::int64_t> added{0};
    std::thread adder([&] {
      for (std::int64_t s = 1; s <= kDocs; ++s) {
        ASSERT_TRUE(index->Add(Doc(s)));
        added = s;
        if (s % 200 == 0) std::this_thread::sleep_for(1ms);
      }
    });
    std::mt19937_64 rng(7);
    const std::vector<std::string> readers = {"org-b"};
    while (added.load() < kDocs || widened.size() < 300) {
      const std::int64_t hi = added.load();
      if (hi < 10) continue;
      const std::int64_t seq =
          1 + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(hi));
      const core::Status s = index->Widen(seq, readers);
      ASSERT_TRUE(s.ok()) << seq << ": " << s.ToString();
      widened.insert(seq);
    }
    adder.join();
    ASSERT_TRUE(index->Flush().ok());
    ASSERT_TRUE(index->Merge().ok());
    EXPECT_GT(index->stats().merges, 0u);
    EXPECT_EQ(Count(*index, "common", "org-b"), widened.size());
    for (std::int64_t seq : widened) EXPECT_TRUE(FoundOnce(*index, seq, "org-b")) << seq;
  }
  auto index = OpenOrDie(Options(dir));
  EXPECT_EQ(Count(*index, "common", "org-a"), static_cast<std::uint64_t>(kDocs));
  EXPECT_EQ(Count(*index, "common", "org-b"), widened.size());
  EXPECT_EQ(FilesBesidesManifest(dir), NamedFiles(dir));
}

// Searches run on snapshots while one thread adds and the background flushes and merges:
// a search never sees a document twice, never loses one it saw, and totals only grow.
TEST(Index, SearchesRunConcurrentlyWithFlushesAndMerges) {
  testutil::TempDir tmp;
  IndexOptions o = Options(tmp.Sub("index"), /*background=*/true);
  o.flush_interval = 5ms;
  o.max_buffered_docs = 200;
  o.merge.segments_per_tier = 3;
  auto index = OpenOrDie(o);
  constexpr std::int64_t kDocs = 20000;
  std::atomic<bool> done{false};
  std::atomic<int> failures{0};
  std::vector<std::thread> searchers;
  for (int t = 0; t < 3; ++t) {
    searchers.emplace_back([&, t] {
      std::uint64_t last_total = 0;
      std::mt19937_64 rng(static_cast<std::uint64_t>(t));
      while (!done) {
        const SearchResult all = index->Search(Request("common", "org-a", 50));
        if (all.total < last_total) ++failures;
        last_total = all.total;
        for (std::size_t i = 1; i < all.hits.size(); ++i) {
          if (all.hits[i].seq >= all.hits[i - 1].seq) ++failures;  // newest first, no repeat
        }
        if (all.total > 0) {
          const std::int64_t seq = 1 + static_cast<std::int64_t>(rng() % all.total);
          if (!FoundOnce(*index, seq)) ++failures;  // every doc up to total is there once
        }
      }
    });
  }
  for (std::int64_t s = 1; s <= kDocs; ++s) ASSERT_TRUE(index->Add(Doc(s)));
  ASSERT_TRUE(index->Flush().ok());
  done = true;
  for (std::thread& t : searchers) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(Count(*index, "common"), static_cast<std::uint64_t>(kDocs));
  EXPECT_GT(index->stats().merges, 0u);
}

// ---- Crash: SIGKILL a writer at random moments; recovery loses and duplicates nothing. ----

// The child: catches up from durable_seq as the store would, then adds until killed, with
// tiny flushes and the most eager merge policy, widening now and then.
[[noreturn]] void WriteUntilKilled(const std::string& dir, std::int64_t limit) {
  IndexOptions o;
  o.dir = dir;
  o.background = true;
  o.flush_interval = 5ms;
  o.max_buffered_docs = 64;
  o.merge.segments_per_tier = 2;
  core::Result<std::unique_ptr<Index>> index = Index::Open(o);
  if (!index.ok()) _exit(2);
  const std::vector<std::string> readers = {"org-b"};
  for (std::int64_t s = (*index)->durable_seq() + 1; s <= limit; ++s) {
    if (!(*index)->Add(Doc(s))) _exit(3);
    if (s % 97 == 0 && !(*index)->Widen(s - 50, readers).ok()) _exit(4);
  }
  _exit(0);
}

// Checks the recovered index against its manifest: every doc up to durable_seq once, no more.
void ExpectExactlyUpTo(const Index& index, std::int64_t durable) {
  ASSERT_EQ(index.durable_seq(), durable);
  EXPECT_EQ(index.stats().docs, static_cast<std::uint64_t>(durable));
  EXPECT_EQ(Count(index, "common"), static_cast<std::uint64_t>(durable));
  int missing = 0;
  for (std::int64_t s = 1; s <= durable; ++s) {
    if (!FoundOnce(index, s)) ++missing;
  }
  EXPECT_EQ(missing, 0);
  for (std::int64_t s = durable + 1; s <= durable + 100; ++s)
    EXPECT_EQ(Count(index, "u" + std::to_string(s)), 0u);
}

TEST(IndexCrash, SigkillDuringFlushesAndMergesLosesAndDuplicatesNothing) {
  testutil::TempDir tmp;
  const std::string dir = tmp.Sub("index");
  std::mt19937 rng(20260529);
  int strays_seen = 0;
  std::int64_t durable = 0;
  const int delays_ms[] = {15, 40, 70, 90, 150, 200, 250, 400, 500, 600, 900, 1300};
  for (int delay : delays_ms) {
    // Jitter so that the kill lands at a different point of a flush or merge each time.
    const int ms = delay + static_cast<int>(rng() % 20);
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) WriteUntilKilled(dir, 1'000'000);
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    ASSERT_EQ(kill(pid, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the writer ended before the kill: status " << status;

    // What the crash left behind, before recovery cleans it.
    const std::set<std::string> named = NamedFiles(dir);
    for (const std::string& f : FilesBesidesManifest(dir)) strays_seen += named.contains(f) ? 0 : 1;

    auto index = OpenOrDie(Options(dir));
    ASSERT_NE(index, nullptr);
    EXPECT_GE(index->durable_seq(), durable) << "durable_seq went backwards";
    durable = index->durable_seq();
    EXPECT_EQ(FilesBesidesManifest(dir), NamedFiles(dir)) << "after a kill at " << ms << " ms";
    ExpectExactlyUpTo(*index, durable);
    std::printf("[ crash ] killed at %d ms: durable_seq %lld, %zu segments\n", ms,
                static_cast<long long>(durable), index->stats().segments);
  }
  std::printf("[ crash ] files left by the kills and removed on open: %d\n", strays_seen);
  EXPECT_GT(durable, 0);

  // The store's catch-up: re-add everything above durable_seq; the index is then complete.
  auto index = OpenOrDie(Options(dir));
  const std::int64_t target = durable + 500;
  for (std::int64_t s = 1; s <= target; ++s) {
    EXPECT_EQ(index->Add(Doc(s)), s > durable) << s;
  }
  ASSERT_TRUE(index->Flush().ok());
  ExpectExactlyUpTo(*index, target);
}

}  // namespace
}  // namespace markaz::index
