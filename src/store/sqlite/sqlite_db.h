// Thin RAII wrappers over the SQLite C API, private to the SQLite store.
#pragma once

#include <sqlite3.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <expected>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.h"

namespace cordon::store::sqlite {

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Db = std::unique_ptr<sqlite3, DbCloser>;

StoreError error_from(sqlite3* db, std::string_view doing);

// A prepared statement, reset after each use. Binding indexes start at 1 as in SQLite.
class Statement {
 public:
  Statement() = default;
  // Prepares `sql`; on failure valid() is false and error() says why.
  Statement(sqlite3* db, std::string_view sql, bool persistent = true);

  bool valid() const { return stmt_ != nullptr; }
  const std::string& error() const { return error_; }

  Statement& bind(int index, std::string_view text);
  // Without a copy: `text` must stay alive and unchanged until reset(). For large values bound
  // right before step() (documents, decision bodies).
  Statement& bind_static(int index, std::string_view text);
  Statement& bind(int index, int64_t value);
  Statement& bind(int index, double value);
  Statement& bind_null(int index);
  // Binds NULL for an empty string: optional fields are NULL, not "".
  Statement& bind_optional(int index, std::string_view text);

  // SQLITE_ROW, SQLITE_DONE or an error code.
  int step();
  void reset();

  int64_t column_int(int index) const;
  double column_double(int index) const;
  std::string column_text(int index) const;
  bool column_is_null(int index) const;

 private:
  struct Finalizer {
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
  };
  std::unique_ptr<sqlite3_stmt, Finalizer> stmt_;
  std::string error_;
};

// Group commit (leader/follower): a caller queues its write; whoever finds no write in progress
// becomes the leader and writes everything queued so far in one transaction, while later
// callers queue up for the next one. Under load this turns N fsyncs into one without adding
// latency when idle. `Pending` is the caller's record of its write, with a `bool done`; the
// write function fills in each record's outcome.
template <typename Pending>
class GroupCommit {
 public:
  // Returns once a transaction holding `pending` has been written by write(group), on this
  // thread or on another caller's.
  template <typename Write>
  void run(Pending& pending, Write&& write) {
    std::unique_lock lock(mutex_);
    queue_.push_back(&pending);
    while (!pending.done) {
      if (!leader_active_) {
        leader_active_ = true;
        std::vector<Pending*> group;
        group.swap(queue_);
        lock.unlock();
        write(group);
        lock.lock();
        for (Pending* p : group) p->done = true;
        leader_active_ = false;
        done_.notify_all();
      } else {
        done_.wait(lock);
      }
    }
  }

 private:
  std::mutex mutex_;
  std::condition_variable done_;
  std::vector<Pending*> queue_;
  bool leader_active_ = false;
};

// While alive (and active), commits on `db` are not flushed to disk (synchronous = NORMAL): for
// a caller that flushes the WAL itself before it acknowledges anything (Store::sync()), so the
// flush happens outside the write lock and other writers need not wait for the disk.
// REQUIRES: db's own setting is synchronous = FULL (restored on destruction).
class UnsyncedCommits {
 public:
  UnsyncedCommits(sqlite3* db, bool active);
  ~UnsyncedCommits();
  UnsyncedCommits(const UnsyncedCommits&) = delete;
  UnsyncedCommits& operator=(const UnsyncedCommits&) = delete;

 private:
  sqlite3* db_;
  bool active_;
};

// Opens a connection with Cordon's settings (a busy handler that retries within a fraction
// of a millisecond for up to 10 s, extended result codes); each connection is used by one
// thread at a time.
std::expected<Db, StoreError> open_connection(const std::filesystem::path& path, bool read_only);

// How long a statement of `db` waits for a lock another connection holds before it fails with
// SQLITE_BUSY (open_connection sets 10 s).
void set_busy_wait(sqlite3* db, std::chrono::microseconds longest);

// Runs one statement to completion, with no result rows expected.
std::expected<void, StoreError> exec(sqlite3* db, std::string_view sql);

}  // namespace cordon::store::sqlite
