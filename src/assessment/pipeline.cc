#include "assessment/pipeline.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/fingerprint.h"
#include "core/json_writer.h"
#include "core/time.h"

namespace cordon::assessment {
namespace {

using nlohmann::json;

// Bumped when what goes into a decision changes meaning (score formula, selection scheme).
constexpr std::string_view kEngineVersion = "cordon-risk-2";

// Features shown with a decision: those that pushed the model's score most.
constexpr size_t kExplanationFeatures = 5;
// Exploration candidates besides never-controlled traders: scores the model is unsure of.
constexpr double kUncertainLow = 0.3, kUncertainHigh = 0.7;

// Whether the declaration's assessment was a random control.
bool assessed_random(store::Store& store, int64_t declaration_id) {
  auto a = store.get_assessment(declaration_id);
  if (!a || !*a) return false;
  json reasons = json::parse((*a)->reasons_json, nullptr, false);
  return reasons.is_object() && reasons.value("random", false);
}

selection::Channel to_selection(rules::Channel c) {
  switch (c) {
    case rules::Channel::kGreen: return selection::Channel::kGreen;
    case rules::Channel::kYellow: return selection::Channel::kYellow;
    case rules::Channel::kRed: return selection::Channel::kRed;
  }
  return selection::Channel::kGreen;
}

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// The role of the party a hit's path points at ("parties[1].name" → "consignee").
std::string role_of_path(const Declaration& d, const std::string& path) {
  if (path.rfind("declarant", 0) == 0) return std::string(to_string(PartyRole::kDeclarant));
  if (path.rfind("parties[", 0) != 0) return {};
  size_t end = path.find(']');
  if (end == std::string::npos) return {};
  size_t index = 0;
  for (size_t i = 8; i < end; ++i) {
    if (path[i] < '0' || path[i] > '9') return {};
    index = index * 10 + static_cast<size_t>(path[i] - '0');
  }
  if (index >= d.parties.size()) return {};
  return std::string(to_string(d.parties[index].role));
}

}  // namespace

Pipeline::Pipeline(store::Store& store, store::RiskStore& risk, PipelineSettings settings)
    : store_(store),
      risk_(risk),
      settings_(std::move(settings)),
      selector_(settings_.capacity),
      history_(settings_.history),
      rules_(std::make_shared<rules::RuleSet>()) {}

Pipeline::ActiveModel Pipeline::model() const {
  std::lock_guard lock(model_mutex_);
  return model_;
}

store::Result<void> Pipeline::reload_model() {
  auto active = risk_.active_model();
  if (!active) return std::unexpected(active.error());
  ActiveModel next;
  if (*active) {
    if ((*active)->feature_schema != selection::kFeatureSchema) {
      return std::unexpected(store::StoreError{
          store::StoreError::Code::kInternal,
          fmt::format("the active model (version {}) was trained on features {}; this cordon computes {}: activate a "
                      "model trained by this version",
                      (*active)->version, (*active)->feature_schema, selection::kFeatureSchema)});
    }
    auto loaded = selection::ScoringModel::load((*active)->model_json);
    if (!loaded) {
      return std::unexpected(store::StoreError{store::StoreError::Code::kInternal,
                                               fmt::format("model version {}: {}", (*active)->version, loaded.error())});
    }
    next = {std::move(*loaded), (*active)->version};
  }
  std::lock_guard lock(model_mutex_);
  model_ = std::move(next);
  return {};
}

std::shared_ptr<const rules::RuleSet> Pipeline::rule_set() const {
  std::lock_guard lock(rules_mutex_);
  return rules_;
}

store::Result<void> Pipeline::reload_profiles() {
  auto active = risk_.active_profiles();
  if (!active) return std::unexpected(active.error());
  std::vector<rules::CompiledProfile> compiled;
  std::string version;
  for (const auto& p : *active) {
    auto c = compile_stored_profile(p);
    // A stored active profile was checked when proposed; one that no longer compiles (a newer
    // Cordon changed the language) is left out rather than stopping every assessment.
    if (!c) continue;
    compiled.push_back(std::move(*c));
    version += fmt::format("{}@{},", p.id, p.version);
  }
  auto set = rules::RuleSet::build(std::move(compiled));
  if (!set) return std::unexpected(store::StoreError{store::StoreError::Code::kInternal, set.error()});
  auto shared = std::make_shared<const rules::RuleSet>(std::move(*set));
  std::lock_guard lock(rules_mutex_);
  rules_ = std::move(shared);
  rules_version_ = fmt::format("{:016x}", fingerprint(version));
  return {};
}

store::Result<void> Pipeline::load() {
  if (auto ok = reload_profiles(); !ok) return ok;
  if (auto ok = reload_model(); !ok) return ok;
  auto controls = risk_.list_control_results();
  if (!controls) return std::unexpected(controls.error());
  std::unordered_map<int64_t, bool> irregular;
  for (const auto& c : *controls) irregular[c.declaration_id] = c.irregularity;
  return store_.for_each_declaration_since("", [&](const Declaration& d) {
    features_.observe(d);
    history_.observe(d);
    if (auto it = irregular.find(d.id); it != irregular.end()) {
      features_.observe_control(d, it->second);
      history_.observe_outcome(d, it->second);
    }
    return true;
  });
}

std::vector<rules::ScreeningHit> Pipeline::to_rule_hits(const std::vector<store::StoredHit>& stored) {
  std::vector<rules::ScreeningHit> hits;
  hits.reserve(stored.size());
  for (const auto& h : stored) hits.push_back({h.list, h.entity_id, {}, h.score, h.path, {}});
  return hits;
}

store::Result<std::vector<rules::ScreeningHit>> Pipeline::hits_of(int64_t declaration_id) {
  auto stored = store_.list_hits(declaration_id);
  if (!stored) return std::unexpected(stored.error());
  return to_rule_hits(*stored);
}

store::Result<std::vector<DecisionSummary>> Pipeline::assess(
    std::span<const Declaration> declarations, std::span<const std::optional<std::vector<store::StoredHit>>> known_hits,
    store::Store::Durability durability) {
  std::shared_ptr<const rules::RuleSet> rules;
  std::string rules_version;
  {
    std::lock_guard lock(rules_mutex_);
    rules = rules_;
    rules_version = rules_version_;
  }
  const ActiveModel active = model();
  auto generation = store_.screening_generation();
  int64_t screening_generation = generation ? *generation : -1;
  std::vector<DecisionSummary> out;
  std::vector<store::DecisionEntry> entries;
  std::vector<store::Assessment> assessments;
  out.reserve(declarations.size());
  entries.reserve(declarations.size());
  rules::RuleSetResult result;
  for (std::size_t i = 0; i < declarations.size(); ++i) {
    const Declaration& d = declarations[i];
    rules::Facts facts(d);
    if (i < known_hits.size() && known_hits[i]) {
      facts.hits = to_rule_hits(*known_hits[i]);
    } else {
      auto hits = hits_of(d.id);
      if (!hits) return std::unexpected(hits.error());
      facts.hits = std::move(*hits);
    }
    for (auto& h : facts.hits) h.role = role_of_path(d, h.field);
    const bool explore = active.model != nullptr && history_.trader_controls(d) == 0;
    selection::FeatureRow row =
        assess_features(d, facts, *rules, features_, history_, result, true, active.model != nullptr);

    double score = result.total_weight;
    for (const auto& h : facts.hits) score += h.score;
    auto day = lodged_day(d).value_or(now_seconds() / 86400);
    selection::Candidate candidate{d.id, d.office_of_first_entry, day, score, to_selection(result.channel)};
    std::optional<selection::Scored> scored;
    if (active.model != nullptr) {
      scored = active.model->score(row);
      candidate.scored = true;
      candidate.probability = scored->probability;
      candidate.score = selection::expected_yield(scored->probability, d);
      candidate.screening_hit = !facts.hits.empty();
      candidate.explore = explore || (scored->probability > kUncertainLow && scored->probability < kUncertainHigh);
    }
    selection::Assignment a = selector_.assign(candidate);

    DecisionSummary summary;
    summary.declaration_id = d.id;
    summary.channel = std::string(selection::to_string(a.channel));
    summary.score = score;
    summary.random = a.random;
    if (candidate.scored) summary.probability = candidate.probability;
    for (const auto& f : result.fired) summary.profiles.push_back(fmt::format("{}@{}", f.id, f.version));

    // The decision-log entry, written straight to text: building it as an nlohmann tree and
    // dumping it was a fifth of the intake's instructions.
    std::string body_text;
    body_text.reserve(1024);
    JsonWriter w(body_text);
    w.open_object();
    w.integer_field("declaration_id", d.id);
    w.string_field("reference", d.reference);
    w.string_field("office", d.office_of_first_entry);
    w.string_field("channel", selection::to_string(a.channel));
    w.string_field("requested_channel", rules::to_string(result.channel));
    w.boolean_field("random", a.random);
    w.boolean_field("explored", a.explored);
    w.boolean_field("released", a.released);
    w.boolean_field("capacity_limited", a.capacity_limited);
    w.number_field("score", score);
    w.key("profiles");
    w.open_array();
    for (const auto& f : result.fired) {
      w.open_object();
      w.string_field("id", f.id);
      w.integer_field("version", f.version);
      w.number_field("weight", f.weight);
      w.string_field("channel", rules::to_string(f.channel));
      w.string_field("risk_area", rules::to_string(f.risk_area));
      w.key("explanation");
      w.open_array();
      for (const auto& part : f.explanation) {
        w.open_object();
        w.string_field("text", part.text);
        w.boolean_field("value", part.value);
        w.string_field("detail", part.detail);
        w.close_object();
      }
      w.close_array();
      w.close_object();
    }
    w.close_array();
    w.key("hits");
    w.open_array();
    for (const auto& h : facts.hits) {
      w.open_object();
      w.string_field("list", h.list);
      w.string_field("entry", h.entry);
      w.number_field("score", h.score);
      w.string_field("field", h.field);
      w.close_object();
    }
    w.close_array();
    const auto& consignee = facts.party(PartyRole::kConsignee);
    w.key("features");
    w.open_object();
    auto feature = [&](std::string_view name, const std::optional<double>& value) {
      if (value) w.number_field(name, *value);
    };
    feature("consignee.first_seen_days", consignee.first_seen_days);
    feature("consignee.declarations_seen", consignee.declarations_seen);
    feature("consignee.control_hit_rate", consignee.control_hit_rate);
    if (facts.pair.novel) w.boolean_field("pair.novel", *facts.pair.novel);
    for (size_t i = 0; i < facts.goods.size(); ++i) {
      feature(fmt::format("goods[{}].value_per_kg_ratio", i), facts.goods[i].value_per_kg_ratio);
    }
    w.close_object();
    w.key("model");
    if (scored) {
      w.open_object();
      w.integer_field("version", active.version);
      w.number_field("probability", scored->probability);
      w.number_field("expected_yield", candidate.score);
      w.number_field("bias", scored->bias);
      w.key("explanation");
      w.open_array();
      for (const auto& c : scored->top(row, kExplanationFeatures)) {
        w.open_object();
        w.string_field("feature", c.feature);
        w.number_field("value", c.value);  // NaN (a missing feature) is written as null
        w.number_field("contribution", c.contribution);
        w.close_object();
      }
      w.close_array();
      w.close_object();
    } else {
      w.null();
    }
    w.key("capacity");
    w.open_object();
    w.string_field("day", format_date(day));
    w.integer_field("capacity", a.capacity.capacity);
    w.integer_field("used_risk", a.capacity.used_risk);
    w.integer_field("used_random", a.capacity.used_random);
    w.integer_field("used_explore", a.capacity.used_explore);
    w.number_field("threshold", a.capacity.threshold);
    w.close_object();
    w.string_field("reason", a.reason);
    w.key("versions");
    w.open_object();
    w.string_field("engine", kEngineVersion);
    w.string_field("rule_set", rules_version);
    w.integer_field("model", active.version);
    w.integer_field("profiles_active", static_cast<int64_t>(rules->size()));
    w.integer_field("screening_generation", screening_generation);
    w.close_object();
    w.close_object();
    entries.push_back({0, d.id, "assessment", {}, body_text, {}, {}});
    assessments.push_back({d.id, summary.channel, score, std::move(body_text), {}});
    out.push_back(std::move(summary));
  }
  if (auto ok = risk_.record_assessments(entries, assessments, durability); !ok) return std::unexpected(ok.error());
  return out;
}

store::Result<int64_t> Pipeline::record_control(const store::ControlResult& result) {
  std::vector<store::ControlResult> one{result};
  if (auto ok = record_controls(one); !ok) return std::unexpected(ok.error());
  return one.front().id;
}

store::Result<void> Pipeline::record_controls(std::vector<store::ControlResult>& results) {
  std::vector<Declaration> declarations;
  declarations.reserve(results.size());
  for (auto& r : results) {
    auto declaration = store_.get_declaration(r.declaration_id);
    if (!declaration) return std::unexpected(declaration.error());
    declarations.push_back(std::move(declaration->declaration));
    if (!r.random) r.random = assessed_random(store_, r.declaration_id);
  }
  if (auto ok = risk_.add_control_results(results); !ok) return ok;
  std::vector<store::DecisionEntry> entries;
  entries.reserve(results.size());
  for (const auto& r : results) {
    json body = {{"declaration_id", r.declaration_id},
                 {"irregularity", r.irregularity},
                 {"category", r.category},
                 {"seizure_reference", r.seizure_reference},
                 {"note", r.note},
                 {"recorded_by", r.recorded_by},
                 {"random", r.random},
                 {"control_result_id", r.id}};
    entries.push_back({0, r.declaration_id, "control_result", {}, dump(body), {}, {}});
  }
  if (auto ok = risk_.append_decisions(entries); !ok) return std::unexpected(ok.error());
  for (size_t i = 0; i < results.size(); ++i) {
    features_.observe_control(declarations[i], results[i].irregularity);
    history_.observe_outcome(declarations[i], results[i].irregularity);
  }
  return {};
}

store::Result<store::DecisionEntry> Pipeline::record_override(int64_t declaration_id,
                                                              const selection::Override& request) {
  if (auto problem = selection::check_override(request); !problem.empty()) {
    return std::unexpected(store::StoreError{store::StoreError::Code::kInvalidArgument, problem});
  }
  auto assessment = store_.get_assessment(declaration_id);
  if (!assessment) return std::unexpected(assessment.error());
  if (!*assessment) {
    return std::unexpected(store::StoreError{store::StoreError::Code::kNotFound,
                                             fmt::format("declaration {} has no assessment to override", declaration_id)});
  }
  store::Assessment changed = **assessment;
  json body = {{"declaration_id", declaration_id},
               {"from", changed.channel},
               {"to", selection::to_string(request.channel)},
               {"reason", request.reason},
               {"officer", request.officer}};
  std::vector<store::DecisionEntry> entries{{0, declaration_id, "override", {}, dump(body), {}, {}}};
  if (auto ok = risk_.append_decisions(entries); !ok) return std::unexpected(ok.error());
  json reasons = json::parse(changed.reasons_json, nullptr, false);
  if (reasons.is_discarded() || !reasons.is_object()) reasons = json::object();
  reasons["override"] = body;
  changed.channel = std::string(selection::to_string(request.channel));
  changed.reasons_json = dump(reasons);
  changed.assessed_at = entries.front().at;
  if (auto ok = store_.put_assessment(changed); !ok) return std::unexpected(ok.error());
  return entries.front();
}

store::Result<BacktestReport> Pipeline::backtest(const rules::CompiledProfile& profile, const std::string& from,
                                                 const std::string& to) {
  auto controls = risk_.list_control_results();
  if (!controls) return std::unexpected(controls.error());
  std::unordered_map<int64_t, bool> irregular;
  for (const auto& c : *controls) irregular[c.declaration_id] = c.irregularity;
  BacktestReport report;
  report.from = from;
  report.to = to;
  // A replay with its own aggregates: each declaration sees only what was stored before it, as
  // it would have live. Control results count from the start, an accepted approximation: their
  // recording time is not the declaration's.
  FeatureIndex replay;
  store::StoreError failure;
  bool failed = false;
  auto visited = store_.for_each_declaration_since("", [&](const Declaration& d) {
    bool in_period = d.lodged_at >= from && (to.empty() || d.lodged_at < to);
    if (in_period) {
      ++report.declarations;
      rules::Facts facts(d);
      replay.fill(d, facts);
      auto hits = hits_of(d.id);
      if (!hits) {
        failure = hits.error();
        failed = true;
        return false;
      }
      facts.hits = std::move(*hits);
      for (auto& h : facts.hits) h.role = role_of_path(d, h.field);
      if (profile.matches(facts)) {
        ++report.selected;
        if (report.sample.size() < 20) report.sample.push_back(d.id);
        if (auto it = irregular.find(d.id); it != irregular.end()) {
          ++report.controlled;
          if (it->second) ++report.irregular;
        }
      }
    }
    replay.observe(d);
    if (auto it = irregular.find(d.id); it != irregular.end()) replay.observe_control(d, it->second);
    return true;
  });
  if (failed) return std::unexpected(failure);
  if (!visited) return std::unexpected(visited.error());
  report.hit_rate = report.controlled > 0 ? static_cast<double>(report.irregular) / static_cast<double>(report.controlled) : 0;
  return report;
}

store::Result<ProfilePerformance> Pipeline::performance(const std::string& profile_id) {
  // The latest assessment of each declaration says whether the profile fired on it.
  std::map<int64_t, bool> fired_red;  // declaration → sent to red
  int64_t after = 0;
  while (true) {
    auto page = risk_.list_decisions(after, 10000);
    if (!page) return std::unexpected(page.error());
    if (page->empty()) break;
    for (const auto& e : *page) {
      after = e.seq;
      if (e.kind != "assessment") continue;
      json body = json::parse(e.body_json, nullptr, false);
      bool fired = false;
      if (body.is_object() && body.contains("profiles")) {
        for (const auto& p : body["profiles"]) {
          if (p.value("id", "") == profile_id) fired = true;
        }
      }
      if (fired) {
        fired_red[e.declaration_id] = body.value("channel", "") == "red";
      } else {
        fired_red.erase(e.declaration_id);
      }
    }
  }
  auto controls = risk_.list_control_results();
  if (!controls) return std::unexpected(controls.error());
  ProfilePerformance p;
  p.profile_id = profile_id;
  p.selections = static_cast<int64_t>(fired_red.size());
  for (const auto& [id, red] : fired_red) p.red += red ? 1 : 0;
  for (const auto& c : *controls) {
    if (!fired_red.contains(c.declaration_id)) continue;
    ++p.controlled;
    if (c.irregularity) ++p.irregular;
    if (!c.seizure_reference.empty()) ++p.seizures;
  }
  p.hit_rate = p.controlled > 0 ? static_cast<double>(p.irregular) / static_cast<double>(p.controlled) : 0;
  p.yield = p.selections > 0 ? static_cast<double>(p.irregular) / static_cast<double>(p.selections) : 0;
  return p;
}

}  // namespace cordon::assessment
