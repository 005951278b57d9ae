#include "store/sqlite/sqlite_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <condition_variable>
#include <stop_token>
#include <thread>
#include <mutex>
#include <variant>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/declaration_json.h"
#include "core/identifiers.h"
#include "core/time.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_db.h"

namespace cordon::store {
namespace {

using sqlite::Db;
using sqlite::Statement;

constexpr int kMaxListLimit = 1000;

// Lodged times are compared as text, so they are stored in one form: UTC with seconds.
std::string normalised_timestamp(const std::string& text) {
  if (auto seconds = parse_timestamp(text)) return format_timestamp(*seconds);
  return text;
}

Result<void> check(int rc, sqlite3* db, std::string_view doing) {
  if (rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW) return {};
  return std::unexpected(sqlite::error_from(db, doing));
}

// The writer's prepared statements, made once per store.
struct WriteStatements {
  // A group commit's declaration keys go in together, sorted, kKeysPerStatement rows per
  // statement: insert_keys[n - 1] inserts n.
  static constexpr std::size_t kKeysPerStatement = 32;

  Statement find_existing, insert_declaration, insert_audit, upsert_assessment, declaration_exists;
  std::array<Statement, kKeysPerStatement> insert_keys;

  explicit WriteStatements(sqlite3* db)
      : find_existing(db, "SELECT id, content_fingerprint FROM declarations WHERE declarant_eori = ?1 AND reference = ?2"),
        // A reference the declarant already used changes no row; find_existing then tells a
        // resent duplicate from a conflict. (Looking first would cost every new declaration
        // a search.)
        insert_declaration(db,
                           "INSERT INTO declarations (reference, declarant_eori, declarant_name, consignor_name, "
                           "consignee_name, kind, mode, office_of_first_entry, loading_date, arrival_date, lodged_at, "
                           "received_at, goods_count, content_fingerprint, document) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15) "
                           "ON CONFLICT (declarant_eori, reference) DO NOTHING"),
        insert_audit(db, "INSERT INTO audit_log (at, actor, action, object, detail) VALUES (?1, ?2, ?3, ?4, ?5)"),
        upsert_assessment(db,
                          "INSERT INTO assessments (declaration_id, channel, score, reasons, assessed_at) "
                          "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (declaration_id) DO UPDATE SET "
                          "channel = excluded.channel, score = excluded.score, reasons = excluded.reasons, "
                          "assessed_at = excluded.assessed_at, decision_seq = NULL"),
        declaration_exists(db, "SELECT 1 FROM declarations WHERE id = ?1") {
    std::string sql = "INSERT OR IGNORE INTO declaration_keys (key, declaration_id) VALUES (?, ?)";
    for (std::size_t n = 1; n <= kKeysPerStatement; ++n) {
      if (n > 1) sql += ", (?, ?)";
      insert_keys[n - 1] = Statement(db, sql);
    }
  }

