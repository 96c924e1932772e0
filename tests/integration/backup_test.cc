// `markaz backup` and `markaz restore` (issue 11) against a real server: a backup taken while
// a bulk ingest runs, restored into a new directory, verified and served; every report
// acknowledged before the backup started must be readable there. And the refusals: a live or
// existing centre as restore target, an existing backup file without --force, a corrupt file.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
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
namespace fs = std::filesystem;

std::string Line(std::size_t i) {
  return json({{"title", "Backup report " + std::to_string(i)},
               {"body", "Convoy " + std::to_string(i) + " reached the city on Tuesday."},
               {"release_to", {"members"}},
               {"external_id", "bk-" + std::to_string(i)}})
             .dump() +
         "\n";
}

struct Acknowledged {
  std::string id;
  std::string originator;  // org whose token sent it
  std::size_t line;        // its number in the upload, for external_id
  Clock::time_point at;    // when its answer reached the client
};

class BackupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = InitCentre(dir_, TestCharter(Rfc3339FromNow(-std::chrono::hours(24))));
    for (const char* org : {"host", "m2"}) tokens_[org] = CreateToken(data_, org, "analyst");
  }

  TempDir dir_;
  std::string data_;
  std::map<std::string, std::string> tokens_;
};

TEST_F(BackupTest, BackupDuringBulkIngestRestoresEveryReportAcknowledgedBeforeIt) {
  ServerProcess server(data_);
  ASSERT_TRUE(server.started()) << server.Stderr();

  // The ingest: two clients (two orgs) POST 100-line NDJSON batches until told to stop. Each
  // acknowledged id is recorded with the moment its answer arrived, an upper bound on its
  // commit: "acknowledged before the backup started" is then never claimed too early.
  std::mutex mu;
  std::condition_variable cv;
  std::vector<Acknowledged> acked;  // GUARDED_BY(mu)
  std::size_t failures = 0;         // GUARDED_BY(mu)
  bool stop = false;                // GUARDED_BY(mu)
  std::size_t next_line = 1;        // GUARDED_BY(mu)
  auto client = [&](const std::string& org, const std::string& token) {
    HttpClient http(server.url());
    for (;;) {
      std::size_t first;
      {
        std::lock_guard<std::mutex> lock(mu);
        if (stop) return;
        first = next_line;
        next_line += 100;
      }
      std::string body;
      for (std::size_t i = first; i < first + 100; ++i) body += Line(i);
      HttpResult r = http.Post("/v1/reports:bulk", body, token, "application/x-ndjson");
      const auto at = Clock::now();
      std::lock_guard<std::mutex> lock(mu);
      if (r.status != 200) {
        ++failures;
        continue;
      }
      std::stringstream lines(r.body);
      for (std::string text; std::getline(lines, text);) {
        json answer = json::parse(text);
        if (!answer.contains("id")) {
          ++failures;
          continue;
        }
        acked.push_back({answer["id"], org, first + answer["line"].get<std::size_t>() - 1, at});
      }
      cv.notify_all();
    }
  };
  std::thread ingest_host(client, "host", tokens_["host"]);
  std::thread ingest_m2(client, "m2", tokens_["m2"]);
  // Stops and joins the ingest on every way out of this test, a failed ASSERT included.
  auto stop_ingest = [&] {
    {
      std::lock_guard<std::mutex> lock(mu);
      stop = true;
    }
    if (ingest_host.joinable()) ingest_host.join();
    if (ingest_m2.joinable()) ingest_m2.join();
  };
  struct Finally {
    std::function<void()> fn;
    ~Finally() { fn(); }
  } finally{stop_ingest};
  auto acked_count = [&] {
    std::lock_guard<std::mutex> lock(mu);
    return acked.size();
  };
  {
    std::unique_lock<std::mutex> lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(60), [&] { return acked.size() >= 600; }))
        << "the ingest did not get going";
  }

  const std::string file = dir_.Sub("centre.backup");
  const auto backup_start = Clock::now();
  CommandResult backup = RunMarkaz({"backup", "--data", data_, "--to", file});
  const auto backup_end = Clock::now();
  const std::size_t acked_at_backup_end = acked_count();
  {
    // Let the ingest go on past the backup, so that it demonstrably ran on both sides.
    std::unique_lock<std::mutex> lock(mu);
    cv.wait_for(lock, std::chrono::seconds(60),
                [&] { return acked.size() >= acked_at_backup_end + 200; });
  }
  stop_ingest();
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  EXPECT_EQ(failures, 0u);
  for (const char* part : {"reports", "audit head seq", "bytes", "MB/s", "search index"}) {
    EXPECT_NE(backup.err.find(part), std::string::npos) << part << " in: " << backup.err;
  }

  std::vector<Acknowledged> before;
  std::size_t after = 0;
  for (const auto& a : acked) {
    if (a.at < backup_start) before.push_back(a);
    if (a.at > backup_end) ++after;
  }
  ASSERT_GE(before.size(), 600u);
  EXPECT_GT(after, 0u) << "the ingest stopped before the backup ended";

  // Restore into a new directory, verify the chain, serve it.
  const std::string restored = dir_.Sub("restored");
  CommandResult restore = RunMarkaz({"restore", "--from", file, "--data", restored});
  ASSERT_EQ(restore.exit_code, 0) << restore.err;
  EXPECT_NE(restore.err.find("audit chain ok"), std::string::npos) << restore.err;
  CommandResult verify = RunMarkaz({"audit", "verify", "--data", restored});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_EQ(server.Terminate(), 0);

  ServerProcess copy(restored);
  ASSERT_TRUE(copy.started()) << copy.Stderr();
  HttpClient http(copy.url());
  for (const auto& a : before) {
    HttpResult r = http.Get("/v1/reports/" + a.id, tokens_[a.originator]);
    ASSERT_EQ(r.status, 200) << a.id << " acknowledged before the backup is missing: " << r.body;
    EXPECT_EQ(json::parse(r.body)["external_id"], "bk-" + std::to_string(a.line));
  }
  // The restored centre is a working centre: it takes new reports.
  HttpResult more = http.Post("/v1/reports:bulk", Line(1000000), tokens_["host"],
                              "application/x-ndjson");
  EXPECT_EQ(more.status, 200);
  EXPECT_NE(more.body.find("\"id\""), std::string::npos) << more.body;
}

