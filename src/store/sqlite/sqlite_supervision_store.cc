#include "store/sqlite/sqlite_supervision_store.h"

#include <mutex>

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

class SqliteSupervisionStore final : public SupervisionStore {
 public:
  explicit SqliteSupervisionStore(Db db) : db_(std::move(db)) {}

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
  return std::unique_ptr<SupervisionStore>(std::make_unique<SqliteSupervisionStore>(std::move(*db)));
}

}  // namespace cordon::store::sqlite
