// The simulation's source of randomness. Same seed, same world: the engine is std::mt19937_64,
// whose sequence the standard fixes, and every draw is derived here by hand, because the output
// of the std::*_distribution templates differs between standard libraries.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <stdexcept>
#include <string_view>
#include <vector>

namespace cordon::simulation::detail {

// SplitMix64 finaliser: spreads a seed and a stream label over all 64 bits.
constexpr uint64_t mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

constexpr uint64_t hash_label(std::string_view label) {
  uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a
  for (unsigned char c : label) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}

class Rng {
 public:
  explicit Rng(uint64_t seed) : engine_(seed) {}
  // A generator for one phase of the world ("traders", "declarations", ...). Each phase draws
  // from its own stream so that a later phase added to the generator does not shift the
  // numbers, and so the data, of the phases before it.
  static Rng stream(uint64_t seed, std::string_view label) { return Rng(mix64(seed ^ hash_label(label))); }

  uint64_t next() { return engine_(); }
  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // Log-uniform in [lo, hi]: prices and masses spread over orders of magnitude.
  double log_uniform(double lo, double hi) { return std::exp(uniform(std::log(lo), std::log(hi))); }
  // Uniform integer in [lo, hi], inclusive.
  int64_t between(int64_t lo, int64_t hi) {
    if (hi <= lo) return lo;
    const auto range = static_cast<unsigned __int128>(static_cast<uint64_t>(hi - lo) + 1);
    return lo + static_cast<int64_t>((static_cast<unsigned __int128>(engine_()) * range) >> 64);
  }
  std::size_t index(std::size_t size) {
    if (size == 0) throw std::logic_error("Rng::index on an empty range");
    return static_cast<std::size_t>(between(0, static_cast<int64_t>(size) - 1));
  }
  bool chance(double probability) { return uniform() < probability; }
  // Box-Muller; one value per call keeps the stream simple to reason about.
  double normal(double mean, double sd) {
    double u1 = uniform();
    while (u1 <= 0) u1 = uniform();
    const double u2 = uniform();
    return mean + sd * std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  double lognormal(double mu, double sigma) { return std::exp(normal(mu, sigma)); }

  template <class T>
  const T& pick(std::span<const T> items) {
    return items[index(items.size())];
  }
  template <class T>
  const T& pick(const std::vector<T>& items) {
    return items[index(items.size())];
  }
  // Index drawn in proportion to the weights (all >= 0, not all 0).
  std::size_t weighted(std::span<const double> weights) {
    double total = 0;
    for (double w : weights) total += w;
    double x = uniform() * total;
    for (std::size_t i = 0; i < weights.size(); ++i) {
      if (x < weights[i]) return i;
      x -= weights[i];
    }
    return weights.size() - 1;
  }

 private:
  std::mt19937_64 engine_;
};

// Draws indices in proportion to fixed weights in O(log n): for picking among thousands of
// traders a hundred thousand times.
class WeightedIndex {
 public:
  WeightedIndex() = default;
  explicit WeightedIndex(std::span<const double> weights) {
    cumulative_.reserve(weights.size());
    double total = 0;
    for (double w : weights) cumulative_.push_back(total += w);
  }
  bool empty() const { return cumulative_.empty(); }
  std::size_t operator()(Rng& rng) const {
    const double x = rng.uniform() * cumulative_.back();
    std::size_t lo = 0, hi = cumulative_.size() - 1;
    while (lo < hi) {
      std::size_t mid = (lo + hi) / 2;
      if (x < cumulative_[mid]) hi = mid; else lo = mid + 1;
    }
    return lo;
  }

 private:
  std::vector<double> cumulative_;
};

}  // namespace cordon::simulation::detail
