#include "centre/search_cursor.h"

#include <array>
#include <bit>
#include <cmath>
#include <cstdint>

namespace markaz::centre {
namespace {

constexpr std::string_view kVersion = "v1";
constexpr std::size_t kBytes = 24;
constexpr std::size_t kChars = 32;  // 24 bytes in base64 need no padding
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int Sextet(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

void PutU64(std::uint64_t v, unsigned char* out) {
  for (int i = 7; i >= 0; --i) {
    out[i] = static_cast<unsigned char>(v & 0xFF);
    v >>= 8;
  }
}

std::uint64_t GetU64(const unsigned char* in) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | in[i];
  return v;
}

}  // namespace

std::string EncodeCursor(const index::Cursor& cursor) {
  std::array<unsigned char, kBytes> bytes{};
  PutU64(static_cast<std::uint64_t>(cursor.as_of_seq), bytes.data());
  PutU64(std::bit_cast<std::uint64_t>(cursor.score), bytes.data() + 8);
  PutU64(static_cast<std::uint64_t>(cursor.seq), bytes.data() + 16);
  std::string out(kVersion);
  for (std::size_t i = 0; i < kBytes; i += 3) {
    const std::uint32_t group = (std::uint32_t{bytes[i]} << 16) |
                                (std::uint32_t{bytes[i + 1]} << 8) | bytes[i + 2];
    for (int shift = 18; shift >= 0; shift -= 6) out += kAlphabet[(group >> shift) & 0x3F];
  }
  return out;
}

core::Result<index::Cursor> DecodeCursor(std::string_view text) {
  const core::Status bad = core::Status::InvalidArgument(
      "bad_cursor", "cursor is not a next_cursor of this server; start again without it");
  if (text.size() != kVersion.size() + kChars || text.substr(0, kVersion.size()) != kVersion) {
    return bad;
  }
  text.remove_prefix(kVersion.size());
  std::array<unsigned char, kBytes> bytes{};
  for (std::size_t i = 0, o = 0; i < kChars; i += 4, o += 3) {
    std::uint32_t group = 0;
    for (std::size_t k = 0; k < 4; ++k) {
      const int s = Sextet(text[i + k]);
      if (s < 0) return bad;
      group = (group << 6) | static_cast<std::uint32_t>(s);
    }
    bytes[o] = static_cast<unsigned char>(group >> 16);
    bytes[o + 1] = static_cast<unsigned char>(group >> 8);
    bytes[o + 2] = static_cast<unsigned char>(group);
  }
  index::Cursor cursor;
  cursor.as_of_seq = static_cast<std::int64_t>(GetU64(bytes.data()));
  cursor.score = std::bit_cast<double>(GetU64(bytes.data() + 8));
  cursor.seq = static_cast<std::int64_t>(GetU64(bytes.data() + 16));
  if (cursor.as_of_seq < 0 || cursor.seq < 0 || !std::isfinite(cursor.score)) return bad;
  return cursor;
}

}  // namespace markaz::centre
