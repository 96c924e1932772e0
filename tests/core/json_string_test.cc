// Hand-written JSON string literals: every escape JSON requires, and a JSON parser agrees.
#include "core/json_string.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace markaz::core {
namespace {

using nlohmann::json;

TEST(AppendJsonString, EscapesWhatJsonRequires) {
  struct Case {
    std::string in;
    std::string out;
  } cases[] = {
      {"", "\"\""},
      {"plain", "\"plain\""},
      {"a\"b\\c", "\"a\\\"b\\\\c\""},
      {"l1\nl2\r\t", "\"l1\\nl2\\r\\t\""},
      {std::string("\x01\x1f\b\f", 4), "\"\\u0001\\u001f\\b\\f\""},
      {std::string("nul\0x", 5), "\"nul\\u0000x\""},
      {"بغداد «ok» \x7f", "\"بغداد «ok» \x7f\""},  // UTF-8 and DEL as they are
      {"/", "\"/\""},
  };
  for (const auto& c : cases) {
    std::string out;
    AppendJsonString(c.in, &out);
    EXPECT_EQ(out, c.out);
    json parsed = json::parse(out, nullptr, false);
    ASSERT_FALSE(parsed.is_discarded()) << out;
    EXPECT_EQ(parsed.get<std::string>(), c.in);
  }
}

}  // namespace
}  // namespace markaz::core
