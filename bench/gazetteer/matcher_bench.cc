// Benchmarks for gazetteer/matcher.h and geotag.h with the gazetteer compiled into the binary:
//   - Match alone on Arabic text (the seed article and synthetic Arabic reports), MB/s;
//   - the peer in the same run: word n-gram look-ups (1–4 words) in a hash set of every
//     normalised alias, the obvious design without Hyperscan (and without clitic variants);
//   - Normalize + Match + Resolve together, and Normalize alone for scale;
//   - cold start in a fresh process (parse the embedded TSV + build the matcher), compiling
//     the database vs loading it from the cache, with the process's resident memory.
//
//   build/<release dir>/bench/gazetteer_bench
//   build/<release dir>/bench/gazetteer_bench --benchmark_filter=ColdStart
// The cold-start benchmarks run this program again as a child: `gazetteer_bench --cold-start
// compile|cached CACHE_DIR` prints "parse_s build_s first_match_s rss_kb hwm_kb".
#include <benchmark/benchmark.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "gazetteer/embedded.h"
#include "gazetteer/gazetteer.h"
#include "gazetteer/geotag.h"
#include "gazetteer/matcher.h"
#include "synth/generator.h"
#include "text/normalize.h"

extern char** environ;

namespace markaz::gazetteer {
namespace {

namespace fs = std::filesystem;

// The repository root, from this file's path (CMake compiles it by absolute path).
fs::path SourceDir() { return fs::path(__FILE__).parent_path().parent_path().parent_path(); }

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

fs::path CacheDir() {
  const char* tmp = std::getenv("TMPDIR");
  return fs::path(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") / "markaz-gazetteer-bench-cache";
}

// The seed article and 300 synthetic Arabic reports (title + "\n\n" + body).
const std::vector<std::string>& ArabicTexts() {
  static const std::vector<std::string> texts = [] {
    std::vector<std::string> out;
    const std::string seed = ReadFile(SourceDir() / "tests/data/seed/000_fbb234546d35c770.txt");
    if (!seed.empty()) out.push_back(seed);
    synth::GenOptions o;
    o.seed = 4;
    o.count = 300;
    o.langs = {"ar"};
    synth::Generator gen = synth::Generator::Create(o).value();
    std::string line;
    synth::GroundTruth truth;
    while (gen.Next(&line, &truth)) {
      const nlohmann::json report = nlohmann::json::parse(line);
      out.push_back(report["title"].get<std::string>() + "\n\n" +
                    report["body"].get<std::string>());
    }
    return out;
  }();
  return texts;
}

int64_t TotalBytes(const std::vector<std::string>& texts) {
  int64_t n = 0;
  for (const std::string& t : texts) n += static_cast<int64_t>(t.size());
  return n;
}

const Matcher& SharedMatcher() {
  static const std::shared_ptr<const Matcher> m =
      Matcher::Build(Gazetteer::LoadEmbedded().value(), CacheDir()).value();
  return *m;
}

void BM_Match(benchmark::State& state) {
  const Matcher& m = SharedMatcher();
  const std::vector<std::string>& texts = ArabicTexts();
  std::vector<text::NormalizedText> normalized;
  for (const std::string& t : texts) normalized.push_back(text::Normalize(t));
  int64_t mentions = 0;
  for (auto _ : state) {
    for (std::size_t i = 0; i < texts.size(); ++i) {
      const std::vector<Mention> found = m.Match(normalized[i], texts[i]);
      mentions += static_cast<int64_t>(found.size());
      benchmark::DoNotOptimize(found.data());
    }
  }
  state.SetBytesProcessed(state.iterations() * TotalBytes(texts));
  state.counters["mentions_per_text"] =
      static_cast<double>(mentions) / static_cast<double>(state.iterations() * texts.size());
}
BENCHMARK(BM_Match)->Unit(benchmark::kMillisecond);

// The peer: every run of 1–4 words of the normalised text looked up in a hash set of the
// normalised aliases. No clitic variants, no overlap rules: the floor of a hash design.
void BM_PeerWordNgramLookup(benchmark::State& state) {
  const Gazetteer& g = SharedMatcher().gazetteer();
  std::unordered_set<std::string_view> aliases;
  for (const Alias& a : g.aliases()) aliases.insert(a.normalized);
  const std::vector<std::string>& texts = ArabicTexts();
  std::vector<std::string> normalized;
  for (const std::string& t : texts) normalized.push_back(text::Normalize(t).text);
  int64_t hits = 0;
  for (auto _ : state) {
    for (const std::string& t : normalized) {
      std::vector<std::pair<std::size_t, std::size_t>> words;  // [begin, end) bytes
      std::size_t i = 0;
      while (i < t.size()) {
        while (i < t.size() && (t[i] == ' ' || std::ispunct(static_cast<unsigned char>(t[i])))) ++i;
        const std::size_t b = i;
        while (i < t.size() && t[i] != ' ' && !std::ispunct(static_cast<unsigned char>(t[i]))) ++i;
        if (i > b) words.emplace_back(b, i);
      }
      for (std::size_t w = 0; w < words.size(); ++w) {
        for (std::size_t n = 0; n < 4 && w + n < words.size(); ++n) {
          const std::string_view s(t.data() + words[w].first, words[w + n].second - words[w].first);
          hits += static_cast<int64_t>(aliases.count(s));
        }
      }
    }
  }
  benchmark::DoNotOptimize(hits);
  state.SetBytesProcessed(state.iterations() * TotalBytes(texts));
}
BENCHMARK(BM_PeerWordNgramLookup)->Unit(benchmark::kMillisecond);

void BM_Normalize(benchmark::State& state) {
  const std::vector<std::string>& texts = ArabicTexts();
  for (auto _ : state) {
    for (const std::string& t : texts) {
      text::NormalizedText n = text::Normalize(t);
      benchmark::DoNotOptimize(n.text.data());
    }
  }
  state.SetBytesProcessed(state.iterations() * TotalBytes(texts));
}
BENCHMARK(BM_Normalize)->Unit(benchmark::kMillisecond);

void BM_NormalizeMatchResolve(benchmark::State& state) {
  const Matcher& m = SharedMatcher();
  const std::vector<std::string>& texts = ArabicTexts();
  for (auto _ : state) {
    for (const std::string& t : texts) {
      const Resolution r = Resolve(m.gazetteer(), m.Match(text::Normalize(t), t));
      benchmark::DoNotOptimize(r.entities.data());
    }
  }
  state.SetBytesProcessed(state.iterations() * TotalBytes(texts));
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(texts.size()));
}
BENCHMARK(BM_NormalizeMatchResolve)->Unit(benchmark::kMillisecond);

// --- cold start in a child process ---------------------------------------------------------

long StatusKb(std::string_view field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with(field)) return std::atol(line.c_str() + field.size());
  }
  return -1;
}

