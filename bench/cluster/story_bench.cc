// Story assignment (issue 6) on the generator's ground truth: time per report, memory, and the
// quality figures of bench/README.md ("Stories (issue 6)").
//
//   build/release/bench/story_bench --count 20000 --seed 1
//   build/release/bench/story_bench --count 1000000 --corpus /tmp/corpus-1m.bin
//
// --corpus FILE keeps the analysed corpus (written when absent, read back otherwise: analysing
// 1M reports takes ~20 min of one core); --explore prints the distributions of docs/stories.md.
//
// First pass (not timed): generate, analyse each report with pipeline::Processor (tokens and
// entities, as Centre::Submit does), build its StoryInput and keep its encoded fingerprint in a
// map by seq, which serves as the ShingleFetch (the store's role). Second pass (timed):
// Decide + Stage + Publish per report, one batch per report, in generation order.
// Then: pairwise precision/recall of "same story" per duplicate kind, near-duplicate
// recall/precision by exact Jaccard band, excerpt recall by containment.
#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "cluster/fingerprint.h"
#include "cluster/story_assigner.h"
#include "core/ids.h"
#include "core/time.h"
#include "pipeline/processor.h"
#include "synth/generator.h"

namespace markaz::cluster {
namespace {

struct Options {
  std::size_t count = 20000;
  std::uint64_t seed = 1;
  bool explore = false;
  std::string corpus;  // cache of the analysed corpus (written when absent)
};

struct Report {
  StoryInput input;  // fingerprint moved out to `blobs` after the first pass
  synth::DupKind kind = synth::DupKind::kOriginal;
  std::int64_t group = 0;  // index of the original (ground truth)
};

// Shingles of report i, for the ground-truth measures (decoded on demand: at 1M reports the
// blobs alone are ~2 GB).
std::vector<std::uint32_t> ShinglesOf(const std::vector<std::string>& blobs, std::size_t i) {
  return DecodeFingerprint(blobs[i])->shingles;
}

double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

long ResidentKb() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * 4;
}

std::vector<Report> Prepare(const Options& options, std::vector<std::string>* blobs) {
  const char* cache = std::getenv("MARKAZ_CACHE_DIR");
  auto processor = pipeline::Processor::Create(cache == nullptr ? "" : cache);
  if (!processor.ok()) {
    std::fprintf(stderr, "processor: %s\n", processor.status().ToString().c_str());
    std::exit(1);
  }
  synth::GenOptions gen_options;
  gen_options.seed = options.seed;
  gen_options.count = options.count;
  auto gen = synth::Generator::Create(gen_options);
  if (!gen.ok()) std::exit(1);
  core::IdGenerator ids(options.seed);
  std::unordered_map<std::string, std::int64_t> index_of;
  std::vector<Report> reports;
  reports.reserve(options.count);
  blobs->reserve(options.count);
  std::string line;
  synth::GroundTruth truth;
  while (gen->Next(&line, &truth)) {
    const nlohmann::json j = nlohmann::json::parse(line);
    core::ReportInput in;
    in.title = j["title"];
    in.body = j["body"];
    in.lang = j["lang"].get<std::string>();
    auto observed = core::ParseRfc3339(j["observed_at"].get<std::string>());
    if (!observed.ok()) std::exit(1);
    in.observed_at = *observed;
    pipeline::ReportAnalysis analysis = (*processor)->Analyse(in);
    Report r;
    r.input.report_id = ids.Next("rep", *observed);
    r.input.time = *observed;
    r.input.lang = analysis.lang;
    for (const pipeline::EntityRef& e : analysis.entities) r.input.entities.push_back(e.id);
    std::sort(r.input.entities.begin(), r.input.entities.end());
    r.input.entities.erase(std::unique(r.input.entities.begin(), r.input.entities.end()),
                           r.input.entities.end());
    r.input.numbers = NumberTerms(analysis.tokens);
    blobs->push_back(EncodeFingerprint(MakeFingerprint(analysis.tokens)));
    r.kind = truth.kind;
    const auto index = static_cast<std::int64_t>(reports.size());
    index_of[truth.external_id] = index;
    r.group = truth.kind == synth::DupKind::kOriginal ? index : index_of.at(truth.of);
    reports.push_back(std::move(r));
  }
  return reports;
}

// The analysed corpus on disk (--corpus FILE): analysing 1M reports takes a quarter of an hour,
// assigning them a minute, so tuning runs reuse it. Plain length-prefixed records.
void PutString(std::ofstream& out, std::string_view v) {
  const auto n = static_cast<std::uint32_t>(v.size());
  out.write(reinterpret_cast<const char*>(&n), 4);
  out.write(v.data(), static_cast<std::streamsize>(v.size()));
}
bool GetString(std::ifstream& in, std::string* v) {
  std::uint32_t n = 0;
  if (!in.read(reinterpret_cast<char*>(&n), 4)) return false;
  v->resize(n);
  return static_cast<bool>(in.read(v->data(), n));
}
void PutList(std::ofstream& out, const std::vector<std::string>& v) {
  PutString(out, std::to_string(v.size()));
  for (const std::string& x : v) PutString(out, x);
}
bool GetList(std::ifstream& in, std::vector<std::string>* v) {
  std::string n;
  if (!GetString(in, &n)) return false;
  v->resize(std::stoul(n));
  for (std::string& x : *v) {
    if (!GetString(in, &x)) return false;
  }
  return true;
}

void SaveCorpus(const std::string& path, const std::vector<Report>& reports,
                const std::vector<std::string>& blobs) {
  std::ofstream out(path, std::ios::binary);
  for (std::size_t i = 0; i < reports.size(); ++i) {
    const Report& r = reports[i];
    PutString(out, r.input.report_id);
    PutString(out, std::to_string(r.input.time.time_since_epoch().count()));
    PutString(out, r.input.lang);
    PutList(out, r.input.entities);
    PutList(out, r.input.numbers);
    PutString(out, std::to_string(static_cast<int>(r.kind)));
    PutString(out, std::to_string(r.group));
    PutString(out, blobs[i]);
  }
}

bool LoadCorpus(const std::string& path, std::size_t count, std::vector<Report>* reports,
                std::vector<std::string>* blobs) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::string field;
  while (reports->size() < count) {
    Report r;
    if (!GetString(in, &r.input.report_id)) break;
    GetString(in, &field);
    r.input.time = core::Time(std::chrono::milliseconds(std::stoll(field)));
    GetString(in, &r.input.lang);
    GetList(in, &r.input.entities);
    GetList(in, &r.input.numbers);
    GetString(in, &field);
    r.kind = static_cast<synth::DupKind>(std::stoi(field));
    GetString(in, &field);
    r.group = std::stoll(field);
    blobs->emplace_back();
    if (!GetString(in, &blobs->back())) return false;
    reports->push_back(std::move(r));
  }
  return reports->size() == count;
}

