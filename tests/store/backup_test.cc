// Store::BackupTo on SQLite (an online copy of the store of record, issue 11) and
// CheckSqliteDatabase, which `markaz restore` runs on a copy before using it.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "store/sqlite/schema.h"
#include "store/sqlite/sqlite_store.h"
#include "testutil/temp_dir.h"

namespace markaz::store {
namespace {

namespace fs = std::filesystem;
using core::Status;

core::Time At(std::int64_t ms) { return core::Time(std::chrono::milliseconds(ms)); }

core::Charter TwoMemberCharter() {
  core::Charter c;
  c.name = "Backup";
  c.members = {core::OrgEntry{"host", core::OrgKind::kMember, {{"en", "Host"}}, true},
               core::OrgEntry{"m2", core::OrgKind::kMember, {{"en", "Second"}}, true}};
  c.rotation_order = {"host", "m2"};
  c.term = core::TermLength::Days(30).value();
  return c;
}

// One unit of work the way a submit writes it: a report, its inbox entries, its fingerprint
// and its audit entry, all in one transaction. A backup holds all four or none.
Status SubmitUnit(Transaction& txn, int n, std::size_t body_bytes) {
  ReportRow r;
  r.id = "rep_" + std::to_string(n);
  r.originator = n % 2 == 0 ? "host" : "m2";
  r.received_at = At(1000 + n);
  r.input.title = "Report " + std::to_string(n);
  r.input.body = std::string(body_bytes, static_cast<char>('a' + n % 26));
  r.input.tags = {"t" + std::to_string(n % 7)};
  r.audience = {"host", "m2"};
  MARKAZ_ASSIGN_OR_RETURN(std::int64_t seq, txn.InsertReport(r));
  for (const auto& org : r.audience) {
    MARKAZ_ASSIGN_OR_RETURN(std::int64_t ignored, txn.AppendInbox(org, "report", r.id, At(n)));
    (void)ignored;
  }
  MARKAZ_RETURN_IF_ERROR(txn.PutFingerprint(seq, "fp-" + std::to_string(n)));
  MARKAZ_ASSIGN_OR_RETURN(std::optional<AuditRow> last, txn.LastAudit());
  AuditRow a;
  a.seq = last ? last->seq + 1 : 1;
  a.time = At(n);
  a.actor = "host/tok_x";
  a.action = "report.submit";
  a.object = r.id;
  a.detail = "{}";
  a.detail_hash = std::string(64, 'd');
  a.prev_hash = last ? last->hash : std::string(64, '0');
  a.hash = "hash-" + std::to_string(a.seq);
  return txn.AppendAudit(a);
}

// Units first .. first+count-1 in one transaction.
Status Submit(Store& store, int first, int count = 1, std::size_t body_bytes = 200) {
  return store.Write([&](Transaction& txn) -> Status {
    for (int n = first; n < first + count; ++n) {
      MARKAZ_RETURN_IF_ERROR(SubmitUnit(txn, n, body_bytes));
    }
    return Status::Ok();
  });
}

std::unique_ptr<Store> NewCentre(const std::string& dir) {
  auto store = OpenSqliteStore(dir, OpenMode::kCreate);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  Status put = (*store)->Write([](Transaction& txn) { return txn.PutCharter(TwoMemberCharter()); });
  EXPECT_TRUE(put.ok()) << put.ToString();
  return std::move(store).value();
}

// Everything a store holds, read through the Store interface.
struct Contents {
  core::Charter charter;
  std::vector<ReportRow> reports;
  std::vector<AuditRow> audit;
  std::vector<FingerprintRow> fingerprints;
  std::vector<InboxEntry> inbox_host, inbox_m2;
};

Contents ReadAll(Store& store) {
  Contents c;
  c.charter = store.LoadCharter().value();
  c.reports = store.ReadReports(0, 1 << 30).value();
  c.audit = store.ReadAudit(0, 1 << 30).value();
  c.fingerprints = store.ReadFingerprints(0, 1 << 30).value();
  c.inbox_host = store.ReadInbox("host", 0, 1 << 30).value();
  c.inbox_m2 = store.ReadInbox("m2", 0, 1 << 30).value();
  return c;
}

TEST(SqliteBackup, CopyOpensAsAStoreAndHoldsExactlyWhatWasCommitted) {
  testutil::TempDir tmp;
  auto store = NewCentre(tmp.Sub("data"));
  for (int n = 1; n <= 120; n += 10) ASSERT_TRUE(Submit(*store, n, 10).ok());
  // A write that rolled back is in neither.
  Status failed = store->Write([](Transaction& txn) -> Status {
    ReportRow r;
    r.id = "rep_rolled_back";
    r.originator = "host";
    r.input.body = "x";
    r.audience = {"host"};
    MARKAZ_RETURN_IF_ERROR(txn.InsertReport(r).status());
    return Status::Conflict("test", "roll back");
  });
  ASSERT_FALSE(failed.ok());

  fs::create_directories(tmp.Sub("copy"));
  const fs::path file = tmp.Sub("copy") + "/markaz.db";
  auto info = store->BackupTo(file);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->reports, 120);
  EXPECT_EQ(info->bytes, fs::file_size(file));
  ASSERT_TRUE(info->audit_head.has_value());
  EXPECT_EQ(*info->audit_head, *store->AuditHead().value());

