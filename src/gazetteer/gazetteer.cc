// The gazetteer's strict TSV parser, its indexes and the watchlist extension (With).
// Format: docs/gazetteer-format.md.
#include "gazetteer/gazetteer.h"

#include <xxhash.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <string>
#include <utility>

#include "gazetteer/utf8.h"
#include "text/normalize.h"

namespace markaz::gazetteer {

using core::Result;
using core::Status;

// Builds the indexes of a Gazetteer whose entities_ and aliases_ are complete and valid.
class GazetteerBuilder {
 public:
  static void Finish(Gazetteer& g);

 private:
  static void BuildPrefixIndex(Gazetteer& g);
};

namespace {

constexpr std::string_view kReason = "gazetteer_bad_data";
constexpr std::string_view kEntitiesFile = "entities.tsv";
constexpr std::string_view kAliasesFile = "aliases.tsv";

constexpr std::string_view kEntityFields[] = {"id",         "kind",    "lat",  "lon",
                                              "population", "country", "names"};
constexpr std::string_view kAliasFields[] = {"alias", "entity", "lang", "flags"};

Status LineError(std::string_view file, std::size_t line, std::string_view message) {
  return Status::InvalidArgument(
      std::string(kReason),
      std::string(file) + ":" + std::to_string(line) + ": " + std::string(message));
}

// "entities.tsv:12: field 3 (lat): not a number: 'x'".
Status FieldError(std::string_view file, std::size_t line, std::size_t field, std::string_view name,
                  std::string_view message) {
  return LineError(
      file, line,
      "field " + std::to_string(field) + " (" + std::string(name) + "): " + std::string(message));
}

std::string Quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// [a-z]+:[A-Za-z0-9._-]+
bool ValidId(std::string_view id) {
  const std::size_t colon = id.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == id.size()) return false;
  for (std::size_t i = 0; i < colon; ++i) {
    if (!IsLower(id[i])) return false;
  }
  for (std::size_t i = colon + 1; i < id.size(); ++i) {
    const char c = id[i];
    if (!IsLower(c) && !IsUpper(c) && !IsDigit(c) && c != '.' && c != '_' && c != '-') {
      return false;
    }
  }
  return true;
}

// A language tag as the data uses them: "ar", "ckb", "zh-Hant".
bool ValidLang(std::string_view lang) {
  if (lang.empty() || !IsLower(lang[0])) return false;
  for (char c : lang) {
    if (!IsLower(c) && !IsUpper(c) && !IsDigit(c) && c != '-') return false;
  }
  return true;
}

bool ValidCountry(std::string_view c) {
  return c.empty() || (c.size() == 2 && IsUpper(c[0]) && IsUpper(c[1]));
}

bool ValidLocation(const core::GeoPoint& p) {
  return p.lat >= -90 && p.lat <= 90 && p.lon >= -180 && p.lon <= 180;
}

std::vector<std::string_view> Split(std::string_view s, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = s.find(separator, start);
    if (end == std::string_view::npos) {
      parts.push_back(s.substr(start));
      return parts;
    }
    parts.push_back(s.substr(start, end - start));
    start = end + 1;
  }
}

// Calls fn(line_number, fields) for each data line (not comments, not empty lines). Checks
// UTF-8, stray carriage returns and the field count first.
template <typename Fn>
Status ForEachRecord(std::string_view file, std::string_view tsv, std::size_t field_count,
                     Fn&& fn) {
  std::size_t bad = 0;
  if (!utf8::Valid(tsv, &bad)) {
    std::size_t line = 1;
    for (std::size_t i = 0; i < bad; ++i) line += tsv[i] == '\n' ? 1 : 0;
    return LineError(file, line, "invalid UTF-8");
  }
  std::size_t line_number = 0;
  std::size_t start = 0;
  while (start < tsv.size()) {
    std::size_t end = tsv.find('\n', start);
    if (end == std::string_view::npos) end = tsv.size();
    const std::string_view line = tsv.substr(start, end - start);
    start = end + 1;
    ++line_number;
    if (line.empty() || line[0] == '#') continue;
    if (line.find('\r') != std::string_view::npos) {
      return LineError(file, line_number, "carriage return (the files use \\n line ends)");
    }
    const std::vector<std::string_view> fields = Split(line, '\t');
    if (fields.size() != field_count) {
      return LineError(file, line_number,
                       "expected " + std::to_string(field_count) + " tab-separated fields, got " +
                           std::to_string(fields.size()));
    }
    MARKAZ_RETURN_IF_ERROR(fn(line_number, fields));
  }
  return Status::Ok();
}

