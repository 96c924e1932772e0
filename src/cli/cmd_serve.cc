// markaz serve --data DIR --listen HOST:PORT
#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/commands.h"
#include "cli/open_centre.h"
#include "http/router.h"
#include "http/server.h"

namespace markaz::cli {

int ServeCentre(const std::string& data_dir, const ServeFlags& flags,
                const std::function<void(const std::string& url)>& on_ready) {
  auto address = ParseListenAddress(flags.listen);
  if (!address.ok()) return Fail(address.status());
  // Plain HTTP carries bearer tokens in clear: only this machine may reach it unless the
  // operator says otherwise (TLS arrives with the operations issue).
  if (!IsLoopbackHost(address->host) && !flags.insecure_http) {
    return Fail(core::Status::InvalidArgument(
        "insecure_listen", "refusing plain HTTP on non-loopback address " + address->host +
                               " (pass --insecure-http to allow it)"));
  }
  if (flags.threads < 1 || flags.threads > 256) {
    return Fail(core::Status::InvalidArgument("bad_threads", "--threads must be 1..256"));
  }
  auto opened = OpenExistingCentre(data_dir, Processing::kOn);
  if (!opened.ok()) return Fail(opened.status());

  http::Router router(*(*opened)->centre);
  http::ServerOptions options;
  options.host = address->host;
  options.port = address->port;
  options.threads = flags.threads;
  http::Server server(router, options);
  core::Status listening = server.Listen();
  if (!listening.ok()) return Fail(listening);
  if (!IsLoopbackHost(address->host)) {
    std::fprintf(stderr, "markaz: WARNING: serving plain HTTP on %s; tokens travel in clear\n",
                 address->host.c_str());
  }
  const bool v6 = address->host.find(':') != std::string::npos;
  const std::string url = "http://" + (v6 ? "[" + address->host + "]" : address->host) + ":" +
                          std::to_string(server.port());
  std::fprintf(stderr, "listening on %s\n", url.c_str());
  std::fflush(stderr);
  if (on_ready) on_ready(url);
  core::Status ran = server.Run(/*handle_signals=*/true);
  if (!ran.ok()) return Fail(ran);
  std::fprintf(stderr, "markaz: stopped\n");
  return kExitOk;
}

void AddServeCommand(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("serve", "Serve a centre over HTTP until SIGINT/SIGTERM");
  auto data = std::make_shared<std::string>();
  auto flags = std::make_shared<ServeFlags>();
  cmd->add_option("--data", *data, "Data directory of the centre")->required();
  cmd->add_option("--listen", flags->listen, "HOST:PORT to listen on (port 0 picks a free one)")
      ->capture_default_str();
  cmd->add_option("--threads", flags->threads, "Server threads")->capture_default_str();
  cmd->add_flag("--insecure-http", flags->insecure_http,
                "Allow plain HTTP on a non-loopback address");
  cmd->callback([&exit_code, data, flags] { exit_code = ServeCentre(*data, *flags); });
}

}  // namespace markaz::cli
