// simulate_world: the world as files, each written to a temporary name and renamed into place
// so that a reader never sees half a file.
#include <cstdio>
#include <fstream>
#include <system_error>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/declaration_json.h"
#include "simulation/simulation.h"

namespace cordon::simulation {
namespace {

using nlohmann::ordered_json;

ordered_json address_json(const Address& a) {
  return ordered_json{{"street", a.street}, {"city", a.city}, {"postcode", a.postcode}, {"country", a.country}};
}

void put_if(ordered_json& j, const char* key, const std::string& value) {
  if (!value.empty()) j[key] = value;
}

class AtomicFile {
 public:
  explicit AtomicFile(std::filesystem::path path) : path_(std::move(path)) {
    temp_ = path_;
    temp_ += ".tmp";
    out_.open(temp_, std::ios::binary | std::ios::trunc);
  }
  bool ok() const { return out_.good(); }
  void line(const std::string& text) {
    out_ << text << '\n';
    ++lines_;
  }
  void text(const std::string& text) { out_ << text; }
  int64_t lines() const { return lines_; }

  std::expected<void, std::string> commit() {
    out_.flush();
    if (!out_.good()) return std::unexpected(fmt::format("cannot write {}", temp_.string()));
    out_.close();
    std::error_code ec;
    std::filesystem::rename(temp_, path_, ec);
    if (ec) return std::unexpected(fmt::format("cannot rename {} to {}: {}", temp_.string(), path_.string(), ec.message()));
    return {};
  }
  ~AtomicFile() {
    if (out_.is_open()) {
      out_.close();
      std::error_code ec;
      std::filesystem::remove(temp_, ec);
    }
  }

 private:
  std::filesystem::path path_, temp_;
  std::ofstream out_;
  int64_t lines_ = 0;
};

}  // namespace

std::string trader_to_json_text(const Trader& t) {
  ordered_json j;
  j["id"] = t.id;
  j["role"] = to_string(t.role);
  j["name"] = t.name;
  put_if(j, "name_original", t.name_original);
  j["script"] = t.script;
  put_if(j, "legal_form", t.legal_form);
  if (t.natural_person) j["natural_person"] = true;
  j["address"] = address_json(t.address);
  put_if(j, "eori", t.eori);
  put_if(j, "tin", t.tin);
  if (t.activity > 0) j["declarations_per_day"] = t.activity;
  if (!t.partners.empty()) j["partners"] = t.partners;
  if (!t.hs_codes.empty()) j["hs_codes"] = t.hs_codes;
  if (t.mode) j["mode"] = to_string(*t.mode);
  put_if(j, "airline_designator", t.airline_designator);
  if (!t.vessels.empty()) {
    auto& vessels = j["vessels"] = ordered_json::array();
    for (const auto& v : t.vessels) vessels.push_back(ordered_json{{"imo", v.imo}, {"name", v.name}});
  }
  if (!t.vehicles.empty()) {
    auto& vehicles = j["vehicles"] = ordered_json::array();
    for (const auto& v : t.vehicles) {
      vehicles.push_back(ordered_json{{"plate", v.plate},
                                      {"country", v.country},
                                      {"vin", v.vin},
                                      {"trailer_plate", v.trailer_plate},
                                      {"trailer_vin", v.trailer_vin}});
    }
  }
  return j.dump();
}

std::string watchlist_entry_to_json_text(const WatchlistEntry& e) {
  ordered_json j;
  j["id"] = e.id;
  j["type"] = to_string(e.type);
  if (!e.names.empty()) {
    auto& names = j["names"] = ordered_json::array();
    for (const auto& n : e.names) names.push_back(ordered_json{{"name", n.name}, {"script", n.script}, {"kind", n.kind}});
  }
  put_if(j, "dob", e.dob);
  put_if(j, "nationality", e.nationality);
  put_if(j, "country", e.country);
  if (!e.identifiers.empty()) {
    auto& ids = j["identifiers"] = ordered_json::array();
    for (const auto& i : e.identifiers) {
      ordered_json id{{"type", i.type}, {"value", i.value}};
      put_if(id, "country", i.country);
      ids.push_back(std::move(id));
    }
  }
  j["list"] = e.list;
  put_if(j, "listed_on", e.listed_on);
  put_if(j, "reason", e.reason);
  put_if(j, "instruction", e.instruction);
  return j.dump();
}

std::string fact_to_json_text(const GroundTruthFact& f) {
  ordered_json j;
  j["reference"] = f.reference;
  j["kind"] = to_string(f.kind);
  j["path"] = f.path;
  put_if(j, "watchlist_entry", f.watchlist_entry);
  put_if(j, "variant", f.variant);
  put_if(j, "detail", f.detail);
  return j.dump();
}

std::expected<SimulationSummary, std::string> simulate_world(const SimulationOptions& options,
                                                             const std::filesystem::path& out_dir,
                                                             std::function<void(double fraction)> progress) {
  if (auto ok = check_options(options); !ok) return std::unexpected(ok.error());
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) return std::unexpected(fmt::format("cannot create {}: {}", out_dir.string(), ec.message()));

