// The feeds through a real `markaz serve` (issue 7 items 1 and 2; docs/feeds.md): the pull
// API pages an inbox without gap or repeat; an org never sees another org's entries; a live
// stream (SSE) receives a new report, resumes by Last-Event-ID after a forced disconnect with
// exactly what it missed and then live entries, also across a restart; 100 streams at once all
// receive a new report; heartbeats; refusals come back as JSON before any stream starts; a
// shutdown ends streams at once.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "integration/fixture.h"
#include "testutil/http_client.h"
#include "testutil/server_process.h"
#include "testutil/sse_client.h"

namespace markaz::testutil {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr milliseconds kEventWait{5000};   // an event that must come
constexpr milliseconds kQuietWait{300};    // an event that must not come
constexpr int kHeartbeatMs = 150;

class FeedTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    data_ = new std::string(
        InitCentre(*dir_, TestCharter(Rfc3339FromNow(-std::chrono::hours(24)))));
    tokens_ = new std::map<std::string, std::string>();
    for (const char* org : {"host", "m2", "m3", "p1", "p2"}) {
      (*tokens_)[org] = CreateToken(*data_, org, "analyst");
    }
    server_ = new ServerProcess(ServerProcess::Command(
        {"serve", "--data", *data_, "--listen", "127.0.0.1:0"}, *data_,
        {{"MARKAZ_FEED_HEARTBEAT_MS", std::to_string(kHeartbeatMs)}}));
  }
  static void TearDownTestSuite() {
    delete server_;
    delete tokens_;
    delete data_;
    delete dir_;
  }
  void SetUp() override {
    ASSERT_TRUE(server_->started()) << server_->Stderr();
    client_ = std::make_unique<HttpClient>(server_->url());
  }

  static std::string Token(const std::string& org) { return tokens_->at(org); }

  // POST /v1/reports as `org`; returns the id (empty on failure, which fails the test).
  std::string Submit(const std::string& org, const std::string& title,
                     json release_to = json::array({"members"})) {
    json report = {{"title", title},
                   {"body", "Body of " + title + " for the feed tests."},
                   {"tlp", "green"},
                   {"release_to", release_to}};
    HttpResult r = client_->Post("/v1/reports", report.dump(), Token(org));
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? json::parse(r.body)["id"].get<std::string>() : "";
  }

  json Pull(const std::string& org, const std::string& query) {
    HttpResult r = client_->Get("/v1/feed" + query, Token(org));
    EXPECT_EQ(r.status, 200) << query << ": " << r.body;
    json j = json::parse(r.body, nullptr, false);
    return j.is_discarded() ? json::object({{"items", json::array()}, {"next", -1}}) : j;
  }

  // The org's newest inbox seq, by paging the pull API to its end.
  std::int64_t Head(const std::string& org) {
    std::int64_t after = 0;
    for (;;) {
      json page = Pull(org, "?limit=1000&after=" + std::to_string(after));
      if (page["items"].empty()) return after;
      after = page["next"];
    }
  }

  std::unique_ptr<SseClient> Stream(const std::string& org,
                                    std::map<std::string, std::string> headers = {},
                                    const std::string& query = "") {
    return std::make_unique<SseClient>(server_->url(), "/v1/feed/stream" + query, Token(org),
                                       headers);
  }

  static TempDir* dir_;
  static std::string* data_;
  static std::map<std::string, std::string>* tokens_;
  static ServerProcess* server_;
  std::unique_ptr<HttpClient> client_;
};

TempDir* FeedTest::dir_ = nullptr;
std::string* FeedTest::data_ = nullptr;
std::map<std::string, std::string>* FeedTest::tokens_ = nullptr;
ServerProcess* FeedTest::server_ = nullptr;

