// The matcher: one Hyperscan literal database over every normalised alias, a post-pass for
// Arabic proclitics, word boundaries, case-sensitive aliases and overlaps, and an on-disk cache
// of the compiled database.
//
// Clitics. An Arabic alias (lang "ar" or none, Arabic script) is also found with the
// proclitics و ف ب ل ك and their pairs (وب ول وك فب فل فك) attached: وروسيا, ببغداد,
// والعراق, وبالعراق. For an alias that starts with the article ال, the preposition ل (alone
// or after و ف) contracts with it: ل + العراق is written للعراق (the article's alef drops), so
// such an alias adds one literal, itself without the alef ("لعراق"), which counts only after
// ل/ول/فل. The name part of a contracted match starts at the article's lam: the mention of
// للعراق covers "لعراق", i.e. it excludes exactly the preposition, as ببغداد → "بغداد" and
// والعراق → "العراق" do.
//
// Why not compile every clitic variant as its own literal (11 more per Arabic alias)? Measured
// on the full gazetteer: 148k literals scan Arabic at ~39 MB/s (23 MB/s with
// HS_FLAG_SOM_LEFTMOST), the bare 66k at ~115 MB/s; the database is 17.5 MB instead of ~7 and
// compiles in twice the time. The proclitic check on a hit costs a few byte compares, and the
// results are the same: a literal's start is its end minus its length (no SOM needed).
// Literals that several aliases share are compiled once; a pattern id maps to every
// (alias, form) that produced it.
//
// Cache. The serialised database is written to
// <cache_dir>/gazetteer-<gazetteer fingerprint>-<hash of Hyperscan version + literal scheme>.hsdb
// with a small header (magic, scheme, literal count, payload size and XXH64, fingerprint) so
// that a truncated, corrupt or foreign file is detected and replaced instead of trusted. The
// pattern-id map is not cached: it is rebuilt from the gazetteer.
#include "gazetteer/matcher.h"

#include <fcntl.h>
#include <hs/hs.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <system_error>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "gazetteer/utf8.h"

namespace markaz::gazetteer {

using core::Result;
using core::Status;

namespace {

// Bump when the literal generation changes: it keys the cache file name.
constexpr uint32_t kLiteralScheme = 3;
constexpr char kMagic[8] = {'M', 'K', 'Z', 'G', 'A', 'Z', 'H', 'S'};
constexpr std::size_t kCacheFilesKept = 4;

// Proclitics, in normalised form. Before an article alias those ending in ل
// contract with it instead (kLamProclitics, before the contracted literal).
constexpr std::string_view kProclitics[] = {"و",  "ف",  "ب",  "ل",  "ك", "وب",
                                            "ول", "وك", "فب", "فل", "فك"};
constexpr std::string_view kLamProclitics[] = {"ل", "ول", "فل"};
constexpr std::string_view kArticlePrefix = "ال";
constexpr std::string_view kAlef = "ا";

// How a literal names an alias, which decides the proclitics it may or must follow.
enum class Form : uint8_t {
  kBare,        // the alias as is, no proclitics (not Arabic)
  kClitics,     // the alias, alone or after any proclitic
  kArticle,     // an ال alias, alone or after a proclitic that does not end in ل
  kContracted,  // an ال alias without its alef, only after ل ول فل
};

struct Candidate {
  uint32_t alias = 0;
  Form form = Form::kBare;
};

struct Literals {
  std::vector<std::string> text;  // pattern id → literal
  std::vector<std::vector<Candidate>> candidates;
};

// Does the alias start with the article? Judged on the written form, since normalisation
// makes أ/إ/آ into ا: ألمانيا normalises to "المانيا" but takes no article contraction.
bool HasArticle(const Alias& a) {
  if (!a.normalized.starts_with(kArticlePrefix) || a.normalized.size() <= kArticlePrefix.size())
    return false;
  std::size_t length = 0;
  const char32_t first = utf8::DecodeAt(a.text, 0, &length);
  return first == U'\u0627' || first == U'\u0671';
}

// Proclitics are Arabic grammar: Persian, Urdu, Pashto and Kurdish write و and به apart.
// Their aliases, normalised to Arabic letters, collide with Arabic words often enough (fa جنه
// for Djenné is Arabic لجنة "committee" with ل attached) that they are matched bare only.
// An alias with no language counts as Arabic.
bool TakesArabicClitics(const Alias& a) {
  std::size_t length = 0;
  return (a.lang.empty() || a.lang == "ar") && !a.normalized.empty() &&
         utf8::IsArabicLetter(utf8::DecodeAt(a.normalized, 0, &length));
}

Literals MakeLiterals(const Gazetteer& g) {
  Literals out;
  std::unordered_map<std::string_view, uint32_t> index;
  // Each alias adds at most two literals: with this capacity out.text never reallocates, so
  // the index's keys (views of its strings) stay valid.
  out.text.reserve(2 * g.aliases().size());
  auto add = [&](std::string literal, uint32_t alias, Form form) {
    auto it = index.find(literal);
    if (it == index.end()) {
      const auto id = static_cast<uint32_t>(out.text.size());
      out.text.push_back(std::move(literal));
      out.candidates.emplace_back();
      it = index.emplace(out.text.back(), id).first;
    }
    out.candidates[it->second].push_back({alias, form});
  };
  const auto aliases = g.aliases();
  for (uint32_t i = 0; i < aliases.size(); ++i) {
    const Alias& a = aliases[i];
    if (a.normalized.empty()) continue;
    if (!TakesArabicClitics(a)) {
      add(a.normalized, i, Form::kBare);
    } else if (!HasArticle(a)) {
      add(a.normalized, i, Form::kClitics);
    } else {
      add(a.normalized, i, Form::kArticle);
      add(a.normalized.substr(kAlef.size()), i, Form::kContracted);
    }
  }
  return out;
}

std::string Hex64(uint64_t v) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(v));
  return hex;
}

