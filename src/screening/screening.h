// The screening engine: watch lists (sanctions lists, SIS-style national alerts on persons,
// vehicles, containers), their importers, name normalisation across scripts, fuzzy matching
// with an explanation, and a candidate index so that no query scans a whole list.
//
// The whole contract of the engine is in this header. Outline:
//   WatchlistEntity           one listed person, company, vehicle, container, vessel, ...
//   parse_* / read_list       importers: OFAC SDN CSV, UN SC XML, EU FSF XML, Cordon CSV/NDJSON
//   Screener                  the registry of lists (versioned) + index + exclusions; screening
//   match_names               pairwise score with explanation (for `cordon match`)
//
// Errors: importers return ImportError naming the line ("sdn.csv:12") or the XML element path
// ("/export/sanctionEntity[3]/nameAlias[1]") and refuse the whole file; nothing of a refused
// file reaches a Screener.
//
// Thread-safety: the free functions keep no state and may be called concurrently. A Screener may
// be read (screen_*, find_entity, lists, ...) from any number of threads while one thread writes
// (import_list, upsert, remove, exclusions); a write waits for running reads and each read sees
// either all or nothing of a write.
#pragma once

#include <cstdint>
#include <expected>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/declaration.h"

namespace cordon::screening {

// --- the model -----------------------------------------------------------------------------

enum class EntityType { kPerson, kOrganisation, kVehicle, kContainer, kVessel, kAircraft, kDocument };
// Wire names: "person", "organisation", "vehicle", "container", "vessel", "aircraft", "document".
std::string_view to_string(EntityType type);
std::optional<EntityType> parse_entity_type(std::string_view name);

struct EntityName {
  std::string name;
  std::string script;   // ISO 15924 ("Latn", "Cyrl", "Arab", "Hani", ...); empty when unknown
  bool primary = false;  // the list's main name; the others are aliases
  std::string quality;   // as the list grades the alias: "strong", "weak", "a.k.a.", "f.k.a."; may be empty
  bool operator==(const EntityName&) const = default;
};

enum class IdentifierType {
  kVin, kPlate, kContainer, kImo, kPassport, kNationalId, kDocument, kEori, kTin, kAircraftTail, kOther
};
// Wire names: "vin", "plate", "container", "imo", "passport", "national_id", "document", "eori",
// "tin", "aircraft_tail", "other".
std::string_view to_string(IdentifierType type);
std::optional<IdentifierType> parse_identifier_type(std::string_view name);

struct Identifier {
  IdentifierType type = IdentifierType::kOther;
  std::string value;    // as the list writes it; matching uses normalize_identifier
  std::string country;  // ISO 3166-1 alpha-2 of the issuer or registration (plates); may be empty
  std::string note;     // "Passport issued 2010", the list's own label; may be empty
  bool operator==(const Identifier&) const = default;
};

struct EntityAddress {
  std::string text;     // street, city and region as one line
  std::string country;  // ISO 3166-1 alpha-2 when recognised, else empty
  bool operator==(const EntityAddress&) const = default;
};

struct WatchlistEntity {
  std::string id;    // unique within its list: the list's own id ("12345", "QDi.001", "SIM-V-0001")
  std::string list;  // the list it belongs to ("OFAC-SDN", "UN-SC", "EU-FSF", "LT-SIS-VEHICLES")
  EntityType type = EntityType::kPerson;
  std::vector<EntityName> names;            // the primary name first when the list has one
  std::vector<std::string> dates_of_birth;  // "1960-01-12", "1960-01" or "1960"
  std::vector<std::string> nationalities;   // ISO 3166-1 alpha-2
  std::vector<EntityAddress> addresses;
  std::vector<Identifier> identifiers;
  std::string programme;    // sanctions programme or alert category ("SDGT", "SIS art. 38")
  std::string listed_on;    // YYYY-MM-DD; may be empty
  std::string instruction;  // what an officer is to do on a hit (SIS "action to be taken")
  std::string remarks;
  bool operator==(const WatchlistEntity&) const = default;
};

// --- importers -----------------------------------------------------------------------------

struct ImportError {
  std::string where;    // "sdn.csv:123", "/CONSOLIDATED_LIST/INDIVIDUALS/INDIVIDUAL[7]/DATAID", "line 4"
  std::string message;  // a sentence naming the rule broken
  std::string to_string() const;  // "where: message"
};
template <typename T>
using Imported = std::expected<T, ImportError>;
using Entities = std::vector<WatchlistEntity>;

// OFAC SDN in its legacy CSV layout: four files without header rows, "-0-" for empty fields.
//   sdn.csv       ent_num, name, type ("individual", "vessel", "aircraft", empty = entity),
//                 programme, title, call sign, vessel type, tonnage, GRT, flag, owner, remarks
//   add.csv       ent_num, add_num, street, city, country, remarks
//   alt.csv       ent_num, alt_num, type ("aka", "fka", "nka"), name, remarks
//   sdn_comments  ent_num, remarks continued (appended to the entity's remarks)
// Remarks are mined for "DOB", "nationality", "citizen", "Passport", "National ID No.",
// "Vessel Registration Identification IMO", "Tax ID No.", "Aircraft ... Serial Number".
// add/alt/comments rows for an unknown ent_num are refused. Any of add/alt/comments may be empty.
Imported<Entities> parse_ofac_sdn(std::string_view sdn_csv, std::string_view add_csv, std::string_view alt_csv,
                                  std::string_view comments_csv, std::string_view list = "OFAC-SDN");
// UN Security Council consolidated list (<CONSOLIDATED_LIST><INDIVIDUALS>/<ENTITIES>).
Imported<Entities> parse_un_xml(std::string_view xml, std::string_view list = "UN-SC");
// EU consolidated financial sanctions (FSF) XML: <export><sanctionEntity logicalId=...> with
// <subjectType code="person|enterprise">, <nameAlias wholeName=... nameLanguage=...>,
// <birthdate birthdate= year=>, <citizenship countryIso2Code=>, <identification
// identificationTypeCode= number= countryIso2Code=>, <address street= city= countryIso2Code=>,
// <regulation programme=>. Namespaced or plain element names are both accepted.
Imported<Entities> parse_eu_xml(std::string_view xml, std::string_view list = "EU-FSF");
// Cordon CSV and NDJSON for national lists; the formats are in docs/screening.md.
Imported<Entities> parse_cordon_csv(std::string_view csv, std::string_view list);
Imported<Entities> parse_cordon_ndjson(std::string_view ndjson, std::string_view list);

enum class ListFormat { kOfacSdn, kUnXml, kEuXml, kCordonCsv, kCordonNdjson };
// Wire names: "ofac-sdn", "un-xml", "eu-xml", "cordon-csv", "cordon-ndjson".
std::string_view to_string(ListFormat format);
std::optional<ListFormat> parse_list_format(std::string_view name);
// Reads and parses a list. For kOfacSdn, path is the directory holding sdn.csv (required),
// add.csv, alt.csv and sdn_comments.csv (optional). An empty list name means the format's
// default ("OFAC-SDN", "UN-SC", "EU-FSF"; required for the Cordon formats).
Imported<Entities> read_list(const std::filesystem::path& path, ListFormat format, std::string_view list = {});

// --- normalisation and pairwise matching ---------------------------------------------------

// A name as the matcher sees it: NFKC, any script transliterated to ASCII Latin ("Владимир" ->
// "VLADIMIR", "習近平" -> "XI JIN PING"), upper case, punctuation folded to spaces, apostrophes
// and dots inside initials dropped. Legal forms are kept here; match_names ignores them.
std::string normalize_name(std::string_view name);
// Identifier as compared: upper case, spaces, dashes, dots and slashes removed; IMO numbers
// without their "IMO" prefix.
std::string normalize_identifier(IdentifierType type, std::string_view value);

struct NameMatch {
  double score = 0;         // [0, 1]
  std::string explanation;  // "tokens 'IVANOV'≈'IVANOFF' (jaro-winkler 0.93), 'SERGEI'='SERGEI'"
};
// type is a hint: organisation names lose their legal forms and generic words weigh little.
// nullopt compares both ways and keeps the better.
NameMatch match_names(std::string_view a, std::string_view b, std::optional<EntityType> type = std::nullopt);

// --- screening -----------------------------------------------------------------------------

struct ScreeningQuery {
  std::string name;                       // may be empty when identifiers are given
  std::vector<std::string> other_names;   // the same party's name in another script, aliases
  std::optional<EntityType> type;         // nullopt: person or organisation
  std::string country;                    // nationality / registration / address country, ISO alpha-2
  std::string date_of_birth;              // YYYY-MM-DD, YYYY-MM or YYYY
  std::string address;                    // free text
  std::vector<Identifier> identifiers;    // plate (with country), VIN, container, IMO, EORI, TIN, ...
};

struct Hit {
  std::shared_ptr<const WatchlistEntity> entity;  // never null; a snapshot, safe to keep
  double score = 0;                               // [0, 1]; hits below the threshold are not returned
  std::string matched_field;                      // "name", "vin", "plate", "container", "imo", "eori", ...
  std::string matched_value;                      // the listed value that matched (name or identifier)
  // The query value as normalised: the key of a reviewed false positive for this hit.
  std::string query_value;
  std::string explanation;  // "name tokens 'IVANOV'≈'IVANOFF' (jaro-winkler 0.93); date of birth equal"
};

// A hit on one field of a declaration.
struct DeclarationHit {
  std::string path;  // "parties[1].name", "declarant.eori", "transport.vehicle_plate", "goods[0].containers[2]"
  std::string value;  // the declared value
  Hit hit;
};

struct ScreenerOptions {
  // Hits scoring below are dropped. Chosen from bench/screening (see bench/screening/RESULTS.md).
  double threshold = 0.84;
  std::size_t max_hits_per_query = 10;
  // An import adds its entities grouped by their name words (most common word first) rather
  // than in id order, so that a common name's candidates are read from nearby memory. Hits
  // are the same either way; off only to measure what it gives (bench/screening).
  bool order_slots_by_name_words = true;
};

struct ImportReport {
  std::string list;
  int64_t version = 0;  // per list: 1 for the first import, +1 for every change
  int64_t added = 0, changed = 0, removed = 0;
  int64_t entity_count = 0;  // in the list after the import
  // Ids in the list of entities added or changed: pass to rescreen_declaration.
  std::vector<std::string> changed_ids;
  std::vector<std::string> removed_ids;
};

struct ListStatus {
  std::string list;
  int64_t version = 0;
  int64_t entity_count = 0;
};

// A hit an analyst reviewed and found false: the pair is not raised again.
struct ReviewedFalsePositive {
  std::string list;
  std::string entity_id;
  std::string query_value;  // Hit::query_value (normalised); normalised again when added
  bool operator==(const ReviewedFalsePositive&) const = default;
};

struct EntityKey {
  std::string list;
  std::string id;
  bool operator==(const EntityKey&) const = default;
};

class Screener {
 public:
  explicit Screener(ScreenerOptions options = {});
  ~Screener();
  Screener(const Screener&) = delete;
  Screener& operator=(const Screener&) = delete;

