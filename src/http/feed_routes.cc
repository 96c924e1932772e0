// The feed endpoints (feed_routes.h; docs/feeds.md).
#include "http/feed_routes.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "dissem/feed.h"
#include "http/errors.h"
#include "http/query.h"

namespace markaz::http {
namespace {

using core::Result;
using core::Status;

// A sequence number: 1..18 decimal digits (so it fits an int64 without overflow checks).
std::optional<std::int64_t> ParseSeq(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  std::int64_t n = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n;
}

Status Unknown(const std::string& name) {
  return Status::InvalidArgument("unknown_parameter", "unknown query parameter \"" + name + "\"");
}

Result<std::int64_t> AfterParam(const Request& r) {
  std::optional<std::string> after = QueryParam(r.target, "after");
  if (!after) return std::int64_t{0};
  std::optional<std::int64_t> seq = ParseSeq(*after);
  if (!seq) {
    return Status::InvalidArgument("bad_after",
                                   "after must be an inbox sequence number (a whole number ≥ 0)");
  }
  return *seq;
}

Response FeedPageResponse(const centre::FeedPage& page) {
  // The items are JSON already (FeedItemJson): joined, not parsed and dumped again.
  Response r;
  r.body = "{\"items\":[";
  for (std::size_t i = 0; i < page.items.size(); ++i) {
    if (i > 0) r.body += ',';
    r.body += dissem::FeedItemJson(page.items[i]);
  }
  r.body += "],\"next\":" + std::to_string(page.next) + "}";
  return r;
}

Response Pull(centre::Centre& centre, const Request& r, const centre::Identity& who) {
  if (auto u = UnknownQueryParam(r.target, {"after", "limit"})) return ErrorResponse(Unknown(*u));
  Result<std::int64_t> after = AfterParam(r);
  if (!after.ok()) return ErrorResponse(after.status());
  std::size_t limit = centre::kDefaultFeedLimit;
  if (auto l = QueryParam(r.target, "limit")) {
    Result<std::size_t> parsed = ParseLimit(*l, centre::kMaxFeedLimit);
    if (!parsed.ok()) return ErrorResponse(parsed.status());
    limit = *parsed;
  }
  Result<centre::FeedPage> page = centre.Feed(who, *after, static_cast<int>(limit));
  if (!page.ok()) return ErrorResponse(page.status());
  return FeedPageResponse(*page);
}

// Passes the hub's wakes on to the server's, once the server has given one. The hub is watched
// before the server asks (so that a centre without a hub is refused before the stream starts);
// a wake before then is not needed: the server calls Next() right after Watch().
class WakeRelay {
 public:
  void Set(std::function<void()> wake) {
    std::lock_guard<std::mutex> lock(mu_);
    wake_ = std::move(wake);
  }
  void Fire() {
    std::lock_guard<std::mutex> lock(mu_);
    if (wake_) wake_();
  }

 private:
  std::mutex mu_;
  std::function<void()> wake_;  // GUARDED_BY(mu_)
};

// One client's live feed. Its only state is its cursor (the last seq sent), so a slow client
// costs no memory while it lags: each Next() reads on from where it was, from the hub's ring
// or the store.
class FeedEvents : public EventSource {
 public:
  FeedEvents(centre::Centre& centre, centre::Identity who, std::int64_t cursor,
             std::chrono::milliseconds heartbeat, std::shared_ptr<WakeRelay> relay,
             dissem::FeedHub::Watch watch)
      : centre_(centre),
        who_(std::move(who)),
        cursor_(cursor),
        heartbeat_(heartbeat),
        relay_(std::move(relay)),
        watch_(std::move(watch)) {}

