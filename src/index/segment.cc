// Opening a segment: map the file read-only, verify it whole (sizes, magics, the XXH3-64
// checksum over everything before it), then resolve the sections into pointers. Nothing is
// copied to the heap but the readers' bitmaps (small, used by every search); keyword bitmaps
// are deserialised on first use, one value at a time.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <roaring/roaring.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include "index/segment_impl.h"

namespace markaz::index {

namespace {

using codec::LoadI64;
using codec::LoadU32;
using codec::LoadU64;

core::Status Corrupt(const std::filesystem::path& file, std::string_view why) {
  return core::Status(core::Code::kInternal, "segment_corrupt",
                      "segment " + file.string() + ": " + std::string(why));
}

Roaring Deserialise(const unsigned char* bytes, std::size_t size) {
  roaring_bitmap_t* r =
      roaring_bitmap_portable_deserialize_safe(reinterpret_cast<const char*>(bytes), size);
  return r == nullptr ? Roaring() : Roaring(r);
}

}  // namespace

class MappedKeywordColumn final : public KeywordColumn {
 public:
  // Resolves the column's arrays in [section, section + length); false when they do not fit.
  bool Parse(const unsigned char* section, std::uint64_t length, std::uint32_t doc_count) {
    if (length < 8) return false;
    values_ = LoadU32(section);
    const std::uint64_t ord_total = LoadU32(section + 4);
    std::uint64_t at = 8;
    bitmap_offsets_ = section + at;
    at += 8 * (std::uint64_t{values_} + 1);
    value_offsets_ = section + at;
    at += 4 * (std::uint64_t{values_} + 1);
    ord_offsets_ = section + at;
    at += 4 * (std::uint64_t{doc_count} + 1);
    ords_ = section + at;
    at += 4 * ord_total;
    at = (at + 7) / 8 * 8;
    if (at > length) return false;
    value_bytes_ = section + at;
    const std::uint64_t value_total = LoadU32(value_offsets_ + 4 * std::uint64_t{values_});
    at = (at + value_total + 7) / 8 * 8;
    if (at > length) return false;
    bitmaps_ = section + at;
    if (at + LoadU64(bitmap_offsets_ + 8 * std::uint64_t{values_}) > length) return false;
    if (LoadU32(ord_offsets_ + 4 * std::uint64_t{doc_count}) != ord_total) return false;
    docs_ = std::make_unique<std::atomic<Roaring*>[]>(values_);
    for (std::uint32_t v = 0; v < values_; ++v) docs_[v].store(nullptr);
    return true;
  }
  ~MappedKeywordColumn() override {
    for (std::uint32_t v = 0; v < values_; ++v) delete docs_[v].load();
  }