bool ParseDouble(std::string_view s, double* out) {
  if (s.empty()) return false;
  const char* end = s.data() + s.size();
  const auto [ptr, ec] = std::from_chars(s.data(), end, *out);
  return ec == std::errc() && ptr == end;
}

bool ParseInt(std::string_view s, int64_t* out) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  const char* end = s.data() + s.size();
  const auto [ptr, ec] = std::from_chars(s.data(), end, *out);
  return ec == std::errc() && ptr == end;
}

// One line of entities.tsv into *e; errors name the field.
Status ParseEntity(std::size_t line, const std::vector<std::string_view>& f, Entity* e) {
  auto error = [&](std::size_t field, std::string_view message) {
    return FieldError(kEntitiesFile, line, field + 1, kEntityFields[field], message);
  };
  if (!ValidId(f[0])) return error(0, "not an id of the form kind:name: " + Quoted(f[0]));
  e->id = std::string(f[0]);
  Result<EntityKind> kind = ParseEntityKind(f[1]);
  if (!kind.ok()) return error(1, "unknown kind " + Quoted(f[1]));
  e->kind = *kind;
  if (f[2].empty() != f[3].empty()) {
    return error(f[2].empty() ? 2 : 3, "lat and lon must both be given or both be empty");
  }
  if (!f[2].empty()) {
    core::GeoPoint p;
    if (!ParseDouble(f[2], &p.lat) || p.lat < -90 || p.lat > 90) {
      return error(2, "not a latitude in [-90, 90]: " + Quoted(f[2]));
    }
    if (!ParseDouble(f[3], &p.lon) || p.lon < -180 || p.lon > 180) {
      return error(3, "not a longitude in [-180, 180]: " + Quoted(f[3]));
    }
    e->location = p;
  }
  if (!f[4].empty() && !ParseInt(f[4], &e->population)) {
    return error(4, "not a non-negative integer: " + Quoted(f[4]));
  }
  if (!ValidCountry(f[5])) return error(5, "not an ISO 3166 alpha-2 code: " + Quoted(f[5]));
  e->country = std::string(f[5]);
  if (!f[6].empty()) {
    for (std::string_view part : Split(f[6], '|')) {
      const std::size_t eq = part.find('=');
      if (eq == std::string_view::npos) return error(6, "expected lang=text: " + Quoted(part));
      const std::string_view lang = part.substr(0, eq);
      const std::string_view text = part.substr(eq + 1);
      if (!ValidLang(lang)) return error(6, "bad language " + Quoted(lang));
      if (text.empty()) return error(6, "empty name for language " + Quoted(lang));
      e->names.push_back({std::string(lang), std::string(text)});
    }
  }
  return Status::Ok();
}

// The checks ParseEntity makes, for entities that come from the watchlist.
Status ValidateEntity(const Entity& e) {
  auto error = [&](std::string_view message) {
    return Status::InvalidArgument(std::string(kReason),
                                   "entity " + Quoted(e.id) + ": " + std::string(message));
  };
  if (!ValidId(e.id)) return error("not an id of the form kind:name");
  if (e.location && !ValidLocation(*e.location)) return error("location out of range");
  if (e.population < 0) return error("negative population");
  if (!ValidCountry(e.country)) return error("country is not an ISO 3166 alpha-2 code");
  for (const Name& n : e.names) {
    if (!ValidLang(n.lang) || n.text.empty() || !utf8::Valid(n.text)) {
      return error("bad name " + Quoted(n.lang) + "=" + Quoted(n.text));
    }
  }
  return Status::Ok();
}

}  // namespace

