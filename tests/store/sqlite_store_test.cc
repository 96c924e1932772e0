// SQLite-specific behaviour of store/sqlite/sqlite_store.h: the files it makes, the modes it
// sets, its schema versioning and the open modes. Everything common to all back ends is in
// store_conformance_test.cc. The database is inspected with the raw sqlite3 C API, as an
// operator with the sqlite3 shell would.
#include "store/sqlite/sqlite_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <atomic>
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

}  // namespace
}  // namespace markaz::store
