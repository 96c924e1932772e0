// The term dictionary: entries in blocks of 32, each block starting with a whole term and the
// others sharing a prefix with their predecessor; the term index (every block's first term)
// lives in the mapping, so Lookup is a binary search over it and a scan of one block.
#include "index/segment_impl.h"

namespace markaz::index {

namespace {

// Decodes one entry at *p. `first` entries hold absolute offsets, the others deltas from the
// previous entry, which *info still holds.
void DecodeDictEntry(const unsigned char** p, bool first, std::string* term, TermInfo* info) {
  const std::uint32_t shared = codec::GetVarint32(p);
  const std::uint32_t suffix = codec::GetVarint32(p);
  term->resize(shared);
  term->append(reinterpret_cast<const char*>(*p), suffix);
  *p += suffix;
  info->doc_freq = codec::GetVarint32(p);
  info->max_freq = codec::GetVarint32(p);
  info->min_length = codec::GetVarint32(p);
  const std::uint64_t postings = codec::GetVarint(p);
  info->postings_offset = first ? postings : info->postings_offset + postings;
  info->positions_offset = info->postings_offset + codec::GetVarint(p);
  info->bitmap_bytes = codec::GetVarint32(p);
  info->bitmap_offset = info->bitmap_bytes > 0 ? info->positions_offset + codec::GetVarint(p) : 0;
}

}  // namespace

std::optional<std::uint32_t> Segment::Impl::BlockFor(std::string_view term) const {
  // the number of blocks whose first term is ≤ term
  std::uint32_t lo = 0;
  std::uint32_t hi = dict_blocks;
  while (lo < hi) {
    const std::uint32_t mid = lo + (hi - lo) / 2;
    if (FirstTerm(mid) <= term) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  if (lo == 0) return std::nullopt;
  return lo - 1;
}

std::optional<TermInfo> Segment::Lookup(std::string_view term) const {
  const std::optional<std::uint32_t> block = impl_->BlockFor(term);
  if (!block) return std::nullopt;
  const unsigned char* p = impl_->DictBlock(*block);
  const std::uint32_t entries = impl_->EntriesIn(*block);
  std::string current;
  TermInfo info;
  for (std::uint32_t i = 0; i < entries; ++i) {
    DecodeDictEntry(&p, i == 0, &current, &info);
    if (current == term) return info;
    if (current > term) break;
  }
  return std::nullopt;
}

TermEnum Segment::Terms() const {
  TermEnum e;
  e.segment_ = this;
  return e;
}

void TermEnum::DecodeEntry() {
  DecodeDictEntry(&cursor_, in_block_ == 0, &term_, &info_);
  ++in_block_;
}

bool TermEnum::StartBlock(std::uint32_t block) {
  const Segment::Impl& impl = *segment_->impl_;
  if (block >= impl.dict_blocks) {
    exhausted_ = true;
    term_.clear();
    info_ = TermInfo();
    return false;
  }
  block_ = block;
  cursor_ = impl.DictBlock(block);
  in_block_ = 0;
  DecodeEntry();
  return true;
}

bool TermEnum::Next() {
  if (segment_ == nullptr || exhausted_) return false;
  if (!started_) {
    started_ = true;
    return StartBlock(0);
  }
  if (in_block_ < segment_->impl_->EntriesIn(block_)) {
    DecodeEntry();
    return true;
  }
  return StartBlock(block_ + 1);
}

bool TermEnum::SeekCeil(std::string_view target) {
  if (segment_ == nullptr) return false;
  started_ = true;
  exhausted_ = false;
  const std::optional<std::uint32_t> block = segment_->impl_->BlockFor(target);
  if (!StartBlock(block.value_or(0))) return false;
  while (term_ < target) {
    if (in_block_ < segment_->impl_->EntriesIn(block_)) {
      DecodeEntry();
    } else if (!StartBlock(block_ + 1)) {
      return false;
    }
  }
  return true;
}

}  // namespace markaz::index
