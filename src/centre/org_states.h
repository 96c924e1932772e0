// The stored orgs as policy sees them (policy::OrgState): shared by every use case that asks
// policy about audiences (submission, widening, release requests).
#pragma once

#include <vector>

#include "policy/audience.h"
#include "store/store.h"

namespace markaz::centre {

std::vector<policy::OrgState> ToPolicy(const std::vector<store::OrgRow>& orgs);

}  // namespace markaz::centre
