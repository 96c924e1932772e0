// Tests for audit/verify.h: a good chain passes; each kind of tampering, done with raw SQL on
// the database file as an intruder with file access would, is caught at the right entry.
#include "audit/verify.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "audit/chain.h"
#include "store/sqlite/sqlite_store.h"
#include "testutil/temp_dir.h"

namespace markaz::audit {
namespace {

using core::Status;

core::Time At(std::int64_t ms) { return core::Time(std::chrono::milliseconds(ms)); }

// A well-formed chain of `n` entries, built in memory.
std::vector<store::AuditRow> MakeChain(int n) {
  std::vector<store::AuditRow> rows;
  for (int i = 1; i <= n; ++i) {
    store::AuditRow row;
    row.seq = i;
    row.time = At(1700000000000 + i * 1000);
    row.actor = "host/tok_" + std::to_string(i);
    row.action = "test.step";
    row.object = "obj-" + std::to_string(i);
    row.detail = "{\"i\":" + std::to_string(i) + "}";
    row.detail_hash = ComputeDetailHash(row.detail);
    row.prev_hash = rows.empty() ? GenesisHash() : rows.back().hash;
    row.hash = ComputeHash(row);
    rows.push_back(row);
  }
  return rows;
}

// --- ChainVerifier on rows in memory --------------------------------------------------------

TEST(ChainVerifier, AcceptsAGoodChain) {
  const auto rows = MakeChain(5);
  ChainVerifier v;
  for (const auto& row : rows) EXPECT_TRUE(v.Add(row)) << "seq " << row.seq;
  EXPECT_TRUE(v.result().ok());
  EXPECT_EQ(v.result().entries, 5);
  EXPECT_EQ(v.result().head_hash, rows.back().hash);
  EXPECT_EQ(v.result().problem, "");
}

TEST(ChainVerifier, EmptyChainIsOk) {
  ChainVerifier v;
  EXPECT_TRUE(v.result().ok());
  EXPECT_EQ(v.result().entries, 0);
  EXPECT_EQ(v.result().head_hash, "");
}

TEST(ChainVerifier, ReportsTheFirstBrokenEntry) {
  struct Case {
    const char* name;
    std::function<void(std::vector<store::AuditRow>&)> tamper;
    std::int64_t broken_seq;
    const char* problem;  // expected start of VerifyResult::problem
  };
  const Case cases[] = {
      {"first seq is not 1", [](auto& rows) { rows.erase(rows.begin()); }, 1, "seq 1: missing"},
      {"gap", [](auto& rows) { rows.erase(rows.begin() + 2); }, 3, "seq 3: missing"},
      {"repeated entry", [](auto& rows) { rows.insert(rows.begin() + 2, rows[1]); }, 3,
       "seq 3: out of order"},
      {"first prev_hash not genesis", [](auto& rows) { rows[0].prev_hash[0] = '1'; }, 1,
       "seq 1: prev_hash is not the genesis hash"},
      {"prev_hash not linked", [](auto& rows) { rows[3].prev_hash = rows[1].hash; }, 4,
       "seq 4: prev_hash does not match the hash of seq 3"},
      {"detail edited", [](auto& rows) { rows[1].detail = "{\"i\":99}"; }, 2,
       "seq 2: detail_hash does not match its detail"},
      {"object edited", [](auto& rows) { rows[4].object = "other"; }, 5,
       "seq 5: hash does not match its content"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto rows = MakeChain(5);
    c.tamper(rows);
    ChainVerifier v;
    bool all_ok = true;
    for (const auto& row : rows) all_ok = v.Add(row) && all_ok;
    EXPECT_FALSE(all_ok);
    ASSERT_FALSE(v.result().ok());
    EXPECT_EQ(*v.result().broken_seq, c.broken_seq);
    EXPECT_EQ(v.result().problem.rfind(c.problem, 0), 0u) << v.result().problem;
    // The head is the last entry that verified.
    if (c.broken_seq > 1) {
      EXPECT_EQ(v.result().head_hash, MakeChain(5)[c.broken_seq - 2].hash);
    } else {
      EXPECT_EQ(v.result().head_hash, "");
    }
  }
}

TEST(ChainVerifier, IgnoresRowsAfterTheBreak) {
  auto rows = MakeChain(4);
  rows[1].actor = "intruder";
  ChainVerifier v;
  EXPECT_TRUE(v.Add(rows[0]));
  EXPECT_FALSE(v.Add(rows[1]));
  const std::string problem = v.result().problem;
  rows[2].actor = "also-wrong";
  EXPECT_FALSE(v.Add(rows[2]));
  EXPECT_FALSE(v.Add(rows[3]));
  EXPECT_EQ(*v.result().broken_seq, 2);
  EXPECT_EQ(v.result().problem, problem);
}

// --- Verify against a store, tampered under its feet -----------------------------------------

// A raw connection to the database file: what an intruder with the file could do.
class RawDb {
 public:
  explicit RawDb(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << "cannot open " << path;
    }
  }
  ~RawDb() { sqlite3_close(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  void Exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      ADD_FAILURE() << sql << ": " << (err != nullptr ? err : "error");
    }
    sqlite3_free(err);
  }

 private:
  sqlite3* db_ = nullptr;
};

// Writes a chain of `n` entries through audit::Append into a store in `dir`; returns it.
std::vector<store::AuditRow> BuildChain(const std::string& dir, int n) {
  auto opened = store::OpenSqliteStore(dir, store::OpenMode::kCreate);
  EXPECT_TRUE(opened.ok()) << opened.status().ToString();
  if (!opened.ok()) return {};
  std::vector<store::AuditRow> rows;
  const Status s = (*opened)->Write([&](store::Transaction& txn) -> Status {
    for (int i = 1; i <= n; ++i) {
      Event e{"host/tok_" + std::to_string(i % 7), "test.step", "obj-" + std::to_string(i),
              "{\"i\":" + std::to_string(i) + "}"};
      MARKAZ_ASSIGN_OR_RETURN(store::AuditRow row, Append(txn, e, At(1700000000000 + i)));
      rows.push_back(std::move(row));
    }
    return Status::Ok();
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
  return rows;
}

// Opens the store in `dir` afresh (as `markaz audit verify` does) and verifies its chain.
core::Result<VerifyResult> VerifyDir(const std::string& dir) {
  MARKAZ_ASSIGN_OR_RETURN(auto store, store::OpenSqliteStore(dir, store::OpenMode::kMustExist));
  return Verify(*store);
}

// Runs `sql` on the database in `dir` with the append-only triggers dropped first (they guard
// against our bugs, not against someone who holds the file).
void Tamper(const std::string& dir, const std::string& sql) {
  RawDb raw(dir + "/markaz.db");
  raw.Exec("DROP TRIGGER IF EXISTS audit_no_update");
  raw.Exec("DROP TRIGGER IF EXISTS audit_no_delete");
  raw.Exec(sql);
}

class VerifyTest : public ::testing::Test {
 protected:
  std::vector<store::AuditRow> Build(int n) { return BuildChain(dir_.path(), n); }
  core::Result<VerifyResult> VerifyStored() { return VerifyDir(dir_.path()); }

  testutil::TempDir dir_;
};

TEST_F(VerifyTest, GoodChainPasses) {
  const auto rows = Build(6);
  auto result = VerifyStored();
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_TRUE(result->ok()) << result->problem;
  EXPECT_EQ(result->entries, 6);
  EXPECT_EQ(result->head_hash, rows.back().hash);
}

TEST_F(VerifyTest, EmptyChainPasses) {
  Build(0);
  auto result = VerifyStored();
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->ok());
  EXPECT_EQ(result->entries, 0);
}

TEST_F(VerifyTest, WalksChainsLongerThanOnePage) {
  const auto rows = Build(2345);  // pages of 1000: three reads
  auto result = VerifyStored();
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->ok()) << result->problem;
  EXPECT_EQ(result->entries, 2345);
  EXPECT_EQ(result->head_hash, rows.back().hash);
}

TEST_F(VerifyTest, DetectsBreakInALaterPage) {
  Build(1500);
  Tamper(dir_.path(), "UPDATE audit SET action = 'forged' WHERE seq = 1234");
  auto result = VerifyStored();
  ASSERT_TRUE(result.ok());
  ASSERT_FALSE(result->ok());
  EXPECT_EQ(*result->broken_seq, 1234);
}

TEST_F(VerifyTest, DetectsTamperingByRawSql) {
  struct Case {
    const char* name;
    // SQL to run on the database, given the chain as written.
    std::function<std::string(const std::vector<store::AuditRow>&)> sql;
    std::int64_t broken_seq;
    const char* problem;  // a substring of VerifyResult::problem
  };
  const Case cases[] = {
      {"change actor of row 3",
       [](const auto&) { return std::string("UPDATE audit SET actor = 'intruder' WHERE seq = 3"); },
       3, "hash does not match its content"},
      {"change detail of row 2",
       [](const auto&) {
         return std::string("UPDATE audit SET detail = '{\"i\":0}' WHERE seq = 2");
       },
       2, "detail_hash does not match its detail"},
      {"change detail and its hash in row 2",
       [](const auto&) {
         return "UPDATE audit SET detail = '{}', detail_hash = '" + ComputeDetailHash("{}") +
                "' WHERE seq = 2";
       },
       2, "hash does not match its content"},
      {"delete row 4 (gap)",
       [](const auto&) { return std::string("DELETE FROM audit WHERE seq = 4"); }, 4,
       "missing (the next entry has seq 5)"},
      {"swap the hashes of rows 2 and 3",
       [](const auto& rows) {
         return "UPDATE audit SET hash = CASE seq WHEN 2 THEN '" + rows[2].hash + "' ELSE '" +
                rows[1].hash + "' END WHERE seq IN (2, 3)";
       },
       2, "hash does not match its content"},
      {"change prev_hash of row 5",
       [](const auto& rows) {
         return "UPDATE audit SET prev_hash = '" + rows[2].hash + "' WHERE seq = 5";
       },
       5, "prev_hash does not match the hash of seq 4"},
      {"change time of row 1",
       [](const auto&) {
         return std::string("UPDATE audit SET time_ms = time_ms + 1 WHERE seq = 1");
       },
       1, "hash does not match its content"},
      {"rewrite row 3 with a recomputed hash",
       [](const auto& rows) {
         store::AuditRow forged = rows[2];
         forged.actor = "intruder";
         forged.hash = ComputeHash(forged);
         return "UPDATE audit SET actor = 'intruder', hash = '" + forged.hash + "' WHERE seq = 3";
       },
       4, "prev_hash does not match the hash of seq 3"},
      {"renumber row 6",
       [](const auto&) { return std::string("UPDATE audit SET seq = 60 WHERE seq = 6"); }, 6,
       "missing (the next entry has seq 60)"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    testutil::TempDir dir;  // each case starts from its own good chain
    const auto rows = BuildChain(dir.path(), 6);
    ASSERT_EQ(rows.size(), 6u);
    auto before = VerifyDir(dir.path());
    ASSERT_TRUE(before.ok() && before->ok());

    Tamper(dir.path(), c.sql(rows));

    auto result = VerifyDir(dir.path());
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    ASSERT_FALSE(result->ok()) << "tampering went unnoticed";
    EXPECT_EQ(*result->broken_seq, c.broken_seq) << result->problem;
    EXPECT_EQ(result->problem.rfind("seq " + std::to_string(c.broken_seq) + ": ", 0), 0u)
        << result->problem;
    EXPECT_NE(result->problem.find(c.problem), std::string::npos) << result->problem;
    // head_hash is the hash of the last good entry, broken_seq - 1, as it is now stored.
    std::string last_good_hash;
    if (c.broken_seq > 1) {
      auto store = store::OpenSqliteStore(dir.path(), store::OpenMode::kMustExist);
      ASSERT_TRUE(store.ok());
      auto stored = (*store)->ReadAudit(c.broken_seq - 2, 1);
      ASSERT_TRUE(stored.ok() && stored->size() == 1u);
      last_good_hash = (*stored)[0].hash;
    }
    EXPECT_EQ(result->head_hash, last_good_hash);
  }
}

}  // namespace
}  // namespace markaz::audit
