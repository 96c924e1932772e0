// Collect (issue 3) end to end, through a real `markaz serve`, beside plain SQLite in one run.
//
//   build/release/bench/ingest_bench [--count 100000] [--clients 2] [--batch 1000]
//                                    [--singles 5000] [--single-clients 16] [--seed 1]
//                                    [--server-threads 2]
//   build/release/bench/ingest_bench --crash-rounds 100 [--seed 20151011]
//
// Default mode, in one run on a fresh data directory under $TMPDIR (or /tmp):
//   a) bulk ingest: `markaz gen --count N` reports POSTed to /v1/reports:bulk by --clients
//      threads (one org each) in --batch-line requests; reports/s from the first request to the
//      last answer (every acknowledged report is durable: committed and fsynced).
//   b) the peer: a plain SQLite loop (C API, WAL, synchronous=FULL, 16 KiB pages like the
//      store) inserting the same rows - the report row with every column, one inbox row per org
//      of its audience, one audit row - in transactions of --batch reports, into a fresh file.
//      It does no validation, no hashing and no idempotency look-up: it is the floor.
//   c) single POST /v1/reports: --singles requests from --single-clients keep-alive clients
//      (a second generated corpus, so every request creates a report): p50, p99, throughput.
//   d) the server's peak RSS (VmHWM of /proc/PID/status) at the end of (a).
// --crash-rounds K instead runs the crash scenario of tests/integration/crash_test.cc with K
// SIGKILLs (tests/integration/crash_scenario.h) and prints its summary; exit 1 on a violation.
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "common/bench_centre.h"
#include "integration/crash_scenario.h"
#include "integration/fixture.h"
#include "testutil/http_client.h"
#include "testutil/run_command.h"
#include "testutil/server_process.h"
#include "testutil/temp_dir.h"

namespace markaz::bench {
namespace {

using nlohmann::json;
using testutil::CommandResult;
using testutil::HttpClient;
using testutil::HttpResult;
using testutil::RunMarkaz;
using testutil::ServerProcess;
using testutil::TempDir;

const std::vector<std::string> kPartners = {"p1", "p2"};

struct Args {
  std::size_t count = 100000;
  int clients = 2;
  std::size_t batch = 1000;
  std::size_t singles = 5000;
  int single_clients = 16;
  std::uint64_t seed = 1;
  bool seed_given = false;
  int crash_rounds = 0;
  std::size_t crash_corpus = 3000;
  std::size_t crash_batch = 50;
  int crash_clients = 3;
  int server_threads = 2;
};

void Usage() {
  std::printf(
      "usage: ingest_bench [--count N] [--clients C] [--batch B] [--singles S]\n"
      "                    [--single-clients K] [--seed S] [--server-threads T]\n"
      "       ingest_bench --crash-rounds K [--seed S] [--crash-corpus N] [--crash-batch B]\n"
      "                    [--crash-clients C]\n");
}

Args ParseArgs(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      Usage();
      std::exit(0);
    }
    if (i + 1 >= argc) Die("missing value after " + flag);
    const std::string value = argv[++i];
    char* end = nullptr;
    const unsigned long long n = std::strtoull(value.c_str(), &end, 10);
    if (end == value.c_str() || *end != '\0') Die("not a number: " + flag + " " + value);
    if (flag == "--count") a.count = n;
    else if (flag == "--clients") a.clients = static_cast<int>(n);
    else if (flag == "--batch") a.batch = n;
    else if (flag == "--singles") a.singles = n;
    else if (flag == "--single-clients") a.single_clients = static_cast<int>(n);
    else if (flag == "--seed") a.seed = n, a.seed_given = true;
    else if (flag == "--crash-rounds") a.crash_rounds = static_cast<int>(n);
    else if (flag == "--crash-corpus") a.crash_corpus = n;
    else if (flag == "--crash-batch") a.crash_batch = n;
    else if (flag == "--crash-clients") a.crash_clients = static_cast<int>(n);
    else if (flag == "--server-threads") a.server_threads = static_cast<int>(n);
    else Die("unknown flag " + flag);
  }
  if (a.count == 0 || a.batch == 0 || a.clients < 1 || a.single_clients < 1 ||
      a.crash_clients < 1 || a.crash_clients > 3 || a.crash_batch == 0 || a.crash_corpus == 0) {
    Die("counts must be positive (and --crash-clients 1..3)");
  }
  return a;
}