TEST_F(BackupTest, RestoreRefusesALiveCentreAnExistingOneAndANonEmptyDirectory) {
  const std::string file = dir_.Sub("centre.backup");
  CommandResult backup = RunMarkaz({"backup", "--data", data_, "--to", file});
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  {
    ServerProcess server(data_);
    ASSERT_TRUE(server.started()) << server.Stderr();
    CommandResult live = RunMarkaz({"restore", "--from", file, "--data", data_});
    EXPECT_EQ(live.exit_code, 2);
    EXPECT_NE(live.err.find("running markaz server"), std::string::npos) << live.err;
    // A second server on the same directory is refused by the same lock.
    ServerProcess second(data_);
    EXPECT_FALSE(second.started());
    EXPECT_NE(second.Stderr().find("in use"), std::string::npos) << second.Stderr();
    // The backup target check knows the lock too.
    CommandResult into_live = RunMarkaz({"backup", "--data", data_, "--to", data_ + "/copy.db"});
    EXPECT_EQ(into_live.exit_code, 2);
    EXPECT_NE(into_live.err.find("running markaz server"), std::string::npos) << into_live.err;
  }
  CommandResult existing = RunMarkaz({"restore", "--from", file, "--data", data_});
  EXPECT_EQ(existing.exit_code, 2);
  EXPECT_NE(existing.err.find("already holds a centre"), std::string::npos) << existing.err;

  const std::string cluttered = dir_.Sub("cluttered");
  fs::create_directories(cluttered + "/index");
  CommandResult not_empty = RunMarkaz({"restore", "--from", file, "--data", cluttered});
  EXPECT_EQ(not_empty.exit_code, 2);
  EXPECT_NE(not_empty.err.find("not empty"), std::string::npos) << not_empty.err;
  EXPECT_FALSE(fs::exists(cluttered + "/markaz.db"));

  // An empty existing directory is fine.
  const std::string empty = dir_.Sub("empty");
  fs::create_directories(empty);
  CommandResult ok = RunMarkaz({"restore", "--from", file, "--data", empty});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
}

TEST_F(BackupTest, BackupRefusesAnExistingFileUnlessForced) {
  const std::string file = dir_.Sub("centre.backup");
  WriteFile(file, "an older backup");
  CommandResult refused = RunMarkaz({"backup", "--data", data_, "--to", file});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("--force"), std::string::npos) << refused.err;
  EXPECT_EQ(ReadFile(file), "an older backup");

  CommandResult forced = RunMarkaz({"backup", "--data", data_, "--to", file, "--force"});
  ASSERT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_NE(ReadFile(file), "an older backup");
  EXPECT_FALSE(fs::exists(file + ".tmp"));
  CommandResult restore = RunMarkaz({"restore", "--from", file, "--data", dir_.Sub("r")});
  EXPECT_EQ(restore.exit_code, 0) << restore.err;
}

TEST_F(BackupTest, CorruptFileIsRefusedWithAClearMessage) {
  const std::string good = dir_.Sub("good.backup");
  ASSERT_EQ(RunMarkaz({"backup", "--data", data_, "--to", good}).exit_code, 0);
  const std::string bytes = ReadFile(good);
  const struct {
    const char* name;
    std::string content;
  } cases[] = {
      {"not sqlite", "this is not a database, just text\n"},
      {"half a backup", bytes.substr(0, bytes.size() / 2)},
      {"garbage", std::string(bytes.size(), '\x42')},
  };
  for (const auto& c : cases) {
    const std::string file = dir_.Sub(std::string("bad-") + c.name);
    WriteFile(file, c.content);
    const std::string target = dir_.Sub(std::string("target-") + c.name);
    CommandResult r = RunMarkaz({"restore", "--from", file, "--data", target});
    EXPECT_EQ(r.exit_code, 2) << c.name << ": " << r.err;
    EXPECT_NE(r.err.find("refusing to restore"), std::string::npos) << c.name << ": " << r.err;
    EXPECT_NE(r.err.find("not a usable markaz database"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(target)) << c.name << ": the directory it created is removed";
  }
  CommandResult missing = RunMarkaz({"restore", "--from", dir_.Sub("nope"), "--data",
                                     dir_.Sub("t")});
  EXPECT_EQ(missing.exit_code, 2);
}

}  // namespace
}  // namespace markaz::testutil
