// [limits] end to end: a token over its rate gets 429 with Retry-After while other tokens and
// orgs are served; an org over its concurrency cap gets 429 while another org is served; body
// limits per route, with the streamed bulk route excepted.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "integration/fixture.h"
#include "testutil/http_client.h"
#include "testutil/server_process.h"
#include "testutil/temp_dir.h"

namespace markaz::testutil {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

std::string ErrorCode(const HttpResult& r) {
  json j = json::parse(r.body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.contains("error")) return "(not an error body: " + r.body + ")";
  return j["error"]["code"].get<std::string>();
}

class LimitsTest : public ::testing::Test {
 protected:
  void Start(const std::string& limits) {
    data_ = InitCentre(dir_, TestCharter(Rfc3339FromNow(-std::chrono::hours(24 * 10))));
    host_a_ = CreateToken(data_, "host", "analyst");
    host_b_ = CreateToken(data_, "host", "analyst");
    m2_ = CreateToken(data_, "m2", "analyst");
    const std::string config = dir_.Sub("markaz.toml");
    WriteFile(config, limits);
    server_ = std::make_unique<ServerProcess>(data_, std::vector<std::string>{"--config", config});
    ASSERT_TRUE(server_->started()) << server_->Stderr();
  }

  static std::string Report(std::size_t body_bytes) {
    return json{{"title", "limits"}, {"body", std::string(body_bytes, 'x')}, {"tlp", "green"}}
        .dump();
  }

  TempDir dir_;
  std::string data_, host_a_, host_b_, m2_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(LimitsTest, ABurstOverTheRateGets429WhileOthersAreServed) {
  Start("[limits]\nrequests_per_second = 0.5\nburst = 5\n");
  HttpClient client(server_->url());
  int ok = 0, limited = 0;
  HttpResult last_limited;
  for (int i = 0; i < 15; ++i) {
    HttpResult r = client.Get("/v1/me", host_a_);
    if (r.status == 200) ++ok;
    if (r.status == 429) {
      ++limited;
      last_limited = r;
    }
  }
  // The burst, plus at most what 0.5/s refills while the loop runs.
  EXPECT_GE(ok, 5);
  EXPECT_LE(ok, 7);
  EXPECT_EQ(ok + limited, 15);
  ASSERT_GT(limited, 0);
  EXPECT_EQ(ErrorCode(last_limited), "rate_limited");
  ASSERT_EQ(last_limited.headers.count("retry-after"), 1u);
  const int retry_after = std::stoi(last_limited.headers.at("retry-after"));
  EXPECT_GE(retry_after, 1);
  EXPECT_LE(retry_after, 2);  // one token at 0.5/s takes at most 2 s

  // Another token of the same org, and another org, are untouched by that burst.
  EXPECT_EQ(client.Get("/v1/me", host_b_).status, 200);
  EXPECT_EQ(client.Get("/v1/me", m2_).status, 200);
  // Open routes are never limited.
  for (int i = 0; i < 10; ++i) EXPECT_EQ(client.Get("/v1/health").status, 200);
  // After Retry-After, the limited token is served again.
  std::this_thread::sleep_for(std::chrono::seconds(retry_after));
  EXPECT_EQ(client.Get("/v1/me", host_a_).status, 200);
}

TEST_F(LimitsTest, AnOrgOverItsConcurrencyCapGets429WhileAnotherOrgIsServed) {
  Start("[limits]\nconcurrent_per_org = 1\n");
  // A bulk upload whose body never ends holds host's one slot while it is open.
  const std::string head = "POST /v1/reports:bulk HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " +
                           host_a_ +
                           "\r\nContent-Type: application/x-ndjson\r\n"
                           "Transfer-Encoding: chunked\r\n\r\n";
  auto upload = std::async(std::launch::async,
                           [&] { return RawExchange(server_->url(), head, /*timeout_ms=*/4000); });
  HttpClient client(server_->url());
  HttpResult limited;
  const auto deadline = std::chrono::steady_clock::now() + 3s;
  while (std::chrono::steady_clock::now() < deadline) {
    limited = client.Get("/v1/me", host_b_);  // another token of the same org
    if (limited.status == 429) break;
    std::this_thread::sleep_for(20ms);  // until the upload's head has been admitted
  }
  ASSERT_EQ(limited.status, 429) << limited.body;
  EXPECT_EQ(ErrorCode(limited), "concurrency_limited");
  EXPECT_EQ(limited.headers.count("retry-after"), 1u);
  EXPECT_EQ(client.Get("/v1/me", m2_).status, 200);  // another org is served meanwhile
  upload.wait();  // the upload's connection closes: its slot is given back
  HttpResult after;
  for (int i = 0; i < 100 && after.status != 200; ++i) {
    after = client.Get("/v1/me", host_b_);
    if (after.status != 200) std::this_thread::sleep_for(20ms);
  }
  EXPECT_EQ(after.status, 200) << after.body;
}

TEST_F(LimitsTest, BodyLimitsPerRouteWithTheBulkStreamExcepted) {
  Start("[limits]\nmax_body = \"1 KiB\"\n[limits.body]\n\"POST /v1/reports\" = \"4 KiB\"\n");
  HttpClient client(server_->url());
  HttpResult small = client.Post("/v1/reports", Report(3000), host_a_);
  EXPECT_EQ(small.status, 201) << small.body;  // over max_body, under the route's own limit
  HttpResult big = client.Post("/v1/reports", Report(5000), host_a_);
  EXPECT_EQ(big.status, 413) << big.body;
  EXPECT_EQ(ErrorCode(big), "too_large");
  EXPECT_NE(big.body.find("4096"), std::string::npos) << big.body;
  // The streamed bulk route reads its body in pieces: no limit.
  std::string ndjson;
  for (int i = 0; i < 3; ++i) ndjson += Report(1500) + "\n";
  HttpResult bulk = client.Post("/v1/reports:bulk", ndjson, host_a_, "application/x-ndjson");
  EXPECT_EQ(bulk.status, 200) << bulk.body;
  EXPECT_EQ(bulk.body.find("error"), std::string::npos) << bulk.body;
}

}  // namespace
}  // namespace markaz::testutil
