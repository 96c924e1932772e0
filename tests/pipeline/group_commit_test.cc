// Group commit over a real SQLite store: batching, per-item isolation, all-or-nothing commits.
#include "pipeline/group_commit.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "audit/chain.h"
#include "audit/verify.h"
#include "store/sqlite/sqlite_store.h"
#include "testutil/failing_store.h"
#include "testutil/temp_dir.h"

namespace markaz::pipeline {
namespace {

core::Time At(const char* t) { return core::ParseRfc3339(t).value(); }

using testutil::FailingStore;

class GroupCommitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = store::OpenSqliteStore(dir_.Sub("data"), store::OpenMode::kCreate).value();
    core::Charter c;
    c.name = "GC";
    c.start = At("2015-10-01T00:00:00Z");
    c.rotation_order = {"m1", "m2"};
    c.members = {{"m1", core::OrgKind::kMember, {}, true}, {"m2", core::OrgKind::kMember, {}, true}};
    ASSERT_TRUE(store_->Write([&](store::Transaction& txn) { return txn.PutCharter(c); }).ok());
  }

  // The work of one item: an audit entry whose object is `name`, then `fail` decides.
  static GroupCommitter::Work AuditWork(std::string name, bool fail = false) {
    return [name, fail](store::Transaction& txn) -> core::Status {
      audit::Event e{"test", "item", name, "{}"};
      MARKAZ_RETURN_IF_ERROR(audit::Append(txn, e, At("2016-01-01T00:00:00Z")).status());
      if (fail) return core::Status::InvalidArgument("item_failed", name + " fails");
      return core::Status::Ok();
    };
  }

  std::vector<store::AuditRow> Audit() { return store_->ReadAudit(0, 100000).value(); }

  testutil::TempDir dir_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(GroupCommitTest, ALoneCallerCommitsItsItem) {
  GroupCommitter committer(*store_);
  ASSERT_TRUE(committer.Commit(AuditWork("a")).ok());
  ASSERT_EQ(Audit().size(), 1u);
  EXPECT_EQ(committer.stats().batches, 1u);
}

TEST_F(GroupCommitTest, AFailingItemRollsBackAloneAndTheChainStaysGapFree) {
  GroupCommitter committer(*store_);
  ASSERT_TRUE(committer.Commit(AuditWork("a")).ok());
  core::Status failed = committer.Commit(AuditWork("b", /*fail=*/true));
  EXPECT_EQ(failed.reason(), "item_failed");
  ASSERT_TRUE(committer.Commit(AuditWork("c")).ok());
  auto rows = Audit();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].object, "a");
  EXPECT_EQ(rows[1].object, "c");
  EXPECT_TRUE(audit::Verify(*store_)->ok());
}

TEST_F(GroupCommitTest, ConcurrentCallersShareTransactionsAndEachGetsItsOwnResult) {
  GroupCommitter committer(*store_, /*max_batch=*/64);
  constexpr int kThreads = 16, kPerThread = 40;
  std::atomic<int> ok{0}, refused{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        bool fail = (i % 10) == 3;  // every tenth item of each thread fails on its own
        core::Status s = committer.Commit(
            AuditWork("t" + std::to_string(t) + "-" + std::to_string(i), fail));
        (s.ok() ? ok : refused).fetch_add(1);
        EXPECT_EQ(s.ok(), !fail);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), kThreads * kPerThread * 9 / 10);
  EXPECT_EQ(refused.load(), kThreads * kPerThread / 10);
  auto rows = Audit();
  EXPECT_EQ(rows.size(), static_cast<std::size_t>(ok.load()));
  for (const auto& r : rows) EXPECT_NE(r.object.substr(r.object.find('-') + 1), "3");
  EXPECT_TRUE(audit::Verify(*store_)->ok());
  GroupCommitter::Stats stats = committer.stats();
  EXPECT_EQ(stats.items, static_cast<std::size_t>(kThreads * kPerThread));
  // Sixteen writers against one fsync at a time must have shared transactions.
  EXPECT_LT(stats.batches, stats.items);
  EXPECT_LE(stats.largest, 64u);
}

