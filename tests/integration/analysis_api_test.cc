// Stories, entities, timelines, graphs and trends through the real server (issue 6): reprints
// and excerpts join their article's story; the no-oracle matrix (for several markings and
// viewers, reports a viewer may not read change nothing in any of its answers, and their ids
// are 404 everywhere); refusals; stories survive a restart and keep attracting reprints.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
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

// Where an article happens: the entities it names.
struct Place {
  std::string city, country, neighbour;
};
const Place kIraq{"Baghdad", "Iraq", "Jordan"};
const Place kLebanon{"Beirut", "Lebanon", "Cyprus"};
const Place kSyria{"Damascus", "Syria", "Turkey"};

// A made-up word of three syllables, different for each seed (no gazetteer name is made of
// these syllables).
std::string Word(unsigned& seed) {
  static const char* kSyllables[] = {"qux", "zeb", "vorn", "plim", "drax", "yog", "fesk", "wub",
                                     "grelt", "smov", "kwid", "jarp", "thoz", "brik", "nulv", "ospq"};
  std::string w;
  for (int i = 0; i < 3; ++i) {
    seed = seed * 1103515245u + 12345u;
    w += kSyllables[(seed >> 16) % 16];
  }
  return w;
}

// A news-like article in five paragraphs: each opens with a sentence naming `where`, then
// words that only this `n` produces, so that articles of different n share (almost) no word
// 5-shingles while reprints and excerpts of one article share theirs.
std::vector<std::string> Article(int n, const Place& where = kIraq) {
  unsigned seed = static_cast<unsigned>(n) * 7919u + 17u;
  std::vector<std::string> paragraphs;
  for (int p = 0; p < 5; ++p) {
    std::string text = p % 2 == 0 ? "Officials in " + where.city + " said that " + where.country +
                                        " and " + where.neighbour + " agreed"
                                  : "The statement from " + where.city + " added";
    for (int w = 0; w < 30; ++w) text += " " + Word(seed);
    paragraphs.push_back(text + ".");
  }
  return paragraphs;
}

std::string Join(const std::vector<std::string>& paragraphs, std::size_t from, std::size_t to) {
  std::string out;
  for (std::size_t i = from; i < to; ++i) {
    if (!out.empty()) out += "\n\n";
    out += paragraphs[i];
  }
  return out;
}

class AnalysisApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = InitCentre(dir_, TestCharter(Rfc3339FromNow(-std::chrono::hours(24))));
    for (const char* org : {"host", "m2", "m3", "p1"}) tokens_[org] = CreateToken(data_, org, "analyst");
    Start();
  }

  void Start() {
    server_ = std::make_unique<ServerProcess>(data_);
    ASSERT_TRUE(server_->started()) << server_->Stderr();
    client_ = std::make_unique<HttpClient>(server_->url());
  }

  // POST /v1/reports as `org`; the 201 body.
  json Submit(const std::string& org, json report) {
    if (!report.contains("release_to")) report["release_to"] = {"members", "partners"};
    if (!report.contains("tlp")) report["tlp"] = "green";
    if (!report.contains("lang")) report["lang"] = "en";
    HttpResult r = client_->Post("/v1/reports", report.dump(), tokens_[org]);
    EXPECT_EQ(r.status, 201) << r.body;
    json j = json::parse(r.body, nullptr, false);
    return j.is_discarded() ? json::object() : j;
  }

  json GetJson(const std::string& org, const std::string& target, int want = 200) {
    HttpResult r = client_->Get(target, tokens_[org]);
    EXPECT_EQ(r.status, want) << target << ": " << r.body;
    json j = json::parse(r.body, nullptr, false);
    return j.is_discarded() ? json::object() : j;
  }

  // Waits until `org`'s search finds `id` (the index is near-real-time: ≤ 1 s).
  void WaitSearchable(const std::string& org, const std::string& id) {
    for (int i = 0; i < 200; ++i) {
      json j = GetJson(org, "/v1/search?q=&limit=100&facets=none");
      for (const json& h : j["hits"]) {
        if (h["id"] == id) return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ADD_FAILURE() << id << " never became searchable for " << org;
  }

  TempDir dir_;
  std::string data_;
  std::map<std::string, std::string> tokens_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<HttpClient> client_;
};

TEST_F(AnalysisApiTest, ReprintsAndExcerptsJoinTheirArticlesStory) {
  const std::vector<std::string> a = Article(1);
  const json original = Submit("host", {{"title", "Aid convoy crosses into Iraq"}, {"body", Join(a, 0, 5)},
                                        {"observed_at", "2015-10-05T08:00:00Z"}});
  const std::string story = original["analysis"]["story"];
  ASSERT_EQ(story.rfind("sto_", 0), 0u) << original.dump();
  EXPECT_TRUE(original["analysis"]["near_duplicates"].empty());

  const json reprint = Submit("m2", {{"title", "UPDATE 1-Aid convoy crosses into Iraq"},
                                     {"body", "(Agency 7) - " + Join(a, 0, 5)},
                                     {"observed_at", "2015-10-05T09:30:00Z"}});
  EXPECT_EQ(reprint["analysis"]["story"], story);
  ASSERT_EQ(reprint["analysis"]["near_duplicates"].size(), 1u);
  EXPECT_EQ(reprint["analysis"]["near_duplicates"][0]["id"], original["id"]);
  EXPECT_GT(reprint["analysis"]["near_duplicates"][0]["similarity"].get<double>(), 0.8);

  const json excerpt = Submit("m3", {{"title", "Aid convoy crosses into Iraq"}, {"body", Join(a, 2, 4)},
                                     {"observed_at", "2015-10-05T11:00:00Z"}});
  EXPECT_EQ(excerpt["analysis"]["story"], story) << "an excerpt joins by containment";

  const json other = Submit("host", {{"title", "Talks resume in Beirut"}, {"body", Join(Article(2, kLebanon), 0, 5)},
                                     {"observed_at", "2015-10-20T08:00:00Z"}});
  EXPECT_NE(other["analysis"]["story"], story);

  EXPECT_NE(reprint["analysis"]["story"], other["analysis"]["story"]);
  // The story as m2 sees it: all three reports are released to members.
  const json s = GetJson("m2", "/v1/stories/" + story);
  EXPECT_EQ(s["size"], 3);
  EXPECT_EQ(s["originators"], json({"host", "m2", "m3"}));
  EXPECT_EQ(s["langs"], json({"en"}));
  EXPECT_EQ(s["first_seen"], "2015-10-05T08:00:00Z");
  EXPECT_EQ(s["last_seen"], "2015-10-05T11:00:00Z");
  EXPECT_EQ(s["reports"], json({excerpt["id"], reprint["id"], original["id"]})) << "newest first";
  EXPECT_EQ(s["headline"], "Aid convoy crosses into Iraq") << "the newest report's title";

  // The list, by last activity: the Geneva story (Oct 20) before the convoy (Oct 5).
  const json list = GetJson("m2", "/v1/stories?limit=10");
  ASSERT_EQ(list["stories"].size(), 2u) << list.dump();
  EXPECT_EQ(list["stories"][0]["id"], other["analysis"]["story"]);
  EXPECT_EQ(list["stories"][1]["id"], story);
  // Paging by one gives the same stories in the same order.
  json page = GetJson("m2", "/v1/stories?limit=1");
  ASSERT_EQ(page["stories"].size(), 1u);
  EXPECT_EQ(page["stories"][0]["id"], other["analysis"]["story"]);
  ASSERT_TRUE(page["next_cursor"].is_string());
  page = GetJson("m2", "/v1/stories?limit=1&cursor=" + UrlEncode(page["next_cursor"]));
  ASSERT_EQ(page["stories"].size(), 1u);
  EXPECT_EQ(page["stories"][0]["id"], story);
  EXPECT_TRUE(page["next_cursor"].is_null());
  // from/to filter on last activity.
  const json late = GetJson("m2", "/v1/stories?from=2015-10-10");
  ASSERT_EQ(late["stories"].size(), 1u);
  EXPECT_EQ(late["stories"][0]["id"], other["analysis"]["story"]);

  // The story filter of search finds its members.
  WaitSearchable("m2", excerpt["id"]);
  const json hits = GetJson("m2", "/v1/search?q=&story=" + story + "&facets=none");
  EXPECT_EQ(hits["total"], 3);
  for (const json& h : hits["hits"]) EXPECT_EQ(h["story"], story);
}

TEST_F(AnalysisApiTest, EntitiesAreFoundByAnyScriptAndCountOnlyVisibleMentions) {
  const json found = GetJson("m2", "/v1/entities?q=" + UrlEncode("بغد"));
  bool baghdad = false;
  for (const json& e : found["entities"]) {
    if (e["names"].contains("en") && e["names"]["en"][0] == "Baghdad") baghdad = true;
  }
  EXPECT_TRUE(baghdad) << found.dump();
  const json iraq = GetJson("m2", "/v1/entities?q=iraq&limit=3");
  ASSERT_FALSE(iraq["entities"].empty());
  EXPECT_EQ(iraq["entities"][0]["id"], "country:IQ");
  EXPECT_EQ(iraq["entities"][0]["mentions"], 0);

  Submit("host", {{"title", "Convoy"}, {"body", Join(Article(3), 0, 5)}, {"observed_at", "2015-10-05T08:00:00Z"}});
  Submit("host", {{"title", "Convoy"}, {"body", Join(Article(4), 0, 5)}, {"observed_at", "2015-10-06T08:00:00Z"}});
  // Only host may read this one.
  Submit("host", {{"title", "Convoy"}, {"body", Join(Article(5), 0, 5)}, {"observed_at", "2015-10-06T09:00:00Z"},
                  {"release_to", json::array()}, {"tlp", "amber"}});

  const json for_m2 = GetJson("m2", "/v1/entities/country:IQ");
  EXPECT_EQ(for_m2["mentions"], 2);
  EXPECT_EQ(for_m2["kind"], "country");
  EXPECT_TRUE(for_m2["names"].contains("ar"));
  EXPECT_EQ(GetJson("host", "/v1/entities/country%3AIQ")["mentions"], 3) << "ids may be percent-encoded";
  const json timeline = GetJson("m2", "/v1/entities/country:IQ/timeline?bucket=day");
  EXPECT_EQ(timeline["points"], json::parse(R"([{"start":"2015-10-05T00:00:00Z","count":1},
                                                {"start":"2015-10-06T00:00:00Z","count":1}])"));
  const json graph = GetJson("m2", "/v1/entities/country:IQ/graph");
  std::map<std::string, int> weights;
  for (const json& e : graph["edges"]) weights[e["entity"]] = e["weight"];
  EXPECT_EQ(weights["country:JO"], 2) << graph.dump();
  EXPECT_EQ(weights["city:98182"], 2) << "Baghdad: " << graph.dump();
  EXPECT_EQ(weights.count("country:IQ"), 0u) << "an entity is not its own neighbour";
}

TEST_F(AnalysisApiTest, RefusalsAreClearAndChangeNothing) {
  struct Case {
    std::string target;
    int status;
    std::string code;
  } cases[] = {
      {"/v1/stories?limit=0", 400, "bad_limit"},
      {"/v1/stories?limit=abc", 400, "bad_limit"},
      {"/v1/stories?cursor=garbage", 400, "bad_cursor"},
      {"/v1/stories?from=yesterday", 400, "invalid_time"},
      {"/v1/stories?sort=size", 400, "unknown_parameter"},
      {"/v1/stories/sto_00000000000000000000000000", 404, "not_found"},
      {"/v1/entities", 400, "bad_query"},
      {"/v1/entities?q=", 400, "bad_query"},
      {"/v1/entities/country:XX", 404, "not_found"},
      {"/v1/entities/country:IQ/timeline?bucket=month", 400, "bad_bucket"},
      {"/v1/entities/country:IQ/timeline?from=2015-10-05&to=2015-10-01", 400, "bad_range"},
      {"/v1/entities/country:IQ/graph?limit=1000", 400, "bad_limit"},
      {"/v1/entities/country:XX/graph", 404, "not_found"},
      {"/v1/trends?window=24", 400, "bad_window"},
      {"/v1/trends?window=0h", 400, "bad_window"},
      {"/v1/trends?window=90d", 400, "bad_window"},
      {"/v1/trends?end=soon", 400, "invalid_time"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.target);
    HttpResult r = client_->Get(c.target, tokens_["m2"]);
    EXPECT_EQ(r.status, c.status) << r.body;
    json j = json::parse(r.body, nullptr, false);
    ASSERT_TRUE(j.is_object()) << r.body;
    EXPECT_EQ(j["error"]["code"], c.code) << r.body;
    EXPECT_TRUE(j["error"]["message"].is_string());
  }
  EXPECT_EQ(client_->Get("/v1/stories", "").status, 401);
}

// Every answer of the analysis endpoints (and search) that `viewer` gets, as raw bodies.
std::map<std::string, std::string> Snapshot(HttpClient& client, const std::string& token,
                                            const std::vector<std::string>& stories) {
  std::map<std::string, std::string> out;
  std::vector<std::string> targets = {
      "/v1/stories?limit=100",
      "/v1/stories?limit=1",
      "/v1/entities?q=ira",
      "/v1/entities/country:IQ",
      "/v1/entities/country:JO",
      "/v1/entities/country:IQ/timeline?bucket=hour",
      "/v1/entities/country:IQ/timeline?bucket=day",
      "/v1/entities/country:IQ/timeline?bucket=week",
      "/v1/entities/country:IQ/graph",
      "/v1/entities/country:JO/graph",
      "/v1/trends?window=24h&end=2015-10-08T00:00:00Z",
      "/v1/trends?window=7d&end=2015-10-20T00:00:00Z",
      "/v1/trends?window=24h&end=2015-10-26T00:00:00Z",
      "/v1/entities/country:SY/timeline?bucket=hour",
      "/v1/search?q=convoy&facets=lang,entity,originator,story",
      "/v1/search?q=&facets=story,entity",
  };
  for (const std::string& s : stories) targets.push_back("/v1/stories/" + s);
  for (const std::string& t : targets) {
    HttpResult r = client.Get(t, token);
    out[t] = std::to_string(r.status) + " " + r.body;
  }
  return out;
}

TEST_F(AnalysisApiTest, NoOracleReportsOutsideTheAudienceChangeNoAnswerAndAre404) {
  // A visible base: two stories across several days, released to members and partners.
  std::vector<std::string> stories;
  std::vector<std::string> visible_ids;
  for (int n = 0; n < 2; ++n) {
    const auto a = Article(10 + n, n == 0 ? kIraq : kLebanon);
    for (int day = 0; day < 3; ++day) {
      const json r = Submit(day == 0 ? "host" : "m3",
                            {{"title", "Convoy " + std::to_string(n)},
                             {"body", (day == 0 ? "" : "(Agency " + std::to_string(day) + ") - ") + Join(a, 0, 5)},
                             {"observed_at", "2015-10-0" + std::to_string(5 + day) + "T0" + std::to_string(day) + ":00:00Z"}});
      visible_ids.push_back(r["id"]);
      if (day == 0) stories.push_back(r["analysis"]["story"]);
    }
  }
  WaitSearchable("m2", visible_ids.back());

  // Markings of the hidden reports, and who must not see them.
  struct Hidden {
    std::string name;
    json release_to;
    std::string tlp;
    std::vector<std::string> outsiders;
  } markings[] = {
      {"originator only", json::array(), "amber", {"m2", "m3", "p1"}},
      {"bilateral to m3", json({"m3"}), "amber", {"m2", "p1"}},
      {"members only", json({"members"}), "amber", {"p1"}},
      {"red, originator only", json::array(), "red", {"m2", "m3", "p1"}},
  };
  int round = 0;
  for (const Hidden& h : markings) {
    SCOPED_TRACE(h.name);
    std::map<std::string, std::map<std::string, std::string>> before;
    for (const std::string& viewer : h.outsiders) {
      before[viewer] = Snapshot(*client_, tokens_[viewer], stories);
    }
    // Hidden reports: a reprint joining a visible story, a report starting a story of its own,
    // and mentions of visible entities at new times (timeline, graph, trend material).
    std::vector<std::string> hidden_ids;
    std::vector<std::string> hidden_stories;
    const json reprint = Submit("host", {{"title", "Convoy 0"}, {"body", "(Agency 9) - " + Join(Article(10), 0, 5)},
                                         {"observed_at", "2015-10-07T12:00:00Z"},
                                         {"release_to", h.release_to}, {"tlp", h.tlp}});
    EXPECT_EQ(reprint["analysis"]["story"], stories[0]) << "the hidden reprint joins the visible story";
    hidden_ids.push_back(reprint["id"]);
    // Far from the visible stories' days, so that no follow-up joins them: new stories.
    for (int k = 0; k < 6; ++k) {
      const json r = Submit("host", {{"title", "Border closed"},
                                     {"body", Join(Article(100 + round * 10 + k, k % 2 ? kSyria : kIraq), 0, 5)},
                                     {"observed_at", "2015-10-25T1" + std::to_string(k) + ":00:00Z"},
                                     {"release_to", h.release_to}, {"tlp", h.tlp}});
      hidden_ids.push_back(r["id"]);
      hidden_stories.push_back(r["analysis"]["story"]);
    }
    WaitSearchable("host", hidden_ids.back());
    for (const std::string& viewer : h.outsiders) {
      SCOPED_TRACE("viewer " + viewer);
      const auto after = Snapshot(*client_, tokens_[viewer], stories);
      for (const auto& [target, body] : before[viewer]) {
        EXPECT_EQ(after.at(target), body) << target;
      }
      for (const std::string& id : hidden_ids) {
        EXPECT_EQ(client_->Get("/v1/reports/" + id, tokens_[viewer]).status, 404) << id;
      }
      for (const std::string& s : hidden_stories) {
        if (s == stories[0] || s == stories[1]) continue;
        HttpResult r = client_->Get("/v1/stories/" + s, tokens_[viewer]);
        EXPECT_EQ(r.status, 404) << s;
        EXPECT_EQ(json::parse(r.body)["error"]["code"], "not_found");
      }
      // A visible report of the story does not list the hidden reprint as a near-duplicate.
      const json seen = GetJson(viewer, "/v1/reports/" + visible_ids[0]);
      for (const json& d : seen["analysis"]["near_duplicates"]) {
        EXPECT_NE(d["id"], reprint["id"]);
      }
    }
    // The originator does see what it added.
    const json own = GetJson("host", "/v1/stories/" + stories[0]);
    EXPECT_EQ(own["size"].get<int>(), 3 + round + 1) << own.dump();
    ++round;
  }
}

TEST_F(AnalysisApiTest, StoriesSurviveARestartAndKeepAttractingReprints) {
  const auto a = Article(42);
  const json original = Submit("host", {{"title", "Convoy"}, {"body", Join(a, 0, 5)},
                                        {"observed_at", "2015-10-05T08:00:00Z"}});
  const std::string story = original["analysis"]["story"];
  ASSERT_FALSE(story.empty());
  ASSERT_EQ(server_->Terminate(), 0) << server_->Stderr();
  Start();
  EXPECT_EQ(GetJson("m2", "/v1/stories/" + story)["size"], 1) << "loaded from the store";
  const json reprint = Submit("m2", {{"title", "Convoy"}, {"body", "(Agency 2) - " + Join(a, 0, 5)},
                                     {"observed_at", "2015-10-05T10:00:00Z"}});
  EXPECT_EQ(reprint["analysis"]["story"], story) << "the LSH tables were rebuilt from the store";
  EXPECT_EQ(GetJson("m2", "/v1/stories/" + story)["size"], 2);
  EXPECT_EQ(GetJson("m2", "/v1/entities/country:IQ")["mentions"], 2);
}

}  // namespace
}  // namespace markaz::testutil

