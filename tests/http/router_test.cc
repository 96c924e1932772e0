// The router over a real Centre and SQLite store: authentication, /v1/me, /v1/charter,
// /v1/health and the JSON answers for unknown paths and wrong methods. No socket: requests are
// plain values handed to Router::Handle.
#include "http/router.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "centre/centre.h"
#include "http/json.h"
#include "store/sqlite/sqlite_store.h"
#include "testutil/temp_dir.h"

namespace markaz::http {
namespace {

using nlohmann::json;

core::Time At(const char* rfc3339) { return core::ParseRfc3339(rfc3339).value(); }

// Two members (host chairs first), one partner; 3-month terms from 2015-10-01.
core::Charter SmallCharter() {
  core::Charter c;
  c.name = "Router Centre";
  c.start = At("2015-10-01T00:00:00Z");
  c.rotation_order = {"host", "m2"};
  c.term = core::TermLength::Months(3).value();
  c.members = {{"host", core::OrgKind::kMember, {{"en", "Host"}, {"ar", "المضيف"}}, true},
               {"m2", core::OrgKind::kMember, {{"en", "Second"}}, true}};
  c.partners = {{"p1", core::OrgKind::kPartner, {{"en", "Partner"}}, false}};
  return c;
}

std::string HeaderOf(const Response& r, const std::string& name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) return v;
  }
  return "";
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::OpenSqliteStore(dir_.Sub("data"), store::OpenMode::kCreate);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
    centre_ = std::make_unique<centre::Centre>(*store_, clock_, ids_);
    ASSERT_TRUE(centre_->Init(SmallCharter()).ok());
    host_admin_ = Token("host", core::Role::kAdmin, "host-admin");
    m2_analyst_ = Token("m2", core::Role::kAnalyst, "m2-analyst");
    p1_releaser_ = Token("p1", core::Role::kReleaser, "p1-releaser");
    router_ = std::make_unique<Router>(*centre_);
  }

  std::string Token(const std::string& org, core::Role role, const std::string& name) {
    auto created = centre_->CreateToken(centre::kLocalActor, org, role, name);
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return created.ok() ? created->token : "";
  }

  Response Send(const std::string& method, const std::string& target,
                const std::string& authorization = "") {
    Request request;
    request.method = method;
    request.target = target;
    request.headers["host"] = "localhost";
    if (!authorization.empty()) request.headers["authorization"] = authorization;
    return router_->Handle(request);
  }

  Response Get(const std::string& target, const std::string& token = "") {
    return Send("GET", target, token.empty() ? "" : "Bearer " + token);
  }

  static json Body(const Response& r) {
    json j = json::parse(r.body, nullptr, /*allow_exceptions=*/false);
    EXPECT_FALSE(j.is_discarded()) << "not JSON: " << r.body;
    return j;
  }

  static void ExpectError(const Response& r, int status, const std::string& code) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.content_type, "application/json");
    json j = Body(r);
    ASSERT_TRUE(j.contains("error")) << r.body;
    EXPECT_EQ(j["error"]["code"], code) << r.body;
    ASSERT_TRUE(j["error"]["message"].is_string()) << r.body;
    EXPECT_FALSE(j["error"]["message"].get<std::string>().empty());
  }

  testutil::TempDir dir_;
  // In the first term (host chairs 2015-10-01 .. 2016-01-01).
  core::ManualClock clock_{At("2015-11-15T12:00:00Z")};
  core::IdGenerator ids_{7};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<centre::Centre> centre_;
  std::unique_ptr<Router> router_;
  std::string host_admin_, m2_analyst_, p1_releaser_;
};

TEST_F(RouterTest, HealthNeedsNoTokenAndShowsNoCounter) {
  Response r = Get("/v1/health");
  ASSERT_EQ(r.status, 200) << r.body;
  // Only the status: a counter visible without a token would be an oracle on activity.
  EXPECT_EQ(Body(r), json({{"status", "ok"}}));
}

TEST(EncodeHealth, SaysUnavailableWhenTheStoreIsNot) {
  // The router answers this body with 503 (a broken store cannot be faked through SQLite).
  EXPECT_EQ(json::parse(EncodeHealth({/*store_ok=*/false, 0})), json({{"status", "unavailable"}}));
  EXPECT_EQ(json::parse(EncodeHealth({/*store_ok=*/true, 12})), json({{"status", "ok"}}));
}