  auto copy = OpenSqliteStore(tmp.Sub("copy"), OpenMode::kMustExist);
  ASSERT_TRUE(copy.ok()) << copy.status().ToString();
  const Contents want = ReadAll(*store);
  const Contents got = ReadAll(**copy);
  EXPECT_EQ(got.charter, want.charter);
  EXPECT_EQ(got.reports, want.reports);
  EXPECT_EQ(got.audit, want.audit);
  EXPECT_EQ(got.fingerprints, want.fingerprints);
  EXPECT_EQ(got.inbox_host, want.inbox_host);
  EXPECT_EQ(got.inbox_m2, want.inbox_m2);
  EXPECT_EQ(got.reports.size(), 120u);
  EXPECT_FALSE((*copy)->GetReport("rep_rolled_back").value().has_value());
  // The copy is a working store: it takes new writes where the original left off.
  ASSERT_TRUE(Submit(**copy, 121).ok());
  EXPECT_EQ((*copy)->AuditHead().value()->seq, want.audit.back().seq + 1);
}

TEST(SqliteBackup, RefusesAnExistingFileAndLeavesItAlone) {
  testutil::TempDir tmp;
  auto store = NewCentre(tmp.Sub("data"));
  const std::string file = tmp.Sub("backup.db");
  testutil::WriteFile(file, "precious");
  auto info = store->BackupTo(file);
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.status().code(), core::Code::kConflict);
  EXPECT_EQ(info.status().reason(), "backup_target_exists");
  EXPECT_EQ(testutil::ReadFile(file), "precious");
}

TEST(SqliteBackup, FailureLeavesNoFileBehind) {
  testutil::TempDir tmp;
  auto store = NewCentre(tmp.Sub("data"));
  const fs::path file = tmp.Sub("no-such-dir") + "/backup.db";
  auto info = store->BackupTo(file);
  ASSERT_FALSE(info.ok());
  EXPECT_FALSE(fs::exists(file));
}

