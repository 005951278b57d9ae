#include "store/sqlite/sqlite_risk_store.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <mutex>
#include <vector>

#include <fmt/format.h>

#include "core/time.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_db.h"

namespace cordon::store {
namespace {

using sqlite::Statement;

constexpr sqlite::Migration kRiskMigrations[] = {
    {1, "risk profiles, decision log, control results", R"sql(
CREATE TABLE risk_profiles (
  id TEXT NOT NULL,
  version INTEGER NOT NULL,
  source TEXT NOT NULL,
  metadata_json TEXT NOT NULL,
  status TEXT NOT NULL,
  author TEXT NOT NULL,
  proposed_by TEXT,
  approved_by TEXT,
  created_at TEXT NOT NULL,
  changed_at TEXT NOT NULL,
  PRIMARY KEY (id, version)
);
CREATE INDEX risk_profiles_status ON risk_profiles(status);
CREATE TABLE decision_log (
  seq INTEGER PRIMARY KEY,
  declaration_id INTEGER NOT NULL,
  kind TEXT NOT NULL,
  at TEXT NOT NULL,
  body_json TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX decision_log_declaration ON decision_log(declaration_id);
-- The head of the chain: a deleted last entry leaves the chain consistent, the head does not.
CREATE TABLE decision_log_head (
  one INTEGER PRIMARY KEY CHECK (one = 1),
  last_seq INTEGER NOT NULL,
  last_hash TEXT NOT NULL
);
CREATE TABLE control_results (
  id INTEGER PRIMARY KEY,
  declaration_id INTEGER NOT NULL,
  irregularity INTEGER NOT NULL,
  category TEXT,
  seizure_reference TEXT,
  note TEXT,
  recorded_by TEXT NOT NULL,
  recorded_at TEXT NOT NULL
);
CREATE INDEX control_results_declaration ON control_results(declaration_id);
)sql"},
    {2, "scoring-model registry, random controls", R"sql(
ALTER TABLE control_results ADD COLUMN random INTEGER NOT NULL DEFAULT 0;
CREATE TABLE scoring_models (
  version INTEGER PRIMARY KEY,
  status TEXT NOT NULL,
  feature_schema TEXT NOT NULL,
  params_json TEXT NOT NULL,
  metrics_json TEXT NOT NULL,
  model_json TEXT NOT NULL,
  trained_from TEXT NOT NULL,
  trained_to TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  activated_by TEXT,
  activated_at TEXT
);
CREATE TABLE scoring_model_events (
  seq INTEGER PRIMARY KEY,
  version INTEGER NOT NULL REFERENCES scoring_models (version),
  previous INTEGER NOT NULL,
  action TEXT NOT NULL,
  actor TEXT NOT NULL,
  at TEXT NOT NULL
);
)sql"},
};

std::string hex(const unsigned char* data, unsigned len) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(len * 2, '0');
  for (unsigned i = 0; i < len; ++i) {
    out[2 * i] = kDigits[data[i] >> 4];
    out[2 * i + 1] = kDigits[data[i] & 15];
  }
  return out;
}

StoreError internal(sqlite3* db, std::string_view doing) { return sqlite::error_from(db, doing); }

StoredProfile read_profile(const Statement& s) {
  StoredProfile p;
  p.id = s.column_text(0);
  p.version = static_cast<int>(s.column_int(1));
  p.source = s.column_text(2);
  p.metadata_json = s.column_text(3);
  p.status = s.column_text(4);
  p.author = s.column_text(5);
  p.proposed_by = s.column_text(6);
  p.approved_by = s.column_text(7);
  p.created_at = s.column_text(8);
  p.changed_at = s.column_text(9);
  return p;
}

constexpr std::string_view kProfileColumns =
    "id, version, source, metadata_json, status, author, proposed_by, approved_by, created_at, changed_at";

ControlResult read_control(const Statement& s) {
  ControlResult c;
  c.id = s.column_int(0);
  c.declaration_id = s.column_int(1);
  c.irregularity = s.column_int(2) != 0;
  c.category = s.column_text(3);
  c.seizure_reference = s.column_text(4);
  c.note = s.column_text(5);
  c.recorded_by = s.column_text(6);
  c.recorded_at = s.column_text(7);
  c.random = s.column_int(8) != 0;
  return c;
}

constexpr std::string_view kControlColumns =
    "id, declaration_id, irregularity, category, seizure_reference, note, recorded_by, recorded_at, random";

constexpr std::string_view kModelColumns =
    "version, status, feature_schema, params_json, metrics_json, trained_from, trained_to, created_by, created_at, "
    "activated_by, activated_at";

StoredModel read_model(const Statement& s, bool with_model) {
  StoredModel m;
  m.version = s.column_int(0);
  m.status = s.column_text(1);
  m.feature_schema = s.column_text(2);
  m.params_json = s.column_text(3);
  m.metrics_json = s.column_text(4);
  m.trained_from = s.column_text(5);
  m.trained_to = s.column_text(6);
  m.created_by = s.column_text(7);
  m.created_at = s.column_text(8);
  m.activated_by = s.column_text(9);
  m.activated_at = s.column_text(10);
  if (with_model) m.model_json = s.column_text(11);
  return m;
}

// One connection behind a mutex: risk writes are few (profiles, control results) or batched
// (decision entries, one transaction per intake batch), so a pool buys nothing yet.
class SqliteRiskStore final : public RiskStore {
 public:
  explicit SqliteRiskStore(sqlite::Db db) : db_(std::move(db)) {}

