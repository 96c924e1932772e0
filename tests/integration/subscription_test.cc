// Subscriptions through a real `markaz serve` (issue 7 item 7; docs/subscriptions.md): saved
// searches of one user, managed by that user only; each new item its org may read that matches
// raises one "alert" entry in the org's feed naming the item and the subscription; nothing for
// items that do not match, that the org cannot read (no oracle), that came before the
// subscription, or after its deletion; alerts survive a restart and are never raised twice.
//
// The server matches every 50 ms here (MARKAZ_SUBSCRIPTION_INTERVAL_MS). An absence is checked
// after a barrier: a later matching report whose alert has arrived; subscriptions are matched
// in seq order, so by then every earlier item has been looked at.
//
// The live stream gets the alert as it does any inbox entry (webhooks read the same inbox:
// tests/integration/webhook_test.cc).
//
// Charter (fixture.h): members host, m2, m3; partners p1 (may submit), p2.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "integration/api_answers.h"
#include "integration/fixture.h"
#include "testutil/http_client.h"
#include "testutil/server_process.h"
#include "testutil/sse_client.h"

namespace markaz::testutil {
namespace {

using nlohmann::json;

class SubscriptionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = InitCentre(dir_, TestCharter(Rfc3339FromNow(-std::chrono::hours(24))));
    for (const char* who : {"host/a", "host/b", "m2/a", "m3/a"}) {
      const std::string org = std::string(who).substr(0, std::string(who).find('/'));
      tokens_[who] = CreateToken(data_, org, "analyst");
    }
    Start();
  }

  void Start() {
    server_ = std::make_unique<ServerProcess>(
        ServerProcess::Command({"serve", "--data", data_, "--listen", "127.0.0.1:0"}, data_,
                               {{"MARKAZ_SUBSCRIPTION_INTERVAL_MS", "50"}}));
    ASSERT_TRUE(server_->started()) << server_->Stderr();
    client_ = std::make_unique<HttpClient>(server_->url());
  }
  void Restart() {
    server_.reset();
    Start();
  }

  static json Parse(const HttpResult& r) { return ParseBody(r); }
  static std::string ErrorCode(const HttpResult& r) { return ErrorCodeOf(r); }

  HttpResult Send(const std::string& who, const std::string& method, const std::string& path,
                  const std::string& body = "") {
    return client_->Send(
        method, path, body,
        {{"Authorization", "Bearer " + tokens_.at(who)}, {"Content-Type", "application/json"}});
  }

  // POST /v1/subscriptions as `who`; the new subscription's id.
  std::string Subscribe(const std::string& who, const std::string& query) {
    HttpResult r = Send(who, "POST", "/v1/subscriptions",
                        json{{"name", "watch " + query}, {"query", query}}.dump());
    EXPECT_EQ(r.status, 201) << r.body;
    return Parse(r).value("id", "");
  }

  // POST /v1/reports as `who`; the new report's id.
  std::string Submit(const std::string& who, const std::string& title, json release_to) {
    json report = {{"title", title},
                   {"body", title + ": a report written for the subscription tests."},
                   {"lang", "en"},
                   {"tlp", "amber"},
                   {"release_to", release_to}};
    HttpResult r = client_->Post("/v1/reports", report.dump(), tokens_.at(who));
    EXPECT_EQ(r.status, 201) << r.body;
    return Parse(r).value("id", "");
  }

  // The alert entries of `who`'s org's feed, read through GET /v1/feed.
  std::vector<json> Alerts(const std::string& who) {
    std::vector<json> alerts;
    std::int64_t after = 0;
    for (;;) {
      HttpResult r =
          client_->Get("/v1/feed?after=" + std::to_string(after) + "&limit=1000", tokens_.at(who));
      EXPECT_EQ(r.status, 200) << r.body;
      json j = Parse(r);
      if (!j.contains("items") || j["items"].empty()) return alerts;
      for (const json& item : j["items"]) {
        if (item.value("kind", "") == "alert") alerts.push_back(item);
      }
      after = j["next"].get<std::int64_t>();
    }
  }
  int AlertCount(const std::string& who, const std::string& item, const std::string& sub) {
    int n = 0;
    for (const json& a : Alerts(who)) {
      if (a.value("id", "") == item && a.value("subscription", "") == sub) ++n;
    }
    return n;
  }
  // Waits (up to 10 s) for the alert of `sub` on `item` in `who`'s org's feed.
  bool WaitForAlert(const std::string& who, const std::string& item, const std::string& sub) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      if (AlertCount(who, item, sub) > 0) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    return false;
  }

  int AuditCount(const std::string& action, const std::string& object) {
    return testutil::AuditCount(data_, action, object);
  }

  TempDir dir_;
  std::string data_;
  std::map<std::string, std::string> tokens_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<HttpClient> client_;
};

