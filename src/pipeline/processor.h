// Processing (DESIGN.md §3, issue 4): everything the centre learns from a report before it is
// committed — language, tokens, entities, places. Pure and thread-safe: it runs on the
// submitting thread, outside the store's write lock, and its result is committed with the
// report in the same transaction (as the report's `analysis`).
//
// The gazetteer, its compiled matcher and the analyser (whose clitic lexicon is the
// gazetteer) form one immutable snapshot. Extending the gazetteer (the chair's watchlist)
// builds a new snapshot beside the old one and swaps it atomically: ingest never stops, and
// each report is analysed against exactly one snapshot.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cluster/story_assigner.h"
#include "core/report.h"
#include "core/status.h"
#include "gazetteer/gazetteer.h"
#include "gazetteer/matcher.h"
#include "text/analyzer.h"

namespace markaz::pipeline {

struct EntityRef {
  std::string id;    // gazetteer id: "country:IQ"
  std::string kind;  // "country", "city", …
  std::vector<text::Span> spans;
};

struct PlaceRef {
  std::string entity;
  core::GeoPoint point;
  bool implied = false;  // not named itself; a city of it was
};

// What processing learns about one report. Spans are code points into
// title + "\n\n" + body (DESIGN.md §9), the text that AnalysedText() builds.
struct ReportAnalysis {
  std::string lang;
  std::vector<EntityRef> entities;  // by first mention
  std::vector<PlaceRef> places;
  std::vector<text::Token> tokens;  // for the search index and story shingles (not stored)
  // Decided at commit time, in commit order, by story assignment (cluster/story_assigner.h);
  // empty until then, and for reports processed without stories.
  std::string story;
  std::vector<cluster::NearDuplicate> near_duplicates;
};

// The stored form (the report's `analysis` column): {"lang","entities":[{"id","kind",
// "spans":[[b,e],…]}],"places":[{"entity","lat","lon"[,"implied":true]}][,"story":"sto_…",
// "near_duplicates":[{"id","similarity"},…]]}. Display names are not stored: they are looked
// up at read time in the reader's language. near_duplicates lists every near-duplicate found
// at commit time; readers get only those they may read (the centre filters).
std::string ToJson(const ReportAnalysis& analysis);

// The text a report is analysed as, and that spans index into.
std::string AnalysedText(const core::ReportInput& input);

class Processor {
 public:
  // Loads the gazetteer compiled into the binary and its matcher, from `cache_dir` when a
  // compiled database is there (written there otherwise; empty = no cache).
  static core::Result<std::unique_ptr<Processor>> Create(const std::filesystem::path& cache_dir);
  // With a given gazetteer (tests).
  static core::Result<std::unique_ptr<Processor>> Create(
      std::shared_ptr<const gazetteer::Gazetteer> gazetteer, const std::filesystem::path& cache_dir);

  ReportAnalysis Analyse(const core::ReportInput& input) const;

  // The analyser of the current snapshot: search queries and snippets go through the same
  // analyser as the documents. Kept alive by the pointer when Extend() swaps snapshots.
  std::shared_ptr<const text::Analyzer> analyzer() const;
  // The gazetteer of the current snapshot (entity pages and entity search).
  std::shared_ptr<const gazetteer::Gazetteer> gazetteer() const;

  // The display name of a gazetteer entity in `lang` (English, then any, as fallback); empty
  // when the id is unknown.
  std::string EntityName(std::string_view id, std::string_view lang) const;

  // Adds entities and aliases (the watchlist): builds a new snapshot, then swaps it in.
  // Reports being analysed meanwhile finish on the old one.
  core::Status Extend(std::vector<gazetteer::Entity> entities,
                      std::vector<gazetteer::Alias> aliases);

 private:
  struct Snapshot {
    std::shared_ptr<const gazetteer::Gazetteer> gazetteer;
    std::shared_ptr<const gazetteer::Matcher> matcher;
    std::shared_ptr<const text::Analyzer> analyzer;
  };
  static core::Result<std::shared_ptr<const Snapshot>> Build(
      std::shared_ptr<const gazetteer::Gazetteer> gazetteer, const std::filesystem::path& cache_dir);
  Processor(std::shared_ptr<const Snapshot> snapshot, std::filesystem::path cache_dir);

  std::atomic<std::shared_ptr<const Snapshot>> snapshot_;
  const std::filesystem::path cache_dir_;
};

}  // namespace markaz::pipeline
