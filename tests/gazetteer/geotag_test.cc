// Geotagging: ambiguous names resolve by the countries the text names, then by kind and
// population; places get coordinates; a city implies its country.
#include "gazetteer/geotag.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "text/normalize.h"

namespace markaz::gazetteer {
namespace {

constexpr const char* kEntities =
    "country:IQ\tcountry\t33\t44\t\tIQ\ten=Iraq\n"
    "country:LB\tcountry\t33.8\t35.8\t\tLB\ten=Lebanon\n"
    "country:LY\tcountry\t26\t17\t\tLY\ten=Libya\n"
    "country:JO\tcountry\t31\t36\t\tJO\ten=Jordan\n"
    "country:OM\tcountry\t21\t57\t\tOM\ten=Oman\n"
    "country:DZ\tcountry\t28\t3\t\tDZ\ten=Algeria\n"
    "country:ZZ\tcountry\t\t\t\tZZ\ten=Nowhere\n"
    "country:US\tcountry\t39.8\t-98.5\t\tUS\ten=United States\n"
    "country:SY\tcountry\t35\t38\t\tSY\ten=Syria\n"
    "city:170654\tcity\t33.5102\t36.29128\t2584771\tSY\ten=Damascus\n"
    "city:4352728\tcity\t39.28844\t-77.20387\t15257\tUS\ten=Damascus\n"
    "city:4636045\tcity\t36.20811\t-86.2911\t26190\tUS\ten=Lebanon\n"
    "city:98182\tcity\t33.34058\t44.40088\t7216000\tIQ\ten=Baghdad\n"
    "city:266826\tcity\t34.43667\t35.84972\t229398\tLB\ten=Tripoli\n"
    "city:2210247\tcity\t32.88743\t13.18733\t1150989\tLY\ten=Tripoli\n"
    "city:88319\tcity\t32.11486\t20.06859\t650629\tLY\ten=Benghazi\n"
    "city:250441\tcity\t31.95522\t35.94503\t1275857\tJO\ten=Amman\n"
    "city:287286\tcity\t23.58413\t58.40778\t797000\tOM\ten=Muscat\n"
    "city:2507480\tcity\t36.7525\t3.04197\t1977663\tDZ\ten=Algiers\n"
    "city:ph-jordan\tcity\t10.6\t122.6\t30000\tPH\ten=Jordan\n"
    "city:zz-1\tcity\t1\t1\t10\tZZ\ten=Nowhere City\n"
    "city:nowhere\tcity\t\t\t\t\ten=Unmapped\n"
    "group:islamic-state\tarmed_group\t\t\t\t\ten=Islamic State\n";
constexpr const char* kAliases =
    "العراق\tcountry:IQ\tar\t\nلبنان\tcountry:LB\tar\t\nليبيا\tcountry:LY\tar\t\n"
    "الأردن\tcountry:JO\tar\t\nعمان\tcountry:OM\tar\t\nسلطنة عمان\tcountry:OM\tar\t\n"
    "الجزائر\tcountry:DZ\tar\t\nJordan\tcountry:JO\ten\t\n"
    "بغداد\tcity:98182\tar\t\nطرابلس\tcity:266826\tar\t\nطرابلس\tcity:2210247\tar\t\n"
    "بنغازي\tcity:88319\tar\t\nعمّان\tcity:250441\tar\t\nمسقط\tcity:287286\tar\t\n"
    "الجزائر\tcity:2507480\tar\t\nJordan\tcity:ph-jordan\ten\t\n"
    "Nowhere City\tcity:zz-1\ten\t\nUnmapped\tcity:nowhere\ten\t\n"
    "داعش\tgroup:islamic-state\tar\t\n"
    "الولايات المتحدة\tcountry:US\tar\t\nدمشق\tcity:170654\tar\t\nدمشق\tcity:4352728\tar\t\n"
    "لبنان\tcity:4636045\tar\t\n";

struct Fixture {
  std::shared_ptr<const Gazetteer> gazetteer;
  std::shared_ptr<const Matcher> matcher;
};

const Fixture& Get() {
  static const Fixture f = [] {
    Fixture out;
    auto g = Gazetteer::Parse(kEntities, kAliases);
    EXPECT_TRUE(g.ok()) << g.status().ToString();
    if (!g.ok()) return out;
    out.gazetteer = *g;
    auto m = Matcher::Build(out.gazetteer, "");
    EXPECT_TRUE(m.ok()) << m.status().ToString();
    if (m.ok()) out.matcher = *m;
    return out;
  }();
  return f;
}

Resolution ResolveText(std::string_view text) {
  const Fixture& f = Get();
  return Resolve(*f.gazetteer, f.matcher->Match(text::Normalize(text), text));
}

std::vector<std::string> EntityIds(const Resolution& r) {
  std::vector<std::string> ids;
  for (const ResolvedEntity& e : r.entities)
    ids.push_back(Get().gazetteer->entities()[e.entity].id);
  return ids;
}

// "id" or "id*" (implied), in order.
std::vector<std::string> PlaceIds(const Resolution& r) {
  std::vector<std::string> ids;
  for (const Place& p : r.places) {
    ids.push_back(Get().gazetteer->entities()[p.entity].id + (p.implied ? "*" : ""));
  }
  return ids;
}

using Ids = std::vector<std::string>;

TEST(Geotag, AmbiguousNamesFollowTheContext) {
  ASSERT_NE(Get().matcher, nullptr);
  static const struct {
    const char* text;
    Ids entities;
  } kCases[] = {
      // Co-mentioned country, named before or after.
      {"اشتباكات في طرابلس شمال لبنان", {"city:266826", "country:LB"}},
      {"لبنان: اشتباكات في طرابلس", {"country:LB", "city:266826"}},
      {"اشتباكات في طرابلس عاصمة ليبيا", {"city:2210247", "country:LY"}},
      // The country of an unambiguous city counts too.
      {"من بنغازي إلى طرابلس", {"city:88319", "city:2210247"}},
      // No context: the larger city.
      {"اشتباكات في طرابلس", {"city:2210247"}},
      // عمان: Amman in Jordan, Oman with Muscat or the sultanate, Oman by default (a country
      // ranks above a city of another country).
      {"وصل الوفد إلى عمان عاصمة الأردن", {"city:250441", "country:JO"}},
      {"الأردن: اجتماع في عمان", {"country:JO", "city:250441"}},
      {"زيارة إلى عمان ولقاء في مسقط", {"country:OM", "city:287286"}},
      {"سلطنة عمان", {"country:OM"}},
      {"سلطنة عمان وعمان", {"country:OM"}},
      {"عمان", {"country:OM"}},
      // Written with its shadda it is the alias written so: Amman.
      {"عمّان", {"city:250441"}},
      {"وصلنا إلى عمَّان", {"city:250441"}},
      {"عُمان", {"country:OM"}},  // no alias is written so: ambiguous, and Oman by default
      // A country and a city of its own with one name: the country.
      {"الجزائر", {"country:DZ"}},
      // A country name that is also a foreign town's: the country.
      {"Jordan", {"country:JO"}},
      {"لبنان", {"country:LB"}},
      // A town does not beat a capital or a country because the text names its country.
      {"دمشق والولايات المتحدة", {"city:170654", "country:US"}},
      {"الولايات المتحدة ولبنان", {"country:US", "country:LB"}},
  };
  for (const auto& c : kCases) EXPECT_EQ(EntityIds(ResolveText(c.text)), c.entities) << c.text;
}

TEST(Geotag, PlacesHaveCoordinatesAndCitiesImplyTheirCountry) {
  ASSERT_NE(Get().matcher, nullptr);
  static const struct {
    const char* text;
    Ids places;
  } kCases[] = {
      {"بغداد", {"city:98182", "country:IQ*"}},
      {"بغداد والعراق", {"city:98182", "country:IQ"}},
      {"العراق وبغداد", {"country:IQ", "city:98182"}},
      {"طرابلس وبنغازي", {"city:2210247", "city:88319", "country:LY*"}},
      {"داعش في بغداد", {"city:98182", "country:IQ*"}},  // the group is no place
      {"Unmapped", {}},                                  // no coordinates, no place
      {"Nowhere City", {"city:zz-1"}},                   // its country has no coordinates
      {"", {}},
  };
  for (const auto& c : kCases) EXPECT_EQ(PlaceIds(ResolveText(c.text)), c.places) << c.text;

  const Resolution r = ResolveText("بغداد");
  ASSERT_EQ(r.places.size(), 2u);
  EXPECT_DOUBLE_EQ(r.places[0].point.lat, 33.34058);
  EXPECT_DOUBLE_EQ(r.places[0].point.lon, 44.40088);
  EXPECT_DOUBLE_EQ(r.places[1].point.lat, 33);
}

TEST(Geotag, EntitiesInOrderOfFirstMentionWithEverySpan) {
  ASSERT_NE(Get().matcher, nullptr);
  const Resolution r = ResolveText("داعش في بغداد. بغداد وداعش والعراق");
  EXPECT_EQ(EntityIds(r), (Ids{"group:islamic-state", "city:98182", "country:IQ"}));
  ASSERT_EQ(r.entities.size(), 3u);
  EXPECT_EQ(r.entities[0].spans, (std::vector<text::Span>{{0, 4}, {22, 26}}));
  EXPECT_EQ(r.entities[1].spans, (std::vector<text::Span>{{8, 13}, {15, 20}}));
  EXPECT_EQ(r.entities[2].spans, (std::vector<text::Span>{{28, 34}}));
}

TEST(Geotag, MentionsBuiltByHand) {
  const Gazetteer& g = *Get().gazetteer;
  const uint32_t tripoli_lb = *g.IndexOf("city:266826");
  const uint32_t tripoli_ly = *g.IndexOf("city:2210247");
  const uint32_t lebanon = *g.IndexOf("country:LB");
  std::vector<Mention> mentions = {{{0, 6}, {tripoli_lb, tripoli_ly}}, {{10, 14}, {lebanon}}};
  Resolution r = Resolve(g, mentions);
  ASSERT_EQ(r.entities.size(), 2u);
  EXPECT_EQ(r.entities[0].entity, tripoli_lb);
  // Order of candidates does not matter.
  mentions[0].candidates = {tripoli_ly, tripoli_lb};
  EXPECT_EQ(Resolve(g, mentions).entities[0].entity, tripoli_lb);
  EXPECT_TRUE(Resolve(g, {}).entities.empty());
}

}  // namespace
}  // namespace markaz::gazetteer
