// FNV-1a over bytes (private to src/text): for hash tables of short words, where std::hash's
// murmur costs more than the probe it feeds.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace markaz::text::internal {

struct Fnv1a {
  std::size_t operator()(std::string_view s) const {
    uint64_t h = 14695981039346656037ull;
    for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    return static_cast<std::size_t>(h);
  }
};

}  // namespace markaz::text::internal
