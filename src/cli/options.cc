#include "cli/options.h"

#include <unistd.h>

#include <chrono>
#include <charconv>
#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/format.h>

#include "store/sqlite/sqlite_store.h"

namespace cordon::cli {

void add_store_options(CLI::App& cmd, StoreOptions& options) {
  cmd.add_option("--db", options.db, "SQLite database file (created if missing)")->capture_default_str();
  cmd.add_option("--sync", options.sync,
                 "Durability: full survives power loss; normal survives a killed process and is faster")
      ->check(CLI::IsMember({"full", "normal"}))
      ->capture_default_str();
}

store::Result<std::unique_ptr<store::Store>> open_store(const StoreOptions& options) {
  store::SqliteOptions sqlite;
  sqlite.sync = options.sync == "normal" ? store::SqliteOptions::Sync::kNormal : store::SqliteOptions::Sync::kFull;
  return store::open_sqlite_store(options.db, sqlite);
}

void add_capacity_options(CLI::App& cmd, CapacityOptions& options) {
  auto& p = options.policy;
  cmd.add_option("--red-per-day", p.red_per_day, "Physical controls an office can do a day (its red capacity)")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{0}, int64_t{1'000'000}));
  cmd.add_option("--office-capacity", options.office_capacity,
                 "One office's red capacity a day, OFFICE=N (e.g. NL000396=120); repeatable");
  cmd.add_option("--random-share", p.random_share, "Share of the red capacity kept for random controls")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  cmd.add_option("--max-random-rate", p.max_random_rate,
                 "Largest share of an office's declarations drawn for random control")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
}

std::expected<selection::CapacityPolicy, std::string> capacity_policy(const CapacityOptions& options) {
  selection::CapacityPolicy policy = options.policy;
  for (const auto& spec : options.office_capacity) {
    auto eq = spec.find('=');
    int64_t n = -1;
    if (eq != std::string::npos && eq > 0) {
      auto [end, ec] = std::from_chars(spec.data() + eq + 1, spec.data() + spec.size(), n);
      if (ec != std::errc() || end != spec.data() + spec.size()) n = -1;
    }
    if (n < 0) return std::unexpected(fmt::format("--office-capacity \"{}\": expected OFFICE=N with N >= 0", spec));
    policy.red_per_day_by_office[spec.substr(0, eq)] = n;
  }
  return policy;
}

std::expected<std::pair<std::string, uint16_t>, std::string> parse_listen(const std::string& text) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return std::unexpected(fmt::format("\"{}\" is not HOST:PORT", text));
  std::string host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  unsigned port = 0;
  std::string_view port_text(text.data() + colon + 1, text.size() - colon - 1);
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port > 65535) {
    return std::unexpected(fmt::format("\"{}\" is not a port number (0-65535)", port_text));
  }
  return std::pair{host, static_cast<uint16_t>(port)};
}

std::expected<std::string, std::string> read_input(const std::string& path) {
  std::ostringstream out;
  if (path == "-") {
    out << std::cin.rdbuf();
    return out.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::unexpected(fmt::format("cannot open {}: {}", path, std::strerror(errno)));
  out << in.rdbuf();
  return out.str();
}

namespace {
long long now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
}  // namespace

Progress::Progress(std::string label, std::size_t total)
    : label_(std::move(label)), total_(total), tty_(::isatty(STDERR_FILENO) == 1) {}

Progress::~Progress() { finish(); }

void Progress::update(std::size_t done) {
  if (!tty_) return;
  long long now = now_ms();
  if (now - last_draw_ms_ < 200 && done < total_) return;
  last_draw_ms_ = now;
  constexpr int kWidth = 30;
  double fraction = total_ == 0 ? 1.0 : std::min(1.0, static_cast<double>(done) / static_cast<double>(total_));
  int filled = static_cast<int>(fraction * kWidth);
  fmt::print(stderr, "\r{} [{}{}] {:3.0f}% {}/{}", label_, std::string(filled, '#'), std::string(kWidth - filled, ' '),
             fraction * 100, done, total_);
  std::fflush(stderr);
}

void Progress::finish() {
  if (finished_) return;
  finished_ = true;
  if (tty_ && last_draw_ms_ != 0) fmt::print(stderr, "\n");
}

}  // namespace cordon::cli
