// MergeSegments: the concatenation of segments, written through the same SegmentBuilder as
// WriteSegment. Documents keep their order and are renumbered by each input's offset; terms
// are merged from the inputs' sorted TermEnums, one term's postings decoded and re-encoded at a
// time, so memory stays at one term plus the per-document sections.
#include <algorithm>
#include <vector>

#include "index/segment_builder.h"

namespace markaz::index {

namespace {

void AppendShifted(const Roaring& bitmap, std::uint32_t base, std::vector<std::uint32_t>* out) {
  for (std::uint32_t d : bitmap) out->push_back(base + d);
}

void MergeKeywordColumn(const std::string& name, std::span<const MergeInput> inputs,
                        std::span<const std::uint32_t> bases, std::uint32_t total,
                        KeywordColumnData* out) {
  std::vector<const KeywordColumn*> columns;
  for (const MergeInput& in : inputs) columns.push_back(in.segment->keyword_column(name));
  for (const KeywordColumn* c : columns) {
    if (c == nullptr) continue;
    for (std::uint32_t o = 0; o < c->value_count(); ++o) out->values.emplace_back(c->value(o));
  }
  std::sort(out->values.begin(), out->values.end());
  out->values.erase(std::unique(out->values.begin(), out->values.end()), out->values.end());

  std::vector<std::vector<std::uint32_t>> value_docs(out->values.size());
  out->ord_offsets.assign(1, 0);
  out->ord_offsets.reserve(std::size_t{total} + 1);
  std::vector<std::uint32_t> remap;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const KeywordColumn* c = columns[i];
    const std::uint32_t docs = inputs[i].segment->doc_count();
    if (c == nullptr) {
      out->ord_offsets.insert(out->ord_offsets.end(), docs, out->ord_offsets.back());
      continue;
    }
    // Both dictionaries are sorted, so the remapping is increasing and each doc's ordinals
    // stay ascending.
    remap.assign(c->value_count(), 0);
    for (std::uint32_t o = 0; o < c->value_count(); ++o) {
      const auto at = std::lower_bound(out->values.begin(), out->values.end(), c->value(o));
      remap[o] = static_cast<std::uint32_t>(at - out->values.begin());
      AppendShifted(c->Docs(o), bases[i], &value_docs[remap[o]]);
    }
    for (std::uint32_t d = 0; d < docs; ++d) {
      for (std::uint32_t o : c->Ordinals(d)) out->ords.push_back(remap[o]);
      out->ord_offsets.push_back(static_cast<std::uint32_t>(out->ords.size()));
    }
  }
  for (const std::vector<std::uint32_t>& docs : value_docs) {
    out->docs.push_back(CanonicalBitmap(docs));
  }
}

SegmentDocs MergeDocs(std::span<const MergeInput> inputs, std::span<const std::uint32_t> bases,
                      std::uint32_t total) {
  SegmentDocs out;
  out.seqs.reserve(total);
  out.lengths.reserve(total);
  std::map<std::string, std::vector<std::uint32_t>, std::less<>> reader_docs;
  std::vector<std::string> keyword_names;
  std::vector<std::string> number_names;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const Segment& s = *inputs[i].segment;
    for (std::uint32_t d = 0; d < s.doc_count(); ++d) {
      out.key_bytes += s.key(d);
      out.key_offsets.push_back(static_cast<std::uint32_t>(out.key_bytes.size()));
      out.seqs.push_back(s.seq(d));
      out.lengths.push_back(s.length(d));
    }
    const auto& readers = inputs[i].readers != nullptr ? *inputs[i].readers : s.readers();
    for (const auto& [name, docs] : readers) {
      std::vector<std::uint32_t>& out_docs = reader_docs[name];
      // Docs past the input's end (a bad overlay) must not land in the next input's range.
      for (std::uint32_t d : docs) {
        if (d >= s.doc_count()) break;
        out_docs.push_back(bases[i] + d);
      }
    }
    for (std::string& name : s.keyword_column_names()) keyword_names.push_back(std::move(name));
    for (std::string& name : s.number_column_names()) number_names.push_back(std::move(name));
  }
  for (const auto& [name, docs] : reader_docs) {
    // An overlay may name a reader with no docs; WriteSegment never writes an empty one.
    if (!docs.empty()) out.readers.emplace(name, CanonicalBitmap(docs));
  }
  std::sort(keyword_names.begin(), keyword_names.end());
  keyword_names.erase(std::unique(keyword_names.begin(), keyword_names.end()),
                      keyword_names.end());
  for (const std::string& name : keyword_names) {
    MergeKeywordColumn(name, inputs, bases, total, &out.keywords[name]);
  }
  for (const std::string& name : number_names) {
    if (out.numbers.contains(name)) continue;
    NumberColumnData column;
    column.present.assign((std::size_t{total} + 63) / 64, 0);
    column.values.assign(total, 0);
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      const NumberColumn* c = inputs[i].segment->number_column(name);
      if (c == nullptr) continue;
      for (std::uint32_t d = 0; d < inputs[i].segment->doc_count(); ++d) {
        if (std::optional<std::int64_t> v = c->Get(d)) {
          const std::uint32_t at = bases[i] + d;
          column.present[at / 64] |= std::uint64_t{1} << (at % 64);
          column.values[at] = *v;
        }
      }
    }
    out.numbers.emplace(name, std::move(column));
  }
  return out;
}

}  // namespace

