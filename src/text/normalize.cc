// Normalisation: ICU NFKC_Casefold, then our Arabic rules, with a byte → original-span map.
//
// Why segments: NFKC may combine or reorder a code point with its neighbours (ا + ◌ٓ → آ,
// marks are reordered by combining class), so the text cannot be normalised one code point at a
// time. It can be normalised one *segment* at a time, a segment starting at each code point that
// has a normalisation boundary before it (Normalizer2::hasBoundaryBefore): ICU guarantees that
// normalising the pieces and concatenating gives the same result. Every output byte of a segment
// maps to the segment's code-point span, which is as exact as a map can be (a letter and its
// harakat form one segment, so a word's span includes its trailing marks).
//
// Why a table: almost every segment is one code point (a letter followed by a letter), and the
// output of one code point never changes, so it is computed once with ICU and cached in a table
// of 256-entry blocks covering the BMP, built lazily on first use of each block. ASCII does not
// even look at the table. Only multi-code-point segments (a letter with its harakat, decomposed
// Latin) and code points outside the BMP call ICU at run time.
#include "text/normalize.h"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cassert>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "text/utf8.h"

namespace markaz::text {
namespace {

using internal::DecodeUtf8;
using internal::EncodeUtf8;

const icu::Normalizer2& Nfkc() {
  static const icu::Normalizer2* const norm = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFKCCasefoldInstance(status);
    // ICU's data is linked into the binary (ICU::data): failing here is a broken build.
    if (U_FAILURE(status) || n == nullptr) std::abort();
    return n;
  }();
  return *norm;
}

bool IsWhiteSpace(char32_t cp) {
  if (cp < 0x80) return cp == ' ' || (cp >= 0x09 && cp <= 0x0D);
  return u_isUWhiteSpace(static_cast<UChar32>(cp)) != 0;
}

// The Arabic orthographic rules of normalize.h (step 2) and the whitespace rule (step 3) for
// one code point of NFKC_Casefold output. Writes 0–4 bytes to out; returns how many.
std::size_t Fold(char32_t cp, char* out) {
  if (cp < 0x80) {
    out[0] = IsWhiteSpace(cp) ? ' ' : static_cast<char>(cp);
    return 1;
  }
  if (cp >= 0x0600 && cp <= 0x06FF) {
    if (cp == 0x0640) return 0;                  // tatweel
    if (cp >= 0x064B && cp <= 0x065F) return 0;  // harakat
    if (cp == 0x0670) return 0;                  // superscript alef
    if (cp >= 0x06D6 && cp <= 0x06ED) return 0;  // Quranic marks
    if (cp >= 0x0660 && cp <= 0x0669) {          // Arabic-Indic digits
      out[0] = static_cast<char>('0' + (cp - 0x0660));
      return 1;
    }
    if (cp >= 0x06F0 && cp <= 0x06F9) {  // Persian digits
      out[0] = static_cast<char>('0' + (cp - 0x06F0));
      return 1;
    }
    switch (cp) {
      case 0x0622:  // آ
      case 0x0623:  // أ
      case 0x0625:  // إ
      case 0x0671:  // ٱ
        cp = 0x0627;
        break;
      case 0x0649:  // ى
      case 0x06CC:  // ی
        cp = 0x064A;
        break;
      case 0x0629:  // ة
      case 0x06C0:  // ۀ
        cp = 0x0647;
        break;
      case 0x06A9:  // ک
        cp = 0x0643;
        break;
      default:
        break;
    }
    return EncodeUtf8(cp, out);
  }
  if (IsWhiteSpace(cp)) {
    out[0] = ' ';
    return 1;
  }
  return EncodeUtf8(cp, out);
}

// Normalises one segment the slow way: fold(NFKC_Casefold(in)) into *out. When the fold
// removed marks, the marks left may now compose (a + ◌ّ + ◌̈: the shadda blocked the
// diaeresis), so the result is normalised again until it is stable; this keeps Normalize
// idempotent. Two rounds suffice in practice; three bound the loop.
void NormalizeSegment(std::string_view in, std::string* out, std::string* scratch,
                      std::string* icu_out) {
  const icu::Normalizer2& norm = Nfkc();
  scratch->assign(in);
  char buf[4];
  for (int round = 0; round < 3; ++round) {
    icu_out->clear();
    icu::StringByteSink<std::string> sink(icu_out);
    UErrorCode status = U_ZERO_ERROR;
    norm.normalizeUTF8(0, icu::StringPiece(scratch->data(), static_cast<int32_t>(scratch->size())),
                       sink, nullptr, status);
    if (U_FAILURE(status)) *icu_out = *scratch;  // cannot happen on valid UTF-8; keep the text
    out->clear();
    bool removed = false;
    bool removed_first = false;  // the segment's starter (a tatweel) went
    for (std::size_t k = 0; k < icu_out->size();) {
      std::size_t lk = 0;
      const std::size_t n = Fold(DecodeUtf8(*icu_out, k, &lk), buf);
      removed |= n == 0;
      removed_first |= n == 0 && k == 0;
      out->append(buf, n);
      k += lk;
    }
    if (!removed) return;
    if (removed_first) {
      // Marks carried by a removed tatweel (ـَ) go with it, else they would attach to the
      // previous segment's last letter on a second normalisation.
      std::size_t lead = 0;
      while (lead < out->size()) {
        std::size_t lk = 0;
        const char32_t c = DecodeUtf8(*out, lead, &lk);
        if (c < 0x80 || norm.hasBoundaryBefore(static_cast<UChar32>(c))) break;
        lead += lk;
      }
      out->erase(0, lead);
    }
    status = U_ZERO_ERROR;
    if (norm.isNormalizedUTF8(icu::StringPiece(out->data(), static_cast<int32_t>(out->size())),
                              status) ||
        U_FAILURE(status)) {
      return;
    }
    scratch->swap(*out);
  }
}

// What normalisation does to one BMP code point standing alone.
struct CpEntry {
  static constexpr uint8_t kBoundaryBefore = 1;  // starts a segment
  static constexpr uint8_t kCached = 2;          // out[0..len) is its whole output
  static constexpr uint8_t kHasSpace = 4;        // and it holds a space (whitespace input)
  uint8_t flags = 0;
  uint8_t len = 0;
  char out[14] = {};
};
static_assert(sizeof(CpEntry) == 16);

struct Block {
  std::array<CpEntry, 256> entries;
};

std::atomic<const Block*> g_blocks[256];

const Block* BuildBlock(uint32_t block) {
  auto b = std::make_unique<Block>();
  const icu::Normalizer2& norm = Nfkc();
  std::string out, scratch, icu_out;
  for (uint32_t k = 0; k < 256; ++k) {
    const char32_t cp = (block << 8) | k;
    CpEntry& e = b->entries[k];
    if (cp >= 0xD800 && cp <= 0xDFFF) {  // never decoded (surrogates become U+FFFD)
      e.flags = CpEntry::kBoundaryBefore;
      continue;
    }
    if (norm.hasBoundaryBefore(static_cast<UChar32>(cp))) e.flags |= CpEntry::kBoundaryBefore;
    char in[4];
    NormalizeSegment(std::string_view(in, EncodeUtf8(cp, in)), &out, &scratch, &icu_out);
    if (out.size() <= sizeof(e.out)) {
      e.flags |= CpEntry::kCached;
      if (out.find(' ') != std::string::npos) e.flags |= CpEntry::kHasSpace;
      e.len = static_cast<uint8_t>(out.size());
      std::memcpy(e.out, out.data(), out.size());
    }
  }
  // The main loop never asks about ASCII: it assumes what ICU's data says, that no ASCII
  // character interacts with what precedes it.
  if (block == 0) {
    for (uint32_t k = 0; k < 0x80; ++k) {
      assert(b->entries[k].flags & CpEntry::kBoundaryBefore);
    }
  }
  const Block* expected = nullptr;
  const Block* mine = b.get();
  if (g_blocks[block].compare_exchange_strong(expected, mine, std::memory_order_acq_rel)) {
    return b.release();  // published: lives as long as the process
  }
  return expected;  // another thread built it first; ours is dropped
}

inline const CpEntry& Entry(char32_t cp) {
  const uint32_t block = cp >> 8;
  const Block* b = g_blocks[block].load(std::memory_order_acquire);
  if (b == nullptr) b = BuildBlock(block);
  return b->entries[cp & 0xFF];
}

inline bool HasBoundaryBefore(char32_t cp) {
  if (cp < 0x80) return true;  // asserted in BuildBlock
  if (cp < 0x10000) return (Entry(cp).flags & CpEntry::kBoundaryBefore) != 0;
  return Nfkc().hasBoundaryBefore(static_cast<UChar32>(cp));
}

// ASCII under NFKC_Casefold + our rules: A–Z lower-cased, whitespace to ' ', the rest as is.
constexpr std::array<char, 128> MakeAsciiMap() {
  std::array<char, 128> m{};
  for (int c = 0; c < 128; ++c) {
    char o = static_cast<char>(c);
    if (c >= 'A' && c <= 'Z') o = static_cast<char>(c - 'A' + 'a');
    if (c == ' ' || (c >= 0x09 && c <= 0x0D)) o = ' ';
    m[static_cast<std::size_t>(c)] = o;
  }
  return m;
}
constexpr std::array<char, 128> kAsciiMap = MakeAsciiMap();

// Appends output bytes, collapsing runs of spaces; with kMap, also the span of each byte.
// Writes through raw pointers into buffers sized ahead (Reserve), then trims them (Finish):
// push_back on three containers per byte cost a fifth of the analysis.
template <bool kMap>
class Emitter {
 public:
  Emitter(std::string* text, std::vector<uint32_t>* cp_begin, std::vector<uint32_t>* cp_end,
          std::size_t capacity)
      : text_(text), cp_begin_(cp_begin), cp_end_(cp_end) {
    Grow(capacity);
  }

