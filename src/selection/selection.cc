#include "selection/selection.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <fmt/format.h>

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

int64_t CapacityPolicy::explore_slots(std::string_view office) const {
  double share = std::clamp(explore_share, 0.0, 1.0);
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

// The exploration draw is independent of the random-control draw.
constexpr uint64_t kExploreSalt = 0x6578706c6f726521ULL;

// A scored declaration competes for red; a flagged one predicted below the floor is released.
bool wants_red(const Candidate& c) { return c.scored || c.requested == Channel::kRed; }
bool releasable(const Candidate& c, const CapacityPolicy& p) {
  return c.scored && !c.screening_hit && c.requested != Channel::kGreen && c.probability < p.release_below;
}
std::string release_reason(const Candidate& c, const CapacityPolicy& p) {
  return fmt::format("profile hit released as a likely false positive: predicted probability {:.3f} is below {:.3f}",
                     c.probability, p.release_below);
}

}  // namespace

Assignment ChannelSelector::assign(const Candidate& c) {
  std::lock_guard lock(mutex_);
  auto it = offices_.find(c.office);
  if (it == offices_.end()) it = offices_.emplace(c.office, OfficeDay{}).first;
  OfficeDay& od = it->second;
  const int64_t capacity = policy_.capacity(c.office);
  const int64_t random_slots = policy_.random_slots(c.office);
  const int64_t explore_slots = c.scored ? std::min(policy_.explore_slots(c.office), capacity - random_slots) : 0;
  const int64_t risk_slots = capacity - random_slots - explore_slots;
  if (od.day != c.day) {
    // A new day: yesterday's red requests set today's admission threshold, so that roughly
    // risk_slots of a day like yesterday reach it, spread over the day rather than spent on
    // the first arrivals.
    if (od.day != INT64_MIN) {
      od.previous_volume = od.volume;
      od.previous_eligible = od.eligible;
      auto& s = od.red_scores;
      if (static_cast<int64_t>(s.size()) > risk_slots && risk_slots > 0) {
        std::nth_element(s.begin(), s.begin() + (risk_slots - 1), s.end(), std::greater<>());
        od.threshold = s[risk_slots - 1];
      } else {
        od.threshold = 0;
      }
    }
    od.day = c.day;
    od.volume = od.used_risk = od.used_random = od.used_explore = od.eligible = 0;
    od.red_scores.clear();
  }
  ++od.volume;
  Assignment a;
  a.channel = c.requested;
  if (releasable(c, policy_)) {
    a.channel = Channel::kGreen;
    a.released = true;
    a.reason = release_reason(c, policy_);
  } else if (wants_red(c)) {
    od.red_scores.push_back(c.score);
    // With a model, an office's first day has no threshold yet: only likely irregularities go red.
    const bool below = c.score < od.threshold || (c.scored && od.threshold == 0 && c.probability < 0.5);
    if (od.used_risk < risk_slots && !below) {
      ++od.used_risk;
      a.channel = Channel::kRed;
      a.reason = c.scored ? fmt::format("expected yield {:.3f} (probability {:.3f}) within the office's capacity",
                                        c.score, c.probability)
                          : "red requested by the fired profiles, within the office's capacity";
    } else if (c.requested == Channel::kRed) {
      a.channel = Channel::kYellow;
      a.capacity_limited = true;
      a.reason = od.used_risk >= risk_slots
                     ? "red requested, but the office's risk capacity for the day is used up: documentary check"
                     : "red requested, but the score is below the office's admission threshold: documentary check";
    }
  }
  if (c.explore) ++od.eligible;
  if (a.channel != Channel::kRed && c.explore && od.used_explore < explore_slots) {
    int64_t expected = od.previous_eligible > 0 ? od.previous_eligible : policy_.expected_daily_volume / 2;
    if (random_draw(policy_.seed ^ kExploreSalt, c.key) < draw_probability(explore_slots, expected, policy_.max_random_rate)) {
      ++od.used_explore;
      a.channel = Channel::kRed;
      a.explored = true;
      a.capacity_limited = false;
      a.reason = "drawn for exploration: a trader never controlled, or a score the model is unsure of";
    }
  }
  if (a.channel != Channel::kRed && od.used_random < random_slots) {
    int64_t expected = od.previous_volume > 0 ? od.previous_volume : policy_.expected_daily_volume;
    if (random_draw(policy_.seed, c.key) < draw_probability(random_slots, expected, policy_.max_random_rate)) {
      ++od.used_random;
      a.channel = Channel::kRed;
      a.random = true;
      a.released = false;
      a.capacity_limited = false;
      a.reason = "drawn for a random control";
    }
  }
  if (a.reason.empty()) {
    a.reason = a.channel == Channel::kYellow ? "documentary check requested by the fired profiles"
               : c.scored                    ? fmt::format("release: expected yield {:.3f} (probability {:.3f})",
                                                           c.score, c.probability)
                                             : "no profile fired: release";
  }
  a.capacity = {capacity, od.used_risk, od.used_random, od.used_explore, od.threshold};
  return a;
}

