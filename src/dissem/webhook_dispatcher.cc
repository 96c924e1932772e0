#include "dissem/webhook_dispatcher.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <vector>

#include "crypto/hash.h"
#include "dissem/feed.h"
#include "dissem/feed_reader.h"

namespace markaz::dissem {
namespace {

using std::chrono::milliseconds;

// A safety net, not the delivery path: every webhook re-reads its inbox this often even when
// no publish woke it, so an entry whose wake was missed (none should be) is late, never lost.
constexpr milliseconds kRecheck{5000};

bool IsSuccess(int status) { return status >= 200 && status <= 299; }

}  // namespace

milliseconds BackoffDelay(const DispatcherOptions& options, int failures, double unit_random) {
  const long long min = std::max<long long>(0, options.backoff_min.count());
  const long long max = std::max<long long>(min, options.backoff_max.count());
  long long cap = min;
  // Doubling stops at max; the loop bound keeps a long streak from overflowing.
  for (int i = 1; i < failures && cap < max; ++i) cap = std::min(max, std::max<long long>(1, cap) * 2);
  const double u = std::clamp(unit_random, 0.0, 1.0);
  return milliseconds(min + static_cast<long long>(u * static_cast<double>(cap - min)));
}

std::string SignatureHeader(const std::string& secret, const std::string& body) {
  return "sha256=" + crypto::ToHex(crypto::HmacSha256(secret, body));
}

// One webhook as the dispatcher serves it.
//
// Fields under "scheduling" are guarded by Impl::mu. Fields under "delivery state" belong to
// the thread that set `busy` (a webhook is served by one thread at a time, which is what keeps
// its deliveries in order); when no thread is busy with it, they are read or written under
// Impl::mu (load and Stop).
struct Hook {
  std::string id;
  std::string org;
  std::string url;
  std::string secret;

  // Scheduling, GUARDED_BY(Impl::mu).
  bool enabled = true;
  bool busy = false;
  bool pending = true;        // the inbox may hold entries past the cursor
  core::Time next_attempt{};  // no post before this (back-off)
  bool dirty = false;         // progress not saved yet
  core::Time save_due{};      // when unsaved progress must be saved at the latest

  // Checked between posts by the busy thread, so that a disable or delete stops the batch
  // after the post in flight.
  std::atomic<bool> stop{false};

  // Delivery state (see above).
  std::int64_t cursor = 0;
  std::optional<core::Time> failing_since;
  bool failing = false;
  std::string last_error;
  int failures = 0;              // failed tries of the entry after the cursor, in a row
  std::int64_t attempt_seq = 0;  // the seq `attempt` counts tries of
  int attempt = 0;
  std::vector<store::DeliveryRow> log;  // deliveries not saved yet, oldest first
  core::Time last_save{};
};

struct WebhookDispatcher::Impl {
  Impl(store::Store& s, FeedHub& h, WebhookSender& w, const core::Clock& c, DispatcherOptions o)
      : store(s), hub(h), sender(w), clock(c), options(o) {}

  store::Store& store;
  FeedHub& hub;
  WebhookSender& sender;
  const core::Clock& clock;
  const DispatcherOptions options;

  std::mutex mu;
  std::condition_variable cv;
  std::map<std::string, std::shared_ptr<Hook>> hooks;  // GUARDED_BY(mu), by id
  std::size_t next_pick = 0;                           // GUARDED_BY(mu): round robin
  core::Time next_recheck{};                           // GUARDED_BY(mu)
  bool started = false;                                // GUARDED_BY(mu)
  bool stopping = false;                               // GUARDED_BY(mu)
  bool reload_wanted = false;                          // GUARDED_BY(mu): a Reload() failed
  std::atomic<bool> stop_posting{false};
  std::vector<std::thread> threads;
  FeedHub::Watch watch;

  std::mutex random_mu;
  std::mt19937_64 random{std::random_device{}()};  // GUARDED_BY(random_mu)

  double UnitRandom() {
    std::lock_guard<std::mutex> lock(random_mu);
    return std::uniform_real_distribution<double>(0.0, 1.0)(random);
  }

