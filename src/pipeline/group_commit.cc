#include "pipeline/group_commit.h"

#include <cstdio>
#include <exception>
#include <string>
#include <vector>

namespace markaz::pipeline {

GroupCommitter::GroupCommitter(store::Store& store, std::size_t max_batch)
    : store_(store), max_batch_(max_batch == 0 ? 1 : max_batch) {}

core::Status GroupCommitter::Commit(Work work, AfterCommit after_commit,
                                    AfterRollback after_rollback) {
  Item self;
  self.work = std::move(work);
  self.after_commit = std::move(after_commit);
  self.after_rollback = std::move(after_rollback);

  std::unique_lock lock(mu_);
  queue_.push_back(&self);
  // Wait until a leader has done our item, or we reach the front and lead.
  cv_.wait(lock, [&] { return self.done || queue_.front() == &self; });
  if (self.done) return self.status;

  // We lead: take a batch from the front (ourselves first) and run it without the lock, so
  // newcomers can queue up behind us for the next batch meanwhile.
  std::vector<Item*> batch;
  for (Item* item : queue_) {
    if (batch.size() == max_batch_) break;
    batch.push_back(item);
  }
  lock.unlock();

  core::Status committed;
  try {
    committed = store_.Write([&](store::Transaction& txn) -> core::Status {
      for (Item* item : batch) item->status = txn.Nested(item->work);
      return core::Status::Ok();
    });
  } catch (const std::exception& e) {
    // The store catches its own errors; this is bad_alloc and the like. The batch must still
    // leave the queue and its callers wake up, or every later Commit() would wait forever.
    committed = core::Status::Internal(std::string("group commit: ") + e.what());
  }

  if (committed.ok()) {
    // Still at the front of the queue: the next leader waits for the pop below, so the hooks
    // of consecutive batches never interleave and follow the store's commit order. Run
    // without the lock so that newcomers can queue up meanwhile.
    for (Item* item : batch) {
      if (!item->status.ok() || !item->after_commit) continue;
      try {
        item->after_commit();
      } catch (const std::exception& e) {
        // The commit stands and the caller is answered; only the hook's follow-up is lost
        // (the index, say, catches up from the store on its next start).
        std::fprintf(stderr, "markaz: after-commit hook failed: %s\n", e.what());
      }
    }
  } else {
    for (Item* item : batch) {
      if (!item->after_rollback) continue;
      try {
        item->after_rollback();
      } catch (const std::exception& e) {
        std::fprintf(stderr, "markaz: after-rollback hook failed: %s\n", e.what());
      }
    }
  }

  lock.lock();
  for (Item* item : batch) {
    // A failed commit makes nothing durable: every item reports it, none keeps an ok.
    if (!committed.ok()) item->status = committed;
    item->done = true;
    queue_.pop_front();  // the batch is exactly the front of the queue
  }
  ++stats_.batches;
  stats_.items += batch.size();
  if (batch.size() > stats_.largest) stats_.largest = batch.size();
  // Wake the followers of this batch and the next leader.
  cv_.notify_all();
  return self.status;
}

GroupCommitter::Stats GroupCommitter::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

}  // namespace markaz::pipeline
