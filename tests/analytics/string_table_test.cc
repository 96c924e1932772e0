// StringTable: dense ordinals in first-seen order, look-ups across many rehashes.
#include "analytics/string_table.h"

#include <gtest/gtest.h>

#include <string>

namespace markaz::analytics {
namespace {

TEST(StringTable, InternsInFirstSeenOrderAndFindsAcrossGrowth) {
  StringTable t;
  EXPECT_FALSE(t.Find("x").has_value());  // empty table
  constexpr std::uint32_t kCount = 50'000;  // many doublings of the slot array
  for (std::uint32_t i = 0; i < kCount; ++i) {
    EXPECT_EQ(t.Intern("id-" + std::to_string(i)), i);
  }
  EXPECT_EQ(t.Intern("id-123"), 123u);  // already there: same ordinal, nothing added
  EXPECT_EQ(t.size(), kCount);
  for (std::uint32_t i = 0; i < kCount; i += 997) {
    const std::string s = "id-" + std::to_string(i);
    ASSERT_EQ(t.Find(s), std::optional<std::uint32_t>(i));
    EXPECT_EQ(t.Get(i), s);
  }
  EXPECT_FALSE(t.Find("id-50000").has_value());
  EXPECT_FALSE(t.Find("").has_value());
  EXPECT_EQ(t.Intern(""), kCount);  // the empty string is a string like any other
  EXPECT_EQ(t.Get(kCount), "");
  EXPECT_GT(t.memory_bytes(), kCount * 8u);
}

}  // namespace
}  // namespace markaz::analytics
