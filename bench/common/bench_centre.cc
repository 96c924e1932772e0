#include "common/bench_centre.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>
#include <utility>

#include "integration/fixture.h"
#include "testutil/http_client.h"
#include "testutil/run_command.h"

namespace markaz::bench {

using nlohmann::json;
using testutil::CommandResult;
using testutil::HttpClient;
using testutil::HttpResult;
using testutil::RunMarkaz;
using testutil::TempDir;

const std::vector<std::string> kMembers = {"host", "m2", "m3"};

namespace {
std::string& ProgramName() {
  static std::string name = "bench";
  return name;
}
}  // namespace

void SetProgramName(std::string name) { ProgramName() = std::move(name); }

[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "%s: %s\n", ProgramName().c_str(), message.c_str());
  std::exit(2);
}

double Seconds(Clock::time_point from) {
  return std::chrono::duration<double>(Clock::now() - from).count();
}

Centre MakeCentre(const TempDir& dir) {
  Centre c;
  const std::string charter = dir.Sub("charter.toml");
  testutil::WriteFile(charter,
                      testutil::TestCharter(testutil::Rfc3339FromNow(-std::chrono::hours(24))));
  c.data = dir.Sub("data");
  CommandResult init = RunMarkaz({"init", "--data", c.data, "--charter", charter});
  if (init.exit_code != 0) Die("markaz init failed: " + init.err);
  for (const auto& org : kMembers) {
    CommandResult t =
        RunMarkaz({"token", "create", "--data", c.data, "--org", org, "--role", "analyst"});
    if (t.exit_code != 0) Die("markaz token create failed: " + t.err);
    while (!t.out.empty() && t.out.back() == '\n') t.out.pop_back();
    c.tokens[org] = t.out;
  }
  return c;
}

std::vector<std::string> Generate(const TempDir& dir, const std::string& name, std::size_t count,
                                  std::uint64_t seed) {
  const std::string path = dir.Sub(name);
  CommandResult gen = RunMarkaz({"gen", "--count", std::to_string(count), "--seed",
                                 std::to_string(seed), "--out", path});
  if (gen.exit_code != 0) Die("markaz gen failed: " + gen.err);
  std::vector<std::string> lines;
  lines.reserve(count);
  std::ifstream in(path, std::ios::binary);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(std::move(line));
  }
  if (lines.size() != count) Die("markaz gen wrote " + std::to_string(lines.size()) + " lines");
  return lines;
}

// "VmHWM" or "VmRSS" of /proc/PID/status, in KiB; -1 when unreadable.
long ProcStatusKiB(pid_t pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(field + ":", 0) == 0) return std::strtol(line.c_str() + field.size() + 1, nullptr, 10);
  }
  return -1;
}

double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  std::size_t i = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(i, sorted.size() - 1)];
}

BulkResult BulkIngest(const std::string& url, const std::vector<std::string>& tokens,
                      const std::vector<std::string>& lines, std::size_t batch) {
  BulkResult result;
  result.ids.resize(lines.size());
  result.client.resize(lines.size());
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> acknowledged{0}, refused{0}, failed{0};
  const auto start = Clock::now();
  std::vector<std::thread> clients;
  for (std::size_t c = 0; c < tokens.size(); ++c) {
    clients.emplace_back([&, c] {
      const std::string& token = tokens[c];
      HttpClient http(url);
      std::string body;
      while (true) {
        const std::size_t first = next.fetch_add(batch);
        if (first >= lines.size()) return;
        const std::size_t end = std::min(lines.size(), first + batch);
        body.clear();
        for (std::size_t i = first; i < end; ++i) {
          body.append(lines[i]).push_back('\n');
          result.client[i] = c;
        }
        HttpResult r = http.Post("/v1/reports:bulk", body, token, "application/x-ndjson");
        if (r.status != 200) {
          ++failed;
          std::fprintf(stderr, "bulk request answered %ld (%s): %.200s\n", r.status,
                       r.error.c_str(), r.body.c_str());
          continue;
        }
        std::size_t at = 0;
        while (at < r.body.size()) {
          std::size_t nl = r.body.find('\n', at);
          if (nl == std::string::npos) nl = r.body.size();
          json line = json::parse(r.body.substr(at, nl - at), nullptr, false);
          at = nl + 1;
          if (line.is_discarded() || !line.contains("line")) continue;
          const std::size_t n = line["line"].get<std::size_t>();
          if (line.contains("id") && n >= 1 && first + n - 1 < end) {
            result.ids[first + n - 1] = line["id"].get<std::string>();
            ++acknowledged;
          } else {
            ++refused;
          }
        }
      }
    });
  }
  for (auto& t : clients) t.join();
  result.seconds = Seconds(start);
  result.acknowledged = acknowledged;
  result.refused = refused;
  result.failed_requests = failed;
  return result;
}

}  // namespace markaz::bench
