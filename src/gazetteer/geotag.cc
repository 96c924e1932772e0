// Resolving mentions to entities and places.
//
// A mention with one candidate is that entity. With several:
//   1. a city whose own country is also a candidate gives way to it (الجزائر is Algeria rather
//      than Algiers, Kuwait rather than Kuwait City);
//   2. the rest are weighed: weight = prominence × context, the largest wins.
//      Prominence is the population (unknown = 0), at least 10M for a country (the data has no
//      country populations, and a country outranks all but the largest cities) and at least
//      5M for an organisation or armed group (curated, and more likely than a homonym town).
//      Context multiplies by 20 when another mention in the text reads as the candidate's
//      country, else by 5 when another mention reads as a city of that country. "Reads as" is
//      the mention's own reading without context (لبنان reads as Lebanon although Lebanon,
//      Tennessee shares the name); mentions with the same candidates do not count for each
//      other.
//   3. ties: country, organisation/group, city, other; then the earlier entity in the data.
// So context decides between comparable candidates — Tripoli LB (0.23M) with Lebanon beats
// Tripoli LY (1.15M); عمان with الأردن is Amman (1.27M × 20) rather than Oman (10M); with مسقط
// it is Oman — but a small town does not beat a capital or a country because its country is
// named: with "the United States" in the text, Damascus stays in Syria rather than Maryland
// (15k), Moscow in Russia rather than Idaho, and لبنان stays Lebanon rather than Lebanon,
// Tennessee. With no context عمان is Oman.
#include "gazetteer/geotag.h"

#include <algorithm>
#include <map>
#include <span>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

namespace markaz::gazetteer {
namespace {

constexpr double kNamedCountry = 20;   // the text names the candidate's country
constexpr double kImpliedCountry = 5;  // the text names a city of the candidate's country
constexpr int64_t kCountryProminence = 10'000'000;
constexpr int64_t kOrganisationProminence = 5'000'000;

int KindRank(EntityKind kind) {
  switch (kind) {
    case EntityKind::kCountry:
      return 3;
    case EntityKind::kOrganisation:
    case EntityKind::kArmedGroup:
      return 2;
    case EntityKind::kCity:
      return 1;
    case EntityKind::kPerson:
    case EntityKind::kOther:
      return 0;
  }
  return 0;
}

double Prominence(const Entity& e) {
  switch (e.kind) {
    case EntityKind::kCountry:
      return static_cast<double>(std::max(e.population, kCountryProminence));
    case EntityKind::kOrganisation:
    case EntityKind::kArmedGroup:
      return static_cast<double>(std::max(e.population, kOrganisationProminence));
    case EntityKind::kCity:
    case EntityKind::kPerson:
    case EntityKind::kOther:
      return static_cast<double>(e.population);
  }
  return 0;
}

// The countries the rest of the text supports, as counts over distinct candidate sets, so that
// one candidate set can leave out its own contribution.
struct Context {
  std::unordered_map<std::string_view, int> named;    // a mention reads as this country
  std::unordered_map<std::string_view, int> implied;  // a mention reads as a city of it
  // What the candidate set being resolved contributed itself (not counted for it).
  std::string_view own_named;
  std::string_view own_implied;

  bool Named(std::string_view country) const { return Count(named, country, own_named) > 0; }
  bool Implied(std::string_view country) const { return Count(implied, country, own_implied) > 0; }

