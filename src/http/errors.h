// The one place where a core::Status becomes an HTTP status and a JSON error body:
//   {"error":{"code":"<reason>","message":"<message>"}}   (DESIGN.md §9)
#pragma once

#include "core/status.h"
#include "http/message.h"

namespace markaz::http {

// 400, 401, 403, 404, 409, 413, 429, 503, 500 by code.
int HttpStatusFor(core::Code code);

// A JSON error response for a non-ok status. Internal errors keep their message out of the
// body (it may hold paths or SQL) and say "internal error" instead.
Response ErrorResponse(const core::Status& status);

}  // namespace markaz::http
