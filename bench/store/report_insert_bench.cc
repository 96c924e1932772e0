// Store ingest beside plain SQLite, in one run (DESIGN.md §10: store only ≥ 10,000 reports/s;
// the peer is plain SQLite in WAL mode, batched).
//
//   build/<dir>/bench/store_bench [--benchmark_filter=SideBySide]
//
// The workload: batches of kBatch reports with ~2 KB bodies (seeded Arabic and English words),
// one durable transaction per batch (WAL, synchronous=FULL: the WAL is fsynced at each commit),
// each contestant in a fresh database under $TMPDIR (or /tmp), which must be a real disk for the
// figures to mean anything. Contestants:
//
//   peer          plain SQLite through the C API, as DESIGN.md §10 measures it: SQLite's
//                 defaults (4 KiB pages), one prepared INSERT per report into a table with one
//                 column per field, no index but the rowid, no constraints.
//   peer16k+inbox the peer with the store's page size (16 KiB) and the store's row count:
//                 kInboxPerReport more rows per report in a second plain table.
//   store         Store::Write: InsertReport + kInboxPerReport AppendInbox per report (foreign
//                 key and CHECK constraints, unique id and (originator, external_id) indexes,
//                 the inbox primary key), no audit entry.
//   store_nested  the same with each report in its own Transaction::Nested() savepoint, as
//                 group commit runs it.
//
// The machine has 2 noisy cores, so BM_SideBySide interleaves the contestants batch by batch
// and reports each one's reports/s and the ratios from the same run; BM_One runs one contestant
// alone, for profiling.
#include <benchmark/benchmark.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <array>
#include <chrono>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <system_error>
#include <vector>

#include "core/charter.h"
#include "core/report.h"
#include "core/status.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"

namespace markaz::store {
namespace {

constexpr int kBatch = 500;
constexpr int kInboxPerReport = 4;  // the audience of every report: four orgs
constexpr std::size_t kBodyBytes = 2048;
constexpr int kDistinctBodies = 64;
constexpr std::array<const char*, kInboxPerReport> kOrgs = {"east", "host", "north", "west"};

// A fresh directory, removed with its contents at the end.
class ScratchDir {
 public:
  ScratchDir() {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern =
        std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/markaz-store-bench-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) {
      std::perror("mkdtemp");
      std::abort();
    }
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Seeded text of about kBodyBytes: Arabic and English words, so the bytes look like reports.
std::vector<std::string> MakeBodies() {
  const std::vector<std::string> words = {
      "المركز", "المعلومات", "المشترك", "الحدود",   "قافلة",  "شاحنات", "مصادر",
      "أفادت",  "بغداد",     "الشمال",  "convoy",   "border", "report", "north",
      "trucks", "witnesses", "dawn",    "crossing", "الوضع",  "المنطقة"};
  std::mt19937 rng(42);
  std::uniform_int_distribution<std::size_t> pick(0, words.size() - 1);
  std::vector<std::string> bodies;
  for (int i = 0; i < kDistinctBodies; ++i) {
    std::string body;
    while (body.size() < kBodyBytes) {
      body += words[pick(rng)];
      body.push_back(' ');
    }
    bodies.push_back(std::move(body));
  }
  return bodies;
}

const std::vector<std::string>& Bodies() {
  static const std::vector<std::string> bodies = MakeBodies();
  return bodies;
}

// Report number n: what both the store and the peer write.
ReportRow MakeReport(std::int64_t n) {
  char id[40];
  std::snprintf(id, sizeof id, "rep_01HV%022lld", static_cast<long long>(n));
  ReportRow r;
  r.id = id;
  r.originator = "host";
  r.received_at = core::Time(std::chrono::milliseconds(1700000000000 + n));
  core::ReportInput& in = r.input;
  in.title = "Convoy of twelve trucks sighted near the northern crossing";
  in.body = Bodies()[static_cast<std::size_t>(n % kDistinctBodies)];
  in.lang = "ar";
  in.source = core::Source{"Local monitor", "https://example.org/monitor", 'B', 2};
  in.observed_at = r.received_at - std::chrono::minutes(30);
  in.location = core::GeoPoint{33.312805, 44.361488};
  in.tlp = core::Tlp::kAmber;
  in.release_to = {"members"};
  in.tags = {"convoy", "border"};
  // Client systems choose external ids; scattered ones are the hard case for the unique index.
  std::uint64_t z = static_cast<std::uint64_t>(n) + 0x9e3779b97f4a7c15ULL;  // splitmix64
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  char ext[24];
  std::snprintf(ext, sizeof ext, "ext-%016" PRIx64, z ^ (z >> 31));
  in.external_id = ext;
  r.audience.assign(kOrgs.begin(), kOrgs.end());
  return r;
}

std::string JsonArray(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out.push_back(',');
    out += "\"" + items[i] + "\"";  // bench data needs no escaping
  }
  return out + "]";
}

// --- contestants ---------------------------------------------------------------------------

// Writes batches of kBatch reports, each batch one durable transaction.
class Contestant {
 public:
  virtual ~Contestant() = default;
  // Writes reports first … first + kBatch - 1.
  virtual void WriteBatch(std::int64_t first) = 0;
};

void Check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    std::fprintf(stderr, "store_bench: %s: %s\n", what, sqlite3_errmsg(db));
    std::abort();
  }
}

