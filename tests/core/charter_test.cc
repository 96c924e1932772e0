// Tests for core/charter.h: term lengths, quorum names, org lookup and charter validation.
#include "core/charter.h"

#include <functional>
#include <string>

#include <gtest/gtest.h>

namespace markaz::core {
namespace {

Time T(std::string_view text) { return ParseRfc3339(text).value(); }

TEST(TermLength, ConstructorsAcceptOnlyUpToThreeMonthsOr92Days) {
  struct Case {
    bool months;
    int n;
    bool ok;
  } cases[] = {
      {true, 1, true},   {true, 2, true},   {true, 3, true},   {true, 0, false},
      {true, 4, false},  {true, -1, false}, {true, 12, false}, {false, 1, true},
      {false, 45, true}, {false, 92, true}, {false, 0, false}, {false, 93, false},
      {false, -3, false}, {false, 365, false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::to_string(c.n) + (c.months ? " months" : " days"));
    Result<TermLength> t = c.months ? TermLength::Months(c.n) : TermLength::Days(c.n);
    EXPECT_EQ(t.ok(), c.ok);
    if (t.ok()) {
      EXPECT_EQ(t->count(), c.n);
      EXPECT_EQ(t->unit(), c.months ? TermLength::Unit::kMonths : TermLength::Unit::kDays);
    } else {
      EXPECT_EQ(t.status().reason(), "charter_invalid_term");
    }
  }
}

TEST(TermLength, ParsesTheCharterForms) {
  struct Case {
    std::string text;
    bool ok;
    TermLength::Unit unit;
    int count;
    std::string canonical;  // ToString() of the result
  } cases[] = {
      {"1 month", true, TermLength::Unit::kMonths, 1, "1 month"},
      {"2 months", true, TermLength::Unit::kMonths, 2, "2 months"},
      {"3 months", true, TermLength::Unit::kMonths, 3, "3 months"},
      {"3 month", true, TermLength::Unit::kMonths, 3, "3 months"},
      {"1 months", true, TermLength::Unit::kMonths, 1, "1 month"},
      {"1 day", true, TermLength::Unit::kDays, 1, "1 day"},
      {"45 days", true, TermLength::Unit::kDays, 45, "45 days"},
      {"92 days", true, TermLength::Unit::kDays, 92, "92 days"},
      {"7  days", true, TermLength::Unit::kDays, 7, "7 days"},
      {"007 days", true, TermLength::Unit::kDays, 7, "7 days"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    Result<TermLength> t = TermLength::Parse(c.text);
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    EXPECT_EQ(t->unit(), c.unit);
    EXPECT_EQ(t->count(), c.count);
    EXPECT_EQ(t->ToString(), c.canonical);
    EXPECT_EQ(*TermLength::Parse(t->ToString()), *t);  // the canonical form parses back
  }
}

TEST(TermLength, RefusesLongOrMalformedTerms) {
  struct Case {
    std::string text;
    std::string message_part;
  } cases[] = {
      {"4 months", "\"4 months\" is longer than 3 months"},
      {"12 months", "longer than 3 months"},
      {"93 days", "\"93 days\" is longer than 92 days"},
      {"365 days", "longer than 92 days"},
      {"99999999999999 days", "\"99999999999999 days\" is longer than 92 days"},
      {"0 months", "at least 1 month"},
      {"0 days", "at least 1 day"},
      {"", "is not a term length"},
      {"3", "\"3\" is not a term length"},
      {"months", "is not a term length"},
      {"3months", "is not a term length"},
      {"3 weeks", "\"3 weeks\" is not a term length"},
      {"1 year", "is not a term length"},
      {"-1 months", "is not a term length"},
      {"3 Months", "is not a term length"},
      {" 3 months", "is not a term length"},
      {"3 months ", "is not a term length"},
      {"three months", "is not a term length"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    Result<TermLength> t = TermLength::Parse(c.text);
    ASSERT_FALSE(t.ok());
    EXPECT_EQ(t.status().code(), Code::kInvalidArgument);
    EXPECT_EQ(t.status().reason(), "charter_invalid_term");
    EXPECT_NE(t.status().message().find(c.message_part), std::string::npos)
        << t.status().message();
  }
}

TEST(TermLength, EndOfTermCountsFromTheAnchor) {
  struct Case {
    std::string term;
    std::string anchor;
    int k;
    std::string end;
  } cases[] = {
      {"1 month", "2015-01-31T00:00:00Z", 0, "2015-02-28T00:00:00Z"},
      {"1 month", "2015-01-31T00:00:00Z", 1, "2015-03-31T00:00:00Z"},  // no drift to the 28th
      {"1 month", "2015-01-31T00:00:00Z", 2, "2015-04-30T00:00:00Z"},
      {"1 month", "2016-01-31T06:00:00Z", 0, "2016-02-29T06:00:00Z"},
      {"3 months", "2015-10-01T00:00:00Z", 0, "2016-01-01T00:00:00Z"},
      {"3 months", "2015-10-01T00:00:00Z", 3, "2016-10-01T00:00:00Z"},
      {"3 months", "2015-11-30T00:00:00Z", 0, "2016-02-29T00:00:00Z"},
      {"3 months", "2015-11-30T00:00:00Z", 1, "2016-05-30T00:00:00Z"},
      {"2 months", "2015-12-31T12:00:00Z", 0, "2016-02-29T12:00:00Z"},
      {"2 months", "2015-12-31T12:00:00Z", 1, "2016-04-30T12:00:00Z"},
      {"2 months", "2015-12-31T12:00:00Z", 2, "2016-06-30T12:00:00Z"},
      {"2 months", "2015-12-31T12:00:00Z", 3, "2016-08-31T12:00:00Z"},
      {"1 day", "2016-02-28T00:00:00Z", 0, "2016-02-29T00:00:00Z"},
      {"1 day", "2016-02-28T00:00:00Z", 1, "2016-03-01T00:00:00Z"},
      {"92 days", "2015-10-01T00:00:00Z", 0, "2016-01-01T00:00:00Z"},
      {"10 days", "2015-10-01T08:00:00Z", 9, "2016-01-09T08:00:00Z"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.term + " from " + c.anchor + " k=" + std::to_string(c.k));
    TermLength term = TermLength::Parse(c.term).value();
    EXPECT_EQ(FormatRfc3339(term.EndOfTerm(T(c.anchor), c.k)), c.end);
  }
}

TEST(Quorum, NamesParseBack) {
  struct Case {
    Quorum q;
    std::string name;
  } cases[] = {
      {Quorum::kUnanimous, "unanimous"},
      {Quorum::kMajority, "majority"},
      {Quorum::kChairMajority, "chair+majority"},
      {Quorum::kChairUnanimous, "chair+unanimous"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(QuorumName(c.q), c.name);
    ASSERT_TRUE(ParseQuorum(c.name).has_value());
    EXPECT_EQ(*ParseQuorum(c.name), c.q);
  }
  for (const char* bad : {"", "Unanimous", "chair + majority", "chair_majority", "all"}) {
    EXPECT_FALSE(ParseQuorum(bad).has_value()) << bad;
  }
}

OrgEntry Member(std::string id) {
  return OrgEntry{std::move(id), OrgKind::kMember, {{"en", "Member"}}, true};
}
OrgEntry Partner(std::string id, bool may_submit = false) {
  return OrgEntry{std::move(id), OrgKind::kPartner, {{"en", "Partner"}}, may_submit};
}

// The example charter of DESIGN.md §9: four members, host first, two partners.
Charter ValidCharter() {
  Charter c;
  c.name = "Joint Information Centre";
  c.start = T("2015-10-01T00:00:00Z");
  c.rotation_order = {"host", "m2", "m3", "m4"};
  c.members = {Member("host"), Member("m2"), Member("m3"), Member("m4")};
  c.partners = {Partner("p1", true), Partner("p2")};
  return c;
}

TEST(Charter, FindOrgFindsMembersAndPartners) {
  Charter c = ValidCharter();
  struct Case {
    std::string id;
    bool found;
    OrgKind kind;
  } cases[] = {
      {"host", true, OrgKind::kMember}, {"m4", true, OrgKind::kMember},
      {"p1", true, OrgKind::kPartner},  {"p2", true, OrgKind::kPartner},
      {"p3", false, OrgKind::kMember},  {"", false, OrgKind::kMember},
      {"HOST", false, OrgKind::kMember},
  };
  for (const auto& k : cases) {
    SCOPED_TRACE(k.id);
    const OrgEntry* org = c.FindOrg(k.id);
    ASSERT_EQ(org != nullptr, k.found);
    if (org != nullptr) {
      EXPECT_EQ(org->id, k.id);
      EXPECT_EQ(org->kind, k.kind);
    }
  }
}

TEST(ValidateCharter, AcceptsValidCharters) {
  struct Case {
    std::string name;
    std::function<void(Charter&)> edit;
  } cases[] = {
      {"example", [](Charter&) {}},
      {"no partners", [](Charter& c) { c.partners.clear(); }},
      {"one member", [](Charter& c) {
         c.members = {Member("solo")};
         c.rotation_order = {"solo"};
         c.partners.clear();
       }},
      {"order differs from member list", [](Charter& c) {
         c.rotation_order = {"m3", "host", "m4", "m2"};
       }},
      {"last member chairs first", [](Charter& c) { c.first_chair_index = 3; }},
      {"other quorums", [](Charter& c) {
         c.members_quorum = Quorum::kChairUnanimous;
         c.partners_quorum = Quorum::kMajority;
       }},
      {"day terms", [](Charter& c) { c.term = TermLength::Days(92).value(); }},
  };
  for (const auto& k : cases) {
    SCOPED_TRACE(k.name);
    Charter c = ValidCharter();
    k.edit(c);
    Status s = ValidateCharter(c);
    EXPECT_TRUE(s.ok()) << s.ToString();
  }
}

TEST(ValidateCharter, RefusesBrokenChartersNamingTheField) {
  struct Case {
    std::string name;
    std::function<void(Charter&)> edit;
    std::string reason;
    std::string message;  // the whole message: it names the field
  } cases[] = {
      {"no name", [](Charter& c) { c.name.clear(); }, "charter_missing_field",
       "centre.name: the centre needs a name"},
      {"no members",
       [](Charter& c) {
         c.members.clear();
         c.rotation_order.clear();
       },
       "charter_empty", "members: a charter needs at least one member"},
      {"invalid member id", [](Charter& c) { c.members[1].id = "M_2"; }, "charter_invalid_org_id",
       "members[1].id: \"M_2\" is not a valid org id (2 to 32 of a-z, 0-9, '-', not starting or "
       "ending with '-')"},
      {"invalid partner id", [](Charter& c) { c.partners[0].id = "p"; },
       "charter_invalid_org_id",
       "partners[0].id: \"p\" is not a valid org id (2 to 32 of a-z, 0-9, '-', not starting or "
       "ending with '-')"},
      {"partner named like a group", [](Charter& c) { c.partners[0].id = "all"; },
       "charter_reserved_org_id", "partners[0].id: \"all\" is reserved for a group of orgs"},
      {"member named like a group", [](Charter& c) { c.members[0].id = "members"; },
       "charter_reserved_org_id", "members[0].id: \"members\" is reserved for a group of orgs"},
      {"duplicate member", [](Charter& c) { c.members[3].id = "m2"; }, "charter_duplicate_org",
       "members[3].id: \"m2\" is already used by members[1]"},
      {"partner reuses member id", [](Charter& c) { c.partners[1].id = "host"; },
       "charter_duplicate_org", "partners[1].id: \"host\" is already used by members[0]"},
      {"duplicate partner", [](Charter& c) { c.partners[1].id = "p1"; }, "charter_duplicate_org",
       "partners[1].id: \"p1\" is already used by partners[0]"},
      {"partner in member list", [](Charter& c) { c.members[2].kind = OrgKind::kPartner; },
       "charter_org_kind", "members[2]: \"m3\" is listed in members but is a partner"},
      {"member in partner list", [](Charter& c) { c.partners[0].kind = OrgKind::kMember; },
       "charter_org_kind", "partners[0]: \"p1\" is listed in partners but is a member"},
      {"unknown member in order", [](Charter& c) { c.rotation_order[2] = "m9"; },
       "charter_unknown_member", "rotation.order[2]: \"m9\" is not a member"},
      {"partner in order", [](Charter& c) { c.rotation_order.push_back("p1"); },
       "charter_unknown_member", "rotation.order[4]: \"p1\" is not a member (it is a partner)"},
      {"member twice in order", [](Charter& c) { c.rotation_order[3] = "m2"; },
       "charter_duplicate_member",
       "rotation.order[3]: \"m2\" is already listed at rotation.order[1]"},
      {"member missing from order", [](Charter& c) { c.rotation_order.pop_back(); },
       "charter_missing_member",
       "rotation.order: member \"m4\" is missing; the order lists every member"},
      {"empty order", [](Charter& c) { c.rotation_order.clear(); }, "charter_missing_member",
       "rotation.order: member \"host\" is missing; the order lists every member"},
      {"first chair out of range", [](Charter& c) { c.first_chair_index = 4; },
       "charter_bad_first_chair",
       "rotation.first: position 4 is outside the rotation order of 4 members"},
      {"bad members quorum", [](Charter& c) { c.members_quorum = static_cast<Quorum>(17); },
       "charter_invalid_quorum", "quorum.members: unknown quorum"},
      {"bad partners quorum", [](Charter& c) { c.partners_quorum = static_cast<Quorum>(-1); },
       "charter_invalid_quorum", "quorum.partners: unknown quorum"},
  };
  for (const auto& k : cases) {
    SCOPED_TRACE(k.name);
    Charter c = ValidCharter();
    k.edit(c);
    Status s = ValidateCharter(c);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.code(), Code::kInvalidArgument);
    EXPECT_EQ(s.reason(), k.reason);
    EXPECT_EQ(s.message(), k.message);
  }
}

}  // namespace
}  // namespace markaz::core
