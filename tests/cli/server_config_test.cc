// Tests for cli/server_config.h: markaz.toml, its error messages (file, line, key), the
// environment overrides and the rules across keys.
#include "cli/server_config.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace markaz::cli {
namespace {

// Every key of the format.
constexpr std::string_view kFull = R"(# A full configuration.
[server]
listen = "0.0.0.0:8443"
data = "/var/lib/markaz"
threads = 4
insecure_http = false

[tls]
cert = "tls/server.crt"
key = "/etc/markaz/tls/server.key"
client_ca = "tls/clients.crt"
require_client_cert = false

[tls.client_orgs]
host = ["host-gw.example", "host-backup.example"]
m2 = "m2-gw.example"

[limits]
requests_per_second = 12.5
burst = 40
concurrent_per_org = 16
max_body = "512 KiB"

[limits.body]
"POST /v1/reports" = "2 MiB"
"POST /v1/products" = 65536

[log]
format = "json"

[retention]
reports_days = 365

[webhooks]
backoff_min = "500ms"
backoff_max = "10m"
failing_after = "2h"
timeout = "30s"
)";

TEST(ServerConfig, ParsesEveryKey) {
  core::Result<ServerConfig> parsed = ParseServerConfig(kFull, "markaz.toml", "/etc/markaz");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  const ServerConfig& c = *parsed;
  EXPECT_EQ(c.listen, "0.0.0.0:8443");
  EXPECT_EQ(c.data_dir, "/var/lib/markaz");
  EXPECT_EQ(c.threads, 4);
  EXPECT_FALSE(c.insecure_http);
  // Relative paths are taken from the file's directory; absolute ones are kept.
  EXPECT_EQ(c.tls.cert, "/etc/markaz/tls/server.crt");
  EXPECT_EQ(c.tls.key, "/etc/markaz/tls/server.key");
  EXPECT_EQ(c.tls.client_ca, "/etc/markaz/tls/clients.crt");
  EXPECT_TRUE(c.tls_enabled());
  ASSERT_EQ(c.tls.client_orgs.size(), 2u);
  EXPECT_EQ(c.tls.client_orgs.at("host"),
            (std::vector<std::string>{"host-gw.example", "host-backup.example"}));
  EXPECT_EQ(c.tls.client_orgs.at("m2"), std::vector<std::string>{"m2-gw.example"});
  EXPECT_DOUBLE_EQ(c.limits.requests_per_second, 12.5);
  EXPECT_DOUBLE_EQ(c.EffectiveBurst(), 40);
  EXPECT_EQ(c.limits.concurrent_per_org, 16);
  EXPECT_EQ(c.limits.max_body, 512u * 1024);
  EXPECT_EQ(c.limits.body.at("POST /v1/reports"), 2u << 20);
  EXPECT_EQ(c.limits.body.at("POST /v1/products"), 65536u);
  EXPECT_EQ(c.log_format, LogFormat::kJson);
  EXPECT_EQ(c.retention_reports_days, 365);
  EXPECT_EQ(c.webhooks.backoff_min, std::chrono::milliseconds(500));
  EXPECT_EQ(c.webhooks.backoff_max, std::chrono::minutes(10));
  EXPECT_EQ(c.webhooks.failing_after, std::chrono::hours(2));
  EXPECT_EQ(c.webhooks.timeout, std::chrono::seconds(30));
  EXPECT_TRUE(ValidateServerConfig(c).ok()) << ValidateServerConfig(c).message();
}

TEST(ServerConfig, EmptyFileGivesTheDefaults) {
  core::Result<ServerConfig> parsed = ParseServerConfig("", "empty.toml");
  ASSERT_TRUE(parsed.ok());
  const ServerConfig defaults;
  EXPECT_EQ(parsed->listen, defaults.listen);
  EXPECT_EQ(parsed->threads, defaults.threads);
  EXPECT_FALSE(parsed->tls_enabled());
  EXPECT_EQ(parsed->limits.requests_per_second, 0);
  EXPECT_EQ(parsed->limits.body, defaults.limits.body);
  EXPECT_EQ(parsed->log_format, LogFormat::kLogfmt);
  EXPECT_EQ(parsed->webhooks.backoff_min, std::chrono::seconds(1));
  EXPECT_EQ(parsed->webhooks.backoff_max, std::chrono::minutes(5));
  EXPECT_EQ(parsed->webhooks.failing_after, std::chrono::hours(1));
  EXPECT_EQ(parsed->webhooks.timeout, std::chrono::seconds(10));
  EXPECT_TRUE(ValidateServerConfig(*parsed).ok());
}