  std::optional<std::string> first_error() const {
    for (const Statement* s : {&find_existing, &insert_declaration, &insert_audit, &upsert_assessment,
                               &declaration_exists}) {
      if (!s->valid()) return s->error();
    }
    for (const Statement& s : insert_keys) {
      if (!s.valid()) return s.error();
    }
    return std::nullopt;
  }
};

// The declaration_keys rows of a declaration (see migration 4): what list_declarations filters
// on besides the declarations table's own columns. Sorted, without repeats.
std::vector<std::string> declaration_keys(const Declaration& d) {
  std::vector<std::string> keys;
  keys.reserve(d.parties.size() + 3 * d.goods.size() + 4);
  for (const Party& p : d.parties) {
    if (!p.eori.empty()) keys.push_back("e:" + p.eori);
  }
  for (const GoodsItem& g : d.goods) {
    keys.push_back("h:" + g.hs_code);
    keys.push_back("o:" + g.origin_country);
    for (const std::string& container : g.containers) keys.push_back("c:" + container);
  }
  for (const std::string* vehicle : {&d.transport.vehicle_plate, &d.transport.vehicle_vin, &d.transport.trailer_plate,
                                     &d.transport.trailer_vin}) {
    if (!vehicle->empty()) keys.push_back("v:" + ids::normalize_plate(*vehicle));
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

class SqliteStore final : public Store {
 public:
  SqliteStore(std::filesystem::path path, bool full_sync, Db writer, std::vector<Db> readers, Db checkpointer)
      : path_(std::move(path)), full_sync_(full_sync), writer_(std::move(writer)), statements_(writer_.get()) {
    for (auto& reader : readers) idle_readers_.push_back(std::move(reader));
    // Checkpoints copy the WAL back into the database file. Left to SQLite they run inside a
    // COMMIT, on the single writer's clock (a tenth of ingestion time, measured); here they run
    // beside it on their own connection and do not block the writer (PASSIVE).
    //
    // A PASSIVE checkpoint never lets the WAL start over while commits keep coming (it never
    // catches up with the last frame), so under sustained intake the WAL grew without bound —
    // 570 MB for 60,000 declarations — and every commit appended to a fresh part of the file,
    // which costs the file system a block allocation per page. Once the WAL holds more than
    // kRestartFrames, a RESTART checkpoint copies the few frames PASSIVE left, holding back
    // writers for that moment, and the next commit writes from the start of the file again.
    // It holds this store's writer back (writer_mutex_, passing restart_gate_ first), or that
    // writer, committing back to back, would keep the lock from it; it waits at most 50 ms for
    // the other connections' writers and for readers of the WAL (a long read, an export, would
    // otherwise hold every writer back with it), and when it cannot have them it does what
    // PASSIVE does and tries again next round.
    sqlite::set_busy_wait(checkpointer.get(), std::chrono::milliseconds(50));
    checkpoint_thread_ = std::jthread([this, db = std::move(checkpointer)](std::stop_token stop) mutable {
      constexpr int kRestartFrames = 4096;  // 16 MiB of 4 KiB pages
      std::mutex m;
      std::condition_variable_any wake;
      while (!stop.stop_requested()) {
        std::unique_lock lock(m);
        wake.wait_for(lock, stop, std::chrono::milliseconds(100), [] { return false; });
        int log_frames = 0;
        sqlite3_wal_checkpoint_v2(db.get(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &log_frames, nullptr);
        if (log_frames > kRestartFrames) {
          std::lock_guard gate(restart_gate_);
          std::lock_guard writer(writer_mutex_);
          sqlite3_wal_checkpoint_v2(db.get(), nullptr, SQLITE_CHECKPOINT_RESTART, nullptr, nullptr);
        }
      }
      // Leave a short WAL behind on a clean shutdown.
      sqlite3_wal_checkpoint_v2(db.get(), nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
    });
  }

  ~SqliteStore() override {
    checkpoint_thread_.request_stop();
    checkpoint_thread_.join();
  }

  std::optional<std::string> statement_error() const { return statements_.first_error(); }

  Result<std::vector<InsertResult>> insert_declarations(std::span<NewDeclaration> declarations,
                                                        const AuditEntry* audit, Durability durability) override {
    // Encoding, the lodging time in its stored form and the keys are made here, on the caller's
    // thread, so that the single writer does nothing but SQL.
    std::vector<RowValues> values;
    values.reserve(declarations.size());
    for (NewDeclaration& d : declarations) {
      if (d.document_json.empty()) {
        d.declaration.id = 0;
        d.document_json = declaration_to_json_text(d.declaration);
      }
      values.push_back({d.declaration.lodged_at.empty() ? std::string() : normalised_timestamp(d.declaration.lodged_at),
                        declaration_keys(d.declaration)});
    }
    PendingWrite pending{declarations, values, audit, durability == Durability::kDeferred, false, {}};
    return group_commit(pending);
  }

  Result<void> sync() override {
    if (!full_sync_) return {};  // synchronous=NORMAL promises no durability against a power cut
    // Coalesced: a flush that starts after this call began covers everything committed before
    // the call, so callers arriving together share one fdatasync instead of queueing one each
    // behind the disk.
    std::unique_lock lock(sync_mutex_);
    const uint64_t ticket = ++sync_requested_;
    while (sync_completed_ < ticket) {
      if (sync_running_) {
        sync_done_.wait(lock);
        continue;
      }
      sync_running_ = true;
      const uint64_t covers = sync_requested_;
      lock.unlock();
      Result<void> flushed = flush_wal();
      lock.lock();
      sync_running_ = false;
      if (flushed) sync_completed_ = std::max(sync_completed_, covers);
      sync_done_.notify_all();
      if (!flushed) return flushed;  // the callers waiting try again themselves
    }
    return {};
  }

  // In WAL mode a commit is durable once its frames are on disk in the -wal file; fdatasync
  // flushes the whole file, whichever connection wrote to it.
  Result<void> flush_wal() {
    std::string wal = path_.string() + "-wal";
    int fd = ::open(wal.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      if (errno == ENOENT) return {};  // no WAL: nothing was written since the last checkpoint
      return std::unexpected(StoreError{StoreError::Code::kUnavailable, fmt::format("opening {}: {}", wal, std::strerror(errno))});
    }
    int rc = ::fdatasync(fd);
    int error = errno;
    ::close(fd);
    if (rc != 0) {
      return std::unexpected(StoreError{StoreError::Code::kUnavailable, fmt::format("flushing {}: {}", wal, std::strerror(error))});
    }
    return {};
  }

  Result<StoredDeclaration> get_declaration(int64_t id) override {
    auto reader = acquire_reader();
    Statement stmt(reader.get(), "SELECT document, received_at FROM declarations WHERE id = ?1");
    if (!stmt.valid()) return internal(stmt.error());
    stmt.bind(1, id);
    int rc = stmt.step();
    if (rc == SQLITE_DONE) {
      return std::unexpected(StoreError{StoreError::Code::kNotFound, fmt::format("no declaration {}", id)});
    }
    if (rc != SQLITE_ROW) return std::unexpected(sqlite::error_from(reader.get(), "reading a declaration"));
    auto decoded = declaration_from_json_text(stmt.column_text(0));
    if (!decoded) {
      return internal(fmt::format("stored declaration {} does not decode: {}", id, decoded.error().front().to_string()));
    }
    StoredDeclaration stored{std::move(*decoded), stmt.column_text(1)};
    stored.declaration.id = id;
    return stored;
  }

  Result<DeclarationPage> list_declarations(const DeclarationFilter& filter) override {
    if (filter.limit < 1 || filter.limit > kMaxListLimit) {
      return std::unexpected(StoreError{StoreError::Code::kInvalidArgument,
                                        fmt::format("limit must be between 1 and {}", kMaxListLimit)});
    }
    std::string sql =
        "SELECT d.id, d.reference, d.kind, d.mode, d.declarant_name, d.declarant_eori, d.consignor_name, "
        "d.consignee_name, d.office_of_first_entry, d.lodged_at, d.received_at, d.goods_count, a.channel, a.score, "
        "(SELECT COUNT(*) FROM screening_hits h WHERE h.declaration_id = d.id) "
        "FROM declarations d LEFT JOIN assessments a ON a.declaration_id = d.id WHERE 1";
    std::vector<std::variant<std::string, int64_t>> params;
    auto where = [&](std::string_view clause, auto value) {
      sql += " AND ";
      sql += clause;
      params.emplace_back(value);
    };
    if (!filter.reference.empty()) where("d.reference = ?", filter.reference);
    if (!filter.declarant_eori.empty()) where("d.declarant_eori = ?", filter.declarant_eori);
    if (!filter.party_eori.empty()) {
      sql += " AND (d.declarant_eori = ? OR d.id IN (SELECT declaration_id FROM declaration_keys WHERE key = ?))";
      params.emplace_back(filter.party_eori);
      params.emplace_back("e:" + filter.party_eori);
    }
    if (!filter.office_of_first_entry.empty()) where("d.office_of_first_entry = ?", filter.office_of_first_entry);
    if (!filter.offices_any.empty()) {
      sql += " AND d.office_of_first_entry IN (";
      for (std::size_t i = 0; i < filter.offices_any.size(); ++i) {
        sql += i == 0 ? "?" : ", ?";
        params.emplace_back(filter.offices_any[i]);
      }
      sql += ")";
    }
    if (filter.kind) where("d.kind = ?", std::string(to_string(*filter.kind)));
    if (filter.mode) where("d.mode = ?", std::string(to_string(*filter.mode)));
    if (!filter.hs_prefix.empty()) {
      // A range on the indexed column rather than LIKE, which SQLite cannot always index.
      sql += " AND d.id IN (SELECT declaration_id FROM declaration_keys WHERE key >= ? AND key < ?)";
      params.emplace_back("h:" + filter.hs_prefix);
      params.emplace_back("h:" + filter.hs_prefix + ":");  // ':' sorts just after '9'
    }
    constexpr std::string_view kKeyIs = "d.id IN (SELECT declaration_id FROM declaration_keys WHERE key = ?)";
    if (!filter.origin_country.empty()) where(kKeyIs, "o:" + filter.origin_country);
    if (!filter.container.empty()) where(kKeyIs, "c:" + filter.container);
    if (!filter.vehicle.empty()) where(kKeyIs, "v:" + ids::normalize_plate(filter.vehicle));
    if (!filter.lodged_from.empty()) where("d.lodged_at >= ?", normalised_timestamp(filter.lodged_from));
    if (!filter.lodged_to.empty()) where("d.lodged_at < ?", normalised_timestamp(filter.lodged_to));
    if (!filter.channel.empty()) where("a.channel = ?", filter.channel);
    if (filter.before_id) where("d.id < ?", *filter.before_id);
    sql += " ORDER BY d.id DESC LIMIT ?";
    params.emplace_back(static_cast<int64_t>(filter.limit + 1));  // one more tells whether a next page exists

    auto reader = acquire_reader();
    Statement stmt(reader.get(), sql, false);
    if (!stmt.valid()) return internal(stmt.error());
    for (std::size_t i = 0; i < params.size(); ++i) {
      std::visit([&](const auto& v) { stmt.bind(static_cast<int>(i + 1), v); }, params[i]);
    }
    DeclarationPage page;
    int rc;
    while ((rc = stmt.step()) == SQLITE_ROW) {
      if (static_cast<int>(page.items.size()) == filter.limit) {
        page.next_cursor = page.items.back().id;
        break;
      }
      DeclarationSummary s;
      s.id = stmt.column_int(0);
      s.reference = stmt.column_text(1);
      s.kind = parse_declaration_kind(stmt.column_text(2)).value_or(DeclarationKind::kEntrySummary);
      s.mode = parse_transport_mode(stmt.column_text(3)).value_or(TransportMode::kSea);
      s.declarant_name = stmt.column_text(4);
      s.declarant_eori = stmt.column_text(5);
      s.consignor_name = stmt.column_text(6);
      s.consignee_name = stmt.column_text(7);
      s.office_of_first_entry = stmt.column_text(8);
      s.lodged_at = stmt.column_text(9);
      s.received_at = stmt.column_text(10);
      s.goods_count = static_cast<int>(stmt.column_int(11));
      if (!stmt.column_is_null(12)) s.channel = stmt.column_text(12);
      if (!stmt.column_is_null(13)) s.score = stmt.column_double(13);
      s.hit_count = static_cast<int>(stmt.column_int(14));
      page.items.push_back(std::move(s));
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
      return std::unexpected(sqlite::error_from(reader.get(), "listing declarations"));
    }
    return page;
  }

  Result<int64_t> count_declarations() override {
    auto reader = acquire_reader();
    Statement stmt(reader.get(), "SELECT count(*) FROM declarations");
    if (!stmt.valid()) return internal(stmt.error());
    if (stmt.step() != SQLITE_ROW) return std::unexpected(sqlite::error_from(reader.get(), "counting declarations"));
    return stmt.column_int(0);
  }

  Result<void> put_assessment(const Assessment& a) override {
    std::lock_guard lock(writer_mutex_);
    Statement& exists = statements_.declaration_exists;
    exists.bind(1, a.declaration_id);
    int rc = exists.step();
    exists.reset();
    if (rc == SQLITE_DONE) {
      return std::unexpected(
          StoreError{StoreError::Code::kNotFound, fmt::format("no declaration {}", a.declaration_id)});
    }
    if (rc != SQLITE_ROW) return std::unexpected(sqlite::error_from(writer_.get(), "checking a declaration"));
    Statement& upsert = statements_.upsert_assessment;
    upsert.bind(1, a.declaration_id)
        .bind(2, a.channel)
        .bind(3, a.score)
        .bind(4, a.reasons_json.empty() ? std::string_view("{}") : std::string_view(a.reasons_json))
        .bind(5, a.assessed_at.empty() ? now_timestamp() : a.assessed_at);
    rc = upsert.step();
    upsert.reset();
    return check(rc, writer_.get(), "storing an assessment");
  }

  Result<std::optional<Assessment>> get_assessment(int64_t declaration_id) override {
    auto reader = acquire_reader();
    Statement stmt(reader.get(),
                   "SELECT channel, score, reasons, assessed_at, decision_seq FROM assessments WHERE declaration_id = ?1");
    if (!stmt.valid()) return internal(stmt.error());
    stmt.bind(1, declaration_id);
    int rc = stmt.step();
    if (rc == SQLITE_DONE) return std::optional<Assessment>{};
    if (rc != SQLITE_ROW) return std::unexpected(sqlite::error_from(reader.get(), "reading an assessment"));
    Assessment a{declaration_id, stmt.column_text(0), stmt.column_double(1), stmt.column_text(2), stmt.column_text(3)};
    if (!stmt.column_is_null(4)) {
      // Written with its decision-log entry (the risk store's table in this file): the reasons
      // are that entry's body.
      Statement body(reader.get(), "SELECT body_json FROM decision_log WHERE seq = ?1", false);
      if (!body.valid()) return internal(body.error());
      body.bind(1, stmt.column_int(4));
      if (body.step() != SQLITE_ROW) {
        return internal(fmt::format("the assessment of declaration {} points at decision entry {}, which cannot be read",
                                    declaration_id, stmt.column_int(4)));
      }
      a.reasons_json = body.column_text(0);
    }
    return std::optional<Assessment>{std::move(a)};
  }

  // Through the group commit: officers' reads are audited too, and at hundreds of reads a
  // second one fsync per entry would not keep up.
  Result<int64_t> append_audit(const AuditEntry& entry) override {
    PendingWrite pending{{}, {}, &entry, false, false, {}};
    auto written = group_commit(pending);
    if (!written) return std::unexpected(written.error());
    return pending.audit_id;
  }

  Result<std::vector<AuditEntry>> list_audit(int64_t after_id, int limit) override {
    auto reader = acquire_reader();
    Statement stmt(reader.get(),
                   "SELECT id, at, actor, action, object, detail FROM audit_log WHERE id > ?1 ORDER BY id LIMIT ?2");
    if (!stmt.valid()) return internal(stmt.error());
    stmt.bind(1, after_id).bind(2, static_cast<int64_t>(std::clamp(limit, 1, 10000)));
    std::vector<AuditEntry> entries;
    int rc;
    while ((rc = stmt.step()) == SQLITE_ROW) {
      entries.push_back(AuditEntry{stmt.column_int(0), stmt.column_text(1), stmt.column_text(2), stmt.column_text(3),
                                   stmt.column_text(4), stmt.column_text(5)});
    }
    if (rc != SQLITE_DONE) return std::unexpected(sqlite::error_from(reader.get(), "listing the audit log"));
    return entries;
  }


  // --- accounts, sessions, tokens: rare writes, so plain statements under the writer lock ----

  Result<void> create_user(const User& u) override {
    std::lock_guard lock(writer_mutex_);
    Statement stmt(writer_.get(),
                   "INSERT INTO users (username, display_name, password_hash, roles, offices, disabled, "
                   "failed_attempts, locked_until, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                   false);
    if (!stmt.valid()) return internal(stmt.error());
    bind_user(stmt, u);
    stmt.bind(9, u.created_at.empty() ? now_timestamp() : u.created_at);
    int rc = stmt.step();
    if ((rc & 0xff) == SQLITE_CONSTRAINT) {
      return std::unexpected(StoreError{StoreError::Code::kConflict, fmt::format("user {} exists", u.username)});
    }
    return check(rc, writer_.get(), "creating a user");
  }

  Result<User> get_user(const std::string& username) override {
    auto users = read_users("WHERE username = ?1", username);
    if (!users) return std::unexpected(users.error());
    if (users->empty()) {
      return std::unexpected(StoreError{StoreError::Code::kNotFound, fmt::format("no user {}", username)});
    }
    return std::move(users->front());
  }

  Result<std::vector<User>> list_users() override { return read_users("ORDER BY username", ""); }

  Result<void> update_user(const User& u) override {
    std::lock_guard lock(writer_mutex_);
    Statement stmt(writer_.get(),
                   "UPDATE users SET display_name = ?2, password_hash = ?3, roles = ?4, offices = ?5, disabled = ?6, "
                   "failed_attempts = ?7, locked_until = ?8 WHERE username = ?1",
                   false);
    if (!stmt.valid()) return internal(stmt.error());
    bind_user(stmt, u);
    int rc = stmt.step();
    if (auto ok = check(rc, writer_.get(), "updating a user"); !ok) return ok;
    if (sqlite3_changes(writer_.get()) == 0) {
      return std::unexpected(StoreError{StoreError::Code::kNotFound, fmt::format("no user {}", u.username)});
    }
    return {};
  }

  Result<void> create_session(const Session& s) override {
    std::lock_guard lock(writer_mutex_);
    // Expired sessions are swept here: sign-ins are rare enough for that to cost nothing.
    Statement sweep(writer_.get(), "DELETE FROM sessions WHERE expires_at < ?1", false);
    sweep.bind(1, now_timestamp());
    sweep.step();
    Statement stmt(writer_.get(),
                   "INSERT INTO sessions (id_hash, username, csrf_token, created_at, expires_at) "
                   "VALUES (?1, ?2, ?3, ?4, ?5)",
                   false);
    if (!stmt.valid()) return internal(stmt.error());
    stmt.bind(1, s.id_hash).bind(2, s.username).bind(3, s.csrf_token).bind(4, s.created_at).bind(5, s.expires_at);
    return check(stmt.step(), writer_.get(), "creating a session");
  }

  Result<Session> get_session(const std::string& id_hash) override {
    auto reader = acquire_reader();
    Statement stmt(reader.get(),
                   "SELECT id_hash, username, csrf_token, created_at, expires_at FROM sessions WHERE id_hash = ?1");
    if (!stmt.valid()) return internal(stmt.error());
    stmt.bind(1, id_hash);
    int rc = stmt.step();
    if (rc == SQLITE_DONE) return std::unexpected(StoreError{StoreError::Code::kNotFound, "no such session"});
    if (rc != SQLITE_ROW) return std::unexpected(sqlite::error_from(reader.get(), "reading a session"));
    return Session{stmt.column_text(0), stmt.column_text(1), stmt.column_text(2), stmt.column_text(3),
                   stmt.column_text(4)};
  }

  Result<void> delete_session(const std::string& id_hash) override {
    std::lock_guard lock(writer_mutex_);
    Statement stmt(writer_.get(), "DELETE FROM sessions WHERE id_hash = ?1", false);
    stmt.bind(1, id_hash);
    return check(stmt.step(), writer_.get(), "deleting a session");
  }

  Result<int64_t> create_token(const ApiToken& t) override {
    std::lock_guard lock(writer_mutex_);
    Statement stmt(writer_.get(),
                   "INSERT INTO api_tokens (token_hash, name, username, created_at) VALUES (?1, ?2, ?3, ?4)", false);
    if (!stmt.valid()) return internal(stmt.error());
    stmt.bind(1, t.token_hash).bind(2, t.name).bind(3, t.username).bind(4, t.created_at.empty() ? now_timestamp() : t.created_at);
    if (auto ok = check(stmt.step(), writer_.get(), "creating a token"); !ok) return std::unexpected(ok.error());
    return sqlite3_last_insert_rowid(writer_.get());
  }

  Result<ApiToken> find_token(const std::string& token_hash) override {
    auto tokens = read_tokens("WHERE token_hash = ?1", token_hash);
    if (!tokens) return std::unexpected(tokens.error());
    if (tokens->empty()) return std::unexpected(StoreError{StoreError::Code::kNotFound, "no such token"});
    return std::move(tokens->front());
  }

  Result<std::vector<ApiToken>> list_tokens() override { return read_tokens("ORDER BY id", ""); }

  Result<void> delete_token(int64_t id) override {
    std::lock_guard lock(writer_mutex_);
    Statement stmt(writer_.get(), "DELETE FROM api_tokens WHERE id = ?1", false);
    stmt.bind(1, id);
    if (auto ok = check(stmt.step(), writer_.get(), "deleting a token"); !ok) return ok;
    if (sqlite3_changes(writer_.get()) == 0) {
      return std::unexpected(StoreError{StoreError::Code::kNotFound, fmt::format("no token {}", id)});
    }
    return {};
  }


  // --- screening: watch lists, exclusions, reviews, hits ------------------------------------

  Result<void> replace_watchlist(const WatchlistVersion& v, const std::vector<StoredWatchlistEntity>& entities) override {
    std::lock_guard lock(writer_mutex_);
    sqlite3* db = writer_.get();
    if (auto r = sqlite::exec(db, "BEGIN IMMEDIATE"); !r) return r;
    auto body = [&]() -> Result<void> {
      Statement clear(db, "DELETE FROM watchlist_entities WHERE list = ?1", false);
      clear.bind(1, v.list);
      if (auto r = check(clear.step(), db, "clearing a watch list"); !r) return r;
      Statement insert(db, "INSERT OR REPLACE INTO watchlist_entities (list, id, document) VALUES (?1, ?2, ?3)", false);
      for (const auto& e : entities) {
        insert.bind(1, e.list).bind(2, e.id).bind(3, e.document_json);
        int rc = insert.step();
        insert.reset();
        if (auto r = check(rc, db, "storing a watch-list entity"); !r) return r;
      }
      Statement version(db,
                        "INSERT INTO watchlist_versions (list, version, imported_at, actor, source, added, changed, "
                        "removed, entity_count) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                        false);
      version.bind(1, v.list)
          .bind(2, v.version)
          .bind(3, v.imported_at.empty() ? now_timestamp() : v.imported_at)
          .bind(4, v.actor)
          .bind(5, v.source)
          .bind(6, v.added)
          .bind(7, v.changed)
          .bind(8, v.removed)
          .bind(9, v.entity_count);
      if (auto r = check(version.step(), db, "recording a watch-list version"); !r) return r;
      return bump_generation();
    };
    auto result = body();
    if (result) result = sqlite::exec(db, "COMMIT");
    if (!result) (void)sqlite::exec(db, "ROLLBACK");
    return result;
  }

  Result<std::vector<StoredWatchlistEntity>> load_watchlists() override {
    auto reader = acquire_reader();
    Statement stmt(reader.get(), "SELECT list, id, document FROM watchlist_entities ORDER BY list, id", false);
    std::vector<StoredWatchlistEntity> out;
    int rc;
    while ((rc = stmt.step()) == SQLITE_ROW) out.push_back({stmt.column_text(0), stmt.column_text(1), stmt.column_text(2)});
    if (rc != SQLITE_DONE) return std::unexpected(sqlite::error_from(reader.get(), "loading watch lists"));
    return out;
  }

  Result<std::vector<WatchlistVersion>> list_watchlist_versions() override {
    auto reader = acquire_reader();
    Statement stmt(reader.get(),
                   "SELECT list, version, imported_at, actor, source, added, changed, removed, entity_count "
                   "FROM watchlist_versions ORDER BY seq",
                   false);
    std::vector<WatchlistVersion> out;
    int rc;
    while ((rc = stmt.step()) == SQLITE_ROW) {
      out.push_back({stmt.column_text(0), stmt.column_int(1), stmt.column_text(2), stmt.column_text(3),
                     stmt.column_text(4), stmt.column_int(5), stmt.column_int(6), stmt.column_int(7),
                     stmt.column_int(8)});
    }
    if (rc != SQLITE_DONE) return std::unexpected(sqlite::error_from(reader.get(), "listing watch-list versions"));
    return out;
  }

  Result<int64_t> screening_generation() override {
    auto reader = acquire_reader();
    Statement stmt(reader.get(), "SELECT value FROM screening_generation");
    if (stmt.step() != SQLITE_ROW) return std::unexpected(sqlite::error_from(reader.get(), "reading the generation"));
    return stmt.column_int(0);
  }

  Result<void> add_screening_exclusion(const std::string& value, const std::string& actor) override {
    return write_and_bump("INSERT OR IGNORE INTO screening_exclusions (value, actor, added_at) VALUES (?1, ?2, ?3)",
                          {value, actor, now_timestamp()}, false);
  }

  Result<void> delete_screening_exclusion(const std::string& value) override {
    return write_and_bump("DELETE FROM screening_exclusions WHERE value = ?1", {value}, true);
  }

  Result<std::vector<std::string>> list_screening_exclusions() override {
    auto reader = acquire_reader();
    Statement stmt(reader.get(), "SELECT value FROM screening_exclusions ORDER BY value", false);
    std::vector<std::string> out;
    int rc;
    while ((rc = stmt.step()) == SQLITE_ROW) out.push_back(stmt.column_text(0));
    if (rc != SQLITE_DONE) return std::unexpected(sqlite::error_from(reader.get(), "listing exclusions"));
    return out;
  }

  Result<void> add_reviewed_false_positive(const ReviewedFalsePositiveRecord& r) override {
    return write_and_bump(
        "INSERT OR REPLACE INTO screening_reviewed_false_positives (list, entity_id, query_value, reviewer, reviewed_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5)",
        {r.list, r.entity_id, r.query_value, r.reviewer, r.reviewed_at.empty() ? now_timestamp() : r.reviewed_at}, false);
  }

  Result<void> delete_reviewed_false_positive(const ReviewedFalsePositiveRecord& r) override {
    return write_and_bump(
        "DELETE FROM screening_reviewed_false_positives WHERE list = ?1 AND entity_id = ?2 AND query_value = ?3",
        {r.list, r.entity_id, r.query_value}, true);
  }

  Result<std::vector<ReviewedFalsePositiveRecord>> list_reviewed_false_positives() override {
    auto reader = acquire_reader();
    Statement stmt(reader.get(),
                   "SELECT list, entity_id, query_value, reviewer, reviewed_at FROM screening_reviewed_false_positives "
                   "ORDER BY reviewed_at",
                   false);
    std::vector<ReviewedFalsePositiveRecord> out;
    int rc;
    while ((rc = stmt.step()) == SQLITE_ROW) {
      out.push_back({stmt.column_text(0), stmt.column_text(1), stmt.column_text(2), stmt.column_text(3), stmt.column_text(4)});
    }
    if (rc != SQLITE_DONE) return std::unexpected(sqlite::error_from(reader.get(), "listing reviewed false positives"));
    return out;
  }

  Result<int64_t> add_hits(const std::vector<StoredHit>& hits, Durability durability) override {
    if (hits.empty()) return int64_t{0};
    std::lock_guard lock(writer_mutex_);
    sqlite3* db = writer_.get();
    sqlite::UnsyncedCommits unsynced(db, full_sync_ && durability == Durability::kDeferred);
    if (auto r = sqlite::exec(db, "BEGIN IMMEDIATE"); !r) return std::unexpected(r.error());
    Statement insert(db,
                     "INSERT OR IGNORE INTO screening_hits (declaration_id, path, value, list, entity_id, score, "
                     "matched_field, matched_value, query_value, explanation, raised_at, raised_by) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                     false);
    int64_t added = 0;
    std::string now = now_timestamp();
    for (const auto& h : hits) {
      insert.bind(1, h.declaration_id)
          .bind(2, h.path)
          .bind(3, h.value)
          .bind(4, h.list)
          .bind(5, h.entity_id)
          .bind(6, h.score)
          .bind(7, h.matched_field)
          .bind(8, h.matched_value)
          .bind(9, h.query_value)
          .bind(10, h.explanation)
          .bind(11, h.raised_at.empty() ? now : h.raised_at)
          .bind(12, h.raised_by);
      int rc = insert.step();
      insert.reset();
      if (rc != SQLITE_DONE) {
        StoreError error = sqlite::error_from(db, "storing a hit");
        (void)sqlite::exec(db, "ROLLBACK");
        return std::unexpected(error);
      }
      added += sqlite3_changes(db);
    }
    if (auto r = sqlite::exec(db, "COMMIT"); !r) {
      (void)sqlite::exec(db, "ROLLBACK");
      return std::unexpected(r.error());
    }
    return added;
  }

  Result<std::vector<StoredHit>> list_hits(int64_t declaration_id) override {
    auto reader = acquire_reader();
    Statement stmt(reader.get(),
                   "SELECT declaration_id, path, value, list, entity_id, score, matched_field, matched_value, "
                   "query_value, explanation, raised_at, raised_by FROM screening_hits WHERE declaration_id = ?1 "
                   "ORDER BY score DESC, id",
                   false);
    stmt.bind(1, declaration_id);
    std::vector<StoredHit> out;
    int rc;
    while ((rc = stmt.step()) == SQLITE_ROW) {
      out.push_back({stmt.column_int(0), stmt.column_text(1), stmt.column_text(2), stmt.column_text(3),
                     stmt.column_text(4), stmt.column_double(5), stmt.column_text(6), stmt.column_text(7),
                     stmt.column_text(8), stmt.column_text(9), stmt.column_text(10), stmt.column_text(11)});
    }
    if (rc != SQLITE_DONE) return std::unexpected(sqlite::error_from(reader.get(), "listing hits"));
    return out;
  }

  Result<void> for_each_declaration_since(const std::string& lodged_from,
                                          const std::function<bool(const Declaration&)>& visit) override {
    auto reader = acquire_reader();
    Statement stmt(reader.get(), "SELECT id, document FROM declarations WHERE lodged_at >= ?1 ORDER BY id", false);
    stmt.bind(1, normalised_timestamp(lodged_from));
    int rc;
    while ((rc = stmt.step()) == SQLITE_ROW) {
      auto decoded = declaration_from_json_text(stmt.column_text(1));
      if (!decoded) continue;  // cannot happen for documents the store wrote; never stop a re-screen for it
      decoded->id = stmt.column_int(0);
      if (!visit(*decoded)) return {};
    }
    if (rc != SQLITE_DONE) return std::unexpected(sqlite::error_from(reader.get(), "reading declarations"));
    return {};
  }

 private:
  // REQUIRES: writer_mutex_ held.
  Result<void> bump_generation() {
    return check(sqlite3_exec(writer_.get(), "UPDATE screening_generation SET value = value + 1", nullptr, nullptr, nullptr),
                 writer_.get(), "bumping the screening generation");
  }

  // One statement and a generation bump in one transaction. `must_change`: kNotFound when the
  // statement changed no row.
  Result<void> write_and_bump(std::string_view sql, const std::vector<std::string>& params, bool must_change) {
    std::lock_guard lock(writer_mutex_);
    sqlite3* db = writer_.get();
    if (auto r = sqlite::exec(db, "BEGIN IMMEDIATE"); !r) return r;
    Statement stmt(db, sql, false);
    for (std::size_t i = 0; i < params.size(); ++i) stmt.bind(static_cast<int>(i + 1), params[i]);
    Result<void> result = check(stmt.step(), db, "writing screening settings");
    if (result && must_change && sqlite3_changes(db) == 0) {
      result = std::unexpected(StoreError{StoreError::Code::kNotFound, "no such entry"});
    }
    if (result) result = bump_generation();
    if (result) result = sqlite::exec(db, "COMMIT");
    if (!result) (void)sqlite::exec(db, "ROLLBACK");
    return result;
  }

 public:
 private:
  static void bind_user(Statement& stmt, const User& u) {
    stmt.bind(1, u.username)
        .bind(2, u.display_name)
        .bind(3, u.password_hash)
        .bind(4, nlohmann::json(u.roles).dump())
        .bind(5, nlohmann::json(u.offices).dump())
        .bind(6, static_cast<int64_t>(u.disabled ? 1 : 0))
        .bind(7, static_cast<int64_t>(u.failed_attempts))
        .bind_optional(8, u.locked_until);
  }

  static std::vector<std::string> string_list(const std::string& json_text) {
    auto parsed = nlohmann::json::parse(json_text, nullptr, false);
    std::vector<std::string> out;
    if (!parsed.is_array()) return out;
    for (const auto& v : parsed) {
      if (v.is_string()) out.push_back(v.get<std::string>());
    }
    return out;
  }

  Result<std::vector<User>> read_users(std::string_view where, const std::string& param) {
    auto reader = acquire_reader();
    Statement stmt(reader.get(),
                   fmt::format("SELECT username, display_name, password_hash, roles, offices, disabled, failed_attempts, "
                               "locked_until, created_at FROM users {}",
                               where),
                   false);
    if (!stmt.valid()) return internal(stmt.error());
    if (!param.empty()) stmt.bind(1, param);
    std::vector<User> users;
    int rc;
    while ((rc = stmt.step()) == SQLITE_ROW) {
      users.push_back(User{stmt.column_text(0), stmt.column_text(1), stmt.column_text(2),
                           string_list(stmt.column_text(3)), string_list(stmt.column_text(4)),
                           stmt.column_int(5) != 0, static_cast<int>(stmt.column_int(6)), stmt.column_text(7),
                           stmt.column_text(8)});
    }
    if (rc != SQLITE_DONE) return std::unexpected(sqlite::error_from(reader.get(), "reading users"));
    return users;
  }

  Result<std::vector<ApiToken>> read_tokens(std::string_view where, const std::string& param) {
    auto reader = acquire_reader();
    Statement stmt(reader.get(),
                   fmt::format("SELECT id, token_hash, name, username, created_at FROM api_tokens {}", where), false);
    if (!stmt.valid()) return internal(stmt.error());
    if (!param.empty()) stmt.bind(1, param);
    std::vector<ApiToken> tokens;
    int rc;
    while ((rc = stmt.step()) == SQLITE_ROW) {
      tokens.push_back(ApiToken{stmt.column_int(0), stmt.column_text(1), stmt.column_text(2), stmt.column_text(3),
                                stmt.column_text(4)});
    }
    if (rc != SQLITE_DONE) return std::unexpected(sqlite::error_from(reader.get(), "reading tokens"));
    return tokens;
  }

  // One caller's share of a group commit.
  // What a declaration's row needs besides the declaration itself.
  struct RowValues {
    std::string lodged_at;          // normalised; empty: the time it is received
    std::vector<std::string> keys;  // declaration_keys()
  };

  struct PendingWrite {
    std::span<NewDeclaration> declarations;
    std::span<const RowValues> values;  // one per declaration
    const AuditEntry* audit;
    bool deferred = false;  // the caller syncs later (Durability::kDeferred)
    bool done = false;
    Result<std::vector<InsertResult>> result;
    int64_t audit_id = 0;
  };

  static StoreError internal_error(std::string message) {
    return StoreError{StoreError::Code::kInternal, std::move(message)};
  }
  static std::unexpected<StoreError> internal(std::string message) {
    return std::unexpected(internal_error(std::move(message)));
  }

  Result<std::vector<InsertResult>> group_commit(PendingWrite& pending) {
    commits_.run(pending, [this](std::vector<PendingWrite*>& group) { write_group(group); });
    return std::move(pending.result);
  }

  void write_group(std::vector<PendingWrite*>& group) {
    { std::lock_guard gate(restart_gate_); }  // a waiting WAL restart goes first (see the constructor)
    std::lock_guard lock(writer_mutex_);
    std::string received_at = now_timestamp();
    // When every caller in the group defers, this commit is not flushed to disk: each of them
    // syncs (or commits synced) before acknowledging.
    const bool defer = full_sync_ && std::all_of(group.begin(), group.end(), [](const PendingWrite* p) {
                         return p->deferred;
                       });
    sqlite::UnsyncedCommits unsynced(writer_.get(), defer);
    auto begin = sqlite::exec(writer_.get(), "BEGIN IMMEDIATE");
    if (!begin) {
      for (PendingWrite* p : group) p->result = std::unexpected(begin.error());
      return;
    }
    std::optional<StoreError> failure;
    std::vector<std::pair<std::string_view, int64_t>> keys;  // of the declarations stored, for insert_keys()
    for (PendingWrite* p : group) {
      std::vector<InsertResult> results;
      results.reserve(p->declarations.size());
      for (std::size_t i = 0; i < p->declarations.size(); ++i) {
        auto inserted = insert_one(p->declarations[i], p->values[i], received_at);
        if (!inserted) {
          failure = inserted.error();
          break;
        }
        if (inserted->status == InsertStatus::kStored) {
          for (const std::string& key : p->values[i].keys) keys.emplace_back(key, inserted->id);
        }
        results.push_back(*inserted);
      }
      if (!failure && p->audit != nullptr) {
        if (auto audited = insert_audit(*p->audit); !audited) {
          failure = audited.error();
        } else {
          p->audit_id = *audited;
        }
      }
      if (failure) break;
      p->result = std::move(results);
    }
    if (!failure) {
      if (auto inserted = insert_keys(keys); !inserted) failure = inserted.error();
    }
    if (!failure) {
      if (auto committed = sqlite::exec(writer_.get(), "COMMIT"); !committed) failure = committed.error();
    }
    if (failure) {
      (void)sqlite::exec(writer_.get(), "ROLLBACK");
      // The transaction held everybody's rows, so nobody's write happened: report it to all.
      for (PendingWrite* p : group) {
        p->result = std::unexpected(*failure);
        for (NewDeclaration& d : p->declarations) d.declaration.id = 0;
      }
    }
  }

  // The declaration's row only; write_group inserts the keys of the new ones afterwards.
  Result<InsertResult> insert_one(NewDeclaration& item, const RowValues& values, const std::string& received_at) {
    Declaration& d = item.declaration;
    auto& s = statements_;
    sqlite3* db = writer_.get();
    auto fingerprint = static_cast<int64_t>(item.content_fingerprint);

    const Party* consignor = d.find_party(PartyRole::kConsignor);
    const Party* consignee = d.find_party(PartyRole::kConsignee);
    Statement& ins = s.insert_declaration;
    ins.bind(1, d.reference)
        .bind(2, d.declarant.eori)
        .bind(3, d.declarant.name)
        .bind_optional(4, consignor ? std::string_view(consignor->name) : std::string_view())
        .bind_optional(5, consignee ? std::string_view(consignee->name) : std::string_view())
        .bind(6, to_string(d.kind))
        .bind(7, to_string(d.mode))
        .bind_optional(8, d.office_of_first_entry)
        .bind_optional(9, d.loading_date)
        .bind_optional(10, d.arrival_date)
        .bind_static(11, values.lodged_at.empty() ? received_at : values.lodged_at)
        .bind(12, received_at)
        .bind(13, static_cast<int64_t>(d.goods.size()))
        .bind(14, fingerprint)
        .bind_static(15, item.document_json);
    int rc = ins.step();
    ins.reset();
    if (rc != SQLITE_DONE) return std::unexpected(sqlite::error_from(db, "inserting a declaration"));
    if (sqlite3_changes(db) == 0) {  // the declarant already used this reference
      s.find_existing.bind(1, d.declarant.eori).bind(2, d.reference);
      rc = s.find_existing.step();
      if (rc != SQLITE_ROW) {
        s.find_existing.reset();
        return std::unexpected(sqlite::error_from(db, "looking up a reference"));
      }
      InsertResult existing{s.find_existing.column_int(1) == fingerprint ? InsertStatus::kDuplicate
                                                                         : InsertStatus::kConflict,
                            s.find_existing.column_int(0)};
      s.find_existing.reset();
      d.id = existing.id;
      return existing;
    }
    int64_t id = sqlite3_last_insert_rowid(db);

    d.id = id;
    return InsertResult{InsertStatus::kStored, id};
  }

  // The declaration_keys rows of a group commit, in key order. One declaration's keys are
  // scattered over the whole index (an HS code here, a container there); sorted, consecutive
  // rows follow the same path down the B-tree and land on the same leaf, whose pages are still
  // in the CPU's caches from the row before. Measured with bench_ingest (batches of 1,000,
  // nine runs alternating with per-declaration inserts of 8 rows per statement): 66 instead
  // of 72 µs of server CPU per declaration.
  // REQUIRES: writer_mutex_ held.
  Result<void> insert_keys(std::vector<std::pair<std::string_view, int64_t>>& keys) {
    std::sort(keys.begin(), keys.end());
    for (std::size_t first = 0; first < keys.size(); first += WriteStatements::kKeysPerStatement) {
      const std::size_t n = std::min(WriteStatements::kKeysPerStatement, keys.size() - first);
      Statement& insert = statements_.insert_keys[n - 1];
      for (std::size_t k = 0; k < n; ++k) {
        insert.bind_static(static_cast<int>(2 * k + 1), keys[first + k].first)
            .bind(static_cast<int>(2 * k + 2), keys[first + k].second);
      }
      const int rc = insert.step();
      insert.reset();
      if (rc != SQLITE_DONE) return std::unexpected(sqlite::error_from(writer_.get(), "inserting declaration keys"));
    }
    return {};
  }

  // REQUIRES: writer_mutex_ held.
  Result<int64_t> insert_audit(const AuditEntry& entry) {
    Statement& stmt = statements_.insert_audit;
    stmt.bind(1, entry.at.empty() ? now_timestamp() : entry.at)
        .bind(2, entry.actor)
        .bind(3, entry.action)
        .bind(4, entry.object)
        .bind(5, entry.detail_json.empty() ? std::string_view("{}") : std::string_view(entry.detail_json));
    int rc = stmt.step();
    stmt.reset();
    if (rc != SQLITE_DONE) return std::unexpected(sqlite::error_from(writer_.get(), "appending to the audit log"));
    return sqlite3_last_insert_rowid(writer_.get());
  }

  // A read connection for the duration of one call; returned to the pool on destruction.
  class ReaderLease {
   public:
    ReaderLease(SqliteStore& store, Db db) : store_(store), db_(std::move(db)) {}
    ~ReaderLease() { store_.release_reader(std::move(db_)); }
    ReaderLease(const ReaderLease&) = delete;
    ReaderLease& operator=(const ReaderLease&) = delete;
    sqlite3* get() const { return db_.get(); }

   private:
    SqliteStore& store_;
    Db db_;
  };

  ReaderLease acquire_reader() {
    std::unique_lock lock(readers_mutex_);
    readers_available_.wait(lock, [&] { return !idle_readers_.empty(); });
    Db db = std::move(idle_readers_.back());
    idle_readers_.pop_back();
    return ReaderLease(*this, std::move(db));
  }

  void release_reader(Db db) {
    {
      std::lock_guard lock(readers_mutex_);
      idle_readers_.push_back(std::move(db));
    }
    readers_available_.notify_one();
  }

  std::filesystem::path path_;
  bool full_sync_;  // SqliteOptions::Sync::kFull: commits are flushed to disk
  std::mutex writer_mutex_;  // guards writer_ and statements_
  // Held by the checkpoint thread while it waits for writer_mutex_ to restart the WAL. A group
  // commit passes it before taking writer_mutex_: without it, group commits back to back took
  // writer_mutex_ again before the waiting checkpoint thread woke (std::mutex is not fair), and
  // the WAL grew to 246 MB in a test that wrote 250 MB.
  std::mutex restart_gate_;
  Db writer_;
  WriteStatements statements_;

  sqlite::GroupCommit<PendingWrite> commits_;

  std::mutex sync_mutex_;  // guards the four below
  std::condition_variable sync_done_;
  uint64_t sync_requested_ = 0, sync_completed_ = 0;  // tickets: calls of sync() / calls covered by a flush
  bool sync_running_ = false;

  std::mutex readers_mutex_;
  std::condition_variable readers_available_;
  std::vector<Db> idle_readers_;

  std::jthread checkpoint_thread_;  // last: stopped first
};

}  // namespace

int sqlite_schema_version() { return sqlite::migrations().back().version; }

Result<std::unique_ptr<Store>> open_sqlite_store(const std::filesystem::path& path, const SqliteOptions& options) {
  if (path.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
  }
  auto writer = sqlite::open_connection(path, false);
  if (!writer) return std::unexpected(writer.error());
  sqlite3* db = writer->get();
  // WAL: readers do not block the writer; a commit is durable once in the log.
  // wal_autocheckpoint = 0: the store's own checkpoint thread does it (see SqliteStore).
  for (std::string_view pragma : {"PRAGMA journal_mode = WAL", "PRAGMA foreign_keys = ON",
                                  "PRAGMA temp_store = MEMORY", "PRAGMA cache_size = -65536",
                                  "PRAGMA wal_autocheckpoint = 0"}) {
    if (auto r = sqlite::exec(db, pragma); !r) return std::unexpected(r.error());
  }
  std::string sync = options.sync == SqliteOptions::Sync::kFull ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL";
  if (auto r = sqlite::exec(db, sync); !r) return std::unexpected(r.error());
  if (auto r = sqlite::apply_migrations(db, "schema_migrations", sqlite::migrations()); !r) {
    return std::unexpected(r.error());
  }

  std::vector<Db> readers;
  for (int i = 0; i < std::max(1, options.read_connections); ++i) {
    auto reader = sqlite::open_connection(path, true);
    if (!reader) return std::unexpected(reader.error());
    readers.push_back(std::move(*reader));
  }
  auto checkpointer = sqlite::open_connection(path, false);
  if (!checkpointer) return std::unexpected(checkpointer.error());
  // A connection that has never read does not know the file is in WAL mode, and checkpointing
  // on it is a silent no-op (sqlite3_wal_checkpoint_v2 returns SQLITE_OK with a log of -1): the
  // WAL then grows without bound (4.6 GB in 8 minutes of bench_supervision_network). One read
  // opens the WAL for good.
  if (auto r = sqlite::exec(checkpointer->get(), "SELECT 1 FROM sqlite_master LIMIT 1"); !r) return std::unexpected(r.error());
  auto store = std::make_unique<SqliteStore>(path, options.sync == SqliteOptions::Sync::kFull, std::move(*writer),
                                            std::move(readers), std::move(*checkpointer));
  if (auto error = store->statement_error()) {
    return std::unexpected(StoreError{StoreError::Code::kInternal, *error});
  }
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace cordon::store