  Result<int> add_profile_version(const StoredProfile& profile) override {
    if (profile.id.empty()) return std::unexpected(StoreError{StoreError::Code::kInvalidArgument, "id: empty"});
    std::lock_guard lock(mutex_);
    if (auto ok = sqlite::exec(db_.get(), "BEGIN IMMEDIATE"); !ok) return std::unexpected(ok.error());
    Statement max(db_.get(), "SELECT COALESCE(MAX(version), 0) FROM risk_profiles WHERE id = ?1", false);
    max.bind(1, profile.id);
    if (max.step() != SQLITE_ROW) return rollback<int>("reading profile versions");
    int version = static_cast<int>(max.column_int(0)) + 1;
    std::string now = profile.created_at.empty() ? now_timestamp() : profile.created_at;
    Statement insert(db_.get(),
                     "INSERT INTO risk_profiles (id, version, source, metadata_json, status, author, proposed_by, "
                     "approved_by, created_at, changed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
                     false);
    insert.bind(1, profile.id).bind(2, int64_t{version}).bind(3, profile.source).bind(4, profile.metadata_json);
    insert.bind(5, profile.status.empty() ? std::string_view("draft") : std::string_view(profile.status));
    insert.bind(6, profile.author).bind_optional(7, profile.proposed_by).bind_optional(8, profile.approved_by);
    insert.bind(9, now);
    if (insert.step() != SQLITE_DONE) return rollback<int>("storing a profile version");
    if (auto ok = sqlite::exec(db_.get(), "COMMIT"); !ok) return rollback<int>("committing a profile version");
    return version;
  }

  Result<StoredProfile> get_profile(const std::string& id, int version) override {
    std::lock_guard lock(mutex_);
    std::string sql = version > 0
                          ? fmt::format("SELECT {} FROM risk_profiles WHERE id = ?1 AND version = ?2", kProfileColumns)
                          : fmt::format("SELECT {} FROM risk_profiles WHERE id = ?1 ORDER BY version DESC LIMIT 1",
                                        kProfileColumns);
    Statement s(db_.get(), sql, false);
    s.bind(1, id);
    if (version > 0) s.bind(2, int64_t{version});
    int rc = s.step();
    if (rc == SQLITE_ROW) return read_profile(s);
    if (rc == SQLITE_DONE) {
      return std::unexpected(StoreError{StoreError::Code::kNotFound,
                                        version > 0 ? fmt::format("no profile {} version {}", id, version)
                                                    : fmt::format("no profile {}", id)});
    }
    return std::unexpected(internal(db_.get(), "reading a profile"));
  }

  Result<std::vector<StoredProfile>> list_profile_versions(const std::string& id) override {
    return query_profiles(fmt::format("SELECT {} FROM risk_profiles WHERE id = ?1 ORDER BY version", kProfileColumns), id);
  }

  Result<std::vector<StoredProfile>> list_profiles() override {
    return query_profiles(fmt::format("SELECT {} FROM risk_profiles p WHERE version = (SELECT MAX(version) FROM "
                                      "risk_profiles q WHERE q.id = p.id) ORDER BY id",
                                      kProfileColumns),
                          {});
  }

