// SQLite-specific behaviour of store/sqlite/sqlite_store.h: the files it makes, the modes it
// sets, its schema versioning and the open modes. Everything common to all back ends is in
// store_conformance_test.cc. The database is inspected with the raw sqlite3 C API, as an
// operator with the sqlite3 shell would.
#include "store/sqlite/sqlite_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "store/sqlite/schema.h"
#include "testutil/temp_dir.h"

namespace markaz::store {
namespace {

namespace fs = std::filesystem;
using core::Status;

// A raw connection to a database file, for looking under the store.
class RawDb {
 public:
  explicit RawDb(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << "cannot open " << path << ": " << sqlite3_errmsg(db_);
    }
    sqlite3_busy_timeout(db_, 5000);
  }
  ~RawDb() { sqlite3_close(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  // Runs SQL; returns sqlite's error message, or "" on success.
  std::string Exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) == SQLITE_OK) return "";
    std::string msg = err != nullptr ? err : "error";
    sqlite3_free(err);
    return msg;
  }

  // The first column of the first row as text ("" when there is none).
  std::string Query(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db_);
      return "";
    }
    std::string out;
    if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0) != nullptr) {
      out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    }
    sqlite3_finalize(stmt);
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
};

std::string DbPath(const std::string& dir) { return dir + "/markaz.db"; }

AuditRow Row(std::int64_t seq) {
  AuditRow row;
  row.seq = seq;
  row.actor = "local:cli";
  row.action = "test";
  row.object = "x";
  row.detail = "{}";
  row.detail_hash = std::string(64, 'd');
  row.prev_hash = std::string(64, '0');
  row.hash = "h" + std::to_string(seq);
  return row;
}

Status PutSmallCharter(Store& store) {
  core::Charter c;
  c.name = "Small";
  c.members = {core::OrgEntry{"host", core::OrgKind::kMember, {}, true}};
  c.rotation_order = {"host"};
  c.term = core::TermLength::Days(30).value();
  return store.Write([&](Transaction& txn) { return txn.PutCharter(c); });
}

ReportRow SmallReport(std::string id) {
  ReportRow r;
  r.id = std::move(id);
  r.originator = "host";
  r.input.body = "body";
  r.audience = {"host"};
  return r;
}

Status AppendNext(Store& store) {
  return store.Write([](Transaction& txn) -> Status {
    MARKAZ_ASSIGN_OR_RETURN(std::optional<AuditRow> last, txn.LastAudit());
    return txn.AppendAudit(Row(last ? last->seq + 1 : 1));
  });
}

