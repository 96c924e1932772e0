// The processing stage: analysis of a report against a small gazetteer, its stored JSON form,
// and extending the gazetteer while reports are being analysed.
#include "pipeline/processor.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "text/normalize.h"

namespace markaz::pipeline {
namespace {

constexpr const char* kEntities =
    "country:IQ\tcountry\t33\t44\t\tIQ\ten=Iraq|ar=العراق|fr=Irak\n"
    "country:LB\tcountry\t33.8\t35.8\t\tLB\ten=Lebanon|ar=لبنان\n"
    "country:LY\tcountry\t26\t17\t\tLY\ten=Libya|ar=ليبيا\n"
    "city:98182\tcity\t33.34058\t44.40088\t7216000\tIQ\ten=Baghdad|ar=بغداد\n"
    "city:266826\tcity\t34.43667\t35.84972\t229398\tLB\ten=Tripoli|ar=طرابلس\n"
    "city:2210247\tcity\t32.88743\t13.18733\t1150989\tLY\ten=Tripoli|ar=طرابلس\n"
    "group:islamic-state\tarmed_group\t\t\t\t\ten=Islamic State|ar=تنظيم الدولة\n";
constexpr const char* kAliases =
    "العراق\tcountry:IQ\tar\t\nIraq\tcountry:IQ\ten\t\nلبنان\tcountry:LB\tar\t\n"
    "ليبيا\tcountry:LY\tar\t\nبغداد\tcity:98182\tar\t\nBaghdad\tcity:98182\ten\t\n"
    "طرابلس\tcity:266826\tar\t\nطرابلس\tcity:2210247\tar\t\n"
    "تنظيم الدولة\tgroup:islamic-state\tar\t\nداعش\tgroup:islamic-state\tar\t\n"
    "IS\tgroup:islamic-state\ten\tcs\n";

std::unique_ptr<Processor> MakeProcessor() {
  auto gazetteer = gazetteer::Gazetteer::Parse(kEntities, kAliases);
  EXPECT_TRUE(gazetteer.ok()) << gazetteer.status().ToString();
  auto processor = Processor::Create(*gazetteer, "");
  EXPECT_TRUE(processor.ok()) << processor.status().ToString();
  return std::move(processor).value();
}

const EntityRef* FindEntity(const ReportAnalysis& a, const std::string& id) {
  for (const EntityRef& e : a.entities) {
    if (e.id == id) return &e;
  }
  return nullptr;
}

TEST(ProcessorTest, EntitiesSpansAndPlacesOfAReport) {
  auto processor = MakeProcessor();
  core::ReportInput in;
  in.title = "انفجار في بغداد";
  in.body = "أعلن الجيش العراقي أن تنظيم الدولة (داعش) هاجم مواقع قرب بغداد والعراق.";
  const ReportAnalysis a = processor->Analyse(in);
  EXPECT_EQ(a.lang, "ar");
  EXPECT_FALSE(a.tokens.empty());
  const std::string text = AnalysedText(in);
  EXPECT_EQ(text, in.title + "\n\n" + in.body);

  const EntityRef* baghdad = FindEntity(a, "city:98182");
  ASSERT_NE(baghdad, nullptr);
  EXPECT_EQ(baghdad->kind, "city");
  ASSERT_EQ(baghdad->spans.size(), 2u);
  for (text::Span s : baghdad->spans) EXPECT_EQ(text::SliceCodePoints(text, s), "بغداد");
  const EntityRef* group = FindEntity(a, "group:islamic-state");
  ASSERT_NE(group, nullptr);
  ASSERT_EQ(group->spans.size(), 2u);
  EXPECT_EQ(text::SliceCodePoints(text, group->spans[0]), "تنظيم الدولة");
  EXPECT_EQ(text::SliceCodePoints(text, group->spans[1]), "داعش");
  const EntityRef* iraq = FindEntity(a, "country:IQ");
  ASSERT_NE(iraq, nullptr);
  EXPECT_EQ(text::SliceCodePoints(text, iraq->spans.back()),
            "العراق");  // والعراق: the clitic is not the name

  // Baghdad is a place with coordinates; Iraq is named itself, so it is not "implied".
  bool baghdad_place = false;
  for (const PlaceRef& p : a.places) {
    if (p.entity == "city:98182") {
      baghdad_place = true;
      EXPECT_NEAR(p.point.lat, 33.34, 0.01);
      EXPECT_FALSE(p.implied);
    }
    if (p.entity == "country:IQ") {
      EXPECT_FALSE(p.implied);
    }
  }
  EXPECT_TRUE(baghdad_place);
}

TEST(ProcessorTest, AmbiguousPlaceFollowsTheCountryTheTextNames) {
  auto processor = MakeProcessor();
  core::ReportInput lebanon;
  lebanon.body = "اشتباكات في طرابلس شمال لبنان";
  core::ReportInput libya;
  libya.body = "اشتباكات في طرابلس عاصمة ليبيا";
  EXPECT_NE(FindEntity(processor->Analyse(lebanon), "city:266826"), nullptr);
  EXPECT_NE(FindEntity(processor->Analyse(libya), "city:2210247"), nullptr);
}

TEST(ProcessorTest, StoredJsonShape) {
  ReportAnalysis a;
  a.lang = "ar";
  a.entities.push_back({"city:98182", "city", {{3, 8}, {20, 25}}});
  a.places.push_back({"city:98182", {33.34058, 44.40088}, false});
  a.places.push_back({"country:IQ", {33, 44}, true});
  EXPECT_EQ(
      ToJson(a),
      "{\"lang\":\"ar\",\"entities\":[{\"id\":\"city:98182\",\"kind\":\"city\","
      "\"spans\":[[3,8],[20,25]]}],\"places\":[{\"entity\":\"city:98182\",\"lat\":33.3406,"
      "\"lon\":44.4009},{\"entity\":\"country:IQ\",\"lat\":33,\"lon\":44,\"implied\":true}]}");
}

TEST(ProcessorTest, EntityNamesByLanguageWithFallback) {
  auto processor = MakeProcessor();
  EXPECT_EQ(processor->EntityName("country:IQ", "fr"), "Irak");
  EXPECT_EQ(processor->EntityName("country:IQ", "ar"), "العراق");
  EXPECT_EQ(processor->EntityName("country:IQ", "ru"), "Iraq");  // no Russian name: English
  EXPECT_EQ(processor->EntityName("country:ZZ", "en"), "");
}

TEST(ProcessorTest, ExtendingTheGazetteerSwapsWithoutStoppingAnalysis) {
  auto processor = MakeProcessor();
  core::ReportInput in;
  in.body = "Reports from Kirkuk and Baghdad";
  ASSERT_EQ(FindEntity(processor->Analyse(in), "city:kirkuk-test"), nullptr);

  std::atomic<bool> stop{false};
  std::atomic<int> analysed{0};
  std::thread reader([&] {
    while (!stop) {
      // Every analysis sees one whole snapshot: Baghdad is found before and after the swap.
      if (FindEntity(processor->Analyse(in), "city:98182") != nullptr) ++analysed;
    }
  });
  gazetteer::Entity kirkuk;
  kirkuk.id = "city:kirkuk-test";
  kirkuk.kind = gazetteer::EntityKind::kCity;
  kirkuk.names = {{"en", "Kirkuk"}};
  kirkuk.location = core::GeoPoint{35.47, 44.39};
  kirkuk.country = "IQ";
  gazetteer::Alias alias;
  alias.text = "Kirkuk";
  alias.lang = "en";
  alias.entity_id = "city:kirkuk-test";
  ASSERT_TRUE(processor->Extend({kirkuk}, {alias}).ok());
  while (analysed < 10) std::this_thread::yield();
  stop = true;
  reader.join();
  EXPECT_NE(FindEntity(processor->Analyse(in), "city:kirkuk-test"), nullptr);
  EXPECT_NE(FindEntity(processor->Analyse(in), "city:98182"), nullptr);
}

}  // namespace
}  // namespace markaz::pipeline
