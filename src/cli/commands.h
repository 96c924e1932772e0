// The `markaz` subcommands. Each Add*Command registers one subcommand (with --help) on the
// CLI11 app; its callback runs the command and records the process exit code in `exit_code`.
//
// Exit codes (every command): 0 ok; 2 usage or bad input (bad flags, invalid charter, unknown
// org, a directory that already holds a centre, no centre where one is needed); 1 runtime
// failure (I/O, a port that cannot be bound, a broken audit chain).
#pragma once

#include <functional>
#include <string>

#include "cli/server_config.h"
#include "core/status.h"

namespace CLI {
class App;
}

namespace markaz::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

// The exit code for a failed Status: 2 for the caller's mistakes, 1 for everything else.
int ExitCodeFor(const core::Status& status);

// Prints "markaz: <message>" on stderr and returns ExitCodeFor(status).
int Fail(const core::Status& status);

// Parses "HOST:PORT" ("127.0.0.1:8080", "[::1]:0", "localhost:8080"). InvalidArgument
// "bad_listen_address" otherwise.
struct ListenAddress {
  std::string host;
  unsigned short port = 0;
};
core::Result<ListenAddress> ParseListenAddress(const std::string& text);

// True for addresses that only this machine can reach (127.0.0.0/8, ::1, localhost).
bool IsLoopbackHost(const std::string& host);

struct ServeFlags {
  std::string listen = "127.0.0.1:8080";
  int threads = 2;
  bool insecure_http = false;  // allow plain HTTP on a non-loopback address
};

// Serves the centre in `data_dir` until SIGINT/SIGTERM with the defaults of ServerConfig and
// `flags`. Prints "listening on http://HOST:PORT" on stderr once the socket is bound;
// `on_ready(url)` runs right after (demo prints tokens). Returns the exit code.
int ServeCentre(const std::string& data_dir, const ServeFlags& flags,
                const std::function<void(const std::string& url)>& on_ready = {});

// The same with a whole configuration (file, environment and flags already applied and
// validated: ValidateServerConfig). "listening on https://…" when TLS is configured.
int ServeWithConfig(const ServerConfig& config,
                    const std::function<void(const std::string& url)>& on_ready = {});

void AddInitCommand(CLI::App& app, int& exit_code);
void AddTokenCommand(CLI::App& app, int& exit_code);
void AddServeCommand(CLI::App& app, int& exit_code);
void AddAuditCommand(CLI::App& app, int& exit_code);
void AddDemoCommand(CLI::App& app, int& exit_code);
void AddGenCommand(CLI::App& app, int& exit_code);
void AddIngestCommand(CLI::App& app, int& exit_code);
void AddAnalyseCommand(CLI::App& app, int& exit_code);
void AddSearchCommand(CLI::App& app, int& exit_code);
void AddConfigCommand(CLI::App& app, int& exit_code);
// `backup` and `restore` (cmd_backup.cc).
void AddBackupCommands(CLI::App& app, int& exit_code);

}  // namespace markaz::cli
