// The injectable clock: every "now" in markaz comes from a Clock, so tests control time.
#pragma once

#include <atomic>

#include "core/time.h"

namespace markaz::core {

// Thread-safe: Now() may be called from any thread.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Time Now() const = 0;
};

// The wall clock.
class SystemClock final : public Clock {
 public:
  Time Now() const override;
};

// A clock that only moves when told to; for tests. Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Time start) : now_(start.time_since_epoch().count()) {}
  Time Now() const override { return Time(std::chrono::milliseconds(now_.load())); }
  void Set(Time t) { now_.store(t.time_since_epoch().count()); }
  void Advance(std::chrono::milliseconds d) { now_.fetch_add(d.count()); }

 private:
  std::atomic<long long> now_;
};

}  // namespace markaz::core
