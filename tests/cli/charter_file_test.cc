// Tests for cli/charter_file.h: the TOML charter format of DESIGN.md §9 and its error messages.
#include "cli/charter_file.h"

#include <functional>
#include <string>

#include <gtest/gtest.h>

namespace markaz::cli {
namespace {

using core::Charter;
using core::OrgEntry;
using core::OrgKind;
using core::Quorum;

// A complete charter using every key of the format.
constexpr std::string_view kFull = R"(# A full charter.
[centre]
name  = "Joint Information Centre"
start = 2015-10-01T00:00:00Z

[rotation]
order = ["host", "m2", "m3", "m4"]
term  = "3 months"
first = "host"

[[members]]
id    = "host"
names = { en = "Host State", ar = "الدولة المضيفة" }

[[members]]
id    = "m2"
names = { en = "Second Member" }

[[members]]
id    = "m3"

[[members]]
id    = "m4"

[[partners]]
id         = "p1"
names      = { en = "First Partner" }
may_submit = true

[[partners]]
id         = "p2"

[quorum]
members  = "unanimous"
partners = "chair+majority"
)";

core::Time T(std::string_view text) { return core::ParseRfc3339(text).value(); }

Charter FullCharter() {
  Charter c;
  c.name = "Joint Information Centre";
  c.start = T("2015-10-01T00:00:00Z");
  c.rotation_order = {"host", "m2", "m3", "m4"};
  c.first_chair_index = 0;
  c.term = core::TermLength::Months(3).value();
  c.members = {
      {"host", OrgKind::kMember, {{"en", "Host State"}, {"ar", "الدولة المضيفة"}}, true},
      {"m2", OrgKind::kMember, {{"en", "Second Member"}}, true},
      {"m3", OrgKind::kMember, {}, true},
      {"m4", OrgKind::kMember, {}, true},
  };
  c.partners = {
      {"p1", OrgKind::kPartner, {{"en", "First Partner"}}, true},
      {"p2", OrgKind::kPartner, {}, false},
  };
  c.members_quorum = Quorum::kUnanimous;
  c.partners_quorum = Quorum::kChairMajority;
  return c;
}

// kFull with `find` replaced by `replace` (which must occur), or `replace` alone when `find` is
// empty.
std::string Edit(std::string_view find, std::string_view replace) {
  if (find.empty()) return std::string(replace);
  std::string text(kFull);
  std::size_t at = text.find(find);
  EXPECT_NE(at, std::string::npos) << "the case edits text that is not there: " << find;
  if (at == std::string::npos) return text;
  return text.replace(at, find.size(), replace);
}

TEST(ParseCharterToml, ReadsEveryField) {
  core::Result<Charter> c = ParseCharterToml(kFull, "test.toml");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(*c, FullCharter());
}

TEST(ParseCharterToml, AcceptsTheOptionalForms) {
  struct Case {
    std::string name;
    std::string find;
    std::string replace;
    std::function<void(Charter&)> expect;  // edits FullCharter() into the expected value
  } cases[] = {
      {"start as an RFC 3339 string", "start = 2015-10-01T00:00:00Z",
       R"(start = "2015-10-01T00:00:00Z")", [](Charter&) {}},
      {"start with an offset", "start = 2015-10-01T00:00:00Z", "start = 2015-10-01T03:00:00+03:00",
       [](Charter&) {}},
      {"start as a string with an offset", "start = 2015-10-01T00:00:00Z",
       R"(start = "2015-09-30T20:00:00-04:00")", [](Charter&) {}},
      {"start with milliseconds", "start = 2015-10-01T00:00:00Z",
       "start = 2015-10-01T00:00:00.250Z",
       [](Charter& c) { c.start = T("2015-10-01T00:00:00.250Z"); }},
      {"first omitted: order[0] chairs first", "first = \"host\"\n", "", [](Charter&) {}},
      {"first names another member", R"(first = "host")", R"(first = "m3")",
       [](Charter& c) { c.first_chair_index = 2; }},
      {"quorum omitted: the defaults",
       "[quorum]\nmembers  = \"unanimous\"\npartners = \"chair+majority\"\n", "", [](Charter&) {}},
      {"other quorums", R"(partners = "chair+majority")", R"(partners = "majority")",
       [](Charter& c) { c.partners_quorum = Quorum::kMajority; }},
      {"partial quorum", "members  = \"unanimous\"\n", "", [](Charter&) {}},
      {"may_submit defaults to false", "may_submit = true\n", "",
       [](Charter& c) { c.partners[0].may_submit = false; }},
      {"day terms", R"(term  = "3 months")", R"(term  = "92 days")",
       [](Charter& c) { c.term = core::TermLength::Days(92).value(); }},
      {"one-month terms", R"(term  = "3 months")", R"(term  = "1 month")",
       [](Charter& c) { c.term = core::TermLength::Months(1).value(); }},
      {"no partners",
       "[[partners]]\nid         = \"p1\"\nnames      = { en = \"First Partner\" }\nmay_submit = "
       "true\n\n[[partners]]\nid         = \"p2\"\n",
       "", [](Charter& c) { c.partners.clear(); }},
  };
  for (const auto& k : cases) {
    SCOPED_TRACE(k.name);
    core::Result<Charter> got = ParseCharterToml(Edit(k.find, k.replace), "test.toml");
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    Charter want = FullCharter();
    k.expect(want);
    EXPECT_EQ(*got, want);
  }
}

TEST(ParseCharterToml, InlineTablesEqualArraysOfTables) {
  // The same charter written with inline tables only; TOML gives the same structure.
  constexpr std::string_view kInline = R"(
centre = { name = "C", start = 2015-10-01T00:00:00Z }
rotation = { order = ["a1", "b2"], term = "2 months", first = "b2" }
members = [{ id = "a1", names = { en = "A" } }, { id = "b2" }]
partners = [{ id = "p1", may_submit = true }]
quorum = { partners = "chair+unanimous" }
)";
  constexpr std::string_view kTables = R"(
[centre]
name = "C"
start = 2015-10-01T00:00:00Z
[rotation]
order = ["a1", "b2"]
term = "2 months"
first = "b2"
[[members]]
id = "a1"
names.en = "A"
[[members]]
id = "b2"
[[partners]]
id = "p1"
may_submit = true
[quorum]
partners = "chair+unanimous"
)";
  core::Result<Charter> a = ParseCharterToml(kInline, "inline.toml");
  core::Result<Charter> b = ParseCharterToml(kTables, "tables.toml");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(a->first_chair_index, 1u);
  EXPECT_EQ(a->partners_quorum, Quorum::kChairUnanimous);
  EXPECT_EQ(a->members_quorum, Quorum::kUnanimous);
  EXPECT_EQ(a->members[0].names, (core::Names{{"en", "A"}}));
}

