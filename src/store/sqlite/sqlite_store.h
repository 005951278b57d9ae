// The embedded default store: one SQLite database file in WAL mode.
//
// Writes go through one connection with group commit: concurrent insert_declarations() calls
// are gathered into a single transaction, so many small requests share one fsync. Reads use a
// small pool of read-only connections, which WAL lets run beside the writer.
#pragma once

#include <expected>
#include <filesystem>
#include <memory>

#include "store/store.h"

namespace cordon::store {

struct SqliteOptions {
  // FULL survives power loss; NORMAL survives a killed process (WAL) and is faster.
  enum class Sync { kFull, kNormal } sync = Sync::kFull;
  int read_connections = 4;
};

// Opens (creating if needed) the database and applies pending migrations.
// kUnavailable when the file cannot be opened; kInternal when a migration fails.
Result<std::unique_ptr<Store>> open_sqlite_store(const std::filesystem::path& path, const SqliteOptions& options = {});

// The schema version a fresh database gets; for `cordon version` and tests.
int sqlite_schema_version();

}  // namespace cordon::store
