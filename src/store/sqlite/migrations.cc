#include "store/sqlite/migrations.h"

#include <array>

#include <fmt/format.h>

#include "core/time.h"
#include "store/sqlite/sqlite_db.h"

namespace cordon::store::sqlite {
namespace {

// Version 1: declarations with their parts, assessments, and the audit log.
//
// The full declaration is kept as its JSON document (the source of truth for reads); the
// columns and part tables beside it hold what list queries filter on, each with an index.
constexpr std::string_view kV1 = R"sql(
CREATE TABLE declarations (
  id                    INTEGER PRIMARY KEY,
  reference             TEXT NOT NULL,
  declarant_eori        TEXT NOT NULL,
  declarant_name        TEXT NOT NULL,
  consignor_name        TEXT,
  consignee_name        TEXT,
  kind                  TEXT NOT NULL,
  mode                  TEXT NOT NULL,
  office_of_first_entry TEXT,
  loading_date          TEXT,
  arrival_date          TEXT,
  lodged_at             TEXT NOT NULL,  -- normalised to UTC, 'YYYY-MM-DDTHH:MM:SSZ', so text order is time order
  received_at           TEXT NOT NULL,
  goods_count           INTEGER NOT NULL,
  content_fingerprint   INTEGER NOT NULL,
  document              TEXT NOT NULL,
  UNIQUE (declarant_eori, reference)
);
CREATE INDEX declarations_by_lodged_at ON declarations (lodged_at);
CREATE INDEX declarations_by_office ON declarations (office_of_first_entry) WHERE office_of_first_entry IS NOT NULL;

CREATE TABLE parties (
  declaration_id INTEGER NOT NULL REFERENCES declarations (id),
  position       INTEGER NOT NULL,
  role           TEXT NOT NULL,
  name           TEXT NOT NULL,
  country        TEXT,
  eori           TEXT,
  PRIMARY KEY (declaration_id, position)
) WITHOUT ROWID;
CREATE INDEX parties_by_eori ON parties (eori) WHERE eori IS NOT NULL;

CREATE TABLE goods_items (
  declaration_id INTEGER NOT NULL REFERENCES declarations (id),
  position       INTEGER NOT NULL,
  hs_code        TEXT NOT NULL,
  origin_country TEXT NOT NULL,
  gross_mass_kg  REAL NOT NULL,
  value_amount   REAL NOT NULL,
  value_currency TEXT NOT NULL,
  PRIMARY KEY (declaration_id, position)
) WITHOUT ROWID;
CREATE INDEX goods_items_by_hs_code ON goods_items (hs_code);
CREATE INDEX goods_items_by_origin ON goods_items (origin_country);

CREATE TABLE containers (
  number         TEXT NOT NULL,
  declaration_id INTEGER NOT NULL REFERENCES declarations (id),
  goods_position INTEGER NOT NULL,
  PRIMARY KEY (number, declaration_id, goods_position)
) WITHOUT ROWID;

-- Vehicles and trailers by normalised plate and by VIN, for look-ups by either.
CREATE TABLE vehicles (
  key            TEXT NOT NULL,
  declaration_id INTEGER NOT NULL REFERENCES declarations (id),
  PRIMARY KEY (key, declaration_id)
) WITHOUT ROWID;

CREATE TABLE assessments (
  declaration_id INTEGER PRIMARY KEY REFERENCES declarations (id),
  channel        TEXT NOT NULL,
  score          REAL NOT NULL,
  reasons        TEXT NOT NULL,
  assessed_at    TEXT NOT NULL
);
CREATE INDEX assessments_by_channel ON assessments (channel);

CREATE TABLE audit_log (
  id     INTEGER PRIMARY KEY,
  at     TEXT NOT NULL,
  actor  TEXT NOT NULL,
  action TEXT NOT NULL,
  object TEXT NOT NULL,
  detail TEXT NOT NULL
);
-- Append-only, enforced by the database itself rather than by convention.
CREATE TRIGGER audit_log_is_append_only_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_is_append_only_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
)sql";

// Version 2: accounts, console sessions and API tokens.
constexpr std::string_view kV2 = R"sql(
CREATE TABLE users (
  username        TEXT PRIMARY KEY,
  display_name    TEXT NOT NULL,
  password_hash   TEXT NOT NULL,
  roles           TEXT NOT NULL,  -- JSON array of role names
  offices         TEXT NOT NULL,  -- JSON array of customs office codes
  disabled        INTEGER NOT NULL DEFAULT 0,
  failed_attempts INTEGER NOT NULL DEFAULT 0,
  locked_until    TEXT,
  created_at      TEXT NOT NULL
);
CREATE TABLE sessions (
  id_hash    TEXT PRIMARY KEY,
  username   TEXT NOT NULL REFERENCES users (username),
  csrf_token TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);
CREATE TABLE api_tokens (
  id         INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  name       TEXT NOT NULL,
  username   TEXT NOT NULL REFERENCES users (username),
  created_at TEXT NOT NULL
);
)sql";

