// Tests for core/ids.h: prefixed ULIDs, their validity check, ordering and thread-safety.
#include "core/ids.h"

#include <algorithm>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace markaz::core {
namespace {

Time Ms(long long ms) { return Time(std::chrono::milliseconds(ms)); }

TEST(IdGenerator, MakesValidPrefixedIds) {
  IdGenerator gen(1);
  for (std::string_view prefix : {"rep", "tok", "sto", "prd", "rrq", "prp"}) {
    std::string id = gen.Next(prefix, Ms(1444557600000));
    SCOPED_TRACE(id);
    EXPECT_EQ(id.size(), prefix.size() + 1 + 26);
    EXPECT_EQ(id.substr(0, prefix.size() + 1), std::string(prefix) + "_");
    EXPECT_TRUE(IsValidId(id, prefix));
    EXPECT_FALSE(IsValidId(id, prefix == "rep" ? "tok" : "rep"));
  }
}

TEST(IdGenerator, EncodesTheTimestampInTheFirstTenCharacters) {
  // Known ULID timestamps: 0 → "0000000000", 1 → "0000000001", 32 → "0000000010",
  // 2^48 - 1 → "7ZZZZZZZZZ"; out-of-range times are clamped.
  struct Case {
    long long ms;
    std::string prefix10;
  } cases[] = {
      {0, "0000000000"},
      {1, "0000000001"},
      {31, "000000000Z"},
      {32, "0000000010"},
      {1469918176385, "01ARYZ6S41"},  // the example in the ULID specification
      {(1LL << 48) - 1, "7ZZZZZZZZZ"},
      {1LL << 50, "7ZZZZZZZZZ"},       // clamped
      {-5, "0000000000"},              // clamped
  };
  IdGenerator gen(7);
  for (const auto& c : cases) {
    SCOPED_TRACE(c.ms);
    std::string id = gen.Next("rep", Ms(c.ms));
    EXPECT_EQ(id.substr(4, 10), c.prefix10);
    EXPECT_TRUE(IsValidId(id, "rep"));
  }
}

TEST(IdGenerator, SameSeedSameIds) {
  IdGenerator a(42), b(42), c(43);
  std::string a1 = a.Next("rep", Ms(1000));
  EXPECT_EQ(a1, b.Next("rep", Ms(1000)));
  EXPECT_NE(a1, c.Next("rep", Ms(1000)));
  EXPECT_NE(a1, a.Next("rep", Ms(1000)));  // the stream moves on
}

TEST(IdGenerator, LaterIdsSortLater) {
  IdGenerator gen(3);
  std::vector<std::string> ids;
  for (long long i = 0; i < 1000; ++i) {
    ids.push_back(gen.Next("rep", Ms(1'400'000'000'000LL + i * 997)));
  }
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
}

TEST(IdGenerator, RandomPartUsesTheWholeAlphabet) {
  // 80 random bits over many ids: every one of the 32 characters must show up in the random
  // part, and the first random character (which carries 5 full bits) must vary too.
  IdGenerator gen(11);
  std::set<char> seen, first;
  for (int i = 0; i < 2000; ++i) {
    std::string id = gen.Next("x", Ms(0));
    std::string random = id.substr(2 + 10);
    ASSERT_EQ(random.size(), 16u);
    seen.insert(random.begin(), random.end());
    first.insert(random[0]);
  }
  EXPECT_EQ(seen.size(), 32u);
  EXPECT_EQ(first.size(), 32u);
}

TEST(IdGenerator, UniqueAcrossThreads) {
  IdGenerator gen;  // seeded from random_device
  constexpr int kThreads = 4, kPerThread = 2000;
  std::vector<std::vector<std::string>> out(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&gen, &out, t] {
      for (int i = 0; i < kPerThread; ++i) out[t].push_back(gen.Next("rep", Ms(5000)));
    });
  }
  for (auto& th : threads) th.join();
  std::set<std::string> all;
  for (const auto& v : out) {
    for (const auto& id : v) {
      EXPECT_TRUE(IsValidId(id, "rep"));
      all.insert(id);
    }
  }
  EXPECT_EQ(all.size(), static_cast<std::size_t>(kThreads * kPerThread));
}

TEST(IsValidId, ChecksPrefixLengthAndAlphabet) {
  struct Case {
    std::string id;
    std::string prefix;
    bool valid;
  } cases[] = {
      {"rep_01ARYZ6S41TSV4RRFFQ69G5FAV", "rep", true},
      {"rep_7ZZZZZZZZZZZZZZZZZZZZZZZZZ", "rep", true},
      {"rep_00000000000000000000000000", "rep", true},
      {"rep_01ARYZ6S41TSV4RRFFQ69G5FA", "rep", false},    // 25 characters
      {"rep_01ARYZ6S41TSV4RRFFQ69G5FAVX", "rep", false},  // 27 characters
      {"rep_8ZZZZZZZZZZZZZZZZZZZZZZZZZ", "rep", false},   // more than 128 bits
      {"rep_01ARYZ6S41TSV4RRFFQ69G5FAI", "rep", false},   // I is not Crockford
      {"rep_01ARYZ6S41TSV4RRFFQ69G5FAL", "rep", false},   // L
      {"rep_01ARYZ6S41TSV4RRFFQ69G5FAO", "rep", false},   // O
      {"rep_01ARYZ6S41TSV4RRFFQ69G5FAU", "rep", false},   // U
      {"rep_01aryz6s41tsv4rrffq69g5fav", "rep", false},   // ids are upper case
      {"rep-01ARYZ6S41TSV4RRFFQ69G5FAV", "rep", false},   // separator
      {"tok_01ARYZ6S41TSV4RRFFQ69G5FAV", "rep", false},   // other prefix
      {"rep_01ARYZ6S41TSV4RRFFQ69G5FAV", "re", false},
      {"01ARYZ6S41TSV4RRFFQ69G5FAV", "rep", false},
      {"", "rep", false},
      {"_01ARYZ6S41TSV4RRFFQ69G5FAV", "", true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.id);
    EXPECT_EQ(IsValidId(c.id, c.prefix), c.valid);
  }
}

}  // namespace
}  // namespace markaz::core
