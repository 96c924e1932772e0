// Tests for MergeSegments (index/segment.h): merging segments must give exactly the segment
// that WriteSegment gives for the concatenated documents with the effective readers, observed
// through the whole reader API, and (since both go through one builder) the same bytes.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "index/segment.h"
#include "index/segment_test_corpus.h"
#include "index/visibility.h"
#include "testutil/temp_dir.h"

namespace markaz::index {
namespace {

using test_corpus::CorpusOptions;
using test_corpus::MakeCorpus;
using test_corpus::ToVector;

std::shared_ptr<const Segment> Open(const std::string& path) {
  auto s = Segment::Open(path);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? *s : nullptr;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Everything a reader of the segment can observe must be equal.
void ExpectSameSegment(const Segment& a, const Segment& b) {
  ASSERT_EQ(a.doc_count(), b.doc_count());
  EXPECT_EQ(a.min_seq(), b.min_seq());
  EXPECT_EQ(a.max_seq(), b.max_seq());
  for (std::uint32_t d = 0; d < a.doc_count(); ++d) {
    ASSERT_EQ(a.key(d), b.key(d));
    ASSERT_EQ(a.seq(d), b.seq(d));
    ASSERT_EQ(a.length(d), b.length(d));
  }
  TermEnum ea = a.Terms();
  TermEnum eb = b.Terms();
  std::size_t terms = 0;
  while (true) {
    const bool more_a = ea.Next();
    ASSERT_EQ(more_a, eb.Next());
    if (!more_a) break;
    ++terms;
    ASSERT_EQ(ea.term(), eb.term());
    const TermInfo& ia = ea.info();
    const TermInfo& ib = eb.info();
    ASSERT_EQ(ia.doc_freq, ib.doc_freq) << ea.term();
    ASSERT_EQ(ia.max_freq, ib.max_freq) << ea.term();
    ASSERT_EQ(ia.min_length, ib.min_length) << ea.term();
    ASSERT_EQ(ia.bitmap_bytes > 0, ib.bitmap_bytes > 0) << ea.term();
    PostingsIterator pa = a.Postings(ia, true);
    PostingsIterator pb = b.Postings(ib, true);
    while (true) {
      ASSERT_EQ(pa.doc(), pb.doc()) << ea.term();
      ASSERT_EQ(pa.ShallowAdvance(pa.doc()), pb.ShallowAdvance(pb.doc()));
      ASSERT_EQ(pa.BlockMaxFreq(), pb.BlockMaxFreq());
      ASSERT_EQ(pa.BlockMinLength(), pb.BlockMinLength());
      if (pa.doc() == kNoMoreDocs) break;
      ASSERT_EQ(pa.freq(), pb.freq());
      const auto qa = pa.Positions();
      const auto qb = pb.Positions();
      ASSERT_TRUE(std::equal(qa.begin(), qa.end(), qb.begin(), qb.end())) << ea.term();
      pa.Next();
      pb.Next();
    }
    ASSERT_EQ(a.DocSet(ia), b.DocSet(ib));
  }
  EXPECT_GT(terms, 0u);
  ASSERT_EQ(a.keyword_column_names(), b.keyword_column_names());
  for (const std::string& name : a.keyword_column_names()) {
    const KeywordColumn& ca = *a.keyword_column(name);
    const KeywordColumn& cb = *b.keyword_column(name);
    ASSERT_EQ(ca.value_count(), cb.value_count()) << name;
    for (std::uint32_t o = 0; o < ca.value_count(); ++o) {
      ASSERT_EQ(ca.value(o), cb.value(o));
      ASSERT_EQ(ca.Docs(o), cb.Docs(o)) << name << "=" << ca.value(o);
    }
    for (std::uint32_t d = 0; d < a.doc_count(); ++d) {
      const auto oa = ca.Ordinals(d);
      const auto ob = cb.Ordinals(d);
      ASSERT_TRUE(std::equal(oa.begin(), oa.end(), ob.begin(), ob.end())) << name << " " << d;
    }
  }
  ASSERT_EQ(a.number_column_names(), b.number_column_names());
  for (const std::string& name : a.number_column_names()) {
    for (std::uint32_t d = 0; d < a.doc_count(); ++d) {
      ASSERT_EQ(a.number_column(name)->Get(d), b.number_column(name)->Get(d)) << name << d;
    }
  }
  ASSERT_EQ(a.readers().size(), b.readers().size());
  for (const auto& [reader, docs] : a.readers()) {
    ASSERT_TRUE(b.readers().contains(reader)) << reader;
    EXPECT_EQ(docs, b.readers().at(reader)) << reader;
  }
}

TEST(MergeTest, MergeEqualsWriteOfTheConcatenationWithAnOverlay) {
  testutil::TempDir dir;
  CorpusOptions o;
  o.seed = 1234;
  o.docs = 4500;
  o.vocabulary = 2000;
  std::vector<Document> all = MakeCorpus(o);
  // Three parts of uneven sizes: the commonest terms pass the 4096-doc bitmap threshold only
  // in the merged segment; the last part has no "score" column at all.
  const std::vector<std::size_t> cuts = {0, 1700, 3900, all.size()};
  for (std::size_t d = cuts[2]; d < all.size(); ++d) {
    std::erase_if(all[d].numbers, [](const NumberValue& v) { return v.column == "score"; });
  }
  std::vector<std::shared_ptr<const Segment>> parts;
  for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
    const std::vector<Document> part(all.begin() + cuts[i], all.begin() + cuts[i + 1]);
    const std::string path = dir.Sub("part" + std::to_string(i));
    ASSERT_TRUE(WriteSegment(path, part).ok());
    parts.push_back(Open(path));
    ASSERT_NE(parts.back(), nullptr);
  }
  EXPECT_EQ(parts[2]->number_column("score"), nullptr);

  // The overlay of part 1 widens org_a to three more docs and adds a new reader, org_late.
  VisibilityOverlay overlay;
  for (std::uint32_t d : {0u, 5u, 77u}) {
    overlay["org_a"].add(d);
    overlay["org_late"].add(d + 1);
  }
  const auto effective = EffectiveReaders(*parts[1], overlay);
  for (const auto& [reader, docs] : overlay) {
    for (std::uint32_t d : docs) {
      std::vector<std::string>& readers = all[cuts[1] + d].readers;
      if (std::find(readers.begin(), readers.end(), reader) == readers.end()) {
        readers.push_back(reader);
        std::sort(readers.begin(), readers.end());
      }
    }
  }

  const std::vector<MergeInput> inputs = {{parts[0], nullptr}, {parts[1], &effective},
                                          {parts[2], nullptr}};
  ASSERT_TRUE(MergeSegments(dir.Sub("merged"), inputs).ok());
  ASSERT_TRUE(WriteSegment(dir.Sub("written"), all).ok());
  auto merged = Open(dir.Sub("merged"));
  auto written = Open(dir.Sub("written"));
  ASSERT_NE(merged, nullptr);
  ASSERT_NE(written, nullptr);
  EXPECT_TRUE(merged->readers().contains("org_late"));
  bool any_bitmap = false;
  TermEnum e = merged->Terms();
  while (e.Next()) any_bitmap |= e.info().bitmap_bytes > 0;
  EXPECT_TRUE(any_bitmap) << "the merge must cross the bitmap threshold";
  ExpectSameSegment(*merged, *written);
  EXPECT_EQ(ReadAll(dir.Sub("merged")), ReadAll(dir.Sub("written")))
      << "one builder: the same documents give the same bytes";
}

TEST(MergeTest, MergingOneSegmentRewritesItUnchanged) {
  testutil::TempDir dir;
  CorpusOptions o;
  o.docs = 400;
  const std::vector<Document> docs = MakeCorpus(o);
  ASSERT_TRUE(WriteSegment(dir.Sub("a"), docs).ok());
  auto a = Open(dir.Sub("a"));
  const std::vector<MergeInput> inputs = {{a, nullptr}};
  ASSERT_TRUE(MergeSegments(dir.Sub("b"), inputs).ok());
  auto b = Open(dir.Sub("b"));
  ExpectSameSegment(*a, *b);
  EXPECT_EQ(ReadAll(dir.Sub("a")), ReadAll(dir.Sub("b")));
}

TEST(MergeTest, RefusesOverlappingOrMissingInputs) {
  testutil::TempDir dir;
  CorpusOptions o;
  o.docs = 50;
  ASSERT_TRUE(WriteSegment(dir.Sub("a"), MakeCorpus(o)).ok());
  o.first_seq = 10'000;
  ASSERT_TRUE(WriteSegment(dir.Sub("b"), MakeCorpus(o)).ok());
  auto a = Open(dir.Sub("a"));
  auto b = Open(dir.Sub("b"));
  const std::vector<MergeInput> backwards = {{b, nullptr}, {a, nullptr}};
  EXPECT_EQ(MergeSegments(dir.Sub("m"), backwards).code(), core::Code::kInvalidArgument);
  const std::vector<MergeInput> twice = {{a, nullptr}, {a, nullptr}};
  EXPECT_EQ(MergeSegments(dir.Sub("m"), twice).code(), core::Code::kInvalidArgument);
  EXPECT_EQ(MergeSegments(dir.Sub("m"), {}).code(), core::Code::kInvalidArgument);
  const std::vector<MergeInput> missing = {{nullptr, nullptr}};
  EXPECT_EQ(MergeSegments(dir.Sub("m"), missing).code(), core::Code::kInvalidArgument);
  const std::vector<MergeInput> ordered = {{a, nullptr}, {b, nullptr}};
  EXPECT_TRUE(MergeSegments(dir.Sub("m"), ordered).ok());
  auto m = Open(dir.Sub("m"));
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->doc_count(), 100u);
  EXPECT_EQ(m->key(50), b->key(0));
}

}  // namespace
}  // namespace markaz::index
