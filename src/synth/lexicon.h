// The data the synthetic corpus is made of: a small built-in list of places and organisations
// with their names in five languages, per-language sentence templates, and the little template
// language that turns them into text.
//
// This is test-and-demo data, not the gazetteer: ~40 places and ~12 organisations, enough to give
// the text, gazetteer and cluster modules realistic multilingual input with a known answer.
//
// Example:
//   const Entity* baghdad = FindEntity("place:baghdad");
//   Bindings b = ...;                      // what the report is about
//   std::mt19937_64 rng(42);
//   std::string out;
//   std::vector<const Entity*> named;
//   Render(Pack(Lang::kAr).body[0], Pack(Lang::kAr), b, rng, &out, &named);
//
// Thread-safety: all data is immutable; the functions are pure apart from the rng they are given.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace markaz::synth {

// The languages the templates are written in; the value indexes per-language arrays.
enum class Lang { kAr = 0, kEn = 1, kFr = 2, kRu = 3, kFa = 4 };
inline constexpr int kLangCount = 5;

std::string_view LangCode(Lang lang);                  // "ar", "en", "fr", "ru", "fa"
std::optional<Lang> ParseLang(std::string_view code);  // exact, lower case

enum class EntityKind {
  kCountry,
  kCity,
  kGroup,        // armed groups: the actors of security stories
  kInstitution,  // international bodies: the actors of diplomatic and humanitarian stories
};

// One name of an entity in one language, with what the templates need to inflect it.
struct Name {
  std::string_view text;  // as written in running text; empty ends a name list
  // en: 't' when the name takes "the" ("the United Nations").
  // fr: article class, from which the "the/of/in/to" forms derive: 'm' le/du/au, 'f' la/de la/en,
  //     'v' l'/de l'/en (vowel), 'p' les/des/aux, 'c' none (cities, "Daech": à/de or d').
  //     A name that starts with "Le " carries its article ("Le Caire": du Caire, au Caire).
  char cls = 0;
  std::string_view gen = {};  // ru: genitive ("Ирака"); for places and organisations
  std::string_view loc = {};  // ru: prepositional ("Ираке"), written after "в"/"во"; places only
};

inline constexpr int kMaxNames = 4;

// A place or an organisation. Ids are stable: "place:baghdad", "org:isis".
struct Entity {
  std::string_view id;
  EntityKind kind;
  std::string_view country;  // cities: the id of their country; empty otherwise
  double lat = 0;            // places: a representative point (city centre, country centroid)
  double lon = 0;
  // Per Lang, in enum order; the first name is the primary one. Places have one name per
  // language, organisations several aliases (داعش, تنظيم الدولة, ISIS, ИГИЛ ...).
  Name names[kLangCount][kMaxNames];
};

std::span<const Entity> Entities();
// nullptr when no entity has this id.
const Entity* FindEntity(std::string_view id);

// Every string the generator may write for `e`, in all languages: the names, the Russian genitive
// and prepositional forms, and the French forms with their articles. Arabic names may in addition
// carry a clitic prefix in text: و ب ل ف, with ل + ال written لل (العراق → للعراق).
std::vector<std::string> SurfaceForms(const Entity& e);

// Stories are of one of these kinds; titles and leads are chosen to match, the body is shared.
enum class Theme { kSecurity, kDiplomacy, kHumanitarian };
std::string_view ThemeName(Theme theme);  // "security", "diplomacy", "humanitarian"

struct Template {
  std::string_view text;
  Theme theme = Theme::kSecurity;  // meaningful for titles and leads only
};

// Everything one language contributes. Template language:
//   [a|b|c]          one option, chosen at random (options may hold slots and nested choices).
//                    Every option must name the same entity slots, so that re-rendering a
//                    sentence with other choices (a rewrite) names the same entities.
//   {S} {S.form}     a slot. Entities: T1 T2 (cities), C1 C2 C3 (countries), G1 (an armed
//                    group), I1 I2 (institutions). Forms: gen (ru genitive), in (ru "в Ираке",
//                    fr "en Irak"/"à Bagdad"), of the to (fr "de l'Irak"/"l'Irak"/"à l'Irak"),
//                    wa bi li fa (ar clitics و ب ل ف). Organisations are named by a random alias.
//                    Numbers: N1 (3–60), N2 (100–9000, multiples of 10), N3 (3–10); D is the
//                    weekday phrase ("on Monday", "يوم الاثنين").
//   {N1|a|b|c}       a number with its counted noun in the form the number needs:
//                    ru: a after 1 (21, 31 …), b after 2–4, c otherwise;
//                    ar: a for 3–10, b for 11–99, c for hundreds (by the last two digits).
struct LangPack {
  Lang lang;
  std::span<const Template> titles;
  std::span<const Template> leads;
  std::span<const std::string_view> body;
  std::span<const std::string_view> closings;
  std::array<std::string_view, 7> weekdays;  // Monday first, as written after a verb
  std::string_view agency;         // "Synthetic Wire" in this language, for reprint datelines
  std::string_view update_prefix;  // prepended to a reprint's title ("UPDATE 1-")
  bool persian_digits = false;     // write numbers with ۰۱۲۳۴۵۶۷۸۹
};

const LangPack& Pack(Lang lang);

// What a report is about: the values its slots take.
struct Bindings {
  const Entity* t1 = nullptr;
  const Entity* t2 = nullptr;
  const Entity* c1 = nullptr;
  const Entity* c2 = nullptr;
  const Entity* c3 = nullptr;
  const Entity* g1 = nullptr;
  const Entity* i1 = nullptr;
  const Entity* i2 = nullptr;
  int n1 = 3;
  int n2 = 100;
  int n3 = 3;
  int weekday = 0;  // 0 = Monday
};

// Uniform integer in [0, n), n > 0, by rejection: the same on every standard library
// (std::uniform_int_distribution is not).
std::uint64_t UniformBelow(std::mt19937_64& rng, std::uint64_t n);

// Appends `text` rendered in `pack`'s language to *out and the entities it names (once per
// mention) to *named. Choices are drawn from `rng`. The template must be one that
// CheckTemplates() accepts; all bindings must be set.
void Render(std::string_view text, const LangPack& pack, const Bindings& b, std::mt19937_64& rng,
            std::string* out, std::vector<const Entity*>* named);

// Checks every template of every pack: brackets balance, slots and forms are known and valid for
// the language, every choice names the same entity slots in each option, and entity names are
// unique across entities. Returns Internal naming the first bad template.
core::Status CheckLexicon();

}  // namespace markaz::synth
