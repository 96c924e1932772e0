// Snippets: pick the densest window of matches with a two-pointer sweep over the matched
// tokens, then widen it to the budget with context on both sides, snapping both ends to token
// boundaries so that no word (and so no code point) is ever cut, except a single word longer
// than the whole budget.
#include "index/snippet.h"

#include <algorithm>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "text/normalize.h"

namespace markaz::index {
namespace {

constexpr std::string_view kEllipsis = "…";  // one code point

struct Window {
  std::uint32_t begin = 0;  // code points of the original
  std::uint32_t end = 0;
};

// The first token boundary at or after `cp` (a token begin, or the text's end), but never
// past `limit`.
std::uint32_t SnapForward(std::span<const text::Token> tokens, std::uint32_t cp,
                          std::uint32_t limit) {
  for (const text::Token& t : tokens) {
    if (t.span.begin >= cp) return std::min(t.span.begin, limit);
  }
  return limit;
}

// The last token end at or before `cp`, but never before `floor`.
std::uint32_t SnapBackward(std::span<const text::Token> tokens, std::uint32_t cp,
                           std::uint32_t floor) {
  std::uint32_t best = floor;
  for (const text::Token& t : tokens) {
    if (t.span.end <= cp && t.span.end > best) best = t.span.end;
  }
  return best;
}

// The window [first match, last match) holding the most distinct stems within the budget;
// ties go to the earliest. `matches` are indexes into tokens, ascending by position.
Window DensestCore(std::span<const text::Token> tokens, const std::vector<std::size_t>& matches,
                   std::uint32_t budget) {
  Window best{tokens[matches[0]].span.begin, tokens[matches[0]].span.end};
  std::size_t best_distinct = 0;
  std::unordered_map<std::string_view, std::size_t> in_window;
  std::size_t j = 0;  // one past the last match inside the window starting at matches[i]
  for (std::size_t i = 0; i < matches.size(); ++i) {
    const std::uint32_t begin = tokens[matches[i]].span.begin;
    if (j < i) j = i;
    while (j < matches.size() && tokens[matches[j]].span.end <= begin + budget) {
      ++in_window[tokens[matches[j]].stem];
      ++j;
    }
    if (in_window.size() > best_distinct) {
      best_distinct = in_window.size();
      const std::uint32_t end = j > i ? tokens[matches[j - 1]].span.end
                                      : tokens[matches[i]].span.end;  // a word over budget
      best = {begin, end};
    }
    if (j > i) {
      auto it = in_window.find(tokens[matches[i]].stem);
      if (--it->second == 0) in_window.erase(it);
    }
  }
  return best;
}

}  // namespace

Snippet MakeSnippet(std::string_view original, std::span<const text::Token> tokens,
                    std::span<const std::string> stems, std::size_t max_code_points) {
  const std::uint32_t total = text::CountCodePoints(original);
  const auto budget = static_cast<std::uint32_t>(std::min<std::size_t>(max_code_points, total));

  const std::unordered_set<std::string_view> wanted(stems.begin(), stems.end());
  std::vector<std::size_t> matches;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (wanted.count(tokens[i].stem) != 0) matches.push_back(i);
  }
  std::sort(matches.begin(), matches.end(), [&](std::size_t a, std::size_t b) {
    return tokens[a].span.begin < tokens[b].span.begin;
  });

  Window w{0, budget};
  if (total > budget) {
    Window core = matches.empty() ? Window{0, 0} : DensestCore(tokens, matches, budget);
    if (core.end - core.begin >= budget) {
      w = {core.begin, core.begin + budget};  // one word longer than the budget
    } else {
      // Centre the matches: half the spare budget before them, the rest after.
      const std::uint32_t spare = budget - (core.end - core.begin);
      const std::uint32_t want_begin = core.begin > spare / 2 ? core.begin - spare / 2 : 0;
      w.begin = want_begin == 0 ? 0 : SnapForward(tokens, want_begin, core.begin);
      if (w.begin + budget >= total) {
        // The text ends inside the budget: spend what is left before the matches.
        w.end = total;
        const std::uint32_t earliest = total - budget;
        w.begin = earliest == 0 ? 0 : SnapForward(tokens, earliest, core.begin);
      } else {
        w.end = SnapBackward(tokens, w.begin + budget, core.end);
        if (w.end == w.begin) w.end = w.begin + budget;  // no token fits: cut the word
      }
    }
  }

