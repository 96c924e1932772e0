// Search (issue 5) end to end, through a real `markaz serve`, beside SQLite FTS5 in one run.
//
//   build/release/bench/search_bench [--count 100000] [--clients 2] [--batch 1000]
//                                    [--queries 400] [--fts5 1] [--fts5-queries 60]
//                                    [--server-threads 2] [--seed 1] [--export DIR]
//
// In one run on a fresh data directory under $TMPDIR (or /tmp):
//   a) ingest, end to end: `markaz gen --count N` POSTed to /v1/reports:bulk by --clients
//      threads; reports/s from the first request until the last acknowledged report of every
//      client is searchable (the newest hit of an `originator:` search is its id): analysed,
//      durable in the store, indexed, visible to searches.
//   b) the index on disk against the raw text (titles + bodies), and the server's anonymous
//      resident memory (RssAnon) before and after (a).
//   c) a query log of 1-3-word queries in Arabic and English drawn from the corpus's own word
//      frequencies: very frequent words (the top 30 of each language, stop words included),
//      middling ones (ranks 100-1,000) and rare ones (2-10 occurrences); each query asked by a
//      member in turn (per-viewer filtering on), top 20 with snippets, once without facets and
//      once with lang/entity/originator facets; latency measured by the client over loopback
//      keep-alive HTTP (so it includes HTTP and JSON: an upper bound of the server's time);
//      then once more with one hit a page, which separates ranking from the per-hit work.
//   d) the peer: SQLite FTS5 (unicode61, remove_diacritics 2) indexing the same titles and
//      bodies in 1,000-row transactions, then the first --fts5-queries queries of the same log
//      (bm25 with the title weighted 3, snippet(), LIMIT 20; FTS5 has no per-viewer filter).
// --export DIR writes corpus.tsv and queries.tsv for the PostgreSQL peer
// (bench/search/pg_search.sh DIR).
#include <sqlite3.h>

#include <algorithm>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "common/bench_centre.h"
#include "testutil/http_client.h"
#include "testutil/server_process.h"
#include "testutil/temp_dir.h"

