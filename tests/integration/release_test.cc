// Release widening and release requests through the real server (issue 7 items 4 and 5;
// DESIGN.md §2 rules 2 and 3): who may widen (the originator's releasers and admins only:
// the third-party rule), the marking's bounds on a widening, requests and their decisions,
// inbox entries for every step, search and reads following the widened audience, and all of it
// surviving a restart.
//
// Charter (fixture.h): members host, m2, m3; partners p1 (may submit), p2.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "integration/api_answers.h"
#include "integration/fixture.h"
#include "testutil/http_client.h"
#include "testutil/server_process.h"

namespace markaz::testutil {
namespace {

using nlohmann::json;

class ReleaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = InitCentre(dir_, TestCharter(Rfc3339FromNow(-std::chrono::hours(24))));
    for (const char* org : {"host", "m2", "m3", "p1", "p2"}) {
      for (const char* role : {"analyst", "releaser", "admin"}) {
        tokens_[std::string(org) + "/" + role] = CreateToken(data_, org, role);
      }
    }
    Start();
  }

  void Start() {
    server_ = std::make_unique<ServerProcess>(data_);
    ASSERT_TRUE(server_->started()) << server_->Stderr();
    client_ = std::make_unique<HttpClient>(server_->url());
  }
  void Restart() {
    server_.reset();
    Start();
  }

  // POST /v1/reports as `who` ("org/role"); the new report's id.
  std::string Submit(const std::string& who, const std::string& title, const std::string& tlp,
                     json release_to) {
    json report = {{"title", title},
                   {"body", title + ": a report written for the release tests."},
                   {"lang", "en"},
                   {"tlp", tlp},
                   {"release_to", release_to}};
    HttpResult r = client_->Post("/v1/reports", report.dump(), tokens_.at(who));
    EXPECT_EQ(r.status, 201) << r.body;
    json j = json::parse(r.body, nullptr, false);
    return j.is_object() && j.contains("id") ? j["id"].get<std::string>() : "";
  }

  HttpResult Post(const std::string& who, const std::string& path, const json& body) {
    return client_->Post(path, body.dump(), tokens_.at(who));
  }
  HttpResult Get(const std::string& who, const std::string& path) {
    return client_->Get(path, tokens_.at(who));
  }
  static json Parse(const HttpResult& r) { return ParseBody(r); }
  static std::string ErrorCode(const HttpResult& r) { return ErrorCodeOf(r); }

  // The whole feed of `who`'s org.
  std::vector<json> Feed(const std::string& who) {
    std::vector<json> items;
    std::int64_t after = 0;
    for (;;) {
      HttpResult r = Get(who, "/v1/feed?after=" + std::to_string(after) + "&limit=1000");
      EXPECT_EQ(r.status, 200) << r.body;
      json j = Parse(r);
      if (!j.contains("items") || j["items"].empty()) return items;
      for (const json& item : j["items"]) items.push_back(item);
      after = j["next"].get<std::int64_t>();
    }
  }
  bool FeedHas(const std::string& who, const std::string& kind, const std::string& id) {
    for (const json& item : Feed(who)) {
      if (item.value("kind", "") == kind && item.value("id", "") == id) return true;
    }
    return false;
  }

