// Linear probing over a power-of-two table kept at most half full.
#include "analytics/string_table.h"

#include <functional>

namespace markaz::analytics {

std::size_t StringTable::Slot(std::string_view s, std::size_t hash) const {
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    if (slots_[i] == kEmpty || Get(slots_[i]) == s) return i;
  }
}

void StringTable::Grow() {
  std::vector<std::uint32_t> old = std::move(slots_);
  slots_.assign(old.empty() ? 16 : old.size() * 2, kEmpty);
  for (std::uint32_t ordinal : old) {
    if (ordinal == kEmpty) continue;
    const std::string_view s = Get(ordinal);
    slots_[Slot(s, std::hash<std::string_view>{}(s))] = ordinal;
  }
}

std::uint32_t StringTable::Intern(std::string_view s) {
  if ((size() + 1) * 2 > slots_.size()) Grow();
  const std::size_t slot = Slot(s, std::hash<std::string_view>{}(s));
  if (slots_[slot] != kEmpty) return slots_[slot];
  const auto ordinal = static_cast<std::uint32_t>(size());
  chars_.append(s);
  offsets_.push_back(chars_.size());
  slots_[slot] = ordinal;
  return ordinal;
}

std::optional<std::uint32_t> StringTable::Find(std::string_view s) const {
  if (slots_.empty()) return std::nullopt;
  const std::uint32_t ordinal = slots_[Slot(s, std::hash<std::string_view>{}(s))];
  if (ordinal == kEmpty) return std::nullopt;
  return ordinal;
}

std::size_t StringTable::memory_bytes() const {
  return chars_.capacity() + offsets_.capacity() * sizeof(std::uint64_t) +
         slots_.capacity() * sizeof(std::uint32_t);
}

}  // namespace markaz::analytics
