// Shared by the index tests and bench/index/index_bench.cc: a seeded random corpus with the
// naive inverted index and column tables a segment must agree with (segment_test.cc,
// merge_test.cc), and MakeDoc for the search tests (searcher_test.cc).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "index/document.h"
#include "index/segment.h"

namespace markaz::index::test_corpus {

struct NaivePosting {
  std::uint32_t doc = 0;
  std::uint32_t freq = 0;
  std::vector<std::uint32_t> positions;
};

// What a segment of `docs` must answer, computed the obvious way.
struct NaiveIndex {
  std::map<std::string, std::vector<NaivePosting>> terms;
  std::vector<std::uint32_t> lengths;
  // column → value → docs; column → doc → value
  std::map<std::string, std::map<std::string, std::vector<std::uint32_t>>> keywords;
  std::map<std::string, std::map<std::uint32_t, std::int64_t>> numbers;
  std::map<std::string, std::vector<std::uint32_t>> readers;
};

inline NaiveIndex BuildNaive(const std::vector<Document>& docs) {
  NaiveIndex n;
  for (std::uint32_t d = 0; d < docs.size(); ++d) {
    std::map<std::string, NaivePosting> per_term;
    std::uint32_t length = 0;
    for (const DocumentTerm& t : docs[d].terms) {
      NaivePosting& p = per_term[t.term];
      p.doc = d;
      p.freq += t.weight;
      p.positions.push_back(t.position);
      length += t.weight;
    }
    for (auto& [term, p] : per_term) {
      std::sort(p.positions.begin(), p.positions.end());
      p.positions.erase(std::unique(p.positions.begin(), p.positions.end()), p.positions.end());
      n.terms[term].push_back(std::move(p));
    }
    n.lengths.push_back(length);
    for (const KeywordValue& kv : docs[d].keywords) {
      auto& list = n.keywords[kv.column][kv.value];
      if (list.empty() || list.back() != d) list.push_back(d);
    }
    for (const NumberValue& nv : docs[d].numbers) n.numbers[nv.column][d] = nv.value;
    for (const std::string& r : docs[d].readers) n.readers[r].push_back(d);
  }
  return n;
}

inline std::vector<std::uint32_t> DocsOf(const std::vector<NaivePosting>& postings) {
  std::vector<std::uint32_t> docs;
  for (const NaivePosting& p : postings) docs.push_back(p.doc);
  return docs;
}

inline std::vector<std::uint32_t> ToVector(const Roaring& r) {
  std::vector<std::uint32_t> v;
  for (std::uint32_t d : r) v.push_back(d);
  return v;
}

struct CorpusOptions {
  std::uint32_t seed = 1;
  std::uint32_t docs = 2000;
  std::uint32_t vocabulary = 3000;
  std::uint32_t min_tokens = 20;
  std::uint32_t max_tokens = 200;
  std::int64_t first_seq = 1;
};

// Latin and Arabic words, the Arabic ones as UTF-8 built from letters of U+0627..U+064A.
inline std::vector<std::string> MakeVocabulary(std::mt19937& rng, std::uint32_t size) {
  std::set<std::string> seen;
  std::vector<std::string> words;
  std::uniform_int_distribution<int> len(1, 8);
  while (words.size() < size) {
    std::string w;
    const int letters = len(rng);
    if (rng() % 2 == 0) {
      for (int i = 0; i < letters; ++i) w.push_back(static_cast<char>('a' + rng() % 26));
    } else {
      for (int i = 0; i < letters; ++i) {
        const std::uint32_t cp = 0x0627 + rng() % (0x064A - 0x0627 + 1);
        w.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        w.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
      }
    }
    if (seen.insert(w).second) words.push_back(w);
  }
  return words;
}

// Documents with Zipf-distributed terms (title terms weighted), one language, 0-4 entities
// (repeats possible), a time most of the time, a signed score sometimes, and 0-3 readers.
inline std::vector<Document> MakeCorpus(const CorpusOptions& o) {
  std::mt19937 rng(o.seed);
  const std::vector<std::string> vocab = MakeVocabulary(rng, o.vocabulary);
  std::vector<double> cumulative;
  double sum = 0;
  for (std::uint32_t r = 0; r < o.vocabulary; ++r) {
    sum += 1.0 / std::pow(r + 1.0, 1.05);
    cumulative.push_back(sum);
  }
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  auto zipf = [&]() -> const std::string& {
    const double x = unit(rng) * sum;
    auto it = std::lower_bound(cumulative.begin(), cumulative.end(), x);
    if (it == cumulative.end()) --it;
    return vocab[static_cast<std::size_t>(it - cumulative.begin())];
  };
  const std::vector<std::string> langs = {"ar", "en", "fr"};
  const std::vector<std::string> orgs = {"org_a", "org_b", "org_c", "org_d"};
  std::vector<Document> docs;
  std::int64_t seq = o.first_seq;
  for (std::uint32_t d = 0; d < o.docs; ++d) {
    Document doc;
    seq += 1 + static_cast<std::int64_t>(rng() % 5);
    doc.seq = seq;
    doc.key = "rep_" + std::to_string(o.seed) + "_" + std::to_string(seq);
    const std::uint32_t tokens = o.min_tokens + rng() % (o.max_tokens - o.min_tokens + 1);
    std::uint32_t position = 0;
    for (std::uint32_t t = 0; t < tokens; ++t) {
      position += 1 + (rng() % 8 == 0 ? rng() % 5 : 0);  // gaps, as stop words leave
      doc.terms.push_back({zipf(), position, t < 8 ? kTitleWeight : 1});
    }
    doc.keywords.push_back({columns::kLang, langs[rng() % langs.size()]});
    const std::uint32_t entities = rng() % 5;
    for (std::uint32_t e = 0; e < entities; ++e) {
      doc.keywords.push_back({columns::kEntity, "country:" + std::to_string(rng() % 40)});
    }
    if (rng() % 5 != 0) doc.numbers.push_back({columns::kTime, 1'400'000'000'000 + seq * 1000});
    if (rng() % 3 == 0) doc.numbers.push_back({"score", static_cast<std::int64_t>(rng() % 200) - 100});
    for (const std::string& org : orgs) {
      if (rng() % 3 == 0) doc.readers.push_back(org);
    }
    docs.push_back(std::move(doc));
  }
  return docs;
}

// A document whose title words come first (weighted kTitleWeight), then the body's, at
// consecutive positions.
inline Document MakeDoc(std::string key, std::int64_t seq, const std::vector<std::string>& title,
                 const std::vector<std::string>& body, std::vector<std::string> readers) {
  Document d;
  d.key = std::move(key);
  d.seq = seq;
  std::uint32_t pos = 0;
  for (const std::string& w : title) d.terms.push_back({w, pos++, kTitleWeight});
  for (const std::string& w : body) d.terms.push_back({w, pos++, 1});
  d.readers = std::move(readers);
  return d;
}

}  // namespace markaz::index::test_corpus
