// The HTTP server: Boost.Beast/Asio with C++20 coroutines on a small thread pool. Beast lives
// in server.cc only (one TU takes ~40 s to compile; STACK.md).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/status.h"
#include "http/router.h"
#include "http/tls.h"

namespace markaz::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;  // 0 picks a free port
  int threads = 2;
  // When set, the server speaks HTTPS only (tls.h): a client that does not complete a TLS
  // handshake within header_timeout is disconnected. Plain HTTP otherwise.
  std::optional<TlsOptions> tls;
  // Larger bodies get 413, unless the route has its own limit (Router::BodyLimit). A streaming
  // route's body (routes.h) is read piece by piece and has no limit.
  std::size_t max_body_bytes = 16 * 1024 * 1024;
  std::chrono::seconds header_timeout{10};  // time to receive the request head
  // Time to receive the body (a streamed body: each piece of it), and for the client to take
  // the response (each piece of a streamed one).
  std::chrono::seconds body_timeout{60};
  std::chrono::seconds idle_timeout{60};    // keep-alive connection idle limit
  std::chrono::seconds shutdown_grace{10};  // in-flight requests get this long to finish
};

class Server {
 public:
  Server(Router& router, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Loads the TLS certificate and key (when options.tls), binds and listens. On success the
  // bound port is port() (useful with port 0). InvalidArgument "tls_config" naming the file
  // when TLS cannot be set up; Unavailable "listen_failed" naming the address when binding
  // fails.
  core::Status Listen();
  unsigned short port() const;

  // Serves until Stop() or SIGINT/SIGTERM (when handle_signals), then stops accepting, lets
  // in-flight requests finish (up to shutdown_grace) and returns.
  core::Status Run(bool handle_signals);

  // Thread-safe; may be called from any thread or a signal-free context.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace markaz::http