std::string_view ToString(EntityKind kind) {
  switch (kind) {
    case EntityKind::kCountry:
      return "country";
    case EntityKind::kCity:
      return "city";
    case EntityKind::kOrganisation:
      return "organisation";
    case EntityKind::kArmedGroup:
      return "armed_group";
    case EntityKind::kPerson:
      return "person";
    case EntityKind::kOther:
      return "other";
  }
  return "other";  // unreachable: the switch covers the enum
}

Result<EntityKind> ParseEntityKind(std::string_view text) {
  for (EntityKind k : {EntityKind::kCountry, EntityKind::kCity, EntityKind::kOrganisation,
                       EntityKind::kArmedGroup, EntityKind::kPerson, EntityKind::kOther}) {
    if (ToString(k) == text) return k;
  }
  return Status::InvalidArgument("gazetteer_bad_kind", "unknown entity kind " + Quoted(text));
}

void GazetteerBuilder::Finish(Gazetteer& g) {
  g.by_id_.clear();
  g.countries_.clear();
  g.single_words_.clear();
  g.by_id_.reserve(g.entities_.size());
  for (uint32_t i = 0; i < g.entities_.size(); ++i) {
    const Entity& e = g.entities_[i];
    g.by_id_.emplace(e.id, i);
    if (e.kind == EntityKind::kCountry && !e.country.empty()) g.countries_.emplace(e.country, i);
  }
  XXH3_state_t* state = XXH3_createState();
  XXH3_128bits_reset(state);
  for (const Alias& a : g.aliases_) {
    if (a.normalized.find(' ') == std::string::npos) g.single_words_.insert(a.normalized);
    const std::string& id = g.entities_[a.entity].id;
    XXH3_128bits_update(state, a.normalized.data(), a.normalized.size());
    XXH3_128bits_update(state, "\t", 1);
    XXH3_128bits_update(state, id.data(), id.size());
    XXH3_128bits_update(state, a.case_sensitive ? "\tcs\n" : "\t\n", a.case_sensitive ? 4 : 2);
  }
  const XXH128_hash_t h = XXH3_128bits_digest(state);
  XXH3_freeState(state);
  char hex[33];
  std::snprintf(hex, sizeof hex, "%016llx%016llx", static_cast<unsigned long long>(h.high64),
                static_cast<unsigned long long>(h.low64));
  g.fingerprint_ = hex;
  BuildPrefixIndex(g);
}

void GazetteerBuilder::BuildPrefixIndex(Gazetteer& g) {
  // Aliases carry their normalised form already; display names are normalised here, since a
  // name need not be an alias (many names in the data are not listed in aliases.tsv).
  // Most names are also written as aliases: their normalised form is looked up rather than
  // recomputed (ICU normalisation of ~77k names would cost ~0.2 s at every start).
  std::unordered_map<std::string_view, std::string_view> known;  // alias text → normalised
  known.reserve(g.aliases_.size());
  std::vector<std::pair<std::string, uint32_t>> forms;
  forms.reserve(g.aliases_.size() + g.entities_.size() * 4);
  for (const Alias& a : g.aliases_) {
    forms.emplace_back(a.normalized, a.entity);
    known.emplace(a.text, a.normalized);
  }
  for (uint32_t i = 0; i < g.entities_.size(); ++i) {
    for (const Name& n : g.entities_[i].names) {
      const auto it = known.find(n.text);
      std::string form =
          it != known.end() ? std::string(it->second) : text::NormalizeString(n.text);
      if (!form.empty()) forms.emplace_back(std::move(form), i);
    }
  }
  std::sort(forms.begin(), forms.end());
  forms.erase(std::unique(forms.begin(), forms.end()), forms.end());
  g.prefix_text_.clear();
  g.prefix_entries_.clear();
  g.prefix_entries_.reserve(forms.size());
  for (std::size_t i = 0; i < forms.size(); ++i) {
    const std::string& form = forms[i].first;
    // Equal forms are adjacent after the sort: the entities they name share one copy.
    if (i == 0 || form != forms[i - 1].first) {
      g.prefix_entries_.push_back({static_cast<uint32_t>(g.prefix_text_.size()),
                                   static_cast<uint32_t>(form.size()), forms[i].second});
      g.prefix_text_ += form;
    } else {
      Gazetteer::PrefixEntry e = g.prefix_entries_.back();
      e.entity = forms[i].second;
      g.prefix_entries_.push_back(e);
    }
  }
  g.prefix_text_.shrink_to_fit();
}

