// markaz.toml end to end: `markaz config check` (exit codes and messages), `markaz serve
// --config`, and the order defaults < file < environment < flags, seen in the address the
// server listens on.
#include <gtest/gtest.h>

#include <string>

#include "integration/fixture.h"
#include "integration/test_certs.h"
#include "testutil/http_client.h"
#include "testutil/server_process.h"
#include "testutil/temp_dir.h"

namespace markaz::testutil {
namespace {

TEST(ConfigCheck, TheShippedExampleIsValid) {
  const std::string example = std::string(MARKAZ_SOURCE_DIR) + "/examples/markaz.toml";
  CommandResult r = RunMarkaz({"config", "check", example});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("ok: " + example + ": listen ", 0), 0u) << r.out;
  EXPECT_TRUE(r.err.empty()) << r.err;
}

TEST(ConfigCheck, BadFilesExitTwoNamingFileLineAndKey) {
  TempDir dir;
  struct {
    std::string text;
    std::string expected;
  } cases[] = {
      {"[server]\nlisten = \"127.0.0.1:8080\"\nthreds = 2\n", ":3: server.threds: unknown key"},
      {"[limits]\nburst = \"many\"\n", ":2: limits.burst: expected an integer, found a string"},
      {"[log]\nformat = \"xml\"\n", ":2: log.format: \"xml\" is not a log format"},
      {"[server]\nlisten = \"0.0.0.0:8080\"\n", "--insecure-http"},
      {"[tls]\ncert = \"/etc/x.crt\"\n", "tls.key"},
      {"[server\n", ":1: column"},
  };
  int i = 0;
  for (const auto& c : cases) {
    const std::string file = dir.Sub("bad" + std::to_string(i++) + ".toml");
    WriteFile(file, c.text);
    CommandResult r = RunMarkaz({"config", "check", file});
    EXPECT_EQ(r.exit_code, 2) << c.text;
    EXPECT_TRUE(r.out.empty()) << r.out;
    EXPECT_NE(r.err.find(file), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(c.expected), std::string::npos) << r.err;
  }
  CommandResult missing = RunMarkaz({"config", "check", dir.Sub("absent.toml")});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("absent.toml"), std::string::npos) << missing.err;
}

TEST(ConfigCheck, LoadsTheTlsFilesAsServeWould) {
  TempDir dir;
  TestPki pki(dir, "check");
  CertFiles server = pki.Server("server");
  CertFiles other = pki.Server("other");
  // Relative paths are taken from the file's directory.
  WriteFile(dir.Sub("good.toml"),
            "[server]\nlisten = \"0.0.0.0:8443\"\n[tls]\ncert = \"server.crt\"\n"
            "key = \"server.key\"\n");
  CommandResult good = RunMarkaz({"config", "check", dir.Sub("good.toml")});
  EXPECT_EQ(good.exit_code, 0) << good.err;
  EXPECT_NE(good.out.find("listen 0.0.0.0:8443 (https)"), std::string::npos) << good.out;

  WriteFile(dir.Sub("mismatch.toml"),
            "[tls]\ncert = \"" + server.cert + "\"\nkey = \"" + other.key + "\"\n");
  CommandResult mismatch = RunMarkaz({"config", "check", dir.Sub("mismatch.toml")});
  EXPECT_EQ(mismatch.exit_code, 2);
  EXPECT_NE(mismatch.err.find("does not match"), std::string::npos) << mismatch.err;
}

class ConfigServeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = InitCentre(dir_, TestCharter("2015-10-01T00:00:00Z"));
    config_ = dir_.Sub("markaz.toml");
    // 127.0.0.0/8 is all loopback on Linux: each source of the address gets its own.
    WriteFile(config_, "[server]\nlisten = \"127.0.0.2:0\"\ndata = \"data\"\nthreads = 1\n");
  }

  ServerProcess Serve(std::vector<std::string> extra, std::map<std::string, std::string> env) {
    std::vector<std::string> args = {"serve", "--config", config_};
    args.insert(args.end(), extra.begin(), extra.end());
    return ServerProcess::Command(args, data_, env);
  }

  TempDir dir_;
  std::string data_, config_;
};