  Result<std::vector<StoredProfile>> active_profiles() override {
    return query_profiles(fmt::format("SELECT {} FROM risk_profiles WHERE status = 'active' ORDER BY id", kProfileColumns),
                          {});
  }

  Result<void> set_profile_status(const std::string& id, int version, const std::string& status,
                                  const std::string& proposed_by, const std::string& approved_by) override {
    std::lock_guard lock(mutex_);
    if (auto ok = sqlite::exec(db_.get(), "BEGIN IMMEDIATE"); !ok) return std::unexpected(ok.error());
    std::string now = now_timestamp();
    if (status == "active") {
      Statement others(db_.get(),
                       "UPDATE risk_profiles SET status = 'inactive', changed_at = ?3 WHERE id = ?1 AND version <> ?2 "
                       "AND status = 'active'",
                       false);
      others.bind(1, id).bind(2, int64_t{version}).bind(3, now);
      if (others.step() != SQLITE_DONE) return rollback<void>("deactivating older versions");
    }
    Statement s(db_.get(),
                "UPDATE risk_profiles SET status = ?3, proposed_by = COALESCE(?4, proposed_by), "
                "approved_by = COALESCE(?5, approved_by), changed_at = ?6 WHERE id = ?1 AND version = ?2",
                false);
    s.bind(1, id).bind(2, int64_t{version}).bind(3, status).bind_optional(4, proposed_by).bind_optional(5, approved_by);
    s.bind(6, now);
    if (s.step() != SQLITE_DONE) return rollback<void>("changing a profile's status");
    if (sqlite3_changes(db_.get()) == 0) {
      (void)sqlite::exec(db_.get(), "ROLLBACK");
      return std::unexpected(StoreError{StoreError::Code::kNotFound, fmt::format("no profile {} version {}", id, version)});
    }
    if (auto ok = sqlite::exec(db_.get(), "COMMIT"); !ok) return rollback<void>("committing a status change");
    return {};
  }

  Result<void> append_decisions(std::vector<DecisionEntry>& entries) override {
    return record_assessments(entries, {}, Store::Durability::kSynced);
  }

  // Group-committed (sqlite::GroupCommit): single API requests each log one decision, and
  // committing them one by one (an fsync each, 1-2 ms on this class of disk) capped a server at
  // a few hundred declarations per second and queued the rest.
  Result<void> record_assessments(std::vector<DecisionEntry>& entries, const std::vector<Assessment>& assessments,
                                  Store::Durability durability) override {
    if (entries.empty() && assessments.empty()) return {};
    PendingRecord pending{&entries, &assessments, durability == Store::Durability::kDeferred, false, {}};
    commits_.run(pending, [this](std::vector<PendingRecord*>& group) {
      Result<void> written = write_records(group);
      for (PendingRecord* p : group) p->result = written;  // one transaction: all of the group, or none
    });
    return pending.result;
  }

  Result<std::vector<DecisionEntry>> decisions_for(int64_t declaration_id) override {
    std::lock_guard lock(mutex_);
    Statement s(db_.get(),
                "SELECT seq, declaration_id, kind, at, body_json, prev_hash, hash FROM decision_log "
                "WHERE declaration_id = ?1 ORDER BY seq",
                false);
    s.bind(1, declaration_id);
    std::vector<DecisionEntry> out;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) out.push_back(read_entry(s));
    if (rc != SQLITE_DONE) return std::unexpected(internal(db_.get(), "reading decisions"));
    return out;
  }

  Result<std::vector<DecisionEntry>> list_decisions(int64_t after_seq, int limit) override {
    std::lock_guard lock(mutex_);
    Statement s(db_.get(),
                "SELECT seq, declaration_id, kind, at, body_json, prev_hash, hash FROM decision_log "
                "WHERE seq > ?1 ORDER BY seq LIMIT ?2",
                false);
    s.bind(1, after_seq).bind(2, int64_t{std::clamp(limit, 1, 100000)});
    std::vector<DecisionEntry> out;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) out.push_back(read_entry(s));
    if (rc != SQLITE_DONE) return std::unexpected(internal(db_.get(), "reading decisions"));
    return out;
  }