TEST(ParseCharterToml, RefusesBadChartersNamingTheField) {
  struct Case {
    std::string name;
    std::string find;     // empty: `replace` is the whole document
    std::string replace;
    std::string reason;
    std::string message;  // the whole message, or its start when it ends with "…"
  } cases[] = {
      // Rules (ValidateCharter, through the file).
      {"unknown member in order", R"(order = ["host", "m2", "m3", "m4"])",
       R"(order = ["host", "m2", "m9", "m4"])", "charter_unknown_member",
       R"(test.toml: rotation.order[2]: "m9" is not a member)"},
      {"member missing from order", R"(order = ["host", "m2", "m3", "m4"])",
       R"(order = ["host", "m2", "m4"])", "charter_missing_member",
       R"(test.toml: rotation.order: member "m3" is missing; the order lists every member)"},
      {"member twice in order", R"(order = ["host", "m2", "m3", "m4"])",
       R"(order = ["host", "m2", "m3", "m4", "m2"])", "charter_duplicate_member",
       R"(test.toml: rotation.order[4]: "m2" is already listed at rotation.order[1])"},
      {"duplicate org id across members and partners", R"(id         = "p2")",
       R"(id         = "m2")", "charter_duplicate_org",
       R"(test.toml: partners[1].id: "m2" is already used by members[1])"},
      {"duplicate member id", R"(id    = "m4")", R"(id    = "m3")", "charter_duplicate_org",
       R"(test.toml: members[3].id: "m3" is already used by members[2])"},
      {"invalid org id", R"(id    = "m4")", R"(id    = "M_4")", "charter_invalid_org_id",
       R"(test.toml: members[3].id: "M_4" is not a valid org id …)"},
      {"empty centre name", R"(name  = "Joint Information Centre")", R"(name  = "")",
       "charter_missing_field", "test.toml: centre.name: the centre needs a name"},
      {"members inside [rotation]", "",
       "[centre]\nname = \"C\"\nstart = 2015-10-01T00:00:00Z\n[rotation]\norder = []\n"
       "term = \"1 month\"\nmembers = []\n",
       "charter_unknown_key", "test.toml: rotation.members: unknown key"},
      {"empty members array", "",
       "members = []\n[centre]\nname = \"C\"\nstart = 2015-10-01T00:00:00Z\n[rotation]\n"
       "order = []\nterm = \"1 month\"\n",
       "charter_empty", "test.toml: members: a charter needs at least one member"},

      // Terms.
      {"term of 4 months", R"(term  = "3 months")", R"(term  = "4 months")",
       "charter_invalid_term", R"(test.toml: rotation.term: "4 months" is longer than 3 months)"},
      {"term of 93 days", R"(term  = "3 months")", R"(term  = "93 days")",
       "charter_invalid_term", R"(test.toml: rotation.term: "93 days" is longer than 92 days)"},
      {"term in years", R"(term  = "3 months")", R"(term  = "1 year")", "charter_invalid_term",
       R"(test.toml: rotation.term: "1 year" is not a term length; expected "1 month" to )"
       R"("3 months", or "N days" with N from 1 to 92)"},
      {"term as a number", R"(term  = "3 months")", "term  = 3", "charter_wrong_type",
       "test.toml: rotation.term: expected a string, found an integer"},

      // First chair.
      {"first chair is a partner", R"(first = "host")", R"(first = "p1")",
       "charter_bad_first_chair", R"(test.toml: rotation.first: "p1" is not a member)"},
      {"first chair is nobody", R"(first = "host")", R"(first = "m9")",
       "charter_bad_first_chair", R"(test.toml: rotation.first: "m9" is not a member)"},
      {"first chair missing from the order", R"(order = ["host", "m2", "m3", "m4"])",
       R"(order = ["host", "m2", "m4"])", "charter_missing_member",
       R"(test.toml: rotation.order: member "m3" is missing; the order lists every member)"},

      // TOML syntax.
      {"invalid TOML", R"(name  = "Joint Information Centre")",
       R"(name  = "Joint Information Centre)", "charter_toml", "test.toml: line 3, column …"},
      {"duplicate key", R"(term  = "3 months")", "term  = \"3 months\"\nterm = \"1 month\"",
       "charter_toml", "test.toml: line 9, column …"},
      {"impossible date", "start = 2015-10-01T00:00:00Z", "start = 2015-02-30T00:00:00Z",
       "charter_toml", "test.toml: line 4, column …"},

      // Unknown keys.
      {"unknown key in a member", R"(id    = "m2")", "id    = \"m2\"\nnmae  = \"x\"",
       "charter_unknown_key", "test.toml: members[1].nmae: unknown key"},
      {"unknown key in centre", "[centre]\n", "[centre]\ncolour = \"blue\"\n",
       "charter_unknown_key", "test.toml: centre.colour: unknown key"},
      {"unknown table", "[quorum]", "[policy]\nx = 1\n[quorum]", "charter_unknown_key",
       "test.toml: policy: unknown key"},
      {"unknown key in quorum", R"(members  = "unanimous")", R"(member  = "unanimous")",
       "charter_unknown_key", "test.toml: quorum.member: unknown key"},
      {"may_submit on a member", R"(id    = "m4")", "id    = \"m4\"\nmay_submit = true",
       "charter_unknown_key", "test.toml: members[3].may_submit: unknown key"},
      {"misspelt rotation key", R"(term  = "3 months")", R"(trem  = "3 months")",
       "charter_unknown_key", "test.toml: rotation.trem: unknown key"},

      // Missing fields.
      {"missing centre.start", "start = 2015-10-01T00:00:00Z\n", "", "charter_missing_field",
       "test.toml: centre.start: missing; expected the date-time when the first term begins"},
      {"missing centre.name", "name  = \"Joint Information Centre\"\n", "",
       "charter_missing_field", "test.toml: centre.name: missing; expected a string"},
      {"missing rotation.order", "order = [\"host\", \"m2\", \"m3\", \"m4\"]\n", "",
       "charter_missing_field",
       "test.toml: rotation.order: missing; expected an array of member ids"},
      {"missing rotation.term", "term  = \"3 months\"\n", "", "charter_missing_field",
       "test.toml: rotation.term: missing; expected a string"},
      {"missing member id", R"(id    = "m4")", R"(names = { en = "Fourth" })",
       "charter_missing_field", "test.toml: members[3].id: missing; expected a string"},
      {"missing [centre]", "",
       "[rotation]\norder = [\"a1\"]\nterm = \"1 month\"\n[[members]]\nid = \"a1\"\n",
       "charter_missing_field", "test.toml: centre: missing; expected a [centre] table"},
      {"missing [rotation]", "",
       "[centre]\nname = \"C\"\nstart = 2015-10-01T00:00:00Z\n[[members]]\nid = \"a1\"\n",
       "charter_missing_field", "test.toml: rotation: missing; expected a [rotation] table"},
      {"missing [[members]]", "",
       "[centre]\nname = \"C\"\nstart = 2015-10-01T00:00:00Z\n[rotation]\norder = [\"a1\"]\n"
       "term = \"1 month\"\n",
       "charter_missing_field", "test.toml: members: missing; expected [[members]] entries"},

      // Wrong types and values.
      {"start as a number", "start = 2015-10-01T00:00:00Z", "start = 2015", "charter_wrong_type",
       "test.toml: centre.start: expected a date-time with offset (e.g. 2015-10-01T00:00:00Z) or "
       "an RFC 3339 string, found an integer"},
      {"start as a date", "start = 2015-10-01T00:00:00Z", "start = 2015-10-01",
       "charter_wrong_type",
       "test.toml: centre.start: expected a date-time with offset (e.g. 2015-10-01T00:00:00Z) or "
       "an RFC 3339 string, found a date"},
      {"start without offset", "start = 2015-10-01T00:00:00Z", "start = 2015-10-01T00:00:00",
       "charter_invalid_time",
       "test.toml: centre.start: 2015-10-01T00:00:00 has no time zone offset; add one, e.g. Z "
       "for UTC"},
      {"start as a bad string", "start = 2015-10-01T00:00:00Z", R"(start = "next monday")",
       "charter_invalid_time", R"(test.toml: centre.start: "next monday" is not an RFC 3339 …)"},
      {"name as a number", R"(name  = "Joint Information Centre")", "name  = 7",
       "charter_wrong_type", "test.toml: centre.name: expected a string, found an integer"},
      {"order as a string", R"(order = ["host", "m2", "m3", "m4"])", R"(order = "host")",
       "charter_wrong_type",
       "test.toml: rotation.order: expected an array of member ids, found a string"},
      {"order entry as a number", R"(order = ["host", "m2", "m3", "m4"])",
       R"(order = ["host", 2, "m3", "m4"])", "charter_wrong_type",
       "test.toml: rotation.order[1]: expected a member id, found an integer"},
      {"may_submit as a string", "may_submit = true", R"(may_submit = "yes")",
       "charter_wrong_type",
       "test.toml: partners[0].may_submit: expected a boolean, found a string"},
      {"name in a language as a number", R"(names = { en = "Second Member" })",
       "names = { en = 2 }", "charter_wrong_type",
       "test.toml: members[1].names.en: expected a string, found an integer"},
      {"names as a string", R"(names = { en = "Second Member" })", R"(names = "Second")",
       "charter_wrong_type", "test.toml: members[1].names: expected a table, found a string"},
      {"centre as a string", "", "centre = \"x\"\n", "charter_wrong_type",
       "test.toml: centre: expected a table, found a string"},
      {"members as a table", "",
       "[centre]\nname = \"C\"\nstart = 2015-10-01T00:00:00Z\n[rotation]\norder = [\"a1\"]\n"
       "term = \"1 month\"\n[members]\nid = \"a1\"\n",
       "charter_wrong_type",
       "test.toml: members: expected an array of tables ([[members]]), found a table"},
      {"a member that is not a table", "",
       "members = [\"a1\"]\n[centre]\nname = \"C\"\nstart = 2015-10-01T00:00:00Z\n[rotation]\n"
       "order = [\"a1\"]\nterm = \"1 month\"\n",
       "charter_wrong_type", "test.toml: members[0]: expected a table, found a string"},
      {"unknown quorum", R"(partners = "chair+majority")", R"(partners = "most")",
       "charter_invalid_quorum",
       R"(test.toml: quorum.partners: "most" is not a quorum; expected unanimous, majority, )"
       "chair+majority or chair+unanimous"},
  };
  for (const auto& k : cases) {
    SCOPED_TRACE(k.name);
    core::Result<Charter> got = ParseCharterToml(Edit(k.find, k.replace), "test.toml");
    ASSERT_FALSE(got.ok());
    const core::Status& s = got.status();
    EXPECT_EQ(s.code(), core::Code::kInvalidArgument);
    EXPECT_EQ(s.reason(), k.reason) << s.message();
    EXPECT_EQ(s.message().find('\n'), std::string::npos) << "one line: " << s.message();
    const std::string_view ellipsis = "…";
    if (k.message.ends_with(ellipsis)) {
      const std::string prefix = k.message.substr(0, k.message.size() - ellipsis.size());
      EXPECT_EQ(s.message().substr(0, prefix.size()), prefix) << s.message();
    } else {
      EXPECT_EQ(s.message(), k.message);
    }
  }
}

