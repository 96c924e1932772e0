// Normalisation for matching and indexing (DESIGN.md §3): ICU NFKC_Casefold, then the Arabic
// orthographic rules ICU does not apply. The original text is never changed; the normalised
// copy carries a map back to it so that every match and token can point into the original.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace markaz::text {

// A span of code points [begin, end) in the original text.
struct Span {
  uint32_t begin = 0;
  uint32_t end = 0;
  bool operator==(const Span&) const = default;
};

// A normalised copy of a text and, for each of its bytes, where it came from.
//
// The span of a byte is that of the normalisation segment it came from: a code point with the
// combining marks that follow it (a letter and its harakat: مُ → م spans both code points), a
// ligature (ﻻ → لا: both letters span the one code point), or a run of whitespace (one space
// spans the run). Marks carried by a removed tatweel (ـَ) go with it.
struct NormalizedText {
  std::string text;  // UTF-8
  // For byte i of `text`: the code-point span of the original that produced it. Several
  // normalised bytes share one span (a ligature expands); removed marks produce no bytes.
  std::vector<uint32_t> cp_begin;  // size() == text.size()
  std::vector<uint32_t> cp_end;    // size() == text.size()
  uint32_t original_code_points = 0;

  // The original span that the normalised bytes [byte_begin, byte_end) came from.
  // Requires byte_begin < byte_end <= text.size().
  Span OriginalSpan(std::size_t byte_begin, std::size_t byte_end) const {
    return {cp_begin[byte_begin], cp_end[byte_end - 1]};
  }
};

// Normalises valid UTF-8 (callers validate first; invalid sequences become U+FFFD):
//  1. ICU NFKC_Casefold (compatibility forms, presentation forms, case);
//  2. Arabic script: tatweel (U+0640) and harakat/Quranic marks (U+064B–U+065F, U+0670,
//     U+06D6–U+06ED) removed; أ إ آ ٱ → ا; ى → ي; ة → ه; Persian ی → ي, ک → ك;
//     ۀ → ه; Arabic-Indic and Persian digits → ASCII digits;
//  3. every run of whitespace becomes one ASCII space (so multi-word aliases match across
//     line breaks).
//
// Thread-safe. Cost: ~150–200 MiB/s on Arabic or English news text on the development machine
// (bench/text/analyzer_bench.cc); ASCII and single code points take a table, only letters with
// marks and characters outside the BMP call ICU.
NormalizedText Normalize(std::string_view utf8);

// The same normalisation without the map: for aliases, lexicon words and query terms.
std::string NormalizeString(std::string_view utf8);

// Number of code points in valid UTF-8.
uint32_t CountCodePoints(std::string_view utf8);

// The bytes of code points [span.begin, span.end) of `utf8`, counted as CountCodePoints does;
// clamped to the text (a span past its end gives what exists of it, possibly nothing).
std::string_view SliceCodePoints(std::string_view utf8, Span span);

}  // namespace markaz::text
