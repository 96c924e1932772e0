// The segment writer's encoder. Sections are streamed through one buffered sink that also
// hashes what it writes, so the checksum costs no second pass and a merge of large segments
// never holds the file in memory; only the term dictionary (a few bytes per term) is kept
// until the end.
#include "index/segment_builder.h"

#include <fcntl.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <utility>

#include "index/codec.h"
#include "index/impacts.h"
#include "index/segment_format.h"

namespace markaz::index {

namespace {

using codec::PutU32;
using codec::PutU64;
using codec::PutVarint;

constexpr std::size_t kSinkBuffer = 1 << 20;

core::Status IoError(const std::filesystem::path& file, std::string_view what) {
  return core::Status::Internal("segment " + file.string() + ": " + std::string(what) + ": " +
                                std::strerror(errno));
}

// A write-only file with a buffer and a running XXH3-64 of everything written.
class Sink {
 public:
  Sink(int fd, std::filesystem::path file) : fd_(fd), file_(std::move(file)) {
    XXH3_64bits_reset(state_);
    buffer_.reserve(kSinkBuffer);
  }
  ~Sink() {
    XXH3_freeState(state_);
    if (fd_ >= 0) ::close(fd_);
  }
  Sink(const Sink&) = delete;
  Sink& operator=(const Sink&) = delete;

  std::uint64_t offset() const { return offset_; }

  core::Status Write(std::string_view bytes) {
    offset_ += bytes.size();
    if (buffer_.size() + bytes.size() > kSinkBuffer) {
      MARKAZ_RETURN_IF_ERROR(Flush());
      if (bytes.size() >= kSinkBuffer) return WriteThrough(bytes);
    }
    buffer_.append(bytes);
    return core::Status::Ok();
  }
  core::Status Align8() {
    static constexpr char kZeros[8] = {};
    return Write(std::string_view(kZeros, (8 - offset_ % 8) % 8));
  }
  // Writes the bytes without hashing them (the checksum and what follows it).
  core::Status WriteUnhashed(std::string_view bytes) {
    MARKAZ_RETURN_IF_ERROR(Flush());
    hashing_ = false;
    offset_ += bytes.size();
    return WriteThrough(bytes);
  }
  std::uint64_t Digest() const { return XXH3_64bits_digest(state_); }

  core::Status Flush() {
    core::Status s = WriteThrough(buffer_);
    buffer_.clear();
    return s;
  }
  core::Status SyncAndClose() {
    MARKAZ_RETURN_IF_ERROR(Flush());
    if (::fsync(fd_) != 0) return IoError(file_, "fsync");
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) return IoError(file_, "close");
    return core::Status::Ok();
  }

 private:
  core::Status WriteThrough(std::string_view bytes) {
    if (hashing_) XXH3_64bits_update(state_, bytes.data(), bytes.size());
    while (!bytes.empty()) {
      const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        return IoError(file_, "write");
      }
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return core::Status::Ok();
  }

  int fd_;
  std::filesystem::path file_;
  XXH3_state_t* state_ = XXH3_createState();
  std::string buffer_;
  std::uint64_t offset_ = 0;
  bool hashing_ = true;
};

struct SectionEntry {
  format::SectionKind kind;
  std::string name;
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
};

std::string_view Bytes(const void* data, std::size_t size) {
  return std::string_view(static_cast<const char*>(data), size);
}
template <typename T>
std::string_view Bytes(const std::vector<T>& v) {
  return Bytes(v.data(), v.size() * sizeof(T));
}

std::string Serialise(const Roaring& bitmap) {
  std::string out(bitmap.getSizeInBytes(true), '\0');
  bitmap.write(out.data(), true);
  return out;
}

}  // namespace

Roaring CanonicalBitmap(std::span<const std::uint32_t> sorted_docs) {
  Roaring r;
  r.addMany(sorted_docs.size(), sorted_docs.data());
  r.runOptimize();
  return r;
}

struct SegmentBuilder::State {
  State(int fd, const std::filesystem::path& file, const SegmentDocs& d)
      : sink(fd, file), lengths(d.lengths), seqs(d.seqs) {
    std::uint64_t total = 0;
    for (std::uint32_t l : lengths) total += l;
    mean_length = lengths.empty() ? 0 : static_cast<double>(total) / lengths.size();
  }

