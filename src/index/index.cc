// The index manager (index.h; docs/index-lifecycle.md): the queue, the flush and merge
// threads, the snapshot searches read, the manifest, widening overlays and recovery.
//
// Locks, always taken in this order (never the reverse), each guarding:
//   flush_mu   one flush at a time; Widen() holds it so that a document is never between the
//              queue and its segment while it looks for it.
//   merge_mu   one merge at a time (the thread, Merge(), ForceMerge()).
//   state_mu   the live segment list and the last manifest; held while a manifest is written,
//              so manifests go to disk in the order of the states they describe.
//   queue_mu   the queue and added_seq: held for a push by Add(), never across I/O.
// Search() takes none of them: it loads the snapshot, an immutable vector behind an atomic
// shared_ptr that every change replaces whole.
#include "index/index.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "index/manifest.h"
#include "index/merge_policy.h"
#include "index/visibility.h"

namespace markaz::index {
namespace {

namespace fs = std::filesystem;
using core::Result;
using core::Status;

// Add() blocks while this many times max_buffered_docs are queued (back-pressure): a flush
// that cannot keep up slows the producer down instead of growing memory without bound.
constexpr std::size_t kQueueBoundFactor = 4;

// What to do about a damaged index directory: the index is derived data.
constexpr char kDamagedRemedy[] =
    " (the index directory is damaged: delete it and restart, the index is rebuilt from the "
    "store)";

// One segment file in use. A merge retires its inputs; the file is deleted when the last
// snapshot (and so the last search) using it lets go, never while a search may read it.
struct SegmentFile {
  SegmentFile(std::shared_ptr<const Segment> s, std::string n)
      : segment(std::move(s)), name(std::move(n)) {}
  ~SegmentFile() {
    if (retired.load()) {
      std::error_code ec;  // a leftover file is removed by the next Open()
      fs::remove(segment->path(), ec);
    }
  }
  std::shared_ptr<const Segment> segment;
  std::string name;
  std::atomic<bool> retired{false};
};

struct LiveSegment {
  std::shared_ptr<SegmentFile> file;
  std::shared_ptr<const VisibilityOverlay> overlay;  // never null; empty when never widened
  std::string overlay_file;                          // empty when the overlay is
  std::shared_ptr<const Visibility> visibility;      // the file's readers ∪ overlay
};

using Snapshot = std::vector<SegmentView>;

// `docs` moved up by `offset` (a segment's doc ids inside a merge of it).
Roaring Shifted(const Roaring& docs, std::uint32_t offset) {
  Roaring out;
  for (std::uint32_t d : docs) out.add(d + offset);
  return out;
}

}  // namespace

struct Index::Impl {
  IndexOptions options;
  std::size_t flush_docs = 1;  // max_buffered_docs, at least 1

  std::mutex flush_mu;
  std::mutex merge_mu;

  mutable std::mutex state_mu;
  std::vector<LiveSegment> live;  // GUARDED_BY(state_mu), ascending seq
  Manifest manifest;              // GUARDED_BY(state_mu), the last one written (+ next_file)

  mutable std::mutex queue_mu;
  std::condition_variable flush_cv;  // wakes the flush thread: queue full or stopping
  std::condition_variable room_cv;   // wakes Add() blocked on back-pressure
  std::vector<Document> queue;       // GUARDED_BY(queue_mu), ascending seq
  std::size_t in_flight = 0;         // GUARDED_BY(queue_mu), docs a running flush took
  std::int64_t added_seq = 0;        // GUARDED_BY(queue_mu)
  bool stopping = false;             // GUARDED_BY(queue_mu)

  std::mutex merge_wake_mu;
  std::condition_variable merge_cv;
  bool merge_due = false;       // GUARDED_BY(merge_wake_mu)
  bool merge_stopping = false;  // GUARDED_BY(merge_wake_mu)
  std::atomic<bool> stop_merging{false};