  Result<LogVerification> verify_decision_log() override {
    std::lock_guard lock(mutex_);
    LogVerification v;
    Statement s(db_.get(), "SELECT seq, declaration_id, kind, at, body_json, prev_hash, hash FROM decision_log ORDER BY seq",
                false);
    std::string prev;
    int64_t expected_seq = 1;
    int rc;
    auto fail = [&](int64_t seq, std::string problem) {
      if (!v.ok) return;
      v.ok = false;
      v.bad_seq = seq;
      v.problem = std::move(problem);
    };
    while ((rc = s.step()) == SQLITE_ROW) {
      DecisionEntry e = read_entry(s);
      ++v.entries;
      if (e.seq != expected_seq) {
        fail(expected_seq, fmt::format("entry {} is missing (the next entry is {})", expected_seq, e.seq));
      } else if (e.prev_hash != prev) {
        fail(e.seq, fmt::format("entry {} does not chain to the entry before it", e.seq));
      } else if (decision_entry_hash(e) != e.hash) {
        fail(e.seq, fmt::format("entry {} (declaration {}) was altered: its content does not match its hash", e.seq,
                                e.declaration_id));
      }
      prev = e.hash;
      expected_seq = e.seq + 1;
    }
    if (rc != SQLITE_DONE) return std::unexpected(internal(db_.get(), "reading the decision log"));
    Statement head(db_.get(), "SELECT last_seq, last_hash FROM decision_log_head WHERE one = 1", false);
    rc = head.step();
    int64_t head_seq = rc == SQLITE_ROW ? head.column_int(0) : 0;
    std::string head_hash = rc == SQLITE_ROW ? head.column_text(1) : std::string();
    if (head_seq != expected_seq - 1) {
      fail(head_seq, fmt::format("the log ends at entry {} but its head records entry {}: entries were deleted",
                                 expected_seq - 1, head_seq));
    } else if (head_hash != prev) {
      fail(head_seq, fmt::format("entry {} does not match the hash recorded in the log head", head_seq));
    }
    return v;
  }

  Result<int64_t> add_control_result(const ControlResult& c) override {
    std::vector<ControlResult> one{c};
    if (auto ok = add_control_results(one); !ok) return std::unexpected(ok.error());
    return one.front().id;
  }

