// Shared set-up for integration tests: charters written to a temp dir, `markaz init` and
// `markaz token create` run as a user types them.
#pragma once

#include <gtest/gtest.h>

#include <cctype>
#include <chrono>
#include <ctime>
#include <string>

#include "testutil/run_command.h"
#include "testutil/temp_dir.h"

namespace markaz::testutil {

// RFC 3339 for now + `offset` (UTC, whole seconds).
inline std::string Rfc3339FromNow(std::chrono::seconds offset) {
  auto t = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now() + offset);
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// Percent-encodes everything but RFC 3986's unreserved characters (query values, path ids).
inline std::string UrlEncode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// A charter with members host, m2, m3 (host first), partners p1 (may submit) and p2, 1-month
// terms, starting `start`.
inline std::string TestCharter(const std::string& start, const std::string& term = "1 month") {
  return "[centre]\nname = \"Test Centre\"\nstart = \"" + start +
         "\"\n\n[rotation]\norder = [\"host\", \"m2\", \"m3\"]\nterm = \"" + term +
         "\"\n\n"
         "[[members]]\nid = \"host\"\nnames = { en = \"Host\", ar = \"المضيف\" }\n\n"
         "[[members]]\nid = \"m2\"\nnames = { en = \"Second\" }\n\n"
         "[[members]]\nid = \"m3\"\nnames = { en = \"Third\" }\n\n"
         "[[partners]]\nid = \"p1\"\nnames = { en = \"Partner One\" }\nmay_submit = true\n\n"
         "[[partners]]\nid = \"p2\"\nnames = { en = \"Partner Two\" }\n";
}

// Runs `markaz init` on dir->Sub("data") with `charter_text`; fails the test unless exit 0.
inline std::string InitCentre(const TempDir& dir, const std::string& charter_text) {
  std::string charter = dir.Sub("charter.toml");
  WriteFile(charter, charter_text);
  std::string data = dir.Sub("data");
  CommandResult r = RunMarkaz({"init", "--data", data, "--charter", charter});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return data;
}

// Runs `markaz token create` and returns the token (stdout without the newline).
inline std::string CreateToken(const std::string& data, const std::string& org,
                               const std::string& role) {
  CommandResult r =
      RunMarkaz({"token", "create", "--data", data, "--org", org, "--role", role});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  if (!r.out.empty() && r.out.back() == '\n') r.out.pop_back();
  return r.out;
}

}  // namespace markaz::testutil