TEST(SqliteBackup, WritesConcurrentWithTheBackupAreEntirelyInOrEntirelyOut) {
  testutil::TempDir tmp;
  auto store = NewCentre(tmp.Sub("data"));
  // ~25 MB, so a copy takes long enough for the writer to commit during it.
  const int next = 3001;
  for (int n = 1; n < next; n += 100) ASSERT_TRUE(Submit(*store, n, 100, 8000).ok());

  std::atomic<bool> stop{false};
  std::atomic<int> committed{next - 1};
  std::thread writer([&] {
    for (int n = next; !stop; ++n) {
      if (!Submit(*store, n, 1, 8000).ok()) break;
      committed = n;
    }
  });
  int backups_with_concurrent_writes = 0;
  for (int round = 0; round < 6; ++round) {
    const std::string dir = tmp.Sub("copy" + std::to_string(round));
    fs::create_directories(dir);
    const int before = committed.load();
    auto info = store->BackupTo(dir + "/markaz.db");
    const int after = committed.load();
    ASSERT_TRUE(info.ok()) << info.status().ToString();
    if (after > before) ++backups_with_concurrent_writes;

    auto copy = OpenSqliteStore(dir, OpenMode::kMustExist);
    ASSERT_TRUE(copy.ok()) << copy.status().ToString();
    const Contents got = ReadAll(**copy);
    const auto n = static_cast<std::int64_t>(got.reports.size());
    // Everything committed before the call, nothing that was not committed by its end.
    EXPECT_GE(n, before);
    EXPECT_LE(n, after);
    EXPECT_EQ(n, info->reports);
    // Each unit whole: as many audit entries, fingerprints and inbox entries as reports, and
    // the last of each belongs to the last report.
    ASSERT_EQ(static_cast<std::int64_t>(got.audit.size()), n);
    ASSERT_EQ(static_cast<std::int64_t>(got.fingerprints.size()), n);
    ASSERT_EQ(static_cast<std::int64_t>(got.inbox_host.size()), n);
    ASSERT_EQ(static_cast<std::int64_t>(got.inbox_m2.size()), n);
    EXPECT_EQ(got.audit.back().object, got.reports.back().id);
    EXPECT_EQ(got.inbox_m2.back().item_id, got.reports.back().id);
    EXPECT_EQ(got.fingerprints.back().seq, got.reports.back().seq);
    EXPECT_EQ(*info->audit_head, got.audit.back());
  }
  stop = true;
  writer.join();
  // Otherwise this test would not have tested concurrency at all.
  EXPECT_GT(backups_with_concurrent_writes, 0);
}

// CheckSqliteDatabase: what `markaz restore` accepts.
TEST(SqliteBackup, CheckAcceptsABackupAndRefusesWhatIsNotOne) {
  testutil::TempDir tmp;
  auto store = NewCentre(tmp.Sub("data"));
  ASSERT_TRUE(Submit(*store, 1, 40, 4000).ok());
  const std::string good = tmp.Sub("good.db");
  ASSERT_TRUE(store->BackupTo(good).ok());

  auto ok = CheckSqliteDatabase(good);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->reports, 40);
  EXPECT_EQ(ok->audit_head->seq, 40);

  const std::string bytes = testutil::ReadFile(good);
  ASSERT_GT(bytes.size(), 65536u);
  // A copy whose middle pages are overwritten: SQLite opens it, integrity_check does not pass.
  std::string damaged = bytes;
  for (std::size_t i = 40000; i < 90000 && i < damaged.size(); ++i) damaged[i] = '\x5a';
  // A store without a charter, and one a newer markaz wrote.
  const std::string empty_dir = tmp.Sub("empty");
  ASSERT_TRUE(OpenSqliteStore(empty_dir, OpenMode::kCreate).ok());
  const std::string newer_dir = tmp.Sub("newer");
  NewCentre(newer_dir).reset();
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((newer_dir + "/markaz.db").c_str(), &db), SQLITE_OK);
    const std::string sql = "INSERT INTO schema_version (version) VALUES (" +
                            std::to_string(sqlite_internal::LatestSchemaVersion() + 1) + ")";
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }

  const struct {
    const char* name;
    std::string content;   // written to a file of its own, unless `path` is set
    std::string path;
    std::string message;   // part of the refusal's message
  } cases[] = {
      {"random bytes", std::string(100000, '\x17'), "", "not a database"},
      {"empty file", "", "", "no markaz schema"},
      {"text file", "hello, world\n", "", "not a database"},
      {"truncated copy", bytes.substr(0, bytes.size() / 2), "", ""},
      {"damaged pages", damaged, "", ""},
      {"no charter", "", empty_dir + "/markaz.db", "no centre"},
      {"newer schema", "", newer_dir + "/markaz.db", "newer"},
      {"missing file", "", tmp.Sub("nothing.db"), "not a regular file"},
  };
  for (const auto& c : cases) {
    std::string path = c.path;
    if (path.empty()) {
      path = tmp.Sub(std::string("case-") + c.name);
      testutil::WriteFile(path, c.content);
    }
    auto checked = CheckSqliteDatabase(path);
    ASSERT_FALSE(checked.ok()) << c.name;
    EXPECT_EQ(checked.status().code(), core::Code::kInvalidArgument) << c.name;
    EXPECT_EQ(checked.status().reason(), "not_a_centre_database") << c.name;
    EXPECT_NE(checked.status().message().find(c.message), std::string::npos)
        << c.name << ": " << checked.status().message();
  }
}

}  // namespace
}  // namespace markaz::store
