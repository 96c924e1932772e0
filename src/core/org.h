// Organisations, roles and principals: the value types every access decision is made of.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace markaz::core {

// An org id is a short slug: [a-z0-9-]{2,32}, not starting or ending with '-'.
bool IsValidOrgId(std::string_view id);

enum class OrgKind {
  kMember,   // full participant, takes turns as chair
  kPartner,  // outside party: receives what is released to it, may submit if the charter allows
};
std::string_view OrgKindName(OrgKind kind);  // "member" | "partner"

enum class Role {
  kAnalyst,   // read, submit, write products
  kReleaser,  // + widens release of its org's items, answers release requests
  kAdmin,     // + manages its org's tokens and webhooks
};
std::string_view RoleName(Role role);                    // "analyst" | "releaser" | "admin"
std::optional<Role> ParseRole(std::string_view name);   // exact, lower case

// True when `have` includes every power of `need` (admin ⊇ releaser ⊇ analyst).
bool RoleAtLeast(Role have, Role need);

// Display names by language tag ("en" → "Republic of Iraq").
using Names = std::map<std::string, std::string>;

}  // namespace markaz::core
