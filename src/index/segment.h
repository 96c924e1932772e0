// Immutable segments (issue 5, docs/index-format.md): one file per segment holding a sorted
// term dictionary, postings in blocks of 128 (delta + bit-packed doc ids and frequencies,
// positions), per-block maxima and impacts for block-max WAND, a Roaring doc set for frequent
// terms, the per-document columns and the readers' visibility bitmaps as of writing.
//
// Documents are numbered 0..doc_count()-1 in the order they were written, which is ascending
// `seq` order; merges concatenate segments in seq order, so doc order is seq order in every
// segment.
//
// Thread-safety: a Segment is immutable after Open(); any number of threads may read it and
// create iterators over it. An iterator belongs to one thread.
#pragma once

#include <roaring/roaring.hh>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "index/document.h"

namespace markaz::index {

inline constexpr std::uint32_t kNoMoreDocs = 0xFFFFFFFFu;
inline constexpr std::uint32_t kBlockSize = 128;

// Where a term's postings live in one segment. doc_freq, max_freq and min_length are public
// statistics; the other fields are the codec's (segment.cc) and meaningless elsewhere.
struct TermInfo {
  std::uint32_t doc_freq = 0;    // documents containing the term
  std::uint32_t max_freq = 0;    // largest (weighted) frequency in any of them
  std::uint32_t min_length = 0;  // smallest document length among them
  // codec-owned locations
  std::uint64_t postings_offset = 0;
  std::uint64_t positions_offset = 0;
  std::uint64_t bitmap_offset = 0;  // 0 = no stored doc set
  std::uint32_t bitmap_bytes = 0;
};

// One (frequency, document length) pair of a list of impacts (Lucene's Impacts): a list bounds
// a set of postings when every posting (freq f in a doc of length l) is dominated by one of its
// pairs, freq ≥ f and length ≤ l. A score that grows with freq and falls with length (BM25) is
// then at most its largest value over the pairs, for any avgdl. Lists are strictly ascending
// in both freq and length (no pair dominates another), hold 1..kMaxImpacts pairs, and are
// exactly the Pareto front of the postings when it has at most kMaxImpacts pairs; a longer
// front is narrowed by merging neighbours (f1, l1), (f2, l2) into (f2, l1), which still bounds
// both.
struct Impact {
  std::uint32_t freq = 0;
  std::uint32_t length = 0;
  friend bool operator==(const Impact&, const Impact&) = default;
};
inline constexpr std::uint32_t kMaxImpacts = 16;

class Segment;

// Iterates one term's postings in doc order. Created positioned on the first document.
// Block-max interface (Ding & Suel 2011): ShallowAdvance() moves the block cursor without
// decoding documents; the Block*() accessors describe the block the cursor is on.
class PostingsIterator {
 public:
  PostingsIterator() = default;

  std::uint32_t doc() const { return doc_; }  // kNoMoreDocs once exhausted
  std::uint32_t Next();                        // the next doc (or kNoMoreDocs)
  std::uint32_t Advance(std::uint32_t target);  // the first doc ≥ target; no-op when doc() ≥ target
  std::uint32_t freq() const;                   // weighted frequency in doc()
  // Positions of the term in doc(), ascending. Only for iterators opened with positions.
  std::span<const std::uint32_t> Positions();

  // Moves the block cursor to the block that holds the first doc ≥ target (never backwards)
  // and returns that block's last doc (kNoMoreDocs past the end). Does not move doc().
  std::uint32_t ShallowAdvance(std::uint32_t target);
  std::uint32_t BlockLastDoc() const;
  std::uint32_t BlockMaxFreq() const;    // largest freq in the block
  std::uint32_t BlockMinLength() const;  // smallest doc length in the block
  // The impacts of the block the block cursor is on (empty past the end). Valid until the
  // block cursor moves.
  std::span<const Impact> BlockImpacts();
  // The impacts of the whole list (empty for an empty iterator).
  std::span<const Impact> TermImpacts() const {
    return {term_impacts_, term_impact_count_};
  }

 private:
  friend class Segment;
  // Codec state (postings_iterator.cc, docs/index-format.md).
  void DecodeBlock(std::uint32_t block);
  std::uint32_t LastDocOf(std::uint32_t block) const;
  // The first block at or after `from` whose last doc is ≥ target (block_count_ when none).
  std::uint32_t FirstBlockReaching(std::uint32_t from, std::uint32_t target) const;
  const unsigned char* SkipEntry(std::uint32_t block) const;

