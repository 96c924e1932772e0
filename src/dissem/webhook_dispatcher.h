// Webhook delivery (DESIGN.md §6, issue 7): every entry of an org's inbox is POSTed to each of
// the org's enabled webhooks, at least once, in seq order per webhook.
//
// Per delivery: body = dissem::FeedItemJson(item); headers
//   Content-Type: application/json
//   X-Markaz-Signature: sha256=<hex HMAC-SHA256 of the body under the webhook's secret>
//   X-Markaz-Seq: <inbox seq>
//   X-Markaz-Webhook: <webhook id>
//   Idempotency-Key: <webhook id>:<seq>   (the same on every retry of that entry)
// A 2xx answer acknowledges the entry; anything else (or no answer) is retried with
// exponential back-off with full jitter between backoff_min and backoff_max, and the webhook
// does not move past that entry (order). After `failing_after` of uninterrupted failure the
// webhook is marked failing (its admins see it, with the last error, in GET /v1/webhooks); it
// keeps being retried at backoff_max, and the first success clears the mark.
//
// The cursor (last acknowledged seq), the failure state and the delivery log are saved through
// Store::SaveWebhookProgress at most every save_interval and whenever a webhook stops or
// fails: after a crash the entries acknowledged since the last save are delivered again
// (at-least-once; receivers dedupe on Idempotency-Key). A new webhook starts at its org's
// inbox head (it receives what arrives after its creation).
//
// Thread-safety: all public methods may be called from any thread.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "core/clock.h"
#include "dissem/feed_hub.h"
#include "dissem/webhook_sender.h"
#include "store/store.h"

namespace markaz::dissem {

struct DispatcherOptions {
  std::chrono::milliseconds backoff_min{1000};
  std::chrono::milliseconds backoff_max{300000};
  std::chrono::milliseconds failing_after{3600000};
  std::chrono::milliseconds request_timeout{10000};
  std::chrono::milliseconds save_interval{500};
  int threads = 2;           // webhooks delivered at once
  int batch = 256;           // entries read from the feed at a time per webhook
};

// The wait before the next try after `failures` (≥ 1) failures in a row of one entry:
// exponential back-off with full jitter, bounded by the options:
//   cap = min(backoff_max, backoff_min * 2^(failures-1)); wait = backoff_min + u * (cap - backoff_min)
// with `unit_random` = u in [0, 1). The spread keeps many webhooks that failed together (one
// receiver down) from retrying in lockstep.
std::chrono::milliseconds BackoffDelay(const DispatcherOptions& options, int failures,
                                       double unit_random);

// The X-Markaz-Signature value of a delivery: "sha256=" + lower-case hex HMAC-SHA256 of `body`
// under `secret` (docs/webhooks.md shows how a receiver checks it).
std::string SignatureHeader(const std::string& secret, const std::string& body);

class WebhookDispatcher {
 public:
  // `store`, `hub`, `sender` and `clock` must outlive the dispatcher.
  WebhookDispatcher(store::Store& store, FeedHub& hub, WebhookSender& sender,
                    const core::Clock& clock, DispatcherOptions options = {});
  ~WebhookDispatcher();  // Stop()s
  WebhookDispatcher(const WebhookDispatcher&) = delete;
  WebhookDispatcher& operator=(const WebhookDispatcher&) = delete;

  // Loads the webhooks from the store and starts delivering.
  core::Status Start();
  // Saves every webhook's progress and stops; in-flight posts are finished first.
  void Stop();
  // Re-reads the webhooks from the store: call after one is created, enabled, disabled or
  // deleted. Deliveries to a removed or disabled webhook stop after the post in flight.
  void Reload();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace markaz::dissem
