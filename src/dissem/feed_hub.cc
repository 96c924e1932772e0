// The live side of the inboxes (feed_hub.h).
//
// Locking: `State::mu` guards the rings and the watcher lists. Publish copies out the
// watchers to wake (a shared pointer to an immutable snapshot, so a publish costs one
// reference count however many watchers there are) and wakes them after unlocking. Each
// watcher has its own mutex, held while its wake runs and while its handle is destroyed, which
// is what makes "after the destructor returns, wake is never called again" hold; it is
// recursive so that a wake may drop its own handle.
#include "dissem/feed_hub.h"

#include <algorithm>
#include <deque>
#include <mutex>
#include <unordered_map>
#include <utility>

namespace markaz::dissem {

namespace {

struct Watcher {
  std::recursive_mutex mu;
  bool active = true;  // GUARDED_BY(mu)
  std::function<void()> wake_org;                        // for WatchOrg
  std::function<void(const std::string&)> wake_any;      // for WatchAll

  void Wake(const std::string& org) {
    std::lock_guard<std::recursive_mutex> lock(mu);
    if (!active) return;
    if (wake_org) wake_org();
    if (wake_any) wake_any(org);
  }
  void Deactivate() {
    std::lock_guard<std::recursive_mutex> lock(mu);
    active = false;
  }
};

using Snapshot = std::vector<std::shared_ptr<Watcher>>;

// Replaces `list` by a copy with `w` added or removed (copy on write: publishers keep reading
// the snapshot they took).
void AddTo(std::shared_ptr<const Snapshot>& list, const std::shared_ptr<Watcher>& w) {
  auto next = list ? std::make_shared<Snapshot>(*list) : std::make_shared<Snapshot>();
  next->push_back(w);
  list = std::move(next);
}
void RemoveFrom(std::shared_ptr<const Snapshot>& list, const Watcher* w) {
  if (!list) return;
  auto next = std::make_shared<Snapshot>();
  next->reserve(list->size());
  for (const auto& x : *list) {
    if (x.get() != w) next->push_back(x);
  }
  list = next->empty() ? nullptr : std::shared_ptr<const Snapshot>(std::move(next));
}

}  // namespace

struct FeedHub::State {
  struct Ring {
    std::deque<FeedItem> items;  // ascending, consecutive seqs ending at head
    std::int64_t head = 0;
  };
  explicit State(std::size_t capacity) : ring_capacity(capacity) {}

  const std::size_t ring_capacity;
  mutable std::mutex mu;
  std::unordered_map<std::string, Ring> rings;                                // GUARDED_BY(mu)
  std::unordered_map<std::string, std::shared_ptr<const Snapshot>> by_org;    // GUARDED_BY(mu)
  std::shared_ptr<const Snapshot> all;                                         // GUARDED_BY(mu)
  std::size_t count = 0;                                                       // GUARDED_BY(mu)
};

// What a Watch handle owns: unregisters on destruction. Holds the state, so a handle may
// outlive the hub.
struct FeedHub::Registration {
  std::shared_ptr<State> state;
  std::shared_ptr<Watcher> watcher;
  std::string org;  // "" for WatchAll
  bool all = false;

  ~Registration() {
    watcher->Deactivate();  // waits for a wake running elsewhere
    std::lock_guard<std::mutex> lock(state->mu);
    if (all) {
      RemoveFrom(state->all, watcher.get());
    } else {
      auto it = state->by_org.find(org);
      if (it != state->by_org.end()) {
        RemoveFrom(it->second, watcher.get());
        if (!it->second) state->by_org.erase(it);
      }
    }
    --state->count;
  }
};

FeedHub::FeedHub(std::size_t ring_per_org)
    : state_(std::make_shared<State>(std::max<std::size_t>(ring_per_org, 1))) {}

FeedHub::~FeedHub() = default;

void FeedHub::Publish(const std::string& org, FeedItem item) {
  std::shared_ptr<const Snapshot> org_watchers, all_watchers;
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    State::Ring& ring = state_->rings[org];
    // Not the next seq: the first publish since start, or a gap. Whatever came before is in
    // the store only.
    if (ring.items.empty() || item.seq != ring.head + 1) ring.items.clear();
    ring.head = item.seq;
    ring.items.push_back(std::move(item));
    if (ring.items.size() > state_->ring_capacity) ring.items.pop_front();
    if (auto it = state_->by_org.find(org); it != state_->by_org.end()) org_watchers = it->second;
    all_watchers = state_->all;
  }
  if (org_watchers) {
    for (const auto& w : *org_watchers) w->Wake(org);
  }
  if (all_watchers) {
    for (const auto& w : *all_watchers) w->Wake(org);
  }
}

std::optional<std::vector<FeedItem>> FeedHub::Recent(const std::string& org, std::int64_t after,
                                                     std::size_t limit) const {
  std::lock_guard<std::mutex> lock(state_->mu);
  auto it = state_->rings.find(org);
  if (it == state_->rings.end() || it->second.items.empty()) return std::nullopt;
  const State::Ring& ring = it->second;
  std::vector<FeedItem> out;
  if (after >= ring.head) return out;
  const std::int64_t first = ring.items.front().seq;
  if (after + 1 < first) return std::nullopt;
  const auto start = static_cast<std::size_t>(after + 1 - first);
  const std::size_t n = std::min(limit, ring.items.size() - start);
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) out.push_back(ring.items[start + i]);
  return out;
}

std::int64_t FeedHub::Head(const std::string& org) const {
  std::lock_guard<std::mutex> lock(state_->mu);
  auto it = state_->rings.find(org);
  return it == state_->rings.end() ? 0 : it->second.head;
}

FeedHub::Watch FeedHub::WatchOrg(const std::string& org, std::function<void()> wake) {
  auto reg = std::make_shared<Registration>();
  reg->state = state_;
  reg->watcher = std::make_shared<Watcher>();
  reg->watcher->wake_org = std::move(wake);
  reg->org = org;
  std::lock_guard<std::mutex> lock(state_->mu);
  AddTo(state_->by_org[org], reg->watcher);
  ++state_->count;
  return reg;
}

FeedHub::Watch FeedHub::WatchAll(std::function<void(const std::string& org)> wake) {
  auto reg = std::make_shared<Registration>();
  reg->state = state_;
  reg->watcher = std::make_shared<Watcher>();
  reg->watcher->wake_any = std::move(wake);
  reg->all = true;
  std::lock_guard<std::mutex> lock(state_->mu);
  AddTo(state_->all, reg->watcher);
  ++state_->count;
  return reg;
}

std::size_t FeedHub::watchers() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->count;
}

}  // namespace markaz::dissem
