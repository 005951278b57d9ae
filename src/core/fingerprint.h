// A stable 64-bit fingerprint of a byte string (FNV-1a). Used to tell whether a resent
// document is the same as the stored one; not a cryptographic hash.
#pragma once

#include <cstdint>
#include <string_view>

namespace cordon {

constexpr uint64_t fingerprint(std::string_view bytes) {
  uint64_t hash = 14695981039346656037ULL;
  for (char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  return hash;
}

}  // namespace cordon
