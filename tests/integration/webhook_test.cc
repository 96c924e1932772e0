// Webhooks end to end (issue 7 item 3): the real `markaz serve` delivering to a real HTTP
// receiver in this binary (testutil/webhook_receiver.h), with back-off timings shortened
// through the MARKAZ_WEBHOOK_* variables.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "integration/fixture.h"
#include "testutil/http_client.h"
#include "testutil/run_command.h"
#include "testutil/server_process.h"
#include "testutil/temp_dir.h"
#include "testutil/webhook_receiver.h"

namespace markaz::testutil {
namespace {

using nlohmann::json;

constexpr char kSecret[] = "a-webhook-secret-of-some-length";

// HMAC-SHA256 in hex by the `openssl` command, as a receiver's operator would check it:
// independent of markaz's own code (crypto/).
std::string HmacHex(const std::string& key, const std::string& body) {
  CommandResult r =
      RunCommand({"/usr/bin/openssl", "dgst", "-sha256", "-hmac", key, "-r"}, body);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out.substr(0, 64);  // "<hex> *stdin"
}

class WebhookTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = InitCentre(dir_, TestCharter("2015-10-01T00:00:00Z"));
    admin_ = CreateToken(data_, "host", "admin");
    analyst_ = CreateToken(data_, "host", "analyst");
    m2_admin_ = CreateToken(data_, "m2", "admin");
    StartServer();
  }

  void StartServer() {
    server_.reset();
    server_ = std::make_unique<ServerProcess>(ServerProcess::Command(
        {"serve", "--data", data_, "--listen", "127.0.0.1:0"}, dir_.Sub("serve"),
        {{"MARKAZ_WEBHOOK_BACKOFF_MIN", "20ms"},
         {"MARKAZ_WEBHOOK_BACKOFF_MAX", "100ms"},
         {"MARKAZ_WEBHOOK_FAILING_AFTER", "300ms"},
         {"MARKAZ_WEBHOOK_TIMEOUT", "2s"}}));
    ASSERT_TRUE(server_->started()) << server_->Stderr();
    client_ = std::make_unique<HttpClient>(server_->url());
  }

  // Submits a report from host to the members; returns host's inbox seq of it.
  std::int64_t Submit(int n) {
    json report = {{"title", "Report " + std::to_string(n)},
                   {"body", "Body of report number " + std::to_string(n)},
                   {"tlp", "green"},
                   {"release_to", {"members"}}};
    HttpResult r = client_->Post("/v1/reports", report.dump(), analyst_);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? json::parse(r.body).at("seq").get<std::int64_t>() : 0;
  }

  json CreateWebhook(const std::string& url, const std::string& token = "") {
    HttpResult r = client_->Post("/v1/webhooks", json{{"url", url}, {"secret", kSecret}}.dump(),
                                 token.empty() ? admin_ : token);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? json::parse(r.body) : json::object();
  }

