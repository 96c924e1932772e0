// The analysis use cases (issue 6): stories, entities, timelines, graphs, trends. Access is
// decided here: every answer comes from analytics computed over the caller's org only.
#include "centre/analysis.h"

#include <chrono>
#include <utility>

#include "centre/centre.h"
#include "gazetteer/gazetteer.h"

namespace markaz::centre {
namespace {

using core::Result;
using core::Status;

constexpr std::chrono::hours kMinTrendWindow{1};
constexpr std::chrono::hours kMaxTrendWindow{30 * 24};

Status NoStory(const std::string& id) {
  // The same answer for a story that does not exist and one with no visible report.
  return Status::NotFound("not_found", "no story " + id);
}

Status NoEntity(const std::string& id) { return Status::NotFound("not_found", "no entity " + id); }

Status BadLimit(std::size_t max) {
  return Status::InvalidArgument("bad_limit", "limit must be 1.." + std::to_string(max));
}

}  // namespace

Status Centre::NeedAnalysis() const {
  if (analytics_ == nullptr || processor_ == nullptr) {
    return Status::Unavailable("analysis_unavailable",
                               "this centre runs without processing: no stories or entities");
  }
  return Status::Ok();
}

Result<StoriesView> Centre::Stories(const Identity& who, analytics::StoryQuery query) {
  MARKAZ_RETURN_IF_ERROR(NeedAnalysis());
  if (query.limit < 1 || query.limit > kMaxStoryLimit) return BadLimit(kMaxStoryLimit);
  query.reports_per_story = kStoryReportsInList;
  MARKAZ_ASSIGN_OR_RETURN(analytics::StoryPage page, analytics_->Stories(who.org, query));
  StoriesView view;
  view.next_cursor = std::move(page.next_cursor);
  view.stories.reserve(page.stories.size());
  for (analytics::StorySummary& s : page.stories) {
    StoryView v;
    if (!s.reports.empty()) {
      // The newest report is visible (analytics listed it for this org): its title is the
      // story's headline.
      MARKAZ_ASSIGN_OR_RETURN(std::optional<store::ReportRow> newest, store_.GetReport(s.reports[0]));
      if (newest) v.headline = newest->input.title;
    }
    v.summary = std::move(s);
    view.stories.push_back(std::move(v));
  }
  return view;
}

Result<StoryView> Centre::Story(const Identity& who, const std::string& id) {
  MARKAZ_RETURN_IF_ERROR(NeedAnalysis());
  std::optional<analytics::StorySummary> s = analytics_->Story(who.org, id, kStoryReportsInPage);
  if (!s) return NoStory(id);
  StoryView v;
  if (!s->reports.empty()) {
    MARKAZ_ASSIGN_OR_RETURN(std::optional<store::ReportRow> newest, store_.GetReport(s->reports[0]));
    if (newest) v.headline = newest->input.title;
  }
  v.summary = std::move(*s);
  return v;
}

namespace {

EntityView ToEntityView(const gazetteer::Gazetteer& g, const gazetteer::Entity& e,
                        std::string_view names_lang) {
  EntityView v;
  v.id = e.id;
  v.kind = std::string(gazetteer::ToString(e.kind));
  v.name = std::string(g.NameIn(e, names_lang.empty() ? "en" : names_lang));
  for (const gazetteer::Name& n : e.names) v.names.push_back({n.lang, n.text});
  v.location = e.location;
  v.country = e.country;
  return v;
}

}  // namespace

Result<std::vector<EntityView>> Centre::FindEntities(const Identity& who, std::string_view q,
                                                     std::size_t limit,
                                                     std::string_view names_lang) {
  MARKAZ_RETURN_IF_ERROR(NeedAnalysis());
  if (limit < 1 || limit > kMaxEntityLimit) return BadLimit(kMaxEntityLimit);
  const std::shared_ptr<const gazetteer::Gazetteer> g = processor_->gazetteer();
  std::vector<std::uint32_t> found = g->FindByPrefix(q, limit);
  if (found.empty() && q.find_first_not_of(" \t") == std::string_view::npos) {
    return Status::InvalidArgument("bad_query", "q must name at least the start of an entity");
  }
  std::vector<EntityView> out;
  out.reserve(found.size());
  for (std::uint32_t i : found) {
    EntityView v = ToEntityView(*g, g->entities()[i], names_lang);
    v.mentions = analytics_->Mentions(who.org, v.id);
    out.push_back(std::move(v));
  }
  return out;
}

Result<EntityView> Centre::Entity(const Identity& who, const std::string& id,
                                  std::string_view names_lang) {
  MARKAZ_RETURN_IF_ERROR(NeedAnalysis());
  const std::shared_ptr<const gazetteer::Gazetteer> g = processor_->gazetteer();
  const gazetteer::Entity* e = g->Find(id);
  if (e == nullptr) return NoEntity(id);
  EntityView v = ToEntityView(*g, *e, names_lang);
  v.mentions = analytics_->Mentions(who.org, id);
  return v;
}

Result<std::vector<analytics::TimelinePoint>> Centre::EntityTimeline(
    const Identity& who, const std::string& id, analytics::Bucket bucket,
    std::optional<core::Time> from, std::optional<core::Time> to) {
  MARKAZ_RETURN_IF_ERROR(NeedAnalysis());
  if (processor_->gazetteer()->Find(id) == nullptr) return NoEntity(id);
  if (from && to && *to <= *from) {
    return Status::InvalidArgument("bad_range", "to must be after from");
  }
  return analytics_->Timeline(who.org, id, bucket, from, to);
}

Result<std::vector<analytics::GraphEdge>> Centre::EntityGraph(const Identity& who,
                                                              const std::string& id,
                                                              std::size_t limit) {
  MARKAZ_RETURN_IF_ERROR(NeedAnalysis());
  if (processor_->gazetteer()->Find(id) == nullptr) return NoEntity(id);
  if (limit < 1 || limit > kMaxGraphLimit) return BadLimit(kMaxGraphLimit);
  return analytics_->Graph(who.org, id, limit);
}

Result<std::vector<TrendView>> Centre::Trends(const Identity& who, analytics::TrendQuery query,
                                              std::string_view names_lang) {
  MARKAZ_RETURN_IF_ERROR(NeedAnalysis());
  if (query.window < kMinTrendWindow || query.window > kMaxTrendWindow) {
    return Status::InvalidArgument("bad_window", "window must be 1h..30d");
  }
  if (query.limit < 1 || query.limit > kMaxTrendLimit) return BadLimit(kMaxTrendLimit);
  const std::shared_ptr<const gazetteer::Gazetteer> g = processor_->gazetteer();
  std::vector<TrendView> out;
  for (analytics::Trend& t : analytics_->Trends(who.org, query)) {
    TrendView v;
    if (const gazetteer::Entity* e = g->Find(t.entity)) {
      v.name = std::string(g->NameIn(*e, names_lang.empty() ? "en" : names_lang));
    }
    v.trend = std::move(t);
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace markaz::centre
