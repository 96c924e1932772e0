// Tests for policy/audience.h: submission rights, audience expansion under TLP, the read check.
//
// The fixture centre: members m1 m2 m3 (m3 suspended), partners p1 (may submit), p2 (may not),
// p3 (suspended). Members submit as m1, partners as p1.
#include "policy/audience.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace markaz::policy {
namespace {

using core::Audience;
using core::Code;
using core::OrgKind;
using core::Tlp;

const std::vector<OrgState>& Orgs() {
  static const std::vector<OrgState> orgs = {
      {"m1", OrgKind::kMember, true, false},   {"m2", OrgKind::kMember, true, false},
      {"m3", OrgKind::kMember, true, true},    {"p1", OrgKind::kPartner, true, false},
      {"p2", OrgKind::kPartner, false, false}, {"p3", OrgKind::kPartner, true, true},
  };
  return orgs;
}

constexpr Tlp kAllTlps[] = {Tlp::kClear, Tlp::kGreen, Tlp::kAmber, Tlp::kAmberStrict, Tlp::kRed};

// "ok [m1,m2]" or "error tlp_red_named_only": one string so a failing case prints both sides.
std::string Describe(const core::Result<Audience>& r) {
  if (!r.ok()) return "error " + r.status().reason();
  std::string s = "ok [";
  for (std::size_t i = 0; i < r->size(); ++i) s += (i ? "," : "") + (*r)[i];
  return s + "]";
}
std::string Describe(const Audience& a) { return Describe(core::Result<Audience>(a)); }

std::string Join(const std::vector<std::string>& v) {
  std::string s = "[";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + ("\"" + v[i] + "\"");
  return s + "]";
}

// Every release error names the offending entry as `release_to[i]: "entry"`, and that entry
// really is release_to[i].
void ExpectNamesAnEntry(const core::Status& s, const std::vector<std::string>& release_to) {
  const std::string& m = s.message();
  ASSERT_EQ(m.rfind("release_to[", 0), 0u) << m;
  std::size_t close = m.find("]: \"");
  ASSERT_NE(close, std::string::npos) << m;
  std::size_t index = std::stoul(m.substr(11, close - 11));
  ASSERT_LT(index, release_to.size()) << m;
  EXPECT_EQ(m.rfind("release_to[" + std::to_string(index) + "]: \"" + release_to[index] + "\"", 0),
            0u)
      << m;
}

// ---------------------------------------------------------------------------------------------
// The big table: every release_to shape × every TLP × submitter kind.
//
// Each shape states by hand its audience under the open markings (clear, green, amber) for a
// member and a partner submitter, and what amber+strict and red do to it. The loop adds one rule
// of DESIGN.md §2.3: a marking never narrows a request, it lets it through unchanged or refuses
// it. So clear, green and amber always give the same audience, and amber+strict and red give
// either that same audience or an error.
// ---------------------------------------------------------------------------------------------

constexpr const char* kSelf = "$self";  // replaced by the submitter's id

struct Shape {
  const char* name;
  std::vector<std::string> release_to;
  Audience from_member;            // submitter m1, open markings
  Audience from_partner;           // submitter p1, open markings
  std::string error_any;           // refused under every marking (then both audiences are {})
  std::string error_amber_strict;  // "" = amber+strict gives the open audience
  std::string error_red;           // "" = red gives the open audience
};

const std::vector<Shape>& Shapes() {
  static const std::vector<Shape> shapes = {
      {"originator only", {}, {"m1"}, {"p1"}, "", "", ""},
      {"self", {kSelf}, {"m1"}, {"p1"}, "", "", ""},
      {"named member", {"m2"}, {"m1", "m2"}, {"m2", "p1"}, "", "", ""},
      {"named partner", {"p2"}, {"m1", "p2"}, {"p1", "p2"}, "", "tlp_amber_strict_partner", ""},
      {"named suspended member", {"m3"}, {}, {}, "release_suspended_org", "", ""},
      {"named suspended partner", {"p3"}, {}, {}, "release_suspended_org", "", ""},
      {"unknown org", {"p9"}, {}, {}, "release_unknown_org", "", ""},
      {"members", {"members"}, {"m1", "m2"}, {"m1", "m2", "p1"}, "", "", "tlp_red_named_only"},
      {"partners",
       {"partners"},
       {"m1", "p1", "p2"},
       {"p1", "p2"},
       "",
       "tlp_amber_strict_partner",
       "tlp_red_named_only"},
      {"all",
       {"all"},
       {"m1", "m2", "p1", "p2"},
       {"m1", "m2", "p1", "p2"},
       "",
       "tlp_amber_strict_partner",
       "tlp_red_named_only"},
      {"members+partners",
       {"members", "partners"},
       {"m1", "m2", "p1", "p2"},
       {"m1", "m2", "p1", "p2"},
       "",
       "tlp_amber_strict_partner",
       "tlp_red_named_only"},
      {"named partner + members",
       {"p2", "members"},
       {"m1", "m2", "p2"},
       {"m1", "m2", "p1", "p2"},
       "",
       "tlp_amber_strict_partner",
       "tlp_red_named_only"},
      {"named member + partners",
       {"m2", "partners"},
       {"m1", "m2", "p1", "p2"},
       {"m2", "p1", "p2"},
       "",
       "tlp_amber_strict_partner",
       "tlp_red_named_only"},
      {"duplicates with a group",
       {"m2", "m2", kSelf, "members", "m2"},
       {"m1", "m2"},
       {"m1", "m2", "p1"},
       "",
       "",
       "tlp_red_named_only"},
      {"duplicates named only",
       {"p2", "m2", "p2", "m2"},
       {"m1", "m2", "p2"},
       {"m2", "p1", "p2"},
       "",
       "tlp_amber_strict_partner",
       ""},
  };
  return shapes;
}

std::vector<std::string> WithSelf(std::vector<std::string> release_to, const std::string& self) {
  for (std::string& e : release_to) {
    if (e == kSelf) e = self;
  }
  return release_to;
}

TEST(ExpandAudience, EveryShapeUnderEveryMarkingForMemberAndPartner) {
  int cases = 0;
  for (const Shape& shape : Shapes()) {
    for (const bool partner : {false, true}) {
      const std::string submitter = partner ? "p1" : "m1";
      const std::vector<std::string> release_to = WithSelf(shape.release_to, submitter);
      for (Tlp tlp : kAllTlps) {
        SCOPED_TRACE(std::string(shape.name) + " " + Join(release_to) + " from " + submitter +
                     " tlp " + std::string(core::TlpName(tlp)));
        std::string want_error = shape.error_any;
        if (want_error.empty() && tlp == Tlp::kAmberStrict) want_error = shape.error_amber_strict;
        if (want_error.empty() && tlp == Tlp::kRed) want_error = shape.error_red;

        core::Result<Audience> got = ExpandAudience(submitter, tlp, release_to, Orgs());
        ++cases;
        if (!want_error.empty()) {
          ASSERT_EQ(Describe(got), "error " + want_error);
          EXPECT_EQ(got.status().code(), Code::kInvalidArgument);
          ExpectNamesAnEntry(got.status(), release_to);
        } else {
          EXPECT_EQ(Describe(got), Describe(partner ? shape.from_partner : shape.from_member));
        }
      }
    }
  }
  EXPECT_EQ(cases, 150);
}

// Properties every granted audience has, over the same cross product: sorted, unique, holds the
// originator, holds no suspended org, and InAudience agrees with a plain search.
TEST(ExpandAudience, GrantedAudiencesAreSortedUniqueWithOriginatorAndNoSuspendedOrg) {
  for (const Shape& shape : Shapes()) {
    for (const std::string submitter : {"m1", "p1"}) {
      for (Tlp tlp : kAllTlps) {
        const std::vector<std::string> release_to = WithSelf(shape.release_to, submitter);
        core::Result<Audience> got = ExpandAudience(submitter, tlp, release_to, Orgs());
        if (!got.ok()) continue;
        SCOPED_TRACE(std::string(shape.name) + " from " + submitter);
        EXPECT_TRUE(std::is_sorted(got->begin(), got->end()));
        EXPECT_EQ(std::adjacent_find(got->begin(), got->end()), got->end());
        EXPECT_TRUE(InAudience(*got, submitter));
        EXPECT_FALSE(InAudience(*got, "m3"));
        EXPECT_FALSE(InAudience(*got, "p3"));
        for (const OrgState& org : Orgs()) {
          EXPECT_EQ(InAudience(*got, org.id),
                    std::find(got->begin(), got->end(), org.id) != got->end())
              << org.id;
        }
      }
    }
  }
}

// The org list is a set: its order changes nothing.
TEST(ExpandAudience, OrderOfOrgListDoesNotMatter) {
  std::vector<OrgState> reversed(Orgs().rbegin(), Orgs().rend());
  for (const Shape& shape : Shapes()) {
    for (const std::string submitter : {"m1", "p1"}) {
      for (Tlp tlp : kAllTlps) {
        const std::vector<std::string> release_to = WithSelf(shape.release_to, submitter);
        SCOPED_TRACE(std::string(shape.name) + " from " + submitter);
        EXPECT_EQ(Describe(ExpandAudience(submitter, tlp, release_to, reversed)),
                  Describe(ExpandAudience(submitter, tlp, release_to, Orgs())));
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Hand-written rows for the tricky cases, with the exact message where it matters.
// ---------------------------------------------------------------------------------------------

TEST(ExpandAudience, TrickyCases) {
  struct Case {
    const char* why;
    std::string originator;
    Tlp tlp;
    std::vector<std::string> release_to;
    Audience want;       // when reason is empty
    std::string reason;  // expected error reason, or ""
    std::string message; // expected exact message, or "" to skip
  } cases[] = {
      // Refused, not silently narrowed.
      {"all under amber+strict is refused, not narrowed to members", "m1", Tlp::kAmberStrict,
       {"all"}, {}, "tlp_amber_strict_partner",
       "release_to[0]: \"all\" includes partners; amber+strict never goes to partners"},
      {"members+partners under amber+strict is refused at the partners entry", "m1",
       Tlp::kAmberStrict, {"members", "partners"}, {}, "tlp_amber_strict_partner",
       "release_to[1]: \"partners\" includes partners; amber+strict never goes to partners"},
      {"a named partner after a group under amber+strict is named by its index", "m1",
       Tlp::kAmberStrict, {"members", "p1"}, {}, "tlp_amber_strict_partner",
       "release_to[1]: \"p1\" is a partner; amber+strict never goes to partners"},
      {"a partner that may not submit is still a partner for amber+strict", "m1",
       Tlp::kAmberStrict, {"m2", "p2"}, {}, "tlp_amber_strict_partner",
       "release_to[1]: \"p2\" is a partner; amber+strict never goes to partners"},
      {"red after a named entry: the group is the offender", "m1", Tlp::kRed, {"m2", "all"}, {},
       "tlp_red_named_only", "release_to[1]: \"all\" is a group; red goes to named orgs only"},
      {"red with members from a partner", "p1", Tlp::kRed, {"members"}, {}, "tlp_red_named_only",
       "release_to[0]: \"members\" is a group; red goes to named orgs only"},
      {"red with partners: the group rule is reported, whatever the marking's other rules",
       "m1", Tlp::kRed, {"partners"}, {}, "tlp_red_named_only", ""},

      // Partner originators under amber+strict (the documented decision).
      {"partner keeps its own amber+strict item", "p1", Tlp::kAmberStrict, {}, {"p1"}, "", ""},
      {"partner naming itself under amber+strict", "p1", Tlp::kAmberStrict, {"p1"}, {"p1"}, "",
       ""},
      {"partner amber+strict to members, named and grouped", "p1", Tlp::kAmberStrict,
       {"members", "m2"}, {"m1", "m2", "p1"}, "", ""},
      {"partner amber+strict to partners is refused although it is one", "p1", Tlp::kAmberStrict,
       {"partners"}, {}, "tlp_amber_strict_partner",
       "release_to[0]: \"partners\" includes partners; amber+strict never goes to partners"},
      {"partner amber+strict naming another partner", "p1", Tlp::kAmberStrict, {"p1", "p2"}, {},
       "tlp_amber_strict_partner", ""},

      // Red goes to named orgs, partners included.
      {"red to a named partner and member", "m1", Tlp::kRed, {"p2", "m2"}, {"m1", "m2", "p2"}, "",
       ""},
      {"red naming only oneself", "m1", Tlp::kRed, {"m1"}, {"m1"}, "", ""},
      {"red originator only", "m1", Tlp::kRed, {}, {"m1"}, "", ""},

      // Unknown entries.
      {"unknown entry after valid ones names its index", "m1", Tlp::kAmber,
       {"m2", "members", "p9"}, {}, "release_unknown_org",
       "release_to[2]: \"p9\" is not an org of this centre"},
      {"groups are exact, lower case", "m1", Tlp::kGreen, {"Members"}, {}, "release_unknown_org",
       "release_to[0]: \"Members\" is not an org of this centre"},
      {"org ids are exact", "m1", Tlp::kGreen, {"M2"}, {}, "release_unknown_org", ""},
      {"empty entry", "m1", Tlp::kClear, {""}, {}, "release_unknown_org",
       "release_to[0]: \"\" is not an org of this centre"},
      {"unknown under red is still unknown, not a TLP error", "m1", Tlp::kRed, {"members9"}, {},
       "release_unknown_org", ""},

      // Suspended orgs.
      {"named suspended member", "m1", Tlp::kAmber, {"m3"}, {}, "release_suspended_org",
       "release_to[0]: \"m3\" is suspended and receives nothing"},
      {"named suspended partner under amber+strict: suspension is reported first", "m1",
       Tlp::kAmberStrict, {"p3"}, {}, "release_suspended_org",
       "release_to[0]: \"p3\" is suspended and receives nothing"},
      {"suspended orgs reached through all are skipped silently", "m1", Tlp::kGreen, {"all"},
       {"m1", "m2", "p1", "p2"}, "", ""},
      {"a partner that may not submit still receives", "m1", Tlp::kAmber, {"partners"},
       {"m1", "p1", "p2"}, "", ""},

      // The first offending entry wins.
      {"unknown before suspended", "m1", Tlp::kAmber, {"p9", "m3"}, {}, "release_unknown_org",
       "release_to[0]: \"p9\" is not an org of this centre"},
      {"suspended before unknown", "m1", Tlp::kAmber, {"m3", "p9"}, {}, "release_suspended_org",
       "release_to[0]: \"m3\" is suspended and receives nothing"},
      {"TLP error before a later unknown entry", "m1", Tlp::kRed, {"all", "p9"}, {},
       "tlp_red_named_only", ""},

      // Shape of the result.
      {"sorted although the originator sorts last and entries come reversed", "p1", Tlp::kAmber,
       {"m2", "m1"}, {"m1", "m2", "p1"}, "", ""},
      {"duplicates of the originator and of a group collapse", "m1", Tlp::kClear,
       {"m1", "members", "m1", "members", "all"}, {"m1", "m2", "p1", "p2"}, "", ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.why);
    core::Result<Audience> got = ExpandAudience(c.originator, c.tlp, c.release_to, Orgs());
    if (c.reason.empty()) {
      EXPECT_EQ(Describe(got), Describe(c.want));
      continue;
    }
    ASSERT_EQ(Describe(got), "error " + c.reason);
    EXPECT_EQ(got.status().code(), Code::kInvalidArgument);
    ExpectNamesAnEntry(got.status(), c.release_to);
    if (!c.message.empty()) {
      EXPECT_EQ(got.status().message(), c.message);
    }
  }
}

TEST(ExpandAudience, OriginatorMustBeAnActiveOrg) {
  core::Result<Audience> suspended = ExpandAudience("m3", Tlp::kAmber, {}, Orgs());
  ASSERT_FALSE(suspended.ok());
  EXPECT_EQ(suspended.status().code(), Code::kPermissionDenied);
  EXPECT_EQ(suspended.status().reason(), "org_suspended");

  core::Result<Audience> suspended_partner = ExpandAudience("p3", Tlp::kClear, {"p3"}, Orgs());
  ASSERT_FALSE(suspended_partner.ok());
  EXPECT_EQ(suspended_partner.status().reason(), "org_suspended");

  // The originator is the authenticated caller's org: not finding it is our bug.
  core::Result<Audience> unknown = ExpandAudience("x9", Tlp::kAmber, {}, Orgs());
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), Code::kInternal);
}

TEST(ExpandAudience, GroupsExpandOverTheOrgsGivenNotLaterAdmissions) {
  // Expansion is a snapshot: the same request over a larger org list gives a larger audience,
  // and the earlier result does not change (it is a value the caller stores).
  std::vector<OrgState> orgs = Orgs();
  core::Result<Audience> before = ExpandAudience("m1", Tlp::kAmber, {"partners"}, orgs);
  orgs.push_back({"p4", OrgKind::kPartner, false, false});
  core::Result<Audience> after = ExpandAudience("m1", Tlp::kAmber, {"partners"}, orgs);
  EXPECT_EQ(Describe(before), "ok [m1,p1,p2]");
  EXPECT_EQ(Describe(after), "ok [m1,p1,p2,p4]");
}

// ---------------------------------------------------------------------------------------------
// CheckMaySubmit and InAudience.
// ---------------------------------------------------------------------------------------------


// Built by a function: g++ 12 at -O3 wrongly reports nested strings of brace-initialised
// aggregates in a table as maybe-uninitialized.
OrgState MakeOrg(const char* id, OrgKind kind, bool may_submit, bool suspended) {
  OrgState org;
  org.id = id;
  org.kind = kind;
  org.may_submit = may_submit;
  org.suspended = suspended;
  return org;
}

TEST(CheckMaySubmit, MembersAlwaysPartnersPerCharterSuspendedNever) {
  struct Case {
    const char* why;
    OrgState org;
    std::string reason;  // "" = ok
  } cases[] = {
      {"active member", MakeOrg("m1", OrgKind::kMember, true, false), ""},
      {"member whatever may_submit says", MakeOrg("m4", OrgKind::kMember, false, false), ""},
      {"partner that may submit", MakeOrg("p1", OrgKind::kPartner, true, false), ""},
      {"partner that may not", MakeOrg("p2", OrgKind::kPartner, false, false), "partner_may_not_submit"},
      {"suspended member", MakeOrg("m3", OrgKind::kMember, true, true), "org_suspended"},
      {"suspended partner that may submit", MakeOrg("p3", OrgKind::kPartner, true, true),
       "org_suspended"},
      {"suspended partner that may not: suspension first", MakeOrg("p5", OrgKind::kPartner, false, true),
       "org_suspended"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.why);
    core::Status s = CheckMaySubmit(c.org);
    if (c.reason.empty()) {
      EXPECT_TRUE(s.ok()) << s.ToString();
      continue;
    }
    EXPECT_EQ(s.code(), Code::kPermissionDenied);
    EXPECT_EQ(s.reason(), c.reason);
    EXPECT_NE(s.message().find("\"" + c.org.id + "\""), std::string::npos) << s.message();
  }
}

TEST(InAudience, IsExactMembershipOfTheSortedSet) {
  struct Case {
    Audience audience;
    std::string org;
    bool in;
  } cases[] = {
      {{}, "m1", false},
      {{"m1"}, "m1", true},
      {{"m1", "m2", "p1"}, "p1", true},
      {{"m1", "m2", "p1"}, "m2", true},
      {{"m1", "m2", "p1"}, "p2", false},
      {{"m1", "m10"}, "m1", true},
      {{"m10"}, "m1", false},
      {{"m1"}, "m10", false},
      {{"m1"}, "M1", false},
      {{"m1"}, "", false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(InAudience(c.audience, c.org), c.in) << Describe(c.audience) << " " << c.org;
  }
}

}  // namespace
}  // namespace markaz::policy
