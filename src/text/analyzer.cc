// The analyser: normalise → language → ICU word break → clitics → Snowball.
//
// Word break runs on the normalised text (ligatures are already letters there, harakat and
// tatweel are gone), converted to UTF-16 for ICU; each word's byte range maps back to the
// original through NormalizedText. ICU break iterators and Snowball stemmers are not
// thread-safe, so each thread has its own, made on first use: Analyze is then lock-free.
#include "text/analyzer.h"

#include <libstemmer.h>
#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>
#include <unicode/utext.h>
#include <unicode/utf16.h>

#include <array>
#include <cstdlib>
#include <utility>
#include <vector>

#include "text/clitics.h"
#include "text/fnv.h"
#include "text/utf8.h"

namespace markaz::text {
namespace {

using internal::CliticMode;
using internal::DecodeUtf8;

// The Snowball algorithms we use; the value indexes the per-thread stemmer cache.
enum class Algo : uint8_t {
  kNone,
  kArabic,
  kRussian,
  kGreek,
  kEnglish,
  kFrench,
  kGerman,
  kSpanish,
  kItalian,
  kPortuguese,
  kDutch,
  kSwedish,
  kDanish,
  kNorwegian,
  kFinnish,
  kHungarian,
  kRomanian,
  kTurkish,
  kCatalan,
  kBasque,
  kIrish,
  kLithuanian,
  kIndonesian,
  kCount,
};

constexpr const char* kAlgoNames[] = {
    nullptr,   "arabic",    "russian", "greek",      "english",    "french",
    "german",  "spanish",   "italian", "portuguese", "dutch",      "swedish",
    "danish",  "norwegian", "finnish", "hungarian",  "romanian",   "turkish",
    "catalan", "basque",    "irish",   "lithuanian", "indonesian",
};
static_assert(std::size(kAlgoNames) == static_cast<std::size_t>(Algo::kCount));

// Snowball stemmers for Latin-script languages, by ISO 639-1 code.
Algo LatinAlgo(std::string_view lang) {
  struct Entry {
    std::string_view code;
    Algo algo;
  };
  static constexpr Entry kLatin[] = {
      {"en", Algo::kEnglish},   {"fr", Algo::kFrench},     {"de", Algo::kGerman},
      {"es", Algo::kSpanish},   {"it", Algo::kItalian},    {"pt", Algo::kPortuguese},
      {"nl", Algo::kDutch},     {"sv", Algo::kSwedish},    {"da", Algo::kDanish},
      {"no", Algo::kNorwegian}, {"nb", Algo::kNorwegian},  {"nn", Algo::kNorwegian},
      {"fi", Algo::kFinnish},   {"hu", Algo::kHungarian},  {"ro", Algo::kRomanian},
      {"tr", Algo::kTurkish},   {"ca", Algo::kCatalan},    {"eu", Algo::kBasque},
      {"ga", Algo::kIrish},     {"lt", Algo::kLithuanian}, {"id", Algo::kIndonesian},
  };
  for (const Entry& e : kLatin) {
    if (e.code == lang) return e.algo;
  }
  return Algo::kEnglish;
}

// One stemmer per thread and algorithm (sb_stemmer is not thread-safe), freed with the thread,
// behind a cache of recent stems: news repeats its words (Zipf), and a hash probe costs far
// less than Snowball (which took half of Analyze's time on Arabic before the cache).
class StemmerCache {
 public:
  StemmerCache() = default;
  StemmerCache(const StemmerCache&) = delete;
  StemmerCache& operator=(const StemmerCache&) = delete;
  ~StemmerCache() {
    for (sb_stemmer* s : stemmers_) {
      if (s != nullptr) sb_stemmer_delete(s);
    }
  }

  // Appends the stem of `word` to *out; false (nothing appended) when there is no stemmer.
  bool Stem(Algo algo, std::string_view word, std::string* out) {
    if (algo == Algo::kNone) return false;
    if (word.size() > kMaxCachedWord) return StemUncached(algo, word, out);
    const std::size_t h = internal::Fnv1a{}(word) ^ static_cast<std::size_t>(algo);
    Slot& slot = slots_[h & (kSlots - 1)];
    if (slot.algo != algo || slot.word != word) {
      slot.algo = Algo::kNone;  // invalid until refilled
      slot.stem.clear();
      if (!StemUncached(algo, word, &slot.stem)) return false;
      slot.algo = algo;
      slot.word.assign(word);
    }
    out->append(slot.stem);
    return true;
  }

 private:
  // Direct-mapped: a colliding word replaces the slot's. 16k slots hold a large vocabulary;
  // at ~80 bytes a slot the cache is about 1.3 MB a thread.
  static constexpr std::size_t kSlots = 1 << 14;
  static constexpr std::size_t kMaxCachedWord = 64;
  struct Slot {
    Algo algo = Algo::kNone;
    std::string word;
    std::string stem;
  };