// ---------------------------------------------------------------------------------------------
// (a) bulk ingest over HTTP: common/bench_centre.h.

// ---------------------------------------------------------------------------------------------
// (b) the peer: plain SQLite, the same rows in the same-size transactions.

struct PeerRow {
  std::string id, originator, title, body, lang, source_name, source_url, reliability, tlp;
  std::string tags, release_to, external_id, audience_json;
  bool has_source = false, has_lang = false, has_credibility = false, has_observed = false;
  bool has_location = false, orcon = false;
  std::int64_t credibility = 0, observed_ms = 0;
  double lat = 0, lon = 0;
  std::vector<std::string> audience;
};

// The audience as the server expands it for the test charter: release_to groups and names,
// always with the originator, in charter order.
std::vector<std::string> Expand(const std::string& originator, const json& release_to) {
  std::vector<std::string> all = kMembers;
  all.insert(all.end(), kPartners.begin(), kPartners.end());
  std::vector<bool> in(all.size(), false);
  for (std::size_t i = 0; i < all.size(); ++i) in[i] = all[i] == originator;
  for (const auto& item : release_to) {
    const std::string name = item.get<std::string>();
    for (std::size_t i = 0; i < all.size(); ++i) {
      const bool member = i < kMembers.size();
      if (name == "all" || (name == "members" && member) || (name == "partners" && !member) ||
          name == all[i]) {
        in[i] = true;
      }
    }
  }
  std::vector<std::string> out;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (in[i]) out.push_back(all[i]);
  }
  return out;
}

PeerRow MakePeerRow(const std::string& line, const std::string& id, const std::string& org) {
  json j = json::parse(line);
  PeerRow r;
  r.id = id;
  r.originator = org;
  r.title = j.value("title", "");
  r.body = j["body"].get<std::string>();
  if (j.contains("lang")) r.lang = j["lang"].get<std::string>(), r.has_lang = true;
  if (j.contains("source")) {
    const json& s = j["source"];
    r.has_source = true;
    r.source_name = s.value("name", "");
    r.source_url = s.value("url", "");
    r.reliability = s.value("reliability", "");
    if (s.contains("credibility")) r.credibility = s["credibility"].get<int>(), r.has_credibility = true;
  }
  if (j.contains("observed_at")) r.has_observed = true, r.observed_ms = 1443684847000;
  if (j.contains("location")) {
    r.has_location = true;
    r.lat = j["location"].value("lat", 0.0);
    r.lon = j["location"].value("lon", 0.0);
  }
  r.tlp = j.value("tlp", "amber");
  r.orcon = j.value("orcon", false);
  r.tags = j.contains("tags") ? j["tags"].dump() : "[]";
  json release = j.contains("release_to") ? j["release_to"] : json::array();
  r.release_to = release.dump();
  r.external_id = j.value("external_id", "");
  r.audience = Expand(org, release);
  r.audience_json = json(r.audience).dump();
  return r;
}

// The store's tables (src/store/sqlite/schema.cc, migrations 1-2) without foreign keys and
// triggers: same columns, same CHECKs, same unique indexes.
constexpr const char* kPeerSchema = R"sql(
PRAGMA page_size = 16384;
PRAGMA journal_mode = WAL;
PRAGMA synchronous = FULL;
CREATE TABLE audit (
  seq INTEGER PRIMARY KEY CHECK (seq >= 1), time_ms INTEGER NOT NULL, actor TEXT NOT NULL,
  action TEXT NOT NULL, object TEXT NOT NULL, detail TEXT NOT NULL, detail_hash TEXT NOT NULL,
  prev_hash TEXT NOT NULL, hash TEXT NOT NULL) STRICT;
