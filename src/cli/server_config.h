// The server's configuration: markaz.toml (examples/markaz.toml documents every key), then the
// environment, then the command line, each overriding the one before:
//
//   defaults  <  markaz.toml (--config FILE)  <  MARKAZ_* variables  <  flags of `markaz serve`
//
// Parsing is as strict as the charter's (cli/charter_file.h): unknown keys, wrong types and bad
// values are errors, and every message names the file, the line and the key:
//   "markaz.toml:12: limits.burst: expected an integer, found a string"
// Pure (no I/O but reading the file, no global state), so it is unit-tested directly.
//
// Example:
//   MARKAZ_ASSIGN_OR_RETURN(ServerConfig config, LoadServerConfigFile("/etc/markaz/markaz.toml"));
//   MARKAZ_RETURN_IF_ERROR(ApplyEnvironment(config, std::getenv));
//   config.threads = 4;                                   // a flag
//   MARKAZ_RETURN_IF_ERROR(ValidateServerConfig(config)); // rules across keys
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace markaz::cli {

enum class LogFormat { kLogfmt, kJson };

struct ServerConfig {
  // [server]
  std::string listen = "127.0.0.1:8080";  // HOST:PORT
  std::string data_dir;                   // "" until a file, MARKAZ_DATA or --data gives it
  int threads = 2;                        // 1..256
  bool insecure_http = false;             // allow plain HTTP on a non-loopback address

  // [tls]: HTTPS when cert is set. Paths in the file are relative to the file's directory.
  struct Tls {
    std::string cert, key, client_ca;
    bool require_client_cert = false;  // refuse clients without a certificate (needs client_ca)
    // [tls.client_orgs]: org id → the certificate names (subject CN or DNS/e-mail SAN) that
    // speak for it. A token of an org listed here is accepted only over a connection with one
    // of its certificates, and no token is accepted with another org's certificate.
    std::map<std::string, std::vector<std::string>> client_orgs;
  } tls;

  // [limits]: per caller, after authentication (open routes such as /v1/health are not
  // limited).
  struct Limits {
    double requests_per_second = 0;    // per token, token bucket; 0 = no rate limit
    double burst = 0;                  // bucket size; 0 = one second's worth (at least 1)
    int concurrent_per_org = 0;        // requests in flight per org; 0 = no limit
    std::uint64_t max_body = 1 << 20;  // bytes, any route without its own limit
    // [limits.body]: "METHOD /pattern" → bytes. The file's entries are added to (or replace)
    // these defaults. POST /v1/reports: a report body may be 1 MiB of text, which JSON escapes
    // (\uXXXX) can make up to three times larger.
    std::map<std::string, std::uint64_t> body = {{"POST /v1/reports", 4u << 20}};
  } limits;

  // [log]: read and validated here; the logger that uses it belongs to the logging work.
  LogFormat log_format = LogFormat::kLogfmt;

  // [retention]: reserved. Read and validated so that a file written today stays valid; not
  // applied yet: nothing is deleted.
  int retention_reports_days = 0;  // 0 = keep for ever

  // [webhooks]: delivery timings (dissem/webhook_dispatcher.h, docs/webhooks.md), written as
  // durations ("500ms", "30s", "5m", "1h").
  struct Webhooks {
    std::chrono::milliseconds backoff_min{1000};        // first retry after at least this
    std::chrono::milliseconds backoff_max{300000};      // retries never wait longer (5 min)
    std::chrono::milliseconds failing_after{3600000};   // failing for this long → "failing"
    std::chrono::milliseconds timeout{10000};           // connect + send + answer, per post
  } webhooks;

  bool tls_enabled() const { return !tls.cert.empty(); }
  // The effective bucket size: `burst`, or one second's worth of requests (at least 1).
  double EffectiveBurst() const;
};

// Parses and validates the keys of a markaz.toml one by one (rules across keys are
// ValidateServerConfig's). Relative paths are made relative to `base_dir` (the file's
// directory). Never throws. Every error is InvalidArgument with a one-line message
// "<source_name>:<line>: <key>: <what is wrong>"; the reasons are
//   config_toml          TOML syntax error
//   config_unknown_key   a key or table the format does not have
//   config_wrong_type    a value of the wrong TOML type
//   config_bad_value     a value out of range or not of the expected form (listen address,
//                        size, log format, route key, a certificate name given to two orgs)
core::Result<ServerConfig> ParseServerConfig(std::string_view text, std::string_view source_name,
                                             std::string_view base_dir = {});

// Reads the file then parses it. NotFound "config_file" when it cannot be read.
core::Result<ServerConfig> LoadServerConfigFile(const std::string& path);

// The variables that override the file: MARKAZ_LISTEN, MARKAZ_DATA, MARKAZ_THREADS,
// MARKAZ_TLS_CERT, MARKAZ_TLS_KEY, MARKAZ_WEBHOOK_BACKOFF_MIN, MARKAZ_WEBHOOK_BACKOFF_MAX,
// MARKAZ_WEBHOOK_FAILING_AFTER, MARKAZ_WEBHOOK_TIMEOUT (durations). A variable that is unset or empty changes nothing.
// InvalidArgument "config_env" naming the variable when its value is bad.
using EnvLookup = std::function<const char*(const char* name)>;
core::Status ApplyEnvironment(ServerConfig& config, const EnvLookup& getenv);

// Rules across keys, checked once every source has been applied. InvalidArgument
// "config_conflict" when tls.cert and tls.key are not both set, when tls.client_ca,
// tls.require_client_cert or tls.client_orgs are set without TLS, when require_client_cert or
// client_orgs are set without client_ca, when webhooks.backoff_max is below
// webhooks.backoff_min; "insecure_listen" for plain HTTP on a non-loopback
// address without insecure_http.
core::Status ValidateServerConfig(const ServerConfig& config);

// One line for `markaz config check`: "listen 0.0.0.0:8443 (https), data /var/lib/markaz, …".
std::string DescribeServerConfig(const ServerConfig& config);

// "512 KiB", "4 MiB", "1 GiB", "100 B" or a plain number of bytes, as markaz.toml writes sizes.
// nullopt-like failure: InvalidArgument "config_bad_value" without a location.
core::Result<std::uint64_t> ParseSize(std::string_view text);

// A duration as markaz.toml writes them: a whole number and a unit, "ms", "s", "m" or "h"
// ("500ms", "30s", "5m", "1h"; a space before the unit is allowed), 0 .. 30 days.
// InvalidArgument "config_bad_value" without a location otherwise.
core::Result<std::chrono::milliseconds> ParseDuration(std::string_view text);

}  // namespace markaz::cli
