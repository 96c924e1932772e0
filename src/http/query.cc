#include "http/query.h"

#include <cctype>
#include <chrono>
#include <string>

namespace markaz::http {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string Decode(std::string_view s, bool plus_is_space = true) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+' && plus_is_space) {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 && HexValue(s[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// Calls fn(raw key, raw value, has '=') for each non-empty pair of the query string of
// `target` (after '?', before '#'), in order, until fn returns true.
template <typename Fn>
void ForEachPair(std::string_view target, Fn fn) {
  const std::size_t q = target.find('?');
  if (q == std::string_view::npos) return;
  std::string_view rest = target.substr(q + 1);
  const std::size_t hash = rest.find('#');
  if (hash != std::string_view::npos) rest = rest.substr(0, hash);
  while (!rest.empty()) {
    const std::size_t amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (pair.empty()) continue;  // "?a=1&&b=2"
    const std::size_t eq = pair.find('=');
    const std::string_view value =
        eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    if (fn(pair.substr(0, eq), value)) return;
  }
}

bool IsDay(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

}  // namespace

core::Result<core::Time> ParseTimeBound(const std::string& name, const std::string& text,
                                        bool end) {
  core::Result<core::Time> t = IsDay(text) ? core::ParseRfc3339(text + "T00:00:00Z")
                                           : core::ParseRfc3339(text);
  if (!t.ok()) {
    return core::Status::InvalidArgument(
        "invalid_time", name + "=\"" + text + "\" is neither an RFC 3339 time nor a day (YYYY-MM-DD)");
  }
  if (!end) return *t;
  return IsDay(text) ? core::AddDays(*t, 1) : *t + std::chrono::milliseconds(1);
}

core::Result<std::size_t> ParseLimit(const std::string& text, std::size_t max) {
  const core::Status bad = core::Status::InvalidArgument(
      "bad_limit", "limit must be a whole number 1.." + std::to_string(max));
  if (text.empty() || text.size() > 6) return bad;
  std::size_t n = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return bad;
    n = n * 10 + static_cast<std::size_t>(c - '0');
  }
  if (n < 1 || n > max) return bad;
  return n;
}

std::string DecodePathSegment(std::string_view segment) {
  return Decode(segment, /*plus_is_space=*/false);
}

std::optional<std::string> QueryParam(std::string_view target, std::string_view name) {
  std::optional<std::string> found;
  ForEachPair(target, [&](std::string_view key, std::string_view value) {
    if (Decode(key) != name) return false;
    found = Decode(value);
    return true;
  });
  return found;
}

std::optional<std::string> UnknownQueryParam(std::string_view target,
                                             std::initializer_list<std::string_view> known) {
  std::optional<std::string> unknown;
  ForEachPair(target, [&](std::string_view key, std::string_view) {
    std::string name = Decode(key);
    for (std::string_view k : known) {
      if (k == name) return false;
    }
    unknown = std::move(name);
    return true;
  });
  return unknown;
}

std::string PreferredLanguage(std::string_view accept_language) {
  std::string out;
  for (char c : accept_language) {
    if (std::isalpha(static_cast<unsigned char>(c))) {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (c == ' ' && out.empty()) {
      continue;
    } else {
      break;
    }
  }
  return out;
}

}  // namespace markaz::http
