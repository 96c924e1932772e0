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
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/charter.h"
#include "core/report.h"
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

// A report of `originator` with only a body; the audience is the originator alone.
ReportRow Report(std::string id, std::string originator, std::string body = "body") {
  ReportRow r;
  r.id = std::move(id);
  r.originator = originator;
  r.received_at = At(1700000000000);
  r.input.body = std::move(body);
  r.audience = {std::move(originator)};
  return r;
}

ReportRow WithExternalId(ReportRow r, std::string external_id) {
  r.input.external_id = std::move(external_id);
  return r;
}

// Every optional field present, every field unlike its default.
core::ReportInput FullInput() {
  core::ReportInput in;
  in.title = "Convoy sighted near the border crossing";
  in.body = "Witnesses report a convoy of twelve trucks heading north at dawn.";
  in.lang = "en";
  in.source = core::Source{"Local monitor", "https://example.org/a?b=c&d=\"e\"", 'B', 2};
  in.observed_at = At(1699999000123);
  in.location = core::GeoPoint{33.312805, 44.361488};
  in.tlp = core::Tlp::kAmberStrict;
  in.release_to = {"members", "coalition"};
  in.orcon = true;
  in.tags = {"convoy", "border", "north"};
  in.external_id = "ext-0001";
  return in;
}

// The largest body a report may have, Arabic text in UTF-8.
std::string LargestBody() {
  const std::string chunk = "تقرير عن الوضع في المنطقة. ";
  std::string body;
  while (body.size() + chunk.size() <= core::kMaxBodyBytes) body += chunk;
  return body;
}

struct RoundTripCase {
  std::string name;
  core::ReportInput input;
  core::Audience audience;
  std::string analysis;
};

// Built by a function rather than as a static array: g++ 12 at -O3 warns (falsely) about
// arrays of aggregates holding strings.
std::vector<RoundTripCase> RoundTripCases() {
  std::vector<RoundTripCase> cases;
  auto add = [&](std::string name, auto mutate, core::Audience audience = {"host"},
                 std::string analysis = "") {
    core::ReportInput in;
    in.body = "body";
    mutate(in);
    cases.push_back({std::move(name), std::move(in), std::move(audience), std::move(analysis)});
  };
  add("body only, every optional absent", [](core::ReportInput&) {});
  add(
      "every field present", [](core::ReportInput& in) { in = FullInput(); },
      {"coalition", "east", "host", "north", "west"}, R"({"lang":"en","entities":[]})");
  add("empty strings are not absent", [](core::ReportInput& in) {
    in.title = "";
    in.body = "";
    in.lang = "";
    in.source = core::Source{"", "", std::nullopt, std::nullopt};
    in.external_id = "";
    in.tags = {""};
    in.release_to = {""};
  });
  add("source with reliability only", [](core::ReportInput& in) {
    in.source = core::Source{"name", "", 'F', std::nullopt};
  });
  add("source with credibility only", [](core::ReportInput& in) {
    in.source = core::Source{"", "https://x.test/", std::nullopt, 6};
  });
  add("observed_at without location",
      [](core::ReportInput& in) { in.observed_at = At(-86400000); });  // before the epoch
  add("location without observed_at", [](core::ReportInput& in) {
    in.location = core::GeoPoint{-90, 180};
  });
  add("location at zero", [](core::ReportInput& in) { in.location = core::GeoPoint{0, 0}; });
  add("location with full precision", [](core::ReportInput& in) {
    in.location = core::GeoPoint{0.1 + 0.2, -179.99999999999997};
  });
  for (core::Tlp tlp : {core::Tlp::kClear, core::Tlp::kGreen, core::Tlp::kAmber,
                        core::Tlp::kAmberStrict, core::Tlp::kRed}) {
    add("tlp " + std::string(core::TlpName(tlp)), [tlp](core::ReportInput& in) {
      in.tlp = tlp;
      in.orcon = tlp == core::Tlp::kRed;
    });
  }
  add("tags and release_to keep their order and repeats",
      [](core::ReportInput& in) {
        in.tags = {"zulu", "alpha", "mike", "alpha"};
        in.release_to = {"west", "members", "host", "partners"};
      },
      {"east", "host", "west"});
  add("arabic and other scripts", [](core::ReportInput& in) {
    in.title = "مركز المعلومات المشترك";
    in.body =
        "أفادت مصادر بأن الدول الأربع أنشأت مركزاً مشتركاً. ایران Россия "
        "🛰 "
        "e\u0301";
    in.lang = "ar";
    in.source = core::Source{"وكالة الأنباء", "https://مثال.test/خبر", 'A', 1};
    in.tags = {"بغداد", "تحالف", "🛰"};
    in.external_id = "خبر-١٢٣";
  });
  add(
      "control characters, quotes and backslashes",
      [](core::ReportInput& in) {
        const std::string ctl = "a\x01\x02\x1f\x7f\t\r\n\"q\" \\ \\u0041 /*'--";
        in.title = ctl;
        in.body = ctl + ctl;
        in.lang = ctl;
        in.source = core::Source{ctl, ctl, '\'', std::nullopt};
        in.tags = {ctl, "[", "]", "{\"k\":1}", ","};
        in.release_to = {ctl};
        in.external_id = ctl;
      },
      {"host"}, std::string("{\"x\":\"\\u0000\"}"));
  add("largest body", [](core::ReportInput& in) {
    in.body = LargestBody();
    in.title = std::string(core::kMaxTitleBytes, 't');
  });
  return cases;
}

// Inserts `row` in a transaction of its own; returns its seq.
core::Result<std::int64_t> InsertOne(Store& store, const ReportRow& row) {
  std::int64_t seq = 0;
  MARKAZ_RETURN_IF_ERROR(store.Write([&](Transaction& txn) -> Status {
    MARKAZ_ASSIGN_OR_RETURN(seq, txn.InsertReport(row));
    return Status::Ok();
  }));
  return seq;
}

