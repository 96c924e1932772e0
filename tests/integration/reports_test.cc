// Collecting reports through the real server: submit, read back as every org, the no-oracle
// 404, idempotent retries, bulk NDJSON, refusals at the door, and `markaz gen | markaz ingest`.
// (The bulk endpoint's streaming is tested in bulk_stream_test.cc.)
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <thread>

#include "integration/fixture.h"
#include "testutil/http_client.h"
#include "testutil/server_process.h"

namespace markaz::testutil {
namespace {

using nlohmann::json;

// Members host, m2, m3; partners p1 (may submit), p2 (may not). Host chairs.
class ReportsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = InitCentre(dir_, TestCharter(Rfc3339FromNow(-std::chrono::hours(24))));
    for (const char* org : {"host", "m2", "m3", "p1", "p2"}) {
      tokens_[org] = CreateToken(data_, org, "analyst");
    }
    server_ = std::make_unique<ServerProcess>(data_);
    ASSERT_TRUE(server_->started()) << server_->Stderr();
    client_ = std::make_unique<HttpClient>(server_->url());
  }

  HttpResult Submit(const std::string& org, const json& report) {
    return client_->Post("/v1/reports", report.dump(), tokens_.at(org));
  }

  TempDir dir_;
  std::string data_;
  std::map<std::string, std::string> tokens_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<HttpClient> client_;
};

TEST_F(ReportsTest, EveryOrgReadsExactlyWhatWasReleasedToIt) {
  struct Case {
    std::string submitter;
    json release_to;
    std::string tlp;
    std::set<std::string> readers;
  };
  const std::vector<Case> cases = {
      {"host", json::array(), "amber", {"host"}},
      {"host", {"m2"}, "red", {"host", "m2"}},
      {"m2", {"members"}, "amber+strict", {"host", "m2", "m3"}},
      {"m3", {"all"}, "green", {"host", "m2", "m3", "p1", "p2"}},
      {"m3", {"partners"}, "clear", {"m3", "p1", "p2"}},
      {"p1", {"host"}, "amber", {"p1", "host"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.submitter + " " + c.release_to.dump() + " " + c.tlp);
    json report = {{"title", "عنوان"}, {"body", "تقرير عن بغداد والموصل"},
                   {"tlp", c.tlp},      {"release_to", c.release_to},
                   {"source", {{"name", "desk"}, {"reliability", "B"}, {"credibility", 2}}}};
    HttpResult created = Submit(c.submitter, report);
    ASSERT_EQ(created.status, 201) << created.body;
    json answer = json::parse(created.body);
    std::string id = answer["id"];
    EXPECT_EQ(answer["originator"], c.submitter);
    EXPECT_EQ(std::set<std::string>(answer["audience"].begin(), answer["audience"].end()),
              c.readers);
    HttpResult ghost = client_->Get("/v1/reports/rep_01ARZ3NDEKTSV4RRFFQ69G5FAV", tokens_["m3"]);
    ASSERT_EQ(ghost.status, 404);
    for (const auto& [org, token] : tokens_) {
      HttpResult read = client_->Get("/v1/reports/" + id, token);
      if (c.readers.count(org)) {
        ASSERT_EQ(read.status, 200) << org;
        json got = json::parse(read.body);
        EXPECT_EQ(got["body"], report["body"]);
        EXPECT_EQ(got["source"]["reliability"], "B");
        json expected = answer;  // the 201 answer is the stored report plus seq, duplicate_of
        expected.erase("duplicate_of");
        expected.erase("seq");
        // Near-duplicates are listed per reader (the same body is filed under several
        // markings here): each reader gets exactly those it may read.
        for (const json& d : got["analysis"]["near_duplicates"]) {
          EXPECT_EQ(client_->Get("/v1/reports/" + d["id"].get<std::string>(), token).status, 200)
              << org << " is shown a near-duplicate it cannot read";
        }
        got["analysis"].erase("near_duplicates");
        expected["analysis"].erase("near_duplicates");
        EXPECT_EQ(got, expected);
      } else {
        // No oracle: exactly the answer for an id that never existed, but for the id itself.
        EXPECT_EQ(read.status, 404) << org;
        std::string expected = ghost.body;
        expected.replace(expected.find("rep_01ARZ3NDEKTSV4RRFFQ69G5FAV"), 30, id);
        EXPECT_EQ(read.body, expected) << org;
      }
    }
  }
}

TEST_F(ReportsTest, RefusalsAtTheDoorNameTheRule) {
  struct Case {
    std::string org;
    json report;
    long status;
    std::string code;
  };
  const std::vector<Case> cases = {
      {"p2", {{"body", "b"}}, 403, "partner_may_not_submit"},
      {"host", {{"body", "b"}, {"tlp", "red"}, {"release_to", {"members"}}}, 400,
       "tlp_red_named_only"},
      {"host", {{"body", "b"}, {"tlp", "amber+strict"}, {"release_to", {"p1"}}}, 400,
       "tlp_amber_strict_partner"},
      {"host", {{"body", "b"}, {"release_to", {"nobody"}}}, 400, "release_unknown_org"},
      {"host", {{"body", "b"}, {"tpl", "red"}}, 400, "unknown_field"},
      {"host", {{"title", "t"}}, 400, "body_required"},
      {"host", {{"body", "b"}, {"source", {{"reliability", "Z"}}}}, 400, "bad_reliability"},
  };
  for (const auto& c : cases) {
    HttpResult r = Submit(c.org, c.report);
    EXPECT_EQ(r.status, c.status) << c.report.dump() << r.body;
    EXPECT_EQ(json::parse(r.body)["error"]["code"], c.code) << r.body;
  }
  // Nothing was written: the host's inbox-facing audit chain has only init + 5 tokens.
  CommandResult verify = RunMarkaz({"audit", "verify", "--data", data_});
  EXPECT_NE(verify.out.find("6 entries"), std::string::npos) << verify.out;
}

TEST_F(ReportsTest, SixteenConcurrentRetriesOfOneExternalIdMakeOneReport) {
  json report = {{"body", "the same report"}, {"external_id", "ext-42"}, {"release_to", {"members"}}};
  std::vector<std::thread> threads;
  std::vector<long> statuses(16);
  std::vector<std::string> ids(16);
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&, i] {
      HttpClient client(server_->url());
      HttpResult r = client.Post("/v1/reports", report.dump(), tokens_["m2"]);
      statuses[i] = r.status;
      if (r.status == 200 || r.status == 201) ids[i] = json::parse(r.body)["id"];
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 201), 1);
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 200), 15);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), 1u);
  CommandResult verify = RunMarkaz({"audit", "verify", "--data", data_});
  EXPECT_NE(verify.out.find("7 entries"), std::string::npos) << "one report.submit entry";
}

