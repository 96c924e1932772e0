// Subscriptions: saved searches of the calling user (issue 7 item 7; docs/subscriptions.md):
//   POST   /v1/subscriptions {"name","query"} → 201 the subscription
//   GET    /v1/subscriptions                 → {"subscriptions":[…]} the caller's own, oldest first
//   DELETE /v1/subscriptions/{id}            → 204; another user's is 404, as an unknown id
// A subscription as JSON: {"id","name","query","created_at"}. Its cursor is not shown: it is a
// store sequence, which counts other orgs' items.
#pragma once

#include "centre/centre.h"
#include "http/routes.h"

namespace markaz::http {

void AddSubscriptionRoutes(RouteTable& table, centre::Centre& centre);

}  // namespace markaz::http
