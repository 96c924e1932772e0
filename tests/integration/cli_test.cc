// The `markaz` command as a user types it: init, token create, audit verify, --help, and the
// refusals of bad input (exit 2, one line naming the problem, nothing created or changed).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <regex>

#include "integration/fixture.h"
#include "testutil/run_command.h"
#include "testutil/temp_dir.h"

namespace markaz::testutil {
namespace {

namespace fs = std::filesystem;

std::string Example(const std::string& name) {
  return std::string(MARKAZ_SOURCE_DIR) + "/examples/" + name;
}

int CountLines(const std::string& s) {
  return static_cast<int>(std::count(s.begin(), s.end(), '\n'));
}

void ExecSql(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  std::string message = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << message;
}

TEST(Cli, InitFromExampleChartersThenVerifyPasses) {
  for (const char* example : {"charter.toml", "charter-minimal.toml"}) {
    TempDir dir;
    CommandResult init = RunMarkaz({"init", "--data", dir.Sub("data"), "--charter", Example(example)});
    ASSERT_EQ(init.exit_code, 0) << example << ": " << init.err;
    CommandResult verify = RunMarkaz({"audit", "verify", "--data", dir.Sub("data")});
    EXPECT_EQ(verify.exit_code, 0) << verify.err;
    EXPECT_NE(verify.out.find("audit chain ok: 1 entries"), std::string::npos) << verify.out;
  }
}

struct BadCharterCase {
  const char* name;
  std::string charter;
  const char* expected_in_message;
};

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(Cli, InitRefusesBadChartersWithOneLineAndCreatesNothing) {
  const std::string good = TestCharter("2015-10-01T00:00:00Z");
  const BadCharterCase cases[] = {
      {"unknown member in order",
       Replace(good, "order = [\"host\", \"m2\", \"m3\"]", "order = [\"host\", \"m2\", \"m9\"]"),
       "m9"},
      {"duplicate org id", Replace(good, "id = \"m3\"", "id = \"m2\""), "m2"},
      {"term of 4 months", TestCharter("2015-10-01T00:00:00Z", "4 months"), "term"},
      {"term of 93 days", TestCharter("2015-10-01T00:00:00Z", "93 days"), "term"},
      {"first chair not a member",
       Replace(good, "term = \"1 month\"", "term = \"1 month\"\nfirst = \"p1\""), "first"},
      {"invalid TOML", Replace(good, "[rotation]", "[rotation"), "charter.toml"},
      {"unknown key", Replace(good, "[centre]\n", "[centre]\ncolour = \"red\"\n"), "colour"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    TempDir dir;
    WriteFile(dir.Sub("charter.toml"), c.charter);
    CommandResult r = RunMarkaz({"init", "--data", dir.Sub("data"), "--charter", dir.Sub("charter.toml")});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(CountLines(r.err), 1) << r.err;
    EXPECT_NE(r.err.find(c.expected_in_message), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir.Sub("data"))) << "a refused init must create nothing";
  }
}

TEST(Cli, InitRefusesDirectoryThatHoldsACentreAndChangesNothing) {
  TempDir dir;
  std::string data = InitCentre(dir, TestCharter("2015-10-01T00:00:00Z"));
  CreateToken(data, "host", "admin");
  std::string before = ReadFile(data + "/markaz.db");
  ASSERT_FALSE(before.empty());

  CommandResult again = RunMarkaz({"init", "--data", data, "--charter", Example("charter.toml")});
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.err.find("already holds a centre"), std::string::npos) << again.err;
  EXPECT_EQ(ReadFile(data + "/markaz.db"), before);
  CommandResult verify = RunMarkaz({"audit", "verify", "--data", data});
  EXPECT_NE(verify.out.find("2 entries"), std::string::npos) << verify.out;
}

TEST(Cli, TokenCreatePrintsTheTokenAloneAndAuditsIt) {
  TempDir dir;
  std::string data = InitCentre(dir, TestCharter("2015-10-01T00:00:00Z"));
  CommandResult r = RunMarkaz({"token", "create", "--data", data, "--org", "m2", "--role",
                               "releaser", "--name", "ops"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::regex_match(r.out, std::regex("mkz_[0-9A-HJKMNP-TV-Z]{26}_[0-9a-f]{64}\n")))
      << r.out;
  // Shown once, stored hashed: the secret part never reaches the database file.
  std::string secret = r.out.substr(r.out.rfind('_') + 1, 64);
  EXPECT_EQ(ReadFile(data + "/markaz.db").find(secret), std::string::npos);
  EXPECT_EQ(ReadFile(data + "/markaz.db-wal").find(secret), std::string::npos);

  CommandResult verify = RunMarkaz({"audit", "verify", "--data", data});
  EXPECT_EQ(verify.exit_code, 0);
  EXPECT_NE(verify.out.find("2 entries"), std::string::npos) << verify.out;
}

TEST(Cli, TokenCreateRefusesBadInput) {
  TempDir dir;
  std::string data = InitCentre(dir, TestCharter("2015-10-01T00:00:00Z"));
  struct {
    std::vector<std::string> args;
    const char* expected;
  } cases[] = {
      {{"token", "create", "--data", data, "--org", "nobody", "--role", "admin"}, "nobody"},
      {{"token", "create", "--data", data, "--org", "host", "--role", "root"}, "root"},
      {{"token", "create", "--data", dir.Sub("elsewhere"), "--org", "host", "--role", "admin"},
       "elsewhere"},
      {{"token", "create", "--data", data, "--role", "admin"}, "--org"},
  };
  for (const auto& c : cases) {
    CommandResult r = RunMarkaz(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.expected;
    EXPECT_TRUE(r.out.empty()) << r.out;
    EXPECT_NE(r.err.find(c.expected), std::string::npos) << r.err;
  }
  CommandResult verify = RunMarkaz({"audit", "verify", "--data", data});
  EXPECT_NE(verify.out.find("1 entries"), std::string::npos) << "refusals change nothing";
}

TEST(Cli, AuditVerifyFailsAfterOneRowIsAlteredByHand) {
  struct {
    const char* sql;
    const char* expected;
  } tamperings[] = {
      {"UPDATE audit SET actor = 'someone-else' WHERE seq = 2", "seq 2"},
      {"UPDATE audit SET detail = '{}' WHERE seq = 3", "seq 3"},
      {"DELETE FROM audit WHERE seq = 2", "seq 3"},
  };
  for (const auto& t : tamperings) {
    SCOPED_TRACE(t.sql);
    TempDir dir;
    std::string data = InitCentre(dir, TestCharter("2015-10-01T00:00:00Z"));
    CreateToken(data, "host", "admin");
    CreateToken(data, "m2", "analyst");
    ASSERT_EQ(RunMarkaz({"audit", "verify", "--data", data}).exit_code, 0);
    // Whoever edits the file by hand is not bound by the store's guard triggers.
    ExecSql(data + "/markaz.db", std::string("DROP TRIGGER IF EXISTS audit_no_update;"
                                             "DROP TRIGGER IF EXISTS audit_no_delete;") +
                                     t.sql);
    CommandResult r = RunMarkaz({"audit", "verify", "--data", data});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find(t.expected), std::string::npos) << r.err;
  }
}

TEST(Cli, HelpOnEveryCommand) {
  const std::vector<std::vector<std::string>> commands = {
      {"--help"}, {"init", "--help"}, {"token", "--help"}, {"token", "create", "--help"},
      {"serve", "--help"}, {"audit", "--help"}, {"audit", "verify", "--help"}, {"demo", "--help"},
  };
  for (const auto& args : commands) {
    CommandResult r = RunMarkaz(args);
    EXPECT_EQ(r.exit_code, 0) << args[0];
    EXPECT_NE((r.out + r.err).find("Usage"), std::string::npos) << r.out << r.err;
  }
}

TEST(Cli, UsageErrorsExitTwo) {
  TempDir dir;
  for (const auto& args : std::vector<std::vector<std::string>>{
           {}, {"frobnicate"}, {"init", "--data", dir.Sub("d")}, {"serve"},
           {"serve", "--data", dir.Sub("none")}}) {
    CommandResult r = RunMarkaz(args);
    EXPECT_EQ(r.exit_code, 2) << (args.empty() ? "" : args[0]) << r.err;
  }
}

TEST(Cli, ServeRefusesPlainHttpOnNonLoopbackAddress) {
  TempDir dir;
  std::string data = InitCentre(dir, TestCharter("2015-10-01T00:00:00Z"));
  CommandResult r = RunMarkaz({"serve", "--data", data, "--listen", "0.0.0.0:0"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--insecure-http"), std::string::npos) << r.err;
  CommandResult bad = RunMarkaz({"serve", "--data", data, "--listen", "127.0.0.1:99999"});
  EXPECT_EQ(bad.exit_code, 2);
}

}  // namespace
}  // namespace markaz::testutil
