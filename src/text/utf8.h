// UTF-8 decoding and encoding of the text module, also used by the gazetteer (which sits on
// text). One decoder for everything, so that Normalize, CountCodePoints, the analyser and the
// matcher count code points the same way: an invalid byte is one code point, U+FFFD.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace markaz::text::internal {

inline constexpr char32_t kReplacementChar = 0xFFFD;

// Decodes the code point starting at s[i] (i < s.size()); sets *len to its length in bytes
// (≥ 1). Overlong forms, surrogates, values above U+10FFFF and truncated sequences decode as
// U+FFFD with *len = 1, so that decoding always advances and never reads past the end.
inline char32_t DecodeUtf8(std::string_view s, std::size_t i, std::size_t* len) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    *len = 1;
    return b0;
  }
  const std::size_t n = s.size();
  auto cont = [&](std::size_t k) -> int {
    if (i + k >= n) return -1;
    const auto b = static_cast<unsigned char>(s[i + k]);
    return (b & 0xC0) == 0x80 ? (b & 0x3F) : -1;
  };
  *len = 1;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    const int c1 = cont(1);
    if (c1 < 0) return kReplacementChar;
    *len = 2;
    return (static_cast<char32_t>(b0 & 0x1F) << 6) | static_cast<char32_t>(c1);
  }
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    const int c1 = cont(1);
    const int c2 = c1 < 0 ? -1 : cont(2);
    if (c2 < 0) return kReplacementChar;
    const char32_t cp = (static_cast<char32_t>(b0 & 0x0F) << 12) |
                        (static_cast<char32_t>(c1) << 6) | static_cast<char32_t>(c2);
    if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF)) return kReplacementChar;
    *len = 3;
    return cp;
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    const int c1 = cont(1);
    const int c2 = c1 < 0 ? -1 : cont(2);
    const int c3 = c2 < 0 ? -1 : cont(3);
    if (c3 < 0) return kReplacementChar;
    const char32_t cp = (static_cast<char32_t>(b0 & 0x07) << 18) |
                        (static_cast<char32_t>(c1) << 12) | (static_cast<char32_t>(c2) << 6) |
                        static_cast<char32_t>(c3);
    if (cp < 0x10000 || cp > 0x10FFFF) return kReplacementChar;
    *len = 4;
    return cp;
  }
  return kReplacementChar;
}

// Writes the UTF-8 form of `cp` (a valid scalar value) to out[0..]; returns its length.
inline std::size_t EncodeUtf8(char32_t cp, char* out) {
  if (cp < 0x80) {
    out[0] = static_cast<char>(cp);
    return 1;
  }
  if (cp < 0x800) {
    out[0] = static_cast<char>(0xC0 | (cp >> 6));
    out[1] = static_cast<char>(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = static_cast<char>(0xE0 | (cp >> 12));
    out[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = static_cast<char>(0xF0 | (cp >> 18));
  out[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
  out[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  out[3] = static_cast<char>(0x80 | (cp & 0x3F));
  return 4;
}

inline void AppendUtf8(char32_t cp, std::string* out) {
  char buf[4];
  out->append(buf, EncodeUtf8(cp, buf));
}

}  // namespace markaz::text::internal