TEST(ParseCharterToml, NoSourceNameMeansNoPrefix) {
  core::Result<Charter> got =
      ParseCharterToml(Edit(R"(term  = "3 months")", R"(term = "5 months")"), "");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().message(), R"(rotation.term: "5 months" is longer than 3 months)");
}

std::string SourcePath(std::string_view relative) {
  return std::string(MARKAZ_SOURCE_DIR) + "/" + std::string(relative);
}

TEST(LoadCharterFile, ReadsTheExamples) {
  struct Case {
    std::string file;
    std::size_t members;
    std::size_t partners;
    std::string first_chair;
    std::string term;
    std::string start;
  } cases[] = {
      {"examples/charter.toml", 4, 2, "host", "3 months", "2015-10-01T00:00:00Z"},
      {"examples/charter-minimal.toml", 2, 0, "alpha", "1 month", "2024-01-01T00:00:00Z"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.file);
    core::Result<Charter> got = LoadCharterFile(SourcePath(c.file));
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(got->members.size(), c.members);
    EXPECT_EQ(got->partners.size(), c.partners);
    EXPECT_EQ(got->rotation_order[got->first_chair_index], c.first_chair);
    EXPECT_EQ(got->term.ToString(), c.term);
    EXPECT_EQ(core::FormatRfc3339(got->start), c.start);
    EXPECT_EQ(got->members_quorum, Quorum::kUnanimous);
    EXPECT_EQ(got->partners_quorum, Quorum::kChairMajority);
  }
}

