// The Stories cursor: round trips, and rejects what it did not write.
#include "analytics/story_cursor.h"

#include <gtest/gtest.h>

#include <climits>
#include <string>

namespace markaz::analytics {
namespace {

TEST(StoryCursor, RoundTrips) {
  const StoryCursor cases[] = {
      {0, "s"},
      {1'772'409'600'000, "sto_01JD3K4Z5X6Y7W8V9T0S1R2Q3P"},
      {-86'400'000, "sto_before_1970"},
      {LLONG_MIN, "sto_\xd8\xa8"},
      {LLONG_MAX, std::string(300, 'z')},
  };
  for (const StoryCursor& c : cases) {
    const std::string text = EncodeStoryCursor(c);
    EXPECT_EQ(text.find_first_not_of(
                  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
              std::string::npos);
    const std::optional<StoryCursor> back = DecodeStoryCursor(text);
    ASSERT_TRUE(back.has_value()) << text;
    EXPECT_EQ(back->last_seen_ms, c.last_seen_ms);
    EXPECT_EQ(back->story_id, c.story_id);
  }
}

TEST(StoryCursor, RejectsWhatItDidNotWrite) {
  const std::string good = EncodeStoryCursor({1'772'409'600'000, "sto_abc"});
  EXPECT_FALSE(DecodeStoryCursor("").has_value());
  EXPECT_FALSE(DecodeStoryCursor("not base64!").has_value());
  EXPECT_FALSE(DecodeStoryCursor(good + "=").has_value());     // no padding
  EXPECT_FALSE(DecodeStoryCursor(good.substr(1)).has_value());
  EXPECT_FALSE(DecodeStoryCursor(good.substr(0, good.size() - 2)).has_value());
  // Every single-character change is caught (the checksum, the version byte or the base64
  // tail bits).
  for (std::size_t i = 0; i < good.size(); ++i) {
    std::string bad = good;
    bad[i] = bad[i] == 'Q' ? 'R' : 'Q';
    EXPECT_FALSE(DecodeStoryCursor(bad).has_value()) << i;
  }
  // An empty story id is never written, so never read.
  EXPECT_FALSE(DecodeStoryCursor(EncodeStoryCursor({5, ""})).has_value());
}

}  // namespace
}  // namespace markaz::analytics