TEST_F(RouterTest, MissingOrBadTokenIs401WithJsonError) {
  static const struct {
    const char* authorization;
    const char* code;
  } kCases[] = {
      {"", "missing_token"},
      {"Bearer", "invalid_token"},
      {"Bearer   ", "invalid_token"},
      {"Basic dXNlcjpwYXNz", "invalid_token"},
      {"Bearer mkz_not_a_token", "invalid_token"},
  };
  for (const auto& c : kCases) {
    for (const char* path : {"/v1/me", "/v1/charter"}) {
      SCOPED_TRACE(std::string(path) + " with \"" + c.authorization + "\"");
      Response r = Send("GET", path, c.authorization);
      ExpectError(r, 401, c.code);
      EXPECT_EQ(HeaderOf(r, "WWW-Authenticate"), "Bearer");
    }
  }
}

TEST_F(RouterTest, ForgedSecretIs401) {
  // The right token id with a different secret.
  std::string forged = host_admin_.substr(0, host_admin_.size() - 64) + std::string(64, 'a');
  ASSERT_NE(forged, host_admin_);
  ExpectError(Get("/v1/me", forged), 401, "invalid_token");
}

TEST_F(RouterTest, BearerSchemeIsCaseInsensitive) {
  EXPECT_EQ(Send("GET", "/v1/me", "bearer " + m2_analyst_).status, 200);
  EXPECT_EQ(Send("GET", "/v1/me", "BEARER  " + m2_analyst_ + " ").status, 200);
}

TEST_F(RouterTest, MeNamesOrgRoleNameAndWhetherTheOrgChairs) {
  const struct {
    const std::string* token;
    const char* org;
    const char* role;
    const char* name;
    bool is_chair;
  } kCases[] = {
      {&host_admin_, "host", "admin", "host-admin", true},
      {&m2_analyst_, "m2", "analyst", "m2-analyst", false},
      {&p1_releaser_, "p1", "releaser", "p1-releaser", false},
  };
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.org);
    Response r = Get("/v1/me", *c.token);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.content_type, "application/json");
    json j = Body(r);
    EXPECT_EQ(j,
              json({{"org", c.org}, {"role", c.role}, {"name", c.name}, {"is_chair", c.is_chair}}));
  }
}

TEST_F(RouterTest, ChairMovesWithTheClock) {
  clock_.Set(At("2016-02-01T00:00:00Z"));  // m2's term
  EXPECT_EQ(Body(Get("/v1/me", host_admin_))["is_chair"], false);
  EXPECT_EQ(Body(Get("/v1/me", m2_analyst_))["is_chair"], true);
}

TEST_F(RouterTest, CharterShowsOrgsRotationAndQuorum) {
  Response r = Get("/v1/charter", p1_releaser_);
  ASSERT_EQ(r.status, 200) << r.body;
  json j = Body(r);
  EXPECT_EQ(j["name"], "Router Centre");
  EXPECT_EQ(j["start"], "2015-10-01T00:00:00Z");

  ASSERT_EQ(j["members"].size(), 2u) << r.body;
  EXPECT_EQ(j["members"][0], json({{"id", "host"},
                                   {"kind", "member"},
                                   {"names", {{"en", "Host"}, {"ar", "المضيف"}}},
                                   {"may_submit", true},
                                   {"suspended", false}}));
  EXPECT_EQ(j["members"][1]["id"], "m2");
  ASSERT_EQ(j["partners"].size(), 1u) << r.body;
  EXPECT_EQ(j["partners"][0], json({{"id", "p1"},
                                    {"kind", "partner"},
                                    {"names", {{"en", "Partner"}}},
                                    {"may_submit", false},
                                    {"suspended", false}}));

  const json& rotation = j["rotation"];
  EXPECT_EQ(rotation["order"], json({"host", "m2"}));
  EXPECT_EQ(rotation["term"], "3 months");
  EXPECT_EQ(
      rotation["current"],
      json({{"org", "host"}, {"from", "2015-10-01T00:00:00Z"}, {"to", "2016-01-01T00:00:00Z"}}));
  static const struct {
    const char* org;
    const char* from;
    const char* to;
  } kNext[] = {
      {"m2", "2016-01-01T00:00:00Z", "2016-04-01T00:00:00Z"},
      {"host", "2016-04-01T00:00:00Z", "2016-07-01T00:00:00Z"},
      {"m2", "2016-07-01T00:00:00Z", "2016-10-01T00:00:00Z"},
      {"host", "2016-10-01T00:00:00Z", "2017-01-01T00:00:00Z"},
  };
  ASSERT_EQ(rotation["next"].size(), 4u) << r.body;
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(rotation["next"][i],
              json({{"org", kNext[i].org}, {"from", kNext[i].from}, {"to", kNext[i].to}}))
        << i;
  }
  EXPECT_EQ(j["quorum"], json({{"members", "unanimous"}, {"partners", "chair+majority"}}));
}