  bool Next(std::string& out) override {
    Result<centre::FeedPage> page = centre_.Feed(who_, cursor_, kEventsPerSlice);
    if (!page.ok()) {
      // The store failed: end the stream; the client resumes by Last-Event-ID.
      std::fprintf(stderr, "markaz: feed stream of %s ended: %s\n", who_.org.c_str(),
                   page.status().message().c_str());
      return false;
    }
    for (const dissem::FeedItem& item : page->items) {
      if (out.size() >= kEventBytesPerSlice) break;
      out += "id: ";
      out += std::to_string(item.seq);
      out += "\nevent: ";
      out += item.kind;
      out += "\ndata: ";
      out += dissem::FeedItemJson(item);  // one line: JSON strings escape line breaks
      out += "\n\n";
      cursor_ = item.seq;
    }
    // Access is decided when the stream starts; a token revoked since is not re-checked per
    // event (docs/feeds.md). This is where such a check would return false.
    return true;
  }

  void Watch(std::function<void()> wake) override { relay_->Set(std::move(wake)); }
  std::chrono::milliseconds heartbeat() const override { return heartbeat_; }

 private:
  centre::Centre& centre_;
  const centre::Identity who_;
  std::int64_t cursor_;
  const std::chrono::milliseconds heartbeat_;
  std::shared_ptr<WakeRelay> relay_;
  dissem::FeedHub::Watch watch_;  // destroyed with the stream: no wake after that
};

EventStart Refuse(const Status& status) { return EventStart{ErrorResponse(status), nullptr}; }

EventStart Stream(centre::Centre& centre, const FeedRouteOptions& options, const Request& r,
                  const centre::Identity& who) {
  if (auto u = UnknownQueryParam(r.target, {"after"})) return Refuse(Unknown(*u));
  // Where to start: Last-Event-ID (a reconnecting EventSource sends it, with the same URL and
  // so the same ?after=, which it must override), else ?after=, else the newest entry now.
  std::int64_t cursor = 0;
  std::string_view last_id = r.Header("last-event-id");
  if (!last_id.empty()) {
    std::optional<std::int64_t> seq = ParseSeq(last_id);
    if (!seq) {
      return Refuse(Status::InvalidArgument(
          "bad_last_event_id",
          "Last-Event-ID must be an inbox sequence number (a whole number ≥ 0)"));
    }
    cursor = *seq;
  } else if (QueryParam(r.target, "after")) {
    Result<std::int64_t> after = AfterParam(r);
    if (!after.ok()) return Refuse(after.status());
    cursor = *after;
  } else {
    Result<std::int64_t> head = centre.FeedHead(who);
    if (!head.ok()) return Refuse(head.status());
    cursor = *head;
  }
  auto relay = std::make_shared<WakeRelay>();
  Result<dissem::FeedHub::Watch> watch = centre.WatchFeed(who, [relay] { relay->Fire(); });
  if (!watch.ok()) return Refuse(watch.status());
  EventStart start;
  start.head.status = 200;
  start.head.content_type = "text/event-stream; charset=utf-8";
  start.head.headers.emplace_back("Cache-Control", "no-cache");
  // Reverse proxies (nginx) must pass events on at once rather than buffer them.
  start.head.headers.emplace_back("X-Accel-Buffering", "no");
  start.source = std::make_unique<FeedEvents>(centre, who, cursor, options.heartbeat,
                                              std::move(relay), std::move(watch).value());
  return start;
}

}  // namespace

std::chrono::milliseconds FeedRouteOptions::DefaultFeedHeartbeat() {
  const char* text = std::getenv("MARKAZ_FEED_HEARTBEAT_MS");
  if (text != nullptr) {
    std::optional<std::int64_t> ms = ParseSeq(text);
    if (ms && *ms >= 10 && *ms <= 600000) return std::chrono::milliseconds(*ms);
    std::fprintf(stderr, "markaz: MARKAZ_FEED_HEARTBEAT_MS=\"%s\" ignored (10..600000)\n", text);
  }
  return std::chrono::seconds(15);
}

void AddFeedRoutes(RouteTable& table, centre::Centre& centre, FeedRouteOptions options) {
  table.Add("GET", "/v1/feed", true,
            [&centre](const Request& r, const centre::Identity* who, const PathParams&) {
              return Pull(centre, r, *who);
            });
  table.AddEvents("GET", "/v1/feed/stream", true,
                  [&centre, options](const Request& r, const centre::Identity* who,
                                     const PathParams&) {
                    return Stream(centre, options, r, *who);
                  });
}

}  // namespace markaz::http
