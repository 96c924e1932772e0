// Feeds (centre.h, "Distribution"): the caller's own inbox, read through dissem::ReadFeed, and
// the hub that wakes live streams. An org reads its own inbox and no other: the inbox already
// holds exactly what was released to it (DESIGN.md §2), so no per-item check is needed here.
#include "centre/centre.h"
#include "dissem/feed_reader.h"

namespace markaz::centre {

core::Result<FeedPage> Centre::Feed(const Identity& who, std::int64_t after, int limit) {
  if (limit < 1 || limit > kMaxFeedLimit) {
    return core::Status::InvalidArgument(
        "bad_limit", "limit must be 1.." + std::to_string(kMaxFeedLimit));
  }
  if (after < 0) {
    return core::Status::InvalidArgument("bad_after", "after must be a sequence number ≥ 0");
  }
  core::Result<std::vector<dissem::FeedItem>> items =
      dissem::ReadFeed(store_, hub_, who.org, after, limit);
  if (!items.ok()) return items.status();
  FeedPage page;
  page.items = std::move(items).value();
  page.next = page.items.empty() ? after : page.items.back().seq;
  return page;
}

core::Result<std::int64_t> Centre::FeedHead(const Identity& who) {
  // The store, not the hub: the hub knows nothing of what was committed before a restart.
  return store_.InboxHead(who.org);
}

core::Result<dissem::FeedHub::Watch> Centre::WatchFeed(const Identity& who,
                                                       std::function<void()> wake) {
  if (hub_ == nullptr) {
    return core::Status::Unavailable("feed_unavailable",
                                     "live feeds are not available on this server");
  }
  return hub_->WatchOrg(who.org, std::move(wake));
}

void Centre::PublishEntries(const std::vector<store::InboxEntry>& entries) {
  if (hub_ == nullptr) return;
  for (const store::InboxEntry& entry : entries) {
    hub_->Publish(entry.org, dissem::FromInboxEntry(entry));
  }
}

}  // namespace markaz::centre
