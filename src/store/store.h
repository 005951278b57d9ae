// Cordon's storage interface: declarations with their parts, assessments, and an append-only
// audit log. Engines never see it; the server and the CLI wire engines to a Store.
//
// Implementations: SQLite (sqlite/sqlite_store.h, the embedded default). A PostgreSQL
// implementation implements the same interface; nothing here is SQLite-specific.
//
// Thread-safety: every method may be called from any thread concurrently.
// Durability: when insert_declarations() returns success the rows are committed and survive
// the process being killed; with the default Durability::kSynced they also survive a power cut
// (under SqliteOptions::Sync::kFull).
#pragma once

#include <cstdint>
#include <expected>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/declaration.h"

namespace cordon::store {

struct StoreError {
  enum class Code { kNotFound, kConflict, kInvalidArgument, kUnavailable, kInternal };
  Code code = Code::kInternal;
  std::string message;
};

template <typename T>
using Result = std::expected<T, StoreError>;

// A declaration to store: the decoded, validated declaration and the fingerprint of what the
// sender sent, so that a resent declaration can be recognised as the same one.
struct NewDeclaration {
  Declaration declaration;
  uint64_t content_fingerprint = 0;
  // declaration_to_json_text(declaration) with id 0, when the caller already has it; the store
  // encodes the declaration itself when this is empty.
  std::string document_json;
};

enum class InsertStatus {
  kStored,     // newly stored under `id`
  kDuplicate,  // the same declarant already sent this reference with the same content: `id` is the stored one
  kConflict,   // the same declarant already used this reference for different content: `id` is the stored one
};

struct InsertResult {
  InsertStatus status = InsertStatus::kStored;
  int64_t id = 0;
};

struct AuditEntry {
  int64_t id = 0;          // assigned by the store
  std::string at;          // ISO 8601 UTC; the store fills it when empty
  std::string actor;       // user, token or "system"
  std::string action;      // "declarations.create", "declarations.read", ...
  std::string object;      // "declaration:123", "declarations:100-149"
  std::string detail_json; // a JSON object with whatever explains the action; "{}" when none
};

struct StoredDeclaration {
  Declaration declaration;  // with id set
  std::string received_at;
};

// One row of a declaration list: enough to show and filter without loading the document.
struct DeclarationSummary {
  int64_t id = 0;
  std::string reference;
  DeclarationKind kind = DeclarationKind::kEntrySummary;
  TransportMode mode = TransportMode::kSea;
  std::string declarant_name;
  std::string declarant_eori;
  std::string consignor_name;
  std::string consignee_name;
  std::string office_of_first_entry;
  std::string lodged_at;
  std::string received_at;
  int goods_count = 0;
  std::optional<std::string> channel;  // from the latest assessment, if any
  std::optional<double> score;         // the same assessment's risk score
  int hit_count = 0;                   // screening hits raised on it
};

// Filters combine with AND; empty ones are ignored. Results are newest first (by id).
struct DeclarationFilter {
  std::string reference;
  std::string declarant_eori;
  std::string party_eori;        // any party, or the declarant
  std::string office_of_first_entry;
  std::vector<std::string> offices_any;  // when not empty: the office of first entry is one of these
  std::optional<DeclarationKind> kind;
  std::optional<TransportMode> mode;
  std::string hs_prefix;         // goods whose HS code starts with these digits
  std::string origin_country;    // goods of this origin
  std::string container;         // goods in this container
  std::string vehicle;           // normalised plate or VIN of the vehicle or trailer
  std::string lodged_from;       // inclusive, ISO 8601 UTC timestamp
  std::string lodged_to;         // exclusive
  std::string channel;
  int limit = 50;                // 1..1000
  std::optional<int64_t> before_id;  // the cursor: continue with ids below this one
};

struct DeclarationPage {
  std::vector<DeclarationSummary> items;
  std::optional<int64_t> next_cursor;  // pass as before_id for the next page; absent on the last page
};

// The result of assessing a declaration. The pipeline (assessment/) decides what goes in
// `reasons_json`; the store keeps it.
struct Assessment {
  int64_t declaration_id = 0;
  std::string channel;       // "green", "yellow", "red"
  double score = 0;
  std::string reasons_json;  // a JSON document
  std::string assessed_at;   // ISO 8601 UTC
};

// An officer's or a machine client's account. Roles and offices are plain names; what they
// allow is decided by the server (server/auth.h), not by the store.
struct User {
  std::string username;
  std::string display_name;
  std::string password_hash;  // libsodium crypto_pwhash_str (Argon2id) string
  std::vector<std::string> roles;
  std::vector<std::string> offices;
  bool disabled = false;
  int failed_attempts = 0;     // consecutive failed sign-ins
  std::string locked_until;    // ISO 8601 UTC; empty when not locked
  std::string created_at;
};

// A console session. Only a hash of the cookie value is stored, so a copy of the database does
// not hand out live sessions.
struct Session {
  std::string id_hash;
  std::string username;
  std::string csrf_token;
  std::string created_at;
  std::string expires_at;
};

// A machine client's bearer token; only its hash is stored.
struct ApiToken {
  int64_t id = 0;
  std::string token_hash;
  std::string name;
  std::string username;
  std::string created_at;
};

// One entity of a watch list as stored: the screening engine's own JSON document for it.
struct StoredWatchlistEntity {
  std::string list;
  std::string id;
  std::string document_json;
};

// One import of a list.
struct WatchlistVersion {
  std::string list;
  int64_t version = 0;
  std::string imported_at;
  std::string actor;
  std::string source;  // file name or "api"
  int64_t added = 0, changed = 0, removed = 0, entity_count = 0;
};

// A screening hit on a stored declaration.
struct StoredHit {
  int64_t declaration_id = 0;
  std::string path;           // "parties[1].name"
  std::string value;          // the declared value
  std::string list;
  std::string entity_id;
  double score = 0;
  std::string matched_field;
  std::string matched_value;
  std::string query_value;
  std::string explanation;
  std::string raised_at;      // filled by the store when empty
  std::string raised_by;      // "intake" or "rescreen:LIST@VERSION"
};

struct ReviewedFalsePositiveRecord {
  std::string list;
  std::string entity_id;
  std::string query_value;
  std::string reviewer;
  std::string reviewed_at;
};

class Store {
 public:
  virtual ~Store() = default;