std::string CacheFileName(const Gazetteer& g) {
  const std::string engine =
      std::string(hs_version()) + "|scheme=" + std::to_string(kLiteralScheme);
  return "gazetteer-" + g.Fingerprint() + "-" + Hex64(XXH64(engine.data(), engine.size(), 0)) +
         ".hsdb";
}

struct CacheHeader {
  char magic[8];
  uint32_t scheme;
  uint32_t literals;
  uint64_t payload_size;
  uint64_t payload_hash;
  char fingerprint[32];
};

// The database in `file`, or null when the file is missing, damaged or for other literals.
hs_database_t* LoadCache(const std::filesystem::path& file, const Gazetteer& g,
                         std::size_t literal_count) {
  std::ifstream in(file, std::ios::binary | std::ios::ate);
  if (!in) return nullptr;
  const std::streamoff size = in.tellg();
  if (size <= 0) return nullptr;
  std::string bytes(static_cast<std::size_t>(size), '\0');
  in.seekg(0);
  if (!in.read(bytes.data(), size)) return nullptr;
  CacheHeader h;
  if (bytes.size() < sizeof h) return nullptr;
  std::memcpy(&h, bytes.data(), sizeof h);
  const std::string fingerprint = g.Fingerprint();
  if (std::memcmp(h.magic, kMagic, sizeof kMagic) != 0 || h.scheme != kLiteralScheme ||
      h.literals != literal_count || h.payload_size != bytes.size() - sizeof h ||
      fingerprint.size() != sizeof h.fingerprint ||
      std::memcmp(h.fingerprint, fingerprint.data(), sizeof h.fingerprint) != 0) {
    return nullptr;
  }
  const char* payload = bytes.data() + sizeof h;
  if (XXH64(payload, h.payload_size, 0) != h.payload_hash) return nullptr;
  hs_database_t* db = nullptr;
  if (hs_deserialize_database(payload, h.payload_size, &db) != HS_SUCCESS) return nullptr;
  // A database for another CPU or Hyperscan build fails here rather than at the first scan.
  hs_scratch_t* scratch = nullptr;
  if (hs_alloc_scratch(db, &scratch) != HS_SUCCESS) {
    hs_free_database(db);
    return nullptr;
  }
  hs_free_scratch(scratch);
  std::error_code ec;  // a cache hit counts as use for pruning; failure to touch is harmless
  std::filesystem::last_write_time(file, std::filesystem::file_time_type::clock::now(), ec);
  return db;
}

