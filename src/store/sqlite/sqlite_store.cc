#include "store/sqlite/sqlite_store.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <exception>
#include <filesystem>
#include <functional>
#include <iterator>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "core/json_string.h"
#include "store/sqlite/schema.h"

namespace markaz::store {
namespace {

using core::Result;
using core::Status;

constexpr const char* kDbFile = "markaz.db";
// How long a statement waits for a lock held by another connection (another process, e.g.
// `markaz token create` next to `markaz serve`) before giving up with Unavailable.
constexpr int kBusyTimeoutMs = 5000;
// Idle read connections kept open; more may be open at once, the extra ones are closed.
constexpr std::size_t kMaxIdleReaders = 4;
// Pages copied by one sqlite3_backup_step() call during BackupTo(): 4096 pages of 16 KiB are
// 64 MiB, a fraction of a second, so progress is visible and each step's buffers stay small.
constexpr int kBackupStepPages = 4096;

// ---------------------------------------------------------------------------------------------
// Errors. SQLiteCpp reports failures by throwing; every public entry point of this file catches
// and converts here, so no exception crosses store.h (STYLE.md habit 4).

bool IsBusy(int code) {
  const int primary = code & 0xff;
  return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
}

Status FromSqlite(const SQLite::Exception& e, std::string_view what) {
  if (IsBusy(e.getErrorCode()) || IsBusy(e.getExtendedErrorCode())) {
    return Status::Unavailable("store_busy",
                               std::string(what) + ": the database is locked: " + e.what());
  }
  return Status::Internal(std::string(what) + ": sqlite: " + e.what());
}

bool IsDuplicateKey(const SQLite::Exception& e) {
  const int ext = e.getExtendedErrorCode();
  return ext == SQLITE_CONSTRAINT_PRIMARYKEY || ext == SQLITE_CONSTRAINT_UNIQUE;
}

bool IsMissingParent(const SQLite::Exception& e) {
  return e.getExtendedErrorCode() == SQLITE_CONSTRAINT_FOREIGNKEY;
}

// Runs `fn` (returning Status or Result<T>) and turns any exception into a Status.
template <typename F>
auto Guarded(std::string_view what, F&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, what);
  } catch (const std::exception& e) {
    return Status::Internal(std::string(what) + ": " + e.what());
  }
}

Status Corrupt(std::string_view what) {
  return Status::Internal(std::string("store holds an unreadable row: ") + std::string(what));
}

Status UnknownOrg(const std::string& org) {
  return Status::NotFound("unknown_org", "no org \"" + org + "\" in the store");
}

// ---------------------------------------------------------------------------------------------
// Connections and their prepared statements.

// A statement borrowed from a Connection for one use. When it goes away the statement is reset
// and its bindings cleared: a half-read SELECT then holds no read snapshot, and a pointer bound
// with bindNoCopy() cannot outlive the caller's string.
class CachedStatement {
 public:
  CachedStatement(SQLite::Statement& stmt, bool* in_use) : stmt_(&stmt), in_use_(in_use) {}
  explicit CachedStatement(std::unique_ptr<SQLite::Statement> owned)
      : owned_(std::move(owned)), stmt_(owned_.get()) {}
  ~CachedStatement() {
    stmt_->tryReset();
    try {
      stmt_->clearBindings();  // sqlite3_clear_bindings() cannot fail; the wrapper could throw
    } catch (...) {
    }
    if (in_use_ != nullptr) *in_use_ = false;
  }
  CachedStatement(const CachedStatement&) = delete;
  CachedStatement& operator=(const CachedStatement&) = delete;

  SQLite::Statement& operator*() const { return *stmt_; }
  SQLite::Statement* operator->() const { return stmt_; }

 private:
  std::unique_ptr<SQLite::Statement> owned_;  // set when the cached statement was busy
  SQLite::Statement* stmt_;
  bool* in_use_ = nullptr;
};

// One SQLite connection and the statements prepared on it. Statements are kept for the life of
// the connection because preparing one costs about as much as running a small INSERT, and a
// report takes several statements (report, inbox entries, audit). Used by one thread at a time:
// the writer under write_mu_, a reader while it is taken out of the pool.
class Connection {
 public:
  explicit Connection(std::unique_ptr<SQLite::Database> db) : db_(std::move(db)) {}

  SQLite::Database& db() { return *db_; }
  bool InTransaction() const { return sqlite3_get_autocommit(db_->getHandle()) == 0; }

  // The statement for `sql`, reset and without bindings. Throws SQLite::Exception when `sql`
  // does not prepare.
  CachedStatement Prepare(std::string_view sql) {
    auto it = statements_.find(sql);
    if (it == statements_.end()) {
      auto stmt = std::make_unique<SQLite::Statement>(*db_, std::string(sql));
      it = statements_.emplace(std::string(sql), Slot{std::move(stmt), false}).first;
    } else if (it->second.in_use) {
      // The same SQL is already running further up the stack: use a private statement.
      return CachedStatement(std::make_unique<SQLite::Statement>(*db_, std::string(sql)));
    }
    it->second.in_use = true;
    return CachedStatement(*it->second.stmt, &it->second.in_use);
  }

  // Runs a statement that returns no rows (BEGIN, COMMIT, SAVEPOINT …).
  void Exec(std::string_view sql) { Prepare(sql)->exec(); }

 private:
  struct Slot {
    std::unique_ptr<SQLite::Statement> stmt;
    bool in_use = false;
  };

  std::unique_ptr<SQLite::Database> db_;
  // Declared after db_ so that the statements are finalised before the connection closes.
  std::map<std::string, Slot, std::less<>> statements_;
};

std::unique_ptr<SQLite::Database> OpenDatabase(const std::string& path, int flags) {
  // NOMUTEX: SQLite need not lock each call, since a connection is only ever used by one thread
  // at a time (the writer under write_mu_, a reader while it is out of the pool).
  auto db = std::make_unique<SQLite::Database>(path, flags | SQLite::OPEN_NOMUTEX, kBusyTimeoutMs);
  // Per-connection settings: foreign keys are off by default in SQLite, and synchronous=FULL
  // makes every commit fsync the WAL (a 201 means on disk, DESIGN.md §2.6).
  db->exec("PRAGMA foreign_keys = ON");
  db->exec("PRAGMA synchronous = FULL");
  // Savepoint and statement journals in memory rather than in temp files: group commit opens
  // a savepoint per report (Transaction::Nested), and each one copies every page it first
  // touches. They only serve rollbacks inside a transaction; crash safety is the WAL's job.
  db->exec("PRAGMA temp_store = MEMORY");
  return db;
}

// ---------------------------------------------------------------------------------------------
// Values.

std::int64_t ToMs(core::Time t) { return t.time_since_epoch().count(); }
core::Time FromMs(std::int64_t ms) { return core::Time(std::chrono::milliseconds(ms)); }

std::string Text(const SQLite::Statement& q, int col) { return q.getColumn(col).getString(); }

// JSON for {"lang":"name"} maps and arrays of strings. Hand-written because the store depends
// on no JSON library; decoding is left to SQLite's json_each, which knows every escape.

std::string EncodeNames(const core::Names& names) {
  std::string out = "{";
  bool first = true;
  for (const auto& [lang, name] : names) {
    if (!first) out.push_back(',');
    first = false;
    core::AppendJsonString(lang, &out);
    out.push_back(':');
    core::AppendJsonString(name, &out);
  }
  out.push_back('}');
  return out;
}

// Order is kept: tags and release_to come back exactly as submitted.
std::string EncodeStringArray(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out.push_back(',');
    core::AppendJsonString(items[i], &out);
  }
  out.push_back(']');
  return out;
}

// One statement serves both decoders: for an object `key` is the member name, for an array the
// element's index.
constexpr std::string_view kJsonEach = "SELECT key, value, type FROM json_each(?)";

Result<core::Names> DecodeNames(Connection& c, const std::string& json) {
  core::Names names;
  CachedStatement q = c.Prepare(kJsonEach);
  q->bindNoCopy(1, json);
  while (q->executeStep()) {
    if (Text(*q, 2) != "text") return Corrupt("orgs.names_json holds a non-string name");
    names.emplace(Text(*q, 0), Text(*q, 1));
  }
  return names;
}

Result<std::vector<std::string>> DecodeStringArray(Connection& c, const std::string& json,
                                                   std::string_view column) {
  std::vector<std::string> items;
  CachedStatement q = c.Prepare(kJsonEach);
  q->bindNoCopy(1, json);
  while (q->executeStep()) {
    // json_each walks an array in index order; checking the index keeps us honest about it
    // (and refuses an object or a bare scalar, whose key is a name or NULL).
    if (!q->getColumn(0).isInteger() ||
        q->getColumn(0).getInt64() != static_cast<std::int64_t>(items.size()) ||
        Text(*q, 2) != "text") {
      return Corrupt(std::string(column) + " is not a JSON array of strings");
    }
    items.push_back(Text(*q, 1));
  }
  return items;
}

std::string_view TermUnitName(core::TermLength::Unit unit) {
  return unit == core::TermLength::Unit::kMonths ? "months" : "days";
}

// ---------------------------------------------------------------------------------------------
// Queries shared by the write transaction and the read connections.

Result<bool> HasCharter(Connection& c) {
  CachedStatement q = c.Prepare("SELECT EXISTS (SELECT 1 FROM centre)");
  q->executeStep();
  return q->getColumn(0).getInt() != 0;
}

struct StoredOrg {
  OrgRow row;
  std::optional<std::int64_t> rotation_pos;
};