void ExpectReportEvent(const std::optional<SseEvent>& e, std::int64_t seq, const std::string& id,
                       const std::string& title) {
  ASSERT_TRUE(e.has_value()) << "no event for " << id;
  EXPECT_EQ(e->id, std::to_string(seq));
  EXPECT_EQ(e->event, "report");
  json data = json::parse(e->data);
  EXPECT_EQ(data["seq"], seq);
  EXPECT_EQ(data["kind"], "report");
  EXPECT_EQ(data["id"], id);
  EXPECT_EQ(data["title"], title);
  EXPECT_EQ(data["tlp"], "green");
  EXPECT_TRUE(data["at"].is_string());
}

TEST_F(FeedTest, PullPagesTheInboxInOrderWithoutGapOrRepeat) {
  const std::int64_t start = Head("m2");
  std::vector<std::string> ids;
  for (int i = 0; i < 23; ++i) ids.push_back(Submit("host", "pull " + std::to_string(i)));
  std::vector<std::string> got;
  std::int64_t after = start;
  std::int64_t expected_seq = start + 1;
  for (int page = 0; page < 10; ++page) {
    json j = Pull("m2", "?limit=10&after=" + std::to_string(after));
    for (const json& item : j["items"]) {
      EXPECT_EQ(item["seq"], expected_seq++);
      EXPECT_EQ(item["kind"], "report");
      got.push_back(item["id"]);
    }
    if (j["items"].empty()) {
      EXPECT_EQ(j["next"], after);  // an empty page stays where it was
      break;
    }
    EXPECT_LE(j["items"].size(), 10u);
    after = j["next"];
  }
  EXPECT_EQ(got, ids);
  // The default limit and a page from the start.
  json first = Pull("m2", "");
  EXPECT_EQ(first["items"][0]["seq"], 1);
}

TEST_F(FeedTest, PullRefusesBadParametersWithJsonErrors) {
  struct Case {
    std::string query;
    std::string code;
  } cases[] = {
      {"?limit=0", "bad_limit"},       {"?limit=1001", "bad_limit"},
      {"?limit=x", "bad_limit"},       {"?after=-1", "bad_after"},
      {"?after=1.5", "bad_after"},     {"?after=", "bad_after"},
      {"?cursor=3", "unknown_parameter"},
  };
  for (const Case& c : cases) {
    HttpResult r = client_->Get("/v1/feed" + c.query, Token("m2"));
    EXPECT_EQ(r.status, 400) << c.query;
    EXPECT_EQ(json::parse(r.body)["error"]["code"], c.code) << c.query;
  }
  HttpResult r = client_->Get("/v1/feed", "");
  EXPECT_EQ(r.status, 401);
  r = client_->Get("/v1/feed", "mkz_not_a_token");
  EXPECT_EQ(r.status, 401);
  EXPECT_TRUE(json::parse(r.body)["error"].contains("code"));
}

TEST_F(FeedTest, AnOrgNeverSeesAnotherOrgsEntries) {
  auto m3_stream = Stream("m3");
  auto m2_stream = Stream("m2");
  ASSERT_EQ(m3_stream->status(), 200);
  ASSERT_EQ(m2_stream->status(), 200);
  // Bilateral: host and m2 only.
  const std::string secret = Submit("host", "for m2 only", json::array({"m2"}));
  const std::string shared = Submit("host", "for every member");
  // m2 gets both; m3 gets only the shared one, on the stream and in its pull feed.
  std::optional<SseEvent> a = m2_stream->Next(kEventWait);
  std::optional<SseEvent> b = m2_stream->Next(kEventWait);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(json::parse(a->data)["id"], secret);
  EXPECT_EQ(json::parse(b->data)["id"], shared);
  std::optional<SseEvent> c = m3_stream->Next(kEventWait);
  ASSERT_TRUE(c);
  EXPECT_EQ(json::parse(c->data)["id"], shared);
  EXPECT_FALSE(m3_stream->Next(kQuietWait).has_value());
  for (const char* org : {"m3", "p1", "p2"}) {
    std::int64_t after = 0;
    for (;;) {
      json page = Pull(org, "?limit=1000&after=" + std::to_string(after));
      for (const json& item : page["items"]) EXPECT_NE(item["id"], secret) << org;
      if (page["items"].empty()) break;
      after = page["next"];
    }
  }
}

