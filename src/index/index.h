// The search index (issue 5, DESIGN.md §7): documents in, per-viewer searches out.
//
// Add() queues a document; a background thread inverts queued documents into an in-memory
// buffer and flushes it as an immutable segment at least every `flush_interval` (so a
// document is searchable within a second of its Add), then replaces the manifest atomically
// (write + fsync + rename) naming the live segments and the highest seq they hold. A tiered
// merge policy merges adjacent segments in the background; merges never block Add() or
// Search(): a search runs on the snapshot of segments current when it starts.
//
// Derived data: the store is the record. On Open() the index reads the last manifest, removes
// every file the manifest does not name (half-written flushes and merges), and answers
// durable_seq(); the caller re-adds every store sequence above it. A crash at any moment loses
// nothing the store holds and duplicates nothing.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>

#include "core/status.h"
#include "index/document.h"
#include "index/searcher.h"

namespace markaz::index {

// Tiered merging (Lucene's TieredMergePolicy, simplified): segments fall into tiers by size
// (docs); when a tier holds `segments_per_tier` adjacent segments they merge into one of the
// next tier. Segments above max_merged_docs are left alone.
struct MergePolicy {
  std::size_t segments_per_tier = 8;
  std::size_t max_merged_docs = 5'000'000;
};

struct IndexOptions {
  std::filesystem::path dir;  // created when absent
  std::chrono::milliseconds flush_interval{250};
  std::size_t max_buffered_docs = 20'000;  // flush early when the buffer holds this many
  MergePolicy merge;
  // Background flush and merge threads. Off: only Flush()/Merge() do the work (tests).
  bool background = true;
};

struct IndexStats {
  std::int64_t durable_seq = 0;     // highest seq named by the manifest
  std::int64_t searchable_seq = 0;  // highest seq a search sees
  std::int64_t added_seq = 0;       // highest seq Add()ed
  std::size_t queued_docs = 0;      // added, not yet in a segment
  std::size_t segments = 0;
  std::uint64_t docs = 0;
  std::uint64_t bytes_on_disk = 0;     // live segment files
  std::uint64_t bytes_written = 0;     // every segment byte ever written by this process
  std::uint64_t bytes_flushed = 0;     // of which by flushes (write amplification = written / flushed)
  std::uint64_t flushes = 0;
  std::uint64_t merges = 0;
};

class Index {
 public:
  static core::Result<std::unique_ptr<Index>> Open(IndexOptions options);
  ~Index();  // stops the threads; flushes what is queued
  Index(const Index&) = delete;
  Index& operator=(const Index&) = delete;

  // The highest seq the manifest holds: after Open(), the caller re-adds everything above.
  std::int64_t durable_seq() const;

  // Queues a document. Documents must come in ascending seq order; one whose seq is not above
  // every earlier Add's is ignored (a replay of what the index already holds) and false is
  // returned.
  bool Add(Document doc);

  // Adds `readers` to the document with this seq (audience widening, never narrowing); durable
  // when it returns. NotFound "not_indexed" when no document has this seq.
  core::Status Widen(std::int64_t seq, std::span<const std::string> readers);

  // Searches the current snapshot (segments flushed so far).
  SearchResult Search(const SearchRequest& request) const;

  // Flushes everything queued: searchable and durable when it returns.
  core::Status Flush();
  // Runs the merge policy until it finds nothing to merge (tests; the background thread does
  // this on its own).
  core::Status Merge();
  // Merges every segment into one (benchmarks, `markaz` maintenance).
  core::Status ForceMerge();

  IndexStats stats() const;

 private:
  struct Impl;
  explicit Index(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace markaz::index
