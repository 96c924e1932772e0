// The matcher: clitics in both directions, word boundaries, case-sensitive aliases, overlaps,
// spans into the original, the compiled-database cache, and rebuilding for the watchlist.
#include "gazetteer/matcher.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "testutil/temp_dir.h"
#include "text/normalize.h"

namespace markaz::gazetteer {
namespace {

constexpr const char* kEntities =
    "country:IQ\tcountry\t33\t44\t\tIQ\ten=Iraq|ar=العراق\n"
    "country:RU\tcountry\t60\t100\t\tRU\ten=Russia|ar=روسيا\n"
    "country:EG\tcountry\t27\t30\t\tEG\ten=Egypt|ar=مصر\n"
    "country:LB\tcountry\t33.8\t35.8\t\tLB\ten=Lebanon|ar=لبنان\n"
    "country:FR\tcountry\t46\t2\t\tFR\ten=France|ar=فرنسا\n"
    "country:DE\tcountry\t51\t9\t\tDE\ten=Germany|ar=ألمانيا\n"
    "city:98182\tcity\t33.34058\t44.40088\t7216000\tIQ\ten=Baghdad|ar=بغداد\n"
    "city:kirkuk\tcity\t35.47\t44.39\t\tIQ\ten=Kirkuk|ar=كركوك\n"
    "city:oran\tcity\t35.69\t-0.63\t\tDZ\ten=Oran|ar=وهران\n"
    "city:djenne\tcity\t13.9\t-4.55\t22382\tML\ten=Djenné|fa=جنه\n"
    "city:266826\tcity\t34.43667\t35.84972\t229398\tLB\ten=Tripoli\n"
    "city:2210247\tcity\t32.88743\t13.18733\t1150989\tLY\ten=Tripoli\n"
    "org:abc\torganisation\t\t\t\t\ten=A B\n"
    "org:bcd\torganisation\t\t\t\t\ten=B C\n"
    "org:hran\torganisation\t\t\t\t\ten=Hran\n"
    "group:islamic-state\tarmed_group\t\t\t\t\ten=Islamic State\n"
    "country:OM\tcountry\t21\t57\t\tOM\ten=Oman\n"
    "city:250441\tcity\t31.95522\t35.94503\t1275857\tJO\ten=Amman\n";
constexpr const char* kAliases =
    "العراق\tcountry:IQ\tar\t\nIraq\tcountry:IQ\ten\t\nالعراقي\tcountry:IQ\tar\t\n"
    "روسيا\tcountry:RU\tar\t\nمصر\tcountry:EG\tar\t\nلبنان\tcountry:LB\tar\t\n"
    "فرنسا\tcountry:FR\tar\t\nألمانيا\tcountry:DE\tar\t\n"
    "بغداد\tcity:98182\tar\t\nكركوك\tcity:kirkuk\tar\t\nوهران\tcity:oran\tar\t\n"
    "هران\torg:hran\tar\t\nجنه\tcity:djenne\tfa\t\n"
    "طرابلس\tcity:266826\tar\t\nطرابلس\tcity:2210247\tar\t\n"
    "Tripoli\tcity:266826\ten\t\nTripoli\tcity:2210247\ten\t\n"
    "Alpha Beta\torg:abc\ten\t\nBeta Gamma\torg:bcd\ten\t\n"
    "تنظيم الدولة\tgroup:islamic-state\tar\t\n"
    "الدولة الإسلامية\tgroup:islamic-state\tar\t\n"
    "تنظيم الدولة الإسلامية\tgroup:islamic-state\tar\t\n"
    "داعش\tgroup:islamic-state\tar\t\n"
    "IS\tgroup:islamic-state\ten\tcs\nISIS\tgroup:islamic-state\ten\t\n"
    "عمان\tcountry:OM\tar\t\nعمان\tcity:250441\tur\t\nعمّان\tcity:250441\tar\t\n";

std::shared_ptr<const Gazetteer> TestGazetteer() {
  static const std::shared_ptr<const Gazetteer> g = [] {
    auto parsed = Gazetteer::Parse(kEntities, kAliases);
    EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
    return parsed.ok() ? *parsed : nullptr;
  }();
  return g;
}

std::shared_ptr<const Matcher> TestMatcher() {
  static const std::shared_ptr<const Matcher> m = [] {
    auto built = Matcher::Build(TestGazetteer(), "");
    EXPECT_TRUE(built.ok()) << built.status().ToString();
    return built.ok() ? *built : nullptr;
  }();
  return m;
}

std::vector<Mention> MatchText(const Matcher& m, std::string_view text) {
  return m.Match(text::Normalize(text), text);
}

// "id=slice" per mention, candidates joined with '|', for readable comparisons.
std::vector<std::string> Describe(const Matcher& m, std::string_view text) {
  std::vector<std::string> out;
  for (const Mention& mention : MatchText(m, text)) {
    std::string ids;
    for (uint32_t c : mention.candidates) {
      if (!ids.empty()) ids += '|';
      ids += m.gazetteer().entities()[c].id;
    }
    out.push_back(ids + "=" + std::string(text::SliceCodePoints(text, mention.span)));
  }
  return out;
}

using Want = std::vector<std::string>;

TEST(Matcher, CliticsAndWordBoundaries) {
  auto m = TestMatcher();
  ASSERT_NE(m, nullptr);
  static const struct {
    const char* text;
    Want want;
  } kCases[] = {
      // Proclitics attach to a name; the span is the name without them.
      {"روسيا", {"country:RU=روسيا"}},
      {"وروسيا", {"country:RU=روسيا"}},
      {"فروسيا", {"country:RU=روسيا"}},
      {"ولروسيا", {"country:RU=روسيا"}},
      {"ببغداد", {"city:98182=بغداد"}},
      {"وببغداد", {"city:98182=بغداد"}},
      {"كبغداد", {"city:98182=بغداد"}},
      {"والعراق", {"country:IQ=العراق"}},
      {"بالعراق", {"country:IQ=العراق"}},
      {"وبالعراق", {"country:IQ=العراق"}},
      {"فالعراق", {"country:IQ=العراق"}},
      {"كالعراق", {"country:IQ=العراق"}},
      {"فبالعراق", {"country:IQ=العراق"}},
      {"وكالعراق", {"country:IQ=العراق"}},
      {"والعراقي", {"country:IQ=العراقي"}},
      // ل + ال contracts to لل; the span starts at the article's lam (only the preposition
      // is left out).
      {"للعراق", {"country:IQ=لعراق"}},
      {"وللعراق", {"country:IQ=لعراق"}},
      {"فللعراق", {"country:IQ=لعراق"}},
      {"لالعراق", {}},
      // A name whose first letter looks like a clitic is matched whole, and takes clitics too.
      {"لبنان", {"country:LB=لبنان"}},
      {"للبنان", {"country:LB=لبنان"}},
      {"ولبنان", {"country:LB=لبنان"}},
      {"فرنسا", {"country:FR=فرنسا"}},
      {"وفرنسا", {"country:FR=فرنسا"}},
      {"بفرنسا", {"country:FR=فرنسا"}},
      {"كركوك", {"city:kirkuk=كركوك"}},
      {"وكركوك", {"city:kirkuk=كركوك"}},
      // ألمانيا normalises to "المانيا" but has no article: ل attaches without contracting.
      {"ألمانيا", {"country:DE=ألمانيا"}},
      {"لألمانيا", {"country:DE=ألمانيا"}},
      {"وألمانيا", {"country:DE=ألمانيا"}},
      // A name that starts with و is itself, not و + another name.
      {"وهران", {"city:oran=وهران"}},
      {"ووهران", {"city:oran=وهران"}},
      {"هران", {"org:hran=هران"}},
      // Only Arabic aliases take Arabic clitics: the Persian name of Djenné matches bare,
      // and لجنة ("committee") is not ل + جنه.
      {"جنه", {"city:djenne=جنه"}},
      {"جنة", {"city:djenne=جنة"}},
      {"لجنة", {}},
      // Whole words only.
      {"مصر", {"country:EG=مصر"}},
      {"مصرف", {}},
      {"المصري", {}},
      {"بمصر", {"country:EG=مصر"}},
      {"مصر2", {}},
      {"(مصر)", {"country:EG=مصر"}},
      {"«مصر»،", {"country:EG=مصر"}},
      {"Iraq's army", {"country:IQ=Iraq"}},
      {"Iraqi", {}},
      {"IRAQ", {"country:IQ=IRAQ"}},
      {"Ирак Iraq", {"country:IQ=Iraq"}},
  };
  for (const auto& c : kCases) EXPECT_EQ(Describe(*m, c.text), c.want) << c.text;
}

TEST(Matcher, CaseSensitiveAliasesNeedTheirExactForm) {
  auto m = TestMatcher();
  ASSERT_NE(m, nullptr);
  static const struct {
    const char* text;
    Want want;
  } kCases[] = {
      {"this is it", {}},
      {"Is it?", {}},
      {"IS fighters", {"group:islamic-state=IS"}},
      {"(IS)", {"group:islamic-state=IS"}},
      {"ISIS fighters", {"group:islamic-state=ISIS"}},
      {"isis", {"group:islamic-state=isis"}},  // ISIS is not case-sensitive
      {"ISLAND", {}},
  };
  for (const auto& c : kCases) EXPECT_EQ(Describe(*m, c.text), c.want) << c.text;
}

TEST(Matcher, MultiWordAliasesAndOverlaps) {
  auto m = TestMatcher();
  ASSERT_NE(m, nullptr);
  static const struct {
    const char* text;
    Want want;
  } kCases[] = {
      {"تنظيم الدولة", {"group:islamic-state=تنظيم الدولة"}},
      {"تنظيم\nالدولة", {"group:islamic-state=تنظيم\nالدولة"}},
      {"تنظيم \n\t الدولة", {"group:islamic-state=تنظيم \n\t الدولة"}},
      {"وتنظيم الدولة", {"group:islamic-state=تنظيم الدولة"}},
      // The longest match wins; a match inside it is dropped.
      {"تنظيم الدولة الإسلامية", {"group:islamic-state=تنظيم الدولة الإسلامية"}},
      {"الدولة الإسلامية", {"group:islamic-state=الدولة الإسلامية"}},
      {"للدولة الإسلامية", {"group:islamic-state=لدولة الإسلامية"}},
      {"تنظيم الدولة الإسلامية وداعش",
       {"group:islamic-state=تنظيم الدولة الإسلامية", "group:islamic-state=داعش"}},
      // Equal lengths overlapping: the earlier wins.
      {"Alpha Beta Gamma", {"org:abc=Alpha Beta"}},
      {"Beta Gamma", {"org:bcd=Beta Gamma"}},
      // An ambiguous alias keeps every candidate.
      {"Tripoli", {"city:266826|city:2210247=Tripoli"}},
      {"بطرابلس", {"city:266826|city:2210247=طرابلس"}},
      // Homographs: marks written in the text pick the aliases written with them.
      {"عمان", {"country:OM|city:250441=عمان"}},
      {"عمّان", {"city:250441=عمّان"}},
      {"وعمَّان", {"city:250441=عمَّان"}},
      {"عُمان", {"country:OM|city:250441=عُمان"}},
  };
  for (const auto& c : kCases) EXPECT_EQ(Describe(*m, c.text), c.want) << c.text;
}

TEST(Matcher, SpansPointIntoTheOriginal) {
  auto m = TestMatcher();
  ASSERT_NE(m, nullptr);
  static const struct {
    const char* text;
    Want want;
  } kCases[] = {
      {"بَغْدَاد", {"city:98182=بَغْدَاد"}},     {"بغـــداد", {"city:98182=بغـــداد"}},
      {"وَبِبَغْدَادَ", {"city:98182=بَغْدَادَ"}},   {"بغدادـ", {"city:98182=بغدادـ"}},
      {"في بغداد.", {"city:98182=بغداد"}}, {"Über IRAQ", {"country:IQ=IRAQ"}},
      {"ﻣﺼﺮ", {"country:EG=ﻣﺼﺮ"}},  // presentation forms
      {"وَالْعِرَاقِ", {"country:IQ=الْعِرَاقِ"}},
  };
  for (const auto& c : kCases) EXPECT_EQ(Describe(*m, c.text), c.want) << c.text;

  // Offsets are code points of the whole text.
  const std::string text = "انفجار في بغداد وروسيا";
  const std::vector<Mention> found = MatchText(*m, text);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].span, (text::Span{10, 15}));
  EXPECT_EQ(found[1].span, (text::Span{17, 22}));
}

