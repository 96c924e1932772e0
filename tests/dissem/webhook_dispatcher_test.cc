// The webhook dispatcher over a real SQLite store and hub, with a fake receiver standing in for
// the network (dissem/webhook_sender.h): order, retries and their back-off, the failing mark,
// saved cursors, disable and delete, and the signature.
#include "dissem/webhook_dispatcher.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <vector>

#include "core/clock.h"
#include "core/ids.h"
#include "crypto/hash.h"
#include "dissem/feed.h"
#include "dissem/feed_hub.h"
#include "store/sqlite/sqlite_store.h"
#include "testutil/temp_dir.h"

namespace markaz::dissem {
namespace {

using std::chrono::milliseconds;
using Steady = std::chrono::steady_clock;

constexpr char kSecret[] = "0123456789abcdef-secret";

core::Charter SmallCharter() {
  core::Charter c;
  c.name = "Unit Centre";
  c.start = core::ParseRfc3339("2015-10-01T00:00:00Z").value();
  c.rotation_order = {"host", "m2"};
  c.term = core::TermLength::Months(3).value();
  c.members = {{"host", core::OrgKind::kMember, {{"en", "Host"}}, true},
               {"m2", core::OrgKind::kMember, {{"en", "Two"}}, true}};
  return c;
}

// One post as the receiver saw it.
struct Received {
  std::string url;
  std::map<std::string, std::string> headers;
  std::string body;
  std::int64_t seq = 0;
  Steady::time_point at;
};

// A receiver per URL: records every post, answers what `answer` says (200 by default).
class FakeSender : public WebhookSender {
 public:
  WebhookAnswer Post(const WebhookPost& post) override {
    Received r;
    r.url = post.url;
    for (const auto& [name, value] : post.headers) r.headers[name] = value;
    r.body = post.body;
    r.seq = nlohmann::json::parse(post.body).at("seq").get<std::int64_t>();
    r.at = Steady::now();
    std::function<WebhookAnswer(const Received&)> answer;
    {
      std::lock_guard<std::mutex> lock(mu_);
      answer = answer_;
    }
    WebhookAnswer a = answer ? answer(r) : WebhookAnswer{200, ""};
    {
      std::lock_guard<std::mutex> lock(mu_);
      received_.push_back(r);
    }
    cv_.notify_all();
    return a;
  }

  void SetAnswer(std::function<WebhookAnswer(const Received&)> answer) {
    std::lock_guard<std::mutex> lock(mu_);
    answer_ = std::move(answer);
  }

  std::vector<Received> For(const std::string& url) {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<Received> out;
    for (const auto& r : received_) {
      if (r.url == url) out.push_back(r);
    }
    return out;
  }

  // Waits until `pred` holds (checked after each post, and every 20 ms for conditions on the
  // store), or `timeout` passes; returns whether it held.
  bool WaitFor(const std::function<bool()>& pred, milliseconds timeout = milliseconds(10000)) {
    const auto deadline = Steady::now() + timeout;
    while (!pred()) {
      if (Steady::now() >= deadline) return false;
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait_for(lock, milliseconds(20));
    }
    return true;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::function<WebhookAnswer(const Received&)> answer_;
  std::vector<Received> received_;
};

// The seqs of the posts, in the order they arrived.
std::vector<std::int64_t> Seqs(const std::vector<Received>& posts) {
  std::vector<std::int64_t> seqs;
  for (const auto& p : posts) seqs.push_back(p.seq);
  return seqs;
}

std::vector<std::int64_t> Range(std::int64_t from, std::int64_t to) {
  std::vector<std::int64_t> v;
  for (std::int64_t s = from; s <= to; ++s) v.push_back(s);
  return v;
}

class DispatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::OpenSqliteStore(dir_.Sub("data"), store::OpenMode::kCreate);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
    ASSERT_TRUE(store_->Write([](store::Transaction& txn) {
                         return txn.PutCharter(SmallCharter());
                       }).ok());
    options_.backoff_min = milliseconds(20);
    options_.backoff_max = milliseconds(80);
    options_.failing_after = milliseconds(3600000);
    options_.save_interval = milliseconds(50);
    options_.threads = 2;
  }

