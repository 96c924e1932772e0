// Story assignment: candidates from three in-memory indexes, exact verification on fetched
// shingles, then the decision (the rule and every threshold: docs/stories.md).
//
// Docs are numbered densely in the order they are staged or loaded (a "doc" below); staged docs
// are always the last ones, so Discard() is a truncation.
#include "cluster/story_assigner.h"

#include <xxhash.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <optional>
#include <unordered_map>
#include <utility>

#include "cluster/flat_multimap.h"
#include "cluster/sample_set.h"

namespace markaz::cluster {
namespace {

// LSH: kBands bands of kRows signature values each (docs/stories.md has the S-curve).
constexpr int kBands = 12;
constexpr int kRows = 5;
static_assert(kBands * kRows <= kHashes);

// Containment samples: the shingles whose hash is 0 mod kSampleModulus. A sample already held by
// kStopDocs docs is a template phrase, not evidence: it is neither indexed nor looked up.
constexpr std::uint32_t kSampleModulus = 4;
static_assert(kSampleModulus % 2 == 0, "SampleSet needs even sample hashes");
constexpr std::size_t kStopDocs = 16;
// A doc must share this share of the smaller side's live samples with the report to be fetched.
constexpr double kSampleShareMin = 0.4;
// Containment counts only when the contained side has at least this many shingles: a two-word
// report is "contained" in anything that repeats those words.
constexpr std::size_t kContainedShinglesMin = 20;
// At most this many candidates are fetched and verified per report (best evidence first).
constexpr std::size_t kVerifyMax = 16;
// And at most this many of the feature candidates, best feature Jaccard first.
constexpr std::size_t kVerifyFeatureMax = 8;

// Follow-ups (docs/stories.md, "The decision", step 4).
constexpr double kFollowFeatureJaccardMin = 0.6;
constexpr std::size_t kFollowSharedMin = 3;
constexpr double kFollowShingleJaccardMin = 0.1;
// A report whose features lie this much inside an earlier one's is worth a containment check.
constexpr double kFeatureContainmentMin = 0.8;
// The window forgets reports at every kCompactEvery-th doc (deterministic points).
constexpr std::uint32_t kCompactEvery = 4096;
// Window rows examined per report at most: the rarest numbers' postings first, newest rows
// first within each (a rewrite shares its original's rare numbers; the budget bounds the cost
// of a report whose only number is "3").
constexpr std::size_t kFeatureRowsMax = 512;

constexpr std::string_view kCrockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

// 128 bits of an id's 26 base32 characters, when the id is `prefix` "_" + 26 characters of
// which the first is 0–7 (every ULID); nullopt otherwise.
using Id128 = std::array<std::uint64_t, 2>;

std::optional<Id128> DecodeId(std::string_view id, std::string_view prefix) {
  if (id.size() != prefix.size() + 1 + 26 || id.substr(0, prefix.size()) != prefix ||
      id[prefix.size()] != '_') {
    return std::nullopt;
  }
  Id128 v = {0, 0};
  for (std::size_t i = prefix.size() + 1; i < id.size(); ++i) {
    const std::size_t d = kCrockford.find(id[i]);
    if (d == std::string_view::npos) return std::nullopt;
    if (i == prefix.size() + 1 && d > 7) return std::nullopt;
    v[0] = (v[0] << 5) | (v[1] >> 59);
    v[1] = (v[1] << 5) | d;
  }
  return v;
}

std::string EncodeId(const Id128& v, std::string_view prefix) {
  std::string out(prefix);
  out.push_back('_');
  out.resize(prefix.size() + 1 + 26);
  std::uint64_t hi = v[0], lo = v[1];
  for (std::size_t i = out.size(); i-- > prefix.size() + 1;) {
    out[i] = kCrockford[lo & 31];
    lo = (lo >> 5) | (hi << 59);
    hi >>= 5;
  }
  return out;
}

std::uint32_t BandKey(const std::vector<std::uint32_t>& minhash, int band) {
  return static_cast<std::uint32_t>(
      XXH3_64bits_withSeed(minhash.data() + static_cast<std::ptrdiff_t>(band) * kRows,
                           kRows * sizeof(std::uint32_t), static_cast<std::uint64_t>(band)));
}

std::uint32_t FeatureHash(char kind, std::string_view value) {
  std::string buf;
  buf.reserve(value.size() + 2);
  buf.push_back(kind);
  buf.push_back('\x1f');
  buf.append(value);
  return static_cast<std::uint32_t>(XXH3_64bits(buf.data(), buf.size()));
}

// Entities and numbers of a report as sorted, unique 32-bit hashes; numbers also apart.
struct Features {
  std::vector<std::uint32_t> all;
  std::vector<std::uint32_t> numbers;
};

Features MakeFeatures(const StoryInput& input) {
  Features f;
  for (const std::string& e : input.entities) f.all.push_back(FeatureHash('e', e));
  for (const std::string& n : input.numbers) {
    const std::uint32_t h = FeatureHash('n', n);
    f.all.push_back(h);
    f.numbers.push_back(h);
  }
  std::sort(f.all.begin(), f.all.end());
  f.all.erase(std::unique(f.all.begin(), f.all.end()), f.all.end());
  std::sort(f.numbers.begin(), f.numbers.end());
  f.numbers.erase(std::unique(f.numbers.begin(), f.numbers.end()), f.numbers.end());
  return f;
}

std::int64_t Millis(core::Time t) { return t.time_since_epoch().count(); }

// Bits set in x. std::popcount compiles to a libgcc call without -mpopcnt (x86-64 baseline);
// this is the same in a dozen inline instructions.
int PopCount(std::uint64_t x) {
  x = x - ((x >> 1) & 0x5555555555555555ULL);
  x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
  x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
  return static_cast<int>((x * 0x0101010101010101ULL) >> 56);
}

std::int32_t Minute(std::int64_t ms) {
  return static_cast<std::int32_t>(
      std::clamp<std::int64_t>(ms / 60000, std::numeric_limits<std::int32_t>::min(),
                               std::numeric_limits<std::int32_t>::max()));
}

// A feature set as 128 bits (bit = hash mod 128): the popcount of two masks' AND is the size of
// the sets' intersection unless two shared features share a bit (~4% of pairs for 8 shared).
using Mask = std::array<std::uint64_t, 2>;

Mask FeatureMask(const std::vector<std::uint32_t>& features) {
  Mask m = {0, 0};
  for (std::uint32_t f : features) m[(f >> 6) & 1] |= std::uint64_t{1} << (f & 63);
  return m;
}

int CommonBits(const Mask& a, const Mask& b) {
  return PopCount(a[0] & b[0]) + PopCount(a[1] & b[1]);
}

}  // namespace

// The recent reports that follow-ups are looked for among, with their features.
struct FollowWindow {
  struct Row {
    std::uint32_t doc;
    std::int64_t time_ms;
    std::uint32_t begin;  // into features
    std::uint32_t count;
  };
  // A row under one of its numbers, with what the first test needs inline: the postings of a
  // common number are scanned sequentially and only the rows that pass are read.
  struct Posting {
    Mask mask;            // one bit per feature
    std::int32_t minute;  // event time in minutes
    std::uint32_t row;
    std::uint32_t count;  // features of the row
  };
  std::vector<Row> rows;  // by doc
  std::vector<std::uint32_t> features;
  std::unordered_map<std::uint32_t, std::vector<Posting>> by_number;

