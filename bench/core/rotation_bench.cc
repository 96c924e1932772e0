// Benchmarks for core/rotation.h and core/time.h: who chairs ten years after the start, and
// RFC 3339 parsing beside the C library's strptime + timegm as a peer.
//
//   build/<dir>/bench/core_bench --benchmark_filter=TermAt
#include <benchmark/benchmark.h>

#include <ctime>
#include <string>
#include <vector>

#include "core/charter.h"
#include "core/rotation.h"
#include "core/time.h"

namespace markaz::core {
namespace {

Time T(std::string_view text) { return ParseRfc3339(text).value(); }

Charter FourMembers(TermLength term) {
  Charter c;
  c.name = "Bench Centre";
  c.start = T("2015-10-01T00:00:00Z");
  c.rotation_order = {"host", "north", "east", "west"};
  c.term = term;
  for (const auto& id : c.rotation_order) {
    c.members.push_back(OrgEntry{id, OrgKind::kMember, {}, true});
  }
  return c;
}

// TermAt ten years after the start, no handovers or suspensions: the walk can jump straight
// to the answer.
void BM_TermAt10Years(benchmark::State& state, TermLength term) {
  Rotation rotation(FourMembers(term));
  const Time at = T("2025-10-11T10:00:00Z");
  for (auto _ : state) {
    Result<Term> t = rotation.TermAt(at);
    benchmark::DoNotOptimize(t);
  }
}
BENCHMARK_CAPTURE(BM_TermAt10Years, three_months, TermLength::Months(3).value());
BENCHMARK_CAPTURE(BM_TermAt10Years, one_day, TermLength::Days(1).value());

// The same with a handover and a suspension every few months: the walk must stop at each
// event, so this is the cost a long-lived centre would see.
void BM_TermAt10YearsWithEvents(benchmark::State& state, TermLength term) {
  std::vector<Handover> handovers;
  std::vector<Suspension> suspensions;
  const Time start = T("2015-10-01T00:00:00Z");
  for (int i = 0; i < 40; ++i) {
    handovers.push_back(Handover{AddDays(start, 45 + i * 91)});
    Time from = AddDays(start, 60 + i * 91);
    suspensions.push_back(Suspension{i % 2 == 0 ? "north" : "east", from, AddDays(from, 20)});
  }
  Rotation rotation(FourMembers(term), handovers, suspensions);
  const Time at = T("2025-10-11T10:00:00Z");
  for (auto _ : state) {
    Result<Term> t = rotation.TermAt(at);
    benchmark::DoNotOptimize(t);
  }
}
BENCHMARK_CAPTURE(BM_TermAt10YearsWithEvents, three_months, TermLength::Months(3).value());
BENCHMARK_CAPTURE(BM_TermAt10YearsWithEvents, one_day, TermLength::Days(1).value());

void BM_Upcoming4(benchmark::State& state) {
  Rotation rotation(FourMembers(TermLength::Months(3).value()));
  const Time at = T("2025-10-11T10:00:00Z");
  for (auto _ : state) {
    std::vector<Term> terms = rotation.Upcoming(at, 4);
    benchmark::DoNotOptimize(terms);
  }
}
BENCHMARK(BM_Upcoming4);

const char* const kTimes[] = {
    "2015-10-11T10:00:00Z",
    "2016-02-29T23:59:59.250Z",
    "2015-10-11T13:00:00+03:00",
    "1999-12-31T23:59:59-05:00",
};

void BM_ParseRfc3339(benchmark::State& state) {
  std::size_t i = 0;
  for (auto _ : state) {
    Result<Time> t = ParseRfc3339(kTimes[i++ % std::size(kTimes)]);
    benchmark::DoNotOptimize(t);
  }
}
BENCHMARK(BM_ParseRfc3339);

// Peer: the C library. It does less (no fraction or offset, no range check beyond the
// format), so it is a floor to compare against rather than an equal.
void BM_PeerStrptimeTimegm(benchmark::State& state) {
  std::size_t i = 0;
  for (auto _ : state) {
    std::tm tm{};
    const char* end = strptime(kTimes[i++ % std::size(kTimes)], "%Y-%m-%dT%H:%M:%S", &tm);
    std::time_t t = timegm(&tm);
    benchmark::DoNotOptimize(end);
    benchmark::DoNotOptimize(t);
  }
}
BENCHMARK(BM_PeerStrptimeTimegm);

void BM_FormatRfc3339(benchmark::State& state) {
  const Time t = T("2016-02-29T23:59:59.250Z");
  for (auto _ : state) {
    std::string s = FormatRfc3339(t);
    benchmark::DoNotOptimize(s);
  }
}
BENCHMARK(BM_FormatRfc3339);

}  // namespace
}  // namespace markaz::core
