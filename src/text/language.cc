// Language identification: CLD2 first, the letters of the text when CLD2 cannot say.
#include "text/language.h"

#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include <algorithm>
#include <array>

// CLD2's header uses FILE without including <cstdio>, so the order matters.
// clang-format off
#include <cstdio>
#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>
// clang-format on

#include "text/utf8.h"

namespace markaz::text {
namespace {

using internal::DecodeUtf8;

// CLD2 reads ~25 MB/s here: on whole reports it would cost more than the rest of the analysis.
// A sample of ~512 bytes (beginning, middle, end: 60–100 words) is enough for a reliable
// answer on prose (the UDHR tests pass on their first 160 bytes) and bounds the cost whatever
// the length.
constexpr std::size_t kSampleHead = 256;
constexpr std::size_t kSamplePart = 128;  // middle and end
constexpr std::size_t kAlignWithin = 48;  // how far to look for a space to cut at

bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// The largest end ≤ n at which s can be cut: after a space when one is near, else at a code
// point boundary.
std::size_t CutBefore(std::string_view s, std::size_t n) {
  if (n >= s.size()) return s.size();
  for (std::size_t k = n; k > 0 && n - k < kAlignWithin; --k) {
    if (s[k - 1] == ' ' || s[k - 1] == '\n') return k;
  }
  while (n > 0 && IsContinuation(s[n])) --n;
  return n;
}

// The smallest start ≥ i at which s can be cut (see CutBefore).
std::size_t CutAfter(std::string_view s, std::size_t i) {
  for (std::size_t k = i; k < s.size() && k - i < kAlignWithin; ++k) {
    if (s[k] == ' ' || s[k] == '\n') return k + 1;
  }
  while (i < s.size() && IsContinuation(s[i])) ++i;
  return i;
}

// What language id reads of `s`: all of it when short, else its beginning, middle and end.
std::string_view Sample(std::string_view s, std::string* buf) {
  if (s.size() <= kSampleHead + 2 * kSamplePart) return s;
  buf->assign(s.substr(0, CutBefore(s, kSampleHead)));
  const std::size_t mid = CutAfter(s, s.size() / 2);
  buf->push_back('\n');
  buf->append(s.substr(mid, CutBefore(s, mid + kSamplePart) - mid));
  const std::size_t tail = CutAfter(s, s.size() - kSamplePart);
  buf->push_back('\n');
  buf->append(s.substr(tail));
  return *buf;
}

// ScriptOf for U+0000–U+07FF (Latin, Greek, Cyrillic, Hebrew, Arabic), computed once with ICU.
Script ScriptOfSlow(char32_t cp);
const std::array<Script, 0x800>& ScriptTable() {
  static const std::array<Script, 0x800> table = [] {
    std::array<Script, 0x800> t{};
    for (char32_t cp = 0; cp < 0x800; ++cp) t[cp] = ScriptOfSlow(cp);
    return t;
  }();
  return table;
}

// Letters that only some of the languages written in Arabic script use (Unicode names).
bool IsKurdishLetter(char32_t cp) {  // Central Kurdish (Sorani)
  switch (cp) {
    case 0x0695:  // ڕ reh with small v below
    case 0x06B5:  // ڵ lam with small v
    case 0x06C6:  // ۆ oe
    case 0x06CE:  // ێ yeh with small v
    case 0x06D5:  // ە ae
      return true;
    default:
      return false;
  }
}
bool IsPashtoLetter(char32_t cp) {
  switch (cp) {
    case 0x067C:  // ټ teh with ring
    case 0x0681:  // ځ hah with hamza above
    case 0x0685:  // څ hah with three dots above
    case 0x0689:  // ډ dal with ring
    case 0x0693:  // ړ reh with ring
    case 0x0696:  // ږ reh with dot below and dot above
    case 0x069A:  // ښ seen with dot below and dot above
    case 0x06AB:  // ګ kaf with ring
    case 0x06BC:  // ڼ noon with ring
    case 0x06CD:  // ۍ yeh with tail
    case 0x06D0:  // ې e
      return true;
    default:
      return false;
  }
}
bool IsUrduLetter(char32_t cp) {
  switch (cp) {
    case 0x0679:  // ٹ tteh
    case 0x0688:  // ڈ ddal
    case 0x0691:  // ڑ rreh
    case 0x06BA:  // ں noon ghunna
    case 0x06BE:  // ھ heh doachashmee
    case 0x06C1:  // ہ heh goal
    case 0x06D2:  // ے yeh barree
      return true;
    default:
      return false;
  }
}
bool IsPersianLetter(char32_t cp) {
  switch (cp) {
    case 0x067E:  // پ peh
    case 0x0686:  // چ tcheh
    case 0x0698:  // ژ jeh
    case 0x06AF:  // گ gaf
    case 0x06A9:  // ک keheh
    case 0x06CC:  // ی farsi yeh
      return true;
    default:
      return false;
  }
}

struct LetterCounts {
  std::array<uint32_t, 8> by_script{};  // indexed by Script
  uint32_t letters = 0;
  uint32_t kurdish = 0, pashto = 0;  // letters only that language uses
  bool urdu = false, persian = false;
  bool kana = false, hangul = false;
  uint32_t arabic_only = 0;  // ة ى ي: letters the other languages in Arabic script replace
  uint32_t extended = 0;     // letters beyond the Arabic alphabet (پ ی ک ے ۆ ڪ ۇ …)
};

LetterCounts CountLetters(std::string_view s) {
  LetterCounts c;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t len = 0;
    const char32_t cp = DecodeUtf8(s, i, &len);
    i += len;
    const Script script = ScriptOf(cp);
    if (script == Script::kUnknown) continue;
    ++c.letters;
    ++c.by_script[static_cast<std::size_t>(script)];
    if (script == Script::kArabic) {
      c.arabic_only += cp == 0x0629 || cp == 0x0649 || cp == 0x064A;
      c.extended += (cp >= 0x0672 && cp <= 0x06FF) || (cp >= 0x0750 && cp <= 0x077F) ||
                    (cp >= 0x08A0 && cp <= 0x08FF);
      c.kurdish += IsKurdishLetter(cp);
      c.pashto += IsPashtoLetter(cp);
      c.urdu |= IsUrduLetter(cp);
      c.persian |= IsPersianLetter(cp);
    } else if (script == Script::kCjk) {
      c.kana |= (cp >= 0x3040 && cp <= 0x30FF);
      c.hangul |= (cp >= 0xAC00 && cp <= 0xD7AF) || (cp >= 0x1100 && cp <= 0x11FF);
    }
  }
  return c;
}

// Whether the letters alone settle that a text is Arabic, so that CLD2 (~5 µs a call plus
// ~40 µs per KiB here, ~40 µs more when malloc trims the heap after each call) need not run:
// enough Arabic-script letters, nearly all of the text's letters, ة ى ي among them, and
// almost none of the letters that Persian, Urdu, Pashto, Kurdish, Sindhi or Uyghur add to the
// alphabet (a stray Persian name is allowed). Those languages write ی for ي and ہ/ۃ for ة.
constexpr uint32_t kDecisiveLetters = 100;
constexpr uint32_t kDecisiveOwnLetters = 3;  // Pashto or Kurdish letters that overrule CLD2
bool DecisivelyArabic(const LetterCounts& c) {
  const uint32_t arabic = c.by_script[static_cast<std::size_t>(Script::kArabic)];
  return arabic >= kDecisiveLetters && arabic * 10 >= c.letters * 9 &&
         c.arabic_only * 50 >= arabic && c.extended * 200 <= arabic;
}

// The guess from letters alone (language.h).
std::string FromLetters(const LetterCounts& c) {
  std::size_t best = 0;
  for (std::size_t k = 1; k < c.by_script.size(); ++k) {
    if (c.by_script[k] > c.by_script[best]) best = k;
  }
  switch (static_cast<Script>(best)) {
    case Script::kArabic:
      // Most specific first: Sorani and Pashto also use Persian letters, Sorani also ھ.
      if (c.kurdish > 0) return "ckb";
      if (c.pashto > 0) return "ps";
      if (c.urdu) return "ur";
      if (c.persian) return "fa";
      return "ar";
    case Script::kLatin:
      return "en";
    case Script::kCyrillic:
      return "ru";
    case Script::kHebrew:
      return "he";
    case Script::kGreek:
      return "el";
    case Script::kCjk:
      return c.hangul ? "ko" : c.kana ? "ja" : "zh";
    case Script::kOther:
    case Script::kUnknown:
      break;
  }
  return "und";
}

// CLD2's code for a language it is sure of, as language.h promises it; empty when unsure.
std::string FromCld2(std::string_view s, Script dominant) {
  const std::size_t n = s.size();
  const CLD2::CLDHints hints = {nullptr, nullptr, CLD2::UNKNOWN_ENCODING, CLD2::UNKNOWN_LANGUAGE};
  CLD2::Language language3[3];
  int percent3[3];
  double scores3[3];
  int text_bytes = 0;
  bool reliable = false;
  int valid_prefix = 0;
  // The checking variant: CLD2 may misbehave on invalid UTF-8, and callers are only asked,
  // not forced, to validate.
  const CLD2::Language lang = CLD2::ExtDetectLanguageSummaryCheckUTF8(
      s.data(), static_cast<int>(n), /*is_plain_text=*/true, &hints, /*flags=*/0, language3,
      percent3, scores3, /*resultchunkvector=*/nullptr, &text_bytes, &reliable, &valid_prefix);
  if (!reliable || lang == CLD2::UNKNOWN_LANGUAGE) return {};
  std::string code = CLD2::LanguageCode(lang);
  if (code == "un" || code.empty()) return {};
  if (code == "iw") return "he";  // CLD2 keeps the ISO 639 code withdrawn in 1989
  if (code == "ji") return "yi";
  if (code == "jw") return "jv";
  if (code == "ku" && dominant == Script::kArabic) return "ckb";  // Kurdish in Arabic script
  if (const std::size_t dash = code.find('-'); dash != std::string::npos) code.resize(dash);
  return code;
}

Script ScriptOfSlow(char32_t cp) {
  if (cp < 0x80) {
    return ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') ? Script::kLatin : Script::kUnknown;
  }
  if (cp == 0x0640) return Script::kUnknown;  // tatweel: a letter by category, not by use
  if (!u_isalpha(static_cast<UChar32>(cp))) return Script::kUnknown;
  UErrorCode status = U_ZERO_ERROR;
  switch (uscript_getScript(static_cast<UChar32>(cp), &status)) {
    case USCRIPT_ARABIC:
      return Script::kArabic;
    case USCRIPT_LATIN:
      return Script::kLatin;
    case USCRIPT_CYRILLIC:
      return Script::kCyrillic;
    case USCRIPT_HEBREW:
      return Script::kHebrew;
    case USCRIPT_GREEK:
      return Script::kGreek;
    case USCRIPT_HAN:
    case USCRIPT_HIRAGANA:
    case USCRIPT_KATAKANA:
    case USCRIPT_HANGUL:
    case USCRIPT_BOPOMOFO:
      return Script::kCjk;
    default:
      return Script::kOther;
  }
}

}  // namespace