  json GetWebhook(const std::string& id) {
    HttpResult r = client_->Get("/v1/webhooks/" + id, admin_);
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body);
  }

  std::size_t ListSize(const std::string& token) {
    HttpResult r = client_->Get("/v1/webhooks", token);
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body).at("webhooks").size();
  }

  static void ExpectError(const HttpResult& r, long status, const std::string& code) {
    EXPECT_EQ(r.status, status) << r.body;
    auto body = json::parse(r.body, nullptr, false);
    ASSERT_TRUE(body.is_object()) << r.body;
    EXPECT_EQ(body["error"]["code"], code) << r.body;
  }

  // The seqs a receiver got, in arrival order.
  static std::vector<std::int64_t> Seqs(const WebhookReceiver& receiver) {
    std::vector<std::int64_t> seqs;
    for (const auto& r : receiver.Requests()) seqs.push_back(json::parse(r.body).at("seq"));
    return seqs;
  }

  // At-least-once in order: an entry never arrives before every earlier one has arrived (what
  // arrived is always a prefix, possibly with repeats), and [first, last] all arrived.
  static void ExpectInOrderWithoutGaps(const std::vector<std::int64_t>& seqs,
                                       std::int64_t first, std::int64_t last) {
    ASSERT_FALSE(seqs.empty());
    EXPECT_EQ(seqs.front(), first);
    std::int64_t highest = first - 1;
    for (std::size_t i = 0; i < seqs.size(); ++i) {
      EXPECT_LE(seqs[i], highest + 1) << "gap before position " << i;
      EXPECT_GE(seqs[i], first) << "delivered before the webhook existed";
      highest = std::max(highest, seqs[i]);
    }
    EXPECT_EQ(highest, last);
  }

  // (action, detail) of the audit entries about `object`, oldest first, read from the store.
  std::vector<std::pair<std::string, std::string>> AuditOf(const std::string& object) {
    std::vector<std::pair<std::string, std::string>> rows;
    sqlite3* db = nullptr;
    if (sqlite3_open_v2((data_ + "/markaz.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr) ==
        SQLITE_OK) {
      sqlite3_stmt* q = nullptr;
      sqlite3_prepare_v2(db, "SELECT action, detail FROM audit WHERE object = ? ORDER BY seq", -1,
                         &q, nullptr);
      sqlite3_bind_text(q, 1, object.c_str(), -1, SQLITE_TRANSIENT);
      while (sqlite3_step(q) == SQLITE_ROW) {
        rows.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(q, 0)),
                          reinterpret_cast<const char*>(sqlite3_column_text(q, 1)));
      }
      sqlite3_finalize(q);
    }
    sqlite3_close(db);
    return rows;
  }

  TempDir dir_;
  std::string data_, admin_, analyst_, m2_admin_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<HttpClient> client_;
};

TEST_F(WebhookTest, AdminsCreateListGetDisableAndDeleteTheirOrgsWebhooks) {
  Submit(1);
  Submit(2);
  HttpResult created = client_->Post(
      "/v1/webhooks", json{{"url", "https://siem.host.example/hook?x=1"}, {"secret", kSecret}}.dump(),
      admin_);
  ASSERT_EQ(created.status, 201) << created.body;
  json hook = json::parse(created.body);
  const std::string id = hook.at("id");
  EXPECT_EQ(id.rfind("whk_", 0), 0u);
  EXPECT_EQ(created.headers["location"], "/v1/webhooks/" + id);
  EXPECT_EQ(hook.at("url"), "https://siem.host.example/hook?x=1");
  EXPECT_EQ(hook.at("enabled"), true);
  EXPECT_EQ(hook.at("status"), "active");
  EXPECT_EQ(hook.at("cursor"), 2);  // starts at the inbox head: what arrives from now on
  EXPECT_TRUE(hook.at("failing_since").is_null());
  EXPECT_EQ(hook.at("created_by").get<std::string>().rfind("host/tok_", 0), 0u);
  EXPECT_FALSE(hook.contains("secret"));
  EXPECT_EQ(created.body.find(kSecret), std::string::npos);

  HttpResult list = client_->Get("/v1/webhooks", admin_);
  ASSERT_EQ(list.status, 200);
  ASSERT_EQ(json::parse(list.body).at("webhooks").size(), 1u);
  EXPECT_EQ(json::parse(list.body)["webhooks"][0]["id"], id);
  EXPECT_EQ(GetWebhook(id).at("url"), hook.at("url"));

  HttpResult disabled =
      client_->Send("PATCH", "/v1/webhooks/" + id, R"({"enabled":false})",
                    {{"Authorization", "Bearer " + admin_}, {"Content-Type", "application/json"}});
  ASSERT_EQ(disabled.status, 200) << disabled.body;
  EXPECT_EQ(json::parse(disabled.body).at("status"), "disabled");
  EXPECT_EQ(json::parse(disabled.body).at("enabled"), false);

  HttpResult deliveries = client_->Get("/v1/webhooks/" + id + "/deliveries?limit=10", admin_);
  ASSERT_EQ(deliveries.status, 200) << deliveries.body;
  EXPECT_TRUE(json::parse(deliveries.body).at("deliveries").empty());

  HttpResult deleted =
      client_->Send("DELETE", "/v1/webhooks/" + id, "", {{"Authorization", "Bearer " + admin_}});
  EXPECT_EQ(deleted.status, 204) << deleted.body;
  ExpectError(client_->Get("/v1/webhooks/" + id, admin_), 404, "not_found");
  EXPECT_EQ(ListSize(admin_), 0u);

  // Every change is in the audit chain (read from the store), never with the secret or the
  // URL's path and query.
  const std::vector<std::pair<std::string, std::string>> audit = AuditOf(id);
  ASSERT_EQ(audit.size(), 3u);
  EXPECT_EQ(audit[0].first, "webhook.create");
  EXPECT_EQ(json::parse(audit[0].second),
            (json{{"org", "host"}, {"receiver", "https://siem.host.example"}, {"cursor", 2}}));
  EXPECT_EQ(audit[1].first, "webhook.disable");
  EXPECT_EQ(audit[2].first, "webhook.delete");
}

