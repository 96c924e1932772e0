// The reader's view of an open segment file: pointers into the read-only mapping, found by the
// section table at Open (segment.cc) and used by the term dictionary (term_dictionary.cc).
// Private to the segment reader.
#pragma once

#include <roaring/roaring.hh>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "index/codec.h"
#include "index/segment.h"
#include "index/segment_format.h"

namespace markaz::index {

class MappedKeywordColumn;
class MappedNumberColumn;

struct Segment::Impl {
  ~Impl();

  std::string_view FirstTerm(std::uint32_t block) const {
    const std::uint32_t begin = codec::LoadU32(first_term_offsets + 4 * std::size_t{block});
    const std::uint32_t end = codec::LoadU32(first_term_offsets + 4 * (std::size_t{block} + 1));
    return std::string_view(reinterpret_cast<const char*>(first_terms) + begin, end - begin);
  }
  const unsigned char* DictBlock(std::uint32_t block) const {
    return dict + codec::LoadU64(dict_block_offsets + 8 * std::size_t{block});
  }
  std::uint32_t EntriesIn(std::uint32_t block) const {
    const std::uint32_t first = block * format::kTermsPerDictBlock;
    return std::min(format::kTermsPerDictBlock, term_count - first);
  }
  // The last block whose first term is ≤ term; nullopt when term precedes every term.
  std::optional<std::uint32_t> BlockFor(std::string_view term) const;

  std::filesystem::path path;
  const unsigned char* base = nullptr;  // the mapping
  std::uint64_t size = 0;

  std::uint32_t doc_count = 0;
  std::int64_t min_seq = 0;
  std::int64_t max_seq = 0;
  const unsigned char* key_offsets = nullptr;  // u32[doc_count + 1]
  const unsigned char* key_bytes = nullptr;
  const unsigned char* seqs = nullptr;         // i64[doc_count]
  const unsigned char* lengths = nullptr;      // u32[doc_count]

  std::uint32_t term_count = 0;
  std::uint32_t dict_blocks = 0;
  const unsigned char* dict = nullptr;
  const unsigned char* dict_block_offsets = nullptr;  // u64[dict_blocks]
  const unsigned char* first_term_offsets = nullptr;  // u32[dict_blocks + 1]
  const unsigned char* first_terms = nullptr;

  std::map<std::string, Roaring, std::less<>> readers;
  std::map<std::string, std::unique_ptr<MappedKeywordColumn>, std::less<>> keywords;
  std::map<std::string, std::unique_ptr<MappedNumberColumn>, std::less<>> numbers;
};

}  // namespace markaz::index
