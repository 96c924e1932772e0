// Reading one term's postings (docs/index-format.md): a skip table (one fixed-size entry per
// block, absent for single-block lists), the impacts (the term's, then each block's), the
// blocks (128 docs bit-packed, the last partial block varint-coded), then the positions
// stream. Fixed-size skip entries are what let Advance and ShallowAdvance binary-search blocks
// without decoding any; a block's impacts are decoded only when asked for.
#include <roaring/roaring.h>

#include <vector>

#include "index/impacts.h"
#include "index/segment_impl.h"

namespace markaz::index {

using codec::LoadU32;

PostingsIterator Segment::Postings(const TermInfo& info, bool with_positions) const {
  PostingsIterator it;
  if (info.doc_freq == 0) return it;
  it.doc_freq_ = info.doc_freq;
  it.term_max_freq_ = info.max_freq;
  it.term_min_length_ = info.min_length;
  it.with_positions_ = with_positions;
  it.block_count_ = (info.doc_freq + kBlockSize - 1) / kBlockSize;
  const unsigned char* region = impl_->base + info.postings_offset;
  if (it.block_count_ > 1) it.skip_ = region;
  const unsigned char* area =
      it.skip_ != nullptr ? region + std::size_t{format::kSkipEntryBytes} * it.block_count_
                          : region;
  const unsigned char* after_term_impacts = area;
  it.term_impact_count_ = impacts::Decode(&after_term_impacts, it.term_impacts_);
  // Multi-block lists find everything through the skip entries' offsets from the area; a
  // single block follows the term's impacts.
  it.data_ = it.skip_ != nullptr ? area : after_term_impacts;
  it.positions_base_ = impl_->base + info.positions_offset;
  it.DecodeBlock(0);
  it.doc_ = it.docs_[0];
  return it;
}

Roaring Segment::DocSet(const TermInfo& info) const {
  if (info.bitmap_bytes > 0) {
    roaring_bitmap_t* r = roaring_bitmap_portable_deserialize_safe(
        reinterpret_cast<const char*>(impl_->base + info.bitmap_offset), info.bitmap_bytes);
    if (r != nullptr) return Roaring(r);
  }
  Roaring docs;
  PostingsIterator it = Postings(info);
  std::vector<std::uint32_t> buffer;
  buffer.reserve(info.doc_freq);
  for (std::uint32_t d = it.doc(); d != kNoMoreDocs; d = it.Next()) buffer.push_back(d);
  docs.addMany(buffer.size(), buffer.data());
  return docs;
}

const unsigned char* PostingsIterator::SkipEntry(std::uint32_t block) const {
  return skip_ + std::size_t{format::kSkipEntryBytes} * block;
}

std::uint32_t PostingsIterator::FirstBlockReaching(std::uint32_t from,
                                                   std::uint32_t target) const {
  // Binary search over the skip entries' last docs: blocks are in doc order.
  std::uint32_t lo = from;
  std::uint32_t hi = block_count_;
  while (lo < hi) {
    const std::uint32_t mid = lo + (hi - lo) / 2;
    if (LastDocOf(mid) < target) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

std::uint32_t PostingsIterator::LastDocOf(std::uint32_t block) const {
  // A single-block list keeps block 0 decoded for its whole life.
  return skip_ != nullptr ? LoadU32(SkipEntry(block)) : docs_[block_len_ - 1];
}

void PostingsIterator::DecodeBlock(std::uint32_t block) {
  const unsigned char* p = data_;
  std::uint32_t next = 0;  // the smallest doc the block's first delta can mean
  if (skip_ != nullptr) {
    const unsigned char* entry = SkipEntry(block);
    p += LoadU32(entry + 4);
    pos_cursor_ = positions_base_ + LoadU32(entry + 8);
    if (block > 0) next = LoadU32(SkipEntry(block - 1)) + 1;
  } else {
    pos_cursor_ = positions_base_;
  }
  pos_doc_ = 0;
  pos_ready_ = false;
  block_ = block;
  block_len_ = block + 1 < block_count_ ? kBlockSize : doc_freq_ - block * kBlockSize;
  in_block_ = 0;
  if (block_len_ == kBlockSize) {
    const std::uint32_t doc_width = p[0];
    const std::uint32_t freq_width = p[1];
    p += 2;
    codec::Unpack128(p, doc_width, docs_);
    codec::Unpack128(p + codec::PackedBytes(kBlockSize, doc_width), freq_width, freqs_);
    for (std::uint32_t i = 0; i < kBlockSize; ++i) {
      next += docs_[i];
      docs_[i] = next++;
      ++freqs_[i];
    }
  } else {
    for (std::uint32_t i = 0; i < block_len_; ++i) {
      next += codec::GetVarint32(&p);
      docs_[i] = next++;
      freqs_[i] = codec::GetVarint32(&p) + 1;
    }
  }
}

std::uint32_t PostingsIterator::Next() {
  if (doc_ == kNoMoreDocs) return doc_;
  if (++in_block_ < block_len_) {
    doc_ = docs_[in_block_];
  } else if (block_ + 1 < block_count_) {
    DecodeBlock(block_ + 1);
    doc_ = docs_[0];
    if (shallow_block_ < block_) shallow_block_ = block_;
  } else {
    --in_block_;
    doc_ = kNoMoreDocs;
  }
  return doc_;
}

std::uint32_t PostingsIterator::Advance(std::uint32_t target) {
  if (doc_ >= target) return doc_;
  if (docs_[block_len_ - 1] < target) {
    // the first later block whose last doc reaches the target
    const std::uint32_t lo = FirstBlockReaching(block_ + 1, target);
    if (lo == block_count_) {
      doc_ = kNoMoreDocs;
      in_block_ = block_len_ - 1;
      return doc_;
    }
    DecodeBlock(lo);
    if (shallow_block_ < block_) shallow_block_ = block_;
  }
  while (docs_[in_block_] < target) ++in_block_;
  doc_ = docs_[in_block_];
  return doc_;
}

std::uint32_t PostingsIterator::freq() const {
  return doc_ == kNoMoreDocs ? 0 : freqs_[in_block_];
}

std::span<const std::uint32_t> PostingsIterator::Positions() {
  if (!with_positions_ || doc_ == kNoMoreDocs) return {};
  if (positions_doc_ == doc_) return positions_;
  if (!pos_ready_) {
    pos_ready_ = true;
    pos_packed_ = *pos_cursor_++ == format::kPositionsPacked;
    if (pos_packed_) {
      const std::uint32_t count_width = pos_cursor_[0];
      pos_gap_width_ = pos_cursor_[1];
      pos_cursor_ += 2;
      codec::Unpack(pos_cursor_, block_len_, count_width, pos_starts_ + 1);
      pos_starts_[0] = 0;
      for (std::uint32_t i = 0; i < block_len_; ++i) {
        pos_starts_[i + 1] += pos_starts_[i] + 1;
      }
      pos_gaps_ = pos_cursor_ + codec::PackedBytes(block_len_, count_width);
    }
  }
  std::uint32_t count = 0;
  if (pos_packed_) {
    const std::uint32_t first = pos_starts_[in_block_];
    count = pos_starts_[in_block_ + 1] - first;
    positions_.resize(count);
    codec::UnpackFrom(pos_gaps_, first, count, pos_gap_width_, positions_.data());
  } else {
    while (pos_doc_ < in_block_) {
      const std::uint32_t skip = codec::GetVarint32(&pos_cursor_);
      codec::SkipVarints(&pos_cursor_, skip);
      ++pos_doc_;
    }
    count = codec::GetVarint32(&pos_cursor_);
    positions_.resize(count);
    for (std::uint32_t k = 0; k < count; ++k) positions_[k] = codec::GetVarint32(&pos_cursor_);
    ++pos_doc_;
  }
  std::uint32_t next = 0;
  for (std::uint32_t k = 0; k < count; ++k) {
    next += positions_[k];
    positions_[k] = next++;
  }
  positions_doc_ = doc_;
  return positions_;
}

std::uint32_t PostingsIterator::ShallowAdvance(std::uint32_t target) {
  if (block_count_ == 0) return kNoMoreDocs;
  shallow_block_ = FirstBlockReaching(shallow_block_, target);
  return BlockLastDoc();
}

std::uint32_t PostingsIterator::BlockLastDoc() const {
  return shallow_block_ < block_count_ ? LastDocOf(shallow_block_) : kNoMoreDocs;
}

std::uint32_t PostingsIterator::BlockMaxFreq() const {
  if (shallow_block_ >= block_count_) return 0;
  return skip_ != nullptr ? LoadU32(SkipEntry(shallow_block_) + 12) : term_max_freq_;
}

std::uint32_t PostingsIterator::BlockMinLength() const {
  if (shallow_block_ >= block_count_) return 0;
  return skip_ != nullptr ? LoadU32(SkipEntry(shallow_block_) + 16) : term_min_length_;
}

std::span<const Impact> PostingsIterator::BlockImpacts() {
  if (shallow_block_ >= block_count_) return {};
  if (skip_ == nullptr) return TermImpacts();
  if (impacts_block_ != shallow_block_) {
    const unsigned char* p = data_ + LoadU32(SkipEntry(shallow_block_) + 20);
    block_impact_count_ = impacts::Decode(&p, block_impacts_);
    impacts_block_ = shallow_block_;
  }
  return {block_impacts_, block_impact_count_};
}

}  // namespace markaz::index