  // Room for `extra` more bytes.
  void Reserve(std::size_t extra) {
    if (size_ + extra > capacity_) Grow(std::max(2 * capacity_, size_ + extra));
  }

  // One byte; Reserve(1) first.
  void Byte(char c, uint32_t begin, uint32_t end) {
    if (c == ' ') {
      if (last_space_) {
        if constexpr (kMap) e_[size_ - 1] = end;
        return;
      }
      last_space_ = true;
    } else {
      last_space_ = false;
    }
    t_[size_] = c;
    if constexpr (kMap) {
      b_[size_] = begin;
      e_[size_] = end;
    }
    ++size_;
  }

  // n bytes of which none is a space; Reserve(n) first.
  void Word(const char* p, std::size_t n, uint32_t begin, uint32_t end) {
    if (n == 0) return;
    for (std::size_t k = 0; k < n; ++k) t_[size_ + k] = p[k];  // n is small: no memcpy call
    if constexpr (kMap) {
      for (std::size_t k = 0; k < n; ++k) {
        b_[size_ + k] = begin;
        e_[size_ + k] = end;
      }
    }
    size_ += n;
    last_space_ = false;
  }

  // Any n bytes; Reserve(n) first.
  void Bytes(const char* p, std::size_t n, uint32_t begin, uint32_t end) {
    for (std::size_t k = 0; k < n; ++k) Byte(p[k], begin, end);
  }

