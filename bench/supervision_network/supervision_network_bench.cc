// bench_supervision_network: issue #5's network acceptance test, end to end on loopback.
//
// Starts the real `cordon serve` (the binary built beside this bench) on a temporary database
// with an eSeal TCP listener, registers N devices and opens and seals one journey per device
// through the HTTP API, then N simulated e-seals report every `interval` seconds over C TCP
// connections, open loop: message k is due at t0 + k * interval / N whatever the server does,
// and its latencies are measured from that due time (a server that falls behind cannot hide it
// by slowing the sender). Some devices open their door on the road (Event-Door, Open): the
// alarm (illegal_opening) is received on the alarm WebSocket, and its latency is measured from
// the due time of the message that triggered it — received, ingested, stored and pushed.
//
// Reports: registration rates, offered / sent / acknowledged / engine-applied message rates over
// the measured window (the engine's from /metrics), ACK and alarm latency percentiles, the
// server's RSS before and after loading the journeys (memory per supervised journey) and at the
// end, the server's CPU time and the load average. Markdown on standard output.
//
//   bench_supervision_network [--devices 100000] [--interval 5] [--connections 1000]
//       [--warmup 15] [--duration 60] [--incidents 1000] [--register-threads 8] [--keep DIR]
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "simulation/device_frames.h"
#include "support/cordon_process.h"
#include "support/http_client.h"

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;
namespace asio = boost::asio;
namespace beast = boost::beast;
using cordon::testing::CordonServer;
using cordon::testing::HttpClient;

struct Options {
  int devices = 100000;
  double interval_s = 5;
  int connections = 1000;
  double warmup_s = 15;
  double duration_s = 60;
  int incidents = 1000;
  int register_threads = 8;  // the server runs 8 request workers by default
  std::string keep;  // keep the database and server log here
  bool reuse = false;  // --keep DIR of an earlier run: start on its database, skip the registration
};

double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

std::string device_id(int d) { return std::to_string(7000000000LL + d); }

// --- the server process, seen from /proc
struct ProcSample {
  double rss_mib = 0;
  double cpu_s = 0;  // user + system
  double user_s = 0, system_s = 0;
  int threads = 0;
};

ProcSample sample(pid_t pid) {
  ProcSample s;
  std::ifstream status(fmt::format("/proc/{}/status", pid));
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with("VmRSS:")) s.rss_mib = std::stod(line.substr(6)) / 1024.0;
    if (line.starts_with("Threads:")) s.threads = std::stoi(line.substr(8));
  }
  std::ifstream stat(fmt::format("/proc/{}/stat", pid));
  std::string text((std::istreambuf_iterator<char>(stat)), {});
  auto close = text.rfind(')');
  std::istringstream rest(text.substr(close + 2));
  std::vector<std::string> f;
  std::string field;
  while (rest >> field) f.push_back(field);
  // After "pid (comm) ": state is f[0]; utime is field 14 overall → f[11], stime f[12].
  const double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
  s.user_s = std::stod(f[11]) / tick;
  s.system_s = std::stod(f[12]) / tick;
  s.cpu_s = s.user_s + s.system_s;
  return s;
}

std::string loadavg() {
  std::ifstream f("/proc/loadavg");
  std::string a, b, c;
  f >> a >> b >> c;
  return a + " " + b + " " + c;
}

double self_cpu_s() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + u.ru_stime.tv_sec + u.ru_stime.tv_usec / 1e6;
}

// Prometheus counters by name, from /metrics.
// A new connection each time: the server closes keep-alive connections idle for a while.
std::map<std::string, double> scrape(std::uint16_t port, const std::string& token) {
  std::map<std::string, double> out;
  HttpClient http(port);
  http.set_bearer(token);
  auto r = http.get("/metrics");
  std::istringstream in(r.body);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto sp = line.rfind(' ');
    if (sp == std::string::npos) continue;
    try {
      out[line.substr(0, sp)] = std::stod(line.substr(sp + 1));
    } catch (...) {
    }
  }
  return out;
}

struct Percentiles {
  std::size_t n = 0;
  double p50 = 0, p90 = 0, p99 = 0, p999 = 0, max = 0, mean = 0;
};

