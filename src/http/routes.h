// The route table: {method, path pattern} → handler. Patterns are literal segments and
// "{name}" segments that match one non-empty path segment ("/v1/reports/{id}").
// Adding an endpoint is one Add() call in router.cc.
//
// Thread-safety: build once, then Match() concurrently.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "centre/centre.h"
#include "http/message.h"

namespace markaz::http {

using PathParams = std::map<std::string, std::string>;

// `who` is null for routes that need no authentication.
using Handler =
    std::function<Response(const Request&, const centre::Identity* who, const PathParams&)>;

struct Route {
  std::string method;
  std::string pattern;
  bool needs_auth = true;
  Handler handler;
};

struct RouteMatch {
  enum class Kind { kFound, kNoRoute, kWrongMethod };
  Kind kind = Kind::kNoRoute;
  const Route* route = nullptr;      // when kFound
  PathParams params;                 // when kFound
  std::vector<std::string> allowed;  // methods of the path, when kWrongMethod
};

class RouteTable {
 public:
  void Add(std::string method, std::string pattern, bool needs_auth, Handler handler);
  // `path` without the query string.
  RouteMatch Match(std::string_view method, std::string_view path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

// The path of a request target without its query string ("/v1/x?a=b" → "/v1/x").
std::string_view PathOf(std::string_view target);

}  // namespace markaz::http