TEST_F(FeedTest, AFreshStreamGetsLiveEntriesOnlyAndSeesANewReport) {
  Submit("host", "before the stream");
  auto stream = Stream("m2");
  ASSERT_EQ(stream->status(), 200);
  EXPECT_EQ(stream->headers().at("content-type").rfind("text/event-stream", 0), 0u);
  EXPECT_EQ(stream->headers().at("cache-control"), "no-cache");
  const std::int64_t head = Head("m2");
  const std::string id = Submit("host", "live report");
  ExpectReportEvent(stream->Next(kEventWait), head + 1, id, "live report");
  EXPECT_FALSE(stream->Next(kQuietWait).has_value());
}

TEST_F(FeedTest, ResumeByLastEventIdDeliversExactlyTheMissedEntriesThenLiveOnes) {
  const std::int64_t start = Head("m3");
  auto stream = Stream("m3");
  const std::string first = Submit("host", "resume 0");
  ExpectReportEvent(stream->Next(kEventWait), start + 1, first, "resume 0");
  stream->Close();  // forced disconnect
  std::vector<std::string> missed;
  for (int i = 1; i <= 3; ++i) missed.push_back(Submit("host", "resume " + std::to_string(i)));
  // A reconnecting EventSource repeats its URL (here ?after=0) and adds Last-Event-ID, which
  // wins.
  auto resumed = Stream("m3", {{"Last-Event-ID", std::to_string(start + 1)}}, "?after=0");
  ASSERT_EQ(resumed->status(), 200);
  for (int i = 0; i < 3; ++i) {
    ExpectReportEvent(resumed->Next(kEventWait), start + 2 + i, missed[i],
                      "resume " + std::to_string(i + 1));
  }
  EXPECT_FALSE(resumed->Next(kQuietWait).has_value());
  const std::string live = Submit("host", "resume live");
  ExpectReportEvent(resumed->Next(kEventWait), start + 5, live, "resume live");
  // ?after= alone starts there too.
  auto from_after = Stream("m3", {}, "?after=" + std::to_string(start + 3));
  std::optional<SseEvent> e = from_after->Next(kEventWait);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->id, std::to_string(start + 4));
}

TEST_F(FeedTest, AHundredConcurrentStreamsAllReceiveANewReport) {
  std::vector<std::unique_ptr<SseClient>> streams;
  const char* orgs[] = {"host", "m2", "m3"};
  for (int i = 0; i < 100; ++i) {
    streams.push_back(Stream(orgs[i % 3]));
    ASSERT_EQ(streams.back()->status(), 200) << "stream " << i;
  }
  const std::string id = Submit("m2", "for a hundred streams");
  int received = 0;
  for (auto& stream : streams) {
    std::optional<SseEvent> e = stream->Next(kEventWait);
    if (e && json::parse(e->data)["id"] == id) ++received;
  }
  EXPECT_EQ(received, 100);
}

TEST_F(FeedTest, AnIdleStreamGetsHeartbeats) {
  auto stream = Stream("p2");  // nothing is released to p2 here
  ASSERT_EQ(stream->status(), 200);
  const auto deadline = Clock::now() + milliseconds(20 * kHeartbeatMs);
  while (stream->comments() < 3 && Clock::now() < deadline) {
    stream->Next(milliseconds(kHeartbeatMs));
  }
  EXPECT_GE(stream->comments(), 3u);
  EXPECT_FALSE(stream->ended());
}

