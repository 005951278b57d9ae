// Versioned schema migrations for the SQLite store. A migration is never edited once released:
// a change to the schema is a new migration at the end of the list.
#pragma once

#include <sqlite3.h>

#include <expected>
#include <span>
#include <string_view>

#include "store/store.h"

namespace cordon::store::sqlite {

struct Migration {
  int version;
  std::string_view description;
  std::string_view sql;
};

// The core schema (declarations, accounts, screening), recorded in table schema_migrations.
std::span<const Migration> migrations();

// Applies the migrations newer than those recorded in `table` (created if missing), each in its
// own transaction. Several components may keep their schemas in one database, each with its own
// table ("schema_migrations", "risk_schema_migrations", ...), so that they evolve independently.
// kUnavailable when the database is newer than `migrations`; kInternal when one fails.
std::expected<void, StoreError> apply_migrations(sqlite3* db, std::string_view table, std::span<const Migration> migrations);

}  // namespace cordon::store::sqlite
