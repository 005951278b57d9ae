// The SQLite implementation of RiskStore, in the same database file as the core store, with its
// own connection and migrations (table risk_schema_migrations).
#pragma once

#include <filesystem>
#include <memory>

#include "store/risk_store.h"

namespace cordon::store {

// Opens the database (creating it if needed) and applies the risk component's migrations.
Result<std::unique_ptr<RiskStore>> open_sqlite_risk_store(const std::filesystem::path& path);

// Hex SHA-256 of a decision-log entry chained to the previous entry's hash; exposed for tests.
std::string decision_entry_hash(const DecisionEntry& entry);

}  // namespace cordon::store
