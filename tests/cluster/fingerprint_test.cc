// Shingles, MinHash, the exact set measures, the stored blob and NumberTerms, over text that
// goes through the real analyser.
#include "cluster/fingerprint.h"

#include <gtest/gtest.h>
#include <xxhash.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "synth/generator.h"
#include "text/analyzer.h"

namespace markaz::cluster {
namespace {

const text::Analyzer& SharedAnalyzer() {
  static const text::Analyzer analyzer;
  return analyzer;
}

Fingerprint Of(std::string_view text, std::string_view lang = "en") {
  return MakeFingerprint(SharedAnalyzer().Analyze(text, lang).tokens);
}

std::vector<std::string> NumbersOf(std::string_view text, std::string_view lang = "en") {
  return NumberTerms(SharedAnalyzer().Analyze(text, lang).tokens);
}

TEST(Fingerprint, SameTextGivesSameSortedUniqueShinglesAndSignature) {
  const std::string text =
      "Fighters of the group advanced on the northern districts of Mosul on Tuesday, officials "
      "said, while aid agencies counted 3500 people leaving the city.";
  const Fingerprint a = Of(text);
  const Fingerprint b = Of(text);
  EXPECT_EQ(a.shingles, b.shingles);
  EXPECT_EQ(a.minhash, b.minhash);
  EXPECT_EQ(a.minhash.size(), static_cast<std::size_t>(kHashes));
  EXPECT_TRUE(std::is_sorted(a.shingles.begin(), a.shingles.end()));
  EXPECT_EQ(std::adjacent_find(a.shingles.begin(), a.shingles.end()), a.shingles.end());
}

TEST(Fingerprint, OneShinglePerRunOfFiveWords) {
  // 12 distinct words: 8 runs of five, all different.
  const Fingerprint f =
      Of("alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima");
  EXPECT_EQ(f.shingles.size(), 8u);
  // A repeated run counts once.
  const Fingerprint g = Of("alpha bravo charlie delta echo. alpha bravo charlie delta echo");
  EXPECT_EQ(g.shingles.size(), 5u);  // 6 runs, the last equals the first
}

TEST(Fingerprint, ShortAndEmptyTexts) {
  const Fingerprint three = Of("three short words");
  EXPECT_EQ(three.shingles.size(), 1u);
  EXPECT_EQ(three.minhash.size(), static_cast<std::size_t>(kHashes));
  EXPECT_NE(three.shingles, Of("three other words").shingles);
  const Fingerprint none = Of("  ... !! ");
  EXPECT_TRUE(none.shingles.empty());
  EXPECT_TRUE(none.minhash.empty());
}

TEST(Fingerprint, ShinglesReadNormalisedTerms) {
  // Case, Arabic diacritics and the conjunction clitic disappear in the analyser's terms.
  EXPECT_EQ(Of("Fighters ENTERED the city of Mosul today").shingles,
            Of("fighters entered THE City of mosul TODAY").shingles);
  EXPECT_EQ(Of("دخل المقاتلون مدينة الموصل صباح اليوم", "ar").shingles,
            Of("دَخَلَ المقاتلون مدينة الموصل صباح اليوم", "ar").shingles);
  EXPECT_NE(Of("fighters entered the city of Mosul today").shingles,
            Of("fighters entered the town of Mosul today").shingles);
}

TEST(Fingerprint, SignatureAgreementEstimatesJaccard) {
  // Over generated reports and their duplicates, the share of equal signature values tracks
  // the exact Jaccard (the LSH bands rely on it).
  synth::GenOptions options;
  options.seed = 11;
  options.count = 400;
  options.langs = {"en", "fr"};
  auto gen = synth::Generator::Create(options);
  ASSERT_TRUE(gen.ok());
  std::vector<Fingerprint> prints;
  std::vector<std::string> ids;
  std::vector<std::pair<std::size_t, std::size_t>> pairs;
  std::string line;
  synth::GroundTruth truth;
  while (gen->Next(&line, &truth)) {
    const auto j = nlohmann::json::parse(line);
    prints.push_back(Of(j["title"].get<std::string>() + "\n\n" + j["body"].get<std::string>(),
                        j["lang"].get<std::string>()));
    ids.push_back(truth.external_id);
    if (!truth.of.empty()) {
      const auto of = std::find(ids.begin(), ids.end(), truth.of) - ids.begin();
      pairs.emplace_back(static_cast<std::size_t>(of), prints.size() - 1);
    }
    if (prints.size() >= 2 && truth.of.empty())
      pairs.emplace_back(prints.size() - 2, prints.size() - 1);
  }
  ASSERT_GT(pairs.size(), 100u);
  double worst = 0, total = 0;
  for (const auto& [a, b] : pairs) {
    std::size_t equal = 0;
    for (int i = 0; i < kHashes; ++i) equal += prints[a].minhash[i] == prints[b].minhash[i];
    const double estimate = static_cast<double>(equal) / kHashes;
    const double error = std::abs(estimate - Jaccard(prints[a].shingles, prints[b].shingles));
    worst = std::max(worst, error);
    total += error;
  }
  // 128 values: standard error ≤ 0.045; allow a few deviations of ~4 σ.
  EXPECT_LT(total / static_cast<double>(pairs.size()), 0.05);
  EXPECT_LT(worst, 0.2);
}

TEST(Fingerprint, JaccardAndContainmentAreExact) {
  struct Case {
    std::vector<std::uint32_t> a, b;
    double jaccard, containment;
  } cases[] = {
      {{1, 2, 3, 4}, {1, 2, 3, 4}, 1.0, 1.0},
      {{1, 2}, {1, 2, 3, 4}, 0.5, 1.0},
      {{1, 2, 3, 4}, {1, 2}, 0.5, 0.5},
      {{1, 3, 5, 7}, {2, 3, 6, 7}, 2.0 / 6.0, 0.5},
      {{1, 2, 3}, {4, 5, 6}, 0.0, 0.0},
      {{}, {1, 2}, 0.0, 0.0},
      {{1, 2}, {}, 0.0, 0.0},
      {{0xFFFFFFFFu}, {0, 0xFFFFFFFFu}, 0.5, 1.0},
  };
  for (const Case& c : cases) {
    EXPECT_DOUBLE_EQ(Jaccard(c.a, c.b), c.jaccard);
    EXPECT_DOUBLE_EQ(Containment(c.a, c.b), c.containment);
  }
}

TEST(Fingerprint, EncodeDecodeRoundTrip) {
  for (const Fingerprint& f :
       {Of("Officials said 17 people were killed when a car bomb exploded near a market in "
           "Baghdad on Monday evening."),
        Of("one"), Of("")}) {
    const std::string blob = EncodeFingerprint(f);
    core::Result<Fingerprint> back = DecodeFingerprint(blob);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(back->shingles, f.shingles);
    EXPECT_EQ(back->minhash, f.minhash);
    EXPECT_EQ(blob.size(), 24 + 4 * (f.shingles.size() + f.minhash.size()));
  }
}

TEST(Fingerprint, NumbersTravelWithTheBlobAndVersion1BlobsStillRead) {
  const Fingerprint f = Of("Officials said 17 people were killed when a car bomb exploded");
  const std::vector<std::string> numbers = {"17", "2015", "3.5", std::string(300, '9')};
  const std::string blob = EncodeFingerprint(f, numbers);
  std::vector<std::string> back_numbers = {"stale"};
  core::Result<Fingerprint> back = DecodeFingerprint(blob, &back_numbers);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->shingles, f.shingles);
  EXPECT_EQ(back_numbers, (std::vector<std::string>{"17", "2015", "3.5"}))
      << "a 300-digit term is not a number anyone repeats: not kept";
  // A v1 blob: the v2 layout without the number count, version byte 1.
  std::string v1 = EncodeFingerprint(f);
  v1.resize(v1.size() - 8);  // drop the check and the (zero) number count
  v1[4] = 1;
  const std::uint64_t check = XXH3_64bits(v1.data(), v1.size());
  for (int i = 0; i < 4; ++i) v1.push_back(static_cast<char>((check >> (8 * i)) & 0xff));
  core::Result<Fingerprint> old = DecodeFingerprint(v1, &back_numbers);
  ASSERT_TRUE(old.ok()) << old.status().ToString();
  EXPECT_EQ(old->minhash, f.minhash);
  EXPECT_TRUE(back_numbers.empty());
  // A number list that runs past its end is refused (the check is recomputed to get there).
  std::string truncated = EncodeFingerprint(f, std::vector<std::string>{"17"});
  truncated.resize(truncated.size() - 4);
  truncated[truncated.size() - 3] = 9;  // the length byte of "17" now claims 9 bytes
  const std::uint64_t c2 = XXH3_64bits(truncated.data(), truncated.size());
  for (int i = 0; i < 4; ++i) truncated.push_back(static_cast<char>((c2 >> (8 * i)) & 0xff));
  EXPECT_EQ(DecodeFingerprint(truncated, &back_numbers).status().reason(), "bad_fingerprint");
}

TEST(Fingerprint, BadBlobsAreRejected) {
  const std::string good = EncodeFingerprint(Of("a car bomb exploded near a market in Baghdad"));
  std::vector<std::string> bad = {"", "MKFP", good.substr(0, good.size() - 1), good + "x"};
  std::string magic = good;
  magic[0] = 'X';
  bad.push_back(magic);
  std::string version = good;
  version[4] = 9;
  bad.push_back(version);
  std::string flipped = good;
  flipped[20] = static_cast<char>(flipped[20] ^ 1);  // a shingle byte: the check catches it
  bad.push_back(flipped);
  Fingerprint unsorted = Of("a car bomb exploded near a market in Baghdad");
  std::swap(unsorted.shingles.front(), unsorted.shingles.back());
  bad.push_back(EncodeFingerprint(unsorted));
  Fingerprint short_signature = Of("a car bomb exploded near a market in Baghdad");
  short_signature.minhash.resize(5);
  bad.push_back(EncodeFingerprint(short_signature));
  for (const std::string& blob : bad) {
    core::Result<Fingerprint> f = DecodeFingerprint(blob);
    ASSERT_FALSE(f.ok()) << blob.size();
    EXPECT_EQ(f.status().code(), core::Code::kInvalidArgument);
    EXPECT_EQ(f.status().reason(), "bad_fingerprint");
  }
}

TEST(Fingerprint, NumberTermsAreDigitsWithOneSeparator) {
  struct Case {
    std::string text, lang;
    std::vector<std::string> numbers;
  } cases[] = {
      {"17 people and 3.5 tonnes, again 17", "en", {"17", "3.5"}},
      {"قتل ١٧ شخصا", "ar", {"17"}},  // Arabic-Indic digits are folded by the normaliser
      {"۲۵ نفر", "fa", {"25"}},
      {"version 1.2.3 of model T800 on day 1", "en", {"1"}},
      {"no numbers here", "en", {}},
  };
  for (const Case& c : cases) EXPECT_EQ(NumbersOf(c.text, c.lang), c.numbers) << c.text;
}

}  // namespace
}  // namespace markaz::cluster
