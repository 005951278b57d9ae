// bench_supervision: the supervision engine against simulated journeys (src/simulation/journeys.h).
//
//  1. Accuracy: journeys with one planted incident each (60 %) and innocuous noise everywhere,
//     reporting every 30 s, replayed in receive-time order with officers' actions (seal, remote
//     unseal, unseal) and tick() every simulated minute. Each alarm is matched to a planted
//     incident of the same journey and type whose start is within a tolerance of the alarm's
//     started_at; precision and recall per alarm type.
//  2. Throughput: 100,000 devices on 100,000 journeys reporting every 5 s, every detector on,
//     fed in-process on one thread: messages per second of engine time, p50/p99 per-message
//     latency, tick() cost, and resident memory per supervised journey.
//
//   build/h-sup-bench/bench/supervision/bench_supervision [--journeys 3000] [--devices 100000]
//       [--seconds 120] [--write bench/supervision/RESULTS.md] [--micro]
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <bit>

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <unistd.h>

#include "simulation/journeys.h"
#include "supervision/engine.h"

namespace {

using namespace cordon;
using namespace cordon::supervision;
using simulation::SimReport;

long rss_bytes() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * sysconf(_SC_PAGESIZE);
}

ZoneKind zone_kind(const std::string& kind) {
  if (kind == "customs_office") return ZoneKind::kCustomsOffice;
  if (kind == "border_crossing") return ZoneKind::kBorderCrossing;
  if (kind == "parking") return ZoneKind::kParking;
  if (kind == "unsealing") return ZoneKind::kUnsealing;
  return ZoneKind::kRestArea;
}

Zone convert_zone(const simulation::SimZone& z) {
  std::vector<LatLon> vertices;
  for (const auto& p : z.polygon) vertices.push_back({p.lat, p.lon});
  return {z.id, zone_kind(z.kind), *Polygon::make(std::move(vertices)), z.max_stay_s};
}

// The simulated world loaded into an engine, with the officers' actions in time order.
struct Replay {
  const simulation::JourneyWorld& world;
  SupervisionEngine engine;
  std::vector<std::shared_ptr<const Route>> routes;
  std::vector<JourneyId> ids;  // engine journey id per simulated journey
  struct Action {
    std::int64_t time;
    std::uint32_t journey;
    int kind;  // 0 open+seal, 1 remote unseal, 2 unseal
  };
  std::vector<Action> actions;
  std::size_t next_action = 0;
  protocols::DeviceMessage message;

  explicit Replay(const simulation::JourneyWorld& w) : world(w) {
    for (const auto& r : w.routes) {
      RouteSpec spec;
      spec.id = r.id;
      for (const auto& p : r.points) spec.points.push_back({p.lat, p.lon});
      spec.corridor_half_width_m = r.corridor_half_width_m;
      for (const auto& z : r.stop_zones) spec.stop_zones.push_back(convert_zone(z));
      spec.unsealing_zone = convert_zone(r.unsealing_zone);
      routes.push_back(*Route::make(std::move(spec)));
    }
    ids.assign(w.journeys.size(), 0);
    for (std::uint32_t j = 0; j < w.journeys.size(); ++j) {
      const auto& sj = w.journeys[j];
      Device d;
      d.id = sj.device_id;
      d.model = "JT701";
      d.home_station = w.routes[sj.route].departure_office;
      (void)engine.register_device(std::move(d), w.options.start_time - 86400);
      actions.push_back({sj.sealed_at, j, 0});
      actions.push_back({sj.authorise_unseal_at, j, 1});
      actions.push_back({sj.unseal_at, j, 2});
    }
    std::stable_sort(actions.begin(), actions.end(), [](const Action& a, const Action& b) { return a.time < b.time; });
    message.records.resize(1);
    message.records[0].position.emplace();
    message.records[0].events.reserve(8);
  }