CREATE TABLE reports (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, originator TEXT NOT NULL,
  received_ms INTEGER NOT NULL, title TEXT NOT NULL, body TEXT NOT NULL, lang TEXT,
  has_source INTEGER NOT NULL CHECK (has_source IN (0, 1)), source_name TEXT, source_url TEXT,
  reliability TEXT CHECK (length(CAST(reliability AS BLOB)) = 1), credibility INTEGER,
  observed_ms INTEGER, lat REAL, lon REAL,
  tlp TEXT NOT NULL CHECK (tlp IN ('clear', 'green', 'amber', 'amber+strict', 'red')),
  orcon INTEGER NOT NULL CHECK (orcon IN (0, 1)),
  tags TEXT NOT NULL CHECK (json_type(tags) = 'array'),
  release_to TEXT NOT NULL CHECK (json_type(release_to) = 'array'), external_id TEXT,
  audience TEXT NOT NULL CHECK (json_type(audience) = 'array'), analysis TEXT NOT NULL,
  CHECK ((has_source = 1) = (source_name IS NOT NULL AND source_url IS NOT NULL)),
  CHECK (has_source = 1 OR (reliability IS NULL AND credibility IS NULL)),
  CHECK ((lat IS NULL) = (lon IS NULL)),
  UNIQUE (originator, external_id)) STRICT;
CREATE TABLE inbox (
  org TEXT NOT NULL, seq INTEGER NOT NULL CHECK (seq >= 1), kind TEXT NOT NULL,
  item_id TEXT NOT NULL, at_ms INTEGER NOT NULL, PRIMARY KEY (org, seq)) STRICT, WITHOUT ROWID;
)sql";

void Check(sqlite3* db, int rc, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    Die(std::string("peer: ") + what + ": " + sqlite3_errmsg(db));
  }
}

void BindText(sqlite3_stmt* s, int i, const std::string& v) {
  sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
}