TEST_F(RouterTest, CharterBeforeTheStartHasNoCurrentTerm) {
  clock_.Set(At("2015-09-01T00:00:00Z"));
  Response r = Get("/v1/charter", m2_analyst_);
  ASSERT_EQ(r.status, 200) << r.body;
  json j = Body(r);
  EXPECT_TRUE(j["rotation"]["current"].is_null()) << r.body;
  ASSERT_EQ(j["rotation"]["next"].size(), 4u);
  EXPECT_EQ(j["rotation"]["next"][0]["org"], "host");
  EXPECT_EQ(j["rotation"]["next"][0]["from"], "2015-10-01T00:00:00Z");
  EXPECT_EQ(Body(Get("/v1/me", host_admin_))["is_chair"], false);
}

TEST_F(RouterTest, QueryStringIsIgnoredForRouting) {
  EXPECT_EQ(Get("/v1/health?verbose=1").status, 200);
  EXPECT_EQ(Get("/v1/me?x=y", m2_analyst_).status, 200);
}

TEST_F(RouterTest, UnknownPathIs404NoRoute) {
  for (const char* path : {"/", "/v1", "/v1/", "/v1/nothing-here", "/v1/me/", "/v1/me/extra",
                           "/V1/ME", "v1/me", "*"}) {
    SCOPED_TRACE(path);
    ExpectError(Get(path, host_admin_), 404, "no_route");
  }
}

TEST_F(RouterTest, UnknownPathIs404EvenWithoutAToken) {
  // Routing comes before authentication: there is nothing to protect at an unknown path.
  ExpectError(Get("/v1/nothing-here"), 404, "no_route");
}

TEST_F(RouterTest, WrongMethodIs405WithAllow) {
  static const struct {
    const char* method;
    const char* path;
  } kCases[] = {
      {"POST", "/v1/charter"},
      {"DELETE", "/v1/me"},
      {"PUT", "/v1/health"},
      {"HEAD", "/v1/me"},
  };
  for (const auto& c : kCases) {
    SCOPED_TRACE(std::string(c.method) + " " + c.path);
    Response r = Send(c.method, c.path, "Bearer " + host_admin_);
    ExpectError(r, 405, "method_not_allowed");
    EXPECT_EQ(HeaderOf(r, "Allow"), "GET");
  }
}

// POST /v1/reports:bulk is a streaming route: refused from its head alone, fed in pieces.
TEST_F(RouterTest, BulkIsRefusedFromTheHeadBeforeAnyBody) {
  Request head;
  head.method = "POST";
  head.target = "/v1/reports:bulk";
  std::optional<StreamStart> start = router_->StartStream(head);
  ASSERT_TRUE(start.has_value());
  EXPECT_EQ(start->stream, nullptr);
  ExpectError(start->head, 401, "missing_token");

  head.headers["authorization"] = "Bearer mkz_not_a_token";
  start = router_->StartStream(head);
  ASSERT_TRUE(start.has_value());
  ExpectError(start->head, 401, "invalid_token");

  // p1 is a partner whose charter entry does not let it submit.
  head.headers["authorization"] = "Bearer " + p1_releaser_;
  start = router_->StartStream(head);
  ASSERT_TRUE(start.has_value());
  EXPECT_EQ(start->stream, nullptr);
  ExpectError(start->head, 403, "partner_may_not_submit");

  head.headers["authorization"] = "Bearer " + m2_analyst_;
  start = router_->StartStream(head);
  ASSERT_TRUE(start.has_value());
  ASSERT_NE(start->stream, nullptr);
  EXPECT_EQ(start->head.status, 200);
  EXPECT_EQ(start->head.content_type, "application/x-ndjson");

  // Every other request is read whole and handled by Handle().
  head.target = "/v1/reports";
  EXPECT_FALSE(router_->StartStream(head).has_value());
  head.target = "/v1/nowhere";
  EXPECT_FALSE(router_->StartStream(head).has_value());
  head.method = "GET";
  head.target = "/v1/reports:bulk";
  EXPECT_FALSE(router_->StartStream(head).has_value());
}

std::vector<json> NdjsonLines(const std::string& text) {
  std::vector<json> lines;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = text.find('\n', at);
    EXPECT_NE(end, std::string::npos) << "every answer line ends with a newline";
    if (end == std::string::npos) break;
    lines.push_back(json::parse(text.substr(at, end - at)));
    at = end + 1;
  }
  return lines;
}