TEST(SqliteStore, CreatesPrivateDataDirectoryAndDatabase) {
  testutil::TempDir tmp;
  const std::string dir = tmp.Sub("a/b/data");
  auto store = OpenSqliteStore(dir, OpenMode::kCreate);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_TRUE(fs::exists(DbPath(dir)));
  struct stat st {};
  ASSERT_EQ(::stat(dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u) << "the data directory must be private to its owner";
}

TEST(SqliteStore, UsesWalJournal) {
  testutil::TempDir tmp;
  {
    auto store = OpenSqliteStore(tmp.path(), OpenMode::kCreate);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    ASSERT_TRUE(AppendNext(**store).ok());
  }
  // journal_mode=WAL is recorded in the file, so a fresh raw connection reports it.
  RawDb raw(DbPath(tmp.path()));
  EXPECT_EQ(raw.Query("PRAGMA journal_mode"), "wal");
}

TEST(SqliteStore, MustExistRefusesADirectoryWithoutADatabase) {
  testutil::TempDir tmp;
  const struct {
    const char* name;
    std::string dir;
  } cases[] = {
      {"empty directory", tmp.path()},
      {"missing directory", tmp.Sub("nothing-here")},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto store = OpenSqliteStore(c.dir, OpenMode::kMustExist);
    ASSERT_FALSE(store.ok());
    EXPECT_EQ(store.status().code(), core::Code::kNotFound);
    EXPECT_EQ(store.status().reason(), "no_centre");
    EXPECT_NE(store.status().message().find(c.dir), std::string::npos)
        << "the message must name the directory: " << store.status().message();
    EXPECT_FALSE(fs::exists(DbPath(c.dir))) << "kMustExist must not create anything";
  }
  EXPECT_TRUE(fs::is_empty(tmp.path()));
}

TEST(SqliteStore, MustExistOpensACreatedStore) {
  testutil::TempDir tmp;
  {
    auto created = OpenSqliteStore(tmp.path(), OpenMode::kCreate);
    ASSERT_TRUE(created.ok());
    ASSERT_TRUE(AppendNext(**created).ok());
  }
  auto store = OpenSqliteStore(tmp.path(), OpenMode::kMustExist);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto head = (*store)->AuditHead();
  ASSERT_TRUE(head.ok() && head->has_value());
  EXPECT_EQ((*head)->seq, 1);
}

TEST(SqliteStore, RecordsSchemaVersionOnce) {
  testutil::TempDir tmp;
  for (int i = 0; i < 3; ++i) {  // reopening must not apply migrations again
    auto store = OpenSqliteStore(tmp.path(), OpenMode::kCreate);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
  }
  RawDb raw(DbPath(tmp.path()));
  const std::string latest = std::to_string(sqlite_internal::LatestSchemaVersion());
  EXPECT_EQ(raw.Query("SELECT MAX(version) FROM schema_version"), latest);
  EXPECT_EQ(raw.Query("SELECT COUNT(*) FROM schema_version"), latest);
  EXPECT_GE(sqlite_internal::LatestSchemaVersion(), 1);
}

TEST(SqliteStore, RefusesASchemaNewerThanTheBinary) {
  testutil::TempDir tmp;
  {
    auto store = OpenSqliteStore(tmp.path(), OpenMode::kCreate);
    ASSERT_TRUE(store.ok());
  }
  const int newer = sqlite_internal::LatestSchemaVersion() + 1;
  {
    RawDb raw(DbPath(tmp.path()));
    ASSERT_EQ(
        raw.Exec("INSERT INTO schema_version (version) VALUES (" + std::to_string(newer) + ")"),
        "");
  }
  for (OpenMode mode : {OpenMode::kMustExist, OpenMode::kCreate}) {
    auto store = OpenSqliteStore(tmp.path(), mode);
    ASSERT_FALSE(store.ok());
    EXPECT_EQ(store.status().code(), core::Code::kUnavailable);
    EXPECT_EQ(store.status().reason(), "schema_too_new");
  }
  RawDb raw(DbPath(tmp.path()));
  EXPECT_EQ(raw.Query("SELECT MAX(version) FROM schema_version"), std::to_string(newer))
      << "a refused database must be left as it was";
}

TEST(SqliteStore, RefusesAFileThatIsNotADatabase) {
  testutil::TempDir tmp;
  testutil::WriteFile(DbPath(tmp.path()), std::string(4096, 'x'));
  auto store = OpenSqliteStore(tmp.path(), OpenMode::kMustExist);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), core::Code::kInternal) << store.status().ToString();
}

TEST(SqliteStore, AuditTableRefusesUpdateAndDelete) {
  testutil::TempDir tmp;
  {
    auto store = OpenSqliteStore(tmp.path(), OpenMode::kCreate);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE(AppendNext(**store).ok());
  }
  RawDb raw(DbPath(tmp.path()));
  EXPECT_NE(raw.Exec("UPDATE audit SET actor = 'someone-else'"), "");
  EXPECT_NE(raw.Exec("DELETE FROM audit"), "");
  EXPECT_EQ(raw.Query("SELECT actor FROM audit WHERE seq = 1"), "local:cli");
}