  // Stores the declarations in one transaction and sets each declaration's id. A duplicate or
  // conflicting reference does not abort the others: each gets its own status. `audit`, when
  // given, is appended in the same transaction, so the log never misses a stored batch.
  // kDeferred: committed and visible, but durable against a power cut only after the next
  // sync() (or the next synced commit to the same database) — for a caller that writes more
  // before it acknowledges and so pays for one flush to disk instead of two.
  enum class Durability { kSynced, kDeferred };
  virtual Result<std::vector<InsertResult>> insert_declarations(std::span<NewDeclaration> declarations,
                                                                const AuditEntry* audit = nullptr,
                                                                Durability durability = Durability::kSynced) = 0;
  // Makes every commit so far durable against a power cut, deferred ones included. Cheap when
  // a synced commit has flushed them already.
  virtual Result<void> sync() = 0;

  // kNotFound when there is no such declaration.
  virtual Result<StoredDeclaration> get_declaration(int64_t id) = 0;
  virtual Result<DeclarationPage> list_declarations(const DeclarationFilter& filter) = 0;
  virtual Result<int64_t> count_declarations() = 0;

  // Replaces the declaration's assessment. kNotFound when the declaration does not exist.
  virtual Result<void> put_assessment(const Assessment& assessment) = 0;
  virtual Result<std::optional<Assessment>> get_assessment(int64_t declaration_id) = 0;

  // The audit log is append-only: there is no update or delete.
  virtual Result<int64_t> append_audit(const AuditEntry& entry) = 0;
  virtual Result<std::vector<AuditEntry>> list_audit(int64_t after_id, int limit) = 0;

  // Accounts. create_user: kConflict when the username exists. update_user replaces every
  // field but username and created_at; kNotFound when there is no such user.
  virtual Result<void> create_user(const User& user) = 0;
  virtual Result<User> get_user(const std::string& username) = 0;
  virtual Result<std::vector<User>> list_users() = 0;
  virtual Result<void> update_user(const User& user) = 0;

  virtual Result<void> create_session(const Session& session) = 0;
  virtual Result<Session> get_session(const std::string& id_hash) = 0;  // kNotFound when absent
  virtual Result<void> delete_session(const std::string& id_hash) = 0;

  virtual Result<int64_t> create_token(const ApiToken& token) = 0;
  virtual Result<ApiToken> find_token(const std::string& token_hash) = 0;  // kNotFound when absent
  virtual Result<std::vector<ApiToken>> list_tokens() = 0;
  virtual Result<void> delete_token(int64_t id) = 0;  // kNotFound when absent

  // Watch lists. replace_watchlist swaps a list's entities and records the version, in one
  // transaction; a list with no entities is dropped.
  virtual Result<void> replace_watchlist(const WatchlistVersion& version,
                                         const std::vector<StoredWatchlistEntity>& entities) = 0;
  virtual Result<std::vector<StoredWatchlistEntity>> load_watchlists() = 0;
  virtual Result<std::vector<WatchlistVersion>> list_watchlist_versions() = 0;
  // Grows with every replace_watchlist and every exclusion or review change: cheap to poll.
  virtual Result<int64_t> screening_generation() = 0;

  virtual Result<void> add_screening_exclusion(const std::string& value, const std::string& actor) = 0;
  virtual Result<void> delete_screening_exclusion(const std::string& value) = 0;  // kNotFound when absent
  virtual Result<std::vector<std::string>> list_screening_exclusions() = 0;
  virtual Result<void> add_reviewed_false_positive(const ReviewedFalsePositiveRecord& record) = 0;
  virtual Result<void> delete_reviewed_false_positive(const ReviewedFalsePositiveRecord& record) = 0;
  virtual Result<std::vector<ReviewedFalsePositiveRecord>> list_reviewed_false_positives() = 0;

  // Hits: a hit already stored for the same declaration, path and entity is not added again.
  // Returns how many were new.
  // Durability as for insert_declarations.
  virtual Result<int64_t> add_hits(const std::vector<StoredHit>& hits, Durability durability = Durability::kSynced) = 0;
  virtual Result<std::vector<StoredHit>> list_hits(int64_t declaration_id) = 0;

  // Calls `visit` for each declaration lodged at or after `lodged_from` (UTC timestamp), in id
  // order, for re-screening. Stops early when visit returns false.
  virtual Result<void> for_each_declaration_since(const std::string& lodged_from,
                                                  const std::function<bool(const Declaration&)>& visit) = 0;
};

}  // namespace cordon::store
