// Analytics against a brute-force reference computed here from the same ReportFacts: every
// answer, for every org, over seeded random collections; the no-oracle property; widening;
// cursors; queries racing Adds.
#include "analytics/analytics.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace markaz::analytics {
namespace {

using std::chrono::milliseconds;

constexpr std::int64_t kHour = 3'600'000;
constexpr std::int64_t kDay = 24 * kHour;
// 2026-03-02T00:00:00Z, a Monday; times spread over 20 days from here, a few before 1970.
constexpr std::int64_t kBase = 1'772'409'600'000;

core::Time At(std::int64_t ms) { return core::Time(milliseconds(ms)); }
std::int64_t Ms(core::Time t) { return t.time_since_epoch().count(); }

const std::vector<std::string> kOrgs = {"org-a", "org-b", "org-c", "org-d", "org-e"};

std::string Numbered(const char* prefix, int n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%04d", prefix, n);
  return buf;
}

// ---- The reference: plain loops over the facts. ----

struct Reference {
  std::vector<ReportFacts> reports;  // audiences widened in place

  void Add(const ReportFacts& f) {
    for (const ReportFacts& r : reports) {
      if (r.id == f.id) return;
    }
    reports.push_back(f);
  }
  void Widen(const std::string& id, const core::Audience& added) {
    for (ReportFacts& r : reports) {
      if (r.id != id) continue;
      for (const std::string& org : added) r.audience.push_back(org);
      std::sort(r.audience.begin(), r.audience.end());
      r.audience.erase(std::unique(r.audience.begin(), r.audience.end()), r.audience.end());
    }
  }
  static bool Sees(const ReportFacts& r, const std::string& org) {
    return std::binary_search(r.audience.begin(), r.audience.end(), org);
  }
  static bool Names(const ReportFacts& r, const std::string& entity) {
    return std::find(r.entities.begin(), r.entities.end(), entity) != r.entities.end();
  }

  std::vector<StorySummary> AllStories(const std::string& org, std::size_t cap) const {
    std::map<std::string, std::vector<const ReportFacts*>> by_story;
    for (const ReportFacts& r : reports) {
      if (!r.story.empty() && Sees(r, org)) by_story[r.story].push_back(&r);
    }
    std::vector<StorySummary> all;
    for (const auto& [id, members] : by_story) all.push_back(Summary(id, members, cap));
    std::sort(all.begin(), all.end(), [](const StorySummary& a, const StorySummary& b) {
      return a.last_seen != b.last_seen ? a.last_seen > b.last_seen : a.id < b.id;
    });
    return all;
  }

  static StorySummary Summary(const std::string& id, std::vector<const ReportFacts*> members,
                              std::size_t cap) {
    StorySummary s;
    s.id = id;
    s.size = members.size();
    std::set<std::string> langs, originators;
    s.first_seen = members[0]->time;
    s.last_seen = members[0]->time;
    for (const ReportFacts* r : members) {
      langs.insert(r->lang);
      originators.insert(r->originator);
      s.first_seen = std::min(s.first_seen, r->time);
      s.last_seen = std::max(s.last_seen, r->time);
    }
    s.langs.assign(langs.begin(), langs.end());
    s.originators.assign(originators.begin(), originators.end());
    std::sort(members.begin(), members.end(), [](const ReportFacts* a, const ReportFacts* b) {
      return a->time != b->time ? a->time > b->time : a->seq > b->seq;
    });
    for (std::size_t i = 0; i < members.size() && i < cap; ++i) s.reports.push_back(members[i]->id);
    return s;
  }

  std::optional<StorySummary> Story(const std::string& org, const std::string& id,
                                    std::size_t cap) const {
    std::vector<const ReportFacts*> members;
    for (const ReportFacts& r : reports) {
      if (r.story == id && Sees(r, org)) members.push_back(&r);
    }
    if (members.empty()) return std::nullopt;
    return Summary(id, members, cap);
  }

  std::size_t Mentions(const std::string& org, const std::string& entity) const {
    std::size_t n = 0;
    for (const ReportFacts& r : reports) n += Sees(r, org) && Names(r, entity);
    return n;
  }