Percentiles percentiles(std::vector<double> v) {
  Percentiles p;
  p.n = v.size();
  if (v.empty()) return p;
  std::sort(v.begin(), v.end());
  auto at = [&](double q) { return v[std::min(v.size() - 1, static_cast<std::size_t>(std::ceil(q * v.size())) - 1)]; };
  p.p50 = at(0.50);
  p.p90 = at(0.90);
  p.p99 = at(0.99);
  p.p999 = at(0.999);
  p.max = v.back();
  double sum = 0;
  for (double x : v) sum += x;
  p.mean = sum / v.size();
  return p;
}

// --- the world: one straight road east along latitude 54.6 (≈ 19 km), the unsealing zone at its end
json journey_body(int d) {
  json points = json::array();
  for (int i = 0; i <= 6; ++i) points.push_back({54.6, 25.0 + 0.05 * i});
  json square = json::array({json::array({54.59, 25.29}), json::array({54.59, 25.31}), json::array({54.61, 25.31}),
                             json::array({54.61, 25.29})});
  return {{"declaration",
           {{"mrn", fmt::format("26LT{:012d}", d)},
            {"office_of_departure", "LTVI0100"},
            {"office_of_destination", "LTVI0200"},
            {"vehicle", fmt::format("BN{:06d}", d)},
            {"device_ids", json::array({device_id(d)})}}},
          {"route",
           {{"points", points},
            {"corridor_half_width_m", 1000},
            {"unsealing_zone", {{"id", "LTVI0200"}, {"kind", "customs_office"}, {"polygon", square}}}}},
          {"time_limit_s", 86400}};
}

// Where device d is at round r: 60 km/h east from its own start.
double longitude(int d, std::int64_t round) { return 25.01 + (d % 50) * 0.002 + 0.0013 * static_cast<double>(round); }

// Device d's report of round r, encoded by the same code `cordon simulate replay` sends with.
std::string eseal_frame(int d, std::int64_t round, std::time_t device_time, bool door_open) {
  cordon::simulation::EsealFrame f;
  f.device_id = device_id(d);
  f.type = door_open ? "Event-Door" : "Normal";
  f.index = static_cast<std::uint32_t>(round);
  f.time = device_time;
  f.interval_s = 5;
  f.lat = 54.6;
  f.lon = longitude(d, round);
  f.course_deg = 90;
  f.speed_kmh = 60;
  f.open = door_open;
  f.battery_volts = 3.9;
  return cordon::simulation::eseal_frame(f);
}

