// Status → HTTP: every code's status, the {"error":{"code","message"}} body, and what internal
// errors keep to themselves.
#include "http/errors.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

namespace markaz::http {
namespace {

using core::Code;
using core::Status;
using nlohmann::json;

std::string HeaderOf(const Response& r, const std::string& name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) return v;
  }
  return "";
}

TEST(HttpStatusFor, MapsEveryCode) {
  static const struct {
    Code code;
    int status;
  } kCases[] = {
      {Code::kOk, 200},
      {Code::kInvalidArgument, 400},
      {Code::kUnauthenticated, 401},
      {Code::kPermissionDenied, 403},
      {Code::kNotFound, 404},
      {Code::kConflict, 409},
      {Code::kTooLarge, 413},
      {Code::kResourceExhausted, 429},
      {Code::kUnavailable, 503},
      {Code::kInternal, 500},
  };
  for (const auto& c : kCases) {
    EXPECT_EQ(HttpStatusFor(c.code), c.status) << core::CodeName(c.code);
  }
}

TEST(ErrorResponse, BodyIsTheErrorObjectWithReasonAndMessage) {
  static const struct {
    Code code;
    int status;
  } kCases[] = {
      {Code::kInvalidArgument, 400},   {Code::kUnauthenticated, 401},
      {Code::kPermissionDenied, 403},  {Code::kNotFound, 404},
      {Code::kConflict, 409},          {Code::kTooLarge, 413},
      {Code::kResourceExhausted, 429}, {Code::kUnavailable, 503},
  };
  for (const auto& c : kCases) {
    SCOPED_TRACE(std::string(core::CodeName(c.code)));
    Response r = ErrorResponse(Status(c.code, "some_reason", "what went wrong, for humans"));
    EXPECT_EQ(r.status, c.status);
    EXPECT_EQ(r.content_type, "application/json");
    json body = json::parse(r.body);
    ASSERT_TRUE(body.is_object());
    EXPECT_EQ(body.size(), 1u) << r.body;
    ASSERT_TRUE(body["error"].is_object()) << r.body;
    EXPECT_EQ(body["error"].size(), 2u) << r.body;
    EXPECT_EQ(body["error"]["code"], "some_reason");
    EXPECT_EQ(body["error"]["message"], "what went wrong, for humans");
  }
}

TEST(ErrorResponse, InternalErrorsHideTheirMessage) {
  Response r = ErrorResponse(Status::Internal("SQLITE_CORRUPT in /var/lib/markaz/markaz.db"));
  EXPECT_EQ(r.status, 500);
  json body = json::parse(r.body);
  EXPECT_EQ(body["error"]["code"], "internal");
  EXPECT_EQ(body["error"]["message"], "internal error");
  EXPECT_EQ(r.body.find("SQLITE"), std::string::npos);
  EXPECT_EQ(r.body.find("/var/lib"), std::string::npos);
}

TEST(ErrorResponse, UnauthenticatedAsksForABearerToken) {
  Response r = ErrorResponse(Status::Unauthenticated("missing_token", "no token"));
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(HeaderOf(r, "WWW-Authenticate"), "Bearer");
  // Other errors do not carry the challenge.
  EXPECT_EQ(HeaderOf(ErrorResponse(Status::NotFound("no_route", "x")), "WWW-Authenticate"), "");
}

TEST(ErrorResponse, MessagesAreEscapedAsJson) {
  Response r =
      ErrorResponse(Status::InvalidArgument("bad_input", "quote \" backslash \\ newline \n عربي"));
  json body = json::parse(r.body);
  EXPECT_EQ(body["error"]["message"], "quote \" backslash \\ newline \n عربي");
}

}  // namespace
}  // namespace markaz::http
