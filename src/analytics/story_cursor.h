// The opaque cursor of Stories(): the sort key of the last story of a page.
//
// Bytes: 'S' | last_seen ms (8, big-endian, two's complement) | story id | FNV-1a 32 of the
// preceding bytes (4, big-endian); written in base64url without padding. The checksum is not
// a secret: it only turns a cursor that was cut, edited or made up into "bad_cursor" instead of
// a silently wrong page. A forged but well-formed cursor is harmless: it only names a position
// in the viewer's own list.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace markaz::analytics {

struct StoryCursor {
  std::int64_t last_seen_ms = 0;
  std::string story_id;  // never empty
};

std::string EncodeStoryCursor(const StoryCursor& cursor);
// nullopt for anything EncodeStoryCursor could not have written.
std::optional<StoryCursor> DecodeStoryCursor(std::string_view text);

}  // namespace markaz::analytics
