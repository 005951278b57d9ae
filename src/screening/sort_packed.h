// Internal to cordon_screening: a radix sort for the candidate lists of the index
// (screener.cc), in a header of its own so that it can be tested directly.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace cordon::screening::detail {

// Sorts 32-bit keys ascending, such as packed postings (slot << shape bits | length): a
// query's candidates are thousands to tens of thousands of them, read from many lists. Least
// significant digit first, 11 bits at a time (three passes over the data and a count each;
// a pass whose digit is the same throughout is skipped), where a comparison sort takes
// ~log2(n) passes with a branch each; short lists are left to std::sort. `buffer` is scratch.
inline void sort_packed(std::vector<uint32_t>& v, std::vector<uint32_t>& buffer) {
  if (v.size() < 512) {
    std::sort(v.begin(), v.end());
    return;
  }
  constexpr int kBits = 11;
  constexpr uint32_t kDigits = 1U << kBits;
  buffer.resize(v.size());
  std::array<uint32_t, kDigits> count{};
  uint32_t* from = v.data();
  uint32_t* to = buffer.data();
  const std::size_t n = v.size();
  for (int shift = 0; shift < 32; shift += kBits) {
    count.fill(0);
    for (std::size_t i = 0; i < n; ++i) ++count[(from[i] >> shift) & (kDigits - 1)];
    if (count[(from[0] >> shift) & (kDigits - 1)] == n) continue;
    uint32_t sum = 0;
    for (auto& c : count) {
      const uint32_t here = c;
      c = sum;
      sum += here;
    }
    for (std::size_t i = 0; i < n; ++i) to[count[(from[i] >> shift) & (kDigits - 1)]++] = from[i];
    std::swap(from, to);
  }
  if (from != v.data()) std::copy(from, from + n, v.data());
}

}  // namespace cordon::screening::detail