  // Brings `hooks` in line with the store's webhooks. Called with mu held.
  void Apply(const std::vector<store::WebhookRow>& rows) {
    std::map<std::string, const store::WebhookRow*> by_id;
    for (const auto& row : rows) by_id[row.id] = &row;
    for (auto it = hooks.begin(); it != hooks.end();) {
      if (by_id.count(it->first) == 0) {
        // Deleted: its busy thread (if any) holds its own reference and stops after the post
        // in flight; its progress is not saved (the store has dropped it).
        it->second->stop = true;
        it = hooks.erase(it);
      } else {
        ++it;
      }
    }
    for (const auto& row : rows) {
      auto it = hooks.find(row.id);
      if (it != hooks.end()) {
        Hook& hook = *it->second;
        if (hook.enabled != row.enabled) {
          hook.enabled = row.enabled;
          hook.stop = !row.enabled;
          // Re-enabled: resume at once from the cursor (the back-off belonged to the old
          // streak); disabled: the scheduler saves its progress.
          if (row.enabled) {
            hook.pending = true;
            hook.next_attempt = core::Time{};
          }
        }
        continue;
      }
      // A webhook new to this dispatcher: its progress is the store's.
      auto hook = std::make_shared<Hook>();
      hook->id = row.id;
      hook->org = row.org;
      hook->url = row.url;
      hook->secret = row.secret;
      hook->enabled = row.enabled;
      hook->stop = !row.enabled;
      hook->cursor = row.cursor;
      hook->failing_since = row.failing_since;
      hook->failing = row.failing;
      hook->last_error = row.last_error;
      hooks.emplace(row.id, std::move(hook));
    }
    cv.notify_all();
  }

  // The next webhook with something to do now, or null; `wake_at` is lowered to the earliest
  // time one will have. Called with mu held.
  std::shared_ptr<Hook> PickReady(core::Time now, core::Time& wake_at) {
    if (hooks.empty()) return nullptr;
    std::vector<std::shared_ptr<Hook>> order;
    order.reserve(hooks.size());
    for (auto& [id, hook] : hooks) order.push_back(hook);
    const std::size_t n = order.size();
    for (std::size_t k = 0; k < n; ++k) {
      const std::size_t i = (next_pick + k) % n;
      Hook& hook = *order[i];
      if (hook.busy) continue;
      const bool deliver = hook.enabled && hook.pending;
      if (deliver && now >= hook.next_attempt) {
        next_pick = i + 1;
        return order[i];
      }
      // Unsaved progress: saved once due, at once for a webhook that stopped (disabled).
      const core::Time save_at = hook.enabled ? hook.save_due : now;
      if (hook.dirty && now >= save_at) {
        next_pick = i + 1;
        return order[i];
      }
      if (deliver) wake_at = std::min(wake_at, hook.next_attempt);
      if (hook.dirty) wake_at = std::min(wake_at, save_at);
    }
    return nullptr;
  }

  void Save(Hook& hook, core::Time now) {
    // The store keeps the newest kDeliveryLogSize rows: older unsaved ones would be dropped.
    if (hook.log.size() > static_cast<std::size_t>(store::Store::kDeliveryLogSize)) {
      hook.log.erase(hook.log.begin(),
                     hook.log.end() - store::Store::kDeliveryLogSize);
    }
    core::Status saved = store.SaveWebhookProgress(hook.id, hook.cursor, hook.failing_since,
                                                   hook.failing, hook.last_error, hook.log);
    hook.last_save = now;
    if (saved.ok()) hook.log.clear();
    std::lock_guard<std::mutex> lock(mu);
    // A store error keeps the webhook dirty: the next save (one interval on) tries again.
    hook.dirty = !saved.ok();
    hook.save_due = now + options.save_interval;
  }