  void Add(std::uint32_t doc, std::int64_t time_ms, const Features& f) {
    const auto row = static_cast<std::uint32_t>(rows.size());
    rows.push_back({doc, time_ms, static_cast<std::uint32_t>(features.size()),
                    static_cast<std::uint32_t>(f.all.size())});
    features.insert(features.end(), f.all.begin(), f.all.end());
    const Posting p{FeatureMask(f.all), Minute(time_ms), row,
                    static_cast<std::uint32_t>(f.all.size())};
    for (std::uint32_t n : f.numbers) by_number[n].push_back(p);
  }

  // Keeps the rows that `keep` accepts; rebuilds features and number postings.
  template <typename Keep>
  void Retain(Keep&& keep) {
    std::vector<Row> old_rows;
    old_rows.swap(rows);
    std::vector<std::uint32_t> old_features;
    old_features.swap(features);
    std::unordered_map<std::uint32_t, std::vector<Posting>> old_postings;
    old_postings.swap(by_number);
    std::vector<std::uint32_t> new_row(old_rows.size(), ~0u);
    for (std::size_t i = 0; i < old_rows.size(); ++i) {
      const Row& r = old_rows[i];
      if (!keep(r)) continue;
      new_row[i] = static_cast<std::uint32_t>(rows.size());
      rows.push_back(r);
      rows.back().begin = static_cast<std::uint32_t>(features.size());
      features.insert(features.end(), old_features.begin() + r.begin,
                      old_features.begin() + r.begin + r.count);
    }
    for (auto& [number, list] : old_postings) {
      std::vector<Posting> kept;
      for (Posting p : list) {
        if (new_row[p.row] == ~0u) continue;
        p.row = new_row[p.row];
        kept.push_back(p);
      }
      if (!kept.empty()) by_number.emplace(number, std::move(kept));
    }
    rows.shrink_to_fit();
    features.shrink_to_fit();
  }

