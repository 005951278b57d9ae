#include "assessment/model_service.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <unordered_map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "assessment/features.h"
#include "core/time.h"

namespace cordon::assessment {
namespace {

using nlohmann::json;

constexpr double kShares[] = {0.01, 0.02, 0.05, 0.10};

ModelError from_store(const store::StoreError& e) {
  switch (e.code) {
    case store::StoreError::Code::kNotFound:
      return {ModelErrorKind::kNotFound, e.message};
    case store::StoreError::Code::kConflict:
      return {ModelErrorKind::kConflict, e.message};
    case store::StoreError::Code::kInvalidArgument:
      return {ModelErrorKind::kInvalid, e.message};
    default:
      return {ModelErrorKind::kStore, e.message};
  }
}

json metrics_json(const SplitMetrics& m) {
  json at = json::array();
  for (const auto& p : m.at) {
    at.push_back({{"share", p.share},
                  {"inspected", p.inspected},
                  {"found", p.found},
                  {"precision", p.precision},
                  {"recall", p.recall}});
  }
  return {{"rows", m.rows}, {"irregular", m.irregular}, {"auc", m.auc}, {"at", at}};
}

// The role of the party a hit's path points at, as the pipeline sets it.
std::string role_of(const Declaration& d, const std::string& path) {
  if (path.rfind("declarant", 0) == 0) return std::string(to_string(PartyRole::kDeclarant));
  if (path.rfind("parties[", 0) != 0) return {};
  size_t index = 0, i = 8;
  for (; i < path.size() && path[i] >= '0' && path[i] <= '9'; ++i)
    index = index * 10 + static_cast<size_t>(path[i] - '0');
  if (i >= path.size() || path[i] != ']' || index >= d.parties.size()) return {};
  return std::string(to_string(d.parties[index].role));
}

// Monday of the ISO week of a day (days since 1970-01-01, a Thursday).
int64_t week_start(int64_t day) {
  int64_t weekday = ((day + 3) % 7 + 7) % 7;  // 0 = Monday
  return day - weekday;
}

}  // namespace

SplitMetrics split_metrics(std::span<const float> probability, std::span<const float> label) {
  SplitMetrics m;
  m.rows = static_cast<int64_t>(label.size());
  for (float l : label) m.irregular += l > 0.5f ? 1 : 0;
  if (label.empty()) return m;
  m.auc = selection::roc_auc(probability, label);
  m.at = selection::rank_metrics(probability, label, kShares);
  return m;
}

ModelService::ModelService(store::Store& store, store::RiskStore& risk, Pipeline* pipeline)
    : store_(store), risk_(risk), pipeline_(pipeline) {}

ModelResult<int64_t> ModelService::replay(const selection::HistoryOptions& history_options,
                                          const std::function<bool(const ReplayRow&)>& visit) {
  auto controls = risk_.list_control_results();
  if (!controls) return std::unexpected(from_store(controls.error()));
  std::unordered_map<int64_t, const store::ControlResult*> control_of;
  for (const auto& c : *controls) control_of[c.declaration_id] = &c;
  std::shared_ptr<const rules::RuleSet> rules =
      pipeline_ != nullptr ? pipeline_->rule_set() : std::make_shared<const rules::RuleSet>();

  // Lodged order: stored order is arrival order, which a batch import or a late declaration
  // can make differ from the declarations' own times.
  std::vector<Declaration> declarations;
  if (auto ok = store_.for_each_declaration_since("",
                                                  [&](const Declaration& d) {
                                                    declarations.push_back(d);
                                                    return true;
                                                  });
      !ok) {
    return std::unexpected(from_store(ok.error()));
  }
  std::stable_sort(declarations.begin(), declarations.end(),
                   [](const Declaration& a, const Declaration& b) { return a.lodged_at < b.lodged_at; });

  FeatureIndex index;
  selection::ScoringHistory history(history_options);
  rules::RuleSetResult result;
  int64_t replayed = 0;
  for (const Declaration& d : declarations) {
    rules::Facts facts(d);
    auto hits = store_.list_hits(d.id);
    if (!hits) return std::unexpected(from_store(hits.error()));
    for (auto& h : *hits) facts.hits.push_back({h.list, h.entity_id, {}, h.score, h.path, role_of(d, h.path)});
    selection::FeatureRow row = assess_features(d, facts, *rules, index, history, result, false);
    double score = result.total_weight;
    for (const auto& h : facts.hits) score += h.score;
    auto control = control_of.find(d.id);
    ReplayRow r{&d, &row, &result, score, control == control_of.end() ? nullptr : control->second};
    ++replayed;
    if (!visit(r)) break;
    if (r.control != nullptr) {
      index.observe_control(d, r.control->irregularity);
      history.observe_outcome(d, r.control->irregularity);
    }
  }
  return replayed;
}

ModelResult<TrainReport> ModelService::train(const TrainOptions& o) {
  if (!(o.test_share >= 0 && o.test_share <= 0.9)) {
    return std::unexpected(ModelError{ModelErrorKind::kInvalid, "test_share: must be between 0 and 0.9"});
  }
  if (!o.from.empty() && !o.to.empty() && o.to <= o.from) {
    return std::unexpected(ModelError{ModelErrorKind::kInvalid, "to: the period must end after it starts"});
  }
  if (o.params.max_depth < 1 || o.params.max_depth > 12 || o.params.rounds < 1 || o.params.rounds > 5000 ||
      !(o.params.eta > 0 && o.params.eta <= 1)) {
    return std::unexpected(
        ModelError{ModelErrorKind::kInvalid, "params: max_depth 1..12, rounds 1..5000 and eta in (0, 1] are accepted"});
  }
  auto started = std::chrono::steady_clock::now();
  const selection::HistoryOptions history_options =
      pipeline_ != nullptr ? pipeline_->settings().history : selection::HistoryOptions{};
  struct Row {
    selection::FeatureRow x;
    bool irregular;
    bool random;
    std::string lodged_at;
    size_t record;  // index into selection records
  };
  std::vector<Row> rows;
  std::vector<selection::SelectionRecord> records;
  TrainReport report;
  auto replayed = replay(history_options, [&](const ReplayRow& r) {
    const std::string& at = r.declaration->lodged_at;
    if ((!o.from.empty() && at < o.from) || (!o.to.empty() && at >= o.to)) return true;
    ++report.declarations;
    // Strata for the propensity of being controlled: what the profiles asked for, and whether
    // the watch lists hit.
    int stratum = static_cast<int>(r.rules->channel) * 2 + ((*r.row)[37] > 0 ? 1 : 0);
    records.push_back({stratum, r.control != nullptr, r.control != nullptr && r.control->random});
    if (r.control != nullptr) {
      rows.push_back({*r.row, r.control->irregularity, r.control->random, at, records.size() - 1});
    }
    return true;
  });
  if (!replayed) return std::unexpected(replayed.error());
  report.controlled = static_cast<int64_t>(rows.size());
  if (rows.size() < 20) {
    return std::unexpected(ModelError{
        ModelErrorKind::kInvalid,
        fmt::format("the period has {} declarations with a control result; training needs at least 20", rows.size())});
  }
  std::vector<float> weights = o.correct_selection_bias ? selection::inverse_propensity_weights(records)
                                                        : std::vector<float>(records.size(), 1.0f);
  // Time-ordered split: the replay is in lodged order, so the latest rows are the test rows.
  size_t test_rows = static_cast<size_t>(std::llround(o.test_share * static_cast<double>(rows.size())));
  size_t train_rows = rows.size() - test_rows;
  selection::TrainingSet train;
  int64_t train_positive = 0;
  for (size_t i = 0; i < train_rows; ++i) {
    train.add(rows[i].x, rows[i].irregular, weights[rows[i].record]);
    train_positive += rows[i].irregular ? 1 : 0;
  }
  if (train_positive == 0 || train_positive == static_cast<int64_t>(train_rows)) {
    return std::unexpected(ModelError{ModelErrorKind::kInvalid,
                                      "the training rows have only one outcome: a model needs irregular and regular "
                                      "control results"});
  }
  auto model = selection::ScoringModel::train(train, o.params);
  if (!model) return std::unexpected(ModelError{ModelErrorKind::kStore, model.error()});
  report.train_rows = static_cast<int64_t>(train_rows);
  report.test_rows = static_cast<int64_t>(test_rows);
  if (test_rows > 0) {
    report.split_at = rows[train_rows].lodged_at;
    std::vector<float> x, label, random_p, random_label;
    for (size_t i = train_rows; i < rows.size(); ++i) {
      x.insert(x.end(), rows[i].x.begin(), rows[i].x.end());
      label.push_back(rows[i].irregular ? 1.0f : 0.0f);
    }
    auto p = (*model)->predict(x);
    if (!p) return std::unexpected(ModelError{ModelErrorKind::kStore, p.error()});
    for (size_t i = train_rows; i < rows.size(); ++i) {
      if (!rows[i].random) continue;
      random_p.push_back((*p)[i - train_rows]);
      random_label.push_back(label[i - train_rows]);
    }
    report.test = split_metrics(*p, label);
    report.test_random = split_metrics(random_p, random_label);
  }
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  json metrics = {{"declarations", report.declarations},
                  {"controlled", report.controlled},
                  {"train_rows", report.train_rows},
                  {"test_rows", report.test_rows},
                  {"split_at", report.split_at},
                  {"test", metrics_json(report.test)},
                  {"test_random_controls", metrics_json(report.test_random)},
                  {"selection_bias", o.correct_selection_bias ? "inverse_propensity_weights" : "none"},
                  {"seconds", report.seconds}};
  report.metrics_json = metrics.dump();
  const auto& p = o.params;
  json params = {{"max_depth", p.max_depth},
                 {"eta", p.eta},
                 {"rounds", p.rounds},
                 {"subsample", p.subsample},
                 {"colsample", p.colsample},
                 {"min_child_weight", p.min_child_weight},
                 {"lambda", p.lambda},
                 {"seed", p.seed},
                 {"test_share", o.test_share},
                 {"smoothing", history_options.smoothing},
                 {"label_delay_days", history_options.label_delay_days}};
  auto text = (*model)->save();
  if (!text) return std::unexpected(ModelError{ModelErrorKind::kStore, text.error()});
  store::StoredModel stored;
  stored.feature_schema = std::string(selection::kFeatureSchema);
  stored.params_json = params.dump();
  stored.metrics_json = report.metrics_json;
  stored.model_json = std::move(*text);
  stored.trained_from = o.from;
  stored.trained_to = o.to;
  stored.created_by = o.actor;
  auto version = risk_.add_model(stored);
  if (!version) return std::unexpected(from_store(version.error()));
  report.version = *version;
  (void)store_.append_audit({0,
                             {},
                             o.actor.empty() ? "system" : o.actor,
                             "models.train",
                             fmt::format("model:{}", *version),
                             report.metrics_json});
  return report;
}

ModelResult<store::ModelEvent> ModelService::activate(int64_t version, const std::string& actor) {
  auto m = risk_.get_model(version);
  if (!m) return std::unexpected(from_store(m.error()));
  if (m->feature_schema != selection::kFeatureSchema) {
    return std::unexpected(ModelError{
        ModelErrorKind::kConflict, fmt::format("model version {} was trained on features {}; this cordon computes {}",
                                               version, m->feature_schema, selection::kFeatureSchema)});
  }
  if (auto loaded = selection::ScoringModel::load(m->model_json); !loaded) {
    return std::unexpected(
        ModelError{ModelErrorKind::kConflict, fmt::format("model version {}: {}", version, loaded.error())});
  }
  auto event = risk_.activate_model(version, actor, "activate");
  if (!event) return std::unexpected(from_store(event.error()));
  (void)store_.append_audit(
      {0, {}, actor, "models.activate", fmt::format("model:{}", version), json{{"previous", event->previous}}.dump()});
  if (pipeline_ != nullptr) {
    if (auto ok = pipeline_->reload_model(); !ok) return std::unexpected(from_store(ok.error()));
  }
  return *event;
}

ModelResult<store::ModelEvent> ModelService::rollback(const std::string& actor) {
  auto events = risk_.model_events();
  if (!events) return std::unexpected(from_store(events.error()));
  if (events->empty() || events->back().previous == 0) {
    return std::unexpected(ModelError{ModelErrorKind::kConflict, "no earlier active model to roll back to"});
  }
  int64_t target = events->back().previous;
  auto event = risk_.activate_model(target, actor, "rollback");
  if (!event) return std::unexpected(from_store(event.error()));
  (void)store_.append_audit(
      {0, {}, actor, "models.rollback", fmt::format("model:{}", target), json{{"from", event->previous}}.dump()});
  if (pipeline_ != nullptr) {
    if (auto ok = pipeline_->reload_model(); !ok) return std::unexpected(from_store(ok.error()));
  }
  return *event;
}

ModelResult<DriftReport> ModelService::drift(const DriftOptions& o) {
  // The latest assessment of each declaration: its day, whether it went red and how.
  struct Selected {
    int64_t week = 0;
    bool red = false, random = false;
    bool explored = false;  // exploration draws are meant to be uncertain: not judged as selections
  };
  std::unordered_map<int64_t, Selected> latest;
  for (int64_t after = 0;;) {
    auto page = risk_.list_decisions(after, 10000);
    if (!page) return std::unexpected(from_store(page.error()));
    if (page->empty()) break;
    for (const auto& e : *page) {
      after = e.seq;
      if (e.kind != "assessment") continue;
      json body = json::parse(e.body_json, nullptr, false);
      if (!body.is_object()) continue;
      std::string day =
          body.contains("capacity") && body["capacity"].is_object() ? body["capacity"].value("day", "") : "";
      auto parsed = parse_date(day);
      if (!parsed) continue;
      latest[e.declaration_id] = {week_start(*parsed), body.value("channel", "") == "red", body.value("random", false),
                                   body.value("explored", false)};
    }
  }
  auto controls = risk_.list_control_results();
  if (!controls) return std::unexpected(from_store(controls.error()));
  std::map<int64_t, DriftWeek> weeks;
  for (const auto& [id, s] : latest) {
    if (s.red && !s.random && !s.explored) ++weeks[s.week].selected;
  }
  for (const auto& c : *controls) {
    auto it = latest.find(c.declaration_id);
    if (it == latest.end()) continue;
    DriftWeek& w = weeks[it->second.week];
    if (c.random || it->second.random) {
      ++w.random_controlled;
      w.random_irregular += c.irregularity ? 1 : 0;
    } else if (it->second.red && !it->second.explored) {
      ++w.controlled;
      w.irregular += c.irregularity ? 1 : 0;
    }
  }
  DriftReport report;
  for (auto& [week, w] : weeks) {
    w.week = format_date(week);
    w.precision = w.controlled > 0 ? static_cast<double>(w.irregular) / static_cast<double>(w.controlled) : 0;
    w.random_rate = w.random_controlled > 0
                        ? static_cast<double>(w.random_irregular) / static_cast<double>(w.random_controlled)
                        : 0;
    report.weeks.push_back(w);
  }
  if (static_cast<int>(report.weeks.size()) > o.weeks) {
    report.weeks.erase(report.weeks.begin(), report.weeks.end() - o.weeks);
  }
  // The latest week with enough controlled selections, against the judged weeks before it.
  std::vector<const DriftWeek*> judged;
  for (const auto& w : report.weeks) {
    if (w.controlled >= o.min_controls) judged.push_back(&w);
  }
  if (judged.size() < 2) {
    report.message = fmt::format("not enough data: {} week(s) with at least {} controlled selections", judged.size(),
                                 o.min_controls);
    return report;
  }
  const DriftWeek& last = *judged.back();
  double sum = 0;
  int n = 0;
  for (size_t i = judged.size() - 1; i-- > 0 && n < o.baseline_weeks;) {
    sum += judged[i]->precision;
    ++n;
  }
  report.baseline = sum / n;
  report.alert = last.precision < o.alert_ratio * report.baseline;
  report.message = fmt::format(
      "week of {}: precision {:.3f} on {} controlled selections, {} {:.0f} % of the "
      "{}-week baseline {:.3f}",
      last.week, last.precision, last.controlled, report.alert ? "below" : "at or above", 100 * o.alert_ratio, n,
      report.baseline);
  return report;
}

}  // namespace cordon::assessment
