// Shingles, the MinHash signature and the stored blob (docs/stories.md, "Fingerprint").
//
// The signature is one-permutation hashing (Li, Owen, Zhang 2012) with optimal densification
// (Shrivastava 2017): each shingle is mixed once into 64 bits, its top 7 bits choose one of the
// kHashes bins and its low 32 bits compete for that bin's minimum. That is O(shingles + bins)
// instead of O(shingles × bins) for kHashes independent permutations (~350 × 128 multiplies
// for a 2 KB report), and two sets agree on a bin with probability equal to their Jaccard.
// Empty bins (short texts) borrow the value of a non-empty bin chosen by a hash of (bin,
// attempt), the same choice for every document, which keeps that property.
#include "cluster/fingerprint.h"

#include <xxhash.h>

#include <algorithm>
#include <cstring>

namespace markaz::cluster {
namespace {

constexpr char kSeparator = '\x1f';  // between the terms of a shingle: no term contains it
constexpr std::uint64_t kMinHashSeed = 0x6d61726b617a3031ULL;  // "markaz01"
constexpr int kBinBits = 7;
static_assert((1 << kBinBits) == kHashes);

// The murmur3 64-bit finaliser: a bijection that spreads a 32-bit shingle hash over 64 bits.
std::uint64_t Mix64(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

std::vector<std::uint32_t> MinHash(const std::vector<std::uint32_t>& shingles) {
  std::vector<std::uint32_t> out;
  if (shingles.empty()) return out;
  std::uint32_t bins[kHashes];
  bool filled[kHashes] = {};
  for (std::uint32_t s : shingles) {
    const std::uint64_t m = Mix64(s ^ kMinHashSeed);
    const auto bin = static_cast<std::size_t>(m >> (64 - kBinBits));
    const auto value = static_cast<std::uint32_t>(m);
    if (!filled[bin] || value < bins[bin]) {
      bins[bin] = value;
      filled[bin] = true;
    }
  }
  out.resize(kHashes);
  for (std::size_t i = 0; i < kHashes; ++i) {
    if (filled[i]) {
      out[i] = bins[i];
      continue;
    }
    // Optimal densification: probe bins by a hash of (i, attempt) until a filled one; at least
    // one bin is filled, and each attempt finds one with probability ≥ 1/kHashes.
    for (std::uint64_t attempt = 1;; ++attempt) {
      const auto j = static_cast<std::size_t>(Mix64((i << 32) | attempt) >> (64 - kBinBits));
      if (filled[j]) {
        out[i] = bins[j];
        break;
      }
    }
  }
  return out;
}

// Code point at s[i] (UTF-8, assumed valid: terms come from the analyser); *len its bytes.
char32_t DecodeAt(std::string_view s, std::size_t i, std::size_t* len) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  auto cont = [&](std::size_t k) {
    return i + k < s.size() ? static_cast<char32_t>(static_cast<unsigned char>(s[i + k]) & 0x3F)
                            : char32_t{0};
  };
  if (b0 < 0x80) {
    *len = 1;
    return b0;
  }
  if ((b0 >> 5) == 0x6) {
    *len = 2;
    return (static_cast<char32_t>(b0 & 0x1F) << 6) | cont(1);
  }
  if ((b0 >> 4) == 0xE) {
    *len = 3;
    return (static_cast<char32_t>(b0 & 0x0F) << 12) | (cont(1) << 6) | cont(2);
  }
  *len = 4;
  return (static_cast<char32_t>(b0 & 0x07) << 18) | (cont(1) << 12) | (cont(2) << 6) | cont(3);
}

// Decimal digits of the scripts our languages write (the normaliser already folds Arabic-Indic
// and Persian ones to ASCII; the others are kept for analysers that would not).
bool IsDigit(char32_t c) {
  static constexpr char32_t kZeros[] = {U'0',      U'\u0660', U'\u06F0', U'\u07C0', U'\u0966',
                                        U'\u09E6', U'\u0A66', U'\u0AE6', U'\u0E50', U'\uFF10'};
  for (char32_t z : kZeros) {
    if (c >= z && c <= z + 9) return true;
  }
  return false;
}

bool IsDecimalSeparator(char32_t c) { return c == U'.' || c == U',' || c == U'\u066B'; }

bool IsNumberTerm(std::string_view term) {
  bool digit_before = false;
  bool separator_seen = false;
  bool last_was_separator = false;
  for (std::size_t i = 0; i < term.size();) {
    std::size_t len = 1;
    const char32_t c = DecodeAt(term, i, &len);
    i += len;
    if (IsDigit(c)) {
      digit_before = true;
      last_was_separator = false;
    } else if (IsDecimalSeparator(c) && digit_before && !separator_seen) {
      separator_seen = true;
      last_was_separator = true;
    } else {
      return false;
    }
  }
  return digit_before && !last_was_separator;
}

void AppendU32(std::uint32_t v, std::string* out) {
  char b[4] = {static_cast<char>(v), static_cast<char>(v >> 8), static_cast<char>(v >> 16),
               static_cast<char>(v >> 24)};
  out->append(b, 4);
}

std::uint32_t ReadU32(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return static_cast<std::uint32_t>(u[0]) | (static_cast<std::uint32_t>(u[1]) << 8) |
         (static_cast<std::uint32_t>(u[2]) << 16) | (static_cast<std::uint32_t>(u[3]) << 24);
}

// Blob layout v2 (docs/stories.md): magic "MKFP", version, shingle words, hash family, 0,
// u32 shingle count n, u32 signature length k (0 or kHashes), n shingles ascending, k values,
// then (v2 only) u32 number count m and m numbers as u8 length + bytes, then u32 check (low
// 32 bits of XXH3-64 of every byte before it). All integers little-endian. v1 (no numbers)
// is still read.
constexpr char kMagic[4] = {'M', 'K', 'F', 'P'};
constexpr unsigned char kVersion = 2;
constexpr unsigned char kVersionWithoutNumbers = 1;
constexpr std::size_t kMaxNumberBytes = 255;
constexpr unsigned char kFamilyOnePermutation = 1;
constexpr std::size_t kHeaderBytes = 16;

core::Status Bad(std::string message) {
  return core::Status::InvalidArgument("bad_fingerprint", std::move(message));
}

}  // namespace

Fingerprint MakeFingerprint(std::span<const text::Token> tokens) {
  Fingerprint f;
  if (tokens.empty()) return f;
  const std::size_t n = tokens.size();
  const std::size_t runs = n < kShingleWords ? 1 : n - kShingleWords + 1;
  const std::size_t width = std::min<std::size_t>(n, kShingleWords);
  f.shingles.reserve(runs);
  std::string buf;
  for (std::size_t i = 0; i < runs; ++i) {
    buf.clear();
    for (std::size_t w = 0; w < width; ++w) {
      if (w > 0) buf.push_back(kSeparator);
      buf.append(tokens[i + w].term);
    }
    f.shingles.push_back(static_cast<std::uint32_t>(XXH3_64bits(buf.data(), buf.size())));
  }
  std::sort(f.shingles.begin(), f.shingles.end());
  f.shingles.erase(std::unique(f.shingles.begin(), f.shingles.end()), f.shingles.end());
  f.minhash = MinHash(f.shingles);
  return f;
}

namespace {}  // namespace

std::size_t IntersectionSize(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b) {
  // Branch-free merge: on random hashes the branchy form mispredicts about every other step.
  std::size_t i = 0, j = 0, common = 0;
  const std::size_t na = a.size(), nb = b.size();
  while (i < na && j < nb) {
    const std::uint32_t x = a[i], y = b[j];
    common += x == y;
    i += x <= y;
    j += y <= x;
  }
  return common;
}

double Jaccard(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b) {
  if (a.empty() || b.empty()) return 0;
  const std::size_t common = IntersectionSize(a, b);
  return static_cast<double>(common) / static_cast<double>(a.size() + b.size() - common);
}

double Containment(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b) {
  if (a.empty() || b.empty()) return 0;
  return static_cast<double>(IntersectionSize(a, b)) / static_cast<double>(a.size());
}

std::string EncodeFingerprint(const Fingerprint& fingerprint,
                              std::span<const std::string> numbers) {
  std::string out;
  out.reserve(kHeaderBytes + 4 * (fingerprint.shingles.size() + fingerprint.minhash.size()) + 4);
  out.append(kMagic, 4);
  out.push_back(static_cast<char>(kVersion));
  out.push_back(static_cast<char>(kShingleWords));
  out.push_back(static_cast<char>(kFamilyOnePermutation));
  out.push_back('\0');
  AppendU32(static_cast<std::uint32_t>(fingerprint.shingles.size()), &out);
  AppendU32(static_cast<std::uint32_t>(fingerprint.minhash.size()), &out);
  for (std::uint32_t s : fingerprint.shingles) AppendU32(s, &out);
  for (std::uint32_t v : fingerprint.minhash) AppendU32(v, &out);
  std::uint32_t kept = 0;
  for (const std::string& number : numbers) kept += number.size() <= kMaxNumberBytes ? 1 : 0;
  AppendU32(kept, &out);
  for (const std::string& number : numbers) {
    if (number.size() > kMaxNumberBytes) continue;  // not a number anyone repeats
    out.push_back(static_cast<char>(number.size()));
    out.append(number);
  }
  AppendU32(static_cast<std::uint32_t>(XXH3_64bits(out.data(), out.size())), &out);
  return out;
}

namespace {

// Checks a blob and returns its shingle and signature counts, and where its numbers are
// (v2: the bytes between the signature and the check; empty for v1).
core::Status CheckBlob(std::string_view blob, std::uint64_t* n, std::uint64_t* k,
                       std::string_view* numbers = nullptr) {
  if (blob.size() < kHeaderBytes + 4) return Bad("fingerprint blob too short");
  if (std::memcmp(blob.data(), kMagic, 4) != 0) return Bad("not a fingerprint blob");
  const unsigned char version = static_cast<unsigned char>(blob[4]);
  if (version != kVersion && version != kVersionWithoutNumbers) {
    return Bad("unknown fingerprint version");
  }
  if (static_cast<unsigned char>(blob[5]) != kShingleWords ||
      static_cast<unsigned char>(blob[6]) != kFamilyOnePermutation || blob[7] != '\0') {
    return Bad("fingerprint of another shingle size or hash family");
  }
  *n = ReadU32(blob.data() + 8);
  *k = ReadU32(blob.data() + 12);
  const std::uint64_t fixed = kHeaderBytes + 4 * (*n + *k) + 4;
  if (version == kVersionWithoutNumbers ? blob.size() != fixed : blob.size() < fixed + 4) {
    return Bad("fingerprint blob size mismatch");
  }
  if ((*n == 0) != (*k == 0) || (*k != 0 && *k != static_cast<std::uint64_t>(kHashes))) {
    return Bad("fingerprint signature length");
  }
  const std::size_t body = blob.size() - 4;
  if (ReadU32(blob.data() + body) != static_cast<std::uint32_t>(XXH3_64bits(blob.data(), body))) {
    return Bad("fingerprint check mismatch");
  }
  std::string_view rest;
  if (version == kVersion) {
    rest = blob.substr(fixed - 4, body - (fixed - 4));  // u32 m, then the numbers
    std::uint32_t m = ReadU32(rest.data());
    std::size_t at = 4;
    for (; m > 0; --m) {
      if (at >= rest.size()) return Bad("fingerprint numbers truncated");
      const std::size_t len = static_cast<unsigned char>(rest[at]);
      if (at + 1 + len > rest.size()) return Bad("fingerprint numbers truncated");
      at += 1 + len;
    }
    if (at != rest.size()) return Bad("fingerprint blob size mismatch");
  }
  if (numbers != nullptr) *numbers = rest;
  return core::Status::Ok();
}

}  // namespace

core::Status DecodeShingles(std::string_view blob, std::vector<std::uint32_t>* shingles) {
  std::uint64_t n = 0, k = 0;
  MARKAZ_RETURN_IF_ERROR(CheckBlob(blob, &n, &k));
  shingles->resize(n);
  const char* p = blob.data() + kHeaderBytes;
  for (std::size_t i = 0; i < n; ++i, p += 4) {
    (*shingles)[i] = ReadU32(p);
    if (i > 0 && (*shingles)[i] <= (*shingles)[i - 1]) {
      return Bad("fingerprint shingles unsorted");
    }
  }
  return core::Status::Ok();
}

core::Result<Fingerprint> DecodeFingerprint(std::string_view blob,
                                            std::vector<std::string>* numbers) {
  Fingerprint f;
  MARKAZ_RETURN_IF_ERROR(DecodeShingles(blob, &f.shingles));
  if (numbers != nullptr) {
    numbers->clear();
    std::uint64_t n = 0, k = 0;
    std::string_view packed;
    MARKAZ_RETURN_IF_ERROR(CheckBlob(blob, &n, &k, &packed));
    for (std::size_t at = packed.empty() ? 0 : 4; at < packed.size();) {
      const std::size_t len = static_cast<unsigned char>(packed[at]);
      numbers->emplace_back(packed.substr(at + 1, len));
      at += 1 + len;
    }
  }
  if (f.shingles.empty()) return f;
  f.minhash.resize(kHashes);
  const char* p = blob.data() + kHeaderBytes + 4 * f.shingles.size();
  for (std::size_t i = 0; i < f.minhash.size(); ++i, p += 4) f.minhash[i] = ReadU32(p);
  return f;
}

std::vector<std::string> NumberTerms(std::span<const text::Token> tokens) {
  std::vector<std::string> out;
  for (const text::Token& t : tokens) {
    if (IsNumberTerm(t.term)) out.push_back(t.term);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace markaz::cluster