TEST_F(ReportsTest, BulkAnswersEveryLineInOrderAndBadLinesDoNotStopTheRest) {
  std::string body = json({{"body", "one"}}).dump() + "\n" + "{not json}\n" +
                     json({{"body", "three"}, {"tlp", "red"}, {"release_to", {"all"}}}).dump() +
                     "\n" + json({{"body", "four"}, {"release_to", {"m3"}}}).dump() + "\n";
  HttpResult r = client_->Post("/v1/reports:bulk", body, tokens_["m2"], "application/x-ndjson");
  ASSERT_EQ(r.status, 200) << r.body;
  std::vector<json> lines;
  std::stringstream ss(r.body);
  for (std::string line; std::getline(ss, line);) lines.push_back(json::parse(line));
  ASSERT_EQ(lines.size(), 4u);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(lines[i]["line"], i + 1);
  EXPECT_TRUE(lines[0].contains("id"));
  EXPECT_EQ(lines[1]["error"]["code"], "bad_json");
  EXPECT_EQ(lines[2]["error"]["code"], "tlp_red_named_only");
  ASSERT_TRUE(lines[3].contains("id"));
  EXPECT_EQ(client_->Get("/v1/reports/" + lines[3]["id"].get<std::string>(), tokens_["m3"]).status,
            200);
}

TEST_F(ReportsTest, NoNumberOrMessageRevealsReportsTheCallerCannotSee) {
  // seq is the submitter's own inbox sequence: other orgs' hidden reports do not move it.
  HttpResult first = Submit("host", {{"body", "mine"}});
  ASSERT_EQ(first.status, 201);
  EXPECT_EQ(json::parse(first.body)["seq"], 1);
  for (int i = 0; i < 2; ++i) {
    ASSERT_EQ(Submit("m2", {{"body", "hidden"}, {"tlp", "red"}}).status, 201);
  }
  HttpResult second = Submit("host", {{"body", "mine too"}});
  EXPECT_EQ(json::parse(second.body)["seq"], 2);
  EXPECT_FALSE(json::parse(client_->Get("/v1/reports/" + json::parse(second.body)["id"].get<std::string>(),
                                        tokens_["host"]).body)
                   .contains("seq"));
  // Health, which needs no token, shows no counter at all.
  EXPECT_EQ(json::parse(client_->Get("/v1/health").body), json({{"status", "ok"}}));
  // Bytes that are not UTF-8 in a path are answered, not crashed on.
  HttpResult odd = client_->Get("/v1/reports/rep_\xff\xfe", tokens_["host"]);
  EXPECT_EQ(odd.status, 404) << odd.body;
}

TEST_F(ReportsTest, GenPipedIntoIngestLoadsEveryLine) {
  CommandResult gen = RunMarkaz({"gen", "--count", "300", "--seed", "9", "--out",
                                 dir_.Sub("corpus.ndjson")});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  std::string corpus = ReadFile(dir_.Sub("corpus.ndjson"));
  // One line refused: an unknown field.
  corpus += "{\"body\":\"x\",\"colour\":\"red\"}\n";
  WriteFile(dir_.Sub("corpus.ndjson"), corpus);
  CommandResult ingest = RunCommand(
      {MARKAZ_BINARY, "ingest", dir_.Sub("corpus.ndjson"), "--url", server_->url(), "--token",
       tokens_["host"], "--batch", "64", "--errors", dir_.Sub("errors.ndjson")});
  EXPECT_EQ(ingest.exit_code, 1) << "one line failed" << ingest.err;
  EXPECT_NE(ingest.err.find("ingested 300 reports, 1 failed"), std::string::npos) << ingest.err;
  json error = json::parse(ReadFile(dir_.Sub("errors.ndjson")));
  EXPECT_EQ(error["line"], 301);
  EXPECT_EQ(error["error"]["code"], "unknown_field");

  // Ingesting the same file again changes nothing: every line has an external_id.
  CommandResult again = RunCommand({MARKAZ_BINARY, "ingest", dir_.Sub("corpus.ndjson"), "--url",
                                    server_->url(), "--token", tokens_["host"]});
  CommandResult verify = RunMarkaz({"audit", "verify", "--data", data_});
  EXPECT_EQ(verify.exit_code, 0);
  EXPECT_NE(verify.out.find("306 entries"), std::string::npos) << verify.out;
}

}  // namespace
}  // namespace markaz::testutil
