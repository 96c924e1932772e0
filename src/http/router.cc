#include "http/router.h"

#include <chrono>
#include <memory>
#include <string_view>
#include <utility>

#include "http/errors.h"
#include "http/json.h"
#include "http/report_routes.h"
#include "http/analysis_routes.h"
#include "http/feed_routes.h"
#include "http/product_routes.h"
#include "http/release_routes.h"
#include "http/subscription_routes.h"
#include "http/webhook_routes.h"
#include "http/search_routes.h"

namespace markaz::http {
namespace {

Response Json(std::string body, int status = 200) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

template <typename T, typename Encode>
Response JsonOr(const core::Result<T>& result, Encode encode) {
  if (!result.ok()) return ErrorResponse(result.status());
  return Json(encode(*result));
}

// "Bearer <token>" → token; the scheme is case-insensitive (RFC 7235).
std::string_view BearerToken(std::string_view authorization) {
  constexpr std::string_view kScheme = "bearer ";
  if (authorization.size() <= kScheme.size()) return {};
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    char c = authorization[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != kScheme[i]) return {};
  }
  std::string_view token = authorization.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  return token;
}

// "POST /v1/reports": how [limits.body] in markaz.toml names a route.
std::string RouteKey(const Route& route) { return route.method + " " + route.pattern; }

// "50/s (burst 100)".
std::string FormatRate(const RateLimit& limit) {
  auto number = [](double x) {
    std::string s = std::to_string(x);
    s.erase(s.find_last_not_of('0') + 1);
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
  };
  return number(limit.per_second) + " requests/s (burst " + number(limit.burst) + ")";
}

// 429 with Retry-After (RFC 6585 §4) and the usual JSON error body.
Response TooManyRequests(const std::string& reason, const std::string& message,
                         std::chrono::seconds retry_after) {
  Response r = ErrorResponse(core::Status(core::Code::kResourceExhausted, reason, message));
  r.headers.emplace_back("Retry-After", std::to_string(retry_after.count()));
  return r;
}

// A stream that keeps its org's concurrency slot until the server is done with it.
class SlotHoldingStream : public BodyStream {
 public:
  SlotHoldingStream(std::unique_ptr<BodyStream> inner, ConcurrencyLimiter::Slot slot)
      : slot_(std::move(slot)), inner_(std::move(inner)) {}
  void Write(std::string_view bytes, std::string& out) override { inner_->Write(bytes, out); }
  void Pause(std::string& out) override { inner_->Pause(out); }
  void Finish(std::string& out) override { inner_->Finish(out); }

 private:
  ConcurrencyLimiter::Slot slot_;  // declared first, destroyed last: it outlives the work
  std::unique_ptr<BodyStream> inner_;
};

}  // namespace

Router::Router(centre::Centre& centre, RouterOptions options)
    : centre_(centre),
      options_(std::move(options)),
      buckets_(options_.per_token),
      in_flight_(options_.concurrent_per_org) {
  table_.Add("GET", "/v1/health", /*needs_auth=*/false,
             [this](const Request&, const centre::Identity*, const PathParams&) {
               centre::HealthView health = centre_.Health();
               return Json(EncodeHealth(health), health.store_ok ? 200 : 503);
             });
  table_.Add("GET", "/v1/me", true,
             [this](const Request&, const centre::Identity* who, const PathParams&) {
               return JsonOr(centre_.Me(*who), EncodeMe);
             });
  table_.Add("GET", "/v1/charter", true,
             [this](const Request&, const centre::Identity* who, const PathParams&) {
               return JsonOr(centre_.GetCharter(*who), EncodeCharter);
             });
  AddReportRoutes(table_, centre_);
  AddSearchRoutes(table_, centre_);
  AddAnalysisRoutes(table_, centre_);
  AddFeedRoutes(table_, centre_);
  AddReleaseRoutes(table_, centre_);
  AddWebhookRoutes(table_, centre_);
  AddProductRoutes(table_, centre_);
  AddSubscriptionRoutes(table_, centre_);
}

Response Router::Handle(const Request& request) {
  RouteMatch match = table_.Match(request.method, PathOf(request.target));
  if (match.kind == RouteMatch::Kind::kNoRoute) {
    return ErrorResponse(core::Status::NotFound(
        "no_route", "no such endpoint: " + std::string(PathOf(request.target))));
  }
  if (match.kind == RouteMatch::Kind::kWrongMethod) {
    std::string allow;
    for (const auto& m : match.allowed) allow += (allow.empty() ? "" : ", ") + m;
    Response r = ErrorResponse(core::Status::InvalidArgument(
        "method_not_allowed", request.method + " is not allowed here; use " + allow));
    r.status = 405;
    r.headers.emplace_back("Allow", allow);
    return r;
  }
  std::optional<centre::Identity> who;
  std::optional<ConcurrencyLimiter::Slot> slot;  // the caller's, held until the answer is built
  if (match.route->needs_auth) {
    core::Result<centre::Identity> authenticated = Authenticate(request);
    if (!authenticated.ok()) return ErrorResponse(authenticated.status());
    who = std::move(authenticated).value();
    Admission admission = Admit(*who);
    if (admission.refusal) return std::move(*admission.refusal);
    if (admission.slot) slot.emplace(std::move(*admission.slot));
  }
  const centre::Identity* caller = who ? &*who : nullptr;
  if (match.route->handler) return match.route->handler(request, caller, match.params);
  if (match.route->event_handler) {
    // An event stream without a socket: what is ready now.
    EventStart start = match.route->event_handler(request, caller, match.params);
    if (!start.source) return std::move(start.head);
    Response r = std::move(start.head);
    r.body.clear();
    start.source->Watch([] {});
    start.source->Next(r.body);
    return r;
  }

  // A streaming route, given its whole body at once.
  StreamStart start = match.route->stream_handler(request, caller, match.params);
  if (!start.stream) return std::move(start.head);
  Response r = std::move(start.head);
  r.body.clear();
  start.stream->Write(request.body, r.body);
  start.stream->Finish(r.body);
  return r;
}

