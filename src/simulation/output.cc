// simulate_world: the world as files, each written to a temporary name and renamed into place
// so that a reader never sees half a file.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <system_error>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/declaration_json.h"
#include "core/time.h"
#include "simulation/device_frames.h"
#include "simulation/random.h"
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

ordered_json polygon_json(const std::vector<GeoPoint>& points) {
  ordered_json out = ordered_json::array();
  for (const auto& p : points) out.push_back(ordered_json::array({p.lat, p.lon}));
  return out;
}

// A zone as POST /api/v1/journeys takes it.
ordered_json zone_json(const SimZone& z) {
  ordered_json j;
  j["id"] = z.id;
  j["kind"] = z.kind;
  j["max_stay_s"] = z.max_stay_s;
  j["polygon"] = polygon_json(z.polygon);
  return j;
}

ordered_json route_json(const SimRoute& r) {
  ordered_json j;
  j["id"] = r.id;
  j["name"] = r.name;
  j["departure_office"] = r.departure_office;
  j["destination_office"] = r.destination_office;
  j["corridor_half_width_m"] = r.corridor_half_width_m;
  j["points"] = polygon_json(r.points);
  auto& zones = j["stop_zones"] = ordered_json::array();
  for (const auto& z : r.stop_zones) zones.push_back(zone_json(z));
  j["unsealing_zone"] = zone_json(r.unsealing_zone);
  return j;
}

ordered_json journey_json(const JourneyWorld& w, std::uint32_t index) {
  const SimJourney& sj = w.journeys[index];
  ordered_json j;
  j["journey"] = index;
  j["mrn"] = sj.mrn;
  j["route"] = w.routes[sj.route].id;
  j["device_id"] = sj.device_id;
  j["vehicle"] = sj.vehicle;
  put_if(j, "container", sj.container);
  j["goods"] = sj.goods;
  if (sj.tank_truck) j["tank_truck"] = true;
  if (sj.temperature_range)
    j["temperature_c"] = ordered_json::array({sj.temperature_range->first, sj.temperature_range->second});
  if (sj.humidity_range)
    j["humidity_percent"] = ordered_json::array({sj.humidity_range->first, sj.humidity_range->second});
  j["sealed_at"] = sj.sealed_at;
  j["authorise_unseal_at"] = sj.authorise_unseal_at;
  j["unseal_at"] = sj.unseal_at;
  j["time_limit_s"] = sj.time_limit_s;
  j["report_interval_s"] = sj.report_interval_s;
  if (sj.clock_unset) j["clock_unset"] = true;
  return j;
}

// Each device speaks a protocol that carries everything its journey's detectors need, taken in
// turn among those that can, so a world exercises every listener.
std::string device_protocol(const SimJourney& journey, std::uint32_t index) {
  std::vector<std::string_view> able;
  for (auto p : kReplayProtocols) {
    if (carries(p, journey)) able.push_back(p);
  }
  return std::string(able[index % able.size()]);
}

}  // namespace

JourneyWorldOptions journey_world_options(const SimulationOptions& options) {
  JourneyWorldOptions o;
  o.seed = detail::mix64(options.seed ^ detail::hash_label("journeys"));
  o.journeys =
      options.journeys >= 0 ? options.journeys : std::max(1, static_cast<int>(std::lround(40 * options.scale)));
  o.start_time = *parse_date(options.start_date) * 86400 + 8 * 3600;
  return o;
}

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

  // Supervised journeys: devices, routes, journeys and the incidents planted on them.
  const JourneyWorldOptions journey_options = journey_world_options(options);
  const JourneyWorld journeys = journey_options.journeys > 0 ? generate_journey_world(journey_options) : JourneyWorld{};
  if (auto r = write("devices.ndjson",
                     [&](AtomicFile& f) {
                       for (std::uint32_t i = 0; i < journeys.journeys.size(); ++i) {
                         const SimJourney& sj = journeys.journeys[i];
                         ordered_json j;
                         j["id"] = sj.device_id;
                         j["type"] = "active";
                         j["model"] = "JT701";
                         j["home_station"] = journeys.routes[sj.route].departure_office;
                         j["protocol"] = device_protocol(sj, i);
                         j["journey"] = sj.mrn;
                         f.line(j.dump());
                       }
                     });
      !r) {
    return std::unexpected(r.error());
  }
  if (auto r = write("routes.ndjson",
                     [&](AtomicFile& f) {
                       for (const auto& route : journeys.routes) f.line(route_json(route).dump());
                     });
      !r) {
    return std::unexpected(r.error());
  }
  if (auto r = write("journeys.ndjson",
                     [&](AtomicFile& f) {
                       for (std::uint32_t i = 0; i < journeys.journeys.size(); ++i)
                         f.line(journey_json(journeys, i).dump());
                     });
      !r) {
    return std::unexpected(r.error());
  }
  std::map<std::string, int64_t> incident_counts;
  if (auto r = write("journey_incidents.ndjson",
                     [&](AtomicFile& f) {
                       for (const auto& inc : journeys.incidents) {
                         const SimJourney& sj = journeys.journeys[inc.journey];
                         ordered_json j;
                         j["journey"] = inc.journey;
                         j["mrn"] = sj.mrn;
                         j["device_id"] = sj.device_id;
                         j["type"] = inc.type;
                         j["start"] = inc.start;
                         j["note"] = inc.note;
                         f.line(j.dump());
                         ++incident_counts[inc.type];
                       }
                     });
      !r) {
    return std::unexpected(r.error());
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
  ordered_json supervision;
  supervision["journeys"] = journey_options.journeys;
  supervision["seed_stream"] = "journeys";
  supervision["start_time"] = journey_options.start_time;
  supervision["departure_window_s"] = journey_options.departure_window_s;
  supervision["report_interval_s"] = journey_options.report_interval_s;
  supervision["incident_share"] = journey_options.incident_share;
  supervision["routes"] = journeys.routes.size();
  supervision["incidents"] = incident_counts;
  manifest["supervision"] = supervision;
  manifest["files"] = summary.file_counts;
  if (auto r = write("world.json", [&](AtomicFile& f) { f.text(manifest.dump(2) + "\n"); }); !r) {
    return std::unexpected(r.error());
  }
  summary.file_counts["world.json"] = 1;
  if (progress) progress(1.0);
  return summary;
}