// Version 3: watch lists, exclusions, reviewed false positives, and screening hits.
constexpr std::string_view kV3 = R"sql(
CREATE TABLE watchlist_entities (
  list     TEXT NOT NULL,
  id       TEXT NOT NULL,
  document TEXT NOT NULL,
  PRIMARY KEY (list, id)
) WITHOUT ROWID;
CREATE TABLE watchlist_versions (
  seq          INTEGER PRIMARY KEY,
  list         TEXT NOT NULL,
  version      INTEGER NOT NULL,
  imported_at  TEXT NOT NULL,
  actor        TEXT NOT NULL,
  source       TEXT NOT NULL,
  added        INTEGER NOT NULL,
  changed      INTEGER NOT NULL,
  removed      INTEGER NOT NULL,
  entity_count INTEGER NOT NULL
);
CREATE TABLE screening_exclusions (
  value    TEXT PRIMARY KEY,
  actor    TEXT NOT NULL,
  added_at TEXT NOT NULL
);
CREATE TABLE screening_reviewed_false_positives (
  list        TEXT NOT NULL,
  entity_id   TEXT NOT NULL,
  query_value TEXT NOT NULL,
  reviewer    TEXT NOT NULL,
  reviewed_at TEXT NOT NULL,
  PRIMARY KEY (list, entity_id, query_value)
) WITHOUT ROWID;
-- Bumped by every change of lists, exclusions or reviews, so servers can tell when to reload.
CREATE TABLE screening_generation (only INTEGER PRIMARY KEY CHECK (only = 1), value INTEGER NOT NULL);
INSERT INTO screening_generation VALUES (1, 0);
CREATE TABLE screening_hits (
  id             INTEGER PRIMARY KEY,
  declaration_id INTEGER NOT NULL REFERENCES declarations (id),
  path           TEXT NOT NULL,
  value          TEXT NOT NULL,
  list           TEXT NOT NULL,
  entity_id      TEXT NOT NULL,
  score          REAL NOT NULL,
  matched_field  TEXT NOT NULL,
  matched_value  TEXT NOT NULL,
  query_value    TEXT NOT NULL,
  explanation    TEXT NOT NULL,
  raised_at      TEXT NOT NULL,
  raised_by      TEXT NOT NULL,
  UNIQUE (declaration_id, path, list, entity_id)
);
)sql";