std::size_t Common(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::size_t common = 0;
  for (std::size_t i = 0, j = 0; i < a.size() && j < b.size();) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++common;
      ++i;
      ++j;
    }
  }
  return common;
}

double EntityJaccard(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a.empty() && b.empty()) return 0;
  const std::size_t common = Common(a, b);
  return static_cast<double>(common) / static_cast<double>(a.size() + b.size() - common);
}

void Quantiles(const char* name, std::vector<double> v) {
  if (v.empty()) return;
  std::sort(v.begin(), v.end());
  auto q = [&](double p) {
    return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
  };
  std::printf("%-28s n=%zu min=%.3f p01=%.3f p10=%.3f p50=%.3f p90=%.3f p99=%.3f max=%.3f\n", name,
              v.size(), v.front(), q(0.01), q(0.1), q(0.5), q(0.9), q(0.99), v.back());
}

// Distributions that choose the thresholds (docs/stories.md).
void Explore(const std::vector<Report>& reports, const std::vector<std::string>& blobs) {
  std::vector<std::vector<std::uint32_t>> shingles;
  for (std::size_t i = 0; i < blobs.size(); ++i) shingles.push_back(ShinglesOf(blobs, i));
  std::vector<double> jr, je, cj, jw, bg, bg_max, ew, en_w, nw, eb, nb, numcount;
  std::mt19937_64 rng(7);
  const std::int64_t window = 2LL * 24 * 3600 * 1000;
  for (std::size_t i = 0; i < reports.size(); ++i) {
    const Report& r = reports[i];
    numcount.push_back(static_cast<double>(r.input.numbers.size()));
    if (r.kind != synth::DupKind::kOriginal) {
      const Report& o = reports[static_cast<std::size_t>(r.group)];
      const double j = Jaccard(shingles[i], shingles[static_cast<std::size_t>(r.group)]);
      if (r.kind == synth::DupKind::kReprint) jr.push_back(j);
      if (r.kind == synth::DupKind::kExcerpt) {
        je.push_back(j);
        cj.push_back(Containment(shingles[i], shingles[static_cast<std::size_t>(r.group)]));
      }
      if (r.kind == synth::DupKind::kRewrite) {
        jw.push_back(j);
        ew.push_back(EntityJaccard(r.input.entities, o.input.entities));
        nw.push_back(static_cast<double>(Common(r.input.numbers, o.input.numbers)));
        en_w.push_back(EntityJaccard(r.input.numbers, o.input.numbers));
      }
    }
    // Background: earlier reports of other groups within the window.
    if (i < 50 || i % 10 != 0) continue;
    double best = 0;
    double best_e = 0, best_n = 0;
    for (std::size_t k = i; k-- > 0;) {
      const Report& o = reports[k];
      if ((r.input.time - o.input.time).count() > window) continue;
      if (o.group == r.group) continue;
      if (i - k > 3000) break;
      if (o.input.lang == r.input.lang) {
        const double j = Jaccard(shingles[i], shingles[k]);
        if (rng() % 8 == 0) bg.push_back(j);
        best = std::max(best, j);
      }
      const double e = EntityJaccard(r.input.entities, o.input.entities);
      const auto n = static_cast<double>(Common(r.input.numbers, o.input.numbers));
      if (e > best_e || (e == best_e && n > best_n)) {
        best_e = e;
        best_n = n;
      }
      if (e >= 0.6) nb.push_back(n);
    }
    bg_max.push_back(best);
    eb.push_back(best_e);
  }
  // Follow-up features: entities and numbers as one set.
  auto features = [](const Report& r) {
    std::vector<std::string> f = r.input.entities;
    for (const std::string& n : r.input.numbers) f.push_back("#" + n);
    std::sort(f.begin(), f.end());
    return f;
  };
  std::vector<double> fw, fb, fb_same, fsize;
  for (std::size_t i = 0; i < reports.size(); ++i) {
    const Report& r = reports[i];
    const auto fr = features(r);
    fsize.push_back(static_cast<double>(fr.size()));
    if (r.kind == synth::DupKind::kRewrite) {
      fw.push_back(EntityJaccard(fr, features(reports[static_cast<std::size_t>(r.group)])));
    }
    if (i < 50 || i % 10 != 0) continue;
    double best = 0, best_same = 0;
    for (std::size_t k = i; k-- > 0;) {
      const Report& o = reports[k];
      if (i - k > 3000) break;
      if (o.group == r.group) continue;
      if (std::llabs((r.input.time - o.input.time).count()) > window) continue;
      const double f = EntityJaccard(fr, features(o));
      best = std::max(best, f);
      if (o.input.lang == r.input.lang) best_same = std::max(best_same, f);
    }
    fb.push_back(best);
    fb_same.push_back(best_same);
  }
  Quantiles("feature J rewrite", fw);
  Quantiles("feature J bg max", fb);
  Quantiles("feature J bg max same lang", fb_same);
  Quantiles("features per report", fsize);
  // Document frequency of sampled shingles (hash % 8 == 0).
  std::unordered_map<std::uint32_t, int> df;
  double total = 0;
  for (const auto& r : shingles) {
    for (std::uint32_t s : r) {
      if (s % 8 == 0) {
        ++df[s];
        ++total;
      }
    }
  }
  for (int cap : {16, 32, 64, 128}) {
    double over = 0;
    for (const auto& r : shingles) {
      for (std::uint32_t s : r) {
        if (s % 8 == 0 && df[s] >= cap) ++over;
      }
    }
    std::printf("samples/report %.1f; share with df >= %d: %.3f\n",
                total / static_cast<double>(reports.size()), cap, over / total);
  }
  Quantiles("jaccard reprint", jr);
  Quantiles("jaccard excerpt", je);
  Quantiles("containment excerpt", cj);
  Quantiles("jaccard rewrite", jw);
  Quantiles("entity jaccard rewrite", ew);
  Quantiles("number jaccard rewrite", en_w);
  Quantiles("shared numbers rewrite", nw);
  Quantiles("numbers per report", numcount);
  Quantiles("background jaccard", bg);
  Quantiles("background max jaccard", bg_max);
  Quantiles("background max entity J", eb);
  Quantiles("bg shared nums (eJ>=.6)", nb);
}