// Members first, then partners, each in charter order.
Result<std::vector<StoredOrg>> QueryOrgs(Connection& c) {
  std::vector<StoredOrg> orgs;
  CachedStatement q = c.Prepare(
      "SELECT id, kind, names_json, may_submit, suspended, rotation_pos FROM orgs "
      "ORDER BY kind = 'partner', list_pos");
  while (q->executeStep()) {
    StoredOrg org;
    org.row.entry.id = Text(*q, 0);
    const std::string kind = Text(*q, 1);
    if (kind == "member") {
      org.row.entry.kind = core::OrgKind::kMember;
    } else if (kind == "partner") {
      org.row.entry.kind = core::OrgKind::kPartner;
    } else {
      return Corrupt("orgs.kind \"" + kind + "\"");
    }
    MARKAZ_ASSIGN_OR_RETURN(org.row.entry.names, DecodeNames(c, Text(*q, 2)));
    org.row.entry.may_submit = q->getColumn(3).getInt() != 0;
    org.row.suspended = q->getColumn(4).getInt() != 0;
    if (!q->isColumnNull(5)) org.rotation_pos = q->getColumn(5).getInt64();
    orgs.push_back(std::move(org));
  }
  return orgs;
}

Result<core::Charter> QueryCharter(Connection& c) {
  core::Charter charter;
  {
    CachedStatement q = c.Prepare(
        "SELECT name, start_ms, term_unit, term_count, first_chair_index, "
        "members_quorum, partners_quorum FROM centre WHERE id = 1");
    if (!q->executeStep()) {
      return Status::NotFound("not_initialised", "the store holds no charter yet");
    }
    charter.name = Text(*q, 0);
    charter.start = FromMs(q->getColumn(1).getInt64());
    const std::string unit = Text(*q, 2);
    const int count = q->getColumn(3).getInt();
    Result<core::TermLength> term = unit == "months" ? core::TermLength::Months(count)
                                    : unit == "days"
                                        ? core::TermLength::Days(count)
                                        : Result<core::TermLength>(Corrupt("term_unit"));
    if (!term.ok()) return Corrupt("centre.term: " + term.status().ToString());
    charter.term = *term;
    charter.first_chair_index = static_cast<std::size_t>(q->getColumn(4).getInt64());
    const auto members_quorum = core::ParseQuorum(Text(*q, 5));
    const auto partners_quorum = core::ParseQuorum(Text(*q, 6));
    if (!members_quorum || !partners_quorum) return Corrupt("centre quorum");
    charter.members_quorum = *members_quorum;
    charter.partners_quorum = *partners_quorum;
  }

  MARKAZ_ASSIGN_OR_RETURN(std::vector<StoredOrg> orgs, QueryOrgs(c));
  std::vector<std::pair<std::int64_t, std::string>> rotation;
  for (StoredOrg& org : orgs) {
    if (org.row.entry.kind == core::OrgKind::kMember) {
      if (!org.rotation_pos) return Corrupt("member without rotation_pos");
      rotation.emplace_back(*org.rotation_pos, org.row.entry.id);
      charter.members.push_back(std::move(org.row.entry));
    } else {
      charter.partners.push_back(std::move(org.row.entry));
    }
  }
  std::sort(rotation.begin(), rotation.end());
  for (auto& [pos, id] : rotation) charter.rotation_order.push_back(std::move(id));
  return charter;
}

AuditRow ReadAuditRow(const SQLite::Statement& q) {
  AuditRow row;
  row.seq = q.getColumn(0).getInt64();
  row.time = FromMs(q.getColumn(1).getInt64());
  row.actor = Text(q, 2);
  row.action = Text(q, 3);
  row.object = Text(q, 4);
  row.detail = Text(q, 5);
  row.detail_hash = Text(q, 6);
  row.prev_hash = Text(q, 7);
  row.hash = Text(q, 8);
  return row;
}

// Column lists are macros so that each query is one string literal: prepared once per
// connection and found again in its cache without building a string per call.
#define MARKAZ_AUDIT_COLUMNS \
  "seq, time_ms, actor, action, object, detail, detail_hash, prev_hash, hash"

Result<std::optional<AuditRow>> QueryLastAudit(Connection& c) {
  CachedStatement q =
      c.Prepare("SELECT " MARKAZ_AUDIT_COLUMNS " FROM audit ORDER BY seq DESC LIMIT 1");
  if (!q->executeStep()) return std::optional<AuditRow>();
  return std::optional<AuditRow>(ReadAuditRow(*q));
}

// Reports. The column order is the one ReadReportRow() expects.
#define MARKAZ_REPORT_COLUMNS                                                                    \
  "seq, id, originator, received_ms, title, body, lang, has_source, source_name, source_url, "   \
  "reliability, credibility, observed_ms, lat, lon, tlp, orcon, tags, release_to, external_id, " \
  "audience, analysis"

Result<ReportRow> ReadReportRow(Connection& c, const SQLite::Statement& q) {
  ReportRow row;
  core::ReportInput& in = row.input;
  row.seq = q.getColumn(0).getInt64();
  row.id = Text(q, 1);
  row.originator = Text(q, 2);
  row.received_at = FromMs(q.getColumn(3).getInt64());
  in.title = Text(q, 4);
  in.body = Text(q, 5);
  if (!q.isColumnNull(6)) in.lang = Text(q, 6);
  if (q.getColumn(7).getInt() != 0) {
    core::Source source;
    source.name = Text(q, 8);
    source.url = Text(q, 9);
    if (!q.isColumnNull(10)) {
      const std::string reliability = Text(q, 10);
      if (reliability.size() != 1) return Corrupt("reports.reliability of " + row.id);
      source.reliability = reliability[0];
    }
    if (!q.isColumnNull(11)) source.credibility = q.getColumn(11).getInt();
    in.source = std::move(source);
  }
  if (!q.isColumnNull(12)) in.observed_at = FromMs(q.getColumn(12).getInt64());
  if (!q.isColumnNull(13)) {
    in.location = core::GeoPoint{q.getColumn(13).getDouble(), q.getColumn(14).getDouble()};
  }
  const auto tlp = core::ParseTlp(Text(q, 15));
  if (!tlp) return Corrupt("reports.tlp of " + row.id);
  in.tlp = *tlp;
  in.orcon = q.getColumn(16).getInt() != 0;
  MARKAZ_ASSIGN_OR_RETURN(in.tags, DecodeStringArray(c, Text(q, 17), "reports.tags"));
  MARKAZ_ASSIGN_OR_RETURN(in.release_to, DecodeStringArray(c, Text(q, 18), "reports.release_to"));
  if (!q.isColumnNull(19)) in.external_id = Text(q, 19);
  MARKAZ_ASSIGN_OR_RETURN(row.audience, DecodeStringArray(c, Text(q, 20), "reports.audience"));
  row.analysis = Text(q, 21);
  return row;
}

// Runs `q` (already bound) and returns its single row, if any.
Result<std::optional<ReportRow>> OneReport(Connection& c, SQLite::Statement& q) {
  if (!q.executeStep()) return std::optional<ReportRow>();
  MARKAZ_ASSIGN_OR_RETURN(ReportRow row, ReadReportRow(c, q));
  return std::optional<ReportRow>(std::move(row));
}

Result<std::optional<ReportRow>> QueryReportByExternalId(Connection& c,
                                                         const std::string& originator,
                                                         const std::string& external_id) {
  CachedStatement q = c.Prepare("SELECT " MARKAZ_REPORT_COLUMNS
                                " FROM reports WHERE originator = ? AND external_id = ?");
  q->bindNoCopy(1, originator);
  q->bindNoCopy(2, external_id);
  return OneReport(c, *q);
}

// Release requests and webhooks. Column orders are the ones the readers below expect.
#define MARKAZ_REQUEST_COLUMNS                                                              \
  "id, report_id, requester_org, requester, to_json, reason, state, created_ms, decided_ms, " \
  "decided_by, note"

Result<ReleaseRequestRow> ReadRequestRow(Connection& c, const SQLite::Statement& q) {
  ReleaseRequestRow row;
  row.id = Text(q, 0);
  row.report_id = Text(q, 1);
  row.requester_org = Text(q, 2);
  row.requester = Text(q, 3);
  MARKAZ_ASSIGN_OR_RETURN(row.to, DecodeStringArray(c, Text(q, 4), "release_requests.to_json"));
  row.reason = Text(q, 5);
  const std::string state = Text(q, 6);
  if (state == "pending") {
    row.state = RequestState::kPending;
  } else if (state == "approved") {
    row.state = RequestState::kApproved;
  } else if (state == "denied") {
    row.state = RequestState::kDenied;
  } else {
    return Corrupt("release_requests.state of " + row.id);
  }
  row.created_at = FromMs(q.getColumn(7).getInt64());
  if (!q.isColumnNull(8)) row.decided_at = FromMs(q.getColumn(8).getInt64());
  row.decided_by = Text(q, 9);
  row.note = Text(q, 10);
  return row;
}

Result<std::optional<ReleaseRequestRow>> QueryRequest(Connection& c, const std::string& id) {
  CachedStatement q =
      c.Prepare("SELECT " MARKAZ_REQUEST_COLUMNS " FROM release_requests WHERE id = ?");
  q->bindNoCopy(1, id);
  if (!q->executeStep()) return std::optional<ReleaseRequestRow>();
  MARKAZ_ASSIGN_OR_RETURN(ReleaseRequestRow row, ReadRequestRow(c, *q));
  return std::optional<ReleaseRequestRow>(std::move(row));
}

#define MARKAZ_WEBHOOK_COLUMNS                                                          \
  "id, org, url, secret, created_by, created_ms, enabled, cursor, failing_since, failing, " \
  "last_error"

WebhookRow ReadWebhookRow(const SQLite::Statement& q) {
  WebhookRow row;
  row.id = Text(q, 0);
  row.org = Text(q, 1);
  row.url = Text(q, 2);
  row.secret = Text(q, 3);
  row.created_by = Text(q, 4);
  row.created_at = FromMs(q.getColumn(5).getInt64());
  row.enabled = q.getColumn(6).getInt() != 0;
  row.cursor = q.getColumn(7).getInt64();
  if (!q.isColumnNull(8)) row.failing_since = FromMs(q.getColumn(8).getInt64());
  row.failing = q.getColumn(9).getInt() != 0;
  row.last_error = Text(q, 10);
  return row;
}

