// How the webhook dispatcher reaches a receiver: one HTTP POST. An interface so that dissem/
// stays free of the HTTP library (Beast lives in src/http: http/webhook_client.h implements
// this) and so that tests can stand in a fake.
//
// Thread-safety: Post() may be called from several dispatcher threads at once.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace markaz::dissem {

struct WebhookPost {
  std::string url;  // http:// or https://
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds timeout{10000};  // connect + send + answer
};

struct WebhookAnswer {
  int status = 0;     // HTTP status; 0 when no answer came
  std::string error;  // why there was no answer ("connect: Connection refused", "timeout"); ""
                      // when status is set
};

class WebhookSender {
 public:
  virtual ~WebhookSender() = default;
  virtual WebhookAnswer Post(const WebhookPost& post) = 0;
};

}  // namespace markaz::dissem