// Returns the seconds the inserts and commits took (schema creation excluded).
double PeerIngest(const std::string& path, const std::vector<PeerRow>& rows, std::size_t txn) {
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) Die("peer: cannot open " + path);
  Check(db, sqlite3_exec(db, kPeerSchema, nullptr, nullptr, nullptr), "schema");
  sqlite3_stmt* report = nullptr;
  sqlite3_stmt* inbox = nullptr;
  sqlite3_stmt* audit = nullptr;
  Check(db,
        sqlite3_prepare_v2(
            db,
            "INSERT INTO reports (id, originator, received_ms, title, body, lang, has_source, "
            "source_name, source_url, reliability, credibility, observed_ms, lat, lon, tlp, "
            "orcon, tags, release_to, external_id, audience, analysis) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,'')",
            -1, &report, nullptr),
        "prepare reports");
  Check(db,
        sqlite3_prepare_v2(db, "INSERT INTO inbox (org, seq, kind, item_id, at_ms) "
                               "VALUES (?, ?, 'report', ?, ?)",
                           -1, &inbox, nullptr),
        "prepare inbox");
  Check(db,
        sqlite3_prepare_v2(db,
                           "INSERT INTO audit (seq, time_ms, actor, action, object, detail, "
                           "detail_hash, prev_hash, hash) VALUES (?, ?, ?, 'report.submit', ?, "
                           "?, ?, ?, ?)",
                           -1, &audit, nullptr),
        "prepare audit");
  const std::string hex(64, 'a');  // a SHA-256 in hex, as wide as the store's hashes
  std::map<std::string, std::int64_t> inbox_seq;
  std::int64_t audit_seq = 0, report_seq = 0;
  const auto start = Clock::now();
  for (std::size_t first = 0; first < rows.size(); first += txn) {
    Check(db, sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr), "begin");
    const std::int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count();
    for (std::size_t k = first; k < std::min(rows.size(), first + txn); ++k) {
      const PeerRow& r = rows[k];
      sqlite3_reset(report);
      BindText(report, 1, r.id);
      BindText(report, 2, r.originator);
      sqlite3_bind_int64(report, 3, now);
      BindText(report, 4, r.title);
      BindText(report, 5, r.body);
      if (r.has_lang) BindText(report, 6, r.lang); else sqlite3_bind_null(report, 6);
      sqlite3_bind_int(report, 7, r.has_source ? 1 : 0);
      if (r.has_source) {
        BindText(report, 8, r.source_name);
        BindText(report, 9, r.source_url);
      } else {
        sqlite3_bind_null(report, 8);
        sqlite3_bind_null(report, 9);
      }
      if (!r.reliability.empty()) BindText(report, 10, r.reliability); else sqlite3_bind_null(report, 10);
      if (r.has_credibility) sqlite3_bind_int64(report, 11, r.credibility); else sqlite3_bind_null(report, 11);
      if (r.has_observed) sqlite3_bind_int64(report, 12, r.observed_ms); else sqlite3_bind_null(report, 12);
      if (r.has_location) {
        sqlite3_bind_double(report, 13, r.lat);
        sqlite3_bind_double(report, 14, r.lon);
      } else {
        sqlite3_bind_null(report, 13);
        sqlite3_bind_null(report, 14);
      }
      BindText(report, 15, r.tlp);
      sqlite3_bind_int(report, 16, r.orcon ? 1 : 0);
      BindText(report, 17, r.tags);
      BindText(report, 18, r.release_to);
      if (!r.external_id.empty()) BindText(report, 19, r.external_id); else sqlite3_bind_null(report, 19);
      BindText(report, 20, r.audience_json);
      Check(db, sqlite3_step(report), "insert report");
      ++report_seq;
      for (const std::string& org : r.audience) {
        sqlite3_reset(inbox);
        BindText(inbox, 1, org);
        sqlite3_bind_int64(inbox, 2, ++inbox_seq[org]);
        BindText(inbox, 3, r.id);
        sqlite3_bind_int64(inbox, 4, now);
        Check(db, sqlite3_step(inbox), "insert inbox");
      }
      const std::string detail =
          json{{"tlp", r.tlp}, {"audience", r.audience}, {"seq", report_seq}}.dump();
      const std::string actor = r.originator + "/analyst";
      sqlite3_reset(audit);
      sqlite3_bind_int64(audit, 1, ++audit_seq);
      sqlite3_bind_int64(audit, 2, now);
      BindText(audit, 3, actor);
      BindText(audit, 4, r.id);
      BindText(audit, 5, detail);
      BindText(audit, 6, hex);
      BindText(audit, 7, hex);
      BindText(audit, 8, hex);
      Check(db, sqlite3_step(audit), "insert audit");
    }
    Check(db, sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), "commit");
  }
  const double seconds = Seconds(start);
  sqlite3_finalize(report);
  sqlite3_finalize(inbox);
  sqlite3_finalize(audit);
  sqlite3_close(db);
  return seconds;
}

// ---------------------------------------------------------------------------------------------
// (c) single POSTs with concurrent keep-alive clients.

struct SingleResult {
  std::vector<double> latencies_ms;  // sorted
  std::size_t failed = 0;
  double seconds = 0;
};