  std::atomic<std::shared_ptr<const Snapshot>> snapshot;
  std::atomic<std::int64_t> durable_seq{0};
  std::atomic<std::int64_t> searchable_seq{0};
  std::atomic<std::uint64_t> bytes_written{0};
  std::atomic<std::uint64_t> bytes_flushed{0};
  std::atomic<std::uint64_t> flushes{0};
  std::atomic<std::uint64_t> merges{0};

  std::thread flusher;
  std::thread merger;

  // Makes `live` what searches see. Requires state_mu.
  void Publish() {
    auto snap = std::make_shared<Snapshot>();
    snap->reserve(live.size());
    for (const LiveSegment& s : live) {
      // Aliasing pointer: the view keeps the SegmentFile (and so the file) alive.
      snap->push_back(
          {std::shared_ptr<const Segment>(s.file, s.file->segment.get()), s.visibility});
    }
    searchable_seq.store(live.empty() ? manifest.durable_seq
                                      : live.back().file->segment->max_seq());
    snapshot.store(std::move(snap));
  }

  // Writes the manifest naming `segments`; on success it becomes `manifest`. Requires state_mu.
  Status WriteManifestFor(const std::vector<LiveSegment>& segments) {
    Manifest m = manifest;
    m.generation += 1;
    m.segments.clear();
    for (const LiveSegment& s : segments) m.segments.push_back({s.file->name, s.overlay_file});
    if (!segments.empty()) {
      m.durable_seq = std::max(m.durable_seq, segments.back().file->segment->max_seq());
    }
    MARKAZ_RETURN_IF_ERROR(WriteManifest(options.dir, m));
    manifest = std::move(m);
    durable_seq.store(manifest.durable_seq);
    return Status::Ok();
  }

  std::uint64_t TakeFileNumber() {
    std::lock_guard lock(state_mu);
    return manifest.next_file++;
  }

  Status FlushQueued() {
    std::lock_guard flush_lock(flush_mu);
    std::vector<Document> docs;
    {
      std::lock_guard lock(queue_mu);
      docs.swap(queue);
      in_flight = docs.size();
    }
    room_cv.notify_all();
    if (docs.empty()) return Status::Ok();

    const std::string name = SegmentFileName(TakeFileNumber());
    const fs::path path = options.dir / name;
    Status status = WriteSegment(path, docs);
    Result<std::shared_ptr<const Segment>> segment =
        status.ok() ? Segment::Open(path) : Result<std::shared_ptr<const Segment>>(status);
    if (!segment.ok()) {
      // Keep the documents: the next flush retries them (they stay ahead of newer ones).
      std::error_code ec;
      fs::remove(path, ec);
      std::lock_guard lock(queue_mu);
      docs.insert(docs.end(), std::make_move_iterator(queue.begin()),
                  std::make_move_iterator(queue.end()));
      queue.swap(docs);
      in_flight = 0;
      return segment.status().WithContext("index flush");
    }
    const std::uint64_t bytes = (*segment)->file_bytes();
    bytes_written += bytes;
    bytes_flushed += bytes;
    flushes += 1;
    LiveSegment entry{std::make_shared<SegmentFile>(*segment, name),
                      std::make_shared<const VisibilityOverlay>(), "", BuildVisibility(**segment)};
    Status written;
    {
      std::lock_guard lock(state_mu);
      live.push_back(std::move(entry));
      // Searchable first, durable a moment later: a crash in between loses nothing the
      // store holds (the caller re-adds above durable_seq).
      Publish();
      written = WriteManifestFor(live);
    }
    {
      std::lock_guard lock(queue_mu);
      in_flight = 0;
    }
    WakeMerger();
    return written.WithContext("index flush");
  }

  void WakeMerger() {
    {
      std::lock_guard lock(merge_wake_mu);
      merge_due = true;
    }
    merge_cv.notify_one();
  }

