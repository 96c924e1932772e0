// The seed article (tests/data/seed/) against the gazetteer compiled into the binary: every
// entity issue 4 names is found, and each span slices to a form of the entity's name.
#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "gazetteer/gazetteer.h"
#include "gazetteer/geotag.h"
#include "gazetteer/matcher.h"
#include "testutil/temp_dir.h"
#include "text/normalize.h"

namespace markaz::gazetteer {
namespace {

std::string ReadSeed() {
  std::ifstream in(std::string(MARKAZ_SOURCE_DIR) + "/tests/data/seed/000_fbb234546d35c770.txt",
                   std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class SeedArticle : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto g = Gazetteer::LoadEmbedded();
    ASSERT_TRUE(g.ok()) << g.status().ToString();
    cache_ = new testutil::TempDir();
    auto m = Matcher::Build(*g, cache_->path());
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    matcher_ = new std::shared_ptr<const Matcher>(*m);
  }
  static void TearDownTestSuite() {
    delete matcher_;
    delete cache_;
  }
  static testutil::TempDir* cache_;
  static std::shared_ptr<const Matcher>* matcher_;
};
testutil::TempDir* SeedArticle::cache_ = nullptr;
std::shared_ptr<const Matcher>* SeedArticle::matcher_ = nullptr;

TEST_F(SeedArticle, EmbeddedGazetteerIsLargeAndParsedOnce) {
  auto a = Gazetteer::LoadEmbedded();
  auto b = Gazetteer::LoadEmbedded();
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->get(), b->get());
  EXPECT_GE((*a)->aliases().size(), 50000u);
  EXPECT_NE((*a)->Find("country:IQ"), nullptr);
}

TEST_F(SeedArticle, FindsTheEntitiesOfIssue4WithSpansOnTheirNames) {
  ASSERT_NE(matcher_, nullptr);
  const Matcher& m = **matcher_;
  const Gazetteer& g = m.gazetteer();
  const std::string text = ReadSeed();
  ASSERT_FALSE(text.empty());
  const Resolution r = Resolve(g, m.Match(text::Normalize(text), text));

  std::map<std::string, std::vector<std::string>> found;  // id → slices
  for (const ResolvedEntity& e : r.entities) {
    for (text::Span s : e.spans)
      found[g.entities()[e.entity].id].emplace_back(text::SliceCodePoints(text, s));
  }
  for (const auto& [id, slices] : found) {
    std::string all;
    for (const std::string& s : slices) all += " [" + s + "]";
    std::cout << "  " << id << all << "\n";
  }

  static const char* const kExpected[] = {
      "country:IQ", "country:IR", "country:RU", "country:SY", "country:JO",  "country:TR",
      "country:EG", "country:DE", "country:FR", "city:98182", "city:524901", "group:islamic-state"};
  for (const char* id : kExpected) {
    const Entity* e = g.Find(id);
    ASSERT_NE(e, nullptr) << id << " is not in the gazetteer";
    ASSERT_TRUE(found.count(id)) << id << " (" << g.NameIn(*e, "en") << ") not found";
    // Each span is a form of the name: its normalised text is an alias of the entity, or an
    // article alias after the contraction لل (whose span starts at the article's lam).
    std::set<std::string> forms;
    for (const Alias& a : g.aliases()) {
      if (g.entities()[a.entity].id != id) continue;
      forms.insert(a.normalized);
      if (a.normalized.starts_with("ال")) forms.insert(a.normalized.substr(2));
    }
    for (const std::string& slice : found[id]) {
      EXPECT_TRUE(forms.count(text::NormalizeString(slice))) << id << ": span [" << slice << "]";
    }
  }
  // The group through both of its Arabic names (the article says "تنظيم داعش", an alias too).
  bool dawla = false, daesh = false;
  for (const std::string& s : found["group:islamic-state"]) {
    dawla = dawla || text::NormalizeString(s) == text::NormalizeString("تنظيم الدولة");
    daesh = daesh || s.find("داعش") != std::string::npos;
  }
  EXPECT_TRUE(dawla);
  EXPECT_TRUE(daesh);
  // Baghdad is a place, and implies nothing new (Iraq is named).
  bool baghdad = false;
  for (const Place& p : r.places) {
    if (g.entities()[p.entity].id == "city:98182") baghdad = true;
    if (g.entities()[p.entity].id == "country:IQ") {
      EXPECT_FALSE(p.implied);
    }
  }
  EXPECT_TRUE(baghdad);
}

}  // namespace
}  // namespace markaz::gazetteer
