#include "policy/release.h"

#include <algorithm>
#include <iterator>

namespace markaz::policy {

core::Status CheckMayRelease(const std::string& org, core::Role role,
                             const std::string& originator) {
  if (org != originator) {
    return core::Status::PermissionDenied(
        "not_originator", "only the originator of an item may release it further; ask it with "
                          "a release request");
  }
  if (role != core::Role::kReleaser && role != core::Role::kAdmin) {
    return core::Status::PermissionDenied(
        "role_may_not_release", "releasing an item takes the releaser or admin role");
  }
  return core::Status::Ok();
}

core::Result<Widening> Widen(const std::string& originator, core::Tlp tlp,
                             const core::Audience& current,
                             const std::vector<std::string>& release_to,
                             const std::vector<OrgState>& orgs) {
  if (release_to.empty()) {
    return core::Status::InvalidArgument("empty_release",
                                         "release_to must name at least one org or group");
  }
  MARKAZ_ASSIGN_OR_RETURN(core::Audience asked, ExpandAudience(originator, tlp, release_to, orgs));
  Widening w;
  std::set_union(current.begin(), current.end(), asked.begin(), asked.end(),
                 std::back_inserter(w.audience));
  std::set_difference(w.audience.begin(), w.audience.end(), current.begin(), current.end(),
                      std::back_inserter(w.added));
  return w;
}

}  // namespace markaz::policy
