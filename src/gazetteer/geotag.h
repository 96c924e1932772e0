// From mentions to entities and places (issue 4 §5): each ambiguous mention is resolved —
// first by the countries the same text mentions, then by population — and each place gets
// coordinates; a city implies its country.
#pragma once

#include <cstdint>
#include <vector>

#include "core/report.h"
#include "gazetteer/gazetteer.h"
#include "gazetteer/matcher.h"

namespace markaz::gazetteer {

struct ResolvedEntity {
  uint32_t entity = 0;            // index into the gazetteer
  std::vector<text::Span> spans;  // where the text names it, in text order
};

struct Place {
  uint32_t entity = 0;
  core::GeoPoint point;
  bool implied = false;  // named only through one of its cities
};

struct Resolution {
  std::vector<ResolvedEntity> entities;  // ordered by first mention
  std::vector<Place> places;             // explicit places by first mention, then implied ones
};

Resolution Resolve(const Gazetteer& gazetteer, const std::vector<Mention>& mentions);

}  // namespace markaz::gazetteer
