// Centre::Search over a real SQLite store, processor and index: visibility, filters, snippets,
// cursors, the no-oracle rule, and the answer without an index. Also the cursor's wire form.
#include <gtest/gtest.h>

#include <cctype>
#include <cmath>
#include <cstring>
#include <limits>
#include <set>

#include "centre/centre.h"
#include "centre/search_cursor.h"
#include "pipeline/processor.h"
#include "store/sqlite/sqlite_store.h"
#include "testutil/temp_dir.h"
#include "text/normalize.h"

namespace markaz::centre {
namespace {

using core::Time;

Time At(const char* rfc3339) { return core::ParseRfc3339(rfc3339).value(); }

constexpr const char* kEntities =
    "country:IQ\tcountry\t33\t44\t\tIQ\ten=Iraq|ar=العراق|fr=Irak\n"
    "city:98182\tcity\t33.34058\t44.40088\t7216000\tIQ\ten=Baghdad|ar=بغداد\n";
constexpr const char* kAliases =
    "العراق\tcountry:IQ\tar\t\nIraq\tcountry:IQ\ten\t\nبغداد\tcity:98182\tar\t\n"
    "Baghdad\tcity:98182\ten\t\n";

core::Charter SearchCharter() {
  core::Charter c;
  c.name = "Search Centre";
  c.start = At("2015-10-01T00:00:00Z");
  c.rotation_order = {"host", "m2"};
  c.term = core::TermLength::Months(3).value();
  c.members = {{"host", core::OrgKind::kMember, {{"en", "Host"}}, true},
               {"m2", core::OrgKind::kMember, {{"en", "Two"}}, true}};
  return c;
}

Identity Who(const std::string& org) {
  return Identity{"tok_" + org, org, core::OrgKind::kMember, core::Role::kAnalyst, org};
}

class CentreSearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = store::OpenSqliteStore(dir_.Sub("data"), store::OpenMode::kCreate).value();
    auto gazetteer = gazetteer::Gazetteer::Parse(kEntities, kAliases);
    ASSERT_TRUE(gazetteer.ok()) << gazetteer.status().ToString();
    processor_ = pipeline::Processor::Create(*gazetteer, "").value();
    index::IndexOptions options;
    options.dir = dir_.Sub("index");
    options.background = false;  // Flush() decides when submissions become searchable
    index_ = index::Index::Open(options).value();
    centre_ = std::make_unique<Centre>(*store_, clock_, ids_, processor_.get(), index_.get());
    ASSERT_TRUE(centre_->Init(SearchCharter()).ok());
  }

  // Submits as `org`, visible to `release_to`, and makes it searchable.
  std::string Submit(const std::string& org, const std::string& title, const std::string& body,
                     std::vector<std::string> release_to = {"members"},
                     std::optional<std::string> lang = "en") {
    core::ReportInput in;
    in.title = title;
    in.body = body;
    in.lang = std::move(lang);
    in.tlp = core::Tlp::kGreen;
    in.release_to = std::move(release_to);
    auto r = centre_->Submit(Who(org), in);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_TRUE(index_->Flush().ok());
    clock_.Advance(std::chrono::seconds(1));
    return r.ok() ? r->report.id : "";
  }

  SearchView Search(const std::string& org, SearchParams p) {
    auto r = centre_->Search(Who(org), p);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : SearchView{};
  }

  static SearchParams Q(std::string q) {
    SearchParams p;
    p.q = std::move(q);
    return p;
  }

  static std::vector<std::string> Ids(const SearchView& v) {
    std::vector<std::string> ids;
    for (const auto& h : v.hits) ids.push_back(h.id);
    return ids;
  }

  testutil::TempDir dir_;
  core::ManualClock clock_{At("2016-03-01T12:00:00Z")};
  core::IdGenerator ids_{7};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<pipeline::Processor> processor_;
  std::unique_ptr<index::Index> index_;
  std::unique_ptr<Centre> centre_;
};