TEST(Matcher, EmptyTextsAndGazetteers) {
  auto m = TestMatcher();
  ASSERT_NE(m, nullptr);
  EXPECT_TRUE(MatchText(*m, "").empty());
  EXPECT_TRUE(MatchText(*m, "   ").empty());
  auto empty = Gazetteer::Parse("", "");
  ASSERT_TRUE(empty.ok());
  auto none = Matcher::Build(*empty, "");
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_TRUE(MatchText(**none, "بغداد").empty());
}

TEST(Matcher, SafeToShareBetweenThreads) {
  auto m = TestMatcher();
  ASSERT_NE(m, nullptr);
  const std::string text = "وروسيا والعراق ببغداد للعراق IS داعش";
  const Want want = Describe(*m, text);
  ASSERT_EQ(want.size(), 6u);
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        if (Describe(*m, text) != want) ++wrong;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(wrong, 0);
}

// A gazetteer big enough that compiling it takes measurable time.
std::shared_ptr<const Gazetteer> LargeGazetteer() {
  std::string entities, aliases;
  const char* letters[] = {"ب", "ت", "ث", "ج", "ح", "خ", "د", "ر",
                           "ز", "س", "ش", "ص", "ط", "ع", "ق", "م"};
  for (int i = 0; i < 12000; ++i) {
    const std::string id = "org:n" + std::to_string(i);
    entities += id + "\torganisation\t\t\t\t\ten=N" + std::to_string(i) + "\n";
    std::string ar;
    for (int k = i, d = 0; d < 5; ++d, k /= 16) ar += letters[k % 16];
    aliases += ar + "\t" + id + "\tar\t\n";
    aliases += "name" + std::to_string(i) + " org\t" + id + "\ten\t\n";
  }
  entities += std::string(kEntities);
  aliases += std::string(kAliases);
  auto g = Gazetteer::Parse(entities, aliases);
  EXPECT_TRUE(g.ok()) << g.status().ToString();
  return g.ok() ? *g : nullptr;
}

