// Benchmarks for text/: MB/s of Normalize, DetectLanguage and Analyze on Arabic (the seed
// article; synthetic Arabic reports) and English for contrast. The peer, PostgreSQL's
// to_tsvector('arabic', …) over the same texts, is bench/text/pg_tsvector.sh.
//
//   build/<dir>/bench/text_bench [--benchmark_filter=Analyze]
//
// The synthetic texts are the bodies of `markaz gen --seed 1 --count 200 --langs ar` (and
// `--langs en`), which is what pg_tsvector.sh loads: same texts, side by side.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "synth/generator.h"
#include "text/analyzer.h"
#include "text/language.h"
#include "text/normalize.h"

namespace markaz::text {
namespace {

constexpr std::size_t kSynthCount = 200;
constexpr std::uint64_t kSynthSeed = 1;

std::vector<std::string> SynthBodies(const char* lang) {
  synth::GenOptions o;
  o.seed = kSynthSeed;
  o.count = kSynthCount;
  o.langs = {lang};
  synth::Generator gen = synth::Generator::Create(std::move(o)).value();
  std::vector<std::string> bodies;
  std::string line;
  synth::GroundTruth truth;
  while (gen.Next(&line, &truth)) bodies.push_back(nlohmann::json::parse(line)["body"]);
  return bodies;
}

// The repository: $MARKAZ_SOURCE_DIR, else where this file was compiled from.
std::string SourceDir() {
  if (const char* env = std::getenv("MARKAZ_SOURCE_DIR")) return env;
  std::string file = __FILE__;
  const std::size_t at = file.rfind("/bench/text/");
  return at == std::string::npos ? "." : file.substr(0, at);
}

std::vector<std::string> Seed() {
  std::ifstream in(SourceDir() + "/tests/data/seed/000_fbb234546d35c770.txt", std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return {s.str()};
}

const std::vector<std::string>& Corpus(int which) {
  static const std::vector<std::string> seed = Seed();
  static const std::vector<std::string> ar = SynthBodies("ar");
  static const std::vector<std::string> en = SynthBodies("en");
  switch (which) {
    case 0:
      return seed;
    case 1:
      return ar;
    default:
      return en;
  }
}
constexpr int kSeed = 0, kSynthAr = 1, kSynthEn = 2;

// Runs `fn` over the corpus round-robin, one text per iteration.
template <typename Fn>
void Run(benchmark::State& state, int which, Fn fn) {
  const std::vector<std::string>& texts = Corpus(which);
  if (texts.empty() || texts[0].empty()) {
    state.SkipWithError("no texts: set MARKAZ_SOURCE_DIR to the repository");
    return;
  }
  std::size_t k = 0;
  std::int64_t bytes = 0;
  for (auto _ : state) {
    const std::string& t = texts[k];
    fn(t);
    bytes += static_cast<std::int64_t>(t.size());
    if (++k == texts.size()) k = 0;
  }
  state.SetBytesProcessed(bytes);
  state.SetItemsProcessed(state.iterations());
}

void BM_Normalize(benchmark::State& state, int which) {
  Run(state, which, [](const std::string& t) {
    NormalizedText n = Normalize(t);
    benchmark::DoNotOptimize(n.text.data());
  });
}
void BM_NormalizeString(benchmark::State& state, int which) {
  Run(state, which, [](const std::string& t) {
    std::string n = NormalizeString(t);
    benchmark::DoNotOptimize(n.data());
  });
}
void BM_DetectLanguage(benchmark::State& state, int which) {
  Run(state, which, [](const std::string& t) {
    std::string lang = DetectLanguage(t);
    benchmark::DoNotOptimize(lang.data());
  });
}
// The whole analysis: language id, normalisation, word break, clitics, stems.
void BM_Analyze(benchmark::State& state, int which) {
  const Analyzer analyzer;
  Run(state, which, [&](const std::string& t) {
    AnalyzedText a = analyzer.Analyze(t);
    benchmark::DoNotOptimize(a.tokens.data());
  });
}
// The same with the language given (the report says it): no CLD2.
void BM_AnalyzeWithLang(benchmark::State& state, int which) {
  const Analyzer analyzer;
  const char* lang = which == kSynthEn ? "en" : "ar";
  Run(state, which, [&](const std::string& t) {
    AnalyzedText a = analyzer.Analyze(t, lang);
    benchmark::DoNotOptimize(a.tokens.data());
  });
}

BENCHMARK_CAPTURE(BM_Normalize, seed_ar, kSeed);
BENCHMARK_CAPTURE(BM_Normalize, synth_ar, kSynthAr);
BENCHMARK_CAPTURE(BM_Normalize, synth_en, kSynthEn);
BENCHMARK_CAPTURE(BM_NormalizeString, synth_ar, kSynthAr);
BENCHMARK_CAPTURE(BM_NormalizeString, synth_en, kSynthEn);
BENCHMARK_CAPTURE(BM_DetectLanguage, seed_ar, kSeed);
BENCHMARK_CAPTURE(BM_DetectLanguage, synth_ar, kSynthAr);
BENCHMARK_CAPTURE(BM_DetectLanguage, synth_en, kSynthEn);
BENCHMARK_CAPTURE(BM_Analyze, seed_ar, kSeed);
BENCHMARK_CAPTURE(BM_Analyze, synth_ar, kSynthAr);
BENCHMARK_CAPTURE(BM_Analyze, synth_en, kSynthEn);
BENCHMARK_CAPTURE(BM_AnalyzeWithLang, synth_ar, kSynthAr);
BENCHMARK_CAPTURE(BM_AnalyzeWithLang, synth_en, kSynthEn);

}  // namespace
}  // namespace markaz::text