  // One merge: the first run the policy picks, or everything when `force`. Sets `merged` to
  // whether it merged. Requires merge_mu.
  Status MergeOnce(bool force, bool& merged) {
    merged = false;
    std::vector<LiveSegment> inputs;
    std::uint64_t number = 0;
    {
      std::lock_guard lock(state_mu);
      std::size_t begin = 0, count = 0;
      if (force) {
        count = live.size() > 1 ? live.size() : 0;
      } else {
        std::vector<std::uint64_t> docs;
        for (const LiveSegment& s : live) docs.push_back(s.file->segment->doc_count());
        const std::vector<MergeRun> runs = PickMerges(docs, options.merge);
        if (!runs.empty()) {
          begin = runs.front().begin;
          count = runs.front().count;
        }
      }
      if (count == 0) return Status::Ok();
      inputs.assign(live.begin() + static_cast<std::ptrdiff_t>(begin),
                    live.begin() + static_cast<std::ptrdiff_t>(begin + count));
      number = manifest.next_file++;
    }

    // The slow part, under no lock but merge_mu: flushes, widening and searches go on.
    std::vector<std::map<std::string, Roaring, std::less<>>> readers(inputs.size());
    std::vector<MergeInput> merge_inputs;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      readers[i] = EffectiveReaders(*inputs[i].file->segment, *inputs[i].overlay);
      merge_inputs.push_back({inputs[i].file->segment, &readers[i]});
    }
    const std::string name = SegmentFileName(number);
    const fs::path path = options.dir / name;
    Status status = MergeSegments(path, merge_inputs);
    Result<std::shared_ptr<const Segment>> segment =
        status.ok() ? Segment::Open(path) : Result<std::shared_ptr<const Segment>>(status);
    if (!segment.ok()) {
      std::error_code ec;
      fs::remove(path, ec);
      return segment.status().WithContext("index merge");
    }
    bytes_written += (*segment)->file_bytes();
    auto output = std::make_shared<SegmentFile>(*segment, name);
    std::shared_ptr<const Visibility> visibility = BuildVisibility(**segment);

