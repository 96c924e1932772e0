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

    // 2: reports and per-org inboxes (issue "Collect").
    //
    // reports.seq is the store sequence that the index catches up from. AUTOINCREMENT keeps a
    // seq from being handed out twice even if the newest row were ever removed (plain rowids
    // reuse max+1). Optional fields are NULL when absent, never '' or 0, so that an empty
    // string and an absent value stay apart; has_source separates "no source" from "a source
    // whose name and url are empty". tags, release_to and audience are JSON arrays of strings
    // in the order given. UNIQUE (originator, external_id) does not constrain rows without an
    // external_id: NULLs are distinct in a SQLite UNIQUE index.
    R"sql(
CREATE TABLE reports (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  id          TEXT NOT NULL UNIQUE,
  originator  TEXT NOT NULL REFERENCES orgs (id),
  received_ms INTEGER NOT NULL,
  title       TEXT NOT NULL,
  body        TEXT NOT NULL,
  lang        TEXT,
  has_source  INTEGER NOT NULL CHECK (has_source IN (0, 1)),
  source_name TEXT,
  source_url  TEXT,
  reliability TEXT CHECK (length(CAST(reliability AS BLOB)) = 1),  -- one byte, 'A'..'F'
  credibility INTEGER,
  observed_ms INTEGER,
  lat         REAL,
  lon         REAL,
  tlp         TEXT NOT NULL CHECK (tlp IN ('clear', 'green', 'amber', 'amber+strict', 'red')),
  orcon       INTEGER NOT NULL CHECK (orcon IN (0, 1)),
  tags        TEXT NOT NULL CHECK (json_type(tags) = 'array'),
  release_to  TEXT NOT NULL CHECK (json_type(release_to) = 'array'),
  external_id TEXT,
  audience    TEXT NOT NULL CHECK (json_type(audience) = 'array'),
  analysis    TEXT NOT NULL,  -- JSON added by processing, '' until then; opaque to the store
  CHECK ((has_source = 1) = (source_name IS NOT NULL AND source_url IS NOT NULL)),
  CHECK (has_source = 1 OR (reliability IS NULL AND credibility IS NULL)),
  CHECK ((lat IS NULL) = (lon IS NULL)),
  UNIQUE (originator, external_id)
) STRICT;

-- One log per org of everything released to it; seq is gap-free per org (1, 2, 3, ...).
-- kind is open-ended ("report", later "product", "release", ...), item_id names the item.
CREATE TABLE inbox (
  org     TEXT NOT NULL REFERENCES orgs (id),
  seq     INTEGER NOT NULL CHECK (seq >= 1),
  kind    TEXT NOT NULL,
  item_id TEXT NOT NULL,
  at_ms   INTEGER NOT NULL,
  PRIMARY KEY (org, seq)
) STRICT, WITHOUT ROWID;
)sql",

    // 3: report fingerprints (issue "Analyse"): the word shingles story assignment verifies
    // candidates against, kept on disk rather than in memory (cluster/fingerprint.h). Apart
    // from reports so that reading reports does not page them in.
    R"sql(
CREATE TABLE report_fingerprints (
  seq  INTEGER PRIMARY KEY REFERENCES reports (seq),
  blob BLOB NOT NULL
) STRICT;
)sql",

    // 4: distribution (issue "Distribute"): what an inbox entry refers to besides its item,
    // the log of audience widenings (the index replays it at start), release requests, and
    // webhooks with their delivery log.
    R"sql(
ALTER TABLE inbox ADD COLUMN ref TEXT NOT NULL DEFAULT '';

CREATE TABLE widenings (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  report_seq INTEGER NOT NULL REFERENCES reports (seq),
  added      TEXT NOT NULL CHECK (json_type(added) = 'array'),
  at_ms      INTEGER NOT NULL
) STRICT;

CREATE TABLE release_requests (
  id            TEXT PRIMARY KEY,
  report_id     TEXT NOT NULL REFERENCES reports (id),
  requester_org TEXT NOT NULL REFERENCES orgs (id),
  requester     TEXT NOT NULL,
  to_json       TEXT NOT NULL CHECK (json_type(to_json) = 'array'),
  reason        TEXT NOT NULL,
  state         TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'denied')),
  created_ms    INTEGER NOT NULL,
  decided_ms    INTEGER,
  decided_by    TEXT NOT NULL DEFAULT '',
  note          TEXT NOT NULL DEFAULT '',
  CHECK ((state = 'pending') = (decided_ms IS NULL))
) STRICT;
CREATE INDEX release_requests_by_report ON release_requests (report_id, created_ms);

CREATE TABLE webhooks (
  id            TEXT PRIMARY KEY,
  org           TEXT NOT NULL REFERENCES orgs (id),
  url           TEXT NOT NULL,
  secret        TEXT NOT NULL,
  created_by    TEXT NOT NULL,
  created_ms    INTEGER NOT NULL,
  enabled       INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  cursor        INTEGER NOT NULL CHECK (cursor >= 0),
  failing_since INTEGER,
  failing       INTEGER NOT NULL DEFAULT 0 CHECK (failing IN (0, 1)),
  last_error    TEXT NOT NULL DEFAULT ''
) STRICT;

-- Delivery state, not record: trimmed to the newest attempts per webhook.
CREATE TABLE webhook_deliveries (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  webhook_id  TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
  seq         INTEGER NOT NULL,
  attempt     INTEGER NOT NULL,
  at_ms       INTEGER NOT NULL,
  status      INTEGER NOT NULL,
  error       TEXT NOT NULL,
  duration_ms INTEGER NOT NULL
) STRICT;
CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (webhook_id, id);

CREATE TABLE subscriptions (
  id         TEXT PRIMARY KEY,
  org        TEXT NOT NULL REFERENCES orgs (id),
  token_id   TEXT NOT NULL,
  name       TEXT NOT NULL,
  query      TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  cursor     INTEGER NOT NULL CHECK (cursor >= 0)
) STRICT;

-- A product is a row of reports (id "prd_..."): searchable, readable and delivered like a
-- report. What it cites is kept here, in the order given.
CREATE TABLE product_cites (
  product_id TEXT NOT NULL REFERENCES reports (id),
  position   INTEGER NOT NULL,
  cite_id    TEXT NOT NULL,
  PRIMARY KEY (product_id, position)
) STRICT, WITHOUT ROWID;
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