TEST_F(CentreSearchTest, EachOrgFindsOnlyWhatItMayRead) {
  const std::string shared = Submit("host", "Convoy seen", "A convoy crossed the river.");
  const std::string own = Submit("host", "Convoy again", "The convoy returned at night.", {});
  EXPECT_EQ(Ids(Search("host", Q("convoy"))).size(), 2u);
  SearchView m2 = Search("m2", Q("convoy"));
  EXPECT_EQ(m2.total, 1u);
  EXPECT_EQ(Ids(m2), std::vector<std::string>{shared});
  // Everything visible, newest first, for an empty query.
  EXPECT_EQ(Ids(Search("host", Q(""))), (std::vector<std::string>{own, shared}));
}

TEST_F(CentreSearchTest, HitsCarryTheReportAndASnippetHighlightingTheMatchedWords) {
  const std::string id = Submit("m2", "Blast in Baghdad",
                                "Police said the blast near the bridge hurt five people. "
                                "Officials in Iraq said more blasts were feared.");
  SearchView v = Search("host", Q("blast"));
  ASSERT_EQ(v.hits.size(), 1u);
  const SearchHit& h = v.hits[0];
  EXPECT_EQ(h.id, id);
  EXPECT_EQ(h.title, "Blast in Baghdad");
  EXPECT_EQ(h.originator, "m2");
  EXPECT_EQ(h.lang, "en");
  EXPECT_EQ(h.tlp, core::Tlp::kGreen);
  EXPECT_GT(h.score, 0);
  EXPECT_FALSE(h.observed_at.has_value());
  ASSERT_FALSE(h.highlights.empty()) << h.snippet;
  for (const auto& [b, e] : h.highlights) {
    std::string word(text::SliceCodePoints(h.snippet, text::Span{b, e}));
    for (char& c : word) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_EQ(word.rfind("blast", 0), 0u) << word;
  }
}

TEST_F(CentreSearchTest, RedAndAmberStrictHitsAreListedWithoutTheirTextAndReadNothing) {
  for (core::Tlp tlp : {core::Tlp::kRed, core::Tlp::kAmberStrict}) {
    core::ReportInput in;
    in.title = "Secret courier route";
    in.body = "The courier crosses at the northern ford every Tuesday.";
    in.lang = "en";
    in.tlp = tlp;
    ASSERT_TRUE(centre_->Submit(Who("host"), in).ok());
  }
  Submit("host", "Courier seen", "A courier was seen in the market.");
  ASSERT_TRUE(index_->Flush().ok());
  const std::int64_t audit_before = store_->AuditHead().value()->seq;

  SearchView v = Search("host", Q("courier"));
  ASSERT_EQ(v.total, 3u);
  int withheld = 0;
  for (const SearchHit& h : v.hits) {
    if (h.tlp == core::Tlp::kRed || h.tlp == core::Tlp::kAmberStrict) {
      ++withheld;
      EXPECT_TRUE(h.withheld);
      EXPECT_EQ(h.title, "");
      EXPECT_EQ(h.snippet, "");
      EXPECT_TRUE(h.highlights.empty());
    } else {
      EXPECT_FALSE(h.withheld);
      EXPECT_EQ(h.title, "Courier seen");
      EXPECT_NE(h.snippet.find("courier"), std::string::npos);
    }
  }
  EXPECT_EQ(withheld, 2);
  // Listing them read nothing: the audit chain did not grow (opening one would).
  EXPECT_EQ(store_->AuditHead().value()->seq, audit_before);
}

