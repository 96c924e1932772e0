// Search through the real server (issue 5): Arabic and multilingual recall within a second of
// the 201, no oracle (org B's answers are byte-identical whatever org A adds for itself),
// filters, facets, cursor pagination, refusals, `markaz search` as a user types it, and the
// demo's seed article.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "integration/fixture.h"
#include "testutil/http_client.h"
#include "testutil/server_process.h"

namespace markaz::testutil {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr auto kSearchableWithin = std::chrono::seconds(1);

std::vector<std::string> HitIds(const json& answer) {
  std::vector<std::string> ids;
  for (const json& h : answer["hits"]) ids.push_back(h["id"]);
  return ids;
}

bool Contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

class SearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = InitCentre(dir_, TestCharter(Rfc3339FromNow(-std::chrono::hours(24))));
    for (const char* org : {"host", "m2", "m3"}) tokens_[org] = CreateToken(data_, org, "analyst");
    server_ = std::make_unique<ServerProcess>(data_);
    ASSERT_TRUE(server_->started()) << server_->Stderr();
    client_ = std::make_unique<HttpClient>(server_->url());
  }

  // POST /v1/reports as `org`; returns the id (empty on failure, which fails the test).
  std::string Submit(const std::string& org, json report) {
    if (!report.contains("release_to")) report["release_to"] = {"members"};
    if (!report.contains("tlp")) report["tlp"] = "green";
    HttpResult r = client_->Post("/v1/reports", report.dump(), tokens_[org]);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? json::parse(r.body)["id"].get<std::string>() : "";
  }

  // GET /v1/search?<query string> as `org`.
  HttpResult Search(const std::string& org, const std::string& query_string) {
    return client_->Get("/v1/search?" + query_string, tokens_[org]);
  }

  json SearchJson(const std::string& org, const std::string& query_string) {
    HttpResult r = Search(org, query_string);
    EXPECT_EQ(r.status, 200) << query_string << ": " << r.body;
    json j = json::parse(r.body, nullptr, false);
    return j.is_discarded() ? json::object({{"hits", json::array()}, {"total", 0}}) : j;
  }

  // Polls until `id` is a hit of the search or kSearchableWithin has passed since `since`.
  // Returns how long it took (or more than kSearchableWithin).
  Clock::duration WaitFound(const std::string& org, const std::string& query_string,
                            const std::string& id, Clock::time_point since) {
    for (;;) {
      const json answer = SearchJson(org, query_string);
      const auto elapsed = Clock::now() - since;
      if (Contains(HitIds(answer), id)) return elapsed;
      if (elapsed > kSearchableWithin) return elapsed;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  // Every page of a search, following next_cursor; the raw bodies.
  std::vector<std::string> AllPages(const std::string& org, const std::string& query_string) {
    std::vector<std::string> bodies;
    std::string cursor;
    for (int guard = 0; guard < 1000; ++guard) {
      HttpResult r = Search(org, query_string + (cursor.empty() ? "" : "&cursor=" + UrlEncode(cursor)));
      EXPECT_EQ(r.status, 200) << r.body;
      if (r.status != 200) break;
      bodies.push_back(r.body);
      const json j = json::parse(r.body);
      if (j["next_cursor"].is_null()) break;
      cursor = j["next_cursor"];
    }
    return bodies;
  }

  TempDir dir_;
  std::string data_;
  std::map<std::string, std::string> tokens_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<HttpClient> client_;
};

TEST_F(SearchTest, ArabicAndMultilingualRecallWithinASecondOfThe201) {
  struct Case {
    std::string query;
    std::string document;  // a sentence holding the form the query must find
    std::string lang;
  } cases[] = {
      {"التناوب", "تتولى الدول الأعضاء رئاسة المجلس بالتناوب كل ثلاثة أشهر", "ar"},
      {"إيران", "وصل وفد من ايران الى العاصمة صباح اليوم", "ar"},
      {"الدولة", "أعلنت وزارة الخارجية أن الهجوم تبناه تنظيم تابع للدولة", "ar"},
      {"مركز", "افتتح المركز الجديد لتبادل المعلومات أبوابه أمس", "ar"},
      {"العراق", "اجتمع ممثلو سوريا والعراق في عمان لبحث أمن الحدود", "ar"},
      {"Багдад", "Делегация прибыла в Багдаде во вторник утром", "ru"},
  };
  Clock::duration slowest{};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.query);
    const std::string id = Submit("m2", {{"title", "تقرير"}, {"body", c.document}, {"lang", c.lang}});
    const auto since = Clock::now();  // the 201 has just come back
    const auto took = WaitFound("host", "q=" + UrlEncode(c.query), id, since);
    EXPECT_LE(took, kSearchableWithin)
        << c.query << " did not find " << c.document << " within 1 s";
    slowest = std::max(slowest, took);
  }
  std::cout << "searchable at most "
            << std::chrono::duration_cast<std::chrono::milliseconds>(slowest).count()
            << " ms after the 201" << std::endl;

  // "Baghdad" is not "Bagdad" as a word; the entity, resolved by the gazetteer in both
  // spellings, finds it.
  const std::string bagdad = Submit("m2", {{"title", "Attentat"},
                                           {"body", "Une explosion a fait trois blessés à Bagdad."},
                                           {"lang", "fr"}});
  const auto since = Clock::now();
  EXPECT_LE(WaitFound("host", "q=&entity=city%3A98182", bagdad, since), kSearchableWithin);
  EXPECT_FALSE(Contains(HitIds(SearchJson("host", "q=Baghdad")), bagdad));
  EXPECT_TRUE(Contains(HitIds(SearchJson("host", "q=" + UrlEncode("entity:city:98182"))), bagdad));
  EXPECT_TRUE(Contains(HitIds(SearchJson("host", "q=Bagdad")), bagdad));
}

