// The store conformance suite: every back end of store/store.h must pass every test here
// (STYLE.md habit 7). It is a typed suite over a *backend* type that owns the storage (a temp
// directory for SQLite; a private database for PostgreSQL later) and opens Store objects on it:
//
//   struct SomeBackend {
//     // A new Store over this backend's storage; called again after the previous Store is
//     // destroyed, it must see everything that was committed.
//     core::Result<std::unique_ptr<Store>> Open();
//   };
//
// To add a back end: define its backend type and add it to `Backends` below.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/charter.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"
#include "testutil/temp_dir.h"

namespace markaz::store {
namespace {

using core::Status;

class SqliteBackend {
 public:
  core::Result<std::unique_ptr<Store>> Open() {
    return OpenSqliteStore(dir_.Sub("data"), OpenMode::kCreate);
  }

 private:
  testutil::TempDir dir_;
};

core::Time At(std::int64_t ms) { return core::Time(std::chrono::milliseconds(ms)); }

core::OrgEntry Member(std::string id, core::Names names) {
  return core::OrgEntry{std::move(id), core::OrgKind::kMember, std::move(names), true};
}
core::OrgEntry Partner(std::string id, core::Names names, bool may_submit) {
  return core::OrgEntry{std::move(id), core::OrgKind::kPartner, std::move(names), may_submit};
}

// The example charter: four members, host first, two partners.
core::Charter ExampleCharter() {
  core::Charter c;
  c.name = "Joint Information Centre";
  c.start = At(1443657600000);  // 2015-10-01T00:00:00Z
  c.rotation_order = {"host", "north", "east", "west"};
  c.first_chair_index = 0;
  c.term = core::TermLength::Months(3).value();
  c.members = {Member("host", {{"en", "Host State"}, {"ar", "الدولة المضيفة"}}),
               Member("north", {{"en", "Northern Partner State"}}),
               Member("east", {{"en", "Eastern Partner State"}}),
               Member("west", {{"en", "Western Partner State"}})};
  c.partners = {Partner("coalition", {{"en", "Coalition Cell"}, {"ar", "خلية التحالف"}}, true),
                Partner("observer", {{"en", "Observer Agency"}}, false)};
  c.members_quorum = core::Quorum::kUnanimous;
  c.partners_quorum = core::Quorum::kChairMajority;
  return c;
}

// A charter that exercises every field differently from ExampleCharter(): rotation order
// unlike the members' order, a later first chair, a term in days, odd names, no partners,
// other quorums, a start with milliseconds.
core::Charter UnusualCharter() {
  core::Charter c;
  c.name = "Centre \"with\" quotes \\ and\ttabs";
  c.start = At(1700000000123);
  c.members = {
      Member("m-a", {}),
      Member("m-b", {{"ar", "\"اقتباس\" \\ شرطة"}, {"x-ctl", std::string("a\x01\x1f\n", 4)}}),
      Member("m-c", {{"fa", "ایران"}, {"ru", "Россия"}, {"emoji", "🛰"}})};
  c.rotation_order = {"m-c", "m-a", "m-b"};
  c.first_chair_index = 2;
  c.term = core::TermLength::Days(45).value();
  c.members_quorum = core::Quorum::kMajority;
  c.partners_quorum = core::Quorum::kChairUnanimous;
  return c;
}

TokenRow Token(std::string id, std::string org) {
  TokenRow t;
  t.id = std::move(id);
  t.org = std::move(org);
  t.role = core::Role::kReleaser;
  t.name = "ops-laptop";
  t.secret_hash = std::string("\x00\x01\xfe\xff", 4) + std::string(28, '\x7f');
  t.created_at = At(1700000000000);
  return t;
}

// The audit row that follows `last` (content is arbitrary: the store does not check hashes).
AuditRow NextAudit(const std::optional<AuditRow>& last, std::string actor = "local:cli") {
  AuditRow row;
  row.seq = last ? last->seq + 1 : 1;
  row.time = At(1700000000000 + row.seq);
  row.actor = std::move(actor);
  row.action = "test.append";
  row.object = "obj-" + std::to_string(row.seq);
  row.detail = "{\"n\":" + std::to_string(row.seq) + "}";
  row.detail_hash = std::string(64, 'd');
  row.prev_hash = last ? last->hash : std::string(64, '0');
  row.hash = "hash-" + std::to_string(row.seq);
  return row;
}

// Appends one audit row after the current last one, in its own transaction.
Status AppendOne(Store& store, std::string actor = "local:cli") {
  return store.Write([&](Transaction& txn) -> Status {
    MARKAZ_ASSIGN_OR_RETURN(std::optional<AuditRow> last, txn.LastAudit());
    return txn.AppendAudit(NextAudit(last, actor));
  });
}

template <typename Backend>
class StoreConformanceTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }

  // Drops the current Store (if any) and opens a new one over the same storage.
  void Reopen() {
    store_.reset();
    auto opened = backend_.Open();
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
  }

  Store& store() { return *store_; }

  Status PutCharter(const core::Charter& c) {
    return store_->Write([&](Transaction& txn) { return txn.PutCharter(c); });
  }

  std::vector<AuditRow> AllAudit() {
    auto rows = store_->ReadAudit(0, 1 << 20);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    return rows.ok() ? *rows : std::vector<AuditRow>{};
  }

  Backend backend_;
  std::unique_ptr<Store> store_;
};

using Backends = ::testing::Types<SqliteBackend>;
TYPED_TEST_SUITE(StoreConformanceTest, Backends);

// --- charter -------------------------------------------------------------------------------

TYPED_TEST(StoreConformanceTest, NewStoreIsEmpty) {
  auto init = this->store().IsInitialised();
  ASSERT_TRUE(init.ok()) << init.status().ToString();
  EXPECT_FALSE(*init);

  auto charter = this->store().LoadCharter();
  ASSERT_FALSE(charter.ok());
  EXPECT_EQ(charter.status().code(), core::Code::kNotFound);
  EXPECT_EQ(charter.status().reason(), "not_initialised");

  auto orgs = this->store().ListOrgs();
  ASSERT_TRUE(orgs.ok());
  EXPECT_TRUE(orgs->empty());

  auto head = this->store().AuditHead();
  ASSERT_TRUE(head.ok());
  EXPECT_FALSE(head->has_value());

  auto token = this->store().FindToken("tok_nothing");
  ASSERT_TRUE(token.ok());
  EXPECT_FALSE(token->has_value());
}

TYPED_TEST(StoreConformanceTest, CharterRoundTripsExactly) {
  const struct {
    const char* name;
    core::Charter charter;
  } cases[] = {
      {"example", ExampleCharter()},
      {"unusual", UnusualCharter()},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    TypeParam backend;  // fresh storage per case
    {
      auto opened = backend.Open();
      ASSERT_TRUE(opened.ok()) << opened.status().ToString();
      ASSERT_TRUE(
          (*opened)->Write([&](Transaction& txn) { return txn.PutCharter(c.charter); }).ok());
    }
    // A new Store object over the same storage: what it loads comes from the storage.
    auto opened = backend.Open();
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    Store& store = **opened;
    auto init = store.IsInitialised();
    ASSERT_TRUE(init.ok());
    EXPECT_TRUE(*init);

    auto loaded = store.LoadCharter();
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    EXPECT_EQ(*loaded, c.charter);
    // Field by field too, so a failure says which part did not survive.
    EXPECT_EQ(loaded->name, c.charter.name);
    EXPECT_EQ(loaded->start, c.charter.start);
    EXPECT_EQ(loaded->rotation_order, c.charter.rotation_order);
    EXPECT_EQ(loaded->first_chair_index, c.charter.first_chair_index);
    EXPECT_EQ(loaded->term, c.charter.term);
    EXPECT_EQ(loaded->members, c.charter.members);
    EXPECT_EQ(loaded->partners, c.charter.partners);
    EXPECT_EQ(loaded->members_quorum, c.charter.members_quorum);
    EXPECT_EQ(loaded->partners_quorum, c.charter.partners_quorum);
  }
}

