// Tests for synth/generator.h and synth/lexicon.h: reproducible output, the shape of every line,
// body sizes, and a ground truth that the text bears out (similarities, entity mentions).
#include "synth/generator.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/time.h"
#include "synth/lexicon.h"

namespace markaz::synth {
namespace {

using nlohmann::json;

// The string value of "key" in a line as the generator writes it, unescaped. A shortcut past a
// full JSON parse for the tests that only read the text (nlohmann's parser takes most of a Debug
// run); EveryLineIsAReport parses every line in full and checks that the two agree. Safe on
// any JSON: inside a string every '"' is escaped, so "key":" cannot occur there.
std::string StringField(std::string_view line, std::string_view key) {
  const std::string open = "\"" + std::string(key) + "\":\"";
  std::size_t i = line.find(open);
  if (i == std::string_view::npos) return "";
  std::string out;
  for (i += open.size(); i < line.size() && line[i] != '"'; ++i) {
    if (line[i] != '\\') {
      out.push_back(line[i]);
      continue;
    }
    switch (line[++i]) {
      case 'n':
        out.push_back('\n');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'b':
        out.push_back('\b');
        break;
      case 'f':
        out.push_back('\f');
        break;
      case 'u':  // the generator escapes only control characters this way
        out.push_back(
            static_cast<char>(std::stoi(std::string(line.substr(i + 1, 4)), nullptr, 16)));
        i += 4;
        break;
      default:  // " \ /
        out.push_back(line[i]);
        break;
    }
  }
  return out;
}

struct Item {
  std::string line;
  GroundTruth truth;
  std::string title;
  std::string body;
};

std::vector<Item> Generate(GenOptions options) {
  core::Result<Generator> gen = Generator::Create(std::move(options));
  EXPECT_TRUE(gen.ok()) << gen.status().ToString();
  std::vector<Item> items;
  if (!gen.ok()) return items;
  Item item;
  while (gen->Next(&item.line, &item.truth)) {
    item.title = StringField(item.line, "title");
    item.body = StringField(item.line, "body");
    items.push_back(item);
  }
  return items;
}

GenOptions Options(std::uint64_t seed, std::size_t count) {
  GenOptions o;
  o.seed = seed;
  o.count = count;
  return o;
}

// One corpus of 2000 reports, shared by the tests that only read it.
const std::vector<Item>& Corpus() {
  static const std::vector<Item>* corpus = new std::vector<Item>(Generate(Options(20151011, 2000)));
  return *corpus;
}

// Text analysis for the checks below. Written over raw bytes and sorted vectors rather than
// string_view helpers and hash sets: the test runs in Debug builds, where those are not inlined
// and would make it take seconds.

// Whether the bytes at p (before end) start with a punctuation mark, and how long it is.
std::size_t PunctAt(const char* p, const char* end) {
  static const auto* ascii = [] {
    auto* t = new std::array<bool, 256>{};
    for (char c : std::string_view(".,;:!?()\"-%'")) (*t)[static_cast<unsigned char>(c)] = true;
    return t;
  }();
  const auto c = static_cast<unsigned char>(*p);
  if ((*ascii)[c]) return 1;
  if (c < 0x80 || end - p < 2) return 0;
  // The two-byte marks: ، ؛ « » and the non-breaking space.
  static constexpr char kMulti[][3] = {"\xD8\x8C", "\xD8\x9B", "\xC2\xAB", "\xC2\xBB", "\xC2\xA0"};
  for (const char* m : kMulti) {
    if (p[0] == m[0] && p[1] == m[1]) return 2;
  }
  return 0;
}

// Words of a text: split at white space, the non-breaking space and the apostrophe (French
// elision: "l'Irak" is "l" "Irak"); punctuation stripped from both ends; empty words dropped.
std::vector<std::string_view> Words(std::string_view text) {
  std::vector<std::string_view> words;
  const char* p = text.data();
  const char* const end = p + text.size();
  while (p < end) {
    // Skip separators and leading punctuation.
    while (p < end) {
      std::size_t skip = (*p == ' ' || *p == '\n') ? 1 : PunctAt(p, end);
      if (skip == 0) break;
      p += skip;
    }
    const char* w = p;
    while (p < end && *p != ' ' && *p != '\n' && *p != '\'' &&
           !(p + 1 < end && p[0] == '\xC2' && p[1] == '\xA0')) {
      ++p;
    }
    // Trailing punctuation: a single-byte mark, or one of the two-byte ones.
    const char* e = p;
    for (bool stripped = true; stripped && e > w;) {
      stripped = false;
      if (PunctAt(e - 1, end) == 1) {
        --e;
        stripped = true;
      } else if (e - w >= 2 && PunctAt(e - 2, end) == 2) {
        e -= 2;
        stripped = true;
      }
    }
    if (e > w) words.emplace_back(w, static_cast<std::size_t>(e - w));
  }
  return words;
}

std::uint64_t Fnv1a(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const char* p = s.data(); p < s.data() + s.size(); ++p) {
    h ^= static_cast<unsigned char>(*p);
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::uint64_t Extend(std::uint64_t h, std::uint64_t word) {
  return (h ^ word) * 0x9e3779b97f4a7c15ULL + 1;
}

std::vector<std::uint64_t> WordHashes(std::string_view text) {
  std::vector<std::uint64_t> out;
  for (std::string_view w : Words(text)) out.push_back(Fnv1a(w));
  return out;
}

// Word 5-shingles, hashed to 64 bits (collisions are negligible at these sizes); sorted, unique.
using Shingles = std::vector<std::uint64_t>;

Shingles ShinglesOf(std::string_view text) {
  std::vector<std::uint64_t> w = WordHashes(text);
  Shingles out;
  for (std::size_t i = 0; i + 5 <= w.size(); ++i) {
    std::uint64_t h = 0;
    for (std::size_t k = 0; k < 5; ++k) h = Extend(h, w[i + k]);
    out.push_back(h);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::size_t Common(const Shingles& a, const Shingles& b) {
  std::size_t n = 0;
  const std::uint64_t *p = a.data(), *pe = p + a.size(), *q = b.data(), *qe = q + b.size();
  while (p < pe && q < qe) {
    if (*p < *q) {
      ++p;
    } else if (*q < *p) {
      ++q;
    } else {
      ++n, ++p, ++q;
    }
  }
  return n;
}

double Jaccard(const Shingles& a, const Shingles& b) {
  std::size_t common = Common(a, b);
  return static_cast<double>(common) / static_cast<double>(a.size() + b.size() - common);
}

double Containment(const Shingles& part, const Shingles& whole) {
  return static_cast<double>(Common(part, whole)) / static_cast<double>(part.size());
}

bool StartsWith(std::string_view s, std::string_view p) { return s.starts_with(p); }

// SurfaceForms, computed once per entity.
const std::vector<std::string>& Forms(const Entity& e) {
  static auto* cache = new std::map<const Entity*, std::vector<std::string>>();
  auto it = cache->find(&e);
  if (it == cache->end()) it = cache->emplace(&e, SurfaceForms(e)).first;
  return it->second;
}

// Does `text` name `e` by one of its surface forms, an Arabic clitic allowed (للعراق)?
// A substring test, for short texts.
bool Mentions(std::string_view text, const Entity& e) {
  for (const std::string& f : Forms(e)) {
    if (text.find(f) != std::string_view::npos) return true;
    if (StartsWith(f, "ال") && text.find("ل" + f.substr(2)) != std::string_view::npos) return true;
  }
  return false;
}

// Every name of every entity as whole words: the hash of its words, bare and with each Arabic
// clitic on the first word (وبغداد, ببغداد, لبغداد, فبغداد; ل + ال written لل), sorted by hash.
struct NameIndex {
  std::vector<std::pair<std::uint64_t, const Entity*>> names;
  std::vector<std::uint64_t> first_words;  // sorted: where a name may start
  std::size_t max_words = 0;
};

const NameIndex& Names() {
  static const NameIndex* index = [] {
    auto* x = new NameIndex;
    for (const Entity& e : Entities()) {
      for (const std::string& f : Forms(e)) {
        std::vector<std::string_view> words = Words(f);
        // A French form with its article or preposition is the bare name as whole words
        // ("de l'Irak" holds "Irak"); only "Le Caire" changes ("au Caire"), so match "Caire".
        static constexpr std::string_view kFrLeading[] = {
            "Le", "le", "la", "les", "l", "de", "du", "des", "d", "en", "au", "aux", "à"};
        while (words.size() > 1 && std::find(std::begin(kFrLeading), std::end(kFrLeading),
                                             words[0]) != std::end(kFrLeading)) {
          words.erase(words.begin());
        }
        x->max_words = std::max(x->max_words, words.size());
        std::vector<std::string> firsts = {std::string(words[0])};
        for (std::string_view clitic : {"و", "ب", "ل", "ف"}) {
          firsts.push_back(std::string(clitic) + std::string(words[0]));
        }
        if (StartsWith(words[0], "ال")) firsts.push_back("ل" + std::string(words[0].substr(2)));
        for (const std::string& first : firsts) {
          std::uint64_t h = Extend(0, Fnv1a(first));
          for (std::size_t i = 1; i < words.size(); ++i) h = Extend(h, Fnv1a(words[i]));
          x->names.emplace_back(h, &e);
          x->first_words.push_back(Fnv1a(first));
        }
      }
    }
    std::sort(x->names.begin(), x->names.end());
    std::sort(x->first_words.begin(), x->first_words.end());
    return x;
  }();
  return *index;
}

// Ids of the entities named in `text` as whole words (an Arabic clitic allowed); sorted, unique.
std::vector<std::string> NamedAsWords(std::string_view text) {
  const NameIndex& index = Names();
  std::vector<std::uint64_t> w = WordHashes(text);
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < w.size(); ++i) {
    if (!std::binary_search(index.first_words.begin(), index.first_words.end(), w[i])) continue;
    std::uint64_t h = 0;
    for (std::size_t n = 0; n < index.max_words && i + n < w.size(); ++n) {
      h = Extend(h, w[i + n]);
      auto it = std::lower_bound(index.names.begin(), index.names.end(),
                                 std::make_pair(h, static_cast<const Entity*>(nullptr)));
      for (; it != index.names.end() && it->first == h; ++it) ids.emplace_back(it->second->id);
    }
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

TEST(Lexicon, IsWellFormed) {
  core::Status s = CheckLexicon();
  EXPECT_TRUE(s.ok()) << s.ToString();
}

TEST(Lexicon, HasEnoughPlacesAndOrganisations) {
  int places = 0, orgs = 0;
  for (const Entity& e : Entities()) {
    bool place = e.kind == EntityKind::kCountry || e.kind == EntityKind::kCity;
    (place ? places : orgs)++;
    EXPECT_EQ(e.id.substr(0, place ? 6 : 4), place ? "place:" : "org:") << e.id;
    if (place) {
      EXPECT_TRUE(e.lat >= -90 && e.lat <= 90 && e.lon >= -180 && e.lon <= 180) << e.id;
      EXPECT_FALSE(e.lat == 0 && e.lon == 0) << e.id;
    }
  }
  EXPECT_GE(places, 40);
  EXPECT_GE(orgs, 10);
  const Entity* isis = FindEntity("org:isis");
  ASSERT_NE(isis, nullptr);
  std::vector<std::string> forms = SurfaceForms(*isis);
  for (std::string_view alias : {"داعش", "تنظيم الدولة", "ISIS", "ISIL", "Daesh", "ИГИЛ"}) {
    EXPECT_NE(std::find(forms.begin(), forms.end(), alias), forms.end()) << alias;
  }
  EXPECT_EQ(FindEntity("place:atlantis"), nullptr);
}

// Every template, rendered many times with many bindings, leaves no template syntax behind and
// no doubled or misplaced spaces.
TEST(Lexicon, TemplatesRenderCleanly) {
  std::mt19937_64 rng(3);
  std::vector<const Entity*> by_kind[4];
  for (const Entity& e : Entities()) by_kind[static_cast<int>(e.kind)].push_back(&e);
  auto pick = [&](EntityKind k) {
    auto& v = by_kind[static_cast<int>(k)];
    return v[UniformBelow(rng, v.size())];
  };
  for (int l = 0; l < kLangCount; ++l) {
    const LangPack& pack = Pack(static_cast<Lang>(l));
    std::vector<std::string_view> all;
    for (const Template& t : pack.titles) all.push_back(t.text);
    for (const Template& t : pack.leads) all.push_back(t.text);
    all.insert(all.end(), pack.body.begin(), pack.body.end());
    all.insert(all.end(), pack.closings.begin(), pack.closings.end());
    for (std::string_view t : all) {
      for (int round = 0; round < 20; ++round) {
        Bindings b;
        b.t1 = pick(EntityKind::kCity);
        b.t2 = pick(EntityKind::kCity);
        b.c1 = pick(EntityKind::kCountry);
        b.c2 = pick(EntityKind::kCountry);
        b.c3 = pick(EntityKind::kCountry);
        b.g1 = pick(EntityKind::kGroup);
        b.i1 = pick(EntityKind::kInstitution);
        b.i2 = pick(EntityKind::kInstitution);
        b.n1 = 3 + static_cast<int>(UniformBelow(rng, 58));
        b.n2 = 10 * (10 + static_cast<int>(UniformBelow(rng, 891)));
        b.n3 = 3 + static_cast<int>(UniformBelow(rng, 8));
        b.weekday = static_cast<int>(UniformBelow(rng, 7));
        std::string out;
        std::vector<const Entity*> named;
        Render(t, pack, b, rng, &out, &named);
        SCOPED_TRACE(out);
        EXPECT_EQ(out.find_first_of("[]{}|"), std::string::npos);
        EXPECT_EQ(out.find("  "), std::string::npos);
        EXPECT_EQ(out.find(" ,"), std::string::npos);
        EXPECT_EQ(out.find(" ."), std::string::npos);
        EXPECT_NE(out.front(), ' ');
        EXPECT_NE(out.back(), ' ');
        for (const Entity* e : named) EXPECT_TRUE(Mentions(out, *e)) << e->id;
      }
    }
  }
}

TEST(Lexicon, ArabicClitics) {
  const Entity* iraq = FindEntity("place:iraq");
  const Entity* isis = FindEntity("org:isis");
  Bindings b;
  b.c1 = iraq;
  b.g1 = isis;
  std::mt19937_64 rng(1);
  struct Case {
    std::string_view tmpl;
    std::set<std::string> expected;  // any of these
  } cases[] = {
      {"{C1.li}", {"للعراق"}},
      {"{C1.bi}", {"بالعراق"}},
      {"{C1.wa}", {"والعراق"}},
      {"{G1.li}", {"لداعش", "لتنظيم الدولة", "للدولة الإسلامية"}},
  };
  const LangPack& ar = Pack(Lang::kAr);
  for (const auto& c : cases) {
    for (int i = 0; i < 10; ++i) {
      std::string out;
      std::vector<const Entity*> named;
      Render(c.tmpl, ar, b, rng, &out, &named);
      EXPECT_TRUE(c.expected.count(out)) << c.tmpl << " gave " << out;
    }
  }
}

TEST(Lexicon, FrenchAndRussianForms) {
  std::mt19937_64 rng(1);
  struct Case {
    Lang lang;
    std::string_view tmpl;
    std::string_view entity;
    std::string_view expected;
  } cases[] = {
      {Lang::kFr, "{C1.the}", "place:iraq", "L'Irak"},  // capitalised: it opens the "sentence"
      {Lang::kFr, "- {C1.in}", "place:iraq", "- en Irak"},
      {Lang::kFr, "- {C1.of}", "place:lebanon", "- du Liban"},
      {Lang::kFr, "- {C1.to}", "place:united-states", "- aux États-Unis"},
      {Lang::kFr, "- {C1.of}", "place:syria", "- de la Syrie"},
      {Lang::kFr, "- {T1.of}", "place:aleppo", "- d'Alep"},
      {Lang::kFr, "- {T1.in}", "place:cairo", "- au Caire"},
      {Lang::kFr, "- {T1.of}", "place:cairo", "- du Caire"},
      {Lang::kRu, "{C1.in}", "place:france", "во Франции"},
      {Lang::kRu, "{C1.in}", "place:united-kingdom", "в Великобритании"},
      {Lang::kRu, "{C1.gen}", "place:iraq", "Ирака"},
      {Lang::kEn, "{C1} x", "place:united-states", "The United States x"},
      {Lang::kFa, "{N1}", "place:iraq", "۴۲"},
  };
  for (const auto& c : cases) {
    Bindings b;
    b.c1 = b.t1 = FindEntity(c.entity);
    ASSERT_NE(b.c1, nullptr);
    b.n1 = 42;
    std::string out;
    std::vector<const Entity*> named;
    Render(c.tmpl, Pack(c.lang), b, rng, &out, &named);
    EXPECT_EQ(out, c.expected) << c.tmpl;
  }
}

TEST(Lexicon, CountedNounsAgree) {
  std::mt19937_64 rng(1);
  struct Case {
    Lang lang;
    int n;
    std::string_view expected;
  } cases[] = {
      {Lang::kRu, 21, "21 человек"}, {Lang::kRu, 3, "3 человека"},  {Lang::kRu, 12, "12 человек"},
      {Lang::kRu, 5, "5 человек"},   {Lang::kAr, 5, "5 أشخاص"},     {Lang::kAr, 15, "15 شخصا"},
      {Lang::kAr, 300, "300 شخص"},   {Lang::kAr, 310, "310 أشخاص"},
  };
  for (const auto& c : cases) {
    Bindings b;
    b.n1 = c.n;
    std::string out;
    std::vector<const Entity*> named;
    std::string_view tmpl =
        c.lang == Lang::kRu ? "{N1|человек|человека|человек}" : "{N1|أشخاص|شخصا|شخص}";
    Render(tmpl, Pack(c.lang), b, rng, &out, &named);
    EXPECT_EQ(out, c.expected);
  }
}

TEST(GroundTruth, ToJsonLine) {
  GroundTruth t;
  t.external_id = "syn-1-0";
  t.lang = "ar";
  t.entities = {"org:isis", "place:baghdad"};
  EXPECT_EQ(t.ToJsonLine(), R"({"external_id":"syn-1-0","kind":"original","of":null,"lang":"ar",)"
                            R"("entities":["org:isis","place:baghdad"]})");
  t.kind = DupKind::kExcerpt;
  t.of = "syn-1-7";
  t.entities.clear();
  EXPECT_EQ(t.ToJsonLine(),
            R"({"external_id":"syn-1-0","kind":"excerpt","of":"syn-1-7","lang":"ar",)"
            R"("entities":[]})");
}

TEST(Generator, RefusesBadOptions) {
  GenOptions o = Options(1, 10);
  o.langs = {};
  EXPECT_EQ(Generator::Create(o).status().code(), core::Code::kInvalidArgument);
  o.langs = {"en", "de"};
  core::Result<Generator> gen = Generator::Create(o);
  EXPECT_EQ(gen.status().code(), core::Code::kInvalidArgument);
  EXPECT_EQ(gen.status().reason(), "synth_bad_options");
}

TEST(Generator, SameOptionsSameBytes) {
  std::vector<Item> a = Generate(Options(99, 300));
  std::vector<Item> b = Generate(Options(99, 300));
  ASSERT_EQ(a.size(), 300u);
  ASSERT_EQ(b.size(), 300u);
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].line, b[i].line) << i;
    EXPECT_EQ(a[i].truth.ToJsonLine(), b[i].truth.ToJsonLine()) << i;
  }
}

TEST(Generator, OtherSeedOtherText) {
  std::vector<Item> a = Generate(Options(1, 50));
  std::vector<Item> b = Generate(Options(2, 50));
  int same = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    same += a[i].body == b[i].body;
  }
  EXPECT_EQ(same, 0);
  EXPECT_EQ(a[3].truth.external_id, "syn-1-3");
  EXPECT_EQ(b[3].truth.external_id, "syn-2-3");
}

// The first lines do not depend on how many follow, except for their times (spread over the
// count), so a short run is a prefix of a long one in everything but observed_at.
TEST(Generator, CountIsRespected) {
  for (std::size_t count : {0u, 1u, 57u}) {
    core::Result<Generator> gen = Generator::Create(Options(5, count));
    ASSERT_TRUE(gen.ok());
    std::string line = "untouched";
    GroundTruth truth;
    std::size_t n = 0;
    while (gen->Next(&line, &truth)) ++n;
    EXPECT_EQ(n, count);
    EXPECT_EQ(gen->produced(), count);
    EXPECT_FALSE(gen->Next(&line, &truth));
    if (count == 0) {
      EXPECT_EQ(line, "untouched");
    }
  }
}

TEST(Generator, EveryLineIsAReport) {
  const core::Time start = GenOptions().start;
  const std::set<std::string> keys = {"title",    "body", "lang",       "source", "observed_at",
                                      "location", "tlp",  "release_to", "tags",   "external_id"};
  int located = 0;
  std::map<std::string, int> tlps;
  for (const Item& item : Corpus()) {
    const json r = json::parse(item.line, nullptr, /*allow_exceptions=*/false);
    ASSERT_TRUE(r.is_object()) << item.line;
    for (const auto& [key, value] : r.items()) EXPECT_TRUE(keys.count(key)) << key;
    ASSERT_TRUE(r["title"].is_string());
    EXPECT_FALSE(r["title"].get<std::string>().empty());
    ASSERT_TRUE(r["body"].is_string());
    EXPECT_FALSE(r["body"].get<std::string>().empty());
    EXPECT_EQ(r["title"], item.title);  // what the other tests read
    EXPECT_EQ(r["body"], item.body);
    EXPECT_EQ(r["lang"], item.truth.lang);
    const json& src = r["source"];
    ASSERT_TRUE(src.is_object());
    EXPECT_NE(src["name"].get<std::string>().find("(synthetic)"), std::string::npos);
    EXPECT_TRUE(StartsWith(src["url"].get<std::string>(), "https://synthetic.invalid/"));
    std::string rel = src["reliability"].get<std::string>();
    ASSERT_EQ(rel.size(), 1u);
    EXPECT_TRUE(rel[0] >= 'A' && rel[0] <= 'F');
    int cred = src["credibility"].get<int>();
    EXPECT_TRUE(cred >= 1 && cred <= 6);
    core::Result<core::Time> at = core::ParseRfc3339(r["observed_at"].get<std::string>());
    ASSERT_TRUE(at.ok());
    EXPECT_GE(*at, start);
    EXPECT_LT(*at, start + std::chrono::days(33));
    if (r.contains("location")) {
      ++located;
      double lat = r["location"]["lat"].get<double>(), lon = r["location"]["lon"].get<double>();
      EXPECT_TRUE(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180);
    }
    std::string tlp = r["tlp"].get<std::string>();
    EXPECT_TRUE(tlp == "clear" || tlp == "green" || tlp == "amber") << tlp;
    tlps[tlp]++;
    ASSERT_TRUE(r["release_to"].is_array());
    for (const auto& g : r["release_to"]) EXPECT_TRUE(g.is_string());
    EXPECT_EQ(r["tags"][0], "synthetic");
    EXPECT_EQ(r["external_id"], item.truth.external_id);
    EXPECT_EQ(item.truth.external_id, "syn-20151011-" + std::to_string(item.truth.index));
  }
  const double n = static_cast<double>(Corpus().size());
  EXPECT_NEAR(located / n, 0.5, 0.1);
  EXPECT_GT(tlps["amber"], tlps["clear"]);
  EXPECT_GT(tlps["green"], tlps["clear"]);
}

TEST(Generator, BodiesAverageAboutTwoKilobytes) {
  std::map<std::string, std::pair<std::size_t, std::size_t>> by_lang;  // bytes, reports
  std::size_t total = 0;
  for (const Item& item : Corpus()) {
    std::size_t bytes = item.body.size();
    total += bytes;
    by_lang[item.truth.lang].first += bytes;
    by_lang[item.truth.lang].second++;
  }
  const double average = static_cast<double>(total) / static_cast<double>(Corpus().size());
  std::printf("average body: %.0f bytes over %zu reports\n", average, Corpus().size());
  for (const auto& [lang, v] : by_lang) {
    std::printf("  %s: %.0f bytes (%zu reports)\n", lang.c_str(),
                static_cast<double>(v.first) / static_cast<double>(v.second), v.second);
  }
  EXPECT_GE(average, 1.5 * 1024);
  EXPECT_LE(average, 2.5 * 1024);
}

// The truth is borne out by the text: duplicates point back at an earlier original in the same
// language and are as similar to it as their kind says; rewrites name the same entities.
TEST(Generator, GroundTruthMatchesTheText) {
  struct Original {
    Shingles shingles;
    std::vector<std::string> entities;
    std::string lang;
    std::size_t index;
  };
  std::map<std::string, Original> originals;
  std::map<std::string, int> kinds;
  std::map<std::string, double> similarity;  // summed per kind
  double unrelated = 0;
  int unrelated_pairs = 0;
  const Original* previous_same_lang[kLangCount] = {};
  for (const Item& item : Corpus()) {
    const GroundTruth& t = item.truth;
    std::string kind(DupKindName(t.kind));
    kinds[kind]++;
    Shingles shingles = ShinglesOf(item.body);
    ASSERT_FALSE(shingles.empty());
    if (t.kind == DupKind::kOriginal) {
      EXPECT_TRUE(t.of.empty());
      Original o{shingles, t.entities, t.lang, t.index};
      auto [it, inserted] = originals.emplace(t.external_id, std::move(o));
      ASSERT_TRUE(inserted);
      int l = static_cast<int>(*ParseLang(t.lang));
      if (previous_same_lang[l] != nullptr) {
        unrelated += Jaccard(shingles, previous_same_lang[l]->shingles);
        ++unrelated_pairs;
      }
      previous_same_lang[l] = &it->second;
      continue;
    }
    auto it = originals.find(t.of);
    ASSERT_NE(it, originals.end()) << t.external_id << " refers to " << t.of;
    const Original& o = it->second;
    EXPECT_LT(o.index, t.index);
    EXPECT_LE(t.index - o.index, 4 * kWindow);
    EXPECT_EQ(o.lang, t.lang);
    switch (t.kind) {
      case DupKind::kReprint: {
        double j = Jaccard(shingles, o.shingles);
        EXPECT_GE(j, 0.9) << t.external_id;
        similarity[kind] += j;
        EXPECT_EQ(t.entities, o.entities);
        break;
      }
      case DupKind::kExcerpt: {
        double c = Containment(shingles, o.shingles);
        EXPECT_GE(c, 0.9) << t.external_id;
        similarity[kind] += Jaccard(shingles, o.shingles);
        for (const std::string& e : t.entities) {
          EXPECT_TRUE(std::binary_search(o.entities.begin(), o.entities.end(), e)) << e;
        }
        break;
      }
      case DupKind::kRewrite: {
        double j = Jaccard(shingles, o.shingles);
        EXPECT_LT(j, 0.9) << t.external_id;
        similarity[kind] += j;
        EXPECT_EQ(t.entities, o.entities) << t.external_id;
        break;
      }
      case DupKind::kOriginal:
        break;
    }
  }
  const double n = static_cast<double>(Corpus().size());
  std::printf("mix: %d originals, %d reprints, %d excerpts, %d rewrites\n", kinds["original"],
              kinds["reprint"], kinds["excerpt"], kinds["rewrite"]);
  std::printf(
      "mean Jaccard with the original: reprint %.3f, excerpt %.3f, rewrite %.3f; "
      "unrelated originals of one language %.3f\n",
      similarity["reprint"] / kinds["reprint"], similarity["excerpt"] / kinds["excerpt"],
      similarity["rewrite"] / kinds["rewrite"], unrelated / unrelated_pairs);
  EXPECT_NEAR(kinds["original"] / n, 0.65, 0.05);
  EXPECT_NEAR(kinds["reprint"] / n, 0.15, 0.04);
  EXPECT_NEAR(kinds["excerpt"] / n, 0.10, 0.04);
  EXPECT_NEAR(kinds["rewrite"] / n, 0.10, 0.04);
  EXPECT_LT(unrelated / unrelated_pairs, similarity["rewrite"] / kinds["rewrite"]);
}

// Every entity in the truth is named in title + body, as whole words (an Arabic clitic
// allowed), and no other entity is: the truth is the answer a perfect gazetteer would give.
TEST(Generator, TruthNamesExactlyTheEntitiesInTheText) {
  for (const Item& item : Corpus()) {
    EXPECT_GE(item.truth.entities.size(), 2u);
    EXPECT_EQ(NamedAsWords(item.title + "\n\n" + item.body), item.truth.entities)
        << item.truth.external_id;
  }
}

TEST(Generator, ArabicTextCarriesClitics) {
  GenOptions o = Options(7, 200);
  o.langs = {"ar"};
  std::size_t wa = 0, bi = 0, li = 0;
  for (const Item& item : Generate(o)) {
    EXPECT_EQ(item.truth.lang, "ar");
    std::vector<std::string_view> words = Words(item.body);
    std::set<std::string_view> present(words.begin(), words.end());
    for (const std::string& id : item.truth.entities) {
      for (const std::string& f : Forms(*FindEntity(id))) {
        std::string first(Words(f)[0]);
        wa += present.count("و" + first);
        bi += present.count("ب" + first);
        if (StartsWith(first, "ال")) li += present.count("ل" + first.substr(2));
      }
    }
  }
  EXPECT_GT(wa, 0u);
  EXPECT_GT(bi, 0u);
  EXPECT_GT(li, 0u);
}

TEST(Generator, LangsOptionIsRespected) {
  GenOptions o = Options(11, 300);
  o.langs = {"en", "fr"};
  std::map<std::string, int> seen;
  for (const Item& item : Generate(o)) seen[item.truth.lang]++;
  EXPECT_EQ(seen.size(), 2u);
  EXPECT_GT(seen["en"], 100);
  EXPECT_GT(seen["fr"], 100);
}

TEST(Generator, AllLanguagesByDefault) {
  std::map<std::string, int> seen;
  for (const Item& item : Corpus()) seen[item.truth.lang]++;
  for (std::string_view lang : {"ar", "en", "fr", "ru", "fa"}) {
    EXPECT_GT(seen[std::string(lang)], 300) << lang;
  }
}

}  // namespace
}  // namespace markaz::synth