  // --- lists (writers) ---
  // Replaces the whole list named `list` by `entities`, computing what was added, changed and
  // removed; the index is updated for the difference only. An unchanged import keeps the version.
  // Entities whose list field is empty get `list`.
  // REQUIRES: ids unique within entities (a duplicate id keeps the last one).
  ImportReport import_list(std::string_view list, std::vector<WatchlistEntity> entities);
  // Adds or replaces single entities (keyed by list and id), e.g. one alert from an API.
  ImportReport upsert(std::vector<WatchlistEntity> entities);
  ImportReport remove(std::string_view list, std::span<const std::string> ids);
  void drop_list(std::string_view list);

  // --- exclusions (writers) ---
  // Values too generic to match ("MERCEDES", "TO ORDER"): a query name or identifier that
  // normalises to one of them raises nothing. The defaults are listed in docs/screening.md.
  void add_exclusion(std::string_view value);
  void remove_exclusion(std::string_view value);
  std::vector<std::string> exclusions() const;  // normalised, sorted
  void add_reviewed_false_positive(ReviewedFalsePositive reviewed);
  void remove_reviewed_false_positive(const ReviewedFalsePositive& reviewed);
  std::vector<ReviewedFalsePositive> reviewed_false_positives() const;

  // --- readers ---
  std::vector<ListStatus> lists() const;
  std::shared_ptr<const WatchlistEntity> find_entity(std::string_view list, std::string_view id) const;
  const ScreenerOptions& options() const { return options_; }

