// The search syntax (docs/search.md) parsed into a Query whose words went through the one
// analyser (text/analyzer.h), so that a query word and its document forms meet on one term.
//
//   iraq baghdad          both (AND is the default)
//   iraq OR iran          either; OR binds tighter than AND: a b OR c = a AND (b OR c)
//   -turkey               none of the documents containing it
//   "islamic state"       the words in this order, adjacent (positions)
//   lang:ar  entity:country:IQ  originator:host  tlp:amber  story:sto_…   column filters
//   date:2015-10-01..2015-10-31   (either side may be empty; UTC days, or RFC 3339 times)
//
// A bare word that the analyser splits into several tokens (al-Qaeda) is a phrase of them.
// Words without letters or digits are dropped. A query of only filters and exclusions
// matches every visible document except the excluded ones.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "text/analyzer.h"

namespace markaz::index {

// One term (terms.size() == 1) or a phrase of adjacent terms. Terms are analyser stems.
struct Phrase {
  std::vector<std::string> terms;
  bool operator==(const Phrase&) const = default;
};

// Matches when any of its alternatives matches.
struct Group {
  std::vector<Phrase> any;
  bool operator==(const Group&) const = default;
};

// Matches documents with any of `values` in `column` (none of them when negated).
struct KeywordFilter {
  std::string column;
  std::vector<std::string> values;
  bool negated = false;
  bool operator==(const KeywordFilter&) const = default;
};

// Matches documents whose `column` value v has min ≤ v < max (an absent bound is open).
// Documents without a value in the column never match.
struct RangeFilter {
  std::string column;
  std::optional<std::int64_t> min;
  std::optional<std::int64_t> max;
  bool operator==(const RangeFilter&) const = default;
};

struct Query {
  std::vector<Group> must;       // all must match
  std::vector<Phrase> must_not;  // none may match
  std::vector<KeywordFilter> keywords;
  std::vector<RangeFilter> ranges;

  // The distinct terms that score, in first-appearance order over `must` (every term of every
  // alternative, phrases included). Scores sum in this order.
  std::vector<std::string> ScoredTerms() const;
  bool has_text() const { return !must.empty(); }
  bool operator==(const Query&) const = default;
};

inline constexpr std::size_t kMaxQueryBytes = 2048;
inline constexpr std::size_t kMaxQueryTerms = 32;

// Parses `q`. `lang` (may be empty) selects the analyser's rules for the words. The keyword
// fields allowed are lang, entity, originator, tlp, story (a column of the same name);
// date: filters the "time" column. InvalidArgument "bad_query" with a message that says what
// and where: an unclosed quote, an unknown field, a bad date, an empty field value, more than
// kMaxQueryTerms terms, a query over kMaxQueryBytes.
core::Result<Query> ParseQuery(std::string_view q, const text::Analyzer& analyzer,
                               std::string_view lang = "");

}  // namespace markaz::index
