// ScoringHistory: the aggregates behind the learned score's features (docs/scoring.md lists them).
#include <algorithm>
#include <atomic>
#include <cctype>
#include <cmath>
#include <limits>
#include <queue>

#include "core/fingerprint.h"
#include "core/time.h"
#include "selection/scoring.h"

namespace cordon::selection {
namespace {

constexpr float kMissing = std::numeric_limits<float>::quiet_NaN();
constexpr double kFastDays = 7;  // decay constants of the traders' declaration rates
constexpr double kSlowDays = 90;
constexpr int64_t kMinValues = 5;  // fewer earlier values make a z-score too noisy

constexpr std::array<std::string_view, kFeatureCount> kNames{
    "mode",
    "goods_count",
    "log_value",
    "log_mass",
    "log_value_per_kg",
    "value_per_kg_z_hs6",
    "value_per_kg_z_hs6_origin",
    "route_countries",
    "origin_differs_from_departure",
    "declarant.declarations",
    "declarant.first_seen_days",
    "consignee.declarations",
    "consignee.first_seen_days",
    "consignee.rate_7d",
    "consignee.rate_change",
    "consignee.origin_share",
    "consignee.hs4_share",
    "consignee.value_z",
    "consignor.declarations",
    "pair.declarations",
    "pair.novel",
    "declarant_consignee.declarations",
    "hs6.target_rate",
    "hs4.target_rate",
    "origin.target_rate",
    "hs6_origin.target_rate",
    "office.target_rate",
    "declarant.target_rate",
    "consignee.target_rate",
    "consignor.target_rate",
    "carrier.target_rate",
    "declarant.controls",
    "consignee.controls",
    "consignor.controls",
    "profiles.weight",
    "profiles.fired",
    "profiles.channel",
    "screening.hits",
    "screening.max_score",
};

std::optional<int64_t> day_of(const Declaration& d) {
  auto seconds = parse_timestamp(d.lodged_at);
  if (!seconds) return std::nullopt;
  int64_t s = *seconds;
  return s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
}

uint64_t key(std::string_view kind, std::string_view value) {
  uint64_t h = fingerprint(kind);
  return h ^ (fingerprint(value) * 0x9e3779b97f4a7c15ULL);
}

// A party's identity: its EORI, or its lower-cased name and country (as the rules' features).
uint64_t party_id(const Party& p) {
  if (!p.eori.empty()) return key("eori", p.eori);
  std::string name;
  name.reserve(p.name.size() + 3);
  for (char c : p.name) name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  name += '|';
  name += p.address.country;
  return key("name", name);
}

struct Roles {
  uint64_t declarant = 0, consignee = 0, consignor = 0, carrier = 0;  // 0: absent
};

Roles roles_of(const Declaration& d) {
  Roles r;
  if (!d.declarant.eori.empty() || !d.declarant.name.empty()) r.declarant = party_id(d.declarant);
  if (const Party* p = d.find_party(PartyRole::kConsignee)) r.consignee = party_id(*p);
  if (const Party* p = d.find_party(PartyRole::kConsignor)) {
    r.consignor = party_id(*p);
  } else if (const Party* s = d.find_party(PartyRole::kSeller)) {
    r.consignor = party_id(*s);
  }
  if (const Party* p = d.find_party(PartyRole::kCarrier)) r.carrier = party_id(*p);
  return r;
}

std::string_view hs_prefix(const std::string& hs, size_t n) {
  return std::string_view(hs).substr(0, std::min(n, hs.size()));
}

std::optional<double> value_per_kg(const GoodsItem& g) {
  double mass = g.net_mass_kg.value_or(g.gross_mass_kg);
  if (!(mass > 0) || !(g.value.amount >= 0)) return std::nullopt;
  return g.value.amount / mass;
}

// The goods items' target-encoding cells.
struct GoodsKeys {
  uint64_t hs6, hs4, origin, hs6_origin;
};
GoodsKeys goods_keys(const GoodsItem& g) {
  std::string hs6(hs_prefix(g.hs_code, 6));
  return {key("hs6", hs6), key("hs4", hs_prefix(g.hs_code, 4)), key("origin", g.origin_country),
          key("hs6o", hs6 + "|" + g.origin_country)};
}

struct Running {  // Welford
  int64_t n = 0;
  double mean = 0, m2 = 0;
  void add(double x) {
    ++n;
    double delta = x - mean;
    mean += delta / static_cast<double>(n);
    m2 += delta * (x - mean);
  }
  float z(double x) const {
    if (n < kMinValues) return kMissing;
    double sd = std::sqrt(m2 / static_cast<double>(n - 1));
    return static_cast<float>((x - mean) / std::max(sd, 0.05));
  }
};

struct Outcomes {
  int64_t controls = 0, irregular = 0;
};

struct PartyStats {
  int64_t first_day = 0, last_day = 0, declarations = 0;
  double fast = 0, slow = 0;  // exponentially decayed declaration counts as of last_day
  Running log_value;
  Outcomes outcomes;
};

struct PendingOutcome {
  int64_t available_day = 0;
  bool irregular = false;
  Roles roles;
  uint64_t office = 0;
  std::vector<GoodsKeys> goods;
  bool operator>(const PendingOutcome& o) const { return available_day > o.available_day; }
};

double total_value(const Declaration& d) {
  double v = 0;
  for (const auto& g : d.goods) v += std::max(0.0, g.value.amount);
  return v;
}

double total_mass(const Declaration& d) {
  double m = 0;
  for (const auto& g : d.goods) m += std::max(0.0, g.net_mass_kg.value_or(g.gross_mass_kg));
  return m;
}

float log1(double x) { return static_cast<float>(std::log1p(std::max(0.0, x))); }

}  // namespace

const std::array<std::string_view, kFeatureCount>& feature_names() { return kNames; }

struct ScoringHistory::State {
  std::unordered_map<uint64_t, PartyStats> parties;
  std::unordered_map<uint64_t, Outcomes> cells;      // hs6, hs4, origin, hs6|origin, office
  std::unordered_map<uint64_t, Running> values;      // log value per kg by hs6 and hs6|origin
  std::unordered_map<uint64_t, int64_t> counts;      // trader×origin, trader×hs4, pairs
  std::unordered_map<uint64_t, int64_t> pair_first;  // pair → first day
  std::priority_queue<PendingOutcome, std::vector<PendingOutcome>, std::greater<>> pending;
  std::atomic<int64_t> next_available{std::numeric_limits<int64_t>::max()};
  Outcomes global;
  int64_t observed = 0;
  int64_t latest_day = std::numeric_limits<int64_t>::min();