  const World world = generate_world(options, progress);
  SimulationSummary summary;
  summary.seed = options.seed;
  summary.scale = options.scale;
  summary.start_date = options.start_date;
  summary.days = options.days;

  auto write = [&](const std::string& name, auto&& fill) -> std::expected<void, std::string> {
    AtomicFile file(out_dir / name);
    if (!file.ok()) return std::unexpected(fmt::format("cannot open {} for writing", (out_dir / name).string()));
    fill(file);
    if (auto done = file.commit(); !done) return done;
    summary.file_counts[name] = file.lines();
    return {};
  };

  if (auto r = write("declarations.ndjson", [&](AtomicFile& f) {
        const double n = static_cast<double>(world.declarations.size());
        for (std::size_t i = 0; i < world.declarations.size(); ++i) {
          f.line(declaration_to_json_text(world.declarations[i]));
          if (progress && i % 5000 == 0) progress(0.8 + 0.15 * static_cast<double>(i) / n);
        }
      });
      !r) {
    return std::unexpected(r.error());
  }
  if (auto r = write("ground_truth.ndjson", [&](AtomicFile& f) {
        for (const auto& fact : world.ground_truth) f.line(fact_to_json_text(fact));
      });
      !r) {
    return std::unexpected(r.error());
  }
  if (auto r = write("traders.ndjson", [&](AtomicFile& f) {
        for (const auto& t : world.traders) f.line(trader_to_json_text(t));
        for (const auto& c : world.carriers) f.line(trader_to_json_text(c));
      });
      !r) {
    return std::unexpected(r.error());
  }
  if (auto r = write("watchlist.ndjson", [&](AtomicFile& f) {
        for (const auto& e : world.watchlist) f.line(watchlist_entry_to_json_text(e));
      });
      !r) {
    return std::unexpected(r.error());
  }

  for (auto kind : all_fact_kinds()) summary.fact_counts[std::string(to_string(kind))] = 0;
  std::string last;
  for (const auto& fact : world.ground_truth) {
    ++summary.fact_counts[std::string(to_string(fact.kind))];
    if (fact.kind != FactKind::kLookalikeInnocent && fact.reference != last) {
      ++summary.irregular_declarations;
      last = fact.reference;
    }
  }

  ordered_json manifest;
  manifest["generator"] = "cordon simulate";
  manifest["generator_version"] = kGeneratorVersion;
  manifest["seed"] = options.seed;
  manifest["scale"] = options.scale;
  manifest["start_date"] = options.start_date;
  manifest["days"] = options.days;
  ordered_json counts;
  counts["traders"] = world.traders.size();
  counts["carriers"] = world.carriers.size();
  int64_t vessels = 0, vehicles = 0;
  for (const auto& c : world.carriers) {
    vessels += static_cast<int64_t>(c.vessels.size());
    vehicles += static_cast<int64_t>(c.vehicles.size());
  }
  counts["vessels"] = vessels;
  counts["vehicles"] = vehicles;
  counts["watchlist_entries"] = world.watchlist.size();
  counts["declarations"] = world.declarations.size();
  counts["ground_truth_facts"] = world.ground_truth.size();
  counts["irregular_declarations"] = summary.irregular_declarations;
  manifest["counts"] = counts;
  manifest["facts"] = summary.fact_counts;
  manifest["files"] = summary.file_counts;
  if (auto r = write("world.json", [&](AtomicFile& f) { f.text(manifest.dump(2) + "\n"); }); !r) {
    return std::unexpected(r.error());
  }
  summary.file_counts["world.json"] = 1;
  if (progress) progress(1.0);
  return summary;
}

}  // namespace cordon::simulation
