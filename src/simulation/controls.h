// Control results drawn from the simulated world's ground truth: for a share of declarations,
// what a physical inspection would find — an irregularity exactly when the ground truth planted
// one (a look-alike innocent is not one), except that inspectors miss a small share of them.
// `cordon simulate` writes them to controls.ndjson; the selection bench and the tests use them
// as the outcomes officers would record.
#pragma once

#include <cstdint>
#include <expected>
#include <filesystem>
#include <string>
#include <vector>

#include "simulation/simulation.h"

namespace cordon::simulation {

struct ControlOptions {
  double share = 0.10;      // declarations controlled, 0..1, drawn uniformly
  double miss_rate = 0.05;  // planted irregularities an inspection does not find
  uint64_t seed = 1;
};

struct ControlRecord {
  std::string reference;       // Declaration::reference
  std::string declarant_eori;  // with the reference, identifies the declaration
  bool irregularity = false;
  std::string category;        // the first planted fact's kind, when found
  std::string seizure_reference;
};

// Whether the ground truth makes the declaration irregular (any fact but a look-alike).
bool is_irregular(FactKind kind);

// What an inspection of the declaration would find, planted facts given; deterministic in
// (seed, reference).
ControlRecord inspect(const Declaration& declaration, const std::vector<const GroundTruthFact*>& facts,
                      const ControlOptions& options);

std::vector<ControlRecord> draw_controls(const World& world, const ControlOptions& options);

// Reads declarations.ndjson and ground_truth.ndjson from `dir` and writes controls.ndjson there
// (atomically). Returns the number of lines written.
std::expected<int64_t, std::string> write_controls(const std::filesystem::path& dir, const ControlOptions& options);

std::string control_to_json_text(const ControlRecord& record);

}  // namespace cordon::simulation
