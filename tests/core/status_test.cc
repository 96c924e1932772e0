// Tests for core/status.h: codes, reasons, messages, Result<T> and the early-return macros.
#include "core/status.h"

#include <memory>
#include <string>

#include <gtest/gtest.h>

namespace markaz::core {
namespace {

TEST(Status, DefaultIsOkWithEmptyReason) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), Code::kOk);
  EXPECT_EQ(s.reason(), "");
  EXPECT_EQ(s.ToString(), "ok");
  EXPECT_TRUE(Status::Ok().ok());
}

TEST(Status, FactoriesSetCodeReasonAndMessage) {
  struct Case {
    Status status;
    Code code;
    std::string reason;
  } cases[] = {
      {Status::InvalidArgument("bad_x", "m"), Code::kInvalidArgument, "bad_x"},
      {Status::Unauthenticated("no_token", "m"), Code::kUnauthenticated, "no_token"},
      {Status::PermissionDenied("not_chair", "m"), Code::kPermissionDenied, "not_chair"},
      {Status::NotFound("no_report", "m"), Code::kNotFound, "no_report"},
      {Status::Conflict("exists", "m"), Code::kConflict, "exists"},
      {Status::TooLarge("body", "m"), Code::kTooLarge, "body"},
      {Status::Unavailable("busy", "m"), Code::kUnavailable, "busy"},
      {Status::Internal("m"), Code::kInternal, "internal"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.reason);
    EXPECT_FALSE(c.status.ok());
    EXPECT_EQ(c.status.code(), c.code);
    EXPECT_EQ(c.status.reason(), c.reason);
    EXPECT_EQ(c.status.message(), "m");
    EXPECT_EQ(c.status.ToString(), c.reason + ": m");
  }
}

TEST(Status, EmptyReasonDefaultsToCodeName) {
  struct Case {
    Code code;
    std::string reason;
  } cases[] = {
      {Code::kInvalidArgument, "invalid_argument"}, {Code::kUnauthenticated, "unauthenticated"},
      {Code::kPermissionDenied, "permission_denied"}, {Code::kNotFound, "not_found"},
      {Code::kConflict, "conflict"},                 {Code::kTooLarge, "too_large"},
      {Code::kResourceExhausted, "resource_exhausted"}, {Code::kUnavailable, "unavailable"},
      {Code::kInternal, "internal"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(CodeName(c.code), c.reason);
    EXPECT_EQ(Status(c.code, "", "m").reason(), c.reason);
  }
  EXPECT_EQ(CodeName(Code::kOk), "ok");
}

TEST(Status, WithContextPrefixesMessageAndKeepsCodeAndReason) {
  Status s = Status::NotFound("no_report", "rep_1 is absent");
  Status wrapped = s.WithContext("reading").WithContext("charter.toml");
  EXPECT_EQ(wrapped.code(), Code::kNotFound);
  EXPECT_EQ(wrapped.reason(), "no_report");
  EXPECT_EQ(wrapped.message(), "charter.toml: reading: rep_1 is absent");
  EXPECT_EQ(s.message(), "rep_1 is absent");  // the original is unchanged
  EXPECT_TRUE(Status::Ok().WithContext("ctx").ok());
  EXPECT_EQ(Status::Ok().WithContext("ctx").message(), "");
}

TEST(Result, HoldsValueOrStatus) {
  Result<int> v = 7;
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, 7);
  EXPECT_TRUE(v.status().ok());

  Result<int> e = Status::NotFound("nope", "missing");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().reason(), "nope");
  EXPECT_EQ(e.status().message(), "missing");

  Result<std::string> s = std::string("abc");
  EXPECT_EQ(s->size(), 3u);
  std::string moved = std::move(s).value();
  EXPECT_EQ(moved, "abc");

  Result<std::unique_ptr<int>> p = std::make_unique<int>(5);
  std::unique_ptr<int> owned = std::move(p).value();
  EXPECT_EQ(*owned, 5);
}

Status FailIf(bool fail) {
  if (fail) return Status::Conflict("taken", "already there");
  return Status::Ok();
}

Result<int> Half(int n) {
  if (n % 2 != 0) return Status::InvalidArgument("odd", std::to_string(n) + " is odd");
  return n / 2;
}

// Uses both macros; `steps` records how far the function got before returning.
Result<int> Chain(bool fail_first, int n, int* steps) {
  *steps = 0;
  MARKAZ_RETURN_IF_ERROR(FailIf(fail_first));
  *steps = 1;
  MARKAZ_ASSIGN_OR_RETURN(int h, Half(n));
  *steps = 2;
  MARKAZ_ASSIGN_OR_RETURN(h, Half(h));  // assigns to an existing variable
  *steps = 3;
  return h;
}

TEST(StatusMacros, ReturnEarlyWithTheFirstError) {
  struct Case {
    bool fail_first;
    int n;
    int steps;
    std::string reason;  // empty when ok
    int value;
  } cases[] = {
      {true, 8, 0, "taken", 0},
      {false, 7, 1, "odd", 0},
      {false, 6, 2, "odd", 0},  // 6 / 2 = 3 is odd
      {false, 8, 3, "", 2},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.n);
    int steps = -1;
    Result<int> r = Chain(c.fail_first, c.n, &steps);
    EXPECT_EQ(steps, c.steps);
    if (c.reason.empty()) {
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      EXPECT_EQ(*r, c.value);
    } else {
      ASSERT_FALSE(r.ok());
      EXPECT_EQ(r.status().reason(), c.reason);
    }
  }
}

}  // namespace
}  // namespace markaz::core
