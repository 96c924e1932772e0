// Searching: Centre::Search. The index decides matches, ranks, totals and facets over the
// caller's visible documents; this file turns a request into an index query, and each hit into
// what the caller sees, from the store of record.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <string_view>

#include "centre/centre.h"
#include "centre/search_cursor.h"
#include "index/query.h"
#include "index/snippet.h"
#include "pipeline/processor.h"
#include "pipeline/stories.h"
#include "policy/audience.h"

namespace markaz::centre {
namespace {

using core::Result;
using core::Status;

bool IsFacetColumn(std::string_view name) {
  return std::any_of(std::begin(kSearchFacetColumns), std::end(kSearchFacetColumns),
                     [&](const char* c) { return name == c; });
}

void AddKeywordFilter(const char* column, const std::vector<std::string>& values,
                      index::Query* query) {
  if (values.empty()) return;
  query->keywords.push_back(index::KeywordFilter{column, values, /*negated=*/false});
}

// The language the analysis stored for the report ("" when none was stored). pipeline::ToJson
// writes {"lang":"xx",… first: read that without parsing the whole analysis (20 hits a page).
std::string StoredLang(const store::ReportRow& row) {
  if (row.analysis.empty()) return row.input.lang.value_or("");
  constexpr std::string_view kPrefix = "{\"lang\":\"";
  if (std::string_view(row.analysis).starts_with(kPrefix)) {
    const std::size_t end = row.analysis.find('"', kPrefix.size());
    if (end != std::string::npos && end - kPrefix.size() <= 16) {
      const std::string lang = row.analysis.substr(kPrefix.size(), end - kPrefix.size());
      if (lang.find('\\') == std::string::npos) return lang;
    }
  }
  const nlohmann::json j = nlohmann::json::parse(row.analysis, nullptr, /*allow_exceptions=*/false);
  if (j.is_object() && j.contains("lang") && j["lang"].is_string()) return j["lang"];
  return row.input.lang.value_or("");
}

}  // namespace

Result<SearchView> Centre::Search(const Identity& who, const SearchParams& params) {
  if (index_ == nullptr || processor_ == nullptr) {
    return Status::Unavailable("search_unavailable",
                               "search is not available: this centre runs without processing");
  }
  if (params.limit < 1 || params.limit > kMaxSearchLimit) {
    return Status::InvalidArgument(
        "bad_limit", "limit must be 1.." + std::to_string(kMaxSearchLimit));
  }
  for (const std::string& f : params.facets) {
    if (!IsFacetColumn(f)) {
      return Status::InvalidArgument(
          "bad_facets", "unknown facet \"" + f + "\"; facets are lang, entity, originator, tlp, story");
    }
  }

  index::SearchRequest request;
  request.reader = who.org;
  request.limit = params.limit;
  request.facets = params.facets;
  if (!params.cursor.empty()) {
    MARKAZ_ASSIGN_OR_RETURN(request.after, DecodeCursor(params.cursor));
  }
  const std::shared_ptr<const text::Analyzer> analyzer = processor_->analyzer();
  // One language filter is also the best hint for the query's words.
  const std::string lang_hint = params.langs.size() == 1 ? params.langs.front() : "";
  MARKAZ_ASSIGN_OR_RETURN(request.query, index::ParseQuery(params.q, *analyzer, lang_hint));
  namespace col = index::columns;
  AddKeywordFilter(col::kLang, params.langs, &request.query);
  AddKeywordFilter(col::kEntity, params.entities, &request.query);
  AddKeywordFilter(col::kOriginator, params.originators, &request.query);
  AddKeywordFilter(col::kTlp, params.tlps, &request.query);
  AddKeywordFilter(col::kStory, params.stories, &request.query);
  if (params.from || params.to) {
    index::RangeFilter range;
    range.column = col::kTime;
    if (params.from) range.min = params.from->time_since_epoch().count();
    if (params.to) range.max = params.to->time_since_epoch().count();
    request.query.ranges.push_back(std::move(range));
  }

  const index::SearchResult result = index_->Search(request);
  const std::vector<std::string> stems = request.query.ScoredTerms();

  SearchView view;
  view.total = result.total;
  for (const index::Hit& hit : result.hits) {
    MARKAZ_ASSIGN_OR_RETURN(std::optional<store::ReportRow> row, store_.GetReport(hit.key));
    // Defence in depth: the index's visibility bitmaps decided this hit; the store's audience
    // is the record. They never disagree (audiences only widen, and the index applies each
    // widening before it is acknowledged); if they ever did, the store wins.
    if (!row || !policy::InAudience(row->audience, who.org)) {
      std::fprintf(stderr, "markaz: search: index hit %s is not readable by %s in the store\n",
                   hit.key.c_str(), who.org.c_str());
      continue;
    }
    SearchHit out;
    out.id = row->id;
    out.score = hit.score;
    out.observed_at = row->input.observed_at;
    out.received_at = row->received_at;
    out.originator = row->originator;
    out.lang = StoredLang(*row);
    out.tlp = row->input.tlp;
    if (std::string story = pipeline::StoredStory(*row); !story.empty()) out.story = std::move(story);
    if (out.tlp == core::Tlp::kRed || out.tlp == core::Tlp::kAmberStrict) {
      out.withheld = true;  // search.h: opening it is the audited read
      view.hits.push_back(std::move(out));
      continue;
    }
    out.title = row->input.title;
    // The snippet is cut from the original text by the analyser's spans, with the language
    // the report was indexed under, so that highlighted words are the words that matched.
    const std::string text = pipeline::AnalysedText(row->input);
    index::Snippet snippet = index::MakeSnippet(*analyzer, text, out.lang, stems);
    out.snippet = std::move(snippet.text);
    for (const text::Span& s : snippet.highlights) out.highlights.emplace_back(s.begin, s.end);
    view.hits.push_back(std::move(out));
  }

  for (const std::string& column : params.facets) {
    std::vector<FacetCount> counts;
    if (auto it = result.facets.find(column); it != result.facets.end()) {
      for (const index::FacetValue& v : it->second) counts.push_back({v.value, v.count});
    }
    if (column == col::kEntity) {
      for (const FacetCount& c : counts) {
        std::string name = processor_->EntityName(c.value, params.names_lang);
        if (!name.empty()) view.entity_names.emplace(c.value, std::move(name));
      }
    }
    view.facets.emplace_back(column, std::move(counts));
  }
  for (const std::string& id : params.entities) {
    std::string name = processor_->EntityName(id, params.names_lang);
    if (!name.empty()) view.entity_names.emplace(id, std::move(name));
  }

  // The cursor's as_of is the newest seq the caller can see (searcher.h): it moves only with
  // the caller's own visible reports, never with another org's (DESIGN.md §2 rule 5).
  if (result.next) view.next_cursor = EncodeCursor(*result.next);
  return view;
}

}  // namespace markaz::centre
