#include "http/subscription_routes.h"

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "http/errors.h"
#include "http/query.h"

namespace markaz::http {
namespace {

using core::Result;
using core::Status;
using nlohmann::ordered_json;

Response Json(const ordered_json& j, int status) {
  Response r;
  r.status = status;
  r.body = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

Status RefuseQuery(const Request& r) {
  if (auto u = UnknownQueryParam(r.target, {})) {
    return Status::InvalidArgument("unknown_parameter", "unknown query parameter \"" + *u + "\"");
  }
  return Status::Ok();
}

// The body as a JSON object whose members are all in `allowed` (a typo must not be silently
// ignored).
Result<nlohmann::json> BodyObject(const Request& r, const std::set<std::string>& allowed) {
  nlohmann::json j = nlohmann::json::parse(r.body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::InvalidArgument("bad_body", "the body is not valid JSON");
  if (!j.is_object()) return Status::InvalidArgument("bad_body", "the body must be a JSON object");
  for (const auto& [key, value] : j.items()) {
    if (!allowed.count(key)) {
      return Status::InvalidArgument("unknown_field", "unknown field \"" + key + "\"");
    }
  }
  return j;
}

Result<std::string> RequiredString(const nlohmann::json& j, const std::string& field) {
  auto it = j.find(field);
  if (it == j.end()) return Status::InvalidArgument("missing_field", field + " is required");
  if (!it->is_string()) return Status::InvalidArgument("bad_body", field + " must be a string");
  return it->get<std::string>();
}

ordered_json SubscriptionJson(const store::SubscriptionRow& s) {
  return {{"id", s.id},
          {"name", s.name},
          {"query", s.query},
          {"created_at", core::FormatRfc3339(s.created_at)}};
}

Response Create(centre::Centre& centre, const Request& r, const centre::Identity& who) {
  Result<store::SubscriptionRow> made = [&]() -> Result<store::SubscriptionRow> {
    MARKAZ_RETURN_IF_ERROR(RefuseQuery(r));
    MARKAZ_ASSIGN_OR_RETURN(nlohmann::json body, BodyObject(r, {"name", "query"}));
    MARKAZ_ASSIGN_OR_RETURN(std::string name, RequiredString(body, "name"));
    MARKAZ_ASSIGN_OR_RETURN(std::string query, RequiredString(body, "query"));
    return centre.CreateSubscription(who, name, query);
  }();
  if (!made.ok()) return ErrorResponse(made.status());
  return Json(SubscriptionJson(*made), 201);
}

Response List(centre::Centre& centre, const Request& r, const centre::Identity& who) {
  if (Status s = RefuseQuery(r); !s.ok()) return ErrorResponse(s);
  Result<std::vector<store::SubscriptionRow>> rows = centre.ListSubscriptions(who);
  if (!rows.ok()) return ErrorResponse(rows.status());
  ordered_json list = ordered_json::array();
  for (const store::SubscriptionRow& s : *rows) list.push_back(SubscriptionJson(s));
  return Json(ordered_json{{"subscriptions", std::move(list)}}, 200);
}

Response Delete(centre::Centre& centre, const Request& r, const centre::Identity& who,
                const std::string& id) {
  if (Status s = RefuseQuery(r); !s.ok()) return ErrorResponse(s);
  if (Status s = centre.DeleteSubscription(who, id); !s.ok()) return ErrorResponse(s);
  Response resp;
  resp.status = 204;
  resp.content_type.clear();
  return resp;
}

}  // namespace

void AddSubscriptionRoutes(RouteTable& table, centre::Centre& centre) {
  table.Add("POST", "/v1/subscriptions", true,
            [&centre](const Request& r, const centre::Identity* who, const PathParams&) {
              return Create(centre, r, *who);
            });
  table.Add("GET", "/v1/subscriptions", true,
            [&centre](const Request& r, const centre::Identity* who, const PathParams&) {
              return List(centre, r, *who);
            });
  table.Add("DELETE", "/v1/subscriptions/{id}", true,
            [&centre](const Request& r, const centre::Identity* who, const PathParams& p) {
              return Delete(centre, r, *who, DecodePathSegment(p.at("id")));
            });
}

}  // namespace markaz::http