  void Finish() {
    text_->resize(size_);
    if constexpr (kMap) {
      cp_begin_->resize(size_);
      cp_end_->resize(size_);
    }
  }

 private:
  void Grow(std::size_t capacity) {
    capacity_ = capacity;
    text_->resize(capacity_);
    t_ = text_->data();
    if constexpr (kMap) {
      cp_begin_->resize(capacity_);
      cp_end_->resize(capacity_);
      b_ = cp_begin_->data();
      e_ = cp_end_->data();
    }
  }

  std::string* text_;
  std::vector<uint32_t>* cp_begin_;
  std::vector<uint32_t>* cp_end_;
  char* t_ = nullptr;
  uint32_t* b_ = nullptr;
  uint32_t* e_ = nullptr;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
  bool last_space_ = false;
};

template <bool kMap>
uint32_t Run(std::string_view s, std::string* text, std::vector<uint32_t>* cp_begin,
             std::vector<uint32_t>* cp_end) {
  const std::size_t n = s.size();
  // Room is made before each write: a table entry's output, or what the slow path produced.
  constexpr std::size_t kMaxTableOutput = sizeof(CpEntry::out);
  Emitter<kMap> out(text, cp_begin, cp_end, n + n / 8 + 32);
  std::string seg_in;   // slow path only: a multi-code-point segment, re-encoded
  std::string seg_out;  // and its normalised form
  std::string scratch, icu_out;
  // The code point after the current one is decoded to see whether it starts a segment; it is
  // kept (`ahead`) so that the next step does not decode it again.
  struct Decoded {
    char32_t cp = 0;
    std::size_t len = 0;
    const CpEntry* entry = nullptr;  // null above the BMP
    bool BoundaryBefore() const {
      if (entry != nullptr) return (entry->flags & CpEntry::kBoundaryBefore) != 0;
      return Nfkc().hasBoundaryBefore(static_cast<UChar32>(cp));
    }
  };
  std::size_t ahead_at = std::string_view::npos;
  Decoded ahead;
  auto decode = [&](std::size_t at) -> const Decoded& {
    if (at != ahead_at) {
      ahead_at = at;
      ahead.cp = DecodeUtf8(s, at, &ahead.len);
      ahead.entry = ahead.cp < 0x10000 ? &Entry(ahead.cp) : nullptr;
    }
    return ahead;
  };

  std::size_t i = 0;
  uint32_t cp_index = 0;
  while (i < n) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      // ASCII stands alone unless a combining mark follows it (e + ◌́ → é).
      if (i + 1 >= n || static_cast<unsigned char>(s[i + 1]) < 0x80 ||
          decode(i + 1).BoundaryBefore()) {
        out.Reserve(1);
        out.Byte(kAsciiMap[b], cp_index, cp_index + 1);
        ++i;
        ++cp_index;
        continue;
      }
    }
    const Decoded current = decode(i);
    // Extend the segment over every following code point that may interact with it.
    std::size_t j = i + current.len;
    uint32_t cp_j = cp_index + 1;
    while (j < n && static_cast<unsigned char>(s[j]) >= 0x80) {
      const Decoded& next = decode(j);
      if (next.BoundaryBefore()) break;
      j += next.len;
      ++cp_j;
    }
    if (cp_j == cp_index + 1 && current.entry != nullptr &&
        (current.entry->flags & CpEntry::kCached)) {
      const CpEntry& e = *current.entry;
      out.Reserve(kMaxTableOutput);
      if (e.flags & CpEntry::kHasSpace) {
        out.Bytes(e.out, e.len, cp_index, cp_j);
      } else {
        out.Word(e.out, e.len, cp_index, cp_j);
      }
      i = j;
      cp_index = cp_j;
      continue;
    }
    // Slow path: hand the segment to ICU. It is re-encoded so that invalid bytes reach ICU as
    // U+FFFD, the code point our decoder counted them as.
    seg_in.clear();
    for (std::size_t k = i; k < j;) {
      std::size_t lk = 0;
      internal::AppendUtf8(DecodeUtf8(s, k, &lk), &seg_in);
      k += lk;
    }
    NormalizeSegment(seg_in, &seg_out, &scratch, &icu_out);
    out.Reserve(seg_out.size());
    out.Bytes(seg_out.data(), seg_out.size(), cp_index, cp_j);
    i = j;
    cp_index = cp_j;
  }
  out.Finish();
  return cp_index;
}

}  // namespace

