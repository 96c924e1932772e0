// The audit chain (DESIGN.md §5): append-only, each entry hashing the one before.
// The byte-level format of the hash input is in docs/audit-format.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/status.h"
#include "core/time.h"
#include "store/store.h"

namespace markaz::audit {

struct Event {
  std::string actor;   // who: "host/tok_…", "local:cli"
  std::string action;  // what: "centre.init", "token.create"
  std::string object;  // on what: an id
  std::string detail;  // canonical JSON text (object keys sorted, no spaces); may be "{}"
};

// Appends `event` at time `now` inside `txn` (the same transaction as the change it records)
// and returns the stored row.
core::Result<store::AuditRow> Append(store::Transaction& txn, const Event& event, core::Time now);

// The hex hash of a row's content and its prev_hash, per docs/audit-format.md.
std::string ComputeHash(const store::AuditRow& row);
// The hex BLAKE2b-256 of a detail text.
std::string ComputeDetailHash(const std::string& detail);
// 64 '0' characters: the prev_hash of entry 1.
const std::string& GenesisHash();

}  // namespace markaz::audit