  // Whether `who`'s search finds `id` by `word` within 3 s (the index is near-real-time).
  bool Finds(const std::string& who, const std::string& word, const std::string& id) {
    for (int i = 0; i < 150; ++i) {
      json j = Parse(Get(who, "/v1/search?q=" + word + "&limit=50&facets=none"));
      for (const json& h : j["hits"]) {
        if (h["id"] == id) return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }
  // Whether `who`'s search finds no hit for `word`, once the report of `probe` (visible to
  // `who`, submitted after) is searchable: so the absence is not a lag.
  bool FindsNothing(const std::string& who, const std::string& word) {
    json j = Parse(Get(who, "/v1/search?q=" + word + "&limit=50&facets=none"));
    return j.contains("hits") && j["hits"].empty();
  }

  int AuditCount(const std::string& action, const std::string& object) {
    return testutil::AuditCount(data_, action, object);
  }

  TempDir dir_;
  std::string data_;
  std::map<std::string, std::string> tokens_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<HttpClient> client_;
};

TEST_F(ReleaseTest, OriginatorReleaserWidensAndTheNewReadersGetIt) {
  const std::string id = Submit("host/analyst", "Zanzibarite convoy sighted", "amber", json::array());
  ASSERT_FALSE(id.empty());
  ASSERT_TRUE(Finds("host/analyst", "zanzibarite", id));
  EXPECT_EQ(Get("m2/analyst", "/v1/reports/" + id).status, 404);
  EXPECT_TRUE(FindsNothing("m2/analyst", "zanzibarite"));

  // Who may not widen, and how each is told: an analyst of the originator (403), a reader
  // who is not the originator never gets here (404 below), nor does anyone who cannot read it.
  HttpResult analyst = Post("host/analyst", "/v1/reports/" + id + "/release", {{"release_to", {"m2"}}});
  EXPECT_EQ(analyst.status, 403) << analyst.body;
  EXPECT_EQ(ErrorCode(analyst), "role_may_not_release");
  HttpResult outsider = Post("m2/releaser", "/v1/reports/" + id + "/release", {{"release_to", {"m2"}}});
  EXPECT_EQ(outsider.status, 404) << outsider.body;
  EXPECT_EQ(ErrorCode(outsider), "not_found");

  HttpResult widened = Post("host/releaser", "/v1/reports/" + id + "/release", {{"release_to", {"m2"}}});
  ASSERT_EQ(widened.status, 200) << widened.body;
  EXPECT_EQ(Parse(widened)["added"], json({"m2"}));
  EXPECT_EQ(Parse(widened)["audience"], json({"host", "m2"}));

  // m2 reads it, finds it, and has it in its feed; m3 still does not.
  EXPECT_EQ(Get("m2/analyst", "/v1/reports/" + id).status, 200);
  EXPECT_TRUE(Finds("m2/analyst", "zanzibarite", id));
  EXPECT_TRUE(FeedHas("m2/analyst", "report", id));
  EXPECT_EQ(Get("m3/analyst", "/v1/reports/" + id).status, 404);
  EXPECT_FALSE(FeedHas("m3/analyst", "report", id));

  // Third-party rule: m2 can read it now, but cannot pass it on (403, not 404: it may see it).
  HttpResult pass_on = Post("m2/releaser", "/v1/reports/" + id + "/release", {{"release_to", {"m3"}}});
  EXPECT_EQ(pass_on.status, 403) << pass_on.body;
  EXPECT_EQ(ErrorCode(pass_on), "not_originator");
  EXPECT_EQ(Get("m3/analyst", "/v1/reports/" + id).status, 404);

  // A partner that receives it cannot pass it on either: not by widening, not by a product
  // for another partner.
  ASSERT_EQ(Post("host/releaser", "/v1/reports/" + id + "/release", {{"release_to", {"p1"}}}).status,
            200);
  HttpResult partner = Post("p1/admin", "/v1/reports/" + id + "/release", {{"release_to", {"p2"}}});
  EXPECT_EQ(partner.status, 403) << partner.body;
  EXPECT_EQ(ErrorCode(partner), "not_originator");
  HttpResult product = Post("p1/analyst", "/v1/products",
                            {{"title", "Passed on"}, {"body", "b"}, {"tlp", "amber"},
                             {"release_to", {"p2"}}, {"cites", {id}}});
  EXPECT_EQ(product.status, 400) << product.body;
  EXPECT_EQ(ErrorCode(product), "product_audience");
  EXPECT_EQ(Get("p2/analyst", "/v1/reports/" + id).status, 404);

  // Naming only orgs that have it adds nothing: refused, nothing written.
  HttpResult again = Post("host/admin", "/v1/reports/" + id + "/release", {{"release_to", {"m2", "host"}}});
  EXPECT_EQ(again.status, 400) << again.body;
  EXPECT_EQ(ErrorCode(again), "nothing_added");

  // The widening is on the record, and survives a restart (store, index and analytics).
  EXPECT_EQ(AuditCount("report.release", id), 2);  // to m2, then to p1
  Restart();
  EXPECT_EQ(Get("m2/analyst", "/v1/reports/" + id).status, 200);
  EXPECT_TRUE(Finds("m2/analyst", "zanzibarite", id));
  EXPECT_EQ(Get("m3/analyst", "/v1/reports/" + id).status, 404);
}

// The marking bounds a widening exactly as it bounds a submission (policy/audience.h).
TEST_F(ReleaseTest, MarkingBoundsTheWidening) {
  struct Case {
    std::string tlp;
    json release_to;
    int status;
    std::string code_or_added;  // error code, or the added orgs joined by ','
  };
  const std::vector<Case> cases = {
      {"red", {"members"}, 400, "tlp_red_named_only"},
      {"red", {"all"}, 400, "tlp_red_named_only"},
      {"red", {"m2"}, 200, "m2"},
      {"red", {"p1"}, 200, "p1"},
      {"amber+strict", {"p1"}, 400, "tlp_amber_strict_partner"},
      {"amber+strict", {"partners"}, 400, "tlp_amber_strict_partner"},
      {"amber+strict", {"members"}, 200, "m2,m3"},
      {"amber", {"partners"}, 200, "p1,p2"},
      {"green", {"all"}, 200, "m2,m3,p1,p2"},
      {"clear", {"nobody"}, 400, "release_unknown_org"},
      {"green", json::array(), 400, "empty_release"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.tlp + " " + c.release_to.dump());
    const std::string id = Submit("host/analyst", "Marking case", c.tlp, json::array());
    HttpResult r = Post("host/releaser", "/v1/reports/" + id + "/release", {{"release_to", c.release_to}});
    EXPECT_EQ(r.status, c.status) << r.body;
    if (c.status == 200) {
      std::string added;
      const json answer = Parse(r);
      for (const json& o : answer["added"]) added += (added.empty() ? "" : ",") + o.get<std::string>();
      EXPECT_EQ(added, c.code_or_added);
    } else {
      EXPECT_EQ(ErrorCode(r), c.code_or_added);
      // A refusal changes nothing: m2 still cannot read it.
      EXPECT_EQ(Get("m2/analyst", "/v1/reports/" + id).status, 404);
    }
  }
}

TEST_F(ReleaseTest, MalformedBodiesAreRefused) {
  const std::string id = Submit("host/analyst", "Body case", "green", json::array());
  const std::string path = "/v1/reports/" + id + "/release";
  for (const std::string& body : {std::string("not json"), std::string("[]"),
                                  std::string(R"({"release_to":"m2"})"),
                                  std::string(R"({"release_to":[1]})"),
                                  std::string(R"({"release_to":["m2"],"narrow":true})"),
                                  std::string("{}")}) {
    SCOPED_TRACE(body);
    HttpResult r = client_->Post(path, body, tokens_.at("host/releaser"));
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_FALSE(ErrorCode(r).empty()) << r.body;
  }
  EXPECT_EQ(Get("m2/analyst", "/v1/reports/" + id).status, 404);
  EXPECT_EQ(Post("host/releaser", "/v1/reports/rep_01ARZ3NDEKTSV4RRFFQ69G5FAV/release",
                 {{"release_to", {"m2"}}}).status,
            404);
}

TEST_F(ReleaseTest, RequestApprovedWidensAndEveryStepReachesTheInboxes) {
  const std::string id = Submit("host/analyst", "Quokkaland border report", "green", {"m2"});
  // A reader asks; anyone who cannot read it gets 404, and the originator is told to widen.
  HttpResult asked = Post("m2/analyst", "/v1/reports/" + id + "/release-requests",
                          {{"to", {"p1"}}, {"reason", "p1 runs the crossing"}});
  ASSERT_EQ(asked.status, 201) << asked.body;
  const json request = Parse(asked);
  const std::string rrq = request["id"];
  EXPECT_EQ(request["state"], "pending");
  EXPECT_EQ(request["report"], id);
  EXPECT_EQ(request["requester_org"], "m2");
  EXPECT_EQ(Post("p1/analyst", "/v1/reports/" + id + "/release-requests", {{"to", {"p1"}}}).status, 404);
  HttpResult own = Post("host/releaser", "/v1/reports/" + id + "/release-requests", {{"to", {"p1"}}});
  EXPECT_EQ(own.status, 403);
  EXPECT_EQ(ErrorCode(own), "own_report");

  // The originator's inbox has it; the request is visible to both orgs and nobody else.
  EXPECT_TRUE(FeedHas("host/analyst", "release", rrq));
  EXPECT_EQ(Get("host/analyst", "/v1/release-requests/" + rrq).status, 200);
  EXPECT_EQ(Get("m2/analyst", "/v1/release-requests/" + rrq).status, 200);
  EXPECT_EQ(Get("m3/admin", "/v1/release-requests/" + rrq).status, 404);
  EXPECT_EQ(Get("p1/admin", "/v1/release-requests/" + rrq).status, 404);

  // Only the originator's releasers decide.
  HttpResult self = Post("m2/releaser", "/v1/release-requests/" + rrq + "/approve", json::object());
  EXPECT_EQ(self.status, 403);
  EXPECT_EQ(ErrorCode(self), "not_originator");
  HttpResult analyst = Post("host/analyst", "/v1/release-requests/" + rrq + "/approve", json::object());
  EXPECT_EQ(analyst.status, 403);
  EXPECT_EQ(ErrorCode(analyst), "role_may_not_release");
  EXPECT_EQ(Post("m3/releaser", "/v1/release-requests/" + rrq + "/approve", json::object()).status, 404);
  EXPECT_EQ(Get("p1/analyst", "/v1/reports/" + id).status, 404);

  HttpResult approved = Post("host/releaser", "/v1/release-requests/" + rrq + "/approve",
                             {{"note", "agreed"}});
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(Parse(approved)["state"], "approved");
  EXPECT_EQ(Parse(approved)["added"], json({"p1"}));
  EXPECT_EQ(Get("p1/analyst", "/v1/reports/" + id).status, 200);
  EXPECT_TRUE(FeedHas("p1/analyst", "report", id));
  EXPECT_TRUE(FeedHas("m2/analyst", "release", rrq));  // the requester hears the answer
  EXPECT_TRUE(Finds("p1/analyst", "quokkaland", id));

  HttpResult twice = Post("host/releaser", "/v1/release-requests/" + rrq + "/deny", json::object());
  EXPECT_EQ(twice.status, 409);
  EXPECT_EQ(ErrorCode(twice), "request_decided");

  // Every step is on the record.
  EXPECT_EQ(AuditCount("release.request", rrq), 1);
  EXPECT_EQ(AuditCount("release.approve", rrq), 1);
}

TEST_F(ReleaseTest, RequestDeniedChangesNothingAndBadRequestsAreRefused) {
  const std::string id = Submit("host/analyst", "Strict report", "amber+strict", {"members"});
  // The marking is checked when asking: a partner can never get an amber+strict report.
  HttpResult strict = Post("m2/analyst", "/v1/reports/" + id + "/release-requests", {{"to", {"p1"}}});
  EXPECT_EQ(strict.status, 400);
  EXPECT_EQ(ErrorCode(strict), "tlp_amber_strict_partner");
  HttpResult nothing = Post("m2/analyst", "/v1/reports/" + id + "/release-requests", {{"to", {"m3"}}});
  EXPECT_EQ(nothing.status, 400);
  EXPECT_EQ(ErrorCode(nothing), "nothing_to_ask");
  HttpResult unknown_field = client_->Post("/v1/reports/" + id + "/release-requests",
                                           R"({"to":["p1"],"why":"x"})", tokens_.at("m2/analyst"));
  EXPECT_EQ(unknown_field.status, 400);
  HttpResult long_reason = Post("m2/analyst", "/v1/reports/" + id + "/release-requests",
                                {{"to", {"m3"}}, {"reason", std::string(2001, 'x')}});
  EXPECT_EQ(long_reason.status, 400);

  const std::string red = Submit("host/analyst", "Red report", "red", {"m2"});
  HttpResult asked = Post("m2/analyst", "/v1/reports/" + red + "/release-requests", {{"to", {"m3"}}});
  ASSERT_EQ(asked.status, 201) << asked.body;
  const std::string rrq = Parse(asked)["id"];
  HttpResult denied = Post("host/admin", "/v1/release-requests/" + rrq + "/deny", {{"note", "no"}});
  ASSERT_EQ(denied.status, 200) << denied.body;
  EXPECT_EQ(Parse(denied)["state"], "denied");
  EXPECT_EQ(Parse(denied)["note"], "no");
  EXPECT_EQ(Get("m3/analyst", "/v1/reports/" + red).status, 404);
  EXPECT_TRUE(FeedHas("m2/analyst", "release", rrq));
  EXPECT_FALSE(FeedHas("m3/analyst", "report", red));
  Restart();
  json after = Parse(Get("m2/analyst", "/v1/release-requests/" + rrq));
  EXPECT_EQ(after["state"], "denied");
  EXPECT_EQ(Get("m3/analyst", "/v1/reports/" + red).status, 404);
}

}  // namespace
}  // namespace markaz::testutil