TEST_F(SearchTest, NoOracleOrgBsAnswersAreByteIdenticalWhateverOrgAAddsForItself) {
  // What m2 may read: reports of m3 to the members, with the words the queries use.
  std::string last;
  for (int i = 0; i < 12; ++i) {
    last = Submit("m3", {{"title", "Convoy report " + std::to_string(i)},
                         {"body", std::string(i % 3 == 0 ? "Iraq " : "") +
                                      "A convoy of trucks crossed the border near Baghdad. " +
                                      std::string(static_cast<std::size_t>(i), 'x')},
                         {"lang", "en"}});
  }
  ASSERT_LE(WaitFound("m2", "q=convoy", last, Clock::now()), kSearchableWithin);
  const std::vector<std::string> queries = {
      "q=convoy&limit=5",
      "q=convoy+trucks&limit=3&facets=lang,entity,originator,tlp",
      "q=" + UrlEncode("convoy OR iraq") + "&limit=4",
      "q=&limit=5",
      "q=baghdad&entity=country%3AIQ&limit=2",
      "q=" + UrlEncode("\"convoy of trucks\"") + "&limit=7&facets=none",
  };
  std::map<std::string, std::vector<std::string>> before;
  for (const std::string& q : queries) before[q] = AllPages("m2", q);

  // host adds reports only host may read, full of the same words, and waits until host finds
  // them: they are in the index.
  std::string private_id;
  for (int i = 0; i < 10; ++i) {
    private_id = Submit("host", {{"title", "Convoy convoy " + std::to_string(i)},
                                 {"body", "convoy trucks convoy Iraq Baghdad border convoy of trucks"},
                                 {"lang", i % 2 ? "en" : "fr"},
                                 {"release_to", json::array()}});
  }
  ASSERT_LE(WaitFound("host", "q=convoy&limit=100", private_id, Clock::now()), kSearchableWithin);

  for (const std::string& q : queries) {
    SCOPED_TRACE(q);
    const std::vector<std::string> after = AllPages("m2", q);
    ASSERT_EQ(after.size(), before[q].size());
    for (std::size_t k = 0; k < after.size(); ++k) EXPECT_EQ(after[k], before[q][k]) << "page " << k;
  }
}

