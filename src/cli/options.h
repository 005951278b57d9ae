// Options and helpers shared by several subcommands.
#pragma once

#include <expected>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

#include "selection/selection.h"
#include "store/store.h"

namespace cordon::cli {

struct StoreOptions {
  std::filesystem::path db = "var/cordon.db";
  std::string sync = "full";
};

// --db and --sync.
void add_store_options(CLI::App& cmd, StoreOptions& options);
store::Result<std::unique_ptr<store::Store>> open_store(const StoreOptions& options);

// An office's inspection capacity, as `serve` and `import` apply it (docs/selection.md):
// --red-per-day, --office-capacity OFFICE=N (repeatable), --random-share, --max-random-rate.
struct CapacityOptions {
  selection::CapacityPolicy policy;
  std::vector<std::string> office_capacity;  // "NL000396=120"
};
void add_capacity_options(CLI::App& cmd, CapacityOptions& options);
// The policy with the per-office capacities parsed; the error names the bad value.
std::expected<selection::CapacityPolicy, std::string> capacity_policy(const CapacityOptions& options);

// "127.0.0.1:8080" → ("127.0.0.1", 8080); "[::1]:80" for IPv6.
std::expected<std::pair<std::string, uint16_t>, std::string> parse_listen(const std::string& text);

// Reads a whole file, or standard input for "-".
std::expected<std::string, std::string> read_input(const std::string& path);

// A one-line progress indicator on standard error, redrawn at most a few times a second, and
// only when standard error is a terminal (so logs and CI output stay clean).
class Progress {
 public:
  Progress(std::string label, std::size_t total);
  ~Progress();
  void update(std::size_t done);
  void finish();

 private:
  std::string label_;
  std::size_t total_;
  bool tty_;
  bool finished_ = false;
  long long last_draw_ms_ = 0;
};

}  // namespace cordon::cli