  Result<void> add_control_results(std::vector<ControlResult>& results) override {
    if (results.empty()) return {};
    std::lock_guard lock(mutex_);
    if (auto ok = sqlite::exec(db_.get(), "BEGIN IMMEDIATE"); !ok) return std::unexpected(ok.error());
    Statement s(db_.get(),
                "INSERT INTO control_results (declaration_id, irregularity, category, seizure_reference, note, "
                "recorded_by, recorded_at, random) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    std::string now = now_timestamp();
    for (auto& c : results) {
      s.bind(1, c.declaration_id).bind(2, int64_t{c.irregularity ? 1 : 0}).bind_optional(3, c.category);
      s.bind_optional(4, c.seizure_reference).bind_optional(5, c.note).bind(6, c.recorded_by);
      s.bind(7, c.recorded_at.empty() ? std::string_view(now) : std::string_view(c.recorded_at));
      s.bind(8, int64_t{c.random ? 1 : 0});
      int rc = s.step();
      s.reset();
      if (rc != SQLITE_DONE) return rollback<void>("storing a control result");
      c.id = sqlite3_last_insert_rowid(db_.get());
    }
    if (auto ok = sqlite::exec(db_.get(), "COMMIT"); !ok) return rollback<void>("committing control results");
    return {};
  }

  Result<int64_t> add_model(const StoredModel& m) override {
    std::lock_guard lock(mutex_);
    Statement s(db_.get(),
                "INSERT INTO scoring_models (status, feature_schema, params_json, metrics_json, model_json, "
                "trained_from, trained_to, created_by, created_at) VALUES ('candidate', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                false);
    s.bind(1, m.feature_schema).bind(2, m.params_json).bind(3, m.metrics_json).bind(4, m.model_json);
    s.bind(5, m.trained_from).bind(6, m.trained_to).bind(7, m.created_by);
    s.bind(8, m.created_at.empty() ? now_timestamp() : m.created_at);
    if (s.step() != SQLITE_DONE) return std::unexpected(internal(db_.get(), "storing a model"));
    return sqlite3_last_insert_rowid(db_.get());
  }

  Result<std::vector<StoredModel>> list_models() override {
    std::lock_guard lock(mutex_);
    Statement s(db_.get(), fmt::format("SELECT {} FROM scoring_models ORDER BY version DESC", kModelColumns), false);
    std::vector<StoredModel> out;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) out.push_back(read_model(s, false));
    if (rc != SQLITE_DONE) return std::unexpected(internal(db_.get(), "reading models"));
    return out;
  }

  Result<StoredModel> get_model(int64_t version) override {
    std::lock_guard lock(mutex_);
    return model_where("version = ?1", version);
  }

  Result<std::optional<StoredModel>> active_model() override {
    std::lock_guard lock(mutex_);
    auto m = model_where("status = 'active'", 0);
    if (!m && m.error().code == StoreError::Code::kNotFound) return std::optional<StoredModel>();
    if (!m) return std::unexpected(m.error());
    return std::optional<StoredModel>(std::move(*m));
  }

  Result<ModelEvent> activate_model(int64_t version, const std::string& actor, const std::string& action) override {
    std::lock_guard lock(mutex_);
    if (auto ok = sqlite::exec(db_.get(), "BEGIN IMMEDIATE"); !ok) return std::unexpected(ok.error());
    ModelEvent event;
    event.version = version;
    event.action = action;
    event.actor = actor;
    event.at = now_timestamp();
    {
      Statement target(db_.get(), "SELECT status FROM scoring_models WHERE version = ?1", false);
      target.bind(1, version);
      int rc = target.step();
      if (rc == SQLITE_DONE) {
        (void)sqlite::exec(db_.get(), "ROLLBACK");
        return std::unexpected(StoreError{StoreError::Code::kNotFound, fmt::format("no model version {}", version)});
      }
      if (rc != SQLITE_ROW) return rollback<ModelEvent>("reading a model");
      if (target.column_text(0) == "active") {
        (void)sqlite::exec(db_.get(), "ROLLBACK");
        return std::unexpected(
            StoreError{StoreError::Code::kConflict, fmt::format("model version {} is already active", version)});
      }
      Statement current(db_.get(), "SELECT version FROM scoring_models WHERE status = 'active'", false);
      if (current.step() == SQLITE_ROW) event.previous = current.column_int(0);
    }
    Statement retire(db_.get(), "UPDATE scoring_models SET status = 'retired' WHERE status = 'active'", false);
    if (retire.step() != SQLITE_DONE) return rollback<ModelEvent>("retiring the active model");
    Statement activate(db_.get(),
                       "UPDATE scoring_models SET status = 'active', activated_by = ?2, activated_at = ?3 WHERE version = ?1",
                       false);
    activate.bind(1, version).bind(2, actor).bind(3, event.at);
    if (activate.step() != SQLITE_DONE) return rollback<ModelEvent>("activating a model");
    Statement record(db_.get(),
                     "INSERT INTO scoring_model_events (version, previous, action, actor, at) VALUES (?1, ?2, ?3, ?4, ?5)",
                     false);
    record.bind(1, version).bind(2, event.previous).bind(3, action).bind(4, actor).bind(5, event.at);
    if (record.step() != SQLITE_DONE) return rollback<ModelEvent>("recording a model activation");
    event.seq = sqlite3_last_insert_rowid(db_.get());
    if (auto ok = sqlite::exec(db_.get(), "COMMIT"); !ok) return rollback<ModelEvent>("committing an activation");
    return event;
  }

  Result<std::vector<ModelEvent>> model_events() override {
    std::lock_guard lock(mutex_);
    Statement s(db_.get(), "SELECT seq, version, previous, action, actor, at FROM scoring_model_events ORDER BY seq",
                false);
    std::vector<ModelEvent> out;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) {
      out.push_back({s.column_int(0), s.column_int(1), s.column_int(2), s.column_text(3), s.column_text(4),
                     s.column_text(5)});
    }
    if (rc != SQLITE_DONE) return std::unexpected(internal(db_.get(), "reading model events"));
    return out;
  }

