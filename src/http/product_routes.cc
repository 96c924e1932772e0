#include "http/product_routes.h"

#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

#include "http/errors.h"
#include "http/query.h"
#include "http/report_codec.h"
#include "http/report_routes.h"

namespace markaz::http {
namespace {

using core::Result;
using core::Status;

Response JsonResponse(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

// The product as GET /v1/reports/{id} shows an item, plus "cites".
std::string EncodeProduct(const centre::ProductView& v, const EntityNamer& name_of) {
  nlohmann::ordered_json j = nlohmann::ordered_json::parse(EncodeReport(v.item, name_of));
  j["cites"] = v.cites;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// {"title","body","lang"?,"tlp","release_to","cites":[…]}: "cites" is taken out and the rest
// decoded as a report's fields are (the same checks and messages); fields a product does not
// have are refused by the centre.
Result<centre::ProductInput> DecodeProductInput(const std::string& body) {
  nlohmann::json j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::InvalidArgument("bad_body", "the body must be a JSON object");
  }
  centre::ProductInput input;
  auto cites = j.find("cites");
  if (cites == j.end()) return Status::InvalidArgument("missing_field", "cites is required");
  if (!cites->is_array()) {
    return Status::InvalidArgument("bad_cites", "cites must be an array of ids");
  }
  for (const auto& c : *cites) {
    if (!c.is_string()) return Status::InvalidArgument("bad_cites", "cites must be an array of ids");
    input.cites.push_back(c.get<std::string>());
  }
  j.erase("cites");
  MARKAZ_ASSIGN_OR_RETURN(input.item, DecodeReportInput(j.dump()));
  return input;
}

}  // namespace

void AddProductRoutes(RouteTable& table, centre::Centre& centre) {
  table.Add("POST", "/v1/products", true,
            [&centre](const Request& r, const centre::Identity* who, const PathParams&) {
              Result<centre::ProductInput> input = DecodeProductInput(r.body);
              if (!input.ok()) return ErrorResponse(input.status());
              Result<centre::ProductView> made = centre.CreateProduct(*who, std::move(*input));
              if (!made.ok()) return ErrorResponse(made.status());
              Response resp =
                  JsonResponse(201, EncodeProduct(*made, NamerFor(centre, r, made->item)));
              resp.headers.emplace_back("Location", "/v1/products/" + made->item.id);
              return resp;
            });
  table.Add("GET", "/v1/products/{id}", true,
            [&centre](const Request& r, const centre::Identity* who, const PathParams& p) {
              Result<centre::ProductView> v =
                  centre.GetProduct(*who, DecodePathSegment(p.at("id")));
              if (!v.ok()) return ErrorResponse(v.status());
              return JsonResponse(200, EncodeProduct(*v, NamerFor(centre, r, v->item)));
            });
}

}  // namespace markaz::http
