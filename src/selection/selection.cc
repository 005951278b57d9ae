#include "selection/selection.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace cordon::selection {

std::string_view to_string(Channel channel) {
  switch (channel) {
    case Channel::kGreen: return "green";
    case Channel::kYellow: return "yellow";
    case Channel::kRed: return "red";
  }
  return "green";
}

std::optional<Channel> parse_channel(std::string_view name) {
  if (name == "green") return Channel::kGreen;
  if (name == "yellow") return Channel::kYellow;
  if (name == "red") return Channel::kRed;
  return std::nullopt;
}

int64_t CapacityPolicy::capacity(std::string_view office) const {
  if (auto it = red_per_day_by_office.find(std::string(office)); it != red_per_day_by_office.end()) return it->second;
  return red_per_day;
}

int64_t CapacityPolicy::random_slots(std::string_view office) const {
  double share = std::clamp(random_share, 0.0, 1.0);
  return static_cast<int64_t>(std::floor(static_cast<double>(capacity(office)) * share));
}

double random_draw(uint64_t seed, int64_t key) {
  // splitmix64: cheap, well mixed, and stable across platforms and releases.
  uint64_t z = seed + 0x9e3779b97f4a7c15ULL * (static_cast<uint64_t>(key) + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
  return static_cast<double>(z >> 11) * 0x1.0p-53;
}

namespace {

double draw_probability(int64_t random_slots, int64_t expected_volume, double max_rate) {
  if (random_slots <= 0) return 0;
  double p = static_cast<double>(random_slots) / static_cast<double>(std::max<int64_t>(expected_volume, 1));
  return std::min(std::clamp(max_rate, 0.0, 1.0), p);
}

}  // namespace

Assignment ChannelSelector::assign(const Candidate& c) {
  std::lock_guard lock(mutex_);
  auto it = offices_.find(c.office);
  if (it == offices_.end()) it = offices_.emplace(c.office, OfficeDay{}).first;
  OfficeDay& od = it->second;
  const int64_t capacity = policy_.capacity(c.office);
  const int64_t random_slots = policy_.random_slots(c.office);
  const int64_t risk_slots = capacity - random_slots;
  if (od.day != c.day) {
    // A new day: yesterday's red requests set today's admission threshold, so that roughly
    // risk_slots of a day like yesterday reach it, spread over the day rather than spent on
    // the first arrivals.
    if (od.day != INT64_MIN) {
      od.previous_volume = od.volume;
      auto& s = od.red_scores;
      if (static_cast<int64_t>(s.size()) > risk_slots && risk_slots > 0) {
        std::nth_element(s.begin(), s.begin() + (risk_slots - 1), s.end(), std::greater<>());
        od.threshold = s[risk_slots - 1];
      } else {
        od.threshold = 0;
      }
    }
    od.day = c.day;
    od.volume = od.used_risk = od.used_random = 0;
    od.red_scores.clear();
  }
  ++od.volume;
  Assignment a;
  a.channel = c.requested;
  if (c.requested == Channel::kRed) {
    od.red_scores.push_back(c.score);
    if (od.used_risk >= risk_slots) {
      a.channel = Channel::kYellow;
      a.capacity_limited = true;
      a.reason = "red requested, but the office's risk capacity for the day is used up: documentary check";
    } else if (c.score < od.threshold) {
      a.channel = Channel::kYellow;
      a.capacity_limited = true;
      a.reason = "red requested, but the score is below the office's admission threshold: documentary check";
    } else {
      ++od.used_risk;
      a.reason = "red requested by the fired profiles, within the office's capacity";
    }
  }
  if (a.channel != Channel::kRed && od.used_random < random_slots) {
    int64_t expected = od.previous_volume > 0 ? od.previous_volume : policy_.expected_daily_volume;
    if (random_draw(policy_.seed, c.key) < draw_probability(random_slots, expected, policy_.max_random_rate)) {
      ++od.used_random;
      a.channel = Channel::kRed;
      a.random = true;
      a.capacity_limited = false;
      a.reason = "drawn for a random control";
    }
  }
  if (a.reason.empty()) {
    a.reason = c.requested == Channel::kYellow ? "documentary check requested by the fired profiles"
                                               : "no profile fired: release";
  }
  a.capacity = {capacity, od.used_risk, od.used_random, od.threshold};
  return a;
}

std::vector<Assignment> select_batch(const std::vector<Candidate>& candidates, const CapacityPolicy& policy,
                                     int64_t expected_volume) {
  std::vector<Assignment> out(candidates.size());
  if (candidates.empty()) return out;
  const std::string& office = candidates.front().office;
  const int64_t capacity = policy.capacity(office);
  const int64_t random_slots = policy.random_slots(office);
  int64_t risk_slots = capacity - random_slots;
  double p = draw_probability(random_slots, expected_volume, policy.max_random_rate);
  int64_t used_random = 0;
  std::vector<size_t> red;
  for (size_t i = 0; i < candidates.size(); ++i) {
    out[i].channel = candidates[i].requested;
    if (candidates[i].requested == Channel::kRed) red.push_back(i);
  }
  std::stable_sort(red.begin(), red.end(), [&](size_t a, size_t b) {
    if (candidates[a].score != candidates[b].score) return candidates[a].score > candidates[b].score;
    return candidates[a].key < candidates[b].key;
  });
  int64_t used_risk = 0;
  double threshold = 0;
  for (size_t i : red) {
    if (used_risk < risk_slots) {
      ++used_risk;
      threshold = candidates[i].score;
      out[i].reason = "red requested by the fired profiles, among the day's highest scores within capacity";
    } else {
      out[i].channel = Channel::kYellow;
      out[i].capacity_limited = true;
      out[i].reason = "red requested, but higher scores used the day's risk capacity: documentary check";
    }
  }
  for (size_t i = 0; i < candidates.size() && used_random < random_slots; ++i) {
    if (out[i].channel == Channel::kRed) continue;
    if (random_draw(policy.seed, candidates[i].key) < p) {
      ++used_random;
      out[i].channel = Channel::kRed;
      out[i].random = true;
      out[i].capacity_limited = false;
      out[i].reason = "drawn for a random control";
    }
  }
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (out[i].reason.empty()) {
      out[i].reason = candidates[i].requested == Channel::kYellow ? "documentary check requested by the fired profiles"
                                                                  : "no profile fired: release";
    }
    out[i].capacity = {capacity, used_risk, used_random, threshold};
  }
  return out;
}

std::string check_override(const Override& o) {
  if (o.reason.find_first_not_of(" \t\r\n") == std::string::npos) return "reason: an override needs a reason";
  if (o.officer.empty()) return "officer: an override needs the officer's name";
  return {};
}

}  // namespace cordon::selection
