// Routes /v1 requests to the centre's use cases and encodes their results as JSON.
// Authentication happens here, once, before any handler that needs an identity.
//
// Thread-safety: Handle() may be called concurrently; the Router holds no mutable state.
#pragma once

#include <optional>

#include "centre/centre.h"
#include "http/message.h"
#include "http/routes.h"

namespace markaz::http {

class Router {
 public:
  explicit Router(centre::Centre& centre);

  // Never throws for bad input: unknown paths are 404 JSON, wrong methods 405 JSON,
  // missing/bad tokens 401 JSON. Exceptions from below are caught by the server.
  // A request for a streaming route is answered too, its whole body fed to the stream at once
  // (for tests and callers without a socket; the server uses StartStream instead).
  Response Handle(const Request& request);

  // For the server, once the head of a request has been read (`head.body` is empty): when the
  // request is for a streaming route, authenticates it and starts the route's stream. A
  // refusal (401, or the handler's own, such as 403) comes back as a StreamStart without a
  // stream, before any of the body has been read. nullopt for every other request, including
  // unknown paths and wrong methods: read its body whole and call Handle(). Exceptions from
  // below are caught by the server.
  std::optional<StreamStart> StartStream(const Request& head);

  // Every route, for the check that docs/openapi.json documents each one.
  const std::vector<Route>& routes() const { return table_.routes(); }

  // Adds a route after construction, for tests of the server (a handler that throws or
  // blocks). Not thread-safe: call before serving.
  void AddRouteForTest(std::string method, std::string pattern, bool needs_auth, Handler handler) {
    table_.Add(std::move(method), std::move(pattern), needs_auth, std::move(handler));
  }
  void AddStreamingRouteForTest(std::string method, std::string pattern, bool needs_auth,
                                StreamHandler handler) {
    table_.AddStreaming(std::move(method), std::move(pattern), needs_auth, std::move(handler));
  }

 private:
  // The caller's identity from the request's bearer token, or the 401 answer.
  core::Result<centre::Identity> Authenticate(const Request& request);

  centre::Centre& centre_;
  RouteTable table_;
};

}  // namespace markaz::http
