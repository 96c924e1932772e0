// Backup (issue 11): `markaz backup` of a big centre, alone and under bulk ingest, beside
// SQLite's other online copy, VACUUM INTO, in one run.
//
//   build/release/bench/backup_bench [--count 200000] [--ingest 20000] [--clients 2]
//                                    [--batch 1000] [--seed 1] [--server-threads 2]
//
// In one run, on a fresh data directory under $TMPDIR (or /tmp):
//   1. build: `markaz init`, then --count synthetic reports (~2 KB bodies, three inbox rows and
//      a chained audit entry each) written straight through the Store in 1,000-report
//      transactions: the store a centre of that size holds, without the hours of HTTP ingest.
//   2. backup alone (no server): `markaz backup` (the online backup API), wall time of the
//      whole command, twice; then VACUUM INTO from a plain SQLite connection, twice. MB/s are
//      bytes of the file written / seconds.
//   3. `markaz serve` on the centre (it first rebuilds the search index from the store, which
//      is timed and reported, not part of any figure).
//   4. bulk ingest of --ingest generated reports over HTTP (bench/common BulkIngest), four
//      times on disjoint slices of one corpus: alone; while `markaz backup --force` runs back
//      to back for the whole ingest; while VACUUM INTO runs back to back; alone again. The two
//      "alone" runs bracket the others (the store grows as we go).
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "audit/chain.h"
#include "common/bench_centre.h"
#include "store/sqlite/sqlite_store.h"
#include "testutil/run_command.h"
#include "testutil/temp_dir.h"

namespace markaz::bench {
namespace {

namespace fs = std::filesystem;
using testutil::CommandResult;
using testutil::RunMarkaz;
using testutil::TempDir;

struct Args {
  std::size_t count = 200000;
  std::size_t ingest = 20000;
  int clients = 2;
  std::size_t batch = 1000;
  std::uint64_t seed = 1;
  int server_threads = 2;
};

Args ParseArgs(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      std::printf("usage: backup_bench [--count N] [--ingest M] [--clients C] [--batch B] "
                  "[--seed S] [--server-threads T]\n");
      std::exit(0);
    }
    if (i + 1 >= argc) Die("missing value after " + flag);
    const std::string value = argv[++i];
    char* end = nullptr;
    const unsigned long long n = std::strtoull(value.c_str(), &end, 10);
    if (end == value.c_str() || *end != '\0') Die("not a number: " + flag + " " + value);
    if (flag == "--count") a.count = n;
    else if (flag == "--ingest") a.ingest = n;
    else if (flag == "--clients") a.clients = static_cast<int>(n);
    else if (flag == "--batch") a.batch = n;
    else if (flag == "--seed") a.seed = n;
    else if (flag == "--server-threads") a.server_threads = static_cast<int>(n);
    else Die("unknown flag " + flag);
  }
  if (a.count == 0 || a.ingest == 0 || a.batch == 0 || a.clients < 1 || a.clients > 3) {
    Die("counts must be positive, --clients 1..3");
  }
  return a;
}

// ---------------------------------------------------------------------------------------------
// 1. The centre, written through the Store.

const char* const kWords[] = {"convoy",  "reached", "city",   "officials", "said",   "roads",
                              "closed",  "near",    "border", "market",    "prices", "rose",
                              "water",   "supply",  "clinic", "reported",  "cases",  "north",
                              "village", "council", "meeting", "agreed",   "new",    "route"};