  // Appends `n` entries to `org`'s inbox and publishes them, as the centre does after commit.
  void Append(const std::string& org, int n) {
    std::vector<store::InboxEntry> added;
    ASSERT_TRUE(store_->Write([&](store::Transaction& txn) -> core::Status {
                         for (int i = 0; i < n; ++i) {
                           const std::string item = "rep_" + std::to_string(next_item_++);
                           MARKAZ_ASSIGN_OR_RETURN(std::int64_t seq,
                                                   txn.AppendInbox(org, "report", item, clock_.Now()));
                           store::InboxEntry e;
                           e.org = org;
                           e.seq = seq;
                           e.kind = "report";
                           e.item_id = item;
                           e.at = clock_.Now();
                           added.push_back(e);
                         }
                         return core::Status::Ok();
                       }).ok());
    for (const auto& e : added) hub_.Publish(org, FromInboxEntry(e));
  }

  std::string AddWebhook(const std::string& org, const std::string& url, std::int64_t cursor = 0) {
    store::WebhookRow row;
    row.id = ids_.Next("whk", clock_.Now());
    row.org = org;
    row.url = url;
    row.secret = kSecret;
    row.created_by = org + "/tok_test";
    row.created_at = clock_.Now();
    row.cursor = cursor;
    EXPECT_TRUE(store_->Write([&](store::Transaction& txn) { return txn.InsertWebhook(row); }).ok());
    return row.id;
  }

  store::WebhookRow Row(const std::string& id) { return store_->GetWebhook(id).value().value(); }

  std::unique_ptr<WebhookDispatcher> NewDispatcher() {
    return std::make_unique<WebhookDispatcher>(*store_, hub_, sender_, clock_, options_);
  }