  core::Status BeginSection() { return sink.Align8(); }
  core::Status EndSection(format::SectionKind kind, std::string name, std::uint64_t start) {
    sections.push_back({kind, std::move(name), start, sink.offset() - start});
    return core::Status::Ok();
  }
  core::Status WriteSection(format::SectionKind kind, std::string name, std::string_view body) {
    MARKAZ_RETURN_IF_ERROR(sink.Align8());
    const std::uint64_t start = sink.offset();
    MARKAZ_RETURN_IF_ERROR(sink.Write(body));
    return EndSection(kind, std::move(name), start);
  }

  core::Status WriteDocs(const SegmentDocs& d);
  core::Status EncodeTerm(std::string_view term, const TermPostingsView& p);
  core::Status WriteDictAndFooter();

  Sink sink;
  std::vector<std::uint32_t> lengths;  // per doc, for each block's min length and impacts
  double mean_length = 0;              // what impact lists are narrowed for
  std::vector<std::int64_t> seqs;
  std::vector<SectionEntry> sections;
  std::uint64_t postings_start = 0;

  // term dictionary
  std::uint32_t term_count = 0;
  std::string last_term;
  TermInfo last_info;
  std::string dict;
  std::vector<std::uint64_t> dict_block_offsets;
  std::vector<std::uint32_t> first_term_offsets;
  std::string first_terms;

  // scratch, reused across terms
  std::string skip;
  std::string data;
  std::string positions;
  std::string block_impacts;             // the blocks' impact lists, end to end
  std::string term_impacts;
  std::vector<Impact> pairs;             // the block's (freq, length) per doc
  std::vector<Impact> term_pairs;        // every block's whole front
  struct BlockEntry {
    std::uint32_t last_doc, doc_offset, pos_offset, max_freq, min_length, impacts_offset;
  };
  std::vector<BlockEntry> blocks;
  std::string scratch;
  std::uint32_t deltas[kBlockSize];
  std::uint32_t freqs[kBlockSize];
  std::uint32_t counts[kBlockSize];  // positions per doc, minus one
  std::vector<std::uint32_t> gaps;   // the block's position gaps

  // Appends one block's positions (counts and gaps, then cleared) to `positions` in whichever
  // of the two forms is smaller: varints (short or irregular blocks) or bit-packed.
  void EncodePositions(std::uint32_t len) {
    std::size_t varint_bytes = 0;
    std::uint32_t max_count = 0;
    std::uint32_t max_gap = 0;
    for (std::uint32_t i = 0; i < len; ++i) {
      varint_bytes += codec::VarintSize(counts[i] + 1);
      max_count = std::max(max_count, counts[i]);
    }
    for (std::uint32_t g : gaps) {
      varint_bytes += codec::VarintSize(g);
      max_gap = std::max(max_gap, g);
    }
    const std::uint32_t count_width = codec::BitWidth(max_count);
    const std::uint32_t gap_width = codec::BitWidth(max_gap);
    const std::size_t packed_bytes =
        2 + codec::PackedBytes(len, count_width) + codec::PackedBytes(gaps.size(), gap_width);
    if (packed_bytes < varint_bytes) {
      positions.push_back(static_cast<char>(format::kPositionsPacked));
      positions.push_back(static_cast<char>(count_width));
      positions.push_back(static_cast<char>(gap_width));
      codec::Pack(counts, len, count_width, &positions);
      codec::Pack(gaps.data(), gaps.size(), gap_width, &positions);
    } else {
      positions.push_back(static_cast<char>(format::kPositionsVarint));
      std::size_t at = 0;
      for (std::uint32_t i = 0; i < len; ++i) {
        PutVarint(&positions, counts[i] + 1);
        for (std::uint32_t k = 0; k <= counts[i]; ++k) PutVarint(&positions, gaps[at + k]);
        at += counts[i] + 1;
      }
    }
    gaps.clear();
  }
};