#define MARKAZ_SUBSCRIPTION_COLUMNS "id, org, token_id, name, query, created_ms, cursor"

SubscriptionRow ReadSubscriptionRow(const SQLite::Statement& q) {
  SubscriptionRow row;
  row.id = Text(q, 0);
  row.org = Text(q, 1);
  row.token_id = Text(q, 2);
  row.name = Text(q, 3);
  row.query = Text(q, 4);
  row.created_at = FromMs(q.getColumn(5).getInt64());
  row.cursor = q.getColumn(6).getInt64();
  return row;
}

Status UnknownWebhook(const std::string& id) {
  return Status::NotFound("unknown_webhook", "no webhook has id " + id);
}

// ---------------------------------------------------------------------------------------------
// The write transaction: every call runs on the store's single write connection, inside the
// BEGIN IMMEDIATE that Write() opened.

class SqliteTransaction final : public Transaction {
 public:
  explicit SqliteTransaction(Connection& c) : c_(c) {}

  // The first back-end failure (not a Conflict or other logical refusal) seen by any call and
  // not undone by a Nested() rollback. SQLite may have rolled the transaction back on its own
  // after such a failure, so Write() refuses to commit even if the callback ignored the error.
  const Status& failure() const { return failure_; }

  Status PutCharter(const core::Charter& charter) override {
    return Note(Guarded("PutCharter", [&]() -> Status {
      MARKAZ_ASSIGN_OR_RETURN(bool exists, HasCharter(c_));
      if (exists) {
        return Status::Conflict("already_initialised", "the store already holds a charter");
      }
      MARKAZ_RETURN_IF_ERROR(CheckStorable(charter));

      {
        CachedStatement centre = c_.Prepare(
            "INSERT INTO centre (id, name, start_ms, term_unit, term_count, "
            "first_chair_index, members_quorum, partners_quorum) "
            "VALUES (1, ?, ?, ?, ?, ?, ?, ?)");
        centre->bind(1, charter.name);
        centre->bind(2, static_cast<std::int64_t>(ToMs(charter.start)));
        centre->bind(3, std::string(TermUnitName(charter.term.unit())));
        centre->bind(4, charter.term.count());
        centre->bind(5, static_cast<std::int64_t>(charter.first_chair_index));
        centre->bind(6, std::string(core::QuorumName(charter.members_quorum)));
        centre->bind(7, std::string(core::QuorumName(charter.partners_quorum)));
        centre->exec();
      }

      CachedStatement org = c_.Prepare(
          "INSERT INTO orgs (id, kind, list_pos, names_json, may_submit, "
          "suspended, rotation_pos) VALUES (?, ?, ?, ?, ?, 0, ?)");
      auto insert = [&](const core::OrgEntry& e, std::size_t list_pos,
                        std::optional<std::size_t> rotation_pos) {
        org->reset();
        org->clearBindings();
        org->bind(1, e.id);
        org->bind(2, std::string(core::OrgKindName(e.kind)));
        org->bind(3, static_cast<std::int64_t>(list_pos));
        org->bind(4, EncodeNames(e.names));
        org->bind(5, e.may_submit ? 1 : 0);
        if (rotation_pos) {
          org->bind(6, static_cast<std::int64_t>(*rotation_pos));
        } else {
          org->bind(6);  // NULL
        }
        org->exec();
      };
      for (std::size_t i = 0; i < charter.members.size(); ++i) {
        const auto& m = charter.members[i];
        const auto pos =
            std::find(charter.rotation_order.begin(), charter.rotation_order.end(), m.id) -
            charter.rotation_order.begin();
        insert(m, i, static_cast<std::size_t>(pos));
      }
      for (std::size_t i = 0; i < charter.partners.size(); ++i) {
        insert(charter.partners[i], i, std::nullopt);
      }
      return Status::Ok();
    }));
  }

  Status InsertToken(const TokenRow& token) override {
    return Note(Guarded("InsertToken", [&]() -> Status {
      CachedStatement q = c_.Prepare(
          "INSERT INTO tokens (id, org, role, name, secret_hash, created_ms, "
          "revoked_ms) VALUES (?, ?, ?, ?, ?, ?, ?)");
      q->bind(1, token.id);
      q->bind(2, token.org);
      q->bind(3, std::string(core::RoleName(token.role)));
      q->bind(4, token.name);
      q->bind(5, token.secret_hash.data(), static_cast<int>(token.secret_hash.size()));
      q->bind(6, static_cast<std::int64_t>(ToMs(token.created_at)));
      if (token.revoked_at) {
        q->bind(7, static_cast<std::int64_t>(ToMs(*token.revoked_at)));
      } else {
        q->bind(7);
      }
      try {
        q->exec();
      } catch (const SQLite::Exception& e) {
        // A failed constraint aborts only this statement; the transaction stays usable.
        if (IsDuplicateKey(e)) {
          return Status::Conflict("token_exists", "a token with id " + token.id + " exists");
        }
        if (IsMissingParent(e)) return UnknownOrg(token.org);
        throw;
      }
      return Status::Ok();
    }));
  }

  Result<std::optional<AuditRow>> LastAudit() override {
    return Note(Guarded("LastAudit", [&] { return QueryLastAudit(c_); }));
  }

