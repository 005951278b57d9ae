// The selection engine: turns a declaration's risk (score and the channel its fired profiles ask
// for) into a control channel under an office's daily inspection capacity, draws random controls
// (the unbiased sample that measures performance), and applies officers' overrides.
//
//   ChannelSelector selector(policy);
//   Assignment a = selector.assign({.key = 42, .office = "NL000396", .day = d, .score = 2.5,
//                                   .requested = Channel::kRed});
//
// Two ways to spend a day's red capacity (docs/selection.md):
//  - select_batch(): all of a day's candidates known at once — highest score first, exact.
//  - ChannelSelector::assign(): declarations arrive one by one and must be answered at once.
//    A red request is admitted while the office has risk slots left today and its score reaches
//    the office's admission threshold: the score that only `risk slots` of the previous day's
//    red requests reached (0 on an office's first day, i.e. first come first served). The
//    quota is a hard cap: past it a red request becomes yellow, marked capacity_limited.
//
// Random controls: `random_share` of each office's daily red capacity is reserved for them; a
// declaration not already red is drawn with probability reserved / expected daily volume (the
// previous day's volume, or expected_daily_volume on the first day) and at most max_random_rate,
// decided by a hash of the
// seed and the declaration's key so that the draw is reproducible and auditable.
//
// With a learned score (docs/scoring.md; Candidate::scored): every declaration competes for the
// risk slots by expected yield, not only those the profiles ask red for; a declaration the
// profiles flag whose predicted probability is below `release_below` is released to green as a
// likely false positive (never one with a watch-list hit: those are for an officer to clear); and `explore_share` of the capacity goes to exploration draws among
// candidates the model knows little of (traders never controlled, scores near 0.5), so that the
// next training sees them.
//
// Thread-safety: ChannelSelector is internally synchronised; select_batch is a pure function.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cordon::selection {

enum class Channel { kGreen, kYellow, kRed };
std::string_view to_string(Channel channel);  // "green", "yellow", "red"
std::optional<Channel> parse_channel(std::string_view name);

struct CapacityPolicy {
  int64_t red_per_day = 50;             // default per office: inspections an office can do a day
  std::map<std::string, int64_t> red_per_day_by_office;  // overrides the default
  double random_share = 0.1;            // share of the red capacity kept for random controls, 0..1
  int64_t expected_daily_volume = 1000; // declarations an office expects on its first day
  // At most this share of an office's declarations is drawn for random control (and, streaming,
  // for exploration), however few arrive: without it an office seeing fewer declarations a day than it has random slots would
  // send every one of them to red.
  double max_random_rate = 0.02;
  uint64_t seed = 20260301;             // for the random draw
  // With a learned score only:
  double explore_share = 0.1;           // share of the red capacity for exploration draws, 0..1
  double release_below = 0.05;          // profile hits predicted below this probability are released

  int64_t capacity(std::string_view office) const;
  int64_t random_slots(std::string_view office) const;  // ceil-free: floor(capacity * share)
  int64_t explore_slots(std::string_view office) const;  // floor(capacity * explore_share)
};

struct Candidate {
  int64_t key = 0;        // the declaration id: what the random draw hashes
  std::string office;     // office of first entry
  int64_t day = 0;        // days since 1970-01-01 of the declaration's arrival
  double score = 0;       // sum of the fired profiles' weights, plus hit scores
  Channel requested = Channel::kGreen;  // the highest minimum channel of the fired profiles
  // Set when a model scored the declaration; `score` is then its expected yield.
  bool scored = false;
  double probability = 0;  // of an irregularity
  bool explore = false;    // eligible for exploration: a trader never controlled, or an uncertain score
  bool screening_hit = false;  // a watch-list hit: never released by the model, whatever it predicts
};

struct CapacityState {
  int64_t capacity = 0;       // red slots today (risk + random)
  int64_t used_risk = 0;      // risk-based red selections today, after this one
  int64_t used_random = 0;    // random red selections today, after this one
  int64_t used_explore = 0;   // exploration red selections today, after this one
  double threshold = 0;       // the score a red request had to reach
};

struct Assignment {
  Channel channel = Channel::kGreen;
  bool random = false;            // chosen by the random draw, not by risk
  bool explored = false;          // chosen by the exploration draw
  bool released = false;          // profile hits released as a likely false positive
  bool capacity_limited = false;  // asked for red, got yellow for want of capacity or score
  CapacityState capacity;
  std::string reason;             // one sentence for the decision log
};

class ChannelSelector {
 public:
  explicit ChannelSelector(CapacityPolicy policy) : policy_(std::move(policy)) {}

  Assignment assign(const Candidate& candidate);
  const CapacityPolicy& policy() const { return policy_; }

 private:
  struct OfficeDay {
    int64_t day = INT64_MIN;
    int64_t volume = 0, used_risk = 0, used_random = 0, used_explore = 0;
    std::vector<double> red_scores;  // today's red requests' scores (with a model: every yield)
    int64_t previous_volume = 0;
    int64_t eligible = 0, previous_eligible = 0;  // exploration candidates
    double threshold = 0;
  };
  CapacityPolicy policy_;
  std::mutex mutex_;
  std::map<std::string, OfficeDay, std::less<>> offices_;
};

// A uniform number in [0, 1) from the seed and the key: the same inputs always draw the same.
double random_draw(uint64_t seed, int64_t key);

// Every candidate of one office and day at once: random draws first (as assign does), then the
// remaining red capacity to red requests by descending score (ties: lower key first). Returns
// one assignment per candidate, in input order.
// REQUIRES: all candidates share office and day.
std::vector<Assignment> select_batch(const std::vector<Candidate>& candidates, const CapacityPolicy& policy,
                                     int64_t expected_volume);

// An officer's override: the new channel and why, recorded beside the engine's assignment.
struct Override {
  Channel channel = Channel::kGreen;
  std::string reason;   // required, non-empty
  std::string officer;
};
// Empty when acceptable; otherwise what is wrong ("reason: an override needs a reason").
std::string check_override(const Override& override_request);

}  // namespace cordon::selection