  // Hits for one query, best first, at most options().max_hits_per_query.
  std::vector<Hit> screen(const ScreeningQuery& query) const;
  // The same with another cap on the number of hits (SIZE_MAX: every hit above the threshold),
  // in the same total order: score, then list, then id.
  std::vector<Hit> screen(const ScreeningQuery& query, std::size_t max_hits) const;
  // Every party (name, name_original, address, EORI, TIN), the declarant, vehicle and trailer
  // (plate + country, VIN), vessel (IMO, name) and container of a declaration, best first.
  std::vector<DeclarationHit> screen_declaration(const Declaration& declaration) const;
  // The same, against the given entities only (after an import: ImportReport::changed_ids).
  std::vector<DeclarationHit> rescreen_declaration(const Declaration& declaration,
                                                   std::span<const EntityKey> entities) const;
  // For measurement: the same scorer applied to every entity of every list, no index.
  std::vector<Hit> screen_brute_force(const ScreeningQuery& query) const;
  std::vector<Hit> screen_brute_force(const ScreeningQuery& query, std::size_t max_hits) const;

  struct Stats {
    int64_t entities = 0;
    int64_t distinct_tokens = 0;
    int64_t identifier_keys = 0;
    // Query names whose candidates were cut to the 20,000 best covered (names made only of the
    // commonest words of a very large list): each such cut may lose hits; bench/screening
    // reports it.
    int64_t capped_queries = 0;
    // Pair lists of common tokens (the candidates of names made of common words) and the
    // entries they hold.
    int64_t pair_lists = 0;
    int64_t pair_postings = 0;
    // Listed entities whose names queries have scored through the index, since the start:
    // the work the candidate index and its score bounds leave (bench/screening reports it).
    int64_t names_scored = 0;
  };
  Stats stats() const;

  struct State;  // opaque: lists, index, exclusions (screener.cc)

 private:
  ScreenerOptions options_;
  std::unique_ptr<State> state_;
};

}  // namespace cordon::screening