  Status AppendAudit(const AuditRow& row) override {
    return Note(Guarded("AppendAudit", [&]() -> Status {
      std::int64_t last_seq = 0;
      {
        CachedStatement last = c_.Prepare("SELECT COALESCE(MAX(seq), 0) FROM audit");
        last->executeStep();
        last_seq = last->getColumn(0).getInt64();
      }
      if (row.seq != last_seq + 1) {
        return Status::Conflict("audit_seq", "audit seq " + std::to_string(row.seq) +
                                                 " does not follow the last seq " +
                                                 std::to_string(last_seq));
      }
      CachedStatement q = c_.Prepare("INSERT INTO audit (" MARKAZ_AUDIT_COLUMNS
                                     ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
      q->bind(1, static_cast<std::int64_t>(row.seq));
      q->bind(2, static_cast<std::int64_t>(ToMs(row.time)));
      q->bindNoCopy(3, row.actor);
      q->bindNoCopy(4, row.action);
      q->bindNoCopy(5, row.object);
      q->bindNoCopy(6, row.detail);
      q->bindNoCopy(7, row.detail_hash);
      q->bindNoCopy(8, row.prev_hash);
      q->bindNoCopy(9, row.hash);
      q->exec();
      return Status::Ok();
    }));
  }

  Result<std::int64_t> InsertReport(const ReportRow& row) override {
    return Note(Guarded("InsertReport", [&]() -> Result<std::int64_t> {
      const core::ReportInput& in = row.input;
      // Every string bound with bindNoCopy must outlive exec(): `row` does, and so do these.
      const std::string tags = EncodeStringArray(in.tags);
      const std::string release_to = EncodeStringArray(in.release_to);
      const std::string audience = EncodeStringArray(row.audience);
      std::string reliability;
      CachedStatement q = c_.Prepare(
          "INSERT INTO reports (id, originator, received_ms, title, body, lang, has_source, "
          "source_name, source_url, reliability, credibility, observed_ms, lat, lon, tlp, orcon, "
          "tags, release_to, external_id, audience, analysis) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      // Unbound parameters are NULL (the statement comes with its bindings cleared), which is
      // how every absent optional field is stored.
      q->bindNoCopy(1, row.id);
      q->bindNoCopy(2, row.originator);
      q->bind(3, static_cast<std::int64_t>(ToMs(row.received_at)));
      q->bindNoCopy(4, in.title);
      q->bindNoCopy(5, in.body);  // up to 1 MiB: not copied
      if (in.lang) q->bindNoCopy(6, *in.lang);
      q->bind(7, in.source ? 1 : 0);
      if (in.source) {
        q->bindNoCopy(8, in.source->name);
        q->bindNoCopy(9, in.source->url);
        if (in.source->reliability) {
          reliability.assign(1, *in.source->reliability);
          q->bindNoCopy(10, reliability);
        }
        if (in.source->credibility) q->bind(11, *in.source->credibility);
      }
      if (in.observed_at) q->bind(12, static_cast<std::int64_t>(ToMs(*in.observed_at)));
      if (in.location) {
        q->bind(13, in.location->lat);
        q->bind(14, in.location->lon);
      }
      q->bind(15, std::string(core::TlpName(in.tlp)));
      q->bind(16, in.orcon ? 1 : 0);
      q->bindNoCopy(17, tags);
      q->bindNoCopy(18, release_to);
      if (in.external_id) q->bindNoCopy(19, *in.external_id);
      q->bindNoCopy(20, audience);
      q->bindNoCopy(21, row.analysis);
      try {
        q->exec();
      } catch (const SQLite::Exception& e) {
        // A failed constraint aborts only this statement; the transaction stays usable.
        if (IsDuplicateKey(e)) return DuplicateReport(row);
        if (IsMissingParent(e)) return UnknownOrg(row.originator);
        throw;
      }
      // seq is the rowid; last_insert_rowid is per connection, and this connection is ours.
      return static_cast<std::int64_t>(c_.db().getLastInsertRowid());
    }));
  }

  Result<std::optional<ReportRow>> FindReportByExternalId(const std::string& originator,
                                                          const std::string& external_id) override {
    return Note(Guarded("FindReportByExternalId",
                        [&] { return QueryReportByExternalId(c_, originator, external_id); }));
  }

  Result<std::int64_t> AppendInbox(const std::string& org, const std::string& kind,
                                   const std::string& item_id, core::Time at,
                                   const std::string& ref) override {
    return Note(Guarded("AppendInbox", [&]() -> Result<std::int64_t> {
      // The org's last seq is read from the table (a seek to the org's last key) the first
      // time this transaction appends to it, then kept in inbox_heads_: the write lock is ours
      // until commit, so nobody else can append meanwhile. Nested() rolls the cache back with
      // the savepoint (inbox_undo_).
      auto head = inbox_heads_.find(org);
      if (head == inbox_heads_.end()) {
        CachedStatement last = c_.Prepare("SELECT COALESCE(MAX(seq), 0) FROM inbox WHERE org = ?");
        last->bindNoCopy(1, org);
        last->executeStep();
        head = inbox_heads_.emplace(org, last->getColumn(0).getInt64()).first;
      }
      const std::int64_t seq = head->second + 1;
      CachedStatement q =
          c_.Prepare("INSERT INTO inbox (org, seq, kind, item_id, at_ms, ref) "
                     "VALUES (?, ?, ?, ?, ?, ?)");
      q->bindNoCopy(1, org);
      q->bind(2, static_cast<std::int64_t>(seq));
      q->bindNoCopy(3, kind);
      q->bindNoCopy(4, item_id);
      q->bind(5, static_cast<std::int64_t>(ToMs(at)));
      q->bindNoCopy(6, ref);
      try {
        q->exec();
      } catch (const SQLite::Exception& e) {
        if (IsMissingParent(e)) return UnknownOrg(org);
        throw;
      }
      if (depth_ > 0) inbox_undo_.push_back({&*head, head->second});  // no savepoint: no undo
      head->second = seq;
      return seq;
    }));
  }

  Status PutFingerprint(std::int64_t seq, std::string_view blob) override {
    return Note(Guarded("PutFingerprint", [&]() -> Status {
      CachedStatement q = c_.Prepare("INSERT INTO report_fingerprints (seq, blob) VALUES (?, ?)");
      q->bind(1, static_cast<std::int64_t>(seq));
      q->bindNoCopy(2, blob.data(), static_cast<int>(blob.size()));
      try {
        q->exec();
      } catch (const SQLite::Exception& e) {
        if (IsDuplicateKey(e)) {
          return Status::Conflict("fingerprint_exists",
                                  "report seq " + std::to_string(seq) + " has a fingerprint");
        }
        if (IsMissingParent(e)) {
          return Status::NotFound("unknown_report", "no report has seq " + std::to_string(seq));
        }
        throw;
      }
      return Status::Ok();
    }));
  }

  Result<std::optional<std::string>> GetFingerprint(std::int64_t seq) override {
    return Note(Guarded("GetFingerprint", [&]() -> Result<std::optional<std::string>> {
      CachedStatement q = c_.Prepare("SELECT blob FROM report_fingerprints WHERE seq = ?");
      q->bind(1, static_cast<std::int64_t>(seq));
      if (!q->executeStep()) return std::optional<std::string>();
      const SQLite::Column blob = q->getColumn(0);
      return std::optional<std::string>(
          std::string(static_cast<const char*>(blob.getBlob()), blob.getBytes()));
    }));
  }

  Result<WideningRow> WidenAudience(const std::string& report_id, const core::Audience& orgs,
                                    core::Time at) override {
    return Note(Guarded("WidenAudience", [&]() -> Result<WideningRow> {
      WideningRow w;
      core::Audience current;
      {
        CachedStatement q = c_.Prepare("SELECT seq, audience FROM reports WHERE id = ?");
        q->bindNoCopy(1, report_id);
        if (!q->executeStep()) {
          return Status::NotFound("unknown_report", "no report has id " + report_id);
        }
        w.report_seq = q->getColumn(0).getInt64();
        const std::string json = Text(*q, 1);
        MARKAZ_ASSIGN_OR_RETURN(current, DecodeStringArray(c_, json, "reports.audience"));
      }
      std::sort(current.begin(), current.end());
      core::Audience asked = orgs;
      std::sort(asked.begin(), asked.end());
      asked.erase(std::unique(asked.begin(), asked.end()), asked.end());
      std::set_difference(asked.begin(), asked.end(), current.begin(), current.end(),
                          std::back_inserter(w.added));
      if (w.added.empty()) {
        return Status::InvalidArgument("nothing_added",
                                       "every org named can read " + report_id + " already");
      }
      for (const std::string& org : w.added) {
        CachedStatement known = c_.Prepare("SELECT EXISTS (SELECT 1 FROM orgs WHERE id = ?)");
        known->bindNoCopy(1, org);
        known->executeStep();
        if (known->getColumn(0).getInt() == 0) return UnknownOrg(org);
      }
      core::Audience audience;
      std::set_union(current.begin(), current.end(), w.added.begin(), w.added.end(),
                     std::back_inserter(audience));
      const std::string encoded = EncodeStringArray(audience);
      {
        CachedStatement u = c_.Prepare("UPDATE reports SET audience = ? WHERE id = ?");
        u->bindNoCopy(1, encoded);
        u->bindNoCopy(2, report_id);
        u->exec();
      }
      const std::string added = EncodeStringArray(w.added);
      CachedStatement log =
          c_.Prepare("INSERT INTO widenings (report_seq, added, at_ms) VALUES (?, ?, ?)");
      log->bind(1, static_cast<std::int64_t>(w.report_seq));
      log->bindNoCopy(2, added);
      log->bind(3, static_cast<std::int64_t>(ToMs(at)));
      log->exec();
      w.id = static_cast<std::int64_t>(c_.db().getLastInsertRowid());
      w.report_id = report_id;
      w.at = at;
      return w;
    }));
  }

  Status InsertReleaseRequest(const ReleaseRequestRow& row) override {
    return Note(Guarded("InsertReleaseRequest", [&]() -> Status {
      const std::string to = EncodeStringArray(row.to);
      CachedStatement q = c_.Prepare(
          "INSERT INTO release_requests (" MARKAZ_REQUEST_COLUMNS
          ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      q->bindNoCopy(1, row.id);
      q->bindNoCopy(2, row.report_id);
      q->bindNoCopy(3, row.requester_org);
      q->bindNoCopy(4, row.requester);
      q->bindNoCopy(5, to);
      q->bindNoCopy(6, row.reason);
      q->bind(7, std::string(RequestStateName(row.state)));
      q->bind(8, static_cast<std::int64_t>(ToMs(row.created_at)));
      if (row.decided_at) q->bind(9, static_cast<std::int64_t>(ToMs(*row.decided_at)));
      q->bindNoCopy(10, row.decided_by);
      q->bindNoCopy(11, row.note);
      try {
        q->exec();
      } catch (const SQLite::Exception& e) {
        if (IsDuplicateKey(e)) {
          return Status::Conflict("request_exists", "a release request with id " + row.id +
                                                        " exists");
        }
        if (IsMissingParent(e)) {
          return Status::NotFound("unknown_report", "no report " + row.report_id +
                                                        " or no org " + row.requester_org);
        }
        throw;
      }
      return Status::Ok();
    }));
  }

  Result<std::optional<ReleaseRequestRow>> GetReleaseRequest(const std::string& id) override {
    return Note(Guarded("GetReleaseRequest", [&] { return QueryRequest(c_, id); }));
  }

  Status DecideReleaseRequest(const std::string& id, RequestState state, core::Time at,
                              const std::string& decided_by, const std::string& note) override {
    return Note(Guarded("DecideReleaseRequest", [&]() -> Status {
      if (state == RequestState::kPending) {
        return Status::InvalidArgument("bad_state", "a decision is approved or denied");
      }
      MARKAZ_ASSIGN_OR_RETURN(std::optional<ReleaseRequestRow> row, QueryRequest(c_, id));
      if (!row) return Status::NotFound("unknown_request", "no release request has id " + id);
      if (row->state != RequestState::kPending) {
        return Status::Conflict("request_decided", "release request " + id + " was " +
                                                       std::string(RequestStateName(row->state)) +
                                                       " already");
      }
      CachedStatement q = c_.Prepare(
          "UPDATE release_requests SET state = ?, decided_ms = ?, decided_by = ?, note = ? "
          "WHERE id = ?");
      q->bind(1, std::string(RequestStateName(state)));
      q->bind(2, static_cast<std::int64_t>(ToMs(at)));
      q->bindNoCopy(3, decided_by);
      q->bindNoCopy(4, note);
      q->bindNoCopy(5, id);
      q->exec();
      return Status::Ok();
    }));
  }

  Status InsertSubscription(const SubscriptionRow& row) override {
    return Note(Guarded("InsertSubscription", [&]() -> Status {
      CachedStatement q = c_.Prepare("INSERT INTO subscriptions (" MARKAZ_SUBSCRIPTION_COLUMNS
                                     ") VALUES (?, ?, ?, ?, ?, ?, ?)");
      q->bindNoCopy(1, row.id);
      q->bindNoCopy(2, row.org);
      q->bindNoCopy(3, row.token_id);
      q->bindNoCopy(4, row.name);
      q->bindNoCopy(5, row.query);
      q->bind(6, static_cast<std::int64_t>(ToMs(row.created_at)));
      q->bind(7, static_cast<std::int64_t>(row.cursor));
      try {
        q->exec();
      } catch (const SQLite::Exception& e) {
        if (IsDuplicateKey(e)) {
          return Status::Conflict("subscription_exists",
                                  "a subscription with id " + row.id + " exists");
        }
        if (IsMissingParent(e)) return UnknownOrg(row.org);
        throw;
      }
      return Status::Ok();
    }));
  }

  Status DeleteSubscription(const std::string& id) override {
    return Note(Guarded("DeleteSubscription", [&]() -> Status {
      CachedStatement q = c_.Prepare("DELETE FROM subscriptions WHERE id = ?");
      q->bindNoCopy(1, id);
      q->exec();
      if (c_.db().getChanges() == 0) {
        return Status::NotFound("unknown_subscription", "no subscription has id " + id);
      }
      return Status::Ok();
    }));
  }

  Status AdvanceSubscription(const std::string& id, std::int64_t cursor) override {
    return Note(Guarded("AdvanceSubscription", [&]() -> Status {
      CachedStatement q =
          c_.Prepare("UPDATE subscriptions SET cursor = MAX(cursor, ?) WHERE id = ?");
      q->bind(1, static_cast<std::int64_t>(cursor));
      q->bindNoCopy(2, id);
      q->exec();
      return Status::Ok();
    }));
  }

  Status PutProductCites(const std::string& product_id,
                         const std::vector<std::string>& cites) override {
    return Note(Guarded("PutProductCites", [&]() -> Status {
      CachedStatement q = c_.Prepare(
          "INSERT INTO product_cites (product_id, position, cite_id) VALUES (?, ?, ?)");
      for (std::size_t i = 0; i < cites.size(); ++i) {
        q->reset();
        q->bindNoCopy(1, product_id);
        q->bind(2, static_cast<std::int64_t>(i));
        q->bindNoCopy(3, cites[i]);
        try {
          q->exec();
        } catch (const SQLite::Exception& e) {
          if (IsMissingParent(e)) {
            return Status::NotFound("unknown_report", "no item has id " + product_id);
          }
          throw;
        }
      }
      return Status::Ok();
    }));
  }

  Status InsertWebhook(const WebhookRow& row) override {
    return Note(Guarded("InsertWebhook", [&]() -> Status {
      CachedStatement q = c_.Prepare("INSERT INTO webhooks (" MARKAZ_WEBHOOK_COLUMNS
                                     ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      q->bindNoCopy(1, row.id);
      q->bindNoCopy(2, row.org);
      q->bindNoCopy(3, row.url);
      q->bindNoCopy(4, row.secret);
      q->bindNoCopy(5, row.created_by);
      q->bind(6, static_cast<std::int64_t>(ToMs(row.created_at)));
      q->bind(7, row.enabled ? 1 : 0);
      q->bind(8, static_cast<std::int64_t>(row.cursor));
      if (row.failing_since) q->bind(9, static_cast<std::int64_t>(ToMs(*row.failing_since)));
      q->bind(10, row.failing ? 1 : 0);
      q->bindNoCopy(11, row.last_error);
      try {
        q->exec();
      } catch (const SQLite::Exception& e) {
        if (IsDuplicateKey(e)) {
          return Status::Conflict("webhook_exists", "a webhook with id " + row.id + " exists");
        }
        if (IsMissingParent(e)) return UnknownOrg(row.org);
        throw;
      }
      return Status::Ok();
    }));
  }

  Status SetWebhookEnabled(const std::string& id, bool enabled) override {
    return Note(Guarded("SetWebhookEnabled", [&]() -> Status {
      CachedStatement q = c_.Prepare("UPDATE webhooks SET enabled = ? WHERE id = ?");
      q->bind(1, enabled ? 1 : 0);
      q->bindNoCopy(2, id);
      q->exec();
      if (c_.db().getChanges() == 0) return UnknownWebhook(id);
      return Status::Ok();
    }));
  }

  Status DeleteWebhook(const std::string& id) override {
    return Note(Guarded("DeleteWebhook", [&]() -> Status {
      {
        CachedStatement d = c_.Prepare("DELETE FROM webhook_deliveries WHERE webhook_id = ?");
        d->bindNoCopy(1, id);
        d->exec();
      }
      CachedStatement q = c_.Prepare("DELETE FROM webhooks WHERE id = ?");
      q->bindNoCopy(1, id);
      q->exec();
      if (c_.db().getChanges() == 0) return UnknownWebhook(id);
      return Status::Ok();
    }));
  }

  Status Nested(const std::function<Status(Transaction&)>& fn) override {
    // After an unrecovered back-end failure the transaction will not commit: nothing more
    // should be attempted in it.
    if (!failure_.ok()) return failure_;
    // Depth-numbered names, so a Nested() inside fn gets a savepoint of its own.
    const std::string name = "sp_" + std::to_string(depth_ + 1);
    MARKAZ_RETURN_IF_ERROR(Note(Guarded("Nested: SAVEPOINT", [&] {
      c_.Exec("SAVEPOINT " + name);
      return Status::Ok();
    })));
    const std::size_t undo_mark = inbox_undo_.size();
    ++depth_;
    Status result;
    try {
      result = fn(*this);
    } catch (...) {
      // Not expected (callbacks return Status); leave the savepoint stack as we found it.
      --depth_;
      RollbackTo(name, undo_mark);
      throw;
    }
    --depth_;
    if (result.ok() && !failure_.ok()) result = failure_;  // fn ignored a back-end failure
    if (result.ok()) {
      return Note(Guarded("Nested: RELEASE", [&] {
        c_.Exec("RELEASE " + name);
        return Status::Ok();
      }));
    }
    RollbackTo(name, undo_mark);
    return result;
  }

 private:
  // Undoes everything since SAVEPOINT `name` and removes it. When that works with the outer
  // transaction still open, a back-end failure inside the savepoint touched only what was just
  // undone (SQLite rolls a failed statement back by itself and, when it abandons a whole
  // transaction, leaves autocommit on, which we check), so the failure is forgotten and the
  // outer transaction may commit the rest. Otherwise the transaction is marked failed.
  void RollbackTo(const std::string& name, std::size_t undo_mark) {
    // The inbox heads first, newest change first: they must match the table whatever happens.
    while (inbox_undo_.size() > undo_mark) {
      inbox_undo_.back().head->second = inbox_undo_.back().previous;
      inbox_undo_.pop_back();
    }
    // tryExec rather than cached statements: this is the rare path and must not throw.
    const bool undone = c_.InTransaction() && c_.db().tryExec("ROLLBACK TO " + name) == SQLITE_OK &&
                        c_.db().tryExec("RELEASE " + name) == SQLITE_OK && c_.InTransaction();
    if (undone) {
      failure_ = Status::Ok();
    } else if (failure_.ok()) {
      failure_ = Status::Internal("Nested: cannot roll back to savepoint " + name +
                                  "; the transaction is lost");
    }
  }

  // Called after a UNIQUE failure on reports: says which of the two keys collided.
  Result<std::int64_t> DuplicateReport(const ReportRow& row) {
    bool id_taken = false;
    {
      CachedStatement q = c_.Prepare("SELECT EXISTS (SELECT 1 FROM reports WHERE id = ?)");
      q->bindNoCopy(1, row.id);
      q->executeStep();
      id_taken = q->getColumn(0).getInt() != 0;
    }
    if (id_taken) {
      return Status::Conflict("report_exists", "a report with id " + row.id + " exists");
    }
    return Status::Conflict("duplicate_external_id",
                            row.originator + " already submitted a report with external_id \"" +
                                row.input.external_id.value_or("") + "\"");
  }

  // The store keeps rotation order as a position per member and each list's order as a
  // position per org, so it can hold exactly the charters whose rotation order lists every
  // member once and whose entries' kinds match their list, as ValidateCharter() demands.
  static Status CheckStorable(const core::Charter& c) {
    auto invalid = [](const std::string& why) {
      return Status::InvalidArgument("charter_invalid", "cannot store charter: " + why);
    };
    std::set<std::string> ids;
    std::set<std::string> members;
    for (const auto& m : c.members) {
      if (m.kind != core::OrgKind::kMember) return invalid(m.id + " is listed as a member");
      if (!ids.insert(m.id).second) return invalid("org " + m.id + " appears twice");
      members.insert(m.id);
    }
    for (const auto& p : c.partners) {
      if (p.kind != core::OrgKind::kPartner) return invalid(p.id + " is listed as a partner");
      if (!ids.insert(p.id).second) return invalid("org " + p.id + " appears twice");
    }
    std::set<std::string> order(c.rotation_order.begin(), c.rotation_order.end());
    if (order != members || c.rotation_order.size() != members.size()) {
      return invalid("the rotation order must list every member exactly once");
    }
    if (c.first_chair_index >= c.rotation_order.size()) {
      return invalid("first_chair_index is outside the rotation order");
    }
    return Status::Ok();
  }

  // Records `s` as the transaction's failure when it is the first back-end failure.
  void Remember(const Status& s) {
    if (!s.ok() && failure_.ok() &&
        (s.code() == core::Code::kInternal || s.code() == core::Code::kUnavailable)) {
      failure_ = s;
    }
  }
  template <typename R>
  R Note(R result) {
    Remember(result.status());
    return result;
  }
  Status Note(Status s) {
    Remember(s);
    return s;
  }

  // A change to inbox_heads_, kept so that a savepoint rollback can reverse it.
  struct InboxUndo {
    std::pair<const std::string, std::int64_t>* head;  // entry of inbox_heads_ (stable address)
    std::int64_t previous;
  };

  Connection& c_;
  Status failure_;
  int depth_ = 0;  // open Nested() savepoints
  // The last inbox seq of each org this transaction appended to, as the table holds it now.
  std::map<std::string, std::int64_t, std::less<>> inbox_heads_;
  std::vector<InboxUndo> inbox_undo_;  // every change to inbox_heads_, oldest first
};

// ---------------------------------------------------------------------------------------------
// The store.
//
// Thread-safety: one write connection, used only with write_mu_ held, so Write() calls are
// serialised in this process (other processes are serialised by SQLite's lock and
// busy_timeout). Reads use separate connections from a small pool; in WAL mode they run
// concurrently with each other and with the writer, each seeing the last committed state.
// A Write() callback may read through the Store (it sees only committed state) but must not
// call Write() again: write_mu_ is not recursive.

class SqliteStore final : public Store {
 public:
  SqliteStore(std::string db_path, std::unique_ptr<SQLite::Database> writer)
      : db_path_(std::move(db_path)), writer_(std::move(writer)) {}

  Status Write(const std::function<Status(Transaction&)>& fn) override {
    std::lock_guard<std::mutex> lock(write_mu_);
    Status begun = Guarded("Write: BEGIN", [&] {
      // IMMEDIATE takes the write lock now rather than at the first write, so a transaction
      // that reads (LastAudit) and then writes cannot fail half-way on another process's lock.
      writer_.Exec("BEGIN IMMEDIATE");
      return Status::Ok();
    });
    if (!begun.ok()) return begun;

    SqliteTransaction txn(writer_);
    Status result;
    try {
      result = fn(txn);
    } catch (...) {
      // Not expected (callbacks return Status), but the connection must not stay inside a
      // transaction for the next caller.
      Rollback();
      throw;
    }
    if (result.ok() && !txn.failure().ok()) result = txn.failure();
    if (!result.ok()) {
      Rollback();
      return result;
    }
    Status committed = Guarded("Write: COMMIT", [&] {
      writer_.Exec("COMMIT");
      return Status::Ok();
    });
    if (!committed.ok()) Rollback();
    return committed;
  }

  Result<bool> IsInitialised() override {
    return Read<bool>("IsInitialised", [](Connection& c) { return HasCharter(c); });
  }

  Result<core::Charter> LoadCharter() override {
    return Read<core::Charter>("LoadCharter", [](Connection& c) { return QueryCharter(c); });
  }

  Result<std::vector<OrgRow>> ListOrgs() override {
    return Read<std::vector<OrgRow>>("ListOrgs", [](Connection& c) -> Result<std::vector<OrgRow>> {
      MARKAZ_ASSIGN_OR_RETURN(auto orgs, QueryOrgs(c));
      std::vector<OrgRow> rows;
      rows.reserve(orgs.size());
      for (auto& o : orgs) rows.push_back(std::move(o.row));
      return rows;
    });
  }

  Result<std::optional<TokenRow>> FindToken(const std::string& id) override {
    return Read<std::optional<TokenRow>>(
        "FindToken", [&](Connection& c) -> Result<std::optional<TokenRow>> {
          CachedStatement q = c.Prepare(
              "SELECT id, org, role, name, secret_hash, created_ms, revoked_ms "
              "FROM tokens WHERE id = ?");
          q->bindNoCopy(1, id);
          if (!q->executeStep()) return std::optional<TokenRow>();
          TokenRow row;
          row.id = Text(*q, 0);
          row.org = Text(*q, 1);
          const auto role = core::ParseRole(Text(*q, 2));
          if (!role) return Corrupt("tokens.role of " + row.id);
          row.role = *role;
          row.name = Text(*q, 3);
          const SQLite::Column hash = q->getColumn(4);
          if (hash.getBytes() > 0) {
            row.secret_hash.assign(static_cast<const char*>(hash.getBlob()),
                                   static_cast<std::size_t>(hash.getBytes()));
          }
          row.created_at = FromMs(q->getColumn(5).getInt64());
          if (!q->isColumnNull(6)) row.revoked_at = FromMs(q->getColumn(6).getInt64());
          return std::optional<TokenRow>(std::move(row));
        });
  }

  Result<std::optional<AuditRow>> AuditHead() override {
    return Read<std::optional<AuditRow>>("AuditHead",
                                         [](Connection& c) { return QueryLastAudit(c); });
  }

  Result<std::vector<AuditRow>> ReadAudit(std::int64_t after, int limit) override {
    return Read<std::vector<AuditRow>>(
        "ReadAudit", [&](Connection& c) -> Result<std::vector<AuditRow>> {
          std::vector<AuditRow> rows;
          if (limit <= 0) return rows;
          CachedStatement q = c.Prepare("SELECT " MARKAZ_AUDIT_COLUMNS
                                        " FROM audit WHERE seq > ? ORDER BY seq LIMIT ?");
          q->bind(1, static_cast<std::int64_t>(after));
          q->bind(2, limit);
          while (q->executeStep()) rows.push_back(ReadAuditRow(*q));
          return rows;
        });
  }

  Result<std::optional<ReportRow>> GetReport(const std::string& id) override {
    return Read<std::optional<ReportRow>>(
        "GetReport", [&](Connection& c) -> Result<std::optional<ReportRow>> {
          CachedStatement q =
              c.Prepare("SELECT " MARKAZ_REPORT_COLUMNS " FROM reports WHERE id = ?");
          q->bindNoCopy(1, id);
          return OneReport(c, *q);
        });
  }

  Result<std::optional<ReportRow>> FindReportByExternalId(const std::string& originator,
                                                          const std::string& external_id) override {
    return Read<std::optional<ReportRow>>("FindReportByExternalId", [&](Connection& c) {
      return QueryReportByExternalId(c, originator, external_id);
    });
  }

  Result<std::vector<ReportRow>> ReadReports(std::int64_t after_seq, int limit) override {
    return Read<std::vector<ReportRow>>(
        "ReadReports", [&](Connection& c) -> Result<std::vector<ReportRow>> {
          std::vector<ReportRow> rows;
          if (limit <= 0) return rows;
          CachedStatement q = c.Prepare("SELECT " MARKAZ_REPORT_COLUMNS
                                        " FROM reports WHERE seq > ? ORDER BY seq LIMIT ?");
          q->bind(1, static_cast<std::int64_t>(after_seq));
          q->bind(2, limit);
          while (q->executeStep()) {
            MARKAZ_ASSIGN_OR_RETURN(ReportRow row, ReadReportRow(c, *q));
            rows.push_back(std::move(row));
          }
          return rows;
        });
  }

  Result<std::vector<FingerprintRow>> ReadFingerprints(std::int64_t after_seq,
                                                      int limit) override {
    return Read<std::vector<FingerprintRow>>(
        "ReadFingerprints", [&](Connection& c) -> Result<std::vector<FingerprintRow>> {
          std::vector<FingerprintRow> rows;
          if (limit <= 0) return rows;
          CachedStatement q = c.Prepare(
              "SELECT seq, blob FROM report_fingerprints WHERE seq > ? ORDER BY seq LIMIT ?");
          q->bind(1, static_cast<std::int64_t>(after_seq));
          q->bind(2, limit);
          while (q->executeStep()) {
            const SQLite::Column blob = q->getColumn(1);
            rows.push_back({q->getColumn(0).getInt64(),
                            std::string(static_cast<const char*>(blob.getBlob()), blob.getBytes())});
          }
          return rows;
        });
  }

  Result<std::vector<InboxEntry>> ReadInbox(const std::string& org, std::int64_t after,
                                            int limit) override {
    return Read<std::vector<InboxEntry>>(
        "ReadInbox", [&](Connection& c) -> Result<std::vector<InboxEntry>> {
          std::vector<InboxEntry> entries;
          if (limit <= 0) return entries;
          // The title and marking come from the entry's report: item_id, or ref for a
          // release entry (whose item is the request).
          CachedStatement q = c.Prepare(
              "SELECT i.seq, i.kind, i.item_id, i.at_ms, i.ref, r.title, r.tlp FROM inbox i "
              "LEFT JOIN reports r ON r.id = CASE i.kind WHEN 'release' THEN i.ref "
              "ELSE i.item_id END "
              "WHERE i.org = ? AND i.seq > ? ORDER BY i.seq LIMIT ?");
          q->bindNoCopy(1, org);
          q->bind(2, static_cast<std::int64_t>(after));
          q->bind(3, limit);
          while (q->executeStep()) {
            InboxEntry e;
            e.org = org;
            e.seq = q->getColumn(0).getInt64();
            e.kind = Text(*q, 1);
            e.item_id = Text(*q, 2);
            e.at = FromMs(q->getColumn(3).getInt64());
            e.ref = Text(*q, 4);
            if (!q->isColumnNull(5)) {
              e.title = Text(*q, 5);
              e.tlp = Text(*q, 6);
            }
            entries.push_back(std::move(e));
          }
          return entries;
        });
  }

  Result<std::int64_t> InboxHead(const std::string& org) override {
    return Read<std::int64_t>("InboxHead", [&](Connection& c) -> Result<std::int64_t> {
      CachedStatement q = c.Prepare("SELECT COALESCE(MAX(seq), 0) FROM inbox WHERE org = ?");
      q->bindNoCopy(1, org);
      q->executeStep();
      return static_cast<std::int64_t>(q->getColumn(0).getInt64());
    });
  }

  Result<std::vector<WideningRow>> ReadWidenings(std::int64_t after_id, int limit) override {
    return Read<std::vector<WideningRow>>(
        "ReadWidenings", [&](Connection& c) -> Result<std::vector<WideningRow>> {
          std::vector<WideningRow> rows;
          if (limit <= 0) return rows;
          std::vector<std::pair<WideningRow, std::string>> raw;
          {
            CachedStatement q = c.Prepare(
                "SELECT w.id, w.report_seq, r.id, w.added, w.at_ms FROM widenings w "
                "JOIN reports r ON r.seq = w.report_seq WHERE w.id > ? ORDER BY w.id LIMIT ?");
            q->bind(1, static_cast<std::int64_t>(after_id));
            q->bind(2, limit);
            while (q->executeStep()) {
              WideningRow w;
              w.id = q->getColumn(0).getInt64();
              w.report_seq = q->getColumn(1).getInt64();
              w.report_id = Text(*q, 2);
              w.at = FromMs(q->getColumn(4).getInt64());
              raw.emplace_back(std::move(w), Text(*q, 3));
            }
          }
          for (auto& [w, added] : raw) {
            MARKAZ_ASSIGN_OR_RETURN(w.added, DecodeStringArray(c, added, "widenings.added"));
            rows.push_back(std::move(w));
          }
          return rows;
        });
  }

  Result<std::optional<ReleaseRequestRow>> GetReleaseRequest(const std::string& id) override {
    return Read<std::optional<ReleaseRequestRow>>(
        "GetReleaseRequest", [&](Connection& c) { return QueryRequest(c, id); });
  }

  Result<std::vector<ReleaseRequestRow>> ListReleaseRequests(
      const std::string& report_id) override {
    return Read<std::vector<ReleaseRequestRow>>(
        "ListReleaseRequests", [&](Connection& c) -> Result<std::vector<ReleaseRequestRow>> {
          std::vector<ReleaseRequestRow> rows;
          CachedStatement q = c.Prepare("SELECT " MARKAZ_REQUEST_COLUMNS
                                        " FROM release_requests WHERE report_id = ? "
                                        "ORDER BY created_ms, id");
          q->bindNoCopy(1, report_id);
          while (q->executeStep()) {
            MARKAZ_ASSIGN_OR_RETURN(ReleaseRequestRow row, ReadRequestRow(c, *q));
            rows.push_back(std::move(row));
          }
          return rows;
        });
  }

  Result<std::vector<SubscriptionRow>> ListSubscriptions(const std::string& org) override {
    return Read<std::vector<SubscriptionRow>>(
        "ListSubscriptions", [&](Connection& c) -> Result<std::vector<SubscriptionRow>> {
          std::vector<SubscriptionRow> rows;
          CachedStatement q = c.Prepare("SELECT " MARKAZ_SUBSCRIPTION_COLUMNS
                                        " FROM subscriptions WHERE ?1 = '' OR org = ?1 "
                                        "ORDER BY created_ms, id");
          q->bindNoCopy(1, org);
          while (q->executeStep()) rows.push_back(ReadSubscriptionRow(*q));
          return rows;
        });
  }

  Result<std::optional<SubscriptionRow>> GetSubscription(const std::string& id) override {
    return Read<std::optional<SubscriptionRow>>(
        "GetSubscription", [&](Connection& c) -> Result<std::optional<SubscriptionRow>> {
          CachedStatement q = c.Prepare("SELECT " MARKAZ_SUBSCRIPTION_COLUMNS
                                        " FROM subscriptions WHERE id = ?");
          q->bindNoCopy(1, id);
          if (!q->executeStep()) return std::optional<SubscriptionRow>();
          return std::optional<SubscriptionRow>(ReadSubscriptionRow(*q));
        });
  }

  Result<std::vector<std::string>> ProductCites(const std::string& product_id) override {
    return Read<std::vector<std::string>>(
        "ProductCites", [&](Connection& c) -> Result<std::vector<std::string>> {
          std::vector<std::string> cites;
          CachedStatement q = c.Prepare(
              "SELECT cite_id FROM product_cites WHERE product_id = ? ORDER BY position");
          q->bindNoCopy(1, product_id);
          while (q->executeStep()) cites.push_back(Text(*q, 0));
          return cites;
        });
  }

  Result<std::vector<WebhookRow>> ListWebhooks(const std::string& org) override {
    return Read<std::vector<WebhookRow>>(
        "ListWebhooks", [&](Connection& c) -> Result<std::vector<WebhookRow>> {
          std::vector<WebhookRow> rows;
          CachedStatement q = c.Prepare("SELECT " MARKAZ_WEBHOOK_COLUMNS
                                        " FROM webhooks WHERE ?1 = '' OR org = ?1 "
                                        "ORDER BY created_ms, id");
          q->bindNoCopy(1, org);
          while (q->executeStep()) rows.push_back(ReadWebhookRow(*q));
          return rows;
        });
  }

  Result<std::optional<WebhookRow>> GetWebhook(const std::string& id) override {
    return Read<std::optional<WebhookRow>>(
        "GetWebhook", [&](Connection& c) -> Result<std::optional<WebhookRow>> {
          CachedStatement q =
              c.Prepare("SELECT " MARKAZ_WEBHOOK_COLUMNS " FROM webhooks WHERE id = ?");
          q->bindNoCopy(1, id);
          if (!q->executeStep()) return std::optional<WebhookRow>();
          return std::optional<WebhookRow>(ReadWebhookRow(*q));
        });
  }

  Status SaveWebhookProgress(const std::string& id, std::int64_t cursor,
                             std::optional<core::Time> failing_since, bool failing,
                             const std::string& last_error,
                             const std::vector<DeliveryRow>& deliveries) override {
    return Write([&](Transaction&) -> Status {
      return Guarded("SaveWebhookProgress", [&]() -> Status {
        {
          CachedStatement q = writer_.Prepare(
              "UPDATE webhooks SET cursor = MAX(cursor, ?), failing_since = ?, failing = ?, "
              "last_error = ? WHERE id = ?");
          q->bind(1, static_cast<std::int64_t>(cursor));
          if (failing_since) q->bind(2, static_cast<std::int64_t>(ToMs(*failing_since)));
          q->bind(3, failing ? 1 : 0);
          q->bindNoCopy(4, last_error);
          q->bindNoCopy(5, id);
          q->exec();
          if (writer_.db().getChanges() == 0) return Status::Ok();  // deleted meanwhile
        }
        if (deliveries.empty()) return Status::Ok();
        {
          CachedStatement q = writer_.Prepare(
              "INSERT INTO webhook_deliveries (webhook_id, seq, attempt, at_ms, status, error, "
              "duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?)");
          for (const DeliveryRow& d : deliveries) {
            q->reset();
            q->bindNoCopy(1, id);
            q->bind(2, static_cast<std::int64_t>(d.seq));
            q->bind(3, d.attempt);
            q->bind(4, static_cast<std::int64_t>(ToMs(d.at)));
            q->bind(5, d.status);
            q->bindNoCopy(6, d.error);
            q->bind(7, static_cast<std::int64_t>(d.duration_ms));
            q->exec();
          }
        }
        CachedStatement trim = writer_.Prepare(
            "DELETE FROM webhook_deliveries WHERE webhook_id = ?1 AND id <= "
            "(SELECT id FROM webhook_deliveries WHERE webhook_id = ?1 "
            "ORDER BY id DESC LIMIT 1 OFFSET ?2)");
        trim->bindNoCopy(1, id);
        trim->bind(2, kDeliveryLogSize);
        trim->exec();
        return Status::Ok();
      });
    });
  }

  Result<std::vector<DeliveryRow>> ReadDeliveries(const std::string& webhook_id,
                                                  int limit) override {
    return Read<std::vector<DeliveryRow>>(
        "ReadDeliveries", [&](Connection& c) -> Result<std::vector<DeliveryRow>> {
          std::vector<DeliveryRow> rows;
          if (limit <= 0) return rows;
          CachedStatement q = c.Prepare(
              "SELECT seq, attempt, at_ms, status, error, duration_ms FROM webhook_deliveries "
              "WHERE webhook_id = ? ORDER BY id DESC LIMIT ?");
          q->bindNoCopy(1, webhook_id);
          q->bind(2, limit);
          while (q->executeStep()) {
            DeliveryRow d;
            d.webhook_id = webhook_id;
            d.seq = q->getColumn(0).getInt64();
            d.attempt = q->getColumn(1).getInt();
            d.at = FromMs(q->getColumn(2).getInt64());
            d.status = q->getColumn(3).getInt();
            d.error = Text(*q, 4);
            d.duration_ms = q->getColumn(5).getInt64();
            rows.push_back(std::move(d));
          }
          return rows;
        });
  }

  Result<BackupInfo> BackupTo(const std::filesystem::path& file) override {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (fs::symlink_status(file, ec).type() != fs::file_type::not_found) {
      return Status::Conflict("backup_target_exists", file.string() + " already exists");
    }
    Result<BackupInfo> result = Guarded("BackupTo", [&]() -> Result<BackupInfo> {
      // A connection of its own, not one of the pool's: it holds one read transaction for the
      // whole copy. In WAL mode that transaction is a fixed snapshot, so the copy is consistent
      // and the backup never restarts (a backup stepped without one restarts whenever another
      // connection commits, i.e. forever under ingest), while the writer goes on committing to
      // the WAL. The cost: checkpoints cannot pass the snapshot, so the WAL grows meanwhile.
      Connection source(OpenDatabase(db_path_, SQLite::OPEN_READWRITE));
      source.db().exec("PRAGMA query_only = ON");
      source.Exec("BEGIN");
      BackupInfo info;
      {
        // The first read starts the snapshot: everything committed before this call is in it.
        CachedStatement q = source.Prepare("SELECT COUNT(*) FROM reports");
        q->executeStep();
        info.reports = q->getColumn(0).getInt64();
      }
      MARKAZ_ASSIGN_OR_RETURN(info.audit_head, QueryLastAudit(source));
      MARKAZ_RETURN_IF_ERROR(CopyDatabase(source.db(), file));
      source.Exec("COMMIT");
      info.bytes = static_cast<std::uint64_t>(fs::file_size(file));
      return info;
    });
    // Remove what this call wrote, never a file someone else created meanwhile.
    if (!result.ok() && result.status().reason() != "backup_target_exists") fs::remove(file, ec);
    return result;
  }

 private:
  // Copies the database `source` is reading (inside its read transaction) page by page into
  // the new file `file`, then fsyncs it. The destination has no journal and no syncs of its
  // own: a half-written file is never used (the caller renames it only once this succeeds),
  // and one fsync at the end is all durability needs.
  static Status CopyDatabase(SQLite::Database& source, const std::filesystem::path& file) {
    {
      // Created here, private to the owner (it holds token hashes and every report), and only
      // if absent; SQLite then opens the empty file as a new database.
      const int created = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
      if (created < 0 && errno == EEXIST) {
        return Status::Conflict("backup_target_exists", file.string() + " already exists");
      }
      if (created < 0) {
        return Status::Internal("BackupTo: cannot create " + file.string() + ": " +
                                std::strerror(errno));
      }
      ::close(created);
      SQLite::Database dest(file.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE |
                                               SQLite::OPEN_NOMUTEX);
      dest.exec("PRAGMA journal_mode = OFF");
      dest.exec("PRAGMA synchronous = OFF");
      sqlite3_backup* backup =
          sqlite3_backup_init(dest.getHandle(), "main", source.getHandle(), "main");
      if (backup == nullptr) {
        return Status::Internal("BackupTo: cannot start the copy: " +
                                std::string(sqlite3_errmsg(dest.getHandle())));
      }
      // After each step, start the kernel writing what the step wrote (without waiting), so
      // that the disk works while the next pages are copied and the final fsync finds little
      // left to do. Without it a copy larger than the dirty-page threshold is copied first and
      // written afterwards: at 1M reports (2.8 GB) that halved the rate (bench/README.md).
      const int writeback = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
      int rc = SQLITE_OK;
      while (rc == SQLITE_OK) {
        rc = sqlite3_backup_step(backup, kBackupStepPages);
        if (writeback >= 0) ::sync_file_range(writeback, 0, 0, SYNC_FILE_RANGE_WRITE);
      }
      if (writeback >= 0) ::close(writeback);
      // finish() releases the copy whatever happened; its own code repeats step's error.
      sqlite3_backup_finish(backup);
      if (rc != SQLITE_DONE) {
        return Status::Internal("BackupTo: copying failed: " + std::string(sqlite3_errstr(rc)) +
                                ": " + sqlite3_errmsg(dest.getHandle()));
      }
    }  // dest closed: every page is in the file
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || ::fsync(fd) != 0) {
      const std::string why = std::strerror(errno);
      if (fd >= 0) ::close(fd);
      return Status::Internal("BackupTo: cannot fsync " + file.string() + ": " + why);
    }
    ::close(fd);
    return Status::Ok();
  }


  // Runs `fn` on a pooled read connection inside one read transaction, so every query of one
  // call sees the same snapshot (e.g. the centre row and its orgs).
  template <typename T>
  Result<T> Read(std::string_view what, const std::function<Result<T>(Connection&)>& fn) {
    std::unique_ptr<Connection> c;
    Result<T> result = Guarded(what, [&]() -> Result<T> {
      c = AcquireReader();
      c->Exec("BEGIN");
      Result<T> r = fn(*c);
      c->Exec("COMMIT");
      return r;
    });
    if (c) ReleaseReader(std::move(c));
    return result;
  }

  std::unique_ptr<Connection> AcquireReader() {
    {
      std::lock_guard<std::mutex> lock(pool_mu_);
      if (!idle_readers_.empty()) {
        auto c = std::move(idle_readers_.back());
        idle_readers_.pop_back();
        return c;
      }
    }
    auto db = OpenDatabase(db_path_, SQLite::OPEN_READWRITE);
    // A read connection must never write; query_only makes SQLite refuse if a bug tries.
    db->exec("PRAGMA query_only = ON");
    return std::make_unique<Connection>(std::move(db));
  }

  void ReleaseReader(std::unique_ptr<Connection> c) {
    // After an error the read transaction may still be open: end it, or drop the connection.
    if (c->InTransaction()) {
      c->db().tryExec("ROLLBACK");
      if (c->InTransaction()) return;
    }
    std::lock_guard<std::mutex> lock(pool_mu_);
    if (idle_readers_.size() < kMaxIdleReaders) idle_readers_.push_back(std::move(c));
  }

  // Requires write_mu_.
  void Rollback() {
    // Ignore the result: SQLite may already have rolled back after an I/O error, and then
    // ROLLBACK fails with "no transaction is active", which is the state we want anyway.
    writer_.db().tryExec("ROLLBACK");
  }

  const std::string db_path_;

  std::mutex write_mu_;
  Connection writer_;  // GUARDED_BY(write_mu_)

  std::mutex pool_mu_;
  std::vector<std::unique_ptr<Connection>> idle_readers_;  // GUARDED_BY(pool_mu_)
};

// Creates `dir` (and missing parents) so that only its owner may enter it: the database holds
// token hashes and the audit chain.
Status CreateDataDir(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path path(dir);
  if (fs::is_directory(path, ec)) return Status::Ok();
  if (path.has_parent_path()) {
    fs::create_directories(path.parent_path(), ec);
    if (ec) {
      return Status::Internal("cannot create " + path.parent_path().string() + ": " + ec.message());
    }
  }
  // mkdir with the mode (rather than create then chmod) leaves no moment when the directory
  // is open to others.
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return Status::Internal("cannot create " + dir + ": " + std::strerror(errno));
  }
  if (!fs::is_directory(path, ec)) {
    return Status::Internal(dir + " exists and is not a directory");
  }
  return Status::Ok();
}

#undef MARKAZ_AUDIT_COLUMNS
#undef MARKAZ_REPORT_COLUMNS

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& data_dir, OpenMode mode) {
  namespace fs = std::filesystem;
  const std::string db_path = (fs::path(data_dir) / kDbFile).string();
  int flags = SQLite::OPEN_READWRITE;
  if (mode == OpenMode::kCreate) {
    MARKAZ_RETURN_IF_ERROR(CreateDataDir(data_dir));
    flags |= SQLite::OPEN_CREATE;
  } else {
    std::error_code ec;
    if (!fs::exists(db_path, ec)) {
      return Status::NotFound(
          "no_centre", data_dir + " holds no markaz centre (no " + std::string(kDbFile) + ")");
    }
  }
  return Guarded("opening " + db_path, [&]() -> Result<std::unique_ptr<Store>> {
    std::unique_ptr<SQLite::Database> writer = OpenDatabase(db_path, flags);
    // WAL is a property of the file and persists; setting it again is a no-op. The pragma
    // answers with the mode in force, which is not "wal" when SQLite could not switch.
    // 16 KiB pages for a new database (an existing one keeps its size: the pragma is then a
    // no-op). A report row is ~2.3 KB with a 2 KB body, and SQLite keeps a row that fits on
    // one page: 4 KiB pages hold one such row and waste ~40% of every page written to the WAL,
    // 16 KiB pages hold six or seven. Measured with bench/store: ~1.5x the reports/s of 4 KiB.
    writer->exec("PRAGMA page_size = 16384");
    const std::string journal = writer->execAndGet("PRAGMA journal_mode = WAL").getString();
    if (journal != "wal") {
      return Status::Internal("cannot put " + db_path + " in WAL mode (journal_mode is " + journal +
                              ")");
    }
    // Migrate() takes the write lock (BEGIN IMMEDIATE) to read the version; a database that is
    // already current needs no lock, so a command opened beside a busy server (`markaz
    // backup` under ingest) does not queue behind its commits only to learn that.
    const bool current =
        writer->tableExists("schema_version") &&
        writer->execAndGet("SELECT COALESCE(MAX(version), 0) FROM schema_version").getInt() ==
            sqlite_internal::LatestSchemaVersion();
    if (!current) MARKAZ_RETURN_IF_ERROR(sqlite_internal::Migrate(*writer));
    return std::unique_ptr<Store>(std::make_unique<SqliteStore>(db_path, std::move(writer)));
  });
}

Result<BackupInfo> CheckSqliteDatabase(const std::string& file) {
  namespace fs = std::filesystem;
  auto refuse = [&](const std::string& why) {
    return Status::InvalidArgument("not_a_centre_database",
                                   file + " is not a usable markaz database: " + why);
  };
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) return refuse("not a regular file");
  try {
    // Read-write without create: a backup written from a WAL database is itself in WAL mode,
    // and SQLite needs to create its -shm beside it (removed again on close).
    SQLite::Database db(file, SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX, kBusyTimeoutMs);
    db.exec("PRAGMA query_only = ON");
    {
      // integrity_check reads every page and checks every b-tree and index: a truncated or
      // damaged copy fails here rather than on the first unlucky read of a restored centre.
      SQLite::Statement check(db, "PRAGMA integrity_check(10)");
      std::string problems;
      while (check.executeStep()) {
        const std::string line = check.getColumn(0).getString();
        if (line == "ok") break;
        problems += problems.empty() ? line : "; " + line;
      }
      if (!problems.empty()) return refuse("integrity check failed: " + problems);
    }
    int version = 0;
    {
      SQLite::Statement q(db, "SELECT COUNT(*) FROM sqlite_schema WHERE name = 'schema_version'");
      q.executeStep();
      if (q.getColumn(0).getInt() == 0) return refuse("it has no markaz schema");
      SQLite::Statement v(db, "SELECT COALESCE(MAX(version), 0) FROM schema_version");
      v.executeStep();
      version = v.getColumn(0).getInt();
    }
    if (version > sqlite_internal::LatestSchemaVersion()) {
      return refuse("its schema version " + std::to_string(version) +
                    " is newer than this markaz knows (" +
                    std::to_string(sqlite_internal::LatestSchemaVersion()) +
                    "); use a newer markaz");
    }
    if (version < 1 || !db.tableExists("centre") ||
        db.execAndGet("SELECT EXISTS (SELECT 1 FROM centre)").getInt() == 0) {
      return refuse("it holds no centre (no charter)");
    }
    BackupInfo info;
    info.bytes = static_cast<std::uint64_t>(fs::file_size(file, ec));
    if (db.tableExists("reports")) {
      info.reports = db.execAndGet("SELECT COUNT(*) FROM reports").getInt64();
    }
    SQLite::Statement head(db,
                           "SELECT seq, time_ms, actor, action, object, detail, detail_hash, "
                           "prev_hash, hash FROM audit ORDER BY seq DESC LIMIT 1");
    if (head.executeStep()) info.audit_head = ReadAuditRow(head);
    return info;
  } catch (const SQLite::Exception& e) {
    // "file is not a database", "database disk image is malformed", a missing table …
    return refuse(e.what());
  } catch (const std::exception& e) {
    return refuse(e.what());
  }
}

}  // namespace markaz::store
