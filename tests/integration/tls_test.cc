// `markaz serve` over HTTPS with a CA made in the test: certificates verified by libcurl,
// TLS versions and ALPN seen by `openssl s_client`, plain HTTP to the TLS port, and the client
// certificate as a second factor.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "integration/fixture.h"
#include "integration/test_certs.h"
#include "testutil/http_client.h"
#include "testutil/server_process.h"
#include "testutil/temp_dir.h"

namespace markaz::testutil {
namespace {

using nlohmann::json;

std::string ErrorCode(const HttpResult& r) {
  json j = json::parse(r.body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.contains("error")) return "(not an error body: " + r.body + ")";
  return j["error"]["code"].get<std::string>();
}

std::string PortOf(const std::string& url) { return url.substr(url.rfind(':') + 1); }

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = InitCentre(dir_, TestCharter(Rfc3339FromNow(-std::chrono::hours(24 * 10))));
    host_admin_ = CreateToken(data_, "host", "admin");
    m2_analyst_ = CreateToken(data_, "m2", "analyst");
    p1_analyst_ = CreateToken(data_, "p1", "analyst");
    server_cert_ = pki_.Server("server");
  }

  TempDir dir_;
  TestPki pki_{dir_, "centre"};
  std::string data_;
  std::string host_admin_, m2_analyst_, p1_analyst_;
  CertFiles server_cert_;
};

TEST_F(TlsTest, ServesHttpsVerifiedAgainstTheCa) {
  ServerProcess server(data_, {"--tls-cert", server_cert_.cert, "--tls-key", server_cert_.key});
  ASSERT_TRUE(server.started()) << server.Stderr();
  ASSERT_EQ(server.url().rfind("https://127.0.0.1:", 0), 0u) << server.url();

  HttpClient client(server.url(), {pki_.ca_file(), "", ""});
  HttpResult health = client.Get("/v1/health");
  ASSERT_EQ(health.status, 200) << health.error;
  EXPECT_EQ(json::parse(health.body)["status"], "ok");
  HttpResult me = client.Get("/v1/me", m2_analyst_);
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(json::parse(me.body)["org"], "m2");
  // Keep-alive over TLS: more requests on the same client.
  for (int i = 0; i < 5; ++i) EXPECT_EQ(client.Get("/v1/health").status, 200);

  // A client that does not trust the test CA refuses the server.
  HttpClient untrusting(server.url(), {dir_.Sub("missing-ca.crt"), "", ""});
  HttpResult refused = untrusting.Get("/v1/health");
  EXPECT_EQ(refused.status, 0);
  EXPECT_FALSE(refused.error.empty());
}

TEST_F(TlsTest, PlainHttpToTheTlsPortGetsNoHttpAnswer) {
  ServerProcess server(data_, {"--tls-cert", server_cert_.cert, "--tls-key", server_cert_.key});
  ASSERT_TRUE(server.started()) << server.Stderr();
  std::string answer = RawExchange("http://127.0.0.1:" + PortOf(server.url()),
                                   "GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n", 3000);
  EXPECT_EQ(answer.find("HTTP/1.1"), std::string::npos) << answer;
  EXPECT_EQ(answer.find("\"ok\""), std::string::npos) << answer;
  HttpClient plain("http://127.0.0.1:" + PortOf(server.url()));
  EXPECT_NE(plain.Get("/v1/health").status, 200);
  // The server is still fine afterwards.
  HttpClient client(server.url(), {pki_.ca_file(), "", ""});
  EXPECT_EQ(client.Get("/v1/health").status, 200);
}

TEST_F(TlsTest, Tls12And13WithAlpnHttp11OnlyNoOlderVersions) {
  ServerProcess server(data_, {"--tls-cert", server_cert_.cert, "--tls-key", server_cert_.key});
  ASSERT_TRUE(server.started()) << server.Stderr();
  const std::string connect = "127.0.0.1:" + PortOf(server.url());
  auto s_client = [&](std::vector<std::string> extra) {
    std::vector<std::string> argv = {
        "/usr/bin/openssl",    "s_client", "-connect", connect, "-CAfile", pki_.ca_file(),
        "-verify_return_error"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return RunCommand(argv, "");
  };
  CommandResult tls13 = s_client({"-tls1_3", "-alpn", "h2,http/1.1"});
  EXPECT_EQ(tls13.exit_code, 0) << tls13.err;
  EXPECT_NE(tls13.out.find("TLSv1.3"), std::string::npos) << tls13.out;
  EXPECT_NE(tls13.out.find("ALPN protocol: http/1.1"), std::string::npos) << tls13.out;
  EXPECT_NE(tls13.out.find("Verify return code: 0 (ok)"), std::string::npos) << tls13.out;

  CommandResult tls12 = s_client({"-tls1_2"});
  EXPECT_EQ(tls12.exit_code, 0) << tls12.err;
  EXPECT_NE(tls12.out.find("TLSv1.2"), std::string::npos) << tls12.out;
  EXPECT_NE(tls12.out.find("ECDHE"), std::string::npos) << tls12.out;  // forward secrecy

  // TLS 1.1 and 1.0: the client is allowed them (security level 0), the server refuses.
  for (const char* old : {"-tls1_1", "-tls1"}) {
    CommandResult refused = s_client({old, "-cipher", "DEFAULT@SECLEVEL=0"});
    EXPECT_NE(refused.exit_code, 0) << old << refused.out;
  }
  // A TLS 1.2 CBC suite that OpenSSL's defaults accept with this (EC) key, but that is not
  // in the "intermediate" list, is refused.
  CommandResult cbc = s_client({"-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA"});
  EXPECT_NE(cbc.exit_code, 0) << cbc.out;
}

TEST_F(TlsTest, NonLoopbackNeedsNoInsecureFlagWithTls) {
  ServerProcess server =
      ServerProcess::Command({"serve", "--data", data_, "--listen", "0.0.0.0:0", "--tls-cert",
                              server_cert_.cert, "--tls-key", server_cert_.key},
                             data_);
  ASSERT_TRUE(server.started()) << server.Stderr();
  EXPECT_EQ(server.url().rfind("https://0.0.0.0:", 0), 0u) << server.url();
  EXPECT_EQ(server.Stderr().find("WARNING"), std::string::npos) << server.Stderr();
  HttpClient client("https://127.0.0.1:" + PortOf(server.url()), {pki_.ca_file(), "", ""});
  EXPECT_EQ(client.Get("/v1/health").status, 200);
}

TEST_F(TlsTest, BadTlsFilesAreRefusedAtStartNamingTheFile) {
  CertFiles other = pki_.Server("other");
  struct {
    std::vector<std::string> args;
    std::string expected;
  } cases[] = {
      {{"--tls-cert", dir_.Sub("nope.crt"), "--tls-key", server_cert_.key}, "nope.crt"},
      {{"--tls-cert", server_cert_.cert, "--tls-key", other.key}, "does not match"},
      {{"--tls-cert", server_cert_.cert}, "tls.key"},
  };
  for (const auto& c : cases) {
    std::vector<std::string> argv = {"serve", "--data", data_, "--listen", "127.0.0.1:0"};
    argv.insert(argv.end(), c.args.begin(), c.args.end());
    CommandResult r = RunMarkaz(argv);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find(c.expected), std::string::npos) << r.err;
  }
}

