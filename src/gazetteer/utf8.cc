// UTF-8 helpers for the gazetteer (see utf8.h).
#include "gazetteer/utf8.h"

#include "text/utf8.h"

namespace markaz::gazetteer::utf8 {
namespace {

bool Continuation(unsigned char b) { return (b & 0xC0) == 0x80; }

}  // namespace

bool Valid(std::string_view s, std::size_t* error_at) {
  for (std::size_t i = 0; i < s.size();) {
    std::size_t length = 0;
    // The text module's decoder answers a bad sequence with U+FFFD of one byte; a real U+FFFD
    // is three bytes long.
    if (text::internal::DecodeUtf8(s, i, &length) == text::internal::kReplacementChar &&
        length == 1) {
      if (error_at != nullptr) *error_at = i;
      return false;
    }
    i += length;
  }
  return true;
}

char32_t DecodeAt(std::string_view s, std::size_t i, std::size_t* length) {
  return text::internal::DecodeUtf8(s, i, length);
}

char32_t DecodeBefore(std::string_view s, std::size_t i) {
  std::size_t start = i - 1;
  while (start > 0 && i - start < 4 && Continuation(static_cast<unsigned char>(s[start]))) --start;
  std::size_t length = 0;
  return DecodeAt(s, start, &length);
}

bool IsArabicMark(char32_t cp) {
  return cp == 0x0640 || (cp >= 0x064B && cp <= 0x065F) || cp == 0x0670 ||
         (cp >= 0x06D6 && cp <= 0x06ED);
}

bool IsArabicLetter(char32_t cp) {
  return (cp >= 0x0620 && cp <= 0x064A) || (cp >= 0x066E && cp <= 0x06D3) || cp == 0x06D5 ||
         (cp >= 0x06FA && cp <= 0x06FF) || (cp >= 0x0750 && cp <= 0x077F) ||
         (cp >= 0x08A0 && cp <= 0x08C9);
}

bool IsWordChar(char32_t cp) {
  if (cp < 0x80) {
    return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
  }
  if (cp < 0x0300) {
    // Latin-1 letters (not × ÷), Latin Extended-A/B, IPA, spacing modifiers; ª º µ.
    if (cp == 0xAA || cp == 0xB5 || cp == 0xBA) return true;
    return cp >= 0xC0 && cp != 0xD7 && cp != 0xF7;
  }
  if (cp <= 0x036F) return true;  // combining diacritical marks
  if (cp >= 0x0370 && cp <= 0x03FF) return cp != 0x037E && cp != 0x0387;  // Greek
  if (cp >= 0x0400 && cp <= 0x052F) return cp != 0x0482;                  // Cyrillic (not ҂)
  if (cp >= 0x0531 && cp <= 0x0587) return true;                          // Armenian
  if (cp >= 0x0591 && cp <= 0x05C7)
    return cp != 0x05BE && cp != 0x05C0 && cp != 0x05C3 && cp != 0x05C6;  // Hebrew points
  if (cp >= 0x05D0 && cp <= 0x05F2) return true;                          // Hebrew letters
  if (IsArabicLetter(cp) || IsArabicMark(cp)) return true;
  if ((cp >= 0x0660 && cp <= 0x0669) || (cp >= 0x06F0 && cp <= 0x06F9)) return true;  // digits
  if (cp >= 0x0610 && cp <= 0x061A) return true;  // Arabic signs over letters
  if (cp >= 0x0900 && cp <= 0x0DFF) return true;  // Indic scripts (letters and marks)
  if (cp >= 0x10A0 && cp <= 0x10FF) return true;  // Georgian
  if (cp >= 0x1AB0 && cp <= 0x1AFF) return true;  // combining marks extended
  if (cp >= 0x1DC0 && cp <= 0x1EFF) return true;  // combining supplement, Latin Additional
  if (cp >= 0x1F00 && cp <= 0x1FFF) return true;  // Greek Extended
  if (cp >= 0x20D0 && cp <= 0x20FF) return true;  // combining marks for symbols
  if (cp >= 0x2C00 && cp <= 0x2DFF) return true;  // Glagolitic … Cyrillic Extended-A
  if (cp >= 0xA640 && cp <= 0xA69F) return true;  // Cyrillic Extended-B
  if (cp >= 0xA720 && cp <= 0xA7FF) return true;  // Latin Extended-D
  if (cp >= 0xFB1D && cp <= 0xFDFF) return true;  // Hebrew and Arabic presentation forms
  if (cp >= 0xFE70 && cp <= 0xFEFC) return true;  // Arabic presentation forms-B
  if (cp >= 0xFF10 && cp <= 0xFF19) return true;  // fullwidth digits
  if ((cp >= 0xFF21 && cp <= 0xFF3A) || (cp >= 0xFF41 && cp <= 0xFF5A)) return true;
  return false;
}

}  // namespace markaz::gazetteer::utf8
