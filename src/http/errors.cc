#include "http/errors.h"

#include <nlohmann/json.hpp>

namespace markaz::http {

int HttpStatusFor(core::Code code) {
  switch (code) {
    case core::Code::kOk: return 200;
    case core::Code::kInvalidArgument: return 400;
    case core::Code::kUnauthenticated: return 401;
    case core::Code::kPermissionDenied: return 403;
    case core::Code::kNotFound: return 404;
    case core::Code::kConflict: return 409;
    case core::Code::kTooLarge: return 413;
    case core::Code::kResourceExhausted: return 429;
    case core::Code::kUnavailable: return 503;
    case core::Code::kInternal: return 500;
  }
  return 500;  // unreachable: the switch covers the enum
}

Response ErrorResponse(const core::Status& status) {
  Response response;
  response.status = HttpStatusFor(status.code());
  // An internal error's message may name files or SQL: it goes to the log, not to the client.
  const bool internal = status.code() == core::Code::kInternal;
  nlohmann::json body = {
      {"error",
       {{"code", internal ? std::string("internal") : status.reason()},
        {"message", internal ? std::string("internal error") : status.message()}}}};
  // Messages may echo client bytes (a path, an id) that are not UTF-8: replace them rather than
  // fail while reporting an error.
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (status.code() == core::Code::kUnauthenticated) {
    response.headers.emplace_back("WWW-Authenticate", "Bearer");
  }
  return response;
}

}  // namespace markaz::http