std::expected<ReplayWorld, std::string> load_replay_world(const std::filesystem::path& dir) {
  std::ifstream manifest_file(dir / "world.json");
  if (!manifest_file)
    return std::unexpected(fmt::format("{}: cannot be read (run cordon simulate --out {} first)",
                                       (dir / "world.json").string(), dir.string()));
  const auto manifest = nlohmann::json::parse(manifest_file, nullptr, false);
  if (manifest.is_discarded() || !manifest.is_object())
    return std::unexpected(fmt::format("{}: not JSON", (dir / "world.json").string()));
  const auto supervision = manifest.find("supervision");
  if (supervision == manifest.end() || !supervision->is_object() || !(*supervision)["journeys"].is_number_integer()) {
    return std::unexpected(
        fmt::format("{}: no \"supervision\" section; the world was written by an older cordon simulate",
                    (dir / "world.json").string()));
  }
  SimulationOptions options;
  try {
    options.seed = manifest.at("seed").get<uint64_t>();
    options.scale = manifest.at("scale").get<double>();
    options.start_date = manifest.at("start_date").get<std::string>();
    options.days = manifest.at("days").get<int>();
    options.journeys = (*supervision)["journeys"].get<int>();
  } catch (const nlohmann::json::exception& e) {
    return std::unexpected(fmt::format("{}: {}", (dir / "world.json").string(), e.what()));
  }
  if (auto ok = check_options(options); !ok)
    return std::unexpected(fmt::format("{}: {}", (dir / "world.json").string(), ok.error()));
  ReplayWorld out;
  out.world = generate_journey_world(journey_world_options(options));
  const auto& journeys = out.world.journeys;

  // The files must describe the world regenerated here; another generator would replay
  // different telemetry under the same names.
  std::ifstream journeys_file(dir / "journeys.ndjson");
  if (!journeys_file) return std::unexpected(fmt::format("{}: cannot be read", (dir / "journeys.ndjson").string()));
  std::string line;
  std::size_t n = 0;
  while (std::getline(journeys_file, line)) {
    const auto j = nlohmann::json::parse(line, nullptr, false);
    const std::string where = fmt::format("{}:{}", (dir / "journeys.ndjson").string(), n + 1);
    if (j.is_discarded() || !j.is_object()) return std::unexpected(where + ": not a JSON object");
    if (n >= journeys.size() || j.value("mrn", "") != journeys[n].mrn ||
        j.value("device_id", "") != journeys[n].device_id) {
      return std::unexpected(where +
                             ": does not match the journeys regenerated from world.json (another generator version?)");
    }
    ++n;
  }
  if (n != journeys.size()) {
    return std::unexpected(
        fmt::format("{}: {} journeys, world.json gives {}", (dir / "journeys.ndjson").string(), n, journeys.size()));
  }
  std::map<std::string, std::pair<std::string, std::string>> devices;  // id -> (protocol, model)
  std::ifstream devices_file(dir / "devices.ndjson");
  if (!devices_file) return std::unexpected(fmt::format("{}: cannot be read", (dir / "devices.ndjson").string()));
  n = 0;
  while (std::getline(devices_file, line)) {
    ++n;
    const auto j = nlohmann::json::parse(line, nullptr, false);
    const std::string where = fmt::format("{}:{}", (dir / "devices.ndjson").string(), n);
    if (j.is_discarded() || !j.is_object() || !j.contains("id") || !j["id"].is_string()) {
      return std::unexpected(where + ": expected an object with a string id");
    }
    const std::string protocol = j.value("protocol", "json");
    if (!is_replay_protocol(protocol)) {
      return std::unexpected(fmt::format("{}: protocol \"{}\" is not one of eseal, osmand, json", where, protocol));
    }
    devices[j["id"].get<std::string>()] = {protocol, j.value("model", "")};
  }
  for (const SimJourney& sj : journeys) {
    const auto it = devices.find(sj.device_id);
    if (it == devices.end()) {
      return std::unexpected(fmt::format("{}: device {} of journey {} is missing", (dir / "devices.ndjson").string(),
                                         sj.device_id, sj.mrn));
    }
    out.protocols.push_back(it->second.first);
    out.models.push_back(it->second.second);
  }
  return out;
}

}  // namespace cordon::simulation