TEST_F(SubscriptionTest, TheOwnerCreatesListsAndDeletesOthersGet404) {
  HttpResult made = Send("host/a", "POST", "/v1/subscriptions",
                         R"({"name":"pipelines","query":"pipeline explosion"})");
  ASSERT_EQ(made.status, 201) << made.body;
  json sub = Parse(made);
  const std::string id = sub.value("id", "");
  EXPECT_EQ(id.rfind("sub_", 0), 0u) << id;
  EXPECT_EQ(sub["name"], "pipelines");
  EXPECT_EQ(sub["query"], "pipeline explosion");
  EXPECT_TRUE(sub["created_at"].is_string());
  EXPECT_FALSE(sub.contains("cursor"));
  EXPECT_EQ(AuditCount("subscription.create", id), 1);

  json list = Parse(Send("host/a", "GET", "/v1/subscriptions"));
  ASSERT_EQ(list["subscriptions"].size(), 1u) << list;
  EXPECT_EQ(list["subscriptions"][0], sub);

  // Another user of the same org, and a user of another org: none of it is theirs.
  for (const char* other : {"host/b", "m2/a"}) {
    EXPECT_EQ(Parse(Send(other, "GET", "/v1/subscriptions"))["subscriptions"], json::array());
    HttpResult del = Send(other, "DELETE", "/v1/subscriptions/" + id);
    EXPECT_EQ(del.status, 404) << other;
    EXPECT_EQ(ErrorCode(del), "not_found");
    // The same answer as for an id that never existed.
    EXPECT_EQ(Send(other, "DELETE", "/v1/subscriptions/sub_01NOTHERE").status, 404);
  }
  EXPECT_EQ(Parse(Send("host/a", "GET", "/v1/subscriptions"))["subscriptions"].size(), 1u);

  HttpResult del = Send("host/a", "DELETE", "/v1/subscriptions/" + id);
  EXPECT_EQ(del.status, 204) << del.body;
  EXPECT_TRUE(del.body.empty());
  EXPECT_EQ(AuditCount("subscription.delete", id), 1);
  EXPECT_EQ(Send("host/a", "DELETE", "/v1/subscriptions/" + id).status, 404);
  EXPECT_EQ(Parse(Send("host/a", "GET", "/v1/subscriptions"))["subscriptions"], json::array());
}

TEST_F(SubscriptionTest, BadInputIsRefusedAndChangesNothing) {
  struct Case {
    const char* body;
    int status;
    const char* code;
  } cases[] = {
      {R"({"name":"x","query":"\"unclosed phrase"})", 400, "bad_query"},
      {R"({"name":"x","query":"nosuchfield:value"})", 400, "bad_query"},
      {R"({"name":"x","query":""})", 400, "bad_query"},
      {R"({"name":"x","query":"!!! ..."})", 400, "bad_query"},
      {R"({"name":"","query":"pipeline"})", 400, "bad_name"},
      {R"({"query":"pipeline"})", 400, "missing_field"},
      {R"({"name":"x"})", 400, "missing_field"},
      {R"({"name":"x","query":7})", 400, "bad_body"},
      {R"({"name":"x","query":"pipeline","cursor":0})", 400, "unknown_field"},
      {R"(["pipeline"])", 400, "bad_body"},
      {R"({"name":)", 400, "bad_body"},
  };
  for (const Case& c : cases) {
    HttpResult r = Send("host/a", "POST", "/v1/subscriptions", c.body);
    EXPECT_EQ(r.status, c.status) << c.body << " → " << r.body;
    EXPECT_EQ(ErrorCode(r), c.code) << c.body;
  }
  const std::string long_name(201, 'n');
  HttpResult r = Send("host/a", "POST", "/v1/subscriptions",
                      json{{"name", long_name}, {"query", "pipeline"}}.dump());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(ErrorCode(r), "bad_name");
  EXPECT_EQ(Parse(Send("host/a", "GET", "/v1/subscriptions"))["subscriptions"], json::array());

  // No token, a bad token.
  EXPECT_EQ(client_->Post("/v1/subscriptions", R"({"name":"x","query":"pipeline"})").status, 401);
  EXPECT_EQ(client_->Get("/v1/subscriptions").status, 401);
  EXPECT_EQ(client_->Get("/v1/subscriptions", "tok_nothere.secret").status, 401);
  EXPECT_EQ(client_->Send("DELETE", "/v1/subscriptions/sub_x", "", {}).status, 401);
}

TEST_F(SubscriptionTest, AUserKeepsAtMostOneHundred) {
  for (int i = 0; i < 100; ++i) {
    ASSERT_FALSE(Subscribe("host/a", "word" + std::to_string(i)).empty()) << i;
  }
  HttpResult r =
      Send("host/a", "POST", "/v1/subscriptions", R"({"name":"one too many","query":"pipeline"})");
  EXPECT_EQ(r.status, 429) << r.body;
  EXPECT_EQ(ErrorCode(r), "too_many_subscriptions");
  EXPECT_EQ(Parse(Send("host/a", "GET", "/v1/subscriptions"))["subscriptions"].size(), 100u);
  // The bound is per user: another user of the org still may.
  EXPECT_FALSE(Subscribe("host/b", "pipeline").empty());
}