  void act_until(std::int64_t time) {
    while (next_action < actions.size() && actions[next_action].time <= time) {
      const Action& a = actions[next_action++];
      const auto& sj = world.journeys[a.journey];
      if (a.kind == 0) {
        JourneyPlan plan;
        const auto& route = world.routes[sj.route];
        plan.declaration.mrn = sj.mrn;
        plan.declaration.office_of_departure = route.departure_office;
        plan.declaration.office_of_destination = route.destination_office;
        plan.declaration.vehicle = sj.vehicle;
        plan.declaration.container = sj.container;
        plan.declaration.device_ids = {sj.device_id};
        plan.declaration.goods_summary = sj.goods;
        plan.route = routes[sj.route];
        plan.time_limit_s = sj.time_limit_s;
        if (sj.temperature_range) plan.cargo.temperature_c = Range{sj.temperature_range->first, sj.temperature_range->second};
        if (sj.humidity_range) plan.cargo.humidity_percent = Range{sj.humidity_range->first, sj.humidity_range->second};
        plan.cargo.tank_truck = sj.tank_truck;
        auto id = engine.open_journey(std::move(plan), "officer.departure", a.time - 600);
        if (!id) {
          std::fprintf(stderr, "open_journey: %s\n", id.error().c_str());
          continue;
        }
        ids[a.journey] = *id;
        (void)engine.seal(*id, "officer.departure", a.time);
      } else if (a.kind == 1) {
        (void)engine.queue_command(sj.device_id, {protocols::CommandType::kUnseal, 0}, "officer.destination", a.time);
      } else {
        (void)engine.unseal(ids[a.journey], "officer.destination", a.time);
      }
    }
  }

  const protocols::DeviceMessage& to_message(const SimReport& r) {
    const auto& sj = world.journeys[r.journey];
    message.device_id = sj.device_id;
    message.kind = r.events ? protocols::MessageKind::kAlarm : protocols::MessageKind::kPosition;
    message.sequence = r.sequence;
    protocols::Record& rec = message.records[0];
    rec.time = r.device_time;
    protocols::Position& pos = *rec.position;
    pos.latitude = r.lat;
    pos.longitude = r.lon;
    pos.valid = r.valid;
    pos.speed_kmh = r.speed_kmh;
    rec.sensors.battery_percent = r.battery_percent;
    rec.sensors.fuel_level = std::isnan(r.fuel_level) ? std::nullopt : std::optional<double>(r.fuel_level);
    rec.sensors.temperature_c = std::isnan(r.temperature_c) ? std::nullopt : std::optional<double>(r.temperature_c);
    rec.sensors.humidity_percent = std::isnan(r.humidity_percent) ? std::nullopt : std::optional<double>(r.humidity_percent);
    rec.events.clear();
    using E = protocols::Event;
    if (r.events & SimReport::kLockOpened) rec.events.push_back(E::kLockOpened);
    if (r.events & SimReport::kLockClosed) rec.events.push_back(E::kLockClosed);
    if (r.events & SimReport::kCableCut) rec.events.push_back(E::kCableCut);
    if (r.events & SimReport::kBackCoverOpened) rec.events.push_back(E::kBackCoverOpened);
    if (r.events & SimReport::kBodyTampered) rec.events.push_back(E::kBodyTampered);
    if (r.events & SimReport::kDeviceFault) rec.events.push_back(E::kDeviceFault);
    if (r.events & SimReport::kRemoteUnlock) rec.events.push_back(E::kRemoteUnlock);
    return message;
  }
};

std::int64_t tolerance_s(AlarmType type) {
  switch (type) {
    case AlarmType::kJourneyTimeout: return 120;
    // Last contact can be a late delivery (up to 10 min) of a report made before the silence.
    case AlarmType::kLossOfCommunication: return 660;
    default: return 1200;
  }
}

struct TypeScore {
  int truths = 0, alarms = 0, matched_truths = 0, matched_alarms = 0;
  std::vector<std::string> misses, false_alarms;
};

