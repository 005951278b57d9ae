// Versioned schema migrations for the SQLite store. A migration is never edited once released:
// a change to the schema is a new migration at the end of the list.
#pragma once

#include <span>
#include <string_view>

namespace cordon::store::sqlite {

struct Migration {
  int version;
  std::string_view description;
  std::string_view sql;
};

std::span<const Migration> migrations();

}  // namespace cordon::store::sqlite