struct PairCounts {
  std::size_t true_pairs = 0, found_true = 0, predicted = 0, predicted_true = 0;
  void Print(const char* name) const {
    std::printf(
        "%-10s pairwise precision %.4f recall %.4f (true pairs %zu, predicted %zu)\n", name,
        predicted == 0 ? 1.0 : static_cast<double>(predicted_true) / static_cast<double>(predicted),
        true_pairs == 0 ? 1.0 : static_cast<double>(found_true) / static_cast<double>(true_pairs),
        true_pairs, predicted);
  }
};

// Pairwise "same story" figures. A pair counts for kind k when either report is of kind k.
void StoryQuality(const std::vector<Report>& reports, const std::vector<std::uint64_t>& story) {
  std::unordered_map<std::uint64_t, std::vector<std::size_t>> members;
  std::unordered_map<std::int64_t, std::vector<std::size_t>> groups;
  for (std::size_t i = 0; i < reports.size(); ++i) {
    members[story[i]].push_back(i);
    groups[reports[i].group].push_back(i);
  }
  PairCounts by_kind[4];
  PairCounts all;
  auto kinds_of = [&](std::size_t a, std::size_t b, auto&& add) {
    const int ka = static_cast<int>(reports[a].kind), kb = static_cast<int>(reports[b].kind);
    add(by_kind[ka]);
    if (kb != ka) add(by_kind[kb]);
    add(all);
  };
  for (const auto& [g, m] : groups) {
    for (std::size_t x = 0; x < m.size(); ++x) {
      for (std::size_t y = x + 1; y < m.size(); ++y) {
        const bool same = story[m[x]] == story[m[y]];
        kinds_of(m[x], m[y], [&](PairCounts& c) {
          ++c.true_pairs;
          if (same) ++c.found_true;
        });
      }
    }
  }
  std::size_t largest = 0;
  for (const auto& [st, m] : members) {
    largest = std::max(largest, m.size());
    for (std::size_t x = 0; x < m.size(); ++x) {
      for (std::size_t y = x + 1; y < m.size(); ++y) {
        const bool right = reports[m[x]].group == reports[m[y]].group;
        kinds_of(m[x], m[y], [&](PairCounts& c) {
          ++c.predicted;
          if (right) ++c.predicted_true;
        });
      }
    }
  }
  std::printf("stories %zu (true groups %zu), largest %zu\n", members.size(), groups.size(),
              largest);
  by_kind[static_cast<int>(synth::DupKind::kReprint)].Print("reprint");
  by_kind[static_cast<int>(synth::DupKind::kExcerpt)].Print("excerpt");
  by_kind[static_cast<int>(synth::DupKind::kRewrite)].Print("rewrite");
  all.Print("all");
}