  testutil::TempDir dir_;
  core::SystemClock clock_;
  core::IdGenerator ids_{7};
  std::unique_ptr<store::Store> store_;
  FeedHub hub_;
  FakeSender sender_;
  DispatcherOptions options_;
  int next_item_ = 1;
};

TEST(Backoff, DelayStaysWithinTheExponentialBounds) {
  DispatcherOptions o;
  o.backoff_min = milliseconds(100);
  o.backoff_max = milliseconds(5000);
  for (int failures = 1; failures <= 40; ++failures) {
    long long cap = 100;
    for (int i = 1; i < failures && cap < 5000; ++i) cap = std::min(5000LL, cap * 2);
    for (double u : {0.0, 0.25, 0.5, 0.999}) {
      const long long d = BackoffDelay(o, failures, u).count();
      EXPECT_GE(d, 100) << failures << " " << u;
      EXPECT_LE(d, cap) << failures << " " << u;
    }
    EXPECT_EQ(BackoffDelay(o, failures, 0.0).count(), 100);
  }
  // Full jitter: the spread grows with the streak, up to the whole [min, max].
  EXPECT_EQ(BackoffDelay(o, 1, 0.999).count(), 100);
  EXPECT_EQ(BackoffDelay(o, 2, 0.5).count(), 150);
  EXPECT_GE(BackoffDelay(o, 40, 0.999).count(), 4990);
}

TEST(Signature, IsHmacSha256OfTheBodyInHex) {
  const std::string body = R"({"seq":1,"kind":"report"})";
  const std::string header = SignatureHeader("k3y-of-sixteen-bytes", body);
  ASSERT_EQ(header.substr(0, 7), "sha256=");
  EXPECT_EQ(header.size(), 7u + 64u);
  EXPECT_EQ(header.substr(7), crypto::ToHex(crypto::HmacSha256("k3y-of-sixteen-bytes", body)));
  EXPECT_NE(header, SignatureHeader("another-key-of-16b", body));
}

TEST_F(DispatcherTest, DeliversEveryEntryInOrderSignedWithItsHeaders) {
  Append("m2", 40);
  const std::string id = AddWebhook("m2", "http://receiver/a");
  auto dispatcher = NewDispatcher();
  ASSERT_TRUE(dispatcher->Start().ok());
  ASSERT_TRUE(sender_.WaitFor([&] { return sender_.For("http://receiver/a").size() >= 40; }));
  dispatcher->Stop();

  std::vector<Received> posts = sender_.For("http://receiver/a");
  EXPECT_EQ(Seqs(posts), Range(1, 40));
  for (const Received& p : posts) {
    const std::string expected =
        "sha256=" + crypto::ToHex(crypto::HmacSha256(kSecret, p.body));
    EXPECT_EQ(p.headers.at("X-Markaz-Signature"), expected);
    EXPECT_EQ(p.headers.at("X-Markaz-Seq"), std::to_string(p.seq));
    EXPECT_EQ(p.headers.at("X-Markaz-Webhook"), id);
    EXPECT_EQ(p.headers.at("Idempotency-Key"), id + ":" + std::to_string(p.seq));
    EXPECT_EQ(p.headers.at("Content-Type"), "application/json");
    auto body = nlohmann::json::parse(p.body);
    EXPECT_EQ(body.at("kind"), "report");
    EXPECT_EQ(body.at("id"), "rep_" + std::to_string(p.seq));
  }
  // Stop saved the cursor and the delivery log.
  EXPECT_EQ(Row(id).cursor, 40);
  auto log = store_->ReadDeliveries(id, 5).value();
  ASSERT_FALSE(log.empty());
  EXPECT_EQ(log.front().seq, 40);
  EXPECT_EQ(log.front().status, 200);
  EXPECT_EQ(log.front().error, "");
}

TEST_F(DispatcherTest, StartsFromTheStoredCursorAndOnlyTheOrgsEntries) {
  Append("m2", 5);
  Append("host", 3);
  const std::string id = AddWebhook("m2", "http://receiver/a", /*cursor=*/3);
  auto dispatcher = NewDispatcher();
  ASSERT_TRUE(dispatcher->Start().ok());
  ASSERT_TRUE(sender_.WaitFor([&] { return sender_.For("http://receiver/a").size() >= 2; }));
  Append("host", 2);
  Append("m2", 1);
  ASSERT_TRUE(sender_.WaitFor([&] { return sender_.For("http://receiver/a").size() >= 3; }));
  dispatcher->Stop();
  EXPECT_EQ(Seqs(sender_.For("http://receiver/a")), Range(4, 6));
  for (const auto& p : sender_.For("http://receiver/a")) {
    // m2's items are rep_1..5 and rep_11 (host's are rep_6..10): never one of host's.
    const std::string item = nlohmann::json::parse(p.body).at("id");
    EXPECT_TRUE(item == "rep_4" || item == "rep_5" || item == "rep_11") << item;
  }
  EXPECT_EQ(Row(id).cursor, 6);
}

TEST_F(DispatcherTest, APublishWakesItWithoutWaitingForTheRecheck) {
  AddWebhook("m2", "http://receiver/a");
  auto dispatcher = NewDispatcher();
  ASSERT_TRUE(dispatcher->Start().ok());
  Append("m2", 1);
  ASSERT_TRUE(sender_.WaitFor([&] { return sender_.For("http://receiver/a").size() == 1; }));
  // Caught up now: only the hub's wake can bring the next entry before the recheck (5 s).
  Append("m2", 1);
  const auto published = Steady::now();
  ASSERT_TRUE(sender_.WaitFor([&] { return sender_.For("http://receiver/a").size() == 2; },
                              milliseconds(4000)));
  EXPECT_LT(sender_.For("http://receiver/a")[1].at - published, milliseconds(1000));
}

TEST_F(DispatcherTest, RetriesAFailedEntryWithBackoffAndNeverSkipsIt) {
  Append("m2", 3);
  const std::string id = AddWebhook("m2", "http://receiver/a");
  int failures_left = 3;
  std::mutex mu;
  sender_.SetAnswer([&](const Received& r) -> WebhookAnswer {
    std::lock_guard<std::mutex> lock(mu);
    if (r.seq == 2 && failures_left > 0) {
      --failures_left;
      return failures_left == 1 ? WebhookAnswer{0, "connect: Connection refused"}
                                : WebhookAnswer{500, ""};
    }
    return {200, ""};
  });
  auto dispatcher = NewDispatcher();
  ASSERT_TRUE(dispatcher->Start().ok());
  ASSERT_TRUE(sender_.WaitFor([&] { return sender_.For("http://receiver/a").size() >= 6; }));
  dispatcher->Stop();

  std::vector<Received> posts = sender_.For("http://receiver/a");
  EXPECT_EQ(Seqs(posts), (std::vector<std::int64_t>{1, 2, 2, 2, 2, 3}));
  for (std::size_t i = 2; i <= 4; ++i) {
    // The same entry, the same idempotency key, after a back-off within its bounds.
    EXPECT_EQ(posts[i].headers.at("Idempotency-Key"), posts[1].headers.at("Idempotency-Key"));
    const auto gap = std::chrono::duration_cast<milliseconds>(posts[i].at - posts[i - 1].at);
    EXPECT_GE(gap, milliseconds(19)) << i;
    EXPECT_LE(gap, milliseconds(80 + 500)) << i;  // backoff_max plus scheduling slack
  }
  // The log holds every attempt with its cause; a success cleared the error.
  auto log = store_->ReadDeliveries(id, 10).value();
  ASSERT_EQ(log.size(), 6u);
  EXPECT_EQ(log[5].seq, 1);
  EXPECT_EQ(log[4].seq, 2);
  EXPECT_EQ(log[4].attempt, 1);
  EXPECT_EQ(log[4].status, 500);
  EXPECT_EQ(log[4].error, "HTTP 500");
  EXPECT_EQ(log[3].attempt, 2);
  EXPECT_EQ(log[3].status, 0);
  EXPECT_EQ(log[3].error, "connect: Connection refused");
  EXPECT_EQ(log[2].attempt, 3);
  EXPECT_EQ(log[2].status, 500);
  EXPECT_EQ(log[1].attempt, 4);
  EXPECT_EQ(log[1].status, 200);
  const store::WebhookRow row = Row(id);
  EXPECT_EQ(row.cursor, 3);
  EXPECT_EQ(row.last_error, "");
  EXPECT_FALSE(row.failing_since.has_value());
}

TEST_F(DispatcherTest, MarksFailingAfterTheConfiguredTimeAndClearsOnSuccess) {
  options_.backoff_min = milliseconds(10);
  options_.backoff_max = milliseconds(30);
  options_.failing_after = milliseconds(150);
  Append("m2", 2);
  const std::string id = AddWebhook("m2", "http://receiver/a");
  std::atomic<bool> down{true};
  sender_.SetAnswer([&](const Received&) -> WebhookAnswer {
    return down ? WebhookAnswer{503, ""} : WebhookAnswer{204, ""};
  });
  auto dispatcher = NewDispatcher();
  ASSERT_TRUE(dispatcher->Start().ok());
  // Failing, but not yet marked: the failure and its cause are visible at once.
  ASSERT_TRUE(sender_.WaitFor([&] { return Row(id).failing_since.has_value(); }));
  EXPECT_EQ(Row(id).last_error, "HTTP 503");
  ASSERT_TRUE(sender_.WaitFor([&] { return Row(id).failing; }));
  const store::WebhookRow failing = Row(id);
  EXPECT_EQ(failing.cursor, 0);
  EXPECT_EQ(failing.last_error, "HTTP 503");
  ASSERT_TRUE(failing.failing_since.has_value());

  down = false;
  ASSERT_TRUE(sender_.WaitFor([&] { return Row(id).cursor == 2; }));
  dispatcher->Stop();
  const store::WebhookRow recovered = Row(id);
  EXPECT_FALSE(recovered.failing);
  EXPECT_FALSE(recovered.failing_since.has_value());
  EXPECT_EQ(recovered.last_error, "");
  // Every attempt before the recovery was for seq 1: nothing was skipped while it failed.
  std::vector<Received> posts = sender_.For("http://receiver/a");
  ASSERT_GE(posts.size(), 3u);
  for (std::size_t i = 0; i + 1 < posts.size(); ++i) EXPECT_EQ(posts[i].seq, 1) << i;
  EXPECT_EQ(posts.back().seq, 2);
}

TEST_F(DispatcherTest, ANewDispatcherResumesFromTheSavedCursor) {
  Append("m2", 10);
  const std::string id = AddWebhook("m2", "http://receiver/a");
  {
    auto first = NewDispatcher();
    ASSERT_TRUE(first->Start().ok());
    ASSERT_TRUE(sender_.WaitFor([&] { return sender_.For("http://receiver/a").size() >= 10; }));
  }  // destroyed: Stop saves
  EXPECT_EQ(Row(id).cursor, 10);
  Append("m2", 5);
  auto second = NewDispatcher();
  ASSERT_TRUE(second->Start().ok());
  ASSERT_TRUE(sender_.WaitFor([&] { return sender_.For("http://receiver/a").size() >= 15; }));
  second->Stop();
  // No entry twice, none missed: the second dispatcher started after the saved cursor.
  EXPECT_EQ(Seqs(sender_.For("http://receiver/a")), Range(1, 15));
  EXPECT_EQ(Row(id).cursor, 15);
}

TEST_F(DispatcherTest, DisabledAndDeletedWebhooksStopAndAReenabledOneCatchesUp) {
  const std::string a = AddWebhook("m2", "http://receiver/a");
  const std::string b = AddWebhook("m2", "http://receiver/b");
  auto dispatcher = NewDispatcher();
  ASSERT_TRUE(dispatcher->Start().ok());
  Append("m2", 2);
  ASSERT_TRUE(sender_.WaitFor([&] {
    return sender_.For("http://receiver/a").size() == 2 &&
           sender_.For("http://receiver/b").size() == 2;
  }));

  ASSERT_TRUE(store_->Write([&](store::Transaction& txn) {
                       return txn.SetWebhookEnabled(b, false);
                     }).ok());
  dispatcher->Reload();
  Append("m2", 3);
  ASSERT_TRUE(sender_.WaitFor([&] { return sender_.For("http://receiver/a").size() == 5; }));
  // a took seqs 3..5 after b was disabled; b, served by the same dispatcher, took none.
  EXPECT_EQ(sender_.For("http://receiver/b").size(), 2u);
  // Its progress was saved when it stopped (not one save interval later).
  EXPECT_TRUE(sender_.WaitFor([&] { return Row(b).cursor == 2; }, milliseconds(1000)))
      << Row(b).cursor << " enabled " << Row(b).enabled;

  ASSERT_TRUE(store_->Write([&](store::Transaction& txn) {
                       return txn.SetWebhookEnabled(b, true);
                     }).ok());
  dispatcher->Reload();
  ASSERT_TRUE(sender_.WaitFor([&] { return sender_.For("http://receiver/b").size() == 5; }));
  EXPECT_EQ(Seqs(sender_.For("http://receiver/b")), Range(1, 5));

  ASSERT_TRUE(store_->Write([&](store::Transaction& txn) { return txn.DeleteWebhook(a); }).ok());
  dispatcher->Reload();
  Append("m2", 2);
  ASSERT_TRUE(sender_.WaitFor([&] { return sender_.For("http://receiver/b").size() == 7; }));
  dispatcher->Stop();
  EXPECT_EQ(sender_.For("http://receiver/a").size(), 5u);
  EXPECT_FALSE(store_->GetWebhook(a).value().has_value());
}

TEST_F(DispatcherTest, OneFailingReceiverDoesNotHoldUpAnother) {
  const std::string a = AddWebhook("m2", "http://receiver/down");
  const std::string b = AddWebhook("m2", "http://receiver/up");
  sender_.SetAnswer([](const Received& r) -> WebhookAnswer {
    return r.url == "http://receiver/down" ? WebhookAnswer{0, "timeout after 10 ms"}
                                           : WebhookAnswer{200, ""};
  });
  options_.threads = 1;  // even with one thread
  auto dispatcher = NewDispatcher();
  ASSERT_TRUE(dispatcher->Start().ok());
  Append("m2", 20);
  ASSERT_TRUE(sender_.WaitFor([&] { return sender_.For("http://receiver/up").size() == 20; }));
  dispatcher->Stop();
  EXPECT_EQ(Seqs(sender_.For("http://receiver/up")), Range(1, 20));
  EXPECT_EQ(Row(a).cursor, 0);
  EXPECT_EQ(Row(a).last_error, "timeout after 10 ms");
  EXPECT_EQ(Row(b).cursor, 20);
}

}  // namespace
}  // namespace markaz::dissem
