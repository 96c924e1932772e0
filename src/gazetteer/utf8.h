// Small UTF-8 helpers private to the gazetteer, over text/utf8.h's decoder: validation for
// the data files, stepping over code points, and the letter/digit test behind the matcher's word
// boundaries (ICU belongs to src/text, so the matcher classifies code points itself).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace markaz::gazetteer::utf8 {

// Is `s` well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF)? On
// failure *error_at (if given) is the byte offset of the first bad sequence.
bool Valid(std::string_view s, std::size_t* error_at = nullptr);

// The code point starting at byte `i` of valid UTF-8 (i < s.size()); *length its byte count.
char32_t DecodeAt(std::string_view s, std::size_t i, std::size_t* length);

// The code point ending just before byte `i` (0 < i <= s.size()) of valid UTF-8.
char32_t DecodeBefore(std::string_view s, std::size_t i);

// Counts as part of a word for the matcher's boundaries: ASCII letters and digits, letters of
// Latin-1 and the Latin extensions, Greek, Cyrillic, Armenian, Hebrew, the Arabic letters
// (U+0620–U+064A, U+066E–U+06D3, U+06D5, U+06FA–U+06FF, the Arabic supplements) and Arabic
// digits, plus combining marks (a mark after a match changes its last letter). CJK and Thai
// are not: they are written without spaces, so a name there has no boundary to check.
bool IsWordChar(char32_t cp);

// Arabic marks that Normalize removes and that belong to the letter before them: tatweel,
// harakat and Quranic marks (U+0640, U+064B–U+065F, U+0670, U+06D6–U+06ED).
bool IsArabicMark(char32_t cp);

// Is `cp` an Arabic-script letter (the range the clitic rules apply to)?
bool IsArabicLetter(char32_t cp);

}  // namespace markaz::gazetteer::utf8
