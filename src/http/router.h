// Routes /v1 requests to the centre's use cases and encodes their results as JSON.
// Authentication happens here, once, before any handler that needs an identity.
//
// Thread-safety: Handle() may be called concurrently; the Router holds no mutable state.
#pragma once

#include "centre/centre.h"
#include "http/message.h"
#include "http/routes.h"

namespace markaz::http {

class Router {
 public:
  explicit Router(centre::Centre& centre);

  // Never throws for bad input: unknown paths are 404 JSON, wrong methods 405 JSON,
  // missing/bad tokens 401 JSON. Exceptions from below are caught by the server.
  Response Handle(const Request& request);

  // Every route, for the check that docs/openapi.json documents each one.
  const std::vector<Route>& routes() const { return table_.routes(); }

  // Adds a route after construction, for tests of the server (a handler that throws or
  // blocks). Not thread-safe: call before serving.
  void AddRouteForTest(std::string method, std::string pattern, bool needs_auth, Handler handler) {
    table_.Add(std::move(method), std::move(pattern), needs_auth, std::move(handler));
  }

 private:
  centre::Centre& centre_;
  RouteTable table_;
};

}  // namespace markaz::http
