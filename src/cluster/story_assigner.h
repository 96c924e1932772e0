// Story assignment (DESIGN.md §3, issue 6; the rule and its thresholds: docs/stories.md).
//
// Each report, in commit order, joins a story or starts one:
//   1. near-duplicates: candidates from MinHash LSH banding (Jaccard) and from sampled shingles
//      (containment: an agency excerpt of an article), then EXACT Jaccard and containment on
//      each candidate's stored shingles; a candidate with Jaccard ≥ kJaccardMin or containment
//      (either way) ≥ kContainmentMin is a near-duplicate; the report joins the story of its
//      best near-duplicate;
//   2. otherwise close follow-ups: a recent report (event times within a window) sharing
//      enough entities and numbers, and some wording (shingle Jaccard ≥ 0.1), gives its story;
//   3. otherwise the report starts a story.
// Stories never merge and a report never moves: story ids are stable. The id of a new story is
// derived from the report that started it ("sto_" + 26 base32 characters of a hash of the
// report id): it reveals neither that report's id nor its time, and the same arrival order
// gives the same stories.
//
// Memory: the LSH tables and the containment samples stay in memory (~200 bytes per report),
// the follow-up features only for the reports of the last window; the full shingle lists stay
// on disk, in the store, read back through a ShingleFetch for the few candidates of each
// report.
//
// Lifecycle: Decide() a report against everything published or staged; Stage() it once its
// writes succeeded (later Decide() calls of the same batch see it); Publish() when the batch's
// transaction is durable, Discard() when it rolled back. At start-up, Load() every stored
// report in seq order.
//
// Thread-safety: none inside. The centre calls Decide/Stage/Publish/Discard only from the group
// committer's leader (one batch at a time, group_commit.h), and Load before serving.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cluster/fingerprint.h"
#include "core/status.h"

namespace markaz::cluster {

struct NearDuplicate {
  std::string id;         // report id
  double similarity = 0;  // max(Jaccard, containment either way), exact
  bool operator==(const NearDuplicate&) const = default;
};

struct Decision {
  enum class Reason { kNew, kNearDuplicate, kFollowUp };
  std::string story;  // "sto_…"
  Reason reason = Reason::kNew;
  // Verified near-duplicates, most similar first (ties: older first), at most kMaxNearDuplicates.
  std::vector<NearDuplicate> near_duplicates;
};

// The stored fingerprint blob of a report by store seq (EncodeFingerprint's form); NotFound when
// the store has none.
using ShingleFetch = std::function<core::Result<std::string>(std::int64_t seq)>;

struct StoryOptions {
  // Tunables with documented defaults (docs/stories.md explains each choice).
  double jaccard_min = 0.5;
  double containment_min = 0.8;
  std::int64_t follow_up_window_ms = 2LL * 24 * 3600 * 1000;
};

struct StoryMemory {
  std::size_t reports = 0;
  std::size_t stories = 0;
  std::size_t bytes = 0;  // resident bytes of the in-memory structures (approximate, counted)
};

inline constexpr std::size_t kMaxNearDuplicates = 10;

class StoryAssigner {
 public:
  explicit StoryAssigner(StoryOptions options = {});
  ~StoryAssigner();
  StoryAssigner(const StoryAssigner&) = delete;
  StoryAssigner& operator=(const StoryAssigner&) = delete;

  // The story of a new report. Reads candidates' fingerprints through `fetch` (staged reports'
  // from memory). Errors from `fetch` other than NotFound are returned; a NotFound candidate is
  // skipped.
  core::Result<Decision> Decide(const StoryInput& input, const ShingleFetch& fetch) const;

  // Records a decided report under its store seq (> every seq staged or loaded before).
  void Stage(std::int64_t seq, const StoryInput& input, const Decision& decision);
  void Publish();
  void Discard();

  // A stored report at start-up, in ascending seq order, with the story it was given.
  void Load(std::int64_t seq, const StoryInput& input, std::string_view story);

  StoryMemory memory() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// The id of the story started by `report_id`.
std::string StoryIdFor(std::string_view report_id);

}  // namespace markaz::cluster
