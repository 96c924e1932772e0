// The feed endpoints (DESIGN.md §6, §9; issue 7; docs/feeds.md): GET /v1/feed?after=&limit=
// (pull) and GET /v1/feed/stream (Server-Sent Events; `id:` is the inbox seq; resumes from
// Last-Event-ID or ?after=, else starts at the org's newest entry). Items are
// dissem::FeedItemJson objects.
#pragma once

#include <chrono>

#include "centre/centre.h"
#include "http/routes.h"

namespace markaz::http {

struct FeedRouteOptions {
  // How long a live stream may stay silent before it gets a heartbeat comment. Default 15 s;
  // the hidden variable MARKAZ_FEED_HEARTBEAT_MS (milliseconds, 10..600000) changes it, for
  // tests that must see a heartbeat without waiting 15 s.
  std::chrono::milliseconds heartbeat = DefaultFeedHeartbeat();
  static std::chrono::milliseconds DefaultFeedHeartbeat();
};

void AddFeedRoutes(RouteTable& table, centre::Centre& centre, FeedRouteOptions options = {});

// Events of one stream are sent in slices of at most this many entries or (about) bytes, so
// that a client far behind neither holds a thread for long nor makes the server buffer much.
inline constexpr int kEventsPerSlice = 256;
inline constexpr std::size_t kEventBytesPerSlice = 64 * 1024;

}  // namespace markaz::http