TEST_F(GroupCommitTest, AFailedCommitFailsEveryItemOfItsBatch) {
  FailingStore failing(*store_);
  GroupCommitter doomed(failing);
  core::Status s = doomed.Commit(AuditWork("lost"));
  EXPECT_EQ(s.reason(), "disk_full");
  EXPECT_TRUE(Audit().empty()) << "nothing of a failed commit may remain";
}

TEST_F(GroupCommitTest, AfterCommitHooksRunInCommitOrderOnlyForCommittedItems) {
  // Each item records the audit seq its work got; its hook appends that seq to `hooked`. Commit
  // order is seq order, so the hooks must see strictly ascending seqs, one per committed item.
  GroupCommitter committer(*store_, /*max_batch=*/16);
  constexpr int kThreads = 12, kPerThread = 30;
  std::mutex mu;
  std::vector<std::int64_t> hooked;  // GUARDED_BY(mu)
  std::atomic<int> committed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const bool fail = (i % 7) == 2;
        std::int64_t seq = 0;
        core::Status s = committer.Commit(
            [&, t, i, fail](store::Transaction& txn) -> core::Status {
              audit::Event e{"test", "item", std::to_string(t) + "-" + std::to_string(i), "{}"};
              MARKAZ_ASSIGN_OR_RETURN(store::AuditRow row,
                                      audit::Append(txn, e, At("2016-01-01T00:00:00Z")));
              seq = row.seq;
              if (fail) return core::Status::InvalidArgument("item_failed", "fails");
              return core::Status::Ok();
            },
            [&] {
              std::lock_guard lock(mu);
              hooked.push_back(seq);
            });
        EXPECT_EQ(s.ok(), !fail);
        if (s.ok()) committed.fetch_add(1);
      }
    });
  }
  for (auto& th : threads) th.join();
  std::lock_guard lock(mu);
  ASSERT_EQ(hooked.size(), static_cast<std::size_t>(committed.load()));
  for (std::size_t k = 1; k < hooked.size(); ++k) {
    ASSERT_LT(hooked[k - 1], hooked[k]) << "hook " << k << " ran out of commit order";
  }
  // The committed items are exactly the audit rows, in the same order.
  std::vector<std::int64_t> stored;
  for (const store::AuditRow& row : Audit()) stored.push_back(row.seq);
  EXPECT_EQ(hooked, stored);
  EXPECT_LT(committer.stats().batches, committer.stats().items) << "no batch was shared";
}

TEST_F(GroupCommitTest, AFailedCommitRunsNoHook) {
  FailingStore failing(*store_);
  GroupCommitter doomed(failing);
  bool hooked = false;
  core::Status s = doomed.Commit(AuditWork("lost"), [&] { hooked = true; });
  EXPECT_EQ(s.reason(), "disk_full");
  EXPECT_FALSE(hooked);
  // The hook runs before Commit returns, on success.
  GroupCommitter committer(*store_);
  ASSERT_TRUE(committer.Commit(AuditWork("kept"), [&] { hooked = true; }).ok());
  EXPECT_TRUE(hooked);
}

TEST_F(GroupCommitTest, RollbackHooksRunOnlyWhenTheBatchDidNotCommit) {
  FailingStore failing(*store_);
  GroupCommitter doomed(failing);
  int rolled_back = 0;
  bool committed_hook = false;
  // Even an item whose own work failed hears that its batch rolled back.
  EXPECT_FALSE(doomed.Commit(AuditWork("lost", /*fail=*/true), [&] { committed_hook = true; },
                             [&] { ++rolled_back; }).ok());
  EXPECT_FALSE(doomed.Commit(AuditWork("lost"), [&] { committed_hook = true; },
                             [&] { ++rolled_back; }).ok());
  EXPECT_EQ(rolled_back, 2);
  EXPECT_FALSE(committed_hook);
  GroupCommitter committer(*store_);
  ASSERT_TRUE(committer.Commit(AuditWork("kept"), [&] { committed_hook = true; },
                               [&] { ++rolled_back; }).ok());
  EXPECT_TRUE(committed_hook);
  EXPECT_EQ(rolled_back, 2) << "a committed batch runs no rollback hook";
}

}  // namespace
}  // namespace markaz::pipeline