bool WriteAll(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

// Keeps the most recently used cache files (the embedded gazetteer's and a few watchlist
// versions) and removes older ones, so that rebuilds do not fill the disk.
void PruneCache(const std::filesystem::path& dir) {
  std::error_code ec;
  std::vector<std::pair<std::filesystem::file_time_type, std::filesystem::path>> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with("gazetteer-") || !name.ends_with(".hsdb")) continue;
    files.emplace_back(entry.last_write_time(ec), entry.path());
  }
  if (files.size() <= kCacheFilesKept) return;
  std::sort(files.begin(), files.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t i = kCacheFilesKept; i < files.size(); ++i) {
    std::filesystem::remove(files[i].second, ec);
  }
}

// Writes the cache file atomically (temporary file, fsync, rename, fsync of the directory).
// Failure is not an error for the caller: the cache only saves time.
void WriteCache(const std::filesystem::path& dir, const std::string& name, const hs_database_t* db,
                const Gazetteer& g, std::size_t literal_count) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  char* payload = nullptr;
  std::size_t payload_size = 0;
  if (hs_serialize_database(db, &payload, &payload_size) != HS_SUCCESS) return;
  CacheHeader h;
  std::memcpy(h.magic, kMagic, sizeof kMagic);
  h.scheme = kLiteralScheme;
  h.literals = static_cast<uint32_t>(literal_count);
  h.payload_size = payload_size;
  h.payload_hash = XXH64(payload, payload_size, 0);
  const std::string fingerprint = g.Fingerprint();
  std::memset(h.fingerprint, 0, sizeof h.fingerprint);
  std::memcpy(h.fingerprint, fingerprint.data(),
              std::min(fingerprint.size(), sizeof h.fingerprint));

  std::string tmp = (dir / (".tmp-" + name + "-XXXXXX")).string();
  const int fd = ::mkstemp(tmp.data());
  bool ok = fd >= 0;
  if (ok) {
    ok = WriteAll(fd, reinterpret_cast<const char*>(&h), sizeof h) &&
         WriteAll(fd, payload, payload_size) && ::fsync(fd) == 0;
    ok = ::close(fd) == 0 && ok;
    ok = ok && ::rename(tmp.c_str(), (dir / name).c_str()) == 0;
    if (!ok) ::unlink(tmp.c_str());
  }
  std::free(payload);  // hs_serialize_database allocates with malloc (the default allocator)
  if (!ok) return;
  const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
  PruneCache(dir);
}

Result<hs_database_t*> Compile(const Literals& literals) {
  std::vector<const char*> expressions;
  std::vector<std::size_t> lengths;
  std::vector<unsigned> ids;
  expressions.reserve(literals.text.size());
  lengths.reserve(literals.text.size());
  ids.reserve(literals.text.size());
  for (std::size_t i = 0; i < literals.text.size(); ++i) {
    expressions.push_back(literals.text[i].data());
    lengths.push_back(literals.text[i].size());
    ids.push_back(static_cast<unsigned>(i));
  }
  // No HS_FLAG_SOM_LEFTMOST: a literal starts at its end minus its length, and SOM tracking
  // slows the scan (measured ~1.2x on the bare literals, ~1.7x with clitic variants).
  const std::vector<unsigned> flags(literals.text.size(), 0);
  hs_database_t* db = nullptr;
  hs_compile_error_t* error = nullptr;
  if (hs_compile_lit_multi(expressions.data(), flags.data(), ids.data(), lengths.data(),
                           static_cast<unsigned>(expressions.size()), HS_MODE_BLOCK, nullptr, &db,
                           &error) != HS_SUCCESS) {
    std::string message = "hyperscan: ";
    message += error != nullptr && error->message != nullptr ? error->message : "compile failed";
    if (error != nullptr && error->expression >= 0) {
      message += " (literal " + literals.text[static_cast<std::size_t>(error->expression)] + ")";
    }
    hs_free_compile_error(error);
    return Status::Internal(message);
  }
  return db;
}

std::atomic<uint64_t> next_generation{1};