TEST_F(CentreSearchTest, FiltersFacetsAndEntityNames) {
  const std::string a = Submit("host", "Iraq report", "Troops moved in Iraq.");
  const std::string b = Submit("m2", "Baghdad report", "Troops moved in Baghdad, Iraq.");
  const std::string c = Submit("m2", "تقرير", "تحركت القوات في بغداد", {"members"}, "ar");

  SearchParams p = Q("");
  p.originators = {"m2"};
  EXPECT_EQ(Ids(Search("host", p)), (std::vector<std::string>{c, b}));
  p = Q("");
  p.langs = {"ar"};
  EXPECT_EQ(Ids(Search("host", p)), std::vector<std::string>{c});
  p = Q("");
  p.entities = {"city:98182"};
  EXPECT_EQ(Ids(Search("host", p)), (std::vector<std::string>{c, b}));
  p = Q("");
  p.entities = {"city:98182", "country:IQ"};  // any of
  EXPECT_EQ(Search("host", p).total, 3u);
  p = Q("");
  p.tlps = {"red"};
  EXPECT_EQ(Search("host", p).total, 0u);

  // from ≤ time < to on received_at (no observed_at): the reports are one second apart.
  auto received = [&](const std::string& id) { return store_->GetReport(id).value()->received_at; };
  p = Q("");
  p.from = received(b);
  EXPECT_EQ(Ids(Search("host", p)), (std::vector<std::string>{c, b}));
  p.to = received(c);
  EXPECT_EQ(Ids(Search("host", p)), std::vector<std::string>{b});

  p = Q("");
  p.names_lang = "ar";
  SearchView v = Search("host", p);
  ASSERT_EQ(v.facets.size(), 3u);
  EXPECT_EQ(v.facets[0].first, "lang");
  EXPECT_EQ(v.facets[1].first, "entity");
  EXPECT_EQ(v.facets[2].first, "originator");
  std::map<std::string, std::uint64_t> origin;
  for (const auto& f : v.facets[2].second) origin[f.value] = f.count;
  EXPECT_EQ(origin, (std::map<std::string, std::uint64_t>{{"host", 1}, {"m2", 2}}));
  EXPECT_EQ(v.entity_names["country:IQ"], "العراق");
  EXPECT_EQ(v.entity_names["city:98182"], "بغداد");

  p.facets = {};
  EXPECT_TRUE(Search("host", p).facets.empty());
}

TEST_F(CentreSearchTest, CursorsWalkEveryPageOnceAndIgnoreOtherOrgsPrivateReports) {
  for (int i = 0; i < 23; ++i) {
    Submit(i % 2 ? "host" : "m2", "Patrol " + std::to_string(i),
           std::string(static_cast<std::size_t>(i % 5 + 1), 'x') + " patrol patrol seen");
  }
  auto walk = [&](const std::string& org) {
    std::vector<SearchView> pages;
    SearchParams p = Q("patrol");
    p.limit = 5;
    for (int guard = 0; guard < 20; ++guard) {
      pages.push_back(Search(org, p));
      if (!pages.back().next_cursor) break;
      p.cursor = *pages.back().next_cursor;
    }
    return pages;
  };
  const std::vector<SearchView> before = walk("m2");
  ASSERT_EQ(before.size(), 5u);
  std::set<std::string> seen;
  for (const SearchView& page : before) {
    EXPECT_EQ(page.total, 23u);
    for (const SearchHit& h : page.hits) EXPECT_TRUE(seen.insert(h.id).second) << "twice: " << h.id;
  }
  EXPECT_EQ(seen.size(), 23u);

  // host's private reports with the same words change nothing m2 can see: not a hit, a score,
  // a total, a facet count, nor a cursor.
  for (int i = 0; i < 6; ++i) Submit("host", "Patrol private", "patrol patrol patrol", {});
  const std::vector<SearchView> after = walk("m2");
  ASSERT_EQ(after.size(), before.size());
  for (std::size_t k = 0; k < before.size(); ++k) {
    EXPECT_EQ(Ids(after[k]), Ids(before[k]));
    EXPECT_EQ(after[k].total, before[k].total);
    EXPECT_EQ(after[k].next_cursor, before[k].next_cursor) << "page " << k;
    for (std::size_t i = 0; i < before[k].hits.size(); ++i) {
      EXPECT_EQ(after[k].hits[i].score, before[k].hits[i].score);
    }
    ASSERT_EQ(after[k].facets.size(), before[k].facets.size());
    for (std::size_t f = 0; f < before[k].facets.size(); ++f) {
      ASSERT_EQ(after[k].facets[f].second.size(), before[k].facets[f].second.size());
      for (std::size_t i = 0; i < before[k].facets[f].second.size(); ++i) {
        EXPECT_EQ(after[k].facets[f].second[i].value, before[k].facets[f].second[i].value);
        EXPECT_EQ(after[k].facets[f].second[i].count, before[k].facets[f].second[i].count);
      }
    }
  }
  // host itself sees them.
  EXPECT_EQ(Search("host", Q("patrol")).total, 29u);
}

