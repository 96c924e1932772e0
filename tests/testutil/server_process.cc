#include "testutil/server_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <thread>

#include "testutil/temp_dir.h"

namespace markaz::testutil {
namespace {

constexpr auto kStartTimeout = std::chrono::seconds(30);
constexpr auto kStopGrace = std::chrono::seconds(15);

}  // namespace

ServerProcess::ServerProcess(const std::string& data_dir, std::vector<std::string> extra_args) {
  std::vector<std::string> args{"serve", "--data", data_dir, "--listen", "127.0.0.1:0"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  Start(args, data_dir);
}

ServerProcess ServerProcess::Command(std::vector<std::string> args,
                                     const std::string& scratch_prefix) {
  ServerProcess p;
  p.Start(args, scratch_prefix);
  return p;
}

ServerProcess ServerProcess::Command(std::vector<std::string> args,
                                     const std::string& scratch_prefix,
                                     const std::map<std::string, std::string>& env) {
  ServerProcess p;
  p.Start(args, scratch_prefix, env);
  return p;
}

ServerProcess::ServerProcess(ServerProcess&& other) noexcept
    : pid_(other.pid_),
      url_(std::move(other.url_)),
      stderr_path_(std::move(other.stderr_path_)),
      stdout_path_(std::move(other.stdout_path_)) {
  other.pid_ = -1;
  other.stderr_path_.clear();
  other.stdout_path_.clear();
}

void ServerProcess::Start(const std::vector<std::string>& args,
                          const std::string& scratch_prefix,
                          const std::map<std::string, std::string>& env) {
  const std::string stem = scratch_prefix + ".serve-" + std::to_string(getpid()) + "-" +
                           std::to_string(reinterpret_cast<std::uintptr_t>(this));
  stderr_path_ = stem + ".stderr";
  stdout_path_ = stem + ".stdout";
  std::vector<std::string> argv{MARKAZ_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  pid_ = fork();
  if (pid_ == 0) {
    int fd = open(stderr_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(fd, 2);
    int out = open(stdout_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(out, 1);
    int devnull = open("/dev/null", O_RDWR);
    dup2(devnull, 0);
    // One cache of compiled matchers for the whole suite (see cli/open_centre.cc).
    setenv("MARKAZ_CACHE_DIR", MARKAZ_TEST_CACHE_DIR, /*overwrite=*/0);
    for (const auto& [name, value] : env) setenv(name.c_str(), value.c_str(), /*overwrite=*/1);
    std::vector<char*> cargs;
    for (auto& a : argv) cargs.push_back(a.data());
    cargs.push_back(nullptr);
    execv(cargs[0], cargs.data());
    _exit(127);
  }
  // Wait for the readiness line; the port is chosen by the server (port 0), so no races.
  const std::string marker = "listening on ";
  auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  while (std::chrono::steady_clock::now() < deadline) {
    std::string err = ReadFile(stderr_path_);
    auto at = err.find(marker);
    if (at != std::string::npos) {
      auto end = err.find('\n', at);
      if (end != std::string::npos) {
        url_ = err.substr(at + marker.size(), end - at - marker.size());
        return;
      }
    }
    int status;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return;  // exited before listening: started() is false, Stderr() says why
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

ServerProcess::~ServerProcess() {
  Terminate();
  if (!stderr_path_.empty()) unlink(stderr_path_.c_str());
  if (!stdout_path_.empty()) unlink(stdout_path_.c_str());
}

std::string ServerProcess::Stderr() const { return ReadFile(stderr_path_); }
std::string ServerProcess::Stdout() const { return ReadFile(stdout_path_); }

int ServerProcess::Terminate() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  auto deadline = std::chrono::steady_clock::now() + kStopGrace;
  int status = 0;
  while (true) {
    pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) break;
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void ServerProcess::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

}  // namespace markaz::testutil
