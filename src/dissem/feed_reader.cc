// Reading an org's feed (feed_reader.h).
#include "dissem/feed_reader.h"

namespace markaz::dissem {

core::Result<std::vector<FeedItem>> ReadFeed(store::Store& store, const FeedHub* hub,
                                             const std::string& org, std::int64_t after,
                                             int limit) {
  if (limit < 1) return std::vector<FeedItem>{};
  // The ring answers live readers (streams that keep up, the webhook dispatcher) without a
  // store read; a reader further behind, or any reader after a restart, reads the store.
  if (hub != nullptr) {
    if (auto recent = hub->Recent(org, after, static_cast<std::size_t>(limit))) return *recent;
  }
  core::Result<std::vector<store::InboxEntry>> entries = store.ReadInbox(org, after, limit);
  if (!entries.ok()) return entries.status();
  std::vector<FeedItem> items;
  items.reserve(entries->size());
  for (const store::InboxEntry& entry : *entries) items.push_back(FromInboxEntry(entry));
  return items;
}

}  // namespace markaz::dissem