void BindText(sqlite3_stmt* q, int i, const std::string& s) {
  sqlite3_bind_text(q, i, s.data(), static_cast<int>(s.size()), SQLITE_STATIC);
}

// Plain SQLite: what an application gets from SQLite with no schema of its own to keep.
class Peer final : public Contestant {
 public:
  Peer(int page_size, bool with_inbox) : with_inbox_(with_inbox) {
    Check(sqlite3_open((dir_.path() + "/peer.db").c_str(), &db_), db_, "open");
    if (page_size != 0) Exec(("PRAGMA page_size = " + std::to_string(page_size)).c_str());
    Exec("PRAGMA journal_mode = WAL");
    Exec("PRAGMA synchronous = FULL");
    Exec(
        "CREATE TABLE reports (id TEXT, originator TEXT, received_ms INTEGER, title TEXT, "
        "body TEXT, lang TEXT, source_name TEXT, source_url TEXT, reliability TEXT, "
        "credibility INTEGER, observed_ms INTEGER, lat REAL, lon REAL, tlp TEXT, orcon INTEGER, "
        "tags TEXT, release_to TEXT, external_id TEXT, audience TEXT, analysis TEXT)");
    Exec("CREATE TABLE inbox (org TEXT, seq INTEGER, kind TEXT, item_id TEXT, at_ms INTEGER)");
    Check(sqlite3_prepare_v2(db_,
                             "INSERT INTO reports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                             "?, ?, ?, ?, ?, ?, ?, ?)",
                             -1, &insert_, nullptr),
          db_, "prepare");
    Check(sqlite3_prepare_v2(db_, "INSERT INTO inbox VALUES (?, ?, ?, ?, ?)", -1, &inbox_, nullptr),
          db_, "prepare");
  }
  ~Peer() override {
    sqlite3_finalize(insert_);
    sqlite3_finalize(inbox_);
    sqlite3_close(db_);
  }

  void WriteBatch(std::int64_t first) override {
    Exec("BEGIN");
    for (std::int64_t n = first; n < first + kBatch; ++n) {
      const ReportRow r = MakeReport(n);
      const core::ReportInput& in = r.input;
      const std::string tags = JsonArray(in.tags);
      const std::string release_to = JsonArray(in.release_to);
      const std::string audience = JsonArray(r.audience);
      const std::string reliability(1, *in.source->reliability);
      const std::string tlp(core::TlpName(in.tlp));
      BindText(insert_, 1, r.id);
      BindText(insert_, 2, r.originator);
      sqlite3_bind_int64(insert_, 3, r.received_at.time_since_epoch().count());
      BindText(insert_, 4, in.title);
      BindText(insert_, 5, in.body);
      BindText(insert_, 6, *in.lang);
      BindText(insert_, 7, in.source->name);
      BindText(insert_, 8, in.source->url);
      BindText(insert_, 9, reliability);
      sqlite3_bind_int(insert_, 10, *in.source->credibility);
      sqlite3_bind_int64(insert_, 11, in.observed_at->time_since_epoch().count());
      sqlite3_bind_double(insert_, 12, in.location->lat);
      sqlite3_bind_double(insert_, 13, in.location->lon);
      BindText(insert_, 14, tlp);
      sqlite3_bind_int(insert_, 15, in.orcon ? 1 : 0);
      BindText(insert_, 16, tags);
      BindText(insert_, 17, release_to);
      BindText(insert_, 18, *in.external_id);
      BindText(insert_, 19, audience);
      BindText(insert_, 20, r.analysis);
      Check(sqlite3_step(insert_), db_, "insert report");
      sqlite3_reset(insert_);
      if (!with_inbox_) continue;
      for (std::size_t k = 0; k < r.audience.size(); ++k) {
        BindText(inbox_, 1, r.audience[k]);
        sqlite3_bind_int64(inbox_, 2, n + 1);  // every org gets every report here
        BindText(inbox_, 3, kKind);
        BindText(inbox_, 4, r.id);
        sqlite3_bind_int64(inbox_, 5, r.received_at.time_since_epoch().count());
        Check(sqlite3_step(inbox_), db_, "insert inbox");
        sqlite3_reset(inbox_);
      }
    }
    Exec("COMMIT");
  }

 private:
  void Exec(const char* sql) { Check(sqlite3_exec(db_, sql, nullptr, nullptr, nullptr), db_, sql); }

  const std::string kKind = "report";
  ScratchDir dir_;
  const bool with_inbox_;
  sqlite3* db_ = nullptr;
  sqlite3_stmt* insert_ = nullptr;
  sqlite3_stmt* inbox_ = nullptr;
};

