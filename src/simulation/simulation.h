// The simulation engine behind `cordon simulate`: a seeded generator of a customs world —
// traders with regular partners and trade lanes, carriers and their fleets, a watch list, a
// month of advance cargo declarations — with irregularities planted in some declarations and
// the ground truth of every planted fact, so that Cordon's accuracy can be measured.
//
// Deterministic: the same options give the same world, byte for byte in the written files.
// Each part of the world draws from its own random stream (seed + part name), so a part added
// later (journeys, seizures, control results) does not change the parts generated before it.
//
// Thread-safety: the functions keep no state; concurrent calls with different out_dir are safe.
#pragma once

#include <cstdint>
#include <expected>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/declaration.h"
#include "simulation/journeys.h"

namespace cordon::simulation {

// Bumped whenever the same options start giving a different world.
inline constexpr std::string_view kGeneratorVersion = "1";

struct SimulationOptions {
  uint64_t seed = 42;
  // 1.0 is a mid-sized national administration: about 800 traders in about 30 countries,
  // 60 carriers and 10,000 declarations per 30 days. Counts are linear in the scale.
  double scale = 1.0;
  std::string start_date = "2026-01-05";  // first day declarations are lodged, YYYY-MM-DD
  int days = 30;                          // declarations per day do not depend on days
  // Supervised journeys under e-seals (journeys.h), with their devices, routes and planted
  // incidents; -1: 40 per unit of scale (at least 1). 0 writes none.
  int journeys = -1;
};

// Refuses what cannot make a world: scale outside (0, 1000], days outside [1, 3660], a
// start date that is not a calendar date, journeys outside [-1, 100000].
std::expected<void, std::string> check_options(const SimulationOptions& options);

// --- the world -----------------------------------------------------------------------------

enum class TraderRole { kConsignor, kConsignee, kDeclarant, kCarrier };
std::string_view to_string(TraderRole role);  // "consignor", ...

struct Vessel {
  std::string imo;   // 7 digits with a valid check digit
  std::string name;  // "ORIENT HARMONY"
};

// A road tractor unit with its usual trailer.
struct Vehicle {
  std::string plate;  // as written on the plate, Latin letters ("34 ABC 123")
  std::string country;
  std::string vin;
  std::string trailer_plate;
  std::string trailer_vin;
};

struct Trader {
  std::string id;  // "TR00042" for traders, "CA00007" for carriers
  TraderRole role = TraderRole::kConsignor;
  std::string name;           // Latin form, as it appears in declarations
  std::string name_original;  // own-script form ("ООО «Балтийский Транзит»"), empty when Latin
  std::string script;         // ISO 15924 code of name_original: "Cyrl", "Hans", "Grek", ...
  std::string legal_form;     // Latin form: "OOO", "GmbH", "Co., Ltd."; empty for a person
  bool natural_person = false;  // a sole proprietor trading under their own name
  Address address;
  std::string eori;
  std::string tin;
  double activity = 0;  // expected declarations per day (consignees, declarants)
  std::vector<std::string> partners;  // regular counterparts: a consignee's consignors
  std::vector<std::string> hs_codes;  // what a consignor ships
  // Carriers only.
  std::optional<TransportMode> mode;
  std::string airline_designator;  // air carriers: "LH"
  std::vector<Vessel> vessels;
  std::vector<Vehicle> vehicles;
};

enum class WatchEntityType { kPerson, kOrganisation, kVehicle, kContainer, kVessel };
std::string_view to_string(WatchEntityType type);  // "person", "organisation", ...

struct WatchName {
  std::string name;
  std::string script;  // ISO 15924: "Latn", "Cyrl", "Hans", ...
  std::string kind;    // "primary", "alias", "original_script"
};

struct WatchIdentifier {
  std::string type;  // "plate", "vin", "container", "imo", "eori", "tin"
  std::string value;
  std::string country;  // for plates
};

struct WatchlistEntry {
  std::string id;  // "SIM-P-0007"
  WatchEntityType type = WatchEntityType::kPerson;
  std::vector<WatchName> names;  // the first is the primary Latin name
  std::string dob;               // persons, YYYY-MM-DD
  std::string nationality;       // persons; ISO 3166 alpha-2
  std::string country;           // organisations, vehicles, vessels: registration country
  std::vector<WatchIdentifier> identifiers;
  std::string list = "SIM-NATIONAL";
  std::string listed_on;    // YYYY-MM-DD
  std::string reason;       // why it is listed, for the analyst
  std::string instruction;  // what a customs officer is to do on a hit
};

enum class FactKind {
  kUndervaluation,
  kHsDescriptionMismatch,
  kWatchlistParty,
  kStolenVehicle,
  kStolenContainer,
  kUnusualRoute,
  kNewTraderPair,
  kLookalikeInnocent,
};
std::string_view to_string(FactKind kind);  // "undervaluation", "hs_description_mismatch", ...
std::vector<FactKind> all_fact_kinds();

// One planted fact: what a perfect risk engine should find (or, for kLookalikeInnocent, should
// not be fooled by) in one declaration.
struct GroundTruthFact {
  std::string reference;        // Declaration::reference
  FactKind kind = FactKind::kUndervaluation;
  std::string path;             // the field that carries it: "goods[0].value", "parties[1].name"
  std::string watchlist_entry;  // WatchlistEntry::id, for watch-list facts and look-alikes
  std::string variant;          // how it is disguised: "transliteration", "plate_one_char", ...
  std::string detail;           // a sentence for the analyst
};

struct World {
  SimulationOptions options;
  std::vector<Trader> traders;   // consignors, consignees and declarants
  std::vector<Trader> carriers;  // shipping lines, hauliers, airlines, rail operators
  std::vector<WatchlistEntry> watchlist;
  std::vector<Declaration> declarations;  // in lodged_at order, each with a unique reference
  std::vector<GroundTruthFact> ground_truth;
};

// REQUIRES: check_options(options) succeeds (otherwise throws std::invalid_argument).
// progress, when set, is called with a rising fraction in [0, 1].
World generate_world(const SimulationOptions& options,
                     const std::function<void(double fraction)>& progress = {});

// --- files ---------------------------------------------------------------------------------

struct SimulationSummary {
  uint64_t seed = 0;
  double scale = 0;
  std::string start_date;
  int days = 0;
  // Lines per written file: "declarations.ndjson" -> 10012, ...
  std::map<std::string, int64_t> file_counts;
  // Planted facts per kind: "undervaluation" -> 203, ...
  std::map<std::string, int64_t> fact_counts;
  // Declarations carrying at least one fact of a kind other than lookalike_innocent.
  int64_t irregular_declarations = 0;
};

// Generates the world and writes, each file atomically (temporary file, then rename):
//   world.json            manifest: options, counts, generator version, planting rates
//   declarations.ndjson   Cordon wire format (declaration_to_json_text), lodged_at order
//   ground_truth.ndjson   one GroundTruthFact per line
//   traders.ndjson        traders and carriers, with fleets
//   watchlist.ndjson      one WatchlistEntry per line
//   devices.ndjson, routes.ndjson, journeys.ndjson, journey_incidents.ndjson
//                         the supervised journeys (docs/simulation.md)
// out_dir is created when missing. Errors: bad options, a directory or file that cannot be
// written; files already renamed into place are left there.
std::expected<SimulationSummary, std::string> simulate_world(
    const SimulationOptions& options, const std::filesystem::path& out_dir,
    std::function<void(double fraction)> progress = {});

// The supervised journeys of a world: their own stream of the seed (so adding them changed no
// other file), sealed over the first day from 08:00 UTC of start_date, reporting every 30 s.
// REQUIRES check_options(options).
JourneyWorldOptions journey_world_options(const SimulationOptions& options);

// A written world's journeys, for a replay: regenerated from world.json's options (the
// telemetry is not written out; it is deterministic) and checked against journeys.ndjson, with
// each journey's device protocol from devices.ndjson (which an integrator may edit). Errors name
// the file and line.
struct ReplayWorld {
  JourneyWorld world;
  std::vector<std::string> protocols;  // per journey: "eseal", "osmand" or "json"
  std::vector<std::string> models;     // per journey: the device model
};
std::expected<ReplayWorld, std::string> load_replay_world(const std::filesystem::path& dir);

// The lines of the files, for callers that stream them elsewhere (an API, a store).
std::string trader_to_json_text(const Trader& trader);
std::string watchlist_entry_to_json_text(const WatchlistEntry& entry);
std::string fact_to_json_text(const GroundTruthFact& fact);

}  // namespace cordon::simulation