  // Delivers entries after the cursor until the page ends, a post fails, or the webhook or
  // the dispatcher stops. Runs on the thread that holds hook.busy.
  void DeliverBatch(Hook& hook) {
    core::Result<std::vector<FeedItem>> items =
        ReadFeed(store, &hub, hook.org, hook.cursor, options.batch);
    if (!items.ok()) {
      // Our side failed, not the receiver: no delivery, no failing mark; try again later.
      std::lock_guard<std::mutex> lock(mu);
      hook.pending = true;
      hook.next_attempt = clock.Now() + options.backoff_min;
      return;
    }
    bool more = static_cast<int>(items->size()) >= options.batch;
    for (const FeedItem& item : *items) {
      if (hook.stop || stop_posting) {
        more = true;
        break;
      }
      if (!Post(hook, item)) {
        more = true;
        break;
      }
    }
    if (more) {
      std::lock_guard<std::mutex> lock(mu);
      hook.pending = true;
    }
  }

  // One delivery; true when acknowledged.
  bool Post(Hook& hook, const FeedItem& item) {
    WebhookPost post;
    post.url = hook.url;
    post.body = FeedItemJson(item);
    post.timeout = options.request_timeout;
    const std::string seq = std::to_string(item.seq);
    post.headers = {{"Content-Type", "application/json"},
                    {"X-Markaz-Signature", SignatureHeader(hook.secret, post.body)},
                    {"X-Markaz-Seq", seq},
                    {"X-Markaz-Webhook", hook.id},
                    {"Idempotency-Key", hook.id + ":" + seq}};
    if (hook.attempt_seq != item.seq) {
      hook.attempt_seq = item.seq;
      hook.attempt = 0;
    }
    ++hook.attempt;

    const auto sent_at = std::chrono::steady_clock::now();
    WebhookAnswer answer = sender.Post(post);
    const auto took = std::chrono::duration_cast<milliseconds>(
        std::chrono::steady_clock::now() - sent_at);
    const core::Time now = clock.Now();

    store::DeliveryRow row;
    row.webhook_id = hook.id;
    row.seq = item.seq;
    row.attempt = hook.attempt;
    row.at = now;
    row.status = answer.status;
    row.duration_ms = took.count();
    const bool ok = IsSuccess(answer.status);
    if (!ok) {
      row.error = !answer.error.empty() ? answer.error
                                        : "HTTP " + std::to_string(answer.status);
    }
    hook.log.push_back(row);

    if (ok) {
      hook.cursor = item.seq;
      hook.failures = 0;
      hook.failing_since.reset();
      hook.failing = false;
      hook.last_error.clear();
      bool save_now = false;
      {
        std::lock_guard<std::mutex> lock(mu);
        if (!hook.dirty) {
          hook.dirty = true;
          // The first unsaved progress after a quiet spell is saved one interval later at
          // the latest; under a steady stream that is once per interval.
          hook.save_due = std::max(now, hook.last_save + options.save_interval);
        }
        save_now = now >= hook.save_due;
      }
      if (save_now) Save(hook, now);
      return true;
    }

    ++hook.failures;
    hook.last_error = row.error;
    if (!hook.failing_since) hook.failing_since = now;
    if (now - *hook.failing_since >= options.failing_after) hook.failing = true;
    // A failing webhook is tried at the longest interval until it answers again.
    const milliseconds wait =
        hook.failing ? options.backoff_max : BackoffDelay(options, hook.failures, UnitRandom());
    {
      std::lock_guard<std::mutex> lock(mu);
      hook.next_attempt = now + wait;
      hook.pending = true;
      hook.dirty = true;
    }
    // A failure is saved at once: the org's admins see it (GET /v1/webhooks) while it lasts.
    Save(hook, now);
    return false;
  }

  void Serve(Hook& hook, bool deliver) {
    if (deliver) DeliverBatch(hook);
    const core::Time now = clock.Now();
    bool save = false;
    {
      std::lock_guard<std::mutex> lock(mu);
      save = hook.dirty && (now >= hook.save_due || !hook.enabled || stopping);
    }
    if (save && !IsDeleted(hook)) Save(hook, now);
  }