    std::lock_guard lock(state_mu);
    // Only merges remove segments, one at a time (merge_mu): the inputs are still live and
    // adjacent. Checked all the same, since a mistake here would drop documents.
    std::size_t at = 0;
    while (at < live.size() && live[at].file != inputs.front().file) ++at;
    bool adjacent = at + inputs.size() <= live.size();
    for (std::size_t i = 0; adjacent && i < inputs.size(); ++i) {
      adjacent = live[at + i].file == inputs[i].file;
    }
    if (!adjacent) {
      output->retired = true;
      return Status::Internal("index merge: its input segments are no longer live");
    }
    // Widening that happened while merging: the overlay bits added since the inputs were
    // taken, moved to the merged segment's doc ids, become its overlay.
    VisibilityOverlay carried;
    std::uint32_t offset = 0;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      const LiveSegment& now = live[at + i];
      if (now.overlay != inputs[i].overlay) {
        for (const auto& [reader, docs] : *now.overlay) {
          Roaring added = docs;
          auto before = inputs[i].overlay->find(reader);
          if (before != inputs[i].overlay->end()) added -= before->second;
          if (!added.isEmpty()) carried[reader] |= Shifted(added, offset);
        }
      }
      offset += now.file->segment->doc_count();
    }
    LiveSegment merged_entry{output, std::make_shared<const VisibilityOverlay>(carried), "",
                             std::move(visibility)};
    if (!carried.empty()) {
      merged_entry.overlay_file = OverlayFileName(manifest.next_file++);
      merged_entry.visibility = BuildVisibility(**segment, carried);
      Status s = WriteFileDurably(options.dir, merged_entry.overlay_file, EncodeOverlay(carried));
      if (!s.ok()) {
        output->retired = true;
        return s.WithContext("index merge");
      }
    }
    std::vector<LiveSegment> proposed;
    proposed.reserve(live.size() - inputs.size() + 1);
    for (std::size_t i = 0; i < live.size(); ++i) {
      if (i == at) proposed.push_back(merged_entry);
      if (i < at || i >= at + inputs.size()) proposed.push_back(live[i]);
    }
    // Durable before visible: a merge changes no answer, so it need not be seen sooner.
    if (Status s = WriteManifestFor(proposed); !s.ok()) {
      output->retired = true;
      std::error_code ec;
      if (!merged_entry.overlay_file.empty())
        fs::remove(options.dir / merged_entry.overlay_file, ec);
      return s.WithContext("index merge");
    }
    for (std::size_t i = at; i < at + inputs.size(); ++i) {
      live[i].file->retired = true;
      if (!live[i].overlay_file.empty()) {
        std::error_code ec;  // no reader uses overlay files after Open()
        fs::remove(options.dir / live[i].overlay_file, ec);
      }
    }
    live.swap(proposed);
    Publish();
    merges += 1;
    merged = true;
    return Status::Ok();
  }

  Status MergeUntilDone() {
    std::lock_guard lock(merge_mu);
    for (;;) {
      bool merged = false;
      MARKAZ_RETURN_IF_ERROR(MergeOnce(/*force=*/false, merged));
      if (!merged || stop_merging.load()) return Status::Ok();
    }
  }

  void FlushLoop() {
    std::unique_lock lock(queue_mu);
    // Deadlines are counted from the previous flush's start, not its end, so that a document
    // waits at most one interval plus one flush, however long the flushes take.
    auto deadline = std::chrono::steady_clock::now() + options.flush_interval;
    while (!stopping) {
      flush_cv.wait_until(lock, deadline, [&] { return stopping || queue.size() >= flush_docs; });
      deadline = std::chrono::steady_clock::now() + options.flush_interval;
      if (stopping) break;
      lock.unlock();
      // A failed flush keeps its documents queued and is retried next round; back-pressure
      // then holds Add() if the failure lasts.
      (void)FlushQueued();
      lock.lock();
    }
  }

  void MergeLoop() {
    for (;;) {
      {
        std::unique_lock lock(merge_wake_mu);
        merge_cv.wait(lock, [&] { return merge_stopping || merge_due; });
        if (merge_stopping) return;
        merge_due = false;
      }
      // A failed merge leaves the inputs live; the next flush wakes a retry.
      (void)MergeUntilDone();
    }
  }

  Status WidenSegment(std::int64_t seq, std::span<const std::string> readers) {
    std::lock_guard lock(state_mu);
    auto it = std::lower_bound(
        live.begin(), live.end(), seq,
        [](const LiveSegment& s, std::int64_t v) { return s.file->segment->max_seq() < v; });
    std::optional<std::uint32_t> doc;
    if (it != live.end()) doc = it->file->segment->FindSeq(seq);
    if (!doc) {
      return Status::NotFound("not_indexed", "no indexed document has seq " + std::to_string(seq));
    }
    const std::size_t index = static_cast<std::size_t>(it - live.begin());
    const Segment& segment = *it->file->segment;
    auto overlay = std::make_shared<VisibilityOverlay>(*it->overlay);
    bool changed = false;
    for (const std::string& reader : readers) {
      auto in_file = segment.readers().find(reader);
      if (in_file != segment.readers().end() && in_file->second.contains(*doc)) continue;
      Roaring& docs = (*overlay)[reader];
      if (docs.contains(*doc)) continue;
      docs.add(*doc);
      changed = true;
    }
    if (!changed) return Status::Ok();  // already visible to all of them, and durable

    // A new overlay file each time: the manifest names either the old one or the new one.
    const std::string overlay_file = OverlayFileName(manifest.next_file++);
    MARKAZ_RETURN_IF_ERROR(WriteFileDurably(options.dir, overlay_file, EncodeOverlay(*overlay)));
    std::vector<LiveSegment> proposed = live;
    proposed[index].overlay = overlay;
    proposed[index].overlay_file = overlay_file;
    proposed[index].visibility = BuildVisibility(segment, *overlay);
    if (Status s = WriteManifestFor(proposed); !s.ok()) {
      std::error_code ec;
      fs::remove(options.dir / overlay_file, ec);
      return s.WithContext("index widen");
    }
    const std::string old_file = live[index].overlay_file;
    live.swap(proposed);
    Publish();
    if (!old_file.empty()) {
      std::error_code ec;
      fs::remove(options.dir / old_file, ec);
    }
    return Status::Ok();
  }

  void Shutdown() {
    {
      std::lock_guard lock(queue_mu);
      stopping = true;
    }
    flush_cv.notify_all();
    room_cv.notify_all();
    stop_merging = true;
    {
      std::lock_guard lock(merge_wake_mu);
      merge_stopping = true;
    }
    merge_cv.notify_all();
    if (merger.joinable()) merger.join();
    if (flusher.joinable()) flusher.join();
    // What is still queued: an error here has nobody to tell, and loses nothing (the caller
    // re-adds everything above durable_seq on the next Open).
    (void)FlushQueued();
  }
};

