// `markaz demo` shows a live feed (issue 7, Done when): while it serves, synthetic reports
// keep arriving through the API, and a live stream of any org that reads them sees each one.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <map>
#include <sstream>
#include <string>

#include "testutil/http_client.h"
#include "testutil/server_process.h"
#include "testutil/sse_client.h"
#include "testutil/temp_dir.h"

namespace markaz::testutil {
namespace {

using nlohmann::json;

TEST(DemoFeed, ReportsKeepArrivingOnTheLiveFeed) {
  TempDir dir;
  ServerProcess demo(ServerProcess::Command({"demo", "--data", dir.Sub("data"), "--reports", "5",
                                             "--live-every", "0.2", "--listen", "127.0.0.1:0"},
                                            dir.Sub("demo")));
  ASSERT_TRUE(demo.started()) << demo.Stderr();
  EXPECT_NE(demo.Stdout().find("curl -N"), std::string::npos) << demo.Stdout();
  std::map<std::string, std::string> tokens;
  std::istringstream lines(demo.Stdout());
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::string org, token;
    if (words >> org >> token && token.rfind("mkz_", 0) == 0) tokens[org] = token;
  }
  ASSERT_FALSE(tokens.empty()) << demo.Stdout();
  ASSERT_TRUE(tokens.count("host")) << demo.Stdout();
  const std::string token = tokens["host"];

  // Live only: from the inbox's head now, so every event below arrived after connecting.
  HttpClient client(demo.url());
  json page = json::parse(client.Get("/v1/feed?after=0&limit=1000", token).body);
  const std::int64_t head = page["next"].get<std::int64_t>();
  SseClient stream(demo.url(), "/v1/feed/stream?after=" + std::to_string(head), token);
  ASSERT_EQ(stream.status(), 200);
  int reports = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (reports < 3 && std::chrono::steady_clock::now() < deadline) {
    std::optional<SseEvent> e = stream.Next(std::chrono::seconds(5));
    if (!e) continue;
    EXPECT_GT(std::stoll(e->id), head);
    json item = json::parse(e->data);
    if (item["kind"] == "report") ++reports;
  }
  EXPECT_GE(reports, 3) << "the demo's reports reach the live feed";
}

}  // namespace
}  // namespace markaz::testutil