void FillStore(const std::string& data, std::size_t count, std::uint64_t seed) {
  auto opened = store::OpenSqliteStore(data, store::OpenMode::kMustExist);
  if (!opened.ok()) Die("cannot open the store: " + opened.status().ToString());
  store::Store& s = **opened;
  std::mt19937_64 rng(seed);
  const auto start = Clock::now();
  constexpr std::size_t kTxn = 1000;
  for (std::size_t done = 0; done < count;) {
    const std::size_t n = std::min(kTxn, count - done);
    core::Status written = s.Write([&](store::Transaction& txn) -> core::Status {
      for (std::size_t k = 0; k < n; ++k) {
        const std::size_t i = done + k;
        store::ReportRow r;
        r.id = "rep_bench" + std::to_string(i);
        r.originator = kMembers[i % kMembers.size()];
        r.received_at = core::Time(std::chrono::milliseconds(1700000000000 + i));
        r.input.title = "Report " + std::to_string(i);
        r.input.lang = "en";
        while (r.input.body.size() < 2000) {
          r.input.body += kWords[rng() % std::size(kWords)];
          r.input.body += ' ';
        }
        r.input.release_to = {"members"};
        r.audience = kMembers;
        MARKAZ_ASSIGN_OR_RETURN(std::int64_t seq, txn.InsertReport(r));
        (void)seq;
        for (const auto& org : kMembers) {
          MARKAZ_ASSIGN_OR_RETURN(std::int64_t inbox, txn.AppendInbox(org, "report", r.id,
                                                                     r.received_at));
          (void)inbox;
        }
        MARKAZ_ASSIGN_OR_RETURN(
            store::AuditRow row,
            audit::Append(txn, {r.originator + "/tok_bench", "report.submit", r.id, "{}"},
                          r.received_at));
        (void)row;
      }
      return core::Status::Ok();
    });
    if (!written.ok()) Die("filling the store: " + written.ToString());
    done += n;
    if (done % 100000 == 0 || done == count) {
      std::printf("  build: %zu reports, %.1f s\n", done, Seconds(start));
      std::fflush(stdout);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// 2. The two copies.

struct Copy {
  double seconds = 0;
  std::uint64_t bytes = 0;
  double MBps() const { return seconds > 0 ? static_cast<double>(bytes) / 1e6 / seconds : 0; }
};

Copy BackupCommand(const std::string& data, const std::string& to) {
  const auto start = Clock::now();
  CommandResult r = RunMarkaz({"backup", "--data", data, "--to", to, "--force"});
  Copy c{Seconds(start), 0};
  if (r.exit_code != 0) Die("markaz backup failed: " + r.err);
  c.bytes = fs::file_size(to);
  return c;
}

// VACUUM INTO from its own connection, then an fsync (VACUUM INTO does not sync): the same
// durability `markaz backup` gives.
Copy VacuumInto(const std::string& data, const std::string& to) {
  std::error_code ec;
  fs::remove(to, ec);
  const auto start = Clock::now();
  sqlite3* db = nullptr;
  if (sqlite3_open_v2((data + "/markaz.db").c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) !=
      SQLITE_OK) {
    Die("vacuum: cannot open the store");
  }
  sqlite3_busy_timeout(db, 5000);
  const std::string sql = "VACUUM INTO '" + to + "'";
  char* err = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    Die(std::string("VACUUM INTO: ") + (err ? err : "?"));
  }
  sqlite3_close(db);
  const int fd = ::open(to.c_str(), O_RDONLY);
  if (fd < 0 || ::fsync(fd) != 0) Die("vacuum: fsync failed");
  ::close(fd);
  return Copy{Seconds(start), static_cast<std::uint64_t>(fs::file_size(to))};
}

// ---------------------------------------------------------------------------------------------
// 3. A server on a big centre: started by hand, since it first rebuilds the index from the
// store (minutes for a big centre), longer than testutil::ServerProcess waits.

class Server {
 public:
  Server(const std::string& data, const std::string& log, int threads) : log_(log) {
    pid_ = ::fork();
    if (pid_ < 0) Die("fork failed");
    if (pid_ == 0) {
      const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      ::dup2(fd, 2);
      const std::string t = std::to_string(threads);
      ::execl(MARKAZ_BINARY, "markaz", "serve", "--data", data.c_str(), "--listen",
              "127.0.0.1:0", "--threads", t.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    const std::string marker = "listening on ";
    for (;;) {
      const std::string text = testutil::ReadFile(log);
      const std::size_t at = text.find(marker);
      if (at != std::string::npos && text.find('\n', at) != std::string::npos) {
        url_ = text.substr(at + marker.size(), text.find('\n', at) - at - marker.size());
        return;
      }
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) Die("the server exited: " + text);
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  ~Server() {
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  const std::string& url() const { return url_; }
  std::string Log() const { return testutil::ReadFile(log_); }

 private:
  std::string log_;
  pid_t pid_ = -1;
  std::string url_;
};

// ---------------------------------------------------------------------------------------------
// 4. Ingest, alone or beside copies run back to back.

struct Phase {
  double rate = 0;         // acknowledged reports/s
  std::size_t refused = 0;
  std::vector<Copy> copies;  // copies that ran during it
};

template <typename CopyFn>
Phase Ingest(const std::string& url, const std::vector<std::string>& tokens,
             const std::vector<std::string>& lines, std::size_t batch, CopyFn copy) {
  std::atomic<bool> done{false};
  Phase phase;
  std::thread copier;
  if (copy) {
    copier = std::thread([&] {
      // The same CPU share `markaz backup` gives itself (nice 10; per thread on Linux), so
      // that VACUUM INTO, run in this process, is compared on equal terms.
      ::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), 10);
      while (!done) phase.copies.push_back(copy());
    });
  }
  BulkResult bulk = BulkIngest(url, tokens, lines, batch);
  done = true;
  if (copier.joinable()) copier.join();
  if (bulk.failed_requests > 0) Die("bulk requests failed during ingest");
  phase.rate = static_cast<double>(bulk.acknowledged) / bulk.seconds;
  phase.refused = bulk.refused;
  return phase;
}

std::string Describe(const std::vector<Copy>& copies) {
  if (copies.empty()) return "none";
  double mbps = 0;
  for (const auto& c : copies) mbps += c.MBps();
  char buf[96];
  std::snprintf(buf, sizeof buf, "%zu, mean %.0f MB/s", copies.size(),
                mbps / static_cast<double>(copies.size()));
  return buf;
}

int Run(const Args& args) {
  SetProgramName("backup_bench");
  TempDir dir;
  if (dir.path().empty()) Die("cannot create a temporary directory");
  Centre centre = MakeCentre(dir);
  std::printf("backup_bench: %zu reports, ingest slices of %zu, data under %s\n", args.count,
              args.ingest, dir.path().c_str());
  std::fflush(stdout);
  const auto build_start = Clock::now();
  FillStore(centre.data, args.count, args.seed);
  const double build_secs = Seconds(build_start);
  const auto db_bytes = fs::file_size(centre.data + "/markaz.db");

  // 2. Alone.
  const std::string api_file = dir.Sub("api.backup");
  const std::string vacuum_file = dir.Sub("vacuum.backup");
  std::vector<Copy> api_alone, vacuum_alone;
  for (int i = 0; i < 2; ++i) {
    api_alone.push_back(BackupCommand(centre.data, api_file));
    vacuum_alone.push_back(VacuumInto(centre.data, vacuum_file));
    std::printf("  alone: backup API %.2f s (%.0f MB/s), VACUUM INTO %.2f s (%.0f MB/s)\n",
                api_alone.back().seconds, api_alone.back().MBps(), vacuum_alone.back().seconds,
                vacuum_alone.back().MBps());
    std::fflush(stdout);
  }
  CommandResult restore = RunMarkaz({"restore", "--from", api_file, "--data", dir.Sub("restored")});
  if (restore.exit_code != 0) Die("restore failed: " + restore.err);
  std::printf("  %s", restore.err.c_str());
  fs::remove_all(dir.Sub("restored"));

  // 3. The server, with its index rebuilt.
  const auto serve_start = Clock::now();
  Server server(centre.data, dir.Sub("server.log"), args.server_threads);
  const double catch_up_secs = Seconds(serve_start);
  std::printf("  server ready in %.1f s (index rebuilt from the store)\n", catch_up_secs);
  std::fflush(stdout);

  // 4. Ingest.
  std::vector<std::string> corpus = Generate(dir, "corpus.ndjson", 4 * args.ingest, args.seed);
  auto slice = [&](int k) {
    return std::vector<std::string>(corpus.begin() + static_cast<long>(k * args.ingest),
                                    corpus.begin() + static_cast<long>((k + 1) * args.ingest));
  };
  std::vector<std::string> tokens;
  for (int c = 0; c < args.clients; ++c) {
    tokens.push_back(centre.tokens[kMembers[static_cast<std::size_t>(c)]]);
  }
  std::function<Copy()> none;
  const Phase alone1 = Ingest(server.url(), tokens, slice(0), args.batch, none);
  std::printf("  ingest alone: %.0f reports/s\n", alone1.rate);
  std::fflush(stdout);
  const Phase with_api = Ingest(server.url(), tokens, slice(1), args.batch,
                                std::function<Copy()>([&] {
                                  return BackupCommand(centre.data, api_file);
                                }));
  std::printf("  ingest during markaz backup: %.0f reports/s (backups: %s)\n", with_api.rate,
              Describe(with_api.copies).c_str());
  std::fflush(stdout);
  const Phase with_vacuum = Ingest(server.url(), tokens, slice(2), args.batch,
                                   std::function<Copy()>([&] {
                                     return VacuumInto(centre.data, vacuum_file);
                                   }));
  std::printf("  ingest during VACUUM INTO: %.0f reports/s (copies: %s)\n", with_vacuum.rate,
              Describe(with_vacuum.copies).c_str());
  std::fflush(stdout);
  const Phase alone2 = Ingest(server.url(), tokens, slice(3), args.batch, none);
  std::printf("  ingest alone again: %.0f reports/s\n", alone2.rate);
  const double alone = (alone1.rate + alone2.rate) / 2;

  auto best = [](const std::vector<Copy>& v) {
    return std::max_element(v.begin(), v.end(), [](const Copy& a, const Copy& b) {
      return a.MBps() < b.MBps();
    })->MBps();
  };
  std::printf("\n| measure | figure |\n|---|---|\n");
  std::printf("| centre | %zu reports, markaz.db %.0f MB, built in %.0f s |\n", args.count,
              static_cast<double>(db_bytes) / 1e6, build_secs);
  std::printf("| `markaz backup` alone (whole command, 2 runs) | %.0f / %.0f MB/s (%.1f s for "
              "%.0f MB) |\n",
              api_alone[0].MBps(), api_alone[1].MBps(), api_alone[1].seconds,
              static_cast<double>(api_alone[1].bytes) / 1e6);
  std::printf("| VACUUM INTO alone (2 runs) | %.0f / %.0f MB/s (%.1f s for %.0f MB) |\n",
              vacuum_alone[0].MBps(), vacuum_alone[1].MBps(), vacuum_alone[1].seconds,
              static_cast<double>(vacuum_alone[1].bytes) / 1e6);
  std::printf("| bulk ingest alone (%d clients x %zu lines, %zu reports; before / after) | "
              "%.0f / %.0f reports/s |\n",
              args.clients, args.batch, args.ingest, alone1.rate, alone2.rate);
  std::printf("| bulk ingest during `markaz backup` back to back | %.0f reports/s = %.0f%% "
              "(backups: %s) |\n",
              with_api.rate, 100 * with_api.rate / alone, Describe(with_api.copies).c_str());
  std::printf("| bulk ingest during VACUUM INTO back to back | %.0f reports/s = %.0f%% "
              "(copies: %s) |\n",
              with_vacuum.rate, 100 * with_vacuum.rate / alone,
              Describe(with_vacuum.copies).c_str());
  std::printf("| server start (index rebuilt from %zu reports) | %.1f s |\n", args.count,
              catch_up_secs);
  std::printf("| best alone: backup API / VACUUM INTO | %.0f / %.0f MB/s |\n", best(api_alone),
              best(vacuum_alone));
  return 0;
}

}  // namespace
}  // namespace markaz::bench

int main(int argc, char** argv) { return markaz::bench::Run(markaz::bench::ParseArgs(argc, argv)); }