Result<std::shared_ptr<const Gazetteer>> Gazetteer::Parse(std::string_view entities_tsv,
                                                          std::string_view aliases_tsv) {
  auto g = std::make_shared<Gazetteer>();
  StringMap<uint32_t> ids;
  MARKAZ_RETURN_IF_ERROR(
      ForEachRecord(kEntitiesFile, entities_tsv, std::size(kEntityFields),
                    [&](std::size_t line, const std::vector<std::string_view>& f) -> Status {
                      Entity e;
                      MARKAZ_RETURN_IF_ERROR(ParseEntity(line, f, &e));
                      const auto index = static_cast<uint32_t>(g->entities_.size());
                      if (!ids.emplace(e.id, index).second) {
                        return FieldError(kEntitiesFile, line, 1, kEntityFields[0],
                                          "duplicate id " + Quoted(e.id));
                      }
                      g->entities_.push_back(std::move(e));
                      return Status::Ok();
                    }));
  MARKAZ_RETURN_IF_ERROR(ForEachRecord(
      kAliasesFile, aliases_tsv, std::size(kAliasFields),
      [&](std::size_t line, const std::vector<std::string_view>& f) -> Status {
        auto error = [&](std::size_t field, std::string_view message) {
          return FieldError(kAliasesFile, line, field + 1, kAliasFields[field], message);
        };
        Alias a;
        if (f[0].empty()) return error(0, "empty alias");
        a.text = std::string(f[0]);
        a.normalized = text::NormalizeString(a.text);
        if (a.normalized.empty()) return error(0, "normalises to nothing: " + Quoted(f[0]));
        const auto it = ids.find(f[1]);
        if (it == ids.end()) return error(1, "unknown entity " + Quoted(f[1]));
        a.entity = it->second;
        if (!f[2].empty() && !ValidLang(f[2])) return error(2, "bad language " + Quoted(f[2]));
        a.lang = std::string(f[2]);
        if (!f[3].empty()) {
          for (std::string_view flag : Split(f[3], ',')) {
            if (flag != "cs") return error(3, "unknown flag " + Quoted(flag));
            a.case_sensitive = true;
          }
        }
        g->aliases_.push_back(std::move(a));
        return Status::Ok();
      }));
  GazetteerBuilder::Finish(*g);
  return std::shared_ptr<const Gazetteer>(std::move(g));
}

Result<std::shared_ptr<const Gazetteer>> Gazetteer::With(std::vector<Entity> entities,
                                                         std::vector<Alias> aliases) const {
  auto g = std::make_shared<Gazetteer>();
  g->entities_ = entities_;
  g->aliases_ = aliases_;
  StringMap<uint32_t> ids = by_id_;
  for (Entity& e : entities) {
    MARKAZ_RETURN_IF_ERROR(ValidateEntity(e));
    const auto it = ids.find(e.id);
    if (it != ids.end()) {
      g->entities_[it->second] = std::move(e);
    } else {
      const auto index = static_cast<uint32_t>(g->entities_.size());
      ids.emplace(e.id, index);
      g->entities_.push_back(std::move(e));
    }
  }
  for (Alias& a : aliases) {
    if (!a.entity_id.empty()) {
      const auto it = ids.find(a.entity_id);
      if (it == ids.end()) {
        return Status::InvalidArgument(
            std::string(kReason),
            "alias " + Quoted(a.text) + ": unknown entity " + Quoted(a.entity_id));
      }
      a.entity = it->second;
    } else if (a.entity >= g->entities_.size()) {
      return Status::InvalidArgument(std::string(kReason),
                                     "alias " + Quoted(a.text) + ": entity index out of range");
    }
    if (!utf8::Valid(a.text) || (!a.lang.empty() && !ValidLang(a.lang))) {
      return Status::InvalidArgument(std::string(kReason),
                                     "alias " + Quoted(a.text) + ": bad text or language");
    }
    a.normalized = text::NormalizeString(a.text);
    if (a.normalized.empty()) {
      return Status::InvalidArgument(std::string(kReason),
                                     "alias " + Quoted(a.text) + ": normalises to nothing");
    }
    g->aliases_.push_back(std::move(a));
  }
  GazetteerBuilder::Finish(*g);
  return std::shared_ptr<const Gazetteer>(std::move(g));
}

