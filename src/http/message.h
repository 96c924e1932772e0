// Plain HTTP request/response values, free of Beast, so routing and handlers compile fast and
// are unit-testable without a socket. server.cc converts to and from Beast's types.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace markaz::http {

struct Request {
  std::string method;   // "GET", "POST", …
  std::string target;   // path + query as received: "/v1/search?q=x"
  // Header names lower-cased.
  std::map<std::string, std::string> headers;
  std::string body;

  // The header value or "" when absent. `name` must be lower case.
  std::string_view Header(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
  std::string body;
};

}  // namespace markaz::http
