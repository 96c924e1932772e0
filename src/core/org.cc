#include "core/org.h"

namespace markaz::core {

bool IsValidOrgId(std::string_view id) {
  if (id.size() < 2 || id.size() > 32) return false;
  if (id.front() == '-' || id.back() == '-') return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string_view OrgKindName(OrgKind kind) {
  return kind == OrgKind::kMember ? "member" : "partner";
}

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kAnalyst: return "analyst";
    case Role::kReleaser: return "releaser";
    case Role::kAdmin: return "admin";
  }
  return "analyst";  // unreachable
}

std::optional<Role> ParseRole(std::string_view name) {
  if (name == "analyst") return Role::kAnalyst;
  if (name == "releaser") return Role::kReleaser;
  if (name == "admin") return Role::kAdmin;
  return std::nullopt;
}

bool RoleAtLeast(Role have, Role need) {
  return static_cast<int>(have) >= static_cast<int>(need);
}

}  // namespace markaz::core