TEST_F(FeedTest, RefusedStreamsAnswerJsonErrorsBeforeAnyStreamStarts) {
  struct Case {
    std::string token;
    std::map<std::string, std::string> headers;
    std::string query;
    int status;
    std::string code;
  } cases[] = {
      {"", {}, "", 401, "missing_token"},
      {"mkz_bad", {}, "", 401, "invalid_token"},
      {Token("m2"), {{"Last-Event-ID", "abc"}}, "", 400, "bad_last_event_id"},
      {Token("m2"), {{"Last-Event-ID", "-4"}}, "", 400, "bad_last_event_id"},
      {Token("m2"), {}, "?after=x", 400, "bad_after"},
      {Token("m2"), {}, "?limit=3", 400, "unknown_parameter"},
  };
  for (const Case& c : cases) {
    SseClient stream(server_->url(), "/v1/feed/stream" + c.query, c.token, c.headers);
    EXPECT_EQ(stream.status(), c.status) << c.code;
    EXPECT_EQ(stream.headers().at("content-type"), "application/json") << c.code;
    json body = json::parse(stream.body(), nullptr, false);
    ASSERT_FALSE(body.is_discarded()) << stream.body();
    EXPECT_EQ(body["error"]["code"], c.code);
  }
}

// A shutdown ends live streams at once (not after the grace period), and after a restart, with
// an empty hub, a stream resumes from the store.
TEST(FeedRestartTest, ShutdownEndsStreamsAtOnceAndAResumeAfterARestartReadsTheStore) {
  TempDir dir;
  const std::string data = InitCentre(dir, TestCharter(Rfc3339FromNow(-std::chrono::hours(24))));
  const std::string host = CreateToken(data, "host", "analyst");
  const std::string m2 = CreateToken(data, "m2", "analyst");
  auto submit = [&](HttpClient& client, const std::string& title) {
    json report = {{"title", title}, {"body", "Body of " + title}, {"release_to", {"members"}}};
    HttpResult r = client.Post("/v1/reports", report.dump(), host);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? json::parse(r.body)["id"].get<std::string>() : "";
  };
  std::vector<std::string> ids;
  {
    ServerProcess server(data);
    ASSERT_TRUE(server.started()) << server.Stderr();
    HttpClient client(server.url());
    SseClient stream(server.url(), "/v1/feed/stream", m2);
    ASSERT_EQ(stream.status(), 200);
    ids.push_back(submit(client, "before restart"));
    std::optional<SseEvent> e = stream.Next(kEventWait);
    ASSERT_TRUE(e);
    EXPECT_EQ(e->id, "1");
    const auto t0 = Clock::now();
    EXPECT_EQ(server.Terminate(), 0);
    EXPECT_LT(Clock::now() - t0, std::chrono::seconds(5));  // the grace period is 10 s
    EXPECT_FALSE(stream.Next(kEventWait).has_value());
    EXPECT_TRUE(stream.finished());  // the answer was ended properly, not cut
  }
  // While no server runs, nothing; then a new one, whose hub is empty.
  ServerProcess server(data);
  ASSERT_TRUE(server.started()) << server.Stderr();
  HttpClient client(server.url());
  ids.push_back(submit(client, "after restart 1"));
  ids.push_back(submit(client, "after restart 2"));
  SseClient stream(server.url(), "/v1/feed/stream", m2, {{"Last-Event-ID", "0"}});
  for (int i = 0; i < 3; ++i) {
    std::optional<SseEvent> e = stream.Next(kEventWait);
    ASSERT_TRUE(e) << i;
    EXPECT_EQ(e->id, std::to_string(i + 1));
    EXPECT_EQ(json::parse(e->data)["id"], ids[static_cast<std::size_t>(i)]);
  }
  ids.push_back(submit(client, "live after restart"));
  std::optional<SseEvent> e = stream.Next(kEventWait);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->id, "4");
  EXPECT_EQ(json::parse(e->data)["title"], "live after restart");
}

}  // namespace
}  // namespace markaz::testutil
