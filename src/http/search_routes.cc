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

bool IsDay(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

// A from/to bound: an RFC 3339 time, or a UTC day. `end` makes it the exclusive end of an
// inclusive bound: the next day for a day, the next millisecond for a time.
Result<core::Time> ParseBound(const std::string& name, const std::string& text, bool end) {
  Result<core::Time> t = IsDay(text) ? core::ParseRfc3339(text + "T00:00:00Z")
                                     : core::ParseRfc3339(text);
  if (!t.ok()) {
    return Status::InvalidArgument(
        "invalid_time", name + "=\"" + text + "\" is neither an RFC 3339 time nor a day (YYYY-MM-DD)");
  }
  if (!end) return *t;
  return IsDay(text) ? core::AddDays(*t, 1) : *t + std::chrono::milliseconds(1);
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
    MARKAZ_ASSIGN_OR_RETURN(p.from, ParseBound("from", *from, /*end=*/false));
  }
  if (auto to = QueryParam(target, "to"); to && !to->empty()) {
    MARKAZ_ASSIGN_OR_RETURN(p.to, ParseBound("to", *to, /*end=*/true));
  }
  if (auto limit = QueryParam(target, "limit")) {
    const Status bad = Status::InvalidArgument(
        "bad_limit", "limit must be a whole number 1.." + std::to_string(centre::kMaxSearchLimit));
    if (limit->empty() || limit->size() > 3) return bad;
    std::size_t n = 0;
    for (char c : *limit) {
      if (c < '0' || c > '9') return bad;
      n = n * 10 + static_cast<std::size_t>(c - '0');
    }
    if (n < 1 || n > centre::kMaxSearchLimit) return bad;
    p.limit = n;
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
