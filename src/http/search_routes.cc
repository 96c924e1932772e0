#include "http/search_routes.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <string_view>
#include <vector>

#include "http/errors.h"
#include "http/query.h"

namespace markaz::http {
namespace {

using core::Result;
using core::Status;

// "a,b,,c" → {"a","b","c"}: empty items are dropped, so "lang=" filters nothing.
std::vector<std::string> SplitList(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) out.emplace_back(item);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
  }
  return out;
}

Response Json(std::string body) {
  Response r;
  r.body = std::move(body);
  return r;
}

}  // namespace

Result<centre::SearchParams> ParseSearchParams(const Request& request) {
  const std::string& target = request.target;
  if (auto unknown = UnknownQueryParam(target, {"q", "lang", "from", "to", "entity", "originator",
                                                "tlp", "story", "limit", "cursor", "facets"})) {
    return Status::InvalidArgument("unknown_parameter",
                                   "unknown query parameter \"" + *unknown + "\"");
  }
  centre::SearchParams p;
  p.q = QueryParam(target, "q").value_or("");
  p.langs = SplitList(QueryParam(target, "lang").value_or(""));
  p.entities = SplitList(QueryParam(target, "entity").value_or(""));
  p.originators = SplitList(QueryParam(target, "originator").value_or(""));
  p.tlps = SplitList(QueryParam(target, "tlp").value_or(""));
  p.stories = SplitList(QueryParam(target, "story").value_or(""));
  if (auto from = QueryParam(target, "from"); from && !from->empty()) {
    MARKAZ_ASSIGN_OR_RETURN(p.from, ParseTimeBound("from", *from, /*end=*/false));
  }
  if (auto to = QueryParam(target, "to"); to && !to->empty()) {
    MARKAZ_ASSIGN_OR_RETURN(p.to, ParseTimeBound("to", *to, /*end=*/true));
  }
  if (auto limit = QueryParam(target, "limit")) {
    MARKAZ_ASSIGN_OR_RETURN(p.limit, ParseLimit(*limit, centre::kMaxSearchLimit));
  }
  p.cursor = QueryParam(target, "cursor").value_or("");
  if (auto facets = QueryParam(target, "facets")) {
    p.facets = *facets == "none" ? std::vector<std::string>{} : SplitList(*facets);
    if (p.facets.empty() && *facets != "none") {
      return Status::InvalidArgument("bad_facets", "facets=none asks for no facets; an empty list is an error");
    }
  }
  p.names_lang = PreferredLanguage(request.Header("accept-language"));
  if (p.names_lang.empty()) p.names_lang = "en";
  return p;
}

std::string EncodeSearch(const centre::SearchView& view) {
  using nlohmann::ordered_json;
  ordered_json hits = ordered_json::array();
  for (const centre::SearchHit& h : view.hits) {
    ordered_json highlights = ordered_json::array();
    for (const auto& [b, e] : h.highlights) highlights.push_back({b, e});
    hits.push_back({
        {"id", h.id},
        {"withheld", h.withheld},
        {"title", h.title},
        {"snippet", h.snippet},
        {"highlights", std::move(highlights)},
        {"score", h.score},
        {"observed_at", h.observed_at ? ordered_json(core::FormatRfc3339(*h.observed_at))
                                      : ordered_json(nullptr)},
        {"received_at", core::FormatRfc3339(h.received_at)},
        {"originator", h.originator},
        {"lang", h.lang},
        {"tlp", std::string(core::TlpName(h.tlp))},
        {"story", h.story ? ordered_json(*h.story) : ordered_json(nullptr)},
    });
  }
  ordered_json facets = ordered_json::object();
  for (const auto& [column, counts] : view.facets) {
    ordered_json values = ordered_json::object();  // by count descending, as the index ranks
    for (const centre::FacetCount& c : counts) values[c.value] = c.count;
    facets[column] = std::move(values);
  }
  ordered_json names = ordered_json::object();
  for (const auto& [id, name] : view.entity_names) names[id] = name;
  ordered_json answer = {
      {"total", view.total},
      {"hits", std::move(hits)},
      {"facets", std::move(facets)},
      {"entity_names", std::move(names)},
      {"next_cursor", view.next_cursor ? ordered_json(*view.next_cursor) : ordered_json(nullptr)},
  };
  // Titles and snippets are the members' text: replace, never throw on, a bad byte.
  return answer.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void AddSearchRoutes(RouteTable& table, centre::Centre& centre) {
  table.Add("GET", "/v1/search", true,
            [&centre](const Request& r, const centre::Identity* who, const PathParams&) {
              Result<centre::SearchParams> params = ParseSearchParams(r);
              if (!params.ok()) return ErrorResponse(params.status());
              Result<centre::SearchView> view = centre.Search(*who, *params);
              if (!view.ok()) return ErrorResponse(view.status());
              return Json(EncodeSearch(*view));
            });
}

}  // namespace markaz::http
