// GET /v1/search (DESIGN.md §9, docs/search.md): query-string parameters into
// centre::SearchParams, and the centre's SearchView into JSON.
#pragma once

#include <string>

#include "centre/centre.h"
#include "core/status.h"
#include "http/message.h"
#include "http/routes.h"

namespace markaz::http {

void AddSearchRoutes(RouteTable& table, centre::Centre& centre);

// The parameters of a GET /v1/search request target. InvalidArgument for an unknown parameter
// ("unknown_parameter"), a bad limit ("bad_limit"), a bad from/to ("invalid_time") or facet
// list ("bad_facets"). from/to take RFC 3339 times or UTC days (YYYY-MM-DD) and are inclusive:
// to=2015-10-31 includes that whole day. The Accept-Language header picks the language of
// entity names (English when absent).
core::Result<centre::SearchParams> ParseSearchParams(const Request& request);

// The JSON answer: {"total","hits":[…],"facets":{…},"entity_names":{…},"next_cursor"}.
std::string EncodeSearch(const centre::SearchView& view);

}  // namespace markaz::http
