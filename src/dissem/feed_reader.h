// Reading an org's feed: from the hub's ring when it holds the page asked for, from the store
// otherwise. The one function behind GET /v1/feed, the live stream and the webhook dispatcher.
//
// Thread-safety: as the store and the hub (both thread-safe).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "dissem/feed.h"
#include "dissem/feed_hub.h"
#include "store/store.h"

namespace markaz::dissem {

// `org`'s feed items with seq > after, ascending, at most `limit` (≥ 1). `hub` may be null.
core::Result<std::vector<FeedItem>> ReadFeed(store::Store& store, const FeedHub* hub,
                                             const std::string& org, std::int64_t after,
                                             int limit);

}  // namespace markaz::dissem
