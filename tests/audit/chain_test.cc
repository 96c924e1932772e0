// Tests for audit/chain.h: the hash of an entry (against the worked example in
// docs/audit-format.md) and Append inside a store transaction.
#include "audit/chain.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/charter.h"
#include "crypto/hash.h"
#include "store/sqlite/sqlite_store.h"
#include "testutil/temp_dir.h"

namespace markaz::audit {
namespace {

using core::Status;

core::Time At(std::int64_t ms) { return core::Time(std::chrono::milliseconds(ms)); }

// The two entries of the worked example in docs/audit-format.md.
store::AuditRow ExampleEntry1() {
  store::AuditRow row;
  row.seq = 1;
  row.time = At(1443657600000);  // 2015-10-01T00:00:00Z
  row.actor = "local:cli";
  row.action = "centre.init";
  row.object = "centre";
  row.detail = R"({"name":"Joint Information Centre"})";
  row.detail_hash = ComputeDetailHash(row.detail);
  row.prev_hash = GenesisHash();
  row.hash = ComputeHash(row);
  return row;
}

store::AuditRow ExampleEntry2() {
  store::AuditRow row;
  row.seq = 2;
  row.time = At(1443657605250);  // 2015-10-01T00:00:05.250Z
  row.actor = "host/tok_01JDX3Q4S9W8V7T6R5P4N3M2K1";
  row.action = "token.create";
  row.object = "tok_01JDX3Q4S9W8V7T6R5P4N3M2K1";
  row.detail = R"({"name":"ops","org":"host","role":"admin"})";
  row.detail_hash = ComputeDetailHash(row.detail);
  row.prev_hash = ExampleEntry1().hash;
  row.hash = ComputeHash(row);
  return row;
}

TEST(AuditHash, MatchesTheWorkedExampleInDocs) {
  // These values are pasted in docs/audit-format.md and were also computed independently
  // (Python hashlib) from the byte format described there.
  const store::AuditRow e1 = ExampleEntry1();
  EXPECT_EQ(e1.detail_hash, "7f20e0b8f062a144d461be459a388f75439d891741bee49ab1d3c59809daa175");
  EXPECT_EQ(e1.hash, "39a4debe23eee72023a8b4933306e356c328de554cd7aaa0a5f2d1707ce9b0a9");
  const store::AuditRow e2 = ExampleEntry2();
  EXPECT_EQ(e2.detail_hash, "d57598999d6a6af7fdfcd4fe240fa3cd8ae2226df668684078a13f3aab230b43");
  EXPECT_EQ(e2.hash, "fa0bff9f5af398698ab54ebdb7947faad7de1d5eff870b889d6a50a075d24775");
}

TEST(AuditHash, GenesisIsSixtyFourZeros) { EXPECT_EQ(GenesisHash(), std::string(64, '0')); }

TEST(AuditHash, DetailHashIsHexBlake2b) {
  EXPECT_EQ(ComputeDetailHash("{}"), crypto::ToHex(crypto::Blake2b256("{}")));
  EXPECT_EQ(ComputeDetailHash(""),
            "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
}

TEST(AuditHash, EveryHashedFieldChangesTheHash) {
  struct Case {
    const char* field;
    void (*mutate)(store::AuditRow&);
  };
  const Case cases[] = {
      {"seq", [](store::AuditRow& r) { r.seq = 10; }},
      {"time", [](store::AuditRow& r) { r.time += std::chrono::milliseconds(1); }},
      {"actor", [](store::AuditRow& r) { r.actor = "north/tok_x"; }},
      {"action", [](store::AuditRow& r) { r.action = "centre.nit"; }},
      {"object", [](store::AuditRow& r) { r.object = "centr"; }},
      {"detail_hash", [](store::AuditRow& r) { r.detail_hash[0] = 'f'; }},
      {"prev_hash", [](store::AuditRow& r) { r.prev_hash[63] = '1'; }},
  };
  const std::string original = ComputeHash(ExampleEntry1());
  for (const auto& c : cases) {
    store::AuditRow row = ExampleEntry1();
    c.mutate(row);
    EXPECT_NE(ComputeHash(row), original) << c.field;
  }
}

TEST(AuditHash, DetailEntersOnlyThroughItsHash) {
  // So a reader shown seq and hashes but not the detail can still check the chain (§5).
  store::AuditRow row = ExampleEntry1();
  const std::string original = ComputeHash(row);
  row.detail = "redacted";
  row.hash = "anything";
  EXPECT_EQ(ComputeHash(row), original);
}

TEST(AuditHash, FieldBoundariesAreUnambiguous) {
  // With plain concatenation these pairs would hash the same.
  store::AuditRow a = ExampleEntry1();
  store::AuditRow b = a;
  a.actor = "ab";
  a.action = "c";
  b.actor = "a";
  b.action = "bc";
  EXPECT_NE(ComputeHash(a), ComputeHash(b));
  a = b = ExampleEntry1();
  a.object = "";
  a.action = "centre.initcentre";
  b.object = "centre";
  b.action = "centre.init";
  EXPECT_NE(ComputeHash(a), ComputeHash(b));
}

// --- Append against a real store -----------------------------------------------------------

class AppendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::OpenSqliteStore(dir_.path(), store::OpenMode::kCreate);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
  }

