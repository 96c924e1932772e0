// The live side of the inboxes (DESIGN.md §6). After each commit the centre publishes the feed
// entries it appended, in seq order per org (group_commit.h runs after-commit hooks in commit
// order). Live streams and the webhook dispatcher read recent entries from the hub's ring
// instead of the store, and are woken by it instead of polling.
//
// The ring is a cache, never the record: a reader whose cursor is older than the ring reads
// the store (feed_reader.h). A publish that does not follow the org's last seq (the first one
// after a start, or a gap that must not happen) restarts that org's ring at it.
//
// Example:
//   FeedHub hub;
//   auto watch = hub.Watch("m2", [&] { cv.notify_one(); });   // wake a waiting stream
//   hub.Publish("m2", item);                                   // from the after-commit hook
//   auto recent = hub.Recent("m2", cursor, 100);               // nullopt: read the store
//
// Thread-safety: every method may be called from any thread. Wake callbacks run on the
// publisher's thread, outside the hub's lock; they must be quick and must not block.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dissem/feed.h"

namespace markaz::dissem {

class FeedHub {
 public:
  // `ring_per_org`: how many recent entries per org are kept in memory (about 300 bytes
  // each). Readers that keep up (live streams read 256 at a time, the webhook dispatcher its
  // batch) never need more; one further behind reads the store.
  explicit FeedHub(std::size_t ring_per_org = 1024);
  ~FeedHub();
  FeedHub(const FeedHub&) = delete;
  FeedHub& operator=(const FeedHub&) = delete;

  // Records `item` as `org`'s newest entry and wakes the org's watchers and the watchers of
  // every org.
  void Publish(const std::string& org, FeedItem item);

  // `org`'s items with seq > after, ascending, at most `limit`, when the ring holds every one
  // of them (the ring starts at or before after + 1); empty when after ≥ Head(org). nullopt when
  // the reader must go to the store.
  std::optional<std::vector<FeedItem>> Recent(const std::string& org, std::int64_t after,
                                              std::size_t limit) const;

  // The last seq published for `org`; 0 when none since start.
  std::int64_t Head(const std::string& org) const;

  // Calls `wake` after every publish for `org` until the returned handle is destroyed. The
  // handle may be destroyed from any thread, also while a wake runs elsewhere: after its
  // destructor returns, `wake` is never called again.
  using Watch = std::shared_ptr<void>;
  Watch WatchOrg(const std::string& org, std::function<void()> wake);
  // Calls `wake(org)` after every publish, for any org (the webhook dispatcher).
  Watch WatchAll(std::function<void(const std::string& org)> wake);

  // Watchers now registered (for tests and metrics).
  std::size_t watchers() const;

 private:
  struct State;
  struct Registration;  // what a Watch handle owns (feed_hub.cc)
  std::shared_ptr<State> state_;
};

}  // namespace markaz::dissem
