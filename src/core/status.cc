#include "core/status.h"

namespace markaz::core {

std::string_view CodeName(Code code) {
  switch (code) {
    case Code::kOk: return "ok";
    case Code::kInvalidArgument: return "invalid_argument";
    case Code::kUnauthenticated: return "unauthenticated";
    case Code::kPermissionDenied: return "permission_denied";
    case Code::kNotFound: return "not_found";
    case Code::kConflict: return "conflict";
    case Code::kTooLarge: return "too_large";
    case Code::kResourceExhausted: return "resource_exhausted";
    case Code::kUnavailable: return "unavailable";
    case Code::kInternal: return "internal";
  }
  return "internal";  // unreachable: the switch covers the enum
}

Status::Status(Code code, std::string reason, std::string message)
    : code_(code), reason_(std::move(reason)), message_(std::move(message)) {
  if (code_ != Code::kOk && reason_.empty()) reason_ = std::string(CodeName(code_));
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  return reason_ + ": " + message_;
}

Status Status::WithContext(std::string_view context) const {
  if (ok()) return *this;
  return Status(code_, reason_, std::string(context) + ": " + message_);
}

}  // namespace markaz::core
