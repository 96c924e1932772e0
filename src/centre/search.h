// What Centre::Search takes and answers (GET /v1/search, DESIGN.md §9, docs/search.md): plain
// values, so that adapters (http/, cli/) need nothing of the index.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/time.h"
#include "core/tlp.h"

namespace markaz::centre {

inline constexpr std::size_t kDefaultSearchLimit = 20;
inline constexpr std::size_t kMaxSearchLimit = 100;
// Facet columns a search may ask for, and those it gets when it names none.
inline constexpr const char* kSearchFacetColumns[] = {"lang", "entity", "originator", "tlp",
                                                      "story"};
inline constexpr const char* kDefaultSearchFacets[] = {"lang", "entity", "originator"};

struct SearchParams {
  std::string q;  // docs/search.md syntax; "" matches everything the caller may read
  // Column filters; each list matches any of its values, the lists all together.
  std::vector<std::string> langs;
  std::vector<std::string> entities;
  std::vector<std::string> originators;
  std::vector<std::string> tlps;
  std::vector<std::string> stories;
  // On "time" (observed_at, else received_at): from ≤ time < to; either may be absent.
  std::optional<core::Time> from;
  std::optional<core::Time> to;
  std::size_t limit = kDefaultSearchLimit;  // 1..kMaxSearchLimit
  std::string cursor;                       // a next_cursor of an earlier answer; "" = page 1
  std::vector<std::string> facets{std::begin(kDefaultSearchFacets),
                                  std::end(kDefaultSearchFacets)};
  std::string names_lang;  // the reader's language, for entity display names ("" = English)
};

struct SearchHit {
  std::string id;
  // Red and amber+strict reports are listed without their text: reading them is audited
  // ("report.read", DESIGN.md §5), and a search must not become a way to read them unrecorded.
  // The caller opens the report (GET /v1/reports/{id}) to see title and body; that read is
  // on the record. Title, snippet and highlights are empty then.
  bool withheld = false;
  std::string title;
  double score = 0;
  std::string snippet;  // cut from title + "\n\n" + body; "…" marks a cut
  std::vector<std::pair<std::uint32_t, std::uint32_t>> highlights;  // code points in snippet
  std::optional<core::Time> observed_at;
  core::Time received_at;
  std::string originator;
  std::string lang;
  core::Tlp tlp = core::Tlp::kAmber;
  std::optional<std::string> story;  // the story it joined at commit time (docs/stories.md)
};

struct FacetCount {
  std::string value;
  std::uint64_t count = 0;
};

struct SearchView {
  std::uint64_t total = 0;  // the caller's visible matches
  std::vector<SearchHit> hits;
  // Per requested facet column, in the order asked: values by count descending.
  std::vector<std::pair<std::string, std::vector<FacetCount>>> facets;
  // Display names, in the reader's language, of the entity ids the answer names.
  std::map<std::string, std::string> entity_names;
  std::optional<std::string> next_cursor;  // set when more hits follow
};

}  // namespace markaz::centre