  std::uint32_t value_count() const override { return values_; }
  std::string_view value(std::uint32_t ordinal) const override {
    const std::uint32_t begin = LoadU32(value_offsets_ + 4 * std::size_t{ordinal});
    const std::uint32_t end = LoadU32(value_offsets_ + 4 * (std::size_t{ordinal} + 1));
    return std::string_view(reinterpret_cast<const char*>(value_bytes_) + begin, end - begin);
  }
  std::optional<std::uint32_t> Find(std::string_view v) const override {
    std::uint32_t lo = 0;
    std::uint32_t hi = values_;
    while (lo < hi) {
      const std::uint32_t mid = lo + (hi - lo) / 2;
      if (value(mid) < v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    if (lo < values_ && value(lo) == v) return lo;
    return std::nullopt;
  }
  const Roaring& Docs(std::uint32_t ordinal) const override {
    // Deserialised once, on first use; a racing thread's copy is dropped.
    Roaring* cached = docs_[ordinal].load(std::memory_order_acquire);
    if (cached != nullptr) return *cached;
    const std::uint64_t begin = LoadU64(bitmap_offsets_ + 8 * std::size_t{ordinal});
    const std::uint64_t end = LoadU64(bitmap_offsets_ + 8 * (std::size_t{ordinal} + 1));
    auto fresh = std::make_unique<Roaring>(Deserialise(bitmaps_ + begin, end - begin));
    if (docs_[ordinal].compare_exchange_strong(cached, fresh.get(), std::memory_order_acq_rel)) {
      return *fresh.release();
    }
    return *cached;
  }
  std::span<const std::uint32_t> Ordinals(std::uint32_t doc) const override {
    const std::uint32_t begin = LoadU32(ord_offsets_ + 4 * std::size_t{doc});
    const std::uint32_t end = LoadU32(ord_offsets_ + 4 * (std::size_t{doc} + 1));
    // The array is 4-byte aligned in the file (docs/index-format.md) and the mapping is
    // page-aligned, so the span may point into it directly.
    return std::span<const std::uint32_t>(
        reinterpret_cast<const std::uint32_t*>(ords_) + begin, end - begin);
  }

 private:
  std::uint32_t values_ = 0;
  const unsigned char* bitmap_offsets_ = nullptr;
  const unsigned char* value_offsets_ = nullptr;
  const unsigned char* ord_offsets_ = nullptr;
  const unsigned char* ords_ = nullptr;
  const unsigned char* value_bytes_ = nullptr;
  const unsigned char* bitmaps_ = nullptr;
  std::unique_ptr<std::atomic<Roaring*>[]> docs_;
};

class MappedNumberColumn final : public NumberColumn {
 public:
  bool Parse(const unsigned char* section, std::uint64_t length, std::uint32_t doc_count) {
    words_ = (std::uint64_t{doc_count} + 63) / 64;
    if (length != 8 + 8 * words_ + 8 * std::uint64_t{doc_count}) return false;
    if (LoadU32(section) != doc_count) return false;
    doc_count_ = doc_count;
    present_ = section + 8;
    values_ = present_ + 8 * words_;
    return true;
  }
  std::optional<std::int64_t> Get(std::uint32_t doc) const override {
    if (doc >= doc_count_) return std::nullopt;
    const std::uint64_t word = LoadU64(present_ + 8 * std::size_t{doc / 64});
    if (((word >> (doc % 64)) & 1) == 0) return std::nullopt;
    return LoadI64(values_ + 8 * std::size_t{doc});
  }

 private:
  std::uint64_t words_ = 0;
  std::uint32_t doc_count_ = 0;
  const unsigned char* present_ = nullptr;
  const unsigned char* values_ = nullptr;
};

Segment::Impl::~Impl() {
  if (base != nullptr) ::munmap(const_cast<unsigned char*>(base), size);
}

namespace {

struct Section {
  format::SectionKind kind;
  std::string name;
  const unsigned char* data;
  std::uint64_t length;
};

// Checks the whole file and lists its sections; every failure is segment_corrupt.
core::Result<std::vector<Section>> VerifyAndListSections(const std::filesystem::path& file,
                                                         const unsigned char* base,
                                                         std::uint64_t size) {
  if (size < format::kHeaderBytes + format::kTrailerBytes) return Corrupt(file, "too short");
  if (std::memcmp(base, format::kHeaderMagic, sizeof format::kHeaderMagic) != 0) {
    return Corrupt(file, "bad header magic");
  }
  if (LoadU32(base + 8) != format::kFormatVersion) return Corrupt(file, "unknown version");
  const unsigned char* trailer = base + size - format::kTrailerBytes;
  if (std::memcmp(trailer + 32, format::kTrailerMagic, sizeof format::kTrailerMagic) != 0) {
    return Corrupt(file, "bad trailer magic");
  }
  if (LoadU64(trailer + 16) != size) return Corrupt(file, "truncated or extended");
  if (XXH3_64bits(base, size - format::kChecksummedTail) != LoadU64(trailer + 24)) {
    return Corrupt(file, "checksum mismatch");
  }
  const std::uint64_t table = LoadU64(trailer);
  const std::uint32_t count = LoadU32(trailer + 8);
  const std::uint64_t table_end = size - format::kTrailerBytes;
  if (table < format::kHeaderBytes || table > table_end) return Corrupt(file, "bad table offset");
  std::vector<Section> sections;
  std::uint64_t at = table;
  for (std::uint32_t i = 0; i < count; ++i) {
    if (at + 24 > table_end) return Corrupt(file, "section table overruns");
    Section s;
    s.kind = static_cast<format::SectionKind>(LoadU32(base + at));
    const std::uint32_t name_bytes = LoadU32(base + at + 4);
    const std::uint64_t offset = LoadU64(base + at + 8);
    s.length = LoadU64(base + at + 16);
    at += 24;
    if (at + name_bytes > table_end) return Corrupt(file, "section name overruns");
    s.name.assign(reinterpret_cast<const char*>(base + at), name_bytes);
    at = (at + name_bytes + 7) / 8 * 8;
    if (offset < format::kHeaderBytes || offset > table || s.length > table - offset) {
      return Corrupt(file, "section out of bounds");
    }
    s.data = base + offset;
    sections.push_back(std::move(s));
  }
  return sections;
}

}  // namespace

core::Result<std::shared_ptr<const Segment>> Segment::Open(const std::filesystem::path& file) {
  auto impl = std::make_unique<Impl>();
  impl->path = file;
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT) {
      return core::Status::NotFound("segment_missing", "segment " + file.string() + " not found");
    }
    return core::Status::Internal("segment " + file.string() + ": open: " + std::strerror(err));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    return core::Status::Internal("segment " + file.string() + ": fstat: " + std::strerror(err));
  }
  impl->size = static_cast<std::uint64_t>(st.st_size);
  if (impl->size < format::kHeaderBytes + format::kTrailerBytes) {
    ::close(fd);
    return Corrupt(file, "too short");
  }
  void* map = ::mmap(nullptr, impl->size, PROT_READ, MAP_SHARED, fd, 0);
  const int map_err = errno;
  ::close(fd);
  if (map == MAP_FAILED) {
    return core::Status::Internal("segment " + file.string() + ": mmap: " +
                                  std::strerror(map_err));
  }
  impl->base = static_cast<const unsigned char*>(map);
  MARKAZ_ASSIGN_OR_RETURN(std::vector<Section> sections,
                          VerifyAndListSections(file, impl->base, impl->size));

