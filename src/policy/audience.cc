// Sharing rules at the door: submission rights, audience expansion and the read check.
#include "policy/audience.h"

#include <algorithm>
#include <cassert>
#include <string_view>

namespace markaz::policy {
namespace {

std::string Quote(std::string_view s) { return "\"" + std::string(s) + "\""; }

// `release_to[i]: "entry"`: every release error starts with this, so the client can point at
// the entry it sent.
std::string EntryRef(std::size_t i, std::string_view entry) {
  return "release_to[" + std::to_string(i) + "]: " + Quote(entry);
}

// A linear scan: a centre has tens of orgs, and policy stays free of any index that callers
// would have to keep in step with the charter.
const OrgState* FindOrg(const std::vector<OrgState>& orgs, std::string_view id) {
  for (const OrgState& org : orgs) {
    if (org.id == id) return &org;
  }
  return nullptr;
}

bool IsGroup(std::string_view entry) {
  return entry == kGroupMembers || entry == kGroupPartners || entry == kGroupAll;
}

}  // namespace

core::Status CheckMaySubmit(const OrgState& submitter) {
  // Suspension first: it is the stronger statement, and true of members and partners alike.
  if (submitter.suspended) {
    return core::Status::PermissionDenied(
        "org_suspended", "org " + Quote(submitter.id) + " is suspended and may not submit");
  }
  // may_submit is a partner setting; the charter gives every member the right to submit.
  if (submitter.kind == core::OrgKind::kPartner && !submitter.may_submit) {
    return core::Status::PermissionDenied(
        "partner_may_not_submit",
        "org " + Quote(submitter.id) + " is a partner and the charter does not let it submit");
  }
  return core::Status::Ok();
}

core::Result<core::Audience> ExpandAudience(const std::string& originator, core::Tlp tlp,
                                            const std::vector<std::string>& release_to,
                                            const std::vector<OrgState>& orgs) {
  const OrgState* self = FindOrg(orgs, originator);
  if (self == nullptr) {
    return core::Status::Internal("originator " + Quote(originator) +
                                  " is not an org of this centre");
  }
  // A suspended originator would have to be both in its audience and out of it.
  if (self->suspended) {
    return core::Status::PermissionDenied(
        "org_suspended", "org " + Quote(originator) + " is suspended and may not release");
  }

  const std::string tlp_name(core::TlpName(tlp));
  core::Audience audience{originator};
  for (std::size_t i = 0; i < release_to.size(); ++i) {
    const std::string& entry = release_to[i];

    // Group names win over org ids, so a group means the same thing in every centre.
    if (IsGroup(entry)) {
      // The marking is judged on the request, not on today's org list: "all" under
      // amber+strict is refused even while no partner is active, so the same request gets the
      // same answer whoever happens to be admitted or suspended at the time.
      if (tlp == core::Tlp::kRed) {
        return core::Status::InvalidArgument(
            "tlp_red_named_only",
            EntryRef(i, entry) + " is a group; " + tlp_name + " goes to named orgs only");
      }
      const bool wants_members = entry != kGroupPartners;
      const bool wants_partners = entry != kGroupMembers;
      if (tlp == core::Tlp::kAmberStrict && wants_partners) {
        return core::Status::InvalidArgument(
            "tlp_amber_strict_partner",
            EntryRef(i, entry) + " includes partners; " + tlp_name + " never goes to partners");
      }
      for (const OrgState& org : orgs) {
        if (org.suspended) continue;  // reached through a group: skipped, not an error
        const bool is_member = org.kind == core::OrgKind::kMember;
        if (is_member ? wants_members : wants_partners) audience.push_back(org.id);
      }
      continue;
    }

    const OrgState* org = FindOrg(orgs, entry);
    if (org == nullptr) {
      return core::Status::InvalidArgument(
          "release_unknown_org", EntryRef(i, entry) + " is not an org of this centre");
    }
    // Naming oneself adds nothing and breaks no rule: the originator is always in, and an
    // amber+strict partner originator is not thereby "released to a partner".
    if (entry == originator) continue;
    if (org->suspended) {
      return core::Status::InvalidArgument(
          "release_suspended_org", EntryRef(i, entry) + " is suspended and receives nothing");
    }
    if (tlp == core::Tlp::kAmberStrict && org->kind == core::OrgKind::kPartner) {
      return core::Status::InvalidArgument(
          "tlp_amber_strict_partner",
          EntryRef(i, entry) + " is a partner; " + tlp_name + " never goes to partners");
    }
    audience.push_back(entry);
  }

  std::sort(audience.begin(), audience.end());
  audience.erase(std::unique(audience.begin(), audience.end()), audience.end());
  return audience;
}

bool InAudience(const core::Audience& audience, const std::string& org) {
  // Audiences are stored as ExpandAudience returns them; an unsorted one is our bug, and
  // binary_search would silently deny an org that is in it.
  assert(std::is_sorted(audience.begin(), audience.end()));
  return std::binary_search(audience.begin(), audience.end(), org);
}

}  // namespace markaz::policy
