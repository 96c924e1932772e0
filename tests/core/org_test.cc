// Tests for core/org.h (org ids, kinds, roles) and, as the other half of the access-decision
// value types, core/tlp.h (markings).
#include "core/org.h"

#include <string>

#include <gtest/gtest.h>

#include "core/tlp.h"

namespace markaz::core {
namespace {

TEST(IsValidOrgId, AcceptsShortLowerCaseSlugs) {
  struct Case {
    std::string id;
    bool valid;
  } cases[] = {
      {"host", true},
      {"m2", true},
      {"ab", true},                                  // shortest
      {std::string(32, 'a'), true},                  // longest
      {"north-east", true},
      {"a-b-c", true},
      {"2015", true},
      {"a", false},                                  // too short
      {"", false},
      {std::string(33, 'a'), false},                 // too long
      {"-host", false},                              // leading '-'
      {"host-", false},                              // trailing '-'
      {"Host", false},                               // upper case
      {"host_1", false},                             // underscore
      {"ho st", false},                              // space
      {"hôst", false},                               // non-ASCII
      {"دولة", false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.id);
    EXPECT_EQ(IsValidOrgId(c.id), c.valid);
  }
}

TEST(OrgKindName, NamesBothKinds) {
  EXPECT_EQ(OrgKindName(OrgKind::kMember), "member");
  EXPECT_EQ(OrgKindName(OrgKind::kPartner), "partner");
}

TEST(Role, NamesParseBack) {
  struct Case {
    Role role;
    std::string name;
  } cases[] = {
      {Role::kAnalyst, "analyst"},
      {Role::kReleaser, "releaser"},
      {Role::kAdmin, "admin"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(RoleName(c.role), c.name);
    ASSERT_TRUE(ParseRole(c.name).has_value());
    EXPECT_EQ(*ParseRole(c.name), c.role);
  }
}

TEST(Role, ParseIsExact) {
  for (const char* bad : {"", "Admin", "ADMIN", " admin", "admin ", "chair", "root"}) {
    SCOPED_TRACE(bad);
    EXPECT_FALSE(ParseRole(bad).has_value());
  }
}

TEST(Role, AtLeastFollowsTheHierarchy) {
  struct Case {
    Role have;
    Role need;
    bool ok;
  } cases[] = {
      {Role::kAnalyst, Role::kAnalyst, true},   {Role::kAnalyst, Role::kReleaser, false},
      {Role::kAnalyst, Role::kAdmin, false},    {Role::kReleaser, Role::kAnalyst, true},
      {Role::kReleaser, Role::kReleaser, true}, {Role::kReleaser, Role::kAdmin, false},
      {Role::kAdmin, Role::kAnalyst, true},     {Role::kAdmin, Role::kReleaser, true},
      {Role::kAdmin, Role::kAdmin, true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(RoleName(c.have)) + " vs " + std::string(RoleName(c.need)));
    EXPECT_EQ(RoleAtLeast(c.have, c.need), c.ok);
  }
}

TEST(Tlp, NamesParseBackAndOrderByStrictness) {
  struct Case {
    Tlp tlp;
    std::string name;
  } cases[] = {
      {Tlp::kClear, "clear"},
      {Tlp::kGreen, "green"},
      {Tlp::kAmber, "amber"},
      {Tlp::kAmberStrict, "amber+strict"},
      {Tlp::kRed, "red"},
  };
  for (std::size_t i = 0; i < std::size(cases); ++i) {
    const auto& c = cases[i];
    EXPECT_EQ(TlpName(c.tlp), c.name);
    ASSERT_TRUE(ParseTlp(c.name).has_value());
    EXPECT_EQ(*ParseTlp(c.name), c.tlp);
    if (i > 0) {
      EXPECT_LT(cases[i - 1].tlp, c.tlp) << c.name << " must be stricter";
    }
  }
}

TEST(Tlp, ParseIsExact) {
  for (const char* bad : {"", "white", "RED", "Amber", "amber-strict", "amber strict", "tlp:red"}) {
    SCOPED_TRACE(bad);
    EXPECT_FALSE(ParseTlp(bad).has_value());
  }
}

}  // namespace
}  // namespace markaz::core
