// GET /v1/search's adapter: query parameters into SearchParams, the answer's JSON shape, and
// the route's refusals through the router (no index here: the search itself is tested in
// tests/centre/search_test.cc and through the real server in tests/integration/search_test.cc).
#include "http/search_routes.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "http/router.h"
#include "store/sqlite/sqlite_store.h"
#include "testutil/temp_dir.h"

namespace markaz::http {
namespace {

core::Time At(const char* rfc3339) { return core::ParseRfc3339(rfc3339).value(); }

Request Get(const std::string& target, std::string accept_language = "") {
  Request r;
  r.method = "GET";
  r.target = target;
  if (!accept_language.empty()) r.headers["accept-language"] = std::move(accept_language);
  return r;
}

TEST(ParseSearchParams, Defaults) {
  auto p = ParseSearchParams(Get("/v1/search"));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->q, "");
  EXPECT_EQ(p->limit, 20u);
  EXPECT_EQ(p->facets, (std::vector<std::string>{"lang", "entity", "originator"}));
  EXPECT_TRUE(p->cursor.empty());
  EXPECT_FALSE(p->from || p->to);
  EXPECT_EQ(p->names_lang, "en");
}

TEST(ParseSearchParams, ListsBoundsAndFacets) {
  auto p = ParseSearchParams(
      Get("/v1/search?q=%D8%A8%D8%BA%D8%AF%D8%A7%D8%AF+OR+x&lang=ar,en&entity=country:IQ,,"
          "city:98182&originator=host&tlp=amber%2Bstrict&story=sto_1&limit=100&cursor=v1abc"
          "&facets=tlp,story&from=2015-10-01&to=2015-10-31",
          "ar-IQ, en;q=0.5"));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->q, "بغداد OR x");
  EXPECT_EQ(p->langs, (std::vector<std::string>{"ar", "en"}));
  EXPECT_EQ(p->entities, (std::vector<std::string>{"country:IQ", "city:98182"}));
  EXPECT_EQ(p->originators, std::vector<std::string>{"host"});
  EXPECT_EQ(p->tlps, std::vector<std::string>{"amber+strict"});
  EXPECT_EQ(p->stories, std::vector<std::string>{"sto_1"});
  EXPECT_EQ(p->limit, 100u);
  EXPECT_EQ(p->cursor, "v1abc");
  EXPECT_EQ(p->facets, (std::vector<std::string>{"tlp", "story"}));
  EXPECT_EQ(p->names_lang, "ar");
  // Days are whole and inclusive: [Oct 1 00:00, Nov 1 00:00).
  EXPECT_EQ(p->from, At("2015-10-01T00:00:00Z"));
  EXPECT_EQ(p->to, At("2015-11-01T00:00:00Z"));

  auto t = ParseSearchParams(Get("/v1/search?from=2015-10-01T10:00:00Z&to=2015-10-01T11:00:00%2B01:00&facets=none"));
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->from, At("2015-10-01T10:00:00Z"));
  EXPECT_EQ(t->to, At("2015-10-01T10:00:00.001Z")) << "a time bound is inclusive too";
  EXPECT_TRUE(t->facets.empty());
}

TEST(ParseSearchParams, Refusals) {
  const std::pair<const char*, const char*> cases[] = {
      {"/v1/search?limit=0", "bad_limit"},
      {"/v1/search?limit=101", "bad_limit"},
      {"/v1/search?limit=ten", "bad_limit"},
      {"/v1/search?limit=", "bad_limit"},
      {"/v1/search?limit=-1", "bad_limit"},
      {"/v1/search?limit=99999999999999999999", "bad_limit"},
      {"/v1/search?from=yesterday", "invalid_time"},
      {"/v1/search?to=2015-02-30", "invalid_time"},
      {"/v1/search?facets=", "bad_facets"},
      {"/v1/search?q=x&sort=date", "unknown_parameter"},
  };
  for (const auto& [target, reason] : cases) {
    auto p = ParseSearchParams(Get(target));
    EXPECT_EQ(p.status().code(), core::Code::kInvalidArgument) << target;
    EXPECT_EQ(p.status().reason(), reason) << target;
  }
}