TEST_F(SubscriptionTest, ANewVisibleMatchingItemRaisesOneAlertAndNothingElseDoes) {
  const std::string before = Submit("m2/a", "Pipeline explosion before the watch", {"members"});
  const std::string sub = Subscribe("host/a", "pipeline explosion");
  ASSERT_FALSE(sub.empty());

  const std::string unreadable =
      Submit("m2/a", "Pipeline explosion kept between m2 and m3", {"m3"});
  const std::string other = Submit("m2/a", "Harvest festival in the valley", {"members"});
  const std::string match = Submit("m2/a", "Pipeline explosion near the river", {"members"});
  ASSERT_TRUE(WaitForAlert("host/a", match, sub)) << server_->Stderr();

  std::vector<json> alerts = Alerts("host/a");
  ASSERT_EQ(alerts.size(), 1u) << json(alerts);
  EXPECT_EQ(alerts[0]["kind"], "alert");
  EXPECT_EQ(alerts[0]["id"], match);
  EXPECT_EQ(alerts[0]["subscription"], sub);
  EXPECT_EQ(alerts[0]["title"], "Pipeline explosion near the river");
  EXPECT_EQ(alerts[0]["tlp"], "amber");
  // The alert is the org's: another user of it reads it too; other orgs get none.
  EXPECT_EQ(AlertCount("host/b", match, sub), 1);
  EXPECT_TRUE(Alerts("m2/a").empty());
  EXPECT_TRUE(Alerts("m3/a").empty());
  // Before the subscription, unreadable by host (no oracle), not matching: no alert.
  for (const std::string& id : {before, unreadable, other}) {
    EXPECT_EQ(AlertCount("host/a", id, sub), 0) << id;
  }
  // Alerts are deliveries, not decisions: not audited.
  EXPECT_EQ(AuditCount("alert", match), 0);
}

TEST_F(SubscriptionTest, TheLiveStreamReceivesTheAlert) {
  const std::string sub = Subscribe("host/a", "checkpoint");
  SseClient stream(server_->url(), "/v1/feed/stream", tokens_.at("host/b"));
  ASSERT_EQ(stream.status(), 200) << stream.body();
  const std::string match = Submit("m2/a", "Checkpoint closed at noon", {"members"});
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  std::optional<SseEvent> alert;
  while (!alert && std::chrono::steady_clock::now() < deadline) {
    std::optional<SseEvent> e = stream.Next(std::chrono::seconds(1));
    if (e && e->event == "alert") alert = e;
  }
  ASSERT_TRUE(alert.has_value()) << server_->Stderr();
  json data = json::parse(alert->data, nullptr, false);
  EXPECT_EQ(data.value("kind", ""), "alert");
  EXPECT_EQ(data.value("id", ""), match);
  EXPECT_EQ(data.value("subscription", ""), sub);
  EXPECT_EQ(alert->id, std::to_string(data.value("seq", 0)));
}

TEST_F(SubscriptionTest, TheOrgsOwnReportsAlertToo) {
  const std::string sub = Subscribe("host/a", "convoy");
  const std::string own = Submit("host/a", "Convoy seen at dawn", json::array());
  ASSERT_TRUE(WaitForAlert("host/a", own, sub)) << server_->Stderr();
  EXPECT_EQ(AlertCount("host/a", own, sub), 1);
}

TEST_F(SubscriptionTest, ADeletedSubscriptionRaisesNothingMore) {
  const std::string gone = Subscribe("host/a", "pipeline");
  const std::string kept = Subscribe("host/b", "pipeline");
  ASSERT_EQ(Send("host/a", "DELETE", "/v1/subscriptions/" + gone).status, 204);
  const std::string match = Submit("m2/a", "Pipeline fire at the depot", {"members"});
  ASSERT_TRUE(WaitForAlert("host/b", match, kept)) << server_->Stderr();
  EXPECT_EQ(AlertCount("host/a", match, gone), 0);
  EXPECT_EQ(Alerts("host/a").size(), 1u);
}

TEST_F(SubscriptionTest, AlertsSurviveARestartAndAreNotRaisedTwice) {
  const std::string sub = Subscribe("host/a", "pipeline");
  const std::string first = Submit("m2/a", "Pipeline sabotage in the east", {"members"});
  ASSERT_TRUE(WaitForAlert("host/a", first, sub)) << server_->Stderr();

  Restart();
  // The subscription and its alert are still there; a new match alerts once, the old one is
  // not raised again by the restarted server's rounds.
  EXPECT_EQ(Parse(Send("host/a", "GET", "/v1/subscriptions"))["subscriptions"].size(), 1u);
  EXPECT_EQ(AlertCount("host/a", first, sub), 1);
  const std::string second = Submit("m2/a", "Pipeline repaired in the east", {"members"});
  ASSERT_TRUE(WaitForAlert("host/a", second, sub)) << server_->Stderr();
  EXPECT_EQ(AlertCount("host/a", first, sub), 1);
  EXPECT_EQ(AlertCount("host/a", second, sub), 1);
  EXPECT_EQ(Alerts("host/a").size(), 2u);
}

}  // namespace
}  // namespace markaz::testutil
