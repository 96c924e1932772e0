// Products (DESIGN.md §2 rule 4, §9; issue 7):
//   POST /v1/products {"title","body","lang"?,"cites":[ids],"tlp","release_to"} → 201
//   GET  /v1/products/{id}
#pragma once

#include "centre/centre.h"
#include "http/routes.h"

namespace markaz::http {

void AddProductRoutes(RouteTable& table, centre::Centre& centre);

}  // namespace markaz::http