// Near-duplicate figures: every pair of one true group, by exact Jaccard band, against the
// later report's near_duplicates (precision: reported pairs in the band that are true pairs).
void NearDuplicateQuality(const std::vector<Report>& reports, const std::vector<std::string>& blobs,
                          const std::vector<std::vector<std::size_t>>& near) {
  std::unordered_map<std::int64_t, std::vector<std::size_t>> groups;
  for (std::size_t i = 0; i < reports.size(); ++i) groups[reports[i].group].push_back(i);
  struct Band {
    std::size_t truth = 0, found = 0, reported = 0, reported_true = 0;
  } high, mid, excerpt;
  auto has = [&](std::size_t later, std::size_t earlier) {
    return std::find(near[later].begin(), near[later].end(), earlier) != near[later].end();
  };
  for (const auto& [g, m] : groups) {
    for (std::size_t x = 0; x < m.size(); ++x) {
      for (std::size_t y = x + 1; y < m.size(); ++y) {
        const Report& a = reports[m[x]];
        const Report& b = reports[m[y]];
        const auto sa = ShinglesOf(blobs, m[x]);
        const auto sb = ShinglesOf(blobs, m[y]);
        const double j = Jaccard(sa, sb);
        const bool found = has(m[y], m[x]);
        if (j >= 0.8) {
          ++high.truth;
          if (found) ++high.found;
        } else if (j >= 0.5) {
          ++mid.truth;
          if (found) ++mid.found;
        }
        if (b.kind == synth::DupKind::kExcerpt && a.kind == synth::DupKind::kOriginal &&
            Containment(sb, sa) >= 0.8) {
          ++excerpt.truth;
          if (found) ++excerpt.found;
        }
      }
    }
  }
  for (std::size_t i = 0; i < reports.size(); ++i) {
    for (std::size_t e : near[i]) {
      const double j = Jaccard(ShinglesOf(blobs, i), ShinglesOf(blobs, e));
      const bool right = reports[i].group == reports[e].group;
      Band& band = j >= 0.8 ? high : (j >= 0.5 ? mid : excerpt);
      ++band.reported;
      if (right) ++band.reported_true;
    }
  }
  auto ratio = [](std::size_t a, std::size_t b) {
    return b == 0 ? 1.0 : static_cast<double>(a) / static_cast<double>(b);
  };
  std::printf("near-dup J>=0.8     recall %.4f (%zu pairs) precision %.4f (%zu reported)\n",
              ratio(high.found, high.truth), high.truth, ratio(high.reported_true, high.reported),
              high.reported);
  std::printf("near-dup J 0.5-0.8  recall %.4f (%zu pairs) precision %.4f (%zu reported)\n",
              ratio(mid.found, mid.truth), mid.truth, ratio(mid.reported_true, mid.reported),
              mid.reported);
  std::printf(
      "excerpt C>=0.8      recall %.4f (%zu pairs); reported below J 0.5: precision %.4f (%zu)\n",
      ratio(excerpt.found, excerpt.truth), excerpt.truth,
      ratio(excerpt.reported_true, excerpt.reported), excerpt.reported);
}