 private:
  static int Count(const std::unordered_map<std::string_view, int>& counts,
                   std::string_view country, std::string_view own) {
    const auto it = counts.find(country);
    if (it == counts.end()) return 0;
    return it->second - (country == own ? 1 : 0);
  }
};

uint32_t Choose(const std::vector<uint32_t>& candidates, std::span<const Entity> entities,
                const Context& context) {
  std::unordered_set<std::string_view> candidate_countries;
  for (uint32_t c : candidates) {
    if (entities[c].kind == EntityKind::kCountry && !entities[c].country.empty()) {
      candidate_countries.insert(entities[c].country);
    }
  }
  auto key = [&](uint32_t index) {
    const Entity& e = entities[index];
    double weight = Prominence(e);
    if (!e.country.empty()) {
      if (context.Named(e.country)) {
        weight *= kNamedCountry;
      } else if (context.Implied(e.country)) {
        weight *= kImpliedCountry;
      }
    }
    // A city whose country is itself a candidate ranks last.
    const bool yields = e.kind == EntityKind::kCity && candidate_countries.count(e.country) != 0;
    // Larger is better; the index is negated so that the earlier entity wins ties.
    return std::make_tuple(!yields, weight, KindRank(e.kind), -static_cast<int64_t>(index));
  };
  return *std::max_element(candidates.begin(), candidates.end(),
                           [&](uint32_t a, uint32_t b) { return key(a) < key(b); });
}

bool IsPlace(const Entity& e) {
  return e.location.has_value() && (e.kind == EntityKind::kCity || e.kind == EntityKind::kCountry);
}

}  // namespace

Resolution Resolve(const Gazetteer& gazetteer, const std::vector<Mention>& mentions) {
  const std::span<const Entity> entities = gazetteer.entities();

  // Each distinct candidate set is read once without context (its prior reading), and that
  // reading is what it tells the other mentions: لبنان, though Lebanon, Tennessee shares the
  // name, reads as the country and so supports Tripoli LB. A set never supports itself (a
  // repeated عمان says nothing about which عمان it is).
  struct Set {
    std::vector<uint32_t> candidates;  // sorted
    std::string_view named, implied;   // its prior reading's contribution
    uint32_t chosen = 0;
  };
  std::vector<Set> sets;
  std::map<std::vector<uint32_t>, std::size_t> set_of;
  std::vector<std::size_t> mention_set(mentions.size());
  Context context;
  for (std::size_t i = 0; i < mentions.size(); ++i) {
    std::vector<uint32_t> key = mentions[i].candidates;
    std::sort(key.begin(), key.end());
    key.erase(std::unique(key.begin(), key.end()), key.end());
    auto [it, inserted] = set_of.emplace(std::move(key), sets.size());
    mention_set[i] = it->second;
    if (!inserted || it->first.empty()) {
      if (inserted) sets.push_back({});
      continue;
    }
    Set set;
    set.candidates = it->first;
    const Entity& prior = entities[it->first.size() == 1 ? it->first.front()
                                                         : Choose(it->first, entities, Context{})];
    if (!prior.country.empty() && prior.kind == EntityKind::kCountry) {
      set.named = prior.country;
      ++context.named[prior.country];
    } else if (!prior.country.empty() && prior.kind == EntityKind::kCity) {
      set.implied = prior.country;
      ++context.implied[prior.country];
    }
    sets.push_back(std::move(set));
  }
  for (Set& set : sets) {
    if (set.candidates.size() == 1) set.chosen = set.candidates.front();
    if (set.candidates.size() <= 1) continue;
    context.own_named = set.named;
    context.own_implied = set.implied;
    set.chosen = Choose(set.candidates, entities, context);
  }

  Resolution out;
  std::unordered_map<uint32_t, std::size_t> position;  // entity → index in out.entities
  for (std::size_t i = 0; i < mentions.size(); ++i) {
    const Set& set = sets[mention_set[i]];
    if (set.candidates.empty()) continue;
    auto [it, inserted] = position.emplace(set.chosen, out.entities.size());
    if (inserted) out.entities.push_back({set.chosen, {}});
    out.entities[it->second].spans.push_back(mentions[i].span);
  }

  std::unordered_set<uint32_t> placed;
  for (const ResolvedEntity& r : out.entities) {
    const Entity& e = entities[r.entity];
    if (!IsPlace(e)) continue;
    out.places.push_back({r.entity, *e.location, false});
    placed.insert(r.entity);
  }
  for (const ResolvedEntity& r : out.entities) {
    const Entity& e = entities[r.entity];
    if (e.kind != EntityKind::kCity || e.country.empty()) continue;
    const std::optional<uint32_t> country = gazetteer.CountryIndex(e.country);
    if (!country || placed.count(*country) != 0) continue;
    const Entity& c = entities[*country];
    if (!c.location) continue;
    out.places.push_back({*country, *c.location, true});
    placed.insert(*country);
  }
  return out;
}

}  // namespace markaz::gazetteer
