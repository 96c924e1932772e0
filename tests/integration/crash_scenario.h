// The crash scenario of issue 3, shared by tests/integration/crash_test.cc (a short run of a
// few kills in `make test`) and bench/ingest (`ingest_bench --crash-rounds 100`).
//
// Client threads (one org each) POST bulk batches of an NDJSON corpus to a real `markaz serve`
// and record every line the server acknowledged with an id. A killer waits a seeded-random
// delay, then SIGKILLs the server mid-ingest; the server is restarted on the same data
// directory (new port) and the clients carry on where they were, resubmitting the batch that
// was cut (idempotent thanks to external_id). After the last kill a final round resubmits the
// cut batches without a kill, reads a sample of acknowledged ids back over HTTP, stops the
// server, and then the SQLite file itself is checked:
//   - every acknowledged id is present, with the title, body, external_id and originator that
//     were submitted; a line acknowledged twice got the same id both times;
//   - every report row has exactly one inbox row (kind 'report', item_id = id) per org of its
//     audience and no other, and exactly one audit row 'report.submit' whose object is its id;
//     no inbox or audit row names a report that does not exist (no half report);
//   - every report row was acknowledged (after the final round every cut batch has been
//     answered, so an unacknowledged row would be a phantom or a duplicate);
//   - per org, inbox seqs are exactly 1..max; (originator, external_id) is unique;
//   - `markaz audit verify --data DIR` exits 0.
// When the corpus runs out the clients go round it again with external_id suffixed "~PASS", so
// every pass writes new reports.
//
// Header-only so that the test and the bench program share it without a library of its own.
#pragma once

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "testutil/http_client.h"
#include "testutil/run_command.h"
#include "testutil/server_process.h"

namespace markaz::testutil::crash {

struct Options {
  int kills = 6;
  std::uint64_t seed = 20151011;
  std::size_t batch_lines = 50;   // lines per bulk request
  int min_delay_ms = 50;          // the killer waits uniform [min, max] ms after the server is up
  int max_delay_ms = 400;
  std::size_t http_samples = 200; // acknowledged ids read back over HTTP after the final restart
  std::function<void(const std::string&)> log;  // one line per round; may be empty
};

struct Summary {
  int kills = 0;
  std::size_t batches_posted = 0;
  std::size_t batches_cut = 0;      // requests that got no complete answer (the kill)
  std::size_t acknowledged = 0;     // distinct lines acknowledged with an id
  std::size_t acknowledged_before_final = 0;  // of which before the final (kill-free) round
  std::size_t present = 0;          // acknowledged ids found intact in the store
  // Lines that a killed server had committed but not yet acknowledged when it died, found by
  // the resubmission after the restart (their received_at is older than the restart): evidence
  // that kills land between commit and answer, and that the retry was idempotent.
  std::size_t committed_before_kill_acknowledged_after = 0;
  std::size_t reports = 0;          // report rows in the store
  std::size_t inbox_rows = 0;
  std::size_t audit_submits = 0;
  std::size_t http_checked = 0;     // acknowledged ids read back over HTTP, identical
  int audit_verify_exit = -1;
  std::string audit_verify_output;
  std::size_t violation_count = 0;
  std::vector<std::string> violations;  // the first kMaxViolations
  double seconds = 0;
};

inline constexpr std::size_t kMaxViolations = 100;

namespace internal {

using nlohmann::json;

struct Batch {
  std::uint64_t pass = 0;
  std::size_t first = 0;
  std::size_t count = 0;
};

struct Ack {
  std::size_t client = 0;
  std::string id;
  std::size_t round = 0;  // the round (server process) that acknowledged it
};

// The line as submitted in pass `pass`: pass 0 sends the corpus line as it is, later passes
// suffix its external_id so that they write new reports.
inline std::string SubmittedLine(const std::vector<std::string>& lines, std::size_t index,
                                 std::uint64_t pass) {
  if (pass == 0) return lines[index];
  json j = json::parse(lines[index]);
  j["external_id"] = j["external_id"].get<std::string>() + "~" + std::to_string(pass);
  return j.dump();
}

inline std::string Column(sqlite3_stmt* stmt, int i) {
  const unsigned char* text = sqlite3_column_text(stmt, i);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<std::size_t>(sqlite3_column_bytes(stmt, i)));
}

// The process state letter from /proc/PID/stat ('Z' once it has exited and awaits reaping).
inline char ProcessState(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  auto paren = text.rfind(')');
  if (paren == std::string::npos || paren + 2 >= text.size()) return '?';
  return text[paren + 2];
}

class Scenario {
 public:
  Scenario(std::string data_dir, std::vector<std::string> orgs, std::vector<std::string> tokens,
           const std::vector<std::string>& lines, Options options)
      : data_dir_(std::move(data_dir)),
        orgs_(std::move(orgs)),
        tokens_(std::move(tokens)),
        lines_(lines),
        options_(std::move(options)),
        pending_(tokens_.size()) {}

