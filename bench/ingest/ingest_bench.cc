// bench_ingest: validated-and-stored declarations per second through the real `cordon serve`
// on loopback, with a fresh SQLite database (synchronous=FULL, the default), authenticated with a
// bearer token, and screened on intake (against no lists: the lists' cost is bench/screening's).
//
//   1. NDJSON batches: C connections post batches of B simulated declarations as fast as
//      the server answers; reports declarations stored per second.
//   2. Single requests at a fixed rate (open loop): R requests/s of one declaration each for
//      T seconds over K connections; latency is measured from each request's scheduled send
//      time, so a stalled server cannot hide its queueing (no coordinated omission).
//
// Usage: bench_ingest [--declarations N] [--batch B] [--connections C] [--rate R] [--seconds T]
//                     [--binary PATH] [--workdir DIR] [--sync full|normal]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "core/declaration_json.h"
#include "simulation/simulation.h"
#include "support/cordon_process.h"
#include "support/http_client.h"

namespace {

using Clock = std::chrono::steady_clock;
using cordon::testing::CordonServer;
using cordon::testing::HttpClient;

struct Options {
  std::size_t declarations = 60000;
  std::size_t batch = 1000;
  int connections = 2;
  int rate = 500;
  int seconds = 10;
  int rate_connections = 8;
  std::string binary = CORDON_BINARY;
  std::string sync = "full";  // the server's --sync: full (default, survives a power cut) or normal
  std::filesystem::path workdir = std::filesystem::temp_directory_path() / "cordon-bench-ingest";
};

constexpr const char* kUsage =
    "usage: bench_ingest [--declarations N (60000)] [--batch N (1000)] [--connections N (2)]\n"
    "                    [--rate REQ_PER_S (500)] [--seconds S (10)] [--sync full|normal]\n"
    "                    [--binary PATH_TO_CORDON] [--workdir DIR]\n"
    "Posts N simulated declarations as NDJSON batches, then single declarations at a fixed rate,\n"
    "to a cordon serve it starts on loopback; prints throughput, latency and the server's CPU.\n";

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; i += 2) {
    std::string k = argv[i];
    if (k == "--help" || k == "-h") {
      fmt::print("{}", kUsage);
      std::exit(0);
    }
    if (i + 1 >= argc) {
      fmt::print(stderr, "{} needs a value\n{}", k, kUsage);
      std::exit(2);
    }
    std::string v = argv[i + 1];
    if (k == "--declarations") o.declarations = std::stoul(v);
    else if (k == "--batch") o.batch = std::stoul(v);
    else if (k == "--connections") o.connections = std::stoi(v);
    else if (k == "--rate") o.rate = std::stoi(v);
    else if (k == "--seconds") o.seconds = std::stoi(v);
    else if (k == "--binary") o.binary = v;
    else if (k == "--sync") o.sync = v;
    else if (k == "--workdir") o.workdir = v;
    else {
      fmt::print(stderr, "unknown option {}\n{}", k, kUsage);
      std::exit(2);
    }
  }
  return o;
}

// Simulated declarations as JSON lines; references made unique per use with a prefix.
std::vector<std::string> make_lines(std::size_t count) {
  cordon::simulation::SimulationOptions sim;
  sim.scale = std::max(0.1, static_cast<double>(count) / 10000.0);
  auto world = cordon::simulation::generate_world(sim);
  std::vector<std::string> lines;
  lines.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    cordon::Declaration d = world.declarations[i % world.declarations.size()];
    d.reference = fmt::format("B{}-{}", i / world.declarations.size(), d.reference).substr(0, 35);
    lines.push_back(cordon::declaration_to_json_text(d));
  }
  return lines;
}