  const unsigned char* skip_ = nullptr;       // skip table; null for a single-block list
  // Multi-block lists: the impacts area, which the skip entries' offsets are relative to.
  // A single-block list: its one doc block, just after the term's impacts.
  const unsigned char* data_ = nullptr;
  const unsigned char* positions_base_ = nullptr;
  // The block's positions: read lazily, on the first Positions() call in the block.
  const unsigned char* pos_cursor_ = nullptr;  // varint form: positions of doc pos_doc_
  std::uint32_t pos_doc_ = 0;
  bool pos_ready_ = false;   // the block's positions header has been read
  bool pos_packed_ = false;
  std::uint32_t pos_gap_width_ = 0;
  const unsigned char* pos_gaps_ = nullptr;  // packed form: the gaps
  std::uint32_t pos_starts_[kBlockSize + 1] = {};  // packed form: doc i's first gap index
  std::uint32_t positions_doc_ = kNoMoreDocs;  // doc whose positions positions_ holds
  std::uint32_t doc_ = kNoMoreDocs;
  std::uint32_t doc_freq_ = 0;
  std::uint32_t term_max_freq_ = 0;
  std::uint32_t term_min_length_ = 0;
  bool with_positions_ = false;
  std::uint32_t block_ = 0;          // block of the decoded docs
  std::uint32_t block_len_ = 0;      // docs in it
  std::uint32_t in_block_ = 0;       // index of doc() in the decoded block
  std::uint32_t block_count_ = 0;
  std::uint32_t shallow_block_ = 0;  // block of the block cursor
  std::uint32_t docs_[kBlockSize] = {};
  std::uint32_t freqs_[kBlockSize] = {};
  std::vector<std::uint32_t> positions_;
  Impact term_impacts_[kMaxImpacts] = {};
  std::uint32_t term_impact_count_ = 0;
  Impact block_impacts_[kMaxImpacts] = {};  // multi-block lists: those of impacts_block_
  std::uint32_t block_impact_count_ = 0;
  std::uint32_t impacts_block_ = kNoMoreDocs;  // the block block_impacts_ holds
};

// Sorted iteration over a segment's terms (merges, prefix expansion).
class TermEnum {
 public:
  bool Next();  // moves to the next term; false after the last
  std::string_view term() const { return term_; }
  const TermInfo& info() const { return info_; }
  // Moves to the first term ≥ target; false when there is none.
  bool SeekCeil(std::string_view target);

 private:
  friend class Segment;
  // Decodes the entry at cursor_ (the in_block_-th of block_) into term_ and info_.
  void DecodeEntry();
  // Positions on the first entry of `block`; false past the last block.
  bool StartBlock(std::uint32_t block);

  const Segment* segment_ = nullptr;
  std::string term_;
  TermInfo info_;
  const unsigned char* cursor_ = nullptr;  // next entry to decode
  std::uint32_t block_ = 0;                // block of the current term
  std::uint32_t in_block_ = 0;             // entries of block_ decoded so far
  bool started_ = false;
  bool exhausted_ = false;
};

// A keyword column of one segment: a sorted dictionary of values, each with its doc set, and
// per document the ordinals of its values.
class KeywordColumn {
 public:
  virtual ~KeywordColumn() = default;
  virtual std::uint32_t value_count() const = 0;
  virtual std::string_view value(std::uint32_t ordinal) const = 0;  // ascending by ordinal
  virtual std::optional<std::uint32_t> Find(std::string_view value) const = 0;
  virtual const Roaring& Docs(std::uint32_t ordinal) const = 0;
  // The ordinals of doc's values (ascending, unique); empty when it has none.
  virtual std::span<const std::uint32_t> Ordinals(std::uint32_t doc) const = 0;
};

class NumberColumn {
 public:
  virtual ~NumberColumn() = default;
  virtual std::optional<std::int64_t> Get(std::uint32_t doc) const = 0;
};

class Segment {
 public:
  // Maps the file and checks its header, footer and checksum. DataLoss "segment_corrupt" for
  // a file that is not a whole segment.
  static core::Result<std::shared_ptr<const Segment>> Open(const std::filesystem::path& file);
  ~Segment();
  Segment(const Segment&) = delete;
  Segment& operator=(const Segment&) = delete;

  std::uint32_t doc_count() const;
  std::int64_t min_seq() const;
  std::int64_t max_seq() const;
  std::uint64_t file_bytes() const;
  const std::filesystem::path& path() const;

  std::string_view key(std::uint32_t doc) const;
  std::int64_t seq(std::uint32_t doc) const;  // ascending in doc
  // The doc with this seq, nullopt when none.
  std::optional<std::uint32_t> FindSeq(std::int64_t seq) const;
  std::uint32_t length(std::uint32_t doc) const;  // sum of term weights

  std::optional<TermInfo> Lookup(std::string_view term) const;
  PostingsIterator Postings(const TermInfo& info, bool with_positions = false) const;
  // The docs containing the term: the stored bitmap for frequent terms, decoded otherwise.
  Roaring DocSet(const TermInfo& info) const;
  TermEnum Terms() const;  // positioned before the first term

  // nullptr when no document of this segment has the column.
  const KeywordColumn* keyword_column(std::string_view name) const;
  const NumberColumn* number_column(std::string_view name) const;
  std::vector<std::string> keyword_column_names() const;
  std::vector<std::string> number_column_names() const;

  // Visibility as written: reader → docs. Widening after writing is the index's overlay
  // (visibility.h), not a change to the file.
  const std::map<std::string, Roaring, std::less<>>& readers() const;

 private:
  struct Impl;
  explicit Segment(std::unique_ptr<Impl> impl);
  friend class PostingsIterator;
  friend class TermEnum;
  std::unique_ptr<Impl> impl_;
};

// Writes `docs` (ascending seq, keys unique) as a segment file at `file`: written to
// `file`, fsynced; the caller renames or names it in a manifest. InvalidArgument when docs
// are out of seq order or empty.
core::Status WriteSegment(const std::filesystem::path& file, std::span<const Document> docs);

// One input of a merge: a segment and its effective visibility (the file's readers with the
// index's widening overlay applied; visibility.h).
struct MergeInput {
  std::shared_ptr<const Segment> segment;
  const std::map<std::string, Roaring, std::less<>>* readers = nullptr;  // null = the file's
};

// Writes the concatenation of `inputs` (ascending, non-overlapping seq ranges) as one segment
// at `file`: documents renumbered by offset, postings, columns and visibility carried over.
// The result is what WriteSegment would write for the same documents with the effective
// readers.
core::Status MergeSegments(const std::filesystem::path& file, std::span<const MergeInput> inputs);

}  // namespace markaz::index