// Version 4: the parts list queries filter on, in one key table instead of four part tables
// with their secondary indexes. Intake writes every declaration under SQLite's single writer,
// and there each B-tree insert counts: a simulated declaration took ~19 of them (rows of
// parties and goods items that nothing reads — the document is the source of truth — plus an
// index entry per filtered column); now it takes one per distinct key, ~6.
//
// A key is a prefix and a value: 'e:' a party's EORI, 'h:' an HS code (so an HS prefix is a
// range scan), 'o:' an origin country, 'c:' a container number, 'v:' a normalised vehicle or
// trailer plate or VIN. No foreign key: the store writes the keys in the declaration's own
// transaction, and a foreign-key check is one more B-tree search per key.
//
// Also: an assessment written with its decision-log entry points at the entry (decision_seq)
// instead of holding a second copy of its body in `reasons` (left empty then).
constexpr std::string_view kV4 = R"sql(
CREATE TABLE declaration_keys (
  key            TEXT NOT NULL,
  declaration_id INTEGER NOT NULL,
  PRIMARY KEY (key, declaration_id)
) WITHOUT ROWID;
INSERT OR IGNORE INTO declaration_keys SELECT 'e:' || eori, declaration_id FROM parties WHERE eori IS NOT NULL;
INSERT OR IGNORE INTO declaration_keys SELECT 'h:' || hs_code, declaration_id FROM goods_items;
INSERT OR IGNORE INTO declaration_keys SELECT 'o:' || origin_country, declaration_id FROM goods_items;
INSERT OR IGNORE INTO declaration_keys SELECT 'c:' || number, declaration_id FROM containers;
INSERT OR IGNORE INTO declaration_keys SELECT 'v:' || key, declaration_id FROM vehicles;
DROP TABLE parties;
DROP TABLE goods_items;
DROP TABLE containers;
DROP TABLE vehicles;
ALTER TABLE assessments ADD COLUMN decision_seq INTEGER;
)sql";

constexpr std::array<Migration, 4> kMigrations{{
    {1, "declarations, parts, assessments, audit log", kV1},
    {2, "users, sessions, API tokens", kV2},
    {3, "watch lists, exclusions, reviewed false positives, screening hits", kV3},
    {4, "declaration keys instead of part tables; assessments point at their decision entry", kV4},
}};

}  // namespace

std::span<const Migration> migrations() { return kMigrations; }

std::expected<void, StoreError> apply_migrations(sqlite3* db, std::string_view table,
                                                 std::span<const Migration> migrations) {
  if (auto r = exec(db, fmt::format("CREATE TABLE IF NOT EXISTS {} (version INTEGER PRIMARY KEY, "
                                    "description TEXT NOT NULL, applied_at TEXT NOT NULL)",
                                    table));
      !r) {
    return r;
  }
  Statement current(db, fmt::format("SELECT coalesce(max(version), 0) FROM {}", table), false);
  if (!current.valid() || current.step() != SQLITE_ROW) return std::unexpected(error_from(db, "reading the schema version"));
  int version = static_cast<int>(current.column_int(0));
  current.reset();
  int latest = migrations.empty() ? 0 : migrations.back().version;
  if (version > latest) {
    return std::unexpected(StoreError{StoreError::Code::kUnavailable,
                                      fmt::format("the database has {} version {}, newer than this cordon ({}); "
                                                  "upgrade cordon",
                                                  table, version, latest)});
  }
  for (const auto& m : migrations) {
    if (m.version <= version) continue;
    if (auto r = exec(db, "BEGIN IMMEDIATE"); !r) return r;
    auto applied = exec(db, m.sql);
    if (applied) {
      Statement record(db, fmt::format("INSERT INTO {} (version, description, applied_at) VALUES (?1, ?2, ?3)", table),
                       false);
      record.bind(1, static_cast<int64_t>(m.version)).bind(2, m.description).bind(3, now_timestamp());
      if (record.step() != SQLITE_DONE) applied = std::unexpected(error_from(db, "recording a migration"));
    }
    if (applied) applied = exec(db, "COMMIT");
    if (!applied) {
      (void)exec(db, "ROLLBACK");
      return std::unexpected(StoreError{StoreError::Code::kInternal,
                                        fmt::format("migration {} ({}) failed: {}", m.version, m.description,
                                                    applied.error().message)});
    }
  }
  return {};
}

}  // namespace cordon::store::sqlite
