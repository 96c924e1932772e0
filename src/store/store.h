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
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/charter.h"
#include "core/org.h"
#include "core/report.h"
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

// A stored report: what was submitted plus what the centre decided at the door.
struct ReportRow {
  std::string id;           // "rep_<ULID>"
  std::int64_t seq = 0;     // store sequence: assigned by InsertReport, strictly increasing in
                            // commit order (the index catches up from it)
  std::string originator;   // org id
  core::Time received_at;
  core::ReportInput input;  // as submitted (all fields, exactly)
  core::Audience audience;  // expanded, sorted
  std::string analysis;     // JSON text added by processing; "" until then (opaque to the store)
  bool operator==(const ReportRow&) const = default;
};

// One entry of an org's inbox: the ordered log of everything released to it.
struct InboxEntry {
  std::string org;
  std::int64_t seq = 0;  // per org: 1, 2, 3, … gap-free
  std::string kind;      // "report", "release", "product", "alert" (dissem/feed.h)
  std::string item_id;   // the item: "rep_…", "rrq_…", "prd_…"; for "alert" the matched item
  core::Time at;
  // What the entry refers to besides its item: for "release" the report the request is about,
  // for "alert" the subscription; "" otherwise. Stored.
  std::string ref;
  // Filled by ReadInbox from the entry's report (item_id, or ref for "release"): its title and
  // TLP name; "" when the entry names no stored report. Ignored by AppendInbox.
  std::string title;
  std::string tlp;
  bool operator==(const InboxEntry&) const = default;
};

// A change of a report's audience after submission (release widening, DESIGN.md §2 rule 2):
// the orgs added, in a store-wide log that the index replays at start (pipeline/indexer.h).
struct WideningRow {
  std::int64_t id = 0;          // 1, 2, 3, … in commit order
  std::int64_t report_seq = 0;  // the report's store seq
  std::string report_id;
  core::Audience added;         // sorted, none of them in the audience before
  core::Time at;
  bool operator==(const WideningRow&) const = default;
};

// A request by a reader of a report that its originator release it to more orgs
// (DESIGN.md §2 rule 2; policy/release.h).
enum class RequestState { kPending, kApproved, kDenied };
std::string_view RequestStateName(RequestState state);  // "pending", "approved", "denied"

struct ReleaseRequestRow {
  std::string id;              // "rrq_<ULID>"
  std::string report_id;
  std::string requester_org;
  std::string requester;       // audit actor of the requester ("org/tok_…")
  std::vector<std::string> to;  // release_to entries as asked (orgs or groups)
  std::string reason;
  RequestState state = RequestState::kPending;
  core::Time created_at;
  std::optional<core::Time> decided_at;
  std::string decided_by;      // audit actor of the releaser who decided; "" while pending
  std::string note;            // the releaser's note with the decision
  bool operator==(const ReleaseRequestRow&) const = default;
};

// A webhook of an org (DESIGN.md §6, dissem/webhook_dispatcher.h). The secret is kept as
// given: it signs every delivery, so it cannot be stored hashed.
struct WebhookRow {
  std::string id;          // "whk_<ULID>"
  std::string org;
  std::string url;
  std::string secret;
  std::string created_by;  // audit actor
  core::Time created_at;
  bool enabled = true;
  // Delivery state, written by the dispatcher (Store::SaveWebhookProgress).
  std::int64_t cursor = 0;                  // last inbox seq delivered (acknowledged 2xx)
  std::optional<core::Time> failing_since;  // first failure of the current failing streak
  bool failing = false;                     // failing for longer than the configured time
  std::string last_error;                   // the last failure's cause; "" after a success
  bool operator==(const WebhookRow&) const = default;
};

// A saved search of one user (token): each new item its org may read that matches raises an
// "alert" entry in the org's inbox (DESIGN.md §6, centre/subscriptions.cc).
struct SubscriptionRow {
  std::string id;        // "sub_<ULID>"
  std::string org;
  std::string token_id;  // the user who saved it
  std::string name;
  std::string query;     // the search syntax (index/query.h)
  core::Time created_at;
  std::int64_t cursor = 0;  // store seq of the last item checked against it
  bool operator==(const SubscriptionRow&) const = default;
};

// A product's citations, in the order given: report, product or story ids.
struct ProductCite {
  std::string id;
  bool operator==(const ProductCite&) const = default;
};

// One delivery attempt of a webhook.
struct DeliveryRow {
  std::string webhook_id;
  std::int64_t seq = 0;      // the inbox seq delivered
  int attempt = 1;           // 1 for the first try of this seq
  core::Time at;
  int status = 0;            // HTTP status of the answer; 0 when there was none
  std::string error;         // "" on success; the cause otherwise ("connect: refused", "HTTP 500")
  std::int64_t duration_ms = 0;
  bool operator==(const DeliveryRow&) const = default;
};

// A report's stored fingerprint: what story assignment keeps of its text (cluster/
// fingerprint.h; opaque to the store), beside the report and committed with it.
struct FingerprintRow {
  std::int64_t seq = 0;  // the report's store seq
  std::string blob;
  bool operator==(const FingerprintRow&) const = default;
};

