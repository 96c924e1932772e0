// The whole processing stage (issue 4 budget: ≥ 20 MB/s per core on Arabic): language (when
// not given), tokenise + stem, normalise + match + resolve, as Centre::Submit runs it, on one
// thread. Corpora: `markaz gen --seed 1 --count 500` with --langs ar, and the default mix
// (ar en ru fr fa). Bytes are UTF-8 bytes of title + body.
//
//   MARKAZ_CACHE_DIR=/tmp/mkzcache build/release/bench/processor_bench
#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "pipeline/processor.h"
#include "synth/generator.h"

namespace markaz::pipeline {
namespace {

const Processor& SharedProcessor() {
  static const std::unique_ptr<Processor> processor = [] {
    const char* cache = std::getenv("MARKAZ_CACHE_DIR");
    auto p = Processor::Create(cache == nullptr ? "" : cache);
    if (!p.ok()) std::abort();
    return std::move(p).value();
  }();
  return *processor;
}

std::vector<core::ReportInput> Corpus(std::vector<std::string> langs, bool keep_lang) {
  synth::GenOptions options;
  options.seed = 1;
  options.count = 500;
  options.langs = std::move(langs);
  auto gen = synth::Generator::Create(options);
  if (!gen.ok()) std::abort();
  std::vector<core::ReportInput> out;
  std::string line;
  synth::GroundTruth truth;
  while (gen->Next(&line, &truth)) {
    const nlohmann::json j = nlohmann::json::parse(line);
    core::ReportInput in;
    in.title = j["title"];
    in.body = j["body"];
    if (keep_lang) in.lang = j["lang"].get<std::string>();
    out.push_back(std::move(in));
  }
  return out;
}

void RunCorpus(benchmark::State& state, const std::vector<core::ReportInput>& corpus) {
  const Processor& processor = SharedProcessor();
  std::size_t bytes = 0;
  for (const auto& in : corpus) bytes += in.title.size() + 2 + in.body.size();
  std::size_t entities = 0;
  for (auto _ : state) {
    for (const auto& in : corpus) {
      ReportAnalysis a = processor.Analyse(in);
      entities += a.entities.size();
      benchmark::DoNotOptimize(a);
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * corpus.size()));
  state.counters["entities/report"] =
      static_cast<double>(entities) / static_cast<double>(state.iterations() * corpus.size());
}

void BM_AnalyseArabic(benchmark::State& state) {
  static const auto corpus = Corpus({"ar"}, true);
  RunCorpus(state, corpus);
}
void BM_AnalyseArabicDetectLanguage(benchmark::State& state) {
  static const auto corpus = Corpus({"ar"}, false);
  RunCorpus(state, corpus);
}
void BM_AnalyseMixed(benchmark::State& state) {
  static const auto corpus = Corpus({"ar", "en", "ru", "fr", "fa"}, true);
  RunCorpus(state, corpus);
}
BENCHMARK(BM_AnalyseArabic)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AnalyseArabicDetectLanguage)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AnalyseMixed)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace markaz::pipeline
