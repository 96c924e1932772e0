// The low-level codecs of segment files (docs/index-format.md): little-endian loads and
// stores, LEB128 varints, and frame-of-reference bit packing of blocks of 32-bit values.
//
// Readers trust the bytes they are given: a segment's checksum is verified once at Open, so
// the decoders here do no bounds checks (that is what makes them fast). Bit unpacking may read
// up to kUnpackOverread bytes past the packed data; writers leave that much room after it.
//
// Thread-safety: pure functions.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

namespace markaz::index::codec {

static_assert(std::endian::native == std::endian::little, "segment files are little-endian");

inline constexpr std::size_t kUnpackOverread = 8;

inline std::uint32_t LoadU32(const unsigned char* p) {
  std::uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline std::uint64_t LoadU64(const unsigned char* p) {
  std::uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline std::int64_t LoadI64(const unsigned char* p) {
  std::int64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

inline void PutU32(std::string* out, std::uint32_t v) {
  out->append(reinterpret_cast<const char*>(&v), sizeof v);
}
inline void PutU64(std::string* out, std::uint64_t v) {
  out->append(reinterpret_cast<const char*>(&v), sizeof v);
}
inline void PutI64(std::string* out, std::int64_t v) {
  out->append(reinterpret_cast<const char*>(&v), sizeof v);
}
// Appends zero bytes until out->size() is a multiple of `alignment` (a power of two).
inline void PadTo(std::string* out, std::size_t alignment) {
  out->append((alignment - out->size() % alignment) % alignment, '\0');
}

inline void PutVarint(std::string* out, std::uint64_t v) {
  // Byte by byte: most varints here are one or two bytes, where a call to append costs more.
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}
// The bytes PutVarint writes for v.
inline std::size_t VarintSize(std::uint64_t v) {
  return 1 + static_cast<std::size_t>(std::bit_width(v | 1) - 1) / 7;
}

// Decodes a varint at *p and moves *p past it.
inline std::uint64_t GetVarint(const unsigned char** p) {
  const unsigned char* q = *p;
  std::uint64_t v = *q & 0x7F;
  if (*q++ < 0x80) {
    *p = q;
    return v;
  }
  int shift = 7;
  while (true) {
    const unsigned char b = *q++;
    v |= static_cast<std::uint64_t>(b & 0x7F) << shift;
    if (b < 0x80) break;
    shift += 7;
  }
  *p = q;
  return v;
}
inline std::uint32_t GetVarint32(const unsigned char** p) {
  return static_cast<std::uint32_t>(GetVarint(p));
}
// Moves *p past `count` varints without decoding them.
inline void SkipVarints(const unsigned char** p, std::uint32_t count) {
  const unsigned char* q = *p;
  while (count > 0) {
    if (*q++ < 0x80) --count;
  }
  *p = q;
}

// Bits needed for `max_value` (0 for 0).
inline std::uint32_t BitWidth(std::uint32_t max_value) {
  return static_cast<std::uint32_t>(std::bit_width(max_value));
}
inline std::size_t PackedBytes(std::size_t count, std::uint32_t width) {
  return (count * width + 7) / 8;
}

// Appends `count` values of `width` bits (each < 2^width), least significant bit first.
void Pack(const std::uint32_t* values, std::size_t count, std::uint32_t width, std::string* out);
// Reads `count` values of `width` bits (0..32) into out; may read kUnpackOverread bytes past.
void Unpack(const unsigned char* in, std::size_t count, std::uint32_t width, std::uint32_t* out);
// Reads values first .. first + count - 1 of a packed array.
void UnpackFrom(const unsigned char* in, std::size_t first, std::size_t count,
                std::uint32_t width, std::uint32_t* out);
// The same for exactly 128 values, unrolled per width: the postings hot path.
void Unpack128(const unsigned char* in, std::uint32_t width, std::uint32_t* out);

}  // namespace markaz::index::codec