  const Section* meta = nullptr;
  const Section* keys = nullptr;
  const Section* seqs = nullptr;
  const Section* lengths = nullptr;
  const Section* postings = nullptr;
  const Section* dict = nullptr;
  const Section* index = nullptr;
  const Section* readers = nullptr;
  for (const Section& s : sections) {
    switch (s.kind) {
      case format::SectionKind::kMeta: meta = &s; break;
      case format::SectionKind::kKeys: keys = &s; break;
      case format::SectionKind::kSeqs: seqs = &s; break;
      case format::SectionKind::kLengths: lengths = &s; break;
      case format::SectionKind::kPostings: postings = &s; break;
      case format::SectionKind::kTermDict: dict = &s; break;
      case format::SectionKind::kTermIndex: index = &s; break;
      case format::SectionKind::kReaders: readers = &s; break;
      default: break;
    }
  }
  if (!meta || !keys || !seqs || !lengths || !postings || !dict || !index || !readers) {
    return Corrupt(file, "missing section");
  }
  if (meta->length < format::kMetaBytes) return Corrupt(file, "short meta");
  const std::uint32_t n = LoadU32(meta->data);
  impl->doc_count = n;
  impl->term_count = LoadU32(meta->data + 4);
  impl->min_seq = LoadI64(meta->data + 8);
  impl->max_seq = LoadI64(meta->data + 16);
  if (LoadU32(meta->data + 24) != format::kTermsPerDictBlock ||
      LoadU32(meta->data + 28) != kBlockSize) {
    return Corrupt(file, "unsupported block sizes");
  }
  if (n == 0 || seqs->length != 8 * std::uint64_t{n} || lengths->length != 4 * std::uint64_t{n}) {
    return Corrupt(file, "column sizes do not match the doc count");
  }
  impl->seqs = seqs->data;
  impl->lengths = lengths->data;
  const std::uint64_t key_header = (4 * (std::uint64_t{n} + 1) + 7) / 8 * 8;
  if (keys->length < key_header ||
      LoadU32(keys->data + 4 * std::uint64_t{n}) > keys->length - key_header) {
    return Corrupt(file, "keys out of bounds");
  }
  impl->key_offsets = keys->data;
  impl->key_bytes = keys->data + key_header;

  // term index
  impl->dict = dict->data;
  if (index->length < 8) return Corrupt(file, "short term index");
  impl->dict_blocks = LoadU32(index->data);
  if (impl->dict_blocks !=
      (impl->term_count + format::kTermsPerDictBlock - 1) / format::kTermsPerDictBlock) {
    return Corrupt(file, "term index does not match the term count");
  }
  const std::uint64_t b = impl->dict_blocks;
  impl->dict_block_offsets = index->data + 8;
  impl->first_term_offsets = impl->dict_block_offsets + 8 * b;
  const std::uint64_t first_terms_at = (8 + 8 * b + 4 * (b + 1) + 7) / 8 * 8;
  if (first_terms_at > index->length ||
      LoadU32(impl->first_term_offsets + 4 * b) > index->length - first_terms_at) {
    return Corrupt(file, "term index out of bounds");
  }
  impl->first_terms = index->data + first_terms_at;
  for (std::uint64_t i = 0; i < b; ++i) {
    if (LoadU64(impl->dict_block_offsets + 8 * i) >= dict->length) {
      return Corrupt(file, "term block out of bounds");
    }
  }

