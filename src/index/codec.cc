// Bit packing: values are laid end to end, least significant bit first, so a value at bit b
// is one unaligned 64-bit load at byte b/8 shifted right by b%8 (width ≤ 32 and shift ≤ 7
// always fit in the 64 bits). Unpack128 instantiates the loop per width so that the offsets
// and masks are constants and the compiler unrolls it.
#include "index/codec.h"

#include <array>
#include <utility>

namespace markaz::index::codec {

void Pack(const std::uint32_t* values, std::size_t count, std::uint32_t width, std::string* out) {
  if (width == 0 || count == 0) return;
  const std::size_t start = out->size();
  out->append(PackedBytes(count, width), '\0');
  auto* bytes = reinterpret_cast<unsigned char*>(out->data() + start);
  std::uint64_t acc = 0;
  std::uint32_t bits = 0;
  std::size_t pos = 0;
  for (std::size_t i = 0; i < count; ++i) {
    acc |= static_cast<std::uint64_t>(values[i]) << bits;
    bits += width;
    while (bits >= 8) {
      bytes[pos++] = static_cast<unsigned char>(acc);
      acc >>= 8;
      bits -= 8;
    }
  }
  if (bits > 0) bytes[pos] = static_cast<unsigned char>(acc);
}

void Unpack(const unsigned char* in, std::size_t count, std::uint32_t width, std::uint32_t* out) {
  if (width == 0) {
    for (std::size_t i = 0; i < count; ++i) out[i] = 0;
    return;
  }
  const std::uint64_t mask = (std::uint64_t{1} << width) - 1;
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t bit = i * width;
    out[i] = static_cast<std::uint32_t>((LoadU64(in + bit / 8) >> (bit % 8)) & mask);
  }
}

void UnpackFrom(const unsigned char* in, std::size_t first, std::size_t count,
                std::uint32_t width, std::uint32_t* out) {
  if (width == 0) {
    for (std::size_t i = 0; i < count; ++i) out[i] = 0;
    return;
  }
  const std::uint64_t mask = (std::uint64_t{1} << width) - 1;
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t bit = (first + i) * width;
    out[i] = static_cast<std::uint32_t>((LoadU64(in + bit / 8) >> (bit % 8)) & mask);
  }
}

namespace {

template <std::uint32_t W>
void UnpackFixed(const unsigned char* in, std::uint32_t* out) {
  if constexpr (W == 0) {
    for (int i = 0; i < 128; ++i) out[i] = 0;
  } else {
    constexpr std::uint64_t kMask = (std::uint64_t{1} << W) - 1;
    // Eight values span exactly W bytes: unroll by eight so every shift is a constant.
    for (int group = 0; group < 16; ++group) {
      const unsigned char* g = in + group * W;
      std::uint32_t* o = out + group * 8;
#pragma GCC unroll 8
      for (std::uint32_t j = 0; j < 8; ++j) {
        const std::uint32_t bit = j * W;
        o[j] = static_cast<std::uint32_t>((LoadU64(g + bit / 8) >> (bit % 8)) & kMask);
      }
    }
  }
}

using UnpackFn = void (*)(const unsigned char*, std::uint32_t*);

template <std::size_t... W>
constexpr std::array<UnpackFn, sizeof...(W)> MakeTable(std::index_sequence<W...>) {
  return {&UnpackFixed<static_cast<std::uint32_t>(W)>...};
}

constexpr auto kUnpackers = MakeTable(std::make_index_sequence<33>());

}  // namespace

void Unpack128(const unsigned char* in, std::uint32_t width, std::uint32_t* out) {
  kUnpackers[width](in, out);
}

}  // namespace markaz::index::codec
