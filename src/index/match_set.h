// The matching set of one segment as a Roaring bitmap (private to index/): the query's groups,
// exclusions and filters evaluated with bitmap algebra over the term doc sets and the columns,
// restricted to what the viewer may see. Totals and facets are counted over it, and the top-k
// loop admits only its members, so pruning never changes what matches.
#pragma once

#include <roaring/roaring.hh>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "index/query.h"
#include "index/segment.h"

namespace markaz::index::internal {

// A segment's term doc sets, decoded at most once per search.
class TermDocs {
 public:
  explicit TermDocs(const Segment& segment) : segment_(segment) {}
  const std::optional<TermInfo>& Info(std::string_view term);
  const Roaring& Docs(std::string_view term);  // empty when the segment lacks the term

 private:
  struct Entry {
    std::optional<TermInfo> info;
    std::optional<Roaring> docs;
  };
  Entry& Find(std::string_view term);
  const Segment& segment_;
  std::map<std::string, Entry, std::less<>> entries_;
};

// The documents of `candidates` where `phrase` matches: its terms at adjacent positions (a
// single term: every candidate containing it).
Roaring PhraseDocs(const Segment& segment, TermDocs& terms, const Phrase& phrase,
                   const Roaring& candidates);

// The number of documents with a seq below `seq` (documents are in seq order: a doc prefix).
std::uint32_t DocsBefore(const Segment& segment, std::int64_t seq);

// match(query) AND NOT excluded AND keyword and range filters AND visible.
Roaring MatchSet(const Segment& segment, TermDocs& terms, const Query& query,
                 const Roaring& visible);

}  // namespace markaz::index::internal
