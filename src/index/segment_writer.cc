// WriteSegment: inverts documents in memory and hands the terms, sorted, to SegmentBuilder.
// The hot loop runs once per term occurrence (~300 per report), so it allocates nothing per
// occurrence: terms are interned through an open-addressing table keyed by their XXH3 hash,
// and postings go to flat arrays, grouped by term with one counting sort at the end.
// Inlined: the hash of a short term is a few instructions, cheaper than the call.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <cstring>
#include <numeric>
#include <unordered_map>

#include "index/segment_builder.h"

namespace markaz::index {

namespace {

constexpr std::uint32_t kNone = 0xFFFFFFFFu;

// One (term, doc) posting as the documents are read, in doc order.
struct RawPosting {
  std::uint32_t term;
  std::uint32_t doc;
  std::uint32_t freq;
  std::uint32_t pos_count;
};

// Term → dense id, open addressing with linear probing. A slot also carries what the hot loop
// needs without touching anything else: where the term's bytes are in the arena (to confirm a
// hash match), and the term's state within the document being inverted (last doc seen, its
// index among the doc's distinct terms). The term bytes live in one arena, in first-seen
// order, so the common terms are packed together and stay in cache.
class TermTable {
 public:
  struct Slot {
    std::uint32_t tag = 0;  // high hash bits, to skip most string compares
    std::uint32_t id = kNone;
    std::uint32_t last_doc = kNone;
    std::uint32_t local = 0;
    std::uint32_t offset = 0;  // in the arena
    std::uint32_t size = 0;
  };

  TermTable() : slots_(4096) {}

  static std::uint64_t Hash(std::string_view term) { return XXH3_64bits(term.data(), term.size()); }
  void Prefetch(std::uint64_t hash) const {
    __builtin_prefetch(&slots_[hash & (slots_.size() - 1)]);
  }
  // Once the slot has arrived: prefetch the bytes its term is compared with.
  void PrefetchTerm(std::uint64_t hash) const {
    const Slot& slot = slots_[hash & (slots_.size() - 1)];
    if (slot.id != kNone) __builtin_prefetch(arena_.data() + slot.offset);
  }
  // Reserves room for `more` new terms so that slot references stay valid meanwhile.
  void Reserve(std::size_t more) {
    while ((count_ + more) * 2 > slots_.size()) Grow();
  }
  std::uint32_t count() const { return count_; }
  std::string_view term(std::uint32_t id) const {
    return std::string_view(arena_).substr(offsets_[id], offsets_[id + 1] - offsets_[id]);
  }

  // The slot of `term`, inserted with the next id when new. Needs Reserve(1) beforehand.
  Slot& Find(std::string_view term, std::uint64_t hash) {
    const auto tag = static_cast<std::uint32_t>(hash >> 32);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
      Slot& slot = slots_[i];
      if (slot.id == kNone) {
        slot.tag = tag;
        slot.id = count_++;
        slot.offset = static_cast<std::uint32_t>(arena_.size());
        slot.size = static_cast<std::uint32_t>(term.size());
        arena_.append(term);
        offsets_.push_back(static_cast<std::uint32_t>(arena_.size()));
        return slot;
      }
      if (slot.tag == tag && slot.size == term.size() &&
          std::string_view(arena_.data() + slot.offset, slot.size) == term) {
        return slot;
      }
    }
  }

 private:
  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.size() * 2, Slot{});
    const std::size_t mask = slots_.size() - 1;
    for (const Slot& s : old) {
      if (s.id == kNone) continue;
      std::size_t i = Hash(term(s.id)) & mask;
      while (slots_[i].id != kNone) i = (i + 1) & mask;
      slots_[i] = s;
    }
  }

  std::vector<Slot> slots_;
  std::uint32_t count_ = 0;
  std::string arena_;
  std::vector<std::uint32_t> offsets_{0};  // term id → arena offset; one past the last
};

void SetBit(std::vector<std::uint64_t>* words, std::uint32_t bit) {
  (*words)[bit / 64] |= std::uint64_t{1} << (bit % 64);
}

