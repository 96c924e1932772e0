// Tests for text/normalize.h: the normalisation table, the byte → original-span map, and the
// properties every normalised text has (idempotent, map consistent with the text).
#include "text/normalize.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace markaz::text {
namespace {

TEST(NormalizeString, Table) {
  static const struct {
    std::string_view input;
    std::string_view expected;
  } kCases[] = {
      // ASCII and case folding.
      {"", ""},
      {"Hello World", "hello world"},
      {"ISIS ISIL Daesh", "isis isil daesh"},
      {"Straße", "strasse"},
      {"ΣΟΦΊΑ σοφία", "σοφία σοφία"},
      {"БАГДАД Багдаде", "багдад багдаде"},
      {"Ünïcödé", "ünïcödé"},
      {"e\u0301", "\u00e9"},  // decomposed é composes
      // Compatibility forms.
      {"\ufb01x", "fix"},                                  // ﬁ ligature
      {"\uff21\uff22\uff23", "abc"},                       // fullwidth
      {"\u2460", "1"},                                     // circled digit one
      {"\ufefb", "\u0644\u0627"},                          // ﻻ presentation form → لا
      {"\ufdf2", "\u0627\u0644\u0644\u0647"},              // ﷲ → الله
      {"\ufe8d\ufedf\ufecb\ufeae\ufe8d\ufe8e", "العراا"},  // presentation forms of letters
      // Arabic orthography.
      {"أحمد", "احمد"},
      {"إيران", "ايران"},
      {"آسيا", "اسيا"},
      {"ٱلله", "الله"},
      {"مستشفى", "مستشفي"},
      {"الدولة", "الدوله"},
      {"مُحَمَّد", "محمد"},
      {"العـــراق", "العراق"},
      {"قُرْآنٌ", "قران"},
      {"\u0627\u0654", "\u0627"},  // alef + combining hamza composes to أ, then → ا
      {"\u0648\u0654", "\u0624"},  // waw + combining hamza composes to ؤ (kept)
      {"هٰذا", "هذا"},              // superscript alef removed
      {"بـَد", "بد"},               // a haraka on a tatweel goes with it
      {"a\u0640\u0308", "a"},      // so does any mark a removed tatweel carried
      // Persian and Urdu letters to their Arabic forms.
      {"ایران", "ايران"},
      {"کابل", "كابل"},
      {"خانۀ", "خانه"},
      {"\u0647\u0654", "\u0647"},  // heh + hamza above composes to ۀ, then → ه
      // Digits.
      {"٢٠١٥", "2015"},
      {"۱۳۹۴", "1394"},
      {"عام ٢٠١٥م", "عام 2015م"},
      // Whitespace: every run becomes one space; NBSP and the like are spaces.
      {"a \t\n\r b", "a b"},
      {"a\u00a0b", "a b"},
      {"a\u2003\u2003b", "a b"},
      {"  lead and trail  ", " lead and trail "},
      {"ا \u0640 ب", "ا ب"},  // a removed tatweel does not separate two spaces
      // Default ignorables go (NFKC_Casefold): ZWNJ, ZWSP, soft hyphen.
      {"می\u200cروم", "ميروم"},
      {"a\u200bb", "ab"},
      {"co\u00adop", "coop"},
      // Already normalised text is unchanged.
      {"روسيا وايران والعراق", "روسيا وايران والعراق"},
  };
  for (const auto& c : kCases) {
    EXPECT_EQ(NormalizeString(c.input), c.expected) << c.input;
    EXPECT_EQ(Normalize(c.input).text, c.expected) << c.input;
  }
}

TEST(NormalizeString, InvalidUtf8BecomesReplacementCharacter) {
  EXPECT_EQ(NormalizeString("a\xff"
                            "b"),
            "a\ufffdb");
  EXPECT_EQ(NormalizeString("\xd8"), "\ufffd");                      // truncated 2-byte sequence
  EXPECT_EQ(NormalizeString("\xc0\xaf"), "\ufffd\ufffd");            // overlong '/'
  EXPECT_EQ(NormalizeString("\xed\xa0\x80"), "\ufffd\ufffd\ufffd");  // surrogate
  const NormalizedText n = Normalize(
      "a\xff"
      "b");
  EXPECT_EQ(n.original_code_points, 3u);
  EXPECT_EQ(n.OriginalSpan(1, 4), (Span{1, 2}));
}

TEST(CountCodePoints, Table) {
  EXPECT_EQ(CountCodePoints(""), 0u);
  EXPECT_EQ(CountCodePoints("abc"), 3u);
  EXPECT_EQ(CountCodePoints("بغداد"), 5u);
  EXPECT_EQ(CountCodePoints("a€𝄞"), 3u);
  EXPECT_EQ(CountCodePoints("a\xff"
                            "b"),
            3u);  // an invalid byte counts as one, as in Normalize
}

TEST(SliceCodePoints, Table) {
  EXPECT_EQ(SliceCodePoints("في بغداد", {3, 8}), "بغداد");
  EXPECT_EQ(SliceCodePoints("a€𝄞b", {1, 3}), "€𝄞");
  EXPECT_EQ(SliceCodePoints("a\xff"
                            "b",
                            {1, 2}),
            "\xff");  // counted as CountCodePoints does
  EXPECT_EQ(SliceCodePoints("abc", {0, 3}), "abc");
  EXPECT_EQ(SliceCodePoints("abc", {2, 2}), "");
  EXPECT_EQ(SliceCodePoints("abc", {1, 9}), "bc");  // clamped to the text
  EXPECT_EQ(SliceCodePoints("abc", {5, 9}), "");
  EXPECT_EQ(SliceCodePoints("", {0, 1}), "");
}

// The map: for every normalised byte, the code points of the original it came from.
TEST(Normalize, SpansOfEachByte) {
  static const struct {
    std::string_view input;
    std::vector<Span> spans;  // one per output byte
  } kCases[] = {
      {"Ab", {{0, 1}, {1, 2}}},
      // م ُ ح َ م ّ َ د: each letter takes its harakat.
      {"مُحَمَّد", {{0, 2}, {0, 2}, {2, 4}, {2, 4}, {4, 7}, {4, 7}, {7, 8}, {7, 8}}},
      // ﬁ expands to two bytes from one code point.
      {"\ufb01x", {{0, 1}, {0, 1}, {1, 2}}},
      // A run of whitespace is one space spanning the run.
      {"a \n\t b", {{0, 1}, {1, 5}, {5, 6}}},
      // Tatweel produces nothing; the letters keep their own code points.
      {"بـد", {{0, 1}, {0, 1}, {2, 3}, {2, 3}}},
      // Decomposed é: both code points.
      {"e\u0301t", {{0, 2}, {0, 2}, {2, 3}}},
  };
  for (const auto& c : kCases) {
    const NormalizedText n = Normalize(c.input);
    ASSERT_EQ(n.cp_begin.size(), c.spans.size()) << c.input;
    ASSERT_EQ(n.cp_end.size(), c.spans.size()) << c.input;
    for (std::size_t i = 0; i < c.spans.size(); ++i) {
      EXPECT_EQ(n.OriginalSpan(i, i + 1), c.spans[i]) << c.input << " byte " << i;
    }
    EXPECT_EQ(n.original_code_points, CountCodePoints(c.input));
  }
}

TEST(Normalize, SpanOfAWordSlicesTheOriginal) {
  const std::string original = "قال وزيرُ الخارجيةِ الروسيُّ إنّ روسيا";
  const NormalizedText n = Normalize(original);
  const std::string_view word = "الروسي";
  const std::size_t at = n.text.find(word);
  ASSERT_NE(at, std::string::npos);
  const Span span = n.OriginalSpan(at, at + word.size());
  // Code points 20..27 of the original are الروسيُّ (with its damma and shadda).
  EXPECT_EQ(span, (Span{20, 28}));
}

// Random texts over a mix of interesting code points: the map is consistent with the text and
// normalisation is idempotent.
TEST(Normalize, PropertiesOnRandomText) {
  static const char32_t kAlphabet[] = {
      'a',    'Z',    ' ',    '\n',   '\t',   '1',     '.',     0x00A0, 0x00E9, 0x0301, 0x0308,
      0x0627, 0x0623, 0x0628, 0x0629, 0x0649, 0x064A,  0x064E,  0x0651, 0x0650, 0x0640, 0x0654,
      0x0653, 0x0670, 0x06CC, 0x06A9, 0x06C0, 0x0663,  0x06F5,  0x200C, 0x200B, 0xFB01, 0xFEFB,
      0xFDF2, 0xFE8D, 0x0416, 0x03A3, 0x05D0, 0x1F600, 0x1D400, 0x3000, 0x2003, 0xFF21,
  };
  std::mt19937 rng(42);
  for (int round = 0; round < 2000; ++round) {
    std::u32string cps;
    const int len = static_cast<int>(rng() % 24);
    for (int k = 0; k < len; ++k) cps.push_back(kAlphabet[rng() % std::size(kAlphabet)]);
    std::string s;
    for (char32_t cp : cps) {
      if (cp < 0x80) {
        s += static_cast<char>(cp);
      } else if (cp < 0x800) {
        s += static_cast<char>(0xC0 | (cp >> 6));
        s += static_cast<char>(0x80 | (cp & 0x3F));
      } else if (cp < 0x10000) {
        s += static_cast<char>(0xE0 | (cp >> 12));
        s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        s += static_cast<char>(0x80 | (cp & 0x3F));
      } else {
        s += static_cast<char>(0xF0 | (cp >> 18));
        s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        s += static_cast<char>(0x80 | (cp & 0x3F));
      }
    }
    const NormalizedText n = Normalize(s);
    ASSERT_EQ(n.text, NormalizeString(s)) << s;
    ASSERT_EQ(NormalizeString(n.text), n.text) << s;  // idempotent
    ASSERT_EQ(n.original_code_points, cps.size());
    ASSERT_EQ(n.cp_begin.size(), n.text.size());
    ASSERT_EQ(n.cp_end.size(), n.text.size());
    for (std::size_t i = 0; i < n.text.size(); ++i) {
      ASSERT_LT(n.cp_begin[i], n.cp_end[i]) << s;
      ASSERT_LE(n.cp_end[i], cps.size()) << s;
      if (i > 0) {
        ASSERT_LE(n.cp_begin[i - 1], n.cp_begin[i]) << s;
        ASSERT_LE(n.cp_end[i - 1], n.cp_end[i]) << s;
      }
    }
    ASSERT_EQ(n.text.find("  "), std::string::npos) << s;
  }
}

}  // namespace
}  // namespace markaz::text
