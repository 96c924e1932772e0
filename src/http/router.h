// Routes /v1 requests to the centre's use cases and encodes their results as JSON.
// Authentication happens here, once, before any handler that needs an identity.
//
// Thread-safety: Handle() may be called concurrently; the Router's only mutable state is its
// limiters (rate_limit.h), which lock their own maps.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>

#include "centre/centre.h"
#include "http/message.h"
#include "http/rate_limit.h"
#include "http/routes.h"
#include "http/tls.h"

namespace markaz::http {

// The operator's limits (markaz.toml [limits], [tls.client_orgs]); the defaults limit nothing.
// Checked after authentication, so they apply to routes that need a token only: health and
// other open routes are never limited.
struct RouterOptions {
  RateLimit per_token;         // requests per second and burst, per bearer token
  int concurrent_per_org = 0;  // requests in flight at once per org; 0 = no limit
  // "METHOD /pattern" (as the route was added) → largest request body; routes not listed get
  // the server's default. Streaming routes read their body in pieces and ignore it.
  std::map<std::string, std::size_t> body_limit_by_route;
  ClientCertPolicy client_certs;  // the client certificate as a second factor (tls.h)
};

class Router {
 public:
  explicit Router(centre::Centre& centre, RouterOptions options = {});

  // InvalidArgument "unknown_route" when a key of options.body_limit_by_route names no route
  // (a typo in the configuration would otherwise leave that route at the default).
  core::Status CheckOptions() const;

  // The largest body the route of `head` accepts, or nullopt for the server's default.
  std::optional<std::size_t> BodyLimit(const Request& head) const;

  // Never throws for bad input: unknown paths are 404 JSON, wrong methods 405 JSON,
  // missing/bad tokens (or a client certificate of another org) 401 JSON, a caller over its
  // rate or concurrency limit 429 JSON with Retry-After. Exceptions from below are caught by
  // the server.
  // A request for a streaming route is answered too, its whole body fed to the stream at once,
  // and one for an event stream with the events ready now (one Next()) as its body (for tests
  // and callers without a socket; the server uses StartStream and StartEvents instead).
  Response Handle(const Request& request);

  // For the server, once the head of a request has been read (`head.body` is empty): when the
  // request is for a streaming route, authenticates it and starts the route's stream. A
  // refusal (401, or the handler's own, such as 403) comes back as a StreamStart without a
  // stream, before any of the body has been read. nullopt for every other request, including
  // unknown paths and wrong methods: read its body whole and call Handle(). Exceptions from
  // below are caught by the server.
  std::optional<StreamStart> StartStream(const Request& head);

  // For the server, once a request has been read: when it is for an event-stream route
  // (routes.h, GET /v1/feed/stream), authenticates it, applies the caller's rate limit and
  // concurrency limit, and starts the route's source; a refusal (401, 429, the handler's 400)
  // comes back as an EventStart without a source. nullopt for every other request.
  //
  // The concurrency slot is held only while the handler decides, not for the life of the
  // stream: a stream is idle almost all the time, and an org whose dashboards keep a few
  // streams open must not find its requests refused for as long as they stay open. The rate
  // limit still counts each (re)connection, which bounds a reconnecting client.
  std::optional<EventStart> StartEvents(const Request& request);

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
  // The caller's identity from the request's bearer token, checked against the client
  // certificate of its connection (tls.h), or the 401 answer.
  core::Result<centre::Identity> Authenticate(const Request& request);

  // The per-caller limits for an authenticated request: a slot to hold while it is served
  // (empty when there is no concurrency limit), or the 429 answer with Retry-After.
  struct Admission {
    std::optional<ConcurrencyLimiter::Slot> slot;
    std::optional<Response> refusal;
  };
  Admission Admit(const centre::Identity& who);

  centre::Centre& centre_;
  const RouterOptions options_;
  TokenBuckets buckets_;
  ConcurrencyLimiter in_flight_;
  RouteTable table_;
};

}  // namespace markaz::http
