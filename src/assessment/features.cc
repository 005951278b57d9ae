#include "assessment/features.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <limits>
#include <mutex>

#include "core/time.h"

namespace cordon::assessment {
namespace {

std::string value_key(const GoodsItem& g) {
  std::string key = g.hs_code.substr(0, std::min<size_t>(6, g.hs_code.size()));
  key += '|';
  key += g.origin_country;
  return key;
}

std::string pair_key(const Declaration& d) {
  const Party* consignor = d.find_party(PartyRole::kConsignor);
  const Party* consignee = d.find_party(PartyRole::kConsignee);
  if (consignor == nullptr || consignee == nullptr) return {};
  return party_key(*consignor) + "\x1f" + party_key(*consignee);
}

// The declarant and every party, each role once (the first party with the role, as Facts has).
template <typename F>
void for_each_role(const Declaration& d, F&& f) {
  std::array<bool, rules::kPartyRoleCount> seen{};
  auto visit = [&](const Party& p) {
    auto r = static_cast<size_t>(p.role);
    if (r >= seen.size() || seen[r]) return;
    seen[r] = true;
    f(p, r);
  };
  for (const auto& p : d.parties) visit(p);
  Party declarant = d.declarant;
  declarant.role = PartyRole::kDeclarant;
  visit(declarant);
}

}  // namespace

std::optional<int64_t> lodged_day(const Declaration& d) {
  auto seconds = parse_timestamp(d.lodged_at);
  if (!seconds) return std::nullopt;
  int64_t s = *seconds;
  return s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
}

std::string party_key(const Party& p) {
  if (!p.eori.empty()) return "eori:" + p.eori;
  std::string key = "name:";
  for (char c : p.name) key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  key += '|';
  key += p.address.country;
  return key;
}

void FeatureIndex::fill(const Declaration& d, rules::Facts& facts) const {
  auto day = lodged_day(d);
  std::shared_lock lock(mutex_);
  for_each_role(d, [&](const Party& p, size_t role) {
    rules::PartyFeatures& f = facts.parties[role];
    auto it = parties_.find(party_key(p));
    if (it == parties_.end()) {
      f.declarations_seen = 0;
      f.controls = 0;
      if (day) f.first_seen_days = 0;  // first seen now
      return;
    }
    const PartyAggregate& a = it->second;
    f.declarations_seen = static_cast<double>(a.declarations);
    f.controls = static_cast<double>(a.controls);
    if (a.controls > 0) f.control_hit_rate = static_cast<double>(a.irregular) / static_cast<double>(a.controls);
    if (day) f.first_seen_days = static_cast<double>(std::max<int64_t>(0, *day - a.first_day));
  });
  if (std::string key = pair_key(d); !key.empty()) {
    auto it = pairs_.find(key);
    facts.pair.novel = it == pairs_.end();
    facts.pair.declarations_seen = it == pairs_.end() ? 0.0 : static_cast<double>(it->second.declarations);
    if (day) {
      facts.pair.first_seen_days =
          it == pairs_.end() ? 0.0 : static_cast<double>(std::max<int64_t>(0, *day - it->second.first_day));
    }
  }
  facts.goods.assign(d.goods.size(), {});
  for (size_t i = 0; i < d.goods.size(); ++i) {
    auto vpk = rules::value_per_kg(d.goods[i]);
    if (!vpk) continue;
    auto it = values_.find(value_key(d.goods[i]));
    // Fewer than 5 earlier values make a median too noisy to flag anyone on.
    if (it == values_.end() || it->second.size() < 5) continue;
    const double median = it->second.median();
    if (median > 0) facts.goods[i].value_per_kg_ratio = *vpk / median;
  }
}

void FeatureIndex::observe(const Declaration& d) {
  int64_t day = lodged_day(d).value_or(0);
  std::unique_lock lock(mutex_);
  for_each_role(d, [&](const Party& p, size_t) {
    auto [it, inserted] = parties_.try_emplace(party_key(p));
    if (inserted || day < it->second.first_day) it->second.first_day = day;
    ++it->second.declarations;
  });
  if (std::string key = pair_key(d); !key.empty()) {
    auto [it, inserted] = pairs_.try_emplace(key);
    if (inserted || day < it->second.first_day) it->second.first_day = day;
    ++it->second.declarations;
  }
  for (const auto& g : d.goods) {
    auto vpk = rules::value_per_kg(g);
    if (!vpk) continue;
    values_[value_key(g)].add(*vpk);
  }
}

void RunningMedian::add(double value) {
  if (lower_.empty() || value <= lower_.front()) {
    lower_.push_back(value);
    std::push_heap(lower_.begin(), lower_.end());
  } else {
    upper_.push_back(value);
    std::push_heap(upper_.begin(), upper_.end(), std::greater<>());
  }
  // Rebalance so that lower_ has as many values as upper_, or one more.
  if (lower_.size() > upper_.size() + 1) {
    std::pop_heap(lower_.begin(), lower_.end());
    upper_.push_back(lower_.back());
    lower_.pop_back();
    std::push_heap(upper_.begin(), upper_.end(), std::greater<>());
  } else if (upper_.size() > lower_.size()) {
    std::pop_heap(upper_.begin(), upper_.end(), std::greater<>());
    lower_.push_back(upper_.back());
    upper_.pop_back();
    std::push_heap(lower_.begin(), lower_.end());
  }
}

double RunningMedian::median() const {
  // Sorted, the values would be lower_ (ascending) then upper_: the middle one, or the mean of
  // the middle two — the same arithmetic as on the sorted vector, so the same result.
  return size() % 2 == 1 ? lower_.front() : (lower_.front() + upper_.front()) / 2;
}

void FeatureIndex::observe_control(const Declaration& d, bool irregularity) {
  std::unique_lock lock(mutex_);
  for_each_role(d, [&](const Party& p, size_t) {
    auto& a = parties_[party_key(p)];
    ++a.controls;
    if (irregularity) ++a.irregular;
  });
}

selection::RiskSignals risk_signals(const rules::RuleSetResult& result, const std::vector<rules::ScreeningHit>& hits) {
  selection::RiskSignals s;
  s.profile_weight = result.total_weight;
  s.profiles_fired = static_cast<int>(result.fired.size());
  s.requested_channel = static_cast<int>(result.channel);
  s.screening_hits = static_cast<int>(hits.size());
  for (const auto& h : hits) s.max_hit_score = std::max(s.max_hit_score, h.score);
  return s;
}

selection::FeatureRow assess_features(const Declaration& d, rules::Facts& facts, const rules::RuleSet& rules,
                                      FeatureIndex& index, selection::ScoringHistory& history,
                                      rules::RuleSetResult& result, bool explain, bool score_features) {
  index.fill(d, facts);
  rules.evaluate(facts, result, {.explain = explain});
  selection::FeatureRow row;
  if (score_features) {
    row = history.features(d, risk_signals(result, facts.hits));
  } else {
    row.fill(std::numeric_limits<float>::quiet_NaN());
  }
  index.observe(d);
  history.observe(d);
  return row;
}

size_t FeatureIndex::party_count() const {
  std::shared_lock lock(mutex_);
  return parties_.size();
}

size_t FeatureIndex::pair_count() const {
  std::shared_lock lock(mutex_);
  return pairs_.size();
}

}  // namespace cordon::assessment
