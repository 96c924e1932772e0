#include "http/webhook_routes.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "http/errors.h"
#include "http/query.h"

namespace markaz::http {
namespace {

using core::Result;
using core::Status;

constexpr int kDefaultDeliveriesLimit = 100;
constexpr std::size_t kMaxDeliveriesLimit = 1000;

Response Json(int status, const nlohmann::json& body) {
  Response r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

nlohmann::json OptionalTime(const std::optional<core::Time>& t) {
  return t ? nlohmann::json(core::FormatRfc3339(*t)) : nlohmann::json(nullptr);
}

nlohmann::json EncodeWebhook(const centre::WebhookView& view) {
  return {{"id", view.id},
          {"url", view.url},
          {"enabled", view.enabled},
          {"status", view.status},
          {"cursor", view.cursor},
          {"failing_since", OptionalTime(view.failing_since)},
          {"last_error", view.last_error},
          {"created_at", core::FormatRfc3339(view.created_at)},
          {"created_by", view.created_by}};
}

nlohmann::json EncodeDelivery(const store::DeliveryRow& row) {
  return {{"seq", row.seq},
          {"attempt", row.attempt},
          {"at", core::FormatRfc3339(row.at)},
          {"status", row.status == 0 ? nlohmann::json(nullptr) : nlohmann::json(row.status)},
          {"error", row.error},
          {"duration_ms", row.duration_ms}};
}

// The body as a JSON object whose keys are all in `known`; 400 otherwise, naming the problem.
Result<nlohmann::json> ParseObject(const std::string& body,
                                   std::initializer_list<std::string_view> known) {
  nlohmann::json j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::InvalidArgument("bad_json", "the body is not valid JSON");
  if (!j.is_object()) return Status::InvalidArgument("bad_json", "the body must be a JSON object");
  for (const auto& [key, value] : j.items()) {
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      return Status::InvalidArgument("unknown_field", key + ": unknown field");
    }
  }
  return j;
}

Result<std::string> RequiredString(const nlohmann::json& j, const std::string& field) {
  auto it = j.find(field);
  if (it == j.end()) return Status::InvalidArgument("missing_field", field + ": is required");
  if (!it->is_string()) return Status::InvalidArgument("wrong_type", field + ": must be a string");
  return it->get<std::string>();
}

Response Create(centre::Centre& centre, const Request& request, const centre::Identity& who) {
  Result<nlohmann::json> body = ParseObject(request.body, {"url", "secret"});
  if (!body.ok()) return ErrorResponse(body.status());
  Result<std::string> url = RequiredString(*body, "url");
  if (!url.ok()) return ErrorResponse(url.status());
  Result<std::string> secret = RequiredString(*body, "secret");
  if (!secret.ok()) return ErrorResponse(secret.status());
  Result<centre::WebhookView> created = centre.CreateWebhook(who, *url, *secret);
  if (!created.ok()) return ErrorResponse(created.status());
  Response r = Json(201, EncodeWebhook(*created));
  r.headers.emplace_back("Location", "/v1/webhooks/" + created->id);
  return r;
}

Response List(centre::Centre& centre, const centre::Identity& who) {
  Result<std::vector<centre::WebhookView>> hooks = centre.ListWebhooks(who);
  if (!hooks.ok()) return ErrorResponse(hooks.status());
  nlohmann::json list = nlohmann::json::array();
  for (const auto& view : *hooks) list.push_back(EncodeWebhook(view));
  return Json(200, {{"webhooks", list}});
}

Response Patch(centre::Centre& centre, const Request& request, const centre::Identity& who,
               const std::string& id) {
  Result<nlohmann::json> body = ParseObject(request.body, {"enabled"});
  if (!body.ok()) return ErrorResponse(body.status());
  auto enabled = body->find("enabled");
  if (enabled == body->end()) {
    return ErrorResponse(Status::InvalidArgument("missing_field", "enabled: is required"));
  }
  if (!enabled->is_boolean()) {
    return ErrorResponse(Status::InvalidArgument("wrong_type", "enabled: must be true or false"));
  }
  Result<centre::WebhookView> view = centre.SetWebhookEnabled(who, id, enabled->get<bool>());
  if (!view.ok()) return ErrorResponse(view.status());
  return Json(200, EncodeWebhook(*view));
}

Response Deliveries(centre::Centre& centre, const Request& request, const centre::Identity& who,
                    const std::string& id) {
  if (auto unknown = UnknownQueryParam(request.target, {"limit"})) {
    return ErrorResponse(Status::InvalidArgument(
        "unknown_parameter", "unknown query parameter \"" + *unknown + "\""));
  }
  int limit = kDefaultDeliveriesLimit;
  if (std::optional<std::string> text = QueryParam(request.target, "limit")) {
    Result<std::size_t> parsed = ParseLimit(*text, kMaxDeliveriesLimit);
    if (!parsed.ok()) return ErrorResponse(parsed.status());
    limit = static_cast<int>(*parsed);
  }
  Result<std::vector<store::DeliveryRow>> rows = centre.WebhookDeliveries(who, id, limit);
  if (!rows.ok()) return ErrorResponse(rows.status());
  nlohmann::json list = nlohmann::json::array();
  for (const auto& row : *rows) list.push_back(EncodeDelivery(row));
  return Json(200, {{"deliveries", list}});
}

}  // namespace

void AddWebhookRoutes(RouteTable& table, centre::Centre& centre) {
  table.Add("POST", "/v1/webhooks", true,
            [&centre](const Request& r, const centre::Identity* who, const PathParams&) {
              return Create(centre, r, *who);
            });
  table.Add("GET", "/v1/webhooks", true,
            [&centre](const Request&, const centre::Identity* who, const PathParams&) {
              return List(centre, *who);
            });
  table.Add("GET", "/v1/webhooks/{id}", true,
            [&centre](const Request&, const centre::Identity* who, const PathParams& params) {
              Result<centre::WebhookView> view =
                  centre.GetWebhook(*who, DecodePathSegment(params.at("id")));
              if (!view.ok()) return ErrorResponse(view.status());
              return Json(200, EncodeWebhook(*view));
            });
  table.Add("PATCH", "/v1/webhooks/{id}", true,
            [&centre](const Request& r, const centre::Identity* who, const PathParams& params) {
              return Patch(centre, r, *who, DecodePathSegment(params.at("id")));
            });
  table.Add("DELETE", "/v1/webhooks/{id}", true,
            [&centre](const Request&, const centre::Identity* who, const PathParams& params) {
              Status deleted = centre.DeleteWebhook(*who, DecodePathSegment(params.at("id")));
              if (!deleted.ok()) return ErrorResponse(deleted);
              Response r;
              r.status = 204;
              r.content_type.clear();
              return r;
            });
  table.Add("GET", "/v1/webhooks/{id}/deliveries", true,
            [&centre](const Request& r, const centre::Identity* who, const PathParams& params) {
              return Deliveries(centre, r, *who, DecodePathSegment(params.at("id")));
            });
}

}  // namespace markaz::http