std::vector<std::int64_t> Seqs(const std::vector<ReportRow>& rows) {
  std::vector<std::int64_t> seqs;
  for (const auto& r : rows) seqs.push_back(r.seq);
  return seqs;
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

  std::optional<ReportRow> Get(const std::string& id) {
    auto row = store_->GetReport(id);
    EXPECT_TRUE(row.ok()) << row.status().ToString();
    return row.ok() ? *row : std::nullopt;
  }

  std::vector<InboxEntry> Inbox(const std::string& org) {
    auto entries = store_->ReadInbox(org, 0, 1 << 20);
    EXPECT_TRUE(entries.ok()) << entries.status().ToString();
    return entries.ok() ? *entries : std::vector<InboxEntry>{};
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

// --- reports -------------------------------------------------------------------------------

TYPED_TEST(StoreConformanceTest, ReportRoundTripsExactly) {
  ASSERT_TRUE(this->PutCharter(ExampleCharter()).ok());
  const std::vector<RoundTripCase> cases = RoundTripCases();
  std::vector<ReportRow> stored;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE(cases[i].name);
    ReportRow row;
    row.id = "rep_" + std::to_string(i);
    row.seq = 999;  // ignored by InsertReport
    row.originator = "host";
    row.received_at = At(1700000000000 + static_cast<std::int64_t>(i) * 1001);
    row.input = cases[i].input;
    row.audience = cases[i].audience;
    row.analysis = cases[i].analysis;
    auto seq = InsertOne(this->store(), row);
    ASSERT_TRUE(seq.ok()) << seq.status().ToString();
    row.seq = *seq;
    stored.push_back(row);
  }
  // Read back from storage, not from anything the first Store object kept.
  this->Reopen();
  for (std::size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE(cases[i].name);
    const ReportRow& want = stored[i];
    const std::optional<ReportRow> got = this->Get(want.id);
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(*got, want);
    // Field by field too, so a failure says which part did not survive.
    EXPECT_EQ(got->input.title, want.input.title);
    EXPECT_EQ(got->input.body, want.input.body);
    EXPECT_EQ(got->input.lang, want.input.lang);
    EXPECT_EQ(got->input.source, want.input.source);
    EXPECT_EQ(got->input.observed_at, want.input.observed_at);
    EXPECT_EQ(got->input.location, want.input.location);
    EXPECT_EQ(got->input.tlp, want.input.tlp);
    EXPECT_EQ(got->input.release_to, want.input.release_to);
    EXPECT_EQ(got->input.orcon, want.input.orcon);
    EXPECT_EQ(got->input.tags, want.input.tags);
    EXPECT_EQ(got->input.external_id, want.input.external_id);
    EXPECT_EQ(got->audience, want.audience);
    EXPECT_EQ(got->analysis, want.analysis);
    if (want.input.external_id) {
      auto by_ext = this->store().FindReportByExternalId("host", *want.input.external_id);
      ASSERT_TRUE(by_ext.ok()) << by_ext.status().ToString();
      ASSERT_TRUE(by_ext->has_value());
      EXPECT_EQ(**by_ext, want);
    }
  }
  auto all = this->store().ReadReports(0, 1000);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_EQ(*all, stored);
  EXPECT_FALSE(this->Get("rep_missing").has_value());
}

TYPED_TEST(StoreConformanceTest, ReportSeqGrowsInCommitOrderAndIsNeverReusedOnceCommitted) {
  ASSERT_TRUE(this->PutCharter(ExampleCharter()).ok());
  std::vector<std::int64_t> committed;
  for (int txn_no = 0; txn_no < 3; ++txn_no) {
    ASSERT_TRUE(this->store()
                    .Write([&](Transaction& txn) -> Status {
                      for (int k = 0; k < 3; ++k) {
                        const std::string id = "rep_" + std::to_string(txn_no * 10 + k);
                        MARKAZ_ASSIGN_OR_RETURN(std::int64_t seq,
                                                txn.InsertReport(Report(id, "host")));
                        committed.push_back(seq);
                      }
                      return Status::Ok();
                    })
                    .ok());
  }
  // A write that inserts and then fails. Its seq was never visible: a back end may hand it out
  // again (SQLite rolls its sequence back with the transaction) or skip it (PostgreSQL
  // sequences); either way the next committed seq is above every committed one.
  std::int64_t rolled_back = 0;
  const Status refused = this->store().Write([&](Transaction& txn) -> Status {
    MARKAZ_ASSIGN_OR_RETURN(rolled_back, txn.InsertReport(Report("rep_gone", "host")));
    return Status::PermissionDenied("test_refusal", "no");
  });
  ASSERT_EQ(refused.reason(), "test_refusal");
  EXPECT_GT(rolled_back, committed.back());
  EXPECT_FALSE(this->Get("rep_gone").has_value());

  auto after_rollback = InsertOne(this->store(), Report("rep_after_rollback", "north"));
  ASSERT_TRUE(after_rollback.ok()) << after_rollback.status().ToString();
  committed.push_back(*after_rollback);
  this->Reopen();
  auto after_reopen = InsertOne(this->store(), Report("rep_after_reopen", "east"));
  ASSERT_TRUE(after_reopen.ok()) << after_reopen.status().ToString();
  committed.push_back(*after_reopen);

  for (std::size_t i = 1; i < committed.size(); ++i) {
    EXPECT_GT(committed[i], committed[i - 1]) << "seq #" << i;
  }
  auto all = this->store().ReadReports(0, 1000);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(Seqs(*all), committed) << "ReadReports gives exactly the committed seqs, in order";
}

TYPED_TEST(StoreConformanceTest, FingerprintsAreStoredOnceBesideTheirReports) {
  ASSERT_TRUE(this->PutCharter(ExampleCharter()).ok());
  // Binary blobs, NUL bytes included, come back byte for byte.
  const std::string blob_a("\x01\x00\xff\x7f" "abc", 7);
  const std::string blob_b(300, '\0');
  std::int64_t seq_a = 0, seq_b = 0;
  ASSERT_TRUE(this->store()
                  .Write([&](Transaction& txn) -> Status {
                    MARKAZ_ASSIGN_OR_RETURN(seq_a, txn.InsertReport(Report("rep_fa", "host")));
                    MARKAZ_RETURN_IF_ERROR(txn.PutFingerprint(seq_a, blob_a));
                    // Read back inside the writing transaction.
                    MARKAZ_ASSIGN_OR_RETURN(std::optional<std::string> got, txn.GetFingerprint(seq_a));
                    EXPECT_EQ(got, blob_a);
                    MARKAZ_ASSIGN_OR_RETURN(std::optional<std::string> none, txn.GetFingerprint(seq_a + 99));
                    EXPECT_FALSE(none.has_value());
                    MARKAZ_ASSIGN_OR_RETURN(seq_b, txn.InsertReport(Report("rep_fb", "north")));
                    Status twice = txn.PutFingerprint(seq_a, blob_b);
                    EXPECT_EQ(twice.reason(), "fingerprint_exists");
                    Status orphan = txn.PutFingerprint(seq_b + 1000, blob_b);
                    EXPECT_EQ(orphan.reason(), "unknown_report");
                    return txn.PutFingerprint(seq_b, blob_b);
                  })
                  .ok());
  // A report without a fingerprint is skipped by ReadFingerprints.
  ASSERT_TRUE(InsertOne(this->store(), Report("rep_fc", "east")).ok());
  // A rolled-back fingerprint is gone with its transaction.
  ASSERT_FALSE(this->store()
                   .Write([&](Transaction& txn) -> Status {
                     MARKAZ_ASSIGN_OR_RETURN(std::int64_t s, txn.InsertReport(Report("rep_fd", "host")));
                     MARKAZ_RETURN_IF_ERROR(txn.PutFingerprint(s, blob_a));
                     return Status::PermissionDenied("test_refusal", "no");
                   })
                   .ok());
  this->Reopen();
  auto all = this->store().ReadFingerprints(0, 10);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0], (FingerprintRow{seq_a, blob_a}));
  EXPECT_EQ((*all)[1], (FingerprintRow{seq_b, blob_b}));
  auto page = this->store().ReadFingerprints(seq_a, 1);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 1u);
  EXPECT_EQ((*page)[0].seq, seq_b);
}

