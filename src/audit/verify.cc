#include "audit/verify.h"

#include <vector>

#include "audit/chain.h"

namespace markaz::audit {
namespace {

// Rows per ReadAudit call: large enough that a long chain takes few round trips (PostgreSQL),
// small enough to keep memory flat however long the chain is.
constexpr int kPageSize = 1000;

std::string SeqText(std::int64_t seq) { return "seq " + std::to_string(seq); }

}  // namespace

bool ChainVerifier::Add(const store::AuditRow& row) {
  if (!result_.ok()) return false;
  ++result_.entries;
  const std::int64_t expected = result_.entries;  // seq starts at 1, one per entry
  const std::string& prev = expected == 1 ? GenesisHash() : prev_hash_;

  auto fail = [&](std::int64_t seq, std::string problem) {
    result_.broken_seq = seq;
    result_.problem = SeqText(seq) + ": " + std::move(problem);
    return false;
  };
  // A wrong seq is reported at the seq that should have come next: everything before it has
  // been verified, and that entry is the one missing (or displaced).
  if (row.seq > expected) {
    return fail(expected, "missing (the next entry has seq " + std::to_string(row.seq) + ")");
  }
  if (row.seq < expected) {
    return fail(expected, "out of order (found seq " + std::to_string(row.seq) + " instead)");
  }
  if (row.prev_hash != prev) {
    return fail(row.seq, expected == 1
                             ? "prev_hash is not the genesis hash"
                             : "prev_hash does not match the hash of " + SeqText(expected - 1));
  }
  if (row.detail_hash != ComputeDetailHash(row.detail)) {
    return fail(row.seq, "detail_hash does not match its detail");
  }
  if (row.hash != ComputeHash(row)) {
    return fail(row.seq, "hash does not match its content");
  }
  prev_hash_ = row.hash;
  result_.head_hash = row.hash;
  return true;
}

core::Result<VerifyResult> Verify(store::Store& store) {
  ChainVerifier verifier;
  std::int64_t after = 0;
  for (;;) {
    MARKAZ_ASSIGN_OR_RETURN(std::vector<store::AuditRow> page, store.ReadAudit(after, kPageSize));
    for (const store::AuditRow& row : page) {
      if (!verifier.Add(row)) return verifier.result();
    }
    if (static_cast<int>(page.size()) < kPageSize) return verifier.result();
    after = page.back().seq;
  }
}

}  // namespace markaz::audit
