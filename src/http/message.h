// Plain HTTP request/response values, free of Beast, so routing and handlers compile fast and
// are unit-testable without a socket. server.cc converts to and from Beast's types.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace markaz::http {

struct Request {
  std::string method;  // "GET", "POST", …
  std::string target;  // path + query as received: "/v1/search?q=x"
  // Header names lower-cased.
  std::map<std::string, std::string> headers;
  std::string body;
  // Set by the server on a TLS connection whose client presented a certificate that verified
  // against the configured client CA: its subject CN and DNS/e-mail SANs (http/tls.h). Empty
  // otherwise. Never taken from a header, so a client cannot claim it.
  std::vector<std::string> client_cert_names;

  // The header value or "" when absent. `name` must be lower case.
  std::string_view Header(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
  std::string body;
};

// Splits a streamed body into lines (NDJSON). A line ends at '\n', and a '\r' before it is
// dropped; the last line needs no '\n'. At most `max_line` bytes of one line are ever held: a
// longer line is reported as too long, without its text, and skipped up to its '\n'. So the
// memory held is bounded by `max_line` whatever the size of the body.
//
// Example:
//   LineSplitter lines(4 << 20);
//   lines.Feed(piece, [&](std::string_view text, bool too_long) { ... });  // for each piece
//   lines.Finish([&](std::string_view text, bool too_long) { ... });       // at the end
//
// Not thread-safe; one per body.
class LineSplitter {
 public:
  // Called for each line in order with its text (without the '\n' and '\r'), or with an empty
  // text and too_long = true for a line longer than max_line.
  using OnLine = std::function<void(std::string_view text, bool too_long)>;

  explicit LineSplitter(std::size_t max_line) : max_line_(max_line) {}

  // The next bytes of the body, split anywhere.
  void Feed(std::string_view bytes, const OnLine& on_line);
  // The end of the body: reports the last line when it had no '\n'.
  void Finish(const OnLine& on_line);

 private:
  std::size_t max_line_;
  std::string partial_;    // the start of the current line, while it fits in max_line_
  bool too_long_ = false;  // the current line outgrew max_line_ and is being skipped
};

}  // namespace markaz::http
