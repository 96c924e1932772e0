// markaz config check FILE: reads markaz.toml as `markaz serve --config FILE` would, without
// the environment or flags, and loads its TLS certificate and key as nginx -t does. Prints
// "ok: FILE: <summary>" and exits 0, or prints the first error (file:line: key: what) on stderr
// and exits 2.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/commands.h"
#include "cli/server_config.h"
#include "http/tls.h"

namespace markaz::cli {
namespace {

core::Status Check(const std::string& path, std::string& summary) {
  MARKAZ_ASSIGN_OR_RETURN(ServerConfig config, LoadServerConfigFile(path));
  MARKAZ_RETURN_IF_ERROR(ValidateServerConfig(config).WithContext(path));
  if (config.tls_enabled()) {
    core::Result<http::TlsContext> tls = http::MakeServerTlsContext(
        {config.tls.cert, config.tls.key, config.tls.client_ca, config.tls.require_client_cert});
    if (!tls.ok()) return tls.status().WithContext(path);
  }
  summary = DescribeServerConfig(config);
  return core::Status::Ok();
}

}  // namespace

void AddConfigCommand(CLI::App& app, int& exit_code) {
  auto* config = app.add_subcommand("config", "Check a server configuration file (markaz.toml)");
  config->require_subcommand(1);
  auto* check = config->add_subcommand(
      "check", "Validate FILE (keys, types, values, TLS files); prints \"ok: …\" or the error");
  auto path = std::make_shared<std::string>();
  check->add_option("FILE", *path, "The configuration file")->required();
  check->callback([&exit_code, path] {
    std::string summary;
    core::Status status = Check(*path, summary);
    if (!status.ok()) {
      // Every configuration mistake is the operator's: exit 2, whatever the code.
      Fail(status);
      exit_code = kExitUsage;
      return;
    }
    std::printf("ok: %s: %s\n", path->c_str(), summary.c_str());
    std::fflush(stdout);
    exit_code = kExitOk;
  });
}

}  // namespace markaz::cli