TYPED_TEST(StoreConformanceTest, ListOrgsGivesMembersThenPartnersInCharterOrder) {
  const core::Charter charter = ExampleCharter();
  ASSERT_TRUE(this->PutCharter(charter).ok());
  auto orgs = this->store().ListOrgs();
  ASSERT_TRUE(orgs.ok()) << orgs.status().ToString();
  std::vector<OrgRow> expected;
  for (const auto& m : charter.members) expected.push_back(OrgRow{m, false});
  for (const auto& p : charter.partners) expected.push_back(OrgRow{p, false});
  EXPECT_EQ(*orgs, expected);
}

TYPED_TEST(StoreConformanceTest, PutCharterTwiceConflicts) {
  ASSERT_TRUE(this->PutCharter(ExampleCharter()).ok());
  const Status again = this->PutCharter(UnusualCharter());
  EXPECT_EQ(again.code(), core::Code::kConflict);
  EXPECT_EQ(again.reason(), "already_initialised");
  auto loaded = this->store().LoadCharter();
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(*loaded, ExampleCharter()) << "the first charter must stay";
}

TYPED_TEST(StoreConformanceTest, PutCharterRefusesWhatItCannotRepresent) {
  struct Case {
    const char* name;
    void (*mutate)(core::Charter&);
  };
  const Case cases[] = {
      {"member missing from rotation", [](core::Charter& c) { c.rotation_order.pop_back(); }},
      {"rotation names a non-member",
       [](core::Charter& c) { c.rotation_order.back() = "coalition"; }},
      {"member listed twice in rotation",
       [](core::Charter& c) { c.rotation_order.back() = c.rotation_order.front(); }},
      {"first chair outside rotation", [](core::Charter& c) { c.first_chair_index = 4; }},
      {"partner in the members list",
       [](core::Charter& c) { c.members[1].kind = core::OrgKind::kPartner; }},
      {"org id used twice", [](core::Charter& c) { c.partners[1].id = "coalition"; }},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    core::Charter charter = ExampleCharter();
    c.mutate(charter);
    const Status s = this->PutCharter(charter);
    EXPECT_EQ(s.code(), core::Code::kInvalidArgument) << s.ToString();
    auto init = this->store().IsInitialised();
    ASSERT_TRUE(init.ok());
    EXPECT_FALSE(*init);
  }
}

// --- tokens --------------------------------------------------------------------------------

TYPED_TEST(StoreConformanceTest, TokensRoundTrip) {
  ASSERT_TRUE(this->PutCharter(ExampleCharter()).ok());
  TokenRow live = Token("tok_live", "host");
  TokenRow revoked = Token("tok_revoked", "coalition");
  revoked.role = core::Role::kAdmin;
  revoked.revoked_at = At(1700000009999);
  ASSERT_TRUE(this->store()
                  .Write([&](Transaction& txn) -> Status {
                    MARKAZ_RETURN_IF_ERROR(txn.InsertToken(live));
                    return txn.InsertToken(revoked);
                  })
                  .ok());
  this->Reopen();
  for (const TokenRow& want : {live, revoked}) {
    auto got = this->store().FindToken(want.id);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    ASSERT_TRUE(got->has_value()) << want.id;
    EXPECT_EQ(**got, want);
    EXPECT_EQ((*got)->secret_hash.size(), 32u) << "hash bytes, including NULs, must survive";
  }
  auto missing = this->store().FindToken("tok_missing");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
}

