// Highlighted snippets cut from a report's original text by the analyser's spans (issue 5):
// the window of the text with the most distinct matched terms, cut at word boundaries, with
// the matched words' positions in it so that clients highlight them without parsing markup.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "text/analyzer.h"

namespace markaz::index {

struct Snippet {
  std::string text;  // UTF-8; "…" marks a cut at either end
  std::vector<text::Span> highlights;  // code points [begin, end) into `text`, ascending
};

// `tokens` are the analyser's tokens of `original` (spans into it); a token is a match when
// its stem is one of `stems`. With no match, the text's beginning. At most `max_code_points`
// of the original (plus the ellipses).
Snippet MakeSnippet(std::string_view original, std::span<const text::Token> tokens,
                    std::span<const std::string> stems, std::size_t max_code_points = 240);

// The same snippet, analysing only as much of `original` as it needs (search pages cut 20 of
// them, and analysis is their cost): the text is analysed in pieces that end at ASCII white
// space, and analysis stops once a window holding every distinct stem has been seen with a
// budget's worth of text after it — no later window can be chosen over it (the densest
// window, ties to the earliest), so the answer equals MakeSnippet over every token. `lang` is
// the language the text was indexed under; empty = analyse the whole text at once (language
// detection needs it).
Snippet MakeSnippet(const text::Analyzer& analyzer, std::string_view original,
                    std::string_view lang, std::span<const std::string> stems,
                    std::size_t max_code_points = 240);

}  // namespace markaz::index