// The server's user + system CPU seconds so far (/proc/PID/stat): divided into the work done,
// a figure that other processes on a shared machine do not inflate.
double cpu_seconds(pid_t pid) {
  std::ifstream in(fmt::format("/proc/{}/stat", pid));
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto close = stat.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(stat.substr(close + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; fields >> field; ++i) {
    if (i == 14 || i == 15) ticks += std::stod(field);  // utime, stime
    if (i == 15) break;
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

// A fresh database with a submitter account; the bearer token for it.
std::string provision(const Options& o, const std::filesystem::path& db) {
  return cordon::testing::create_user_with_token(db, "bench", {"submitter"}, o.binary);
}

void run_batches(const Options& o, const std::vector<std::string>& lines) {
  std::string token = provision(o, o.workdir / "batch.db");
  CordonServer server(o.workdir / "batch.db", {"--quiet", "--sync", o.sync}, "/dev/null", o.binary);
  std::vector<std::string> bodies;
  for (std::size_t i = 0; i < lines.size(); i += o.batch) {
    std::string body;
    for (std::size_t k = i; k < std::min(lines.size(), i + o.batch); ++k) body += lines[k] + "\n";
    bodies.push_back(std::move(body));
  }
  std::atomic<std::size_t> next{0}, stored{0}, failed{0};
  double cpu_before = cpu_seconds(server.process().pid());
  auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < o.connections; ++c) {
    threads.emplace_back([&] {
      HttpClient client(server.port());
      client.set_bearer(token);
      for (std::size_t i; (i = next++) < bodies.size();) {
        auto reply = client.post("/api/v1/declarations", bodies[i], "application/x-ndjson");
        if (reply.status != 200) {
          ++failed;
          continue;
        }
        stored += std::stoul(reply.header("X-Cordon-Stored"));
      }
    });
  }
  for (auto& t : threads) t.join();
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  double cpu = cpu_seconds(server.process().pid()) - cpu_before;
  fmt::print("ndjson batches: {} declarations stored in {:.2f} s = {:.0f} declarations/s "
             "(batch {}, {} connections, {} failed requests); server CPU {:.2f} s = {:.0f} declarations per CPU-second; "
             "load average {}\n",
             stored.load(), seconds, static_cast<double>(stored) / seconds, o.batch, o.connections, failed.load(), cpu,
             static_cast<double>(stored) / std::max(cpu, 1e-9), load_average());
}

void run_fixed_rate(const Options& o, const std::vector<std::string>& lines) {
  std::string token = provision(o, o.workdir / "single.db");
  CordonServer server(o.workdir / "single.db", {"--quiet", "--sync", o.sync}, "/dev/null", o.binary);
  const int k = o.rate_connections;
  const auto interval = std::chrono::nanoseconds(1'000'000'000LL * k / o.rate);
  const std::size_t per_connection = static_cast<std::size_t>(o.rate) * o.seconds / k;
  std::vector<std::vector<double>> latencies(k);
  std::atomic<std::size_t> errors{0};
  double cpu_before = cpu_seconds(server.process().pid());
  auto start = Clock::now() + std::chrono::milliseconds(100);
  std::vector<std::thread> threads;
  for (int c = 0; c < k; ++c) {
    threads.emplace_back([&, c] {
      HttpClient client(server.port());
      client.set_bearer(token);
      // Connections are staggered so the k streams interleave into one even stream.
      auto scheduled = start + interval * c / k;
      for (std::size_t i = 0; i < per_connection; ++i, scheduled += interval) {
        std::this_thread::sleep_until(scheduled);
        const std::string& body = lines[(i * k + c) % lines.size()];
        auto reply = client.post("/api/v1/declarations", body);
        if (reply.status != 201) ++errors;
        latencies[c].push_back(std::chrono::duration<double, std::milli>(Clock::now() - scheduled).count());
      }
    });
  }
  for (auto& t : threads) t.join();
  double cpu = cpu_seconds(server.process().pid()) - cpu_before;
  std::vector<double> all;
  for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  fmt::print("single requests at {} req/s for {} s over {} connections: {} requests, p50 {:.2f} ms, p90 {:.2f} ms, "
             "p99 {:.2f} ms, max {:.2f} ms, {} errors; server CPU {:.0f} µs per request; load average {}\n",
             o.rate, o.seconds, k, all.size(), percentile(all, 0.50), percentile(all, 0.90), percentile(all, 0.99),
             percentile(all, 1.0), errors.load(), 1e6 * cpu / std::max<double>(1, all.size()), load_average());
}

}  // namespace

int main(int argc, char** argv) {
  Options o = parse(argc, argv);
  std::filesystem::remove_all(o.workdir);
  std::filesystem::create_directories(o.workdir);
  fmt::print("generating {} simulated declarations...\n", o.declarations);
  std::fflush(stdout);
  auto lines = make_lines(o.declarations);
  run_batches(o, lines);
  // The fixed-rate run needs one declaration per request, each new to its fresh database: a
  // resent one would be answered as a duplicate (200, not 201) and counted as an error.
  const auto requests = static_cast<std::size_t>(o.rate) * static_cast<std::size_t>(o.seconds);
  if (lines.size() < requests) lines = make_lines(requests);
  lines.resize(requests);
  run_fixed_rate(o, lines);
  std::filesystem::remove_all(o.workdir);
  return 0;
}