std::string accuracy(int journeys, int interval, std::uint64_t seed, bool& pass) {
  simulation::JourneyWorldOptions options;
  options.seed = seed;
  options.journeys = journeys;
  options.report_interval_s = interval;
  const auto world = simulation::generate_journey_world(options);
  Replay replay(world);
  simulation::TelemetryStream stream(world);
  std::vector<SimReport> reports;
  std::size_t messages = 0, duplicates = 0, late = 0, clock = 0;
  const auto wall0 = std::chrono::steady_clock::now();
  const int dump_journey = std::getenv("BENCH_DUMP_JOURNEY") ? std::atoi(std::getenv("BENCH_DUMP_JOURNEY")) : -1;
  const std::int64_t dump_from = std::getenv("BENCH_DUMP_FROM") ? std::atoll(std::getenv("BENCH_DUMP_FROM")) : 0;
  const std::int64_t dump_to = std::getenv("BENCH_DUMP_TO") ? std::atoll(std::getenv("BENCH_DUMP_TO")) : 0;
  for (std::int64_t now = options.start_time; now < world.end_time(); now += 60) {
    reports.clear();
    stream.next(now + 60, reports);
    for (const SimReport& r : reports) {
      replay.act_until(r.receive_time);
      if (dump_journey >= 0 && r.journey == static_cast<std::uint32_t>(dump_journey) && r.device_time >= dump_from && r.device_time <= dump_to) {
        std::fprintf(stderr, "  report #%u dev %" PRId64 " recv %" PRId64 " %.5f %.5f valid %d speed %.0f ev %u\n", r.sequence, r.device_time,
                     r.receive_time, r.lat, r.lon, r.valid, r.speed_kmh, r.events);
      }
      const auto result = replay.engine.ingest(replay.to_message(r), r.receive_time);
      duplicates += result.duplicates;
      late += result.late;
      clock += result.clock_replaced;
      ++messages;
    }
    replay.act_until(now + 60);
    replay.engine.tick(now + 60);
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  if (const char* dump = std::getenv("BENCH_DUMP_JOURNEY")) {
    const auto j = static_cast<std::size_t>(std::atoi(dump));
    const Journey* journey = replay.engine.journey(replay.ids[j]);
    std::fprintf(stderr, "journey %zu sealed %" PRId64 " unseal %" PRId64 "\n", j, world.journeys[j].sealed_at, world.journeys[j].unseal_at);
    for (const auto& inc : world.incidents) {
      if (inc.journey == j) std::fprintf(stderr, "  planted %s at %" PRId64 " (%s)\n", inc.type.c_str(), inc.start, inc.note.c_str());
    }
    for (const JourneyEvent& e : journey->events) {
      std::fprintf(stderr, "  %" PRId64 " %s %s\n", e.time, std::string(journey_event_name(e.kind)).c_str(), e.detail.c_str());
    }
    for (AlarmId id : journey->alarms) {
      const Alarm* a = replay.engine.alarm(id);
      std::fprintf(stderr, "  alarm %s started %" PRId64 " raised %" PRId64 ": %s\n", std::string(alarm_type_name(a->type)).c_str(),
                   a->started_at, a->raised_at, a->detail.c_str());
      for (const auto& e : a->evidence) std::fprintf(stderr, "    %" PRId64 " %.1f %s\n", e.time, e.value, e.note.c_str());
    }
  }

  std::map<AlarmType, TypeScore> scores;
  std::map<std::pair<std::uint64_t, int>, std::vector<const Alarm*>> by_journey_type;
  for (AlarmId id = 1; id <= replay.engine.alarm_count(); ++id) {
    const Alarm* a = replay.engine.alarm(id);
    by_journey_type[{a->journey, static_cast<int>(a->type)}].push_back(a);
    ++scores[a->type].alarms;
  }
  std::map<AlarmId, bool> used;
  for (const auto& inc : world.incidents) {
    const AlarmType type = *parse_alarm_type(inc.type);
    TypeScore& s = scores[type];
    ++s.truths;
    bool found = false;
    for (const Alarm* a : by_journey_type[{replay.ids[inc.journey], static_cast<int>(type)}]) {
      if (used[a->id] || std::llabs(a->started_at - inc.start) > tolerance_s(type)) continue;
      used[a->id] = true;
      found = true;
      ++s.matched_alarms;
      break;
    }
    if (found) {
      ++s.matched_truths;
    } else if (s.misses.size() < 3) {
      s.misses.push_back(fmt::format("journey {} start {} ({})", inc.journey, inc.start, inc.note));
    }
  }
  for (AlarmId id = 1; id <= replay.engine.alarm_count(); ++id) {
    const Alarm* a = replay.engine.alarm(id);
    TypeScore& s = scores[a->type];
    if (!used[id] && s.false_alarms.size() < 3) {
      const auto sim = std::find(replay.ids.begin(), replay.ids.end(), a->journey) - replay.ids.begin();
      s.false_alarms.push_back(fmt::format("journey {} started {} raised {} ({})", sim, a->started_at, a->raised_at, a->detail));
    }
  }
  std::ostringstream out;
  out << fmt::format("Simulated journeys: {} on {} corridors, reports every {} s, seed {}; {} messages "
                     "({} duplicates, {} late, {} with an absurd device clock), {} planted incidents; replay took {:.1f} s.\n\n",
                     journeys, world.routes.size(), interval, seed, messages, duplicates, late, clock, world.incidents.size(), wall);
  out << "| alarm type | planted | raised | precision | recall | start tolerance |\n|---|---:|---:|---:|---:|---:|\n";
  pass = true;
  for (int t = 0; t < kAlarmTypeCount; ++t) {
    const auto type = static_cast<AlarmType>(t);
    const TypeScore& s = scores[type];
    const double precision = s.alarms ? static_cast<double>(s.matched_alarms) / s.alarms : 1.0;
    const double recall = s.truths ? static_cast<double>(s.matched_truths) / s.truths : 1.0;
    pass = pass && precision >= 0.95 && recall >= 0.98;
    out << fmt::format("| {} | {} | {} | {:.3f} | {:.3f} | {} min |\n", alarm_type_name(type), s.truths, s.alarms, precision, recall,
                       tolerance_s(type) / 60);
    for (const auto& m : s.misses) std::fprintf(stderr, "  missed %s: %s\n", std::string(alarm_type_name(type)).c_str(), m.c_str());
    for (const auto& f : s.false_alarms) std::fprintf(stderr, "  unmatched %s: %s\n", std::string(alarm_type_name(type)).c_str(), f.c_str());
  }
  out << fmt::format("\nTargets (precision >= 0.95, recall >= 0.98 for every type): {}.\n", pass ? "met" : "NOT met");
  return out.str();
}

std::string throughput(int devices, int seconds, std::uint64_t seed) {
  simulation::JourneyWorldOptions options;
  options.seed = seed;
  options.journeys = devices;
  options.report_interval_s = 5;
  options.departure_window_s = 600;
  const auto world = simulation::generate_journey_world(options);
  simulation::TelemetryStream stream(world);
  std::vector<SimReport> reports;
  reports.reserve(static_cast<std::size_t>(devices) * 3);
  const long rss_before = rss_bytes();
  Replay replay(world);
  std::vector<float> latencies_ns;
  latencies_ns.reserve(static_cast<std::size_t>(devices) / 5 * static_cast<std::size_t>(seconds) + 1000);
  double engine_s = 0, tick_s = 0;
  std::size_t messages = 0, ticks = 0;
  const std::int64_t warm_until = options.start_time + options.departure_window_s + 10;
  const std::int64_t end = warm_until + seconds;
  std::size_t alarms_at_warm = 0;
  for (std::int64_t now = options.start_time; now < end; now += 5) {
    reports.clear();
    stream.next(now + 5, reports);
    const bool measure = now >= warm_until;
    if (measure && alarms_at_warm == 0) alarms_at_warm = replay.engine.alarm_count() + 1;
    for (const SimReport& r : reports) {
      replay.act_until(r.receive_time);
      const auto& m = replay.to_message(r);
      const auto t0 = std::chrono::steady_clock::now();
      replay.engine.ingest(m, r.receive_time);
      const auto t1 = std::chrono::steady_clock::now();
      if (measure) {
        const double ns = std::chrono::duration<double, std::nano>(t1 - t0).count();
        engine_s += ns * 1e-9;
        latencies_ns.push_back(static_cast<float>(ns));
        ++messages;
      }
    }
    const auto t0 = std::chrono::steady_clock::now();
    replay.engine.tick(now + 5);
    if (measure) {
      tick_s += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      ++ticks;
    }
  }
  const long rss_after = rss_bytes();
  std::sort(latencies_ns.begin(), latencies_ns.end());
  auto pct = [&](double p) { return latencies_ns.empty() ? 0.0 : latencies_ns[static_cast<std::size_t>(p * static_cast<double>(latencies_ns.size() - 1))]; };
  const std::size_t supervised = replay.engine.supervised_count();
  std::ostringstream out;
  out << fmt::format("{} devices on {} journeys reporting every 5 s (all sealed within the first 10 min); measured over "
                     "{} simulated seconds after all were sealed, one thread, every detector on.\n\n",
                     devices, devices, seconds);
  out << "| figure | value |\n|---|---:|\n";
  out << fmt::format("| messages ingested | {} |\n", messages);
  out << fmt::format("| engine throughput (messages / engine time) | {:.0f} msg/s |\n", static_cast<double>(messages) / engine_s);
  out << fmt::format("| mean per message | {:.2f} µs |\n", engine_s / static_cast<double>(messages) * 1e6);
  out << fmt::format("| p50 / p99 / p99.9 per message | {:.2f} / {:.2f} / {:.2f} µs |\n", pct(0.5) / 1000, pct(0.99) / 1000, pct(0.999) / 1000);
  out << fmt::format("| max per message | {:.1f} µs |\n", latencies_ns.empty() ? 0.0 : latencies_ns.back() / 1000);
  out << fmt::format("| tick() over all supervised journeys | {:.2f} ms each ({} calls) |\n", tick_s / static_cast<double>(std::max<std::size_t>(1, ticks)) * 1000, ticks);
  out << fmt::format("| offered load of the simulation | {:.0f} msg/s |\n", static_cast<double>(devices) / 5);
  out << fmt::format("| headroom (engine throughput / offered load) | {:.1f}x |\n", static_cast<double>(messages) / engine_s / (devices / 5.0));
  out << fmt::format("| alarms raised while measuring | {} |\n", replay.engine.alarm_count() + 1 - std::max<std::size_t>(1, alarms_at_warm));
  out << fmt::format("| supervised journeys at the end | {} |\n", supervised);
  out << fmt::format("| RSS delta (engine, devices, journeys, routes) | {:.1f} MiB |\n", static_cast<double>(rss_after - rss_before) / (1 << 20));
  out << fmt::format("| memory per supervised journey (RSS delta / journeys, incl. its device) | {:.0f} bytes |\n",
                     static_cast<double>(rss_after - rss_before) / devices);
  out << fmt::format("| engine's own estimate per journey (journey, track, events, alarms) | {:.0f} bytes |\n",
                     static_cast<double>(replay.engine.approximate_journey_bytes()) / devices);
  return out.str();
}

bool deterministic(std::uint64_t seed) {
  auto digest = [&](std::int64_t window) {
    simulation::JourneyWorldOptions o;
    o.seed = seed;
    o.journeys = 200;
    const auto world = simulation::generate_journey_world(o);
    simulation::TelemetryStream stream(world);
    std::vector<SimReport> out;
    for (std::int64_t now = o.start_time; stream.next(now + window, out); now += window) {
    }
    std::uint64_t h = 1469598103934665603ULL;
    for (const auto& r : out) {
      for (std::uint64_t v : {static_cast<std::uint64_t>(r.receive_time), static_cast<std::uint64_t>(r.journey),
                              static_cast<std::uint64_t>(r.sequence), std::bit_cast<std::uint64_t>(r.lat)}) {
        h = (h ^ v) * 1099511628211ULL;
      }
    }
    return h ^ world.incidents.size();
  };
  return digest(60) == digest(60) && digest(60) == digest(7);
}

// Micro-benchmarks (--micro): the route geometry and one ingest.
void BM_LocateNear(benchmark::State& state) {
  simulation::JourneyWorldOptions o;
  o.journeys = 1;
  const auto world = simulation::generate_journey_world(o);
  std::vector<LatLon> pts;
  for (const auto& p : world.routes[1].points) pts.push_back({p.lat, p.lon});
  const auto line = *Polyline::make(pts);
  std::uint32_t hint = 0;
  double along = 0;
  for (auto _ : state) {
    along = std::fmod(along + 120, line.length_m());
    const RouteFix f = line.locate_near(line.point_at(along), hint, 1000);
    hint = f.segment;
    benchmark::DoNotOptimize(f);
  }
}
BENCHMARK(BM_LocateNear);

}  // namespace

