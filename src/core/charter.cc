#include "core/charter.h"

#include <map>

namespace markaz::core {
namespace {

constexpr std::string_view kTermHelp =
    "expected \"1 month\" to \"3 months\", or \"N days\" with N from 1 to 92";

Status BadTerm(std::string message) {
  return Status::InvalidArgument("charter_invalid_term", std::move(message));
}

std::string Quote(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::string Indexed(std::string_view field, std::size_t i) {
  return std::string(field) + "[" + std::to_string(i) + "]";
}

}  // namespace

Result<TermLength> TermLength::Months(int n) {
  if (n < 1) return BadTerm("a term lasts at least 1 month");
  if (n > kMaxMonths) {
    return BadTerm(Quote(std::to_string(n) + " months") + " is longer than 3 months");
  }
  return TermLength(Unit::kMonths, n);
}

Result<TermLength> TermLength::Days(int n) {
  if (n < 1) return BadTerm("a term lasts at least 1 day");
  // 92 days is the longest three consecutive months can be (Jul+Aug+Sep, Dec+Jan+Feb is 90).
  if (n > kMaxDays) {
    return BadTerm(Quote(std::to_string(n) + " days") + " is longer than 92 days");
  }
  return TermLength(Unit::kDays, n);
}

Result<TermLength> TermLength::Parse(std::string_view text) {
  // Grammar: <digits> <spaces> <unit>, unit one of month(s)/day(s). Singular and plural are
  // both accepted for any count: "2 month" is unambiguous, and refusing it helps nobody.
  std::size_t pos = 0;
  int n = 0;
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
    // Cap the value so absurd inputs cannot overflow; anything this large is refused anyway.
    if (n < 100000) n = n * 10 + (text[pos] - '0');
    ++pos;
  }
  const std::size_t digits = pos;
  while (pos < text.size() && text[pos] == ' ') ++pos;
  std::string_view unit = text.substr(pos);
  if (digits == 0 || pos == digits || unit.empty()) {
    return BadTerm(Quote(text) + " is not a term length; " + std::string(kTermHelp));
  }
  // Quote the text as written (not the number as read) in the messages: that is what the
  // person will look for in the file.
  if (unit == "month" || unit == "months") {
    if (n > kMaxMonths) return BadTerm(Quote(text) + " is longer than 3 months");
    return Months(n);
  }
  if (unit == "day" || unit == "days") {
    if (n > kMaxDays) return BadTerm(Quote(text) + " is longer than 92 days");
    return Days(n);
  }
  return BadTerm(Quote(text) + " is not a term length; " + std::string(kTermHelp));
}

Time TermLength::EndOfTerm(Time anchor, int k) const {
  // Always measured from the anchor: stepping term by term would clamp Jan 31 → Feb 28 and
  // then carry day 28 into every later month.
  const int n = (k + 1) * count_;
  return unit_ == Unit::kMonths ? AddMonths(anchor, n) : AddDays(anchor, n);
}

std::string TermLength::ToString() const {
  std::string s = std::to_string(count_);
  if (unit_ == Unit::kMonths) return s + (count_ == 1 ? " month" : " months");
  return s + (count_ == 1 ? " day" : " days");
}

std::string_view QuorumName(Quorum q) {
  switch (q) {
    case Quorum::kUnanimous: return "unanimous";
    case Quorum::kMajority: return "majority";
    case Quorum::kChairMajority: return "chair+majority";
    case Quorum::kChairUnanimous: return "chair+unanimous";
  }
  return "";  // only for a value cast from outside the enum; ValidateCharter refuses it
}

std::optional<Quorum> ParseQuorum(std::string_view name) {
  for (Quorum q : {Quorum::kUnanimous, Quorum::kMajority, Quorum::kChairMajority,
                   Quorum::kChairUnanimous}) {
    if (QuorumName(q) == name) return q;
  }
  return std::nullopt;
}

const OrgEntry* Charter::FindOrg(std::string_view id) const {
  for (const auto& m : members) {
    if (m.id == id) return &m;
  }
  for (const auto& p : partners) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

Status ValidateCharter(const Charter& charter) {
  // Field paths in messages are those of the TOML file (DESIGN.md §9), since the file is where
  // a person will have to fix the mistake.
  if (charter.name.empty()) {
    return Status::InvalidArgument("charter_missing_field", "centre.name: the centre needs a name");
  }
  if (charter.members.empty()) {
    return Status::InvalidArgument("charter_empty", "members: a charter needs at least one member");
  }

  // Org ids: valid slugs, the right kind for their list, unique across members and partners
  // (one id space, because release_to names orgs of either kind).
  std::map<std::string, std::string, std::less<>> seen;  // id → field that declared it
  auto check_orgs = [&seen](const std::vector<OrgEntry>& orgs, std::string_view list,
                            OrgKind kind) -> Status {
    for (std::size_t i = 0; i < orgs.size(); ++i) {
      const OrgEntry& org = orgs[i];
      const std::string field = Indexed(list, i);
      if (!IsValidOrgId(org.id)) {
        return Status::InvalidArgument(
            "charter_invalid_org_id",
            field + ".id: " + Quote(org.id) +
                " is not a valid org id (2 to 32 of a-z, 0-9, '-', not starting or ending "
                "with '-')");
      }
      // release_to reads these words as groups (policy/audience.h), so no org may be named so.
      if (org.id == "members" || org.id == "partners" || org.id == "all") {
        return Status::InvalidArgument(
            "charter_reserved_org_id",
            field + ".id: " + Quote(org.id) + " is reserved for a group of orgs");
      }
      if (org.kind != kind) {
        return Status::InvalidArgument(
            "charter_org_kind", field + ": " + Quote(org.id) + " is listed in " +
                                    std::string(list) + " but is a " +
                                    std::string(OrgKindName(org.kind)));
      }
      auto [it, inserted] = seen.emplace(org.id, field);
      if (!inserted) {
        return Status::InvalidArgument(
            "charter_duplicate_org",
            field + ".id: " + Quote(org.id) + " is already used by " + it->second);
      }
    }
    return Status::Ok();
  };
  MARKAZ_RETURN_IF_ERROR(check_orgs(charter.members, "members", OrgKind::kMember));
  MARKAZ_RETURN_IF_ERROR(check_orgs(charter.partners, "partners", OrgKind::kPartner));

  // The rotation order is a permutation of the members. A member left out would never chair,
  // and one listed twice would chair twice per round; neither can be meant silently.
  std::map<std::string, std::size_t, std::less<>> in_order;  // id → position
  for (std::size_t i = 0; i < charter.rotation_order.size(); ++i) {
    const std::string& id = charter.rotation_order[i];
    const std::string field = Indexed("rotation.order", i);
    const OrgEntry* org = charter.FindOrg(id);
    if (org == nullptr || org->kind != OrgKind::kMember) {
      return Status::InvalidArgument("charter_unknown_member",
                                     field + ": " + Quote(id) + " is not a member" +
                                         (org != nullptr ? " (it is a partner)" : ""));
    }
    auto [it, inserted] = in_order.emplace(id, i);
    if (!inserted) {
      return Status::InvalidArgument(
          "charter_duplicate_member",
          field + ": " + Quote(id) + " is already listed at rotation.order[" +
              std::to_string(it->second) + "]");
    }
  }
  for (const auto& m : charter.members) {
    if (!in_order.contains(m.id)) {
      return Status::InvalidArgument(
          "charter_missing_member",
          "rotation.order: member " + Quote(m.id) + " is missing; the order lists every member");
    }
  }

  if (charter.first_chair_index >= charter.rotation_order.size()) {
    return Status::InvalidArgument(
        "charter_bad_first_chair",
        "rotation.first: position " + std::to_string(charter.first_chair_index) +
            " is outside the rotation order of " + std::to_string(charter.rotation_order.size()) +
            " members");
  }

  if (QuorumName(charter.members_quorum).empty()) {
    return Status::InvalidArgument("charter_invalid_quorum", "quorum.members: unknown quorum");
  }
  if (QuorumName(charter.partners_quorum).empty()) {
    return Status::InvalidArgument("charter_invalid_quorum", "quorum.partners: unknown quorum");
  }
  return Status::Ok();
}

}  // namespace markaz::core