  bool StemUncached(Algo algo, std::string_view word, std::string* out) {
    const auto k = static_cast<std::size_t>(algo);
    if (stemmers_[k] == nullptr) {
      stemmers_[k] = sb_stemmer_new(kAlgoNames[k], "UTF_8");
      if (stemmers_[k] == nullptr) return false;  // out of memory
    }
    const sb_symbol* s =
        sb_stemmer_stem(stemmers_[k], reinterpret_cast<const sb_symbol*>(word.data()),
                        static_cast<int>(word.size()));
    if (s == nullptr) return false;
    const int len = sb_stemmer_length(stemmers_[k]);
    if (len <= 0) return false;
    out->append(reinterpret_cast<const char*>(s), static_cast<std::size_t>(len));
    return true;
  }

  std::array<sb_stemmer*, static_cast<std::size_t>(Algo::kCount)> stemmers_{};
  std::vector<Slot> slots_ = std::vector<Slot>(kSlots);
};

StemmerCache& Stemmers() {
  thread_local StemmerCache cache;
  return cache;
}

// ICU's root word break rules, one iterator per thread cloned from a shared prototype.
icu::BreakIterator& WordBreaker() {
  static const icu::BreakIterator* const prototype = [] {
    UErrorCode status = U_ZERO_ERROR;
    icu::BreakIterator* bi = icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status);
    // ICU's data is linked into the binary (ICU::data): failing here is a broken build.
    if (U_FAILURE(status) || bi == nullptr) std::abort();
    return bi;
  }();
  thread_local std::unique_ptr<icu::BreakIterator> mine(prototype->clone());
  return *mine;
}

// ICU indexes UTF-16 with int32_t: longer texts are not broken into words (analyzer.h).
constexpr std::size_t kMaxAnalyzedBytes = std::size_t{1} << 30;

// The UTF-16 copy of the text being broken into words, per thread; kept between calls unless
// it grew beyond kMaxKeptUtf16 units.
constexpr std::size_t kMaxKeptUtf16 = 1 << 20;
std::vector<UChar>& Utf16Buffer() {
  thread_local std::vector<UChar> buffer;
  return buffer;
}

// Maps increasing UTF-16 indexes of a text to byte offsets of its UTF-8 form.
class Utf16Cursor {
 public:
  explicit Utf16Cursor(const UChar* u16) : u16_(u16) {}
  std::size_t ByteOffset(int32_t index) {
    while (index_ < index) {
      const UChar c = u16_[index_];
      if (c < 0x80) {
        byte_ += 1;
      } else if (c < 0x800) {
        byte_ += 2;
      } else if (U16_IS_LEAD(c)) {
        byte_ += 4;
        ++index_;
      } else {
        byte_ += 3;
      }
      ++index_;
    }
    return byte_;
  }

