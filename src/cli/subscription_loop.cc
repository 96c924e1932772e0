#include "cli/subscription_loop.h"

#include <cstdio>
#include <string>

namespace markaz::cli {

core::Result<std::chrono::milliseconds> SubscriptionInterval(const char* env_value) {
  const std::string text = env_value == nullptr ? "" : env_value;
  if (text.empty()) return kDefaultSubscriptionInterval;
  long ms = 0;
  bool digits = text.size() <= 5;
  for (char ch : text) {
    digits = digits && ch >= '0' && ch <= '9';
    if (digits) ms = ms * 10 + (ch - '0');
  }
  if (!digits || ms < 10 || ms > 60000) {
    return core::Status::InvalidArgument("config_env",
                                         "MARKAZ_SUBSCRIPTION_INTERVAL_MS: \"" + text +
                                             "\" is not a number of milliseconds (10..60000)");
  }
  return std::chrono::milliseconds(ms);
}

SubscriptionLoop::SubscriptionLoop(centre::Centre& centre, std::chrono::milliseconds interval)
    : centre_(centre), interval_(interval) {}

SubscriptionLoop::~SubscriptionLoop() { Stop(); }

void SubscriptionLoop::Start() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = false;
  }
  thread_ = std::thread([this] { Run(); });
}

void SubscriptionLoop::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void SubscriptionLoop::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!cv_.wait_for(lock, interval_, [this] { return stopping_; })) {
    lock.unlock();
    core::Result<std::size_t> raised = centre_.MatchSubscriptions();
    // A failed round changed nothing (its alerts and cursors commit together): the next round
    // tries again from the same cursors.
    if (!raised.ok()) {
      std::fprintf(stderr, "markaz: subscriptions: %s\n", raised.status().ToString().c_str());
    }
    lock.lock();
  }
}

}  // namespace markaz::cli