core::Status MergeSegments(const std::filesystem::path& file, std::span<const MergeInput> inputs) {
  if (inputs.empty()) return core::Status::InvalidArgument("merge_empty", "nothing to merge");
  std::vector<std::uint32_t> bases;
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (inputs[i].segment == nullptr) {
      return core::Status::InvalidArgument("merge_input_missing", "a merge input has no segment");
    }
    if (i > 0 && inputs[i].segment->min_seq() <= inputs[i - 1].segment->max_seq()) {
      return core::Status::InvalidArgument("merge_seq_order",
                                           "merge inputs are not in ascending seq order");
    }
    bases.push_back(static_cast<std::uint32_t>(total));
    total += inputs[i].segment->doc_count();
  }
  if (total >= kNoMoreDocs) {
    return core::Status::InvalidArgument("segment_too_large", "too many documents for a segment");
  }
  const SegmentDocs docs = MergeDocs(inputs, bases, static_cast<std::uint32_t>(total));
  MARKAZ_ASSIGN_OR_RETURN(std::unique_ptr<SegmentBuilder> builder,
                          SegmentBuilder::Create(file, docs));

  std::vector<TermEnum> enums;
  std::vector<bool> live;
  for (const MergeInput& in : inputs) {
    enums.push_back(in.segment->Terms());
    live.push_back(enums.back().Next());
  }
  std::vector<std::uint32_t> out_docs;
  std::vector<std::uint32_t> out_freqs;
  std::vector<std::uint32_t> out_counts;
  std::vector<std::uint32_t> out_positions;
  std::string term;
  while (true) {
    // The smallest current term; inputs are few, so a linear scan beats a heap.
    const TermEnum* smallest = nullptr;
    for (std::size_t i = 0; i < enums.size(); ++i) {
      if (live[i] && (smallest == nullptr || enums[i].term() < smallest->term())) {
        smallest = &enums[i];
      }
    }
    if (smallest == nullptr) break;
    term.assign(smallest->term());
    out_docs.clear();
    out_freqs.clear();
    out_counts.clear();
    out_positions.clear();
    for (std::size_t i = 0; i < enums.size(); ++i) {
      if (!live[i] || enums[i].term() != term) continue;
      PostingsIterator it = inputs[i].segment->Postings(enums[i].info(), true);
      for (std::uint32_t d = it.doc(); d != kNoMoreDocs; d = it.Next()) {
        out_docs.push_back(bases[i] + d);
        out_freqs.push_back(it.freq());
        const std::span<const std::uint32_t> positions = it.Positions();
        out_counts.push_back(static_cast<std::uint32_t>(positions.size()));
        out_positions.insert(out_positions.end(), positions.begin(), positions.end());
      }
      live[i] = enums[i].Next();
    }
    MARKAZ_RETURN_IF_ERROR(builder->AddTerm(
        term, TermPostingsView{out_docs, out_freqs, out_counts, out_positions}));
  }
  return builder->Finish();
}

}  // namespace markaz::index
