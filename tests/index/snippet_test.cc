// Tests for index/snippet.h over the real analyser's tokens: whole short texts, a match in the
// middle of a long text (Arabic and English), the densest window among several matches, no
// match, cut marks only where the text was cut, exact highlight spans, never a cut word.
#include "index/snippet.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "text/normalize.h"

namespace markaz::index {
namespace {

const text::Analyzer& TheAnalyzer() {
  static const text::Analyzer analyzer;
  return analyzer;
}

struct Made {
  Snippet snippet;
  std::vector<std::string> highlighted;  // the text under each highlight
};

Made Make(std::string_view original, std::vector<std::string> query_words,
          std::size_t max_code_points, std::string_view lang = "") {
  text::AnalyzedText a = TheAnalyzer().Analyze(original, lang);
  std::vector<std::string> stems;
  for (const std::string& w : query_words) {
    for (const text::Token& t : TheAnalyzer().Analyze(w, lang).tokens) stems.push_back(t.stem);
  }
  Made m{MakeSnippet(original, a.tokens, stems, max_code_points), {}};
  for (const text::Span& h : m.snippet.highlights) {
    m.highlighted.emplace_back(text::SliceCodePoints(m.snippet.text, h));
  }
  return m;
}

std::string Filler(std::string_view word, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) {
    s += word;
    s += ' ';
  }
  return s;
}

// The snippet without its cut marks is a run of the original that starts and ends on a word.
void ExpectWholeWords(std::string_view original, const Snippet& s) {
  std::string body = s.text;
  const std::string ellipsis = "…";
  if (body.starts_with(ellipsis)) body.erase(0, ellipsis.size());
  if (body.ends_with(ellipsis)) body.erase(body.size() - ellipsis.size());
  const std::size_t at = original.find(body);
  ASSERT_NE(at, std::string::npos) << s.text;
  const text::AnalyzedText a = TheAnalyzer().Analyze(original);
  const std::uint32_t begin = text::CountCodePoints(original.substr(0, at));
  const std::uint32_t end = begin + text::CountCodePoints(body);
  bool begins_on_word = begin == 0;
  bool ends_on_word = end == text::CountCodePoints(original);
  for (const text::Token& t : a.tokens) {
    begins_on_word |= t.span.begin == begin;
    ends_on_word |= t.span.end == end;
    EXPECT_FALSE(t.span.begin < begin && t.span.end > begin) << "cut word at the start";
    EXPECT_FALSE(t.span.begin < end && t.span.end > end) << "cut word at the end";
  }
  EXPECT_TRUE(begins_on_word) << s.text;
  EXPECT_TRUE(ends_on_word) << s.text;
  EXPECT_EQ(s.text.starts_with(ellipsis), begin > 0) << s.text;
  EXPECT_EQ(s.text.ends_with(ellipsis), end < text::CountCodePoints(original)) << s.text;
}

TEST(MakeSnippet, ShortTextIsWholeWithExactSpans) {
  const std::string text = "Rockets hit Baghdad; Baghdad airport closed.";
  Made m = Make(text, {"baghdad"}, 240);
  EXPECT_EQ(m.snippet.text, text);
  ASSERT_EQ(m.snippet.highlights.size(), 2u);
  EXPECT_EQ(m.snippet.highlights[0], (text::Span{12, 19}));
  EXPECT_EQ(m.snippet.highlights[1], (text::Span{21, 28}));
  EXPECT_EQ(m.highlighted, (std::vector<std::string>{"Baghdad", "Baghdad"}));
}

TEST(MakeSnippet, EnglishMatchInTheMiddleOfALongText) {
  const std::string text = Filler("lorem", 100) + "the convoy reached Mosul at dawn " +
                           Filler("ipsum", 100);
  Made m = Make(text, {"mosul"}, 80);
  EXPECT_TRUE(m.snippet.text.starts_with("…"));
  EXPECT_TRUE(m.snippet.text.ends_with("…"));
  EXPECT_EQ(m.highlighted, (std::vector<std::string>{"Mosul"}));
  EXPECT_NE(m.snippet.text.find("the convoy reached Mosul at dawn"), std::string::npos);
  EXPECT_LE(text::CountCodePoints(m.snippet.text), 80u + 2u);
  ExpectWholeWords(text, m.snippet);
}

TEST(MakeSnippet, ArabicMatchInTheMiddleHighlightsTheWholeWord) {
  // والعراق in the document, العراق in the query: the highlight covers the clitic too.
  const std::string text = Filler("كلام", 80) + "وصل الوفد إلى بغداد والعراق يستعد للانتخابات " +
                           Filler("نص", 80);
  Made m = Make(text, {"العراق"}, 60, "ar");
  EXPECT_EQ(m.highlighted, (std::vector<std::string>{"والعراق"}));
  EXPECT_TRUE(m.snippet.text.starts_with("…"));
  EXPECT_TRUE(m.snippet.text.ends_with("…"));
  EXPECT_LE(text::CountCodePoints(m.snippet.text), 62u);
  ExpectWholeWords(text, m.snippet);
}

TEST(MakeSnippet, TheDensestWindowWins) {
  // One lone "iraq" early; later "iraq" and "baghdad" together: two distinct stems win.
  const std::string text = "iraq " + Filler("filler", 60) + "in iraq the city of baghdad " +
                           Filler("more", 60);
  Made m = Make(text, {"iraq", "baghdad"}, 60);
  EXPECT_EQ(m.highlighted, (std::vector<std::string>{"iraq", "baghdad"}));
  ExpectWholeWords(text, m.snippet);
  // Ties between equally dense windows go to the earliest.
  const std::string tie = Filler("x", 10) + "alpha " + Filler("y", 60) + "alpha " + Filler("z", 60);
  Made t = Make(tie, {"alpha"}, 30);
  ASSERT_EQ(t.snippet.highlights.size(), 1u);
  EXPECT_NE(t.snippet.text.find("x alpha"), std::string::npos) << t.snippet.text;
}

TEST(MakeSnippet, NoMatchGivesTheBeginningCutAtAWord) {
  const std::string text = "The ministry said on Tuesday that talks would resume next week.";
  Made m = Make(text, {"baghdad"}, 30);
  EXPECT_TRUE(m.snippet.highlights.empty());
  EXPECT_EQ(m.snippet.text, "The ministry said on Tuesday…");
  ExpectWholeWords(text, m.snippet);
  EXPECT_EQ(Make(text, {}, 1000).snippet.text, text);  // fits: no cut marks
}

TEST(MakeSnippet, MatchAtTheEndUsesTheBudgetBeforeIt) {
  const std::string text = Filler("word", 50) + "final Kirkuk";
  Made m = Make(text, {"kirkuk"}, 40);
  EXPECT_TRUE(m.snippet.text.starts_with("…"));
  EXPECT_TRUE(m.snippet.text.ends_with("Kirkuk"));
  EXPECT_GE(text::CountCodePoints(m.snippet.text), 30u);  // context spent before the match
  ExpectWholeWords(text, m.snippet);
}

TEST(MakeSnippet, AWordLongerThanTheBudgetIsCutOnACodePoint) {
  const std::string word(50, 'a');
  const std::string text = "x " + word + " y";
  Made m = Make(text, {word}, 10);
  EXPECT_EQ(text::CountCodePoints(m.snippet.text), 10u + 2u);
  EXPECT_TRUE(m.snippet.highlights.empty());  // the word is not whole in the snippet
}

TEST(MakeSnippet, HighlightsIndexCodePointsOfTheSnippet) {
  // Multi-byte text before the match: spans count code points, not bytes.
  const std::string text = Filler("ملف", 30) + "report on Raqqa and Raqqa " + Filler("ملف", 30);
  Made m = Make(text, {"raqqa"}, 50);
  EXPECT_EQ(m.highlighted, (std::vector<std::string>{"Raqqa", "Raqqa"}));
  for (std::size_t i = 1; i < m.snippet.highlights.size(); ++i) {
    EXPECT_LT(m.snippet.highlights[i - 1].end, m.snippet.highlights[i].begin);
  }
  ExpectWholeWords(text, m.snippet);
}

// The analyser-driven form stops analysing early; its answer must be the full one's exactly.
TEST(MakeSnippetAnalysingLess, EqualsTheSnippetOverEveryTokenOnRandomTexts) {
  const std::vector<std::string> ar = {"العراق", "بغداد", "والعراق", "قال", "في", "المركز",
                                       "بالتناوب", "الدولة", "للدولة", "مصدر", "الجيش", "إيران"};
  const std::vector<std::string> en = {"iraq", "baghdad", "said", "the", "convoy", "centre",
                                       "rotation", "state", "army", "source", "iran", "of"};
  std::mt19937 rng(20151011);
  int early = 0;
  for (int round = 0; round < 400; ++round) {
    const bool arabic = round % 2 == 0;
    const auto& words = arabic ? ar : en;
    std::uniform_int_distribution<std::size_t> pick(0, words.size() - 1);
    std::string text;
    const int n = std::uniform_int_distribution<int>(5, 900)(rng);
    for (int i = 0; i < n; ++i) {
      text += words[pick(rng)];
      text += (i % 13 == 12) ? ".\n\n" : (i % 5 == 4 ? ", " : " ");
    }
    std::vector<std::string> stems;
    const int q = std::uniform_int_distribution<int>(1, 3)(rng);
    for (int i = 0; i < q; ++i) {
      for (const text::Token& t : TheAnalyzer().Analyze(words[pick(rng)], arabic ? "ar" : "en").tokens) {
        stems.push_back(t.stem);
      }
    }
    if (round % 7 == 0) stems.push_back("absentword");  // never settles: analyses everything
    const std::string lang = arabic ? "ar" : "en";
    const std::size_t budget = round % 3 == 0 ? 60 : 240;
    const Snippet full =
        MakeSnippet(text, TheAnalyzer().Analyze(text, lang).tokens, stems, budget);
    const Snippet less = MakeSnippet(TheAnalyzer(), text, lang, stems, budget);
    ASSERT_EQ(less.text, full.text) << "round " << round;
    ASSERT_EQ(less.highlights.size(), full.highlights.size()) << "round " << round;
    for (std::size_t i = 0; i < full.highlights.size(); ++i) {
      EXPECT_EQ(less.highlights[i].begin, full.highlights[i].begin) << "round " << round;
      EXPECT_EQ(less.highlights[i].end, full.highlights[i].end) << "round " << round;
    }
    if (text.size() > 3000 && round % 7 != 0) ++early;
  }
  EXPECT_GT(early, 50);  // long texts were in the mix, where stopping early matters
}

}  // namespace
}  // namespace markaz::index
