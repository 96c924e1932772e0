// Release after submission (DESIGN.md §2 rules 2 and 3): only the originator widens, nobody
// narrows, and the marking bounds the widened audience exactly as it bounds the first one.
// Other readers may only ask (release requests); a recipient can never pass an item on.
//
// Example:
//   MARKAZ_RETURN_IF_ERROR(policy::CheckMayRelease(who.org, who.role, report.originator));
//   MARKAZ_ASSIGN_OR_RETURN(policy::Widening w,
//       policy::Widen(report.originator, report.input.tlp, report.audience, release_to, orgs));
//
// Thread-safety: free functions without state.
#pragma once

#include <string>
#include <vector>

#include "core/org.h"
#include "core/report.h"
#include "core/status.h"
#include "core/tlp.h"
#include "policy/audience.h"

namespace markaz::policy {

// May a principal of `org` with `role` widen (or decide requests about) an item of
// `originator`? Ok for releasers and admins of the originator. PermissionDenied:
//   not_originator        another org (even one that can read the item: third-party rule)
//   role_may_not_release  an analyst of the originator
core::Status CheckMayRelease(const std::string& org, core::Role role,
                             const std::string& originator);

// The audience after releasing an item of `originator` marked `tlp`, now read by `current`
// (sorted), to `release_to` as well: current ∪ ExpandAudience(release_to) (audience.h: the same
// entries, groups and TLP rules, the same errors). Groups expand to the orgs active now; an org
// suspended since the item was released keeps what it received but is not added again.
struct Widening {
  core::Audience audience;  // sorted
  core::Audience added;     // sorted; orgs of audience not in current
};
// InvalidArgument "empty_release" when release_to is empty.
core::Result<Widening> Widen(const std::string& originator, core::Tlp tlp,
                             const core::Audience& current,
                             const std::vector<std::string>& release_to,
                             const std::vector<OrgState>& orgs);

}  // namespace markaz::policy
