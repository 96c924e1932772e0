// Products through the real server (issue 7 item 6; DESIGN.md §2 rule 4): a product's audience
// must be within every source's audience and its marking at least every source's, unless the
// source's originator consented through a release request; products are read, delivered and
// searched like reports; a cite the author cannot read is answered like an unknown one.
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

class ProductTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = InitCentre(dir_, TestCharter(Rfc3339FromNow(-std::chrono::hours(24))));
    for (const char* org : {"host", "m2", "m3", "p1"}) {
      for (const char* role : {"analyst", "releaser"}) {
        tokens_[std::string(org) + "/" + role] = CreateToken(data_, org, role);
      }
    }
    server_ = std::make_unique<ServerProcess>(data_);
    ASSERT_TRUE(server_->started()) << server_->Stderr();
    client_ = std::make_unique<HttpClient>(server_->url());
  }

  static json Parse(const HttpResult& r) { return ParseBody(r); }
  static std::string ErrorCode(const HttpResult& r) { return ErrorCodeOf(r); }

  // POST /v1/reports; the stored report.
  json Submit(const std::string& who, const std::string& title, const std::string& body,
              const std::string& tlp, json release_to) {
    json report = {{"title", title}, {"body", body}, {"lang", "en"}, {"tlp", tlp},
                   {"release_to", release_to}};
    HttpResult r = client_->Post("/v1/reports", report.dump(), tokens_.at(who));
    EXPECT_EQ(r.status, 201) << r.body;
    return Parse(r);
  }

  HttpResult Product(const std::string& who, const json& cites, const std::string& tlp,
                     json release_to, const std::string& title = "Assessment") {
    json product = {{"title", title},
                    {"body", title + ": our assessment of what the sources say."},
                    {"lang", "en"},
                    {"tlp", tlp},
                    {"release_to", release_to},
                    {"cites", cites}};
    return client_->Post("/v1/products", product.dump(), tokens_.at(who));
  }

  bool FeedHas(const std::string& who, const std::string& kind, const std::string& id) {
    std::int64_t after = 0;
    for (;;) {
      json j = Parse(client_->Get("/v1/feed?after=" + std::to_string(after) + "&limit=1000",
                                  tokens_.at(who)));
      if (!j.contains("items") || j["items"].empty()) return false;
      for (const json& item : j["items"]) {
        if (item.value("kind", "") == kind && item.value("id", "") == id) return true;
      }
      after = j["next"].get<std::int64_t>();
    }
  }

  TempDir dir_;
  std::string data_;
  std::map<std::string, std::string> tokens_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<HttpClient> client_;
};

TEST_F(ProductTest, AProductWithinItsSourcesCaveatsIsDeliveredReadAndSearchedLikeAReport) {
  const std::string a = Submit("host/analyst", "Harbour", "Ships left the harbour.", "amber",
                               {"members"})["id"];
  const std::string b = Submit("m2/analyst", "Road", "The road was closed.", "green", {"all"})["id"];
  HttpResult made = Product("m2/analyst", {a, b}, "amber", {"members"}, "Wombatian assessment");
  ASSERT_EQ(made.status, 201) << made.body;
  const json product = Parse(made);
  const std::string id = product["id"];
  EXPECT_EQ(id.rfind("prd_", 0), 0u) << id;
  EXPECT_EQ(product["cites"], json({a, b}));
  EXPECT_EQ(product["originator"], "m2");

  json read = Parse(client_->Get("/v1/products/" + id, tokens_.at("m3/analyst")));
  EXPECT_EQ(read["id"], id);
  EXPECT_EQ(read["cites"], json({a, b}));
  EXPECT_EQ(client_->Get("/v1/products/" + id, tokens_.at("p1/analyst")).status, 404);
  EXPECT_EQ(client_->Get("/v1/products/" + a, tokens_.at("m3/analyst")).status, 404)
      << "a report is not a product";
  EXPECT_TRUE(FeedHas("m3/analyst", "product", id));
  EXPECT_FALSE(FeedHas("p1/analyst", "product", id));

  bool found = false;
  for (int i = 0; i < 150 && !found; ++i) {
    json hits = Parse(client_->Get("/v1/search?q=wombatian&facets=none", tokens_.at("m3/analyst")));
    for (const json& h : hits["hits"]) found = found || h["id"] == id;
    if (!found) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(found) << "products are searchable";
  json hidden = Parse(client_->Get("/v1/search?q=wombatian&facets=none", tokens_.at("p1/analyst")));
  EXPECT_TRUE(hidden["hits"].empty());
}

TEST_F(ProductTest, CaveatsBlockAndNameTheSource) {
  const std::string a = Submit("host/analyst", "Harbour", "Ships left the harbour.", "amber",
                               {"members"})["id"];
  const std::string red = Submit("host/analyst", "Red", "Only for m2.", "red", {"m2"})["id"];
  const std::string b = Submit("m2/analyst", "Road", "The road was closed.", "green", {"all"})["id"];

  struct Case {
    std::string who;
    json cites;
    std::string tlp;
    json release_to;
    std::string code;  // "" = created
    std::string names;  // a text the refusal must contain
  };
  const std::vector<Case> cases = {
      {"m2/analyst", {b, a}, "amber", {"all"}, "product_audience", "cites[1]: \"" + a + "\""},
      {"m2/analyst", {a}, "green", {"members"}, "product_tlp", "cites[0]"},
      {"m2/analyst", {red}, "amber", {"host"}, "product_tlp", "red"},
      {"m2/analyst", {red}, "red", {"host"}, "", ""},
      {"m2/analyst", {red}, "red", {"m3"}, "product_audience", "m3"},
      {"m3/analyst", {red}, "red", json::array(), "bad_cite", "cites[0]"},
      {"m3/analyst", {"rep_01ARZ3NDEKTSV4RRFFQ69G5FAV"}, "red", json::array(), "bad_cite",
       "cites[0]"},
      {"m2/analyst", {b, b}, "green", {"all"}, "bad_cite", "twice"},
      {"m2/analyst", json::array(), "green", {"all"}, "bad_cites", ""},
      {"m2/analyst", {"tok_x"}, "green", {"all"}, "bad_cite", ""},
      {"m2/analyst", {b}, "red", {"members"}, "tlp_red_named_only", ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.who + " " + c.cites.dump() + " " + c.tlp + " " + c.release_to.dump());
    HttpResult r = Product(c.who, c.cites, c.tlp, c.release_to);
    if (c.code.empty()) {
      EXPECT_EQ(r.status, 201) << r.body;
    } else {
      EXPECT_EQ(r.status, 400) << r.body;
      EXPECT_EQ(ErrorCode(r), c.code) << r.body;
      EXPECT_NE(Parse(r)["error"].value("message", "").find(c.names), std::string::npos) << r.body;
    }
  }
  // An unreadable cite and an unknown one are told apart by nothing but their id.
  HttpResult hidden = Product("m3/analyst", {red}, "red", json::array());
  HttpResult unknown = Product("m3/analyst", {"rep_01ARZ3NDEKTSV4RRFFQ69G5FAV"}, "red", json::array());
  std::string m1 = Parse(hidden)["error"]["message"], m2 = Parse(unknown)["error"]["message"];
  m1.replace(m1.find(red), red.size(), "ID");
  m2.replace(m2.find("rep_01ARZ3NDEKTSV4RRFFQ69G5FAV"), 30, "ID");
  EXPECT_EQ(m1, m2);

  for (const std::string& body :
       {std::string(R"({"title":"t","body":"b","tlp":"green","release_to":[]})"),
        std::string(R"({"title":"t","body":"b","tlp":"green","release_to":[],"cites":"x"})"),
        std::string(R"({"title":"t","body":"b","tlp":"green","release_to":[],"cites":[]})"),
        std::string(R"({"title":"t","body":"b","tlp":"green","release_to":[],"cites":[")" + b +
                    R"("],"external_id":"e1"})"),
        std::string(R"({"title":"t","body":"b","tlp":"green","release_to":[],"cites":[")" + b +
                    R"("],"colour":"blue"})")}) {
    SCOPED_TRACE(body);
    EXPECT_EQ(client_->Post("/v1/products", body, tokens_.at("m2/analyst")).status, 400);
  }
}

