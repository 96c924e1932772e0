// The centre's use cases over a real SQLite store with a manual clock.
#include "centre/centre.h"

#include <gtest/gtest.h>

#include "audit/verify.h"
#include "centre/tokens.h"
#include "store/sqlite/sqlite_store.h"
#include "testutil/temp_dir.h"

namespace markaz::centre {
namespace {

using core::Time;

Time At(const char* rfc3339) { return core::ParseRfc3339(rfc3339).value(); }

core::Charter SmallCharter() {
  core::Charter c;
  c.name = "Unit Centre";
  c.start = At("2015-10-01T00:00:00Z");
  c.rotation_order = {"host", "m2"};
  c.term = core::TermLength::Months(3).value();
  c.members = {{"host", core::OrgKind::kMember, {{"en", "Host"}}, true},
               {"m2", core::OrgKind::kMember, {{"en", "Two"}}, true}};
  c.partners = {{"p1", core::OrgKind::kPartner, {{"en", "Partner"}}, false}};
  return c;
}

class CentreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::OpenSqliteStore(dir_.Sub("data"), store::OpenMode::kCreate);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
    centre_ = std::make_unique<Centre>(*store_, clock_, ids_);
  }

  std::int64_t AuditEntries() {
    auto v = audit::Verify(*store_);
    EXPECT_TRUE(v.ok());
    EXPECT_TRUE(v->ok()) << v->problem;
    return v->entries;
  }

  testutil::TempDir dir_;
  core::ManualClock clock_{At("2015-11-15T12:00:00Z")};
  core::IdGenerator ids_{42};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Centre> centre_;
};

TEST_F(CentreTest, InitStoresTheCharterAndAuditsIt) {
  ASSERT_TRUE(centre_->Init(SmallCharter()).ok());
  EXPECT_EQ(store_->LoadCharter().value(), SmallCharter());
  EXPECT_EQ(AuditEntries(), 1);
  auto rows = store_->ReadAudit(0, 10).value();
  EXPECT_EQ(rows[0].action, "centre.init");
  EXPECT_EQ(rows[0].actor, kLocalActor);
}

TEST_F(CentreTest, InitTwiceIsAConflictAndChangesNothing) {
  ASSERT_TRUE(centre_->Init(SmallCharter()).ok());
  core::Charter other = SmallCharter();
  other.name = "Another";
  core::Status again = centre_->Init(other);
  EXPECT_EQ(again.code(), core::Code::kConflict);
  EXPECT_EQ(again.reason(), "already_initialised");
  EXPECT_EQ(store_->LoadCharter()->name, "Unit Centre");
  EXPECT_EQ(AuditEntries(), 1);
}

TEST_F(CentreTest, InitRefusesAnInvalidCharter) {
  core::Charter bad = SmallCharter();
  bad.rotation_order = {"host", "p1"};
  EXPECT_EQ(centre_->Init(bad).code(), core::Code::kInvalidArgument);
  EXPECT_FALSE(store_->IsInitialised().value());
}

TEST_F(CentreTest, TokensAuthenticateOnlyWithTheirExactSecret) {
  ASSERT_TRUE(centre_->Init(SmallCharter()).ok());
  auto created = centre_->CreateToken(kLocalActor, "m2", core::Role::kReleaser, "desk");
  ASSERT_TRUE(created.ok()) << created.status().ToString();

  auto who = centre_->Authenticate(created->token);
  ASSERT_TRUE(who.ok()) << who.status().ToString();
  EXPECT_EQ(who->org, "m2");
  EXPECT_EQ(who->role, core::Role::kReleaser);
  EXPECT_EQ(who->name, "desk");
  EXPECT_EQ(who->token_id, created->id);

  // Stored only as a hash.
  auto row = store_->FindToken(created->id).value();
  ASSERT_TRUE(row.has_value());
  auto parsed = ParseToken(created->token);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_NE(row->secret_hash, parsed->secret);
  EXPECT_EQ(row->secret_hash, HashSecret(parsed->secret));

  std::string flipped = created->token;
  flipped.back() = flipped.back() == '0' ? '1' : '0';
  for (const std::string& bad : {std::string(), std::string("mkz_"), flipped,
                                 created->token + "0", created->token.substr(1),
                                 std::string("Bearer ") + created->token}) {
    auto r = centre_->Authenticate(bad);
    EXPECT_EQ(r.status().code(), core::Code::kUnauthenticated) << bad;
    EXPECT_EQ(r.status().reason(), "invalid_token") << bad;
  }
  EXPECT_EQ(AuditEntries(), 2);
}

