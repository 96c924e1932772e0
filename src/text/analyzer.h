// The one analyser (issue 4): every consumer — the search index, its queries, shingling for
// stories, the matcher's lexicon — sees text through it, so a query form and a document form
// of a word always meet on the same term. Pure: nothing here knows a store or a report.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "text/language.h"
#include "text/normalize.h"

namespace markaz::text {

// Words that must keep their first letter although it looks like a clitic (بغداد, بريطانيا,
// فرنسا, لبنان, كركوك). The gazetteer supplies its single-word aliases; the analyser adds a
// small built-in list of common words (وزير, وزارة, …). Words are normalised (NormalizeString).
//
// The clitic rule, for a normalised Arabic-script word w (the lexicon is the Lexicon given to
// the Analyzer plus the built-in list, BuiltinLexiconWords()):
//  1. w is in the lexicon → w is the term (بغداد, وزير, كان, لبنان stay whole).
//  2. else, a proclitic و ف ب ل ك, or و/ف followed by ب ل ك, whose remainder (≥ 2 letters) is in
//     the lexicon → the remainder (ببغداد → بغداد, للبنان → لبنان, وكان → كان), shortest first;
//  3. else the article forms وبال وكال فبال وال فال بال كال ولل فلل لل followed by ≥ 2 letters →
//     ال + those letters, the alef restored where ل + ال is written لل (للدولة → الدوله,
//     وبالتالي → التالي);
//  4. else a lone و or ف before ≥ 4 letters → the remainder (وروسيا → روسيا);
//  5. else w. A lone ب ل ك is removed only by step 2: too many words begin with them.
// When the document language is fa, ur, ps, ckb or ku only steps 1, 2 and 5 apply (those
// languages write و as a word of its own and have no Arabic article; وزارت stays whole).
// Contains() is called from every thread that analyses text at once: it must be thread-safe.
class Lexicon {
 public:
  virtual ~Lexicon() = default;
  virtual bool Contains(std::string_view normalized_word) const = 0;
};

struct Token {
  std::string term;  // normalised, proclitics (و ف ب ل ك) removed, article ال kept:
                     // وللدولة → الدولة, ببغداد → بغداد, وروسيا → روسيا; Latin words of
                     // a French text also lose an elided article (l’Irak → irak)
  std::string stem;  // search form: Snowball for the token's language; == term where
                     // there is no stemmer (Persian, Urdu, unknown). Arabic script: the
                     // arabic stemmer applied to the term without its article ال (so
                     // مركز and المركز meet); fa/ur/ps/ckb: the term. Cyrillic: russian.
                     // Latin: the text language's stemmer, else english. Greek: greek.
  Span span;         // code points [begin, end) of the whole word in the original
  uint32_t position = 0;  // ordinal of the token in the text (phrase queries)
  Script script = Script::kUnknown;
};

struct AnalyzedText {
  std::string lang;  // the hint when given, else DetectLanguage
  std::vector<Token> tokens;
};

class Analyzer {
 public:
  // `lexicon` may be null (only the built-in list protects words then).
  explicit Analyzer(std::shared_ptr<const Lexicon> lexicon = nullptr);
  ~Analyzer();
  Analyzer(const Analyzer&) = delete;
  Analyzer& operator=(const Analyzer&) = delete;

  // Normalises, detects the language (unless `lang_hint` is non-empty), splits words with ICU
  // word break, strips clitics and stems. Thread-safe (stemmers are per thread).
  // Words are ICU's root-locale word segments that contain a letter or a digit: "Baghdad's",
  // "3.5" and "ok_go" are one word each, punctuation and spaces are none. `lang` is stored as
  // given; "ar-IQ" or "FR" select the rules of "ar" or "fr". A normalised text of 1 GiB or more
  // yields no tokens (callers bound report sizes long before that).
  AnalyzedText Analyze(std::string_view utf8, std::string_view lang_hint = "") const;
  // The same over a text already normalised (Normalize(utf8)): callers that also match the
  // normalised text (the processing stage) normalise once.
  AnalyzedText Analyze(const NormalizedText& normalized, std::string_view utf8,
                       std::string_view lang_hint) const;

  // The term and stem a query word gets; `lang` may be empty (the script decides then:
  // Arabic → arabic, Cyrillic → russian, Latin → english). The word is normalised as a whole
  // (not split by word break); span = {0, its code points}, position 0. A word without letters
  // or digits gets term = stem = its normalised form and script kUnknown.
  Token AnalyzeWord(std::string_view word, std::string_view lang = "") const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The built-in words that protect their first letter (step 1 of the clitic rule): common
// Arabic words and a few names that begin with و ف ب ل ك. Normalised, sorted, unique.
std::span<const std::string> BuiltinLexiconWords();

}  // namespace markaz::text