  std::size_t bytes() const {
    std::size_t n = rows.capacity() * sizeof(Row) + features.capacity() * sizeof(std::uint32_t);
    for (const auto& [k, v] : by_number) n += 48 + v.capacity() * sizeof(Posting);
    return n + by_number.bucket_count() * sizeof(void*);
  }
};

namespace {

struct Candidate {
  std::uint32_t doc = 0;
  std::uint16_t band_hits = 0;
  std::uint16_t sample_hits = 0;
  bool feature_match = false;  // feature overlap high enough to be checked
  double feature_jaccard = 0;
  std::size_t shared_numbers = 0;
};

}  // namespace

struct StoryAssigner::State {
  StoryOptions options;

  // Per doc (struct of arrays: no padding).
  std::vector<std::int64_t> seq;
  std::vector<Id128> report;
  std::vector<Id128> story;
  std::vector<std::uint8_t> samples;  // samples indexed for the doc (capped at 255)
  std::unordered_map<std::uint32_t, std::string> odd_report;  // ids that do not fit Id128
  std::unordered_map<std::uint32_t, std::string> odd_story;
  std::size_t stories = 0;

  FlatMultiMap bands;
  FlatMultiMap sample_docs;
  // Samples held by kStopDocs docs: template phrases, skipped from then on.
  SampleSet stop_samples;
  std::vector<std::uint32_t> staged_stops;  // those that became stop in the staged batch
  FollowWindow window;

  // The batch being written: docs [first_staged, docs) with their fingerprints.
  std::uint32_t first_staged = 0;
  std::vector<Fingerprint> staged;
  std::size_t staged_stories = 0;

  std::uint32_t docs() const { return static_cast<std::uint32_t>(seq.size()); }

  std::string ReportId(std::uint32_t d) const {
    auto it = odd_report.find(d);
    return it != odd_report.end() ? it->second : EncodeId(report[d], "rep");
  }
  std::string StoryId(std::uint32_t d) const {
    auto it = odd_story.find(d);
    return it != odd_story.end() ? it->second : EncodeId(story[d], "sto");
  }

