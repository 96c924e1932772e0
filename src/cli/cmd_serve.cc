// markaz serve [--config FILE] [--data DIR] [--listen HOST:PORT] [--threads N]
//              [--tls-cert FILE --tls-key FILE [--tls-client-ca FILE]] [--insecure-http]
// Settings come from defaults < markaz.toml < MARKAZ_* variables < these flags (server_config.h).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>

#include "cli/commands.h"
#include "cli/open_centre.h"
#include "cli/server_config.h"
#include "cli/subscription_loop.h"
#include "dissem/webhook_dispatcher.h"
#include "http/router.h"
#include "http/server.h"
#include "http/webhook_client.h"

namespace markaz::cli {
namespace {

// The router's share of the configuration: limits and the client-certificate second factor.
http::RouterOptions RouterOptionsFor(const ServerConfig& config) {
  http::RouterOptions options;
  options.per_token.per_second = config.limits.requests_per_second;
  options.per_token.burst = config.EffectiveBurst();
  options.concurrent_per_org = config.limits.concurrent_per_org;
  for (const auto& [route, bytes] : config.limits.body) {
    options.body_limit_by_route[route] = static_cast<std::size_t>(bytes);
  }
  for (const auto& [org, names] : config.tls.client_orgs) {
    for (const std::string& name : names) options.client_certs.org_by_name[name] = org;
  }
  return options;
}

dissem::DispatcherOptions DispatcherOptionsFor(const ServerConfig& config) {
  dissem::DispatcherOptions options;
  options.backoff_min = config.webhooks.backoff_min;
  options.backoff_max = config.webhooks.backoff_max;
  options.failing_after = config.webhooks.failing_after;
  options.request_timeout = config.webhooks.timeout;
  return options;
}

}  // namespace

int ServeWithConfig(const ServerConfig& config,
                    const std::function<void(const std::string& url)>& on_ready) {
  core::Status valid = ValidateServerConfig(config);
  if (!valid.ok()) return Fail(valid);
  if (config.data_dir.empty()) {
    return Fail(core::Status::InvalidArgument(
        "no_data_dir", "no data directory: pass --data, set MARKAZ_DATA or data in [server]"));
  }
  auto address = ParseListenAddress(config.listen);
  if (!address.ok()) return Fail(address.status());
  auto subscription_interval =
      SubscriptionInterval(std::getenv("MARKAZ_SUBSCRIPTION_INTERVAL_MS"));
  if (!subscription_interval.ok()) return Fail(subscription_interval.status());
  // Held until the server stops: a second server, or `markaz restore`, refuses a live centre.
  auto lock = CentreLock::Acquire(config.data_dir);
  if (!lock.ok()) return Fail(lock.status());
  auto opened = OpenExistingCentre(config.data_dir, Processing::kOn);
  if (!opened.ok()) return Fail(opened.status());

  // Webhooks are delivered while the server runs: the dispatcher starts before the first
  // request (it may be told of a new webhook at once) and stops after the last one, saving
  // every webhook's cursor. Declared before the router and the server, so destroyed after.
  http::WebhookClient webhook_client;
  dissem::WebhookDispatcher dispatcher(*(*opened)->store, *(*opened)->hub, webhook_client,
                                       (*opened)->clock, DispatcherOptionsFor(config));
  (*opened)->centre->AttachDissemination((*opened)->hub.get(), &dispatcher);
  if (core::Status started = dispatcher.Start(); !started.ok()) return Fail(started);

  http::Router router(*(*opened)->centre, RouterOptionsFor(config));
  core::Status routes = router.CheckOptions();
  if (!routes.ok()) return Fail(routes);
  http::ServerOptions options;
  options.host = address->host;
  options.port = address->port;
  options.threads = config.threads;
  options.max_body_bytes = static_cast<std::size_t>(config.limits.max_body);
  if (config.tls_enabled()) {
    options.tls = http::TlsOptions{config.tls.cert, config.tls.key, config.tls.client_ca,
                                   config.tls.require_client_cert};
  }
  http::Server server(router, options);
  core::Status listening = server.Listen();
  if (!listening.ok()) return Fail(listening);
  if (!config.tls_enabled() && !IsLoopbackHost(address->host)) {
    std::fprintf(stderr, "markaz: WARNING: serving plain HTTP on %s; tokens travel in clear\n",
                 address->host.c_str());
  }
  const bool v6 = address->host.find(':') != std::string::npos;
  const std::string url = std::string(config.tls_enabled() ? "https://" : "http://") +
                          (v6 ? "[" + address->host + "]" : address->host) + ":" +
                          std::to_string(server.port());
  std::fprintf(stderr, "listening on %s\n", url.c_str());
  std::fflush(stderr);
  if (on_ready) on_ready(url);
  SubscriptionLoop subscriptions(*(*opened)->centre, *subscription_interval);
  subscriptions.Start();
  core::Status ran = server.Run(/*handle_signals=*/true);
  subscriptions.Stop();
  dispatcher.Stop();
  (*opened)->centre->AttachDissemination((*opened)->hub.get(), nullptr);
  if (!ran.ok()) return Fail(ran);
  std::fprintf(stderr, "markaz: stopped\n");
  return kExitOk;
}

int ServeCentre(const std::string& data_dir, const ServeFlags& flags,
                const std::function<void(const std::string& url)>& on_ready) {
  ServerConfig config;
  config.data_dir = data_dir;
  config.listen = flags.listen;
  config.threads = flags.threads;
  config.insecure_http = flags.insecure_http;
  if (flags.threads < 1 || flags.threads > 256) {
    return Fail(core::Status::InvalidArgument("bad_threads", "--threads must be 1..256"));
  }
  return ServeWithConfig(config, on_ready);
}

void AddServeCommand(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "serve",
      "Serve a centre over HTTP or HTTPS until SIGINT/SIGTERM. Settings: markaz.toml "
      "(--config), overridden by MARKAZ_LISTEN, MARKAZ_DATA, MARKAZ_THREADS, MARKAZ_TLS_CERT, "
      "MARKAZ_TLS_KEY, MARKAZ_WEBHOOK_* (docs/webhooks.md), overridden by these flags");
  struct Args {
    std::string config, data, listen, tls_cert, tls_key, tls_client_ca;
    int threads = 2;
    bool insecure_http = false;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("--config", args->config, "Server configuration file (markaz.toml)");
  auto* data = cmd->add_option("--data", args->data, "Data directory of the centre");
  auto* listen = cmd->add_option("--listen", args->listen,
                                 "HOST:PORT to listen on (port 0 picks a free one; default "
                                 "127.0.0.1:8080)");
  auto* threads = cmd->add_option("--threads", args->threads, "Server threads (default 2)");
  auto* cert =
      cmd->add_option("--tls-cert", args->tls_cert, "PEM certificate (chain): serve HTTPS only");
  auto* key = cmd->add_option("--tls-key", args->tls_key, "PEM private key of --tls-cert");
  auto* client_ca = cmd->add_option("--tls-client-ca", args->tls_client_ca,
                                    "PEM CA of client certificates (optional second factor)");
  auto* insecure = cmd->add_flag("--insecure-http", args->insecure_http,
                                 "Allow plain HTTP on a non-loopback address");
  cmd->callback([&exit_code, args, data, listen, threads, cert, key, client_ca, insecure] {
    ServerConfig config;
    if (!args->config.empty()) {
      core::Result<ServerConfig> loaded = LoadServerConfigFile(args->config);
      if (!loaded.ok()) {
        exit_code = Fail(loaded.status());
        return;
      }
      config = std::move(loaded).value();
    }
    core::Status env = ApplyEnvironment(config, [](const char* name) { return std::getenv(name); });
    if (!env.ok()) {
      exit_code = Fail(env);
      return;
    }
    // Flags last: what is typed on the command line wins.
    if (data->count() > 0) config.data_dir = args->data;
    if (listen->count() > 0) config.listen = args->listen;
    if (threads->count() > 0) {
      if (args->threads < 1 || args->threads > 256) {
        exit_code = Fail(core::Status::InvalidArgument("bad_threads", "--threads must be 1..256"));
        return;
      }
      config.threads = args->threads;
    }
    if (cert->count() > 0) config.tls.cert = args->tls_cert;
    if (key->count() > 0) config.tls.key = args->tls_key;
    if (client_ca->count() > 0) config.tls.client_ca = args->tls_client_ca;
    if (insecure->count() > 0) config.insecure_http = args->insecure_http;
    exit_code = ServeWithConfig(config);
  });
}

}  // namespace markaz::cli