  // readers
  {
    const unsigned char* p = readers->data;
    const unsigned char* end = p + readers->length;
    if (readers->length < 4) return Corrupt(file, "short readers");
    const std::uint32_t count = LoadU32(p);
    p += 4;
    for (std::uint32_t i = 0; i < count; ++i) {
      if (end - p < 8) return Corrupt(file, "readers overrun");
      const std::uint32_t name_bytes = LoadU32(p);
      const std::uint32_t bitmap_bytes = LoadU32(p + 4);
      p += 8;
      if (static_cast<std::uint64_t>(end - p) < std::uint64_t{name_bytes} + bitmap_bytes) {
        return Corrupt(file, "readers overrun");
      }
      std::string name(reinterpret_cast<const char*>(p), name_bytes);
      p += name_bytes;
      roaring_bitmap_t* r = roaring_bitmap_portable_deserialize_safe(
          reinterpret_cast<const char*>(p), bitmap_bytes);
      if (r == nullptr) return Corrupt(file, "bad reader bitmap");
      p += bitmap_bytes;
      impl->readers.emplace(std::move(name), Roaring(r));
    }
  }

  for (const Section& s : sections) {
    if (s.kind == format::SectionKind::kKeywordColumn) {
      auto column = std::make_unique<MappedKeywordColumn>();
      if (!column->Parse(s.data, s.length, n)) return Corrupt(file, "bad keyword column");
      impl->keywords.emplace(s.name, std::move(column));
    } else if (s.kind == format::SectionKind::kNumberColumn) {
      auto column = std::make_unique<MappedNumberColumn>();
      if (!column->Parse(s.data, s.length, n)) return Corrupt(file, "bad number column");
      impl->numbers.emplace(s.name, std::move(column));
    }
  }
  return std::shared_ptr<const Segment>(new Segment(std::move(impl)));
}

Segment::Segment(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Segment::~Segment() = default;

std::uint32_t Segment::doc_count() const { return impl_->doc_count; }
std::int64_t Segment::min_seq() const { return impl_->min_seq; }
std::int64_t Segment::max_seq() const { return impl_->max_seq; }
std::uint64_t Segment::file_bytes() const { return impl_->size; }
const std::filesystem::path& Segment::path() const { return impl_->path; }

std::string_view Segment::key(std::uint32_t doc) const {
  const std::uint32_t begin = LoadU32(impl_->key_offsets + 4 * std::size_t{doc});
  const std::uint32_t end = LoadU32(impl_->key_offsets + 4 * (std::size_t{doc} + 1));
  return std::string_view(reinterpret_cast<const char*>(impl_->key_bytes) + begin, end - begin);
}

std::int64_t Segment::seq(std::uint32_t doc) const {
  return LoadI64(impl_->seqs + 8 * std::size_t{doc});
}

std::optional<std::uint32_t> Segment::FindSeq(std::int64_t s) const {
  std::uint32_t lo = 0;
  std::uint32_t hi = impl_->doc_count;
  while (lo < hi) {
    const std::uint32_t mid = lo + (hi - lo) / 2;
    if (seq(mid) < s) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  if (lo < impl_->doc_count && seq(lo) == s) return lo;
  return std::nullopt;
}

std::uint32_t Segment::length(std::uint32_t doc) const {
  return LoadU32(impl_->lengths + 4 * std::size_t{doc});
}

const KeywordColumn* Segment::keyword_column(std::string_view name) const {
  auto it = impl_->keywords.find(name);
  return it == impl_->keywords.end() ? nullptr : it->second.get();
}

const NumberColumn* Segment::number_column(std::string_view name) const {
  auto it = impl_->numbers.find(name);
  return it == impl_->numbers.end() ? nullptr : it->second.get();
}

std::vector<std::string> Segment::keyword_column_names() const {
  std::vector<std::string> names;
  for (const auto& [name, column] : impl_->keywords) names.push_back(name);
  return names;
}

std::vector<std::string> Segment::number_column_names() const {
  std::vector<std::string> names;
  for (const auto& [name, column] : impl_->numbers) names.push_back(name);
  return names;
}

const std::map<std::string, Roaring, std::less<>>& Segment::readers() const {
  return impl_->readers;
}

}  // namespace markaz::index
