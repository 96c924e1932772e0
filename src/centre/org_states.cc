#include "centre/org_states.h"

namespace markaz::centre {

std::vector<policy::OrgState> ToPolicy(const std::vector<store::OrgRow>& orgs) {
  std::vector<policy::OrgState> out;
  out.reserve(orgs.size());
  for (const auto& o : orgs) {
    out.push_back({o.entry.id, o.entry.kind, o.entry.may_submit, o.suspended});
  }
  return out;
}

}  // namespace markaz::centre