  Result<std::vector<ControlResult>> list_control_results() override {
    std::lock_guard lock(mutex_);
    Statement s(db_.get(),
                fmt::format("SELECT {} FROM control_results c WHERE id = (SELECT MAX(id) FROM control_results d "
                            "WHERE d.declaration_id = c.declaration_id) ORDER BY declaration_id",
                            kControlColumns),
                false);
    std::vector<ControlResult> out;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) out.push_back(read_control(s));
    if (rc != SQLITE_DONE) return std::unexpected(internal(db_.get(), "reading control results"));
    return out;
  }

  Result<std::optional<ControlResult>> control_result_for(int64_t declaration_id) override {
    std::lock_guard lock(mutex_);
    Statement s(db_.get(),
                fmt::format("SELECT {} FROM control_results WHERE declaration_id = ?1 ORDER BY id DESC LIMIT 1",
                            kControlColumns),
                false);
    s.bind(1, declaration_id);
    int rc = s.step();
    if (rc == SQLITE_ROW) return std::optional<ControlResult>(read_control(s));
    if (rc == SQLITE_DONE) return std::optional<ControlResult>();
    return std::unexpected(internal(db_.get(), "reading a control result"));
  }

 private:
  // REQUIRES: mutex_ held.
  Result<StoredModel> model_where(std::string_view condition, int64_t version) {
    Statement s(db_.get(), fmt::format("SELECT {}, model_json FROM scoring_models WHERE {}", kModelColumns, condition),
                false);
    if (version != 0) s.bind(1, version);
    int rc = s.step();
    if (rc == SQLITE_ROW) return read_model(s, true);
    if (rc == SQLITE_DONE) {
      return std::unexpected(StoreError{StoreError::Code::kNotFound, version != 0
                                                                         ? fmt::format("no model version {}", version)
                                                                         : std::string("no active model")});
    }
    return std::unexpected(internal(db_.get(), "reading a model"));
  }

  template <typename T>
  std::unexpected<StoreError> rollback(std::string_view doing) {
    StoreError error = internal(db_.get(), doing);
    (void)sqlite::exec(db_.get(), "ROLLBACK");
    return std::unexpected(std::move(error));
  }

  static DecisionEntry read_entry(const Statement& s) {
    DecisionEntry e;
    e.seq = s.column_int(0);
    e.declaration_id = s.column_int(1);
    e.kind = s.column_text(2);
    e.at = s.column_text(3);
    e.body_json = s.column_text(4);
    e.prev_hash = s.column_text(5);
    e.hash = s.column_text(6);
    return e;
  }

  Result<std::vector<StoredProfile>> query_profiles(const std::string& sql, const std::string& id) {
    std::lock_guard lock(mutex_);
    Statement s(db_.get(), sql, false);
    if (!id.empty()) s.bind(1, id);
    std::vector<StoredProfile> out;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) out.push_back(read_profile(s));
    if (rc != SQLITE_DONE) return std::unexpected(internal(db_.get(), "reading profiles"));
    return out;
  }

  struct PendingRecord {
    std::vector<DecisionEntry>* entries;
    const std::vector<Assessment>* assessments;
    bool deferred = false;  // the caller flushes to disk itself (Store::sync())
    bool done = false;
    Result<void> result;
  };

  // One transaction for a group of callers: their decision entries chained in queue order onto
  // the log's head, then their assessments. An assessment whose reasons are the body of its
  // declaration's entry (what Pipeline::assess writes) points at the entry instead of keeping a
  // second copy of the body.
  Result<void> write_records(const std::vector<PendingRecord*>& group) {
    std::lock_guard lock(mutex_);
    const bool defer = std::all_of(group.begin(), group.end(), [](const PendingRecord* p) { return p->deferred; });
    sqlite::UnsyncedCommits unsynced(db_.get(), defer);
    if (auto ok = sqlite::exec(db_.get(), "BEGIN IMMEDIATE"); !ok) return std::unexpected(ok.error());
    std::string now = now_timestamp();
    // The head is read inside the transaction: another process appending to the same file
    // waits on the write lock and then chains onto our last entry.
    int64_t seq = 0;
    std::string prev;
    {
      Statement head(db_.get(), "SELECT last_seq, last_hash FROM decision_log_head WHERE one = 1", false);
      int rc = head.step();
      if (rc == SQLITE_ROW) {
        seq = head.column_int(0);
        prev = head.column_text(1);
      } else if (rc != SQLITE_DONE) {
        return rollback<void>("reading the decision log head");
      }
    }
    Statement insert(db_.get(),
                     "INSERT INTO decision_log (seq, declaration_id, kind, at, body_json, prev_hash, hash) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    for (PendingRecord* p : group) {
      for (auto& e : *p->entries) {
        e.seq = ++seq;
        if (e.at.empty()) e.at = now;
        e.prev_hash = prev;
        e.hash = decision_entry_hash(e);
        prev = e.hash;
        insert.bind(1, e.seq).bind(2, e.declaration_id).bind(3, e.kind).bind(4, e.at).bind_static(5, e.body_json);
        insert.bind(6, e.prev_hash).bind(7, e.hash);
        int rc = insert.step();
        insert.reset();
        if (rc != SQLITE_DONE) return rollback<void>("appending to the decision log");
      }
    }
    Statement head(db_.get(),
                   "INSERT INTO decision_log_head (one, last_seq, last_hash) VALUES (1, ?1, ?2) "
                   "ON CONFLICT(one) DO UPDATE SET last_seq = excluded.last_seq, last_hash = excluded.last_hash",
                   false);
    head.bind(1, seq).bind(2, prev);
    if (head.step() != SQLITE_DONE) return rollback<void>("moving the decision log head");
    {
      Statement put(db_.get(),
                    "INSERT INTO assessments (declaration_id, channel, score, reasons, assessed_at, decision_seq) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (declaration_id) DO UPDATE SET "
                    "channel = excluded.channel, score = excluded.score, reasons = excluded.reasons, "
                    "assessed_at = excluded.assessed_at, decision_seq = excluded.decision_seq");
      for (const PendingRecord* p : group) {
        const std::vector<DecisionEntry>& entries = *p->entries;
        for (std::size_t i = 0; i < p->assessments->size(); ++i) {
          const Assessment& a = (*p->assessments)[i];
          // Pipeline::assess gives entry i for assessment i; anything else keeps its own copy.
          const DecisionEntry* entry = i < entries.size() && entries[i].declaration_id == a.declaration_id &&
                                               entries[i].body_json == a.reasons_json
                                           ? &entries[i]
                                           : nullptr;
          put.bind(1, a.declaration_id).bind(2, a.channel).bind(3, a.score);
          if (entry != nullptr) {
            put.bind(4, std::string_view("")).bind(6, entry->seq);  // reasons: the entry's body
          } else {
            put.bind_static(4, a.reasons_json).bind_null(6);
          }
          put.bind(5, a.assessed_at.empty() ? std::string_view(now) : std::string_view(a.assessed_at));
          int rc = put.step();
          put.reset();
          if (rc != SQLITE_DONE) return rollback<void>("storing an assessment");
        }
      }
    }
    if (auto ok = sqlite::exec(db_.get(), "COMMIT"); !ok) return rollback<void>("committing decision entries");
    return {};
  }

  std::mutex mutex_;
  sqlite::Db db_;
  sqlite::GroupCommit<PendingRecord> commits_;  // of record_assessments
};

}  // namespace