// Builds the per-document sections: keys, seqs, lengths, columns, readers.
SegmentDocs CollectDocs(std::span<const Document> docs) {
  const auto n = static_cast<std::uint32_t>(docs.size());
  SegmentDocs out;
  out.seqs.reserve(n);
  out.lengths.assign(n, 0);
  out.key_offsets.reserve(std::size_t{n} + 1);
  std::map<std::string, std::unordered_map<std::string, std::vector<std::uint32_t>>, std::less<>>
      keyword_docs;
  std::map<std::string, std::vector<std::uint32_t>, std::less<>> reader_docs;
  for (std::uint32_t d = 0; d < n; ++d) {
    const Document& doc = docs[d];
    out.key_bytes += doc.key;
    out.key_offsets.push_back(static_cast<std::uint32_t>(out.key_bytes.size()));
    out.seqs.push_back(doc.seq);
    for (const KeywordValue& kv : doc.keywords) {
      auto column = keyword_docs.find(kv.column);
      if (column == keyword_docs.end()) column = keyword_docs.emplace(kv.column, 0).first;
      std::vector<std::uint32_t>& list = column->second[kv.value];
      if (list.empty() || list.back() != d) list.push_back(d);
    }
    for (const NumberValue& nv : doc.numbers) {
      auto column = out.numbers.find(nv.column);
      if (column == out.numbers.end()) {
        NumberColumnData data;
        data.present.assign((std::size_t{n} + 63) / 64, 0);
        data.values.assign(n, 0);
        column = out.numbers.emplace(nv.column, std::move(data)).first;
      }
      SetBit(&column->second.present, d);
      column->second.values[d] = nv.value;
    }
    for (const std::string& reader : doc.readers) {
      std::vector<std::uint32_t>& list = reader_docs[reader];
      if (list.empty() || list.back() != d) list.push_back(d);
    }
  }
  for (auto& [name, values] : keyword_docs) {
    KeywordColumnData& column = out.keywords[name];
    std::vector<std::pair<std::string, std::vector<std::uint32_t>>> sorted(
        std::make_move_iterator(values.begin()), std::make_move_iterator(values.end()));
    std::sort(sorted.begin(), sorted.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::uint32_t> per_doc(n, 0);
    for (const auto& [value, list] : sorted) {
      for (std::uint32_t d : list) ++per_doc[d];
    }
    column.ord_offsets.assign(std::size_t{n} + 1, 0);
    for (std::uint32_t d = 0; d < n; ++d) {
      column.ord_offsets[d + 1] = column.ord_offsets[d] + per_doc[d];
    }
    column.ords.resize(column.ord_offsets[n]);
    std::vector<std::uint32_t> fill(column.ord_offsets.begin(), column.ord_offsets.end() - 1);
    for (std::uint32_t o = 0; o < sorted.size(); ++o) {
      // ordinals are visited in ascending order, so each doc's list comes out sorted
      for (std::uint32_t d : sorted[o].second) column.ords[fill[d]++] = o;
      column.values.push_back(std::move(sorted[o].first));
      column.docs.push_back(CanonicalBitmap(sorted[o].second));
    }
  }
  for (const auto& [reader, list] : reader_docs) out.readers.emplace(reader, CanonicalBitmap(list));
  return out;
}

}  // namespace