double Since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

int ColdStartChild(const std::string& mode, const std::string& dir) {
  const auto t0 = std::chrono::steady_clock::now();
  auto g = Gazetteer::Parse(EmbeddedEntitiesTsv(), EmbeddedAliasesTsv());
  if (!g.ok()) return 2;
  const double parse = Since(t0);
  const auto t1 = std::chrono::steady_clock::now();
  auto m = Matcher::Build(*g, mode == "compile" ? fs::path() : fs::path(dir));
  if (!m.ok()) return 3;
  const double build = Since(t1);
  const auto t2 = std::chrono::steady_clock::now();
  const std::string seed = ReadFile(SourceDir() / "tests/data/seed/000_fbb234546d35c770.txt");
  const auto found = (*m)->Match(text::Normalize(seed), seed);
  const double first_match = Since(t2);
  std::printf("%.4f %.4f %.4f %ld %ld %zu\n", parse, build, first_match, StatusKb("VmRSS:"),
              StatusKb("VmHWM:"), found.size());
  return 0;
}

struct ChildResult {
  double parse = 0, build = 0, first_match = 0;
  long rss_kb = 0, hwm_kb = 0;
};

bool RunChild(const std::string& mode, const fs::path& dir, ChildResult* out) {
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) return false;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
  const std::string self = fs::read_symlink("/proc/self/exe").string();
  std::string a0 = self, a1 = "--cold-start", a2 = mode, a3 = dir.string();
  char* argv[] = {a0.data(), a1.data(), a2.data(), a3.data(), nullptr};
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, self.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  std::string output;
  char buf[256];
  ssize_t n = 0;
  while ((n = ::read(pipe_fds[0], buf, sizeof buf)) > 0)
    output.append(buf, static_cast<std::size_t>(n));
  ::close(pipe_fds[0]);
  if (rc != 0) return false;
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return false;
  std::istringstream in(output);
  in >> out->parse >> out->build >> out->first_match >> out->rss_kb >> out->hwm_kb;
  return static_cast<bool>(in);
}

void ColdStart(benchmark::State& state, const std::string& mode) {
  const fs::path dir = CacheDir() / ("cold-" + mode);
  std::error_code ec;
  fs::create_directories(dir, ec);
  ChildResult r;
  if (mode == "cached" && !RunChild(mode, dir, &r)) {  // make sure the cache is there
    state.SkipWithError("child failed");
    return;
  }
  double parse = 0, build = 0, match = 0, rss = 0, hwm = 0;
  for (auto _ : state) {
    if (!RunChild(mode, dir, &r)) {
      state.SkipWithError("child failed");
      return;
    }
    state.SetIterationTime(r.parse + r.build);
    parse += r.parse, build += r.build, match += r.first_match;
    rss += static_cast<double>(r.rss_kb), hwm += static_cast<double>(r.hwm_kb);
  }
  const double n = static_cast<double>(state.iterations());
  state.counters["parse_s"] = parse / n;
  state.counters["build_s"] = build / n;
  state.counters["first_match_s"] = match / n;
  state.counters["rss_MB"] = rss / n / 1024;
  state.counters["peak_rss_MB"] = hwm / n / 1024;
  uintmax_t db = 0;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.path().extension() == ".hsdb") db = e.file_size(ec);
  }
  if (db > 0) state.counters["cache_file_MB"] = static_cast<double>(db) / (1024 * 1024);
}
BENCHMARK_CAPTURE(ColdStart, compile, std::string("compile"))
    ->UseManualTime()
    ->Iterations(1)
    ->Unit(benchmark::kSecond);
BENCHMARK_CAPTURE(ColdStart, cached, std::string("cached"))
    ->UseManualTime()
    ->Iterations(3)
    ->Unit(benchmark::kSecond);

}  // namespace
}  // namespace markaz::gazetteer

// Not benchmark_main: the cold-start benchmarks run this binary as a fresh child process.
int main(int argc, char** argv) {
  if (argc == 4 && std::string_view(argv[1]) == "--cold-start") {
    return markaz::gazetteer::ColdStartChild(argv[2], argv[3]);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