core::Status SegmentBuilder::State::WriteDocs(const SegmentDocs& d) {
  const std::uint32_t n = d.doc_count();
  std::string header(format::kHeaderMagic, sizeof format::kHeaderMagic);
  PutU32(&header, format::kFormatVersion);
  PutU32(&header, 0);
  MARKAZ_RETURN_IF_ERROR(sink.Write(header));

  // keys: u32 offsets[n + 1], padded to 8, then the bytes
  MARKAZ_RETURN_IF_ERROR(BeginSection());
  std::uint64_t start = sink.offset();
  MARKAZ_RETURN_IF_ERROR(sink.Write(Bytes(d.key_offsets)));
  MARKAZ_RETURN_IF_ERROR(sink.Align8());
  MARKAZ_RETURN_IF_ERROR(sink.Write(d.key_bytes));
  MARKAZ_RETURN_IF_ERROR(EndSection(format::SectionKind::kKeys, "", start));

  MARKAZ_RETURN_IF_ERROR(WriteSection(format::SectionKind::kSeqs, "", Bytes(d.seqs)));
  MARKAZ_RETURN_IF_ERROR(WriteSection(format::SectionKind::kLengths, "", Bytes(d.lengths)));

  // readers: u32 count, then per reader u32 name bytes, u32 bitmap bytes, name, bitmap
  scratch.clear();
  PutU32(&scratch, static_cast<std::uint32_t>(d.readers.size()));
  for (const auto& [name, bitmap] : d.readers) {
    const std::string bytes = Serialise(bitmap);
    PutU32(&scratch, static_cast<std::uint32_t>(name.size()));
    PutU32(&scratch, static_cast<std::uint32_t>(bytes.size()));
    scratch += name;
    scratch += bytes;
  }
  MARKAZ_RETURN_IF_ERROR(WriteSection(format::SectionKind::kReaders, "", scratch));

  for (const auto& [name, col] : d.keywords) {
    // u32 value count, u32 ordinal count, u64 bitmap offsets[V + 1], u32 value offsets[V + 1],
    // u32 ord offsets[n + 1], u32 ords[], pad 8, value bytes, pad 8, bitmaps
    const auto values = static_cast<std::uint32_t>(col.values.size());
    std::vector<std::string> bitmaps;
    bitmaps.reserve(values);
    std::vector<std::uint64_t> bitmap_offsets{0};
    std::vector<std::uint32_t> value_offsets{0};
    std::string value_bytes;
    for (std::uint32_t v = 0; v < values; ++v) {
      bitmaps.push_back(Serialise(col.docs[v]));
      bitmap_offsets.push_back(bitmap_offsets.back() + bitmaps.back().size());
      value_bytes += col.values[v];
      value_offsets.push_back(static_cast<std::uint32_t>(value_bytes.size()));
    }
    scratch.clear();
    PutU32(&scratch, values);
    PutU32(&scratch, static_cast<std::uint32_t>(col.ords.size()));
    scratch.append(Bytes(bitmap_offsets));
    scratch.append(Bytes(value_offsets));
    scratch.append(Bytes(col.ord_offsets));
    scratch.append(Bytes(col.ords));
    codec::PadTo(&scratch, 8);
    scratch += value_bytes;
    codec::PadTo(&scratch, 8);
    for (const std::string& b : bitmaps) scratch += b;
    MARKAZ_RETURN_IF_ERROR(WriteSection(format::SectionKind::kKeywordColumn, name, scratch));
  }
  for (const auto& [name, col] : d.numbers) {
    // u32 doc count, u32 reserved, u64 presence words[(n + 63) / 64], i64 values[n]
    scratch.clear();
    PutU32(&scratch, n);
    PutU32(&scratch, 0);
    scratch.append(Bytes(col.present));
    scratch.append(Bytes(col.values));
    MARKAZ_RETURN_IF_ERROR(WriteSection(format::SectionKind::kNumberColumn, name, scratch));
  }
  MARKAZ_RETURN_IF_ERROR(BeginSection());
  postings_start = sink.offset();
  return core::Status::Ok();
}