int main(int argc, char** argv) {
  int journeys = 3000, devices = 100000, seconds = 120, interval = 30;
  std::uint64_t seed = 42;
  std::string write;
  bool micro = false, skip_accuracy = false, skip_throughput = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
    if (a == "--journeys") journeys = std::stoi(value());
    else if (a == "--devices") devices = std::stoi(value());
    else if (a == "--seconds") seconds = std::stoi(value());
    else if (a == "--interval") interval = std::stoi(value());
    else if (a == "--seed") seed = std::stoull(value());
    else if (a == "--write") write = value();
    else if (a == "--micro") micro = true;
    else if (a == "--skip-accuracy") skip_accuracy = true;
    else if (a == "--skip-throughput") skip_throughput = true;
  }
  if (micro) {
    int bargc = 1;
    benchmark::Initialize(&bargc, argv);
    benchmark::RunSpecifiedBenchmarks();
    return 0;
  }
  std::ostringstream report;
  bool pass = true;
  const bool same = deterministic(seed);
  report << fmt::format("Simulation determinism (same seed, different stream windows, same telemetry): {}\n\n", same ? "yes" : "NO");
  if (!skip_accuracy) {
    report << "### Alarm accuracy\n\n" << accuracy(journeys, interval, seed, pass) << "\n";
    std::printf("%s", report.str().c_str());
    std::fflush(stdout);
  }
  if (!skip_throughput) {
    const std::string t = throughput(devices, seconds, seed);
    report << "### Throughput (in-process)\n\n" << t;
    std::printf("### Throughput (in-process)\n\n%s", t.c_str());
  }
  if (!write.empty()) {
    std::ofstream(write) << report.str();
  }
  return pass && same ? 0 : 1;
}
