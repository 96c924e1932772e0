// The embedded store of record: SQLite in WAL mode with synchronous=FULL in a data directory
// (DESIGN.md §7). A committed Write() is on disk (fsynced) when it returns.
//
// Files: DIR/markaz.db (+ -wal, -shm). The schema is versioned (table schema_version) and
// migrated forward on open; a database newer than this binary is refused.
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

}  // namespace markaz::store
