// The server's subscription loop: a thread that matches every subscription against what was
// indexed since its last round (Centre::MatchSubscriptions) every `interval`, so an alert
// follows its item within about interval + the index's flush interval (docs/subscriptions.md).
//
// Example:
//   SubscriptionLoop loop(centre, std::chrono::milliseconds(500));
//   loop.Start();
//   …serve…
//   loop.Stop();  // returns once the round in progress (if any) has committed
//
// Thread-safety: Start() and Stop() from one thread; the loop thread is the only caller of
// MatchSubscriptions (which must not run concurrently with itself).
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "centre/centre.h"
#include "core/status.h"

namespace markaz::cli {

inline constexpr std::chrono::milliseconds kDefaultSubscriptionInterval{500};

// The round interval from MARKAZ_SUBSCRIPTION_INTERVAL_MS's value (null or empty: the
// default). InvalidArgument "config_env" unless it is a whole number of ms in 10..60000.
core::Result<std::chrono::milliseconds> SubscriptionInterval(const char* env_value);

class SubscriptionLoop {
 public:
  // `centre` must outlive the loop.
  SubscriptionLoop(centre::Centre& centre, std::chrono::milliseconds interval);
  ~SubscriptionLoop();  // stops the thread
  SubscriptionLoop(const SubscriptionLoop&) = delete;
  SubscriptionLoop& operator=(const SubscriptionLoop&) = delete;

  void Start();
  // Wakes the thread and joins it: prompt, since the wait between rounds is interruptible.
  void Stop();

 private:
  void Run();

  centre::Centre& centre_;
  const std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // GUARDED_BY(mu_)
  std::thread thread_;
};

}  // namespace markaz::cli
