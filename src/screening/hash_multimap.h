// Internal to cordon_screening: the flat table behind the dictionary's lookups (screener.cc),
// in a header of its own so that it can be tested directly.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace cordon::screening::detail {

// A multimap from 64-bit hashes to 32-bit values: open addressing with linear
// probing, at most half full. A query word's reach (Screener::State::reach) makes some 30
// independent lookups; in std::unordered_map each chased a bucket, a node and a vector, two
// or three cache misses in a row on a 1M-entity dictionary. Here a lookup is one line (rarely
// two), and since its address follows from the hash alone, a caller can ask for all of its
// lines first (prefetch) and then read them, so that the misses overlap.
//
// Entries keep 32 bits of the hash, not the key: find() may also give the values of another
// key whose hash agrees in those bits. Callers check what they find against the key where it
// matters.
class HashMultimap {
 public:
  void insert(uint64_t hash, uint32_t value) {
    if (2 * (used_ + 1) > entries_.size()) grow();
    place({tag(hash), value});
    ++used_;
  }

  // Removes one entry of `value` under `hash`; false if there is none. The entries after it in
  // its run move back where they may (backward-shift deletion), so that lookups still stop
  // at the first empty entry.
  bool erase(uint64_t hash, uint32_t value) {
    if (entries_.empty()) return false;
    const uint32_t t = tag(hash);
    const std::size_t mask = entries_.size() - 1;
    std::size_t hole = home(t);
    for (;; hole = (hole + 1) & mask) {
      if (entries_[hole].tag == 0) return false;
      if (entries_[hole].tag == t && entries_[hole].value == value) break;
    }
    for (std::size_t next = (hole + 1) & mask; entries_[next].tag != 0; next = (next + 1) & mask) {
      // The entry at `next` may fill the hole unless its home lies cyclically in (hole, next].
      const std::size_t h = home(entries_[next].tag);
      const bool stays = hole <= next ? (hole < h && h <= next) : (hole < h || h <= next);
      if (stays) continue;
      entries_[hole] = entries_[next];
      hole = next;
    }
    entries_[hole] = Entry{};
    --used_;
    return true;
  }

  void prefetch(uint64_t hash) const {
    if (!entries_.empty()) __builtin_prefetch(&entries_[home(tag(hash))]);
  }

  // f(value) for each value stored under `hash` (and the rare one of a look-alike hash), in
  // no particular order.
  template <typename F>
  void find(uint64_t hash, F&& f) const {
    if (entries_.empty()) return;
    const uint32_t t = tag(hash);
    const std::size_t mask = entries_.size() - 1;
    for (std::size_t at = home(t);; at = (at + 1) & mask) {
      const Entry& e = entries_[at];
      if (e.tag == 0) return;
      if (e.tag == t) f(e.value);
    }
  }

  std::size_t size() const { return used_; }
  std::size_t memory_bytes() const { return entries_.capacity() * sizeof(Entry); }

 private:
  struct Entry {
    uint32_t tag = 0;  // 0: empty
    uint32_t value = 0;
  };

  // An entry's slot follows from its tag alone, so that growing can place it again. Two keys
  // of the same tag share their values: with 7M deletion keys, some thousands of pairs do,
  // and a lookup of one of them (about one in a thousand) also finds the other's few values.
  static uint32_t tag(uint64_t hash) {
    const auto t = static_cast<uint32_t>(hash >> 32);
    return t != 0 ? t : 1U;
  }
  std::size_t home(uint32_t t) const { return static_cast<std::size_t>((t * 0x9E3779B97F4A7C15ULL) >> shift_); }

  void place(Entry e) {
    const std::size_t mask = entries_.size() - 1;
    std::size_t at = home(e.tag);
    while (entries_[at].tag != 0) at = (at + 1) & mask;
    entries_[at] = e;
  }

  void grow() {
    const std::size_t capacity = entries_.empty() ? 64 : entries_.size() * 2;
    std::vector<Entry> old(capacity);
    old.swap(entries_);
    shift_ = 64 - std::countr_zero(capacity);
    for (const Entry& e : old) {
      if (e.tag != 0) place(e);
    }
  }

  std::vector<Entry> entries_;
  std::size_t used_ = 0;
  int shift_ = 64;
};

}  // namespace cordon::screening::detail
