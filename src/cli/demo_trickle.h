// The demo's live traffic: while `markaz demo` serves, one synthetic report every `every`
// arrives through the HTTP API from the orgs in turn, so that a live feed
// (curl -N …/v1/feed/stream) shows entries arriving, as it would in a real centre.
//
// Thread-safety: Start() and Stop() from one thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace markaz::cli {

class DemoTrickle {
 public:
  // `tokens`: (org, token) of the orgs that submit, in turn.
  DemoTrickle(std::vector<std::pair<std::string, std::string>> tokens,
              std::chrono::milliseconds every)
      : tokens_(std::move(tokens)), every_(every) {}
  ~DemoTrickle() { Stop(); }
  DemoTrickle(const DemoTrickle&) = delete;
  DemoTrickle& operator=(const DemoTrickle&) = delete;

  // Starts posting to `url` ("http://host:port"); does nothing when there is no token or
  // `every` is zero.
  void Start(const std::string& url);
  void Stop();

 private:
  void Run(std::string url);

  std::vector<std::pair<std::string, std::string>> tokens_;
  std::chrono::milliseconds every_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // GUARDED_BY(mu_)
  std::thread thread_;
};

}  // namespace markaz::cli
