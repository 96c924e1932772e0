// The query parser: a small hand-written scanner over the syntax of query.h, then the words
// through the one analyser. Two passes: Scan() cuts the text into clauses (word, phrase, field
// filter, OR) and remembers where each began, so that every error names its byte offset;
// ParseQuery() then folds OR chains into groups and analyses the words.
#include "index/query.h"

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <string>
#include <unordered_set>
#include <utility>

#include "core/time.h"
#include "index/document.h"

namespace markaz::index {
namespace {

using core::Result;
using core::Status;

Status BadQuery(std::string message) {
  return Status::InvalidArgument("bad_query", std::move(message));
}

std::string At(std::size_t offset) { return " at byte " + std::to_string(offset); }

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool IsFieldChar(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }

// One clause of the query text as written.
struct Clause {
  enum class Kind { kWord, kPhrase, kField, kOr };
  Kind kind = Kind::kWord;
  bool negated = false;     // a leading '-'
  std::string field;        // kField: the name before the first ':'
  std::string text;         // the word, the phrase's inside, or the field's value
  std::size_t offset = 0;   // byte offset of the clause in the query
};

// Reads a quoted run starting at q[i] == '"'; returns the inside and moves i past the
// closing quote.
Result<std::string> ReadQuoted(std::string_view q, std::size_t& i) {
  const std::size_t open = i;
  const std::size_t close = q.find('"', open + 1);
  if (close == std::string_view::npos) return BadQuery("unclosed quote" + At(open));
  i = close + 1;
  return std::string(q.substr(open + 1, close - open - 1));
}

// Reads a bare run: up to whitespace or a quote (a quote inside a word starts a phrase).
std::string ReadBare(std::string_view q, std::size_t& i) {
  const std::size_t begin = i;
  while (i < q.size() && !IsSpace(q[i]) && q[i] != '"') ++i;
  return std::string(q.substr(begin, i - begin));
}

Result<std::vector<Clause>> Scan(std::string_view q) {
  std::vector<Clause> clauses;
  std::size_t i = 0;
  while (i < q.size()) {
    if (IsSpace(q[i])) {
      ++i;
      continue;
    }
    Clause c;
    c.offset = i;
    if (q[i] == '-' && i + 1 < q.size() && !IsSpace(q[i + 1])) {
      c.negated = true;
      ++i;
    }
    if (q[i] == '"') {
      c.kind = Clause::Kind::kPhrase;
      MARKAZ_ASSIGN_OR_RETURN(c.text, ReadQuoted(q, i));
      clauses.push_back(std::move(c));
      continue;
    }
    // field:value — the field is ASCII letters; only the first ':' separates it from the value.
    std::size_t f = i;
    while (f < q.size() && IsFieldChar(q[f])) ++f;
    if (f > i && f < q.size() && q[f] == ':') {
      c.kind = Clause::Kind::kField;
      c.field = std::string(q.substr(i, f - i));
      i = f + 1;
      if (i < q.size() && q[i] == '"') {
        MARKAZ_ASSIGN_OR_RETURN(c.text, ReadQuoted(q, i));
      } else {
        c.text = ReadBare(q, i);
      }
      clauses.push_back(std::move(c));
      continue;
    }
    c.text = ReadBare(q, i);
    if (!c.negated && c.text == "OR") c.kind = Clause::Kind::kOr;
    clauses.push_back(std::move(c));
  }
  return clauses;
}

constexpr std::string_view kKeywordFields[] = {columns::kLang, columns::kEntity,
                                               columns::kOriginator, columns::kTlp,
                                               columns::kStory};

bool IsKeywordField(std::string_view field) {
  return std::find(std::begin(kKeywordFields), std::end(kKeywordFields), field) !=
         std::end(kKeywordFields);
}

bool IsDay(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

std::int64_t Millis(core::Time t) { return t.time_since_epoch().count(); }

// One side of a date range as [begin, end) in ms: a UTC day is its 24 hours, an RFC 3339
// time is its one millisecond.
Result<std::pair<std::int64_t, std::int64_t>> ParseInstant(std::string_view s,
                                                           std::size_t offset) {
  const std::string text = IsDay(s) ? std::string(s) + "T00:00:00Z" : std::string(s);
  core::Result<core::Time> t = core::ParseRfc3339(text);
  if (!t.ok()) {
    return BadQuery("bad date '" + std::string(s) +
                    "' (want YYYY-MM-DD or an RFC 3339 time)" + At(offset));
  }
  const std::int64_t begin = Millis(*t);
  const std::int64_t end = IsDay(s) ? Millis(core::AddDays(*t, 1)) : begin + 1;
  return std::make_pair(begin, end);
}

// date:a..b, date:a.., date:..b, or date:a (that day or instant).
Result<RangeFilter> ParseDate(const Clause& c) {
  RangeFilter r;
  r.column = columns::kTime;
  const std::size_t dots = c.text.find("..");
  const std::size_t value_offset = c.offset + (c.negated ? 1 : 0) + c.field.size() + 1;
  if (dots == std::string::npos) {
    MARKAZ_ASSIGN_OR_RETURN(auto span, ParseInstant(c.text, value_offset));
    r.min = span.first;
    r.max = span.second;
    return r;
  }
  const std::string_view from = std::string_view(c.text).substr(0, dots);
  const std::string_view to = std::string_view(c.text).substr(dots + 2);
  if (from.empty() && to.empty()) return BadQuery("date range without bounds" + At(c.offset));
  if (!from.empty()) {
    MARKAZ_ASSIGN_OR_RETURN(auto span, ParseInstant(from, value_offset));
    r.min = span.first;
  }
  if (!to.empty()) {
    // The upper bound is inclusive as written: all of that day, or that millisecond.
    MARKAZ_ASSIGN_OR_RETURN(auto span, ParseInstant(to, value_offset + dots + 2));
    r.max = span.second;
  }
  if (r.min && r.max && *r.min >= *r.max) {
    return BadQuery("date range ends before it begins" + At(c.offset));
  }
  return r;
}

// A word or a phrase through the analyser: its stems as a phrase (empty when the text has no
// letters or digits). A bare word that word break splits (al-Qaeda) becomes a phrase too.
Phrase AnalyzePhrase(std::string_view text, const text::Analyzer& analyzer,
                     std::string_view lang) {
  Phrase p;
  for (text::Token& t : analyzer.Analyze(text, lang).tokens) p.terms.push_back(std::move(t.stem));
  return p;
}

}  // namespace

std::vector<std::string> Query::ScoredTerms() const {
  std::vector<std::string> out;
  std::unordered_set<std::string_view> seen;
  for (const Group& g : must) {
    for (const Phrase& p : g.any) {
      for (const std::string& t : p.terms) {
        if (seen.insert(t).second) out.push_back(t);
      }
    }
  }
  return out;
}

core::Result<Query> ParseQuery(std::string_view q, const text::Analyzer& analyzer,
                               std::string_view lang) {
  if (q.size() > kMaxQueryBytes) {
    return BadQuery("query of " + std::to_string(q.size()) + " bytes is over the limit of " +
                    std::to_string(kMaxQueryBytes));
  }
  MARKAZ_ASSIGN_OR_RETURN(std::vector<Clause> clauses, Scan(q));

  // Validate every field before analysing anything: errors name the first bad clause.
  for (const Clause& c : clauses) {
    if (c.kind != Clause::Kind::kField) continue;
    if (c.field != "date" && !IsKeywordField(c.field)) {
      return BadQuery("unknown field '" + c.field +
                      "' (known: lang, entity, originator, tlp, story, date)" + At(c.offset));
    }
    if (c.text.empty()) return BadQuery("empty value for '" + c.field + ":'" + At(c.offset));
    if (c.field == "date" && c.negated) {
      return BadQuery("a date range cannot be excluded" + At(c.offset));
    }
  }

  // Fold OR chains: a run "x OR y OR z" is one unit; every other clause is a unit of one.
  std::vector<std::vector<const Clause*>> units;
  for (std::size_t i = 0; i < clauses.size(); ++i) {
    const Clause& c = clauses[i];
    if (c.kind != Clause::Kind::kOr) {
      units.push_back({&c});
      continue;
    }
    if (units.empty() || i + 1 == clauses.size() || clauses[i + 1].kind == Clause::Kind::kOr) {
      return BadQuery("OR needs a clause on each side" + At(c.offset));
    }
    units.back().push_back(&clauses[++i]);
  }

  Query query;
  std::size_t terms = 0;
  auto count = [&](std::size_t n, std::size_t offset) -> Status {
    terms += n;
    if (terms > kMaxQueryTerms) {
      return BadQuery("more than " + std::to_string(kMaxQueryTerms) + " terms" + At(offset));
    }
    return Status::Ok();
  };

  for (const std::vector<const Clause*>& unit : units) {
    const Clause& first = *unit.front();
    if (unit.size() > 1) {
      // An OR joins words and phrases, or values of one keyword field.
      const bool all_text = std::all_of(unit.begin(), unit.end(), [](const Clause* c) {
        return c->kind != Clause::Kind::kField && !c->negated;
      });
      const bool all_same_field = std::all_of(unit.begin(), unit.end(), [&](const Clause* c) {
        return c->kind == Clause::Kind::kField && !c->negated && c->field == first.field &&
               IsKeywordField(c->field);
      });
      if (!all_text && !all_same_field) {
        return BadQuery(
            "OR joins words or phrases, or values of one field (not exclusions or dates)" +
            At(first.offset));
      }
    }
    if (first.kind == Clause::Kind::kField) {
      if (first.field == "date") {
        MARKAZ_RETURN_IF_ERROR(count(1, first.offset));
        MARKAZ_ASSIGN_OR_RETURN(RangeFilter r, ParseDate(first));
        query.ranges.push_back(std::move(r));
        continue;
      }
      KeywordFilter k;
      k.column = first.field;
      k.negated = first.negated;
      for (const Clause* c : unit) {
        MARKAZ_RETURN_IF_ERROR(count(1, c->offset));
        k.values.push_back(c->text);
      }
      query.keywords.push_back(std::move(k));
      continue;
    }
    Group group;
    for (const Clause* c : unit) {
      Phrase p = AnalyzePhrase(c->text, analyzer, lang);
      if (p.terms.empty()) continue;  // no letters or digits: dropped
      MARKAZ_RETURN_IF_ERROR(count(p.terms.size(), c->offset));
      if (c->negated) {
        query.must_not.push_back(std::move(p));
      } else if (std::find(group.any.begin(), group.any.end(), p) == group.any.end()) {
        group.any.push_back(std::move(p));
      }
    }
    if (!group.any.empty() &&
        std::find(query.must.begin(), query.must.end(), group) == query.must.end()) {
      query.must.push_back(std::move(group));  // a repeated word adds nothing
    }
  }
  return query;
}

}  // namespace markaz::index
