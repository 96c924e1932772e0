// The gazetteer (DESIGN.md §3): the entities the centre recognises — countries, cities,
// organisations, armed groups — each with many names in many scripts. Loaded from the
// generated files under data/gazetteer/ (format: docs/gazetteer-format.md), which are compiled
// into the binary, and extended at run time by the chair's watchlist.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/report.h"
#include "core/status.h"
#include "text/analyzer.h"

namespace markaz::gazetteer {

enum class EntityKind { kCountry, kCity, kOrganisation, kArmedGroup, kPerson, kOther };
std::string_view ToString(EntityKind kind);  // "country", "city", "organisation", "armed_group", …
core::Result<EntityKind> ParseEntityKind(std::string_view text);

struct Name {
  std::string lang;  // "en", "ar", "fr", "ru", "fa", "tr", "ur", …
  std::string text;  // display form, as written
};

struct Entity {
  std::string id;  // stable: "country:IQ", "city:98182", "org:un"
  EntityKind kind = EntityKind::kOther;
  std::vector<Name> names;  // display names, preferred first per language
  std::optional<core::GeoPoint> location;
  int64_t population = 0;  // 0 when unknown
  std::string country;     // ISO 3166 alpha-2: a city's country; a country's own
};

struct Alias {
  std::string text;             // as written in the data
  std::string normalized;       // text::NormalizeString(text)
  uint32_t entity = 0;          // index into Gazetteer::entities()
  std::string entity_id;        // With() only: the id of the (new or existing) entity it names;
                                // `entity` and `normalized` are then filled in by With()
  std::string lang;             // may be empty
  bool case_sensitive = false;  // short or ambiguous aliases ("IS"): the original text must
                                // show exactly this form, not just its case-folded equivalent
};

class Gazetteer : public text::Lexicon {
 public:
  // Parses the two TSV files (docs/gazetteer-format.md). Errors name file, line and field.
  static core::Result<std::shared_ptr<const Gazetteer>> Parse(std::string_view entities_tsv,
                                                              std::string_view aliases_tsv);
  // The data compiled into the binary from data/gazetteer/.
  static core::Result<std::shared_ptr<const Gazetteer>> LoadEmbedded();

  // A copy of this gazetteer with more entities and aliases (the watchlist). Entities whose
  // id exists already are replaced (they keep their index); their aliases are added to. An
  // alias names its entity by `entity_id` (an id of this gazetteer or of `entities`), or, when
  // that is empty, by `entity`, an index into the result (this gazetteer's entities, then the
  // new ones in order). `normalized` is recomputed. InvalidArgument for a bad entity id, an
  // unknown alias target or an alias that normalises to nothing.
  core::Result<std::shared_ptr<const Gazetteer>> With(std::vector<Entity> entities,
                                                      std::vector<Alias> aliases) const;

  std::span<const Entity> entities() const { return entities_; }
  std::span<const Alias> aliases() const { return aliases_; }
  const Entity* Find(std::string_view id) const;
  std::optional<uint32_t> IndexOf(std::string_view id) const;
  // The entity of kind country whose `country` is `iso2` ("IQ"), if any.
  std::optional<uint32_t> CountryIndex(std::string_view iso2) const;

  // The display name in `lang`, else English, else the first name, else the id.
  std::string_view NameIn(const Entity& entity, std::string_view lang) const;

  // Entities with a name or alias whose normalised form (text::NormalizeString, the same as
  // Alias::normalized) starts with the normalised `prefix`, best first: an exact match of a whole
  // name or alias first, then by population descending, then by id; each entity once; at most
  // `limit`. Empty prefix (after normalisation): none. For autocomplete: O(log n + answers),
  // where the answers are every (form, entity) pair that the prefix matches before ranking.
  std::vector<uint32_t> FindByPrefix(std::string_view prefix, std::size_t limit) const;

  // text::Lexicon: is this normalised word a single-word alias of some entity?
  bool Contains(std::string_view normalized_word) const override;

  // A stable digest of all aliases (keys the compiled matcher cache): 32 hex digits.
  std::string Fingerprint() const;

 private:
  // Hashing that accepts std::string_view keys without building a std::string.
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  template <typename V>
  using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

  std::vector<Entity> entities_;
  std::vector<Alias> aliases_;
  StringMap<uint32_t> by_id_;
  StringMap<uint32_t> countries_;  // ISO 3166 alpha-2 → entity of kind country
  std::unordered_set<std::string, StringHash, std::equal_to<>> single_words_;  // normalised
  std::string fingerprint_;
  // The prefix index of FindByPrefix: every distinct (normalised name or alias, entity) pair,
  // sorted by form then entity. The forms live in one buffer so that ~100k entries cost
  // ~12 bytes each plus their text, not a std::string each.
  struct PrefixEntry {
    uint32_t offset = 0;  // into prefix_text_
    uint32_t length = 0;
    uint32_t entity = 0;
  };
  std::string prefix_text_;
  std::vector<PrefixEntry> prefix_entries_;
  // Validates and indexes entities_ and aliases_ (gazetteer.cc).
  friend class GazetteerBuilder;
};

}  // namespace markaz::gazetteer
