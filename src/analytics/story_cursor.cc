// base64url (RFC 4648 §5, no padding) around a checksummed sort key.
#include "analytics/story_cursor.h"

#include <array>

namespace markaz::analytics {
namespace {

constexpr char kVersion = 'S';
constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::uint32_t Fnv1a(std::string_view bytes) {
  std::uint32_t h = 2166136261u;
  for (char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 16777619u;
  }
  return h;
}

void PutBigEndian(std::string& out, std::uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

std::uint64_t GetBigEndian(std::string_view in, int bytes) {
  std::uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | static_cast<unsigned char>(in[i]);
  return v;
}

std::string Base64Url(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : bytes) {
    acc = (acc << 8) | static_cast<unsigned char>(c);
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kAlphabet[(acc >> bits) & 63]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(acc << (6 - bits)) & 63]);
  return out;
}

std::optional<std::string> FromBase64Url(std::string_view text) {
  static const std::array<int, 256> kValue = [] {
    std::array<int, 256> v{};
    v.fill(-1);
    for (std::size_t i = 0; i < kAlphabet.size(); ++i) {
      v[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int>(i);
    }
    return v;
  }();
  if (text.size() % 4 == 1) return std::nullopt;  // no byte count gives this length
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    const int v = kValue[static_cast<unsigned char>(c)];
    if (v < 0) return std::nullopt;
    acc = ((acc << 6) | static_cast<std::uint32_t>(v)) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  // Leftover bits must be zero, so that each byte string has exactly one spelling.
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

}  // namespace

std::string EncodeStoryCursor(const StoryCursor& cursor) {
  std::string bytes(1, kVersion);
  PutBigEndian(bytes, static_cast<std::uint64_t>(cursor.last_seen_ms), 8);
  bytes += cursor.story_id;
  PutBigEndian(bytes, Fnv1a(bytes), 4);
  return Base64Url(bytes);
}

std::optional<StoryCursor> DecodeStoryCursor(std::string_view text) {
  const std::optional<std::string> bytes = FromBase64Url(text);
  if (!bytes || bytes->size() < 1 + 8 + 1 + 4 || (*bytes)[0] != kVersion) return std::nullopt;
  const std::string_view all(*bytes);
  const std::string_view body = all.substr(0, all.size() - 4);
  if (GetBigEndian(all.substr(all.size() - 4), 4) != Fnv1a(body)) return std::nullopt;
  StoryCursor cursor;
  cursor.last_seen_ms = static_cast<std::int64_t>(GetBigEndian(body.substr(1), 8));
  cursor.story_id = std::string(body.substr(9));
  return cursor;
}

}  // namespace markaz::analytics