TEST(ServerConfig, BurstDefaultsToOneSecondsWorth) {
  struct {
    std::string limits;
    double burst;
  } cases[] = {
      {"requests_per_second = 10", 10},
      {"requests_per_second = 0.2", 1},
      {"requests_per_second = 2.5", 3},
      {"requests_per_second = 10\nburst = 3", 3},
  };
  for (const auto& c : cases) {
    auto parsed = ParseServerConfig("[limits]\n" + c.limits + "\n", "m.toml");
    ASSERT_TRUE(parsed.ok()) << parsed.status().message();
    EXPECT_DOUBLE_EQ(parsed->EffectiveBurst(), c.burst) << c.limits;
  }
}

// Each error class, with the message it must give: file, line, key, what.
TEST(ServerConfig, ErrorsNameFileLineAndKey) {
  struct {
    std::string text;
    std::string reason;
    std::string message;
  } cases[] = {
      {"[server]\nlisten = \"x\n", "config_toml", "m.toml:2:"},
      {"[server]\nlisten = \"127.0.0.1:80\"\nthreds = 2\n", "config_unknown_key",
       "m.toml:3: server.threds: unknown key"},
      {"[sever]\n", "config_unknown_key", "m.toml:1: sever: unknown key"},
      {"listen = \"127.0.0.1:80\"\n", "config_unknown_key", "m.toml:1: listen: unknown key"},
      {"[tls]\ncert = \"a\"\nkey = \"b\"\nclientca = \"c\"\n", "config_unknown_key",
       "m.toml:4: tls.clientca: unknown key"},
      {"[server]\nthreads = \"4\"\n", "config_wrong_type",
       "m.toml:2: server.threads: expected an integer, found a string"},
      {"[server]\nthreads = 0\n", "config_bad_value",
       "m.toml:2: server.threads: 0 is out of range 1..256"},
      {"[server]\n\nlisten = \"localhost\"\n", "config_bad_value", "m.toml:3: server.listen:"},
      {"[server]\ninsecure_http = \"yes\"\n", "config_wrong_type",
       "m.toml:2: server.insecure_http: expected true or false"},
      {"server = 3\n", "config_wrong_type", "m.toml:1: server: expected a table, found an integer"},
      {"[limits]\nburst = \"10\"\n", "config_wrong_type",
       "m.toml:2: limits.burst: expected an integer"},
      {"[limits]\nrequests_per_second = -1\n", "config_bad_value",
       "m.toml:2: limits.requests_per_second: must be between 0 and"},
      {"[limits]\nmax_body = \"4 MB\"\n", "config_bad_value",
       "m.toml:2: limits.max_body: \"4 MB\" is not a size"},
      {"[limits]\nmax_body = \"2 GiB\"\n", "config_bad_value", "must be between 1 byte and 1 GiB"},
      {"[limits]\nmax_body = 0\n", "config_bad_value", "m.toml:2: limits.max_body:"},
      {"[limits.body]\n\"/v1/reports\" = \"1 MiB\"\n", "config_bad_value",
       "m.toml:2: limits.body.\"/v1/reports\": expected a route as \"METHOD /path\""},
      {"[log]\nformat = \"xml\"\n", "config_bad_value",
       "m.toml:2: log.format: \"xml\" is not a log format"},
      {"[retention]\nreports_days = -3\n", "config_bad_value", "m.toml:2: retention.reports_days:"},
      {"[tls.client_orgs]\nhost = [\"gw\"]\nm2 = [\"gw\"]\n", "config_bad_value",
       "m.toml:3: tls.client_orgs.m2: \"gw\" is already the certificate of host"},
      {"[tls.client_orgs]\nhost = []\n", "config_bad_value",
       "m.toml:2: tls.client_orgs.host: lists no certificate name"},
      {"[tls.client_orgs]\nhost = [1]\n", "config_wrong_type",
       "m.toml:2: tls.client_orgs.host: expected a certificate name"},
      {"[tls]\ncert = \"\"\n", "config_bad_value", "m.toml:2: tls.cert: must not be empty"},
      {"[webhooks]\nbackoff = \"1s\"\n", "config_unknown_key",
       "m.toml:2: webhooks.backoff: unknown key"},
      {"[webhooks]\ntimeout = 10\n", "config_wrong_type",
       "m.toml:2: webhooks.timeout: expected a duration"},
      {"[webhooks]\n\nbackoff_max = \"5 minutes\"\n", "config_bad_value",
       "m.toml:3: webhooks.backoff_max: \"5 minutes\" is not a duration"},
      {"[webhooks]\nbackoff_min = \"0ms\"\n", "config_bad_value",
       "m.toml:2: webhooks.backoff_min: must be between 1ms and 24h"},
      {"[webhooks]\ntimeout = \"1h\"\n", "config_bad_value",
       "m.toml:2: webhooks.timeout: must be between 1ms and 10m"},
  };
  for (const auto& c : cases) {
    core::Result<ServerConfig> parsed = ParseServerConfig(c.text, "m.toml");
    ASSERT_FALSE(parsed.ok()) << c.text;
    EXPECT_EQ(parsed.status().code(), core::Code::kInvalidArgument) << c.text;
    EXPECT_EQ(parsed.status().reason(), c.reason) << c.text << "\n" << parsed.status().message();
    EXPECT_NE(parsed.status().message().find(c.message), std::string::npos)
        << c.text << "\n got: " << parsed.status().message();
    EXPECT_EQ(parsed.status().message().find('\n'), std::string::npos) << "one line";
  }
}