std::vector<std::filesystem::path> CacheFiles(const std::string& dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir)) files.push_back(e.path());
  return files;
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

TEST(MatcherCache, SecondBuildLoadsTheCompiledDatabase) {
  testutil::TempDir dir;
  auto g = LargeGazetteer();
  ASSERT_NE(g, nullptr);
  const std::string text = "وروسيا والعراق ببغداد للعراق name17 org IS داعش";

  auto t0 = std::chrono::steady_clock::now();
  auto first = Matcher::Build(g, dir.path());
  const double compiled = Seconds(t0);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  const std::vector<std::filesystem::path> files = CacheFiles(dir.path());
  ASSERT_EQ(files.size(), 1u);
  const std::string name = files[0].filename().string();
  EXPECT_TRUE(name.starts_with("gazetteer-" + g->Fingerprint() + "-")) << name;
  EXPECT_TRUE(name.ends_with(".hsdb")) << name;

  t0 = std::chrono::steady_clock::now();
  auto second = Matcher::Build(g, dir.path());
  const double cached = Seconds(t0);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  std::cout << "  compiled " << compiled << " s, cached " << cached << " s\n";
  EXPECT_LT(cached * 3, compiled);
  EXPECT_EQ(Describe(**second, text), Describe(**first, text));
  EXPECT_EQ(Describe(**second, text).size(), 7u);
}