core::Status SegmentBuilder::State::EncodeTerm(std::string_view term, const TermPostingsView& p) {
  const std::size_t n = p.docs.size();
  if (n == 0 || p.freqs.size() != n || p.pos_counts.size() != n) {
    return core::Status::Internal("segment builder: malformed postings for a term");
  }
  if (term_count > 0 && term <= std::string_view(last_term)) {
    return core::Status::Internal("segment builder: terms out of order");
  }
  const auto block_count = static_cast<std::uint32_t>((n + kBlockSize - 1) / kBlockSize);
  skip.clear();
  data.clear();
  positions.clear();
  block_impacts.clear();
  term_impacts.clear();
  term_pairs.clear();
  blocks.clear();
  std::uint32_t term_max_freq = 0;
  std::uint32_t term_min_length = std::numeric_limits<std::uint32_t>::max();
  std::int64_t prev = -1;
  std::size_t pos_index = 0;
  for (std::uint32_t b = 0; b < block_count; ++b) {
    const std::size_t first = std::size_t{b} * kBlockSize;
    const auto len = static_cast<std::uint32_t>(std::min<std::size_t>(kBlockSize, n - first));
    const std::size_t doc_offset = data.size();
    const std::size_t pos_offset = positions.size();
    std::uint32_t max_delta = 0;
    std::uint32_t max_freq_minus_one = 0;
    std::uint32_t block_max_freq = 0;
    std::uint32_t block_min_length = std::numeric_limits<std::uint32_t>::max();
    pairs.clear();
    for (std::uint32_t i = 0; i < len; ++i) {
      const std::uint32_t doc = p.docs[first + i];
      const std::uint32_t freq = p.freqs[first + i];
      if (static_cast<std::int64_t>(doc) <= prev || doc >= lengths.size() || freq == 0) {
        return core::Status::Internal("segment builder: bad doc or frequency in postings");
      }
      deltas[i] = static_cast<std::uint32_t>(doc - prev - 1);
      freqs[i] = freq - 1;
      prev = doc;
      max_delta = std::max(max_delta, deltas[i]);
      max_freq_minus_one = std::max(max_freq_minus_one, freqs[i]);
      block_max_freq = std::max(block_max_freq, freq);
      block_min_length = std::min(block_min_length, lengths[doc]);
      pairs.push_back({freq, lengths[doc]});
      // positions: per doc the count, the first position, then gaps minus one (unique)
      const std::uint32_t count = p.pos_counts[first + i];
      if (count == 0) return core::Status::Internal("segment builder: a posting without positions");
      counts[i] = count - 1;
      std::int64_t prev_pos = -1;
      for (std::uint32_t k = 0; k < count; ++k) {
        const std::uint32_t pos = p.positions[pos_index + k];
        if (static_cast<std::int64_t>(pos) <= prev_pos) {
          return core::Status::Internal("segment builder: positions not ascending");
        }
        gaps.push_back(static_cast<std::uint32_t>(pos - prev_pos - 1));
        prev_pos = pos;
      }
      pos_index += count;
    }
    EncodePositions(len);
    if (len == kBlockSize) {
      const std::uint32_t dw = codec::BitWidth(max_delta);
      const std::uint32_t fw = codec::BitWidth(max_freq_minus_one);
      data.push_back(static_cast<char>(dw));
      data.push_back(static_cast<char>(fw));
      codec::Pack(deltas, kBlockSize, dw, &data);
      codec::Pack(freqs, kBlockSize, fw, &data);
    } else {
      for (std::uint32_t i = 0; i < len; ++i) {
        PutVarint(&data, deltas[i]);
        PutVarint(&data, freqs[i]);
      }
    }
    if (data.size() > std::numeric_limits<std::uint32_t>::max() ||
        positions.size() > std::numeric_limits<std::uint32_t>::max()) {
      return core::Status::Internal("segment builder: postings of one term exceed 4 GiB");
    }
    // The block's impacts: its whole front joins the term's, its narrowed front is stored
    // (single-block lists store only the term's, which is the same list).
    std::vector<Impact> front = impacts::ParetoFront(pairs);
    term_pairs.insert(term_pairs.end(), front.begin(), front.end());
    const std::size_t impacts_offset = block_impacts.size();
    if (block_count > 1) {
      impacts::Narrow(front, mean_length);
      impacts::Encode(front, &block_impacts);
    }
    blocks.push_back({static_cast<std::uint32_t>(prev), static_cast<std::uint32_t>(doc_offset),
                      static_cast<std::uint32_t>(pos_offset), block_max_freq, block_min_length,
                      static_cast<std::uint32_t>(impacts_offset)});
    term_max_freq = std::max(term_max_freq, block_max_freq);
    term_min_length = std::min(term_min_length, block_min_length);
  }
  if (pos_index != p.positions.size()) {
    return core::Status::Internal("segment builder: position counts do not match positions");
  }
  std::vector<Impact> term_front = impacts::ParetoFront(term_pairs);
  impacts::Narrow(term_front, mean_length);
  impacts::Encode(term_front, &term_impacts);
  // The skip entries' offsets are relative to the impacts area: the term's list, then the
  // blocks' lists, then the doc blocks.
  const std::size_t area = term_impacts.size() + block_impacts.size();
  if (area + data.size() > std::numeric_limits<std::uint32_t>::max()) {
    return core::Status::Internal("segment builder: postings of one term exceed 4 GiB");
  }
  if (blocks.size() > 1) {
    for (const BlockEntry& e : blocks) {
      PutU32(&skip, e.last_doc);
      PutU32(&skip, static_cast<std::uint32_t>(area + e.doc_offset));
      PutU32(&skip, e.pos_offset);
      PutU32(&skip, e.max_freq);
      PutU32(&skip, e.min_length);
      PutU32(&skip, static_cast<std::uint32_t>(term_impacts.size() + e.impacts_offset));
    }
  }

  TermInfo info;
  info.doc_freq = static_cast<std::uint32_t>(n);
  info.max_freq = term_max_freq;
  info.min_length = term_min_length;
  info.postings_offset = sink.offset();
  MARKAZ_RETURN_IF_ERROR(sink.Write(skip));
  MARKAZ_RETURN_IF_ERROR(sink.Write(term_impacts));
  MARKAZ_RETURN_IF_ERROR(sink.Write(block_impacts));
  MARKAZ_RETURN_IF_ERROR(sink.Write(data));
  info.positions_offset = sink.offset();
  MARKAZ_RETURN_IF_ERROR(sink.Write(positions));
  if (n >= format::kBitmapMinDocFreq) {
    const std::string bitmap = Serialise(CanonicalBitmap(p.docs));
    info.bitmap_offset = sink.offset();
    info.bitmap_bytes = static_cast<std::uint32_t>(bitmap.size());
    MARKAZ_RETURN_IF_ERROR(sink.Write(bitmap));
  }

  // dictionary entry: shared prefix, suffix, stats, then locations (the first entry of a
  // block absolute, the others as deltas from the previous entry)
  const bool block_start = term_count % format::kTermsPerDictBlock == 0;
  std::size_t shared = 0;
  if (block_start) {
    dict_block_offsets.push_back(dict.size());
    first_term_offsets.push_back(static_cast<std::uint32_t>(first_terms.size()));
    first_terms.append(term);
  } else {
    const std::size_t limit = std::min(term.size(), last_term.size());
    while (shared < limit && term[shared] == last_term[shared]) ++shared;
  }
  PutVarint(&dict, shared);
  PutVarint(&dict, term.size() - shared);
  dict.append(term.substr(shared));
  PutVarint(&dict, info.doc_freq);
  PutVarint(&dict, info.max_freq);
  PutVarint(&dict, info.min_length);
  PutVarint(&dict, block_start ? info.postings_offset
                               : info.postings_offset - last_info.postings_offset);
  PutVarint(&dict, info.positions_offset - info.postings_offset);
  PutVarint(&dict, info.bitmap_bytes);
  if (info.bitmap_bytes > 0) PutVarint(&dict, info.bitmap_offset - info.positions_offset);
  last_term.assign(term);
  last_info = info;
  ++term_count;
  return core::Status::Ok();
}