std::vector<Assignment> select_batch(const std::vector<Candidate>& candidates, const CapacityPolicy& policy,
                                     int64_t expected_volume) {
  std::vector<Assignment> out(candidates.size());
  if (candidates.empty()) return out;
  const std::string& office = candidates.front().office;
  const bool scored = candidates.front().scored;
  const int64_t capacity = policy.capacity(office);
  const int64_t random_slots = policy.random_slots(office);
  const int64_t explore_slots = scored ? std::min(policy.explore_slots(office), capacity - random_slots) : 0;
  int64_t risk_slots = capacity - random_slots - explore_slots;
  double p = draw_probability(random_slots, expected_volume, policy.max_random_rate);
  int64_t used_random = 0, used_explore = 0, eligible = 0;
  std::vector<size_t> red;
  for (size_t i = 0; i < candidates.size(); ++i) {
    const Candidate& c = candidates[i];
    out[i].channel = c.requested;
    eligible += c.explore ? 1 : 0;
    if (releasable(c, policy)) {
      out[i].channel = Channel::kGreen;
      out[i].released = true;
      out[i].reason = release_reason(c, policy);
    } else if (wants_red(c)) {
      red.push_back(i);
    }
  }
  std::stable_sort(red.begin(), red.end(), [&](size_t a, size_t b) {
    if (candidates[a].score != candidates[b].score) return candidates[a].score > candidates[b].score;
    return candidates[a].key < candidates[b].key;
  });
  int64_t used_risk = 0;
  double threshold = 0;
  for (size_t i : red) {
    const Candidate& c = candidates[i];
    if (used_risk < risk_slots) {
      ++used_risk;
      threshold = c.score;
      out[i].channel = Channel::kRed;
      out[i].reason = c.scored ? fmt::format("expected yield {:.3f} (probability {:.3f}) among the day's highest",
                                             c.score, c.probability)
                               : "red requested by the fired profiles, among the day's highest scores within capacity";
    } else if (c.requested == Channel::kRed) {
      out[i].channel = Channel::kYellow;
      out[i].capacity_limited = true;
      out[i].reason = "red requested, but higher scores used the day's risk capacity: documentary check";
    }
  }
  double explore_p = draw_probability(explore_slots, eligible, 1.0);
  for (size_t i = 0; i < candidates.size() && used_explore < explore_slots; ++i) {
    if (out[i].channel == Channel::kRed || !candidates[i].explore) continue;
    if (random_draw(policy.seed ^ kExploreSalt, candidates[i].key) < explore_p) {
      ++used_explore;
      out[i].channel = Channel::kRed;
      out[i].explored = true;
      out[i].capacity_limited = false;
      out[i].reason = "drawn for exploration: a trader never controlled, or a score the model is unsure of";
    }
  }
  for (size_t i = 0; i < candidates.size() && used_random < random_slots; ++i) {
    if (out[i].channel == Channel::kRed) continue;
    if (random_draw(policy.seed, candidates[i].key) < p) {
      ++used_random;
      out[i].channel = Channel::kRed;
      out[i].random = true;
      out[i].released = false;
      out[i].capacity_limited = false;
      out[i].reason = "drawn for a random control";
    }
  }
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (out[i].reason.empty()) {
      out[i].reason = out[i].channel == Channel::kYellow ? "documentary check requested by the fired profiles"
                      : candidates[i].scored            ? "release: expected yield below the day's selections"
                                                        : "no profile fired: release";
    }
    out[i].capacity = {capacity, used_risk, used_random, used_explore, threshold};
  }
  return out;
}

std::string check_override(const Override& o) {
  if (o.reason.find_first_not_of(" \t\r\n") == std::string::npos) return "reason: an override needs a reason";
  if (o.officer.empty()) return "officer: an override needs the officer's name";
  return {};
}

}  // namespace cordon::selection