TEST_F(CentreTest, CreateTokenForUnknownOrgIsNotFoundAndWritesNothing) {
  ASSERT_TRUE(centre_->Init(SmallCharter()).ok());
  auto r = centre_->CreateToken(kLocalActor, "ghost", core::Role::kAdmin, "x");
  EXPECT_EQ(r.status().reason(), "unknown_org");
  EXPECT_EQ(AuditEntries(), 1);
}

TEST_F(CentreTest, MeAndCharterFollowTheClock) {
  ASSERT_TRUE(centre_->Init(SmallCharter()).ok());
  auto host = centre_->Authenticate(
      centre_->CreateToken(kLocalActor, "host", core::Role::kAdmin, "a")->token).value();
  auto m2 = centre_->Authenticate(
      centre_->CreateToken(kLocalActor, "m2", core::Role::kAnalyst, "b")->token).value();

  struct {
    const char* now;
    bool host_chairs;
    const char* chair;
    const char* from;
    const char* to;
  } cases[] = {
      {"2015-11-15T12:00:00Z", true, "host", "2015-10-01T00:00:00Z", "2016-01-01T00:00:00Z"},
      {"2015-12-31T23:59:59.999Z", true, "host", "2015-10-01T00:00:00Z", "2016-01-01T00:00:00Z"},
      {"2016-01-01T00:00:00Z", false, "m2", "2016-01-01T00:00:00Z", "2016-04-01T00:00:00Z"},
      {"2016-05-01T00:00:00Z", true, "host", "2016-04-01T00:00:00Z", "2016-07-01T00:00:00Z"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.now);
    clock_.Set(At(c.now));
    EXPECT_EQ(centre_->Me(host)->is_chair, c.host_chairs);
    EXPECT_EQ(centre_->Me(m2)->is_chair, !c.host_chairs);
    auto view = centre_->GetCharter(m2).value();
    ASSERT_TRUE(view.current.has_value());
    EXPECT_EQ(view.current->chair, c.chair);
    EXPECT_EQ(view.current->from, At(c.from));
    EXPECT_EQ(view.current->to, At(c.to));
    ASSERT_EQ(view.next.size(), 4u);
    EXPECT_EQ(view.next[0].from, view.current->to);
    EXPECT_EQ(view.members.size(), 2u);
    EXPECT_EQ(view.partners.size(), 1u);
  }
}

TEST_F(CentreTest, HealthReportsTheAuditHeadRefreshedAtMostOncePerInterval) {
  ASSERT_TRUE(centre_->Init(SmallCharter()).ok());
  ASSERT_TRUE(centre_->CreateToken(kLocalActor, "host", core::Role::kAdmin, "a").ok());
  HealthView h = centre_->Health();
  EXPECT_TRUE(h.store_ok);
  EXPECT_EQ(h.audit_head_seq, 2);

  ASSERT_TRUE(centre_->CreateToken(kLocalActor, "m2", core::Role::kAdmin, "b").ok());
  clock_.Advance(Centre::kHealthRefresh - std::chrono::milliseconds(1));
  EXPECT_EQ(centre_->Health().audit_head_seq, 2) << "read again before the interval passed";
  clock_.Advance(std::chrono::milliseconds(1));
  EXPECT_EQ(centre_->Health().audit_head_seq, 3);
}

}  // namespace
}  // namespace markaz::centre
