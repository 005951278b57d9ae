// SupervisionStore on SQLite, in the same database file as the core store, with its own tables
// and migrations (table "supervision_schema_migrations").
#pragma once

#include <filesystem>
#include <memory>

#include "store/supervision_store.h"

namespace cordon::store::sqlite {

Result<std::unique_ptr<SupervisionStore>> open_supervision_store(const std::filesystem::path& path);

}  // namespace cordon::store::sqlite
