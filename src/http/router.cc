#include "http/router.h"

#include "http/errors.h"
#include "http/json.h"
#include "http/report_routes.h"
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

}  // namespace

Router::Router(centre::Centre& centre) : centre_(centre) {
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
  if (match.route->needs_auth) {
    core::Result<centre::Identity> authenticated = Authenticate(request);
    if (!authenticated.ok()) return ErrorResponse(authenticated.status());
    who = std::move(authenticated).value();
  }
  const centre::Identity* caller = who ? &*who : nullptr;
  if (match.route->handler) return match.route->handler(request, caller, match.params);

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
  return match.route->stream_handler(head, &*who, match.params);
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
  return centre_.Authenticate(token);
}

}  // namespace markaz::http
