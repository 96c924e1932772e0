// What the programs that drive a real `markaz serve` share (ingest_bench, search_bench): a
// fresh centre with the test charter, generated corpora, bulk ingest over HTTP, /proc figures
// and percentiles.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "testutil/temp_dir.h"

namespace markaz::bench {

using Clock = std::chrono::steady_clock;

// The members of the test charter (host, m2, m3); partners p1, p2 may not submit.
extern const std::vector<std::string> kMembers;

// Prints "PROGRAM: message" on stderr and exits 2. Set the program name once in main.
void SetProgramName(std::string name);
[[noreturn]] void Die(const std::string& message);

double Seconds(Clock::time_point from);

// A centre with the test charter and an analyst token per member.
struct Centre {
  std::string data;
  std::map<std::string, std::string> tokens;
};
Centre MakeCentre(const testutil::TempDir& dir);

// `markaz gen --count N --seed S` into DIR/NAME, read back one line a report.
std::vector<std::string> Generate(const testutil::TempDir& dir, const std::string& name,
                                  std::size_t count, std::uint64_t seed);

// A field of /proc/PID/status in KiB ("VmHWM", "VmRSS", "RssAnon"); -1 when unreadable.
long ProcStatusKiB(pid_t pid, const std::string& field);

// The p-quantile (0..1) of sorted values, nearest rank.
double Percentile(const std::vector<double>& sorted, double p);

struct BulkResult {
  std::size_t acknowledged = 0;
  std::size_t refused = 0;
  std::size_t failed_requests = 0;
  double seconds = 0;
  std::vector<std::string> ids;     // by corpus line; "" when not acknowledged
  std::vector<std::size_t> client;  // by corpus line: the client (token) that sent it
};

// POSTs `lines` to /v1/reports:bulk from one thread per token, `batch` lines a request, and
// collects the ids answered.
BulkResult BulkIngest(const std::string& url, const std::vector<std::string>& tokens,
                      const std::vector<std::string>& lines, std::size_t batch);

}  // namespace markaz::bench