// What BackupTo() copied: the snapshot's contents, as of the moment it was taken.
struct BackupInfo {
  std::uint64_t bytes = 0;               // size of the file written
  std::int64_t reports = 0;              // reports in the snapshot
  std::optional<AuditRow> audit_head;    // newest audit entry in the snapshot
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

  // Stores a report exactly as given (every field of row.input, including empty strings as
  // opposed to absent ones, and the order of tags and release_to) and returns its seq; row.seq
  // is ignored. Seqs are strictly increasing in commit order and a committed seq is never
  // handed out again; a seq returned inside a transaction that then rolled back (or inside a
  // Nested() that failed) was never visible to anyone and may be handed out again or skipped.
  // Conflict "report_exists" when row.id is taken; Conflict "duplicate_external_id" when the
  // originator already has a report with this external_id (reports without one never collide);
  // NotFound "unknown_org" when row.originator is not a stored org. A refusal leaves the
  // transaction usable.
  virtual core::Result<std::int64_t> InsertReport(const ReportRow& row) = 0;

  // The report `originator` submitted with `external_id`, nullopt if none. Reads inside the
  // transaction (it sees this transaction's own inserts), so an idempotency check made here
  // cannot race another writer.
  virtual core::Result<std::optional<ReportRow>> FindReportByExternalId(
      const std::string& originator, const std::string& external_id) = 0;

  // Appends an entry to `org`'s inbox and returns its seq: the org's last seq + 1, counting this
  // transaction's own appends, so each inbox is gap-free in commit order. NotFound "unknown_org"
  // when `org` is not a stored org.
  virtual core::Result<std::int64_t> AppendInbox(const std::string& org, const std::string& kind,
                                                 const std::string& item_id, core::Time at,
                                                 const std::string& ref) = 0;
  core::Result<std::int64_t> AppendInbox(const std::string& org, const std::string& kind,
                                         const std::string& item_id, core::Time at) {
    return AppendInbox(org, kind, item_id, at, std::string());
  }

  // Adds `orgs` to the audience of report `report_id` (release widening; nobody narrows): the
  // stored audience becomes the sorted union. Logs the orgs actually added (those not in it
  // already) as a WideningRow and returns it. Adding inside the store, rather than writing an
  // audience computed from an earlier read, keeps two concurrent widenings from undoing each
  // other. NotFound "unknown_report"; InvalidArgument "nothing_added" when every org is in the
  // audience already; NotFound "unknown_org" for an org that is not stored.
  virtual core::Result<WideningRow> WidenAudience(const std::string& report_id,
                                                  const core::Audience& orgs,
                                                  core::Time at) = 0;

  // Release requests. Conflict "request_exists" on a duplicate id; NotFound "unknown_report".
  virtual core::Status InsertReleaseRequest(const ReleaseRequestRow& row) = 0;
  // Reads inside the transaction. nullopt when there is none.
  virtual core::Result<std::optional<ReleaseRequestRow>> GetReleaseRequest(
      const std::string& id) = 0;
  // Records the decision on a pending request. NotFound "unknown_request"; Conflict
  // "request_decided" when it is no longer pending; InvalidArgument when `state` is pending.
  virtual core::Status DecideReleaseRequest(const std::string& id, RequestState state,
                                            core::Time at, const std::string& decided_by,
                                            const std::string& note) = 0;

  // Subscriptions. Conflict "subscription_exists"; NotFound "unknown_org".
  virtual core::Status InsertSubscription(const SubscriptionRow& row) = 0;
  // NotFound "unknown_subscription".
  virtual core::Status DeleteSubscription(const std::string& id) = 0;
  // Moves the subscription's cursor forward (never back); a deleted one is skipped (ok).
  virtual core::Status AdvanceSubscription(const std::string& id, std::int64_t cursor) = 0;

  // A product's citations (the product itself is a row of the reports table, id "prd_…",
  // inserted with InsertReport). NotFound "unknown_report" when no such item is stored.
  virtual core::Status PutProductCites(const std::string& product_id,
                                       const std::vector<std::string>& cites) = 0;

  // Webhooks. Conflict "webhook_exists" on a duplicate id; NotFound "unknown_org".
  virtual core::Status InsertWebhook(const WebhookRow& row) = 0;
  // NotFound "unknown_webhook".
  virtual core::Status SetWebhookEnabled(const std::string& id, bool enabled) = 0;
  // Removes the webhook and its delivery log. NotFound "unknown_webhook".
  virtual core::Status DeleteWebhook(const std::string& id) = 0;

  // Stores the fingerprint of the report with store seq `seq` (inserted earlier, possibly in
  // this transaction). NotFound "unknown_report" when no report has that seq; Conflict
  // "fingerprint_exists" when it has one already (fingerprints are written once).
  virtual core::Status PutFingerprint(std::int64_t seq, std::string_view blob) = 0;
  // The fingerprint of the report with store seq `seq`, nullopt if none. Reads inside the
  // transaction: it sees fingerprints put earlier in it.
  virtual core::Result<std::optional<std::string>> GetFingerprint(std::int64_t seq) = 0;

