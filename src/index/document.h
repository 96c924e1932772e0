// What the index knows of a report (issue 5): a document with weighted terms, columns and
// readers. Nothing here names a report; pipeline/ turns a report and its analysis into one.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace markaz::index {

// One occurrence of a term. `term` is the analyser's search form (text::Token::stem).
// `weight` is how much the occurrence counts: 1 in the body, kTitleWeight in the title
// (BM25F-style field weighting folded into one field: a term's frequency in a document is the
// sum of the weights of its occurrences, and the document's length the sum of all weights).
struct DocumentTerm {
  std::string term;
  std::uint32_t position = 0;  // token ordinal in the analysed text (phrases)
  std::uint32_t weight = 1;
};

inline constexpr std::uint32_t kTitleWeight = 3;

// A keyword column value ("lang" = "ar", "entity" = "country:IQ"). A column may hold several
// values for one document (entities); order and repetition do not matter.
struct KeywordValue {
  std::string column;
  std::string value;
};

// A numeric column value ("time" = ms since the epoch).
struct NumberValue {
  std::string column;
  std::int64_t value = 0;
};

struct Document {
  std::string key;          // unique external id ("rep_01J…"), returned in hits
  std::int64_t seq = 0;     // source sequence; every Add() has a larger one than the last
  std::vector<DocumentTerm> terms;
  std::vector<KeywordValue> keywords;
  std::vector<NumberValue> numbers;  // at most one value per column; absent = no value
  std::vector<std::string> readers;  // principals that may see it (org ids), sorted, unique
};

// Column names the centre uses (the index itself treats every column alike).
namespace columns {
inline constexpr char kLang[] = "lang";
inline constexpr char kOriginator[] = "originator";
inline constexpr char kTlp[] = "tlp";
inline constexpr char kStory[] = "story";
inline constexpr char kEntity[] = "entity";
inline constexpr char kTime[] = "time";              // observed_at, else received_at (ms)
inline constexpr char kReceivedAt[] = "received_at";  // ms
inline constexpr char kSeq[] = "seq";  // the store seq again, for "items after N" (subscriptions)
}  // namespace columns

}  // namespace markaz::index