  Snippet s;
  const bool cut_front = w.begin > 0;
  const bool cut_back = w.end < total;
  if (cut_front) s.text += kEllipsis;
  s.text += text::SliceCodePoints(original, {w.begin, w.end});
  if (cut_back) s.text += kEllipsis;
  const std::uint32_t shift = cut_front ? 1 : 0;
  for (std::size_t m : matches) {
    const text::Span span = tokens[m].span;
    if (span.begin >= w.begin && span.end <= w.end) {
      s.highlights.push_back({span.begin - w.begin + shift, span.end - w.begin + shift});
    }
  }
  return s;
}

namespace {

// Whether some window of `budget` code points that begins at a match holds every distinct
// stem of `wanted`, and begins early enough that the tokens analysed so far reach past its
// end (`analysed_to`, code points): then every window the densest-window rule could prefer
// has been seen, and so has every token the cut needs.
bool SettledWithin(std::span<const text::Token> tokens,
                   const std::unordered_set<std::string_view>& wanted, std::uint32_t budget,
                   std::uint32_t analysed_to) {
  std::vector<std::size_t> matches;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (wanted.count(tokens[i].stem) != 0) matches.push_back(i);
  }
  std::unordered_map<std::string_view, std::size_t> in_window;
  std::size_t j = 0;
  for (std::size_t i = 0; i < matches.size(); ++i) {
    const std::uint32_t begin = tokens[matches[i]].span.begin;
    if (begin + budget >= analysed_to) return false;
    if (j < i) j = i;
    while (j < matches.size() && tokens[matches[j]].span.end <= begin + budget) {
      ++in_window[tokens[matches[j]].stem];
      ++j;
    }
    if (in_window.size() == wanted.size()) return true;
    if (j > i) {
      auto it = in_window.find(tokens[matches[i]].stem);
      if (--it->second == 0) in_window.erase(it);
    }
  }
  return false;
}

}  // namespace

Snippet MakeSnippet(const text::Analyzer& analyzer, std::string_view original,
                    std::string_view lang, std::span<const std::string> stems,
                    std::size_t max_code_points) {
  constexpr std::size_t kPieceBytes = 1024;
  const std::unordered_set<std::string_view> wanted(stems.begin(), stems.end());
  if (lang.empty() || wanted.empty()) {
    return MakeSnippet(original, analyzer.Analyze(original, lang).tokens, stems, max_code_points);
  }
  const auto budget = static_cast<std::uint32_t>(max_code_points);
  std::vector<text::Token> tokens;
  std::size_t done = 0;           // bytes analysed
  std::uint32_t done_cp = 0;      // code points analysed
  while (done < original.size()) {
    std::size_t end = std::min(original.size(), done + kPieceBytes);
    // ASCII white space never occurs inside a UTF-8 sequence, and word break always breaks
    // there: a piece ending at one analyses exactly as the whole text would.
    while (end < original.size() && original[end] != ' ' && original[end] != '\n') ++end;
    const std::string_view piece = original.substr(done, end - done);
    for (text::Token& t : analyzer.Analyze(piece, lang).tokens) {
      t.span.begin += done_cp;
      t.span.end += done_cp;
      tokens.push_back(std::move(t));
    }
    done = end;
    done_cp += text::CountCodePoints(piece);
    if (done < original.size() && !tokens.empty() &&
        SettledWithin(tokens, wanted, budget, tokens.back().span.begin)) {
      break;
    }
  }
  return MakeSnippet(original, tokens, stems, max_code_points);
}

}  // namespace markaz::index
