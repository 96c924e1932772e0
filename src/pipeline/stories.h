// Reports into story assignment and analytics (issue 6): the one mapping from a stored report
// and its analysis to cluster::StoryInput and analytics::ReportFacts, and the start-up load
// that rebuilds both from the store (they are derived data, held in memory).
//
// The live path: Centre::SubmitMany builds the StoryInput before the commit (off the writer's
// lock), decides the story inside the batch's transaction (in commit order), stores the
// fingerprint beside the report, and hands the facts to analytics in the after-commit hook.
#pragma once

#include <cstddef>
#include <cstdint>

#include "analytics/analytics.h"
#include "cluster/story_assigner.h"
#include "core/status.h"
#include "core/time.h"
#include "pipeline/processor.h"
#include "store/store.h"

namespace markaz::pipeline {

// observed_at, else received_at: the time analyses and search filters count a report at.
core::Time EventTime(const store::ReportRow& report);

// report.id and report.received_at must be set.
cluster::StoryInput StoryInputOf(const store::ReportRow& report, const ReportAnalysis& analysis);

// The story comes from analysis.story.
analytics::ReportFacts FactsOf(const store::ReportRow& report, const ReportAnalysis& analysis);

// The story stored in a report's analysis; empty when it has none (or the analysis is not
// readable JSON).
std::string StoredStory(const store::ReportRow& report);

struct LoadStats {
  std::size_t reports = 0;       // reports given to analytics
  std::size_t fingerprints = 0;  // reports given to story assignment
  std::int64_t last_seq = 0;
};

// Reads every stored report (its stored analysis: lang, entity ids, story) and every stored
// fingerprint, in seq order, into `analytics` (Add, then Flush) and `stories` (Load). Either
// may be null. A report whose analysis is empty (processed without a processor) is skipped.
// InvalidArgument "bad_analysis" for a stored analysis that is not the JSON ToJson writes.
core::Result<LoadStats> LoadAnalysis(store::Store& store, cluster::StoryAssigner* stories,
                                     analytics::Analytics* analytics, int page = 1024);

}  // namespace markaz::pipeline
