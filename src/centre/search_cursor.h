// The wire form of a search cursor (GET /v1/search's next_cursor, docs/search.md): opaque to
// clients, exact for the server. "v1" followed by the unpadded base64url of 24 bytes, big-endian:
// as_of_seq (int64), the bits of score (IEEE 754 double: a decimal would round, and the next
// page must resume strictly after this exact score), seq (int64).
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "index/searcher.h"

namespace markaz::centre {

std::string EncodeCursor(const index::Cursor& cursor);

// InvalidArgument "bad_cursor" for anything EncodeCursor did not write (wrong version, length
// or alphabet, a negative seq, a score that is not finite).
core::Result<index::Cursor> DecodeCursor(std::string_view text);

}  // namespace markaz::centre