void Die(const core::Status& s) {
  std::fprintf(stderr, "store_bench: %s\n", s.ToString().c_str());
  std::abort();
}

// One report and its inbox entries, as the submit path writes them (without the audit entry).
core::Status WriteReport(Transaction& txn, const ReportRow& r) {
  MARKAZ_RETURN_IF_ERROR(txn.InsertReport(r).status());
  for (const std::string& org : r.audience) {
    MARKAZ_RETURN_IF_ERROR(txn.AppendInbox(org, "report", r.id, r.received_at).status());
  }
  return core::Status::Ok();
}

class StoreContestant final : public Contestant {
 public:
  explicit StoreContestant(bool nested) : nested_(nested) {
    auto opened = OpenSqliteStore(dir_.path() + "/data", OpenMode::kCreate);
    if (!opened.ok()) Die(opened.status());
    store_ = std::move(opened).value();
    core::Charter c;
    c.name = "Bench Centre";
    c.start = core::Time(std::chrono::milliseconds(1443657600000));
    c.rotation_order.assign(kOrgs.begin(), kOrgs.end());
    c.term = core::TermLength::Months(3).value();
    for (const auto& id : kOrgs) {
      c.members.push_back(core::OrgEntry{id, core::OrgKind::kMember, {}, true});
    }
    const core::Status init = store_->Write([&](Transaction& txn) { return txn.PutCharter(c); });
    if (!init.ok()) Die(init);
  }

  void WriteBatch(std::int64_t first) override {
    const core::Status s = store_->Write([&](Transaction& txn) -> core::Status {
      for (std::int64_t n = first; n < first + kBatch; ++n) {
        const ReportRow r = MakeReport(n);
        if (nested_) {
          MARKAZ_RETURN_IF_ERROR(txn.Nested([&](Transaction& t) { return WriteReport(t, r); }));
        } else {
          MARKAZ_RETURN_IF_ERROR(WriteReport(txn, r));
        }
      }
      return core::Status::Ok();
    });
    if (!s.ok()) Die(s);
  }

 private:
  ScratchDir dir_;  // declared before store_: removed after the store is closed
  const bool nested_;
  std::unique_ptr<Store> store_;
};

std::unique_ptr<Contestant> MakeContestant(int which) {
  switch (which) {
    case 0:
      return std::make_unique<Peer>(/*page_size=*/0, /*with_inbox=*/false);
    case 1:
      return std::make_unique<Peer>(/*page_size=*/16384, /*with_inbox=*/true);
    case 2:
      return std::make_unique<StoreContestant>(/*nested=*/false);
    default:
      return std::make_unique<StoreContestant>(/*nested=*/true);
  }
}
const char* const kNames[] = {"peer", "peer16k+inbox", "store", "store_nested"};
constexpr int kContestants = 4;

// --- benchmarks ----------------------------------------------------------------------------

// One contestant alone (for profiling): items_per_second is its reports/s.
void BM_One(benchmark::State& state) {
  std::unique_ptr<Contestant> c = MakeContestant(static_cast<int>(state.range(0)));
  std::int64_t n = 0;
  for (auto _ : state) {
    c->WriteBatch(n);
    n += kBatch;
  }
  state.SetItemsProcessed(n);
  state.SetLabel(kNames[state.range(0)]);
}
BENCHMARK(BM_One)
    ->ArgName("contestant")
    ->DenseRange(0, kContestants - 1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(1.0);

// Every contestant, batch by batch in turn, so that they share the machine's noise. Counters:
// each one's reports/s, and the store's over the peers'.
void BM_SideBySide(benchmark::State& state) {
  std::vector<std::unique_ptr<Contestant>> cs;
  for (int i = 0; i < kContestants; ++i) cs.push_back(MakeContestant(i));
  std::vector<double> seconds(kContestants, 0);
  std::int64_t n = 0;
  for (auto _ : state) {
    for (int i = 0; i < kContestants; ++i) {
      const auto start = std::chrono::steady_clock::now();
      cs[static_cast<std::size_t>(i)]->WriteBatch(n);
      seconds[static_cast<std::size_t>(i)] +=
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
    n += kBatch;
  }
  std::vector<double> rate(kContestants);
  for (int i = 0; i < kContestants; ++i) {
    rate[static_cast<std::size_t>(i)] =
        static_cast<double>(n) / seconds[static_cast<std::size_t>(i)];
    state.counters[kNames[i]] = rate[static_cast<std::size_t>(i)];
  }
  state.counters["store/peer"] = rate[2] / rate[0];
  state.counters["store/peer16k+inbox"] = rate[2] / rate[1];
  state.counters["store_nested/peer"] = rate[3] / rate[0];
}
BENCHMARK(BM_SideBySide)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(40);

}  // namespace
}  // namespace markaz::store