TEST(MatcherCache, DamagedCacheFilesAreReplaced) {
  testutil::TempDir dir;
  auto g = TestGazetteer();
  ASSERT_NE(g, nullptr);
  const std::string text = "وروسيا والعراق ببغداد للعراق IS داعش";
  auto built = Matcher::Build(g, dir.path());
  ASSERT_TRUE(built.ok());
  const Want want = Describe(**built, text);
  const std::filesystem::path file = CacheFiles(dir.path()).at(0);
  const std::string good = testutil::ReadFile(file.string());
  ASSERT_GT(good.size(), 100u);

  std::string flipped = good;
  flipped[flipped.size() / 2] = static_cast<char>(flipped[flipped.size() / 2] ^ 0x5a);
  std::string foreign = good;
  foreign[12] = static_cast<char>(foreign[12] ^ 1);  // the header's literal count
  const std::string damaged[] = {"",      "garbage", good.substr(0, good.size() / 2),
                                 flipped, foreign,   good + "x"};
  for (const std::string& content : damaged) {
    testutil::WriteFile(file.string(), content);
    auto rebuilt = Matcher::Build(g, dir.path());
    ASSERT_TRUE(rebuilt.ok()) << rebuilt.status().ToString();
    EXPECT_EQ(Describe(**rebuilt, text), want);
    EXPECT_EQ(testutil::ReadFile(file.string()), good);  // rewritten
  }
  EXPECT_EQ(CacheFiles(dir.path()).size(), 1u);  // no temporary files left behind
}