namespace markaz::bench {
namespace {

using nlohmann::json;
using testutil::HttpClient;
using testutil::HttpResult;
using testutil::ServerProcess;
using testutil::TempDir;

struct Args {
  std::size_t count = 100000;
  int clients = 2;
  std::size_t batch = 1000;
  std::size_t queries = 400;
  bool fts5 = true;
  std::size_t fts5_queries = 60;
  int server_threads = 2;
  std::uint64_t seed = 1;
  std::string export_dir;
};

void Usage() {
  std::printf(
      "usage: search_bench [--count N] [--clients C] [--batch B] [--queries Q] [--fts5 0|1]\n"
      "                    [--fts5-queries Q] [--server-threads T] [--seed S] [--export DIR]\n");
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
    if (flag == "--export") {
      a.export_dir = value;
      continue;
    }
    char* end = nullptr;
    const unsigned long long n = std::strtoull(value.c_str(), &end, 10);
    if (end == value.c_str() || *end != '\0') Die("not a number: " + flag + " " + value);
    if (flag == "--count") a.count = n;
    else if (flag == "--clients") a.clients = static_cast<int>(n);
    else if (flag == "--batch") a.batch = n;
    else if (flag == "--queries") a.queries = n;
    else if (flag == "--fts5") a.fts5 = n != 0;
    else if (flag == "--fts5-queries") a.fts5_queries = n;
    else if (flag == "--server-threads") a.server_threads = static_cast<int>(n);
    else if (flag == "--seed") a.seed = n;
    else Die("unknown flag " + flag);
  }
  if (a.count == 0 || a.batch == 0 || a.clients < 1 || a.clients > 3 || a.queries == 0) {
    Die("counts must be positive, --clients 1..3");
  }
  return a;
}

std::string UrlEncode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The corpus as the peers and the query log see it.

struct Text {
  std::string lang, title, body;
};

std::vector<Text> ParseTexts(const std::vector<std::string>& lines) {
  std::vector<Text> texts;
  texts.reserve(lines.size());
  for (const auto& line : lines) {
    json j = json::parse(line);
    texts.push_back({j.value("lang", ""), j.value("title", ""), j.value("body", "")});
  }
  return texts;
}

// Words for the query log: runs of letters and digits (any non-ASCII byte counts as a letter,
// except the Arabic and typographic punctuation below), lower-cased in ASCII. Rough on
// purpose: the server's analyser decides what the words mean, this only picks them.
std::vector<std::string> Words(const std::string& text) {
  static const std::vector<std::string> kPunct = {"،", "؛", "؟", "«", "»", "—", "–", "’", "“", "”"};
  std::string cleaned = text;
  for (const auto& p : kPunct) {
    for (std::size_t at = cleaned.find(p); at != std::string::npos; at = cleaned.find(p, at)) {
      cleaned.replace(at, p.size(), " ");
    }
  }
  std::vector<std::string> words;
  std::string word;
  for (unsigned char c : cleaned) {
    if (c >= 0x80 || std::isalnum(c) != 0) {
      word.push_back(static_cast<char>(std::tolower(c)));
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

struct Query {
  std::string lang;
  std::string text;
};

std::vector<Query> MakeQueryLog(const std::vector<Text>& texts, std::size_t count,
                                std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<Query> log;
  for (const std::string lang : {"ar", "en"}) {
    std::unordered_map<std::string, std::size_t> freq;
    for (const auto& t : texts) {
      if (t.lang != lang) continue;
      for (auto& w : Words(t.title + " " + t.body)) {
        if (w.size() >= 2 && !std::isdigit(static_cast<unsigned char>(w[0]))) ++freq[w];
      }
    }
    std::vector<std::pair<std::string, std::size_t>> ranked(freq.begin(), freq.end());
    std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
      return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    std::vector<std::string> frequent, middling, rare;
    for (std::size_t i = 0; i < ranked.size(); ++i) {
      if (i < 30) frequent.push_back(ranked[i].first);
      else if (i >= 100 && i < 1000) middling.push_back(ranked[i].first);
      else if (ranked[i].second >= 2 && ranked[i].second <= 10) rare.push_back(ranked[i].first);
    }
    if (frequent.empty() || middling.empty()) continue;
    if (rare.empty()) rare = middling;
    auto pick = [&](const std::vector<std::string>& from) {
      return from[std::uniform_int_distribution<std::size_t>(0, from.size() - 1)(rng)];
    };
    // Shapes: one frequent word, one middling, one rare, frequent + middling, two middling,
    // two frequent, frequent + middling + rare.
    const std::size_t per_lang = (count + 1) / 2;
    for (std::size_t i = 0; i < per_lang; ++i) {
      std::string q;
      switch (i % 7) {
        case 0: q = pick(frequent); break;
        case 1: q = pick(middling); break;
        case 2: q = pick(rare); break;
        case 3: q = pick(frequent) + " " + pick(middling); break;
        case 4: q = pick(middling) + " " + pick(middling); break;
        case 5: q = pick(frequent) + " " + pick(frequent); break;
        default: q = pick(frequent) + " " + pick(middling) + " " + pick(rare); break;
      }
      log.push_back({lang, q});
    }
  }
  std::shuffle(log.begin(), log.end(), rng);
  if (log.size() > count) log.resize(count);
  return log;
}

// ---------------------------------------------------------------------------------------------
// (a) until searchable.

// The newest report of `org` that a search by `token` sees (a query of only a filter: newest
// first), "" when none or on error.
std::string NewestOf(HttpClient& http, const std::string& token, const std::string& org) {
  HttpResult r = http.Get("/v1/search?q=" + UrlEncode("originator:" + org) +
                              "&limit=1&facets=none", token);
  if (r.status != 200) return "";
  json j = json::parse(r.body, nullptr, false);
  if (j.is_discarded() || !j.contains("hits") || j["hits"].empty()) return "";
  return j["hits"][0].value("id", "");
}

// ---------------------------------------------------------------------------------------------
// (c) the query log over HTTP.

struct LogRun {
  std::vector<double> latencies_ms;  // sorted
  std::size_t failed = 0;
  double mean_total = 0;
  std::size_t zero_hit = 0;
};

LogRun RunLog(const std::string& url, const std::vector<std::string>& tokens,
              const std::vector<Query>& log, const std::string& facets, int limit = 20) {
  HttpClient http(url);
  LogRun run;
  double totals = 0;
  for (std::size_t i = 0; i < log.size(); ++i) {
    const std::string path = "/v1/search?q=" + UrlEncode(log[i].text) + "&limit=" + std::to_string(limit) +
                             (facets.empty() ? "" : "&facets=" + facets);
    const auto t0 = Clock::now();
    HttpResult r = http.Get(path, tokens[i % tokens.size()]);
    const double ms = Seconds(t0) * 1000;
    if (r.status != 200) {
      if (++run.failed <= 3) {
        std::fprintf(stderr, "search answered %ld: %.200s\n", r.status, r.body.c_str());
      }
      continue;
    }
    run.latencies_ms.push_back(ms);
    json j = json::parse(r.body, nullptr, false);
    const double total = j.is_discarded() ? 0 : j.value("total", 0.0);
    totals += total;
    if (total == 0) ++run.zero_hit;
  }
  std::sort(run.latencies_ms.begin(), run.latencies_ms.end());
  if (!run.latencies_ms.empty()) run.mean_total = totals / static_cast<double>(run.latencies_ms.size());
  return run;
}

// ---------------------------------------------------------------------------------------------
// (d) the peer: SQLite FTS5.

void Check(sqlite3* db, int rc, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    Die(std::string("fts5: ") + what + ": " + sqlite3_errmsg(db));
  }
}

struct Fts5Result {
  double index_seconds = 0;
  std::uint64_t file_bytes = 0;
  std::vector<double> latencies_ms;  // sorted
};

Fts5Result RunFts5(const std::string& path, const std::vector<Text>& texts,
                   const std::vector<Query>& log, std::size_t queries) {
  Fts5Result out;
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) Die("fts5: cannot open " + path);
  Check(db, sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                             "CREATE VIRTUAL TABLE docs USING fts5(title, body, "
                             "tokenize='unicode61 remove_diacritics 2');",
                         nullptr, nullptr, nullptr), "schema");
  sqlite3_stmt* insert = nullptr;
  Check(db, sqlite3_prepare_v2(db, "INSERT INTO docs(title, body) VALUES (?, ?)", -1, &insert,
                               nullptr), "prepare insert");
  const auto start = Clock::now();
  for (std::size_t i = 0; i < texts.size(); ++i) {
    if (i % 1000 == 0) Check(db, sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr), "begin");
    sqlite3_bind_text(insert, 1, texts[i].title.data(), static_cast<int>(texts[i].title.size()),
                      SQLITE_STATIC);
    sqlite3_bind_text(insert, 2, texts[i].body.data(), static_cast<int>(texts[i].body.size()),
                      SQLITE_STATIC);
    Check(db, sqlite3_step(insert), "insert");
    sqlite3_reset(insert);
    if (i % 1000 == 999 || i + 1 == texts.size()) {
      Check(db, sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), "commit");
    }
  }
  out.index_seconds = Seconds(start);
  sqlite3_finalize(insert);
  Check(db, sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr),
        "checkpoint");
  out.file_bytes = std::filesystem::file_size(path);

  sqlite3_stmt* search = nullptr;
  Check(db, sqlite3_prepare_v2(db,
                               "SELECT rowid, snippet(docs, 1, '[', ']', '…', 24), "
                               "bm25(docs, 3.0, 1.0) AS s FROM docs WHERE docs MATCH ? "
                               "ORDER BY s LIMIT 20",
                               -1, &search, nullptr), "prepare search");
  for (std::size_t i = 0; i < std::min(queries, log.size()); ++i) {
    std::string match;
    for (const auto& w : Words(log[i].text)) match += "\"" + w + "\" ";
    sqlite3_bind_text(search, 1, match.c_str(), -1, SQLITE_TRANSIENT);
    const auto t0 = Clock::now();
    int rc;
    while ((rc = sqlite3_step(search)) == SQLITE_ROW) {
    }
    Check(db, rc, "search");
    out.latencies_ms.push_back(Seconds(t0) * 1000);
    sqlite3_reset(search);
  }
  sqlite3_finalize(search);
  sqlite3_close(db);
  std::sort(out.latencies_ms.begin(), out.latencies_ms.end());
  return out;
}

