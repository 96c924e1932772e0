// The webhook dispatcher's HTTP client (dissem/webhook_sender.h) over Boost.Beast: HTTP/1.1
// POSTs to http:// and https:// receivers (certificates verified against the system store),
// keeping one connection alive per receiver and thread so that a steady stream of deliveries
// does not pay a connect (and TLS handshake) each.
//
// Thread-safety: Post() may be called from several threads at once.
#pragma once

#include <memory>

#include "dissem/webhook_sender.h"

namespace markaz::http {

class WebhookClient : public dissem::WebhookSender {
 public:
  WebhookClient();
  ~WebhookClient() override;
  dissem::WebhookAnswer Post(const dissem::WebhookPost& post) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace markaz::http
