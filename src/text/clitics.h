// Arabic proclitics (private to src/text; the rule is documented in analyzer.h and README.md).
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "text/analyzer.h"

namespace markaz::text::internal {

enum class CliticMode {
  kArabic,       // the whole rule of analyzer.h
  kLexiconOnly,  // Persian, Urdu, Pashto, Kurdish: only splits that leave a lexicon word
};

// Sets *term to the term of a normalised Arabic-script word: the word without its proclitics
// (و ف ب ل ك, and ل + ال written لل restored to ال), or the word itself. `lexicon` may be null.
void StripClitics(std::string_view word, const Lexicon* lexicon, CliticMode mode,
                  std::string* term);

// The term without a leading article ال when at least two letters remain: what the Arabic
// stemmer is given, so that مركز and المركز, دولة and الدولة get one stem.
std::string_view StripArticle(std::string_view term);

// The built-in words (normalised, sorted, unique).
std::span<const std::string> BuiltinWords();
bool InBuiltinWords(std::string_view normalized_word);

}  // namespace markaz::text::internal