TEST_F(SearchTest, FiltersFacetsAndCursorPagesWithoutDuplicateOrGap) {
  // 31 reports: three originators, two languages, some naming Iraq, observed on three days.
  const char* days[] = {"2015-10-01T08:00:00Z", "2015-10-02T08:00:00Z", "2015-10-03T08:00:00Z"};
  const char* orgs[] = {"host", "m2", "m3"};
  std::map<std::string, json> sent;
  std::string last;
  for (int i = 0; i < 31; ++i) {
    const bool arabic = i % 4 == 0;
    json r = {{"title", arabic ? "تقرير دورية" : "Patrol report"},
              {"body", arabic ? "شوهدت دورية قرب الحدود مع العراق"
                              : std::string("A patrol was seen ") + (i % 3 ? "in the north." : "in Iraq.")},
              {"lang", arabic ? "ar" : "en"},
              {"observed_at", days[i % 3]},
              {"tlp", i % 5 == 0 ? "amber" : "green"}};
    last = Submit(orgs[i % 3], r);
    r["originator"] = orgs[i % 3];
    sent[last] = r;
  }
  ASSERT_LE(WaitFound("host", "q=", last, Clock::now()), kSearchableWithin);

  // All pages of 7: every report once, none missing, totals steady.
  std::set<std::string> seen;
  std::size_t pages = 0;
  for (const std::string& body : AllPages("host", "q=&limit=7")) {
    const json page = json::parse(body);
    EXPECT_EQ(page["total"], 31);
    EXPECT_LE(page["hits"].size(), 7u);
    for (const std::string& id : HitIds(page)) EXPECT_TRUE(seen.insert(id).second) << "twice: " << id;
    ++pages;
  }
  EXPECT_EQ(pages, 5u);
  EXPECT_EQ(seen.size(), 31u);
  // The same over a text query with ties broken by seq.
  seen.clear();
  std::size_t total = 0;
  for (const std::string& body : AllPages("host", "q=patrol&limit=4")) {
    const json page = json::parse(body);
    total = page["total"];
    double previous = 1e300;
    for (const json& h : page["hits"]) {
      EXPECT_TRUE(seen.insert(h["id"]).second);
      EXPECT_LE(h["score"].get<double>(), previous);
      previous = h["score"];
    }
  }
  EXPECT_EQ(seen.size(), total);
  EXPECT_EQ(total, 23u) << "the English reports (the Arabic ones say دورية)";

  // Filters: every hit satisfies them, and the count is what was sent.
  auto count_sent = [&](auto pred) {
    std::size_t n = 0;
    for (const auto& [id, r] : sent) n += pred(r) ? 1 : 0;
    return n;
  };
  json j = SearchJson("host", "q=&originator=m2&limit=100");
  EXPECT_EQ(j["total"], count_sent([](const json& r) { return r["originator"] == "m2"; }));
  for (const json& h : j["hits"]) EXPECT_EQ(h["originator"], "m2");
  j = SearchJson("host", "q=&lang=ar&limit=100");
  EXPECT_EQ(j["total"], count_sent([](const json& r) { return r["lang"] == "ar"; }));
  for (const json& h : j["hits"]) EXPECT_EQ(h["lang"], "ar");
  j = SearchJson("host", "q=&originator=host,m3&tlp=amber&limit=100");
  EXPECT_EQ(j["total"], count_sent([](const json& r) {
              return r["originator"] != "m2" && r["tlp"] == "amber";
            }));
  j = SearchJson("host", "q=&from=2015-10-02&to=2015-10-02&limit=100");
  EXPECT_EQ(j["total"], count_sent([&](const json& r) { return r["observed_at"] == days[1]; }));
  for (const json& h : j["hits"]) EXPECT_EQ(h["observed_at"], days[1]);
  j = SearchJson("host", "q=&entity=country%3AIQ&limit=100");
  EXPECT_EQ(j["total"], count_sent([](const json& r) {
              const std::string body = r["body"];
              return body.find("Iraq") != std::string::npos || body.find("العراق") != std::string::npos;
            }));
  EXPECT_EQ(j["entity_names"]["country:IQ"], "Iraq");

  // Facets count the matches: each facet's counts add up to the total (one value a report).
  j = SearchJson("host", "q=");
  std::uint64_t by_lang = 0, by_originator = 0;
  for (const auto& [lang, n] : j["facets"]["lang"].items()) by_lang += n.get<std::uint64_t>();
  for (const auto& [org, n] : j["facets"]["originator"].items()) by_originator += n.get<std::uint64_t>();
  EXPECT_EQ(by_lang, 31u);
  EXPECT_EQ(by_originator, 31u);
  EXPECT_EQ(j["facets"]["originator"]["host"], 11);
  EXPECT_GT(j["facets"]["entity"]["country:IQ"].get<int>(), 0);
  EXPECT_EQ(j["hits"].size(), 20u) << "the default limit";
  EXPECT_TRUE(SearchJson("host", "q=&facets=none")["facets"].empty());

  // Snippets highlight the matched words.
  j = SearchJson("host", "q=patrol&limit=1");
  ASSERT_EQ(j["hits"].size(), 1u);
  EXPECT_FALSE(j["hits"][0]["highlights"].empty()) << j.dump();
}

