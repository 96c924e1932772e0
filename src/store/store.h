// The Store: the store of record (DESIGN.md §7). One interface, implemented by
// store/sqlite/ now and store/postgres/ later; tests/store/ runs one conformance suite against
// every back end. No SQL dialect or library type crosses this header.
//
// Writes happen inside Store::Write(), which runs a callback against a Transaction and commits
// it durably (fsynced) only when the callback returns ok; any error rolls everything back.
// Every state change appends its audit entry through the same Transaction (audit/chain.h), so
// the change and its audit entry are one atomic unit (DESIGN.md §2.6, §5).
//
// Thread-safety: a Store may be shared by many threads. Write() calls are serialised by the
// implementation; reads may run concurrently with each other and with a write.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/charter.h"
#include "core/org.h"
#include "core/status.h"
#include "core/time.h"

namespace markaz::store {

// An org as the store knows it: the charter's entry plus its current state.
struct OrgRow {
  core::OrgEntry entry;
  bool suspended = false;
  bool operator==(const OrgRow&) const = default;
};

// An API token. Only the hash of its secret is stored (centre/tokens.h explains the format).
struct TokenRow {
  std::string id;     // "tok_…", public part of the token
  std::string org;
  core::Role role = core::Role::kAnalyst;
  std::string name;   // a label chosen by the creator ("ops-laptop")
  std::string secret_hash;  // 32 raw bytes: BLAKE2b-256 of the secret
  core::Time created_at;
  std::optional<core::Time> revoked_at;
  bool operator==(const TokenRow&) const = default;
};

// One entry of the audit chain (DESIGN.md §5, docs/audit-format.md).
struct AuditRow {
  std::int64_t seq = 0;     // 1, 2, 3, … gap-free
  core::Time time;
  std::string actor;        // "org/tok_…" for API callers, "local:cli" for the command line
  std::string action;       // "centre.init", "token.create", …
  std::string object;       // id of what changed ("centre", "tok_…", "rep_…")
  std::string detail;       // canonical JSON text of the change
  std::string detail_hash;  // hex BLAKE2b-256 of detail
  std::string prev_hash;    // hex; 64 zeros for seq 1
  std::string hash;         // hex
  bool operator==(const AuditRow&) const = default;
};

// One write transaction. Valid only inside the Store::Write() callback that received it.
class Transaction {
 public:
  virtual ~Transaction() = default;

  // Stores the charter and creates its orgs. Conflict "already_initialised" when a charter is
  // already stored; InvalidArgument "charter_invalid" when the charter breaks a rule the store
  // relies on to give it back exactly (ids unique, kinds match their list, rotation order lists
  // every member once, first chair inside it); a charter that passed ValidateCharter() never
  // does.
  virtual core::Status PutCharter(const core::Charter& charter) = 0;

  // Conflict "token_exists" on a duplicate id; NotFound "unknown_org" when token.org is not a
  // stored org.
  virtual core::Status InsertToken(const TokenRow& token) = 0;

  // The newest audit entry, nullopt for an empty chain. Reads inside the transaction, so the
  // seq/prev_hash computed from it cannot race another writer.
  virtual core::Result<std::optional<AuditRow>> LastAudit() = 0;
  // Conflict "audit_seq" unless row.seq is exactly last seq + 1.
  virtual core::Status AppendAudit(const AuditRow& row) = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // Runs `fn` in one transaction; commits (durably) when it returns ok, rolls back otherwise
  // and returns fn's error. Errors from the back end come back as Internal/Unavailable.
  virtual core::Status Write(const std::function<core::Status(Transaction&)>& fn) = 0;

  // True once PutCharter has committed.
  virtual core::Result<bool> IsInitialised() = 0;
  // NotFound "not_initialised" before init.
  virtual core::Result<core::Charter> LoadCharter() = 0;
  virtual core::Result<std::vector<OrgRow>> ListOrgs() = 0;

  // nullopt when no token has this id.
  virtual core::Result<std::optional<TokenRow>> FindToken(const std::string& id) = 0;

  // The newest audit entry, nullopt for an empty chain (GET /v1/audit/head, health).
  virtual core::Result<std::optional<AuditRow>> AuditHead() = 0;

  // Audit entries with seq > after, ascending, at most `limit`.
  virtual core::Result<std::vector<AuditRow>> ReadAudit(std::int64_t after, int limit) = 0;
};

}  // namespace markaz::store
