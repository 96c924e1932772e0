// Per-caller limits of the HTTP API: a token bucket per bearer token (requests per second with a
// burst), and a cap on the requests an org has in flight at once. Both are keyed by the
// authenticated identity, so one token's burst never spends another token's or org's budget.
// Time is passed in (`now`), so the arithmetic is tested with an injected clock.
//
// Example:
//   TokenBuckets buckets(RateLimit{50, 100});
//   RateDecision d = buckets.Take(identity.token_id, std::chrono::steady_clock::now());
//   if (!d.allowed) → 429 with Retry-After: d.retry_after.count()
//
//   ConcurrencyLimiter in_flight(32);
//   std::optional<ConcurrencyLimiter::Slot> slot = in_flight.TryAcquire(identity.org);
//   if (!slot) → 429; otherwise the slot is given back when it is destroyed.
//
// Thread-safety: both classes are safe to use from many threads; each guards its map with its
// own mutex, held for a few hundred nanoseconds per request.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace markaz::http {

// `per_second` tokens are added to a bucket each second, up to `burst`; a request takes one.
// per_second <= 0 turns the limit off.
struct RateLimit {
  double per_second = 0;
  double burst = 1;
  bool enabled() const { return per_second > 0; }
};

struct RateDecision {
  bool allowed = true;
  // When refused: whole seconds until the bucket holds a token again (at least 1), the value
  // of Retry-After (RFC 9110 §10.2.3 allows only whole seconds).
  std::chrono::seconds retry_after{0};
};

class TokenBuckets {
 public:
  using Clock = std::chrono::steady_clock;

  explicit TokenBuckets(RateLimit limit) : limit_(limit) {}

  // Takes one token from `key`'s bucket at `now`. A new key starts with a full bucket. `now`
  // earlier than a bucket's last refill (another thread's later reading) adds nothing. Always
  // allowed when the limit is off.
  RateDecision Take(const std::string& key, Clock::time_point now);

  const RateLimit& limit() const { return limit_; }

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point last;
  };

  const RateLimit limit_;
  std::mutex mu_;
  // One entry per token ever seen: bounded by the tokens the centre has issued.
  std::unordered_map<std::string, Bucket> buckets_;  // guarded by mu_
};

class ConcurrencyLimiter {
 public:
  // At most `max_per_key` slots per key at once; 0 means no limit.
  explicit ConcurrencyLimiter(int max_per_key) : max_(max_per_key) {}

  // A held slot; gives it back when destroyed. Move-only.
  class Slot {
   public:
    Slot(Slot&& other) noexcept : owner_(other.owner_), key_(std::move(other.key_)) {
      other.owner_ = nullptr;
    }
    Slot& operator=(Slot&&) = delete;
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    ~Slot();

   private:
    friend class ConcurrencyLimiter;
    Slot(ConcurrencyLimiter* owner, std::string key) : owner_(owner), key_(std::move(key)) {}
    ConcurrencyLimiter* owner_;  // null: moved from, or the limit is off
    std::string key_;
  };

  // A slot for `key`, or nullopt when `key` already holds max_per_key of them. The limiter
  // must outlive its slots.
  std::optional<Slot> TryAcquire(const std::string& key);

  int InFlightForTest(const std::string& key);
  int max_per_key() const { return max_; }

 private:
  void Release(const std::string& key);

  const int max_;
  std::mutex mu_;
  std::unordered_map<std::string, int> in_flight_;  // guarded by mu_; no zero entries
};

}  // namespace markaz::http
