// The charter: the centre's constitution (DESIGN.md §1, §4, §9), as a validated value.
//
// The TOML file format lives in cli/charter_file.h; this header is the model and its rules.
// A Charter that passed ValidateCharter() is internally consistent: org ids are valid and
// unique, the rotation order lists every member exactly once, the first chair is a member,
// and the term is at most three months (TermLength cannot express more).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/org.h"
#include "core/status.h"
#include "core/time.h"

namespace markaz::core {

// The length of one chair's term: 1–3 calendar months, or 1–92 days. Longer terms cannot be
// constructed: the only way to get a TermLength is through Months()/Days(), which refuse.
class TermLength {
 public:
  enum class Unit { kMonths, kDays };
  static constexpr int kMaxMonths = 3;
  static constexpr int kMaxDays = 92;

  static Result<TermLength> Months(int n);  // 1..3
  static Result<TermLength> Days(int n);    // 1..92
  // Parses "1 month", "3 months", "45 days", "1 day" (digits, spaces, then month/months/day/days;
  // nothing else). Reason "charter_invalid_term" on error, e.g. "\"4 months\" is longer than
  // 3 months"; the message does not name a field, callers add it with WithContext().
  static Result<TermLength> Parse(std::string_view text);

  Unit unit() const { return unit_; }
  int count() const { return count_; }
  // The end of the k-th term (k ≥ 0) of a run anchored at `anchor`: anchor + (k+1) terms,
  // computed from the anchor (not iteratively) so month ends do not drift.
  Time EndOfTerm(Time anchor, int k) const;
  std::string ToString() const;  // "3 months", "1 day"

  bool operator==(const TermLength&) const = default;

 private:
  TermLength(Unit unit, int count) : unit_(unit), count_(count) {}
  Unit unit_;
  int count_;
};

struct OrgEntry {
  std::string id;
  OrgKind kind = OrgKind::kMember;
  Names names;
  bool may_submit = true;  // members always may; partners per charter (default false)

  bool operator==(const OrgEntry&) const = default;
};

// How many approvals a governance decision needs (DESIGN.md §4).
enum class Quorum {
  kUnanimous,      // every active member
  kMajority,       // more than half of active members
  kChairMajority,  // the chair plus a majority of active members
  kChairUnanimous, // the chair plus every active member (same as unanimous, chair first)
};
// "unanimous" | "majority" | "chair+majority" | "chair+unanimous".
std::string_view QuorumName(Quorum q);
std::optional<Quorum> ParseQuorum(std::string_view name);

struct Charter {
  std::string name;
  Time start;                              // the first term begins here
  // Member ids; rotation_order[first_chair_index] chairs first.
  std::vector<std::string> rotation_order;
  std::size_t first_chair_index = 0;
  TermLength term = TermLength::Months(3).value();
  std::vector<OrgEntry> members;
  std::vector<OrgEntry> partners;
  Quorum members_quorum = Quorum::kUnanimous;       // member list and rotation order
  Quorum partners_quorum = Quorum::kChairMajority;  // admitting or suspending partners

  // The org with this id, or nullptr.
  const OrgEntry* FindOrg(std::string_view id) const;

  bool operator==(const Charter&) const = default;
};

// Checks every rule above. On failure returns InvalidArgument whose reason names the rule and
// whose message names the field by its path in the TOML file (DESIGN.md §9):
//   charter_missing_field    centre.name is empty
//   charter_empty            no members
//   charter_invalid_org_id   an id is not a slug ("members[1].id: \"Bad\" is not …")
//   charter_org_kind         an entry's kind does not match its list (members/partners)
//   charter_duplicate_org    an id used twice across members and partners
//   charter_unknown_member   rotation.order names a non-member
//                            ("rotation.order[2]: \"m9\" is not a member")
//   charter_duplicate_member rotation.order lists a member twice
//   charter_missing_member   a member is absent from rotation.order (which lists each once)
//   charter_bad_first_chair  first_chair_index outside rotation.order
//   charter_invalid_quorum   a quorum value outside the enum
// Checks run in that order; the first failure is returned.
Status ValidateCharter(const Charter& charter);

}  // namespace markaz::core
