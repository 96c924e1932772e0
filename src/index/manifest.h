// The index's small metadata files (docs/index-lifecycle.md): the MANIFEST naming the live
// segments, and each segment's widening overlay (visibility.h). Both are replaced, never
// edited: written to a temporary name, fsynced, renamed, and the directory fsynced, so a
// crash leaves either the old file or the new one. Each ends with an xxHash64 of its bytes,
// so a damaged file is refused instead of being half-read.
//
// Thread-safety: free functions over values; callers serialise writes to one directory.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "index/visibility.h"

namespace markaz::index {

inline constexpr char kManifestFile[] = "MANIFEST";

// One live segment: its file and, when it was widened after writing, its overlay file.
struct ManifestSegment {
  std::string file;          // "seg_00000012.mkz", relative to the index directory
  std::string overlay_file;  // "ovl_00000015.mkv", or empty when none
  bool operator==(const ManifestSegment&) const = default;
};

struct Manifest {
  std::uint64_t generation = 0;           // +1 on every manifest written
  std::uint64_t next_file = 1;            // the number the next new file takes (seg_/ovl_ names)
  std::int64_t durable_seq = 0;           // the highest seq in any listed segment
  std::vector<ManifestSegment> segments;  // ascending seq order
  bool operator==(const Manifest&) const = default;
};

// The file names the index writes: seg_<8 digits>.mkz and ovl_<8 digits>.mkv.
std::string SegmentFileName(std::uint64_t number);
std::string OverlayFileName(std::uint64_t number);
// True for every name the index itself creates (segments, overlays, MANIFEST and their
// temporaries): Open() removes those the manifest does not name, and leaves other files alone.
bool IsIndexFileName(std::string_view name);

// The line format (one "key value" line each, then "checksum <16 hex digits>" over every
// byte before that line):
//   markaz-index-manifest 1
//   generation 7
//   next_file 19
//   durable_seq 1234
//   segment seg_00000012.mkz ovl_00000015.mkv     ("-" when there is no overlay)
std::string EncodeManifest(const Manifest& manifest);
// Internal "index_manifest_corrupt" when the bytes are not a whole, intact manifest.
core::Result<Manifest> DecodeManifest(std::string_view bytes);

// Reads dir/MANIFEST. NotFound "index_manifest_missing" when there is none (an empty index);
// Internal "index_manifest_corrupt" (with the remedy in the message) when it is damaged.
core::Result<Manifest> ReadManifest(const std::filesystem::path& dir);
// Replaces dir/MANIFEST atomically and durably.
core::Status WriteManifest(const std::filesystem::path& dir, const Manifest& manifest);

// Overlay files: "MKZOVL01", u32 reader count, per reader (name ascending) u32 name length,
// the name, u32 bitmap length, the portable Roaring serialisation; then the xxHash64 of all
// preceding bytes. Integers little-endian.
std::string EncodeOverlay(const VisibilityOverlay& overlay);
core::Result<VisibilityOverlay> DecodeOverlay(std::string_view bytes);
core::Result<VisibilityOverlay> ReadOverlay(const std::filesystem::path& file);

// Writes `bytes` as dir/name: to dir/name.tmp, fsync, rename, fsync of the directory.
core::Status WriteFileDurably(const std::filesystem::path& dir, const std::string& name,
                              std::string_view bytes);

}  // namespace markaz::index
