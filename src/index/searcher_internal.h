// Search with its tuning knobs exposed (private to index/ and its tests): the property test
// runs the block-max WAND path and the exhaustive path against the brute-force reference.
#pragma once

#include <span>

#include "index/searcher.h"
#include "index/top_k.h"

namespace markaz::index::internal {

SearchResult Search(std::span<const SegmentView> segments, const SearchRequest& request,
                    const TopKOptions& options);

}  // namespace markaz::index::internal
