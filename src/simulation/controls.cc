#include "simulation/controls.h"

#include <fstream>
#include <map>
#include <unordered_map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/declaration_json.h"
#include "simulation/random.h"

namespace cordon::simulation {
namespace {

// A uniform draw in [0, 1) from the seed, a purpose and the reference: each decision is
// independent and the same inputs give the same outcome.
double draw(uint64_t seed, std::string_view purpose, std::string_view reference) {
  uint64_t h = detail::mix64(seed ^ detail::hash_label(purpose) ^ detail::mix64(detail::hash_label(reference)));
  return static_cast<double>(h >> 11) * 0x1.0p-53;
}

}  // namespace

bool is_irregular(FactKind kind) { return kind != FactKind::kLookalikeInnocent; }

ControlRecord inspect(const Declaration& d, const std::vector<const GroundTruthFact*>& facts,
                      const ControlOptions& options) {
  ControlRecord r{d.reference, d.declarant.eori, false, {}, {}};
  for (const auto* f : facts) {
    if (!is_irregular(f->kind)) continue;
    if (draw(options.seed, "miss", d.reference) < options.miss_rate) break;  // the inspector missed it
    r.irregularity = true;
    r.category = std::string(to_string(f->kind));
    r.seizure_reference = fmt::format("SZ-{}", d.reference);
    break;
  }
  return r;
}

std::vector<ControlRecord> draw_controls(const World& world, const ControlOptions& options) {
  std::unordered_map<std::string, std::vector<const GroundTruthFact*>> facts;
  for (const auto& f : world.ground_truth) facts[f.reference].push_back(&f);
  std::vector<ControlRecord> out;
  static const std::vector<const GroundTruthFact*> kNone;
  for (const auto& d : world.declarations) {
    if (draw(options.seed, "control", d.reference) >= options.share) continue;
    auto it = facts.find(d.reference);
    out.push_back(inspect(d, it == facts.end() ? kNone : it->second, options));
  }
  return out;
}

std::string control_to_json_text(const ControlRecord& r) {
  nlohmann::ordered_json j{{"reference", r.reference},
                           {"declarant_eori", r.declarant_eori},
                           {"outcome", r.irregularity ? "irregularity" : "no_irregularity"}};
  if (!r.category.empty()) j["category"] = r.category;
  if (!r.seizure_reference.empty()) j["seizure_reference"] = r.seizure_reference;
  return j.dump();
}

std::expected<int64_t, std::string> write_controls(const std::filesystem::path& dir, const ControlOptions& options) {
  std::ifstream truth(dir / "ground_truth.ndjson");
  if (!truth) return std::unexpected(fmt::format("cannot read {}", (dir / "ground_truth.ndjson").string()));
  std::vector<GroundTruthFact> ground_truth;
  std::string line;
  std::map<std::string, FactKind> kinds;
  for (auto k : all_fact_kinds()) kinds[std::string(to_string(k))] = k;
  while (std::getline(truth, line)) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_object()) continue;
    auto kind = kinds.find(j.value("kind", ""));
    if (kind == kinds.end()) continue;
    GroundTruthFact f;
    f.reference = j.value("reference", "");
    f.kind = kind->second;
    ground_truth.push_back(std::move(f));
  }
  std::unordered_map<std::string, std::vector<const GroundTruthFact*>> facts;
  for (const auto& f : ground_truth) facts[f.reference].push_back(&f);
  std::ifstream in(dir / "declarations.ndjson");
  if (!in) return std::unexpected(fmt::format("cannot read {}", (dir / "declarations.ndjson").string()));
  auto temp = dir / "controls.ndjson.tmp";
  std::ofstream out(temp, std::ios::binary | std::ios::trunc);
  if (!out) return std::unexpected(fmt::format("cannot write {}", temp.string()));
  static const std::vector<const GroundTruthFact*> kNone;
  int64_t lines = 0;
  while (std::getline(in, line)) {
    auto d = declaration_from_json_text(line);
    if (!d) continue;
    if (draw(options.seed, "control", d->reference) >= options.share) continue;
    auto it = facts.find(d->reference);
    out << control_to_json_text(inspect(*d, it == facts.end() ? kNone : it->second, options)) << '\n';
    ++lines;
  }
  out.close();
  if (!out) return std::unexpected(fmt::format("cannot write {}", temp.string()));
  std::error_code ec;
  std::filesystem::rename(temp, dir / "controls.ndjson", ec);
  if (ec) return std::unexpected(fmt::format("cannot rename {}: {}", temp.string(), ec.message()));
  return lines;
}

}  // namespace cordon::simulation