// A scratch per thread, grown for each database the thread scans with (hs_alloc_scratch keeps
// a scratch valid for every database it was allocated for), so alternating between the old and
// the new matcher during a swap costs a size check, not an allocation.
struct ThreadScratch {
  hs_scratch_t* scratch = nullptr;
  uint64_t generation = 0;  // the database it was last checked against
  ThreadScratch() = default;
  ThreadScratch(const ThreadScratch&) = delete;
  ThreadScratch& operator=(const ThreadScratch&) = delete;
  ~ThreadScratch() {
    if (scratch != nullptr) hs_free_scratch(scratch);
  }
};

hs_scratch_t* ScratchFor(const hs_database_t* db, uint64_t generation) {
  thread_local ThreadScratch tls;
  if (tls.generation != generation) {
    if (hs_alloc_scratch(db, &tls.scratch) != HS_SUCCESS) return nullptr;
    tls.generation = generation;
  }
  return tls.scratch;
}

struct Hit {
  uint32_t to = 0;
  uint32_t pattern = 0;
};

int OnMatch(unsigned id, unsigned long long /*from*/, unsigned long long to, unsigned /*flags*/,
            void* context) {
  static_cast<std::vector<Hit>*>(context)->push_back({static_cast<uint32_t>(to), id});
  return 0;
}

// Is the code point before byte `at` of `text` (if any) outside words?
bool BoundaryBefore(std::string_view text, std::size_t at) {
  return at == 0 || !utf8::IsWordChar(utf8::DecodeBefore(text, at));
}

// The byte length of the proclitic in `allowed` that ends at `at` and starts a word, or 0.
// At most one can: of two that end there, the longer contains the shorter's left neighbour.
template <std::size_t N>
uint32_t ProcliticBefore(std::string_view text, std::size_t at,
                         const std::string_view (&allowed)[N], bool lam_allowed) {
  for (std::string_view p : allowed) {
    if (!lam_allowed && p.ends_with("ل")) continue;
    if (p.size() > at || text.substr(at - p.size(), p.size()) != p) continue;
    if (BoundaryBefore(text, at - p.size())) return static_cast<uint32_t>(p.size());
  }
  return 0;
}

// One reading of a matched literal that passed the boundary and case checks.
struct Reading {
  uint32_t from = 0;  // normalised bytes, clitic included
  uint32_t to = 0;
  uint32_t clitic = 0;  // bytes of proclitic at `from`
  uint32_t entity = 0;
  uint32_t alias = 0;
};

// Does `s` carry harakat or shadda (not just tatweel)?
bool HasHarakat(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    std::size_t length = 0;
    const char32_t cp = utf8::DecodeAt(s, i, &length);
    if (cp != 0x0640 && utf8::IsArabicMark(cp)) return true;
    i += length;
  }
  return false;
}

// `s` with its letters and shadda only (no tatweel, no vowel marks): عمَّان → عمّان. The
// shadda doubles a consonant, so it tells homographs apart; vowel marks are written
// inconsistently (عمَّان or عمّان for Amman) and would only get in the way.
std::string LettersAndShadda(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    std::size_t length = 0;
    const char32_t cp = utf8::DecodeAt(s, i, &length);
    if (cp == 0x0651 || !utf8::IsArabicMark(cp)) out.append(s.substr(i, length));
    i += length;
  }
  return out;
}

// Byte offsets of the original's code points, built on first use (only texts with
// case-sensitive candidates or removed marks after a name need it).
class OriginalIndex {
 public:
  explicit OriginalIndex(std::string_view original) : original_(original) {}

  // Byte offset of code point `cp` (cp == count gives the end); false when out of range.
  bool ByteOf(uint32_t cp, std::size_t* byte) {
    if (offsets_.empty()) Build();
    if (cp >= offsets_.size()) return false;
    *byte = offsets_[cp];
    return true;
  }
  std::string_view original() const { return original_; }

 private:
  void Build() {
    offsets_.reserve(original_.size() + 1);
    for (std::size_t i = 0; i < original_.size(); ++i) {
      if ((static_cast<unsigned char>(original_[i]) & 0xC0) != 0x80) offsets_.push_back(i);
    }
    offsets_.push_back(original_.size());
  }
  std::string_view original_;
  std::vector<std::size_t> offsets_;
};

}  // namespace

struct Matcher::Impl {
  hs_database_t* db = nullptr;  // null when the gazetteer has no aliases
  uint64_t generation = 0;
  // Pattern p's candidates are candidates[offsets[p] .. offsets[p + 1]).
  std::vector<uint32_t> offsets;
  std::vector<Candidate> candidates;
  std::vector<uint32_t> lengths;  // pattern → literal bytes