std::uint64_t DirBytes(const std::string& dir) {
  std::uint64_t bytes = 0;
  std::error_code ec;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir, ec)) {
    if (e.is_regular_file(ec)) bytes += e.file_size(ec);
  }
  return bytes;
}

std::string Clean(std::string s) {
  for (char& c : s) {
    if (c == '\t' || c == '\n' || c == '\r' || c == '\\') c = ' ';
  }
  return s;
}

void Export(const std::string& dir, const std::vector<Text>& texts, const std::vector<Query>& log) {
  std::filesystem::create_directories(dir);
  std::ofstream corpus(dir + "/corpus.tsv", std::ios::binary);
  for (const auto& t : texts) corpus << t.lang << '\t' << Clean(t.title) << '\t' << Clean(t.body) << '\n';
  std::ofstream queries(dir + "/queries.tsv", std::ios::binary);
  for (const auto& q : log) queries << q.lang << '\t' << Clean(q.text) << '\n';
}

void PrintLatency(const char* what, const std::vector<double>& sorted, const std::string& extra) {
  std::printf("| %s | p50 %.2f ms, p99 %.2f ms, max %.1f ms (%zu queries)%s |\n", what,
              Percentile(sorted, 0.50), Percentile(sorted, 0.99),
              sorted.empty() ? 0.0 : sorted.back(), sorted.size(), extra.c_str());
}

