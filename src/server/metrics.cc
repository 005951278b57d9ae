// Prometheus text exposition (format 0.0.4). One mutex guards everything but the in-flight gauge:
// an observation is a couple of map look-ups without allocation once a series exists, so the
// lock is held for well under a microsecond and is not worth sharding.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <mutex>
#include <tuple>

#include "server/http_server.h"

namespace cordon::server {
namespace {

// Upper bounds in seconds, from half a millisecond (a cached GET) to ten seconds (a large batch).
constexpr std::array<double, 14> kDurationBuckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                  0.1,    0.25,  0.5,    1.0,   2.5,   5.0,  10.0};

// Label values are escaped as the exposition format requires: backslash, quote and newline.
void append_label_value(std::string& out, std::string_view value) {
  for (char c : value) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      default: out.push_back(c);
    }
  }
}

// HELP text escapes only backslash and newline.
void append_help(std::string& out, std::string_view help) {
  for (char c : help) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else out.push_back(c);
  }
}

std::string format_value(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  return fmt::format("{}", v);
}

}  // namespace

struct Metrics::State {
  struct Histogram {
    std::array<std::uint64_t, kDurationBuckets.size()> buckets{};  // per bucket, not cumulative
    double sum_seconds = 0;
    std::uint64_t count = 0;
  };
  struct Family {
    std::string help;
    const char* type;                         // "counter" or "gauge"
    std::map<std::string, double, std::less<>> samples;  // by rendered labels ("" for none)
  };

  mutable std::mutex mutex;
  // (route, method, status) → count. Transparent comparison lets observe_request look up with
  // string_views and allocate only for a new series.
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t, std::less<>> requests;
  std::map<std::string, Histogram, std::less<>> durations;
  std::map<std::string, Family, std::less<>> families;
  std::atomic<std::int64_t> in_flight{0};

  Family& family(std::string_view name, std::string_view help, const char* type) {
    auto it = families.find(name);
    if (it == families.end()) it = families.emplace(std::string(name), Family{std::string(help), type, {}}).first;
    return it->second;
  }
};

Metrics::Metrics() : state_(std::make_unique<State>()) {}
Metrics::~Metrics() = default;

void Metrics::observe_request(std::string_view route, std::string_view method, int status,
                              std::chrono::nanoseconds duration) {
  const double seconds = std::chrono::duration<double>(duration).count();
  const auto bucket = static_cast<std::size_t>(
      std::lower_bound(kDurationBuckets.begin(), kDurationBuckets.end(), seconds) - kDurationBuckets.begin());
  std::lock_guard lock(state_->mutex);
  const auto key = std::make_tuple(route, method, status);
  auto it = state_->requests.find(key);
  if (it == state_->requests.end()) {
    it = state_->requests.emplace(std::make_tuple(std::string(route), std::string(method), status), 0).first;
  }
  ++it->second;
  auto hit = state_->durations.find(route);
  if (hit == state_->durations.end()) hit = state_->durations.emplace(std::string(route), State::Histogram{}).first;
  if (bucket < kDurationBuckets.size()) ++hit->second.buckets[bucket];
  hit->second.sum_seconds += seconds;
  ++hit->second.count;
}

void Metrics::add_in_flight(int delta) { state_->in_flight.fetch_add(delta, std::memory_order_relaxed); }

void Metrics::add_counter(std::string_view name, std::string_view help, std::string_view labels, double delta) {
  std::lock_guard lock(state_->mutex);
  auto& samples = state_->family(name, help, "counter").samples;
  auto it = samples.find(labels);
  if (it == samples.end()) it = samples.emplace(std::string(labels), 0.0).first;
  it->second += delta;
}

void Metrics::set_gauge(std::string_view name, std::string_view help, double value) {
  std::lock_guard lock(state_->mutex);
  auto& samples = state_->family(name, help, "gauge").samples;
  auto it = samples.find(std::string_view{});
  if (it == samples.end()) it = samples.emplace(std::string(), 0.0).first;
  it->second = value;
}

std::string Metrics::render() const {
  std::string out;
  out.reserve(4096);
  std::lock_guard lock(state_->mutex);

  out += "# HELP cordon_http_requests_total HTTP requests answered, by route, method and status.\n";
  out += "# TYPE cordon_http_requests_total counter\n";
  for (const auto& [key, count] : state_->requests) {
    const auto& [route, method, status] = key;
    out += "cordon_http_requests_total{route=\"";
    append_label_value(out, route);
    out += "\",method=\"";
    append_label_value(out, method);
    out += fmt::format("\",status=\"{}\"}} {}\n", status, count);
  }

  out += "# HELP cordon_http_request_duration_seconds Time from request headers read to response written.\n";
  out += "# TYPE cordon_http_request_duration_seconds histogram\n";
  for (const auto& [route, histogram] : state_->durations) {
    std::string label;
    append_label_value(label, route);
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kDurationBuckets.size(); ++i) {
      cumulative += histogram.buckets[i];
      out += fmt::format("cordon_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n", label,
                         format_value(kDurationBuckets[i]), cumulative);
    }
    out += fmt::format("cordon_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n", label,
                       histogram.count);
    out += fmt::format("cordon_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", label,
                       format_value(histogram.sum_seconds));
    out += fmt::format("cordon_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", label, histogram.count);
  }

  out += "# HELP cordon_http_requests_in_flight HTTP requests read and not yet answered.\n";
  out += "# TYPE cordon_http_requests_in_flight gauge\n";
  out += fmt::format("cordon_http_requests_in_flight {}\n", state_->in_flight.load(std::memory_order_relaxed));

  for (const auto& [name, family] : state_->families) {
    out += "# HELP ";
    out += name;
    out += ' ';
    append_help(out, family.help);
    out += "\n# TYPE ";
    out += name;
    out += ' ';
    out += family.type;
    out += '\n';
    for (const auto& [labels, value] : family.samples) {
      out += name;
      if (!labels.empty()) {
        out += '{';
        out += labels;
        out += '}';
      }
      out += ' ';
      out += format_value(value);
      out += '\n';
    }
  }
  return out;
}

}  // namespace cordon::server
