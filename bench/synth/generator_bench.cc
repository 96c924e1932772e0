// Benchmarks for synth/generator.h: reports generated per second and bytes of NDJSON per second,
// per language and for the default mix, beside the cost of only JSON-escaping the same bytes
// (the floor any generator that writes JSON pays).
//
//   build/<dir>/bench/synth_bench
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "core/json_string.h"
#include "synth/generator.h"

namespace markaz::synth {
namespace {

// A generator that never runs dry within a benchmark: re-created when it does.
Generator Make(std::vector<std::string> langs, std::uint64_t seed) {
  GenOptions o;
  o.seed = seed;
  o.count = 1'000'000;
  o.langs = std::move(langs);
  return Generator::Create(std::move(o)).value();
}

void BM_Generate(benchmark::State& state, std::vector<std::string> langs) {
  Generator gen = Make(langs, 1);
  std::uint64_t seed = 1;
  std::string line;
  GroundTruth truth;
  std::int64_t bytes = 0;
  for (auto _ : state) {
    if (!gen.Next(&line, &truth)) {
      gen = Make(langs, ++seed);
      gen.Next(&line, &truth);
    }
    bytes += static_cast<std::int64_t>(line.size());
    benchmark::DoNotOptimize(line.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(bytes);
}
BENCHMARK_CAPTURE(BM_Generate, mix, std::vector<std::string>{"ar", "en", "ru", "fr", "fa"});
BENCHMARK_CAPTURE(BM_Generate, ar, std::vector<std::string>{"ar"});
BENCHMARK_CAPTURE(BM_Generate, en, std::vector<std::string>{"en"});
BENCHMARK_CAPTURE(BM_Generate, ru, std::vector<std::string>{"ru"});

// The line and its ground truth, as `markaz gen` writes them.
void BM_GenerateWithTruth(benchmark::State& state) {
  Generator gen = Make({"ar", "en", "ru", "fr", "fa"}, 1);
  std::string line;
  GroundTruth truth;
  std::int64_t bytes = 0;
  for (auto _ : state) {
    gen.Next(&line, &truth);
    std::string t = truth.ToJsonLine();
    bytes += static_cast<std::int64_t>(line.size() + t.size());
    benchmark::DoNotOptimize(t.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(bytes);
}
BENCHMARK(BM_GenerateWithTruth);

// Peer: escaping 200 pre-generated bodies into JSON strings, nothing else.
void BM_PeerEscapeOnly(benchmark::State& state) {
  Generator gen = Make({"ar", "en", "ru", "fr", "fa"}, 1);
  std::vector<std::string> lines(200);
  GroundTruth truth;
  for (std::string& l : lines) gen.Next(&l, &truth);
  std::string out;
  std::size_t i = 0;
  std::int64_t bytes = 0;
  for (auto _ : state) {
    out.clear();
    const std::string& l = lines[i++ % lines.size()];
    core::AppendJsonString(l, &out);
    bytes += static_cast<std::int64_t>(l.size());
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(bytes);
}
BENCHMARK(BM_PeerEscapeOnly);

}  // namespace
}  // namespace markaz::synth