  // True when `hook` was deleted (no longer in `hooks`): nothing of it is saved.
  bool IsDeleted(const Hook& hook) {
    std::lock_guard<std::mutex> lock(mu);
    auto it = hooks.find(hook.id);
    return it == hooks.end() || it->second.get() != &hook;
  }

  void Run() {
    std::unique_lock<std::mutex> lock(mu);
    while (!stopping) {
      const core::Time now = clock.Now();
      if (now >= next_recheck) {
        for (auto& [id, hook] : hooks) hook->pending = true;
        next_recheck = now + kRecheck;
        if (reload_wanted) {
          reload_wanted = false;
          lock.unlock();
          core::Result<std::vector<store::WebhookRow>> rows = store.ListWebhooks("");
          lock.lock();
          if (rows.ok()) {
            Apply(*rows);
          } else {
            reload_wanted = true;
          }
          continue;
        }
      }
      core::Time wake_at = next_recheck;
      std::shared_ptr<Hook> hook = PickReady(now, wake_at);
      if (!hook) {
        const auto wait = std::clamp<milliseconds>(
            std::chrono::duration_cast<milliseconds>(wake_at - now), milliseconds(1), kRecheck);
        cv.wait_for(lock, wait);
        continue;
      }
      hook->busy = true;
      const bool deliver = hook->enabled && hook->pending && now >= hook->next_attempt;
      // Cleared before reading: a publish during the batch sets it again, so no wake is lost.
      if (deliver) hook->pending = false;
      lock.unlock();
      Serve(*hook, deliver);
      lock.lock();
      hook->busy = false;
      cv.notify_all();
    }
  }
};

WebhookDispatcher::WebhookDispatcher(store::Store& store, FeedHub& hub, WebhookSender& sender,
                                     const core::Clock& clock, DispatcherOptions options)
    : impl_(std::make_unique<Impl>(store, hub, sender, clock, options)) {}

WebhookDispatcher::~WebhookDispatcher() { Stop(); }

core::Status WebhookDispatcher::Start() {
  MARKAZ_ASSIGN_OR_RETURN(std::vector<store::WebhookRow> rows, impl_->store.ListWebhooks(""));
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    if (impl_->started) return core::Status::Ok();
    impl_->started = true;
    impl_->Apply(rows);
  }
  Impl* impl = impl_.get();
  impl_->watch = impl_->hub.WatchAll([impl](const std::string& org) {
    std::lock_guard<std::mutex> lock(impl->mu);
    bool woke = false;
    for (auto& [id, hook] : impl->hooks) {
      if (hook->org != org) continue;
      hook->pending = true;
      woke = true;
    }
    if (woke) impl->cv.notify_all();
  });
  const int threads = std::max(1, impl_->options.threads);
  for (int i = 0; i < threads; ++i) impl_->threads.emplace_back([impl] { impl->Run(); });
  return core::Status::Ok();
}

void WebhookDispatcher::Stop() {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    if (!impl_->started || impl_->stopping) return;
    impl_->stopping = true;
  }
  impl_->stop_posting = true;
  impl_->watch.reset();
  impl_->cv.notify_all();
  for (std::thread& t : impl_->threads) t.join();
  impl_->threads.clear();
  // No thread serves any webhook now: save what is left.
  std::vector<std::shared_ptr<Hook>> dirty;
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    for (auto& [id, hook] : impl_->hooks) {
      if (hook->dirty) dirty.push_back(hook);
    }
  }
  const core::Time now = impl_->clock.Now();
  for (auto& hook : dirty) impl_->Save(*hook, now);
}

void WebhookDispatcher::Reload() {
  core::Result<std::vector<store::WebhookRow>> rows = impl_->store.ListWebhooks("");
  std::lock_guard<std::mutex> lock(impl_->mu);
  if (!impl_->started || impl_->stopping) return;
  if (!rows.ok()) {
    // The webhooks keep running as they were; the next periodic recheck reads them again.
    impl_->reload_wanted = true;
    return;
  }
  impl_->Apply(*rows);
}

}  // namespace markaz::dissem
