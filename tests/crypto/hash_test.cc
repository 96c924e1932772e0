// Tests for crypto/hash.h: known-answer vectors, hex, random bytes, constant-time equality.
#include "crypto/hash.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace markaz::crypto {
namespace {

struct DigestCase {
  const char* name;
  std::string input;
  const char* hex;
};

TEST(Blake2b256, KnownAnswers) {
  const DigestCase cases[] = {
      {"empty", "", "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8"},
      {"abc", "abc", "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(ToHex(Blake2b256(c.input)), c.hex) << c.name;
  }
}

TEST(Sha256, KnownAnswers) {
  const DigestCase cases[] = {
      {"empty", "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {"abc", "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(ToHex(Sha256(c.input)), c.hex) << c.name;
  }
}

TEST(HmacSha256, Rfc4231Vectors) {
  struct Case {
    const char* name;
    std::string key;
    std::string data;
    const char* hex;
  };
  const Case cases[] = {
      {"test case 1 (20-byte key)", std::string(20, '\x0b'), "Hi There",
       "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
      {"test case 2 (short key)", "Jefe", "what do ya want for nothing?",
       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
      {"test case 6 (131-byte key, longer than a block)", std::string(131, '\xaa'),
       "Test Using Larger Than Block-Size Key - Hash Key First",
       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(ToHex(HmacSha256(c.key, c.data)), c.hex) << c.name;
  }
}

TEST(HmacSha256, KeyMatters) {
  EXPECT_NE(HmacSha256("key-a", "data"), HmacSha256("key-b", "data"));
}

TEST(Hex, EncodesLowerCase) {
  EXPECT_EQ(ToHex(std::string("\x00\x01\xab\xff", 4)), "0001abff");
  EXPECT_EQ(ToHex(std::string_view()), "");
}

TEST(Hex, RoundTripsEveryByte) {
  std::string all;
  for (int b = 0; b < 256; ++b) all.push_back(static_cast<char>(b));
  std::string back;
  ASSERT_TRUE(FromHex(ToHex(all), &back));
  EXPECT_EQ(back, all);
}

TEST(Hex, DigestOverloadMatchesBytes) {
  const Digest32 d = Sha256("abc");
  EXPECT_EQ(ToHex(d), ToHex(std::string_view(reinterpret_cast<const char*>(d.data()), d.size())));
}

TEST(Hex, RejectsBadInput) {
  struct Case {
    const char* name;
    std::string hex;
  };
  const Case cases[] = {
      {"odd length", "abc"}, {"non-hex letter", "zz"}, {"upper case", "AB"},
      {"space", "a b "},     {"sign", "-1"},           {"embedded NUL", std::string("a\0", 2)},
  };
  for (const auto& c : cases) {
    std::string out = "unchanged";
    EXPECT_FALSE(FromHex(c.hex, &out)) << c.name;
    EXPECT_EQ(out, "unchanged") << c.name << ": output must be left alone on failure";
  }
}

TEST(Hex, EmptyIsValid) {
  std::string out = "x";
  EXPECT_TRUE(FromHex("", &out));
  EXPECT_EQ(out, "");
}

TEST(RandomBytes, HasRequestedLength) {
  for (std::size_t n : {0u, 1u, 16u, 32u, 1000u}) {
    EXPECT_EQ(RandomBytes(n).size(), n);
  }
}

TEST(RandomBytes, DoesNotRepeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) seen.insert(RandomBytes(32));
  EXPECT_EQ(seen.size(), 100u);
  // Not all zeros (what an uninitialised buffer would give).
  EXPECT_NE(RandomBytes(32), std::string(32, '\0'));
}

TEST(ConstantTimeEqual, ComparesEveryByte) {
  const Digest32 a = Blake2b256("a");
  EXPECT_TRUE(ConstantTimeEqual(a, a));
  EXPECT_TRUE(ConstantTimeEqual(a, Blake2b256("a")));
  EXPECT_FALSE(ConstantTimeEqual(a, Blake2b256("b")));
  for (std::size_t i : {0u, 15u, 31u}) {
    Digest32 b = a;
    b[i] ^= 0x01;
    EXPECT_FALSE(ConstantTimeEqual(a, b)) << "byte " << i;
  }
}

}  // namespace
}  // namespace markaz::crypto