int Run(const Args& args) {
  TempDir dir;
  if (dir.path().empty()) Die("cannot create a temporary directory");
  Centre centre = MakeCentre(dir);
  std::vector<std::string> orgs, tokens, viewer_tokens;
  for (int c = 0; c < args.clients; ++c) {
    orgs.push_back(kMembers[static_cast<std::size_t>(c)]);
    tokens.push_back(centre.tokens[orgs.back()]);
  }
  for (const auto& org : kMembers) viewer_tokens.push_back(centre.tokens[org]);

  const auto gen_start = Clock::now();
  std::vector<std::string> lines = Generate(dir, "corpus.ndjson", args.count, args.seed);
  std::vector<Text> texts = ParseTexts(lines);
  std::uint64_t raw_bytes = 0;
  for (const auto& t : texts) raw_bytes += t.title.size() + t.body.size();
  std::vector<Query> log = MakeQueryLog(texts, args.queries, args.seed);
  std::printf("search_bench: %zu generated reports (%.1f MB of titles and bodies) and %zu "
              "queries in %.1f s; data under %s\n",
              texts.size(), static_cast<double>(raw_bytes) / 1e6, log.size(), Seconds(gen_start),
              dir.path().c_str());
  std::fflush(stdout);
  if (!args.export_dir.empty()) Export(args.export_dir, texts, log);

  ServerProcess server(centre.data, {"--threads", std::to_string(args.server_threads)});
  if (!server.started()) Die("the server did not start: " + server.Stderr());
  const long anon_before_kib = ProcStatusKiB(server.pid(), "RssAnon");

  // (a)
  const auto ingest_start = Clock::now();
  BulkResult bulk = BulkIngest(server.url(), tokens, lines, args.batch);
  std::vector<std::string>().swap(lines);
  std::map<std::string, std::string> last_id;  // org → its last acknowledged id
  for (std::size_t i = 0; i < bulk.ids.size(); ++i) {
    if (!bulk.ids[i].empty()) last_id[orgs[bulk.client[i]]] = bulk.ids[i];
  }
  {
    HttpClient http(server.url());
    for (const auto& [org, id] : last_id) {
      const auto wait_start = Clock::now();
      while (NewestOf(http, centre.tokens[org], org) != id) {
        if (Seconds(wait_start) > 120) Die("report " + id + " not searchable after 120 s");
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
    }
  }
  const double searchable_seconds = Seconds(ingest_start);
  const double lag = searchable_seconds - bulk.seconds;
  std::printf("  (a) %zu acknowledged in %.2f s, all searchable %.2f s after the first request\n",
              bulk.acknowledged, bulk.seconds, searchable_seconds);
  std::fflush(stdout);

  // (c) warm-up pass of the first 50 queries, then the log without and with facets.
  RunLog(server.url(), viewer_tokens, std::vector<Query>(log.begin(), log.begin() + static_cast<long>(std::min<std::size_t>(50, log.size()))), "none");
  LogRun plain = RunLog(server.url(), viewer_tokens, log, "none");
  LogRun faceted = RunLog(server.url(), viewer_tokens, log, "");
  // The same with one hit a page: the difference to `plain` is what 19 more hits cost (each
  // read from the store and re-analysed for its snippet).
  LogRun one_hit = RunLog(server.url(), viewer_tokens, log, "none", 1);
  const long anon_after_kib = ProcStatusKiB(server.pid(), "RssAnon");
  const long hwm_kib = ProcStatusKiB(server.pid(), "VmHWM");
  const int stop = server.Terminate();
  const std::uint64_t index_bytes = DirBytes(centre.data + "/index");
  std::printf("  (c) query log done\n");
  std::fflush(stdout);

  // (d)
  Fts5Result fts5;
  if (args.fts5) fts5 = RunFts5(dir.Sub("fts5.db"), texts, log, args.fts5_queries);

  const double rate = static_cast<double>(bulk.acknowledged) / searchable_seconds;
  std::printf("\n| measure (N = %zu) | figure |\n|---|---|\n", texts.size());
  std::printf("| (a) ingest end to end (HTTP bulk, %d clients x %zu lines → analysis → store → "
              "index → searchable) | **%.0f reports/s** (%.2f s; acknowledged after %.2f s, "
              "searchable %.2f s later) |\n",
              args.clients, args.batch, rate, searchable_seconds, bulk.seconds, lag);
  if (args.fts5) {
    const double fts5_rate = static_cast<double>(texts.size()) / fts5.index_seconds;
    std::printf("| (d) peer: SQLite FTS5 indexing the same texts, 1,000-row transactions | "
                "%.0f docs/s (%.2f s); ratio ours/FTS5 %.2f |\n",
                fts5_rate, fts5.index_seconds, rate / fts5_rate);
  }
  std::printf("| (b) index on disk / raw text | %.1f MB / %.1f MB = **%.2f×** |\n",
              static_cast<double>(index_bytes) / 1e6, static_cast<double>(raw_bytes) / 1e6,
              static_cast<double>(index_bytes) / static_cast<double>(raw_bytes));
  if (args.fts5) {
    std::printf("| (d) FTS5 file / raw text | %.1f MB = %.2f× |\n",
                static_cast<double>(fts5.file_bytes) / 1e6,
                static_cast<double>(fts5.file_bytes) / static_cast<double>(raw_bytes));
  }
  std::printf("| (b) server RssAnon before → after ingest and queries | %.1f → %.1f MB (VmHWM "
              "%.1f MB) |\n",
              static_cast<double>(anon_before_kib) / 1024, static_cast<double>(anon_after_kib) / 1024,
              static_cast<double>(hwm_kib) / 1024);
  char extra[160];
  std::snprintf(extra, sizeof extra, "; mean total %.0f, %zu with no hit, %zu failed",
                plain.mean_total, plain.zero_hit, plain.failed);
  PrintLatency("(c) search top 20 + snippets, per viewer, no facets", plain.latencies_ms, extra);
  std::snprintf(extra, sizeof extra, "; %zu failed", faceted.failed);
  PrintLatency("(c) same with lang/entity/originator facets", faceted.latencies_ms, extra);
  std::snprintf(extra, sizeof extra, "; %zu failed", one_hit.failed);
  PrintLatency("(c) top 1 + snippet, no facets (the ranking's share)", one_hit.latencies_ms, extra);
  if (args.fts5) {
    PrintLatency("(d) FTS5 bm25 top 20 + snippet, first queries of the same log",
                 fts5.latencies_ms, "");
  }
  std::printf("| server exit on SIGTERM | %d |\n", stop);
  const bool ok = bulk.acknowledged == args.count && bulk.failed_requests == 0 &&
                  plain.failed == 0 && faceted.failed == 0 && one_hit.failed == 0 && stop == 0;
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace markaz::bench

int main(int argc, char** argv) {
  markaz::bench::SetProgramName("search_bench");
  return markaz::bench::Run(markaz::bench::ParseArgs(argc, argv));
}
