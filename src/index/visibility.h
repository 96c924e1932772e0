// Who may see what in one segment, as searches use it: the segment file's reader bitmaps
// with the index's widening overlay OR-ed in, and per reader the sum of the visible
// documents' lengths (BM25's average length is taken over what the viewer may see: no oracle,
// DESIGN.md §2 rule 5).
#pragma once

#include <roaring/roaring.hh>

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "index/segment.h"

namespace markaz::index {

struct ReaderDocs {
  Roaring docs;
  std::uint64_t total_length = 0;  // Σ segment.length(d) for d in docs
};

struct Visibility {
  std::map<std::string, ReaderDocs, std::less<>> readers;
  // nullptr when `reader` sees nothing here.
  const ReaderDocs* Find(std::string_view reader) const;
};

// Readers widened after the segment was written: reader → docs added.
using VisibilityOverlay = std::map<std::string, Roaring, std::less<>>;

std::shared_ptr<const Visibility> BuildVisibility(const Segment& segment,
                                                  const VisibilityOverlay& overlay = {});

// The effective reader bitmaps (file ∪ overlay), the form MergeInput takes.
std::map<std::string, Roaring, std::less<>> EffectiveReaders(const Segment& segment,
                                                             const VisibilityOverlay& overlay);

}  // namespace markaz::index