int connect_to(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket: " + std::string(std::strerror(errno)));
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    throw std::runtime_error("connect: " + std::string(std::strerror(errno)));
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--devices") o.devices = std::stoi(v);
    else if (k == "--interval") o.interval_s = std::stod(v);
    else if (k == "--connections") o.connections = std::stoi(v);
    else if (k == "--warmup") o.warmup_s = std::stod(v);
    else if (k == "--duration") o.duration_s = std::stod(v);
    else if (k == "--incidents") o.incidents = std::stoi(v);
    else if (k == "--register-threads") o.register_threads = std::stoi(v);
    else if (k == "--keep") o.keep = v;
    else if (k == "--reuse") o.reuse = v == "1" || v == "yes";
    else {
      std::fprintf(stderr, "unknown option %s\n", k.c_str());
      return 2;
    }
  }
  const int N = o.devices;
  const int C = std::min(o.connections, N);
  std::printf("load average at start: %s\n", loadavg().c_str());

  // --- server
  auto dir = o.keep.empty() ? std::filesystem::temp_directory_path() / fmt::format("cordon-supnet-bench-{}", ::getpid())
                            : std::filesystem::path(o.keep);
  const bool reuse = o.reuse && std::filesystem::exists(dir / "officer.token");
  if (!reuse) {
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
  }
  auto db = dir / "cordon.db";
  std::string officer;
  if (reuse) {
    std::ifstream(dir / "officer.token") >> officer;
  } else {
    officer = cordon::testing::create_user_with_token(db, "officer", {"supervision_officer", "administrator", "monitoring"});
    std::ofstream(dir / "officer.token") << officer << "\n";
  }
  const auto server_start = Clock::now();
  auto server = std::make_unique<CordonServer>(db, std::vector<std::string>{"--telemetry-tcp", "eseal=0", "--quiet"},
                                               dir / "server.log");
  std::uint16_t eseal_port = 0;
  while (auto line = server->process().read_line(std::chrono::seconds(10))) {
    if (line->starts_with("telemetry listeners:")) break;
    auto at = line->rfind(" port ");
    if (line->starts_with("telemetry eseal") && at != std::string::npos) eseal_port = static_cast<std::uint16_t>(std::stoi(line->substr(at + 6)));
  }
  if (!eseal_port) {
    std::fprintf(stderr, "no eSeal listener\n");
    return 1;
  }
  const pid_t pid = server->process().pid();
  if (reuse) {
    std::printf("\nreused %s: the server replayed its op log and listened after %.1f s\n", dir.c_str(),
                seconds(Clock::now() - server_start));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const ProcSample at_start = sample(pid);

  // --- registration: devices, then journeys opened and sealed, through the API
  auto parallel = [&](const char* what, auto call) {
    std::atomic<int> failures{0};
    std::string first_error;
    std::mutex error_mutex;
    auto t0 = Clock::now();
    const double cpu0 = sample(pid).cpu_s;
    std::vector<std::thread> threads;
    for (int t = 0; t < o.register_threads; ++t) {
      threads.emplace_back([&, t] {
        HttpClient http(server->port());
        http.set_bearer(officer);
        for (int d = t; d < N; d += o.register_threads) {
          auto r = call(http, d);
          if (r.status / 100 != 2) {
            if (failures++ == 0) {
              std::lock_guard lock(error_mutex);
              first_error = fmt::format("{} {}: {}", what, r.status, r.body.substr(0, 300));
            }
          }
        }
      });
    }
    for (auto& t : threads) t.join();
    double wall = seconds(Clock::now() - t0);
    double cpu = sample(pid).cpu_s - cpu0;
    std::printf("| %s | %d | %.1f s | %.0f /s | %.1f s | %d |\n", what, N, wall, N / wall, cpu, failures.load());
    std::fflush(stdout);
    if (failures) std::fprintf(stderr, "first failure: %s\n", first_error.c_str());
    return failures.load();
  };
  std::printf("\n### Loading the registry through the API (%d client threads, one request each)\n\n", o.register_threads);
  std::printf("| step | requests | wall | rate | server CPU | failures |\n|---|---:|---:|---:|---:|---:|\n");
  int failed = 0;
  if (!reuse) {
  failed += parallel("POST /api/v1/devices", [](HttpClient& http, int d) {
    return http.post("/api/v1/devices", json{{"id", device_id(d)}, {"type", "active"}, {"home_station", "LTVI0100"}}.dump());
  });
  failed += parallel("POST /api/v1/journeys", [](HttpClient& http, int d) {
    return http.post("/api/v1/journeys", journey_body(d).dump());
  });
  failed += parallel("POST /api/v1/journeys/{id}/seal", [](HttpClient& http, int d) {
    return http.post(fmt::format("/api/v1/journeys/{}/seal", d + 1), "{}");
  });
  }
  if (failed) return 1;
  std::this_thread::sleep_for(std::chrono::seconds(1));
  const ProcSample loaded = sample(pid);
  std::printf("\nserver RSS: %.1f MiB at start, %.1f MiB with %d sealed journeys -> %.0f bytes per supervised journey "
              "(device, journey, its route, store cache growth)\n",
              at_start.rss_mib, loaded.rss_mib, N, (loaded.rss_mib - at_start.rss_mib) * 1048576.0 / N);
  std::fflush(stdout);

  // --- alarm WebSocket
  std::vector<int> planted_round(N, -1);  // round at which device d opens its door
  std::vector<char> alarm_seen(N, 0);     // guarded by alarm_mutex
  const std::int64_t warmup_rounds = static_cast<std::int64_t>(std::ceil(o.warmup_s / o.interval_s));
  const std::int64_t measured_rounds = std::max<std::int64_t>(1, static_cast<std::int64_t>(o.duration_s / o.interval_s));
  const std::int64_t total_rounds = warmup_rounds + measured_rounds;
  const int stride = std::max(1, N / std::max(1, o.incidents));
  int planted = 0;
  for (int j = 0; j < o.incidents && j * stride < N; ++j) {
    planted_round[j * stride + stride / 2 % N] = static_cast<int>(warmup_rounds + j % measured_rounds);
    ++planted;
  }
  const double dt = o.interval_s / N;  // seconds between two due messages
  Clock::time_point t0;                // due time of message 0
  auto due = [&](std::int64_t round, int d) {
    return t0 + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>((round * N + d) * dt));
  };
  std::atomic<bool> started{false}, stop_ws{false};
  // Set before `started`; the WebSocket thread reads them only once it is.
  std::mutex alarm_mutex;
  std::vector<double> alarm_latency_ms;
  std::map<std::string, int> alarm_types;
  std::atomic<int> ws_messages{0};
  std::string ws_error;
  asio::io_context ws_io;
  beast::websocket::stream<beast::tcp_stream> ws(ws_io);
  {
    asio::ip::tcp::resolver resolver(ws_io);
    beast::get_lowest_layer(ws).connect(resolver.resolve("127.0.0.1", std::to_string(server->port())));
    ws.set_option(beast::websocket::stream_base::decorator([&](beast::websocket::request_type& req) {
      req.set(beast::http::field::authorization, "Bearer " + officer);
    }));
    ws.handshake("127.0.0.1", "/api/v1/alarms/live");
  }
  std::thread ws_thread([&] {
    try {
      beast::flat_buffer buffer;
      while (!stop_ws) {
        ws.read(buffer);
        auto now = Clock::now();
        json m = json::parse(beast::buffers_to_string(buffer.data()), nullptr, false);
        buffer.consume(buffer.size());
        ++ws_messages;
        if (!m.is_object() || m.value("type", "") != "alarm") continue;
        const json& a = m["alarm"];
        std::lock_guard lock(alarm_mutex);
        alarm_types[a.value("type", "?") + "/" + a.value("state", "?")]++;
        if (a.value("type", "") != "illegal_opening" || a.value("state", "") != "new" || !started) continue;
        long long id = std::stoll(a.value("device_id", "0"));
        int d = static_cast<int>(id - 7000000000LL);
        if (d < 0 || d >= N || planted_round[d] < 0 || alarm_seen[d]) continue;
        alarm_latency_ms.push_back(seconds(now - due(planted_round[d], d)) * 1000.0);
        alarm_seen[d] = 1;
      }
    } catch (const std::exception& e) {
      if (!stop_ws) ws_error = e.what();
    }
  });

  // --- connections and the ACK reader
  std::vector<int> fds(C);
  for (int c = 0; c < C; ++c) fds[c] = connect_to(eseal_port);
  int ep = epoll_create1(0);
  for (int c = 0; c < C; ++c) {
    epoll_event e{};
    e.events = EPOLLIN;
    e.data.u32 = static_cast<std::uint32_t>(c);
    epoll_ctl(ep, EPOLL_CTL_ADD, fds[c], &e);
  }
  const ProcSample connected = sample(pid);
  std::atomic<bool> stop_reader{false};
  std::atomic<std::uint64_t> acked{0};
  std::vector<double> ack_latency_ms;  // measured window only
  std::vector<std::uint64_t> acks_per_second(static_cast<std::size_t>(total_rounds * o.interval_s) + 60, 0);
  Clock::time_point window_start, window_end;
  auto read_acks = [&] {
    std::vector<std::string> pending(C);
    std::vector<epoll_event> events(256);
    char buf[65536];
    while (!stop_reader) {
      int n = epoll_wait(ep, events.data(), static_cast<int>(events.size()), 100);
      auto now = Clock::now();
      for (int i = 0; i < n; ++i) {
        int c = static_cast<int>(events[i].data.u32);
        ssize_t r = ::recv(fds[c], buf, sizeof buf, MSG_DONTWAIT);
        if (r <= 0) continue;
        std::string& p = pending[c];
        p.append(buf, static_cast<std::size_t>(r));
        std::size_t start = 0;
        while (true) {
          auto end = p.find("E##\r\n", start);
          if (end == std::string::npos) break;
          // ##S,eSeal,<id>,256,3.0.8,<type> ACK,<index>,E##
          std::string_view line(p.data() + start, end - start);
          start = end + 5;
          // (the line ends with the comma before "E##")
          std::size_t f2 = line.find(',', 4) + 1;  // the id
          std::size_t idx = line.size() - 1;
          std::size_t idx_start = line.rfind(',', idx - 1) + 1;
          long long id = std::atoll(std::string(line.substr(f2, 10)).c_str());
          long long round = std::atoll(std::string(line.substr(idx_start, idx - idx_start)).c_str());
          int d = static_cast<int>(id - 7000000000LL);
          ++acked;
          if (d < 0 || d >= N) continue;
          auto sent = due(round, d);
          auto s = static_cast<std::size_t>(std::max(0.0, seconds(now - t0)));
          if (s < acks_per_second.size()) acks_per_second[s]++;
          if (sent >= window_start && sent < window_end) ack_latency_ms.push_back(seconds(now - sent) * 1000.0);
        }
        p.erase(0, start);
      }
    }
  };

  // --- the open-loop sender
  t0 = Clock::now() + std::chrono::milliseconds(500);
  window_start = t0 + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(warmup_rounds * o.interval_s));
  window_end = t0 + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(total_rounds * o.interval_s));
  const std::int64_t total_messages = total_rounds * N;
  started = true;
  std::thread reader(read_acks);
  std::atomic<std::int64_t> sent_messages{0};
  double max_lag_ms = 0;
  std::int64_t sent_in_window = 0;
  std::map<std::string, double> m0, m1;
  ProcSample s0, s1;
  double client_cpu0 = 0, client_cpu1 = 0;
  std::string load_before, load_after;
  bool window_opened = false, window_closed = false;
  {
    std::vector<std::string> out(C);
    std::int64_t k = 0;
    const std::time_t wall0 = std::time(nullptr);
    const auto steady_to_wall = [&](Clock::time_point t) {
      return wall0 + static_cast<std::time_t>(std::floor(seconds(t - t0) + 0.5));
    };
    while (k < total_messages) {
      auto now = Clock::now();
      if (!window_opened && now >= window_start) {
        window_opened = true;
        m0 = scrape(server->port(), officer);
        s0 = sample(pid);
        client_cpu0 = self_cpu_s();
        load_before = loadavg();
      }
      std::vector<int> touched;
      while (k < total_messages) {
        std::int64_t round = k / N;
        int d = static_cast<int>(k % N);
        auto when = due(round, d);
        if (when > now) break;
        max_lag_ms = std::max(max_lag_ms, seconds(now - when) * 1000.0);
        int c = d % C;
        if (out[c].empty()) touched.push_back(c);
        out[c] += eseal_frame(d, round, steady_to_wall(when), planted_round[d] == round);
        if (when >= window_start && when < window_end) ++sent_in_window;
        ++k;
      }
      for (int c : touched) {
        const std::string& b = out[c];
        std::size_t off = 0;
        while (off < b.size()) {
          ssize_t w = ::send(fds[c], b.data() + off, b.size() - off, MSG_NOSIGNAL);
          if (w < 0) {
            if (errno == EINTR) continue;
            std::fprintf(stderr, "send: %s\n", std::strerror(errno));
            return 1;
          }
          off += static_cast<std::size_t>(w);
        }
        out[c].clear();
      }
      sent_messages = k;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    // Let the window's last messages be acknowledged and applied before the closing sample.
    while (Clock::now() < window_end) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    m1 = scrape(server->port(), officer);
    s1 = sample(pid);
    client_cpu1 = self_cpu_s();
    load_after = loadavg();
    window_closed = true;
  }
  (void)window_closed;
  // Drain: wait until the engine applied everything sent (or 60 s).
  auto drain0 = Clock::now();
  std::map<std::string, double> m2;
  while (seconds(Clock::now() - drain0) < 60) {
    m2 = scrape(server->port(), officer);
    if (m2["cordon_telemetry_applied_total"] + m2["cordon_telemetry_unknown_device_total"] >= static_cast<double>(total_messages) &&
        acked >= static_cast<std::uint64_t>(total_messages))
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  double drain_s = seconds(Clock::now() - drain0);
  std::this_thread::sleep_for(std::chrono::seconds(1));  // last alarms
  const ProcSample at_end = sample(pid);
  stop_reader = true;
  reader.join();
  stop_ws = true;
  {
    boost::system::error_code ignored;
    beast::get_lowest_layer(ws).socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  }
  ws_thread.join();
  for (int fd : fds) ::close(fd);

  // --- report
  const double window = measured_rounds * o.interval_s;
  auto delta = [&](const char* name) { return m1[name] - m0[name]; };
  auto acks = percentiles(ack_latency_ms);
  Percentiles alarms;
  int alarms_missing = 0;
  {
    std::lock_guard lock(alarm_mutex);
    alarms = percentiles(alarm_latency_ms);
    for (int d = 0; d < N; ++d) alarms_missing += planted_round[d] >= 0 && !alarm_seen[d];
  }
  std::uint64_t acked_in_window = 0;
  for (std::int64_t s = warmup_rounds * static_cast<std::int64_t>(o.interval_s);
       s < total_rounds * static_cast<std::int64_t>(o.interval_s) && s < static_cast<std::int64_t>(acks_per_second.size()); ++s) {
    acked_in_window += acks_per_second[static_cast<std::size_t>(s)];
  }
  std::printf("\n### Sustained ingestion over TCP (eSeal), every detector on\n\n");
  std::printf("%d devices over %d connections (%d devices each), one report per device every %.0f s; "
              "warm-up %lld s (the first reports attach every device), measured %.0f s; %d door openings planted.\n\n",
              N, C, (N + C - 1) / C, o.interval_s, static_cast<long long>(warmup_rounds * o.interval_s), window, planted);
  std::printf("| figure | value |\n|---|---:|\n");
  std::printf("| offered load | %.0f msg/s |\n", N / o.interval_s);
  std::printf("| sent in the window (due times in the window) | %.0f msg/s |\n", sent_in_window / window);
  std::printf("| acknowledged by the server (eSeal ACKs received in the window) | %.0f msg/s |\n", acked_in_window / window);
  std::printf("| applied by the engine and committed (cordon_telemetry_applied_total) | %.0f msg/s |\n",
              delta("cordon_telemetry_applied_total") / window);
  std::printf("| ingest transactions (cordon_telemetry_batches_total) | %.0f /s, %.0f messages each |\n",
              delta("cordon_telemetry_batches_total") / window,
              delta("cordon_telemetry_applied_total") / std::max(1.0, delta("cordon_telemetry_batches_total")));
  std::printf("| refused (queue full) / unknown device | %.0f / %.0f |\n", delta("cordon_telemetry_refused_total"),
              delta("cordon_telemetry_unknown_device_total"));
  std::printf("| ingest queue depth at the end of the window | %.0f |\n", m1["cordon_telemetry_queue_depth"]);
  std::printf("| sender's worst lag behind the schedule | %.1f ms |\n", max_lag_ms);
  std::printf("| time to drain after the last message | %.2f s |\n", drain_s);
  std::printf("| ACK latency from due time p50 / p90 / p99 / p99.9 / max (%zu) | %.1f / %.1f / %.1f / %.1f / %.1f ms |\n",
              acks.n, acks.p50, acks.p90, acks.p99, acks.p999, acks.max);
  std::printf("| alarm latency, due time of the opening -> alarm on the WebSocket, p50 / p90 / p99 / max (%zu alarms) | %.1f / %.1f / %.1f / %.1f ms |\n",
              alarms.n, alarms.p50, alarms.p90, alarms.p99, alarms.max);
  std::printf("| planted openings without an alarm | %d |\n", alarms_missing);
  std::printf("| server CPU in the window (user + system) | %.1f s of %.0f s = %.2f cores (user %.1f, system %.1f) |\n",
              s1.cpu_s - s0.cpu_s, window, (s1.cpu_s - s0.cpu_s) / window, s1.user_s - s0.user_s, s1.system_s - s0.system_s);
  std::printf("| bench client CPU in the window | %.1f s = %.2f cores |\n", client_cpu1 - client_cpu0,
              (client_cpu1 - client_cpu0) / window);
  std::printf("| load average before / after the window | %s / %s |\n", load_before.c_str(), load_after.c_str());
  std::printf("\n### Memory\n\n| figure | value |\n|---|---:|\n");
  std::printf("| server RSS at start | %.1f MiB |\n", at_start.rss_mib);
  std::printf("| with %d devices and sealed journeys | %.1f MiB |\n", N, loaded.rss_mib);
  std::printf("| memory per supervised journey (RSS delta / journeys; device, journey, route, store cache) | %.0f bytes |\n",
              (loaded.rss_mib - at_start.rss_mib) * 1048576.0 / N);
  std::printf("| with %d telemetry connections open | %.1f MiB |\n", C, connected.rss_mib);
  std::printf("| at the end of the run | %.1f MiB (%d threads) |\n", at_end.rss_mib, at_end.threads);
  std::printf("| server CPU over the whole run | %.1f s |\n", at_end.cpu_s);
  {
    std::lock_guard lock(alarm_mutex);
    std::printf("\nAlarm changes pushed on the WebSocket (%d messages):", ws_messages.load());
    for (const auto& [k, v] : alarm_types) std::printf(" %s %d;", k.c_str(), v);
    std::printf("\n");
  }
  if (!ws_error.empty()) std::printf("WebSocket error: %s\n", ws_error.c_str());
  std::printf("load average at the end: %s\n", loadavg().c_str());
  server.reset();
  if (o.keep.empty()) std::filesystem::remove_all(dir);
  return 0;
}
