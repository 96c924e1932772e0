// The constants of the segment file format, shared by the writer (segment_builder.cc) and the
// reader (segment.cc, postings_iterator.cc). docs/index-format.md describes the layout byte by
// byte; change the two together and bump kFormatVersion.
#pragma once

#include <cstdint>

namespace markaz::index::format {

inline constexpr char kHeaderMagic[8] = {'M', 'K', 'Z', 'S', 'E', 'G', '0', '2'};
inline constexpr char kTrailerMagic[8] = {'M', 'K', 'Z', 'S', 'E', 'N', 'D', '1'};
inline constexpr std::uint32_t kFormatVersion = 2;
inline constexpr std::uint64_t kHeaderBytes = 16;   // magic, version, reserved
inline constexpr std::uint64_t kTrailerBytes = 40;  // table offset, count, reserved, checksum, magic
// The checksum covers every byte before it: the whole file except its last 16 bytes.
inline constexpr std::uint64_t kChecksummedTail = 16;

inline constexpr std::uint32_t kTermsPerDictBlock = 32;
inline constexpr std::uint32_t kBitmapMinDocFreq = 4096;
// Per block: last doc, doc offset, pos offset, max freq, min length, impacts offset.
inline constexpr std::uint32_t kSkipEntryBytes = 24;

// How one block's positions are stored (the first byte of the block's positions).
inline constexpr std::uint8_t kPositionsVarint = 0;  // per doc: count, then the gaps
inline constexpr std::uint8_t kPositionsPacked = 1;  // count width, gap width, counts-1, gaps

enum class SectionKind : std::uint32_t {
  kMeta = 1,
  kKeys = 2,
  kSeqs = 3,
  kLengths = 4,
  kPostings = 5,
  kTermDict = 6,
  kTermIndex = 7,
  kReaders = 8,
  kKeywordColumn = 9,  // named
  kNumberColumn = 10,  // named
};

inline constexpr std::uint64_t kMetaBytes = 40;

}  // namespace markaz::index::format