TEST_F(TlsTest, ClientCertificateIsASecondFactor) {
  CertFiles host_cert = pki_.Client("host-client", "host-gw.example");
  CertFiles m2_cert = pki_.Client("m2-client", "m2-gw.example");
  TempDir other_dir;
  TestPki stranger(other_dir, "stranger");
  CertFiles stranger_cert = stranger.Client("stranger-client", "host-gw.example");

  const std::string config = dir_.Sub("markaz.toml");
  WriteFile(config, "[tls]\ncert = \"" + server_cert_.cert + "\"\nkey = \"" + server_cert_.key +
                        "\"\nclient_ca = \"" + pki_.ca_file() +
                        "\"\n\n[tls.client_orgs]\nhost = [\"host-gw.example\"]\n"
                        "m2 = \"m2-gw.example\"\n");
  ServerProcess server(data_, {"--config", config});
  ASSERT_TRUE(server.started()) << server.Stderr();

  HttpClient no_cert(server.url(), {pki_.ca_file(), "", ""});
  HttpClient with_host(server.url(), {pki_.ca_file(), host_cert.cert, host_cert.key});
  HttpClient with_m2(server.url(), {pki_.ca_file(), m2_cert.cert, m2_cert.key});
  struct {
    HttpClient* client;
    std::string token;
    long status;
    std::string code;
  } cases[] = {
      {&with_host, host_admin_, 200, ""},
      {&with_m2, m2_analyst_, 200, ""},
      {&no_cert, host_admin_, 401, "client_cert_required"},
      {&with_m2, host_admin_, 401, "client_cert_mismatch"},  // host's token, m2's certificate
      {&with_host, m2_analyst_, 401, "client_cert_mismatch"},
      {&no_cert, p1_analyst_, 200, ""},  // p1 has no certificate: its token alone
      {&with_m2, p1_analyst_, 401, "client_cert_mismatch"},
  };
  for (const auto& c : cases) {
    HttpResult r = c.client->Get("/v1/me", c.token);
    EXPECT_EQ(r.status, c.status) << c.code << " " << r.body << r.error;
    if (!c.code.empty()) {
      EXPECT_EQ(ErrorCode(r), c.code);
    }
  }
  // Open routes need neither.
  EXPECT_EQ(no_cert.Get("/v1/health").status, 200);
  // A certificate from another CA (even with the right name) fails the handshake.
  HttpClient with_stranger(server.url(), {pki_.ca_file(), stranger_cert.cert, stranger_cert.key});
  HttpResult stranger_result = with_stranger.Get("/v1/health");
  EXPECT_EQ(stranger_result.status, 0) << stranger_result.body;
}

TEST_F(TlsTest, RequireClientCertRefusesTheHandshakeWithoutOne) {
  CertFiles p1_cert = pki_.Client("p1-client", "anything.example");
  const std::string config = dir_.Sub("markaz.toml");
  WriteFile(config, "[tls]\ncert = \"" + server_cert_.cert + "\"\nkey = \"" + server_cert_.key +
                        "\"\nclient_ca = \"" + pki_.ca_file() + "\"\nrequire_client_cert = true\n");
  ServerProcess server(data_, {"--config", config});
  ASSERT_TRUE(server.started()) << server.Stderr();
  HttpClient no_cert(server.url(), {pki_.ca_file(), "", ""});
  EXPECT_EQ(no_cert.Get("/v1/health").status, 0);
  HttpClient with_cert(server.url(), {pki_.ca_file(), p1_cert.cert, p1_cert.key});
  EXPECT_EQ(with_cert.Get("/v1/me", p1_analyst_).status, 200);
}

}  // namespace
}  // namespace markaz::testutil
