// Reports into the search index (issue 5, DESIGN.md §7): the one mapping from a stored report
// and its analysis to the index's Document, and the catch-up that re-adds from the store every
// report the index's manifest does not yet hold.
//
// The live path does not pass through here twice: Centre::SubmitMany builds the document from
// the analysis it made before the commit and hands it to the index in the group committer's
// after-commit hook (group_commit.h), so documents reach the index in seq order.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/status.h"
#include "index/document.h"
#include "index/index.h"
#include "pipeline/processor.h"
#include "store/store.h"

namespace markaz::pipeline {

// The index document of a report:
//   terms     the analysis tokens' stems with their positions; weight index::kTitleWeight for
//             tokens inside the title (their span starts before the title's last code point:
//             AnalysedText is title + "\n\n" + body), 1 elsewhere;
//   keywords  lang (the analysis' language), originator, tlp (core::TlpName), one entity per
//             entity id; story (analysis.story) when it has one;
//   numbers   time = observed_at, else received_at; received_at (ms since the epoch); seq;
//   readers   the report's audience (sorted, unique).
// key = report id, seq = report seq.
index::Document ToDocument(const store::ReportRow& report, const ReportAnalysis& analysis);

struct CatchUpStats {
  std::int64_t from_seq = 0;  // the index's durable_seq when catch-up began
  std::int64_t to_seq = 0;    // the last seq added (== from_seq when nothing was)
  std::size_t added = 0;      // documents added
};

struct CatchUpOptions {
  int page = 512;     // reports read from the store at a time
  int threads = 2;    // analyses run in parallel on this many threads (1 = the caller's only)
};

// Reads store.ReadReports(index.durable_seq(), page) to the end, analyses each report with
// `processor` (its tokens are not stored) and Add()s its document, in ascending seq order.
// Returns once every report in the store has been added (queued: searchable after the index's
// next flush, or Flush()). Store errors are returned as they are.
core::Result<CatchUpStats> CatchUp(store::Store& store, const Processor& processor,
                                   index::Index& index, const CatchUpOptions& options = {});

// Replays the store's widening log (Store::ReadWidenings) into the index, so that a widening
// committed just before a crash, whose index update was lost, still reaches search. Index::Widen
// does nothing for readers a document has already, so the replay writes only what is missing;
// widenings are rare (people decide them), so the whole log is read at each start. Call after
// CatchUp (a widened report must be indexed or queued first). Returns the widenings replayed.
core::Result<std::size_t> ReplayWidenings(store::Store& store, index::Index& index);

}  // namespace markaz::pipeline