namespace markaz::testutil {
namespace {

// `markaz demo` groups the generator's reprints and excerpts with their originals: checked
// against the ground truth `markaz gen --truth` writes for the same seed and count.
TEST(DemoStories, GeneratedReprintsAndExcerptsAreGrouped) {
  TempDir dir;
  constexpr int kReports = 400;
  ServerProcess server = ServerProcess::Command(
      {"demo", "--live-every", "0", "--data", dir.Sub("data"), "--reports", std::to_string(kReports), "--listen",
       "127.0.0.1:0"},
      dir.Sub("demo"));
  ASSERT_TRUE(server.started()) << server.Stderr();
  std::string token;
  {
    std::istringstream lines(server.Stdout());
    for (std::string line; std::getline(lines, line);) {
      std::istringstream words(line);
      std::string org, t;
      if (words >> org >> t && org == "host" && t.rfind("mkz_", 0) == 0) token = t;
    }
  }
  ASSERT_FALSE(token.empty()) << server.Stdout();
  // The demo's generator options: seed 2015 (cmd_demo.cc).
  CommandResult gen = RunMarkaz({"gen", "--seed", "2015", "--count", std::to_string(kReports),
                                 "--out", dir.Sub("reports.ndjson"), "--truth", dir.Sub("truth.ndjson")});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;

  HttpClient client(server.url());
  // Every report host may read: its story (search hits) and its external_id (the report).
  std::map<std::string, std::string> story_of;  // external_id → story
  std::string cursor;
  for (int guard = 0; guard < 100; ++guard) {
    HttpResult r = client.Get("/v1/search?q=&limit=100&facets=none" +
                                  (cursor.empty() ? "" : "&cursor=" + UrlEncode(cursor)),
                              token);
    ASSERT_EQ(r.status, 200) << r.body;
    const json page = json::parse(r.body);
    for (const json& h : page["hits"]) {
      const json report = json::parse(client.Get("/v1/reports/" + h["id"].get<std::string>(), token).body);
      if (report["external_id"].is_string() && h["story"].is_string()) {
        story_of[report["external_id"]] = h["story"];
      }
    }
    if (page["next_cursor"].is_null()) break;
    cursor = page["next_cursor"];
  }
  ASSERT_GT(story_of.size(), 100u);

  std::map<std::string, int> pairs, together;  // by kind
  std::istringstream truth(ReadFile(dir.Sub("truth.ndjson")));
  for (std::string line; std::getline(truth, line);) {
    const json t = json::parse(line);
    if (t["kind"] == "original" || t["kind"] == "rewrite") continue;
    auto dup = story_of.find(t["external_id"]);
    auto of = story_of.find(t["of"]);
    if (dup == story_of.end() || of == story_of.end()) continue;  // not visible to host
    ++pairs[t["kind"]];
    if (dup->second == of->second) ++together[t["kind"]];
  }
  for (const char* kind : {"reprint", "excerpt"}) {
    SCOPED_TRACE(kind);
    ASSERT_GT(pairs[kind], 5) << "too few visible pairs to judge";
    EXPECT_GE(together[kind], pairs[kind] * 9 / 10) << together[kind] << " of " << pairs[kind];
  }
  // And the stories list shows them: some visible story has several reports.
  const json stories = json::parse(client.Get("/v1/stories?limit=100", token).body);
  int grouped = 0;
  for (const json& s : stories["stories"]) grouped += s["size"].get<int>() > 1 ? 1 : 0;
  EXPECT_GT(grouped, 5) << stories.dump().substr(0, 2000);
}

}  // namespace
}  // namespace markaz::testutil
