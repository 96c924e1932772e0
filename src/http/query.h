// The query string of a request target ("/v1/search?q=%D8%A7&limit=10").
#pragma once

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "core/time.h"

namespace markaz::http {

// The first value of parameter `name`, percent- and '+'-decoded; nullopt when absent.
// A malformed escape ("%G1", a trailing "%") is kept as written rather than guessed at.
std::optional<std::string> QueryParam(std::string_view target, std::string_view name);

// The first parameter of `target` whose (decoded) name is not in `known`; nullopt when all are
// known. Routes with query parameters refuse unknown ones (400 "unknown_parameter"), so that a
// misspelt filter ("?entitiy=") is not silently ignored.
std::optional<std::string> UnknownQueryParam(std::string_view target,
                                             std::initializer_list<std::string_view> known);

// A from/to bound: an RFC 3339 time, or a UTC day (YYYY-MM-DD). `end` makes it the exclusive
// end of an inclusive bound: the next day for a day, the next millisecond for a time.
// InvalidArgument "invalid_time" naming the parameter otherwise.
core::Result<core::Time> ParseTimeBound(const std::string& name, const std::string& text,
                                        bool end);

// A limit parameter: a whole number 1..max. InvalidArgument "bad_limit" otherwise.
core::Result<std::size_t> ParseLimit(const std::string& text, std::size_t max);

// A path segment percent-decoded ("country%3AIQ" → "country:IQ"); '+' stays '+'. Malformed
// escapes are kept as written.
std::string DecodePathSegment(std::string_view segment);

// The primary language subtag of the first entry of an Accept-Language header, lower-cased
// ("ar-IQ, en;q=0.8" → "ar"); "" when the header is empty or "*".
std::string PreferredLanguage(std::string_view accept_language);

}  // namespace markaz::http