const Entity* Gazetteer::Find(std::string_view id) const {
  const auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &entities_[it->second];
}

std::optional<uint32_t> Gazetteer::IndexOf(std::string_view id) const {
  const auto it = by_id_.find(id);
  if (it == by_id_.end()) return std::nullopt;
  return it->second;
}

std::optional<uint32_t> Gazetteer::CountryIndex(std::string_view iso2) const {
  const auto it = countries_.find(iso2);
  if (it == countries_.end()) return std::nullopt;
  return it->second;
}

std::string_view Gazetteer::NameIn(const Entity& entity, std::string_view lang) const {
  for (const Name& n : entity.names) {
    if (n.lang == lang) return n.text;
  }
  for (const Name& n : entity.names) {
    if (n.lang == "en") return n.text;
  }
  if (!entity.names.empty()) return entity.names.front().text;
  return entity.id;
}

std::vector<uint32_t> Gazetteer::FindByPrefix(std::string_view prefix, std::size_t limit) const {
  const std::string wanted = text::NormalizeString(prefix);
  if (wanted.empty() || limit == 0) return {};
  auto form = [this](const PrefixEntry& e) {
    return std::string_view(prefix_text_).substr(e.offset, e.length);
  };
  // Entries are sorted by form, so those starting with `wanted` are one contiguous run that
  // begins at the first form ≥ `wanted`.
  auto it = std::lower_bound(
      prefix_entries_.begin(), prefix_entries_.end(), std::string_view(wanted),
      [&](const PrefixEntry& e, std::string_view key) { return form(e) < key; });
  struct Candidate {
    uint32_t entity;
    bool exact;
  };
  std::vector<Candidate> candidates;
  for (; it != prefix_entries_.end(); ++it) {
    const std::string_view f = form(*it);
    if (f.substr(0, wanted.size()) != wanted) break;
    candidates.push_back({it->entity, f.size() == wanted.size()});
  }
  // One candidate per entity, exact if any of its forms is.
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    return a.entity != b.entity ? a.entity < b.entity : a.exact > b.exact;
  });
  candidates.erase(std::unique(candidates.begin(), candidates.end(),
                               [](const Candidate& a, const Candidate& b) {
                                 return a.entity == b.entity;
                               }),
                   candidates.end());
  auto better = [this](const Candidate& a, const Candidate& b) {
    if (a.exact != b.exact) return a.exact;
    const Entity& ea = entities_[a.entity];
    const Entity& eb = entities_[b.entity];
    if (ea.population != eb.population) return ea.population > eb.population;
    return ea.id < eb.id;
  };
  const std::size_t n = std::min(limit, candidates.size());
  std::partial_sort(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(n),
                    candidates.end(), better);
  std::vector<uint32_t> result;
  result.reserve(n);
  for (std::size_t i = 0; i < n; ++i) result.push_back(candidates[i].entity);
  return result;
}

bool Gazetteer::Contains(std::string_view normalized_word) const {
  return single_words_.find(normalized_word) != single_words_.end();
}

std::string Gazetteer::Fingerprint() const { return fingerprint_; }

}  // namespace markaz::gazetteer
