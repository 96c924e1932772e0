// Tests for index/codec.h: varints at their byte boundaries, and bit packing at every width
// 0..32 with extreme values, partial counts and the unrolled 128-value path.
#include "index/codec.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace markaz::index::codec {
namespace {

const unsigned char* Bytes(const std::string& s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

TEST(VarintTest, RoundTripsBoundaryValues) {
  const std::vector<std::uint64_t> values = {0,          1,          127,        128,
                                             16383,      16384,      2097151,    2097152,
                                             0xFFFFFFFF, 0x100000000, ~std::uint64_t{0}};
  std::string buf;
  for (std::uint64_t v : values) PutVarint(&buf, v);
  const unsigned char* p = Bytes(buf);
  for (std::uint64_t v : values) EXPECT_EQ(GetVarint(&p), v);
  EXPECT_EQ(p, Bytes(buf) + buf.size());
}

TEST(VarintTest, EncodedSizesAreMinimal) {
  std::string buf;
  PutVarint(&buf, 127);
  EXPECT_EQ(buf.size(), 1u);
  buf.clear();
  PutVarint(&buf, 128);
  EXPECT_EQ(buf.size(), 2u);
  buf.clear();
  PutVarint(&buf, 0xFFFFFFFF);
  EXPECT_EQ(buf.size(), 5u);
  buf.clear();
  PutVarint(&buf, ~std::uint64_t{0});
  EXPECT_EQ(buf.size(), 10u);
}

TEST(VarintTest, SkipVarintsLandsAfterTheCount) {
  std::string buf;
  for (std::uint64_t v : {300u, 1u, 70000u, 5u}) PutVarint(&buf, v);
  const unsigned char* p = Bytes(buf);
  SkipVarints(&p, 3);
  EXPECT_EQ(GetVarint(&p), 5u);
  p = Bytes(buf);
  SkipVarints(&p, 0);
  EXPECT_EQ(GetVarint(&p), 300u);
}

TEST(BitWidthTest, CountsSignificantBits) {
  EXPECT_EQ(BitWidth(0), 0u);
  EXPECT_EQ(BitWidth(1), 1u);
  EXPECT_EQ(BitWidth(2), 2u);
  EXPECT_EQ(BitWidth(255), 8u);
  EXPECT_EQ(BitWidth(256), 9u);
  EXPECT_EQ(BitWidth(0xFFFFFFFF), 32u);
}

std::vector<std::uint32_t> RandomValues(std::mt19937& rng, std::size_t count, std::uint32_t width) {
  std::vector<std::uint32_t> values(count);
  const std::uint64_t limit = width == 0 ? 0 : (std::uint64_t{1} << width) - 1;
  std::uniform_int_distribution<std::uint64_t> dist(0, limit);
  for (auto& v : values) v = static_cast<std::uint32_t>(dist(rng));
  if (count > 0) values[count / 2] = static_cast<std::uint32_t>(limit);  // the extreme value
  return values;
}

TEST(PackTest, EveryWidthRoundTripsFullBlocks) {
  std::mt19937 rng(7);
  for (std::uint32_t width = 0; width <= 32; ++width) {
    const std::vector<std::uint32_t> values = RandomValues(rng, 128, width);
    std::string buf;
    Pack(values.data(), values.size(), width, &buf);
    EXPECT_EQ(buf.size(), PackedBytes(128, width)) << "width " << width;
    buf.append(kUnpackOverread, '\xAB');  // the over-read must not leak into values
    std::vector<std::uint32_t> out(128, 0xDEADBEEF);
    Unpack128(Bytes(buf), width, out.data());
    EXPECT_EQ(out, values) << "Unpack128 width " << width;
    std::vector<std::uint32_t> generic(128, 0xDEADBEEF);
    Unpack(Bytes(buf), 128, width, generic.data());
    EXPECT_EQ(generic, values) << "Unpack width " << width;
  }
}

TEST(PackTest, PartialCountsRoundTrip) {
  std::mt19937 rng(11);
  for (std::size_t count : {1u, 2u, 7u, 9u, 63u, 127u}) {
    for (std::uint32_t width : {1u, 3u, 7u, 8u, 13u, 31u, 32u}) {
      const std::vector<std::uint32_t> values = RandomValues(rng, count, width);
      std::string buf;
      Pack(values.data(), values.size(), width, &buf);
      EXPECT_EQ(buf.size(), (count * width + 7) / 8);
      buf.append(kUnpackOverread, '\xFF');
      std::vector<std::uint32_t> out(count);
      Unpack(Bytes(buf), count, width, out.data());
      EXPECT_EQ(out, values) << "count " << count << " width " << width;
    }
  }
}

TEST(PackTest, WidthZeroWritesNothingAndReadsZeros) {
  const std::vector<std::uint32_t> zeros(128, 0);
  std::string buf;
  Pack(zeros.data(), zeros.size(), 0, &buf);
  EXPECT_TRUE(buf.empty());
  std::string pad(kUnpackOverread, '\xFF');
  std::vector<std::uint32_t> out(128, 5);
  Unpack128(Bytes(pad), 0, out.data());
  EXPECT_EQ(out, zeros);
}

TEST(PackTest, PacksAppendAfterExistingBytes) {
  std::string buf = "xy";
  const std::vector<std::uint32_t> values = {5, 0, 7, 1};
  Pack(values.data(), values.size(), 3, &buf);
  EXPECT_EQ(buf.substr(0, 2), "xy");
  buf.append(kUnpackOverread, '\0');
  std::vector<std::uint32_t> out(4);
  Unpack(Bytes(buf) + 2, 4, 3, out.data());
  EXPECT_EQ(out, values);
}

}  // namespace
}  // namespace markaz::index::codec
