// Centre::MatchSubscriptions over a real SQLite store, processor and index (flushed by hand, so
// each test decides what is searchable): which items alert, the cursor never skipping an item
// that becomes searchable later, deletion, the per-round bound, and the time of one round with
// 100 subscriptions over 1,000 new items (printed; docs/subscriptions.md).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "centre/centre.h"
#include "pipeline/processor.h"
#include "store/sqlite/sqlite_store.h"
#include "testutil/temp_dir.h"

namespace markaz::centre {
namespace {

core::Time At(const char* rfc3339) { return core::ParseRfc3339(rfc3339).value(); }

core::Charter TwoMembers() {
  core::Charter c;
  c.name = "Subscription Centre";
  c.start = At("2015-10-01T00:00:00Z");
  c.rotation_order = {"host", "m2"};
  c.term = core::TermLength::Months(3).value();
  c.members = {{"host", core::OrgKind::kMember, {{"en", "Host"}}, true},
               {"m2", core::OrgKind::kMember, {{"en", "Two"}}, true}};
  return c;
}

class SubscriptionMatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = store::OpenSqliteStore(dir_.Sub("data"), store::OpenMode::kCreate).value();
    auto gazetteer = gazetteer::Gazetteer::Parse("", "");
    ASSERT_TRUE(gazetteer.ok()) << gazetteer.status().ToString();
    processor_ = pipeline::Processor::Create(*gazetteer, "").value();
    index::IndexOptions options;
    options.dir = dir_.Sub("index");
    options.background = false;  // Flush() decides what is searchable
    index_ = index::Index::Open(options).value();
    centre_ = std::make_unique<Centre>(*store_, clock_, ids_, processor_.get(), index_.get());
    ASSERT_TRUE(centre_->Init(TwoMembers()).ok());
    host_ = User("host");
    m2_ = User("m2");
  }

  // A real token of `org` (subscriptions of unknown or revoked tokens raise nothing).
  Identity User(const std::string& org) {
    auto made = centre_->CreateToken(kLocalActor, org, core::Role::kAnalyst, org + "-user");
    EXPECT_TRUE(made.ok()) << made.status().ToString();
    return Identity{made.ok() ? made->id : "", org, core::OrgKind::kMember, core::Role::kAnalyst,
                    org + "-user"};
  }

  std::string Subscribe(const Identity& who, const std::string& query) {
    auto made = centre_->CreateSubscription(who, "watch", query);
    EXPECT_TRUE(made.ok()) << made.status().ToString();
    return made.ok() ? made->id : "";
  }

  core::ReportInput Input(const std::string& title, std::vector<std::string> release_to) {
    core::ReportInput in;
    in.title = title;
    in.body = title + ", as the report says.";
    in.lang = "en";
    in.tlp = core::Tlp::kGreen;
    in.release_to = std::move(release_to);
    return in;
  }

  // Submits as `who` (not yet searchable: call Flush()).
  std::string Submit(const Identity& who, const std::string& title,
                     std::vector<std::string> release_to = {"members"}) {
    auto r = centre_->Submit(who, Input(title, std::move(release_to)));
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    clock_.Advance(std::chrono::seconds(1));
    return r.ok() ? r->report.id : "";
  }

  void Flush() { ASSERT_TRUE(index_->Flush().ok()); }

  std::size_t Match() {
    auto raised = centre_->MatchSubscriptions();
    EXPECT_TRUE(raised.ok()) << raised.status().ToString();
    return raised.ok() ? *raised : 0;
  }

  // The alerts in `org`'s inbox, as (item, subscription) pairs in inbox order.
  std::vector<std::pair<std::string, std::string>> Alerts(const std::string& org) {
    std::vector<std::pair<std::string, std::string>> out;
    auto entries = store_->ReadInbox(org, 0, 100000);
    EXPECT_TRUE(entries.ok());
    if (!entries.ok()) return out;
    for (const store::InboxEntry& e : *entries) {
      if (e.kind == "alert") out.emplace_back(e.item_id, e.ref);
    }
    return out;
  }

  using Alert = std::pair<std::string, std::string>;

  testutil::TempDir dir_;
  core::ManualClock clock_{At("2016-03-01T12:00:00Z")};
  core::IdGenerator ids_{11};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<pipeline::Processor> processor_;
  std::unique_ptr<index::Index> index_;
  std::unique_ptr<Centre> centre_;
  Identity host_;
  Identity m2_;
};

TEST_F(SubscriptionMatchTest, OnlyNewVisibleMatchingItemsAlertAndOnlyOnce) {
  const std::string before = Submit(m2_, "Convoy before the subscription");
  Flush();
  const std::string sub = Subscribe(host_, "convoy");
  const std::string hidden = Submit(m2_, "Convoy kept by m2", {});
  const std::string other = Submit(m2_, "Harvest in the valley");
  const std::string match = Submit(m2_, "Convoy at the bridge");
  Flush();
  EXPECT_EQ(Match(), 1u);
  EXPECT_EQ(Alerts("host"), (std::vector<Alert>{{match, sub}}));
  EXPECT_TRUE(Alerts("m2").empty());
  EXPECT_EQ(Match(), 0u);  // nothing new: nothing again
  EXPECT_EQ(Alerts("host").size(), 1u);
  // The entry carries the item's title and marking.
  auto entries = store_->ReadInbox("host", 0, 1000);
  ASSERT_TRUE(entries.ok());
  EXPECT_EQ(entries->back().kind, "alert");
  EXPECT_EQ(entries->back().title, "Convoy at the bridge");
  EXPECT_EQ(entries->back().tlp, "green");
  for (const std::string& id : {before, hidden, other}) {
    for (const Alert& alert : Alerts("host")) EXPECT_NE(alert.first, id);
  }
}

