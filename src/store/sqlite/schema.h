// The SQLite schema of the store of record and its forward migrations. Private to
// store/sqlite/ (and its tests).
//
// The schema version is recorded in table schema_version, one row per applied migration;
// the current version is the largest. Migrations are an ordered list of SQL scripts: script k
// takes the database from version k-1 to k, in one transaction of its own, so a crash leaves
// the database at some whole version.
#pragma once

#include "core/status.h"

namespace SQLite {
class Database;
}  // namespace SQLite

namespace markaz::store::sqlite_internal {

// The version this binary migrates to and understands.
int LatestSchemaVersion();

// Brings `db` (an open read-write connection, not inside a transaction) up to
// LatestSchemaVersion(). Returns Unavailable "schema_too_new" when the database records a
// version newer than this binary knows (a newer markaz wrote it; refuse rather than guess).
// Throws SQLite::Exception on any SQLite failure; the caller maps it to a Status.
core::Status Migrate(SQLite::Database& db);

}  // namespace markaz::store::sqlite_internal