  void Add(std::int64_t s, const StoryInput& input, std::string_view story_id);
  void Compact(std::uint32_t boundary);
  void MatchFeatures(const Features& qf, std::int64_t t, std::vector<Candidate>* found) const;
};

namespace {

bool IsSample(std::uint32_t shingle) { return shingle % kSampleModulus == 0; }

}  // namespace

void StoryAssigner::State::Add(std::int64_t s, const StoryInput& input, std::string_view story_id) {
  const std::uint32_t d = docs();
  seq.push_back(s);
  if (auto id = DecodeId(input.report_id, "rep")) {
    report.push_back(*id);
  } else {
    report.push_back({0, 0});
    odd_report.emplace(d, input.report_id);
  }
  if (auto id = DecodeId(story_id, "sto")) {
    story.push_back(*id);
  } else {
    story.push_back({0, 0});
    odd_story.emplace(d, std::string(story_id));
  }
  const Fingerprint& f = input.fingerprint;
  if (f.minhash.size() == static_cast<std::size_t>(kHashes)) {
    for (int b = 0; b < kBands; ++b) {
      bands.Insert(BandKey(f.minhash, b) ^ (static_cast<std::uint32_t>(b) * 0x9E3779B9u), d);
    }
  }
  // Staged like Decide's lookups: prefetch every stage for all samples before reading it.
  std::vector<std::uint32_t> live;
  for (std::uint32_t sh : f.shingles) {
    if (IsSample(sh)) live.push_back(sh);
  }
  for (std::uint32_t sh : live) stop_samples.Prefetch(sh);
  std::erase_if(live, [&](std::uint32_t sh) { return stop_samples.contains(sh); });
  for (std::uint32_t sh : live) sample_docs.PrefetchSlots(sh);
  for (std::uint32_t sh : live) sample_docs.PrefetchEntries(sh);
  std::size_t indexed = 0;
  for (std::uint32_t sh : live) {
    sample_docs.Insert(sh, d);
    ++indexed;
    if (sample_docs.Count(sh) >= kStopDocs) {
      stop_samples.insert(sh);
      if (d >= first_staged) staged_stops.push_back(sh);
    }
  }
  samples.push_back(static_cast<std::uint8_t>(std::min<std::size_t>(indexed, 255)));
  window.Add(d, Millis(input.time), MakeFeatures(input));
}

void StoryAssigner::State::Compact(std::uint32_t boundary) {
  // Forget window rows of docs before `boundary` whose event time is more than the window
  // before the newest event time of those docs: a function of the docs alone, so live
  // assignment and Load() forget the same rows.
  // The newest row of those docs is never forgotten (its time is the newest), so the maximum
  // over the rows still held is the maximum over every doc before `boundary`.
  std::int64_t newest = std::numeric_limits<std::int64_t>::min();
  bool any = false;
  for (const FollowWindow::Row& r : window.rows) {
    if (r.doc < boundary) {
      newest = std::max(newest, r.time_ms);
      any = true;
    }
  }
  if (!any) return;
  const std::int64_t cutoff = newest - options.follow_up_window_ms;
  window.Retain(
      [&](const FollowWindow::Row& r) { return r.doc >= boundary || r.time_ms >= cutoff; });
}

// Adds to *found (sorted by doc up to its current end) the window docs whose entities and
// numbers overlap the report's enough to be a follow-up or to contain it.
void StoryAssigner::State::MatchFeatures(const Features& qf, std::int64_t t,
                                         std::vector<Candidate>* found) const {
  std::vector<std::pair<std::size_t, const std::vector<FollowWindow::Posting>*>> lists;
  for (std::uint32_t n : qf.numbers) {
    auto it = window.by_number.find(n);
    if (it != window.by_number.end()) lists.emplace_back(it->second.size(), &it->second);
  }
  std::sort(lists.begin(), lists.end(),
            [](const auto& x, const auto& y) { return x.first < y.first; });
  const std::size_t hit_candidates = found->size();
  const Mask qmask = FeatureMask(qf.all);
  const auto nq = static_cast<double>(qf.all.size());
  // Minutes are coarser than the window test below: one more on each side.
  const std::int64_t window_minutes = options.follow_up_window_ms / 60000 + 1;
  const std::int64_t minute = Minute(t);
  std::vector<std::uint32_t> matched;  // rows already taken (a row is under each of its numbers)
  std::size_t walked = 0;
  for (const auto& [size, list] : lists) {
    for (auto it = list->rbegin(); it != list->rend() && walked < kFeatureRowsMax; ++it) {
      ++walked;
      const FollowWindow::Posting& p = *it;
      // First test on the masks, one feature of slack for a bit collision: enough shared
      // features for the Jaccard or the containment rule?
      const int bits = CommonBits(p.mask, qmask) + 1;
      const double upper = std::min<double>(bits, std::min<double>(nq, p.count));
      if (upper < static_cast<double>(kFollowSharedMin)) continue;
      if (upper / (nq + p.count - upper) < kFollowFeatureJaccardMin &&
          upper / nq < kFeatureContainmentMin) {
        continue;
      }
      if (std::llabs(p.minute - minute) > window_minutes) continue;
      const FollowWindow::Row& r = window.rows[p.row];
      if (std::llabs(r.time_ms - t) > options.follow_up_window_ms) continue;
      if (std::find(matched.begin(), matched.end(), p.row) != matched.end()) continue;
      const std::uint32_t* rf = window.features.data() + r.begin;
      const std::size_t shared =
          IntersectionSize(qf.all, std::span<const std::uint32_t>(rf, r.count));
      const double jaccard =
          static_cast<double>(shared) / static_cast<double>(qf.all.size() + r.count - shared);
      const double inside = static_cast<double>(shared) / static_cast<double>(qf.all.size());
      if (shared < kFollowSharedMin ||
          (jaccard < kFollowFeatureJaccardMin && inside < kFeatureContainmentMin)) {
        continue;
      }
      matched.push_back(p.row);
      const auto hit_end = found->begin() + static_cast<std::ptrdiff_t>(hit_candidates);
      auto pos = std::lower_bound(found->begin(), hit_end, r.doc,
                                  [](const Candidate& c, std::uint32_t d) { return c.doc < d; });
      Candidate* c = nullptr;
      if (pos != hit_end && pos->doc == r.doc) {
        c = &*pos;
      } else {
        found->push_back({});
        c = &found->back();
        c->doc = r.doc;
      }
      c->feature_match = true;
      c->feature_jaccard = jaccard;
      c->shared_numbers =
          IntersectionSize(qf.numbers, std::span<const std::uint32_t>(rf, r.count));
    }
  }
}

StoryAssigner::StoryAssigner(StoryOptions options) : state_(std::make_unique<State>()) {
  state_->options = options;
}

StoryAssigner::~StoryAssigner() = default;

core::Result<Decision> StoryAssigner::Decide(const StoryInput& input,
                                             const ShingleFetch& fetch) const {
  const State& s = *state_;
  const Fingerprint& q = input.fingerprint;
  // Hits as (doc << 1 | source) in one flat vector, sorted and counted after: a report meets
  // hundreds of docs through shared samples, and a node-based map would allocate for each.
  std::vector<std::uint64_t> hits;
  constexpr std::uint64_t kBandHit = 1, kSampleHit = 0;

  // The keys to look up: band keys, then the samples that are not template phrases. Each
  // lookup is a few cache misses into tables of hundreds of MB; doing every stage for all keys
  // before the next (prefetch, then read) overlaps them.
  std::vector<std::uint32_t> band_keys;
  if (q.minhash.size() == static_cast<std::size_t>(kHashes)) {
    for (int b = 0; b < kBands; ++b) {
      band_keys.push_back(BandKey(q.minhash, b) ^ (static_cast<std::uint32_t>(b) * 0x9E3779B9u));
    }
  }
  std::vector<std::uint32_t> samples;
  for (std::uint32_t sh : q.shingles) {
    if (IsSample(sh)) samples.push_back(sh);
  }
  for (std::uint32_t sh : samples) s.stop_samples.Prefetch(sh);
  for (std::uint32_t key : band_keys) s.bands.PrefetchSlots(key);
  std::erase_if(samples, [&](std::uint32_t sh) { return s.stop_samples.contains(sh); });
  const std::size_t live_samples = samples.size();
  for (std::uint32_t sh : samples) s.sample_docs.PrefetchSlots(sh);
  for (std::uint32_t key : band_keys) s.bands.PrefetchEntries(key);
  for (std::uint32_t sh : samples) s.sample_docs.PrefetchEntries(sh);
  // 1. LSH bands.
  for (std::uint32_t key : band_keys) {
    s.bands.ForEach(key,
                    [&](std::uint32_t d) { hits.push_back((std::uint64_t{d} << 1) | kBandHit); });
  }
  // 2. Containment samples.
  for (std::uint32_t sh : samples) {
    s.sample_docs.ForEach(
        sh, [&](std::uint32_t d) { hits.push_back((std::uint64_t{d} << 1) | kSampleHit); });
  }
  std::sort(hits.begin(), hits.end());
  std::vector<Candidate> found;
  for (std::size_t i = 0; i < hits.size();) {
    Candidate c;
    c.doc = static_cast<std::uint32_t>(hits[i] >> 1);
    for (; i < hits.size() && (hits[i] >> 1) == c.doc; ++i) {
      if ((hits[i] & 1) == kBandHit) {
        ++c.band_hits;
      } else {
        ++c.sample_hits;
      }
    }
    // A doc that contains the report (or is contained in it, or shares half of it) shares about
    // that share of the smaller side's live samples; a single common phrase is chance unless
    // one side has only one.
    const std::size_t smaller = std::min<std::size_t>(live_samples, s.samples[c.doc]);
    const std::size_t need = std::max<std::size_t>(
        {1, std::min<std::size_t>(2, smaller),
         static_cast<std::size_t>(std::ceil(kSampleShareMin * static_cast<double>(smaller)))});
    if (c.band_hits > 0 || c.sample_hits >= need) found.push_back(c);
  }
  // Verification: exact measures on each candidate's fetched shingles (staged ones from memory).
  struct Verified {
    std::uint32_t doc;
    double similarity;
  };
  std::vector<Verified> near;
  std::vector<std::pair<std::uint32_t, double>> checked;  // doc → shingle Jaccard
  std::optional<Candidate> follow;
  double follow_jaccard = 0;
  auto consider_follow = [&](const Candidate& c, double j) {
    if (!c.feature_match || c.feature_jaccard < kFollowFeatureJaccardMin || c.shared_numbers == 0 ||
        j < kFollowShingleJaccardMin) {
      return;
    }
    if (!follow || c.feature_jaccard > follow->feature_jaccard ||
        (c.feature_jaccard == follow->feature_jaccard &&
         (j > follow_jaccard || (j == follow_jaccard && c.doc < follow->doc)))) {
      follow = c;
      follow_jaccard = j;
    }
  };
  std::vector<std::uint32_t> fetched;  // reused across candidates
  auto verify = [&](const std::vector<Candidate>& list) -> core::Status {
    for (const Candidate& c : list) {
      auto seen = std::find_if(checked.begin(), checked.end(),
                               [&](const auto& e) { return e.first == c.doc; });
      if (seen != checked.end()) {  // verified in the first pass: not a near-duplicate
        consider_follow(c, seen->second);
        continue;
      }
      const std::vector<std::uint32_t>* shingles = &fetched;
      if (c.doc >= s.first_staged) {
        shingles = &s.staged[c.doc - s.first_staged].shingles;
      } else {
        core::Result<std::string> blob = fetch(s.seq[c.doc]);
        if (!blob.ok()) {
          if (blob.status().code() == core::Code::kNotFound) continue;
          return blob.status();
        }
        MARKAZ_RETURN_IF_ERROR(DecodeShingles(*blob, &fetched));
      }
      const std::size_t common = IntersectionSize(q.shingles, *shingles);
      const std::size_t nq = q.shingles.size(), nf = shingles->size();
      const double j = nq == 0 || nf == 0
                           ? 0.0
                           : static_cast<double>(common) / static_cast<double>(nq + nf - common);
      double contained = 0;
      if (nq >= kContainedShinglesMin && nf > 0) {
        contained = std::max(contained, static_cast<double>(common) / static_cast<double>(nq));
      }
      if (nf >= kContainedShinglesMin && nq > 0) {
        contained = std::max(contained, static_cast<double>(common) / static_cast<double>(nf));
      }
      checked.emplace_back(c.doc, j);
      if (j >= s.options.jaccard_min || contained >= s.options.containment_min) {
        near.push_back({c.doc, std::max(j, contained)});
      } else {
        consider_follow(c, j);
      }
    }
    return core::Status::Ok();
  };
  // Strongest evidence first, then newer first (a copy tends to follow its source closely);
  // at most kVerifyMax fetched per pass.
  auto order = [](std::vector<Candidate>* list, std::size_t most) {
    std::sort(list->begin(), list->end(), [](const Candidate& x, const Candidate& y) {
      const double ex = 4 * x.band_hits + x.sample_hits + x.feature_jaccard;
      const double ey = 4 * y.band_hits + y.sample_hits + y.feature_jaccard;
      if (ex != ey) return ex > ey;
      return x.doc > y.doc;
    });
    if (list->size() > most) list->resize(most);
  };
  order(&found, kVerifyMax);
  MARKAZ_RETURN_IF_ERROR(verify(found));

  // 3. Only when the text matched nothing: recent reports sharing a number, by feature overlap
  // (follow-ups, and excerpts whose samples are all template phrases).
  if (near.empty()) {
    std::vector<Candidate> by_features;
    s.MatchFeatures(MakeFeatures(input), Millis(input.time), &by_features);
    order(&by_features, kVerifyFeatureMax);
    MARKAZ_RETURN_IF_ERROR(verify(by_features));
  }

  Decision decision;
  std::sort(near.begin(), near.end(), [](const Verified& a, const Verified& b) {
    if (a.similarity != b.similarity) return a.similarity > b.similarity;
    return a.doc < b.doc;
  });
  if (!near.empty()) {
    decision.reason = Decision::Reason::kNearDuplicate;
    decision.story = s.StoryId(near.front().doc);
    for (std::size_t i = 0; i < near.size() && i < kMaxNearDuplicates; ++i) {
      decision.near_duplicates.push_back({s.ReportId(near[i].doc), near[i].similarity});
    }
  } else if (follow) {
    decision.reason = Decision::Reason::kFollowUp;
    decision.story = s.StoryId(follow->doc);
  } else {
    decision.reason = Decision::Reason::kNew;
    decision.story = StoryIdFor(input.report_id);
  }
  return decision;
}

void StoryAssigner::Stage(std::int64_t seq, const StoryInput& input, const Decision& decision) {
  State& s = *state_;
  if (s.staged.empty()) s.first_staged = s.docs();
  s.Add(seq, input, decision.story);
  s.staged.push_back(input.fingerprint);
  if (decision.reason == Decision::Reason::kNew) ++s.staged_stories;
}

void StoryAssigner::Publish() {
  State& s = *state_;
  if (s.staged.empty()) return;
  const std::uint32_t from = s.first_staged;
  s.stories += s.staged_stories;
  s.staged_stories = 0;
  s.staged.clear();
  s.staged.shrink_to_fit();
  s.staged_stops.clear();
  s.first_staged = s.docs();
  // Compact at every boundary crossed, in order, as Load() would have.
  for (std::uint32_t b = (from / kCompactEvery + 1) * kCompactEvery; b <= s.docs();
       b += kCompactEvery) {
    s.Compact(b);
  }
}

void StoryAssigner::Discard() {
  State& s = *state_;
  if (s.staged.empty()) return;
  const std::uint32_t from = s.first_staged;
  s.seq.resize(from);
  s.report.resize(from);
  s.story.resize(from);
  s.samples.resize(from);
  std::erase_if(s.odd_report, [from](const auto& kv) { return kv.first >= from; });
  std::erase_if(s.odd_story, [from](const auto& kv) { return kv.first >= from; });
  s.bands.EraseFrom(from);
  s.sample_docs.EraseFrom(from);
  s.stop_samples.erase(s.staged_stops);
  s.staged_stops.clear();
  s.window.Retain([from](const FollowWindow::Row& r) { return r.doc < from; });
  s.staged.clear();
  s.staged_stories = 0;
}

void StoryAssigner::Load(std::int64_t seq, const StoryInput& input, std::string_view story) {
  State& s = *state_;
  s.Add(seq, input, story);
  s.staged_stops.clear();  // a loaded report is durable: nothing of it is ever discarded
  if (story == StoryIdFor(input.report_id)) ++s.stories;
  s.first_staged = s.docs();
  if (s.docs() % kCompactEvery == 0) s.Compact(s.docs());
}

StoryMemory StoryAssigner::memory() const {
  const State& s = *state_;
  StoryMemory m;
  m.reports = s.docs();
  m.stories = s.stories + s.staged_stories;
  std::size_t b = s.seq.capacity() * sizeof(std::int64_t) + s.report.capacity() * sizeof(Id128) +
                  s.story.capacity() * sizeof(Id128) + s.samples.capacity();
  b += (s.odd_report.size() + s.odd_story.size()) * 80;
  b += s.bands.bytes() + s.sample_docs.bytes() + s.window.bytes();
  b += s.stop_samples.bytes();
  for (const Fingerprint& f : s.staged) {
    b += (f.shingles.capacity() + f.minhash.capacity()) * sizeof(std::uint32_t);
  }
  m.bytes = b;
  return m;
}

std::string StoryIdFor(std::string_view report_id) {
  // A salted 128-bit hash: the story id says nothing of the report id or its time.
  constexpr std::uint64_t kSalt = 0x73746f7279696431ULL;  // "storyid1"
  const XXH128_hash_t h = XXH3_128bits_withSeed(report_id.data(), report_id.size(), kSalt);
  // 26 base32 characters hold 130 bits: the top two are zero, so the first is 0–7.
  return EncodeId({h.high64, h.low64}, "sto");
}

}  // namespace markaz::cluster
