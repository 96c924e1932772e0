// A real `markaz serve` process on a free port, for integration tests. Starts it with
// --listen 127.0.0.1:0, waits for "listening on http://…" on its stderr, and stops it
// (SIGTERM, then SIGKILL after a grace period) on destruction.
#pragma once

#include <map>
#include <string>
#include <sys/types.h>
#include <vector>

namespace markaz::testutil {

class ServerProcess {
 public:
  // `data_dir` must hold an initialised centre. Extra arguments are appended to `serve`.
  explicit ServerProcess(const std::string& data_dir, std::vector<std::string> extra_args = {});
  // Any server-starting command line, e.g. {"demo", "--data", DIR, "--listen", "127.0.0.1:0"};
  // `scratch_prefix` names where its stdout and stderr are kept.
  static ServerProcess Command(std::vector<std::string> args, const std::string& scratch_prefix);
  // The same with environment variables set for the server only (NAME → value).
  static ServerProcess Command(std::vector<std::string> args, const std::string& scratch_prefix,
                               const std::map<std::string, std::string>& env);
  ServerProcess(ServerProcess&& other) noexcept;
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  bool started() const { return !url_.empty(); }
  const std::string& url() const { return url_; }  // "http://127.0.0.1:PORT" or "https://…"
  // Everything the server wrote to stderr (stdout) so far.
  std::string Stderr() const;
  std::string Stdout() const;
  // Sends SIGTERM and waits; returns the exit code (or 128+signal).
  int Terminate();
  // Sends SIGKILL and reaps the process: a crash at an arbitrary instant (crash tests).
  void Kill();
  // The server's process id, or -1 once it has been stopped or when it failed to start.
  pid_t pid() const { return pid_; }

 private:
  ServerProcess() = default;
  void Start(const std::vector<std::string>& args, const std::string& scratch_prefix,
             const std::map<std::string, std::string>& env = {});

  pid_t pid_ = -1;
  std::string url_;
  std::string stderr_path_;
  std::string stdout_path_;
};

}  // namespace markaz::testutil
