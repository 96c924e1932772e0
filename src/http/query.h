// The query string of a request target ("/v1/search?q=%D8%A7&limit=10").
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace markaz::http {

// The first value of parameter `name`, percent- and '+'-decoded; nullopt when absent.
// A malformed escape ("%G1", a trailing "%") is kept as written rather than guessed at.
std::optional<std::string> QueryParam(std::string_view target, std::string_view name);

// The primary language subtag of the first entry of an Accept-Language header, lower-cased
// ("ar-IQ, en;q=0.8" → "ar"); "" when the header is empty or "*".
std::string PreferredLanguage(std::string_view accept_language);

}  // namespace markaz::http