  // Bucket starts from the calendar, independently of the implementation's arithmetic.
  static std::int64_t Start(std::int64_t ms, Bucket bucket) {
    using namespace std::chrono;
    const sys_time<milliseconds> t{milliseconds(ms)};
    switch (bucket) {
      case Bucket::kHour:
        return floor<hours>(t).time_since_epoch().count() * kHour;
      case Bucket::kDay:
        return sys_days(floor<days>(t)).time_since_epoch().count() * kDay;
      case Bucket::kWeek: {
        const sys_days day = floor<days>(t);
        const unsigned since_monday = (weekday(day).c_encoding() + 6) % 7;
        return (day - days(since_monday)).time_since_epoch().count() * kDay;
      }
    }
    return 0;
  }
  static std::int64_t Width(Bucket bucket) {
    return bucket == Bucket::kHour ? kHour : bucket == Bucket::kDay ? kDay : 7 * kDay;
  }

  std::vector<TimelinePoint> Timeline(const std::string& org, const std::string& entity,
                                      Bucket bucket, std::optional<core::Time> from,
                                      std::optional<core::Time> to) const {
    std::map<std::int64_t, std::size_t> counts;
    for (const ReportFacts& r : reports) {
      if (!Sees(r, org) || !Names(r, entity)) continue;
      if ((from && r.time < *from) || (to && r.time >= *to)) continue;
      ++counts[Start(Ms(r.time), bucket)];
    }
    std::vector<TimelinePoint> points;
    if (counts.empty()) return points;
    for (std::int64_t t = counts.begin()->first; t <= counts.rbegin()->first;
         t += Width(bucket)) {
      points.push_back({At(t), counts.count(t) ? counts[t] : 0});
    }
    return points;
  }

  std::vector<GraphEdge> Graph(const std::string& org, const std::string& entity,
                               std::size_t limit) const {
    std::map<std::string, std::size_t> weights;
    for (const ReportFacts& r : reports) {
      if (!Sees(r, org) || !Names(r, entity)) continue;
      for (const std::string& other : r.entities) {
        if (other != entity) ++weights[other];
      }
    }
    std::vector<GraphEdge> edges;
    for (const auto& [id, w] : weights) edges.push_back({id, w});
    std::stable_sort(edges.begin(), edges.end(),
                     [](const GraphEdge& a, const GraphEdge& b) { return a.weight > b.weight; });
    if (edges.size() > limit) edges.resize(limit);
    return edges;
  }

