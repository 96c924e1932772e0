// Arabic proclitics: which first letters of a word are a conjunction, a preposition or the
// article, and which belong to the word (analyzer.h states the rule).
//
// Why the lexicon comes first: Arabic spelling does not separate و ف ب ل ك from the word they
// attach to, and nothing in the letters tells وزير (minister) from و + زير. Only knowing the word
// does. Names come from the gazetteer; common words from the list below. A split is therefore
// trusted when it leaves a known word, and otherwise only when it is hard to be wrong: the
// article forms (a word rarely begins with وال/بال/لل followed by 2+ letters unless it is one),
// and و/ف before a long remainder. Single ب ل ك before an unknown word are left alone: too many
// words begin with them (بريطانيا, لبنان, كركوك).
#include "text/clitics.h"

#include <algorithm>
#include <array>
#include <unordered_set>
#include <vector>

#include "text/fnv.h"
#include "text/normalize.h"

namespace markaz::text::internal {
namespace {

// Common words (and a few names) that begin with و ف ب ل ك as part of the word. They are
// written here as in running text; BuiltinWords() holds their normalised forms. A word here is
// never split, and a split that leaves one of them is trusted (وكان → كان, ببلد → بلد).
// Not here: words that are themselves a clitic + word (ولكن = و + لكن, وهو, فيما).
// One list, packed: it reads better than one word a line.
// clang-format off
constexpr std::string_view kWords[] = {
    // و
    "وزير", "وزيرة", "وزراء", "وزارة", "وزارات", "وزاري", "وزارية", "وكالة", "وكالات", "وكيل",
    "ولاية", "ولايات", "ولاة", "ولي", "ولاء", "وطن", "وطني", "وطنية", "وقت", "وقف", "وضع",
    "وضعية", "وفد", "وفود", "وفاة", "وفيات", "وفق", "وفقا", "وفرة", "ولد", "ولادة", "والد",
    "والدة", "والدي", "والدين", "وادي", "واحد", "واحدة", "واضح", "واضحة", "واسع", "واسعة",
    "واقع", "وقائع", "واجب", "واجبات", "وثيقة", "وثائق", "وسيلة", "وسائل", "وسط", "وسطى", "وجه",
    "وجهة", "وجود", "ورقة", "وراء", "وزن", "وصول", "وعد", "وعي", "وقع", "وقود", "وباء", "ورشة",
    "وريث", "وليد", "وظيفة", "وظائف", "وحدة", "وحدات", "ودائع", "واشنطن", "وارسو", "وهران",
    "ويلز", "وسام",
    // ف
    "فرنسا", "فرنسي", "فرنسية", "فلسطين", "فلسطيني", "فلسطينية", "فلسطينيين", "فقط", "فترة",
    "فريق", "فرقة", "فرق", "فرع", "فروع", "فرصة", "فرص", "فكرة", "فصل", "فصائل", "فصيل", "فعل",
    "فعلا", "فعالية", "فعاليات", "في", "فيه", "فيها", "فوق", "فوز", "فاز", "فائز", "فئة",
    "فئات", "فتح", "فتاة", "فتيات", "فندق", "فنادق", "فيلم", "فن", "فنون", "فنان", "فنزويلا",
    "فنلندا", "فيتنام", "فيينا", "فيلق", "فبراير", "فيروس", "فيدرالي", "فيدرالية", "فضاء",
    "فضائي", "فضائية", "فساد", "فشل", "فقر", "فقراء", "فلاح", "فالح", "فالنسيا", "فارس",
    "فاطمة", "فيصل", "فهد", "فؤاد", "فجر", "فوضى", "فيضانات", "فرض", "فراغ", "فاعل", "فائدة",
    "فوائد", "فحص", "فضل",
    // ب
    "بغداد", "بريطانيا", "بريطاني", "بريطانية", "بيروت", "بلد", "بلاد", "بلدان", "بلدة",
    "بلدية", "بعد", "بين", "بعض", "بيان", "بيانات", "برلمان", "برلماني", "بنك", "بنوك",
    "بنغازي", "بكين", "بلجيكا", "باريس", "برلين", "بروكسل", "باكستان", "بنغلاديش", "بوتين",
    "بشار", "بيت", "بيوت", "بناء", "بداية", "بدء", "برنامج", "برامج", "بحث", "بحر", "بحري",
    "بحرية", "بري", "بطل", "بالغ", "بالغة", "باب", "بعيد", "بطولة", "بقاء", "بقية", "بيع",
    "بحيرة", "بديل", "بوابة", "بدون", "بكر", "بورصة", "بنزين", "بلغاريا", "بولندا", "بيلاروسيا",
    "بورما", "بوروندي", "بنما", "بيرو", "بوليفيا", "بنين", "بيشاور", "بودابست", "بوخارست",
    "بلغراد", "براغ", "برازيليا", "بعقوبة", "بابل", "بيئة", "بث", "بدل", "بطاقة", "بطالة",
    "بضائع", "بلاغ", "بدر", "بالستي", "بالستية",
    // ل
    "لبنان", "لبناني", "لبنانية", "ليبيا", "ليبي", "ليبية", "لندن", "لكن", "لجنة", "لجان",
    "لقاء", "لقاءات", "لواء", "لعب", "لعبة", "لغة", "لغات", "ليلة", "ليس", "لدى", "لذلك",
    "لماذا", "لقد", "لحظة", "لاعب", "لاعبين", "لاجئ", "لاجئون", "لاجئين", "ليتوانيا", "لاتفيا",
    "لوكسمبورغ", "لشبونة", "لاهاي", "لاغوس", "لحم", "لقب", "لوحة", "لائحة", "لازم", "ليبيريا",
    "لجوء", "لوجستي",
    // ك
    "كركوك", "كابول", "كان", "كانت", "كانوا", "كل", "كلا", "كيف", "كبير", "كبيرة", "كبار",
    "كثير", "كثيرة", "كلمة", "كلام", "كتاب", "كتب", "كتيبة", "كتائب", "كرة", "كندا", "كوريا",
    "كوبا", "كينيا", "كولومبيا", "كرواتيا", "كازاخستان", "كمبوديا", "كاراكاس", "كراتشي",
    "كربلاء", "كردستان", "كردي", "كردية", "كرد", "كلية", "كمية", "كميات", "كما", "كذلك", "كامل",
    "كاملة", "كشف", "كافة", "كافية", "كرسي", "كلفة", "كهرباء", "كيلومتر", "كيلومترات", "كنيسة",
    "كتلة", "كمين", "كوادر", "كاتب", "كيان", "كيانات", "كارثة", "كوارث", "كفاح", "كرامة", "كسر",
};
// clang-format on

struct BuiltinSet {
  std::vector<std::string> sorted;                     // normalised, sorted, unique
  std::unordered_set<std::string_view, Fnv1a> lookup;  // views into `sorted`
};

const BuiltinSet& Builtin() {
  static const BuiltinSet set = [] {
    BuiltinSet b;
    b.sorted.reserve(std::size(kWords));
    for (std::string_view s : kWords) b.sorted.push_back(NormalizeString(s));
    std::sort(b.sorted.begin(), b.sorted.end());
    b.sorted.erase(std::unique(b.sorted.begin(), b.sorted.end()), b.sorted.end());
    b.lookup.reserve(2 * b.sorted.size());
    for (const std::string& w : b.sorted) b.lookup.insert(w);
    return b;
  }();
  return set;
}

// Normalised letters, two bytes each in UTF-8.
constexpr std::string_view kWaw = "\u0648";       // و
constexpr std::string_view kFa = "\u0641";        // ف
constexpr std::string_view kBa = "\u0628";        // ب
constexpr std::string_view kLam = "\u0644";       // ل
constexpr std::string_view kKaf = "\u0643";       // ك
constexpr std::string_view kAl = "\u0627\u0644";  // ال

// Proclitic letters whose remainder is tried against the lexicon, shortest first.
constexpr std::string_view kLexiconPrefixes[] = {
    "\u0648",       "\u0641",       "\u0628",       "\u0644", "\u0643",  // و ف ب ل ك
    "\u0648\u0628", "\u0648\u0644", "\u0648\u0643",                      // وب ول وك
    "\u0641\u0628", "\u0641\u0644", "\u0641\u0643",                      // فب فل فك
};

// Article forms, longest first. `contracted`: ل + ال written لل, whose alef is restored.
struct ArticlePrefix {
  std::string_view letters;
  bool contracted;
};
constexpr ArticlePrefix kArticlePrefixes[] = {
    {"\u0648\u0628\u0627\u0644", false},  // وبال
    {"\u0648\u0643\u0627\u0644", false},  // وكال
    {"\u0641\u0628\u0627\u0644", false},  // فبال
    {"\u0648\u0627\u0644", false},        // وال
    {"\u0641\u0627\u0644", false},        // فال
    {"\u0628\u0627\u0644", false},        // بال
    {"\u0643\u0627\u0644", false},        // كال
    {"\u0648\u0644\u0644", true},         // ولل
    {"\u0641\u0644\u0644", true},         // فلل
    {"\u0644\u0644", true},               // لل
};

constexpr uint32_t kMinAfterArticle = 2;  // letters after ال for an article split
constexpr uint32_t kMinAfterWawFa = 4;    // letters after a lone و or ف without the lexicon

bool StartsWithCliticLetter(std::string_view w) {
  return w.starts_with(kWaw) || w.starts_with(kFa) || w.starts_with(kBa) || w.starts_with(kLam) ||
         w.starts_with(kKaf);
}

}  // namespace

std::span<const std::string> BuiltinWords() { return Builtin().sorted; }

bool InBuiltinWords(std::string_view normalized_word) {
  return Builtin().lookup.contains(normalized_word);
}

void StripClitics(std::string_view word, const Lexicon* lexicon, CliticMode mode,
                  std::string* term) {
  if (!StartsWithCliticLetter(word)) {
    term->assign(word);
    return;
  }
  auto known = [lexicon](std::string_view w) {
    return InBuiltinWords(w) || (lexicon != nullptr && lexicon->Contains(w));
  };
  // 1. The whole word is known: never split.
  if (known(word)) {
    term->assign(word);
    return;
  }
  // 2. A split that leaves a known word (ببغداد → بغداد, للبنان → لبنان, ولروسيا → روسيا).
  for (std::string_view p : kLexiconPrefixes) {
    if (!word.starts_with(p)) continue;
    const std::string_view rest = word.substr(p.size());
    if (CountCodePoints(rest) >= 2 && known(rest)) {
      term->assign(rest);
      return;
    }
  }
  if (mode == CliticMode::kLexiconOnly) {
    term->assign(word);
    return;
  }
  // 3. The article after a clitic: keep ال in the term, restore it where ل + ال became لل.
  for (const ArticlePrefix& p : kArticlePrefixes) {
    if (!word.starts_with(p.letters)) continue;
    const std::string_view rest = word.substr(p.letters.size());
    if (CountCodePoints(rest) < kMinAfterArticle) break;  // a shorter form would leave no more
    if (p.contracted) {
      term->assign(kAl);
      term->append(rest);
    } else {
      term->assign(word.substr(p.letters.size() - kAl.size()));
    }
    return;
  }
  // 4. A lone و or ف before a long remainder.
  if (word.starts_with(kWaw) || word.starts_with(kFa)) {
    const std::string_view rest = word.substr(kWaw.size());
    if (CountCodePoints(rest) >= kMinAfterWawFa) {
      term->assign(rest);
      return;
    }
  }
  term->assign(word);
}

std::string_view StripArticle(std::string_view term) {
  if (term.starts_with(kAl)) {
    const std::string_view rest = term.substr(kAl.size());
    if (CountCodePoints(rest) >= 2) return rest;
  }
  return term;
}

}  // namespace markaz::text::internal
