// The route table in isolation: literal and "{name}" segments, wrong methods, query strings.
#include "http/routes.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace markaz::http {
namespace {

// A handler that answers with its own name, so a test can see which route matched.
Handler Named(std::string name) {
  return [name](const Request&, const centre::Identity*, const PathParams&) {
    Response r;
    r.body = name;
    return r;
  };
}

RouteTable DummyTable() {
  RouteTable t;
  t.Add("GET", "/v1/reports", true, Named("list"));
  t.Add("POST", "/v1/reports", true, Named("submit"));
  t.Add("GET", "/v1/reports/{id}", true, Named("get"));
  t.Add("POST", "/v1/reports/{id}/release", true, Named("release"));
  t.Add("POST", "/v1/release-requests/{id}/{decision}", true, Named("decide"));
  t.Add("GET", "/v1/health", false, Named("health"));
  return t;
}

std::string HandlerName(const RouteMatch& m) {
  return m.route->handler(Request{}, nullptr, m.params).body;
}

TEST(RouteTable, MatchesLiteralAndParameterSegments) {
  static const struct {
    const char* method;
    const char* path;
    const char* route;
    PathParams params;
  } kCases[] = {
      {"GET", "/v1/reports", "list", {}},
      {"POST", "/v1/reports", "submit", {}},
      {"GET", "/v1/reports/rep_01HZX", "get", {{"id", "rep_01HZX"}}},
      {"POST", "/v1/reports/rep_9/release", "release", {{"id", "rep_9"}}},
      {"POST",
       "/v1/release-requests/rr_1/approve",
       "decide",
       {{"id", "rr_1"}, {"decision", "approve"}}},
      {"GET", "/v1/health", "health", {}},
  };
  RouteTable table = DummyTable();
  for (const auto& c : kCases) {
    SCOPED_TRACE(std::string(c.method) + " " + c.path);
    RouteMatch m = table.Match(c.method, c.path);
    ASSERT_EQ(m.kind, RouteMatch::Kind::kFound);
    EXPECT_EQ(HandlerName(m), c.route);
    EXPECT_EQ(m.params, c.params);
  }
}

TEST(RouteTable, NoRouteForPathsThatDoNotMatchEverySegment) {
  RouteTable table = DummyTable();
  for (const char* path : {"", "/", "/v1", "/v1/", "/v1/reports/", "/v1/reports//release",
                           "/v1/reports/x/y", "/v1/reports/x/release/more", "/v2/reports",
                           "v1/reports", "/v1/Reports", "/v1/healthz", "/v1/health/"}) {
    SCOPED_TRACE(path);
    RouteMatch m = table.Match("GET", path);
    EXPECT_EQ(m.kind, RouteMatch::Kind::kNoRoute);
    EXPECT_EQ(m.route, nullptr);
  }
}

TEST(RouteTable, WrongMethodListsTheMethodsOfThePath) {
  RouteTable table = DummyTable();
  RouteMatch m = table.Match("DELETE", "/v1/reports");
  EXPECT_EQ(m.kind, RouteMatch::Kind::kWrongMethod);
  EXPECT_EQ(m.allowed, (std::vector<std::string>{"GET", "POST"}));

  m = table.Match("GET", "/v1/reports/rep_1/release");
  EXPECT_EQ(m.kind, RouteMatch::Kind::kWrongMethod);
  EXPECT_EQ(m.allowed, (std::vector<std::string>{"POST"}));
}

TEST(RouteTable, MethodsAreCaseSensitive) {
  // RFC 9110 §9.1: method names are case-sensitive; "get" is not GET.
  EXPECT_EQ(DummyTable().Match("get", "/v1/health").kind, RouteMatch::Kind::kWrongMethod);
}

TEST(RouteTable, KeepsNeedsAuthPerRoute) {
  RouteTable table = DummyTable();
  EXPECT_FALSE(table.Match("GET", "/v1/health").route->needs_auth);
  EXPECT_TRUE(table.Match("GET", "/v1/reports").route->needs_auth);
  EXPECT_EQ(table.routes().size(), 6u);
}

TEST(PathOf, DropsTheQueryString) {
  static const struct {
    const char* target;
    const char* path;
  } kCases[] = {
      {"/v1/search?q=x&lang=ar", "/v1/search"},
      {"/v1/search?", "/v1/search"},
      {"/v1/search", "/v1/search"},
      {"/?a=b?c", "/"},
      {"", ""},
  };
  for (const auto& c : kCases) EXPECT_EQ(PathOf(c.target), c.path) << c.target;
}

TEST(RouteTable, StreamingRoutesHaveAStreamHandlerInsteadOfAHandler) {
  RouteTable table = DummyTable();
  table.AddStreaming(
      "POST", "/v1/reports:bulk", true,
      [](const Request&, const centre::Identity*, const PathParams&) { return StreamStart{}; });
  RouteMatch m = table.Match("POST", "/v1/reports:bulk");
  ASSERT_EQ(m.kind, RouteMatch::Kind::kFound);
  EXPECT_FALSE(m.route->handler);
  EXPECT_TRUE(m.route->stream_handler);
  EXPECT_TRUE(m.route->needs_auth);
  EXPECT_FALSE(table.Match("POST", "/v1/reports").route->stream_handler);
}

// Feeds `body` to a LineSplitter in pieces of `piece` bytes; each line as "text" or "<long>".
std::vector<std::string> Split(std::string_view body, std::size_t piece, std::size_t max_line) {
  std::vector<std::string> lines;
  LineSplitter splitter(max_line);
  auto on_line = [&](std::string_view text, bool too_long) {
    lines.push_back(too_long ? "<long>" : std::string(text));
  };
  for (std::size_t at = 0; at < body.size(); at += piece) {
    splitter.Feed(body.substr(at, piece), on_line);
  }
  splitter.Finish(on_line);
  return lines;
}

TEST(LineSplitter, SplitsLinesWhereverThePiecesEnd) {
  using Lines = std::vector<std::string>;
  static const struct {
    const char* body;
    Lines lines;
  } kCases[] = {
      {"", {}},
      {"a", {"a"}},
      {"a\n", {"a"}},
      {"a\nb", {"a", "b"}},
      {"a\r\nb\r\n", {"a", "b"}},
      {"\n", {""}},
      {"a\n\nb\n", {"a", "", "b"}},
      {"a\n\r", {"a", ""}},
      {"abcdefgh\nxyz\n", {"abcdefgh", "xyz"}},
      // Over max_line (8): reported without its text, the next line is intact.
      {"abcdefghi\nxyz\n", {"<long>", "xyz"}},
      {"123456789012345678901234567890\nok", {"<long>", "ok"}},
      {"ok\n123456789012345678901234567890", {"ok", "<long>"}},
  };
  for (const auto& c : kCases) {
    for (std::size_t piece : {1u, 2u, 3u, 7u, 64u}) {
      EXPECT_EQ(Split(c.body, piece, 8), c.lines) << "body " << c.body << ", pieces of " << piece;
    }
  }
}

}  // namespace
}  // namespace markaz::http