SingleResult SinglePosts(const std::string& url, const std::vector<std::string>& tokens,
                         const std::vector<std::string>& lines, int clients) {
  SingleResult result;
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> failed{0};
  std::vector<std::vector<double>> per_client(static_cast<std::size_t>(clients));
  const auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      HttpClient http(url);
      const std::string& token = tokens[static_cast<std::size_t>(c) % tokens.size()];
      auto& mine = per_client[static_cast<std::size_t>(c)];
      while (true) {
        const std::size_t i = next.fetch_add(1);
        if (i >= lines.size()) return;
        const auto t0 = Clock::now();
        HttpResult r = http.Post("/v1/reports", lines[i], token);
        mine.push_back(Seconds(t0) * 1000);
        if (r.status != 201) {
          if (failed.fetch_add(1) < 5) {
            std::fprintf(stderr, "POST answered %ld (%s): %.200s\n", r.status, r.error.c_str(),
                         r.body.c_str());
          }
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  result.seconds = Seconds(start);
  for (auto& v : per_client) {
    result.latencies_ms.insert(result.latencies_ms.end(), v.begin(), v.end());
  }
  std::sort(result.latencies_ms.begin(), result.latencies_ms.end());
  result.failed = failed;
  return result;
}

// ---------------------------------------------------------------------------------------------

int RunIngestBench(const Args& args) {
  TempDir dir;
  if (dir.path().empty()) Die("cannot create a temporary directory");
  Centre centre = MakeCentre(dir);
  std::vector<std::string> bulk_orgs, bulk_tokens, single_tokens;
  for (int c = 0; c < args.clients; ++c) {
    bulk_orgs.push_back(kMembers[static_cast<std::size_t>(c) % kMembers.size()]);
    bulk_tokens.push_back(centre.tokens[bulk_orgs.back()]);
  }
  for (const auto& org : kMembers) single_tokens.push_back(centre.tokens[org]);

  auto gen_start = Clock::now();
  std::vector<std::string> lines = Generate(dir, "corpus.ndjson", args.count, args.seed);
  std::vector<std::string> singles =
      Generate(dir, "singles.ndjson", args.singles, args.seed + 1000000);
  std::size_t bytes = 0;
  for (const auto& l : lines) bytes += l.size();
  std::printf("ingest_bench: %zu generated reports (%.0f bytes a line on average, %.1f MB), "
              "generated in %.1f s; data under %s\n",
              lines.size(), static_cast<double>(bytes) / static_cast<double>(lines.size()),
              static_cast<double>(bytes) / 1e6, Seconds(gen_start), dir.path().c_str());
  std::fflush(stdout);

  ServerProcess server(centre.data, {"--threads", std::to_string(args.server_threads)});
  if (!server.started()) Die("the server did not start: " + server.Stderr());

  // (a) + (d)
  BulkResult bulk = BulkIngest(server.url(), bulk_tokens, lines, args.batch);
  const long hwm_kib = ProcStatusKiB(server.pid(), "VmHWM");
  const long rss_kib = ProcStatusKiB(server.pid(), "VmRSS");
  const double bulk_rate = static_cast<double>(bulk.acknowledged) / bulk.seconds;
  std::printf("  (a) bulk over HTTP: %zu acknowledged, %zu refused, %zu requests failed, "
              "%.2f s\n",
              bulk.acknowledged, bulk.refused, bulk.failed_requests, bulk.seconds);
  std::fflush(stdout);

  // (b) the peer, same rows: the acknowledged reports with the ids the server gave them.
  std::vector<PeerRow> rows;
  rows.reserve(lines.size());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (bulk.ids[i].empty()) continue;
    rows.push_back(MakePeerRow(lines[i], bulk.ids[i], bulk_orgs[bulk.client[i]]));
  }
  std::vector<std::string>().swap(lines);
  const double peer_seconds = PeerIngest(dir.Sub("peer.db"), rows, args.batch);
  const double peer_rate = static_cast<double>(rows.size()) / peer_seconds;
  std::vector<PeerRow>().swap(rows);
  std::printf("  (b) peer: %.2f s\n", peer_seconds);
  std::fflush(stdout);

  // (c)
  SingleResult single = SinglePosts(server.url(), single_tokens, singles, args.single_clients);
  const long hwm_end_kib = ProcStatusKiB(server.pid(), "VmHWM");
  const int stop = server.Terminate();

  const double p50 = Percentile(single.latencies_ms, 0.50);
  const double p99 = Percentile(single.latencies_ms, 0.99);
  const double pmax = single.latencies_ms.empty() ? 0 : single.latencies_ms.back();
  std::printf("\n| measure | figure |\n|---|---|\n");
  std::printf("| (a) bulk ingest over HTTP, %d clients x %zu-line requests, %zu reports | "
              "%.0f reports/s (%.2f s) |\n",
              args.clients, args.batch, bulk.acknowledged, bulk_rate, bulk.seconds);
  std::printf("| (b) peer: plain SQLite, same rows (report, an inbox row per audience org, "
              "audit), %zu-report transactions | %.0f reports/s (%.2f s) |\n",
              args.batch, peer_rate, peer_seconds);
  std::printf("| ratio (a) / (b) | %.2f |\n", bulk_rate / peer_rate);
  std::printf("| (c) single POST /v1/reports, %d keep-alive clients, %zu requests | "
              "p50 %.2f ms, p99 %.2f ms, max %.1f ms, %.0f requests/s, %zu failed |\n",
              args.single_clients, single.latencies_ms.size(), p50, p99, pmax,
              static_cast<double>(single.latencies_ms.size()) / single.seconds, single.failed);
  std::printf("| (d) server peak RSS (VmHWM) at the end of (a) | %.1f MB (VmRSS %.1f MB; "
              "VmHWM after (c) %.1f MB) |\n",
              static_cast<double>(hwm_kib) / 1024, static_cast<double>(rss_kib) / 1024,
              static_cast<double>(hwm_end_kib) / 1024);
  std::printf("| server (`serve --threads %d`) exit on SIGTERM | %d |\n", args.server_threads, stop);
  const bool ok = bulk.acknowledged == args.count && bulk.failed_requests == 0 &&
                  single.failed == 0 && stop == 0;
  return ok ? 0 : 1;
}

int RunCrashRounds(const Args& args) {
  TempDir dir;
  if (dir.path().empty()) Die("cannot create a temporary directory");
  Centre centre = MakeCentre(dir);
  testutil::crash::Options options;
  options.kills = args.crash_rounds;
  options.seed = args.seed_given ? args.seed : 20151011;
  options.batch_lines = args.crash_batch;
  options.log = [](const std::string& line) {
    std::printf("  %s\n", line.c_str());
    std::fflush(stdout);
  };
  std::vector<std::string> orgs, tokens;
  for (int c = 0; c < args.crash_clients; ++c) {
    orgs.push_back(kMembers[static_cast<std::size_t>(c)]);
    tokens.push_back(centre.tokens[orgs.back()]);
  }
  std::vector<std::string> lines = Generate(dir, "corpus.ndjson", args.crash_corpus, options.seed);
  std::printf("ingest_bench --crash-rounds %d: seed %" PRIu64 ", %zu-line corpus, %d clients, "
              "%zu-line requests, kill after %d-%d ms\n",
              options.kills, options.seed, lines.size(), args.crash_clients, options.batch_lines,
              options.min_delay_ms, options.max_delay_ms);
  std::fflush(stdout);
  testutil::crash::Summary s = testutil::crash::Run(centre.data, orgs, tokens, lines, options);
  std::printf("\n| crash scenario | figure |\n|---|---|\n");
  std::printf("| kills (SIGKILL) | %d |\n", s.kills);
  std::printf("| bulk requests / cut by a kill | %zu / %zu |\n", s.batches_posted, s.batches_cut);
  std::printf("| lines acknowledged before the final restart | %zu |\n",
              s.acknowledged_before_final);
  std::printf("| lines acknowledged in all (after resubmitting cut batches) | %zu |\n",
              s.acknowledged);
  std::printf("| acknowledged and present, intact | %zu |\n", s.present);
  std::printf("| of which committed by a killed server before it could answer "
              "(acknowledged on resubmission) | %zu |\n",
              s.committed_before_kill_acknowledged_after);
  std::printf("| report rows / inbox rows / report.submit audit entries | %zu / %zu / %zu |\n",
              s.reports, s.inbox_rows, s.audit_submits);
  std::printf("| acknowledged ids read back over HTTP, identical | %zu |\n", s.http_checked);
  std::printf("| markaz audit verify | exit %d: %s |\n", s.audit_verify_exit,
              s.audit_verify_output.substr(0, s.audit_verify_output.find('\n')).c_str());
  std::printf("| violations | %zu |\n", s.violation_count);
  std::printf("| time | %.1f s |\n", s.seconds);
  for (const auto& v : s.violations) std::printf("  violation: %s\n", v.c_str());
  return s.violation_count == 0 && s.kills == args.crash_rounds ? 0 : 1;
}

}  // namespace
}  // namespace markaz::bench

int main(int argc, char** argv) {
  markaz::bench::SetProgramName("ingest_bench");
  const markaz::bench::Args args = markaz::bench::ParseArgs(argc, argv);
  if (args.crash_rounds > 0) return markaz::bench::RunCrashRounds(args);
  return markaz::bench::RunIngestBench(args);
}
