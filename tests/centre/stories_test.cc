// Story assignment through Centre::Submit (issue 6): the story and near-duplicates are decided
// at commit time and stored with the report; a reader sees only the near-duplicates it may
// read; a batch that fails to commit leaves nothing behind in story assignment; the analysis
// use cases answer Unavailable on a centre without processing.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "analytics/analytics.h"
#include "centre/centre.h"
#include "cluster/story_assigner.h"
#include "pipeline/processor.h"
#include "pipeline/stories.h"
#include "store/sqlite/sqlite_store.h"
#include "testutil/failing_store.h"
#include "testutil/temp_dir.h"

namespace markaz::centre {
namespace {

using core::Time;
using nlohmann::json;

Time At(const char* rfc3339) { return core::ParseRfc3339(rfc3339).value(); }

constexpr const char* kEntities =
    "country:IQ\tcountry\t33\t44\t\tIQ\ten=Iraq|ar=العراق\n"
    "city:98182\tcity\t33.34058\t44.40088\t7216000\tIQ\ten=Baghdad|ar=بغداد\n";
constexpr const char* kAliases = "Iraq\tcountry:IQ\ten\t\nBaghdad\tcity:98182\ten\t\n";

core::Charter TwoMembers() {
  core::Charter c;
  c.name = "Stories Centre";
  c.start = At("2015-10-01T00:00:00Z");
  c.rotation_order = {"host", "m2"};
  c.term = core::TermLength::Months(3).value();
  c.members = {{"host", core::OrgKind::kMember, {{"en", "Host"}}, true},
               {"m2", core::OrgKind::kMember, {{"en", "Two"}}, true}};
  return c;
}

Identity Who(const std::string& org) {
  return Identity{"tok_" + org, org, core::OrgKind::kMember, core::Role::kAnalyst, org};
}

// Forty distinct words per paragraph, so that two articles share no 5-shingle.
std::string Article(const std::string& tag) {
  std::string body = "Officials in Baghdad said Iraq agreed";
  for (int p = 0; p < 4; ++p) {
    body += p ? "\n\n" : " ";
    for (int w = 0; w < 40; ++w) body += tag + std::to_string(p * 100 + w) + " ";
  }
  return body;
}

class CentreStoriesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sqlite_ = store::OpenSqliteStore(dir_.Sub("data"), store::OpenMode::kCreate).value();
    store_ = std::make_unique<testutil::FailingStore>(*sqlite_, /*failing=*/false);
    auto gazetteer = gazetteer::Gazetteer::Parse(kEntities, kAliases);
    ASSERT_TRUE(gazetteer.ok()) << gazetteer.status().ToString();
    processor_ = pipeline::Processor::Create(*gazetteer, "").value();
    centre_ = std::make_unique<Centre>(*store_, clock_, ids_, processor_.get(), nullptr, &stories_,
                                       &analytics_);
    ASSERT_TRUE(centre_->Init(TwoMembers()).ok());
  }

  core::Result<SubmitResult> Submit(const std::string& org, const std::string& body,
                                    std::vector<std::string> release_to = {"members"}) {
    core::ReportInput in;
    in.title = "Convoy";
    in.body = body;
    in.lang = "en";
    in.tlp = core::Tlp::kGreen;
    in.release_to = std::move(release_to);
    in.observed_at = At("2015-10-05T08:00:00Z");
    clock_.Advance(std::chrono::seconds(1));
    return centre_->Submit(Who(org), in);
  }

  static json Analysis(const store::ReportRow& row) { return json::parse(row.analysis); }

  testutil::TempDir dir_;
  std::unique_ptr<store::Store> sqlite_;
  std::unique_ptr<testutil::FailingStore> store_;
  core::ManualClock clock_{At("2015-10-06T00:00:00Z")};
  core::IdGenerator ids_{7};
  std::unique_ptr<pipeline::Processor> processor_;
  cluster::StoryAssigner stories_;
  analytics::Analytics analytics_;
  std::unique_ptr<Centre> centre_;
};

TEST_F(CentreStoriesTest, AReprintJoinsTheStoryAndTheStoredAnalysisSaysSo) {
  auto original = Submit("host", Article("a"));
  ASSERT_TRUE(original.ok()) << original.status().ToString();
  auto reprint = Submit("m2", "(Agency 2) - " + Article("a"));
  ASSERT_TRUE(reprint.ok());
  const json a = Analysis(original->report), b = Analysis(reprint->report);
  EXPECT_EQ(b["story"], a["story"]);
  ASSERT_EQ(b["near_duplicates"].size(), 1u);
  EXPECT_EQ(b["near_duplicates"][0]["id"], original->report.id);
  // The stored row says the same as the answer, and the fingerprint is stored beside it.
  auto stored = sqlite_->GetReport(reprint->report.id);
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ(Analysis(**stored)["story"], a["story"]);
  auto prints = sqlite_->ReadFingerprints(0, 10);
  ASSERT_TRUE(prints.ok());
  EXPECT_EQ(prints->size(), 2u);
  // Analytics counts both for a member.
  auto story = centre_->Story(Who("m2"), a["story"]);
  ASSERT_TRUE(story.ok()) << story.status().ToString();
  EXPECT_EQ(story->summary.size, 2u);
}

