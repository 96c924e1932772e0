#include "http/analysis_routes.h"

#include <nlohmann/json.hpp>

#include <utility>

#include "http/errors.h"
#include "http/query.h"

namespace markaz::http {
namespace {

using core::Result;
using core::Status;
using nlohmann::ordered_json;

Response Json(const ordered_json& j) {
  Response r;
  // Titles and names are the members' text: replace, never throw on, a bad byte.
  r.body = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

std::string NamesLang(const Request& r) {
  std::string lang = PreferredLanguage(r.Header("accept-language"));
  return lang.empty() ? "en" : lang;
}

Status Unknown(const std::string& name) {
  return Status::InvalidArgument("unknown_parameter", "unknown query parameter \"" + name + "\"");
}

ordered_json StoryJson(const centre::StoryView& v) {
  const analytics::StorySummary& s = v.summary;
  return {
      {"id", s.id},
      {"headline", v.headline},
      {"size", s.size},
      {"langs", s.langs},
      {"originators", s.originators},
      {"first_seen", core::FormatRfc3339(s.first_seen)},
      {"last_seen", core::FormatRfc3339(s.last_seen)},
      {"reports", s.reports},
  };
}

ordered_json EntityJson(const centre::EntityView& v) {
  ordered_json names = ordered_json::object();  // by language, preferred first
  for (const centre::EntityName& n : v.names) {
    if (!names.contains(n.lang)) names[n.lang] = ordered_json::array();
    names[n.lang].push_back(n.text);
  }
  return {
      {"id", v.id},
      {"kind", v.kind},
      {"name", v.name},
      {"names", std::move(names)},
      {"location", v.location ? ordered_json({{"lat", v.location->lat}, {"lon", v.location->lon}})
                              : ordered_json(nullptr)},
      {"country", v.country.empty() ? ordered_json(nullptr) : ordered_json(v.country)},
      {"mentions", v.mentions},
  };
}

// Runs `fn` and turns a refusal into its error response.
template <typename Fn>
Response Answer(Fn fn) {
  Result<ordered_json> j = fn();
  if (!j.ok()) return ErrorResponse(j.status());
  return Json(*j);
}

Result<ordered_json> ListStories(centre::Centre& centre, const Request& r,
                                 const centre::Identity& who) {
  if (auto u = UnknownQueryParam(r.target, {"from", "to", "limit", "cursor"})) return Unknown(*u);
  analytics::StoryQuery q;
  q.limit = centre::kDefaultStoryLimit;
  if (auto from = QueryParam(r.target, "from"); from && !from->empty()) {
    MARKAZ_ASSIGN_OR_RETURN(q.from, ParseTimeBound("from", *from, /*end=*/false));
  }
  if (auto to = QueryParam(r.target, "to"); to && !to->empty()) {
    MARKAZ_ASSIGN_OR_RETURN(q.to, ParseTimeBound("to", *to, /*end=*/true));
  }
  if (auto limit = QueryParam(r.target, "limit")) {
    MARKAZ_ASSIGN_OR_RETURN(q.limit, ParseLimit(*limit, centre::kMaxStoryLimit));
  }
  q.cursor = QueryParam(r.target, "cursor").value_or("");
  MARKAZ_ASSIGN_OR_RETURN(centre::StoriesView view, centre.Stories(who, std::move(q)));
  ordered_json stories = ordered_json::array();
  for (const centre::StoryView& v : view.stories) stories.push_back(StoryJson(v));
  return ordered_json{{"stories", std::move(stories)},
                      {"next_cursor", view.next_cursor ? ordered_json(*view.next_cursor)
                                                       : ordered_json(nullptr)}};
}

Result<ordered_json> FindEntities(centre::Centre& centre, const Request& r,
                                  const centre::Identity& who) {
  if (auto u = UnknownQueryParam(r.target, {"q", "limit"})) return Unknown(*u);
  std::size_t limit = centre::kDefaultEntityLimit;
  if (auto l = QueryParam(r.target, "limit")) {
    MARKAZ_ASSIGN_OR_RETURN(limit, ParseLimit(*l, centre::kMaxEntityLimit));
  }
  MARKAZ_ASSIGN_OR_RETURN(
      std::vector<centre::EntityView> found,
      centre.FindEntities(who, QueryParam(r.target, "q").value_or(""), limit, NamesLang(r)));
  ordered_json entities = ordered_json::array();
  for (const centre::EntityView& v : found) entities.push_back(EntityJson(v));
  return ordered_json{{"entities", std::move(entities)}};
}

Result<analytics::Bucket> ParseBucket(const std::string& text) {
  if (text == "hour") return analytics::Bucket::kHour;
  if (text == "day") return analytics::Bucket::kDay;
  if (text == "week") return analytics::Bucket::kWeek;
  return Status::InvalidArgument("bad_bucket", "bucket must be hour, day or week");
}

Result<ordered_json> Timeline(centre::Centre& centre, const Request& r,
                              const centre::Identity& who, const std::string& id) {
  if (auto u = UnknownQueryParam(r.target, {"bucket", "from", "to"})) return Unknown(*u);
  const std::string bucket_name = QueryParam(r.target, "bucket").value_or("day");
  MARKAZ_ASSIGN_OR_RETURN(analytics::Bucket bucket, ParseBucket(bucket_name));
  std::optional<core::Time> from, to;
  if (auto f = QueryParam(r.target, "from"); f && !f->empty()) {
    MARKAZ_ASSIGN_OR_RETURN(from, ParseTimeBound("from", *f, /*end=*/false));
  }
  if (auto t = QueryParam(r.target, "to"); t && !t->empty()) {
    MARKAZ_ASSIGN_OR_RETURN(to, ParseTimeBound("to", *t, /*end=*/true));
  }
  MARKAZ_ASSIGN_OR_RETURN(std::vector<analytics::TimelinePoint> points,
                          centre.EntityTimeline(who, id, bucket, from, to));
  ordered_json out = ordered_json::array();
  for (const analytics::TimelinePoint& p : points) {
    out.push_back({{"start", core::FormatRfc3339(p.start)}, {"count", p.count}});
  }
  return ordered_json{{"entity", id}, {"bucket", bucket_name}, {"points", std::move(out)}};
}

Result<ordered_json> Graph(centre::Centre& centre, const Request& r, const centre::Identity& who,
                           const std::string& id) {
  if (auto u = UnknownQueryParam(r.target, {"limit"})) return Unknown(*u);
  std::size_t limit = centre::kDefaultGraphLimit;
  if (auto l = QueryParam(r.target, "limit")) {
    MARKAZ_ASSIGN_OR_RETURN(limit, ParseLimit(*l, centre::kMaxGraphLimit));
  }
  MARKAZ_ASSIGN_OR_RETURN(std::vector<analytics::GraphEdge> edges,
                          centre.EntityGraph(who, id, limit));
  const std::string lang = NamesLang(r);
  ordered_json out = ordered_json::array();
  for (const analytics::GraphEdge& e : edges) {
    out.push_back({{"entity", e.entity},
                   {"name", centre.EntityName(e.entity, lang)},
                   {"weight", e.weight}});
  }
  return ordered_json{{"entity", id}, {"edges", std::move(out)}};
}

Result<ordered_json> Trends(centre::Centre& centre, const Request& r, const centre::Identity& who,
                            core::Time now) {
  if (auto u = UnknownQueryParam(r.target, {"window", "end", "limit"})) return Unknown(*u);
  analytics::TrendQuery q;
  q.limit = centre::kDefaultTrendLimit;
  const std::string window = QueryParam(r.target, "window").value_or("24h");
  MARKAZ_ASSIGN_OR_RETURN(q.window, ParseWindow(window));
  q.end = now;
  if (auto end = QueryParam(r.target, "end"); end && !end->empty()) {
    MARKAZ_ASSIGN_OR_RETURN(q.end, ParseTimeBound("end", *end, /*end=*/false));
  }
  if (auto l = QueryParam(r.target, "limit")) {
    MARKAZ_ASSIGN_OR_RETURN(q.limit, ParseLimit(*l, centre::kMaxTrendLimit));
  }
  const core::Time end = q.end;
  MARKAZ_ASSIGN_OR_RETURN(std::vector<centre::TrendView> trends,
                          centre.Trends(who, std::move(q), NamesLang(r)));
  ordered_json out = ordered_json::array();
  for (const centre::TrendView& v : trends) {
    out.push_back({{"entity", v.trend.entity},
                   {"name", v.name},
                   {"count", v.trend.count},
                   {"baseline", v.trend.baseline},
                   {"score", v.trend.score}});
  }
  return ordered_json{{"window", window}, {"end", core::FormatRfc3339(end)},
                      {"trends", std::move(out)}};
}

}  // namespace

Result<std::chrono::milliseconds> ParseWindow(const std::string& text) {
  const Status bad = Status::InvalidArgument(
      "bad_window", "window must be a whole number with a unit: 90m, 24h, 7d or 2w");
  if (text.size() < 2 || text.size() > 8) return bad;
  long long n = 0;
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return bad;
    n = n * 10 + (text[i] - '0');
  }
  using std::chrono::milliseconds;
  switch (text.back()) {
    case 'm': return milliseconds(n * 60'000);
    case 'h': return milliseconds(n * 3'600'000);
    case 'd': return milliseconds(n * 86'400'000);
    case 'w': return milliseconds(n * 604'800'000);
    default: return bad;
  }
}

void AddAnalysisRoutes(RouteTable& table, centre::Centre& centre) {
  table.Add("GET", "/v1/stories", true,
            [&centre](const Request& r, const centre::Identity* who, const PathParams&) {
              return Answer([&] { return ListStories(centre, r, *who); });
            });
  table.Add("GET", "/v1/stories/{id}", true,
            [&centre](const Request& r, const centre::Identity* who, const PathParams& p) {
              return Answer([&]() -> Result<ordered_json> {
                if (auto u = UnknownQueryParam(r.target, {})) return Unknown(*u);
                MARKAZ_ASSIGN_OR_RETURN(centre::StoryView v,
                                        centre.Story(*who, DecodePathSegment(p.at("id"))));
                return StoryJson(v);
              });
            });
  table.Add("GET", "/v1/entities", true,
            [&centre](const Request& r, const centre::Identity* who, const PathParams&) {
              return Answer([&] { return FindEntities(centre, r, *who); });
            });
  table.Add("GET", "/v1/entities/{id}", true,
            [&centre](const Request& r, const centre::Identity* who, const PathParams& p) {
              return Answer([&]() -> Result<ordered_json> {
                if (auto u = UnknownQueryParam(r.target, {})) return Unknown(*u);
                MARKAZ_ASSIGN_OR_RETURN(
                    centre::EntityView v,
                    centre.Entity(*who, DecodePathSegment(p.at("id")), NamesLang(r)));
                return EntityJson(v);
              });
            });
  table.Add("GET", "/v1/entities/{id}/timeline", true,
            [&centre](const Request& r, const centre::Identity* who, const PathParams& p) {
              return Answer([&] { return Timeline(centre, r, *who, DecodePathSegment(p.at("id"))); });
            });
  table.Add("GET", "/v1/entities/{id}/graph", true,
            [&centre](const Request& r, const centre::Identity* who, const PathParams& p) {
              return Answer([&] { return Graph(centre, r, *who, DecodePathSegment(p.at("id"))); });
            });
  table.Add("GET", "/v1/trends", true,
            [&centre](const Request& r, const centre::Identity* who, const PathParams&) {
              return Answer([&] { return Trends(centre, r, *who, centre.Now()); });
            });
}

}  // namespace markaz::http
