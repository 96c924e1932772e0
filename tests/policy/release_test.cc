// Tests for policy/release.h: who may widen (orgs × roles) and what a widening adds under each
// marking. The fixture: members m1 m2 m3 (m3 suspended), partners p1 p2.
#include "policy/release.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace markaz::policy {
namespace {

using core::Audience;
using core::OrgKind;
using core::Role;
using core::Tlp;

const std::vector<OrgState>& Orgs() {
  static const std::vector<OrgState> orgs = {
      {"m1", OrgKind::kMember, true, false}, {"m2", OrgKind::kMember, true, false},
      {"m3", OrgKind::kMember, true, true},  {"p1", OrgKind::kPartner, true, false},
      {"p2", OrgKind::kPartner, false, false},
  };
  return orgs;
}

std::string Join(const Audience& a) {
  std::string s;
  for (const std::string& o : a) s += (s.empty() ? "" : ",") + o;
  return s;
}

TEST(CheckMayRelease, OnlyTheOriginatorsReleasersAndAdmins) {
  struct Case {
    std::string org;
    Role role;
    std::string want;  // "" = ok, else the reason
  };
  const std::vector<Case> cases = {
      {"m1", Role::kAnalyst, "role_may_not_release"}, {"m1", Role::kReleaser, ""},
      {"m1", Role::kAdmin, ""},                       {"m2", Role::kAnalyst, "not_originator"},
      {"m2", Role::kReleaser, "not_originator"},      {"m2", Role::kAdmin, "not_originator"},
      {"p1", Role::kAdmin, "not_originator"},
  };
  for (const Case& c : cases) {
    core::Status s = CheckMayRelease(c.org, c.role, "m1");
    EXPECT_EQ(s.ok() ? "" : s.reason(), c.want) << c.org << " " << core::RoleName(c.role);
    if (!s.ok()) {
      EXPECT_EQ(s.code(), core::Code::kPermissionDenied);
    }
  }
}

TEST(Widen, AddsOnlyWhatTheMarkingAllowsAndNeverNarrows) {
  struct Case {
    Tlp tlp;
    Audience current;
    std::vector<std::string> release_to;
    std::string want;  // "ok <audience> +<added>" or "error <reason>"
  };
  const std::vector<Case> cases = {
      {Tlp::kGreen, {"m1"}, {"m2"}, "ok m1,m2 +m2"},
      {Tlp::kGreen, {"m1", "m2"}, {"m2"}, "ok m1,m2 +"},
      {Tlp::kGreen, {"m1"}, {"all"}, "ok m1,m2,p1,p2 +m2,p1,p2"},  // m3 suspended: skipped
      {Tlp::kGreen, {"m1", "m3"}, {"p1"}, "ok m1,m3,p1 +p1"},  // a suspended reader keeps it
      {Tlp::kAmber, {"m1"}, {"partners"}, "ok m1,p1,p2 +p1,p2"},
      {Tlp::kAmberStrict, {"m1"}, {"members"}, "ok m1,m2 +m2"},
      {Tlp::kAmberStrict, {"m1"}, {"p1"}, "error tlp_amber_strict_partner"},
      {Tlp::kRed, {"m1"}, {"members"}, "error tlp_red_named_only"},
      {Tlp::kRed, {"m1"}, {"p2"}, "ok m1,p2 +p2"},
      {Tlp::kClear, {"m1"}, {"zz"}, "error release_unknown_org"},
      {Tlp::kClear, {"m1"}, {"m3"}, "error release_suspended_org"},
      {Tlp::kClear, {"m1"}, {}, "error empty_release"},
  };
  for (const Case& c : cases) {
    core::Result<Widening> w = Widen("m1", c.tlp, c.current, c.release_to, Orgs());
    const std::string got =
        w.ok() ? "ok " + Join(w->audience) + " +" + Join(w->added) : "error " + w.status().reason();
    EXPECT_EQ(got, c.want) << core::TlpName(c.tlp) << " " << Join(c.current) << " <- "
                           << Join(c.release_to);
  }
}

}  // namespace
}  // namespace markaz::policy
