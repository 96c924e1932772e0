// Status and Result<T>: how every fallible call in markaz reports an expected failure.
//
// Expected failures (bad input, not found, refused by policy, I/O errors) are values, never
// exceptions (STYLE.md habit 2). A Status carries:
//   - a Code from a small closed set, which http/ maps to an HTTP status in one place;
//   - a reason: a stable snake_case string that clients may rely on ("charter_unknown_member");
//   - a message for humans.
// Policy answers "not allowed to see" with the same NotFound as "does not exist" (DESIGN.md §2.5).
//
// Example:
//   core::Result<Term> term = rotation.TermAt(now);
//   if (!term.ok()) return term.status();
//   MARKAZ_ASSIGN_OR_RETURN(auto t, rotation.TermAt(now));
//
// Thread-safety: values; const methods are safe to call concurrently.
#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace markaz::core {

enum class Code {
  kOk,
  kInvalidArgument,     // bad input: 400
  kUnauthenticated,     // no or bad credentials: 401
  kPermissionDenied,    // allowed to see, not to do: 403
  kNotFound,            // absent or not visible: 404
  kConflict,            // state conflict (already exists, already initialised): 409
  kTooLarge,            // payload too large: 413
  kResourceExhausted,   // rate limited: 429
  kUnavailable,         // try again later: 503
  kInternal,            // our bug or an I/O failure: 500
};

// The stable snake_case name of a code ("invalid_argument"), used as the default reason.
std::string_view CodeName(Code code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // ok
  Status(Code code, std::string reason, std::string message);

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string reason, std::string message) {
    return Status(Code::kInvalidArgument, std::move(reason), std::move(message));
  }
  static Status Unauthenticated(std::string reason, std::string message) {
    return Status(Code::kUnauthenticated, std::move(reason), std::move(message));
  }
  static Status PermissionDenied(std::string reason, std::string message) {
    return Status(Code::kPermissionDenied, std::move(reason), std::move(message));
  }
  static Status NotFound(std::string reason, std::string message) {
    return Status(Code::kNotFound, std::move(reason), std::move(message));
  }
  static Status Conflict(std::string reason, std::string message) {
    return Status(Code::kConflict, std::move(reason), std::move(message));
  }
  static Status TooLarge(std::string reason, std::string message) {
    return Status(Code::kTooLarge, std::move(reason), std::move(message));
  }
  static Status Unavailable(std::string reason, std::string message) {
    return Status(Code::kUnavailable, std::move(reason), std::move(message));
  }
  static Status Internal(std::string message) {
    return Status(Code::kInternal, "internal", std::move(message));
  }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  // Stable machine-readable reason; empty when ok.
  const std::string& reason() const { return reason_; }
  const std::string& message() const { return message_; }
  // "reason: message", for logs and CLI output.
  std::string ToString() const;

  // Returns a copy whose message is prefixed with `context + ": "`; the code and reason stay.
  Status WithContext(std::string_view context) const;

 private:
  Code code_ = Code::kOk;
  std::string reason_;
  std::string message_;
};

// Either a T or a non-ok Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT: implicit by design
    assert(!std::get<Status>(v_).ok() && "Result built from an ok Status");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  // The error; Status::Ok() when the result holds a value.
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(v_); }

  T& value() & { assert(ok()); return std::get<T>(v_); }
  const T& value() const& { assert(ok()); return std::get<T>(v_); }
  T&& value() && { assert(ok()); return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace markaz::core

#define MARKAZ_CONCAT_INNER_(a, b) a##b
#define MARKAZ_CONCAT_(a, b) MARKAZ_CONCAT_INNER_(a, b)

// Returns the Status of `expr` from the enclosing function when it is not ok.
// (The variable name is unique per use so that nested uses, e.g. inside a Write() callback,
// do not shadow each other.)
#define MARKAZ_RETURN_IF_ERROR(expr) \
  MARKAZ_RETURN_IF_ERROR_IMPL_(MARKAZ_CONCAT_(markaz_status_, __COUNTER__), expr)
#define MARKAZ_RETURN_IF_ERROR_IMPL_(var, expr) \
  do {                                          \
    ::markaz::core::Status var = (expr);        \
    if (!var.ok()) return var;                  \
  } while (false)

// Declares/assigns `lhs` from the value of a Result expression, or returns its Status.
#define MARKAZ_ASSIGN_OR_RETURN(lhs, expr) \
  MARKAZ_ASSIGN_OR_RETURN_IMPL_(MARKAZ_CONCAT_(markaz_result_, __COUNTER__), lhs, expr)
#define MARKAZ_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return tmp.status();                 \
  lhs = std::move(tmp).value()