TEST(EncodeSearch, TheDocumentedShape) {
  centre::SearchView v;
  v.total = 3;
  centre::SearchHit h;
  h.id = "rep_1";
  h.title = "عنوان";
  h.score = 1.0 / 3.0;
  h.snippet = "… a b …";
  h.highlights = {{2, 3}, {4, 5}};
  h.received_at = At("2016-01-01T00:00:00Z");
  h.originator = "host";
  h.lang = "ar";
  h.tlp = core::Tlp::kAmberStrict;
  v.hits.push_back(h);
  h.observed_at = At("2015-12-31T00:00:00Z");
  h.story = "sto_1";
  v.hits.push_back(h);
  v.facets = {{"lang", {{"ar", 2}, {"en", 1}}}, {"entity", {{"country:IQ", 3}}}};
  v.entity_names = {{"country:IQ", "Iraq"}};
  const std::string body = EncodeSearch(v);
  EXPECT_EQ(body.rfind("{\"total\":3,\"hits\":[", 0), 0u) << body;
  const nlohmann::json j = nlohmann::json::parse(body);
  EXPECT_TRUE(j["next_cursor"].is_null());
  const nlohmann::json& first = j["hits"][0];
  EXPECT_EQ(first["highlights"], nlohmann::json::parse("[[2,3],[4,5]]"));
  EXPECT_EQ(first["score"].get<double>(), 1.0 / 3.0) << "the score round-trips";
  EXPECT_TRUE(first["observed_at"].is_null());
  EXPECT_TRUE(first["story"].is_null());
  EXPECT_EQ(first["tlp"], "amber+strict");
  EXPECT_EQ(first["received_at"], "2016-01-01T00:00:00Z");
  EXPECT_EQ(j["hits"][1]["observed_at"], "2015-12-31T00:00:00Z");
  EXPECT_EQ(j["hits"][1]["story"], "sto_1");
  EXPECT_EQ(j["facets"]["lang"]["ar"], 2);
  EXPECT_EQ(j["facets"]["entity"]["country:IQ"], 3);
  EXPECT_EQ(j["entity_names"]["country:IQ"], "Iraq");
  v.next_cursor = "v1xyz";
  EXPECT_EQ(nlohmann::json::parse(EncodeSearch(v))["next_cursor"], "v1xyz");
}

TEST(SearchRoute, NeedsATokenAndAnIndex) {
  testutil::TempDir dir;
  auto store = store::OpenSqliteStore(dir.Sub("data"), store::OpenMode::kCreate).value();
  core::ManualClock clock(At("2015-11-01T00:00:00Z"));
  core::IdGenerator ids(1);
  centre::Centre centre(*store, clock, ids);  // no processor, no index
  core::Charter c;
  c.name = "No Index";
  c.start = At("2015-10-01T00:00:00Z");
  c.rotation_order = {"host"};
  c.term = core::TermLength::Months(3).value();
  c.members = {{"host", core::OrgKind::kMember, {{"en", "Host"}}, true}};
  ASSERT_TRUE(centre.Init(c).ok());
  const std::string token = centre.CreateToken(centre::kLocalActor, "host", core::Role::kAnalyst, "t")->token;
  Router router(centre);

  Request anonymous = Get("/v1/search?q=x");
  EXPECT_EQ(router.Handle(anonymous).status, 401);
  Request r = Get("/v1/search?q=x");
  r.headers["authorization"] = "Bearer " + token;
  Response answer = router.Handle(r);
  EXPECT_EQ(answer.status, 503);
  EXPECT_EQ(nlohmann::json::parse(answer.body)["error"]["code"], "search_unavailable");
  // Bad parameters are refused before the centre is asked.
  r.target = "/v1/search?q=x&limit=0";
  answer = router.Handle(r);
  EXPECT_EQ(answer.status, 400);
  EXPECT_EQ(nlohmann::json::parse(answer.body)["error"]["code"], "bad_limit");
}

}  // namespace
}  // namespace markaz::http