TYPED_TEST(StoreConformanceTest, DuplicateTokenIdConflicts) {
  ASSERT_TRUE(this->PutCharter(ExampleCharter()).ok());
  ASSERT_TRUE(this->store()
                  .Write([&](Transaction& txn) { return txn.InsertToken(Token("tok_a", "host")); })
                  .ok());
  TokenRow other = Token("tok_a", "north");
  other.name = "second";
  const Status s = this->store().Write([&](Transaction& txn) { return txn.InsertToken(other); });
  EXPECT_EQ(s.code(), core::Code::kConflict);
  EXPECT_EQ(s.reason(), "token_exists");
  auto got = this->store().FindToken("tok_a");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->org, "host") << "the first token must stay";
}

TYPED_TEST(StoreConformanceTest, TokenForUnknownOrgIsRefused) {
  ASSERT_TRUE(this->PutCharter(ExampleCharter()).ok());
  const Status s = this->store().Write(
      [&](Transaction& txn) { return txn.InsertToken(Token("tok_x", "nobody")); });
  EXPECT_EQ(s.code(), core::Code::kNotFound);
  EXPECT_EQ(s.reason(), "unknown_org");
}

TYPED_TEST(StoreConformanceTest, ConflictInsideWriteLeavesTransactionUsable) {
  // A refused statement refuses only itself: the callback may handle the Conflict and go on.
  ASSERT_TRUE(this->PutCharter(ExampleCharter()).ok());
  ASSERT_TRUE(this->store()
                  .Write([&](Transaction& txn) { return txn.InsertToken(Token("tok_a", "host")); })
                  .ok());
  const Status s = this->store().Write([&](Transaction& txn) -> Status {
    const Status dup = txn.InsertToken(Token("tok_a", "host"));
    if (dup.reason() != "token_exists") return Status::Internal("expected token_exists");
    MARKAZ_RETURN_IF_ERROR(txn.InsertToken(Token("tok_b", "host")));
    MARKAZ_ASSIGN_OR_RETURN(std::optional<AuditRow> last, txn.LastAudit());
    return txn.AppendAudit(NextAudit(last));
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  auto b = this->store().FindToken("tok_b");
  ASSERT_TRUE(b.ok());
  EXPECT_TRUE(b->has_value());
  EXPECT_EQ(this->AllAudit().size(), 1u);
}

// --- audit ---------------------------------------------------------------------------------

TYPED_TEST(StoreConformanceTest, AuditAppendsAndReadsBack) {
  std::vector<AuditRow> appended;
  for (int i = 0; i < 7; ++i) {
    std::optional<AuditRow> last;
    if (!appended.empty()) last = appended.back();
    AuditRow row = NextAudit(last, "org/tok_" + std::to_string(i));
    ASSERT_TRUE(this->store().Write([&](Transaction& txn) { return txn.AppendAudit(row); }).ok());
    appended.push_back(row);
  }
  EXPECT_EQ(this->AllAudit(), appended);
  auto head = this->store().AuditHead();
  ASSERT_TRUE(head.ok() && head->has_value());
  EXPECT_EQ(**head, appended.back());
}

TYPED_TEST(StoreConformanceTest, ReadAuditPages) {
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(AppendOne(this->store()).ok());
  const struct {
    std::int64_t after;
    int limit;
    std::vector<std::int64_t> seqs;
  } cases[] = {
      {0, 3, {1, 2, 3}}, {3, 3, {4, 5, 6}},
      {8, 5, {9, 10}},   {10, 5, {}},
      {42, 5, {}},       {0, 0, {}},
      {-5, 2, {1, 2}},   {0, 1000, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
  };
  for (const auto& c : cases) {
    auto rows = this->store().ReadAudit(c.after, c.limit);
    ASSERT_TRUE(rows.ok()) << rows.status().ToString();
    std::vector<std::int64_t> seqs;
    for (const auto& r : *rows) seqs.push_back(r.seq);
    EXPECT_EQ(seqs, c.seqs) << "after " << c.after << " limit " << c.limit;
  }
}

TYPED_TEST(StoreConformanceTest, AuditSeqMustBeLastPlusOne) {
  const struct {
    const char* name;
    int existing;  // entries already in the chain
    std::int64_t seq;
    bool ok;
  } cases[] = {
      {"first entry is 1", 0, 1, true},
      {"first entry is not 0", 0, 0, false},
      {"first entry is not 2", 0, 2, false},
      {"no repeat", 2, 2, false},
      {"no gap", 2, 4, false},
      {"no going back", 3, 1, false},
      {"next after 3 is 4", 3, 4, true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    TypeParam backend;
    auto opened = backend.Open();
    ASSERT_TRUE(opened.ok());
    Store& store = **opened;
    for (int i = 0; i < c.existing; ++i) ASSERT_TRUE(AppendOne(store).ok());
    AuditRow row = NextAudit(std::nullopt);
    row.seq = c.seq;
    const Status s = store.Write([&](Transaction& txn) { return txn.AppendAudit(row); });
    if (c.ok) {
      EXPECT_TRUE(s.ok()) << s.ToString();
    } else {
      EXPECT_EQ(s.code(), core::Code::kConflict);
      EXPECT_EQ(s.reason(), "audit_seq");
    }
    auto head = store.AuditHead();
    ASSERT_TRUE(head.ok());
    const std::int64_t want_head = c.ok ? c.seq : c.existing;
    EXPECT_EQ(head->has_value() ? (*head)->seq : 0, want_head);
  }
}

TYPED_TEST(StoreConformanceTest, LastAuditSeesAppendsOfItsOwnTransaction) {
  ASSERT_TRUE(AppendOne(this->store()).ok());
  std::vector<std::int64_t> seen;
  const Status s = this->store().Write([&](Transaction& txn) -> Status {
    for (int i = 0; i < 3; ++i) {
      MARKAZ_ASSIGN_OR_RETURN(std::optional<AuditRow> last, txn.LastAudit());
      seen.push_back(last ? last->seq : 0);
      MARKAZ_RETURN_IF_ERROR(txn.AppendAudit(NextAudit(last)));
    }
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(seen, (std::vector<std::int64_t>{1, 2, 3}));
  EXPECT_EQ(this->AllAudit().size(), 4u);
}

// --- transactions --------------------------------------------------------------------------

TYPED_TEST(StoreConformanceTest, FailedWriteRollsBackEverything) {
  const Status refusal = Status::PermissionDenied("test_refusal", "the callback said no");
  const Status s = this->store().Write([&](Transaction& txn) -> Status {
    MARKAZ_RETURN_IF_ERROR(txn.PutCharter(ExampleCharter()));
    MARKAZ_RETURN_IF_ERROR(txn.InsertToken(Token("tok_a", "host")));
    MARKAZ_ASSIGN_OR_RETURN(std::optional<AuditRow> last, txn.LastAudit());
    MARKAZ_RETURN_IF_ERROR(txn.AppendAudit(NextAudit(last)));
    return refusal;
  });
  EXPECT_EQ(s.code(), refusal.code());
  EXPECT_EQ(s.reason(), refusal.reason());
  EXPECT_EQ(s.message(), refusal.message());

  for (int round = 0; round < 2; ++round) {
    SCOPED_TRACE(round == 0 ? "same store" : "after reopening");
    auto init = this->store().IsInitialised();
    ASSERT_TRUE(init.ok());
    EXPECT_FALSE(*init);
    auto orgs = this->store().ListOrgs();
    ASSERT_TRUE(orgs.ok());
    EXPECT_TRUE(orgs->empty());
    auto token = this->store().FindToken("tok_a");
    ASSERT_TRUE(token.ok());
    EXPECT_FALSE(token->has_value());
    auto head = this->store().AuditHead();
    ASSERT_TRUE(head.ok());
    EXPECT_FALSE(head->has_value());
    this->Reopen();
  }
  // The store is still usable after a rollback.
  EXPECT_TRUE(this->PutCharter(ExampleCharter()).ok());
}

TYPED_TEST(StoreConformanceTest, ConcurrentWritersMakeAGapFreeChain) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 50;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        if (!AppendOne(this->store(), "thread-" + std::to_string(t)).ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);

  const std::vector<AuditRow> rows = this->AllAudit();
  ASSERT_EQ(rows.size(), static_cast<std::size_t>(kThreads * kPerThread));
  std::vector<int> per_thread(kThreads, 0);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].seq, static_cast<std::int64_t>(i + 1));
    EXPECT_EQ(rows[i].prev_hash, i == 0 ? std::string(64, '0') : rows[i - 1].hash)
        << "seq " << rows[i].seq << " must link to the row before it";
    ++per_thread[static_cast<std::size_t>(rows[i].actor.back() - '0')];
  }
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(per_thread[t], kPerThread) << "thread " << t;
}

TYPED_TEST(StoreConformanceTest, ReadersSeeOnlyCommittedPrefixesWhileWriting) {
  constexpr int kAppends = 100;
  std::atomic<bool> done{false};
  std::atomic<int> bad_reads{0};
  std::thread reader([&] {
    while (!done.load()) {
      auto rows = this->store().ReadAudit(0, 1 << 20);
      if (!rows.ok()) {
        ++bad_reads;
        continue;
      }
      for (std::size_t i = 0; i < rows->size(); ++i) {
        if ((*rows)[i].seq != static_cast<std::int64_t>(i + 1)) ++bad_reads;
      }
    }
  });
  for (int i = 0; i < kAppends; ++i) {
    // Two entries per transaction: a reader must never see the first without the second.
    ASSERT_TRUE(this->store()
                    .Write([&](Transaction& txn) -> Status {
                      for (int k = 0; k < 2; ++k) {
                        MARKAZ_ASSIGN_OR_RETURN(std::optional<AuditRow> last, txn.LastAudit());
                        MARKAZ_RETURN_IF_ERROR(txn.AppendAudit(NextAudit(last)));
                      }
                      return Status::Ok();
                    })
                    .ok());
    auto head = this->store().AuditHead();
    ASSERT_TRUE(head.ok() && head->has_value());
    EXPECT_EQ((*head)->seq % 2, 0) << "a transaction is visible whole or not at all";
  }
  done = true;
  reader.join();
  EXPECT_EQ(bad_reads.load(), 0);
  EXPECT_EQ(this->AllAudit().size(), 2u * kAppends);
}

TYPED_TEST(StoreConformanceTest, DataSurvivesReopening) {
  const core::Charter charter = UnusualCharter();
  ASSERT_TRUE(this->store()
                  .Write([&](Transaction& txn) -> Status {
                    MARKAZ_RETURN_IF_ERROR(txn.PutCharter(charter));
                    MARKAZ_RETURN_IF_ERROR(txn.InsertToken(Token("tok_a", "m-b")));
                    MARKAZ_ASSIGN_OR_RETURN(std::optional<AuditRow> last, txn.LastAudit());
                    return txn.AppendAudit(NextAudit(last));
                  })
                  .ok());
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(AppendOne(this->store()).ok());
  const std::vector<AuditRow> before = this->AllAudit();
  ASSERT_EQ(before.size(), 5u);

  this->Reopen();

  auto init = this->store().IsInitialised();
  ASSERT_TRUE(init.ok());
  EXPECT_TRUE(*init);
  auto loaded = this->store().LoadCharter();
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(*loaded, charter);
  auto token = this->store().FindToken("tok_a");
  ASSERT_TRUE(token.ok() && token->has_value());
  EXPECT_EQ(**token, Token("tok_a", "m-b"));
  EXPECT_EQ(this->AllAudit(), before);
  // And the chain continues from where it was.
  ASSERT_TRUE(AppendOne(this->store()).ok());
  auto head = this->store().AuditHead();
  ASSERT_TRUE(head.ok() && head->has_value());
  EXPECT_EQ((*head)->seq, 6);
}

}  // namespace
}  // namespace markaz::store