TEST(MatcherCache, UnwritableCacheDirectoryIsNotAnError) {
  auto built = Matcher::Build(TestGazetteer(), "/proc/markaz-no-such-dir");
  ASSERT_TRUE(built.ok()) << built.status().ToString();
  EXPECT_EQ(Describe(**built, "ببغداد"), Want{"city:98182=بغداد"});
}

// The watchlist: With + Build gives a new matcher that finds the new alias, while the old
// one, still in use by other threads, keeps working unchanged.
TEST(MatcherRebuild, NewMatcherFindsTheNewAliasAndTheOldOneStillWorks) {
  testutil::TempDir dir;
  auto old_matcher = Matcher::Build(TestGazetteer(), dir.path());
  ASSERT_TRUE(old_matcher.ok());
  std::shared_ptr<const Matcher> current = *old_matcher;
  const std::string text = "اشتباكات في الموصل وبغداد";
  ASSERT_EQ(Describe(*current, text), Want{"city:98182=بغداد"});

  std::atomic<bool> stop{false};
  std::atomic<int> scans{0}, wrong{0};
  std::thread reader([&, old = current] {
    while (!stop || scans < 10) {
      if (Describe(*old, text) != Want{"city:98182=بغداد"}) ++wrong;
      ++scans;
    }
  });

  Entity mosul;
  mosul.id = "city:mosul";
  mosul.kind = EntityKind::kCity;
  mosul.names = {{"en", "Mosul"}, {"ar", "الموصل"}};
  mosul.location = core::GeoPoint{36.34, 43.13};
  mosul.country = "IQ";
  Alias alias;
  alias.text = "الموصل";
  alias.lang = "ar";
  alias.entity_id = "city:mosul";
  auto extended = current->gazetteer().With({mosul}, {alias});
  ASSERT_TRUE(extended.ok()) << extended.status().ToString();
  auto rebuilt = Matcher::Build(*extended, dir.path());
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.status().ToString();
  std::shared_ptr<const Matcher> next = *rebuilt;
  EXPECT_EQ(Describe(*next, text), (Want{"city:mosul=الموصل", "city:98182=بغداد"}));
  EXPECT_EQ(Describe(*next, "للموصل"), Want{"city:mosul=لموصل"});
  current = next;  // the caller's swap
  stop = true;
  reader.join();
  EXPECT_EQ(wrong, 0);
  EXPECT_EQ(Describe(**old_matcher, text), Want{"city:98182=بغداد"});
  EXPECT_EQ(CacheFiles(dir.path()).size(), 2u);
}

}  // namespace
}  // namespace markaz::gazetteer
