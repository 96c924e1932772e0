#include "store/sqlite/sqlite_store.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <exception>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

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

// ---------------------------------------------------------------------------------------------
// Values.

std::int64_t ToMs(core::Time t) { return t.time_since_epoch().count(); }
core::Time FromMs(std::int64_t ms) { return core::Time(std::chrono::milliseconds(ms)); }

std::string Text(const SQLite::Statement& q, int col) { return q.getColumn(col).getString(); }

// JSON for a {"lang":"name"} map. Hand-written because the store depends on no JSON library;
// decoding is left to SQLite's json_each (DecodeNames), which knows every escape.
void AppendJsonString(std::string_view s, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (u < 0x20) {
          out += "\\u00";
          out.push_back(kHex[u >> 4]);
          out.push_back(kHex[u & 0x0f]);
        } else {
          out.push_back(c);  // UTF-8 passes through unchanged
        }
    }
  }
  out.push_back('"');
}

std::string EncodeNames(const core::Names& names) {
  std::string out = "{";
  bool first = true;
  for (const auto& [lang, name] : names) {
    if (!first) out.push_back(',');
    first = false;
    AppendJsonString(lang, out);
    out.push_back(':');
    AppendJsonString(name, out);
  }
  out.push_back('}');
  return out;
}

Result<core::Names> DecodeNames(SQLite::Database& db, const std::string& json) {
  core::Names names;
  SQLite::Statement q(db, "SELECT key, value, type FROM json_each(?)");
  q.bind(1, json);
  while (q.executeStep()) {
    if (Text(q, 2) != "text") return Corrupt("orgs.names_json holds a non-string name");
    names.emplace(Text(q, 0), Text(q, 1));
  }
  return names;
}

std::string_view TermUnitName(core::TermLength::Unit unit) {
  return unit == core::TermLength::Unit::kMonths ? "months" : "days";
}

// ---------------------------------------------------------------------------------------------
// Queries shared by the write transaction and the read connections.

Result<bool> HasCharter(SQLite::Database& db) {
  SQLite::Statement q(db, "SELECT EXISTS (SELECT 1 FROM centre)");
  q.executeStep();
  return q.getColumn(0).getInt() != 0;
}

struct StoredOrg {
  OrgRow row;
  std::optional<std::int64_t> rotation_pos;
};

// Members first, then partners, each in charter order.
Result<std::vector<StoredOrg>> QueryOrgs(SQLite::Database& db) {
  std::vector<StoredOrg> orgs;
  SQLite::Statement q(db,
                      "SELECT id, kind, names_json, may_submit, suspended, rotation_pos FROM orgs "
                      "ORDER BY kind = 'partner', list_pos");
  while (q.executeStep()) {
    StoredOrg org;
    org.row.entry.id = Text(q, 0);
    const std::string kind = Text(q, 1);
    if (kind == "member") {
      org.row.entry.kind = core::OrgKind::kMember;
    } else if (kind == "partner") {
      org.row.entry.kind = core::OrgKind::kPartner;
    } else {
      return Corrupt("orgs.kind \"" + kind + "\"");
    }
    MARKAZ_ASSIGN_OR_RETURN(org.row.entry.names, DecodeNames(db, Text(q, 2)));
    org.row.entry.may_submit = q.getColumn(3).getInt() != 0;
    org.row.suspended = q.getColumn(4).getInt() != 0;
    if (!q.isColumnNull(5)) org.rotation_pos = q.getColumn(5).getInt64();
    orgs.push_back(std::move(org));
  }
  return orgs;
}