TYPED_TEST(StoreConformanceTest, InsertReportRefusals) {
  ASSERT_TRUE(this->PutCharter(ExampleCharter()).ok());
  ASSERT_TRUE(InsertOne(this->store(), WithExternalId(Report("rep_first", "host"), "x-1")).ok());
  struct Case {
    std::string name;
    ReportRow row;
    core::Code code;
    std::string reason;
  };
  std::vector<Case> cases;
  cases.push_back(
      {"same id", Report("rep_first", "north"), core::Code::kConflict, "report_exists"});
  cases.push_back({"same id and external id", WithExternalId(Report("rep_first", "host"), "x-1"),
                   core::Code::kConflict, "report_exists"});
  cases.push_back({"same originator and external id",
                   WithExternalId(Report("rep_second", "host"), "x-1"), core::Code::kConflict,
                   "duplicate_external_id"});
  cases.push_back(
      {"unknown originator", Report("rep_third", "nobody"), core::Code::kNotFound, "unknown_org"});
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const Status s = this->store().Write([&](Transaction& txn) -> Status {
      auto seq = txn.InsertReport(c.row);
      if (seq.ok()) return Status::Internal("accepted");
      // The refusal leaves the transaction usable: record it and commit something else.
      MARKAZ_ASSIGN_OR_RETURN(std::optional<AuditRow> last, txn.LastAudit());
      MARKAZ_RETURN_IF_ERROR(txn.AppendAudit(NextAudit(last)));
      return seq.status();
    });
    EXPECT_EQ(s.code(), c.code) << s.ToString();
    EXPECT_EQ(s.reason(), c.reason) << s.ToString();
  }
  const std::optional<ReportRow> first = this->Get("rep_first");
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->originator, "host") << "the first report must stay";
  EXPECT_FALSE(this->Get("rep_second").has_value());

  // A refusal handled inside the callback does not stop the rest from committing.
  const Status s = this->store().Write([&](Transaction& txn) -> Status {
    const auto dup = txn.InsertReport(WithExternalId(Report("rep_dup", "host"), "x-1"));
    if (dup.status().reason() != "duplicate_external_id") return Status::Internal("no conflict");
    return txn.InsertReport(Report("rep_ok", "host")).status();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_TRUE(this->Get("rep_ok").has_value());
  EXPECT_FALSE(this->Get("rep_dup").has_value());
}

TYPED_TEST(StoreConformanceTest, ExternalIdIsUniquePerOriginatorOnly) {
  ASSERT_TRUE(this->PutCharter(ExampleCharter()).ok());
  // The same external id from two originators, and any number of reports without one.
  const std::vector<ReportRow> rows = {
      WithExternalId(Report("rep_h", "host"), "shared"),
      WithExternalId(Report("rep_n", "north"), "shared"),
      WithExternalId(Report("rep_c", "coalition"), "shared"),
      Report("rep_a", "host"),
      Report("rep_b", "host"),
      Report("rep_c2", "host"),
  };
  for (const ReportRow& row : rows) {
    auto seq = InsertOne(this->store(), row);
    EXPECT_TRUE(seq.ok()) << row.id << ": " << seq.status().ToString();
  }
  for (const char* org : {"host", "north", "coalition"}) {
    auto found = this->store().FindReportByExternalId(org, "shared");
    ASSERT_TRUE(found.ok()) << found.status().ToString();
    ASSERT_TRUE(found->has_value()) << org;
    EXPECT_EQ((*found)->originator, org);
  }
  auto none = this->store().FindReportByExternalId("east", "shared");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TYPED_TEST(StoreConformanceTest, FindReportByExternalIdInsideAndOutsideTheTransaction) {
  ASSERT_TRUE(this->PutCharter(ExampleCharter()).ok());
  const ReportRow row = WithExternalId(Report("rep_1", "host"), "ext-1");
  std::optional<ReportRow> before_in_txn;
  std::optional<ReportRow> after_in_txn;
  std::optional<ReportRow> outside_during_txn;
  const Status s = this->store().Write([&](Transaction& txn) -> Status {
    MARKAZ_ASSIGN_OR_RETURN(before_in_txn, txn.FindReportByExternalId("host", "ext-1"));
    MARKAZ_ASSIGN_OR_RETURN(std::int64_t seq, txn.InsertReport(row));
    MARKAZ_ASSIGN_OR_RETURN(after_in_txn, txn.FindReportByExternalId("host", "ext-1"));
    if (after_in_txn && after_in_txn->seq != seq) return Status::Internal("wrong seq");
    // The Store sees only committed state.
    MARKAZ_ASSIGN_OR_RETURN(outside_during_txn,
                            this->store().FindReportByExternalId("host", "ext-1"));
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_FALSE(before_in_txn.has_value());
  ASSERT_TRUE(after_in_txn.has_value()) << "a transaction sees its own inserts";
  EXPECT_EQ(after_in_txn->id, "rep_1");
  EXPECT_FALSE(outside_during_txn.has_value()) << "nothing is visible before commit";

  auto outside = this->store().FindReportByExternalId("host", "ext-1");
  ASSERT_TRUE(outside.ok()) << outside.status().ToString();
  ASSERT_TRUE(outside->has_value());
  EXPECT_EQ(**outside, *after_in_txn);
  for (const auto& [org, ext] : std::vector<std::pair<std::string, std::string>>{
           {"north", "ext-1"}, {"host", "ext-2"}, {"host", "EXT-1"}, {"host", ""}}) {
    auto miss = this->store().FindReportByExternalId(org, ext);
    ASSERT_TRUE(miss.ok());
    EXPECT_FALSE(miss->has_value()) << org << "/" << ext;
  }
}

TYPED_TEST(StoreConformanceTest, ReadReportsPagesBySeq) {
  ASSERT_TRUE(this->PutCharter(ExampleCharter()).ok());
  std::vector<std::int64_t> seqs;
  ASSERT_TRUE(this->store()
                  .Write([&](Transaction& txn) -> Status {
                    for (int i = 0; i < 10; ++i) {
                      MARKAZ_ASSIGN_OR_RETURN(
                          std::int64_t seq,
                          txn.InsertReport(Report("rep_" + std::to_string(i), "host")));
                      seqs.push_back(seq);
                    }
                    return Status::Ok();
                  })
                  .ok());
  // Paging from the last seq seen visits every report once, in order.
  std::vector<std::int64_t> visited;
  std::int64_t after = 0;
  for (;;) {
    auto page = this->store().ReadReports(after, 3);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    if (page->empty()) break;
    EXPECT_LE(page->size(), 3u);
    for (const ReportRow& r : *page) visited.push_back(r.seq);
    after = page->back().seq;
  }
  EXPECT_EQ(visited, seqs);
  struct Case {
    std::int64_t after;
    int limit;
    std::size_t want;
  };
  const std::vector<Case> cases = {
      {0, 0, 0},  {0, -1, 0},         {seqs.back(), 10, 0}, {seqs.back() + 100, 10, 0},
      {-5, 2, 2}, {seqs[4], 1000, 5},
  };
  for (const Case& c : cases) {
    auto rows = this->store().ReadReports(c.after, c.limit);
    ASSERT_TRUE(rows.ok());
    EXPECT_EQ(rows->size(), c.want) << "after " << c.after << " limit " << c.limit;
    for (const ReportRow& r : *rows) EXPECT_GT(r.seq, c.after);
  }
}

// --- inboxes -------------------------------------------------------------------------------

TYPED_TEST(StoreConformanceTest, InboxSeqsArePerOrgAndGapFree) {
  ASSERT_TRUE(this->PutCharter(ExampleCharter()).ok());
  std::vector<std::int64_t> host_seqs;
  std::vector<std::int64_t> north_seqs;
  ASSERT_TRUE(this->store()
                  .Write([&](Transaction& txn) -> Status {
                    for (int i = 0; i < 3; ++i) {
                      MARKAZ_ASSIGN_OR_RETURN(
                          std::int64_t h,
                          txn.AppendInbox("host", "report", "rep_" + std::to_string(i), At(i)));
                      host_seqs.push_back(h);
                    }
                    MARKAZ_ASSIGN_OR_RETURN(std::int64_t n,
                                            txn.AppendInbox("north", "product", "prd_1", At(7)));
                    north_seqs.push_back(n);
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_TRUE(this->store()
                  .Write([&](Transaction& txn) -> Status {
                    MARKAZ_ASSIGN_OR_RETURN(std::int64_t n,
                                            txn.AppendInbox("north", "report", "rep_9", At(9)));
                    north_seqs.push_back(n);
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(host_seqs, (std::vector<std::int64_t>{1, 2, 3}));
  EXPECT_EQ(north_seqs, (std::vector<std::int64_t>{1, 2}));
  this->Reopen();
  // No stored report is named: the entries come back without title and marking.
  const std::vector<InboxEntry> want_north = {{"north", 1, "product", "prd_1", At(7), "", "", ""},
                                              {"north", 2, "report", "rep_9", At(9), "", "", ""}};
  EXPECT_EQ(this->Inbox("north"), want_north);
  EXPECT_EQ(this->Inbox("host").size(), 3u);
  for (const auto& [org, head] : std::vector<std::pair<std::string, std::int64_t>>{
           {"host", 3}, {"north", 2}, {"east", 0}, {"nobody", 0}}) {
    auto got = this->store().InboxHead(org);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(*got, head) << org;
  }
  EXPECT_TRUE(this->Inbox("nobody").empty());
}

TYPED_TEST(StoreConformanceTest, InboxForUnknownOrgIsRefused) {
  ASSERT_TRUE(this->PutCharter(ExampleCharter()).ok());
  const Status s = this->store().Write([&](Transaction& txn) -> Status {
    return txn.AppendInbox("nobody", "report", "rep_1", At(1)).status();
  });
  EXPECT_EQ(s.code(), core::Code::kNotFound);
  EXPECT_EQ(s.reason(), "unknown_org");
}

TYPED_TEST(StoreConformanceTest, ReadInboxPages) {
  ASSERT_TRUE(this->PutCharter(ExampleCharter()).ok());
  ASSERT_TRUE(
      this->store()
          .Write([&](Transaction& txn) -> Status {
            for (int i = 1; i <= 10; ++i) {
              // Interleaved with another org's entries, which must not show.
              MARKAZ_RETURN_IF_ERROR(
                  txn.AppendInbox("east", "report", "e" + std::to_string(i), At(i)).status());
              MARKAZ_RETURN_IF_ERROR(
                  txn.AppendInbox("west", "report", "w" + std::to_string(i), At(i)).status());
            }
            return Status::Ok();
          })
          .ok());
  struct Case {
    std::int64_t after;
    int limit;
    std::vector<std::int64_t> seqs;
  };
  const std::vector<Case> cases = {
      {0, 3, {1, 2, 3}}, {3, 3, {4, 5, 6}}, {8, 5, {9, 10}},
      {10, 5, {}},       {42, 5, {}},       {0, 0, {}},
      {-5, 2, {1, 2}},   {0, -1, {}},       {0, 1000, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
  };
  for (const Case& c : cases) {
    auto entries = this->store().ReadInbox("east", c.after, c.limit);
    ASSERT_TRUE(entries.ok()) << entries.status().ToString();
    std::vector<std::int64_t> seqs;
    for (const InboxEntry& e : *entries) {
      seqs.push_back(e.seq);
      EXPECT_EQ(e.org, "east");
      EXPECT_EQ(e.item_id, "e" + std::to_string(e.seq));
      EXPECT_EQ(e.at, At(e.seq));
      EXPECT_EQ(e.kind, "report");
    }
    EXPECT_EQ(seqs, c.seqs) << "after " << c.after << " limit " << c.limit;
  }
}

TYPED_TEST(StoreConformanceTest, ConcurrentWritersKeepEveryInboxGapFree) {
  ASSERT_TRUE(this->PutCharter(ExampleCharter()).ok());
  constexpr int kThreads = 4;
  constexpr int kPerThread = 40;
  const std::vector<std::string> orgs = {"host", "north", "east", "west"};
  std::atomic<int> failures{0};
  std::vector<std::map<std::string, std::vector<std::int64_t>>> seen(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const std::string item = "t" + std::to_string(t) + "-" + std::to_string(i);
        // Every write reaches "host" and the thread's own org, and a third org in turn.
        std::vector<std::string> targets = {"host"};
        if (orgs[static_cast<std::size_t>(t)] != "host")
          targets.push_back(orgs[static_cast<std::size_t>(t)]);
        targets.push_back(orgs[static_cast<std::size_t>(i) % orgs.size()]);
        std::map<std::string, std::vector<std::int64_t>> got;
        const Status s = this->store().Write([&](Transaction& txn) -> Status {
          got.clear();
          for (const std::string& org : targets) {
            MARKAZ_ASSIGN_OR_RETURN(std::int64_t seq, txn.AppendInbox(org, "report", item, At(i)));
            got[org].push_back(seq);
          }
          return Status::Ok();
        });
        if (!s.ok()) {
          ++failures;
          continue;
        }
        for (auto& [org, seqs] : got) {
          seen[static_cast<std::size_t>(t)][org].insert(
              seen[static_cast<std::size_t>(t)][org].end(), seqs.begin(), seqs.end());
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);

  for (const std::string& org : orgs) {
    SCOPED_TRACE(org);
    const std::vector<InboxEntry> entries = this->Inbox(org);
    std::set<std::int64_t> returned;
    for (const auto& per_thread : seen) {
      auto it = per_thread.find(org);
      if (it == per_thread.end()) continue;
      for (std::int64_t seq : it->second) {
        EXPECT_TRUE(returned.insert(seq).second) << "seq " << seq << " handed out twice";
      }
    }
    ASSERT_EQ(returned.size(), entries.size()) << "every returned seq is stored, and only those";
    for (std::size_t i = 0; i < entries.size(); ++i) {
      EXPECT_EQ(entries[i].seq, static_cast<std::int64_t>(i + 1)) << "gap-free";
    }
    auto head = this->store().InboxHead(org);
    ASSERT_TRUE(head.ok());
    EXPECT_EQ(*head, static_cast<std::int64_t>(entries.size()));
  }
  // "host" is in every write, once or (thread 0, and every 4th write) more.
  EXPECT_GE(this->Inbox("host").size(), static_cast<std::size_t>(kThreads * kPerThread));
}

// --- nested savepoints ---------------------------------------------------------------------

// One group-commit item: a report, its inbox entries and its audit entry.
Status WriteItem(Transaction& txn, const ReportRow& row) {
  MARKAZ_ASSIGN_OR_RETURN(std::int64_t seq, txn.InsertReport(row));
  for (const std::string& org : row.audience) {
    MARKAZ_RETURN_IF_ERROR(txn.AppendInbox(org, "report", row.id, row.received_at).status());
  }
  MARKAZ_ASSIGN_OR_RETURN(std::optional<AuditRow> last, txn.LastAudit());
  AuditRow audit = NextAudit(last);
  audit.object = row.id + "@" + std::to_string(seq);
  return txn.AppendAudit(audit);
}

ReportRow ToAll(ReportRow row) {
  row.audience = {"east", "host", "north"};
  return row;
}

TYPED_TEST(StoreConformanceTest, FailedNestedUndoesOnlyItsOwnWrites) {
  ASSERT_TRUE(this->PutCharter(ExampleCharter()).ok());
  const Status item_error = Status::Conflict("test_item", "this item fails after writing");
  Status nested_result;
  const Status s = this->store().Write([&](Transaction& txn) -> Status {
    MARKAZ_RETURN_IF_ERROR(
        txn.Nested([&](Transaction& t) { return WriteItem(t, ToAll(Report("rep_1", "host"))); }));
    nested_result = txn.Nested([&](Transaction& t) -> Status {
      // "west" gets its first inbox entry of the transaction here, and loses it.
      ReportRow two = ToAll(Report("rep_2", "north"));
      two.audience.push_back("west");
      MARKAZ_RETURN_IF_ERROR(WriteItem(t, two));
      return item_error;  // everything above is undone, audit entry included
    });
    ReportRow three = ToAll(Report("rep_3", "east"));
    three.audience.push_back("west");
    return txn.Nested([&](Transaction& t) { return WriteItem(t, three); });
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(nested_result.code(), item_error.code());
  EXPECT_EQ(nested_result.reason(), item_error.reason());

  EXPECT_TRUE(this->Get("rep_1").has_value());
  EXPECT_FALSE(this->Get("rep_2").has_value());
  EXPECT_TRUE(this->Get("rep_3").has_value());
  const std::vector<AuditRow> audit = this->AllAudit();
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[0].seq, 1);
  EXPECT_EQ(audit[1].seq, 2) << "the chain stays gap-free";
  EXPECT_EQ(audit[1].prev_hash, audit[0].hash);
  EXPECT_EQ(audit[1].object.substr(0, 6), "rep_3@");
  for (const char* org : {"east", "host", "north"}) {
    SCOPED_TRACE(org);
    const std::vector<InboxEntry> entries = this->Inbox(org);
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_EQ(entries[0].item_id, "rep_1");
    EXPECT_EQ(entries[1].item_id, "rep_3");
    EXPECT_EQ(entries[1].seq, 2) << "gap-free";
  }
  const std::vector<InboxEntry> west = this->Inbox("west");
  ASSERT_EQ(west.size(), 1u);
  EXPECT_EQ(west[0].item_id, "rep_3");
  EXPECT_EQ(west[0].seq, 1) << "the undone entry's seq is handed out again";
  auto reports = this->store().ReadReports(0, 100);
  ASSERT_TRUE(reports.ok());
  ASSERT_EQ(reports->size(), 2u);
  EXPECT_LT((*reports)[0].seq, (*reports)[1].seq);
}

TYPED_TEST(StoreConformanceTest, NestedRefusalFromTheStoreIsContained) {
  // What group commit meets in practice: an item refused by the store itself after it has
  // written something (here an inbox entry for an org that does not exist).
  ASSERT_TRUE(this->PutCharter(ExampleCharter()).ok());
  std::vector<Status> results;
  const Status s = this->store().Write([&](Transaction& txn) -> Status {
    ReportRow bad = Report("rep_bad", "host");
    bad.audience = {"host", "nobody"};
    results.push_back(
        txn.Nested([&](Transaction& t) { return WriteItem(t, Report("rep_a", "host")); }));
    results.push_back(txn.Nested([&](Transaction& t) { return WriteItem(t, bad); }));
    results.push_back(txn.Nested([&](Transaction& t) {
      return WriteItem(t, WithExternalId(Report("rep_b", "host"), "dup"));
    }));
    results.push_back(txn.Nested([&](Transaction& t) {
      return WriteItem(t, WithExternalId(Report("rep_c", "host"), "dup"));
    }));
    results.push_back(
        txn.Nested([&](Transaction& t) { return WriteItem(t, Report("rep_d", "host")); }));
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_EQ(results.size(), 5u);
  EXPECT_TRUE(results[0].ok());
  EXPECT_EQ(results[1].reason(), "unknown_org");
  EXPECT_TRUE(results[2].ok());
  EXPECT_EQ(results[3].reason(), "duplicate_external_id");
  EXPECT_TRUE(results[4].ok());
  for (const char* id : {"rep_a", "rep_b", "rep_d"}) EXPECT_TRUE(this->Get(id).has_value()) << id;
  for (const char* id : {"rep_bad", "rep_c"}) EXPECT_FALSE(this->Get(id).has_value()) << id;
  std::vector<std::string> host;
  for (const InboxEntry& e : this->Inbox("host")) host.push_back(e.item_id);
  EXPECT_EQ(host, (std::vector<std::string>{"rep_a", "rep_b", "rep_d"}));
  EXPECT_EQ(this->AllAudit().size(), 3u);
}

TYPED_TEST(StoreConformanceTest, SuccessfulNestedKeepsItsWritesAndNestsFurther) {
  ASSERT_TRUE(this->PutCharter(ExampleCharter()).ok());
  Status inner;
  const Status s = this->store().Write([&](Transaction& txn) -> Status {
    return txn.Nested([&](Transaction& t) -> Status {
      MARKAZ_RETURN_IF_ERROR(WriteItem(t, Report("rep_outer", "host")));
      inner = t.Nested([&](Transaction& t2) -> Status {
        MARKAZ_RETURN_IF_ERROR(WriteItem(t2, Report("rep_inner", "host")));
        return Status::PermissionDenied("inner_refusal", "no");
      });
      MARKAZ_RETURN_IF_ERROR(
          t.Nested([&](Transaction& t2) { return WriteItem(t2, Report("rep_inner_ok", "host")); }));
      return Status::Ok();
    });
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(inner.reason(), "inner_refusal");
  EXPECT_TRUE(this->Get("rep_outer").has_value());
  EXPECT_FALSE(this->Get("rep_inner").has_value());
  EXPECT_TRUE(this->Get("rep_inner_ok").has_value());
  const std::vector<AuditRow> audit = this->AllAudit();
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[1].seq, 2);
  auto head = this->store().InboxHead("host");
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(*head, 2);
}

TYPED_TEST(StoreConformanceTest, FailedWriteDiscardsSuccessfulNestedWrites) {
  ASSERT_TRUE(this->PutCharter(ExampleCharter()).ok());
  const Status s = this->store().Write([&](Transaction& txn) -> Status {
    MARKAZ_RETURN_IF_ERROR(txn.Nested([&](Transaction& t) {
      return WriteItem(t, WithExternalId(Report("rep_1", "host"), "e1"));
    }));
    return Status::PermissionDenied("test_refusal", "the batch fails");
  });
  EXPECT_EQ(s.reason(), "test_refusal");
  EXPECT_FALSE(this->Get("rep_1").has_value());
  auto by_ext = this->store().FindReportByExternalId("host", "e1");
  ASSERT_TRUE(by_ext.ok());
  EXPECT_FALSE(by_ext->has_value());
  EXPECT_TRUE(this->Inbox("host").empty());
  EXPECT_TRUE(this->AllAudit().empty());
  // And the next write starts from a clean slate.
  ASSERT_TRUE(this->store()
                  .Write([&](Transaction& txn) {
                    return txn.Nested([&](Transaction& t) {
                      return WriteItem(t, WithExternalId(Report("rep_1", "host"), "e1"));
                    });
                  })
                  .ok());
  EXPECT_EQ(this->Inbox("host").size(), 1u);
  EXPECT_EQ(this->AllAudit().size(), 1u);
}


// --- distribution (issue 7) ----------------------------------------------------------------

TYPED_TEST(StoreConformanceTest, WidenAudienceAddsLogsAndNeverNarrows) {
  ASSERT_TRUE(this->PutCharter(ExampleCharter()).ok());
  ASSERT_TRUE(InsertOne(this->store(), Report("rep_1", "host")).ok());
  auto widen = [&](const core::Audience& orgs) -> core::Result<WideningRow> {
    core::Result<WideningRow> out = Status::Internal("not run");
    Status s = this->store().Write([&](Transaction& txn) -> Status {
      out = txn.WidenAudience("rep_1", orgs, At(1700000005000));
      return out.status();
    });
    if (!s.ok() && out.ok()) return s;
    return out;
  };
  core::Result<WideningRow> first = widen({"north", "host", "north"});
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->added, core::Audience({"north"}));
  EXPECT_EQ(first->report_id, "rep_1");
  EXPECT_EQ(this->Get("rep_1")->audience, core::Audience({"host", "north"}));

  EXPECT_EQ(widen({"north"}).status().reason(), "nothing_added");
  EXPECT_EQ(widen({"east", "nobody"}).status().reason(), "unknown_org");
  EXPECT_EQ(this->Get("rep_1")->audience, core::Audience({"host", "north"})) << "refusals change nothing";
  Status unknown = this->store().Write([&](Transaction& txn) {
    return txn.WidenAudience("rep_none", {"east"}, At(1)).status();
  });
  EXPECT_EQ(unknown.reason(), "unknown_report");

  ASSERT_TRUE(widen({"west", "east"}).ok());
  this->Reopen();
  EXPECT_EQ(this->Get("rep_1")->audience, core::Audience({"east", "host", "north", "west"}));
  auto log = this->store().ReadWidenings(0, 10);
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 2u);
  EXPECT_EQ((*log)[0].added, core::Audience({"north"}));
  EXPECT_EQ((*log)[1].added, core::Audience({"east", "west"}));
  EXPECT_LT((*log)[0].id, (*log)[1].id);
  EXPECT_EQ((*log)[1].report_seq, this->Get("rep_1")->seq);
  auto rest = this->store().ReadWidenings((*log)[0].id, 10);
  ASSERT_TRUE(rest.ok());
  ASSERT_EQ(rest->size(), 1u);
  EXPECT_EQ((*rest)[0].id, (*log)[1].id);
}

TYPED_TEST(StoreConformanceTest, InboxEntriesCarryRefAndTheirReportsTitleAndMarking) {
  ASSERT_TRUE(this->PutCharter(ExampleCharter()).ok());
  ReportRow report = Report("rep_1", "host");
  report.input.title = "عنوان التقرير";
  report.input.tlp = core::Tlp::kAmberStrict;
  ASSERT_TRUE(InsertOne(this->store(), report).ok());
  Status s = this->store().Write([&](Transaction& txn) -> Status {
    MARKAZ_RETURN_IF_ERROR(txn.AppendInbox("host", "report", "rep_1", At(1)).status());
    MARKAZ_RETURN_IF_ERROR(txn.AppendInbox("host", "release", "rrq_1", At(2), "rep_1").status());
    return txn.AppendInbox("host", "product", "prd_unknown", At(3)).status();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  const std::vector<InboxEntry> entries = this->Inbox("host");
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].title, "عنوان التقرير");
  EXPECT_EQ(entries[0].tlp, "amber+strict");
  EXPECT_EQ(entries[0].ref, "");
  EXPECT_EQ(entries[1].kind, "release");
  EXPECT_EQ(entries[1].item_id, "rrq_1");
  EXPECT_EQ(entries[1].ref, "rep_1");
  EXPECT_EQ(entries[1].title, "عنوان التقرير") << "a release entry is titled by its report";
  EXPECT_EQ(entries[2].title, "") << "no stored report: no title";
  EXPECT_EQ(entries[2].tlp, "");
}

TYPED_TEST(StoreConformanceTest, ReleaseRequestsRoundTripAndAreDecidedOnce) {
  ASSERT_TRUE(this->PutCharter(ExampleCharter()).ok());
  ASSERT_TRUE(InsertOne(this->store(), Report("rep_1", "host")).ok());
  ReleaseRequestRow row;
  row.id = "rrq_1";
  row.report_id = "rep_1";
  row.requester_org = "north";
  row.requester = "north/tok_x";
  row.to = {"coalition", "members"};
  row.reason = "\"why\" \\ لماذا";
  row.created_at = At(1700000001000);
  auto write = [&](const std::function<Status(Transaction&)>& fn) {
    return this->store().Write(fn);
  };
  ASSERT_TRUE(write([&](Transaction& txn) { return txn.InsertReleaseRequest(row); }).ok());
  EXPECT_EQ(write([&](Transaction& txn) { return txn.InsertReleaseRequest(row); }).reason(),
            "request_exists");
  ReleaseRequestRow orphan = row;
  orphan.id = "rrq_2";
  orphan.report_id = "rep_none";
  EXPECT_EQ(write([&](Transaction& txn) { return txn.InsertReleaseRequest(orphan); }).reason(),
            "unknown_report");
  auto got = this->store().GetReleaseRequest("rrq_1");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ(**got, row);

  EXPECT_EQ(write([&](Transaction& txn) {
              return txn.DecideReleaseRequest("rrq_1", RequestState::kPending, At(5), "x", "");
            }).code(),
            core::Code::kInvalidArgument);
  ASSERT_TRUE(write([&](Transaction& txn) {
                return txn.DecideReleaseRequest("rrq_1", RequestState::kApproved, At(5),
                                                "host/tok_y", "ok");
              }).ok());
  EXPECT_EQ(write([&](Transaction& txn) {
              return txn.DecideReleaseRequest("rrq_1", RequestState::kDenied, At(6), "host/tok_y",
                                              "");
            }).reason(),
            "request_decided");
  EXPECT_EQ(write([&](Transaction& txn) {
              return txn.DecideReleaseRequest("rrq_9", RequestState::kDenied, At(6), "h", "");
            }).reason(),
            "unknown_request");
  this->Reopen();
  auto listed = this->store().ListReleaseRequests("rep_1");
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  ReleaseRequestRow want = row;
  want.state = RequestState::kApproved;
  want.decided_at = At(5);
  want.decided_by = "host/tok_y";
  want.note = "ok";
  EXPECT_EQ((*listed)[0], want);
  auto none = this->store().GetReleaseRequest("rrq_9");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TYPED_TEST(StoreConformanceTest, WebhooksRoundTripTheirProgressAndATrimmedLog) {
  ASSERT_TRUE(this->PutCharter(ExampleCharter()).ok());
  WebhookRow hook;
  hook.id = "whk_1";
  hook.org = "north";
  hook.url = "https://siem.north.example/markaz";
  hook.secret = "s3cret-s3cret-s3cret";
  hook.created_by = "north/tok_a";
  hook.created_at = At(1700000000000);
  hook.cursor = 7;
  auto write = [&](const std::function<Status(Transaction&)>& fn) {
    return this->store().Write(fn);
  };
  ASSERT_TRUE(write([&](Transaction& txn) { return txn.InsertWebhook(hook); }).ok());
  EXPECT_EQ(write([&](Transaction& txn) { return txn.InsertWebhook(hook); }).reason(),
            "webhook_exists");
  WebhookRow stray = hook;
  stray.id = "whk_2";
  stray.org = "nobody";
  EXPECT_EQ(write([&](Transaction& txn) { return txn.InsertWebhook(stray); }).reason(),
            "unknown_org");
  WebhookRow other = hook;
  other.id = "whk_3";
  other.org = "east";
  other.created_at = At(1700000000001);
  ASSERT_TRUE(write([&](Transaction& txn) { return txn.InsertWebhook(other); }).ok());

  EXPECT_EQ(this->store().ListWebhooks("north").value(), std::vector<WebhookRow>({hook}));
  EXPECT_EQ(this->store().ListWebhooks("").value(), std::vector<WebhookRow>({hook, other}));
  ASSERT_TRUE(write([&](Transaction& txn) { return txn.SetWebhookEnabled("whk_1", false); }).ok());
  EXPECT_EQ(write([&](Transaction& txn) { return txn.SetWebhookEnabled("whk_9", false); }).reason(),
            "unknown_webhook");
  EXPECT_FALSE(this->store().GetWebhook("whk_1").value()->enabled);

  // Progress: the cursor only moves forward; the log keeps the newest kDeliveryLogSize.
  std::vector<DeliveryRow> batch;
  for (int i = 1; i <= Store::kDeliveryLogSize + 5; ++i) {
    batch.push_back(DeliveryRow{"whk_1", i, 1, At(i), i % 7 == 0 ? 500 : 200,
                                i % 7 == 0 ? "HTTP 500" : "", 3});
  }
  ASSERT_TRUE(this->store().SaveWebhookProgress("whk_1", 20, At(9), true, "HTTP 500",
                                                 std::vector<DeliveryRow>(batch.begin(), batch.begin() + 10)).ok());
  ASSERT_TRUE(this->store().SaveWebhookProgress("whk_1", 12, std::nullopt, false, "",
                                                 std::vector<DeliveryRow>(batch.begin() + 10, batch.end())).ok());
  this->Reopen();
  std::optional<WebhookRow> saved = this->store().GetWebhook("whk_1").value();
  ASSERT_TRUE(saved.has_value());
  EXPECT_EQ(saved->cursor, 20) << "never back";
  EXPECT_FALSE(saved->failing);
  EXPECT_FALSE(saved->failing_since.has_value());
  EXPECT_EQ(saved->last_error, "");
  std::vector<DeliveryRow> log = this->store().ReadDeliveries("whk_1", 1 << 20).value();
  ASSERT_EQ(log.size(), static_cast<std::size_t>(Store::kDeliveryLogSize));
  EXPECT_EQ(log.front(), batch.back()) << "newest first";
  EXPECT_EQ(log.back().seq, 6) << "the oldest five were trimmed";
  EXPECT_EQ(this->store().ReadDeliveries("whk_1", 3).value().size(), 3u);
  EXPECT_TRUE(this->store().ReadDeliveries("whk_3", 10).value().empty());

  ASSERT_TRUE(write([&](Transaction& txn) { return txn.DeleteWebhook("whk_1"); }).ok());
  EXPECT_EQ(write([&](Transaction& txn) { return txn.DeleteWebhook("whk_1"); }).reason(),
            "unknown_webhook");
  EXPECT_FALSE(this->store().GetWebhook("whk_1").value().has_value());
  EXPECT_TRUE(this->store().ReadDeliveries("whk_1", 10).value().empty());
  EXPECT_TRUE(this->store().SaveWebhookProgress("whk_1", 30, std::nullopt, false, "", batch).ok())
      << "a webhook deleted meanwhile is skipped";
  EXPECT_TRUE(this->store().ReadDeliveries("whk_1", 10).value().empty());
}

}  // namespace
}  // namespace markaz::store
