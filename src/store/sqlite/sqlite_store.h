// The embedded store of record: SQLite in WAL mode with synchronous=FULL in a data directory
// (DESIGN.md §7). A committed Write() is on disk (fsynced) when it returns.
//
// Files: DIR/markaz.db (+ -wal, -shm). The schema is versioned (table schema_version) and
// migrated forward on open; a database newer than this binary is refused. A backup
// (Store::BackupTo) is one file, a copy of markaz.db; restoring is putting it back there.
#pragma once

#include <memory>
#include <string>

#include "core/status.h"
#include "store/store.h"

namespace markaz::store {

enum class OpenMode {
  kCreate,        // create the directory and database if absent (init)
  kMustExist,     // NotFound "no_centre" if DIR holds no database (serve, token, verify)
};

core::Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& data_dir, OpenMode mode);

// Checks that `file` (a copy written by Store::BackupTo, about to become DIR/markaz.db) is a
// markaz database this binary can open: an SQLite file that passes PRAGMA integrity_check, with
// a schema version no newer than this binary's, holding a centre (a stored charter). Returns
// what it holds. InvalidArgument "not_a_centre_database", naming the reason, otherwise. Does
// not migrate or otherwise change the file; needs write access to its directory (SQLite puts
// a -shm file beside a WAL database while it is open).
core::Result<BackupInfo> CheckSqliteDatabase(const std::string& file);

}  // namespace markaz::store
