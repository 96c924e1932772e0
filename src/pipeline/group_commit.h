// Group commit: many concurrent writes, one transaction and one fsync (DESIGN.md §3, §7).
//
// Each caller hands Commit() the writes of one item (a report with its inbox entries and its
// audit entry). Callers queue up; the caller at the front of the queue becomes the leader: it
// takes every queued item (up to max_batch), runs them in ONE store transaction, each inside
// its own savepoint (Transaction::Nested) so that one item's failure (say, a duplicate
// external_id) rolls back that item alone, commits once, and wakes the others with their own
// results. This is LevelDB's writer queue (DBImpl::Write): no extra thread, and a lone caller
// pays no added latency. When the commit itself fails, every item of the batch gets that error:
// none of them is acknowledged, none is durable.
//
// An item may bring an after-commit hook: once the batch's transaction is durable, the leader
// runs the hooks of the items that succeeded, in queue order, before it lets the next leader
// start. So hooks run in commit order (the order of the store sequences the items were given):
// this is how the search index receives documents in seq order, right after their commit,
// without a thread of its own (DESIGN.md §7).
//
// Thread-safety: Commit() may be called from any number of threads at once.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>

#include "core/status.h"
#include "store/store.h"

namespace markaz::pipeline {

class GroupCommitter {
 public:
  // The writes of one item. Runs on the leader's thread, inside the batch's transaction; must
  // not block on other Commit() calls.
  using Work = std::function<core::Status(store::Transaction&)>;
  // Runs on the leader's thread after the batch holding the item committed durably, and only
  // when the item's own work succeeded; never after a failed commit. Hooks of one batch run in
  // queue order, and all of them before any later batch's. Must be quick (it holds up the next
  // batch) and must not call Commit().
  using AfterCommit = std::function<void()>;
  // Runs on the leader's thread when the batch holding the item did not commit (nothing of it
  // is durable), for every item of the batch, whatever its own result, before any later
  // batch's work: a caller forgets here what its work staged in memory for after the commit
  // (story assignment stages each report so that later reports of the batch see it).
  using AfterRollback = std::function<void()>;

  struct Stats {
    std::size_t batches = 0;     // transactions committed or attempted
    std::size_t items = 0;       // items processed
    std::size_t largest = 0;     // largest batch
  };

  // `store` must outlive the committer. `max_batch` ≥ 1 bounds one transaction's size.
  explicit GroupCommitter(store::Store& store, std::size_t max_batch = 512);

  // Runs `work` in a group-committed transaction and returns once that transaction is durable
  // (or failed). Returns the item's own error, or the commit's error. `after_commit` (may be
  // empty) runs as described above before this returns.
  core::Status Commit(Work work, AfterCommit after_commit = nullptr,
                      AfterRollback after_rollback = nullptr);

  Stats stats() const;

 private:
  struct Item {
    Work work;
    AfterCommit after_commit;
    AfterRollback after_rollback;
    core::Status status;
    bool done = false;
  };

  store::Store& store_;
  const std::size_t max_batch_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Item*> queue_;  // GUARDED_BY(mu_); front is the leader or its batch
  Stats stats_;              // GUARDED_BY(mu_)
};

}  // namespace markaz::pipeline
