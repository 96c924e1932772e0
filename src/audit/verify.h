// Verifying the audit chain: offline from a store, or from rows fetched over HTTP.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/status.h"
#include "store/store.h"

namespace markaz::audit {

struct VerifyResult {
  std::int64_t entries = 0;                 // how many entries were checked
  std::optional<std::int64_t> broken_seq;   // the first entry that fails, if any
  std::string problem;                      // what is wrong with it, for humans
  std::string head_hash;                    // hash of the last good entry
  bool ok() const { return !broken_seq.has_value(); }
};

// Checks rows fed in seq order, from seq 1: seq gap-free, prev_hash links to the previous
// hash, detail_hash and hash recomputed. After the first broken row it ignores the rest.
// Not thread-safe; one per walk.
class ChainVerifier {
 public:
  // Returns false once the chain is broken (at this row or before).
  bool Add(const store::AuditRow& row);
  const VerifyResult& result() const { return result_; }

 private:
  VerifyResult result_;
  std::string prev_hash_;
};

// Walks the whole chain of `store` in pages. A store error is a Status; a broken chain is a
// VerifyResult with broken_seq set.
core::Result<VerifyResult> Verify(store::Store& store);

}  // namespace markaz::audit
