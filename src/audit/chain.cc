#include "audit/chain.h"

#include <string_view>

#include "crypto/hash.h"

namespace markaz::audit {
namespace {

// The version tag opens every hash input, so a future format (v2) can never produce the same
// bytes as a v1 entry.
constexpr std::string_view kTag = "markaz-audit-v1";

// Each field is framed by its length, so no choice of field contents can make two different
// entries encode to the same bytes (e.g. actor "a|b", action "c" against actor "a", action
// "b|c" with a separator-joined encoding).
void AppendField(std::string_view field, std::string& out) {
  const auto n = static_cast<std::uint64_t>(field.size());
  for (int shift = 56; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((n >> shift) & 0xff));
  }
  out.append(field);
}

}  // namespace

std::string ComputeHash(const store::AuditRow& row) {
  std::string input(kTag);
  AppendField(std::to_string(row.seq), input);
  AppendField(core::FormatRfc3339(row.time), input);
  AppendField(row.actor, input);
  AppendField(row.action, input);
  AppendField(row.object, input);
  // The detail enters through its hash, so a reader who may not see the detail (DESIGN.md §5)
  // can still check the chain.
  AppendField(row.detail_hash, input);
  AppendField(row.prev_hash, input);
  return crypto::ToHex(crypto::Blake2b256(input));
}

std::string ComputeDetailHash(const std::string& detail) {
  return crypto::ToHex(crypto::Blake2b256(detail));
}

const std::string& GenesisHash() {
  static const std::string* const kGenesis = new std::string(64, '0');
  return *kGenesis;
}

core::Result<store::AuditRow> Append(store::Transaction& txn, const Event& event, core::Time now) {
  // LastAudit reads inside the caller's write transaction, which holds the store's write lock,
  // so no other writer can take the same seq between this read and the append.
  MARKAZ_ASSIGN_OR_RETURN(std::optional<store::AuditRow> last, txn.LastAudit());
  store::AuditRow row;
  row.seq = last ? last->seq + 1 : 1;
  // Entries are appended in seq order but `now` was read before the caller waited for the write
  // lock; keep the chain's times non-decreasing so that seq order and time order agree.
  row.time = last && last->time > now ? last->time : now;
  row.actor = event.actor;
  row.action = event.action;
  row.object = event.object;
  row.detail = event.detail;
  row.detail_hash = ComputeDetailHash(event.detail);
  row.prev_hash = last ? last->hash : GenesisHash();
  row.hash = ComputeHash(row);
  MARKAZ_RETURN_IF_ERROR(txn.AppendAudit(row));
  return row;
}

}  // namespace markaz::audit
