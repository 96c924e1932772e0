// Release widening and release requests (DESIGN.md §2 rule 2, §9; issue 7):
//   POST /v1/reports/{id}/release {"release_to":[…]}
//   POST /v1/reports/{id}/release-requests {"to":[…],"reason":"…"}
//   GET  /v1/release-requests/{id}
//   POST /v1/release-requests/{id}/approve {"note"?} | /deny {"note"?}
#pragma once

#include "centre/centre.h"
#include "http/routes.h"

namespace markaz::http {

void AddReleaseRoutes(RouteTable& table, centre::Centre& centre);

}  // namespace markaz::http