Result<core::Charter> QueryCharter(SQLite::Database& db) {
  SQLite::Statement q(db,
                      "SELECT name, start_ms, term_unit, term_count, first_chair_index, "
                      "members_quorum, partners_quorum FROM centre WHERE id = 1");
  if (!q.executeStep()) {
    return Status::NotFound("not_initialised", "the store holds no charter yet");
  }
  core::Charter charter;
  charter.name = Text(q, 0);
  charter.start = FromMs(q.getColumn(1).getInt64());
  const std::string unit = Text(q, 2);
  const int count = q.getColumn(3).getInt();
  Result<core::TermLength> term = unit == "months" ? core::TermLength::Months(count)
                                  : unit == "days" ? core::TermLength::Days(count)
                                                   : Result<core::TermLength>(Corrupt("term_unit"));
  if (!term.ok()) return Corrupt("centre.term: " + term.status().ToString());
  charter.term = *term;
  charter.first_chair_index = static_cast<std::size_t>(q.getColumn(4).getInt64());
  const auto members_quorum = core::ParseQuorum(Text(q, 5));
  const auto partners_quorum = core::ParseQuorum(Text(q, 6));
  if (!members_quorum || !partners_quorum) return Corrupt("centre quorum");
  charter.members_quorum = *members_quorum;
  charter.partners_quorum = *partners_quorum;

  MARKAZ_ASSIGN_OR_RETURN(std::vector<StoredOrg> orgs, QueryOrgs(db));
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

constexpr const char* kAuditColumns =
    "seq, time_ms, actor, action, object, detail, detail_hash, prev_hash, hash";

Result<std::optional<AuditRow>> QueryLastAudit(SQLite::Database& db) {
  SQLite::Statement q(
      db, std::string("SELECT ") + kAuditColumns + " FROM audit ORDER BY seq DESC LIMIT 1");
  if (!q.executeStep()) return std::optional<AuditRow>();
  return std::optional<AuditRow>(ReadAuditRow(q));
}

// ---------------------------------------------------------------------------------------------
// Connections.

std::unique_ptr<SQLite::Database> OpenConnection(const std::string& path, int flags) {
  auto db = std::make_unique<SQLite::Database>(path, flags, kBusyTimeoutMs);
  // Per-connection settings: foreign keys are off by default in SQLite, and synchronous=FULL
  // makes every commit fsync the WAL (a 201 means on disk, DESIGN.md §2.6).
  db->exec("PRAGMA foreign_keys = ON");
  db->exec("PRAGMA synchronous = FULL");
  return db;
}

// ---------------------------------------------------------------------------------------------
// The write transaction: every call runs on the store's single write connection, inside the
// BEGIN IMMEDIATE that Write() opened.

class SqliteTransaction final : public Transaction {
 public:
  explicit SqliteTransaction(SQLite::Database& db) : db_(db) {}

  // The first back-end failure (not a Conflict or other logical refusal) seen by any call.
  // SQLite may have rolled the transaction back on its own after such a failure, so Write()
  // refuses to commit even if the callback ignored the error.
  const Status& failure() const { return failure_; }

  Status PutCharter(const core::Charter& charter) override {
    return Note(Guarded("PutCharter", [&]() -> Status {
      MARKAZ_ASSIGN_OR_RETURN(bool exists, HasCharter(db_));
      if (exists) {
        return Status::Conflict("already_initialised", "the store already holds a charter");
      }
      MARKAZ_RETURN_IF_ERROR(CheckStorable(charter));

      SQLite::Statement centre(db_,
                               "INSERT INTO centre (id, name, start_ms, term_unit, term_count, "
                               "first_chair_index, members_quorum, partners_quorum) "
                               "VALUES (1, ?, ?, ?, ?, ?, ?, ?)");
      centre.bind(1, charter.name);
      centre.bind(2, static_cast<std::int64_t>(ToMs(charter.start)));
      centre.bind(3, std::string(TermUnitName(charter.term.unit())));
      centre.bind(4, charter.term.count());
      centre.bind(5, static_cast<std::int64_t>(charter.first_chair_index));
      centre.bind(6, std::string(core::QuorumName(charter.members_quorum)));
      centre.bind(7, std::string(core::QuorumName(charter.partners_quorum)));
      centre.exec();

      SQLite::Statement org(db_,
                            "INSERT INTO orgs (id, kind, list_pos, names_json, may_submit, "
                            "suspended, rotation_pos) VALUES (?, ?, ?, ?, ?, 0, ?)");
      auto insert = [&](const core::OrgEntry& e, std::size_t list_pos,
                        std::optional<std::size_t> rotation_pos) {
        org.reset();
        org.clearBindings();
        org.bind(1, e.id);
        org.bind(2, std::string(core::OrgKindName(e.kind)));
        org.bind(3, static_cast<std::int64_t>(list_pos));
        org.bind(4, EncodeNames(e.names));
        org.bind(5, e.may_submit ? 1 : 0);
        if (rotation_pos) {
          org.bind(6, static_cast<std::int64_t>(*rotation_pos));
        } else {
          org.bind(6);  // NULL
        }
        org.exec();
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
      SQLite::Statement q(db_,
                          "INSERT INTO tokens (id, org, role, name, secret_hash, created_ms, "
                          "revoked_ms) VALUES (?, ?, ?, ?, ?, ?, ?)");
      q.bind(1, token.id);
      q.bind(2, token.org);
      q.bind(3, std::string(core::RoleName(token.role)));
      q.bind(4, token.name);
      q.bind(5, token.secret_hash.data(), static_cast<int>(token.secret_hash.size()));
      q.bind(6, static_cast<std::int64_t>(ToMs(token.created_at)));
      if (token.revoked_at) {
        q.bind(7, static_cast<std::int64_t>(ToMs(*token.revoked_at)));
      } else {
        q.bind(7);
      }
      try {
        q.exec();
      } catch (const SQLite::Exception& e) {
        // A failed constraint aborts only this statement; the transaction stays usable.
        if (IsDuplicateKey(e)) {
          return Status::Conflict("token_exists", "a token with id " + token.id + " exists");
        }
        if (e.getExtendedErrorCode() == SQLITE_CONSTRAINT_FOREIGNKEY) {
          return Status::NotFound("unknown_org", "no org \"" + token.org + "\" in the store");
        }
        throw;
      }
      return Status::Ok();
    }));
  }

  Result<std::optional<AuditRow>> LastAudit() override {
    return Note(Guarded("LastAudit", [&] { return QueryLastAudit(db_); }));
  }

  Status AppendAudit(const AuditRow& row) override {
    return Note(Guarded("AppendAudit", [&]() -> Status {
      SQLite::Statement last(db_, "SELECT COALESCE(MAX(seq), 0) FROM audit");
      last.executeStep();
      const std::int64_t last_seq = last.getColumn(0).getInt64();
      if (row.seq != last_seq + 1) {
        return Status::Conflict("audit_seq", "audit seq " + std::to_string(row.seq) +
                                                 " does not follow the last seq " +
                                                 std::to_string(last_seq));
      }
      SQLite::Statement q(db_, std::string("INSERT INTO audit (") + kAuditColumns +
                                   ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
      q.bind(1, static_cast<std::int64_t>(row.seq));
      q.bind(2, static_cast<std::int64_t>(ToMs(row.time)));
      q.bind(3, row.actor);
      q.bind(4, row.action);
      q.bind(5, row.object);
      q.bind(6, row.detail);
      q.bind(7, row.detail_hash);
      q.bind(8, row.prev_hash);
      q.bind(9, row.hash);
      q.exec();
      return Status::Ok();
    }));
  }

 private:
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

  template <typename R>
  R Note(R result) {
    const Status s = result.status();
    if (!s.ok() && failure_.ok() &&
        (s.code() == core::Code::kInternal || s.code() == core::Code::kUnavailable)) {
      failure_ = s;
    }
    return result;
  }
  Status Note(Status s) {
    if (!s.ok() && failure_.ok() &&
        (s.code() == core::Code::kInternal || s.code() == core::Code::kUnavailable)) {
      failure_ = s;
    }
    return s;
  }

  SQLite::Database& db_;
  Status failure_;
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
      writer_->exec("BEGIN IMMEDIATE");
      return Status::Ok();
    });
    if (!begun.ok()) return begun;

    SqliteTransaction txn(*writer_);
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
      writer_->exec("COMMIT");
      return Status::Ok();
    });
    if (!committed.ok()) Rollback();
    return committed;
  }

  Result<bool> IsInitialised() override {
    return Read<bool>("IsInitialised", [](SQLite::Database& db) { return HasCharter(db); });
  }

  Result<core::Charter> LoadCharter() override {
    return Read<core::Charter>("LoadCharter",
                               [](SQLite::Database& db) { return QueryCharter(db); });
  }

  Result<std::vector<OrgRow>> ListOrgs() override {
    return Read<std::vector<OrgRow>>("ListOrgs",
                                     [](SQLite::Database& db) -> Result<std::vector<OrgRow>> {
                                       MARKAZ_ASSIGN_OR_RETURN(auto orgs, QueryOrgs(db));
                                       std::vector<OrgRow> rows;
                                       rows.reserve(orgs.size());
                                       for (auto& o : orgs) rows.push_back(std::move(o.row));
                                       return rows;
                                     });
  }

  Result<std::optional<TokenRow>> FindToken(const std::string& id) override {
    return Read<std::optional<TokenRow>>(
        "FindToken", [&](SQLite::Database& db) -> Result<std::optional<TokenRow>> {
          SQLite::Statement q(db,
                              "SELECT id, org, role, name, secret_hash, created_ms, revoked_ms "
                              "FROM tokens WHERE id = ?");
          q.bind(1, id);
          if (!q.executeStep()) return std::optional<TokenRow>();
          TokenRow row;
          row.id = Text(q, 0);
          row.org = Text(q, 1);
          const auto role = core::ParseRole(Text(q, 2));
          if (!role) return Corrupt("tokens.role of " + row.id);
          row.role = *role;
          row.name = Text(q, 3);
          const SQLite::Column hash = q.getColumn(4);
          if (hash.getBytes() > 0) {
            row.secret_hash.assign(static_cast<const char*>(hash.getBlob()),
                                   static_cast<std::size_t>(hash.getBytes()));
          }
          row.created_at = FromMs(q.getColumn(5).getInt64());
          if (!q.isColumnNull(6)) row.revoked_at = FromMs(q.getColumn(6).getInt64());
          return std::optional<TokenRow>(std::move(row));
        });
  }

  Result<std::optional<AuditRow>> AuditHead() override {
    return Read<std::optional<AuditRow>>("AuditHead",
                                         [](SQLite::Database& db) { return QueryLastAudit(db); });
  }

  Result<std::vector<AuditRow>> ReadAudit(std::int64_t after, int limit) override {
    return Read<std::vector<AuditRow>>(
        "ReadAudit", [&](SQLite::Database& db) -> Result<std::vector<AuditRow>> {
          std::vector<AuditRow> rows;
          if (limit <= 0) return rows;
          SQLite::Statement q(db, std::string("SELECT ") + kAuditColumns +
                                      " FROM audit WHERE seq > ? ORDER BY seq LIMIT ?");
          q.bind(1, static_cast<std::int64_t>(after));
          q.bind(2, limit);
          while (q.executeStep()) rows.push_back(ReadAuditRow(q));
          return rows;
        });
  }

 private:
  // Runs `fn` on a pooled read connection inside one read transaction, so every query of one
  // call sees the same snapshot (e.g. the centre row and its orgs).
  template <typename T>
  Result<T> Read(std::string_view what, const std::function<Result<T>(SQLite::Database&)>& fn) {
    std::unique_ptr<SQLite::Database> db;
    Result<T> result = Guarded(what, [&]() -> Result<T> {
      db = AcquireReader();
      db->exec("BEGIN");
      Result<T> r = fn(*db);
      db->exec("COMMIT");
      return r;
    });
    if (db) ReleaseReader(std::move(db));
    return result;
  }

  std::unique_ptr<SQLite::Database> AcquireReader() {
    {
      std::lock_guard<std::mutex> lock(pool_mu_);
      if (!idle_readers_.empty()) {
        auto db = std::move(idle_readers_.back());
        idle_readers_.pop_back();
        return db;
      }
    }
    auto db = OpenConnection(db_path_, SQLite::OPEN_READWRITE);
    // A read connection must never write; query_only makes SQLite refuse if a bug tries.
    db->exec("PRAGMA query_only = ON");
    return db;
  }

  void ReleaseReader(std::unique_ptr<SQLite::Database> db) {
    // After an error the read transaction may still be open: end it, or drop the connection.
    if (sqlite3_get_autocommit(db->getHandle()) == 0) {
      db->tryExec("ROLLBACK");
      if (sqlite3_get_autocommit(db->getHandle()) == 0) return;
    }
    std::lock_guard<std::mutex> lock(pool_mu_);
    if (idle_readers_.size() < kMaxIdleReaders) idle_readers_.push_back(std::move(db));
  }

  // Requires write_mu_.
  void Rollback() {
    // Ignore the result: SQLite may already have rolled back after an I/O error, and then
    // ROLLBACK fails with "no transaction is active", which is the state we want anyway.
    writer_->tryExec("ROLLBACK");
  }

  const std::string db_path_;

  std::mutex write_mu_;
  std::unique_ptr<SQLite::Database> writer_;  // GUARDED_BY(write_mu_)

  std::mutex pool_mu_;
  std::vector<std::unique_ptr<SQLite::Database>> idle_readers_;  // GUARDED_BY(pool_mu_)
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
    std::unique_ptr<SQLite::Database> writer = OpenConnection(db_path, flags);
    // WAL is a property of the file and persists; setting it again is a no-op. The pragma
    // answers with the mode in force, which is not "wal" when SQLite could not switch.
    const std::string journal = writer->execAndGet("PRAGMA journal_mode = WAL").getString();
    if (journal != "wal") {
      return Status::Internal("cannot put " + db_path + " in WAL mode (journal_mode is " + journal +
                              ")");
    }
    MARKAZ_RETURN_IF_ERROR(sqlite_internal::Migrate(*writer));
    return std::unique_ptr<Store>(std::make_unique<SqliteStore>(db_path, std::move(writer)));
  });
}

}  // namespace markaz::store
