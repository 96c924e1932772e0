// The /v1/reports endpoints: submit one, submit many (NDJSON), read one.
#pragma once

#include "centre/centre.h"
#include "http/report_codec.h"
#include "http/routes.h"

namespace markaz::http {

// POST /v1/reports, POST /v1/reports:bulk, GET /v1/reports/{id}.
void AddReportRoutes(RouteTable& table, centre::Centre& centre);

// Names entities in the reader's language: ?lang=, else Accept-Language, else the item's own.
// For every answer that shows a stored item (reports, products).
EntityNamer NamerFor(const centre::Centre& centre, const Request& request,
                     const store::ReportRow& row);

}  // namespace markaz::http