TEST_F(CentreSearchTest, RefusalsAreInvalidArgumentsWithStableReasons) {
  Submit("host", "x", "y");
  struct Case {
    SearchParams params;
    std::string reason;
  } cases[] = {
      {Q("\"unclosed"), "bad_query"},
      {Q("nofield:x"), "bad_query"},
      {[] { SearchParams p; p.cursor = "v1AAAA"; return p; }(), "bad_cursor"},
      {[] { SearchParams p; p.cursor = std::string(34, '!'); return p; }(), "bad_cursor"},
      {[] { SearchParams p; p.limit = 0; return p; }(), "bad_limit"},
      {[] { SearchParams p; p.limit = 101; return p; }(), "bad_limit"},
      {[] { SearchParams p; p.facets = {"title"}; return p; }(), "bad_facets"},
  };
  for (const Case& c : cases) {
    auto r = centre_->Search(Who("host"), c.params);
    EXPECT_EQ(r.status().code(), core::Code::kInvalidArgument) << c.reason;
    EXPECT_EQ(r.status().reason(), c.reason);
  }
}

TEST_F(CentreSearchTest, WithoutAnIndexSearchIsUnavailable) {
  Centre no_index(*store_, clock_, ids_, processor_.get());
  auto r = no_index.Search(Who("host"), Q("x"));
  EXPECT_EQ(r.status().code(), core::Code::kUnavailable);
  EXPECT_EQ(r.status().reason(), "search_unavailable");
  // Submitting still works without one.
  core::ReportInput in;
  in.body = "still collected";
  EXPECT_TRUE(no_index.Submit(Who("host"), in).ok());
}

TEST(SearchCursor, RoundTripsExactlyIncludingTheScoresBits) {
  const double scores[] = {0.0, 1.0 / 3.0, std::nextafter(2.5, 3.0), 1e-300, 12345.678901234567};
  for (double score : scores) {
    const index::Cursor c{123456789012345, score, 987654321};
    const std::string wire = EncodeCursor(c);
    EXPECT_EQ(wire.substr(0, 2), "v1");
    for (char ch : wire) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_') << wire;
    auto back = DecodeCursor(wire);
    ASSERT_TRUE(back.ok()) << wire;
    EXPECT_EQ(*back, c);
    EXPECT_EQ(std::memcmp(&back->score, &score, sizeof score), 0);
  }
}

TEST(SearchCursor, RefusesWhatItDidNotWrite) {
  const std::string good = EncodeCursor({5, 1.5, 4});
  const double inf = std::numeric_limits<double>::infinity();
  for (const std::string& bad :
       {std::string(), std::string("v1"), good.substr(0, good.size() - 1), good + "A",
        "v2" + good.substr(2), "v1" + std::string(32, '='), "v1" + std::string(31, 'A') + "+",
        EncodeCursor({-1, 1.0, 4}), EncodeCursor({5, inf, 4}),
        EncodeCursor({5, std::nan(""), 4}), EncodeCursor({5, 1.0, -3})}) {
    auto r = DecodeCursor(bad);
    EXPECT_EQ(r.status().reason(), "bad_cursor") << bad;
  }
}

}  // namespace
}  // namespace markaz::centre