void Assign(const std::vector<Report>& reports, const std::vector<std::string>& blobs) {
  std::size_t fetches = 0;
  const ShingleFetch fetch = [&](std::int64_t seq) -> core::Result<std::string> {
    ++fetches;
    if (seq < 1 || static_cast<std::size_t>(seq) > blobs.size()) {
      return core::Status::NotFound("no_fingerprint", "no such seq");
    }
    return blobs[static_cast<std::size_t>(seq - 1)];
  };
  std::unordered_map<std::string, std::size_t> index_of;
  for (std::size_t i = 0; i < reports.size(); ++i) index_of[reports[i].input.report_id] = i;
  // Sized before the resident baseline so that only the assigner's growth is measured: story
  // ids as hashes, near-duplicates as (report, earlier) pairs.
  std::vector<std::uint64_t> story(reports.size(), 0);
  std::vector<std::pair<std::uint32_t, std::uint32_t>> near_pairs;
  near_pairs.resize(reports.size() * 2);  // touch the pages, keep the capacity
  near_pairs.clear();
  std::size_t reasons[3] = {0, 0, 0};
  const long rss_before = ResidentKb();
  StoryAssigner assigner;
  StoryInput input;
  double seconds = 0, decide_seconds = 0, cpu_seconds = 0;
  for (std::size_t i = 0; i < reports.size(); ++i) {
    // The fingerprint is decoded outside the timed part: the pipeline has it in hand.
    input = reports[i].input;
    input.fingerprint = *DecodeFingerprint(blobs[i]);
    const auto t0 = std::chrono::steady_clock::now();
    const double c0 = ThreadCpuSeconds();
    core::Result<Decision> d = assigner.Decide(input, fetch);
    if (!d.ok()) {
      std::fprintf(stderr, "decide: %s\n", d.status().ToString().c_str());
      std::exit(1);
    }
    const auto t_decided = std::chrono::steady_clock::now();
    assigner.Stage(static_cast<std::int64_t>(i + 1), input, *d);
    assigner.Publish();
    const auto t1 = std::chrono::steady_clock::now();
    cpu_seconds += ThreadCpuSeconds() - c0;
    seconds += std::chrono::duration<double>(t1 - t0).count();
    decide_seconds += std::chrono::duration<double>(t_decided - t0).count();
    story[i] = std::hash<std::string>()(d->story);
    ++reasons[static_cast<int>(d->reason)];
    for (const NearDuplicate& n : d->near_duplicates) {
      near_pairs.emplace_back(static_cast<std::uint32_t>(i),
                              static_cast<std::uint32_t>(index_of.at(n.id)));
    }
  }
  const long rss_after = ResidentKb();
  // Free heap that glibc keeps after the index's run merges (its dynamic mmap threshold makes
  // large temporary vectors come from the heap): what remains is the assigner's.
  malloc_trim(0);
  const long rss_trimmed = ResidentKb();
  const StoryMemory m = assigner.memory();
  std::printf("assignment: %.2f us/report mean (Decide+Stage+Publish), %.2f fetches/report\n",
              seconds * 1e6 / static_cast<double>(reports.size()),
              static_cast<double>(fetches) / static_cast<double>(reports.size()));
  std::printf("of which Decide %.2f us/report; thread CPU time %.2f us/report\n",
              decide_seconds * 1e6 / static_cast<double>(reports.size()),
              cpu_seconds * 1e6 / static_cast<double>(reports.size()));
  std::printf("decisions: new %zu, near-duplicate %zu, follow-up %zu\n", reasons[0], reasons[1],
              reasons[2]);
  std::printf(
      "memory(): %zu reports, %zu stories, %.1f MB counted (%.0f B/report); RSS delta %.1f MB, "
      "%.1f MB after malloc_trim\n",
      m.reports, m.stories, static_cast<double>(m.bytes) / 1e6,
      static_cast<double>(m.bytes) / static_cast<double>(std::max<std::size_t>(m.reports, 1)),
      static_cast<double>(rss_after - rss_before) / 1e3,
      static_cast<double>(rss_trimmed - rss_before) / 1e3);
  StoryQuality(reports, story);
  std::vector<std::vector<std::size_t>> near(reports.size());
  for (const auto& [later, earlier] : near_pairs) near[later].push_back(earlier);
  NearDuplicateQuality(reports, blobs, near);
}