  std::vector<Trend> Trends(const std::string& org, const TrendQuery& q) const {
    const std::int64_t w = q.window.count();
    const std::int64_t end = Ms(q.end);
    std::map<std::string, std::pair<std::size_t, std::size_t>> counts;  // (window, baseline)
    for (const ReportFacts& r : reports) {
      if (!Sees(r, org)) continue;
      const std::int64_t t = Ms(r.time);
      for (const std::string& e : r.entities) {
        if (t >= end - w && t < end) ++counts[e].first;
        const std::int64_t base_start = end - w * static_cast<std::int64_t>(q.baseline_windows + 1);
        if (t >= base_start && t < end - w) ++counts[e].second;
      }
    }
    std::vector<Trend> trends;
    for (const auto& [e, cb] : counts) {
      const auto [c, b] = cb;
      const double mu = q.baseline_windows == 0
                            ? 0.0
                            : static_cast<double>(b) / static_cast<double>(q.baseline_windows);
      if (c == 0 || c < q.min_count || static_cast<double>(c) <= mu) continue;
      const double z = (static_cast<double>(c) - mu) / std::sqrt(mu + 1.0);
      if (z < q.min_score) continue;
      trends.push_back({e, c, mu, z});
    }
    std::stable_sort(trends.begin(), trends.end(),
                     [](const Trend& a, const Trend& b) { return a.score > b.score; });
    if (trends.size() > q.limit) trends.resize(q.limit);
    return trends;
  }
};

// ---- Text forms, so that answers compare as strings and failures print readably. ----

std::string Show(const StorySummary& s) {
  std::ostringstream out;
  out << s.id << " n=" << s.size << " first=" << Ms(s.first_seen) << " last=" << Ms(s.last_seen)
      << " langs=";
  for (const auto& l : s.langs) out << l << ",";
  out << " orgs=";
  for (const auto& o : s.originators) out << o << ",";
  out << " reports=";
  for (const auto& r : s.reports) out << r << ",";
  return out.str();
}
std::string Show(const std::optional<StorySummary>& s) { return s ? Show(*s) : "none"; }
std::string Show(const std::vector<StorySummary>& v) {
  std::string out;
  for (const auto& s : v) out += Show(s) + "\n";
  return out;
}
std::string Show(const std::vector<TimelinePoint>& v) {
  std::string out;
  for (const auto& p : v) out += std::to_string(Ms(p.start)) + ":" + std::to_string(p.count) + " ";
  return out;
}
std::string Show(const std::vector<GraphEdge>& v) {
  std::string out;
  for (const auto& e : v) out += e.entity + ":" + std::to_string(e.weight) + " ";
  return out;
}
std::string Show(const std::vector<Trend>& v) {
  std::string out;
  char buf[64];
  for (const auto& t : v) {
    std::snprintf(buf, sizeof buf, ":%zu:%.17g:%.17g ", t.count, t.baseline, t.score);
    out += t.entity + buf;
  }
  return out;
}

// All pages of Stories(), concatenated.
std::vector<StorySummary> AllPages(const Analytics& a, const std::string& org, StoryQuery q) {
  std::vector<StorySummary> all;
  for (int pages = 0; pages < 10'000; ++pages) {
    auto page = a.Stories(org, q);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    if (!page.ok()) break;
    EXPECT_LE(page->stories.size(), q.limit);
    all.insert(all.end(), page->stories.begin(), page->stories.end());
    if (!page->next_cursor) break;
    EXPECT_EQ(page->stories.size(), q.limit);  // only the last page may be short
    q.cursor = *page->next_cursor;
  }
  return all;
}

std::vector<StorySummary> Filtered(std::vector<StorySummary> all, std::optional<core::Time> from,
                                   std::optional<core::Time> to) {
  std::erase_if(all, [&](const StorySummary& s) {
    return (from && s.last_seen < *from) || (to && s.last_seen >= *to);
  });
  return all;
}

// ---- Random collections. ----

struct Universe {
  std::vector<std::string> stories;
  std::vector<std::string> entities;
};

Universe MakeUniverse() {
  Universe u;
  for (int i = 0; i < 40; ++i) u.stories.push_back(Numbered("sto_", i));
  for (int i = 0; i < 30; ++i) u.entities.push_back(Numbered(i % 2 ? "city:" : "org:", i));
  return u;
}

// `n` reports with seq from `first_seq`; stories and entities skewed so that some are large.
std::vector<ReportFacts> RandomReports(std::mt19937_64& rng, const Universe& u, int n,
                                       int first_seq, const std::vector<std::string>& orgs) {
  std::uniform_real_distribution<double> unit(0, 1);
  const std::vector<std::string> langs = {"ar", "en", "fr", "ru"};
  std::vector<ReportFacts> out;
  for (int i = 0; i < n; ++i) {
    ReportFacts f;
    f.seq = first_seq + i;
    f.id = Numbered("rep_", static_cast<int>(f.seq));
    // Mostly 20 days from kBase, in whole minutes so that equal times (ties) happen; a few
    // before 1970 to exercise floor division.
    // A third on whole hours, where trend windows and timeline buckets begin and end.
    const double where = unit(rng);
    f.time = where < 0.02   ? At(-static_cast<std::int64_t>(unit(rng) * 3 * kDay))
             : where < 0.35 ? At(kBase + static_cast<std::int64_t>(unit(rng) * 20 * 24) * kHour)
                            : At(kBase + static_cast<std::int64_t>(unit(rng) * 20 * 24 * 60) * 60'000);
    f.lang = langs[rng() % langs.size()];
    f.originator = orgs[rng() % orgs.size()];
    if (unit(rng) > 0.15) {
      f.story = u.stories[static_cast<std::size_t>(u.stories.size() * unit(rng) * unit(rng))];
    }
    std::set<std::string> entities;
    const int k = static_cast<int>(rng() % 6);
    for (int j = 0; j < k; ++j) {
      entities.insert(u.entities[static_cast<std::size_t>(u.entities.size() * unit(rng) * unit(rng))]);
    }
    f.entities.assign(entities.begin(), entities.end());
    std::set<std::string> audience = {f.originator};
    for (const std::string& org : orgs) {
      if (unit(rng) < 0.35) audience.insert(org);
    }
    f.audience.assign(audience.begin(), audience.end());
    out.push_back(std::move(f));
  }
  return out;
}

std::vector<TrendQuery> TrendQueries() {
  std::vector<TrendQuery> qs;
  for (std::int64_t window : {kDay, 6 * kHour, 2 * kDay}) {
    for (std::int64_t end_offset : {5 * kDay + 7 * kHour, 12 * kDay, 19 * kDay + kHour}) {
      TrendQuery q;
      q.window = milliseconds(window);
      q.end = At(kBase + end_offset);
      q.min_count = 2;
      q.min_score = 0.5;
      q.limit = 8;
      qs.push_back(q);
      q.baseline_windows = 3;
      q.limit = 100;
      qs.push_back(q);
      q.baseline_windows = 0;
      qs.push_back(q);
      qs.push_back(TrendQuery{milliseconds(window), At(kBase + end_offset)});  // defaults
    }
  }
  return qs;
}

// Every answer for `org`, in one string: the no-oracle test compares these.
std::string Dump(const Analytics& a, const std::string& org, const Universe& u) {
  std::string out;
  StoryQuery q;
  q.limit = 7;
  q.reports_per_story = 5;
  out += Show(AllPages(a, org, q));
  for (const std::string& s : u.stories) out += Show(a.Story(org, s, 1000)) + "\n";
  for (const std::string& e : u.entities) {
    out += e + " " + std::to_string(a.Mentions(org, e)) + "\n";
    for (Bucket b : {Bucket::kHour, Bucket::kDay, Bucket::kWeek}) {
      auto t = a.Timeline(org, e, b, At(kBase), std::nullopt);
      out += t.ok() ? Show(*t) : t.status().ToString();
      out += "\n";
    }
    out += Show(a.Graph(org, e, 1000)) + "\n";
  }
  for (const TrendQuery& trend : TrendQueries()) out += Show(a.Trends(org, trend)) + "\n";
  return out;
}

// ---- The tests. ----

class AnalyticsProperty : public ::testing::TestWithParam<int> {};

TEST_P(AnalyticsProperty, EveryAnswerForEveryOrgEqualsTheReference) {
  std::mt19937_64 rng(static_cast<std::uint64_t>(GetParam()));
  const Universe u = MakeUniverse();
  const std::vector<std::string> members(kOrgs.begin(), kOrgs.end() - 1);  // org-e only widened
  std::vector<ReportFacts> reports = RandomReports(rng, u, 700, 1, members);
  Analytics a;
  Reference ref;
  for (std::size_t i = 0; i < reports.size(); ++i) {
    a.Add(reports[i]);
    ref.Add(reports[i]);
    if (i % 50 == 7) {  // widen an earlier report, and name one that does not exist
      const std::string& id = reports[rng() % (i + 1)].id;
      const core::Audience added = {kOrgs[rng() % kOrgs.size()]};
      a.Widen(id, added);
      ref.Widen(id, added);
      a.Widen("rep_missing", added);
    }
  }
  a.Add(reports[3]);  // a second Add of an id changes nothing
  a.Flush();
  ASSERT_EQ(a.size(), reports.size());

  for (const std::string& org : kOrgs) {
    SCOPED_TRACE(org);
    const std::vector<StorySummary> all = ref.AllStories(org, 3);
    for (std::size_t limit : {1u, 4u, 1000u}) {
      StoryQuery q;
      q.limit = limit;
      q.reports_per_story = 3;
      EXPECT_EQ(Show(AllPages(a, org, q)), Show(all)) << "limit " << limit;
      q.from = At(kBase + 5 * kDay);
      q.to = At(kBase + 11 * kDay + 30 * 60'000);
      EXPECT_EQ(Show(AllPages(a, org, q)), Show(Filtered(all, q.from, q.to))) << "limit " << limit;
    }
    for (const std::string& s : u.stories) {
      EXPECT_EQ(Show(a.Story(org, s, 1000)), Show(ref.Story(org, s, 1000)));
      EXPECT_EQ(Show(a.Story(org, s, 2)), Show(ref.Story(org, s, 2)));
    }
    EXPECT_FALSE(a.Story(org, "sto_unknown", 10).has_value());
    for (const std::string& e : u.entities) {
      SCOPED_TRACE(e);
      EXPECT_EQ(a.Mentions(org, e), ref.Mentions(org, e));
      for (Bucket b : {Bucket::kHour, Bucket::kDay, Bucket::kWeek}) {
        // The few pre-1970 mentions make whole-range hour timelines too long; bound them.
        const std::optional<core::Time> from =
            b == Bucket::kWeek ? std::nullopt : std::optional<core::Time>(At(kBase - kDay));
        for (auto to : {std::optional<core::Time>(), std::optional<core::Time>(At(kBase + 9 * kDay + 1))}) {
          auto t = a.Timeline(org, e, b, from, to);
          ASSERT_TRUE(t.ok()) << t.status().ToString();
          EXPECT_EQ(Show(*t), Show(ref.Timeline(org, e, b, from, to)));
        }
      }
      for (std::size_t limit : {3u, 1000u}) {
        EXPECT_EQ(Show(a.Graph(org, e, limit)), Show(ref.Graph(org, e, limit)));
      }
    }
    for (const TrendQuery& q : TrendQueries()) {
      EXPECT_EQ(Show(a.Trends(org, q)), Show(ref.Trends(org, q)));
    }
  }
  // The answers are not all empty: the comparison had something to compare.
  EXPECT_GT(ref.AllStories("org-a", 3).size(), 10u);
  std::size_t trends = 0;
  for (const TrendQuery& q : TrendQueries()) trends += ref.Trends("org-b", q).size();
  EXPECT_GT(trends, 0u);
}

INSTANTIATE_TEST_SUITE_P(Seeds, AnalyticsProperty, ::testing::Values(1, 2, 3, 4));

TEST(Analytics, ReportsOnlyOrgAMaySeeChangeNothingForOthers) {
  std::mt19937_64 rng(11);
  const Universe u = MakeUniverse();
  const std::vector<std::string> members(kOrgs.begin(), kOrgs.end());
  const std::vector<ReportFacts> base = RandomReports(rng, u, 500, 1, members);
  // Reports for org-a alone, in the same stories, naming the same entities, at the same
  // times; interleaved with the others so that every ordinal after the first one shifts.
  std::vector<ReportFacts> secret = RandomReports(rng, u, 300, 10'000, {"org-a"});
  for (ReportFacts& f : secret) f.audience = {"org-a"};

  Analytics without;
  Analytics with;
  std::size_t next_secret = 0;
  for (const ReportFacts& f : base) {
    without.Add(f);
    with.Add(f);
    if (rng() % 2 && next_secret < secret.size()) with.Add(secret[next_secret++]);
  }
  while (next_secret < secret.size()) with.Add(secret[next_secret++]);
  for (std::string org : {"org-b", "org-c", "org-d", "org-e", "org-z"}) {
    EXPECT_EQ(Dump(with, org, u), Dump(without, org, u)) << org;
  }
  EXPECT_NE(Dump(with, "org-a", u), Dump(without, "org-a", u));  // org-a does see them
}

ReportFacts Fact(int seq, std::int64_t ms, std::string story, std::vector<std::string> entities,
                 core::Audience audience) {
  ReportFacts f;
  f.seq = seq;
  f.id = Numbered("rep_", seq);
  f.time = At(ms);
  f.lang = "ar";
  f.originator = audience.front();
  f.story = std::move(story);
  f.entities = std::move(entities);
  f.audience = std::move(audience);
  return f;
}

TEST(Analytics, WidenMakesAReportVisibleToTheNewOrg) {
  Analytics a;
  a.Add(Fact(1, kBase, "sto_1", {"city:1", "country:IQ"}, {"org-a"}));
  EXPECT_EQ(a.Mentions("org-b", "city:1"), 0u);
  EXPECT_FALSE(a.Story("org-b", "sto_1", 10).has_value());
  EXPECT_TRUE(a.Graph("org-b", "city:1", 10).empty());

  a.Widen(Numbered("rep_", 1), {"org-b", "org-c"});
  a.Widen("rep_nope", {"org-b"});  // ignored
  EXPECT_EQ(a.Mentions("org-b", "city:1"), 1u);
  EXPECT_EQ(a.Mentions("org-c", "country:IQ"), 1u);
  auto story = a.Story("org-b", "sto_1", 10);
  ASSERT_TRUE(story.has_value());
  EXPECT_EQ(story->reports, std::vector<std::string>{Numbered("rep_", 1)});
  ASSERT_EQ(a.Graph("org-b", "city:1", 10).size(), 1u);
  EXPECT_EQ(a.Graph("org-b", "city:1", 10)[0].entity, "country:IQ");
  EXPECT_EQ(a.Mentions("org-d", "city:1"), 0u);
}

TEST(Analytics, BadCursorIsAnError) {
  Analytics a;
  for (int i = 0; i < 5; ++i) a.Add(Fact(i + 1, kBase + i * kHour, Numbered("sto_", i), {}, {"org-a"}));
  StoryQuery q;
  q.limit = 2;
  auto first = a.Stories("org-a", q);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(first->next_cursor.has_value());
  const std::string good = *first->next_cursor;
  std::string flipped = good;
  flipped[good.size() / 2] = flipped[good.size() / 2] == 'A' ? 'B' : 'A';
  for (const std::string& bad : {std::string("garbage!"), std::string("AAAA"), flipped,
                                 good.substr(0, good.size() - 1), good + "A"}) {
    q.cursor = bad;
    auto page = a.Stories("org-a", q);
    ASSERT_FALSE(page.ok()) << bad;
    EXPECT_EQ(page.status().code(), core::Code::kInvalidArgument);
    EXPECT_EQ(page.status().reason(), "bad_cursor");
    // The same for a viewer who sees nothing: the check does not depend on what is visible.
    EXPECT_EQ(a.Stories("org-nobody", q).status().reason(), "bad_cursor");
  }
  q.cursor = good;
  auto second = a.Stories("org-a", q);
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->stories.size(), 2u);
  EXPECT_EQ(second->stories[0].id, "sto_0002");
}

TEST(Analytics, AddThenQueryWithoutFlushSeesTheReport) {
  Analytics a;
  for (int i = 0; i < 100; ++i) {
    a.Add(Fact(i + 1, kBase + i, "sto_x", {"city:1"}, {"org-a"}));
    // No Flush and no wait: the query applies what was queued before it.
    EXPECT_EQ(a.Mentions("org-a", "city:1"), static_cast<std::size_t>(i + 1));
  }
  auto story = a.Story("org-a", "sto_x", 1);
  ASSERT_TRUE(story.has_value());
  EXPECT_EQ(story->size, 100u);
  EXPECT_EQ(story->reports, std::vector<std::string>{Numbered("rep_", 100)});
}

TEST(Analytics, BackgroundThreadAppliesWithoutAQuery) {
  Analytics a;
  a.Add(Fact(1, kBase, "sto_x", {"city:1"}, {"org-a"}));
  // size() does not apply the queue; the background thread does within kApplyInterval.
  for (int i = 0; i < 200 && a.size() == 0; ++i) {
    std::this_thread::sleep_for(Analytics::kApplyInterval / 10);
  }
  EXPECT_EQ(a.size(), 1u);
  EXPECT_GT(a.memory_bytes(), 0u);
}

TEST(Analytics, TimelineBucketsAndTheirLimit) {
  Analytics a;
  // 2026-03-08 is a Sunday, 03-09 a Monday: one day apart, two weeks.
  const std::int64_t sunday_noon = kBase + 6 * kDay + 12 * kHour;
  a.Add(Fact(1, sunday_noon, "", {"city:1"}, {"org-a"}));
  a.Add(Fact(2, sunday_noon + kDay, "", {"city:1"}, {"org-a"}));
  a.Add(Fact(3, sunday_noon + kDay + 1, "", {"city:1"}, {"org-a"}));
  auto weeks = a.Timeline("org-a", "city:1", Bucket::kWeek, std::nullopt, std::nullopt);
  ASSERT_TRUE(weeks.ok());
  ASSERT_EQ(weeks->size(), 2u);
  EXPECT_EQ(core::FormatRfc3339((*weeks)[0].start), "2026-03-02T00:00:00Z");
  EXPECT_EQ(core::FormatRfc3339((*weeks)[1].start), "2026-03-09T00:00:00Z");
  EXPECT_EQ((*weeks)[0].count, 1u);
  EXPECT_EQ((*weeks)[1].count, 2u);
  auto hours = a.Timeline("org-a", "city:1", Bucket::kHour, std::nullopt, std::nullopt);
  ASSERT_TRUE(hours.ok());
  EXPECT_EQ(hours->size(), 25u);  // empty buckets included

  a.Add(Fact(4, sunday_noon + 2 * 365 * kDay, "", {"city:1"}, {"org-a"}));
  auto too_many = a.Timeline("org-a", "city:1", Bucket::kHour, std::nullopt, std::nullopt);
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.status().reason(), "too_many_buckets");
  EXPECT_TRUE(a.Timeline("org-a", "city:1", Bucket::kWeek, std::nullopt, std::nullopt).ok());
  // org-b sees none of them: an empty timeline, not an error.
  auto none = a.Timeline("org-b", "city:1", Bucket::kHour, std::nullopt, std::nullopt);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST(Analytics, TrendWindowsAreHalfOpen) {
  const std::int64_t end = kBase + 10 * kDay;
  const std::int64_t w = kDay;
  Analytics a;
  int seq = 0;
  auto add = [&](std::int64_t ms, int copies) {
    for (int i = 0; i < copies; ++i) a.Add(Fact(++seq, ms, "", {"city:1"}, {"org-a"}));
  };
  add(end - w, 6);              // first instant of the window: counted
  add(end - 1, 1);              // last instant of the window: counted
  add(end, 50);                 // the window's end: outside
  add(end - w - 1, 4);          // last instant of the baseline
  add(end - 3 * w, 4);          // first instant of a 2-window baseline
  add(end - 3 * w - 1, 50);     // before it: outside
  TrendQuery q;
  q.window = milliseconds(w);
  q.end = At(end);
  q.baseline_windows = 2;
  q.min_score = 0;
  const std::vector<Trend> trends = a.Trends("org-a", q);
  ASSERT_EQ(trends.size(), 1u);
  EXPECT_EQ(trends[0].entity, "city:1");
  EXPECT_EQ(trends[0].count, 7u);
  EXPECT_DOUBLE_EQ(trends[0].baseline, 4.0);  // (4 + 4) / 2
  EXPECT_DOUBLE_EQ(trends[0].score, 3.0 / std::sqrt(5.0));
  q.min_count = 8;  // the minimum count applies
  EXPECT_TRUE(a.Trends("org-a", q).empty());
  q.min_count = 0;
  q.min_score = 1.5;  // and the minimum score
  EXPECT_TRUE(a.Trends("org-a", q).empty());
  q.min_score = 0;
  q.baseline_windows = 0;  // no baseline: μ = 0, z = c
  ASSERT_EQ(a.Trends("org-a", q).size(), 1u);
  EXPECT_DOUBLE_EQ(a.Trends("org-a", q)[0].score, 7.0);
  EXPECT_TRUE(a.Trends("org-b", q).empty());
}

TEST(Analytics, QueriesWhileAddingFromAnotherThread) {
  Analytics a;
  constexpr int kReports = 20'000;
  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (int i = 0; i < kReports; ++i) {
      a.Add(Fact(i + 1, kBase + i * 1000, Numbered("sto_", i % 500), {"city:1", "city:2"},
                 {i % 2 ? "org-a" : "org-b"}));
      if (i % 1000 == 0) a.Widen(Numbered("rep_", i + 1), {"org-c"});
    }
    done = true;
  });
  std::size_t last = 0;
  int queries = 0;
  while (!done || queries < 10) {
    const std::size_t seen = a.Mentions("org-a", "city:1");
    EXPECT_GE(seen, last);  // applied in order: counts never go back
    last = seen;
    auto page = a.Stories("org-a", StoryQuery{});
    EXPECT_TRUE(page.ok());
    auto graph = a.Graph("org-b", "city:1", 5);
    EXPECT_LE(graph.size(), 1u);
    ++queries;
  }
  writer.join();
  EXPECT_EQ(a.Mentions("org-a", "city:1"), static_cast<std::size_t>(kReports / 2));
  EXPECT_EQ(a.Mentions("org-c", "city:2"), static_cast<std::size_t>(kReports / 1000));
  EXPECT_EQ(a.size(), static_cast<std::size_t>(kReports));
}

}  // namespace
}  // namespace markaz::analytics
