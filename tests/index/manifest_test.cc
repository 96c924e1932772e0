#include "index/manifest.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "testutil/temp_dir.h"

namespace markaz::index {
namespace {

Manifest Sample() {
  Manifest m;
  m.generation = 7;
  m.next_file = 19;
  m.durable_seq = 1234;
  m.segments = {{"seg_00000012.mkz", "ovl_00000015.mkv"}, {"seg_00000018.mkz", ""}};
  return m;
}

TEST(Manifest, EncodeDecodeRoundTrip) {
  const Manifest m = Sample();
  core::Result<Manifest> back = DecodeManifest(EncodeManifest(m));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, m);
}

TEST(Manifest, EmptyManifestRoundTrips) {
  core::Result<Manifest> back = DecodeManifest(EncodeManifest(Manifest{}));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, Manifest{});
}

TEST(Manifest, WriteThenReadLeavesNoTemporary) {
  testutil::TempDir dir;
  ASSERT_TRUE(WriteManifest(dir.path(), Sample()).ok());
  Manifest second = Sample();
  second.generation = 8;
  ASSERT_TRUE(WriteManifest(dir.path(), second).ok());  // replaces the first
  core::Result<Manifest> back = ReadManifest(dir.path());
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, second);
  std::size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
    EXPECT_EQ(e.path().filename(), kManifestFile);
    ++files;
  }
  EXPECT_EQ(files, 1u);
}

TEST(Manifest, MissingIsNotFound) {
  testutil::TempDir dir;
  core::Result<Manifest> m = ReadManifest(dir.path());
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), core::Code::kNotFound);
  EXPECT_EQ(m.status().reason(), "index_manifest_missing");
}

// Every damage a disk could do is refused with the remedy in the message.
TEST(Manifest, DamagedManifestIsRefused) {
  const std::string good = EncodeManifest(Sample());
  struct Case {
    const char* name;
    std::string bytes;
  };
  std::string flipped = good;
  flipped[good.find("1234")] = '9';  // durable_seq 9234: checksum no longer matches
  std::string bad_checksum = good;
  bad_checksum[bad_checksum.size() - 2] = bad_checksum[bad_checksum.size() - 2] == '0' ? '1' : '0';
  const Case cases[] = {
      {"empty", ""},
      {"truncated in the middle", good.substr(0, good.size() / 2)},
      {"truncated before the checksum", good.substr(0, good.find("checksum"))},
      {"last byte missing", good.substr(0, good.size() - 1)},
      {"a flipped digit", flipped},
      {"a wrong checksum", bad_checksum},
      {"trailing garbage", good + "segment seg_00000099.mkz -\n"},
      {"zeroes", std::string(good.size(), '\0')},
  };
  for (const Case& c : cases) {
    core::Result<Manifest> m = DecodeManifest(c.bytes);
    ASSERT_FALSE(m.ok()) << c.name;
    EXPECT_EQ(m.status().reason(), "index_manifest_corrupt") << c.name;
    EXPECT_NE(m.status().message().find("rebuilt from the store"), std::string::npos) << c.name;
  }
}

TEST(Manifest, DamagedFileOnDiskIsRefused) {
  testutil::TempDir dir;
  ASSERT_TRUE(WriteManifest(dir.path(), Sample()).ok());
  std::string bytes = testutil::ReadFile(dir.Sub(kManifestFile));
  bytes[bytes.size() / 3] ^= 0x20;
  testutil::WriteFile(dir.Sub(kManifestFile), bytes);
  core::Result<Manifest> m = ReadManifest(dir.path());
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().reason(), "index_manifest_corrupt");
}

TEST(Manifest, FileNames) {
  EXPECT_EQ(SegmentFileName(12), "seg_00000012.mkz");
  EXPECT_EQ(OverlayFileName(123456789), "ovl_123456789.mkv");
  struct Case {
    const char* name;
    bool ours;
  } cases[] = {
      {"MANIFEST", true},         {"MANIFEST.tmp", true},
      {"seg_00000001.mkz", true}, {"seg_00000001.mkz.tmp", true},
      {"ovl_00000003.mkv", true}, {"ovl_00000003.mkv.tmp", true},
      {"notes.txt", false},       {"store.sqlite", false},
      {"manifest", false},
  };
  for (const Case& c : cases) EXPECT_EQ(IsIndexFileName(c.name), c.ours) << c.name;
}

TEST(Overlay, RoundTrip) {
  VisibilityOverlay overlay;
  overlay["org-b"].add(3);
  overlay["org-b"].add(70000);
  overlay["org-c"].addRange(0, 5000);
  overlay["org-empty"];  // an empty bitmap survives too
  core::Result<VisibilityOverlay> back = DecodeOverlay(EncodeOverlay(overlay));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ASSERT_EQ(back->size(), overlay.size());
  for (const auto& [reader, docs] : overlay) {
    ASSERT_TRUE(back->contains(reader)) << reader;
    EXPECT_TRUE(back->at(reader) == docs) << reader;
  }
}

TEST(Overlay, DamageIsRefused) {
  VisibilityOverlay overlay;
  overlay["org-b"].add(42);
  const std::string good = EncodeOverlay(overlay);
  for (std::size_t i = 0; i < good.size(); ++i) {
    std::string bad = good;
    bad[i] ^= 0x01;
    EXPECT_FALSE(DecodeOverlay(bad).ok()) << "byte " << i;
  }
  for (std::size_t n = 0; n < good.size(); ++n) {
    EXPECT_FALSE(DecodeOverlay(good.substr(0, n)).ok()) << "length " << n;
  }
}

TEST(Overlay, WrittenDurablyAndRead) {
  testutil::TempDir dir;
  VisibilityOverlay overlay;
  overlay["org-x"].add(7);
  ASSERT_TRUE(WriteFileDurably(dir.path(), OverlayFileName(5), EncodeOverlay(overlay)).ok());
  core::Result<VisibilityOverlay> back = ReadOverlay(dir.Sub(OverlayFileName(5)));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_TRUE(back->at("org-x").contains(7));
  EXPECT_FALSE(std::filesystem::exists(dir.Sub(OverlayFileName(5) + ".tmp")));
}

}  // namespace
}  // namespace markaz::index
