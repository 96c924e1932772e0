#include "http/routes.h"

namespace markaz::http {
namespace {

// Takes the next segment of an absolute path: "/a/b" → "a", leaving "/b". Returns false at
// the end. A trailing slash yields a final empty segment, so "/v1/me/" does not match "/v1/me".
bool NextSegment(std::string_view& rest, std::string_view& segment) {
  if (rest.empty() || rest.front() != '/') return false;
  rest.remove_prefix(1);
  std::size_t slash = rest.find('/');
  segment = rest.substr(0, slash);
  rest.remove_prefix(slash == std::string_view::npos ? rest.size() : slash);
  return true;
}

// Walks pattern and path segment by segment, without allocating unless a "{name}" segment
// matches (routing runs on every request).
bool MatchPattern(std::string_view pattern, std::string_view path, PathParams* params) {
  if (path.empty() || path.front() != '/') return false;
  PathParams found;
  std::string_view want, have;
  for (;;) {
    const bool more_want = NextSegment(pattern, want);
    const bool more_have = NextSegment(path, have);
    if (!more_want || !more_have) {
      if (more_want != more_have) return false;
      break;
    }
    if (want.size() > 2 && want.front() == '{' && want.back() == '}') {
      if (have.empty()) return false;
      found.emplace(std::string(want.substr(1, want.size() - 2)), std::string(have));
    } else if (want != have) {
      return false;
    }
  }
  *params = std::move(found);
  return true;
}

}  // namespace

void RouteTable::Add(std::string method, std::string pattern, bool needs_auth, Handler handler) {
  routes_.push_back(Route{std::move(method), std::move(pattern), needs_auth, std::move(handler),
                          nullptr, nullptr});
}

void RouteTable::AddStreaming(std::string method, std::string pattern, bool needs_auth,
                              StreamHandler handler) {
  routes_.push_back(Route{std::move(method), std::move(pattern), needs_auth, nullptr,
                          std::move(handler), nullptr});
}

void RouteTable::AddEvents(std::string method, std::string pattern, bool needs_auth,
                           EventHandler handler) {
  routes_.push_back(Route{std::move(method), std::move(pattern), needs_auth, nullptr, nullptr,
                          std::move(handler)});
}

RouteMatch RouteTable::Match(std::string_view method, std::string_view path) const {
  RouteMatch match;
  for (const Route& route : routes_) {
    PathParams params;
    if (!MatchPattern(route.pattern, path, &params)) continue;
    if (route.method == method) {
      match.kind = RouteMatch::Kind::kFound;
      match.route = &route;
      match.params = std::move(params);
      match.allowed.clear();
      return match;
    }
    match.kind = RouteMatch::Kind::kWrongMethod;
    match.allowed.push_back(route.method);
  }
  return match;
}

std::string_view PathOf(std::string_view target) { return target.substr(0, target.find('?')); }

}  // namespace markaz::http