NormalizedText Normalize(std::string_view utf8) {
  NormalizedText r;
  r.original_code_points = Run<true>(utf8, &r.text, &r.cp_begin, &r.cp_end);
  return r;
}

std::string NormalizeString(std::string_view utf8) {
  std::string out;
  Run<false>(utf8, &out, nullptr, nullptr);
  return out;
}

namespace {

// The byte length of the code point at utf8[i] (i < utf8.size()).
std::size_t CodePointLength(std::string_view utf8, std::size_t i) {
  if (static_cast<unsigned char>(utf8[i]) < 0x80) return 1;
  std::size_t len = 0;
  DecodeUtf8(utf8, i, &len);
  return len;
}

}  // namespace

uint32_t CountCodePoints(std::string_view utf8) {
  uint32_t count = 0;
  for (std::size_t i = 0; i < utf8.size(); i += CodePointLength(utf8, i)) ++count;
  return count;
}

std::string_view SliceCodePoints(std::string_view utf8, Span span) {
  std::size_t i = 0;
  std::size_t from = utf8.size();
  for (uint32_t cp = 0;; ++cp) {
    if (cp == span.begin) from = i;
    if (cp == span.end || i >= utf8.size()) break;
    i += CodePointLength(utf8, i);
  }
  return from >= i ? std::string_view() : utf8.substr(from, i - from);
}

}  // namespace markaz::text