TEST(SqliteStore, TwoStoresOnOneDirectorySerialiseTheirWrites) {
  // Two processes (serve and `markaz token create`) share one file; two Store objects in one
  // process stand in for them: each has its own write connection.
  testutil::TempDir tmp;
  auto a = OpenSqliteStore(tmp.path(), OpenMode::kCreate);
  auto b = OpenSqliteStore(tmp.path(), OpenMode::kMustExist);
  ASSERT_TRUE(a.ok() && b.ok());
  constexpr int kEach = 25;
  std::atomic<int> failures{0};
  auto run = [&](Store& store) {
    for (int i = 0; i < kEach; ++i) {
      const Status s = AppendNext(store);
      if (!s.ok()) {
        ++failures;
        ADD_FAILURE() << s.ToString();
      }
    }
  };
  std::thread ta([&] { run(**a); });
  std::thread tb([&] { run(**b); });
  ta.join();
  tb.join();
  EXPECT_EQ(failures.load(), 0);
  auto rows = (*a)->ReadAudit(0, 1000);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u * kEach);
  for (std::size_t i = 0; i < rows->size(); ++i) EXPECT_EQ((*rows)[i].seq, std::int64_t(i + 1));
}

TEST(SqliteStore, ForeignKeysAreEnforced) {
  // A token must belong to a stored org; with foreign_keys off SQLite would accept it.
  testutil::TempDir tmp;
  auto store = OpenSqliteStore(tmp.path(), OpenMode::kCreate);
  ASSERT_TRUE(store.ok());
  TokenRow t;
  t.id = "tok_x";
  t.org = "ghost";
  t.secret_hash = std::string(32, 'h');
  const Status s = (*store)->Write([&](Transaction& txn) { return txn.InsertToken(t); });
  EXPECT_EQ(s.reason(), "unknown_org") << s.ToString();
}

// Migration 1 exactly as it shipped (schema.cc), to build the database an older markaz left
// behind. A copy on purpose: the test is against the old file, not against today's code.
constexpr const char* kSchemaVersion1 = R"sql(
CREATE TABLE centre (
  id                INTEGER PRIMARY KEY CHECK (id = 1),  -- one row: the centre's charter
  name              TEXT NOT NULL,
  start_ms          INTEGER NOT NULL,
  term_unit         TEXT NOT NULL CHECK (term_unit IN ('months', 'days')),
  term_count        INTEGER NOT NULL CHECK (term_count >= 1),
  first_chair_index INTEGER NOT NULL CHECK (first_chair_index >= 0),
  members_quorum    TEXT NOT NULL,
  partners_quorum   TEXT NOT NULL
) STRICT;

CREATE TABLE orgs (
  id           TEXT PRIMARY KEY,
  kind         TEXT NOT NULL CHECK (kind IN ('member', 'partner')),
  list_pos     INTEGER NOT NULL,  -- position in the charter's members or partners list
  names_json   TEXT NOT NULL CHECK (json_valid(names_json)),  -- {"lang":"name",...}
  may_submit   INTEGER NOT NULL CHECK (may_submit IN (0, 1)),
  suspended    INTEGER NOT NULL DEFAULT 0 CHECK (suspended IN (0, 1)),
  rotation_pos INTEGER UNIQUE,    -- index in the rotation order; NULL for partners
  CHECK ((kind = 'member') = (rotation_pos IS NOT NULL)),
  UNIQUE (kind, list_pos)
) STRICT;

CREATE TABLE tokens (
  id          TEXT PRIMARY KEY,
  org         TEXT NOT NULL REFERENCES orgs (id),
  role        TEXT NOT NULL CHECK (role IN ('analyst', 'releaser', 'admin')),
  name        TEXT NOT NULL,
  secret_hash BLOB NOT NULL,
  created_ms  INTEGER NOT NULL,
  revoked_ms  INTEGER
) STRICT;
CREATE INDEX tokens_by_org ON tokens (org);

CREATE TABLE audit (
  seq         INTEGER PRIMARY KEY CHECK (seq >= 1),
  time_ms     INTEGER NOT NULL,
  actor       TEXT NOT NULL,
  action      TEXT NOT NULL,
  object      TEXT NOT NULL,
  detail      TEXT NOT NULL,
  detail_hash TEXT NOT NULL,
  prev_hash   TEXT NOT NULL,
  hash        TEXT NOT NULL
) STRICT;

-- The chain is append-only. These triggers catch our own bugs; they are no defence against
-- someone who can edit the file (that is what the hash chain and its checkpoints are for).
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
)sql";

