// Story assignment over analysed text: near-duplicates (reprints, excerpts), follow-ups, new
// stories, the batch lifecycle, start-up loading, story ids, and pairwise quality on the
// generator's ground truth.
#include "cluster/story_assigner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/ids.h"
#include "synth/generator.h"
#include "text/analyzer.h"

namespace markaz::cluster {
namespace {

using Reason = Decision::Reason;

const text::Analyzer& SharedAnalyzer() {
  static const text::Analyzer analyzer;
  return analyzer;
}

core::Time At(std::int64_t hours) {
  return core::Time(std::chrono::milliseconds(1443657600000LL + hours * 3600 * 1000));
}

std::string NewReportId(core::Time t) {
  static core::IdGenerator ids(42);
  return ids.Next("rep", t);
}

StoryInput Input(std::string_view text, core::Time t, std::vector<std::string> entities = {},
                 std::string_view lang = "en") {
  const text::AnalyzedText a = SharedAnalyzer().Analyze(text, lang);
  StoryInput in;
  in.report_id = NewReportId(t);
  in.time = t;
  in.lang = a.lang;
  std::sort(entities.begin(), entities.end());
  in.entities = std::move(entities);
  in.numbers = NumberTerms(a.tokens);
  in.fingerprint = MakeFingerprint(a.tokens);
  return in;
}

// The assigner with a store beside it: blobs by seq, as the centre keeps them.
struct Desk {
  StoryAssigner assigner;
  std::map<std::int64_t, std::string> store;
  std::int64_t next_seq = 1;
  std::size_t fetches = 0;
  ShingleFetch fetch = [this](std::int64_t seq) -> core::Result<std::string> {
    ++fetches;
    auto it = store.find(seq);
    if (it == store.end()) return core::Status::NotFound("no_fingerprint", "none");
    return it->second;
  };