TEST_F(WebhookTest, OnlyTheOrgsAdminsSeeItsWebhooks) {
  const std::string id = CreateWebhook("http://127.0.0.1:9/hook").at("id");
  const std::map<std::string, std::string> as_analyst = {{"Authorization", "Bearer " + analyst_}};
  ExpectError(client_->Post("/v1/webhooks",
                            json{{"url", "http://x.example/"}, {"secret", kSecret}}.dump(),
                            analyst_),
              403, "admin_only");
  ExpectError(client_->Get("/v1/webhooks", analyst_), 403, "admin_only");
  ExpectError(client_->Get("/v1/webhooks/" + id, analyst_), 403, "admin_only");
  ExpectError(client_->Send("DELETE", "/v1/webhooks/" + id, "", as_analyst), 403, "admin_only");

  // Another org's admin: the webhook does not exist for it.
  const std::map<std::string, std::string> as_m2 = {{"Authorization", "Bearer " + m2_admin_}};
  ExpectError(client_->Get("/v1/webhooks/" + id, m2_admin_), 404, "not_found");
  ExpectError(client_->Get("/v1/webhooks/" + id + "/deliveries", m2_admin_), 404, "not_found");
  ExpectError(client_->Send("PATCH", "/v1/webhooks/" + id, R"({"enabled":false})", as_m2), 404,
              "not_found");
  ExpectError(client_->Send("DELETE", "/v1/webhooks/" + id, "", as_m2), 404, "not_found");
  ExpectError(client_->Get("/v1/webhooks/whk_01JD3K4Z5X6Y7W8V9T0S1R2Q3P", admin_), 404,
              "not_found");
  EXPECT_EQ(ListSize(m2_admin_), 0u);
  EXPECT_EQ(GetWebhook(id).at("enabled"), true);  // nothing changed
}

