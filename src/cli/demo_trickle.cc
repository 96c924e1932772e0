#include "cli/demo_trickle.h"

#include <curl/curl.h>

#include <cstdio>

#include "synth/generator.h"

namespace markaz::cli {
namespace {

std::size_t Discard(char*, std::size_t size, std::size_t n, void*) { return size * n; }

// POSTs one report; the HTTP status, 0 when the server could not be reached.
long PostReport(CURL* curl, const std::string& url, const std::string& token,
                const std::string& body) {
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, ("Authorization: Bearer " + token).c_str());
  headers = curl_slist_append(headers, "Content-Type: application/json");
  curl_easy_setopt(curl, CURLOPT_URL, (url + "/v1/reports").c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Discard);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 10L);
  long status = 0;
  if (curl_easy_perform(curl) == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  return status;
}

}  // namespace

void DemoTrickle::Start(const std::string& url) {
  if (tokens_.empty() || every_.count() <= 0 || thread_.joinable()) return;
  thread_ = std::thread([this, url] { Run(url); });
}

void DemoTrickle::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void DemoTrickle::Run(std::string url) {
  synth::GenOptions options;
  options.seed = 2026;  // not the loaded reports' seed: new stories as well as follow-ups
  options.count = 1000000;
  auto gen = synth::Generator::Create(options);
  if (!gen.ok()) return;
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return;
  std::string line;
  synth::GroundTruth truth;
  for (std::size_t i = 0;; ++i) {
    {
      std::unique_lock lock(mu_);
      if (cv_.wait_for(lock, every_, [this] { return stopping_; })) break;
    }
    if (!gen->Next(&line, &truth)) break;
    const auto& [org, token] = tokens_[i % tokens_.size()];
    const long status = PostReport(curl, url, token, line);
    if (status != 201) {
      std::fprintf(stderr, "markaz demo: live report from %s answered %ld\n", org.c_str(), status);
    }
  }
  curl_easy_cleanup(curl);
}

}  // namespace markaz::cli
