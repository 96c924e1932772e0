#include "http/query.h"

#include <gtest/gtest.h>

namespace markaz::http {
namespace {

TEST(QueryParamTest, Table) {
  struct Case {
    const char* target;
    const char* name;
    std::optional<std::string> want;
  };
  const Case cases[] = {
      {"/v1/reports/x", "lang", std::nullopt},
      {"/v1/reports/x?lang=en", "lang", "en"},
      {"/v1/reports/x?a=1&lang=fr&lang=ru", "lang", "fr"},  // the first value
      {"/v1/search?q=%D8%A8%D8%BA%D8%AF%D8%A7%D8%AF", "q", "بغداد"},
      {"/v1/search?q=red+cross", "q", "red cross"},
      {"/v1/search?q=100%25", "q", "100%"},
      {"/v1/search?q=%G1%", "q", "%G1%"},  // malformed escapes stay as written
      {"/v1/search?q", "q", ""},
      {"/v1/search?q=", "q", ""},
      {"/v1/search?query=1", "q", std::nullopt},
      {"/v1/search?%71=decoded-key", "q", "decoded-key"},
      {"/v1/search?q=a#frag", "q", "a"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(QueryParam(c.target, c.name), c.want) << c.target;
  }
}

TEST(UnknownQueryParamTest, Table) {
  struct Case {
    const char* target;
    std::optional<std::string> want;
  };
  const Case cases[] = {
      {"/v1/search", std::nullopt},
      {"/v1/search?", std::nullopt},
      {"/v1/search?q=x&limit=3", std::nullopt},
      {"/v1/search?q=x&&limit=3", std::nullopt},  // an empty pair is no parameter
      {"/v1/search?%71=x", std::nullopt},         // names are decoded: %71 is q
      {"/v1/search?q=x&entitiy=country:IQ", "entitiy"},
      {"/v1/search?Q=x", "Q"},                    // names are case-sensitive
      {"/v1/search?q=x#limit=1&bad=2", std::nullopt},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(UnknownQueryParam(c.target, {"q", "limit"}), c.want) << c.target;
  }
}

TEST(PreferredLanguageTest, Table) {
  EXPECT_EQ(PreferredLanguage(""), "");
  EXPECT_EQ(PreferredLanguage("*"), "");
  EXPECT_EQ(PreferredLanguage("ar"), "ar");
  EXPECT_EQ(PreferredLanguage("ar-IQ, en;q=0.8"), "ar");
  EXPECT_EQ(PreferredLanguage("FR-fr"), "fr");
  EXPECT_EQ(PreferredLanguage(" ru;q=0.9"), "ru");
}

}  // namespace
}  // namespace markaz::http