  Decision Decide(const StoryInput& in) {
    core::Result<Decision> d = assigner.Decide(in, fetch);
    EXPECT_TRUE(d.ok()) << d.status().ToString();
    return d.ok() ? *d : Decision{};
  }
  // Decide, Stage, write the blob, Publish: one report in its own batch.
  Decision Submit(const StoryInput& in) {
    Decision d = Decide(in);
    Stage(in, d);
    assigner.Publish();
    return d;
  }
  std::int64_t Stage(const StoryInput& in, const Decision& d) {
    const std::int64_t seq = next_seq++;
    assigner.Stage(seq, in, d);
    store[seq] = EncodeFingerprint(in.fingerprint);
    return seq;
  }
};

// A wire story in five paragraphs, and what agencies make of it.
const std::string kParagraphs[] = {
    "Fighters of the armed group launched a dawn assault on the northern districts of Mosul on "
    "Tuesday, according to two security officials who spoke on condition of anonymity.",
    "The officials said at least 17 members of the security forces were killed and dozens "
    "wounded in the fighting around the old bridge, which lasted until the early afternoon.",
    "Residents reported heavy gunfire near the university campus and said several families had "
    "fled towards the eastern bank of the river carrying what they could.",
    "A spokesman for the provincial council called on the central government to send "
    "reinforcements without delay and warned that the water station could be cut off.",
    "Aid agencies estimated that about 3500 people had left their homes since the weekend, and "
    "the United Nations said it was preparing an emergency convoy from Erbil.",
};
const std::vector<std::string> kEntities = {"city:mosul", "city:erbil", "org:un"};

std::string Article(std::size_t from = 0, std::size_t to = 5) {
  std::string out = "Militants attack northern Mosul, 17 killed";
  for (std::size_t i = from; i < to; ++i) out += "\n\n" + kParagraphs[i];
  return out;
}

// The same event told again: other words, other order, the same names and numbers.
const std::string kRewrite =
    "Armed group storms northern Mosul, 17 killed\n\n"
    "At least 17 members of the security forces were killed on Tuesday when fighters of the "
    "armed group stormed the northern districts of Mosul at dawn, two officials said.\n\n"
    "Some 3500 people have left their homes since the weekend, aid agencies said, and the "
    "United Nations said it was preparing an emergency convoy from Erbil.\n\n"
    "The provincial council urged the central government to send reinforcements at once.";

const std::string kUnrelated =
    "Central bank keeps rates unchanged\n\n"
    "The central bank left its main interest rate unchanged on Thursday, citing slowing "
    "inflation and a stable currency, and said it would review its policy in the spring.\n\n"
    "Analysts had expected the decision, though several said a cut later in the year remained "
    "likely if fuel prices kept falling.";

TEST(StoryAssigner, UnrelatedReportStartsItsOwnStory) {
  Desk desk;
  const StoryInput original = Input(Article(), At(0), kEntities);
  const Decision first = desk.Submit(original);
  EXPECT_EQ(first.reason, Reason::kNew);
  EXPECT_EQ(first.story, StoryIdFor(original.report_id));
  EXPECT_TRUE(first.near_duplicates.empty());

  const StoryInput other = Input(kUnrelated, At(1), {"org:central-bank"});
  const Decision d = desk.Submit(other);
  EXPECT_EQ(d.reason, Reason::kNew);
  EXPECT_EQ(d.story, StoryIdFor(other.report_id));
  EXPECT_NE(d.story, first.story);
  EXPECT_EQ(desk.assigner.memory().stories, 2u);
  EXPECT_EQ(desk.assigner.memory().reports, 2u);
}

TEST(StoryAssigner, ReprintJoinsItsOriginal) {
  Desk desk;
  const StoryInput original = Input(Article(), At(0), kEntities);
  const Decision first = desk.Submit(original);
  desk.Submit(Input(kUnrelated, At(1)));

  const StoryInput reprint =
      Input("UPDATE 1-" + Article().insert(Article().find("\n\n") + 2, "(Agency 7) - "), At(3),
            kEntities);
  ASSERT_GE(Jaccard(reprint.fingerprint.shingles, original.fingerprint.shingles), 0.8);
  const Decision d = desk.Submit(reprint);
  EXPECT_EQ(d.reason, Reason::kNearDuplicate);
  EXPECT_EQ(d.story, first.story);
  ASSERT_EQ(d.near_duplicates.size(), 1u);
  EXPECT_EQ(d.near_duplicates[0].id, original.report_id);
  // The similarity is the largest of Jaccard and containment either way (here: the original
  // lies inside the reprint, which only adds a dateline and a prefix).
  const auto& r = reprint.fingerprint.shingles;
  const auto& o = original.fingerprint.shingles;
  EXPECT_DOUBLE_EQ(d.near_duplicates[0].similarity,
                   std::max({Jaccard(r, o), Containment(r, o), Containment(o, r)}));
  EXPECT_GT(d.near_duplicates[0].similarity, Jaccard(r, o));
}

TEST(StoryAssigner, ExcerptJoinsByContainment) {
  Desk desk;
  const StoryInput original = Input(Article(), At(0), kEntities);
  const Decision first = desk.Submit(original);
  // Two paragraphs under the same title, weeks later (outside any follow-up window).
  const StoryInput excerpt = Input(Article(1, 3), At(24 * 40), {"city:mosul"});
  const double jaccard = Jaccard(excerpt.fingerprint.shingles, original.fingerprint.shingles);
  const double containment =
      Containment(excerpt.fingerprint.shingles, original.fingerprint.shingles);
  ASSERT_LT(jaccard, 0.5);  // too far apart for the Jaccard rule alone
  ASSERT_GE(containment, 0.8);
  const Decision d = desk.Submit(excerpt);
  EXPECT_EQ(d.reason, Reason::kNearDuplicate);
  EXPECT_EQ(d.story, first.story);
  ASSERT_EQ(d.near_duplicates.size(), 1u);
  EXPECT_DOUBLE_EQ(d.near_duplicates[0].similarity, containment);

  // The other way round: the full article after its excerpt contains it.
  Desk reverse;
  const Decision e = reverse.Submit(Input(Article(1, 3), At(0)));
  const Decision full = reverse.Submit(Input(Article(), At(24 * 40)));
  EXPECT_EQ(full.reason, Reason::kNearDuplicate);
  EXPECT_EQ(full.story, e.story);
}

TEST(StoryAssigner, RewriteJoinsAsFollowUpWithinTheWindow) {
  Desk desk;
  const StoryInput original = Input(Article(), At(0), kEntities);
  const Decision first = desk.Submit(original);
  desk.Submit(Input(kUnrelated, At(1), {"org:central-bank"}));
  const StoryInput rewrite = Input(kRewrite, At(20), kEntities);
  const double jaccard = Jaccard(rewrite.fingerprint.shingles, original.fingerprint.shingles);
  ASSERT_LT(jaccard, 0.5);  // not a near-duplicate
  ASSERT_GE(jaccard, 0.1);  // but some of the wording is shared
  const Decision d = desk.Submit(rewrite);
  EXPECT_EQ(d.reason, Reason::kFollowUp);
  EXPECT_EQ(d.story, first.story);
  EXPECT_TRUE(d.near_duplicates.empty());
}

TEST(StoryAssigner, SameEntitiesOutsideTheWindowOrAnotherEventStartANewStory) {
  Desk desk;
  desk.Submit(Input(Article(), At(0), kEntities));
  // The same rewrite, five days later: beyond the two-day window.
  const StoryInput late = Input(kRewrite, At(24 * 5), kEntities);
  EXPECT_EQ(desk.Decide(late).reason, Reason::kNew);
  // Within the window, the same places and organisation, another event (other numbers, other
  // words).
  const StoryInput other_event = Input(
      "Convoy reaches Mosul after 4 days\n\n"
      "A United Nations convoy of 12 trucks reached Mosul from Erbil on Wednesday after a delay "
      "of four days at checkpoints, carrying food and medicine for displaced families.\n\n"
      "Drivers said the road had been reopened overnight.",
      At(20), kEntities);
  const Decision d = desk.Decide(other_event);
  EXPECT_EQ(d.reason, Reason::kNew);
  EXPECT_EQ(d.story, StoryIdFor(other_event.report_id));
}

TEST(StoryAssigner, StagedReportsAreCandidatesAndDiscardForgetsThem) {
  Desk desk;
  const std::size_t empty_bytes = desk.assigner.memory().bytes;
  const StoryInput original = Input(Article(), At(0), kEntities);
  const Decision first = desk.Decide(original);
  desk.Stage(original, first);
  EXPECT_EQ(desk.assigner.memory().reports, 1u);
  EXPECT_GT(desk.assigner.memory().bytes, empty_bytes);

  // A later report of the same batch sees the staged one, from memory (no fetch).
  const StoryInput reprint = Input(Article(), At(1), kEntities);
  const std::size_t fetches = desk.fetches;
  const Decision same_batch = desk.Decide(reprint);
  EXPECT_EQ(same_batch.reason, Reason::kNearDuplicate);
  EXPECT_EQ(same_batch.story, first.story);
  EXPECT_EQ(desk.fetches, fetches);

  desk.assigner.Discard();
  desk.store.clear();
  EXPECT_EQ(desk.assigner.memory().reports, 0u);
  EXPECT_EQ(desk.assigner.memory().stories, 0u);
  const Decision after = desk.Decide(reprint);
  EXPECT_EQ(after.reason, Reason::kNew);
  EXPECT_TRUE(after.near_duplicates.empty());
  EXPECT_EQ(desk.fetches, fetches);  // nothing left to fetch
  // Nor is it a follow-up candidate any more.
  EXPECT_EQ(desk.Decide(Input(kRewrite, At(20), kEntities)).reason, Reason::kNew);
}

TEST(StoryAssigner, PublishedReportsAreReadBackThroughFetch) {
  Desk desk;
  const StoryInput original = Input(Article(), At(0), kEntities);
  const Decision first = desk.Submit(original);
  const std::size_t fetches = desk.fetches;
  const Decision d = desk.Decide(Input(Article(), At(2), kEntities));
  EXPECT_EQ(d.story, first.story);
  EXPECT_EQ(desk.fetches, fetches + 1);  // the published fingerprint is no longer held
  EXPECT_EQ(desk.assigner.memory().stories, 1u);
}

TEST(StoryAssigner, FetchErrorsOtherThanNotFoundAreReturned) {
  Desk desk;
  desk.Submit(Input(Article(), At(0), kEntities));
  const StoryInput reprint = Input(Article(), At(1), kEntities);
  desk.store.clear();  // NotFound: the candidate is skipped
  core::Result<Decision> skipped = desk.assigner.Decide(reprint, desk.fetch);
  ASSERT_TRUE(skipped.ok());
  EXPECT_EQ(skipped->reason, Reason::kNew);
  core::Result<Decision> failed =
      desk.assigner.Decide(reprint, [](std::int64_t) -> core::Result<std::string> {
        return core::Status::Internal("disk on fire");
      });
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().code(), core::Code::kInternal);
  core::Result<Decision> corrupt = desk.assigner.Decide(
      reprint, [](std::int64_t) -> core::Result<std::string> { return std::string("junk"); });
  ASSERT_FALSE(corrupt.ok());
  EXPECT_EQ(corrupt.status().reason(), "bad_fingerprint");
}

TEST(StoryAssigner, NearDuplicatesMostSimilarFirstOlderFirstAtMostTen) {
  Desk desk;
  const std::string base = Article();
  std::vector<std::string> ids;
  // Twelve earlier versions: two exact copies, then copies with 1, 2, … 10 words replaced
  // (nine words apart): each a little less similar to the article than the one before.
  std::vector<std::string> words;
  for (std::size_t from = 0; from < base.size();) {
    const std::size_t space = std::min(base.find(' ', from), base.size());
    words.push_back(base.substr(from, space - from));
    from = space + 1;
  }
  for (int k = 0; k < 12; ++k) {
    std::vector<std::string> changed = words;
    for (int i = 0; i < k - 1; ++i) changed[static_cast<std::size_t>(7 + 9 * i)] = "zebra";
    std::string text;
    for (const std::string& w : changed) text += (text.empty() ? "" : " ") + w;
    const StoryInput in = Input(text, At(k), kEntities);
    ids.push_back(in.report_id);
    desk.Submit(in);
  }
  const Decision d = desk.Decide(Input(base, At(13), kEntities));
  ASSERT_EQ(d.near_duplicates.size(), kMaxNearDuplicates);
  // The two exact copies first (similarity 1, older first), then in order of decreasing
  // similarity, which is the order they arrived in.
  for (std::size_t i = 0; i < kMaxNearDuplicates; ++i) {
    EXPECT_EQ(d.near_duplicates[i].id, ids[i]) << i;
    if (i > 0) {
      EXPECT_LE(d.near_duplicates[i].similarity, d.near_duplicates[i - 1].similarity);
    }
  }
  EXPECT_DOUBLE_EQ(d.near_duplicates[0].similarity, 1.0);
  EXPECT_DOUBLE_EQ(d.near_duplicates[1].similarity, 1.0);
  EXPECT_LT(d.near_duplicates[9].similarity, d.near_duplicates[2].similarity);
}

TEST(StoryAssigner, StoryIdsAreStableAndWellFormed) {
  const std::string a = StoryIdFor("rep_01JD3K4Z5X6Y7W8V9T0S1R2Q3P");
  EXPECT_EQ(a, StoryIdFor("rep_01JD3K4Z5X6Y7W8V9T0S1R2Q3P"));
  EXPECT_NE(a, StoryIdFor("rep_01JD3K4Z5X6Y7W8V9T0S1R2Q3Q"));
  for (int i = 0; i < 200; ++i) {
    const std::string id = StoryIdFor(NewReportId(At(i)));
    ASSERT_EQ(id.size(), 30u);
    EXPECT_EQ(id.substr(0, 4), "sto_");
    EXPECT_TRUE(id[4] >= '0' && id[4] <= '7') << id;
    EXPECT_TRUE(core::IsValidId(id, "sto")) << id;
    EXPECT_EQ(id.find("01JD"), std::string::npos);  // no trace of the report id's time
  }
  // A report id of another shape still gets a story and its ids come back as given.
  Desk desk;
  StoryInput odd = Input(Article(), At(0), kEntities);
  odd.report_id = "rep_legacy-7";
  const Decision first = desk.Submit(odd);
  EXPECT_EQ(first.story, StoryIdFor("rep_legacy-7"));
  const Decision again = desk.Submit(Input(Article(), At(1), kEntities));
  ASSERT_EQ(again.near_duplicates.size(), 1u);
  EXPECT_EQ(again.near_duplicates[0].id, "rep_legacy-7");
  EXPECT_EQ(again.story, first.story);
}

// Generated reports, analysed, with the ground truth's entities (the gazetteer's job in the
// pipeline) and groups.
struct Generated {
  std::vector<StoryInput> inputs;
  std::vector<std::size_t> group;  // index of the original
  std::vector<synth::DupKind> kind;
};

Generated Generate(std::uint64_t seed, std::size_t count) {
  synth::GenOptions options;
  options.seed = seed;
  options.count = count;
  auto gen = synth::Generator::Create(options);
  EXPECT_TRUE(gen.ok());
  Generated out;
  std::unordered_map<std::string, std::size_t> index_of;
  std::string line;
  synth::GroundTruth truth;
  core::IdGenerator ids(seed);
  while (gen->Next(&line, &truth)) {
    const auto j = nlohmann::json::parse(line);
    const core::Time t = *core::ParseRfc3339(j["observed_at"].get<std::string>());
    const text::AnalyzedText a = SharedAnalyzer().Analyze(
        j["title"].get<std::string>() + "\n\n" + j["body"].get<std::string>(),
        j["lang"].get<std::string>());
    StoryInput in;
    in.report_id = ids.Next("rep", t);
    in.time = t;
    in.lang = a.lang;
    in.entities = truth.entities;
    in.numbers = NumberTerms(a.tokens);
    in.fingerprint = MakeFingerprint(a.tokens);
    const std::size_t i = out.inputs.size();
    index_of[truth.external_id] = i;
    out.group.push_back(truth.of.empty() ? i : index_of.at(truth.of));
    out.kind.push_back(truth.kind);
    out.inputs.push_back(std::move(in));
  }
  return out;
}

TEST(StoryAssigner, LoadThenDecideMatchesLiveAssignment) {
  const Generated g = Generate(5, 600);
  const std::size_t live_part = 450;
  Desk live;
  std::vector<std::string> stories;
  for (std::size_t i = 0; i < live_part; ++i) {
    // Batches of three, one of them discarded and redone: what a rollback leaves behind must
    // not change later decisions.
    if (i % 30 == 0) {
      const Decision d = live.Decide(g.inputs[i]);
      live.assigner.Stage(999999, g.inputs[i], d);
      live.assigner.Discard();
    }
    stories.push_back(live.Submit(g.inputs[i]).story);
  }
  Desk loaded;
  for (std::size_t i = 0; i < live_part; ++i) {
    loaded.assigner.Load(static_cast<std::int64_t>(i + 1), g.inputs[i], stories[i]);
    loaded.store[static_cast<std::int64_t>(i + 1)] = EncodeFingerprint(g.inputs[i].fingerprint);
  }
  loaded.next_seq = live.next_seq;
  EXPECT_EQ(loaded.assigner.memory().reports, live.assigner.memory().reports);
  EXPECT_EQ(loaded.assigner.memory().stories, live.assigner.memory().stories);
  std::size_t joined = 0;
  for (std::size_t i = live_part; i < g.inputs.size(); ++i) {
    const Decision a = live.Submit(g.inputs[i]);
    const Decision b = loaded.Submit(g.inputs[i]);
    EXPECT_EQ(a.story, b.story) << i;
    EXPECT_EQ(a.reason, b.reason) << i;
    EXPECT_EQ(a.near_duplicates, b.near_duplicates) << i;
    joined += a.reason != Reason::kNew;
  }
  EXPECT_GT(joined, 20u);  // the comparison covered joins, not only new stories
}

TEST(StoryAssigner, PairwiseQualityOnGeneratedReports) {
  const Generated g = Generate(3, 3000);
  Desk desk;
  std::vector<std::string> story;
  for (const StoryInput& in : g.inputs) story.push_back(desk.Submit(in).story);
  // Per duplicate kind: pairs of one true group (recall) and pairs of one story (precision)
  // that involve a report of that kind.
  for (synth::DupKind kind :
       {synth::DupKind::kReprint, synth::DupKind::kExcerpt, synth::DupKind::kRewrite}) {
    std::size_t true_pairs = 0, found = 0, predicted = 0, right = 0;
    for (std::size_t a = 0; a < g.inputs.size(); ++a) {
      for (std::size_t b = a + 1; b < g.inputs.size(); ++b) {
        if (g.kind[a] != kind && g.kind[b] != kind) continue;
        const bool same_group = g.group[a] == g.group[b];
        const bool same_story = story[a] == story[b];
        true_pairs += same_group;
        found += same_group && same_story;
        predicted += same_story;
        right += same_story && same_group;
      }
    }
    ASSERT_GT(true_pairs, 100u) << synth::DupKindName(kind);
    const double recall = static_cast<double>(found) / static_cast<double>(true_pairs);
    const double precision = static_cast<double>(right) / static_cast<double>(predicted);
    EXPECT_GE(recall, 0.90) << synth::DupKindName(kind);
    EXPECT_GE(precision, 0.95) << synth::DupKindName(kind);
  }
}

}  // namespace
}  // namespace markaz::cluster
