// Opening a centre's data directory for a command: the one place the CLI picks the concrete
// store (SQLite today; PostgreSQL later) and wires it to a Centre.
#pragma once

#include <memory>
#include <string>

#include "analytics/analytics.h"
#include "centre/centre.h"
#include "cluster/story_assigner.h"
#include "core/charter.h"
#include "core/clock.h"
#include "core/ids.h"
#include "dissem/feed_hub.h"
#include "index/index.h"
#include "pipeline/processor.h"
#include "store/store.h"

namespace markaz::cli {

// Owns everything a Centre needs. Members are declared in construction order.
struct OpenedCentre {
  std::unique_ptr<store::Store> store;
  core::SystemClock clock;
  core::IdGenerator ids;
  std::unique_ptr<pipeline::Processor> processor;  // null for administrative commands
  std::unique_ptr<index::Index> index;             // with the processor; closed after centre
  std::unique_ptr<cluster::StoryAssigner> stories;    // with the processor
  std::unique_ptr<analytics::Analytics> analytics;    // with the processor
  std::unique_ptr<dissem::FeedHub> hub;             // live feeds; outlives nothing it serves
  std::unique_ptr<centre::Centre> centre;
};

// Whether the opened centre processes what it collects. Loading the gazetteer and its matcher
// takes a moment and memory; `init`, `token` and `audit` do not need them, `serve` and `demo`
// do. Compiled matchers are cached in DIR/cache/. Processing also opens the search index in
// DIR/index and catches it up from the store (pipeline::CatchUp) before returning, so a
// server is searchable over everything the store holds by the time it listens; and it loads
// story assignment and analytics from the store (pipeline::LoadAnalysis), both held in memory.
enum class Processing { kOff, kOn };

// Opens an existing centre. NotFound "no_centre" when DIR holds none.
core::Result<std::unique_ptr<OpenedCentre>> OpenExistingCentre(const std::string& data_dir,
                                                               Processing processing = Processing::kOff);

// Creates a new centre in DIR from a validated charter. Refuses (Conflict "already_initialised")
// when DIR already holds a centre, and then changes nothing. On failure, removes a directory it
// created itself.
core::Result<std::unique_ptr<OpenedCentre>> CreateCentre(const std::string& data_dir,
                                                         const core::Charter& charter,
                                                         Processing processing = Processing::kOff);

// An exclusive advisory lock (flock) on DIR/markaz.lock. `markaz serve` holds one for its whole
// life, so that `markaz restore` (and a second server) can tell that a live server owns DIR.
// The kernel drops it when the process ends, even by SIGKILL: a crash leaves no stale lock.
class CentreLock {
 public:
  // Creates DIR/markaz.lock (mode 0600) if absent and locks it. Conflict "centre_in_use" when
  // another process holds it; NotFound "no_centre" when DIR does not exist.
  static core::Result<CentreLock> Acquire(const std::string& data_dir);
  CentreLock(CentreLock&& other) noexcept;
  CentreLock& operator=(CentreLock&& other) noexcept;
  ~CentreLock();

 private:
  explicit CentreLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

// True when some process holds DIR's CentreLock; false when DIR or its lock file is absent.
bool CentreInUse(const std::string& data_dir);

}  // namespace markaz::cli