Script ScriptOf(char32_t cp) {
  if (cp < 0x800) return ScriptTable()[cp];
  return ScriptOfSlow(cp);
}

std::string DetectLanguage(std::string_view utf8) {
  std::string buf;
  const std::string_view sample = Sample(utf8, &buf);
  const LetterCounts counts = CountLetters(sample);
  if (counts.letters == 0) return "und";
  if (DecisivelyArabic(counts)) return "ar";
  std::size_t dominant = 0;
  for (std::size_t k = 1; k < counts.by_script.size(); ++k) {
    if (counts.by_script[k] > counts.by_script[dominant]) dominant = k;
  }
  std::string cld2 = FromCld2(sample, static_cast<Script>(dominant));
  // CLD2 takes Pashto for Persian (the UDHR's Pashto text, reliably). Letters that only
  // Pashto, or only Central Kurdish, writes settle it when CLD2 names a neighbour.
  if (static_cast<Script>(dominant) == Script::kArabic &&
      (cld2 == "fa" || cld2 == "ar" || cld2 == "ur")) {
    if (counts.pashto >= kDecisiveOwnLetters && counts.pashto > counts.kurdish) return "ps";
    if (counts.kurdish >= kDecisiveOwnLetters) return "ckb";
  }
  if (!cld2.empty()) return cld2;
  return FromLetters(counts);
}

}  // namespace markaz::text
