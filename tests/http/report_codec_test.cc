// Decoding submitted reports: every field, and every refusal naming its field path.
#include "http/report_codec.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace markaz::http {
namespace {

TEST(ReportCodec, DecodesEveryField) {
  auto r = DecodeReportInput(R"({
    "title": "انفجار في بغداد", "body": "نص التقرير\nسطر ثان", "lang": "ar",
    "source": {"name": "Wire", "url": "https://example.org/a", "reliability": "B", "credibility": 2},
    "observed_at": "2015-10-11T10:00:00+03:00", "location": {"lat": 33.31, "lon": 44.36},
    "tlp": "amber+strict", "release_to": ["members", "p1"], "orcon": true,
    "tags": ["x", "y"], "external_id": "ext-1"})");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->title, "انفجار في بغداد");
  EXPECT_EQ(r->body, "نص التقرير\nسطر ثان");
  EXPECT_EQ(r->lang, "ar");
  ASSERT_TRUE(r->source.has_value());
  EXPECT_EQ(r->source->reliability, 'B');
  EXPECT_EQ(r->source->credibility, 2);
  EXPECT_EQ(core::FormatRfc3339(*r->observed_at), "2015-10-11T07:00:00Z");
  EXPECT_DOUBLE_EQ(r->location->lat, 33.31);
  EXPECT_EQ(r->tlp, core::Tlp::kAmberStrict);
  EXPECT_EQ(r->release_to, (std::vector<std::string>{"members", "p1"}));
  EXPECT_TRUE(r->orcon);
  EXPECT_EQ(r->tags.size(), 2u);
  EXPECT_EQ(r->external_id, "ext-1");
}

TEST(ReportCodec, DefaultsAreAmberAndOriginatorOnly) {
  auto r = DecodeReportInput(R"({"body": "b"})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->tlp, core::Tlp::kAmber);
  EXPECT_TRUE(r->release_to.empty());
  EXPECT_FALSE(r->orcon);
  EXPECT_FALSE(r->source.has_value());
}

TEST(ReportCodec, RefusalsNameTheFieldPath) {
  struct Case {
    std::string json;
    std::string reason;
    std::string field;  // the message starts with it
  };
  const std::string big(core::kMaxBodyBytes + 1, 'x');
  const std::vector<Case> cases = {
      {R"({"title": "no body"})", "body_required", "body"},
      {R"({"body": ""})", "body_required", "body"},
      {R"({"body": ")" + big + R"("})", "body_too_large", "body"},
      {R"({"body": "b", "tlp": "purple"})", "bad_tlp", "tlp"},
      {R"({"body": "b", "tlp": "AMBER"})", "bad_tlp", "tlp"},
      {R"({"body": "b", "source": {"reliability": "G"}})", "bad_reliability", "source.reliability"},
      {R"({"body": "b", "source": {"reliability": "AB"}})", "bad_reliability", "source.reliability"},
      {R"({"body": "b", "source": {"credibility": 7}})", "bad_credibility", "source.credibility"},
      {R"({"body": "b", "source": {"credibility": 0}})", "bad_credibility", "source.credibility"},
      {R"({"body": "b", "source": {"credibility": "2"}})", "wrong_type", "source.credibility"},
      {R"({"body": "b", "source": {"nmae": "x"}})", "unknown_field", "source.nmae"},
      {R"({"body": "b", "location": {"lat": 91, "lon": 0}})", "bad_location", "location.lat"},
      {R"({"body": "b", "location": {"lat": 0, "lon": -180.5}})", "bad_location", "location.lon"},
      {R"({"body": "b", "location": {"lat": 0}})", "missing_field", "location.lon"},
      {R"({"body": "b", "observed_at": "yesterday"})", "invalid_time", "observed_at"},
      {R"({"body": "b", "observed_at": "2015-02-30T00:00:00Z"})", "invalid_time", "observed_at"},
      {R"({"body": "b", "tpl": "red"})", "unknown_field", "tpl"},
      {R"({"body": "b", "tlp": "red", "tlp": "clear"})", "duplicate_field", "tlp"},
      {R"({"body": "b", "release_to": "members"})", "wrong_type", "release_to"},
      {R"({"body": "b", "release_to": ["members", 3]})", "wrong_type", "release_to[1]"},
      {R"({"body": "b", "tags": [""]})", "bad_tag", "tags[0]"},
      {R"({"body": "b", "orcon": "yes"})", "wrong_type", "orcon"},
      {R"({"body": "b", "lang": "Arabic"})", "bad_lang", "lang"},
      {R"({"body": "b", "external_id": ""})", "bad_external_id", "external_id"},
      {R"({"body": 5})", "wrong_type", "body"},
      {R"([1, 2])", "bad_json", "the body"},
      {R"({"body": "b",})", "bad_json", "the body"},
      {R"({"body": "b"} trailing)", "bad_json", "the body"},
      {"{\"body\": \"\xff\xfe\"}", "bad_json", "the body"},
      {"", "bad_json", "the body"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.json.substr(0, 80));
    auto r = DecodeReportInput(c.json);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().reason(), c.reason) << r.status().message();
    EXPECT_EQ(r.status().message().rfind(c.field, 0), 0u) << r.status().message();
  }
}

TEST(ReportCodec, EncodesTheStoredReportWithItsDoorDecisions) {
  store::ReportRow row;
  row.id = "rep_01ABCDEFGHJKMNPQRSTVWXYZ00";
  row.seq = 7;
  row.originator = "m1";
  row.received_at = core::ParseRfc3339("2015-10-11T10:00:00Z").value();
  row.audience = {"m1", "m2"};
  row.input.title = "t";
  row.input.body = "b";
  row.input.release_to = {"m2"};
  auto j = nlohmann::json::parse(EncodeReport(row));
  EXPECT_EQ(j["id"], row.id);
  EXPECT_FALSE(j.contains("seq")) << "the centre-wide sequence would count hidden reports";
  EXPECT_EQ(j["originator"], "m1");
  EXPECT_EQ(j["received_at"], "2015-10-11T10:00:00Z");
  EXPECT_EQ(j["audience"], nlohmann::json({"m1", "m2"}));
  EXPECT_EQ(j["tlp"], "amber");
  EXPECT_TRUE(j["source"].is_null());
  EXPECT_TRUE(j["analysis"].is_object());
}

}  // namespace
}  // namespace markaz::http