int Main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // progress shows in a log file as it comes
  Options options;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--count") == 0 && i + 1 < argc) {
      options.count = std::strtoull(argv[++i], nullptr, 10);
    } else if (std::strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
      options.seed = std::strtoull(argv[++i], nullptr, 10);
    } else if (std::strcmp(argv[i], "--corpus") == 0 && i + 1 < argc) {
      options.corpus = argv[++i];
    } else if (std::strcmp(argv[i], "--explore") == 0) {
      options.explore = true;
    } else {
      std::fprintf(stderr,
                   "usage: story_bench [--count N] [--seed S] [--corpus FILE] [--explore]\n");
      return 2;
    }
  }
  std::vector<std::string> blobs;
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<Report> reports;
  if (options.corpus.empty() || !LoadCorpus(options.corpus, options.count, &reports, &blobs)) {
    reports.clear();
    blobs.clear();
    reports = Prepare(options, &blobs);
    if (!options.corpus.empty()) SaveCorpus(options.corpus, reports, blobs);
  }
  const auto t1 = std::chrono::steady_clock::now();
  std::printf("analysed %zu reports in %.1f s\n", reports.size(),
              std::chrono::duration<double>(t1 - t0).count());
  if (options.explore) Explore(reports, blobs);
  Assign(reports, blobs);
  return 0;
}

}  // namespace
}  // namespace markaz::cluster

int main(int argc, char** argv) { return markaz::cluster::Main(argc, argv); }
