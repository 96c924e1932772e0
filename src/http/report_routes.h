// The /v1/reports endpoints: submit one, submit many (NDJSON), read one.
#pragma once

#include "centre/centre.h"
#include "http/routes.h"

namespace markaz::http {

// POST /v1/reports, POST /v1/reports:bulk, GET /v1/reports/{id}.
void AddReportRoutes(RouteTable& table, centre::Centre& centre);

}  // namespace markaz::http
