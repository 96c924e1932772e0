// Prefixed, time-sortable identifiers: "rep_01JD3K4Z5X6Y7W8V9T0S1R2Q3P".
//
// Format: <prefix> "_" <ULID>, where the ULID is 26 Crockford base32 characters encoding a
// 48-bit millisecond timestamp followed by 80 random bits. Ids made later sort later as plain
// strings (within one millisecond the order is random). Prefixes in use: rep (report),
// tok (token), sto (story), prd (product), rrq (release request), prp (proposal).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/time.h"

namespace markaz::core {

// Source of random bits for ids. Ids are not secrets (tokens use crypto/), so the default
// is a seeded std::mt19937_64 from std::random_device; tests inject a fixed seed.
// Thread-safe.
class IdGenerator {
 public:
  explicit IdGenerator(std::uint64_t seed);
  IdGenerator();  // seeded from std::random_device
  ~IdGenerator();
  IdGenerator(const IdGenerator&) = delete;
  IdGenerator& operator=(const IdGenerator&) = delete;

  std::string Next(std::string_view prefix, Time now);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// True when `id` is `<prefix>_` followed by 26 Crockford base32 characters.
bool IsValidId(std::string_view id, std::string_view prefix);

}  // namespace markaz::core