 private:
  const UChar* u16_;
  int32_t index_ = 0;
  std::size_t byte_ = 0;
};

// What a document (or query) language means for its tokens.
struct Plan {
  bool arabic_stem = true;  // Arabic-script tokens get the arabic stemmer
  CliticMode clitics = CliticMode::kArabic;
  Algo latin = Algo::kEnglish;  // stemmer for Latin-script tokens
  bool french_elision = false;  // l’ d’ qu’ … split off Latin tokens
};

Plan PlanFor(std::string_view lang) {
  // "ar-IQ", "fr_FR", "EN" → the language subtag, lower case.
  std::array<char, 8> buf{};
  std::size_t n = 0;
  for (char c : lang) {
    if (c == '-' || c == '_' || n == buf.size()) break;
    buf[n++] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  const std::string_view code(buf.data(), n);
  Plan p;
  if (code == "fa" || code == "ur" || code == "ps" || code == "ckb" || code == "ku") {
    p.arabic_stem = false;
    p.clitics = CliticMode::kLexiconOnly;
  }
  p.latin = LatinAlgo(code);
  p.french_elision = code == "fr";
  return p;
}

// French elided articles and pronouns before an apostrophe (' or ’): l’Irak → irak.
std::string_view StripElision(std::string_view word) {
  static constexpr std::string_view kElided[] = {
      "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"};
  for (std::string_view e : kElided) {
    if (!word.starts_with(e)) continue;
    std::string_view rest = word.substr(e.size());
    if (rest.starts_with("'")) {
      rest.remove_prefix(1);
    } else if (rest.starts_with("\u2019")) {
      rest.remove_prefix(3);
    } else {
      continue;
    }
    if (!rest.empty()) return rest;
  }
  return word;
}

// The script of a word's first letter; kUnknown when it has neither letters nor digits,
// kUnknown with *has_alnum set for digits only.
Script WordScript(std::string_view word, bool* has_alnum) {
  *has_alnum = false;
  for (std::size_t i = 0; i < word.size();) {
    std::size_t len = 0;
    const char32_t cp = DecodeUtf8(word, i, &len);
    i += len;
    const Script s = ScriptOf(cp);
    if (s != Script::kUnknown) {
      *has_alnum = true;
      return s;
    }
    if (u_isdigit(static_cast<UChar32>(cp))) *has_alnum = true;
  }
  return Script::kUnknown;
}

// Term, stem and script of one normalised word; false when it has no letter or digit.
bool FillToken(std::string_view word, const Plan& plan, const Lexicon* lexicon, Token* t) {
  bool has_alnum = false;
  t->script = WordScript(word, &has_alnum);
  if (!has_alnum) return false;
  t->stem.clear();
  bool stemmed = false;
  switch (t->script) {
    case Script::kArabic:
      internal::StripClitics(word, lexicon, plan.clitics, &t->term);
      if (plan.arabic_stem) {
        stemmed = Stemmers().Stem(Algo::kArabic, internal::StripArticle(t->term), &t->stem);
      }
      break;
    case Script::kLatin:
      t->term.assign(plan.french_elision ? StripElision(word) : word);
      stemmed = Stemmers().Stem(plan.latin, t->term, &t->stem);
      break;
    case Script::kCyrillic:
      t->term.assign(word);
      stemmed = Stemmers().Stem(Algo::kRussian, t->term, &t->stem);
      break;
    case Script::kGreek:
      t->term.assign(word);
      stemmed = Stemmers().Stem(Algo::kGreek, t->term, &t->stem);
      break;
    default:
      t->term.assign(word);
      break;
  }
  if (!stemmed) t->stem = t->term;
  return true;
}

}  // namespace

struct Analyzer::Impl {
  std::shared_ptr<const Lexicon> lexicon;
};

Analyzer::Analyzer(std::shared_ptr<const Lexicon> lexicon)
    : impl_(std::make_unique<Impl>(Impl{std::move(lexicon)})) {}

Analyzer::~Analyzer() = default;

AnalyzedText Analyzer::Analyze(std::string_view utf8, std::string_view lang_hint) const {
  return Analyze(Normalize(utf8), utf8, lang_hint);
}

AnalyzedText Analyzer::Analyze(const NormalizedText& n, std::string_view utf8,
                               std::string_view lang_hint) const {
  AnalyzedText r;
  r.lang = lang_hint.empty() ? DetectLanguage(utf8) : std::string(lang_hint);
  const Plan plan = PlanFor(r.lang);
  if (n.text.empty() || n.text.size() >= kMaxAnalyzedBytes) return r;

  // ICU breaks UTF-16 about 1.7 times as fast as UTF-8 through a UText, which maps every
  // chunk; converting first is cheaper. Break positions are UTF-16 indexes: Utf16Cursor walks
  // them back to byte offsets of n.text.
  UErrorCode status = U_ZERO_ERROR;
  std::vector<UChar>& u16 = Utf16Buffer();
  if (u16.size() < n.text.size() + 1) u16.resize(n.text.size() + 1);
  int32_t u16_len = 0;
  u_strFromUTF8(u16.data(), static_cast<int32_t>(u16.size()), &u16_len, n.text.data(),
                static_cast<int32_t>(n.text.size()), &status);
  UText ut = UTEXT_INITIALIZER;
  utext_openUChars(&ut, u16.data(), u16_len, &status);
  icu::BreakIterator& bi = WordBreaker();
  bi.setText(&ut, status);
  if (U_FAILURE(status)) {  // only on allocation failure
    utext_close(&ut);
    return r;
  }
  r.tokens.reserve(n.text.size() / 8);
  const std::string_view text = n.text;
  const Lexicon* lexicon = impl_->lexicon.get();
  uint32_t position = 0;
  Utf16Cursor cursor(u16.data());
  int32_t start = bi.first();
  for (int32_t end = bi.next(); end != icu::BreakIterator::DONE; start = end, end = bi.next()) {
    if (bi.getRuleStatus() < UBRK_WORD_NONE_LIMIT) continue;  // spaces, punctuation
    const std::size_t b = cursor.ByteOffset(start);
    const std::size_t e = cursor.ByteOffset(end);
    Token& t = r.tokens.emplace_back();
    if (!FillToken(text.substr(b, e - b), plan, lexicon, &t)) {  // e.g. "_" joins words
      r.tokens.pop_back();
      continue;
    }
    t.span = n.OriginalSpan(b, e);
    t.position = position++;
  }
  utext_close(&ut);
  if (u16.size() > kMaxKeptUtf16) std::vector<UChar>().swap(u16);  // a huge text was an outlier
  return r;
}

Token Analyzer::AnalyzeWord(std::string_view word, std::string_view lang) const {
  Token t;
  std::string n = NormalizeString(word);
  std::string_view w = n;
  while (!w.empty() && w.front() == ' ') w.remove_prefix(1);
  while (!w.empty() && w.back() == ' ') w.remove_suffix(1);
  if (!FillToken(w, PlanFor(lang), impl_->lexicon.get(), &t)) {
    t.term.assign(w);
    t.stem.assign(w);
  }
  t.span = {0, CountCodePoints(word)};
  return t;
}

std::span<const std::string> BuiltinLexiconWords() { return internal::BuiltinWords(); }

}  // namespace markaz::text
