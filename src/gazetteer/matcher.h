// One pass over a normalised text against every alias of the gazetteer (DESIGN.md §3):
// a Hyperscan literal database (hs_compile_lit_multi) holding each alias, and for an Arabic
// alias with the article its لل contraction; Arabic aliases are found with their proclitics
// too (و ف ب ل ك and pairs: وروسيا, ببغداد, والعراق, بالعراق, وبالعراق, للعراق), which the
// matcher checks around each hit (matcher.cc says why not as compiled variants). A mention's
// span leaves the proclitic out: ببغداد → بغداد, والعراق → العراق, and for the contraction
// للعراق → لعراق (the article's lam, whose alef the contraction dropped, is kept).
//
// Example:
//   MARKAZ_ASSIGN_OR_RETURN(auto matcher, Matcher::Build(gazetteer, data_dir / "cache"));
//   const text::NormalizedText n = text::Normalize(text);
//   for (const Mention& m : matcher->Match(n, text)) { … m.span, m.candidates … }
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "gazetteer/gazetteer.h"
#include "text/normalize.h"

namespace markaz::gazetteer {

// One mention: a span of the original text and every entity an alias there names.
struct Mention {
  text::Span span;                   // code points in the original, clitics excluded
  std::vector<uint32_t> candidates;  // entity indexes, ≥ 1; > 1 when the alias is ambiguous
};

class Matcher {
 public:
  // Compiles the database for `gazetteer`, or loads it from `cache_dir` (may be empty: no
  // cache) when a file for the same gazetteer fingerprint, Hyperscan version and platform is
  // there; writes the cache after compiling (write + fsync + rename).
  static core::Result<std::shared_ptr<const Matcher>> Build(
      std::shared_ptr<const Gazetteer> gazetteer, const std::filesystem::path& cache_dir);
  ~Matcher();

  // Mentions in text order. Whole words only (the letters either side of a match must not be
  // letters or digits: مصر is not in مصرف); where matches overlap the longest wins, then the
  // earliest; case-sensitive aliases are checked against `original`. Where the original
  // writes a homograph with its shadda or harakat (عمّان), candidates are narrowed to the
  // aliases written so. `normalized` must be text::Normalize(original). Thread-safe (a
  // Hyperscan scratch per thread).
  std::vector<Mention> Match(const text::NormalizedText& normalized,
                             std::string_view original) const;

  const Gazetteer& gazetteer() const { return *gazetteer_; }
  std::shared_ptr<const Gazetteer> shared_gazetteer() const { return gazetteer_; }

 private:
  struct Impl;
  Matcher(std::shared_ptr<const Gazetteer> gazetteer, std::unique_ptr<Impl> impl);
  std::shared_ptr<const Gazetteer> gazetteer_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace markaz::gazetteer
