// A seeded, reproducible generator of synthetic news-like reports, one POST /v1/reports body
// (DESIGN.md §9) per NDJSON line, with the ground truth of each line written beside it: which
// reports are agency reprints, excerpts or rewrites of which, and which entities each names.
// Tests, benchmarks and `markaz gen` / `markaz demo` use it.
//
// Example:
//   GenOptions options;
//   options.seed = 7;
//   options.count = 1000;
//   MARKAZ_ASSIGN_OR_RETURN(Generator gen, Generator::Create(options));
//   std::string line;
//   GroundTruth truth;
//   while (gen.Next(&line, &truth)) {
//     reports << line << '\n';
//     answers << truth.ToJsonLine() << '\n';
//   }
//
// What a line holds: title; body (paragraphs separated by "\n\n", ~2 KB on average counted in
// UTF-8 bytes); lang; source {name "Synthetic Wire N (synthetic)" — every source name says
// "(synthetic)" —, url https://synthetic.invalid/…, reliability A–F, credibility 1–6};
// observed_at (RFC 3339, spread over 30 days from GenOptions::start); location {lat, lon} on about
// half the reports; tlp clear|green|amber (mostly amber and green); release_to [] or ["members"]
// or ["members","partners"] or ["all"]; tags ["synthetic", theme]; external_id
// "syn-<seed>-<index>" (index from 0). Nothing in a line gives its ground truth away.
//
// The mix: about 65% originals, 15% reprints (the original's title and body under another
// source, a dateline "(Agency N) - " added, sometimes an "UPDATE 1-" title prefix: word
// 5-shingle Jaccard ≥ 0.9 with the original), 10% excerpts (2–3 consecutive paragraphs of an
// original, verbatim: containment 1), 10% rewrites (the same sentences, entities and numbers,
// re-worded by other template choices and reordered: lower similarity, same story). A duplicate
// always derives from one of the last kWindow originals and comes after it in the stream.
//
// Determinism: the same GenOptions give byte-identical output on every platform (mt19937_64 and
// our own uniform helpers; no std::*_distribution, whose output differs between libraries).
//
// Thread-safety: a Generator is not safe to share; use one per thread (they are independent).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"

namespace markaz::synth {

// How many recent originals a generator keeps to derive duplicates from. Memory stays bounded
// (a few hundred KB) whatever the count.
inline constexpr std::size_t kWindow = 64;

struct GenOptions {
  std::uint64_t seed = 1;
  std::size_t count = 0;  // lines to produce
  // Languages of the originals, each equally likely (a language listed twice counts twice).
  // Known: ar en fr ru fa.
  std::vector<std::string> langs = {"ar", "en", "ru", "fr", "fa"};
  // observed_at of the originals runs from here over 30 days; duplicates follow their original
  // by minutes to two days. The default is the seed article's month (2015-10-01T00:00:00Z).
  core::Time start = core::Time(std::chrono::milliseconds(1443657600000));
};

enum class DupKind { kOriginal, kReprint, kExcerpt, kRewrite };
std::string_view DupKindName(DupKind kind);  // "original", "reprint", "excerpt", "rewrite"

// What is true of one generated report.
struct GroundTruth {
  std::size_t index = 0;
  std::string external_id;
  DupKind kind = DupKind::kOriginal;
  std::string of;                     // external_id of the original; empty for originals
  std::vector<std::string> entities;  // ids of every lexicon entity named in title + body; sorted
  std::string lang;

  // {"external_id":"…","kind":"…","of":"…"|null,"lang":"…","entities":["…",…]}, no newline.
  std::string ToJsonLine() const;
};

class Generator {
 public:
  // InvalidArgument (reason "synth_bad_options") for an empty or unknown language list.
  static core::Result<Generator> Create(GenOptions options);

  Generator(Generator&&) noexcept;
  Generator& operator=(Generator&&) noexcept;
  ~Generator();

  // Writes the next report as one JSON object (no trailing newline) to *line and its ground
  // truth to *truth, replacing their contents; returns false, touching neither, once `count`
  // lines have been produced.
  bool Next(std::string* line, GroundTruth* truth);

  std::size_t produced() const;

 private:
  struct State;
  explicit Generator(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace markaz::synth
