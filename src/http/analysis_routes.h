// The analysis endpoints (DESIGN.md §9, issue 6; docs/analytics.md): GET /v1/stories,
// /v1/stories/{id}, /v1/entities?q=, /v1/entities/{id}, /v1/entities/{id}/timeline,
// /v1/entities/{id}/graph, /v1/trends. Query parameters into centre calls, views into JSON;
// unknown parameters are refused. Entity names follow the Accept-Language header (English
// when absent).
#pragma once

#include <chrono>
#include <string>

#include "centre/centre.h"
#include "core/status.h"
#include "http/routes.h"

namespace markaz::http {

void AddAnalysisRoutes(RouteTable& table, centre::Centre& centre);

// "24h", "90m", "7d", "1w" → a duration. InvalidArgument "bad_window" otherwise.
core::Result<std::chrono::milliseconds> ParseWindow(const std::string& text);

}  // namespace markaz::http
