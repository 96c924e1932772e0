#include "store/sqlite/schema.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <string>

namespace markaz::store::sqlite_internal {
namespace {

// kMigrations[k] takes the schema from version k to version k+1. Append only: a script that
// has shipped is never edited, since databases in the field already ran it.
//
// Conventions: STRICT tables (SQLite checks column types); times are int64 milliseconds since
// the Unix epoch (UTC); enumerations are stored by their stable snake_case names so that a
// reordering of a C++ enum cannot change the meaning of stored rows.
constexpr const char* kMigrations[] = {
    // 1: charter, orgs, tokens, audit chain.
    R"sql(
CREATE TABLE centre (
  id                INTEGER PRIMARY KEY CHECK (id = 1),  -- one row: the centre's charter
  name              TEXT NOT NULL,
  start_ms          INTEGER NOT NULL,
  term_unit         TEXT NOT NULL CHECK (term_unit IN ('months', 'days')),
  term_count        INTEGER NOT NULL CHECK (term_count >= 1),
  first_chair_index INTEGER NOT NULL CHECK (first_chair_index >= 0),
  members_quorum    TEXT NOT NULL,
  partners_quorum   TEXT NOT NULL
) STRICT;

CREATE TABLE orgs (
  id           TEXT PRIMARY KEY,
  kind         TEXT NOT NULL CHECK (kind IN ('member', 'partner')),
  list_pos     INTEGER NOT NULL,  -- position in the charter's members or partners list
  names_json   TEXT NOT NULL CHECK (json_valid(names_json)),  -- {"lang":"name",...}
  may_submit   INTEGER NOT NULL CHECK (may_submit IN (0, 1)),
  suspended    INTEGER NOT NULL DEFAULT 0 CHECK (suspended IN (0, 1)),
  rotation_pos INTEGER UNIQUE,    -- index in the rotation order; NULL for partners
  CHECK ((kind = 'member') = (rotation_pos IS NOT NULL)),
  UNIQUE (kind, list_pos)
) STRICT;

CREATE TABLE tokens (
  id          TEXT PRIMARY KEY,
  org         TEXT NOT NULL REFERENCES orgs (id),
  role        TEXT NOT NULL CHECK (role IN ('analyst', 'releaser', 'admin')),
  name        TEXT NOT NULL,
  secret_hash BLOB NOT NULL,
  created_ms  INTEGER NOT NULL,
  revoked_ms  INTEGER
) STRICT;
CREATE INDEX tokens_by_org ON tokens (org);

CREATE TABLE audit (
  seq         INTEGER PRIMARY KEY CHECK (seq >= 1),
  time_ms     INTEGER NOT NULL,
  actor       TEXT NOT NULL,
  action      TEXT NOT NULL,
  object      TEXT NOT NULL,
  detail      TEXT NOT NULL,
  detail_hash TEXT NOT NULL,
  prev_hash   TEXT NOT NULL,
  hash        TEXT NOT NULL
) STRICT;

-- The chain is append-only. These triggers catch our own bugs; they are no defence against
-- someone who can edit the file (that is what the hash chain and its checkpoints are for).
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
)sql",
};

constexpr int kLatest = static_cast<int>(sizeof(kMigrations) / sizeof(kMigrations[0]));

int CurrentVersion(SQLite::Database& db) {
  SQLite::Statement q(db, "SELECT COALESCE(MAX(version), 0) FROM schema_version");
  q.executeStep();
  return static_cast<int>(q.getColumn(0).getInt64());
}

}  // namespace

int LatestSchemaVersion() { return kLatest; }

core::Status Migrate(SQLite::Database& db) {
  for (;;) {
    // BEGIN IMMEDIATE takes the write lock before reading the version, so two processes
    // opening a fresh directory at once cannot both apply the same script: the second waits
    // (busy_timeout), then sees the new version.
    SQLite::Transaction txn(db, SQLite::TransactionBehavior::IMMEDIATE);
    db.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY) STRICT");
    const int current = CurrentVersion(db);
    if (current > kLatest) {
      return core::Status::Unavailable(
          "schema_too_new", "the database has schema version " + std::to_string(current) +
                                " but this markaz knows only up to " + std::to_string(kLatest) +
                                "; use a newer markaz");
    }
    if (current == kLatest) {
      txn.commit();
      return core::Status::Ok();
    }
    db.exec(kMigrations[current]);
    SQLite::Statement record(db, "INSERT INTO schema_version (version) VALUES (?)");
    record.bind(1, current + 1);
    record.exec();
    txn.commit();
  }
}

}  // namespace markaz::store::sqlite_internal
