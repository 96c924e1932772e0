#include "http/rate_limit.h"

#include <algorithm>
#include <cmath>

namespace markaz::http {

RateDecision TokenBuckets::Take(const std::string& key, Clock::time_point now) {
  if (!limit_.enabled()) return {};
  std::lock_guard<std::mutex> lock(mu_);
  auto [it, inserted] = buckets_.try_emplace(key, Bucket{limit_.burst, now});
  Bucket& b = it->second;
  if (!inserted && now > b.last) {
    const double elapsed = std::chrono::duration<double>(now - b.last).count();
    b.tokens = std::min(limit_.burst, b.tokens + elapsed * limit_.per_second);
    b.last = now;
  }
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return {};
  }
  // Time until the bucket refills to one token, rounded up: a client that waits that long is
  // served, one that comes back sooner is not.
  const double wait = (1.0 - b.tokens) / limit_.per_second;
  const auto seconds = static_cast<std::chrono::seconds::rep>(std::ceil(wait));
  return {false, std::chrono::seconds(std::max<std::chrono::seconds::rep>(1, seconds))};
}

ConcurrencyLimiter::Slot::~Slot() {
  if (owner_ != nullptr) owner_->Release(key_);
}

std::optional<ConcurrencyLimiter::Slot> ConcurrencyLimiter::TryAcquire(const std::string& key) {
  if (max_ <= 0) return Slot(nullptr, {});
  std::lock_guard<std::mutex> lock(mu_);
  int& n = in_flight_[key];
  if (n >= max_) return std::nullopt;  // n > 0 here: no zero entry is left behind
  ++n;
  return Slot(this, key);
}

void ConcurrencyLimiter::Release(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = in_flight_.find(key);
  if (it == in_flight_.end()) return;  // unreachable: a slot's key has an entry
  if (--it->second <= 0) in_flight_.erase(it);
}

int ConcurrencyLimiter::InFlightForTest(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = in_flight_.find(key);
  return it == in_flight_.end() ? 0 : it->second;
}

}  // namespace markaz::http
