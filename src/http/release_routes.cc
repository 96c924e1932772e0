#include "http/release_routes.h"

#include <nlohmann/json.hpp>

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "http/errors.h"
#include "http/query.h"

namespace markaz::http {
namespace {

using core::Result;
using core::Status;
using nlohmann::ordered_json;

Response Json(const ordered_json& j, int status = 200) {
  Response r;
  r.status = status;
  r.body = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

Status BadBody(const std::string& message) {
  return Status::InvalidArgument("bad_body", message);
}

// The request body as a JSON object whose members are all in `allowed` (an unknown member is
// refused: a typo must not be silently ignored). An empty body is {} when `empty_ok`.
Result<nlohmann::json> BodyObject(const Request& r, const std::set<std::string>& allowed,
                                  bool empty_ok) {
  if (r.body.empty() && empty_ok) return nlohmann::json::object();
  nlohmann::json j = nlohmann::json::parse(r.body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return BadBody("the body is not valid JSON");
  if (!j.is_object()) return BadBody("the body must be a JSON object");
  for (const auto& [key, value] : j.items()) {
    if (!allowed.count(key)) {
      return Status::InvalidArgument("unknown_field", "unknown field \"" + key + "\"");
    }
  }
  return j;
}

Result<std::vector<std::string>> StringArray(const nlohmann::json& j, const std::string& field) {
  auto it = j.find(field);
  if (it == j.end()) return Status::InvalidArgument("missing_field", field + " is required");
  if (!it->is_array()) return BadBody(field + " must be an array of strings");
  std::vector<std::string> out;
  for (const auto& v : *it) {
    if (!v.is_string()) return BadBody(field + " must be an array of strings");
    out.push_back(v.get<std::string>());
  }
  return out;
}

Result<std::string> OptionalString(const nlohmann::json& j, const std::string& field) {
  auto it = j.find(field);
  if (it == j.end() || it->is_null()) return std::string();
  if (!it->is_string()) return BadBody(field + " must be a string");
  return it->get<std::string>();
}

ordered_json OptionalTime(const std::optional<core::Time>& t) {
  return t ? ordered_json(core::FormatRfc3339(*t)) : ordered_json(nullptr);
}

ordered_json RequestJson(const centre::ReleaseRequestView& v) {
  const store::ReleaseRequestRow& r = v.row;
  ordered_json j = {
      {"id", r.id},
      {"report", r.report_id},
      {"requester_org", r.requester_org},
      {"to", r.to},
      {"reason", r.reason},
      {"state", std::string(store::RequestStateName(r.state))},
      {"created_at", core::FormatRfc3339(r.created_at)},
      {"decided_at", OptionalTime(r.decided_at)},
      {"note", r.note},
  };
  if (r.state == store::RequestState::kApproved) j["added"] = v.added;
  return j;
}

template <typename F>
Response Answer(F&& f, int status = 200) {
  Result<ordered_json> result = f();
  if (!result.ok()) return ErrorResponse(result.status());
  return Json(*result, status);
}

Status RefuseQuery(const Request& r) {
  if (auto u = UnknownQueryParam(r.target, {})) {
    return Status::InvalidArgument("unknown_parameter", "unknown query parameter \"" + *u + "\"");
  }
  return Status::Ok();
}

Response Decide(centre::Centre& centre, const Request& r, const centre::Identity& who,
                const PathParams& p, bool approve) {
  return Answer([&]() -> Result<ordered_json> {
    MARKAZ_RETURN_IF_ERROR(RefuseQuery(r));
    MARKAZ_ASSIGN_OR_RETURN(nlohmann::json body, BodyObject(r, {"note"}, /*empty_ok=*/true));
    MARKAZ_ASSIGN_OR_RETURN(std::string note, OptionalString(body, "note"));
    MARKAZ_ASSIGN_OR_RETURN(centre::ReleaseRequestView v,
                            centre.DecideRelease(who, DecodePathSegment(p.at("id")), approve, note));
    return RequestJson(v);
  });
}

}  // namespace

void AddReleaseRoutes(RouteTable& table, centre::Centre& centre) {
  table.Add("POST", "/v1/reports/{id}/release", true,
            [&centre](const Request& r, const centre::Identity* who, const PathParams& p) {
              return Answer([&]() -> Result<ordered_json> {
                MARKAZ_RETURN_IF_ERROR(RefuseQuery(r));
                MARKAZ_ASSIGN_OR_RETURN(nlohmann::json body,
                                        BodyObject(r, {"release_to"}, /*empty_ok=*/false));
                MARKAZ_ASSIGN_OR_RETURN(std::vector<std::string> release_to,
                                        StringArray(body, "release_to"));
                MARKAZ_ASSIGN_OR_RETURN(
                    centre::ReleaseView v,
                    centre.Release(*who, DecodePathSegment(p.at("id")), release_to));
                return ordered_json{
                    {"id", v.report_id}, {"audience", v.audience}, {"added", v.added}};
              });
            });
  table.Add("POST", "/v1/reports/{id}/release-requests", true,
            [&centre](const Request& r, const centre::Identity* who, const PathParams& p) {
              Result<centre::ReleaseRequestView> made = [&]() -> Result<centre::ReleaseRequestView> {
                MARKAZ_RETURN_IF_ERROR(RefuseQuery(r));
                MARKAZ_ASSIGN_OR_RETURN(nlohmann::json body,
                                        BodyObject(r, {"to", "reason"}, /*empty_ok=*/false));
                MARKAZ_ASSIGN_OR_RETURN(std::vector<std::string> to, StringArray(body, "to"));
                MARKAZ_ASSIGN_OR_RETURN(std::string reason, OptionalString(body, "reason"));
                return centre.RequestRelease(*who, DecodePathSegment(p.at("id")), to, reason);
              }();
              if (!made.ok()) return ErrorResponse(made.status());
              Response resp = Json(RequestJson(*made), 201);
              resp.headers.emplace_back("Location", "/v1/release-requests/" + made->row.id);
              return resp;
            });
  table.Add("GET", "/v1/release-requests/{id}", true,
            [&centre](const Request& r, const centre::Identity* who, const PathParams& p) {
              return Answer([&]() -> Result<ordered_json> {
                MARKAZ_RETURN_IF_ERROR(RefuseQuery(r));
                MARKAZ_ASSIGN_OR_RETURN(
                    centre::ReleaseRequestView v,
                    centre.GetReleaseRequest(*who, DecodePathSegment(p.at("id"))));
                return RequestJson(v);
              });
            });
  table.Add("POST", "/v1/release-requests/{id}/approve", true,
            [&centre](const Request& r, const centre::Identity* who, const PathParams& p) {
              return Decide(centre, r, *who, p, /*approve=*/true);
            });
  table.Add("POST", "/v1/release-requests/{id}/deny", true,
            [&centre](const Request& r, const centre::Identity* who, const PathParams& p) {
              return Decide(centre, r, *who, p, /*approve=*/false);
            });
}

}  // namespace markaz::http