TEST_F(ConfigServeTest, FileThenEnvironmentThenFlags) {
  {
    ServerProcess server = Serve({}, {});  // data = "data", relative to the file
    ASSERT_TRUE(server.started()) << server.Stderr();
    EXPECT_EQ(server.url().rfind("http://127.0.0.2:", 0), 0u) << server.url();
    EXPECT_EQ(HttpClient(server.url()).Get("/v1/health").status, 200);
  }
  {
    ServerProcess server = Serve({}, {{"MARKAZ_LISTEN", "127.0.0.3:0"}});
    ASSERT_TRUE(server.started()) << server.Stderr();
    EXPECT_EQ(server.url().rfind("http://127.0.0.3:", 0), 0u) << server.url();
  }
  {
    ServerProcess server = Serve({"--listen", "127.0.0.4:0"}, {{"MARKAZ_LISTEN", "127.0.0.3:0"}});
    ASSERT_TRUE(server.started()) << server.Stderr();
    EXPECT_EQ(server.url().rfind("http://127.0.0.4:", 0), 0u) << server.url();
  }
}

TEST_F(ConfigServeTest, EnvironmentAloneCanNameDataAndListen) {
  ServerProcess server = ServerProcess::Command(
      {"serve"}, data_, {{"MARKAZ_DATA", data_}, {"MARKAZ_LISTEN", "127.0.0.5:0"}});
  ASSERT_TRUE(server.started()) << server.Stderr();
  EXPECT_EQ(server.url().rfind("http://127.0.0.5:", 0), 0u) << server.url();
  EXPECT_EQ(HttpClient(server.url()).Get("/v1/health").status, 200);
}

TEST_F(ConfigServeTest, EnvironmentTlsFilesTurnOnHttps) {
  TestPki pki(dir_, "env");
  CertFiles cert = pki.Server("server");
  ServerProcess server = Serve({"--listen", "127.0.0.1:0"},
                               {{"MARKAZ_TLS_CERT", cert.cert}, {"MARKAZ_TLS_KEY", cert.key}});
  ASSERT_TRUE(server.started()) << server.Stderr();
  ASSERT_EQ(server.url().rfind("https://127.0.0.1:", 0), 0u) << server.url();
  EXPECT_EQ(HttpClient(server.url(), {pki.ca_file(), "", ""}).Get("/v1/health").status, 200);
}

TEST_F(ConfigServeTest, RefusesBadConfigurationBeforeServing) {
  struct {
    std::string text;
    std::map<std::string, std::string> env;
    std::string expected;
  } cases[] = {
      {"[server]\ndata = \"data\"\nlisten = \"127.0.0.1:0\"\nthreds = 2\n",
       {},
       ":4: server.threds: unknown key"},
      {"[server]\ndata = \"data\"\nlisten = \"127.0.0.1:0\"\n[limits.body]\n\"POST /v1/nothing\" = "
       "10\n",
       {},
       "\"POST /v1/nothing\" is not a route"},
      {"[server]\ndata = \"data\"\nlisten = \"127.0.0.1:0\"\n",
       {{"MARKAZ_THREADS", "zero"}},
       "MARKAZ_THREADS"},
      {"[server]\nlisten = \"127.0.0.1:0\"\n", {}, "no data directory"},
  };
  for (const auto& c : cases) {
    WriteFile(config_, c.text);
    ServerProcess server = Serve({}, c.env);
    EXPECT_FALSE(server.started()) << c.text;
    EXPECT_NE(server.Stderr().find(c.expected), std::string::npos) << server.Stderr();
    EXPECT_EQ(server.Terminate(), -1);  // already gone
  }
}

}  // namespace
}  // namespace markaz::testutil
