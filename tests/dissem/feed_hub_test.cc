// The live side of the feeds: the hub's ring (what it answers, when it sends a reader to the
// store), its watchers (also while handles come and go on other threads), ReadFeed's choice
// between ring and store, and the JSON every consumer sees.
#include "dissem/feed_hub.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <thread>
#include <vector>

#include "dissem/feed.h"
#include "dissem/feed_reader.h"
#include "store/sqlite/sqlite_store.h"
#include "testutil/temp_dir.h"

namespace markaz::dissem {
namespace {

core::Time At(const char* rfc3339) { return core::ParseRfc3339(rfc3339).value(); }

FeedItem Item(std::int64_t seq, std::string title = "t") {
  FeedItem item;
  item.seq = seq;
  item.kind = "report";
  item.id = "rep_" + std::to_string(seq);
  item.title = std::move(title);
  item.tlp = "amber";
  item.at = At("2026-11-29T10:00:00Z");
  return item;
}

std::vector<std::int64_t> Seqs(const std::vector<FeedItem>& items) {
  std::vector<std::int64_t> seqs;
  for (const FeedItem& item : items) seqs.push_back(item.seq);
  return seqs;
}

void PublishRange(FeedHub& hub, const std::string& org, std::int64_t from, std::int64_t to) {
  for (std::int64_t seq = from; seq <= to; ++seq) hub.Publish(org, Item(seq));
}

TEST(FeedHub, RecentAnswersFromTheRingWhenItHoldsThePage) {
  FeedHub hub;
  PublishRange(hub, "m2", 1, 10);
  EXPECT_EQ(hub.Head("m2"), 10);
  struct Case {
    std::int64_t after;
    std::size_t limit;
    std::vector<std::int64_t> want;
  } cases[] = {
      {0, 100, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
      {3, 4, {4, 5, 6, 7}},
      {9, 5, {10}},
      {10, 5, {}},  // at the head: nothing new, and no store read either
      {12, 5, {}},  // past the head (a client's id from the future): nothing yet
  };
  for (const Case& c : cases) {
    SCOPED_TRACE("after " + std::to_string(c.after));
    std::optional<std::vector<FeedItem>> got = hub.Recent("m2", c.after, c.limit);
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(Seqs(*got), c.want);
  }
}

TEST(FeedHub, ReaderOlderThanTheRingOrOfAnUnseenOrgGoesToTheStore) {
  FeedHub hub(/*ring_per_org=*/4);
  PublishRange(hub, "m2", 1, 10);  // the ring keeps 7..10
  EXPECT_EQ(Seqs(hub.Recent("m2", 6, 10).value()), (std::vector<std::int64_t>{7, 8, 9, 10}));
  EXPECT_FALSE(hub.Recent("m2", 5, 10).has_value());
  EXPECT_FALSE(hub.Recent("m2", 0, 10).has_value());
  // Nothing published for m3 since start: the hub cannot tell what the store holds.
  EXPECT_FALSE(hub.Recent("m3", 0, 10).has_value());
  EXPECT_FALSE(hub.Recent("m3", 100, 10).has_value());
  EXPECT_EQ(hub.Head("m3"), 0);
}

TEST(FeedHub, FirstPublishOrGapRestartsTheRing) {
  FeedHub hub;
  // The first publish after a start need not be seq 1: what came before is in the store.
  PublishRange(hub, "host", 41, 45);
  EXPECT_EQ(Seqs(hub.Recent("host", 40, 10).value()),
            (std::vector<std::int64_t>{41, 42, 43, 44, 45}));
  EXPECT_FALSE(hub.Recent("host", 39, 10).has_value());
  hub.Publish("host", Item(48));  // a gap: 46 and 47 were never published
  EXPECT_EQ(hub.Head("host"), 48);
  EXPECT_EQ(Seqs(hub.Recent("host", 47, 10).value()), (std::vector<std::int64_t>{48}));
  EXPECT_FALSE(hub.Recent("host", 45, 10).has_value());
  EXPECT_FALSE(hub.Recent("host", 46, 10).has_value());
}

TEST(FeedHub, OrgsHaveSeparateRings) {
  FeedHub hub;
  PublishRange(hub, "host", 1, 3);
  PublishRange(hub, "m2", 1, 2);
  EXPECT_EQ(hub.Head("host"), 3);
  EXPECT_EQ(hub.Head("m2"), 2);
  std::vector<FeedItem> m2 = hub.Recent("m2", 0, 10).value();
  EXPECT_EQ(Seqs(m2), (std::vector<std::int64_t>{1, 2}));
}

TEST(FeedHub, WatchersAreWokenForTheirOrgAndAllWatchersForEvery) {
  FeedHub hub;
  std::atomic<int> m2_wakes{0};
  std::vector<std::string> seen;  // by the WatchAll wake, which runs on this thread
  FeedHub::Watch m2 = hub.WatchOrg("m2", [&] { ++m2_wakes; });
  FeedHub::Watch all = hub.WatchAll([&](const std::string& org) { seen.push_back(org); });
  EXPECT_EQ(hub.watchers(), 2u);
  hub.Publish("m2", Item(1));
  hub.Publish("host", Item(1));
  hub.Publish("m2", Item(2));
  EXPECT_EQ(m2_wakes.load(), 2);
  EXPECT_EQ(seen, (std::vector<std::string>{"m2", "host", "m2"}));
  m2.reset();
  EXPECT_EQ(hub.watchers(), 1u);
  hub.Publish("m2", Item(3));
  EXPECT_EQ(m2_wakes.load(), 2);  // dropped handle: never woken again
  EXPECT_EQ(seen.size(), 4u);
  all.reset();
  EXPECT_EQ(hub.watchers(), 0u);
}

TEST(FeedHub, AWakeMayDropItsOwnHandle) {
  FeedHub hub;
  int wakes = 0;
  FeedHub::Watch watch;
  watch = hub.WatchOrg("m2", [&] {
    ++wakes;
    watch.reset();
  });
  hub.Publish("m2", Item(1));
  hub.Publish("m2", Item(2));
  EXPECT_EQ(wakes, 1);
  EXPECT_EQ(hub.watchers(), 0u);
}

TEST(FeedHub, HandleMayOutliveTheHub) {
  FeedHub::Watch watch;
  {
    FeedHub hub;
    watch = hub.WatchOrg("m2", [] {});
  }
  watch.reset();  // must not touch freed memory (ASan builds check it)
  SUCCEED();
}

// Handles created and dropped on one thread while another publishes: after a handle's
// destructor returns its wake never runs, and nothing is lost or crashes.
TEST(FeedHub, NoWakeAfterTheHandleIsGoneWhilePublishingConcurrently) {
  FeedHub hub(/*ring_per_org=*/64);
  std::atomic<bool> stop{false};
  std::atomic<std::int64_t> published{0};
  std::thread publisher([&] {
    std::int64_t seq = 0;
    while (!stop.load()) {
      hub.Publish("m2", Item(++seq));
      published.store(seq);
    }
  });
  while (published.load() == 0) std::this_thread::yield();
  std::atomic<int> late_wakes{0};
  std::atomic<long> wakes{0};
  // At least 2,000 rounds, and on until some wake did run (a busy machine may starve the
  // publisher for a while).
  for (int i = 0; i < 2000 || (wakes.load() == 0 && i < 10000000); ++i) {
    auto gone = std::make_shared<std::atomic<bool>>(false);
    FeedHub::Watch watch = hub.WatchOrg("m2", [gone, &late_wakes, &wakes] {
      if (gone->load()) ++late_wakes;
      ++wakes;
    });
    if (i % 7 == 0) std::this_thread::yield();
    watch.reset();
    gone->store(true);
  }
  stop.store(true);
  publisher.join();
  EXPECT_EQ(late_wakes.load(), 0);
  EXPECT_GT(wakes.load(), 0);  // the watchers did overlap with publishing
  EXPECT_EQ(hub.watchers(), 0u);
}

TEST(FeedItemJson, HasTheDocumentedShape) {
  FeedItem report = Item(12, "تقرير \"quoted\"\nline");
  nlohmann::json j = nlohmann::json::parse(FeedItemJson(report));
  EXPECT_EQ(j, nlohmann::json::parse(R"({"seq":12,"kind":"report","id":"rep_12",
      "title":"تقرير \"quoted\"\nline","tlp":"amber","at":"2026-11-29T10:00:00Z"})"));
  // One line, whatever the title: an SSE data field cannot hold a line break.
  EXPECT_EQ(FeedItemJson(report).find('\n'), std::string::npos);

  FeedItem release = Item(13);
  release.kind = "release";
  release.id = "rrq_1";
  release.ref = "rep_9";
  j = nlohmann::json::parse(FeedItemJson(release));
  EXPECT_EQ(j["report"], "rep_9");
  EXPECT_FALSE(j.contains("subscription"));

  FeedItem alert = Item(14);
  alert.kind = "alert";
  alert.ref = "sub_1";
  j = nlohmann::json::parse(FeedItemJson(alert));
  EXPECT_EQ(j["subscription"], "sub_1");
  EXPECT_FALSE(j.contains("report"));

  FeedItem bad = Item(15, std::string("bad \xff byte"));
  EXPECT_NO_THROW(nlohmann::json::parse(FeedItemJson(bad)));
}

TEST(FeedItem, FromInboxEntryKeepsEveryField) {
  store::InboxEntry e{"m2", 7, "release", "rrq_1", At("2026-11-29T10:00:00.250Z"), "rep_1",
                      "Title", "red"};
  FeedItem item = FromInboxEntry(e);
  EXPECT_EQ(item, (FeedItem{7, "release", "rrq_1", "rep_1", "Title", "red", e.at}));
}

class ReadFeedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::OpenSqliteStore(dir_.Sub("data"), store::OpenMode::kCreate);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
    core::Charter c;
    c.name = "Unit Centre";
    c.start = At("2015-10-01T00:00:00Z");
    c.rotation_order = {"host", "m2"};
    c.term = core::TermLength::Months(3).value();
    c.members = {{"host", core::OrgKind::kMember, {{"en", "Host"}}, true},
                 {"m2", core::OrgKind::kMember, {{"en", "Two"}}, true}};
    ASSERT_TRUE(store_->Write([&](store::Transaction& txn) -> core::Status {
                        MARKAZ_RETURN_IF_ERROR(txn.PutCharter(c));
                        for (int i = 1; i <= 20; ++i) {
                          MARKAZ_RETURN_IF_ERROR(
                              txn.AppendInbox("m2", "report", "rep_" + std::to_string(i),
                                              At("2026-11-29T10:00:00Z"))
                                  .status());
                        }
                        return core::Status::Ok();
                      })
                    .ok());
  }
  testutil::TempDir dir_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(ReadFeedTest, ReadsTheStoreWithoutAHubOrWhenTheRingDoesNotHoldThePage) {
  auto items = ReadFeed(*store_, nullptr, "m2", 5, 3);
  ASSERT_TRUE(items.ok());
  EXPECT_EQ(Seqs(*items), (std::vector<std::int64_t>{6, 7, 8}));
  EXPECT_EQ((*items)[0].id, "rep_6");

  FeedHub hub;
  for (std::int64_t seq = 16; seq <= 20; ++seq) hub.Publish("m2", Item(seq, "from the ring"));
  // The ring holds 16..20: a reader at 10 reads the store, a reader at 15 the ring.
  items = ReadFeed(*store_, &hub, "m2", 10, 3);
  ASSERT_TRUE(items.ok());
  EXPECT_EQ(Seqs(*items), (std::vector<std::int64_t>{11, 12, 13}));
  EXPECT_EQ((*items)[0].title, "");
  items = ReadFeed(*store_, &hub, "m2", 15, 3);
  ASSERT_TRUE(items.ok());
  EXPECT_EQ(Seqs(*items), (std::vector<std::int64_t>{16, 17, 18}));
  EXPECT_EQ((*items)[0].title, "from the ring");
  // Another org's inbox is not this one's.
  items = ReadFeed(*store_, &hub, "host", 0, 10);
  ASSERT_TRUE(items.ok());
  EXPECT_TRUE(items->empty());
}

}  // namespace
}  // namespace markaz::dissem