  // Runs `fn` against this transaction inside a savepoint. When fn returns ok, its writes stay
  // part of the transaction (and commit or roll back with it). When fn returns an error,
  // everything fn wrote (reports, inbox entries, audit entries, …) is undone, the error is
  // returned, and the transaction stays usable: the caller may go on and commit the rest. This
  // is how group commit keeps one report's failure from sinking its batch. Nested() calls may
  // nest. A back-end failure that leaves the transaction unable to commit is returned by this
  // and every later call, and by Write().
  virtual core::Status Nested(const std::function<core::Status(Transaction&)>& fn) = 0;
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

  // The report with this id, nullopt when there is none. No access check: that is policy's job.
  virtual core::Result<std::optional<ReportRow>> GetReport(const std::string& id) = 0;

  // The committed report `originator` submitted with `external_id`, nullopt if none.
  virtual core::Result<std::optional<ReportRow>> FindReportByExternalId(
      const std::string& originator, const std::string& external_id) = 0;

  // Reports with seq > after_seq, ascending by seq, at most `limit` (index catch-up). Since seqs
  // grow in commit order, a reader that pages from the last seq it saw misses no commit.
  virtual core::Result<std::vector<ReportRow>> ReadReports(std::int64_t after_seq, int limit) = 0;

  // Fingerprints of reports with seq > after_seq, ascending by seq, at most `limit` (start-up
  // of story assignment). Reports without one are skipped.
  virtual core::Result<std::vector<FingerprintRow>> ReadFingerprints(std::int64_t after_seq,
                                                                     int limit) = 0;

  // `org`'s inbox entries with seq > after, ascending, at most `limit`. Empty for an org with
  // no entries, including an unknown org.
  virtual core::Result<std::vector<InboxEntry>> ReadInbox(const std::string& org,
                                                          std::int64_t after, int limit) = 0;

  // The highest seq in `org`'s inbox, 0 when it is empty (or the org unknown).
  virtual core::Result<std::int64_t> InboxHead(const std::string& org) = 0;

  // The widening log after `after_id`, ascending, at most `limit`.
  virtual core::Result<std::vector<WideningRow>> ReadWidenings(std::int64_t after_id,
                                                               int limit) = 0;

  // nullopt when there is none.
  virtual core::Result<std::optional<ReleaseRequestRow>> GetReleaseRequest(
      const std::string& id) = 0;
  // The requests about one report, oldest first.
  virtual core::Result<std::vector<ReleaseRequestRow>> ListReleaseRequests(
      const std::string& report_id) = 0;

  // Every subscription (org empty) or one org's, oldest first.
  virtual core::Result<std::vector<SubscriptionRow>> ListSubscriptions(const std::string& org) = 0;
  virtual core::Result<std::optional<SubscriptionRow>> GetSubscription(const std::string& id) = 0;

  // A product's citations in the order given; empty for an item that is not a product.
  virtual core::Result<std::vector<std::string>> ProductCites(const std::string& product_id) = 0;

  // Every webhook (org empty) or one org's, oldest first; deleted ones are gone.
  virtual core::Result<std::vector<WebhookRow>> ListWebhooks(const std::string& org) = 0;
  virtual core::Result<std::optional<WebhookRow>> GetWebhook(const std::string& id) = 0;
  // The dispatcher's bookkeeping, outside the audit chain (it is delivery state, not a change
  // anyone made): moves the webhook's cursor forward (never back), sets its failure state and
  // appends `deliveries` to its log, keeping the newest kDeliveryLogSize. One transaction; a
  // webhook deleted meanwhile is skipped silently (ok).
  static constexpr int kDeliveryLogSize = 1000;
  virtual core::Status SaveWebhookProgress(const std::string& id, std::int64_t cursor,
                                           std::optional<core::Time> failing_since,
                                           bool failing, const std::string& last_error,
                                           const std::vector<DeliveryRow>& deliveries) = 0;
  // The newest deliveries of a webhook, newest first, at most `limit`.
  virtual core::Result<std::vector<DeliveryRow>> ReadDeliveries(const std::string& webhook_id,
                                                                int limit) = 0;

  // Writes a consistent online copy of the whole store of record to `file`, a new file that
  // the back end's own open call accepts as its database (for SQLite: DIR/markaz.db). The copy
  // is one snapshot: it holds every write committed before the call began and, of the writes
  // that commit while it runs, each either entirely or not at all (in practice: none). Writes
  // and reads go on meanwhile. The file is fsynced before this returns; writing it under a
  // temporary name and renaming it is the caller's job. Conflict "backup_target_exists" when
  // `file` exists (nothing is touched); on any other failure `file` is removed.
  virtual core::Result<BackupInfo> BackupTo(const std::filesystem::path& file) = 0;
};

}  // namespace markaz::store