TEST(ServerConfig, RulesAcrossKeys) {
  struct {
    std::string text;
    std::string reason;  // "" = valid
    std::string message;
  } cases[] = {
      {"[tls]\ncert = \"/c\"\n", "config_conflict", "tls.cert is set but tls.key is not"},
      {"[tls]\nkey = \"/k\"\n", "config_conflict", "tls.key is set but tls.cert is not"},
      {"[tls]\nclient_ca = \"/ca\"\n", "config_conflict", "client certificates need HTTPS"},
      {"[tls]\ncert = \"/c\"\nkey = \"/k\"\nrequire_client_cert = true\n", "config_conflict",
       "tls.require_client_cert needs tls.client_ca"},
      {"[tls]\ncert = \"/c\"\nkey = \"/k\"\n[tls.client_orgs]\nhost = \"gw\"\n", "config_conflict",
       "tls.client_orgs needs tls.client_ca"},
      {"[server]\nlisten = \"0.0.0.0:8080\"\n", "insecure_listen", "--insecure-http"},
      {"[server]\nlisten = \"0.0.0.0:8080\"\ninsecure_http = true\n", "", ""},
      {"[server]\nlisten = \"0.0.0.0:8443\"\n[tls]\ncert = \"/c\"\nkey = \"/k\"\n", "", ""},
      {"[server]\nlisten = \"[::1]:8080\"\n", "", ""},
      {"[webhooks]\nbackoff_min = \"2m\"\nbackoff_max = \"1m\"\n", "config_conflict",
       "webhooks.backoff_max (1m) is below webhooks.backoff_min (2m)"},
      {"[webhooks]\nbackoff_min = \"1m\"\nbackoff_max = \"1m\"\n", "", ""},
  };
  for (const auto& c : cases) {
    core::Result<ServerConfig> parsed = ParseServerConfig(c.text, "m.toml");
    ASSERT_TRUE(parsed.ok()) << c.text << parsed.status().message();
    core::Status s = ValidateServerConfig(*parsed);
    EXPECT_EQ(s.ok() ? "" : s.reason(), c.reason) << c.text << s.message();
    EXPECT_NE(s.message().find(c.message), std::string::npos) << s.message();
  }
}

TEST(ServerConfig, EnvironmentOverridesTheFile) {
  auto parsed = ParseServerConfig(
      "[server]\nlisten = \"127.0.0.2:1\"\ndata = \"/from/file\"\nthreads = 3\n", "m.toml");
  ASSERT_TRUE(parsed.ok());
  std::map<std::string, std::string> env = {{"MARKAZ_LISTEN", "127.0.0.1:0"},
                                            {"MARKAZ_DATA", "/from/env"},
                                            {"MARKAZ_THREADS", "8"},
                                            {"MARKAZ_TLS_CERT", "/env/c.pem"},
                                            {"MARKAZ_TLS_KEY", "/env/k.pem"},
                                            {"MARKAZ_WEBHOOK_BACKOFF_MIN", "20ms"},
                                            {"MARKAZ_WEBHOOK_BACKOFF_MAX", "2s"},
                                            {"MARKAZ_WEBHOOK_FAILING_AFTER", "1m"},
                                            {"MARKAZ_WEBHOOK_TIMEOUT", "3s"}};
  auto lookup = [&](const char* name) -> const char* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  };
  ServerConfig c = *parsed;
  ASSERT_TRUE(ApplyEnvironment(c, lookup).ok());
  EXPECT_EQ(c.listen, "127.0.0.1:0");
  EXPECT_EQ(c.data_dir, "/from/env");
  EXPECT_EQ(c.threads, 8);
  EXPECT_EQ(c.tls.cert, "/env/c.pem");
  EXPECT_EQ(c.tls.key, "/env/k.pem");
  EXPECT_EQ(c.webhooks.backoff_min, std::chrono::milliseconds(20));
  EXPECT_EQ(c.webhooks.backoff_max, std::chrono::seconds(2));
  EXPECT_EQ(c.webhooks.failing_after, std::chrono::minutes(1));
  EXPECT_EQ(c.webhooks.timeout, std::chrono::seconds(3));

  // Unset or empty variables change nothing.
  env = {{"MARKAZ_LISTEN", ""}};
  ServerConfig unchanged = *parsed;
  ASSERT_TRUE(ApplyEnvironment(unchanged, lookup).ok());
  EXPECT_EQ(unchanged.listen, "127.0.0.2:1");
  EXPECT_EQ(unchanged.data_dir, "/from/file");
}