TEST(LoadCharterFile, TheFullExampleHasNamesAndOnePartnerThatMaySubmit) {
  core::Result<Charter> got = LoadCharterFile(SourcePath("examples/charter.toml"));
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  for (const OrgEntry& m : got->members) {
    EXPECT_TRUE(m.names.contains("en")) << m.id;
    EXPECT_TRUE(m.names.contains("ar")) << m.id;
    EXPECT_TRUE(m.may_submit) << m.id;
  }
  ASSERT_EQ(got->partners.size(), 2u);
  EXPECT_NE(got->partners[0].may_submit, got->partners[1].may_submit);
}

TEST(LoadCharterFile, UnreadableFilesAreNotFound) {
  struct Case {
    std::string path;
    std::string message_part;
  } cases[] = {
      {SourcePath("examples/no-such-charter.toml"), "cannot read the charter"},
      {SourcePath("examples"), "is a directory"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.path);
    core::Result<Charter> got = LoadCharterFile(c.path);
    ASSERT_FALSE(got.ok());
    EXPECT_EQ(got.status().code(), core::Code::kNotFound);
    EXPECT_EQ(got.status().reason(), "charter_file");
    EXPECT_EQ(got.status().message().rfind(c.path + ": ", 0), 0u) << got.status().message();
    EXPECT_NE(got.status().message().find(c.message_part), std::string::npos);
  }
}

TEST(LoadCharterFile, PrefixesErrorsWithThePath) {
  // A file in the tree that is not TOML: its errors name the file.
  core::Result<Charter> bad = LoadCharterFile(SourcePath("CMakeLists.txt"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().reason(), "charter_toml");
  EXPECT_EQ(bad.status().message().rfind(SourcePath("CMakeLists.txt") + ": line ", 0), 0u)
      << bad.status().message();
}

}  // namespace
}  // namespace markaz::cli
