// Language identification (DESIGN.md §3): CLD2 when it is reliable, otherwise a guess from the
// script of the letters, which is what short texts (titles, tweets) need.
#pragma once

#include <string>
#include <string_view>

namespace markaz::text {

// The writing system that dominates a run of letters.
enum class Script { kUnknown, kArabic, kLatin, kCyrillic, kHebrew, kGreek, kCjk, kOther };

// The script of one code point (letters only; digits, spaces and punctuation are kUnknown).
Script ScriptOf(char32_t cp);

// ISO 639-1 code where one exists ("ar", "fa", "ur", "ps", "en", "ru", "fr", "tr", "he"; "ckb"
// for Central Kurdish), or "und" when nothing can be said (no letters). Short texts (CLD2
// unreliable, < ~20 characters) fall back to letters: Arabic script with Persian-only letters
// (پ چ ژ گ, ی/ک forms) → "fa", with Urdu-only letters (ٹ ڈ ڑ ں ے ھ) → "ur", else "ar";
// Cyrillic → "ru"; Hebrew → "he"; Latin → "en". Refinements of the fallback: Central
// Kurdish letters (ڕ ڵ ۆ ێ ە) → "ckb" and Pashto letters (ټ ډ ړ ږ ښ ځ څ ګ ڼ ۍ ې) → "ps",
// checked before Urdu and Persian since those languages share their letters; Greek → "el";
// Han/kana/Hangul → "zh"/"ja"/"ko"; other scripts → "und". CLD2 says "ku" for Kurdish in
// either script; Arabic-script Kurdish is reported as "ckb". Where CLD2 names Persian, Arabic
// or Urdu for a text with ≥ 3 letters that only Pashto (or only Central Kurdish) writes, the
// answer is "ps" (or "ckb"): CLD2 reliably takes the UDHR's Pashto text for Persian.
//
// Cost: CLD2 reads a sample of ~512 bytes (beginning, middle and end of the text), so long texts
// cost no more than short ones. A text of ≥ 100 letters that is decisively Arabic by its
// letters (ة ى ي present, no letters that only Persian, Urdu, Pashto or Kurdish use) is "ar"
// without CLD2, which is the expensive part of the analysis (tens of µs a call). Thread-safe.
std::string DetectLanguage(std::string_view utf8);

}  // namespace markaz::text