  ~Impl() {
    if (db != nullptr) hs_free_database(db);
  }
};

Matcher::Matcher(std::shared_ptr<const Gazetteer> gazetteer, std::unique_ptr<Impl> impl)
    : gazetteer_(std::move(gazetteer)), impl_(std::move(impl)) {}

Matcher::~Matcher() = default;

Result<std::shared_ptr<const Matcher>> Matcher::Build(std::shared_ptr<const Gazetteer> gazetteer,
                                                      const std::filesystem::path& cache_dir) {
  if (gazetteer == nullptr) return Status::Internal("Matcher::Build without a gazetteer");
  Literals literals = MakeLiterals(*gazetteer);
  auto impl = std::make_unique<Impl>();
  impl->generation = next_generation.fetch_add(1);
  impl->offsets.reserve(literals.text.size() + 1);
  impl->offsets.push_back(0);
  impl->lengths.reserve(literals.text.size());
  for (std::size_t p = 0; p < literals.text.size(); ++p) {
    const std::vector<Candidate>& c = literals.candidates[p];
    impl->candidates.insert(impl->candidates.end(), c.begin(), c.end());
    impl->offsets.push_back(static_cast<uint32_t>(impl->candidates.size()));
    impl->lengths.push_back(static_cast<uint32_t>(literals.text[p].size()));
  }
  if (!literals.text.empty()) {
    const std::string name = CacheFileName(*gazetteer);
    if (!cache_dir.empty())
      impl->db = LoadCache(cache_dir / name, *gazetteer, literals.text.size());
    if (impl->db == nullptr) {
      MARKAZ_ASSIGN_OR_RETURN(impl->db, Compile(literals));
      if (!cache_dir.empty())
        WriteCache(cache_dir, name, impl->db, *gazetteer, literals.text.size());
    }
  }
  return std::shared_ptr<const Matcher>(new Matcher(std::move(gazetteer), std::move(impl)));
}

