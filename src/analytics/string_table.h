// Interned strings: each distinct string gets the next dense ordinal (0, 1, 2, …). Report ids,
// story ids, entity ids, orgs and languages are interned so that the columns hold uint32 values.
//
// One character buffer and an open-addressing table of ordinals instead of a map of
// std::string: at 1M report ids this costs ~26 B of text + 8 B of offset + ~8 B of table per
// string, against ~100 B for std::unordered_map<std::string, uint32_t>.
//
// Thread-safety: none; the owner (Analytics) locks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace markaz::analytics {

class StringTable {
 public:
  // The ordinal of `s`, adding it when new.
  std::uint32_t Intern(std::string_view s);
  std::optional<std::uint32_t> Find(std::string_view s) const;
  std::string_view Get(std::uint32_t ordinal) const {
    return std::string_view(chars_).substr(offsets_[ordinal],
                                           offsets_[ordinal + 1] - offsets_[ordinal]);
  }
  std::size_t size() const { return offsets_.size() - 1; }
  std::size_t memory_bytes() const;

 private:
  static constexpr std::uint32_t kEmpty = UINT32_MAX;
  // The slot where `s` is or would go.
  std::size_t Slot(std::string_view s, std::size_t hash) const;
  void Grow();

  std::string chars_;
  std::vector<std::uint64_t> offsets_{0};  // string i is chars_[offsets_[i], offsets_[i+1])
  std::vector<std::uint32_t> slots_;       // ordinals or kEmpty; size a power of two, ≤ ½ full
};

}  // namespace markaz::analytics