TEST_F(SearchTest, RefusalsAndAuthentication) {
  const std::pair<std::string, std::string> cases[] = {
      {"q=" + UrlEncode("\"unclosed"), "bad_query"},
      {"q=" + UrlEncode("nosuchfield:x"), "bad_query"},
      {"q=x&cursor=garbage", "bad_cursor"},
      {"q=x&cursor=v1AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA%21", "bad_cursor"},
      {"q=x&limit=0", "bad_limit"},
      {"q=x&limit=101", "bad_limit"},
      {"q=x&limit=many", "bad_limit"},
      {"q=x&from=last-week", "invalid_time"},
      {"q=x&facets=title", "bad_facets"},
      {"q=x&sort=date", "unknown_parameter"},
  };
  for (const auto& [query, code] : cases) {
    HttpResult r = Search("host", query);
    EXPECT_EQ(r.status, 400) << query << ": " << r.body;
    EXPECT_EQ(json::parse(r.body)["error"]["code"], code) << query;
  }
  HttpResult anonymous = client_->Get("/v1/search?q=x");
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(json::parse(anonymous.body)["error"]["code"], "missing_token");
  HttpResult bad = client_->Get("/v1/search?q=x", "mkz_not_a_token");
  EXPECT_EQ(bad.status, 401);
}

TEST_F(SearchTest, TheCommandLineAsAUserTypesIt) {
  const std::string id = Submit("m2", {{"title", "Checkpoint moved"},
                                       {"body", "The checkpoint on the northern road moved east."},
                                       {"lang", "en"}});
  Submit("m2", {{"title", "Checkpoint again"}, {"body", "A second checkpoint opened."}, {"lang", "en"}});
  ASSERT_LE(WaitFound("host", "q=checkpoint", id, Clock::now()), kSearchableWithin);

  CommandResult table = RunMarkaz({"search", "checkpoint northern", "--url", server_->url(),
                                   "--token", tokens_["host"]});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find(id), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("Checkpoint moved"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("1 of 1 hits"), std::string::npos) << table.out;

  CommandResult paged = RunMarkaz({"search", "checkpoint", "--url", server_->url(), "--token",
                                   tokens_["host"], "--json", "--limit", "1", "--originator", "m2",
                                   "--lang", "en"});
  ASSERT_EQ(paged.exit_code, 0) << paged.err;
  const json first = json::parse(paged.out);
  EXPECT_EQ(first["total"], 2);
  ASSERT_EQ(first["hits"].size(), 1u);
  ASSERT_TRUE(first["next_cursor"].is_string());
  CommandResult second = RunMarkaz({"search", "checkpoint", "--url", server_->url(), "--token",
                                    tokens_["host"], "--json", "--limit", "1", "--originator",
                                    "m2", "--lang", "en", "--cursor", first["next_cursor"]});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  const json next = json::parse(second.out);
  ASSERT_EQ(next["hits"].size(), 1u);
  EXPECT_NE(next["hits"][0]["id"], first["hits"][0]["id"]);
  EXPECT_TRUE(next["next_cursor"].is_null());

  CommandResult refused = RunMarkaz({"search", "\"unclosed", "--url", server_->url(), "--token",
                                     tokens_["host"]});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("bad_query"), std::string::npos) << refused.err;
  EXPECT_TRUE(refused.out.empty());
  CommandResult unauthorised =
      RunMarkaz({"search", "x", "--url", server_->url(), "--token", "mkz_wrong"});
  EXPECT_NE(unauthorised.exit_code, 0);
  EXPECT_NE(unauthorised.err.find("invalid_token"), std::string::npos) << unauthorised.err;
}

TEST(SearchDemo, TheSeedArticleIsSearchable) {
  TempDir dir;
  ServerProcess server = ServerProcess::Command(
      {"demo", "--data", dir.Sub("data"), "--reports", "20", "--listen", "127.0.0.1:0"},
      dir.Sub("demo"));
  ASSERT_TRUE(server.started()) << server.Stderr();
  std::string token;
  std::istringstream lines(server.Stdout());
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::string org, t;
    if (words >> org >> t && t.rfind("mkz_", 0) == 0 && org == "north") token = t;
  }
  ASSERT_FALSE(token.empty()) << server.Stdout();
  HttpClient client(server.url());
  HttpResult r = client.Get("/v1/search?q=" + UrlEncode("التناوب"), token);
  ASSERT_EQ(r.status, 200) << r.body;
  const json j = json::parse(r.body);
  ASSERT_GE(j["total"].get<int>(), 1) << r.body;
  bool seed = false;
  for (const json& h : j["hits"]) seed = seed || h["lang"] == "ar";
  EXPECT_TRUE(seed) << r.body;
}

}  // namespace
}  // namespace markaz::testutil
