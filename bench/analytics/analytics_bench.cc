// Benchmarks for analytics/analytics.h at the scale of issue 6's budgets: 1M synthetic reports
// (seeded), ~10 entities each drawn from a Zipf(1) law over 25,000 entities, 5 orgs with mixed
// audiences, 30 days of event times, ~2 reports per story. The viewer is org "m1".
//
//   build/<release dir>/bench/analytics_bench
//   build/<release dir>/bench/analytics_bench --benchmark_filter=Timeline
//
// AddFlush builds the shared instance (timed: Add of every report, then Flush; generating the
// facts is not timed) and reports memory_bytes() and the process's resident growth. The other
// benchmarks build it first if AddFlush was filtered out. "Focus" is the entity whose visible
// mentions for m1 are closest to 100,000 (the budget's case: timeline and graph ≤ 50 ms);
// "Top" is the most mentioned entity.
#include <benchmark/benchmark.h>
#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "analytics/analytics.h"

namespace markaz::analytics {
namespace {

using std::chrono::milliseconds;

constexpr std::size_t kReports = 1'000'000;
constexpr std::size_t kEntities = 25'000;
constexpr std::size_t kEntitiesPerReport = 10;
constexpr std::int64_t kDayMs = 86'400'000;
constexpr std::int64_t kStartMs = 1'772'409'600'000;  // 2026-03-02T00:00:00Z
constexpr std::int64_t kSpanMs = 30 * kDayMs;
const char* const kViewer = "m1";
const std::vector<std::string> kOrgs = {"m1", "m2", "m3", "m4", "m5"};

std::string EntityId(std::size_t rank) {
  static const char* const kinds[] = {"city:", "country:", "org:", "group:"};
  return kinds[rank % 4] + std::to_string(100'000 + rank);
}

// A 30-character id like the real ones ("rep_" + 26 characters).
std::string LongId(const char* prefix, std::size_t n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s01JD%022zu", prefix, n);
  return buf;
}

// The facts of reports [first, first + count), the same for every run.
class FactSource {
 public:
  FactSource() : rng_(20261129) {
    cdf_.reserve(kEntities);
    double sum = 0;
    for (std::size_t r = 1; r <= kEntities; ++r) cdf_.push_back(sum += 1.0 / static_cast<double>(r));
    for (double& c : cdf_) c /= sum;
  }

  std::vector<ReportFacts> Next(std::size_t count) {
    std::uniform_real_distribution<double> unit(0, 1);
    std::vector<ReportFacts> out;
    out.reserve(count);
    for (std::size_t k = 0; k < count; ++k, ++next_) {
      ReportFacts f;
      f.seq = static_cast<std::int64_t>(next_ + 1);
      f.id = LongId("rep_", next_);
      // Arrival follows event time, with reports observed up to 12 h before they arrive.
      const auto arrival = static_cast<std::int64_t>(static_cast<double>(next_) / kReports * kSpanMs);
      f.time = core::Time(milliseconds(
          std::max<std::int64_t>(0, arrival - static_cast<std::int64_t>(unit(rng_) * 12 * 3'600'000)) +
          kStartMs));
      f.lang = unit(rng_) < 0.6 ? "ar" : unit(rng_) < 0.5 ? "en" : "fr";
      f.originator = kOrgs[rng_() % kOrgs.size()];
      // Half the reports start a story; the others join one of the last 2,000 started.
      if (unit(rng_) < 0.5 || stories_ == 0) {
        f.story = LongId("sto_", stories_++);
      } else {
        const std::size_t back = std::min<std::size_t>(stories_, 2000);
        f.story = LongId("sto_", stories_ - 1 - rng_() % back);
      }
      std::vector<std::size_t> ranks;
      for (std::size_t j = 0; j < kEntitiesPerReport; ++j) {
        ranks.push_back(static_cast<std::size_t>(
            std::lower_bound(cdf_.begin(), cdf_.end(), unit(rng_)) - cdf_.begin()));
      }
      std::sort(ranks.begin(), ranks.end());
      ranks.erase(std::unique(ranks.begin(), ranks.end()), ranks.end());
      for (std::size_t r : ranks) f.entities.push_back(EntityId(std::min(r, kEntities - 1)));
      std::sort(f.entities.begin(), f.entities.end());
      // Mixed audiences: 30% originator only, 30% every member, 40% a random subset.
      const double a = unit(rng_);
      f.audience = {f.originator};
      for (const std::string& org : kOrgs) {
        if (org != f.originator && (a >= 0.7 ? unit(rng_) < 0.5 : a >= 0.4)) {
          f.audience.push_back(org);
        }
      }
      std::sort(f.audience.begin(), f.audience.end());
      out.push_back(std::move(f));
    }
    return out;
  }

 private:
  std::mt19937_64 rng_;
  std::vector<double> cdf_;
  std::size_t next_ = 0;
  std::size_t stories_ = 0;
};

std::size_t ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  std::size_t pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

// Bytes the allocator has handed out and not had back (glibc), the heap the columns really use.
std::size_t HeapInUse() {
  const struct mallinfo2 info = mallinfo2();
  return info.uordblks + info.hblkhd;
}

struct Shared {
  std::unique_ptr<Analytics> analytics;
  double add_flush_seconds = 0;
  std::size_t rss_growth = 0;
  std::size_t heap_growth = 0;
  std::string focus;  // visible mentions closest to 100,000
  std::string top;    // most visible mentions
};

Shared& Instance() {
  static Shared shared = [] {
    Shared s;
    const std::size_t rss_before = ResidentBytes();
    const std::size_t heap_before = HeapInUse();
    s.analytics = std::make_unique<Analytics>();
    FactSource source;
    std::chrono::steady_clock::duration timed{};
    for (std::size_t done = 0; done < kReports; done += 10'000) {
      std::vector<ReportFacts> batch = source.Next(10'000);
      const auto start = std::chrono::steady_clock::now();
      for (ReportFacts& f : batch) s.analytics->Add(std::move(f));
      timed += std::chrono::steady_clock::now() - start;
    }
    const auto start = std::chrono::steady_clock::now();
    s.analytics->Flush();
    timed += std::chrono::steady_clock::now() - start;
    s.add_flush_seconds = std::chrono::duration<double>(timed).count();
    s.heap_growth = HeapInUse() - heap_before;
    // The facts were generated, queued and freed in batches: give their pages back so that
    // the resident growth is what the columns hold.
    malloc_trim(0);
    s.rss_growth = ResidentBytes() - rss_before;
    std::size_t best = 0, best_distance = SIZE_MAX;
    for (std::size_t r = 0; r < 200; ++r) {
      const std::size_t n = s.analytics->Mentions(kViewer, EntityId(r));
      const std::size_t distance = n > 100'000 ? n - 100'000 : 100'000 - n;
      if (distance < best_distance) best_distance = distance, s.focus = EntityId(r);
      if (n > best) best = n, s.top = EntityId(r);
    }
    return s;
  }();
  return shared;
}

void BM_AddFlush(benchmark::State& state) {
  for (auto _ : state) {
    Shared& s = Instance();
    state.SetIterationTime(s.add_flush_seconds);
  }
  Shared& s = Instance();
  state.counters["reports"] = static_cast<double>(s.analytics->size());
  state.counters["reports_per_s"] = static_cast<double>(kReports) / s.add_flush_seconds;
  state.counters["memory_MB"] = static_cast<double>(s.analytics->memory_bytes()) / 1e6;
  state.counters["heap_MB"] = static_cast<double>(s.heap_growth) / 1e6;
  state.counters["rss_growth_MB"] = static_cast<double>(s.rss_growth) / 1e6;
}
BENCHMARK(BM_AddFlush)->Iterations(1)->UseManualTime()->Unit(benchmark::kMillisecond);

void MentionCounter(benchmark::State& state, const std::string& entity) {
  state.counters["visible_mentions"] =
      static_cast<double>(Instance().analytics->Mentions(kViewer, entity));
}

void Timeline(benchmark::State& state, const std::string& entity, Bucket bucket) {
  const Analytics& a = *Instance().analytics;
  std::size_t buckets = 0;
  for (auto _ : state) {
    auto points = a.Timeline(kViewer, entity, bucket, std::nullopt, std::nullopt);
    if (!points.ok()) state.SkipWithError(points.status().ToString().c_str());
    buckets = points.ok() ? points->size() : 0;
    benchmark::DoNotOptimize(points);
  }
  state.counters["buckets"] = static_cast<double>(buckets);
  MentionCounter(state, entity);
}
void BM_TimelineFocusHour(benchmark::State& s) { Timeline(s, Instance().focus, Bucket::kHour); }
void BM_TimelineFocusDay(benchmark::State& s) { Timeline(s, Instance().focus, Bucket::kDay); }
void BM_TimelineTopDay(benchmark::State& s) { Timeline(s, Instance().top, Bucket::kDay); }
BENCHMARK(BM_TimelineFocusHour)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TimelineFocusDay)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TimelineTopDay)->Unit(benchmark::kMillisecond);

void Graph(benchmark::State& state, const std::string& entity) {
  const Analytics& a = *Instance().analytics;
  for (auto _ : state) benchmark::DoNotOptimize(a.Graph(kViewer, entity, 20));
  MentionCounter(state, entity);
}
void BM_GraphFocus(benchmark::State& s) { Graph(s, Instance().focus); }
void BM_GraphTop(benchmark::State& s) { Graph(s, Instance().top); }
BENCHMARK(BM_GraphFocus)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_GraphTop)->Unit(benchmark::kMillisecond);

void BM_MentionsTop(benchmark::State& state) {
  const Analytics& a = *Instance().analytics;
  for (auto _ : state) benchmark::DoNotOptimize(a.Mentions(kViewer, Instance().top));
  MentionCounter(state, Instance().top);
}
BENCHMARK(BM_MentionsTop)->Unit(benchmark::kMicrosecond);

// Trends over every report: the window of 24 h ending with the data, and 7 baseline days;
// state.range(0) is the window in hours.
void BM_Trends(benchmark::State& state) {
  const Analytics& a = *Instance().analytics;
  TrendQuery q;
  q.window = milliseconds(state.range(0) * 3'600'000);
  q.end = core::Time(milliseconds(kStartMs + kSpanMs));
  std::size_t found = 0;
  for (auto _ : state) {
    auto trends = a.Trends(kViewer, q);
    found = trends.size();
    benchmark::DoNotOptimize(trends);
  }
  state.counters["trends"] = static_cast<double>(found);
}
BENCHMARK(BM_Trends)->Arg(24)->Arg(72)->Unit(benchmark::kMillisecond);

void BM_StoriesFirstPage(benchmark::State& state) {
  const Analytics& a = *Instance().analytics;
  StoryQuery q;
  q.limit = 20;
  std::size_t stories = 0;
  for (auto _ : state) {
    auto page = a.Stories(kViewer, q);
    stories = page.ok() ? page->stories.size() : 0;
    benchmark::DoNotOptimize(page);
  }
  state.counters["stories"] = static_cast<double>(stories);
}
BENCHMARK(BM_StoriesFirstPage)->Unit(benchmark::kMillisecond);

void BM_StoriesTenthPage(benchmark::State& state) {
  const Analytics& a = *Instance().analytics;
  StoryQuery q;
  q.limit = 20;
  for (int i = 0; i < 9; ++i) q.cursor = *a.Stories(kViewer, q)->next_cursor;
  for (auto _ : state) benchmark::DoNotOptimize(a.Stories(kViewer, q));
}
BENCHMARK(BM_StoriesTenthPage)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace markaz::analytics
