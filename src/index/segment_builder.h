// Streams one segment file (docs/index-format.md): the per-document sections first, then the
// terms in ascending order, then the dictionary and the footer. Both WriteSegment (which
// inverts documents) and MergeSegments (which merges segments term by term) feed it, which is
// what makes a merge write the very bytes WriteSegment would for the same documents.
//
// Thread-safety: one thread per builder.
#pragma once

#include <roaring/roaring.hh>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "index/segment.h"

namespace markaz::index {

struct KeywordColumnData {
  std::vector<std::string> values;          // sorted, unique
  std::vector<Roaring> docs;                // per value
  std::vector<std::uint32_t> ord_offsets;   // doc_count + 1: doc d's ordinals are
  std::vector<std::uint32_t> ords;          //   ords[ord_offsets[d] .. ord_offsets[d+1])
};

struct NumberColumnData {
  std::vector<std::uint64_t> present;  // bit d set when doc d has a value
  std::vector<std::int64_t> values;    // doc_count; 0 where absent
};

// Everything about the documents that is not the inverted index.
struct SegmentDocs {
  std::vector<std::uint32_t> key_offsets{0};  // doc_count + 1 into key_bytes
  std::string key_bytes;
  std::vector<std::int64_t> seqs;
  std::vector<std::uint32_t> lengths;
  std::map<std::string, KeywordColumnData, std::less<>> keywords;
  std::map<std::string, NumberColumnData, std::less<>> numbers;
  std::map<std::string, Roaring, std::less<>> readers;  // no empty bitmaps

  std::uint32_t doc_count() const { return static_cast<std::uint32_t>(seqs.size()); }
};

// One term's postings in doc order: per doc its frequency and its positions
// (positions[Σ pos_counts before d .. + pos_counts[d]), ascending and unique).
struct TermPostingsView {
  std::span<const std::uint32_t> docs;
  std::span<const std::uint32_t> freqs;
  std::span<const std::uint32_t> pos_counts;
  std::span<const std::uint32_t> positions;
};

// A bitmap in the one canonical form the writer serialises (run-optimised), so that equal
// sets give equal bytes whichever way they were built.
Roaring CanonicalBitmap(std::span<const std::uint32_t> sorted_docs);

class SegmentBuilder {
 public:
  // Creates (truncates) `file` and writes the header and the per-document sections.
  static core::Result<std::unique_ptr<SegmentBuilder>> Create(const std::filesystem::path& file,
                                                              const SegmentDocs& docs);
  ~SegmentBuilder();
  SegmentBuilder(const SegmentBuilder&) = delete;
  SegmentBuilder& operator=(const SegmentBuilder&) = delete;

  // Terms must come in strictly ascending byte order, each with at least one doc.
  core::Status AddTerm(std::string_view term, const TermPostingsView& postings);
  // Writes the dictionary, its index and the footer, fsyncs and closes the file.
  core::Status Finish();

 private:
  struct State;
  explicit SegmentBuilder(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace markaz::index