TEST(ServerConfig, BadEnvironmentValuesNameTheVariable) {
  struct {
    const char* name;
    const char* value;
  } cases[] = {{"MARKAZ_LISTEN", "nowhere"},
               {"MARKAZ_THREADS", "0"},
               {"MARKAZ_THREADS", "many"},
               {"MARKAZ_THREADS", "1000"},
               {"MARKAZ_WEBHOOK_BACKOFF_MIN", "soon"},
               {"MARKAZ_WEBHOOK_TIMEOUT", "0ms"}};
  for (const auto& c : cases) {
    ServerConfig config;
    core::Status s = ApplyEnvironment(config, [&](const char* name) -> const char* {
      return std::string(name) == c.name ? c.value : nullptr;
    });
    EXPECT_EQ(s.reason(), "config_env") << c.name << "=" << c.value;
    EXPECT_EQ(s.message().rfind(std::string(c.name) + ": ", 0), 0u) << s.message();
  }
}

TEST(ServerConfig, Sizes) {
  struct {
    std::string text;
    std::uint64_t bytes;  // 0 = refused
  } cases[] = {
      {"100", 100},
      {"100 B", 100},
      {"512 KiB", 512 * 1024},
      {"4 MiB", 4u << 20},
      {"4MiB", 4u << 20},
      {"1 GiB", 1u << 30},
      {"0", 0},
      {"2 GiB", 0},
      {"4 MB", 0},
      {"MiB", 0},
      {"-1", 0},
      {"99999999999999999999", 0},
  };
  for (const auto& c : cases) {
    core::Result<std::uint64_t> size = ParseSize(c.text);
    if (c.bytes == 0) {
      EXPECT_FALSE(size.ok()) << c.text;
    } else {
      ASSERT_TRUE(size.ok()) << c.text << size.status().message();
      EXPECT_EQ(*size, c.bytes) << c.text;
    }
  }
}

TEST(ServerConfig, Durations) {
  struct {
    std::string text;
    long long ms;  // -1 = refused
  } cases[] = {
      {"500ms", 500}, {"30s", 30000}, {"5m", 300000}, {"1h", 3600000}, {"2 s", 2000},
      {"0ms", 0},     {"720h", 2592000000LL},           {"721h", -1},     {"5", -1},
      {"s", -1},      {"1.5s", -1},  {"-1s", -1},       {"5 min", -1},    {"99999999999999h", -1},
  };
  for (const auto& c : cases) {
    core::Result<std::chrono::milliseconds> d = ParseDuration(c.text);
    if (c.ms < 0) {
      EXPECT_FALSE(d.ok()) << c.text;
    } else {
      ASSERT_TRUE(d.ok()) << c.text << d.status().message();
      EXPECT_EQ(d->count(), c.ms) << c.text;
    }
  }
}

TEST(ServerConfig, DescribeSaysWhatWillRun) {
  auto parsed = ParseServerConfig(kFull, "markaz.toml", "/etc/markaz");
  ASSERT_TRUE(parsed.ok());
  std::string d = DescribeServerConfig(*parsed);
  for (const char* part : {"listen 0.0.0.0:8443 (https", "second factor for 2 org(s)",
                           "data /var/lib/markaz", "threads 4", "rate 12.5/s burst 40 per token",
                           "concurrent 16 per org", "max body 512 KiB", "log json",
                           "webhooks back-off 500ms..10m failing after 2h timeout 30s"}) {
    EXPECT_NE(d.find(part), std::string::npos) << part << " in " << d;
  }
}

}  // namespace
}  // namespace markaz::cli