TEST_F(SubscriptionMatchTest, AnItemNotYetSearchableIsMatchedInALaterRound) {
  const std::string sub = Subscribe(host_, "convoy");
  const std::string first = Submit(m2_, "Convoy one");
  Flush();
  const std::string second = Submit(m2_, "Convoy two");  // committed, not yet searchable
  EXPECT_EQ(Match(), 1u);
  Flush();
  EXPECT_EQ(Match(), 1u);
  EXPECT_EQ(Alerts("host"), (std::vector<Alert>{{first, sub}, {second, sub}}));
}

TEST_F(SubscriptionMatchTest, AReportAcknowledgedBeforeCreationNeverAlertsEvenIfSearchableLater) {
  Submit(m2_, "Convoy before, not yet searchable");
  const std::string sub = Subscribe(host_, "convoy");
  Flush();
  EXPECT_EQ(Match(), 0u);
  const std::string after = Submit(m2_, "Convoy after");
  Flush();
  EXPECT_EQ(Match(), 1u);
  EXPECT_EQ(Alerts("host"), (std::vector<Alert>{{after, sub}}));
}

TEST_F(SubscriptionMatchTest, ItemsTheOrgCannotSeeDoNotHoldItsCursorBack) {
  // m2's private reports move nothing for host; host's later visible match still alerts once.
  const std::string sub = Subscribe(host_, "convoy");
  for (int i = 0; i < 3; ++i) Submit(m2_, "Convoy private " + std::to_string(i), {});
  Flush();
  EXPECT_EQ(Match(), 0u);
  const std::string shared = Submit(m2_, "Convoy shared");
  Flush();
  EXPECT_EQ(Match(), 1u);
  EXPECT_EQ(Match(), 0u);
  EXPECT_EQ(Alerts("host"), (std::vector<Alert>{{shared, sub}}));
}

TEST_F(SubscriptionMatchTest, ADeletedSubscriptionRaisesNothing) {
  const std::string gone = Subscribe(host_, "convoy");
  const std::string kept = Subscribe(User("host"), "convoy");
  const std::string match = Submit(m2_, "Convoy at dusk");
  Flush();
  ASSERT_TRUE(centre_->DeleteSubscription(host_, gone).ok());
  EXPECT_EQ(Match(), 1u);
  EXPECT_EQ(Alerts("host"), (std::vector<Alert>{{match, kept}}));
  // Another user's, or an unknown id: the same 404.
  const std::string theirs = Subscribe(m2_, "convoy");
  EXPECT_EQ(centre_->DeleteSubscription(host_, theirs).reason(), "not_found");
  EXPECT_EQ(centre_->DeleteSubscription(host_, gone).reason(), "not_found");
}

TEST_F(SubscriptionMatchTest, ABroadMatchIsRaisedAThousandARoundInSeqOrder) {
  const std::string sub = Subscribe(host_, "convoy");
  std::vector<core::ReportInput> inputs;
  for (int i = 0; i < 1003; ++i)
    inputs.push_back(Input("Convoy " + std::to_string(i), {"members"}));
  std::vector<std::string> ids;
  for (auto& r : centre_->SubmitMany(m2_, std::move(inputs))) {
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ids.push_back(r->report.id);
  }
  Flush();
  EXPECT_EQ(Match(), 1000u);
  EXPECT_EQ(Match(), 3u);
  EXPECT_EQ(Match(), 0u);
  std::vector<Alert> expected;
  for (const std::string& id : ids) expected.emplace_back(id, sub);
  EXPECT_EQ(Alerts("host"), expected);
}

TEST_F(SubscriptionMatchTest, ARoundOfAHundredSubscriptionsOverAThousandNewItems) {
  // 100 subscriptions of 10 users over 20 words; the reports use the first 10 words, so 50
  // subscriptions match 100 reports each.
  const std::vector<std::string> words = {
      "convoy",  "pipeline", "harvest", "airport",   "election", "flood",  "bridge",
      "protest", "refinery", "border",  "satellite", "vaccine",  "tunnel", "festival",
      "drought", "museum",   "stadium", "glacier",   "volcano",  "orchard"};
  for (int u = 0; u < 10; ++u) {
    Identity user = User(u % 2 == 0 ? "host" : "m2");
    for (int j = 0; j < 10; ++j) Subscribe(user, words[(u * 10 + j) % 20]);
  }
  std::vector<core::ReportInput> inputs;
  for (int i = 0; i < 1000; ++i) {
    inputs.push_back(
        Input("Report " + std::to_string(i) + " on the " + words[i % 10], {"members"}));
  }
  for (auto& r : centre_->SubmitMany(m2_, std::move(inputs))) ASSERT_TRUE(r.ok());
  Flush();

  const auto start = std::chrono::steady_clock::now();
  const std::size_t raised = Match();
  const auto round = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(raised, 5000u);
  const auto idle_start = std::chrono::steady_clock::now();
  EXPECT_EQ(Match(), 0u);
  const auto idle = std::chrono::steady_clock::now() - idle_start;
  const auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
  std::printf(
      "[ figure ] MatchSubscriptions: 100 subscriptions, 1000 new items, %zu alerts: "
      "%.1f ms; next round with nothing new: %.2f ms\n",
      raised, ms(round), ms(idle));
  RecordProperty("round_ms", std::to_string(ms(round)));
}

}  // namespace
}  // namespace markaz::centre
