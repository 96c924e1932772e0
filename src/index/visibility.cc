// Effective visibility of one segment: the file's readers with the overlay OR-ed in, and per
// reader the total length of what it sees (BM25's average over the visible documents only:
// no oracle, DESIGN.md §2 rule 5).
#include "index/visibility.h"

namespace markaz::index {

const ReaderDocs* Visibility::Find(std::string_view reader) const {
  auto it = readers.find(reader);
  return it == readers.end() ? nullptr : &it->second;
}

std::map<std::string, Roaring, std::less<>> EffectiveReaders(const Segment& segment,
                                                             const VisibilityOverlay& overlay) {
  std::map<std::string, Roaring, std::less<>> out = segment.readers();
  // An overlay naming docs past the segment's end is a caller's bug; clipping keeps it from
  // reaching the per-doc arrays through a search or a merge.
  Roaring in_segment;
  in_segment.addRange(0, segment.doc_count());
  for (const auto& [reader, docs] : overlay) {
    Roaring clipped = docs & in_segment;
    if (clipped.isEmpty()) continue;
    auto it = out.find(reader);
    if (it == out.end()) {
      out.emplace(reader, std::move(clipped));
    } else {
      it->second |= clipped;
    }
  }
  return out;
}

std::shared_ptr<const Visibility> BuildVisibility(const Segment& segment,
                                                  const VisibilityOverlay& overlay) {
  auto visibility = std::make_shared<Visibility>();
  for (auto& [reader, docs] : EffectiveReaders(segment, overlay)) {
    ReaderDocs entry;
    for (std::uint32_t d : docs) entry.total_length += segment.length(d);
    entry.docs = std::move(docs);
    entry.docs.runOptimize();
    visibility->readers.emplace(reader, std::move(entry));
  }
  return visibility;
}

}  // namespace markaz::index
