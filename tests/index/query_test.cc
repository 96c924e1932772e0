// Tests for index/query.h: every syntax form, Arabic clitics and word-break splits through the
// real analyser (a query word meets its document forms on one stem), and every error as
// InvalidArgument "bad_query" with a message that says where.
#include "index/query.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace markaz::index {
namespace {

const text::Analyzer& TheAnalyzer() {
  static const text::Analyzer analyzer;
  return analyzer;
}

// The stem the analyser gives a word in a document.
std::string StemOf(std::string_view word, std::string_view lang = "") {
  text::AnalyzedText a = TheAnalyzer().Analyze(word, lang);
  EXPECT_EQ(a.tokens.size(), 1u) << word;
  return a.tokens.empty() ? "" : a.tokens[0].stem;
}

Query Parse(std::string_view q, std::string_view lang = "") {
  core::Result<Query> r = ParseQuery(q, TheAnalyzer(), lang);
  EXPECT_TRUE(r.ok()) << q << ": " << r.status().ToString();
  return r.ok() ? *r : Query{};
}

Phrase P(std::vector<std::string> terms) { return Phrase{std::move(terms)}; }
Group G(std::vector<Phrase> any) { return Group{std::move(any)}; }

TEST(ParseQuery, WordsAreAndedStems) {
  Query q = Parse("iraq baghdad");
  ASSERT_EQ(q.must.size(), 2u);
  EXPECT_EQ(q.must[0], G({P({StemOf("iraq")})}));
  EXPECT_EQ(q.must[1], G({P({StemOf("baghdad")})}));
  EXPECT_TRUE(q.has_text());
  // English stemming reaches the query: "running" and "runs" meet on one term.
  EXPECT_EQ(Parse("running").must, Parse("runs").must);
}

TEST(ParseQuery, OrBindsTighterThanAnd) {
  Query q = Parse("iraq baghdad OR iran OR \"islamic state\"");
  ASSERT_EQ(q.must.size(), 2u);
  EXPECT_EQ(q.must[0], G({P({"iraq"})}));
  EXPECT_EQ(q.must[1], G({P({"baghdad"}), P({"iran"}), P({StemOf("islamic"), "state"})}));
  // Lowercase "or" is a word.
  EXPECT_EQ(Parse("iraq or iran").must.size(), 3u);
}

TEST(ParseQuery, ExclusionsAndPhrases) {
  Query q = Parse("iraq -turkey -\"islamic state\"");
  EXPECT_EQ(q.must, std::vector<Group>({G({P({"iraq"})})}));
  EXPECT_EQ(q.must_not, std::vector<Phrase>({P({"turkey"}), P({StemOf("islamic"), "state"})}));
  // A lone '-' is no exclusion (nothing follows it).
  EXPECT_TRUE(Parse("iraq - ").must_not.empty());
}

TEST(ParseQuery, AWordThatWordBreakSplitsIsAPhrase) {
  Query q = Parse("al-Qaeda");
  ASSERT_EQ(q.must.size(), 1u);
  ASSERT_EQ(q.must[0].any.size(), 1u);
  EXPECT_EQ(q.must[0].any[0], P({"al", StemOf("qaeda")}));
  // An excluded split word excludes the phrase.
  EXPECT_EQ(Parse("x -al-Qaeda").must_not, std::vector<Phrase>({P({"al", StemOf("qaeda")})}));
}

TEST(ParseQuery, ArabicCliticsGoThroughTheAnalyser) {
  // The equivalences: a query form and its document forms meet on one stem.
  EXPECT_EQ(Parse("بالتناوب").must, Parse("التناوب").must);
  EXPECT_EQ(Parse("والعراق").must, Parse("العراق").must);
  EXPECT_EQ(Parse("للدولة").must, Parse("الدولة").must);
  EXPECT_EQ(Parse("المركز").must, Parse("مركز").must);
  EXPECT_EQ(Parse("إيران").must, Parse("ايران").must);
  EXPECT_EQ(Parse("العراق").must[0].any[0].terms[0], StemOf("والعراق", "ar"));
  EXPECT_EQ(Parse("Багдад").must, Parse("Багдаде").must);
  EXPECT_NE(Parse("Baghdad").must, Parse("Bagdad").must);
  // Arabic with the language given, and with OR and an exclusion.
  Query q = Parse("العراق OR سوريا -تركيا", "ar");
  ASSERT_EQ(q.must.size(), 1u);
  EXPECT_EQ(q.must[0].any.size(), 2u);
  EXPECT_EQ(q.must_not.size(), 1u);
}

TEST(ParseQuery, KeywordFieldsAreNotAnalysed) {
  Query q = Parse("lang:ar entity:country:IQ originator:org-B tlp:amber story:sto_01J");
  EXPECT_FALSE(q.has_text());
  ASSERT_EQ(q.keywords.size(), 5u);
  EXPECT_EQ(q.keywords[0], (KeywordFilter{"lang", {"ar"}, false}));
  EXPECT_EQ(q.keywords[1], (KeywordFilter{"entity", {"country:IQ"}, false}));  // first ':' only
  EXPECT_EQ(q.keywords[2], (KeywordFilter{"originator", {"org-B"}, false}));
  EXPECT_EQ(q.keywords[3], (KeywordFilter{"tlp", {"amber"}, false}));
  EXPECT_EQ(q.keywords[4], (KeywordFilter{"story", {"sto_01J"}, false}));
  EXPECT_EQ(Parse("-lang:en").keywords,
            std::vector<KeywordFilter>({KeywordFilter{"lang", {"en"}, true}}));
  EXPECT_EQ(Parse("lang:ar OR lang:fa").keywords,
            std::vector<KeywordFilter>({KeywordFilter{"lang", {"ar", "fa"}, false}}));
  EXPECT_EQ(Parse("originator:\"org b\"").keywords,
            std::vector<KeywordFilter>({KeywordFilter{"originator", {"org b"}, false}}));
}

TEST(ParseQuery, DateRanges) {
  constexpr std::int64_t kOct1 = 1443657600000;  // 2015-10-01T00:00:00Z
  constexpr std::int64_t kDay = 86400000;
  Query q = Parse("date:2015-10-01..2015-10-31");
  ASSERT_EQ(q.ranges.size(), 1u);
  EXPECT_EQ(q.ranges[0].column, "time");
  EXPECT_EQ(q.ranges[0].min, kOct1);
  EXPECT_EQ(q.ranges[0].max, kOct1 + 31 * kDay);  // the whole of Oct 31
  EXPECT_EQ(Parse("date:2015-10-01..").ranges[0], (RangeFilter{"time", kOct1, std::nullopt}));
  EXPECT_EQ(Parse("date:..2015-10-01").ranges[0],
            (RangeFilter{"time", std::nullopt, kOct1 + kDay}));
  EXPECT_EQ(Parse("date:2015-10-01").ranges[0], (RangeFilter{"time", kOct1, kOct1 + kDay}));
  EXPECT_EQ(Parse("date:2015-10-01T10:00:00Z..2015-10-01T12:00:00+01:00").ranges[0],
            (RangeFilter{"time", kOct1 + 10 * 3600000, kOct1 + 11 * 3600000 + 1}));
}

TEST(ParseQuery, FiltersOnlyAndDroppedWords) {
  Query q = Parse("... !! -turkey lang:ar");
  EXPECT_FALSE(q.has_text());
  EXPECT_EQ(q.must_not.size(), 1u);
  EXPECT_EQ(q.keywords.size(), 1u);
  EXPECT_EQ(Parse("").must.size(), 0u);
  EXPECT_EQ(Parse("iraq iraq").must.size(), 1u);  // a repeated word adds nothing
}

TEST(ParseQuery, ScoredTermsInFirstAppearanceOrder) {
  Query q = Parse("iraq \"baghdad iraq\" OR mosul -turkey");
  EXPECT_EQ(q.ScoredTerms(), (std::vector<std::string>{"iraq", "baghdad", "mosul"}));
}

TEST(ParseQuery, Errors) {
  const std::string too_many = [] {
    std::string s;
    for (int i = 0; i <= static_cast<int>(kMaxQueryTerms); ++i) s += "w" + std::to_string(i) + " ";
    return s;
  }();
  struct Case {
    std::string query;
    std::string message_part;
  };
  const std::vector<Case> cases = {
      {"iraq \"islamic state", "unclosed quote at byte 5"},
      {"foo:x", "unknown field 'foo'"},
      {"iraq http://x", "unknown field 'http'"},
      {"lang:", "empty value for 'lang:'"},
      {"entity:\"\"", "empty value"},
      {"date:2015-13-01", "bad date '2015-13-01'"},
      {"date:yesterday", "bad date"},
      {"date:2015-10-31..2015-10-01", "ends before it begins"},
      {"date:..", "without bounds"},
      {"-date:2015-10-01", "cannot be excluded"},
      {"OR iraq", "OR needs a clause on each side at byte 0"},
      {"iraq OR", "OR needs a clause"},
      {"iraq OR OR iran", "OR needs a clause"},
      {"iraq OR lang:ar", "OR joins"},
      {"lang:ar OR tlp:red", "OR joins"},
      {"iraq OR -iran", "OR joins"},
      {too_many, "more than 32 terms"},
      {std::string(kMaxQueryBytes + 1, 'a'), "over the limit"},
  };
  for (const Case& c : cases) {
    core::Result<Query> r = ParseQuery(c.query, TheAnalyzer());
    ASSERT_FALSE(r.ok()) << c.query;
    EXPECT_EQ(r.status().code(), core::Code::kInvalidArgument) << c.query;
    EXPECT_EQ(r.status().reason(), "bad_query") << c.query;
    EXPECT_NE(r.status().message().find(c.message_part), std::string::npos)
        << c.query << " → " << r.status().message();
  }
  // Exactly the limits are fine.
  std::string at_limit;
  for (int i = 0; i < static_cast<int>(kMaxQueryTerms); ++i) at_limit += "w" + std::to_string(i) + " ";
  EXPECT_TRUE(ParseQuery(at_limit, TheAnalyzer()).ok());
  EXPECT_TRUE(ParseQuery(std::string(kMaxQueryBytes, 'a'), TheAnalyzer()).ok());
}

}  // namespace
}  // namespace markaz::index