Index::Index(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Index::~Index() {
  if (impl_) impl_->Shutdown();
}

Result<std::unique_ptr<Index>> Index::Open(IndexOptions options) {
  std::error_code ec;
  fs::create_directories(options.dir, ec);
  if (ec) {
    return Status::Internal("cannot create index directory " + options.dir.string() + ": " +
                            ec.message());
  }
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->flush_docs = std::max<std::size_t>(1, options.max_buffered_docs);

  Result<Manifest> read = ReadManifest(options.dir);
  if (!read.ok() && read.status().code() != core::Code::kNotFound) return read.status();
  Manifest manifest = read.ok() ? *read : Manifest{};

  std::set<std::string, std::less<>> named = {kManifestFile};
  for (const ManifestSegment& s : manifest.segments) {
    Result<std::shared_ptr<const Segment>> segment = Segment::Open(options.dir / s.file);
    if (!segment.ok()) {
      return segment.status().WithContext(std::string("index segment named by the manifest") +
                                          kDamagedRemedy);
    }
    auto overlay = std::make_shared<VisibilityOverlay>();
    if (!s.overlay_file.empty()) {
      Result<VisibilityOverlay> read_overlay = ReadOverlay(options.dir / s.overlay_file);
      if (!read_overlay.ok()) {
        return read_overlay.status().WithContext(
            std::string("index overlay named by the manifest") + kDamagedRemedy);
      }
      *overlay = std::move(read_overlay).value();
      named.insert(s.overlay_file);
    }
    named.insert(s.file);
    // The manifest is checksummed, so these fail only on a bug or a swapped file; checked
    // because everything downstream relies on them (doc ids in range, segments in seq order).
    for (const auto& [reader, docs] : *overlay) {
      if (!docs.isEmpty() && docs.maximum() >= (*segment)->doc_count()) {
        return Status(
            core::Code::kInternal, "index_manifest_corrupt",
            s.overlay_file + " names documents " + s.file + " does not have" + kDamagedRemedy);
      }
    }
    if (!impl->live.empty() &&
        (*segment)->min_seq() <= impl->live.back().file->segment->max_seq()) {
      return Status(core::Code::kInternal, "index_manifest_corrupt",
                    "segments out of seq order at " + s.file + kDamagedRemedy);
    }
    std::shared_ptr<const Visibility> visibility = BuildVisibility(**segment, *overlay);
    impl->live.push_back({std::make_shared<SegmentFile>(*segment, s.file), std::move(overlay),
                          s.overlay_file, std::move(visibility)});
    manifest.durable_seq = std::max(manifest.durable_seq, (*segment)->max_seq());
  }
  // Half-written flushes, merges and overlays, temporaries, retired inputs: every file of ours
  // the manifest does not name. Other files are left alone (the directory is the caller's).
  fs::directory_iterator entries(options.dir, ec);
  if (ec) {
    return Status::Internal("cannot list index directory " + options.dir.string() + ": " +
                            ec.message());
  }
  for (const fs::directory_entry& entry : entries) {
    const std::string name = entry.path().filename().string();
    std::error_code ignored;  // a stray that stays is harmless: new files overwrite by name
    if (entry.is_regular_file(ignored) && IsIndexFileName(name) && !named.contains(name)) {
      fs::remove(entry.path(), ignored);
    }
  }

  impl->manifest = manifest;
  impl->durable_seq = manifest.durable_seq;
  impl->added_seq = manifest.durable_seq;
  {
    std::lock_guard lock(impl->state_mu);
    impl->Publish();
  }
  if (options.background) {
    Impl* p = impl.get();
    impl->flusher = std::thread([p] { p->FlushLoop(); });
    impl->merger = std::thread([p] { p->MergeLoop(); });
  }
  return std::unique_ptr<Index>(new Index(std::move(impl)));
}

std::int64_t Index::durable_seq() const { return impl_->durable_seq.load(); }

bool Index::Add(Document doc) {
  Impl& m = *impl_;
  std::unique_lock lock(m.queue_mu);
  if (doc.seq <= m.added_seq) return false;  // a replay of what the index holds
  if (m.options.background) {
    m.room_cv.wait(lock,
                   [&] { return m.stopping || m.queue.size() < kQueueBoundFactor * m.flush_docs; });
  }
  m.added_seq = doc.seq;
  m.queue.push_back(std::move(doc));
  const bool full = m.queue.size() >= m.flush_docs;
  lock.unlock();
  if (full) m.flush_cv.notify_one();
  return true;
}

Status Index::Widen(std::int64_t seq, std::span<const std::string> readers) {
  Impl& m = *impl_;
  // Holding flush_mu, the document is either still queued or in a live segment.
  std::lock_guard flush_lock(m.flush_mu);
  {
    std::lock_guard lock(m.queue_mu);
    auto it = std::lower_bound(m.queue.begin(), m.queue.end(), seq,
                               [](const Document& d, std::int64_t v) { return d.seq < v; });
    if (it != m.queue.end() && it->seq == seq) {
      // Not yet in a segment: it will be written with these readers. It is as durable as the
      // document itself (the store re-adds both after a crash).
      it->readers.insert(it->readers.end(), readers.begin(), readers.end());
      std::sort(it->readers.begin(), it->readers.end());
      it->readers.erase(std::unique(it->readers.begin(), it->readers.end()), it->readers.end());
      return Status::Ok();
    }
  }
  return m.WidenSegment(seq, readers);
}

SearchResult Index::Search(const SearchRequest& request) const {
  const std::shared_ptr<const Snapshot> snapshot = impl_->snapshot.load();
  return ::markaz::index::Search(*snapshot, request);
}

Status Index::Flush() { return impl_->FlushQueued(); }

Status Index::Merge() { return impl_->MergeUntilDone(); }

Status Index::ForceMerge() {
  std::lock_guard lock(impl_->merge_mu);
  bool merged = false;
  return impl_->MergeOnce(/*force=*/true, merged);
}

IndexStats Index::stats() const {
  const Impl& m = *impl_;
  IndexStats s;
  s.durable_seq = m.durable_seq.load();
  s.searchable_seq = m.searchable_seq.load();
  {
    std::lock_guard lock(m.queue_mu);
    s.added_seq = m.added_seq;
    s.queued_docs = m.queue.size() + m.in_flight;
  }
  const std::shared_ptr<const Snapshot> snapshot = m.snapshot.load();
  s.segments = snapshot->size();
  for (const SegmentView& v : *snapshot) {
    s.docs += v.segment->doc_count();
    s.bytes_on_disk += v.segment->file_bytes();
  }
  s.bytes_written = m.bytes_written.load();
  s.bytes_flushed = m.bytes_flushed.load();
  s.flushes = m.flushes.load();
  s.merges = m.merges.load();
  return s;
}

}  // namespace markaz::index