core::Status SegmentBuilder::State::WriteDictAndFooter() {
  // postings end with room for the bit unpacker's over-read
  static constexpr char kZeros[codec::kUnpackOverread] = {};
  MARKAZ_RETURN_IF_ERROR(sink.Write(std::string_view(kZeros, sizeof kZeros)));
  MARKAZ_RETURN_IF_ERROR(EndSection(format::SectionKind::kPostings, "", postings_start));

  MARKAZ_RETURN_IF_ERROR(WriteSection(format::SectionKind::kTermDict, "", dict));

  // term index: u32 block count, u32 reserved, u64 block offsets[B], u32 first-term
  // offsets[B + 1], pad 8, first-term bytes
  scratch.clear();
  const auto dict_blocks = static_cast<std::uint32_t>(dict_block_offsets.size());
  PutU32(&scratch, dict_blocks);
  PutU32(&scratch, 0);
  scratch.append(Bytes(dict_block_offsets));
  first_term_offsets.push_back(static_cast<std::uint32_t>(first_terms.size()));
  scratch.append(Bytes(first_term_offsets));
  codec::PadTo(&scratch, 8);
  scratch += first_terms;
  MARKAZ_RETURN_IF_ERROR(WriteSection(format::SectionKind::kTermIndex, "", scratch));

  scratch.clear();
  const auto docs = static_cast<std::uint32_t>(seqs.size());
  PutU32(&scratch, docs);
  PutU32(&scratch, term_count);
  codec::PutI64(&scratch, seqs.front());
  codec::PutI64(&scratch, seqs.back());
  PutU32(&scratch, format::kTermsPerDictBlock);
  PutU32(&scratch, kBlockSize);
  PutU32(&scratch, format::kBitmapMinDocFreq);
  PutU32(&scratch, 0);
  MARKAZ_RETURN_IF_ERROR(WriteSection(format::SectionKind::kMeta, "", scratch));

  // section table: per section u32 kind, u32 name bytes, u64 offset, u64 length, name, pad 8
  MARKAZ_RETURN_IF_ERROR(sink.Align8());
  const std::uint64_t table_offset = sink.offset();
  scratch.clear();
  for (const SectionEntry& s : sections) {
    PutU32(&scratch, static_cast<std::uint32_t>(s.kind));
    PutU32(&scratch, static_cast<std::uint32_t>(s.name.size()));
    PutU64(&scratch, s.offset);
    PutU64(&scratch, s.length);
    scratch += s.name;
    codec::PadTo(&scratch, 8);
  }
  MARKAZ_RETURN_IF_ERROR(sink.Write(scratch));

  // trailer: u64 table offset, u32 section count, u32 reserved, u64 file bytes | u64 checksum,
  // magic (the last 16 bytes are outside the checksum)
  scratch.clear();
  PutU64(&scratch, table_offset);
  PutU32(&scratch, static_cast<std::uint32_t>(sections.size()));
  PutU32(&scratch, 0);
  PutU64(&scratch, sink.offset() + format::kTrailerBytes);
  MARKAZ_RETURN_IF_ERROR(sink.Write(scratch));
  MARKAZ_RETURN_IF_ERROR(sink.Flush());
  scratch.clear();
  PutU64(&scratch, sink.Digest());
  scratch.append(format::kTrailerMagic, sizeof format::kTrailerMagic);
  MARKAZ_RETURN_IF_ERROR(sink.WriteUnhashed(scratch));
  return sink.SyncAndClose();
}

SegmentBuilder::SegmentBuilder(std::unique_ptr<State> state) : state_(std::move(state)) {}
SegmentBuilder::~SegmentBuilder() = default;

core::Result<std::unique_ptr<SegmentBuilder>> SegmentBuilder::Create(
    const std::filesystem::path& file, const SegmentDocs& docs) {
  const std::uint32_t n = docs.doc_count();
  if (n == 0 || docs.lengths.size() != n || docs.key_offsets.size() != std::size_t{n} + 1) {
    return core::Status::Internal("segment builder: inconsistent document sections");
  }
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return IoError(file, "open");
  auto state = std::make_unique<State>(fd, file, docs);
  MARKAZ_RETURN_IF_ERROR(state->WriteDocs(docs));
  return std::unique_ptr<SegmentBuilder>(new SegmentBuilder(std::move(state)));
}

core::Status SegmentBuilder::AddTerm(std::string_view term, const TermPostingsView& postings) {
  return state_->EncodeTerm(term, postings);
}

core::Status SegmentBuilder::Finish() { return state_->WriteDictAndFooter(); }

}  // namespace markaz::index
