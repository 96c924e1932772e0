// Analytics: a queue in front of the columns, applied by a background thread or by the next
// query, whichever comes first; queries read under a shared lock.
//
// Locks: queue_mu guards the queue alone, so Add() and Widen() never wait for a query or for
// an apply. data_mu guards the columns: exclusive to apply, shared to query. An apply takes
// data_mu first and then empties the queue under queue_mu, so batches are applied whole and in
// the order they were queued, whoever applies them.
#include "analytics/analytics.h"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <shared_mutex>
#include <stop_token>
#include <thread>
#include <variant>

#include "analytics/columns.h"
#include "analytics/entity_queries.h"
#include "analytics/story_queries.h"

namespace markaz::analytics {
namespace {

struct WidenOp {
  std::string report_id;
  core::Audience added;
};
using Op = std::variant<ReportFacts, WidenOp>;

// The background thread is woken early once this many operations wait, which bounds the
// queue during a bulk load; otherwise it applies every kApplyInterval.
constexpr std::size_t kWakeAt = 16'384;

}  // namespace

struct Analytics::State {
  std::mutex queue_mu;
  std::condition_variable_any queue_cv;
  std::vector<Op> queue;            // GUARDED_BY(queue_mu)
  std::atomic<std::size_t> pending{0};  // queue.size(), readable without queue_mu

  mutable std::shared_mutex data_mu;
  Columns columns;  // GUARDED_BY(data_mu)

  // Last member: stopped and joined first when State is destroyed.
  std::jthread applier;

  void Push(Op op) {
    std::lock_guard lock(queue_mu);
    queue.push_back(std::move(op));
    pending.store(queue.size(), std::memory_order_release);
    if (queue.size() == kWakeAt) queue_cv.notify_one();
  }

  void ApplyPending() {
    std::unique_lock data(data_mu);
    std::vector<Op> batch;
    {
      std::lock_guard lock(queue_mu);
      batch.swap(queue);
      pending.store(0, std::memory_order_release);
    }
    for (Op& op : batch) {
      if (auto* facts = std::get_if<ReportFacts>(&op)) {
        columns.Add(*facts);
      } else {
        const WidenOp& widen = std::get<WidenOp>(op);
        columns.Widen(widen.report_id, widen.added);
      }
    }
  }

  // Before a query: whatever was queued before the call is applied.
  std::shared_lock<std::shared_mutex> ReadLock() {
    if (pending.load(std::memory_order_acquire) > 0) ApplyPending();
    return std::shared_lock(data_mu);
  }

  void Run(std::stop_token stop) {
    while (!stop.stop_requested()) {
      {
        std::unique_lock lock(queue_mu);
        queue_cv.wait_for(lock, stop, kApplyInterval, [&] { return queue.size() >= kWakeAt; });
      }
      if (pending.load(std::memory_order_acquire) > 0) ApplyPending();
    }
  }
};

Analytics::Analytics() : state_(std::make_unique<State>()) {
  state_->applier = std::jthread([s = state_.get()](std::stop_token stop) { s->Run(stop); });
}

Analytics::~Analytics() = default;

void Analytics::Add(ReportFacts facts) { state_->Push(std::move(facts)); }

void Analytics::Widen(const std::string& report_id, const core::Audience& added) {
  state_->Push(WidenOp{report_id, added});
}

void Analytics::Flush() { state_->ApplyPending(); }

core::Result<StoryPage> Analytics::Stories(const std::string& viewer,
                                           const StoryQuery& query) const {
  auto lock = state_->ReadLock();
  const Columns& c = state_->columns;
  return QueryStories(c, c.Readers(viewer), query);
}

std::optional<StorySummary> Analytics::Story(const std::string& viewer,
                                             const std::string& story_id,
                                             std::size_t reports_cap) const {
  auto lock = state_->ReadLock();
  const Columns& c = state_->columns;
  return QueryStory(c, c.Readers(viewer), story_id, reports_cap);
}

std::size_t Analytics::Mentions(const std::string& viewer, const std::string& entity) const {
  auto lock = state_->ReadLock();
  const Columns& c = state_->columns;
  return CountMentions(c, c.Readers(viewer), entity);
}

core::Result<std::vector<TimelinePoint>> Analytics::Timeline(const std::string& viewer,
                                                             const std::string& entity,
                                                             Bucket bucket,
                                                             std::optional<core::Time> from,
                                                             std::optional<core::Time> to) const {
  auto lock = state_->ReadLock();
  const Columns& c = state_->columns;
  return QueryTimeline(c, c.Readers(viewer), entity, bucket, from, to);
}

std::vector<GraphEdge> Analytics::Graph(const std::string& viewer, const std::string& entity,
                                        std::size_t limit) const {
  auto lock = state_->ReadLock();
  const Columns& c = state_->columns;
  return QueryGraph(c, c.Readers(viewer), entity, limit);
}

std::vector<Trend> Analytics::Trends(const std::string& viewer, const TrendQuery& query) const {
  auto lock = state_->ReadLock();
  const Columns& c = state_->columns;
  return QueryTrends(c, c.Readers(viewer), query);
}

std::size_t Analytics::size() const {
  std::shared_lock lock(state_->data_mu);
  return state_->columns.size();
}

std::size_t Analytics::memory_bytes() const {
  std::shared_lock lock(state_->data_mu);
  return state_->columns.memory_bytes();
}

}  // namespace markaz::analytics
