// Reports into the index: the document of a report (terms and their weights, columns, readers)
// and catch-up from the store.
#include "pipeline/indexer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "store/sqlite/sqlite_store.h"
#include "testutil/temp_dir.h"
#include "text/normalize.h"

namespace markaz::pipeline {
namespace {

core::Time At(const char* t) { return core::ParseRfc3339(t).value(); }

constexpr const char* kEntities =
    "country:IQ\tcountry\t33\t44\t\tIQ\ten=Iraq|ar=العراق\n"
    "city:98182\tcity\t33.34058\t44.40088\t7216000\tIQ\ten=Baghdad|ar=بغداد\n";
constexpr const char* kAliases =
    "العراق\tcountry:IQ\tar\t\nIraq\tcountry:IQ\ten\t\nبغداد\tcity:98182\tar\t\n"
    "Baghdad\tcity:98182\ten\t\n";

std::unique_ptr<Processor> MakeProcessor() {
  auto gazetteer = gazetteer::Gazetteer::Parse(kEntities, kAliases);
  EXPECT_TRUE(gazetteer.ok()) << gazetteer.status().ToString();
  auto processor = Processor::Create(*gazetteer, "");
  EXPECT_TRUE(processor.ok()) << processor.status().ToString();
  return std::move(processor).value();
}

std::map<std::string, std::set<std::string>> Keywords(const index::Document& d) {
  std::map<std::string, std::set<std::string>> out;
  for (const auto& k : d.keywords) out[k.column].insert(k.value);
  return out;
}

std::map<std::string, std::int64_t> Numbers(const index::Document& d) {
  std::map<std::string, std::int64_t> out;
  for (const auto& n : d.numbers) {
    EXPECT_TRUE(out.emplace(n.column, n.value).second) << "two values for " << n.column;
  }
  return out;
}

store::ReportRow Report(std::string title, std::string body) {
  store::ReportRow row;
  row.id = "rep_1";
  row.seq = 7;
  row.originator = "m2";
  row.received_at = At("2016-02-03T04:05:06Z");
  row.input.title = std::move(title);
  row.input.body = std::move(body);
  row.input.tlp = core::Tlp::kAmberStrict;
  row.audience = {"m2", "host", "m2"};
  return row;
}

TEST(ToDocument, TitleTokensWeighMoreAndEveryTokenKeepsItsStemAndPosition) {
  auto processor = MakeProcessor();
  store::ReportRow row = Report("Explosion in Baghdad", "Police said the explosion hurt five.");
  const ReportAnalysis analysis = processor->Analyse(row.input);
  const index::Document doc = ToDocument(row, analysis);
  EXPECT_EQ(doc.key, "rep_1");
  EXPECT_EQ(doc.seq, 7);
  ASSERT_EQ(doc.terms.size(), analysis.tokens.size());
  const std::uint32_t title_cps = text::CountCodePoints(row.input.title);
  std::size_t title_terms = 0;
  for (std::size_t i = 0; i < doc.terms.size(); ++i) {
    const text::Token& t = analysis.tokens[i];
    EXPECT_EQ(doc.terms[i].term, t.stem);
    EXPECT_EQ(doc.terms[i].position, t.position);
    const bool in_title = t.span.begin < title_cps;
    EXPECT_EQ(doc.terms[i].weight, in_title ? index::kTitleWeight : 1u) << t.term;
    title_terms += in_title;
  }
  EXPECT_EQ(title_terms, 3u);  // Explosion, in, Baghdad
  // The title's "explosion" and the body's weigh differently but share one term.
  std::map<std::string, std::uint32_t> weight_sum;
  for (const auto& t : doc.terms) weight_sum[t.term] += t.weight;
  EXPECT_EQ(weight_sum[analysis.tokens[0].stem], index::kTitleWeight + 1);
}

TEST(ToDocument, ColumnsAndReaders) {
  auto processor = MakeProcessor();
  struct Case {
    std::optional<core::Time> observed_at;
    core::Time want_time;
  } cases[] = {
      {std::nullopt, At("2016-02-03T04:05:06Z")},                        // received_at
      {At("2015-12-31T23:00:00Z"), At("2015-12-31T23:00:00Z")},  // observed_at wins
  };
  for (const Case& c : cases) {
    store::ReportRow row = Report("انفجار في بغداد", "قال مسؤول في العراق إن الانفجار وقع صباحا.");
    row.input.observed_at = c.observed_at;
    const index::Document doc = ToDocument(row, processor->Analyse(row.input));
    auto kw = Keywords(doc);
    EXPECT_EQ(kw["lang"], std::set<std::string>{"ar"});
    EXPECT_EQ(kw["originator"], std::set<std::string>{"m2"});
    EXPECT_EQ(kw["tlp"], std::set<std::string>{"amber+strict"});
    EXPECT_EQ(kw["entity"], (std::set<std::string>{"city:98182", "country:IQ"}));
    EXPECT_EQ(kw.count("story"), 0u) << "no stories yet";
    auto nums = Numbers(doc);
    EXPECT_EQ(nums["time"], c.want_time.time_since_epoch().count());
    EXPECT_EQ(nums["received_at"], At("2016-02-03T04:05:06Z").time_since_epoch().count());
    EXPECT_EQ(doc.readers, (std::vector<std::string>{"host", "m2"})) << "sorted, unique";
  }
}

class CatchUpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = store::OpenSqliteStore(dir_.Sub("data"), store::OpenMode::kCreate).value();
    core::Charter c;
    c.name = "CatchUp";
    c.start = At("2015-10-01T00:00:00Z");
    c.rotation_order = {"m1", "m2"};
    c.members = {{"m1", core::OrgKind::kMember, {}, true}, {"m2", core::OrgKind::kMember, {}, true}};
    ASSERT_TRUE(store_->Write([&](store::Transaction& txn) { return txn.PutCharter(c); }).ok());
    processor_ = MakeProcessor();
  }