std::string decision_entry_hash(const DecisionEntry& e) {
  // Fields are length-prefixed so that moving text from one field to the next changes the hash.
  std::string input = fmt::format("cordon-decision-v1\n{}:{}\n{}\n{}\n{}:{}\n{}:{}\n{}:{}", e.prev_hash.size(),
                                  e.prev_hash, e.seq, e.declaration_id, e.kind.size(), e.kind, e.at.size(), e.at,
                                  e.body_json.size(), e.body_json);
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int len = 0;
  if (EVP_Digest(input.data(), input.size(), digest.data(), &len, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed");  // OpenSSL cannot hash: nothing sensible to do
  }
  return hex(digest.data(), len);
}

Result<std::unique_ptr<RiskStore>> open_sqlite_risk_store(const std::filesystem::path& path) {
  auto db = sqlite::open_connection(path, false);
  if (!db) return std::unexpected(db.error());
  if (auto ok = sqlite::exec(db->get(), "PRAGMA journal_mode=WAL"); !ok) return std::unexpected(ok.error());
  // The core store's checkpoint thread copies the WAL back for every connection to the file;
  // left on, checkpoints would also run inside our commits, on the intake's clock.
  if (auto ok = sqlite::exec(db->get(), "PRAGMA wal_autocheckpoint = 0"); !ok) return std::unexpected(ok.error());
  // Decision entries are flushed to disk when committed, unless the caller defers the flush.
  if (auto ok = sqlite::exec(db->get(), "PRAGMA synchronous = FULL"); !ok) return std::unexpected(ok.error());
  if (auto ok = sqlite::apply_migrations(db->get(), "risk_schema_migrations", kRiskMigrations); !ok) {
    return std::unexpected(ok.error());
  }
  return std::unique_ptr<RiskStore>(std::make_unique<SqliteRiskStore>(std::move(*db)));
}

}  // namespace cordon::store