  Summary Run() {
    const auto start = std::chrono::steady_clock::now();
    if (!Precheck()) return Finish(start);
    std::mt19937_64 rng(options_.seed);
    std::uniform_int_distribution<int> delay(options_.min_delay_ms, options_.max_delay_ms);

    for (int round = 0; round < options_.kills; ++round) {
      StartRound();
      ServerProcess server(data_dir_);
      if (!server.started()) {
        Violation("the server did not restart after kill " + std::to_string(round) + ": " +
                  server.Stderr());
        return Finish(start);
      }
      const int wait_ms = delay(rng);
      std::vector<std::thread> clients;
      for (std::size_t c = 0; c < tokens_.size(); ++c) {
        clients.emplace_back([this, c, url = server.url()] { Client(c, url, false); });
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms));
      if (ProcessState(server.pid()) == 'Z') {
        Violation("the server exited by itself before kill " + std::to_string(round + 1) + ": " +
                  server.Stderr());
      }
      server.Kill();
      for (auto& t : clients) t.join();
      ++summary_.kills;
      Log("kill " + std::to_string(round + 1) + "/" + std::to_string(options_.kills) + " after " +
          std::to_string(wait_ms) + " ms: " + std::to_string(AckCount()) +
          " lines acknowledged so far, " + std::to_string(cut_.load()) + " requests cut");
    }
    summary_.acknowledged_before_final = AckCount();

    // The final round: restart, answer every cut batch, read a sample back, stop cleanly.
    {
      StartRound();
      ServerProcess server(data_dir_);
      if (!server.started()) {
        Violation("the server did not restart after the last kill: " + server.Stderr());
        return Finish(start);
      }
      std::vector<std::thread> clients;
      for (std::size_t c = 0; c < tokens_.size(); ++c) {
        clients.emplace_back([this, c, url = server.url()] { Client(c, url, true); });
      }
      for (auto& t : clients) t.join();
      ReadBack(server.url(), rng);
      const int exit_code = server.Terminate();
      if (exit_code != 0) {
        Violation("the server exited with " + std::to_string(exit_code) + " on SIGTERM: " +
                  server.Stderr());
      }
    }
    Log("final round: " + std::to_string(AckCount()) + " lines acknowledged, " +
        std::to_string(summary_.http_checked) + " read back over HTTP");

    CheckStore();
    CommandResult verify = RunMarkaz({"audit", "verify", "--data", data_dir_});
    summary_.audit_verify_exit = verify.exit_code;
    summary_.audit_verify_output = verify.out + verify.err;
    if (verify.exit_code != 0) Violation("markaz audit verify failed: " + verify.out + verify.err);
    return Finish(start);
  }