std::vector<Mention> Matcher::Match(const text::NormalizedText& normalized,
                                    std::string_view original) const {
  std::vector<Mention> mentions;
  const std::string& text = normalized.text;
  if (impl_->db == nullptr || text.empty() || text.size() > UINT32_MAX) return mentions;
  hs_scratch_t* scratch = ScratchFor(impl_->db, impl_->generation);
  if (scratch == nullptr) return mentions;  // out of memory: no mentions rather than a crash
  std::vector<Hit> hits;
  if (hs_scan(impl_->db, text.data(), static_cast<unsigned>(text.size()), 0, scratch, OnMatch,
              &hits) != HS_SUCCESS) {
    return mentions;
  }
  if (hits.empty()) return mentions;

  // Whole words only, judged on the normalised text around the literal and its proclitic.
  const auto aliases = gazetteer_->aliases();
  OriginalIndex index(original);
  std::vector<Reading> readings;
  for (const Hit& h : hits) {
    std::size_t length = 0;
    if (h.to < text.size() && utf8::IsWordChar(utf8::DecodeAt(text, h.to, &length))) continue;
    const uint32_t start = h.to - impl_->lengths[h.pattern];
    const bool bare = BoundaryBefore(text, start);
    for (uint32_t k = impl_->offsets[h.pattern]; k < impl_->offsets[h.pattern + 1]; ++k) {
      const Candidate& c = impl_->candidates[k];
      uint32_t clitic = 0;
      switch (c.form) {
        case Form::kBare:
          if (!bare) continue;
          break;
        case Form::kClitics:
        case Form::kArticle:
          if (!bare) {
            clitic = ProcliticBefore(text, start, kProclitics, c.form == Form::kClitics);
            if (clitic == 0) continue;
          }
          break;
        case Form::kContracted:
          clitic = ProcliticBefore(text, start, kLamProclitics, true);
          if (clitic == 0) continue;
          break;
      }
      const Alias& alias = aliases[c.alias];
      if (alias.case_sensitive) {
        // The original at the name must read exactly as the alias is written.
        const text::Span span = normalized.OriginalSpan(start, h.to);
        std::size_t begin = 0, end = 0;
        if (!index.ByteOf(span.begin, &begin) || !index.ByteOf(span.end, &end) ||
            original.substr(begin, end - begin) != alias.text) {
          continue;
        }
      }
      readings.push_back({start - clitic, h.to, clitic, alias.entity, c.alias});
    }
  }
  if (readings.empty()) return mentions;

  // Readings of the same literal at the same place form one mention with every entity.
  std::sort(readings.begin(), readings.end(), [](const Reading& a, const Reading& b) {
    return std::tie(a.from, a.to, a.clitic, a.entity) < std::tie(b.from, b.to, b.clitic, b.entity);
  });
  struct Group {
    uint32_t from, to, clitic;
    std::size_t first, last;  // readings[first, last)
  };
  std::vector<Group> groups;
  for (std::size_t i = 0; i < readings.size();) {
    std::size_t j = i + 1;
    while (j < readings.size() && readings[j].from == readings[i].from &&
           readings[j].to == readings[i].to && readings[j].clitic == readings[i].clitic) {
      ++j;
    }
    groups.push_back({readings[i].from, readings[i].to, readings[i].clitic, i, j});
    i = j;
  }

  // Longest first, then earliest, then the reading with the shorter clitic (وهران the city
  // rather than و + هران); a group that overlaps an accepted one is dropped.
  std::vector<std::size_t> order(groups.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const Group& x = groups[a];
    const Group& y = groups[b];
    const uint32_t lx = x.to - x.from, ly = y.to - y.from;
    if (lx != ly) return lx > ly;
    if (x.from != y.from) return x.from < y.from;
    return x.clitic < y.clitic;
  });
  std::map<uint32_t, std::size_t> accepted;  // from → group; disjoint intervals
  for (std::size_t g : order) {
    const Group& cand = groups[g];
    auto it = accepted.lower_bound(cand.to);
    if (it != accepted.begin() && groups[std::prev(it)->second].to > cand.from) continue;
    accepted.emplace(cand.from, g);
  }

  mentions.reserve(accepted.size());
  for (const auto& [from, g] : accepted) {
    const Group& group = groups[g];
    Mention m;
    m.span = normalized.OriginalSpan(group.from + group.clitic, group.to);
    // Marks that normalisation removed after the name's last letter (a final haraka,
    // tatweel) belong to it: extend the span over them.
    const uint32_t next_cp =
        group.to < text.size() ? normalized.cp_begin[group.to] : normalized.original_code_points;
    if (next_cp > m.span.end) {
      std::size_t byte = 0;
      while (m.span.end < next_cp && index.ByteOf(m.span.end, &byte) && byte < original.size()) {
        std::size_t length = 0;
        if (!utf8::IsArabicMark(utf8::DecodeAt(original, byte, &length))) break;
        ++m.span.end;
      }
    }
    for (std::size_t r = group.first; r < group.last; ++r) {
      if (m.candidates.empty() || m.candidates.back() != readings[r].entity) {
        m.candidates.push_back(readings[r].entity);
      }
    }
    if (m.candidates.size() > 1) {
      // Normalising drops the marks that tell homographs apart. Where the text wrote them
      // (عمّان, Amman, against عمان, Oman) and some aliases carrying marks read the same
      // (same letters and shadda), only their entities remain candidates.
      const text::Span name = normalized.OriginalSpan(group.from + group.clitic, group.to);
      std::size_t begin = 0, end = 0;
      if (index.ByteOf(name.begin, &begin) && index.ByteOf(name.end, &end) && end > begin &&
          HasHarakat(original.substr(begin, end - begin))) {
        const std::string written = LettersAndShadda(original.substr(begin, end - begin));
        std::vector<uint32_t> exact;
        for (std::size_t r = group.first; r < group.last; ++r) {
          const std::string& text_form = aliases[readings[r].alias].text;
          if (HasHarakat(text_form) && LettersAndShadda(text_form) == written &&
              (exact.empty() || exact.back() != readings[r].entity)) {
            exact.push_back(readings[r].entity);
          }
        }
        if (!exact.empty()) m.candidates = std::move(exact);
      }
    }
    mentions.push_back(std::move(m));
  }
  return mentions;
}

}  // namespace markaz::gazetteer
