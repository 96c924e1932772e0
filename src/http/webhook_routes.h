// Webhook administration (DESIGN.md §6, §9; issue 7), for the org's admins:
//   POST   /v1/webhooks {"url","secret"}          → 201 the webhook (never the secret)
//   GET    /v1/webhooks                           → {"webhooks":[…]}
//   GET    /v1/webhooks/{id}
//   PATCH  /v1/webhooks/{id} {"enabled":bool}
//   DELETE /v1/webhooks/{id}                      → 204
//   GET    /v1/webhooks/{id}/deliveries?limit=    → {"deliveries":[…]} newest first
#pragma once

#include "centre/centre.h"
#include "http/routes.h"

namespace markaz::http {

void AddWebhookRoutes(RouteTable& table, centre::Centre& centre);

}  // namespace markaz::http