  double prior() const {
    // Before any outcome is known, a neutral 10 %; then the running rate.
    return global.controls > 0
               ? (static_cast<double>(global.irregular) + 1.0) / (static_cast<double>(global.controls) + 10.0)
               : 0.1;
  }
  float rate(const Outcomes& o, double smoothing) const {
    return static_cast<float>((static_cast<double>(o.irregular) + smoothing * prior()) /
                              (static_cast<double>(o.controls) + smoothing));
  }
  void count(const Outcomes& from, Outcomes& into) {
    into.controls += from.controls;
    into.irregular += from.irregular;
  }
};

ScoringHistory::ScoringHistory(HistoryOptions options) : options_(options), state_(std::make_unique<State>()) {}
ScoringHistory::~ScoringHistory() = default;

void ScoringHistory::release_until(int64_t day) {
  if (state_->next_available.load(std::memory_order_acquire) > day) return;
  std::unique_lock lock(mutex_);
  auto& s = *state_;
  Outcomes one;
  while (!s.pending.empty() && s.pending.top().available_day <= day) {
    const PendingOutcome& p = s.pending.top();
    one = {1, p.irregular ? 1 : 0};
    s.count(one, s.global);
    for (uint64_t k : {p.roles.declarant, p.roles.consignee, p.roles.consignor, p.roles.carrier}) {
      if (k != 0) s.count(one, s.parties[k].outcomes);
    }
    if (p.office != 0) s.count(one, s.cells[p.office]);
    for (const auto& g : p.goods) {
      for (uint64_t k : {g.hs6, g.hs4, g.origin, g.hs6_origin}) s.count(one, s.cells[k]);
    }
    s.pending.pop();
  }
  s.next_available.store(s.pending.empty() ? std::numeric_limits<int64_t>::max() : s.pending.top().available_day,
                         std::memory_order_release);
}

FeatureRow ScoringHistory::features(const Declaration& d, const RiskSignals& signals) {
  auto day = day_of(d);
  if (day) release_until(*day);
  std::shared_lock lock(mutex_);
  const State& s = *state_;
  const double smoothing = options_.smoothing;
  FeatureRow f;
  f.fill(kMissing);
  size_t i = 0;
  auto set = [&](float v) { f[i++] = v; };
  const Roles roles = roles_of(d);
  auto party = [&](uint64_t k) -> const PartyStats* {
    if (k == 0) return nullptr;
    auto it = s.parties.find(k);
    return it == s.parties.end() ? nullptr : &it->second;
  };
  const PartyStats* declarant = party(roles.declarant);
  const PartyStats* consignee = party(roles.consignee);
  const PartyStats* consignor = party(roles.consignor);
  const PartyStats* carrier = party(roles.carrier);
  auto seen_days = [&](const PartyStats* p, uint64_t k) -> float {
    if (k == 0 || !day) return kMissing;
    return p == nullptr ? 0.0f : static_cast<float>(std::max<int64_t>(0, *day - p->first_day));
  };
  auto declarations = [&](const PartyStats* p, uint64_t k) -> float {
    if (k == 0) return kMissing;
    return p == nullptr ? 0.0f : log1(static_cast<double>(p->declarations));
  };
  auto target = [&](const PartyStats* p, uint64_t k) -> float {
    if (k == 0) return kMissing;
    return s.rate(p == nullptr ? Outcomes{} : p->outcomes, smoothing);
  };
  auto controls = [&](const PartyStats* p, uint64_t k) -> float {
    if (k == 0) return kMissing;
    return p == nullptr ? 0.0f : log1(static_cast<double>(p->outcomes.controls));
  };
  auto cell = [&](uint64_t k) -> Outcomes {
    auto it = s.cells.find(k);
    return it == s.cells.end() ? Outcomes{} : it->second;
  };
  auto count_of = [&](uint64_t k) -> int64_t {
    auto it = s.counts.find(k);
    return it == s.counts.end() ? 0 : it->second;
  };

  const double value = total_value(d), mass = total_mass(d);
  set(static_cast<float>(static_cast<int>(d.mode)));                                           // mode
  set(static_cast<float>(d.goods.size()));                                                     // goods_count
  set(log1(value));                                                                            // log_value
  set(log1(mass));                                                                             // log_mass
  set(mass > 0 ? static_cast<float>(std::log1p(value / mass)) : kMissing);                     // log_value_per_kg
  float z_hs6 = kMissing, z_hs6_origin = kMissing;                                             // most undervalued item
  float te_hs6 = kMissing, te_hs4 = kMissing, te_origin = kMissing, te_hs6_origin = kMissing;  // riskiest
  float origin_share = kMissing, hs4_share = kMissing;  // least usual for the trader
  bool origin_differs = false;
  const std::string* departure = d.routing.countries.empty() ? nullptr : &d.routing.countries.front();
  auto lower = [](float& into, float v) {
    if (!std::isnan(v) && (std::isnan(into) || v < into)) into = v;
  };
  auto higher = [](float& into, float v) {
    if (!std::isnan(v) && (std::isnan(into) || v > into)) into = v;
  };
  for (const auto& g : d.goods) {
    GoodsKeys k = goods_keys(g);
    if (auto vpk = value_per_kg(g)) {
      double lv = std::log1p(*vpk);
      if (auto it = s.values.find(k.hs6); it != s.values.end()) lower(z_hs6, it->second.z(lv));
      if (auto it = s.values.find(k.hs6_origin); it != s.values.end()) lower(z_hs6_origin, it->second.z(lv));
    }
    higher(te_hs6, s.rate(cell(k.hs6), smoothing));
    higher(te_hs4, s.rate(cell(k.hs4), smoothing));
    higher(te_origin, s.rate(cell(k.origin), smoothing));
    higher(te_hs6_origin, s.rate(cell(k.hs6_origin), smoothing));
    if (roles.consignee != 0) {
      double n = consignee == nullptr ? 0 : static_cast<double>(consignee->declarations);
      lower(origin_share,
            n > 0 ? static_cast<float>(static_cast<double>(count_of(roles.consignee ^ k.origin)) / n) : 0.0f);
      lower(hs4_share, n > 0 ? static_cast<float>(static_cast<double>(count_of(roles.consignee ^ k.hs4)) / n) : 0.0f);
    }
    if (departure != nullptr && g.origin_country != *departure) origin_differs = true;
  }
  set(z_hs6);
  set(z_hs6_origin);
  set(static_cast<float>(d.routing.countries.size()));  // route_countries
  set(departure == nullptr || d.goods.empty() ? kMissing : (origin_differs ? 1.0f : 0.0f));
  set(declarations(declarant, roles.declarant));
  set(seen_days(declarant, roles.declarant));
  set(declarations(consignee, roles.consignee));
  set(seen_days(consignee, roles.consignee));
  float fast = kMissing, change = kMissing, value_z = kMissing;
  if (roles.consignee != 0) {
    fast = 0;
    if (consignee != nullptr && day) {
      double gap = static_cast<double>(std::max<int64_t>(0, *day - consignee->last_day));
      double f_now = consignee->fast * std::exp(-gap / kFastDays);
      double s_now = consignee->slow * std::exp(-gap / kSlowDays);
      fast = static_cast<float>(f_now);
      if (s_now > 0) change = static_cast<float>((f_now / kFastDays) / (s_now / kSlowDays));
    }
    if (consignee != nullptr) value_z = consignee->log_value.z(std::log1p(value));
  }
  set(fast);    // consignee.rate_7d
  set(change);  // consignee.rate_change
  set(origin_share);
  set(hs4_share);
  set(value_z);  // consignee.value_z
  set(declarations(consignor, roles.consignor));
  const bool has_pair = roles.consignor != 0 && roles.consignee != 0;
  const int64_t pair_n = has_pair ? count_of(key("pair", "") ^ roles.consignor ^ (roles.consignee * 31)) : 0;
  set(has_pair ? log1(static_cast<double>(pair_n)) : kMissing);  // pair.declarations
  set(has_pair ? (pair_n == 0 ? 1.0f : 0.0f) : kMissing);        // pair.novel
  const bool has_dc = roles.declarant != 0 && roles.consignee != 0;
  set(has_dc ? log1(static_cast<double>(count_of(key("dc", "") ^ roles.declarant ^ (roles.consignee * 31))))
             : kMissing);
  set(te_hs6);
  set(te_hs4);
  set(te_origin);
  set(te_hs6_origin);
  set(d.office_of_first_entry.empty() ? kMissing : s.rate(cell(key("office", d.office_of_first_entry)), smoothing));
  set(target(declarant, roles.declarant));
  set(target(consignee, roles.consignee));
  set(target(consignor, roles.consignor));
  set(target(carrier, roles.carrier));
  set(controls(declarant, roles.declarant));
  set(controls(consignee, roles.consignee));
  set(controls(consignor, roles.consignor));
  set(static_cast<float>(signals.profile_weight));
  set(static_cast<float>(signals.profiles_fired));
  set(static_cast<float>(signals.requested_channel));
  set(static_cast<float>(signals.screening_hits));
  set(static_cast<float>(signals.max_hit_score));
  return f;
}

void ScoringHistory::observe(const Declaration& d) {
  const int64_t day = day_of(d).value_or(0);
  const Roles roles = roles_of(d);
  const double value = total_value(d);
  std::unique_lock lock(mutex_);
  auto& s = *state_;
  ++s.observed;
  s.latest_day = std::max(s.latest_day, day);
  auto touch = [&](uint64_t k) -> PartyStats* {
    if (k == 0) return nullptr;
    auto [it, inserted] = s.parties.try_emplace(k);
    PartyStats& p = it->second;
    if (inserted) {
      p.first_day = p.last_day = day;
    } else {
      p.first_day = std::min(p.first_day, day);
    }
    double gap = static_cast<double>(std::max<int64_t>(0, day - p.last_day));
    p.fast = p.fast * std::exp(-gap / kFastDays) + 1;
    p.slow = p.slow * std::exp(-gap / kSlowDays) + 1;
    p.last_day = std::max(p.last_day, day);
    ++p.declarations;
    return &p;
  };
  touch(roles.declarant);
  PartyStats* consignee = touch(roles.consignee);
  touch(roles.consignor);
  touch(roles.carrier);
  if (consignee != nullptr) consignee->log_value.add(std::log1p(value));
  if (roles.consignor != 0 && roles.consignee != 0)
    ++s.counts[key("pair", "") ^ roles.consignor ^ (roles.consignee * 31)];
  if (roles.declarant != 0 && roles.consignee != 0)
    ++s.counts[key("dc", "") ^ roles.declarant ^ (roles.consignee * 31)];
  for (const auto& g : d.goods) {
    GoodsKeys k = goods_keys(g);
    if (auto vpk = value_per_kg(g)) {
      double lv = std::log1p(*vpk);
      s.values[k.hs6].add(lv);
      s.values[k.hs6_origin].add(lv);
    }
    if (roles.consignee != 0) {
      ++s.counts[roles.consignee ^ k.origin];
      ++s.counts[roles.consignee ^ k.hs4];
    }
  }
}

void ScoringHistory::observe_outcome(const Declaration& d, bool irregular) {
  PendingOutcome p;
  p.available_day = day_of(d).value_or(0) + options_.label_delay_days;
  p.irregular = irregular;
  p.roles = roles_of(d);
  if (!d.office_of_first_entry.empty()) p.office = key("office", d.office_of_first_entry);
  for (const auto& g : d.goods) p.goods.push_back(goods_keys(g));
  std::unique_lock lock(mutex_);
  state_->pending.push(std::move(p));
  state_->next_available.store(state_->pending.top().available_day, std::memory_order_release);
}

int64_t ScoringHistory::declarations_observed() const {
  std::shared_lock lock(mutex_);
  return state_->observed;
}

int64_t ScoringHistory::outcomes_counted() const {
  std::shared_lock lock(mutex_);
  return state_->global.controls;
}

int64_t ScoringHistory::trader_controls(const Declaration& d) const {
  Roles roles = roles_of(d);
  uint64_t k = roles.consignee != 0 ? roles.consignee : roles.declarant;
  std::shared_lock lock(mutex_);
  auto it = state_->parties.find(k);
  return it == state_->parties.end() ? 0 : it->second.outcomes.controls;
}

}  // namespace cordon::selection
