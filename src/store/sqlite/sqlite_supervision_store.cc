#include "store/sqlite/sqlite_supervision_store.h"

#include <condition_variable>
#include <mutex>
#include <thread>

#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_db.h"

namespace cordon::store::sqlite {
namespace {

constexpr Migration kMigrations[] = {
    {1, "supervision op log, alarms, secrets",
     R"sql(
CREATE TABLE supervision_ops (
  seq INTEGER PRIMARY KEY,
  time INTEGER NOT NULL,
  kind TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE TABLE supervision_alarms (
  id INTEGER PRIMARY KEY,
  journey INTEGER NOT NULL,
  state TEXT NOT NULL,
  patrol TEXT,
  body TEXT NOT NULL
);
CREATE INDEX supervision_alarms_state ON supervision_alarms(state, id);
CREATE TABLE supervision_secrets (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
)sql"},
};

// WAL checkpoints off the committing thread. SQLite's automatic checkpoint runs inside the
// COMMIT that crosses 1000 WAL pages, on the thread that commits: for the op log that is the
// ingest thread, holding the engine lock, and the checkpoint is where WAL mode with NORMAL sync
// does its fsyncs (measured by bench/supervision_network: 5-500 ms each at 20,000 msg/s, every
// few batches). Here the commit only signals; a thread with its own connection runs a PASSIVE
// checkpoint, which copies committed frames without taking the write lock, so commits go on.
// Durability is unchanged: a commit is in the WAL when it returns (NORMAL: not fsynced until a
// checkpoint), exactly as with the automatic checkpoint.
class Checkpointer {
 public:
  static constexpr int kWalPages = 1000;  // SQLite's automatic checkpoint threshold

  explicit Checkpointer(Db connection) : db_(std::move(connection)), thread_([this] { run(); }) {}
  ~Checkpointer() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    cv_.notify_one();
    thread_.join();
  }
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Installed with sqlite3_wal_hook on the writing connection (it replaces the automatic
  // checkpoint there); called after each commit with the pages now in the WAL.
  static int on_commit(void* self, sqlite3*, const char*, int pages) {
    if (pages >= kWalPages) static_cast<Checkpointer*>(self)->request();
    return SQLITE_OK;
  }

 private:
  void request() {
    {
      std::lock_guard lock(mutex_);
      requested_ = true;
    }
    cv_.notify_one();
  }
  void run() {
    std::unique_lock lock(mutex_);
    while (true) {
      cv_.wait(lock, [&] { return stopping_ || requested_; });
      if (stopping_) return;
      requested_ = false;
      lock.unlock();
      (void)sqlite3_wal_checkpoint_v2(db_.get(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
      lock.lock();
    }
  }

  Db db_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool requested_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

class SqliteSupervisionStore final : public SupervisionStore {
 public:
  SqliteSupervisionStore(Db db, Db checkpoint_connection)
      : db_(std::move(db)), checkpointer_(std::make_unique<Checkpointer>(std::move(checkpoint_connection))) {
    sqlite3_wal_hook(db_.get(), &Checkpointer::on_commit, checkpointer_.get());
  }
  ~SqliteSupervisionStore() override {
    sqlite3_wal_hook(db_.get(), nullptr, nullptr);
    checkpointer_.reset();
  }

  Result<void> commit(std::span<const SupervisionOp> ops, std::span<const StoredAlarm> alarms) override {
    std::lock_guard lock(mutex_);
    if (auto r = exec(db_.get(), "BEGIN IMMEDIATE"); !r) return r;
    Statement op(db_.get(), "INSERT INTO supervision_ops(time, kind, body) VALUES (?, ?, ?)");
    Statement alarm(db_.get(),
                    "INSERT INTO supervision_alarms(id, journey, state, patrol, body) VALUES (?, ?, ?, ?, ?) "
                    "ON CONFLICT(id) DO UPDATE SET state = excluded.state, patrol = excluded.patrol, body = excluded.body");
    for (const auto& o : ops) {
      op.bind(1, o.time).bind(2, o.kind).bind(3, o.body);
      if (op.step() != SQLITE_DONE) return rollback("appending a supervision op");
      op.reset();
    }
    for (const auto& a : alarms) {
      alarm.bind(1, static_cast<int64_t>(a.id)).bind(2, static_cast<int64_t>(a.journey)).bind(3, a.state);
      alarm.bind_optional(4, a.patrol).bind(5, a.json);
      if (alarm.step() != SQLITE_DONE) return rollback("storing an alarm");
      alarm.reset();
    }
    return exec(db_.get(), "COMMIT");
  }

  Result<void> replay(const std::function<void(const SupervisionOp&)>& visit) override {
    std::lock_guard lock(mutex_);
    Statement s(db_.get(), "SELECT seq, time, kind, body FROM supervision_ops ORDER BY seq", false);
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) {
      visit(SupervisionOp{s.column_int(0), s.column_int(1), s.column_text(2), s.column_text(3)});
    }
    if (rc != SQLITE_DONE) return std::unexpected(error_from(db_.get(), "replaying supervision ops"));
    return {};
  }

  Result<std::vector<StoredAlarm>> alarms(std::optional<std::string> state, std::optional<std::string> patrol,
                                          int limit) override {
    std::lock_guard lock(mutex_);
    Statement s(db_.get(),
                "SELECT id, journey, state, patrol, body FROM supervision_alarms "
                "WHERE (?1 IS NULL OR state = ?1) AND (?2 IS NULL OR patrol = ?2) ORDER BY id DESC LIMIT ?3",
                false);
    if (state) s.bind(1, *state); else s.bind_null(1);
    if (patrol) s.bind(2, *patrol); else s.bind_null(2);
    s.bind(3, static_cast<int64_t>(limit));
    std::vector<StoredAlarm> out;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) {
      out.push_back({static_cast<std::uint64_t>(s.column_int(0)), static_cast<std::uint64_t>(s.column_int(1)),
                     s.column_text(2), s.column_is_null(3) ? "" : s.column_text(3), s.column_text(4)});
    }
    if (rc != SQLITE_DONE) return std::unexpected(error_from(db_.get(), "listing alarms"));
    return out;
  }

  Result<std::optional<std::string>> secret(const std::string& name) override {
    std::lock_guard lock(mutex_);
    return secret_locked(name);
  }

  Result<std::string> put_secret_once(const std::string& name, const std::string& value) override {
    std::lock_guard lock(mutex_);
    Statement s(db_.get(), "INSERT OR IGNORE INTO supervision_secrets(name, value) VALUES (?, ?)", false);
    s.bind(1, name).bind(2, value);
    if (s.step() != SQLITE_DONE) return std::unexpected(error_from(db_.get(), "storing a secret"));
    auto stored = secret_locked(name);
    if (!stored) return std::unexpected(stored.error());
    if (!*stored) return std::unexpected(StoreError{StoreError::Code::kInternal, "secret vanished"});
    return **stored;
  }

 private:
  Result<std::optional<std::string>> secret_locked(const std::string& name) {
    Statement s(db_.get(), "SELECT value FROM supervision_secrets WHERE name = ?", false);
    s.bind(1, name);
    int rc = s.step();
    if (rc == SQLITE_ROW) return std::optional<std::string>(s.column_text(0));
    if (rc == SQLITE_DONE) return std::optional<std::string>();
    return std::unexpected(error_from(db_.get(), "reading a secret"));
  }

  std::unexpected<StoreError> rollback(std::string_view doing) {
    StoreError e = error_from(db_.get(), doing);
    (void)exec(db_.get(), "ROLLBACK");
    return std::unexpected(e);
  }

  std::mutex mutex_;
  Db db_;
  std::unique_ptr<Checkpointer> checkpointer_;
};

}  // namespace

Result<std::unique_ptr<SupervisionStore>> open_supervision_store(const std::filesystem::path& path) {
  auto db = open_connection(path, false);
  if (!db) return std::unexpected(db.error());
  // The op log is appended at telemetry rate; WAL with NORMAL sync loses at most the last
  // commits on power loss, never corrupts (the core store sets WAL on the file).
  (void)exec(db->get(), "PRAGMA synchronous=NORMAL");
  if (auto r = apply_migrations(db->get(), "supervision_schema_migrations", kMigrations); !r) {
    return std::unexpected(r.error());
  }
  auto checkpoint_connection = open_connection(path, false);
  if (!checkpoint_connection) return std::unexpected(checkpoint_connection.error());
  // Without a first read the connection does not know the file is in WAL mode and its
  // checkpoints are silent no-ops (see open_sqlite_store).
  if (auto r = exec(checkpoint_connection->get(), "SELECT 1 FROM sqlite_master LIMIT 1"); !r) {
    return std::unexpected(r.error());
  }
  return std::unique_ptr<SupervisionStore>(
      std::make_unique<SqliteSupervisionStore>(std::move(*db), std::move(*checkpoint_connection)));
}

}  // namespace cordon::store::sqlite