std::optional<StreamStart> Router::StartStream(const Request& head) {
  RouteMatch match = table_.Match(head.method, PathOf(head.target));
  if (match.kind != RouteMatch::Kind::kFound || !match.route->stream_handler) return std::nullopt;
  if (!match.route->needs_auth) return match.route->stream_handler(head, nullptr, match.params);
  core::Result<centre::Identity> who = Authenticate(head);
  if (!who.ok()) return StreamStart{ErrorResponse(who.status()), nullptr};
  Admission admission = Admit(*who);
  if (admission.refusal) return StreamStart{std::move(*admission.refusal), nullptr};
  StreamStart start = match.route->stream_handler(head, &*who, match.params);
  // A streamed request holds its org's slot for as long as its body is being read.
  if (start.stream && admission.slot && in_flight_.max_per_key() > 0) {
    start.stream = std::make_unique<SlotHoldingStream>(std::move(start.stream),
                                                       std::move(*admission.slot));
  }
  return start;
}

std::optional<EventStart> Router::StartEvents(const Request& request) {
  RouteMatch match = table_.Match(request.method, PathOf(request.target));
  if (match.kind != RouteMatch::Kind::kFound || !match.route->event_handler) return std::nullopt;
  if (!match.route->needs_auth) return match.route->event_handler(request, nullptr, match.params);
  core::Result<centre::Identity> who = Authenticate(request);
  if (!who.ok()) return EventStart{ErrorResponse(who.status()), nullptr};
  Admission admission = Admit(*who);
  if (admission.refusal) return EventStart{std::move(*admission.refusal), nullptr};
  // admission.slot is released when this returns: see router.h.
  return match.route->event_handler(request, &*who, match.params);
}

core::Status Router::CheckOptions() const {
  for (const auto& [key, bytes] : options_.body_limit_by_route) {
    bool found = false;
    for (const Route& route : table_.routes()) found = found || RouteKey(route) == key;
    if (!found) {
      return core::Status::InvalidArgument(
          "unknown_route", "limits.body: \"" + key + "\" is not a route (expected \"METHOD /path\" "
                           "as in docs/openapi.json, e.g. \"POST /v1/reports\")");
    }
  }
  return core::Status::Ok();
}

std::optional<std::size_t> Router::BodyLimit(const Request& head) const {
  if (options_.body_limit_by_route.empty()) return std::nullopt;
  RouteMatch match = table_.Match(head.method, PathOf(head.target));
  if (match.kind != RouteMatch::Kind::kFound) return std::nullopt;
  auto it = options_.body_limit_by_route.find(RouteKey(*match.route));
  if (it == options_.body_limit_by_route.end()) return std::nullopt;
  return it->second;
}

Router::Admission Router::Admit(const centre::Identity& who) {
  RateDecision rate = buckets_.Take(who.token_id, TokenBuckets::Clock::now());
  if (!rate.allowed) {
    return Admission{std::nullopt, TooManyRequests("rate_limited",
                                                   "this token is over its limit of " +
                                                       FormatRate(options_.per_token) +
                                                       "; retry after the time in Retry-After",
                                                   rate.retry_after)};
  }
  std::optional<ConcurrencyLimiter::Slot> slot = in_flight_.TryAcquire(who.org);
  if (!slot) {
    // 429 rather than 503: the server is fine, this caller's org is over its share.
    return Admission{std::nullopt,
                     TooManyRequests("concurrency_limited",
                                     "this organisation already has " +
                                         std::to_string(in_flight_.max_per_key()) +
                                         " requests in progress; retry when one has finished",
                                     std::chrono::seconds(1))};
  }
  return Admission{std::move(slot), std::nullopt};
}

core::Result<centre::Identity> Router::Authenticate(const Request& request) {
  std::string_view authorization = request.Header("authorization");
  if (authorization.empty()) {
    return core::Status::Unauthenticated(
        "missing_token", "this endpoint needs an Authorization: Bearer <token> header");
  }
  std::string_view token = BearerToken(authorization);
  if (token.empty()) {
    return core::Status::Unauthenticated("invalid_token",
                                         "the Authorization header must be \"Bearer <token>\"");
  }
  core::Result<centre::Identity> who = centre_.Authenticate(token);
  if (!who.ok()) return who;
  core::Status second_factor =
      CheckClientCertificate(options_.client_certs, request.client_cert_names, who->org);
  if (!second_factor.ok()) return second_factor;
  return who;
}

}  // namespace markaz::http