TEST(SqliteStore, MigratesAVersion1DatabaseWithoutLosingData) {
  testutil::TempDir tmp;
  {
    sqlite3* db = nullptr;  // creates the file; RawDb opens existing files only
    ASSERT_EQ(sqlite3_open(DbPath(tmp.path()).c_str(), &db), SQLITE_OK);
    sqlite3_close(db);
  }
  RawDb raw(DbPath(tmp.path()));
  // What markaz at schema version 1 wrote: a charter, a token, two audit entries.
  ASSERT_EQ(raw.Query("PRAGMA journal_mode = WAL"), "wal");
  ASSERT_EQ(raw.Exec("CREATE TABLE schema_version (version INTEGER PRIMARY KEY) STRICT;"
                     "INSERT INTO schema_version (version) VALUES (1);"),
            "");
  ASSERT_EQ(raw.Exec(kSchemaVersion1), "");
  ASSERT_EQ(raw.Exec(R"sql(
INSERT INTO centre VALUES (1, 'Old Centre', 1443657600000, 'months', 3, 1, 'unanimous',
                           'chair+majority');
INSERT INTO orgs VALUES ('host', 'member', 0, '{"ar":"المضيف","en":"Host"}', 1, 0, 1);
INSERT INTO orgs VALUES ('north', 'member', 1, '{}', 1, 0, 0);
INSERT INTO orgs VALUES ('p1', 'partner', 0, '{"en":"P"}', 0, 1, NULL);
INSERT INTO tokens VALUES ('tok_old', 'host', 'admin', 'laptop', x'00ff', 1443657600001, NULL);
INSERT INTO audit VALUES (1, 1443657600000, 'local:cli', 'centre.init', 'centre', '{}', 'd1',
                          '0000', 'h1');
INSERT INTO audit VALUES (2, 1443657600001, 'local:cli', 'token.create', 'tok_old', '{}', 'd2',
                          'h1', 'h2');
)sql"),
            "");

  auto store = OpenSqliteStore(tmp.path(), OpenMode::kMustExist);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ(raw.Query("SELECT group_concat(version) FROM schema_version"), "1,2,3,4");
  ASSERT_EQ(sqlite_internal::LatestSchemaVersion(), 4) << "extend this test for the new version";

  auto charter = (*store)->LoadCharter();
  ASSERT_TRUE(charter.ok()) << charter.status().ToString();
  EXPECT_EQ(charter->name, "Old Centre");
  EXPECT_EQ(charter->rotation_order, (std::vector<std::string>{"north", "host"}));
  EXPECT_EQ(charter->first_chair_index, 1u);
  ASSERT_EQ(charter->members.size(), 2u);
  EXPECT_EQ(charter->members[0].names.at("ar"), "المضيف");
  auto orgs = (*store)->ListOrgs();
  ASSERT_TRUE(orgs.ok());
  ASSERT_EQ(orgs->size(), 3u);
  EXPECT_TRUE((*orgs)[2].suspended);
  auto token = (*store)->FindToken("tok_old");
  ASSERT_TRUE(token.ok() && token->has_value());
  EXPECT_EQ((*token)->secret_hash, std::string("\x00\xff", 2));
  auto audit = (*store)->ReadAudit(0, 10);
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 2u);
  EXPECT_EQ((*audit)[1].hash, "h2");

  // The new tables work beside the old rows.
  ReportRow report = SmallReport("rep_new");
  report.audience = {"host", "north"};
  std::int64_t seq = 0;
  const Status s = (*store)->Write([&](Transaction& txn) -> Status {
    MARKAZ_ASSIGN_OR_RETURN(seq, txn.InsertReport(report));
    MARKAZ_RETURN_IF_ERROR(txn.PutFingerprint(seq, "fp"));
    for (const std::string& org : report.audience) {
      MARKAZ_RETURN_IF_ERROR(
          txn.AppendInbox(org, "report", report.id, report.received_at).status());
    }
    // Version 4: release entries with a ref, widenings.
    MARKAZ_RETURN_IF_ERROR(
        txn.AppendInbox("host", "release", "rrq_1", report.received_at, report.id).status());
    MARKAZ_RETURN_IF_ERROR(txn.WidenAudience(report.id, {"p1"}, report.received_at).status());
    MARKAZ_ASSIGN_OR_RETURN(std::optional<AuditRow> last, txn.LastAudit());
    return txn.AppendAudit(Row(last ? last->seq + 1 : 1));
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(seq, 1);
  auto host_inbox = (*store)->ReadInbox("host", 0, 10);
  ASSERT_TRUE(host_inbox.ok());
  ASSERT_EQ(host_inbox->size(), 2u);
  EXPECT_EQ((*host_inbox)[1].ref, "rep_new");
  auto got = (*store)->GetReport("rep_new");
  ASSERT_TRUE(got.ok() && got->has_value());
  report.seq = seq;
  report.audience = {"host", "north", "p1"};
  EXPECT_EQ(**got, report);
  auto head = (*store)->InboxHead("north");
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(*head, 1);
  auto audit_head = (*store)->AuditHead();
  ASSERT_TRUE(audit_head.ok() && audit_head->has_value());
  EXPECT_EQ((*audit_head)->seq, 3);
}

TEST(SqliteStore, ReportSeqIsNotReusedAfterTheNewestReportIsRemoved) {
  // AUTOINCREMENT: even if the newest row went away (by hand, with the sqlite3 shell), its seq
  // is not handed out again, so an index that has seen it cannot be confused.
  testutil::TempDir tmp;
  auto store = OpenSqliteStore(tmp.path(), OpenMode::kCreate);
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(PutSmallCharter(**store).ok());
  auto insert = [&](const std::string& id) -> core::Result<std::int64_t> {
    std::int64_t seq = 0;
    MARKAZ_RETURN_IF_ERROR((*store)->Write([&](Transaction& txn) -> Status {
      MARKAZ_ASSIGN_OR_RETURN(seq, txn.InsertReport(SmallReport(id)));
      return Status::Ok();
    }));
    return seq;
  };
  auto first = insert("rep_1");
  auto second = insert("rep_2");
  ASSERT_TRUE(first.ok() && second.ok());
  {
    RawDb raw(DbPath(tmp.path()));
    ASSERT_EQ(raw.Exec("DELETE FROM reports WHERE id = 'rep_2'"), "");
  }
  auto third = insert("rep_3");
  ASSERT_TRUE(third.ok()) << third.status().ToString();
  EXPECT_GT(*third, *second);
}

TEST(SqliteStore, NestedContainsABackEndFailure) {
  // A statement that SQLite itself refuses (here a CHECK: SQLite binds NaN as NULL, so the
  // location gets a longitude without a latitude) is Internal, not a Conflict. Inside Nested()
  // the savepoint undoes it, so the rest of the batch still commits.
  testutil::TempDir tmp;
  auto store = OpenSqliteStore(tmp.path(), OpenMode::kCreate);
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(PutSmallCharter(**store).ok());
  ReportRow bad = SmallReport("rep_bad");
  bad.input.location = core::GeoPoint{std::nan(""), 1.0};
  Status nested;
  const Status s = (*store)->Write([&](Transaction& txn) -> Status {
    MARKAZ_RETURN_IF_ERROR(txn.Nested(
        [&](Transaction& t) { return t.InsertReport(SmallReport("rep_before")).status(); }));
    nested = txn.Nested([&](Transaction& t) -> Status {
      MARKAZ_RETURN_IF_ERROR(t.AppendInbox("host", "report", "rep_bad", core::Time()).status());
      return t.InsertReport(bad).status();
    });
    return txn.Nested(
        [&](Transaction& t) { return t.InsertReport(SmallReport("rep_after")).status(); });
  });
  EXPECT_EQ(nested.code(), core::Code::kInternal) << nested.ToString();
  ASSERT_TRUE(s.ok()) << s.ToString();
  for (const char* id : {"rep_before", "rep_after"}) {
    auto got = (*store)->GetReport(id);
    ASSERT_TRUE(got.ok());
    EXPECT_TRUE(got->has_value()) << id;
  }
  auto gone = (*store)->GetReport("rep_bad");
  ASSERT_TRUE(gone.ok());
  EXPECT_FALSE(gone->has_value());
  auto head = (*store)->InboxHead("host");
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(*head, 0) << "the failed item's inbox entry is undone too";

  // Outside Nested() the same failure sinks the whole transaction, even when ignored.
  const Status sunk = (*store)->Write([&](Transaction& txn) -> Status {
    MARKAZ_RETURN_IF_ERROR(txn.InsertReport(SmallReport("rep_x")).status());
    (void)txn.InsertReport(bad);
    return Status::Ok();
  });
  EXPECT_EQ(sunk.code(), core::Code::kInternal) << sunk.ToString();
  auto x = (*store)->GetReport("rep_x");
  ASSERT_TRUE(x.ok());
  EXPECT_FALSE(x->has_value());
}

TEST(SqliteStore, ReportsTableKeepsAbsentAndEmptyApart) {
  // Absent is NULL and present-but-empty is '' on disk, so an operator's query (and a later
  // migration) can tell them apart too.
  testutil::TempDir tmp;
  {
    auto store = OpenSqliteStore(tmp.path(), OpenMode::kCreate);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE(PutSmallCharter(**store).ok());
    ReportRow absent = SmallReport("rep_absent");
    ReportRow empty = SmallReport("rep_empty");
    empty.input.lang = "";
    empty.input.external_id = "";
    empty.input.source = core::Source{};
    ASSERT_TRUE((*store)
                    ->Write([&](Transaction& txn) -> Status {
                      MARKAZ_RETURN_IF_ERROR(txn.InsertReport(absent).status());
                      return txn.InsertReport(empty).status();
                    })
                    .ok());
  }
  RawDb raw(DbPath(tmp.path()));
  const std::string columns =
      "SELECT quote(lang) || ' ' || quote(external_id) || ' ' || has_source || ' ' || "
      "quote(source_name) || ' ' || quote(reliability) FROM reports WHERE id = ";
  EXPECT_EQ(raw.Query(columns + "'rep_absent'"), "NULL NULL 0 NULL NULL");
  EXPECT_EQ(raw.Query(columns + "'rep_empty'"), "'' '' 1 '' NULL");
}

TEST(SqliteStore, TwoStoresOnOneDirectoryKeepAnInboxGapFree) {
  // Each transaction reads an org's inbox head afresh: appends by another process (here another
  // Store on the same file) in between must not be overwritten or skipped.
  testutil::TempDir tmp;
  auto a = OpenSqliteStore(tmp.path(), OpenMode::kCreate);
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(PutSmallCharter(**a).ok());
  auto b = OpenSqliteStore(tmp.path(), OpenMode::kMustExist);
  ASSERT_TRUE(b.ok());
  constexpr int kEach = 25;
  std::atomic<int> failures{0};
  auto run = [&](Store& store, const std::string& tag) {
    for (int i = 0; i < kEach; ++i) {
      const Status s = store.Write([&](Transaction& txn) -> Status {
        for (int k = 0; k < 2; ++k) {
          MARKAZ_RETURN_IF_ERROR(
              txn.AppendInbox("host", "report", tag + std::to_string(i), core::Time()).status());
        }
        return Status::Ok();
      });
      if (!s.ok()) {
        ++failures;
        ADD_FAILURE() << s.ToString();
      }
    }
  };
  std::thread ta([&] { run(**a, "a"); });
  std::thread tb([&] { run(**b, "b"); });
  ta.join();
  tb.join();
  EXPECT_EQ(failures.load(), 0);
  auto entries = (*a)->ReadInbox("host", 0, 1000);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 4u * kEach);
  for (std::size_t i = 0; i < entries->size(); ++i) {
    EXPECT_EQ((*entries)[i].seq, static_cast<std::int64_t>(i + 1));
  }
}

TEST(SqliteStore, NewDatabasesUse16KiBPages) {
  // Report rows are ~2 KB; see OpenSqliteStore for the measurement behind the choice.
  testutil::TempDir tmp;
  {
    auto store = OpenSqliteStore(tmp.path(), OpenMode::kCreate);
    ASSERT_TRUE(store.ok());
  }
  RawDb raw(DbPath(tmp.path()));
  EXPECT_EQ(raw.Query("PRAGMA page_size"), "16384");
}

}  // namespace
}  // namespace markaz::store