  // Inserts reports "rep_<first>".."rep_<first+n-1>", each naming its own marker word.
  void Insert(int first, int n) {
    ASSERT_TRUE(store_
                    ->Write([&](store::Transaction& txn) -> core::Status {
                      for (int i = first; i < first + n; ++i) {
                        store::ReportRow row;
                        row.id = "rep_" + std::to_string(i);
                        row.originator = i % 2 ? "m1" : "m2";
                        row.received_at = At("2016-01-01T00:00:00Z");
                        row.input.title = "Report " + std::to_string(i);
                        row.input.body = "marker" + std::to_string(i) + " seen near Baghdad.";
                        row.input.lang = "en";
                        row.audience = {"m1", "m2"};
                        MARKAZ_RETURN_IF_ERROR(txn.InsertReport(row).status());
                      }
                      return core::Status::Ok();
                    })
                    .ok());
  }

  std::unique_ptr<index::Index> OpenIndex() {
    index::IndexOptions options;
    options.dir = dir_.Sub("index");
    options.background = false;
    auto opened = index::Index::Open(options);
    EXPECT_TRUE(opened.ok()) << opened.status().ToString();
    return std::move(opened).value();
  }

  std::uint64_t Found(index::Index& index, const std::string& word) {
    index::SearchRequest r;
    r.query = index::ParseQuery(word, *processor_->analyzer(), "en").value();
    r.reader = "m1";
    return index.Search(r).total;
  }

  testutil::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Processor> processor_;
};

TEST_F(CatchUpTest, AddsEveryReportAboveTheManifestOnceAcrossPagesAndReopens) {
  Insert(1, 25);
  {
    auto index = OpenIndex();
    CatchUpOptions small_pages;
    small_pages.page = 4;  // several pages, the last one short
    small_pages.threads = 3;
    auto caught = CatchUp(*store_, *processor_, *index, small_pages);
    ASSERT_TRUE(caught.ok()) << caught.status().ToString();
    EXPECT_EQ(caught->added, 25u);
    EXPECT_EQ(caught->from_seq, 0);
    ASSERT_TRUE(index->Flush().ok());
    EXPECT_EQ(Found(*index, "baghdad"), 25u);
    for (int i : {1, 4, 5, 25}) EXPECT_EQ(Found(*index, "marker" + std::to_string(i)), 1u) << i;
    EXPECT_EQ(index->durable_seq(), caught->to_seq);
  }
  Insert(26, 5);
  auto index = OpenIndex();
  auto caught = CatchUp(*store_, *processor_, *index);
  ASSERT_TRUE(caught.ok()) << caught.status().ToString();
  EXPECT_EQ(caught->added, 5u) << "only what the manifest does not hold";
  ASSERT_TRUE(index->Flush().ok());
  EXPECT_EQ(Found(*index, "baghdad"), 30u) << "nothing twice";
  EXPECT_EQ(Found(*index, "marker28"), 1u);
  auto again = CatchUp(*store_, *processor_, *index);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->added, 0u);
}

}  // namespace
}  // namespace markaz::pipeline