TEST_F(ProductTest, TheOriginatorsConsentWaivesTheMarkingCaveat) {
  const std::string a = Submit("host/analyst", "Harbour", "Ships left the harbour.", "amber",
                               {"members"})["id"];
  HttpResult blocked = Product("m2/analyst", {a}, "green", {"all"});
  EXPECT_EQ(ErrorCode(blocked), "product_audience") << blocked.body;

  // m2 asks host to release the source to the partners; host agrees.
  HttpResult asked = client_->Post("/v1/reports/" + a + "/release-requests",
                                   json({{"to", {"partners"}}, {"reason", "for the product"}}).dump(),
                                   tokens_.at("m2/analyst"));
  ASSERT_EQ(asked.status, 201) << asked.body;
  HttpResult approved = client_->Post("/v1/release-requests/" + Parse(asked)["id"].get<std::string>() +
                                          "/approve",
                                      "{}", tokens_.at("host/releaser"));
  ASSERT_EQ(approved.status, 200) << approved.body;

  // Now green to everyone is allowed although the source stays amber; m3 (which asked for
  // nothing) still may not downgrade it.
  HttpResult made = Product("m2/analyst", {a}, "green", {"all"});
  EXPECT_EQ(made.status, 201) << made.body;
  HttpResult other = Product("m3/analyst", {a}, "green", {"members"});
  EXPECT_EQ(ErrorCode(other), "product_tlp") << other.body;
}

TEST_F(ProductTest, AStoryStandsForItsReadableReports) {
  const std::string body =
      "The ministry said on Tuesday that the northern bridge would reopen after repairs that "
      "took three weeks, and that traffic to the port would resume in both directions at once.";
  json first = Submit("host/analyst", "Bridge reopens", body, "green", {"all"});
  json reprint = Submit("m2/analyst", "Bridge reopens", body, "amber", {"members"});
  const std::string story = first["analysis"].value("story", "");
  ASSERT_FALSE(story.empty()) << first.dump();
  ASSERT_EQ(reprint["analysis"].value("story", ""), story) << reprint.dump();
  // Analytics applies additions in the background: wait until m3 sees both reports.
  for (int i = 0; i < 150; ++i) {
    json s = Parse(client_->Get("/v1/stories/" + story, tokens_.at("m3/analyst")));
    if (s.value("size", 0) == 2) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  // For m3 the story holds the amber reprint: a green product to all is blocked by it...
  HttpResult blocked = Product("m3/analyst", {story}, "amber", {"all"});
  EXPECT_EQ(ErrorCode(blocked), "product_audience") << blocked.body;
  EXPECT_NE(blocked.body.find(reprint["id"].get<std::string>()), std::string::npos) << blocked.body;
  // ...for p1 the story is the green report alone.
  HttpResult partner = Product("p1/analyst", {story}, "green", {"all"});
  EXPECT_EQ(partner.status, 201) << partner.body;
  HttpResult within = Product("m3/analyst", {story}, "amber", {"members"});
  ASSERT_EQ(within.status, 201) << within.body;
  EXPECT_EQ(Parse(within)["analysis"].value("story", ""), "") << "a product joins no story";
}

}  // namespace
}  // namespace markaz::testutil