core::Status WriteSegment(const std::filesystem::path& file, std::span<const Document> docs) {
  if (docs.empty()) return core::Status::InvalidArgument("segment_empty", "no documents to write");
  for (std::size_t d = 1; d < docs.size(); ++d) {
    if (docs[d].seq <= docs[d - 1].seq) {
      return core::Status::InvalidArgument("segment_seq_order",
                                           "documents are not in ascending seq order");
    }
  }
  if (docs.size() >= kNone) {
    return core::Status::InvalidArgument("segment_too_large", "too many documents for a segment");
  }
  SegmentDocs columns = CollectDocs(docs);

  // Inversion in two steps, as search engines' indexers do: the postings are appended in doc
  // order to one flat array (sequential writes, no per-term vectors to grow), then a counting
  // sort by term lays each term's postings out contiguously, still in doc order.
  TermTable table;
  std::vector<RawPosting> raw;
  std::vector<std::uint32_t> raw_positions;  // per raw posting, its positions, in order
  // Per document: its distinct terms (by local index), their frequencies, and every
  // occurrence's (local index, position), grouped by a counting sort at the end of the doc.
  std::vector<std::uint32_t> local_ids;
  std::vector<std::uint32_t> local_freqs;
  std::vector<std::uint32_t> local_starts;
  std::vector<std::uint32_t> occ_locals;
  std::vector<std::uint32_t> occ_positions;
  std::vector<std::uint32_t> grouped;
  std::vector<std::uint64_t> hashes;
  // Slots are mostly cache misses (a vocabulary of 10^5 terms); hashing a few occurrences
  // ahead and prefetching their slots overlaps the misses.
  constexpr std::size_t kPrefetchDistance = 8;
  for (std::uint32_t d = 0; d < docs.size(); ++d) {
    const std::vector<DocumentTerm>& doc_terms = docs[d].terms;
    local_ids.clear();
    local_freqs.clear();
    occ_locals.clear();
    occ_positions.clear();
    hashes.resize(doc_terms.size());
    table.Reserve(doc_terms.size());
    for (std::size_t i = 0; i < doc_terms.size(); ++i) {
      hashes[i] = TermTable::Hash(doc_terms[i].term);
      if (i < kPrefetchDistance) table.Prefetch(hashes[i]);
    }
    std::uint32_t length = 0;
    for (std::size_t i = 0; i < doc_terms.size(); ++i) {
      if (i + kPrefetchDistance < doc_terms.size()) table.Prefetch(hashes[i + kPrefetchDistance]);
      if (i + kPrefetchDistance / 2 < doc_terms.size()) {
        table.PrefetchTerm(hashes[i + kPrefetchDistance / 2]);
      }
      const DocumentTerm& t = doc_terms[i];
      TermTable::Slot& slot = table.Find(t.term, hashes[i]);
      if (slot.last_doc != d) {
        slot.last_doc = d;
        slot.local = static_cast<std::uint32_t>(local_ids.size());
        local_ids.push_back(slot.id);
        local_freqs.push_back(0);
      }
      local_freqs[slot.local] += t.weight;
      occ_locals.push_back(slot.local);
      occ_positions.push_back(t.position);
      length += t.weight;
    }
    columns.lengths[d] = length;
    const auto distinct = static_cast<std::uint32_t>(local_ids.size());
    local_starts.assign(std::size_t{distinct} + 1, 0);
    for (std::uint32_t l : occ_locals) ++local_starts[l + 1];
    for (std::uint32_t l = 0; l < distinct; ++l) local_starts[l + 1] += local_starts[l];
    grouped.resize(occ_positions.size());
    for (std::size_t i = 0; i < occ_locals.size(); ++i) {
      grouped[local_starts[occ_locals[i]]++] = occ_positions[i];
    }
    // local_starts[l] is now the end of group l; group l begins where group l - 1 ends.
    std::uint32_t begin = 0;
    for (std::uint32_t l = 0; l < distinct; ++l) {
      const std::uint32_t end = local_starts[l];
      auto first = grouped.begin() + begin;
      auto last = grouped.begin() + end;
      // Positions are meant to arrive ascending and unique; repair the rare doc where not.
      if (!std::is_sorted(first, last) || std::adjacent_find(first, last) != last) {
        std::sort(first, last);
        last = std::unique(first, last);
      }
      raw.push_back({local_ids[l], d, local_freqs[l], static_cast<std::uint32_t>(last - first)});
      raw_positions.insert(raw_positions.end(), first, last);
      begin = end;
    }
  }

  // Counting sort of the postings by term.
  const std::uint32_t term_count = table.count();
  std::vector<std::uint32_t> posting_start(std::size_t{term_count} + 1, 0);
  std::vector<std::uint64_t> position_start(std::size_t{term_count} + 1, 0);
  for (const RawPosting& p : raw) {
    ++posting_start[p.term + 1];
    position_start[p.term + 1] += p.pos_count;
  }
  for (std::uint32_t t = 0; t < term_count; ++t) {
    posting_start[t + 1] += posting_start[t];
    position_start[t + 1] += position_start[t];
  }
  std::vector<std::uint32_t> doc_ids(raw.size());
  std::vector<std::uint32_t> freqs(raw.size());
  std::vector<std::uint32_t> counts(raw.size());
  std::vector<std::uint32_t> positions(raw_positions.size());
  {
    std::vector<std::uint32_t> next_posting(posting_start.begin(), posting_start.end() - 1);
    std::vector<std::uint64_t> next_position(position_start.begin(), position_start.end() - 1);
    std::size_t at = 0;
    for (const RawPosting& p : raw) {
      const std::uint32_t i = next_posting[p.term]++;
      doc_ids[i] = p.doc;
      freqs[i] = p.freq;
      counts[i] = p.pos_count;
      std::copy_n(raw_positions.begin() + static_cast<std::ptrdiff_t>(at), p.pos_count,
                  positions.begin() + static_cast<std::ptrdiff_t>(next_position[p.term]));
      next_position[p.term] += p.pos_count;
      at += p.pos_count;
    }
  }
  raw = {};
  raw_positions = {};

  std::vector<std::uint32_t> order(term_count);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](std::uint32_t a, std::uint32_t b) { return table.term(a) < table.term(b); });
  MARKAZ_ASSIGN_OR_RETURN(std::unique_ptr<SegmentBuilder> builder,
                          SegmentBuilder::Create(file, columns));
  const std::span<const std::uint32_t> all_docs(doc_ids);
  const std::span<const std::uint32_t> all_freqs(freqs);
  const std::span<const std::uint32_t> all_counts(counts);
  const std::span<const std::uint32_t> all_positions(positions);
  for (std::uint32_t t : order) {
    const std::uint32_t first = posting_start[t];
    const std::uint32_t n = posting_start[t + 1] - first;
    const std::uint64_t pos_first = position_start[t];
    const std::uint64_t pos_n = position_start[t + 1] - pos_first;
    MARKAZ_RETURN_IF_ERROR(builder->AddTerm(
        table.term(t),
        TermPostingsView{all_docs.subspan(first, n), all_freqs.subspan(first, n),
                         all_counts.subspan(first, n), all_positions.subspan(pos_first, pos_n)}));
  }
  return builder->Finish();
}

}  // namespace markaz::index