TEST_F(CentreStoriesTest, NearDuplicatesAReaderMayNotReadAreLeftOut) {
  // host keeps its original to itself; m2 later files the same text.
  auto original = Submit("host", Article("b"), /*release_to=*/{});
  ASSERT_TRUE(original.ok());
  auto reprint = Submit("m2", "(Agency 3) - " + Article("b"));
  ASSERT_TRUE(reprint.ok());
  EXPECT_EQ(Analysis(reprint->report)["story"], Analysis(original->report)["story"]);
  EXPECT_TRUE(Analysis(reprint->report)["near_duplicates"].empty())
      << "m2's own answer must not reveal host's report";
  auto for_m2 = centre_->GetReport(Who("m2"), reprint->report.id);
  ASSERT_TRUE(for_m2.ok());
  EXPECT_TRUE(Analysis(*for_m2)["near_duplicates"].empty());
  auto for_host = centre_->GetReport(Who("host"), reprint->report.id);
  ASSERT_TRUE(for_host.ok());
  ASSERT_EQ(Analysis(*for_host)["near_duplicates"].size(), 1u);
  EXPECT_EQ(Analysis(*for_host)["near_duplicates"][0]["id"], original->report.id);
  // The story as m2 sees it holds m2's report only.
  auto story = centre_->Story(Who("m2"), Analysis(original->report)["story"]);
  ASSERT_TRUE(story.ok());
  EXPECT_EQ(story->summary.reports, std::vector<std::string>{reprint->report.id});
}

TEST_F(CentreStoriesTest, AFailedCommitLeavesNoStoryBehind) {
  store_->set_failing(true);
  auto lost = Submit("host", Article("c"));
  ASSERT_FALSE(lost.ok());
  EXPECT_EQ(lost.status().reason(), "disk_full");
  store_->set_failing(false);
  // Had the lost article stayed staged, this reprint would join its (never stored) story.
  auto reprint = Submit("m2", "(Agency 4) - " + Article("c"));
  ASSERT_TRUE(reprint.ok());
  const json b = Analysis(reprint->report);
  EXPECT_TRUE(b["near_duplicates"].empty());
  EXPECT_EQ(b["story"], cluster::StoryIdFor(reprint->report.id)) << "it starts its own story";
}

TEST_F(CentreStoriesTest, LoadingFromTheStoreGivesTheSameStories) {
  auto first = Submit("host", Article("d"));
  ASSERT_TRUE(first.ok());
  // A second centre over the same store, with structures loaded from it.
  cluster::StoryAssigner loaded;
  analytics::Analytics loaded_analytics;
  auto stats = pipeline::LoadAnalysis(*sqlite_, &loaded, &loaded_analytics);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->fingerprints, 1u);
  Centre again(*store_, clock_, ids_, processor_.get(), nullptr, &loaded, &loaded_analytics);
  core::ReportInput in;
  in.title = "Convoy";
  in.body = "(Agency 5) - " + Article("d");
  in.lang = "en";
  in.tlp = core::Tlp::kGreen;
  in.release_to = {"members"};
  auto reprint = again.Submit(Who("m2"), in);
  ASSERT_TRUE(reprint.ok());
  EXPECT_EQ(Analysis(reprint->report)["story"], Analysis(first->report)["story"]);
  auto story = again.Story(Who("host"), Analysis(first->report)["story"]);
  ASSERT_TRUE(story.ok());
  EXPECT_EQ(story->summary.size, 2u);
}

TEST(CentreWithoutProcessing, AnalysisIsUnavailable) {
  testutil::TempDir dir;
  auto store = store::OpenSqliteStore(dir.Sub("data"), store::OpenMode::kCreate).value();
  core::ManualClock clock(At("2015-10-06T00:00:00Z"));
  core::IdGenerator ids(1);
  analytics::Analytics analytics;
  Centre centre(*store, clock, ids, nullptr, nullptr, nullptr, &analytics);
  ASSERT_TRUE(centre.Init(TwoMembers()).ok());
  analytics::StoryQuery q;
  EXPECT_EQ(centre.Stories(Who("host"), q).status().reason(), "analysis_unavailable");
  EXPECT_EQ(centre.Entity(Who("host"), "country:IQ", "en").status().reason(),
            "analysis_unavailable");
}

}  // namespace
}  // namespace markaz::centre