 private:
  // Called before each server start; round_start_ms_[r] is then the wall-clock time before the
  // round's server existed (the server stamps received_at with the same clock).
  void StartRound() {
    std::lock_guard lock(mu_);
    round_start_ms_.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(
                                  std::chrono::system_clock::now().time_since_epoch())
                                  .count());
  }

  void Log(const std::string& line) {
    if (options_.log) options_.log(line);
  }

  void Violation(std::string what) {
    std::lock_guard lock(mu_);
    ++summary_.violation_count;
    if (summary_.violations.size() < kMaxViolations) summary_.violations.push_back(std::move(what));
  }

  std::size_t AckCount() {
    std::lock_guard lock(mu_);
    return acks_.size();
  }

  Summary Finish(std::chrono::steady_clock::time_point start) {
    summary_.batches_posted = posted_.load();
    summary_.batches_cut = cut_.load();
    summary_.acknowledged = AckCount();
    summary_.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return summary_;
  }

  std::uint64_t Key(std::uint64_t pass, std::size_t index) const {
    return pass * lines_.size() + index;
  }

  bool Precheck() {
    if (lines_.empty() || tokens_.empty() || orgs_.size() != tokens_.size() ||
        options_.batch_lines == 0 || options_.min_delay_ms > options_.max_delay_ms) {
      Violation("bad scenario set-up (empty corpus, no clients or bad options)");
      return false;
    }
    for (std::size_t i = 0; i < lines_.size(); ++i) {
      json j = json::parse(lines_[i], nullptr, false);
      if (j.is_discarded() || !j.contains("external_id") || !j["external_id"].is_string()) {
        Violation("corpus line " + std::to_string(i + 1) + " has no external_id");
        return false;
      }
    }
    return true;
  }

  Batch BatchAt(std::uint64_t k) const {
    const std::uint64_t per_pass = (lines_.size() + options_.batch_lines - 1) / options_.batch_lines;
    Batch b;
    b.pass = k / per_pass;
    b.first = static_cast<std::size_t>(k % per_pass) * options_.batch_lines;
    b.count = std::min(options_.batch_lines, lines_.size() - b.first);
    return b;
  }

  // Records every complete answer line of `body` (even of a cut response: a line the server
  // wrote is an acknowledgement); returns how many lines were acknowledged with an id.
  std::size_t RecordAnswers(std::size_t client, const Batch& b, const std::string& body) {
    std::size_t acked = 0;
    std::size_t at = 0;
    while (true) {
      std::size_t end = body.find('\n', at);
      if (end == std::string::npos) break;
      json line = json::parse(body.substr(at, end - at), nullptr, false);
      at = end + 1;
      if (line.is_discarded() || !line.contains("line") || !line["line"].is_number_unsigned()) {
        Violation("unreadable bulk answer line: " + body.substr(0, 200));
        continue;
      }
      const std::size_t n = line["line"].get<std::size_t>();
      if (n < 1 || n > b.count) {
        Violation("bulk answer names line " + std::to_string(n) + " of a " +
                  std::to_string(b.count) + "-line request");
        continue;
      }
      const std::size_t index = b.first + n - 1;
      if (line.contains("error")) {
        Violation("corpus line " + std::to_string(index + 1) + " (pass " +
                  std::to_string(b.pass) + ") refused: " + line["error"].dump());
        continue;
      }
      if (!line.contains("id") || !line["id"].is_string()) {
        Violation("bulk answer line without id or error: " + line.dump());
        continue;
      }
      std::string id = line["id"].get<std::string>();
      ++acked;
      std::lock_guard lock(mu_);
      auto [it, inserted] =
          acks_.try_emplace(Key(b.pass, index), Ack{client, id, round_start_ms_.size() - 1});
      if (!inserted && it->second.id != id) {
        ++summary_.violation_count;
        if (summary_.violations.size() < kMaxViolations) {
          summary_.violations.push_back("corpus line " + std::to_string(index + 1) + " (pass " +
                                        std::to_string(b.pass) + ") acknowledged as " +
                                        it->second.id + ", later as " + id);
        }
      }
    }
    return acked;
  }

  // One client: posts batches until its connection fails (the kill), or, in the final round
  // (`drain`), until its cut batch, if any, has been answered.
  void Client(std::size_t c, const std::string& url, bool drain) {
    HttpClient http(url);
    while (true) {
      if (!pending_[c]) {
        if (drain) return;
        pending_[c] = BatchAt(next_batch_.fetch_add(1));
      }
      const Batch b = *pending_[c];
      std::string body;
      for (std::size_t i = b.first; i < b.first + b.count; ++i) {
        body += SubmittedLine(lines_, i, b.pass);
        body += '\n';
      }
      HttpResult r = http.Post("/v1/reports:bulk", body, tokens_[c], "application/x-ndjson");
      ++posted_;
      const std::size_t acked = RecordAnswers(c, b, r.body);
      if (r.status == 200) {
        if (acked != b.count) {
          Violation("a 200 bulk answer acknowledged " + std::to_string(acked) + " of " +
                    std::to_string(b.count) + " lines");
        }
        pending_[c].reset();
        continue;
      }
      ++cut_;
      if (r.status == 503 || r.status == 429) {  // back-pressure: try again shortly
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        continue;
      }
      if (r.status == 0 && !drain) return;  // the server is gone: resubmit after the restart
      Violation("bulk request answered " + std::to_string(r.status) + " (" + r.error + "): " +
                r.body.substr(0, 300));
      return;
    }
  }

  void ReadBack(const std::string& url, std::mt19937_64& rng) {
    std::vector<std::pair<std::uint64_t, Ack>> sample;
    {
      std::lock_guard lock(mu_);
      std::vector<std::pair<std::uint64_t, Ack>> all(acks_.begin(), acks_.end());
      std::sort(all.begin(), all.end(),
                [](const auto& a, const auto& b) { return a.first < b.first; });
      std::sample(all.begin(), all.end(), std::back_inserter(sample), options_.http_samples, rng);
    }
    HttpClient http(url);
    for (const auto& [key, ack] : sample) {
      const std::uint64_t pass = key / lines_.size();
      const std::size_t index = static_cast<std::size_t>(key % lines_.size());
      HttpResult r = http.Get("/v1/reports/" + ack.id, tokens_[ack.client]);
      if (r.status != 200) {
        Violation("GET " + ack.id + " answered " + std::to_string(r.status) + ": " +
                  r.body.substr(0, 200));
        continue;
      }
      json got = json::parse(r.body, nullptr, false);
      json sent = json::parse(SubmittedLine(lines_, index, pass));
      bool same = !got.is_discarded() && got.value("id", "") == ack.id &&
                  got.value("originator", "") == orgs_[ack.client];
      if (same) {
        for (const auto& [field, value] : sent.items()) {
          if (!got.contains(field) || got[field] != value) {
            Violation("GET " + ack.id + ": field " + field + " differs from what was submitted");
            same = false;
            break;
          }
        }
      } else {
        Violation("GET " + ack.id + " answered another report: " + r.body.substr(0, 200));
      }
      if (same) ++summary_.http_checked;
    }
  }

  void CheckStore() {
    const std::string path = data_dir_ + "/markaz.db";
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
      Violation("cannot open " + path + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
      sqlite3_close(db);
      return;
    }
    auto query = [&](const char* sql, const std::function<void(sqlite3_stmt*)>& row) {
      sqlite3_stmt* stmt = nullptr;
      if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK) {
        Violation(std::string("cannot prepare ") + sql + ": " + sqlite3_errmsg(db));
        return;
      }
      int rc;
      while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) row(stmt);
      if (rc != SQLITE_DONE) Violation(std::string(sql) + ": " + sqlite3_errmsg(db));
      sqlite3_finalize(stmt);
    };

    // 1. Every acknowledged id is present and intact.
    std::unordered_set<std::string> acked_ids;
    {
      sqlite3_stmt* stmt = nullptr;
      sqlite3_prepare_v2(db,
                         "SELECT originator, external_id, title, body, received_ms FROM reports "
                         "WHERE id = ?",
                         -1, &stmt, nullptr);
      std::lock_guard lock(mu_);
      for (const auto& [key, ack] : acks_) {
        acked_ids.insert(ack.id);
        const std::uint64_t pass = key / lines_.size();
        const std::size_t index = static_cast<std::size_t>(key % lines_.size());
        const std::string where = " (corpus line " + std::to_string(index + 1) + ", pass " +
                                  std::to_string(pass) + ")";
        sqlite3_reset(stmt);
        sqlite3_bind_text(stmt, 1, ack.id.c_str(), -1, SQLITE_TRANSIENT);
        if (sqlite3_step(stmt) != SQLITE_ROW) {
          ++summary_.violation_count;
          if (summary_.violations.size() < kMaxViolations) {
            summary_.violations.push_back("acknowledged report " + ack.id + where +
                                          " is missing from the store");
          }
          continue;
        }
        json sent = json::parse(SubmittedLine(lines_, index, pass));
        const bool intact = Column(stmt, 0) == orgs_[ack.client] &&
                            Column(stmt, 1) == sent["external_id"].get<std::string>() &&
                            Column(stmt, 2) == sent.value("title", "") &&
                            Column(stmt, 3) == sent["body"].get<std::string>();
        if (intact) {
          ++summary_.present;
          if (sqlite3_column_int64(stmt, 4) < round_start_ms_[ack.round]) {
            ++summary_.committed_before_kill_acknowledged_after;
          }
        } else {
          ++summary_.violation_count;
          if (summary_.violations.size() < kMaxViolations) {
            summary_.violations.push_back("acknowledged report " + ack.id + where +
                                          " differs from what was submitted");
          }
        }
      }
      sqlite3_finalize(stmt);
    }

    // 2. Every report row was acknowledged; its audience, for the inbox check.
    std::unordered_map<std::string, std::vector<std::string>> audience;
    query("SELECT id, audience FROM reports", [&](sqlite3_stmt* s) {
      std::string id = Column(s, 0);
      json a = json::parse(Column(s, 1), nullptr, false);
      std::vector<std::string> orgs;
      if (a.is_array()) {
        for (const auto& o : a) orgs.push_back(o.get<std::string>());
      } else {
        Violation("report " + id + " has an unreadable audience");
      }
      std::sort(orgs.begin(), orgs.end());
      if (!acked_ids.count(id)) {
        Violation("report " + id + " is in the store but was never acknowledged");
      }
      audience.emplace(std::move(id), std::move(orgs));
    });
    summary_.reports = audience.size();

    // 3. Inbox: per org exactly 1..max; per report one row per audience org and no other.
    std::unordered_map<std::string, std::vector<std::string>> inboxed;  // report id -> orgs
    {
      std::string org;
      std::int64_t last = 0;
      query("SELECT org, seq, kind, item_id FROM inbox ORDER BY org, seq", [&](sqlite3_stmt* s) {
        ++summary_.inbox_rows;
        std::string this_org = Column(s, 0);
        const std::int64_t seq = sqlite3_column_int64(s, 1);
        if (this_org != org) {
          org = this_org;
          last = 0;
        }
        if (seq != last + 1) {
          Violation("inbox of " + org + ": seq " + std::to_string(seq) + " follows " +
                    std::to_string(last));
        }
        last = seq;
        if (Column(s, 2) == "report") inboxed[Column(s, 3)].push_back(org);
      });
    }
    for (auto& [id, orgs] : inboxed) {
      if (!audience.count(id)) {
        Violation("inbox rows name report " + id + ", which is not in the store (half report)");
      }
    }
    for (const auto& [id, orgs] : audience) {
      auto it = inboxed.find(id);
      std::vector<std::string> got = it == inboxed.end() ? std::vector<std::string>{} : it->second;
      std::sort(got.begin(), got.end());
      if (got != orgs) {
        Violation("report " + id + " has " + std::to_string(got.size()) +
                  " inbox rows for an audience of " + std::to_string(orgs.size()) +
                  " (half report)");
      }
    }

    // 4. Exactly one audit 'report.submit' per report, none for a report that is not there.
    std::unordered_map<std::string, std::int64_t> audited;
    query("SELECT object, count(*) FROM audit WHERE action = 'report.submit' GROUP BY object",
          [&](sqlite3_stmt* s) {
            audited[Column(s, 0)] = sqlite3_column_int64(s, 1);
            summary_.audit_submits += static_cast<std::size_t>(sqlite3_column_int64(s, 1));
          });
    for (const auto& [id, n] : audited) {
      if (!audience.count(id)) {
        Violation("audit entry report.submit names report " + id +
                  ", which is not in the store (half report)");
      }
    }
    for (const auto& [id, orgs] : audience) {
      auto it = audited.find(id);
      const std::int64_t n = it == audited.end() ? 0 : it->second;
      if (n != 1) {
        Violation("report " + id + " has " + std::to_string(n) +
                  " audit report.submit entries (half report)");
      }
    }

    // 5. (originator, external_id) unique.
    query("SELECT originator, external_id, count(*) FROM reports WHERE external_id IS NOT NULL "
          "GROUP BY originator, external_id HAVING count(*) > 1",
          [&](sqlite3_stmt* s) {
            Violation("external_id " + Column(s, 1) + " of " + Column(s, 0) + " is stored " +
                      std::to_string(sqlite3_column_int64(s, 2)) + " times");
          });
    sqlite3_close(db);
  }

  std::string data_dir_;
  std::vector<std::string> orgs_;
  std::vector<std::string> tokens_;
  const std::vector<std::string>& lines_;
  Options options_;

  std::vector<std::optional<Batch>> pending_;  // per client; only its own thread touches it
  std::atomic<std::uint64_t> next_batch_{0};
  std::atomic<std::size_t> posted_{0};
  std::atomic<std::size_t> cut_{0};

  std::mutex mu_;
  std::unordered_map<std::uint64_t, Ack> acks_;  // GUARDED_BY(mu_); key: pass * lines + index
  std::vector<std::int64_t> round_start_ms_;     // GUARDED_BY(mu_)
  Summary summary_;                              // violations GUARDED_BY(mu_)
};

}  // namespace internal

// Runs the scenario on `data_dir` (an initialised centre, not being served). Client i submits
// as orgs[i] with tokens[i]. Every line of `lines` (NDJSON reports) must carry an external_id.
inline Summary Run(const std::string& data_dir, const std::vector<std::string>& orgs,
                   const std::vector<std::string>& tokens, const std::vector<std::string>& lines,
                   const Options& options) {
  internal::Scenario scenario(data_dir, orgs, tokens, lines, options);
  return scenario.Run();
}

}  // namespace markaz::testutil::crash
