// The query string of a request target ("/v1/search?q=%D8%A7&limit=10").
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace markaz::http {

// The first value of parameter `name`, percent- and '+'-decoded; nullopt when absent.
// A malformed escape ("%G1", a trailing "%") is kept as written rather than guessed at.
std::optional<std::string> QueryParam(std::string_view target, std::string_view name);

// The first parameter of `target` whose (decoded) name is not in `known`; nullopt when all are
// known. Routes with query parameters refuse unknown ones (400 "unknown_parameter"), so that a
// misspelt filter ("?entitiy=") is not silently ignored.
std::optional<std::string> UnknownQueryParam(std::string_view target,
                                             std::initializer_list<std::string_view> known);

// The primary language subtag of the first entry of an Accept-Language header, lower-cased
// ("ar-IQ, en;q=0.8" → "ar"); "" when the header is empty or "*".
std::string PreferredLanguage(std::string_view accept_language);

}  // namespace markaz::http
