#include "store/sqlite/sqlite_db.h"

#include <chrono>
#include <cstdint>
#include <thread>

#include <fmt/format.h>

namespace cordon::store::sqlite {
namespace {

constexpr auto kBusyTimeout = std::chrono::seconds(10);

// Called by SQLite while another connection holds the lock it needs; returns nonzero to try
// again. SQLite's own handler (sqlite3_busy_timeout) sleeps 1, 2, 5, 10, ... 100 ms between
// tries, so a writer that finds the lock taken for a moment — the declaration store and the
// decision log write to the same file from two connections, batch after batch — sleeps on
// long after the lock is free. Short sleeps hand the lock over within a fraction of a
// millisecond; a try costs a few microseconds. `budget` is the longest wait, in microseconds.
int wait_briefly(void* budget, int tries) {
  using std::chrono::microseconds;
  // 25, 25, 50, 50, 100, 100, 200, 200 µs (750 µs in all), then 500 µs a try.
  const auto limit = microseconds(reinterpret_cast<std::intptr_t>(budget));
  const microseconds waited = tries <= 8 ? microseconds(0) : microseconds(750) + (tries - 8) * microseconds(500);
  if (waited >= limit) return 0;
  std::this_thread::sleep_for(tries < 8 ? microseconds(25 << (tries / 2)) : microseconds(500));
  return 1;
}

}  // namespace

StoreError error_from(sqlite3* db, std::string_view doing) {
  int code = db ? sqlite3_extended_errcode(db) : SQLITE_CANTOPEN;
  StoreError::Code kind = StoreError::Code::kInternal;
  switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_READONLY:
      kind = StoreError::Code::kUnavailable;
      break;
    case SQLITE_CONSTRAINT:
      kind = StoreError::Code::kConflict;
      break;
    default:
      break;
  }
  return StoreError{kind, fmt::format("{}: {}", doing, db ? sqlite3_errmsg(db) : "no database")};
}

Statement::Statement(sqlite3* db, std::string_view sql, bool persistent) {
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), persistent ? SQLITE_PREPARE_PERSISTENT : 0,
                              &raw, nullptr);
  if (rc != SQLITE_OK) {
    error_ = fmt::format("preparing {}: {}", sql.substr(0, 60), sqlite3_errmsg(db));
    sqlite3_finalize(raw);
    return;
  }
  stmt_.reset(raw);
}

Statement& Statement::bind(int index, std::string_view text) {
  sqlite3_bind_text(stmt_.get(), index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::bind_static(int index, std::string_view text) {
  sqlite3_bind_text(stmt_.get(), index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
  return *this;
}

Statement& Statement::bind(int index, int64_t value) {
  sqlite3_bind_int64(stmt_.get(), index, value);
  return *this;
}

Statement& Statement::bind(int index, double value) {
  sqlite3_bind_double(stmt_.get(), index, value);
  return *this;
}

Statement& Statement::bind_null(int index) {
  sqlite3_bind_null(stmt_.get(), index);
  return *this;
}

Statement& Statement::bind_optional(int index, std::string_view text) {
  return text.empty() ? bind_null(index) : bind(index, text);
}

int Statement::step() { return sqlite3_step(stmt_.get()); }

void Statement::reset() {
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
}

int64_t Statement::column_int(int index) const { return sqlite3_column_int64(stmt_.get(), index); }
double Statement::column_double(int index) const { return sqlite3_column_double(stmt_.get(), index); }

std::string Statement::column_text(int index) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_.get(), index));
  if (text == nullptr) return {};
  return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt_.get(), index)));
}

bool Statement::column_is_null(int index) const { return sqlite3_column_type(stmt_.get(), index) == SQLITE_NULL; }

UnsyncedCommits::UnsyncedCommits(sqlite3* db, bool active) : db_(db), active_(active) {
  if (active_) (void)exec(db_, "PRAGMA synchronous = NORMAL");
}

UnsyncedCommits::~UnsyncedCommits() {
  if (active_) (void)exec(db_, "PRAGMA synchronous = FULL");
}

void set_busy_wait(sqlite3* db, std::chrono::microseconds longest) {
  sqlite3_busy_handler(db, wait_briefly, reinterpret_cast<void*>(static_cast<std::intptr_t>(longest.count())));
}

std::expected<Db, StoreError> open_connection(const std::filesystem::path& path, bool read_only) {
  sqlite3* raw = nullptr;
  int flags = read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  flags |= SQLITE_OPEN_NOMUTEX;  // each connection is used by one thread at a time
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Db db(raw);
  if (rc != SQLITE_OK) {
    return std::unexpected(StoreError{StoreError::Code::kUnavailable,
                                      fmt::format("cannot open {}: {}", path.string(),
                                                  raw ? sqlite3_errmsg(raw) : "out of memory")});
  }
  set_busy_wait(db.get(), kBusyTimeout);
  sqlite3_extended_result_codes(db.get(), 1);
  return db;
}

std::expected<void, StoreError> exec(sqlite3* db, std::string_view sql) {
  std::string owned(sql);
  char* message = nullptr;
  if (sqlite3_exec(db, owned.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    StoreError error = error_from(db, fmt::format("running {}", sql.substr(0, 60)));
    sqlite3_free(message);
    return std::unexpected(std::move(error));
  }
  return {};
}

}  // namespace cordon::store::sqlite