TEST_F(RouterTest, BulkAnswersEveryLineInOrderWhateverThePieces) {
  const std::string good = json({{"body", "a report"}, {"release_to", {"members"}}}).dump();
  const std::string body = good + "\n{not json}\n\n" +
                           json({{"body", "b"}, {"tlp", "red"}, {"release_to", {"all"}}}).dump() +
                           "\r\n" + std::string(4 * core::kMaxBodyBytes + 1, 'x') + "\n" + good;
  const std::vector<std::string> expected = {
      "id", "bad_json", "empty_line", "tlp_red_named_only", "line_too_large", "id"};
  for (std::size_t piece : {body.size(), std::size_t{1} << 20, std::size_t{4096}, std::size_t{7}}) {
    SCOPED_TRACE("pieces of " + std::to_string(piece));
    Request head;
    head.method = "POST";
    head.target = "/v1/reports:bulk";
    head.headers["authorization"] = "Bearer " + m2_analyst_;
    std::optional<StreamStart> start = router_->StartStream(head);
    ASSERT_TRUE(start && start->stream);
    std::string out;
    for (std::size_t at = 0; at < body.size(); at += piece) {
      start->stream->Write(std::string_view(body).substr(at, piece), out);
      if (at % 3 == 0) start->stream->Pause(out);
    }
    start->stream->Finish(out);
    std::vector<json> lines = NdjsonLines(out);
    ASSERT_EQ(lines.size(), expected.size()) << out;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      EXPECT_EQ(lines[i]["line"], i + 1);
      if (expected[i] == "id") {
        ASSERT_TRUE(lines[i].contains("id")) << lines[i];
        EXPECT_EQ(Get("/v1/reports/" + lines[i]["id"].get<std::string>(), host_admin_).status, 200);
      } else {
        EXPECT_EQ(lines[i]["error"]["code"], expected[i]) << lines[i];
      }
    }
  }
}

TEST_F(RouterTest, BulkAnswersASliceOnceItIsCommittedAndTheRestOnPause) {
  Request head;
  head.method = "POST";
  head.target = "/v1/reports:bulk";
  head.headers["authorization"] = "Bearer " + host_admin_;
  std::optional<StreamStart> start = router_->StartStream(head);
  ASSERT_TRUE(start && start->stream);
  std::string lines;
  for (int i = 0; i < 600; ++i)
    lines += json({{"body", "report " + std::to_string(i)}}).dump() + "\n";
  std::string out;
  start->stream->Write(lines, out);
  // The first slice of 512 is committed and answered; the other 88 wait for more lines.
  EXPECT_EQ(NdjsonLines(out).size(), 512u);
  start->stream->Pause(out);
  std::vector<json> answered = NdjsonLines(out);
  ASSERT_EQ(answered.size(), 600u);
  EXPECT_EQ(answered.back()["line"], 600);
  // Nothing more to answer at the end.
  std::string rest;
  start->stream->Finish(rest);
  EXPECT_EQ(rest, "");
}

TEST_F(RouterTest, BulkThroughHandleAnswersTheWholeBodyAtOnce) {
  Request request;
  request.method = "POST";
  request.target = "/v1/reports:bulk";
  request.headers["authorization"] = "Bearer " + m2_analyst_;
  request.body = json({{"body", "one"}}).dump() + "\n" + json({{"body", "two"}}).dump();
  Response r = router_->Handle(request);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/x-ndjson");
  std::vector<json> lines = NdjsonLines(r.body);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_TRUE(lines[1].contains("id"));
  request.headers["authorization"] = "Bearer " + p1_releaser_;
  ExpectError(router_->Handle(request), 403, "partner_may_not_submit");
}

TEST_F(RouterTest, ListsItsRoutes) {
  std::vector<std::string> listed;
  for (const Route& route : router_->routes()) listed.push_back(route.method + " " + route.pattern);
  EXPECT_THAT(listed, ::testing::IsSupersetOf({"GET /v1/health", "GET /v1/me", "GET /v1/charter"}));
}

// docs/openapi.json is the API's contract: every route the server has is documented there, and
// nothing is documented that the server does not serve. (tests/integration/openapi_test.cc
// checks the documented shapes against a real server.)
TEST_F(RouterTest, OpenApiDocumentsEveryRouteAndNothingElse) {
  nlohmann::json doc = nlohmann::json::parse(
      testutil::ReadFile(std::string(MARKAZ_SOURCE_DIR) + "/docs/openapi.json"));
  std::set<std::string> documented, served;
  for (const auto& [path, item] : doc["paths"].items()) {
    for (const auto& [method, op] : item.items()) {
      std::string upper = method;
      for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      documented.insert(upper + " " + path);
    }
  }
  for (const Route& route : router_->routes()) served.insert(route.method + " " + route.pattern);
  EXPECT_EQ(documented, served);
}

}  // namespace
}  // namespace markaz::http