TEST_F(WebhookTest, BadInputIsRefusedAndChangesNothing) {
  struct {
    std::string body;
    std::string code;
  } cases[] = {
      {R"({"url":"ftp://x.example/","secret":"0123456789abcdef"})", "bad_url"},
      {R"({"url":"http://","secret":"0123456789abcdef"})", "bad_url"},
      {R"({"url":"http://a b.example/","secret":"0123456789abcdef"})", "bad_url"},
      {R"({"url":"http://x.example:99999/","secret":"0123456789abcdef"})", "bad_url"},
      {R"({"url":"http://user:pw@x.example/","secret":"0123456789abcdef"})", "bad_url"},
      {R"({"url":"http://x.example/)" + std::string(2048, 'a') + R"(","secret":"0123456789abcdef"})",
       "bad_url"},
      {R"({"url":"http://x.example/","secret":"short"})", "bad_secret"},
      {R"({"url":"http://x.example/","secret":")" + std::string(257, 's') + R"("})", "bad_secret"},
      {R"({"url":"http://x.example/"})", "missing_field"},
      {R"({"url":"http://x.example/","secret":"0123456789abcdef","events":[]})", "unknown_field"},
      {R"({"url":5,"secret":"0123456789abcdef"})", "wrong_type"},
      {R"(["http://x.example/"])", "bad_json"},
      {R"({"url":)", "bad_json"},
  };
  for (const auto& c : cases) {
    ExpectError(client_->Post("/v1/webhooks", c.body, admin_), 400, c.code);
  }
  EXPECT_EQ(ListSize(admin_), 0u);

  const std::string id = CreateWebhook("http://127.0.0.1:9/hook").at("id");
  const std::map<std::string, std::string> as_admin = {{"Authorization", "Bearer " + admin_}};
  ExpectError(client_->Send("PATCH", "/v1/webhooks/" + id, R"({"enabled":"no"})", as_admin), 400,
              "wrong_type");
  ExpectError(client_->Send("PATCH", "/v1/webhooks/" + id, R"({})", as_admin), 400,
              "missing_field");
  ExpectError(client_->Send("PATCH", "/v1/webhooks/" + id, R"({"url":"http://y/"})", as_admin),
              400, "unknown_field");
  ExpectError(client_->Get("/v1/webhooks/" + id + "/deliveries?limit=0", admin_), 400,
              "bad_limit");
  ExpectError(client_->Get("/v1/webhooks/" + id + "/deliveries?limt=5", admin_), 400,
              "unknown_parameter");
  EXPECT_EQ(GetWebhook(id).at("enabled"), true);
  EXPECT_EQ(GetWebhook(id).at("url"), "http://127.0.0.1:9/hook");
}

TEST_F(WebhookTest, DeliveriesAreSignedAndCarryTheirSeqAndIdempotencyKey) {
  WebhookReceiver receiver;
  const std::string id = CreateWebhook(receiver.Url()).at("id");
  for (int i = 1; i <= 5; ++i) Submit(i);
  ASSERT_TRUE(receiver.WaitFor([&] { return receiver.Count() >= 5; }));
  std::vector<ReceivedRequest> got = receiver.Requests();
  ASSERT_EQ(got.size(), 5u);
  for (std::size_t i = 0; i < got.size(); ++i) {
    const ReceivedRequest& r = got[i];
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.target, "/hook");
    EXPECT_EQ(r.headers.at("content-type"), "application/json");
    EXPECT_EQ(r.headers.at("x-markaz-signature"), "sha256=" + HmacHex(kSecret, r.body));
    EXPECT_NE(r.headers.at("x-markaz-signature"), "sha256=" + HmacHex("another secret", r.body));
    json item = json::parse(r.body);
    EXPECT_EQ(item.at("seq"), static_cast<std::int64_t>(i + 1));
    EXPECT_EQ(r.headers.at("x-markaz-seq"), std::to_string(i + 1));
    EXPECT_EQ(r.headers.at("x-markaz-webhook"), id);
    EXPECT_EQ(r.headers.at("idempotency-key"), id + ":" + std::to_string(i + 1));
    EXPECT_EQ(item.at("kind"), "report");
    EXPECT_EQ(item.at("title"), "Report " + std::to_string(i + 1));
    EXPECT_EQ(item.at("tlp"), "green");
  }
  // The delivery log, newest first (saved within the save interval).
  json log;
  ASSERT_TRUE(receiver.WaitFor([&] {
    HttpResult d = client_->Get("/v1/webhooks/" + id + "/deliveries", admin_);
    log = json::parse(d.body).at("deliveries");
    return log.size() == 5;
  }));
  EXPECT_EQ(log[0]["seq"], 5);
  EXPECT_EQ(log[0]["status"], 200);
  EXPECT_EQ(log[0]["attempt"], 1);
  EXPECT_EQ(log[0]["error"], "");
}

TEST_F(WebhookTest, AReceiverDownThenUpGetsEveryEntryInOrderMarkedFailingMeanwhile) {
  WebhookReceiver receiver;
  const std::string id = CreateWebhook(receiver.Url()).at("id");
  receiver.Down();
  std::int64_t last = 0;
  for (int i = 1; i <= 8; ++i) last = Submit(i);
  ASSERT_EQ(last, 8);

  // Failing for longer than failing_after (300 ms): the admins see it, with the cause.
  json hook;
  ASSERT_TRUE(receiver.WaitFor([&] {
    hook = GetWebhook(id);
    return hook.at("status") == "failing";
  }));
  EXPECT_NE(hook.at("last_error").get<std::string>().find("connect"), std::string::npos)
      << hook.dump();
  EXPECT_FALSE(hook.at("failing_since").is_null());
  EXPECT_EQ(hook.at("cursor"), 0);
  HttpResult listed = client_->Get("/v1/webhooks", admin_);
  EXPECT_EQ(json::parse(listed.body)["webhooks"][0]["status"], "failing");
  json log = json::parse(client_->Get("/v1/webhooks/" + id + "/deliveries", admin_).body);
  ASSERT_FALSE(log.at("deliveries").empty());
  EXPECT_EQ(log["deliveries"][0]["seq"], 1);
  EXPECT_TRUE(log["deliveries"][0]["status"].is_null());
  EXPECT_GT(log["deliveries"][0]["attempt"].get<int>(), 1);

  // A receiver that answers 500 is no better: still failing, now with its status.
  receiver.SetStatus(500);
  receiver.Up();
  ASSERT_TRUE(receiver.WaitFor([&] { return receiver.Count() >= 2; }));
  ASSERT_TRUE(receiver.WaitFor([&] { return GetWebhook(id).at("last_error") == "HTTP 500"; }));
  EXPECT_EQ(GetWebhook(id).at("status"), "failing");

  receiver.SetStatus(200);
  ASSERT_TRUE(receiver.WaitFor([&] { return GetWebhook(id).at("cursor") == last; }));
  hook = GetWebhook(id);
  EXPECT_EQ(hook.at("status"), "active");
  EXPECT_EQ(hook.at("last_error"), "");
  EXPECT_TRUE(hook.at("failing_since").is_null());

  // Every entry, in order, no gap; every post of one entry with the same idempotency key.
  ExpectInOrderWithoutGaps(Seqs(receiver), 1, last);
  std::map<std::int64_t, std::set<std::string>> keys;
  for (const auto& r : receiver.Requests()) {
    keys[json::parse(r.body).at("seq")].insert(r.headers.at("idempotency-key"));
  }
  for (const auto& [seq, set] : keys) {
    EXPECT_EQ(set.size(), 1u) << seq;
    EXPECT_EQ(*set.begin(), id + ":" + std::to_string(seq));
  }
}

TEST_F(WebhookTest, DeliveryResumesFromItsCursorAfterARestart) {
  WebhookReceiver receiver;
  const std::string id = CreateWebhook(receiver.Url()).at("id");
  for (int i = 1; i <= 4; ++i) Submit(i);
  ASSERT_TRUE(receiver.WaitFor([&] { return receiver.Count() >= 4; }));

  // A clean stop saves the cursor; what arrives while the receiver is down waits for it.
  receiver.Down();
  for (int i = 5; i <= 7; ++i) Submit(i);
  EXPECT_EQ(server_->Terminate(), 0) << server_->Stderr();
  receiver.Up();
  StartServer();
  ASSERT_TRUE(receiver.WaitFor([&] { return GetWebhook(id).at("cursor") == 7; }));
  ExpectInOrderWithoutGaps(Seqs(receiver), 1, 7);

  // A crash (SIGKILL) may lose the last save: entries are delivered again, never skipped.
  for (int i = 8; i <= 10; ++i) Submit(i);
  ASSERT_TRUE(receiver.WaitFor([&] { return Seqs(receiver).back() == 10; }));
  server_->Kill();
  StartServer();
  for (int i = 11; i <= 12; ++i) Submit(i);
  ASSERT_TRUE(receiver.WaitFor([&] { return GetWebhook(id).at("cursor") == 12; }));
  ExpectInOrderWithoutGaps(Seqs(receiver), 1, 12);
}

}  // namespace
}  // namespace markaz::testutil
