// The real `markaz serve` process over HTTP: health, auth, /v1/me, /v1/charter, JSON errors,
// limits and graceful shutdown.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>

#include "integration/fixture.h"
#include "testutil/http_client.h"
#include "testutil/server_process.h"
#include "testutil/temp_dir.h"

namespace markaz::testutil {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

// A centre whose first term (host) began ten days ago, with a token for each kind of org.
class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = InitCentre(dir_, TestCharter(Rfc3339FromNow(-std::chrono::hours(24 * 10))));
    host_admin_ = CreateToken(data_, "host", "admin");
    m2_analyst_ = CreateToken(data_, "m2", "analyst");
    p1_releaser_ = CreateToken(data_, "p1", "releaser");
    server_ = std::make_unique<ServerProcess>(data_);
    ASSERT_TRUE(server_->started()) << server_->Stderr();
    client_ = std::make_unique<HttpClient>(server_->url());
  }

  static json Body(const HttpResult& r) {
    json j = json::parse(r.body, nullptr, /*allow_exceptions=*/false);
    EXPECT_FALSE(j.is_discarded()) << "not JSON: " << r.body;
    return j;
  }

  static void ExpectError(const HttpResult& r, long status, const std::string& code) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.headers.count("content-type") ? r.headers.at("content-type") : "",
              "application/json");
    json j = Body(r);
    ASSERT_TRUE(j.contains("error")) << r.body;
    EXPECT_EQ(j["error"]["code"], code) << r.body;
    EXPECT_TRUE(j["error"]["message"].is_string());
    EXPECT_FALSE(j["error"]["message"].get<std::string>().empty());
  }

  TempDir dir_;
  std::string data_;
  std::string host_admin_, m2_analyst_, p1_releaser_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<HttpClient> client_;
};

TEST_F(ServerTest, HealthNeedsNoToken) {
  HttpResult r = client_->Get("/v1/health");
  ASSERT_EQ(r.status, 200) << r.error;
  EXPECT_EQ(Body(r)["status"], "ok");
}

TEST_F(ServerTest, MeNamesTheCallersOrgRoleAndChair) {
  struct {
    std::string token;
    std::string org, role;
    bool is_chair;
  } cases[] = {
      {host_admin_, "host", "admin", true},
      {m2_analyst_, "m2", "analyst", false},
      {p1_releaser_, "p1", "releaser", false},
  };
  for (const auto& c : cases) {
    HttpResult r = client_->Get("/v1/me", c.token);
    ASSERT_EQ(r.status, 200) << r.body;
    json j = Body(r);
    EXPECT_EQ(j["org"], c.org);
    EXPECT_EQ(j["role"], c.role);
    EXPECT_EQ(j["is_chair"], c.is_chair) << c.org;
    EXPECT_TRUE(j["name"].is_string());
  }
}

TEST_F(ServerTest, CharterShowsMembersPartnersAndTheCurrentTerm) {
  HttpResult r = client_->Get("/v1/charter", m2_analyst_);
  ASSERT_EQ(r.status, 200) << r.body;
  json j = Body(r);
  EXPECT_EQ(j["name"], "Test Centre");
  ASSERT_EQ(j["members"].size(), 3u);
  EXPECT_EQ(j["members"][0]["id"], "host");
  EXPECT_EQ(j["members"][0]["names"]["ar"], "المضيف");
  ASSERT_EQ(j["partners"].size(), 2u);
  EXPECT_EQ(j["rotation"]["order"], json({"host", "m2", "m3"}));
  EXPECT_EQ(j["rotation"]["term"], "1 month");
  EXPECT_EQ(j["rotation"]["current"]["org"], "host");
  // The next four terms follow without gaps, in rotation order.
  const json& next = j["rotation"]["next"];
  ASSERT_EQ(next.size(), 4u);
  EXPECT_EQ(next[0]["from"], j["rotation"]["current"]["to"]);
  const char* expected_chairs[] = {"m2", "m3", "host", "m2"};
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(next[i]["org"], expected_chairs[i]);
    if (i > 0) {
      EXPECT_EQ(next[i]["from"], next[i - 1]["to"]);
    }
  }
}

TEST_F(ServerTest, MissingOrBadTokenIs401WithJsonError) {
  ExpectError(client_->Get("/v1/me"), 401, "missing_token");
  ExpectError(client_->Get("/v1/me", "mkz_not_a_token"), 401, "invalid_token");
  // Right shape, right id, wrong secret.
  std::string forged = host_admin_.substr(0, host_admin_.size() - 64) + std::string(64, 'a');
  ExpectError(client_->Get("/v1/charter", forged), 401, "invalid_token");
  HttpResult r = client_->Send("GET", "/v1/me", "", {{"Authorization", "Basic abc"}});
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.headers["www-authenticate"].rfind("Bearer", 0), 0u);
}

TEST_F(ServerTest, UnknownPathIs404JsonAndWrongMethodIs405) {
  ExpectError(client_->Get("/v1/nothing-here", host_admin_), 404, "no_route");
  ExpectError(client_->Get("/", host_admin_), 404, "no_route");
  ExpectError(client_->Post("/v1/charter", "{}", host_admin_), 405, "method_not_allowed");
}

TEST_F(ServerTest, MalformedHttpIs400AndOversizedBodyIs413) {
  std::string garbage = RawExchange(server_->url(), "THIS IS NOT HTTP\r\n\r\n");
  EXPECT_EQ(garbage.rfind("HTTP/1.1 400", 0), 0u) << garbage;
  EXPECT_NE(garbage.find("\"error\""), std::string::npos) << garbage;

  std::string huge = RawExchange(server_->url(),
                                 "POST /v1/me HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999\r\n"
                                 "Content-Type: application/json\r\n\r\n{");
  EXPECT_EQ(huge.rfind("HTTP/1.1 413", 0), 0u) << huge;
  EXPECT_NE(huge.find("too_large"), std::string::npos) << huge;
}

TEST_F(ServerTest, KeepsTheConnectionAlive) {
  // Two requests on one raw connection: both answered means the server kept it open.
  std::string two = RawExchange(server_->url(),
                                "GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n"
                                "GET /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  auto first = two.find("HTTP/1.1 200");
  ASSERT_NE(first, std::string::npos) << two;
  EXPECT_NE(two.find("HTTP/1.1 200", first + 1), std::string::npos) << two;
}

TEST_F(ServerTest, StopsGracefullyOnSigterm) {
  ASSERT_EQ(client_->Get("/v1/health").status, 200);
  EXPECT_EQ(server_->Terminate(), 0);
  EXPECT_EQ(HttpClient(server_->url()).Get("/v1/health").status, 0) << "still answering";
}

TEST(ServerStart, CharterBeforeTheStartHasNoCurrentChair) {
  TempDir dir;
  std::string data = InitCentre(dir, TestCharter(Rfc3339FromNow(std::chrono::hours(24 * 3))));
  std::string token = CreateToken(data, "m3", "analyst");
  ServerProcess server(data);
  ASSERT_TRUE(server.started()) << server.Stderr();
  HttpClient client(server.url());
  HttpResult r = client.Get("/v1/charter", token);
  ASSERT_EQ(r.status, 200) << r.body;
  json j = json::parse(r.body);
  EXPECT_TRUE(j["rotation"]["current"].is_null()) << r.body;
  ASSERT_EQ(j["rotation"]["next"].size(), 4u);
  EXPECT_EQ(j["rotation"]["next"][0]["org"], "host");
}

}  // namespace
}  // namespace markaz::testutil
