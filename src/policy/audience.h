// Sharing rules at the door (DESIGN.md §2): who may submit, to whom an item may go, and who may
// read it. Pure functions over core values: the single place these rules are written. centre/
// calls them; nothing else decides access.
//
// Example:
//   MARKAZ_RETURN_IF_ERROR(policy::CheckMaySubmit(submitter));
//   MARKAZ_ASSIGN_OR_RETURN(
//       core::Audience audience,
//       policy::ExpandAudience(submitter.id, input.tlp, input.release_to, orgs));
//   ...
//   if (!policy::InAudience(item.audience, caller_org)) return NotFound(...);  // no oracle, §2.5
//
// Thread-safety: free functions without state; safe to call concurrently.
#pragma once

#include <string>
#include <vector>

#include "core/charter.h"
#include "core/org.h"
#include "core/report.h"
#include "core/status.h"
#include "core/tlp.h"

namespace markaz::policy {

// The orgs of the centre as policy sees them at one instant.
struct OrgState {
  std::string id;
  core::OrgKind kind = core::OrgKind::kMember;
  bool may_submit = true;  // read for partners only: members always may submit
  bool suspended = false;
};

// Group names accepted in release_to (exact, lower case). A group name is always read as the
// group, never as an org id.
inline constexpr const char* kGroupMembers = "members";
inline constexpr const char* kGroupPartners = "partners";
inline constexpr const char* kGroupAll = "all";

// May `submitter` submit at all? Ok for an active member (whatever its may_submit says) and for
// an active partner whose charter entry allows it. Otherwise PermissionDenied:
//   org_suspended            the org is suspended (checked first)
//   partner_may_not_submit   a partner whose charter entry forbids submitting
core::Status CheckMaySubmit(const OrgState& submitter);

// Expands `release_to` for an item of `originator` marked `tlp` into an explicit audience:
// sorted, unique, always containing the originator, never a suspended org (a suspended org
// reached through a group is skipped silently; naming one explicitly is an error).
//
// Entries are org ids or the groups "members" (every active member), "partners" (every active
// partner) and "all" (both). [] means the originator only. Duplicates are fine, and so is the
// originator naming itself (under any TLP). Expansion happens once, at submission: later
// admissions do not widen it. The order of `orgs` does not matter.
//
// TLP never narrows a request; it either lets the whole request through or refuses it (§2.3):
//   clear, green, amber   any entry.
//   amber+strict          no partner other than the originator: naming one, or using "partners"
//                         or "all", is refused (even when no partner is active: the request
//                         itself breaks the marking). "members" and named members are fine.
//   red                   named orgs only: any group is refused.
// Decision: a partner (allowed to submit) may mark its own item amber+strict; its audience is
// then the partner itself plus members, named or through "members". The partner is in the
// audience as originator, which does not break "never to partners": it is not a release to it.
//
// Errors, each naming the offending entry by index ("release_to[2]: \"p9\" is not an org of
// this centre"). Entries are checked in order and the first offending one is reported; for one
// entry the checks run in the order below. All are InvalidArgument:
//   release_unknown_org        an entry is neither an org of the centre nor a group
//   release_suspended_org      an explicitly named org (not the originator) is suspended
//   tlp_red_named_only         red with a group
//   tlp_amber_strict_partner   amber+strict with a named partner (not the originator),
//                              "partners" or "all"
// The originator itself must be an active org of `orgs`: PermissionDenied "org_suspended" when it
// is suspended (it could not be in its own audience); Internal when it is not in `orgs` at all,
// since the originator is the authenticated caller's org and that is our bug, not bad input.
core::Result<core::Audience> ExpandAudience(const std::string& originator, core::Tlp tlp,
                                            const std::vector<std::string>& release_to,
                                            const std::vector<OrgState>& orgs);

// True when `org` is in `audience`, which must be sorted (as ExpandAudience returns it).
// This is the read check: an org may read an item exactly when it is in the item's audience.
// There is deliberately no separate MayRead(); every read path (item, search, feeds, exports)
// asks this one function. It is pure set membership: whether a suspended org may still use
// its tokens at all is decided at authentication, not here.
bool InAudience(const core::Audience& audience, const std::string& org);

}  // namespace markaz::policy
