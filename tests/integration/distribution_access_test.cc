// The access matrix of distribution (DESIGN.md §2; issue 7): orgs × roles × markings ×
// endpoints, each answer compared with the rule written out here once, independently of
// src/policy. For every marking, host submits a report to m2 by name; then every role of
// every org (the originator host, the reader m2, the member m3 and the partner p1 who cannot
// read it) tries to read it, widen it to p1, and ask for it to be released to p1.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "integration/fixture.h"
#include "testutil/http_client.h"
#include "testutil/server_process.h"

namespace markaz::testutil {
namespace {

using nlohmann::json;

const std::vector<std::string> kTlps = {"clear", "green", "amber", "amber+strict", "red"};
const std::vector<std::string> kOrgs = {"host", "m2", "m3", "p1"};
const std::vector<std::string> kRoles = {"analyst", "releaser", "admin"};

bool Reads(const std::string& org) { return org == "host" || org == "m2"; }
bool PartnerAllowed(const std::string& tlp) { return tlp != "amber+strict"; }

// The rule, as DESIGN.md §2 states it: "status code" for each endpoint.
std::string ExpectRead(const std::string& org) { return Reads(org) ? "200" : "404 not_found"; }
std::string ExpectWiden(const std::string& tlp, const std::string& org, const std::string& role) {
  if (!Reads(org)) return "404 not_found";
  if (org != "host") return "403 not_originator";
  if (role == "analyst") return "403 role_may_not_release";
  if (!PartnerAllowed(tlp)) return "400 tlp_amber_strict_partner";
  return "200";
}
std::string ExpectAsk(const std::string& tlp, const std::string& org) {
  if (!Reads(org)) return "404 not_found";
  if (org == "host") return "403 own_report";
  if (!PartnerAllowed(tlp)) return "400 tlp_amber_strict_partner";
  return "201";
}

std::string Outcome(const HttpResult& r) {
  if (r.status < 300) return std::to_string(r.status);
  json j = json::parse(r.body, nullptr, false);
  const std::string code = j.is_object() && j.contains("error") ? j["error"].value("code", "") : "";
  return std::to_string(r.status) + " " + code;
}

TEST(DistributionAccess, OrgsRolesMarkingsEndpoints) {
  TempDir dir;
  const std::string data = InitCentre(dir, TestCharter(Rfc3339FromNow(-std::chrono::hours(24))));
  std::map<std::string, std::string> tokens;
  for (const std::string& org : kOrgs) {
    for (const std::string& role : kRoles) tokens[org + "/" + role] = CreateToken(data, org, role);
  }
  ServerProcess server(data);
  ASSERT_TRUE(server.started()) << server.Stderr();
  HttpClient client(server.url());

  int checked = 0;
  for (const std::string& tlp : kTlps) {
    for (const std::string& org : kOrgs) {
      for (const std::string& role : kRoles) {
        SCOPED_TRACE(tlp + " " + org + "/" + role);
        // A report of its own for each caller: a widening changes what the next caller sees.
        json report = {{"title", "Matrix"}, {"body", "matrix " + tlp}, {"tlp", tlp},
                       {"release_to", {"m2"}}};
        HttpResult made = client.Post("/v1/reports", report.dump(), tokens["host/analyst"]);
        ASSERT_EQ(made.status, 201) << made.body;
        const std::string id = json::parse(made.body)["id"];
        const std::string& token = tokens[org + "/" + role];

        EXPECT_EQ(Outcome(client.Get("/v1/reports/" + id, token)), ExpectRead(org));
        EXPECT_EQ(Outcome(client.Post("/v1/reports/" + id + "/release-requests",
                                      R"({"to":["p1"]})", token)),
                  ExpectAsk(tlp, org));
        const std::string widen = ExpectWiden(tlp, org, role);
        EXPECT_EQ(Outcome(client.Post("/v1/reports/" + id + "/release", R"({"release_to":["p1"]})",
                                      token)),
                  widen);
        // p1 reads it exactly when the widening went through; m3 never does.
        EXPECT_EQ(client.Get("/v1/reports/" + id, tokens["p1/analyst"]).status,
                  widen == "200" ? 200 : 404);
        EXPECT_EQ(client.Get("/v1/reports/" + id, tokens["m3/admin"]).status, 404);
        checked += 5;
      }
    }
  }
  EXPECT_EQ(checked, 5 * 4 * 3 * 5);
}

}  // namespace
}  // namespace markaz::testutil