  std::vector<store::AuditRow> All() {
    auto rows = store_->ReadAudit(0, 1000);
    EXPECT_TRUE(rows.ok());
    return rows.ok() ? *rows : std::vector<store::AuditRow>{};
  }

  testutil::TempDir dir_;
  std::unique_ptr<store::Store> store_;
};

Event MakeEvent(std::string action, std::string object) {
  return Event{"local:cli", std::move(action), std::move(object), "{}"};
}

TEST_F(AppendTest, BuildsALinkedChain) {
  std::vector<store::AuditRow> returned;
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(store_
                    ->Write([&](store::Transaction& txn) -> Status {
                      MARKAZ_ASSIGN_OR_RETURN(
                          store::AuditRow row,
                          Append(txn, MakeEvent("test.step", "obj" + std::to_string(i)),
                                 At(1700000000000 + i)));
                      returned.push_back(row);
                      return Status::Ok();
                    })
                    .ok());
  }
  const std::vector<store::AuditRow> stored = All();
  ASSERT_EQ(stored, returned) << "Append returns exactly the row it stored";
  for (std::size_t i = 0; i < stored.size(); ++i) {
    SCOPED_TRACE("entry " + std::to_string(i + 1));
    const store::AuditRow& row = stored[i];
    EXPECT_EQ(row.seq, static_cast<std::int64_t>(i + 1));
    EXPECT_EQ(row.time, At(1700000000000 + static_cast<std::int64_t>(i)));
    EXPECT_EQ(row.object, "obj" + std::to_string(i));
    EXPECT_EQ(row.detail_hash, ComputeDetailHash("{}"));
    EXPECT_EQ(row.prev_hash, i == 0 ? GenesisHash() : stored[i - 1].hash);
    EXPECT_EQ(row.hash, ComputeHash(row));
    EXPECT_EQ(row.hash.size(), 64u);
  }
}

TEST_F(AppendTest, SeveralEntriesInOneTransactionChainTogether) {
  ASSERT_TRUE(store_
                  ->Write([&](store::Transaction& txn) -> Status {
                    for (int i = 0; i < 3; ++i) {
                      MARKAZ_RETURN_IF_ERROR(Append(txn, MakeEvent("a", "b"), At(0)).status());
                    }
                    return Status::Ok();
                  })
                  .ok());
  const auto rows = All();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[2].seq, 3);
  EXPECT_EQ(rows[2].prev_hash, rows[1].hash);
}

core::Charter SmallCharter() {
  core::Charter c;
  c.name = "Test Centre";
  c.start = At(1443657600000);
  c.members = {core::OrgEntry{"host", core::OrgKind::kMember, {{"en", "Host"}}, true},
               core::OrgEntry{"north", core::OrgKind::kMember, {{"en", "North"}}, true}};
  c.rotation_order = {"host", "north"};
  return c;
}

TEST_F(AppendTest, IsCommittedWithTheChangeItRecords) {
  const Status s = store_->Write([&](store::Transaction& txn) -> Status {
    MARKAZ_RETURN_IF_ERROR(txn.PutCharter(SmallCharter()));
    return Append(txn, MakeEvent("centre.init", "centre"), At(1)).status();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  auto init = store_->IsInitialised();
  ASSERT_TRUE(init.ok());
  EXPECT_TRUE(*init);
  const auto rows = All();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].action, "centre.init");
}

TEST_F(AppendTest, RolledBackWriteLeavesNoEntry) {
  ASSERT_TRUE(store_
                  ->Write([&](store::Transaction& txn) {
                    return Append(txn, MakeEvent("first", "x"), At(1)).status();
                  })
                  .ok());
  const Status s = store_->Write([&](store::Transaction& txn) -> Status {
    MARKAZ_RETURN_IF_ERROR(txn.PutCharter(SmallCharter()));
    MARKAZ_RETURN_IF_ERROR(Append(txn, MakeEvent("centre.init", "centre"), At(2)).status());
    return Status::Conflict("test_refusal", "a later step of the change failed");
  });
  EXPECT_EQ(s.reason(), "test_refusal");
  auto init = store_->IsInitialised();
  ASSERT_TRUE(init.ok());
  EXPECT_FALSE(*init) << "the change is rolled back";
  const auto rows = All();
  ASSERT_EQ(rows.size(), 1u) << "and so is its audit entry";
  EXPECT_EQ(rows[0].action, "first");
  // The next entry takes seq 2: the rolled-back one left no hole.
  ASSERT_TRUE(store_
                  ->Write([&](store::Transaction& txn) {
                    return Append(txn, MakeEvent("second", "x"), At(3)).status();
                  })
                  .ok());
  const auto after = All();
  ASSERT_EQ(after.size(), 2u);
  EXPECT_EQ(after[1].seq, 2);
  EXPECT_EQ(after[1].prev_hash, after[0].hash);
}

}  // namespace
}  // namespace markaz::audit
